"""Hand-built findings and rule metadata shared by the reporter tests.

The three findings cover: evidence whose references have a PMID, a DOI or only a URL; an info
finding with no detail and no rule metadata; a path with a space; and a message holding "%"
and a line break.
"""

from __future__ import annotations

from claimlint.findings import Evidence, Finding, LintResult, Reference, Severity
from claimlint.rules.base import RuleMeta

CURE_DOC = """\
What it flags
-------------
Copy that says a treatment cures a condition.

Why it matters
--------------
Patients read "cures" as a promise.

Overstated copy
---------------
    Ketamine cures depression.

Compliant copy
--------------
    Ketamine may ease depressive symptoms for some patients.
"""

RATE_DOC = """\
What it flags
-------------
Success rates given without a source.

Overstated copy
---------------
    100% success rate!

Compliant copy
--------------
    In one trial, 6 in 10 patients improved.
"""

CURE = Finding(
    path="pages/ketamine.md",
    line=3,
    column=1,
    rule="CL101",
    end_line=3,
    end_column=27,
    name="overstated.cure",
    severity=Severity.ERROR,
    message="“Cures depression” overstates the evidence for ketamine.",
    start_offset=40,
    end_offset=66,
    sentence="Ketamine  CURES depression\nfor good.",
    registry_id="ketamine.depression",
    evidence=Evidence(
        grade="moderate",
        summary="IV ketamine eases symptoms\nfor days to weeks.",
        references=(
            Reference("ref1", "Doe J et al. J Example Psychiatry 2020;1:1-10", pmid="12345678",
                      doi="10.1000/example.1"),
            Reference("ref2", "Roe R. Example Review 2019", doi="10.1000/example.2"),
            Reference("ref3", "Example Agency guidance", url="https://example.org/guidance"),
        ),
        confidence="medium",
    ),
    suggestion="Say it “may ease symptoms for some patients”.",
    topic="depression",
    cues=("cures",),
)

HEDGE = Finding(
    path="pages/ketamine.md",
    line=9,
    column=5,
    rule="CL301",
    end_line=9,
    end_column=40,
    name="style.audience",
    severity=Severity.INFO,
    message="Consider saying who the treatment is for.",
    start_offset=120,
    end_offset=155,
)

RATE = Finding(
    path="pages/our clinic.md",
    line=2,
    column=14,
    rule="CL102",
    end_line=2,
    end_column=42,
    name="overstated.success-rate",
    severity=Severity.WARNING,
    message="Claims a 100% success rate.\nNo study supports a rate above 60%.",
    start_offset=30,
    end_offset=58,
    sentence="We have a 100% success rate!",
    suggestion="Give the rate with its source, or remove it.",
)


def make_result() -> LintResult:
    return LintResult(
        findings=sorted([RATE, HEDGE, CURE]),
        files=["pages/index.md", "pages/ketamine.md", "pages/our clinic.md"],
    )


def make_rules() -> dict[str, RuleMeta]:
    # CL301 is left out on purpose: reporters must cope with a code they have no metadata for.
    return {
        "CL102": RuleMeta("CL102", "overstated.success-rate", "Unsourced success rate.",
                          Severity.INFO, RATE_DOC),
        "CL101": RuleMeta("CL101", "overstated.cure", "A treatment is said to cure.",
                          Severity.WARNING, CURE_DOC),
    }
