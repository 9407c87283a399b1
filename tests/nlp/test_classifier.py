"""The overclaim classifier: shipped weights, reproducible training, and how it joins the rules."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from claimlint.config import Settings
from claimlint.engine import Linter
from claimlint.findings import Severity
from claimlint.nlp.classifier import (
    CONFIDENT_THRESHOLD,
    FAIR_THRESHOLD,
    FLAG_THRESHOLD,
    MODEL_PATH,
    OverclaimClassifier,
)
from claimlint.registry import Registry

ROOT = Path(__file__).resolve().parents[2]


class FixedScore(OverclaimClassifier):
    """Scores every sentence the same, to test how scores combine with rules."""

    def __init__(self, score: float) -> None:
        self.score = score

    def scores(self, texts: Sequence[str]) -> list[float]:
        return [self.score] * len(texts)


def lint(registry: Registry, text: str, score: float | None) -> list[tuple[str, Severity, str]]:
    settings = Settings(root=ROOT, classifier=score is not None)
    linter = Linter(settings, registry=registry,
                    classifier=FixedScore(score) if score is not None else None)
    return [(f.rule, f.severity, f.message) for f in linter.lint_text(text)]


def test_shipped_model_loads_and_scores_in_unit_interval(linter: Linter) -> None:
    assert (MODEL_PATH / "model").is_file()
    assert linter.classifier is not None
    scores = linter.classifier.scores(["Ketamine cures everything forever.",
                                       "The clinic is open on Saturdays."])
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1]


def test_training_reproduces_the_shipped_weights() -> None:
    # Retrains on the dev split and compares bytes: a change to the corpus or to the pipeline's
    # sentences must come with retrained weights (python scripts/train_classifier.py). Training
    # takes about 4 minutes on 766 dev posts on a quiet 2-core machine; the limit leaves room for
    # a loaded one.
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_classifier.py"),
                           "--check"], capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert done.returncode == 0, done.stderr


def test_thresholds_are_ordered() -> None:
    assert 0.0 < FAIR_THRESHOLD < FLAG_THRESHOLD < CONFIDENT_THRESHOLD < 1.0


def test_high_score_flags_an_outright_claim_no_rule_flagged(bundled_registry: Registry) -> None:
    text = "Stem cell injections switch off the inflammation in arthritic knees."
    assert [r for r, _, _ in lint(bundled_registry, text, None)] == ["CL201"]  # info only
    assert [(r, s) for r, s, _ in lint(bundled_registry, text, 0.99)] == [
        ("CL110", Severity.WARNING)]


@pytest.mark.parametrize("text", [
    "Stem cell injections may ease knee pain for some people.",       # hedged
    "Stem cell injections do not regrow cartilage.",                  # negated
])
def test_a_hedged_or_negated_claim_is_flagged_only_at_a_confident_score(
        bundled_registry: Registry, text: str) -> None:
    between = (FLAG_THRESHOLD + CONFIDENT_THRESHOLD) / 2
    assert "CL110" not in [r for r, _, _ in lint(bundled_registry, text, between)]
    assert "CL110" in [r for r, _, _ in lint(bundled_registry, text, CONFIDENT_THRESHOLD)]


@pytest.mark.parametrize("text", [
    "Stem cell injections can cause infection and swelling.",          # a harm stated
    "Stem cell injections eased knee pain in one trial (Smith et al., 2020).",  # cited
    "Ketamine infusions can give short-term relief of CRPS pain.",    # its entry's qualifier
])
def test_even_a_confident_score_never_flags_a_harm_a_citation_or_a_qualified_claim(
        bundled_registry: Registry, text: str) -> None:
    assert "CL110" not in [r for r, _, _ in lint(bundled_registry, text, 0.99)]


def test_low_score_shows_a_wording_warning_as_info(bundled_registry: Registry) -> None:
    text = "PRP injections restore damaged cartilage."
    assert [(r, s) for r, s, _ in lint(bundled_registry, text, None)] == [
        ("CL104", Severity.WARNING)]
    [(rule, severity, message)] = lint(bundled_registry, text, 0.01)
    assert (rule, severity) == ("CL104", Severity.INFO)
    assert "classifier rates the sentence 0.01" in message


def test_low_score_softens_an_error_to_a_warning_and_never_hides_it(
        bundled_registry: Registry) -> None:
    # An error is what the rules and the classifier agree on; a fair reading makes it a
    # warning, which still fails the default gate, never info. (A sentence of fewer than eight
    # words keeps its error: its score is mostly the model's prior; so does a claim its own
    # booster strengthens.)
    for text in ("Patients should know that ketamine is not addictive in our clinic.",
                 "Our clinic's ketamine infusions cure fibromyalgia in the patients we treat."):
        before = [(r, s) for r, s, _ in lint(bundled_registry, text, None)]
        after = [(r, s) for r, s, _ in lint(bundled_registry, text, 0.0)]
        assert Severity.ERROR in {s for _, s in before}, text
        assert after == [(r, min(s, Severity.WARNING)) for r, s in before], text
    short = lint(bundled_registry, "Ketamine cures fibromyalgia.", 0.0)
    assert Severity.ERROR in {s for _, s, _ in short}
    boosted = lint(bundled_registry, "Patients should know that our ketamine infusions are "
                                     "extremely safe for you.", 0.0)
    assert Severity.ERROR in {s for _, s, _ in boosted}


def test_low_score_demotes_a_registry_finding_whose_subject_the_sentence_never_names(
        bundled_registry: Registry) -> None:
    # On a ketamine page, a sentence about the illness alone ("nightmares ease once sleep
    # returns") only reaches the registry through the page's therapy; the words decide whether
    # it is a claim at all. A sentence that names ketamine keeps its finding whatever the score,
    # softened to a warning when the words read as fair.
    page = "Ketamine infusions for veterans with PTSD.\n\n"
    implicit = page + "Nightmares of PTSD ease once sleep returns.\n"
    explicit = page + "Ketamine eases the nightmares of PTSD in veterans.\n"
    assert [(r, s) for r, s, _ in lint(bundled_registry, implicit, None)] == [
        ("CL002", Severity.ERROR)]
    assert [(r, s) for r, s, _ in lint(bundled_registry, implicit, 0.01)] == [
        ("CL002", Severity.INFO)]
    assert [(r, s) for r, s, _ in lint(bundled_registry, explicit, 0.01)] == [
        ("CL002", Severity.WARNING)]
    assert [(r, s) for r, s, _ in lint(bundled_registry, explicit, 0.3)] == [
        ("CL002", Severity.ERROR)]
