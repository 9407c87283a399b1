"""Tests of the bundled registry data itself (after codespell's dictionary tests)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from claimlint.documents import read_document
from claimlint.engine import Linter
from claimlint.matching import applies
from claimlint.registry import Registry, bundled_registry_path

CLAIMS = bundled_registry_path()
LITERATURE = Path(__file__).resolve().parents[3] / "shared" / "literature.md"
ENTRY_FILES = sorted(p for p in CLAIMS.glob("*.yaml")
                     if p.name not in ("vocabulary.yaml", "references.yaml"))


def _raw(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_folder_holds_only_files_the_loader_reads() -> None:
    names = {p.name for p in CLAIMS.iterdir() if not p.name.startswith(".")}
    assert {"vocabulary.yaml", "references.yaml"} <= names
    assert all(n.endswith(".yaml") for n in names), names
    for path in ENTRY_FILES:
        assert set(_raw(path)) == {"entries"}, path.name


def test_every_entry_file_is_sorted_by_id() -> None:
    for path in ENTRY_FILES:
        ids = [e["id"] for e in _raw(path)["entries"]]  # type: ignore[index,union-attr]
        assert ids == sorted(ids), f"{path.name} is not sorted by id"


def test_ids_are_unique_across_files() -> None:
    ids = Counter(e["id"] for p in ENTRY_FILES for e in _raw(p)["entries"])  # type: ignore[index,union-attr]
    assert [i for i, n in ids.items() if n > 1] == []


def test_registry_covers_the_core_topics(bundled_registry: Registry) -> None:
    topics = Counter(e.topic for e in bundled_registry.entries.values())
    for topic in ("efficacy", "safety", "addiction", "mechanism", "duration", "regulatory",
                  "evidence", "statistic", "comparison"):
        assert topics[topic] > 0, topic


def test_every_reference_is_used(bundled_registry: Registry) -> None:
    used = {r.id for e in bundled_registry.entries.values() for r in e.evidence.references}
    assert set(bundled_registry.references) - used == set()


def test_identifier_formats() -> None:
    for ref in _raw(CLAIMS / "references.yaml")["references"]:  # type: ignore[union-attr]
        if "pmid" in ref:
            assert re.fullmatch(r"\d{1,9}", ref["pmid"]), ref["id"]
        if "doi" in ref:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", ref["doi"]), ref["id"]


def _confirmed(lines: list[str], index: int) -> bool:
    """The line marks the fact [C], or a parent bullet it sits under does."""
    if "[C" in lines[index]:
        return True
    indent = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[max(0, index - 8):index]):
        own = len(line) - len(line.lstrip())
        if line.strip() and own < indent:
            if "[C" in line:
                return True
            indent = own
    return False


@pytest.mark.skipif(not LITERATURE.exists(), reason="shared/literature.md not present")
def test_identifiers_are_confirmed_in_the_literature_base() -> None:
    """A PMID or DOI is in the registry only if literature.md shows it confirmed [C]."""
    lines = LITERATURE.read_text("utf-8").splitlines()
    checked = 0
    for ref in _raw(CLAIMS / "references.yaml")["references"]:  # type: ignore[union-attr]
        for key in ("pmid", "doi", "pmcid"):
            if key not in ref:
                continue
            value = ref[key].lower()
            hits = [i for i, ln in enumerate(lines) if value in ln.lower()]
            assert hits, f"{ref['id']}: {key} {ref[key]} is not in literature.md"
            assert any(_confirmed(lines, i) for i in hits), (
                f"{ref['id']}: {key} {ref[key]} is not marked confirmed [C]")
            checked += 1
    assert checked > 0


def test_review_dates_are_in_the_future(bundled_registry: Registry) -> None:
    today = dt.date.today().isoformat()
    stale = [e.id for e in bundled_registry.entries.values() if e.review_by <= today]
    assert stale == []


def test_low_confidence_entries_are_reviewed_sooner(bundled_registry: Registry) -> None:
    for e in bundled_registry.entries.values():
        if e.confidence == "low":
            assert e.review_by <= "2027-11-21", e.id


def test_vocabulary_synonyms_do_not_collide(bundled_registry: Registry) -> None:
    for terms in (bundled_registry.interventions, bundled_registry.conditions):
        owners: dict[str, str] = {}
        for term in terms.values():
            for syn in term.synonyms:
                key = syn.lower()
                assert owners.setdefault(key, term.id) == term.id, (
                    f"{syn!r} is a synonym of both {owners[key]} and {term.id}")


def test_no_two_entries_claim_one_sentence_without_a_winner(
        linter: Linter, bundled_registry: Registry) -> None:
    """Every example sentence's claims have one most specific entry, never a tie."""
    sentences = sorted({s for e in bundled_registry.entries.values()
                        for s in (*e.examples_overstated, *e.examples_fair)})
    documents = [read_document(f"example-{i}.txt", s.encode(), "text")
                 for i, s in enumerate(sentences)]
    compared = 0
    for analysis in linter.analyse(documents):
        for match in analysis.matches:
            candidates = [e for e in bundled_registry.entries.values()
                          if applies(e, match.claim, bundled_registry)]
            for a, b in combinations(candidates, 2):
                compared += 1
                assert (bundled_registry.beats(a, b) or bundled_registry.beats(b, a)
                        or set(a.conditions) != set(b.conditions)), (
                    f"{a.id} and {b.id} both claim {match.claim.sentence!r} and neither is "
                    "more specific; add `specializes`")
    assert documents, "the registry has no example sentences"
    assert compared >= 0


def test_rendered_registry_document_is_current() -> None:
    """docs/registry.md is what `claimlint registry show --all --format markdown` prints."""
    from claimlint.registry import load_registry
    from claimlint.registry.render import render_entries

    registry = load_registry([CLAIMS])
    rendered = render_entries(sorted(registry.entries.values(), key=lambda e: e.id), "markdown")
    document = Path(__file__).resolve().parents[2] / "docs" / "registry.md"
    assert document.read_text("utf-8") == rendered, "run `make registry-docs`"
