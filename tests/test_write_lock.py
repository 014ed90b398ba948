"""The everyday changes import nothing while they hold the write lock (issue 15; #14:
imports under the lock made other writers wait): what they use is loaded before it
(``@atomic(loads=...)``, kam.workspace._load_write_path), each in a fresh process, with
a plugin whose stage rule reads pydantic-checked settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Kam

#: runs one kam command line, printing on stderr the modules first imported while the
#: outermost write transaction was held
TRACE = '''
import gc, json, sys
from contextlib import contextmanager
import kam.workspace as w
writing = w.Workspace.writing

@contextmanager
def traced(self, **kw):
    outer = self._depth == 0
    with writing(self, **kw):
        before = set(sys.modules)
        yield
        if outer:
            sys.stderr.write("UNDER-LOCK " + json.dumps(sorted(set(sys.modules) - before)) + "\\n")
            sys.stderr.write(f"GC-ON {gc.isenabled()}\\n")

w.Workspace.writing = traced
sys.argv = ["kam", *sys.argv[1:]]
from kam.cli import main
main()
'''

PLUGIN = '''
from kam.api import hookimpl

@hookimpl
def kam_register_config(register):
    from pydantic import BaseModel

    class Settings(BaseModel):
        floor: int = 0

    register("lockcheck", Settings)

@hookimpl
def kam_stage_exit(ws, opportunity, pipeline, stage, target):
    assert ws.plugin_config("lockcheck") == {"floor": 0}
    return []
'''

PLAN = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_everyday_changes_import_nothing_under_the_lock(kam: Kam, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")
    opp = kam.ready_deal()
    co = kam.id("contract", "create", opp, "--plan", PLAN)
    kam.ok("contract", "review", co)
    kam.ok("contract", "approve", co, "--by", "李经理", env={"KAM_USER": "李经理"})
    kam.ok("contract", "sign", co, "--force", "--reason", "框架协议")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "lockcheck.py").write_text(PLUGIN, encoding="utf-8")
    env = {**os.environ, "KAM_HOME": str(kam.path), "KAM_PLUGINS_DIR": str(plugins),
           "KAM_DISABLE_PLUGINS": "acme"}
    for args in (("pay", "record", co, "1000.00"),
                 ("activity", "log", opp, "--type", "call"),
                 ("opp", "advance", opp, "--force", "--reason", "lock check")):
        r = subprocess.run([sys.executable, "-c", TRACE, *args], env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        traced = [line for line in r.stderr.splitlines() if line.startswith("UNDER-LOCK ")]
        assert traced, r.stderr
        assert json.loads(traced[-1].removeprefix("UNDER-LOCK ")) == [], args
        # start-up pauses the collector (kam.cli.main); the command runs with it on
        assert "GC-ON True" in r.stderr.splitlines(), r.stderr
    shown = kam.json("opp", "show", opp)
    assert shown["stage"] == "implementation"
