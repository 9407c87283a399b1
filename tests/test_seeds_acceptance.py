"""Acceptance over the real clinic posts in ../shared/seeds (skipped when absent).

The seed text is never copied here: sentences are found by short key phrases, most of them
quoted in the project brief, and the test asserts which registry entry flags them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimlint.config import Settings
from claimlint.engine import Linter
from claimlint.findings import Finding, LintResult, Severity
from claimlint.registry import Registry

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


@pytest.fixture(scope="module")
def result(bundled_registry: Registry) -> LintResult:
    return Linter(Settings(root=SEEDS), registry=bundled_registry).lint_paths([str(SEEDS)])


def _at(result: LintResult, phrase: str) -> list[Finding]:
    """Warnings and errors whose sentence contains ``phrase``."""
    hits = [f for f in result.findings if phrase.lower() in f.sentence.lower()
            and f.severity >= Severity.WARNING]
    return hits


# (key phrase of the seed sentence, registry entry expected to flag it)
OVERCLAIMS = [
    ("not physically addictive", "ketamine.addiction.not-physically-addictive"),
    ("regeneration of damaged nerves", "ketamine.mechanism.nerve-regeneration"),
    ("approved by the FDA for the treatment of drug-resistant depression",
     "ketamine.regulatory.fda-approved-psychiatric"),
    ("extremely safe", "ketamine.safety.extremely-safe"),
    ("will not cause withdrawals", "ketamine.addiction.no-withdrawal"),
    ("far lower potential for abuse", "ketamine.addiction.lower-abuse-than-opioids"),
    ("resets many nerve cells", "ketamine.mechanism.reset-pain-pathways"),
    ("help repair your brain", "ketamine.mechanism.brain-repair"),
    ("restore brain synapses", "ketamine.mechanism.brain-repair"),
    ("root cause of chronic pain", "ketamine.mechanism.root-cause"),
    ("similar analgesic effect as morphine", "ketamine.comparison.similar-to-morphine"),
    ("more effective for reducing other types of pain",
     "ketamine.comparison.superior-to-other-treatments"),
    ("Numerous studies have found", "ketamine.evidence.numerous-studies"),
    ("has been widely studied", "ketamine.evidence.widely-studied"),
    ("up to three months", "ketamine.duration.up-to-three-months"),
    ("30-40%", "ketamine.statistic.conventional-30-40-percent"),
    ("inhibit microglial activation", "ketamine.mechanism.microglia"),
    ("any other type of pain", "ketamine.efficacy.any-pain"),
    ("lasting pain relief for those struggling", "ketamine.duration.long-term"),
    ("promoting healing in the affected areas", "ketamine.mechanism.tissue-healing"),
]


@pytest.mark.parametrize(("phrase", "entry_id"), OVERCLAIMS, ids=[p for p, _ in OVERCLAIMS])
def test_seed_overclaim_is_flagged_with_its_entry(result: LintResult, phrase: str,
                                                 entry_id: str) -> None:
    found = _at(result, phrase)
    assert entry_id in {f.registry_id for f in found}, [(f.rule, f.registry_id) for f in found]


@pytest.mark.parametrize("item", ["Cancer pain", "Migraines", "Crohn", "Lyme Disease"])
def test_conditions_listed_without_evidence_are_flagged(result: LintResult, item: str) -> None:
    hits = [f for f in result.findings if f.sentence.strip().startswith(item)
            and f.severity >= Severity.WARNING]
    assert hits and all(f.registry_id and f.registry_id.startswith("ketamine.efficacy.")
                        for f in hits)


FAIR = [
    "is not a panacea",
    "it does not help for all types of pain",
    "Vomiting", "Nausea", "Slurred speech", "Foggy memory", "Confusion",
    "In rare cases, patients may experience serious side effects",
    "more research is needed to determine the optimal dosage",
    "it is important to discuss all of your treatment options",
    "This is not to say ketamine therapy is without risk",
]


@pytest.mark.parametrize("phrase", FAIR)
def test_seed_fair_sentence_is_not_flagged(result: LintResult, phrase: str) -> None:
    hits = [f for f in result.findings if phrase.lower() in f.sentence.lower()]
    assert hits == [], [(f.rule, f.registry_id, f.message[:60]) for f in hits]


def test_every_finding_has_position_evidence_and_suggestion(result: LintResult) -> None:
    registry_findings = [f for f in result.findings if f.registry_id]
    assert len(registry_findings) > 40
    for f in registry_findings:
        assert f.line >= 1 and f.column >= 1 and f.end_offset > f.start_offset
        assert f.evidence is not None and f.evidence.references
        assert f.suggestion
