"""The hook specifications: the public API for plugin authors (see docs/hooks.md).

Three families:
- registration (called once per process, results cached): a ``register``
  callback is passed in so the core validates names and knows who supplied what;
- rules (return a list of :class:`kam.findings.Finding`; any ``block`` refuses the
  change; an exception in a rule refuses it too — fail closed);
- events (called after the change is committed; a failure is reported, never
  rolls anything back).

``ws`` is always the :class:`kam.workspace.Workspace`; records are plain dicts
with the JSON keys of cli.md (money as ``Decimal``, dates as ``datetime.date``).
"""

from __future__ import annotations

from typing import Any

from pluggy import HookspecMarker

hookspec = HookspecMarker("kam")


# --- registration -------------------------------------------------------------


@hookspec
def kam_register_storage(register: Any) -> None:
    """Register storage backends: ``register(name, factory)``.

    ``factory(path: pathlib.Path, config: dict) -> Storage`` opens (creating if
    needed) the backend's data inside the workspace folder ``path``. Import heavy
    modules inside the factory, not at plugin import time.
    """


@hookspec
def kam_register_formats(register: Any) -> None:
    """Register report output formats: ``register(name, render)``.

    ``render(report: kam.reports.Report, ws) -> str``.
    """


@hookspec
def kam_register_reports(register: Any) -> None:
    """Register reports: ``register(name, build, description)``.

    ``build(ws, **options) -> kam.reports.Report``; options are the report
    command's filters (``record_id``, ``owner``, ``customer``, ``currency``, …).
    """


@hookspec
def kam_register_pipelines(register: Any) -> None:
    """Register stage models: ``register(pipeline: kam.pipeline.Pipeline)``."""


@hookspec
def kam_register_fields(register: Any) -> None:
    """Declare custom fields: ``register(kind, name, parse, label="")``.

    ``parse(text: str) -> value`` validates a ``--field name=value`` input and
    returns the stored value (JSON-serialisable); raise ``ValueError`` to refuse.
    """


@hookspec
def kam_register_commands(app: Any) -> None:
    """Add CLI commands: ``app`` is the root ``typer.Typer``; add a group or a command."""


# --- rules ----------------------------------------------------------------------


@hookspec
def kam_qualify_lead(ws: Any, lead: dict, customer: dict) -> list:
    """Lead qualification (BANT by default). Return findings; ``block`` = not qualified."""


@hookspec
def kam_stage_exit(
    ws: Any, opportunity: dict, pipeline: Any, stage: str, target: str
) -> list:
    """Key-node check (关键节点) when ``opportunity`` leaves ``stage`` for ``target``.

    Return findings; each ``block`` is one missing item shown to the user.
    """


@hookspec
def kam_review_contract(ws: Any, contract: dict, milestones: list) -> list:
    """Contract review (合同评审): return findings; a ``block`` stops signing."""


@hookspec
def kam_required_approvals(ws: Any, contract: dict) -> list:
    """Who must approve a contract (合同审批): return a list of role names.

    Signing is refused until each returned role has an ``approved`` decision.
    """


# --- events (after commit) --------------------------------------------------------


@hookspec
def kam_event_committed(ws: Any, event: dict) -> None:
    """Every committed event (id, at, actor, kind, record_id, payload): audit, sync."""


@hookspec
def kam_stage_advanced(
    ws: Any, opportunity: dict, from_stage: str, to_stage: str, forced: bool, event: dict
) -> None:
    """An opportunity moved to another stage (``forced`` when its gate was overridden)."""


@hookspec
def kam_opportunity_closed(ws: Any, opportunity: dict, status: str, event: dict) -> None:
    """An opportunity left the pipeline: ``status`` is ``won``, ``lost`` or ``abandoned``."""


@hookspec
def kam_contract_event(ws: Any, contract: dict, action: str, event: dict) -> None:
    """A contract changed: ``action`` is signed, amended, delivered, accepted, closed
    or terminated."""


@hookspec
def kam_receivable_event(
    ws: Any, receivable: dict, action: str, level: int | None, event: dict
) -> None:
    """A payment milestone changed: ``action`` is due, overdue (with ``level`` in days,
    fired once per level), paid or written_off."""
