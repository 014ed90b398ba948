"""The benchmark data generator makes a sound workspace: ``tiny``, on both backends.

No timings here (they belong to ``benchmarks/run.py``): this checks that what the
benchmarks measure is real data — doctor passes, reports run, money adds up.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kam.cli import make_app
from kam.kinds import KINDS
from kam.plugin_manager import Plugins
from kam.workspace import Workspace
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


def _generate_module() -> Any:
    spec = importlib.util.spec_from_file_location("kam_bench_generate",
                                                  ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _generate_module()


def _kam(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(make_app(Plugins()), ["--workspace", str(path), *args],
                                env={"KAM_TODAY": gen.TODAY.isoformat(), "KAM_LANG": "en"})
    return result.exit_code, result.stdout


@pytest.fixture(scope="module", params=["sqlite", "csv"])
def tiny(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(f"bench-{request.param}") / "ws"
    info = gen.create_workspace(path, "tiny", seed=7, backend=request.param)
    sizes = gen.SIZES["tiny"]
    assert info["counts"]["customer"] == sizes["customers"]
    assert info["counts"]["opportunity"] == sizes["opportunities"]
    assert info["counts"]["receivable"] == sizes["milestones"]
    return path


def test_doctor_passes_on_generated_data(tiny: Path) -> None:
    code, out = _kam(tiny, "doctor", "--format", "json")
    assert code == 0, out
    result = json.loads(out)
    assert result["ok"] is True  # includes: every record has an event naming it


def test_reports_run_and_every_aging_bucket_is_used(tiny: Path) -> None:
    code, out = _kam(tiny, "report", "aging", "--format", "json")
    assert code == 0, out
    rows = json.loads(out)["tables"]["by_currency"]["rows"]
    assert len(rows) >= 3  # several currencies
    for bucket in ("not_due", "1-30", "31-60", "61-90", "91-180", "180+"):
        assert any(Decimal(r[bucket]) > 0 for r in rows), bucket
    for name in ("pipeline", "forecast", "battle-map", "renewals"):
        code, out = _kam(tiny, "report", name, "--format", "json")
        assert code == 0, (name, out)


def test_generated_records_are_consistent(tiny: Path) -> None:
    ws = Workspace.open(tiny, as_of=gen.TODAY)
    try:
        s = ws.storage
        for k in KINDS.values():
            for record in s.find(k.name, limit=5):
                assert set(record) == set(k.names), k.name
        opps = {o["id"]: o for o in s.find("opportunity")}
        assert {o["status"] for o in opps.values()} == {"open", "won", "lost", "abandoned"}
        assert {o["stage"] for o in opps.values()} >= {"development", "initiation", "proposal",
                                                       "bidding", "negotiation",
                                                       "implementation"}
        milestones: dict[str, list[dict]] = {}
        for r in s.find("receivable"):
            milestones.setdefault(r["contract_id"], []).append(r)
        statuses = set()
        for c in s.find("contract"):
            statuses.add(c["status"])
            opp = opps[c["opportunity_id"]]
            if c["signed_on"]:
                assert opp["status"] == "won", c["id"]
                total = sum((m["amount"] for m in milestones[c["id"]]), Decimal(0))
                assert total == c["amount"], c["id"]
            else:
                assert opp["status"] == "open" and c["id"] not in milestones
        assert statuses >= {"draft", "signed", "executing", "closed"}
        allocated: dict[str, Decimal] = {}
        for p in s.find("payment"):
            parts = sum((Decimal(a["amount"]) for a in p["allocations"]), Decimal(0))
            assert parts == p["amount"]
            for a in p["allocations"]:
                allocated[a["receivable_id"]] = allocated.get(a["receivable_id"], Decimal(0)) \
                    + Decimal(a["amount"])
        for r in s.find("receivable"):
            paid = allocated.get(r["id"], Decimal(0))
            assert paid == (r["paid"] or 0), r["id"]
            assert paid + (r["written_off"] or 0) <= r["amount"], r["id"]
        assert {c["currency"] for c in s.find("customer")} >= {"CNY", "USD"}
    finally:
        ws.close()


def _run_module() -> Any:
    spec = importlib.util.spec_from_file_location("kam_bench_run",
                                                  ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _floor(db: Path, sql: str, owner: str = "") -> str:
    """What a floor program prints (benchmarks/run.py FLOOR_SCRIPT), run in-process."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        params = {"today": gen.TODAY.isoformat(), "owner": owner}
        return "".join("\t".join("" if v is None else str(v) for v in row) + "\n"
                       for part in sql.split("\n;\n") for row in conn.execute(part, params))
    finally:
        conn.close()


