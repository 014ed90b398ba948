"""kam's optional fast paths for the receivable reports' (应收账款: aging, battle map, revenue,
renewals): sums and views of payment milestones.

Loaded by :mod:`kam.storage` when one of them is first named (see :mod:`kam.fast_paths`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, runtime_checkable

from kam.storage import Record, Where


@runtime_checkable
class OpenReceivables(Protocol):
    """Payment milestones (回款节点) with money outstanding, read without the paid and
    written-off ones (most of them in a workspace with history): not written off, amount −
    paid − written_off above 0; due on or before ``due_by`` when given; only those with a
    collection note (催收说明) when ``noted``; ``where`` and ``order_by`` as in ``find``.
    Whole records, as ``find`` returns them."""

    def open_receivables(self, where: Where | None = None, due_by: dt.date | None = None,
                         noted: bool = False, order_by: Sequence[str] = ("id",)
                         ) -> Iterator[Record]: ...


@runtime_checkable
class EventValues(Protocol):
    """(kind, record id, the payload's value at ``key`` or None) of every event of
    ``kinds``, in order, without decoding whole events: what ``kam check`` needs to know
    what it fired before (one event per reminder, so the log grows by thousands a day)."""

    def event_values(self, kinds: Sequence[str], key: str
                     ) -> Iterator[tuple[str, str | None, Any]]: ...


#: one group of :class:`ReceivableSums`: (customer id, contract owner or "", currency or "",
#: state, aging bucket index, how many milestones, their outstanding money)
ReceivableSum = tuple[str, str, str, str, int, int, Decimal]


#: one contract of :class:`ReceivableSums`: (contract id, its currency, its amount, how
#: many milestones, paid, outstanding)
ContractSum = tuple[str, str | None, Decimal | None, int, Decimal, Decimal]


@runtime_checkable
class ReceivableSums(Protocol):
    """Receivables (回款节点) summed by the database for the aging report (账龄) instead of
    computing each milestone's view in Python.

    ``receivable_sums``: the receivables ``where`` selects whose contract ``contract_where``
    selects, grouped by (customer id, the contract's owner or "", currency or "", state,
    aging bucket) with how many there are and their ``outstanding`` summed — state,
    outstanding and days overdue exactly as
    :func:`kam.models.receivable_state.receivable_view` gives them on ``as_of``. The bucket
    is 0 when nothing is overdue, else 1 + the index of the first of ``ends`` (increasing
    whole days) the days overdue do not exceed, else ``len(ends) + 1``.

    ``contract_sums``: per contract ``contract_where`` selects that has milestones, its
    currency and amount, how many milestones, Σ paid and Σ outstanding on ``as_of`` (the
    battle map 作战地图 orders and totals its rows by them before reading any milestone).

    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def receivable_sums(self, as_of: dt.date, ends: Sequence[int],
                        where: Where | None = None, contract_where: Where | None = None
                        ) -> Iterator[ReceivableSum]: ...

    def contract_sums(self, as_of: dt.date, contract_where: Where | None = None
                      ) -> Iterator[ContractSum]: ...


#: one group of :class:`PaymentSums`: (customer id, its contract's owner or "", currency,
#: period, Σ amount)
PaymentSum = tuple[str, str, Any, str, Decimal]


@runtime_checkable
class PaymentSums(Protocol):
    """Payments (回款) summed by the database for the revenue classes (客户收入分类) of the
    renewals report and the account plan, instead of reading every payment in Python.

    ``payment_sums``: the payments ``where`` selects, grouped by (customer id, the owner of
    their contract when ``contract_where`` selects it — else "", currency, the period of
    their date: ``by`` ``month`` 2026-06, ``quarter`` 2026-Q2 or ``year`` 2026), each with
    Σ amount. kam.reports.aggregates.PythonAggregates is the reference.
    """

    def payment_sums(self, by: str, where: Where | None = None,
                     contract_where: Where | None = None) -> Iterator[PaymentSum]: ...


#: one milestone of :class:`MilestoneViews`: (contract id, seq, kind, share, amount, due
#: date, paid, outstanding, state, days overdue, its latest collection note or None)
MilestoneView = tuple[str, Any, Any, Any, Decimal, Any, Decimal, Decimal, str, int,
                      dict[str, Any] | None]


@runtime_checkable
class MilestoneViews(Protocol):
    """Payment milestones (回款节点) as the battle map (作战地图) shows them, their state
    computed by the database instead of building each one's full view in Python (200k
    milestones on a big team).

    ``milestone_views``: the receivables ``where`` selects, ordered by contract id, seq
    and id, each with the fields of :data:`MilestoneView` — amount, paid, outstanding,
    state and days overdue exactly as
    :func:`kam.models.receivable_state.receivable_view` gives them on ``as_of``, the
    latest collection note as :func:`~kam.models.receivable_state.latest_note` does.
    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def milestone_views(self, as_of: dt.date, where: Where | None = None
                        ) -> Iterator[MilestoneView]: ...


#: :class:`MilestoneColumns`' answer: the fields of :data:`MilestoneView` a column each
#: (contract ids, seqs, kinds, shares, amounts, due dates, paid, outstanding, states,
#: days overdue, latest collection notes), the i-th of each list the i-th milestone
MilestoneColumnLists = tuple[list[str], list[Any], list[Any], list[Any], list[Decimal],
                             list[Any], list[Decimal], list[Decimal], list[str], list[int],
                             list[dict[str, Any] | None]]


@runtime_checkable
class MilestoneColumns(Protocol):
    """:class:`MilestoneViews` a column at a time, for the battle map's pages (1,000
    contracts, ~4k milestones): the rows read in one fetch and each column's amounts and
    dates converted at once, where a view tuple made per milestone (200k on a big team)
    was a third of the report's data side.

    ``milestone_columns(as_of, where)``: exactly ``milestone_views(as_of, where)``
    transposed — the same milestones in the same order, the same values.
    Reference: ``kam.reports.aggregates.milestone_columns`` over :class:`MilestoneViews`.
    """

    def milestone_columns(self, as_of: dt.date, where: Where | None = None
                          ) -> MilestoneColumnLists: ...


# --- the aging report's sums (issue 15, branch reports3b) ---------------------------------

#: one group of :class:`AgingSums`: (customer id, contract owner or "", currency or "",
#: aging bucket index, Σ outstanding)
AgingSum = tuple[str, str, str, int, Decimal]


@runtime_checkable
class AgingSums(Protocol):
    """What the aging report (账龄) adds up, without the milestones that owe nothing.

    ``aging_sums(as_of, ends, where, contract_where)``: :class:`ReceivableSums`'s
    ``receivable_sums`` groups whose outstanding is above 0, summed over their state:
    (customer id, owner, currency, bucket, Σ outstanding) — a big team's paid
    milestones (half of them) are never grouped. Reference:
    ``kam.reports.aging_sums.reference``."""

    def aging_sums(self, as_of: dt.date, ends: Sequence[int], where: Where | None = None,
                   contract_where: Where | None = None) -> Iterator[AgingSum]: ...


# --- ``kam report battle-map`` (issue 15, reports3) --------------------------------------

#: one contract of :class:`BattleMapReads`' ``contract_cards``: its fields as records give
#: them (id, number, customer_id, owner, amount, currency, delivered_on,
#: final_accepted_on, signed_on, status) and its customer's name ("" when there is no
#: such customer)
ContractCard = tuple[str, Any, Any, Any, Any, Any, Any, Any, Any, Any, str]


@runtime_checkable
class BattleMapReads(Protocol):
    """What the battle map (回款作战地图) reads besides the milestones, a database query
    each instead of sums turned into ``Decimal`` and sorted in Python, and records
    decoded field by field (50k contracts on a big team).

    ``collection_order(as_of, contract_where)``: (contract id, currency) of each
    contract ``contract_where`` selects whose milestones have money outstanding on
    ``as_of`` (:class:`ReceivableSums` ``contract_sums``' Σ outstanding > 0), by
    currency (none first), Σ outstanding (largest first), then id.

    ``contract_cards(ids)``: :data:`ContractCard` of each of those contracts that
    exists, in no particular order.

    Reference: ``kam.reports.battle_map.PythonBattleMapReads``."""

    def collection_order(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Iterator[tuple[str, Any]]: ...

    def contract_cards(self, ids: Sequence[str]) -> Iterator[ContractCard]: ...


class Collection(NamedTuple):
    """The battle map's contracts in collection as one stream (:class:`CollectionCards`):
    how many there are and among how many currencies (a contract with none counting as
    one), and their cards in the map's order, read as they are taken."""

    contracts: int
    currencies: int
    cards: Iterator[ContractCard]


@runtime_checkable
class CollectionCards(Protocol):
    """:class:`BattleMapReads`' two reads as one ordered stream: the contracts in
    collection (回款作战地图) and their cards read in one query as the map's rows are
    written, instead of every contract's id and currency held and each page's cards
    looked up by id again.

    ``collection_cards(as_of, contract_where)``: a :class:`Collection` of the contracts
    ``collection_order(as_of, contract_where)`` gives, in that order, each as
    ``contract_cards`` gives it. A database reads the whole stream in one snapshot.

    Reference: ``kam.reports.battle_map.collection_cards`` (over
    :class:`BattleMapReads`)."""

    def collection_cards(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Collection: ...
