"""Scored evaluations (商机评估) of an opportunity against an evaluation model.

Each ``kam opp score`` appends one evaluation to the deal's ``evaluations``: the model,
each criterion's level and points, the score, who and on which day. The latest is the
deal's score (the history stays), which ``rules.min_score`` may require before 立项.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kam import values
from kam.errors import InputError
from kam.services.common import atomic
from kam.workspace import Workspace


def _pairs(criteria: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in criteria:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"--criterion: {pair!r} must be KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


@atomic
def score(ws: Workspace, opp_id: str, criteria: Sequence[str], *, model: str | None = None,
          on: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Record an evaluation: every criterion of the model scored on its scale."""
    opp = ws.get("opportunity", opp_id)
    chosen = ws.evaluation_model(model)
    if not criteria:
        raise InputError(f"--criterion KEY=VALUE for each criterion of {chosen.key}: "
                         + ", ".join(c.key for c in chosen.criteria))
    day = values.date(on, "--date") if on else ws.today
    if day > ws.today:
        raise InputError(f"--date: {day} is in the future (today is {ws.today})")
    entry = {"model": chosen.key, **chosen.evaluate(_pairs(criteria)), "on": day.isoformat(),
             "by": ws.actor, "note": (note or "").strip() or None}
    evaluations = list(opp.get("evaluations") or []) + [entry]
    with ws.mutation("opportunity.scored", opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"],
                          {"evaluations": evaluations, "updated_at": ws.now()})
    return {**opp, "evaluations": evaluations}
