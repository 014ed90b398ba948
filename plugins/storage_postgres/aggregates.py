"""PostgreSQL fast paths for the money reports, the funnel and the morning checks
(kam.storage.ReceivableSums, DealSums, StageMoves, OpenReceivables, EventValues), mixed
into :class:`PostgresStorage`: one query each instead of every row streamed through
Python. :class:`kam.reports.aggregates.PythonAggregates` and the ``python_*`` functions
of kam.reports.rollups are the reference (tests/test_aggregates.py and
tests/test_rollups.py check them equal on random data).

Money is ``NUMERIC(20,2)``, so sums are exact; each sum is rounded to two places (the
reference's ``Decimal`` always has two), weighted amounts half away from zero (as
``ROUND_HALF_UP``). Dates are ``DATE``: their difference is whole days. JSON columns are
text: read as text and decoded here (only the part needed), so a payload value is the
same Python value the decoded record has (``::jsonb`` on the server parses every value
whole, which measured slower than the Python path it replaces). Every query reads the
tables themselves, never a view or a ``SECURITY DEFINER`` function: row-level security
(team_schema.py) filters a team member's fast path exactly as their ``find``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from kam.errors import StorageError
from kam.kinds import Kind
from kam.plugins.storage_postgres.sql import order_sql, where_sql
from kam.storage import (
    ContractSum,
    DealSum,
    ReceivableSum,
    Record,
    StageMove,
    StageStart,
    Where,
    kind,
    payload_kinds,
)

#: a receivable's outstanding money: 0 once written off, never below 0
_OPEN = ("CASE WHEN written_off_on IS NOT NULL THEN 0.00 ELSE greatest(0.00,"
         " coalesce(amount, 0.00) - coalesce(paid, 0.00) - coalesce(written_off, 0.00)) END")
#: its state, the first that applies (receivable_view's order)
_STATE = ("CASE WHEN written_off_on IS NOT NULL THEN 'written_off'"
          " WHEN open_ = 0 THEN 'paid' WHEN paid_ > 0 THEN 'partially_paid'"
          " WHEN due_date IS NULL THEN 'scheduled' WHEN due_date < %s THEN 'overdue'"
          " ELSE 'due' END")
#: whole days overdue while money is outstanding
_DAYS = ("CASE WHEN due_date IS NOT NULL AND open_ > 0 AND due_date < %s"
         " THEN %s - due_date ELSE 0 END")
#: ``find``'s order of ids (CU2 before CU10), also the event log's order
_BY_ID = "length(id), id"


class PostgresAggregates:
    """The aggregation fast paths; uses the backend's ``_rows`` and ``_tuples`` (streamed)."""

    conn: psycopg.Connection[Any]

    def _rows(self, k: Kind, sql: str, params: Sequence[Any], stream: bool = True
              ) -> Iterator[Record]:
        raise NotImplementedError  # PostgresStorage's

    def _tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError  # PostgresStorage's (rows streamed as tuples)

    # --- ReceivableSums: aging (账龄) and the battle map (作战地图) ----------------------

    def receivable_sums(self, as_of: dt.date, ends: Sequence[int],
                        where: Where | None = None, contract_where: Where | None = None
                        ) -> Iterator[ReceivableSum]:
        ctes, params, bucket = _aging_terms(ends, where, contract_where)
        sql = (
            f"{ctes}, s AS (SELECT r.customer_id, c.owner, r.currency, {_STATE} AS state,"
            f" {_DAYS} AS days, open_ FROM r JOIN c ON c.id = r.contract_id)"
            f" SELECT customer_id, owner, currency, state, {bucket} AS bucket, count(*),"
            " round(sum(open_), 2) FROM s GROUP BY 1, 2, 3, 4, 5")
        params += [as_of, as_of, as_of, *(int(e) for e in ends)]
        return ((cu, ow, cur, state, int(b), int(n), total)
                for cu, ow, cur, state, b, n, total in self._tuples(sql, params))

    def contract_sums(self, as_of: dt.date, contract_where: Where | None = None
                      ) -> Iterator[ContractSum]:
        c_where, c_params = where_sql(kind("contract"), contract_where)
        # milestones summed per contract first, then joined (a CTE of the contracts,
        # read twice, was materialised and misestimated: 2.7× the time on large)
        sql = (
            "SELECT c.id, c.currency, c.amount, r.n, r.paid_, r.open_ FROM contract c JOIN"
            " (SELECT contract_id, count(*) AS n, round(sum(coalesce(paid, 0.00)), 2) AS paid_,"
            f" round(sum({_OPEN}), 2) AS open_ FROM receivable WHERE contract_id IN"
            f" (SELECT id FROM contract{c_where}) GROUP BY contract_id) r"
            " ON r.contract_id = c.id")
        return ((cid, cur, amount, int(n), paid, outstanding)
                for cid, cur, amount, n, paid, outstanding in self._tuples(sql, c_params))

    # --- DealSums: the pipeline (管道) and the forecast (销售预测) ------------------------

    def deal_sums(self, keys: Sequence[str], where: Where | None = None
                  ) -> Iterator[DealSum]:
        return iter([sums for sums, _extra in self._deal_sums(keys, where)])

    def _deal_sums(self, keys: Sequence[str], where: Where | None, extra: str = "",
                   extra_params: Sequence[Any] = ()) -> list[tuple[DealSum, Any]]:
        """:meth:`deal_sums`' groups, each with the value of ``extra`` (one more
        aggregate column, its values ``extra_params``) for the group."""
        k = kind("opportunity")
        for name in keys:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        sql_where, params = where_sql(k, where)
        cols = "".join(f'"{key}", ' for key in keys)
        group = ", ".join(f'"{key}"' for key in keys)
        # each deal's weighted amount to the cent, half away from zero, then summed
        sql = (f"SELECT {cols}count(*), round(sum(coalesce(amount, 0.00)), 2),"
               " round(sum(round(coalesce(amount, 0.00) * coalesce(probability, 0)"
               f" / 100.0, 2)), 2){extra} FROM opportunity{sql_where}"
               + (f" GROUP BY {group}" if keys else ""))
        width = len(keys)
        out = []
        for row in self._tuples(sql, [*extra_params, *params]):
            if not row[width]:  # no deal at all (a sum without keys over nothing)
                continue
            out.append(((tuple(row[:width]), int(row[width]), row[width + 1],
                         row[width + 2]), row[width + 3] if extra else None))
        return out

    # --- StageMoves: the funnel (销售漏斗) ----------------------------------------------

    def stage_starts(self, where: Where | None = None) -> Iterator[StageStart]:
        """The history's text is read and only its first entry decoded (``jsonb`` on
        the server parses every history whole: 4× the time on 10k deals)."""
        sql_where, params = where_sql(kind("opportunity"), where)
        rows = self._tuples("SELECT id, stage_history, created_at"
                            f" FROM opportunity{sql_where} ORDER BY {_BY_ID}", params)
        for opp_id, history, created_at in rows:
            first = _first_entry(history)
            yield opp_id, first.get("stage"), first.get("on"), created_at

    def stage_moves(self, kinds: Sequence[str]) -> Iterator[StageMove]:
        """The payload's text, decoded here once per event (``payload::jsonb`` on the
        server cost 6× the scan)."""
        if not kinds:
            return
        rows = self._tuples("SELECT record_id, kind, at, payload FROM event"
                            f" WHERE kind = ANY(%s) ORDER BY {_BY_ID}", [list(kinds)])
        for record_id, kind_, at, payload in rows:
            p = _payload(payload)
            yield (record_id, kind_, at, p.get("from"), p.get("to"), p.get("stage"),
                   p.get("on"), p.get("reason"))

    # --- OpenReceivables and EventValues: the morning list and ``kam check`` -----------

    def open_receivables(self, where: Where | None = None, due_by: dt.date | None = None,
                         noted: bool = False, order_by: Sequence[str] = ("id",)
                         ) -> Iterator[Record]:
        k = kind("receivable")
        sql_where, params = where_sql(k, where)
        also = ["written_off_on IS NULL",
                "coalesce(amount, 0) - coalesce(paid, 0) - coalesce(written_off, 0) > 0"]
        if due_by is not None:
            also.append("due_date <= %s")
            params.append(due_by)
        if noted:
            also.append("coalesce(collection_notes, '') NOT IN ('', '[]', 'null')")
        clause = (sql_where + " AND " if sql_where else " WHERE ") + " AND ".join(also)
        sql = f"SELECT * FROM receivable{clause}"
        orders = [order_sql(k, key) for key in order_by or ()]
        if orders:
            sql += " ORDER BY " + ", ".join(orders)
        return self._rows(k, sql, params)

    def event_values(self, kinds: Sequence[str], key: str
                     ) -> Iterator[tuple[str, str | None, Any]]:
        wanted = payload_kinds(kinds, key)
        if not wanted:
            return iter(())
        rows = self._tuples("SELECT kind, record_id, payload FROM event WHERE kind = ANY(%s)"
                            f" ORDER BY {_BY_ID}", [wanted])
        return ((kind_, record_id, _payload(payload).get(key))
                for kind_, record_id, payload in rows)


