"""The hostile-input battery: every command, both backends, the inputs of issue #14 and
the categories of quality.md (random text, huge and negative numbers, bad dates,
unknown enum values, SQL and shell metacharacters, path tricks, formula strings,
control characters, non-ASCII digits).

Exit codes are 0–4 only, never 70, and whenever a command exits non-zero the
workspace is unchanged: the table-driven part compares the bytes of the workspace's
data files before and after each command (fast); the issue's own cases compare a
full ``kam export`` before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import Kam

INPUTS = [
    "", " ", "-5", "0", "1e999", "1e30", "1e20", "9" * 40, "NaN", "Infinity", "1,5", "0.005",
    "１２", "١٢", "9999-12-31", "0001-01-01", "2026-02-30", "31/12/2026", "99999999",
    "-99999999", "'; DROP TABLE customer; --", "$(rm -rf /)", "`id`", "../../etc/passwd",
    "/etc/passwd", "..", "=1+1", "@SUM(A1)", "+1", "OP0", "OP" + "9" * 30, "CU1", "提案",
    "\u202e", "a\rb", "nul\x00", "\x1b[2J", "x" * 5000, "%s%n", "[]", "null", "nosuch",
    "ZZ1", "--", "-", "\t", "k=v", "=", "a" * 300,
]

#: one command per row; "@" is where the hostile value goes. Ids are the demo's.
TEMPLATES: list[tuple[str, ...]] = [
    ("customer", "add", "@"), ("customer", "add", "X", "--potential", "@"),
    ("customer", "add", "X", "--grade", "@"), ("customer", "add", "X", "--currency", "@"),
    ("customer", "add", "X", "--field", "@"), ("customer", "edit", "CU1", "--name", "@"),
    ("customer", "edit", "@", "--grade", "A"), ("customer", "show", "@"),
    ("customer", "list", "--owner", "@"), ("customer", "flag", "CU1", "--type", "@"),
    ("contact", "add", "CU1", "@"), ("contact", "add", "CU1", "W", "--role", "@"),
    ("contact", "add", "@", "W"), ("contact", "edit", "CT1", "--email", "@"),
    ("contact", "show", "@"), ("contact", "list", "--customer", "@"),
    ("lead", "add", "CU1", "@"), ("lead", "add", "CU1", "L", "--source", "@"),
    ("lead", "edit", "LD1", "--budget-amount", "@"), ("lead", "edit", "LD1", "--timeline", "@"),
    ("lead", "qualify", "@"), ("lead", "drop", "LD1", "--reason", "@"), ("lead", "show", "@"),
    ("lead", "list", "--status", "@"),
    ("opp", "add", "CU1", "T", "--amount", "@"), ("opp", "add", "CU1", "@", "--amount", "1"),
    ("opp", "add", "CU1", "T", "--amount", "1", "--close-date", "@"),
    ("opp", "add", "CU1", "T", "--amount", "1", "--margin", "@"),
    ("opp", "add", "CU1", "T", "--amount", "1", "--pipeline", "@"),
    ("opp", "edit", "OP1", "--probability", "@"), ("opp", "edit", "OP1", "--amount", "@"),
    ("opp", "advance", "OP3", "--to", "@"), ("opp", "advance", "@"),
    ("opp", "check", "OP3", "@"), ("opp", "uncheck", "OP3", "@"),
    ("opp", "approve", "OP3", "--by", "@"), ("opp", "bid", "OP3", "--price", "@"),
    ("opp", "bid", "OP3", "--price", "1", "--result", "@"),
    ("opp", "lose", "OP3", "--reason", "@"), ("opp", "abandon", "@", "--reason", "x"),
    ("opp", "show", "@"), ("opp", "list", "--stage", "@"),
    ("activity", "log", "OP3", "--type", "@"), ("activity", "log", "OP3", "--type", "call",
                                                   "--date", "@"),
    ("activity", "log", "@", "--type", "call"), ("activity", "log", "OP3", "--type", "call",
                                                   "--note", "@"),
    ("activity", "list", "--since", "@"),
    ("contract", "create", "OP3", "--amount", "@"), ("contract", "create", "OP3", "--plan", "@"),
    ("contract", "create", "OP3", "--line", "@"),
    ("contract", "create", "OP3", "--line", "a|b|@|5"),
    ("contract", "create", "OP3", "--tax-rate", "@"),
    ("contract", "create", "OP3", "--warranty-months", "@"),
    ("contract", "edit", "CO1", "--title", "@"), ("contract", "show", "@"),
    ("contract", "review", "@"), ("contract", "approve", "CO1", "--role", "@"),
    ("contract", "sign", "CO1", "--date", "@"), ("contract", "amend", "CO1", "--delta", "@"),
    ("contract", "deliver", "CO1", "--date", "@"), ("contract", "accept", "CO1", "--stage", "@"),
    ("contract", "handover", "CO1", "--pm", "@"), ("contract", "attach", "CO1", "@"),
    ("contract", "verify", "@"), ("contract", "close", "CO1", "--date", "@"),
    ("contract", "terminate", "CO1", "--reason", "@"), ("contract", "list", "--status", "@"),
    ("pay", "record", "CO1", "@"), ("pay", "record", "CO1", "1", "--date", "@"),
    ("pay", "record", "CO1", "1", "--milestone", "@"), ("pay", "record", "@", "1"),
    ("pay", "record", "CO1", "1", "--format", "@"), ("pay", "list", "--contract", "@"),
    ("invoice", "issue", "CO1", "--amount", "@", "--number", "F1"),
    ("invoice", "issue", "CO1", "--amount", "1", "--number", "@"),
    ("receivable", "list", "--state", "@"), ("receivable", "write-off", "@", "--reason", "x"),
    ("receivable", "write-off", "RC1", "--by", "@", "--reason", "x"),
    ("target", "set", "@", "2026", "100"), ("target", "set", "A", "@", "100"),
    ("target", "set", "A", "2026", "@"), ("target", "list", "--period", "@"),
    ("report", "@"), ("report", "activity", "--weeks", "@"), ("report", "aging", "--buckets", "@"),
    ("report", "pipeline", "--owner", "@"), ("report", "forecast", "--period", "@"),
    ("report", "pipeline", "--format", "@"), ("report", "war-room", "@"),
    ("today", "--days", "@"), ("today", "--owner", "@"), ("check", "--as-of", "@"),
    ("history", "@"), ("config", "get", "@"), ("config", "set", "@", "1"),
    ("config", "set", "user", "@"), ("config", "set", "rules.margin_floor", "@"),
    ("config", "set", "storage.lock_timeout_s", "@"), ("export", "@"), ("import", "@"),
    ("--as-of", "@", "today"), ("--lang", "@", "customer", "list"), ("doctor", "--format", "@"),
    ("plugins", "list", "--format", "@"),
]
#: inputs per template in CI; KAM_BATTERY_FULL=1 (the reliability script) tries them all
PER_TEMPLATE = len(INPUTS) if os.environ.get("KAM_BATTERY_FULL") == "1" else 4


def _cases() -> list[tuple[str, ...]]:
    """Each template with PER_TEMPLATE inputs, rotating so every input is used often."""
    out = []
    for t, template in enumerate(TEMPLATES):
        for j in range(PER_TEMPLATE):
            value = INPUTS[(t * 5 + j * (13 if PER_TEMPLATE < len(INPUTS) else 1))
                           % len(INPUTS)]
            out.append(tuple(value if a == "@" else a.replace("@", value) if "|@|" in a else a
                             for a in template))
    return out


@pytest.fixture(scope="module")
def demo_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("battery")
    Kam(root / "unused").ok("demo", "--path", str(root / "sqlite"))
    Kam(root / "sqlite").ok("export", str(root / "export"))
    csv_ws = Kam(root / "csv", "csv")  # the same data, imported (faster than a CSV demo)
    csv_ws.ok("init", "--backend", "csv")
    csv_ws.ok("import", str(root / "export"))
    return {"sqlite": root / "sqlite", "csv": root / "csv"}


@pytest.fixture
def world(demo_dirs: dict[str, Path], backend: str, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Kam:
    """A copy of the demo workspace; relative paths land in a scratch folder."""
    if backend not in demo_dirs:
        pytest.skip("the battery compares a workspace's bytes: the file backends; "
                    "PostgreSQL's all-or-nothing writes are tested in test_postgres_backend")
    shutil.copytree(demo_dirs[backend], tmp_path / "ws")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    return Kam(tmp_path / "ws", backend)


def _fingerprint(path: Path) -> dict[str, str]:
    """The bytes of the workspace's data (kam.toml, the database or data/*; not the lock
    file nor SQLite's shared-memory index, which readers touch too)."""
    out = {}
    for p in sorted(path.rglob("*")):
        if p.is_file() and p.name not in ("kam.lock", "kam.db-shm"):
            out[str(p.relative_to(path))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_every_command_survives_hostile_values(world: Kam) -> None:
    """Exit codes 0–4 only; a non-zero exit leaves the workspace's bytes as they were."""
    bad = []
    codes: dict[int, int] = {}
    before = _fingerprint(world.path)
    for args in _cases():
        r = world(*args, env={"KAM_TODAY": "2026-11-30"})
        after = _fingerprint(world.path)
        if r.exit_code not in (0, 1, 2, 3, 4) or "Traceback" in r.stderr:
            bad.append((args, r.exit_code, r.stderr.strip()[-200:]))
        elif r.exit_code != 0 and after != before and not (args[0] == "check"
                                                           and r.exit_code == 1):
            # (`kam check` records what fell due, then exits 1 to say something did)
            changed = sorted(k for k in set(after) | set(before)
                             if after.get(k) != before.get(k))
            bad.append((args, r.exit_code, f"changed {changed}"))
        before = after
        codes[r.exit_code] = codes.get(r.exit_code, 0) + 1
    stats = os.environ.get("KAM_BATTERY_STATS")
    if stats:  # the reliability script counts what was refused how
        with open(stats, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"backend": world.backend, "codes": codes}) + "\n")
    assert not bad, "\n".join(f"{_short(args)} → {code}: {_short([why])}"
                               for args, code, why in bad)
    assert codes.get(0, 0) > 20 and codes.get(2, 0) > 100, codes  # the battery bites


