"""Acquisition advice by purchase scenario (采购场景): a customer who buys continuously
is won by getting onto its supplier list (入圈); one who buys occasionally by hearing
of the need early. ``opp show`` shows the advice for the deal's customer."""

from __future__ import annotations

from kam.i18n import pick

ADVICE: dict[str, tuple[str, str]] = {
    "continuous": ("持续购买：目标是入圈——进入合格供应商名录，先拿小单试用，再争取份额。",
                   "Continuous buyer: get onto the approved supplier list first (入圈), "
                   "win a trial order, then grow the share."),
    "occasional": ("偶发购买：目标是尽早获知需求——经营内线，跟踪立项与预算，抢在招标前影响标准。",
                   "Occasional buyer: hear of the need early — keep a coach inside, follow "
                   "project approval and budget, shape the criteria before the tender."),
}


def advice(lang: str, purchase_type: str | None) -> str | None:
    """The advice for a purchase scenario in ``lang``; None when the scenario is unknown."""
    found = ADVICE.get(purchase_type or "")
    return pick(lang, *found) if found else None
