"""Claim extraction over hand-built documents: topics, certainty, polarity, subjects, citations.

Documents go through the real reader (``read_document``) and the session pipeline of the mini
registry, then ``claims_from_document``; no rules or matching are involved.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimlint.claims import LABEL_TOPICS, UNCUED, UNNAMED_THERAPY, Claim, claims_from_document
from claimlint.documents import read_document
from claimlint.documents.model import BlockKind, Document
from claimlint.engine import Linter
from claimlint.registry.model import Certainty

Extract = Callable[..., list[Claim]]
_SUFFIX = {"text": "txt", "markdown": "md", "html": "html"}


def _document(text: str, kind: str) -> Document:
    return read_document(f"page.{_SUFFIX[kind]}", text.encode("utf-8"), kind)


@pytest.fixture(scope="module")
def extract(mini_linter: Linter) -> Extract:
    """Claims of a document, through the mini linter's pipeline and registry."""

    def run(text: str, kind: str = "text", uncued: bool = False) -> list[Claim]:
        """The claims; sentences without any cue (only the classifier reads them) on request."""
        document = _document(text, kind)
        docs = list(mini_linter.nlp.pipe([b.text for b in document.blocks]))
        claims = claims_from_document(document.blocks, docs, mini_linter.registry)
        return [c for c in claims if uncued or c.label != UNCUED]

    return run


def _one(claims: list[Claim], label: str) -> Claim:
    found = [c for c in claims if c.label == label]
    assert len(found) == 1, [(c.label, c.trigger) for c in claims]
    return found[0]


def _cues(claim: Claim) -> list[tuple[str, str]]:
    return [(c.category, c.text) for c in claim.cues]


# -- topics -----------------------------------------------------------------------------------

TOPIC_CASES = [
    ("PRP relieves knee pain.", "EFFICACY", "efficacy"),
    ("Stem cells cure arthritis.", "CURE", "efficacy"),
    ("PRP is gentle.", "SAFE", "safety"),
    ("PRP has side effects.", "RISK", "safety"),
    ("CBD is addictive.", "ADDICTION", "addiction"),
    ("TMS stimulates neurotransmitter release.", "MECHANISM", "mechanism"),
    ("TMS rewires the brain.", "MECH_UNPROVEN", "mechanism"),
    ("PRP gives lasting relief.", "DURATION_LONG", "duration"),
    ("TMS works quickly.", "ONSET", "duration"),
    ("TMS is FDA cleared.", "REGULATORY", "regulatory"),
    ("PRP kits are FDA-compliant.", "CREDENTIAL", "regulatory"),
    ("TMS is backed by research.", "EVIDENCE", "evidence"),
    ("80% of TMS patients improve.", "STATISTIC", "statistic"),
    ("PRP is the best treatment.", "COMPARISON", "comparison"),
    ("Most adults are a candidate for TMS.", "ELIGIBILITY", "eligibility"),
]


@pytest.mark.parametrize(("text", "label", "topic"), TOPIC_CASES)
def test_topic_per_trigger_label(extract: Extract, text: str, label: str, topic: str) -> None:
    claims = [c for c in extract(text) if c.label == label]
    assert claims, f"no {label} claim in {text!r}"
    assert {c.topic for c in claims} == {topic}
    assert LABEL_TOPICS[label] == topic


def test_every_trigger_label_has_a_topic_case() -> None:
    assert {label for _, label, _ in TOPIC_CASES} == set(LABEL_TOPICS) - {UNCUED}


def test_registry_trigger_takes_the_entry_topic(extract: Extract) -> None:
    claim = _one(extract("Ketamine regenerates nerves."), "REGISTRY")
    assert claim.topic == "mechanism"
    assert claim.registry_hint == "ketamine.mechanism.nerve-regeneration"
    assert claim.hints == ("ketamine.mechanism.nerve-regeneration",)


# -- certainty --------------------------------------------------------------------------------


def test_certainty_is_ordinal() -> None:
    assert (Certainty.NONE < Certainty.HEDGED < Certainty.QUALIFIED < Certainty.ASSERTED
            < Certainty.BOOSTED)