def _short(args: object) -> str:
    return " ".join(repr(a if len(a) < 60 else a[:20] + f"…({len(a)} chars)")
                    for a in args)  # type: ignore[attr-defined]


#: the inputs of issue #14, each with the exit code it must give now
ISSUE_CASES: list[tuple[tuple[str, ...], int, str]] = [
    (("pay", "record", "CO1", "100", "--format", "JSON"), 2, "--format"),
    (("pay", "record", "CO1", "-5"), 2, "AMOUNT"),
    (("target", "set", "A", "2026", "-5"), 2, "negative"),
    (("pay", "record", "CO1", "1,5"), 2, "comma"),
    (("pay", "record", "CO1", "0.005"), 2, "two decimal places"),
    (("pay", "record", "CO1", "１２"), 2, "ASCII"),
    (("pay", "record", "CO1", "١٢"), 2, "ASCII"),
    (("contract", "create", "OP3", "--line", "a|b|1e999|5"), 2, "--line"),
    (("contract", "create", "OP3", "--line", "a|b|1|1e999"), 2, "--line"),
    (("--as-of", "9999-12-31", "today"), 2, "--as-of"),
    (("report", "activity", "--weeks", "99999999"), 2, "--weeks"),
    (("customer", "add", "ACME\rX"), 2, "CR"),
    (("customer", "add", "ACME\x1b[2JX"), 2, "ESC"),
    (("config", "set", "user", "a\rb"), 2, "CR"),
    (("config", "set", "storage.lock_timeout_s", "nan"), 2, "lock_timeout_s"),
    (("customer", "add", "X", "--lang", "xx"), 2, ""),
    (("--lang", "xx", "customer", "add", "X"), 2, "--lang"),
    (("opp", "add", "CU1", "T", "--amount", "1e30"), 2, "too large"),
    (("today", "--days", "١٢"), 2, "ASCII"),
    (("opp", "list", "--limit", "３"), 2, "ASCII"),
    (("opp", "edit", "OP1", "--probability", "٥٠"), 2, "ASCII"),
    (("export", "x" * 5000), 2, "too long"),
    (("import", "a" * 300), 2, "too long"),
    (("contract", "attach", "CO1", "a" * 300), 2, "too long"),
]


