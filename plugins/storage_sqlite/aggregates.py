"""SQLite fast paths for the money reports (kam.storage.ReceivableSums): receivables summed
in one GROUP BY, the milestone's state and days overdue computed in SQL exactly as
:func:`kam.models.receivable_state.receivable_view` decides them (tests/test_aggregates.py
checks the two on random data). Mixed into :class:`SQLiteStorage`.

Money is stored as integer cents, so the sums are exact integers turned into
``Decimal`` with two places; dates are ISO text, so they compare as text and
``julianday`` gives whole days between them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kam.errors import StorageError
from kam.kinds import Kind
from kam.storage import Record, Where, kind

if TYPE_CHECKING:
    from kam.storage import (
        ContractSum,
        DealSum,
        MilestoneColumnLists,
        MilestoneView,
        PaymentSum,
        ReceivableSum,
        StageMove,
        StageReachCount,
        StageStart,
    )

#: a receivable's outstanding cents: 0 once written off, never below 0
_OPEN = ("CASE WHEN written_off_on IS NOT NULL THEN 0 ELSE max(0, coalesce(amount, 0)"
         " - coalesce(paid, 0) - coalesce(written_off, 0)) END")
#: its state, the first that applies (receivable_view's order)
_STATE = ("CASE WHEN written_off_on IS NOT NULL THEN 'written_off'"
          " WHEN open_ = 0 THEN 'paid' WHEN paid_ > 0 THEN 'partially_paid'"
          " WHEN due_date IS NULL THEN 'scheduled' WHEN due_date < :as_of THEN 'overdue'"
          " ELSE 'due' END")
#: a payment's period of its (ISO) date, as kam.reports.revenue.period_of names it
_PERIODS = {"month": "substr(p.date, 1, 7)", "year": "substr(p.date, 1, 4)",
            "quarter": "substr(p.date, 1, 4) || '-Q' || ((CAST(substr(p.date, 6, 2)"
                       " AS INTEGER) + 2) / 3)"}
_DAYS = ("CASE WHEN due_date IS NOT NULL AND open_ > 0 AND due_date < :as_of"
         " THEN CAST(julianday(:as_of) - julianday(due_date) AS INTEGER) ELSE 0 END")


#: PIPELINE_KEYS in the order the pipeline sums' GROUP BY sorts them: the sorter compares
#: the first key by a fast path and falls back to whole records on a tie; ``pipeline``
#: (one value for nearly every deal) first made every comparison a tie (large: the
#: query's instructions 391 → 349 M; stage, currency, pipeline, forced: 362 M)
_PIPELINE_GROUP = ("stage", "currency", "forced", "pipeline")


def streamed(conn: sqlite3.Connection, sql: str, params: Any, size: int
             ) -> Iterator[tuple[Any, ...]]:
    """A query's rows ``size`` at a time, never all held; SQLite's errors as kam's."""
    for rows in streamed_pages(conn, sql, params, size):
        yield from rows


def streamed_pages(conn: sqlite3.Connection, sql: str, params: Any, size: int
                   ) -> Iterator[list[tuple[Any, ...]]]:
    """:func:`streamed`'s rows as the pages they are fetched in."""
    from kam.plugins.storage_sqlite.backend import _translate

    try:
        cur = conn.execute(sql, params)
        while rows := cur.fetchmany(size):
            yield rows
    except sqlite3.Error as exc:
        raise _translate(exc) from None


