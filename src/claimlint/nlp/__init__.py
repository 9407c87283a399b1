"""The NLP layer: a spaCy pipeline that marks terms, claim triggers and ConText cues."""

from claimlint.nlp.components import (
    CLAUSE_JOINS,
    CUES_KEY,
    MODIFIERS_EXT,
    PREDICATE_STARTS,
    TERMS_KEY,
    TRIGGERS_KEY,
    Modifier,
)
from claimlint.nlp.pipeline import build_pipeline

__all__ = [
    "CLAUSE_JOINS",
    "CUES_KEY",
    "MODIFIERS_EXT",
    "PREDICATE_STARTS",
    "TERMS_KEY",
    "TRIGGERS_KEY",
    "Modifier",
    "build_pipeline",
]
