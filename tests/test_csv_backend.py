"""What only the CSV backend has: readable files, hand edits checked, the lock, the journal."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
from pathlib import Path

import pytest
from conftest import Kam
from kam.errors import InputError
from kam.kinds import KINDS
from kam.plugins.storage_csv import backend as csv_backend
from kam.plugins.storage_csv import open_csv


@pytest.fixture
def ck(tmp_path: Path) -> Kam:
    k = Kam(tmp_path / "ws", "csv")
    k.ok("init", "--backend", "csv", "--lang", "en")
    return k


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_files_are_readable_and_ordered(ck: Kam) -> None:
    for n in range(1, 12):
        ck.id("customer", "add", f"客户{n}", "--potential", "300000" if n == 10 else "0.5")
    data = ck.path / "data"
    rows = _rows(data / "customer.csv")
    assert rows[0] == list(KINDS["customer"].names)
    assert [r[0] for r in rows[1:]] == [f"CU{n}" for n in range(1, 12)]  # CU2 before CU10
    pot = rows[0].index("potential")
    assert rows[10][pot] == "300000.00" and rows[1][pot] == "0.50"
    assert rows[1][rows[0].index("flags")] == "[]"
    assert rows[1][rows[0].index("grade")] == ""
    events = _rows(data / "events.csv")
    assert events[0] == ["id", "at", "actor", "kind", "record_id", "payload", "refs"]
    assert [e[0] for e in events[1:]] == [f"EV{n}" for n in range(1, 12)]
    assert events[1][2:5] == ["tester", "customer.added", "CU1"]
    assert json.loads((data / "sequence.json").read_text()) == {"customer": 11, "event": 11}
    assert data.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in data.iterdir())
    assert not [p.name for p in data.iterdir() if p.name.endswith(".tmp")]
    assert not (data / "journal.json").exists()


@pytest.mark.parametrize(("old", "new", "message"), [
    ("500000.00", "5O0000", "row 2, column potential: '5O0000' is not an amount"),
    ("500000.00", "1.234", "row 2, column potential: '1.234' is not an amount with at most two"),
    (",[],", ",[oops,", "row 2, column potential_drivers: '[oops' is not valid JSON"),
    ("CNY", "CNY,extra", "row 2: 20 cells, the header has 19"),
    ("grade", "grde", "row 1: unknown column 'grde'"),
])
def test_a_bad_hand_edit_names_file_row_and_column(ck: Kam, old: str, new: str,
                                                   message: str) -> None:
    ck.id("customer", "add", "华东电力集团", "--potential", "500000")
    path = ck.path / "data" / "customer.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    r = ck("customer", "list")
    assert r.exit_code == 2
    assert f"{path} {message}" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_good_hand_edit_is_picked_up(ck: Kam) -> None:
    cu = ck.id("customer", "add", "华东电力集团", "--potential", "500000")
    path = ck.path / "data" / "customer.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("华东电力集团", "华东电网"),
                    encoding="utf-8")
    assert ck.json("customer", "show", cu)["name"] == "华东电网"
    ck.ok("customer", "edit", cu, "--grade", "B")
    got = ck.json("customer", "show", cu)
    assert (got["name"], got["grade"], got["potential"]) == ("华东电网", "B", "500000.00")


def test_a_writer_waits_for_the_lock_then_gives_up_with_exit_4(ck: Kam) -> None:
    ck.ok("config", "set", "storage.lock_timeout_s", "1")
    fd = os.open(ck.path / "data" / "kam.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r = ck("customer", "add", "被锁住")
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert r.exit_code == 4
    assert "locked by another kam process (waited 1s)" in r.stderr
    assert ck.json("customer", "list") == []
    ck.ok("customer", "add", "解锁后")


def test_reads_see_another_handles_commits(tmp_path: Path) -> None:
    a, b = open_csv(tmp_path, {}), open_csv(tmp_path, {})
    try:
        assert b.count("customer") == 0
        with a.transaction():
            a.insert("customer", {"id": a.next_id("customer"), "name": "x"})
            a.append_event({"kind": "customer.added", "record_id": "CU1", "refs": []})
        assert [r["id"] for r in b.find("customer")] == ["CU1"]
        assert [e["id"] for e in b.events(record_id="CU1")] == ["EV1"]
        with b.transaction():
            assert b.next_id("customer") == "CU2"
    finally:
        a.close()
        b.close()


class _Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no cleanup."""


