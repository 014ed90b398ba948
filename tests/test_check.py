"""``kam check``: due and overdue events fire once per level, idempotent across runs."""

from __future__ import annotations

from typing import Any

import pytest
from kam import hookimpl
from kam.plugin_manager import Plugins
from kam.services import check, contracts, customers, opportunities, payments
from kam.workspace import Workspace

PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")


def signed(kam: Any) -> str:
    """A 1000000 contract signed on 2026-03-02: the 300000 down payment is due 03-12."""
    cu = kam.id("customer", "add", "深圳智造", "--grade", "A")
    opp = kam.id("opp", "add", cu, "MES 升级", "--amount", "1000000")
    co = kam.id("contract", "create", opp, "--plan", PLAN)
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env={"KAM_USER": "李经理"})
    kam.ok("contract", "sign", co, "--force", "--reason", "框架协议")  # gates: not the subject
    return co


def run(kam: Any, as_of: str) -> tuple[int, dict]:
    r = kam("check", "--as-of", as_of, "--format", "json")
    assert r.exit_code in (0, 1), r.stderr
    return r.exit_code, r.json()


def fired(data: dict) -> list[tuple[str, int | None]]:
    return [(n["action"], n["level"]) for n in data["new"]]


def test_check_fires_each_level_once(kam: Any) -> None:
    signed(kam)
    code, data = run(kam, "2026-03-11")
    assert (code, fired(data)) == (0, [])
    code, data = run(kam, "2026-03-12")
    assert (code, fired(data)) == (0, [("due", None)])
    code, data = run(kam, "2026-03-12")
    assert (code, fired(data)) == (0, [])
    code, data = run(kam, "2026-03-13")  # 1 day overdue
    assert (code, fired(data)) == (1, [("overdue", 1)])
    assert data["new"][0]["days_overdue"] == 1 and data["new"][0]["outstanding"] == "300000.00"
    code, data = run(kam, "2026-03-13")  # the same day again: nothing new, still overdue
    assert (code, fired(data)) == (1, [])
    assert data["overdue_outstanding"] == {"CNY": "300000.00"}
    code, data = run(kam, "2026-04-10")  # 29 days
    assert (code, fired(data)) == (1, [])
    code, data = run(kam, "2026-04-11")  # 30 days: exactly that level
    assert (code, fired(data)) == (1, [("overdue", 30)])
    code, data = run(kam, "2026-07-20")  # 130 days: 60 and 90 at once, each once
    assert fired(data) == [("overdue", 60), ("overdue", 90)]
    code, data = run(kam, "2026-07-21")
    assert (code, fired(data)) == (1, [])
    events = kam.json("history", data["overdue"][0]["id"])
    levels = [e["payload"]["level"] for e in events if e["kind"] == "receivable.overdue"]
    assert levels == [1, 30, 60, 90]


def test_check_table_output_and_paid_stops_it(kam: Any) -> None:
    co = signed(kam)
    r = kam("check", "--as-of", "2026-03-14")
    assert r.exit_code == 1
    assert "overdue 1d" in r.stdout and "300000.00 CNY" in r.stdout
    kam.ok("pay", "record", co, "300000", "--as-of", "2026-03-14")
    r = kam("check", "--as-of", "2026-05-01")
    assert r.exit_code == 0
    assert "nothing new" in r.stdout and "0 milestone(s) overdue" in r.stdout


def test_check_json_lists_the_overdue_milestones_as_the_reference(kam: Any) -> None:
    """The overdue list of ``kam check -f json`` (written by SQLite where it can, a
    milestone with collection notes by kam.check_json) is the reference's views."""
    import json

    from kam.output import json_chunks

    signed(kam)
    signed(kam)
    noted = run(kam, "2026-07-20")[1]["overdue"][0]["id"]
    kam.ok("receivable", "note", noted, "--reason", "cash_trouble", "--note", "答应月底付",
           "--as-of", "2026-07-20")
    data = run(kam, "2026-07-20")[1]
    ws = kam.workspace("2026-07-20")
    try:
        views = list(check.python_overdue_texts(ws))
    finally:
        ws.close()
    assert len(views) == 2 and views[0]["collection_notes"]
    assert data["overdue"] == json.loads("".join(json_chunks(views)))


def test_levels_from_config(kam: Any) -> None:
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[receivables]\noverdue_levels = [1, 15]\n")
    signed(kam)
    assert fired(run(kam, "2026-03-26")[1]) == [("due", None), ("overdue", 1)]  # 14 days
    assert fired(run(kam, "2026-03-27")[1]) == [("overdue", 15)]  # 15 days
    assert fired(run(kam, "2026-06-30")[1]) == []


def test_bad_levels_are_bad_input(kam: Any) -> None:
    with (kam.path / "kam.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[receivables]\noverdue_levels = [0]\n")
    r = kam("check")
    assert r.exit_code == 2 and "overdue_levels" in r.stderr


class Hooks:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int | None, str]] = []

    @hookimpl
    def kam_receivable_event(self, ws: Any, receivable: dict, action: str, level: int | None,
                             event: dict) -> None:
        self.calls.append((receivable["id"], action, level, event["kind"]))


