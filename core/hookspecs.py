"""The hook specifications: the public API for plugin authors (see docs/hooks.md).

Plugins import what they need from :mod:`kam.api`; these annotations are what mypy
checks a plugin against. Three families:

- registration (called once per process, results cached): a ``register`` callback
  is passed in so the core validates names and knows who supplied what; the return
  value is ignored (``None``);
- rules (return ``list[Finding]``; ``None`` means no findings, like ``[]``; any
  ``block`` refuses the change; an exception or any other result refuses it too,
  naming the plugin — fail closed);
- events (called after the change is committed; return ``None``, the value is
  ignored; a failure is reported naming the plugin and never rolls anything back).

Every hook is called through pluggy, so ``tryfirst``, ``trylast`` and
``wrapper=True`` behave as pluggy documents. ``ws`` is always the
:class:`kam.api.Workspace`; records are plain dicts with the JSON keys of the CLI
(money as ``Decimal``, dates as ``datetime.date``): see :data:`kam.api.Record`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pluggy import HookspecMarker

if TYPE_CHECKING:
    import typer
    from kam.findings import Finding
    from kam.hook_types import (
        RegisterConfig,
        RegisterEvaluationModel,
        RegisterField,
        RegisterFormat,
        RegisterPipeline,
        RegisterReport,
        RegisterStorage,
    )
    from kam.pipeline import Pipeline
    from kam.records import (
        Complaint,
        Contract,
        Customer,
        Event,
        Lead,
        Opportunity,
        Receivable,
    )
    from kam.workspace import Workspace

hookspec = HookspecMarker("kam")

#: A record: a plain dict with the JSON keys of the CLI (see docs/json.md).
Record = dict[str, Any]


# --- registration -------------------------------------------------------------
# Every registration hook also gets ``config``: the workspace's parsed kam.toml as far
# as it is known when the hook runs (``{}`` before a workspace is opened, e.g. for
# ``kam init``); accept it only if you need it (pluggy passes what you name).


@hookspec
def kam_register_storage(register: RegisterStorage, config: dict[str, Any]) -> None:
    """Register storage backends: ``register(name, factory)``.

    ``factory(path: pathlib.Path, config: dict) -> Storage`` opens (creating if
    needed) the backend's data inside the workspace folder ``path``. Import heavy
    modules inside the factory, not at plugin import time.
    """


@hookspec
def kam_register_formats(register: RegisterFormat, config: dict[str, Any]) -> None:
    """Register report output formats: ``register(name, render)``.

    ``render(report: kam.api.Report, ws) -> str`` (or ``bytes`` for a file-only format,
    or an iterator of ``str`` pieces written one after another, the last ending the text
    with a newline — how ``md`` streams a big report's rows).
    """


@hookspec
def kam_register_reports(register: RegisterReport, config: dict[str, Any]) -> None:
    """Register reports: ``register(name, build, description)``.

    ``build(ws, **options) -> kam.api.Report``; options are the report
    command's filters (``record_id``, ``owner``, ``customer``, ``currency``, …).
    """


@hookspec
def kam_register_pipelines(register: RegisterPipeline, config: dict[str, Any]) -> None:
    """Register stage models: ``register(key, pipeline: kam.api.Pipeline)``."""


@hookspec
def kam_register_evaluation_models(register: RegisterEvaluationModel,
                                   config: dict[str, Any]) -> None:
    """Register opportunity evaluation models (商机评估模型):
    ``register(key, model: kam.api.EvaluationModel)`` — criteria with weights and scales
    (``kam.api.Criterion``, ``kam.api.Level``). ``kam opp score`` uses
    ``rules.evaluation_model`` (default ``standard``) unless given ``--model``."""


@hookspec
def kam_register_fields(register: RegisterField, config: dict[str, Any]) -> None:
    """Declare custom fields: ``register(kind, name, parse, label="")``.

    ``parse(text: str) -> value`` validates a ``--field name=value`` input and
    returns the stored value (JSON-serialisable); raise ``ValueError`` to refuse.
    """


@hookspec
def kam_register_config(register: RegisterConfig, config: dict[str, Any]) -> None:
    """Declare the schema of your ``[name]`` table in kam.toml: ``register(name, schema)``,
    ``schema`` a pydantic model class (or a function ``dict -> dict`` raising
    ``ValueError``). ``ws.plugin_config(name)`` then returns the validated table, with
    defaults filled in; a bad value is one line naming the key (exit 2)."""


@hookspec
def kam_register_commands(app: typer.Typer, config: dict[str, Any]) -> None:
    """Add CLI commands: ``app`` is a ``typer.Typer``; add a group or a command.

    Called after the workspace's kam.toml plugin settings are read, before the
    command line is parsed.
    """


# --- rules ----------------------------------------------------------------------


@hookspec
def kam_qualify_lead(ws: Workspace, lead: Lead, customer: Customer) -> list[Finding] | None:
    """Lead qualification (BANT by default). Return findings (``None``: none);
    ``block`` = not qualified."""
    return None


@hookspec
def kam_stage_exit(
    ws: Workspace, opportunity: Opportunity, pipeline: Pipeline, stage: str, target: str
) -> list[Finding] | None:
    """Key-node check (关键节点) when ``opportunity`` leaves ``stage`` for ``target``.

    Return findings (``None``: none); each ``block`` is one missing item shown to the user.
    """
    return None


@hookspec
def kam_review_contract(
    ws: Workspace, contract: Contract, milestones: list[Receivable]
) -> list[Finding] | None:
    """Contract review (合同评审): return findings (``None``: none); a ``block`` stops
    signing."""
    return None


@hookspec
def kam_customer_anomalies(
    ws: Workspace, customer: Customer, overdue: list[Receivable]
) -> list[Finding] | None:
    """Anomaly rules (异常客户): asked by ``kam check`` about each customer with overdue
    milestones; each finding's ``code`` is a flag type (``low_credit`` …) raised on the
    customer for review, once while a flag of that type is open."""
    return None


@hookspec
def kam_anomaly_candidates(ws: Workspace) -> dict[str, int] | None:
    """Whom this plugin's anomaly rule (``kam_customer_anomalies``) could newly flag:
    ``{flag type: days}`` — only customers with money at least that many days overdue
    and no open flag of that type. When every anomaly rule declares its candidates,
    ``kam check`` asks the rules only about those customers (after a daily run, most
    days nobody); a rule that does not implement this, or returns ``None``, gets every
    customer with money overdue."""
    return None


@hookspec
def kam_review_closed_deal(ws: Workspace, opportunity: Opportunity) -> list[Finding] | None:
    """The review of a won or lost deal (复盘): return findings (``None``: none), shown on
    ``opp show`` and ``report war-room``. The standard rules name an I/VI deal still
    missing its case-analysis report (``case_analysis_missing``)."""
    return None


@hookspec
def kam_customer_matrix(ws: Workspace, customer: Customer) -> list[str] | None:
    """The customer matrix (客户矩阵: core, growth, traction, problem) from need ×
    relationship: return ``[key]`` (``None``: no opinion). The first key named wins
    (``tryfirst`` implementations before the standard rule)."""
    return None


@hookspec
def kam_required_approvals(ws: Workspace, contract: Contract) -> list[str] | None:
    """Who must approve a contract (合同审批): return a list of role names (``None``: none).

    Asked when the review passes; the roles are stored with the review, and signing is
    refused until each has an ``approved`` decision by someone other than the owner.
    """
    return None


@hookspec
def kam_record_bid(ws: Workspace, opportunity: Record, bid: Record) -> list[Finding] | None:
    """A bid or quote (投标/报价) is about to be recorded on ``opportunity``: ``bid`` has
    price, cost, margin, floor, competitors, approved_by, date, result and by (money
    as decimal strings). Return findings (``None``: none); a ``block`` refuses it."""
    return None


@hookspec
def kam_escalate_complaint(ws: Workspace, complaint: Complaint) -> list[str] | None:
    """Whom a complaint (投诉) must be escalated to: a list of user names (``None``: none).

    Asked when a complaint is added and by ``kam check`` while it is open and was never
    escalated; the first name returned is recorded as ``escalated_to``, once. The
    standard rules escalate a serious complaint to the vice president (kam.toml
    ``[service] vice_president``)."""
    return None


# --- events (after commit) --------------------------------------------------------


@hookspec
def kam_event_committed(ws: Workspace, event: Event) -> None:
    """Every committed event (id, at, actor, kind, record_id, payload): audit, sync."""


@hookspec
def kam_stage_advanced(
    ws: Workspace, opportunity: Opportunity, from_stage: str, to_stage: str, forced: bool,
    event: Event,
) -> None:
    """An opportunity moved to another stage (``forced`` when its gate was overridden)."""


@hookspec
def kam_opportunity_closed(ws: Workspace, opportunity: Opportunity, status: str,
                           event: Event) -> None:
    """An opportunity left the pipeline: ``status`` is ``won``, ``lost`` or ``abandoned``."""


@hookspec
def kam_contract_event(ws: Workspace, contract: Contract, action: str, event: Event) -> None:
    """A contract changed: ``action`` is signed, amended, delivered, accepted, closed
    or terminated; or ``renewal_due`` (kam check, once per service end)."""


@hookspec
def kam_receivable_event(
    ws: Workspace, receivable: Receivable, action: str, level: int | None, event: Event
) -> None:
    """A payment milestone changed: ``action`` is due, overdue (with ``level`` in days,
    fired once per level), paid or written_off."""


@hookspec
def kam_service_event(ws: Workspace, record: Record, action: str, event: Event) -> None:
    """After-sales service (客户服务): ``action`` is ``logged`` (``record`` is the new
    service record) or ``surveyed`` (``record`` is the satisfaction survey)."""


@hookspec
def kam_complaint_event(ws: Workspace, complaint: Complaint, action: str,
                        event: Event) -> None:
    """A complaint (投诉) changed: ``action`` is added, replied, escalated or closed."""
