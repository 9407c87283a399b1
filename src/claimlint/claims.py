"""Claims: what each sentence asserts, about which intervention, and how strongly.

This is the only module downstream of ``claimlint.nlp`` that reads spaCy objects. It turns
the trigger, term and ConText modifier spans of each block into ``Claim`` values and resolves
subjects that the copy carries by context: pronouns and "this therapy" stand for the page's
intervention, a list under a lead-in sentence or a heading inherits its claim, and a
paragraph under a condition heading ("Fibromyalgia") is about that condition.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from claimlint.documents.model import BlockKind, TextBlock
from claimlint.nlp import (
    CLAUSE_JOINS,
    MODIFIERS_EXT,
    PREDICATE_STARTS,
    TERMS_KEY,
    TRIGGERS_KEY,
    Modifier,
)
from claimlint.registry.model import Certainty, Entry, Registry

LABEL_TOPICS = {
    "EFFICACY": "efficacy",
    "CURE": "efficacy",
    "SAFE": "safety",
    "RISK": "safety",
    "ADDICTION": "addiction",
    "MECHANISM": "mechanism",
    "MECH_UNPROVEN": "mechanism",
    "DURATION_LONG": "duration",
    "ONSET": "duration",
    "REGULATORY": "regulatory",
    "CREDENTIAL": "regulatory",
    "EVIDENCE": "evidence",
    "STATISTIC": "statistic",
    "COMPARISON": "comparison",
    "ELIGIBILITY": "eligibility",
    "UNCUED": "unknown",
}
# A sentence on a treatment's page with no cue word of any kind: no rule can judge it, only the
# overclaim classifier, which reads the words (rules/classifier_rules.py).
UNCUED = "UNCUED"
UNNAMED_THERAPY = "unnamed-therapy"
SUBJECT_LABELS = ("INTERVENTION", "OTHER_THERAPY", "COMPARATOR", "ANAPHOR", "AGENT")
# A bibliography entry ("Niesters M, ... Br J Clin Pharmacol. 2014;77(2):357-67.") names claims in
# its title but asserts nothing; so does every block under a "References" heading.
_REFERENCE_ENTRY = re.compile(
    r"\b(?:19|20)\d\d\s*[;:]\s*\d+|\d+\s*\(\d+\)\s*:\s*\d+|(?i:\bdoi\s*:|\bpmid\b)"
    r"|^(?:[A-Z][a-z'-]+ [A-Z]{1,4},? ){2,}")
_REFERENCE_HEADINGS = re.compile(r"^\s*(references|sources|bibliography|citations|further reading|"
                                 r"works cited|studies cited)\b", re.I)
# Statistics and evidence claims on a page are about its treatment even when the sentence's
# subject is the comparator ("this form of treatment helps only 30-40% of patients").
_PAGE_TOPICS = frozenset({"statistic", "evidence", "comparison"})
_VERB_STARTS = PREDICATE_STARTS - {"it", "its", "they", "we", "the", "this", "that", "these", "our",
                                    "there"}
_PUBLISHED_EVIDENCE = frozenset({"trials", "trial", "studies", "study", "journals", "research",
                                 "evidence", "literature", "data", "published"})
_HINT_REACH = 2
_CARRIED_CONDITION_TOPICS = frozenset({"efficacy", "duration", "comparison", "statistic"})
# Cue categories under which a claim is not the page's assertion of a benefit: claims it
# attributes to others or disowns, and statements of a benefit's limits.
_NOT_ASSERTED = frozenset({"REPORTED", "LIMIT"})
# A limit on a benefit ("relief fades within minutes") does not take back a harm claim in the
# same sentence ("..., with no after-effects").
_HARM_TOPICS = frozenset({"safety", "addiction"})
_ATTRIBUTION_DASHES = ("—", "–", "―", "-- ")
_COMPARISON_OBJECT_MARKERS = frozenset({"than", "unlike", "like", "over", "versus", "vs", "vs."})
_CLAUSE_BREAKS = frozenset({";", "but", "however", "although", "though", "whereas", "while"})
# Words before a comparator that set it aside ("without surgery", "stop their opioids"), looked
# for within a few tokens of it, by lemma.
_LEFT_BEHIND = frozenset({"without", "instead", "avoid", "skip", "stop", "quit", "ditch",
                          "replace", "fail", "than", "unlike", "versus", "vs", "vs.", "beat",
                          "outperform", "surpass", "unmatched", "outdo", "outshine",
                          "outshines", "outclass", "alternative", "leave", "drop",
                          "wean", "taper", "abandon", "shed", "kick", "swap", "trade"})
_NOT = frozenset({"not", "n't", "n\u2019t"})  # "it isn't an opioid"
_LEFT_BEHIND_REACH = 7
_CITATION = re.compile(
    r"\(\d{1,2}\)|\[\d{1,2}\]|(?<=[a-z\).])\d{1,2}\b(?!\s*(%|percent|mg|hours?|weeks?|months?|days?))"
    r"|\((?:[A-Z][A-Za-z-]+,? )+(?:19|20)\d\d\)"
    r"|(?i:\bet al\b|\baccording to\b|\bdoi\b|\bpmid\b|\bpublished in\b"
    r"|\bjournal\b(?<!any journal)(?<!every journal)(?<!no journal)"
    r"|\b(?:19|20)\d\d (?:study|trial|review|meta-analysis)\b"
    r"|\b(?:trial|study|studies|trials|reviews?|analysis|data|researchers|investigators|series)"
    r"\b[^.;]{0,100}\b(?:found|showed|shows?|reported|reports?|gave|tested|followed|enrolled|"
    r"compared)\b"
    r"|\bin (?:the|a|one|an) [\w\s.-]{0,30}\b(?:trial|study|analysis|meta-analysis|review)\b"
    r"|\b(?:in|across|from) (?:these|those|such|both|the two|the three) (?:\w+ )?"
    r"(?:trials|studies|reviews)\b"
    r"|\bin (?:clinical|controlled|randomi[sz]ed|published|small|early|human) (?:trials|studies)\b"
    r"|\breported in (?:\w+ ){0,2}(?:trials|studies)\b"
    r"|\bfollow-up of\b|\bpublished\b|\b(?:has|have) been (?:recorded|documented|observed)\b"
    r"|\b(?:WHO|World Health Organi[sz]ation|FDA|Cochrane|NICE|CDC|NIH)\b[^.;]{0,80}"
    r"\b(?:found|concluded|assessed|reviewed|reported|saw)\b"
    r"|\b(?:laboratory|lab|animal) (?:work|studies|study|research|experiments?)\b"
    r"|\b(?:guidelines?|guidance|consensus)\b[^.;]{0,100}"
    r"\b(?:rated|graded|found|concluded|supports?|supporting|recommends?)\b)"
    # A named trial ("STEP 1", "SUSTAIN-6", "ASPIRE I") is a source.
    r"|\b[A-Z]{3,}[- ](?:\d+|[IVX]+)\b",
)

# "Studies show ..." at the head of a claim names no study: it is an appeal to research, not a
# source ("Studies show TMS outperforms medication"). "The studies show", "these trials show"
# or "a 2019 study showed" point at studies the reader can find.
_VAGUE_SOURCE = re.compile(
    r"(?:^|(?<=[^\w\s])\s*|\b(?:clinical|published|many|several|numerous|countless|multiple|"
    r"recent|scientific|medical|independent|new|modern|peer-reviewed)\s+)"
    r"(?:studies|trials) (?:show|shows|showed)\b", re.I)


def _cites(text: str) -> bool:
    """Whether a sentence names a source for what it says (a bare "studies show" does not)."""
    return bool(_CITATION.search(_VAGUE_SOURCE.sub(lambda m: " " * len(m.group(0)), text)))


@dataclass(frozen=True)
class Cue:
    """A modifier word that sets a claim's certainty or polarity."""

    category: str  # HEDGE | QUALIFIER | BOOSTER | NEGATION | REPORTED | LIMIT
    text: str
    start: int  # block character offsets
    end: int


@dataclass(frozen=True)
class Claim:
    block: int  # index into Document.blocks
    sentence_start: int  # block character offsets of the sentence
    sentence_end: int
    sentence: str
    start: int  # block character offsets of the claim core (trigger and its cues)
    end: int
    label: str  # trigger label, e.g. SAFE, CURE, REGISTRY
    topic: str
    trigger: str
    intervention: str | None
    intervention_kind: str | None  # INTERVENTION | OTHER_THERAPY | COMPARATOR
    subject: str  # explicit | anaphor | lead-in | heading | column | page | none
    conditions: tuple[str, ...]
    negated: bool
    certainty: Certainty
    cues: tuple[Cue, ...]
    registry_hint: str | None = None  # entry id when a registry pattern triggered the claim
    hints: tuple[str, ...] = ()  # registry entries whose patterns stand next to the trigger
    cited: bool = False
    block_kind: BlockKind = BlockKind.PARAGRAPH
    inherited: bool = False  # a list item saying what its lead-in or heading says
    fragment: bool = False  # a heading or title, or an inherited list item: no room for qualifiers

    def cue_words(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.cues)


@dataclass(frozen=True)
class _Term:
    label: str
    id: str
    start: int  # token offsets
    end: int


def _certainty(mods: Sequence[Modifier]) -> Certainty:
    cats = {m.category for m in mods}
    if "BOOSTER" in cats:
        return Certainty.BOOSTED
    if "HEDGE" in cats:
        return Certainty.HEDGED
    if "QUALIFIER" in cats:
        return Certainty.QUALIFIED
    return Certainty.ASSERTED


_PHRASE_BREAKS = frozenset({",", ";", "\u2014", "\u2013", "--"})


# What follows a harm to play it down: "side effects are rare", "is very uncommon".
_PLAYED_DOWN = (r"\b(?:is|are|was|were|remain|remains)\s+(?:\w+\s+)?"
                r"(?:rare|uncommon|minimal|mild|negligible|unusual)\b")
_MINIMISED = re.compile(r"^\W*" + _PLAYED_DOWN, re.I)  # right after the harm
_MINIMISES = re.compile(_PLAYED_DOWN, re.I)  # anywhere in a quotation


# Verbs of removal are negation cues for a harm ("removes the risk of withdrawal" denies it);
# for a benefit they are the claim itself ("removes the underlying cause of your pain").
_REMOVAL = frozenset({"eliminate", "eliminates", "eliminated", "eradicates", "banishes", "remove",
                      "removes", "removed", "take away", "takes away"})


def _negated(governing: Sequence[Modifier], trig: Span, topic: str) -> bool:
    """Whether the claim is negated. "not without risk" is two negations and no negation; but a
    negation in another phrase does not cancel the claim's own ("because it is not an opioid,
    dependence can't develop"; "Not at our doses — dependence doesn't happen")."""
    negations = [m for m in governing if m.category == "NEGATION"
                 and (topic in _HARM_TOPICS or m.text.lower() not in _REMOVAL)]
    if len(negations) > 1:
        breaks = [t.i for t in trig.sent if t.text in _PHRASE_BREAKS]

        def phrase(i: int) -> int:
            return sum(c < i for c in breaks)

        own = [m for m in negations if phrase(m.start) == phrase(trig.start)]
        negations = own or negations
    if negations and topic in _HARM_TOPICS and _MINIMISED.match(
            trig.doc[trig.end:trig.sent.end].text):
        # "Myth: side effects are rare" rejects the minimising, which affirms the harm.
        return len(negations) % 2 == 0
    return len(negations) % 2 == 1


def _governing(mods: Sequence[Modifier], trig: Span) -> list[Modifier]:
    out = []
    for m in mods:
        inside = trig.start <= m.start and m.end <= trig.end
        if inside:
            # A cue word inside a lexicon trigger is part of its meaning ("pain-free", "potential
            # for abuse"); only a booster there ("permanent relief") still strengthens it. A
            # registry pattern is the claim's own wording: every cue inside it counts ("lasted
            # up to 12 weeks", "FDA has not approved").
            if m.category == "BOOSTER" or trig.label_ == "REGISTRY":
                out.append(m)
            continue
        if m.scope_start < trig.end and trig.start < m.scope_end:
            out.append(m)
    return out


