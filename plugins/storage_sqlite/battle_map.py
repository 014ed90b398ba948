"""SQLite fast paths for the battle map (kam.storage.BattleMapReads, CollectionCards): the
contracts in collection ordered by the database (their outstanding sums stay integer
cents), a page of contracts read with their customers' names in one query, or both as
one stream, decoded a column at a time. Mixed into :class:`SQLiteStorage`;
tests/test_battle_map_reads.py checks them against kam.reports.battle_map on random
data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from kam.plugins.storage_sqlite.aggregates import _OPEN, streamed, streamed_pages
from kam.storage import Where, kind

if TYPE_CHECKING:
    from kam.storage import Collection, ContractCard

#: the contract columns of a card, in :data:`kam.storage.ContractCard`'s order
_CARD = ("id", "number", "customer_id", "owner", "amount", "currency", "delivered_on",
         "final_accepted_on", "signed_on", "status")
#: those columns of ``contract cc`` and the customer's name ("" when there is none)
_CARD_COLUMNS = (", ".join(f'cc."{name}"' for name in _CARD)
                 + ", CASE WHEN cu.id IS NULL THEN '' ELSE cu.name END")


class SQLiteBattleMapReads:
    """``collection_order``, ``contract_cards`` and ``collection_cards``; uses the
    backend's ``conn`` and SQLiteAggregates' ``_contract_milestones``."""

    conn: sqlite3.Connection

    def _contract_milestones(self, contract_where: Where | None
                             ) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError  # SQLiteAggregates'

    def collection_order(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Iterator[tuple[str, Any]]:
        # as_of does not change a milestone's outstanding (ReceivableSums: the same sums)
        with_, named = self._collection(contract_where)
        return streamed(self.conn, (
            f"{with_} SELECT cc.id, cc.currency FROM contract cc"
            " JOIN s ON s.contract_id = cc.id ORDER BY cc.currency, s.due_ DESC, cc.id"),
            named, 1000)

    def contract_cards(self, ids: Sequence[str]) -> Iterator[ContractCard]:
        out: list[ContractCard] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            for rows in streamed_pages(self.conn, (
                    f"SELECT {_CARD_COLUMNS} FROM contract cc"
                    f" LEFT JOIN customer cu ON cu.id = cc.customer_id"
                    f" WHERE cc.id IN ({marks})"), chunk, 500):
                out.extend(_cards(rows))
        return iter(out)

    def collection_cards(self, as_of: dt.date, contract_where: Where | None = None
                         ) -> Collection:
        """One query: the contracts' sums, their cards and customers' names joined and
        sorted by SQLite, read 1,000 at a time as the map is written (the page queries run
        beside it on this connection, in the snapshot it holds); its first row carries
        how many there are (a count over the sums already made)."""
        from kam.storage import Collection

        with_, named = self._collection(contract_where)
        sql = (
            f"{with_}, k AS MATERIALIZED (SELECT count(*) AS n, count(DISTINCT cc.currency)"
            " + max(cc.currency IS NULL) AS m FROM s JOIN contract cc ON cc.id = s.contract_id)"
            f" SELECT {_CARD_COLUMNS}, k.n, k.m FROM k, contract cc"
            " JOIN s ON s.contract_id = cc.id LEFT JOIN customer cu ON cu.id = cc.customer_id"
            " ORDER BY cc.currency, s.due_ DESC, cc.id")
        pages = streamed_pages(self.conn, sql, named, 1000)
        first = next(pages, None)
        if first is None:
            return Collection(0, 0, iter(()))
        count, currencies = first[0][-2:]
        return Collection(int(count), int(currencies or 0),
                          chain.from_iterable(map(_cards, chain([first], pages))))

    def _collection(self, contract_where: Where | None) -> tuple[str, dict[str, Any]]:
        """``WITH s``: each selected contract's Σ outstanding (``due_``), those owing
        only."""
        if not contract_where:  # every contract: the milestones summed in one index walk
            return (f"WITH s AS MATERIALIZED (SELECT contract_id, sum({_OPEN}) AS due_"
                    " FROM receivable GROUP BY contract_id HAVING due_ > 0)", {})
        with_, named = self._contract_milestones(contract_where)
        return (f"{with_}, s AS MATERIALIZED (SELECT contract_id, sum(open_) AS due_ FROM r"
                " GROUP BY contract_id HAVING due_ > 0)", named)


def _cards(rows: list[tuple[Any, ...]]) -> list[ContractCard]:
    """Rows that start with :data:`_CARD_COLUMNS` as cards, decoded a column at a time
    (any columns after them left off)."""
    from kam.plugins.storage_sqlite.backend import _DECODE

    k = kind("contract")
    columns = [list(col) for col in zip(*rows, strict=True)][:len(_CARD) + 1]
    for n, name in enumerate(_CARD):
        fn = _DECODE.get(k.type_of(name))
        if fn is not None:
            columns[n] = _decoded(fn, columns[n])
    return list(zip(*columns, strict=True))


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
