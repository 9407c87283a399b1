"""The NLP layer: a spaCy pipeline that marks terms, claim triggers and ConText cues."""

from claimlint.nlp.components import CUES_KEY, MODIFIERS_EXT, TERMS_KEY, TRIGGERS_KEY, Modifier
from claimlint.nlp.pipeline import build_pipeline

__all__ = ["CUES_KEY", "MODIFIERS_EXT", "TERMS_KEY", "TRIGGERS_KEY", "Modifier", "build_pipeline"]