def _negated_apart(mods: Sequence[Modifier], governing: Sequence[Modifier], trig: Span,
                   pattern: Span) -> bool:
    """Whether a negation governs a registry pattern but not the trigger next to it (whose
    modifiers are ``governing``): in "blocks NMDA receptors rather than opioid receptors" the
    denied pattern does not speak for the claim about NMDA receptors."""
    def negations(found: Sequence[Modifier]) -> set[tuple[int, int]]:
        # Only cues outside both spans: a pattern's own "not" is part of its wording.
        return {(m.start, m.end) for m in found if m.category == "NEGATION"
                and not any(s.start < m.end and m.start < s.end for s in (trig, pattern))}
    return bool(negations(_governing(mods, pattern)) - negations(governing))


# A title that offers something for a condition: "Low-Dose Zyloquin for Fibromyalgia",
# "Shockwave Therapy for Tendon Pain". A guide or a list of tips offers no treatment.
_OFFER_TITLE = re.compile(
    r"^\W*(?!(?:tips|a guide|guide|help|support|hope|living|questions|resources|advice|"
    r"options|news|answers|ideas)\b)[\w+'\u2019().-]+(?:\s+[\w+'\u2019().-]+){0,5}\s+"
    r"(?:for|to treat|against)\s+\w", re.I)


def _offers_treatment(blocks: Sequence[TextBlock]) -> bool:
    title = next((b for b in blocks if b.kind in (BlockKind.TITLE, BlockKind.HEADING)), None)
    return title is not None and bool(_OFFER_TITLE.match(title.text))


class _DocumentContext:
    """Per-document facts that subject resolution needs: mentions per block, the page topic."""

    def __init__(self, blocks: Sequence[TextBlock], docs: Sequence[Doc],
                 registry: Registry | None) -> None:
        self.blocks = blocks
        self.docs = docs
        self.registry = registry
        self.terms: list[list[_Term]] = []
        weights: Counter[tuple[str, str]] = Counter()
        for block, doc in zip(blocks, docs, strict=True):
            terms = [_Term(s.label_, s.id_, s.start, s.end) for s in doc.spans[TERMS_KEY]]
            self.terms.append(terms)
            weight = 3 if block.kind in (BlockKind.TITLE, BlockKind.HEADING) else 1
            for t in terms:
                if t.label in ("INTERVENTION", "OTHER_THERAPY"):
                    weights[(t.label, t.id)] += weight
        ranked = sorted(weights.items(),
                        key=lambda kv: (-kv[1], kv[0][0] != "INTERVENTION", kv[0][1]))
        # A clinic page that names no therapy the pipeline knows still promotes one: its
        # subjectless claims ("Most clients feel the difference after one session") are about
        # that unnamed treatment, which only the language rules can judge.
        # That holds only when the copy speaks of a treatment at all ("each session", "our
        # protocol"; a bare "it" is not enough), or when its title offers something for a
        # condition ("Zyloquin for Fibromyalgia").
        self.page: tuple[str, str] | None = ranked[0][0] if ranked else (
            ("OTHER_THERAPY", UNNAMED_THERAPY) if _offers_treatment(blocks) or any(
                t.label == "ANAPHOR" and doc[t.start:t.end].text.lower() != "it"
                for terms, doc in zip(self.terms, docs, strict=True) for t in terms) else None)

        self.column_subject = _column_subjects(blocks, self.terms)

    def block_subject(self, index: int | None) -> tuple[str, str] | None:
        """The first explicit intervention a block names."""
        if index is None:
            return None
        for t in self.terms[index]:
            if t.label in ("INTERVENTION", "OTHER_THERAPY"):
                return t.label, t.id
        return None

    def conditions(self, index: int | None, start: int = 0, end: int | None = None) -> set[str]:
        if index is None:
            return set()
        stop = len(self.docs[index]) if end is None else end
        return {t.id for t in self.terms[index]
                if t.label == "CONDITION" and start <= t.start and t.end <= stop}


_TABLE_KINDS = frozenset({BlockKind.TABLE_HEADER, BlockKind.TABLE_CELL})


def _column_subjects(blocks: Sequence[TextBlock],
                     terms: Sequence[Sequence[_Term]]) -> dict[int, tuple[str, str]]:
    """The therapy each table cell's column header names, by cell: in a comparison table
    ("| | Ketamine | Opioids |"), "Activates opioid receptors" under "Opioids" is about opioids.
    Rows with one cell more than the header row start with a row label; rows that match
    neither count are left alone."""
    out: dict[int, tuple[str, str]] = {}
    i = 0
    while i < len(blocks):
        if blocks[i].kind not in _TABLE_KINDS:
            i += 1
            continue
        rows: list[list[int]] = []
        while i < len(blocks) and blocks[i].kind in _TABLE_KINDS:
            if rows and blocks[rows[-1][-1]].paragraph == blocks[i].paragraph:
                rows[-1].append(i)
            else:
                rows.append([i])
            i += 1
        header = [next(((t.label, t.id) for t in terms[c] if t.label in
                        ("INTERVENTION", "OTHER_THERAPY", "COMPARATOR")), None)
                  for c in rows[0]]
        if not any(header):
            continue
        for row in rows[1:]:
            offset = len(row) - len(header)
            if offset not in (0, 1):
                continue
            for cell, subject in zip(row[offset:], header, strict=True):
                if subject is not None:
                    out[cell] = subject
    return out


_PRICE = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(?:USD|GBP|EUR|dollars|pounds)\b")


def _row_label(blocks: Sequence[TextBlock], bi: int) -> int | None:
    """The first cell of the table row ``bi`` is in, if ``bi`` is a later cell."""
    row = blocks[bi].paragraph
    first = bi
    while first > 0 and blocks[first - 1].kind in _TABLE_KINDS \
            and blocks[first - 1].paragraph == row:
        first -= 1
    return first if first != bi else None


def _price_row_name(blocks: Sequence[TextBlock], bi: int) -> bool:
    """Whether block ``bi`` is the first cell of a table row that has a price in it: in a price
    list ("| Full recovery | four visits | £260 |") the first cell names a package."""
    block = blocks[bi]
    if block.kind != BlockKind.TABLE_CELL or _row_label(blocks, bi) is not None:
        return False
    row = [b for b in blocks[bi + 1:bi + 12] if b.paragraph == block.paragraph]
    return any(_PRICE.search(b.text) for b in row)


def _left_behind(sent: Span, term: _Term) -> bool:
    """A comparator the copy sets aside rather than makes its subject: the object of "without",
    "instead of", "compared with", of a verb of stopping or failing ("stop all their other
    pain medicines", "failed physical therapy"), or a comparator made "-free"."""
    doc = sent.doc
    nxt = doc[term.end] if term.end < sent.end else None
    if nxt is not None and (nxt.lower_ in ("-free", "free") or (
            nxt.text == "-" and term.end + 1 < sent.end and doc[term.end + 1].lower_ == "free")):
        return True
    lo = max(sent.start, term.start - _LEFT_BEHIND_REACH)
    for i in range(term.start - 1, lo - 1, -1):
        tok = doc[i]
        negates = tok.lower_ in _NOT and i + 1 < term.start and doc[i + 1].lower_ in ("a", "an")
        if negates or tok.lemma_ in _LEFT_BEHIND or tok.lower_ in _LEFT_BEHIND or (
                tok.lower_ in ("with", "to") and i > sent.start
                and doc[i - 1].lower_ == "compared"):
            return True
        if tok.lower_ in _CLAUSE_BREAKS or tok.text in (".", ":", ","):
            return False
    return False


_MODIFIED_NOUNS = frozenset({"family", "class", "based", "derived", "like", "analogue", "analog",
                             "relative", "cousin", "type", "molecule", "molecules"})
# "a close relative of ketamine", "derived from ketamine": the name qualifies another subject.
_RELATED_TO = frozenset({"relative", "cousin", "form", "version", "derivative", "derived",
                         "related", "variant", "half", "isomer", "enantiomer"})


def _modifies(sent: Span, term: _Term) -> bool:
    doc = sent.doc
    i = term.end
    if i < sent.end and doc[i].text == "-":
        i += 1
    if i < sent.end and doc[i].lower_ in _MODIFIED_NOUNS:
        return True
    j = term.start - 1
    while j > sent.start and doc[j].lower_ in ("a", "an", "the"):
        j -= 1
    return j - 1 >= sent.start and doc[j].lower_ in ("of", "from", "to") \
        and doc[j - 1].lower_ in _RELATED_TO


def _same_list(sent: Span, first: _Term, second: _Term) -> bool:
    """Whether two terms are items of one list ("physical therapy, epidurals and even surgery")."""
    between = sent.doc[first.end:second.start]
    return first.end <= second.start and all(
        tok.lower_ in (",", "and", "or", "even", "any", "all") for tok in between)


def _resolve_subject(ctx: _DocumentContext, bi: int, sent: Span, trig: Span,
                     clause: tuple[int, int], entry_interventions: tuple[str, ...],
                     entry_topic: str = "", risk_context: bool = False
                     ) -> tuple[str | None, str | None, str]:
    block = ctx.blocks[bi]
    # What the block's lead-in or heading names ("Spravato (esketamine)" above a bullet).
    carried = ctx.block_subject(block.lead_in) or ctx.block_subject(block.heading)
    terms = [t for t in ctx.terms[bi] if t.label in SUBJECT_LABELS
             and sent.start <= t.start and t.end <= sent.end]
    mentioned = terms
    # The object of a comparison ("than opioids", "unlike surgery") is not the subject, unless
    # nothing is compared with it ("Nothing works better than ketamine" ranks ketamine first).
    if trig[0].lower_ not in ("nothing", "none"):
        terms = [t for t in terms if t.start == 0 or
                 sent.doc[t.start - 1].lower_ not in _COMPARISON_OBJECT_MARKERS]
    # Nor is a name used as a modifier of another: "the ketamine family", "ketamine-based".
    terms = [t for t in terms if not _modifies(sent, t)] or terms
    # A clause with a subject of its own ("..., while ketamine blocks NMDA receptors") keeps
    # it to itself: the trigger's clause is searched first.
    lo, hi = clause
    if lo > sent.start and sent.doc[lo].lower_ in _VERB_STARTS:
        # "Spravato, a spray made from esketamine, is a different product with its own
        # approval": a clause that starts with its verb shares the sentence's subject.
        lo = sent.start
    sentence_terms = terms
    terms = [t for t in terms if lo <= t.start and t.end <= hi] or terms
    # Nor is a comparator the copy leaves behind: "without surgery", "opioid-free", "stop
    # all of their other pain medicines", "compared with the weight gain of gabapentin".
    behind: list[_Term] = []
    for t in terms:
        if t.label == "COMPARATOR" and (_left_behind(sent, t) or any(
                _same_list(sent, b, t) for b in behind)):
            behind.append(t)
    terms = [t for t in terms if t not in behind]
    before = [t for t in terms if t.end <= trig.start]
    after = [t for t in terms if t.start >= trig.end]
    chosen = before[-1] if before else (after[0] if after else None)
    named = [t for t in terms if t.label in ("INTERVENTION", "OTHER_THERAPY")]
    column = ctx.column_subject.get(bi)
    if column is not None and not named:
        return column[1], column[0], "column"
    if entry_interventions and not (before and before[-1].label in ("INTERVENTION",
                                                                    "OTHER_THERAPY")):
        # The named intervention nearest the trigger, not any mention in the sentence.
        for t in sorted(named, key=lambda t: min(abs(t.start - trig.end), abs(trig.start - t.end))):
            if t.id in entry_interventions:
                return t.id, t.label, "explicit"
            break
        # A registry pattern on the page's topic ("30-40% of patients") is about the page's
        # intervention, unless the sentence names another therapy as its subject, or the
        # copy around it has just named one ("That's Spravato. It's approved for ...").
        if not named and entry_topic == "comparison" and not any(
                t.label == "COMPARATOR" for t in mentioned) and not any(
                tok.lower_ == "than" and any(t.lower_ in _THAN_OBJECTS
                                             for t in sent.doc[tok.i + 1:tok.i + 4])
                for tok in sent):
            # "It is diagnosed more often in women than in men": a comparison that names neither
            # a treatment nor anything to compare it with (another therapy, "any other",
            # "than the trials suggest") is not about the page's therapy.
            return None, None, "none"
        if not named and ctx.page and ctx.page[1] in entry_interventions and (
            entry_topic in _PAGE_TOPICS or not any(t.label == "COMPARATOR" for t in terms)
        ):
            if chosen is None or chosen.label == "ANAPHOR":
                nearby = _nearby_subject(ctx, bi, sent, chosen, sentence_terms)
                if nearby is not None and nearby[1] != ctx.page[1]:
                    return nearby[1], nearby[0], "anaphor" if chosen else "context"
                # A bullet under "Spravato (esketamine)" is about what its heading names.
                if block.kind == BlockKind.LIST_ITEM and carried and carried[1] != ctx.page[1]:
                    return carried[1], carried[0], "lead-in" if block.lead_in is not None \
                        else "heading"
            return ctx.page[1], ctx.page[0], "page"
    if chosen is not None and chosen.label == "AGENT":
        explicit = [t for t in terms if t.label in ("INTERVENTION", "OTHER_THERAPY")]
        if explicit:
            chosen = explicit[-1]
        elif risk_context and trig.label_ == "EFFICACY":
            return None, None, "agent"  # "nausea, which we can treat": about the clinic's care
        else:
            chosen = None  # "we guarantee results": a promise about the page's treatment
    if chosen is not None and chosen.label == "ANAPHOR":
        # "Our PRP treatment": the generic noun belongs to the therapy named just before it.
        named = [t for t in terms if t.end == chosen.start and t.label != "ANAPHOR"]
        chosen = named[0] if named else chosen
    if chosen is not None and chosen.label != "ANAPHOR":
        return chosen.id, chosen.label, "explicit"
    nearby = _nearby_subject(ctx, bi, sent, chosen, sentence_terms)
    if nearby is not None and (chosen is not None or nearby != carried):
        return nearby[1], nearby[0], "anaphor" if chosen else "context"
    if chosen is not None:  # a pronoun or "this therapy": the page's intervention
        subject = carried if carried and block.kind == BlockKind.LIST_ITEM else ctx.page
        return (subject[1], subject[0], "anaphor") if subject else (None, None, "none")
    # No subject at all ("Relief that lasts", "Our patients enjoy relief"): on a page about one
    # treatment, the claim is about it.
    if carried:
        return carried[1], carried[0], "lead-in" if block.lead_in is not None else "heading"
    if ctx.page:
        return ctx.page[1], ctx.page[0], "page"
    return None, None, "none"


