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
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

REPORTS = ("pipeline", "forecast", "aging", "battle-map")
FORMATS = ("table", "json", "csv", "md")
ALL_REPORTS = ("pipeline", "funnel", "forecast", "win-loss", "activity", "targets", "aging",
               "battle-map", "renewals")
TODAY = generate.TODAY.isoformat()

# --- the floor: one hand-written SQL query per report --------------------------------------

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
    "battle-map": """
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
        WITH o AS (
          SELECT id,
                 coalesce(json_extract(stage_history, '$[0].stage'), 'development') AS start,
                 coalesce(json_extract(stage_history, '$[0].on'), substr(created_at, 1, 10))
                   AS entered
          FROM opportunity WHERE pipeline = 'six_stage'),
        st(key, i) AS (VALUES ('development', 0), ('initiation', 1), ('proposal', 2),
                              ('bidding', 3), ('negotiation', 4), ('implementation', 5),
                              ('completed', 6)),
        e AS (
          SELECT e.rowid AS seq, e.record_id AS id, e.kind,
                 json_extract(e.payload, '$.to') AS to_,
                 coalesce(json_extract(e.payload, '$.from'), json_extract(e.payload, '$.stage'))
                   AS from_,
                 coalesce(json_extract(e.payload, '$.on'), substr(e.at, 1, 10)) AS on_,
                 coalesce(json_extract(e.payload, '$.reason'), '') AS reason
          FROM event e JOIN o ON o.id = e.record_id
          WHERE e.kind IN ('opportunity.advanced', 'opportunity.lost',
                           'opportunity.abandoned')),
        s AS (
          SELECT e.*, o.start, o.entered,
                 lag(e.kind) OVER w AS prev_kind, lag(e.on_) OVER w AS prev_on,
                 lag(e.to_) OVER w AS prev_to
          FROM e JOIN o ON o.id = e.id WINDOW w AS (PARTITION BY e.id ORDER BY e.seq)),
        l AS (  -- the stage each event leaves and the days spent in it
          SELECT kind, to_, id, reason,
                 coalesce(from_, CASE WHEN prev_kind IS NULL THEN start
                                      WHEN prev_kind = 'opportunity.advanced' THEN prev_to
                                 END) AS left_,
                 CASE WHEN prev_kind IS NULL
                        THEN CAST(julianday(on_) - julianday(entered) AS INTEGER)
                      WHEN prev_kind = 'opportunity.advanced'
                        THEN CAST(julianday(on_) - julianday(prev_on) AS INTEGER) END AS days
          FROM s),
        far AS (  -- the furthest stage each deal reached
          SELECT o.id, max(coalesce(a.i, 0), coalesce(max(t.i), 0)) AS i
          FROM o LEFT JOIN st a ON a.key = o.start
          LEFT JOIN e ON e.id = o.id AND e.kind = 'opportunity.advanced'
          LEFT JOIN st t ON t.key = e.to_
          GROUP BY o.id),
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
        WITH t AS (SELECT date(:today, '-6 days', 'weekday 1', '-49 days') AS start),
        w AS (
          SELECT coalesce(owner, '') AS owner, date(date, '-3 days', 'weekday 4') AS thu,
                 outcome
          FROM activity, t WHERE date >= t.start AND date <= :today),
        deals AS (
          SELECT id, coalesce(stage_entered_at, substr(created_at, 1, 10)) AS since
          FROM opportunity WHERE status = 'open' AND completed_at IS NULL),
        acts AS (
          SELECT a.opportunity_id AS opp, a.date || '|' || a.id AS k, a.date, a.outcome
          FROM activity a JOIN deals ON deals.id = a.opportunity_id WHERE a.date <= :today),
        brk AS (SELECT opp, max(k) AS k FROM acts WHERE outcome IS NOT 'continuance'
                GROUP BY opp),
        touch AS (
          SELECT acts.opp, max(acts.date) AS last,
                 sum(acts.outcome = 'continuance' AND (brk.k IS NULL OR acts.k > brk.k))
                   AS run
          FROM acts LEFT JOIN brk ON brk.opp = acts.opp GROUP BY acts.opp),
        stalled AS (
          SELECT deals.id, coalesce(touch.run, 0) AS run,
                 CAST(julianday(:today) - julianday(coalesce(touch.last, deals.since))
                      AS INTEGER) AS silent
          FROM deals LEFT JOIN touch ON touch.opp = deals.id)
        SELECT 'week', owner, strftime('%Y', thu) || '-W' ||
                 printf('%02d', (CAST(strftime('%j', thu) AS INTEGER) - 1) / 7 + 1),
               count(*) || ' ' || sum(outcome = 'order') || ' ' || sum(outcome = 'advance')
                 || ' ' || sum(outcome = 'continuance') || ' ' || sum(outcome = 'no_sale')
                 || ' ' || sum(outcome IS NULL OR outcome NOT IN
                               ('order', 'advance', 'continuance', 'no_sale'))
          FROM w GROUP BY 2, 3
        UNION ALL
        SELECT 'stalled', id, silent, run FROM stalled WHERE run >= 3 OR silent >= 30""",
    "targets": """
        WITH won AS (
          SELECT owner, currency, customer_id, category, coalesce(amount, 0) AS amount,
                 substr(coalesce(closed_at, close_date), 1, 7) AS month
          FROM opportunity WHERE status = 'won' AND coalesce(closed_at, close_date) IS NOT NULL),
        per AS (
          SELECT t.id, t.currency, t.customer_id, t.product, t.owner, p.off,
                 CAST(substr(t.period, 1, 4) AS INTEGER) - p.off AS year, substr(t.period, 5)
                   AS rest
          FROM target t, (SELECT 0 AS off UNION ALL SELECT 1) p)
        SELECT per.id, per.off, coalesce(sum(won.amount), 0)
        FROM per LEFT JOIN won ON won.currency = per.currency
          AND (won.owner = per.owner OR won.owner IN (
               SELECT m.owner FROM target m WHERE m.team = per.owner))
          AND (per.customer_id IS NULL OR won.customer_id = per.customer_id)
          AND (per.product IS NULL OR won.category = per.product)
          AND substr(won.month, 1, 4) = printf('%04d', per.year)
          AND (per.rest = ''
               OR (per.rest LIKE '-Q_' AND (CAST(substr(won.month, 6, 2) AS INTEGER) + 2) / 3
                   = CAST(substr(per.rest, 3, 1) AS INTEGER))
               OR (per.rest LIKE '-__' AND per.rest NOT LIKE '-Q_'
                   AND substr(won.month, 5) = per.rest))
        GROUP BY per.id, per.off""",
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

