"""The field parsers behind the models' annotated types (kam.models.types), without
pydantic: the activity's draft (kam.models.activity_draft) checks with the very same
functions, so ``kam activity log`` need not import pydantic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kam import values, vocab
from kam.errors import KamError


def enum(name: str, v: Any) -> Any:
    """The key of vocabulary ``name`` that ``v`` (a key or a zh/en label) names."""
    if v is None or v == "":
        return None
    try:
        return vocab.parse(name, v)
    except KamError as exc:
        raise ValueError(str(exc)) from None


def _parsed(parse: Callable[[Any], Any], v: Any) -> Any:
    """``parse(v)`` for a value given (None or empty: None); its error as a ValueError
    without the field name (the model names the field)."""
    if v is None or v == "":
        return None
    try:
        return parse(v)
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def money(v: Any) -> Any:
    return _parsed(lambda x: values.money(x, "amount"), v)


def percent(v: Any) -> Any:
    return _parsed(lambda x: values.percent(x, "percent", lo=-100, hi=100), v)


def date(v: Any) -> Any:
    return _parsed(values.date, v)


def text(v: Any) -> Any:
    if v is None:
        return None
    from kam.text import FORBIDDEN, describe

    clean = str(v).strip()
    found = FORBIDDEN.search(clean)
    if found is not None:
        raise ValueError(f"contains the control character {describe(found.group())}")
    return clean or None