def _export(kam: Kam, folder: Path) -> dict[str, bytes]:
    kam.ok("export", str(folder))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(("args", "code", "message"), ISSUE_CASES)
def test_the_issue_inputs_are_refused_before_anything_is_stored(
        world: Kam, tmp_path: Path, args: tuple[str, ...], code: int, message: str) -> None:
    before = _export(world, tmp_path / "before")
    r = world("--lang", "en", *args)  # the demo speaks zh; these name English words
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert message in r.stderr and "Traceback" not in r.stderr
    assert _export(world, tmp_path / "after") == before


def test_a_bad_format_three_times_stores_nothing(world: Kam) -> None:
    payments = len(world.json("pay", "list"))
    for _ in range(3):
        assert world("pay", "record", "CO1", "100", "--format", "JSON").exit_code == 2
    assert len(world.json("pay", "list")) == payments


def test_stored_terminal_escapes_are_never_printed_raw(world: Kam) -> None:
    """Text stored before kam refused control characters (an old workspace, a plugin
    writing directly) is shown with visible escapes in tables and JSON."""
    ws = world.workspace()
    try:
        with ws.storage.transaction():
            ws.storage.update("customer", "CU1", {"name": "evil\x1b]0;owned\x07\x9b2J"})
    finally:
        ws.close()
    for fmt in ("table", "csv", "json"):
        out = world.ok("customer", "list", "--format", fmt).stdout + \
            world.ok("customer", "show", "CU1", "--format", fmt).stdout
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\\x1b" in world.ok("customer", "list").stdout


def test_services_refuse_control_characters_too(world: Kam) -> None:
    """A plugin or script calling the services directly meets the same text rule."""
    from kam.errors import InputError
    from kam.services import customers

    ws = world.workspace()
    try:
        for text in ("ACME\rX", "nul\x00", "esc\x1b[2J", "c1\x9b"):
            with pytest.raises(InputError, match="control character"):
                customers.add(ws, text)
        assert customers.add(ws, "两行\n名字\t")["name"]  # TAB and LF are text
    finally:
        ws.close()
