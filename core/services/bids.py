"""Bid rounds (投标/议标) on an opportunity: the cost and margin check before the price,
the manager's approval below the margin floor, the competitors' prices, and the result
(a lost bid closes the deal)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.findings import blocking
from kam.services.common import atomic
from kam.services.opportunities import _open, close
from kam.workspace import Workspace


def _margin_floor(ws: Workspace) -> Decimal:
    return Decimal(str(ws.config.get("rules", {}).get("margin_floor", 10)))


def _competitors(pairs: Sequence[str]) -> list[dict[str, str]]:
    out = []
    for pair in pairs:
        name, sep, price = pair.rpartition("=")
        if not sep or not name.strip():
            raise InputError(f"--competitor: {pair!r} must be NAME=PRICE")
        out.append({"name": name.strip(),
                    "price": values.fmt_money(values.money(price, f"--competitor {name}"))})
    return out


@atomic
def bid(ws: Workspace, opp_id: str, price: str, date: str | None = None,
        result: str = "pending", *, cost: str | None = None, margin: str | None = None,
        competitors: Sequence[str] = (), approved_by: str | None = None,
        reason: str | None = None) -> dict[str, Any]:
    """Record a bid round (投标/议标) after its cost and margin check, and its result.

    The margin is the bid's own (from ``cost``, or ``margin``), else the deal's
    estimate. A bid under ``rules.margin_floor`` is refused unless someone other
    than the deal's owner approved that price (``approved_by``); a lost bid closes
    the deal as lost (投标失败, 项目结项) with its reason.
    """
    opp = ws.get("opportunity", opp_id)
    _open(opp)
    if opp["status"] != "open":
        raise RefusedError(f"opportunity {opp['id']} is {opp['status']}: no more bids")
    amount = values.money(price, "--price")
    if amount <= 0:
        raise InputError(f"--price: {price} must be above 0")
    outcome = vocab.parse("bid_result", result)
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    if cost is not None:
        spent = values.money(cost, "--cost")
        pct = ((amount - spent) * 100 / amount).quantize(Decimal("0.1"))
    elif margin is not None:
        pct = values.percent(margin, "--margin", lo=-100)
    elif opp.get("margin") is not None:
        pct = Decimal(str(opp["margin"]))
    else:
        raise RefusedError(f"opportunity {opp['id']}: gross margin unknown — the cost and "
                           "margin check comes before the bid (--cost N or --margin PCT)")
    floor = _margin_floor(ws)
    approver = (approved_by or "").strip()
    if approver and approver.casefold() == str(opp.get("owner") or "").casefold():
        raise RefusedError(f"--approved-by: {approver} owns {opp['id']} and cannot approve "
                           "its own bid price")
    if pct < floor and not approver:
        raise RefusedError(
            f"bid on {opp['id']} at {values.fmt_money(amount)} has a gross margin of "
            f"{pct.normalize():f}%, below "
            f"the floor {floor}%: bid only with a manager's approval (--approved-by NAME), "
            f"or quit and write the summary (kam opp abandon {opp['id']})")
    entry: dict[str, Any] = {
        "price": values.fmt_money(amount),
        "cost": values.fmt_money(values.money(cost, "--cost")) if cost is not None else None,
        "margin": f"{pct.normalize():f}", "floor": f"{floor.normalize():f}",
        "competitors": _competitors(competitors), "approved_by": approver or None,
        "date": on.isoformat(), "result": outcome, "by": ws.actor,
    }
    found = ws.plugins.rule("kam_record_bid", ws=ws, opportunity=opp, bid=dict(entry))
    blocks = blocking(found)
    if blocks:
        raise RefusedError(f"bid on {opp['id']} refused: "
                           + "; ".join(f.message for f in blocks), found)
    ws.warnings.extend(f"{f.severity}: {f.message} [{f.plugin}]" for f in found)
    bids = list(opp.get("bids") or []) + [entry]
    with ws.mutation("opportunity.bid", opp["id"], entry, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"], {"bids": bids, "updated_at": ws.now()})
    updated = {**opp, "bids": bids}
    if outcome == "lost":
        updated = close(ws, opp["id"], "lost", (reason or "").strip() or "投标失败 (bid lost)",
                        on=on)
    return updated
