"""The methodology as ordinary plugin hooks: BANT, stage key nodes (关键节点), the
``six_stage`` and ``dragon_six`` models, a serious complaint escalated to the vice
president. Marked ``trylast`` so a company plugin
runs first; switch it off with ``KAM_DISABLE_PLUGINS=rules_standard``.
"""

from __future__ import annotations

from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"


@hookimpl(trylast=True)
def kam_register_pipelines(register: Any) -> None:
    from kam.plugins.rules_standard.pipelines import DRAGON_SIX, SIX_STAGE

    register(SIX_STAGE.key, SIX_STAGE)
    register(DRAGON_SIX.key, DRAGON_SIX)


@hookimpl(trylast=True)
def kam_register_evaluation_models(register: Any) -> None:
    from kam.plugins.rules_standard.evaluation import STANDARD

    register(STANDARD.key, STANDARD)


@hookimpl(trylast=True)
def kam_qualify_lead(ws: Any, lead: dict, customer: dict) -> list:
    from kam.plugins.rules_standard.bant import qualify

    return qualify(ws, lead, customer)


@hookimpl(trylast=True)
def kam_stage_exit(ws: Any, opportunity: dict, pipeline: Any, stage: str, target: str) -> list:
    from kam.plugins.rules_standard.gates import stage_exit

    return stage_exit(ws, opportunity, pipeline, stage, target)


@hookimpl(trylast=True)
def kam_review_closed_deal(ws: Any, opportunity: dict) -> list:
    from kam.plugins.rules_standard.gates import closed_deal

    return closed_deal(ws, opportunity)


@hookimpl(trylast=True)
def kam_review_contract(ws: Any, contract: dict, milestones: list) -> list:
    from kam.plugins.rules_standard.contracts import review

    return review(ws, contract, milestones)


@hookimpl(trylast=True)
def kam_customer_anomalies(ws: Any, customer: dict, overdue: list) -> list:
    from kam.plugins.rules_standard.anomalies import anomalies

    return anomalies(ws, customer, overdue)


@hookimpl
def kam_anomaly_candidates(ws: Any) -> dict[str, int]:
    """The standard rule flags ``low_credit`` only from ``rules.low_credit_days`` late."""
    from kam.plugins.rules_standard.anomalies import low_credit_days

    return {"low_credit": low_credit_days(ws)}


@hookimpl(trylast=True)
def kam_customer_matrix(ws: Any, customer: dict) -> list | None:
    from kam.plugins.rules_standard.anomalies import matrix

    return matrix(ws, customer)


@hookimpl(trylast=True)
def kam_required_approvals(ws: Any, contract: dict) -> list:
    from kam.plugins.rules_standard.contracts import required_approvals

    return required_approvals(ws, contract)


@hookimpl(trylast=True)
def kam_escalate_complaint(ws: Any, complaint: dict) -> list:
    from kam.plugins.rules_standard.service import escalate_complaint

    return escalate_complaint(ws, complaint)
