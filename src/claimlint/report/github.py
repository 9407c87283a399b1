"""GitHub Actions workflow commands, which the runner turns into inline annotations.

Format: ``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::MESSAGE``; see
https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from claimlint.findings import LintResult
from claimlint.rules.base import RuleMeta

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    # "%" first, or the escapes added for the other characters would be escaped again.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    # ":" and "," delimit properties, so a path such as C:\x,y would otherwise split.
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(record: Mapping[str, Any]) -> str:
    title = f"{record['rule']} ({record['name']})" if record["name"] else str(record["rule"])
    props = {
        "file": str(record["path"]),
        "line": str(record["line"]),
        "col": str(record["column"]),
        "endLine": str(record["end_line"]),
        "endColumn": str(record["end_column"]),
        "title": title,
    }
    message = str(record["message"])
    if record.get("suggestion"):
        message += f" — Suggestion: {record['suggestion']}"
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{COMMANDS[record['severity']]} {joined}::{escape_data(message)}"


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    for finding in result.findings:
        stream.write(annotation(finding.to_record()) + "\n")
