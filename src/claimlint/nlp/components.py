"""claimlint's spaCy components, registered with ``@Language.factory``.

Order in the pipeline (see pipeline.py): sentencizer -> claimlint_lemmatizer -> claimlint_terms
(a span_ruler) -> claimlint_triggers -> claimlint_context. Patterns are data (nlp/patterns/*.json
and the registry); the components only compile and apply them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimlint.nlp.lexicon import PatternGroup, cue_groups, lemma_overrides, trigger_groups

TRIGGERS_KEY = "claimlint_triggers"
CUES_KEY = "claimlint_cues"
TERMS_KEY = "claimlint_terms"
MODIFIERS_EXT = "claimlint_modifiers"
# "no benefit and more side effects": a new quantity after "and" starts a new noun phrase.
_NEW_QUANTITY = frozenset({"more", "less", "fewer", "higher", "lower", "some", "many", "frequent",
                           "common", "serious", "roughly", "nearly", "almost", "about",
                           "approximately", "twice", "doubled", "tripled"})
_CONDITIONALS = frozenset({"if", "unless"})
_MYTH_LABELS = frozenset({"myth", "myths", "misconception", "misconceptions"})
_MODALS = frozenset({"can", "could", "may", "might", "will", "would", "should", "must"})
CLAUSE_JOINS = frozenset({",", "and", "or", "but", ";", "&"})
# Words that start a new predicate after a clause join ("..., and it is safe").
PREDICATE_STARTS = frozenset({
    "is", "are", "was", "were", "has", "have", "had", "will", "can", "may", "might", "could",
    "should", "it", "its", "they", "we", "does", "do", "offers", "provides", "gives", "helps",
    "works", "causes", "leads", "brings", "makes", "prescribing", "using", "giving", "taking",
    "the", "this", "that", "these", "our", "there",
})
_SUBJECT_JOINS = frozenset({"so", "because", "therefore", "thus", "hence", "but", "and", "which"})
_NEW_SUBJECTS = frozenset({"it", "they", "this", "that", "we", "you"})
_AFTER_COMMA_BREAKS = frozenset({"guaranteed", "guarantee", "so", "but", "which", "and", "or",
                                 "because", "while", "although", "yet"}) | PREDICATE_STARTS


class Modifier(NamedTuple):
    """A ConText cue and the token range it governs."""

    category: str
    start: int  # cue tokens
    end: int
    scope_start: int  # governed tokens
    scope_end: int
    text: str


def register_extensions() -> None:
    """Register the Doc extensions claimlint writes; safe to call more than once."""
    if not Doc.has_extension(MODIFIERS_EXT):
        Doc.set_extension(MODIFIERS_EXT, default=None)


# A sentence runs at most this many tokens; a longer one is cut. Claims are compared with
# every token of their sentence, so a sentence of unbounded length (a megabyte with no full
# stop) takes quadratic time. Real copy stays far below it (the longest sentence in the corpus
# has under 90 tokens).
MAX_SENTENCE_TOKENS = 150


@Language.component("claimlint_sentence_cap", requires=["doc.sents"],
                    assigns=["token.is_sent_start"])
def cap_sentence_length(doc: Doc) -> Doc:
    """Start a new sentence every MAX_SENTENCE_TOKENS tokens of an over-long one."""
    long = [(s.start, s.end) for s in doc.sents if len(s) > MAX_SENTENCE_TOKENS]
    for start, end in long:
        for i in range(start + MAX_SENTENCE_TOKENS, end, MAX_SENTENCE_TOKENS):
            doc[i].is_sent_start = True
    return doc


@Language.component("claimlint_footnotes", requires=["doc.sents"], assigns=["token.is_sent_start"])
def keep_footnotes_with_their_sentence(doc: Doc) -> Doc:
    """A footnote number glued to a full stop ("...treatment.1 Ask us") belongs to the
    sentence it ends, not to the next one; citations are then seen where they are made. A
    heading's own number ('2. "It is addictive."') is no sentence of its own either."""
    number = 0
    while number < len(doc) and doc[number].is_space:
        number += 1
    if number + 2 < len(doc) and doc[number].is_digit and len(doc[number]) <= 2 \
            and doc[number + 1].text in (".", ")"):
        for i in range(number + 2, min(number + 4, len(doc))):
            if doc[i].is_sent_start:
                doc[i].is_sent_start = False
                break
    for i in range(1, len(doc) - 1):
        tok = doc[i]
        prev = doc[i - 1]
        if (tok.is_sent_start and tok.is_digit and len(tok) <= 2 and prev.text in (".", ")", "]")
                and not prev.whitespace_):
            tok.is_sent_start = False
            doc[i + 1].is_sent_start = True
    return doc


