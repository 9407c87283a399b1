"""The rule the overclaim classifier speaks through."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from claimlint.claims import UNCUED, unsigned_end
from claimlint.findings import Severity
from claimlint.nlp.classifier import (
    CONFIDENT_THRESHOLD,
    FLAG_THRESHOLD,
    HEADING_THRESHOLD,
    UNCUED_THRESHOLD,
)
from claimlint.registry.model import Certainty
from claimlint.rules.base import Rule, Violation

if TYPE_CHECKING:
    from claimlint.matching import ClaimMatch

# The words of a myth label or heading that rejects what it quotes ("Myth:", "Myths we hear").
_MYTH = re.compile(r"\b(?:myths?|misconceptions?|fiction)\b", re.I)
_MYTH_LABEL = re.compile(r"^\W*(?:myths?|misconceptions?)\s*[:.\u2014\u2013-]", re.I)


class LikelyOverclaim(Rule):
    """Flags a claim the overclaim classifier rates as likely overstated when no rule did.

    What it flags
    -------------
    A sentence stated outright (not hedged, qualified or negated) that no other rule flagged,
    but whose wording the bundled classifier (a bag-of-words model trained on the team's
    annotated dev corpus) rates as likely overstated: at 0.5 or more for a claim the cue lists
    found, at ``UNCUED_THRESHOLD`` for a sentence on a treatment's page in which no cue word at
    all was found ("Gone after one weekend."), and at the higher ``HEADING_THRESHOLD`` (0.9) for
    such a heading or title ("Feel your feet again"). Below ``CONFIDENT_THRESHOLD``
    (0.8) it leaves hedged, negated and harm-stating claims and registry patterns to the rules;
    at or above it, it flags them too, unless the sentence cites a source, states a harm,
    states the limits of the evidence, denies the strong form of a claim ("does not
    permanently relieve") or carries every qualifier its registry entry requires. It never
    flags a line labelled "Myth:" or a quotation the page rejects as a myth ('Myth: "One drip
    ends pain."'): the model would score the quoted promise, not the page's claim.
    It catches overclaims in words the cue lists do not hold yet, and hedges or denials the
    rules misread ("may be the one therapy that finally ends it", "nothing in the bag could
    harm you").

    Why it matters
    --------------
    Clinic copy invents new ways to promise too much faster than any word list grows. A
    reviewer who sees the sentence can judge it; a miss never reaches one.

    Overstated copy
    ---------------
    Our patients leave the clinic with their old lives handed back to them.

    Compliant copy
    --------------
    Some patients report less pain for a few weeks after a series of infusions.

    Options
    -------
    None. Turn the classifier off with ``classifier = false`` or ``--no-classifier``; this
    rule then never fires.

    Known false positives
    ---------------------
    The model knows words, not meaning: a fair sentence that uses the vocabulary of
    overclaims ("permanent nerve damage is a known risk of ...") can score high. The finding
    names no registry entry and no cue, so it is a prompt for review, not a verdict.

    References
    ----------
    scripts/train_classifier.py (training), README "Measuring quality" (its effect).
    """

    code = "CL110"
    name = "likely-overclaim"
    summary = "Claim the overclaim classifier rates as likely overstated"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        # A harm named or stated ("Serious side effects" heading a table row) is fair copy.
        harm = not claim.negated and (claim.label == "RISK" or (
            claim.label == "REGISTRY" and claim.topic in ("safety", "addiction")))
        # An entry that requires qualifiers and found them all: the copy carries the limits
        # the evidence sets, which a bag of words cannot see ("short-term relief of CRPS pain").
        qualified = match.entry is not None and bool(match.entry.qualifiers) \
            and not match.missing_qualifiers
        # "More research is needed", "the evidence is not strong": a hedged or negated
        # statement about the evidence states its limits.
        limits = claim.topic == "evidence" and (
            claim.negated or claim.certainty <= Certainty.HEDGED)
        # "does not permanently relieve pain", "is not always effective": denying the strong
        # form of a claim is how fair copy states a limit.
        limits = limits or (claim.negated and any(q.category == "BOOSTER" for q in claim.cues))
        # 'Myth: "One drip and you'll never need a painkiller again."': the page rejects the
        # quoted words, and the words are all the model reads.
        if (claim.negated and any(q.category == "NEGATION" and _MYTH.search(q.text)
                                  for q in claim.cues)) or _MYTH_LABEL.match(claim.sentence):
            return
        if (match.score is not None and match.score >= CONFIDENT_THRESHOLD
                and not claim.cited and not harm and not qualified and not limits):
            # So sure a reading outweighs the cues: a hedge that does not cover the claim ("may
            # be the only therapy that finally ends it"), a denial of a harm in words no list
            # holds ("nothing in the bag could possibly harm you"), a registry pattern the claim
            # twists ("never need a booster").
            yield self._violation(match)
            return
        # A hedged, qualified or negated claim already has its limits in words the rules read;
        # the model only weighs in on claims stated outright.
        if claim.label in ("RISK", "REGISTRY"):
            # Stating a harm is fair copy (denying one is for CL101 and CL102); a registry
            # pattern's wording is for its entry to judge, and the entry did.
            return
        threshold = FLAG_THRESHOLD if claim.label != UNCUED else (
            HEADING_THRESHOLD if claim.fragment else UNCUED_THRESHOLD)
        if (match.score is None or match.score < threshold or claim.negated
                or claim.certainty < Certainty.ASSERTED):
            return
        yield self._violation(match)

    @staticmethod
    def _violation(match: ClaimMatch) -> Violation:
        claim = match.claim
        # A quote's signature ("... again.' - Dana R.") is not part of what the quote claims.
        return Violation(claim.sentence_start, unsigned_end(claim),
                         f"This claim reads like an overclaim (classifier score "
                         f"{match.score:.2f}) though no rule names why; a reviewer should check "
                         "it against the evidence.",
                         "Hedge the claim, say who it may help and how much, or cite the source "
                         "that backs it.")
