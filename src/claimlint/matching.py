"""Match claims to registry entries. No judgement happens here; rules judge."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from claimlint.claims import Claim
from claimlint.registry.model import Entry, Qualifier, Registry


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    entry: Entry | None
    missing_qualifiers: tuple[Qualifier, ...] = ()


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


def best_entry(claim: Claim, registry: Registry) -> Entry | None:
    """The most specific entry that applies; ties are broken by ``specializes``."""
    best: Entry | None = None
    for entry in registry.entries.values():
        if not applies(entry, claim, registry):
            continue
        if best is None or registry.beats(entry, best) or (
            not registry.beats(best, entry) and _closer_condition(entry, best, claim)
        ):
            best = entry
    return best


def _closer_condition(a: Entry, b: Entry, claim: Claim) -> bool:
    """Between two condition entries, prefer the one naming fewer, more specific conditions."""
    if not (a.conditions and b.conditions):
        return False
    return len(set(a.conditions)) < len(set(b.conditions))


@cache
def _phrase_regex(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.lower().split()]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?!\w)")


def qualifier_present(q: Qualifier, sentence: str, paragraph: str) -> bool:
    text = (sentence if q.within == "sentence" else paragraph).lower()
    return any(_phrase_regex(p).search(text) for p in q.any_of)


def match_claims(claims: Sequence[Claim], registry: Registry | None,
                 paragraph_text: Callable[[Claim], str]) -> list[ClaimMatch]:
    """One ClaimMatch per claim that rules should see.

    Several triggers in one sentence often express one registry claim ("extremely safe and
    well tolerated"); only one of them carries the entry, so a sentence is judged once per entry.
    """
    if registry is None:
        return [ClaimMatch(c, None) for c in claims]
    chosen: dict[tuple[int, int, str], ClaimMatch] = {}
    unmatched: list[ClaimMatch] = []
    for claim in claims:
        entry = best_entry(claim, registry)
        if entry is None:
            unmatched.append(ClaimMatch(claim, None))
            continue
        missing = tuple(q for q in entry.qualifiers
                        if not qualifier_present(q, claim.sentence, paragraph_text(claim)))
        match = ClaimMatch(claim, entry, missing)
        key = (claim.block, claim.sentence_start, entry.id)
        current = chosen.get(key)
        if current is None or _preferred(match, current):
            chosen[key] = match
    out = unmatched + list(chosen.values())
    out.sort(key=lambda m: (m.claim.block, m.claim.start, m.claim.end))
    return out


def _preferred(a: ClaimMatch, b: ClaimMatch) -> bool:
    a_hint = a.entry is not None and a.claim.registry_hint == a.entry.id
    b_hint = b.entry is not None and b.claim.registry_hint == b.entry.id
    if a_hint != b_hint:
        return a_hint
    return a.claim.certainty > b.claim.certainty
