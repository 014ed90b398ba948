"""Hostile files around a workspace: kam.toml, CSV journals, export folders, doctor.

Each is refused or reported with one line and an exit code of cli.md (never 70), and
nothing outside the workspace's own files is touched.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import Kam


def _prepend(kam: Kam, line: str) -> None:
    """A top-level key goes first (replacing kam's); a table goes last, or its key into
    the table kam already wrote (a postgres workspace has [storage])."""
    path = kam.path / "kam.toml"
    if line.startswith("["):
        header, _, body = line.partition("\n")
        text = path.read_text()
        if f"\n{header}\n" in text:
            path.write_text(text.replace(f"\n{header}\n", f"\n{header}\n{body}\n", 1))
        else:
            path.write_text(text + "\n" + line + "\n")
        return
    key = line.split("=")[0].strip()
    kept = [x for x in path.read_text().splitlines() if not x.startswith(f"{key} =")]
    path.write_text(line + "\n" + "\n".join(kept) + "\n")


@pytest.mark.parametrize(("line", "key"), [
    ("reports = 5", "reports"), ("currency = 5", "currency"), ('language = "fr"', "language"),
    ('user = "a\\rb"', "user"), ('backend = ["x"]', "backend"),
    ("[storage]\nlock_timeout_s = nan", "storage.lock_timeout_s"),
    ("[receivables]\noverdue_levels = [\"x\"]", "receivables.overdue_levels"),
    ("[reports]\nstalled_days = 1e999", "reports.stalled_days"),
])
def test_a_bad_kam_toml_value_is_one_line_naming_the_key(kam: Kam, line: str,
                                                         key: str) -> None:
    _prepend(kam, line)
    r = kam("customer", "list")
    assert r.exit_code == 2, r
    assert key in r.stderr and len(r.stderr.strip().splitlines()) == 1
    doctor = kam("doctor", "--format", "json")
    assert doctor.exit_code == 1
    assert any(key in p["problem"] for p in doctor.json()["problems"])


def test_config_set_refuses_control_characters_and_nan_and_repairs_a_bad_file(
        kam: Kam) -> None:
    before = (kam.path / "kam.toml").read_bytes()
    assert kam("config", "set", "user", "a\rb").exit_code == 2
    assert kam("config", "set", "storage.lock_timeout_s", "nan").exit_code == 2
    assert kam("config", "set", "rules.margin_floor", "abc").exit_code == 2
    assert (kam.path / "kam.toml").read_bytes() == before
    _prepend(kam, "currency = 5")
    assert kam("customer", "list").exit_code == 2
    kam.ok("config", "set", "currency", "EUR")
    kam.ok("customer", "list")


def test_an_empty_kam_toml_in_a_csv_workspace_creates_no_database(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws", "csv")
    k.ok("init", "--backend", "csv")
    k.ok("customer", "add", "华东")
    (k.path / "kam.toml").write_text("")
    r = k("customer", "list")
    assert r.exit_code == 4 and "backend" in r.stderr
    assert not (k.path / "kam.db").exists()


@pytest.fixture
def csv_ws(tmp_path: Path) -> Kam:
    k = Kam(tmp_path / "ws", "csv")
    k.ok("init", "--backend", "csv")
    k.ok("customer", "add", "华东")
    return k


def _doctor_problems(k: Kam) -> list[str]:
    r = k("doctor", "--format", "json")
    assert r.exit_code == 1, r
    return [p["problem"] for p in r.json()["problems"]]


def test_doctor_finds_a_missing_kind_file_and_stray_files(csv_ws: Kam) -> None:
    (csv_ws.path / "data" / "payment.csv").unlink()
    (csv_ws.path / "data" / "notes.txt").write_text("x")
    problems = _doctor_problems(csv_ws)
    assert any("payment.csv: missing" in p for p in problems)
    assert any("notes.txt: not a kam file" in p for p in problems)


def test_doctor_finds_a_data_file_that_is_a_link_outside_data(csv_ws: Kam,
                                                              tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    data = csv_ws.path / "data" / "target.csv"
    outside.write_bytes(data.read_bytes())
    data.unlink()
    data.symlink_to(outside)
    assert any("not a plain file" in p for p in _doctor_problems(csv_ws))


@pytest.mark.parametrize("journal", [
    {"version": 1, "renames": [["../../victim.txt", "customer.csv"]], "events_size": 0,
     "events": ""},
    {"version": 1, "renames": [[".x.tmp", "../outside.csv"]], "events_size": 0,
     "events": ""},
    "not json",
])
def test_a_crafted_journal_moves_nothing_and_is_reported(csv_ws: Kam, tmp_path: Path,
                                                        journal: object) -> None:
    victim = csv_ws.path / "victim.txt"
    victim.write_text("keep me")
    (csv_ws.path / "data" / ".x.tmp").write_text("id\n")
    text = journal if isinstance(journal, str) else json.dumps(journal)
    (csv_ws.path / "data" / "journal.json").write_text(text)
    r = csv_ws("customer", "list")
    assert r.exit_code == 4 and "journal" in r.stderr
    assert victim.read_text() == "keep me" and not (csv_ws.path / "outside.csv").exists()
    assert any("journal" in p for p in _doctor_problems(csv_ws))


def test_export_into_an_open_folder_makes_it_owner_only(kam: Kam, tmp_path: Path) -> None:
    kam.ok("customer", "add", "华东")
    out = tmp_path / "open"
    out.mkdir()
    os.chmod(out, 0o777)
    kam.ok("export", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    kam.ok("export", str(out))  # an earlier export is reused
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


def test_export_never_deletes_a_foreign_manifest(kam: Kam, tmp_path: Path) -> None:
    out = tmp_path / "theirs"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "someone else\'s project"}')
    r = kam("export", str(out))
    assert r.exit_code == 2 and "not an earlier kam export" in r.stderr
    assert (out / "manifest.json").read_text() == '{"name": "someone else\'s project"}'


def test_redact_drops_contact_custom_fields_and_activity_notes(kam: Kam,
                                                               tmp_path: Path) -> None:
    cu = kam.id("customer", "add", "华东")
    kam.ok("contact", "add", cu, "王", "--field", "wechat=wang-secret")
    opp = kam.id("opp", "add", cu, "监控", "--amount", "100")
    kam.ok("activity", "log", opp, "--type", "call", "--note", "home-phone-secret",
           "--next", "visit-secret")
    kam.ok("export", str(tmp_path / "r"), "--redact")
    text = "".join(p.read_text() for p in (tmp_path / "r").glob("*.csv"))
    for secret in ("wang-secret", "home-phone-secret", "visit-secret"):
        assert secret not in text


def test_a_manifest_naming_dotdot_is_refused(kam: Kam, tmp_path: Path) -> None:
    src = Kam(tmp_path / "src")
    src.ok("init")
    src.ok("customer", "add", "华东")
    src.ok("export", str(tmp_path / "e"))
    manifest = json.loads((tmp_path / "e" / "manifest.json").read_text())
    manifest["files"]["customer"]["file"] = ".."
    (tmp_path / "e" / "manifest.json").write_text(json.dumps(manifest))
    r = kam("import", str(tmp_path / "e"))
    assert r.exit_code == 2 and "NAME.csv" in r.stderr


def test_an_actor_with_control_characters_is_refused(kam: Kam) -> None:
    r = kam("customer", "add", "华东", env={"KAM_USER": "a\x1b[2Jb"})
    assert r.exit_code == 2 and "KAM_USER" in r.stderr
    assert kam.json("customer", "list") == []
