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
from decimal import Decimal
from typing import Any

from kam.errors import InputError
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
    by = (by or "quarter").strip().lower()
    if by not in ("month", "quarter", "year"):
        raise InputError(f"--by: {by!r} must be month, quarter or year")
    last = period_of(by, ws.today)
    shown = [shift(by, last, -i) for i in range(periods - 1, -1, -1)]
    # only the columns summed (contracts carry wide json; 150k payments on a big team)
    owners = {c["id"]: c.get("owner") or "" for c in scan(
        ws, "contract", ("id", "owner"),
        {"customer_id": customer.strip().upper()} if customer else {}, order_by=())}
    paid: dict[tuple[str, str, str], dict[str, Decimal]] = {}  # (cu, owner, cur) → period → sum
    where: dict[str, Any] = {"date__le": ws.today}
    if customer:
        where["customer_id"] = customer.strip().upper()
    if currency:
        where["currency"] = currency.strip().upper()
    for p in scan(ws, "payment", ("id", "contract_id", "customer_id", "currency", "date",
                                  "amount"), where, order_by=()):
        who = owners.get(p["contract_id"], "")
        if owner and who != owner:
            continue
        cell = paid.setdefault((p["customer_id"], who, p["currency"]), {})
        key = period_of(by, p["date"])
        cell[key] = cell.get(key, ZERO) + p["amount"]
    names = {c["id"]: c["name"] for c in ws.storage.find(
        "customer", {"id__in": sorted({k[0] for k in paid})}, order_by=("id",))} if paid else {}
    rows = []
    for period in shown:
        for (cu, who, cur), by_period in sorted(paid.items()):
            before = shift(by, period, -1)
            now, was = by_period.get(period, ZERO), by_period.get(before, ZERO)
            total = sum((v for k, v in by_period.items() if k <= period), ZERO)
            if total == 0:
                continue
            rows.append({"period": period, "customer_id": cu, "customer": names.get(cu, ""),
                         "owner": who, "currency": cur, "revenue": now,
                         "recurring": min(now, was), "new": max(now - was, ZERO),
                         "churned": max(was - now, ZERO), "cumulative": total})
    return rows


def revenue_table(ws: Any, rows: list[dict[str, Any]]) -> Table:
    """The classes as one table, with totals per period and currency."""
    sums: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        t = sums.setdefault((r["period"], r["currency"]), {
            "period": r["period"], "customer_id": "total", "currency": r["currency"],
            **{k: ZERO for k in HEADERS}})
        for k in HEADERS:
            t[k] += r[k]
    return Table("revenue", COLUMNS, rows, [sums[k] for k in sorted(sums)],
                 title=tr(ws, "客户收入分类（按回款）",
                          "Customer revenue by class (from payments)"),
                 headers={k: tr(ws, *v) for k, v in HEADERS.items()},
                 display={"customer_id": {"total": tr(ws, "合计", "total")}})
