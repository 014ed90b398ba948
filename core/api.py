"""kam's public API: the one module plugin authors import from.

Everything a plugin needs is named here; every other ``kam`` module is private and
may change between releases (storage backends may also use the storage contract,
``kam.storage`` and ``kam.kinds``, and test themselves with ``kam.testing``; see
docs/hooks.md). Importing this module is light: names that need typer or the report
building blocks load on first use.

- ``hookimpl``: mark hook implementations (``@hookimpl``, ``@hookimpl(tryfirst=True)``,
  ``@hookimpl(wrapper=True)``).
- :class:`Workspace`: ``ws.get(kind, id)``, ``ws.find(kind, where)``,
  ``ws.plugin_config(name)``, ``ws.config``, ``ws.today``, ``ws.actor``, ``ws.lang``,
  ``ws.path``, ``ws.pipeline()``, ``ws.storage`` (the storage protocol).
- Records are plain dicts at run time, typed per kind: :class:`Customer`,
  :class:`Opportunity`, :class:`Contract`, ... (TypedDicts; :data:`Record` for any).
- Rules return :class:`Finding` lists made with :func:`block`, :func:`warn`,
  :func:`info`; stage models are :class:`Pipeline`/:class:`Stage`/:class:`Task`.
- Commands: :func:`open_workspace`, :func:`emit`, :data:`FormatOpt`, :data:`AsOfOpt`.
- A plugin's own tests: :func:`cli_app`; a backend's: :class:`StorageConformance`.
- Reports and formats: :class:`Report`, :class:`Table`, :class:`Chart`,
  :class:`Series`, :func:`column_header`, :func:`cell_text`, :func:`cell_rows` (a page
  of rows at a time), :func:`is_numeric`, :func:`neutralise`.
- Values by kam's one grammar (custom fields' parsers use them): :func:`parse_money`,
  :func:`parse_number`, :func:`parse_integer`, :func:`parse_date`, :func:`check_text`.
- Rule helpers: :func:`fmt_money`, :func:`latest_decision`, :data:`MANAGEMENT`,
  :data:`IMPORTANT`, :data:`KINDS`, :func:`plan_amounts`, :func:`planned_total`,
  :func:`needs_case_analysis`, :func:`milestone_state` (a payment milestone's state,
  outstanding and days overdue on a day: for a backend that makes them itself).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kam import __version__, hookimpl
from kam.errors import InputError, KamError, NotFoundError, RefusedError, StorageError
from kam.findings import Finding, block, info, warn
from kam.hookspecs import Record
from kam.plugin_results import PluginError

if TYPE_CHECKING:
    import typer
    from kam.cli.common import AsOfOpt, FormatOpt
    from kam.hook_types import (
        BuildReport,
        ParseField,
        RegisterConfig,
        RegisterEvaluationModel,
        RegisterField,
        RegisterFormat,
        RegisterPipeline,
        RegisterReport,
        RegisterStorage,
        RenderFormat,
        StorageFactory,
    )
    from kam.i18n import is_zh, pick
    from kam.kinds import KINDS
    from kam.models.case_analysis import needs_case_analysis
    from kam.models.evaluations import latest_evaluation
    from kam.models.receivable_state import milestone_state
    from kam.output import neutralise
    from kam.pipeline import Pipeline, Stage, Task
    from kam.records import (  # typed per kind, generated from kam.kinds (docs/json.md)
        Activity,
        Attachment,
        Contact,
        Contract,
        Customer,
        Event,
        Invoice,
        Lead,
        Opportunity,
        Payment,
        Receivable,
        Target,
    )
    from kam.reports import Chart, Report, Series, Table
    from kam.reports.cell_pages import shown_rows as cell_rows
    from kam.reports.labels import column_header, is_numeric
    from kam.reports.labels import shown as cell_text
    from kam.scoring import Criterion, EvaluationModel, Level
    from kam.services.approvals import IMPORTANT, MANAGEMENT, latest_decision
    from kam.services.contract_plan import planned_total
    from kam.services.contract_plan import split as plan_amounts
    from kam.testing import StorageConformance
    from kam.text import check as check_text
    from kam.values import date as parse_date
    from kam.values import fmt_money
    from kam.values import integer as parse_integer
    from kam.values import money as parse_money
    from kam.values import number as parse_number
    from kam.workspace import Workspace


#: public name → (private module, attribute): loaded on first use, keeping import light
_LAZY: dict[str, tuple[str, str]] = {
    "Workspace": ("kam.workspace", "Workspace"),
    "Pipeline": ("kam.pipeline", "Pipeline"),
    "Stage": ("kam.pipeline", "Stage"),
    "Task": ("kam.pipeline", "Task"),
    "EvaluationModel": ("kam.scoring", "EvaluationModel"),
    "Criterion": ("kam.scoring", "Criterion"),
    "Level": ("kam.scoring", "Level"),
    "latest_evaluation": ("kam.models.evaluations", "latest_evaluation"),
    **{name: ("kam.hook_types", name) for name in (
        "BuildReport", "ParseField", "RegisterConfig", "RegisterField", "RegisterFormat",
        "RegisterPipeline", "RegisterEvaluationModel",
        "RegisterReport", "RegisterStorage", "RenderFormat", "StorageFactory")},
    "FormatOpt": ("kam.cli.common", "FormatOpt"),
    "AsOfOpt": ("kam.cli.common", "AsOfOpt"),
    "Report": ("kam.reports", "Report"),
    "Table": ("kam.reports", "Table"),
    "Chart": ("kam.reports", "Chart"),
    "Series": ("kam.reports", "Series"),
    "column_header": ("kam.reports.labels", "column_header"),
    "cell_text": ("kam.reports.labels", "shown"),
    "cell_rows": ("kam.reports.cell_pages", "shown_rows"),
    "is_numeric": ("kam.reports.labels", "is_numeric"),
    "neutralise": ("kam.output", "neutralise"),
    "fmt_money": ("kam.values", "fmt_money"),
    # the typed records: TypedDicts, for annotations (loaded when first named)
    **{name: ("kam.records", name) for name in (
        "Activity", "Attachment", "Contact", "Contract", "Customer", "Event", "Invoice",
        "Lead", "Opportunity", "Payment", "Receivable", "Target")},
    "pick": ("kam.i18n", "pick"),
    "is_zh": ("kam.i18n", "is_zh"),
    "parse_money": ("kam.values", "money"),
    "parse_number": ("kam.values", "number"),
    "parse_integer": ("kam.values", "integer"),
    "parse_date": ("kam.values", "date"),
    "check_text": ("kam.text", "check"),
    "latest_decision": ("kam.services.approvals", "latest_decision"),
    "MANAGEMENT": ("kam.services.approvals", "MANAGEMENT"),
    "IMPORTANT": ("kam.services.approvals", "IMPORTANT"),
    "KINDS": ("kam.kinds", "KINDS"),
    "StorageConformance": ("kam.testing", "StorageConformance"),
    "plan_amounts": ("kam.services.contract_plan", "split"),
    "planned_total": ("kam.services.contract_plan", "planned_total"),
    "needs_case_analysis": ("kam.models.case_analysis", "needs_case_analysis"),
    "milestone_state": ("kam.models.receivable_state", "milestone_state"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kam.api' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


def open_workspace(ctx: typer.Context, as_of: str | None = None) -> Workspace:
    """The workspace of a plugin command, honouring the global ``--workspace``,
    ``--as-of`` and ``--lang`` (and ``KAM_HOME``, ``KAM_TODAY``, ``KAM_LANG``).

    Opened once per command and closed by kam (which also prints ``ws.warnings``);
    pass the command's own ``--as-of`` (:data:`AsOfOpt`) as ``as_of``.
    """
    from kam.cli.common import open_ws

    ws: Workspace = open_ws(ctx, as_of)
    return ws


def emit(ctx: typer.Context, data: Any, fmt: str = "table",
         columns: list[str] | None = None) -> None:
    """Print ``data`` (a record, a list of records or a mapping) as kam prints its own
    results: ``fmt`` is ``table``, ``json`` or ``csv`` (:data:`FormatOpt`); ``columns``
    picks and orders the table/CSV columns (JSON always has every key). A bad
    ``fmt`` is an :class:`InputError` (exit 2)."""
    from kam.cli.common import emit as _emit

    _emit(ctx, data, fmt, columns)


def cli_app(*plugins: tuple[str, object]) -> typer.Typer:
    """kam's command line with ``plugins`` (``(name, module)`` pairs) registered in-process
    beside the installed ones: for a plugin's own tests, run with
    ``typer.testing.CliRunner().invoke(cli_app(("acme", plugin)), [...])``."""
    from kam.cli import make_app
    from kam.plugin_manager import Plugins

    manager = Plugins()
    for name, module in plugins:
        manager.register(module, name)
    return make_app(manager)


__all__ = [
    # plugins
    "hookimpl",
    "__version__",
    "PluginError",
    # the workspace and records
    "Workspace",
    "Record",
    "Customer",
    "Contact",
    "Lead",
    "Opportunity",
    "Activity",
    "Contract",
    "Receivable",
    "Payment",
    "Invoice",
    "Event",
    "Attachment",
    "Target",
    "KINDS",
    # rules
    "Finding",
    "block",
    "warn",
    "info",
    "fmt_money",
    "pick",
    "is_zh",
    # kam's one grammar for values a plugin reads (docs/guide.md, "Numbers, dates and text")
    "parse_money",
    "parse_number",
    "parse_integer",
    "parse_date",
    "check_text",
    "latest_decision",
    "MANAGEMENT",
    "IMPORTANT",
    "plan_amounts",
    "planned_total",
    "needs_case_analysis",
    "milestone_state",
    # stage models
    "Pipeline",
    "Stage",
    "Task",
    # opportunity evaluation models (商机评估)
    "EvaluationModel",
    "Criterion",
    "Level",
    "latest_evaluation",
    # errors a plugin may raise or catch
    "KamError",
    "RefusedError",
    "InputError",
    "NotFoundError",
    "StorageError",
    # register callbacks (for type annotations)
    "RegisterStorage",
    "StorageFactory",
    "RegisterFormat",
    "RenderFormat",
    "RegisterReport",
    "BuildReport",
    "RegisterPipeline",
    "RegisterEvaluationModel",
    "RegisterField",
    "ParseField",
    "RegisterConfig",
    # commands
    "open_workspace",
    "emit",
    "FormatOpt",
    "AsOfOpt",
    # reports and formats
    "Report",
    "Table",
    "Chart",
    "Series",
    "column_header",
    "cell_text",
    "cell_rows",
    "is_numeric",
    "neutralise",
    # a plugin's own tests
    "cli_app",
    "StorageConformance",
]
