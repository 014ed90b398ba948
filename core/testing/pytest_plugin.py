"""kam's pytest plugin (entry point ``pytest11``), for a company plugin's own tests.

Installed with kam, so a plugin package's tests need no set-up code. Name the plugins
under test in a ``kam_plugins`` fixture (they are registered whether or not the
package is also installed), then use:

- ``kam_cli``: a :class:`kam.testing.KamRunner` on a new workspace (``kam init``
  done, ``--lang en``, ``KAM_USER=tester``, backend from ``kam_backend``);
- ``kam_sample_data``: the same workspace filled with the demo's data (customers,
  contacts, deals at every stage, contracts and payments; built with kam's own rules);
- ``assert_finding`` / ``assert_refused``: check a rule's findings.

Fixtures only; nothing here runs unless a test asks for it (kam's start-up cost is
not added to every pytest run of the environment).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kam.testing.cli import CliResult, KamRunner

#: environment variables of kam that a test must not inherit from the developer's shell
KAM_ENV = ("KAM_HOME", "KAM_TODAY", "KAM_USER", "KAM_LANG", "KAM_PLUGINS_DIR", "KAM_DEBUG",
           "KAM_STRICT_PLUGINS")


@pytest.fixture
def kam_plugins() -> Mapping[str, object]:
    """The plugins under test, name → module; override it in your conftest.py."""
    return {}


@pytest.fixture
def kam_backend() -> str:
    """The storage backend of the test workspace; override (or parametrize) it."""
    return "sqlite"


@pytest.fixture
def kam_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A clean kam environment: none of the developer's KAM_* settings (but
    ``KAM_DISABLE_PLUGINS``, kept so a run can hide an installed copy), the acting user
    ``tester``, and kam's user config (trusted folders) inside the test's tmp dir."""
    for var in KAM_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KAM_USER", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield


@pytest.fixture
def kam_cli(tmp_path: Path, kam_env: None, kam_plugins: Mapping[str, object],
            kam_backend: str) -> KamRunner:
    """kam's CLI on a new workspace with the plugins under test registered."""
    from kam.testing.cli import KamRunner

    runner = KamRunner(tmp_path / "ws", kam_plugins)
    runner.ok("init", "--backend", kam_backend, "--lang", "en")
    return runner


@pytest.fixture
def kam_sample_data(tmp_path: Path, kam_env: None, kam_plugins: Mapping[str, object],
                    kam_backend: str) -> KamRunner:
    """kam's CLI on a workspace holding the demo's data, with the plugins under test
    registered afterwards (the data is built under kam's own rules, so a stricter
    company rule cannot stop it being built)."""
    from kam.demo import build_demo
    from kam.plugin_manager import Plugins
    from kam.testing.cli import KamRunner

    found = Plugins()
    foreign = {name for name, info in found.infos.items() if info.source != "built-in"}
    path = tmp_path / "sample"
    build_demo(path, Plugins(disabled=foreign) if foreign else found, backend=kam_backend,
               lang="en")
    return KamRunner(path, kam_plugins)


@pytest.fixture
def assert_finding() -> Any:
    """``assert_finding(result, text, severity="block", plugin=None)``: the command's
    stderr lists a finding whose message contains ``text``."""
    return finding_assertion


@pytest.fixture
def assert_refused() -> Any:
    """``assert_refused(result, text, plugin=None)``: the change was refused (exit 1)
    by a ``block`` finding whose message contains ``text``."""
    return refused_assertion


def finding_assertion(result: CliResult, text: str, severity: str = "block",
                      plugin: str | None = None) -> tuple[str, str, str]:
    for found in result.findings:
        if found[0] == severity and text in found[1] and plugin in (None, found[2]):
            return found
    raise AssertionError(f"no {severity} finding with {text!r}"
                         + (f" from {plugin}" if plugin else "")
                         + f" in:\n{result.stderr}")


def refused_assertion(result: CliResult, text: str, plugin: str | None = None
                      ) -> tuple[str, str, str]:
    assert result.exit_code == 1, (f"exit {result.exit_code}, not 1 (refused)\n"
                                   f"{result.stdout}\n{result.stderr}")
    return finding_assertion(result, text, "block", plugin)