def _nearby_subject(ctx: _DocumentContext, bi: int, sent: Span, chosen: _Term | None,
                    sentence_terms: Sequence[_Term]) -> tuple[str, str] | None:
    """The therapy a pronoun or a subjectless sentence points back to, when the copy has just
    named one: earlier in the sentence ("Spravato is esketamine, and it's approved for ..."),
    or in the sentence before it in the same block ("That's Spravato. It's approved for ...").
    Comparators and names used as modifiers do not count."""
    if chosen is not None:
        antecedent = [t for t in sentence_terms if t.end <= chosen.start
                      and t.label in ("INTERVENTION", "OTHER_THERAPY")]
        if antecedent:
            return antecedent[-1].label, antecedent[-1].id
    if sent.start == 0:
        return None
    prev = sent.doc[sent.start - 1].sent
    named = [t for t in ctx.terms[bi] if t.label in ("INTERVENTION", "OTHER_THERAPY")
             and prev.start <= t.start and t.end <= prev.end and not _modifies(prev, t)]
    # The sentence's subject, which comes first far more often than not.
    return (named[0].label, named[0].id) if named else None


def _is_reference(ctx: _DocumentContext, bi: int, sent: Span) -> bool:
    block = ctx.blocks[bi]
    for parent in (block.heading, block.lead_in):
        if parent is not None and _REFERENCE_HEADINGS.match(ctx.blocks[parent].text):
            return True
    return block.kind in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH) and bool(
        _REFERENCE_ENTRY.search(sent.text))


def _clause(sent: Span, trig: Span) -> tuple[int, int]:
    """Token range of the clause holding the trigger: a registry pattern in one clause
    ("...; trials prove little") says nothing about a claim in another."""
    start, end = sent.start, sent.end
    for tok in sent:
        joins = (tok.lower_ in CLAUSE_JOINS and tok.i + 1 < sent.end
                 and tok.doc[tok.i + 1].lower_ in PREDICATE_STARTS) or (
                     tok.lower_ == "so" and tok.i > sent.start and tok.doc[tok.i - 1].text == ",")
        if tok.lower_ in _CLAUSE_BREAKS or joins:
            if tok.i < trig.start:
                start = tok.i + 1
            elif tok.i >= trig.end:
                end = tok.i
                break
    return start, end


def _inverts(trig: Span, inner: Span) -> bool:
    """A safety trigger that holds its own negation ("free of side effects") asserts the
    opposite of the registry wording inside it ("side effects"), so that entry's polarity does
    not carry over: "safe doesn't mean free of side effects" denies nothing. The registry
    trigger is judged on its own, with its cues."""
    return trig.label_ == "SAFE" and trig.start <= inner.start and inner.end <= trig.end \
        and (inner.start, inner.end) != (trig.start, trig.end)


# Words that make a harm the patient's state, as in eligibility criteria ("do not have
# uncontrolled blood pressure"), not an effect of the therapy.
_PATIENT_STATES = frozenset({"uncontrolled", "active", "current", "untreated", "severe",
                             "poorly", "significant", "recent", "history", "existing"})
# Qualifiers that name the setting of care rather than how often or how much.
_SETTINGS = frozenset({"under medical supervision", "with monitoring", "closely monitored"})
# The trigger label a denied, documented harm is judged as, by the harm entry's topic.
_DENIABLE_HARMS = {"safety": "RISK", "addiction": "ADDICTION"}


def _denial_label(entry: Entry | None) -> str | None:
    """The label a denial of ``entry``'s claim is judged by, if the entry documents a harm
    (``harm: true``): denying it is an absolute-safety or addiction claim."""
    return _DENIABLE_HARMS.get(entry.topic) if entry is not None and entry.harm else None


def _entry_of(trig: Span, registry: Registry | None) -> Entry | None:
    """The registry entry a registry trigger stands for; None for a lexicon trigger."""
    return registry.entries.get(trig.id_) if registry and trig.label_ == "REGISTRY" else None


def _topic(trig: Span, registry: Registry | None) -> str:
    entry = _entry_of(trig, registry)
    return entry.topic if entry else LABEL_TOPICS[trig.label_]


def _claim_for_trigger(ctx: _DocumentContext, bi: int, sent: Span, trig: Span,
                       mods: Sequence[Modifier], registry_triggers: Sequence[Span],
                       risk_context: bool) -> Claim:
    registry = ctx.registry
    entry = _entry_of(trig, registry)
    lo, hi = _clause(sent, trig)
    governing = _governing(mods, trig)
    # A registry pattern speaks for the claim it overlaps or stands right next to ("extremely
    # safe" for the trigger "safe"), not for every claim in the sentence.
    hints = tuple(sorted({t.id_ for t in registry_triggers
                          if t.start <= trig.end + _HINT_REACH and trig.start <= t.end + _HINT_REACH
                          and lo <= t.start and t.end <= hi and not _inverts(trig, t)
                          and not _negated_apart(mods, governing, trig, t)}))
    topic = _topic(trig, registry)
    intervention, kind, subject = _resolve_subject(
        ctx, bi, sent, trig, (lo, hi), entry.interventions if entry else (),
        entry.topic if entry else "", risk_context)
    conditions = ctx.conditions(bi, lo, hi)
    block = ctx.blocks[bi]
    if not conditions and topic in _CARRIED_CONDITION_TOPICS:
        # "Fibromyalgia" as a heading says what the benefit claims below it are about; an
        # approval or safety statement must name its condition itself.
        conditions = ctx.conditions(block.lead_in) or ctx.conditions(block.heading)
    if registry is not None:
        conditions = set(registry.expand_conditions(tuple(conditions)))
    certainty = _certainty(governing)
    fragment = block.kind in (BlockKind.TITLE, BlockKind.HEADING)
    if fragment and certainty == Certainty.ASSERTED:
        # A heading names a topic ("Ketamine for CRPS"); it is read as qualified at most,
        # unless its own words boost it ("Pain-Free Living", "Proven Relief").
        certainty = Certainty.QUALIFIED
    doc = trig.doc
    core = [trig.start_char, trig.end_char]
    for m in governing:
        # Only cues next to the trigger belong to the quoted claim ("not physically addictive").
        near = m.end >= trig.start - 2 and m.start <= trig.end + 2
        if near and m.category in ("BOOSTER", "NEGATION"):
            core = [min(core[0], doc[m.start].idx), max(core[1], doc[m.end - 1].idx +
                                                        len(doc[m.end - 1]))]
    negated = _negated(governing, trig, topic)
    if negated and topic in _HARM_TOPICS and certainty == Certainty.QUALIFIED and all(
            m.text.lower() in _SETTINGS for m in governing if m.category == "QUALIFIER"):
        # "Under medical supervision, dependence never develops": the setting says where the
        # harm is denied, not how often; the denial stays absolute.
        certainty = Certainty.ASSERTED
    label = trig.label_
    denial = _denial_label(entry) if negated else None
    if denial is not None and entry is not None and intervention in entry.interventions and any(
                m.category == "NEGATION" and (m.start >= trig.end or trig.start - m.end <= 2)
                for m in governing) and not any(
                t.lower_ in _PATIENT_STATES
                for t in doc[max(sent.start, trig.start - 3):trig.start]):
        # "Bladder trouble is a thing of the past", "no effect on the bladder": denying a harm
        # the evidence documents is the wording the language rules judge, since no entry is
        # about the denial. A negation further away ("we do not treat people with psychosis")
        # is about something else.
        label = denial
    return Claim(
        block=bi,
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        sentence=sent.text,
        start=core[0],
        end=core[1],
        label=label,
        topic=topic,
        trigger=trig.text,
        intervention=intervention,
        intervention_kind=kind,
        subject=subject,
        conditions=tuple(sorted(conditions)),
        negated=negated,
        certainty=certainty,
        cues=tuple(Cue(m.category, m.text, doc[m.start].idx,
                       doc[m.end - 1].idx + len(doc[m.end - 1])) for m in governing),
        registry_hint=entry.id if entry else None,
        hints=hints,
        cited=_cites(sent.text),
        block_kind=block.kind,
        fragment=fragment,
    )


_COMPARED_WITH = frozenset({"any", "other", "traditional", "standard", "conventional", "oral",
                            "pill", "pills", "surgery", "medication", "medications", "drugs",
                            "opioids", "painkillers", "supplements", "all", "anyone", "anything",
                            "everyone", "everything", "every"})
# What a "more ... than" may compare a treatment with: another therapy or the evidence.
_THAN_OBJECTS = _COMPARED_WITH | _PUBLISHED_EVIDENCE
_SUPERLATIVES = ("best", "only", "safest", "strongest", "superior", "outperform", "surpass",
                 "unlike", "most ", "leading", "#1", "gold standard", "the one ", "unmatched",
                 "unrivaled", "unrivalled", "unparalleled", "unbeatable", "second to none",
                 "what no ", " where ", " when nothing", "comes close", "come close",
                 "can match", "can touch", "could match", "league", "on top", "nothing else",
                 "everything else", "obsolete", "outdated",
                 " first")  # "specialists now reach for it first"


def _is_comparison(trig: Span, registry: Registry | None) -> bool:
    if trig.label_ == "COMPARISON":
        return True
    entry = _entry_of(trig, registry)
    return entry is not None and entry.topic == "comparison"


def _subsumed(trig: Span, triggers: Sequence[Span], conditions: Sequence[tuple[int, int]],
              registry: Registry | None, subjects: set[str], negated: bool = False) -> bool:
    """A risk word inside a condition's name ("spinal cord injury pain"), or a built-in trigger
    inside a registry pattern of its own topic ("FDA has not approved"), is part of that larger
    wording, which is judged instead."""
    if trig.label_ == "REGISTRY":
        return False
    if trig.label_ == "RISK" and any(s <= trig.start and trig.end <= e for s, e in conditions):
        return True  # "injury" in "spinal cord injury pain" names the condition, not a harm
    topic = LABEL_TOPICS[trig.label_]
    for other in triggers:
        if other.label_ != "REGISTRY" or not (other.start <= trig.start and trig.end <= other.end):
            continue
        entry = registry.entries.get(other.id_) if registry else None
        # Only an entry about this page's or sentence's intervention can take the claim over,
        # and only one that can judge it: an entry about the affirmed claim ("ketamine can
        # cause dependence") says nothing about its denial ("dependence can't develop").
        if (entry is not None and entry.topic == topic and subjects & set(entry.interventions)
                and entry.polarity in ("any", "negated" if negated else "affirmed")):
            return True
    return False


