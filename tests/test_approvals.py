"""Approvals with separation of duties: the approver is the acting user, never the
owner, only for a required role (held, with kam.toml [roles]); a later rejection
revokes; the required roles are fixed at review; threshold changes are audited."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam, storage_toml
from kam.errors import InputError, RefusedError
from kam.services import admin, contracts, opportunities

PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"
OWNER = "张伟"
MANAGER = {"KAM_USER": "李经理"}
DIRECTOR = {"KAM_USER": "刘洋"}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def _roles(kam: Kam, table: str) -> None:
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[roles]\n" + table)


def _events(kam: Kam, kind: str | None = None) -> list[dict[str, Any]]:
    ws = kam.workspace()
    try:
        return [e for e in ws.storage.events() if kind is None or e["kind"] == kind]
    finally:
        ws.close()


def reviewed(kam: Kam, amount: str = "800000") -> str:
    """A contract of 张伟's deal, reviewed: waiting for the sales manager (and more
    above the thresholds)."""
    cu = kam.id("customer", "add", "华东电力集团", "--grade", "A")
    opp = kam.id("opp", "add", cu, "智能变电站监控平台", "--amount", amount, "--owner", OWNER)
    co = kam.id("contract", "create", opp, "--plan", PLAN, "--acceptance-criteria", "终验合格",
                "--change-cost", "按人天计费", "--service-end", "2028-12-31")
    kam.ok("contract", "review", co)
    return co


def important_deal(kam: Kam) -> str:
    """张伟's VI deal in initiation with the initiation report complete."""
    cu = kam.id("customer", "add", "华东电力集团", "--grade", "A")
    dm = kam.id("contact", "add", cu, "王建国", "--role", "决策者", "--level", "executive")
    lead = kam.id("lead", "add", cu, "智能变电站监控平台", env={"KAM_USER": OWNER})
    opp = kam.id("lead", "qualify", lead, "--budget-confirmed", "--budget-amount", "3200000",
                 "--authority", dm, "--need", "监控平台升级", "--timeline", "2026-09-30")
    kam.ok("opp", "edit", opp, "--competition", "两家同行", "--decision-process", "办公会")
    kam.ok("opp", "advance", opp)
    kam.ok("opp", "edit", opp, "--importance", "VI", "--number", "PRJ-001", "--customer-owner",
           "李静", "--margin", "32", "--expense-budget", "90000", "--category", "解决方案",
           "--close-date", "2026-10-15")
    assert kam.json("opp", "show", opp)["owner"] == OWNER
    return opp


# --- deals (kam opp approve) ----------------------------------------------------------


def test_a_later_rejection_revokes_a_deal_approval(kam: Kam) -> None:
    opp = important_deal(kam)
    kam.ok("opp", "approve", opp, "--comment", "战略客户", env=DIRECTOR)
    kam.ok("opp", "approve", opp, "--reject", "--comment", "预算未落实", env=DIRECTOR)
    r = kam("opp", "advance", opp)
    assert r.exit_code == 1
    assert "management approval" in r.stderr and "rejected" in r.stderr
    assert kam.json("opp", "show", opp)["stage"] == "initiation"
    kam.ok("opp", "approve", opp, env=DIRECTOR)  # approved again: the latest counts
    kam.ok("opp", "advance", opp)
    assert kam.json("opp", "show", opp)["stage"] == "proposal"


def test_the_owner_may_not_approve_their_own_deal(kam: Kam) -> None:
    opp = important_deal(kam)
    for by in ([], ["--by", OWNER]):
        r = kam("opp", "approve", opp, *by, env={"KAM_USER": f" {OWNER} "})
        assert r.exit_code == 1, r.stdout
        assert "owns opportunity" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert kam.json("opp", "show", opp)["approvals"] == []
    assert kam("opp", "advance", opp).exit_code == 1


def test_by_must_name_the_acting_user(kam: Kam) -> None:
    opp = important_deal(kam)
    r = kam("opp", "approve", opp, "--by", "销售总监", env=DIRECTOR)
    assert r.exit_code == 2 and "not the acting user" in r.stderr
    assert kam.json("opp", "show", opp)["approvals"] == []
    kam.ok("opp", "approve", opp, "--by", "  刘洋 ", env=DIRECTOR)
    last = kam.json("opp", "show", opp)["approvals"][-1]
    assert (last["by"], last["role"], last["decision"]) == ("刘洋", "management", "approved")


def test_a_deal_nobody_required_approval_for_is_refused(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "运维服务", "--amount", "300000", "--importance", "N")
    r = kam("opp", "approve", opp, env=DIRECTOR)
    assert r.exit_code == 1 and "nobody required" in r.stderr


