"""Reading a contract (合同): the record, its payment milestones (stored once signed,
else the plan's split) and the roles the rules require to approve it. Shared by
``contracts`` and ``contract_amendments``, which both build on it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kam.errors import RefusedError
from kam.models.states import SIGNED
from kam.services import contract_plan as plans
from kam.services.receivables import of_contract
from kam.workspace import Workspace


def get(ws: Workspace, contract_id: str) -> dict[str, Any]:
    """One contract (``NotFoundError``, exit 3, when there is none)."""
    return ws.get("contract", contract_id)


def milestones(ws: Workspace, contract: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored milestones once signed; before that, the plan split (not stored)."""
    if contract.get("signed_on") or contract["status"] in SIGNED:
        return of_contract(ws, contract["id"])
    return planned(contract)


def planned(contract: dict[str, Any]) -> list[dict[str, Any]]:
    plan = contract.get("plan") or []
    amounts = plans.split(plan, contract["amount"]) if plan else []
    return [{"seq": i + 1, "kind": p["kind"], "share": p["share"], "due_offset": p["offset"],
             "amount": a, "currency": contract["currency"], "paid": Decimal("0.00"),
             "due_date": None}
            for i, (p, a) in enumerate(zip(plan, amounts, strict=True))]


def required_roles(ws: Workspace, contract: dict[str, Any]) -> list[str]:
    """Who must approve (合同审批), from the required-approvals rule hooks, now.

    Approval and signing use :func:`kam.services.contracts.needed_roles`: the list
    stored at review.
    """
    roles = ws.plugins.collect("kam_required_approvals", ws=ws, contract=contract)
    out = []
    for role in roles:
        if not isinstance(role, str) or not role.strip():
            raise RefusedError(f"a required-approvals rule returned {role!r}, not a role name")
        out.append(role.strip())
    return list(dict.fromkeys(out))
