"""Durable event delivery: the outbox of event-hook calls, at least once per plugin.

When a change fires an event hook, one ``delivery`` record per implementing plugin is
written in the change's own transaction (so a kill after the commit loses nothing),
then each plugin is called after the commit. A delivery that raises stays ``pending``
with its error and a back-off (``[events] retry_after_s``, doubled per try); ``kam
check`` retries the due ones, ``kam events retry`` all of them at once; after
``[events] max_tries`` tries it is ``dead`` (``kam doctor``, ``kam plugins list``).

The arguments are stored as JSON with Decimal and dates tagged, so a retry hands the
plugin what the first call did. Bookkeeping, not business: deliveries have no events.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kam.errors import InputError, KamError

if TYPE_CHECKING:
    from kam.storage import Record
    from kam.workspace import Workspace

KIND = "outbox"
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
DEFAULT_MAX_TRIES = 5
DEFAULT_RETRY_AFTER_S = 60
MAX_BACKOFF_S = 86_400
#: how long a retry run holds the deliveries it took (another run skips them)
LEASE_S = 300


# --- the stored arguments -------------------------------------------------------------

#: values :func:`encode` and :func:`decode` give back as they are, by exact type (a
#: contract's ~100 values are mostly these: no call per leaf)
_LEAVES = frozenset({str, int, float, bool, type(None)})


def encode(value: Any) -> Any:
    """A hook argument as plain JSON; Decimal and dates keep their type through a tag."""
    if type(value) is dict:  # the common case first, its leaves kept without a call
        return {k if type(k) is str else str(k): v if type(v) in _LEAVES else encode(v)
                for k, v in value.items()}
    if type(value) is list:
        return [v if type(v) in _LEAVES else encode(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [encode(v) for v in value]
    return str(value)


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, list):
        return [v if type(v) in _LEAVES else decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, text), = value.items()
            if tag == "$decimal":
                return Decimal(text)
            if tag == "$datetime":
                return dt.datetime.fromisoformat(text)
            if tag == "$date":
                return dt.date.fromisoformat(text)
        return {k: v if type(v) in _LEAVES else decode(v) for k, v in value.items()}
    return value


class _NotPlain(Exception):
    """A tagged value that is not JSON's own text or number (a tag inside a tag)."""


_TAGGED: dict[str, Any] = {"$decimal": Decimal, "$datetime": dt.datetime.fromisoformat,
                           "$date": dt.date.fromisoformat}
