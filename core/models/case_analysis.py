"""Which deals owe a case-analysis report (案例分析报告): an important (I) or very
important (VI) deal, once won or lost, is written up so the team learns from it. Pure,
so ``report win-loss``, ``kam today`` and the rule finding name the same deals.
"""

from __future__ import annotations

from typing import Any

#: the importance grades whose deals need a case analysis (重要, 非常重要)
IMPORTANCE = ("I", "VI")
#: the outcomes after which it is due (赢单, 丢单); an abandoned deal (结项) owes none
OUTCOMES = ("won", "lost")


def needs_case_analysis(opp: dict[str, Any]) -> bool:
    """The deal is I/VI, won or lost, and has no case analysis yet."""
    return (opp.get("importance") in IMPORTANCE and opp.get("status") in OUTCOMES
            and not (opp.get("case_analysis") or {}).get("summary"))
