"""Many team members writing one postgres workspace at once, as four database users,
each mixing mutations (finance paying against one contract, an account manager and
their manager logging calls on one deal and adding customers, the director approving
the deal; all four may see it): everything is kept,
no allocation is lost, no error leaks; and clients killed with SIGKILL in the middle of
their transactions leave nothing half-written. CI runs 4 processes × 20 rounds and 3
kills; ``KAM_PG_LOAD=16x100`` is the full run (16 processes, 4 per user, × 100)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from conftest import Kam
from kam.services.doctor import diagnose
from kam.workspace import Workspace
from test_postgres_team import Team, _signed

WORKER = Path(__file__).with_name("team_worker.py")
PROCS, ROUNDS = (int(n) for n in os.environ.get("KAM_PG_LOAD", "4x20").split("x"))
#: each user's mutations, taken in turn
ACTIONS = {"cash": ("pay", "call"), "li": ("call", "customer"), "mgr": ("customer", "call"),
           "boss": ("approve", "call")}
KILLS = int(os.environ.get("KAM_RELIABILITY_KILLS", "3"))


def _world(tmp_path: Path, pg_dsn: str) -> tuple[Team, str, str]:
    """li's signed contract (approved by their manager) and a second, important deal."""
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
    return team, co, opp


def _worker(team: Team, who: str, co: str, opp: str, tag: str,
            rounds: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), team.dsn_of(who), str(team.admin.path),
         ",".join(ACTIONS[who]),
         co, opp, tag, str(rounds)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def _wait_for_payment(team: Team, co: str, beyond: int, timeout: float = 60.0) -> None:
    """Before the first kill, wait until a worker has paid (a loaded machine can take
    seconds to start them), so the run always proves work gets done between kills; the
    kill itself still lands at a random point of the workers' transactions."""
    if beyond < 0:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws = Workspace.open(team.admin.path, as_of="2026-03-02")
        try:
            if ws.storage.count("payment", {"contract_id": co}) > beyond:
                return
        finally:
            ws.close()
        time.sleep(0.05)


def _sound(team: Team, co: str, opp: str) -> dict[str, int]:
    """Every change has its event and every payment its allocation; doctor passes."""
    ws = Workspace.open(team.admin.path, as_of="2026-03-02")  # the owner: every row
    try:
        storage = ws.storage
        assert diagnose(ws)["problems"] == []
        pays = list(storage.find("payment", {"contract_id": co}))
        paid = sum((r["paid"] or Decimal(0)) for r in storage.find("receivable",
                                                                    {"contract_id": co}))
        assert paid == sum(p["amount"] for p in pays)
        assert len(list(storage.events(kinds=["payment.recorded"]))) == len(pays)
        calls = storage.count("activity", {"opportunity_id": opp})
        assert len(list(storage.events(kinds=["activity.logged"]))) == calls
        approvals = (storage.get("opportunity", opp) or {}).get("approvals") or []
        assert len(list(storage.events(kinds=["opportunity.approved"]))) == len(approvals)
        return {"payments": len(pays), "calls": calls, "approvals": len(approvals)}
    finally:
        ws.close()


def test_team_clients_killed_mid_transaction_lose_nothing(tmp_path: Path,
                                                          pg_dsn: str) -> None:
    team, co, opp = _world(tmp_path, pg_dsn)
    before = _sound(team, co, opp)
    rng = random.Random(13)
    for n in range(KILLS):
        procs = [_worker(team, who, co, opp, f"{who}k{n}", -1) for who in ACTIONS]
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        _wait_for_payment(team, co, beyond=before["payments"] if n == 0 else -1)
        time.sleep(rng.uniform(0.0, 0.4))
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        _sound(team, co, opp)
    after = _sound(team, co, opp)
    assert after["payments"] > before["payments"]  # work got done between the kills


def test_four_users_writing_at_once_lose_nothing(tmp_path: Path, pg_dsn: str) -> None:
    team, co, opp = _world(tmp_path, pg_dsn)
    names, admin = team.names, team.admin
    users = list(ACTIONS)
    procs = [_worker(team, users[n % len(users)], co, opp, f"{users[n % len(users)]}{n}",
                     ROUNDS) for n in range(PROCS)]
    for proc in procs:
        _, err = proc.communicate(timeout=1200)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    done = {action: 0 for action in ("pay", "call", "approve")}  # what the workers did
    customers = {who: 0 for who in users}
    for n in range(PROCS):
        who = users[n % len(users)]
        for i in range(ROUNDS):
            action = ACTIONS[who][i % len(ACTIONS[who])]
            if action == "customer":
                customers[who] += 1
            else:
                done[action] += 1
    customers["li"] += 1  # the customer of the contract, added before the race

    ws = Workspace.open(admin.path, as_of="2026-03-02")  # the owner: sees every row
    try:
        storage = ws.storage
        pays = list(storage.find("payment", {"contract_id": co}))
        paid = sum((r["paid"] or Decimal(0)) for r in storage.find("receivable",
                                                                    {"contract_id": co}))
        calls = storage.count("activity", {"opportunity_id": opp})
        added = {who: storage.count("customer", {"owner": names[who]}) for who in users}
        approvals = (storage.get("opportunity", opp) or {}).get("approvals") or []
        recorded = list(storage.events(kinds=["payment.recorded"]))
        assert diagnose(ws)["problems"] == []
    finally:
        ws.close()
    assert len(pays) == done["pay"]
    assert paid == Decimal(done["pay"])  # every 1.00 allocated, none overwritten
    assert calls == done["call"]
    assert added == customers
    assert len(approvals) == done["approve"]
    kept = len(pays) + calls + len(approvals) + sum(added.values()) - 1
    assert kept == PROCS * ROUNDS  # all of them
    assert {a["by"] for a in approvals} == ({names["boss"]} if approvals else set())
    assert len(recorded) == len(pays) and {e["actor"] for e in recorded} == {names["cash"]}
