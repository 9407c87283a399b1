from __future__ import annotations

import dataclasses
import io

import click

from claimlint.findings import Evidence, LintResult
from claimlint.report import text

from .sample import CURE, HEDGE, RATE

GOLDEN = """\
pages/ketamine.md:3:1: CL101 “Cures depression” overstates the evidence for ketamine.
  evidence: moderate evidence (medium confidence): IV ketamine eases symptoms for days to weeks.
  references: Doe J et al. J Example Psychiatry 2020;1:1-10 (PMID 12345678; doi:10.1000/example.1)
  references: Roe R. Example Review 2019 (doi:10.1000/example.2)
  references: Example Agency guidance (https://example.org/guidance)
  suggestion: Say it “may ease symptoms for some patients”.
  registry: ketamine.depression
pages/ketamine.md:9:5: CL301 Consider saying who the treatment is for.
pages/our clinic.md:2:14: CL102 Claims a 100% success rate. No study supports a rate above 60%.
  suggestion: Give the rate with its source, or remove it.

Found 3 problems (1 error, 1 warning, 1 info) in 2 files.
"""


def render(result: LintResult, *, color: bool = False) -> str:
    out = io.StringIO()
    text.report(result, out, rules={}, color=color, tool_version="1.0")
    return out.getvalue()


def test_golden(result: LintResult) -> None:
    assert render(result) == GOLDEN


def test_one_line_per_finding_even_with_line_breaks_in_the_message(result: LintResult) -> None:
    heads = [line for line in render(result).splitlines() if line.startswith("pages/")]
    assert len(heads) == len(result.findings)


def test_no_findings() -> None:
    result = LintResult(files=["a.md", "b.md"])
    assert render(result) == "All checked (2 files): no problems found.\n"


def test_singular_counts() -> None:
    result = LintResult(findings=[HEDGE], files=["pages/ketamine.md"])
    summary = render(result).splitlines()[-1]
    assert summary == "Found 1 problem (0 errors, 0 warnings, 1 info) in 1 file."
    assert render(LintResult(files=["a.md"])) == "All checked (1 file): no problems found.\n"


def test_evidence_without_references() -> None:
    finding = dataclasses.replace(
        CURE, evidence=Evidence("low", "Case series only."), suggestion=None, registry_id=None
    )
    lines = render(LintResult(findings=[finding], files=[CURE.path])).splitlines()
    assert lines[1:3] == ["  evidence: low evidence (high confidence): Case series only.", ""]


def test_plain_output_has_no_escape_codes(result: LintResult) -> None:
    assert "\x1b" not in render(result)


def test_color_styles_only_the_code_by_severity(result: LintResult) -> None:
    lines = render(result, color=True).splitlines()
    error = click.style("CL101", fg="red", bold=True)
    info = click.style("CL301", fg="blue", bold=True)
    warning = click.style("CL102", fg="yellow", bold=True)
    assert lines[0].startswith(f"pages/ketamine.md:3:1: {error} “Cures")
    assert f": {info} Consider" in lines[7]
    assert f": {warning} Claims" in lines[8]
    assert click.unstyle(render(result, color=True)) == render(result)


def test_records_are_the_only_input(result: LintResult) -> None:
    # The reporter reads to_record(); a record built from RATE gives RATE's first line.
    assert text.format_finding(RATE.to_record())[0] == (
        "pages/our clinic.md:2:14: CL102 Claims a 100% success rate. "
        "No study supports a rate above 60%."
    )
