"""The spaCy pipeline: components, tokenizer, lemmas, terms, triggers and ConText scopes.

The pipeline is built once for the module, over the mini registry, with the network and
``spacy.load`` blocked, so every test here also shows that nothing is downloaded or loaded.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc

from claimlint.nlp import CUES_KEY, MODIFIERS_EXT, TERMS_KEY, TRIGGERS_KEY, Modifier, build_pipeline
from claimlint.nlp.lexicon import PatternGroup, cue_groups
from claimlint.registry import Registry

COMPONENTS = ["sentencizer", "claimlint_sentence_cap", "claimlint_footnotes",
              "claimlint_lemmatizer", "claimlint_terms", "claimlint_triggers", "claimlint_context"]


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the pipeline must not use the network or load a trained model")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(spacy, "load", _refuse)


@pytest.fixture(scope="module")
def nlp(mini_registry: Registry) -> Iterator[Language]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _refuse)
        mp.setattr(socket.socket, "connect_ex", _refuse)
        mp.setattr(spacy, "load", _refuse)
        pipeline = build_pipeline(mini_registry)
    yield pipeline


def _mods(doc: Doc, category: str | None = None) -> list[Modifier]:
    mods: list[Modifier] = doc._.get(MODIFIERS_EXT) or []
    return [m for m in mods if category is None or m.category == category]


def _token(doc: Doc, text: str) -> int:
    """The index of the first token with this text."""
    return next(t.i for t in doc if t.text == text)


def _scope(m: Modifier) -> tuple[int, int]:
    return m.scope_start, m.scope_end


def _group(phrase: str) -> PatternGroup:
    """The cue group a phrase belongs to, so scope limits are read from the data, not copied."""
    (group,) = [g for g in cue_groups() if phrase in g.phrases or phrase in g.lemmas]
    return group


def test_no_cue_phrase_is_in_two_groups_of_one_category() -> None:
    # Two groups would give one phrase two scopes, and which one a match takes would depend on
    # the groups' order in the file.
    seen: dict[tuple[str, str], int] = {}
    for i, g in enumerate(cue_groups()):
        for phrase in (*g.phrases, *g.lemmas):
            key = (g.label, phrase.lower())
            assert seen.setdefault(key, i) == i, f"{phrase!r} in {g.label} groups {seen[key]}, {i}"


# -- components -------------------------------------------------------------------------------


def test_component_order(nlp: Language) -> None:
    assert nlp.pipe_names == COMPONENTS


def test_blank_english_without_trained_components(nlp: Language, offline: None) -> None:
    assert nlp.lang == "en"
    assert not any(isinstance(pipe, TrainablePipe) for _, pipe in nlp.pipeline)
    doc = nlp("Ketamine infusions may ease CRPS pain.")  # runs with the network blocked
    assert len(list(doc.sents)) == 1


def test_build_without_registry_needs_no_network(offline: None) -> None:
    bare = build_pipeline()
    assert bare.pipe_names == COMPONENTS
    doc = bare("Ketamine relieves CRPS pain; PRP is safe.")
    labels = {s.label_ for s in doc.spans[TERMS_KEY]}
    assert "OTHER_THERAPY" in labels
    assert not labels & {"INTERVENTION", "CONDITION"}, "those come from the registry"
    assert all(s.label_ != "REGISTRY" for s in doc.spans[TRIGGERS_KEY])


# -- tokenizer and lemmas ---------------------------------------------------------------------


@pytest.mark.parametrize(("word", "lemma"), [
    ("Resets", "reset"),
    ("REWIRES", "rewire"),
    ("Relieves", "relieve"),
    ("Infusions", "infusion"),
    ("NMDA", "nmda"),  # not in the table: the lower-cased form
])
def test_lookup_lemmatizer_keys_on_lower_case(nlp: Language, word: str, lemma: str) -> None:
    (token,) = nlp(word)
    assert token.lemma_ == lemma


@pytest.mark.parametrize(("text", "tokens"), [
    ("treatment.1", ["treatment", ".", "1"]),
    ("fibromyalgia(1).", ["fibromyalgia", "(", "1", ")", "."]),
    ("CRPS).1", ["CRPS", ")", ".", "1"]),
    ("CRPS[2]", ["CRPS", "[", "2", "]"]),
])
def test_footnote_markers_are_split_off(nlp: Language, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp.make_doc(text)] == tokens


@pytest.mark.parametrize("word", ["2.1", "B12", "COVID-19", "3.5"])
def test_numbers_that_are_not_footnotes_stay_whole(nlp: Language, word: str) -> None:
    assert [t.text for t in nlp.make_doc(word)] == [word]


# -- terms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "span", "label", "ident"), [
    ("We offer IV ketamine here.", "IV ketamine", "INTERVENTION", "ketamine"),
    ("Ketamine Infusions at our clinic.", "Ketamine Infusions", "INTERVENTION", "ketamine"),
    ("It helps complex regional pain syndrome.", "complex regional pain syndrome", "CONDITION",
     "crps"),
    ("It helps CRPS.", "CRPS", "CONDITION", "crps"),
    ("It helps nerve pain.", "nerve pain", "CONDITION", "neuropathic-pain"),
    ("We also offer PRP injections.", "PRP injections", "OTHER_THERAPY", "prp"),
    ("We offer hyperbaric oxygen therapy.", "hyperbaric oxygen therapy", "OTHER_THERAPY", "hbot"),
    ("Unlike opioids, it is gentle.", "opioids", "COMPARATOR", "conventional"),
    ("Physical therapy is hard work.", "Physical therapy", "COMPARATOR", "conventional"),
    ("This therapy is gentle.", "This therapy", "ANAPHOR", "page"),
])
def test_terms(nlp: Language, text: str, span: str, label: str, ident: str) -> None:
    doc = nlp(text)
    found = [(s.text, s.label_, s.id_) for s in doc.spans[TERMS_KEY]]
    assert (span, label, ident) in found


def test_longest_term_wins(nlp: Language) -> None:
    doc = nlp("Ketamine infusions and stem cell therapy.")
    assert [s.text for s in doc.spans[TERMS_KEY]] == ["Ketamine infusions", "stem cell therapy"]


# -- triggers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "trigger", "label"), [
    ("PRP relieves knee pain.", "relieves knee pain", "EFFICACY"),
    ("PRP gives pain relief.", "pain relief", "EFFICACY"),
    ("Stem cells cure arthritis.", "cure", "CURE"),
    ("Our sessions leave you pain-free.", "pain-free", "CURE"),
    ("PRP is safe.", "safe", "SAFE"),
    ("PRP is well tolerated.", "well tolerated", "SAFE"),
    ("PRP has side effects.", "side effects", "RISK"),
    ("CBD is not addictive.", "addictive", "ADDICTION"),
    ("Ketamine blocks NMDA receptors.", "NMDA", "MECHANISM"),
    ("TMS rewires the brain.", "rewires", "MECH_UNPROVEN"),
    ("PRP gives lasting relief.", "lasting relief", "DURATION_LONG"),
    ("The results last for years.", "results last for years", "DURATION_LONG"),
    ("It works within hours.", "within hours", "ONSET"),
    ("It is FDA approved.", "approved", "REGULATORY"),
    ("It is identical to Wegovy.", "identical to Wegovy", "CREDENTIAL"),
    ("Several studies found this.", "studies", "EVIDENCE"),
    ("80% of patients improve.", "80% of patients", "STATISTIC"),
    ("Nine out of ten patients improve.", "Nine out of ten patients", "STATISTIC"),
    ("PRP is more effective than surgery.", "more effective than", "COMPARISON"),
    ("PRP is the best treatment.", "the best treatment", "COMPARISON"),
    ("Are you a good candidate?", "candidate", "ELIGIBILITY"),
])
def test_triggers_by_label(nlp: Language, text: str, trigger: str, label: str) -> None:
    doc = nlp(text)
    found = [(s.text, s.label_) for s in doc.spans[TRIGGERS_KEY]]
    assert (trigger, label) in found


def test_registry_patterns_are_triggers_with_the_entry_id(nlp: Language) -> None:
    doc = nlp("Ketamine is extremely safe and regenerates nerves.")
    registry = {(s.text, s.id_) for s in doc.spans[TRIGGERS_KEY] if s.label_ == "REGISTRY"}
    assert registry == {("extremely safe", "ketamine.safety.extremely-safe"),
                        ("regenerates", "ketamine.mechanism.nerve-regeneration")}


def test_registry_lemma_patterns_match_inflections(nlp: Language) -> None:
    doc = nlp("Ketamine was Approved by the FDA.")
    assert [(s.text, s.id_) for s in doc.spans[TRIGGERS_KEY] if s.label_ == "REGISTRY"] == [
        ("Approved by the FDA", "ketamine.regulatory.fda-depression")]


def test_overlapping_hits_of_one_label_are_one_trigger(nlp: Language) -> None:
    doc = nlp("Ketamine gives pain relief.")
    assert [s.text for s in doc.spans[TRIGGERS_KEY] if s.label_ == "EFFICACY"] == ["pain relief"]


# -- ConText modifiers ------------------------------------------------------------------------


def test_forward_scope_runs_to_the_sentence_end(nlp: Language) -> None:
    group = _group("perhaps")
    assert (group.direction, group.max_scope) == ("forward", None)
    doc = nlp("PRP perhaps eases knee pain.")
    (hedge,) = _mods(doc)
    assert (hedge.category, hedge.text) == ("HEDGE", "perhaps")
    assert _scope(hedge) == (hedge.start, len(doc))


def test_modal_reaches_back_over_its_subject_only(nlp: Language) -> None:
    group = _group("may")
    assert group.direction == "bidirectional" and group.backward_scope is not None
    doc = nlp("Our new PRP knee injection may ease pain.")
    (hedge,) = _mods(doc)
    assert _scope(hedge) == (hedge.start - group.backward_scope, len(doc))
    doc = nlp("PRP is gentle and may ease pain.")
    (hedge,) = _mods(doc)
    assert hedge.scope_start == _token(doc, "and") + 1  # not back into the earlier clause


def test_scope_stays_inside_its_sentence(nlp: Language) -> None:
    doc = nlp("PRP may ease pain. It is safe.")
    (hedge,) = _mods(doc, "HEDGE")
    assert hedge.scope_end == _token(doc, ".") + 1


def test_backward_scope(nlp: Language) -> None:
    doc = nlp("Proof of benefit is lacking.")
    (neg,) = _mods(doc)
    assert (neg.category, neg.text) == ("NEGATION", "is lacking")
    assert _scope(neg) == (0, neg.end)


def test_bidirectional_scope(nlp: Language) -> None:
    doc = nlp("Studies suggest that PRP eases pain.")
    (hedge,) = _mods(doc)
    assert (hedge.category, hedge.text) == ("HEDGE", "suggest")
    assert _scope(hedge) == (0, len(doc))


def test_max_scope_limits_a_forward_cue(nlp: Language) -> None:
    limit = _group("not").max_scope
    assert limit is not None
    doc = nlp("It is not " + "really " * (limit + 2) + "addictive.")
    (neg,) = _mods(doc)
    assert neg.text == "not" and neg.scope_end == neg.end + limit
    assert neg.scope_end <= _token(doc, "addictive")


def test_max_scope_limits_both_sides(nlp: Language) -> None:
    group = _group("clinically proven")
    assert group.direction == "bidirectional" and group.max_scope is not None
    doc = nlp("By now it is clinically proven and well liked by many.")
    (boost,) = _mods(doc)
    assert boost.text == "clinically proven"
    assert _scope(boost) == (boost.start - group.max_scope, boost.end + group.max_scope)


@pytest.mark.parametrize(("text", "terminator"), [
    ("PRP may ease pain but it is safe.", "but"),
    ("PRP may ease pain; it is safe.", ";"),
    ("PRP may ease pain, however it is safe.", "however"),
    ("PRP may ease pain, although it is safe.", "although"),
])
def test_terminators_cut_forward_scopes(nlp: Language, text: str, terminator: str) -> None:
    doc = nlp(text)
    (hedge,) = _mods(doc, "HEDGE")
    assert hedge.scope_end == _token(doc, terminator) < _token(doc, "safe")


def test_terminators_cut_backward_scopes(nlp: Language) -> None:
    doc = nlp("It is addictive; proof of benefit is lacking.")
    (neg,) = _mods(doc, "NEGATION")
    assert neg.scope_start == _token(doc, ";") + 1


@pytest.mark.parametrize("text", [
    "Not only is PRP gentle, it works.",
    "It is no longer painful.",
    "No matter your age, PRP is gentle.",
])
def test_pseudo_cues_are_not_negations(nlp: Language, text: str) -> None:
    doc = nlp(text)
    assert _mods(doc, "NEGATION") == []


def test_overlapping_cues_of_one_category_merge(nlp: Language) -> None:
    # "far lower" and "lower potential for" are both NEGATION cues.
    doc = nlp("It has far lower potential for abuse.")
    assert [(m.category, m.text) for m in _mods(doc, "NEGATION")] == [("NEGATION", "far lower")]


@pytest.mark.parametrize(("text", "cue", "category"), [
    ("It is clinically proven.", "clinically proven", "BOOSTER"),  # not also "proven"
    ("It is not yet proven.", "not yet proven", "HEDGE"),  # not "not" nor "proven"
    ("There is little to no risk.", "little to no", "NEGATION"),  # not also "no"
])
def test_a_longer_cue_wins_over_a_contained_one(nlp: Language, text: str, cue: str,
                                                category: str) -> None:
    doc = nlp(text)
    assert [(m.category, m.text) for m in _mods(doc)] == [(category, cue)]


def test_cue_spans_mirror_the_modifiers(nlp: Language) -> None:
    doc = nlp("PRP may be completely safe but not for everyone.")
    spans = [(s.start, s.end, s.label_) for s in doc.spans[CUES_KEY]]
    assert spans == [(m.start, m.end, m.category) for m in _mods(doc)]
    assert {label for _, _, label in spans} >= {"HEDGE", "BOOSTER", "QUALIFIER"}


def test_footnote_after_a_full_stop_stays_with_its_sentence(nlp: Language) -> None:
    doc = nlp("Relief lasted weeks in one trial.1 Ask us how it works.")
    assert [s.text for s in doc.sents] == ["Relief lasted weeks in one trial.1",
                                           "Ask us how it works."]


def test_negation_ends_at_the_next_negation(nlp: Language) -> None:
    doc = nlp("It is not addictive and causes no withdrawal.")
    negations = [m for m in doc._.claimlint_modifiers if m.category == "NEGATION"]
    assert [(m.text, m.scope_end) for m in negations] == [("not", 4), ("no", 9)]
