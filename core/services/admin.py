"""Workspace administration: init, config, plugins."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kam import config as kam_config
from kam.errors import InputError
from kam.plugin_manager import Plugins
from kam.plugin_results import LIST_HOOKS, RULE_HOOKS


def init(path: Path, plugins: Plugins, *, backend: str | None = None,
         currency: str | None = None, lang: str | None = None, pipeline: str | None = None,
         extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create ``kam.toml`` and the data (owner-only), refusing an existing workspace."""
    from kam.workspace import Workspace

    path = Path(path).expanduser()
    if (path / kam_config.FILE).exists():
        raise InputError(f"{path} is already a kam workspace")
    cfg = kam_config.merged(extra or {})
    if backend:
        cfg["backend"] = backend
    if currency:
        code = currency.strip().upper()
        if not (len(code) == 3 and code.isalpha() and code.isascii()):
            raise InputError(f"--currency: {currency!r} is not a 3-letter currency code")
        cfg["currency"] = code
    if lang:
        from kam.i18n import normalise

        if normalise(lang) is None:
            raise InputError(f"--lang: {lang!r} must be zh, zh-Hant or en")
        cfg["language"] = normalise(lang)
    if pipeline:
        if pipeline not in plugins.pipelines().items:
            known = ", ".join(sorted(plugins.pipelines().items))
            raise InputError(f"--pipeline: unknown pipeline {pipeline!r}; registered: {known}")
        cfg["pipeline"] = pipeline
    required = rule_plugins(plugins)
    if required:
        cfg.setdefault("plugins", {})["required"] = required
    if cfg["backend"] not in plugins.storages().items:
        known = ", ".join(sorted(plugins.storages().items))
        raise InputError(f"--backend: unknown backend {cfg['backend']!r}; installed: {known}")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    kam_config.save(path, cfg)
    try:
        ws = Workspace.open(path, plugins=plugins)
        ws.storage  # noqa: B018 - create the data now, so errors surface at init
        ws.close()
    except Exception:
        (path / kam_config.FILE).unlink(missing_ok=True)
        raise
    return {"workspace": str(path), **{k: cfg[k] for k in ("backend", "currency", "language",
                                                           "pipeline")}}


def config_get(path: Path, key: str) -> Any:
    return kam_config.get(kam_config.load(path), key)


#: keys that decide where the data is: changeable even while the storage cannot be
#: opened (to repair it), then without an event
STORAGE_KEYS = ("backend", "plugins_dir", "storage")


def config_set(path: Path, key: str, value: str, *, ws: Any = None) -> Any:
    """Change one setting of kam.toml. Every change (thresholds, rules, [roles], ...) is
    an audited ``config.changed`` event (key, old and new value, by the acting user),
    written in the same transaction as the file: no event, no change.

    Two exceptions write the file alone: a workspace with no data yet (no record, no
    event: nothing was decided under the old value, and ``kam import`` needs an empty
    event log), and a setting that decides the storage while it cannot be opened."""
    from kam.errors import StorageError
    from kam.workspace import Workspace

    path = Path(path).expanduser()
    from kam.config_schema import problems

    raw = kam_config.load(path, checked=False)
    before = set(problems(raw))
    typed = kam_config.coerce(value)
    if key == "language":
        from kam.i18n import normalise

        if not isinstance(typed, str) or normalise(typed) is None:
            raise InputError("language must be zh, zh-Hant or en")
        typed = normalise(typed)
    if key == "pipeline" and ws is not None:
        models = ws.plugins.pipelines().items
        if typed not in models:
            raise InputError(f"pipeline: {typed!r} is not a stage model; use one of: "
                             + ", ".join(sorted(models)))
    try:
        old = kam_config.get(raw, key)
    except InputError:
        old = None
    kam_config.set_value(raw, key, typed)
    # refuse what this change breaks; an older problem elsewhere may be repaired next
    new = [p for p in problems(raw) if p not in before or p[0] == key]
    if new:
        raise InputError(f"{path / kam_config.FILE}: {new[0][0]} {new[0][1]}")
    if old == typed and type(old) is type(typed):
        return typed  # nothing changes: nothing to record
    if before:
        # repairing a kam.toml no command can open: no workspace to record it in
        kam_config.save(path, raw)
        return typed
    own = ws is None
    if own:
        ws = Workspace.open(path)
    try:
        try:
            ws.storage  # noqa: B018 - opens (or, on a new workspace, creates) the data
        except StorageError:
            if key.split(".")[0] not in STORAGE_KEYS:
                raise
            kam_config.save(path, raw)  # repairing the storage setting: no log to write to
            return typed
        # lifting a plugin requirement must work while that plugin is missing
        with ws.writing(required=key != "plugins.required"):
            if no_data(ws):
                kam_config.save(path, raw)
                return typed
            with ws.mutation("config.changed", "config",
                             {"key": key, "old": old, "new": typed, "by": ws.actor}):
                kam_config.save(path, raw)
    finally:
        if own:
            ws.close()
    return typed


