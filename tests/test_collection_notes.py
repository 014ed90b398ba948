"""催收说明: why a milestone is late and what the customer promised, in aging, the battle
map's next action and kam today on the promised day."""

from __future__ import annotations

from decimal import Decimal

from conftest import Kam


def _signed(kam: Kam) -> str:
    """A 1000 contract signed 2026-01-05: down payment 400 due 2026-01-10 (RC1), the
    on-delivery 600 not triggered."""
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "1000", "--owner", "李娜",
                 "--as-of", "2026-01-05")
    co = kam.id("contract", "create", opp, "--number", "HT-1", "--plan",
                "down_payment:40%:+5d,on_delivery:60%:+30d", "--acceptance-criteria", "验收",
                "--change-cost", "按人天", "--service-end", "2027-01-31", "--as-of", "2026-01-05")
    kam.ok("contract", "review", co, "--as-of", "2026-01-05")
    kam.ok("contract", "approve", co, "--by", "经理", "--as-of", "2026-01-05",
           env={"KAM_USER": "经理"})
    kam.ok("contract", "sign", co, "--date", "2026-01-05", "--force", "--reason", "框架协议",
           "--as-of", "2026-01-05")
    return co


def test_a_promised_date_shows_on_its_day_in_today_aging_and_the_battle_map(kam: Kam) -> None:
    co = _signed(kam)
    rc = kam.json("receivable", "list", "--contract", co)[0]["id"]
    noted = kam.json("receivable", "note", rc, "--reason", "短期资金困难", "--promised",
                     "2026-03-10", "--note", "财务说月中付", "--as-of", "2026-03-02")
    assert noted["collection_notes"][-1] | {"by": None} == {
        "reason": "cash_trouble", "promised": "2026-03-10", "note": "财务说月中付",
        "on": "2026-03-02", "by": None}

    def promised(as_of: str, *extra: str) -> list[str]:
        tables = kam.json("today", "--as-of", as_of, "--days", "0", *extra)["tables"]
        return [r["id"] for r in tables["promised"]["rows"]]

    assert promised("2026-03-09") == []          # not yet its day
    assert promised("2026-03-10") == [rc]        # on its day
    assert promised("2026-03-10", "--owner", "李娜") == [rc]
    assert promised("2026-03-10", "--owner", "王磊") == []
    aging = kam.json("report", "aging", "--as-of", "2026-03-02")["tables"]
    [row] = aging["collection_notes"]["rows"]
    assert (row["id"], row["reason"], row["promised"], row["days_overdue"]) == (
        rc, "cash_trouble", "2026-03-10", 51)
    # the note's outstanding is the aging's: one milestone owes all of CNY's overdue money
    overdue = sum(Decimal(v) for k, v in aging["by_currency"]["rows"][0].items()
                  if k not in ("currency", "total", "not_due"))
    assert Decimal(row["outstanding"]) == overdue == Decimal("400.00")
    [contract] = kam.json("report", "battle-map", "--as-of", "2026-03-02")["tables"][
        "contracts"]["rows"]
    assert contract["next_action"].endswith("; promised for 2026-03-10 (cash_trouble)")
    # paid, the promise leaves the morning list
    kam.ok("pay", "record", co, "400", "--date", "2026-03-10", "--as-of", "2026-03-10")
    assert promised("2026-03-10") == []


def test_a_note_needs_money_outstanding_a_known_reason_and_a_future_promise(kam: Kam) -> None:
    co = _signed(kam)
    rc = kam.json("receivable", "list", "--contract", co)[0]["id"]
    bad = kam("receivable", "note", rc, "--reason", "weather")
    assert bad.exit_code == 2 and "collection_reason" in bad.stderr
    past = kam("receivable", "note", rc, "--reason", "dissatisfied", "--promised",
               "2026-01-01", "--as-of", "2026-03-02")
    assert past.exit_code == 2 and "in the past" in past.stderr
    kam.ok("pay", "record", co, "400", "--date", "2026-03-01", "--as-of", "2026-03-02")
    paid = kam("receivable", "note", rc, "--reason", "other", "--as-of", "2026-03-02")
    assert paid.exit_code == 1 and "nothing to collect" in paid.stderr
    assert kam.json("receivable", "list", "--contract", co)[0]["collection_notes"] == []
    assert "receivable.noted" not in [e["kind"] for e in kam.json("history", rc)]
