"""The standard reports, registered through ``kam_register_reports`` exactly as a
company's own reports would be. The builders live in ``kam.reports`` and load only
when a report runs. Marked ``trylast`` so a company plugin can replace one by name.
"""

from __future__ import annotations

import importlib
from typing import Any

from kam.api import hookimpl

__version__ = "0.1.0"

#: name → (module in kam.reports, function, description)
REPORTS: dict[str, tuple[str, str, str]] = {
    "pipeline": ("pipeline", "build", "Open opportunities by stage: count, amount, weighted"),
    "funnel": ("funnel", "build", "Stage-to-stage conversion and median days in stage"),
    "forecast": ("forecast", "build", "By period and forecast category, against targets"),
    "win-loss": ("win_loss", "build", "Won, lost and abandoned by reason, stage, owner"),
    "activity": ("activity", "build", "Calls per owner per week; stalled deals"),
    "targets": ("targets", "build", "Targets per owner and period against deals won"),
    "opportunity": ("cards", "opportunity", "The project card of one opportunity (ID)"),
    "account": ("cards", "account", "The account plan of one customer (ID)"),
    "aging": ("contracts", "aging", "Receivables outstanding by aging bucket"),
    "battle-map": ("battle_map", "battle_map", "作战地图: one row per contract in collection"),
    "handover": ("contracts", "handover", "The handover form of one contract (ID)"),
    "renewals": ("contracts", "renewals", "Contracts whose service ends soon; renewal deals"),
    "service": ("service", "build", "Satisfaction per customer and engineer, open complaints, "
                "service cost per contract and type"),
    "war-room": ("war_room", "build", "作战会: one deal's gates, decision chain, budget, risks"),
    "contract-pnl": ("contract_pnl", "build", "Contract P&L: 概算, 预算, 核算, 决算 and drift"),
    "scoring": ("scoring", "build", "Opportunity evaluation scores (商机评估) and their history"),
}


def _lazy(module: str, function: str) -> Any:
    def build(ws: Any, **options: Any) -> Any:
        mod = importlib.import_module(f"kam.reports.{module}")
        return getattr(mod, function)(ws, **options)

    build.__name__ = function
    return build


@hookimpl(trylast=True)
def kam_register_reports(register: Any) -> None:
    for name, (module, function, description) in REPORTS.items():
        register(name, _lazy(module, function), description)
