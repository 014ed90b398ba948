"""The reminder history of daily use, added to a benchmark workspace (SQLite).

The generated workspaces hold years of deals, contracts and payments, but no ``kam
check`` ever ran on them: their first run fires every reminder at once (the onboarding
run the runner times as "first run"). A team that runs it every day from cron also keeps
the reminders of every milestone that was late and is paid by now, which every later run
has around it. :func:`add_paid_reminders` writes those: for each milestone paid in full
by today, its due reminder when it was paid on or after its due day, and each overdue
level (1, 30, 60, 90 days) it crossed before it was paid — events of kam's kinds, with
kam's payload fields, references and ids from the workspace's sequence, as a daily run
would have written them on those days. On large: ~186k events.

Usage (on a copy: it writes)::

    python benchmarks/history.py WORKSPACE

Only the standard library is imported: the floor programs run on the same copies.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

LEVELS = (1, 30, 60, 90)

#: (milestone, contract, customer, level (0: the due reminder), due day, currency,
#: amount in cents): one row per reminder, in the order the days they fired came
_FIRED = f"""
    CREATE TEMP TABLE history AS
    WITH lv(level) AS (VALUES (0), {', '.join(f'({n})' for n in LEVELS)})
    SELECT r.id AS rid, r.contract_id AS co, r.customer_id AS cu, lv.level AS level,
           r.due_date AS due, r.currency AS currency, r.amount AS cents
    FROM receivable r JOIN lv
      ON julianday(r.paid_on) - julianday(r.due_date) >= lv.level
    WHERE r.amount > 0 AND r.paid >= r.amount AND r.due_date IS NOT NULL
    ORDER BY date(r.due_date, '+' || lv.level || ' days'), r.rowid, lv.level"""

_DAY = "date(h.due, '+' || h.level || ' days')"
_MONEY = "printf('%d.%02d', h.cents / 100, h.cents % 100)"
#: kam's JSON text of a payload and of references (``json.dumps``' separators, keys and
#: references sorted)
_PAYLOAD = (f"printf('{{\"as_of\": \"%s\", \"currency\": %s, \"days_overdue\": %d, "
            f"\"due_date\": \"%s\"%s, \"outstanding\": \"%s\"}}', {_DAY}, "
            "json_quote(h.currency), h.level, h.due, "
            "CASE h.level WHEN 0 THEN '' ELSE ', \"level\": ' || h.level END, "
            f"{_MONEY})")
_REFS_TEXT = ("CASE WHEN h.co IS NULL OR h.cu IS NULL THEN json_array(coalesce(h.co, h.cu))"
              " ELSE '[' || json_quote(min(h.co, h.cu)) || ', '"
              " || json_quote(max(h.co, h.cu)) || ']' END")
_EVENTS = f"""
    INSERT INTO event (id, at, actor, kind, record_id, payload, refs)
    SELECT 'EV' || (:first + h.rowid - 1), {_DAY} || 'T01:00:00+00:00', 'cron',
           CASE h.level WHEN 0 THEN 'receivable.due' ELSE 'receivable.overdue' END, h.rid,
           {_PAYLOAD}, {_REFS_TEXT}
    FROM history h ORDER BY h.rowid"""
_REFS = """
    INSERT OR IGNORE INTO event_ref (event_id, ref)
    SELECT 'EV' || (:first + h.rowid - 1), r.value
    FROM history h, json_each(json_array(h.rid, h.co, h.cu)) r WHERE r.value IS NOT NULL"""


def add_paid_reminders(db_path: Path) -> int:
    """Write the reminders of the paid milestones in one transaction; how many."""
    db = sqlite3.connect(db_path, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute(_FIRED)
        n = db.execute("SELECT count(*) FROM temp.history").fetchone()[0]
        top = db.execute("UPDATE kam_sequence SET value = value + ? WHERE kind = 'event'"
                         " RETURNING value", (n,)).fetchone()[0]
        first = top - n + 1
        db.execute(_EVENTS, {"first": first})
        db.execute(_REFS, {"first": first})
        db.execute("DROP TABLE temp.history")
        db.execute("COMMIT")
        return int(n)
    finally:
        db.close()


if __name__ == "__main__":
    print(add_paid_reminders(Path(sys.argv[1]) / "kam.db"), "reminders of paid milestones")
