"""Bad input gets one clear line and exit 2 or 3, no traceback, nothing written."""

from __future__ import annotations

import pytest
from conftest import Kam, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _events(kam: Kam) -> int:
    ws = kam.workspace()
    try:
        return sum(1 for _ in ws.storage.events())
    finally:
        ws.close()


@pytest.fixture
def world(kam: Kam) -> dict[str, str]:
    cu = kam.id("customer", "add", "华东电力")
    opp = kam.id("opp", "add", cu, "监控", "--amount", "100")
    return {"cu": cu, "opp": opp}


CASES = [
    (("opp", "advance", "{opp}", "--to", "no_such_stage"), 2, "unknown stage"),
    (("opp", "add", "{cu}", "x", "--amount", "-5"), 2, "negative"),
    (("opp", "add", "{cu}", "x", "--amount", "abc"), 2, "not an amount"),
    (("opp", "add", "{cu}", "x", "--amount", "1e400"), 2, "too large"),
    (("opp", "add", "{cu}", "x", "--amount", "1", "--close-date", "2026-02-30"), 2,
     "close_date"),
    (("opp", "add", "{cu}", "x", "--amount", "1", "--close-date", "31/12/2026"), 2,
     "ISO date"),
    (("opp", "add", "{cu}", "x", "--amount", "1", "--importance", "HUGE"), 2, "importance"),
    (("opp", "add", "{cu}", "x", "--amount", "1", "--currency", "人民币"), 2, "currency"),
    (("opp", "add", "CU999", "x", "--amount", "1"), 3, "customer CU999 not found"),
    (("opp", "show", "OP999"), 3, "not found"),
    (("opp", "show", "{cu}"), 3, "is a customer"),
    (("customer", "add", "x", "--field", "no-equals-sign"), 2, "key=value"),
    (("customer", "add", "x", "--grade", "Z"), 2, "unknown grade"),
    (("customer", "add", ""), 2, "name"),
    (("contact", "add", "{cu}", "王", "--role", "boss"), 2, "unknown role"),
    (("activity", "log", "{opp}", "--type", "party"), 2, "unknown activity_type"),
    (("activity", "log", "{opp}", "--type", "call", "--date", "tomorrow"), 2, "ISO date"),
    (("activity", "log", "XX1", "--type", "call"), 2, "activities are logged"),
    (("opp", "list", "--format", "xml"), 2, "--format"),
    (("opp", "edit", "{opp}", "--margin", "250"), 2, "margin"),
    (("opp", "bid", "{opp}", "--price", "1", "--result", "maybe"), 2, "bid_result"),
    (("--as-of", "2026-13-01", "opp", "list"), 2, "--as-of"),
    (("opp", "nosuchcommand"), 2, ""),
]


@pytest.mark.parametrize(("args", "code", "message"), CASES)
def test_bad_input(kam: Kam, world: dict[str, str], args: tuple[str, ...], code: int,
                   message: str) -> None:
    before = _events(kam)
    r = kam(*(a.format(**world) for a in args))
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert message in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    if message:
        assert len([line for line in r.stderr.splitlines() if line.startswith("kam:")]) == 1
    assert _events(kam) == before


def test_missing_workspace_is_a_storage_error(tmp_path) -> None:
    k = Kam(tmp_path / "nowhere")
    r = k("customer", "list")
    assert r.exit_code == 4 and "kam init" in r.stderr


def test_init_twice_is_refused(kam: Kam) -> None:
    r = kam("init")
    assert r.exit_code == 2 and "already a kam workspace" in r.stderr


nasty = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["'; DROP TABLE customer; --", "$(rm -rf /)", "../../etc/passwd", "=1+1",
                     "-1", "1e999", "NaN", "Infinity", "９９", "\x00", "2026-02-29", "OP0",
                     "提案", "\u202e"]),
)


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=nasty, date=nasty, stage=nasty, name=nasty)
def test_fuzzed_arguments_never_crash(kam: Kam, world: dict[str, str], amount: str, date: str,
                                      stage: str, name: str) -> None:
    for args in (("opp", "add", world["cu"], name or "x", "--amount", amount, "--close-date",
                  date),
                 ("opp", "advance", world["opp"], "--to", stage),
                 ("customer", "add", name, "--potential", amount),
                 ("activity", "log", world["opp"], "--type", "call", "--date", date),
                 ("opp", "show", name)):
        r = kam(*args)
        assert r.exit_code in (0, 1, 2, 3, 4), (args, r.stderr)
        assert "Traceback" not in r.stderr