_BACK_REFERENCES = frozenset({"these", "this", "they", "those", "it"})
_THESE_EFFECTS = frozenset({"these", "those", "such", "common", "usual", "typical"})
# What a side effect is called once named: "these feelings usually settle within an hour".
# "Most effects pass within an hour": effects that fade soon are side effects, or a benefit
# said to be brief; neither is a claim of fast relief.
_FADING = frozenset({"pass", "fade", "settle", "subside", "wear", "disappear", "resolve"})
_EFFECT_NOUNS = frozenset({"effects", "effect", "feelings", "feeling", "sensations",
                           "sensation"})


def _risk_before(blocks: Sequence[TextBlock], docs: Sequence[Doc], bi: int) -> bool:
    """Whether the list just before ``bi``, or the heading above it, names a side effect:
    "These usually settle within an hour" after a list of side effects."""
    for i in range(bi - 1, max(-1, bi - 9), -1):
        if blocks[i].kind not in (BlockKind.LIST_ITEM, BlockKind.HEADING, BlockKind.TITLE):
            return False
        if any(t.label_ == "RISK" for t in docs[i].spans[TRIGGERS_KEY]):
            return True
        if blocks[i].kind != BlockKind.LIST_ITEM:
            return False
    return False


# How the body takes up the drug, not how soon relief comes: "most of the dose is absorbed
# within minutes".
_DRUG_HANDLING = frozenset({"absorbed", "absorption", "absorbs", "concentration", "concentrations",
                            "peaks", "metabolised", "metabolized", "eliminated", "excreted",
                            "bloodstream"})


# A time span in a sentence about money is a payment term: "spread over up to three months with
# no interest".
_PAYMENT = re.compile(r"\b(?:pay|paid|paying|payments?|instal+ments?|financ\w*|interest-free|"
                      r"no interest|billed|billing|refund\w*|deposit)\b", re.I)


def _times_something_else(trig: Span, sent: Span, registry: Registry | None) -> bool:
    """A duration or onset that times the drug's handling ("absorbed within minutes") or a
    payment ("over three months, no interest"), not relief."""
    entry = _entry_of(trig, registry)
    if trig.label_ != "ONSET" and (entry is None or entry.topic != "duration"):
        return False
    if _PAYMENT.search(sent.text):
        return True
    lo, _hi = _clause(sent, trig)
    return any(t.lower_ in _DRUG_HANDLING for t in sent.doc[lo:trig.start])


def _about_side_effects(trig: Span, triggers: Sequence[Span], sent: Span,
                        registry: Registry | None = None, risk_before: bool = False) -> bool:
    """"Side effects often ease within a day", "These effects usually settle within an hour":
    relief or timing of a side effect named before the verb, in the same clause, is not a
    claim that the treatment works or how fast."""
    entry = _entry_of(trig, registry)
    if trig.label_ not in ("EFFICACY", "ONSET") and not (
            entry is not None and entry.topic in ("efficacy", "duration")):
        return False
    lo, _hi = _clause(sent, trig)
    doc = sent.doc
    if trig.label_ != "EFFICACY" and doc[lo].lower_ in _BACK_REFERENCES:
        # "Nausea is common. It usually passes within an hour": the pronoun is the side effect
        # named just before it, in this sentence or the one before.
        # A block's first sentence looks back at the list or heading before it.
        if sent.start == 0 and risk_before:
            return True
        start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        if any(t.label_ == "RISK" and start <= t.start and t.end <= lo
               for t in doc.spans[TRIGGERS_KEY]):
            return True
    return any(t.label_ == "RISK" and lo <= t.start and t.end <= trig.start for t in triggers) or (
        trig.label_ != "EFFICACY" and any(
            doc[i].lower_ in _EFFECT_NOUNS and i > lo
            and (doc[i - 1].lower_ in _THESE_EFFECTS or any(
                doc[j].lemma_.lower() in _FADING for j in range(i + 1, min(i + 8, trig.end))))
            for i in range(lo, trig.start)))


_TREATING = frozenset({"treat", "cure", "prevent", "heal", "fight", "clear", "manage", "reverse",
                       "tackle", "relieve", "ease", "combat", "beat", "overcome", "resolve",
                       "halt", "stop", "reduce", "repair", "undo", "fix", "mend", "reboot",
                       "rewire", "reset", "retrain"})
# Also adjectives ("slow titration", "far lower potential"): verbs only after an auxiliary or
# in a verb form ("slows joint damage").
_TREATING_IF_VERB = frozenset({"slow", "lower"})
_TREATING_VERB_FORMS = frozenset({"slows", "slowed", "slowing", "lowers", "lowered", "lowering"})
_NEW_PHRASE = frozenset({"with", "without", "and", "but", "so", "yet", "while"})
_TREATMENT_NOUNS = frozenset({"treatment", "treatments", "remedy", "remedies", "cure", "cures",
                              "therapy", "therapies", "nothing"})  # "does nothing for an infection"
_AUXILIARIES = frozenset({"not", "n't", "to", "does", "do", "did", "can", "may", "will", "could",
                          "might", "cannot"})


# What a drug acts on in the body: "shuts down NMDA receptors" describes the mechanism.
_RECEPTOR_WORDS = frozenset({"receptor", "receptors", "nmda", "glutamate", "channel", "channels"})


def _acts_on_receptors(trig: Span) -> bool:
    """"Ketamine shuts down NMDA receptors": a relief verb whose object is a receptor states a
    mechanism (judged as one), not that symptoms are relieved."""
    doc = trig.doc
    return trig.label_ == "EFFICACY" and any(
        t.lower_ in _RECEPTOR_WORDS for t in doc[trig.end:min(trig.end + 3, trig.sent.end)])


def _side_effect_rate(trig: Span, triggers: Sequence[Span], registry: Registry | None) -> bool:
    """"Roughly 2 in 3 patients described some dissociation": a figure whose clause goes on to
    name a side effect counts that side effect. It is neither the response rate a registry
    statistic entry is about nor a claimed benefit, so it is no statistic claim. A figure that
    minimises the harm ("fewer than 1% ...") stays one."""
    entry = _entry_of(trig, registry)
    if trig.label_ != "STATISTIC" and (entry is None or entry.topic != "statistic"):
        return False
    doc = trig.doc
    if any(t.lower_ in _MINIMISING for t in doc[max(trig.sent.start, trig.start - 2):trig.end]):
        return False  # "Fewer than 1% have ever had a side effect" minimises a harm
    _lo, hi = _clause(trig.sent, trig)

    def harm(t: Span) -> bool:
        if t.label_ == "RISK":
            return True
        named = _entry_of(t, registry)
        return named is not None and named.topic == "safety"

    return any(harm(t) and trig.end <= t.start < min(hi, trig.end + 8) for t in triggers)


_MINIMISING = frozenset({"fewer", "less", "under", "only", "just", "below", "<"})


def _in_condition_clause(trig: Span, sent: Span, fragment: bool = False) -> bool:
    """"If it truly reset the system, the pain would not come back": what an opening if-clause
    supposes is not asserted; the claim, if any, is in the clause after its comma. A heading
    that is one when-clause ("When the pain does not fade") names a situation."""
    first = next((t for t in sent if not (t.is_punct or t.is_space)), None)
    if first is None:
        return False
    if fragment and first.lower_ in ("when", "whenever") and not any(
            t.text == "," for t in sent):
        return True
    if first.lower_ not in ("if", "unless"):
        # "We call the trial a success if your pain drops by at least half": a trailing
        # if-clause sets a condition; the figure in it is a threshold, not a result.
        for tok in reversed(sent.doc[first.i + 1:trig.start]):
            if tok.lower_ in ("if", "unless"):
                return True
            if tok.is_punct:
                return False
        return False
    comma = next((t.i for t in sent.doc[first.i:sent.end] if t.text == ","), None)
    return comma is not None and trig.end <= comma


def _treated_condition(trig: Span, sent: Span) -> bool:
    """"cures Lyme disease, viral infections or cancer", "approved for treating addiction": a
    harm word that is the object of a treating verb names the condition treated, not a risk."""
    if trig.label_ not in ("RISK", "ADDICTION"):
        return False
    doc = sent.doc
    for i in range(trig.start - 1, max(sent.start, trig.start - 8) - 1, -1):
        if doc[i].lemma_.lower() in _TREATING or doc[i].lower_ in _TREATING \
                or doc[i].lower_ in _TREATING_VERB_FORMS:
            return True
        if doc[i].lower_ in _TREATING_IF_VERB and i > sent.start \
                and doc[i - 1].lower_ in _AUXILIARIES:
            return True
        if doc[i].lower_ == "for" and i > sent.start and doc[i - 1].lower_ in _TREATMENT_NOUNS:
            return True  # "not a treatment for an ear infection"
        if doc[i].is_punct and (doc[i].text != "," or doc[i + 1].lower_ in _NEW_PHRASE):
            return False  # "stopping the pump, with no after-effects": a new phrase
    return False


_APPROVAL_WORD = re.compile(r"^(?:fda-)?(?:approv|clear|licens|indicat|authori[sz])", re.I)


def _approved_use(trig: Span, sent: Span) -> bool:
    """"approved to prevent transplant rejection", "not cleared to treat any condition": a
    benefit verb that names what a product is approved for belongs to the regulatory claim, and
    so does a harm named as the use ("not FDA-approved for hangovers")."""
    # A cure named as the approved use ("FDA-approved to cure arthritis") is still a cure claim.
    if trig.label_ not in ("EFFICACY", "RISK"):
        return False
    doc = sent.doc
    linked = False
    for i in range(trig.start - 1, max(sent.start, trig.start - 7) - 1, -1):
        tok = doc[i]
        if tok.lower_ in ("to", "for"):
            linked = True
        elif linked and _APPROVAL_WORD.match(tok.text):
            return True
        elif tok.is_punct and tok.text not in ("-", ","):
            return False
    return False


_RESEARCH_WORDS = re.compile(r"\b(?:trials?|studies|study|research|reported|participants)\b", re.I)


def _research_comparison(trig: Span, sent: Span, registry: Registry | None) -> bool:
    """"The longest-lasting relief reported in trials came from multi-day infusions": which
    relief lasted longer in the research is a finding compared, not a promise that it lasts."""
    entry = _entry_of(trig, registry)
    if (entry.topic if entry else LABEL_TOPICS.get(trig.label_)) != "duration":
        return False
    # the comparative may be the pattern's own first word ("longer-lasting relief")
    words = [t.lower_ for t in sent.doc[max(sent.start, trig.start - 2):trig.start + 1]]
    return bool({"longer", "longest"} & set(words)) and bool(_RESEARCH_WORDS.search(sent.text))


# An approval given by a person, an insurer or a lender, not a regulator: "unless your doctor
# has approved the combination", "plans for approved applicants", "pre-approved".
_PERSONAL_APPROVAL = re.compile(
    r"\b(?:(?:doctor|physician|gp|prescriber|surgeon|nurse|pharmacist|clinician|provider|insurer|"
    r"insurance|lender|team|we|you)(?:'s|s)?\s+(?:\w+\s+){0,2}approv\w*|"
    r"approv\w*\s+by\s+(?:(?:your|the|our|a|an)\s+)?(?:\w+\s+)?(?:doctor|physician|gp|prescriber|"
    r"surgeon|insurer|insurance|lender|plan|team|clinician|marketing|legal|compliance|editor|"
    r"management)|pre-?approv\w*|"
    r"approved\s+(?:applicants?|borrowers?|credit|financing|lenders?|vendors?|combinations?))",
    re.I)


def _personal_approval(trig: Span, sent: Span) -> bool:
    if not re.match(r"(?:pre-?)?approv", trig.text, re.I):
        return False
    start, end = trig.start_char - sent.start_char, trig.end_char - sent.start_char
    return any(m.start() <= start and end <= m.end()
               for m in _PERSONAL_APPROVAL.finditer(sent.text))


