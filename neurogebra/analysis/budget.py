"""A time budget for symbolic work: SymPy cannot be interrupted from outside, so an alarm interrupts it."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class BudgetExceeded(Exception):
    """The statement's symbolic work ran past its time budget."""


class Cancelled(Exception):
    """A newer version of the document made this analysis pointless."""


def _alarm(signum, frame):
    raise BudgetExceeded()


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded in the block after `seconds`. Enforced on a process's main thread (where the
    language server's workers and `neurogebra check` run analysis); elsewhere the block runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
