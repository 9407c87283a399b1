"""Build the claimlint spaCy pipeline: blank English plus rule components, no download."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex

from claimlint.errors import ConfigError
from claimlint.nlp import components as _components
from claimlint.nlp.components import TERMS_KEY, ClaimTriggers
from claimlint.nlp.lexicon import term_groups

if TYPE_CHECKING:
    from claimlint.registry import Registry

assert _components  # the import registers the factories

# Footnote markers glued to words ("treatment.1", "fibromyalgia(1)", "CRPS).1") are citations,
# not part of the word; splitting them off lets citations be seen and keeps lemmas clean.
_FOOTNOTE_SUFFIXES = [r"(?<=[A-Za-z\)\]][\.\)\]])\d{1,2}$", r"(?<=[A-Za-z]\.)\d{1,2}$"]


_FOOTNOTE_INFIXES = [r"(?<=[A-Za-z])[\(\[](?=\d)"]


def _tune_tokenizer(nlp: Language) -> None:
    old: Any = nlp.tokenizer
    suffixes = list(nlp.Defaults.suffixes or []) + _FOOTNOTE_SUFFIXES
    infixes = list(nlp.Defaults.infixes or []) + _FOOTNOTE_INFIXES
    # One new tokenizer, not two property updates: each update reloads every special case,
    # which is most of the cost of building a tokenizer (it shows in the pre-commit start-up).
    nlp.tokenizer = Tokenizer(
        nlp.vocab, rules=old.rules, prefix_search=old.prefix_search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=old.token_match, url_match=old.url_match)


def build_pipeline(registry: Registry | None = None, model: str | None = None) -> Language:
    """The pipeline for one registry. ``model`` names an installed trained spaCy pipeline to
    start from instead of ``spacy.blank("en")`` (opt-in; its parser then splits sentences)."""
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError as exc:
            raise ConfigError(f"spaCy model {model!r} is not installed: {exc}") from None
    else:
        nlp = spacy.blank("en")
    _tune_tokenizer(nlp)
    ruler: Any = nlp.add_pipe(
        "span_ruler",
        name="claimlint_terms",
        config={
            "spans_key": TERMS_KEY,
            "phrase_matcher_attr": "LOWER",
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
            "annotate_ents": False,
            "validate": True,
        },
    )
    patterns: list[dict[str, object]] = []
    for group in term_groups():
        patterns.extend({"label": group.label, "pattern": p, "id": group.id}
                        for p in group.phrases)
        patterns.extend({"label": group.label, "pattern": list(p), "id": group.id}
                        for p in group.patterns)
    if registry is not None:
        for label, terms in (("INTERVENTION", registry.interventions),
                             ("CONDITION", registry.conditions)):
            for term in terms.values():
                patterns.extend({"label": label, "pattern": s, "id": term.id}
                                for s in term.synonyms)
    # Patterns go in while the ruler is the only component: spaCy then builds the pattern
    # docs with the tokenizer alone instead of running the whole pipeline over each one.
    ruler.add_patterns(patterns)
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter")):
        nlp.add_pipe("sentencizer", before="claimlint_terms")
    nlp.add_pipe("claimlint_footnotes", before="claimlint_terms")
    nlp.add_pipe("claimlint_lemmatizer", before="claimlint_terms")
    triggers = nlp.add_pipe("claimlint_triggers")
    assert isinstance(triggers, ClaimTriggers)
    if registry is not None:
        for entry in registry.entries.values():
            if entry.has_match:
                triggers.add_registry_patterns(entry.id, entry.phrases, entry.lemmas,
                                               entry.patterns)
    nlp.add_pipe("claimlint_context")
    return nlp
