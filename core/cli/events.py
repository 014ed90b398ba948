"""kam events — the outbox of event-hook deliveries to plugins."""

from __future__ import annotations

import typer
from kam.cli.common import FormatOpt, emit, open_ws, say

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Event deliveries to plugins: the outbox, retries.")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="pending, delivered or dead "
                               "(default: pending and dead)."),
    fmt: str = FormatOpt,
) -> None:
    """Deliveries kept in the outbox: which hook, which plugin, tries, the last error."""
    from kam import outbox

    ws = open_ws(ctx)
    emit(ctx, outbox.listing(ws, status), fmt,
         ["id", "hook", "plugin", "event_id", "status", "tries", "next_at", "error"],
         {"status": "outbox_status"})


@app.command("retry")
def retry(
    ctx: typer.Context,
    dead: bool = typer.Option(False, "--dead", help="Dead deliveries too (tries start "
                              "again)."),
    fmt: str = FormatOpt,
) -> None:
    """Deliver every pending event now, without waiting for its back-off; exit 1 if any
    still fails."""
    from kam import outbox

    ws = open_ws(ctx)
    result = outbox.retry(ws, due_only=False, dead=dead)
    if fmt == "table":
        say(ctx, f"{result['tried']} tried: {result['delivered']} delivered, "
            f"{result['failed']} failed; left: {result['pending']} pending, "
            f"{result['dead']} dead")
    else:
        emit(ctx, result, fmt)
    if result["failed"]:
        raise typer.Exit(1)
