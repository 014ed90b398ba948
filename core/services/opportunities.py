"""Opportunities (项目/商机) and the stage gates (关键节点) they pass through."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.findings import Finding, blocking
from kam.pipeline import Pipeline
from kam.services.common import atomic, clean_changes, dump, edit_payload, parse_fields, validate
from kam.storage import scope
from kam.workspace import Workspace

CLOSED = ("lost", "abandoned")


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
def add(ws: Workspace, customer_id: str, title: str, *, fields: Sequence[str] = (),
        **attrs: Any) -> dict[str, Any]:
    customer = ws.get("customer", customer_id)
    custom = parse_fields(ws, "opportunity", fields)
    record = new_record(ws, {"customer_id": customer["id"], "title": title, "fields": custom,
                             **attrs})
    with ws.mutation("opportunity.added", refs=[customer["id"]]) as m:
        record["id"] = ws.storage.next_id("opportunity")
        ws.storage.insert("opportunity", record)
        m.record_id = record["id"]
        m.payload = {"title": record["title"], "stage": record["stage"],
                     "amount": values.fmt_money(record["amount"]), "currency": record["currency"]}
    return record


def _open(opp: dict[str, Any]) -> None:
    if opp["status"] in CLOSED:
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}; it cannot change stage")


@atomic
def edit(ws: Workspace, opp_id: str, *, fields: Sequence[str] = (), **attrs: Any) -> dict:
    from kam.models import Opportunity

    current = ws.get("opportunity", opp_id)
    changes = clean_changes(attrs)
    if "authority_contact_id" in changes:
        contact = ws.get("contact", changes["authority_contact_id"])
        if contact["customer_id"] != current["customer_id"]:
            raise InputError(f"--authority: {contact['id']} is not a contact of "
                             f"{current['customer_id']}")
        changes["authority_contact_id"] = contact["id"]
    custom = parse_fields(ws, "opportunity", fields)
    if custom:
        changes["fields"] = {**(current.get("fields") or {}), **custom}
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
                           stage=opp["stage"], target=nxt)


def forced_probability(ws: Workspace, probability: int) -> int:
    """Forcing a stage lowers the odds: the stage default less ``rules.force_penalty`` %."""
    penalty = Decimal(str(ws.config.get("rules", {}).get("force_penalty", 50)))
    return int((Decimal(probability) * (100 - penalty) / 100).to_integral_value())


@atomic
def advance(ws: Workspace, opp_id: str, to: str | None = None, *, force: bool = False,
            reason: str | None = None) -> dict[str, Any]:
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
    findings: list[Finding] = []
    for i in range(start, max(target, start + 1)):
        stage = pipeline.stages[i].key
        nxt = pipeline.stages[i + 1].key if i + 1 <= last else "completed"
        probe = opp | {"stage": stage}
        findings += ws.plugins.rule("kam_stage_exit", ws=ws, opportunity=probe,
                                    pipeline=pipeline, stage=stage, target=nxt)
    blocks = blocking(findings)
    if blocks and not force:
        raise RefusedError(
            f"opportunity {opp['id']} cannot leave {opp['stage']}: "
            + "; ".join(f.message for f in blocks), findings)
    forced = bool(blocks)
    return _move(ws, opp, pipeline, target, forced, reason if forced else None, findings)


def _move(ws: Workspace, opp: dict, pipeline: Pipeline, target: int, forced: bool,
          reason: str | None, findings: list[Finding]) -> dict[str, Any]:
    start = pipeline.index(opp["stage"])
    completing = target == start
    to_stage = pipeline.stages[target]
    changes: dict[str, Any] = {"updated_at": ws.now()}
    history = list(opp.get("stage_history") or [])
    if completing:
        changes["completed_at"] = ws.today
        history.append({"stage": "completed", "on": ws.today.isoformat(), "forced": forced,
                        "reason": reason})
    else:
        probability = to_stage.probability
        if forced or opp.get("forced"):
            probability = forced_probability(ws, probability)
        changes |= {"stage": to_stage.key, "probability": probability,
                    "stage_entered_at": ws.today}
        history.append({"stage": to_stage.key, "on": ws.today.isoformat(), "forced": forced,
                        "reason": reason})
    if forced:
        changes["forced"] = True
    changes["stage_history"] = history
    won_index = pipeline.index(pipeline.won_after) if pipeline.won_after else None
    newly_won = (won_index is not None and opp["status"] == "open"
                 and (target > won_index or (completing and start >= won_index)))
    if newly_won:
        changes |= {"status": "won", "closed_at": ws.today, "forecast_category": "closed"}
    payload = {
        "from": opp["stage"], "to": "completed" if completing else to_stage.key,
        "forced": forced, "reason": reason,
        "overridden": [f.to_dict() for f in blocking(findings)] if forced else [],
    }
    with ws.mutation("opportunity.advanced", opp["id"], payload,
                     refs=[opp["customer_id"]]) as m:
        ws.storage.update("opportunity", opp["id"], changes)
    updated = {**opp, **changes}

    def notify(event: dict) -> None:
        ws.fire("kam_stage_advanced", opportunity=updated, from_stage=opp["stage"],
                to_stage=payload["to"], forced=forced, event=event)
        if newly_won:
            ws.fire("kam_opportunity_closed", opportunity=updated, status="won", event=event)

    notify(m.event or {})
    return {"opportunity": updated, "from": opp["stage"], "to": payload["to"],
            "forced": forced, "findings": findings}


def tick_in_mutation(ws: Workspace, opp: dict, tasks: Sequence[str]) -> dict:
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


def win_in_mutation(ws: Workspace, opp: dict, contract_id: str, tasks: Sequence[str] = ()
                    ) -> tuple[dict, Any]:
    """A signed contract wins the deal: called inside the contract-signing mutation.

    Marks an open opportunity ``won`` and moves it from the stage whose exit means
    "signed" (``pipeline.won_after``) to the next one, with its stage history; ticks
    ``tasks`` (the 签约成交 checklist items the signing proves). Writes only; returns
    the updated record and ``notify(event)`` for the caller to run after commit.
    """
    pipeline = ws.pipeline(opp["pipeline"])
    changes: dict[str, Any] = {}
    moved_from = None
    if opp["status"] == "open":
        changes |= {"status": "won", "closed_at": ws.today, "forecast_category": "closed"}
        if pipeline.won_after and not opp.get("completed_at"):
            target = pipeline.index(pipeline.won_after) + 1
            if pipeline.index(opp["stage"]) < target < len(pipeline.stages):
                stage = pipeline.stages[target]
                probability = stage.probability
                if opp.get("forced"):
                    probability = forced_probability(ws, probability)
                history = list(opp.get("stage_history") or []) + [{
                    "stage": stage.key, "on": ws.today.isoformat(), "forced": False,
                    "reason": f"contract {contract_id} signed"}]
                changes |= {"stage": stage.key, "probability": probability,
                            "stage_entered_at": ws.today, "stage_history": history}
                moved_from = opp["stage"]
    if changes:
        changes["updated_at"] = ws.now()
        ws.storage.update("opportunity", opp["id"], changes)
    updated = tick_in_mutation(ws, {**opp, **changes}, tasks)
    newly_won = opp["status"] == "open"

    def notify(event: dict) -> None:
        if moved_from is not None:
            ws.fire("kam_stage_advanced", opportunity=updated, from_stage=moved_from,
                    to_stage=updated["stage"], forced=False, event=event)
        if newly_won:
            ws.fire("kam_opportunity_closed", opportunity=updated, status="won", event=event)

    return updated, notify


@atomic
def set_checklist(ws: Workspace, opp_id: str, tasks: Sequence[str], done: bool) -> dict:
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
def approve(ws: Workspace, opp_id: str, by: str, comment: str | None = None,
            reject: bool = False) -> dict:
    """Management approval of an important deal (I/VI), with who, when and why (留痕)."""
    opp = ws.get("opportunity", opp_id)
    _open(opp)
    if not (by or "").strip():
        raise InputError("--by: the approver's name is required")
    entry = {"by": by.strip(), "on": ws.today.isoformat(), "at": ws.now(),
             "decision": "rejected" if reject else "approved", "comment": comment or ""}
    approvals = list(opp.get("approvals") or []) + [entry]
    with ws.mutation("opportunity.approved" if not reject else "opportunity.rejected",
                     opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"approvals": approvals, "updated_at": ws.now()})
    return {**opp, "approvals": approvals}


@atomic
def bid(ws: Workspace, opp_id: str, price: str, date: str | None = None,
        result: str = "pending") -> dict:
    """Record a bid round (投标/议标) and its result."""
    opp = ws.get("opportunity", opp_id)
    _open(opp)
    entry = {
        "price": values.fmt_money(values.money(price, "--price")),
        "date": values.date(date, "--date").isoformat() if date else ws.today.isoformat(),
        "result": vocab.parse("bid_result", result),
        "by": ws.actor,
    }
    bids = list(opp.get("bids") or []) + [entry]
    with ws.mutation("opportunity.bid", opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"], {"bids": bids, "updated_at": ws.now()})
    return {**opp, "bids": bids}


@atomic
def close(ws: Workspace, opp_id: str, status: str, reason: str,
          summary: str | None = None) -> dict:
    """Leave the pipeline as ``lost`` or ``abandoned`` (结项), with reason and summary."""
    opp = ws.get("opportunity", opp_id)
    if opp["status"] != "open":
        raise RefusedError(f"opportunity {opp['id']} is already {opp['status']}")
    if not (reason or "").strip():
        raise InputError("--reason is required")
    changes = {"status": status, "reason": reason.strip(), "summary": (summary or "").strip()
               or None, "closed_at": ws.today, "forecast_category": "omitted",
               "updated_at": ws.now()}
    payload = {"status": status, "reason": changes["reason"], "stage": opp["stage"]}
    with ws.mutation(f"opportunity.{status}", opp["id"], payload,
                     refs=[opp["customer_id"]]) as m:
        ws.storage.update("opportunity", opp["id"], changes)
    updated = {**opp, **changes}
    ws.fire("kam_opportunity_closed", opportunity=updated, status=status, event=m.event)
    return updated


def list_(ws: Workspace, *, stage: str | None = None, status: str | None = None,
          owner: str | None = None, customer: str | None = None,
          limit: int | None = None) -> Iterator[dict]:
    where: dict[str, Any] = {}
    if stage:
        where["stage"] = ws.pipeline().parse_stage(stage) if stage else None
    if status:
        where["status"] = vocab.parse("opp_status", status)
    where.update(scope(owner=owner, customer=customer))
    return ws.storage.find("opportunity", where, limit=limit)


def card(ws: Workspace, opp_id: str) -> dict[str, Any]:
    """The opportunity with its stage, checklist and what the next gate still needs."""
    opp = ws.get("opportunity", opp_id)
    pipeline = ws.pipeline(opp["pipeline"])
    stage = pipeline.stage(opp["stage"])
    done = set(opp.get("checklist") or [])
    checklist = [
        {"task": f"{stage.key}.{t.key}", "label": t.zh if ws.lang == "zh" else t.en,
         "required": t.required, "done": f"{stage.key}.{t.key}" in done}
        for t in stage.tasks
    ]
    nxt = pipeline.next_stage(stage.key)
    needs = [] if opp["status"] in CLOSED or opp.get("completed_at") else gate(ws, opp)
    return {
        "opportunity": opp,
        "stage_label": stage.label(ws.lang),
        "key_node": stage.key_node_zh if ws.lang == "zh" else stage.key_node_en,
        "customer_step": stage.customer_step_zh if ws.lang == "zh" else stage.customer_step_en,
        "next_stage": nxt,
        "checklist": checklist,
        "gate": [f.to_dict() for f in needs],
    }
