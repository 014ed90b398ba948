"""The tender scoring sheet (招投标评分表) of a deal: the customer's weights and the
scores we expect for us and for each competitor (kam.models.tender computes the rest).

Recording a sheet replaces the one before (the ``opportunity.tender`` events keep the
history): a sheet is one estimate of one tender, revised as we learn more.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.models.tender import US
from kam.services.common import atomic
from kam.workspace import Workspace


def _score(value: str, option: str) -> str:
    return f"{values.percent(value, option):f}"


def _competitor(text: str) -> dict[str, str]:
    name, sep, scores = text.rpartition("=")
    tech, comma, comm = scores.partition(",")
    if not sep or not name.strip() or not comma:
        raise InputError(f"--competitor: {text!r} must be NAME=TECH,COMM")
    name = name.strip()
    if name.casefold() == US:
        raise InputError(f"--competitor: {name!r} is the name of our own row (use --ours)")
    option = f"--competitor {name}"
    return {"name": name, "technical": _score(tech, option),
            "commercial": _score(comm, option)}


@atomic
def record(ws: Workspace, opp_id: str, technical_weight: str, commercial_weight: str,
           ours: tuple[str, str], competitors: Sequence[str] = ()) -> dict[str, Any]:
    """Record the customer's scoring sheet on an open deal: weights adding to 100, our
    expected technical and commercial scores, and each competitor's (NAME=TECH,COMM)."""
    opp = ws.get("opportunity", opp_id)
    if opp["status"] != "open":
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: "
                           "no new tender sheet")
    tw = values.percent(technical_weight, "--technical-weight")
    cw = values.percent(commercial_weight, "--commercial-weight")
    if tw + cw != Decimal(100):
        raise InputError(f"--technical-weight {tw:f} and --commercial-weight {cw:f} "
                         "must add up to 100")
    rivals = [_competitor(c) for c in competitors]
    names = [r["name"].casefold() for r in rivals]
    if len(set(names)) != len(names):
        raise InputError("--competitor: each competitor once")
    sheet = {"technical_weight": f"{tw:f}", "commercial_weight": f"{cw:f}",
             "ours": {"technical": _score(ours[0], "--ours"),
                      "commercial": _score(ours[1], "--ours")},
             "competitors": rivals, "on": ws.today.isoformat(), "by": ws.actor}
    with ws.mutation("opportunity.tender", opp["id"], sheet, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"tender_sheet": sheet, "updated_at": ws.now()})
    return {**opp, "tender_sheet": sheet}