def test_with_roles_only_management_approves_deals(kam: Kam) -> None:
    _roles(kam, '"刘洋" = ["management"]\n"李经理" = ["sales_manager"]\n')
    opp = important_deal(kam)
    r = kam("opp", "approve", opp, env=MANAGER)
    assert r.exit_code == 1 and "does not hold the role management" in r.stderr
    r = kam("opp", "approve", opp, "--reject", env=MANAGER)  # nor reject
    assert r.exit_code == 1
    kam.ok("opp", "approve", opp, env=DIRECTOR)
    kam.ok("opp", "advance", opp)


def test_deal_approval_through_services(ws: Any) -> None:
    from kam.services import customers

    cu = customers.add(ws, "Contoso", grade="A")
    opp = opportunities.add(ws, cu["id"], "Suite", amount="900000", importance="I")
    with pytest.raises(RefusedError, match="owns"):
        opportunities.approve(ws, opp["id"])  # the actor (tester) owns it
    ws.actor = "Ms Manager"
    with pytest.raises(InputError, match="acting user"):
        opportunities.approve(ws, opp["id"], "Someone Else")
    done = opportunities.approve(ws, opp["id"], "ms manager")
    assert done["approvals"][-1]["by"] == "Ms Manager"


# --- contracts (kam contract approve) -------------------------------------------------


def test_the_owner_may_not_approve_their_own_contract(kam: Kam) -> None:
    co = reviewed(kam)
    r = kam("contract", "approve", co, env={"KAM_USER": OWNER})
    assert r.exit_code == 1 and "owns contract" in r.stderr
    r = kam("contract", "approve", co, "--role", "sales_manager", env={"KAM_USER": "zhang"})
    assert r.exit_code == 0  # anyone else, without a [roles] table
    c = kam.json("contract", "show", co)["contract"]
    assert c["status"] == "approved" and [a["by"] for a in c["approvals"]] == ["zhang"]


