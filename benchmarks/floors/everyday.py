"""Floors for kam's everyday commands: what one python process with ``sqlite3`` alone
needs to do the same read or write on a kam SQLite workspace (issue 15: each command
≤ 2.5× its floor).

Usage (the workspace folder holds kam.db; ids as in the kam command)::

    python benchmarks/floors/everyday.py WORKSPACE list             # kam opp list --limit 50
    python benchmarks/floors/everyday.py WORKSPACE show OP50000     # kam opp show OP50000
    python benchmarks/floors/everyday.py WORKSPACE pay CO10000 100.00 [REF]
                                                                    # kam pay record …
    python benchmarks/floors/everyday.py WORKSPACE activity OP7603  # kam activity log … --type call
    python benchmarks/floors/everyday.py WORKSPACE advance OP7603   # kam opp advance … --force

``KAM_TODAY`` (YYYY-MM-DD) fixes the business date of the writes, ``KAM_USER`` their
actor. The reads print the rows kam prints (tab-separated, not laid out); each write
is one transaction as kam's (the record, the event and its references, the id
sequences) and prints the new id. The writes change the workspace: run them on a copy.
Only the standard library is imported, as the floor's cost is the point.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys

#: the columns ``kam opp list`` shows as a table
LIST_COLUMNS = ("id", "customer_id", "title", "stage", "status", "amount", "currency",
                "probability", "importance", "owner", "close_date")
#: the stages of the six-stage pipeline, in order (advance moves to the next)
STAGES = ("acquisition", "qualification", "development", "proposal", "negotiation",
          "implementation")


def _money(cents: int | None) -> str:
    return "" if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _today() -> str:
    return os.environ.get("KAM_TODAY") or dt.date.today().isoformat()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _next_id(db: sqlite3.Connection, kind: str, prefix: str) -> str:
    value = db.execute("UPDATE kam_sequence SET value = value + 1 WHERE kind = ? "
                       "RETURNING value", (kind,)).fetchone()[0]
    return f"{prefix}{value}"


def _event(db: sqlite3.Connection, kind: str, record: str, payload: dict[str, object],
           refs: list[str]) -> None:
    event_id = _next_id(db, "event", "EV")
    db.execute("INSERT INTO event (id, at, actor, kind, record_id, payload, refs) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               (event_id, _now(), os.environ.get("KAM_USER", ""), kind, record,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
                json.dumps(refs, ensure_ascii=False)))
    db.executemany("INSERT INTO event_ref (event_id, ref) VALUES (?, ?)",
                   [(event_id, ref) for ref in [record, *refs]])


def opp_list(db: sqlite3.Connection) -> None:
    print("\t".join(LIST_COLUMNS))
    for row in db.execute(f"SELECT {', '.join(LIST_COLUMNS)} FROM opportunity "
                          "ORDER BY rowid LIMIT 50"):
        cells = list(row)
        cells[5] = _money(cells[5])
        print("\t".join("" if c is None else str(c) for c in cells))


def opp_show(db: sqlite3.Connection, opp_id: str) -> None:
    cursor = db.execute("SELECT * FROM opportunity WHERE id = ?", (opp_id,))
    row = cursor.fetchone()
    if row is None:
        sys.exit(f"{opp_id} not found")
    for (name, *_), value in zip(cursor.description, row, strict=True):
        print(f"{name}\t{'' if value is None else value}")
    spent = db.execute("SELECT coalesce(sum(amount), 0) FROM expense "
                       "WHERE opportunity_id = ?", (opp_id,)).fetchone()[0]
    print(f"presales budget\t{_money(row[9])}\tspent\t{_money(spent)}")


def pay_record(db: sqlite3.Connection, contract_id: str, amount: str, ref: str) -> None:
    whole, _, fraction = amount.partition(".")
    cents = int(whole) * 100 + int((fraction + "00")[:2])
    with db:
        db.execute("BEGIN IMMEDIATE")
        contract = db.execute("SELECT customer_id, currency FROM contract WHERE id = ?",
                              (contract_id,)).fetchone()
        if contract is None:
            sys.exit(f"{contract_id} not found")
        left, allocations, refs = cents, [], [contract_id, contract[0]]
        for rid, due, paid in db.execute(
                "SELECT id, amount, coalesce(paid, 0) FROM receivable WHERE contract_id = ?"
                " AND written_off_on IS NULL ORDER BY seq", (contract_id,)).fetchall():
            take = min(left, due - paid)
            if take <= 0:
                continue
            db.execute("UPDATE receivable SET paid = ?, updated_at = ? WHERE id = ?",
                       (paid + take, _now(), rid))
            allocations.append({"amount": _money(take), "receivable_id": rid})
            refs.append(rid)
            left -= take
            if not left:
                break
        if left:
            sys.exit("over-payment refused")
        pid = _next_id(db, "payment", "PY")
        db.execute("INSERT INTO payment (id, contract_id, customer_id, amount, currency, "
                   "date, ref, allocations, created_at, status) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed')",
                   (pid, contract_id, contract[0], cents, contract[1], _today(), ref,
                    json.dumps(allocations), _now()))
        _event(db, "payment.recorded", pid,
               {"allocations": allocations, "amount": _money(cents), "currency": contract[1],
                "date": _today(), "ref": ref}, refs)
    print(pid)


def activity_log(db: sqlite3.Connection, opp_id: str) -> None:
    with db:
        db.execute("BEGIN IMMEDIATE")
        opp = db.execute("SELECT customer_id, owner FROM opportunity WHERE id = ?",
                         (opp_id,)).fetchone()
        if opp is None:
            sys.exit(f"{opp_id} not found")
        aid = _next_id(db, "activity", "AC")
        db.execute("INSERT INTO activity (id, opportunity_id, customer_id, type, date, owner,"
                   " contact_ids, created_at, signals) VALUES (?, ?, ?, 'call', ?, ?, '[]',"
                   " ?, '[]')", (aid, opp_id, opp[0], _today(), opp[1], _now()))
        _event(db, "activity.logged", aid, {"type": "call", "date": _today()},
               [opp_id, opp[0]])
    print(aid)


def opp_advance(db: sqlite3.Connection, opp_id: str) -> None:
    with db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT stage, stage_history, customer_id FROM opportunity "
                         "WHERE id = ?", (opp_id,)).fetchone()
        if row is None:
            sys.exit(f"{opp_id} not found")
        stage = STAGES[STAGES.index(row[0]) + 1]
        history = json.loads(row[1] or "[]")
        history.append({"forced": True, "on": _today(), "reason": "benchmark",
                        "stage": stage})
        db.execute("UPDATE opportunity SET stage = ?, stage_history = ?, stage_entered_at = ?,"
                   " forced = 1, updated_at = ? WHERE id = ?",
                   (stage, json.dumps(history, ensure_ascii=False), _today(), _now(), opp_id))
        _event(db, "opportunity.advanced", opp_id,
               {"forced": True, "from": row[0], "on": _today(), "overridden": [],
                "reason": "benchmark", "to": stage}, [row[2]])
    print(stage)


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit(__doc__)
    folder, command, *args = argv
    db = sqlite3.connect(os.path.join(folder, "kam.db"), isolation_level=None)
    if command == "list":
        opp_list(db)
    elif command == "show":
        opp_show(db, args[0])
    elif command == "pay":
        pay_record(db, args[0], args[1], args[2] if len(args) > 2 else "floor")
    elif command == "activity":
        activity_log(db, args[0])
    elif command == "advance":
        opp_advance(db, args[0])
    else:
        sys.exit(__doc__)
    db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
