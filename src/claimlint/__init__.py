"""claimlint: lint medical claims in clinic copy against an evidence registry.

Library API::

    from claimlint import lint_paths, lint_text
    result = lint_paths(["posts/"])          # LintResult with .findings
    findings = lint_text("Ketamine is extremely safe.")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from claimlint.findings import Finding, LintResult


def lint_paths(paths: Sequence[str], start_dir: str | None = None) -> LintResult:
    """Lint files and folders with the configuration found from ``start_dir`` (default cwd)."""
    from claimlint.config import load_settings
    from claimlint.engine import Linter

    settings = load_settings(Path(start_dir or "."))
    return Linter(settings).lint_paths(paths)


def lint_text(text: str, kind: str = "text", path: str = "<text>") -> list[Finding]:
    """Lint one piece of copy (``kind`` is "text", "markdown" or "html")."""
    from claimlint.config import load_settings
    from claimlint.engine import Linter

    return Linter(load_settings(Path("."))).lint_text(text, path, kind)


__all__ = ["__version__", "lint_paths", "lint_text"]
