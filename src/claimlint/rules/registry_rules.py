"""Rules that judge a claim against the registry entry it matched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from claimlint.claims import Claim
from claimlint.findings import Edit, Fix, Severity
from claimlint.matching import ClaimMatch
from claimlint.registry.model import BEFORE_PREDICATE, SENTENCE_END, Certainty
from claimlint.rules.base import Rule, Violation

_STUDY = re.compile(r"\b(trial|study|studies|trials|research|guideline|guidance|consensus)\b",
                    re.I)
# What makes a cited finding one described study's result rather than "studies show": its
# year, its size, its design or its limits; or "these studies", the ones just described.
_SPECIFIC_STUDY = re.compile(
    r"\b(?:these|those|both|such) (?:\w+ )?(?:studies|trials)\b|"
    r"\b(?:one|a single)\s+(?:[\w-]+\s+){0,3}(?:trial|study)\b|"
    r"\b(?:19|20)\d\d\b|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|sixty|hundred)\s+(?:people|patients|adults|participants|"
    r"children|veterans|women|men|subjects|volunteers)\b|\b(?:small|pilot|open-label|crossover|"
    r"cross-over|randomi[sz]ed|RCT|placebo-controlled|controlled|case series|meta-analysis|"
    r"systematic review|rats?|mice|rodents?|laborator(?:y|ies))\b", re.I)


def _reports_a_study(claim: Claim) -> bool:
    """A finding reported from one described study ("a small 2020 crossover trial in 20 people
    found ...") is scoped by that study; a bare "studies show" is not, nor is a boosted one."""
    return claim.cited and claim.certainty < Certainty.BOOSTED and bool(
        _SPECIFIC_STUDY.search(claim.sentence))


# Between a claim and the end of its sentence, anything that may start another clause or
# aside: a qualifier added at the sentence's end would then qualify the wrong words.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]\"\u201c\u201d\u2014\u2013]|\s-\s"
    r"|\b(?:and|but|or|nor|so|yet|which|who|that|while|whereas|because|although|though|if"
    r"|unless|when|whenever|where|as|than|since|after|before|until)\b", re.I)
_FINAL_PUNCTUATION = ".!?\u2026"
_AFTER_MODAL = re.compile(r"\b(?:can|could|may|might|will|would|should|to) $", re.I)


def _insertion_point(match: ClaimMatch, position: str) -> int | None:
    """Block offset where a qualifier goes, or None where inserting it could misread."""
    claim = match.claim
    sentence, base = claim.sentence, claim.sentence_start
    if position == BEFORE_PREDICATE:
        # Only where the claim's verb follows a modal or "to" ("can ease" -> "can temporarily
        # ease"): without a tagger that is where an adverb is known to read right.
        at = claim.start - base
        return claim.start if _AFTER_MODAL.search(sentence[:at]) else None
    assert position == SENTENCE_END
    end = len(sentence.rstrip().rstrip(_FINAL_PUNCTUATION).rstrip())
    tail = sentence[claim.end - base:end]
    if end < claim.end - base or not sentence[end - 1:end].isalnum() \
            or _CLAUSE_BREAK.search(tail):
        return None
    return base + end


def _qualifier_fix(match: ClaimMatch) -> Fix | None:
    """Insert every missing qualifier where its registry fix says, or None when one of them
    has no fix or no place where it reads right (a partial fix would not resolve CL004)."""
    inserts: dict[int, list[str]] = {}
    positions: dict[int, str] = {}
    for q in match.missing_qualifiers:
        if q.fix is None:
            return None
        at = _insertion_point(match, q.fix.position)
        if at is None:
            return None
        inserts.setdefault(at, []).append(q.fix.insert)
        positions[at] = q.fix.position
    edits = []
    for at, texts in sorted(inserts.items()):
        if positions[at] == BEFORE_PREDICATE:
            text = "".join(f"{t} " for t in texts)
        else:  # a clause such as ", but the evidence is weak" brings its own punctuation
            text = "".join(t if t[0] in ",;:" else f" {t}" for t in texts)
        edits.append(Edit(at, at, text))
    if not edits:
        return None
    quoted = " and ".join(f'"{q.fix.insert}"' for q in match.missing_qualifiers if q.fix)
    return Fix(tuple(edits), safe=True, message=f"Insert {quoted}")


def _rewording_fix(match: ClaimMatch) -> Fix | None:
    """The entry's first rewording whose text overlaps the claim, as a replacement."""
    entry, claim = match.entry, match.claim
    if entry is None:
        return None
    sentence, base = claim.sentence, claim.sentence_start
    for rewording in entry.fixes:
        for m in rewording.pattern.finditer(sentence):
            start, end = base + m.start(), base + m.end()
            if m.start() == m.end() or not (start <= claim.end and claim.start <= end):
                continue
            try:
                text = m.expand(rewording.replacement)
            except (re.error, IndexError):
                continue
            if m.start() == 0 and m.group(0)[:1].isupper() and text[:1].islower():
                text = text[:1].upper() + text[1:]  # the rewording now starts the sentence
            return Fix((Edit(start, end, text),), safe=rewording.safe,
                       message=f'Replace "{m.group(0)}" with "{text}"')
    return None