def no_data(ws: Any) -> bool:
    """The workspace holds no record and no event (what ``kam import`` loads into)."""
    from kam.kinds import KINDS

    storage = ws.storage
    if any(storage.count(k.name) for k in KINDS.values()):
        return False
    return next(iter(storage.events(limit=1)), None) is None


#: hooks whose absence would let a change through that the plugin would refuse
FAIL_CLOSED_HOOKS = RULE_HOOKS | LIST_HOOKS | {"kam_register_fields"}


def rule_plugins(plugins: Plugins) -> list[str]:
    """The plugins a new workspace requires: those not shipped with kam whose rules,
    approvals or field validation it is set up with (built-ins cannot go missing)."""
    return sorted(p.name for p in plugins.infos.values()
                  if p.source != "built-in" and FAIL_CLOSED_HOOKS & set(p.hooks))


def require_plugin(path: Path, plugins: Plugins, name: str, *, remove: bool = False,
                   ws: Any = None) -> list[str]:
    """Add ``name`` to (or remove it from) ``[plugins] required``; an audited config
    change. Requiring a plugin that is not loaded here is refused (every change would be)."""
    import json

    name = name.strip()
    current = list(kam_config.load(Path(path).expanduser()).get("plugins", {}).get(
        "required", []) or [])
    if remove:
        if name not in current:
            raise InputError(f"plugin {name!r} is not required")
        wanted = [n for n in current if n != name]
    else:
        if name not in plugins.infos:
            raise InputError(f"plugin {name!r} is not loaded here (kam plugins list); "
                             "requiring it would refuse every change")
        wanted = current if name in current else sorted([*current, name])
    config_set(path, "plugins.required", json.dumps(wanted), ws=ws)
    return wanted


def plugin_rows(plugins: Plugins, outbox: dict[str, dict[str, int]] | None = None
                ) -> list[dict[str, Any]]:
    """One row per plugin, loaded or not: name, version, source, hooks, required,
    status (loaded, failed, missing or disabled), error (one line) and the plugin's
    pending and dead event deliveries (``outbox``: plugin → counts, when known)."""
    outbox = outbox or {}
    required = set(plugins.required)

    def row(name: str, version: str, source: str, hooks: list[str], status: str,
            error: str) -> dict[str, Any]:
        counts = outbox.get(name, {})
        return {"name": name, "version": version, "source": source, "hooks": hooks,
                "required": name in required, "status": status, "error": error,
                "pending": counts.get("pending", 0), "dead": counts.get("dead", 0)}

    hook_errors: dict[str, str] = {}
    for message in plugins.failures:  # a loaded plugin whose registration hook failed
        if message.startswith("plugin '") and " failed in " in message:
            hook_errors.setdefault(message.split("'")[1], " ".join(message.split()))
    rows = [row(p.name, p.version, p.source, p.hooks, "loaded", hook_errors.get(p.name, ""))
            for p in plugins.infos.values()]
    for e in plugins.load_errors.values():
        if e.name not in plugins.infos:
            rows.append(row(e.name, e.version, e.source, [], "failed", e.error))
    for name, why in plugins.missing_required():
        if name not in plugins.load_errors:
            status = "disabled" if name in plugins.disabled else "missing"
            rows.append(row(name, "", "", [], status, why))
    return rows
