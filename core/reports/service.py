"""Service (客户服务): satisfaction per customer and per engineer, open complaints, and
service cost per contract and per type.

Satisfaction score: each answer scores very_satisfied (非常满意) 4, satisfied (满意) 3,
average (一般) 2, poor (较差) 1. A dimension's score is the mean of its answers; the
overall score is the mean of all four dimensions' answers (every survey answers all
four, so it is also the mean of the four dimension scores). Means are rounded half up
to two places; the rows keep the sums, so a reader can check them.

Cost: every service record counts once in its currency, under its contract (or "no
contract") and under its type, so both cost tables add up to the register.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kam.reports import Report, Table
from kam.reports.common import ZERO, new_report, tr, vocab_display
from kam.storage import scope

SCORES = {"very_satisfied": 4, "satisfied": 3, "average": 2, "poor": 1}
DIMENSIONS = ("attitude", "skill", "arrival", "promises")
OPEN = ("open", "replied", "escalated")
_HOURS_ZERO = Decimal("0")


def mean(total: int, count: int) -> Decimal | None:
    """``total / count`` to two places (half up); None for no answers."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def build(ws: Any, customer: str | None = None, owner: str | None = None,
          since: Any = None, until: Any = None, currency: str | None = None,
          **_: Any) -> Report:
    services = _services(ws, customer, owner, since, until, currency)
    report = new_report(ws, "service", "客户服务", "Service")
    report.tables.append(satisfaction(ws, services, "customer_id", "by_customer",
                                      tr(ws, "各客户满意度", "Satisfaction per customer")))
    report.tables.append(satisfaction(ws, services, "engineer", "by_engineer",
                                      tr(ws, "各工程师满意度", "Satisfaction per engineer")))
    report.tables.append(open_complaints(ws, owner=owner, customer=customer))
    report.tables.append(cost(ws, services, "contract_id", "cost_by_contract",
                              tr(ws, "各合同服务成本", "Service cost per contract")))
    report.tables.append(cost(ws, services, "type", "cost_by_type",
                              tr(ws, "各类型服务成本", "Service cost per type")))
    report.notes.append(tr(ws, "满意度得分：非常满意 4、满意 3、一般 2、较差 1。",
                           "Satisfaction score: very satisfied 4, satisfied 3, average 2, "
                           "poor 1."))
    report.notes.append(tr(ws, "各维度取平均；综合得分为四个维度全部答案的平均，"
                               "四舍五入到两位小数。",
                           "Each dimension is the mean of its answers, overall the mean of "
                           "all four dimensions' answers, rounded half up to two places."))
    return report


def _services(ws: Any, customer: str | None, owner: str | None, since: Any, until: Any,
              currency: str | None) -> list[dict[str, Any]]:
    from kam.values import date

    where: dict[str, Any] = scope(customer=customer, currency=currency)
    if owner:
        where["customer_id__in"] = [c["id"] for c in ws.storage.find(
            "customer", {"owner": owner}, order_by=("id",))]
    if since:
        where["date__ge"] = date(since, "--since")
    if until:
        where["date__le"] = date(until, "--until")
    return list(ws.storage.find("service", where, order_by=("date", "id")))


def satisfaction(ws: Any, services: list[dict[str, Any]], key: str, name: str,
                 title: str) -> Table:
    """One row per ``key`` (customer or engineer) of the surveyed services: the number of
    surveys, each dimension's score and the overall score; the total row is every survey."""
    by_id = {s["id"]: s for s in services}
    sums: dict[str, dict[str, int]] = {}
    everything = {"surveys": 0, **{d: 0 for d in DIMENSIONS}}
    if by_id:
        for sv in ws.storage.find("survey", {"service_id__in": sorted(by_id)},
                                  order_by=("id",)):
            group = by_id[sv["service_id"]].get(key) or ""
            acc = sums.setdefault(group, {"surveys": 0, **{d: 0 for d in DIMENSIONS}})
            for target in (acc, everything):
                target["surveys"] += 1
                for d in DIMENSIONS:
                    target[d] += SCORES[sv[d]]
    rows = [_scored({key: group}, acc) for group, acc in sorted(sums.items())]
    totals = [_scored({key: "total"}, everything)] if everything["surveys"] else []
    columns = [key, "surveys", *DIMENSIONS, "overall"]
    if key == "customer_id":
        columns.insert(1, "customer")
        for r in rows:
            r["customer"] = _name(ws, r[key])
    return Table(name, columns, rows, totals, title=title,
                 headers={"surveys": tr(ws, "调查数", "Surveys"),
                          "overall": tr(ws, "综合得分", "Overall")},
                 display={key: {"total": tr(ws, "合计", "total")}})


