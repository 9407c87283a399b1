"""Build the claimlint spaCy pipeline: blank English plus rule components, no download."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
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

# Hostile input bounds. spaCy's tokenizer peels prefixes and suffixes off a word one at a time,
# searching, copying and hashing the rest of the word each time: quadratic in the length of a
# word made of punctuation or emoji (4,000 "(" took 3 s, 20,000 emoji 80 s). Prefix and suffix
# rules only look at the ends of a word (AFFIX_WINDOW characters), and a run of more than
# MAX_TOKEN_CHARS characters without white space (no word of copy is that long) is cut into
# tokens of that length before the tokenizer sees it.
AFFIX_WINDOW = 64
MAX_TOKEN_CHARS = 256
_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")


def _tune_tokenizer(nlp: Language) -> None:
    old: Any = nlp.tokenizer
    suffixes = list(nlp.Defaults.suffixes or []) + _FOOTNOTE_SUFFIXES
    infixes = list(nlp.Defaults.infixes or []) + _FOOTNOTE_INFIXES
    # One new tokenizer, not two property updates: each update reloads every special case,
    # which is most of the cost of building a tokenizer (it shows in the pre-commit start-up).
    prefix = old.prefix_search
    nlp.tokenizer = BoundedTokenizer(Tokenizer(
        nlp.vocab, rules=old.rules,
        prefix_search=_prefix_window(prefix.__self__) if prefix is not None else None,
        suffix_search=_suffix_window(compile_suffix_regex(suffixes)),
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=old.token_match, url_match=old.url_match))


def _suffix_window(pattern: re.Pattern[str]) -> Callable[[str], re.Match[str] | None]:
    def search(word: str) -> re.Match[str] | None:
        return pattern.search(word, max(0, len(word) - AFFIX_WINDOW))
    return search


def _prefix_window(pattern: re.Pattern[str]) -> Callable[[str], re.Match[str] | None]:
    def search(word: str) -> re.Match[str] | None:
        return pattern.search(word, 0, AFFIX_WINDOW)
    return search


class BoundedTokenizer:
    """The pipeline's tokenizer with runs of non-space characters longer than MAX_TOKEN_CHARS
    cut into tokens of that length first (see AFFIX_WINDOW). Other text is tokenized exactly
    as before, and a Doc's text is always its input."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if _LONG_RUN.search(text) is None:
            doc: Doc = self.tokenizer(text)
            return doc
        docs: list[Doc] = []
        pos = 0
        for run in _LONG_RUN.finditer(text):
            if run.start() > pos:
                docs.append(self.tokenizer(text[pos:run.start()]))
            word = run.group()
            words = [word[i:i + MAX_TOKEN_CHARS] for i in range(0, len(word), MAX_TOKEN_CHARS)]
            spaces = [False] * len(words)
            pos = run.end()
            if text.startswith(" ", pos):
                spaces[-1] = True
                pos += 1
            docs.append(Doc(self.vocab, words=words, spaces=spaces))
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        joined: Doc = Doc.from_docs(docs, ensure_whitespace=False)
        return joined

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)


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
        nlp.add_pipe("claimlint_sentence_cap", before="claimlint_terms")
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