def _kill_at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        if when == "before_commit" and str(dst).endswith("journal.json"):
            raise _Killed
        real_replace(src, dst)
        if when == "after_first_rename" and str(dst).endswith(".csv"):
            raise _Killed

    monkeypatch.setattr(csv_backend.os, "replace", replace)


@pytest.mark.parametrize("when", ["before_commit", "after_first_rename"])
def test_a_killed_commit_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           when: str) -> None:
    s = open_csv(tmp_path, {})
    with s.transaction():
        s.insert("customer", {"id": s.next_id("customer"), "name": "before"})
        s.append_event({"kind": "customer.added", "record_id": "CU1", "refs": []})
    _kill_at(monkeypatch, when)
    with pytest.raises(_Killed), s.transaction():
        s.insert("customer", {"id": s.next_id("customer"), "name": "during"})
        s.insert("opportunity", {"id": s.next_id("opportunity"), "customer_id": "CU2",
                                 "title": "t"})
        s.append_event({"kind": "customer.added", "record_id": "CU2", "refs": []})
    s._lock_fd = None  # a killed process's lock goes with it
    monkeypatch.undo()
    fresh = open_csv(tmp_path, {})
    try:
        names = [r["name"] for r in fresh.find("customer")]
        events = [e["record_id"] for e in fresh.events()]
        if when == "before_commit":  # the journal never landed: the old state
            assert (names, events, fresh.count("opportunity")) == (["before"], ["CU1"], 0)
        else:  # the journal landed: replayed in full
            assert (names, events, fresh.count("opportunity")) == (["before", "during"],
                                                                   ["CU1", "CU2"], 1)
        assert not [p for p in (tmp_path / "data").iterdir() if p.name.endswith(".tmp")]
        assert not (tmp_path / "data" / "journal.json").exists()
        assert fresh.integrity_problems() == []
    finally:
        fresh.close()


def test_a_half_appended_event_line_is_not_read(tmp_path: Path) -> None:
    s = open_csv(tmp_path, {})
    with s.transaction():
        s.append_event({"kind": "x.y", "record_id": "CU1", "refs": []})
    with open(tmp_path / "data" / "events.csv", "ab") as fh:
        fh.write(b"EV2,2026-03-02T1")  # a writer is mid-append
    fresh = open_csv(tmp_path, {})
    try:
        assert [e["id"] for e in fresh.events()] == ["EV1"]
        assert fresh.integrity_problems() == [
            f"{tmp_path / 'data' / 'events.csv'}: the last line is incomplete"]
    finally:
        fresh.close()
        s.close()


def test_empty_text_reads_back_as_none(tmp_path: Path) -> None:
    s = open_csv(tmp_path, {})
    try:
        with s.transaction():
            s.insert("customer", {"id": "CU1", "name": "x", "region": ""})
        assert s.get("customer", "CU1")["region"] is None
    finally:
        s.close()


def test_bad_files_are_input_errors_for_storage_callers(tmp_path: Path) -> None:
    s = open_csv(tmp_path, {})
    (tmp_path / "data" / "customer.csv").write_bytes(b"id,name\nCU1,\xff\xfe\n")
    with pytest.raises(InputError, match="not UTF-8"):
        s.get("customer", "CU1")
    (tmp_path / "data" / "customer.csv").write_text("id,name\nCU1,a\nCU1,b\n")
    with pytest.raises(InputError, match="row 3, column id: duplicate id CU1"):
        s.count("customer")
    s.close()
