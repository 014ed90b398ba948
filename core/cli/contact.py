"""kam contact add|list|show|edit"""

from __future__ import annotations

import typer
from kam.cli.common import FormatOpt, LimitOpt, OutputOpt, QuietOpt, emit, emit_created, open_ws

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)




@app.command("add")
def add(
    ctx: typer.Context,
    customer_id: str,
    name: str,
    title: str = typer.Option(None, "--title"),
    role: list[str] = typer.Option([], "--role", help="decision_maker, selector, purchaser, "
                                   "user, evaluator, acceptor; for delivery: finance, "
                                   "supply_chain, quality, supervisor (repeatable)."),
    coach: str = typer.Option(None, "--coach", help="none, intel, advise, intervene."),
    stance: str = typer.Option(None, "--stance", help="supporter, neutral, opponent."),
    style: str = typer.Option(None, "--style"),
    level: str = typer.Option(None, "--level", help="operational, management, executive."),
    tier: str = typer.Option(None, "--tier", help="Relationship tier: organizational, key, "
                             "general (组织/关键/普遍关系)."),
    phone: str = typer.Option(None, "--phone"),
    email: str = typer.Option(None, "--email"),
    note: str = typer.Option(None, "--note", help="Personal notes (PII; redacted on export)."),
    field: list[str] = typer.Option([], "--field"),
    fmt: str = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Add a contact to a customer's decision chain."""
    from kam.services import contacts

    ws = open_ws(ctx)
    record = contacts.add(ws, customer_id, name, fields=field, title=title, roles=role or None,
                          coach=coach, stance=stance, style=style, level=level, tier=tier,
                          phone=phone, email=email, note=note)
    emit_created(ctx, record, fmt, quiet, kind="contact")


@app.command("list")
def list_(
    ctx: typer.Context,
    customer: str = typer.Option(None, "--customer"),
    role: str = typer.Option(None, "--role"),
    limit: int = LimitOpt,
    fmt: str = FormatOpt,
    output: str = OutputOpt,
) -> None:
    """List contacts (the decision chain of --customer)."""
    from kam.services import contacts

    ws = open_ws(ctx)
    emit(ctx, contacts.list_(ws, customer=customer, role=role, limit=limit), fmt,
         kind="contact", output=output)


@app.command("show")
def show(ctx: typer.Context, contact_id: str, fmt: str = FormatOpt) -> None:
    """Show one contact."""
    from kam.services import contacts

    ws = open_ws(ctx)
    emit(ctx, contacts.get(ws, contact_id), fmt, kind="contact")


@app.command("edit")
def edit(
    ctx: typer.Context,
    contact_id: str,
    name: str = typer.Option(None, "--name"),
    title: str = typer.Option(None, "--title"),
    role: list[str] = typer.Option([], "--role", help="Replaces the roles when given."),
    coach: str = typer.Option(None, "--coach"),
    stance: str = typer.Option(None, "--stance"),
    style: str = typer.Option(None, "--style"),
    level: str = typer.Option(None, "--level"),
    tier: str = typer.Option(None, "--tier", help="organizational, key or general."),
    phone: str = typer.Option(None, "--phone"),
    email: str = typer.Option(None, "--email"),
    note: str = typer.Option(None, "--note"),
    field: list[str] = typer.Option([], "--field"),
    fmt: str = FormatOpt,
) -> None:
    """Change a contact's fields."""
    from kam.services import contacts

    ws = open_ws(ctx)
    record = contacts.edit(ws, contact_id, fields=field, name=name, title=title,
                           roles=role or None, coach=coach, stance=stance, style=style,
                           level=level, tier=tier, phone=phone, email=email, note=note)
    emit(ctx, record, fmt, kind="contact")