@pytest.mark.parametrize(("text", "certainty", "cues"), [
    ("PRP relieves knee pain.", Certainty.ASSERTED, []),
    ("PRP may relieve knee pain.", Certainty.HEDGED, [("HEDGE", "may")]),
    ("PRP is thought to relieve knee pain.", Certainty.HEDGED, [("HEDGE", "is thought to")]),
    ("PRP can relieve knee pain.", Certainty.QUALIFIED, [("QUALIFIER", "can")]),
    ("PRP often relieves knee pain.", Certainty.QUALIFIED, [("QUALIFIER", "often")]),
    ("PRP completely relieves knee pain.", Certainty.BOOSTED, [("BOOSTER", "completely")]),
    ("PRP will relieve knee pain.", Certainty.BOOSTED, [("BOOSTER", "will")]),
    # A hedge wins over a qualifier; a booster wins over a hedge.
    ("PRP may often relieve knee pain.", Certainty.HEDGED,
     [("HEDGE", "may"), ("QUALIFIER", "often")]),
    ("PRP may completely relieve knee pain.", Certainty.BOOSTED,
     [("HEDGE", "may"), ("BOOSTER", "completely")]),
])
def test_certainty_and_the_cues_that_set_it(extract: Extract, text: str, certainty: Certainty,
                                            cues: list[tuple[str, str]]) -> None:
    claim = _one(extract(text), "EFFICACY")
    assert claim.certainty == certainty
    assert _cues(claim) == cues


def test_hedge_does_not_cover_a_boosted_cure(extract: Extract) -> None:
    claims = extract("Stem cell injections may be the only treatment that truly cures arthritis.")
    cure = _one(claims, "CURE")
    assert cure.certainty == Certainty.BOOSTED
    assert ("HEDGE", "may") in _cues(cure) and ("BOOSTER", "truly") in _cues(cure)


def test_cue_in_another_clause_does_not_govern(extract: Extract) -> None:
    claims = extract("PRP may sting at first, but it relieves knee pain.")
    claim = _one(claims, "EFFICACY")
    assert claim.certainty == Certainty.ASSERTED and claim.cues == ()


def test_cue_in_another_sentence_does_not_govern(extract: Extract) -> None:
    claim = _one(extract("PRP may sting. It relieves knee pain."), "EFFICACY")
    assert claim.certainty == Certainty.ASSERTED


# -- negation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label", "negated"), [
    ("CBD is addictive.", "ADDICTION", False),
    ("CBD is not addictive.", "ADDICTION", True),
    ("CBD is never habit-forming.", "ADDICTION", True),
    ("PRP has no side effects.", "RISK", True),
    ("Side effects of PRP are rare.", "RISK", False),  # a backward cue
    ("PRP is not without side effects.", "RISK", False),  # two negations cancel
    ("Acupuncture leaves you pain-free.", "CURE", False),  # the negation is the trigger's own
    ("PRP is risk-free.", "SAFE", False),
    ("Not only is PRP gentle, it is quick.", "SAFE", False),  # a pseudo cue
])
def test_negation_and_parity(extract: Extract, text: str, label: str, negated: bool) -> None:
    claim = _one(extract(text), label)
    assert claim.negated is negated


def test_negation_parity_counts_every_governing_negation(extract: Extract) -> None:
    claim = _one(extract("CBD is not without risk of dependence."), "ADDICTION")
    assert [c for c in _cues(claim) if c[0] == "NEGATION"] == [
        ("NEGATION", "not"), ("NEGATION", "without")]
    assert claim.negated is False


def test_claim_span_takes_in_the_adjacent_negation(extract: Extract) -> None:
    text = "Ketamine is not physically addictive."
    claim = _one(extract(text), "ADDICTION")
    assert text[claim.start:claim.end] == "not physically addictive"


# -- subjects ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label", "intervention"), [
    ("Unlike opioids, PRP relieves knee pain.", "EFFICACY", "prp"),
    ("Compared with surgery, acupuncture relieves back pain.", "EFFICACY", "acupuncture"),
    ("Opioids dull pain, but PRP relieves it.", "EFFICACY", "prp"),
    ("Relief with PRP is quick.", "EFFICACY", "prp"),  # none before: the first after
])
def test_explicit_subject_is_the_nearest_mention_before_the_trigger(
        extract: Extract, text: str, label: str, intervention: str) -> None:
    claim = next(c for c in extract(text) if c.label == label)
    assert (claim.intervention, claim.intervention_kind, claim.subject) == (
        intervention, "OTHER_THERAPY", "explicit")


def test_registry_intervention_kind(extract: Extract) -> None:
    claim = _one(extract("Ketamine infusions relieve CRPS pain."), "EFFICACY")
    assert (claim.intervention, claim.intervention_kind) == ("ketamine", "INTERVENTION")


@pytest.mark.parametrize("sentence", [
    "It relieves knee pain.",
    "This therapy relieves knee pain.",
    "The treatment relieves knee pain.",
])
def test_anaphor_is_the_page_intervention(extract: Extract, sentence: str) -> None:
    claims = extract(f"Our clinic offers PRP.\n\n{sentence}")
    claim = _one(claims, "EFFICACY")
    assert (claim.intervention, claim.subject) == ("prp", "anaphor")


