"""The workspace's ``kam.toml``: read with tomllib, written by a small writer.

Only what kam writes needs writing: strings, numbers, booleans, lists of those,
and tables. ``get``/``set`` take dotted keys (``rules.margin_floor``).

Reading goes through :func:`parse`, which keeps what tomllib made of a file's text in the
user's cache folder: importing tomllib (its patterns, datetime) was ~4 ms of every
command, for a file that seldom changes.
"""

from __future__ import annotations

import copy
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

from kam.cache_files import cache_folder, write_whole
from kam.errors import InputError

FILE = "kam.toml"

DEFAULTS: dict[str, Any] = {
    "backend": "sqlite",
    "currency": "CNY",
    "language": "zh",
    "pipeline": "six_stage",
    "user": "",
    "plugins_dir": "",
    "rules": {
        # gross margin below this percentage fails the bidding gate (quit and write the summary)
        "margin_floor": 10,
        # a forced advance multiplies the stage's default probability by (100 - this) %
        "force_penalty": 50,
        # delivery waits while a down payment is overdue (款到发货), unless --force --reason
        "hold_delivery_until_advance": True,
    },
}


#: written into kam.toml while it has no [roles] table (kam init, kam config set)
ROLES_EXAMPLE = """
# Who holds which approval role (审批权限). Without a [roles] table any user but the
# owner may approve; with one, only a holder of the role. Names as in KAM_USER.
# [roles]
# "张伟" = ["sales_manager"]
# "刘洋" = ["sales_director", "management"]   # management approves I/VI deals (立项)
# "王建华" = ["general_manager"]
"""

#: a key TOML writes bare (compiled by ``re``, and cached there, when kam.toml is written)
_BARE_KEY = r"[A-Za-z0-9_-]+"


def without_password(dsn: str) -> str:
    """A libpq connection string or URI without its password: kam.toml never holds one
    (it comes from ``KAM_DSN``, ``PGPASSWORD``, ``~/.pgpass`` or a service file)."""
    if "://" not in dsn:
        return re.sub(r"\s*\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", "", dsn).strip()
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(dsn)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, hosts = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{hosts}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "password"])
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def merged(data: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(DEFAULTS)
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


class BadToml(ValueError):
    """Text tomllib refuses; the message is tomllib's (``TOMLDecodeError``)."""


#: bump when the layout of the parsed-files cache changes
_PARSED_FORMAT = 1
#: parsed files kept (one per workspace, typically)
_PARSED_KEEP = 16
#: the types of what is kept: marshal's, and all a kam.toml without dates holds
_PLAIN = (str, int, float, bool)


def parse(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, from the cache when this very text (on this Python) was
    parsed before; :class:`BadToml` for what tomllib refuses. Kept only when every value
    is text, a number, a boolean, a list or a table (a date is parsed every time);
    ``KAM_SETTINGS_CACHE=0`` switches the cache off, and one that cannot be read or
    written is ignored."""
    path = _parsed_file()
    key = (sys.version, text)
    entries: dict[Any, Any] = {}
    if path is not None:
        try:
            with open(path, "rb") as fh:
                loaded = marshal.load(fh)
            if isinstance(loaded, dict):
                entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none kept, or a file that is not this cache's
        hit = entries.get(key)
        if isinstance(hit, dict):
            return hit
    import tomllib

    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadToml(str(exc)) from None
    if path is not None and _plain(value):
        entries.pop(key, None)
        while len(entries) >= _PARSED_KEEP:
            del entries[next(iter(entries))]
        entries[key] = value
        write_whole(path, entries)
    return value


def _parsed_file() -> str | None:
    folder = cache_folder()
    if folder is None or os.environ.get("KAM_SETTINGS_CACHE") == "0":
        return None
    return os.path.join(folder, f"toml-{_PARSED_FORMAT}.marshal")


def _plain(value: Any) -> bool:
    """Whether marshal keeps ``value`` as it is (dates and times it cannot)."""
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if type(value) is list:
        return all(_plain(v) for v in value)
    return type(value) in _PLAIN


def load(folder: Path, *, checked: bool = True) -> dict[str, Any]:
    """kam.toml merged over the defaults, checked against kam.config_schema (a bad value
    is one line naming the key, exit 2); ``checked=False`` for ``config set``, which
    must be able to repair a bad value."""
    path = folder / FILE
    try:
        with path.open("rb") as fh:
            data = fh.read()
        config = merged(parse(data.decode()))  # as tomllib.load reads a binary file
    except BadToml as exc:
        raise InputError(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    if checked:
        from kam.config_schema import check

        check(config, str(path))
    return config


def get(config: dict[str, Any], key: str) -> Any:
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise InputError(f"no config key {key!r}")
        node = node[part]
    return node


def set_value(config: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    if not all(p.replace("_", "").replace("-", "").isalnum() for p in parts):
        raise InputError(f"config key {key!r}: use letters, digits, '_' and '.'")
    node = config
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise InputError(f"config key {key!r}: {part} is not a table")
    node[parts[-1]] = value


def coerce(text: str) -> Any:
    """Turn ``config set`` text into a TOML value: a JSON list, ints, booleans, else text."""
    if text.startswith("["):
        import json

        try:
            value = json.loads(text)
        except ValueError:
            raise InputError(f"{text!r} is not a list like [\"a\", \"b\"]") from None
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise InputError(f"{text!r}: a list of strings or integers")
        return value
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def _key(key: str) -> str:
    """A TOML key: bare when it can be, else quoted (user names: ``"张伟"``)."""
    return key if re.fullmatch(_BARE_KEY, key) else _scalar(str(key))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def dumps(config: dict[str, Any], prefix: str = "") -> str:
    lines = [f"{_key(k)} = {_scalar(v)}" for k, v in config.items()
             if not isinstance(v, dict)]
    for k, v in config.items():
        if isinstance(v, dict):
            name = f"{prefix}{_key(k)}"
            lines.append(f"\n[{name}]")
            lines.append(dumps(v, prefix=f"{name}.").rstrip("\n"))
    return "\n".join(line for line in lines if line != "") + "\n"


def save(folder: Path, config: dict[str, Any]) -> None:
    """Write atomically, owner-only (with the commented [roles] example, until there is
    a [roles] table)."""
    path = folder / FILE
    text = dumps(config) + ("" if "roles" in config else ROLES_EXAMPLE)
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
