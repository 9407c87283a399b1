"""The claimlint error hierarchy. Every error can say where it comes from."""

from __future__ import annotations


class ClaimlintError(Exception):
    """Base class. ``where`` is a human-readable location such as ``path:line:col``."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None, pointer: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.pointer = pointer

    @property
    def where(self) -> str:
        parts = [self.path or "<unknown>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        at = f" (at {self.pointer})" if self.pointer else ""
        return f"{self.where}: {self.message}{at}"


class ConfigError(ClaimlintError):
    code = "E100"


class RegistryError(ClaimlintError):
    code = "E200"


class DocumentError(ClaimlintError):
    """A file that cannot be read or decoded. Only that file is skipped."""

    code = "E300"


class UsageError(ClaimlintError):
    code = "E400"
