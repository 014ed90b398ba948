"""Schema versions: SQLite migrations replay to what core/kinds.py declares, released
steps never change, old databases and CSV folders run only their missing steps (whole or
not at all), and data from a newer kam is refused."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Kam
from kam.errors import InputError, StorageError
from kam.kinds import EVENT, KINDS
from kam.plugins.storage_csv import journal, versions
from kam.plugins.storage_csv.backend import CSVStorage
from kam.plugins.storage_sqlite import check_mark, deal_sums, schema, summaries
from kam.plugins.storage_sqlite.backend import SQLiteStorage

FIXTURES = Path(__file__).parent / "fixtures" / "v0_1_0"
HOW_TO = ("add a step at the end of MIGRATIONS in plugins/storage_sqlite/schema.py "
          "(docs/storage.md, 'Adding a field')")

#: SHA-256 of each released step's SQL. A released step must never change: databases
#: in use have recorded it as applied and will not run it again. Change the schema with
#: a new step instead (and add its hash here once it is released).
RELEASED = {
    "0001_foundation": "fe55b6da382fa1c42bc5be432eb691c6e666eda985e291745b25297b137ed893",
    "0002_contracts": "1843fbd46f8f9c079d21fb9920f32095cb4f580e5a70ab4efbf093d4391e3fd9",
    "0003_targets": "f1ff718f1c9b0c151d784afbe1a51a95bc32301b199abcd6003566e2f5aa224f",
    "0004_read_indexes": "a3e099482fa3cefab647c4c50d73a9fc7a80c998943e741044e9ba9f3a26d0b2",
}


def _sql_hash(step: Any) -> str:
    return hashlib.sha256("\n".join(step).encode()).hexdigest()


def _replayed(tmp_path: Path, migrations: Any = None) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "replay.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    schema.migrate(conn, migrations)
    conn.execute("COMMIT")
    return conn


def _shape(conn: sqlite3.Connection) -> dict[str, Any]:
    """Tables → columns (name, type, pk), foreign keys and indexes (by columns)."""
    out: dict[str, Any] = {}
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        cols = {r[1]: (r[2].upper(), r[5]) for r in conn.execute(f'PRAGMA table_info("{table}")')}
        fks = {(r[3], r[2], r[4]) for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        indexes = {}
        for r in conn.execute(f'PRAGMA index_list("{table}")'):
            if r[3] != "c":  # created by CREATE INDEX (not a pk or unique constraint)
                continue
            cols_ix = tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{r[1]}")'))
            indexes[r[1]] = cols_ix
        out[table] = {"columns": cols, "fks": fks, "indexes": indexes}
    return out


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


# --- SQLite ----------------------------------------------------------------------------


def test_schema_version_is_the_length_of_the_list() -> None:
    names = [name for name, _ in schema.MIGRATIONS]
    assert schema.SCHEMA_VERSION == len(schema.MIGRATIONS)
    assert len(set(names)) == len(names)
    assert names[:4] == ["0001_foundation", "0002_contracts", "0003_targets",
                         "0004_read_indexes"]  # what kam 0.1.0 recorded: keep them
    numbers = [int(name.split("_", 1)[0]) for name in names]
    assert numbers == list(range(1, len(numbers) + 1)), (
        "number the steps 0001, 0002, … in order, without gaps")


def test_released_steps_never_change() -> None:
    steps = dict(schema.MIGRATIONS)
    for name, digest in RELEASED.items():
        step = steps[name]
        assert not callable(step), f"{name} was released as SQL"
        assert _sql_hash(step) == digest, (
            f"migration {name} was released and must not change (databases in use "
            f"recorded it); put the change in a new step: {HOW_TO}")


def test_replayed_schema_matches_kinds(tmp_path: Path) -> None:
    """What a developer who adds a field to core/kinds.py without a migration sees fail."""
    shape = _shape(_replayed(tmp_path))
    problems: list[str] = []
    for k in [*KINDS.values(), EVENT]:
        table = shape.get(k.name)
        if table is None:
            problems.append(f"kind {k.name}: the migrations create no table {k.name}")
            continue
        cols = table["columns"]
        for f in k.fields:
            want = schema.COLUMN_TYPES[f.type]
            if f.name not in cols:
                problems.append(f"{k.name}.{f.name} ({f.type}): no column; "
                                f'e.g. ALTER TABLE "{k.name}" ADD COLUMN "{f.name}" {want}'
                                + (f' REFERENCES "{f.ref}"("id")' if f.ref else ""))
                continue
            if cols[f.name][0] != want:
                problems.append(f"{k.name}.{f.name} ({f.type}): column type {cols[f.name][0]}, "
                                f"want {want}")
            if f.ref and (f.name, f.ref, "id") not in table["fks"]:
                problems.append(f"{k.name}.{f.name}: no foreign key to {f.ref}(id)")
            if f.index and f.name != "id" and (f.name,) not in table["indexes"].values():
                problems.append(f"{k.name}.{f.name}: no index; e.g. CREATE INDEX "
                                f'"idx_{k.name}_{f.name}" ON "{k.name}" ("{f.name}")')
        for name in cols:
            if k.field(name) is None:
                problems.append(f"{k.name}.{name}: a column that core/kinds.py no longer "
                                f'declares; e.g. ALTER TABLE "{k.name}" DROP COLUMN "{name}"')
        if cols.get("id", ("", 0))[1] != 1:
            problems.append(f"{k.name}.id is not the primary key")
    own = {"kam_sequence", "event_ref", "_sqlite_migrations", *summaries.TABLES,
           *check_mark.TABLES, *deal_sums.TABLES}
    for table in shape:
        if table not in own and table not in KINDS and table != EVENT.name:
            problems.append(f"table {table}: no kind of that name in core/kinds.py")
    assert not problems, (
        "the schema the migrations build differs from core/kinds.py — " + HOW_TO + ":\n  "
        + "\n  ".join(problems))


def test_replay_builds_the_schema_of_a_0_1_0_database(tmp_path: Path) -> None:
    """The frozen steps make exactly what kam 0.1.0 made (columns, types, keys, indexes)."""
    old = sqlite3.connect(_copy(FIXTURES / "sqlite", tmp_path / "old") / "kam.db")
    released = tuple(step for step in schema.MIGRATIONS if step[0] in RELEASED)
    assert _shape(_replayed(tmp_path, released)) == _shape(old)


def test_a_0_1_0_database_counts_its_steps_as_applied(tmp_path: Path) -> None:
    ws = _copy(FIXTURES / "sqlite", tmp_path / "ws")
    conn = sqlite3.connect(ws / "kam.db", isolation_level=None)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.V0_1_0
    conn.execute("BEGIN IMMEDIATE")
    ran = schema.migrate(conn)
    conn.execute("COMMIT")
    assert ran == [name for name, _ in schema.MIGRATIONS[schema.V0_1_0:]]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_an_old_database_runs_only_the_missing_steps(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _copy(FIXTURES / "sqlite", tmp_path / "ws")
    ran: list[str] = []

    def later(db: Any) -> None:  # a function step, as a later release may add
        ran.append("later")
        db.execute('ALTER TABLE "customer" ADD COLUMN "tier" TEXT')
        db.execute("UPDATE customer SET tier = 'A'")

    extra = (*schema.MIGRATIONS, ("9998_tier", later),
             ("9999_tier_index", ('CREATE INDEX "idx_customer_tier" ON "customer" ("tier")',)))
    monkeypatch.setattr(schema, "MIGRATIONS", extra)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(extra))
    store = SQLiteStorage(ws / "kam.db")
    assert ran == ["later"]
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(extra)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [name for name, _ in extra]
    assert {r[0] for r in conn.execute("SELECT DISTINCT tier FROM customer")} == {"A"}
    store.close()
    SQLiteStorage(ws / "kam.db").close()  # up to date: nothing runs again
    assert ran == ["later"]


def test_a_failing_step_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _copy(FIXTURES / "sqlite", tmp_path / "ws")
    before = _shape(sqlite3.connect(ws / "kam.db"))

    def broken(db: Any) -> None:
        db.execute('ALTER TABLE "customer" ADD COLUMN "tier" TEXT')
        raise RuntimeError("step failed")

    extra = (*schema.MIGRATIONS, ("9998_ok", ('CREATE INDEX "ix_t" ON target (note)',)),
             ("9999_broken", broken))
    monkeypatch.setattr(schema, "MIGRATIONS", extra)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(extra))
    with pytest.raises(RuntimeError):
        SQLiteStorage(ws / "kam.db")
    conn = sqlite3.connect(ws / "kam.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.V0_1_0
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == 4
    assert _shape(conn) == before


def test_a_database_from_a_newer_kam_is_refused(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    k.ok("init")
    conn = sqlite3.connect(tmp_path / "ws" / "kam.db")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    r = k("opp", "list")
    assert r.exit_code == 4
    assert "newer kam" in r.stderr and f"schema version {schema.SCHEMA_VERSION + 1}" in r.stderr
    conn = sqlite3.connect(tmp_path / "ws" / "kam.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION + 1


def test_a_step_recorded_by_a_newer_kam_is_refused(tmp_path: Path) -> None:
    ws = _copy(FIXTURES / "sqlite", tmp_path / "ws")
    conn = sqlite3.connect(ws / "kam.db", isolation_level=None)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('kam', '0099_from_the_future', '2027-01-01')")
    conn.execute("PRAGMA user_version = 0")  # as if the pragma were lost
    conn.close()
    with pytest.raises(StorageError, match="newer kam"):
        SQLiteStorage(ws / "kam.db")


def test_opening_an_up_to_date_database_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    k.ok("init")
    k.ok("customer", "add", "华东")
    code = (
        "import sys\n"
        f"sys.argv = ['kam', '--workspace', {str(tmp_path / 'ws')!r}, 'customer', 'list',"
        " '--format', 'json']\n"
        "from kam.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('SQLITE_UTILS', any(m.split('.')[0] == 'sqlite_utils' for m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "KAM_HOME": str(tmp_path)})
    assert "华东" in r.stdout, r.stderr
    assert "SQLITE_UTILS False" in r.stdout


# --- CSV -------------------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "kam.lock"}


@pytest.fixture
def csv_0_1_0(tmp_path: Path) -> Iterator[Path]:
    yield _copy(FIXTURES / "csv", tmp_path / "ws") / "data"


def test_csv_version_is_the_length_of_the_list() -> None:
    names = [name for name, _ in versions.MIGRATIONS]
    assert versions.SCHEMA_VERSION == len(names) and len(set(names)) == len(names)
    assert names[0] == "0001_kam_0_1_0"


def test_a_new_csv_workspace_has_a_manifest(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    k.ok("init", "--backend", "csv")
    data = tmp_path / "ws" / "data"
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest == {"format": "kam-csv", "version": versions.SCHEMA_VERSION,
                        "migrations": [name for name, _ in versions.MIGRATIONS]}
    assert (data / "manifest.json").stat().st_mode & 0o077 == 0


def test_a_0_1_0_csv_workspace_gets_its_manifest_and_keeps_its_files(csv_0_1_0: Path) -> None:
    assert not (csv_0_1_0 / "manifest.json").exists()
    before = _files(csv_0_1_0)
    CSVStorage(csv_0_1_0).close()
    after = _files(csv_0_1_0)
    assert versions.read_version(csv_0_1_0) == versions.SCHEMA_VERSION
    if versions.SCHEMA_VERSION == versions.V0_1_0:  # no CSV step yet: data untouched
        assert {n: b for n, b in after.items() if n != "manifest.json"} == before
    assert not journal.pending(csv_0_1_0) and not journal.leftovers(csv_0_1_0)


def _with_flags_step(monkeypatch: pytest.MonkeyPatch, *more: Any) -> None:
    extra = (*versions.MIGRATIONS, ("0002_customer_flags", versions.add_column(
        "customer", "flags", "[]")), *more)
    monkeypatch.setattr(versions, "MIGRATIONS", extra)
    monkeypatch.setattr(versions, "SCHEMA_VERSION", len(extra))


def _drop_column(path: Path, column: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    i = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def test_an_old_csv_workspace_runs_only_the_missing_steps(csv_0_1_0: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # as if 0.1.0 had no customer.flags: a later step adds it with a default for old rows
    _drop_column(csv_0_1_0 / "customer.csv", "flags")
    CSVStorage(csv_0_1_0).close()  # → this kam's version (manifest written)
    _with_flags_step(monkeypatch)
    store = CSVStorage(csv_0_1_0)
    customers = list(store.find("customer"))
    assert customers and all(c["flags"] == [] for c in customers)
    store.close()
    manifest = json.loads((csv_0_1_0 / "manifest.json").read_text())
    assert manifest["version"] == versions.SCHEMA_VERSION
    assert manifest["migrations"][-1] == "0002_customer_flags"
    header = (csv_0_1_0 / "customer.csv").read_text().splitlines()[0]
    assert header.endswith(",flags")
    assert CSVStorage(csv_0_1_0).integrity_problems() == []


def test_a_failing_csv_step_changes_nothing(csv_0_1_0: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _drop_column(csv_0_1_0 / "customer.csv", "flags")
    before = _files(csv_0_1_0)

    def broken(files: versions.Files) -> None:
        raise RuntimeError("step failed")

    _with_flags_step(monkeypatch, ("0003_broken", broken))
    with pytest.raises(RuntimeError):
        CSVStorage(csv_0_1_0)
    assert _files(csv_0_1_0) == before  # no manifest, no changed file, no temp file


def test_a_csv_upgrade_interrupted_after_its_commit_point_completes_later(
        csv_0_1_0: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _drop_column(csv_0_1_0 / "customer.csv", "flags")
    _with_flags_step(monkeypatch)

    def killed(folder: Path, plan: Any) -> None:
        raise OSError("killed")

    with monkeypatch.context() as m:
        m.setattr(journal, "apply", killed)
        with pytest.raises(StorageError, match="incomplete"):
            CSVStorage(csv_0_1_0)
    assert journal.pending(csv_0_1_0) and not (csv_0_1_0 / "manifest.json").exists()
    store = CSVStorage(csv_0_1_0)  # the journal is replayed: the upgrade lands whole
    assert all(c["flags"] == [] for c in store.find("customer"))
    assert versions.read_version(csv_0_1_0) == versions.SCHEMA_VERSION


def test_a_csv_workspace_from_a_newer_kam_is_refused(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    k.ok("init", "--backend", "csv")
    path = tmp_path / "ws" / "data" / "manifest.json"
    newer = versions.SCHEMA_VERSION + 1
    path.write_text(json.dumps({"format": "kam-csv", "version": newer, "migrations": []}))
    before = _files(path.parent)
    r = k("opp", "list")
    assert r.exit_code == 4
    assert "newer kam" in r.stderr and f"CSV schema version {newer}" in r.stderr
    assert _files(path.parent) == before


def test_a_broken_csv_manifest_is_named(tmp_path: Path) -> None:
    k = Kam(tmp_path / "ws")
    k.ok("init", "--backend", "csv")
    path = tmp_path / "ws" / "data" / "manifest.json"
    path.write_text('{"format": "kam-csv", "version": "one"}')
    r = k("opp", "list")
    assert r.exit_code == 2 and "manifest.json" in r.stderr
    with pytest.raises(InputError):
        versions.read_version(path.parent)


def test_an_upgraded_database_answers_the_battle_maps_recent_calls_from_an_index(
        tmp_path: Path) -> None:
    """0015: the customers called in a window of days (the battle map's 情) come from
    ``idx_activity_date_customer`` alone, on a 0.1.0 database brought up to date too."""
    ws = _copy(FIXTURES / "sqlite", tmp_path / "ws")
    conn = sqlite3.connect(ws / "kam.db", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    assert "0015_activity_date_customer" in schema.migrate(conn)
    conn.execute("COMMIT")
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT DISTINCT customer_id FROM activity"
        " WHERE date >= ? AND date <= ?", ("2026-06-01", "2026-06-30")))
    assert "COVERING INDEX idx_activity_date_customer" in plan
