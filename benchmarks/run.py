"""Measure kam against the speed and memory bars of quality.md; write BENCHMARKS.md.

    python benchmarks/run.py                     # medium and large, all bars
    python benchmarks/run.py --quick             # fewer runs, no import bar
    python benchmarks/run.py --sizes medium      # only what medium can show
    python benchmarks/run.py --output -          # print instead of writing BENCHMARKS.md

Every number is a whole process (``kam …`` as a user runs it), the median of several
runs; ratios compare things measured side by side in the same run, so a slower or
busier machine moves both sides. Peak memory is the child's own ``ru_maxrss`` (from
``os.wait4``). Generated workspaces are cached under ``--root`` (default
/tmp/kam-bench) by backend, size and seed; mutations run on a copy.

The floor for a report is one hand-written SQL query run by Python's ``sqlite3`` in
its own process, printing the same numbers; its totals are checked against kam's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import history  # noqa: E402

REPORTS = ("pipeline", "forecast", "aging", "battle-map")
FORMATS = ("table", "json", "csv", "md")
ALL_REPORTS = ("pipeline", "funnel", "forecast", "win-loss", "activity", "targets", "aging",
               "battle-map", "renewals")
TODAY = generate.TODAY.isoformat()

# --- the floor: one hand-written SQL query per report --------------------------------------

#: a milestone's outstanding cents, days overdue and state in the battle map's floor (as
#: kam.models.receivable_state.receivable_view gives them)
_B_OPEN = ("(CASE WHEN written_off_on IS NOT NULL THEN 0 ELSE max(0, coalesce(amount, 0)"
           " - coalesce(paid, 0) - coalesce(written_off, 0)) END)")
_B_DAYS = (f"(CASE WHEN due_date < :today AND {_B_OPEN} > 0"
           " THEN CAST(julianday(:today) - julianday(due_date) AS INTEGER) ELSE 0 END)")
_B_STATE = (f"(CASE WHEN written_off_on IS NOT NULL THEN 'written_off' WHEN {_B_OPEN} = 0"
            " THEN 'paid' WHEN coalesce(paid, 0) > 0 THEN 'partially_paid'"
            " WHEN due_date IS NULL THEN 'scheduled' WHEN due_date < :today THEN 'overdue'"
            " ELSE 'due' END)")

FLOOR_SQL: dict[str, str] = {
    # kam today (7 days ahead): next steps due and milestones open and due, counted
    "today": """
        WITH a AS (
          SELECT next_due, MAX(date || printf('%020d', rowid)) FROM activity
          WHERE date <= :today AND (opportunity_id IS NULL OR opportunity_id IN (
            SELECT id FROM opportunity WHERE status IN ('open', 'won')
            AND completed_at IS NULL))
          GROUP BY coalesce(opportunity_id, customer_id))
        SELECT 'next_steps', count(*), 0 FROM a
        WHERE next_due IS NOT NULL AND next_due <= date(:today, '+7 days')
        UNION ALL
        SELECT 'receivables', count(*),
               coalesce(sum(amount - coalesce(paid, 0) - coalesce(written_off, 0)), 0)
        FROM receivable WHERE written_off_on IS NULL
          AND amount - coalesce(paid, 0) - coalesce(written_off, 0) > 0
          AND due_date IS NOT NULL AND due_date <= date(:today, '+7 days')""",
    "pipeline": """
        SELECT stage, currency, count(*), sum(amount), sum((amount * probability + 50) / 100)
        FROM opportunity
        WHERE status = 'open' AND pipeline = 'six_stage' AND completed_at IS NULL
        GROUP BY stage, currency ORDER BY stage, currency""",
    "forecast": """
        WITH d AS (
          SELECT currency, amount, status, forecast_category AS cat, probability,
                 CASE WHEN status = 'won' THEN coalesce(closed_at, close_date)
                      ELSE close_date END AS day
          FROM opportunity WHERE status = 'won' OR (status = 'open'
            AND coalesce(forecast_category, 'pipeline') IN ('pipeline', 'best_case', 'commit')))
        SELECT CASE WHEN day IS NULL THEN 'unscheduled' ELSE substr(day, 1, 4) || '-Q' ||
                    ((CAST(substr(day, 6, 2) AS INTEGER) + 2) / 3) END AS period, currency,
               sum(CASE WHEN status = 'open' AND coalesce(cat, 'pipeline') = 'pipeline'
                        THEN amount ELSE 0 END),
               sum(CASE WHEN status = 'open' AND cat = 'best_case' THEN amount ELSE 0 END),
               sum(CASE WHEN status = 'open' AND cat = 'commit' THEN amount ELSE 0 END),
               sum(CASE WHEN status = 'won' THEN amount ELSE 0 END),
               sum(CASE WHEN status = 'open' AND coalesce(cat, 'pipeline') IN
                        ('pipeline', 'best_case', 'commit')
                        THEN (amount * probability + 50) / 100 ELSE 0 END)
        FROM d GROUP BY period, currency ORDER BY period, currency""",
    "aging": """
        WITH r AS (
          SELECT r.customer_id, r.currency, c.owner,
                 r.amount - coalesce(r.paid, 0) - coalesce(r.written_off, 0) AS open_,
                 CASE WHEN r.due_date < :today
                      THEN CAST(julianday(:today) - julianday(r.due_date) AS INTEGER)
                      ELSE 0 END AS days
          FROM receivable r JOIN contract c ON c.id = r.contract_id
          WHERE r.written_off_on IS NULL),
        b AS (
          SELECT customer_id, currency, owner, open_,
                 CASE WHEN days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2
                      WHEN days <= 90 THEN 3 WHEN days <= 180 THEN 4 ELSE 5 END AS bucket
          FROM r WHERE open_ > 0)
        SELECT 'currency', currency, '', bucket, sum(open_) FROM b
          GROUP BY currency, bucket
        UNION ALL
        SELECT 'customer', b.customer_id || ' ' || cu.name, b.currency, bucket, sum(open_)
          FROM b JOIN customer cu ON cu.id = b.customer_id
          GROUP BY b.customer_id, b.currency, bucket
        UNION ALL
        SELECT 'owner', owner, currency, bucket, sum(open_) FROM b
          GROUP BY owner, currency, bucket""",
    # every number the map prints: each milestone's state and days overdue, the next
    # action's milestone (most days overdue, then most outstanding, else the earliest due;
    # plan order breaks ties) with its latest collection note, collected % to the
    # hundredth (half up), the terms, and 情理法 (法: the documents the contract's progress
    # needs are attached)
    "battle-map": f"""
        WITH per AS (
          SELECT contract_id, sum(coalesce(paid, 0)) AS collected, sum({_B_OPEN}) AS open_,
                 group_concat(kind || ' ' || amount || ' ' || coalesce(due_date, '-') || ' '
                              || {_B_STATE} || ' ' || {_B_DAYS}, ' | ')
                   AS milestones,
                 group_concat(coalesce(nullif(share, ''),
                                       printf('%d.%02d', amount / 100, amount % 100)), '/')
                   AS terms
          FROM receivable GROUP BY contract_id)
        SELECT c.id, cu.name, c.number, c.status, c.owner, c.amount, c.currency,
               per.collected, per.open_,
               CASE WHEN c.amount THEN (per.collected * 20000 + c.amount) / (2 * c.amount) END,
               per.terms, per.milestones,
               (SELECT kind || ' ' || {_B_OPEN} || ' ' || {_B_DAYS} || ' '
                       || coalesce(due_date, '-')
                       || coalesce(' ' || json_extract(collection_notes, '$[#-1]'), '')
                FROM receivable r WHERE r.contract_id = c.id
                  AND ({_B_DAYS} > 0 OR (due_date IS NOT NULL AND {_B_OPEN} > 0))
                ORDER BY {_B_DAYS} DESC,
                         CASE WHEN {_B_DAYS} > 0 THEN -({_B_OPEN}) END,
                         due_date, seq, rowid
                LIMIT 1),
               EXISTS (SELECT 1 FROM activity a WHERE a.customer_id = c.customer_id
                       AND a.date >= date(:today, '-30 days') AND a.date <= :today),
               c.delivered_on IS NOT NULL,
               EXISTS (SELECT 1 FROM attachment t WHERE t.contract_id = c.id
                       AND t.kind = 'contract')
                 AND (c.delivered_on IS NULL OR EXISTS (SELECT 1 FROM attachment t
                      WHERE t.contract_id = c.id AND t.kind = 'delivery_note'))
                 AND (c.final_accepted_on IS NULL OR EXISTS (SELECT 1 FROM attachment t
                      WHERE t.contract_id = c.id AND t.kind = 'acceptance'))
        FROM contract c JOIN per ON per.contract_id = c.id
        JOIN customer cu ON cu.id = c.customer_id
        WHERE per.open_ > 0  -- any status: closed and terminated contracts may owe too
        ORDER BY c.currency, per.open_ DESC, c.id""",
    # the battle map's floor of runs A–I: the sums and the milestones as stored (no state,
    # days overdue, next action nor 法 by document), timed beside the one above
    "battle-map-sums": """
        WITH ms AS (
          SELECT contract_id, amount, coalesce(paid, 0) AS paid, kind, due_date,
                 CASE WHEN written_off_on IS NOT NULL THEN 0 ELSE max(0,
                      amount - coalesce(paid, 0) - coalesce(written_off, 0)) END AS open_
          FROM receivable),
        per AS (
          SELECT contract_id, sum(paid) AS collected, sum(open_) AS open_,
                 group_concat(kind || ' ' || amount || ' ' || coalesce(due_date, '-'), ' | ')
                   AS milestones
          FROM ms GROUP BY contract_id)
        SELECT c.id, cu.name, c.number, c.owner, c.amount, c.currency, per.collected,
               per.open_, per.milestones,
               EXISTS (SELECT 1 FROM activity a WHERE a.customer_id = c.customer_id
                       AND a.date >= date(:today, '-30 days') AND a.date <= :today),
               c.delivered_on IS NOT NULL,
               (SELECT count(*) FROM attachment t WHERE t.contract_id = c.id)
        FROM contract c JOIN per ON per.contract_id = c.id
        JOIN customer cu ON cu.id = c.customer_id
        WHERE per.open_ > 0  -- any status: closed and terminated contracts may owe too
        ORDER BY c.currency, per.open_ DESC, c.id""",
    # --- floors added for every report (issue 15): same numbers, hand-written SQL --------
    "funnel": """
        WITH o AS MATERIALIZED (
          SELECT id,
                 coalesce(json_extract(stage_history, '$[0].stage'), 'development') AS start,
                 coalesce(json_extract(stage_history, '$[0].on'), substr(created_at, 1, 10))
                   AS entered
          FROM opportunity WHERE pipeline = 'six_stage'),
        st(key, i) AS (VALUES ('development', 0), ('initiation', 1), ('proposal', 2),
                              ('bidding', 3), ('negotiation', 4), ('implementation', 5),
                              ('completed', 6)),
        e AS MATERIALIZED (
          SELECT e.rowid AS seq, e.record_id AS id, e.kind,
                 json_extract(e.payload, '$.to') AS to_,
                 coalesce(json_extract(e.payload, '$.from'), json_extract(e.payload, '$.stage'))
                   AS from_,
                 coalesce(json_extract(e.payload, '$.on'), substr(e.at, 1, 10)) AS on_
          FROM event e JOIN o ON o.id = e.record_id
          WHERE e.kind IN ('opportunity.advanced', 'opportunity.lost',
                           'opportunity.abandoned')),
        s AS (
          SELECT e.*, o.start, o.entered,
                 lag(e.kind) OVER w AS prev_kind, lag(e.on_) OVER w AS prev_on,
                 lag(e.to_) OVER w AS prev_to
          FROM e JOIN o ON o.id = e.id WINDOW w AS (PARTITION BY e.id ORDER BY e.seq)),
        l AS MATERIALIZED (  -- the stage each event leaves and the days spent in it
          SELECT kind, to_, id,
                 coalesce(from_, CASE WHEN prev_kind IS NULL THEN start
                                      WHEN prev_kind = 'opportunity.advanced' THEN prev_to
                                 END) AS left_,
                 CASE WHEN prev_kind IS NULL
                        THEN CAST(julianday(on_) - julianday(entered) AS INTEGER)
                      WHEN prev_kind = 'opportunity.advanced'
                        THEN CAST(julianday(on_) - julianday(prev_on) AS INTEGER) END AS days
          FROM s),
        far AS (  -- the furthest stage each deal reached
          SELECT id, max(i) AS i FROM (
            SELECT o.id, coalesce(a.i, 0) AS i FROM o LEFT JOIN st a ON a.key = o.start
            UNION ALL
            SELECT e.id, t.i FROM e JOIN st t ON t.key = e.to_
            WHERE e.kind = 'opportunity.advanced')
          GROUP BY id),
        d AS (
          SELECT left_, days, row_number() OVER (PARTITION BY left_ ORDER BY days) AS rn,
                 count(*) OVER (PARTITION BY left_) AS n
          FROM l WHERE days IS NOT NULL AND left_ IN (SELECT key FROM st WHERE i < 6))
        SELECT 'reached', st.key, (SELECT count(*) FROM far WHERE far.i >= st.i) FROM st
        UNION ALL
        SELECT 'median', left_, avg(days) FROM d WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
          GROUP BY left_
        UNION ALL
        SELECT substr(kind, 13), left_, count(*) FROM l
          WHERE kind <> 'opportunity.advanced' AND left_ IN (SELECT key FROM st WHERE i < 6)
          GROUP BY kind, left_""",
    "win-loss": """
        WITH c AS (SELECT * FROM opportunity WHERE status IN ('won', 'lost', 'abandoned'))
        SELECT 'status', status, currency, count(*), sum(coalesce(amount, 0)) FROM c
          GROUP BY status, currency
        UNION ALL
        SELECT 'owner', coalesce(owner, ''), sum(status = 'won'), sum(status = 'lost'),
               sum(status = 'abandoned') FROM c GROUP BY coalesce(owner, '')
        UNION ALL
        SELECT 'importance', coalesce(importance, ''), sum(status = 'won'),
               sum(status = 'lost'), sum(status = 'abandoned')
          FROM c GROUP BY coalesce(importance, '')
        UNION ALL
        SELECT 'stage', stage, status, count(*), '' FROM c GROUP BY stage, status
        UNION ALL
        SELECT 'reason', status, coalesce(reason, ''), count(*), '' FROM c
          WHERE status <> 'won' GROUP BY status, coalesce(reason, '')
        UNION ALL
        SELECT 'cost', coalesce(c.owner, ''), c.currency,
               coalesce(sum((SELECT sum(x.amount) FROM expense x
                             WHERE x.opportunity_id = c.id)), 0),
               sum(CASE WHEN c.status = 'won' THEN coalesce(c.amount, 0) ELSE 0 END)
          FROM c GROUP BY coalesce(c.owner, ''), c.currency""",
    "activity": """
        WITH a AS (  -- calls on open deals; calls of one day in the order they were logged
          SELECT opportunity_id AS opp, date, outcome, date || printf('%020d', rowid) AS k
          FROM activity WHERE date <= :today
            AND opportunity_id IN (SELECT id FROM opportunity WHERE status = 'open')),
        b AS (SELECT opp, max(k) AS brk FROM a WHERE outcome IS NOT 'continuance'
              GROUP BY opp),
        touch AS (  -- each deal's last call and the continuances after its last other call
          SELECT a.opp, max(a.date) AS last, sum(a.k > coalesce(b.brk, '')) AS run
          FROM a LEFT JOIN b ON b.opp = a.opp GROUP BY a.opp),
        stalled AS (
          SELECT o.id, coalesce(t.run, 0) AS run,
                 CAST(julianday(:today) - julianday(coalesce(
                      t.last, o.stage_entered_at, substr(o.created_at, 1, 10))) AS INTEGER)
                   AS silent
          FROM opportunity o LEFT JOIN touch t ON t.opp = o.id
          WHERE o.status = 'open' AND o.completed_at IS NULL),
        c AS (  -- calls per owner, day and outcome over the eight weeks to today
          SELECT coalesce(owner, '') AS owner, date, outcome, count(*) AS n FROM activity
          WHERE date >= date(:today, '-6 days', 'weekday 1', '-49 days') AND date <= :today
          GROUP BY 1, 2, 3),
        w AS (SELECT owner, date(date, '-3 days', 'weekday 4') AS thu, outcome, n FROM c)
        SELECT 'week', owner, strftime('%Y', thu) || '-W' ||
                 printf('%02d', (CAST(strftime('%j', thu) AS INTEGER) - 1) / 7 + 1),
               sum(n) || ' ' || sum(CASE WHEN outcome = 'order' THEN n ELSE 0 END) || ' ' ||
               sum(CASE WHEN outcome = 'advance' THEN n ELSE 0 END) || ' ' ||
               sum(CASE WHEN outcome = 'continuance' THEN n ELSE 0 END) || ' ' ||
               sum(CASE WHEN outcome = 'no_sale' THEN n ELSE 0 END) || ' ' ||
               sum(CASE WHEN outcome IS NULL OR outcome NOT IN
                        ('order', 'advance', 'continuance', 'no_sale') THEN n ELSE 0 END)
          FROM w GROUP BY 2, 3
        UNION ALL
        SELECT 'stalled', id, silent, run FROM stalled WHERE run >= 3 OR silent >= 30""",
    "targets": """
        WITH won AS (  -- won amounts per owner, currency, customer, product line and month
          SELECT owner, currency, customer_id, category,
                 substr(coalesce(closed_at, close_date), 1, 7) AS month,
                 sum(coalesce(amount, 0)) AS amount
          FROM opportunity WHERE status = 'won' AND coalesce(closed_at, close_date) IS NOT NULL
          GROUP BY 1, 2, 3, 4, 5),
        who AS (  -- whose deals count: the owner, and for a team's target its members
          SELECT id, owner AS who FROM target
          UNION SELECT t.id, m.owner FROM target t JOIN target m ON m.team = t.owner),
        mon(m) AS (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)),
        months AS (  -- the target's months, this year (off 0) and the year before (off 1)
          SELECT t.id, off.o AS off,
                 printf('%04d-%02d', CAST(substr(t.period, 1, 4) AS INTEGER) - off.o, mon.m)
                   AS month
          FROM target t, (SELECT 0 AS o UNION ALL SELECT 1) off, mon
          WHERE length(t.period) = 4
             OR (substr(t.period, 6, 1) = 'Q'
                 AND (mon.m + 2) / 3 = CAST(substr(t.period, 7, 1) AS INTEGER))
             OR (substr(t.period, 6, 1) <> 'Q'
                 AND mon.m = CAST(substr(t.period, 6, 2) AS INTEGER)))
        SELECT t.id, months.off, coalesce(sum(won.amount), 0)
        FROM target t JOIN months ON months.id = t.id JOIN who ON who.id = t.id
        LEFT JOIN won ON won.owner = who.who AND won.currency = t.currency
          AND won.month = months.month
          AND (t.customer_id IS NULL OR won.customer_id = t.customer_id)
          AND (t.product IS NULL OR won.category = t.product)
        GROUP BY t.id, months.off
