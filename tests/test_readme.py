"""The README's walkthrough runs as written (a newcomer's first five minutes)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def walkthrough() -> list[tuple[dict[str, str], list[str], int]]:
    """Each ``kam`` line of the README's sh blocks after ``kam init``: its env
    prefix, its arguments, and the exit code its comment promises (1 when it says the
    command is refused or exits 1 while something is overdue)."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    out = []
    for block in blocks:
        for raw in block.replace("\\\n", " ").splitlines():
            code, _, comment = raw.partition("#")
            words = shlex.split(code)
            env = {}
            while words and re.match(r"^[A-Z_]+=", words[0]):
                key, _, value = words.pop(0).partition("=")
                env[key] = value
            if not words or words[0] != "kam" or words[1:2] in (["demo"], ["init"]):
                continue
            expect = 1 if re.search(r"refused|exit 1", comment) else 0
            out.append((env, words[1:], expect))
    return out


@pytest.mark.parametrize("backend", ["sqlite"])
def test_readme_walkthrough_runs(kam: Any, backend: str) -> None:
    lines = walkthrough()
    assert len(lines) >= 30
    base = {"KAM_USER": "张伟"}
    for env, args, expect in lines:
        r = kam(*args, env=base | env)
        assert r.exit_code == expect, f"kam {' '.join(args)} → {r.exit_code}\n{r.stderr}"
