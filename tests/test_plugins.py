"""Plugins: a dropped-in file adds a rule; broken plugins are named; the CLI keeps working."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import Kam

MIN_AMOUNT_RULE = '''
from kam.api import hookimpl
from kam.api import block

__version__ = "1.2"

@hookimpl(tryfirst=True)
def kam_stage_exit(ws, opportunity, pipeline, stage, target):
    if stage == "development" and opportunity["amount"] < 500000:
        return [block("min_amount", "company rule: deals under 500000 are not pursued")]
    return []
'''

RAISES_ON_IMPORT = "raise RuntimeError('boom at import')\n"

RULE_RAISES = '''
from kam.api import hookimpl

@hookimpl
def kam_stage_exit(ws, opportunity, pipeline, stage, target):
    raise ValueError("rule exploded")
'''

EVENT_RAISES = '''
from kam.api import hookimpl

@hookimpl
def kam_event_committed(ws, event):
    raise RuntimeError("webhook down")
'''

MISSPELLED = '''
from kam.api import hookimpl

@hookimpl
def kam_stage_exitt(ws, opportunity):
    return []
'''


def _plugin_dir(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "company_plugins"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _ready_opp(kam: Kam, amount: str) -> str:
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    ct = kam.id("contact", "add", cu, "王建国", "--role", "decision_maker")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", amount)
    kam.ok("opp", "edit", opp, "--budget-confirmed", "--authority", ct, "--need", "升级",
           "--timeline", "2026-09-30", "--competition", "两家", "--decision-process", "办公会")
    return opp


def test_dropped_in_rule_refuses_advance(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, min_amount=MIN_AMOUNT_RULE)
    env = {"KAM_PLUGINS_DIR": str(folder)}
    opp = _ready_opp(kam, "300000")
    r = kam("opp", "advance", opp, env=env)
    assert r.exit_code == 1
    assert "deals under 500000" in r.stderr and "[min_amount]" in r.stderr
    kam.ok("opp", "advance", opp)  # without the plugin the standard gate holds
    rows = kam.json("plugins", "list", env=env)
    mine = next(p for p in rows if p["name"] == "min_amount")
    assert (mine["source"], mine["version"], mine["hooks"]) == ("file", "1.2",
                                                               ["kam_stage_exit"])


def test_plugins_dir_from_config(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, min_amount=MIN_AMOUNT_RULE)
    kam.ok("config", "set", "plugins_dir", str(folder))
    kam.ok("plugins", "trust")  # a workspace's plugins_dir runs once the user trusts it
    opp = _ready_opp(kam, "300000")
    assert kam("opp", "advance", opp).exit_code == 1


def test_plugin_failing_on_import_is_named_and_cli_runs(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, broken=RAISES_ON_IMPORT, misspelled=MISSPELLED)
    r = kam("customer", "add", "华东电力", env={"KAM_PLUGINS_DIR": str(folder)})
    assert r.exit_code == 0
    assert "plugin 'broken' failed to load: boom at import" in r.stderr
    assert "plugin 'misspelled' failed to load" in r.stderr
    rows = kam.json("plugins", "list", env={"KAM_PLUGINS_DIR": str(folder)})
    assert {"broken", "misspelled"} <= {p["name"] for p in rows if p["status"] != "loaded"}


def test_failing_rule_fails_closed_and_names_plugin(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, exploding=RULE_RAISES)
    opp = _ready_opp(kam, "900000")
    r = kam("opp", "advance", opp, env={"KAM_PLUGINS_DIR": str(folder)})
    assert r.exit_code == 1
    assert "plugin 'exploding' failed in kam_stage_exit: rule exploded" in r.stderr
    assert kam.json("opp", "show", opp)["stage"] == "development"


def test_failing_event_hook_keeps_the_change(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, webhook=EVENT_RAISES)
    r = kam("customer", "add", "华东电力", "-q", env={"KAM_PLUGINS_DIR": str(folder)})
    assert r.exit_code == 0
    assert "plugin 'webhook' failed in kam_event_committed: webhook down" in r.stderr
    assert kam.json("customer", "show", r.stdout.strip())["name"] == "华东电力"


def test_disable_standard_rules(kam: Kam) -> None:
    opp = kam.id("opp", "add", kam.id("customer", "add", "x"), "y", "--amount", "1")
    r = kam("opp", "advance", opp, env={"KAM_DISABLE_PLUGINS": "rules_standard"})
    # without rules_standard there is no six_stage pipeline registered at all
    assert r.exit_code == 2 and "unknown pipeline" in r.stderr


def test_strict_mode_makes_a_broken_plugin_fatal(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, broken=RAISES_ON_IMPORT)
    from kam.errors import StorageError
    from kam.plugin_manager import Plugins

    with pytest.raises(StorageError, match="broken"):
        Plugins(plugins_dir=str(folder), strict=True).check_strict()


def test_registered_custom_field_validates(kam: Kam, tmp_path: Path) -> None:
    folder = _plugin_dir(tmp_path, fields='''
from kam.api import hookimpl

def credit_days(text):
    value = int(text)
    if not 0 <= value <= 365:
        raise ValueError("credit days must be 0..365")
    return value

@hookimpl
def kam_register_fields(register):
    register("customer", "credit_days", credit_days, "账期天数")
''')
    env = {"KAM_PLUGINS_DIR": str(folder)}
    cu = kam.json("customer", "add", "华东", "--field", "credit_days=90", "--field",
                  "sap_no=10086", env=env)
    assert cu["fields"] == {"credit_days": 90, "sap_no": "10086"}
    r = kam("customer", "add", "华东", "--field", "credit_days=999", env=env)
    assert r.exit_code == 2 and "credit days must be 0..365" in r.stderr
    assert kam("customer", "add", "华东", "--field", "novalue").exit_code == 2
