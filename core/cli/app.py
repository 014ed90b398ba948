"""The ``kam`` command line: a typer app built by a factory, one sub-app per noun.

Start-up stays light: only typer, pluggy and the plugins' light modules load for
``kam --help`` (when kam.cli.help_cache cannot answer it); services, storage,
tabulate and pydantic load inside commands.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import typer
from kam.cli import outcome
from kam.collector import started
from kam.errors import KamError
from typer._click.exceptions import UsageError  # typer's own click: what it raises
from typer.core import TyperGroup

#: Sub-apps by command name: (module with a module-level ``app``, one-line help).
#: They are imported only when used, so ``kam --help`` stays fast.
SUBAPPS: dict[str, tuple[str, str]] = {
    "customer": ("kam.cli.customer", "Customers (客户)."),
    "contact": ("kam.cli.contact", "Contacts and the decision chain (决策链)."),
    "lead": ("kam.cli.lead", "Leads and BANT qualification (线索)."),
    "opp": ("kam.cli.opp", "Opportunities and stage gates (商机)."),
    "expense": ("kam.cli.expense", "Presales expenses against a deal's budget (售前费用)."),
    "activity": ("kam.cli.activity", "Visits, calls, meetings (拜访)."),
    "contract": ("kam.cli.contract", "Contracts: review, approval, signing (合同)."),
    "delivery": ("kam.cli.delivery", "Deliveries: request, review, outbound, customer "
                 "confirmation (发货)."),
    "pay": ("kam.cli.pay", "Payments received (回款)."),
    "receivable": ("kam.cli.receivable", "Payment milestones and write-offs (应收)."),
    "invoice": ("kam.cli.invoice", "Invoices (开票)."),
    "report": ("kam.cli.report", "Reports: pipeline, funnel, forecast, aging, battle map (报表)."),
    "target": ("kam.cli.target", "Sales targets per owner and period (目标)."),
    "service": ("kam.cli.service", "After-sales service and satisfaction surveys (客户服务)."),
    "complaint": ("kam.cli.complaint", "Customer complaints, replies, escalation (投诉)."),
    "plan": ("kam.cli.plan", "Visit plans per owner: month, week or day (拜访计划)."),
    "load": ("kam.cli.load", "Load records from Excel, CSV or another CRM (导入)."),
    "template": ("kam.cli.template", "Write kam's Excel template for kam load."),
    "events": ("kam.cli.events", "Event deliveries to plugins: outbox and retries."),
}


class KamGroup(TyperGroup):
    """Turns domain errors into one line on stderr and the exit code of cli.md,
    and loads the noun sub-apps lazily."""

    lazy: dict[str, tuple[str, str]] = {}
    plugins: Any = None
    #: kam's own root commands left unbuilt while a noun's command runs (see main)
    unbuilt: frozenset[str] = frozenset()

    def _own(self, name: str | None) -> bool:
        """Whether ``name`` is one of kam's own commands (built, lazy or left unbuilt)."""
        return name in self.commands or name in self.lazy or name in self.unbuilt

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Before the command line is parsed: read the workspace's plugin settings
        (kam.toml ``plugins_dir``, ``[plugins] disabled``), then let the plugins add
        their commands, so a plugin from ``plugins_dir`` has its commands and a
        disabled one has none."""
        argv = list(sys.argv[1:] if args is None else args)
        bad = outcome.control_characters(argv)
        if bad:
            typer.echo(f"kam: {bad}", err=True)
            raise SystemExit(2)
        self._add_plugin_commands(argv)
        return super().main(args, *rest, **kwargs)

    def _add_plugin_commands(self, argv: list[str]) -> None:
        pm = self.plugins
        if pm is None or getattr(self, "_plugin_commands", False):
            return
        self._plugin_commands = True
        from kam.plugin_discovery import workspace_folder

        try:
            pm.configure(workspace_folder(argv))
        except Exception:  # noqa: S110 - Workspace.open reports a broken workspace
            pass
        scratch = typer.Typer(rich_markup_mode=None, add_completion=False)
        pm.register_commands(scratch)
        if not (scratch.registered_commands or scratch.registered_groups):
            return

        wanted = _command_word(argv)
        names = _command_names(scratch)
        if names is not None and self._own(wanted):
            # one of kam's own commands runs: the plugins' are named (a clash is still
            # reported), not built (~4 ms of typer conversion on every command)
            for name in names:
                if self._own(name):
                    pm.failures.append(f"plugin command {name!r} ignored: kam has its own")
            return

        @scratch.callback()
        def _plugins() -> None:  # makes the scratch app a group, even with one command
            pass

        group = typer.main.get_command(scratch)
        for name, command in getattr(group, "commands", {}).items():
            if self._own(name):
                pm.failures.append(f"plugin command {name!r} ignored: kam has its own")
                continue
            self.add_command(command, name)

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: Any, name: str) -> Any:
        if name in self.lazy and name not in self.commands:
            import importlib

            module_name, help_text = self.lazy[name]
            sub = importlib.import_module(module_name).app
            wanted = (ctx.meta.get(_SUBCOMMAND) or {}).get(name) if ctx is not None else None
            if wanted:
                # `kam opp list`: the group with `list` alone, kept apart from the whole
                one = self.__dict__.setdefault("_one", {})
                if (name, wanted) not in one:
                    one[name, wanted] = _one_command(sub, wanted, name, help_text)
                if one[name, wanted] is not None:
                    return one[name, wanted]
            command = typer.main.get_command(sub)
            command.name = name
            command.help = command.help or help_text
            self.commands[name] = command
        return super().get_command(ctx, name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """An unknown command that a plugin which failed to load may provide says so."""
        if len(args) > 1 and args[0] in self.lazy and not args[1].startswith("-"):
            ctx.meta.setdefault(_SUBCOMMAND, {})[args[0]] = args[1]
        name = args[0] if args else ""
        pm = self.plugins
        if (pm is not None and pm.load_errors and name and not name.startswith("-")
                and self.get_command(ctx, name) is None):
            error = pm.load_errors.get(name)
            if error is not None:
                from kam.errors import StorageError

                raise StorageError(f"{name!r} comes from plugin {name!r}, which failed to "
                                   f"load: {error.error}")
            failed = ", ".join(sorted(pm.load_errors))
            ctx.fail(f"No such command {name!r} (plugins that failed to load may provide "
                     f"it: {failed}; see kam plugins list)")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy and name not in self.commands:
                rows.append((name, self.lazy[name][1]))
                continue
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def make_context(self, info_name: Any, args: Any, parent: Any = None,
                     **extra: Any) -> Any:
        """The global options parsed: a usage error in them speaks the user's language."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            _usage_error(exc, exc.ctx)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KamError as exc:
            if getattr(ctx.obj, "debug", False):
                raise
            raise typer.Exit(outcome.kam_error(ctx, exc)) from None
        except BrokenPipeError:
            outcome.reader_gone()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, SystemExit):
            outcome.close(ctx)
            raise
        except UsageError as exc:
            outcome.close(ctx)
            _usage_error(exc, ctx)
        except OSError as exc:
            if outcome.debugging(ctx):
                raise
            raise typer.Exit(outcome.os_error(ctx, exc)) from None
        except Exception as exc:
            if outcome.debugging(ctx):
                raise
            if type(exc).__module__.startswith(("click", "typer")):
                raise
            raise typer.Exit(outcome.internal_error(ctx, exc)) from None
        finally:
            outcome.close(ctx)


