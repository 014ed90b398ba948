"""The collect and renew reports: aging (账龄), the handover form (售前与工程实施交接单),
renewals (续约), and the account plan's contract sections (the battle map, 作战地图:
kam.reports.battle_map).

A milestone's state, outstanding amount and days overdue come from one place,
:func:`kam.models.receivable_state.receivable_view`; these reports only group them.
Receivables stream grouped by contract; amounts are summed per currency only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

from kam.errors import InputError
from kam.models.deal_team import worked_by, works_on
from kam.models.receivable_state import latest_note, receivable_view
from kam.reports import Chart, Report, Series, Table
from kam.reports.aging_sums import aging_sums
from kam.reports.common import (
    ZERO,
    customer_names,
    new_report,
    pairs_table,
    scan,
    stage_display,
    tr,
    vocab_display,
)
from kam.storage import scope

DEFAULT_BUCKETS = (30, 60, 90, 180)
#: what receivable_view reads: reports scan only these columns where the backend can
RECEIVABLE_FIELDS = ("id", "contract_id", "customer_id", "seq", "kind", "share", "amount",
                     "currency", "trigger_on", "due_date", "paid", "paid_on", "written_off",
                     "written_off_on", "collection_notes")


# --- aging --------------------------------------------------------------------------------


def bucket_names(ends: tuple[int, ...]) -> list[str]:
    names, start = ["not_due"], 1
    for end in ends:
        names.append(f"{start}-{end}")
        start = end + 1
    names.append(f"{ends[-1]}+")
    return names


def parse_buckets(text: Any) -> tuple[int, ...]:
    if text is None or text == "":
        return DEFAULT_BUCKETS
    items = text if isinstance(text, list | tuple) else str(text).split(",")
    try:
        ends = tuple(int(str(x).strip()) for x in items if str(x).strip())
    except ValueError:
        raise InputError(f"--buckets: {text!r} must be whole days like 30,60,90,180") from None
    if not ends or ends[0] < 1 or any(b <= a for a, b in zip(ends, ends[1:], strict=False)):
        raise InputError(f"--buckets: {text!r} must be increasing whole days ≥ 1")
    return ends


def bucket_of(days_overdue: int, ends: tuple[int, ...], names: list[str]) -> str:
    if days_overdue <= 0:
        return names[0]
    for end, name in zip(ends, names[1:], strict=False):
        if days_overdue <= end:
            return name
    return names[-1]


def aging(ws: Any, owner: str | None = None, customer: str | None = None,
          currency: str | None = None, buckets: Any = None, member: str | None = None,
          **_: Any) -> Report:
    ends = parse_buckets(buckets if buckets is not None else
                         ws.config.get("reports", {}).get("aging_buckets"))
    names = bucket_names(ends)
    today = ws.today
    contract_where: dict[str, Any] = {"owner": owner} if owner else {}
    contract_where.update(worked_by(ws, member, "contract"))
    where: dict[str, Any] = {"written_off_on__isnull": True}  # written off: nothing owed
    where.update(scope(customer=customer, currency=currency))
    by_customer: dict[tuple[str, str], dict[str, Decimal]] = {}
    by_owner: dict[tuple[str, str], dict[str, Decimal]] = {}
    by_currency: dict[str, dict[str, Decimal]] = {}
    for customer_id, contract_owner, cur, bucket, outstanding in aging_sums(
            ws, today, ends, where, contract_where):
        name = names[bucket]
        for cell in (_bucket_cell(by_customer, (customer_id, cur), names),
                     _bucket_cell(by_owner, (contract_owner, cur), names),
                     _bucket_cell(by_currency, cur, names)):
            cell[name] += outstanding
            cell["total"] += outstanding
    noted = _noted(ws, where, contract_where, today)
    customers = customer_names(ws, {c for c, _ in by_customer})
    report = new_report(ws, "aging", "应收账龄", "Receivables aging", buckets=list(ends))
    columns = [*names, "total"]
    headers = {"not_due": tr(ws, "未到期", "not due"), "total": tr(ws, "合计", "total")}
    summary = [{"currency": c, **v} for c, v in sorted(by_currency.items())]
    report.tables.append(Table("by_currency", ["currency", *columns], summary,
                               title=tr(ws, "账龄汇总（按币种）", "Aging by currency"),
                               headers=headers, numeric=columns))
    rows = [{"customer_id": cid, "customer": customers.get(cid, ""), "currency": cur, **v}
            for (cid, cur), v in sorted(by_customer.items(),
                                        key=lambda kv: (kv[0][1], -kv[1]["total"], kv[0][0]))]
    report.tables.append(Table("by_customer", ["customer_id", "customer", "currency", *columns],
                               rows, title=tr(ws, "按客户", "By customer"), headers=headers,
                               numeric=columns))
    rows = [{"owner": o, "currency": cur, **v}
            for (o, cur), v in sorted(by_owner.items())]
    report.tables.append(Table("by_owner", ["owner", "currency", *columns], rows,
                               title=tr(ws, "按负责人", "By owner"), headers=headers,
                               numeric=columns))
    noted.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    report.tables.append(collection_notes_table(ws, noted))
    for cur, v in sorted(by_currency.items()):
        report.charts.append(Chart(
            tr(ws, f"应收账龄（{cur}）", f"Outstanding by aging bucket ({cur})"),
            [headers.get(n, n) for n in names], [Series(cur, [v[n] for n in names])],
            y_label=cur))
    return report


def _noted(ws: Any, where: dict[str, Any], contract_where: dict[str, Any],
           today: dt.date) -> list[dict[str, Any]]:
    """Milestones owing money that carry a collection note (催收说明), with the latest
    note: only those rows are read whole."""
    noted: list[dict[str, Any]] = []
    owners: dict[str, str] | None = None
    for rec in scan(ws, "receivable", RECEIVABLE_FIELDS,
                    where | {"collection_notes__isnull": False}, order_by=("id",)):
        view = receivable_view(rec, today)
        note = latest_note(view)
        if view["outstanding"] <= 0 or note is None:
            continue
        if owners is None:  # the contracts the report covers, once there is a note
            owners = {c["id"]: "" for c in scan(ws, "contract", ("id",), contract_where,
                                                order_by=())}
        if rec["contract_id"] not in owners:
            continue
        noted.append({k: view[k] for k in ("id", "contract_id", "customer_id",
                                           "days_overdue", "outstanding", "currency")}
                     | {k: note.get(k) for k in ("reason", "promised", "note", "on", "by")})
    return noted


def collection_notes_table(ws: Any, rows: list[dict[str, Any]], name: str = "collection_notes",
                           title: tuple[str, str] = ("催收说明", "Collection notes")) -> Table:
    """Milestones with a collection note (催收说明): the latest reason, promised date and
    remark beside what is outstanding (aging; ``kam today``'s promises)."""
    return Table(name, ["id", "contract_id", "customer_id", "days_overdue", "outstanding",
                        "currency", "reason", "promised", "note", "on", "by"], rows,
                 title=tr(ws, *title),
                 headers={"reason": tr(ws, "逾期原因", "Why late"),
                          "promised": tr(ws, "承诺付款日", "Promised on"),
                          "on": tr(ws, "记录日期", "Noted on")},
                 display={"reason": vocab_display(ws, "collection_reason")})


def _zeros(names: list[str]) -> dict[str, Decimal]:
    return {n: ZERO for n in [*names, "total"]}


_K = TypeVar("_K")


def _bucket_cell(cells: dict[_K, dict[str, Decimal]], key: _K, names: list[str]
                 ) -> dict[str, Decimal]:
    """The buckets of ``key``, made the first time only (a big team has ~80k groups)."""
    cell = cells.get(key)
    if cell is None:
        cell = cells[key] = _zeros(names)
    return cell


# --- contracts with their milestones -------------------------------------------------------


def _grouped(ws: Any, where: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Receivables grouped by contract (one contract's milestones at a time)."""
    current = ""
    group: list[dict[str, Any]] = []
    for rec in scan(ws, "receivable", RECEIVABLE_FIELDS, where, order_by=("contract_id", "seq")):
        if rec["contract_id"] != current and group:
            yield current, group
            group = []
        current = rec["contract_id"]
        group.append(rec)
    if group:
        yield current, group


# --- handover -----------------------------------------------------------------------------

HANDOVER_LABELS: dict[str, tuple[str, str]] = {
    "contract_number": ("合同编号", "Contract number"),
    "customer_id": ("客户编号", "Customer number"),
    "customer": ("客户名称", "Customer"),
    "project": ("项目名称", "Project"),
    "project_number": ("项目编号", "Project number"),
    "amount": ("合同金额", "Contract amount"),
    "currency": ("币种", "Currency"),
    "date": ("交接日期", "Handover date"),
    "product_scope": ("产品及功能范围", "Product and functional scope"),
    "standard_quote": ("标准报价", "Standard quote"),
    "implementation_fee": ("实施费用", "Implementation fee"),
    "start": ("实施开始", "Implementation start"),
    "end": ("实施结束", "Implementation end"),
    "training": ("培训", "Training"),
    "scope": ("实施范围与目标", "Scope and goals"),
    "commitments": ("对客户的关键承诺", "Key customer commitments"),
    "remarks": ("备注", "Remarks"),
    "sales_manager": ("销售经理", "Sales manager"),
    "engineer": ("售前工程师", "Engineer"),
    "pm": ("项目经理", "Project manager"),
}


def handover(ws: Any, record_id: str | None = None, **_: Any) -> Report:
    if not record_id:
        raise InputError("report handover needs a contract ID (kam report handover CO1)")
    c = ws.get("contract", record_id)
    form = dict(c.get("handover") or {})
    opp = ws.storage.get("opportunity", c.get("opportunity_id") or "") or {}
    cu = ws.storage.get("customer", c["customer_id"]) or {}
    form.setdefault("contract_number", c.get("number"))
    form.setdefault("customer_id", c["customer_id"])
    form.setdefault("customer", cu.get("name"))
    form.setdefault("project", opp.get("title"))
    form.setdefault("project_number", opp.get("number"))
    form["amount"], form["currency"] = c.get("amount"), c.get("currency")
    report = new_report(ws, "handover", "售前与工程实施交接单",
                        "Presales-to-implementation handover", record_id=c["id"])
    order = [k for k in HANDOVER_LABELS if k not in ("sales_manager", "engineer", "pm")]
    report.tables.append(pairs_table(ws, "form", tr(ws, f"交接单 {c['id']}",
                                                    f"Handover {c['id']}"),
                                     [(k, form.get(k)) for k in order], HANDOVER_LABELS))
    sign = []
    for key in ("sales_manager", "engineer", "pm"):
        sign.append({"role": key, "name": form.get(key), "signature": "", "date": ""})
    report.tables.append(Table(
        "signatures", ["role", "name", "signature", "date"], sign,
        title=tr(ws, "签字", "Signatures"),
        display={"role": {k: tr(ws, *v)
                          for k, v in HANDOVER_LABELS.items()}},
        headers={"role": tr(ws, "角色", "Role"), "name": tr(ws, "姓名", "Name"),
                 "signature": tr(ws, "签字", "Signature"), "date": tr(ws, "日期", "Date")}))
    return report


# --- renewals -----------------------------------------------------------------------------


def _renewal_days(ws: Any, days: Any) -> int:
    ahead = int(days if days is not None else ws.config.get("reports", {}).get(
        "renewal_days", 90))
    if ahead < 0:
        raise InputError("--days: must not be negative")
    return ahead


def ending(ws: Any, member: str | None = None, worked: dict[str, Any] | None = None,
           limit: int | None = None) -> tuple[Table, int]:
    """The renewals report's contracts-ending table alone (kam today), reading only the
    renewal deals of those contracts; ``worked``: ``worked_by(ws, member, "contract")``
    when the caller has it. With ``limit``, its first rows only, and how many in all."""
    return _ending_rows(ws, _renewal_days(ws, None), None, None, member, None, worked, limit)


#: what the contracts-ending table reads of a contract (not its wide json columns)
_ENDING_FIELDS = ("id", "number", "customer_id", "owner", "amount", "currency", "service_end")


def _ending(ws: Any, ahead: int, owner: str | None, customer: str | None,
            member: str | None, deals: dict[str, list[dict[str, Any]]] | None) -> Table:
    return _ending_rows(ws, ahead, owner, customer, member, deals)[0]


def _ending_rows(ws: Any, ahead: int, owner: str | None, customer: str | None,
                 member: str | None, deals: dict[str, list[dict[str, Any]]] | None,
                 worked: dict[str, Any] | None = None, limit: int | None = None
                 ) -> tuple[Table, int]:
    """Contracts whose service ends within ``ahead`` days (the first ``limit``), each with
    its open or won renewal deals (``deals`` by contract id; read here when not given),
    and how many such contracts there are."""
    today = ws.today
    where: dict[str, Any] = {"service_end__ge": today,
                             "service_end__le": today + dt.timedelta(days=ahead),
                             "status__in": ["signed", "executing", "closed"]}
    where.update(scope(owner=owner, customer=customer))
    where.update(worked_by(ws, member, "contract") if worked is None else worked)
    ending = list(scan(ws, "contract", _ENDING_FIELDS, where, order_by=("service_end", "id"),
                       limit=limit))
    total = len(ending) if limit is None else ws.storage.count("contract", where)
    if deals is None:
        deals = {}
        ids = [c["id"] for c in ending]
        for opp in (scan(ws, "opportunity", ("id", "status", "renews_contract_id"),
                         {"renews_contract_id__in": ids}, order_by=("id",)) if ids else ()):
            deals.setdefault(opp["renews_contract_id"], []).append(opp)
    names = customer_names(ws, {c["customer_id"] for c in ending})
    rows = []
    for c in ending:
        mine = [o for o in deals.get(c["id"], []) if o["status"] in ("open", "won")]
        rows.append({"contract_id": c["id"], "number": c.get("number"),
                     "customer": names.get(c["customer_id"], ""), "owner": c.get("owner"),
                     "amount": c.get("amount"), "currency": c.get("currency"),
                     "service_end": c["service_end"],
                     "days_left": (c["service_end"] - today).days,
                     "renewal": [o["id"] for o in mine] or None})
    return Table(
        "ending", ["contract_id", "number", "customer", "owner", "amount", "currency",
                   "service_end", "days_left", "renewal"], rows,
        title=tr(ws, f"{ahead}天内服务到期的合同", f"Service ending within {ahead} days")), total


def renewals(ws: Any, owner: str | None = None, customer: str | None = None,
             days: Any = None, currency: str | None = None, by: str | None = None,
             member: str | None = None, **_: Any) -> Report:
    ahead = _renewal_days(ws, days)
    deals: dict[str, list[dict[str, Any]]] = {}
    for opp in ws.storage.find("opportunity", {"renews_contract_id__isnull": False},
                               order_by=("id",)):
        deals.setdefault(opp["renews_contract_id"], []).append(opp)
    try:
        stages = stage_display(ws, ws.pipeline())
    except Exception:
        stages = {}
    renewal_rows = []
    for cid, opps in sorted(deals.items()):
        for o in opps:
            if o["status"] != "open" or (owner and o.get("owner") != owner) or (
                    member and not works_on(o, member)) or (
                    customer and o["customer_id"] != customer.strip().upper()):
                continue
            renewal_rows.append({"id": o["id"], "title": o["title"], "contract_id": cid,
                                 "stage": o["stage"], "amount": o.get("amount"),
                                 "currency": o["currency"], "close_date": o.get("close_date"),
                                 "owner": o.get("owner")})
    report = new_report(ws, "renewals", "续约提醒", "Renewals", days=ahead)
    report.tables.append(_ending(ws, ahead, owner, customer, member, deals))
    report.tables.append(Table(
        "renewal_deals", ["id", "title", "contract_id", "stage", "amount", "currency",
                          "close_date", "owner"], renewal_rows,
        title=tr(ws, "在途续约商机", "Open renewal deals"), display={"stage": stages}))
    from kam.reports import revenue

    report.tables.append(revenue.revenue_section(
        ws, customer=customer, owner=owner, currency=currency, by=by))
    report.notes.extend(revenue_notes(ws))
    return report


def revenue_notes(ws: Any) -> list[str]:
    return [tr(ws, "收入按回款计：经常性 = min(本期, 上期)；新增 = 本期 − 上期（大于 0 时）。",
               "Revenue is what was paid: recurring = min(this period, last); new = this − "
               "last when above 0."),
            tr(ws, "流失 = 上期 − 本期（大于 0 时）；累计 = 截至期末的全部回款。",
               "Churned = last − this when above 0; cumulative = every payment up to the "
               "period's end.")]


# --- account plan sections ----------------------------------------------------------------


def account_tables(ws: Any, customer_id: str) -> list[Table]:
    """The account plan's contracts (with collected and outstanding) and open milestones."""
    today = ws.today
    by_contract: dict[str, list[dict[str, Any]]] = {}
    for cid, group in _grouped(ws, {"customer_id": customer_id}):
        by_contract[cid] = [receivable_view(r, today) for r in group]
    contracts, open_ms = [], []
    for c in ws.storage.find("contract", {"customer_id": customer_id}, order_by=("id",)):
        views = by_contract.get(c["id"], [])
        contracts.append({"id": c["id"], "number": c.get("number"), "status": c["status"],
                          "amount": c.get("amount"), "currency": c.get("currency"),
                          "signed_on": c.get("signed_on"), "service_end": c.get("service_end"),
                          "collected": sum((v["paid"] for v in views), ZERO),
                          "outstanding": sum((v["outstanding"] for v in views), ZERO)})
        for v in views:
            if v["outstanding"] > 0:
                open_ms.append({"id": v["id"], "contract_id": c["id"], "kind": v["kind"],
                                "due_date": v["due_date"], "state": v["state"],
                                "outstanding": v["outstanding"], "currency": v["currency"],
                                "days_overdue": v["days_overdue"]})
    return [
        Table("contracts", ["id", "number", "status", "amount", "currency", "signed_on",
                            "service_end", "collected", "outstanding"], contracts,
              title=tr(ws, "合同", "Contracts"),
              display={"status": vocab_display(ws, "contract_status")},
              headers={"signed_on": tr(ws, "签订日期", "Signed on")}),
        Table("receivables", ["id", "contract_id", "kind", "due_date", "state", "outstanding",
                              "currency", "days_overdue"], open_ms,
              title=tr(ws, "未结回款节点", "Open receivables"),
              display={"kind": vocab_display(ws, "milestone_kind"),
                       "state": vocab_display(ws, "receivable_state")}),
    ]
