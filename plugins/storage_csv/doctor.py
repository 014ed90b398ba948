"""The CSV backend's ``kam doctor`` checks (kam's optional ``integrity_problems``):
every file parsed strictly, ids and sequences, nothing stray in the data folder."""

from __future__ import annotations

import os

from kam.errors import InputError, StorageError
from kam.kinds import KINDS
from kam.plugins.storage_csv import checked, journal, versions
from kam.plugins.storage_csv.files import LOCK_FILE, SEQUENCE_FILE, CSVFiles
from kam.plugins.storage_csv.journal import EVENTS_FILE
from kam.storage import id_number


class CSVDoctor(CSVFiles):
    """Optional extras."""

    def integrity_problems(self) -> list[str]:
        """Optional (``kam doctor``): parse every file strictly; check ids and sequences."""
        problems: list[str] = []
        if journal.pending(self.folder):
            with self._locked():
                self._recover()
        self._tables.clear()
        self._events = None
        try:
            version = versions.read_version(self.folder)
            if version != versions.SCHEMA_VERSION:
                problems.append(f"{self.folder / versions.MANIFEST_FILE}: schema version "
                                f"{version}, this kam writes {versions.SCHEMA_VERSION}")
        except (InputError, StorageError) as exc:
            problems.append(str(exc))
        try:
            seq = self._sequence()
        except InputError as exc:
            problems.append(str(exc))
            seq = {}
        for k in KINDS.values():
            try:
                rows = self._table(k).rows
            except InputError as exc:
                problems.append(str(exc))
                continue
            top = max((id_number(r) for r in rows), default=0)
            if top > seq.get(k.name, 0):
                problems.append(f"{self.folder / SEQUENCE_FILE}: {k.name} is at "
                                f"{seq.get(k.name, 0)} but {k.prefix}{top} exists")
            wrong = [r for r in rows if not r.startswith(k.prefix)
                     or not r[len(k.prefix):].isdigit()]
            if wrong:
                problems.append(f"{self.folder / f'{k.name}.csv'}: id {wrong[0]} is not a "
                                f"{k.name} id")
        try:
            events = self._committed_events()
            if self._events is not None:
                path = self.folder / EVENTS_FILE
                if path.exists() and os.stat(path).st_size != events.stamp[1]:
                    problems.append(f"{path}: the last line is incomplete")
                seen: set[str] = set()
                for n, r in enumerate(events.rows, start=2):
                    if r["id"] in seen:
                        problems.append(f"{path} row {n}, column id: duplicate id {r['id']}")
                    seen.add(r["id"])
                top = max((id_number(r["id"]) for r in events.rows), default=0)
                if top > seq.get("event", 0):
                    problems.append(f"{self.folder / SEQUENCE_FILE}: event is at "
                                    f"{seq.get('event', 0)} but EV{top} exists")
        except InputError as exc:
            problems.append(str(exc))
        known = {f"{k.name}.csv" for k in KINDS.values()} | {EVENTS_FILE}
        for path in sorted(self.folder.glob("*.csv")):
            if path.name not in known:
                problems.append(f"{path}: not a file of any known record kind")
        return problems + self._file_problems(known)

    def _file_problems(self, data_files: set[str]) -> list[str]:
        """Every kind's file is there, each is a plain file inside this folder (not a
        link to elsewhere), and nothing else lives here but kam's own bookkeeping."""
        problems = [f"{self.folder / name}: missing (its records are gone)"
                    for name in sorted(data_files) if not (self.folder / name).exists()]
        own = data_files | {SEQUENCE_FILE, LOCK_FILE, versions.MANIFEST_FILE,
                            checked.CHECKED_FILE}
        for path in sorted(self.folder.iterdir()):
            if path.is_symlink() or (path.name in own and not path.is_file()):
                problems.append(f"{path}: not a plain file in {self.folder} (a link or a "
                                "folder); kam's data must live inside data/")
            elif path.name == journal.JOURNAL_FILE:
                problems.append(f"{path}: a commit journal that could not be applied")
            elif path.name not in own and not path.name.endswith(".csv"):
                problems.append(f"{path}: not a kam file (stray or left over)")
        return problems
