"""One stored value checked against its field's type (kinds.py), by kam's one grammar.

``kam import`` decodes every cell with :func:`decode` before anything is written, so
a wrong-typed cell refuses the whole import (exit 2) instead of breaking later
commands. Field types come from :mod:`kam.kinds`; json fields also have a shape
(list of objects, list of ids, object) kept here, since a json cell of the wrong
shape is as broken as a number in a date column.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kam import text as kam_text
from kam import values
from kam.errors import InputError
from kam.kinds import EVENT, KINDS

#: json field → shape, as kam.kinds declares it: "[{}]" a list of objects, "[str]" a
#: list of texts, "{}" an object, "{str}" an object of texts
JSON_SHAPES: dict[str, str] = {f.name: f.shape for k in (*KINDS.values(), EVENT)
                               for f in k.fields if f.type == "json" and f.shape}
#: (kind, field) → the vocabulary (kam.vocab) whose keys are its only stored values, as
#: kam.kinds declares it; a json list field (contact roles) holds keys of it. Stages
#: depend on the deal's pipeline and are not enumerated.
ENUMS: dict[tuple[str, str], str] = {(k.name, f.name): f.vocab for k in KINDS.values()
                                     for f in k.fields if f.vocab}
_ID = re.compile(r"[A-Z]{2}[0-9]{1,15}")


def enum_value(kind: str, name: str, value: Any) -> Any:
    """A stored enum value must be one of its vocabulary's keys (labels are input only)."""
    vocab_name = ENUMS.get((kind, name))
    if vocab_name is None or value is None:
        return value
    from kam.vocab import VOCAB

    keys = VOCAB.get(vocab_name)
    if keys is None:
        return value
    for item in value if isinstance(value, list) else [value]:
        if item not in keys:
            raise ValueError(f"{item!r} is not a {vocab_name} (one of: {', '.join(keys)})")
    return value


def record_id(text: str, prefix: str, kind: str) -> str:
    """A record id of ``kind``: its prefix and 1–15 ASCII digits (``OP12``)."""
    if not (_ID.fullmatch(text) and text.startswith(prefix)):
        raise ValueError(f"{text!r} is not a {kind} id")
    return text


def _shape_ok(shape: str, value: Any) -> bool:
    if shape == "[{}]":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if shape == "[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if shape == "{}":
        return isinstance(value, dict)
    if shape == "{str}":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    return isinstance(value, list | dict)


_SHAPE_WORDS = {"[{}]": "a list of objects", "[str]": "a list of texts", "{}": "an object",
                "{str}": "an object of texts"}


def _json(name: str, text: str) -> Any:
    try:
        value = json.loads(text, parse_float=lambda s: _float(s, name),
                           parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise ValueError(f"{text[:60]!r} is not valid JSON") from None
    shape = JSON_SHAPES.get(name, "")
    if not _shape_ok(shape, value):
        raise ValueError(f"{text[:60]!r} is not {_SHAPE_WORDS.get(shape, 'a list or object')}")
    _check_strings(value, name)
    return value


def _float(text: str, name: str) -> float:
    """A JSON number with a fraction stays a float (as stored), if it is a sane one."""
    values.number(text, name)
    return float(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _check_strings(value: Any, name: str) -> None:
    """Texts inside json cells follow the text rule too (no CR, NUL, ESC …)."""
    if isinstance(value, str):
        kam_text.check(value, name)
    elif isinstance(value, dict):
        for k, v in value.items():
            kam_text.check(k, name)
            _check_strings(v, name)
    elif isinstance(value, list):
        for v in value:
            _check_strings(v, name)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= values.MAX_INT:
        raise ValueError(f"{value} is too large")


def decode(name: str, ftype: str, text: str) -> Any:
    """A cell's text → the stored value; ``ValueError`` says what is wrong with it."""
    if text == "":
        return None
    try:
        if ftype == "text":
            return kam_text.check(text, name)
        if ftype == "money":
            return values.money(text, name, allow_negative=True)
        if ftype == "decimal":
            return values.number(text, name)
        if ftype == "int":
            return values.integer(text, name)
        if ftype == "date":
            return values.date(text, name)
        if ftype == "datetime":
            return values.timestamp(text, name)
        if ftype == "bool":
            if text in ("true", "false"):
                return text == "true"
            raise ValueError(f"{text!r} is not true or false")
        if ftype == "json":
            return _json(name, text)
    except InputError as exc:
        raise ValueError(str(exc).removeprefix(f"{name}: ")) from None
    raise ValueError(f"unknown field type {ftype}")