def _grade(match: ClaimMatch) -> str:
    assert match.entry is not None
    grade = match.entry.evidence.grade
    return "no" if grade == "none" else grade.replace("_", " ")


class ContradictedClaim(Rule):
    """Flags a claim the evidence contradicts.

    What it flags
    -------------
    A claim that matches a registry entry whose verdict is ``contradicted``, at any certainty:
    a hedge does not make a false statement fair.

    Why it matters
    --------------
    Advertising must not mislead (FTC Act s.5; UK CAP Code 3.1 and 12.1). A claim the
    evidence points against misleads patients whatever its wording.

    Overstated copy
    ---------------
    Ketamine is extremely safe.

    Compliant copy
    --------------
    Ketamine is generally well tolerated when given with close medical monitoring, but side
    effects such as dissociation, nausea and raised blood pressure are common.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A sentence that quotes a claim in order to rebut it ("Some clinics say ketamine is extremely
    safe; it is not") may be flagged; suppress it with a reason.

    References
    ----------
    FTC Health Products Compliance Guidance (2022); CAP Code section 12.
    """

    code = "CL001"
    name = "contradicted-claim"
    summary = "Claim contradicted by the evidence in the registry"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        entry = match.entry
        if entry is None or entry.verdict != "contradicted" or entry.topic == "regulatory":
            return
        yield Violation(match.claim.start, match.claim.end,
                        f"Contradicted by the evidence ({_grade(match)} evidence): "
                        f"{entry.message}", entry.suggestion, _rewording_fix(match))


class UnsupportedClaim(Rule):
    """Flags a claim the evidence does not support, stated more firmly than it allows.

    What it flags
    -------------
    A claim matching a registry entry whose verdict is ``unsupported`` and whose certainty is
    above the entry's ``max_certainty`` (often ``none``: the claim should not be made at all).
    A hedged claim ("ketamine may ease anxiety") is reported as a warning rather than an error:
    it still claims more than the evidence shows, but says it is unsure.

    Why it matters
    --------------
    Health claims need competent and reliable scientific evidence before they are made
    (FTC substantiation doctrine; CAP Code 12.1).

    Overstated copy
    ---------------
    Ketamine therapy promotes the regeneration of damaged nerves.

    Compliant copy
    --------------
    Ketamine blocks NMDA receptors, which take part in pain signalling; how it eases chronic
    pain is not fully understood.

    Options
    -------
    None.

    Known false positives
    ---------------------
    Copy that reports a negative trial ("ketamine did not relieve cancer pain in the largest
    trial") is negated and passes; so does a finding reported from one described study (its
    year, size, design or limits: "a small 2021 trial in 30 adults found ..."), unless it is
    boosted. A positive paraphrase of an animal study without "in animals" is flagged, on
    purpose, and so is a bare "studies show".

    References
    ----------
    FTC Health Products Compliance Guidance (2022), section 3; CAP Code 12.1.
    """

    code = "CL002"
    name = "unsupported-claim"
    summary = "Claim the evidence does not support"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        entry, claim = match.entry, match.claim
        if entry is None or entry.verdict != "unsupported":
            return
        if claim.certainty <= entry.max_certainty or _reports_a_study(claim):
            return
        yield Violation(claim.start, claim.end,
                        f"Unsupported ({_grade(match)} evidence): {entry.message}",
                        entry.suggestion, _rewording_fix(match))


class OverstatedCertainty(Rule):
    """Flags a claim stated more strongly than its evidence allows.

    What it flags
    -------------
    A claim matching a ``supported`` or ``qualified`` entry whose asserted certainty (hedged <
    qualified < plain assertion < boosted) is above the entry's ``max_certainty``. A documented
    harm (an entry marked ``harm``) stated firmly is caution, not a claim for the therapy, and
    is left alone; its denial is what the rules judge.

    Why it matters
    --------------
    A claim with some evidence still misleads when it is presented as settled, universal or
    permanent; regulators judge the net impression (FTC; CAP Code 3.1, 12.1).

    Overstated copy
    ---------------
    Ketamine infusions relieve CRPS pain.

    Compliant copy
    --------------
    Ketamine infusions may ease CRPS pain for some patients for several weeks; the evidence is
    moderate.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A certainty cue that belongs to another clause can be read as governing the claim when no
    terminator ("but", "however", ";") separates them. A finding reported from one described
    study (year, size, design or limits) is not checked unless it is boosted; a bare "studies
    show" is.

    References
    ----------
    FTC Health Products Compliance Guidance (2022); CAP Code 3.1 and 12.1.
    """

    code = "CL003"
    name = "overstated-certainty"
    summary = "Claim stated more strongly than the evidence allows"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        entry, claim = match.entry, match.claim
        if entry is None or entry.verdict not in ("supported", "qualified"):
            return
        if claim.certainty <= entry.max_certainty or _reports_a_study(claim):
            return
        if entry.harm and not claim.negated:
            # "I always ask about your bladder": a documented harm stated firmly is caution,
            # not a claim for the therapy.
            return
        allowed = "not at all" if entry.max_certainty == Certainty.NONE \
            else f"at most {entry.max_certainty}"
        cues = ", ".join(f'"{c.text}"' for c in claim.cues if c.category == "BOOSTER")
        how = f"{claim.certainty}" + (f" ({cues})" if cues else "")
        yield Violation(claim.start, claim.end,
                        f"Stated as {how}; the {_grade(match)} evidence allows {allowed}: "
                        f"{entry.message}", entry.suggestion, _rewording_fix(match))


