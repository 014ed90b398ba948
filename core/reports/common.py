"""What every report builder shares: the report shell, exact arithmetic, periods,
and the display maps that show enum keys in the workspace's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kam.i18n import pick
from kam.reports import Report, Table

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def new_report(ws: Any, name: str, zh: str, en: str, **meta: Any) -> Report:
    """An empty report titled in the workspace's language, dated ``ws.today``."""
    return Report(name, pick(ws.lang, zh, en), ws.today.isoformat(), [],
                  {"workspace": workspace_name(ws), **meta}, lang=ws.lang)


def workspace_name(ws: Any) -> str:
    """The workspace's name (config ``name``, else its folder's name): no absolute
    paths in reports, so output is the same wherever the workspace lives."""
    return str(ws.config.get("name") or ws.path.name)


def tr(ws: Any, zh: str, en: str) -> str:
    return pick(ws.lang, zh, en)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weighted(amount: Decimal | None, probability: int | None) -> Decimal:
    """One deal's weighted amount (amount × probability), to the cent."""
    return cents((amount or ZERO) * Decimal(probability or 0) / 100)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part / whole`` as a percentage with two places; None when ``whole`` is 0."""
    if not whole:
        return None
    return cents(Decimal(part) * 100 / Decimal(whole))


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole or whole <= 0:
        return None
    return cents(Decimal(part) / Decimal(whole))


def median(values: list[int]) -> Decimal | None:
    """The median of whole days: exact (``2.5``, never a float)."""
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    if len(s) % 2:
        return Decimal(s[mid])
    m = Decimal(s[mid - 1] + s[mid]) / 2
    return m.to_integral_value() if m == m.to_integral_value() else m


def day(value: Any) -> dt.date | None:
    """A date from a stored date or an ISO datetime text (events' ``at``)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def month_of(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def quarter_of(d: dt.date) -> str:
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


def week_of(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def stage_display(ws: Any, pipeline: Any) -> dict[str, str]:
    shown = {s.key: s.label(ws.lang) for s in pipeline.stages}
    shown["completed"] = tr(ws, "已结项", "completed")
    shown["total"] = tr(ws, "合计", "total")
    return shown


_VOCAB_SHOWN: dict[tuple[str, str], dict[str, str]] = {}


def vocab_display(ws: Any, name: str) -> dict[str, str]:
    """An enum vocabulary's keys as shown in the workspace's language (a fresh dict; the
    labels are looked up once per language: reports ask per row)."""
    key = (ws.lang, name)
    shown = _VOCAB_SHOWN.get(key)
    if shown is None:
        from kam.vocab import VOCAB

        shown = _VOCAB_SHOWN[key] = {k: pick(ws.lang, zh, k)
                                     for k, (zh, _en) in VOCAB.get(name, {}).items()}
    return dict(shown)


def pairs_table(ws: Any, name: str, title: str, items: list[tuple[str, Any]],
                labels: str | dict[str, tuple[str, str]],
                values: dict[str, str] | None = None) -> Table:
    """A card section: one row per field (``field``/``value``), labelled in the language:
    by the declaration of the record kind ``labels`` names (kam.kinds), or by a form's own
    ``labels`` (zh, en) for keys that are no record's fields."""
    from kam.kinds import KINDS
    from kam.reports.labels import header

    rows = [{"field": key, "value": value} for key, value in items]
    if isinstance(labels, str):
        declared = KINDS[labels]
        shown = {k: declared.header(k, ws.lang) if declared.field(k) else header(k, ws.lang)
                 for k, _ in items}
    else:
        shown = {k: pick(ws.lang, zh, en) for k, (zh, en) in labels.items()}
    return Table(name, ["field", "value"], rows, title=title,
                 headers={"field": tr(ws, "项目", "Field"), "value": tr(ws, "内容", "Value")},
                 display={"field": shown, "value": values or {}})


def scan(ws: Any, kind: str, fields: Iterable[str], where: dict[str, Any] | None = None,
         order_by: tuple[str, ...] = ("id",), limit: int | None = None
         ) -> Iterable[dict[str, Any]]:
    """Stream records of a kind with (at least) ``fields`` (the first ``limit``): through
    the backend's optional ``select`` fast path (reads only those columns) when it has
    one, else through the protocol's ``find``. Reports that scan a whole kind use this."""
    from kam.storage import Selecting

    if isinstance(ws.storage, Selecting):
        return ws.storage.select(kind, list(fields), where, order_by, limit=limit)
    return ws.storage.find(kind, where, order_by=order_by, limit=limit)


def customer_names(ws: Any, ids: set[str]) -> dict[str, str]:
    """Customer names by id, read in batches (one query per 500, not one per customer)."""
    out: dict[str, str] = dict.fromkeys(ids, "")
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for rec in scan(ws, "customer", ("id", "name"), {"id__in": chunk}, order_by=()):
            out[rec["id"]] = rec["name"]
    return out


def distinct(ws: Any, kind: str, field: str, where: dict[str, Any] | None = None) -> set[Any]:
    """The distinct values of one field among the records ``where`` selects."""
    from kam.storage import Selecting

    if isinstance(ws.storage, Selecting):
        return {r[field] for r in ws.storage.select(kind, [field], where, (), distinct=True)}
    return {r[field] for r in ws.storage.find(kind, where, order_by=())}