def _aging_terms(ends: Sequence[int], where: Where | None, contract_where: Where | None
                 ) -> tuple[str, list[Any], str]:
    """The receivables ``r`` (with ``paid_`` and ``open_``) and contracts ``c`` (with
    ``owner``) the filters select, as a WITH clause; its parameters; the aging bucket's
    CASE of ``days`` (a parameter per bucket end: add them after the days')."""
    r_where, r_params = where_sql(kind("receivable"), where)
    c_where, c_params = where_sql(kind("contract"), contract_where)
    bucket = "CASE WHEN days <= 0 THEN 0 " + "".join(
        f"WHEN days <= %s THEN {n + 1} " for n in range(len(ends))) + (
        f"ELSE {len(ends) + 1} END")
    ctes = (
        "WITH r AS (SELECT customer_id, contract_id, coalesce(currency, '') AS currency,"
        f" due_date, written_off_on, coalesce(paid, 0.00) AS paid_, {_OPEN} AS open_"
        f" FROM receivable{r_where}),"
        f" c AS (SELECT id, coalesce(owner, '') AS owner FROM contract{c_where})")
    return ctes, [*r_params, *c_params], bucket


_DECODER = json.JSONDecoder()


def _payload(text: str | None) -> Any:
    """An event's payload as the decoded event has it ({} for none)."""
    if not text or text == "{}":
        return {}
    return json.loads(text) or {}


def _first_entry(text: str | None) -> Any:
    """The first entry of a stored json list ({} for none), decoding nothing after it:
    ``raw_decode`` from just inside the ``[`` stops at the end of the first value."""
    if not text or text == "[]":
        return {}
    rest = text[1:].lstrip() if text.startswith("[") else ""
    if not rest or rest.startswith("]"):  # not a list as kam writes it, or empty
        return (json.loads(text) or [{}])[0]
    return _DECODER.raw_decode(text, len(text) - len(rest))[0]
