"""Rules about the run itself rather than about claims: input errors, unused suppressions.

The engine raises these directly; they are in the rule table so they can be documented,
selected and given severities like any other rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimlint.findings import Severity
from claimlint.matching import ClaimMatch
from claimlint.rules.base import Rule, Violation


class InputError(Rule):
    """Reports a file that could not be read, decoded or parsed.

    What it flags
    -------------
    Unreadable files, bytes that are not UTF-8, malformed suppression comments, files over the
    size limit. The rest of the run goes on; the exit code is 2.

    Why it matters
    --------------
    A gate that silently skips a file lets its claims through unchecked.

    Overstated copy
    ---------------
    (a file saved as Windows-1252 with a curly apostrophe byte 0x92)

    Compliant copy
    --------------
    (the same file saved as UTF-8)

    Options
    -------
    None. This rule cannot be disabled.

    Known false positives
    ---------------------
    None.

    References
    ----------
    None.
    """

    code = "CL900"
    name = "input-error"
    summary = "File could not be read or parsed"
    default_severity = Severity.ERROR

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        return iter(())


class UnusedSuppression(Rule):
    """Reports a suppression comment that suppressed nothing.

    What it flags
    -------------
    ``<!-- claimlint-disable-next-line CODE -->`` and ``claimlint-disable`` comments that no
    finding matched, and suppressions that name an unknown rule.

    Why it matters
    --------------
    Stale suppressions hide future problems and mislead reviewers about what was checked.

    Overstated copy
    ---------------
    <!-- claimlint-disable-next-line CL101 -->
    Our clinic is open six days a week.

    Compliant copy
    --------------
    Our clinic is open six days a week.

    Options
    -------
    None.

    Known false positives
    ---------------------
    A suppression for a rule that is switched off in this run is reported as unused.

    References
    ----------
    Modelled on ruff's RUF100 (unused-noqa).
    """

    code = "CL901"
    name = "unused-suppression"
    summary = "Suppression comment that suppresses nothing"
    default_severity = Severity.WARNING

    def check(self, match: ClaimMatch, options: dict[str, Any]) -> Iterator[Violation]:
        return iter(())
