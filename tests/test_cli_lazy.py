"""``kam NOUN COMMAND`` builds the noun's group with that command alone
(kam.cli.app._one_command): every command's help is the same text as when the whole
group is built, and a name that is not a command still gets the whole group's answer."""

from __future__ import annotations

import importlib
from pathlib import Path

import kam.cli.app
import pytest
import typer
from conftest import Kam
from kam.cli import SUBAPPS, make_app
from kam.plugin_manager import Plugins
from typer.testing import CliRunner


def _helps(tmp_path: Path) -> dict[tuple[str, str], tuple[int, str]]:
    runner = CliRunner()
    out = {}
    for noun, (module, _help) in SUBAPPS.items():
        whole = typer.main.get_command(importlib.import_module(module).app)
        for name in getattr(whole, "commands", None) or ["--help"]:
            r = runner.invoke(make_app(Plugins()), ["-w", str(tmp_path), noun, name, "--help"])
            out[noun, name] = (r.exit_code, r.stdout)
    return out


def test_each_command_alone_reads_as_in_its_whole_group(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _helps(tmp_path)
    monkeypatch.setattr(kam.cli.app, "_one_command", lambda *a: None)
    assert _helps(tmp_path) == alone
    assert len(alone) > 80 and all(code == 0 for code, _text in alone.values())


def test_a_mistyped_command_gets_the_whole_group(tmp_path: Path) -> None:
    r = CliRunner().invoke(make_app(Plugins()), ["-w", str(tmp_path), "opp", "lst"])
    assert r.exit_code == 2 and "No such command 'lst'" in r.stderr
    r = CliRunner().invoke(make_app(Plugins()), ["-w", str(tmp_path), "opp", "--help"])
    assert r.exit_code == 0 and "advance" in r.stdout and "list" in r.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_plugin_commands_clash_and_run_whether_built_or_only_named(kam: Kam) -> None:
    """A plugin's commands are only named when one of kam's own runs (a clash is
    still reported), and built when one of them runs or help is asked."""
    from types import ModuleType

    from kam.api import hookimpl

    plugin = ModuleType("clash")

    @hookimpl
    def kam_register_commands(app: typer.Typer, config: dict) -> None:
        @app.command("today")
        def today() -> None:
            """Not kam's today."""

        @app.command("weekly")
        def weekly() -> None:
            """The weekly sheet."""
            typer.echo("weekly sheet")

    plugin.kam_register_commands = kam_register_commands  # type: ignore[attr-defined]
    kam.plugins["clash"] = plugin
    for args in (("customer", "list"), ("weekly",)):
        r = kam(*args)
        assert r.exit_code == 0, r.stderr
        assert "plugin command 'today' ignored: kam has its own" in r.stderr, args
    assert kam.ok("weekly").stdout == "weekly sheet\n"
    helped = kam.ok("--help").stdout
    assert "The weekly sheet." in helped and "Not kam's today." not in helped


CLASH = '''
import typer
from kam.api import hookimpl

@hookimpl
def kam_register_commands(app):
    @app.command("today")
    def today() -> None:
        """Not kam's today."""

    @app.command("weekly")
    def weekly() -> None:
        """The weekly sheet."""
        typer.echo("weekly sheet")
'''


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_nouns_command_leaves_kams_root_commands_unbuilt(
        kam: Kam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``kam NOUN COMMAND`` through kam.cli.app.main: the root's own commands (today,
    init, …) are not converted by typer, a plugin command clashing with one is still
    reported, and every other command line builds them as before."""
    from kam.cli.app import main

    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "clash.py").write_text(CLASH, encoding="utf-8")
    monkeypatch.setenv("KAM_PLUGINS_DIR", str(folder))
    monkeypatch.setenv("KAM_HOME", str(kam.path))
    built: list[str] = []
    convert = typer.main.get_command_from_info

    def counting(command_info: typer.models.CommandInfo, **kw: object) -> object:
        callback = command_info.callback
        built.append(command_info.name or (callback.__name__ if callback else ""))
        return convert(command_info=command_info, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(typer.main, "get_command_from_info", counting)

    def run(*argv: str) -> tuple[int, str, str]:
        built.clear()
        monkeypatch.setattr("sys.argv", ["kam", *argv])
        with pytest.raises(SystemExit) as exit_:
            main()
        out = capsys.readouterr()
        return int(exit_.value.code or 0), out.out, out.err

    code, out, err = run("customer", "list")
    assert code == 0 and "plugin command 'today' ignored: kam has its own" in err
    assert built == ["list"]  # the noun's one command, no root command
    code, out, err = run("today")
    assert code == 0 and "init" in built and "today" in built
    code, out, err = run("weekly")
    assert (code, out) == (0, "weekly sheet\n")
    assert "plugin command 'today' ignored: kam has its own" in err
