"""Stage-to-win conversion (阶段赢单率) from the workspace's own history, for 漏斗裕量.

A closed deal (won, lost or abandoned) *reached* a stage when it started there or an
``opportunity.advanced`` event took it there or past it; a won deal passed every gate,
so it reached them all. A stage's conversion is won ÷ closed among the deals that
reached it. Below ``targets.conversion_min_deals`` (default 5) closed deals, the stage
model's own probability stands in (basis ``model``), so a young workspace still plans.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

CLOSED = ("won", "lost", "abandoned")


def stage_conversion(ws: Any, pipelines: set[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """(pipeline, stage) → {rate (0..1), basis ``history``|``model``, closed, won}."""
    need = int((ws.config.get("targets") or {}).get("conversion_min_deals", 5))
    models = {key: ws.pipeline(key) for key in sorted(pipelines)}
    order = {key: [s.key for s in m.stages] for key, m in models.items()}
    from kam.reports.aggregates import stage_moves
    from kam.reports.common import scan

    where = {"status__in": list(CLOSED), "pipeline__in": sorted(models)}
    moves = stage_moves(ws)  # the database picks the first stage and each move's target
    first_of = {opp_id: first for opp_id, first, _on, _created in moves.stage_starts(where)}
    furthest: dict[str, list[Any]] = {}  # id → [pipeline, furthest index, status]
    for opp in scan(ws, "opportunity", ("id", "pipeline", "status"), where):
        stages = order[opp["pipeline"]]
        first = first_of.get(opp["id"]) or stages[0]
        start = stages.index(first) if first in stages else 0
        reach = len(stages) - 1 if opp["status"] == "won" else start
        furthest[opp["id"]] = [opp["pipeline"], reach, opp["status"]]
    for record_id, _kind, _at, _from, to, _stage, _on, _reason in moves.stage_moves(
            ("opportunity.advanced",)):
        st = furthest.get(record_id)
        if st is None:
            continue
        if to in order[st[0]]:
            st[1] = max(st[1], order[st[0]].index(to))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, model in models.items():
        for i, stage in enumerate(model.stages):
            mine = [s for s in furthest.values() if s[0] == key and s[1] >= i]
            closed, won = len(mine), sum(1 for s in mine if s[2] == "won")
            if closed >= need:
                rate, basis = Decimal(won) / Decimal(closed), "history"
            else:
                rate, basis = Decimal(stage.probability) / 100, "model"
            out[(key, stage.key)] = {"rate": rate, "basis": basis, "closed": closed,
                                     "won": won}
    return out
