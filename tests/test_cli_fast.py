"""kam's lean front end (kam.cli.fast) answers exactly as the typer app: for any command
line it takes, the same stdout, stderr, exit code and stored rows; any other it hands on
untouched."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kam.cli.app
import pytest
from conftest import examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.cli import SUBAPPS, fast
from kam.plugin_manager import Plugins

Outcome = tuple[Any, str, str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from kam.demo import build_demo

    path = tmp_path_factory.mktemp("fast") / "demo"
    build_demo(path, Plugins())
    yield path


def _fast(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome | None:
    capsys.readouterr()
    try:
        code: Any = fast.run(argv)
    except Exception as exc:  # --debug: the traceback's exception
        code = (type(exc).__name__, str(exc))
    out, err = capsys.readouterr()
    if code is None:
        assert (out, err) == ("", ""), "a command line handed on printed nothing"
        return None
    return code, out, err


def _typer(argv: list[str], capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Outcome:
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["kam", *argv])
    try:
        kam.cli.app.main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code or 0
    except Exception as exc:
        code = (type(exc).__name__, str(exc))
    out, err = capsys.readouterr()
    return code, out, err


#: values an option may be given: mostly ones the command takes, some it refuses
GOOD = ["json", "csv", "table", "md", "3", "0", "12", "open", "won", "development", "张伟",
        "call", "拜访", "advance", "order", "2026-01-05", "2026-06-30", "CT1", "bargaining",
        "bench", "", "-", "a=b", "x", "١٢", "-1"]
#: values that fit an option (by its name in kam.cli.fast.GRAMMARS)
VALUES_OF = {"fmt": ["json", "csv", "table", "md"], "limit": ["3", "0", "12"],
             "status": ["open", "won", "lost"], "stage": ["development", "proposal"],
             "owner": ["张伟", "李娜"], "as_of": ["2026-06-30"], "date": ["2026-01-05"],
             "outcome": ["advance", "order", "no_sale"], "contact": ["CT1", "CT3"],
             "signal": ["bargaining", "asks_timing"], "to": ["proposal", "negotiation"],
             "reason": ["bench"], "ref": ["bank 1"], "note": ["bench", "多行\n备注"],
             "closing": ["direct", "trial"], "by": ["month", "quarter"],
             "currency": ["CNY", "USD"], "grade": ["A", "B", "甲"],
             "matrix": ["core", "growth"]}
#: what a command line may hold that the lean front end hands on (or typer refuses)
ODD = ["--help", "--nope", "--", "-fjson", "--force=1", "-qf", "--version", "-x"]


@st.composite
def _argv(draw: Any, ws: Path, noun: str, verb: str, ids: list[str]) -> list[str]:
    """A command line of one command: its global options, its options with values
    (mostly good), its positionals among them, now and then something odd."""
    grammar = fast.GRAMMARS[noun, verb]
    head = draw(st.lists(st.sampled_from(
        [["--lang", "zh"], ["--lang", "en"], ["--lang=zh-Hant"], ["--lang", "fr"],
         ["--debug"], ["--as-of", "2026-06-30"], ["--workspace", str(ws)]]), max_size=2))
    dests = {**grammar.values, **grammar.lists}
    named = sorted(n for n in dests if dests[n] != "output")  # no files written here
    options: list[list[str]] = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(named + sorted(grammar.flags)))
        if name in grammar.flags:
            options.append([name])
            continue
        fitting = VALUES_OF.get(dests[name], GOOD) if draw(st.integers(0, 4)) else GOOD
        given = draw(st.sampled_from(fitting))
        if name.startswith("--") and draw(st.booleans()):
            options.append([f"{name}={given}"])
        else:
            options.append([name, given])
    if "type_" in grammar.required and draw(st.integers(0, 9)):
        options.append(["--type", draw(st.sampled_from(["call", "拜访", "visit", "nope"]))])
    if not draw(st.integers(0, 7)):
        options.insert(draw(st.integers(0, len(options))), [draw(st.sampled_from(ODD))])
    least = len(grammar.positionals)
    count = draw(st.integers(least, least + len(grammar.optional))) if draw(
        st.integers(0, 9)) else draw(st.sampled_from([max(least - 1, 0), least + 2]))
    for _ in range(count):
        options.insert(draw(st.integers(0, len(options))), [draw(st.sampled_from(ids))])
    words = [noun] if noun == "report" else [noun, verb]
    return ["-w", str(ws), *[a for item in head for a in item], *words,
            *[a for item in options for a in item]]


def _reads(ws: Path) -> st.SearchStrategy[list[str]]:
    return st.one_of(
        _argv(ws, "opp", "list", ["OP2"]),
        _argv(ws, "customer", "list", ["CU1"]),
        _argv(ws, "opp", "show", ["OP2", "OP1", "OP6", "OP999", "op2", ""]),
        _argv(ws, "report", "", ["pipeline", "forecast", "funnel", "aging", "nothing",
                                 "opportunity", "OP2"]))


@settings(max_examples=examples(120), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_reads_answer_as_the_typer_app(demo: Path, data: st.DataObject,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    argv = data.draw(_reads(demo))
    lean = _fast(argv, capsys)
    if lean is not None:
        assert lean == _typer(argv, capsys, monkeypatch), argv


@pytest.mark.parametrize("argv", [
    ["opp", "list", "--limit", "3"], ["opp", "list", "-n", "2", "--status", "open", "-f", "csv"],
    ["opp", "list", "--format=json", "--owner", "张伟"], ["opp", "show", "OP2"],
    ["--lang", "zh", "opp", "show", "OP6"], ["opp", "show", "--format", "json", "OP1"],
    ["opp", "show", "OP999"], ["report", "pipeline"], ["report", "forecast", "-f", "md"],
    ["--lang=zh-Hant", "report", "pipeline"], ["report", "nothing"], ["--debug", "opp",
                                                                       "show", "OP999"],
    ["report", "pipeline", "-o", "OUT.md"], ["opp", "list", "--output", "OUT.csv"],
    ["customer", "list"], ["customer", "list", "--grade", "A", "-f", "json"],
    ["--lang", "zh", "customer", "list", "--flagged"], ["customer", "list", "-n", "2",
                                                        "--format=csv"],
    ["customer", "list", "--matrix", "nope"], ["customer", "list", "-o", "OUT.json"],
])
def test_these_everyday_reads_are_answered_by_the_lean_front_end_alike(
        demo: Path, argv: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = str(demo.parent / "out")
    full = ["-w", str(demo), *(a.replace("OUT", out) for a in argv)]
    lean = _fast(full, capsys)
    assert lean is not None, "the lean front end answers it"
    assert lean == _typer(full, capsys, monkeypatch)
    assert lean[1] or lean[2] or isinstance(lean[0], tuple)  # --debug: the exception


@pytest.mark.parametrize("argv", [
    ["--help"], ["opp", "list", "--help"], ["opp", "show"], ["opp", "show", "OP1", "OP2"],
    ["opp", "list", "--limit", "x"], ["opp", "list", "--nope"], ["opp", "list", "-f", "xml"],
    ["--lang", "fr", "opp", "list"], ["--version"], ["opp", "lst"], ["opp", "edit", "OP2"],
    ["activity", "log", "OP2"], ["pay", "record", "CO1", "-5"], ["report"],
    ["opp", "show", "--", "OP2"], ["opp", "show", "OP\x1b2"], ["report", "activity",
                                                              "--weeks", "3"],
    ["customer", "list", "CU1"], ["customer", "list", "--flagged=1"], ["customer", "show",
                                                                        "CU1"],
])
def test_what_it_does_not_fully_understand_goes_to_the_typer_app(
        demo: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _fast(["-w", str(demo), *argv], capsys) is None


def test_a_plugin_that_adds_commands_sends_every_command_line_to_the_typer_app(
        demo: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """typer builds them (and reports a clash with kam's own); its plugins are reused."""
    plugin = demo.parent / "plugins"
    plugin.mkdir(exist_ok=True)
    (plugin / "extra.py").write_text(
        "from kam.api import hookimpl\n\n@hookimpl\ndef kam_register_commands(app):\n"
        "    @app.command('opp')\n    def opp() -> None:\n        print('mine')\n",
        encoding="utf-8")
    monkeypatch.setenv("KAM_PLUGINS_DIR", str(plugin))
    argv = ["-w", str(demo), "opp", "show", "OP2"]
    assert _fast(argv, capsys) is None
    handed = fast.handed_on()
    assert handed is not None and "extra" in handed.infos
    _code, out, err = _typer(argv, capsys, monkeypatch)
    assert "OP2" in out and "'opp'" in err  # typer's warning: the clash


def test_kam_s_own_plugins_name_their_commands_apart_from_kam_s() -> None:
    """Why the lean front end need not build them: no clash to report."""
    import typer

    pm = Plugins()
    scratch = typer.Typer()
    pm.register_commands(scratch)
    names = kam.cli.app._command_names(scratch)
    own = set(SUBAPPS) | set(kam.cli.app._command_names(kam.cli.app.make_app(pm)) or [])
    assert names and not own & set(names) and not pm.failures


def _rows(ws: Path) -> list[str]:
    """Every stored row, wall-clock timestamps masked."""
    conn = sqlite3.connect(ws / "kam.db")
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    rows = sorted(f"{t}: {row!r}" for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    conn.close()
    return [_masked(r) for r in rows]


def _masked(text: str) -> str:
    """``text`` with its wall-clock timestamps (when a row was recorded) masked."""
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.\d]*(\+00:00|Z)?", "T", text)


def _writes(ws: Path) -> st.SearchStrategy[list[str]]:
    return st.one_of(
        _argv(ws, "pay", "record", ["CO1", "CO4", "CO9", "100", "0.01", "99999999", "x"]),
        _argv(ws, "activity", "log", ["OP2", "OP6", "CU1", "OP999", "LD1"]),
        _argv(ws, "opp", "advance", ["OP4", "OP6", "OP1", "OP999"]))


def _both(demo: Path, argv: list[str], capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[Outcome, Outcome] | None:
    """``argv`` (naming ``demo``) on a copy by each front end: their outcomes and rows
    compared; None when the lean one hands it on."""
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        shutil.copytree(demo, a)
        shutil.copytree(demo, b)
        lean = _fast([str(a) if x == str(demo) else x for x in argv], capsys)
        if lean is None:
            return None
        typed = _typer([str(b) if x == str(demo) else x for x in argv], capsys, monkeypatch)
        assert _rows(a) == _rows(b), argv
        return ((lean[0], _masked(lean[1]), _masked(lean[2].replace(str(a), "WS"))),
                (typed[0], _masked(typed[1]), _masked(typed[2].replace(str(b), "WS"))))


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
@example(data=None)
def test_writes_store_and_answer_as_the_typer_app(demo: Path, data: st.DataObject | None,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    argv = (["-w", str(demo), "pay", "record", "CO1", "100", "--ref", "bank 1"]
            if data is None else data.draw(_writes(demo)))
    pair = _both(demo, argv, capsys, monkeypatch)
    if pair is not None:
        assert pair[0] == pair[1], argv


@pytest.mark.parametrize("argv", [
    ["pay", "record", "CO1", "100.00", "--ref", "bank 7", "--note", "n"],
    ["pay", "record", "CO1", "99999999"], ["pay", "record", "CO999", "1"],
    ["pay", "record", "-q", "CO1", "1", "--date", "2026-01-05"],
    ["activity", "log", "OP6", "--type", "call", "--outcome", "advance", "--note", "bench"],
    ["activity", "log", "OP6", "--type", "拜访", "--contact", "CT1", "--signal", "bargaining",
     "--signal", "asks_timing", "-f", "json"],
    ["activity", "log", "OP6", "--type", "nope"],
    ["opp", "advance", "OP6", "--force", "--reason", "bench"], ["opp", "advance", "OP6"],
    ["--lang", "zh", "opp", "advance", "OP4", "--force", "--reason", "r", "-f", "json"],
])
def test_these_everyday_writes_are_answered_by_the_lean_front_end_alike(
        demo: Path, argv: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    pair = _both(demo, ["-w", str(demo), *argv], capsys, monkeypatch)
    assert pair is not None, "the lean front end answers it"
    assert pair[0] == pair[1]
    assert pair[0][1] or pair[0][2]


def test_the_console_script_runs_everyday_commands_without_typer(demo: Path) -> None:
    code = ("import sys; sys.argv = ['kam', '-w', sys.argv[1], 'opp', 'list', '--limit', '2']\n"
            "from kam.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('typer', 'click', 'pydantic')))")
    done = subprocess.run([sys.executable, "-c", code, str(demo)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert "OP1" in done.stdout


@pytest.mark.parametrize("message", ["编号  OP1", "\x1b[31mred\x1b[0m text", 42, None, "",
                                     "two\nlines\n"])
@pytest.mark.parametrize("nl", [True, False])
@pytest.mark.parametrize("err", [True, False])
def test_kam_prints_as_typer_echo_does(message: Any, nl: bool, err: bool,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import typer
    from kam.cli.common import echo

    echo(message, nl=nl, err=err)
    mine = capsys.readouterr()
    typer.echo(message, nl=nl, err=err)
    assert capsys.readouterr() == mine


@pytest.mark.parametrize("noun, verb", sorted(fast.GRAMMARS))
def test_each_grammar_is_its_typer_command_s(noun: str, verb: str) -> None:
    """The lean front end reads no option its typer command lacks and names the same
    arguments in the same order: a grammar left behind when a command changes fails here,
    not on a user's command line."""
    import typer

    group = typer.main.get_command(kam.cli.app.make_app(Plugins()))
    ctx = group.make_context("kam", [noun], resilient_parsing=True)
    command = group.get_command(ctx, noun)
    if verb:
        command = command.get_command(ctx, verb)
    options = {o for p in command.params if p.param_type_name == "option"
               for o in (*p.opts, *p.secondary_opts)}
    arguments = tuple(p.name for p in command.params if p.param_type_name == "argument")
    grammar = fast.GRAMMARS[noun, verb]
    assert set(grammar.values) | set(grammar.lists) | set(grammar.flags) <= options
    assert grammar.positionals + grammar.optional == arguments


#: the arguments kam.cli.fast._body passes by name to the bodies that do not take **given
_BOUND = {("opp", "show"): {"opp_id", "as_of", "fmt"},
          ("opp", "advance"): {"opp_id", "to", "force", "reason", "as_of", "fmt"}}


@pytest.mark.parametrize("noun, verb", sorted(fast.GRAMMARS))
def test_every_option_read_reaches_the_body(noun: str, verb: str) -> None:
    """The grammars come from typer (kam.cli.fast_grammars): an option added to a typer
    command is read by the lean front end at once, so its body must take it — or the
    lean front end must leave the option to typer (kam.cli.fast.LEAN)."""
    import inspect

    from kam.cli import everyday

    grammar = fast.GRAMMARS[noun, verb]
    names = ({*grammar.values.values(), *grammar.lists.values(), *grammar.flags.values(),
              *grammar.positionals, *grammar.optional})
    if (noun, verb) in _BOUND:
        assert names == _BOUND[noun, verb]
        return
    body = everyday.report if noun == "report" else getattr(everyday, f"{noun}_{verb}")
    params = inspect.signature(body).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert takes_any or names - {"fmt"} <= set(params)


def test_a_report_is_written_with_the_collector_run_rarely_and_put_back_after(
        demo: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from kam.collector import REPORT_GC_THRESHOLD
    from kam.services import reports

    seen: list[tuple[int, int, int]] = []
    run_to = reports.run_to

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return run_to(*args, **kwargs)

    monkeypatch.setattr(reports, "run_to", spy)
    before = gc.get_threshold()
    outcome = _fast(["-w", str(demo), "report", "battle-map", "-f", "json"], capsys)
    assert outcome is not None and outcome[0] == 0
    assert seen == [(REPORT_GC_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_the_pipeline_report_loads_only_its_own_capability(demo: Path, fmt: str) -> None:
    """``kam report pipeline`` asks the backend for ``PipelineSums`` (kam.storage's) and
    loads neither kam.fast_paths' other capabilities nor the reference sums."""
    code = ("import sys; sys.argv = ['kam', '-w', sys.argv[1], 'report', 'pipeline', '-f', "
            "sys.argv[2]]\n"
            "from kam.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code\n"
            "print(sorted(m for m in sys.modules if m in "
            "('kam.fast_paths', 'kam.reports.aggregates', 'typer', 'pydantic')))")
    done = subprocess.run([sys.executable, "-c", code, str(demo), fmt], capture_output=True,
                          text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