_PAPERWORK = frozenset({"appeal", "appeals", "paperwork", "forms", "form", "application",
                        "applications", "claim", "claims", "insurance", "insurer", "booking",
                        "referral", "authorisation", "authorization", "reimbursement"})


_TOOK = frozenset({"took", "taken", "taking", "received", "receiving", "given", "prescribed"})


def _describes_care(trig: Span) -> bool:
    """"treated" and "treating" describe care given ("being treated for cancer", "treating
    pain with it is off-label"), not a benefit; "treats" and "treat" make the claim. "How it
    works" introduces an explanation."""
    if trig.label_ != "EFFICACY":
        return False
    if trig.text.lower() in ("treated", "treating"):
        return True
    if trig.text.lower() == "treat" and trig.start > trig.sent.start \
            and trig.doc[trig.start - 1].lower_ == "to" and any(
            t.lower_ in _TOOK for t in trig.doc[max(trig.sent.start, trig.start - 7):trig.start]):
        return True  # "patients who took ketamine for months to treat pain": why it was used
    if trig[0].lemma_ == "help" and any(
            t.lower_ in _PAPERWORK for t in trig.doc[trig.end:min(trig.sent.end, trig.end + 8)]):
        return True  # "helping patients through the appeal process": help with paperwork
    before = trig.doc[trig.start - 1].lower_ if trig.start > trig.sent.start else ""
    # "How Ketamine Infusions Work for Chronic Pain": "how" a few words back, as in a title.
    how = any(t.lower_ == "how" for t in trig.doc[max(trig.sent.start, trig.start - 4):trig.start])
    return trig[-1].lemma_ == "work" and (before in ("how", "why", "what", "whether", "if") or how)


# Words before "combat" that make it the noun ("PTSD can follow combat"), not the verb.
_COMBAT_NOUN_BEFORE = frozenset({"follow", "follows", "followed", "following", "in", "from",
                                 "after", "during", "of", "the", "a", "before", "since", "post"})
_FEELING = frozenset({"feel", "feels", "felt", "feeling", "look", "looks", "looked", "looking"})


_ARRIVING = frozenset({"over", "in", "on", "into", "onto", "upon", "across", "around"})
_WORSE_WHEN_SHARP = frozenset({"memories", "memory", "pain", "flashbacks", "fear", "symptoms",
                               "anxiety", "cravings"})


def _other_sense(trig: Span) -> bool:
    """A trigger word in a sense that claims no benefit: the noun "combat" ("stress that follows
    combat"), "wiped out" as tiredness ("feel wiped out after an ordinary day"), a fog that
    "settles over" a day, and poor sleep that "sharpens the memories"."""
    if trig.label_ != "EFFICACY" or trig.start == trig.sent.start:
        return False
    before = trig.doc[trig.start - 1].lower_
    if trig.text.lower() == "combat":
        return before in _COMBAT_NOUN_BEFORE
    after = trig.doc[trig.end].lower_ if trig.end < trig.sent.end else ""
    if trig[-1].lemma_ == "settle":
        return after in _ARRIVING  # "a fog settles over everything" arrives, it does not lift
    if trig[0].lemma_ == "sharpen":
        return any(t.lower_ in _WORSE_WHEN_SHARP
                   for t in trig.doc[trig.end:min(trig.sent.end, trig.end + 3)])
    return trig[0].lemma_ == "wipe" and before in _FEELING


# The last word of a clinic's, programme's or package's name: "Thistledown Relief Collective",
# "The Reset Series".
_NAME_NOUNS = frozenset({
    "clinic", "clinics", "centre", "centres", "center", "centers", "collective", "institute",
    "series", "program", "programme", "package", "plan", "membership", "wellness", "health",
    "group", "partners", "associates", "lounge", "studio", "suite", "network", "foundation",
    "society", "trust", "llc", "inc", "ltd", "spa", "practice", "club", "co", "co.",
    # "a Dual Reset session", "the Kindle Relief Track", "a Dual Reset patient"
    "session", "sessions", "team", "patient", "patients", "protocol", "protocols", "track",
    "method", "graduate", "graduates", "room", "rooms",
    # "The Ouzelford Reset Fortnight", "the Renew Weekend Intensive"
    "fortnight", "weekend", "intensive", "retreat", "course", "pathway", "bundle"})


_NAME_PLACES = frozenset({"at", "from", "visit", "join"})


def _in_name(trig: Span, mods: Sequence[Modifier]) -> bool:
    """A trigger word in a title-cased name ("Thistledown Relief Collective", "The Reset
    Series") names the business, not a result. A name that boasts ("Permanent Relief
    Clinic") still claims."""
    doc = trig.doc
    if not all(t.is_title or t.is_upper for t in trig):
        return False
    sent = trig.sent
    lo, hi = trig.start, trig.end
    while lo > sent.start and (doc[lo - 1].is_title or doc[lo - 1].is_upper or (
            doc[lo - 1].lower_ in ("'s", "\u2019s") and lo - 2 >= sent.start
            and doc[lo - 2].is_title)):
        lo -= 1
    while hi < sent.end and (doc[hi].is_title or doc[hi].is_upper) and doc[hi].is_alpha:
        hi += 1
    if hi < sent.end and hi - lo >= 2 and doc[hi].lower_ in _NAME_NOUNS:
        hi += 1  # "the Fibro Reset series"
    # "Shift's End Relief is our evening schedule": a name the sentence goes on to define.
    defined = hi == trig.end and trig.start - lo >= 2 and hi + 1 < sent.end \
        and doc[hi].lower_ == "is" and doc[hi + 1].lower_ in ("our", "a", "an", "the")
    # "Happy Monday from all of us at Yarrowfield Ketamine Relief!": where the copy is from.
    placed = hi == trig.end and trig.start - lo >= 2 and lo > sent.start \
        and doc[lo - 1].lower_ in _NAME_PLACES
    if not defined and not placed and (hi == trig.end or doc[hi - 1].lower_ not in _NAME_NOUNS):
        return False
    return not any(m.category == "BOOSTER" and lo <= m.start < hi for m in mods)


def _in_byline(sent: Span, trig: Span) -> bool:
    """A trigger after a quote's byline dash ('..." — Dana, treated for CRPS') is not a claim."""
    return any(t.text in _ATTRIBUTION_DASHES[:3] and t.i + 1 < sent.end
               and sent.doc[t.i + 1].is_title for t in sent.doc[sent.start:trig.start])


# After "than", words that show the comparison is not between treatments: a setting ("than
# about any other treatment", "than in adults") or a group of people or conditions.
_THAN_SETTINGS = frozenset({"about", "in", "at", "on", "among", "during", "from", "for"})
_NOT_TREATMENTS = frozenset({
    "condition", "conditions", "disease", "diseases", "diagnosis", "illness", "disorder",
    "disorders", "syndrome", "patient", "patients", "person", "people", "adults", "adult",
    "children", "kids", "teens", "teenagers", "men", "women", "group", "groups", "clinic",
    "clinics", "topic", "question", "questions", "age", "year", "years",
    # "more often than the doctor planned", "sooner than prescribed": a plan, not a treatment.
    "doctor", "doctors", "prescriber", "nurse", "team", "you", "we", "they", "planned",
    "prescribed", "recommended", "advised", "intended", "scheduled", "agreed",
    # "did no better than placebo": a trial's control arm, not a rival treatment.
    "placebo", "placebos", "sham", "saline", "dummy"})


_HARM_WORDS = frozenset({"risk", "harm", "danger", "complication", "side", "toxicity"})


def _compares_no_treatment(trig: Span) -> bool:
    """"More calls about ketamine than about any other treatment", "more trial data than any
    other pain condition", "a better outlook than adults", "more risk than a single series":
    the comparison ranks settings, conditions, people or harms, not a treatment's benefit."""
    doc = trig.doc
    if trig[0].lower_ in ("more", "higher", "greater") and any(
            t.lemma_.lower() in _HARM_WORDS for t in trig):
        return True  # "long courses carry more risk than a single series" admits a harm
    than = next((t.i for t in trig if t.lower_ == "than"), None)
    if than is None and trig.end < trig.sent.end and doc[trig.end].lower_ == "than":
        than = trig.end  # "no better" + "than placebo"
    if than is None or than + 1 >= trig.sent.end:
        return False
    after = doc[than + 1:min(than + 5, trig.sent.end)]
    if after[0].lower_ in _THAN_SETTINGS:
        return True
    words = [t.lower_ for t in after if t.lower_ not in ("any", "other", "the", "most")]
    nouns = words[:2] if words[:1] and after[0].lower_ in ("any", "the", "most") else words[:1]
    return any(w in _NOT_TREATMENTS for w in nouns)


# Other treatments named inside a comparison trigger's own words.
_NAMED_ALTERNATIVES = frozenset({"pills", "medications", "medicines", "drugs", "treatments",
                                 "therapies", "opioids", "painkillers", "surgery", "tablets",
                                 "others", "injections", "shots", "operations", "procedures",
                                 "epidurals", "steroids", "medication", "medicine", "pill",
                                 "drug", "painkiller", "tablet", "injection",
                                 # "did what three surgeons couldn't": the care they gave
                                 "surgeons", "surgeon", "doctors", "specialists", "physios",
                                 "physiotherapists", "neurologists", "chiropractors"})


def _compares(ctx: _DocumentContext, bi: int, sent: Span, trig: Span) -> bool:
    """A comparison is a health claim only when it compares treatments ("than opioids"),
    or ranks one above all others; "similar to a flu shot" compares nothing medical."""
    text = trig.text.lower()
    following = {t.lower_ for t in sent.doc[trig.end: min(trig.end + 3, sent.end)]}
    if re.fullmatch(r"(more|less|fewer|higher|lower) than", text) or (
            sent.doc[trig.end].like_num if trig.end < sent.end else False):
        return False  # "more than 4,000 infusions" counts, it does not compare
    if _compares_no_treatment(trig):
        return False
    if trig.label_ == "REGISTRY":
        return True  # a registry comparison pattern names what it compares
    if ctx.blocks[bi].kind in (BlockKind.TITLE, BlockKind.HEADING) and text.startswith(
            ("compared", "vs")):
        return False  # "Ketamine Compared With Other Treatments" names a topic
    ranked_first = trig[0].lower_ in ("nothing", "none") or (
        trig[0].lower_ == "no" and len(trig) > 2 and trig[1].lower_.endswith("er"))
    if ranked_first or any(word in text for word in _SUPERLATIVES):
        return True  # "the safest", "no gentler or safer way", "nothing works better than"
    first = sent.doc[trig.end].lower_ if trig.end < sent.end else ""
    if following & {"usual", "normal", "normally", "before", "average"} or first == "ever":
        return False  # "more oxygen than usual" compares with nothing medical
    if following & _COMPARED_WITH or {t.lower_ for t in trig} & _NAMED_ALTERNATIVES:
        return True  # "than standard care"; "Where pills stop, ketamine starts"
    subjects = {(t.label, t.id) for t in ctx.terms[bi]
                if sent.start <= t.start and t.end <= sent.end
                and t.label in ("INTERVENTION", "OTHER_THERAPY", "COMPARATOR")}
    return any(label == "COMPARATOR" for label, _ in subjects) or len(subjects) > 1


# What a list item says when its lead-in says it: "Our protocols bring long-lasting comfort to
# people living with:", "Stem cell injections can permanently repair:".
_INHERITED_LABELS = frozenset({"EFFICACY", "CURE", "DURATION_LONG", "MECH_UNPROVEN", "REGISTRY"})


def _inherit(ctx: _DocumentContext, bi: int, sent: Span, source: list[Claim],
             registry: Registry | None, from_heading: bool) -> list[Claim]:
    """A list item with no claim of its own says what its lead-in or heading says about it.

    Under a heading ("Conditions we treat") an item is a listing, not a sentence asserting
    the heading: it is read as qualified at most. Under a lead-in sentence it carries the
    sentence's own certainty, hedges included.
    """
    own = ctx.conditions(bi, sent.start, sent.end)
    if registry is not None:
        own = set(registry.expand_conditions(tuple(own)))
    out = []
    for claim in source:
        if claim.label not in _INHERITED_LABELS or claim.intervention is None or (
                claim.label == "REGISTRY" and claim.topic != "efficacy"):
            continue
        out.append(replace(claim, block=bi, sentence_start=sent.start_char,
                           sentence_end=sent.end_char, sentence=sent.text,
                           start=sent.start_char, end=sent.end_char,
                           conditions=tuple(sorted(own)) or claim.conditions,
                           subject="heading" if from_heading else "lead-in", inherited=True,
                           fragment=True,
                           certainty=min(claim.certainty, Certainty.QUALIFIED) if from_heading
                           else claim.certainty,
                           block_kind=ctx.blocks[bi].kind, hints=()))
    return out


