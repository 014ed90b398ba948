"""``kam.messages.fill``: a template filled with its values reads as ``localise`` reads
the line the f-string makes of them (kam check's reminder lines, ~100k on a first run)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.messages import fill, localise

REMINDER = ("{what:<12} {n['receivable_id']:<7} {n['contract_id']:<7} {n['customer_id']:<7} "
            "{n['kind']:<14} due {n['due_date']}  outstanding {n['outstanding']} "
            "{n['currency']}  ({n['days_overdue']} days overdue)")
RENEWAL = ("{'renewal':<12} {n['contract_id']:<7} {n['customer_id']:<7} "
           "service ends {n['service_end']} ({n['days_left']} days)")
#: a template no catalogue entry has, and one whose placeholder is followed by no space
ODD = ["{x!r} and {y:>5} {{z}}", "{'flagged':<12} {n['customer_id']:<7} {n['type']}: {n['note']}"]

WORD = st.text(alphabet=st.sampled_from("aRC19 _-:()逾期\t"), max_size=16)
VALUE = st.one_of(WORD, st.none(), st.integers(-5, 400), st.dates(),
                  st.decimals(places=2, allow_nan=False, allow_infinity=False),
                  st.sampled_from(["due", "overdue 30d", "overdue 1d", "down_payment",
                                   "warranty", "CNY", "final", "renewal", "low_credit",
                                   "overdue", "due 2026-03-01  outstanding 1 CNY"]))
LANG = st.sampled_from(["zh", "zh-Hant", "en", None])


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUE, min_size=9, max_size=9), LANG)
@example(["overdue 30d", "RC1", "CO12345678", "CU1", "down_payment", dt.date(2026, 3, 1),
          Decimal("300000.00"), "CNY", 30], "zh")
@example(["due", "RC 1", "CO1", "CU1", "on_acceptance", dt.date(2026, 3, 1),
          Decimal("1.00"), None, 0], "zh-Hant")
@example(["overdue 30d 60d", "RC1", "CO1", "CU1", "warranty", "2026-03-01  outstanding 5",
          "1", "CNY", 1], "zh")
def test_a_reminder_line_filled_reads_as_localised(values: list[Any], lang: str | None
                                                  ) -> None:
    _reads_as_localised(REMINDER, values, lang)


@settings(max_examples=100, deadline=None)
@given(st.lists(VALUE, min_size=5, max_size=5), LANG)
def test_a_renewal_line_filled_reads_as_localised(values: list[Any], lang: str | None
                                                 ) -> None:
    _reads_as_localised(RENEWAL, values, lang)


@settings(max_examples=60, deadline=None)
@given(st.lists(VALUE, min_size=4, max_size=4), LANG)
def test_other_templates_are_left_to_localise(values: list[Any], lang: str | None) -> None:
    for template in ODD:
        count = template.count("{") - 2 * template.count("{{")
        _reads_as_localised(template, values[:count], lang)


def _reads_as_localised(template: str, values: list[Any], lang: str | None) -> None:
    """``fill`` makes the f-string's English line (or fails as it does: None padded) and
    reads as ``localise`` of it."""
    try:
        english = _fstring(template, values)
    except TypeError:
        with pytest.raises(TypeError):
            fill(template, values, lang)
        return
    assert fill(template, values, None) == english
    assert fill(template, values, lang) == localise(english, lang)


def _fstring(template: str, values: list[Any]) -> str:
    """What the f-string ``template`` makes of ``values``, its placeholders in order."""
    names = iter(f"_{i}" for i in range(len(values)))
    code = ""
    depth = 0
    i = 0
    while i < len(template):  # each placeholder's expression replaced by a name
        ch = template[i]
        if template.startswith(("{{", "}}"), i) and depth == 0:
            code += template[i:i + 2]
            i += 2
            continue
        if ch == "{" and depth == 0:
            depth = 1
            end = i + 1
            while template[end] not in "!:}" or template[i + 1:end].count("[") \
                    > template[i + 1:end].count("]"):
                end += 1
            code += "{" + next(names)
            i = end
            continue
        if ch == "}" and depth:
            depth = 0
        code += ch
        i += 1
    return str(eval("f" + repr(code), {}, {f"_{i}": v for i, v in enumerate(values)}))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(VALUE, min_size=9, max_size=9), max_size=8), LANG, st.integers(1, 3))
@example([["due", "RC1", "CO1", "CU1", "final", None, "1.00", "CNY", 1],
          ["due", "RC2", None, "CU1", "final", None, "1.00", "CNY", 1]], "zh", 2)
def test_rows_filled_by_column_are_each_row_filled(rows: list[list[Any]], lang: str | None,
                                                   page: int) -> None:
    """``fill_rows`` (pages of ``page`` rows) gives ``fill`` of each row, and fails where
    it fails (None padded), after the lines before it."""
    from kam import messages

    def each(fill_all: Any) -> tuple[list[str], type | None]:
        out: list[str] = []
        try:
            for line in fill_all():
                out.append(line)
        except TypeError as exc:
            return out, type(exc)
        return out, None

    before = messages._FILL_PAGE
    messages._FILL_PAGE = page
    try:
        assert (each(lambda: messages.fill_rows(REMINDER, rows, lang))
                == each(lambda: (fill(REMINDER, row, lang) for row in rows)))
    finally:
        messages._FILL_PAGE = before
