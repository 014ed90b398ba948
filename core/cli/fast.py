"""kam's lean front end: the everyday command lines run without typer.

typer and its click cost ~30 ms of every ``kam`` start (issue 15: the everyday commands
≤ 2.5× their floor). This parser reads the argv of the hot commands (``opp list``,
``opp show``, ``opp advance``, ``customer list``, ``pay record``, ``activity log``,
``report NAME``) and runs the same bodies (kam.cli.everyday) with the same global
options, plugins, errors and exit codes as the typer app. It answers only what it fully
understands: anything else — help, ``--version``, an unknown or repeated-but-single
option, an option's value that starts with ``-``, a bad ``--format``/``--limit``/
``--lang``, a control character, a plugin (not built in) that adds commands, shell
completion — returns None before anything is done, and the typer app (kam.cli.app)
answers it as always.
"""

from __future__ import annotations

import os
import sys
from typing import Any

#: kam's global options that take a value (dest name), as in kam.cli.app.make_app
_GLOBAL = {"--workspace": "workspace", "-w": "workspace", "--as-of": "as_of",
           "--lang": "lang"}


class Grammar:
    """One command's arguments: positionals (names, in order; ``optional`` ones may
    follow), options with a value, repeatable ones, flags (option → name). A plain
    class: a dataclass costs ~1 ms of every start."""

    __slots__ = ("positionals", "values", "lists", "flags", "required", "optional")

    def __init__(self, positionals: tuple[str, ...], values: dict[str, str] | None = None,
                 lists: dict[str, str] | None = None, flags: dict[str, str] | None = None,
                 required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> None:
        self.positionals = positionals
        self.values = values or {}
        self.lists = lists or {}
        self.flags = flags or {}
        self.required = required
        self.optional = optional


#: what the lean front end reads of each command beyond its typer declaration (the
#: generated kam.cli.fast_grammars): how many of its arguments must be given, the options
#: that must be given, and the options it leaves to typer (such a command line is handed on)
LEAN: dict[tuple[str, str], tuple[int, tuple[str, ...], frozenset[str]]] = {
    ("opp", "list"): (0, (), frozenset()),
    ("customer", "list"): (0, (), frozenset()),
    ("opp", "show"): (1, (), frozenset()),
    ("opp", "advance"): (1, (), frozenset()),
    ("pay", "record"): (2, (), frozenset()),
    ("activity", "log"): (1, ("type_",), frozenset()),
    ("report", ""): (1, (), frozenset({"--weeks", "--days", "--run", "--option",
                                      "--install-completion", "--show-completion"})),
}
#: the commands the lean front end reads
COMMANDS = tuple(LEAN)


def _grammars() -> dict[tuple[str, str], Grammar]:
    """Each lean command's grammar: its typer declaration (kam.cli.fast_grammars, made
    from the typer commands by kam.cli.fast_table) with what :data:`LEAN` says."""
    from kam.cli.fast_grammars import TABLE

    out = {}
    for key, (must, required, left) in LEAN.items():
        if key not in TABLE:  # added since the table was written: typer reads it
            continue
        arguments, options = TABLE[key]
        kinds: dict[str, dict[str, str]] = {"value": {}, "list": {}, "flag": {}}
        for opt, (name, kind) in options.items():
            if opt not in left:
                kinds[kind][opt] = name
        out[key] = Grammar(arguments[:must], kinds["value"], kinds["list"], kinds["flag"],
                           required, arguments[must:])
    return out


#: (noun, command) → its grammar
GRAMMARS: dict[tuple[str, str], Grammar] = _grammars()


class Command:
    """A command line this front end runs: the global options and the command's."""

    __slots__ = ("noun", "verb", "globals", "given")

    def __init__(self, noun: str, verb: str, found: dict[str, Any],
                 given: dict[str, Any]) -> None:
        self.noun, self.verb, self.globals, self.given = noun, verb, found, given


def parse(argv: list[str]) -> Command | None:
    """The command ``argv`` runs, or None when it is not one this front end fully
    understands (the typer app answers it)."""
    found: dict[str, Any] = {"debug": False}
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        name, value, i = _option(argv, i, _GLOBAL)
        if name is None:
            if argv[i] != "--debug":
                return None
            found["debug"] = True
            i += 1
            continue
        found[name] = value
    if i >= len(argv):
        return None
    noun = argv[i]
    verb = "" if noun == "report" else (argv[i + 1] if i + 1 < len(argv) else "")
    grammar = GRAMMARS.get((noun, verb))
    if grammar is None:
        return None
    given = _command(argv[i + (1 if noun == "report" else 2):], grammar)
    return None if given is None else Command(noun, verb, found, given)


def _option(argv: list[str], i: int, values: dict[str, str]
            ) -> tuple[str | None, str, int]:
    """``--opt VALUE`` or ``--opt=VALUE`` at ``argv[i]``: (dest, value, next index);
    (None, "", i) when it is not one of ``values`` or its value is doubtful."""
    arg = argv[i]
    opt, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
    dest = values.get(opt)
    if dest is None:
        return None, "", i
    if eq:
        return dest, inline, i + 1
    if i + 1 >= len(argv) or (argv[i + 1].startswith("-") and argv[i + 1] != "-"):
        return None, "", i
    return dest, argv[i + 1], i + 2


def _command(args: list[str], grammar: Grammar) -> dict[str, Any] | None:
    """The command's own arguments (options anywhere among the positionals, as click
    reads them), or None."""
    given: dict[str, Any] = {dest: [] for dest in grammar.lists.values()}
    given |= {dest: False for dest in grammar.flags.values()}
    positionals: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-") or arg == "-":
            positionals.append(arg)
            i += 1
            continue
        if arg in grammar.flags:
            given[grammar.flags[arg]] = True
            i += 1
            continue
        dest, value, j = _option(args, i, grammar.lists)
        if dest is not None:
            given[dest].append(value)
            i = j
            continue
        dest, value, j = _option(args, i, grammar.values)
        if dest is None:
            return None  # --help, --, an unknown option, a doubtful value
        given[dest] = value
        i = j
    names = grammar.positionals + grammar.optional
    if not len(grammar.positionals) <= len(positionals) <= len(names):
        return None
    given.update(zip(names, positionals, strict=False))
    if any(name not in given for name in grammar.required):
        return None
    return given


def run(argv: list[str]) -> int | None:
    """Run ``argv`` if this front end understands it: its exit code; None when it does
    not (nothing done, or only the plugins loaded: :func:`handed_on` gives them)."""
    command = parse(argv)
    if command is None or not _plain_environment():
        return None
    from kam.cli import outcome

    if outcome.control_characters(argv):
        return None
    given = _checked(command)
    if given is None:
        return None
    from kam.plugin_discovery import workspace_folder
    from kam.plugin_manager import Plugins

    pm = Plugins()
    try:
        pm.configure(workspace_folder(argv))
    except Exception:  # noqa: S110 - Workspace.open reports a broken workspace
        pass
    if _plugin_commands(pm):
        _handed_on.append(pm)
        return None
    return _invoke(command, given, pm)


#: the plugins loaded by a run handed on to the typer app (kam.cli.main passes them)
_handed_on: list[Any] = []


def handed_on() -> Any:
    """The plugins a run that was handed on had loaded, or None."""
    return _handed_on.pop() if _handed_on else None


def _plain_environment() -> bool:
    """Output as kam.cli.common.echo writes it without click (UTF-8 streams, not
    Windows) and no shell completion asked."""
    from kam.cli.common import _utf8

    return ("_KAM_COMPLETE" not in os.environ and sys.platform != "win32"
            and _utf8(sys.stdout) and _utf8(sys.stderr))


def _checked(command: Command) -> dict[str, Any] | None:
    """The command's values as typer would pass them, or None where typer would refuse
    one (its own message then)."""
    given = dict(command.given)
    fmt = given.get("fmt")
    if fmt is not None and command.noun != "report":
        from kam.output import FORMATS

        if fmt not in FORMATS:
            return None
    if "limit" in given:
        # what kam.values.integer reads as a whole number in 0..10**9, for the
        # plain digits a --limit is (anything else: typer reads and refuses it)
        limit = given["limit"]
        if not (limit.isascii() and limit.isdigit() and len(limit) <= 9):
            return None
        given["limit"] = int(limit)
    lang = command.globals.get("lang")
    if lang is not None:
        from kam.i18n import normalise

        if normalise(lang) is None:
            return None
    return given


def _plugin_commands(pm: Any) -> bool:
    """Whether a plugin other than kam's own adds commands: then typer builds them (a
    clash with kam's own is reported there). kam's built-in plugins' commands are
    named apart from kam's (tests/test_cli_fast.py)."""
    return any("kam_register_commands" in info.hooks and info.source != "built-in"
               for info in pm.infos.values())


class Invocation:
    """What the bodies read of typer's context: ``find_root().obj``, the CLI state."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.params: dict[str, Any] = {}

    def find_root(self) -> Invocation:
        return self


def _invoke(command: Command, given: dict[str, Any], pm: Any) -> int:
    """The root callback and the command, as KamGroup.invoke runs them."""
    from kam import collector
    from kam.cli import outcome
    from kam.cli.common import State
    from kam.errors import KamError

    g = command.globals
    lang = g.get("lang")
    if lang is not None:
        from kam.i18n import normalise

        lang = normalise(lang)
    workspace = g["workspace"] if "workspace" in g else (os.environ.get("KAM_HOME") or None)
    ctx = Invocation(State(plugins=pm, workspace=workspace, as_of=g.get("as_of"), lang=lang,
                           debug=g["debug"] or os.environ.get("KAM_DEBUG") == "1"))
    try:
        code = outcome.plugin_failures(ctx, pm)
        if code is not None:
            return code
        collector.started()
        _body(command, given)(ctx)
        return 0
    except KeyboardInterrupt:
        return 130
    except KamError as exc:
        if ctx.obj.debug:
            raise
        return outcome.kam_error(ctx, exc)
    except BrokenPipeError:
        outcome.reader_gone()
        return 0
    except OSError as exc:
        if outcome.debugging(ctx):
            raise
        return outcome.os_error(ctx, exc)
    except Exception as exc:
        if outcome.debugging(ctx):
            raise
        return outcome.internal_error(ctx, exc)
    finally:
        outcome.close(ctx)


def _body(command: Command, given: dict[str, Any]) -> Any:
    """The everyday body the command runs, with its arguments bound."""
    from kam.cli import everyday

    g = dict(given)
    fmt = g.pop("fmt", None)
    key = (command.noun, command.verb)
    if key == ("opp", "list"):
        return lambda ctx: everyday.opp_list(ctx, fmt=fmt or "table", **g)
    if key == ("opp", "show"):
        return lambda ctx: everyday.opp_show(ctx, g["opp_id"], g.get("as_of"),
                                             fmt or "table")
    if key == ("opp", "advance"):
        return lambda ctx: everyday.opp_advance(
            ctx, g["opp_id"], g.get("to"), force=g["force"], reason=g.get("reason"),
            as_of=g.get("as_of"), fmt=fmt or "table")
    if key == ("customer", "list"):
        return lambda ctx: everyday.customer_list(ctx, fmt=fmt or "table", **g)
    if key == ("pay", "record"):
        return lambda ctx: everyday.pay_record(ctx, fmt=fmt or "table", **g)
    if key == ("activity", "log"):
        return lambda ctx: everyday.activity_log(ctx, fmt=fmt or "table", **g)
    # every option of the grammar reaches the report (the ones left to typer are None)
    names = [n for n in GRAMMARS[key].values.values() if n not in ("fmt", "as_of")]
    return lambda ctx: everyday.report(
        ctx, g["name"], g.get("record_id"), as_of=g.get("as_of"), option=[], fmt=fmt,
        weeks=None, days=None, run=None, **{n: g.get(n) for n in names})
