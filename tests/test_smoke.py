from conftest import Kam


def test_customer_add_and_show(kam: Kam) -> None:
    cid = kam.id("customer", "add", "华东电力集团", "--grade", "A")
    data = kam.json("customer", "show", cid)
    assert data["name"] == "华东电力集团"
    assert data["grade"] == "A"
