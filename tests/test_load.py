"""``kam load``: a team's records from Excel, CSV and other CRMs' exports, all or nothing,
on both backends. The Salesforce and Odoo files use those products' documented export
column names and stage names."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import Kam

# ruff: noqa: E501 - the export files' lines are as the products write them

SALESFORCE_ACCOUNTS = """\
Account ID,Account Name,Account Owner,Type,Industry,Billing City,Billing State/Province,Annual Revenue
0015g00000A1,华东电力集团,张伟,Customer - Direct,Energy,上海,上海,5000000
0015g00000A2,Acme Robotics,李娜,Prospect,Manufacturing,苏州,江苏,
"""

SALESFORCE_CONTACTS = """\
Contact ID,First Name,Last Name,Title,Email,Phone,Account Name
0035g00000C1,建国,王,总经理,wang@example.cn,13800000001,华东电力集团
0035g00000C2,Mary,Smith,CTO,mary@acme.example,,Acme Robotics
"""

SALESFORCE_OPPORTUNITIES = """\
Opportunity ID,Opportunity Name,Account Name,Amount,Close Date,Stage,Probability (%),Opportunity Owner,Type,Lead Source
0065g00000O1,智能电表二期,华东电力集团,"1,200,000.00",2027-03-31,Proposal/Price Quote,75,张伟,New Business,Web
0065g00000O2,Robot cell,Acme Robotics,350000,2027-01-15,Qualification,10,李娜,New Business,Partner
0065g00000O3,Old bid,Acme Robotics,90000,2026-06-30,Closed Lost,0,李娜,New Business,Web
0065g00000O4,Signed last year,Acme Robotics,80000,2025-12-01,Closed Won,100,李娜,New Business,Web
"""

ODOO_LEADS = """\
id,Opportunity,Customer,Expected Revenue,Probability,Stage,Salesperson,Expected Closing,Sales Team
__export__.crm_lead_7,数据中心扩容,华东电力集团,800000.00,30.0,Qualified,张伟,2027-02-28,Sales
__export__.crm_lead_8,Spare parts,Acme Robotics,20000.00,10.0,New,李娜,,Sales
"""


def _events(kam: Kam, tmp_path: Path) -> str:
    """Every event, as kam export writes them."""
    out = tmp_path / f"events{len(list(tmp_path.glob('events*')))}"
    kam.ok("export", str(out))
    return (out / "events.csv").read_text("utf-8")


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _accounts(kam: Kam, tmp_path: Path) -> None:
    kam.ok("load", "customers", _write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS),
           "--preset", "salesforce", "--key", "Account ID")


def test_a_salesforce_export_loads_with_its_stages_amounts_and_links(kam: Kam,
                                                                     tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    customers = {c["name"]: c for c in kam.json("customer", "list")}
    assert customers["华东电力集团"]["owner"] == "张伟"
    assert customers["Acme Robotics"]["region"] == "江苏"
    kam.ok("load", "contacts", _write(tmp_path, "contacts.csv", SALESFORCE_CONTACTS),
           "--preset", "salesforce", "--key", "Contact ID")
    contacts = {c["name"]: c for c in kam.json("contact", "list")}
    assert contacts["王建国"]["customer_id"] == customers["华东电力集团"]["id"]
    assert contacts["王建国"]["phone"] == "13800000001"
    assert contacts["Mary Smith"]["customer_id"] == customers["Acme Robotics"]["id"]
    out = kam.json("load", "opportunities",
                   _write(tmp_path, "opps.csv", SALESFORCE_OPPORTUNITIES),
                   "--preset", "salesforce", "--key", "Opportunity ID", "-f", "json")
    assert out["written"] and out["counts"] == {"create": 3, "update": 0, "unchanged": 0,
                                                "skip": 1, "refuse": 0}
    opps = {o["title"]: o for o in kam.json("opp", "list")}
    assert set(opps) == {"智能电表二期", "Robot cell", "Old bid"}
    big = opps["智能电表二期"]
    assert (big["stage"], big["status"], big["amount"]) == ("bidding", "open", "1200000.00")
    assert big["customer_id"] == customers["华东电力集团"]["id"]
    assert (big["close_date"], big["owner"]) == ("2027-03-31", "张伟")
    assert opps["Robot cell"]["stage"] == "development"
    assert opps["Old bid"]["status"] == "lost"
    # the gates a loaded deal skipped are recorded, with the file as the reason
    advanced = [e for e in kam.json("history", big["id"]) if e["kind"] == "opportunity.advanced"]
    assert len(advanced) == 3 and all(e["payload"]["forced"] for e in advanced)
    assert "loaded from opps.csv" in advanced[0]["payload"]["reason"]
    assert kam("doctor").exit_code == 0


def test_loading_the_same_files_again_with_key_changes_nothing(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    opps = _write(tmp_path, "opps.csv", SALESFORCE_OPPORTUNITIES)
    kam.ok("load", "opportunities", opps, "--preset", "salesforce", "--key", "Opportunity ID")
    before = _events(kam, tmp_path)
    again = kam.json("load", "opportunities", opps, "--preset", "salesforce", "--key",
                     "Opportunity ID", "-f", "json")
    assert again["counts"]["unchanged"] == 3 and again["counts"]["create"] == 0
    accounts = kam.json("load", "customers", str(tmp_path / "accounts.csv"), "--preset",
                        "salesforce", "--key", "Account ID", "-f", "json")
    assert accounts["counts"]["unchanged"] == 2
    assert _events(kam, tmp_path) == before  # no event: nothing changed
    # a changed amount in the file updates that one deal
    changed = SALESFORCE_OPPORTUNITIES.replace("350000", "360000")
    out = kam.json("load", "opportunities", _write(tmp_path, "opps2.csv", changed),
                   "--preset", "salesforce", "--key", "Opportunity ID", "-f", "json")
    assert out["counts"]["update"] == 1
    assert {o["title"]: o["amount"] for o in kam.json("opp", "list")}["Robot cell"] == \
        "360000.00"


def test_an_odoo_export_loads(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    kam.ok("load", "opportunities", _write(tmp_path, "crm_lead.csv", ODOO_LEADS),
           "--preset", "odoo", "--key", "id")
    opps = {o["title"]: o for o in kam.json("opp", "list")}
    assert opps["数据中心扩容"]["stage"] == "initiation"
    assert opps["数据中心扩容"]["amount"] == "800000.00"
    assert opps["Spare parts"]["stage"] == "development"
    assert opps["Spare parts"]["close_date"] is None


def test_a_gbk_csv_from_excel_loads_with_chinese_headers(kam: Kam, tmp_path: Path) -> None:
    text = ("客户名称,客户级别,行业,区域,负责人\r\n华东电力,A级,电力,上海,张伟\r\n"
            "西部矿业,B,矿业,青海,李娜\r\n")
    kam.ok("load", "客户", _write(tmp_path, "客户.csv", text, "gbk"))
    rows = {c["name"]: c for c in kam.json("customer", "list")}
    assert rows["华东电力"]["grade"] == "A" and rows["西部矿业"]["region"] == "青海"


def test_an_xlsx_with_merged_header_cells_and_blank_rows_loads(kam: Kam,
                                                               tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商机"
    sheet.append(["项目信息", None, "金额与日期", None, "客户"])
    sheet.append(["项目名称", "阶段", "金额", "预计签单日期", None])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("E1:E2")
    sheet.append(["智能电表", "提案", 1200000, dt.datetime(2027, 3, 31), "华东电力"])
    sheet.append([None, None, None, None, None])
    sheet.append(["配网改造", "商务谈判", 530000.5, "2027/6/30", "华东电力"])
    path = tmp_path / "deals.xlsx"
    book.save(path)
    kam.ok("customer", "add", "华东电力")
    out = kam.json("load", "opps", str(path), "--sheet", "商机", "-f", "json")
    assert [r["row"] for r in out["rows"]] == [3, 5]
    opps = {o["title"]: o for o in kam.json("opp", "list")}
    assert (opps["智能电表"]["stage"], opps["智能电表"]["close_date"]) == ("proposal",
                                                                          "2027-03-31")
    assert (opps["配网改造"]["stage"], opps["配网改造"]["amount"]) == ("negotiation",
                                                                       "530000.50")


def test_one_bad_row_refuses_the_file_whole_naming_the_row(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    before = _events(kam, tmp_path)
    bad = SALESFORCE_OPPORTUNITIES.replace("2027-01-15", "next spring")
    r = kam("load", "opportunities", _write(tmp_path, "bad.csv", bad), "--preset",
            "salesforce")
    assert r.exit_code == 2
    assert "row 3:" in r.stderr and "next spring" in r.stderr
    assert "nothing loaded" in r.stderr and "Traceback" not in r.stderr
    assert kam.json("opp", "list") == [] and _events(kam, tmp_path) == before


def test_dry_run_shows_each_row_and_keeps_nothing(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    before = _events(kam, tmp_path)
    text = SALESFORCE_OPPORTUNITIES.replace("Robot cell,Acme Robotics",
                                            "Robot cell,Nobody Inc")
    r = kam("load", "opportunities", _write(tmp_path, "o.csv", text), "--preset",
            "salesforce", "--dry-run", "-f", "json")
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    assert out["dry_run"] and not out["written"]
    actions = {row["row"]: (row["action"], row["reason"]) for row in out["rows"]}
    assert actions[2][0] == "create" and actions[5][0] == "skip"
    assert actions[3] == ("refuse", "customer 'Nobody Inc': no such customer; load "
                                    "customers first")
    assert _events(kam, tmp_path) == before
    good = kam("load", "opportunities", _write(tmp_path, "g.csv", SALESFORCE_OPPORTUNITIES),
               "--preset", "salesforce", "--dry-run")
    assert good.exit_code == 0 and "dry run, nothing kept: 3 create, 1 skip" in good.stderr
    assert kam.json("opp", "list") == []


def test_ambiguous_names_are_refused_with_the_candidates(kam: Kam, tmp_path: Path) -> None:
    kam.ok("customer", "add", "华东电力")
    kam.ok("customer", "add", "华东电力")
    r = kam("load", "contacts", _write(tmp_path, "c.csv", "姓名,所属客户\n王建国,华东电力\n"))
    assert r.exit_code == 2 and "ambiguous: CU1, CU2" in r.stderr


def test_map_and_map_value_name_a_companys_own_words(kam: Kam, tmp_path: Path) -> None:
    kam.ok("customer", "add", "华东电力")
    text = "名称,客户,合同额,进度\n智能电表,华东电力,100000,方案阶段\n"
    r = kam("load", "opportunities", _write(tmp_path, "x.csv", text))
    assert r.exit_code == 2 and "no column for title" in r.stderr
    kam.ok("load", "opportunities", str(tmp_path / "x.csv"), "--map", "名称=title",
           "--map", "合同额=amount", "--map", "进度=stage",
           "--map-value", "stage:方案阶段=proposal")
    opp = kam.json("opp", "list")[0]
    assert (opp["title"], opp["amount"], opp["stage"]) == ("智能电表", "100000.00", "proposal")


def test_jsonl_activities_and_targets_load(kam: Kam, tmp_path: Path) -> None:
    cu = kam.id("customer", "add", "华东电力")
    lines = [{"date": "2026-11-02", "type": "拜访", "customer": "华东电力", "outcome": "有进展",
              "note": "met the CIO"},
             {"date": "2026-11-09", "type": "call", "customer": cu, "note": "follow-up"}]
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    kam.ok("load", "activities", str(path))
    calls = kam.json("activity", "list")
    assert sorted((c["date"], c["type"], c["outcome"]) for c in calls) == [
        ("2026-11-02", "visit", "advance"), ("2026-11-09", "call", None)]
    targets = "负责人,期间,目标金额\n张伟,2027,5000000\n李娜,2027-Q1,1000000\n"
    kam.ok("load", "targets", _write(tmp_path, "t.csv", targets))
    assert {(t["owner"], t["period"], t["amount"]) for t in kam.json("target", "list")} == {
        ("张伟", "2027", "5000000.00"), ("李娜", "2027-Q1", "1000000.00")}


def test_load_reports_unknown_kinds_files_and_sheets_in_one_line(kam: Kam,
                                                                tmp_path: Path) -> None:
    assert kam("load", "widgets", "x.csv").exit_code == 2
    r = kam("load", "customers", str(tmp_path / "missing.csv"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = kam("load", "customers", _write(tmp_path, "a.csv", "客户名称\nX\n"), "--sheet", "1")
    assert r.exit_code == 2 and "--sheet" in r.stderr


def test_kams_own_template_loads_back_in_either_language(kam: Kam, tmp_path: Path) -> None:
    import openpyxl

    english = Kam(tmp_path / "en-ws", kam.backend)
    english.ok("init", "--backend", kam.backend, "--lang", "en")
    for lang, ws in (("zh", kam), ("en", english)):
        book = tmp_path / f"template-{lang}.xlsx"
        ws.ok("--lang", lang, "template", "xlsx", str(book))
        sheets = openpyxl.load_workbook(book).sheetnames
        assert len(sheets) == 5
        for kind, sheet in zip(("customers", "contacts", "opportunities", "activities",
                                "targets"), sheets, strict=True):
            r = ws("--lang", lang, "load", kind, str(book), "--sheet", sheet, "--preset",
                    "kam", "-f", "json")
            assert r.exit_code == 0, (lang, kind, r.stderr)
            out = json.loads(r.stdout)
            assert out["counts"]["refuse"] == 0 and out["written"], (lang, kind)
        opp = ws.json("opp", "list")[0]
        assert (opp["stage"], opp["importance"], opp["amount"]) == ("proposal", "I",
                                                                    "1200000.00")


CONTRACTS = """\
合同编号,客户名称,合同名称,合同金额,签订日期,付款方式,已回款,回款日期,到货日期
HT-2025-031,华东电力集团,配网自动化一期,"1,000,000",2025-09-01,"down_payment:30%:+10d,on_delivery:60%:+30d,warranty:10%:+12m",900000,2026-03-15,2026-01-10
HT-2026-007,Acme Robotics,Robot cell spares,200000,2026-10-20,,,,
"""


def test_signed_contracts_load_with_what_was_collected(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    path = _write(tmp_path, "contracts.csv", CONTRACTS)
    kam.ok("load", "contracts", path, "--key", "合同编号")
    contracts = {c["number"]: c for c in kam.json("contract", "list")}
    old, new = contracts["HT-2025-031"], contracts["HT-2026-007"]
    assert (old["status"], old["signed_on"], old["amount"]) == ("executing", "2025-09-01",
                                                                "1000000.00")
    assert new["status"] == "signed"
    milestones = kam.json("receivable", "list", "--contract", old["id"])
    assert [(m["kind"], m["paid"], m["state"]) for m in milestones] == [
        ("down_payment", "300000.00", "paid"), ("on_delivery", "600000.00", "paid"),
        ("warranty", "0.00", "scheduled")]
    deals = {o["id"]: o for o in kam.json("opp", "list")}
    assert deals[old["opportunity_id"]]["status"] == "won"
    events = _events(kam, tmp_path)
    assert "contract.carried_over" in events and "loaded from contracts.csv" in events
    assert kam("doctor").exit_code == 0
    outstanding = sum(Decimal(m["outstanding"]) for m in kam.json("receivable", "list"))
    aging = kam.json("report", "aging")["tables"]["by_currency"]["rows"][0]
    assert Decimal(aging["total"]) == outstanding == Decimal("300000.00")
    again = kam.json("load", "contracts", path, "--key", "合同编号", "-f", "json")
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 2, "skip": 0,
                               "refuse": 0}


def test_a_payment_without_its_date_is_refused(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    text = CONTRACTS.replace("900000,2026-03-15", "900000,")
    r = kam("load", "contracts", _write(tmp_path, "c.csv", text))
    assert r.exit_code == 2 and "row 2: paid" in r.stderr and "回款日期" in r.stderr
    assert kam.json("contract", "list") == []


def test_payments_load_against_contracts_by_number(kam: Kam, tmp_path: Path) -> None:
    _accounts(kam, tmp_path)
    kam.ok("load", "contracts", _write(tmp_path, "contracts.csv", CONTRACTS))
    text = "合同编号,回款金额,回款日期,银行流水号\nHT-2026-007,60000,2026-11-05,BK-1\n" \
           "HT-2026-007,5000,2026-11-20,BK-2\n"
    kam.ok("load", "payments", _write(tmp_path, "pay.csv", text))
    co = {c["number"]: c["id"] for c in kam.json("contract", "list")}["HT-2026-007"]
    paid = [(p["amount"], p["date"], p["ref"]) for p in kam.json("pay", "list", "--contract",
                                                                co)]
    assert paid == [("60000.00", "2026-11-05", "BK-1"), ("5000.00", "2026-11-20", "BK-2")]
    over = "合同编号,回款金额,回款日期\nHT-2026-007,999999,2026-11-21\n"
    r = kam("load", "payments", _write(tmp_path, "over.csv", over))
    assert r.exit_code == 2 and "row 2: over-payment" in r.stderr


def test_a_traditional_chinese_file_loads(kam: Kam, tmp_path: Path) -> None:
    text = "客戶名稱,客戶級別,客戶矩陣,區域,負責人\n台北捷運,A級,核心客戶,臺北,陳志明\n"
    kam.ok("load", "customers", _write(tmp_path, "客戶.csv", text))
    cu = kam.json("customer", "list")[0]
    assert (cu["name"], cu["grade"], cu["matrix"], cu["region"]) == (
        "台北捷運", "A", "core", "臺北")
    deals = "客戶,項目名稱,階段,預計合同金額\n台北捷運,號誌系統更新,商務談判,8800000\n"
    kam.ok("load", "opportunities", _write(tmp_path, "商機.csv", deals))
    opp = kam.json("opp", "list")[0]
    assert (opp["stage"], opp["amount"]) == ("negotiation", "8800000.00")
