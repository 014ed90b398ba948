"""kam opp team add|remove|list — the deal team (铁三角) of an opportunity."""

from __future__ import annotations

import typer
from kam.cli.common import AsOfOpt, FormatOpt, emit, open_ws

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="The deal team (铁三角): members with roles on an opportunity.")


def _show(ctx: typer.Context, opp_id: str, fmt: str) -> None:
    from kam.models.deal_team import MEMBER_COLUMNS, MEMBER_VOCAB
    from kam.services import deal_team

    emit(ctx, deal_team.list_(open_ws(ctx), opp_id), fmt, MEMBER_COLUMNS, MEMBER_VOCAB)


@app.command("add")
def add(ctx: typer.Context, opp_id: str, user: str,
        role: str = typer.Option(..., "--role", help="account_manager, presales (PPTL), "
                                 "product, delivery or finance (zh or en label too)."),
        as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
    """Put USER on the deal's team in a role (a member already on it changes role)."""
    from kam.services import deal_team

    deal_team.add(open_ws(ctx, as_of), opp_id, user, role)
    _show(ctx, opp_id, fmt)


@app.command("remove")
def remove(ctx: typer.Context, opp_id: str, user: str, as_of: str = AsOfOpt,
           fmt: str = FormatOpt) -> None:
    """Take USER off the deal's team."""
    from kam.services import deal_team

    deal_team.remove(open_ws(ctx, as_of), opp_id, user)
    _show(ctx, opp_id, fmt)


@app.command("list")
def list_(ctx: typer.Context, opp_id: str, fmt: str = FormatOpt) -> None:
    """The owner and the members, with their role and line (客户线/产品线/交付线)."""
    _show(ctx, opp_id, fmt)
