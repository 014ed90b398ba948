"""The tender scoring sheet (招投标评分表): how the customer will score the bids.

004: the customer's decision system is a scoring system — "技术占多少分…商务占多少分".
A sheet holds the technical and commercial weights (adding to 100) and each bidder's
expected technical and commercial scores (0–100 each); a bidder's expected total is
``technical × technical weight ÷ 100 + commercial × commercial weight ÷ 100``, two
places half up, and the rank counts the bidders with a higher total (ties share a rank).
Pure: the sheet in, the standings out; stored as the opportunity's ``tender_sheet``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

#: the bidder name our own row carries in the standings
US = "us"

#: a standings row's columns (``kam opp show``, the project card)
STANDING_COLUMNS = ["rank", "bidder", "technical", "commercial", "weighted_total"]


def weighted_total(technical: Decimal, commercial: Decimal, technical_weight: Decimal,
                   commercial_weight: Decimal) -> Decimal:
    """A bidder's expected weighted total (预计综合得分), 0–100, two places half up."""
    exact = (technical * technical_weight + commercial * commercial_weight) / HUNDRED
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def standings(sheet: dict[str, Any] | None) -> dict[str, Any] | None:
    """The sheet's bidders by expected weighted total, best first (we go first among
    equals, then competitors as entered), with their rank and ours; ``None`` without a
    sheet."""
    if not sheet:
        return None
    tw = Decimal(str(sheet["technical_weight"]))
    cw = Decimal(str(sheet["commercial_weight"]))
    ours = sheet["ours"]
    bidders: list[dict[str, Any]] = [{"bidder": US, "ours": True, **_scores(ours)}]
    bidders += [{"bidder": c["name"], "ours": False, **_scores(c)}
                for c in sheet.get("competitors") or []]
    totals = [weighted_total(Decimal(b["technical"]), Decimal(b["commercial"]), tw, cw)
              for b in bidders]
    for b, total in zip(bidders, totals, strict=True):
        b["rank"] = 1 + sum(1 for t in totals if t > total)
        b["weighted_total"] = f"{total:f}"
    bidders.sort(key=lambda b: (b["rank"], not b["ours"]))
    our_row = next(b for b in bidders if b["ours"])
    return {"technical_weight": sheet["technical_weight"],
            "commercial_weight": sheet["commercial_weight"],
            "bidders": [{k: b[k] for k in (*STANDING_COLUMNS, "ours")} for b in bidders],
            "our_total": our_row["weighted_total"], "our_rank": our_row["rank"],
            "on": sheet.get("on"), "by": sheet.get("by")}


def _scores(entry: dict[str, Any]) -> dict[str, str]:
    return {"technical": str(entry["technical"]), "commercial": str(entry["commercial"])}
