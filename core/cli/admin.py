"""kam init | demo | config | plugins | history — the workspace itself."""

from __future__ import annotations

from pathlib import Path

import typer
from kam.cli.common import FormatOpt, emit, open_ws, say, state


def _workspace_path(ctx: typer.Context) -> Path:
    from kam.workspace import default_path

    st = state(ctx)
    return Path(st.workspace).expanduser() if st.workspace else default_path()


def _outbox_counts(ctx: typer.Context) -> dict[str, dict[str, int]] | None:
    """Pending and dead deliveries per plugin, when the workspace can be read (the
    list must work without one)."""
    from kam import outbox
    from kam.errors import KamError

    try:
        return outbox.counts(open_ws(ctx))
    except KamError:
        return None


def register(app: typer.Typer) -> None:
    config_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                             help="Read and change kam.toml.")
    plugins_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                              help="Installed plugins.")
    app.add_typer(config_app, name="config")
    app.add_typer(plugins_app, name="plugins")

    @app.command("init")
    def init(
        ctx: typer.Context,
        backend: str = typer.Option(None, "--backend", help="sqlite (default), csv, or a "
                                    "plugin's backend."),
        currency: str = typer.Option(None, "--currency", help="Default currency (CNY)."),
        lang: str = typer.Option(None, "--lang", help="zh or en."),
        pipeline: str = typer.Option(None, "--pipeline", help="Stage model (six_stage)."),
        dsn: str = typer.Option(None, "--dsn", help="postgres: the database (libpq DSN or "
                                "URI; else KAM_DSN or libpq's PG* variables and service "
                                "file). A password is never written to kam.toml."),
        fmt: str = FormatOpt,
    ) -> None:
        """Create a workspace: kam.toml and the data."""
        from kam.services import admin

        st = state(ctx)
        extra, saved = None, None
        if dsn:  # this command connects with it (password included); kam.toml keeps the rest
            import os

            from kam.config import without_password

            backend = backend or "postgres"  # a DSN names a database: the postgres backend
            extra = {"storage": {"dsn": without_password(dsn)}}
            saved = os.environ.get("KAM_DSN")
            os.environ["KAM_DSN"] = dsn
        try:
            result = admin.init(_workspace_path(ctx), st.plugins, backend=backend,
                                currency=currency, lang=lang or st.lang, pipeline=pipeline,
                                extra=extra)
        finally:
            if dsn:
                if saved is None:
                    os.environ.pop("KAM_DSN", None)
                else:
                    os.environ["KAM_DSN"] = saved
        emit(ctx, result, fmt)

    @app.command("demo")
    def demo(
        ctx: typer.Context,
        path: str = typer.Option("kam-demo", "--path", help="Where to build it."),
        backend: str = typer.Option(None, "--backend"),
    ) -> None:
        """Build a realistic sample workspace and show its pipeline."""
        from kam.demo import build_demo

        st = state(ctx)
        typer.echo(build_demo(Path(path), st.plugins, backend=backend, lang=st.lang))

    @app.command("history")
    def history(ctx: typer.Context, record_id: str, fmt: str = FormatOpt) -> None:
        """The events of any record: what changed, when, by whom."""
        from kam.services.history import for_table
        from kam.services.history import history as load

        ws = open_ws(ctx)
        events = load(ws, record_id)
        if fmt == "table":  # edits read old → new; json and csv keep the payload
            events = for_table(events)
        emit(ctx, events, fmt, ["id", "at", "actor", "kind", "record_id", "payload"])

    @config_app.command("get")
    def config_get(ctx: typer.Context, key: str) -> None:
        """Print one setting (dotted keys: rules.margin_floor)."""
        from kam.output import cell
        from kam.services import admin

        open_ws(ctx)
        typer.echo(cell(admin.config_get(_workspace_path(ctx), key)))

    @config_app.command("set")
    def config_set(ctx: typer.Context, key: str, value: str) -> None:
        """Change one setting."""
        from kam import config as kam_config
        from kam.config_schema import problems
        from kam.errors import InputError
        from kam.services import admin

        ws = None
        try:
            ws = open_ws(ctx)
        except InputError:
            # a kam.toml with a bad value opens nowhere: config set is how it is repaired
            if not problems(kam_config.load(_workspace_path(ctx), checked=False)):
                raise
        shown = admin.config_set(_workspace_path(ctx), key, value, ws=ws)
        say(ctx, f"{key} = {shown}")

    @plugins_app.command("list")
    def plugins_list(ctx: typer.Context, fmt: str = FormatOpt) -> None:
        """Each plugin: version, source (built-in / package / file), hooks, whether the
        workspace requires it, status, error, and its pending/dead event deliveries."""
        from kam.services import admin

        emit(ctx, admin.plugin_rows(state(ctx).plugins, _outbox_counts(ctx)), fmt,
             ["name", "version", "source", "hooks", "required", "status", "pending", "dead",
              "error"], {"status": "plugin_status", "source": "plugin_source"})

    @plugins_app.command("trust")
    def plugins_trust(
        ctx: typer.Context,
        path: str = typer.Argument(None, help="The workspace folder (default: this one)."),
        remove: bool = typer.Option(False, "--remove", help="Withdraw the trust."),
    ) -> None:
        """Trust a workspace: its kam.toml plugins_dir runs from now on (recorded in
        your config dir, outside the workspace)."""
        from kam import plugin_trust

        folder = Path(path).expanduser() if path else _workspace_path(ctx)
        key = plugin_trust.trust(folder, remove=remove)
        say(ctx, f"no longer trusted: {key}" if remove else f"trusted: {key}")

    @plugins_app.command("require")
    def plugins_require(
        ctx: typer.Context,
        name: str,
        remove: bool = typer.Option(False, "--remove", help="Stop requiring it."),
    ) -> None:
        """Require a plugin: while it is missing or fails to load, every change is
        refused (exit 4). kam init requires the rule plugins it was set up with."""
        from kam.services import admin

        ws = open_ws(ctx)
        wanted = admin.require_plugin(_workspace_path(ctx), state(ctx).plugins, name,
                                      remove=remove, ws=ws)
        say(ctx, f"plugins.required = {wanted}")
