"""Load the pattern data files that drive the rule-based components."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class PatternGroup:
    """A labelled group of phrases, lemma phrases and token patterns from a data file."""

    label: str
    phrases: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    direction: str = "forward"
    max_scope: int | None = None
    backward_scope: int | None = None
    id: str = ""


def _group(raw: dict[str, Any], label_key: str) -> PatternGroup:
    return PatternGroup(
        label=raw[label_key],
        phrases=tuple(raw.get("phrases", ())),
        lemmas=tuple(raw.get("lemmas", ())),
        patterns=tuple(tuple(p) for p in raw.get("patterns", ())),
        direction=raw.get("direction", "forward"),
        max_scope=raw.get("max_scope"),
        backward_scope=raw.get("backward_scope"),
        id=raw.get("id", ""),
    )


@cache
def _load(name: str) -> dict[str, Any]:
    text = (resources.files("claimlint.nlp") / "patterns" / name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def cue_groups() -> tuple[PatternGroup, ...]:
    return tuple(_group(g, "category") for g in _load("cues.json")["cues"])


def trigger_groups() -> tuple[PatternGroup, ...]:
    return tuple(_group(g, "label") for g in _load("triggers.json")["triggers"])


def lemma_overrides() -> dict[str, str]:
    overrides: dict[str, str] = _load("lemmas.json")["overrides"]
    return overrides


def term_groups() -> tuple[PatternGroup, ...]:
    return tuple(_group(g, "label") for g in _load("terms.json")["terms"])


@cache  # asked once per addiction claim
def non_substance_therapies() -> frozenset[str]:
    """Ids of therapies that are no drug or substance (devices, procedures, needles, oxygen)."""
    return frozenset(g["id"] for g in _load("terms.json")["terms"] if g.get("substance") is False)