class SQLiteAggregates:
    """The aggregation fast paths; uses the backend's ``conn`` and ``_where``."""

    conn: sqlite3.Connection

    def _where(self, k: Kind, where: Where | None) -> tuple[str, list[Any]]:
        raise NotImplementedError  # SQLiteStorage's

    def _named_rows(self, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        """The rows of a query with named values, 500 at a time (never all held)."""
        return streamed(self.conn, sql, params, 500)

    def _aging_terms(self, as_of: dt.date, ends: Sequence[int], where: Where | None,
                     contract_where: Where | None) -> tuple[str, dict[str, Any], str]:
        """The receivables ``r`` (with ``paid_`` and ``open_``) and contracts ``c`` (with
        ``owner``) the filters select, as a WITH clause; its named values (``:as_of``,
        the bucket ends ``:eN``); the aging bucket's CASE of ``days``."""
        r_where, r_params = self._where(kind("receivable"), where)
        c_where, c_params = self._where(kind("contract"), contract_where)
        named: dict[str, Any] = {"as_of": as_of.isoformat()}
        named.update({f"r{n}": v for n, v in enumerate(r_params)})
        named.update({f"c{n}": v for n, v in enumerate(c_params)})
        named.update({f"e{n}": int(e) for n, e in enumerate(ends)})
        bucket = "CASE WHEN days <= 0 THEN 0 " + "".join(
            f"WHEN days <= :e{n} THEN {n + 1} " for n in range(len(ends))) + (
            f"ELSE {len(ends) + 1} END")
        # +customer_id: group in a temporary b-tree after one pass over the table, not
        # along the customer index with a row lookup per milestone (0.69 → 0.53 s on
        # 200k); a WHERE on customer_id still uses that index
        ctes = ("WITH r AS (SELECT +customer_id AS customer_id, contract_id,"
                " coalesce(currency, '') AS currency, due_date, written_off_on,"
                f" coalesce(paid, 0) AS paid_, {_OPEN} AS open_"
                f" FROM receivable{_named(r_where, 'r')}),"
                " c AS (SELECT id, coalesce(owner, '') AS owner FROM contract"
                f"{_named(c_where, 'c')})")
        return ctes, named, bucket

    def receivable_sums(self, as_of: dt.date, ends: Sequence[int],
                        where: Where | None = None, contract_where: Where | None = None
                        ) -> Iterator[ReceivableSum]:
        ctes, named, bucket = self._aging_terms(as_of, ends, where, contract_where)
        sql = (
            f"{ctes}, s AS (SELECT r.customer_id, c.owner, r.currency, {_STATE} AS state,"
            f" {_DAYS} AS days, open_ FROM r JOIN c ON c.id = r.contract_id)"
            f" SELECT customer_id, owner, currency, state, {bucket} AS bucket, count(*),"
            " sum(open_) FROM s GROUP BY customer_id, owner, currency, state, bucket")
        return ((cu, ow, cur, state, int(b), int(n), _cents(total))
                for cu, ow, cur, state, b, n, total in self._named_rows(sql, named))

    def _contract_milestones(self, contract_where: Where | None
                             ) -> tuple[str, dict[str, Any]]:
        """``WITH c`` (the contracts ``contract_where`` selects: id, currency, amount),
        ``r`` (their milestones: contract_id, paid_, open_ in cents) and its values."""
        c_where, c_params = self._where(kind("contract"), contract_where)
        return (f"WITH c AS (SELECT id, currency, amount FROM contract{_named(c_where, 'c')}),"
                f" r AS (SELECT contract_id, coalesce(paid, 0) AS paid_, {_OPEN} AS open_"
                "  FROM receivable WHERE contract_id IN (SELECT id FROM c))",
                {f"c{n}": v for n, v in enumerate(c_params)})

    def contract_sums(self, as_of: dt.date, contract_where: Where | None = None
                      ) -> Iterator[ContractSum]:
        with_, named = self._contract_milestones(contract_where)
        sql = (f"{with_} SELECT c.id, c.currency, c.amount, count(*), sum(paid_), sum(open_)"
               " FROM c JOIN r ON r.contract_id = c.id GROUP BY c.id")
        money = _cents
        return ((cid, cur, None if amount is None else money(amount), int(n), money(paid),
                 money(outstanding))
                for cid, cur, amount, n, paid, outstanding in self._named_rows(sql, named))

    def deal_sums(self, keys: Sequence[str], where: Where | None = None
                  ) -> Iterator[DealSum]:
        return iter([sums for sums, _extra in self._deal_sums(keys, where)])

    def pipeline_sums(self, where: Where | None, fields: Sequence[str]
                      ) -> tuple[list[DealSum], Iterator[Record]]:
        """The sums kept on write (kam.plugins.storage_sqlite.deal_sums) where they
        answer ``where``, the forced deals then listed through their partial index; else
        one walk over the selected deals: the sums, and each group's forced deals' rowids
        (``group_concat``), the forced deals then read by rowid (1k of 26k open deals on
        large: ~1 ms instead of a second ~25 ms walk)."""
        from kam.plugins.storage_sqlite import deal_sums
        from kam.plugins.storage_sqlite.backend import _translate
        from kam.storage import PIPELINE_KEYS

        k = kind("opportunity")
        for name in fields:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        cols = ", ".join(f'"{name}"' for name in fields)
        try:
            kept = deal_sums.kept_sums(self.conn, where)
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        if kept is not None:
            decode = _decoders(k, PIPELINE_KEYS)
            width = len(PIPELINE_KEYS)
            found = [_deal_sum(row, decode, width) for row in kept]
            if not any(key[-1] for key, *_rest in found):
                return found, iter(())
            return found, self._query(k, cols, where, ("id",), also=deal_sums.FORCED)
        mark, mark_params = self._where(k, {"forced": True})
        extra = (f", group_concat(CASE WHEN {_named(mark, 'f')[len(' WHERE '):]}"
                 " THEN rowid_ END)", {f"f{n}": v for n, v in enumerate(mark_params)})
        sums: list[DealSum] = []
        rowids: list[int] = []
        for one, marked in self._deal_sums(PIPELINE_KEYS, where, extra, _PIPELINE_GROUP):
            sums.append(one)
            if marked:
                rowids.extend(int(r) for r in str(marked).split(","))
        if not rowids:
            return sums, iter(())
        rows = self._query(k, cols, None, ("id",), also="rowid IN (SELECT value FROM"
                           " json_each(?))", also_params=[json.dumps(sorted(rowids))])
        return sums, rows

    def _query(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
               limit: int | None = None, offset: int = 0, also: str = "",
               also_params: Sequence[Any] = ()) -> Iterator[Record]:
        raise NotImplementedError  # SQLiteStorage's

    def _deal_sums(self, keys: Sequence[str], where: Where | None,
                   extra: tuple[str, dict[str, Any]] = ("", {}),
                   group_order: Sequence[str] | None = None
                   ) -> list[tuple[DealSum, Any]]:
        """:meth:`deal_sums`' groups, each with the value of ``extra`` (one more aggregate
        column and its named values) for the group; ``group_order``: the same keys in the
        order SQLite's sorter compares them (the groups, not their order, are the same)."""
        from kam.plugins.storage_sqlite.deal_sums import half_away

        k = kind("opportunity")
        decode = _decoders(k, keys)
        sql_where, params = self._where(k, where)
        cols = "".join(f'"{key}", ' for key in keys)
        group = ", ".join(f'"{key}"' for key in group_order or keys) or "()"
        sql = (f"SELECT {cols}count(*), sum(coalesce(amount, 0)), sum({half_away('x')})"
               f"{extra[0]}"
               " FROM (SELECT *, rowid AS rowid_,"
               " coalesce(amount, 0) * coalesce(probability, 0) AS x"
               f" FROM opportunity{_named(sql_where, 'w')})"
               + (f" GROUP BY {group}" if keys else ""))
        named = {f"w{n}": v for n, v in enumerate(params)} | extra[1]
        width = len(keys)
        out = []
        for row in self._named_rows(sql, named):
            if not row[width]:  # no deal at all (a sum without keys over nothing)
                continue
            out.append((_deal_sum(row, decode, width), row[width + 3] if extra[0] else None))
        return out

    def stage_starts(self, where: Where | None = None) -> Iterator[StageStart]:
        sql_where, params = self._where(kind("opportunity"), where)
        return self._named_rows(
            "SELECT id, json_extract(stage_history, '$[0].stage'),"
            " json_extract(stage_history, '$[0].on'), created_at"
            f" FROM opportunity{_named(sql_where, 'w')} ORDER BY rowid",
            {f"w{n}": v for n, v in enumerate(params)})

    def stage_moves(self, kinds: Sequence[str]) -> Iterator[StageMove]:
        marks = ", ".join(f":k{n}" for n in range(len(kinds)))
        return self._named_rows(
            "SELECT record_id, kind, at, json_extract(payload, '$.from'),"
            " json_extract(payload, '$.to'), json_extract(payload, '$.stage'),"
            " json_extract(payload, '$.on'), json_extract(payload, '$.reason')"
            f" FROM event WHERE kind IN ({marks}) ORDER BY rowid",
            {f"k{n}": k for n, k in enumerate(kinds)})

    def stage_reach(self, order: Mapping[str, Sequence[str]], where: Where | None = None
                    ) -> Iterator[StageReachCount]:
        """Won deals are counted without reading their events; any other deal looks up its
        own ``opportunity.advanced`` events (by record id) for the furthest ``to``."""
        stages = [(p, stage, i) for p in sorted(order) for i, stage in enumerate(order[p])]
        if not stages:
            return iter(())
        named: dict[str, Any] = {}
        values = []
        for n, (p, stage, i) in enumerate(stages):
            named[f"p{n}"], named[f"s{n}"] = p, stage
            values.append(f"(:p{n}, :s{n}, {i})")
        sql_where, params = self._where(kind("opportunity"), where)
        named.update({f"w{n}": v for n, v in enumerate(params)})
        sql = (
            f"WITH st(pipeline, stage, i) AS (VALUES {', '.join(values)}),"
            " n AS (SELECT pipeline, max(i) AS last FROM st GROUP BY pipeline),"
            " o AS (SELECT id, pipeline, status, stage_history FROM opportunity"
            f"{_named(sql_where, 'w')}),"
            " r AS (SELECT o.pipeline, o.status, CASE WHEN o.status = 'won' THEN n.last"
            "  ELSE max(coalesce((SELECT i FROM st WHERE st.pipeline = o.pipeline"
            "   AND st.stage = json_extract(o.stage_history, '$[0].stage')), 0),"
            "  coalesce((SELECT max(st.i) FROM event e JOIN st ON st.pipeline = o.pipeline"
            "   AND st.stage = json_extract(e.payload, '$.to')"
            "   WHERE e.record_id = o.id AND e.kind = 'opportunity.advanced'), 0)) END AS reach"
            "  FROM o JOIN n ON n.pipeline = o.pipeline)"
            " SELECT pipeline, status, reach, count(*) FROM r GROUP BY pipeline, status, reach")
        return ((p, status, int(reach), int(count))
                for p, status, reach, count in self._named_rows(sql, named))

    def payment_sums(self, by: str, where: Where | None = None,
                     contract_where: Where | None = None) -> Iterator[PaymentSum]:
        period = _PERIODS.get(by)
        if period is None:
            raise StorageError(f"payment_sums: {by!r} must be month, quarter or year")
        # summed per customer and contract without the join (a join per payment and a
        # temporary b-tree over the joined rows took 0.7 s on a big team's 150k payments;
        # this 0.3 s), then merged per contract owner here, in the customers' order (the
        # report reads them in that order): the contracts ``contract_where`` leaves out,
        # and payments on none, count for the owner ''
        p_where, p_params = self._where(kind("payment"), where)
        c_where, c_params = self._where(kind("contract"), contract_where)
        owners: dict[Any, str] = dict(streamed(
            self.conn, f"SELECT id, coalesce(owner, '') FROM contract{c_where}", c_params,
            2000))
        sql = (f"SELECT customer_id, contract_id, currency, {period} AS period, sum(amount)"
               f" FROM payment AS p{p_where}"
               " GROUP BY customer_id, contract_id, currency, period")
        sums: dict[tuple[Any, str, Any, str], int] = {}
        get = owners.get
        for cu, contract, cur, per, total in streamed(self.conn, sql, p_params, 2000):
            key = (cu, get(contract, ""), cur, per)
            sums[key] = sums.get(key, 0) + total
        return ((*key, _cents(total)) for key, total in sums.items())

    def _views_query(self, as_of: dt.date, where: Where | None) -> tuple[str, list[Any]]:
        """The milestone views' query and its values (milestone_views, milestone_columns)."""
        r_where, r_params = self._where(kind("receivable"), where)
        # positional values: the filter's ``?`` come first in the text (1…n), the day
        # after them as ``?n+1`` — a page's 1,000 ids as named values were looked up
        # name by name (SQLite searches its list of names for each: n² steps a page)
        day = f"?{len(r_params) + 1}"
        sql = (
            "WITH r AS (SELECT rowid AS rid, contract_id, seq, kind, share,"
            " coalesce(amount, 0) AS amount_, due_date, written_off_on,"
            f" coalesce(paid, 0) AS paid_, {_OPEN} AS open_, CASE WHEN"
            " coalesce(json_array_length(collection_notes), 0) > 0 THEN json_extract("
            "collection_notes, '$[' || (json_array_length(collection_notes) - 1) || ']')"
            f" END AS note FROM receivable{r_where})"
            " SELECT contract_id, seq, kind, share, amount_, due_date, paid_, open_,"
            f" {_STATE.replace(':as_of', day)}, {_DAYS.replace(':as_of', day)}, note"
            " FROM r ORDER BY contract_id, seq, rid")
        return sql, [*r_params, as_of.isoformat()]

    def milestone_views(self, as_of: dt.date, where: Where | None = None
                        ) -> Iterator[MilestoneView]:
        sql, params = self._views_query(as_of, where)
        # amounts and due dates repeat across a big team's milestones (200k milestones,
        # ~6k amounts, ~2k dates on large): each text or cents value is converted once
        # per call (Decimal and date are immutable, so sharing them is safe); a memo is
        # read by subscription, so only a value not seen yet costs a Python call
        money = _CentsMemo()
        days_of = _DayMemo()
        loads = json.loads
        for (cid, seq, kind_, share, amount, due, paid, open_, state, days,
             note) in streamed(self.conn, sql, params, 500):
            yield (cid, seq, kind_, share, money[amount],
                   None if due is None else days_of[due], money[paid], money[open_],
                   state, days, None if note is None else loads(note))

    def milestone_columns(self, as_of: dt.date, where: Where | None = None
                          ) -> MilestoneColumnLists:
        # the same query, its rows fetched at once (a battle map's page: ~4k milestones)
        # and transposed; each column converted by one map through the memos
        from kam.plugins.storage_sqlite.backend import _translate

        sql, params = self._views_query(as_of, where)
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc) from None
        if not rows:
            return ([], [], [], [], [], [], [], [], [], [], [])
        (cids, seqs, kinds, shares, amounts, dues, paid, open_, states, days,
         notes) = map(list, zip(*rows, strict=True))
        money = _CentsMemo().__getitem__
        days_of = _DayMemo()
        days_of[None] = None  # type: ignore[index,assignment]  # no due date
        loads = json.loads
        return (cids, seqs, kinds, shares, list(map(money, amounts)),
                list(map(days_of.__getitem__, dues)), list(map(money, paid)),
                list(map(money, open_)), states, days,
                [None if n is None else loads(n) for n in notes]
                if notes.count(None) < len(notes) else notes)


