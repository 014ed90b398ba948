"""招投标评分表: the customer's tender scoring sheet on a deal — weights, our and the
competitors' expected scores, each bidder's weighted total and our rank."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Kam
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.models.tender import standings, weighted_total


def test_a_hand_computed_sheet_gives_the_hand_computed_totals_and_rank(kam: Kam) -> None:
    opp = kam.id("opp", "add", kam.id("customer", "add", "华东电力"), "MES", "--amount", "9")
    out = kam.json("opp", "tender", opp, "--technical-weight", "60", "--commercial-weight",
                   "40", "--ours", "85", "90", "--competitor", "华为=88,80",
                   "--competitor", "用友=80,95")
    # by hand: us 85×0.6 + 90×0.4 = 87.00; 用友 48 + 38 = 86.00; 华为 52.8 + 32 = 84.80
    assert [(b["rank"], b["bidder"], b["weighted_total"]) for b in out["tender"]["bidders"]] \
        == [(1, "us", "87.00"), (2, "用友", "86.00"), (3, "华为", "84.80")]
    assert (out["tender"]["our_rank"], out["tender"]["our_total"]) == (1, "87.00")
    # a revised sheet replaces it: 70/30, us 80,70 = 77.00; A 59.5 + 18 = 77.50;
    # B 52.5 + 24.501 = 77.001 → 77.00, level with us (ties share the rank)
    kam.ok("opp", "tender", opp, "--technical-weight", "70%", "--commercial-weight", "30",
           "--ours", "80", "70", "--competitor", "A=85,60", "--competitor", "B=75,81.67")
    shown = kam.json("opp", "show", opp)["tender"]
    assert [(b["rank"], b["bidder"], b["weighted_total"]) for b in shown["bidders"]] == [
        (1, "A", "77.50"), (2, "us", "77.00"), (2, "B", "77.00")]
    assert (shown["technical_weight"], shown["commercial_weight"], shown["our_rank"]) == (
        "70", "30", 2)
    # the project card shows the same rows
    card = kam.json("report", "opportunity", opp)["tables"]["tender"]["rows"]
    assert [(r["bidder"], r["weighted_total"], r["rank"]) for r in card] == [
        (b["bidder"], b["weighted_total"], b["rank"]) for b in shown["bidders"]]
    kinds = [e["kind"] for e in kam.json("history", opp)]
    assert kinds.count("opportunity.tender") == 2
    table = kam.ok("opp", "show", opp).stdout
    assert "our rank: 2 of 3 (weighted total 77.00)" in table


@pytest.mark.parametrize(("args", "says"), [
    (("--technical-weight", "60", "--commercial-weight", "30", "--ours", "80", "80"),
     "must add up to 100"),
    (("--technical-weight", "60", "--commercial-weight", "40", "--ours", "101", "80"),
     "between 0 and 100"),
    (("--technical-weight", "60", "--commercial-weight", "40", "--ours", "80", "80",
      "--competitor", "华为:88,80"), "NAME=TECH,COMM"),
    (("--technical-weight", "60", "--commercial-weight", "40", "--ours", "80", "80",
      "--competitor", "华为=88"), "NAME=TECH,COMM"),
    (("--technical-weight", "60", "--commercial-weight", "40", "--ours", "80", "80",
      "--competitor", "华为=1,2", "--competitor", "华为=3,4"), "each competitor once"),
])
def test_a_sheet_users_can_get_wrong_is_one_line_and_stores_nothing(
        tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    kam = Kam(tmp_path / "ws")
    kam.ok("init", "--lang", "en")
    opp = kam.id("opp", "add", kam.id("customer", "add", "华东电力"), "MES", "--amount", "9")
    r = kam("opp", "tender", opp, *args)
    assert r.exit_code == 2 and says in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert kam.json("opp", "show", opp)["tender"] is None
    kam.ok("opp", "lose", opp, "--reason", "预算取消")
    closed = kam("opp", "tender", opp, "--technical-weight", "50", "--commercial-weight",
                 "50", "--ours", "1", "2")
    assert closed.exit_code == 1 and "no new tender sheet" in closed.stderr


scores = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=60)
@given(tw=st.integers(min_value=0, max_value=100), ours=st.tuples(scores, scores),
       rivals=st.lists(st.tuples(scores, scores), max_size=4))
@example(tw=70, ours=(Decimal("80"), Decimal("70")),
         rivals=[(Decimal("75"), Decimal("81.67"))])
def test_ranks_follow_the_weighted_totals(tw: int, ours: tuple[Decimal, Decimal],
                                          rivals: list[tuple[Decimal, Decimal]]) -> None:
    """Each total lies between its bidder's two scores; a bidder's rank is one more than
    the number of bidders with a higher total, so the best total ranks 1."""
    cw = 100 - tw
    sheet = {"technical_weight": str(tw), "commercial_weight": str(cw),
             "ours": {"technical": f"{ours[0]:f}", "commercial": f"{ours[1]:f}"},
             "competitors": [{"name": f"C{i}", "technical": f"{t:f}", "commercial": f"{c:f}"}
                             for i, (t, c) in enumerate(rivals)]}
    out = standings(sheet)
    assert out is not None and len(out["bidders"]) == len(rivals) + 1
    totals = [Decimal(b["weighted_total"]) for b in out["bidders"]]
    assert totals == sorted(totals, reverse=True)
    for b in out["bidders"]:
        t, c = Decimal(b["technical"]), Decimal(b["commercial"])
        total = Decimal(b["weighted_total"])
        assert total == weighted_total(t, c, Decimal(tw), Decimal(cw))
        assert min(t, c) - Decimal("0.01") <= total <= max(t, c) + Decimal("0.01")
        assert b["rank"] == 1 + sum(1 for x in totals if x > total)
    ours_row = next(b for b in out["bidders"] if b["ours"])
    assert (out["our_rank"], out["our_total"]) == (ours_row["rank"], ours_row["weighted_total"])
