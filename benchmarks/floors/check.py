"""The floor of a ``kam check`` run that writes (催款): the first run, and the next day's
run (benchmarks/run.py times both). What one python process with ``sqlite3`` alone needs
to write what kam writes on a kam SQLite workspace — one event per reminder due or
overdue level crossed (~100k on large's first run), per renewal reminder, per low-credit
flag raised (with the customer's flags), the event references and the event sequence —
in one transaction with ``executemany``, and print the numbers ``FLOOR_SQL["check"]``
prints (benchmarks/run.py checks them against kam's JSON).

Usage::

    python benchmarks/floors/check.py WORKSPACE

Kam's defaults, as the benchmark workspaces have them: overdue levels 1, 30, 60, 90 days,
due reminders on the day, renewal reminders 90 days ahead, a low-credit flag from 90 days
overdue. ``KAM_TODAY`` (YYYY-MM-DD) is the business date, ``KAM_USER`` the actor (else
the login name, as kam). No plugin's hook is delivered (kam's outbox rows are the
plugins' part). The writes change the workspace: run it on a copy. Only the standard
library is imported, as the floor's cost is the point.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
import sys
from typing import Any

LEVELS = (1, 30, 60, 90)
RENEWAL_DAYS = 90
LOW_CREDIT_DAYS = 90
#: the open milestones (kam's ``idx_receivable_open``, its terms word for word)
OPEN = ("COALESCE(written_off_on, '') = '' AND "
        "COALESCE(amount, 0) - COALESCE(paid, 0) - COALESCE(written_off, 0) > 0")
OUTSTANDING = "COALESCE(amount, 0) - COALESCE(paid, 0) - COALESCE(written_off, 0)"


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Events:
    """Events to write: ids from the sequence at the end, rows kept for executemany."""

    def __init__(self, actor: str) -> None:
        self.actor = actor
        self.at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        self.rows: list[tuple[str, str, str, str, str]] = []  # kind, record, payload, refs
        self.refs: list[list[str]] = []

    def add(self, kind: str, record: str, payload: dict[str, object], refs: list[str]
            ) -> None:
        refs = sorted({r for r in refs if r and r != record})
        self.rows.append((kind, record, _dumps(payload), _dumps(refs)))
        self.refs.append([r for r in {record, *refs} if r])

    def write(self, db: sqlite3.Connection) -> None:
        top = db.execute("UPDATE kam_sequence SET value = value + ? WHERE kind = 'event' "
                         "RETURNING value", (len(self.rows),)).fetchone()[0]
        first = top - len(self.rows) + 1
        db.executemany("INSERT INTO event (id, at, actor, kind, record_id, payload, refs) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ((f"EV{first + i}", self.at, self.actor, *row)
                        for i, row in enumerate(self.rows)))
        db.executemany("INSERT OR IGNORE INTO event_ref (event_id, ref) VALUES (?, ?)",
                       ((f"EV{first + i}", ref) for i, refs in enumerate(self.refs)
                        for ref in refs))


def reminders(db: sqlite3.Connection, today: dt.date, events: Events
              ) -> tuple[int, int, dict[str | None, int]]:
    """Due and overdue reminders not fired before, oldest due first; what is late. What
    fired for each open milestone is looked up by its id (not every reminder ever fired
    read: a team checked daily keeps those of every milestone it has ever been late on)."""
    n_due = n_overdue = 0
    late: dict[str | None, int] = {}
    for rid, co, cu, due, currency, cents, fired in db.execute(
            f"SELECT r.id, r.contract_id, r.customer_id, r.due_date, r.currency,"
            f" {OUTSTANDING}, (SELECT group_concat(CASE e.kind WHEN 'receivable.due'"
            " THEN 'd' ELSE json_extract(e.payload, '$.level') END)"
            " FROM event e INDEXED BY idx_event_reminder"
            " WHERE e.kind IN ('receivable.due', 'receivable.overdue')"
            f" AND e.record_id = r.id) FROM receivable r WHERE {OPEN} AND r.due_date <= ?"
            " ORDER BY r.due_date, r.rowid", (today.isoformat(),)):
        days = (today - dt.date.fromisoformat(due)).days
        if days > 0:
            late[currency] = late.get(currency, 0) + cents
        done = fired.split(",") if fired else []
        payload = {"due_date": due, "days_overdue": days, "outstanding": _money(cents),
                   "currency": currency, "as_of": today.isoformat()}
        if "d" not in done:
            events.add("receivable.due", rid, payload, [co, cu])
            n_due += 1
        for level in LEVELS:
            if days >= level and str(level) not in done:
                events.add("receivable.overdue", rid, {**payload, "level": level}, [co, cu])
                n_overdue += 1
    return n_due, n_overdue, late


def renewals(db: sqlite3.Connection, today: dt.date, events: Events) -> int:
    """Renewal reminders (续单) once per contract and service end, none when renewed."""
    done = set(db.execute("SELECT record_id, json_extract(payload, '$.service_end') "
                          "FROM event WHERE kind = 'contract.renewal_due'"))
    n = 0
    for co, cu, end in db.execute(
            "SELECT id, customer_id, service_end FROM contract WHERE service_end >= ? "
            "AND service_end <= ? AND status IN ('signed', 'executing', 'closed') "
            "AND id NOT IN (SELECT renews_contract_id FROM opportunity WHERE "
            "renews_contract_id IS NOT NULL AND status IN ('open', 'won')) "
            "ORDER BY service_end, rowid",
            (today.isoformat(), (today + dt.timedelta(days=RENEWAL_DAYS)).isoformat())):
        if (co, end) in done:
            continue
        events.add("contract.renewal_due", co, {
            "service_end": end, "days_left": (dt.date.fromisoformat(end) - today).days,
            "as_of": today.isoformat()}, [cu])
        n += 1
    return n


def low_credit(db: sqlite3.Connection, today: dt.date, events: Events) -> int:
    """A ``low_credit`` flag on each customer with money 90+ days overdue and none open."""
    worst: dict[str, list[Any]] = {}  # customer: [how many, then the oldest's fields]
    for cu, rid, due, currency, cents in db.execute(
            f"SELECT customer_id, id, due_date, currency, {OUTSTANDING} FROM receivable "
            f"WHERE {OPEN} AND due_date <= ? AND customer_id IS NOT NULL "
            "ORDER BY customer_id, due_date, rowid",
            ((today - dt.timedelta(days=LOW_CREDIT_DAYS)).isoformat(),)):
        entry = worst.get(cu)
        if entry is None:
            worst[cu] = [1, (today - dt.date.fromisoformat(due)).days, rid, cents, currency]
        else:
            entry[0] += 1
    now = events.at
    updates = []
    for cu in sorted(worst):
        row = db.execute("SELECT flags FROM customer WHERE id = ?", (cu,)).fetchone()
        if row is None:
            continue
        flags = json.loads(row[0]) if row[0] else []
        if any(isinstance(f, dict) and f.get("type") == "low_credit"
               and f.get("decision") != "cleared" for f in flags):
            continue
        n, days, rid, cents, currency = worst[cu]
        note = (f"{n} milestone(s) {LOW_CREDIT_DAYS}+ days overdue (worst {rid}, {days} "
                f"days, {_money(cents)} {currency} outstanding)")
        flags.append({"type": "low_credit", "note": note, "collected_by": "kam check",
                      "collected_at": today.isoformat(), "reviewed_by": None,
                      "decision": None})
        updates.append((_dumps(flags), now, cu))
        events.add("customer.flagged", cu, {"type": "low_credit", "note": note,
                                            "rule": "rules_standard"}, [])
    db.executemany("UPDATE customer SET flags = ?, updated_at = ? WHERE id = ?", updates)
    return len(updates)


def main(folder: str) -> None:
    today = dt.date.fromisoformat(os.environ.get("KAM_TODAY") or dt.date.today().isoformat())
    db = sqlite3.connect(os.path.join(folder, "kam.db"), isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    events = Events(os.environ.get("KAM_USER") or getpass.getuser())
    n_due, n_overdue, late = reminders(db, today, events)
    n_renewals = renewals(db, today, events)
    low_credit(db, today, events)
    events.write(db)
    db.execute("COMMIT")
    print(f"due\t{n_due}\t")
    print(f"overdue\t{n_overdue}\t")
    for currency, cents in late.items():
        print(f"late\t{currency or ''}\t{cents}")
    print(f"renewals\t{n_renewals}\t")


if __name__ == "__main__":
    main(sys.argv[1])
