"""The battle map (回款作战地图): one row per contract with money outstanding, its
milestones, what was collected and what to do next, with 情理法 (relationship kept,
contract performed, evidence chain kept).

What it reads besides the milestones — the contracts in collection in the map's order,
and each contract's fields with its customer's name — comes from a backend that
implements :class:`kam.storage.BattleMapReads` (in the database; as one stream where it
implements :class:`kam.storage.CollectionCards`); otherwise (and as
the reference its fast path is tested against) from :class:`kam.storage.ReceivableSums`
and column-limited reads here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence, Set
from decimal import ROUND_HALF_UP
from itertools import chain, groupby, islice
from typing import Any

from kam.column_pages import ColumnPage, RecordRuns
from kam.i18n import pick
from kam.models.deal_team import worked_by
from kam.output import LazyList
from kam.reports import Report, Table
from kam.reports.aggregates import aggregates, milestone_columns
from kam.reports.common import (
    CENT,
    ZERO,
    customer_names,
    distinct,
    new_report,
    percent,
    scan,
    tr,
    vocab_display,
)
from kam.storage import (
    BattleMapReads,
    Collection,
    CollectionCards,
    ContractCard,
    MilestoneColumnLists,
    ReceivableSums,
    Where,
    scope,
)

#: the contract fields a battle-map row shows or decides by
BATTLE_KEYS = ("id", "number", "customer_id", "owner", "amount", "currency", "delivered_on",
               "final_accepted_on", "signed_on", "status")


def battle_reads(ws: Any) -> BattleMapReads:
    """The backend itself when it has the fast path, else the Python reference."""
    if isinstance(ws.storage, BattleMapReads):
        return ws.storage
    return PythonBattleMapReads(ws)


class PythonBattleMapReads:
    """:class:`kam.storage.BattleMapReads` over the storage protocol (the reference)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def collection_order(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Iterator[tuple[str, Any]]:
        order = sorted((cur is not None, cur or "", -outstanding, cid, cur)
                       for cid, cur, _amount, _n, _paid, outstanding in
                       aggregates(self.ws).contract_sums(as_of, contract_where)
                       if outstanding > 0)
        return iter([(cid, cur) for _has, _key, _neg, cid, cur in order])

    def contract_cards(self, ids: Sequence[str]) -> Iterator[ContractCard]:
        contracts = list(scan(self.ws, "contract", BATTLE_KEYS, {"id__in": list(ids)},
                              order_by=("id",)))
        customers = sorted({c["customer_id"] for c in contracts if c.get("customer_id")})
        names: dict[str, str] = {}
        for start in range(0, len(customers), 500):
            for rec in scan(self.ws, "customer", ("id", "name"),
                            {"id__in": customers[start:start + 500]}, order_by=()):
                names[rec["id"]] = rec["name"]
        return iter([(*(c.get(k) for k in BATTLE_KEYS),  # type: ignore[misc]
                      names.get(c.get("customer_id") or "", "")) for c in contracts])


# --- the map's rows ------------------------------------------------------------------------

#: contracts read at a time when the battle map streams its rows
BATTLE_PAGE = 1000
#: the documents of a contract with none attached (one set, only read)
_NO_EVIDENCE: frozenset[str] = frozenset()
#: a battle map row's keys, in the order its JSON shows them
BATTLE_ROW_KEYS = ("contract_id", "number", "status", "customer_id", "owner", "amount",
                   "currency", "terms", "milestones", "collected", "collected_pct",
                   "outstanding", "next_action", "qing", "li", "fa", "customer")
_MILESTONES = BATTLE_ROW_KEYS.index("milestones")
#: the columns a page's running totals add up (:func:`_add_totals`' order)
_TOTALLED = ("currency", "amount", "collected", "outstanding")
#: a milestone's keys as the map shows it
MILESTONE_KEYS = ("kind", "amount", "due_date", "state", "days_overdue")


def battle_map(ws: Any, owner: str | None = None, customer: str | None = None,
               currency: str | None = None, member: str | None = None, **_: Any) -> Report:
    """One row per contract with money outstanding, whatever its status: a closed
    contract still owes its warranty retention, a terminated one what was not written
    off. Its totals per currency are the aging report's and ``kam receivable list``'s.

    Where the backend sums receivables per contract (kam.storage.ReceivableSums), the
    rows are ordered by those sums first and then built page by page as they are
    written (a big team's map is never held whole); otherwise they are built in one pass."""
    today = ws.today
    days = int(ws.config.get("reports", {}).get("relationship_days", 30))
    where: dict[str, Any] = scope(owner=owner, customer=customer, currency=currency)
    where.update(worked_by(ws, member, "contract"))
    recent = distinct(ws, "activity", "customer_id",
                      {"date__ge": today - dt.timedelta(days=days), "date__le": today})
    rows: Sequence[dict[str, Any]]
    totals: Sequence[dict[str, Any]]
    if isinstance(ws.storage, ReceivableSums):
        rows, totals = _streamed_rows(ws, ws.storage, where, recent)
    else:
        rows = _built_rows(ws, where, recent)
        totals = _battle_totals(ws, rows)
    report = new_report(ws, "battle-map", "回款作战地图", "Collection battle map",
                        relationship_days=days)
    check = {"true": "✓", "false": "✗"}
    report.tables.append(Table(
        "contracts", ["customer", "number", "status", "owner", "amount", "currency", "terms",
                      "milestones", "collected", "collected_pct", "outstanding", "next_action",
                      "qing", "li", "fa"], rows, totals,
        title=tr(ws, "在收款合同", "Contracts in collection"),
        display={"qing": check, "li": check, "fa": check,
                 "status": vocab_display(ws, "contract_status"),
                 "milestones": vocab_display(ws, "milestone_kind")
                 | vocab_display(ws, "receivable_state")},
        headers={"qing": tr(ws, "情", "情 relationship"), "li": tr(ws, "理", "理 performed"),
                 "fa": tr(ws, "法", "法 evidence")},
        numeric=["amount", "collected", "collected_pct", "outstanding"]))
    report.notes.append(tr(
        ws, f"情：近{days}天内拜访过客户；理：我方已交付；"
        "法：合同原件、到货签收单、验收证书按进度归档。",
        f"情 relationship kept: the customer was visited in the last {days} days; "
        "理 contract performed: delivered; 法 evidence chain kept: signed contract, delivery "
        "note and acceptance certificate attached as far as the contract has gone."))
    return report


def _built_rows(ws: Any, where: dict[str, Any], recent: set[Any]) -> list[dict[str, Any]]:
    """The battle map's rows in one pass over every milestone (the reference path)."""
    contracts = {c["id"]: tuple(c.get(k) for k in BATTLE_KEYS)
                 for c in scan(ws, "contract", BATTLE_KEYS, where, order_by=("id",))}
    evidence = _evidence(ws, {})
    kinds = vocab_display(ws, "milestone_kind")
    rows: list[dict[str, Any]] = []
    ms = _Milestones(milestone_columns(ws, ws.today, {}))
    for cid, start, end in ms.spans():
        c = contracts.get(cid)
        if c is None:
            continue
        row = _battle_row(ws, c, ms, start, end, evidence.get(cid, set()), recent, kinds)
        if row is not None:
            rows.append(row)
    names = customer_names(ws, {r["customer_id"] for r in rows})
    for r in rows:
        r["customer"] = names.get(r["customer_id"], "")
    rows.sort(key=lambda r: (r["currency"], -r["outstanding"], r["contract_id"]))
    return rows


def _streamed_rows(ws: Any, sums: ReceivableSums, where: dict[str, Any], recent: set[Any]
                   ) -> tuple[LazyList, LazyList]:
    """The rows in the report's order, from the contracts in collection read as one
    stream (:func:`collection_cards`), each page of contracts built when the rows are
    written, as columns (kam.column_pages: the renderers take them as they are). The
    totals are those of the rows last written (so they add up whatever changed since),
    else of a pass of their own. Each page's milestones are read a column at a time
    (kam.storage.MilestoneColumns)."""
    opened = [collection_cards(ws, where)]  # the first pass takes the stream read here
    written: list[list[dict[str, Any]]] = []

    def pages() -> Iterator[ColumnPage]:
        cards = (opened.pop() if opened else collection_cards(ws, where)).cards
        seen: list[dict[str, Any]] = []
        kinds = vocab_display(ws, "milestone_kind")
        while page := list(islice(cards, BATTLE_PAGE)):
            ids = [card[0] for card in page]
            evidence = _evidence(ws, {"contract_id__in": ids})
            ms = _Milestones(milestone_columns(ws, ws.today, {"contract_id__in": ids}))
            spans = {cid: (first, end) for cid, first, end in ms.spans()}
            made: list[tuple[tuple[Any, ...], Any, int, int]] = []
            for card in page:
                span = spans.get(card[0])
                if span is None:  # no milestones left since the contracts were read
                    continue
                first, end = span
                values = _battle_values(ws, card, ms, first, end,
                                        evidence.get(card[0], _NO_EVIDENCE), recent, kinds)
                if values is not None:  # None: paid in full since the contracts were read
                    made.append((values, card[-1], first, end))
            if not made:
                continue
            columns = _page_columns(ms, made)
            _add_totals(seen, *(columns[BATTLE_ROW_KEYS.index(k)] for k in _TOTALLED))
            yield ColumnPage(BATTLE_ROW_KEYS, columns, len(made))
            del columns, made  # not held while the next page is read and built
        written[:] = [seen]

    def totals() -> Iterator[dict[str, Any]]:
        if not written:
            for _page in pages():
                pass
        return iter(_battle_totals(ws, written[0], summed=True))

    return (LazyList(opened[0].contracts, pages=pages),
            LazyList(opened[0].currencies, totals))


def collection_cards(ws: Any, contract_where: Where | None = None) -> Collection:
    """The contracts in collection with their cards in the map's order: the backend's
    :class:`kam.storage.CollectionCards` when it has them, else the reference."""
    if isinstance(ws.storage, CollectionCards):
        return ws.storage.collection_cards(ws.today, contract_where)
    return PythonCollectionCards(battle_reads(ws)).collection_cards(ws.today, contract_where)


class PythonCollectionCards:
    """:class:`kam.storage.CollectionCards` over :class:`kam.storage.BattleMapReads` (the
    reference): the order held, each page's cards read by id."""

    def __init__(self, reads: BattleMapReads) -> None:
        self.reads = reads

    def collection_cards(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Collection:
        reads = self.reads
        order = list(reads.collection_order(as_of, contract_where))
        ids = [cid for cid, _cur in order]

        def cards() -> Iterator[ContractCard]:
            for start in range(0, len(ids), BATTLE_PAGE):
                page = ids[start:start + BATTLE_PAGE]
                found = {card[0]: card for card in reads.contract_cards(page)}
                # in the page's order; one missing was deleted since the order was read
                yield from (card for cid in page if (card := found.get(cid)) is not None)

        return Collection(len(ids), len({cur for _cid, cur in order}), cards())


def _page_columns(ms: _Milestones, made: list[tuple[tuple[Any, ...], Any, int, int]]
                  ) -> list[Sequence[Any]]:
    """A page's columns in :data:`BATTLE_ROW_KEYS`' order from its rows' values, customers'
    names and runs of milestones (``ms[first:end]``), the milestones as
    :class:`kam.column_pages.RecordRuns` in the rows' order."""
    columns: list[Sequence[Any]] = list(zip(*[m[0] for m in made], strict=True))
    runs = [slice(first, end) for _v, _name, first, end in made]

    def gathered(field: Sequence[Any]) -> list[Any]:
        return list(chain.from_iterable(map(field.__getitem__, runs)))

    columns[_MILESTONES] = RecordRuns(
        MILESTONE_KEYS,
        [gathered(ms.kinds), gathered(ms.amounts), gathered(ms.dues), gathered(ms.states),
         [d or None for d in gathered(ms.days)]],
        [end - first for _v, _name, first, end in made])
    columns.append([name for _v, name, _first, _end in made])
    return columns


def _add_total(seen: list[dict[str, Any]], row: dict[str, Any]) -> None:
    """Add a written row to its currency's running total (``seen`` holds one per currency)."""
    for t in seen:
        if t["currency"] == row["currency"]:
            break
    else:
        t = {"currency": row["currency"], "amount": ZERO, "collected": ZERO,
             "outstanding": ZERO}
        seen.append(t)
    t["amount"] += row["amount"] or ZERO
    t["collected"] += row["collected"]
    t["outstanding"] += row["outstanding"]


def _add_totals(seen: list[dict[str, Any]], currencies: Sequence[Any],
                amounts: Sequence[Any], collected: Sequence[Any],
                outstanding: Sequence[Any]) -> None:
    """:func:`_add_total` of each of a page's rows (given as its columns), a currency's
    run of them at a time (a page of the map is ordered by currency first): the same
    additions in the same order, each run's by one ``sum`` from its running total."""
    at = 0
    for currency, run in groupby(currencies):
        rows = slice(at, at := at + len(list(run)))
        for t in seen:
            if t["currency"] == currency:
                break
        else:
            t = {"currency": currency, "amount": ZERO, "collected": ZERO, "outstanding": ZERO}
            seen.append(t)
        t["amount"] = sum([a or ZERO for a in amounts[rows]], t["amount"])
        t["collected"] = sum(collected[rows], t["collected"])
        t["outstanding"] = sum(outstanding[rows], t["outstanding"])


def _battle_totals(ws: Any, rows: Iterable[dict[str, Any]], summed: bool = False
                   ) -> list[dict[str, Any]]:
    """One total row per currency: Σ amount, Σ collected, Σ outstanding of its rows (of
    ``rows`` already summed per currency when ``summed``)."""
    seen: list[dict[str, Any]] = []
    if summed:
        seen = list(rows)
    else:
        for r in rows:
            _add_total(seen, r)
    totals = []
    for t in sorted(seen, key=lambda t: t["currency"]):
        totals.append({"number": tr(ws, "合计", "total"), "currency": t["currency"],
                       "amount": t["amount"], "collected": t["collected"],
                       "collected_pct": percent(t["collected"], t["amount"]),
                       "outstanding": t["outstanding"]})
    return totals


def _evidence(ws: Any, where: dict[str, Any]) -> dict[str, set[str]]:
    """The kinds of document attached per contract (the evidence chain, 法)."""
    evidence: dict[str, set[str]] = {}
    for a in scan(ws, "attachment", ("id", "contract_id", "kind"), where, order_by=("id",)):
        if a["contract_id"]:
            evidence.setdefault(a["contract_id"], set()).add(a.get("kind") or "")
    return evidence


#: the documents the evidence chain (法) needs, by (delivered, finally accepted)
_NEEDED: dict[tuple[bool, bool], frozenset[str]] = {
    (False, False): frozenset({"contract"}),
    (True, False): frozenset({"contract", "delivery_note"}),
    (False, True): frozenset({"contract", "acceptance"}),
    (True, True): frozenset({"contract", "delivery_note", "acceptance"}),
}


class _Milestones:
    """Milestones a field at a time (kam.storage.MilestoneColumnLists, contract by
    contract in plan order), with each one's term (share, else amount) made a column at
    a time. A row takes its contract's run of them (``start:end``)."""

    __slots__ = ("cids", "seqs", "kinds", "amounts", "dues", "paid", "open", "states",
                 "days", "notes", "terms")

    def __init__(self, columns: MilestoneColumnLists) -> None:
        (self.cids, self.seqs, self.kinds, shares, self.amounts, self.dues, self.paid,
         self.open, self.states, self.days, self.notes) = columns
        self.terms = [str(share or "") or f"{money}"
                      for share, money in zip(shares, self.amounts, strict=True)]

    def spans(self) -> Iterator[tuple[str, int, int]]:
        """(contract id, start, end) of each contract's run of milestones."""
        end = 0
        for cid, run in groupby(self.cids):
            start, end = end, end + len(list(run))
            yield cid, start, end

    def records(self, start: int, end: int) -> list[dict[str, Any]]:
        """The run's milestones as the map shows them (:data:`MILESTONE_KEYS`)."""
        return [{"kind": kind, "amount": money, "due_date": due, "state": state,
                 "days_overdue": days or None}
                for kind, money, due, state, days
                in zip(self.kinds[start:end], self.amounts[start:end], self.dues[start:end],
                       self.states[start:end], self.days[start:end], strict=True)]


def _battle_row(ws: Any, c: Sequence[Any], ms: _Milestones, start: int, end: int,
                have: Set[str], recent: set[Any], kinds: dict[str, str] | None = None
                ) -> dict[str, Any] | None:
    """One contract's row from its milestones (``ms[start:end]``, in plan order), or None
    when it owes nothing: :func:`_battle_values` as a dict with its milestones."""
    values = _battle_values(ws, c, ms, start, end, have, recent, kinds)
    if values is None:
        return None
    row = dict(zip(BATTLE_ROW_KEYS[:-1], values, strict=True))  # but the customer's name
    row["milestones"] = ms.records(start, end)
    return row


def _battle_values(ws: Any, c: Sequence[Any], ms: _Milestones, start: int, end: int,
                   have: Set[str], recent: set[Any], kinds: dict[str, str] | None = None
                   ) -> tuple[Any, ...] | None:
    """One contract's row values in :data:`BATTLE_ROW_KEYS`' order but the last (the
    customer's name) and with None for its milestones, or None when it owes nothing.
    ``c`` is the contract's fields in :data:`BATTLE_KEYS`' order (a
    :data:`kam.storage.ContractCard`); ``kinds`` the milestone kinds' display map
    (looked up once a page)."""
    outstanding = sum(ms.open[start:end], ZERO)
    if outstanding <= 0:
        return None
    collected = sum(ms.paid[start:end], ZERO)
    cid, number, customer_id, owner, amount, currency, delivered, accepted = c[:8]
    return (
        cid, number, c[9], customer_id, owner, amount, currency,
        "/".join(ms.terms[start:end]), None, collected,
        # percent(collected, amount) without its two Decimal copies: the same digits
        (collected * 100 / amount).quantize(CENT, rounding=ROUND_HALF_UP) if amount else None,
        outstanding, _next_action(ws, c, ms, start, end, kinds),
        customer_id in recent, bool(delivered),
        _NEEDED[bool(delivered), bool(accepted)] <= have,
    )


def _next_action(ws: Any, c: Sequence[Any], ms: _Milestones, start: int, end: int,
                 kinds: dict[str, str] | None = None) -> str:
    """What to do next for the contract ``c`` (:func:`_battle_row`'s) with the milestones
    ``ms[start:end]``: the most overdue milestone, else the next one due, else what starts
    the next payment. One pass finds both candidates; only the language shown is
    formatted."""
    if kinds is None:
        kinds = vocab_display(ws, "milestone_kind")
    days, dues, open_, seqs = ms.days, ms.dues, ms.open, ms.seqs
    late = due = -1
    for i in range(start, end):
        d = days[i]
        if d > 0:  # the first of the most overdue (then most outstanding), as max()
            if late < 0 or d > days[late] or (d == days[late] and open_[i] > open_[late]):
                late = i
        elif late < 0 and dues[i] and open_[i] > 0:  # the first of the earliest, as min()
            if due < 0 or dues[i] < dues[due] or (
                    dues[i] == dues[due] and (seqs[i] or 0) < (seqs[due] or 0)):
                due = i
    english = ws.lang not in ("zh", "zh-Hant")
    if late >= 0:
        kind, outstanding, d = ms.kinds[late], open_[late], days[late]
        shown = kinds.get(kind, kind)
        text = (f"collect {shown} {outstanding:,} ({d} days overdue)" if english else
                pick(ws.lang, f"催收{shown} {outstanding:,}（逾期{d}天）", ""))
        return text + _promise(ws, ms.notes[late])
    if due >= 0:
        kind, on = ms.kinds[due], dues[due].isoformat()
        shown = kinds.get(kind, kind)
        text = (f"collect {shown} by {on}" if english else
                pick(ws.lang, f"{on} 前收{shown}", ""))
        return text + _promise(ws, ms.notes[due])
    return _waiting_action(ws, c[9], c[6], c[7],
                           [k for k, o in zip(ms.kinds[start:end], open_[start:end],
                                              strict=True) if o > 0])


def _waiting_action(ws: Any, status: Any, delivered_on: Any, final_accepted_on: Any,
                    waiting: Sequence[Any]) -> str:
    """The next action of a contract with nothing overdue or dated to collect: what starts
    the next payment (or, terminated, what to do with what is left); ``waiting``: the kinds
    of its milestones with money outstanding."""
    if status == "terminated":
        return tr(ws, "合同已终止：收回或核销未收款", "terminated: collect or write off what is "
                  "outstanding")
    if "on_delivery" in waiting and not delivered_on:
        return tr(ws, "完成到货，触发到货款", "deliver, to start the on-delivery payment")
    if "on_acceptance" in waiting and not final_accepted_on:
        return tr(ws, "推动终验，触发验收款", "drive final acceptance, to start that payment")
    return tr(ws, "质保期满后收质保金", "collect the retention when the warranty ends")


def _promise(ws: Any, note: dict[str, Any] | None) -> str:
    """The milestone's latest collection note as the battle map reads it: the reason
    (003) and the day the customer promised to pay."""
    if note is None:
        return ""
    reason = vocab_display(ws, "collection_reason").get(note["reason"], note["reason"])
    if note.get("promised"):
        return tr(ws, f"；客户承诺 {note['promised']} 付款（{reason}）",
                  f"; promised for {note['promised']} ({reason})")
    return tr(ws, f"；原因：{reason}", f"; why late: {reason}")
