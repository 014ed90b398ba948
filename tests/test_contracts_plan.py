"""Payment plans: parsing, exact splits and re-balancing (pure functions + property tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kam.errors import InputError
from kam.services import contract_plan as plans

D = Decimal
STANDARD = "down_payment:30%:+10d,on_delivery:30%:+30d,on_acceptance:30%:+30d,warranty:10%:+12m"


def test_parse_the_standard_plan() -> None:
    assert plans.parse_plan(STANDARD) == [
        {"kind": "down_payment", "share": "30%", "offset": "+10d"},
        {"kind": "on_delivery", "share": "30%", "offset": "+30d"},
        {"kind": "on_acceptance", "share": "30%", "offset": "+30d"},
        {"kind": "warranty", "share": "10%", "offset": "+12m"},
    ]


def test_parse_amounts_chinese_labels_fixed_dates() -> None:
    assert plans.parse_plan("首付款:100000:+7d,fixed:20%:2026-06-30,质保金:5%") == [
        {"kind": "down_payment", "share": "100000.00", "offset": "+7d"},
        {"kind": "fixed_date", "share": "20%", "offset": "2026-06-30"},
        {"kind": "warranty", "share": "5%", "offset": ""},
    ]


@pytest.mark.parametrize("spec", ["", "down_payment", "nope:30%:+1d", "down_payment:0%:+1d",
                                  "down_payment:30%:+1y", "down_payment:-5:+1d",
                                  "fixed_date:10%", "fixed_date:10%:2026-02-30",
                                  "down_payment:130%:+1d"])
def test_bad_specs_are_bad_input(spec: str) -> None:
    with pytest.raises(InputError):
        plans.parse_plan(spec)


def test_split_puts_the_remainder_on_the_last() -> None:
    plan = plans.parse_plan(STANDARD)
    # 30% of 1000000.01 is 300000.003 → 300000.00 three times; the last gets 100000.01
    assert plans.split(plan, D("1000000.01")) == [D("300000.00"), D("300000.00"),
                                                   D("300000.00"), D("100000.01")]
    thirds = plans.parse_plan("down_payment:33.33%,on_delivery:33.33%,on_acceptance:33.34%")
    assert plans.split(thirds, D("100.00")) == [D("33.33"), D("33.33"), D("33.34")]
    assert plans.split(thirds, D("0.05")) == [D("0.01"), D("0.01"), D("0.03")]


def test_split_refuses_shares_beyond_the_amount() -> None:
    with pytest.raises(InputError, match="more than the contract amount"):
        plans.split(plans.parse_plan("down_payment:800000,warranty:10%"), D("500000.00"))


def test_rebalance_keeps_locked_milestones() -> None:
    amounts = [D("300000.00"), D("300000.00"), D("300000.00"), D("100000.00")]
    # +100000.01 over the three open ones in proportion 3:3:1 (rounded down, rest last)
    assert plans.rebalance(amounts, [True, False, False, False], D("100000.01")) == [
        D("300000.00"), D("342857.14"), D("342857.14"), D("114285.73")]
    assert plans.rebalance(amounts, [True, True, False, False], D("-400000.00")) == [
        D("300000.00"), D("300000.00"), D("0.00"), D("0.00")]
    with pytest.raises(InputError):
        plans.rebalance(amounts, [True, True, False, False], D("-400000.01"))
    with pytest.raises(InputError):
        plans.rebalance(amounts, [True] * 4, D("1.00"))


def test_due_dates() -> None:
    signed = dt.date(2026, 3, 2)
    assert plans.due_date("down_payment", "+10d", signed) == dt.date(2026, 3, 12)
    assert plans.due_date("warranty", "+12m", dt.date(2026, 5, 10)) == dt.date(2027, 5, 10)
    assert plans.due_date("warranty", "", dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert plans.due_date("fixed_date", "2026-06-30", signed) == dt.date(2026, 6, 30)
    assert plans.due_date("on_delivery", "", signed) == signed
    assert plans.add_months(dt.date(2024, 1, 31), 13) == dt.date(2025, 2, 28)


cents = st.integers(min_value=1, max_value=10**13).map(lambda n: D(n) / 100)
percents = st.integers(min_value=1, max_value=10000).map(lambda n: D(n) / 100)


@settings(max_examples=200, deadline=None)
@given(amount=cents, shares=st.lists(percents, min_size=1, max_size=8))
def test_split_always_sums_exactly(amount: Decimal, shares: list[Decimal]) -> None:
    plan = [{"kind": "fixed_date", "share": f"{s}%", "offset": "2026-01-01"} for s in shares]
    try:
        parts = plans.split(plan, amount)
    except InputError:
        # only when the shares before the last exceed the amount
        assert sum(shares[:-1]) > 100
        return
    assert sum(parts) == amount
    assert all(p >= 0 and p == p.quantize(D("0.01")) for p in parts)
    for p, s in zip(parts[:-1], shares[:-1], strict=True):
        assert amount * s / 100 - D("0.01") < p <= amount * s / 100


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(cents, min_size=1, max_size=8), data=st.data())
def test_rebalance_always_sums_exactly(amounts: list[Decimal], data: st.DataObject) -> None:
    locked = data.draw(st.lists(st.booleans(), min_size=len(amounts), max_size=len(amounts)))
    open_total = sum(a for a, lk in zip(amounts, locked, strict=True) if not lk)
    delta = D(data.draw(st.integers(min_value=-10**13, max_value=10**13))) / 100
    if all(locked) or open_total + delta < 0:
        with pytest.raises(InputError):
            plans.rebalance(amounts, locked, delta)
        return
    new = plans.rebalance(amounts, locked, delta)
    assert sum(new) == sum(amounts) + delta
    assert all(n >= 0 for n in new)
    assert all(n == a for n, a, lk in zip(new, amounts, locked, strict=True) if lk)
