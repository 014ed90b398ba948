"""The storage protocol every backend implements, and its query vocabulary.

Records are plain dicts at this boundary (money as ``Decimal``, dates as
``datetime.date``, json fields as lists/dicts); models are built above it.
Filters are ``{"field": value}`` for equality or ``{"field__op": value}`` with an
op from ``OPS``; ``order_by`` names fields, ``-field`` for descending. Backends
never build SQL from raw user text: field names are checked against the kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kam.errors import InputError, StorageError
from kam.kinds import EVENT, KINDS, Kind
from kam.stored import JSON_TEXT_PARSED as JSON_TEXT_PARSED  # json stored form, no cycles
from kam.stored import JsonText as JsonText  # a json value as its stored text
from kam.stored import load_columns as load_columns  # BulkLoad's guard, for backends
from kam.stored import payload_kinds as payload_kinds  # EventValues' guard, for backends
from kam.stored import to_stored as to_stored  # a value's stored form, for backends too
from kam.stored import update_types as update_types  # update's guard, for backends

Record = dict[str, Any]
Where = Mapping[str, Any]

OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "isnull")


class ConflictError(StorageError):
    """A record with this id exists already, or the row changed under us."""


class RetryableError(StorageError):
    """The database gave up the transaction (a serialization failure or a deadlock):
    nothing of it was written, and running it again may succeed (``atomic`` does)."""


@runtime_checkable
class Storage(Protocol):
    """What the core needs from a backend. Keep it small; see docs/hooks.md."""

    name: str

    def get(self, kind: str, record_id: str) -> Record | None: ...

    def find(
        self,
        kind: str,
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Record]: ...

    def count(self, kind: str, where: Where | None = None) -> int: ...

    def insert(self, kind: str, record: Record) -> None: ...

    def update(self, kind: str, record_id: str, changes: Record) -> None: ...

    def next_id(self, kind: str) -> str: ...

    def append_event(self, event: Record) -> Record: ...

    def events(
        self,
        record_id: str | None = None,
        kinds: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Record]: ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


# --- optional capabilities --------------------------------------------------------
# A backend may also implement any of these; the core checks with ``isinstance`` (the
# protocols are runtime-checkable) and otherwise computes the same answer in Python from
# the protocol above (kam.reports.common.scan, kam.reports.rollups). The Python path is
# the reference: tests/test_rollups.py checks every fast path against it on random data.


@runtime_checkable
class Selecting(Protocol):
    """Column-limited reads: like ``find`` but only ``fields`` of each record (each
    combination once with ``distinct``; at most ``limit``). Reports scanning a whole kind,
    and lists shown as a table, skip the wide json columns this way."""

    def select(self, kind: str, fields: Sequence[str], where: Where | None = None,
               order_by: Sequence[str] = ("id",), distinct: bool = False,
               limit: int | None = None) -> Iterator[Record]: ...


@runtime_checkable
class ColumnReads(Protocol):
    """A list's records a page of columns at a time: (field names, one sequence of values
    per field) for up to ``size`` records, the values decoded as ``find``/``select``
    decode them (every field when ``fields`` is None). A long list's csv and table
    renderers format a column at once, so building a record per row — most of such a
    list's read — is skipped (:class:`RecordPages`; ``find`` is the reference)."""

    def column_pages(self, kind: str, fields: Sequence[str] | None = None,
                     where: Where | None = None, order_by: Sequence[str] = ("id",),
                     limit: int | None = None, size: int = 500
                     ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]: ...


@runtime_checkable
class StoredTextPages(Protocol):
    """``stored_text_pages``: :class:`ColumnReads`' ``column_pages`` with each json field's
    values as :class:`JsonText` and each date field's as its ISO text (None stays None):
    the cells a csv list writes are the same, without decoding 100k deals' stage history
    or 1M activities' dates to write them out again. Reference:
    :func:`kam.fast_paths.lists.stored_text_pages` (here, not in kam.fast_paths, as every list
    checks for it: kam.services.common.rows_of)."""

    def stored_text_pages(self, kind: str, fields: Sequence[str] | None = None,
                          where: Where | None = None, order_by: Sequence[str] = ("id",),
                          limit: int | None = None, size: int = 500
                          ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]: ...


#: one group of :class:`DealSums` (kam.fast_paths): (its key values, how many deals,
#: Σ amount, Σ weighted)
DealSum = tuple[tuple[Any, ...], int, Decimal, Decimal]


#: the keys :class:`PipelineSums` sums the deals by (this capability and its names are
#: here, not in kam.fast_paths, so the pipeline report loads none of the others)
PIPELINE_KEYS = ("pipeline", "stage", "currency", "forced")