class MissingQualifier(Rule):
    """Flags a claim that lacks a qualifier its registry entry requires.

    What it flags
    -------------
    A claim stated at exactly the strongest certainty its entry allows but missing one of the
    entry's required qualifiers (e.g. "short-term", "in some patients", "the evidence is
    moderate", "off-label"),
    looked for in the same sentence or paragraph as the entry says.

    Why it matters
    --------------
    Qualifications must be clear and close to the claim they qualify; a benefit without its
    limits gives a misleading impression (FTC disclosure guidance; CAP Code 3.9-3.10).

    Overstated copy
    ---------------
    Ketamine infusions can ease CRPS pain.

    Compliant copy
    --------------
    Ketamine infusions can ease CRPS pain for some patients for up to 12 weeks.

    Options
    -------
    None.

    Headings, titles and bare list items are not checked: they have no room for qualifiers,
    and the sentence or lead-in that carries the claim is.

    Where every missing qualifier has a ``fix`` in the registry, ``claimlint check --fix``
    inserts them (a safe fix), e.g. "... can ease CRPS pain for several weeks."

    Known false positives
    ---------------------
    A qualifier phrased in words the entry does not list is not recognised; add the wording to
    the entry's ``any_of`` list.

    References
    ----------
    FTC .com Disclosures (2013); CAP Code 3.9 and 3.10.
    """

    code = "CL004"
    name = "missing-qualifier"
    summary = "Required qualifier missing"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        entry, claim = match.entry, match.claim
        if entry is None or not match.missing_qualifiers or entry.verdict == "contradicted":
            return
        if claim.fragment:
            return  # a heading or a bare list item ("- CRPS") cannot carry qualifiers
        if claim.cited or any(_STUDY.search(c.text) for c in claim.cues):
            return  # a finding reported from a named study is scoped by that study
        if claim.certainty != entry.max_certainty:
            # Stronger: the certainty rules report it. Softer: the copy already gave ground,
            # and asking for the qualifiers too would flag honest, hedged copy.
            return
        labels = ", ".join(q.label for q in match.missing_qualifiers)
        examples = "; ".join(f'e.g. "{q.any_of[0]}"' for q in match.missing_qualifiers)
        yield Violation(claim.start, claim.end,
                        f"Missing required qualifier ({labels}; {examples}): {entry.message}",
                        entry.suggestion, _qualifier_fix(match))


class RegulatoryMisstated(Rule):
    """Flags a misstated regulatory status, such as "FDA approved" for an unapproved use.

    What it flags
    -------------
    A claim matching a ``regulatory`` registry entry whose verdict is ``contradicted``: ketamine
    described as FDA-approved for depression or pain, the esketamine nasal spray's approval
    attributed to ketamine infusions, and the like.

    Why it matters
    --------------
    Misstating approval status is among the most serious advertising breaches: it is false,
    and it implies a regulator vouches for an off-label use (FD&C Act; FTC; CAP Code 12).

    Overstated copy
    ---------------
    Ketamine has been approved by the FDA for treatment-resistant depression.

    Compliant copy
    --------------
    Esketamine nasal spray (Spravato), a related but different product, is FDA-approved for
    treatment-resistant depression; ketamine infusions for pain or depression are off-label.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A sentence naming both Spravato and ketamine may be attributed to ketamine when the copy
    blurs the two; that blur is usually the problem.

    References
    ----------
    21 CFR 202.1; FTC Health Products Compliance Guidance (2022); CAP Code 12.
    """

    code = "CL005"
    name = "regulatory-misstated"
    summary = "Regulatory status misstated"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        entry = match.entry
        if entry is None or entry.verdict != "contradicted" or entry.topic != "regulatory":
            return
        yield Violation(match.claim.start, match.claim.end,
                        f"Regulatory status misstated: {entry.message}", entry.suggestion,
                        _rewording_fix(match))
