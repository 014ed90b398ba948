"""Workspace set-up, config, owner-only files, start-up weight, the demo."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import Kam


def test_init_creates_owner_only_files(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    out = k.json("init", "--currency", "usd", "--lang", "en", "--pipeline", "dragon_six")
    assert (out["currency"], out["language"], out["pipeline"]) == ("USD", "en", "dragon_six")
    for path in [tmp_path / "ws", *(tmp_path / "ws").iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
    cu = k.id("customer", "add", "Acme")
    opp = k.json("opp", "add", cu, "Pilot", "--amount", "10")
    assert (opp["currency"], opp["stage"]) == ("USD", "customer_analysis")


def test_init_refuses_unknown_backend_and_pipeline(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    assert k("init", "--backend", "oracle").exit_code == 2
    assert k("init", "--pipeline", "nine_steps").exit_code == 2
    assert not (tmp_path / "ws" / "kam.toml").exists()


def test_config_get_set(kam: Kam) -> None:
    assert kam.ok("config", "get", "rules.margin_floor").stdout.strip() == "10"
    kam.ok("config", "set", "rules.margin_floor", "15")
    assert kam.ok("config", "get", "rules.margin_floor").stdout.strip() == "15"
    assert kam("config", "get", "no.such.key").exit_code == 2
    kam.ok("config", "set", "user", "张伟")
    cu = kam.id("customer", "add", "华东", env={"KAM_USER": ""})
    assert kam.json("history", cu)[0]["actor"] == "张伟"


def test_kam_home_and_as_of_env(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "KAM_HOME": str(home), "KAM_TODAY": "2026-01-15", "KAM_USER": "ci"}
    run = [sys.executable, "-m", "kam"]
    assert subprocess.run([*run, "init"], env=env, capture_output=True).returncode == 0
    r = subprocess.run([*run, "customer", "add", "Acme", "--format", "json"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # two clocks: KAM_TODAY is the business date, the record time is the wall clock's
    import datetime as dt

    created = dt.date.fromisoformat(json.loads(r.stdout)["created_at"][:10])
    assert abs((created - dt.datetime.now(dt.UTC).date()).days) <= 1
    r = subprocess.run([*run, "opp", "add", "CU1", "x", "--amount", "1", "--format", "json"],
                       env=env, capture_output=True, text=True)
    assert json.loads(r.stdout)["stage_entered_at"] == "2026-01-15"


def test_help_imports_no_storage_tabulate_reports_or_models(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['kam', '--help']\n"
        "from kam.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('sqlite_utils', 'sqlite3', 'tabulate', 'pydantic', 'wcwidth', 'rich') "
        "or m.startswith(('kam.reports', 'kam.services', 'kam.plugins.storage_sqlite.backend',"
        " 'kam.output', 'kam.models'))]\n"
        "print('HEAVY', sorted(heavy))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "KAM_HOME": str(tmp_path)})
    assert "Usage: kam" in r.stdout
    assert "HEAVY []" in r.stdout, r.stdout[-500:]


def test_demo_builds_and_refuses_foreign_folder(tmp_path: Path) -> None:
    k = Kam(tmp_path / "unused")
    target = tmp_path / "demo"
    r = k.ok("demo", "--path", str(target))
    assert "Pipeline" in r.stdout or "管道" in r.stdout
    assert "--workspace" in r.stdout
    demo = Kam(target)
    opps = demo.json("opp", "list")
    stages = {o["stage"] for o in opps}
    assert stages >= {"development", "initiation", "proposal", "bidding", "negotiation",
                      "implementation"}
    assert {o["status"] for o in opps} >= {"open", "won", "lost", "abandoned"}
    assert any(ord(ch) > 0x4E00 for o in opps for ch in o["title"])
    assert any(o["title"].isascii() for o in opps)
    assert len(demo.json("activity", "list")) > 20
    k.ok("demo", "--path", str(target))  # an earlier demo may be rebuilt
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    r = k("demo", "--path", str(foreign))
    assert r.exit_code == 2 and (foreign / "notes.txt").exists()


def test_read_commands_do_not_import_pydantic(tmp_path: Path) -> None:
    """Everyday reads stay fast: models (pydantic) load only when something is written."""
    k = Kam(tmp_path / "ws")
    k.ok("init")
    cu = k.id("customer", "add", "华东")
    k.ok("opp", "add", cu, "x", "--amount", "1")
    code = (
        "import sys\n"
        f"sys.argv = ['kam', '--workspace', {str(tmp_path / 'ws')!r}, 'opp', 'list', "
        "'--format', 'json']\n"
        "from kam.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('PYDANTIC', any(m.split('.')[0] == 'pydantic' for m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert '"id": "OP1"' in r.stdout
    assert "PYDANTIC False" in r.stdout, r.stderr[-500:]
