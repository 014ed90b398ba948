"""Taking the CSV folder's write lock (``flock``) fairly, within a timeout.

Polling with a non-blocking ``flock`` and growing sleeps starves writers: a process
that commits and at once starts its next change re-takes the lock before any sleeper
wakes up (8 writers × 100 changes: five waited past 15 s). A blocking ``flock`` is
woken by the kernel the moment the lock is released, so waiters take turns; the
timeout is a SIGALRM timer, which only the main thread may set, so other threads
keep polling (with short sleeps).
"""

from __future__ import annotations

import fcntl
import signal
import threading
import time
from typing import Any


class _TimedOut(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TimedOut


def take(fd: int, timeout: float) -> bool:
    """Lock ``fd`` exclusively; False when ``timeout`` seconds passed first."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    if timeout > 0 and threading.current_thread() is threading.main_thread():
        return _blocking(fd, timeout)
    return _polling(fd, timeout)


def _blocking(fd: int, timeout: float) -> bool:
    previous = signal.signal(signal.SIGALRM, _alarm)
    remaining = signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return True
    except _TimedOut:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining[0]:  # someone else's timer was running: give back what is left
            signal.setitimer(signal.ITIMER_REAL, max(remaining[0] - timeout, 0.001))


def _polling(fd: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.002)