@runtime_checkable
class PipelineSums(Protocol):
    """The pipeline report's (管道) two reads of the open deals in one pass: the deal sums
    by (pipeline, stage, currency, forced) and the ``fields`` of the deals forced past a
    gate (强制推进), in id order — the database walks the selected deals once, not twice.

    ``pipeline_sums``: what ``deal_sums(PIPELINE_KEYS, where)`` gives, and the deals
    ``where | {"forced": True}`` selects. kam.reports.pipeline.pipeline_sums_reference is
    the reference over the plain protocol and :class:`DealSums`.
    """

    def pipeline_sums(self, where: Where | None, fields: Sequence[str]
                      ) -> tuple[list[DealSum], Iterator[Record]]: ...


class RecordPages(Iterator[Record]):
    """A list's records, read one of two ways, whichever its consumer asks for first:
    iterated, the records one by one as ``records()`` reads them (``find``/``select``);
    :meth:`columns` hands the csv and table renderers ``pages()`` (a
    :class:`ColumnReads` backend's pages of columns) as they are read."""

    def __init__(self, pages: Callable[[], Iterator[tuple[list[str], list[Sequence[Any]]]]],
                 records: Callable[[], Iterator[Record]],
                 text_pages: Callable[[], Iterator[tuple[list[str], list[Sequence[Any]]]]]
                 | None = None,
                 csv_text: Callable[[], Iterator[str]] | None = None) -> None:
        self.pages = pages
        self.records = records
        #: the pages with json values as :class:`JsonText` (a :class:`StoredTextPages`
        #: backend), for csv
        self.text_pages = text_pages
        #: the csv of every field, in pieces, made by the list itself
        #: (``receivable list``: kam.services.receivable_pages.csv_text)
        self.csv_text = csv_text
        self._records: Iterator[Record] | None = None

    def __iter__(self) -> Iterator[Record]:
        if self._records is None:
            self._records = self.records()
        return self._records  # a loop over the records runs the backend's own reader

    def __next__(self) -> Record:
        return next(iter(self))

    def columns(self, wanted: Sequence[str] | None, stored_text: bool = False
                ) -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
        """The pages with the ``wanted`` fields in that order (a field not read: None
        for each record, as ``record.get`` gives), or every field read; with
        ``json_text`` (csv, which writes the same cells from either) json values as
        :class:`JsonText` when the backend reads them so."""
        read = self.text_pages if stored_text and self.text_pages is not None else self.pages
        for names, cols in read():
            if wanted is None or list(wanted) == names:
                yield names, cols
                continue
            where = {n: i for i, n in enumerate(names)}
            size = len(cols[0]) if cols else 0
            yield list(wanted), [cols[where[w]] if w in where else [None] * size
                                 for w in wanted]


@runtime_checkable
class BulkInsert(Protocol):
    """Many records of one kind in one statement (imports, benchmark data)."""

    def insert_many(self, kind: str, records: Sequence[Record]) -> None: ...


@runtime_checkable
class SequenceAdvance(Protocol):
    """Move a kind's id sequence to at least ``value`` at once (after a bulk load)."""

    def advance_sequence(self, kind: str, value: int) -> None: ...


@runtime_checkable
class BulkEvents(Protocol):
    """Append many events in order, ids handed out in order: the same result as
    ``append_event`` for each (imports)."""

    def append_events(self, events: Sequence[Record]) -> list[Record]: ...


@runtime_checkable
class IdBlocks(Protocol):
    """``next_ids(kind, count)``: ``count`` ids of a kind in one step of its sequence —
    the ids ``next_id`` would give called ``count`` times, in order (kam.outbox writes a
    batch of deliveries at once). Reference: ``next_id`` for each."""

    def next_ids(self, kind: str, count: int) -> list[str]: ...


@runtime_checkable
class UpdateMany(Protocol):
    """``update_many(kind, changes)``: ``update(kind, record_id, change)`` for each
    ``(record_id, change)`` in order, in as few statements as the changes' fields allow
    (kam.outbox records a page of deliveries, ``kam check`` raises a batch of anomaly
    flags). A record that does not exist: ``ConflictError`` naming the first such id, as
    ``update`` raises it; the caller's transaction is then rolled back (the changes of the
    batch are not all undone by the backend). Reference: ``update`` for each."""

    def update_many(self, kind: str, changes: Sequence[tuple[str, Record]]) -> None: ...


