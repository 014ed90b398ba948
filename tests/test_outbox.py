"""Durable event delivery: a failing event hook is kept in the outbox and delivered
later, at least once, exactly once more after it recovers; dead after max tries."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from conftest import Kam
from kam import outbox

FLAKY = '''
import os
from pathlib import Path
from kam.api import hookimpl

@hookimpl
def kam_event_committed(ws, event):
    state = Path(os.environ["HOOK_STATE"])
    fails = int(state.read_text()) if state.exists() else 0
    if fails > 0:
        state.write_text(str(fails - 1))
        raise RuntimeError("webhook down")
    if os.environ.get("HOOK_KILL") == "1":
        os._exit(9)          # killed in the middle of the delivery
    with open(os.environ["HOOK_LOG"], "a", encoding="utf-8") as fh:
        fh.write(f"{event['id']} {event['kind']}\\n")
'''


def _env(tmp_path: Path, fails: int) -> dict[str, str]:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / "webhook.py").write_text(textwrap.dedent(FLAKY), encoding="utf-8")
    (tmp_path / "state").write_text(str(fails), encoding="utf-8")
    return {"KAM_PLUGINS_DIR": str(folder), "HOOK_STATE": str(tmp_path / "state"),
            "HOOK_LOG": str(tmp_path / "log")}


def _log(tmp_path: Path) -> list[str]:
    path = tmp_path / "log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_failing_twice_then_succeeding_delivers_exactly_once_more(kam: Kam,
                                                                  tmp_path: Path) -> None:
    env = _env(tmp_path, fails=2)
    r = kam("customer", "add", "华东电力", "-q", env=env)
    assert r.exit_code == 0 and "webhook down" in r.stderr and "kept as OB1" in r.stderr
    pending = kam.json("events", "list", env=env)
    assert [(d["plugin"], d["status"], d["tries"], d["event_id"]) for d in pending] == [
        ("webhook", "pending", 1, "EV1")]
    assert "webhook down" in pending[0]["error"]
    # kam check waits for the back-off; kam events retry does not
    assert kam.json("check", env=env)["deliveries"]["tried"] == 0
    assert kam("events", "retry", env=env).exit_code == 1        # fails a second time
    assert _log(tmp_path) == []
    kam.ok("events", "retry", env=env)                            # delivered
    assert _log(tmp_path) == ["EV1 customer.added"]
    assert kam.json("events", "list", env=env) == []
    kam.ok("events", "retry", env=env)
    assert _log(tmp_path) == ["EV1 customer.added"]              # exactly once more
    rows = kam.json("plugins", "list", env=env)
    webhook = next(p for p in rows if p["name"] == "webhook")
    assert (webhook["pending"], webhook["dead"]) == (0, 0)


def test_kam_check_retries_what_is_due(kam: Kam, tmp_path: Path) -> None:
    env = _env(tmp_path, fails=1)
    kam.ok("customer", "add", "华东电力", env=env)
    ws = kam.workspace()
    with ws.storage.transaction():
        ws.storage.update("outbox", "OB1", {"next_at": "2000-01-01T00:00:00+00:00"})
    ws.close()
    result = kam.json("check", env=env)
    assert result["deliveries"] == {"tried": 1, "failed": 0, "delivered": 1, "pending": 0,
                                    "dead": 0}
    assert _log(tmp_path) == ["EV1 customer.added"]


def test_a_delivery_that_keeps_failing_goes_dead(kam: Kam, tmp_path: Path) -> None:
    env = _env(tmp_path, fails=5)
    kam.ok("config", "set", "events.max_tries", "2")
    kam.ok("customer", "add", "华东电力", env=env)
    assert kam("events", "retry", env=env).exit_code == 1
    assert [d["status"] for d in kam.json("events", "list", env=env)] == ["dead"]
    rows = kam.json("plugins", "list", env=env)
    assert next(p for p in rows if p["name"] == "webhook")["dead"] == 1
    r = kam("doctor", env=env)
    assert r.exit_code == 1 and "outbox OB1" in r.stdout and "dead after 2 tries" in r.stdout
    kam.ok("events", "retry", env=env)                  # pending ones only: nothing to do
    assert kam("events", "retry", "--dead", env=env).exit_code == 1  # fails (3 left)
    (tmp_path / "state").write_text("0", encoding="utf-8")
    kam.ok("events", "retry", "--dead", env=env)
    assert _log(tmp_path) == ["EV1 customer.added"]
    assert kam.json("events", "list", env=env) == []
    kam.ok("doctor", env=env)


def test_a_kill_during_delivery_loses_nothing(kam: Kam, tmp_path: Path) -> None:
    env = _env(tmp_path, fails=0)
    full = {**os.environ, **env, "HOOK_KILL": "1", "KAM_USER": "tester"}
    done = subprocess.run([sys.executable, "-m", "kam", "--workspace", str(kam.path),
                           "customer", "add", "华东电力"], env=full, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    assert [c["name"] for c in kam.json("customer", "list")] == ["华东电力"]
    assert [(d["status"], d["tries"]) for d in kam.json("events", "list", env=env)] == [
        ("pending", 0)]
    kam.ok("events", "retry", env=env)
    assert _log(tmp_path) == ["EV1 customer.added"]


def test_no_event_plugin_writes_no_delivery(kam: Kam) -> None:
    kam.ok("customer", "add", "华东电力")
    assert kam.json("events", "list", "--status", "delivered") == []


def test_stored_arguments_keep_their_types() -> None:
    args = {"receivable": {"amount": Decimal("10.50"), "due_date": dt.date(2026, 3, 1),
                           "tags": ["a"], "n": 3, "ok": True, "none": None},
            "level": 30}
    assert outbox.decode(outbox.encode(args)) == args


def test_a_redacted_export_drops_the_stored_arguments(kam: Kam, tmp_path: Path) -> None:
    import csv

    env = _env(tmp_path, fails=1)
    kam.ok("customer", "add", "华东电力", "--region", "上海", env=env)
    kam.ok("export", str(tmp_path / "full"))
    kam.ok("export", str(tmp_path / "redacted"), "--redact")
    full = list(csv.DictReader((tmp_path / "full" / "outbox.csv").open(encoding="utf-8")))
    redacted = list(csv.DictReader((tmp_path / "redacted" / "outbox.csv").open(
        encoding="utf-8")))
    assert "华东电力" in full[0]["args"] and "webhook down" in full[0]["error"]
    assert (redacted[0]["args"], redacted[0]["error"]) == ("", "")
