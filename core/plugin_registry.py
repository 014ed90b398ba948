"""What plugins register (storage backends, pipelines, formats, reports, fields,
settings schemas), collected once per process, and the plugins' validated settings.

A plugin's settings (``[name]`` of kam.toml, checked by the schema it declared) come
from kam.plugin_settings' cache while nothing they were made from has changed: running
every ``kam_register_config`` imports pydantic (~60-80 ms) to fill in the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kam.plain import PlainRecord as _Record


class PluginInfo(_Record):
    """A loaded plugin: its name, version, source (built-in, package or file) and the
    hooks it implements."""

    _FIELDS = ("name", "version", "source", "hooks")

    def __init__(self, name: str, version: str, source: str,
                 hooks: list[str] | None = None) -> None:
        self.name = name
        self.version = version
        self.source = source
        self.hooks: list[str] = [] if hooks is None else hooks


class Registry(_Record):
    """Name → item, remembering which plugin supplied each (first registration wins)."""

    _FIELDS = ("what", "items", "owners", "conflicts")

    def __init__(self, what: str, items: dict[str, Any] | None = None,
                 owners: dict[str, str] | None = None,
                 conflicts: list[str] | None = None) -> None:
        self.what = what
        self.items: dict[str, Any] = {} if items is None else items
        self.owners: dict[str, str] = {} if owners is None else owners
        self.conflicts: list[str] = [] if conflicts is None else conflicts

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


class Registries:
    """The registry part of :class:`kam.plugin_manager.Plugins`."""

    config: dict[str, Any]
    failures: list[str]
    warnings: list[str]
    infos: dict[str, PluginInfo]
    modules: dict[str, object]
    _registries: dict[str, Registry]
    _acting_plugin: str
    _settings_memo: tuple[str, dict[str, Any]] | None = None

    _isolated_call: Callable[..., list[str]]  # kam.plugin_guard.HookGuards'

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

    def settings(self, name: str, table: dict[str, Any]) -> dict[str, Any]:
        """Plugin ``name``'s settings: ``table`` (its ``[name]`` table of kam.toml)
        validated by the schema it declared, or ``table`` itself when none; a bad value
        is an ``InputError`` (exit 2). From the cache when it holds them."""
        known = self._cached_settings()
        if known is not None:
            if name not in known:
                return table
            hit = known[name]
            if hit is not None and hit[0] == repr(table):
                from kam.plugin_settings import decode

                value: dict[str, Any] = decode(hit[1])
                return value
        schema = self.config_schemas().items.get(name)
        if schema is None:
            return table
        from kam.plugin_config import validated

        return validated(name, schema, table)

    def settings_names(self) -> list[str]:
        """The names of the plugins' settings tables that have a schema."""
        known = self._cached_settings()
        return list(known if known is not None else self.config_schemas().items)

    def _cached_settings(self) -> dict[str, Any] | None:
        """Each schema's name → (the table's repr, its validated settings encoded), or
        None for a schema that is not cached; None when nothing is (kam.plugin_settings
        says when). Made on a miss, before the schemas are registered in this process."""
        from kam import plugin_settings as cache

        plugins = [(n, i.version, i.source, tuple(i.hooks)) for n, i in self.infos.items()]
        key = cache.context(self.config, plugins)
        if key is None:
            return None
        if self._settings_memo is not None and self._settings_memo[0] == key:
            return self._settings_memo[1]
        known = cache.load(key)
        if known is None and "kam_register_config" not in self._registries:
            known = self._settings_to_cache(key)
        if known is not None:
            self._settings_memo = (key, known)
        return known

    def _settings_to_cache(self, key: str) -> dict[str, Any] | None:
        """Register the schemas, validate each pure one, keep what can be kept."""
        from kam import plugin_settings as cache

        before, failures = cache.loaded_files(), len(self.failures)
        reg = self.config_schemas()
        if reg.conflicts or len(self.failures) != failures:
            return None
        from kam.errors import InputError
        from kam.plugin_config import validated

        known: dict[str, Any] = {}
        for name, schema in reg.items.items():
            section = self.config.get(name)
            table = dict(section) if isinstance(section, dict) else {}
            known[name] = None
            if cache.pure(schema):
                try:
                    encoded = cache.encode(validated(name, schema, table))
                except InputError:
                    continue
                known[name] = None if encoded is None else (repr(table), encoded)
        owners = {n for n, i in self.infos.items() if "kam_register_config" in i.hooks}
        prefixes = {_package(self.modules[n]) for n in owners if n in self.modules}
        files = (cache.loaded_files() - before) | cache.module_files(
            prefixes | {"pydantic", "pydantic_core"}) | cache.own_files()
        cache.store(key, files, known)
        return known


def _package(plugin: object) -> str:
    """The top-level package a plugin's module (or object) comes from."""
    import types

    name = plugin.__name__ if isinstance(plugin, types.ModuleType) else type(plugin).__module__
    return name.split(".", 1)[0]
