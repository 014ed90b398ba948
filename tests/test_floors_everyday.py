"""benchmarks/floors/everyday.py, the sqlite3 floors of the everyday commands, reads
what kam shows and writes what kam would (the workspace still passes kam doctor)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_benchmarks_smoke import ROOT, _kam, gen

FLOOR = ROOT / "benchmarks" / "floors" / "everyday.py"


def _floor(path: Path, *args: str) -> str:
    env = {"KAM_TODAY": gen.TODAY.isoformat(), "KAM_USER": "bench", "PATH": ""}
    return subprocess.run([sys.executable, str(FLOOR), str(path), *args], env=env,
                          capture_output=True, text=True, check=True).stdout


def test_floors_read_and_write_as_kam(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    gen.create_workspace(path, "tiny", seed=7, backend="sqlite")
    code, out = _kam(path, "opp", "list", "--limit", "50", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    listed = [line.split("\t") for line in _floor(path, "list").splitlines()[1:]]
    assert [(r[0], r[5]) for r in listed] == [(o["id"], o["amount"]) for o in rows]
    opp = rows[len(rows) // 2]["id"]
    shown = dict(line.split("\t", 1) for line in _floor(path, "show", opp).splitlines())
    assert shown["id"] == opp and shown["title"] == rows[len(rows) // 2]["title"]

    import sqlite3

    db = sqlite3.connect(path / "kam.db")
    contract = db.execute(
        "SELECT r.contract_id FROM receivable r JOIN contract c ON c.id = r.contract_id"
        " WHERE c.status IN ('signed', 'executing') AND r.written_off_on IS NULL"
        " AND r.amount - coalesce(r.paid, 0) > 10000 ORDER BY r.contract_id").fetchone()[0]
    deal = db.execute("SELECT id FROM opportunity WHERE status = 'open' AND stage ="
                      " 'development' ORDER BY rowid").fetchone()[0]
    db.close()
    assert _floor(path, "pay", contract, "1.00").startswith("PY")
    assert _floor(path, "activity", deal).startswith("AC")
    assert _floor(path, "advance", deal).strip() == "proposal"
    code, out = _kam(path, "doctor", "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True, out
    code, out = _kam(path, "opp", "show", deal, "--format", "json")
    assert json.loads(out)["stage"] == "proposal"