def test_page_intervention_weights_headings(extract: Extract) -> None:
    text = "# TMS therapy\n\nWe also sell CBD oil. Ask about CBD oil.\n\nIt is gentle.\n"
    claim = _one(extract(text, "markdown"), "SAFE")
    assert claim.intervention == "tms"  # one heading mention (x3) beats two plain ones


def test_page_intervention_prefers_a_registry_intervention_on_a_tie(extract: Extract) -> None:
    claim = _one(extract("Ketamine and PRP are offered here.\n\nIt is gentle."), "SAFE")
    assert claim.intervention == "ketamine"


def test_no_subject_no_claim(extract: Extract) -> None:
    assert extract("Relief is quick.", uncued=True) == []


def test_a_treatment_the_copy_does_not_name_is_the_subject(extract: Extract) -> None:
    claim = _one(extract("Each session brings relief."), "EFFICACY")
    assert (claim.intervention, claim.intervention_kind) == (UNNAMED_THERAPY, "OTHER_THERAPY")


def test_second_person_sentence_takes_the_heading_subject(extract: Extract) -> None:
    text = "# PRP therapy\n\nYou will feel relief within days.\n"
    claim = _one(extract(text, "markdown"), "EFFICACY")
    assert (claim.intervention, claim.subject) == ("prp", "heading")


def test_heading_claim_is_a_fragment_with_the_page_subject(extract: Extract) -> None:
    text = "# Ketamine infusions\n\n## Completely safe\n"
    # "completely safe" is also the mini registry's wording, which then carries the claim.
    claim = next(c for c in extract(text, "markdown") if c.topic == "safety")
    assert (claim.intervention, claim.block_kind) == ("ketamine", BlockKind.HEADING)


def test_list_items_inherit_the_lead_in(extract: Extract) -> None:
    text = "Ketamine infusions may ease these conditions:\n\n- CRPS\n- nerve pain\n"
    lead, *items = extract(text)
    assert (lead.intervention, lead.certainty, lead.inherited) == (
        "ketamine", Certainty.HEDGED, False)
    assert [c.sentence for c in items] == ["CRPS", "nerve pain"]
    for item in items:
        assert item.inherited and item.subject == "lead-in"
        assert item.block_kind == BlockKind.LIST_ITEM
        assert (item.intervention, item.topic, item.label) == ("ketamine", "efficacy", "EFFICACY")
        assert item.certainty == Certainty.HEDGED  # the lead-in's hedge carries over
    assert [item.conditions for item in items] == [("crps", "neuropathic-pain"),
                                                   ("neuropathic-pain",)]


def test_list_item_with_its_own_claim_does_not_inherit(extract: Extract) -> None:
    text = "Ketamine infusions may ease these conditions:\n\n- CRPS, which it relieves quickly\n"
    items = [c for c in extract(text) if c.block_kind == BlockKind.LIST_ITEM]
    assert items and not any(c.inherited for c in items)
    assert {c.intervention for c in items} == {"ketamine"}


def test_lead_in_inheritance_is_only_for_efficacy(extract: Extract) -> None:
    text = "NAD+ infusions are completely safe for:\n\n- older adults\n- athletes\n"
    assert [c.block_kind for c in extract(text)] == [BlockKind.PARAGRAPH] * 2


def test_paragraph_under_a_condition_heading_gets_that_condition(extract: Extract) -> None:
    text = "## CRPS\n\nKetamine infusions may ease the burning pain.\n"
    claim = _one(extract(text, "markdown"), "EFFICACY")
    assert claim.conditions == ("crps", "neuropathic-pain")  # with the broader condition


def test_a_sentence_naming_its_own_condition_ignores_the_heading(extract: Extract) -> None:
    claim = _one(extract("## CRPS\n\nKetamine may ease cancer pain.\n", "markdown"), "EFFICACY")
    assert claim.conditions == ("cancer-pain",)


@pytest.mark.parametrize("text", [
    "Our clinic offers ketamine infusions.\n\nOpioids are addictive.",
    "# Ketamine infusions\n\nOpioids are addictive.",
])
def test_comparator_claims_stay_with_the_comparator(extract: Extract, text: str) -> None:
    claim = _one(extract(text, "markdown"), "ADDICTION")
    assert (claim.intervention, claim.intervention_kind) == ("conventional", "COMPARATOR")


def test_comparator_named_before_the_therapy(extract: Extract) -> None:
    claim = _one(extract("Unlike opioids, ketamine is not addictive."), "ADDICTION")
    assert (claim.intervention, claim.negated) == ("ketamine", True)