@cache
def _lemma_table(lang: str) -> Table:
    """The lookup table, loaded once per process: the lemmatizer and the pattern compilers of
    two components all need it, and loading it is the slowest step of building the pipeline."""
    return load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")


@Language.factory("claimlint_lemmatizer", default_config={"lang": "en"})
def make_lemmatizer(nlp: Language, name: str, lang: str) -> LookupLemmatizer:
    return LookupLemmatizer(lang)


class LookupLemmatizer:
    """Lookup lemmas from spacy-lookups-data, keyed on the lower-cased form.

    spaCy's own lookup mode keys on the exact text, so "Resets" at the start of a heading
    would keep its form; copy is full of capitalised headings, and the matchers compare
    lower-cased lemmas.
    """

    def __init__(self, lang: str) -> None:
        self.table = _lemma_table(lang)
        # Corrections to the lookup table for words health copy uses ("synapses" is not
        # "synapsis" here), kept as data next to the other patterns.
        self._cache: dict[str, str] = dict(lemma_overrides())

    def lemma(self, lower: str) -> str:
        hit = self._cache.get(lower)
        if hit is None:
            value = self.table.get(lower, lower)
            hit = value if isinstance(value, str) else lower
            self._cache[lower] = hit
        return hit

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = self.lemma(token.lower_)
        return doc


# Token attributes whose value a pattern can require exactly; any of them anchors a pattern.
_ANCHOR_ATTRS = ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA")
_WORD_ATTRS: list[int | str] = ["ORTH", "LOWER", "NORM", "LEMMA"]
# Quantifiers under which a token may be absent, so it cannot anchor its pattern.
_OPTIONAL_OPS = frozenset({"?", "*", "!"})


