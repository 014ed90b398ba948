"""kam export / import fast paths (StoredRows, BulkLoad, the streaming cell checks) against
their references: the same files, the same database, the same refusals."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam import cell_check
from kam.kinds import EVENT, KINDS, Kind
from kam.output import neutralise
from kam.services import (
    exchange,
    exchange_cells,
    exchange_columns,
    exchange_export,
    exchange_stream,
)
from kam.storage import StoredRows
from kam.stored import to_stored
from test_aggregates import opened, store  # noqa: F401  (the fixture)
from test_exchange import _fresh, _rewrite, _rows, _scenario


def _old_cell(ftype: str, value: Any) -> str:
    """The export's cell encoding before stored rows (kam 0.1.0 … this change)."""
    if value is None:
        return ""
    if ftype == "money":
        return f"{Decimal(value):.2f}"
    if ftype == "bool":
        return "true" if value else "false"
    if ftype == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if ftype in ("date", "datetime"):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if ftype == "text":
        text = str(value)
        return "'" + text if text.startswith("'") else neutralise(text)
    return str(value)


# --- export: stored rows == the reference over find, cells == the old encoding ---------

TEXT = st.text(alphabet=st.sampled_from("ab华'=+-@\t\n ,\"1.5"), max_size=6)
JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), TEXT,
                      st.floats(allow_nan=False, allow_infinity=False, width=32))
JSON_OBJ = st.dictionaries(TEXT, JSON_LEAF, max_size=3)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "text": TEXT,
    "money": st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False),
    "int": st.integers(-10**12, 10**12),
    "bool": st.booleans(),
    "decimal": st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False),
    "date": st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)),
    "datetime": st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2999, 1, 1)).map(
        lambda d: d.replace(microsecond=0).isoformat() + "+00:00"),
}
JSON_BY_SHAPE = {"[{}]": st.lists(JSON_OBJ, max_size=3), "[str]": st.lists(TEXT, max_size=3),
                 "{}": JSON_OBJ, "{str}": st.dictionaries(TEXT, TEXT, max_size=3)}


def _value(k: Kind, name: str) -> st.SearchStrategy[Any]:
    f = next(f for f in k.fields if f.name == name)
    if f.type == "json":
        return JSON_BY_SHAPE.get(f.shape, JSON_OBJ)
    return VALUES[f.type]


def _records(k: Kind) -> st.SearchStrategy[list[dict[str, Any]]]:
    fields = {f.name: st.none() if f.ref else _value(k, f.name) if k is EVENT
              else st.one_of(st.none(), _value(k, f.name))
              for f in k.fields if f.name != "id"}  # references left empty
    return st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=6)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(opps=_records(KINDS["opportunity"]), milestones=_records(KINDS["receivable"]),
       events=_records(EVENT))
