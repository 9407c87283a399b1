"""The annotated evaluation corpus itself: complete, valid, fixed split, the mix it promises."""

from __future__ import annotations

import json
from pathlib import Path

from claimlint.evaluate import load_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_split_is_disjoint_and_covers_every_post() -> None:
    split = json.loads((CORPUS / "split.json").read_text())
    dev, test = set(split["dev"]), set(split["test"])
    assert not dev & test
    posts = {p.name for p in (CORPUS / "posts").iterdir()}
    labels = {p.name.removesuffix(".json") for p in (CORPUS / "labels").iterdir()}
    assert dev | test == posts == labels


def test_corpus_loads_and_has_the_promised_mix() -> None:
    posts = load_corpus(CORPUS, ["dev", "test"])  # validates tiling, categories, text
    assert len(posts) >= 60
    domains = [p.domain for p in posts]
    # About half on ketamine, over the whole corpus and in the held-out part alone.
    assert 0.4 <= domains.count("ketamine") / len(posts) <= 0.6
    held_out = [p.domain for p in load_corpus(CORPUS, ["test"])]
    assert 0.4 <= held_out.count("ketamine") / len(held_out) <= 0.6
    assert {p.path.suffix for p in posts} == {".md", ".html", ".txt"}
    claims = [s for p in posts for s in p.segments if s.claim]
    fair = [s for s in claims if not s.overclaim]
    assert len(fair) / len(claims) >= 0.4
    for post in posts:
        words = len(post.text.split())
        assert 150 <= words <= 1200, (post.name, words)
