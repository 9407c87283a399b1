"""Reporters: one module per output format, picked from one explicit table.

Every reporter has the same keyword signature (see ``Reporter``) so ``render`` can call any
of them without an if/elif chain; a reporter simply ignores what its format has no use for.
Reporters read findings only through ``Finding.to_record()``, the single serialization point.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol, TextIO

from claimlint import __version__
from claimlint.findings import LintResult
from claimlint.report import github, gitlab, junit, sarif, text
from claimlint.report import html as html_report
from claimlint.report import json as json_report
from claimlint.rules.base import RuleMeta


class Reporter(Protocol):
    def __call__(
        self,
        result: LintResult,
        stream: TextIO,
        *,
        rules: Mapping[str, RuleMeta],
        color: bool,
        tool_version: str,
    ) -> None: ...


REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_report.report,
    "sarif": sarif.report,
    "github": github.report,
    "junit": junit.report,
    "gitlab": gitlab.report,
    "html": html_report.report,
}

# "auto" is not a reporter of its own: resolve_format turns it into one of the above.
FORMATS: tuple[str, ...] = (*REPORTERS, "auto")


def resolve_format(fmt: str, env: Mapping[str, str]) -> str:
    """The concrete format for ``fmt``; "auto" means annotations under GitHub Actions."""
    if fmt == "auto":
        # GitHub sets GITHUB_ACTIONS=true in every Actions job (yamllint uses the same test).
        return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt not in REPORTERS:
        raise ValueError(f"unknown output format {fmt!r} (use one of: {', '.join(FORMATS)})")
    return fmt


def render(
    result: LintResult,
    fmt: str,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool = False,
    tool_version: str = "",
) -> None:
    """Write ``result`` to ``stream`` in format ``fmt`` (one of FORMATS).

    ``rules`` maps rule codes to their metadata (SARIF describes every rule from it).
    ``tool_version`` defaults to this package's version.
    """
    reporter = REPORTERS[resolve_format(fmt, os.environ)]
    reporter(result, stream, rules=rules, color=color, tool_version=tool_version or __version__)
