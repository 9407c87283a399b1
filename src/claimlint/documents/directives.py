"""Suppression comments and the bookkeeping that applies them to findings.

The syntax lives in HTML comments, which both Markdown and HTML keep out of the rendered page::

    <!-- claimlint-disable-next-line CL101, absolute-safety -- cited in the footnote -->
    <!-- claimlint-disable CL102 -->
    <!-- claimlint-enable CL102 -->

No codes means every rule. Codes may be rule codes or rule names; they are stored as written and
the engine resolves them. Text after ``--`` is the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimlint.documents.model import Directive
from claimlint.documents.offsets import LineIndex
from claimlint.errors import DocumentError

PREFIX = "claimlint-"
ACTIONS = ("disable-next-line", "disable", "enable")

_CODE = re.compile(r"[A-Za-z]+[0-9]+|[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_SEPARATORS = re.compile(r"[\s,]+")


def parse_directive(comment_body: str, start_offset: int, end_offset: int,
                    lines: LineIndex) -> Directive | None:
    """The directive in one comment (the text between ``<!--`` and ``-->``), or None.

    Comments that do not start with ``claimlint-`` are ordinary comments. One that does but
    does not parse is an error rather than silently ignored, since a typo would otherwise
    leave findings unsuppressed with no hint why.
    """
    body = comment_body.strip()
    if not body.startswith(PREFIX):
        return None
    line, column = lines.position(start_offset)
    head, _, reason = body.partition("--")
    words = head[len(PREFIX):].split(None, 1)
    action = words[0] if words else ""
    if action not in ACTIONS:
        raise DocumentError(
            f"unknown suppression comment {PREFIX}{action!s}; expected one of "
            + ", ".join(PREFIX + a for a in ACTIONS), line=line, column=column)
    codes = [c for c in _SEPARATORS.split(words[1]) if c] if len(words) > 1 else []
    for code in codes:
        if not _CODE.fullmatch(code):
            raise DocumentError(f"{PREFIX}{action}: {code!r} is not a rule code or rule name",
                                line=line, column=column)
    return Directive(action, frozenset(codes), line, column, start_offset, end_offset,
                     reason.strip())


def comment_directive(path: str, comment_body: str, start_offset: int, end_offset: int,
                      lines: LineIndex) -> Directive | None:
    """``parse_directive`` for a reader: errors also name the file."""
    try:
        return parse_directive(comment_body, start_offset, end_offset, lines)
    except DocumentError as err:
        err.path = path
        raise


class Suppressions:
    """Answers "is this finding suppressed, and by which comment?" and remembers the answers.

    ``disable-next-line`` covers a finding whose line range includes the first non-blank line
    after the comment (lines holding only other directives are passed over, so comments can be
    stacked). ``disable`` covers findings that start after it, until an ``enable`` that applies
    to the same rule.
    """

    def __init__(self, directives: Sequence[Directive], lines: LineIndex) -> None:
        self._directives = sorted(directives, key=lambda d: d.start_offset)
        self._lines = lines
        self._ends = {id(d): lines.position(max(d.start_offset, d.end_offset - 1))
                      for d in self._directives}
        directive_lines = self._directive_only_lines()
        self._targets = {id(d): self._next_line(d, directive_lines) for d in self._directives
                         if d.action == "disable-next-line"}
        self._used: set[int] = set()

    def match(self, code: str, name: str, start_line: int, end_line: int,
              column: int = 1) -> Directive | None:
        """The directive suppressing a finding of rule ``code``/``name``, recording its use.

        ``column`` is the finding's start column; it only matters when a disable or enable
        comment shares the finding's first line.
        """
        found = self._next_line_match(code, name, start_line, end_line)
        if found is None:
            found = self._range_match(code, name, (start_line, column))
        if found is not None:
            self._used.add(id(found))
        return found

    def unused(self) -> list[Directive]:
        """Disable comments that suppressed nothing, in document order."""
        return [d for d in self._directives if d.action != "enable" and id(d) not in self._used]

    def _next_line_match(self, code: str, name: str, start_line: int,
                         end_line: int) -> Directive | None:
        for d in self._directives:
            if d.action != "disable-next-line" or not _applies(d, code, name):
                continue
            target = self._targets[id(d)]
            if target is not None and start_line <= target <= end_line:
                return d
        return None

    def _range_match(self, code: str, name: str, at: tuple[int, int]) -> Directive | None:
        active: Directive | None = None
        for d in self._directives:
            if (d.line, d.column) >= at:
                break
            if not _applies(d, code, name):
                continue
            if d.action == "disable" and self._ends[id(d)] < at:
                active = d
            elif d.action == "enable":
                active = None
        return active

    def _directive_only_lines(self) -> set[int]:
        """Lines that hold nothing but directive comments."""
        only: set[int] = set()
        for d in self._directives:
            end_line, end_col = self._ends[id(d)]
            before = self._lines.line_text(d.line)[:d.column - 1]
            after = self._lines.line_text(end_line)[end_col:]
            if not before.strip() and not after.strip():
                only.update(range(d.line, end_line + 1))
        return only

    def _next_line(self, d: Directive, skip: set[int]) -> int | None:
        line = self._ends[id(d)][0] + 1
        while line <= self._lines.line_count:
            if not self._lines.is_blank(line) and line not in skip:
                return line
            line += 1
        return None


def _applies(d: Directive, code: str, name: str) -> bool:
    return not d.codes or code in d.codes or name in d.codes
