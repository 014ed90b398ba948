"""Trials and proofs of concept (试用/POC, 002's 試用體驗環節) before bidding.

A trial is recorded with its scope, dates and success criteria, its result
(``pending`` until known); ``rules.trial_before_bidding`` makes entering 招投标 need a
passed one (plugins/rules_standard/gates.py).
"""

from __future__ import annotations

from typing import Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.services.common import atomic
from kam.workspace import Workspace


def _text(value: str | None, option: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError(f"{option}: required for a new trial")
    return text


@atomic
def record(ws: Workspace, opp_id: str, *, scope: str | None = None, start: str | None = None,
           end: str | None = None, criteria: str | None = None, result: str | None = None,
           trial: int | None = None) -> dict[str, Any]:
    """A new trial (scope, start, end, criteria required), or with ``trial`` (its number)
    the result of one recorded before."""
    opp = ws.get("opportunity", opp_id)
    trials = [dict(t) for t in opp.get("trials") or []]
    outcome = vocab.parse("trial_result", result) if result else None
    if trial is not None:
        if not 1 <= trial <= len(trials):
            raise InputError(f"--trial: {opp['id']} has no trial {trial} "
                             f"({len(trials)} recorded)")
        if outcome is None:
            raise InputError("--result: passed or failed, for the trial's result")
        entry = trials[trial - 1]
        if entry.get("result") not in (None, "pending"):
            raise RefusedError(f"trial {trial} of {opp['id']} already {entry['result']}: "
                               "record a new trial")
        entry.update(result=outcome, result_on=ws.today.isoformat(), result_by=ws.actor)
        kind = "opportunity.trial_result"
    else:
        if opp["status"] != "open":
            raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: no new trials")
        first = values.date(_text(start, "--start"), "--start")
        last = values.date(_text(end, "--end"), "--end")
        if last < first:
            raise InputError(f"--end: {last} is before --start {first}")
        entry = {"seq": len(trials) + 1, "scope": _text(scope, "--scope"),
                 "start": first.isoformat(), "end": last.isoformat(),
                 "criteria": _text(criteria, "--criteria"), "result": outcome or "pending",
                 "on": ws.today.isoformat(), "by": ws.actor}
        if outcome and outcome != "pending":
            entry.update(result_on=ws.today.isoformat(), result_by=ws.actor)
        trials.append(entry)
        kind = "opportunity.trial"
    with ws.mutation(kind, opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"], {"trials": trials, "updated_at": ws.now()})
    return {**opp, "trials": trials}