def test_stored_rows_match_find_and_the_old_cells(
        tmp_path: Path, store: str, opps: list[dict[str, Any]],  # noqa: F811
        milestones: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    with opened(store) as storage:
        with storage.transaction():
            for name, records in (("opportunity", opps), ("receivable", milestones)):
                for n, record in enumerate(records, 1):
                    storage.insert(name, {**record, "id": f"{KINDS[name].prefix}{n}"})
            storage.append_events([{k: v for k, v in e.items() if k != "id"} for e in events])
        for k in (KINDS["opportunity"], KINDS["receivable"], EVENT):
            found = list(storage.events() if k is EVENT else storage.find(k.name))
            assert isinstance(storage, StoredRows)
            assert list(storage.stored_rows(k.name)) == [exchange_export.stored_form(k, r)
                                                         for r in found]
            out = tmp_path / f"{k.name}.csv"
            exchange_export.write_kind(out, k, storage.stored_rows(k.name))
            expected = io.StringIO()
            writer = csv.writer(expected, lineterminator="\n")
            writer.writerow(k.names)
            writer.writerows([_old_cell(f.type, r.get(f.name)) for f in k.fields]
                             for r in found)
            assert out.read_text(encoding="utf-8") == expected.getvalue()


# --- import: each fast cell check == the reference (decode, then the stored form) -------

FIELDS = [("customer", "name"), ("opportunity", "status"), ("opportunity", "amount"),
          ("receivable", "seq"), ("opportunity", "margin"), ("opportunity", "close_date"),
          ("customer", "created_at"), ("opportunity", "stage_history"), ("event", "refs"),
          ("event", "payload"), ("contact", "roles"), ("opportunity", "forced")]
CELL = st.one_of(
    st.text(alphabet=st.sampled_from("0123456789-.:T +,'=e{}[]\"abEV ZCU"), max_size=28),
    st.sampled_from(["", "'", "true", "false", "open", "won", "12.50", "-0.00", "007.00",
                     "1,234.50", "1e3", " 2026-01-01", "2026-02-30", "2026-01-01",
                     "2026-01-01T09:30:00+00:00", "2026-01-01 09:30", "2026-01-01T24:00",
                     "1899-12-31T10:00:00Z", '{"b": 1, "a": 2}', '{"a":1}', "[]", "{}",
                     '["OP1", "CU2"]', '[{"on": "2026-01-01"}]', '["decision_maker"]',
                     '["someone"]', '{"n": 1.5}', '{"n": 1e400}', '{"n": NaN}',
                     '{"n": 1000000000000000}', ' {"a": 1}', "9" * 16, "-5", "'=1+1"]))


@settings(max_examples=400, deadline=None)
@given(field=st.sampled_from(FIELDS), text=CELL)
@example(field=("opportunity", "amount"), text="1,234.50")
@example(field=("event", "payload"), text='{"b": 1, "a": 2}')
@example(field=("event", "payload"), text='{"n": 1000000000000000}')
@example(field=("customer", "created_at"), text="2026-01-01T09:30:00+00:00 ")
@example(field=("opportunity", "close_date"), text=" 2026-01-01")
def test_fast_cells_agree_with_the_reference(field: tuple[str, str], text: str) -> None:
    kind, name = field
    k = EVENT if kind == "event" else KINDS[kind]
    ftype = k.type_of(name)
    try:
        value = cell_check.enum_value(kind, name, exchange.decode(ftype, text, True, name))
        expected: Any = to_stored(ftype, value)
    except ValueError:
        expected = ValueError
    fast = exchange_cells.fast_cells(k, [name], True)[0]
    for _ in range(2):  # the second time from what it remembered
        try:
            got: Any = fast(text)
        except Exception:
            got = None  # the row then goes the reference way: never a wrong value
        if got is not None or expected is None:
            assert got == expected, (field, text)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS), texts=st.lists(CELL, min_size=1, max_size=5))
@example(field=("event", "payload"), texts=['{"b": 1, "a": 2}', '{"a": 1}', ""])
@example(field=("event", "payload"), texts=['{"a": "x}', '{y"}'])  # not one object each
@example(field=("opportunity", "stage_history"), texts=["[{}], [{}", "]"])
@example(field=("event", "refs"), texts=['["OP1", "CU2"]', "", "[]"])
@example(field=("contact", "roles"), texts=['["decision_maker"]', '["someone"]'])
@example(field=("opportunity", "amount"), texts=["12.50", "", "1,234.50"])
@example(field=("customer", "created_at"),
         texts=["2026-01-01T09:30:00+00:00", "2026-01-02T09:31:00+00:00", "2026-01-02"])
@example(field=("customer", "created_at"),  # a known day, a bad time; a bad day, known time
         texts=["2026-01-01T09:30:00+00:00", "2026-01-01T25:30:00+00:00",
                "2026-02-30T09:30:00+00:00", ""])
def test_column_checks_agree_with_the_reference(field: tuple[str, str],
                                                texts: list[str]) -> None:
    """A batch's column gives each cell's reference value, or gives up (the batch is then
    checked row by row): never a wrong value, also from what it remembered."""
    kind, name = field
    k = EVENT if kind == "event" else KINDS[kind]
    ftype = k.type_of(name)
    expected: list[Any] = []
    for text in texts:
        try:
            value = cell_check.enum_value(kind, name, exchange.decode(ftype, text, True, name))
            expected.append(to_stored(ftype, value))
        except ValueError:
            expected.append(ValueError)
    check = exchange_columns.column_checks(k, [name], True)[0]
    for _ in range(2):
        try:
            got = check(texts)
        except Exception:
            continue
        assert got == expected, (field, texts)


