"""A time budget for symbolic work: SymPy cannot be interrupted from outside, so an alarm interrupts it.
Budgets nest: an inner one (for an optional extra) never outlives the outer one (the statement's)."""
from __future__ import annotations

import gc
import signal
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


class BudgetExceeded(Exception):
    """The symbolic work ran past its time budget."""


class Cancelled(Exception):
    """A newer version of the document made this analysis pointless."""


_deadlines: list[float] = []  # monotonic deadlines of the open budgets, innermost last; the alarm is the last's
RETRY_S = 0.05  # after an alarm, the next one, in case the work swallowed it (a library's `except Exception`)
_interruptions = 0  # how many times a budget has interrupted work in this process


def interruptions() -> int:
    """A count that grows whenever a budget interrupts work (an extra's fallback and a swallowed alarm included):
    when it changed across a piece of work, the clock cut some of it short, so its result depends on the load."""
    return _interruptions


def _alarm(signum, frame):
    global _interruptions
    if not _deadlines or time.monotonic() < _deadlines[-1]:
        _arm()  # early, or the budget it was set for has ended
        return
    signal.setitimer(signal.ITIMER_REAL, RETRY_S)
    if not _inside_gc_callback(frame):  # Python discards what a gc callback raises: the next alarm will do
        _interruptions += 1
        raise BudgetExceeded()


def _inside_gc_callback(frame) -> bool:
    codes = {getattr(callback, "__code__", None) for callback in gc.callbacks}
    while frame is not None and codes:
        if frame.f_code in codes:
            return True
        frame = frame.f_back
    return False


def _arm() -> None:
    remaining = _deadlines[-1] - time.monotonic() if _deadlines else 0.0
    signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-4) if _deadlines else 0.0)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded in the block after `seconds` (or when an enclosing budget runs out). Enforced on a
    process's main thread (where the server's workers and `neurogebra check` run analysis); elsewhere unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    depth = len(_deadlines)
    if not depth:
        signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + seconds
    _deadlines.append(min(deadline, _deadlines[-1]) if depth else deadline)
    _arm()
    try:
        yield
    finally:
        del _deadlines[depth:]  # by depth, not pop(): an alarm landing in an inner finally leaves nothing stale
        _arm()


def within(seconds: float, compute: Callable[[], T], fallback: T) -> T:
    """compute() if it finishes within `seconds`, else `fallback`: for optional extras. When the enclosing budget
    is what ran out, its own block is interrupted as usual."""
    try:
        with time_budget(seconds):
            return compute()
    except BudgetExceeded:
        if _deadlines and _deadlines[-1] <= time.monotonic():
            raise
        return fallback