@runtime_checkable
class ChangeEvents(Protocol):
    """``append_change_events(at, actor, changes)``: the events
    ``Workspace.record_events`` appends for ``changes`` (``(kind, record_id, payload,
    refs)`` each) at ``at`` by ``actor`` — each ``{"at": at, "actor": actor, "kind": kind,
    "record_id": record_id, "payload": dict(payload), "refs": sorted({r for r in refs if r
    and r != record_id})}`` through ``append_events`` — written from the tuples without
    an event record each; their ids, in order (``kam check``'s ~100k reminders when no
    plugin hooks them). Reference: ``append_events`` of those records."""

    def append_change_events(self, at: Any, actor: Any,
                             changes: Sequence[tuple[str, str, Record, list[str]]]
                             ) -> list[str]: ...


@runtime_checkable
class StoredRows(Protocol):
    """A kind's rows as stored, for ``kam export`` (which then needs to decode nothing).

    ``stored_rows(kind)``: every row of the kind (``"event"``: the event log) in ``find``'s
    id order (the log's order), each a tuple in the kind's field order in *stored form*:
    no value ``None``, money integer cents, bool 0/1, date, datetime and decimal their
    text (ISO, ``str(Decimal)``), json the text ``json.dumps(value, ensure_ascii=False,
    sort_keys=True, default=str)`` gives, text and int as ``find`` gives them.
    ``kam.services.exchange_export.stored_form`` over ``find`` is the reference;
    ``to_stored`` (kam.stored) gives one value's stored form.
    """

    def stored_rows(self, kind: str) -> Iterator[tuple[Any, ...]]: ...


