"""Workspace administration: init, config, plugins."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kam import config as kam_config
from kam.errors import InputError
from kam.plugin_manager import Plugins


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
        if lang not in ("zh", "en"):
            raise InputError(f"--lang: {lang!r} must be zh or en")
        cfg["language"] = lang
    if pipeline:
        if pipeline not in plugins.pipelines().items:
            known = ", ".join(sorted(plugins.pipelines().items))
            raise InputError(f"--pipeline: unknown pipeline {pipeline!r}; registered: {known}")
        cfg["pipeline"] = pipeline
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
    if key == "language" and typed not in ("zh", "en"):
        raise InputError("language must be zh or en")
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
        with ws.writing():
            if _no_data(ws):
                kam_config.save(path, raw)
                return typed
            with ws.mutation("config.changed", "config",
                             {"key": key, "old": old, "new": typed, "by": ws.actor}):
                kam_config.save(path, raw)
    finally:
        if own:
            ws.close()
    return typed


def _no_data(ws: Any) -> bool:
    from kam.kinds import KINDS

    storage = ws.storage
    if any(storage.count(k.name) for k in KINDS.values()):
        return False
    return next(iter(storage.events(limit=1)), None) is None


def plugin_rows(plugins: Plugins) -> list[dict[str, Any]]:
    rows = [
        {"name": p.name, "version": p.version, "source": p.source, "hooks": p.hooks,
         "status": "loaded"}
        for p in plugins.infos.values()
    ]
    rows += [{"name": msg.split("'")[1] if "'" in msg else msg, "version": "", "source": "",
              "hooks": [], "status": msg} for msg in plugins.failures]
    return rows
