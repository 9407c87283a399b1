"""Matching claims to registry entries, over the mini registry (and variants of it built here).

Claims come from the mini linter's pipeline; variants of the registry only add or reorder
entries or change qualifiers, so the same pipeline (vocabulary and match patterns) serves them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import pytest

from claimlint.claims import Claim, claims_from_document
from claimlint.documents import read_document
from claimlint.engine import Linter
from claimlint.matching import ClaimMatch, applies, best_entries, match_claims, qualifier_present
from claimlint.registry import Registry
from claimlint.registry.model import Certainty, Entry, Qualifier

Extract = Callable[[str], list[Claim]]

CRPS = "ketamine.efficacy.crps"
NEUROPATHIC = "ketamine.efficacy.neuropathic"
CANCER = "ketamine.efficacy.cancer-pain"
EXTREMELY_SAFE = "ketamine.safety.extremely-safe"
NOT_ADDICTIVE = "ketamine.addiction.not-addictive"
GENERIC_EFFICACY = "ketamine.efficacy.generic"
GENERIC_SAFETY = "ketamine.safety.generic"


def _variant(base: Registry, entries: Iterable[Entry]) -> Registry:
    """The base registry's vocabulary and references with these entries, in this order."""
    return Registry(entries={e.id: e for e in entries}, references=base.references,
                    interventions=base.interventions, conditions=base.conditions)


@pytest.fixture(scope="module")
def extract(mini_linter: Linter) -> Extract:
    def run(text: str) -> list[Claim]:
        document = read_document("page.txt", text.encode("utf-8"), "text")
        docs = list(mini_linter.nlp.pipe([b.text for b in document.blocks]))
        return claims_from_document(document.blocks, docs, mini_linter.registry)

    return run


@pytest.fixture(scope="module")
def with_generic(mini_registry: Registry) -> Registry:
    """The mini registry plus generic (no condition, no pattern) efficacy and safety entries."""
    crps = mini_registry.entries[CRPS]
    generic_efficacy = dataclasses.replace(crps, id=GENERIC_EFFICACY, conditions=(),
                                           qualifiers=())
    generic_safety = dataclasses.replace(crps, id=GENERIC_SAFETY, topic="safety",
                                         conditions=(), qualifiers=())
    return _variant(mini_registry, [generic_efficacy, generic_safety,
                                    *mini_registry.entries.values()])


def _best_ids(claim: Claim, registry: Registry) -> list[str]:
    return [e.id for e in best_entries(claim, registry)]


def _best(claims: list[Claim], registry: Registry, label: str) -> str | None:
    """The single best entry for the claim with this label (None: no entry applies)."""
    (claim,) = [c for c in claims if c.label == label]
    ids = _best_ids(claim, registry)
    assert len(ids) <= 1, ids
    return ids[0] if ids else None


def _paragraph(text: str) -> Callable[[Claim], str]:
    return lambda claim: text


# -- specificity ------------------------------------------------------------------------------


def test_entry_specificity_levels(mini_registry: Registry, with_generic: Registry) -> None:
    assert mini_registry.entries[EXTREMELY_SAFE].specificity == 2  # match patterns
    assert mini_registry.entries[CRPS].specificity == 1  # conditions
    assert with_generic.entries[GENERIC_EFFICACY].specificity == 0


def test_pattern_entry_beats_generic_entry(extract: Extract, with_generic: Registry) -> None:
    claims = extract("Ketamine is extremely safe.")
    (registry_claim,) = [c for c in claims if c.label == "REGISTRY"]
    candidates = {e.id for e in with_generic.entries.values()
                  if applies(e, registry_claim, with_generic)}
    assert candidates == {EXTREMELY_SAFE, GENERIC_SAFETY}
    assert _best(claims, with_generic, "REGISTRY") == EXTREMELY_SAFE


def test_pattern_entry_needs_its_pattern(extract: Extract, with_generic: Registry) -> None:
    assert _best(extract("Ketamine is gentle."), with_generic, "SAFE") == GENERIC_SAFETY


def test_condition_entry_beats_generic_entry(extract: Extract, with_generic: Registry) -> None:
    claims = extract("Ketamine infusions relieve CRPS pain.")
    assert _best(claims, with_generic, "EFFICACY") == CRPS


def test_generic_entry_for_a_claim_without_condition(extract: Extract,
                                                     with_generic: Registry) -> None:
    assert _best(extract("Ketamine relieves pain."), with_generic, "EFFICACY") == GENERIC_EFFICACY


