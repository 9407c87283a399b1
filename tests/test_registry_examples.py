"""Every registry entry's examples: the overstated ones are flagged with that entry, the fair
ones pass without a warning or error. The examples are written by the team (never copied)."""

from __future__ import annotations

import pytest

from claimlint.engine import Linter
from claimlint.findings import Severity
from claimlint.registry import bundled_registry_path, iter_examples, load_registry

_EXAMPLES = list(iter_examples(load_registry([bundled_registry_path()])))
_COUNTS: dict[str, int] = {}


def _case_id(entry_id: str, overstated: bool) -> str:
    key = f"{entry_id}-{'overstated' if overstated else 'fair'}"
    _COUNTS[key] = _COUNTS.get(key, 0) + 1
    return f"{key}{_COUNTS[key]}"


@pytest.mark.parametrize(
    ("entry_id", "sentence", "overstated"),
    [pytest.param(e.id, s, o, id=_case_id(e.id, o)) for e, s, o in _EXAMPLES],
)
def test_example(linter: Linter, entry_id: str, sentence: str, overstated: bool) -> None:
    findings = linter.lint_text(sentence)
    serious = [f for f in findings if f.severity >= Severity.WARNING]
    described = [(f.rule, f.registry_id, f.message[:80]) for f in findings]
    if overstated:
        assert any(f.registry_id == entry_id for f in serious), (
            f"not flagged with {entry_id}: {sentence!r}; got {described}")
    else:
        assert not serious, f"fair example flagged: {sentence!r}; got {described}"


def test_every_entry_has_examples() -> None:
    registry = load_registry([bundled_registry_path()])
    missing = [e.id for e in registry.entries.values() if not e.examples_fair]
    assert not missing
    unsupported_without_overstated = [
        e.id for e in registry.entries.values()
        if e.verdict != "supported" and not e.examples_overstated
    ]
    assert not unsupported_without_overstated
