"""Opportunities (项目/商机) and the stage gates (关键节点) they pass through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Unpack

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.findings import Finding, blocking
from kam.i18n import pick
from kam.pipeline import Pipeline
from kam.services.common import (
    atomic,
    clean_changes,
    dump,
    edit_payload,
    merge_fields,
    parse_fields,
    rows_of,
    validate,
)
from kam.storage import scope
from kam.workspace import PLUGIN_SETTINGS, Workspace

if TYPE_CHECKING:
    from kam.records import OpportunityChanges  # TypedDicts: costly to build, typing only
    from kam.services.results import Advanced, Moved

CLOSED = ("lost", "abandoned")
#: what ``advance`` imports, loaded before the write lock: the stage-gate rules of the
#: built-in rules plugin (when it is loaded), what they use, and the plugins' settings
#: that rules read
ADVANCE_LOADS = ("kam.models.case_analysis", "kam.models.states", "kam.models.evaluations",
                 "kam.plugins.rules_standard.pipelines", "kam.plugins.rules_standard.gates",
                 PLUGIN_SETTINGS)


def new_record(ws: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    """A validated opportunity in the first stage of its pipeline (not yet stored)."""
    from kam.models import Opportunity

    pipeline = ws.pipeline(data.get("pipeline"))
    first = pipeline.stages[0]
    data = clean_changes(data)
    data.setdefault("currency", ws.config.get("currency", "CNY"))
    data.setdefault("owner", ws.actor)
    now = ws.now()
    draft = validate(Opportunity, {
        "id": "OP0", "pipeline": pipeline.key, "stage": first.key,
        "probability": first.probability, "stage_entered_at": ws.today,
        "stage_history": [{"stage": first.key, "on": ws.today.isoformat(), "forced": False}],
        **data,
    })
    return dump(draft) | {"created_at": now, "updated_at": now}


@atomic
def add(ws: Workspace, customer_id: str, title: str, /, *, fields: Sequence[str] = (),
        **attrs: Unpack[OpportunityChanges]) -> dict[str, Any]:
    customer = ws.get("customer", customer_id)
    custom = parse_fields(ws, "opportunity", fields)
    given = dict(attrs)
    if given.get("renews_contract_id"):
        given["renews_contract_id"] = _renewed(ws, str(given["renews_contract_id"]),
                                               customer["id"])
    record = new_record(ws, {"customer_id": customer["id"], "title": title, "fields": custom,
                             **given})
    refs = [customer["id"], record.get("renews_contract_id") or ""]
    with ws.mutation("opportunity.added", refs=refs) as m:
        record["id"] = ws.storage.next_id("opportunity")
        ws.storage.insert("opportunity", record)
        m.record_id = record["id"]
        m.payload = {"title": record["title"], "stage": record["stage"],
                     "amount": values.fmt_money(record["amount"]), "currency": record["currency"]}
    return record


def _renewed(ws: Workspace, contract_id: str, customer_id: str) -> str:
    """续单: the contract a renewal deal renews, signed with the same customer."""
    from kam.models.states import SIGNED

    contract = ws.get("contract", contract_id)
    if contract["customer_id"] != customer_id:
        raise InputError(f"--renews: {contract['id']} is a contract of "
                         f"{contract['customer_id']}, not of {customer_id}")
    if contract["status"] not in (*SIGNED, "closed"):
        raise InputError(f"--renews: {contract['id']} is {contract['status']}; a renewal "
                         "renews a signed contract")
    return str(contract["id"])


def _open(opp: dict[str, Any]) -> None:
    if opp["status"] in CLOSED:
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}; it cannot change stage")


@atomic
def edit(ws: Workspace, opp_id: str, *, fields: Sequence[str] = (),
         **attrs: Unpack[OpportunityChanges]) -> dict[str, Any]:
    from kam.models import Opportunity

    current = ws.get("opportunity", opp_id)
    changes = clean_changes(attrs)
    if "authority_contact_id" in changes:
        contact = ws.get("contact", changes["authority_contact_id"])
        if contact["customer_id"] != current["customer_id"]:
            raise InputError(f"--authority: {contact['id']} is not a contact of "
                             f"{current['customer_id']}")
        changes["authority_contact_id"] = contact["id"]
    if changes.get("renews_contract_id"):
        changes["renews_contract_id"] = _renewed(ws, str(changes["renews_contract_id"]),
                                                 current["customer_id"])
    custom = parse_fields(ws, "opportunity", fields)
    if custom:
        changes["fields"] = merge_fields(current.get("fields"), custom)
    merged = dump(validate(Opportunity, {**current, **changes}))
    diff = {k: v for k, v in merged.items() if current.get(k) != v and k != "updated_at"}
    if not diff:
        return current
    diff["updated_at"] = ws.now()
    payload = edit_payload(current, diff)
    with ws.mutation("opportunity.edited", current["id"], payload,
                     refs=[current["customer_id"]]):
        ws.storage.update("opportunity", current["id"], diff)
    return {**current, **diff}


def gate(ws: Workspace, opp: dict[str, Any], target: str | None = None) -> list[Finding]:
    """What leaving the current stage needs: the stage-exit findings of every rule."""
    pipeline = ws.pipeline(opp["pipeline"])
    nxt = target or pipeline.next_stage(opp["stage"]) or "completed"
    return ws.plugins.rule("kam_stage_exit", ws=ws, opportunity=opp, pipeline=pipeline,
                           stage=opp["stage"], target=nxt) + _fields_needed(ws, opp,
                                                                            pipeline, nxt)


def forced_probability(ws: Workspace, probability: int) -> int:
    """Forcing a stage lowers the odds: the stage default less ``rules.force_penalty`` %."""
    penalty = Decimal(str(ws.config.get("rules", {}).get("force_penalty", 50)))
    return int((Decimal(probability) * (100 - penalty) / 100).to_integral_value())


def exits(ws: Workspace, opp: dict[str, Any], pipeline: Pipeline, start: int,
          target: int) -> list[tuple[str, str, list[Finding]]]:
    """Every stage exit between ``start`` and ``target``: (stage left, stage entered,
    findings of its key node). ``target == start`` on the last stage means completing."""
    last = len(pipeline.stages) - 1
    out = []
    for i in range(start, max(target, start + 1)):
        stage = pipeline.stages[i].key
        nxt = pipeline.stages[i + 1].key if i + 1 <= last else "completed"
        probe = opp | {"stage": stage}
        found = ws.plugins.rule("kam_stage_exit", ws=ws, opportunity=probe,
                                pipeline=pipeline, stage=stage, target=nxt)
        out.append((stage, nxt, found + _signing_needed(ws, probe, pipeline, stage)
                    + _fields_needed(ws, probe, pipeline, nxt)))
    return out


def _fields_needed(ws: Workspace, opp: dict[str, Any], pipeline: Pipeline,
                   target: str) -> list[Finding]:
    """Custom fields declared ``required_from`` a stage this deal is about to reach (or
    pass): each missing one blocks, credited to the plugin that declared it."""
    from kam.custom_fields import required_missing

    return required_missing(ws, "opportunity", opp, pipeline, target)


def _signing_needed(ws: Workspace, opp: dict[str, Any], pipeline: Pipeline,
                    stage: str) -> list[Finding]:
    """Core key node of every pipeline: leaving ``won_after`` means a signed contract."""
    if stage != pipeline.won_after or opp["status"] == "won":
        return []
    from kam.models.states import SIGNED

    if any(c.get("status") in SIGNED
           for c in ws.storage.find("contract", {"opportunity_id": opp["id"]})):
        return []
    return [Finding("block", "contract_signed",
                    "no approved and signed contract (合同审批和合同签订): sign it with "
                    "kam contract sign", "kam")]


@atomic(loads=ADVANCE_LOADS)
def advance(ws: Workspace, opp_id: str, to: str | None = None, *, force: bool = False,
            reason: str | None = None) -> Advanced:
    """Move to the next stage (or ``to``), checking the key node of every stage left.

    Returns ``{"opportunity", "from", "to", "forced", "findings"}``. A refused advance
    raises :class:`RefusedError` with the missing items and writes nothing.
    """
    opp = ws.get("opportunity", opp_id)
    _open(opp)
    pipeline = ws.pipeline(opp["pipeline"])
    if force and not (reason or "").strip():
        raise InputError("--force needs --reason: a forced advance is recorded with its reason")
    if opp.get("completed_at"):
        raise RefusedError(f"opportunity {opp['id']} is completed (结项); nothing to advance")
    start = pipeline.index(opp["stage"])
    last = len(pipeline.stages) - 1
    if to:
        target_key = pipeline.parse_stage(to)
        target = pipeline.index(target_key)
        if target <= start:
            raise InputError(f"--to {to}: {opp['id']} is already in {opp['stage']}; "
                             "advance moves forward only")
    else:
        target = start + 1 if start < last else start  # leaving the last stage completes it
    passages = exits(ws, opp, pipeline, start, target)
    findings = [f for _, _, found in passages for f in found]
    blocks = blocking(findings)
    if blocks and not force:
        raise RefusedError(
            f"opportunity {opp['id']} cannot leave {opp['stage']}: "
            + "; ".join(f.message for f in blocks), findings)
    result = move(ws, opp, pipeline, passages, reason, ws.today)
    return {"opportunity": result["opportunity"], "from": result["from"], "to": result["to"],
            "forced": result["forced"], "findings": findings}


def move(ws: Workspace, opp: dict[str, Any], pipeline: Pipeline,
         passages: list[tuple[str, str, list[Finding]]], reason: str | None,
         on: dt.date, note: str | None = None) -> Moved:
    """Write the stage exits that passed (or were forced): one ``opportunity.advanced``
    event per stage left, dated ``on`` (the business date), in the caller's transaction.

    A passage with blocking findings is forced: recorded with ``reason`` and the
    overridden findings, the deal marked forced and its odds lowered. Leaving the
    pipeline's ``won_after`` stage wins the deal (100 %, closed on ``on``).
    """
    history = list(opp.get("stage_history") or [])
    won_index = pipeline.index(pipeline.won_after) if pipeline.won_after else None
    changes: dict[str, Any] = {}
    payloads: list[dict[str, Any]] = []
    ever_forced = bool(opp.get("forced"))
    newly_won = False
    for stage, nxt, found in passages:
        blocks = blocking(found)
        forced = bool(blocks)
        ever_forced = ever_forced or forced
        why = reason if forced else note
        history.append({"stage": nxt, "on": on.isoformat(), "forced": forced, "reason": why})
        if nxt == "completed":
            changes["completed_at"] = on
        else:
            probability = pipeline.stage(nxt).probability
            changes |= {"stage": nxt, "stage_entered_at": on,
                        "probability": forced_probability(ws, probability) if ever_forced
                        else probability}
        if (won_index is not None and opp["status"] == "open" and not newly_won
                and pipeline.index(stage) >= won_index):
            newly_won = True
            changes |= {"status": "won", "closed_at": on, "forecast_category": "closed"}
        payloads.append({"from": stage, "to": nxt, "on": on.isoformat(), "forced": forced,
                         "reason": why, "overridden": [f.to_dict() for f in blocks]})
    if newly_won or opp["status"] == "won":
        changes["probability"] = 100  # a won deal is won, forced or not
    if ever_forced:
        changes["forced"] = True
    changes |= {"stage_history": history, "updated_at": ws.now()}
    events: list[dict[str, Any]] = []
    with ws.writing():
        for i, payload in enumerate(payloads):
            with ws.mutation("opportunity.advanced", opp["id"], payload,
                             refs=[opp["customer_id"]]) as m:
                if i == len(payloads) - 1:
                    ws.storage.update("opportunity", opp["id"], changes)
            events.append(m.event or {})
    updated = {**opp, **changes}
    for payload, event in zip(payloads, events, strict=True):
        ws.fire("kam_stage_advanced", opportunity=updated, from_stage=payload["from"],
                to_stage=payload["to"], forced=payload["forced"], event=event)
    if newly_won:
        ws.fire("kam_opportunity_closed", opportunity=updated, status="won", event=events[-1])
    first = payloads[0] if payloads else {"from": opp["stage"], "to": opp["stage"]}
    return {"opportunity": updated, "from": first["from"],
            "to": payloads[-1]["to"] if payloads else opp["stage"],
            "forced": any(p["forced"] for p in payloads)}


def tick_in_mutation(ws: Workspace, opp: dict[str, Any], tasks: Sequence[str]) -> dict[str, Any]:
    """Tick ``stage.task`` keys from inside another service's mutation (no event of its
    own; the caller's event records why). Unknown keys for the pipeline are skipped."""
    pipeline = ws.pipeline(opp["pipeline"])
    known = {f"{s.key}.{t.key}" for s in pipeline.stages for t in s.tasks}
    current = list(opp.get("checklist") or [])
    checklist = current + [k for k in dict.fromkeys(tasks) if k in known and k not in current]
    if checklist == current:
        return opp
    ws.storage.update("opportunity", opp["id"], {"checklist": checklist, "updated_at": ws.now()})
    return {**opp, "checklist": checklist}


