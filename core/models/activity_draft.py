"""The activity (拜访/跟进) ``kam activity log`` stores, checked without pydantic.

Why: importing pydantic and building the Activity model cost ~60-100 ms of CPU per
``kam activity log``, more than the rest of the command. :func:`draft` applies the
model's own field parsers (kam.models.fields) to the plain inputs the service hands it
and returns what ``Activity.model_validate(data).model_dump()`` returns; for anything
else — an error, a missing or extra field, a value of another type — it returns None
and the model decides, so every refusal is word for word the model's.
tests/test_activity_draft.py checks the two agree on random inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kam.models import fields

_TEXT, _DATE = fields.text, fields.date


def _enum(name: str, required: bool = False) -> Callable[[Any], Any]:
    def parse(v: Any) -> Any:
        key = fields.enum(name, v)
        if key is None and required:
            raise ValueError("required")
        return key

    return parse


def _exact(kind: type) -> Callable[[Any], Any]:
    def parse(v: Any) -> Any:
        if type(v) is not kind:
            raise ValueError("not exactly the type")
        return v

    return parse


def _strings(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(v: Any) -> Any:
        if type(v) is not list:
            raise ValueError("not a list")
        return [item(i) for i in v]

    return parse


def _optional_str(v: Any) -> Any:
    return v if v is None else _exact(str)(v)


#: the model's fields in its order: name → (parser, required)
_FIELDS: dict[str, tuple[Callable[[Any], Any], bool]] = {
    "id": (_exact(str), True),
    "opportunity_id": (_TEXT, False),
    "customer_id": (_exact(str), True),
    "lead_id": (_TEXT, False),
    "type": (_enum("activity_type", required=True), True),
    "date": (_exact(dt.date), True),
    "owner": (_TEXT, False),
    "contact_ids": (_strings(_exact(str)), False),
    "outcome": (_enum("outcome"), False),
    "note": (_TEXT, False),
    "next_step": (_TEXT, False),
    "next_due": (_DATE, False),
    "signals": (_strings(_enum("buying_signal", required=True)), False),
    "closing": (_enum("closing_method"), False),
    "created_at": (_optional_str, False),
}
#: the model's defaults (lists fresh each time)
_LISTS = ("contact_ids", "signals")


def draft(data: dict[str, Any]) -> dict[str, Any] | None:
    """``Activity.model_validate(data).model_dump()``, or None: let the model decide."""
    if not data.keys() <= _FIELDS.keys():
        return None
    out: dict[str, Any] = {}
    try:
        for name, (parse, required) in _FIELDS.items():
            if name in data:
                out[name] = parse(data[name])
            elif required:
                return None
            else:
                out[name] = [] if name in _LISTS else None
    except Exception:  # noqa: BLE001 - any doubt: the model answers
        return None
    out["signals"] = list(dict.fromkeys(out["signals"]))
    return out
