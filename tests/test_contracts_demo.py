"""The demo workspace has contracts in every state, payments and overdue receivables."""

from __future__ import annotations

from pathlib import Path

from kam.plugin_manager import Plugins
from kam.services import receivables
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
    finally:
        ws.close()
