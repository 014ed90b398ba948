"""kam's optional fast paths for reports, ``kam today`` and ``kam check``: what a backend
may answer in the database instead of the Python references streaming every record
(issue 15). Each is a ``runtime_checkable`` protocol a backend offers by having its
methods; callers test ``isinstance`` and fall back to the reference. Backends and
plugins name them through :mod:`kam.storage`, which re-exports every one and loads only
the module of the one named (a report or command builds only its own protocols):
:mod:`~kam.fast_paths.today`, :mod:`~kam.fast_paths.receivables`,
:mod:`~kam.fast_paths.deals`, :mod:`~kam.fast_paths.check`, :mod:`~kam.fast_paths.lists`.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """``kam.fast_paths.X``, as before the modules were split: kam.storage's ``X``."""
    from kam import storage

    try:
        return getattr(storage, name)
    except AttributeError:
        raise AttributeError(f"module 'kam.fast_paths' has no attribute {name!r}") from None
