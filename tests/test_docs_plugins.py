"""docs/plugins.md runs as written: its shell blocks as one script in an empty folder,
each file block written where it stands (blocks marked "not run" install packages)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- (?:file: (?P<file>\S+)|(?P<skip>not run)) -->\n)?"
                   r"```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)


def tutorial_script(text: str) -> str:
    """The tutorial as one bash script: shell blocks verbatim, file blocks as heredocs."""
    parts = ["set -euo pipefail"]
    for m in BLOCK.finditer(text):
        if m["skip"]:
            continue
        if m["file"]:
            folder = os.path.dirname(m["file"])
            if folder:
                parts.append(f"mkdir -p {folder}")
            parts.append(f"cat > {m['file']} <<'KAM_TUTORIAL_EOF'\n{m['body']}KAM_TUTORIAL_EOF")
        elif m["lang"] == "sh":
            parts.append(m["body"])
    return "\n".join(parts) + "\n"


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    script = tutorial_script(text)
    assert "acme_rules.py <<" in script and "test_rules.py <<" in script
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["KAM_DISABLE_PLUGINS"] = "acme"  # an installed examples/acme_kam stays out
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=900)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    assert "acme_rules" in out and "kam_record_bid" in out          # kam plugins list
    assert 'required = ["acme_rules"]' in out
    assert "credit days must be 0..180" in out and "refused, exit 2" in out
    assert "credit days" in out and "60" in out                       # shown by label
    assert "SAP project number (sap_no) is required from initiation on" in out
    assert "Acme: margin 12% is below 15%" in out and "refused, exit 1" in out
    assert "chat server unreachable" in out and "kept as OB" in out
    assert "required plugin 'acme_rules' not installed" in out and "refused, exit 4" in out
    assert "3 passed" in out                                          # the package's tests
    chat = (tmp_path / "chat.log").read_text(encoding="utf-8").splitlines()
    assert len(chat) == 2 and '"price": "2250000.00"' in chat[1]


def test_every_hooks_md_example_loads_as_a_plugin() -> None:
    """Each python block of docs/hooks.md, run as a module (with the kam.api names the
    page imports once at the top), registers as a plugin: hook names and argument names
    match the specs, and its registration hooks run without failing."""
    import types

    from kam.plugin_manager import Plugins

    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    blocks = [m["body"] for m in BLOCK.finditer(text) if m["lang"] == "python"]
    assert len(blocks) >= 15
    prelude = ("from kam.api import (Pipeline, Report, Stage, Table, Task, block, hookimpl,"
               " info, warn)\n")
    pm = Plugins()
    for i, body in enumerate(blocks):
        module = types.ModuleType(f"hooks_md_{i}")
        exec(compile(prelude + body, f"docs/hooks.md block {i}", "exec"), module.__dict__)
        pm.register(module, f"hooks_md_{i}")
        assert f"hooks_md_{i}" in pm.infos, pm.failures
    for registry in (pm.storages, pm.formats, pm.reports, pm.pipelines, pm.fields,
                     pm.config_schemas):
        registry()
    assert not pm.failures, pm.failures
    assert {"tsv"} <= set(pm.formats().items) and "acme_eight" in pm.pipelines().items
    assert "acme" in pm.config_schemas().items
