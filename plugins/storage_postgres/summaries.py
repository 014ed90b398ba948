"""PostgreSQL fast paths for the targets, renewals and battle-map reports
(kam.storage.StageReach, PaymentSums, MilestoneViews), mixed into
:class:`PostgresStorage`: counted, summed or computed by one query instead of every
deal, payment or milestone read into Python. :class:`kam.reports.aggregates.PythonAggregates`
is the reference (tests/test_aggregates.py checks them equal on random data on both SQL
backends). Like aggregates.py they read the tables themselves, so row-level security
filters them as it filters ``find``. A json column is read as ``json`` (not ``jsonb``,
which builds every value whole) only where a value is tested; a value handed back is
decoded in Python from the stored text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kam.errors import StorageError
from kam.plugins.storage_postgres.aggregates import _DAYS, _OPEN, _STATE
from kam.plugins.storage_postgres.sql import order_sql, where_sql
from kam.storage import (
    MilestoneView,
    PaymentSum,
    StageReachCount,
    Where,
    kind,
)

#: a payment's period of its date, as kam.reports.revenue.period_of names it
_PERIODS = {"month": "to_char(p.date, 'YYYY-MM')", "year": "to_char(p.date, 'YYYY')",
            "quarter": "to_char(p.date, 'YYYY-\"Q\"Q')"}
#: a json text's string value at ``path`` (NULL when it is not a string, as the
#: reference's ``in stages`` finds no number or object among the stage keys)
_STRING = ("CASE WHEN json_typeof(({col})::json {path}) = 'string'"
           " THEN ({col})::json {path} #>> '{{}}' END")


class PostgresSummaries:
    """Uses the backend's ``_tuples`` (rows streamed as tuples)."""

    def _tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError  # PostgresAggregates'

    # --- StageReach: the targets report's stage conversion (阶段赢单率) -----------------

    def stage_reach(self, order: Mapping[str, Sequence[str]], where: Where | None = None
                    ) -> Iterator[StageReachCount]:
        """Won deals are counted without their events; any other deal looks up its own
        ``opportunity.advanced`` events (by record id) for the furthest ``to``."""
        stages = [(p, stage, i) for p in sorted(order) for i, stage in enumerate(order[p])]
        if not stages:
            return iter(())
        values = ", ".join("(%s, %s, %s)" for _s in stages)
        params: list[Any] = [v for row in stages for v in row]
        sql_where, w_params = where_sql(kind("opportunity"), where)
        first = _STRING.format(col="stage_history", path="-> 0 -> 'stage'")
        to = _STRING.format(col="e.payload", path="-> 'to'")
        # each stage's first place in its pipeline (``list.index``); each deal's first
        # stage and each advance's ``to`` decoded once (MATERIALIZED: not once per
        # stage they are compared with), the furthest grouped in one pass (a subquery
        # per deal: 7 s on the server for 100k deals, now ~1 s)
        sql = (
            f"WITH st(pipeline, stage, i) AS (VALUES {values}),"
            " sf AS (SELECT pipeline, stage, min(i) AS i FROM st GROUP BY pipeline, stage),"
            " n AS (SELECT pipeline, max(i) AS last FROM st GROUP BY pipeline),"
            f" o AS MATERIALIZED (SELECT id, pipeline, status, {first} AS first_"
            f" FROM opportunity{sql_where}),"
            f" a AS MATERIALIZED (SELECT e.record_id, {to} AS to_ FROM event e"
            "  WHERE e.kind = 'opportunity.advanced' AND e.record_id IN"
            "  (SELECT id FROM o WHERE status IS DISTINCT FROM 'won')),"
            " ev AS (SELECT a.record_id, max(sf.i) AS i FROM a"
            "  JOIN o ON o.id = a.record_id"
            "  JOIN sf ON sf.pipeline = o.pipeline AND sf.stage = a.to_ GROUP BY a.record_id),"
            " r AS (SELECT o.pipeline, o.status, CASE WHEN o.status = 'won' THEN n.last"
            "  ELSE greatest(coalesce(fs.i, 0), coalesce(ev.i, 0)) END AS reach"
            "  FROM o JOIN n ON n.pipeline = o.pipeline"
            "  LEFT JOIN sf fs ON fs.pipeline = o.pipeline AND fs.stage = o.first_"
            "  LEFT JOIN ev ON ev.record_id = o.id)"
            " SELECT pipeline, status, reach, count(*) FROM r GROUP BY pipeline, status, reach")
        return ((p, status, int(reach), int(count))
                for p, status, reach, count in self._tuples(sql, params + w_params))

    # --- PaymentSums: the renewals report's revenue classes (客户收入分类) ---------------

    def payment_sums(self, by: str, where: Where | None = None,
                     contract_where: Where | None = None) -> Iterator[PaymentSum]:
        period = _PERIODS.get(by)
        if period is None:
            raise StorageError(f"payment_sums: {by!r} must be month, quarter or year")
        p_where, p_params = where_sql(kind("payment"), where)
        c_where, c_params = where_sql(kind("contract"), contract_where)
        sql = (
            f"WITH c AS (SELECT id, coalesce(owner, '') AS owner FROM contract{c_where}),"
            " p AS (SELECT customer_id, contract_id, currency, date, amount FROM payment"
            f"{p_where})"
            f" SELECT p.customer_id, coalesce(c.owner, ''), p.currency, {period} AS period,"
            " round(sum(p.amount), 2) FROM p LEFT JOIN c ON c.id = p.contract_id"
            " GROUP BY p.customer_id, 2, p.currency, period")
        return ((cu, owner, cur, per, total)
                for cu, owner, cur, per, total in self._tuples(sql, c_params + p_params))

    # --- MilestoneViews: the battle map's milestones (作战地图) --------------------------

    def milestone_views(self, as_of: dt.date, where: Where | None = None
                        ) -> Iterator[MilestoneView]:
        """The notes' text is decoded in Python, only for milestones that have notes."""
        k = kind("receivable")
        r_where, r_params = where_sql(k, where)
        orders = ", ".join(order_sql(k, key) for key in ("contract_id", "seq", "id"))
        sql = (
            "WITH r AS (SELECT id, contract_id, seq, kind, share,"
            " coalesce(amount, 0.00) AS amount_, due_date, written_off_on,"
            f" coalesce(paid, 0.00) AS paid_, {_OPEN} AS open_, collection_notes"
            f" FROM receivable{r_where})"
            " SELECT contract_id, seq, kind, share, amount_, due_date, paid_, open_,"
            f" {_STATE}, {_DAYS}, collection_notes FROM r ORDER BY {orders}")
        rows = self._tuples(sql, [*r_params, as_of, as_of, as_of])
        for (cid, seq, kind_, share, amount, due, paid, open_, state, days,
             notes) in rows:
            yield (cid, seq, kind_, share, amount, due, paid, open_, state, int(days),
                   _latest_note(notes))


def _latest_note(text: str | None) -> dict[str, Any] | None:
    """:func:`kam.models.receivable_state.latest_note` of the stored notes."""
    if not text or text in ("[]", "null"):
        return None
    notes = json.loads(text)
    return dict(notes[-1]) if notes else None