FLOOR_SCRIPT = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(sys.argv[2], {"today": sys.argv[3]}).fetchall()
for row in rows:
    print("\\t".join("" if v is None else str(v) for v in row))
"""


# --- running processes ------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    out: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def peak_mb(self) -> float:
        return max(self.rss_kb) / 1024 if self.rss_kb else float("nan")


def child_env(workspace: Path | None, root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed kam has its .pyc files
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    env["KAM_TODAY"] = TODAY
    env["KAM_LANG"] = "en"
    env["KAM_USER"] = "bench"
    for name in ("KAM_PLUGINS_DIR", "KAM_DISABLE_PLUGINS", "KAM_DEBUG"):
        env.pop(name, None)
    if workspace is not None:
        env["KAM_HOME"] = str(workspace)
    return env


def run_once(cmd: list[str], env: dict[str, str], keep: bool = False,
             stdin: str | None = None) -> tuple[float, int, int, str]:
    """(seconds, exit code, peak RSS in KB, stdout if ``keep``) of one whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE if keep else
                            subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    out = ""
    if keep:
        out = proc.stdout.read()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,) and err.strip():
        print(f"    [{' '.join(cmd[:4])}… exit {proc.returncode}] {err.strip()[:300]}",
              file=sys.stderr)
    return seconds, proc.returncode, usage.ru_maxrss, out


