"""A progress bar on stderr for long runs, fed by the engine's progress callback.

Shown only when it helps and cannot hurt: on a terminal (a bar in a CI log or a pipe is noise),
and for runs of at least ``MIN_FILES`` files (short runs finish before a bar means anything).
The report goes to stdout, so the bar never mixes into it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, TextIO

import click

__all__ = ["MIN_FILES", "ProgressBar"]

MIN_FILES = 20


class ProgressBar:
    """A callable for ``Linter.lint_paths(progress=...)``; use it as a context manager so the
    bar's line is finished before anything else is written to the terminal."""

    def __init__(self, stream: TextIO, *, min_files: int = MIN_FILES, label: str = "claimlint",
                 enabled: bool | None = None) -> None:
        self.stream = stream
        self.min_files = min_files
        self.label = label
        # None: decide from the stream, as every terminal-aware tool does.
        self.enabled = _isatty(stream) if enabled is None else enabled
        self._bar: Any = None  # click's ProgressBar; created once the total is known
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.min_files:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=self.stream,
                                          show_pos=True, show_eta=True)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or non-file stream
        return False
