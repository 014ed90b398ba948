"""SQLite fast path for the battle map (kam.storage.BattleMapReads): the contracts in
collection ordered by the database (their outstanding sums stay integer cents), and a
page of contracts read with their customers' names in one query, decoded a column at a
time. Mixed into :class:`SQLiteStorage`; tests/test_battle_map_reads.py checks it
against kam.reports.battle_map on random data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kam.plugins.storage_sqlite.aggregates import _OPEN, streamed
from kam.storage import Where, kind

if TYPE_CHECKING:
    from kam.storage import ContractCard

#: the contract columns of a card, in :data:`kam.storage.ContractCard`'s order
_CARD = ("id", "number", "customer_id", "owner", "amount", "currency", "delivered_on",
         "final_accepted_on", "signed_on", "status")


class SQLiteBattleMapReads:
    """``collection_order`` and ``contract_cards``; uses the backend's ``conn`` and
    SQLiteAggregates' ``_contract_milestones``."""

    conn: sqlite3.Connection

    def _contract_milestones(self, contract_where: Where | None
                             ) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError  # SQLiteAggregates'

    def collection_order(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Iterator[tuple[str, Any]]:
        # as_of does not change a milestone's outstanding (ReceivableSums: the same sums)
        if not contract_where:  # every contract: the milestones summed in one index walk,
            # each sum's contract found by id (no list of contracts to look each one up in)
            return streamed(self.conn, (
                f"WITH s AS (SELECT contract_id, sum({_OPEN}) AS due_ FROM receivable"
                " GROUP BY contract_id)"
                " SELECT c.id, c.currency FROM contract c JOIN s ON s.contract_id = c.id"
                " WHERE s.due_ > 0 ORDER BY c.currency, s.due_ DESC, c.id"), {}, 1000)
        with_, named = self._contract_milestones(contract_where)
        sql = (
            f"{with_}, s AS (SELECT contract_id, sum(open_) AS due_ FROM r"
            " GROUP BY contract_id)"
            " SELECT c.id, c.currency FROM c JOIN s ON s.contract_id = c.id WHERE s.due_ > 0"
            " ORDER BY c.currency, s.due_ DESC, c.id")
        return streamed(self.conn, sql, named, 1000)

    def contract_cards(self, ids: Sequence[str]) -> Iterator[ContractCard]:
        from kam.plugins.storage_sqlite.backend import _DECODE

        k = kind("contract")
        decode = [_DECODE.get(k.type_of(name)) for name in _CARD]
        cols = ", ".join(f'c."{name}"' for name in _CARD)
        out: list[ContractCard] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = list(streamed(self.conn, (
                f"SELECT {cols}, CASE WHEN cu.id IS NULL THEN '' ELSE cu.name END"
                f" FROM contract c LEFT JOIN customer cu ON cu.id = c.customer_id"
                f" WHERE c.id IN ({marks})"), chunk, 500))
            if not rows:
                continue
            columns = [list(col) for col in zip(*rows, strict=True)]
            for n, fn in enumerate(decode):
                if fn is not None:
                    columns[n] = _decoded(fn, columns[n])
            out.extend(zip(*columns, strict=True))
        return iter(out)


def _decoded(fn: Any, column: list[Any]) -> list[Any]:
    """``[None if v is None else fn(v) for v in column]``, each distinct stored value
    decoded once when values repeat (a page's delivery and acceptance dates: a few
    hundred days among 500 contracts); the decoded values are immutable (dates, money),
    so sharing them is safe."""
    distinct = set(column)
    if len(distinct) * 2 > len(column):
        return [None if v is None else fn(v) for v in column]
    made = {v: None if v is None else fn(v) for v in distinct}
    return list(map(made.__getitem__, column))
