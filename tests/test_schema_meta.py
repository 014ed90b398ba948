"""Every stored field of every record kind reaches the user: in docs/json.md (checked by
test_events_and_json), in the CLI's JSON, and in ``kam export``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from kam.kinds import KINDS

#: the command that lists each kind as JSON
LISTS = {"customer": ("customer", "list"), "contact": ("contact", "list"),
         "lead": ("lead", "list"), "opportunity": ("opp", "list"),
         "activity": ("activity", "list"), "contract": ("contract", "list"),
         "receivable": ("receivable", "list"), "payment": ("pay", "list"),
         "invoice": ("invoice", "list"), "target": ("target", "list"),
         "service": ("service", "list"), "survey": ("service", "surveys"),
         "complaint": ("complaint", "list"),
         "expense": ("expense", "list"), "delivery": ("delivery", "list"),
         "visit_plan": ("plan", "list")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kam.demo import build_demo
    from kam.plugin_manager import Plugins

    path = tmp_path_factory.mktemp("demo") / "ws"
    build_demo(path, Plugins())
    return path


def test_every_kind_has_a_json_list_or_is_named_here() -> None:
    # attachments: kam contract show; the outbox: kam events list (tests/test_outbox.py)
    assert set(KINDS) - set(LISTS) <= {"attachment", "outbox"}


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_the_cli_json_carries_every_stored_field(kind: str, demo: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import Kam

    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    kam = Kam(demo)
    if kind in ("invoice", "target") and not kam.json(*LISTS[kind]):
        if kind == "target":
            kam.ok("target", "set", "张伟", "2026", "1000000")
        else:
            co = kam.json("contract", "list", "--status", "signed")[0]["id"]
            kam.ok("invoice", "issue", co, "--amount", "1000", "--number", "FP-META")
    rows: list[dict[str, Any]] = kam.json(*LISTS[kind])
    assert rows, kind
    keys = set().union(*(set(r) for r in rows))
    missing = [f for f in KINDS[kind].names if f not in keys]
    assert not missing, f"{' '.join(LISTS[kind])} --format json lacks {missing}"


def test_export_carries_every_stored_field(demo: Path, tmp_path: Path) -> None:
    from conftest import Kam

    Kam(demo).ok("export", str(tmp_path / "out"))
    for name, k in KINDS.items():
        path = tmp_path / "out" / f"{name}.csv"
        assert path.is_file(), name
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert set(k.names) <= set(header), (name, set(k.names) - set(header))
