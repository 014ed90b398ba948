"""kam.api and the hook calls: every hook goes through pluggy (tryfirst, trylast,
wrapper=True behave as pluggy documents), results are validated in one place and a
failing plugin is named; plugins import only kam.api; kam.toml's plugin settings
are read before the CLI's commands are built."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam
from kam.api import Finding, PluginError, RefusedError, block, hookimpl, info, warn
from kam.plugin_manager import Plugins

ROOT = Path(__file__).resolve().parents[1]

RULE_ARGS: dict[str, Any] = {"ws": None, "opportunity": {"id": "OP1"}, "pipeline": None,
                             "stage": "development", "target": "initiation"}


def _plugins(**objects: object) -> Plugins:
    plugins = Plugins(entry_points=False)
    for name, obj in objects.items():
        plugins.register(obj, name)
    assert not plugins.failures, plugins.failures
    return plugins


class Rule:
    def __init__(self, *findings: Finding, log: list[str] | None = None, tag: str = "") -> None:
        self.findings = list(findings)
        self.log = log if log is not None else []
        self.tag = tag

    @hookimpl
    def kam_stage_exit(self, ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> list[Finding]:
        self.log.append(self.tag)
        return self.findings


# --- wrapper=True around a rule hook ---------------------------------------------------


class DropBlocks:
    """A company wrapper: sees every rule's result and turns blocks into warnings."""

    seen: list[Any] = []

    @hookimpl(wrapper=True)
    def kam_stage_exit(self, ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> Any:
        results = yield
        DropBlocks.seen = results
        softened = [[warn(f.code, f.message) if f.severity == "block" else f for f in part]
                    for part in results]
        return [*softened, [info("wrapped", "checked by the wrapper")]]


def test_wrapper_sees_and_changes_a_rule_result() -> None:
    plugins = _plugins(standard=Rule(block("gate", "no proposal")), wrapper=DropBlocks())
    findings = plugins.rule("kam_stage_exit", **RULE_ARGS)
    assert [p[0].code for p in DropBlocks.seen] == ["gate"]
    assert [(f.severity, f.code, f.plugin) for f in findings] == [
        ("warn", "gate", "wrapper"),  # a finding the wrapper made is credited to it
        ("info", "wrapped", "wrapper"),
    ]


class CatchFailure:
    @hookimpl(wrapper=True)
    def kam_stage_exit(self, ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> Any:
        try:
            return (yield)
        except PluginError as exc:  # as in pluggy, the wrapper sees the inner exception
            return [[block("caught", f"{exc.plugin} failed: {exc.error}")]]


class Explodes:
    @hookimpl
    def kam_stage_exit(self, ws: Any, opportunity: Any) -> list[Finding]:
        raise ValueError("rule exploded")


def test_wrapper_sees_the_failing_rule_named() -> None:
    plugins = _plugins(exploding=Explodes(), catcher=CatchFailure())
    [found] = plugins.rule("kam_stage_exit", **RULE_ARGS)
    assert (found.code, found.message, found.plugin) == (
        "caught", "exploding failed: rule exploded", "catcher")
    # without the wrapper the failure refuses the change, naming the plugin
    [found] = _plugins(exploding=Explodes()).rule("kam_stage_exit", **RULE_ARGS)
    assert found.severity == "block" and found.plugin == "exploding"
    assert found.message == "plugin 'exploding' failed in kam_stage_exit: rule exploded"


class OldStyle:
    @hookimpl(hookwrapper=True)
    def kam_stage_exit(self, ws: Any, opportunity: Any) -> Any:
        outcome = yield
        outcome.force_result([*outcome.get_result(), [info("old", "old-style wrapper")]])


def test_old_style_hookwrapper_still_works() -> None:
    plugins = _plugins(standard=Rule(warn("w", "x")), old=OldStyle())
    assert [f.code for f in plugins.rule("kam_stage_exit", **RULE_ARGS)] == ["w", "old"]


WRAPPER_PLUGIN = '''
from kam.api import hookimpl, warn

@hookimpl(wrapper=True)
def kam_stage_exit(ws, opportunity, pipeline, stage, target):
    results = yield
    return [[warn(f.code, f.message) for f in part] for part in results]
'''


def test_wrapper_plugin_from_a_file_softens_the_standard_gate(kam: Kam, tmp_path: Path
                                                              ) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "soft.py").write_text(textwrap.dedent(WRAPPER_PLUGIN), encoding="utf-8")
    opp = kam.id("opp", "add", kam.id("customer", "add", "华东"), "监控", "--amount", "1")
    assert kam("opp", "advance", opp).exit_code == 1  # BANT missing: the gate holds
    r = kam.ok("opp", "advance", opp, env={"KAM_PLUGINS_DIR": str(folder)})
    assert "warn: budget not confirmed" in r.stdout
    assert kam.json("opp", "show", opp)["stage"] != "development"


# --- ordering ---------------------------------------------------------------------------


class First(Rule):
    @hookimpl(tryfirst=True)
    def kam_stage_exit(self, ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> list[Finding]:
        self.log.append(self.tag)
        return self.findings


class Last(Rule):
    @hookimpl(trylast=True)
    def kam_stage_exit(self, ws: Any, opportunity: Any, pipeline: Any, stage: str,
                       target: str) -> list[Finding]:
        self.log.append(self.tag)
        return self.findings


def test_tryfirst_and_trylast_order_as_in_pluggy() -> None:
    log: list[str] = []
    plugins = _plugins(
        last=Last(info("l", "last"), log=log, tag="last"),
        plain_a=Rule(info("a", "a"), log=log, tag="a"),
        first=First(info("f", "first"), log=log, tag="first"),
        plain_b=Rule(info("b", "b"), log=log, tag="b"),
    )
    codes = [f.code for f in plugins.rule("kam_stage_exit", **RULE_ARGS)]
    # tryfirst first, trylast last; the others last-registered first (pluggy's LIFO)
    assert log == ["first", "b", "a", "last"]
    assert codes == ["f", "b", "a", "l"]


# --- results validated in one place ---------------------------------------------------


class ReturnsText:
    @hookimpl
    def kam_stage_exit(self, ws: Any) -> Any:
        return "all good"


class ReturnsDicts:
    @hookimpl
    def kam_qualify_lead(self, ws: Any) -> Any:
        return [{"severity": "block"}]


class ReturnsNone:
    @hookimpl
    def kam_stage_exit(self, ws: Any) -> None:
        return None


class BadApprovals:
    @hookimpl
    def kam_required_approvals(self, ws: Any, contract: Any) -> Any:
        return "legal"


class GoodApprovals:
    @hookimpl
    def kam_required_approvals(self, ws: Any, contract: Any) -> Any:
        return ["legal"]


def test_bad_rule_results_are_named_plugin_errors() -> None:
    [found] = _plugins(text=ReturnsText()).rule("kam_stage_exit", **RULE_ARGS)
    assert (found.severity, found.code, found.plugin) == ("block", "plugin_error", "text")
    assert found.message == ("plugin 'text' failed in kam_stage_exit: returned str, "
                             "not a list of Findings")
    [found] = _plugins(dicts=ReturnsDicts()).rule("kam_qualify_lead", ws=None, lead={},
                                                   customer={})
    assert "returned a list holding dict, not a Finding" in found.message
    assert _plugins(none=ReturnsNone()).rule("kam_stage_exit", **RULE_ARGS) == []


def test_approvals_must_be_role_names() -> None:
    plugins = _plugins(bad=BadApprovals(), good=GoodApprovals())
    with pytest.raises(PluginError) as caught:
        plugins.collect("kam_required_approvals", ws=None, contract={})
    assert isinstance(caught.value, RefusedError) and caught.value.exit_code == 1
    assert str(caught.value) == ("plugin 'bad' failed in kam_required_approvals: "
                                 "returned str, not a list of role names")
    assert _plugins(good=GoodApprovals()).collect("kam_required_approvals", ws=None,
                                                  contract={}) == ["legal"]


BAD_RETURN_PLUGIN = '''
from kam.api import hookimpl

@hookimpl
def kam_stage_exit(ws, opportunity, pipeline, stage, target):
    return "ok"
'''


def test_bad_return_refuses_the_change_with_the_plugin_named(kam: Kam, tmp_path: Path
                                                             ) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "sloppy.py").write_text(textwrap.dedent(BAD_RETURN_PLUGIN), encoding="utf-8")
    opp = kam.id("opp", "add", kam.id("customer", "add", "华东"), "监控", "--amount", "1")
    r = kam("opp", "advance", opp, env={"KAM_PLUGINS_DIR": str(folder)})
    assert r.exit_code == 1
    assert ("plugin 'sloppy' failed in kam_stage_exit: returned str, not a list of Findings"
            " [sloppy]" in r.stderr)
    assert kam.json("opp", "show", opp)["stage"] == "development"


# --- isolated hooks: registration and events -------------------------------------------


class Audit:
    def __init__(self, log: list[str], fail: bool = False) -> None:
        self.log, self.fail = log, fail

    @hookimpl
    def kam_event_committed(self, ws: Any, event: Any) -> None:
        if self.fail:
            raise RuntimeError("webhook down")
        self.log.append(event["kind"])


def test_a_failing_event_hook_is_named_and_the_others_still_run() -> None:
    log: list[str] = []
    plugins = _plugins(audit=Audit(log), webhook=Audit(log, fail=True))
    errors = plugins.event("kam_event_committed", ws=None, event={"kind": "customer.added"})
    assert errors == ["plugin 'webhook' failed in kam_event_committed: webhook down"]
    assert log == ["customer.added"]


class Formats:
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name, self.fail = name, fail

    @hookimpl
    def kam_register_formats(self, register: Any) -> None:
        if self.fail:
            raise RuntimeError("bad format")
        register(self.name, lambda report, ws: "")


def test_registration_credits_each_plugin_and_isolates_failures() -> None:
    plugins = _plugins(tsv=Formats("tsv"), broken=Formats("x", fail=True),
                       again=Formats("tsv"))
    reg = plugins.formats()
    assert reg.owners == {"tsv": "again"}  # called last-registered first: first one wins
    assert reg.conflicts == ["format 'tsv' from tsv ignored: already from again"]
    assert plugins.failures == ["plugin 'broken' failed in kam_register_formats: bad format"]


# --- kam.toml's plugin settings before the CLI is built ---------------------------------

COMMAND_PLUGIN = '''
import typer
from kam.api import hookimpl

@hookimpl
def kam_register_commands(app):
    acme = typer.Typer(help="Acme's own commands.")

    @acme.command("hello")
    def hello(name: str):
        typer.echo(f"你好, {name}")

    app.add_typer(acme, name="acme")
'''


def test_plugin_settings_from_kam_toml_shape_the_commands(kam: Kam, tmp_path: Path) -> None:
    folder = tmp_path / "company_plugins"
    folder.mkdir()
    (folder / "acme.py").write_text(textwrap.dedent(COMMAND_PLUGIN), encoding="utf-8")
    assert kam("acme", "hello", "x").exit_code == 2  # no such command yet
    kam.ok("config", "set", "plugins_dir", str(folder))
    kam.ok("plugins", "trust")  # a workspace's plugins_dir runs once the user trusts it
    assert kam.ok("acme", "hello", "世界").stdout.strip() == "你好, 世界"
    assert "acme" in kam.ok("--help").stdout
    toml = kam.path / "kam.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[plugins]\ndisabled = ["acme"]\n',
                    encoding="utf-8")
    r = kam("acme", "hello", "世界")
    assert r.exit_code == 2 and "No such command" in r.stderr


