"""The customer matrix (客户矩阵) derived by the rule from need × relationship, a matrix
set by hand kept as an override, and the purchase scenario's advice in ``opp show``."""

from __future__ import annotations

from typing import Any

import pytest
from kam.services import customers
from kam.workspace import Workspace


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_rule_derives_the_matrix_and_a_manual_one_stays(ws: Workspace) -> None:
    cases = {("3000000", "trust"): "core", ("3000000", "dating"): "growth",
             ("200000", "alliance"): "traction", ("200000", "acquainted"): "problem"}
    for (potential, rel), want in cases.items():
        cu = customers.add(ws, f"{potential}-{rel}", potential=potential, relationship=rel)
        got = customers.classify(ws, cu["id"])
        assert (got["rule"], got["customer"]["matrix"]) == (want, want)
        assert got["customer"]["matrix_set_by"] is None
    ws.config["rules"] = {"matrix_potential": 100000, "matrix_relationship": "alliance"}
    cu = customers.add(ws, "B", potential="200000", relationship="trust")
    assert customers.classify(ws, cu["id"])["customer"]["matrix"] == "growth"
    # set by hand: recorded as such, and the rule does not overwrite it
    customers.edit(ws, cu["id"], matrix="core")
    got = customers.classify(ws, cu["id"])
    assert got["kept_manual"] and got["customer"]["matrix"] == "core"
    assert got["customer"]["matrix_set_by"] == ws.actor and got["rule"] == "growth"
    back = customers.classify(ws, cu["id"], by_rule=True)["customer"]
    assert (back["matrix"], back["matrix_set_by"]) == ("growth", None)
    kinds = [e["kind"] for e in ws.storage.events(kinds=["customer.classified"])]
    assert len(kinds) == 6                           # four, B by rule, B handed back
    unknown = customers.add(ws, "C")
    assert customers.classify(ws, unknown["id"])["rule"] is None


def test_classify_and_the_purchase_scenarios_advice_through_the_cli(kam: Any) -> None:
    cu = kam.id("customer", "add", "华东电力集团", "--potential", "5000000",
                "--relationship", "trust", "--purchase-type", "continuous")
    assert "core (by rule)" in kam.ok("customer", "classify", cu).stdout
    kam.ok("customer", "edit", cu, "--matrix", "growth")
    r = kam.json("customer", "classify", cu)
    assert (r["matrix"], r["rule"], r["kept_manual"]) == ("growth", "core", True)
    op = kam.id("opp", "add", cu, "变电站", "--amount", "100000")
    card = kam.json("opp", "show", op)
    assert card["purchase_type"] == "continuous" and "supplier list" in card[
        "acquisition_advice"]
    assert "advice: " in kam.ok("opp", "show", op).stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_plugins_matrix_rule_goes_before_the_standard_one(ws: Workspace) -> None:
    from kam.api import hookimpl

    class Utilities:
        @hookimpl(tryfirst=True)
        def kam_customer_matrix(self, ws: Any, customer: Any) -> list[str] | None:
            return ["core"] if customer.get("industry") == "电力" else None

    ws.plugins.pm.register(Utilities(), name="utilities")
    small = customers.add(ws, "小电厂", industry="电力", potential="1000",
                          relationship="acquainted")
    other = customers.add(ws, "小工厂", industry="制造", potential="1000",
                          relationship="acquainted")
    assert customers.classify(ws, small["id"])["customer"]["matrix"] == "core"
    assert customers.classify(ws, other["id"])["customer"]["matrix"] == "problem"
