"""The bundled registry's fix data, tried on the entries' own example sentences.

Every fix an entry offers (a qualifier's ``fix``, each of its ``fixes`` rewordings) must be
offered for, and apply cleanly to, at least one of the entry's overstated examples; the fixed
sentence must no longer be flagged by that entry; and no fair example is offered a fix.
"""

from __future__ import annotations

import pytest

from claimlint.engine import Linter
from claimlint.findings import Finding
from claimlint.fixes import FileFix, fix_text
from claimlint.registry import Entry, Registry, bundled_registry_path, load_registry

_REGISTRY = load_registry([bundled_registry_path()])
FIXED_ENTRIES = sorted(e.id for e in _REGISTRY.entries.values()
                       if e.fixes or any(q.fix for q in e.qualifiers))


def _fix(linter: Linter, entry: Entry, sentence: str) -> tuple[list[Finding], FileFix]:
    """Lint ``sentence`` and apply every fix (safe and unsafe) of ``entry``'s findings."""
    findings = linter.lint_text(sentence, path="example.txt")

    def mine(found: list[Finding]) -> list[Finding]:
        return [f for f in found if f.registry_id == entry.id]

    return findings, fix_text(linter, "example.txt", sentence.encode("utf-8"), findings,
                              unsafe=True, select=mine)


def test_some_entries_carry_fix_data() -> None:
    assert len(FIXED_ENTRIES) >= 5


@pytest.mark.parametrize("entry_id", FIXED_ENTRIES)
def test_every_fix_applies_to_an_overstated_example(linter: Linter, bundled_registry: Registry,
                                                    entry_id: str) -> None:
    entry = bundled_registry.get(entry_id)
    inserted: set[str] = set()
    replaced: list[tuple[str, str]] = []  # (matched text, replacement), lower case
    for sentence in entry.examples_overstated:
        findings, fixed = _fix(linter, entry, sentence)
        offered = [f for f in findings if f.registry_id == entry.id and f.fix is not None]
        if not offered:
            continue
        assert fixed.changed, f"{entry.id}: a fix was offered but changed nothing: {sentence!r}"
        assert "\n" not in fixed.after and "\r" not in fixed.after
        left = [(f.rule, f.message[:80]) for f in fixed.findings if f.registry_id == entry.id]
        assert not left, f"{entry.id}: still flagged after fixing {fixed.after!r}: {left}"
        for finding in fixed.fixed:
            assert finding.fix is not None
            for edit in finding.fix.edits:
                if edit.start == edit.end:
                    inserted.add(edit.replacement.strip().lower())
                else:
                    replaced.append((sentence[edit.start:edit.end].lower(),
                                     edit.replacement.lower()))
    for q in entry.qualifiers:
        if q.fix is not None:
            assert any(q.fix.insert.lower() in text for text in inserted), (
                f"{entry.id}: the fix of qualifier {q.label!r} is not applied to any "
                "overstated example; add one it applies to")
    for i, rewording in enumerate(entry.fixes):
        used = any((m := rewording.pattern.fullmatch(old)) is not None
                   and m.expand(rewording.replacement).lower() == new
                   for old, new in replaced)
        assert used, (f"{entry.id}: rewording {i} is not applied to any overstated example; "
                      "add one it applies to")


@pytest.mark.parametrize("entry_id", FIXED_ENTRIES)
def test_fair_examples_are_offered_no_fix(linter: Linter, bundled_registry: Registry,
                                          entry_id: str) -> None:
    for sentence in bundled_registry.get(entry_id).examples_fair:
        offered = [f.rule for f in linter.lint_text(sentence) if f.fix is not None]
        assert not offered, f"{entry_id}: fair example offered a fix: {sentence!r}"