def test_workspace_folder_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from kam import plugin_manager, workspace

    folder = plugin_manager.workspace_folder
    assert folder(["--workspace", "/a", "opp", "list"]) == Path("/a")
    assert folder(["--as-of", "2026-01-01", "-w", "/b", "opp"]) == Path("/b")
    assert folder(["--workspace=/c"]) == Path("/c")
    assert folder(["-w/d"]) == Path("/d")
    monkeypatch.setenv("KAM_HOME", "/home")
    assert folder(["opp", "list", "--workspace", "/not-a-root-option"]) == Path("/home")
    monkeypatch.delenv("KAM_HOME")
    assert plugin_manager.default_path() == workspace.default_path()


# --- kam.api ------------------------------------------------------------------------------


def test_api_all_lists_exactly_the_public_names() -> None:
    import kam.api as api

    for name in api.__all__:
        assert getattr(api, name) is not None, name
    defined = {n for n in vars(api) if not n.startswith("_")} - {"annotations", "importlib",
                                                                   "TYPE_CHECKING", "Any"}
    assert defined <= set(api.__all__), defined - set(api.__all__)
    assert len(api.__all__) == len(set(api.__all__))


def test_importing_the_api_stays_light() -> None:
    code = ("import sys, kam.api; heavy = [m for m in ('pydantic', 'tabulate', "
            "'sqlite_utils', 'typer', 'kam.reports', 'kam.services', 'kam.workspace') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


#: Besides kam.api, storage backends may use the storage contract (and test with the
#: conformance suite): see docs/hooks.md, "What is public".
BACKEND_MODULES = {"kam.storage", "kam.kinds", "kam.errors", "kam.testing"}


def _kam_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += ([f"{node.module}.{a.name}" for a in node.names]
                      if node.module == "kam" else [node.module])
    return [m for m in found if m == "kam" or m.startswith("kam.")]


def test_plugins_and_examples_import_only_kam_api() -> None:
    bad = []
    sources = [(p, f"kam.plugins.{p.relative_to(ROOT / 'plugins').parts[0]}")
               for p in (ROOT / "plugins").rglob("*.py") if p.parent != ROOT / "plugins"]
    sources += [(p, "") for p in (ROOT / "examples").glob("*/src/**/*.py")]
    assert len(sources) > 10
    for path, own in sources:
        allowed = {"kam.api"}
        if path.parent.name.startswith("storage_"):
            allowed |= BACKEND_MODULES
        for module in _kam_imports(path):
            if module in allowed or (own and (module == own or module.startswith(own + "."))):
                continue
            bad.append(f"{path.relative_to(ROOT)}: {module}")
    assert not bad, "private kam modules imported:\n" + "\n".join(bad)


def test_hooks_md_examples_import_only_kam_api() -> None:
    import re

    docs = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", docs, re.S)
    assert blocks
    imports = [line for b in blocks for line in b.splitlines()
               if re.match(r"\s*(from|import) kam\b", line)]
    assert imports and all(re.match(r"\s*from kam\.api import ", i) for i in imports), imports


def test_start_up_parses_kam_toml_only_for_plugin_settings() -> None:
    from kam.plugin_discovery import mentions_plugins as _mentions_plugins

    assert not _mentions_plugins('backend = "sqlite"\nplugins_dir = ""\n')
    assert _mentions_plugins('plugins_dir = "plugins"\n')
    assert _mentions_plugins('[plugins]\ndisabled = ["acme"]\n')
