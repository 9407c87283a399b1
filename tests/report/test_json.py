from __future__ import annotations

import io
import json

from claimlint.findings import LintResult
from claimlint.report import json as json_report
from claimlint.rules.base import RuleMeta


def render(result: LintResult) -> str:
    out = io.StringIO()
    json_report.report(result, out, rules={}, color=False, tool_version="1.2.3")
    return out.getvalue()


def test_documented_keys(result: LintResult) -> None:
    doc = json.loads(render(result))
    assert list(doc) == ["version", "tool", "summary", "findings"]
    assert doc["version"] == 1
    assert doc["tool"] == {"name": "claimlint", "version": "1.2.3"}
    assert doc["summary"] == {
        "files": 3, "errors": 1, "warnings": 1, "info": 1, "failed_paths": [],
    }


def test_findings_are_the_records_in_order(result: LintResult) -> None:
    doc = json.loads(render(result))
    assert doc["findings"] == [f.to_record() for f in result.findings]
    assert [f["rule"] for f in doc["findings"]] == ["CL101", "CL301", "CL102"]


def test_failed_paths(result: LintResult) -> None:
    result.failed_paths = ["pages/broken.md"]
    assert json.loads(render(result))["summary"]["failed_paths"] == ["pages/broken.md"]


def test_stable_bytes_indent_and_unescaped_text(result: LintResult) -> None:
    out = render(result)
    assert out == render(result)
    assert out.endswith("}\n")
    assert '\n  "version": 1,' in out  # indent=2
    assert "“Cures depression”" in out  # ensure_ascii=False


def test_empty_result() -> None:
    doc = json.loads(render(LintResult()))
    assert doc["findings"] == []
    assert doc["summary"]["files"] == 0


def test_streamed_report_equals_the_whole_document(result: LintResult,
                                                   rules: dict[str, RuleMeta]) -> None:
    for r in (result, LintResult(files=["a.md"])):
        out = io.StringIO()
        json_report.report(r, out, rules=rules, color=False, tool_version="9.9")
        assert out.getvalue() == json_report.dumps(json_report.build(r, "9.9"))
