"""A contract's cost accounts (合同成本): 概算 ``estimate`` at bid, 预算 ``budget`` frozen
at signing, 核算 ``actual`` costs and recognised revenue during execution, 决算 ``final``
accounts at closure. The P&L they give is :mod:`kam.models.contract_pnl`.

An estimate or budget given again replaces that account (a re-estimate); actual costs
add up as they are incurred; final accounts replace the last ones until the contract
is closed, and closing needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kam import values, vocab
from kam.errors import InputError, RefusedError
from kam.models.contract_pnl import pnl
from kam.models.states import ENDED
from kam.services.common import atomic
from kam.workspace import Workspace


def _lines(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, Decimal]]:
    out: list[tuple[str, Decimal]] = []
    for category, text in pairs:
        key = vocab.parse("cost_category", category)
        if any(k == key for k, _ in out):
            raise InputError(f"--category: {key} is given twice")
        amount = values.money(text, f"--category {category}", allow_negative=True)
        if amount < 0:
            raise InputError(f"--category {category}: a cost cannot be negative ({text})")
        out.append((key, amount))
    return out


def _may_record(contract: dict[str, Any], stage: str) -> None:
    """Estimate and budget before signing; actual and final on a signed, open contract."""
    cid, status = contract["id"], contract["status"]
    if stage in ("estimate", "budget"):
        if contract.get("signed_on"):
            raise RefusedError(f"contract {cid} is signed: its {stage} is frozen at signing "
                               "(record actual costs with --stage actual)")
        return
    if not contract.get("signed_on"):
        raise RefusedError(f"contract {cid} is {status}: {stage} costs are recorded once "
                           "it is signed")
    if status in ENDED:
        raise RefusedError(f"contract {cid} is {status}: its accounts are closed")


@atomic
def record(ws: Workspace, contract_id: str, stage: str, pairs: Sequence[tuple[str, str]],
           *, date: str | None = None, revenue: str | None = None) -> dict[str, Any]:
    """Record cost lines of one account; ``revenue`` (actual only) is the revenue
    recognised to date, at most the contract amount. Returns the contract's P&L."""
    contract = ws.get("contract", contract_id)
    stage = vocab.parse("cost_stage", stage)
    lines = _lines(pairs)
    if revenue is not None and stage != "actual":
        raise InputError("--revenue: recognised revenue belongs to the actual account "
                         "(--stage actual)")
    if not lines and revenue is None:
        raise InputError("--category: give at least one CATEGORY AMOUNT"
                         + (" or --revenue" if stage == "actual" else ""))
    _may_record(contract, stage)
    on = values.date(date, "--date") if date else ws.today
    if on > ws.today:
        raise InputError(f"--date: {on} is in the future (today is {ws.today})")
    changes: dict[str, Any] = {"updated_at": ws.now()}
    if revenue is not None:
        recognised = values.money(revenue, "--revenue", allow_negative=True)
        if recognised < 0 or recognised > contract["amount"]:
            raise InputError(f"--revenue: {values.fmt_money(recognised)} must be between 0 "
                             f"and the contract amount {values.fmt_money(contract['amount'])}")
        changes["recognised_revenue"] = recognised
    new = [{"stage": stage, "category": k, "amount": values.fmt_money(a),
            "on": on.isoformat(), "by": ws.actor or None} for k, a in lines]
    kept = [line for line in contract.get("cost_lines") or []
            if stage == "actual" or line.get("stage") != stage]
    if lines:
        changes["cost_lines"] = kept + new
    payload = {"stage": stage, "lines": new, "replaced": stage != "actual" and bool(lines)}
    if "recognised_revenue" in changes:
        payload["recognised_revenue"] = values.fmt_money(changes["recognised_revenue"])
    with ws.mutation("contract.costed", contract["id"], payload,
                     refs=[contract["customer_id"], contract["opportunity_id"]]):
        ws.storage.update("contract", contract["id"], changes)
    return pnl({**contract, **changes})


def has_final_accounts(contract: dict[str, Any]) -> bool:
    return any(line.get("stage") == "final" for line in contract.get("cost_lines") or [])
