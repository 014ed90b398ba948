"""kam export / kam import: backend-neutral, versioned, checked, byte-stable round trips."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from conftest import Kam, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.kinds import KINDS

OTHER = {"sqlite": "csv", "csv": "sqlite", "postgres": "sqlite"}


def _scenario(kam: Kam) -> dict[str, str]:
    """A little of everything: tricky text, personal data, a lead that became a deal."""
    cu = kam.id("customer", "add", "华东电力集团", "--grade", "A", "--industry", "电力",
                "--potential", "1,200,000.5")
    evil = kam.id("customer", "add", "=HYPERLINK(\"http://x\",\"点我\")", "--region", "'华南")
    kam.id("customer", "add", "Acme, \"Ltd\"\nsecond line", "--region", "-5")
    dm = kam.id("contact", "add", cu, "王建国", "--role", "decision_maker", "--phone",
                "+86 138 0000 0000", "--email", "wang@example.cn", "--note", "喜欢打羽毛球")
    kam.id("contact", "add", evil, "Li", "--title", "@CTO")
    lead = kam.id("lead", "add", cu, "智能变电站监控平台", "--source", "展会")
    opp = kam.id("lead", "qualify", lead, "--budget-confirmed", "--budget-amount", "3200000",
                 "--authority", dm, "--need", "升级", "--timeline", "2026-09-30")
    kam.ok("activity", "log", opp, "--type", "visit", "--date", "2026-02-01", "--contact", dm,
           "--outcome", "advance", "--note", "+谈了预算")
    kam.ok("service", "log", cu, "--type", "A", "--hours", "2.5", "--cost", "1,200.5",
           "--remote", "--date", "2026-02-03", "--note", "=1+1 现场")
    kam.ok("service", "survey", "SV1", "--attitude", "非常满意", "--skill", "satisfied",
           "--arrival", "一般", "--promises", "poor", "--date", "2026-02-04")
    kam.ok("complaint", "add", cu, "--severity", "serious", "--note", "宕机",
           "--date", "2026-02-05")
    kam.ok("complaint", "reply", "CP1", "--note", "-已致歉", "--date", "2026-02-06")
    return {"cu": cu, "evil": evil, "dm": dm, "lead": lead, "opp": opp}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fresh(tmp_path: Path, name: str, backend: str) -> Kam:
    k = Kam(tmp_path / name, backend)
    k.ok("init", "--backend", backend, "--lang", "en")
    return k


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _rewrite(folder: Path, name: str, text: str, *, fix_checksum: bool = True) -> None:
    """Replace an export file, keeping the manifest's checksum in step (or not)."""
    (folder / name).write_text(text, encoding="utf-8")
    if fix_checksum:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["files"].values():
            if entry["file"] == name:
                entry["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_round_trip_is_byte_identical_across_backends(kam: Kam, tmp_path: Path) -> None:
    ids = _scenario(kam)
    first = tmp_path / "first"
    kam.ok("export", str(first))
    other = _fresh(tmp_path, "other", OTHER[kam.backend])
    other.ok("import", str(first))
    second = tmp_path / "second"
    other.ok("export", str(second))
    assert _files(first) == _files(second)
    back = _fresh(tmp_path, "back", kam.backend)
    back.ok("import", str(second))
    third = tmp_path / "third"
    back.ok("export", str(third))
    assert _files(third) == _files(first)
    # and the same answers from both workspaces
    for args in (("customer", "list"), ("contact", "list"), ("opp", "show", ids["opp"]),
                 ("history", ids["opp"]), ("lead", "show", ids["lead"]),
                 ("service", "list"), ("service", "surveys"), ("complaint", "list"),
                 ("history", "CP1")):
        assert other.json(*args) == kam.json(*args), args
    # ids continue after the imported ones
    n_events = json.loads((first / "manifest.json").read_text())["files"]["event"]["rows"]
    assert other.id("customer", "add", "新客户") == "CU4"
    assert [e["id"] for e in other.json("history", "CU4")] == [f"EV{n_events + 1}"]


def test_manifest_lists_counts_checksums_and_columns(kam: Kam, tmp_path: Path) -> None:
    _scenario(kam)
    out = tmp_path / "out"
    summary = kam.json("export", str(out))
    assert (summary["customer"], summary["contact"], summary["lead"]) == (3, 2, 1)
    assert (summary["opportunity"], summary["activity"]) == (1, 1)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "kam-export" and manifest["version"] == 1
    assert manifest["neutralised"] == "leading-quote" and manifest["redacted"] is False
    cust = manifest["files"]["customer"]
    assert cust["file"] == "customer.csv" and cust["rows"] == 3
    assert cust["sha256"] == hashlib.sha256((out / "customer.csv").read_bytes()).hexdigest()
    assert cust["columns"][:3] == ["id", "name", "grade"]
    # 3 customers + 2 contacts + lead added + qualified + opp + activity
    events = manifest["files"]["event"]
    assert events["file"] == "events.csv" and events["rows"] == len(_rows(out / "events.csv")) - 1
    rows = _rows(out / "customer.csv")
    assert rows[0] == cust["columns"]
    assert [r[0] for r in rows[1:]] == ["CU1", "CU2", "CU3"]
    assert rows[1][cust["columns"].index("potential")] == "1200000.50"


def test_a_team_moves_from_sqlite_to_postgres_and_back_byte_identical(
        tmp_path: Path, pg_server: object) -> None:
    """Moving a team: SQLite → export → import into PostgreSQL → export → import into
    SQLite → export; all three exports are the same bytes."""
    src = _fresh(tmp_path, "src", "sqlite")
    _scenario(src)
    src.ok("opp", "edit", "OP1", "--amount", "3200000.10", "--margin", "12.5")
    exports = [tmp_path / f"export{n}" for n in range(3)]
    src.ok("export", str(exports[0]))
    team = _fresh(tmp_path, "team", "postgres")
    team.ok("import", str(exports[0]))
    team.ok("export", str(exports[1]))
    back = _fresh(tmp_path, "back", "sqlite")
    back.ok("import", str(exports[1]))
    back.ok("export", str(exports[2]))
    assert _files(exports[0]) == _files(exports[1]) == _files(exports[2])
    assert team.json("doctor")["ok"]
    assert team.ok("opp", "list").stdout == src.ok("opp", "list").stdout


def test_formula_cells_are_neutralised_and_round_trip_exactly(kam: Kam, tmp_path: Path) -> None:
    ids = _scenario(kam)
    out = tmp_path / "out"
    kam.ok("export", str(out))
    rows = _rows(out / "customer.csv")
    header = rows[0]
    evil = rows[2]
    assert evil[header.index("name")] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert evil[header.index("region")] == "''华南"  # an own leading quote gets one more
    assert rows[3][header.index("region")] == "-5"  # a plain number is data
    contact = _rows(out / "contact.csv")
    assert contact[2][contact[0].index("title")] == "'@CTO"
    activity = _rows(out / "activity.csv")
    assert activity[1][activity[0].index("note")] == "'+谈了预算"
    target = _fresh(tmp_path, "t", OTHER[kam.backend])
    target.ok("import", str(out))
    got = target.json("customer", "show", ids["evil"])
    assert got["name"] == "=HYPERLINK(\"http://x\",\"点我\")"
    assert got["region"] == "'华南"
    assert target.json("customer", "show", "CU3")["name"] == "Acme, \"Ltd\"\nsecond line"


def test_redact_drops_contacts_personal_fields(kam: Kam, tmp_path: Path) -> None:
    ids = _scenario(kam)
    out = tmp_path / "out"
    kam.ok("export", str(out), "--redact")
    text = (out / "contact.csv").read_text(encoding="utf-8")
    for secret in ("138 0000", "wang@example.cn", "羽毛球"):
        assert secret not in text
        for p in out.iterdir():
            assert secret not in p.read_text(encoding="utf-8")
    rows = _rows(out / "contact.csv")
    wang = dict(zip(rows[0], rows[1], strict=True))
    assert (wang["phone"], wang["email"], wang["note"]) == ("", "", "")
    assert wang["name"] == "王建国" and wang["customer_id"] == ids["cu"]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["redacted"] is True
    target = _fresh(tmp_path, "t", kam.backend)
    target.ok("import", str(out))
    got = target.json("contact", "show", ids["dm"])
    assert (got["phone"], got["email"], got["note"], got["name"]) == (None, None, None, "王建国")


@pytest.fixture
def exported(kam: Kam, tmp_path: Path) -> Path:
    _scenario(kam)
    out = tmp_path / "out"
    kam.ok("export", str(out))
    return out


def _refused(target: Kam, folder: Path, *words: str) -> None:
    r = target("import", str(folder))
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    for word in words:
        assert word in r.stderr, (word, r.stderr)
    assert target.json("customer", "list") == []  # nothing was written


@pytest.mark.parametrize("case", ["checksum", "count", "column", "cell", "kind", "version",
                                  "manifest", "reference"])
def test_import_refuses_bad_exports_whole(exported: Path, tmp_path: Path, kam: Kam,
                                          case: str) -> None:
    target = _fresh(tmp_path, "t", OTHER[kam.backend])
    cust = (exported / "customer.csv").read_text(encoding="utf-8")
    manifest_path = exported / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if case == "checksum":
        _rewrite(exported, "customer.csv", cust.replace("华东电力集团", "华东电力集圑"),
                 fix_checksum=False)
        _refused(target, exported, "customer.csv", "SHA-256")
    elif case == "count":
        lines = cust.splitlines(keepends=True)
        _rewrite(exported, "customer.csv", "".join(lines[:2]) + lines[2].replace("CU2", "CU9"))
        _refused(target, exported, "customer.csv", "2 rows, the manifest says 3")
    elif case == "column":
        _rewrite(exported, "customer.csv", cust.replace("grade", "rating", 1))
        _refused(target, exported, "customer.csv", "unknown column 'rating'")
    elif case == "cell":
        _rewrite(exported, "customer.csv", cust.replace("1200000.50", "12O0000.50"))
        _refused(target, exported, "customer.csv row 2, column potential")
    elif case == "kind":
        manifest["files"]["spaceship"] = {"file": "spaceship.csv", "rows": 0, "sha256": "x"}
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        _refused(target, exported, "spaceship")
    elif case == "version":
        manifest["version"] = 99
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        _refused(target, exported, "version 99")
    elif case == "manifest":
        manifest_path.unlink()
        _refused(target, exported, "manifest.json", "missing")
    elif case == "reference":
        opp = (exported / "opportunity.csv").read_text(encoding="utf-8")
        _rewrite(exported, "opportunity.csv", opp.replace(",CU1,", ",CU7,", 1))
        _refused(target, exported, "opportunity.csv", "CU7")


def test_import_needs_an_empty_workspace(exported: Path, kam: Kam) -> None:
    r = kam("import", str(exported))
    assert r.exit_code == 2 and "not empty" in r.stderr


def test_a_failing_row_late_in_the_import_leaves_nothing(exported: Path, tmp_path: Path,
                                                         kam: Kam) -> None:
    events = (exported / "events.csv").read_text(encoding="utf-8")
    lines = events.splitlines(keepends=True)
    lines[-1] = lines[-1].replace("2026-", "2026/", 1)  # a bad time stamp in the last event
    _rewrite(exported, "events.csv", "".join(lines))
    target = _fresh(tmp_path, "t", OTHER[kam.backend])
    _refused(target, exported, "events.csv", f"row {len(lines)}, column at")
    ws = target.workspace()
    try:
        assert list(ws.storage.events()) == []
    finally:
        ws.close()


def test_export_refuses_a_folder_that_is_not_an_export(kam: Kam, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_text("keep me")
    r = kam("export", str(folder))
    assert r.exit_code == 2 and "not empty" in r.stderr
    assert (folder / "thesis.docx").read_text() == "keep me"
    out = tmp_path / "out"
    kam.ok("export", str(out))
    kam.ok("export", str(out))  # an earlier export may be replaced
    assert (out / "manifest.json").stat().st_mode & 0o077 == 0


NASTY = ["", "=1+1", "'; DROP TABLE customer; --", "-1", "1e999", "NaN", "2026-02-30",
         "CU999", "[1,2", '{"a":', "true", "９９", "\u202e", "$(rm -rf /)", "../../etc/passwd",
         "999999999999999999999", "x" * 500, "0.001", "2026-13-01T00:00:00+00:00"]


FILES = sorted([f"{name}.csv" for name in KINDS] + ["events.csv"])


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILES), row=st.integers(1, 10_000), col=st.integers(0, 100),
       value=st.one_of(st.sampled_from(NASTY), st.text(max_size=20)))
