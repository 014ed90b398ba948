"""Many team members writing one postgres workspace at once, as four database users
(finance paying against one contract, an account manager logging calls on one deal,
their manager adding customers, the director approving the deal): everything is kept,
no allocation is lost, no error leaks. CI runs 4 processes × 20 rounds;
``KAM_PG_LOAD=16x100`` is the full run (16 processes, 4 per user, × 100)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import Kam
from kam.services.doctor import diagnose
from kam.workspace import Workspace
from test_postgres_team import Team, _signed

WORKER = Path(__file__).with_name("team_worker.py")
PROCS, ROUNDS = (int(n) for n in os.environ.get("KAM_PG_LOAD", "4x20").split("x"))
ACTIONS = {"cash": "pay", "li": "call", "mgr": "customer", "boss": "approve"}


def test_four_users_writing_at_once_lose_nothing(tmp_path: Path, pg_dsn: str) -> None:
    from psycopg.conninfo import conninfo_to_dict

    admin = Kam(tmp_path / "ws", "postgres")
    admin.ok("init", "--backend", "postgres", "--dsn", pg_dsn, "--lang", "en")
    tag = conninfo_to_dict(pg_dsn)["dbname"]
    names = {short: f"{short}_{tag}" for short in ("mgr", "li", "boss", "cash")}
    admin.ok("team", "add", names["mgr"], "--role", "manager")
    admin.ok("team", "add", names["li"], "--role", "sales", "--manager", names["mgr"])
    admin.ok("team", "add", names["boss"], "--role", "director")
    admin.ok("team", "add", names["cash"], "--role", "finance")
    team = Team(admin, pg_dsn, names)
    co = _signed(team, "li", "李氏电力", "LOAD", "mgr")
    cu = team.json("li", "contract", "show", co)["contract"]["customer_id"]
    opp = team.id("li", "opp", "add", cu, "二期", "--amount", "500000", "--importance", "I")

    users = list(ACTIONS)
    procs = []
    for n in range(PROCS):
        who = users[n % len(users)]
        procs.append(subprocess.Popen(
            [sys.executable, str(WORKER), team.dsn_of(who), str(admin.path), ACTIONS[who], co,
             opp, f"{who}{n}", str(ROUNDS)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for proc in procs:
        _, err = proc.communicate(timeout=1200)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    per_user = {who: ROUNDS * len(range(i, PROCS, len(users))) for i, who in enumerate(users)}

    ws = Workspace.open(admin.path, as_of="2026-03-02")  # the owner: sees every row
    try:
        storage = ws.storage
        pays = list(storage.find("payment", {"contract_id": co}))
        paid = sum((r["paid"] or Decimal(0)) for r in storage.find("receivable",
                                                                    {"contract_id": co}))
        calls = storage.count("activity", {"opportunity_id": opp})
        added = storage.count("customer", {"owner": names["mgr"]})
        approvals = (storage.get("opportunity", opp) or {}).get("approvals") or []
        recorded = list(storage.events(kinds=["payment.recorded"]))
        assert diagnose(ws)["problems"] == []
    finally:
        ws.close()
    assert len(pays) == per_user["cash"]
    assert paid == Decimal(per_user["cash"])  # every 1.00 allocated, none overwritten
    assert calls == per_user["li"]
    assert added == per_user["mgr"]
    assert len(approvals) == per_user["boss"]
    assert {a["by"] for a in approvals} == ({names["boss"]} if approvals else set())
    assert len(recorded) == len(pays) and {e["actor"] for e in recorded} == {names["cash"]}