def measure(cmds: dict[str, list[str]], env: dict[str, str], runs: int,
            keep: bool = False) -> dict[str, Sample]:
    """Run each command ``runs`` times, interleaved (side by side), after one warm-up."""
    samples = {name: Sample() for name in cmds}
    for name, cmd in cmds.items():
        _s, _c, _r, out = run_once(cmd, env, keep=keep)
        samples[name].out = out
    for _ in range(runs):
        for name, cmd in cmds.items():
            seconds, code, rss, _out = run_once(cmd, env)
            samples[name].seconds.append(seconds)
            samples[name].rss_kb.append(rss)
            samples[name].exit_codes.append(code)
    return samples


def kam(*args: str) -> list[str]:
    return [sys.executable, "-m", "kam", *args] if not shutil.which("kam") else \
        [shutil.which("kam") or "kam", *args]


def floor_cmd(db: Path, report: str) -> list[str]:
    return [sys.executable, "-c", FLOOR_SCRIPT, str(db), FLOOR_SQL[report], TODAY]


# --- checks: kam's numbers equal the floor's ---------------------------------------------------


def _cents(value: Any) -> int:
    return int(Decimal(str(value)) * 100)


def check_numbers(report: str, kam_json: str, floor_out: str) -> str:
    """'' when kam's totals agree with the floor's, else what differs."""
    data = json.loads(kam_json)
    rows = [line.split("\t") for line in floor_out.splitlines() if line]
    if report == "today":
        steps = data["tables"]["next_steps"]["rows"]
        due = data["tables"]["receivables"]["rows"]
        mine = {"next_steps": (len(steps), 0),
                "receivables": (len(due), sum(_cents(r["outstanding"]) for r in due))}
        floor = {r[0]: (int(r[1]), int(r[2])) for r in rows}
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
        keys = ("calls", "order", "advance", "continuance", "no_sale", "no_outcome")
        mine = {("week", r["owner"], r["week"]): tuple(r[k] for k in keys)
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
        mine = {}
        for r in data["tables"]["targets"]["rows"]:
            mine[(r["id"], 0)] = _cents(r["won"])
            if "last_year" in r:
                mine[(r["id"], 1)] = _cents(r["last_year"])
        floor = {(i, int(off)): int(v) for i, off, v in rows}
        floor = {k: v for k, v in floor.items() if k in mine or k[1] == 0}
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
    else:  # battle-map
        t = data["tables"]["contracts"]["rows"]
        mine = {r["number"]: (_cents(r["collected"]), _cents(r["outstanding"])) for r in t}
        floor = {r[2]: (int(r[6]), int(r[7])) for r in rows}
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


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.root = Path(args.root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.bars: list[Bar] = []
        self.tables: list[tuple[str, list[str], list[list[str]]]] = []
        self.notes: list[str] = []
        self.report_times: dict[str, dict[str, float]] = {}
        self.startup_ratio = 1.0

    def say(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def workspace(self, size: str, backend: str = "sqlite") -> Path:
        self.say(f"workspace {backend}/{size} (generated once, then cached)…")
        return generate.cached(self.root, size, self.args.seed, backend,
                               progress=lambda m: self.say(f"  generating {m}…"))

    def runs(self, fast: bool) -> int:
        if self.args.runs:
            return self.args.runs
        if self.args.quick:
            return 3 if fast else 1
        return 9 if fast else 3

    # --- start-up ----------------------------------------------------------------------

    def startup(self) -> None:
        self.say("start-up…")
        env = child_env(None, self.root)
        cmds = {"python -c pass": [sys.executable, "-c", "pass"], "kam --help": kam("--help")}
        if shutil.which("sqlite-utils"):
            cmds["sqlite-utils --help"] = ["sqlite-utils", "--help"]
        s = measure(cmds, env, self.runs(True))
        base = s["python -c pass"].median
        self.startup_ratio = base / 0.015
        rows = [[name, ms(x.median), f"{x.median / base:.1f}×"] for name, x in s.items()]
        self.tables.append(("Start-up (whole process)", ["command", "median",
                                                           "× python -c pass"], rows))
        k = s["kam --help"].median
        su = s.get("sqlite-utils --help")
        scaled = 0.100 * self.startup_ratio
        note = (f"here `python -c pass` takes {ms(base)} vs ~15 ms where the bars were set "
                f"({self.startup_ratio:.1f}× slower): 100 ms there ≈ {ms(scaled)} here")
        if su is not None:
            note += f"; kam/sqlite-utils = {k / su.median:.2f} (there: 100/140 = 0.71)"
        self.bars.append(Bar("`kam --help` cold start", "≤ 100 ms", ms(k), k <= 0.100,
                             note))
        self.bars.append(Bar("`kam --help`, scaled to this machine",
                             f"≤ {ms(scaled)}", ms(k), k <= scaled,
                             "100 ms × (python here / python there)"))

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

    # --- everyday commands and mutations on large ---------------------------------------

    def everyday(self, size: str, ws: Path) -> None:
        self.say(f"everyday commands on {size}…")
        env = child_env(ws, self.root)
        db = ws / "kam.db"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n = conn.execute("SELECT count(*) FROM opportunity").fetchone()[0]
        conn.close()
        mid = f"OP{n // 2}"
        s = measure({"kam opp list --limit 50": kam("opp", "list", "--limit", "50"),
                     f"kam opp show {mid}": kam("opp", "show", mid)}, env, self.runs(True))
        rows = []
        for name, x in s.items():
            rows.append([name, ms(x.median), f"{x.peak_mb:.0f} MB"])
            self.bars.append(Bar(f"`{name}` on {size}", "≤ 150 ms", ms(x.median),
                                 x.median <= 0.150 * max(1.0, self.startup_ratio) if
                                 self.args.scaled else x.median <= 0.150,
                                 f"scaled to this machine: ≤ {ms(0.150 * self.startup_ratio)}"))
        self.tables.append((f"Everyday commands on {size}", ["command", "median", "peak RSS"],
                            rows))
        self.mutations(size, ws)

    def mutations(self, size: str, ws: Path) -> None:
        copy = self.root / f"mutate-{size}"
        self.say(f"mutations on a copy of {size}…")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(ws, copy)
        env = child_env(copy, self.root)
        conn = sqlite3.connect(copy / "kam.db")
        runs = self.runs(True)
        contracts = [r[0] for r in conn.execute(
            "SELECT r.contract_id FROM receivable r JOIN contract c ON c.id = r.contract_id"
            " WHERE c.status IN ('signed', 'executing') AND r.written_off_on IS NULL"
            " AND r.amount - coalesce(r.paid, 0) > 10000 GROUP BY r.contract_id"
            " ORDER BY r.contract_id LIMIT ?", (runs + 1,))]
        opps = [r[0] for r in conn.execute(
            "SELECT id FROM opportunity WHERE status = 'open' AND stage = 'development'"
            " ORDER BY rowid LIMIT ?", (runs + 1,))]
        conn.close()
        pay, adv = Sample(), Sample()
        for i in range(runs + 1):
            for sample, cmd in (
                    (pay, kam("pay", "record", contracts[i], "100.00", "--ref", f"bench {i}")),
                    (adv, kam("opp", "advance", opps[i], "--force", "--reason", "benchmark"))):
                seconds, code, rss, _ = run_once(cmd, env)
                if i:  # the first is the warm-up
                    sample.seconds.append(seconds)
                    sample.rss_kb.append(rss)
                    sample.exit_codes.append(code)
        rows = []
        for name, x in (("kam pay record", pay), ("kam opp advance --force", adv)):
            bad = [c for c in x.exit_codes if c != 0]
            rows.append([name, ms(x.median), f"{x.peak_mb:.0f} MB",
                         "ok" if not bad else f"exit {bad[0]}"])
            self.bars.append(Bar(f"`{name}` on {size}", "≤ 200 ms", ms(x.median),
                                 x.median <= 0.200 and not bad,
                                 f"scaled to this machine: ≤ {ms(0.200 * self.startup_ratio)}"))
        self.tables.append((f"One mutation on {size} (a copy)", ["command", "median",
                                                                  "peak RSS", "exit"], rows))
        shutil.rmtree(copy, ignore_errors=True)

    # --- reports against the floor ------------------------------------------------------

    def reports(self, size: str, ws: Path) -> None:
        self.say(f"reports on {size}…")
        env = child_env(ws, self.root)
        runs = self.runs(False)
        rows = []
        times: dict[str, float] = {}
        for report in REPORTS:
            cmds = {"kam": kam("report", report, "-f", "json"),
                    "floor": floor_cmd(ws / "kam.db", report)}
            s = measure(cmds, env, runs, keep=True)
            mine, floor = s["kam"], s["floor"]
            times[report] = mine.median
            ratio = mine.median / floor.median
            differs = check_numbers(report, mine.out, floor.out) if mine.out else "no output"
            rows.append([report, ms(mine.median), ms(floor.median), f"{ratio:.1f}×",
                         f"{mine.peak_mb:.0f} MB", "same" if not differs else differs])
            if size == "large":
                self.bars.append(Bar(f"report {report} on large", "≤ 1 s", ms(mine.median),
                                     mine.median <= 1.0,
                                     f"scaled to this machine: ≤ "
                                     f"{ms(1.0 * self.startup_ratio)}"))
                self.bars.append(Bar(f"report {report} on large vs SQL floor", "≤ 3×",
                                     f"{ratio:.1f}×", ratio <= 3.0,
                                     "floor = one SQL query in its own python process"))
                self.bars.append(Bar(f"peak RSS of report {report} on large", "≤ 150 MB",
                                     f"{mine.peak_mb:.0f} MB", mine.peak_mb <= 150))
            if differs:
                self.notes.append(f"{report} on {size}: kam and the SQL floor differ: {differs}")
        self.report_times[size] = times
        self.tables.append((f"Reports on {size} (sqlite)", [
            "report", "kam (median)", "SQL floor", "ratio", "kam peak RSS", "numbers"], rows))

    def formats(self, size: str, ws: Path) -> None:
        """Every report (and kam today) in every format users see, each against its floor
        where there is one: what a person waits for is the table, not the JSON."""
        self.say(f"reports in every format on {size}…")
        env = child_env(ws, self.root)
        runs = self.runs(False)
        rows = []
        for report in ("today", *ALL_REPORTS):
            base = ["today"] if report == "today" else ["report", report]
            cmds = {fmt: kam(*base, "-f", fmt) for fmt in FORMATS}
            if report in FLOOR_SQL:
                cmds["floor"] = floor_cmd(ws / "kam.db", report)
            s = measure(cmds, env, runs, keep=True)
            floor = s.get("floor")
            differs = ""
            if floor is not None:
                differs = check_numbers(report, s["json"].out, floor.out) or "same"
                if differs != "same":
                    self.notes.append(f"{report} on {size}: kam and its floor differ: "
                                      f"{differs}")
            worst = max(s[f].median for f in FORMATS)
            ratio = f"{worst / floor.median:.1f}×" if floor is not None else "no floor"
            rows.append([report, *(ms(s[f].median) for f in FORMATS),
                         ms(floor.median) if floor is not None else "–", ratio,
                         f"{max(s[f].peak_mb for f in FORMATS):.0f} MB", differs or "–"])
            if size == "large":
                if floor is not None:
                    self.bars.append(Bar(f"{' '.join(base)} on large, slowest format vs "
                                         "floor", "≤ 2×", ratio, worst / floor.median <= 2))
                peak = max(s[f].peak_mb for f in FORMATS)
                self.bars.append(Bar(f"peak RSS of {' '.join(base)} on large (any format)",
                                     "≤ 100 MB", f"{peak:.0f} MB", peak <= 100))
            if report == "today":
                bar = 1.0 if size == "large" else None
                if bar is not None:
                    self.bars.append(Bar("kam today on large (table)", "≤ 1 s",
                                         ms(s["table"].median), s["table"].median <= bar))
        self.tables.append((f"Every report in every format on {size} (sqlite)", [
            "report", *FORMATS, "floor", "slowest / floor", "peak RSS", "numbers"], rows))

    def growth(self) -> None:
        if not {"medium", "large"} <= set(self.report_times):
            return
        rows = []
        for report in REPORTS:
            m, la = self.report_times["medium"][report], self.report_times["large"][report]
            rows.append([report, ms(m), ms(la), f"{la / m:.1f}×"])
            self.bars.append(Bar(f"growth of report {report}, medium → large", "≤ 12×",
                                 f"{la / m:.1f}×", la / m <= 12))
        self.tables.append(("Growth medium → large (10× the data)", [
            "report", "medium", "large", "growth"], rows))

    # --- csv backend -------------------------------------------------------------------------

    def csv_backend(self) -> None:
        ws = self.workspace("medium", "csv")
        self.say("reports on the csv backend, medium…")
        env = child_env(ws, self.root)
        cmds = {r: kam("report", r, "-f", "json") for r in ALL_REPORTS}
        cmds["account"] = kam("report", "account", "CU1", "-f", "json")
        cmds["opportunity"] = kam("report", "opportunity", "OP1", "-f", "json")
        s = measure(cmds, env, self.runs(False))
        rows = []
        worst = max(s.values(), key=lambda x: x.median)
        for name, x in s.items():
            bad = [c for c in x.exit_codes if c != 0]
            rows.append([name, ms(x.median), f"{x.peak_mb:.0f} MB",
                         "ok" if not bad else f"exit {bad[0]}"])
        self.bars.append(Bar("csv backend on medium: every report", "≤ 2 s",
                             f"slowest {ms(worst.median)}", worst.median <= 2.0,
                             f"scaled to this machine: ≤ {ms(2.0 * self.startup_ratio)}"))
        self.tables.append(("Reports on the csv backend, medium", [
            "report", "median", "peak RSS", "exit"], rows))

    # --- import --------------------------------------------------------------------------------

    def import_bar(self, size: str, ws: Path) -> None:
        folder = self.root / f"export-{size}-seed{self.args.seed}-v{generate.VERSION}"
        env = child_env(ws, self.root)
        if not (folder / "manifest.json").is_file():
            self.say(f"exporting {size} (once)…")
            shutil.rmtree(folder, ignore_errors=True)
            run_once(kam("export", str(folder)), env)
        manifest = json.loads((folder / "manifest.json").read_text())
        rows_total = sum(int(f["rows"]) for f in manifest["files"].values())
        kam_s, su_s = [], []
        for i in range(max(1, self.runs(False) - 2)):
            self.say(f"  import run {i + 1}…")
            target = self.root / f"import-{size}"
            shutil.rmtree(target, ignore_errors=True)
            tenv = child_env(target, self.root)
            run_once(kam("init", "--lang", "en"), tenv)
            seconds, code, _rss, _ = run_once(kam("import", str(folder)), tenv)
            if code:
                self.notes.append(f"kam import exited {code}")
            kam_s.append(seconds)
            shutil.rmtree(target, ignore_errors=True)
            if shutil.which("sqlite-utils"):
                db = self.root / f"sqlite-utils-{size}.db"
                db.unlink(missing_ok=True)
                started = time.perf_counter()
                for name, entry in manifest["files"].items():
                    subprocess.run(["sqlite-utils", "insert", str(db), name,
                                    str(folder / entry["file"]), "--csv"], check=True,
                                   env=child_env(None, self.root))
                su_s.append(time.perf_counter() - started)
                db.unlink(missing_ok=True)
        k = statistics.median(kam_s)
        rows = [["kam import", f"{k:.1f} s", f"{rows_total / k:,.0f}"]]
        if su_s:
            su = statistics.median(su_s)
            rows.append(["sqlite-utils insert --csv (per file)", f"{su:.1f} s",
                         f"{rows_total / su:,.0f}"])
            ratio = su / k
            self.bars.append(Bar(f"`kam import` of {size} vs sqlite-utils", "≥ 0.7× rows/s",
                                 f"{ratio:.2f}×", ratio >= 0.7,
                                 "kam also checks SHA-256, types, ids and references and "
                                 "writes the event index"))
        self.tables.append((f"Import of {size} ({rows_total:,} rows incl. events)", [
            "what", "median", "rows/s"], rows))

    # --- output ----------------------------------------------------------------------------------

    def markdown(self) -> str:
        m = machine()
        out = ["# kam benchmarks", "",
               "Written by `python benchmarks/run.py` "
               f"({'quick' if self.args.quick else 'full'} run, sizes "
               f"{', '.join(self.args.sizes)}, seed {self.args.seed}); the bars are those of "
               "the project's quality spec. Whole processes, medians; ratios measured side "
               "by side in the same run. Data: `benchmarks/generate.py` (as of "
               f"{TODAY}).", "", "## Machine", ""]
        out += [f"- {k}: {v}" for k, v in m.items()]
        out += ["", "## Bars", "", "| what | target | measured | result | note |",
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
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="medium,large",
                        help="comma-separated: tiny, medium, large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", default=os.environ.get("KAM_BENCH_ROOT", "/tmp/kam-bench"),
                        help="where generated workspaces are cached")
    parser.add_argument("--quick", action="store_true", help="fewer runs; skip the import bar")
    parser.add_argument("--runs", type=int, default=0, help="runs per measurement")
    parser.add_argument("--skip", default="", help="comma-separated: startup, everyday, "
                        "reports, formats, import, csv, postgres")
    parser.add_argument("--scaled", action="store_true",
                        help="judge time bars scaled by this machine's python start-up")
    parser.add_argument("--notes", default=str(HERE / "NOTES.md"),
                        help="a Markdown file appended to the output (findings, fixes)")
    parser.add_argument("--baseline", default="",
                        help="a git revision: measure start-up and a 50-row list against it "
                        "side by side (e.g. --baseline v0.1.0 --sizes tiny --skip all)")
    parser.add_argument("--output", default=str(HERE.parent / "BENCHMARKS.md"),
                        help="file to write, or - for stdout")
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.quick:
        skip.add("import")
    bench = Bench(args)
    if args.baseline:
        bench.baseline(args.baseline, args.sizes[0] if args.sizes else "tiny")
    if "all" in skip:
        skip |= {"startup", "everyday", "reports", "formats", "import", "csv", "postgres"}
        args.sizes = []
    if "startup" not in skip:
        bench.startup()
    for size in args.sizes:
        ws = bench.workspace(size)
        if "everyday" not in skip and size == "large":
            bench.everyday(size, ws)
        if "reports" not in skip:
            bench.reports(size, ws)
        if "formats" not in skip:
            bench.formats(size, ws)
        if "import" not in skip and size == "large":
            bench.import_bar(size, ws)
    if "everyday" not in skip and "large" not in args.sizes and args.sizes:
        bench.everyday(args.sizes[-1], bench.workspace(args.sizes[-1]))
    bench.growth()
    if "csv" not in skip and "medium" in args.sizes:
        bench.csv_backend()
    if "postgres" not in skip:
        import postgres

        for size in args.sizes:
            postgres.side_by_side(sys.modules[__name__], bench, size, bench.workspace(size))
    text = bench.markdown()
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        bench.say(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