def test_anaphor_noun_after_a_therapy_name_is_that_therapy(extract: Extract) -> None:
    claim = _one(extract("# TMS therapy\n\nOur PRP treatment relieves knee pain.\n",
                         "markdown"), "EFFICACY")
    assert claim.intervention == "prp"


def test_registry_trigger_about_a_comparator_is_not_the_page_therapy(extract: Extract) -> None:
    claims = extract("Our clinic offers ketamine infusions.\n\nSurgery is very safe.")
    assert all(c.intervention == "conventional" for c in claims), [
        (c.label, c.intervention) for c in claims]


# -- citations --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "cited"), [
    ("60% of PRP patients improve (1).", True),
    ("60% of PRP patients improve [2].", True),
    ("60% of PRP patients improve, according to a review.", True),
    ("According to a review, 60% of PRP patients improve.", True),
    ("60% of PRP patients improve (Lee 2020).", True),
    ("In a 2019 trial, 60% of PRP patients improved.", True),
    ("Lee et al found 60% of PRP patients improve.", True),
    ("60% of PRP patients improve with fibromyalgia(1).", True),
    ("60% of PRP patients improve.", False),
    ("60% of PRP patients improve within 6 weeks.", False),
])
def test_citations_set_cited(extract: Extract, text: str, cited: bool) -> None:
    claim = _one(extract(text), "STATISTIC")
    assert claim.cited is cited


# -- comparisons ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "compares"), [
    ("PRP works faster than surgery.", True),  # against a comparator
    ("PRP works better than acupuncture.", True),  # two therapies
    ("PRP is the best treatment for knee pain.", True),  # a superlative needs no second one
    ("A PRP injection feels similar to a flu shot.", False),
    ("PRP is better than ever.", False),
])
def test_comparisons_need_two_treatments(extract: Extract, text: str, compares: bool) -> None:
    labels = [c.label for c in extract(text)]
    assert ("COMPARISON" in labels) is compares


# -- sentences and blocks ---------------------------------------------------------------------


def test_questions_are_not_claims(extract: Extract) -> None:
    assert extract("Is PRP safe? Can it cure arthritis?") == []


def test_claim_records_its_sentence_and_block(extract: Extract) -> None:
    text = "Intro.\n\nPRP is gentle. PRP relieves knee pain."
    claim = _one(extract(text), "EFFICACY")
    assert claim.block == 1 and claim.sentence == "PRP relieves knee pain."
    block_text = "PRP is gentle. PRP relieves knee pain."
    assert block_text[claim.sentence_start:claim.sentence_end] == claim.sentence
    assert block_text[claim.start:claim.end] == "relieves knee pain"


def test_alt_text_claims(extract: Extract) -> None:
    claim = _one(extract("![CBD oil is harmless](cbd.png)\n", "markdown"), "SAFE")
    assert (claim.intervention, claim.block_kind) == ("cbd", BlockKind.ALT_TEXT)


def test_analyse_sees_the_same_claims(extract: Extract, mini_linter: Linter) -> None:
    text = "Ketamine infusions may ease these conditions:\n\n- CRPS\n- cancer pain\n"
    (analysis,) = mini_linter.analyse([_document(text, "text")])
    assert [m.claim for m in analysis.matches] == extract(text)


# -- FAQ answers ------------------------------------------------------------------------------

ANSWER_CASES = [
    # question, answer, label, negated, certainty
    ("Is CBD addictive?", "Never.", "ADDICTION", True, Certainty.BOOSTED),
    ("Is PRP gentle?", "Absolutely.", "SAFE", False, Certainty.BOOSTED),
    ("Does PRP have side effects?", "Not at all.", "RISK", True, Certainty.BOOSTED),
    ("Does PRP relieve knee pain?", "Yes, for most people.", "EFFICACY", False,
     Certainty.ASSERTED),
    ("Does PRP relieve knee pain?", "Sometimes.", "EFFICACY", False, Certainty.HEDGED),
    ("Does PRP relieve knee pain?", "A. No.", "EFFICACY", True, Certainty.ASSERTED),
    ("Is CBD addictive?", "Rarely.", "ADDICTION", True, Certainty.HEDGED),
    ("Is PRP gentle?", "Jo: Totally.", "SAFE", False, Certainty.BOOSTED),  # a speaker's label
    ("Does PRP relieve knee pain?", "Hands down.", "EFFICACY", False, Certainty.BOOSTED),
]


