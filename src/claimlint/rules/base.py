"""What every rule is: metadata plus a pure check over one matched claim."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from claimlint.findings import Fix, Severity

if TYPE_CHECKING:
    from claimlint.matching import ClaimMatch

DOC_SECTIONS = (
    "What it flags",
    "Why it matters",
    "Overstated copy",
    "Compliant copy",
    "Options",
    "Known false positives",
    "References",
)


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where (offsets into the claim's block text) and why.

    The driver turns it into a Finding; rules know nothing of paths, lines or severities.
    ``fix`` edits the claim's block text (block offsets); the driver maps it to the source and
    drops it where the source is not the same plain text (markup, entities, a joined line).
    """

    start: int
    end: int
    message: str
    suggestion: str | None = None
    fix: Fix | None = None


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    summary: str
    default_severity: Severity
    doc: str
    aliases: tuple[str, ...] = ()

    def section(self, title: str) -> str:
        """One section of the rule's documentation, by its fixed title."""
        pattern = rf"^{re.escape(title)}\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)"
        m = re.search(pattern, self.doc, flags=re.S | re.M)
        return m.group(1).strip() if m else ""

    @property
    def help_uri(self) -> str:
        return f"https://claimlint.readthedocs.io/rules/{self.code}"


class Rule:
    """Base class. Subclasses set the class attributes and implement ``check``.

    The docstring of a subclass is its documentation and must hold every DOC_SECTIONS title,
    each underlined with dashes.
    """

    code: str = ""
    name: str = ""
    summary: str = ""
    default_severity: Severity = Severity.WARNING
    aliases: tuple[str, ...] = ()
    options: ClassVar[dict[str, Any]] = {}

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        raise NotImplementedError

    @classmethod
    def meta(cls) -> RuleMeta:
        return RuleMeta(cls.code, cls.name, cls.summary, cls.default_severity,
                        inspect.cleandoc(cls.__doc__ or ""), cls.aliases)