def test_receivable_event_hook_fires_after_commit(kam: Any) -> None:
    plugins = Plugins()
    hooks = Hooks()
    plugins.register(hooks, "dunning")
    ws = Workspace.open(kam.path, plugins=plugins, as_of="2026-03-02")
    try:
        cu = customers.add(ws, "成都川味", grade="C")
        opp = opportunities.add(ws, cu["id"], "冷链", amount="200000")
        co = contracts.create(ws, opp["id"], plan=PLAN)["id"]
        contracts.review(ws, co)
        ws.actor = "李经理"  # the approver, not the owner
        contracts.approve(ws, co, "李经理")
        contracts.sign(ws, co, force=True, reason="框架协议")
        ws.today = ws.today.replace(month=3, day=13)
        check.run(ws)
        check.run(ws)
        rc = list(ws.storage.find("receivable", {"contract_id": co}, order_by=("seq",)))[0]
        assert hooks.calls == [(rc["id"], "due", None, "receivable.due"),
                               (rc["id"], "overdue", 1, "receivable.overdue")]
        payments.record(ws, co, "60000")
        assert hooks.calls[-1] == (rc["id"], "paid", None, "payment.recorded")
    finally:
        ws.close()


class BothHooks:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    @hookimpl
    def kam_event_committed(self, ws: Any, event: dict) -> None:
        if event["kind"].startswith("receivable."):
            self.calls.append(("committed", event["id"]))

    @hookimpl
    def kam_receivable_event(self, ws: Any, receivable: dict, action: str, level: int | None,
                             event: dict) -> None:
        self.calls.append((f"{action} {level}", event["id"]))


def test_reminders_written_in_batches_are_the_events_listed(
        kam: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 2 (so 5 reminders take 3 bulk appends): each line's event is in the log
    in the order listed, and each reminder's hooks run after the commit in firing order."""
    monkeypatch.setattr(check, "BATCH", 2)
    plugins = Plugins()
    hooks = BothHooks()
    plugins.register(hooks, "dunning")
    signed(kam)
    # 130 days after the down payment's due date: all five reminders at once
    ws = Workspace.open(kam.path, plugins=plugins, as_of="2026-07-20")
    try:
        result = check.run(ws)
        new = list(result["new"])
        assert [(n["action"], n["level"]) for n in new] == [
            ("due", None), ("overdue", 1), ("overdue", 30), ("overdue", 60), ("overdue", 90)]
        logged = [e for e in ws.storage.events(record_id=new[0]["receivable_id"])
                  if e["kind"].startswith("receivable.")]
        assert [n["event_id"] for n in new] == [e["id"] for e in logged]
        assert [e["payload"].get("level") for e in logged] == [None, 1, 30, 60, 90]
        assert hooks.calls == [step for n in new for step in (
            ("committed", n["event_id"]), (f"{n['action']} {n['level']}", n["event_id"]))]
        assert len(result["overdue"]) == 1 and result["overdue"][0]["days_overdue"] == 130
        assert list(check.run(ws)["new"]) == []
    finally:
        ws.close()


class Typed:
    """Records what each receivable hook is handed, to compare with the live values."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict, dict]] = []

    @hookimpl
    def kam_receivable_event(self, ws: Any, receivable: dict, action: str, level: int | None,
                             event: dict) -> None:
        self.calls.append((receivable, event))


def test_deliveries_read_back_in_pages_keep_order_and_types(
        kam: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hooks queued in a run are read back from the outbox 2 at a time after the commit:
    firing order, the values a live call would get (Decimal, dates), each delivered once;
    a step undone inside the change (``attempt``) delivers nothing."""
    from kam.workspace import _Deliveries

    monkeypatch.setattr(_Deliveries, "PAGE", 2)
    monkeypatch.setattr(check, "BATCH", 2)
    plugins = Plugins()
    both, typed = BothHooks(), Typed()
    plugins.register(both, "dunning")
    plugins.register(typed, "typed")
    signed(kam)
    ws = Workspace.open(kam.path, plugins=plugins, as_of="2026-07-20")
    try:
        new = list(check.run(ws)["new"])
        assert both.calls == [step for n in new for step in (
            ("committed", n["event_id"]), (f"{n['action']} {n['level']}", n["event_id"]))]
        rid = new[0]["receivable_id"]
        live = receivable_view_of(ws, rid)
        assert [r for r, _ in typed.calls] == [live] * len(new)
        logged = [e for e in ws.storage.events(record_id=rid)
                  if e["kind"].startswith("receivable.")]
        assert [e for _, e in typed.calls] == logged
        rows = list(ws.storage.find("outbox", {}))
        assert {r["status"] for r in rows} == {"delivered"}
        assert sorted(r["event_id"] for r in rows if r["hook"] != "kam_event_committed"
                      ) == sorted(2 * [e["id"] for e in logged])
        both.calls.clear()
        with ws.writing():
            ws.fire("kam_receivable_event", receivable=live, action="kept", level=None,
                    event=logged[0])
            with pytest.raises(RuntimeError), ws.attempt():
                ws.fire("kam_receivable_event", receivable=live, action="undone",
                        level=None, event=logged[0])
                raise RuntimeError("step refused")
        assert both.calls == [("kept None", logged[0]["id"])]
    finally:
        ws.close()


def receivable_view_of(ws: Workspace, rid: str) -> dict:
    from kam.models.receivable_state import receivable_view

    return receivable_view(ws.get("receivable", rid), ws.today)
