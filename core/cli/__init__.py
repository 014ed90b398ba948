"""The ``kam`` command line (``kam = kam.cli:main``).

The typer app is in :mod:`kam.cli.app`; this module stays light so that ``kam
--help`` can be answered by :mod:`kam.cli.help_cache` without importing typer.
``make_app`` and the app's other names are still importable from here.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: `import kam.cli` stays free of the typing module
if TYPE_CHECKING:
    from typing import Any

    from kam.cli.app import SUBAPPS as SUBAPPS
    from kam.cli.app import KamGroup as KamGroup
    from kam.cli.app import make_app as make_app


def main() -> None:
    """Run ``kam`` with ``sys.argv``."""
    if sys.argv[1:] == ["--help"]:
        from kam.cli import help_cache

        if help_cache.serve():
            return
        from kam.cli.app import main as run

        help_cache.render(run)
        return
    from kam import collector

    # start-up makes ~100k objects that all live until the end (modules, typer's and
    # pluggy's tables): collector.started() freezes them before the command runs
    collector.paused_for_start_up()
    from kam.cli import fast

    try:
        code = fast.run(sys.argv[1:])
    except KeyboardInterrupt:
        from kam.cli.common import say

        say(None, "kam: interrupted", err=True)
        sys.exit(130)
    if code is not None:
        sys.exit(code)
    from kam.cli.app import main as run

    run(fast.handed_on())


def __getattr__(name: str) -> Any:
    """``from kam.cli import make_app`` (and the app's other names) load the app."""
    if name not in _APP_NAMES:  # a submodule (kam.cli.opp), or nothing
        raise AttributeError(f"module 'kam.cli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module("kam.cli.app"), name)


#: what ``kam.cli`` offered before the app moved to :mod:`kam.cli.app`
_APP_NAMES = frozenset({"make_app", "KamGroup", "SUBAPPS"})