# A short answer to an FAQ question ("Is it addictive?" "Never.") says what the question asks,
# with the answer's polarity and strength: (negates, certainty), by the answer's first words.
# Answer words that say how often, which caps a "Will it ...?" question's promise.
_FREQUENCY_ANSWERS = ("usually", "mostly", "generally", "typically", "in most cases",
                      "in many cases", "for most people", "for most patients",
                      "most of the time", "often", "frequently")
_ANSWER_WORDS: dict[str, tuple[bool, Certainty]] = {
    **dict.fromkeys(("absolutely", "definitely", "certainly", "of course", "always", "totally",
                     "100%", "without a doubt", "without doubt", "undoubtedly", "guaranteed",
                     "completely", "entirely", "overwhelmingly", "100 percent", "hands down",
                     "without question", "instantly", "immediately", "right away",
                     "straight away", "permanently", "forever", "for good", "for life",
                     "every time", "everyone", "anyone", "almost always", "nearly always",
                     "in every case", "without exception", "far better", "much better",
                     "way better", "by far", "overnight", "within minutes", "within hours",
                     "within days", "within a day", "in minutes", "indefinitely", "for years",
                     "years", "lifelong", "plenty", "almost certainly", "most certainly"),
                    (False, Certainty.BOOSTED)),
    **dict.fromkeys(("yes", "yeah", "yep", "sure", "indeed", "very likely", "highly likely",
                     "most likely", *_FREQUENCY_ANSWERS),
                    (False, Certainty.ASSERTED)),
    **dict.fromkeys(("sometimes", "occasionally", "possibly", "maybe", "perhaps", "probably",
                     "likely", "it depends", "in some cases", "for some people",
                     "for some patients", "potentially"),
                    (False, Certainty.HEDGED)),
    **dict.fromkeys(("no", "nope", "not really", "not usually", "not typically", "not often",
                     "rarely, if ever", "rarely if ever", "seldom, if ever", "seldom if ever",
                     "almost never", "virtually never", "practically never", "not a concern",
                     "no concern", "not an issue", "not a problem"),
                    (True, Certainty.ASSERTED)),
    **dict.fromkeys(("never", "not at all", "none", "none at all", "absolutely not",
                     "definitely not", "certainly not", "not ever", "zero", "nothing",
                     "not a chance", "no way", "not even close", "not here", "none whatsoever",
                     "not even a little", "not in the slightest", "practically none",
                     "not even slightly", "not in the least", "not one bit", "not a bit",
                     "not for a second", "not for a moment",
                     "virtually none", "next to none", "next to nothing", "nil", "virtually nil",
                     "practically nil", "negligible", "virtually zero", "near zero",
                     "close to zero"),
                    (True, Certainty.BOOSTED)),
    **dict.fromkeys(("rarely", "seldom", "unlikely", "hardly ever", "very rarely", "maybe not",
                     "probably not", "possibly not", "perhaps not", "not necessarily", "rare",
                     "very rare", "minimal", "negligible"),
                    (True, Certainty.HEDGED)),
}
# Answer words that say the benefit lasts: "Will the swelling come back?" "Permanently."
_DURABLE_ANSWERS = frozenset({"permanently", "forever", "for good", "for life", "for years",
                              "years", "indefinitely", "lifelong"})
_ANSWER = re.compile(
    # after an optional label: "A.", "Answer:", a speaker's name ("Jo: Totally."), or a
    # preface ("In a word, yes.", "Short answer: no.")
    r"^\W*(?:(?:a|answer|[a-z][\w'-]{0,20}(?:\s[a-z][\w'-]{0,20})?)\s*[.:)]\s*)?"
    r"(?:(?:in a word|in short|in brief|simply put|put simply|(?:the )?short answer)"
    r"\s*[,:\u2014-]\s*)?(?P<word>"
    + "|".join(sorted((re.escape(w) for w in _ANSWER_WORDS), key=len, reverse=True))
    # a tail that goes on after a semicolon is a new clause, which may be as long as it likes
    + r")(?![\w%])(?P<tail>[^.!?;]{0,60}(?:;[^.!?]*)?)[.!]*\W*$", re.I)


# A question, possibly closed by a quote mark or signed ("...last? — Hopeful in Hartford").
_QUESTION = re.compile(r"\?[\s\"'\u201c\u201d\u2018\u2019()\[\]*]*"
                       r"(?:(?:\u2014|\u2013|--?)\s*[^.!?]{0,60})?\s*$")
_ANSWER_LABEL = re.compile(r"^\s*(?:a|answer)\s*[.:)]?\s*$", re.I)


def _answer(text: str) -> tuple[str, bool, Certainty] | None:
    """The answer word of a short FAQ answer, and what it does to the question's claim."""
    m = _ANSWER.match(text.strip())
    if m is None:
        return None
    word = m["word"]
    negates, certainty = _ANSWER_WORDS[word.lower()]
    # "Yes, completely.", "No, never.": a second answer word of the same polarity may
    # strengthen the first.
    again = _ANSWER.match(m["tail"].lstrip(" ,:\u2014-"))
    if again is not None:
        negates2, certainty2 = _ANSWER_WORDS[again["word"].lower()]
        if negates2 == negates and certainty2 > certainty:
            word, certainty = again["word"], certainty2
    return word, negates, certainty


def _answered(question: list[Claim], bi: int, sent: Span,
              answer: tuple[str, bool, Certainty]) -> list[Claim]:
    """The question's claims as the short answer ``sent`` states them: "Is it addictive?"
    answered "Never." claims it is never addictive; "Can it help?" answered "Yes." keeps the
    question's own hedge."""
    word, negates, certainty = answer
    at = sent.start_char + sent.text.lower().find(word.lower())
    out = []
    for claim in question:
        if certainty == Certainty.ASSERTED:
            strength = claim.certainty
            if word.lower() in _FREQUENCY_ANSWERS:
                # "Will I need top-ups?" "Often, yes.": how often is not the question's "will"
                strength = min(strength, Certainty.ASSERTED)
            elif negates and claim.label != "RISK":
                # "Could I get hooked on it?" "No.": the answer denies what the question only
                # wondered about; "could" hedges the question, not the denial. Not for a named
                # harm: "Could my body reject it?" "No." goes on to say why that harm cannot
                # arise ("the cells are your own"), which a short answer's reading cannot see.
                strength = max(strength, Certainty.ASSERTED)
        elif certainty == Certainty.BOOSTED:
            strength = Certainty.BOOSTED
        else:
            strength = min(claim.certainty, certainty)
        category = "NEGATION" if negates else {Certainty.BOOSTED: "BOOSTER",
                                                Certainty.HEDGED: "HEDGE"}.get(certainty, "")
        out.append(replace(claim, block=bi, sentence_start=sent.start_char,
                           sentence_end=sent.end_char, sentence=sent.text,
                           start=sent.start_char, end=sent.end_char,
                           negated=claim.negated != negates, certainty=strength,
                           cues=(Cue(category, word, at, at + len(word)),) if category else (),
                           inherited=True, fragment=True, cited=False))
    return out


# A question that names no trigger of its own is answered by a claim the answer makes:
# about the benefit coming back ("Will the pain return?", "Do I need boosters?") or staying
# ("Is the result permanent?", "How long does it last?"); about whether it works ("Will I feel
# better?" "Yes, every time."); or a symptom named alone and dismissed ("Inflammation? Gone.").
# "Rarely" after a recurrence question promises relief that lasts as surely as "No" does, so
# it is not read as a hedge here.
_RECURRENCE_QUESTION = re.compile(
    r"\b(?:com(?:e|es|ing) back|return|returns|recur|recurs|relapse|regain|wear(?:s)? off|"
    r"fade|fades|go(?:es)? away again|need (?:more|another|further|repeat|top-ups?|follow-up)|"
    r"(?:need|paying for|pay for|have|get) (?:boosters?|top-ups?|touch-ups?)|boosters? forever|"
    r"need (?:[\w+-]+ ){1,2}(?:forever|for ever|for life|indefinitely)|"
    r"more (?:courses|sessions|infusions|treatments|injections))\b", re.I)
_LASTING_QUESTION = re.compile(
    r"\b(?:permanent(?:ly)?|for good|forever|for life|"
    r"stay (?:gone|away|fixed|healed|down|low|normal|better|under control)|"
    r"last(?:s|ing)? (?:for ever|forever|for years|a lifetime)|"
    r"how long (?:do|does|will|would|can) (?:[\w+-]+ ){1,4}last)\b", re.I)
_BENEFIT_QUESTION = re.compile(
    r"\b(?:help|helps|work|works|feel better|get better|improve|results?|relief|relieve|fix|"
    r"cure|heal|enough|sufficient|get (?:[\w'-]+ ){1,3}back|back to normal|recover|replace|"
    r"be able to|go back to|get back to)\b",
    re.I)
# "When does it kick in?" "Instantly.": how soon it works, answered with a fast word.
_ONSET_QUESTION = re.compile(
    r"\b(?:when|how (?:soon|fast|quickly|long (?:until|before|does it take|will it take)))\b"
    r"[^?]*\b(?:kick(?:s)? in|work|works|start|starts|help|helps|feel|notice|see|take effect|"
    r"results?|relief|better|difference)\b", re.I)
_FAST_ANSWERS = frozenset({"instantly", "immediately", "right away", "straight away",
                           "overnight", "within minutes", "within hours", "within a day",
                           "in minutes"})
_SURE_ANSWER = re.compile(
    r"\b(?:every time|always|guaranteed|100 ?%|100 percent|without exception|in every case|"
    r"absolutely|definitely|certainly|without a doubt|undoubtedly|very likely|highly likely|"
    r"without question|hands down)\b",
    re.I)
_GONE = re.compile(
    r"^\W*(?P<word>gone|vanished|history|fixed|solved|erased|banished)\b[.!]*\W*$", re.I)


def _unasked(ctx: _DocumentContext, bi: int, sent: Span, question: str,
             answer: tuple[str, bool, Certainty] | None) -> list[Claim]:
    """The claim a short answer makes to a question that named none itself."""
    if answer is None:
        gone = _GONE.match(sent.text)
        if gone is None or len(question.split()) > 4:
            return []
        return _answer_claim(ctx, bi, sent, gone["word"], "CURE", Certainty.BOOSTED)
    word, negates, certainty = answer
    # "Will I need infusions forever?" asks whether more treatment is needed: "Yes" to it
    # promises nothing lasting, "Rarely" does.
    recurrence = _RECURRENCE_QUESTION.search(question) is not None
    if (negates and recurrence) or (
            not negates and certainty != Certainty.HEDGED and not recurrence
            and _LASTING_QUESTION.search(question)) or (
            word.lower() in _DURABLE_ANSWERS and recurrence):
        return _answer_claim(ctx, bi, sent, word, "DURATION_LONG",
                             max(certainty, Certainty.ASSERTED))
    if word.lower() in _FAST_ANSWERS and _ONSET_QUESTION.search(question):
        return _answer_claim(ctx, bi, sent, word, "ONSET", Certainty.BOOSTED)
    sure = _SURE_ANSWER.search(sent.text)
    if not negates and sure is not None and _BENEFIT_QUESTION.search(question):
        return _answer_claim(ctx, bi, sent, sure.group(), "CURE", Certainty.BOOSTED)
    return []


def _answer_claim(ctx: _DocumentContext, bi: int, sent: Span, word: str, label: str,
                  certainty: Certainty) -> list[Claim]:
    at = sent.start_char + sent.text.lower().find(word.lower())
    claim = _uncued(ctx, bi, sent, [])
    return [replace(claim, label=label, topic=LABEL_TOPICS[label], trigger=word, start=at,
                    end=at + len(word), certainty=certainty,
                    cues=(Cue("BOOSTER", word, at, at + len(word)),)
                    if certainty == Certainty.BOOSTED else (),
                    inherited=True, fragment=True)]


