"""kam opp score|concession|trial|tender: selling against the customer's scoring (商机评估,
谈判让步, 试用, 招投标评分表)."""

from __future__ import annotations

import typer
from kam.cli import everyday
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    emit,
    open_ws,
    whole,
)

app = typer.Typer(rich_markup_mode=None)

@app.command("score")
def score(
    ctx: typer.Context,
    opp_id: str,
    criterion: list[str] = typer.Option([], "--criterion", help="KEY=VALUE for each "
                                        "criterion of the model (value: 1-5 or its label)."),
    model: str = typer.Option(None, "--model", help="Evaluation model (default: "
                              "rules.evaluation_model, else standard)."),
    date: str = typer.Option(None, "--date", help="The day of the evaluation."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record a scored evaluation (商机评估) against the evaluation model."""
    from kam.services import scoring

    ws = open_ws(ctx, as_of)
    record = scoring.score(ws, opp_id, criterion, model=model, on=date, note=note)
    entry = record["evaluations"][-1]  # the one just recorded
    if fmt != "table":
        emit(ctx, {"id": record["id"], **entry}, fmt)
        return
    rows = ws.evaluation_model(entry["model"]).breakdown(entry, ws.lang)
    emit(ctx, rows, fmt, ["criterion", "weight", "rating", "points", "top"])
    typer.echo(f"{record['id']}: score {entry['score']} ({entry['model']}, {entry['on']})")


@app.command("concession")
def concession(
    ctx: typer.Context,
    opp_id: str,
    what: str = typer.Option(..., "--what", help="What was conceded (折扣, 免费培训, 账期...)."),
    direction: str = typer.Option(..., "--direction", help="given (by us) or received "
                                  "(from the customer)."),
    value: str = typer.Option(None, "--value", help="Its value in the deal's currency; a "
                              "given value counts towards the discount."),
    exchange: str = typer.Option(None, "--exchange", help="What it was given in exchange "
                                 "for."),
    approved_by: str = typer.Option(None, "--approved-by", help="Who approved it (needed "
                                    "when the discount passes the approval thresholds)."),
    date: str = typer.Option(None, "--date"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Log a concession given or received in negotiation (谈判让步), on the deal's card."""
    from kam.services import negotiation

    ws = open_ws(ctx, as_of)
    record = negotiation.concede(ws, opp_id, what=what, direction=direction, value=value,
                                 exchange=exchange, approved_by=approved_by, on=date)
    emit(ctx, record["concessions"], fmt, ["on", "direction", "what", "value", "currency",
                                           "exchange", "discount", "approved_by"],
         {"direction": "concession_direction"})


@app.command("trial")
def trial(
    ctx: typer.Context,
    opp_id: str,
    scope: str = typer.Option(None, "--scope", help="What is tried (试用范围)."),
    start: str = typer.Option(None, "--start"),
    end: str = typer.Option(None, "--end"),
    criteria: str = typer.Option(None, "--criteria", help="The success criteria agreed."),
    result: str = typer.Option(None, "--result", help="pending, passed or failed."),
    number: int = typer.Option(None, "--trial", click_type=whole("--trial", 1, 10000),
                               help="Set the result of this trial (1, 2, ...) instead."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record a trial/POC before bidding (试用体验), or a trial's result."""
    from kam.services import trials

    ws = open_ws(ctx, as_of)
    record = trials.record(ws, opp_id, scope=scope, start=start, end=end, criteria=criteria,
                           result=result, trial=number)
    emit(ctx, record["trials"], fmt, ["seq", "scope", "start", "end", "criteria", "result"],
         {"result": "trial_result"})


@app.command("tender")
def tender(
    ctx: typer.Context,
    opp_id: str,
    technical_weight: str = typer.Option(..., "--technical-weight",
                                         help="The technical part's weight (技术分), %."),
    commercial_weight: str = typer.Option(..., "--commercial-weight",
                                          help="The commercial part's weight (商务分), %; "
                                          "the two add up to 100."),
    ours: tuple[str, str] = typer.Option(..., "--ours", metavar="TECH COMM",
                                         help="Our expected technical and commercial "
                                         "scores, 0-100 each."),
    competitor: list[str] = typer.Option([], "--competitor", metavar="NAME=TECH,COMM",
                                         help="A competitor's expected scores; repeatable."),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Record the customer's tender scoring sheet (招投标评分表): weighted totals, our rank."""
    from kam.models.tender import standings
    from kam.services import tenders

    ws = open_ws(ctx, as_of)
    record = tenders.record(ws, opp_id, technical_weight, commercial_weight, ours, competitor)
    sheet = standings(record["tender_sheet"])
    if fmt != "table":
        emit(ctx, {"id": record["id"], "tender": sheet}, fmt)
        return
    assert sheet is not None
    everyday.tender_out(ctx, sheet)
