"""The storage conformance suite: what every backend must do, as pytest tests.

Subclass :class:`StorageConformance` and implement ``open_storage(path)``, which
opens (creating if needed) a backend whose data lives in the folder ``path``; it
must return a new, independent handle each time it is called, so the suite can
reopen the data and open it from other processes. The suite uses the core's
record kinds (customer, contact, opportunity) and the event log.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kam.errors import InputError, StorageError
from kam.storage import ConflictError, Record, Storage

TRICKY_TEXT = [
    "华东电力集团有限公司",
    "Ünïcødé — “quotes” 'single' \"double\"",
    "comma, semicolon; pipe | tab\there",
    "line one\nline two\r\nline three",
    "=SUM(A1:A9)",
    "+86 138 0000 0000",
    "-minus",
    "@handle",
    "emoji 🚀 and 𠀀 (outside the BMP)",
    "  leading and trailing spaces  ",
    "back\\slash and %s {braces}",
]

AMOUNTS = [
    Decimal("0.00"),
    Decimal("0.01"),
    Decimal("300000.00"),
    Decimal("1234567.89"),
    Decimal("999999999999.99"),
]


class _Peeked(Exception):
    pass


def stored(storage: Storage, kind: str, record_id: str) -> Record:
    """The record ``storage.get`` returns, failing the test when there is none."""
    found = storage.get(kind, record_id)
    assert found is not None, f"{kind} {record_id} is not stored"
    return found


def _writer(open_storage: Any, path: Path, tag: str, n: int) -> None:
    """One writer process: ``n`` transactions, each a customer and its event."""
    storage = open_storage(path)
    try:
        for i in range(n):
            with storage.transaction():
                rid = storage.next_id("customer")
                storage.insert("customer", {"id": rid, "name": f"{tag}-{i}"})
                storage.append_event({"at": "2026-03-02T09:00:00+00:00", "actor": tag,
                                      "kind": "customer.added", "record_id": rid,
                                      "payload": {"n": i}, "refs": []})
    finally:
        storage.close()


class StorageConformance:
    """Inherit and implement :meth:`open_storage`; every test here then runs on your backend."""

    def open_storage(self, path: Path) -> Storage:
        raise NotImplementedError("return a storage whose data lives in the folder `path`")

    # --- fixtures -------------------------------------------------------------------

    @pytest.fixture
    def storage_path(self, tmp_path: Path) -> Path:
        path = tmp_path / "store"
        path.mkdir(mode=0o700)
        return path

    @pytest.fixture
    def storage(self, storage_path: Path) -> Iterator[Storage]:
        s = self.open_storage(storage_path)
        yield s
        s.close()

    @pytest.fixture
    def people(self, storage: Storage) -> Storage:
        """Five customers with known values, inserted in id order."""
        rows = [
            ("CU1", "甲 Alpha", "A", Decimal("300000.00"), dt.date(2026, 1, 5), "li"),
            ("CU2", "乙 Beta", "B", Decimal("0.01"), None, "wang"),
            ("CU3", "丙 Gamma", None, None, dt.date(2025, 12, 31), "li"),
            ("CU4", "丁 Delta", "A", Decimal("1500.50"), dt.date(2026, 3, 1), None),
            ("CU10", "戊 Epsilon", "C", Decimal("99.99"), dt.date(2026, 1, 5), "zhao"),
        ]
        with storage.transaction():
            for rid, name, grade, potential, _, owner in rows:
                storage.insert("customer", {"id": rid, "name": name, "grade": grade,
                                            "potential": potential, "owner": owner})
        with storage.transaction():
            for n, (rid, *_, close, _owner) in enumerate(rows, start=1):
                storage.insert("opportunity", {
                    "id": f"OP{n}", "customer_id": rid, "title": f"deal {n}",
                    "amount": Decimal(n * 1000), "close_date": close, "probability": n * 10,
                    "forced": n % 2 == 0, "margin": Decimal(["9", "10", "2.5", "30", "-1"][n - 1]),
                })
        return storage

    def peek_ids(self, storage: Storage) -> tuple[str, str]:
        """The next customer and event ids, without using them up."""
        try:
            with storage.transaction():
                got = storage.next_id("customer"), storage.next_id("event")
                raise _Peeked
        except _Peeked:
            return got

    def ids(self, storage: Storage, kind: str, where: Any = None, **kw: Any) -> list[str]:
        return [r["id"] for r in storage.find(kind, where, **kw)]

    # --- ids ----------------------------------------------------------------------------

    def test_next_id_has_the_prefix_and_counts_per_kind(self, storage: Storage) -> None:
        with storage.transaction():
            got = [storage.next_id("customer"), storage.next_id("customer"),
                   storage.next_id("opportunity"), storage.next_id("customer")]
        assert got == ["CU1", "CU2", "OP1", "CU3"]
        with storage.transaction():
            assert storage.next_id("contact") == "CT1"
            assert storage.next_id("customer") == "CU4"

    def test_next_id_needs_a_transaction(self, storage: Storage) -> None:
        with pytest.raises(StorageError):
            storage.next_id("customer")

    def test_unknown_kind_is_input_error(self, storage: Storage) -> None:
        with pytest.raises(InputError):
            storage.get("no_such_kind", "X1")

    # --- insert / get / update ------------------------------------------------------

    def test_insert_and_get_every_field_type(self, storage: Storage) -> None:
        with storage.transaction():
            storage.insert("customer", {"id": "CU1", "name": "客户", "potential":
                                        Decimal("1234567.89"), "intel": {"竞品": ["X", "Y"],
                                                                         "n": 3},
                                        "potential_drivers": [{"driver": "users", "volume": 5}]})
            storage.insert("opportunity", {
                "id": "OP1", "customer_id": "CU1", "title": "项目", "amount": Decimal("300000"),
                "margin": Decimal("12.5"), "close_date": dt.date(2026, 6, 30),
                "probability": 40, "forced": True, "checklist": ["a", "b"],
                "created_at": "2026-03-02T09:30:00+00:00",
            })
        opp = storage.get("opportunity", "OP1")
        assert opp is not None
        assert opp["amount"] == Decimal("300000.00") and str(opp["amount"]) == "300000.00"
        assert opp["margin"] == Decimal("12.5")
        assert opp["close_date"] == dt.date(2026, 6, 30)
        assert opp["probability"] == 40 and opp["forced"] is True
        assert opp["checklist"] == ["a", "b"]
        assert opp["created_at"] == "2026-03-02T09:30:00+00:00"
        assert opp["stage"] is None and opp["bids"] is None
        cust = stored(storage, "customer", "CU1")
        assert cust["intel"] == {"n": 3, "竞品": ["X", "Y"]}
        assert cust["potential_drivers"] == [{"driver": "users", "volume": 5}]
        assert cust["potential"] == Decimal("1234567.89")
        assert storage.get("customer", "CU2") is None

    @pytest.mark.parametrize("text", TRICKY_TEXT)
    def test_unicode_text_round_trips(self, storage_path: Path, text: str) -> None:
        s = self.open_storage(storage_path)
        with s.transaction():
            s.insert("customer", {"id": "CU1", "name": text, "intel": {"note": text}})
        s.close()
        s = self.open_storage(storage_path)  # from what was written, not from a cache
        try:
            got = stored(s, "customer", "CU1")
            assert got["name"] == text
            assert got["intel"] == {"note": text}
            assert self.ids(s, "customer", {"name": text}) == ["CU1"]
        finally:
            s.close()

    def test_decimal_money_round_trips_exactly(self, storage_path: Path) -> None:
        s = self.open_storage(storage_path)
        with s.transaction():
            for n, amount in enumerate(AMOUNTS, start=1):
                s.insert("customer", {"id": f"CU{n}", "name": str(n), "potential": amount})
            s.insert("opportunity", {"id": "OP1", "customer_id": "CU1", "title": "t",
                                     "margin": Decimal("33.3333")})
        s.close()
        s = self.open_storage(storage_path)
        try:
            got = [r["potential"] for r in s.find("customer")]
            assert got == AMOUNTS
            assert [str(a) for a in got] == ["0.00", "0.01", "300000.00", "1234567.89",
                                             "999999999999.99"]
            assert all(isinstance(a, Decimal) for a in got)
            assert stored(s, "opportunity", "OP1")["margin"] == Decimal("33.3333")
        finally:
            s.close()

    def test_insert_needs_a_transaction(self, storage: Storage) -> None:
        with pytest.raises(StorageError):
            storage.insert("customer", {"id": "CU1", "name": "x"})
        assert storage.get("customer", "CU1") is None

    def test_insert_duplicate_id_is_a_conflict(self, storage: Storage) -> None:
        with storage.transaction():
            storage.insert("customer", {"id": "CU1", "name": "first"})
        with pytest.raises(ConflictError), storage.transaction():
            storage.insert("customer", {"id": "CU1", "name": "second"})
        assert stored(storage, "customer", "CU1")["name"] == "first"

    def test_insert_unknown_field_is_refused(self, storage: Storage) -> None:
        with pytest.raises(StorageError), storage.transaction():
            storage.insert("customer", {"id": "CU1", "name": "x", "no_such_field": 1})
        assert storage.count("customer") == 0

    def test_reference_to_a_missing_record_is_a_conflict(self, storage: Storage) -> None:
        with pytest.raises(ConflictError), storage.transaction():
            storage.insert("contact", {"id": "CT1", "customer_id": "CU404", "name": "x"})
        assert storage.count("contact") == 0

    def test_update_changes_only_the_given_fields(self, people: Storage) -> None:
        with people.transaction():
            people.update("customer", "CU2", {"grade": "A", "potential": Decimal("42.10"),
                                              "owner": None, "flags": [{"type": "low_credit"}]})
        got = stored(people, "customer", "CU2")
        assert got["grade"] == "A" and got["potential"] == Decimal("42.10")
        assert got["owner"] is None and got["flags"] == [{"type": "low_credit"}]
        assert got["name"] == "乙 Beta"
        assert stored(people, "customer", "CU1")["grade"] == "A"

    def test_update_missing_record_or_id_is_refused(self, people: Storage) -> None:
        with pytest.raises(ConflictError), people.transaction():
            people.update("customer", "CU99", {"grade": "A"})
        with pytest.raises(StorageError), people.transaction():
            people.update("customer", "CU1", {"id": "CU77"})
        with pytest.raises(StorageError), people.transaction():
            people.update("customer", "CU1", {"no_such_field": "x"})
        assert stored(people, "customer", "CU1")["name"] == "甲 Alpha"

    # --- find: filters ----------------------------------------------------------------

    def test_filter_eq_and_equality_shorthand(self, people: Storage) -> None:
        assert self.ids(people, "customer", {"grade": "A"}) == ["CU1", "CU4"]
        assert self.ids(people, "customer", {"grade__eq": "A"}) == ["CU1", "CU4"]
        assert self.ids(people, "customer", {"grade": None}) == ["CU3"]
        assert self.ids(people, "customer", {"grade": "A", "owner": "li"}) == ["CU1"]
        assert self.ids(people, "opportunity", {"forced": True}) == ["OP2", "OP4"]
        assert self.ids(people, "opportunity", {"probability": 30}) == ["OP3"]

    def test_filter_ne_keeps_records_without_a_value(self, people: Storage) -> None:
        assert self.ids(people, "customer", {"grade__ne": "A"}) == ["CU2", "CU3", "CU10"]
        assert self.ids(people, "customer", {"grade__ne": None}) == ["CU1", "CU2", "CU4",
                                                                     "CU10"]

    def test_filter_comparisons_on_money(self, people: Storage) -> None:
        # potentials: CU1 300000.00, CU2 0.01, CU3 none, CU4 1500.50, CU10 99.99
        assert self.ids(people, "customer", {"potential__gt": Decimal("99.99")}) == ["CU1",
                                                                                    "CU4"]
        assert self.ids(people, "customer", {"potential__ge": Decimal("99.99")}) == [
            "CU1", "CU4", "CU10"]
        assert self.ids(people, "customer", {"potential__lt": Decimal("1500.50")}) == [
            "CU2", "CU10"]
        assert self.ids(people, "customer", {"potential__le": Decimal("1500.5")}) == [
            "CU2", "CU4", "CU10"]

    def test_filter_comparisons_on_dates_ints_and_decimals(self, people: Storage) -> None:
        # close dates: OP1 2026-01-05, OP2 none, OP3 2025-12-31, OP4 2026-03-01, OP5 2026-01-05
        assert self.ids(people, "opportunity", {"close_date__le": dt.date(2026, 1, 5)}) == [
            "OP1", "OP3", "OP5"]
        assert self.ids(people, "opportunity", {"close_date__gt": dt.date(2026, 1, 5)}) == [
            "OP4"]
        assert self.ids(people, "opportunity", {"probability__ge": 30,
                                                "probability__lt": 50}) == ["OP3", "OP4"]
        # margins 9, 10, 2.5, 30, -1: compared as numbers, not as text
        assert self.ids(people, "opportunity", {"margin__gt": Decimal("9")}) == ["OP2", "OP4"]
        assert self.ids(people, "opportunity", {"margin__lt": Decimal("3")}) == ["OP3", "OP5"]

    def test_filter_in_and_isnull(self, people: Storage) -> None:
        assert self.ids(people, "customer", {"owner__in": ["li", "zhao"]}) == ["CU1", "CU3",
                                                                             "CU10"]
        assert self.ids(people, "customer", {"owner__in": []}) == []
        assert self.ids(people, "customer", {"id__in": ("CU10", "CU2")}) == ["CU2", "CU10"]
        assert self.ids(people, "customer", {"id__in": iter(["CU4"])}) == ["CU4"]
        # values that are stored in another form: dates and money as the filter gives them
        assert self.ids(people, "opportunity", {"close_date__in": [
            dt.date(2026, 1, 5), dt.date(2025, 12, 31)]}) == ["OP1", "OP3", "OP5"]
        assert self.ids(people, "customer", {"potential__in": [Decimal("1500.50")]}) == ["CU4"]
        assert self.ids(people, "customer", {"owner__isnull": True}) == ["CU4"]
        assert self.ids(people, "customer", {"potential__isnull": False}) == [
            "CU1", "CU2", "CU4", "CU10"]

    def test_filter_on_a_reference(self, people: Storage) -> None:
        assert self.ids(people, "opportunity", {"customer_id": "CU10"}) == ["OP5"]

    def test_bad_filters_are_input_errors(self, people: Storage) -> None:
        with pytest.raises(InputError):
            list(people.find("customer", {"nope": 1}))
        with pytest.raises(InputError):
            list(people.find("customer", {"grade__like": "A"}))
        with pytest.raises(InputError):
            list(people.find("customer", order_by=("nope",)))
        with pytest.raises(InputError):
            people.count("customer", {"grade__regex": "A"})

    def test_count_with_and_without_filters(self, people: Storage) -> None:
        assert people.count("customer") == 5
        assert people.count("customer", {"grade": "A"}) == 2
        assert people.count("opportunity", {"amount__ge": Decimal("3000")}) == 3
        assert people.count("contact") == 0

    # --- find: order, limit, offset -----------------------------------------------

    def test_default_order_is_by_numeric_id(self, people: Storage) -> None:
        assert self.ids(people, "customer") == ["CU1", "CU2", "CU3", "CU4", "CU10"]
        assert self.ids(people, "customer", order_by=("-id",)) == ["CU10", "CU4", "CU3",
                                                                   "CU2", "CU1"]

    def test_order_by_fields_with_missing_values(self, people: Storage) -> None:
        # ascending: missing values first; descending: last
        assert self.ids(people, "customer", order_by=("potential",)) == [
            "CU3", "CU2", "CU10", "CU4", "CU1"]
        assert self.ids(people, "customer", order_by=("-potential",)) == [
            "CU1", "CU4", "CU10", "CU2", "CU3"]
        assert self.ids(people, "opportunity", order_by=("margin",)) == [
            "OP5", "OP3", "OP1", "OP2", "OP4"]
        assert self.ids(people, "customer", order_by=("name",)) == [
            "CU4", "CU3", "CU2", "CU10", "CU1"]  # 丁 U+4E01, 丙 4E19, 乙 4E59, 戊 620A, 甲 7532

    def test_order_by_several_fields(self, people: Storage) -> None:
        got = self.ids(people, "opportunity", order_by=("close_date", "-amount"))
        assert got == ["OP2", "OP3", "OP5", "OP1", "OP4"]
        got = self.ids(people, "customer", {"owner__isnull": False}, order_by=("owner", "-id"))
        assert got == ["CU3", "CU1", "CU2", "CU10"]

    def test_limit_and_offset(self, people: Storage) -> None:
        assert self.ids(people, "customer", limit=2) == ["CU1", "CU2"]
        assert self.ids(people, "customer", limit=2, offset=2) == ["CU3", "CU4"]
        assert self.ids(people, "customer", offset=3) == ["CU4", "CU10"]
        assert self.ids(people, "customer", limit=0) == []
        assert self.ids(people, "customer", offset=10) == []
        assert self.ids(people, "customer", {"grade": "A"}, order_by=("-id",), limit=1) == [
            "CU4"]

    # --- events -------------------------------------------------------------------------

    def _event(self, storage: Storage, kind: str, record_id: str, refs: list[str],
               payload: dict[str, Any] | None = None) -> dict[str, Any]:
        return storage.append_event({"at": "2026-03-02T10:00:00+00:00", "actor": "测试员",
                                     "kind": kind, "record_id": record_id,
                                     "payload": payload or {}, "refs": refs})

    def test_events_append_in_order_with_their_fields(self, storage: Storage) -> None:
        with storage.transaction():
            e1 = self._event(storage, "customer.added", "CU1", [],
                             {"name": "华东", "amount": Decimal("300000.00")})
            e2 = self._event(storage, "opportunity.advanced", "OP1", ["CU1"],
                             {"from": "development", "to": "initiation"})
        assert (e1["id"], e2["id"]) == ("EV1", "EV2")
        assert e2["kind"] == "opportunity.advanced" and e2["refs"] == ["CU1"]
        got = list(storage.events())
        assert [e["id"] for e in got] == ["EV1", "EV2"]
        assert got[0] == {"id": "EV1", "at": "2026-03-02T10:00:00+00:00", "actor": "测试员",
                          "kind": "customer.added", "record_id": "CU1",
                          "payload": {"name": "华东", "amount": "300000.00"}, "refs": []}
        assert stored(storage, "event", "EV2")["record_id"] == "OP1"

    def test_events_by_record_include_references(self, storage: Storage) -> None:
        with storage.transaction():
            self._event(storage, "customer.added", "CU1", [])
            self._event(storage, "customer.added", "CU2", [])
            self._event(storage, "opportunity.added", "OP1", ["CU1"])
            self._event(storage, "activity.logged", "AC1", ["CU2", "OP1"])
        assert [e["id"] for e in storage.events(record_id="CU1")] == ["EV1", "EV3"]
        assert [e["id"] for e in storage.events(record_id="OP1")] == ["EV3", "EV4"]
        assert [e["id"] for e in storage.events(record_id="CU2")] == ["EV2", "EV4"]
        assert list(storage.events(record_id="CU9")) == []

    def test_events_by_kind_after_id_and_limit(self, storage: Storage) -> None:
        with storage.transaction():
            for n in range(1, 7):
                self._event(storage, "a.x" if n % 2 else "b.y", f"CU{n}", [])
        assert [e["id"] for e in storage.events(kinds=["b.y"])] == ["EV2", "EV4", "EV6"]
        assert [e["id"] for e in storage.events(after_id="EV4")] == ["EV5", "EV6"]
        assert [e["id"] for e in storage.events(after_id="EV6")] == []
        assert [e["id"] for e in storage.events(kinds=["a.x"], after_id="EV1")] == ["EV3",
                                                                                   "EV5"]
        assert [e["id"] for e in storage.events(limit=2)] == ["EV1", "EV2"]

    def test_events_and_records_persist_across_reopen(self, storage_path: Path) -> None:
        s = self.open_storage(storage_path)
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "x"})
            self._event(s, "customer.added", "CU1", [])
        s.close()
        s = self.open_storage(storage_path)
        try:
            assert stored(s, "customer", "CU1")["name"] == "x"
            assert [e["id"] for e in s.events(record_id="CU1")] == ["EV1"]
            with s.transaction():
                assert s.next_id("customer") == "CU2"
                assert s.next_id("event") == "EV2"
        finally:
            s.close()

    # --- transactions -------------------------------------------------------------------

    def test_a_failed_transaction_writes_nothing(self, storage_path: Path) -> None:
        s = self.open_storage(storage_path)
        with s.transaction():
            s.insert("customer", {"id": s.next_id("customer"), "name": "kept"})
            self._event(s, "customer.added", "CU1", [])
        with pytest.raises(RuntimeError), s.transaction():
            rid = s.next_id("customer")
            s.insert("customer", {"id": rid, "name": "lost"})
            s.update("customer", "CU1", {"name": "changed"})
            self._event(s, "customer.added", rid, [])
            raise RuntimeError("boom")
        for store in (s, self.open_storage(storage_path)):
            assert self.ids(store, "customer") == ["CU1"]
            assert stored(store, "customer", "CU1")["name"] == "kept"
            assert [e["id"] for e in store.events()] == ["EV1"]
            assert self.peek_ids(store) == ("CU2", "EV2")  # no id was used up
            store.close()

    def test_writes_are_visible_inside_their_transaction(self, storage: Storage) -> None:
        with storage.transaction():
            storage.insert("customer", {"id": "CU1", "name": "new"})
            assert stored(storage, "customer", "CU1")["name"] == "new"
            assert storage.count("customer") == 1
            storage.update("customer", "CU1", {"grade": "B"})
            assert self.ids(storage, "customer", {"grade": "B"}) == ["CU1"]
            self._event(storage, "customer.added", "CU1", [])
            assert [e["id"] for e in storage.events(record_id="CU1")] == ["EV1"]

    def test_a_failed_inner_transaction_keeps_the_outer_one(self, storage: Storage) -> None:
        with storage.transaction():
            storage.insert("customer", {"id": "CU1", "name": "outer"})
            with pytest.raises(ValueError), storage.transaction():
                storage.insert("customer", {"id": "CU2", "name": "inner"})
                storage.update("customer", "CU1", {"grade": "D"})
                raise ValueError("inner fails")
            storage.insert("customer", {"id": "CU3", "name": "after"})
        assert self.ids(storage, "customer") == ["CU1", "CU3"]
        assert stored(storage, "customer", "CU1")["grade"] is None

    # --- concurrency --------------------------------------------------------------------

    def test_two_processes_writing_at_once_lose_nothing(self, storage_path: Path) -> None:
        self.open_storage(storage_path).close()  # create the data before the race
        ctx = multiprocessing.get_context("fork")
        n = 20
        procs = [ctx.Process(target=_writer, args=(self.open_storage, storage_path, tag, n))
                 for tag in ("a", "b")]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0, 0]
        s = self.open_storage(storage_path)
        try:
            names = sorted(r["name"] for r in s.find("customer"))
            assert names == sorted([f"a-{i}" for i in range(n)] + [f"b-{i}" for i in range(n)])
            ids = [r["id"] for r in s.find("customer")]
            assert sorted(ids, key=lambda x: int(x[2:])) == [f"CU{i}" for i in range(1, 2 * n + 1)]
            events = list(s.events())
            assert [e["id"] for e in events] == [f"EV{i}" for i in range(1, 2 * n + 1)]
            assert {e["record_id"] for e in events} == set(ids)
            for e in events:  # each event names the record its own transaction wrote
                rec = stored(s, "customer", e["record_id"])
                assert rec["name"] == f"{e['actor']}-{e['payload']['n']}"
        finally:
            s.close()
        assert os.path.isdir(storage_path)