def _harm_cell(ctx: _DocumentContext, per_block: list[list[Claim]], bi: int,
               sent: Span) -> list[Claim]:
    """A table cell that answers its row's label with a denial: "| Risk of addiction | Zero |",
    "| Serious side effects | None, ever |" says the therapy has none. Only denials of a harm
    are read this way; which column a "Yes" belongs to is too easy to get wrong."""
    blocks = ctx.blocks
    first = _row_label(blocks, bi)
    answer = _answer(sent.text)
    if first is None or answer is None or not answer[1]:
        return []
    after = sent.text.strip().lower()
    after = after[after.find(answer[0].lower()) + len(answer[0]):].lstrip()
    if answer[0].lower() == "no" and after[:1].isalpha():
        return []  # "No driving until the next day" is advice, not the answer "No"
    label = per_block[first]
    if blocks[first].kind == BlockKind.TABLE_HEADER:
        # A row header ("<th>Side effects</th>") asserts nothing itself, so it has no claims
        # yet; its harm words are what the cell answers.
        doc = ctx.docs[first]
        mods: list[Modifier] = doc._.get(MODIFIERS_EXT) or []
        label = [_claim_for_trigger(ctx, first, t.sent, t, mods, [], True)
                 for t in doc.spans[TRIGGERS_KEY] if t.label_ in ("RISK", "ADDICTION")]
    entries = ctx.registry.entries if ctx.registry is not None else {}
    # A side effect the registry documents ("Drowsiness") is denied as a harm, like any other.
    harms = [replace(c, label=_denial_label(entries.get(c.registry_hint or "")) or c.label)
             for c in label if c.topic in _HARM_TOPICS and not c.negated
             and c.intervention is not None]
    return _answered(harms, bi, sent, answer)


# A lead-in or heading that introduces what patients say happened: "Our members report:",
# "Within an hour, most patients describe:", "What parents tell us". "Call us if you notice:"
# introduces warning signs instead.
_OUTCOME_LEAD_IN = re.compile(
    r"^(?!.*\b(?:if|unless|side effects?|risks?|during|while|research|evidence|studies|science|"
    r"trials)\b).*\b(?:report|reports|reported|tell us|told us|"
    r"tells us|describe|notice|say|says|enjoy|enjoys|experience|can expect|look forward to|"
    r"share)\b[^.!?]{0,30}"
    r"\W*$", re.I | re.S)


def _reported_outcome(ctx: _DocumentContext, per_block: list[list[Claim]], bi: int,
                      sent: Span, mods: Sequence[Modifier]) -> list[Claim]:
    """An item under "Patients report:" that no cue word matched ("Comfortable prosthesis wear
    from morning to night") states an outcome of the treatment, which is a benefit claim; an
    item naming a harm has a claim of its own already."""
    block = ctx.blocks[bi]
    source = block.lead_in if block.lead_in is not None else block.heading
    if source is None or source >= bi or ctx.page is None \
            or sum(t.is_alpha for t in sent) < _UNCUED_MIN_WORDS or _BYLINE.match(sent.text) \
            or not _OUTCOME_LEAD_IN.match(ctx.blocks[source].text.strip()):
        return []
    # A harm named by the lead-in, or by at least half of the items, makes the list one of side
    # effects; one testimonial that mentions feeling queasy on the way home does not.
    siblings = [i for i in range(source + 1, min(len(ctx.blocks), bi + 20))
                if ctx.blocks[i].kind == BlockKind.LIST_ITEM
                and (ctx.blocks[i].lead_in, ctx.blocks[i].heading) == (block.lead_in,
                                                                      block.heading)]
    harms = sum(any(t.label_ in ("RISK", "ADDICTION") for t in ctx.docs[i].spans[TRIGGERS_KEY])
                for i in siblings)
    if any(c.topic in _HARM_TOPICS for c in per_block[source]) or 2 * harms >= len(siblings) > 0:
        return []
    claim = _uncued(ctx, bi, sent, mods)
    # the claim is the quotation, not its signature ('"..." (Ulrike, CRPS)')
    return [replace(claim, label="EFFICACY", topic=LABEL_TOPICS["EFFICACY"], subject="lead-in",
                    end=unsigned_end(claim))]


# "Discuss your options with your doctor": advice to the reader, not a claim about a treatment.
_ADVICE = re.compile(r"\b(?:talk|speak|discuss|consult|check|ask)\b[^.;]{0,80}\b(?:your|a|our)\s+"
                     r"(?:own\s+)?(?:doctor|physician|provider|healthcare provider|health care "
                     r"provider|gp|clinician|care team|pharmacist|specialist)s?\b", re.I)


# A label ("Fibromyalgia", "Varies") is too short for words alone to make it a claim.
_UNCUED_MIN_WORDS = 3


_TOPIC_HEADING = re.compile(
    r"^\W*(?:(?:our|the|my|your)\s+[\w-]+|(?:on|about)\s+[\"\u201c'\u2018][^\"\u201d]{1,40}"
    r"[\"\u201d'\u2019]|[\w+-]+(?:\s+[\w+-]+)?,?\s+(?:decoded|explained|demystified|"
    r"unpacked|in (?:brief|plain english|a nutshell)))\W*$", re.I)
# A glossary entry: "Neuroplasticity: the brain's ability to form new connections."
_DEFINITION = re.compile(
    r"^\W*[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019()-]+){0,3}\W*:\W*(?i:the|a|an)\b[^.:;]{0,40}?"
    r"\b(?:ability|capacity|process|type|kind|form|class|term|word|name|state|feeling|sense|"
    r"measure|way|group|family|tendency)\b"
    # "Neuroplasticity is the brain's ability to ...": a term defined in a sentence.
    r"|^\W*(?!(?:The|This|It|Our|Your|Their|Its|These|Those)\b)[A-Z][\w'\u2019-]*"
    r"(?:\s+[\w'\u2019()-]+){0,2}\s+(?:is|means)\s+(?i:the|a|an)\s+(?:[\w-]+'s\s+)?"
    r"(?:ability|capacity|process|term|name|tendency)\b")
# A testimonial's signature: "- Kelsey, 29", "(Marisol T., CRPS)", "— Marcus T.".
_BYLINE = re.compile(r"^[\s(\-\u2013\u2014\u2015]*[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]*\.?)?"
                     r"\s*(?:,[^.!?]{0,40})?[)\s.]*$")


# A quote's signature after its closing mark ('... again." - Dana R.', '... again." (Rory,
# joiner)'), or its lone dash when the
# name is split off as a sentence of its own.
_SIGNATURE = re.compile(r"(?<=[\"\u201d\u2019.!])\s*(?:(?:[-\u2013\u2014\u2015]|--|&mdash;)\s*"
                        r"(?:[A-Z][^!?\"\u201c\u201d]{0,50})?"
                        r"|\((?:[A-Z][^()!?\"\u201c\u201d]{0,50}\))?)$")  # or "(Rory, joiner)"


def unsigned_end(claim: Claim) -> int:
    """Where the claim's sentence ends without a quote's signature (block offset)."""
    signed = _SIGNATURE.search(claim.sentence)
    return claim.sentence_start + signed.start() if signed else claim.sentence_end


def _about_condition_only(ctx: _DocumentContext, bi: int, sent: Span) -> bool:
    """"Fibromyalgia is a long-term condition...": a sentence that names a condition and no
    treatment, pronoun or clinic describes the illness, not a treatment."""
    labels = {t.label for t in ctx.terms[bi] if sent.start <= t.start and t.end <= sent.end}
    return "CONDITION" in labels and not labels & set(SUBJECT_LABELS)


def _uncued(ctx: _DocumentContext, bi: int, sent: Span, mods: Sequence[Modifier]) -> Claim:
    """A sentence no trigger matched, as a claim about the therapy it names or the page's."""
    named = [t for t in ctx.terms[bi] if sent.start <= t.start and t.end <= sent.end
             and t.label in ("INTERVENTION", "OTHER_THERAPY")]
    carried = ctx.block_subject(ctx.blocks[bi].lead_in) or ctx.block_subject(
        ctx.blocks[bi].heading)
    label, intervention = ((named[0].label, named[0].id) if named
                           else carried or ctx.page or ("", ""))
    doc = sent.doc
    return Claim(
        block=bi, sentence_start=sent.start_char, sentence_end=sent.end_char,
        sentence=sent.text, start=sent.start_char, end=sent.end_char, label=UNCUED,
        topic=LABEL_TOPICS[UNCUED], trigger="", intervention=intervention,
        intervention_kind=label, subject="explicit" if named else "page", conditions=(),
        # Which words a negation governs is unknown without a trigger; the classifier reads it.
        negated=False, certainty=_certainty(mods),
        cues=tuple(Cue(m.category, m.text, doc[m.start].idx,
                       doc[m.end - 1].idx + len(doc[m.end - 1])) for m in mods),
        cited=_cites(sent.text), block_kind=ctx.blocks[bi].kind,
        fragment=ctx.blocks[bi].kind in (BlockKind.TITLE, BlockKind.HEADING))


# A myth label, numbered or not ("Myth:", "Myth 4 -", "Misconception #2:"), and a limit of the
# evidence in the words it rejects: a page that calls "the relief is temporary" or "stem cells
# are experimental" a myth claims lasting relief or settled evidence.
_MYTH_LIMIT_LABEL = re.compile(r"^\W*(?:myths?|misconceptions?)(?:\s*#?\s*\d{1,2})?\s*"
                               r"[:.\u2014\u2013-]", re.I)
_LIMITS = (
    ("DURATION_LONG", re.compile(
        r"\b(?:only\s+)?(?:temporary|temporarily|short[- ]lived|wears? off|fades?|"
        r"only lasts?|(?:does|do)(?:n't|n\u2019t| not) last|band-?aid|stopgap)\b", re.I)),
    ("EVIDENCE", re.compile(
        r"\b(?:experimental|unproven|investigational|untested|not (?:yet )?proven|"
        r"no (?:real |good |solid )?evidence|unscientific)\b", re.I)),
)


def _myth_limit(ctx: _DocumentContext, bi: int, sent: Span,
                mods: Sequence[Modifier]) -> Claim | None:
    """The claim a myth label makes when what it rejects is a limit of the evidence."""
    label = _MYTH_LIMIT_LABEL.match(sent.text)
    if label is None or ctx.page is None:
        return None
    rejected = sent.text[label.end():]
    doc = sent.doc
    for claim_label, limit in _LIMITS:
        m = limit.search(rejected)
        if m is None:
            continue
        lo, hi = sent.start_char + label.end(), sent.start_char + label.end() + m.start()
        if any(q.category == "NEGATION" and lo <= doc[q.start].idx < hi for q in mods):
            continue  # "Myth: relief is not temporary" rejects a promise, not a limit
        # the whole labelled line is the claim: the label is what turns the limit around
        return replace(_uncued(ctx, bi, sent, mods), label=claim_label,
                       topic=LABEL_TOPICS[claim_label], trigger=m.group(0), negated=False,
                       certainty=Certainty.BOOSTED, cues=())
    return None


# A sentence that is one quotation: '"Ketamine cures phantom pain."', '**"It's addictive."**'.
# A numbered heading may hold one: '## 2. "Ketamine is approved for depression."'.
_QUOTATION = re.compile(
    r'^[\s*_]*(?:\d{1,2}[.)]\s*)?["\u201c][^"\u201c\u201d]+["\u201d][\s*_]*$')
