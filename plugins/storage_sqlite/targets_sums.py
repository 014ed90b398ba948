"""SQLite fast path for the targets report (kam.storage.DealMonthSums): won and open
deals summed per owner, currency, month, customer, product line, pipeline and stage in
one GROUP BY instead of decoding 80k deals in Python. Mixed into :class:`SQLiteStorage`;
tests/test_targets_sums.py checks it against kam.reports.targets_sums on random data.

Dates are stored as ISO text, so a day's month is its first seven characters; money is
integer cents, so the sums are exact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from kam.kinds import Kind
from kam.plugins.storage_sqlite.aggregates import _cents, _named, streamed
from kam.storage import Where, kind

if TYPE_CHECKING:
    from kam.storage import DealMonthSum


class SQLiteDealMonthSums:
    """``deal_month_sums``; uses the backend's ``conn`` and ``_where``."""

    conn: sqlite3.Connection

    def _where(self, k: Kind, where: Where | None) -> tuple[str, list[Any]]:
        raise NotImplementedError  # SQLiteStorage's

    def deal_month_sums(self, won: bool, where: Where | None = None,
                        customers: Collection[str] = (), products: Collection[str] = ()
                        ) -> Iterator[DealMonthSum]:
        sql_where, params = self._where(kind("opportunity"), where)
        named: dict[str, Any] = {f"w{n}": v for n, v in enumerate(params)}
        named["customers"] = json.dumps(sorted(customers))
        named["products"] = json.dumps(sorted(products))
        # a won deal's day: the day it was won, else its expected signing date (as
        # kam.target_plan's indexes take it); an open deal's: its expected signing date
        day = "coalesce(closed_at, close_date)" if won else "close_date"
        # what a target won needs no pipeline or stage: won deals are not split by them
        stage = "NULL AS pipeline, NULL AS stage" if won else "pipeline, stage"
        sql = (
            f"SELECT owner_, currency, substr(day_, 1, 7), customer_id, category, pipeline,"
            " stage, sum(amount_) FROM (SELECT coalesce(owner, '') AS owner_, currency,"
            f" {day} AS day_, CASE WHEN customer_id IN (SELECT value FROM"
            " json_each(:customers)) THEN customer_id END AS customer_id, CASE WHEN"
            " category IN (SELECT value FROM json_each(:products)) THEN category END"
            f" AS category, {stage},"
            f" coalesce(amount, 0) AS amount_ FROM opportunity{_named(sql_where, 'w')})"
            " WHERE day_ IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7")
        money = _cents
        return ((owner, cur, month, cu, cat, pipeline, stage, money(total))
                for owner, cur, month, cu, cat, pipeline, stage, total in streamed(
                    self.conn, sql, named, 500))
