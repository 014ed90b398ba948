"""Durable, all-or-nothing commits for a folder of files (the CSV backend's write path).

A commit writes every changed file to a temp file (fsynced), then a small journal
naming the renames and the event bytes to append; renaming the journal into place is
the commit point. Applying a journal is idempotent, so a writer killed at any moment
leaves either the old state (no journal: the temp files are swept away) or a journal
that the next writer replays. Callers hold the folder's lock around all of this.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kam.errors import StorageError

EVENTS_FILE = "events.csv"
JOURNAL_FILE = "journal.json"
JOURNAL_TMP = ".journal.json.tmp"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(folder: Path, name: str, text: str) -> None:
    """Write and fsync one file, owner-only."""
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def pending(folder: Path) -> bool:
    """A committed journal is waiting to be applied."""
    return (folder / JOURNAL_FILE).exists()


def leftovers(folder: Path) -> bool:
    return next(iter(folder.glob(".*.tmp")), None) is not None


def recover(folder: Path) -> bool:
    """Replay a committed journal and sweep an uncommitted one's temp files.

    Returns whether a journal was replayed (so cached reads are stale)."""
    journal = folder / JOURNAL_FILE
    replayed = False
    if journal.exists():
        try:
            apply(folder, json.loads(journal.read_text(encoding="utf-8")))
        except (ValueError, OSError, KeyError, TypeError) as exc:
            raise StorageError(f"{journal}: cannot replay the commit journal ({exc})") from None
        replayed = True
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    return replayed


#: a rename's target: a plain file name in the data folder (no path, no hidden file)
_FINAL = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(csv|json)")
#: a rename's source: one of this module's hidden temp files
_TMP = re.compile(r"\.[A-Za-z0-9_.-]+\.tmp")


def check_plan(plan: Any) -> list[tuple[str, str]]:
    """The renames of a journal, refused unless each moves one of our temp files onto a
    plain file of the data folder: a crafted journal must not move files from
    elsewhere (``../../x``) or over anything outside ``data/``."""
    if not isinstance(plan, dict) or not isinstance(plan.get("renames"), list):
        raise ValueError("not a commit journal")
    out = []
    for pair in plan["renames"]:
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(x, str) for x in pair)
                and _TMP.fullmatch(pair[0]) and _FINAL.fullmatch(pair[1])
                and pair[1] != JOURNAL_FILE):
            raise ValueError(f"rename {pair!r} leaves the data folder or is not ours")
        out.append((pair[0], pair[1]))
    size = plan.get("events_size", 0)
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"events_size {size!r} is not a file size")
    if not isinstance(plan.get("events", ""), str):
        raise ValueError("events is not text")
    return out


def apply(folder: Path, plan: dict[str, Any]) -> None:
    """Carry out a committed journal: the renames, then the event append."""
    for tmp, final in check_plan(plan):
        try:
            os.replace(folder / tmp, folder / final)
        except FileNotFoundError:
            pass  # renamed before the previous writer stopped
    if plan.get("events"):
        data = plan["events"].encode("utf-8")
        fd = os.open(folder / EVENTS_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, int(plan["events_size"]))
            os.lseek(fd, int(plan["events_size"]), os.SEEK_SET)
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
        finally:
            os.close(fd)
    fsync_dir(folder)
    (folder / JOURNAL_FILE).unlink(missing_ok=True)
    fsync_dir(folder)


def commit(folder: Path, files: Sequence[tuple[str, str]], events_text: str,
           events_size: int, token: str) -> dict[str, Any]:
    """Write the temp files and the journal (the commit point); return the plan to apply.

    Nothing is visible to readers until :func:`apply` renames the files."""
    renames: list[list[str]] = []
    try:
        for final, text in files:
            tmp = f".{final}.{token}.tmp"
            write_file(folder, tmp, text)
            renames.append([tmp, final])
        plan = {"version": 1, "renames": renames, "events_size": events_size,
                "events": events_text}
        write_file(folder, JOURNAL_TMP, json.dumps(plan, ensure_ascii=False))
        os.replace(folder / JOURNAL_TMP, folder / JOURNAL_FILE)  # the commit point
        fsync_dir(folder)
    except OSError as exc:
        for tmp, _ in renames:
            (folder / tmp).unlink(missing_ok=True)
        (folder / JOURNAL_TMP).unlink(missing_ok=True)
        raise StorageError(f"cannot write to {folder}: {exc}") from None
    return plan
