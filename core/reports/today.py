"""``kam today`` (今日待办): what a key-account manager acts on this morning —
next steps falling due, milestones due or overdue, stalled deals, renewals ahead,
open complaints they own or that were escalated to them, and the acquisition advice for
the deals listed.

It composes the standard reports' own tables (stalled deals from the activity report,
contracts ending from the renewals report, receivable states from
``receivable_view``) rather than computing any of them again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from kam.models.case_analysis import IMPORTANCE, OUTCOMES, needs_case_analysis
from kam.models.deal_team import worked_by
from kam.models.receivable_state import OPEN_STATES, receivable_view
from kam.output import LazyList
from kam.reports import Report, Table
from kam.reports.common import new_report, scan, tr, vocab_display
from kam.storage import (
    DueReceivable,
    DueReceivables,
    DueReceivablesHead,
    NextStep,
    Record,
)

#: deals read at a time for the advice table
PAGE = 5000

#: rows ``kam today`` lists per table in the formats read by people (table, md) unless
#: ``--limit`` says otherwise: a whole team's morning list on a big account team holds
#: ~145k rows, more than anyone reads; the rest is counted under the table
SHOWN = 50


def build(ws: Any, owner: str | None = None, days: Any = None, limit: int | None = None,
          **_: Any) -> Report:
    """With ``owner``: that person's work, including the deals (and their contracts) they
    are on the team (铁三角) of, not only those they own. ``limit``: list at most that many
    rows of each table, the first in its order, and say under it how many more there are
    (``meta["more"]``: table → rows not listed); the advice is then for the deals listed
    (at most twice ``limit``)."""
    from kam.reports import activity, contracts, service
    from kam.values import integer

    ahead = integer(days if days is not None else 7, "--days", lo=0, hi=36500)
    horizon = ws.today + dt.timedelta(days=ahead)
    report = new_report(ws, "today", "今日待办", "Today", days=ahead)
    # what ``owner`` works on (铁三角), read once for every table below
    theirs = worked_by(ws, owner, "opportunity")
    signed = worked_by(ws, owner, "contract", theirs)
    more: dict[str, int] = {}
    steps, steps_total = _next_steps(ws, owner, horizon, set(theirs.get("id__in", ())),
                                     limit)
    stalled = _cut(ws, *activity.stalled(ws, member=owner, worked=theirs, limit=limit),
                   limit, more)

    def cut(table: Table) -> Table:
        return _cut(ws, table, len(table.rows), limit, more)

    report.tables.append(_cut(ws, _steps_table(ws, steps), steps_total, limit, more))
    report.tables.append(_cut(ws, *_receivables(ws, signed, horizon, limit), limit, more))
    report.tables.append(cut(_planned_visits(ws, owner)))
    report.tables.append(cut(_promised(ws, signed, horizon)))
    report.tables.append(stalled)
    report.tables.append(_cut(ws, *contracts.ending(ws, member=owner, worked=signed,
                                                    limit=limit), limit, more))
    report.tables.append(cut(service.open_complaints(ws, for_user=owner)))
    listed = steps if limit is None else steps[:limit]
    deals = [key for _due, _step, key, customer, _who, _act in listed if key != customer]
    report.tables.append(_advice(ws, deals + [r["id"] for r in stalled.rows]))
    report.tables.append(_cut(ws, *_case_analyses(ws, owner, limit), limit, more))
    if more:
        report.meta["more"] = {t.name: more[t.name] for t in report.tables if t.name in more}
    return report


def _cut(ws: Any, table: Table, total: int, limit: int | None, more: dict[str, int]
         ) -> Table:
    """``table`` (of ``total`` rows, maybe only the first ``limit`` of them held) with its
    first ``limit`` rows only, and a note of how many more."""
    if limit is None or total <= limit:
        return table
    table.rows = list(itertools.islice(table.rows, limit))
    more[table.name] = total - limit
    note = tr(ws, f"…… 另有 {total - limit} 行未列出（--limit 0 列出全部）",
              f"… {total - limit} more not listed (--limit 0 lists all)")
    table.note = f"{table.note}\n{note}" if table.note else note
    return table


def _advice(ws: Any, deal_ids: list[str]) -> Table:
    """The acquisition advice (获客建议) for each deal listed above, chosen by its
    customer's purchase scenario (采购场景) as ``opp show`` does; a deal whose customer
    has no scenario yet gets none. Read a page of deals at a time and held as tuples (a
    whole team lists ~40k)."""
    from kam.acquisition import advice

    wanted = list(dict.fromkeys(deal_ids))  # listed order, once each
    texts: dict[Any, str | None] = {}
    scenario: dict[str, Any] = {}  # customer → purchase scenario, each read once
    held: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), PAGE):
        page = wanted[start:start + PAGE]
        opps = {i: (title, customer) for i, title, customer in _values(
            ws, "opportunity", ("id", "title", "customer_id"), page)}
        unread = {customer for _title, customer in opps.values()} - scenario.keys()
        if unread:
            scenario.update(_values(ws, "customer", ("id", "purchase_type"), sorted(unread)))
        for deal_id in page:
            opp = opps.get(deal_id)
            if opp is None:
                continue
            kind = scenario.get(opp[1])
            if kind not in texts:
                texts[kind] = advice(ws.lang, kind)
            if texts[kind]:
                held.append((deal_id, opp[0], opp[1], kind, texts[kind]))
    return Table("advice", ["id", "title", "customer_id", "purchase_type", "advice"],
                 as_rows(("id", "title", "customer_id", "purchase_type", "advice"), held),
                 title=tr(ws, "获客建议（按采购场景）", "Acquisition advice by purchase scenario"),
                 headers={"advice": tr(ws, "建议", "Advice")},
                 display={"purchase_type": vocab_display(ws, "purchase_type")}, numeric=[])


def _values(ws: Any, kind: str, fields: tuple[str, ...], ids: list[str]
            ) -> Iterator[tuple[Any, ...]]:
    """``fields`` of the records of ``kind`` with these ids, in no order: read as columns
    when the backend can (kam.storage.ColumnReads; no record made per deal)."""
    from kam.storage import ColumnReads

    if not isinstance(ws.storage, ColumnReads):
        for r in scan(ws, kind, fields, {"id__in": ids}, ()):
            yield tuple(r.get(f) for f in fields)
        return
    for names, columns in ws.storage.column_pages(kind, fields, {"id__in": ids}, (),
                                                  size=len(ids) or 1):
        by_name = dict(zip(names, columns, strict=True))
        yield from zip(*(by_name[f] for f in fields), strict=True)


def _case_analyses(ws: Any, owner: str | None, limit: int | None) -> tuple[Table, int]:
    """I/VI deals won or lost that still owe their case-analysis report (案例分析报告): the
    first ``limit``, and how many. A deal with no case analysis at all owes one, so those
    are counted and read by the database; one whose analysis has no summary (a few, if
    any) sends the reading back to judging every deal here."""
    where: dict[str, Any] = {"status__in": list(OUTCOMES), "importance__in": list(IMPORTANCE)}
    if owner:
        where["owner"] = owner
    keys = ("id", "title", "status", "closed_at", "owner")
    once: dict[Any, Any] = {}

    def held(found: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(o["id"], o.get("title"), once.setdefault(o["status"], o["status"]),
                 o.get("closed_at"), once.setdefault(o.get("owner"), o.get("owner")))
                for o in found if needs_case_analysis(o)]

    fields = (*keys, "importance", "case_analysis")
    order = ("closed_at", "id")
    rows: list[tuple[Any, ...]] | None = None
    theirs = {"owner": owner} if owner else {}
    if limit is not None and not any(needs_case_analysis(o) for o in scan(
            ws, "opportunity", fields, {"case_analysis__isnull": False, **theirs}, ())):
        bare = {**where, "case_analysis__isnull": True}
        first = [o["id"] for o in scan(ws, "opportunity", ("id", "closed_at"), bare, order,
                                       limit=limit)]
        found = {o["id"]: o for o in scan(ws, "opportunity", fields, {"id__in": first}, ())}
        rows = held(found[i] for i in first)
        total = ws.storage.count("opportunity", bare)
    if rows is None:
        rows = held(scan(ws, "opportunity", fields, where, order_by=order))
        total = len(rows)
    return Table("case_analysis", list(keys), as_rows(keys, rows),
                 title=tr(ws, "待写案例分析报告", "Case analyses to write"),
                 display={"status": vocab_display(ws, "opp_status")}, numeric=[]), total


def _next_steps(ws: Any, owner: str | None, horizon: dt.date, mine: set[str],
                limit: int | None) -> tuple[list[NextStep], int]:
    """The latest call on each live deal (or customer) whose next step is due by ``horizon``,
    in the order listed (a later call supersedes an earlier one's next step): the first
    ``limit`` of them, and how many there are."""
    from kam.reports.rollups import (
        latest_calls_on,
        next_steps_due,
        next_steps_head,
        next_steps_in_order,
        rollup,
    )

    if not owner and not mine:  # the whole team's: in order from the backend when it can
        if limit is not None:
            total, head = next_steps_head(ws, ws.today, horizon, limit)
            return head, total
        steps = list(next_steps_due(ws, ws.today, horizon))
        return steps, len(steps)
    # only calls whose next step is due can be listed; on a deal they are on the team of,
    # the latest call is listed whoever made it (theirs otherwise)
    latest = {a.get("opportunity_id") or a["customer_id"]: a
              for a in rollup(ws).latest_calls(ws.today, owner or None, horizon)
              if a.get("opportunity_id") not in mine}
    if mine:
        for a in latest_calls_on(ws, ws.today, sorted(mine), horizon):
            latest[a["opportunity_id"]] = a
    steps = next_steps_in_order(latest.values(), horizon)
    return steps, len(steps)


def _steps_table(ws: Any, steps: list[NextStep]) -> Table:
    """到期的下一步: each step's row made as it is written (the steps are held as tuples)."""
    today = ws.today

    def produce() -> Iterator[dict[str, Any]]:
        for due, step, key, customer, who, act in steps:
            yield {"next_due": due, "next_step": step, "record_id": key,
                   "customer_id": customer, "owner": who, "activity_id": act,
                   "days_late": max((today - due).days, 0)}

    headers = {"next_due": tr(ws, "下一步到期", "Next due"),
               "days_late": tr(ws, "已过天数", "Days late"),
               "record_id": tr(ws, "商机/客户", "Deal or customer"),
               "next_step": tr(ws, "下一步", "Next step"),
               "activity_id": tr(ws, "拜访编号", "Activity")}
    return Table("next_steps", ["next_due", "days_late", "record_id", "customer_id", "owner",
                                "next_step", "activity_id"], LazyList(len(steps), produce),
                 title=tr(ws, "到期的下一步", "Next steps due"), headers=headers,
                 numeric=["days_late"])


def _planned_visits(ws: Any, owner: str | None) -> Table:
    """Today's day plans (kam plan visit OWNER DAY), each with the visits to that customer
    logged today by its owner."""
    where: dict[str, Any] = {"period": ws.today.isoformat()}
    if owner:
        where["owner"] = owner
    plans = list(ws.storage.find("visit_plan", where, order_by=("owner", "customer_id")))
    done: dict[tuple[str, str], int] = {}
    if plans:
        for a in ws.storage.find("activity", {"date": ws.today, "type": "visit"}):
            key = (a.get("owner") or "", a["customer_id"])
            done[key] = done.get(key, 0) + 1
    rows = [{"owner": p["owner"], "customer_id": p["customer_id"], "planned": p["count"],
             "done": done.get((p["owner"], p["customer_id"]), 0), "note": p.get("note")}
            for p in plans]
    return Table("planned_visits", ["owner", "customer_id", "planned", "done", "note"], rows,
                 title=tr(ws, "今日计划拜访", "Visits planned for today"),
                 headers={"planned": tr(ws, "计划拜访", "Planned"),
                          "done": tr(ws, "已拜访", "Done")})


def _promised(ws: Any, signed: dict[str, Any], horizon: dt.date) -> Table:
    """Milestones the customer promised to pay by ``horizon`` (kam receivable note
    --promised), still outstanding: on the promised day, and after it until paid."""
    from kam.models.receivable_state import latest_note
    from kam.reports.contracts import collection_notes_table
    from kam.reports.rollups import open_receivables

    where: dict[str, Any] = {"written_off_on__isnull": True}
    if signed:
        where["contract_id__in"] = signed["id__in"]
    rows = []
    for v in (receivable_view(r, ws.today)
              for r in open_receivables(ws, where, noted=True)):
        note = latest_note(v)
        if (v["outstanding"] <= 0 or note is None or not note.get("promised")
                or note["promised"] > horizon.isoformat()):
            continue
        rows.append({k: v[k] for k in ("id", "contract_id", "customer_id", "days_overdue",
                                       "outstanding", "currency")}
                    | {k: note.get(k) for k in ("reason", "promised", "note", "on", "by")})
    rows.sort(key=lambda r: (r["promised"], r["id"]))
    return collection_notes_table(ws, rows, "promised", ("承诺付款", "Payments promised"))


def _receivables(ws: Any, signed: dict[str, Any], horizon: dt.date, limit: int | None
                 ) -> tuple[Table, int]:
    """The first ``limit`` milestones due or overdue, and how many there are."""
    where: dict[str, Any] = {}
    if signed:
        where["contract_id__in"] = signed["id__in"]
    where["written_off_on__isnull"] = True
    held: list[DueReceivable]
    if limit is not None:
        total, held = due_receivables_head(ws, where, horizon, limit)
    else:
        held = list(_due_receivables(ws, where, horizon))
        total = len(held)
    columns = ["id", "contract_id", "customer_id", "kind", "due_date", "state",
               "days_overdue", "outstanding", "currency"]
    return Table("receivables", columns, as_rows(tuple(columns), held),
                 title=tr(ws, "到期和逾期的回款", "Payment milestones due or overdue"),
                 display={"kind": vocab_display(ws, "milestone_kind"),
                          "state": vocab_display(ws, "receivable_state")},
                 numeric=["days_overdue", "outstanding"]), total


def _due_receivables(ws: Any, where: dict[str, Any], horizon: dt.date
                     ) -> Iterator[DueReceivable]:
    """The milestones due or overdue by ``horizon``, in order: from the backend when it can
    (:class:`kam.storage.DueReceivables`), else by the reference."""
    from kam.reports.rollups import open_receivables

    if isinstance(ws.storage, DueReceivables):
        return iter(ws.storage.due_receivables(ws.today, horizon, where))
    return iter(python_due_receivables(open_receivables(ws, where, horizon), ws.today,
                                       horizon))


def due_receivables_head(ws: Any, where: dict[str, Any], horizon: dt.date, limit: int
                         ) -> tuple[int, list[DueReceivable]]:
    """How many milestones are due or overdue by ``horizon`` and the first ``limit``:
    from the backend when it can (:class:`kam.storage.DueReceivablesHead`), else read
    and counted here."""
    if isinstance(ws.storage, DueReceivablesHead):
        return ws.storage.due_receivables_head(ws.today, horizon, where, limit)
    found = _due_receivables(ws, where, horizon)
    held = list(itertools.islice(found, limit))
    return len(held) + sum(1 for _ in found), held  # the rest counted, never made rows


def python_due_receivables(records: Iterable[Record], today: dt.date, horizon: dt.date
                           ) -> list[DueReceivable]:
    """:class:`kam.storage.DueReceivables`' reference: of the milestones with money
    outstanding (``records``), those open and due by ``horizon`` on ``today`` as
    ``receivable_view`` decides, most days overdue first, then by due date and id."""
    views = (receivable_view(r, today) for r in records)
    once: dict[Any, Any] = {}  # kind, state, currency: a few values, one object each
    held = [
        (v["id"], v["contract_id"], v["customer_id"], once.setdefault(v["kind"], v["kind"]),
         v["due_date"], once.setdefault(v["state"], v["state"]), v["days_overdue"],
         v["outstanding"], once.setdefault(v["currency"], v["currency"]))
        for v in views
        if v["state"] in OPEN_STATES and v["due_date"] is not None and v["due_date"] <= horizon
    ]
    held.sort(key=lambda r: (-r[6], r[4], r[0]))
    return held


def as_rows(keys: tuple[str, ...], held: list[tuple[Any, ...]]) -> LazyList:
    """Rows held as tuples of ``keys`` (a dict each costs three times the memory), made
    into dicts as they are written."""
    return LazyList(len(held), lambda: (dict(zip(keys, t, strict=True)) for t in held))