def _decoders(k: Kind, keys: Sequence[str]) -> list[Any]:
    """Per key field, what turns its stored value into the record's (None: as stored)."""
    from kam.plugins.storage_sqlite.backend import _DECODE

    decode = []
    for name in keys:
        if k.field(name) is None:
            raise StorageError(f"{k.name} has no field {name!r}")
        decode.append(_DECODE.get(k.type_of(name)))
    return decode


def _deal_sum(row: Sequence[Any], decode: Sequence[Any], width: int) -> DealSum:
    """A row of keys, count, Σ amount and Σ weighted (cents) as a DealSum."""
    values = tuple(v if v is None or fn is None else fn(v)
                   for v, fn in zip(row[:width], decode, strict=True))
    return values, int(row[width]), _cents(row[width + 1]), _cents(row[width + 2])


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


#: the most values a memo holds before it starts again (memory stays flat)
_MEMO_SIZE = 65536


class _CentsMemo(dict[int, Decimal]):
    """Cents as a Decimal of money, each value made once (``memo[cents]``; a call's
    amounts repeat)."""

    def __missing__(self, value: int) -> Decimal:
        if len(self) > _MEMO_SIZE:
            self.clear()
        money = self[value] = Decimal(value).scaleb(-2)
        return money


class _DayMemo(dict[str, dt.date]):
    """ISO texts as dates, each made once (``memo[text]``)."""

    def __missing__(self, value: str) -> dt.date:
        if len(self) > _MEMO_SIZE:
            self.clear()
        on = self[value] = dt.date.fromisoformat(value)
        return on


def _named(clause: str, prefix: str) -> str:
    """A ``_where`` clause with its ``?`` turned into ``:prefixN`` (the query mixes the
    receivable's and the contract's filters with named values)."""
    parts = clause.split("?")
    out = parts[0]
    for n, part in enumerate(parts[1:]):
        out += f":{prefix}{n}" + part
    return out
