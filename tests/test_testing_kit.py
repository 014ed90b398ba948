"""kam.testing for plugin teams: registering a plugin that is also installed, and the
Acme example's tests run with the plugin not installed (CI runs them installed)."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

from kam.api import hookimpl
from kam.plugin_manager import Plugins
from kam.testing import KamRunner

ROOT = Path(__file__).resolve().parents[1]


def _rule_module(message: str) -> types.ModuleType:
    from kam.api import block

    module = types.ModuleType("company_rules")

    @hookimpl
    def kam_qualify_lead(ws, lead, customer):  # type: ignore[no-untyped-def]
        return [block("company", message)]

    module.kam_qualify_lead = kam_qualify_lead  # type: ignore[attr-defined]
    return module


def test_registering_a_plugin_twice_keeps_its_hooks() -> None:
    module = _rule_module("no")
    pm = Plugins()
    pm.register(module, "company")
    pm.register(module, "company")  # as a test does when the package is also installed
    assert pm.implementers("kam_qualify_lead").count("company") == 1
    assert pm.infos["company"].hooks == ["kam_qualify_lead"]
    other = _rule_module("other")
    pm.register(other, "company")  # another copy replaces it, never runs beside it
    assert pm.modules["company"] is other
    assert pm.implementers("kam_qualify_lead").count("company") == 1


def test_the_runner_registers_the_plugin_under_test(tmp_path: Path) -> None:
    kam = KamRunner(tmp_path / "ws", {"company": _rule_module("company says no")})
    kam.ok("init")
    cu = kam.id("customer", "add", "华东")
    dm = kam.id("contact", "add", cu, "王", "--role", "decision_maker")
    lead = kam.id("lead", "add", cu, "t")
    r = kam("lead", "qualify", lead, "--budget-confirmed", "--authority", dm, "--need", "n",
            "--timeline", "2026-10-01")
    assert r.exit_code == 1
    assert ("block", "company says no", "company") in r.findings


def test_acme_tests_pass_with_acme_not_installed() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env["KAM_DISABLE_PLUGINS"] = "acme"  # discovery skips an installed copy
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider",
                           str(ROOT / "examples" / "acme_kam" / "tests")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
