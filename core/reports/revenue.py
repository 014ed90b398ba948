"""Customer revenue classes per period (客户收入分类), from payments (回款) on contracts.

A customer's revenue in a period is what it paid in it (payments dated in the period,
in their currency; a payment's owner is its contract's owner). Against the period
before:

- 经常性收入 recurring = min(this period, last period): what the customer brought again;
- 新增收入 new = this period − last period, when above 0 (growth; a new customer's all);
- 流失收入 churned = last period − this period, when above 0 (what fell away);
- 客户累计收入 cumulative = every payment up to the end of the period.

So this period = recurring + new, and last period = recurring + churned, per row and in
the totals. A customer shows from its first paying period on, with zeros once lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from kam.errors import InputError
from kam.output import LazyList
from kam.reports import Table
from kam.reports.common import ZERO, month_of, quarter_of, scan, tr

COLUMNS = ["period", "customer_id", "customer", "owner", "currency", "revenue", "recurring",
           "new", "churned", "cumulative"]
HEADERS = {"revenue": ("本期收入", "Revenue"), "recurring": ("经常性收入", "Recurring"),
           "new": ("新增收入", "New"), "churned": ("流失收入", "Churned"),
           "cumulative": ("客户累计收入", "Cumulative")}


def period_of(by: str, d: dt.date) -> str:
    if by == "month":
        return month_of(d)
    if by == "year":
        return f"{d.year:04d}"
    return quarter_of(d)


def shift(by: str, period: str, n: int) -> str:
    """The period ``n`` steps later (earlier when ``n`` < 0)."""
    year = int(period[:4])
    if by == "year":
        return f"{year + n:04d}"
    if by == "month":
        i = year * 12 + int(period[5:7]) - 1 + n
        return f"{i // 12:04d}-{i % 12 + 1:02d}"
    i = year * 4 + int(period[6]) - 1 + n
    return f"{i // 4:04d}-Q{i % 4 + 1}"


def revenue_rows(ws: Any, *, customer: str | None = None, owner: str | None = None,
                 currency: str | None = None, by: str | None = None,
                 periods: int = 4) -> list[dict[str, Any]]:
    """The four classes per customer, owner, currency and period, for the ``periods``
    periods ending with today's."""
    return list(_Classes(ws, customer=customer, owner=owner, currency=currency, by=by,
                         periods=periods).rows())


def revenue_section(ws: Any, *, customer: str | None = None, owner: str | None = None,
                    currency: str | None = None, by: str | None = None) -> Table:
    """:func:`revenue_table` of :func:`revenue_rows` with the rows made as they are written
    (a big team has ~80k of them) and the totals summed without holding them."""
    classes = _Classes(ws, customer=customer, owner=owner, currency=currency, by=by)
    sums: dict[tuple[str, str], list[Decimal]] = {}  # the columns of HEADERS, in order
    count = 0
    for period, (_cu, _who, cur), now, was, total in classes.classes():
        count += 1
        t = sums.get((period, cur))
        if t is None:
            t = sums[(period, cur)] = [ZERO] * len(HEADERS)
        t[0] += now
        t[1] += min(now, was)
        t[2] += max(now - was, ZERO)
        t[3] += max(was - now, ZERO)
        t[4] += total
    totals = [_total({}, period, cur) | dict(zip(HEADERS, sums[(period, cur)], strict=True))
              for period, cur in sorted(sums)]
    table = revenue_table(ws, LazyList(count, classes.rows), totals)
    table.numeric = list(HEADERS) if count else []
    return table


class _Classes:
    """Payments summed per (customer, owner, currency) and period (by the database when it
    can, kam.storage.PaymentSums), and the classes made from them on each pass."""

    def __init__(self, ws: Any, *, customer: str | None, owner: str | None,
                 currency: str | None, by: str | None, periods: int = 4) -> None:
        from kam.reports.aggregates import payment_aggregates

        self.by = by = (by or "quarter").strip().lower()
        if by not in ("month", "quarter", "year"):
            raise InputError(f"--by: {by!r} must be month, quarter or year")
        last = period_of(by, ws.today)
        self.shown = [shift(by, last, -i) for i in range(periods - 1, -1, -1)]
        where: dict[str, Any] = {"date__le": ws.today}
        if customer:
            where["customer_id"] = customer.strip().upper()
        if currency:
            where["currency"] = currency.strip().upper()
        contract_where = {"customer_id": customer.strip().upper()} if customer else {}
        paid: dict[tuple[str, str, str], dict[str, Decimal]] = {}  # key → period → sum
        for cu, who, cur, period, amount in payment_aggregates(ws).payment_sums(
                by, where, contract_where):
            if owner and who != owner:
                continue
            cell = paid.setdefault((cu, who, cur), {})
            cell[period] = cell.get(period, ZERO) + amount
        # per key in the rows' order: every payment before the first shown period, and
        # the sums of the period before it and of each shown one (the shown periods
        # follow each other) — each pass over the rows reads these, not the dicts
        first = self.shown[0] if self.shown else ""
        wanted = [shift(by, first, -1), *self.shown] if self.shown else []
        self.keys = sorted(paid)
        self.before = [sum((v for k, v in paid[key].items() if k < first), ZERO)
                       for key in self.keys]
        self.amounts = [tuple([paid[key].get(p, ZERO) for p in wanted]) for key in self.keys]
        self.names = {c["id"]: c["name"] for c in scan(
            ws, "customer", ("id", "name"), {"id__in": sorted({k[0] for k in paid})},
            order_by=("id",))} if paid else {}

    def classes(self) -> Iterator[tuple[str, tuple[str, str, str], Decimal, Decimal,
                                        Decimal]]:
        """(period, key, this period, last period, cumulative) of each row, in order."""
        running = list(self.before)  # every payment up to the end of the period
        keys, amounts = self.keys, self.amounts
        for j, period in enumerate(self.shown):
            for i, key in enumerate(keys):
                sums = amounts[i]
                now = sums[j + 1]
                total = running[i] = running[i] + now
                if total == 0:
                    continue
                yield period, key, now, sums[j], total

    def rows(self) -> Iterator[dict[str, Any]]:
        names = self.names
        for period, (cu, who, cur), now, was, total in self.classes():
            yield {"period": period, "customer_id": cu, "customer": names.get(cu, ""),
                   "owner": who, "currency": cur, "revenue": now,
                   "recurring": min(now, was), "new": max(now - was, ZERO),
                   "churned": max(was - now, ZERO), "cumulative": total}


def _total(sums: dict[tuple[str, str], dict[str, Any]], period: str,
           currency: str) -> dict[str, Any]:
    return sums.setdefault((period, currency), {
        "period": period, "customer_id": "total", "currency": currency,
        **{k: ZERO for k in HEADERS}})


def revenue_table(ws: Any, rows: Sequence[dict[str, Any]],
                  totals: list[dict[str, Any]] | None = None) -> Table:
    """The classes as one table, with totals per period and currency (summed from the rows
    unless given)."""
    if totals is None:
        sums: dict[tuple[str, str], dict[str, Any]] = {}
        for r in rows:
            t = _total(sums, r["period"], r["currency"])
            for k in HEADERS:
                t[k] += r[k]
        totals = [sums[k] for k in sorted(sums)]
    return Table("revenue", COLUMNS, rows, totals,
                 title=tr(ws, "客户收入分类（按回款）",
                          "Customer revenue by class (from payments)"),
                 headers={k: tr(ws, *v) for k, v in HEADERS.items()},
                 display={"customer_id": {"total": tr(ws, "合计", "total")}})
