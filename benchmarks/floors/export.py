"""Floor for ``kam export``: the same export folder, byte for byte, from a hand-written
``sqlite3`` program in one Python process.

    python benchmarks/floors/export.py DB OUTDIR

DB is a workspace's ``kam.db`` (SQLite backend); OUTDIR a new folder. The files (one
CSV per kind, ``events.csv``, ``manifest.json``) are what ``kam export OUTDIR`` writes
from that workspace. Only kam's list of kinds (columns and their types) and version
string are borrowed from kam; everything else is plain ``sqlite3`` + ``csv``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

from kam import __version__
from kam.kinds import EVENT, KINDS

RISKY = ("'", "=", "+", "-", "@", "\t", "\r")


def protect(text: str) -> str:
    if text.startswith("'"):
        return "'" + text
    if text.startswith(RISKY[1:]):
        try:
            Decimal(text)
            return text
        except Exception:
            return "'" + text
    return text


def money(cents: int | None) -> str | None:
    if cents is None:
        return None
    digits = str(abs(cents)).rjust(3, "0")
    return f"{'-' if cents < 0 else ''}{digits[:-2]}.{digits[-2:]}"


def write(conn: sqlite3.Connection, path: Path, kind) -> dict:  # type: ignore[no-untyped-def]
    names = [f.name for f in kind.fields]
    texts = [i for i, f in enumerate(kind.fields) if f.type == "text"]
    moneys = [i for i, f in enumerate(kind.fields) if f.type == "money"]
    bools = [i for i, f in enumerate(kind.fields) if f.type == "bool"]
    sha = hashlib.sha256()
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(names)
    count = 0
    cols = ", ".join(f'"{n}"' for n in names)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        cur = conn.execute(f'SELECT {cols} FROM "{kind.name}" ORDER BY rowid')
        while rows := cur.fetchmany(500):
            block = []
            for row in rows:
                cells = list(row)
                for i in texts:
                    v = cells[i]
                    if v and v[0] in "'=+-@\t\r":
                        cells[i] = protect(v)
                for i in moneys:
                    cells[i] = money(cells[i])
                for i in bools:
                    v = cells[i]
                    cells[i] = None if v is None else "true" if v else "false"
                block.append(cells)
            out.writerows(block)
            count += len(block)
            data = buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
            sha.update(data)
            fh.write(data)
        data = buf.getvalue().encode()
        sha.update(data)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return {"file": path.name, "rows": count, "sha256": sha.hexdigest(), "columns": names}


def main(db: str, outdir: str) -> None:
    folder = Path(outdir)
    folder.mkdir(mode=0o700)
    conn = sqlite3.connect(db)
    files = {k.name: write(conn, folder / f"{k.name}.csv", k) for k in KINDS.values()}
    files["event"] = write(conn, folder / "events.csv", EVENT)
    manifest = {"format": "kam-export", "version": 1, "kam_version": __version__,
                "neutralised": "leading-quote", "redacted": False, "files": files}
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8")
    os.chmod(folder / "manifest.json", 0o600)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
