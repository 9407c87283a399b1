"""Shared pieces of the robustness tests: a tally of inputs tried, crashes and hangs that is
printed at the end of the run, and helpers that feed one input and keep the score.

A *crash* is any exception other than the error a bad input is meant to raise
(DocumentError); a *hang* is an input that took longer than HANG_SECONDS. Either also fails
the test that met it. ``.venv/bin/pytest tests/robustness -q`` prints the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

T = TypeVar("T")

# No single input may take longer than this (the largest ones take a few seconds).
HANG_SECONDS = 20.0

# Deterministic, bounded property runs: the same examples on every machine and in CI.
settings.register_profile(
    "robustness", max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture])


@dataclass
class Tally:
    inputs: int = 0
    crashes: int = 0
    hangs: int = 0


TALLY = Tally()


@contextmanager
def one_input(count: int = 1, limit: float = HANG_SECONDS) -> Iterator[None]:
    """Count ``count`` inputs fed by the body; an exception is a crash, a slow body a hang.
    Tests that expect an exception catch it inside the body."""
    TALLY.inputs += count
    started = time.monotonic()
    try:
        yield
    except Exception:
        TALLY.crashes += 1
        raise
    elapsed = time.monotonic() - started
    if elapsed > limit:
        TALLY.hangs += 1
        pytest.fail(f"input took {elapsed:.1f} s (limit {limit:g} s)")


def feed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``fn`` on one input inside ``one_input``."""
    with one_input():
        return fn(*args, **kwargs)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY.inputs:
        terminalreporter.write_line(
            f"robustness: {TALLY.inputs} inputs tried, {TALLY.crashes} crashes, "
            f"{TALLY.hangs} hangs")
