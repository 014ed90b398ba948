"""Record a deal's case-analysis report (案例分析报告) after its win or loss: the
summary, the lessons, who wrote it and when, and an attachment kept like an expense
receipt (path, size, SHA-256). I/VI deals need one (kam.models.case_analysis); any
won or lost deal may have one. Writing it again replaces it (the event keeps the old).
"""

from __future__ import annotations

from typing import Any

from kam.errors import InputError, RefusedError
from kam.models.case_analysis import OUTCOMES
from kam.services.common import atomic
from kam.services.contract_evidence import kept_file
from kam.workspace import Workspace


@atomic
def record(ws: Workspace, opp_id: str, summary: str, lessons: str | None = None,
           file: str | None = None) -> dict[str, Any]:
    """Write the case analysis of a won or lost deal (exit 1 while it is open)."""
    opp = ws.get("opportunity", opp_id)
    text = " ".join((summary or "").split())
    if not text:
        raise InputError("--summary: say what happened in the deal")
    if opp["status"] not in OUTCOMES:
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: a case analysis "
                           "is written after a win or a loss")
    attachment = kept_file(file, "--file") if file else None
    entry = {"summary": text, "lessons": (lessons or "").strip() or None,
             "by": ws.actor or opp.get("owner") or None, "on": ws.today.isoformat(),
             "at": ws.now(), "attachment": attachment}
    payload = {**entry, "replaced": opp.get("case_analysis") or None}
    with ws.mutation("opportunity.case_analysis", opp["id"], payload,
                     refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"case_analysis": entry, "updated_at": ws.now()})
    return {**opp, "case_analysis": entry}
