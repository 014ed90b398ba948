"""xlsx for managers: every report and every list as a workbook that opens with openpyxl
and holds the same numbers as its JSON; text that looks like a formula stays text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam

#: reports about one record, with the demo's record to show
ONE_RECORD = {"opportunity": "OP1", "account": "CU1", "handover": "CO1", "war-room": "OP1"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Kam:
    from kam.demo import build_demo
    from kam.plugin_manager import Plugins

    path = tmp_path_factory.mktemp("demo") / "ws"
    build_demo(path, Plugins())
    return Kam(path)


def _same(json_value: Any, cell: Any) -> bool:
    if json_value is None:
        return cell is None or cell == ""
    if isinstance(cell, bool) or isinstance(json_value, bool):
        return str(cell).lower() == str(json_value).lower() or cell == json_value
    if isinstance(cell, int | float):
        return Decimal(str(json_value)) == Decimal(str(cell)).quantize(
            Decimal(str(json_value))) if "." in str(json_value) else \
            Decimal(str(json_value)) == Decimal(str(cell))
    if isinstance(cell, dt.datetime):
        return str(json_value) == cell.date().isoformat()
    return True  # text: labels in the workbook, keys in JSON


def _names(kam: Kam) -> list[str]:
    text = kam.ok("report").stdout.splitlines()[2:]
    return [line.split()[0] for line in text if line.strip()]


def test_every_report_as_xlsx_holds_the_numbers_of_its_json(demo: Kam, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import openpyxl

    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    names = _names(demo)
    assert {"pipeline", "aging", "battle-map", "forecast"} <= set(names)
    for name in names:
        args = [name, *([ONE_RECORD[name]] if name in ONE_RECORD else [])]
        data = demo.json("report", *args)
        path = tmp_path / f"{name}.xlsx"
        assert demo.ok("report", *args, "-o", str(path)).stdout.strip() == str(path)
        book = openpyxl.load_workbook(path)
        assert len(book.worksheets) == len(data["tables"]), name
        for sheet, (tname, table) in zip(book.worksheets, data["tables"].items(),
                                         strict=True):
            assert sheet.freeze_panes == "A2"
            grid = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
            rows = [*table["rows"], *table["totals"]]
            assert len(grid) == len(rows), (name, tname)
            for cells, row in zip(grid, rows, strict=True):
                for value, column in zip(cells, table["columns"], strict=True):
                    assert _same(row.get(column), value), (name, tname, column,
                                                           row.get(column), value)


def test_money_is_a_number_in_a_currency_format_and_dates_are_dates(demo: Kam,
                                                                   tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "contracts.xlsx"
    demo.ok("contract", "list", "-o", str(path))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    from kam.kinds import KINDS

    header = [c.value for c in sheet[1]]
    contract = KINDS["contract"]
    assert header == [contract.header(c, "zh") for c in contract.columns]  # a zh demo
    at = {c: header.index(contract.header(c, "zh")) for c in ("amount", "signed_on")}
    amount, signed = sheet.cell(2, at["amount"] + 1), sheet.cell(2, at["signed_on"] + 1)
    assert isinstance(amount.value, int | float) and amount.number_format == "#,##0.00"
    assert isinstance(signed.value, dt.datetime)
    total = sum(Decimal(str(c["amount"])) for c in demo.json("contract", "list"))
    cells = [r[at["amount"]].value for r in sheet.iter_rows(min_row=2)]
    assert sum(Decimal(str(v)) for v in cells) == total


def test_text_that_looks_like_a_formula_stays_text(kam: Kam, tmp_path: Path) -> None:
    import openpyxl

    kam.ok("customer", "add", "=HYPERLINK(\"http://x\",\"y\")", "--industry", "+1+1")
    path = tmp_path / "c.xlsx"
    kam.ok("customer", "list", "--output", str(path))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    name = sheet.cell(2, 2)
    assert name.value == "=HYPERLINK(\"http://x\",\"y\")" and name.data_type == "s"


def test_a_binary_format_needs_an_output_file(kam: Kam) -> None:
    r = kam("report", "pipeline", "-f", "xlsx")
    assert r.exit_code == 2 and "--output" in r.stderr


def test_a_list_in_chinese_has_chinese_headers_and_labels(kam: Kam, tmp_path: Path) -> None:
    import openpyxl

    kam.ok("customer", "add", "华东电力", "--grade", "A", "--matrix", "core")
    path = tmp_path / "客户.xlsx"
    kam.ok("--lang", "zh", "customer", "list", "-o", str(path))
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path).worksheets[0]
            .iter_rows()]
    assert rows[0][:4] == ["编号", "客户名称", "客户级别", "客户矩阵"]
    assert rows[1][2:4] == ["A级", "核心客户"]
