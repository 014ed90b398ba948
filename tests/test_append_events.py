"""SQLite's ``append_events`` (kam check's reminders, imports) writes what
``append_event`` writes for each event in order: the same event rows, references and
sequence — also when events share objects (one time, one refs list, one payload) as a
run's reminders do, and when a shared list changes between two calls."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.plugins.storage_sqlite.backend import SQLiteStorage

TEXT = st.text(alphabet=st.sampled_from('RC1CO2CU3 "\\\x85逾'), max_size=4)
PAYLOAD = st.dictionaries(TEXT, st.one_of(st.none(), st.integers(-5, 5), TEXT,
                                          st.lists(TEXT, max_size=2)), max_size=3)
AT = st.sampled_from(["2026-06-30T01:02:03+00:00", dt.datetime(2026, 6, 30, 1, 2, 3),
                      dt.date(2026, 6, 30), None])
REFS = st.lists(st.one_of(TEXT, st.none()), max_size=3)
EVENT = st.tuples(st.sampled_from(["receivable.due", "receivable.overdue"]),
                  st.one_of(st.none(), TEXT), PAYLOAD, REFS, AT, st.booleans())


def _rows(path: Path, tables: tuple[str, ...] = ("event", "event_ref", "kam_sequence")
          ) -> list[Any]:
    """Every row of ``tables`` in the database at ``path`` (tests/test_outbox_bulk.py's
    too)."""
    conn = sqlite3.connect(path)
    try:
        return [list(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
                for table in tables]
    finally:
        conn.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(EVENT, min_size=1, max_size=6), min_size=1, max_size=3))
@example([[("receivable.due", "RC1", {"a": 1}, ["CO2", "CU3"], "2026-06-30T01:02:03+00:00",
            True), ("receivable.overdue", "RC1", {"a": 1}, ["CO2", "CU3"],
                    "2026-06-30T01:02:03+00:00", True)],
          [("receivable.due", "RC2", {}, ["CO2", "CU3"], None, True)]])
def test_append_events_is_append_event_each(calls: list[list[tuple[Any, ...]]]) -> None:
    shared_refs = ["CO9", "CU9"]
    shared_at = "2026-06-30T09:00:00+00:00"
    with tempfile.TemporaryDirectory() as folder:
        bulk = SQLiteStorage(Path(folder) / "bulk.db")
        one = SQLiteStorage(Path(folder) / "one.db")
        try:
            for n, events in enumerate(calls):
                drafts = [{"at": shared_at if share else at, "actor": "bench", "kind": kind,
                           "record_id": record_id, "payload": payload,
                           "refs": shared_refs if share else refs}
                          for kind, record_id, payload, refs, at, share in events]
                with bulk.transaction():
                    bulk.append_events(drafts)
                with one.transaction():
                    for draft in drafts:
                        one.append_event(dict(draft))
                shared_refs.append(f"CU{n}")  # the same list, changed before the next call
        finally:
            bulk.close()
            one.close()
        assert _rows(Path(folder) / "bulk.db") == _rows(Path(folder) / "one.db")


def test_money_in_a_payload_is_stored_as_text() -> None:
    """A payload value JSON has no type for goes through ``str`` as before."""
    with tempfile.TemporaryDirectory() as folder:
        s = SQLiteStorage(Path(folder) / "kam.db")
        try:
            with s.transaction():
                s.append_events([{"at": "x", "actor": "a", "kind": "k", "record_id": "RC1",
                                  "payload": {"amount": Decimal("1.50")}, "refs": []}])
        finally:
            s.close()
        assert _rows(Path(folder) / "kam.db")[0][0][5] == '{"amount": "1.50"}'


CHANGE = st.tuples(st.sampled_from(["receivable.due", "customer.flagged"]),
                   st.one_of(st.none(), TEXT), PAYLOAD,
                   st.lists(st.one_of(TEXT, st.none()), max_size=3), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CHANGE, max_size=6), min_size=1, max_size=3),
       st.sampled_from(["2026-06-30T01:02:03+00:00", dt.datetime(2026, 6, 30, 1, 2, 3),
                        None]), st.sampled_from(["bench", None]))
@example([[("receivable.due", "RC1", {"a": Decimal("1.5")}, ["CO2", "CU3", "RC1", None],
            True), ("receivable.due", "RC2", {}, ["CU3", "CO2"], True),
           ("customer.flagged", "CU3", {"type": "low_credit"}, [], False)]],
         "2026-06-30T01:02:03+00:00", "bench")
def test_append_change_events_is_append_events_of_the_drafts(
        calls: list[list[tuple[Any, ...]]], at: Any, actor: Any) -> None:
    """``append_change_events`` (kam.storage.ChangeEvents) writes the rows, references
    and sequence ``append_events`` writes for ``record_events``' drafts, and gives their
    ids — with one refs list shared between changes, as a milestone's reminders share."""
    shared = ["CO9", "CU9"]
    with tempfile.TemporaryDirectory() as folder:
        fast = SQLiteStorage(Path(folder) / "fast.db")
        ref = SQLiteStorage(Path(folder) / "ref.db")
        try:
            for changes in calls:
                tuples = [(kind, record_id, payload, shared if share else refs)
                          for kind, record_id, payload, refs, share in changes]
                drafts = [{"at": at, "actor": actor, "kind": kind, "record_id": record_id,
                           "payload": dict(payload),
                           "refs": sorted({r for r in refs if r and r != record_id})}
                          for kind, record_id, payload, refs in tuples]
                with fast.transaction():
                    got = fast.append_change_events(at, actor, tuples)
                with ref.transaction():
                    want = [e["id"] for e in ref.append_events(drafts)]
                assert got == want
        finally:
            fast.close()
            ref.close()
        assert _rows(Path(folder) / "fast.db") == _rows(Path(folder) / "ref.db")
