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
    from kam.reports.aggregates import stage_reach

    # the database counts deals per (pipeline, status, furthest stage index reached)
    reached = list(stage_reach(ws).stage_reach(order, {"status__in": list(CLOSED)}))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, model in models.items():
        for i, stage in enumerate(model.stages):
            mine = [(status, n) for p, status, reach, n in reached if p == key and reach >= i]
            closed, won = sum(n for _s, n in mine), sum(n for s, n in mine if s == "won")
            if closed >= need:
                rate, basis = Decimal(won) / Decimal(closed), "history"
            else:
                rate, basis = Decimal(stage.probability) / 100, "model"
            out[(key, stage.key)] = {"rate": rate, "basis": basis, "closed": closed,
                                     "won": won}
    return out
