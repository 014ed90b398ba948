"""Between kam's records and PostgreSQL rows: values, row decoding, WHERE and ORDER BY.

SQL is built only from field names checked against the kind, never from user text;
values travel as parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kam.kinds import Kind
from kam.storage import Record, Where, split_filter, split_order

_SQL_OPS = {"eq": "=", "ne": "IS DISTINCT FROM", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_CENT = Decimal("0.01")


def to_db(ftype: str, value: Any) -> Any:
    """A record's value as the column takes it (json as sorted text, as SQLite has it)."""
    if value is None:
        return None
    if ftype == "money":
        return Decimal(value).quantize(_CENT)  # as SQLite's integer cents: half-even
    if ftype == "bool":
        return bool(value)
    if ftype == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if ftype == "datetime":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if ftype == "decimal":
        return Decimal(str(value))
    if ftype == "int":
        return int(value)
    return value


def json_value(value: str) -> Any:
    """A json column's stored text, decoded."""
    if value == "[]":
        return []
    if value == "{}":
        return {}
    return json.loads(value)


Decoder = Callable[[tuple[Any, ...]], Record]
_DECODERS: dict[tuple[str, tuple[str, ...]], tuple[Kind, Decoder]] = {}


def decoder(k: Kind, names: tuple[str, ...]) -> Decoder:
    """Row → record, built once per kind and column set: only json needs converting
    (psycopg already gives Decimal, date, bool and int)."""
    key = (k.name, names)
    found = _DECODERS.get(key)
    if found is not None and found[0] is k:
        return found[1]
    jsons = [n for n in names if k.field(n) is not None and k.type_of(n) == "json"]

    def decode(row: tuple[Any, ...]) -> Record:
        out = dict(zip(names, row, strict=True))
        for name in jsons:
            value = out[name]
            if value is not None:
                out[name] = json_value(value)
        return out

    _DECODERS[key] = (k, decode)
    return decode


def order_sql(k: Kind, key: str) -> str:
    """SQLite's order: ids by number (``CU2`` before ``CU10``), missing values first
    ascending and last descending."""
    field, desc = split_order(k, key)
    direction = "DESC NULLS LAST" if desc else "ASC NULLS FIRST"
    if field == "id":
        return f"length(id) {direction}, id {direction}"
    return f'"{field}" {direction}'


def where_sql(k: Kind, where: Where | None) -> tuple[str, list[Any]]:
    """`` WHERE ...`` and its parameters; field names checked against the kind."""
    if not where:
        return "", []
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in where.items():
        field, op = split_filter(k, key)
        ftype = k.type_of(field)
        col = f'"{field}"'
        if op == "isnull":
            clauses.append(f"{col} IS NULL" if value else f"{col} IS NOT NULL")
        elif op == "in":
            items = [to_db(ftype, v) for v in value]
            if not items:
                clauses.append("FALSE")
            else:  # one array, not a parameter each: 10× faster for 1,000 ids
                clauses.append(f"{col} = ANY(%s)")
                params.append(items)
        elif value is None and op in ("eq", "ne"):
            clauses.append(f"{col} IS NULL" if op == "eq" else f"{col} IS NOT NULL")
        else:
            clauses.append(f"{col} {_SQL_OPS[op]} %s")
            params.append(to_db(ftype, value))
    return " WHERE " + " AND ".join(clauses), params
