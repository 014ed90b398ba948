"""When Python's cyclic garbage collector runs during a kam command: one policy, here.

kam makes no reference cycles on its hot paths: rows, cells, texts and batches are freed
by their reference counts. The collector's young generation still walks every container
made since the last walk, every 700 net new ones by default, so it cost measurable time
while finding nothing: ~10 ms of start-up, 7–9 % of a big team's battle map, ~1.6 % of a
medium import (benchmarks/NOTES.md has the measurements). Three phases, three settings:

- start-up (:func:`paused_for_start_up`, then :func:`started`): the ~100k objects made
  while kam, typer and the plugins load all live to the end; they are frozen out of the
  collector's sight and collection comes back on before the command runs;
- a report built and written (:class:`CollectedRarely`): young collections only past
  :data:`REPORT_GC_THRESHOLD` net new objects, so pages made and dropped never trigger
  one and anything that does pile up is still collected;
- a bulk load (:func:`paused`): off for the load, back on however it ends.

``gc`` is a built-in module: importing it here costs nothing on the start-up path.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: net new container objects between two young collections while a report is built and
#: written (Python's default: 700)
REPORT_GC_THRESHOLD = 50_000


def paused_for_start_up() -> None:
    """Collection off while kam starts (:func:`started` switches it back on)."""
    gc.disable()


def started() -> None:
    """The command is about to run: what start-up made (kept to the end) is moved out of
    the collector's sight (``gc.freeze``) and collection, paused by
    :func:`paused_for_start_up`, is switched back on. A no-op when it was not paused."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class CollectedRarely:
    """``with CollectedRarely():`` collect garbage only past :data:`REPORT_GC_THRESHOLD`
    net new objects while a report is built and written. A report streams pages of
    short-lived rows, cells and texts: at Python's 700 the collector ran ~1,000 times
    on a big team's battle map and found nothing (0.3–0.45 s, 7–9 % of its table; the
    peak RSS the same with it off). The count is net of the objects freed, so a page
    made and dropped never reaches it. The thresholds are put back after."""

    def __enter__(self) -> None:
        self.before = gc.get_threshold()
        gc.set_threshold(max(self.before[0], REPORT_GC_THRESHOLD), *self.before[1:])

    def __exit__(self, *_exc: object) -> None:
        gc.set_threshold(*self.before)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for a bulk load: every batch makes ~10k rows, lists and tuples
    (freed by their reference counts; a load makes no cycles), and each few hundred of
    them started a young collection that walked them all. Switched back on however the
    load ends; a no-op when it was already off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
