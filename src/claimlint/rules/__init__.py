"""The rule table: every rule, by stable code. Codes are never reused."""

from __future__ import annotations

from claimlint.rules.base import Rule, RuleMeta, Violation
from claimlint.rules.classifier_rules import LikelyOverclaim
from claimlint.rules.language import (
    AbsoluteSafety,
    AddictionMinimized,
    CureOrGuarantee,
    ImpliedApproval,
    OverstatedDuration,
    OverstatedEfficacy,
    OverstatedEvidence,
    UnprovenMechanism,
    UnregisteredClaim,
    UnsourcedStatistic,
    UnsupportedComparison,
)
from claimlint.rules.meta_rules import InputError, UnusedSuppression
from claimlint.rules.registry_rules import (
    ContradictedClaim,
    MissingQualifier,
    OverstatedCertainty,
    RegulatoryMisstated,
    UnsupportedClaim,
)

RULES: dict[str, type[Rule]] = {
    "CL001": ContradictedClaim,
    "CL002": UnsupportedClaim,
    "CL003": OverstatedCertainty,
    "CL004": MissingQualifier,
    "CL005": RegulatoryMisstated,
    "CL101": AbsoluteSafety,
    "CL102": AddictionMinimized,
    "CL103": CureOrGuarantee,
    "CL104": UnprovenMechanism,
    "CL105": UnsourcedStatistic,
    "CL106": OverstatedEvidence,
    "CL107": UnsupportedComparison,
    "CL108": OverstatedDuration,
    "CL109": OverstatedEfficacy,
    "CL110": LikelyOverclaim,
    "CL111": ImpliedApproval,
    "CL201": UnregisteredClaim,
    "CL900": InputError,
    "CL901": UnusedSuppression,
}
REGISTRY_RULES = ("CL001", "CL002", "CL003", "CL004", "CL005")
LANGUAGE_RULES = ("CL101", "CL102", "CL103", "CL104", "CL105", "CL106", "CL107", "CL108",
                  "CL109", "CL111")
# Rules raised by the engine itself, not by checking claims.
META_RULES = ("CL900", "CL901")
INPUT_ERROR = "CL900"
UNUSED_SUPPRESSION = "CL901"
UNREGISTERED = "CL201"
OVERSTATED_EFFICACY = "CL109"
LIKELY_OVERCLAIM = "CL110"


def get(code: str) -> type[Rule]:
    """The rule class for a code, a name or an alias; KeyError names what was asked for."""
    key = code.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    for rule in RULES.values():
        if key == rule.name or key in rule.aliases:
            return rule
    raise KeyError(f"unknown rule {code!r}; `claimlint rules` lists them")


def metadata() -> dict[str, RuleMeta]:
    return {code: rule.meta() for code, rule in RULES.items()}


def names() -> dict[str, tuple[str, ...]]:
    """code -> (name, *aliases), for selector resolution."""
    return {code: (rule.name, *rule.aliases) for code, rule in RULES.items()}


__all__ = [
    "INPUT_ERROR",
    "LANGUAGE_RULES",
    "META_RULES",
    "OVERSTATED_EFFICACY",
    "REGISTRY_RULES",
    "RULES",
    "UNREGISTERED",
    "UNUSED_SUPPRESSION",
    "Rule",
    "RuleMeta",
    "Violation",
    "get",
    "metadata",
    "names",
]
