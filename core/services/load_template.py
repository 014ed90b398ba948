"""``kam template xlsx``: kam's own Excel template for ``kam load --preset kam`` — one
sheet per kind that ``kam load`` takes, headers in the workspace's language (the
fields' labels from kam.kinds), a drop-down list for every enumerated column, and one
example row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kam.i18n import is_zh, pick
from kam.kinds import KINDS
from kam.workspace import Workspace

#: the columns a team fills in, per kind (the rest kam sets), and an example row
SHEETS: dict[str, tuple[tuple[str, ...], tuple[Any, ...]]] = {
    "customer": (("name", "grade", "matrix", "purchase_type", "relationship", "industry",
                  "region", "owner"),
                 ("华东电力集团", "A", "core", "continuous", "trust", "电力", "上海", "张伟")),
    "contact": (("customer_id", "name", "title", "roles", "coach", "stance", "level",
                 "phone", "email"),
                ("华东电力集团", "王建国", "总经理", "decision_maker", "advise", "supporter",
                 "executive", "13800000000", "wang@example.cn")),
    "opportunity": (("customer_id", "title", "stage", "amount", "currency", "close_date",
                     "importance", "owner"),
                    ("华东电力集团", "智能电表二期", "proposal", 1200000, "CNY",
                     "2027-03-31", "I", "张伟")),
    "activity": (("customer_id", "opportunity_id", "date", "type", "outcome", "note",
                  "next_step", "next_due"),
                 ("华东电力集团", "智能电表二期", "2026-11-02", "visit", "advance",
                  "拜访信息中心主任", "提交方案", "2026-11-16")),
    "target": (("owner", "period", "amount", "currency", "note"),
               ("张伟", "2027", 5000000, "CNY", "")),
}


#: the reference columns take a name as well as an id: headed as such
REFERENCES = {"customer_id": ("客户", "Customer"), "opportunity_id": ("商机", "Opportunity")}


def _header(kind: str, column: str, lang: str) -> str:
    if column in REFERENCES:
        return pick(lang, *REFERENCES[column])
    return KINDS[kind].header(column, lang)


def _choices(ws: Workspace, kind: str, name: str) -> list[str]:
    from kam.vocab import VOCAB

    if name == "stage":
        return [s.label(ws.lang) if is_zh(ws.lang) else s.key for s in ws.pipeline().stages]
    f = KINDS[kind].field(name)
    if f is None or f.vocab is None:
        return []
    return [pick(ws.lang, zh, key) for key, (zh, _en) in VOCAB[f.vocab].items()]


def write(ws: Workspace, path: Path) -> Path:
    import io

    from kam.services.reports import write_atomic
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for kind, (columns, example) in SHEETS.items():
        declared = KINDS[kind]
        sheet = book.create_sheet(pick(ws.lang, declared.label[0], declared.name))
        sheet.append([_header(kind, c, ws.lang) for c in columns])
        sheet.append([_example(ws, kind, c, v) for c, v in zip(columns, example, strict=True)])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            letter = get_column_letter(i)
            sheet.cell(1, i).font = Font(bold=True)
            sheet.column_dimensions[letter].width = 18
            choices = _choices(ws, kind, column)
            if choices:
                rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                      allow_blank=True)
                rule.add(f"{letter}2:{letter}1000")
                sheet.add_data_validation(rule)
    out = io.BytesIO()
    book.save(out)
    return write_atomic(path, out.getvalue())


def _example(ws: Workspace, kind: str, column: str, value: Any) -> Any:
    """The example row speaks the workspace's language too (a key → its label)."""
    if not is_zh(ws.lang) or not isinstance(value, str):
        return value
    from kam.vocab import label

    if column == "stage":
        return ws.pipeline().stage(value).label(ws.lang)
    f = KINDS[kind].field(column)
    return label(f.vocab, value, ws.lang) if f is not None and f.vocab else value
