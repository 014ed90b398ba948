"""Floor for ``kam import``: the same database rows and events from an export folder, by
a hand-written ``sqlite3`` program in one Python process.

    kam -w WS init && python benchmarks/floors/import.py EXPORT_DIR WS/kam.db

EXPORT_DIR is a folder written by ``kam export``; the database is an empty workspace's
``kam.db`` (made by ``kam init``, SQLite backend). Afterwards its tables (records, the
event log, the event index, the id sequences) hold what ``kam import EXPORT_DIR`` would
have written; ``kam export`` of it gives EXPORT_DIR back byte for byte. What it does is
the least a program trusting the export must: check each file's SHA-256 while reading it,
turn cells into stored values (money to cents, booleans to 0/1, one leading quote off
neutralised text, json as written), insert in batches with the secondary indexes dropped
and built again at the end, index events by record and refs, set the sequences. It does
not check the cells (kam's grammar, shapes, ids, references): that is kam's own work.
Only kam's list of kinds (columns and their types) is borrowed from kam.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from kam.kinds import EVENT, KINDS
from kam.plugins.storage_sqlite.deal_sums import FILL as DEAL_FILL
from kam.plugins.storage_sqlite.summaries import FILL


class Hashing(io.RawIOBase):
    def __init__(self, path: Path) -> None:
        self.fh = open(path, "rb")  # noqa: SIM115
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.fh.readinto(buffer)
        self.sha.update(memoryview(buffer)[:n])
        return n


def cents(text: str) -> int | None:
    return int(text.replace(".", "")) if text else None


def load(conn: sqlite3.Connection, folder: Path, entry: dict, kind: Any) -> int:  # type: ignore[type-arg]
    raw = Hashing(folder / entry["file"])
    lines = csv.reader(io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding="utf-8",
                                        newline=""))
    header = next(lines)
    types = {f.name: f.type for f in kind.fields}
    convert = []
    for name in header:
        ftype = types[name]
        if ftype == "money":
            convert.append(cents)
        elif ftype == "bool":
            convert.append({"": None, "true": 1, "false": 0}.__getitem__)
        elif ftype == "int":
            convert.append(lambda t: int(t) if t else None)
        elif ftype == "text":
            convert.append(lambda t: (t[1:] if t[0] == "'" else t) if t else None)
        else:
            convert.append(lambda t: t or None)
    sql = (f'INSERT INTO "{kind.name}" ({", ".join(chr(34) + h + chr(34) for h in header)})'
           f' VALUES ({", ".join("?" * len(header))})')
    top = 0
    batch: list[list[Any]] = []
    for cells in lines:
        batch.append([fn(t) for fn, t in zip(convert, cells, strict=True)])
        if len(batch) == 2000:
            conn.executemany(sql, batch)
            batch = []
    conn.executemany(sql, batch)
    if raw.sha.hexdigest() != entry["sha256"]:
        raise SystemExit(f"{entry['file']}: SHA-256 does not match")
    top = conn.execute(f'SELECT max(CAST(substr(id, 3) AS INTEGER)) FROM "{kind.name}"'
                       ).fetchone()[0]
    if top:
        conn.execute("INSERT INTO kam_sequence (kind, value) VALUES (?, ?) ON CONFLICT(kind)"
                     " DO UPDATE SET value = excluded.value", (kind.name, top))
    return top or 0


def main(export_dir: str, db: str) -> None:
    folder = Path(export_dir)
    files = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    conn = sqlite3.connect(db, isolation_level=None)
    # kam import's journal (kam.storage.LoadJournal): pages written once, not to the WAL
    # and again by the checkpoint; fully synced, as a rollback journal needs to be safe
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                           " AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    # the summaries' triggers go too (calls, open deals); they are filled once at the end
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                            " AND sql IS NOT NULL").fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    for name, kind in KINDS.items():
        if name in files:
            load(conn, folder, files[name], kind)
    load(conn, folder, files["event"], EVENT)
    conn.execute(
        "INSERT OR IGNORE INTO event_ref (event_id, ref) SELECT event_id, ref FROM ("
        " SELECT id AS event_id, record_id AS ref FROM event WHERE record_id != ''"
        " UNION ALL SELECT e.id, j.value FROM event AS e, json_each(e.refs) AS j"
        "  WHERE e.refs != '[]' AND j.value != '') ORDER BY ref, event_id")
    for _, sql in indexes:
        conn.execute(sql)
    for sql in (*FILL, *DEAL_FILL):
        conn.execute(sql)
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