def win_by_signing(ws: Workspace, opp: dict[str, Any], contract_id: str, on: dt.date,
                   tasks: Sequence[str] = (), *, force: bool = False,
                   reason: str | None = None) -> tuple[dict[str, Any], list[Finding]]:
    """A signed contract wins the deal, through the same gates as ``kam opp advance``.

    Called inside the signing transaction after the contract is written as signed,
    so the key node "contract signed" holds. Ticks ``tasks`` (the 签约成交 items the
    signing proves), then passes every stage exit from the deal's stage through
    ``pipeline.won_after``: refused with the missing items unless ``force`` (then
    recorded as a forced advance with ``reason``). Each stage left is an
    ``opportunity.advanced`` event dated ``on``. Returns the deal and the findings.
    """
    if opp["status"] != "open":
        return tick_in_mutation(ws, opp, tasks), []
    pipeline = ws.pipeline(opp["pipeline"])
    opp = tick_in_mutation(ws, opp, tasks)
    if not pipeline.won_after:  # a stage model without a signing stage: won where it is
        changes = {"status": "won", "closed_at": on, "forecast_category": "closed",
                   "probability": 100, "updated_at": ws.now()}
        with ws.mutation("opportunity.won", opp["id"],
                         {"on": on.isoformat(), "contract_id": contract_id},
                         refs=[opp["customer_id"], contract_id]) as m:
            ws.storage.update("opportunity", opp["id"], changes)
        updated = {**opp, **changes}
        ws.fire("kam_opportunity_closed", opportunity=updated, status="won", event=m.event)
        return updated, []
    start = pipeline.index(opp["stage"])
    target = pipeline.index(pipeline.won_after) + 1  # past the last stage: completes it
    passages = exits(ws, opp, pipeline, start, target)
    findings = [f for _, _, found in passages for f in found]
    blocks = blocking(findings)
    if blocks and not force:
        stage = pipeline.stage(opp["stage"]).label(ws.lang)
        raise RefusedError(
            f"opportunity {opp['id']} is in {stage} and its gates do not pass: "
            + "; ".join(f.message for f in blocks)
            + " (advance it first, or sign with --force --reason)", findings)
    if blocks and not (reason or "").strip():
        raise InputError("--force needs --reason: a forced signing is recorded with its reason")
    result = move(ws, opp, pipeline, passages, reason, on,
                  note=f"contract {contract_id} signed")
    return result["opportunity"], findings