def test_every_floor_prints_kam_s_numbers(tiny: Path, tmp_path: Path) -> None:
    """The runner's floors (hand-written SQL) print the numbers kam prints: every report,
    ``kam today`` (whole team and one owner) and ``kam check``'s first run."""
    import shutil

    if not (tiny / "kam.db").is_file():
        pytest.skip("the floors are SQL over the sqlite backend")
    bench = _run_module()
    for report in ("today", *bench.ALL_REPORTS):
        base = ["today"] if report == "today" else ["report", report]
        code, out = _kam(tiny, *base, "--format", "json")
        assert code == 0, (report, out)
        floor = _floor(tiny / "kam.db", bench.FLOOR_SQL[report])
        assert floor.strip(), report
        assert bench.check_numbers(report, out, floor) == "", report
        if report == "battle-map":  # and the floor of runs A-I, timed beside it
            floor = _floor(tiny / "kam.db", bench.FLOOR_SQL["battle-map-sums"])
            assert bench.check_numbers("battle-map-sums", out, floor) == ""
    ws = Workspace.open(tiny, as_of=gen.TODAY)
    try:
        user = next(o["owner"] for o in ws.storage.find("opportunity", {}, limit=1))
    finally:
        ws.close()
    code, out = _kam(tiny, "today", "--owner", user, "--format", "json")
    assert code == 0, out
    mine = json.loads(out)["tables"]
    assert mine["next_steps"]["rows"] or mine["receivables"]["rows"]
    floor = _floor(tiny / "kam.db", bench.FLOOR_SQL["today-owner"], user)
    assert bench.check_numbers("today-owner", out, floor) == ""
    copy = tmp_path / "check"
    shutil.copytree(tiny, copy)
    floor = _floor(copy / "kam.db", bench.FLOOR_SQL["check"])
    code, out = _kam(copy, "check", "--format", "json")
    assert code in (0, 1), out
    assert json.loads(out)["new"]  # the first run fires something
    assert bench.check_numbers("check", out, floor) == ""
    assert bench.check_numbers("check", _kam(copy, "check", "--format", "json")[1],
                               _floor(copy / "kam.db", bench.FLOOR_SQL["check"])) == ""


def test_the_import_phase_harness_times_an_import_of_an_export(tiny: Path,
                                                               tmp_path: Path) -> None:
    """benchmarks/import_phases.py imports an export into a new workspace, kam's way and
    its floor's, and charges the CPU to phases that add up to the whole."""
    import subprocess

    if not (tiny / "kam.db").is_file():
        pytest.skip("the phases are the sqlite backend's statements")
    code, out = _kam(tiny, "export", str(tmp_path / "export"))
    assert code == 0, out
    for name, extra in (("kam", []), ("floor", ["--floor"])):
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "import_phases.py"),
             str(tmp_path / "export"), str(tmp_path / name), *extra],
            capture_output=True, text=True, env={**os.environ, "KAM_TODAY": "2026-06-30"},
            check=False)
        assert done.returncode == 0, done.stderr
        spent = json.loads(done.stderr.strip().splitlines()[-1])
        assert spent["create_index"] > 0 and spent["event_ref"] >= 0
        parts = sum(v for k, v in spent.items() if k not in ("total", "minor_faults",
                                                               "peak_rss_mb"))
        assert abs(parts - spent["total"]) < 0.01
        ws = Workspace.open(tmp_path / name, as_of=gen.TODAY)
        try:
            assert ws.storage.count("customer") == gen.SIZES["tiny"]["customers"]
        finally:
            ws.close()
