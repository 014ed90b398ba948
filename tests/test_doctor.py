"""kam doctor: a sound workspace passes; each kind of damage is found and named (exit 1)."""

from __future__ import annotations

import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Kam, pg_execute
from kam.kinds import KINDS
from kam.services import doctor


def _setup(kam: Kam) -> dict[str, str]:
    cu = kam.id("customer", "add", "华东电力集团", "--potential", "500000")
    ct = kam.id("contact", "add", cu, "王建国")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "300000")
    return {"cu": cu, "ct": ct, "opp": opp}


def _problems(kam: Kam) -> list[dict[str, str]]:
    r = kam("doctor", "--format", "json")
    data = r.json()
    assert (r.exit_code == 1) == bool(data["problems"]), r
    assert data["ok"] is (not data["problems"])
    return data["problems"]


def test_a_sound_workspace_passes(kam: Kam) -> None:
    _setup(kam)
    r = kam.ok("doctor")
    # 3 records (customer, contact, opportunity), one event each
    assert r.stdout.startswith("ok: 3 records and 3 events checked")
    data = kam.json("doctor")
    assert data["problems"] == [] and data["records"] == 3 and data["events"] == 3
    assert data["checks"][:5] == ["integrity", "references", "money", "events", "attachments"]


def test_record_without_event_and_negative_money_are_found(kam: Kam) -> None:
    ids = _setup(kam)
    ws = kam.workspace()
    try:
        with ws.storage.transaction():  # behind kam's back: no event, a negative amount
            ghost = ws.storage.next_id("customer")
            ws.storage.insert("customer", {"id": ghost, "name": "幽灵客户"})
            ws.storage.update("opportunity", ids["opp"], {"amount": Decimal("-1.00")})
    finally:
        ws.close()
    problems = _problems(kam)
    assert ghost == "CU2"
    assert {"check": "events", "problem": "customer CU2: no event names it (a change without "
                                          "its audit trail)"} in problems
    assert {"check": "money", "problem": f"opportunity {ids['opp']}: amount is negative "
                                         "(-1.00)"} in problems
    assert len(problems) == 2
    r = kam("doctor")
    assert r.exit_code == 1 and "CU2" in r.stdout and "doctor found 2 problem(s)" in r.stderr


def test_dangling_references_are_found(kam: Kam) -> None:
    ids = _setup(kam)
    if kam.backend == "csv":
        path = kam.path / "data" / "contact.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(f",{ids['cu']},", ",CU77,"),
                        encoding="utf-8")
        assert _problems(kam) == [{"check": "references", "problem": f"contact {ids['ct']}: "
                                   "customer_id names customer CU77, which does not exist"}]
    elif kam.backend == "postgres":  # the database refuses it: only a superuser can
        pg_execute(kam.path, "UPDATE contact SET customer_id = 'CU77'")
        problems = _problems(kam)
        assert problems[0]["check"] == "integrity"
        assert "contact" in problems[0]["problem"] and "customer" in problems[0]["problem"]
    else:
        conn = sqlite3.connect(kam.path / "kam.db")
        conn.execute("UPDATE contact SET customer_id = 'CU77'")
        conn.commit()
        conn.close()
        problems = _problems(kam)
        assert problems[0]["check"] == "integrity"
        assert "contact" in problems[0]["problem"] and "customer" in problems[0]["problem"]


def test_unset_json_reference_lists_are_checked(kam: Kam) -> None:
    ids = _setup(kam)
    kam.ok("activity", "log", ids["opp"], "--type", "call", "--contact", ids["ct"])
    assert _problems(kam) == []
    ws = kam.workspace()
    try:
        with ws.storage.transaction():
            ws.storage.update("activity", "AC1", {"contact_ids": [ids["ct"], "CT404"]})
    finally:
        ws.close()
    assert _problems(kam) == [{"check": "references", "problem": "activity AC1: contact_ids "
                               "names contact CT404, which does not exist"}]


@pytest.mark.skipif("attachment" not in KINDS, reason="no attachment kind")
def test_attachment_hashes_are_verified(kam: Kam, tmp_path: Path) -> None:
    ids = _setup(kam)
    evidence = tmp_path / "signed.pdf"
    evidence.write_bytes(b"%PDF signed contract")
    digest = hashlib.sha256(b"%PDF signed contract").hexdigest()
    ws = kam.workspace()
    try:
        with ws.mutation("attachment.added", "AT1", {}, refs=[ids["cu"]]):
            assert ws.storage.next_id("attachment") == "AT1"
            ws.storage.insert("attachment", {"id": "AT1", "name": "signed.pdf",
                                             "path": str(evidence), "sha256": digest})
    finally:
        ws.close()
    assert _problems(kam) == []
    evidence.write_bytes(b"%PDF signed contract, quietly changed")
    assert _problems(kam) == [{"check": "attachments", "problem": f"attachment AT1: {evidence} "
                               "changed (SHA-256 differs from the record)"}]
    evidence.unlink()
    problems = _problems(kam)
    assert len(problems) == 1 and "cannot be read" in problems[0]["problem"]


def test_a_new_invariant_is_one_function(kam: Kam, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(kam)
    monkeypatch.setattr(doctor, "CHECKS", list(doctor.CHECKS))

    def no_big_deals(ws, seen):  # type: ignore[no-untyped-def]
        for opp in ws.storage.find("opportunity", {"amount__gt": Decimal("100000")}):
            yield f"opportunity {opp['id']} is over 100000"

    doctor.add_check("big_deals", no_big_deals)
    doctor.add_check("big_deals", no_big_deals)  # once per name
    assert _problems(kam) == [{"check": "big_deals", "problem": "opportunity OP1 is over 100000"}]


def test_csv_file_damage_is_reported_with_file_row_and_column(tmp_path: Path) -> None:
    kam = Kam(tmp_path / "ws", "csv")
    kam.ok("init", "--backend", "csv")
    _setup(kam)
    path = kam.path / "data" / "customer.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("500000.00", "5O0000"),
                    encoding="utf-8")
    problems = _problems(kam)
    assert problems == [{"check": "integrity", "problem": f"{path} row 2, column potential: "
                         "'5O0000' is not an amount"}]


def test_contract_money_invariants(kam: Kam) -> None:
    ids = _setup(kam)
    opp = kam.id("opp", "add", ids["cu"], "监控平台", "--amount", "1000")
    co = kam.id("contract", "create", opp, "--number", "HT-1", "--plan",
                "down_payment:30%:+10d,on_delivery:70%:+30d", "--acceptance-criteria", "验收",
                "--change-cost", "按人天", "--service-end", "2027-12-31")
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "经理", env={"KAM_USER": "经理"})
    kam.ok("contract", "sign", co, "--date", "2026-03-01", "--force", "--reason", "框架协议")
    kam.ok("pay", "record", co, "300")
    assert _problems(kam) == []
    ws = kam.workspace()
    try:
        rc = next(ws.storage.find("receivable", {"contract_id": co}))
        with ws.mutation("test.tampered", rc["id"]):
            ws.storage.update("receivable", rc["id"], {"amount": Decimal("200.00")})
    finally:
        ws.close()
    found = {p["problem"] for p in _problems(kam) if p["check"] == "contract_money"}
    assert found == {
        f"receivable {rc['id']}: paid and written off 300.00 exceed its amount 200.00",
        f"contract {co}: milestones sum to 900.00, not the contract amount 1000.00",
    }
