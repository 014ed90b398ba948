"""kam report NAME [ID] — the reports, in any registered format, to stdout or a file."""

from __future__ import annotations

import typer
from kam.cli import everyday
from kam.cli.common import AsOfOpt, whole

app = typer.Typer(rich_markup_mode=None)


@app.command("report")
def report(
    ctx: typer.Context,
    name: str = typer.Argument(None, help="pipeline, funnel, forecast, aging, battle-map, "
                               "win-loss, activity, opportunity, account, handover, renewals, "
                               "targets, war-room, contract-pnl, or a plugin's report. Omit to "
                               "list them."),
    record_id: str = typer.Argument(None, metavar="[ID]",
                                    help="The record of opportunity, account, handover, "
                                    "war-room."),
    fmt: str = typer.Option(None, "--format", "-f",
                            help="md, table, json, csv or a plugin's format (default: from "
                            "the --output extension, else table)."),
    output: str = typer.Option(None, "--output", "-o",
                               help="Write to this file atomically (owner-only); {date} and "
                               "{name} are replaced."),
    as_of: str = AsOfOpt,
    owner: str = typer.Option(None, "--owner"),
    member: str = typer.Option(None, "--member", help="Deals (and their contracts) this "
                               "user owns or is on the team (铁三角) of."),
    customer: str = typer.Option(None, "--customer"),
    currency: str = typer.Option(None, "--currency"),
    by: str = typer.Option(None, "--by",
                           help="forecast, renewals: month, quarter (default) or year."),
    since: str = typer.Option(None, "--since", help="Only from this date."),
    until: str = typer.Option(None, "--until", help="Only up to this date."),
    period: str = typer.Option(None, "--period", help="targets: 2026, 2026-Q1 or 2026-03."),
    weeks: int = typer.Option(None, "--weeks", click_type=whole("--weeks", 1, 36500),
                              help="activity: weeks shown (8)."),
    days: int = typer.Option(None, "--days", click_type=whole("--days", 0, 36500),
                             help="activity: days without a call that make a deal stalled "
                             "(30); renewals: days ahead (90)."),
    run: int = typer.Option(None, "--run", click_type=whole("--run", 1, 36500),
                            help="activity: continuances in a row (3)."),
    buckets: str = typer.Option(None, "--buckets",
                                help="aging: bucket ends in days, e.g. 30,60,90,180."),
    pipeline: str = typer.Option(None, "--pipeline", help="Stage model (default from config)."),
    table: str = typer.Option(None, "--table", help="Only this table of the report."),
    option: list[str] = typer.Option([], "--option", help="KEY=VALUE for a plugin's report."),
) -> None:
    """A report (报表): pipeline, funnel, forecast, aging, battle map and more."""
    everyday.report(ctx, name, record_id, as_of=as_of, option=option, fmt=fmt, output=output,
                    table=table, owner=owner, member=member, customer=customer,
                    currency=currency, by=by, since=since, until=until, period=period,
                    weeks=weeks, days=days, run=run, buckets=buckets, pipeline=pipeline)
