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


def config_set(path: Path, key: str, value: str) -> Any:
    raw = kam_config.load(path)
    typed = kam_config.coerce(value)
    if key == "language" and typed not in ("zh", "en"):
        raise InputError("language must be zh or en")
    kam_config.set_value(raw, key, typed)
    kam_config.save(path, raw)
    return typed


def plugin_rows(plugins: Plugins) -> list[dict[str, Any]]:
    rows = [
        {"name": p.name, "version": p.version, "source": p.source, "hooks": p.hooks,
         "status": "loaded"}
        for p in plugins.infos.values()
    ]
    rows += [{"name": msg.split("'")[1] if "'" in msg else msg, "version": "", "source": "",
              "hooks": [], "status": msg} for msg in plugins.failures]
    return rows