def _scored(row: dict[str, Any], acc: dict[str, int]) -> dict[str, Any]:
    n = acc["surveys"]
    return {**row, "surveys": n, **{d: mean(acc[d], n) for d in DIMENSIONS},
            "overall": mean(sum(acc[d] for d in DIMENSIONS), 4 * n)}


def open_complaints(ws: Any, owner: str | None = None, customer: str | None = None,
                    for_user: str | None = None) -> Table:
    """Complaints not yet closed, oldest first; ``for_user``: those they own or that were
    escalated to them."""
    where: dict[str, Any] = {"status__in": list(OPEN), **scope(owner=owner, customer=customer)}
    rows = []
    for c in ws.storage.find("complaint", where, order_by=("date", "id")):
        if for_user and for_user not in (c.get("owner"), c.get("escalated_to")):
            continue
        rows.append({"id": c["id"], "date": c["date"], "customer_id": c["customer_id"],
                     "customer": _name(ws, c["customer_id"]),
                     "contract_id": c.get("contract_id"), "severity": c["severity"],
                     "status": c["status"], "owner": c.get("owner"),
                     "escalated_to": c.get("escalated_to"),
                     "days_open": max((ws.today - c["date"]).days, 0), "note": c.get("note")})
    return Table("complaints", ["id", "date", "days_open", "customer_id", "customer",
                                "contract_id",
                                "severity", "status", "owner", "escalated_to", "note"], rows,
                 title=tr(ws, "未关闭的投诉", "Open complaints"),
                 headers={"days_open": tr(ws, "已开天数", "Days open"),
                          "date": tr(ws, "投诉日期", "Filed on"),
                          "severity": tr(ws, "严重程度", "Severity"),
                          "note": tr(ws, "投诉内容", "Complaint")},
                 display={"severity": vocab_display(ws, "complaint_severity"),
                          "status": vocab_display(ws, "complaint_status")})


def _name(ws: Any, customer_id: str) -> str | None:
    found = ws.storage.get("customer", customer_id)
    return found["name"] if found else None


def cost(ws: Any, services: list[dict[str, Any]], key: str, name: str, title: str) -> Table:
    """Services, hours and cost per ``key`` (contract or type) and currency; the totals
    are per currency and equal the register's."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    totals: dict[str, dict[str, Any]] = {}
    for s in services:
        cur = s.get("currency") or ""
        for acc in (groups.setdefault((s.get(key) or "", cur), _zero()),
                    totals.setdefault(cur, _zero())):
            acc["services"] += 1
            acc["hours"] += s.get("hours") or _HOURS_ZERO
            acc["cost"] += s.get("cost") or ZERO
    rows = [{key: k, "currency": cur, **acc} for (k, cur), acc in sorted(groups.items())]
    display: dict[str, dict[str, str]] = {key: {"total": tr(ws, "合计", "total"),
                                               "": tr(ws, "无合同", "no contract")}}
    if key == "type":
        display[key] |= vocab_display(ws, "service_type")
    return Table(name, [key, "currency", "services", "hours", "cost"], rows,
                 [{key: "total", "currency": cur, **acc} for cur, acc in sorted(totals.items())],
                 title=title, headers={"services": tr(ws, "服务次数", "Services")},
                 display=display)


def _zero() -> dict[str, Any]:
    return {"services": 0, "hours": _HOURS_ZERO, "cost": ZERO}


def account_tables(ws: Any, customer_id: str) -> list[Table]:
    """The account plan's service section: the customer's satisfaction, its open
    complaints and its service cost per contract."""
    services = _services(ws, customer_id, None, None, None, None)
    return [
        satisfaction(ws, services, "customer_id", "satisfaction",
                     tr(ws, "服务满意度", "Service satisfaction")),
        open_complaints(ws, customer=customer_id),
        cost(ws, services, "contract_id", "service_cost",
             tr(ws, "各合同服务成本", "Service cost per contract")),
    ]
