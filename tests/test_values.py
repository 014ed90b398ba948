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


@pytest.mark.parametrize(("text", "why"), [
    ("1,5", "comma"), ("12,34", "comma"), ("1,2345", "comma"), ("0.005", "decimal places"),
    ("１２", "ASCII"), ("١٢", "ASCII"), ("1e999", "too large"), ("1e30", "too large"),
    ("1000000000000000", "too large"), ("1_000", "not an amount"), ("--5", "not an amount"),
    ("1E+99999", "not an amount"), (" ", "not an amount"),
])
def test_money_grammar_refuses_what_it_would_have_to_guess(text: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        values.money(text)


@pytest.mark.parametrize(("text", "shown"), [
    ("1,234,567.89", "1234567.89"), ("999,999", "999999.00"), ("¥ 5", "5.00"),
    ("999999999999999.99", "999999999999999.99"),
])
def test_money_grammar_accepts_unambiguous_text(text: str, shown: str) -> None:
    assert str(values.money(text)) == shown


def test_dates_and_whole_numbers_are_bounded() -> None:
    with pytest.raises(InputError, match="1900"):
        values.date("9999-12-31")
    with pytest.raises(InputError, match="ISO"):
        values.date("２０２６-01-01")
    assert values.integer("42", "--n", lo=1, hi=50) == 42
    for bad in ("٣", "1.5", "99999999999999999999", ""):
        with pytest.raises(InputError):
            values.integer(bad, "--n")
    with pytest.raises(InputError, match="between"):
        values.integer("0", "--weeks", lo=1, hi=10)