#: a tag's value the parser's pass converts (what :func:`encode` writes is a text)
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _untag(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        (tag, text), = value.items()
        make = _TAGGED.get(tag)
        if make is not None:
            if type(text) not in _PLAIN:
                raise _NotPlain  # its inside was decoded already: :func:`decode` never is
            try:
                return make(text)
            except Exception as exc:  # the error :func:`decode` raises, from its own pass
                raise _NotPlain from exc
    return value


def decode_text(text: str) -> Any:
    """:func:`decode` of the value JSON ``text`` holds, in one pass of the parser (each
    object untagged as it is read); a tag holding a list or object, or one that cannot be
    converted, goes the long way, so the answer (or the error) is always
    ``decode(json.loads(text))``'s."""
    try:
        return json.loads(text, object_hook=_untag)
    except _NotPlain:
        return decode(json.loads(text))


def stored_args(value: Any) -> Any:
    """A delivery's arguments as stored: read as its JSON text (a ``StoredTextPages``
    read) or already parsed (``find``)."""
    if isinstance(value, str):
        return decode_text(value)
    return decode(value or {})


# --- settings ---------------------------------------------------------------------------

def _setting(ws: Workspace, key: str, default: int) -> int:
    raw = (ws.config.get("events") or {}).get(key, default)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise InputError(f"kam.toml events.{key}: {raw!r} must be a whole number of 1 or more")
    return raw


def max_tries(ws: Workspace) -> int:
    return _setting(ws, "max_tries", DEFAULT_MAX_TRIES)


def backoff_s(ws: Workspace, tries: int) -> int:
    """Seconds before the next try after ``tries`` failed ones: doubling, capped at a day."""
    base = _setting(ws, "retry_after_s", DEFAULT_RETRY_AFTER_S)
    return int(min(base * 2 ** max(tries - 1, 0), MAX_BACKOFF_S))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _at(moment: dt.datetime) -> str:
    """A stored timestamp (datetime fields are ISO text, comparable as text in UTC)."""
    return moment.isoformat()


# --- writing and delivering -------------------------------------------------------------

def enqueue(ws: Workspace, hook: str, kwargs: dict[str, Any]) -> list[Record]:
    """One pending delivery per plugin implementing ``hook``; the caller holds the write
    transaction of the change that fired it. No implementation: nothing is written."""
    plugins = ws.plugins.implementers(hook)
    if not plugins:
        return []
    now = _at(_now())
    event_id = (kwargs.get("event") or {}).get("id")
    args = encode(kwargs)
    rows = []
    for plugin in plugins:
        row = {"id": ws.storage.next_id(KIND), "hook": hook, "plugin": plugin,
               "event_id": event_id, "args": args, "status": PENDING, "tries": 0,
               "error": None, "next_at": now, "created_at": now, "updated_at": now}
        ws.storage.insert(KIND, row)
        rows.append(row)
    return rows


def enqueue_many(ws: Workspace, calls: Sequence[tuple[str, dict[str, Any]]]
                 ) -> list[Record]:
    """:func:`enqueue` for each ``(hook, kwargs)`` in order: the same rows, ids and
    arguments, the ids taken in one step of the sequence (``IdBlocks``) and the rows
    written in one statement (``BulkInsert``) when the backend has them."""
    from kam.storage import BulkInsert, IdBlocks

    storage = ws.storage
    implementers: dict[str, list[str]] = {}
    now = _at(_now())
    rows: list[Record] = []
    for hook, kwargs in calls:
        plugins = implementers.get(hook)
        if plugins is None:
            plugins = implementers[hook] = list(ws.plugins.implementers(hook))
        if not plugins:
            continue
        event_id = (kwargs.get("event") or {}).get("id")
        args = encode(kwargs)
        rows.extend({"id": None, "hook": hook, "plugin": plugin, "event_id": event_id,
                     "args": args, "status": PENDING, "tries": 0, "error": None,
                     "next_at": now, "created_at": now, "updated_at": now}
                    for plugin in plugins)
    if not rows:
        return rows
    if isinstance(storage, IdBlocks) and isinstance(storage, BulkInsert):
        for row, record_id in zip(rows, storage.next_ids(KIND, len(rows)), strict=True):
            row["id"] = record_id
        storage.insert_many(KIND, rows)
        return rows
    for row in rows:
        row["id"] = storage.next_id(KIND)
        storage.insert(KIND, row)
    return rows


def record_outcomes(ws: Workspace, changes: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Each delivery's change, in order: in one statement per run of alike changes
    (``UpdateMany``) when the backend has it, else one ``update`` each."""
    from kam.storage import UpdateMany

    storage = ws.storage
    if isinstance(storage, UpdateMany):
        storage.update_many(KIND, changes)
        return
    for record_id, change in changes:
        storage.update(KIND, record_id, change)


def deliver(ws: Workspace, rows: list[Record], kwargs: dict[str, Any] | None = None
            ) -> list[str]:
    """Call each delivery's plugin, then record every outcome in one transaction.
    ``kwargs``: the live arguments of a first delivery (else the stored ones).
    Returns one warning per failure, saying what happens next."""
    if not rows:
        return []
    limit = max_tries(ws)
    warnings: list[str] = []
    changes: list[tuple[str, dict[str, Any]]] = []
    for row in rows:
        if row["plugin"] not in ws.plugins.infos:
            continue  # not loaded here: stays pending, no try counted
        args = kwargs if kwargs is not None else stored_args(row.get("args"))
        error = ws.plugins.deliver(row["hook"], row["plugin"], ws=ws, **args)
        now = _now()
        if error is None:
            changes.append((row["id"], {"status": DELIVERED, "error": None,
                                        "tries": (row.get("tries") or 0) + 1,
                                        "updated_at": _at(now)}))
            continue
        tries = (row.get("tries") or 0) + 1
        dead = tries >= limit
        wait = backoff_s(ws, tries)
        changes.append((row["id"], {
            "status": DEAD if dead else PENDING, "tries": tries, "error": error,
            "next_at": _at(now + dt.timedelta(seconds=wait)), "updated_at": _at(now)}))
        then = (f"dead after {tries} tries (kam events retry --dead)" if dead
                else f"kept as {row['id']}, retried by kam check or kam events retry")
        warnings.append(f"{error} ({then})")
    if changes:
        try:
            with ws.storage.transaction():
                record_outcomes(ws, changes)
        except KamError as exc:  # the change itself is committed: never fail it now
            warnings.append(f"event deliveries could not be recorded ({exc}); they stay "
                            "pending and may be delivered again")
    return warnings


def retry(ws: Workspace, *, due_only: bool = True, dead: bool = False) -> dict[str, Any]:
    """Deliver again: the pending deliveries whose back-off has passed (``due_only``) or
    all of them, and the dead ones too with ``dead``. The deliveries taken are leased
    first, so a concurrent run does not deliver them twice."""
    now = _at(_now())
    statuses = [PENDING, DEAD] if dead else [PENDING]
    with ws.storage.transaction():
        rows = [r for r in ws.storage.find(KIND, {"status__in": statuses})
                if r["plugin"] in ws.plugins.infos
                and (not due_only or r["status"] != PENDING or r["next_at"] is None
                     or r["next_at"] <= now)]
        lease = _at(_now() + dt.timedelta(seconds=LEASE_S))
        for r in rows:
            if r["status"] == DEAD:
                r["tries"] = 0  # revived: a fresh count of tries
        record_outcomes(ws, [(r["id"], {"next_at": lease, "tries": r["tries"]})
                             for r in rows])
    warnings = deliver(ws, rows)
    ws.warnings.extend(warnings)
    left = counts(ws)
    return {"tried": len(rows), "failed": len(warnings),
            "delivered": len(rows) - len(warnings),
            "pending": sum(c["pending"] for c in left.values()),
            "dead": sum(c["dead"] for c in left.values())}


def counts(ws: Workspace) -> dict[str, dict[str, int]]:
    """Pending and dead deliveries per plugin."""
    out: dict[str, dict[str, int]] = {}
    for r in ws.storage.find(KIND, {"status__in": [PENDING, DEAD]}, order_by=()):
        per = out.setdefault(r["plugin"], {"pending": 0, "dead": 0})
        per[r["status"]] += 1
    return out


def listing(ws: Workspace, status: str | None = None) -> list[Record]:
    """The deliveries (``status``: pending, delivered or dead), oldest first."""
    if status is not None and status not in (PENDING, DELIVERED, DEAD):
        raise InputError(f"--status: {status!r} is not one of pending, delivered, dead")
    where = {"status": status} if status else {"status__in": [PENDING, DEAD]}
    return ws.find(KIND, where)
