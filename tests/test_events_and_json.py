"""Every mutation writes exactly one event; JSON output keys are the stable contract."""

from __future__ import annotations

from conftest import Kam

OPP_KEYS = {"id", "customer_id", "title", "stage", "status", "amount", "currency",
            "probability", "forecast_category", "importance", "owner", "close_date"}


def _event_count(kam: Kam) -> int:
    ws = kam.workspace()
    try:
        return sum(1 for _ in ws.storage.events())
    finally:
        ws.close()


def test_each_mutation_writes_exactly_one_event(kam: Kam) -> None:
    steps = []
    cu = kam.id("customer", "add", "Contoso Pharma GmbH", "--grade", "A")
    steps.append(cu)
    ct = kam.id("contact", "add", cu, "Klaus Weber", "--role", "decision_maker")
    ld = kam.id("lead", "add", cu, "GMP suite")
    mutations = [
        ("customer", "edit", cu, "--region", "Frankfurt"),
        ("customer", "flag", cu, "--type", "low_credit", "--note", "slow payer"),
        ("contact", "edit", ct, "--coach", "advise"),
        ("lead", "edit", ld, "--need", "data integrity"),
        ("lead", "qualify", ld, "--budget-confirmed", "--authority", ct, "--timeline",
         "2026-06-30"),
        ("opp", "add", cu, "Lab study", "--amount", "90000", "--currency", "EUR"),
        ("activity", "log", cu, "--type", "visit"),
    ]
    for args in mutations:
        before = _event_count(kam)
        kam.ok(*args)
        assert _event_count(kam) == before + 1, args
    opp = kam.json("opp", "list", "--customer", cu)[0]["id"]
    for args in [("opp", "edit", opp, "--margin", "30", "--importance", "I"),
                 ("opp", "check", opp, "find_leads"),
                 ("opp", "uncheck", opp, "find_leads"), ("opp", "approve", opp, "--by", "GM"),
                 ("opp", "bid", opp, "--price", "88000"),
                 ("opp", "abandon", opp, "--reason", "margin")]:
        before = _event_count(kam)
        kam.ok(*args, env={"KAM_USER": "GM"} if "approve" in args else None)  # not the owner
        assert _event_count(kam) == before + 1, args


def test_history_shows_actor_and_related_events(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力")
    ct = kam.id("contact", "add", cu, "王建国", env={"KAM_USER": "张伟"})
    hist = kam.json("history", ct)
    assert [(e["kind"], e["actor"], e["record_id"]) for e in hist] == [
        ("contact.added", "张伟", ct)]
    assert set(hist[0]) >= {"id", "at", "actor", "kind", "record_id", "payload"}
    # the customer's history includes events of its children (refs)
    kinds = [e["kind"] for e in kam.json("history", cu)]
    assert kinds == ["customer.added", "contact.added"]
    assert kam("history", "CU999").exit_code == 3
    assert kam("history", "nonsense").exit_code == 3


def test_json_keys_and_money_strings(kam: Kam) -> None:
    cu = kam.json("customer", "add", "Northwind", "--potential", "2500000.5", "--grade", "B",
                  "--matrix", "成长客户")
    assert cu["potential"] == "2500000.50" and cu["matrix"] == "growth"
    opp = kam.json("opp", "add", cu["id"], "Tracking", "--amount", "420000", "--currency",
                   "usd", "--close-date", "2026-05-31", "--importance", "重要")
    assert OPP_KEYS <= set(opp)
    assert (opp["amount"], opp["currency"], opp["importance"]) == ("420000.00", "USD", "I")
    listed = kam.json("opp", "list")
    assert [o["id"] for o in listed] == [opp["id"]] and OPP_KEYS <= set(listed[0])
    assert listed[0]["close_date"] == "2026-05-31"
    ct = kam.json("contact", "add", cu["id"], "Alice", "--role", "decision_maker", "--role",
                  "user", "--coach", "advise", "--stance", "supporter", "--level", "executive")
    assert ct["roles"] == ["decision_maker", "user"] and ct["customer_id"] == cu["id"]
    assert kam.json("contact", "list", "--customer", cu["id"], "--role", "user")[0]["id"] == ct[
        "id"]


def test_csv_output_neutralises_formulas(kam: Kam) -> None:
    kam.ok("customer", "add", "=HYPERLINK(\"http://x\")", "--region", "-5+3")
    out = kam.ok("customer", "list", "--format", "csv").stdout
    assert out.splitlines()[0].startswith("id,name,")
    assert "'=HYPERLINK" in out and "'-5+3" in out


def test_table_output_aligns_chinese(kam: Kam) -> None:
    from wcwidth import wcswidth

    kam.ok("customer", "add", "华东电力集团", "--region", "上海")
    kam.ok("customer", "add", "Northwind Logistics", "--region", "SG")
    lines = kam.ok("customer", "list").stdout.rstrip("\n").splitlines()
    assert len(lines) == 4
    # the region column starts at the same display position in both rows
    region_cols = {wcswidth(line[: line.index(r)]) for line, r in zip(lines[2:], ("上海", "SG"),
                                                                       strict=True)}
    assert len(region_cols) == 1, lines


def test_every_stored_key_is_documented() -> None:
    from pathlib import Path

    from kam.kinds import EVENT, KINDS

    docs = (Path(__file__).resolve().parents[1] / "docs" / "json.md").read_text("utf-8")
    for k in [*KINDS.values(), EVENT]:
        section = docs.split(f"## {k.name} (")[1].split("\n## ")[0]
        missing = [f.name for f in k.fields if f"| `{f.name}` |" not in section]
        assert not missing, f"docs/json.md lacks {k.name} keys {missing}"


def test_tables_speak_chinese_when_asked(kam: Kam) -> None:
    cu = kam.id("customer", "add", "华东电力", "--grade", "A", "--matrix", "core")
    kam.ok("contact", "add", cu, "王建国", "--title", "总经理", "--role", "decision_maker")
    lines = kam.ok("--lang", "zh", "customer", "list").stdout.splitlines()
    assert lines[0].split() == ["编号", "客户名称", "客户级别", "客户矩阵", "关系", "行业", "区域",
                                "负责人"]
    assert "核心客户" in lines[2] and "A级" in lines[2]
    header = kam.ok("--lang", "zh", "contact", "list").stdout.splitlines()[0].split()
    assert header[2:5] == ["姓名", "职务", "角色"]
    data = kam.json("--lang", "zh", "customer", "list")  # JSON keeps the keys and values
    assert (data[0]["matrix"], data[0]["grade"]) == ("core", "A")
