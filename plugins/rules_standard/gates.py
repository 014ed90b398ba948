"""Stage-exit key nodes (关键节点) of the built-in stage models.

Each function returns the blocking findings — one per missing item — for leaving
a stage. Data the core does not track yet (e.g. contracts before that capability
exists) counts as missing, so the gate can only be passed with ``--force``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kam.api import KINDS, Finding, block, warn
from kam.plugins.rules_standard.bant import bant_missing

# kam.api's approval, evaluation (kam.models.evaluations, not kam.scoring's dataclasses)
# and case-analysis helpers load in the gates that use them: ``kam opp show`` asks a
# deal's own stage's gate only

Gate = Callable[[Any, dict, Any], list[Finding]]


def _required_tasks(ws: Any, opp: dict, pipeline: Any, stage: str) -> list[Finding]:
    """Checklist items the stage model marks required, plus ``rules.required_tasks``."""
    done = set(opp.get("checklist") or [])
    configured = set(ws.config.get("rules", {}).get("required_tasks", []) or [])
    return [
        block(f"task_{t.key}", f"checklist: {t.en} ({t.zh}) not done — kam opp check "
              f"{opp['id']} {stage}.{t.key}")
        for t in pipeline.stage(stage).tasks
        if (t.required or f"{stage}.{t.key}" in configured) and f"{stage}.{t.key}" not in done
    ]


def _contacts(ws: Any, opp: dict) -> list[dict]:
    return list(ws.storage.find("contact", {"customer_id": opp["customer_id"]}))


def _has_activity(ws: Any, opp: dict, types: tuple[str, ...]) -> bool:
    return ws.storage.count("activity", {"opportunity_id": opp["id"], "type__in": types}) > 0


def _contracts(ws: Any, opp: dict) -> list[dict]:
    if "contract" not in KINDS:
        return []
    return list(ws.storage.find("contract", {"opportunity_id": opp["id"]}))


def development(ws: Any, opp: dict, pipeline: Any) -> list[Finding]:
    out = bant_missing(opp, ws)
    customer = ws.storage.get("customer", opp["customer_id"]) or {}
    if not customer.get("grade"):
        out.append(block("customer_grade", f"customer {opp['customer_id']} not graded (A–D)"))
    if not (opp.get("competition") or "").strip():
        out.append(block("competition", "competition not recorded (--competition)"))
    if not (opp.get("decision_process") or "").strip():
        out.append(block("decision_process", "decision process not recorded (--decision-process)"))
    return out


_REPORT_FIELDS = (
    ("number", "project number (--number)"),
    ("customer_owner", "customer-side owner (--customer-owner)"),
    ("amount", "expected amount (--amount)"),
    ("margin", "gross-margin estimate (--margin)"),
    ("expense_budget", "sales expense budget (--expense-budget)"),
    ("category", "category (--category)"),
    ("close_date", "expected signing date (--close-date)"),
    ("importance", "importance grade (--importance)"),
)


def initiation(ws: Any, opp: dict, pipeline: Any) -> list[Finding]:
    from kam.api import IMPORTANT, MANAGEMENT, latest_decision

    out = [
        block(f"report_{name}", f"initiation report: {what} missing")
        for name, what in _REPORT_FIELDS
        if opp.get(name) in (None, "")
    ]
    if opp.get("amount") is not None and opp["amount"] <= 0:
        out.append(block("report_amount", "initiation report: expected amount must be above 0"))
    if opp.get("importance") in IMPORTANT:
        # the latest decision counts: a rejection after an approval revokes it
        latest = latest_decision(opp.get("approvals") or [], MANAGEMENT)
        if latest is None:
            out.append(
                block("approval", f"importance {opp['importance']} needs management approval "
                      f"(kam opp approve {opp['id']}, by a manager other than the owner)")
            )
        elif latest.get("decision") != "approved":
            out.append(
                block("approval", f"importance {opp['importance']} needs management approval: "
                      f"{latest.get('by')} rejected it on {latest.get('on')} (kam opp "
                      f"approve {opp['id']} once it is approved)")
            )
    return out


def proposal(ws: Any, opp: dict, pipeline: Any) -> list[Finding]:
    contacts = _contacts(ws, opp)
    out: list[Finding] = []
    if not any("decision_maker" in (c.get("roles") or []) for c in contacts):
        out.append(block("decision_maker", "no decision maker (决策者) in the decision chain"))
    if not any((c.get("coach") or "none") != "none" for c in contacts):
        out.append(block("coach", "no coach (向导) in the decision chain"))
    done = set(opp.get("checklist") or [])
    delivered = _has_activity(ws, opp, ("demo", "proposal")) or {
        "proposal.demo", "proposal.written_proposal"} & done
    if not delivered:
        out.append(block("proposal_delivered", "no proposal or demo delivered (log a demo/"
                         "proposal activity or check proposal.written_proposal)"))
    return out


def bidding(ws: Any, opp: dict, pipeline: Any) -> list[Finding]:
    out: list[Finding] = []
    won = [b for b in opp.get("bids") or [] if b.get("result") == "won"]
    if not won:
        out.append(block("bid_won", f"no winning bid (kam opp bid {opp['id']} --price N "
                         "--result won)"))
    floor = Decimal(str(ws.config.get("rules", {}).get("margin_floor", 10)))
    winning = won[-1] if won else {}
    margin = winning.get("margin") if winning.get("margin") is not None else opp.get("margin")
    if margin is None:
        out.append(block("margin", "gross margin unknown: margin check not possible"))
    elif Decimal(str(margin)) < floor and not winning.get("approved_by"):
        if winning:
            out.append(block("margin", f"the winning bid's gross margin {margin}% is below "
                             f"the floor {floor}% and its price was not approved"))
        else:
            out.append(block("margin", f"gross margin {margin}% is below the floor {floor}%: "
                             "quit and write the summary (kam opp abandon)"))
    return out


def negotiation(ws: Any, opp: dict, pipeline: Any) -> list[Finding]:
    """Nothing beyond the core: leaving the signing stage (``won_after``) of any stage
    model needs a signed contract, and the core checks that for every pipeline."""
    return []


def implementation(ws: Any, opp: dict, pipeline: Any) -> list[Finding]:
    contracts = _contracts(ws, opp)
    accepted = [c for c in contracts if c.get("final_accepted_on") or c.get("status") == "closed"]
    if not accepted:
        return [block("acceptance", "final acceptance not recorded (工程验收)")]
    return []


SIX_STAGE_GATES: dict[str, Gate] = {
    "development": development,
    "initiation": initiation,
    "proposal": proposal,
    "bidding": bidding,
    "negotiation": negotiation,
    "implementation": implementation,
}


def _dragon_gates() -> dict[str, Gate]:
    def analysis(ws: Any, opp: dict, p: Any) -> list[Finding]:
        return [block("need", "no clear opportunity: need not stated")] if not opp.get(
            "need") else []

    def trust(ws: Any, opp: dict, p: Any) -> list[Finding]:
        if not any(c.get("stance") == "supporter" for c in _contacts(ws, opp)):
            return [block("supporter", "no supporter in the decision chain")]
        return []

    def needs(ws: Any, opp: dict, p: Any) -> list[Finding]:
        return bant_missing(opp, ws)

    def value(ws: Any, opp: dict, p: Any) -> list[Finding]:
        if not _has_activity(ws, opp, ("demo", "proposal")):
            return [block("proposal_delivered", "no proposal or demo delivered")]
        return []

    return {
        "customer_analysis": analysis,
        "build_trust": trust,
        "dig_needs": needs,
        "present_value": value,
        "win_commitment": negotiation,
        "follow_up_service": implementation,
    }


GATES: dict[str, dict[str, Gate]] = {"six_stage": SIX_STAGE_GATES, "dragon_six": _dragon_gates()}


def min_score(ws: Any, opp: dict) -> list[Finding]:
    """``rules.min_score``: initiation (立项, leaving the first stage) needs the deal's
    latest evaluation (kam opp score) at or above it."""
    floor = ws.config.get("rules", {}).get("min_score")
    if floor is None:
        return []
    from kam.api import latest_evaluation

    minimum, current = Decimal(str(floor)), latest_evaluation(opp)
    if current is None:
        return [block("min_score", f"no evaluation: 立项 needs a score of at least "
                      f"{minimum:f} (kam opp score {opp['id']} --criterion KEY=VALUE ...)")]
    if Decimal(str(current["score"])) < minimum:
        return [block("min_score", f"evaluation score {current['score']} of "
                      f"{current['on']} is below the minimum {minimum:f} for 立项 "
                      "(rules.min_score)")]
    return []


def trial_passed(ws: Any, opp: dict) -> list[Finding]:
    """``rules.trial_before_bidding``: entering 招投标 needs a passed trial (试用/POC)."""
    if not ws.config.get("rules", {}).get("trial_before_bidding"):
        return []
    if any(t.get("result") == "passed" for t in opp.get("trials") or []):
        return []
    return [block("trial", f"no passed trial before bidding (kam opp trial {opp['id']} "
                  "--scope T --start D --end D --criteria T, then --trial N --result passed)")]


def stage_exit(ws: Any, opp: dict, pipeline: Any, stage: str, target: str) -> list[Finding]:
    gate = GATES.get(pipeline.key, {}).get(stage)
    found = gate(ws, opp, pipeline) if gate is not None else []
    if stage == pipeline.stages[0].key:
        found += min_score(ws, opp)
    if target == "bidding":
        found += trial_passed(ws, opp)
    return found + _required_tasks(ws, opp, pipeline, stage) + _withdrawal(opp)


def _withdrawal(opp: dict) -> list[Finding]:
    """撤出标准, in every stage model: a criterion met blocks leaving the stage (abandon
    the deal, or clear it); the others are shown to be checked before moving on."""
    out: list[Finding] = []
    criteria = opp.get("withdrawal_criteria") or []
    for n, c in enumerate(criteria, 1):
        if c.get("met_on"):
            out.append(block(f"withdrawal_{n}", f"withdrawal criterion {n} met on "
                             f"{c['met_on']} (撤出标准): {c.get('criterion')} — kam opp "
                             f"abandon {opp['id']} --reason T, or kam opp withdrawal "
                             f"{opp['id']} --clear {n}"))
    unmet = [c.get("criterion") for c in criteria if not c.get("met_on")]
    if unmet:
        out.append(warn("withdrawal_check", "check the withdrawal criteria (撤出标准) before "
                        "leaving: " + "; ".join(str(t) for t in unmet)))
    return out


def closed_deal(ws: Any, opp: dict) -> list[Finding]:
    """复盘: an important or very important deal (I/VI), once won or lost, owes its
    case-analysis report (案例分析报告) so the team learns from it."""
    from kam.api import needs_case_analysis

    if not needs_case_analysis(opp):
        return []
    return [warn("case_analysis_missing",
                 f"{opp.get('importance')} deal {opp['id']} was {opp['status']} without a "
                 f"case-analysis report (案例分析报告) — kam opp case-analysis {opp['id']} "
                 "--summary T")]
