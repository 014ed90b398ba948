"""Every edit event keeps what changed from what to what (``changes`` and ``diff``), and
``kam history`` shows old → new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def _last(kam: Kam, record_id: str) -> dict[str, Any]:
    return kam.json("history", record_id)[-1]


def test_customer_edit_records_old_and_new(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团", "--region", "上海")
    kam.ok("customer", "edit", cu, "--region", "深圳", "--potential", "1,200,000.5")
    event = _last(kam, cu)
    assert event["kind"] == "customer.edited"
    assert event["payload"]["changes"] == ["potential", "region"]
    assert event["payload"]["diff"] == {
        "potential": {"old": None, "new": "1200000.50"},   # money as a decimal string
        "region": {"old": "上海", "new": "深圳"}}


def test_contact_and_lead_edits_record_old_and_new(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    ct = kam.id("contact", "add", cu, "王建国", "--coach", "intel")
    kam.ok("contact", "edit", ct, "--coach", "advise")
    payload = _last(kam, ct)["payload"]
    assert payload["changes"] == ["coach"]
    assert payload["diff"] == {"coach": {"old": "intel", "new": "advise"}}
    ld = kam.id("lead", "add", cu, "MES 升级")
    kam.ok("lead", "edit", ld, "--need", "产线数据打通", "--timeline", "2026-12-31")
    payload = _last(kam, ld)["payload"]
    assert payload["changes"] == ["need", "timeline"]
    assert payload["diff"]["timeline"] == {"old": None, "new": "2026-12-31"}  # dates ISO
    assert payload["diff"]["need"] == {"old": None, "new": "产线数据打通"}


def test_opportunity_edit_records_money_and_dates_json_safe(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    op = kam.id("opp", "add", cu, "监控平台", "--amount", "100000", "--close-date",
                "2026-05-01")
    kam.ok("opp", "edit", op, "--amount", "120000.5", "--close-date", "2026-06-30")
    payload = _last(kam, op)["payload"]
    assert payload["changes"] == ["amount", "close_date"]
    assert payload["diff"] == {"amount": {"old": "100000.00", "new": "120000.50"},
                               "close_date": {"old": "2026-05-01", "new": "2026-06-30"}}
    json.dumps(payload)  # JSON-safe all the way down


def test_contract_edit_records_old_and_new(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    op = kam.id("opp", "add", cu, "监控平台", "--amount", "100000")
    co = kam.id("contract", "create", op, "--number", "HT-1")
    kam.ok("contract", "edit", co, "--number", "HT-2")
    payload = _last(kam, co)["payload"]
    assert "number" in payload["changes"] and "version" not in payload["changes"]
    assert payload["diff"]["number"] == {"old": "HT-1", "new": "HT-2"}
    assert isinstance(payload["version"], int)  # the version it became, as before


def test_history_table_shows_old_to_new(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团", "--region", "上海")
    kam.ok("customer", "edit", cu, "--region", "深圳")
    table = kam.ok("history", cu).stdout
    assert "region: 上海 → 深圳" in table
    # json and csv keep the payload as stored
    assert "diff" in kam.ok("history", cu, "--format", "csv").stdout


def test_redacted_export_drops_personal_old_and_new(kam: Kam, tmp_path: Path) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    ct = kam.id("contact", "add", cu, "王建国", "--phone", "+86 138 0000 0000")
    kam.ok("contact", "edit", ct, "--phone", "+86 139 1111 1111")
    out = tmp_path / "out"
    kam.ok("export", str(out), "--redact")
    for p in out.iterdir():
        text = p.read_text(encoding="utf-8")
        assert "138 0000" not in text and "139 1111" not in text, p.name
