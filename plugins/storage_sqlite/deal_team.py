"""Whom a deal team's member works for (铁三角) on SQLite: :class:`kam.storage.WorkedBy`,
one query each, the teams read by SQLite's JSON functions where they are stored."""

from __future__ import annotations

import sqlite3

#: the deals the member ``:m`` owns or is on the team of: a member object whose ``user``
#: is the text ``m`` (``works_on``); a deal with no team is judged by its owner alone
_DEALS = ("SELECT id FROM opportunity WHERE owner = :m OR (team IS NOT NULL AND EXISTS"
          " (SELECT 1 FROM json_each(team) t WHERE t.type = 'object'"
          " AND json_type(t.value, '$.user') = 'text' AND json_extract(t.value, '$.user') = :m))")
_CONTRACTS = f"SELECT id FROM contract WHERE owner = :m OR opportunity_id IN ({_DEALS})"


class WorkedByQuery:
    """:class:`kam.storage.WorkedBy`: ``kam today --owner`` and every ``--member`` used to
    read every deal's team and every contract into Python (~0.7 s on a big team; these
    queries ~0.04 s each)."""

    conn: sqlite3.Connection

    def deals_worked_by(self, member: str) -> list[str]:
        return self._ids(_DEALS, member)

    def contracts_worked_by(self, member: str) -> list[str]:
        return self._ids(_CONTRACTS, member)

    def _ids(self, sql: str, member: str) -> list[str]:
        from kam.plugins.storage_sqlite.backend import _translate

        try:
            return [i for (i,) in self.conn.execute(sql, {"m": member})]
        except sqlite3.Error as exc:
            raise _translate(exc) from None
