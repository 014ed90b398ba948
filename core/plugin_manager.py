"""Plugin discovery and hook calling.

Built-in and third-party plugins load the same way: the ``kam`` entry-point group,
plus single-file plugins from ``KAM_PLUGINS_DIR``. ``KAM_DISABLE_PLUGINS`` switches
plugins off by name. A plugin that fails to load is reported by name and skipped
(``KAM_STRICT_PLUGINS=1`` makes it fatal, for plugin development).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy
from kam import hookspecs
from kam.errors import KamError, RefusedError
from kam.findings import Finding


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

    def register_from(self, plugin: str) -> Callable[..., None]:
        def register(name: str, item: Any, *extra: Any, **kw: Any) -> None:
            if not isinstance(name, str) or not name:
                raise ValueError(f"{plugin}: {self.what} name must be a non-empty string")
            if name in self.items:
                self.conflicts.append(
                    f"{self.what} {name!r} from {plugin} ignored: already from {self.owners[name]}"
                )
                return
            self.items[name] = (item, *extra, kw) if (extra or kw) else item
            self.owners[name] = plugin

        return register


def entry_points(group: str) -> list[tuple[str, str, str]]:
    """(name, value, distribution version) of a group's entry points, read straight from
    the installed distributions' ``entry_points.txt``: the same answer as
    ``importlib.metadata.entry_points(group=...)`` (first distribution of a name on
    ``sys.path`` wins) without importing it, which costs tens of ms at every start."""
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for meta in names:
            if not meta.endswith((".dist-info", ".egg-info")):
                continue
            stem = meta.rsplit(".", 1)[0]
            dist, _, version = stem.partition("-")
            key = dist.lower().replace("-", "_").replace(".", "_")
            if key in seen:
                continue
            folder = os.path.join(entry or ".", meta)
            if not os.path.isdir(folder):
                continue
            seen.add(key)
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            version = version or _version_of(folder)
            section = ""
            for line in text.splitlines():
                line = line.strip()
                if not line or line[0] in "#;":
                    continue
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif section == group and "=" in line:
                    name, _, value = line.partition("=")
                    found.append((name.strip(), value.strip(), version or "?"))
    return found


def _version_of(folder: str) -> str:
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, file), encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return ""


def _load(value: str) -> Any:
    """``module`` or ``module:attr.attr`` (extras in brackets ignored), as EntryPoint.load."""
    module_name, _, attrs = value.partition(":")
    module = importlib.import_module(module_name.strip())
    for attr in attrs.split("[")[0].strip().split(".") if attrs else []:
        module = getattr(module, attr)
    return module


class Plugins:
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
        self.failures: list[str] = []
        self.warnings: list[str] = []
        self._registries: dict[str, Registry] = {}
        if entry_points:
            self._load_entry_points()
        if self.plugins_dir:
            self._load_dir(Path(self.plugins_dir))

    # --- loading ------------------------------------------------------------------

    def _fail(self, name: str, error: BaseException | str) -> None:
        message = f"plugin {name!r} failed to load: {error}"
        if self.strict:
            raise KamError(message)
        self.failures.append(message)

    def _add(self, name: str, module: Any, version: str, source: str) -> None:
        try:
            self.pm.register(module, name=name)
            self.pm.check_pending()
        except Exception as exc:  # pluggy validation: misspelled hook, bad signature
            if self.pm.is_registered(module):
                self.pm.unregister(module)
            self._fail(name, exc)
            return
        hooks = sorted(
            h.name for h in self.pm.get_hookcallers(module) or [] if h.name.startswith("kam_")
        )
        self.infos[name] = PluginInfo(name, version, source, hooks)

    def _load_entry_points(self) -> None:
        for name, value, version in entry_points("kam"):
            if name in self.disabled or name in self.infos:
                continue
            try:
                module = _load(value)
            except Exception as exc:
                self._fail(name, exc)
                continue
            source = "built-in" if value.startswith("kam.plugins.") else "package"
            self._add(name, module, version, source)

    def _load_dir(self, folder: Path) -> None:
        if not folder.is_dir():
            self.warnings.append(f"plugins folder {folder} does not exist")
            return
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or name in self.disabled or name in self.infos:
                continue
            try:
                spec = importlib.util.spec_from_file_location(f"kam_local_plugins.{name}", path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[spec.name] = module
                spec.loader.exec_module(module)
            except Exception as exc:
                sys.modules.pop(f"kam_local_plugins.{name}", None)
                self._fail(name, exc)
                continue
            self._add(name, module, str(getattr(module, "__version__", "-")), "file")

    def apply_config(self, config: dict[str, Any], base: Path) -> None:
        """Honour a workspace's ``plugins_dir`` and ``[plugins] disabled`` settings."""
        changed = False
        for name in config.get("plugins", {}).get("disabled", []) or []:
            if name in self.infos:
                self.pm.unregister(name=name)
                del self.infos[name]
                self.disabled.add(name)
                changed = True
        folder = config.get("plugins_dir") or ""
        if folder and not self.plugins_dir:
            self.plugins_dir = str((base / folder).expanduser())
            self._load_dir(Path(self.plugins_dir))
            changed = True
        if changed:
            self._registries.clear()

    def register(self, module: Any, name: str, source: str = "package") -> None:
        """Register an object as a plugin (tests and embedding applications)."""
        self._add(name, module, str(getattr(module, "__version__", "-")), source)
        self._registries.clear()

    # --- registries ---------------------------------------------------------------

    def registry(self, hook: str, what: str) -> Registry:
        """Run a registration hook once, per plugin, and cache the result."""
        if hook in self._registries:
            return self._registries[hook]
        reg = Registry(what)
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            try:
                impl.function(reg.register_from(impl.plugin_name))
            except Exception as exc:
                self.failures.append(f"plugin {impl.plugin_name!r} failed in {hook}: {exc}")
        self.warnings.extend(reg.conflicts)
        self._registries[hook] = reg
        return reg

    def storages(self) -> Registry:
        return self.registry("kam_register_storage", "storage backend")

    def pipelines(self) -> Registry:
        return self.registry("kam_register_pipelines", "pipeline")

    def formats(self) -> Registry:
        return self.registry("kam_register_formats", "format")

    def reports(self) -> Registry:
        return self.registry("kam_register_reports", "report")

    def fields(self) -> Registry:
        """Custom fields, keyed ``kind.name`` → ``(parse, label)``."""
        hook = "kam_register_fields"
        if hook not in self._registries:
            reg = Registry("custom field")
            for impl in reversed(self.pm.hook.kam_register_fields.get_hookimpls()):
                add = reg.register_from(impl.plugin_name)

                def register(kind: str, name: str, parse: Any, label: str = "") -> None:
                    add(f"{kind}.{name}", (parse, label))  # noqa: B023 - called right away

                try:
                    impl.function(register)
                except Exception as exc:
                    self.failures.append(f"plugin {impl.plugin_name!r} failed in {hook}: {exc}")
            self._registries[hook] = reg
        return self._registries[hook]

    def register_commands(self, app: Any) -> None:
        for impl in reversed(self.pm.hook.kam_register_commands.get_hookimpls()):
            try:
                impl.function(app)
            except Exception as exc:
                self.failures.append(
                    f"plugin {impl.plugin_name!r} failed in kam_register_commands: {exc}"
                )

    # --- rules and events ---------------------------------------------------------

    def rule(self, hook: str, **kwargs: Any) -> list[Finding]:
        """Call every implementation of a rule hook; collect findings, naming the plugin.

        A rule that raises or returns garbage blocks the change (fail closed).
        """
        findings: list[Finding] = []
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            args = {k: kwargs[k] for k in impl.argnames}
            try:
                result = impl.function(**args) or []
                for f in result:
                    if not isinstance(f, Finding):
                        raise TypeError(f"returned {type(f).__name__}, not a Finding")
                    findings.append(
                        f if f.plugin else Finding(f.severity, f.code, f.message, impl.plugin_name)
                    )
            except KamError:
                raise
            except Exception as exc:
                findings.append(
                    Finding(
                        "block",
                        "plugin_error",
                        f"plugin {impl.plugin_name!r} failed in {hook}: {exc}",
                        impl.plugin_name,
                    )
                )
        return findings

    def collect(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a hook that returns lists (e.g. required approvals); flatten. Fails closed."""
        out: list[Any] = []
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            args = {k: kwargs[k] for k in impl.argnames}
            try:
                out.extend(impl.function(**args) or [])
            except Exception as exc:
                raise RefusedError(f"plugin {impl.plugin_name!r} failed in {hook}: {exc}") from exc
        return out

    def event(self, hook: str, **kwargs: Any) -> list[str]:
        """Call an event hook after commit; return one message per failing plugin."""
        errors: list[str] = []
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            args = {k: kwargs[k] for k in impl.argnames}
            try:
                impl.function(**args)
            except Exception as exc:
                errors.append(f"plugin {impl.plugin_name!r} failed in {hook}: {exc}")
        return errors