def test_column_memos_forget_and_check_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past their bound, what the column checks remembered is dropped, never half of it."""
    monkeypatch.setattr(exchange_columns, "MEMO", 3)
    monkeypatch.setattr(exchange_columns, "MEMO_CHARS", 40)
    columns = {("event", "payload"): ['{"a": 1}', '{"b": 2}', '{"a": 1}', '{"c": "xyz"}',
                                      '{"b":2}', '{"d": [1, 2]}', "", '{"a": 1}'],
               ("opportunity", "close_date"): ["2026-01-01", "2026-01-02", "2026-01-03",
                                               "2026-01-01", "", "2026-01-04", "2026-01-05"],
               ("customer", "created_at"): ["2026-01-01T09:30:00+00:00",
                                            "2026-01-02T09:31:00+00:00",
                                            "2026-01-03T09:32:00+00:00",
                                            "2026-01-01T09:33:00+00:00", ""]}
    for (kind, name), cells in columns.items():
        k = EVENT if kind == "event" else KINDS[kind]
        ftype = k.type_of(name)
        check = exchange_columns.column_checks(k, [name], True)[0]
        for at in range(len(cells) - 2):
            col = cells[at:at + 3]
            assert check(col) == [to_stored(ftype, exchange.decode(ftype, t, True, name))
                                  for t in col], (name, col)


@pytest.mark.parametrize(("bad", "plain"), [
    (b"", True), (b"\t\n", True), ("\u534e\u00b7".encode(), True), (b"\\n \\\"", True),
    (b"\x00", False), (b"\x1b", False), (b"\x7f", False), (b"\r", False),
    ("\u0085".encode(), False), (b"\\u0001", False), (b"\\b", False), (b"\\r", False)])
def test_only_a_file_without_control_characters_is_plain(tmp_path: Path, bad: bytes,
                                                         plain: bool) -> None:
    """``plain`` (cells need no scan of their own) is False for any control character
    or JSON escape that may stand for one, also where it spans two reads."""
    for at in (0, (1 << 16) - 1):
        data = b"a" * at + bad + b"z" * 10
        path = tmp_path / "f.csv"
        path.write_bytes(data)
        reader = exchange_stream.HashingReader(path)
        try:
            while reader.readinto(bytearray(1 << 16)):
                pass
            assert reader.plain is plain, (bad, at)
            assert reader.digest() == hashlib.sha256(data).hexdigest()
        finally:
            reader.close()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["CU1", "CU2", "CU3", "CU9", "CU10", "CU01", "CU0",
                                          "OP1", "CU8388607", "CU8388608"]),
                         min_size=1, max_size=4), max_size=4))
def test_ids_by_batch_agree_with_ids_one_by_one(batches: list[list[str]]) -> None:
    by_batch, one_by_one = exchange_cells.Ids("CU"), exchange_cells.Ids("CU")
    for batch in batches:
        fresh = len(set(batch)) == len(batch) and not any(r in one_by_one for r in batch)
        try:
            numbers = by_batch.numbers(batch)
        except exchange_cells.Unsure:
            numbers = None
        if by_batch.plain(batch):  # plain ids are valid ones
            assert all(exchange_cells.plain_number(r, "CU") >= 0 for r in batch)
        if numbers is not None:
            assert by_batch.known(numbers) == all(r in one_by_one for r in batch)
            assert by_batch.new(numbers) == fresh
        added = [one_by_one.add(r) for r in batch]
        if numbers is not None and fresh:
            by_batch.note(numbers)
        else:
            for r in batch:
                by_batch.add(r)
        assert all(added) == fresh
        assert by_batch.top == one_by_one.top


# --- import: the same database as the services wrote, all or nothing -------------------


def _database(path: Path) -> dict[str, Any]:
    """Every table's rows and the schema (indexes included) of a SQLite workspace."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, Any] = {"schema": sorted(conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name != '_sqlite_migrations'"))}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite_%'"
                                     " AND name != '_sqlite_migrations'").fetchall():
            out[table] = sorted(conn.execute(f'SELECT * FROM "{table}"'), key=repr)
        return out
    finally:
        conn.close()


def _pg_database(kam: Any) -> dict[str, Any]:
    """Every kam table's rows and every index and constraint (name and definition) of a
    PostgreSQL workspace's database, read as its owner."""
    import tomllib

    import psycopg

    toml = tomllib.loads((kam.path / "kam.toml").read_text(encoding="utf-8"))
    with psycopg.connect(toml["storage"]["dsn"], autocommit=True) as conn:
        out: dict[str, Any] = {"indexes": conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() ORDER BY 1, 2").fetchall(),
            "constraints": conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
            " ORDER BY 1, 2").fetchall()}
        for table in (*KINDS, "event", "event_ref", "kam_sequence"):
            out[table] = sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        return out