def test_condition_entry_needs_one_of_its_conditions(extract: Extract,
                                                     mini_registry: Registry) -> None:
    assert _best(extract("Ketamine relieves pain."), mini_registry, "EFFICACY") is None


def test_specializes_breaks_a_tie(extract: Extract, mini_registry: Registry) -> None:
    crps = mini_registry.entries[CRPS]
    special = dataclasses.replace(crps, id="ketamine.efficacy.crps-special",
                                  specializes=(CRPS,))
    for order in ([special, crps], [crps, special]):
        registry = _variant(mini_registry, order)
        assert registry.beats(special, crps) and not registry.beats(crps, special)
        claims = extract("Ketamine infusions relieve CRPS pain.")
        assert _best(claims, registry, "EFFICACY") == special.id


def test_other_interventions_and_topics_do_not_apply(extract: Extract,
                                                     mini_registry: Registry) -> None:
    (claim,) = extract("PRP relieves CRPS pain.")
    assert claim.intervention == "prp"
    assert not any(applies(e, claim, mini_registry) for e in mini_registry.entries.values())
    (safety,) = [c for c in extract("Ketamine is gentle for CRPS pain.") if c.label == "SAFE"]
    assert not applies(mini_registry.entries[CRPS], safety, mini_registry)


# -- broader conditions -----------------------------------------------------------------------


def test_a_crps_claim_also_names_neuropathic_pain(extract: Extract,
                                                  mini_registry: Registry) -> None:
    (claim,) = extract("Ketamine infusions relieve CRPS pain.")
    assert claim.conditions == ("crps", "neuropathic-pain")
    assert applies(mini_registry.entries[NEUROPATHIC], claim, mini_registry)
    assert _best_ids(claim, mini_registry) == [CRPS]


def test_broader_is_one_way(extract: Extract, mini_registry: Registry) -> None:
    (claim,) = extract("Ketamine relieves nerve pain.")
    assert claim.conditions == ("neuropathic-pain",)
    assert not applies(mini_registry.entries[CRPS], claim, mini_registry)
    assert _best_ids(claim, mini_registry) == [NEUROPATHIC]


def test_the_named_condition_wins_whatever_the_entry_order(extract: Extract,
                                                           mini_registry: Registry) -> None:
    crps, neuropathic = mini_registry.entries[CRPS], mini_registry.entries[NEUROPATHIC]
    assert mini_registry.beats(crps, neuropathic) and not mini_registry.beats(neuropathic, crps)
    reordered = _variant(mini_registry, reversed(list(mini_registry.entries.values())))
    (claim,) = extract("Ketamine infusions relieve CRPS pain.")
    assert _best_ids(claim, reordered) == [CRPS]


def test_unrelated_conditions_each_get_their_entry(extract: Extract,
                                                   mini_registry: Registry) -> None:
    text = "Ketamine relieves CRPS and cancer pain."
    (claim,) = extract(text)
    assert sorted(_best_ids(claim, mini_registry)) == [CANCER, CRPS]
    matches = match_claims([claim], mini_registry, _paragraph(text))
    assert sorted(m.entry.id for m in matches if m.entry) == [CANCER, CRPS]


# -- polarity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Ketamine is not addictive.", NOT_ADDICTIVE),
    ("Ketamine is never habit-forming.", NOT_ADDICTIVE),
    ("Ketamine is addictive.", None),  # a negated entry needs a negated claim
    ("Ketamine is not without risk of addiction.", None),  # two negations: affirmed
])
def test_negated_entry_only_for_negated_claims(extract: Extract, mini_registry: Registry,
                                               text: str, expected: str | None) -> None:
    assert _best(extract(text), mini_registry, "ADDICTION") == expected


def test_affirmed_entry_only_for_affirmed_claims(extract: Extract,
                                                 mini_registry: Registry) -> None:
    (claim,) = extract("Ketamine does not relieve CRPS pain.")
    assert claim.negated and _best_ids(claim, mini_registry) == []


# -- qualifiers -------------------------------------------------------------------------------

SENTENCE = "Ketamine infusions can ease CRPS pain."
PARAGRAPH = f"{SENTENCE} Relief lasts several weeks."


