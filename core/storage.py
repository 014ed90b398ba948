"""The storage protocol every backend implements, and its query vocabulary.

Records are plain dicts at this boundary (money as ``Decimal``, dates as
``datetime.date``, json fields as lists/dicts); models are built above it.
Filters are ``{"field": value}`` for equality or ``{"field__op": value}`` with an
op from ``OPS``; ``order_by`` names fields, ``-field`` for descending. Backends
never build SQL from raw user text: field names are checked against the kind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from kam.errors import InputError, StorageError
from kam.kinds import EVENT, KINDS, Kind

Record = dict[str, Any]
Where = Mapping[str, Any]

OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "isnull")


class ConflictError(StorageError):
    """A record with this id exists already, or the row changed under us."""


class RetryableError(StorageError):
    """The database gave up the transaction (a serialization failure or a deadlock):
    nothing of it was written, and running it again may succeed (``atomic`` does)."""


@runtime_checkable
class Storage(Protocol):
    """What the core needs from a backend. Keep it small; see docs/hooks.md."""

    name: str

    def get(self, kind: str, record_id: str) -> Record | None: ...

    def find(
        self,
        kind: str,
        where: Where | None = None,
        order_by: Sequence[str] = ("id",),
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Record]: ...

    def count(self, kind: str, where: Where | None = None) -> int: ...

    def insert(self, kind: str, record: Record) -> None: ...

    def update(self, kind: str, record_id: str, changes: Record) -> None: ...

    def next_id(self, kind: str) -> str: ...

    def append_event(self, event: Record) -> Record: ...

    def events(
        self,
        record_id: str | None = None,
        kinds: Sequence[str] | None = None,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Record]: ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


def kind(name: str) -> Kind:
    if name == EVENT.name:
        return EVENT
    try:
        return KINDS[name]
    except KeyError:
        raise InputError(f"unknown record kind {name!r}") from None


def split_filter(k: Kind, key: str) -> tuple[str, str]:
    """``"due_date__le"`` → ``("due_date", "le")``, checking field and op."""
    field, _, op = key.partition("__")
    op = op or "eq"
    if k.field(field) is None:
        raise InputError(f"{k.name} has no field {field!r}")
    if op not in OPS:
        raise InputError(f"unknown filter operator {op!r}")
    return field, op


def split_order(k: Kind, key: str) -> tuple[str, bool]:
    desc = key.startswith("-")
    field = key.lstrip("-")
    if k.field(field) is None:
        raise InputError(f"{k.name} has no field {field!r}")
    return field, desc


def scope(owner: str | None = None, customer: str | None = None,
          currency: str | None = None) -> dict[str, Any]:
    """The everyday filters (``--owner``, ``--customer``, ``--currency``) as a ``where``,
    normalised: customer ids and currency codes upper-case; options not given are left out."""
    where: dict[str, Any] = {}
    if owner:
        where["owner"] = owner
    if customer:
        where["customer_id"] = customer.strip().upper()
    if currency:
        where["currency"] = currency.strip().upper()
    return where


def id_number(record_id: str) -> int:
    digits = record_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else 0