def _dump(kam: Any) -> dict[str, Any]:
    """A workspace's whole database: SQLite's file or the PostgreSQL database."""
    if kam.backend == "postgres":
        return _pg_database(kam)
    return _database(kam.path / "kam.db")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)  # BulkLoad
def test_import_writes_what_the_services_wrote(tmp_path: Path, backend: str) -> None:
    """Records, the event log, its index by record and refs, id sequences, indexes."""
    src = _fresh(tmp_path, "src", backend)
    _scenario(src)
    src.ok("opp", "edit", "OP1", "--amount", "3200000.10", "--margin", "12.5")
    src.ok("export", str(tmp_path / "out"))
    dst = _fresh(tmp_path, "dst", backend)
    dst.ok("import", str(tmp_path / "out"))
    assert _dump(dst) == _dump(src)


@pytest.fixture
def exported_sqlite(tmp_path: Path) -> Path:
    src = _fresh(tmp_path, "src", "sqlite")
    _scenario(src)
    src.ok("export", str(tmp_path / "out"))
    return tmp_path / "out"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)
def test_a_failed_import_leaves_the_database_as_it_was(exported_sqlite: Path,
                                                       tmp_path: Path, backend: str) -> None:
    events = (exported_sqlite / "events.csv").read_text(encoding="utf-8")
    lines = events.splitlines(keepends=True)
    lines[-1] = lines[-1].replace("2026-", "2026/", 1)  # the last event's time stamp
    _rewrite(exported_sqlite, "events.csv", "".join(lines))
    dst = _fresh(tmp_path, "dst", backend)
    before = _dump(dst)
    r = dst("import", str(exported_sqlite))
    assert r.exit_code == 2 and f"events.csv row {len(lines)}, column at" in r.stderr
    assert _dump(dst) == before  # indexes back, nothing written


def test_a_damaged_file_is_reported_as_damaged_before_its_bad_cells(exported_sqlite: Path,
                                                                    tmp_path: Path) -> None:
    cust = (exported_sqlite / "customer.csv").read_text(encoding="utf-8")
    _rewrite(exported_sqlite, "customer.csv", cust.replace("1200000.50", "12O0000.50"),
             fix_checksum=False)
    r = _fresh(tmp_path, "dst", "sqlite")("import", str(exported_sqlite))
    assert r.exit_code == 2 and "customer.csv: SHA-256 does not match" in r.stderr


def test_unusual_but_valid_cells_import_as_the_reference_would(exported_sqlite: Path,
                                                               tmp_path: Path) -> None:
    """Cells kam would not write but accepts (grouped money, JSON with other spacing) are
    stored as their canonical values, in a file read the fast way and in one read the
    careful way (a backslash-b in a name asks for every cell's full check)."""
    cust = (exported_sqlite / "customer.csv").read_text(encoding="utf-8")
    careful = cust.replace("华东电力集团", "华东\\b电力集团")
    _rewrite(exported_sqlite, "customer.csv", careful.replace("1200000.50", '"1,200,000.5"'))
    opp = (exported_sqlite / "opportunity.csv").read_text(encoding="utf-8")
    assert ",{}," in opp
    _rewrite(exported_sqlite, "opportunity.csv", opp.replace(",{},", ',"{ }",'))
    dst = _fresh(tmp_path, "dst", "sqlite")
    dst.ok("import", str(exported_sqlite))
    out = tmp_path / "again"
    dst.ok("export", str(out))
    assert (out / "customer.csv").read_text(encoding="utf-8") == careful
    assert (out / "opportunity.csv").read_text(encoding="utf-8") == opp


def test_events_with_a_gap_in_their_ids_are_refused(exported_sqlite: Path,
                                                    tmp_path: Path) -> None:
    events = (exported_sqlite / "events.csv").read_text(encoding="utf-8")
    lines = events.splitlines(keepends=True)
    last = lines[-1].split(",", 1)[0]
    lines[-1] = lines[-1].replace(f"{last},", f"{last}0,", 1)
    _rewrite(exported_sqlite, "events.csv", "".join(lines))
    r = _fresh(tmp_path, "dst", "sqlite")("import", str(exported_sqlite))
    assert r.exit_code == 2 and f"event {last}0 would become {last}" in r.stderr


