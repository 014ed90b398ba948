"""``kam report`` through the CLI: formats, golden Markdown, CJK alignment, --output for
cron, byte-identical reruns, and a company's own report and format by plugin."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import Kam
from kam.workspace import Workspace
from test_reports import (
    customer,
    opp,
    pipeline_ws,  # noqa: F401 - fixture
)
from test_reports_collect import collect_ws  # noqa: F401 - fixture
from wcwidth import wcswidth

GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2026-03-02"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KAM_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_pipeline_markdown_golden(kam: Kam, pipeline_ws: Workspace) -> None:  # noqa: F811
    text = kam.ok("report", "pipeline", "--format", "md", "--as-of", AS_OF).stdout
    golden("pipeline_en.md", text)


def test_aging_markdown_golden_in_chinese(kam: Kam, collect_ws: Workspace) -> None:  # noqa: F811
    text = kam.ok("--lang", "zh", "report", "aging", "-f", "md", "--as-of", AS_OF).stdout
    assert text.startswith(f"# 应收账龄 · ws · 截至 {AS_OF}\n")
    golden("aging_zh.md", text)


def test_same_data_same_day_same_bytes(kam: Kam, collect_ws: Workspace) -> None:  # noqa: F811
    for name in ("pipeline", "funnel", "forecast", "aging", "battle-map", "activity",
                 "win-loss", "renewals", "targets"):
        for fmt in ("md", "table", "json", "csv"):
            first = kam.ok("report", name, "-f", fmt, "--as-of", AS_OF).stdout
            assert first == kam.ok("report", name, "-f", fmt, "--as-of", AS_OF).stdout


def test_markdown_cells_are_escaped(kam: Kam, ws: Workspace) -> None:
    cu = customer(ws, "A|B 公司")
    opp(ws, cu, "line one\nline | two", "100", stage="proposal", probability=40, forced=True)
    opp(ws, cu, "=HYPERLINK(\"http://x\")", "100", stage="proposal", probability=40,
        forced=True)
    md = kam.ok("report", "pipeline", "-f", "md", "--as-of", AS_OF).stdout
    assert "| OP1 | line one<br>line \\| two |" in md
    assert "'=HYPERLINK" in md
    for line in md.splitlines():
        if line.startswith("| OP"):
            assert line.replace("\\|", "").count("|") == 8  # 7 columns, no extra cell
    csv_text = kam.ok("report", "pipeline", "-f", "csv", "--table", "forced",
                      "--as-of", AS_OF).stdout
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text


def test_table_output_aligns_chinese_rows(kam: Kam, collect_ws: Workspace) -> None:  # noqa: F811
    out = kam.ok("report", "aging", "--table", "by_customer", "--as-of", AS_OF).stdout
    lines = [line for line in out.splitlines() if line.strip()]
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "})
    gaps = [i for i, ch in enumerate(lines[rule]) if ch == " "]  # column separators
    body = [lines[rule - 1], *lines[rule + 1:]]
    assert any("华东电力集团" in line for line in body)
    for line in body:
        assert wcswidth(line) == len(lines[rule])
        # the display column of each separator is a space in every row
        col, at = 0, {}
        for ch in line:
            at[col] = ch
            col += wcswidth(ch)
        assert all(at.get(g) == " " for g in gaps), line


def test_json_keeps_keys_and_decimal_strings(kam: Kam, collect_ws: Workspace) -> None:  # noqa: F811
    data = kam.json("report", "aging", "--as-of", AS_OF)
    assert data["report"] == "aging" and data["as_of"] == AS_OF and data["workspace"] == "ws"
    cny = next(r for r in data["tables"]["by_currency"]["rows"] if r["currency"] == "CNY")
    assert cny["total"] == "145000.00" and cny["180+"] == "50000.00"


def test_output_file_for_cron(kam: Kam, collect_ws: Workspace, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "out" / "{name}-{date}.md"
    r = kam.ok("report", "battle-map", "--output", str(target), "--as-of", AS_OF)
    written = tmp_path / "out" / f"battle-map-{AS_OF}.md"
    assert r.stdout.strip() == str(written)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert text == kam.ok("report", "battle-map", "-f", "md", "--as-of", AS_OF).stdout
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # no temp file left
    card = kam.ok("report", "handover", "CO1", "-o", str(tmp_path / "{name}.json"),
                  "--as-of", AS_OF)
    assert json.loads(Path(card.stdout.strip()).read_text())["report"] == "handover"
    assert card.stdout.strip().endswith("handover-CO1.json")


def test_bad_report_requests(kam: Kam) -> None:
    r = kam("report", "nope")
    assert r.exit_code == 2 and "pipeline" in r.stderr
    assert kam("report", "pipeline", "-f", "docx").exit_code == 2
    assert kam("report", "opportunity").exit_code == 2
    assert kam("report", "opportunity", "OP99").exit_code == 3
    assert kam("report", "aging", "--buckets", "60,30").exit_code == 2
    assert kam("report", "forecast", "--by", "week").exit_code == 2
    assert "battle-map" in kam.ok("report").stdout  # no name: the list of reports


def test_every_builtin_report_renders_in_every_format(kam: Kam, collect_ws: Workspace) -> None:  # noqa: F811,E501
    for name, record in (("opportunity", "OP1"), ("account", "CU1"), ("handover", "CO1")):
        for fmt in ("md", "table", "json", "csv"):
            assert kam.ok("report", name, record, "-f", fmt, "--as-of", AS_OF).stdout


def test_target_commands(kam: Kam) -> None:
    tid = kam.id("target", "set", "张伟", "2026-Q1", "400000")
    assert tid == "TG1"
    changed = kam.json("target", "set", "张伟", "2026q1", "450,000")
    assert changed["id"] == "TG1" and changed["amount"] == "450000.00"
    assert kam("target", "set", "张伟", "2026-13", "1").exit_code == 2
    rows = kam.json("target", "list")
    assert [(r["owner"], r["period"], r["amount"], r["currency"]) for r in rows] == [
        ("张伟", "2026-Q1", "450000.00", "CNY")]


PLUGIN = '''
from kam import hookimpl
from kam.reports import Report, Table


def build(ws, **options):
    n = ws.storage.count("customer")
    return Report("headcount", "Headcount", ws.today.isoformat(),
                  [Table("customers", ["count"], [{"count": n}])], {"workspace": "w"})


def render(report, ws):
    return "\\n".join(f"{t.name}={t.rows[0]['count']}" for t in report.tables)


@hookimpl
def kam_register_reports(register):
    register("headcount", build, "customers in the workspace")


@hookimpl
def kam_register_formats(register):
    register("kv", render)
'''


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)
def test_a_company_adds_a_report_and_a_format(kam: Kam, tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "acme_reports.py").write_text(PLUGIN, encoding="utf-8")
    env = {"KAM_PLUGINS_DIR": str(folder)}
    kam.ok("customer", "add", "华东", env=env)
    assert kam.ok("report", "headcount", "-f", "kv", env=env).stdout == "customers=1\n"
    assert "headcount" in kam.ok("report", env=env).stdout
    md = kam.ok("report", "headcount", "-f", "md", env=env).stdout  # built-in formats too
    assert "| 1 |" in md
