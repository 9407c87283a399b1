"""Machine-readable output: a versioned envelope around the finding records.

Bump ``FORMAT_VERSION`` whenever a key is removed or changes meaning; adding keys is allowed.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any, TextIO

from claimlint.findings import LintResult
from claimlint.rules.base import RuleMeta

FORMAT_VERSION = 1
# A finding record sits two levels deep (envelope -> "findings" list), at indent=2.
_ITEM_INDENT = "    "


def build(result: LintResult, tool_version: str) -> dict[str, Any]:
    return {**_envelope(result, tool_version),
            "findings": [f.to_record() for f in result.findings]}


def _envelope(result: LintResult, tool_version: str) -> dict[str, Any]:
    counts = result.counts()
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": "claimlint", "version": tool_version},
        "summary": {
            "files": len(result.files),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "failed_paths": list(result.failed_paths),
        },
    }


def dumps(document: Mapping[str, Any]) -> str:
    # Insertion order is fixed by build() and to_record(), so the same input always gives the
    # same bytes without sort_keys (which would scatter the envelope's reading order).
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    # Written record by record: the same bytes as dumps(build(...)), without holding every
    # record and the whole text in memory at once (a 1,000-post site has tens of thousands).
    head = dumps({**_envelope(result, tool_version), "findings": []})
    stream.write(head[: head.rindex("[]") + 1])
    for i, finding in enumerate(result.findings):
        record = json.dumps(finding.to_record(), indent=2, ensure_ascii=False)
        stream.write(("," if i else "") + "\n" + textwrap.indent(record, _ITEM_INDENT))
    stream.write("\n  ]\n}\n" if result.findings else "]\n}\n")
