"""The demo workspace has contracts in every state, payments and overdue receivables."""

from __future__ import annotations

from pathlib import Path

from kam.plugin_manager import Plugins
from kam.services import customers, receivables, reports
from kam.workspace import Workspace


def test_demo_has_contracts_in_every_state(tmp_path: Path) -> None:
    from kam.demo import build_demo

    plugins = Plugins()
    build_demo(tmp_path / "demo", plugins)
    ws = Workspace.open(tmp_path / "demo", plugins=plugins)
    try:
        statuses = {c["status"] for c in ws.storage.find("contract")}
        assert statuses == {"draft", "in_review", "approved", "signed", "executing", "closed",
                            "terminated"}
        states = {r["state"] for r in receivables.list_(ws)}
        assert {"scheduled", "due", "partially_paid", "paid", "written_off"} <= states
        assert list(receivables.list_(ws, overdue=True))
        assert ws.storage.count("payment") >= 6
        implementation = list(ws.storage.find("opportunity", {"stage": "implementation"}))
        # deals won by signing passed their gates; only the framework agreement was forced
        forced = [o["title"] for o in implementation if o["forced"]]
        assert implementation and forced == ["备品备件框架协议"]
        # 异常客户: the framework agreement's customer is flagged low_credit by the rule
        # kam check runs, open for review, and shown by the account plan
        flagged = list(customers.list_(ws, flagged=True))
        framework = next(o for o in implementation if o["forced"])
        assert [c["id"] for c in flagged] == [framework["customer_id"]]
        assert [(f["type"], f["collected_by"], f["reviewed_by"]) for f in flagged[0]["flags"]
                ] == [("low_credit", "kam check", None)]
        plan = reports.build(ws, "account", framework["customer_id"]).table("account")
        assert {"field": "flags", "value": ["low_credit"]} in plan.rows
    finally:
        ws.close()