@atomic
def set_checklist(ws: Workspace, opp_id: str, tasks: Sequence[str], done: bool) -> dict[str, Any]:
    """Tick (or untick) checklist items: ``stage.task``, a bare task key or its label."""
    opp = ws.get("opportunity", opp_id)
    pipeline = ws.pipeline(opp["pipeline"])
    keys = []
    for text in tasks:
        stage, task = pipeline.task(text)
        keys.append(f"{stage.key}.{task.key}")
    current = list(opp.get("checklist") or [])
    if done:
        checklist = current + [k for k in dict.fromkeys(keys) if k not in current]
    else:
        checklist = [k for k in current if k not in keys]
    if checklist == current:
        return opp
    kind = "opportunity.checked" if done else "opportunity.unchecked"
    with ws.mutation(kind, opp["id"], {"tasks": keys}, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"checklist": checklist, "updated_at": ws.now()})
    return {**opp, "checklist": checklist}


@atomic
def approve(ws: Workspace, opp_id: str, by: str | None = None, comment: str | None = None,
            reject: bool = False) -> dict[str, Any]:
    """Management approval of an important deal (I/VI), with who, when and why (留痕).

    The approver is the acting user (``by``, when given, must name them), never the
    deal's owner; with kam.toml ``[roles]`` they must hold ``management``. Only I/VI
    deals need it. The latest decision counts: a rejection revokes an approval.
    """
    from kam.services import approvals as who_may

    opp = ws.get("opportunity", opp_id)
    _open(opp)
    approver = who_may.approver(ws, by)
    if opp.get("importance") not in who_may.IMPORTANT:
        raise RefusedError(f"opportunity {opp['id']} has importance "
                           f"{opp.get('importance') or 'unset'}: nobody required a "
                           f"{who_may.MANAGEMENT} approval (only I and VI deals need one)")
    who_may.check(ws, approver, who_may.MANAGEMENT, owners=[opp.get("owner")],
                  what=f"opportunity {opp['id']}")
    entry = {"by": approver, "role": who_may.MANAGEMENT, "on": ws.today.isoformat(),
             "at": ws.now(), "decision": "rejected" if reject else "approved",
             "comment": comment or ""}
    approvals = list(opp.get("approvals") or []) + [entry]
    with ws.mutation("opportunity.approved" if not reject else "opportunity.rejected",
                     opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"approvals": approvals, "updated_at": ws.now()})
    return {**opp, "approvals": approvals}


