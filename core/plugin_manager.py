"""Plugin loading and hook calling: the :class:`Plugins` manager of one process.

Split by responsibility: finding plugins (kam.plugin_discovery), loading and configuring
them and calling rule, list and event hooks (here), guarding each hookimpl
(kam.plugin_guard), what the registration hooks register and the plugins' validated
settings (kam.plugin_registry, kam.plugin_settings).

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
at registration (:mod:`kam.plugin_guard`), which also validates what it returns — the
one place results are checked:

- rules and approvals (:data:`RULE_HOOKS`, :data:`LIST_HOOKS`): an exception or a
  wrong result becomes :class:`PluginError` naming the plugin; it propagates through
  pluggy (wrappers see it) and the change is refused (fail closed);
- registration and events (:data:`ISOLATED_HOOKS`): an exception is recorded against
  the plugin and that implementation alone is skipped; the others still run.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pluggy
from kam import hookspecs
from kam.findings import Finding
from kam.plugin_discovery import (
    default_path,
    entry_points,
    load_entry_point,
    mentions_plugins,
    workspace_folder,
)
from kam.plugin_guard import HookGuards
from kam.plugin_registry import PluginInfo, Registries, Registry
from kam.plugin_required import LoadError, load_error, required_list, why_missing
from kam.plugin_results import ISOLATED_HOOKS, LIST_HOOKS, RULE_HOOKS, PluginError

__all__ = ["ISOLATED_HOOKS", "LIST_HOOKS", "RULE_HOOKS", "PluginError", "PluginInfo",
           "Plugins", "Registry", "default_path", "workspace_folder"]

class Plugins(HookGuards, Registries):
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
        from kam.config import BadToml, parse

        try:
            data = parse(text)
        except BadToml:
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
