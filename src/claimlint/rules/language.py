"""Language rules: overclaims recognisable from wording alone, about any therapy.

They judge claims whose wording no registry entry recognised (an entry with match patterns for
that wording knows better), and only claims about the page's own intervention or another
therapy, never claims about comparators such as opioids or surgery.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from claimlint.claims import Claim
from claimlint.findings import Severity
from claimlint.matching import ClaimMatch
from claimlint.nlp.lexicon import non_substance_therapies
from claimlint.registry.model import Certainty
from claimlint.rules.base import Rule, Violation

_APPROVAL = re.compile(r"approv|clear|licens", re.I)
_PERCENT = re.compile(r"\d\s*%|\bper ?cent\b", re.I)
_ABSOLUTE_SAFE = {"harmless", "risk-free", "risk free", "side-effect-free", "side effect free",
                  "free of side effects", "no downside", "no risk", "free of any risk",
                  "nothing can go wrong", "can't go wrong", "cannot go wrong",
                  "nothing to worry about", "nothing here to worry about", "safe for everyone",
                  "nothing worth losing sleep over", "nothing here worth losing sleep over",
                  "suitable for everyone", "safe for anyone", "safe for all", "safe for all ages",
                  "all natural", "all-natural", "zero downside", "zero risk", "lose nothing",
                  "nothing to lose", "nothing to fear", "nothing to think twice about",
                  "nothing artificial", "no need to worry", "nothing to be afraid of",
                  "nothing to be scared of", "nothing to be frightened of", "can't hurt you",
                  "cannot hurt you", "can't harm you", "cannot harm you", "could never hurt you"}


# "about as risky as a cup of coffee", "as gentle as medicine gets": a treatment likened to
# something harmless; "as safe as possible" only states an aim.
_LIKENED = re.compile(r"^as\b.*\bas$", re.I)
_AIM = re.compile(r"^\s*(?:possible|we can|they can|it can|can be|is possible|practicable|"
                  r"reasonably)\b", re.I)


def _likened_to_harmless(claim: Claim) -> bool:
    after = claim.sentence[claim.end - claim.sentence_start:]
    return bool(_LIKENED.match(claim.trigger)) and not _AIM.match(after)


def _judged(match: ClaimMatch, label: str) -> bool:
    """A language rule judges a claim's wording unless an entry about that wording matched it
    (an entry with patterns, or about the negated claim). A condition entry judges the evidence
    for the condition, which is another question: "ketamine cures CRPS" is both overstated for
    CRPS and a cure claim."""
    claim = match.claim
    deferred = match.entry is not None and match.entry.about_wording
    return (not deferred and claim.label == label
            and claim.intervention_kind in ("INTERVENTION", "OTHER_THERAPY"))


def _quote(match: ClaimMatch) -> str:
    c = match.claim
    block_text = c.sentence
    offset = c.start - c.sentence_start
    return block_text[offset: offset + (c.end - c.start)]


# "risk of dependence": a risk that is only an addiction risk.
_RISK_OF_ADDICTION = re.compile(
    r"(?:(?:no|zero|without|not any|little|minimal)\s+)?(?:risks?|danger|potential|chance)"
    r"\s+(?:of|for)\s+(?:\w+\s+)?"
    r"(?:dependence|addiction|abuse|misuse|withdrawal|becoming addicted|getting hooked)", re.I)


# Cells, blood or tissue from the patient's own body cannot be rejected by it: "using your own
# cells removes the risk of immune rejection" denies one risk that truly does not arise.
_OWN_TISSUE = re.compile(r"\b(?:your|their|the patient's|a patient's|his|her) "
                         r"(?:own|body's own) (?:\w+ )?"
                         r"(?:cells|blood|plasma|platelets|tissue|fat|body)\b|\bautologous\b",
                         re.I)
_REJECTION = re.compile(r"[\w\s]{0,30}?\breject(?:ion|ed|s)?\b", re.I)


def _own_tissue_rejection(claim: Claim) -> bool:
    at = claim.start - claim.sentence_start
    return bool(_OWN_TISSUE.search(claim.sentence) and _REJECTION.match(claim.sentence, at))


# Whom a hedged safety word is said of: "appears harmless for most people".
_FOR_MOST = re.compile(r"\b(?:for|in) (?:most|the majority of) (?:healthy )?"
                       r"(?:people|patients|adults|users|clients)\b", re.I)


class AbsoluteSafety(Rule):
    """Flags absolute safety claims: "extremely safe", "no side effects", "risk-free".

    What it flags
    -------------
    Safety claims boosted to absolutes ("completely safe", "extremely safe"), safety words that
    are absolute in themselves ("harmless", "risk-free"), and denials or minimising of side
    effects and risks ("no side effects", "minimal risk") that are not hedged.

    Why it matters
    --------------
    No effective treatment is free of risk. Absolute safety claims cannot be substantiated and
    stop patients weighing risks (FTC; CAP Code 12.1 and 3.1).

    Overstated copy
    ---------------
    NAD+ infusions are completely safe and have no side effects.

    Compliant copy
    --------------
    NAD+ infusions are usually well tolerated; some people feel nausea, flushing or cramping
    during the drip.

    Options
    -------
    None.

    Known false positives
    ---------------------
    Reports of a single study ("no serious side effects were seen in this trial") read as
    general denials; cite the study in the sentence or suppress with a reason.

    References
    ----------
    FTC Health Products Compliance Guidance (2022); CAP Code 12.1.
    """

    code = "CL101"
    name = "absolute-safety"
    summary = "Absolute or minimised safety claim"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if claim.intervention in non_substance_therapies() and _RISK_OF_ADDICTION.match(
                claim.sentence, claim.start - claim.sentence_start):
            return  # "TMS carries no risk of dependence": true of a therapy with no substance
        if _own_tissue_rejection(claim):
            return
        # "appears harmless for most people" is hedged and says for whom: no absolute.
        limited = claim.certainty == Certainty.HEDGED and (any(
            c.category == "QUALIFIER" for c in claim.cues) or _FOR_MOST.search(claim.sentence))
        if _judged(match, "SAFE") and not claim.negated and not limited and (
            claim.certainty == Certainty.BOOSTED or claim.trigger.lower() in _ABSOLUTE_SAFE
            or _likened_to_harmless(claim)
        ):
            what = f'"{_quote(match)}"'
        elif (_judged(match, "RISK") and claim.negated
              and claim.certainty != Certainty.HEDGED):
            what = f'"{_quote(match)}" denies or minimises risks'
        else:
            return
        yield Violation(claim.start, claim.end,
                        f"Absolute safety claim {what}: no treatment is free of risk.",
                        "Say the treatment is generally well tolerated under medical supervision "
                        "and name its common side effects.")


class AddictionMinimized(Rule):
    """Flags claims that deny or play down addiction, abuse or withdrawal.

    What it flags
    -------------
    Negated addiction claims that are not hedged: "not addictive", "non-habit-forming",
    "no withdrawal", "no risk of abuse", "far lower potential for abuse".

    Why it matters
    --------------
    Controlled substances carry misuse and dependence risks that patients must be told about;
    denying them is misleading and unsafe (FTC; CAP Code 12; DEA scheduling).

    Overstated copy
    ---------------
    Our CBD gummies are non-addictive and you will never have withdrawal symptoms.

    Compliant copy
    --------------
    Dependence on CBD appears uncommon, but tell your doctor about any other medicines you take.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A correct negative about a substance with no known abuse potential is flagged; suppress it
    with a reason and a source.

    References
    ----------
    21 USC 812(b); FTC Health Products Compliance Guidance (2022).
    """

    code = "CL102"
    name = "addiction-minimized"
    summary = "Addiction, abuse or withdrawal risk denied or minimised"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if not (_judged(match, "ADDICTION") and claim.negated
                and claim.certainty != Certainty.HEDGED) or claim.cited:
            return  # a named study's finding ("a 2017 WHO review found no ...") is scoped by it
        if claim.intervention in non_substance_therapies():
            return  # TMS or acupuncture is no substance: nothing in it can be addictive
        yield Violation(claim.start, claim.end,
                        f'"{_quote(match)}" denies or minimises addiction, abuse or withdrawal '
                        "risks.",
                        "State the misuse and dependence risks plainly and how the clinic "
                        "manages them.")


class CureOrGuarantee(Rule):
    """Flags promises of a cure or guaranteed result.

    What it flags
    -------------
    Cure, panacea, "pain-free", "eliminate your pain" and guarantee language about a treatment,
    unless negated ("ketamine is not a cure"). A hedge does not rescue a cure claim.

    Why it matters
    --------------
    Claims to cure, or guarantees of results, are prohibited for most health products unless
    backed by strong evidence (CAP Code 12.1-12.2; FTC).

    Overstated copy
    ---------------
    Stem cell injections may be the only treatment that truly cures arthritis.

    Compliant copy
    --------------
    Stem cell injections for arthritis are experimental; their benefit is not established.

    Options
    -------
    None.

    Known false positives
    ---------------------
    "Pain-free" used of a procedure's comfort ("a pain-free injection") is flagged.

    References
    ----------
    CAP Code 12.1, 12.2; FTC Health Products Compliance Guidance (2022).
    """

    code = "CL103"
    name = "cure-or-guarantee"
    summary = "Cure or guaranteed result promised"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if not _judged(match, "CURE") or claim.negated or (
                claim.cited and _PERCENT.search(claim.sentence)):
            return  # a cited trial's outcome ("39% were pain-free at two hours") is reported
        yield Violation(claim.start, claim.end,
                        f'"{_quote(match)}" promises a cure or a guaranteed result.',
                        "Describe the realistic benefit: how much relief, for whom, and for how "
                        "long, as the evidence shows.")


class UnprovenMechanism(Rule):
    """Flags unproven mechanism claims: nerve regeneration, brain repair, "resets" pain.

    What it flags
    -------------
    Mechanism claims that are not hedged and that the evidence does not show for any common
    clinic therapy: regenerating or repairing nerves or the brain, "resetting" or "rewiring"
    pain pathways, "treating the root cause", detoxifying.

    Why it matters
    --------------
    Invented mechanisms make a treatment sound curative and scientific when it is not; they
    need the same substantiation as any health claim (FTC; CAP Code 12.1).

    Overstated copy
    ---------------
    Hyperbaric oxygen therapy repairs damaged brain cells and treats the root cause of pain.

    Compliant copy
    --------------
    In animal studies hyperbaric oxygen changed markers of inflammation; whether this helps
    people with chronic pain is not known.

    Options
    -------
    None.

    Known false positives
    ---------------------
    Literal uses ("the clinic repairs its equipment") in health copy are rare but possible.

    References
    ----------
    FTC Health Products Compliance Guidance (2022), section 3.
    """

    code = "CL104"
    name = "unproven-mechanism"
    summary = "Unproven mechanism of action asserted"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if not _judged(match, "MECH_UNPROVEN") or claim.negated:
            return
        if claim.certainty <= Certainty.HEDGED:
            return
        yield Violation(claim.start, claim.end,
                        f'Mechanism claim "{_quote(match)}" is not shown by evidence in people.',
                        "Describe the known mechanism with a hedge (\"is thought to\"), or say "
                        "the finding comes from animal studies.")


class UnsourcedStatistic(Rule):
    """Flags statistics about patients or outcomes given without a source.

    What it flags
    -------------
    Percentages, fractions and "N out of M" figures in a health claim with no citation marker
    in the sentence (a footnote number, "(Author 2019)", "according to", "a 2019 study").

    Why it matters
    --------------
    Numbers persuade; an unsourced success rate cannot be checked and is often taken from an
    unrepresentative study (CAP Code 3.7; FTC substantiation).

    Overstated copy
    ---------------
    80% of our PRP patients are pain-free within a month.

    Compliant copy
    --------------
    In one small trial, about half of patients given PRP reported less knee pain at six months
    (Smith 2021).

    Options
    -------
    None.

    Known false positives
    ---------------------
    A source given in the next sentence or a linked reference list is not seen.

    References
    ----------
    CAP Code 3.7; FTC Health Products Compliance Guidance (2022).
    """

    code = "CL105"
    name = "unsourced-statistic"
    summary = "Statistic given without a source"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if not _judged(match, "STATISTIC") or claim.cited:
            return
        yield Violation(claim.start, claim.end,
                        f'Statistic "{_quote(match)}" has no source.',
                        "Cite the study next to the figure and say who it applies to, or remove "
                        "it.")


class OverstatedEvidence(Rule):
    """Flags claims that overstate the research: "studies prove", "numerous studies".

    What it flags
    -------------
    Claims about the evidence boosted to certainty or volume ("proven", "clinically proven",
    "numerous studies have found", "widely studied") that are not hedged.

    Why it matters
    --------------
    The strength of evidence is itself a claim: "proven" implies a level of certainty that
    small or early studies cannot give (FTC substantiation; CAP Code 3.7, 12.1).

    Overstated copy
    ---------------
    Numerous studies prove that TMS works for everyone with depression.

    Compliant copy
    --------------
    Several randomised trials found TMS helped some people with depression that had not
    responded to medication.

    Options
    -------
    None.

    Known false positives
    ---------------------
    An accurate description of a large evidence base (a Cochrane review of dozens of trials) may
    be flagged; cite it.

    References
    ----------
    FTC Health Products Compliance Guidance (2022), section 3.
    """

    code = "CL106"
    name = "overstated-evidence"
    summary = "Strength of evidence overstated"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if (not _judged(match, "EVIDENCE") or claim.negated
                or claim.certainty != Certainty.BOOSTED):
            return
        yield Violation(claim.start, claim.end,
                        f'"{_quote(match)}" overstates what the research shows.',
                        "Describe the evidence as it is: how many studies, how large, and how "
                        "certain.")


class UnsupportedComparison(Rule):
    """Flags unsourced comparisons with other treatments.

    What it flags
    -------------
    Comparative claims ("more effective than opioids", "better than physical therapy", "the
    only treatment that", "unlike traditional medications") that are not hedged and not sourced.

    Why it matters
    --------------
    Comparative health claims need head-to-head evidence; without it they disparage other
    treatments and mislead (CAP Code 3.33-3.35; FTC).

    Overstated copy
    ---------------
    Acupuncture is more effective than painkillers for back pain.

    Compliant copy
    --------------
    Acupuncture may ease back pain for some people; it has not been shown to work better than
    pain medication.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A comparison backed by a citation in the next sentence is flagged.

    References
    ----------
    CAP Code 3.33-3.35; FTC Health Products Compliance Guidance (2022).
    """

    code = "CL107"
    name = "unsupported-comparison"
    summary = "Comparison with other treatments without support"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if (not _judged(match, "COMPARISON") or claim.negated or claim.cited
                or claim.certainty <= Certainty.HEDGED):
            return
        yield Violation(claim.start, claim.end,
                        f'Comparison "{_quote(match)}" is not supported by head-to-head evidence.',
                        "Remove the comparison or cite a trial that compared the treatments "
                        "directly.")


class OverstatedDuration(Rule):
    """Flags overstated duration of benefit: "lasting relief", "permanent results".

    What it flags
    -------------
    Claims of lasting, long-term or permanent benefit ("lasting relief", "long-term results",
    "permanently") that are not hedged, and boosted claims of instant onset ("instant relief").

    Why it matters
    --------------
    Most clinic therapies give temporary relief at best; promising lasting benefit misleads
    patients about what they pay for and how often they must return (CAP Code 12.1; FTC).

    Overstated copy
    ---------------
    One course of PRP injections gives lasting relief from knee pain.

    Compliant copy
    --------------
    PRP injections may ease knee pain for some people for a few months; many need repeat
    treatments.

    Options
    -------
    None.

    Known false positives
    ---------------------
    "Long-term" describing a condition rather than the benefit ("long-term pain") is not
    flagged; "lasting" describing a side effect may be.

    References
    ----------
    CAP Code 12.1; FTC Health Products Compliance Guidance (2022).
    """

    code = "CL108"
    name = "overstated-duration"
    summary = "Lasting or permanent benefit claimed"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        onset = _judged(match, "ONSET") and claim.certainty == Certainty.BOOSTED
        if (not (_judged(match, "DURATION_LONG") or onset) or claim.negated
                or claim.certainty <= Certainty.HEDGED):
            return
        if onset and not _judged(match, "DURATION_LONG"):
            yield Violation(claim.start, claim.end,
                            f'"{_quote(match)}" promises results sooner or surer than the '
                            "evidence shows.",
                            "Say when relief, if any, typically starts in studies and that it "
                            "varies from person to person.")
            return
        yield Violation(claim.start, claim.end,
                        f'"{_quote(match)}" claims a lasting benefit the evidence does not show.',
                        "Say how long relief typically lasts in studies and that repeat "
                        "treatments are often needed.")


# "can help" is how clinics phrase a promise; it limits nothing. A hedge ("may"), a population
# ("some people") or a duration ("short-term") does.
_PROMISE_WORDS = frozenset({"can", "help", "helps", "helped", "helping", "often", "usually"})


def _softened(claim: Any) -> bool:
    if claim.certainty >= Certainty.ASSERTED:
        return False
    return any(c.category == "HEDGE" or (c.category == "QUALIFIER"
                                           and c.text.lower() not in _PROMISE_WORDS)
               for c in claim.cues) or not claim.cues


class OverstatedEfficacy(Rule):
    """Flags unhedged, unsourced benefit claims about a therapy the registry does not cover.

    What it flags
    -------------
    Efficacy claims stated as settled or strengthened ("relieves fibromyalgia", "highly
    effective", "a powerful tool for autism", "works for virtually any joint problem") about a
    therapy no registry entry covers, with no hedge and no source in the sentence. An item
    under a lead-in that reports outcomes ("Parents tell us:") states a benefit even with no
    cue word in it, unless the list names a side effect. Claims a registry entry covers are
    judged against its evidence instead.

    Why it matters
    --------------
    A boosted benefit claim needs strong evidence; for most clinic therapies it is small or
    mixed, and the boost is what misleads (FTC substantiation; CAP Code 12.1).

    Overstated copy
    ---------------
    Our hyperbaric chamber is a powerful tool for autism, long COVID and Lyme disease.

    Compliant copy
    --------------
    Hyperbaric oxygen is an established treatment for decompression sickness and some
    non-healing wounds; evidence for other conditions is limited.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A boost that belongs to another clause ("an extremely common condition that PRP may help")
    can be read as boosting the claim when no terminator separates them.

    References
    ----------
    FTC Health Products Compliance Guidance (2022); CAP Code 12.1.
    """

    code = "CL109"
    name = "overstated-efficacy"
    summary = "Unhedged benefit claim for a therapy without registry evidence"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if (match.entry is not None or not _judged(match, "EFFICACY") or claim.negated
                or _softened(claim) or claim.cited or claim.intervention_kind != "OTHER_THERAPY"):
            return
        boosts = ", ".join(f'"{c.text}"' for c in claim.cues if c.category == "BOOSTER")
        how = f"boosted by {boosts}" if boosts else "stated as settled"
        yield Violation(claim.start, claim.end,
                        f"Benefit claim {how}; no registry evidence backs it for this therapy, "
                        "and the copy neither hedges nor sources it.",
                        "State the benefit as the evidence shows it: who it may help, how much, "
                        "and how strong the evidence is.")


class ImpliedApproval(Rule):
    """Flags regulatory standing a therapy cannot have from what the copy offers for it.

    What it flags
    -------------
    Credentials that are not approvals, offered as if they were: a facility's FDA registration
    or inspection given as proof ("made in an FDA-registered lab, which means every vial meets
    federal standards"), "FDA-compliant" or "FDA-backed"; an approval given to what regulators
    do not approve (a clinic, protocol, procedure or pharmacy) or stretched to everything
    ("cleared for all types of trauma", "fully FDA-approved"); one product's approval carried
    over to another ("that same approval extends to our injections"); a compounded product
    called the brand-name medicine ("identical to Wegovy"); and a therapy said to sit outside
    regulation ("exempt from FDA oversight"). The trigger patterns are data
    (``nlp/patterns/triggers.json``, label ``CREDENTIAL``); negated, hedged and reported
    claims are left alone.

    Why it matters
    --------------
    Approval or clearance covers a named product for named uses after review. Registering a
    facility or listing a device with the FDA does not denote approval, and presenting it as
    approval misbrands; compounded medicines are not FDA-approved. Implying official standing
    is a claim of substantiation the therapy does not have (FTC; CAP Code 12.1 and 3.1).

    Overstated copy
    ---------------
    Our exosomes come from an FDA-registered laboratory, which means every vial is approved.

    Compliant copy
    --------------
    Our supplier's laboratory is registered with the FDA; no exosome product is FDA-approved.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A brand compared with its own sister brand ("Ozempic is the same medicine as Wegovy")
    reads as a copy called the brand-name medicine.

    References
    ----------
    21 CFR 807.39 (registration does not denote approval); FTC Health Products Compliance
    Guidance (2022); CAP Code 12.1.
    """

    code = "CL111"
    name = "implied-approval"
    summary = "Official approval or standing implied without basis"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if (not _judged(match, "CREDENTIAL") or claim.negated
                or claim.certainty < Certainty.ASSERTED):
            return
        yield Violation(claim.start, claim.end,
                        f'"{_quote(match)}" implies an official approval or standing the '
                        "copy gives no basis for: registration, compliance or a pharmacy's "
                        "licence is not approval, and approval covers a named product for "
                        "named uses.",
                        "Say exactly what is approved or cleared, by whom and for which use, "
                        "and say plainly what is not.")


class UnregisteredClaim(Rule):
    """Reports a plain health claim that no registry entry covers.

    What it flags
    -------------
    An unhedged claim (asserted or boosted) about an intervention that matches no registry
    entry and that no other rule flagged. Info by default: it tells a reviewer the claim was
    seen but could not be checked against evidence.

    Why it matters
    --------------
    Every health claim needs substantiation; a claim the registry does not know is one nobody
    has checked yet.

    Overstated copy
    ---------------
    Semaglutide injections improve energy levels.

    Compliant copy
    --------------
    Some people report more energy on semaglutide; this has not been studied well.

    Options
    -------
    None. Raise it with ``severity = {"CL201" = "warning"}`` to make unknown claims fail.

    Known false positives
    ---------------------
    Plain facts ("Ketamine is given through an IV") may be reported; they are info only.

    References
    ----------
    FTC Health Products Compliance Guidance (2022).
    """

    code = "CL201"
    name = "unregistered-claim"
    summary = "Unhedged health claim not in the registry"
    default_severity = Severity.INFO

    TOPICS = ("efficacy", "mechanism", "duration", "comparison", "safety", "regulatory")

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        claim = match.claim
        if (match.entry is not None or claim.negated or claim.certainty < Certainty.ASSERTED
                or claim.topic not in self.TOPICS or claim.label in ("RISK", "REGISTRY")
                or claim.intervention_kind not in ("INTERVENTION", "OTHER_THERAPY")):
            return
        if claim.topic == "regulatory" and not _APPROVAL.search(claim.trigger):
            return  # "off-label", "Schedule III": statements of status, not approval claims
        yield Violation(claim.start, claim.end,
                        f"Unhedged {claim.topic} claim about {claim.intervention} matches no "
                        "registry entry; it has not been checked against evidence.", None)
