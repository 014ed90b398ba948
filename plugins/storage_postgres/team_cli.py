"""``kam team add|list``: the people of a postgres workspace are database users.

Adding one creates a LOGIN role in the group of its team role (sales, manager,
director, finance, admin); the database itself refuses it to anyone but an admin
or the workspace owner. How they authenticate (password, certificate, peer) is the
database administrator's choice: kam never handles passwords.
"""

from __future__ import annotations

from typing import Any

import typer
from kam.api import FormatOpt, InputError, emit, open_workspace

ROLES = ("sales", "manager", "director", "finance", "admin")


def _team_storage(ws: Any) -> Any:
    storage = ws.storage
    if not hasattr(storage, "team_add"):
        raise InputError(f"kam team needs a postgres workspace; this one is "
                         f"{storage.name}")
    return storage


def register(app: typer.Typer) -> None:
    team = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                       help="The team of a postgres workspace: database users and roles.")
    app.add_typer(team, name="team")

    @team.command("add")
    def add(ctx: typer.Context, name: str,
            role: str = typer.Option(..., "--role", help="sales, manager, director, finance "
                                     "or admin."),
            manager: str = typer.Option(None, "--manager", help="Their manager (a member)."),
            fmt: str = FormatOpt) -> None:
        """Add a person (or change their role): admins only, enforced by the database."""
        name = name.strip()
        if not name:
            raise InputError("NAME: a team member needs a name")
        if role not in ROLES:
            raise InputError(f"--role: {role!r} is not one of {', '.join(ROLES)}")
        ws = open_workspace(ctx)
        storage = _team_storage(ws)
        members = {m["name"] for m in storage.team()}
        if manager and manager not in members:
            raise InputError(f"--manager: {manager} is not in the team (kam team add "
                             f"{manager} --role manager)")
        entry = {"name": name, "role": role, "manager": manager}
        with ws.mutation("team.member_set", name, dict(entry)):
            storage.team_add(name, role, manager)
        emit(ctx, entry, fmt)

    @team.command("list")
    def members(ctx: typer.Context, fmt: str = FormatOpt) -> None:
        """Who is in the team, their role and manager."""
        ws = open_workspace(ctx)
        emit(ctx, _team_storage(ws).team(), fmt, ["name", "role", "manager"])
