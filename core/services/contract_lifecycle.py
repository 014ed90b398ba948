"""After signing: delivery (到货), acceptance (初验/终验), the handover form
(售前与工程实施交接单), closing (结项) and termination. Delivery and final acceptance
are the triggers that give their milestones a due date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.models.states import ENDED, SIGNED
from kam.services import contract_plan as plans
from kam.services.common import atomic
from kam.services.receivables import of_contract
from kam.workspace import Workspace

if TYPE_CHECKING:
    from kam.services.results import Delivered, Stepped  # TypedDicts: typing only

HANDOVER_FIELDS = ("date", "sales_manager", "engineer", "pm", "product_scope",
                   "standard_quote", "implementation_fee", "start", "end", "training",
                   "scope", "commitments", "remarks")


def _signed(ws: Workspace, contract_id: str, what: str) -> dict[str, Any]:
    contract = ws.get("contract", contract_id)
    if contract["status"] not in SIGNED or contract["status"] in ENDED:
        raise RefusedError(f"contract {contract['id']} is {contract['status']}: only a signed "
                           f"contract can be {what}")
    return contract


def _day(ws: Workspace, date: str | None, after: dt.date | None, what: str) -> dt.date:
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    if after and on < after:
        raise InputError(f"--date: {on} is before {what} ({after})")
    return on


def _trigger(ws: Workspace, contract: dict[str, Any], trigger: str, on: dt.date
             ) -> list[dict[str, Any]]:
    """Due dates for the milestones started by ``trigger`` (writes; inside a mutation)."""
    done = []
    for r in of_contract(ws, contract["id"]):
        if plans.TRIGGERS[r["kind"]] != trigger or r.get("trigger_on"):
            continue
        due = plans.due_date(r["kind"], r.get("due_offset") or "", on,
                             contract.get("warranty_months"))
        changes = {"trigger_on": on, "due_date": due, "updated_at": ws.now()}
        ws.storage.update("receivable", r["id"], changes)
        done.append({**r, **changes})
    return done


def _step(ws: Workspace, contract: dict[str, Any], kind: str, action: str,
          changes: dict[str, Any], trigger: str | None, on: dt.date,
          extra: dict[str, Any] | None = None) -> Stepped:
    changes = {**changes, "updated_at": ws.now()}
    payload = {"on": on.isoformat(), **(extra or {})}
    with ws.mutation(kind, contract["id"], payload,
                     refs=[contract["opportunity_id"], contract["customer_id"]]) as m:
        started = _trigger(ws, contract, trigger, on) if trigger else []
        m.refs += [r["id"] for r in started]
        m.payload["due"] = {r["id"]: r["due_date"].isoformat() for r in started}
        ws.storage.update("contract", contract["id"], changes)
    updated = {**contract, **changes}
    ws.fire("kam_contract_event", contract=updated, action=action, event=m.event)
    return {"contract": updated, "due": started}


def overdue_advance(ws: Workspace, contract: dict[str, Any], on: dt.date
                    ) -> list[dict[str, Any]]:
    """The contract's down payments (首付款) overdue on ``on``, as receivable views."""
    from kam.models.receivable_state import receivable_view

    views = [receivable_view(r, on) for r in of_contract(ws, contract["id"])
             if r["kind"] == "down_payment"]
    return [v for v in views if v["days_overdue"] > 0]


def _describe(contract: dict[str, Any], late: list[dict[str, Any]]) -> str:
    cur = contract["currency"]
    return "; ".join(f"down payment {v['id']} ({values.fmt_money(v['amount'])} {cur}, "
                     f"{values.fmt_money(v['outstanding'])} outstanding) is "
                     f"{v['days_overdue']} days overdue" for v in late)


def hold_delivery(ws: Workspace) -> bool:
    """kam.toml ``[rules] hold_delivery_until_advance`` (default true): 款到才发货."""
    value = (ws.config.get("rules", {}) or {}).get("hold_delivery_until_advance", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "no", "0", "off", "")
    return bool(value)


@atomic
def deliver(ws: Workspace, contract_id: str, date: str | None = None, *,
            force: bool = False, reason: str | None = None) -> Delivered:
    """Delivery done (到货): on-delivery milestones fall due after their offset.

    While a down payment is overdue on the delivery date (款到才发货) the delivery is
    refused unless ``force`` with a ``reason``, which the event records with
    ``forced: true``; with ``[rules] hold_delivery_until_advance = false`` it goes
    ahead with a warning. The result's ``warnings`` lists what was let through.
    """
    contract = _signed(ws, contract_id, "delivered")
    if contract.get("delivered_on"):
        raise RefusedError(f"contract {contract['id']} was delivered on "
                           f"{contract['delivered_on']}")
    reason = (reason or "").strip()
    if force and not reason:
        raise InputError("--reason: a forced delivery needs a reason")
    on = _day(ws, date, contract["signed_on"], "the signing")
    late = overdue_advance(ws, contract, on)
    extra: dict[str, Any] = {}
    warnings: list[str] = []
    if late:
        what = _describe(contract, late)
        if force:
            extra = {"forced": True, "reason": reason,
                     "overdue": {v["id"]: v["days_overdue"] for v in late}}
            warnings.append(f"contract {contract['id']} delivered although {what} "
                            f"(forced: {reason})")
        elif hold_delivery(ws):
            raise RefusedError(f"contract {contract['id']}: {what}; delivery waits for the "
                               "advance (款到发货) — collect it, or pass --force --reason T")
        else:
            extra = {"overdue": {v["id"]: v["days_overdue"] for v in late}}
            warnings.append(f"contract {contract['id']} delivered although {what}")
    result = _step(ws, contract, "contract.delivered", "delivered",
                   {"delivered_on": on, "status": "executing"}, "delivered", on, extra)
    ws.warnings.extend(warnings)
    return {**result, "warnings": warnings}


