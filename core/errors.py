"""Errors users can cause, each tied to one of kam's exit codes (README.md, "Exit codes").

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kam.findings import Finding


class KamError(Exception):
    exit_code = 70


class RefusedError(KamError):
    """A rule refused the change (stage gate, review, approval missing)."""

    exit_code = 1

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


class InputError(KamError):
    """Bad input: usage, validation, unknown enum value, malformed file."""

    exit_code = 2


class NotFoundError(KamError):
    exit_code = 3


class StorageError(KamError):
    """Locked past the timeout, unavailable, corrupt, conflict."""

    exit_code = 4
