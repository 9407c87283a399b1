from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET

from claimlint.findings import LintResult, Severity
from claimlint.report import junit

from .sample import CURE, HEDGE, RATE


def render(result: LintResult) -> str:
    out = io.StringIO()
    junit.report(result, out, rules={}, color=False, tool_version="1.2.3")
    return out.getvalue()


def parse(result: LintResult) -> ET.Element:
    return ET.fromstring(render(result).encode("utf-8"))


def suites(root: ET.Element) -> dict[str, ET.Element]:
    return {str(s.get("name")): s for s in root.findall("testsuite")}


def test_declaration_and_root(result: LintResult) -> None:
    text = render(result)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    assert root.get("name") == "claimlint 1.2.3"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) \
        == ("4", "2", "0", "0")


def test_one_suite_per_linted_file_clean_files_pass(result: LintResult) -> None:
    by_name = suites(parse(result))
    assert list(by_name) == ["pages/index.md", "pages/ketamine.md", "pages/our clinic.md"]
    clean = by_name["pages/index.md"]
    assert (clean.get("tests"), clean.get("failures"), clean.get("errors")) == ("1", "0", "0")
    (case,) = clean.findall("testcase")
    assert list(case) == []  # a passing testcase has no child element
    assert case.get("classname") == "pages/index.md"


def test_counts_match_the_findings(result: LintResult) -> None:
    root = parse(result)
    cases = root.findall("testsuite/testcase")
    findings = [c for c in cases if c.get("line") is not None]
    assert len(findings) == len(result.findings)
    failing = [f for f in result.findings if f.severity >= Severity.WARNING]
    assert len(root.findall("testsuite/testcase/failure")) == len(failing)
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests", "")) == len(suite.findall("testcase"))
        assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure"))


def test_failure_carries_message_rule_location_and_suggestion(result: LintResult) -> None:
    ketamine = suites(parse(result))["pages/ketamine.md"]
    cure, _ = ketamine.findall("testcase")
    assert cure.get("name") == "CL101 overstated.cure at line 3, column 1"
    assert (cure.get("file"), cure.get("line")) == ("pages/ketamine.md", "3")
    failure = cure.find("failure")
    assert failure is not None
    assert failure.get("message") == CURE.message
    assert failure.get("type") == "CL101"
    body = failure.text or ""
    assert "CL101 (overstated.cure), error" in body
    assert "location: pages/ketamine.md:3:1-3:27" in body
    assert f"suggestion: {CURE.suggestion}" in body
    assert "reference: Doe J et al. J Example Psychiatry 2020;1:1-10 (PMID 12345678; " \
           "doi:10.1000/example.1)" in body
    assert "reference: Example Agency guidance (https://example.org/guidance)" in body
    assert "registry: ketamine.depression" in body


def test_info_findings_pass_with_system_out(result: LintResult) -> None:
    hedge = suites(parse(result))["pages/ketamine.md"].findall("testcase")[1]
    assert hedge.find("failure") is None and hedge.find("skipped") is None
    out = hedge.find("system-out")
    assert out is not None and HEDGE.message in (out.text or "")


def test_input_errors_are_junit_errors() -> None:
    broken = dataclasses.replace(RATE, path="missing.md", rule="CL900", name="input-error",
                                 severity=Severity.ERROR, message="cannot read missing.md")
    root = parse(LintResult(findings=[broken], files=[], failed_paths=["missing.md"]))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "missing.md"  # not in files, still reported
    assert (suite.get("errors"), suite.get("failures")) == ("1", "0")
    assert root.get("errors") == "1"
    error = suite.find("testcase/error")
    assert error is not None and error.get("message") == "cannot read missing.md"


def test_special_characters_survive_a_round_trip() -> None:
    nasty = 'Rate: 100% <b>"guaranteed"</b> & \'risk-free\'\nsecond line\ttab ]]> end'
    finding = dataclasses.replace(RATE, path='a&b <"c">.md', message=nasty, suggestion=nasty,
                                  sentence=nasty)
    text = render(LintResult(findings=[finding], files=[finding.path]))
    assert "<b>" not in text
    root = ET.fromstring(text.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == nasty  # newlines in attributes are escaped, not lost
    assert f"message: {nasty}" in (failure.text or "")
    assert [s.get("name") for s in root.findall("testsuite")] == ['a&b <"c">.md']


def test_characters_xml_cannot_hold_are_replaced() -> None:
    finding = dataclasses.replace(RATE, message="form\x0cfeed\x00nul \U0001F600 ok")
    root = ET.fromstring(render(LintResult(findings=[finding])).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "form\ufffdfeed\ufffdnul \U0001F600 ok"


def test_empty_result() -> None:
    root = parse(LintResult())
    assert root.get("tests") == "0"
    assert root.findall("testsuite") == []


def test_deterministic(result: LintResult) -> None:
    assert render(result) == render(result)
    assert " time=" not in render(result)  # no durations or timestamps