def _anchor(pattern: Sequence[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` must contain, or None if none is known.

    Any required token with an exact value (``{"LEMMA": "cure"}`` or ``{"LOWER": {"IN":
    [...]}}``) is enough: a sentence holding none of its words cannot match. The one with the
    fewest words is taken, so "do what ... could not" runs where "what" occurs, not at every
    form of "do".
    """
    best: frozenset[str] | None = None
    for spec in pattern:
        op = str(spec.get("OP", ""))
        if op in _OPTIONAL_OPS or op.startswith("{0") or op.startswith("{,"):
            continue
        for attr in _ANCHOR_ATTRS:
            value = spec.get(attr)
            words: frozenset[str] | None = None
            if isinstance(value, str):
                words = frozenset({value})
            elif isinstance(value, dict) and set(value) == {"IN"} and value["IN"]:
                words = frozenset(str(v) for v in value["IN"])
            if words is not None:
                if best is None or len(words) < len(best):
                    best = words
                break
    return best


def _max_length(pattern: Sequence[dict[str, Any]]) -> int | None:
    """The most tokens a match of ``pattern`` can span; None when unbounded ("+", "*")."""
    total = 0
    for spec in pattern:
        op = str(spec.get("OP", ""))
        if op in ("+", "*") or (op.startswith("{") and op.endswith(",}")):
            return None
        if op.startswith("{"):
            total += int(op.strip("{}").split(",")[-1])
        else:
            total += 1
    return total


class AnchoredMatcher:
    """spaCy's Matcher, run only where a pattern's anchor word occurs.

    One Matcher over every pattern tests every pattern at every token, and a Matcher call
    costs a Token object per token it walks, so both the pattern count and the walked length
    add up. Here each pattern has its own Matcher, indexed by its anchor words; a doc runs only
    the patterns whose anchor it holds, each over the short window around the anchor that a
    match could span. Results are the same as one Matcher over every pattern.
    """

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        # anchor word hash -> (matcher, its longest match in tokens or None if unbounded)
        self._by_hash: dict[int, list[tuple[Matcher, int | None]]] = {}
        self._always = Matcher(nlp.vocab)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: str, patterns: Sequence[list[dict[str, Any]]]) -> None:
        for pattern in patterns:
            self._count += 1
            words = _anchor(pattern)
            if words is None:
                self._always.add(key, [pattern])
                continue
            matcher = Matcher(self.vocab)
            matcher.add(key, [pattern])
            entry = (matcher, _max_length(pattern))
            for word in words:
                self._by_hash.setdefault(self.vocab.strings.add(word), []).append(entry)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        # Hashes straight from the token array: no Token objects, no strings.
        rows = doc.to_array(_WORD_ATTRS).tolist()
        where: dict[int, set[int]] = {}
        for i, row in enumerate(rows):
            for value in row:
                if value in self._by_hash:
                    where.setdefault(value, set()).add(i)
        positions: dict[int, tuple[Matcher, int | None, set[int]]] = {}
        for value, found in where.items():
            for matcher, length in self._by_hash[value]:
                slot = positions.setdefault(id(matcher), (matcher, length, set()))
                slot[2].update(found)
        out = set(self._always(doc)) if len(self._always) else set()
        n = len(doc)
        for matcher, length, found in positions.values():
            if length is None:
                out.update(matcher(doc))
                continue
            for start, end in _windows(sorted(found), length, n):
                out.update((key, start + s, start + e) for key, s, e in matcher(doc[start:end]))
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))


def _windows(anchors: list[int], length: int, n: int) -> list[tuple[int, int]]:
    """Merged token windows that hold every match of ``length`` tokens through an anchor."""
    out: list[tuple[int, int]] = []
    for p in anchors:
        start, end = max(0, p - length + 1), min(n, p + length)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class _Compiled:
    """Phrase, lemma and token patterns of labelled groups, compiled for one vocab."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.tokens = AnchoredMatcher(nlp)
        self.keys: dict[int, tuple[str, str]] = {}  # match key -> (label, id)
        self._lemmatizer: LookupLemmatizer | None = None

    def _key(self, label: str, ident: str) -> str:
        key = f"{label}|{ident}"
        self.keys[self.nlp.vocab.strings.add(key)] = (label, ident)
        return key

    def _lemma_doc(self, text: str) -> Doc:
        if self._lemmatizer is None:
            self._lemmatizer = LookupLemmatizer(self.nlp.lang or "en")
        return self._lemmatizer(self.nlp.make_doc(text))

    def add(self, label: str, phrases: Iterable[str] = (), lemmas: Iterable[str] = (),
            patterns: Iterable[Sequence[dict[str, Any]]] = (), ident: str = "") -> None:
        key = self._key(label, ident)
        docs = [self.nlp.make_doc(p) for p in phrases]
        if docs:
            self.phrases.add(key, docs)
        ldocs = [self._lemma_doc(p) for p in lemmas]
        if ldocs:
            self.lemmas.add(key, ldocs)
        pats = [list(p) for p in patterns]
        if pats:
            self.tokens.add(key, pats)

    def add_group(self, group: PatternGroup) -> None:
        self.add(group.label, group.phrases, group.lemmas, group.patterns, group.id)

    def __call__(self, doc: Doc) -> list[tuple[str, str, int, int]]:
        out = []
        for matcher in (self.phrases, self.lemmas, self.tokens):
            if not len(matcher):
                continue
            for key, start, end in matcher(doc):
                label, ident = self.keys[key]
                out.append((label, ident, start, end))
        return out


@Language.factory("claimlint_triggers", assigns=["doc.spans"],
                  requires=["token.lemma"])
def make_triggers(nlp: Language, name: str) -> ClaimTriggers:
    return ClaimTriggers(nlp)


class ClaimTriggers:
    """Finds the words that make a sentence a health claim, labelled by kind.

    Registry entries with ``match`` patterns are triggers too (label ``REGISTRY``, span id =
    entry id), so a sentence that says what an entry is about becomes a claim of its topic.
    """

    def __init__(self, nlp: Language) -> None:
        self.compiled = _Compiled(nlp)
        for group in trigger_groups():
            self.compiled.add_group(group)

    def add_registry_patterns(self, entry_id: str, phrases: Sequence[str], lemmas: Sequence[str],
                              patterns: Sequence[Sequence[dict[str, Any]]]) -> None:
        self.compiled.add("REGISTRY", phrases, lemmas, patterns, entry_id)

    def __call__(self, doc: Doc) -> Doc:
        by_label: dict[tuple[str, str], list[Span]] = {}
        for label, ident, start, end in self.compiled(doc):
            by_label.setdefault((label, ident), []).append(
                Span(doc, start, end, label=label, span_id=ident))
        # A phrase that holds a trigger word but claims nothing ("prices effective this
        # quarter") silences every trigger inside it.
        pseudo = [s for (label, _), group in by_label.items() if label == "PSEUDO" for s in group]
        spans: list[Span] = []
        for (label, _), group in by_label.items():
            if label == "PSEUDO":
                continue
            # Overlapping hits of one label ("pain relief" and "relief") are one trigger.
            spans.extend(s for s in filter_spans(group)
                         if not any(p.start <= s.start and s.end <= p.end for p in pseudo))
        spans.sort(key=lambda s: (s.start, s.end, s.label_))
        doc.spans[TRIGGERS_KEY] = spans
        return doc


@Language.factory("claimlint_context", assigns=[f"doc._.{MODIFIERS_EXT}", "doc.spans"],
                  requires=["doc.sents", "token.lemma"])
def make_context(nlp: Language, name: str) -> ConTextModifiers:
    return ConTextModifiers(nlp)


class ConTextModifiers:
    """ConText-style modifiers (Harkema et al. 2009; as in medspaCy's ConText).

    Each cue (hedge, qualifier, booster, negation) governs a scope of tokens in its sentence:
    forward, backward or both, limited by ``max_scope`` and cut at terminators ("but",
    "however", ";"). A claim trigger is modified by the cues whose scope covers it, so a hedge
    early in one clause does not soften a boast in the next.
    """

    def __init__(self, nlp: Language) -> None:
        register_extensions()
        self.compiled = _Compiled(nlp)
        self.groups: dict[str, PatternGroup] = {}
        for i, group in enumerate(cue_groups()):
            ident = str(i)
            self.groups[ident] = group
            self.compiled.add(group.label, group.phrases, group.lemmas, group.patterns, ident)

    def __call__(self, doc: Doc) -> Doc:
        hits = self.compiled(doc)
        pseudo = [(s, e) for label, _, s, e in hits if label == "PSEUDO"]
        terminators = sorted(s for label, _, s, _e in hits if label == "TERMINATE")
        cues: list[tuple[str, str, int, int]] = []
        for label, ident, start, end in hits:
            if label in ("PSEUDO", "TERMINATE"):
                continue
            if any(ps <= start and end <= pe for ps, pe in pseudo):
                continue
            cues.append((label, ident, start, end))
        # A longer cue wins over a cue inside it ("clinically proven" over "proven"), and
        # overlapping cues of one category are one cue ("far lower" + "lower potential for").
        cues.sort(key=lambda c: (c[2], -(c[3] - c[2])))
        kept: list[tuple[str, str, int, int]] = []
        for cue in cues:
            if any((k[2] <= cue[2] and cue[3] <= k[3])
                   or (k[0] == cue[0] and k[2] < cue[3] and cue[2] < k[3]) for k in kept):
                continue
            kept.append(cue)
        negation_starts = [start for label, _, start, _e in kept if label == "NEGATION"]
        modifiers = [self._scope(doc, label, self.groups[ident], start, end, terminators,
                                 negation_starts)
                     for label, ident, start, end in kept]
        doc._.set(MODIFIERS_EXT, modifiers)
        doc.spans[CUES_KEY] = [Span(doc, m.start, m.end, label=m.category) for m in modifiers]
        return doc

    @staticmethod
    def _scope(doc: Doc, label: str, group: PatternGroup, start: int, end: int,
               terminators: list[int], negation_starts: list[int]) -> Modifier:
        sent = doc[start].sent
        lo, hi = sent.start, sent.end
        limit = group.max_scope
        s_start, s_end = start, end
        if group.direction in ("forward", "bidirectional"):
            stop = next((t for t in terminators if end <= t < hi), hi)
            # 'Myth: "One infusion and the pain is gone."' rejects the whole line it labels,
            # not one clause of it.
            if label == "NEGATION" and not (doc[start].lower_ in _MYTH_LABELS and all(
                    doc[i].is_punct for i in range(lo, start))):
                # "not addictive and is safe": a negation ends where a new predicate starts,
                # and where the next negation starts ("not addictive and no withdrawal").
                # A conditional clause has its own polarity: in "cannot be undone if side
                # effects appear" the side effects are not denied.
                stop = next((i for i in range(end, stop) if doc[i].lower_ in _CONDITIONALS
                             and i > end), stop)
                # "Not at our doses: dependence does not happen": a colon after a negated
                # lead-in starts the answer.
                # "For many it does not: nerve damage can linger" negates what came before.
                if start == sent.start or (end < hi and doc[end].text == ":"):
                    stop = next((i for i in range(end, stop) if doc[i].text == ":"), stop)
                # "infection if equipment is not sterile, damage to red cells": a negation
                # inside a condition belongs to the condition, which ends at its comma.
                if any(doc[i].lower_ in _CONDITIONALS for i in range(max(lo, start - 8), start)):
                    stop = next((i for i in range(end, stop) if doc[i].text in (",", ";")), stop)
                # "staring without eye protection can harm your eyes": "without" denies its
                # object, not the predicate that follows it.
                if doc[start].lower_ == "without":
                    stop = next((i for i in range(end, stop) if doc[i].lower_ in _MODALS), stop)
                stop = next((i for i in range(end, stop - 1) if doc[i].lower_ in CLAUSE_JOINS
                             and (doc[i + 1].lower_ in PREDICATE_STARTS
                                  or (doc[i].text == "," and doc[i + 1].lower_ in
                                      ("and", "or", "but", "so"))
                                  or doc[i + 1].lower_ in _NEW_QUANTITY)), stop)
                if limit is not None:  # a sentence-wide negation ("not to say") stays wide
                    # "not addictive and no withdrawal": the next negation, after a join,
                    # starts its own scope; "no treatment comes without risk" is one double
                    # negation.
                    stop = min([stop] + [s for s in negation_starts if end < s < stop and any(
                        doc[i].lower_ in CLAUSE_JOINS for i in range(end, s))])
                    # A local negation ends at a comma that opens a new phrase ("zero hangover,
                    # guaranteed"), not at one inside a list ("not to diagnose, treat or cure").
                    stop = next((i for i in range(end, stop - 1) if doc[i].text == ","
                                 and doc[i + 1].lower_ in _AFTER_COMMA_BREAKS), stop)
            s_end = min(stop, end + limit) if limit is not None else stop
        if group.direction in ("backward", "bidirectional"):
            stop = max((t + 1 for t in terminators if lo <= t < start), default=lo)
            back = group.backward_scope if group.backward_scope is not None else limit
            if group.backward_scope is not None:
                # A short backward reach covers the cue's own subject, not an earlier clause.
                reach = range(max(lo, start - group.backward_scope), start)
                stop = max([stop] + [i + 1 for i in reach if doc[i].lower_ in CLAUSE_JOINS])
            # "It's addictive, so it's off the table": a join and a new subject start the
            # clause the cue is about; what came before is another claim.
            stop = max([stop] + [i + 1 for i in range(stop, start - 1)
                                 if doc[i].lower_ in _SUBJECT_JOINS
                                 and doc[i + 1].lower_ in _NEW_SUBJECTS])
            s_start = max(stop, start - back) if back is not None else stop
        return Modifier(label, start, end, s_start, s_end, doc[start:end].text)