;
        -- coverage (漏斗裕量): open deals closing in the target's months, per stage
        WITH who AS (
          SELECT id, owner AS who FROM target
          UNION SELECT t.id, m.owner FROM target t JOIN target m ON m.team = t.owner),
        mon(m) AS (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)),
        months AS (
          SELECT t.id, printf('%04d-%02d', CAST(substr(t.period, 1, 4) AS INTEGER), mon.m)
                   AS month
          FROM target t, mon
          WHERE length(t.period) = 4
             OR (substr(t.period, 6, 1) = 'Q'
                 AND (mon.m + 2) / 3 = CAST(substr(t.period, 7, 1) AS INTEGER))
             OR (substr(t.period, 6, 1) <> 'Q'
                 AND mon.m = CAST(substr(t.period, 6, 2) AS INTEGER))),
        op AS (  -- open amounts per owner, currency, customer, product line, month, stage
          SELECT coalesce(owner, '') AS owner, currency, customer_id, category,
                 substr(close_date, 1, 7) AS month, stage, sum(coalesce(amount, 0)) AS amount
          FROM opportunity WHERE status = 'open' AND close_date IS NOT NULL
          GROUP BY 1, 2, 3, 4, 5, 6)
        SELECT 'open', t.id, op.stage, sum(op.amount)
        FROM target t CROSS JOIN months ON months.id = t.id CROSS JOIN who ON who.id = t.id
        CROSS JOIN op ON op.owner = who.who AND op.currency = t.currency AND op.month = months.month
          AND (t.customer_id IS NULL OR op.customer_id = t.customer_id)
          AND (t.product IS NULL OR op.category = t.product)
        GROUP BY t.id, op.stage
