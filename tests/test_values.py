"""Money and percentages as users type them, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kam import values
from kam.errors import InputError


@pytest.mark.parametrize(("text", "shown"), [
    ("10", "10"), ("100", "100"), ("0", "0"), ("32%", "32"), ("12.50", "12.5"),
    ("7.25", "7.25"), ("1E+1", "10"),
])
def test_percent_reads_plainly(text: str, shown: str) -> None:
    assert str(values.percent(text)) == shown


@pytest.mark.parametrize(("text", "shown"), [
    ("1,200.5", "1200.50"), ("300000", "300000.00"), ("-0", "0.00"), ("100.500", "100.50"),
    ("88元", "88.00"), ("1E+3", "1000.00"),
])
def test_money_reads_exactly(text: str, shown: str) -> None:
    assert str(values.money(text)) == shown


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", "-1", "1e20", "", "0.005",
                                  "100.005", "1E-3", "-0.001"])
def test_bad_money_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        values.money(text)


def test_money_with_more_than_two_decimal_places_is_refused_not_rounded() -> None:
    with pytest.raises(InputError, match=r"^--amount: 100\.005 has more than two decimal "
                                         r"places$"):
        values.money("100.005", "--amount")
    with pytest.raises(InputError, match="more than two decimal places"):
        values.money(Decimal("0.001"))


@given(st.decimals(min_value=0, max_value=100, places=4, allow_nan=False))
def test_percent_round_trips_its_value(d: Decimal) -> None:
    parsed = values.percent(str(d))
    assert parsed == d and "E" not in str(parsed)