@pytest.mark.parametrize(("within", "sentence", "paragraph", "present"), [
    ("sentence", SENTENCE, PARAGRAPH, False),
    ("paragraph", SENTENCE, PARAGRAPH, True),
    ("sentence", "It eases pain for Several Weeks.", "", True),  # case-insensitive
    ("sentence", "It eases pain for several-weeks.", "", True),  # a hyphen for a space
    ("sentence", "It eases pain for severalweeks.", "", False),  # words stay words
    ("sentence", "It eases pain for several weeksend.", "", False),  # whole words only
])
def test_qualifier_scope(within: str, sentence: str, paragraph: str, present: bool) -> None:
    qualifier = Qualifier("duration", ("several weeks",), within)
    assert qualifier_present(qualifier, sentence, paragraph) is present


def test_sentence_qualifier_outside_the_sentence_is_missing(extract: Extract,
                                                            mini_registry: Registry) -> None:
    claims = extract(PARAGRAPH)
    (match,) = [m for m in match_claims(claims, mini_registry, _paragraph(PARAGRAPH))
                if m.entry is not None]
    assert [q.label for q in match.missing_qualifiers] == ["duration"]


def test_paragraph_qualifier_anywhere_in_the_paragraph(extract: Extract,
                                                       mini_registry: Registry) -> None:
    crps = mini_registry.entries[CRPS]
    loose = dataclasses.replace(
        crps, qualifiers=tuple(dataclasses.replace(q, within="paragraph")
                               for q in crps.qualifiers))
    registry = _variant(mini_registry, [loose if e.id == CRPS else e
                                        for e in mini_registry.entries.values()])
    claims = extract(PARAGRAPH)
    (match,) = [m for m in match_claims(claims, registry, _paragraph(PARAGRAPH))
                if m.entry is not None]
    assert match.entry is not None and match.entry.id == CRPS
    assert match.missing_qualifiers == ()


def test_qualifier_in_the_sentence_is_present(extract: Extract,
                                              mini_registry: Registry) -> None:
    text = "Ketamine infusions can ease CRPS pain for up to 12 weeks."
    (match,) = match_claims(extract(text), mini_registry, _paragraph(text))
    assert match.entry is not None and match.missing_qualifiers == ()


# -- one match per sentence and entry ---------------------------------------------------------


def _matched(matches: list[ClaimMatch]) -> list[tuple[str, str]]:
    return [(m.claim.sentence, m.entry.id) for m in matches if m.entry is not None]


def test_one_match_per_sentence_and_entry(extract: Extract, mini_registry: Registry) -> None:
    text = "Ketamine is extremely safe, very safe and completely safe."
    claims = extract(text)
    assert len(claims) > 2  # several triggers, one registry claim
    matches = match_claims(claims, mini_registry, _paragraph(text))
    assert _matched(matches) == [(text, EXTREMELY_SAFE)]
    (chosen,) = [m for m in matches if m.entry is not None]
    assert chosen.claim.registry_hint == EXTREMELY_SAFE  # the trigger that names the entry


def test_each_sentence_gets_its_own_match(extract: Extract, mini_registry: Registry) -> None:
    text = "Ketamine is extremely safe. Ketamine is very safe."
    matches = match_claims(extract(text), mini_registry, _paragraph(text))
    assert _matched(matches) == [("Ketamine is extremely safe.", EXTREMELY_SAFE),
                                 ("Ketamine is very safe.", EXTREMELY_SAFE)]


def test_the_most_certain_claim_carries_the_match(extract: Extract,
                                                  mini_registry: Registry) -> None:
    text = "Ketamine may ease CRPS pain; it relieves CRPS pain."
    claims = extract(text)
    assert len([c for c in claims if best_entries(c, mini_registry)]) == 2
    (match,) = [m for m in match_claims(claims, mini_registry, _paragraph(text)) if m.entry]
    assert (match.claim.trigger, match.claim.certainty) == ("relieves CRPS pain",
                                                            Certainty.ASSERTED)


def test_unmatched_claims_pass_through_in_order(extract: Extract,
                                                mini_registry: Registry) -> None:
    text = "Ketamine blocks NMDA receptors and relieves cancer pain."
    claims = extract(text)
    matches = match_claims(claims, mini_registry, _paragraph(text))
    assert [m.claim.start for m in matches] == sorted(m.claim.start for m in matches)
    assert {m.entry.id if m.entry else None for m in matches} == {None, CANCER}


def test_without_a_registry_nothing_matches(extract: Extract) -> None:
    text = "Ketamine is extremely safe."
    claims = extract(text)
    matches = match_claims(claims, None, _paragraph(text))
    assert [m.claim for m in matches] == claims
    assert all(m.entry is None for m in matches)