;
        -- stage conversion (阶段赢单率): closed deals per status and furthest stage reached
        -- (its first stage or an opportunity.advanced event's `to`; a won deal reached
        -- them all); the benchmark's one pipeline, six_stage, in its stage order
        WITH st(stage, i) AS (VALUES ('development', 0), ('initiation', 1), ('proposal', 2),
                                     ('bidding', 3), ('negotiation', 4), ('implementation', 5)),
        r AS (
          SELECT o.status, CASE WHEN o.status = 'won' THEN 5 ELSE max(
                   coalesce((SELECT i FROM st
                             WHERE st.stage = json_extract(o.stage_history, '$[0].stage')), 0),
                   coalesce((SELECT max(st.i) FROM event e
                             JOIN st ON st.stage = json_extract(e.payload, '$.to')
                             WHERE e.record_id = o.id AND e.kind = 'opportunity.advanced'), 0))
                 END AS reach
          FROM opportunity o WHERE o.status IN ('won', 'lost', 'abandoned'))
        SELECT 'reach', status, reach, count(*) FROM r GROUP BY status, reach""",
    "renewals": """
        WITH ending AS (
          SELECT id FROM contract
          WHERE service_end >= :today AND service_end <= date(:today, '+90 days')
            AND status IN ('signed', 'executing', 'closed')),
        p AS (
          SELECT p.customer_id AS cu, coalesce(c.owner, '') AS own, p.currency AS cur,
                 CAST(substr(p.date, 1, 4) AS INTEGER) * 4
                   + (CAST(substr(p.date, 6, 2) AS INTEGER) - 1) / 3 AS q,
                 sum(p.amount) AS amt
          FROM payment p LEFT JOIN contract c ON c.id = p.contract_id
          WHERE p.date <= :today GROUP BY 1, 2, 3, 4),
        t AS (SELECT CAST(substr(:today, 1, 4) AS INTEGER) * 4
                       + (CAST(substr(:today, 6, 2) AS INTEGER) - 1) / 3 AS q),
        s(q) AS (SELECT q - 3 FROM t UNION ALL SELECT q - 2 FROM t UNION ALL
                 SELECT q - 1 FROM t UNION ALL SELECT q FROM t)
        SELECT 'ending', e.id, coalesce((SELECT group_concat(o.id, ',') FROM (
                 SELECT id FROM opportunity WHERE renews_contract_id = e.id
                 AND status IN ('open', 'won') ORDER BY id) o), ''), '', '', ''
          FROM ending e
        UNION ALL
        SELECT 'deal', id, renews_contract_id, '', '', '' FROM opportunity
          WHERE renews_contract_id IS NOT NULL AND status = 'open'
        UNION ALL
        SELECT 'revenue', (s.q / 4) || '-Q' || (s.q % 4 + 1) || ' ' || p.cu || ' ' || p.own
                 || ' ' || p.cur, sum(CASE WHEN p.q = s.q THEN p.amt ELSE 0 END), sum(p.amt),
               '', ''
          FROM s JOIN p ON p.q <= s.q GROUP BY s.q, p.cu, p.own, p.cur
          HAVING sum(p.amt) <> 0""",
}

# ``kam today`` also lists the stalled deals (the activity report's) and the contracts
# ending (the renewals report's): their floors' queries run after its own
FLOOR_SQL["today"] += "\n;\n" + FLOOR_SQL["activity"] + "\n;\n" + FLOOR_SQL["renewals"]

# ``kam today --owner U``: U's own latest calls, and on the deals U works on (owns or is on
# the team of) the latest call of anyone; milestones of U's contracts and deals' contracts
FLOOR_SQL["today-owner"] = """
    WITH live AS (SELECT id FROM opportunity WHERE status IN ('open', 'won')
                  AND completed_at IS NULL),
    mine AS (SELECT id FROM opportunity WHERE owner = :owner OR EXISTS (
               SELECT 1 FROM json_each(opportunity.team) m
               WHERE json_extract(m.value, '$.user') = :owner)),
    a AS (SELECT coalesce(opportunity_id, customer_id) AS k, opportunity_id AS opp, next_due,
                 date, rowid AS r, owner
          FROM activity WHERE date <= :today
            AND (opportunity_id IS NULL OR opportunity_id IN live)),
    own AS (SELECT next_due, max(date || printf('%020d', r)) FROM a
            WHERE owner = :owner AND (opp IS NULL OR opp NOT IN mine) GROUP BY k),
    team AS (SELECT next_due, max(date || printf('%020d', r)) FROM a
             WHERE opp IN mine GROUP BY k),
    c AS (SELECT id FROM contract WHERE owner = :owner OR opportunity_id IN mine)
    SELECT 'next_steps', count(*), 0 FROM (SELECT next_due FROM own UNION ALL
                                           SELECT next_due FROM team)
    WHERE next_due IS NOT NULL AND next_due <= date(:today, '+7 days')
    UNION ALL
    SELECT 'receivables', count(*),
           coalesce(sum(amount - coalesce(paid, 0) - coalesce(written_off, 0)), 0)
    FROM receivable WHERE written_off_on IS NULL AND contract_id IN c
      AND amount - coalesce(paid, 0) - coalesce(written_off, 0) > 0
      AND due_date IS NOT NULL AND due_date <= date(:today, '+7 days')"""

# ``kam check``: what it would act on — milestones due and each overdue level not yet
# fired, what is overdue per currency, and renewal reminders not yet given (default
# levels 1, 30, 60, 90 days; renewal reminders 90 days ahead)
FLOOR_SQL["check"] = """
    WITH r AS (
      SELECT id, currency, amount - coalesce(paid, 0) - coalesce(written_off, 0) AS o,
             CAST(julianday(:today) - julianday(due_date) AS INTEGER) AS late
      FROM receivable WHERE due_date <= :today AND written_off_on IS NULL
        AND amount - coalesce(paid, 0) - coalesce(written_off, 0) > 0),
    lv(level) AS (VALUES (1), (30), (60), (90)),
    fired AS (
      SELECT record_id, CASE WHEN kind = 'receivable.due' THEN 0
                             ELSE CAST(json_extract(payload, '$.level') AS INTEGER) END AS lv
      FROM event WHERE kind IN ('receivable.due', 'receivable.overdue'))
    SELECT 'due', count(*), '' FROM r WHERE NOT EXISTS (
      SELECT 1 FROM fired f WHERE f.record_id = r.id AND f.lv = 0)
    UNION ALL
    SELECT 'overdue', count(*), '' FROM r JOIN lv ON r.late >= lv.level WHERE NOT EXISTS (
      SELECT 1 FROM fired f WHERE f.record_id = r.id AND f.lv = lv.level)
    UNION ALL
    SELECT 'late', currency, sum(o) FROM r WHERE late > 0 GROUP BY currency
    UNION ALL
    SELECT 'renewals', count(*), '' FROM contract c
    WHERE service_end >= :today AND service_end <= date(:today, '+90 days')
      AND status IN ('signed', 'executing', 'closed')
      AND id NOT IN (SELECT renews_contract_id FROM opportunity
                     WHERE renews_contract_id IS NOT NULL AND status IN ('open', 'won'))
      AND NOT EXISTS (SELECT 1 FROM event e WHERE e.kind = 'contract.renewal_due'
                      AND e.record_id = c.id
                      AND json_extract(e.payload, '$.service_end') = c.service_end)"""

FLOOR_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
params = {"today": sys.argv[3], "owner": sys.argv[4] if len(sys.argv) > 4 else ""}
for sql in sys.argv[2].split("\\n;\\n"):  # a floor may be several queries
    for row in conn.execute(sql, params):
        print("\\t".join("" if v is None else str(v) for v in row))
"""

# --- floors for lists; the everyday commands, export and import have theirs in -------------
# benchmarks/floors/ (standalone programs, each tested against kam, run by hand and here)

#: print a table of some columns of a table, in pages of 2,000 rows with widths per page
#: (what ``kam … list`` does on screen); argv: db, table, columns, limit (0: all)
FLOOR_TABLE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
cols = sys.argv[3].split(",")
sql = "SELECT " + ", ".join('"%s"' % c for c in cols) + ' FROM "%s" ORDER BY rowid' % sys.argv[2]
if int(sys.argv[4]):
    sql += " LIMIT %d" % int(sys.argv[4])
cur = conn.execute(sql)
out = sys.stdout
while True:
    page = [["" if v is None else str(v) for v in row] for row in cur.fetchmany(2000)]
    if not page:
        break
    widths = [max(len(c), *(len(r[i]) for r in page)) for i, c in enumerate(cols)]
    out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths)) + "\\n")
    out.write("  ".join("-" * w for w in widths) + "\\n")
    out.write("".join("  ".join(v.ljust(w) for v, w in zip(r, widths)) + "\\n" for r in page))
"""

# --- running processes ------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + sys of the child
    rss_kb: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    out: str = ""

    def add(self, run: Run) -> None:
        self.seconds.append(run.seconds)
        self.cpu.append(run.cpu)
        self.rss_kb.append(run.rss_kb)
        self.exit_codes.append(run.code)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def peak_mb(self) -> float:
        return max(self.rss_kb) / 1024 if self.rss_kb else float("nan")

    @property
    def failed(self) -> int:
        return next((c for c in self.exit_codes if c not in (0,)), 0)


@dataclass
class Run:
    seconds: float
    cpu: float
    code: int
    rss_kb: int
    out: str


def child_env(workspace: Path | None, root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed kam has its .pyc files
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    # kam's user cache (help text, kam.toml, plugin settings) of the runner's own: the
    # user's is shared with every other kam on the machine, which evict its entries
    env["XDG_CACHE_HOME"] = str(root / "cache")
    env["KAM_TODAY"] = TODAY
    env["KAM_LANG"] = "en"
    env["KAM_USER"] = "bench"
    for name in ("KAM_PLUGINS_DIR", "KAM_DISABLE_PLUGINS", "KAM_DEBUG"):
        env.pop(name, None)
    if workspace is not None:
        env["KAM_HOME"] = str(workspace)
    return env


#: starts a command from a small process and reports its wall and CPU seconds, peak RSS
#: and exit code on a pipe. Linux carries the RSS of the process that forks into the
#: child's ``ru_maxrss`` (fork copies the mm, exec keeps its high-water mark), so a child
#: forked by this runner (tens of MB once it holds a report's output) would never show
#: less than the runner; forked from this helper it shows at least ~10 MB (a bare python).
SPAWN = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_pid, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - started
os.write(int(sys.argv[1]), ("%r %r %d %d" % (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss,
                             os.waitstatus_to_exitcode(status))).encode())
"""


