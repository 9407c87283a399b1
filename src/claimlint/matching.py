"""Match claims to registry entries. No judgement happens here; rules judge."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from claimlint.claims import Claim
from claimlint.documents.model import BlockKind
from claimlint.registry.model import Entry, Qualifier, Registry, phrase_regex


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    entry: Entry | None
    missing_qualifiers: tuple[Qualifier, ...] = ()
    # The overclaim classifier's probability for the claim's sentence; None when it is off.
    score: float | None = None


def applies(entry: Entry, claim: Claim, registry: Registry) -> bool:
    """Whether ``entry`` speaks about ``claim`` (see docs/registry-format.md, "Matching")."""
    if claim.intervention not in entry.interventions or entry.topic != claim.topic:
        return False
    if entry.polarity == "affirmed" and claim.negated:
        return False
    if entry.polarity == "negated" and not claim.negated:
        return False
    if entry.conditions and not set(entry.conditions) & set(claim.conditions):
        return False
    return not entry.has_match or entry.id in claim.hints


def best_entries(claim: Claim, registry: Registry) -> list[Entry]:
    """The most specific entries that apply: those no other applicable entry beats.

    Usually one. A claim naming two unrelated conditions ("CRPS and fibromyalgia") gets one
    entry per condition, so each is judged on its own evidence.
    """
    candidates = [e for e in registry.by_topic(claim.topic) if applies(e, claim, registry)]
    return [e for e in candidates
            if not any(other is not e and registry.beats(other, e) for other in candidates)]


@cache
def _phrase_regex(phrase: str) -> re.Pattern[str]:
    return phrase_regex(phrase.lower())


_APPROXIMATORS = re.compile(
    r"\b(about|roughly|around|approximately|nearly|almost|some)\s+"
    r"(?=\d|one|two|three|four|five|six|twelve)", re.I)


def qualifier_present(q: Qualifier, sentence: str, paragraph: str, document: str = "") -> bool:
    scope = {"sentence": sentence, "paragraph": paragraph}.get(q.within, document or paragraph)
    # "up to roughly 12 weeks" carries the qualifier "up to 12 weeks".
    text = _APPROXIMATORS.sub("", scope.lower())
    return any(_phrase_regex(p).search(text) for p in q.any_of)


def match_claims(claims: Sequence[Claim], registry: Registry | None,
                 paragraph_text: Callable[[Claim], str],
                 document_text: str = "") -> list[ClaimMatch]:
    """One ClaimMatch per claim that rules should see.

    Several triggers in one sentence often express one registry claim ("extremely safe and
    well tolerated"); only one of them carries the entry, so a sentence is judged once per entry.
    """
    if registry is None:
        return [ClaimMatch(c, None) for c in claims]
    chosen: dict[tuple[int, int, str, str], ClaimMatch] = {}
    unmatched: list[ClaimMatch] = []
    for claim in claims:
        entries = best_entries(claim, registry)
        if not entries:
            unmatched.append(ClaimMatch(claim, None))
            continue
        for entry in entries:
            missing = tuple(q for q in entry.qualifiers
                            if not qualifier_present(q, claim.sentence, paragraph_text(claim),
                                                     document_text))
            match = ClaimMatch(claim, entry, missing)
            # Generic entries stay per trigger kind: "guaranteed relief" is a cure claim and an
            # efficacy claim, and the language rules need to see both.
            key = (claim.block, claim.sentence_start, entry.id,
                   "" if entry.has_match else claim.label)
            current = chosen.get(key)
            if current is None or _preferred(match, current):
                chosen[key] = match
    out = unmatched + _drop_overruled_status(list(chosen.values()), registry, paragraph_text)
    out.sort(key=lambda m: (m.claim.block, m.claim.start, m.claim.end))
    return out


def _drop_overruled_status(matches: list[ClaimMatch], registry: Registry,
                           paragraph_text: Callable[[Claim], str]) -> list[ClaimMatch]:
    """Drop a misstated or unqualified status claim when its own sentence states the accurate
    status.

    A comparison-table row ("| FDA status for pain | Off-label | Approved |") or a contrast
    ("unlike pregabalin, which is approved for nerve pain, ketamine is off-label") puts both
    in one sentence or row; "approved" then belongs to the other product. An entry that states
    the accurate status names the ones it overrules in ``specializes``.
    """
    accurate = [e for e in registry.by_topic("regulatory")
                if e.verdict == "supported" and (e.phrases or e.lemmas)]

    def overruled(m: ClaimMatch) -> bool:
        if m.entry is None or m.entry.topic != "regulatory":
            return False
        # A table row is one paragraph of cells.
        text = (paragraph_text(m.claim) if m.claim.block_kind == BlockKind.TABLE_CELL
                else m.claim.sentence).lower()
        return any(a is not m.entry and m.claim.intervention in a.interventions
                   and registry.beats(a, m.entry)
                   and any(_phrase_regex(w).search(text) for w in a.phrases + a.lemmas)
                   for a in accurate)

    return [m for m in matches if not overruled(m)]


def _preferred(a: ClaimMatch, b: ClaimMatch) -> bool:
    a_hint = a.entry is not None and a.claim.registry_hint == a.entry.id
    b_hint = b.entry is not None and b.claim.registry_hint == b.entry.id
    if a_hint != b_hint:
        return a_hint
    return a.claim.certainty > b.claim.certainty