def test_the_deal_owner_may_not_approve_a_contract_someone_else_owns(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力集团")
    opp = kam.id("opp", "add", cu, "平台", "--amount", "500000", "--owner", OWNER)
    co = kam.id("contract", "create", opp, "--plan", PLAN, "--owner", "王磊")
    kam.ok("contract", "review", co)
    assert kam("contract", "approve", co, env={"KAM_USER": OWNER}).exit_code == 1
    assert kam("contract", "approve", co, env={"KAM_USER": "王磊"}).exit_code == 1
    kam.ok("contract", "approve", co, env=MANAGER)


def test_a_role_nobody_required_is_refused(kam: Kam) -> None:
    co = reviewed(kam)  # 800000: only the sales manager
    for role in ("ceo", "sales_director"):
        r = kam("contract", "approve", co, "--role", role, env=MANAGER)
        assert r.exit_code == 1 and "nobody required" in r.stderr, r.stderr
    assert kam.json("contract", "show", co)["contract"]["approvals"] == []
    kam.ok("contract", "approve", co, "--role", "Sales_Manager", env=MANAGER)
    c = kam.json("contract", "show", co)["contract"]
    assert c["approvals"][-1]["role"] == "sales_manager" and c["status"] == "approved"


def test_by_must_name_the_acting_user_on_contracts(kam: Kam) -> None:
    co = reviewed(kam)
    r = kam("contract", "approve", co, "--by", "王经理", env=MANAGER)
    assert r.exit_code == 2 and "not the acting user" in r.stderr
    kam.ok("contract", "approve", co, "--by", "李经理", env=MANAGER)


def test_with_roles_the_approver_must_hold_the_role(kam: Kam) -> None:
    _roles(kam, '"李经理" = ["sales_manager"]\n"刘洋" = ["sales_director"]\n')
    co = reviewed(kam, "1500000")  # sales manager and sales director
    r = kam("contract", "approve", co, "--role", "sales_director", env=MANAGER)
    assert r.exit_code == 1 and "does not hold the role sales_director" in r.stderr
    r = kam("contract", "approve", co, "--role", "sales_manager", env={"KAM_USER": "路人"})
    assert r.exit_code == 1 and "no role" in r.stderr  # not in [roles]: holds nothing
    # no --role: the one outstanding role the approver holds
    kam.ok("contract", "approve", co, env=MANAGER)
    kam.ok("contract", "approve", co, env=DIRECTOR)
    c = kam.json("contract", "show", co)["contract"]
    assert [(a["by"], a["role"]) for a in c["approvals"]] == [
        ("李经理", "sales_manager"), ("刘洋", "sales_director")]
    assert c["status"] == "approved"


def test_approval_roles_are_typed_in_any_language(kam: Kam) -> None:
    """销售经理 = 銷售經理 = sales manager = sales_manager, on --role and in [roles]."""
    _roles(kam, '"李经理" = ["销售经理"]\n"刘洋" = ["Sales Director"]\n')
    co = reviewed(kam, "1500000")  # sales manager and sales director
    kam.ok("contract", "approve", co, "--role", "銷售經理", env=MANAGER)
    r = kam("contract", "approve", co, "--role", "销售总监", env=MANAGER)
    assert r.exit_code == 1 and "does not hold the role" in r.stderr
    kam.ok("contract", "approve", co, "--role", "sales director", env=DIRECTOR)
    c = kam.json("contract", "show", co)["contract"]
    assert [(a["by"], a["role"]) for a in c["approvals"]] == [
        ("李经理", "sales_manager"), ("刘洋", "sales_director")]
    assert c["status"] == "approved"


def test_a_later_rejection_revokes_a_contract_approval(kam: Kam) -> None:
    co = reviewed(kam)
    kam.ok("contract", "approve", co, env=MANAGER)
    assert kam.json("contract", "show", co)["contract"]["status"] == "approved"
    kam.ok("contract", "approve", co, "--reject", "--comment", "付款条件要改", env=MANAGER)
    r = kam("contract", "sign", co)
    assert r.exit_code == 1 and "not approved" in r.stderr
    shown = kam.json("contract", "show", co)
    assert shown["contract"]["status"] == "draft"
    kam.ok("contract", "review", co)  # same version: the rejection is still the latest
    shown = kam.json("contract", "show", co)
    assert shown["contract"]["status"] == "in_review"
    assert shown["approvals_needed"] == ["sales_manager"]
    r = kam("contract", "sign", co)
    assert r.exit_code == 1 and "approval missing from sales_manager" in r.stderr
    assert "(asked by rules_standard)" in r.stderr  # the plugin that asked for the role
    kam.ok("contract", "approve", co, env=MANAGER)
    shown = kam.json("contract", "show", co)
    assert (shown["contract"]["status"], shown["approvals_needed"]) == ("approved", [])


def test_required_roles_are_fixed_at_review(kam: Kam) -> None:
    co = reviewed(kam)  # 800000, below the 1000000 director threshold
    stored = kam.json("contract", "show", co)["contract"]["review"]["required_roles"]
    assert stored == ["sales_manager"]
    # the threshold drops after the review: who must approve this contract does not change
    kam.ok("config", "set", "approvals.sales_director_above", "500000")
    assert kam.json("contract", "show", co)["approvals_needed"] == ["sales_manager"]
    r = kam("contract", "approve", co, "--role", "sales_director", env=DIRECTOR)
    assert r.exit_code == 1 and "nobody required" in r.stderr
    kam.ok("contract", "approve", co, env=MANAGER)
    assert kam.json("contract", "show", co)["contract"]["status"] == "approved"
    # a re-review recomputes: now the director must approve too
    kam.ok("contract", "review", co)
    shown = kam.json("contract", "show", co)
    assert shown["contract"]["review"]["required_roles"] == ["sales_manager", "sales_director"]
    assert shown["contract"]["status"] == "in_review"
    assert shown["approvals_needed"] == ["sales_director"]
    r = kam("contract", "sign", co)
    assert r.exit_code == 1 and "approval missing from sales_director" in r.stderr
    kam.ok("contract", "approve", co, env=DIRECTOR)
    assert kam.json("contract", "show", co)["contract"]["status"] == "approved"


def test_raising_a_threshold_after_review_does_not_drop_an_approver(kam: Kam) -> None:
    co = reviewed(kam, "1500000")
    kam.ok("config", "set", "approvals.sales_director_above", "5000000")
    kam.ok("contract", "approve", co, "--role", "sales_manager", env=MANAGER)
    r = kam("contract", "sign", co)
    assert r.exit_code == 1 and "approval missing from sales_director" in r.stderr
    assert kam.json("contract", "show", co)["approvals_needed"] == ["sales_director"]


def test_contract_approval_through_services(ws: Any) -> None:
    from kam.services import customers

    cu = customers.add(ws, "Contoso", grade="A")
    opp = opportunities.add(ws, cu["id"], "Suite", amount="400000")
    c = contracts.create(ws, opp["id"], plan=PLAN)
    contracts.review(ws, c["id"])
    with pytest.raises(RefusedError, match="owns"):
        contracts.approve(ws, c["id"])  # tester owns it
    ws.actor = "李经理"
    with pytest.raises(RefusedError, match="nobody required"):
        contracts.approve(ws, c["id"], role="general_manager")
    assert contracts.approve(ws, c["id"])["status"] == "approved"


# --- kam.toml: [roles] and audited changes --------------------------------------------


def test_init_writes_a_commented_roles_example(kam: Kam) -> None:
    text = (kam.path / "kam.toml").read_text(encoding="utf-8")
    assert "# [roles]" in text and '# "张伟" = ["sales_manager"]' in text
    assert "roles" not in tomllib.loads(text)


def test_config_set_is_an_audited_event(kam: Kam, tmp_path: Path) -> None:
    kam.id("customer", "add", "华东电力集团")  # the workspace holds data
    kam.ok("config", "set", "approvals.sales_director_above", "500000",
           env={"KAM_USER": "王总"})
    kam.ok("config", "set", "approvals.sales_director_above", "800000",
           env={"KAM_USER": "王总"})
    kam.ok("config", "set", "approvals.sales_director_above", "800000")  # no change
    kam.ok("config", "set", "roles.李经理", '["sales_manager"]')
    changed = _events(kam, "config.changed")
    assert [(e["actor"], e["record_id"], e["payload"]["key"], e["payload"]["old"],
             e["payload"]["new"]) for e in changed] == [
        ("王总", "config", "approvals.sales_director_above", None, 500000),
        ("王总", "config", "approvals.sales_director_above", 500000, 800000),
        ("tester", "config", "roles.李经理", None, ["sales_manager"])]
    assert changed[0]["payload"]["by"] == "王总"
    cfg = tomllib.loads((kam.path / "kam.toml").read_text(encoding="utf-8"))
    assert cfg["roles"] == {"李经理": ["sales_manager"]}
    assert cfg["approvals"]["sales_director_above"] == 800000
    # the rest of kam still works with the event in the log
    assert kam.json("doctor")["ok"]
    out = tmp_path / "export"
    kam.ok("export", str(out))
    events = (out / "events.csv").read_text(encoding="utf-8")
    assert "config.changed" in events
    other = Kam(tmp_path / "other", kam.backend)
    other.ok("init", "--backend", kam.backend, "--lang", "en")
    other.ok("import", str(out))
    assert len(_events(other, "config.changed")) == 3
    assert other.json("doctor")["ok"]


def test_config_set_on_a_workspace_without_data(kam: Kam, tmp_path: Path) -> None:
    # nothing recorded yet: the file changes, the event log stays empty (import needs it)
    kam.ok("config", "set", "approvals.always", "finance")
    assert _events(kam) == []
    assert tomllib.loads((kam.path / "kam.toml").read_text())["approvals"]["always"] == \
        "finance"
    # a kam.toml without its data yet (copied in by hand): the data is created
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "kam.toml").write_text(f'backend = "{kam.backend}"\nlanguage = "en"\n'
                                   + storage_toml(kam.backend))
    fresh = Kam(bare, kam.backend)
    fresh.ok("config", "set", "rules.margin_floor", "12")
    assert fresh.json("doctor")["ok"]