def run_child(cmd: list[str], env: dict[str, str], keep: bool = False,
              ok: tuple[int, ...] = (0,)) -> Run:
    """One whole process: wall and CPU seconds (user + sys, ``os.wait4``), exit code, peak
    RSS in KB, and stdout if ``keep`` (else read and dropped: a big output costs the child
    what writing to a pipe costs, never the runner's memory)."""
    rfd, wfd = os.pipe()
    proc = subprocess.Popen([sys.executable, "-S", "-c", SPAWN, str(wfd), *cmd], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            pass_fds=(wfd,))
    os.close(wfd)
    assert proc.stdout is not None and proc.stderr is not None
    stderr = proc.stderr
    chunks: list[bytes] = []
    errs: list[bytes] = []
    reader = threading.Thread(target=lambda: errs.append(stderr.read()))
    reader.start()
    while True:
        block = proc.stdout.read(1 << 16)
        if not block:
            break
        if keep:
            chunks.append(block)
    reader.join()
    proc.wait()
    with os.fdopen(rfd, "rb") as fh:
        report = fh.read().decode().split()
    if len(report) != 4:
        raise RuntimeError(f"could not run {cmd[:3]}: {b''.join(errs)[:300]!r}")
    seconds, cpu, rss, code = float(report[0]), float(report[1]), int(report[2]), \
        int(report[3])
    err = b"".join(errs).decode("utf-8", "replace")
    if code not in ok and err.strip():
        print(f"    [{' '.join(cmd[:4])[:80]}… exit {code}] {err.strip()[:300]}",
              file=sys.stderr)
    return Run(seconds, cpu, code, rss, b"".join(chunks).decode("utf-8", "replace"))


def run_once(cmd: list[str], env: dict[str, str], keep: bool = False,
             stdin: str | None = None) -> tuple[float, int, int, str]:
    """(seconds, exit code, peak RSS in KB, stdout if ``keep``) of one whole process."""
    r = run_child(cmd, env, keep)
    return r.seconds, r.code, r.rss_kb, r.out


def measure(cmds: dict[str, list[str]], env: dict[str, str], runs: int,
            keep: bool = False, warmup: bool = True,
            ok: tuple[int, ...] = (0,)) -> dict[str, Sample]:
    """Run each command ``runs`` times, interleaved (side by side). With ``warmup`` one run
    first that is not counted (its output kept); without, the first counted run's output is
    kept (for commands slow enough that a warm-up only costs time)."""
    samples = {name: Sample() for name in cmds}
    if warmup:
        for name, cmd in cmds.items():
            samples[name].out = run_child(cmd, env, keep=keep, ok=ok).out
    for i in range(runs):
        for name, cmd in cmds.items():
            r = run_child(cmd, env, keep=keep and not warmup and i == 0, ok=ok)
            if keep and not warmup and i == 0:
                samples[name].out = r.out
            samples[name].add(r)
    return samples


def kam(*args: str) -> list[str]:
    return [sys.executable, "-m", "kam", *args] if not shutil.which("kam") else \
        [shutil.which("kam") or "kam", *args]


def floor_cmd(db: Path, report: str, owner: str = "") -> list[str]:
    return [sys.executable, "-c", FLOOR_SCRIPT, str(db), FLOOR_SQL[report], TODAY, owner]


def py(script: str, *args: str) -> list[str]:
    return [sys.executable, "-c", script, *args]


#: the standalone floors (everyday commands, export, import)
FLOORS = Path(__file__).resolve().parent / "floors"


def next_day(env: dict[str, str]) -> dict[str, str]:
    """``env`` a business day later: ``kam check``'s daily run after the one before."""
    day = dt.date.fromisoformat(env["KAM_TODAY"]) + dt.timedelta(days=1)
    return {**env, "KAM_TODAY": day.isoformat()}


def with_history(copy: Path) -> None:
    """``copy`` given the reminders of daily use (benchmarks/history.py), on disk before
    a command is timed on it."""
    history.add_paid_reminders(copy / "kam.db")
    os.sync()


def floor_program(name: str, *args: str) -> list[str]:
    return [sys.executable, str(FLOORS / f"{name}.py"), *args]

# --- checks: kam's numbers equal the floor's ---------------------------------------------------


def _cents(value: Any) -> int:
    return int(Decimal(str(value)) * 100)


def _targets_numbers(data: dict[str, Any], rows: list[list[str]]
                     ) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """kam's and the floor's targets numbers: won this year and last per target, open
    amount per target and stage (coverage), and each stage's conversion where it comes
    from history (won ÷ closed among the closed deals that reached the stage, to the
    hundredth of a percent, half up; below 5 closed deals kam uses the stage model)."""
    t = data["tables"]
    mine: dict[Any, Any] = {}
    for r in t["targets"]["rows"]:
        mine[(r["id"], 0)] = _cents(r["won"])
        if "last_year" in r:
            mine[(r["id"], 1)] = _cents(r["last_year"])
    for r in t.get("coverage_stages", {}).get("rows", []):
        if _cents(r["open_amount"]):
            mine[("open", r["target_id"], r["stage"])] = _cents(r["open_amount"])
        if r["basis"] == "history":  # every target's row shows its stage's conversion
            mine.setdefault(("conversion", r["stage"]), set()).add(r["conversion"])
    floor: dict[Any, Any] = {}
    reach: dict[tuple[str, int], int] = {}
    for row in rows:
        if row[0] == "open":
            if int(row[3]):
                floor[("open", row[1], row[2])] = int(row[3])
        elif row[0] == "reach":
            reach[(row[1], int(row[2]))] = int(row[3])
        else:
            floor[(row[0], int(row[1]))] = int(row[2])
    floor = {k: v for k, v in floor.items() if k in mine or k[0] == "open" or k[1] == 0}
    stages = ("development", "initiation", "proposal", "bidding", "negotiation",
              "implementation")
    for i, stage in enumerate(stages):
        closed = sum(n for (_s, r), n in reach.items() if r >= i)
        won = sum(n for (s, r), n in reach.items() if r >= i and s == "won")
        if closed >= 5 and ("conversion", stage) in mine:
            floor[("conversion", stage)] = {str((Decimal(won) / Decimal(closed) * 100)
                                                .quantize(Decimal("0.01"), ROUND_HALF_UP))}
    return mine, floor


def _battle_numbers(r: dict[str, Any]) -> tuple[Any, ...]:
    """A battle map row's numbers as kam's JSON gives them (the next action as its text)."""
    pct = r["collected_pct"]
    return (r["status"], _cents(r["collected"]), _cents(r["outstanding"]),
            None if pct is None else _cents(pct), r["terms"],
            [(m["kind"], _cents(m["amount"]), m["due_date"] or "-", m["state"],
              m["days_overdue"] or 0) for m in r["milestones"]],
            r["next_action"], r["qing"], r["li"], r["fa"])


def _battle_floor_numbers(r: list[str], mine: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The floor's row as :func:`_battle_numbers` gives kam's. The next action: the floor
    picks the milestone; kam's text names it, its outstanding and days overdue (or the day
    it is due), then its latest collection note (a reason, a promised day) or, with none
    to collect, what starts the next payment — kam's text is taken when it says the same."""
    milestones = [(kind, int(amount), due, state, int(days)) for kind, amount, due, state, days
                  in (m.split(" ") for m in r[11].split(" | "))]
    text = "" if mine is None else mine[6]
    if r[12]:
        kind, open_, days, due, *note = r[12].split(" ", 4)
        said = (f"collect {kind} {Decimal(open_).scaleb(-2):,} ({days} days overdue)"
                if int(days) > 0 else f"collect {kind} by {due}")
        agrees = text == said or bool(note) and text.startswith(said + "; ")
    else:  # waiting: kam names what starts the next payment, never a milestone to collect
        agrees = not text.startswith("collect ")
    return (r[3], int(r[7]), int(r[8]), None if r[9] == "" else int(r[9]), r[10], milestones,
            text if agrees else f"floor: {r[12]}", r[13] == "1", r[14] == "1", r[15] == "1")


