"""Running kam's command line in-process against one workspace, for a plugin's tests.

:class:`KamRunner` builds kam's CLI with the plugins under test registered (whether or
not they are also installed: an installed copy is replaced, never registered twice)
and returns each command's exit code, stdout, stderr and JSON.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kam.plugin_manager import Plugins
    from kam.workspace import Workspace


@dataclass
class CliResult:
    """One command's outcome."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON (the command was run with ``--format json``)."""
        return json.loads(self.stdout)

    @property
    def findings(self) -> list[tuple[str, str, str]]:
        """The findings kam printed on stderr: ``(severity, message, plugin)``; the
        severity as its key whatever the language (``阻止：`` is ``block``)."""
        from kam.vocab import VOCAB

        keys = {zh: key for key, (zh, _en) in VOCAB["severity"].items()}
        out = []
        for line in self.stderr.splitlines():
            m = re.match(r"\s+(block|warn|info|阻止|警告|提示)(?:: |：)(.*?)(?: \[([^\]]+)\])?$",
                         line)
            if m:
                out.append((keys.get(m.group(1), m.group(1)), m.group(2), m.group(3) or ""))
        return out


@contextmanager
def _environ(env: Mapping[str, str] | None) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class KamRunner:
    """``kam`` commands in-process against the workspace at ``path``, with ``plugins``
    (name → module) registered beside the installed ones."""

    def __init__(self, path: Path, plugins: Mapping[str, object] | None = None) -> None:
        self.path = Path(path)
        self.plugins = dict(plugins or {})

    def manager(self) -> Plugins:
        """A fresh plugin manager (discovery sees the current environment) with the
        plugins under test registered."""
        from kam.plugin_manager import Plugins

        manager = Plugins()
        for name, module in self.plugins.items():
            manager.register(module, name)
        return manager

    def __call__(self, *args: str, env: Mapping[str, str] | None = None,
                 input: str | None = None) -> CliResult:
        """Run ``kam --workspace PATH *args``; a crash (not a kam error) fails the test
        with its traceback."""
        from kam.cli import make_app
        from typer.testing import CliRunner

        with _environ(env):
            app = make_app(self.manager())
            r = CliRunner().invoke(app, ["--workspace", str(self.path), *args],
                                   input=input, catch_exceptions=True)
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            import traceback

            raise AssertionError(f"kam {' '.join(args)} raised:\n"
                                 + "".join(traceback.format_exception(r.exception)))
        return CliResult(r.exit_code, r.stdout, r.stderr)

    def ok(self, *args: str, **kw: Any) -> CliResult:
        """Run a command that must succeed (exit 0)."""
        r = self(*args, **kw)
        assert r.exit_code == 0, f"kam {' '.join(args)} → {r.exit_code}\n{r.stdout}\n{r.stderr}"
        return r

    def json(self, *args: str, **kw: Any) -> Any:
        """Run a command with ``--format json`` that must succeed; its parsed output."""
        return self.ok(*args, "--format", "json", **kw).json()

    def id(self, *args: str, **kw: Any) -> str:
        """Run a creating command with ``-q``; the new record's id."""
        return self.ok(*args, "-q", **kw).stdout.strip()

    def workspace(self, as_of: str | None = None) -> Workspace:
        """The workspace, opened with the plugins under test (close it when done)."""
        from kam.workspace import Workspace

        return Workspace.open(self.path, plugins=self.manager(), as_of=as_of)
