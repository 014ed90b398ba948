"""psycopg's errors as kam's: one line and the exit code of README.md, never a traceback."""

from __future__ import annotations

import psycopg
from kam.errors import KamError, RefusedError, StorageError
from kam.storage import ConflictError, RetryableError
from psycopg import errors as pg


def lost(exc: BaseException, committing: bool = False) -> StorageError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if committing:
        return StorageError(f"lost the connection to the database while committing ({first}):"
                            " the change may or may not be recorded; check with kam history")
    return StorageError(f"lost the connection to the database ({first}): nothing of this "
                        "change was written")


def translate(exc: psycopg.Error, committing: bool = False) -> KamError:
    """The kam error for a database error (its first line, which names the cause)."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, pg.SerializationFailure | pg.DeadlockDetected):
        return RetryableError(f"a concurrent change got in the way ({text}); nothing was "
                              "written: run the command again")
    if isinstance(exc, pg.LockNotAvailable | pg.QueryCanceled):
        return StorageError("the workspace database is locked by another kam process "
                            f"past the lock timeout ({text})")
    if isinstance(exc, pg.InsufficientPrivilege):
        return RefusedError(f"refused by the database: {text}")
    if isinstance(exc, psycopg.IntegrityError):
        return ConflictError(f"storage conflict: {text}")
    state = exc.sqlstate or ""
    if isinstance(exc, psycopg.InterfaceError) or (
            isinstance(exc, psycopg.OperationalError)
            and (not state or state.startswith(("08", "57P")))):
        return lost(exc, committing)  # no SQLSTATE: the connection itself broke
    return StorageError(f"storage error: {text}")
