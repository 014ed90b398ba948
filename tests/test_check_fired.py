"""``kam check``'s memory of what it fired: SQLite's index of its reminder events
(kam.storage.FiredReminders) answers what the reference computes from the events."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam.plugins.storage_sqlite.backend import SQLiteStorage
from kam.reports.rollups import python_event_values
from kam.services.check import python_fired_reminders
from kam.storage import REMINDER_KINDS, EventValues, FiredReminders

EVENTS = st.lists(st.tuples(
    st.sampled_from(["receivable.due", "receivable.overdue", "contract.renewal_due",
                     "activity.logged"]),
    st.sampled_from(["RC1", "RC2", "CO1"]),
    st.sampled_from([{}, {"level": 30}, {"level": "60"}, {"level": 1, "note": "逾期"},
                     {"level": None}, {"level": [30, "逾期"]}, {"level": {"days": 60}},
                     {"level": True}, {"level": 1.5}, {"due_date": "2026-03-12"}])),
    max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EVENTS)
@example([("receivable.overdue", "RC1", {"level": [30, "逾期"]}),
          ("receivable.overdue", "RC2", {"level": {"days": 60}}),
          ("receivable.due", "RC1", {"level": True}),
          ("receivable.overdue", "RC1", {"level": 30})])
def test_fired_reminders_equal_the_reference(events: list[tuple[str, str, dict[str, Any]]]
                                             ) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s = SQLiteStorage(Path(tmp) / "kam.db")
        try:
            with s.transaction():
                for kind_, record_id, payload in events:
                    s.append_event({"at": "2026-03-01T09:00:00", "actor": "bench",
                                    "kind": kind_, "record_id": record_id,
                                    "payload": payload, "refs": []})
            assert isinstance(s, FiredReminders) and isinstance(s, EventValues)
            ws: Any = SimpleNamespace(storage=s)
            fast = sorted(map(repr, s.fired_reminders()))
            assert fast == sorted(map(repr, python_fired_reminders(ws)))  # EventValues'
            decoded = python_event_values(s, REMINDER_KINDS, "level")  # whole events
            assert fast == sorted(map(repr, decoded))
        finally:
            s.close()
