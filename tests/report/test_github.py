from __future__ import annotations

import io

from claimlint.findings import LintResult
from claimlint.report import github

GOLDEN = (
    "::error file=pages/ketamine.md,line=3,col=1,endLine=3,endColumn=27,"
    "title=CL101 (overstated.cure)::“Cures depression” overstates the evidence for ketamine."
    " — Suggestion: Say it “may ease symptoms for some patients”.\n"
    "::notice file=pages/ketamine.md,line=9,col=5,endLine=9,endColumn=40,"
    "title=CL301 (style.audience)::Consider saying who the treatment is for.\n"
    "::warning file=pages/our clinic.md,line=2,col=14,endLine=2,endColumn=42,"
    "title=CL102 (overstated.success-rate)::Claims a 100%25 success rate.%0A"
    "No study supports a rate above 60%25. — Suggestion: Give the rate with its source,"
    " or remove it.\n"
)


def render(result: LintResult) -> str:
    out = io.StringIO()
    github.report(result, out, rules={}, color=False, tool_version="1.0")
    return out.getvalue()


def test_golden(result: LintResult) -> None:
    assert render(result) == GOLDEN


def test_one_command_per_finding(result: LintResult) -> None:
    assert len(render(result).splitlines()) == len(result.findings)


def test_no_findings_no_output() -> None:
    assert render(LintResult(files=["a.md"])) == ""


def test_escape_data_keeps_delimiters() -> None:
    assert github.escape_data("50%\r\nof a:b, c") == "50%25%0D%0Aof a:b, c"


def test_escape_property_also_escapes_delimiters() -> None:
    assert github.escape_property("C:\\site\\a,b 100%.md") == "C%3A\\site\\a%2Cb 100%25.md"


def test_percent_is_escaped_before_the_other_escapes() -> None:
    # A literal "%0A" in the text must survive as text, not turn into a line break.
    assert github.escape_data("%0A") == "%250A"
