"""kam — key-account (大客户) B2B sales from the first lead to the last payment.

Plugins import from :mod:`kam.api`, the one public module (``from kam.api import
hookimpl``); ``kam.hookimpl`` is the same marker. It is made on first use, so that
``import kam`` (every command's first step, ``kam --help`` included) does not import
pluggy.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: `import kam` stays free of the typing module

__version__ = "0.1.0"

if TYPE_CHECKING:
    from typing import Any

    from pluggy import HookimplMarker

    hookimpl: HookimplMarker


def __getattr__(name: str) -> Any:
    if name == "hookimpl":
        from pluggy import HookimplMarker

        marker = globals().setdefault("hookimpl", HookimplMarker("kam"))
        return marker
    raise AttributeError(f"module 'kam' has no attribute {name!r}")


__all__ = ["hookimpl", "__version__"]