@pytest.mark.parametrize(("question", "answer", "label", "negated", "certainty"), ANSWER_CASES)
@pytest.mark.parametrize("kind", ["text", "markdown", "html"])
def test_a_short_answer_states_the_question_claim(
        extract: Extract, kind: str, question: str, answer: str, label: str, negated: bool,
        certainty: Certainty) -> None:
    text = {"text": f"{question}\n\n{answer}\n",
            "markdown": f"**{question}**\n\n{answer}\n",
            "html": f"<dl><dt>{question}</dt><dd>{answer}</dd></dl>"}[kind]
    claim = _one(extract(text, kind), label)
    assert claim.sentence.strip() == answer
    assert (claim.negated, claim.certainty, claim.inherited) == (negated, certainty, True)


def test_the_question_alone_claims_nothing(extract: Extract) -> None:
    assert extract("Is CBD addictive?\n\nHere is what our doctors say.\n") == []


def test_an_answer_with_its_own_claim_is_read_as_written(extract: Extract) -> None:
    claims = extract("Is PRP gentle?\n\nYes, although PRP has side effects.\n")
    assert [c.label for c in claims] == ["RISK"]


def test_an_answer_must_follow_its_question(extract: Extract) -> None:
    claims = extract("Is CBD addictive?\n\nWe get asked this a lot.\n\nNever.\n")
    assert claims == []


# -- sentences without cues -------------------------------------------------------------------


def test_a_sentence_without_cues_is_kept_for_the_classifier(extract: Extract) -> None:
    claims = extract("PRP for knees.\n\nOur patients walk out smiling.\n", uncued=True)
    claim = claims[-1]
    assert (claim.label, claim.topic, claim.intervention) == (UNCUED, "unknown", "prp")
    assert claim.sentence == "Our patients walk out smiling."


@pytest.mark.parametrize("text", [
    "PRP for knees.\n\nWhat happens at the first visit?\n",  # a question
    "PRP for knees.\n\nPlease discuss your options with your doctor first.\n",  # advice
    "PRP for knees.\n\nSome clinics claim patients walk out smiling.\n",  # reported
])
def test_no_uncued_claim_for_questions_advice_or_reported_speech(extract: Extract,
                                                                 text: str) -> None:
    assert [c.sentence for c in extract(text, uncued=True) if c.label == UNCUED] == [
        "PRP for knees."]


def test_a_signed_question_is_still_a_question(extract: Extract) -> None:
    text = "PRP for knees.\n\nDoes PRP relieve knee pain? — Hopeful in Hartford\n"
    assert [c.sentence for c in extract(text)] == []


def test_column_headers_claim_nothing(extract: Extract) -> None:
    text = ("<p>PRP for knees.</p><table><tr><th>PRP relieves knee pain</th></tr>"
            "<tr><td>PRP relieves knee pain</td></tr></table>")
    claims = extract(text, "html", uncued=True)
    assert [c.block_kind for c in claims if c.label == "EFFICACY"] == [BlockKind.TABLE_CELL]


@pytest.mark.parametrize("text", [
    "PRP for knees.\n\n- Kelsey, 29\n",  # a testimonial's byline
    "PRP for knees.\n\nCRPS is a long-term condition that often follows an injury.\n",
])
def test_bylines_and_illness_descriptions_are_not_uncued_claims(extract: Extract,
                                                                 text: str) -> None:
    assert [c.sentence for c in extract(text, uncued=True) if c.label == UNCUED] == [
        "PRP for knees."]


def test_a_pronoun_takes_the_therapy_named_before_it(extract: Extract) -> None:
    text = ("Our clinic offers ketamine infusions.\n\n"
            "We also offer PRP, and it relieves knee pain.\n")
    claim = _one(extract(text), "EFFICACY")
    assert claim.intervention == "prp"


def test_a_harm_treated_is_a_condition_not_a_risk(extract: Extract) -> None:
    claims = extract("PRP for knees.\n\nNothing shows that PRP cures infections.\n")
    assert "RISK" not in [c.label for c in claims]


# -- subjects carried from nearby copy ----------------------------------------------------------


def test_a_pronoun_takes_the_therapy_the_sentence_before_named(extract: Extract) -> None:
    claims = extract("PRP injections for knees.\n\nWe also offer CBD. It relieves knee pain.\n")
    assert _one(claims, "EFFICACY").intervention == "cbd"


def test_a_clause_that_starts_with_its_verb_shares_the_sentence_subject(
        extract: Extract) -> None:
    claims = extract("PRP injections for knees.\n\nCBD, an oil from hemp, is sold to relieve "
                     "knee pain.\n")
    assert _one(claims, "EFFICACY").intervention == "cbd"
