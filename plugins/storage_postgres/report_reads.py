"""PostgreSQL fast paths for the aging (账龄), battle map (作战地图), pipeline (管道) and
targets (目标完成) reports (kam.storage.AgingSums, BattleMapReads, PipelineSums,
DealMonthSums), mixed into :class:`PostgresStorage`: each a query or two as SQLite's
(plugins/storage_sqlite), instead of the Python references over the plainer fast paths.
The property tests of each (tests/test_aging_sums.py, test_battle_map_reads.py,
test_pipeline_sums.py, test_targets_sums.py) run on both SQL backends. Like
aggregates.py they read the tables themselves, so row-level security filters them as
it filters ``find``. Money is ``NUMERIC(20,2)``: sums are exact, rounded to two places
(the references' ``Decimal`` digits); ids and currencies are ``COLLATE "C"``, so text
orders as Python's ``sorted``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from kam.errors import StorageError
from kam.kinds import Kind
from kam.plugins.storage_postgres.aggregates import _DAYS, _OPEN, _aging_terms
from kam.plugins.storage_postgres.sql import where_sql
from kam.storage import (
    PIPELINE_KEYS,
    AgingSum,
    ContractCard,
    DealMonthSum,
    DealSum,
    Record,
    Where,
    kind,
)

#: the contract columns of a card, in :data:`kam.storage.ContractCard`'s order
_CARD = ("id", "number", "customer_id", "owner", "amount", "currency", "delivered_on",
         "final_accepted_on", "signed_on", "status")
#: a milestone owes money (the terms of :data:`_OPEN` above 0): what the sums skip
_OWING = ("written_off_on IS NULL AND coalesce(amount, 0.00) - coalesce(paid, 0.00)"
          " - coalesce(written_off, 0.00) > 0")


class PostgresReportReads:
    """Uses the backend's ``_tuples``, ``_pages``, ``_query`` and PostgresAggregates'
    ``_deal_sums``."""

    def _tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError  # PostgresStorage's

    def _pages(self, sql: str, params: Sequence[Any], stream: bool, size: int = 2000
               ) -> Iterator[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
        raise NotImplementedError  # PostgresStorage's

    def _query(self, k: Kind, columns: str, where: Where | None, order_by: Sequence[str],
               limit: int | None = None, offset: int = 0) -> Iterator[Record]:
        raise NotImplementedError  # PostgresStorage's

    def _deal_sums(self, keys: Sequence[str], where: Where | None, extra: str = "",
                   extra_params: Sequence[Any] = ()) -> list[tuple[DealSum, Any]]:
        raise NotImplementedError  # PostgresAggregates'

    # --- AgingSums: the aging report (应收账龄) ----------------------------------------

    def aging_sums(self, as_of: dt.date, ends: Sequence[int], where: Where | None = None,
                   contract_where: Where | None = None) -> Iterator[AgingSum]:
        """receivable_sums' query without the state, the milestones owing nothing left
        out before the join and the grouping."""
        ctes, params, bucket = _aging_terms(ends, where, contract_where)
        sql = (
            f"{ctes}, s AS (SELECT r.customer_id, c.owner, r.currency, {_DAYS} AS days,"
            " open_ FROM r JOIN c ON c.id = r.contract_id WHERE r.open_ > 0)"
            f" SELECT customer_id, owner, currency, {bucket} AS bucket, round(sum(open_), 2)"
            " FROM s GROUP BY 1, 2, 3, 4")
        params += [as_of, as_of, *(int(e) for e in ends)]
        return ((cu, ow, cur, int(b), total)
                for cu, ow, cur, b, total in self._tuples(sql, params))

    # --- BattleMapReads: the battle map (回款作战地图) ---------------------------------

    def collection_order(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Iterator[tuple[str, Any]]:
        """Only the milestones owing money are summed (the others add 0)."""
        c_where, c_params = where_sql(kind("contract"), contract_where)
        sql = (
            "SELECT c.id, c.currency FROM contract c JOIN"
            f" (SELECT contract_id, sum({_OPEN}) AS due_ FROM receivable WHERE {_OWING}"
            f" AND contract_id IN (SELECT id FROM contract{c_where}) GROUP BY contract_id) r"
            " ON r.contract_id = c.id WHERE r.due_ > 0"
            " ORDER BY c.currency ASC NULLS FIRST, r.due_ DESC, c.id")
        return ((cid, cur) for cid, cur in self._tuples(sql, c_params))

    def contract_cards(self, ids: Sequence[str]) -> Iterator[ContractCard]:
        """One query of a page of contracts (one fetch: the report asks a page at a
        time, and a server cursor each cost the server more than the read)."""
        cols = ", ".join(f'c."{name}"' for name in _CARD)
        sql = (f"SELECT {cols}, CASE WHEN cu.id IS NULL THEN '' ELSE cu.name END"
               " FROM contract c LEFT JOIN customer cu ON cu.id = c.customer_id"
               " WHERE c.id = ANY(%s)")
        out: list[ContractCard] = []
        for _names, rows in self._pages(sql, [list(ids)], False):
            out.extend(rows)
        return iter(out)

    # --- PipelineSums: the pipeline report (管道) --------------------------------------

    def pipeline_sums(self, where: Where | None, fields: Sequence[str]
                      ) -> tuple[list[DealSum], Iterator[Record]]:
        """One walk over the selected deals: the sums, and each group's forced deals'
        ids (``array_agg``); the forced deals are then read by id."""
        k = kind("opportunity")
        for name in fields:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        mark, mark_params = where_sql(k, {"forced": True})
        extra = f", array_agg(id) FILTER (WHERE {mark[len(' WHERE '):]})"
        sums: list[DealSum] = []
        forced: list[str] = []
        for one, marked in self._deal_sums(PIPELINE_KEYS, where, extra, mark_params):
            sums.append(one)
            forced.extend(marked or ())
        if not forced:
            return sums, iter(())
        cols = ", ".join(f'"{name}"' for name in fields)
        return sums, self._query(k, cols, {"id__in": forced}, ("id",))

    # --- DealMonthSums: the targets report (目标完成, 漏斗裕量) ---------------------------

    def deal_month_sums(self, won: bool, where: Where | None = None,
                        customers: Collection[str] = (), products: Collection[str] = ()
                        ) -> Iterator[DealMonthSum]:
        sql_where, params = where_sql(kind("opportunity"), where)
        # a won deal's day: the day it was won, else its expected signing date (as
        # kam.target_plan's indexes take it); an open deal's: its expected signing date
        day = "coalesce(closed_at, close_date)" if won else "close_date"
        # what a target won needs no pipeline or stage: won deals are not split by them
        stage = "NULL::text AS pipeline, NULL::text AS stage" if won else "pipeline, stage"
        sql = (
            "SELECT owner_, currency, to_char(day_, 'YYYY-MM'), customer_id, category,"
            " pipeline, stage, round(sum(amount_), 2) FROM (SELECT coalesce(owner, '')"
            f" AS owner_, currency, {day} AS day_, CASE WHEN customer_id = ANY(%s)"
            " THEN customer_id END AS customer_id, CASE WHEN category = ANY(%s)"
            f" THEN category END AS category, {stage}, coalesce(amount, 0.00) AS amount_"
            f" FROM opportunity{sql_where}) o"
            " WHERE day_ IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7")
        return ((owner, cur, month, cu, cat, pipeline, stage, total)
                for owner, cur, month, cu, cat, pipeline, stage, total in self._tuples(
                    sql, [sorted(customers), sorted(products), *params]))