@pytest.mark.parametrize("case", ["same", "twice", "reference", "no id", "cell", "width"])
def test_batches_refuse_what_rows_refuse(exported_sqlite: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """With batches of two rows, a problem in a later batch names the same row, id and
    column as row by row; a good export gives the same database."""
    monkeypatch.setattr(exchange_stream, "BATCH", 2)
    cust = (exported_sqlite / "customer.csv").read_text(encoding="utf-8")
    lines = cust.splitlines(keepends=True)
    last = len(_rows(exported_sqlite / "customer.csv"))  # the last customer's row
    assert last >= 4
    if case == "twice":
        _rewrite(exported_sqlite, "customer.csv", cust + lines[1])
    elif case == "reference":
        opp = (exported_sqlite / "opportunity.csv").read_text(encoding="utf-8")
        _rewrite(exported_sqlite, "opportunity.csv", opp.replace(",CU1,", ",CU7,", 1))
    elif case == "no id":  # a neutralised empty text where an id belongs
        opp = (exported_sqlite / "opportunity.csv").read_text(encoding="utf-8")
        _rewrite(exported_sqlite, "opportunity.csv", opp.replace(",CU1,", ",',", 1))
    elif case == "cell":
        lines[-1] = lines[-1].replace("+00:00", "+0O:00", 1)
        _rewrite(exported_sqlite, "customer.csv", "".join(lines))
    elif case == "width":
        _rewrite(exported_sqlite, "customer.csv", cust + "CU99\n")
    dst = _fresh(tmp_path, "dst", "sqlite")
    r = dst("import", str(exported_sqlite))
    if case == "same":
        assert r.exit_code == 0, r.stderr
        assert _database(tmp_path / "dst" / "kam.db") == _database(tmp_path / "src" / "kam.db")
        return
    expected = {"twice": "customer.csv: id CU1 appears twice",
                "reference": "names CU7, which is not in the export",
                "no id": "customer_id names , which is not in the export",
                "cell": f"customer.csv row {last}, column ",
                "width": f"customer.csv row {last + 1}: 1 cells"}[case]
    assert r.exit_code == 2 and expected in r.stderr, r.stderr


def test_sqlite_loads_with_a_rollback_journal_and_goes_back_to_wal(tmp_path: Path) -> None:
    """``load_journal``: a rollback journal inside it (the load written once, not to the
    WAL and again by the checkpoint), WAL again after it however it ends; refused inside
    a transaction; another connection to the database keeps it in WAL mode."""
    import sqlite3

    from kam.errors import StorageError
    from kam.plugins.storage_sqlite.backend import SQLiteStorage

    s = SQLiteStorage(tmp_path / "kam.db")
    try:
        def mode() -> str:
            return str(s.conn.execute("PRAGMA journal_mode").fetchone()[0])

        def synced() -> int:  # 1 NORMAL (enough under WAL), 2 FULL
            return int(s.conn.execute("PRAGMA synchronous").fetchone()[0])

        assert (mode(), synced()) == ("wal", 1)
        with pytest.raises(RuntimeError), s.load_journal():
            assert (mode(), synced()) == ("delete", 2)  # a rollback journal fully synced
            raise RuntimeError
        assert (mode(), synced()) == ("wal", 1)
        with s.load_journal(), s.transaction():
            s.insert("customer", {"id": "CU1", "name": "A"})
        assert mode() == "wal" and s.get("customer", "CU1") is not None
        with s.transaction(), pytest.raises(StorageError), s.load_journal():
            pass
        other = sqlite3.connect(tmp_path / "kam.db", timeout=0.1)
        try:
            assert other.execute("SELECT count(*) FROM customer").fetchone()[0] == 1
            with s.load_journal():
                assert mode() == "wal"
        finally:
            other.close()
        assert mode() == "wal"
    finally:
        s.close()


def test_sqlite_skips_its_reference_checks_only_for_the_load(tmp_path: Path) -> None:
    """``references_checked`` (kam import checks every reference itself): foreign keys
    off inside it, on again after it however it ends; refused inside a transaction,
    where SQLite would silently ignore the pragma."""
    from kam.errors import StorageError
    from kam.plugins.storage_sqlite.backend import SQLiteStorage

    s = SQLiteStorage(tmp_path / "kam.db")
    try:
        def on() -> int:
            return int(s.conn.execute("PRAGMA foreign_keys").fetchone()[0])

        assert on() == 1
        with pytest.raises(RuntimeError), s.references_checked():
            assert on() == 0
            raise RuntimeError
        assert on() == 1
        with s.transaction(), pytest.raises(StorageError), s.references_checked():
            pass
        assert on() == 1
    finally:
        s.close()
