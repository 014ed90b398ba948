"""The ``kam`` command line: a typer app built by a factory, one sub-app per noun.

Start-up stays light: only typer, pluggy and the plugins' light modules load for
``kam --help``; services, storage, tabulate and pydantic load inside commands.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from kam.errors import KamError


class KamGroup(TyperGroup):
    """Turns domain errors into one line on stderr and the exit code of cli.md."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KamError as exc:
            state = ctx.obj
            if getattr(state, "debug", False):
                raise
            _print_findings(exc)
            typer.echo(f"kam: {exc}", err=True)
            _close(ctx)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, SystemExit):
            _close(ctx)
            raise
        except Exception as exc:
            if getattr(ctx.obj, "debug", False) or os.environ.get("KAM_DEBUG") == "1":
                raise
            if type(exc).__module__.startswith(("click", "typer")):
                raise
            typer.echo(
                f"kam: internal error: {type(exc).__name__}: {exc} "
                "(a bug; rerun with --debug for the traceback)",
                err=True,
            )
            _close(ctx)
            raise typer.Exit(70) from None
        finally:
            _close(ctx)


def _print_findings(exc: KamError) -> None:
    findings = getattr(exc, "findings", None)
    if not findings:
        return
    for f in findings:
        origin = f" [{f.plugin}]" if f.plugin else ""
        typer.echo(f"  {f.severity}: {f.message}{origin}", err=True)


def _close(ctx: Any) -> None:
    state = ctx.obj
    if state is not None and getattr(state, "ws", None) is not None:
        for warning in state.ws.warnings:
            typer.echo(f"kam: warning: {warning}", err=True)
        state.ws.warnings.clear()
        state.ws.close()
        state.ws = None


def make_app(plugins: Any = None) -> typer.Typer:
    """Build a fresh app: sub-apps, global options, and the plugins' commands."""
    from kam.cli import activity, admin, contact, customer, lead, opp
    from kam.cli.common import State
    from kam.plugin_manager import Plugins

    pm = plugins if plugins is not None else Plugins()
    app = typer.Typer(
        cls=KamGroup,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        no_args_is_help=True,
        help="kam — key-account (大客户) sales from the first lead to the last payment.",
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        workspace: str = typer.Option(None, "--workspace", "-w", envvar="KAM_HOME",
                                      help="Workspace folder (default: KAM_HOME or the user "
                                      "data dir)."),
        as_of: str = typer.Option(None, "--as-of", help="Fix 'today' (YYYY-MM-DD)."),
        lang: str = typer.Option(None, "--lang", help="Labels: zh or en (KAM_LANG)."),
        debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
        version: bool = typer.Option(False, "--version", help="Print the version."),
    ) -> None:
        if version:
            from kam import __version__

            typer.echo(f"kam {__version__}")
            raise typer.Exit(0)
        ctx.obj = State(plugins=pm, workspace=workspace, as_of=as_of, lang=lang,
                        debug=debug or os.environ.get("KAM_DEBUG") == "1")
        for failure in pm.failures:
            typer.echo(f"kam: warning: {failure}", err=True)

    for module in (admin,):
        module.register(app)
    app.add_typer(customer.app, name="customer", help="Customers (客户).")
    app.add_typer(contact.app, name="contact", help="Contacts and the decision chain (决策链).")
    app.add_typer(lead.app, name="lead", help="Leads and BANT qualification (线索).")
    app.add_typer(opp.app, name="opp", help="Opportunities and stage gates (商机).")
    app.add_typer(activity.app, name="activity", help="Visits, calls, meetings (拜访).")
    pm.register_commands(app)
    return app


def main() -> None:
    app = make_app()
    try:
        app(prog_name="kam")
    except KeyboardInterrupt:
        typer.echo("kam: interrupted", err=True)
        sys.exit(130)
