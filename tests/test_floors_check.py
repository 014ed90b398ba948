"""benchmarks/floors/check.py, the sqlite3 floor of ``kam check``'s first run and of a
later day's run, writes the rows kam writes (events but for their time, references,
sequences, customers' flags) and prints the numbers benchmarks/run.py checks against
kam's JSON."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from kam.cli import make_app
from kam.plugin_manager import Plugins
from test_benchmarks_smoke import ROOT, _run_module, gen
from typer.testing import CliRunner

FLOOR = ROOT / "benchmarks" / "floors" / "check.py"
ENV = {"KAM_TODAY": gen.TODAY.isoformat(), "KAM_USER": "bench", "KAM_LANG": "en"}


def _written(path: Path, after: int) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path / "kam.db")
    try:
        return [*db.execute("SELECT id, actor, kind, record_id, payload, refs FROM event"
                            " WHERE rowid > ? ORDER BY rowid", (after,)),
                *db.execute("SELECT event_id, ref FROM event_ref ORDER BY event_id, ref"),
                *db.execute("SELECT kind, value FROM kam_sequence ORDER BY kind"),
                *db.execute("SELECT id, flags FROM customer ORDER BY rowid")]
    finally:
        db.close()


def test_the_check_floor_writes_what_kam_writes(tmp_path: Path) -> None:
    base = tmp_path / "ws"
    gen.create_workspace(base, "tiny", seed=7, backend="sqlite")
    db = sqlite3.connect(base / "kam.db")
    db.execute("UPDATE customer SET flags = '[{\"type\": \"low_credit\", \"decision\":"
               " \"cleared\"}]' WHERE rowid = 1")  # a cleared flag is raised again
    db.commit()
    last = db.execute("SELECT max(rowid) FROM event").fetchone()[0]
    db.close()
    floor_ws, kam_ws = tmp_path / "floor", tmp_path / "kam"
    shutil.copytree(base, floor_ws)
    shutil.copytree(base, kam_ws)
    floor = subprocess.run([sys.executable, str(FLOOR), str(floor_ws)], env=ENV,
                           capture_output=True, text=True, check=True).stdout
    result = CliRunner().invoke(make_app(Plugins()),
                                ["--workspace", str(kam_ws), "check", "--format", "json"],
                                env=ENV)
    assert result.exit_code in (0, 1), result.stdout
    assert _run_module().check_numbers("check", result.stdout, floor) == ""
    written = _written(kam_ws, last)
    assert any(row[2] == "customer.flagged" for row in written)
    assert any(row[2] == "receivable.overdue" for row in written)
    assert _written(floor_ws, last) == written
    for ws in (floor_ws, kam_ws):  # the reminders of daily use (benchmarks/history.py)
        assert _run_module().history.add_paid_reminders(ws / "kam.db") > 0
    for later in (1, 31):  # the next day (benchmarks/run.py times it), and a month on
        env = {**ENV, "KAM_TODAY": (gen.TODAY + dt.timedelta(days=later)).isoformat()}
        floor = subprocess.run([sys.executable, str(FLOOR), str(floor_ws)], env=env,
                               capture_output=True, text=True, check=True).stdout
        result = CliRunner().invoke(make_app(Plugins()), [
            "--workspace", str(kam_ws), "check", "--format", "json"], env=env)
        assert result.exit_code in (0, 1), result.stdout
        assert _run_module().check_numbers("check", result.stdout, floor) == ""
        assert _written(floor_ws, last) == _written(kam_ws, last)
    assert len(_written(kam_ws, last)) > len(written)  # the later days fired something
