"""SQLite's :class:`kam.storage.AgingSums`: the aging report's (应收账龄) sums of the
milestones that still owe money, grouped in one query (the paid ones, half of a big
team's 200k, are dropped before the join to their contract and the grouping: 0.53 →
0.30 s of SQL, 78k → 44k groups to add up)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from kam.plugins.storage_sqlite.aggregates import _DAYS, _OPEN, _cents, _named, streamed
from kam.storage import AgingSum, Where, kind


class SQLiteAgingSums:
    """Uses the backend's ``conn`` and ``_where``."""

    conn: sqlite3.Connection

    def _where(self, k: Any, where: Where | None) -> tuple[str, list[Any]]:
        raise NotImplementedError  # the backend's

    def aging_sums(self, as_of: dt.date, ends: Sequence[int], where: Where | None = None,
                   contract_where: Where | None = None) -> Iterator[AgingSum]:
        r_where, r_params = self._where(kind("receivable"), where)
        c_where, c_params = self._where(kind("contract"), contract_where)
        named: dict[str, Any] = {"as_of": as_of.isoformat()}
        named.update({f"r{n}": v for n, v in enumerate(r_params)})
        named.update({f"c{n}": v for n, v in enumerate(c_params)})
        named.update({f"e{n}": int(e) for n, e in enumerate(ends)})
        bucket = "CASE WHEN days <= 0 THEN 0 " + "".join(
            f"WHEN days <= :e{n} THEN {n + 1} " for n in range(len(ends))) + (
            f"ELSE {len(ends) + 1} END")
        sql = (
            # +customer_id: one pass over the table, not along the customer index
            "WITH r AS (SELECT +customer_id AS customer_id, contract_id,"
            " coalesce(currency, '') AS currency, due_date, written_off_on,"
            f" {_OPEN} AS open_ FROM receivable{_named(r_where, 'r')}),"
            f" c AS (SELECT id, coalesce(owner, '') AS owner FROM contract"
            f"{_named(c_where, 'c')}),"
            f" s AS (SELECT r.customer_id, c.owner, r.currency, {_DAYS} AS days, open_"
            " FROM r JOIN c ON c.id = r.contract_id WHERE open_ > 0)"
            f" SELECT customer_id, owner, currency, {bucket} AS bucket, sum(open_) FROM s"
            " GROUP BY customer_id, owner, currency, bucket")
        return ((cu, ow, cur, int(b), _cents(total))
                for cu, ow, cur, b, total in streamed(self.conn, sql, named, 500))
