"""kam template xlsx FILE — kam's own Excel template for kam load."""

from __future__ import annotations

import typer
from kam.cli.common import open_ws

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)


@app.command("template")
def template(
    ctx: typer.Context,
    kind: str = typer.Argument(..., metavar="xlsx", help="The template's format: xlsx."),
    file: str = typer.Argument(..., help="The workbook to write."),
) -> None:
    """Write an empty workbook to fill in and load: a sheet per kind, headers in the
    workspace's language, drop-down lists for enumerations, an example row."""
    from pathlib import Path

    from kam.errors import InputError
    from kam.services import load_template

    if kind.strip().lower() != "xlsx":
        raise InputError(f"template: {kind!r} is not a template format; use xlsx")
    typer.echo(str(load_template.write(open_ws(ctx), Path(file).expanduser())))
