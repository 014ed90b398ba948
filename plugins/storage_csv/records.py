"""The CSV backend's reads (kam.storage.Storage's get, find, count and events,
Selecting, ActivityRollup): from rows held in memory when a table is, else streamed from
the file (reading.py) with only the wanted cells decoded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from kam.errors import InputError, StorageError
from kam.kinds import EVENT, Kind
from kam.plugins.storage_csv import aging, checked, reading, rollups, summaries
from kam.plugins.storage_csv.cells import Row, _id_key, check_header, predicate
from kam.plugins.storage_csv.files import CSVFiles, _refs_of
from kam.plugins.storage_csv.journal import EVENTS_FILE
from kam.plugins.storage_csv.kept import KEPT_KINDS
from kam.storage import (
    AgingSum,
    DealMonthSum,
    DealSum,
    MilestoneView,
    Record,
    StageMove,
    StageReachCount,
    StageStart,
    StalledDeal,
    Where,
    kind,
    split_filter,
    split_order,
)


def _nulls_first(name: str) -> Callable[[Record], tuple[bool, Any]]:
    """A sort key on one field: records without a value sort first."""
    return lambda r: (r[name] is not None, r[name])



@overload
def _opened(path: Path, mode: Literal["rb"]) -> BinaryIO | None: ...


@overload
def _opened(path: Path, mode: Literal["r"]) -> TextIO | None: ...


def _opened(path: Path, mode: str) -> IO[Any] | None:
    """A data file opened to read (bytes, or text as csv wants it); None when missing."""
    try:
        if mode == "rb":
            return open(path, "rb")
        return open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc}") from None


class CSVReads(CSVFiles):
    """Reading records and events."""

    def get(self, kind_name: str, record_id: str) -> Record | None:
        k = kind(kind_name)
        if k is EVENT:
            return next(self._event_rows(where={"id": record_id}), None)
        held = self._held(k)
        if held is None:
            # a few gets scan the file; a command that keeps asking gets the table parsed
            # once and held (the former behaviour)
            self._gets[k.name] = self._gets.get(k.name, 0) + 1
            if self._gets[k.name] <= 8:
                return next(self._read(k, {"id": record_id}, None, (), None, 0), None)
            held = self._table(k).rows
        row = held.get(record_id)
        return None if row is None else self._out(k, row)

    def _select(self, k: Kind, where: Where | None) -> list[Row]:
        rows = self._rows(k)
        preds = [predicate(k, key, want) for key, want in (where or {}).items()]
        if not preds:
            return list(rows.values())
        if len(preds) == 1:
            p = preds[0]
            return [r for r in rows.values() if p(r)]
        return [r for r in rows.values() if all(p(r) for p in preds)]

    def _read(self, k: Kind, where: Where | None, fields: Sequence[str] | None,
              order_by: Sequence[str], limit: int | None, offset: int,
              texts: Sequence[str] = ()) -> Iterator[Record]:
        """Records of a kind (only ``fields`` of each when given; the json and date
        fields of ``texts`` as their stored text): from the rows held in memory when
        there are any, else streamed from the file (reading.rows)."""
        orders = [split_order(k, key) for key in order_by or ()]
        end = None if limit is None else offset + int(limit)
        held = self._held(k)
        if held is not None:
            selected = self._select(k, where)
            if orders and not (orders == [("id", False)] and self._ordered(k)):
                for name, desc in reversed(orders):
                    if name == "id":
                        selected.sort(key=lambda r: _id_key(r["id"]), reverse=desc)
                    else:
                        selected.sort(key=_nulls_first(name), reverse=desc)
            if offset or end is not None:
                selected = selected[int(offset):end]
            if texts:
                return ({f: r.get(f) if f in texts else rec[f] for f in fields or k.names}
                        for r, rec in ((r, self._out(k, r)) for r in selected))
            if fields is None:
                return (self._out(k, r) for r in selected)
            return ({f: rec[f] for f in fields} for rec in (self._out(k, r) for r in selected))
        path = self.folder / f"{k.name}.csv"
        verdict = self._verdict(k, path, ids=True)
        if verdict is None:
            return iter(())
        plain = verdict.ordered and (not orders or orders == [("id", False)])
        keys = list(dict.fromkeys(["id"] + [name for name, _ in orders]))
        found = self._scan_file(path, reading.Scan(k, where, fields, () if plain else keys,
                                                   texts=texts))
        if plain:
            records: Iterator[Record] = (rec for rec, _ in found)
            if offset or end is not None:
                records = itertools.islice(records, int(offset), end)
            return records
        # rank: the id order (a file in id order: its row order, no id parsing)
        ranked: list[tuple[Any, Record, tuple[Any, ...]]]
        if verdict.ordered:
            ranked = [(n, rec, vals) for n, (rec, vals) in enumerate(found)]
        else:
            ranked = sorted(((_id_key(vals[0]), rec, vals) for rec, vals in found),
                            key=lambda t: t[0])
        pos = {name: i for i, name in enumerate(keys)}
        for n, (name, desc) in enumerate(reversed(orders)):
            if name == "id":
                if n == 0 and not desc:
                    continue  # ranked is in id order already
                if desc:
                    ranked.sort(key=lambda t: t[0], reverse=True)
                else:
                    ranked.sort(key=lambda t: t[0])
            else:
                i = pos[name]
                ranked.sort(key=lambda t: (t[2][i] is not None, t[2][i]), reverse=desc)
        if offset or end is not None:
            ranked = ranked[int(offset):end]
        return (rec for _, rec, _ in ranked)

    def _verdict(self, k: Kind, path: Path, ids: bool) -> reading.Verdict | None:
        """A file checked whole (every cell; ids unique and whether in order): noted in
        checked.json by a writer, else checked now (and noted by this process's next
        commit: a read never writes). None when the file is missing."""
        stamp = checked.stamp_of(path)
        if stamp is None:
            return None
        known = self._verdicts.get(path.name)
        if known is not None and known[0] == stamp:
            return known[1]
        if checked.read(self.folder).get(path.name) == stamp:
            verdict = reading.Verdict(ordered=True, checked=True)
        else:
            try:
                fh = open(path, "rb")
            except OSError as exc:
                raise StorageError(f"cannot read {path}: {exc}") from None
            with fh:
                st = os.fstat(fh.fileno())
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                verdict = reading.check_all(reading.complete_lines(fh, str(path), not ids),
                                            str(path), k, ids=ids)
        self._verdicts[path.name] = (stamp, verdict)
        return verdict

    def _scan_file(self, path: Path, scan: reading.Scan
                   ) -> Iterator[tuple[Record, tuple[Any, ...]]]:
        fh = _opened(path, "rb")
        if fh is None:
            return
        with fh:
            if path.name == EVENTS_FILE:
                yield from reading.rows(reading.complete_lines(fh, str(path)), str(path), scan)
                return
            names = _scan_names(scan)
            kept = self._kept.current(path, names)
            if kept is not None:  # a roll-up parsed the file: its columns, no parse
                yield from reading.rows_of(kept.of(names), names, str(path), scan)
                return
            needles = reading.needles_of(scan.k, scan.where)
            if needles:  # only the lines that may pass are parsed
                yield from reading.rows(reading.sieved(fh, str(path), needles, cut=False),
                                        str(path), scan)
                return
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
            try:
                yield from reading.rows(text, str(path), scan)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None

    def find(
        self,
        kind_name: str,
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Record]:
        return self._read(kind(kind_name), where, None, order_by, limit, offset)

    def select(
        self,
        kind_name: str,
        fields: Sequence[str],
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        distinct: bool = False,
        limit: int | None = None,
    ) -> Iterator[Record]:
        """Optional fast path (kam.storage.Selecting): like ``find`` but only ``fields``
        of each record are converted, the other cells of a row are never parsed."""
        k = kind(kind_name)
        for name in fields:
            if k.field(name) is None:
                raise StorageError(f"{k.name} has no field {name!r}")
        fields = list(fields)
        if distinct and not order_by and limit is None:
            cells = self._distinct_cells(k, fields, where)
            if cells is not None:
                return cells
        found = self._read(k, where, fields, order_by, None if distinct else limit, 0)
        if not distinct:
            return found
        return self._distinct(found, fields, limit)

    def _distinct_cells(self, k: Kind, fields: list[str], where: Where | None
                        ) -> Iterator[Record] | None:
        """``select(distinct=True)`` of text fields in file order, from the raw cells
        (an empty cell is None, the text itself otherwise: one value a text, so distinct
        cells are distinct values) when every filter is a test of a raw cell: no record
        is built for each of the rows (the battle map's customers called lately: 100k
        calls, ~600 customers). None when it cannot (read records then)."""
        if any(reading._VALUES[k.type_of(f)] is not None for f in fields):
            return None
        found = summaries.raw_cells(self, k, fields, where)
        if found is None:
            return None
        return iter([{f: v or None for f, v in zip(fields, key, strict=True)}
                     for key in dict.fromkeys(found[1])])

    @staticmethod
    def _distinct(found: Iterable[Record], fields: Sequence[str], limit: int | None
                  ) -> Iterator[Record]:
        seen: set[tuple[Any, ...]] = set()
        for rec in found:
            key = tuple(json.dumps(v, sort_keys=True, default=str)
                        if isinstance(v, (list, dict)) else v for v in rec.values())
            if key in seen:
                continue
            seen.add(key)
            yield rec
            if limit is not None and len(seen) >= limit:
                return

    def count(self, kind_name: str, where: Where | None = None) -> int:
        k = kind(kind_name)
        if k is EVENT:
            return sum(1 for _ in self._event_rows(where=where, fields=[]))
        held = self._held(k)
        if held is not None:
            if not where:
                return len(held)
            return len(self._select(k, where))
        return sum(1 for _ in self._read(k, where, [], (), None, 0))

    def ranked(self, kind_name: str, fields: Sequence[str], where: Where | None
               ) -> Iterator[tuple[Any, Record]]:
        """Records (``fields``, which include id) in no particular order, each with a
        rank that sorts as its id does: its row's place in a file in id order."""
        k = kind(kind_name)
        held = self._held(k)
        found = self._read(k, where, fields, (), None, 0)
        known = self._verdicts.get(f"{k.name}.csv")
        if held is None and known is not None and known[1].ordered:
            return enumerate(found)
        return ((_id_key(rec["id"]), rec) for rec in found)

    # optional fast paths (kam.storage.ActivityRollup, StalledDeals): streamed passes,
    # see rollups.py

    def latest_calls(self, as_of: dt.date, owner: str | None = None,
                     due_by: dt.date | None = None) -> Iterator[Record]:
        return rollups.latest_calls(self, as_of, owner, due_by)

    def deal_touches(self, as_of: dt.date, customer: str | None = None
                     ) -> Iterator[tuple[str, dt.date, int]]:
        return rollups.deal_touches(self, as_of, customer)

    def call_counts(self, start: dt.date, as_of: dt.date, customer: str | None = None,
                    owner: str | None = None
                    ) -> Iterator[tuple[str | None, dt.date, str | None, int]]:
        return rollups.call_counts(self, start, as_of, customer, owner)

    def stalled_deals(self, as_of: dt.date, silent_days: int, run_n: int,
                      limit: int | None = None) -> tuple[int, list[StalledDeal]]:
        """kam.storage.StalledDeals: see rollups.stalled_deals."""
        return rollups.stalled_deals(self, as_of, silent_days, run_n, limit)

    def aging_sums(self, as_of: dt.date, ends: Sequence[int], where: Where | None = None,
                   contract_where: Where | None = None) -> Iterator[AgingSum]:
        """kam.storage.AgingSums: see aging.py."""
        return aging.aging_sums(self, as_of, ends, where, contract_where)

    def milestone_views(self, as_of: dt.date, where: Where | None = None
                        ) -> Iterator[MilestoneView]:
        """kam.storage.MilestoneViews: see aging.py."""
        return aging.milestone_views(self, as_of, where)

    # optional fast paths (kam.storage.StageMoves, StageReach, DealMonthSums,
    # PipelineSums): summaries.py

    def stage_starts(self, where: Where | None = None) -> Iterator[StageStart]:
        return summaries.stage_starts(self, where)

    def stage_moves(self, kinds: Sequence[str]) -> Iterator[StageMove]:
        return summaries.stage_moves(self, kinds)

    def stage_reach(self, order: Mapping[str, Sequence[str]], where: Where | None = None
                    ) -> Iterator[StageReachCount]:
        return summaries.stage_reach(self, order, where)

    def pipeline_sums(self, where: Where | None, fields: Sequence[str]
                      ) -> tuple[list[DealSum], Iterator[Record]]:
        return summaries.pipeline_sums(self, where, fields)

    def deal_month_sums(self, won: bool, where: Where | None = None,
                        customers: Collection[str] = (), products: Collection[str] = ()
                        ) -> Iterator[DealMonthSum]:
        return summaries.deal_month_sums(self, won, where, customers, products)

    def _kind_cells(self, k: Kind, names: Sequence[str]
                    ) -> tuple[bool, Iterator[tuple[str, ...]]] | None:
        """Whether a kind's file is in id order, and the cells of ``names`` ("" for none)
        of each of its rows in file order, nothing converted: for a roll-up that tests
        and counts the text of a few columns. None when the rows are held in memory
        (this transaction's, or parsed by a write): read records then."""
        if self._held(k) is not None:
            return None
        path = self.folder / f"{k.name}.csv"
        verdict = self._verdict(k, path, ids=True)
        if verdict is None:
            return True, iter(())
        stamp = self._verdicts[path.name][0]
        kept = self._kept.columns(path, k, names, stamp) \
            if names and k.name in KEPT_KINDS else None
        if kept is not None:  # parsed once for every roll-up of this open workspace
            return verdict.ordered, kept.of(names)
        return verdict.ordered, self._cells_of(path, k, names)

    def _cells_of(self, path: Path, k: Kind, names: Sequence[str]
                  ) -> Iterator[tuple[str, ...]]:
        fh = _opened(path, "r")
        if fh is None:
            return
        with fh:
            reader = csv.reader(fh)
            try:
                header = next(reader, None)
                if header is None:
                    return
                check_header(k, header, str(path))
                width = len(header)
                get = _getter([header.index(name) if name in header else -1
                               for name in names])
                where = str(path)
                for cells in reader:
                    if len(cells) != width:
                        if not cells:
                            continue
                        n = reader.line_num
                        raise InputError(
                            f"{where} row {n}: {len(cells)} cells, the header has {width}")
                    yield get(cells)
            except csv.Error as exc:
                n = reader.line_num - 1
                raise InputError(f"{path} row {n + 1}: {exc}") from None
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None

    def _event_cells(self, kinds: Sequence[str], names: Sequence[str],
                     records: Collection[str] | None = None
                     ) -> Iterator[tuple[str, ...]] | None:
        """The cells of ``names`` ("" for none) of each committed event of ``kinds`` (of
        ``records`` only, when given), in order, parsing only the lines that name one of
        the kinds (reading.records_with) and, for one kind and ``records``, whose record
        id cell names one of them (reading.picks_for); None inside a transaction that
        has events of its own (read ``events`` then)."""
        if self._tx is not None and self._tx.events:
            return None
        if self._tx is None:
            self._check_journal()
        path = self.folder / EVENTS_FILE
        if self._verdict(EVENT, path, ids=False) is None:
            return iter(())
        return self._event_cells_of(path, frozenset(kinds), names, records)

    def _event_cells_of(self, path: Path, kinds: frozenset[str], names: Sequence[str],
                        records: Collection[str] | None = None
                        ) -> Iterator[tuple[str, ...]]:
        fh = _opened(path, "rb")
        if fh is None:
            return
        with fh:
            picks = None
            if records is not None and len(kinds) == 1:
                first = fh.readline()
                fh.seek(0)
                head = next(csv.reader([first.decode("utf-8", "replace")]), [])
                picks = reading.picks_for(head, next(iter(kinds)), records)
            found = reading.records_with(fh, str(path), [k.encode() for k in kinds], picks)
            header = next(found, None)
            if header is None:
                return
            check_header(EVENT, header, str(path))
            width, kind_i = len(header), header.index("kind") if "kind" in header else -1
            rec_i = header.index("record_id") if "record_id" in header else -1
            wanted = None if records is None else set(records)
            get = _getter([header.index(name) if name in header else -1 for name in names])
            where = str(path)
            for n, cells in enumerate(found, start=2):  # n: of the rows sieved
                if len(cells) != width:
                    raise InputError(
                        f"{where} row {n}: {len(cells)} cells, the header has {width}")
                if kind_i >= 0 and cells[kind_i] in kinds and (
                        wanted is None or (cells[rec_i] if rec_i >= 0 else "") in wanted):
                    yield get(cells)

    def _event_rows(self, where: Where | None = None,
                    raw: Callable[[dict[str, int]], Callable[[list[str]], bool]] | None = None,
                    tx_test: Callable[[Row], bool] | None = None,
                    fields: Sequence[str] | None = None) -> Iterator[Record]:
        """The event log streamed in order (committed lines, then this transaction's own
        events): ``raw`` builds a test of a line's raw cells from the header, so events
        of other kinds or records are dropped before any cell is decoded."""
        if self._tx is None:
            self._check_journal()
        path = self.folder / EVENTS_FILE
        if self._verdict(EVENT, path, ids=False) is not None:
            for rec, _ in self._scan_file(path, reading.Scan(EVENT, where, fields, raw=raw)):
                yield rec
        if self._tx is not None and self._tx.events:
            preds = [predicate(EVENT, key, want) for key, want in (where or {}).items()]
            for r in list(self._tx.events):
                if (tx_test is None or tx_test(r)) and all(p(r) for p in preds):
                    out = self._out(EVENT, r)
                    yield out if fields is None else {f: out[f] for f in fields}

    def events(
        self,
        record_id: str | None = None,
        kinds: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Record]:
        wanted = set(kinds) if kinds else None
        passed = [not after_id]  # the after_id event was seen

        def raw(index: dict[str, int]) -> Callable[[list[str]], bool]:
            id_i, kind_i = index["id"], index.get("kind", -1)
            refers = reading.refers_to(index, record_id) if record_id else None

            def test(cells: list[str]) -> bool:
                if not passed[0]:
                    passed[0] = cells[id_i] == after_id
                    return False
                if wanted is not None and (cells[kind_i] if kind_i >= 0 else "") \
                        not in wanted:
                    return False
                return refers is None or refers(cells)
            return test

        def tx_test(r: Row) -> bool:
            if not passed[0]:
                passed[0] = r["id"] == after_id
                return False
            if wanted is not None and r["kind"] not in wanted:
                return False
            return not record_id or record_id in _refs_of(r)

        found = self._event_rows(raw=raw, tx_test=tx_test)
        return found if limit is None else itertools.islice(found, int(limit))


def _scan_names(scan: reading.Scan) -> list[str]:
    """The columns a scan of a kind's file reads: id, its fields, filters and keys."""
    k = scan.k
    return list(dict.fromkeys(["id", *(k.names if scan.fields is None else scan.fields),
                               *(split_filter(k, key)[0] for key in scan.where or {}),
                               *scan.keys]))


def _getter(at: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells at ``at`` of a parsed row ("" where -1: a column the file lacks) as a
    tuple: an itemgetter when it can be one (it runs in C, once per row)."""
    if len(at) > 1 and -1 not in at:
        return itemgetter(*at)
    return lambda cells: tuple([cells[i] if i >= 0 else "" for i in at])