def check_numbers(report: str, kam_json: str, floor_out: str) -> str:
    """'' when kam's totals agree with the floor's, else what differs."""
    data = json.loads(kam_json)
    rows = [line.split("\t") for line in floor_out.splitlines() if line]
    mine: dict[Any, Any]
    floor: dict[Any, Any]
    if report == "check":
        new = [n["action"] for n in data["new"]]
        mine = {"due": new.count("due"), "overdue": new.count("overdue"),
                "renewals": len(data["renewals"]),
                "late": {c: _cents(v.replace(",", "")) for c, v in
                         data["overdue_outstanding"].items()}}
        floor = {"late": {}}
        for what, a, b in rows:
            if what == "late":
                floor["late"][a] = int(b)
            else:
                floor[what] = int(a)
    elif report in ("today", "today-owner"):
        steps = data["tables"]["next_steps"]["rows"]
        due = data["tables"]["receivables"]["rows"]
        mine = {"next_steps": (len(steps), 0),
                "receivables": (len(due), sum(_cents(r["outstanding"]) for r in due))}
        floor = {r[0]: (int(r[1]), int(r[2])) for r in rows if r[0] in mine}
        if report == "today":  # and the stalled deals and contracts ending it lists
            mine |= {("stalled", r["id"]): (r["days_silent"], r["continuance_run"])
                     for r in data["tables"]["stalled"]["rows"]}
            mine |= {("ending", r["contract_id"]): "" for r in data["tables"]["ending"]["rows"]}
            floor |= {(r[0], r[1]): (int(r[2]), int(r[3])) if r[0] == "stalled" else ""
                      for r in rows if r[0] in ("stalled", "ending")}
    elif report == "pipeline":
        t = data["tables"]["by_stage"]["rows"]
        mine = {(r["stage"], r["currency"]): (r["count"], _cents(r["amount"]),
                                              _cents(r["weighted"])) for r in t}
        floor = {(s, c): (int(n), int(a), int(w)) for s, c, n, a, w in rows}
    elif report == "forecast":
        t = data["tables"]["by_period"]["rows"]
        keys = ("pipeline", "best_case", "commit", "closed", "weighted")
        mine = {(r["period"], r["currency"]): tuple(_cents(r[k]) for k in keys) for r in t}
        floor = {(p, c): tuple(int(x) for x in rest) for p, c, *rest in rows}
        mine = {k: v for k, v in mine.items() if any(v)}
        floor = {k: v for k, v in floor.items() if any(v)}
    elif report == "aging":
        names = ["not_due", "1-30", "31-60", "61-90", "91-180", "180+"]
        mine = {}
        for r in data["tables"]["by_currency"]["rows"]:
            for i, n in enumerate(names):
                if _cents(r[n]):
                    mine[("currency", r["currency"], i)] = _cents(r[n])
        for r in data["tables"]["by_owner"]["rows"]:
            for i, n in enumerate(names):
                if _cents(r[n]):
                    mine[("owner", r["owner"], r["currency"], i)] = _cents(r[n])
        floor = {}
        for what, key, cur, bucket, total in rows:
            if what == "currency":
                floor[("currency", key, int(bucket))] = int(total)
            elif what == "owner":
                floor[("owner", key, cur, int(bucket))] = int(total)
    elif report == "funnel":
        mine = {}
        for r in data["tables"]["conversion"]["rows"]:
            mine[("reached", r["stage"])] = r["reached"]
            for k in ("lost", "abandoned"):
                if r[k]:
                    mine[(k, r["stage"])] = r[k]
            if r["median_days"] is not None:
                mine[("median", r["stage"])] = Decimal(r["median_days"]).normalize()
        floor = {}
        for what, stage, value in rows:
            if what == "reached" and stage != "completed":
                floor[(what, stage)] = int(value)
            elif what == "median":
                floor[(what, stage)] = Decimal(value).normalize()
            elif what in ("lost", "abandoned"):
                floor[(what, stage)] = int(value)
    elif report == "win-loss":
        t = data["tables"]
        mine = {("status", r["status"], r["currency"]): (r["count"], _cents(r["amount"]))
                for r in t["by_status"]["rows"]}
        for table, key in (("by_owner", "owner"), ("by_importance", "importance")):
            for r in t[table]["rows"]:
                mine[(key, r[key] or "")] = (r["won"], r["lost"], r["abandoned"])
        for r in t["by_stage"]["rows"]:
            mine[("stage", r["stage"], r["status"])] = r["count"]
        for r in t["reasons"]["rows"]:
            mine[("reason", r["status"], r["reason"])] = r["count"]
        for r in t["presales_cost"]["rows"]:
            mine[("cost", r["owner"], r["currency"])] = (_cents(r["presales_cost"]),
                                                         _cents(r["won_amount"]))
        floor = {}
        for what, a, b, c, d in rows:
            if what == "status":
                floor[(what, a, b)] = (int(c), int(d))
            elif what in ("owner", "importance"):
                floor[(what, a)] = (int(b), int(c), int(d))
            elif what == "stage":
                floor[(what, a, b)] = int(c)
            elif what == "reason":
                floor[(what, a, b)] = int(c)
            else:
                floor[(what, a, b)] = (int(c), int(d))
    elif report == "activity":
        counts = ("calls", "order", "advance", "continuance", "no_sale", "no_outcome")
        mine = {("week", r["owner"], r["week"]): tuple(r[k] for k in counts)
                for r in data["tables"]["by_week"]["rows"]}
        mine |= {("stalled", r["id"]): (r["days_silent"], r["continuance_run"])
                 for r in data["tables"]["stalled"]["rows"]}
        floor = {}
        for what, a, b, c in ([*r, ""][:4] for r in rows):
            if what == "week":
                floor[(what, a, b)] = tuple(int(x) for x in c.split())
            else:
                floor[(what, a)] = (int(b), int(c))
    elif report == "targets":
        mine, floor = _targets_numbers(data, rows)
    elif report == "renewals":
        t = data["tables"]
        mine = {("ending", r["contract_id"]): ",".join(r["renewal"] or [])
                for r in t["ending"]["rows"]}
        mine |= {("deal", r["id"]): r["contract_id"] for r in t["renewal_deals"]["rows"]}
        mine |= {("revenue", f"{r['period']} {r['customer_id']} {r['owner']} {r['currency']}"):
                 (_cents(r["revenue"]), _cents(r["cumulative"])) for r in t["revenue"]["rows"]}
        floor = {}
        for what, key, a, b, *_rest in rows:
            floor[(what, key)] = (int(a), int(b)) if what == "revenue" else a
    elif report == "battle-map-sums":
        t = data["tables"]["contracts"]["rows"]
        mine = {r["number"]: (_cents(r["collected"]), _cents(r["outstanding"])) for r in t}
        floor = {r[2]: (int(r[6]), int(r[7])) for r in rows}
    else:  # battle-map: every number a row prints
        mine = {r["number"]: _battle_numbers(r) for r in data["tables"]["contracts"]["rows"]}
        floor = {r[2]: _battle_floor_numbers(r, mine.get(r[2])) for r in rows}
    if mine == floor:
        return ""
    diff = [k for k in set(mine) | set(floor) if mine.get(k) != floor.get(k)]
    return f"{len(diff)} of {len(floor)} cells differ, e.g. {sorted(map(str, diff))[:3]}"


# --- the benchmark -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    sqlite_utils = subprocess.run(["sqlite-utils", "--version"], capture_output=True,
                                  text=True).stdout.strip() if shutil.which("sqlite-utils") \
        else "not installed"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "sqlite-utils": sqlite_utils,
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}


@dataclass
class Bar:
    what: str
    target: str
    measured: str
    ok: bool | None  # None: not measured
    note: str = ""


@dataclass
class Goal:
    """One goal of issue 15 as a ratio (or a bound), judged on CPU time."""
    goal: str
    target: str
    measured: str
    ok: bool | None
    note: str = ""


SECTIONS = ("startup", "reports", "today", "everyday", "lists", "transfer", "csv",
            "postgres")
LISTS = {"opp": "opportunity", "customer": "customer", "activity": "activity",
         "receivable": "receivable"}


def cpu_ms(x: Sample) -> str:
    return ms(x.cpu_median)


