"""A plugin's validated settings (the ``[name]`` table of kam.toml) from a cache, while
nothing they were made from has changed.

Why: a plugin that declares its settings as a pydantic model (Acme does) made every
``kam opp show`` and ``kam opp advance`` import pydantic and build the model (~60-80 ms
of CPU, more than the rest of the command), only to fill in the same defaults for the
same table. The first command validates as before (:func:`kam.plugin_config.validated`)
and keeps the result with a fingerprint; later ones return it without running any
plugin's ``kam_register_config`` or importing pydantic.

Kept only when validation is a pure function of the table: the schema is a plain
pydantic model (no validators, ``default_factory``, custom ``__init__`` or
``model_post_init``, computed fields or custom serialisers anywhere in its core schema,
no pydantic-settings, which reads the environment), the result holds only text,
numbers, booleans, ``None``, ``Decimal``, lists and tables, and registering the schemas
raised nothing and clashed nowhere. A function schema is cheap and may do anything: it
is always called. A bad table is an error every time (never cached).

The fingerprint: the interpreter, ``sys.path`` and each of its folders' stat, the
loaded plugins (name, version, source, hooks), the whole kam.toml as the plugins saw
it and the table; and the files (path, size, mtime, mode) of every module of each
plugin that declares a schema, of pydantic and pydantic-core, and of any module loaded
while the schemas were registered. One file in the user's cache folder (as
kam.cli.help_cache) per fingerprint (named by its CRC-32, the fingerprint itself
inside: reading every entry of one shared file was ~2 ms of each command), the oldest
beyond a few removed; ``KAM_SETTINGS_CACHE=0`` switches it off; a cache that cannot be
read or written is ignored.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kam.cache_files import cache_folder, file_stat, write_whole

#: bump when the fingerprint or the file layout changes
_FORMAT = 2
#: entries kept (one per workspace and plugin, typically)
_KEEP = 16
#: core-schema node types that run code of the plugin's (validators, factories)
_CODE = ("function-", "call", "callable", "custom-error")


def _file(key: str) -> str | None:
    """The cache file of fingerprint ``key``."""
    folder = cache_folder()
    if folder is None:
        return None
    import zlib

    return os.path.join(folder, f"settings-{_FORMAT}-{zlib.crc32(key.encode()):08x}.marshal")


def context(config: dict[str, Any],
            plugins: list[tuple[str, str, str, tuple[str, ...]]]) -> str | None:
    """The key of the plugins' settings in this process (``config``: kam.toml as the
    plugins see it), or None when they are not cached."""
    if os.environ.get("KAM_SETTINGS_CACHE") == "0":
        return None
    return repr((_FORMAT, config, plugins, sys.version, sys.executable,
                 tuple((p, file_stat(p or ".")) for p in sys.path)))


def load(key: str) -> Any:
    """What :func:`store` kept under ``key``, or None (none, or a file has changed)."""
    path = _file(key)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            kept, files, value = marshal.load(fh)
        if kept != key or not isinstance(value, dict) or any(
                file_stat(f) != st for f, st in files):
            return None
    except (OSError, EOFError, ValueError, TypeError):
        return None  # none kept, or a file that is not this cache's
    return value


def store(key: str, files: set[str], value: Any) -> None:
    """Keep ``value`` (marshal's types) under ``key`` with the stat of ``files``; the
    oldest entries beyond :data:`_KEEP` go."""
    path = _file(key)
    if path is None:
        return
    write_whole(path, (key, tuple((f, file_stat(f)) for f in sorted(files)), value))
    folder, prefix = os.path.dirname(path), f"settings-{_FORMAT}-"
    try:
        kept = [os.path.join(folder, n) for n in os.listdir(folder)
                if n.startswith(prefix) and n.endswith(".marshal")]
        kept.sort(key=lambda f: os.stat(f).st_mtime_ns)
        for old in kept[:-_KEEP] if len(kept) > _KEEP else []:
            if old != path:
                os.unlink(old)
    except OSError:
        pass  # another kam removed it first


def module_files(prefixes: set[str]) -> set[str]:
    """The files of the loaded modules named ``prefix`` or ``prefix.…``."""
    out = set()
    for mod_name, module in list(sys.modules.items()):
        if mod_name.split(".", 1)[0] in prefixes:
            file = getattr(module, "__file__", None)
            if isinstance(file, str):
                out.add(file)
    return out


def own_files() -> set[str]:
    """The files of the code that validates and caches (a kam upgrade changes them)."""
    import kam.plugin_config

    return {__file__, kam.plugin_config.__file__}


def loaded_files() -> set[str]:
    """The files of every loaded module outside the standard library (which
    ``sys.version`` stands for), to see which ones a call loads."""
    stdlib = os.path.dirname(os.__file__)
    return {f for m in list(sys.modules.values())
            if isinstance(f := getattr(m, "__file__", None), str) and not f.startswith(stdlib)}


def pure(schema: Any) -> bool:
    """Whether validating with ``schema`` depends on the table alone: a pydantic model
    whose core schema runs none of the plugin's code (see the module docstring)."""
    core = getattr(schema, "__pydantic_core_schema__", None)
    if not isinstance(schema, type) or not isinstance(core, dict):
        return False
    if any(c.__module__.split(".", 1)[0] == "pydantic_settings" for c in schema.__mro__):
        return False
    return _pure_node(core)


def _pure_node(node: Any) -> bool:
    if isinstance(node, list | tuple):
        return all(_pure_node(n) for n in node)
    if not isinstance(node, dict):
        return True
    kind = node.get("type")
    if isinstance(kind, str) and kind.startswith(_CODE):
        return False
    if node.get("custom_init") or node.get("post_init") or "default_factory" in node:
        return False
    if node.get("computed_fields"):
        return False
    return all(_pure_node(v) for k, v in node.items() if k not in ("metadata", "cls", "ref"))


def encode(value: Any) -> Any:
    """``value`` in marshal's types, tagged; None when it holds anything else."""
    if value is None or type(value) in (bool, str, int, float):
        return ("v", value)
    if type(value) is Decimal:
        return ("d", str(value))
    if type(value) is list:
        items = [encode(v) for v in value]
        return None if any(i is None for i in items) else ("l", items)
    if type(value) is dict and all(type(k) is str for k in value):
        pairs = [(k, encode(v)) for k, v in value.items()]
        return None if any(v is None for _, v in pairs) else ("t", pairs)
    return None


_DECODE: dict[str, Callable[[Any], Any]] = {
    "v": lambda v: v,
    "d": Decimal,
    "l": lambda items: [decode(i) for i in items],
    "t": lambda pairs: {k: decode(v) for k, v in pairs},
}


def decode(encoded: Any) -> Any:
    tag, value = encoded
    return _DECODE[tag](value)
