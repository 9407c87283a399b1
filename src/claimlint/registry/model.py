"""Registry value types: vocabulary terms, references and claim entries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from claimlint.findings import Evidence, Reference


class Certainty(IntEnum):
    """How strongly copy asserts a claim; ordinal (NONE only appears as an entry's maximum)."""

    NONE = 0
    HEDGED = 1
    QUALIFIED = 2
    ASSERTED = 3
    BOOSTED = 4

    @classmethod
    def parse(cls, name: str) -> Certainty:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    synonyms: tuple[str, ...]
    broader: tuple[str, ...] = ()


def phrase_regex(phrase: str, flags: int = 0) -> re.Pattern[str]:
    """A registry phrase as a regex: its words in order, separated by any run of white space or
    hyphens, standing as whole words ("short-term" also matches "short term")."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase) if w]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?!\w)", flags)


# Where a qualifier's fix inserts its text (see docs/registry-format.md, "Fixes").
BEFORE_PREDICATE = "before-predicate"
SENTENCE_END = "sentence-end"


@dataclass(frozen=True)
class QualifierFix:
    """How ``--fix`` supplies a missing qualifier: ``insert`` this text at ``position``."""

    insert: str
    position: str  # BEFORE_PREDICATE | SENTENCE_END


@dataclass(frozen=True)
class Qualifier:
    label: str
    any_of: tuple[str, ...]
    within: str = "sentence"
    fix: QualifierFix | None = None


@dataclass(frozen=True)
class Rewording:
    """An entry's fair rewording of an overstated phrase: text matching ``pattern``
    (case-insensitive) is replaced by ``replacement`` (a ``re`` template: ``\\g<name>`` refers
    to a group). ``safe`` rewordings are applied by ``--fix``, the others by
    ``--unsafe-fixes``."""

    pattern: re.Pattern[str]
    replacement: str
    safe: bool


@dataclass(frozen=True)
class Entry:
    id: str
    interventions: tuple[str, ...]
    topic: str
    assertion: str
    verdict: str
    max_certainty: Certainty
    evidence: Evidence
    message: str
    suggestion: str
    conditions: tuple[str, ...] = ()
    polarity: str = "affirmed"
    # A harm the evidence documents ("can damage the bladder"): copy that denies it ("bladder
    # trouble is a thing of the past") is judged as an absolute safety or addiction claim.
    harm: bool = False
    phrases: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    specializes: tuple[str, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()
    confidence: str = "high"
    fixes: tuple[Rewording, ...] = ()
    examples_overstated: tuple[str, ...] = ()
    examples_fair: tuple[str, ...] = ()
    reviewed: str = ""
    review_by: str = ""
    source: str = ""  # "path:line" where the entry is defined
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def has_match(self) -> bool:
        return bool(self.phrases or self.lemmas or self.patterns)

    @property
    def about_wording(self) -> bool:
        """The entry speaks to the words of a claim (its patterns, or a negated form such as
        "not addictive"), so a language rule about the same words defers to it."""
        return self.has_match or self.polarity != "affirmed"

    @property
    def generic(self) -> bool:
        """A catch-all entry: no patterns, no conditions, about the affirmed claim. It says
        less about a sentence than a rule that names the sentence's wording."""
        return not self.has_match and not self.conditions and self.polarity == "affirmed"

    @property
    def specificity(self) -> int:
        """Pattern entries beat condition entries, which beat generic ones."""
        return 2 if self.has_match else (1 if self.conditions else 0)


@dataclass
class Registry:
    entries: dict[str, Entry] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    interventions: dict[str, Term] = field(default_factory=dict)
    conditions: dict[str, Term] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    digest: str = ""
    _topics: tuple[int, dict[str, list[Entry]]] | None = field(default=None, repr=False,
                                                               compare=False)

    def by_topic(self, topic: str) -> list[Entry]:
        """Entries of one topic; matching only ever compares a claim with these."""
        if self._topics is None or self._topics[0] != len(self.entries):
            index: dict[str, list[Entry]] = {}
            for entry in self.entries.values():
                index.setdefault(entry.topic, []).append(entry)
            self._topics = (len(self.entries), index)
        return self._topics[1].get(topic, [])

    def get(self, entry_id: str) -> Entry:
        try:
            return self.entries[entry_id]
        except KeyError:
            raise KeyError(f"no registry entry {entry_id!r}") from None

    def expand_conditions(self, ids: set[str] | tuple[str, ...]) -> frozenset[str]:
        """The conditions plus every broader condition they belong to (transitively)."""
        out: set[str] = set()
        todo = list(ids)
        while todo:
            cid = todo.pop()
            if cid in out:
                continue
            out.add(cid)
            term = self.conditions.get(cid)
            if term:
                todo.extend(term.broader)
        return frozenset(out)

    def beats(self, a: Entry, b: Entry) -> bool:
        """True when entry ``a`` is explicitly or structurally more specific than ``b``."""
        if b.id in self._specializes_closure(a.id):
            return True
        if a.id in self._specializes_closure(b.id):
            return False
        if a.specificity != b.specificity:
            return a.specificity > b.specificity
        # A CRPS entry beats a neuropathic-pain entry when the vocabulary says CRPS is narrower.
        return bool(a.conditions and b.conditions) and set(a.conditions) != set(b.conditions) \
            and set(b.conditions) <= (self.expand_conditions(a.conditions) - set(a.conditions))

    def _specializes_closure(self, entry_id: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self.entries[entry_id].specializes) if entry_id in self.entries else []
        while todo:
            x = todo.pop()
            if x in seen:
                continue
            seen.add(x)
            if x in self.entries:
                todo.extend(self.entries[x].specializes)
        return seen