@atomic
def close(ws: Workspace, opp_id: str, status: str, reason: str,
          summary: str | None = None, on: dt.date | None = None) -> dict[str, Any]:
    """Leave the pipeline as ``lost`` or ``abandoned`` (结项), with reason and summary."""
    opp = ws.get("opportunity", opp_id)
    if opp["status"] != "open":
        raise RefusedError(f"opportunity {opp['id']} is already {opp['status']}")
    if not (reason or "").strip():
        raise InputError("--reason is required")
    changes = {"status": status, "reason": reason.strip(), "summary": (summary or "").strip()
               or None, "closed_at": on or ws.today, "forecast_category": "omitted",
               "updated_at": ws.now()}
    payload = {"status": status, "reason": changes["reason"], "stage": opp["stage"],
               "on": (on or ws.today).isoformat()}
    with ws.mutation(f"opportunity.{status}", opp["id"], payload,
                     refs=[opp["customer_id"]]) as m:
        ws.storage.update("opportunity", opp["id"], changes)
    updated = {**opp, **changes}
    ws.fire("kam_opportunity_closed", opportunity=updated, status=status, event=m.event)
    return updated


def list_(ws: Workspace, *, stage: str | None = None, status: str | None = None,
          owner: str | None = None, customer: str | None = None,
          limit: int | None = None, member: str | None = None,
          fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Opportunities by stage, status, owner, customer; ``member``: the deals a user owns
    or is on the team (铁三角) of; ``fields``: only these columns (a table's)."""
    where: dict[str, Any] = {}
    if stage:
        where["stage"] = ws.pipeline().parse_stage(stage) if stage else None
    if status:
        where["status"] = vocab.parse("opp_status", status)
    where.update(scope(owner=owner, customer=customer))
    if member:
        from itertools import islice

        from kam.models.deal_team import works_on

        found = (o for o in ws.storage.find("opportunity", where) if works_on(o, member))
        return islice(found, limit) if limit else found
    return rows_of(ws, "opportunity", where, limit=limit, fields=fields)


def card(ws: Workspace, opp_id: str) -> dict[str, Any]:
    """The opportunity with its stage, checklist, what the next gate still needs, and
    its presales budget against what was spent."""
    from kam.services import presales

    opp = ws.get("opportunity", opp_id)
    pipeline = ws.pipeline(opp["pipeline"])
    stage = pipeline.stage(opp["stage"])
    done = set(opp.get("checklist") or [])
    checklist = [
        {"task": f"{stage.key}.{t.key}", "label": pick(ws.lang, t.zh, t.en),
         "required": t.required, "done": f"{stage.key}.{t.key}" in done}
        for t in stage.tasks
    ]
    nxt = pipeline.next_stage(stage.key)
    needs = [] if opp["status"] in CLOSED or opp.get("completed_at") else gate(ws, opp)
    # 复盘: what a won or lost deal still owes (its case-analysis report)
    review = ([] if opp["status"] == "open"
              else ws.plugins.rule("kam_review_closed_deal", ws=ws, opportunity=opp))
    from kam.acquisition import advice

    scenario = ws.get("customer", opp["customer_id"]).get("purchase_type")
    from kam.models.deal_team import members
    from kam.models.evaluations import latest_evaluation
    from kam.models.tender import standings

    team = members(opp)  # with each member's line of the 铁三角
    current = latest_evaluation(opp)
    return {
        "opportunity": opp,
        "stage_label": stage.label(ws.lang),
        "key_node": pick(ws.lang, stage.key_node_zh, stage.key_node_en),
        "customer_step": pick(ws.lang, stage.customer_step_zh, stage.customer_step_en),
        "start_condition": pick(ws.lang, stage.start_zh, stage.start_en),
        "next_stage": nxt,
        "checklist": checklist,
        "gate": [f.to_dict() for f in needs],
        "review": [f.to_dict() for f in review],
        "budget": presales.budget(ws, opp["id"]),
        "purchase_type": scenario,
        "acquisition_advice": advice(ws.lang, scenario),
        "team": team,
        # 商机评估: the latest evaluation's score, and every evaluation oldest first
        "score": current["score"] if current else None,
        "evaluations": sorted(opp.get("evaluations") or [], key=lambda e: e.get("on") or ""),
        "concessions": list(opp.get("concessions") or []),
        "trials": list(opp.get("trials") or []),
        # 招投标评分表: every bidder's expected weighted total and our rank (or null)
        "tender": standings(opp.get("tender_sheet")),
    }
