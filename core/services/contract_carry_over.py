"""存量合同: a contract signed before the team used kam, brought in by ``kam load``.

Its review and approvals happened outside kam, so they cannot be checked or recorded
here; the signing is recorded as carried over, with the reason (the file it came from)
and the review findings kam would have raised, in a ``contract.carried_over`` event.
From then on it is a signed contract like any other: milestones scheduled from its
signing date, the deal won through its gates (forced, with the same reason), payments,
delivery and acceptance through the usual services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.models.receivable_state import receivable_view
from kam.models.states import UNSIGNED
from kam.services.common import atomic
from kam.services.contract_reading import get
from kam.services.contracts import SIGNING_TASKS, _schedule, review_findings
from kam.workspace import Workspace


@atomic
def carry_over(ws: Workspace, contract_id: str, on: dt.date, reason: str) -> dict[str, Any]:
    from kam.services.opportunities import win_by_signing

    contract = get(ws, contract_id)
    if not reason.strip():
        raise InputError("a carried-over contract needs a reason")
    if on > ws.today:
        raise InputError(f"signed_on: {on} is in the future (today is {ws.today})")
    if contract["status"] not in UNSIGNED:
        raise RefusedError(f"contract {contract['id']} is already {contract['status']}")
    opp = ws.get("opportunity", contract["opportunity_id"])
    findings = review_findings(ws, contract)
    rows = _schedule(contract, on)
    review = {"carried_over": True, "reason": reason, "on": on.isoformat()}
    changes = {"status": "signed", "signed_on": on, "review": review, "updated_at": ws.now()}
    payload = {"signed_on": on.isoformat(), "amount": values.fmt_money(contract["amount"]),
               "currency": contract["currency"], "milestones": len(rows), "reason": reason,
               "not_reviewed": [f.to_dict() for f in findings]}
    with ws.mutation("contract.carried_over", contract["id"], payload,
                     refs=[opp["id"], contract["customer_id"]]) as m:
        for row in rows:
            row["id"] = ws.storage.next_id("receivable")
            ws.storage.insert("receivable", row)
            m.refs.append(row["id"])
        ws.storage.update("contract", contract["id"], changes)
    updated = {**contract, **changes}
    ws.fire("kam_contract_event", contract=updated, action="signed", event=m.event)
    opp_after, _ = win_by_signing(ws, opp, contract["id"], on, SIGNING_TASKS, force=True,
                                  reason=reason)
    return {"contract": updated, "milestones": [receivable_view(r, ws.today) for r in rows],
            "opportunity": opp_after}
