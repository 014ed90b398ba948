"""How a command ends, typer-free: refused arguments, plugin load failures, a domain
error, a bad path, a bug — one line on stderr and the exit code of cli.md. Shared by
the typer app (kam.cli.app) and kam's lean front end (kam.cli.fast)."""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

from kam.cli.common import echo, output_lang

#: OSError numbers that mean "a bad path was given" (exit 2); any other is exit 4
_BAD_PATH = {errno.ENAMETOOLONG, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EINVAL,
             errno.ELOOP, errno.EEXIST}


def control_characters(argv: list[str]) -> str | None:
    """Every argument is text that may be stored: refuse control characters (CR, NUL,
    ESC, …; TAB and LF are fine) before anything runs (kam.text says why)."""
    from kam.text import FORBIDDEN, describe

    for arg in argv:
        found = FORBIDDEN.search(str(arg))
        if found is not None:
            shown = str(arg).encode("unicode_escape").decode("ascii")
            return (f"argument '{shown}' contains the control character "
                    f"{describe(found.group())}; text may hold tabs and line breaks only")
    return None


def plugin_failures(ctx: Any, pm: Any) -> int | None:
    """Load failures as warnings (``--debug``: with each plugin's own traceback); in
    strict mode, one line and exit 4 (returned). A required plugin's failure is left to
    the workspace, which refuses changes naming it and warns on reads."""
    pm.debug = ctx.obj.debug
    if ctx.obj.debug:
        for error in pm.load_errors.values():
            if error.traceback:
                echo(f"kam: plugin {error.name!r} failed to load:\n{error.traceback}",
                     err=True, nl=False)
    problem = pm.strict_problem()
    if problem:
        echo(f"kam: {problem}", err=True)
        return 4
    for failure in pm.failures:
        name = failure.split("'")[1] if failure.startswith("plugin '") else ""
        if name in pm.required and name in pm.load_errors:
            continue
        from kam.messages import warning_line

        echo(warning_line(failure, output_lang(ctx)), err=True)
    return None


def kam_error(ctx: Any, exc: Any) -> int:
    """A domain error (KamError): its findings, one line, its exit code."""
    from kam.messages import finding_line, localise
    from kam.text import visible

    lang = output_lang(ctx)
    for f in getattr(exc, "findings", None) or ():
        echo(finding_line(f, lang), err=True)
    echo(f"kam: {visible(localise(str(exc), lang))}", err=True)
    close(ctx)
    return int(exc.exit_code)


def reader_gone() -> None:
    """The reader (e.g. ``| head``) has gone: stop quietly (exit 0)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def os_error(ctx: Any, exc: OSError) -> int:
    """A path the user gave (too long, a folder for a file, …: exit 2) or the machine
    (no space, no permission: exit 4): their problem, not a kam bug; one line."""
    from kam.text import visible

    code = 2 if exc.errno in _BAD_PATH else 4
    name = str(exc.filename or "")
    name = name if len(name) <= 80 else f"{name[:60]}…({len(name)} characters)"
    where = f"{name}: " if name else ""
    echo(f"kam: {visible(where + str(exc.strerror or exc))}", err=True)
    close(ctx)
    return code


def internal_error(ctx: Any, exc: Exception) -> int:
    """A bug: one line, exit 70 (``--debug`` shows the traceback instead)."""
    from kam.cli.common import say

    say(ctx, f"kam: internal error: {type(exc).__name__}: {exc} "
        "(a bug; rerun with --debug for the traceback)", err=True)
    close(ctx)
    return 70


def debugging(ctx: Any) -> bool:
    """``--debug`` or ``KAM_DEBUG=1``: errors show their traceback."""
    return bool(getattr(ctx.obj, "debug", False) or os.environ.get("KAM_DEBUG") == "1")


def close(ctx: Any) -> None:
    """The workspace's warnings, then the workspace closed (once)."""
    state = ctx.obj
    if state is not None and getattr(state, "ws", None) is not None:
        if state.ws.warnings:  # kam.messages compiles its patterns at import (~2 ms)
            from kam.messages import warning_line

            for warning in state.ws.warnings:
                echo(warning_line(warning, state.ws.lang), err=True)
        state.ws.warnings.clear()
        state.ws.close()
        state.ws = None