@atomic
def accept(ws: Workspace, contract_id: str, date: str | None = None,
           stage: str = "final") -> Delivered:
    """Acceptance (验收): ``initial`` (初验) or ``final`` (终验); final acceptance starts
    the acceptance and warranty milestones."""
    contract = _signed(ws, contract_id, "accepted")
    stage = vocab.parse("acceptance_stage", stage)
    if not contract.get("delivered_on"):
        raise RefusedError(f"contract {contract['id']} is not delivered yet "
                           f"(kam contract deliver {contract['id']})")
    if contract.get("final_accepted_on"):
        raise RefusedError(f"contract {contract['id']} passed final acceptance on "
                           f"{contract['final_accepted_on']}")
    if stage == "initial":
        if contract.get("initial_accepted_on"):
            raise RefusedError(f"contract {contract['id']} passed initial acceptance on "
                               f"{contract['initial_accepted_on']}")
        on = _day(ws, date, contract["delivered_on"], "the delivery")
        return _accepted(ws, contract, on, {"initial_accepted_on": on, "status": "executing"},
                         None, "initial")
    on = _day(ws, date, contract.get("initial_accepted_on") or contract["delivered_on"],
              "the earlier acceptance")
    return _accepted(ws, contract, on, {"final_accepted_on": on, "status": "executing"},
                     "final_accepted", "final")


def _accepted(ws: Workspace, contract: dict[str, Any], on: dt.date, changes: dict[str, Any],
              trigger: str | None, stage: str) -> Delivered:
    """Record an acceptance; a down payment overdue on that day is a warning, not a stop."""
    late = overdue_advance(ws, contract, on)
    warnings = [f"contract {contract['id']} accepted ({stage}) although "
                f"{_describe(contract, late)}"] if late else []
    extra: dict[str, Any] = {"stage": stage}
    if late:
        extra["overdue"] = {v["id"]: v["days_overdue"] for v in late}
    result = _step(ws, contract, "contract.accepted", "accepted", changes, trigger, on, extra)
    ws.warnings.extend(warnings)
    return {**result, "warnings": warnings}


@atomic
def close(ws: Workspace, contract_id: str, date: str | None = None) -> Stepped:
    """Close the project (结项) after final acceptance and with final accounts (决算);
    open milestones stay collectable."""
    contract = _signed(ws, contract_id, "closed")
    if not contract.get("final_accepted_on"):
        raise RefusedError(f"contract {contract['id']} has no final acceptance yet "
                           f"(kam contract accept {contract['id']} --stage final)")
    from kam.services.contract_costs import has_final_accounts

    if not has_final_accounts(contract):
        raise RefusedError(f"contract {contract['id']} has no final accounts (决算) yet "
                           f"(kam contract cost {contract['id']} --stage final --category "
                           "CATEGORY AMOUNT)")
    on = _day(ws, date, contract["final_accepted_on"], "the final acceptance")
    return _step(ws, contract, "contract.closed", "closed",
                 {"closed_on": on, "status": "closed"}, None, on)


@atomic
def terminate(ws: Workspace, contract_id: str, reason: str,
              date: str | None = None) -> Stepped:
    """End a contract early (终止), with the reason; open milestones stay for write-off."""
    contract = ws.get("contract", contract_id)
    if contract["status"] in ENDED:
        raise RefusedError(f"contract {contract['id']} is already {contract['status']}")
    if not (reason or "").strip():
        raise InputError("--reason: a termination needs a reason")
    on = _day(ws, date, None, "")
    return _step(ws, contract, "contract.terminated", "terminated",
                 {"terminated_on": on, "status": "terminated", "reason": reason.strip()},
                 None, on, {"reason": reason.strip()})


@atomic
def handover(ws: Workspace, contract_id: str, **form: Any) -> dict[str, Any]:
    """The presales-to-implementation handover form (售前与工程实施交接单).

    Contract and customer numbers and the project are filled in; the rest merges
    into what was recorded before. Ticks the opportunity's handover task.
    """
    contract = _signed(ws, contract_id, "handed over")
    given = {k: v for k, v in form.items() if v not in (None, "")}
    unknown = set(given) - set(HANDOVER_FIELDS)
    if unknown:
        raise InputError(f"unknown handover field(s): {', '.join(sorted(unknown))}")
    for key in ("date", "start", "end"):
        if key in given:
            given[key] = values.date(given[key], f"--{key}").isoformat()
    for key in ("standard_quote", "implementation_fee"):
        if key in given:
            given[key] = values.fmt_money(values.money(given[key], f"--{key.replace('_', '-')}"))
    if given.get("start") and given.get("end") and given["end"] < given["start"]:
        raise InputError("--end: the implementation ends before it starts")
    opp = ws.get("opportunity", contract["opportunity_id"])
    customer = ws.get("customer", contract["customer_id"])
    form_out = {**(contract.get("handover") or {}), **given}
    form_out.setdefault("date", ws.today.isoformat())
    form_out |= {"contract_number": contract["number"], "customer_id": customer["id"],
                 "customer": customer["name"], "project": opp.get("title"),
                 "project_number": opp.get("number")}
    changes = {"handover": form_out, "updated_at": ws.now()}
    with ws.mutation("contract.handover", contract["id"], {"fields": sorted(given)},
                     refs=[opp["id"], customer["id"]]):
        ws.storage.update("contract", contract["id"], changes)
        from kam.services.opportunities import tick_in_mutation

        tick_in_mutation(ws, opp, ["implementation.handover"])
    return {**contract, **changes}