def test_a_broken_backend_can_be_repaired_but_nothing_else_changes(kam: Kam) -> None:
    kam.id("customer", "add", "华东电力集团")
    kam.ok("config", "set", "backend", "nosuch")  # recorded in the working storage
    assert [e["payload"]["new"] for e in _events_raw(kam.path, kam.backend)] == ["nosuch"]
    r = kam("config", "set", "rules.margin_floor", "5")
    assert r.exit_code == 4
    kam.ok("config", "set", "backend", kam.backend)
    assert kam.json("customer", "list")[0]["name"] == "华东电力集团"
    assert tomllib.loads((kam.path / "kam.toml").read_text())["rules"]["margin_floor"] == 10


def _events_raw(path: Path, backend: str) -> list[dict[str, Any]]:
    from kam.plugin_manager import Plugins
    from kam.workspace import Workspace

    ws = Workspace.open(path, plugins=Plugins())
    ws.config = {**ws.config, "backend": backend}
    try:
        return [e for e in ws.storage.events() if e["kind"] == "config.changed"]
    finally:
        ws.close()


def test_config_set_service_records_the_actor(ws: Any) -> None:
    from kam.services import customers

    customers.add(ws, "Contoso")
    ws.actor = "ops"
    assert admin.config_set(ws.path, "rules.margin_floor", "15", ws=ws) == 15
    event = list(ws.storage.events())[-1]
    assert (event["kind"], event["actor"], json.dumps(event["payload"], sort_keys=True)) == (
        "config.changed", "ops",
        json.dumps({"by": "ops", "key": "rules.margin_floor", "new": 15, "old": 10},
                   sort_keys=True))
