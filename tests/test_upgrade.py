"""Upgrading a workspace made by kam 0.1.0, on both backends.

tests/fixtures/v0_1_0/{sqlite,csv} are the demo workspace as kam 0.1.0 made it, and
reports-{sqlite,csv}/*.json the JSON its reports printed for it
(tests/fixtures/make_upgrade_fixture.sh, as of 2026-11-30, in English). Each test works
on a copy (the committed fixtures are never changed) and checks that today's kam
migrates it to the latest schema version, that ``kam doctor`` passes, that the reports
print what 0.1.0 printed, and that the upgraded workspace takes new changes and exports.

How the reports are compared (parsed JSON; only the top-level "workspace" key, the name
of the folder, is left out):

- Strictly, key for key: the receivables, opportunities and contracts lists and the
  aging report are the numbers an upgrade must never change (the money owed, the deals,
  the contracts); the other reports too, while they print what 0.1.0 printed.
- By reconciliation, for a report whose output was deliberately changed since 0.1.0
  (listed in ``RECONCILED`` with the reason): its rows must still agree with the
  strictly compared lists and its totals with its rows, and every row 0.1.0 printed must
  still be there with the same numbers. A report fix that changes a report's JSON moves
  that report here, with such a check; an upgrade must never be the cause.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam
from kam.plugins.storage_csv import versions
from kam.plugins.storage_sqlite import schema

FIXTURES = Path(__file__).parent / "fixtures" / "v0_1_0"
ENV = {"KAM_TODAY": "2026-11-30", "KAM_LANG": "en", "KAM_USER": "张伟"}

#: what make_upgrade_fixture.sh ran: output file → kam arguments
COMMANDS: dict[str, tuple[str, ...]] = {
    **{name: ("report", name) for name in (
        "pipeline", "funnel", "forecast", "aging", "battle-map", "win-loss", "targets",
        "renewals")},
    "receivables": ("receivable", "list"),
    "opportunities": ("opp", "list"),
    "contracts": ("contract", "list"),
}

#: never anything but strict: the money owed, the deals, the contracts, their aging
MUST_NOT_CHANGE = ("aging", "receivables", "opportunities", "contracts")


def _d(text: Any) -> Decimal:
    return Decimal(str(text or 0))


def _battle_map(new: dict[str, Any], old: dict[str, Any], lists: dict[str, Any]) -> None:
    """Since 0.1.0 the battle map shows every contract with money still to collect (0.1.0
    left out closed and terminated ones) and a status column. Each row must agree with the
    contract list (amount, currency) and the receivables list (collected = paid,
    outstanding = outstanding of the contract's milestones); each currency's total with
    its rows; and every row 0.1.0 showed is still shown with the same numbers."""
    for key in ("report", "title", "as_of", "meta"):
        assert new[key] == old[key], key
    table, old_table = new["tables"]["contracts"], old["tables"]["contracts"]
    rows = {r["contract_id"]: r for r in table["rows"]}
    assert len(rows) == len(table["rows"]), "a contract shown twice"
    numbers = ("number", "customer_id", "customer", "owner", "amount", "currency", "terms",
               "collected", "collected_pct", "outstanding")
    for r in old_table["rows"]:
        assert r["contract_id"] in rows, f"{r['contract_id']} was on the 0.1.0 battle map"
        assert {k: rows[r["contract_id"]][k] for k in numbers} == {k: r[k] for k in numbers}
    contracts = {c["id"]: c for c in lists["contracts"]}
    paid: dict[str, Decimal] = defaultdict(Decimal)
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for rc in lists["receivables"]:
        paid[rc["contract_id"]] += _d(rc["paid"])
        owed[rc["contract_id"]] += _d(rc["outstanding"])
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for cid, r in rows.items():
        assert (_d(r["amount"]), r["currency"]) == (_d(contracts[cid]["amount"]),
                                                    contracts[cid]["currency"]), cid
        assert _d(r["collected"]) == paid[cid], cid
        assert _d(r["outstanding"]) == owed[cid], cid
        for key in ("amount", "collected", "outstanding"):
            sums[r["currency"]][key] += _d(r[key])
    totals = {t["currency"]: t for t in table["totals"]}
    assert set(totals) == set(sums)
    for currency, total in totals.items():
        for key in ("amount", "collected", "outstanding"):
            assert _d(total[key]) == sums[currency][key], (currency, key)
        pct = sums[currency]["collected"] * 100 / sums[currency]["amount"]
        assert abs(_d(total["collected_pct"]) - pct) < Decimal("0.01"), currency


def _renewals(new: dict[str, Any], old: dict[str, Any], lists: dict[str, Any]) -> None:
    """Since 0.1.0 the renewals report adds the customer revenue classes (a ``revenue``
    table and the two notes defining them). The 0.1.0 tables print as before; each row's
    revenue = recurring + new, and the period before's = recurring + churned; the totals
    add up their rows; and the last period's cumulative revenue, per currency, is all
    that was collected (the receivables' paid)."""
    for key in ("report", "title", "as_of", "meta"):
        assert new[key] == old[key], key
    for name, table in old["tables"].items():
        assert new["tables"][name] == table, name
    rows = new["tables"]["revenue"]["rows"]
    by_key = {(r["customer_id"], r["owner"], r["currency"], r["period"]): r for r in rows}
    periods = sorted({r["period"] for r in rows})
    sums: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in rows:
        assert _d(r["revenue"]) == _d(r["recurring"]) + _d(r["new"]), r
        i = periods.index(r["period"])
        if i:
            was = by_key.get((r["customer_id"], r["owner"], r["currency"], periods[i - 1]))
            assert _d(was["revenue"] if was else "0") == _d(r["recurring"]) + _d(r["churned"])
        for k in ("revenue", "recurring", "new", "churned", "cumulative"):
            sums[(r["period"], r["currency"])][k] += _d(r[k])
    for t in new["tables"]["revenue"]["totals"]:
        for k, v in sums[(t["period"], t["currency"])].items():
            assert _d(t[k]) == v, (t["period"], k)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for rc in lists["receivables"]:
        paid[rc["currency"]] += _d(rc["paid"])
    last = {cur: v["cumulative"] for (p, cur), v in sums.items() if p == max(periods)}
    assert last == {cur: v for cur, v in paid.items() if v}


#: reports whose JSON was deliberately changed since 0.1.0 → how they must reconcile
RECONCILED: dict[str, Callable[[Any, Any, dict[str, Any]], None]] = {
    "battle-map": _battle_map,
    "renewals": _renewals,
}


def _differences(new: Any, old: Any, path: str = "") -> list[str]:
    if type(new) is not type(old):
        return [f"{path or '/'}: {old!r:.80} → {new!r:.80}"]
    if isinstance(new, dict):
        out = []
        for key in sorted(set(new) | set(old)):
            if key not in new:
                out.append(f"{path}/{key}: gone")
            elif key not in old:
                continue  # more keys are welcome (cli.md); none may go or change
            else:
                out += _differences(new[key], old[key], f"{path}/{key}")
        return out
    if isinstance(new, list):
        out = [f"{path}: {len(old)} items → {len(new)}"] if len(new) != len(old) else []
        for i, (a, b) in enumerate(zip(new, old, strict=False)):
            out += _differences(a, b, f"{path}[{i}]")
        return out
    return [] if new == old else [f"{path}: {old!r:.80} → {new!r:.80}"]


def _upgraded(backend: str, tmp_path: Path) -> Kam:
    ws = tmp_path / "ws"
    shutil.copytree(FIXTURES / backend, ws)
    return Kam(ws, backend)


def _version(kam: Kam) -> tuple[int | None, list[str] | None]:
    """The workspace's schema version, and the steps it recorded (None = not versioned)."""
    if kam.backend == "sqlite":
        conn = sqlite3.connect(kam.path / "kam.db")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            names = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kam' ORDER BY id")]
        finally:
            conn.close()
        return version, names
    path = kam.path / "data" / "manifest.json"
    if not path.exists():
        return None, None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return manifest["version"], manifest["migrations"]


def _latest(backend: str) -> tuple[int, list[str]]:
    steps = schema.MIGRATIONS if backend == "sqlite" else versions.MIGRATIONS
    return len(steps), [name for name, _ in steps]


@pytest.mark.parametrize("backend", ["sqlite", "csv"])
def test_a_0_1_0_workspace_migrates_and_passes_doctor(backend: str, tmp_path: Path) -> None:
    kam = _upgraded(backend, tmp_path)
    before = _version(kam)
    assert before[0] == (schema.V0_1_0 if backend == "sqlite" else None)
    r = kam("doctor", env=ENV)
    assert r.exit_code == 0 and r.stdout.startswith("ok:"), r.stdout + r.stderr
    assert _version(kam) == _latest(backend)


@pytest.mark.parametrize("backend", ["sqlite", "csv"])
def test_a_0_1_0_workspace_prints_the_same_reports(backend: str, tmp_path: Path) -> None:
    kam = _upgraded(backend, tmp_path)
    expected = FIXTURES / f"reports-{backend}"
    assert sorted(p.stem for p in expected.glob("*.json")) == sorted(COMMANDS)
    new: dict[str, Any] = {}
    old: dict[str, Any] = {}
    for name, args in COMMANDS.items():
        new[name] = kam.json(*args, env=ENV)
        old[name] = json.loads((expected / f"{name}.json").read_text(encoding="utf-8"))
        for data in (new[name], old[name]):
            if isinstance(data, dict):
                data.pop("workspace", None)
    assert _version(kam) == _latest(backend)
    for name in MUST_NOT_CHANGE:
        assert name not in RECONCILED
    strict = {n: _differences(new[n], old[n]) for n in COMMANDS if n not in RECONCILED}
    changed = {n: d[:8] for n, d in strict.items() if d}
    assert not changed, (
        "after the upgrade these print differently from kam 0.1.0 (old → new); an upgrade "
        "must not change them, and a deliberate report change needs a reconciling check "
        f"in RECONCILED: {json.dumps(changed, ensure_ascii=False, indent=1)}")
    for name, check in RECONCILED.items():
        check(new[name], old[name], old)


@pytest.mark.parametrize("backend", ["sqlite", "csv"])
def test_an_upgraded_workspace_takes_changes_and_exports(backend: str, tmp_path: Path) -> None:
    kam = _upgraded(backend, tmp_path)
    events = len(kam.json("history", "OP1", env=ENV))
    activity = kam.json("activity", "log", "OP1", "--type", "call", "--note",
                        "after the upgrade", env=ENV)
    assert activity["id"] == "AC73"  # the id sequence carries on from 0.1.0's AC72
    assert activity["opportunity_id"] == "OP1" and activity["date"] == "2026-11-30"
    assert len(kam.json("history", "OP1", env=ENV)) == events + 1
    assert kam("doctor", env=ENV).exit_code == 0
    assert _version(kam) == _latest(backend)

    out = tmp_path / "export"
    kam.ok("export", str(out), env=ENV)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["activity"]["rows"] == 73
    assert manifest["files"]["opportunity"]["rows"] == 19
    # and the export loads into a new workspace of the other backend, reports unchanged
    other = Kam(tmp_path / "other", "csv" if backend == "sqlite" else "sqlite")
    other.ok("init", "--backend", other.backend, env=ENV)
    other.ok("import", str(out), env=ENV)
    for args in (("report", "aging"), ("receivable", "list"), ("contract", "list")):
        a, b = kam.json(*args, env=ENV), other.json(*args, env=ENV)
        for data in (a, b):
            if isinstance(data, dict):
                data.pop("workspace", None)
        assert a == b, args
