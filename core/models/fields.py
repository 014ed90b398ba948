"""The field parsers behind the models' annotated types (kam.models.types), without
pydantic: the activity's draft (kam.models.activity_draft) checks with the very same
functions, so ``kam activity log`` need not import pydantic."""

from __future__ import annotations

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


def money(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return values.money(v, "amount")
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def percent(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return values.percent(v, "percent", lo=-100, hi=100)
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def date(v: Any) -> Any:
    if v is None or v == "":
        return None
    try:
        return values.date(v)
    except KamError as exc:
        raise ValueError(str(exc).split(": ", 1)[-1]) from None


def text(v: Any) -> Any:
    if v is None:
        return None
    from kam.text import FORBIDDEN, describe

    clean = str(v).strip()
    found = FORBIDDEN.search(clean)
    if found is not None:
        raise ValueError(f"contains the control character {describe(found.group())}")
    return clean or None
