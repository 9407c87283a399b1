from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from typing import Any

from claimlint.findings import Finding, LintResult, Severity
from claimlint.report import gitlab

from .sample import CURE, HEDGE, RATE

REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def build(result: LintResult) -> list[dict[str, Any]]:
    out = io.StringIO()
    gitlab.report(result, out, rules={}, color=False, tool_version="1.0")
    doc: list[dict[str, Any]] = json.loads(out.getvalue())
    return doc


def test_one_issue_per_finding_with_the_required_keys(result: LintResult) -> None:
    issues = build(result)
    assert isinstance(issues, list)
    assert len(issues) == len(result.findings)
    for issue in issues:
        assert issue.keys() == REQUIRED
        assert issue["location"].keys() == {"path", "lines"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["lines"]["begin"], int)


def test_fields(result: LintResult) -> None:
    cure, hedge, rate = build(result)
    assert cure["check_name"] == "CL101"
    assert cure["description"] == (
        "CL101: “Cures depression” overstates the evidence for ketamine. "
        "Suggestion: Say it “may ease symptoms for some patients”.")
    assert cure["location"] == {"path": "pages/ketamine.md", "lines": {"begin": 3, "end": 3}}
    assert hedge["description"] == "CL301: Consider saying who the treatment is for."
    assert rate["location"]["path"] == "pages/our clinic.md"


def test_severity_mapping(result: LintResult) -> None:
    assert [i["severity"] for i in build(result)] == ["critical", "info", "major"]
    assert gitlab.SEVERITIES == {"error": "critical", "warning": "major", "info": "info"}


def test_fingerprint_recipe() -> None:
    key = "\x1f".join(("claimlint/gitlab/v1", "pages/ketamine.md", "CL101",
                       "ketamine.depression", "Ketamine CURES depression for good."))
    (issue,) = build(LintResult(findings=[CURE]))
    assert issue["fingerprint"] == hashlib.sha256(key.encode("utf-8")).hexdigest()


def test_fingerprint_ignores_lines_offsets_and_spacing() -> None:
    (before,) = build(LintResult(findings=[CURE]))
    moved = dataclasses.replace(CURE, line=40, end_line=41, column=7, start_offset=900,
                                end_offset=926, sentence="  Ketamine CURES\tdepression  for good.")
    (after,) = build(LintResult(findings=[moved]))
    assert after["fingerprint"] == before["fingerprint"]
    assert after["location"]["lines"] == {"begin": 40, "end": 41}


def test_fingerprint_depends_on_path_rule_entry_and_sentence() -> None:
    base = build(LintResult(findings=[CURE]))[0]["fingerprint"]
    variants = [
        dataclasses.replace(CURE, path="pages/other.md"),
        dataclasses.replace(CURE, rule="CL102"),
        dataclasses.replace(CURE, registry_id="ketamine.ptsd"),
        dataclasses.replace(CURE, sentence="Ketamine cures anxiety."),
    ]
    prints = {build(LintResult(findings=[v]))[0]["fingerprint"] for v in variants}
    assert base not in prints and len(prints) == len(variants)


def test_duplicates_get_distinct_stable_fingerprints() -> None:
    twice = [CURE, dataclasses.replace(CURE, line=30, end_line=30, start_offset=400,
                                       end_offset=426)]
    first, second = build(LintResult(findings=twice))
    assert first["fingerprint"] != second["fingerprint"]
    # The first occurrence keeps the fingerprint it has alone, so adding a copy of an
    # overclaim further down does not make GitLab see the original as fixed and re-added.
    assert first["fingerprint"] == build(LintResult(findings=[CURE]))[0]["fingerprint"]
    assert build(LintResult(findings=twice)) == [first, second]


def test_fingerprints_are_unique_in_a_report(result: LintResult) -> None:
    findings: list[Finding] = []
    for n in range(5):
        findings += [dataclasses.replace(f, line=f.line + 100 * n) for f in (CURE, HEDGE, RATE)]
    prints = [i["fingerprint"] for i in build(LintResult(findings=sorted(findings)))]
    assert len(set(prints)) == len(prints) == 15


def test_findings_without_a_sentence_use_the_message() -> None:
    a = dataclasses.replace(HEDGE, message="Suppression comment (disable CL101) suppresses "
                                           "nothing.", rule="CL901")
    b = dataclasses.replace(a, message="Suppression comment (disable CL103) suppresses nothing.")
    fa, fb = (build(LintResult(findings=[f]))[0]["fingerprint"] for f in (a, b))
    assert fa != fb


def test_lines_are_at_least_one_and_paths_use_forward_slashes() -> None:
    odd = dataclasses.replace(RATE, path="./posts/a.md", line=0, end_line=0,
                              severity=Severity.ERROR)
    (issue,) = build(LintResult(findings=[odd]))
    assert issue["location"] == {"path": "posts/a.md", "lines": {"begin": 1, "end": 1}}


def test_special_characters_survive() -> None:
    text = 'Rate: 100% <b>"guaranteed"</b> & \'risk-free\'\nsecond line'
    (issue,) = build(LintResult(findings=[dataclasses.replace(RATE, message=text)]))
    assert text in issue["description"]


def test_empty_report_is_an_empty_array() -> None:
    out = io.StringIO()
    gitlab.report(LintResult(files=["a.md"]), out, rules={}, color=False, tool_version="1.0")
    assert out.getvalue() == "[]\n"
