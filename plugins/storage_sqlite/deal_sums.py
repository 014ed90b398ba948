"""The open deals' sums the SQLite backend keeps on write (在途商机汇总), so the pipeline
report (管道) reads one row per (pipeline, stage, currency, forced) instead of walking
every open deal (large: 26k deals, ~60 ms, to ~40 rows).

One table of the backend's own (migration ``0018_pipeline_sums``), kept by triggers on
``opportunity``: ``deal_sums``, per group of the live open deals (status ``open``, not
completed, as the report selects them), their count and their Σ amount and Σ weighted
amount in cents, each deal's terms computed by the walk's own expressions — so a kept
sum is the walk's sum. A group also counts its deals whose amount, probability or
``forced`` is not a whole number or empty (``odd``); a read that meets one, or a sum that
left 64 bits (SQLite turns such a sum into a REAL), walks the deals instead. A bulk load
runs without triggers and fills the table at its end (:func:`refill`).

The forced deals (强制推进) are listed through ``idx_opportunity_forced``, a partial
index of the ~1k forced deals among 100k.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

#: the backend's own tables (no kind of theirs in core/kinds.py)
TABLES = ("deal_sums",)

#: the forced deals' condition as a literal, so ``idx_opportunity_forced`` serves it (a
#: bound value would not match the index's WHERE)
FORCED = '"forced" = 1'

#: the deals the table sums, as the pipeline report selects them
LIVE_WHERE = {"status": "open", "completed_at__isnull": True}

_KEYS = ("pipeline", "stage", "currency", "forced")


def _live(row: str) -> str:
    return f"{row}.status = 'open' AND {row}.completed_at IS NULL"


def _key(row: str) -> str:
    """The group's key as text: SQL literals (``quote``) are distinct exactly when the
    values are (text, NULL, an integer ``forced``); an odd value makes the group odd."""
    return " || ',' || ".join(f"quote({row}.{k})" for k in _KEYS)


def half_away(x: str) -> str:
    """Cents × percent ``x`` as cents, rounded half away from zero: the one rounding of a
    weighted amount, the walk's (``SQLiteAggregates._deal_sums``) and the triggers'."""
    return f"CASE WHEN {x} >= 0 THEN ({x} + 50) / 100 ELSE -((50 - {x}) / 100) END"


def weighted(row: str) -> str:
    """A deal's weighted amount in cents (tests/test_deal_sums.py holds Σ of it equal to
    the walk's)."""
    return half_away(f"(coalesce({row}.amount, 0) * coalesce({row}.probability, 0))")


def _odd(row: str) -> str:
    return ("(" + " OR ".join(f"typeof({row}.{c}) NOT IN ('integer', 'null')"
                              for c in ("amount", "probability", "forced")) + ")")


def _terms(row: str) -> str:
    return (f"{_key(row)}, {', '.join(f'{row}.{k}' for k in _KEYS)}, 1,"
            f" coalesce({row}.amount, 0), {weighted(row)}, {_odd(row)}")


_COLUMNS = "key, pipeline, stage, currency, forced, deals, amount, weighted, odd"
_ADD = ("deals = deals + excluded.deals, amount = amount + excluded.amount,"
        " weighted = weighted + excluded.weighted, odd = odd + excluded.odd")


def _add(row: str) -> str:
    return (f"INSERT INTO deal_sums ({_COLUMNS}) SELECT {_terms(row)} WHERE {_live(row)}"
            f" ON CONFLICT (key) DO UPDATE SET {_ADD};")


def _take(row: str) -> str:
    return (f"UPDATE deal_sums SET deals = deals - 1, amount = amount - coalesce("
            f"{row}.amount, 0), weighted = weighted - {weighted(row)}, odd = odd -"
            f" {_odd(row)} WHERE key = {_key(row)} AND {_live(row)};"
            f" DELETE FROM deal_sums WHERE key = {_key(row)} AND deals = 0;")


#: the columns a change of which moves a deal between groups, in or out
_WATCHED = ("status", "completed_at", *_KEYS, "amount", "probability")

#: migration ``0018_pipeline_sums``: untyped value columns, so a key and a sum keep the
#: deal's values as stored (no affinity applied)
MIGRATION: tuple[str, ...] = (
    "CREATE TABLE deal_sums (key TEXT PRIMARY KEY, pipeline, stage, currency, forced,"
    " deals INTEGER NOT NULL, amount, weighted, odd INTEGER NOT NULL)",
    'CREATE INDEX IF NOT EXISTS "idx_opportunity_forced" ON "opportunity"'
    ' ("status", "completed_at") WHERE "forced" = 1',
    f"CREATE TRIGGER deal_sums_insert AFTER INSERT ON opportunity BEGIN {_add('NEW')} END",
    f"CREATE TRIGGER deal_sums_update AFTER UPDATE OF {', '.join(_WATCHED)} ON opportunity"
    f" BEGIN {_take('OLD')} {_add('NEW')} END",
    f"CREATE TRIGGER deal_sums_delete AFTER DELETE ON opportunity BEGIN {_take('OLD')} END",
)

#: the table from every deal (the migration's, and a bulk load's at its end)
FILL: tuple[str, ...] = (
    f"INSERT INTO deal_sums ({_COLUMNS}) SELECT {_key('o')}, {', '.join(f'o.{k}' for k in _KEYS)},"
    f" count(*), sum(coalesce(o.amount, 0)), sum({weighted('o')}), sum({_odd('o')})"
    f" FROM opportunity o WHERE {_live('o')} GROUP BY {_key('o')}",
)


def refill(conn: sqlite3.Connection) -> None:
    """The sums again from every deal: what a bulk load that ran without the triggers
    (kam import) does at its end."""
    conn.execute("DELETE FROM deal_sums")
    for sql in FILL:
        conn.execute(sql)


def kept_sums(conn: sqlite3.Connection, where: Mapping[str, Any] | None
              ) -> list[tuple[Any, ...]] | None:
    """The groups' (pipeline, stage, currency, forced, deals, Σ amount, Σ weighted) as
    the walk would give them for ``where``, or None when the table cannot answer: a
    filter other than the live deals' own and an equal pipeline or currency, an odd
    deal, a sum past 64 bits."""
    where = dict(where or {})
    if any(where.pop(k, None) != v for k, v in LIVE_WHERE.items()):
        return None
    terms, params = [], []
    for name in ("pipeline", "currency"):
        if name in where:
            value = where.pop(name)
            if not isinstance(value, str):
                return None
            terms.append(f"{name} = ?")
            params.append(value)
    if where:
        return None
    sql = ("SELECT pipeline, stage, currency, forced, deals, amount, weighted, odd,"
           " typeof(amount) = 'integer' AND typeof(weighted) = 'integer' FROM deal_sums"
           + (f" WHERE {' AND '.join(terms)}" if terms else ""))
    rows = conn.execute(sql, params).fetchall()
    if any(row[7] or not row[8] for row in rows):
        return None
    return [row[:7] for row in rows]

