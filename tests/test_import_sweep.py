"""The import sweep: every column of every kind set to a wrong-typed value is refused
whole (exit 2) on both backends, and the workspace stays empty (byte-identical).

One export (the demo, plus an invoice, an attachment and a target so every kind has a
row) is the source; each case changes one cell of one row, fixes the manifest's
checksum, and imports into the same empty workspace, which a refusal leaves empty.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import Kam
from kam.cell_check import ENUMS, JSON_SHAPES
from kam.kinds import EVENT, KINDS, Kind

EXTRA_ROWS = {
    "invoice": "IV1,CO1,CU1,RC1,FP-1,100.00,CNY,2026-09-06,2026-11-30T00:00:00+00:00",
    "attachment": "AT1,CO1,contract,scan.pdf,/nowhere/scan.pdf," + "0" * 64
                  + ",10,2026-09-06,2026-11-30T00:00:00+00:00",
    "target": "TG1,张伟,2026,5000000.00,CNY,,2026-11-30T00:00:00+00:00,"
              "2026-11-30T00:00:00+00:00",
    "outbox": "OB1,kam_event_committed,acme,EV1,{},pending,1,webhook down,"
              "2026-11-30T00:00:00+00:00,2026-11-30T00:00:00+00:00,"
              "2026-11-30T00:00:00+00:00",
}
_WRONG_JSON = {"[{}]": "[1]", "[str]": "[5]", "{}": "[]", "{str}": '{"a": 1}', "": "5"}
WRONG = {"text": "bad\x1b[31mvalue", "int": "1.5", "money": "1,5", "decimal": "1e999",
         "date": "9999-12-31", "datetime": "not-a-time", "bool": "yes"}
#: more wrong values per type, tried on one column each
MORE = {"int": ["9" * 30, "١٢", "NaN"], "money": ["1e999", "0.005", "１２", "1e20"],
        "decimal": ["NaN", "abc"], "date": ["2026-02-30", "0001-01-01", "2026-1-1"],
        "datetime": ["9999-12-31T00:00:00"], "text": ["a\rb", "nul\x00"],
        "json": ["5", "NaN", "[1e999]", "{"]}


def _wrong(k: Kind, name: str, ftype: str) -> str:
    if name == "id":
        return "ZZ1" if k.prefix != "ZZ" else "AA1"
    if ftype == "json":
        return _WRONG_JSON[JSON_SHAPES.get(name, "")]
    return WRONG[ftype]


def _cases() -> list[tuple[str, str, str]]:
    out = []
    for k in [*KINDS.values(), EVENT]:
        for f in k.fields:
            out.append((k.name, f.name, _wrong(k, f.name, f.type)))
    for ftype, texts in MORE.items():
        k, f = next((k, f) for k in [*KINDS.values(), EVENT] for f in k.fields
                    if f.type == ftype and f.name != "id")
        out += [(k.name, f.name, t) for t in texts]
    # enum columns hold their vocabulary's keys only (a label or an unknown word is not)
    out += [(kind, name, "核心客户" if name == "matrix" else "bogus")
            for kind, name in ENUMS if name != "roles"]
    out.append(("contact", "roles", '["bogus"]'))
    out.append(("event", "refs", "5"))
    out.append(("customer", "id", "CU" + "9" * 30))
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sweep")
    Kam(root / "unused").ok("demo", "--path", str(root / "demo"))
    Kam(root / "demo").ok("export", str(root / "export"))
    folder = root / "export"
    manifest = json.loads((folder / "manifest.json").read_text())
    for kind, row in EXTRA_ROWS.items():
        path = folder / f"{kind}.csv"
        path.write_text(path.read_text() + row + "\n", encoding="utf-8")
        manifest["files"][kind]["rows"] += 1
        manifest["files"][kind]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _with_cell(source: Path, folder: Path, kind: str, column: str, value: str) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder)
    name = "events.csv" if kind == "event" else f"{kind}.csv"
    rows = list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
    rows[1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][kind]["sha256"] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_every_wrong_typed_column_is_refused_whole(source: Path, tmp_path: Path,
                                                   backend: str) -> None:
    target = Kam(tmp_path / "target", backend)
    target.ok("init", "--backend", backend)
    target.ok("export", str(tmp_path / "before"))
    empty = {p.name: p.read_bytes() for p in (tmp_path / "before").iterdir()}
    accepted = []
    for kind, column, value in _cases():
        _with_cell(source, tmp_path / "case", kind, column, value)
        r = target("import", str(tmp_path / "case"))
        if r.exit_code != 2:
            accepted.append((kind, column, value, r.exit_code, r.stderr.strip()))
            if r.exit_code == 0:
                break  # the workspace is no longer empty: later cases would mislead
    assert accepted == []
    target.ok("export", str(tmp_path / "before"))
    assert {p.name: p.read_bytes() for p in (tmp_path / "before").iterdir()} == empty


def test_the_sweep_source_itself_imports(source: Path, tmp_path: Path, backend: str) -> None:
    target = Kam(tmp_path / "target", backend)
    target.ok("init", "--backend", backend)
    target.ok("import", str(source))


def test_every_json_field_has_a_shape() -> None:
    """A json field added to kinds.py needs its shape in kam.cell_check.JSON_SHAPES."""
    json_fields = {f.name for k in [*KINDS.values(), EVENT] for f in k.fields
                   if f.type == "json"}
    assert json_fields <= set(JSON_SHAPES), json_fields - set(JSON_SHAPES)