def _command_word(argv: list[str]) -> str | None:
    """The command a ``kam`` command line runs (``opp`` in ``kam -w ws opp list``), or
    None (no command, ``--help``, ``--version``, ``--``)."""
    takes_value = {"--workspace", "-w", "--as-of", "--lang"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--help", "--version", "--"):
            return None
        if not arg.startswith("-"):
            return arg
        i += 2 if arg in takes_value else 1
    return None


def _command_names(scratch: typer.Typer) -> list[str] | None:
    """The names an app's commands (the plugins', or kam's root ones) will have, in
    typer's order, without building them; None when typer must build them to know (a
    group added without a name)."""
    name_of = typer.main.get_command_name
    names = [c.name or name_of(c.callback.__name__) for c in scratch.registered_commands
             if c.callback is not None]
    for group in scratch.registered_groups:
        if not isinstance(group.name, str) or not group.name:
            return None
        names.append(group.name)
    return list(dict.fromkeys(names))


#: ctx.meta key: the sub-command named after a noun (``list`` in ``kam opp list``)
_SUBCOMMAND = "kam.subcommand"


def _one_command(sub: typer.Typer, wanted: str, name: str, help_text: str) -> Any:
    """The noun's click group holding only the command (or sub-group) ``wanted``, as
    ``typer.main.get_command(sub)`` would build it: converting a noun's 20 commands
    and their options for the one that runs cost ~13 ms of every command. None when
    ``wanted`` is not exactly one of its names (then the whole group answers: help,
    suggestions, errors; a noun that is a single command)."""
    if not (sub.registered_callback or sub.info.callback or sub.registered_groups
            or len(sub.registered_commands) > 1):
        return None  # typer makes a one-command noun a command, not a group
    name_of = typer.main.get_command_name
    commands = [c for c in sub.registered_commands
                if (c.name or (c.callback and name_of(c.callback.__name__))) == wanted]
    groups = [g for g in sub.registered_groups if g.name == wanted]
    if len(commands) + len(groups) != 1:
        return None
    import copy

    only = copy.copy(sub)
    only.registered_commands, only.registered_groups = commands, groups
    group = typer.main.get_group(only)
    if sub._add_completion:
        group.params.extend(typer.main.get_install_completion_arguments())
    group.name = name
    group.help = group.help or help_text
    return group


def _usage_error(exc: UsageError, ctx: Any) -> NoReturn:
    """A usage error (missing option, no such option, invalid value): in zh and zh-Hant
    one line ``kam: …`` (kam.usage_errors), in English click's usage block; exit 2."""
    from kam.cli.common import output_lang
    from kam.text import visible
    from kam.usage_errors import usage_message

    lang = output_lang(ctx)
    if lang not in ("zh", "zh-Hant"):
        raise exc
    typer.echo(f"kam: {visible(usage_message(exc.format_message(), lang))}", err=True)
    raise typer.Exit(exc.exit_code)


def _print_version(value: bool) -> None:
    """``kam --version``: eager, so it answers before a command is required."""
    if value:
        from kam import __version__

        typer.echo(f"kam {__version__}")
        raise typer.Exit(0)


def make_app(plugins: Any = None) -> typer.Typer:
    """Build a fresh app: sub-apps and global options; the plugins' commands join when
    it runs (after the workspace's kam.toml plugin settings are read)."""
    from kam.cli import admin, check, data, today
    from kam.cli.common import State
    from kam.plugin_manager import Plugins

    pm = plugins if plugins is not None else Plugins()
    group = type("KamApp", (KamGroup,), {"lazy": dict(SUBAPPS), "plugins": pm})
    app = typer.Typer(
        cls=group,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        no_args_is_help=True,
        help="kam — key-account (大客户) sales from the first lead to the last payment.",
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        workspace: str = typer.Option(None, "--workspace", "-w", envvar="KAM_HOME",
                                      help="Workspace folder (default: KAM_HOME or the user "
                                      "data dir)."),
        as_of: str = typer.Option(None, "--as-of", help="Fix 'today' (YYYY-MM-DD)."),
        lang: str = typer.Option(None, "--lang", help="Labels: zh, zh-Hant or en (KAM_LANG; "
                                 "else kam.toml, else the locale)."),
        debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
        version: bool = typer.Option(False, "--version", is_eager=True,
                                     callback=_print_version, expose_value=True,
                                     help="Print the version."),
    ) -> None:
        if lang is not None:
            from kam.i18n import normalise

            chosen = normalise(lang)
            if chosen is None:
                from kam.cli.common import say

                say(ctx, f"kam: --lang: {lang!r} must be zh, zh-Hant or en", err=True)
                raise typer.Exit(2)
            lang = chosen
        ctx.obj = State(plugins=pm, workspace=workspace, as_of=as_of, lang=lang,
                        debug=debug or os.environ.get("KAM_DEBUG") == "1")
        code = outcome.plugin_failures(ctx, pm)
        if code is not None:
            raise typer.Exit(code)
        started()

    for module in (admin, check, data, today):
        module.register(app)
    # the plugins' commands are added by KamGroup.main, once the workspace's plugin
    # settings are known
    return app


def _noun_alone(app: typer.Typer, argv: list[str]) -> None:
    """``kam opp list``: kam's own root commands and groups (init, check, today,
    config, plugins, …) are named, not built — typer converted them all and their
    options (~3-5 ms) to run a noun's command. Any other command line (a root
    command, help, an unknown word) builds them all as before."""
    if _command_word(argv) not in SUBAPPS:
        return
    names = _command_names(app)
    if names is None:
        return
    app.info.cls.unbuilt = frozenset(names)  # type: ignore[union-attr]  # make_app's own
    app.registered_commands, app.registered_groups = [], []


def main(plugins: Any = None) -> None:
    app = make_app(plugins)
    _noun_alone(app, sys.argv[1:])
    try:
        app(prog_name="kam")
    except KeyboardInterrupt:
        from kam.cli.common import say

        say(None, "kam: interrupted", err=True)
        sys.exit(130)
