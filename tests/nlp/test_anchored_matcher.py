"""AnchoredMatcher must find exactly what one spaCy Matcher over every pattern finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.matcher import Matcher

from claimlint.engine import Linter
from claimlint.nlp.components import AnchoredMatcher, _anchor, _max_length, _windows
from claimlint.nlp.lexicon import cue_groups, trigger_groups

ROOT = Path(__file__).resolve().parents[2]


def _patterns() -> list[tuple[str, list[dict[str, Any]]]]:
    return [(f"{g.label}|{i}", list(p)) for i, g in enumerate([*trigger_groups(), *cue_groups()])
            for p in g.patterns]


def test_same_matches_as_one_matcher_on_real_copy(linter: Linter) -> None:
    nlp = linter.nlp
    anchored, single = AnchoredMatcher(nlp), Matcher(nlp.vocab)
    for key, pattern in _patterns():
        anchored.add(key, [pattern])
        single.add(key, [pattern])
    texts = [b.text for p in sorted((ROOT / "fixtures" / "posts").iterdir())
             for b in linter.read(str(p)).blocks]
    docs = list(nlp.pipe(texts))
    assert sum(len(single(d)) for d in docs) > 20  # the comparison is not vacuous
    for doc in docs:
        assert anchored(doc) == sorted(set(single(doc)), key=lambda m: (m[1], m[2], m[0])), \
            doc.text


@pytest.mark.parametrize(("pattern", "expected"), [
    ([{"LOWER": "cure"}], frozenset({"cure"})),
    ([{"LOWER": "a", "OP": "?"}, {"LEMMA": {"IN": ["x", "y"]}}], frozenset({"x", "y"})),
    ([{"IS_PUNCT": True}, {"LOWER": "b", "OP": "{0,2}"}], None),
    ([{"LOWER": {"REGEX": "^a"}}], None),
])
def test_anchor(pattern: list[dict[str, Any]], expected: frozenset[str] | None) -> None:
    assert _anchor(pattern) == expected


@pytest.mark.parametrize(("pattern", "expected"), [
    ([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}], 2),
    ([{"LOWER": "a"}, {"IS_PUNCT": False, "OP": "{,3}"}, {"LOWER": "b"}], 5),
    ([{"LOWER": "a"}, {"OP": "{2,4}"}], 5),
    ([{"LOWER": "a"}, {"OP": "+"}], None),
    ([{"LOWER": "a"}, {"OP": "{2,}"}], None),
])
def test_max_length(pattern: list[dict[str, Any]], expected: int | None) -> None:
    assert _max_length(pattern) == expected


def test_windows_cover_every_match_through_an_anchor_and_merge() -> None:
    assert _windows([5], 3, 20) == [(3, 8)]
    assert _windows([0, 19], 3, 20) == [(0, 3), (17, 20)]
    assert _windows([5, 7], 3, 20) == [(3, 10)]
