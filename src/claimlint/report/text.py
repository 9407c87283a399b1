"""Human-readable output: ``path:line:col: CODE message`` plus indented detail lines.

The first line of every finding keeps the compiler-style shape editors and ``grep`` parse, so
nothing is ever wrapped and embedded line breaks are flattened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TextIO

import click

from claimlint.findings import LintResult
from claimlint.rules.base import RuleMeta

SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def grade_words(grade: str) -> str:
    """"none" -> "no evidence", "very_low" -> "very low evidence"."""
    return "no evidence" if grade == "none" else f"{grade.replace('_', ' ')} evidence"


def one_line(value: str) -> str:
    """``value`` with its line breaks (and the space around them) turned into one space."""
    return _LINE_BREAKS.sub(" ", value).strip()


def format_reference(ref: Mapping[str, Any]) -> str:
    """``citation (PMID n; doi:...)``; the URL only stands in when there is no PMID or DOI."""
    ids = []
    if ref.get("pmid"):
        ids.append(f"PMID {ref['pmid']}")
    if ref.get("doi"):
        ids.append(f"doi:{ref['doi']}")
    if not ids and ref.get("url"):
        ids.append(str(ref["url"]))
    citation = one_line(str(ref["citation"]))
    return f"{citation} ({'; '.join(ids)})" if ids else citation


def detail_lines(record: Mapping[str, Any]) -> list[str]:
    """The indented lines under a finding, only for the parts it has."""
    lines = []
    evidence = record.get("evidence")
    if evidence:
        lines.append(
            f"  evidence: {grade_words(evidence['grade'])} ({evidence['confidence']} confidence): "
            f"{one_line(evidence['summary'])}"
        )
        lines.extend(f"  references: {format_reference(r)}" for r in evidence["references"])
    if record.get("suggestion"):
        lines.append(f"  suggestion: {one_line(record['suggestion'])}")
    if record.get("registry_id"):
        lines.append(f"  registry: {record['registry_id']}")
    return lines


def fixable(record: Mapping[str, Any], unsafe: bool = False) -> bool:
    """Whether ``check --fix`` (with ``--unsafe-fixes`` when ``unsafe``) would fix it."""
    fix = record.get("fix")
    return fix is not None and (bool(fix["safe"]) or unsafe)


def format_finding(record: Mapping[str, Any], *, color: bool = False,
                   unsafe: bool = False) -> list[str]:
    code = str(record["rule"])
    if color:
        code = click.style(code, fg=SEVERITY_COLORS.get(record["severity"]), bold=True)
    # "[*]" marks what --fix would fix, as ruff marks it.
    mark = "[*] " if fixable(record, unsafe) else ""
    head = (
        f"{record['path']}:{record['line']}:{record['column']}: "
        f"{code} {mark}{one_line(record['message'])}"
    )
    return [head, *detail_lines(record)]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(result: LintResult) -> str:
    if not result.findings:
        return f"All checked ({plural(len(result.files), 'file')}): no problems found."
    counts = result.counts()
    paths = {f.path for f in result.findings}
    # "info" is a mass noun: no plural form.
    return (
        f"Found {plural(len(result.findings), 'problem')} "
        f"({plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info) in {plural(len(paths), 'file')}."
    )


def fix_hint(result: LintResult) -> str | None:
    """``[*] 2 fixable with --fix (1 more with --unsafe-fixes).``, as ruff ends its report; None
    when no finding has a fix."""
    unsafe = result.unsafe_fixes
    fixes = [f.fix for f in result.findings if f.fix is not None]
    now = sum(1 for fix in fixes if fix.applicable(unsafe))
    hidden = sum(1 for fix in fixes if not fix.applicable(unsafe))
    if not now and not hidden:
        return None
    if not now:
        return f"No fixes available with --fix ({hidden} fixable with --unsafe-fixes)."
    flag = "--fix --unsafe-fixes" if unsafe else "--fix"
    more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
    return f"[*] {now} fixable with {flag}{more}."


def format_result(result: LintResult, *, color: bool = False) -> str:
    lines = [line for f in result.findings
             for line in format_finding(f.to_record(), color=color, unsafe=result.unsafe_fixes)]
    if lines:
        lines.append("")  # a blank line sets the summary apart, as ruff does
    lines.append(summary_line(result))
    hint = fix_hint(result)
    if hint:
        lines.append(hint)
    return "\n".join(lines) + "\n"


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    stream.write(format_result(result, color=color))
