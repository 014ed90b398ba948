"""Helpers every service uses: validation, custom fields, record stamps."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from kam.errors import InputError
from kam.text import check as check_text
from kam.workspace import Workspace

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
F = TypeVar("F", bound=Callable[..., Any])


def rows_of(ws: Workspace, kind: str, where: Mapping[str, Any] | None, *,
            order_by: Sequence[str] = ("id",), limit: int | None = None,
            fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """A list command's records; with ``fields`` (a table shows only its columns) at
    least those, read column-limited when the backend can (kam.storage.Selecting)."""
    from kam.storage import ColumnReads, RecordPages, Selecting, StoredTextPages

    storage = ws.storage
    if fields and isinstance(storage, Selecting):
        def records() -> Iterator[dict[str, Any]]:
            return storage.select(kind, list(fields), where, order_by, limit=limit)
    else:
        def records() -> Iterator[dict[str, Any]]:
            return storage.find(kind, where, order_by=order_by, limit=limit)
    if isinstance(storage, ColumnReads):  # csv and table take the columns as read
        reads = storage

        def pages() -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
            return reads.column_pages(kind, list(fields) if fields else None, where,
                                      order_by, limit)

        text_pages = None
        if isinstance(storage, StoredTextPages):  # csv writes stored json, dates as they are
            texts = storage

            def text_pages() -> Iterator[tuple[list[str], list[Sequence[Any]]]]:
                return texts.stored_text_pages(kind, list(fields) if fields else None,
                                               where, order_by, limit)

        csv_text = None
        if not fields:  # csv of every field: the lines the backend makes, if it can
            def csv_text() -> Iterator[str]:
                from kam.storage import ListCsvLines  # loads kam.fast_paths.lists: only here

                if isinstance(storage, ListCsvLines):
                    from kam.list_csv import csv_text as lines_text

                    return lines_text(storage, reads, kind, where, order_by, limit)
                from kam.list_csv import csv_text_reference

                return csv_text_reference(reads, kind, where, order_by, limit)

        return RecordPages(pages, records, text_pages, csv_text)
    return records()


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Build a model; a validation error becomes one line naming the field (exit 2)."""
    from pydantic import ValidationError

    _no_control_characters(data, "")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or model.__name__.lower()
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{where}: {msg}") from None


def drafted(data: dict[str, Any], fast: Callable[[dict[str, Any]], dict[str, Any] | None],
            model: Callable[[], type[BaseModel]]) -> dict[str, Any]:
    """``dump(validate(model(), data))``, answered by ``fast`` when it can: a check
    without pydantic that returns None whenever the model must decide (errors too)."""
    _no_control_characters(data, "")
    found = fast(data)
    return found if found is not None else dump(validate(model(), data))


def _no_control_characters(value: Any, where: str) -> None:
    """Text reaching a model (from the CLI, a plugin or a service) holds no control
    characters but TAB and LF (kam.text); refused naming the field (exit 2)."""
    if isinstance(value, str):
        check_text(value, where or "text")
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_control_characters(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            _no_control_characters(v, where)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


def parse_fields(ws: Workspace, kind: str, pairs: Iterable[str]) -> dict[str, Any]:
    """``--field key=value`` pairs, validated by the plugin that declared the field
    (:func:`kam.custom_fields.parse`); ``key=`` clears one."""
    from kam.custom_fields import parse

    return parse(ws, kind, pairs)


def merge_fields(current: dict[str, Any] | None, given: dict[str, Any]) -> dict[str, Any]:
    """A record's custom fields after an edit: given values replace, cleared ones go."""
    from kam.custom_fields import merge

    return merge(current, given)


def clean_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Drop options the user did not give (None), keep explicit empties."""
    return {k: v for k, v in changes.items() if v is not None}


def edit_payload(before: dict[str, Any], diff: dict[str, Any],
                 quiet: Iterable[str] = ("updated_at",)) -> dict[str, Any]:
    """The payload of an ``*.edited`` event: ``changes``, the sorted names of the fields
    that changed (scripts rely on it), and ``diff``, each field's ``{"old", "new"}``,
    JSON-safe (money as decimal strings, dates ISO). Bookkeeping fields (``quiet``:
    ``updated_at``, a contract's ``version``) are left out of both."""
    from kam.output import jsonable

    names = sorted(k for k in diff if k not in set(quiet))
    return {"changes": names,
            "diff": {k: {"old": jsonable(before.get(k)), "new": jsonable(diff[k])}
                     for k in names}}


#: how often ``atomic`` runs a service whose transaction the database gave up
ATTEMPTS = 5


@overload
def atomic(fn: F, /) -> F: ...
@overload
def atomic(*, loads: Sequence[str]) -> Callable[[F], F]: ...
def atomic(fn: F | None = None, /, *, loads: Sequence[str] | None = None) -> Any:
    """Run a mutating service under one write transaction (see ``Workspace.writing``):
    its reads, rule checks and writes see no concurrent change, and a refusal anywhere
    leaves nothing behind. A transaction the database gave up (``RetryableError``: a
    serialization failure or deadlock, nothing written) runs again from the start, up to
    ``ATTEMPTS`` times, each retry logged; an inner service leaves that to the outer.

    ``@atomic(loads=(...))``: the modules this change imports, loaded before the lock
    instead of every record model (``kam.workspace.WRITE_PATH``): for the everyday
    changes, whose start-up is most of their time."""
    if fn is None:
        return functools.partial(_atomic, loads=tuple(loads or ()))
    return _atomic(fn, loads=None)


def _atomic(fn: F, loads: tuple[str, ...] | None) -> F:
    @functools.wraps(fn)
    def wrapper(ws: Workspace, *args: Any, **kwargs: Any) -> Any:
        from kam.storage import RetryableError

        for attempt in range(1, ATTEMPTS + 1):
            try:
                with ws.writing(loads=loads):
                    return fn(ws, *args, **kwargs)
            except RetryableError as exc:
                if ws._depth or attempt == ATTEMPTS:
                    raise
                import logging
                import random
                import time

                logging.getLogger("kam").warning("kam: retrying %s (%d/%d): %s", fn.__name__,
                                                 attempt, ATTEMPTS - 1, exc)
                time.sleep(random.uniform(0, 0.05 * attempt))
        raise AssertionError("unreachable")

    return wrapper  # type: ignore[return-value]
