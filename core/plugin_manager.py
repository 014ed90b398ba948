"""Plugin discovery and hook calling.

Built-in and third-party plugins load the same way: the ``kam`` entry-point group,
plus single-file plugins from ``KAM_PLUGINS_DIR`` (or ``plugins_dir`` in kam.toml).
``KAM_DISABLE_PLUGINS`` (or ``[plugins] disabled``) switches plugins off by name. A
plugin that fails to load is reported by name and skipped; a plugin the workspace
requires (``[plugins] required``) that is not loaded makes kam refuse every change
(:meth:`Plugins.required_problem`); ``KAM_STRICT_PLUGINS=1`` makes any load failure
stop every command with one line (the CLI checks :attr:`Plugins.strict`).

Every hook is called through pluggy (``pm.hook.<name>(...)``), so ``tryfirst``,
``trylast``, ``wrapper=True`` and pluggy's tracing behave as pluggy users expect. To
name the plugin that failed, each hookimpl is registered through a small guard made
at registration (:meth:`Plugins._guard`), which also validates what it returns — the
one place results are checked:

- rules and approvals (:data:`RULE_HOOKS`, :data:`LIST_HOOKS`): an exception or a
  wrong result becomes :class:`PluginError` naming the plugin; it propagates through
  pluggy (wrappers see it) and the change is refused (fail closed);
- registration and events (:data:`ISOLATED_HOOKS`): an exception is recorded against
  the plugin and that implementation alone is skipped; the others still run.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import os
import sys
import types
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy
from kam import hookspecs
from kam.errors import KamError
from kam.findings import Finding
from kam.plugin_discovery import (
    default_path,
    entry_points,
    load_entry_point,
    mentions_plugins,
    workspace_folder,
)
from kam.plugin_required import LoadError, load_error, required_list, why_missing
from kam.plugin_results import (
    ISOLATED_HOOKS,
    LIST_HOOKS,
    RULE_HOOKS,
    PluginError,
    check_result,
    describe,
    owned,
)

__all__ = ["ISOLATED_HOOKS", "LIST_HOOKS", "RULE_HOOKS", "PluginError", "PluginInfo",
           "Plugins", "Registry", "default_path", "workspace_folder"]

@dataclass
class PluginInfo:
    name: str
    version: str
    source: str  # built-in | package | file
    hooks: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Name → item, remembering which plugin supplied each (first registration wins)."""

    what: str
    items: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def add(self, plugin: str, name: str, item: Any, *extra: Any, **kw: Any) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"{self.what} name must be a non-empty string")
        if name in self.items:
            self.conflicts.append(
                f"{self.what} {name!r} from {plugin} ignored: already from {self.owners[name]}"
            )
            return
        self.items[name] = (item, *extra, kw) if (extra or kw) else item
        self.owners[name] = plugin

    def register_from(self, plugin: str) -> Callable[..., None]:
        """A ``register`` callback that records ``plugin`` as the owner."""

        def register(name: str, item: Any, *extra: Any, **kw: Any) -> None:
            self.add(plugin, name, item, *extra, **kw)

        return register


def _candidates(module: object) -> list[str]:
    """The names pluggy may find a hookimpl under: for a module, only its functions and
    bound methods (what pluggy accepts; asking pluggy about each of a module's imports
    and constants cost ~0.3 ms a plugin at every start); anything else, every
    attribute, as pluggy would."""
    if isinstance(module, types.ModuleType):
        return sorted(name for name, value in vars(module).items()
                      if isinstance(value, (types.FunctionType, types.MethodType)))
    return dir(module)


class _Proxy:
    """What pluggy registers for a plugin: its guarded hookimpls as attributes
    (hashable by identity, so pluggy can subset callers by plugin)."""

    __name__: str


