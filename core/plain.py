"""Plain classes with a dataclass's repr and equality, for records made at every start.

Why: making a dataclass (its ``__init__``, ``__repr__``, ``__eq__`` compiled from source)
costs ~0.3 ms at import, paid by every command for the classes kam.kinds and the plugin
registry define; these give the same repr and equality without it.
"""

from __future__ import annotations

from typing import Any


class PlainRecord:
    """A dataclass's ``__init__``-free half: repr and equality over ``_FIELDS``, no hash."""

    _FIELDS: tuple[str, ...] = ()
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._FIELDS)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._FIELDS)


class FrozenRecord(PlainRecord):
    """What ``@dataclass(frozen=True)`` gives besides ``__init__``: a hash over
    ``_FIELDS`` and no assignment after ``__init__`` (``FrozenInstanceError``), which sets
    its fields through ``self.__dict__``."""

    def __hash__(self) -> int:  # type: ignore[override]
        found = self.__dict__
        return hash(tuple(found[name] for name in self._FIELDS))

    def __setattr__(self, name: str, value: Any) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")
