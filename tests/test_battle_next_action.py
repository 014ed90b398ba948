"""The battle map's next action (下一步) found in one pass equals the rule it states —
the first of the most overdue milestones (days, then outstanding), else the first of the
earliest due with money outstanding (date, then plan order), else what starts the next
payment — on random milestone views, in every language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.reports.aggregates import columns_of_views
from kam.reports.battle_map import (
    _NEEDED,
    CENT,
    ROUND_HALF_UP,
    ZERO,
    _battle_row,
    _Milestones,
    _next_action,
    _promise,
    _waiting_action,
)
from kam.reports.common import tr, vocab_display

TODAY = dt.date(2026, 6, 30)
NOTE = st.none() | st.fixed_dictionaries(
    {"reason": st.sampled_from(["eager_signing", "dissatisfied"])},
    optional={"promised": st.just("2026-07-15")})
VIEW = st.tuples(
    st.sampled_from(["on_delivery", "on_acceptance", "retention", "advance"]),  # kind
    st.integers(0, 3).map(lambda c: Decimal(c * 50).scaleb(-2)),                 # open
    st.none() | st.integers(-3, 3).map(lambda n: TODAY + dt.timedelta(n)),       # due
    st.integers(0, 3),                                                          # days late
    st.none() | st.integers(0, 3),                                              # seq
    NOTE,
)
CONTRACT = st.fixed_dictionaries({
    "status": st.sampled_from(["executing", "terminated"]),
    "delivered_on": st.sampled_from([None, TODAY]),
    "final_accepted_on": st.sampled_from([None, TODAY])})


def _reference(ws: Any, contract: dict[str, Any], views: list[Any],
               kinds: dict[str, str]) -> str:
    """The rule as written before the one-pass search (max/min over filtered lists)."""
    late = [v for v in views if v[9] > 0]
    if late:
        v = max(late, key=lambda x: (x[9], x[7]))
        kind, outstanding, days = v[2], v[7], v[9]
        return tr(ws, f"催收{kinds.get(kind, kind)} {outstanding:,}（逾期{days}天）",
                  f"collect {kinds.get(kind, kind)} {outstanding:,} "
                  f"({days} days overdue)") + _promise(ws, v[10])
    due = [v for v in views if v[5] and v[7] > 0]
    if due:
        v = min(due, key=lambda x: (x[5], x[1] or 0))
        kind, on = v[2], v[5].isoformat()
        return tr(ws, f"{on} 前收{kinds.get(kind, kind)}",
                  f"collect {kinds.get(kind, kind)} by {on}") + _promise(ws, v[10])
    return _waiting_action(ws, contract["status"], contract["delivered_on"],
                           contract["final_accepted_on"], [v[2] for v in views if v[7] > 0])


def _card(contract: dict[str, Any], cid: str = "CO1") -> tuple[Any, ...]:
    """A contract's fields in BATTLE_KEYS' order (a ContractCard without the name)."""
    return (cid, f"HT-{cid}", "CU1", "张伟", contract.get("amount"), "CNY",
            contract["delivered_on"], contract["final_accepted_on"], None, contract["status"])


@settings(max_examples=150, deadline=None)
@given(st.lists(VIEW, max_size=6), CONTRACT, st.sampled_from(["zh", "zh-Hant", "en"]))
@example([("retention", Decimal("0.50"), TODAY, 2, 1, None),
          ("advance", Decimal("1.00"), TODAY, 2, 2, {"reason": "eager_signing"})],
         {"status": "executing", "delivered_on": None, "final_accepted_on": None}, "zh")
@example([("advance", Decimal("0.50"), TODAY, 0, 2, None),
          ("retention", Decimal("0.50"), TODAY, 0, 1, {"reason": "dissatisfied"})],
         {"status": "executing", "delivered_on": None, "final_accepted_on": None}, "zh-Hant")
@example([("advance", Decimal("0.50"), TODAY, 0, None, None),
          ("retention", Decimal("0.50"), TODAY, 0, 0, None)],
         {"status": "executing", "delivered_on": None, "final_accepted_on": None}, "en")
def test_one_pass_next_action_equals_the_rule(raw: list[Any], contract: dict[str, Any],
                                               lang: str) -> None:
    ws = SimpleNamespace(lang=lang)
    # a view: (contract, seq, kind, share, amount, due, paid, open, state, days, note);
    # a milestone is late only when it has a due date and money outstanding
    views = [("CO1", seq, kind, None, open_, due, Decimal(0), open_, "due",
              days if due is not None and open_ > 0 else 0, note)
             for kind, open_, due, days, seq, note in raw]
    kinds = vocab_display(ws, "milestone_kind")
    ms = _Milestones(columns_of_views(views))
    card = _card(contract)
    expected = _reference(ws, contract, views, kinds)
    assert _next_action(ws, card, ms, 0, len(views), kinds) == expected
    assert _next_action(ws, card, ms, 0, len(views)) == expected


def _former_row(ws: Any, c: dict[str, Any], views: list[Any], have: Any, recent: set[Any],
                kinds: dict[str, str]) -> dict[str, Any] | None:
    """The row as it was built from one contract's view tuples, before the milestones
    came a column at a time."""
    outstanding = sum([v[7] for v in views], ZERO)
    if outstanding <= 0:
        return None
    collected = sum([v[6] for v in views], ZERO)
    amount = c["amount"]
    return {
        "contract_id": c["id"], "number": c["number"], "status": c["status"],
        "customer_id": c["customer_id"], "owner": c["owner"], "amount": amount,
        "currency": c["currency"],
        "terms": "/".join([str(v[3] or "") or f"{v[4]}" for v in views]),
        "milestones": [{"kind": kind, "amount": money, "due_date": due, "state": state,
                        "days_overdue": days or None}
                       for _c, _s, kind, _sh, money, due, _p, _o, state, days, _n in views],
        "collected": collected, "collected_pct": (collected * 100 / amount).quantize(
            CENT, rounding=ROUND_HALF_UP) if amount else None,
        "outstanding": outstanding,
        "next_action": _reference(ws, c, views, kinds),
        "qing": c["customer_id"] in recent, "li": bool(c["delivered_on"]),
        "fa": _NEEDED[bool(c["delivered_on"]), bool(c["final_accepted_on"])] <= have,
    }


PAID = st.integers(0, 3).map(lambda c: Decimal(c * 50).scaleb(-2))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.lists(st.tuples(VIEW, PAID, st.sampled_from([None, "30%", ""])),
                                   min_size=1, max_size=5),
                          CONTRACT, st.sampled_from([None, Decimal(0), Decimal("100.00")]),
                          st.sampled_from([frozenset(), frozenset({"contract"})])),
                max_size=5),
       st.sampled_from(["zh", "zh-Hant", "en"]))
def test_a_page_of_milestone_columns_gives_each_contract_the_row_of_its_own_views(
        contracts: list[Any], lang: str) -> None:
    """Rows built from one page's milestone columns (several contracts' runs, each its
    ``start:end``) are the rows each contract's own views gave, one by one."""
    ws = SimpleNamespace(lang=lang)
    kinds = vocab_display(ws, "milestone_kind")
    page: list[Any] = []
    expected = []
    for n, (raw, contract, amount, have) in enumerate(contracts):
        cid = f"CO{n + 1:03}"
        views = [(cid, seq, kind, share, open_ + paid, due, paid, open_, "due",
                  days if due is not None and open_ > 0 else 0, note)
                 for (kind, open_, due, days, seq, note), paid, share in raw]
        page.extend(views)
        c = dict(zip(("id", "number", "customer_id", "owner", "amount", "currency",
                      "delivered_on", "final_accepted_on", "signed_on", "status"),
                     _card(contract | {"amount": amount}, cid), strict=True))
        expected.append(_former_row(ws, c, views, have, {"CU1"}, kinds))
    ms = _Milestones(columns_of_views(page))
    spans = list(ms.spans())
    assert [cid for cid, _s, _e in spans] == [f"CO{n + 1:03}" for n in range(len(contracts))]
    got = [_battle_row(ws, _card(contract | {"amount": amount}, cid), ms, start, end, have,
                       {"CU1"}, kinds)
           for (cid, start, end), (_raw, contract, amount, have) in zip(spans, contracts,
                                                                         strict=True)]
    assert repr(got) == repr(expected)
