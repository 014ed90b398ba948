"""kam today — the morning list."""

from __future__ import annotations

import typer
from kam.cli.common import AsOfOpt, open_ws, whole


def register(app: typer.Typer) -> None:
    @app.command("today")
    def today(
        ctx: typer.Context,
        owner: str = typer.Option(None, "--owner", help="Only this owner's work."),
        days: int = typer.Option(7, "--days", click_type=whole("--days", 0, 36500),
                                 help="Look this many days ahead."),
        limit: int = typer.Option(
            None, "--limit", click_type=whole("--limit", 0, 10**9),
            help="Rows listed per table, 0 for all (default: 50 in table and md, all in "
                 "json and csv)."),
        as_of: str = AsOfOpt,
        fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv, md, ..."),
    ) -> None:
        """Next steps due, receivables due/overdue, stalled deals, renewals, open complaints,
        and the acquisition advice for the deals listed."""
        from kam.services import reports

        ws = open_ws(ctx, as_of)
        reports.write_today(ws, lambda text: typer.echo(text, nl=False), owner=owner,
                            days=days, fmt=fmt, limit=limit)
