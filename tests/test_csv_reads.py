"""The CSV backend's lazy reads answer exactly what a full parse would: ``select`` is
``find`` projected, the call-history roll-ups equal the Python reference, on random data
and on a file whose rows a hand edit put out of id order."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.errors import InputError
from kam.plugins.storage_csv import open_csv
from kam.plugins.storage_csv.backend import CSVStorage
from kam.reports.aggregates import PythonAggregates
from kam.reports.rollups import PythonRollup, rollup
from kam.storage import ActivityRollup, Selecting

DAY0 = dt.date(2026, 3, 1)
DEAL = st.tuples(st.sampled_from(["open", "won", "lost"]), st.booleans(),
                 st.none() | st.decimals(0, 10**6, places=2), st.none() | st.integers(0, 100))
CALL = st.tuples(
    st.integers(0, 6),                                          # date: DAY0 + n (ties)
    st.sampled_from([None, "OP1", "OP2", "OP3", "OP4"]),   # deal
    st.sampled_from(["CU1", "CU2"]),                           # customer
    st.sampled_from([None, "张伟", "lee"]),                     # owner
    st.sampled_from([None, "continuance", "advance", "order", "no_sale", "odd"]),
    st.none() | st.integers(0, 9),                              # next due: DAY0 + n
)


def stocked(folder: Path, deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]]
            ) -> CSVStorage:
    s = open_csv(folder, {})
    assert isinstance(s, CSVStorage)
    with s.transaction():
        for n in (1, 2):
            s.insert("customer", {"id": s.next_id("customer"), "name": f"客户{n}"})
        for n, (status, completed, amount, probability) in enumerate(deals, start=1):
            s.insert("opportunity", {
                "id": s.next_id("opportunity"), "customer_id": "CU1", "title": f"t{n}",
                "status": status, "stage": "development", "amount": amount,
                "probability": probability, "currency": "CNY",
                "completed_at": DAY0 if completed else None,
                "stage_history": [{"stage": "development", "on": DAY0.isoformat()}]})
        for days, opp, customer, owner, outcome, due in calls:
            s.insert("activity", {
                "id": s.next_id("activity"), "opportunity_id": opp, "customer_id": customer,
                "type": "visit", "date": DAY0 + dt.timedelta(days=days), "owner": owner,
                "outcome": outcome, "next_step": f"step {days}",
                "next_due": None if due is None else DAY0 + dt.timedelta(days=due)})
    return s


def _key(record: dict[str, Any]) -> str:
    return str(record["id"])


def _same_roll_ups(s: CSVStorage, cut: int, owner: str | None, customer: str | None) -> None:
    assert isinstance(s, ActivityRollup) and rollup(SimpleNamespace(storage=s)) is s
    reference = PythonRollup(SimpleNamespace(storage=SimpleNamespace(find=s.find)))
    as_of = DAY0 + dt.timedelta(days=cut)
    start = DAY0 + dt.timedelta(days=cut // 2)
    for due_by in (None, as_of):
        assert (sorted(s.latest_calls(as_of, owner, due_by), key=_key)
                == sorted(reference.latest_calls(as_of, owner, due_by), key=_key))
    assert sorted(s.deal_touches(as_of, customer)) == sorted(
        reference.deal_touches(as_of, customer))
    assert (sorted(s.call_counts(start, as_of, customer, owner), key=str)
            == sorted(reference.call_counts(start, as_of, customer, owner), key=str))


def _fresh(folder: Path) -> CSVStorage:
    """Another handle: nothing held in memory, every read streamed from the files."""
    s = open_csv(folder, {})
    assert isinstance(s, CSVStorage)
    return s


@settings(max_examples=30, deadline=None)
@given(st.lists(DEAL, min_size=4, max_size=4), st.lists(CALL, max_size=25),
       st.integers(0, 7), st.sampled_from([None, "张伟"]), st.sampled_from([None, "CU1"]))
@example([("open", False, None, None)] * 4,
         [(1, "OP1", "CU1", None, "continuance", None), (1, "OP1", "CU1", None, None, 2),
          (1, "OP1", "CU1", None, "continuance", None)], 3, None, None)
def test_roll_ups_equal_the_python_reference(
        deals: list[tuple[Any, ...]], calls: list[tuple[Any, ...]], cut: int,
        owner: str | None, customer: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        stocked(Path(folder), deals, calls).close()
        s = _fresh(Path(folder))
        try:
            _same_roll_ups(s, cut, owner, customer)
        finally:
            s.close()


WHERES = st.sampled_from([None, {"status": "open"}, {"status__ne": "open"},
                          {"amount__ge": Decimal("100")}, {"probability__lt": 50},
                          {"amount__isnull": True}, {"status__in": ["won", "lost"]},
                          {"id__in": ["OP2", "OP3", "OP9"]}, {"title__ge": "t3"},
                          {"completed_at__isnull": True, "status__ne": "lost"},
                          {"title__lt": "t5", "probability__ge": 10}])
ORDERS = st.sampled_from([("id",), (), ("-probability", "id"), ("amount", "-id"), ("-id",)])


@settings(max_examples=30, deadline=None)
@given(st.lists(DEAL, min_size=1, max_size=8), WHERES, ORDERS, st.none() | st.integers(0, 4),
       st.booleans())
def test_select_is_find_projected(deals: list[tuple[Any, ...]], where: dict[str, Any] | None,
                                  order_by: tuple[str, ...], limit: int | None,
                                  distinct: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        written = stocked(Path(folder), deals, [])
        s = _fresh(Path(folder))
        try:
            assert isinstance(s, Selecting)
            fields = ["id", "amount", "probability", "status", "stage_history"]
            # the writer's handle holds what it wrote; a fresh one streams the file
            full = list(written.find("opportunity", where, order_by))
            assert list(s.find("opportunity", where, order_by)) == full
            assert list(s.find("opportunity", where, order_by, limit=limit, offset=1)) == \
                full[1:None if limit is None else 1 + limit]
            projected = [{f: r[f] for f in fields} for r in full]
            assert list(s.select("opportunity", fields, where, order_by, limit=limit)) == \
                projected[:limit]
            assert s.count("opportunity", where) == len(full)
            if distinct:
                got = list(s.select("opportunity", ["status"], where, (), distinct=True))
                assert sorted(r["status"] for r in got) == sorted({r["status"] for r in full})
        finally:
            s.close()
            written.close()


def test_a_file_out_of_id_order_reads_as_if_sorted(tmp_path: Path) -> None:
    calls = [(d % 3, "OP1" if d % 2 else "OP2", "CU1", "lee",
              "continuance" if d % 3 else None, None) for d in range(12)]
    stocked(tmp_path, [("open", False, Decimal("5.00"), 10)] * 4, calls).close()
    path = tmp_path / "data" / "activity.csv"
    header, *lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + "".join(reversed(lines)), encoding="utf-8")  # a hand edit
    s = _fresh(tmp_path)
    try:
        ids = [r["id"] for r in s.select("activity", ["id"], None)]
        assert ids == [f"AC{n}" for n in range(1, 13)]
        assert [r["id"] for r in s.find("activity", None, ("-id",))][:2] == ["AC12", "AC11"]
        for cut in (0, 1, 2, 5):
            _same_roll_ups(s, cut, None, None)
            _same_roll_ups(s, cut, "lee", "CU1")
    finally:
        s.close()


def test_a_checked_file_is_noted_and_an_edit_is_checked_again(tmp_path: Path) -> None:
    stocked(tmp_path, [("open", False, Decimal("5.00"), 10)], []).close()
    noted = (tmp_path / "data" / "checked.json").read_text(encoding="utf-8")
    assert "opportunity.csv" in noted and "customer.csv" in noted  # the writer noted them
    path = tmp_path / "data" / "opportunity.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("5.00", "5.0O"),
                    encoding="utf-8")
    s = _fresh(tmp_path)
    try:
        with pytest.raises(InputError, match=r"row 2, column amount: '5.0O' is not an amount"):
            list(s.select("opportunity", ["id", "status"]))  # amount is not even read
    finally:
        s.close()


def test_stage_moves_sieve_the_log_and_see_a_transaction_s_own_events(tmp_path: Path
                                                                      ) -> None:
    """The funnel's and the targets report's reads of the event log (summaries.py) pick
    events by their kind cell, not by a line that mentions it (a reason naming a kind, an
    actor's name across two lines), and inside a transaction see its own events too."""
    s = stocked(tmp_path, [("won", False, None, None), ("lost", False, None, None)], [])
    kinds = ("opportunity.advanced", "opportunity.lost")
    order = {"six_stage": ["development", "initiation", "proposal", "bidding"]}
    with s.transaction():
        s.append_event({"kind": "opportunity.note", "record_id": "OP2", "actor": "t",
                        "at": "2026-05-01T09:00:00",
                        "payload": {"reason": "opportunity.advanced", "to": "bidding"}})
        s.append_event({"kind": "opportunity.advanced", "record_id": "OP2",
                        "actor": "Ann\nLee", "at": "2026-05-02T09:00:00",
                        "payload": {"from": "development", "to": "proposal"}})
    with s.transaction():
        s.update("opportunity", "OP2", {"pipeline": "six_stage"})
        s.update("opportunity", "OP1", {"pipeline": "six_stage"})
    for reader in (s, _fresh(tmp_path)):
        reference = PythonAggregates(SimpleNamespace(storage=reader))
        moves = list(reader.stage_moves(kinds))
        assert moves == list(reference.stage_moves(kinds))
        assert [m[:2] for m in moves] == [("OP2", "opportunity.advanced")]
        reach = sorted(reader.stage_reach(order))
        assert reach == sorted(reference.stage_reach(order))
        assert reach == [("six_stage", "lost", 2, 1), ("six_stage", "won", 3, 1)]
    with s.transaction():
        s.append_event({"kind": "opportunity.advanced", "record_id": "OP2", "actor": "t",
                        "at": "2026-05-03T09:00:00", "payload": {"to": "bidding"}})
        reference = PythonAggregates(SimpleNamespace(storage=s))
        assert list(s.stage_moves(kinds)) == list(reference.stage_moves(kinds))
        assert len(list(s.stage_moves(kinds))) == 2
        assert sorted(s.stage_reach(order)) == [("six_stage", "lost", 3, 1),
                                                ("six_stage", "won", 3, 1)]


def test_a_filtered_read_parses_only_the_lines_that_may_match(tmp_path: Path) -> None:
    """An equality filter sieves a kind's lines for the value before they are parsed
    (reading.needles_of): a row across lines (a newline in a cell), a value quoted for a
    comma, the value inside another cell, a file without a last newline all read as a
    full parse does."""
    s = stocked(tmp_path, [("open", False, None, None)] * 4, [])
    with s.transaction():
        s.update("opportunity", "OP1", {"title": 'two\nlines, "open"\nstatus'})
        s.update("opportunity", "OP2", {"status": "lost", "title": "open, not"})
        s.update("opportunity", "OP3", {"status": "won, x", "owner": "a\nb"})
    path = s.folder / "opportunity.csv"
    text = path.read_bytes()
    assert text.endswith(b"\n")
    for data in (text, text.rstrip(b"\r\n")):
        path.write_bytes(data)
        fresh = _fresh(tmp_path)
        every = list(fresh.find("opportunity"))
        assert len(every) == 4
        for where in ({"status": "open"}, {"status": "won, x"}, {"status__in": ["lost", "won"]},
                      {"id": "OP1"}, {"owner": "a\nb"}, {"title": "open, not"}):
            expected = [r for r in every if all(
                r[k.split("__")[0]] in w if k.endswith("__in") else r[k] == w
                for k, w in where.items())]
            assert list(fresh.find("opportunity", where)) == expected
            assert expected or where == {"status__in": ["lost", "won"]}


@settings(max_examples=30, deadline=None)
@given(st.lists(DEAL, min_size=1, max_size=12),
       st.sampled_from([None, {"status": "open"}, {"status__in": ["won", "lost"]},
                        {"amount__gt": Decimal("10.00")}]))
@example([("open", False, None, None)], {"status": "open"})
def test_kept_columns_read_as_the_file_does(deals: list[tuple[Any, ...]],
                                            where: dict[str, Any] | None) -> None:
    """A read served from the deals' kept columns (kept.py, made by a roll-up's read)
    equals the same read streamed from the file by a handle that keeps nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        stocked(Path(tmp), deals, []).close()
        kept, streamed = _fresh(Path(tmp)), _fresh(Path(tmp))
        try:
            list(kept.deal_month_sums(False, {"status": "open"}))  # keeps the columns
            assert kept._kept.current(kept.folder / "opportunity.csv", ["id"]) is not None
            for fields in (["pipeline"], ["id", "amount", "status"], ["stage_history"]):
                assert list(kept.select("opportunity", fields, where)) == \
                    list(streamed.select("opportunity", fields, where))
                assert streamed._kept.current(streamed.folder / "opportunity.csv",
                                              ["id"]) is None
            assert sorted(kept.stage_reach({"six_stage": ["development", "won"]}),
                          key=repr) == sorted(streamed.stage_reach(
                              {"six_stage": ["development", "won"]}), key=repr)
        finally:
            kept.close()
            streamed.close()


def test_a_hand_edit_between_two_reads_is_seen_by_the_second(tmp_path: Path) -> None:
    """The kept columns are the file's only while its stamp is unchanged: an edit by
    hand between two reads of one open workspace is read by the second."""
    stocked(tmp_path, [("open", False, Decimal("5.00"), 10)] * 2, []).close()
    s = _fresh(tmp_path)
    try:
        list(s.deal_month_sums(False, {"status": "open"}))  # keeps the deals' columns
        path = tmp_path / "data" / "opportunity.csv"
        assert s._kept.current(path, ["amount"]) is not None
        before = [r["amount"] for r in s.select("opportunity", ["amount"],
                                                {"status": "open"})]
        assert before == [Decimal("5.00"), Decimal("5.00")]
        path.write_text(path.read_text(encoding="utf-8").replace("5.00", "15.00", 1),
                        encoding="utf-8")
        assert s._kept.current(path, ["amount"]) is None
        amounts = [r["amount"] for r in s.select("opportunity", ["amount"],
                                                 {"status": "open"})]
        assert amounts == [Decimal("15.00"), Decimal("5.00")]
    finally:
        s.close()


ADVANCED_LOG = (
    'id,at,actor,kind,record_id,payload,refs\n'
    'EV1,2026-01-01,a,opportunity.advanced,OP1,"{""to"": ""b""}",[]\n'
    'EV2,2026-01-02,a,opportunity.advanced,OP2,"{""to"": ""b""}",[]\n'
    # the kind's text in the actor's cell, followed by an id not asked: the row is OP1's
    'EV3,2026-01-03,"x,opportunity.advanced,OP2,",opportunity.advanced,OP1,{},[]\n'
    # an actor across two lines
    'EV4,2026-01-04,"Ann\nLee",opportunity.advanced,OP1,{},[]\n'
    'EV5,2026-01-05,a,opportunity.note,OP1,"{""kind"": ""opportunity.advanced""}",[]\n'
    'EV6,2026-01-06,a,opportunity.advanced,OP3,{},[]\n'
)


@pytest.mark.parametrize("log", [
    ADVANCED_LOG,
    # an id quoted by hand, and a quoted kind: every match is read, none skipped
    ADVANCED_LOG + 'EV7,2026-01-07,a,opportunity.advanced,"OP1",{},[]\n',
    ADVANCED_LOG + 'EV8,2026-01-08,a,"opportunity.advanced",OP1,{},[]\n',
    # another column order: the record id is not next to the kind
    'id,at,actor,record_id,kind,payload,refs\n'
    'EV1,2026-01-01,a,OP1,opportunity.advanced,{},[]\n'
    'EV2,2026-01-02,a,OP2,opportunity.advanced,{},[]\n',
])
def test_advances_sieved_to_the_deals_asked(tmp_path: Path, log: str) -> None:
    """stage_reach's read of the advances of the deals that count (reading.picks_for):
    the same rows as every advance read and then filtered by record id."""
    s = open_csv(tmp_path, {})
    assert isinstance(s, CSVStorage)
    try:
        path = tmp_path / "log.csv"
        path.write_text(log, encoding="utf-8")
        kinds = frozenset({"opportunity.advanced"})
        every = list(s._event_cells_of(path, kinds, ("id", "record_id")))
        for asked in ({"OP1"}, {"OP2", "OP3"}, set(), {"OP9"}):
            assert list(s._event_cells_of(path, kinds, ("id", "record_id"), asked)) == \
                [c for c in every if c[1] in asked]
    finally:
        s.close()


@settings(max_examples=30, deadline=None)
@given(st.lists(CALL, max_size=25), st.integers(0, 7), st.integers(0, 7),
       st.sampled_from([["customer_id"], ["owner", "customer_id"], ["opportunity_id"],
                        ["outcome"]]),
       st.sampled_from([{}, {"owner": "张伟"}, {"outcome__isnull": True},
                        {"opportunity_id__in": ["OP1", "OP3"]}]))
@example([(1, None, "CU1", None, None, None), (2, "OP1", "CU2", "lee", "odd", None),
          (3, None, "CU1", None, None, None)], 0, 7, ["owner", "customer_id"], {})
def test_distinct_cells_are_the_distinct_records(calls: list[tuple[Any, ...]], low: int,
                                                 span: int, fields: list[str],
                                                 more: dict[str, Any]) -> None:
    """select(distinct=True) from the raw cells (the battle map's customers called
    lately) lists what the records' distinct values are, in file order; an empty cell
    is None."""
    with tempfile.TemporaryDirectory() as folder:
        written = stocked(Path(folder), [("open", False, None, None)] * 4, calls)
        s = _fresh(Path(folder))
        try:
            where = {"date__ge": DAY0 + dt.timedelta(days=low),
                     "date__le": DAY0 + dt.timedelta(days=low + span), **more}
            every = [tuple(r[f] for f in fields)
                     for r in written.find("activity", where, ("id",))]
            expected = [dict(zip(fields, key, strict=True)) for key in dict.fromkeys(every)]
            for reader in (written, s):
                assert list(reader.select("activity", fields, where, (),
                                          distinct=True)) == expected
        finally:
            s.close()
            written.close()


STAGE_KINDS = ("opportunity.advanced", "opportunity.lost", "opportunity.abandoned")
EVENT_ROW = st.tuples(
    st.sampled_from([*STAGE_KINDS, "opportunity.added", "activity.logged", "opportunity."]),
    st.sampled_from(["a", "x,opportunity.lost", "Ann\nLee", "opportunity.added", '"q"']),
    st.sampled_from(["{}", '{"to": "b"}', '{"kind": "opportunity.abandoned"}',
                     '{"note": "opportunity.\\nadvanced"}']),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(EVENT_ROW, max_size=30), st.sampled_from([64, 100, 1 << 18]))
@example([("opportunity.added", "opportunity.added", "{}"),
          ("opportunity.lost", "Ann\nLee", '{"kind": "opportunity.abandoned"}'),
          ("opportunity.", "x,opportunity.lost", "{}")], 64)
def test_kinds_sieved_by_their_common_beginning(rows: list[tuple[str, str, str]],
                                                chunk: int) -> None:
    """The funnel's three kinds are found by their common beginning (one find) and told
    apart in place: the rows read are those of a full parse with one of the kinds, also
    with the kinds' text in other cells, near misses (opportunity.added), rows across
    lines and chunks of a few bytes."""
    import csv
    import io

    from kam.plugins.storage_csv import reading

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "at", "actor", "kind", "record_id", "payload", "refs"])
    for n, (kind_, actor, payload) in enumerate(rows, start=1):
        writer.writerow([f"EV{n}", "2026-01-01", actor, kind_, f"OP{n}", payload, "[]"])
    every = list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as m:
        m.setattr(reading, "CHUNK", chunk)
        path = Path(folder) / "log.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        s = open_csv(Path(folder) / "ws", {})
        assert isinstance(s, CSVStorage)
        try:
            names = ("id", "kind", "actor", "payload")
            got = list(s._event_cells_of(path, frozenset(STAGE_KINDS), names))
            assert got == [(c[0], c[3], c[2], c[5]) for c in every if c[3] in STAGE_KINDS]
        finally:
            s.close()
