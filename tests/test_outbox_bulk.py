"""The outbox's batch paths write and read what the one-by-one reference does:
SQLite's ``next_ids`` (kam.storage.IdBlocks) the ids ``next_id`` gives, its
``update_many`` (kam.storage.UpdateMany) the rows ``update`` leaves, kam.outbox's
``enqueue_many`` the rows ``enqueue`` writes for each call, and ``decode_text`` (one pass
of the JSON parser) what ``decode`` gives of the parsed text — or the same error."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam import outbox
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.storage import ConflictError
from kam.stored import JSON_TEXT
from test_append_events import _rows as table_rows

KEY = st.sampled_from(["a", "b", "$decimal", "$date", "$datetime", "x y", "逾"])
LEAF = st.one_of(st.none(), st.booleans(), st.integers(-9, 9), st.sampled_from(
    ["", "1.5", "2026-06-30", "2026-06-30T01:02:03+00:00", "x", "\x85"]),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from([Decimal("10.50"), Decimal("-0"), dt.date(2026, 6, 30),
                     dt.datetime(2026, 6, 30, 1, 2, 3, tzinfo=dt.UTC)]))
VALUE = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEY, inner, max_size=3)), max_leaves=8)


def _outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args)
    except Exception as exc:  # noqa: BLE001 — the error is part of the answer
        return "error", type(exc)


@settings(max_examples=300, deadline=None)
@given(VALUE)
@example({"$decimal": {"$decimal": "1"}})
@example({"$decimal": Decimal("1")})
@example({"$date": {"$date": "2026-06-30"}})
@example({"a": {"$decimal": "1.5"}, "b": [{"$date": "2026-06-30"}]})
@example({"$decimal": True})
@example({"$decimal": [{"$decimal": None}]})
def test_decode_text_is_decode_of_the_parsed_text(value: Any) -> None:
    text = JSON_TEXT(outbox.encode(value))
    assert _outcome(outbox.decode_text, text) == _outcome(
        lambda t: outbox.decode(json.loads(t)), text)


def _rows(path: Path) -> list[Any]:
    return table_rows(path, ("outbox", "customer", "kam_sequence"))


class _Plain:
    """A backend with only the protocol's ``next_id``/``insert``/``update``: the
    reference."""

    def __init__(self, storage: SQLiteStorage) -> None:
        self.s = storage

    def next_id(self, kind: str) -> str:
        return self.s.next_id(kind)

    def insert(self, kind: str, record: dict[str, Any]) -> None:
        self.s.insert(kind, record)

    def update(self, kind: str, record_id: str, changes: dict[str, Any]) -> None:
        self.s.update(kind, record_id, changes)


HOOKS = {"kam_event_committed": ["p1"], "kam_contract_event": ["p1", "p2"],
         "kam_receivable_event": []}
CALL = st.tuples(st.sampled_from(sorted(HOOKS)), st.fixed_dictionaries(
    {"event": st.one_of(st.none(), st.fixed_dictionaries({"id": st.sampled_from(
        ["EV1", "EV2"])})), "value": VALUE}))


def _ws(storage: Any) -> Any:
    return SimpleNamespace(storage=storage, plugins=SimpleNamespace(
        implementers=lambda hook: HOOKS[hook]))


def _changes(written: list[str], changes: list[tuple[int, tuple[str, ...]]]
             ) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for n, (i, fields) in enumerate(changes):
        value = {"status": f"s{n}", "tries": n, "error": f"e{n}",
                 "next_at": "2026-06-30T09:00:00+00:00"}
        out.append((written[i % len(written)], {f: value[f] for f in fields}))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CALL, max_size=5), min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(0, 6), st.sampled_from(
           [("status", "tries"), ("tries", "status"), ("status",), ("error", "next_at"),
            ()])), max_size=8))
@example([[("kam_contract_event", {"event": {"id": "EV1"}, "value": Decimal("1")}),
           ("kam_event_committed", {"event": None, "value": {"a": [dt.date(2026, 6, 30)]}})]],
         [(0, ("status",)), (0, ("tries", "status")), (1, ("status",)), (2, ())])
def test_enqueue_many_and_update_many_are_one_by_one(
        batches: list[list[tuple[str, dict[str, Any]]]],
        changes: list[tuple[int, tuple[str, ...]]]) -> None:
    frozen = dt.datetime(2026, 6, 30, 9, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        mp.setattr(outbox, "_now", lambda: frozen)
        bulk, plain, one = (SQLiteStorage(Path(folder) / f"{n}.db")
                            for n in ("bulk", "plain", "one"))
        try:
            written: list[str] = []
            for calls in batches:
                with bulk.transaction():
                    got = outbox.enqueue_many(_ws(bulk), calls)
                with plain.transaction():  # the same function without the capabilities
                    assert outbox.enqueue_many(_ws(_Plain(plain)), calls) == got
                with one.transaction():  # the reference: enqueue for each call
                    want = [row for hook, kwargs in calls
                            for row in outbox.enqueue(_ws(one), hook, kwargs)]
                assert got == want
                written += [r["id"] for r in got]
            if written:
                pairs = _changes(written, changes)
                with bulk.transaction():
                    bulk.update_many("outbox", pairs)
                for s in (one, plain):
                    with s.transaction():
                        for record_id, change in pairs:
                            s.update("outbox", record_id, change)
            want_rows = _rows(Path(folder) / "one.db")
            assert _rows(Path(folder) / "bulk.db") == want_rows
            assert _rows(Path(folder) / "plain.db") == want_rows
        finally:
            for s in (bulk, plain, one):
                s.close()


def test_update_many_of_a_missing_record_is_a_conflict() -> None:
    with tempfile.TemporaryDirectory() as folder:
        s = SQLiteStorage(Path(folder) / "kam.db")
        try:
            with s.transaction():
                rows = outbox.enqueue_many(_ws(s), [("kam_event_committed", {"event": None})])
            with pytest.raises(ConflictError, match="OB9 does not exist"), s.transaction():
                s.update_many("outbox", [(rows[0]["id"], {"status": "delivered"}),
                                         ("OB9", {"status": "delivered"})])
        finally:
            s.close()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=5))
def test_next_ids_are_next_id_each(counts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bulk = SQLiteStorage(Path(folder) / "bulk.db")
        one = SQLiteStorage(Path(folder) / "one.db")
        try:
            for n in counts:
                with bulk.transaction(), one.transaction():
                    assert bulk.next_ids("outbox", n) == [one.next_id("outbox")
                                                          for _ in range(n)]
        finally:
            bulk.close()
            one.close()


def test_record_events_writes_the_hooks_it_fired_in_order(kam: Any) -> None:
    """The hooks fired while ``record_events`` runs are gathered and written at its end:
    per event its ``kam_event_committed`` then what ``each`` fired, ids in that order,
    delivered after the commit in that order — as one ``enqueue`` each wrote them; a
    step undone inside (``attempt``) leaves none of its hooks. On every backend (SQLite
    and PostgreSQL through ``IdBlocks`` and ``BulkInsert``, CSV one by one)."""
    from kam.api import hookimpl

    calls: list[tuple[str, str]] = []

    class Both:
        @hookimpl
        def kam_event_committed(self, ws: Any, event: Any) -> None:
            calls.append(("committed", event["id"]))

        @hookimpl
        def kam_contract_event(self, ws: Any, contract: Any, action: Any, event: Any) -> None:
            calls.append((contract["id"], event["id"]))

    ws = kam.workspace()
    try:
        ws.plugins.register(Both(), "both")

        def each(i: int, event: dict[str, Any]) -> None:
            ws.fire("kam_contract_event", contract={"id": f"CO{i}", "n": Decimal(i)},
                    action="renewal_due", event=event)
            if i == 1:
                with pytest.raises(RuntimeError), ws.attempt():
                    ws.fire("kam_contract_event", contract={"id": "undone"},
                            action="renewal_due", event=event)
                    raise RuntimeError("undone")

        with ws.writing():
            events = ws.record_events([("contract.renewal_due", f"CO{i}", {"i": i}, [])
                                       for i in range(3)], each)
        rows = sorted(ws.storage.find("outbox", {}), key=lambda r: int(r["id"][2:]))
    finally:
        ws.close()
    want = [x for i, e in enumerate(events) for x in (("committed", e["id"]),
                                                      (f"CO{i}", e["id"]))]
    assert calls == want
    assert [(r["hook"], r["event_id"], r["status"]) for r in rows] == [
        (h, e["id"], "delivered") for e in events
        for h in ("kam_event_committed", "kam_contract_event")]
    assert outbox.decode(rows[1]["args"])["contract"] == {"id": "CO0", "n": Decimal(0)}
