"""PostgreSQL's call-history roll-ups (kam.storage.ActivityRollup): the latest call per
key with ``DISTINCT ON``, each open deal's trailing continuance run with a window, calls
counted by ``GROUP BY`` — one query each instead of every call streamed through Python
(kam.reports.rollups.PythonRollup is the reference; tests/test_rollups.py checks them
equal). Ids order as the backend's ``find`` orders them: by length, then text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from kam.kinds import Kind
from kam.storage import NextStep, Record, StalledDeal, kind

_KEY = "COALESCE(NULLIF(opportunity_id, ''), customer_id)"
_LATEST_FIRST = "date DESC, length(id) DESC, id DESC"

#: each open deal's latest call (``last``) and trailing run of continuances (``run``) by
#: the day (%s), in a CTE ``t``: ``deal_touches``' answer, and what stalled deals judge.
#: {theirs}: a further condition on the calls. The run: how many calls, newest first,
#: come before the first that was no ``continuance`` (all of them when every one was)
_TOUCHES = (
    "WITH r AS (SELECT opportunity_id, date, outcome,"
    f"  row_number() OVER (PARTITION BY opportunity_id ORDER BY {_LATEST_FIRST}) AS n"
    "  FROM activity WHERE date <= %s{theirs} AND opportunity_id IN"
    "   (SELECT id FROM opportunity WHERE status = 'open')),"
    " t AS (SELECT opportunity_id, MAX(date) AS last, COALESCE(MIN(n) FILTER"
    "  (WHERE outcome IS DISTINCT FROM 'continuance') - 1, COUNT(*)) AS run"
    "  FROM r GROUP BY opportunity_id)")

#: the whole team's stalled deals (停滞的商机): silent from the latest call on or before
#: the day, else the stage's start, else the (UTC) day the deal was made, else none
#: (the reference: kam.reports.activity.stalled_reference)
_STALLED = (
    _TOUCHES.format(theirs="") + ","
    " d AS (SELECT o.id, o.title, o.owner, o.stage, t.last, COALESCE(t.run, 0) AS run,"
    "  %s::date - COALESCE(t.last, o.stage_entered_at,"
    "   CAST(NULLIF(left(o.created_at, 10), '') AS date), %s::date) AS silent"
    "  FROM opportunity o LEFT JOIN t ON t.opportunity_id = o.id"
    "  WHERE o.status = 'open' AND o.completed_at IS NULL)"
    " SELECT id, title, owner, stage, last, silent, run, count(*) OVER () FROM d"
    " WHERE run >= %s OR silent >= %s"
    " ORDER BY silent DESC, run DESC, id COLLATE \"C\" LIMIT %s")

#: the latest calls' next steps (the query {sql}) in ``kam today``'s order; {count}: the
#: rows' count beside each, or nothing
_STEPS = (f"SELECT next_due, next_step, {_KEY} AS key_, customer_id, owner, id{{count}}"
          " FROM ({sql}) due ORDER BY next_due, key_")


class PostgresRollup:
    """Mixed into :class:`PostgresStorage`."""

    def _rows(self, k: Kind, sql: str, params: Sequence[Any], stream: bool = True
              ) -> Iterator[Record]:
        raise NotImplementedError  # PostgresStorage's

    def _tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError  # PostgresStorage's

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]:
        return self._latest(as_of, owner, due_by)

    def latest_calls_on(self, as_of: dt.date, deals: Sequence[str],
                        due_by: dt.date | None = None) -> Iterator[Record]:
        """kam.storage.LatestCallsOn: those deals' calls only (one array parameter; a
        deal's key is its id, so filtering before ``DISTINCT ON`` keeps its latest)."""
        return self._latest(as_of, None, due_by, sorted(set(deals)))

    def next_steps_due(self, as_of: dt.date, due_by: dt.date) -> Iterator[NextStep]:
        """kam.storage.NextStepsDue: the latest calls' next steps due, put in ``kam
        today``'s order (next_due, then the key) by the server and streamed, never held
        as records here (the deal's id, or the customer's for a call on no deal)."""
        sql, params = _latest_sql(as_of, None, due_by)
        return self._tuples(_STEPS.format(sql=sql, count=""), params)

    def next_steps_head(self, as_of: dt.date, due_by: dt.date, limit: int
                        ) -> tuple[int, list[NextStep]]:
        """kam.storage.NextStepsHead: the count beside each row, the first ``limit`` read
        (one row at least, for the count)."""
        sql, params = _latest_sql(as_of, None, due_by)
        rows = list(self._tuples(_STEPS.format(sql=sql, count=", count(*) OVER ()")
                                 + " LIMIT %s", [*params, max(limit, 1)]))
        return (int(rows[0][6]) if rows else 0), [r[:6] for r in rows[:limit]]

    def stalled_deals(self, as_of: dt.date, silent_days: int, run_n: int,
                      limit: int | None = None) -> tuple[int, list[StalledDeal]]:
        """kam.storage.StalledDeals: each open deal's latest call and run as
        ``deal_touches`` finds them, judged, counted and ordered by the server."""
        rows = list(self._tuples(_STALLED, [as_of, as_of, as_of, run_n, silent_days,
                                            None if limit is None else max(limit, 1)]))
        found = [(i, title, owner, stage, last, int(silent), int(run))
                 for i, title, owner, stage, last, silent, run, _total in rows]
        return (int(rows[0][7]) if rows else 0), found[:limit]

    def _latest(self, as_of: dt.date, owner: str | None, due_by: dt.date | None,
                deals: list[str] | None = None) -> Iterator[Record]:
        sql, params = _latest_sql(as_of, owner, due_by, deals)
        return self._rows(kind("activity"), sql, params)

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]:
        """Each open deal's latest call and run (:data:`_TOUCHES`)."""
        params: list[Any] = [as_of]
        theirs = ""
        if customer:
            theirs = " AND customer_id = %s"
            params.append(customer)
        rows = self._rows(kind("activity"), _TOUCHES.format(theirs=theirs)
                          + " SELECT opportunity_id, last AS date, run FROM t", params)
        return iter([(r["opportunity_id"], r["date"], int(r["run"])) for r in rows])

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]:
        params: list[Any] = [start, as_of]
        extra = ""
        if customer:
            extra += " AND customer_id = %s"
            params.append(customer)
        if owner:
            extra += " AND owner = %s"
            params.append(owner)
        rows = self._rows(kind("activity"), (
            "SELECT owner, date, outcome, count(*) AS calls FROM activity"
            f" WHERE date >= %s AND date <= %s{extra} GROUP BY owner, date, outcome"),
            params)
        return iter([(r["owner"], r["date"], r["outcome"], int(r["calls"])) for r in rows])


def _latest_sql(as_of: dt.date, owner: str | None, due_by: dt.date | None,
                deals: list[str] | None = None) -> tuple[str, list[Any]]:
    """``latest_calls``' query (of ``deals`` only when given) and its parameters."""
    params: list[Any] = [as_of]
    mine = ""
    if owner:
        mine = " AND owner = %s"
        params.append(owner)
    if deals is not None:
        mine += " AND opportunity_id = ANY(%s)"
        params.append(deals)
    due = ""
    if due_by is not None:
        due = " WHERE next_due IS NOT NULL AND next_due <= %s"
        params.append(due_by)
    return (
        "SELECT id, date, opportunity_id, customer_id, owner, next_step, next_due FROM ("
        f" SELECT DISTINCT ON ({_KEY}) id, date, opportunity_id, customer_id, owner,"
        "  next_step, next_due FROM activity"
        f" WHERE date <= %s{mine} AND (opportunity_id IS NULL OR opportunity_id = ''"
        "  OR opportunity_id IN (SELECT id FROM opportunity"
        "   WHERE status IN ('open', 'won') AND completed_at IS NULL))"
        f" ORDER BY {_KEY}, {_LATEST_FIRST}) latest{due}"), params
