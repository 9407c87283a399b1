"""A time limit on one piece of work (``max-file-seconds``): SIGALRM in the main thread.

The limit interrupts Python code wherever it is, which a cooperative check could not: a
reader or the NLP pipeline stuck on hostile input never returns to a check. It needs
``signal.setitimer`` (POSIX) and the main thread of its process (the CLI, and the worker
processes of ``--jobs``); elsewhere the work runs without a limit. An alarm some other code
has already set is left alone, and the work then runs without a limit too.

C code that never returns to the interpreter (one huge regular-expression match) is only
interrupted when it does; registry patterns are checked for that when they are loaded.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["TimeLimitExceeded", "available", "time_limit"]

# After the limit, the alarm rings again this often until the work has stopped: an exception
# raised where Python cannot propagate it (a garbage-collector callback, a __del__ method)
# is only reported as unraisable, and the work would otherwise run on unbounded.
_AGAIN = 0.1


class TimeLimitExceeded(BaseException):
    """The time limit ran out. A BaseException, like KeyboardInterrupt, so that no ``except
    Exception`` between the alarm and the caller can swallow it and run on unbounded."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def available() -> bool:
    """Whether a limit can be enforced here (POSIX, main thread, no other alarm running)."""
    return (hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the body once ``seconds`` have passed (None or 0: no limit)."""
    if not seconds or seconds <= 0 or not available():
        yield
        return
    armed = True

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, _AGAIN)
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        while True:  # an alarm ringing during the clean-up must not cut it short
            try:
                armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except TimeLimitExceeded:
                continue


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends; they are delivered right after it.

    A write that creates a temporary file and renames it must not be split by an interrupt
    between the two steps, or the temporary file is left behind with nobody to remove it.
    """
    # A mask on this thread alone is not enough: the kernel may hand a process-wide signal to
    # another thread (a process pool's manager), and Python then runs the handler here anyway.
    # In the main thread the handlers themselves are swapped for ones that only take note.
    held: list[int] = []
    handlers: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for which in (signal.SIGINT, signal.SIGTERM):
            handlers[which] = signal.signal(which, lambda number, _frame: held.append(number))
    masked = hasattr(signal, "pthread_sigmask")  # Windows: no signal masks
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) \
        if masked else set()
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for which, handler in handlers.items():
            signal.signal(which, signal.SIG_DFL if handler is None else handler)
        for number in held[:1]:
            signal.raise_signal(number)
