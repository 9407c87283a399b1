"""``--statistics``: how many findings each rule raised, instead of the findings themselves.

Like ``ruff --statistics``, it answers "where do we stand?" on a site with many findings (which
rules dominate, what a baseline or an ``ignore`` would cover). Not a format of its own: it
replaces the per-finding report, as text or, with ``--format json``, as a JSON list.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any, TextIO

from claimlint.findings import Finding

__all__ = ["rule_counts", "write_statistics"]


def rule_counts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """One record per rule that fired: code, name, severity, count; most frequent first."""
    counts: Counter[tuple[str, str, str]] = Counter(
        (f.rule, f.name, str(f.severity)) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"code": code, "name": name, "severity": severity, "count": count}
            for (code, name, severity), count in ordered]


def write_statistics(findings: Iterable[Finding], stream: TextIO, *, fmt: str = "text") -> None:
    """Write the per-rule counts to ``stream``: aligned columns, or JSON when ``fmt`` is json.

    No findings, no lines (as ruff), so a clean run prints nothing in text form.
    """
    rows = rule_counts(findings)
    if fmt == "json":
        stream.write(json.dumps(rows, indent=2) + "\n")
        return
    width = max((len(str(r["count"])) for r in rows), default=1)
    name_width = max((len(r["name"]) for r in rows), default=1)
    for r in rows:
        stream.write(f"{r['count']:>{width}}  {r['code']:<5}  {r['name']:<{name_width}}  "
                     f"{r['severity']}\n")
