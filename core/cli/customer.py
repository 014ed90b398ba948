"""kam customer add|list|show|edit|flag"""

from __future__ import annotations

import typer
from kam.cli.common import (
    AsOfOpt,
    FormatOpt,
    LimitOpt,
    OutputOpt,
    QuietOpt,
    emit,
    emit_created,
    open_ws,
    say,
)

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)



def _attrs(grade: str | None, matrix: str | None, purchase_type: str | None,
           relationship: str | None, industry: str | None, region: str | None,
           potential: str | None, owner: str | None, scope: str | None = None,
           currency: str | None = None) -> dict:
    return {"grade": grade, "matrix": matrix, "purchase_type": purchase_type,
            "relationship": relationship, "industry": industry, "region": region,
            "potential": potential, "owner": owner, "scope": scope, "currency": currency}


@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    grade: str = typer.Option(None, "--grade", help="A, B, C or D."),
    matrix: str = typer.Option(None, "--matrix", help="core, growth, traction, problem."),
    purchase_type: str = typer.Option(None, "--purchase-type", help="continuous/occasional."),
    relationship: str = typer.Option(None, "--relationship",
                                     help="acquainted, dating, trust, alliance."),
    industry: str = typer.Option(None, "--industry"),
    region: str = typer.Option(None, "--region"),
    scope: str = typer.Option(None, "--scope", help="Business scope."),
    potential: str = typer.Option(None, "--potential", help="Purchase potential per year."),
    currency: str = typer.Option(None, "--currency"),
    owner: str = typer.Option(None, "--owner"),
    field: list[str] = typer.Option([], "--field", help="Custom field key=value."),
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Add a customer (客户)."""
    from kam.services import customers

    ws = open_ws(ctx)
    record = customers.add(ws, name, fields=field, **_attrs(
        grade, matrix, purchase_type, relationship, industry, region, potential, owner,
        scope, currency))
    emit_created(ctx, record, fmt, quiet, kind="customer")


@app.command("list")
def list_(
    ctx: typer.Context,
    grade: str = typer.Option(None, "--grade"),
    matrix: str = typer.Option(None, "--matrix"),
    owner: str = typer.Option(None, "--owner"),
    flagged: bool = typer.Option(False, "--flagged",
                                 help="Only customers with an open anomaly flag (异常客户)."),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List customers."""
    from kam.cli import everyday

    everyday.customer_list(ctx, grade=grade, matrix=matrix, owner=owner, flagged=flagged,
                           limit=limit, fmt=fmt, output=output)


@app.command("show")
def show(ctx: typer.Context, customer_id: str, fmt: str = FormatOpt) -> None:
    """Show one customer."""
    from kam.services import customers

    ws = open_ws(ctx)
    emit(ctx, customers.get(ws, customer_id), fmt, kind="customer")


@app.command("edit")
def edit(
    ctx: typer.Context,
    customer_id: str,
    name: str = typer.Option(None, "--name"),
    grade: str = typer.Option(None, "--grade"),
    matrix: str = typer.Option(None, "--matrix"),
    purchase_type: str = typer.Option(None, "--purchase-type"),
    relationship: str = typer.Option(None, "--relationship"),
    industry: str = typer.Option(None, "--industry"),
    region: str = typer.Option(None, "--region"),
    scope: str = typer.Option(None, "--scope"),
    potential: str = typer.Option(None, "--potential"),
    currency: str = typer.Option(None, "--currency"),
    owner: str = typer.Option(None, "--owner"),
    field: list[str] = typer.Option([], "--field", help="Custom field key=value."),
    fmt: str = FormatOpt,
) -> None:
    """Change a customer's fields."""
    from kam.services import customers

    ws = open_ws(ctx)
    attrs = _attrs(grade, matrix, purchase_type, relationship, industry, region, potential,
                   owner, scope, currency) | {"name": name}
    emit(ctx, customers.edit(ws, customer_id, fields=field, **attrs), fmt, kind="customer")


@app.command("flag")
def flag(
    ctx: typer.Context,
    customer_id: str,
    type_: str = typer.Option(..., "--type",
                              help="spend_anomaly, behaviour_change, low_credit, churn_risk."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Flag an anomaly (异常客户信息): who collected it and when is recorded."""
    from kam.services import customers

    ws = open_ws(ctx, as_of)
    emit(ctx, customers.flag(ws, customer_id, type_, note), fmt, kind="customer")


@app.command("driver")
def driver(
    ctx: typer.Context,
    customer_id: str,
    name: str = typer.Argument(..., help="The driver (驱动因素), e.g. 新建变电站."),
    volume: str = typer.Option(None, "--volume", help="Its volume (驱动量), e.g. 12座/年."),
    note: str = typer.Option(None, "--note"),
    fmt: str = FormatOpt,
) -> None:
    """Set a driver of the account's purchase potential (驱动因素/驱动量) for the account
    plan; without --volume and --note it is removed."""
    from kam.services import customers

    ws = open_ws(ctx)
    emit(ctx, customers.driver(ws, customer_id, name, volume, note), fmt, kind="customer")


@app.command("flag-review")
def flag_review(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., metavar="CUSTOMER",
                                      help="The flagged customer (异常客户)."),
    type_: str = typer.Option(None, "--type",
                              help="The flag's type; needed only when several types wait."),
    decision: str = typer.Option(..., "--decision", help="confirmed or cleared."),
    note: str = typer.Option(None, "--note"),
    as_of: str = AsOfOpt,
    fmt: str = FormatOpt,
) -> None:
    """Review an anomaly flag (异常客户信息 审核): confirm it, or clear it off the account
    plan; by someone other than who collected it. Also named review-flag."""
    from kam.services import customers

    ws = open_ws(ctx, as_of)
    emit(ctx, customers.review_flag(ws, customer_id, type_, decision, note), fmt,
         kind="customer")


# the name kam had before the issue's ``flag-review``: the same command, kept for scripts
app.command("review-flag", help="The same command as flag-review (its earlier name).")(
    flag_review)


@app.command("classify")
def classify(
    ctx: typer.Context,
    customer_id: str,
    by_rule: bool = typer.Option(False, "--rule",
                                 help="Hand a matrix set by hand back to the rule."),
    fmt: str = FormatOpt,
) -> None:
    """Set the customer matrix (客户矩阵) the rule derives from need × relationship; a
    matrix set by hand (customer edit --matrix) stays unless --rule."""
    from kam.services import customers

    ws = open_ws(ctx)
    r = customers.classify(ws, customer_id, by_rule=by_rule)
    cu = r["customer"]
    if fmt != "table":
        emit(ctx, {"id": cu["id"], "matrix": cu.get("matrix"),
                   "matrix_set_by": cu.get("matrix_set_by"), "rule": r["rule"],
                   "kept_manual": r["kept_manual"]}, fmt)
        return
    if r["kept_manual"]:
        say(ctx, f"{cu['id']} matrix {cu.get('matrix')}, set by hand by "
            f"{cu['matrix_set_by']}; the rule says {r['rule'] or 'nothing'} "
            "(--rule to apply it)")
    elif r["rule"] is None:
        say(ctx, f"{cu['id']} matrix {cu.get('matrix') or '-'}: the rule needs the "
            "potential and the relationship (customer edit --potential --relationship)")
    else:
        say(ctx, f"{cu['id']} matrix {cu['matrix']} (by rule)")
