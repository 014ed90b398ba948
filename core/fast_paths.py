"""kam's optional fast paths for reports, ``kam today`` and ``kam check``: what a backend
may answer in the database instead of the Python references streaming every record
(issue 15). Each is a ``runtime_checkable`` protocol a backend offers by having its
methods; callers test ``isinstance`` and fall back to the reference. Backends and
plugins name them through :mod:`kam.storage`, which re-exports every one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from kam.storage import PIPELINE_KEYS as PIPELINE_KEYS  # kam.storage's (the pipeline report)
from kam.storage import ColumnReads, Record, Where, kind
from kam.storage import DealSum as DealSum  # kam.storage's (the pipeline report)
from kam.storage import PipelineSums as PipelineSums  # kam.storage's (the pipeline report)
from kam.storage import StoredTextPages as StoredTextPages  # kam.storage's, every list checks it
from kam.stored import JsonText as JsonText


@runtime_checkable
class ActivityRollup(Protocol):
    """What the morning list and the activity report need from the call history (拜访),
    computed by the database instead of streaming every call through Python.

    ``latest_calls``: per live deal (open, or won and not completed) — or per customer for
    calls on no deal — the latest call (by date, then id) dated on or before ``as_of``,
    with fields id, date, opportunity_id, customer_id, owner, next_step, next_due; only
    ``owner``'s calls when given; with ``due_by``, only the latest calls whose next step
    is due on or before it (the morning list needs no others).

    ``deal_touches``: per open deal with a call dated on or before ``as_of`` (of
    ``customer`` when given): (deal id, date of its latest call, how many of its latest
    calls in a row had the outcome ``continuance``).

    ``call_counts``: calls dated from ``start`` to ``as_of`` (of ``customer``/``owner``
    when given) counted per (owner, date, outcome).
    """

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]: ...

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]: ...

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]: ...


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



@runtime_checkable
class DealSums(Protocol):
    """Opportunities (商机) summed by the database for the pipeline (管道) and forecast
    (销售预测) reports instead of streaming every deal through Python.

    ``deal_sums``: the opportunities ``where`` selects, grouped by the values of ``keys``
    (opportunity fields, valued as records give them), each group with how many deals,
    Σ amount and Σ weighted amount — each deal's amount × probability ÷ 100 to the cent,
    half up (kam.reports.common.weighted); a missing amount or probability counts 0.
    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def deal_sums(self, keys: Sequence[str], where: Where | None = None
                  ) -> Iterator[DealSum]: ...


#: one deal of :class:`StageMoves`: (deal id, first stage of its history, the day
#: it was entered, the deal's ``created_at``)
StageStart = tuple[str, Any, Any, Any]
#: one event of :class:`StageMoves`: (record id, event kind, ``at``, and its payload's
#: ``from``, ``to``, ``stage``, ``on``, ``reason``)
StageMove = tuple[str, str, Any, Any, Any, Any, Any, Any]


