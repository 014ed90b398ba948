"""A record value's *stored form* (存储形式): what SQLite keeps and what ``kam export``
writes from — money as integer cents, booleans 0/1, dates and decimals as ISO text,
json as its canonical text (``ensure_ascii=False, sort_keys=True``).

One definition for the SQLite backend's writes and the export/import's rows, so the two
cannot drift apart (a plugin may import core helpers; core never imports a plugin).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kam.kinds import Kind

#: any value → its canonical json text (the encoder made once; ``json.dumps`` makes one
#: per call)
JSON_TEXT: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, sort_keys=True,
                                                   default=str).encode


def _json_text_parsed() -> Callable[[Any], str]:
    """``JSON_TEXT`` through the C encoder made once (``encode`` makes one per call), for
    values parsed from JSON (no cycles, so no cycle check, nothing for ``default``)."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)  # the C accelerator, absent on PyPy
    if make is None:
        return JSON_TEXT
    chunks = make(None, str, encoder.encode_basestring, None, ": ", ", ", True, False, True)
    return lambda value: "".join(chunks(value, 0))


#: a value parsed from JSON → the same text ``JSON_TEXT`` gives, faster
JSON_TEXT_PARSED: Callable[[Any], str] = _json_text_parsed()


class JsonText(str):
    """A json field's value as its canonical text — :data:`JSON_TEXT` of the value
    (``ensure_ascii=False, sort_keys=True``), as SQLite stores it — instead of decoded. A
    csv cell of a dict, or of a list not all texts, is exactly that text
    (kam.column_text), so a csv list skips decoding and encoding it again
    (:class:`kam.storage.StoredTextPages`; kam.storage and kam.fast_paths name it too)."""

    __slots__ = ()


def to_stored(ftype: str, value: Any) -> Any:
    """One record value of a field type (kam.kinds) → its stored form."""
    if value is None:
        return None
    if ftype == "money":
        return int((Decimal(value) * 100).to_integral_value())
    if ftype == "bool":
        return 1 if value else 0
    if ftype == "json":
        return JSON_TEXT(value)
    if ftype in ("date", "datetime"):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if ftype == "decimal":
        return str(value)
    return value


#: stored value (not None) → record value, per field type (the inverse of ``to_stored``);
#: absent = as stored
FROM_STORED: dict[str, Callable[[Any], Any]] = {
    "money": lambda cents: Decimal(cents).scaleb(-2), "bool": bool,
    "json": json.loads, "date": dt.date.fromisoformat, "decimal": Decimal}


def load_columns(depth: int, kind_name: str) -> tuple[Kind, list[str]]:
    """``BulkLoad.load_rows``' guard, one for every backend: stored rows are written only
    inside ``storage.transaction()`` (``depth``: how deep the backend is in one); the
    kind and its columns in stored-row order."""
    from kam.errors import StorageError
    from kam.storage import kind

    if depth == 0:
        raise StorageError("writes must happen inside storage.transaction()")
    k = kind(kind_name)
    return k, [f.name for f in k.fields]


def update_types(kind_name: str, changes: Mapping[str, Any]) -> tuple[Kind, dict[str, str]]:
    """``Storage.update``'s guard, one for every backend: the id and unknown fields are
    never updated; the kind and its field types (field → type) to store the changes."""
    from kam.errors import StorageError
    from kam.storage import kind

    k = kind(kind_name)
    types = {f.name: f.type for f in k.fields}
    bad = set(changes) - set(types) | ({"id"} & set(changes))
    if bad:
        raise StorageError(f"cannot update {k.name} field(s) {', '.join(sorted(bad))}")
    return k, types


def payload_kinds(kinds: Sequence[str], key: str) -> list[str]:
    """``EventValues.event_values``' guard, one for every backend: the payload ``key``
    goes into SQL as a name, so it must be one; the event kinds to read ([]: none)."""
    if not key.isidentifier():
        raise ValueError(f"not a payload key: {key!r}")
    return list(kinds)
