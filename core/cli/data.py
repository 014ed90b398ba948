"""kam export | import | doctor — the workspace's data as a whole."""

from __future__ import annotations

from pathlib import Path

import typer
from kam.cli.common import FormatOpt, emit, open_ws, say


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export(
        ctx: typer.Context,
        folder: str = typer.Argument(..., help="Folder to write (new, or an earlier export)."),
        redact: bool = typer.Option(False, "--redact", help="Drop contacts' personal and "
                                    "custom fields and activities' notes."),
        fmt: str = FormatOpt,
    ) -> None:
        """Write every record and event as CSV files plus a manifest (backend-neutral)."""
        from pathlib import Path

        from kam.services.exchange_export import export as write_export

        ws = open_ws(ctx)
        result = write_export(ws, Path(folder), redact=redact)
        emit(ctx, _flat(result), fmt)

    @app.command("import")
    def import_(
        ctx: typer.Context,
        folder: str = typer.Argument(..., help="A folder written by kam export."),
        fmt: str = FormatOpt,
    ) -> None:
        """Load an export into this empty workspace, in one transaction (all or nothing)."""
        import sys
        from pathlib import Path

        from kam.services.exchange import total_rows
        from kam.services.exchange_import import import_ as load_export

        ws = open_ws(ctx)
        if sys.stderr.isatty():
            total = total_rows(Path(folder))
            with typer.progressbar(length=total, label="importing", file=sys.stderr) as bar:
                result = load_export(ws, Path(folder), progress=bar.update)
        else:
            result = load_export(ws, Path(folder))
        emit(ctx, _flat(result), fmt)

    @app.command("doctor")
    def doctor(ctx: typer.Context, fmt: str = FormatOpt) -> None:
        """Check integrity, references, money invariants, event coverage, attachment
        hashes, kam.toml and dead event deliveries to plugins; exit 1 on any problem."""
        from kam.errors import InputError
        from kam.services.doctor import diagnose
        from kam.services.doctor_config import unloadable

        try:
            ws = open_ws(ctx)
        except InputError:
            broken = unloadable(_workspace_folder(ctx))
            if broken is None:
                raise
            result = broken
        else:
            result = diagnose(ws)
        if fmt == "json":
            emit(ctx, result, fmt)
        elif result["problems"] or fmt != "table":
            emit(ctx, result["problems"], fmt, ["check", "problem"], {"check": "doctor_check"})
        else:
            say(ctx, f"ok: {result['records']} records and {result['events']} events "
                f"checked ({', '.join(result['checks'])})")
        if result["problems"]:
            say(ctx, f"kam: doctor found {len(result['problems'])} problem(s)", err=True)
            raise typer.Exit(1)


def _workspace_folder(ctx: typer.Context) -> Path:
    from kam.cli.common import state
    from kam.workspace import default_path

    given = state(ctx).workspace
    return Path(given).expanduser() if given else default_path()


def _flat(result: dict) -> dict:
    """Summary with per-kind row counts as top-level keys (one table row per key)."""
    out = {k: v for k, v in result.items() if k != "rows"}
    for name, n in result.get("rows", {}).items():
        out[name] = n
    return out