class Plugins:
    """The plugin manager of one process: discovery, registries, and hook calls."""

    def __init__(
        self,
        *,
        disabled: set[str] | None = None,
        plugins_dir: str | None = None,
        strict: bool | None = None,
        entry_points: bool = True,
    ) -> None:
        env_disabled = os.environ.get("KAM_DISABLE_PLUGINS", "")
        self.disabled = (disabled or set()) | {n.strip() for n in env_disabled.split(",") if n}
        self.plugins_dir = plugins_dir or os.environ.get("KAM_PLUGINS_DIR") or None
        self.strict = strict if strict is not None else os.environ.get("KAM_STRICT_PLUGINS") == "1"
        self.pm = pluggy.PluginManager("kam")
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.modules: dict[str, object] = {}
        self.failures: list[str] = []
        self.load_errors: dict[str, LoadError] = {}
        self.required: list[str] = []
        #: ``--debug``: a failing rule's own traceback is printed (set by the CLI)
        self.debug = False
        #: the workspace's kam.toml as far as known; registration hooks may read it
        self.config: dict[str, Any] = {}
        self.warnings: list[str] = []
        self._registries: dict[str, Registry] = {}
        self._acting_plugin = ""
        self._isolated: list[str] = []
        self._configured: set[Path] = set()
        if entry_points:
            self._load_entry_points()
        if self.plugins_dir:
            self._load_dir(Path(self.plugins_dir))

    # --- loading ------------------------------------------------------------------

    def _fail(self, name: str, error: BaseException | str, version: str = "",
              source: str = "") -> None:
        """Record a load failure: one line for warnings and tables, the traceback for
        ``--debug`` (strict mode is enforced by the CLI, so ``kam --help`` still works)."""
        failure = load_error(name, error, version, source)
        self.load_errors.setdefault(name, failure)
        self.failures.append(f"plugin {name!r} failed to load: {failure.error}")

    def strict_problem(self) -> str | None:
        """With ``KAM_STRICT_PLUGINS=1``: the first load failure, as one line."""
        if not self.strict or not self.load_errors:
            return None
        first = next(iter(self.load_errors.values()))
        return (f"plugin {first.name!r} failed to load: {first.error} "
                "(KAM_STRICT_PLUGINS=1 stops every command)")

    def check_strict(self) -> None:
        """Raise the strict-mode failure as a :class:`KamError` (exit 4)."""
        problem = self.strict_problem()
        if problem:
            from kam.errors import StorageError

            raise StorageError(problem)

    def missing_required(self) -> list[tuple[str, str]]:
        """(name, why) of each required plugin that is not loaded."""
        out = []
        for name in self.required:
            why = why_missing(name, set(self.infos), self.load_errors, self.disabled)
            if why is not None:
                out.append((name, why))
        return out

    def required_problem(self) -> str | None:
        """One line naming the first required plugin that is not loaded, or None."""
        missing = self.missing_required()
        if not missing:
            return None
        name, why = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return f"required plugin {name!r} {why}{more}"

    def _add(self, name: str, module: object, version: str, source: str) -> None:
        proxy = self._guarded(name, module)
        try:
            self.pm.register(proxy, name=name)
            self.pm.check_pending()
        except Exception as exc:  # pluggy validation: misspelled hook, bad signature
            if self.pm.is_registered(proxy):
                self.pm.unregister(proxy)
            self._fail(name, exc, version, source)
            return
        hooks = sorted(
            h.name for h in self.pm.get_hookcallers(proxy) or [] if h.name.startswith("kam_")
        )
        self.infos[name] = PluginInfo(name, version, source, hooks)
        self.modules[name] = module

    def _load_entry_points(self) -> None:
        for name, value, version in entry_points("kam"):
            if name in self.disabled or name in self.infos:
                continue
            source = "built-in" if value.startswith("kam.plugins.") else "package"
            try:
                module = load_entry_point(value)
            except Exception as exc:
                self._fail(name, exc, version, source)
                continue
            self._add(name, module, version, source)

    def _refuse(self, message: str) -> None:
        """A plugin source kam will not run: told once, as a warning line."""
        self.failures.append(f"{message}: not loaded")

    def _load_dir(self, folder: Path, workspace: Path | None = None) -> None:
        """Load the ``.py`` plugins of ``folder``: only when it is safe (owner, not
        writable by others) and, for a workspace's ``plugins_dir``, only when the user
        trusts that workspace (:mod:`kam.plugin_trust`)."""
        from kam import plugin_trust

        if not folder.is_dir():
            self.warnings.append(f"plugins folder {folder} does not exist")
            return
        if workspace is not None and not plugin_trust.is_trusted(workspace):
            self._refuse(f"plugins_dir {folder} of workspace {workspace} is not trusted "
                         f"(kam plugins trust {workspace})")
            return
        why = plugin_trust.unsafe(folder)
        if why:
            self._refuse(f"plugins folder {folder} {why}")
            return
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or name in self.disabled or name in self.infos:
                continue
            why = plugin_trust.unsafe(path)
            if why:
                self._refuse(f"plugin file {path} {why}")
                continue
            try:
                spec = importlib.util.spec_from_file_location(f"kam_local_plugins.{name}", path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[spec.name] = module
                spec.loader.exec_module(module)
            except Exception as exc:
                sys.modules.pop(f"kam_local_plugins.{name}", None)
                self._fail(name, exc, "", "file")
                continue
            self._add(name, module, str(getattr(module, "__version__", "-")), "file")

    def apply_config(self, config: dict[str, Any], base: Path) -> None:
        """Honour a workspace's ``plugins_dir`` and ``[plugins] disabled`` settings.

        The CLI calls :meth:`configure` before it builds its commands, so a plugin
        from ``plugins_dir`` adds its commands and a disabled one adds none;
        :meth:`kam.workspace.Workspace.open` calls this again (a no-op by then).
        """
        changed = False
        if config != self.config:
            self.config = config
            changed = bool(self._registries)
        plugins_table = config.get("plugins") or {}
        if not isinstance(plugins_table, dict):
            plugins_table = {}
        self.required = required_list(plugins_table.get("required", []))
        disabled = plugins_table.get("disabled", [])
        for name in disabled or []:
            self.disabled.add(str(name))
            if name in self.infos:
                self.pm.unregister(name=name)
                del self.infos[name]
                self.modules.pop(name, None)
                changed = True
        folder = config.get("plugins_dir") or ""
        if folder and not self.plugins_dir:
            self.plugins_dir = str((base / folder).expanduser())
            self._load_dir(Path(self.plugins_dir), workspace=base)
            changed = True
        if changed:
            self._registries.clear()

    def configure(self, folder: Path) -> None:
        """Read the plugin settings of the workspace at ``folder`` (its kam.toml), cheaply:
        the file is parsed only when it mentions plugins. Unreadable or malformed files
        are left for :meth:`kam.workspace.Workspace.open` to report."""
        folder = Path(folder)
        if folder in self._configured:
            return
        self._configured.add(folder)
        try:
            text = (folder / "kam.toml").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        if not mentions_plugins(text):
            return
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return
        self.apply_config(data, folder)

    def register(self, module: object, name: str, source: str = "package") -> None:
        """Register an object as a plugin (tests and embedding applications).

        A plugin of that name already loaded (say, the same package pip-installed) is
        replaced, never registered twice: the module given here is the one that runs."""
        if self.modules.get(name) is module:
            return
        if name in self.infos:
            self.pm.unregister(name=name)
            del self.infos[name]
            self.modules.pop(name, None)
        self.load_errors.pop(name, None)
        self._add(name, module, str(getattr(module, "__version__", "-")), source)
        self._registries.clear()

    # --- guarding each hookimpl -------------------------------------------------------

    def _guarded(self, plugin: str, module: object) -> object:
        """What pluggy registers for ``module``: its hookimpls, each through a guard."""
        proxy = _Proxy()
        proxy.__name__ = plugin
        for attr in _candidates(module):
            opts = self.pm.parse_hookimpl_opts(module, attr)
            if opts is None:
                continue
            hook = opts.get("specname") or attr
            setattr(proxy, attr, self._guard(plugin, hook, getattr(module, attr)))
        return proxy

    @contextmanager
    def _acting(self, plugin: str) -> Iterator[None]:
        saved, self._acting_plugin = self._acting_plugin, plugin
        try:
            yield
        finally:
            self._acting_plugin = saved

    def _failed(self, plugin: str, hook: str, exc: BaseException) -> None:
        """Record the failure of an isolated hook (registration or event)."""
        self._isolated.append(str(PluginError(plugin, hook, exc)))

    def _guard(self, plugin: str, hook: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap one hookimpl: name ``plugin`` in any failure, validate its result."""
        isolated = hook in ISOLATED_HOOKS

        if inspect.isgeneratorfunction(fn):
            return self._guard_wrapper(plugin, hook, fn, isolated)

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with self._acting(plugin):
                try:
                    value = fn(*args, **kwargs)
                except Exception as exc:
                    if isolated:
                        self._failed(plugin, hook, exc)
                        return None
                    if isinstance(exc, KamError):
                        raise  # a rule refusing on purpose, or a failure already named
                    raise PluginError(plugin, hook, exc) from exc
            try:
                return owned(check_result(hook, value), plugin)
            except TypeError as exc:
                raise PluginError(plugin, hook, exc) from None

        return guarded

    def _guard_wrapper(self, plugin: str, hook: str, fn: Callable[..., Any],
                       isolated: bool) -> Callable[..., Any]:
        """The guard of a ``wrapper=True`` (or old-style ``hookwrapper=True``) hookimpl:
        a generator that steps the plugin's generator, passing on what pluggy sends and
        throws, so the wrapper sees and may change the result as in pluggy."""
        new_style = not getattr(fn, "kam_impl", {}).get("hookwrapper", False)

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            gen = fn(*args, **kwargs)
            sent: Any = None
            thrown: BaseException | None = None
            started = False
            while True:
                with self._acting(plugin):
                    try:
                        step = gen.throw(thrown) if thrown is not None else gen.send(sent)
                    except StopIteration as stop:
                        value = stop.value
                        break
                    except Exception as exc:
                        if not isolated:
                            if isinstance(exc, KamError):
                                raise
                            raise PluginError(plugin, hook, exc) from exc
                        self._failed(plugin, hook, exc)
                        if not started:  # failed before its yield: step aside
                            return (yield)
                        if thrown is not None:
                            raise thrown from None
                        return sent
                started = True
                try:
                    sent, thrown = (yield step), None
                except GeneratorExit:
                    gen.close()
                    raise
                except BaseException as exc:
                    sent, thrown = None, exc
            if not new_style or isolated:
                return value
            return self._check_all(plugin, hook, value)

        return guarded

    def _check_all(self, plugin: str, hook: str, value: object) -> object:
        """A wrapper's result for the whole call: a list of per-implementation results."""
        if not isinstance(value, list):
            raise PluginError(plugin, hook, f"returned {describe(value)}, not a list of "
                              "results (one per implementation)")
        try:
            return [owned(check_result(hook, part), plugin) for part in value]
        except TypeError as exc:
            raise PluginError(plugin, hook, exc) from None

    # --- registries ---------------------------------------------------------------

    def _isolated_call(self, hook: str, **kwargs: Any) -> list[str]:
        """Call an isolated hook through pluggy; one message per failing plugin."""
        mark = len(self._isolated)
        getattr(self.pm.hook, hook)(**kwargs)
        errors = self._isolated[mark:]
        del self._isolated[mark:]
        return errors

    def registry(self, hook: str, what: str) -> Registry:
        """Run a registration hook once and cache the result; ``register`` credits each
        item to the plugin whose implementation is running."""
        if hook in self._registries:
            return self._registries[hook]
        reg = Registry(what)

        def register(name: str, item: Any, *extra: Any, **kw: Any) -> None:
            reg.add(self._acting_plugin, name, item, *extra, **kw)

        self.failures.extend(self._isolated_call(hook, register=register,
                                                 config=self.config))
        self.warnings.extend(reg.conflicts)
        self._registries[hook] = reg
        return reg

    def storages(self) -> Registry:
        return self.registry("kam_register_storage", "storage backend")

    def pipelines(self) -> Registry:
        return self.registry("kam_register_pipelines", "pipeline")

    def evaluation_models(self) -> Registry:
        return self.registry("kam_register_evaluation_models", "evaluation model")

    def formats(self) -> Registry:
        return self.registry("kam_register_formats", "format")

    def reports(self) -> Registry:
        return self.registry("kam_register_reports", "report")

    def fields(self) -> Registry:
        """Custom fields, keyed ``kind.name`` → :class:`kam.custom_fields.FieldSpec`."""
        hook = "kam_register_fields"
        if hook not in self._registries:
            from kam.custom_fields import FieldSpec

            reg = Registry("custom field")

            def register(kind: str, name: str, parse: Any, label: str = "", *,
                         label_en: str = "", required_from: str | None = None) -> None:
                if not callable(parse):
                    raise TypeError(f"field {kind}.{name}: parse must be callable")
                reg.add(self._acting_plugin, f"{kind}.{name}",
                        FieldSpec(parse, label, label_en, required_from, self._acting_plugin))

            self.failures.extend(self._isolated_call(hook, register=register,
                                                     config=self.config))
            self.warnings.extend(reg.conflicts)
            self._registries[hook] = reg
        return self._registries[hook]

    def config_schemas(self) -> Registry:
        """Plugin settings schemas: ``[name]`` table → pydantic model or function."""
        return self.registry("kam_register_config", "config schema")

    def register_commands(self, app: Any) -> None:
        """Let plugins add their commands to ``app`` (a ``typer.Typer``)."""
        self.failures.extend(self._isolated_call("kam_register_commands", app=app,
                                                 config=self.config))

    # --- rules and events ---------------------------------------------------------

    def rule(self, hook: str, **kwargs: Any) -> list[Finding]:
        """Call a rule hook through pluggy; every finding names its plugin.

        A rule that raises, or returns something other than a list of Findings,
        refuses the change (fail closed): one ``block`` finding naming the plugin.
        """
        try:
            results = getattr(self.pm.hook, hook)(**kwargs)
        except PluginError as exc:
            self._show_traceback(exc)
            return [exc.finding()]
        try:
            parts = self._check_all("a hook wrapper", hook, results)
        except PluginError as exc:
            return [exc.finding()]
        assert isinstance(parts, list)
        found = [f for part in parts if part for f in part]
        if getattr(kwargs.get("ws"), "lang", None) == "zh-Hant":
            from dataclasses import replace

            from kam.i18n import hant

            # a rule's message names the domain's terms in Chinese (工程验收): as the
            # workspace reads them
            found = [replace(f, message=hant(f.message)) for f in found]
        return found

    def _show_traceback(self, exc: PluginError) -> None:
        """With ``--debug`` (or ``KAM_DEBUG=1``): the failing rule's own traceback on
        stderr, since its failure becomes a finding rather than an exception."""
        if not (self.debug or os.environ.get("KAM_DEBUG") == "1"):
            return
        cause = exc.__cause__ or exc.error
        if isinstance(cause, BaseException):
            import traceback

            sys.stderr.write(f"kam: {exc}:\n" + "".join(traceback.format_exception(cause)))

    def collect(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a hook that returns lists (required approvals) through pluggy; flatten.

        Fails closed: a failing implementation raises :class:`PluginError` (refused).
        """
        results = getattr(self.pm.hook, hook)(**kwargs)
        parts = self._check_all("a hook wrapper", hook, results)
        assert isinstance(parts, list)
        return [item for part in parts if part for item in part]

    def askers(self, hook: str, **kwargs: Any) -> dict[str, list[str]]:
        """Which plugins return each item of a list hook (required approvals), asked one
        plugin at a time: for naming them in a refusal, never for deciding."""
        out: dict[str, list[str]] = {}
        for name in self.implementers(hook):
            others = [p for n, p in self.pm.list_name_plugin() if n != name]
            try:
                parts = self.pm.subset_hook_caller(hook, remove_plugins=others)(**kwargs)
            except Exception:  # noqa: S112 - its failure refuses elsewhere, by collect
                continue
            for part in parts if isinstance(parts, list) else []:
                for item in part if isinstance(part, list) else []:
                    out.setdefault(str(item).strip(), []).append(name)
        return out

    def implementers(self, hook: str) -> list[str]:
        """The plugins implementing ``hook``, in pluggy's call order."""
        caller = getattr(self.pm.hook, hook)
        return [impl.plugin_name for impl in reversed(caller.get_hookimpls())]

    def deliver(self, hook: str, plugin: str, **kwargs: Any) -> str | None:
        """Call one plugin's implementation of an event hook (through pluggy, so its
        wrappers still apply); the failure message, or None when it was delivered."""
        if plugin not in self.infos:
            return f"plugin {plugin!r} is not loaded"
        others = [p for name, p in self.pm.list_name_plugin() if name != plugin]
        caller = self.pm.subset_hook_caller(hook, remove_plugins=others)
        mark = len(self._isolated)
        caller(**kwargs)
        errors = self._isolated[mark:]
        del self._isolated[mark:]
        return "; ".join(errors) or None

    def event(self, hook: str, **kwargs: Any) -> list[str]:
        """Call an event hook through pluggy after commit; one message per failing plugin.

        A failing implementation never stops the others, nor undoes the change.
        """
        return self._isolated_call(hook, **kwargs)