# found by random seeds before the import checked every cell by kam's grammar, kept for
# good: seed 6, activity.csv contact_ids = -1 (exit 70: not a list); seed 8,
# lead.csv budget_amount = 10^21 (exit 70: too large for SQLite's integer cents)
@example(name="activity.csv", row=1, col=7, value="-1")
@example(name="lead.csv", row=1, col=7, value="999999999999999999999")
@example(name="events.csv", row=1, col=6, value="5")
@example(name="customer.csv", row=1, col=15, value="-1")
@example(name="opportunity.csv", row=1, col=0, value="OP999999999999999999999")
def test_fuzzed_import_files_are_taken_whole_or_refused_whole(
        exported: Path, tmp_path_factory: pytest.TempPathFactory, kam: Kam,
        name: str, row: int, col: int, value: str) -> None:
    """Any single bad cell in any export file is refused (exit 2, nothing
    written) or, when it is a valid value, imported into a sound workspace. Row and
    column wrap around the file's size, so a found case is a plain @example."""
    rows = _rows(exported / name)
    if len(rows) < 2:
        return
    r = 1 + (row - 1) % (len(rows) - 1)
    c = col % len(rows[0])
    folder = tmp_path_factory.mktemp("fuzz")
    for p in exported.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    mutated = [list(line) for line in rows]
    mutated[r][c] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(mutated)
    _rewrite(folder, name, buf.getvalue())
    target = _fresh(tmp_path_factory.mktemp("t"), "t", OTHER[kam.backend])
    result = target("import", str(folder))
    assert result.exit_code in (0, 2), (name, r, c, value, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert target.json("customer", "list") == []
    else:
        doctor = target("doctor")
        assert doctor.exit_code in (0, 1) and "Traceback" not in doctor.stderr


@pytest.mark.parametrize("column, value", [("refs", "-1"), ("refs", "5"),
                                           ("refs", "[1, 2]"), ("payload", "[]")])
def test_event_json_cells_of_the_wrong_shape_are_refused(
        exported: Path, tmp_path: Path, kam: Kam, column: str, value: str) -> None:
    """Found by the fuzzer above (events.csv refs = -1 was exit 70): kept as examples."""
    rows = _rows(exported / "events.csv")
    rows[1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _rewrite(exported, "events.csv", buf.getvalue())
    target = _fresh(tmp_path, "t", OTHER[kam.backend])
    _refused(target, exported, "events.csv", f"row 2, column {column}")
