"""JUnit XML, the test-report format GitLab, Jenkins, Azure Pipelines and most CI systems ingest.

CI systems already know how to show failing tests next to a merge request, so each finding is
reported as one: one ``<testsuite>`` per linted file (clean files too, as a single passing
testcase, so the report shows what was checked and not only what failed) and one
``<testcase>`` per finding.

- ``error`` and ``warning`` findings carry a ``<failure>``: they are what ``--fail-on`` acts on
  by default, and a failed test is what reviewers look at.
- ``CL900`` input errors carry an ``<error>`` instead: in JUnit terms the file could not be
  checked at all, which is a different thing from copy that failed the check.
- ``info`` findings are passing testcases with the details in ``<system-out>``. They are not
  ``<skipped>``: the claim *was* checked, and most dashboards read a rising skipped count as a
  broken test setup rather than as advice.

There are no ``time`` or ``timestamp`` attributes, so the same result always gives the same
bytes. Text goes through ElementTree, which escapes markup; characters XML 1.0 cannot carry at
all (most control characters) are replaced first, because escaping cannot save them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, TextIO

from claimlint.findings import LintResult
from claimlint.rules.base import RuleMeta

INPUT_ERROR = "CL900"
FAILING = ("error", "warning")
CLEAN_TESTCASE = "no overstated claims"

# Everything outside XML 1.0's Char production (tab, LF and CR are the only allowed controls).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text XML 1.0 can hold: U+FFFD for characters it cannot represent."""
    return _NOT_XML.sub("\ufffd", str(value))


def location(record: Mapping[str, Any]) -> str:
    return (f"{record['path']}:{record['line']}:{record['column']}"
            f"-{record['end_line']}:{record['end_column']}")


def testcase_name(record: Mapping[str, Any]) -> str:
    # Position in the name keeps two findings of one rule in one file apart in CI listings.
    rule = f"{record['rule']} {record['name']}" if record["name"] else str(record["rule"])
    return f"{rule} at line {record['line']}, column {record['column']}"


def details(record: Mapping[str, Any]) -> str:
    """The human-readable body: everything the text reporter says about a finding."""
    rule = f"{record['rule']} ({record['name']})" if record["name"] else str(record["rule"])
    lines = [f"{rule}, {record['severity']}", f"location: {location(record)}",
             f"message: {record['message']}"]
    if record["sentence"]:
        lines.append(f"sentence: {record['sentence']}")
    evidence = record["evidence"]
    if evidence:
        lines.append(f"evidence: {evidence['grade']} evidence ({evidence['confidence']} "
                     f"confidence): {evidence['summary']}")
        for ref in evidence["references"]:
            ids = [f"PMID {ref['pmid']}" if ref["pmid"] else "",
                   f"doi:{ref['doi']}" if ref["doi"] else "", ref["url"] or ""]
            ident = "; ".join(i for i in ids if i)
            lines.append(f"reference: {ref['citation']}" + (f" ({ident})" if ident else ""))
    if record["suggestion"]:
        lines.append(f"suggestion: {record['suggestion']}")
    if record["registry_id"]:
        lines.append(f"registry: {record['registry_id']}")
    return "\n".join(lines)


def testcase(record: Mapping[str, Any]) -> ET.Element:
    case = ET.Element("testcase", {
        "name": xml_text(testcase_name(record)),
        "classname": xml_text(record["path"]),
        # GitLab and pytest-style consumers link a testcase to its file with these two.
        "file": xml_text(record["path"]),
        "line": str(record["line"]),
    })
    body = xml_text(details(record))
    if record["rule"] == INPUT_ERROR:
        tag = "error"
    elif record["severity"] in FAILING:
        tag = "failure"
    else:
        ET.SubElement(case, "system-out").text = body
        return case
    outcome = ET.SubElement(case, tag, {"message": xml_text(record["message"]),
                                        "type": xml_text(record["rule"])})
    outcome.text = body
    return case


def testsuite(path: str, records: list[Mapping[str, Any]]) -> ET.Element:
    cases = [testcase(r) for r in records]
    if not cases:
        cases = [ET.Element("testcase", {"name": CLEAN_TESTCASE, "classname": xml_text(path),
                                         "file": xml_text(path)})]
    suite = ET.Element("testsuite", {
        "name": xml_text(path),
        "tests": str(len(cases)),
        "failures": str(sum(c.find("failure") is not None for c in cases)),
        "errors": str(sum(c.find("error") is not None for c in cases)),
        "skipped": "0",
    })
    suite.extend(cases)
    return suite


def build(result: LintResult, tool_version: str) -> ET.Element:
    by_path: dict[str, list[Mapping[str, Any]]] = {path: [] for path in result.files}
    # A path that does not exist is reported (CL900) without ever being in result.files.
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding.to_record())
    suites = [testsuite(path, records) for path, records in by_path.items()]
    root = ET.Element("testsuites", {"name": f"claimlint {tool_version}".strip()})
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    return root


def dumps(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    stream.write(dumps(build(result, tool_version)))
