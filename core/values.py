"""Parsing money, numbers, percentages and dates from user text — exact, never float.

One grammar for every entry point (command line, ``kam import`` cells, kam.toml,
plugin fields), documented in docs/guide.md ("Numbers and dates"). Every function
raises :class:`kam.errors.InputError` naming the field, so the CLI prints one clear
line and exits 2.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, cast

from kam.errors import InputError

CENT = Decimal("0.01")
#: 10^15: beyond any contract; as integer cents (SQLite) it stays far inside int64, and
#: 15 integer digits + 2 places fit every backend's exact column (CSV text, NUMERIC)
MAX_AMOUNT = Decimal("1000000000000000")
#: whole numbers (counts, months, sequence numbers) stay below 10^15 as well
MAX_INT = 10**15
#: dates are years 1900–2999: room for any contract, and date arithmetic
#: (today + weeks, due dates + months) never leaves Python's date range
MIN_YEAR, MAX_YEAR = 1900, 2999


class _Lazy:
    """A module's pattern compiled on its first use, which then takes its place in the
    module (``namespace``, the module's globals): every command imports this module
    and most never parse a number or a date; compiling the patterns at import cost
    every start ~0.5 ms (kam.messages' ~2 ms)."""

    __slots__ = ("_namespace", "_name", "_pattern", "_flags")

    def __init__(self, namespace: dict[str, Any], name: str, pattern: str,
                 flags: int = 0) -> None:
        self._namespace, self._name = namespace, name
        self._pattern, self._flags = pattern, flags

    def __getattr__(self, attr: str) -> Any:
        compiled = re.compile(self._pattern, self._flags)
        self._namespace[self._name] = compiled
        return getattr(compiled, attr)


def lazy_pattern(namespace: dict[str, Any], name: str, pattern: str,
                 flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for the module global ``name`` of ``namespace``
    (a module's ``globals()``), compiled when first used: ``_X = lazy_pattern(globals(),
    "_X", r"...")``. Use it as the module global only (a copy taken before the first use
    stays the stand-in)."""
    return cast("re.Pattern[str]", _Lazy(namespace, name, pattern, flags))


#: a plain decimal: optional minus, ASCII digits, optional fraction, optional exponent
_NUMBER = lazy_pattern(globals(), "_NUMBER",
                       r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,4})?")
#: thousands separators: groups of exactly three digits after the first 1–3
_GROUPED = lazy_pattern(globals(), "_GROUPED", r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _ascii_only(text: str, value: object, field: str, what: str) -> None:
    """Fullwidth (１２) or Arabic-Indic (١٢) digits are refused, not guessed at:
    Python's Decimal and int would read them silently."""
    if not text.isascii():
        raise InputError(f"{field}: {value!r} is not {what} (use ASCII digits 0-9)")


def _decimal(value: object, field: str, what: str) -> Decimal:
    """Text → Decimal by the grammar: ``1200.5``, ``-3``, ``1,234,567.89`` (commas only
    between groups of three digits, so ``1,5`` is refused, never 15), ``1E+3``."""
    text = str(value).strip()
    _ascii_only(text, value, field, what)
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise InputError(f"{field}: {value!r} is not {what} (a comma may only separate "
                             "thousands, as in 1,234,567.89)")
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise InputError(f"{field}: {value!r} is not {what}")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{field}: {value!r} is not {what}") from None
    if not d.is_finite():
        raise InputError(f"{field}: {value!r} is not {what}")
    return d


def money(value: object, field: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """A money amount with two places (``"1,200.5"`` → ``Decimal("1200.50")``).

    More than two decimal places that matter (``100.005``) is refused, never rounded;
    ``100.500`` is 100.50. ``|amount| < 10^15``."""
    if isinstance(value, float | bool):
        raise InputError(f"{field}: money must be text or a Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal):
        d = value
        if not d.is_finite():
            raise InputError(f"{field}: {value!r} is not an amount")
    else:
        text = str(value).strip()
        if text.endswith(("元", "¥")):
            text = text[:-1].rstrip()
        elif text.startswith("¥"):
            text = text[1:].lstrip()
        d = _decimal(text, field, "an amount") if text else _decimal(value, field, "an amount")
    if d < 0 and not allow_negative:
        raise InputError(f"{field}: must not be negative ({value})")
    if abs(d) >= MAX_AMOUNT:
        raise InputError(f"{field}: {value} is too large (at most 999999999999999.99)")
    if d != d.quantize(CENT, rounding=ROUND_HALF_UP):
        # never round what a user typed: 100.005 is neither 100.00 nor 100.01
        raise InputError(f"{field}: {value} has more than two decimal places")
    d = d.quantize(CENT, rounding=ROUND_HALF_UP)
    return d if d else abs(d)  # never "-0.00"


def number(value: object, field: str = "number", *, lo: Decimal | int | None = None,
           hi: Decimal | int | None = None) -> Decimal:
    """A plain decimal (a margin, a rate, a quantity) by the same grammar as money, any
    number of places, ``|x| < 10^15`` unless ``lo``/``hi`` say tighter."""
    if isinstance(value, float | bool):
        raise InputError(f"{field}: {value!r} must be text or a Decimal")
    d = value if isinstance(value, Decimal) else _decimal(value, field, "a number")
    if not d.is_finite() or abs(d) >= MAX_AMOUNT:
        raise InputError(f"{field}: {value!r} is not a number below 10^15")
    if (lo is not None and d < lo) or (hi is not None and d > hi):
        raise InputError(f"{field}: {value!r} must be between {lo} and {hi}")
    return d


def integer(value: object, field: str = "number", *, lo: int = -MAX_INT + 1,
            hi: int = MAX_INT - 1) -> int:
    """A whole number in ASCII digits (``-3``, ``42``) within ``lo..hi``."""
    if isinstance(value, bool):
        raise InputError(f"{field}: {value!r} is not a whole number")
    if isinstance(value, int):
        n = value
    else:
        text = str(value).strip()
        _ascii_only(text, value, field, "a whole number")
        if not re.fullmatch(r"[-+]?\d{1,18}", text):
            raise InputError(f"{field}: {value!r} is not a whole number")
        n = int(text)
    if n < lo or n > hi:
        raise InputError(f"{field}: {value!r} must be between {lo} and {hi}")
    return n


def percent(value: object, field: str = "percent", *, lo: int = 0, hi: int = 100) -> Decimal:
    """A percentage like ``25``, ``"25%"`` or ``"12.5"``, within ``lo..hi``."""
    if isinstance(value, float | bool):
        raise InputError(f"{field}: {value!r} is not a percentage")
    text = str(value).strip()
    text = text[:-1].rstrip() if text.endswith("%") else text
    d = value if isinstance(value, Decimal) else _decimal(text, field, "a percentage")
    if not d.is_finite() or d < lo or d > hi:
        raise InputError(f"{field}: {value!r} must be between {lo} and {hi}")
    d = d.normalize()  # "12.50" → 12.5; keep integers plain: 10, never 1E+1
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


_ISO = lazy_pattern(globals(), "_ISO", r"\d{4}-\d{2}-\d{2}")


def _in_range(d: dt.date, value: object, field: str) -> dt.date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise InputError(f"{field}: {value!r} is outside the years {MIN_YEAR}–{MAX_YEAR}")
    return d


def date(value: object, field: str = "date") -> dt.date:
    """An ISO 8601 date (``2026-11-22``), years 1900–2999."""
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), value, field)
    if isinstance(value, dt.date):
        return _in_range(value, value, field)
    text = str(value).strip()
    if not (text.isascii() and _ISO.fullmatch(text)):
        raise InputError(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return _in_range(dt.date.fromisoformat(text), value, field)
    except ValueError:
        raise InputError(f"{field}: {value!r} is not a valid date") from None


_DATETIME = lazy_pattern(globals(), "_DATETIME",
                         r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                         r"(Z|[+-]\d{2}:\d{2})?")


def timestamp(value: object, field: str = "timestamp") -> str:
    """An ISO 8601 date-time as stored (``2026-11-22T09:30:00+00:00``), returned as text."""
    text = str(value).strip()
    if not (text.isascii() and _DATETIME.fullmatch(text)):
        raise InputError(f"{field}: {value!r} is not an ISO date-time")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{field}: {value!r} is not a valid date-time") from None
    _in_range(when.date(), value, field)
    return text


def fmt_money(d: Decimal | None) -> str:
    return "" if d is None else f"{d:.2f}"
