"""Plugin trust: a plugin file in a folder others can write, or in the plugins_dir of a
workspace the user has not trusted, never runs (not even for kam --help) and the user
is told why in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Kam

MARKER_PLUGIN = '''
import os
from pathlib import Path
Path(os.environ["MARKER"]).write_text("ran", encoding="utf-8")

from kam.api import hookimpl

@hookimpl
def kam_qualify_lead(ws, lead, customer):
    return []
'''


def _folder(tmp_path: Path, name: str = "plugins") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "marker.py").write_text(MARKER_PLUGIN, encoding="utf-8")
    return folder


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="Unix file owners")
def test_a_world_writable_plugins_folder_does_not_run(kam: Kam, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    folder.chmod(0o777)
    env = {"KAM_PLUGINS_DIR": str(folder), "MARKER": str(tmp_path / "marker")}
    for args in (("--help",), ("plugins", "list"), ("customer", "list")):
        r = kam(*args, env=env)
        assert r.exit_code == 0, r.stderr
        assert not (tmp_path / "marker").exists(), args
    r = kam("customer", "list", env=env)
    assert "writable by group or others" in r.stderr and str(folder) in r.stderr
    folder.chmod(0o755)
    (folder / "marker.py").chmod(0o666)
    kam.ok("customer", "list", env=env)
    assert not (tmp_path / "marker").exists()
    (folder / "marker.py").chmod(0o644)
    kam.ok("customer", "list", env=env)
    assert (tmp_path / "marker").read_text(encoding="utf-8") == "ran"


def test_an_untrusted_workspace_plugins_dir_does_not_run(kam: Kam, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    env = {"MARKER": str(tmp_path / "marker")}
    toml = kam.path / "kam.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'plugins_dir = ""', f'plugins_dir = "{folder}"'), encoding="utf-8")
    for args in (("--help",), ("plugins", "list"), ("customer", "list")):
        r = kam(*args, env=env)
        assert r.exit_code == 0, r.stderr
        assert not (tmp_path / "marker").exists(), args
    r = kam("customer", "list", env=env)
    warning = [line for line in r.stderr.splitlines() if "not trusted" in line]
    assert len(warning) == 1 and f"kam plugins trust {kam.path}" in warning[0]
    r = kam.ok("plugins", "trust", env=env)
    assert str(kam.path.resolve()) in r.stdout
    trusted = Path(os.environ["XDG_CONFIG_HOME"]) / "kam" / "trusted"
    assert trusted.read_text(encoding="utf-8").splitlines() == [str(kam.path.resolve())]
    rows = kam.json("plugins", "list", env=env)
    assert "marker" in {p["name"] for p in rows}
    assert (tmp_path / "marker").exists()
    kam.ok("plugins", "trust", "--remove", env=env)
    (tmp_path / "marker").unlink()
    kam.ok("customer", "list", env=env)
    assert not (tmp_path / "marker").exists()
