"""A backend's optional fast paths return exactly what the protocol would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from kam.plugins.storage_sqlite.backend import SQLiteStorage


@pytest.fixture
def storage(tmp_path: Path) -> SQLiteStorage:
    s = SQLiteStorage(tmp_path / "kam.db")
    with s.transaction():
        s.insert("customer", {"id": s.next_id("customer"), "name": "华东"})
        for n, (amount, margin, status) in enumerate(
            [("100.00", "9", "open"), ("250.50", "10", "won"), (None, "32.5", "open"),
             ("0.00", None, "lost")], start=1):
            s.insert("opportunity", {
                "id": s.next_id("opportunity"), "customer_id": "CU1", "title": f"t{n}",
                "amount": Decimal(amount) if amount else None, "currency": "CNY",
                "margin": Decimal(margin) if margin else None, "status": status,
                "stage": "development", "probability": 10 * n})
    return s


@pytest.mark.parametrize("where", [None, {"status": "open"}, {"status__ne": "open"},
                                   {"amount__ge": Decimal("100")}, {"margin__lt": 10},
                                   {"amount__isnull": True}, {"status__in": ["won", "lost"]}])
@pytest.mark.parametrize("order_by", [("id",), ("-margin", "id"), ("amount", "-id")])
def test_select_is_find_projected(storage: SQLiteStorage, where: dict | None,
                                  order_by: tuple[str, ...]) -> None:
    fields = ["id", "amount", "margin", "status"]
    found = [{f: r[f] for f in fields} for r in storage.find("opportunity", where, order_by)]
    assert list(storage.select("opportunity", fields, where, order_by)) == found


def test_select_distinct(storage: SQLiteStorage) -> None:
    got = {r["status"] for r in storage.select("opportunity", ["status"], None, (),
                                               distinct=True)}
    assert got == {"open", "won", "lost"}
    assert len(list(storage.select("opportunity", ["status"], None, (), distinct=True))) == 3
