"""Each field of each record kind is declared once, in kam.kinds; everything else is
derived from that declaration or checked against it here: the pydantic models that
validate input, the CLI's list columns and labels, report headers, docs/json.md."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import pytest
from kam.kinds import EVENT, KINDS, LABELS, Kind
from kam.vocab import VOCAB

ROOT = Path(__file__).resolve().parents[1]
ALL = [*KINDS.values(), EVENT]
FIELD_NAMES = {f.name for k in ALL for f in (*k.fields, *k.views)}


def _models() -> dict[str, Any]:
    from kam.models.contracts import Attachment, Contract, Invoice
    from kam.models.records import Activity, Contact, Customer, Lead, Opportunity
    from kam.models.service import Complaint, Service, Survey

    return {"customer": Customer, "contact": Contact, "lead": Lead,
            "opportunity": Opportunity, "activity": Activity, "contract": Contract,
            "invoice": Invoice, "attachment": Attachment, "service": Service,
            "survey": Survey, "complaint": Complaint}


#: kinds the services build from checked parts, with no input model of their own
BUILT_BY_SERVICES = {"receivable", "payment", "target", "outbox", "expense", "delivery",
                     "visit_plan"}


def test_every_kind_has_a_model_or_is_built_by_its_service() -> None:
    assert set(KINDS) == set(_models()) | BUILT_BY_SERVICES


@pytest.mark.parametrize("kind", sorted(_models()))
def test_the_input_model_has_exactly_the_declared_fields(kind: str) -> None:
    model = _models()[kind]
    assert list(model.model_fields) == list(KINDS[kind].names) or \
        set(model.model_fields) == set(KINDS[kind].names), kind


def _vocab_of(info: Any) -> str | None:
    for meta in info.metadata:
        name = getattr(getattr(meta, "func", None), "vocab", None)
        if name:
            return str(name)
    for arg in get_args(info.annotation):  # list[Role]: the item's validator
        for meta in getattr(arg, "__metadata__", ()):
            name = getattr(getattr(meta, "func", None), "vocab", None)
            if name:
                return str(name)
    return None


def _python_types(info: Any) -> set[Any]:
    ann = info.annotation
    if get_origin(ann) in (Union, UnionType):
        return {get_origin(a) or a for a in get_args(ann) if a is not type(None)}
    return {get_origin(ann) or ann}


PYTHON = {"money": Decimal, "decimal": Decimal, "date": dt.date, "int": int, "bool": bool,
          "text": str, "datetime": str}


@pytest.mark.parametrize("kind", sorted(_models()))
def test_the_input_model_agrees_with_the_declaration(kind: str) -> None:
    model, declared = _models()[kind], KINDS[kind]
    for f in declared.fields:
        info = model.model_fields[f.name]
        assert info.is_required() == (f.required and f.name != "id") or f.name == "id", (
            f"{kind}.{f.name}: required is {f.required} in kam.kinds")
        assert _vocab_of(info) == f.vocab, f"{kind}.{f.name}: enumeration differs"
        if f.type == "json":
            assert _python_types(info) <= {list, dict}, f"{kind}.{f.name}"
        else:
            assert PYTHON[f.type] in _python_types(info), f"{kind}.{f.name}: {f.type}"


def test_every_field_has_both_labels_and_a_known_enumeration() -> None:
    for k in ALL:
        assert all(k.label), k.name
        for f in (*k.fields, *k.views):
            assert f.label[0] and f.label[1], f"{k.name}.{f.name} has no label"
            assert f.vocab is None or f.vocab in VOCAB, f"{k.name}.{f.name}: {f.vocab}"
            assert f.ref is None or f.ref in KINDS, f"{k.name}.{f.name} -> {f.ref}"


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.name)
def test_list_columns_are_declared_fields(kind: Kind) -> None:
    assert kind.columns, kind.name
    assert all(kind.field(c) is not None for c in kind.columns), kind.name


def test_report_headers_do_not_label_a_field_again() -> None:
    from kam.reports.labels import FIELD_NAMES_MEANING_ELSE, HEADERS

    again = set(HEADERS) & FIELD_NAMES - FIELD_NAMES_MEANING_ELSE
    assert not again, f"labelled in kam.kinds already: {sorted(again)}"
    assert set(LABELS) >= {f.name for k in ALL for f in k.fields}


def _module_assignments(path: Path) -> dict[str, ast.expr]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


def test_the_cli_declares_no_field_lists_labels_or_enumerations() -> None:
    """Column lists, vocab maps and header maps of a kind come from kam.kinds; a CLI
    module may name a subset of a kind's columns for one view, never labels."""
    for path in sorted((ROOT / "core" / "cli").glob("*.py")):
        for name, value in _module_assignments(path).items():
            assert name not in ("COLUMNS", "VOCAB", "HEADERS_ZH"), f"{path.name}: {name}"
            if isinstance(value, ast.Dict):
                keys = {k.value for k in value.keys if isinstance(k, ast.Constant)}
                assert not keys & FIELD_NAMES, f"{path.name}: {name} maps field names"
            if name.endswith("_COLUMNS"):
                columns = ast.literal_eval(value)
                assert all(any(k.field(c) for k in ALL) for c in columns), (path.name, name)


def test_docs_json_md_key_tables_are_made_from_the_declaration() -> None:
    from kam.schema_doc import splice

    path = ROOT / "docs" / "json.md"
    text = path.read_text(encoding="utf-8")
    assert splice(text) == text, (
        "run: python -m kam.schema_doc --write docs/json.md core/records.py")


def test_tables_in_chinese_use_the_declared_labels(kam: Any) -> None:
    kam.ok("target", "set", "张伟", "2026", "1000000")
    header = kam.ok("--lang", "zh", "target", "list").stdout.splitlines()[0].split()
    assert header == [KINDS["target"].header(c, "zh") for c in KINDS["target"].columns]


def test_typed_records_are_made_from_the_declaration() -> None:
    from kam.schema_doc import records_source

    path = ROOT / "core" / "records.py"
    assert records_source() == path.read_text(encoding="utf-8"), (
        "run: python -m kam.schema_doc --write docs/json.md core/records.py")


def test_a_stored_record_has_every_key_of_its_typed_record(ws: Any) -> None:
    import kam.api
    from kam.services import customers

    record = customers.add(ws, "华东电力", grade="A")
    assert set(record) == set(kam.api.Customer.__annotations__)
    assert set(ws.get("customer", record["id"])) == set(kam.api.Customer.__required_keys__)