@runtime_checkable
class StageMoves(Protocol):
    """What the funnel (销售漏斗) reads of the stage history, picked out by the database
    instead of decoding every deal's history and every event's payload in Python.

    ``stage_starts``: per opportunity ``where`` selects, its id, the ``stage`` and ``on``
    of the first entry of its ``stage_history`` (None when it has none) and its
    ``created_at``, in id order.

    ``stage_moves``: per event of one of ``kinds``, in event order: its ``record_id``,
    ``kind`` and ``at``, and the ``from``, ``to``, ``stage``, ``on`` and ``reason`` of its
    payload (None when absent).

    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def stage_starts(self, where: Where | None = None) -> Iterator[StageStart]: ...

    def stage_moves(self, kinds: Sequence[str]) -> Iterator[StageMove]: ...


#: one group of :class:`StageReach`: (pipeline, status, index of the furthest stage its
#: deals reached, how many deals)
StageReachCount = tuple[str, str, int, int]


@runtime_checkable
class StageReach(Protocol):
    """How far deals got (阶段到达), counted by the database for the stage conversion
    (阶段赢单率) of the targets report instead of reading every stage event in Python.

    ``stage_reach``: the opportunities ``where`` selects whose pipeline is a key of
    ``order`` (pipeline → its stage keys in order), grouped by (pipeline, status, reach)
    with how many deals. A won deal reaches its pipeline's last stage; any other the
    furthest of its first ``stage_history`` stage (index 0 when it has none or it is not
    one of the pipeline's) and the ``to`` of each ``opportunity.advanced`` event about it
    (ignored when not one of the pipeline's stages).
    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def stage_reach(self, order: Mapping[str, Sequence[str]], where: Where | None = None
                    ) -> Iterator[StageReachCount]: ...


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


# --- ``kam today --owner`` and ``kam check`` (issue 15) ----------------------------------

@runtime_checkable
class LatestCallsOn(Protocol):
    """``latest_calls_on(as_of, deals, due_by)``: :class:`ActivityRollup`'s
    ``latest_calls(as_of, None, due_by)`` of those deals only — the calls on one member's
    deals (铁三角) for their morning list, without reading every deal's latest call.
    Reference: ``kam.reports.rollups.latest_calls_on``."""

    def latest_calls_on(self, as_of: dt.date, deals: Sequence[str],
                        due_by: dt.date | None = None) -> Iterator[Record]: ...


# --- ``kam today`` for the whole team, memory flat (issue 15) ----------------------------

#: one next step due as ``kam today`` lists it (到期的下一步): next_due, next_step, the
#: deal (or, for a call on no deal, customer) id, customer_id, owner, the call's id
NextStep = tuple[dt.date, Any, str, str, Any, str]


@runtime_checkable
class NextStepsDue(Protocol):
    """``next_steps_due(as_of, due_by)``: the whole team's latest call per live deal (or
    customer) whose next step is due by ``due_by`` — :class:`ActivityRollup`'s
    ``latest_calls(as_of, None, due_by)`` — as :data:`NextStep` tuples in ``kam today``'s
    order (next_due, then the id), read in that order rather than held as records and
    sorted; ``None`` when the backend cannot (a key called after ``as_of``). Reference:
    ``kam.reports.rollups.next_steps_due``."""

    def next_steps_due(self, as_of: dt.date, due_by: dt.date
                       ) -> Iterator[NextStep] | None: ...


@runtime_checkable
class NextStepsHead(Protocol):
    """``next_steps_head(as_of, due_by, limit)``: how many steps :class:`NextStepsDue`
    lists, and the first ``limit`` of them — what ``kam today`` prints for people — from
    an index, not the ~45k steps of a big team read to count them; ``None`` when the
    backend cannot. Reference: ``kam.reports.rollups.next_steps_head``."""

    def next_steps_head(self, as_of: dt.date, due_by: dt.date, limit: int
                        ) -> tuple[int, list[NextStep]] | None: ...


#: one stalled deal as ``kam today`` and the activity report list it (停滞的商机): id,
#: title, owner, stage, its latest call's date (None: never called), days silent, the
#: trailing run of continuances
StalledDeal = tuple[str, Any, Any, Any, dt.date | None, int, int]


@runtime_checkable
class StalledDeals(Protocol):
    """``stalled_deals(as_of, silent_days, run_n, limit)``: the whole team's open deals
    stalled on ``as_of`` — a trailing run of at least ``run_n`` continuances, or silent for
    at least ``silent_days`` since the latest call (else the stage's start, else the day
    the deal was made) — most days silent first, then the longest run, then by id: how
    many there are, and the first ``limit`` of them (all when None) as
    :data:`StalledDeal`, so a big team's ~50k open deals are judged by the database, not
    read and judged one by one; ``None`` when the backend cannot (a deal called after
    ``as_of``). Reference: ``kam.reports.activity.stalled_reference``."""

    def stalled_deals(self, as_of: dt.date, silent_days: int, run_n: int,
                      limit: int | None = None) -> tuple[int, list[StalledDeal]] | None: ...


# --- all-row csv lists: stored json and dates passed through (issue 15) ------------------

# JsonText (a json field's value as its stored text) is kam.stored's and StoredTextPages
# kam.storage's: the SQLite backend decodes with the one at import and every list checks
# the other, neither of which need build these protocols


def stored_text_pages(storage: ColumnReads, kind_name: str,
                      fields: Sequence[str] | None = None, where: Where | None = None,
                      order_by: Sequence[str] = ("id",), limit: int | None = None,
                      size: int = 500) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
    """The reference of :class:`StoredTextPages`: ``column_pages`` with the json values
    encoded again and the dates written in ISO form."""
    from kam.stored import JSON_TEXT

    types = {f.name: f.type for f in kind(kind_name).fields}
    for names, columns in storage.column_pages(kind_name, fields, where, order_by, limit,
                                               size):
        yield names, [[None if v is None else JsonText(JSON_TEXT(v)) for v in col]
                      if types[name] == "json" else
                      [None if v is None else v.isoformat() for v in col]
                      if types[name] == "date" else col
                      for name, col in zip(names, columns, strict=True)]


@runtime_checkable
class ReceivableCsvRows(Protocol):
    """``receivable_csv_rows``: the milestones ``where`` selects in ``order_by``, pages
    of rows for ``receivable list -f csv`` computed by the database (state, outstanding
    and days overdue on ``today``), so 200k milestones are written without being made
    columns and cells one by one (issue 15). Each row is the receivable view's fields
    (``kam.services.receivable_pages.VIEW_FIELDS``) as csv.writer is to write them
    before escaping: money as two-place text, dates and json as stored (``[]`` as None),
    a ``due_offset`` like ``+10d`` already quoted as ``neutralise`` quotes it, numbers
    as ints; a row the database cannot give exactly (money not in whole cents, an
    unreadable due date, notes that are not a list of objects) has the state None and
    is made by the reference instead. ``kam.services.receivable_pages.csv_text``
    checks and writes them; ``csv_text_reference`` there is the reference
    (tests/test_receivable_csv.py)."""

    def receivable_csv_rows(self, where: Where | None, order_by: Sequence[str],
                            today: dt.date, size: int = 500
                            ) -> Iterator[list[tuple[Any, ...]]]: ...



@runtime_checkable
class ListCsvLines(Protocol):
    """``csv_lines``: ``kam … list -f csv`` of every field with each row's csv line made
    by the database — one text per row read instead of one value per field, nothing
    converted or quoted cell by cell (issue 15: a deal has 49 fields). Returns every
    field's name, in the order :class:`StoredTextPages` reads them (the header), and the
    records ``where`` selects in ``order_by`` as pages of (id, line): the line is the
    row's cells as :func:`kam.column_text.csv_texts` and ``csv_text`` write them from
    ``stored_text_pages``, before escaping (control characters and cells that may start
    a formula are the caller's to find). Where the database cannot give a row exactly
    the line is None or holds a control character: the caller writes that row's page
    by the reference.
    :func:`kam.list_csv.csv_text` writes them; ``csv_text_reference`` there is the
    reference (tests/test_list_csv.py)."""

    def csv_lines(self, kind: str, where: Where | None = None,
                  order_by: Sequence[str] = ("id",), limit: int | None = None,
                  size: int = 500
                  ) -> tuple[list[str], Iterator[list[tuple[str, str | None]]]]: ...

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


#: one milestone due or overdue as ``kam today`` lists it (到期和逾期的回款): id,
#: contract_id, customer_id, kind, due_date, state, days_overdue, outstanding, currency
DueReceivable = tuple[str, Any, Any, Any, dt.date, str, int, Decimal, Any]


@runtime_checkable
class DueReceivables(Protocol):
    """``due_receivables(as_of, due_by, where)``: the milestones ``where`` selects that
    are open on ``as_of`` (state due, overdue or partially paid, as
    :func:`kam.models.receivable_state.receivable_view` decides) and due on or before
    ``due_by``, as :data:`DueReceivable`, most days overdue first, then by due date and
    id: state and sums from the database, not each milestone's whole record and view.
    Reference: ``kam.reports.today.python_due_receivables``."""

    def due_receivables(self, as_of: dt.date, due_by: dt.date, where: Where | None = None
                        ) -> Iterator[DueReceivable]: ...


@runtime_checkable
class DueReceivablesHead(Protocol):
    """``due_receivables_head(as_of, due_by, where, limit)``: how many milestones
    :class:`DueReceivables` lists and the first ``limit`` of them — what ``kam today``
    prints for people — counted and sorted by the database in one query, the rest never
    made rows. Reference: ``kam.reports.today.due_receivables_head``."""

    def due_receivables_head(self, as_of: dt.date, due_by: dt.date, where: Where | None,
                             limit: int) -> tuple[int, list[DueReceivable]]: ...


# --- ``kam check`` with nothing new (issue 15, branch check3) ---------------------------

#: the events of ``kam check``'s receivable reminders (one per milestone and level)
REMINDER_KINDS = ("receivable.due", "receivable.overdue")


@runtime_checkable
class FiredReminders(Protocol):
    """``fired_reminders()``: :class:`EventValues`' ``event_values(REMINDER_KINDS,
    "level")`` in no particular order — what earlier ``kam check`` runs fired (催款提醒),
    read from an index of those events alone rather than from every event's payload.
    Reference: ``kam.services.check.python_fired_reminders``."""

    def fired_reminders(self) -> Iterator[tuple[str, str | None, Any]]: ...


@runtime_checkable
class FiredLevels(Protocol):
    """``fired_levels()``: :class:`FiredReminders` by milestone — the ids (``str``) with a
    due reminder, and each id's overdue reminders' levels decoded as FiredReminders
    decodes them (in no particular order): one row per milestone read, not one per
    reminder (~100k after a big team's first run). Reference:
    ``kam.services.check.python_fired_levels``."""

    def fired_levels(self) -> tuple[set[str], dict[str, tuple[Any, ...]]]: ...

#: one milestone of :class:`OpenBalances`: (id, due date, currency, money outstanding)
OpenBalance = tuple[str, dt.date, str | None, Decimal]


@runtime_checkable
class OpenBalances(Protocol):
    """``open_balances(due_by)``: (id, due date, currency, outstanding) of the milestones
    :class:`OpenReceivables` gives for ``open_receivables(None, due_by, False,
    ("due_date", "id"))``, in that order, ``outstanding`` as ``receivable_view`` has it —
    without reading whole rows: ``kam check`` decides from these what fires and what is
    overdue, and reads whole milestones only for the reminders it fires.
    Reference: ``kam.services.check.python_open_balances``."""

    def open_balances(self, due_by: dt.date) -> Iterator[OpenBalance]: ...


@runtime_checkable
class UnflaggedLate(Protocol):
    """``unflagged_late(due_by, flag_type)``: the customers (ids, each once, in id order)
    of the milestones :class:`OpenBalances` gives for ``due_by`` that have no open flag
    (not cleared) of ``flag_type`` — for ``kam check``'s anomaly pass: the standard rule
    raises ``low_credit`` (信用度很低) only on those, so a run with nothing new reads no
    whole milestone or customer for it. A customer id no customer has is left out.
    Reference: ``kam.services.check_anomalies.python_unflagged_late``."""

    def unflagged_late(self, due_by: dt.date, flag_type: str) -> Iterator[str]: ...


@runtime_checkable
class OverdueTexts(Protocol):
    """``overdue_texts(as_of)``: the milestones with money overdue on ``as_of`` (oldest due
    first, as ``kam.services.check.overdue_views``), each the ``receivable_view`` with its
    money and dates as their JSON text (``str(Decimal)``, ISO dates) — what ``kam check -f
    json`` prints every day (~22,700 on a big team), read a few columns at a time instead
    of whole rows. Reference: ``kam.services.check.python_overdue_texts``."""

    def overdue_texts(self, as_of: dt.date) -> Iterator[dict[str, Any]]: ...


@runtime_checkable
class OverdueJson(Protocol):
    """``overdue_json(as_of, indent)``: :class:`OverdueTexts`' milestones, in its order,
    each as the JSON object ``kam.check_json`` writes for it at ``indent`` (the C
    encoder's text: ``ensure_ascii`` off, DEL and C1 left for the writer to escape) — or
    as :class:`OverdueTexts`' dict where the backend cannot write it exactly (a milestone
    with collection notes). The database writes the text instead of Python making ~22,700
    dicts and encoding them every day. Reference: ``kam.services.check.python_overdue_texts``
    as ``kam.check_json`` writes each (``_row``)."""

    def overdue_json(self, as_of: dt.date, indent: str) -> Iterator[str | dict[str, Any]]: ...


# --- ``kam report targets`` (issue 15, reports3) -----------------------------------------

#: one group of :class:`DealMonthSums`: (owner, "" for none; currency; month ``YYYY-MM``
#: of the deal's business day; customer id; category; pipeline; stage; Σ amount)
DealMonthSum = tuple[str, Any, str, Any, Any, Any, Any, Decimal]


@runtime_checkable
class DealMonthSums(Protocol):
    """Opportunities (商机) summed per month for the targets report (目标完成, 漏斗裕量)
    instead of reading every won and open deal (80k on a big team) one by one.

    ``deal_month_sums(won, where, customers, products)``: the deals ``where`` selects
    that have their business day — when ``won``, ``closed_at`` or else ``close_date``
    (the day it was won), otherwise ``close_date`` (when it should close) — grouped by
    the fields of :data:`DealMonthSum`, each group with Σ amount (a missing amount
    counts 0), in no particular order. The customer id is kept only when it is one of
    ``customers`` and the category only when one of ``products`` (else None): a target
    names a customer or product line or adds up all of them, so the groups stay few.
    Won deals are not grouped by pipeline and stage (both None): what a target won
    needs neither.
    Reference: ``kam.reports.targets_sums.PythonDealMonthSums``."""

    def deal_month_sums(self, won: bool, where: Where | None = None,
                        customers: Collection[str] = (), products: Collection[str] = ()
                        ) -> Iterator[DealMonthSum]: ...


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
