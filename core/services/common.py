"""Helpers every service uses: validation, custom fields, record stamps."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from kam.errors import InputError
from kam.workspace import Workspace

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
F = TypeVar("F", bound=Callable[..., Any])


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Build a model; a validation error becomes one line naming the field (exit 2)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or model.__name__.lower()
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{where}: {msg}") from None


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


def parse_fields(ws: Workspace, kind: str, pairs: Iterable[str]) -> dict[str, Any]:
    """``--field key=value`` pairs, validated by the plugin that declared the field.

    Undeclared keys are kept as text, so a team can start before writing a plugin.
    """
    declared = ws.plugins.fields().items
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key or not key.replace("_", "").replace("-", "").isalnum():
            raise InputError(f"--field: {pair!r} must look like key=value")
        spec = declared.get(f"{kind}.{key}")
        if spec is None:
            out[key] = text
            continue
        parse = spec[0] if isinstance(spec, tuple) else spec
        try:
            out[key] = parse(text)
        except (ValueError, TypeError) as exc:
            raise InputError(f"--field {key}: {exc}") from None
    return out


def clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
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


def atomic(fn: F) -> F:
    """Run a mutating service under one write transaction (see ``Workspace.writing``):
    its reads, rule checks and writes see no concurrent change, and a refusal anywhere
    leaves nothing behind. A transaction the database gave up (``RetryableError``: a
    serialization failure or deadlock, nothing written) runs again from the start, up to
    ``ATTEMPTS`` times, each retry logged; an inner service leaves that to the outer."""

    @functools.wraps(fn)
    def wrapper(ws: Workspace, *args: Any, **kwargs: Any) -> Any:
        from kam.storage import RetryableError

        for attempt in range(1, ATTEMPTS + 1):
            try:
                with ws.writing():
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