@runtime_checkable
class BulkLoad(Protocol):
    """Whole kinds written into an empty workspace at once (``kam import``), inside one
    ``transaction()``.

    ``load_rows(kind, rows)``: rows in stored form (:class:`StoredRows`), ids included;
    for ``"event"`` also each event's index by its record and refs, and the event id
    sequence moved to the last id — what ``append_events`` leaves when the ids run on from
    ``sequence_value("event")`` (the caller checks that they do). ``deferred_indexes()``:
    a context inside which the backend may drop secondary indexes and build each once at
    its end (sorted, instead of row by row); a failure inside it rolls back with the
    transaction.
    """

    def load_rows(self, kind: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def sequence_value(self, kind: str) -> int:
        """The last id number handed out for a kind (0 before the first)."""
        ...

    def deferred_indexes(self) -> AbstractContextManager[None]: ...


@runtime_checkable
class CheckedReferences(Protocol):
    """A bulk load whose every reference the caller checks itself (``kam import`` checks
    each against the export's ids, parents loaded first, into an empty workspace), so the
    database need not look each parent up again on insert.

    ``references_checked()``: a context entered *outside* any transaction (SQLite's
    ``PRAGMA foreign_keys`` does nothing inside one), inside which the backend may skip
    its own reference checks; they are back on when it ends, however it ends.
    """

    def references_checked(self) -> AbstractContextManager[None]: ...


@runtime_checkable
class LoadJournal(Protocol):
    """A bulk load into an empty store in *one* transaction (``kam import``), which may
    be journalled the backend's cheapest way that still keeps it all or nothing.

    ``load_journal()``: a context entered *outside* any transaction (SQLite cannot change
    its journal inside one); the backend's usual journal is back when it ends, however
    it ends (or, if that cannot be done at once, the next open restores it).
    """

    def load_journal(self) -> AbstractContextManager[None]: ...


def kind(name: str) -> Kind:
    if name == EVENT.name:
        return EVENT
    try:
        return KINDS[name]
    except KeyError:
        raise InputError(f"unknown record kind {name!r}") from None


def split_filter(k: Kind, key: str) -> tuple[str, str]:
    """``"due_date__le"`` → ``("due_date", "le")``, checking field and op."""
    field, _, op = key.partition("__")
    op = op or "eq"
    if k.field(field) is None:
        raise InputError(f"{k.name} has no field {field!r}")
    if op not in OPS:
        raise InputError(f"unknown filter operator {op!r}")
    return field, op


def split_order(k: Kind, key: str) -> tuple[str, bool]:
    desc = key.startswith("-")
    field = key.lstrip("-")
    if k.field(field) is None:
        raise InputError(f"{k.name} has no field {field!r}")
    return field, desc


def scope(owner: str | None = None, customer: str | None = None,
          currency: str | None = None) -> dict[str, Any]:
    """The everyday filters (``--owner``, ``--customer``, ``--currency``) as a ``where``,
    normalised: customer ids and currency codes upper-case; options not given are left out."""
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner
    if customer:
        where["customer_id"] = customer.strip().upper()
    if currency:
        where["currency"] = currency.strip().upper()
    return where


def id_number(record_id: str) -> int:
    digits = record_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else 0


# the optional fast paths of reports, today and check live in kam.fast_paths' modules,
# each loaded when one of its names is first named (``kam.storage.X``, ``from kam.storage
# import X``): building their 27 runtime-checkable protocols cost every command ~1 ms,
# most (a card, a write) check none of them, and a report checks only its own module's
if TYPE_CHECKING:
    from kam.fast_paths.check import (  # noqa: I001
        DunningMark as DunningMark,
        DunningMarks as DunningMarks,
        DunningState as DunningState,
        DunningStates as DunningStates,
        FiredLevels as FiredLevels,
        FiredReminders as FiredReminders,
        OpenBalance as OpenBalance,
        OpenBalances as OpenBalances,
        OverdueJson as OverdueJson,
        OverdueTexts as OverdueTexts,
        REMINDER_KINDS as REMINDER_KINDS,
        UnflaggedLate as UnflaggedLate,
    )
    from kam.fast_paths.deals import (  # noqa: I001
        DealMonthSum as DealMonthSum,
        DealMonthSums as DealMonthSums,
        DealSums as DealSums,
        StageMove as StageMove,
        StageMoves as StageMoves,
        StageReach as StageReach,
        StageReachCount as StageReachCount,
        StageStart as StageStart,
        WorkedBy as WorkedBy,
    )
    from kam.fast_paths.lists import (  # noqa: I001
        ListCsvLines as ListCsvLines,
        ReceivableCsvRows as ReceivableCsvRows,
        stored_text_pages as stored_text_pages,
    )
    from kam.fast_paths.receivables import (  # noqa: I001
        AgingSum as AgingSum,
        AgingSums as AgingSums,
        BattleMapReads as BattleMapReads,
        Collection as Collection,
        CollectionCards as CollectionCards,
        ContractCard as ContractCard,
        ContractSum as ContractSum,
        EventValues as EventValues,
        MilestoneColumnLists as MilestoneColumnLists,
        MilestoneColumns as MilestoneColumns,
        MilestoneView as MilestoneView,
        MilestoneViews as MilestoneViews,
        OpenReceivables as OpenReceivables,
        PaymentSum as PaymentSum,
        PaymentSums as PaymentSums,
        ReceivableSum as ReceivableSum,
        ReceivableSums as ReceivableSums,
    )
    from kam.fast_paths.today import (  # noqa: I001
        ActivityRollup as ActivityRollup,
        DueReceivable as DueReceivable,
        DueReceivables as DueReceivables,
        DueReceivablesHead as DueReceivablesHead,
        LatestCallsOn as LatestCallsOn,
        NextStep as NextStep,
        NextStepsDue as NextStepsDue,
        NextStepsHead as NextStepsHead,
        StalledDeal as StalledDeal,
        StalledDeals as StalledDeals,
    )

#: the names kam.storage gives from kam.fast_paths, by the module that has them
_FAST_PATHS: dict[str, str] = {
    "DunningMark": "check",
    "DunningMarks": "check",
    "DunningState": "check",
    "DunningStates": "check",
    "FiredLevels": "check",
    "FiredReminders": "check",
    "OpenBalance": "check",
    "OpenBalances": "check",
    "OverdueJson": "check",
    "OverdueTexts": "check",
    "REMINDER_KINDS": "check",
    "UnflaggedLate": "check",
    "DealMonthSum": "deals",
    "DealMonthSums": "deals",
    "DealSums": "deals",
    "WorkedBy": "deals",
    "StageMove": "deals",
    "StageMoves": "deals",
    "StageReach": "deals",
    "StageReachCount": "deals",
    "StageStart": "deals",
    "ListCsvLines": "lists",
    "ReceivableCsvRows": "lists",
    "stored_text_pages": "lists",
    "AgingSum": "receivables",
    "AgingSums": "receivables",
    "BattleMapReads": "receivables",
    "Collection": "receivables",
    "CollectionCards": "receivables",
    "ContractCard": "receivables",
    "ContractSum": "receivables",
    "EventValues": "receivables",
    "MilestoneColumnLists": "receivables",
    "MilestoneColumns": "receivables",
    "MilestoneView": "receivables",
    "MilestoneViews": "receivables",
    "OpenReceivables": "receivables",
    "PaymentSum": "receivables",
    "PaymentSums": "receivables",
    "ReceivableSum": "receivables",
    "ReceivableSums": "receivables",
    "ActivityRollup": "today",
    "DueReceivable": "today",
    "DueReceivables": "today",
    "DueReceivablesHead": "today",
    "LatestCallsOn": "today",
    "NextStep": "today",
    "NextStepsDue": "today",
    "NextStepsHead": "today",
    "StalledDeal": "today",
    "StalledDeals": "today",
}


def __getattr__(name: str) -> Any:
    module = _FAST_PATHS.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(f"kam.fast_paths.{module}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kam.storage' has no attribute {name!r}")
