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
from kam.reports.common import tr, vocab_display
from kam.reports.contracts import _next_action, _promise, _waiting_action

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
    return _waiting_action(ws, contract, views)  # unchanged by the one-pass search


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
    assert _next_action(ws, contract, views, kinds) == _reference(ws, contract, views, kinds)
    assert _next_action(ws, contract, views) == _reference(ws, contract, views, kinds)
