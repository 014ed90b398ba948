"""The activity draft checked without pydantic (kam.models.activity_draft) equals the
pydantic model's answer whenever it gives one, and leaves every refusal to the model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam import vocab
from kam.models.activity import Activity
from kam.models.activity_draft import draft
from pydantic import ValidationError


def _words(name: str) -> st.SearchStrategy[str]:
    """A vocabulary's keys and labels, as typed (case, spaces), and some that are not."""
    words = [w for key, (zh, en) in vocab.VOCAB[name].items() for w in (key, zh, en)]
    return st.one_of(st.sampled_from(words), st.sampled_from(words).map(str.upper),
                     st.sampled_from(words).map(lambda w: f" {w} "), st.text(max_size=6))


_TEXT = st.one_of(st.none(), st.just(""), st.just("  "), st.text(max_size=8),
                  st.integers(-5, 5), st.just("a\x00b"), st.just("line\nnext\t"))
_DATES = st.one_of(st.dates(dt.date(1890, 1, 1), dt.date(3100, 1, 1)),
                   st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1)),
                   st.just("2026-06-30"), st.just("2026-13-01"), st.none(), st.just(""))
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.one_of(st.just("AC0"), st.integers(0, 3), st.none()),
    "opportunity_id": _TEXT,
    "customer_id": st.one_of(st.just("CU1"), st.just(" CU2 "), st.integers(0, 3), st.none()),
    "lead_id": _TEXT,
    "type": st.one_of(_words("activity_type"), st.none(), st.just(""), st.integers(0, 3)),
    "date": _DATES,
    "owner": _TEXT,
    "contact_ids": st.one_of(st.lists(st.sampled_from(["CT1", "CT2", " CT3"]), max_size=3),
                             st.lists(st.integers(0, 3), max_size=2), st.none(),
                             st.tuples(st.just("CT1"))),
    "outcome": st.one_of(_words("outcome"), st.none(), st.just("")),
    "note": _TEXT,
    "next_step": _TEXT,
    "next_due": _DATES,
    "signals": st.one_of(st.lists(_words("buying_signal"), max_size=4), st.none(),
                         st.lists(st.just(""), max_size=2)),
    "closing": st.one_of(_words("closing_method"), st.none(), st.just("")),
    "created_at": st.one_of(st.none(), st.just("2026-06-30T09:00:00+00:00"), st.integers()),
    "extra": st.just("x"),
}
_REQUIRED = {"id": "AC0", "customer_id": "CU1", "type": "call", "date": dt.date(2026, 6, 30)}


@st.composite
def _data(draw: st.DrawFn) -> dict[str, Any]:
    data = dict(_REQUIRED)
    for name in draw(st.lists(st.sampled_from(sorted(_VALUES)), unique=True, max_size=8)):
        data[name] = draw(_VALUES[name])
    for name in draw(st.lists(st.sampled_from(sorted(_REQUIRED)), unique=True, max_size=1)):
        del data[name]
    return data


def _model(data: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return Activity.model_validate(data).model_dump()
    except ValidationError:
        return None


@settings(max_examples=400, deadline=None)
@given(_data())
@example({**_REQUIRED, "type": "电话", "outcome": " Advance ", "note": " x ",
          "signals": ["bargaining", "讨价还价"], "next_due": "2026-07-01", "owner": "王"})
@example({**_REQUIRED, "contact_ids": ["CT1"], "lead_id": "", "closing": ""})
@example({**_REQUIRED, "signals": [""]})
@example({**_REQUIRED, "next_due": "2026-13-01"})
def test_the_draft_is_the_models_answer_or_none(data: dict[str, Any]) -> None:
    fast = draft(data)
    if fast is not None:
        model = _model(data)
        assert model is not None, "the draft accepted what the model refuses"
        assert list(fast) == list(model) and repr(fast) == repr(model)


def test_everyday_inputs_are_answered_without_the_model() -> None:
    data = {**_REQUIRED, "opportunity_id": "OP1", "owner": "bench", "contact_ids": [],
            "outcome": "advance", "note": "bench", "signals": ["bargaining", "讨价还价"]}
    fast = draft(data)
    assert fast is not None and repr(fast) == repr(_model(data))
    assert fast["signals"] == ["bargaining"] and fast["lead_id"] is None
