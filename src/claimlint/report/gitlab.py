"""GitLab Code Quality report, for the merge-request widget and the pipeline's Code Quality tab.

A JSON array of issues in the subset of the Code Climate format that GitLab reads:
https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format

Severity: GitLab has five levels where claimlint has three. ``error`` -> ``critical``,
``warning`` -> ``major``, ``info`` -> ``info``. ``blocker`` is left for findings a team wants
to block merges on outright, which is a policy claimlint does not set; ``minor`` would make a
warning about a patient-facing overclaim look like a style nit.

Fingerprint: GitLab compares the fingerprints of the base and the head pipeline to say which
issues a merge request adds or fixes, and shows only one issue per fingerprint. So it must be
stable across runs and edits elsewhere in the file (no line numbers or offsets in it) and
unique within one report. It is the SHA-256 of the format tag, the path, the rule, the
registry entry and the whitespace-normalised sentence (the message when a finding has no
sentence), joined by U+001F; the second and later findings with the same key in one report
(the same overclaim twice in a post) also hash their occurrence number.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, TextIO

from claimlint.findings import LintResult
from claimlint.rules.base import RuleMeta

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}
FINGERPRINT_TAG = "claimlint/gitlab/v1"


def fingerprint_key(record: Mapping[str, Any]) -> str:
    text = " ".join(str(record["sentence"] or record["message"]).split())
    # A separator that cannot occur in the fields keeps ("a", "bc") apart from ("ab", "c").
    return "\x1f".join((FINGERPRINT_TAG, str(record["path"]), str(record["rule"]),
                        record["registry_id"] or "", text))


def fingerprint(key: str, occurrence: int = 0) -> str:
    """The hash of ``key``; the first occurrence keeps the bare key's hash, so adding a
    duplicate later in a post does not change the fingerprint of the one already there."""
    if occurrence:
        key = f"{key}\x1f{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def report_path(path: str) -> str:
    # GitLab matches the path against the repository tree: forward slashes, no leading "./".
    return PurePath(path).as_posix()


def description(record: Mapping[str, Any]) -> str:
    # The widget shows only the description, so the rule code goes in front of the message.
    text = f"{record['rule']}: {record['message']}"
    return f"{text} Suggestion: {record['suggestion']}" if record["suggestion"] else text


def issue(record: Mapping[str, Any], fingerprint_value: str) -> dict[str, Any]:
    begin = max(1, int(record["line"]))
    return {
        "description": description(record),
        "check_name": record["rule"],
        "fingerprint": fingerprint_value,
        "severity": SEVERITIES[record["severity"]],
        "location": {
            "path": report_path(str(record["path"])),
            "lines": {"begin": begin, "end": max(begin, int(record["end_line"]))},
        },
    }


def build(result: LintResult) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    issues = []
    for finding in result.findings:
        record = finding.to_record()
        key = fingerprint_key(record)
        issues.append(issue(record, fingerprint(key, seen[key])))
        seen[key] += 1
    return issues


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    stream.write(json.dumps(build(result), indent=2, ensure_ascii=False) + "\n")
