"""kam.collector: each phase's setting is put back however the phase ends."""

from __future__ import annotations

import gc

import pytest
from kam import collector


def test_a_load_pauses_the_collector_and_switches_it_back_on_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError("the load failed")
    assert gc.isenabled()


def test_a_load_inside_a_paused_phase_leaves_the_collector_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_started_switches_collection_back_on_only_when_start_up_paused_it() -> None:
    collector.paused_for_start_up()
    try:
        collector.started()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
    collector.started()  # not paused: nothing frozen, nothing changed
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_report_raises_the_young_threshold_and_puts_it_back() -> None:
    before = gc.get_threshold()
    with pytest.raises(KeyError), collector.CollectedRarely():
        assert gc.get_threshold() == (collector.REPORT_GC_THRESHOLD, *before[1:])
        raise KeyError("x")
    assert gc.get_threshold() == before
