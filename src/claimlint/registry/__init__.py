"""The claim registry: curated, evidence-graded entries loaded from YAML folders."""

from claimlint.registry.loader import bundled_registry_path, iter_examples, load_registry
from claimlint.registry.model import Certainty, Entry, Qualifier, Registry, Term

__all__ = ["Certainty", "Entry", "Qualifier", "Registry", "Term", "bundled_registry_path",
           "iter_examples", "load_registry"]