def cell(x: Sample) -> str:
    """'wall / CPU' medians of a sample."""
    return f"{ms(x.median)} / {ms(x.cpu_median)}"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.root = Path(args.root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.bars: list[Bar] = []
        self.goals: list[Goal] = []
        self.tables: list[tuple[str, list[str], list[list[str]]]] = []
        self.notes: list[str] = []
        self.timings: list[tuple[str, float]] = []  # section, wall seconds of the runner
        #: every kam command measured, by (size, label): for growth and memory
        self.results: dict[tuple[str, str], Sample] = {}
        self.startup_ratio = 1.0

    def say(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def workspace(self, size: str, backend: str = "sqlite") -> Path:
        self.say(f"workspace {backend}/{size} (generated once, then cached)…")
        return generate.cached(self.root, size, self.args.seed, backend,
                               progress=lambda m: self.say(f"  generating {m}…"))

    def warm(self, ws: Path | None = None) -> None:
        """kam's caches made before anything is timed, as a daily user has them: the
        help text, then for each workspace kam.toml and the plugins' settings (Acme's,
        made without pydantic once cached; a write command with a cold cache imports it:
        +14 MB for a first ``kam check`` on medium)."""
        if ws is None:
            run_child(kam("--help"), child_env(None, self.root))
        else:
            run_child(kam("opp", "show", "OP1", "-f", "json"), child_env(ws, self.root))

    def runs(self, fast: bool) -> int:
        if self.args.runs:
            return self.args.runs
        if self.args.quick:
            return 3 if fast else 1
        return 9 if fast else 3

    def goal(self, goal: str, target: str, ratio: float, bound: float, note: str = "",
             measured: str = "") -> None:
        self.goals.append(Goal(goal, target, measured or f"{ratio:.2f}×",
                               None if ratio != ratio else ratio <= bound, note))

    def keep(self, size: str, label: str, sample: Sample) -> None:
        self.results[(size, label)] = sample

    def floor_ok(self, label: str, sample: Sample) -> None:
        """A floor that failed measures nothing: say so beside the numbers."""
        if sample.failed:
            self.notes.append(f"the floor of {label} exited {sample.failed}: its ratio is void")

    def copy_of(self, ws: Path, name: str) -> Path:
        copy = self.root / f"copy-{name}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(ws, copy)
        os.sync()  # the copy on disk: a command's first checkpoint (its fsync) does not
        return copy  # write back the runner's copy (~1.2 GB on large) as its own time

    # --- start-up ----------------------------------------------------------------------

    def startup(self) -> None:
        self.say("start-up…")
        env = child_env(None, self.root)
        cmds = {"python -c pass": [sys.executable, "-c", "pass"], "kam --help": kam("--help")}
        if shutil.which("sqlite-utils"):
            cmds["sqlite-utils --help"] = ["sqlite-utils", "--help"]
        s = measure(cmds, env, self.runs(True))
        base = s["python -c pass"]
        self.startup_ratio = base.median / 0.015
        rows = [[name, cell(x), f"{x.cpu_median / base.cpu_median:.1f}×",
                 f"{x.peak_mb:.0f} MB"] for name, x in s.items()]
        self.tables.append(("Start-up (whole process)", [
            "command", "wall / CPU", "CPU × python -c pass", "peak RSS"], rows))
        k = s["kam --help"]
        su = s.get("sqlite-utils --help")
        if su is not None:
            self.goal("`kam --help` vs `sqlite-utils --help`", "≤ 0.5×",
                      k.cpu_median / su.cpu_median, 0.5,
                      f"{cpu_ms(k)} vs {cpu_ms(su)} CPU")
        else:
            self.goals.append(Goal("`kam --help` vs `sqlite-utils --help`", "≤ 0.5×",
                                   "sqlite-utils not installed", None))

    # --- against an earlier revision ---------------------------------------------------

    def baseline(self, rev: str, size: str) -> None:
        """`kam --help` and `kam opp list --limit 50` of this tree beside ``rev``'s, run
        alternately in the same way (``python -m kam`` over a tree with the installed
        layout), so a start-up regression shows as a ratio, not as machine noise."""
        self.say(f"start-up against {rev}…")
        repo = HERE.parent
        trees = {"this tree": _layout(repo, self.root / "layout-current")}
        source = self.root / f"source-{rev.replace('/', '_')}"
        if source.exists():
            shutil.rmtree(source)
        source.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "core", "plugins"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
        trees[rev] = _layout(source, self.root / f"layout-{rev.replace('/', '_')}")
        ws = self.workspace(size)
        rows = []
        for label, args in (("kam --help", ["--help"]),
                            (f"kam opp list --limit 50 ({size})",
                             ["opp", "list", "--limit", "50"])):
            cmds = {name: [sys.executable, "-m", "kam", *args] for name in trees}
            samples: dict[str, Sample] = {name: Sample() for name in trees}
            for _ in range(self.runs(True) * 2):  # interleaved: this tree, rev, this tree…
                for name, cmd in cmds.items():
                    env = child_env(ws, self.root) | {"PYTHONPATH": str(trees[name])}
                    seconds, _code, rss, _out = run_once(cmd, env)
                    samples[name].seconds.append(seconds)
                    samples[name].rss_kb.append(rss)
            now, then = samples["this tree"].median, samples[rev].median
            ratio = now / then
            rows.append([label, ms(now), ms(then), f"{ratio:.3f}"])
            self.bars.append(Bar(f"{label} against {rev}", "≤ 1.05×", f"{ratio:.3f}×",
                                 ratio <= 1.05, "medians of interleaved runs"))
        self.tables.append((f"Start-up against {rev}", ["command", "this tree", rev,
                                                        "ratio"], rows))

    # --- reports in every format against their floors ---------------------------------

    def reports(self, size: str, ws: Path) -> None:
        """Every report and ``kam today`` in every format users see, each beside its floor
        (one SQL program printing the same numbers, checked equal to kam's JSON)."""
        self.say(f"reports in every format on {size}…")
        env = child_env(ws, self.root)
        runs = self.runs(False)
        rows = []
        for report in ("today", *ALL_REPORTS):
            base = ["today"] if report == "today" else ["report", report]
            cmds = {fmt: kam(*base, "-f", fmt) for fmt in FORMATS}
            cmds["floor"] = floor_cmd(ws / "kam.db", report)
            if report == "battle-map":  # and the floor of runs A–I, which printed less
                cmds["sums"] = floor_cmd(ws / "kam.db", "battle-map-sums")
            self.say(f"  {' '.join(base)}…")
            s = measure(cmds, env, runs, keep=True, warmup=size != "large")
            differs = check_numbers(report, s["json"].out, s["floor"].out) or "same"
            if differs != "same":
                self.notes.append(f"{report} on {size}: kam and its floor differ: {differs}")
            earlier = ""
            if "sums" in s:
                also = check_numbers("battle-map-sums", s["json"].out, s["sums"].out)
                if also:
                    self.notes.append(f"battle-map on {size}: kam and the floor of runs A–I "
                                      f"differ: {also}")
                worst_cpu = max(s[f].cpu_median for f in FORMATS)
                earlier = (f"; against the floor of runs A–I (sums and stored milestones "
                           f"only, {cpu_ms(s['sums'])}): "
                           f"{worst_cpu / s['sums'].cpu_median:.2f}×")
                self.notes.append(f"battle-map on {size}: the floor computes every number "
                                  f"the map prints (states, days overdue, next action, "
                                  f"collected %, 法 by document){earlier}")
            floor = s["floor"]
            self.floor_ok(f"{report} on {size}", floor)
            worst = max(FORMATS, key=lambda f: s[f].cpu_median)
            ratio = s[worst].cpu_median / floor.cpu_median
            peak = max(s[f].peak_mb for f in FORMATS)
            for f in FORMATS:
                self.keep(size, f"{' '.join(base)} -f {f}", s[f])
            rows.append([report, *(cell(s[f]) for f in FORMATS), cell(floor),
                         f"{ratio:.1f}× ({worst})", f"{peak:.0f} MB", differs])
            if size == "large":
                self.goal(f"`kam {' '.join(base)}` on large, slowest format vs floor",
                          "≤ 2×", ratio, 2.0, f"{worst}: {cpu_ms(s[worst])} vs floor "
                          f"{cpu_ms(floor)} CPU; numbers {differs}{earlier}")
                if report == "today":
                    self.goal("`kam today` on large (table)", "≤ 1 s",
                              s["table"].cpu_median, 1.0, "CPU seconds",
                              measured=cpu_ms(s["table"]))
        self.tables.append((f"Every report in every format on {size} (sqlite; wall / CPU "
                            "medians)", ["report", *FORMATS, "floor", "slowest / floor (CPU)",
                                         "peak RSS", "numbers"], rows))

    # --- kam today --owner and kam check ------------------------------------------------

    def today(self, size: str, ws: Path) -> None:
        self.say(f"kam today --owner and kam check on {size}…")
        db = ws / "kam.db"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        owner = conn.execute("SELECT owner FROM opportunity WHERE owner IS NOT NULL "
                             "GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1"
                             ).fetchone()[0]
        conn.close()
        env = child_env(ws, self.root)
        runs = self.runs(False)
        cmds = {f: kam("today", "--owner", owner, "-f", f) for f in ("table", "json")}
        cmds["floor"] = floor_cmd(db, "today-owner", owner)
        s = measure(cmds, env, runs, keep=True, warmup=size != "large")
        differs = check_numbers("today-owner", s["json"].out, s["floor"].out) or "same"
        if differs != "same":
            self.notes.append(f"today --owner on {size}: kam and its floor differ: {differs}")
        self.floor_ok(f"today --owner on {size}", s["floor"])
        rows = [[f"kam today --owner {owner}", cell(s["table"]), cell(s["json"]),
                 cell(s["floor"]), f"{max(s['table'].peak_mb, s['json'].peak_mb):.0f} MB",
                 differs]]
        for f in ("table", "json"):
            self.keep(size, f"today --owner -f {f}", s[f])
        worst = max(s["table"].cpu_median, s["json"].cpu_median)
        if size == "large":
            self.goal("`kam today --owner` on large vs floor", "≤ 2×",
                      worst / s["floor"].cpu_median, 2.0, f"numbers {differs}")
            self.goal("`kam today --owner` on large", "≤ 1 s", worst, 1.0, "CPU seconds",
                      measured=ms(worst))
        # kam check: the first run on a fresh copy fires everything; then nothing new;
        # then the next day's run, what the daily cron job does (a day's milestones fall
        # due or cross a level, renewals enter their window, flags are raised), with the
        # reminders daily runs would have written for the milestones paid by now
        # (benchmarks/history.py: ~186k on large) around it. The first and next-day runs'
        # floor writes what kam writes (benchmarks/floors/check.py), on a copy of its own
        # given the same history; the nothing-new floor counts what would fire
        # (FLOOR_SQL["check"])
        first, again, nxt = Sample(), Sample(), Sample()
        f_first, f_again, f_next = Sample(), Sample(), Sample()
        checks = next_checks = ""
        for i in range(max(1, min(runs, 2))):
            copy = self.copy_of(ws, f"check-floor-{size}")
            r = run_child(floor_program("check", str(copy)), child_env(copy, self.root),
                          keep=True)
            f_first.add(r)
            floor_out = r.out
            with_history(copy)
            r = run_child(floor_program("check", str(copy)), next_day(child_env(copy, self.root)),
                          keep=True)
            f_next.add(r)
            floor_next = r.out
            shutil.rmtree(copy, ignore_errors=True)
            copy = self.copy_of(ws, f"check-{size}")
            cenv = child_env(copy, self.root)
            r = run_child(kam("check", "-f", "json"), cenv, keep=True, ok=(0, 1))
            first.add(r)
            if i == 0:
                checks = check_numbers("check", r.out, floor_out) or "same"
            for _ in range(runs):
                again.add(run_child(kam("check", "-f", "json"), cenv, ok=(0, 1)))
                f_again.add(run_child(floor_cmd(copy / "kam.db", "check"), cenv))
            with_history(copy)
            r = run_child(kam("check", "-f", "json"), next_day(cenv), keep=True, ok=(0, 1))
            nxt.add(r)
            if i == 0:
                next_checks = check_numbers("check", r.out, floor_next) or "same"
            shutil.rmtree(copy, ignore_errors=True)
        for label, differs in (("check", checks), ("check the next day", next_checks)):
            if differs != "same":
                self.notes.append(f"{label} on {size}: kam and its floor differ: {differs}")
        rows.append(["kam check (first run, a fresh copy)", cell(first), "–", cell(f_first),
                     f"{first.peak_mb:.0f} MB", checks])
        rows.append(["kam check (nothing new)", cell(again), "–", cell(f_again),
                     f"{again.peak_mb:.0f} MB", "–"])
        rows.append(["kam check (the next day, with the paid milestones' reminders)",
                     cell(nxt), "–", cell(f_next), f"{nxt.peak_mb:.0f} MB", next_checks])
        self.keep(size, "check (first run)", first)
        self.keep(size, "check (nothing new)", again)
        self.keep(size, "check (the next day)", nxt)
        if size == "large":
            for label, x, fl in (("first run", first, f_first),
                                 ("nothing new", again, f_again),
                                 ("the next day", nxt, f_next)):
                self.goal(f"`kam check` on large ({label}) vs floor", "≤ 2×",
                          x.cpu_median / fl.cpu_median, 2.0,
                          f"{cpu_ms(x)} vs {cpu_ms(fl)} CPU")
                self.goal(f"`kam check` on large ({label})", "≤ 1 s", x.cpu_median, 1.0,
                          "CPU seconds", measured=cpu_ms(x))
        self.tables.append((f"kam today --owner and kam check on {size} (wall / CPU)", [
            "command", "table", "json", "floor", "peak RSS", "numbers"], rows))

    # --- everyday commands --------------------------------------------------------------

    def everyday(self, size: str, ws: Path) -> None:
        self.say(f"everyday commands on {size}…")
        env = child_env(ws, self.root)
        db = ws / "kam.db"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n = conn.execute("SELECT count(*) FROM opportunity").fetchone()[0]
        conn.close()
        mid = f"OP{n // 2}"
        columns = ",".join(_columns("opportunity"))
        runs = self.runs(True)
        pairs = {"opp list --limit 50": (kam("opp", "list", "--limit", "50"),
                                         py(FLOOR_TABLE, str(db), "opportunity", columns,
                                            "50")),
                 f"opp show {mid}": (kam("opp", "show", mid),
                                     floor_program("everyday", str(ws), "show", mid))}
        rows: list[list[str]] = []
        for label, (mine, floor) in pairs.items():
            s = measure({"kam": mine, "floor": floor}, env, runs)
            self._everyday_row(size, label, s["kam"], s["floor"], rows)
        # mutations, on a copy: each run its own record
        copy = self.copy_of(ws, f"mutate-{size}")
        cenv = child_env(copy, self.root)
        cdb = copy / "kam.db"
        conn = sqlite3.connect(cdb)
        contracts = [r[0] for r in conn.execute(
            "SELECT r.contract_id FROM receivable r JOIN contract c ON c.id = r.contract_id"
            " WHERE c.status IN ('signed', 'executing') AND r.written_off_on IS NULL"
            " AND r.amount - coalesce(r.paid, 0) - coalesce(r.written_off, 0) > 30000"
            " GROUP BY r.contract_id ORDER BY r.contract_id LIMIT ?", (runs + 1,))]
        opps = [r[0] for r in conn.execute(
            "SELECT id FROM opportunity WHERE status = 'open' AND stage = 'development'"
            " ORDER BY rowid LIMIT ?", (2 * runs + 2,))]
        conn.close()
        writes = {"pay record": (lambda i: kam("pay", "record", contracts[i], "100.00",
                                               "--ref", f"bench {i}"),
                                 lambda i: floor_program("everyday", str(copy), "pay",
                                                         contracts[i], "100.00")),
                  "activity log": (lambda i: kam("activity", "log", opps[i], "--type", "call",
                                                 "--outcome", "advance", "--note", "bench"),
                                   lambda i: floor_program("everyday", str(copy), "activity",
                                                           opps[i])),
                  "opp advance --force": (
                      lambda i: kam("opp", "advance", opps[i], "--force", "--reason", "bench"),
                      lambda i: floor_program("everyday", str(copy), "advance",
                                              opps[runs + 1 + i]))}
        for label, (mine_at, floor_at) in writes.items():
            x, f = Sample(), Sample()
            for i in range(runs + 1):
                a, b = run_child(mine_at(i), cenv), run_child(floor_at(i), cenv)
                if i:  # the first is the warm-up
                    x.add(a)
                    f.add(b)
            self._everyday_row(size, label, x, f, rows)
        shutil.rmtree(copy, ignore_errors=True)
        self.tables.append((f"Everyday commands on {size} (wall / CPU medians; writes on a "
                            "copy)", ["command", "kam", "floor", "kam / floor (CPU)",
                                      "peak RSS", "exit"], rows))

    def _everyday_row(self, size: str, label: str, x: Sample, f: Sample,
                      rows: list[list[str]]) -> None:
        ratio = x.cpu_median / f.cpu_median
        self.floor_ok(f"{label} on {size}", f)
        rows.append([f"kam {label}", cell(x), cell(f), f"{ratio:.2f}×", f"{x.peak_mb:.0f} MB",
                     "ok" if not x.failed else f"exit {x.failed}"])
        self.keep(size, label.split(" OP")[0], x)
        if size == "large":
            self.goal(f"`kam {label}` on large vs floor", "≤ 2.5×", ratio, 2.5,
                      f"{cpu_ms(x)} vs {cpu_ms(f)} CPU" + (
                          f"; kam exit {x.failed}" if x.failed else ""))

    # --- all-row lists ------------------------------------------------------------------

    def lists(self, size: str, ws: Path) -> None:
        self.say(f"all-row lists on {size}…")
        env = child_env(ws, self.root)
        db = ws / "kam.db"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        runs = max(1, self.runs(False) - (1 if size == "large" else 0))
        rows = []
        for command, table in LISTS.items():
            n = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            limit = str(n + 1)
            self.say(f"  {command} list ({n:,} rows)…")
            more = ["--limit", limit] if command != "receivable" else []
            cmds = {f: kam(command, "list", *more, "-f", f)
                    for f in ("table", "json", "csv")}
            cmds["floor"] = py(FLOOR_TABLE, str(db), table, ",".join(_columns(table)), "0")
            have_su = shutil.which("sqlite-utils") is not None
            if have_su:
                cmds["su csv"] = ["sqlite-utils", "rows", str(db), table, "--csv"]
                cmds["su json"] = ["sqlite-utils", "rows", str(db), table, "--json-cols"]
            s = measure(cmds, env, runs, warmup=False)
            for f in ("floor", "su csv", "su json"):
                if f in s:
                    self.floor_ok(f"{command} list ({f}) on {size}", s[f])
            for f in ("table", "json", "csv"):
                self.keep(size, f"{command} list (all) -f {f}", s[f])
            r_table = s["table"].cpu_median / s["floor"].cpu_median
            r_csv = s["csv"].cpu_median / s["su csv"].cpu_median if have_su else float("nan")
            r_json = s["json"].cpu_median / s["su json"].cpu_median if have_su \
                else float("nan")
            peak = max(s[f].peak_mb for f in ("table", "json", "csv"))
            rows.append([f"{command} list ({n:,})", cell(s["table"]), cell(s["floor"]),
                         f"{r_table:.2f}×", cell(s["csv"]),
                         cell(s["su csv"]) if have_su else "–", f"{r_csv:.2f}×",
                         cell(s["json"]), cell(s["su json"]) if have_su else "–",
                         f"{r_json:.2f}×", f"{peak:.0f} MB"])
            if size == "large":
                self.goal(f"`kam {command} list` (all {n:,}) on large, table vs floor", "≤ 2×",
                          r_table, 2.0)
                self.goal(f"`kam {command} list -f csv` (all) vs `sqlite-utils rows --csv`",
                          "≤ 1.5×", r_csv, 1.5)
                self.goal(f"`kam {command} list -f json` (all) vs `sqlite-utils rows "
                          "--json-cols`", "≤ 1.5×", r_json, 1.5)
        conn.close()
        self.tables.append((f"All-row lists on {size} (wall / CPU medians; ratios on CPU)", [
            "list", "table", "floor", "ratio", "csv", "sqlite-utils --csv", "ratio", "json",
            "sqlite-utils --json-cols", "ratio", "kam peak RSS"], rows))

    # --- export and import --------------------------------------------------------------

    def transfer(self, size: str, ws: Path) -> None:
        """``kam export`` and ``kam import`` beside floors that write the same CSV files
        (checked byte for byte against kam's manifest) and load them back."""
        self.say(f"export and import of {size}…")
        env = child_env(ws, self.root)
        runs = 1 if size == "large" else max(1, self.runs(False) - 1)
        # the import of large twice (kam, floor, kam, floor): with one run of each, one
        # disturbed run decided the goal (run F: 1.44x, growth 13.4x; measured again,
        # light load to load 9, this section alone included: 1.10-1.20x, 9.4-10.3x)
        iruns = 2 if size == "large" else runs
        mine, floor = Sample(), Sample()
        folder, ffolder = self.root / f"export-kam-{size}", self.root / f"export-floor-{size}"
        for _ in range(runs):
            for path, sample, cmd in (
                    (folder, mine, kam("export", str(folder))),
                    (ffolder, floor, floor_program("export", str(ws / "kam.db"),
                                                   str(ffolder)))):
                shutil.rmtree(path, ignore_errors=True)
                sample.add(run_child(cmd, env))
        same = _same_export(folder, ffolder)
        imine, ifloor = Sample(), Sample()
        loaded: dict[str, str] = {}
        for i in range(iruns):
            for name, sample in (("kam", imine), ("floor", ifloor)):
                target = self.root / f"import-{name}-{size}"
                shutil.rmtree(target, ignore_errors=True)
                tenv = child_env(target, self.root)
                run_child(kam("init", "--lang", "en"), tenv)
                cmd = kam("import", str(folder)) if name == "kam" else floor_program(
                    "import", str(folder), str(target / "kam.db"))
                sample.add(run_child(cmd, tenv))
                if i == 0:
                    loaded[name] = _fingerprint(target / "kam.db")
                shutil.rmtree(target, ignore_errors=True)
        self.floor_ok(f"export of {size}", floor)
        self.floor_ok(f"import of {size}", ifloor)
        if loaded.get("kam") != loaded.get("floor"):
            self.notes.append(f"import of {size}: kam and the floor loaded different data "
                              f"(kam: {loaded.get('kam', '')[:200]}; floor: "
                              f"{loaded.get('floor', '')[:200]})")
        shutil.rmtree(ffolder, ignore_errors=True)
        total = sum(int(f["rows"]) for f in json.loads(
            (folder / "manifest.json").read_text())["files"].values()) \
            if (folder / "manifest.json").is_file() else 0
        rows = []
        for label, x, f in (("export", mine, floor), ("import", imine, ifloor)):
            ratio = x.cpu_median / f.cpu_median
            rows.append([f"kam {label}", cell(x), cell(f), f"{ratio:.2f}×",
                         f"{x.peak_mb:.0f} MB", f"{f.peak_mb:.0f} MB",
                         "ok" if not x.failed else f"exit {x.failed}"])
            self.keep(size, label, x)
            if size == "large":
                self.goal(f"`kam {label}` of large vs floor", "≤ 1.3×", ratio, 1.3,
                          f"{cpu_ms(x)} vs {cpu_ms(f)} CPU" + (
                              f"; files: {same}" if label == "export" else ""))
        self.tables.append((f"Export and import of {size} ({total:,} rows incl. events; "
                            f"files vs floor: {same})", [
                                "what", "kam", "floor", "kam / floor (CPU)", "kam peak RSS",
                                "floor peak RSS", "exit"], rows))

    # --- csv backend -----------------------------------------------------------------------

    def csv_backend(self) -> None:
        ws = self.workspace("medium", "csv")
        self.warm(ws)
        self.say("reports on the csv backend, medium…")
        env = child_env(ws, self.root)
        lite = child_env(self.workspace("medium"), self.root)
        runs = self.runs(False)
        rows = []
        worst_ratio, worst_rss, worst_name = 0.0, 0.0, ""
        for r in ALL_REPORTS:
            cmd = kam("report", r, "-f", "json")
            c = measure({"csv": cmd}, env, runs)["csv"]
            known = self.results.get(("medium", f"report {r} -f json"))
            s = known if known is not None else measure({"sqlite": cmd}, lite, runs)["sqlite"]
            ratio = c.cpu_median / s.cpu_median
            rows.append([r, cell(c), cell(s), f"{ratio:.1f}×", f"{c.peak_mb:.0f} MB",
                         "ok" if not c.failed else f"exit {c.failed}"])
            if ratio > worst_ratio:
                worst_ratio, worst_name = ratio, r
            worst_rss = max(worst_rss, c.peak_mb)
        self.goal("csv backend on medium: every report vs sqlite (json)", "≤ 3×", worst_ratio,
                  3.0, f"slowest: {worst_name}")
        self.goals.append(Goal("csv backend on medium: peak RSS of any report", "≤ 100 MB",
                               f"{worst_rss:.0f} MB", worst_rss <= 100))
        self.tables.append(("Reports on the csv backend, medium (wall / CPU medians)", [
            "report", "csv backend", "sqlite", "csv / sqlite (CPU)", "csv peak RSS", "exit"],
            rows))

    # --- growth and memory, over everything measured --------------------------------------

    def growth(self) -> None:
        both = [label for (size, label) in self.results if size == "medium"
                and ("large", label) in self.results]
        if not both:
            return
        rows = []
        worst, worst_label = 0.0, ""
        for label in both:
            m, la = self.results[("medium", label)], self.results[("large", label)]
            g = la.cpu_median / m.cpu_median
            rows.append([label, cpu_ms(m), cpu_ms(la), f"{g:.1f}×"])
            if g > worst:
                worst, worst_label = g, label
        self.goal(f"growth medium → large, every command ({len(both)} measured on both)",
                  "≤ 11×", worst, 11.0, f"largest: {worst_label}")
        self.tables.append(("Growth medium → large (10× the data; CPU medians)", [
            "command", "medium", "large", "growth"], rows))

    def memory(self) -> None:
        for size, bound in (("medium", 50.0), ("large", 100.0)):
            mine = {label: x for (s, label), x in self.results.items() if s == size}
            if not mine:
                continue
            label, x = max(mine.items(), key=lambda kv: kv[1].peak_mb)
            over = sorted(f"{lb} {v.peak_mb:.0f} MB" for lb, v in mine.items()
                          if v.peak_mb > bound)
            self.goals.append(Goal(f"peak RSS of any command on {size} ({len(mine)} measured)",
                                   f"≤ {bound:.0f} MB", f"{x.peak_mb:.0f} MB ({label})",
                                   x.peak_mb <= bound,
                                   f"over: {'; '.join(over[:8])}" if over else ""))

    # --- output ----------------------------------------------------------------------------------

    def markdown(self) -> str:
        m = machine()
        out = ["# kam benchmarks", "",
               "Written by `python benchmarks/run.py` "
               f"({'quick' if self.args.quick else 'full'} run, sizes "
               f"{', '.join(self.args.sizes)}, seed {self.args.seed}, sections "
               f"{', '.join(self.args.sections)}). Whole processes, medians; every ratio is "
               "measured side by side in the same run and **judged on CPU time** (user + "
               "sys of the child, from `os.wait4`): the machine is shared, so wall times "
               "are shown beside it but not judged. Floors are hand-written `sqlite3` "
               "programs in their own python process printing the same numbers, checked "
               f"equal to kam's JSON in the run. Data: `benchmarks/generate.py` (as of "
               f"{TODAY}).", "", "## Machine", ""]
        out += [f"- {k}: {v}" for k, v in m.items()]
        out += ["- runner time per section: " + ", ".join(
            f"{name} {secs / 60:.1f} min" for name, secs in self.timings)]
        out += ["", "## Goals of issue 15 (ratios on CPU time)", "",
                "| goal | target | measured | result | note |", "|---|---|---|---|---|"]
        for g in self.goals:
            result = "not measured" if g.ok is None else ("pass" if g.ok else "**miss**")
            out.append(f"| {g.goal} | {g.target} | {g.measured} | {result} | {g.note} |")
        if self.bars:
            out += ["", "## Other bars", "", "| what | target | measured | result | note |",
                    "|---|---|---|---|---|"]
            for b in self.bars:
                result = "—" if b.ok is None else ("pass" if b.ok else "**miss**")
                out.append(f"| {b.what} | {b.target} | {b.measured} | {result} | {b.note} |")
        for title, columns, rows in self.tables:
            out += ["", f"## {title}", "", "| " + " | ".join(columns) + " |",
                    "|" + "---|" * len(columns)]
            out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        if self.notes:
            out += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        if self.args.notes and Path(self.args.notes).is_file():
            out += ["", Path(self.args.notes).read_text(encoding="utf-8").strip()]
        return "\n".join(out) + "\n"


def _columns(table: str) -> list[str]:
    """The columns ``kam … list`` shows in a table for a kind (kam's own declaration)."""
    from kam.kinds import KINDS

    return list(KINDS[table].columns)


def _fingerprint(db: Path) -> str:
    """Rows per table and the money totals of the ledgers: what an import loaded."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT IN ('_sqlite_migrations', 'kam_sequence') ORDER BY name")]
        parts = [f"{t}={conn.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}"
                 for t in tables]
        for t, col in (("receivable", "paid"), ("payment", "amount"), ("contract", "amount")):
            if t in tables:
                parts.append(f"sum({t}.{col})="
                             f"{conn.execute(f'SELECT sum({col}) FROM {t}').fetchone()[0]}")
        return " ".join(parts)
    except sqlite3.Error as exc:
        return f"unreadable ({exc})"
    finally:
        conn.close()


def _same_export(kam_folder: Path, floor_folder: Path) -> str:
    """'byte-identical' when every file kam wrote has the floor's SHA-256, else which not."""
    try:
        mine = json.loads((kam_folder / "manifest.json").read_text())["files"]
        floor = json.loads((floor_folder / "manifest.json").read_text())["files"]
    except (OSError, ValueError, KeyError) as exc:
        return f"not compared ({exc})"
    differ = sorted(k for k, v in mine.items() if floor.get(k, {}).get("sha256") != v["sha256"])
    return "byte-identical" if not differ else f"{len(differ)} files differ: " + \
        ", ".join(differ[:6])


def _layout(source: Path, target: Path) -> Path:
    """A folder where ``kam`` is ``source``'s core/ and ``kam.plugins`` its plugins/ (as
    installed), built of symlinks; put it first on PYTHONPATH to run that tree."""
    if target.exists():
        shutil.rmtree(target)
    (target / "kam").mkdir(parents=True)
    for entry in (source / "core").iterdir():
        (target / "kam" / entry.name).symlink_to(entry)
    (target / "kam" / "plugins").symlink_to(source / "plugins")
    return target


def ms(seconds: float) -> str:
    if seconds != seconds:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="medium,large",
                        help="comma-separated: tiny, medium, large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", default=os.environ.get("KAM_BENCH_ROOT", "/tmp/kam-bench"),
                        help="where generated workspaces are cached")
    parser.add_argument("--quick", action="store_true", help="fewer runs; skip transfer")
    parser.add_argument("--runs", type=int, default=0, help="runs per measurement")
    parser.add_argument("--only", default="", help="comma-separated sections to run: "
                        + ", ".join(SECTIONS))
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out")
    parser.add_argument("--notes", default=str(HERE / "NOTES.md"),
                        help="a Markdown file appended to the output (findings, fixes)")
    parser.add_argument("--baseline", default="",
                        help="a git revision: measure start-up and a 50-row list against it "
                        "side by side (e.g. --baseline v0.1.0 --sizes tiny --only baseline)")
    parser.add_argument("--output", default=str(HERE.parent / "BENCHMARKS.md"),
                        help="file to write, or - for stdout")
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = (set(only) | skip) - set(SECTIONS) - {"all", "baseline"}
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}; "
                     f"sections: {', '.join(SECTIONS)}")
    if "all" in skip:
        skip |= set(SECTIONS)
    if args.quick:
        skip.add("transfer")
    wanted = [s for s in (only or SECTIONS) if s not in skip and s in SECTIONS]
    args.sections = wanted or ["none"]
    bench = Bench(args)

    def timed(name: str, step: Any, *a: Any) -> None:
        started = time.perf_counter()
        step(*a)
        bench.timings.append((name, time.perf_counter() - started))
        bench.say(f"  [{name}: {bench.timings[-1][1] / 60:.1f} min]")
        if args.output != "-":  # what is measured so far survives a run cut short
            Path(args.output).write_text(bench.markdown(), encoding="utf-8")

    if args.baseline:
        timed("baseline", bench.baseline, args.baseline,
              args.sizes[0] if args.sizes else "tiny")
    bench.warm()
    if "startup" in wanted:
        timed("startup", bench.startup)
    for size in args.sizes:
        if not set(wanted) & {"reports", "today", "everyday", "lists", "transfer"}:
            break
        ws = bench.workspace(size)
        bench.warm(ws)
        for name, step in (("reports", bench.reports), ("today", bench.today),
                           ("everyday", bench.everyday), ("lists", bench.lists),
                           ("transfer", bench.transfer)):
            if name in wanted:
                timed(f"{name} ({size})", step, size, ws)
    if "csv" in wanted and "medium" in args.sizes:
        timed("csv", bench.csv_backend)
    bench.growth()
    bench.memory()
    if "postgres" in wanted:
        import postgres

        for size in args.sizes:
            timed(f"postgres ({size})", postgres.side_by_side, sys.modules[__name__], bench,
                  size, bench.workspace(size))
    text = bench.markdown()
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        bench.say(f"wrote {args.output}")
    for name, secs in bench.timings:
        bench.say(f"  {name}: {secs / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
