"""Time budgets interrupt symbolic work, nest, and leave nothing behind."""
from __future__ import annotations

import gc
import signal
import sys
import time

import pytest

from neurogebra.analysis import budget
from neurogebra.analysis.budget import BudgetExceeded, interruptions, time_budget, within


def spin(seconds: float) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def test_a_budget_interrupts_a_busy_block():
    with pytest.raises(BudgetExceeded):
        with time_budget(0.05):
            spin(5)


def test_an_inner_extra_falls_back_and_the_outer_block_goes_on():
    with time_budget(2):
        assert within(0.05, lambda: spin(5), "fallback") == "fallback"
        assert within(1, lambda: spin(0.01), "fallback") == "done"
        assert spin(0.1) == "done"


def test_when_the_outer_budget_runs_out_inside_an_extra_the_outer_block_is_interrupted():
    with pytest.raises(BudgetExceeded):
        with time_budget(0.1):
            within(10, lambda: spin(5), "fallback")
            spin(5)


def test_budgets_leave_no_alarm_behind():
    with time_budget(0.05):
        pass
    assert spin(0.2) == "done"


def test_an_alarm_the_work_swallows_is_raised_again():
    def swallows_the_first_alarm():
        try:
            spin(3)
        except BudgetExceeded:
            pass  # as a library's `except Exception` would
        spin(3)

    with pytest.raises(BudgetExceeded):
        with time_budget(0.05):
            swallows_the_first_alarm()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_alarm_after_its_budget_ended_does_nothing():
    assert budget._alarm(signal.SIGALRM, None) is None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_alarm_during_a_gc_callback_waits_for_the_work_instead_of_being_discarded(monkeypatch):
    discarded = []
    monkeypatch.setattr(sys, "unraisablehook", discarded.append)

    def slow_callback(phase, info):
        if phase == "start":
            spin(0.2)

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(BudgetExceeded):
            with time_budget(0.05):
                gc.collect()  # the alarm comes while slow_callback runs
                spin(3)
    finally:
        gc.callbacks.remove(slow_callback)
    assert discarded == []


def test_every_interruption_is_counted_and_work_that_finishes_is_not():
    before = interruptions()
    with time_budget(60):
        assert within(60, lambda: spin(0.01), "fallback") == "done"
    assert interruptions() == before
    assert within(0.05, lambda: spin(5), "fallback") == "fallback"
    assert interruptions() > before
    counted = interruptions()
    with pytest.raises(BudgetExceeded):
        with time_budget(0.05):
            spin(5)
    assert interruptions() > counted
