"""Required plugins fail closed: while a plugin the workspace requires is missing or
fails to load, every change is refused (exit 4, one line) and reads still work."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import Kam
from kam.cli import make_app
from kam.plugin_manager import Plugins
from typer.testing import CliRunner

RULE = '''
from kam.api import block, hookimpl

@hookimpl(tryfirst=True)
def kam_qualify_lead(ws, lead, customer):
    return [block("acme_never", "Acme qualifies nothing")]
'''

BROKEN = 'raise ImportError("acme rules need the ERP client\\nsecond line of the error")\n'


def _folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / "acme.py").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _snapshot(kam: Kam, tmp_path: Path, name: str) -> dict[str, str]:
    out = tmp_path / name
    kam.ok("export", str(out))
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())
            if p.name != "manifest.json"}


def test_a_missing_required_plugin_refuses_every_change(kam: Kam, tmp_path: Path) -> None:
    folder = _folder(tmp_path, RULE)
    env = {"KAM_PLUGINS_DIR": str(folder)}
    kam.ok("plugins", "require", "acme", env=env)
    cu = kam.id("customer", "add", "华东电力", env=env)
    before = _snapshot(kam, tmp_path, "before")
    _folder(tmp_path, BROKEN)
    for args in (("customer", "add", "B"), ("customer", "edit", cu, "--grade", "A"),
                 ("lead", "add", cu, "t"), ("check",), ("config", "set", "rules.margin_floor",
                                                         "12")):
        r = kam(*args, env=env)
        assert r.exit_code == 4, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, r.stderr
        assert "required plugin 'acme' failed to load" in lines[0]
        assert "acme rules need the ERP client second line" in lines[0]
    assert _snapshot(kam, tmp_path, "after") == before

    r = kam("customer", "list", "--format", "json", env=env)
    assert r.exit_code == 0 and [c["id"] for c in r.json()] == [cu]
    assert "warning: required plugin 'acme' failed to load" in r.stderr

    r = kam("--debug", "customer", "list", env=env)
    assert r.exit_code == 0
    assert "Traceback" in r.stderr and 'raise ImportError("acme rules need' in r.stderr


def test_a_required_plugin_that_is_not_installed(kam: Kam, tmp_path: Path) -> None:
    folder = _folder(tmp_path, RULE)
    kam.ok("plugins", "require", "acme", env={"KAM_PLUGINS_DIR": str(folder)})
    r = kam("customer", "add", "B")
    assert r.exit_code == 4 and "required plugin 'acme' not installed" in r.stderr
    rows = kam.json("plugins", "list")
    acme = next(p for p in rows if p["name"] == "acme")
    assert (acme["required"], acme["status"]) == (True, "missing")
    # lifting the requirement works while the plugin is missing, and is audited
    kam.ok("plugins", "require", "acme", "--remove")
    kam.ok("customer", "add", "B")


def test_requiring_a_plugin_that_is_not_loaded_is_refused(kam: Kam) -> None:
    r = kam("plugins", "require", "nosuch")
    assert r.exit_code == 2 and "not loaded" in r.stderr


def test_init_requires_the_rule_plugins_it_was_set_up_with(tmp_path: Path,
                                                           monkeypatch) -> None:
    folder = _folder(tmp_path, RULE)
    monkeypatch.setenv("KAM_PLUGINS_DIR", str(folder))
    ws = tmp_path / "ws"
    r = CliRunner().invoke(make_app(Plugins()), ["--workspace", str(ws), "init"])
    assert r.exit_code == 0, r.output
    assert 'required = ["acme"]' in (ws / "kam.toml").read_text(encoding="utf-8")
    monkeypatch.setenv("KAM_DISABLE_PLUGINS", "acme")
    r = CliRunner().invoke(make_app(Plugins()), ["--workspace", str(ws), "--lang", "en",
                                                 "customer", "add", "x"])
    assert r.exit_code == 4 and "required plugin 'acme' disabled" in r.stderr
    zh = CliRunner().invoke(make_app(Plugins()), ["--workspace", str(ws), "customer", "add",
                                                  "x"])  # the workspace speaks zh
    assert zh.exit_code == 4 and "必需插件 'acme' 已停用" in zh.stderr


def test_strict_mode_is_one_line_and_help_still_works(kam: Kam, tmp_path: Path) -> None:
    folder = _folder(tmp_path, BROKEN)
    env = {"KAM_PLUGINS_DIR": str(folder), "KAM_STRICT_PLUGINS": "1"}
    r = kam("customer", "list", env=env)
    assert r.exit_code == 4
    assert r.stderr.strip().splitlines() == [
        "kam: plugin 'acme' failed to load: acme rules need the ERP client second line of "
        "the error (KAM_STRICT_PLUGINS=1 stops every command)"]
    r = kam("--help", env=env)
    assert r.exit_code == 0 and "Usage" in r.stdout


def test_a_command_of_a_plugin_that_failed_to_load_says_so(kam: Kam, tmp_path: Path) -> None:
    env = {"KAM_PLUGINS_DIR": str(_folder(tmp_path, BROKEN))}
    r = kam("acme", "weekly", env=env)
    assert r.exit_code == 4
    assert "'acme' comes from plugin 'acme', which failed to load" in r.stderr
    r = kam("weekly", env=env)
    assert r.exit_code == 2 and "plugins that failed to load may provide it: acme" in r.stderr


def test_plugins_list_json_has_one_line_errors(kam: Kam, tmp_path: Path) -> None:
    env = {"KAM_PLUGINS_DIR": str(_folder(tmp_path, BROKEN))}
    rows = kam.json("plugins", "list", env=env)
    acme = next(p for p in rows if p["name"] == "acme")
    assert set(acme) == {"name", "version", "source", "hooks", "required", "status", "error",
                         "pending", "dead"}
    assert acme["status"] == "failed" and acme["source"] == "file"
    assert "\n" not in acme["error"]
    table = kam.ok("plugins", "list", env=env).stdout.splitlines()
    assert len(table) == 2 + len(rows)  # one line per plugin, however long its error
    assert sum(1 for line in table if "acme" in line) == 1
    json.dumps(rows)