# A short rejection of the quotation before it: "It isn't.", "Also untrue.", "Myth."
_REJECTION = re.compile(
    r"^[\s*_]*(?:(?:also|that's|that is|this is|simply|it's|it is)\s+)?(?:"
    r"(?:it|that|this|they|she|he)\s+(?:(?:does|do|did|is|are|was|were|has|have|can|will)"
    r"\s*(?:not|n't|n\u2019t)|isn't|aren't|doesn't|don't|wasn't|won't|can't|isn\u2019t|"
    r"doesn\u2019t)|not so|not true|untrue|false|a myth|myth|wrong|nope|not quite|"
    r"not exactly|far from it|fiction|not really|"
    r"there (?:is|are) (?:almost |virtually |very little|little or )?no (?:\w+ ){0,2}"
    r"(?:evidence|data|proof|studies|trials)|there is (?:very )?little (?:\w+ ){0,2}"
    r"(?:evidence|data)|no (?:\w+ ){0,2}evidence (?:supports|shows|backs)|"
    r"(?:nobody|no one) knows (?:this|that|it)|we are not aware of (?:any )?(?:good )?evidence|"
    r"(?:\w+, )?the evidence (?:here |for (?:this|that) )?"
    r"is (?:thin|weak|limited|sparse|mixed|poor))\b[^.!?]{0,40}[.!]?[\s*_]*$"
    # "Not quite: the main risk is ...", "We cannot support that, and ..."
    r"|^[\s*_]*(?:also\s+)?(?:not quite|not true|not so|untrue|false|wrong|nope|not exactly|"
    r"far from it|not really|(?:a )?myth|fiction)\s*[:;\u2014\u2013]"
    r"|^[\s*_]*(?:we|i) (?:cannot|can't|can\u2019t|do not|don't|don\u2019t) (?:support|back|"
    r"stand behind|endorse) (?:that|this|it)\b"
    # "We hear this one constantly, and it is wrong."
    r"|^[^.!?\"\u201c]{0,50}\b(?:it|that|this)(?: is|'s|\u2019s) (?:simply |just |plainly )?"
    r"(?:wrong|untrue|false|a myth|not true|incorrect)\b[^.!?]{0,30}[.!]?[\s*_]*$"
    # "We hear this a lot, and it goes beyond the evidence."
    r"|^[^.!?\"\u201c]{0,50}\b(?:it|that|this) (?:goes|went) (?:well |far )?beyond "
    r"(?:the|what the) (?:evidence|research|data|studies)\b[^.!?]{0,30}[.!]?[\s*_]*$", re.I)


# A section that calls what it quotes myths: "Myths we hear", "Common misconceptions". "Myth or
# fact?" quotes both kinds and says which after each.
_MYTH_HEADING = re.compile(r"\b(?:myths?|misconceptions?)\b", re.I)
_FACT_HEADING = re.compile(r"\b(?:facts?|truths?|true)\b", re.I)


def _myth_section(blocks: Sequence[TextBlock], bi: int) -> str | None:
    """The heading of the myths section ``bi`` is in, if it is one."""
    h = blocks[bi].heading
    if h is None or h == bi:
        return None
    text = blocks[h].text.strip()
    return text if _MYTH_HEADING.search(text) and not _FACT_HEADING.search(text) else None


def _next_sentence(docs: Sequence[Doc], bi: int, sent: Span) -> str:
    """The text of the sentence after ``sent``: in its block, or the next block's first."""
    if sent.end < len(docs[bi]):
        return docs[bi][sent.end].sent.text
    following = docs[bi + 1] if bi + 1 < len(docs) else None
    return next(iter(following.sents)).text if following is not None and len(following) else ""


def _rejected(claim: Claim) -> bool:
    """Whether a claim is negated once its quotation is rejected. Rejecting '"Side effects are
    rare."' affirms the harm the quotation played down; it denies nothing."""
    if claim.topic in _HARM_TOPICS and not claim.negated and _MINIMISES.search(claim.sentence):
        return False
    return not claim.negated


def _rejection_of(claim: Claim, bi: int, sent: Span, kind: BlockKind) -> Claim:
    return replace(claim, block=bi, sentence_start=sent.start_char, sentence_end=sent.end_char,
                   sentence=sent.text, start=sent.start_char,
                   end=sent.start_char + len(sent.text.rstrip()), negated=_rejected(claim),
                   cues=(*claim.cues, Cue("NEGATION", sent.text.strip(), sent.start_char,
                                          sent.end_char)),
                   block_kind=kind)


def claims_from_document(blocks: Sequence[TextBlock], docs: Sequence[Doc],
                         registry: Registry | None = None) -> list[Claim]:
    """Every claim in a document, given its blocks and their processed spaCy Docs."""
    ctx = _DocumentContext(blocks, docs, registry)
    per_block: list[list[Claim]] = []
    # The claims of the sentence just read when it was a question, for a short answer after it.
    question: list[Claim] = []
    question_text = ""
    # The claims of the sentence just read when it was a quotation, for a rejection after it.
    quoted: tuple[int, list[Claim]] | None = None
    for bi, doc in enumerate(docs):
        mods: list[Modifier] = doc._.get(MODIFIERS_EXT) or []
        triggers = list(doc.spans[TRIGGERS_KEY])
        block_claims: list[Claim] = []
        conditions_spans = [(t.start, t.end) for t in ctx.terms[bi] if t.label == "CONDITION"]
        risk_before = _risk_before(blocks, docs, bi)
        price_name = _price_row_name(blocks, bi)
        fragment_block = blocks[bi].kind in (BlockKind.HEADING, BlockKind.TITLE)
        lead_in = blocks[bi].lead_in
        if lead_in is None and blocks[bi].kind == BlockKind.TABLE_CELL:
            # "| Nausea | Common | Usually settles within hours |": the row's label leads in.
            lead_in = _row_label(blocks, bi)
        risk_item = lead_in is not None and any(t.label_ == "RISK"
                                                for t in docs[lead_in].spans[TRIGGERS_KEY])
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            if _ANSWER_LABEL.match(sent.text):
                continue  # "A." before an answer keeps the question open
            asked, question = question, []
            asked_text, question_text = question_text, ""
            rejected, quoted = (quoted if _REJECTION.match(sent.text) else None), None
            is_question = bool(_QUESTION.search(sent.text))
            if (_is_reference(ctx, bi, sent) or sent.text.lstrip().startswith(_ATTRIBUTION_DASHES)
                    or blocks[bi].kind == BlockKind.TABLE_HEADER):
                continue  # a citation, a quote's byline or a column label asserts nothing
            in_sent = [t for t in triggers if sent.start <= t.start and t.end <= sent.end]
            if price_name:
                in_sent = []  # a package's name in a price list
            if blocks[bi].kind in (BlockKind.HEADING, BlockKind.TITLE) \
                    and _TOPIC_HEADING.match(sent.text):
                continue  # "Our guarantee", 'On "rewiring"', "Detox, decoded": a topic only
            if _DEFINITION.match(sent.text) and not any(
                    t.label == "INTERVENTION" and sent.start <= t.start < sent.end
                    for t in ctx.terms[bi]):
                continue  # a glossary entry defines a word; it claims nothing for a therapy
            registry_triggers = [t for t in in_sent if t.label_ == "REGISTRY"]
            risk_context = any(t.label_ == "RISK" for t in in_sent)
            if risk_item:
                # An item under "... real risks:" that "resolves in the weeks after", or a row
                # "| Nausea | Usually settles within hours |", is a side effect wearing off, not
                # a cure or a claim of fast relief.
                fading = any(tok.lemma_.lower() in _FADING for tok in sent)
                in_sent = [t for t in in_sent if not (
                    (t.label_ in ("CURE", "EFFICACY") and t[0].lemma_.lower() in _FADING)
                    or (fading and _topic(t, registry) in ("duration", "onset")))]
            sent_mods = [m for m in mods if sent.start <= m.start < sent.end]
            if rejected is not None:
                # '"It's habit-forming." Myth: at our doses there is zero chance of it.': the
                # rejecting word answers the quotation, not the claim after its colon.
                cut = next((t.i for t in sent if t.text in (":", ";", "\u2014", "\u2013")),
                           None)
                if cut is not None:
                    sent_mods = [m for m in sent_mods
                                 if not (m.category == "NEGATION" and m.start < cut)]
            in_sent = [t for t in in_sent
                       if not _is_comparison(t, registry) or _compares(ctx, bi, sent, t)]
            subjects = {t.id for t in ctx.terms[bi] if t.label in ("INTERVENTION", "OTHER_THERAPY")
                        and sent.start <= t.start and t.end <= sent.end}
            if not subjects and ctx.page:
                subjects.add(ctx.page[1])
            in_sent = [t for t in in_sent
                       if not _about_side_effects(t, in_sent, sent, registry, risk_before)]
            in_sent = [t for t in in_sent if not _in_byline(sent, t) and not _describes_care(t)
                       and not _other_sense(t)
                       and not _in_name(t, sent_mods)
                       and not _treated_condition(t, sent) and not _approved_use(t, sent)
                       and not _personal_approval(t, sent)
                       and not _research_comparison(t, sent, registry)
                       and not _acts_on_receptors(t)
                       and not _in_condition_clause(t, sent, fragment_block)
                       and not _side_effect_rate(t, in_sent, registry)
                       and not _times_something_else(t, sent, registry)
                       and not _subsumed(t, in_sent, conditions_spans, registry, subjects,
                                         _negated(_governing(sent_mods, t), t,
                                                  _topic(t, registry)))]
            claims = [_claim_for_trigger(ctx, bi, sent, t, sent_mods, registry_triggers,
                                         risk_context) for t in in_sent]
            # A claim the copy attributes to others or disowns is not the page's claim.
            claims = [c for c in claims if c.intervention is not None
                      and not any(q.category == "REPORTED" or (
                          q.category == "LIMIT" and c.topic not in _HARM_TOPICS) for q in c.cues)]
            if is_question:
                if not claims and (asked or asked_text) and len(sent) <= 4:
                    # "Honestly?", "The short answer?" before the answer keeps the question open
                    question, question_text = asked, asked_text
                else:
                    # a question asserts nothing until it is answered
                    question, question_text = claims, sent.text
                continue
            if (asked or asked_text) and not claims:
                answer = _answer(sent.text)
                claims = _answered(asked, bi, sent, answer) if answer is not None else []
                unasked = _unasked(ctx, bi, sent, asked_text, answer)
                topics = {u.topic for u in unasked}
                if unasked and not any(c.topic in topics and not c.negated for c in claims):
                    # "Do I need boosters?" "Rarely.": not needing more is the lasting claim
                    claims = [c for c in claims if c.topic not in topics] + unasked
            if not claims and blocks[bi].kind == BlockKind.TABLE_CELL:
                claims = _harm_cell(ctx, per_block, bi, sent)
            if blocks[bi].kind == BlockKind.LIST_ITEM and not any(
                    c.topic == "efficacy" for c in claims):
                # "- tendon injuries" under "cures these conditions:" still says it is cured.
                source_index = blocks[bi].lead_in if blocks[bi].lead_in is not None \
                    else blocks[bi].heading
                if source_index is not None and source_index < bi:
                    claims += _inherit(ctx, bi, sent, per_block[source_index], registry,
                                       from_heading=blocks[bi].lead_in is None)
            if not claims and blocks[bi].kind == BlockKind.LIST_ITEM:
                claims = _reported_outcome(ctx, per_block, bi, sent, sent_mods)
            if (not claims and ctx.page is not None and not _ADVICE.search(sent.text)
                    and sum(t.is_alpha for t in sent) >= _UNCUED_MIN_WORDS
                    and not _BYLINE.match(sent.text) and not _about_condition_only(ctx, bi, sent)
                    and not any(m.category in _NOT_ASSERTED for m in sent_mods)):
                claims = [_uncued(ctx, bi, sent, sent_mods)]
            limit = _myth_limit(ctx, bi, sent, sent_mods)
            if limit is not None:
                # "Myth: the relief is only temporary": rejecting a limit claims its opposite.
                claims = [c for c in claims if c.label != UNCUED] + [limit]
            if rejected is not None:
                # '"Ketamine cures pain." It does not.': the rejection asserts the opposite of
                # the quotation, so the quoted claims move to it, negated.
                owner = block_claims if rejected[0] == bi else per_block[rejected[0]]
                for c in rejected[1]:
                    owner.remove(c)
                claims = claims + [_rejection_of(c, bi, sent, blocks[bi].kind)
                                   for c in rejected[1]]
            elif claims and _QUOTATION.match(sent.text):
                myths = _myth_section(blocks, bi)
                if myths is not None and not _REJECTION.match(_next_sentence(docs, bi, sent)):
                    # '"One infusion fixes pain for good." Relief usually fades ...' under
                    # "Myths we hear": the heading rejects what the section quotes.
                    claims = [replace(c, negated=_rejected(c), cues=(
                        *c.cues, Cue("NEGATION", myths, sent.start_char, sent.end_char)))
                        for c in claims]
                else:
                    quoted = (bi, claims)
            block_claims.extend(claims)
        per_block.append(block_claims)
    return [c for block_claims in per_block for c in block_claims]
