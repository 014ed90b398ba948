"""Fault tests (bounded for CI): SIGKILL a writer mid-stream and mid-import; two writers
at once. Afterwards every file parses, ``kam doctor`` passes, no change is partial and
every stored change has its event. ``KAM_RELIABILITY_KILLS`` raises the kill count
(the full run asks for ≥ 50 per backend)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kam.plugin_manager import Plugins
from kam.services import admin, exchange_export
from kam.services.doctor import diagnose
from kam.workspace import Workspace

WRITER = Path(__file__).with_name("writer.py")
KILLS = int(os.environ.get("KAM_RELIABILITY_KILLS", "5"))
IMPORT_KILLS = int(os.environ.get("KAM_IMPORT_KILLS", str(max(2, KILLS // 2))))


def _init(path: Path, backend: str) -> Path:
    extra = None
    if backend == "postgres":
        import conftest

        assert conftest.PG is not None, "a postgres test needs the pg_server fixture"
        extra = {"storage": {"dsn": conftest.PG.fresh()}}
    admin.init(path, Plugins(), backend=backend, lang="en", extra=extra)
    return path


@pytest.fixture(params=["csv", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.getfixturevalue("pg_server")  # skipped (failed under CI=true) without one
    return str(request.param)


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _assert_sound(path: Path) -> dict[str, int]:
    """Doctor passes; each customer has its added event, each contact its customer."""
    ws = Workspace.open(path, as_of="2026-03-02")
    try:
        report = diagnose(ws)
        assert report["problems"] == []
        storage = ws.storage
        customers = {r["id"]: r for r in storage.find("customer")}
        contacts = list(storage.find("contact"))
        added = [e["record_id"] for e in storage.events(kinds=["customer.added"])]
        assert sorted(added) == sorted(customers)
        edited = {e["record_id"] for e in storage.events(kinds=["customer.edited"])}
        assert edited == {rid for rid, r in customers.items() if r["grade"] == "A"}
        assert len([e for e in storage.events(kinds=["contact.added"])]) == len(contacts)
        return {"customers": len(customers), "contacts": len(contacts)}
    finally:
        ws.close()


def test_kill_9_during_a_stream_of_mutations(tmp_path: Path, backend: str) -> None:
    path = _init(tmp_path / "ws", backend)
    rng = random.Random(20260302)
    for n in range(KILLS):
        proc = _start([str(WRITER), str(path), f"w{n}", "-1"])
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        if n == KILLS - 1:  # however loaded the machine, one writer gets work done
            assert proc.stdout.readline().strip() == "wrote 1"
        time.sleep(rng.uniform(0.02, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _assert_sound(path)
    counts = _assert_sound(path)
    assert counts["customers"] > 0  # the writers did get work done between kills


@pytest.mark.parametrize("backend", ["csv", "sqlite"])
def test_kill_9_during_import_is_all_or_nothing(tmp_path: Path, backend: str) -> None:
    source = _init(tmp_path / "source", "sqlite")
    done = subprocess.run([sys.executable, str(WRITER), str(source), "s", "150"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    export = tmp_path / "export"
    ws = Workspace.open(source)
    try:
        exchange_export.export(ws, export)
    finally:
        ws.close()
    rng = random.Random(7)
    for n in range(IMPORT_KILLS):
        target = _init(tmp_path / f"t{n}", backend)
        proc = _start(["-m", "kam", "--workspace", str(target), "import", str(export)])
        time.sleep(rng.uniform(0.2, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        counts = _assert_sound(target)
        assert counts in ({"customers": 0, "contacts": 0}, {"customers": 150, "contacts": 150})


def test_two_writers_at_once_lose_nothing(tmp_path: Path, backend: str) -> None:
    path = _init(tmp_path / "ws", backend)
    procs = [_start([str(WRITER), str(path), tag, "12"]) for tag in ("a", "b")]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert _assert_sound(path) == {"customers": 24, "contacts": 24}
    ws = Workspace.open(path)
    try:
        names = sorted(r["name"] for r in ws.storage.find("customer"))
    finally:
        ws.close()
    assert names == sorted([f"a-{i}" for i in range(12)] + [f"b-{i}" for i in range(12)])
