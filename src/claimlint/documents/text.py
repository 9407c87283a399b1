"""Plain-text reader: blank lines separate paragraphs, and layout decides what a line is.

Inside a paragraph each line is its own block, because plain-text copy (brochure exports,
e-mail templates) tends to put one statement per line. A line is joined to the one before it
only when it starts with a lowercase letter, which is what a hard-wrapped sentence looks like;
the join is one space mapped to the line break. Bullet lines become list items with the marker
dropped, and a short, unpunctuated line standing on its own is taken for a heading: one followed
by a blank line, the end of the file, a bullet, or a line that starts a new sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimlint.documents.model import BlockCollector, BlockKind, Document
from claimlint.documents.offsets import BlockBuilder, LineIndex

_BULLET = re.compile(r"[ \t]*(?:[-*•·]|[0-9]{1,9}[.)])[ \t]+(?=\S)")
_MAX_HEADING_WORDS = 12
_TERMINAL = ".!?:;"
# A line opening with a quotation still starts a new sentence ("I had tried ...").
_OPENERS = "\"'“‘«(["


@dataclass(frozen=True)
class _Unit:
    """One or more source lines that make a single block."""

    lines: tuple[int, ...]
    bullet: bool


def parse_text(path: str, text: str) -> Document:
    lines = LineIndex(text)
    reader = _TextReader(lines)
    for chunk in _chunks(lines):
        reader.read_chunk(chunk)
    reader.end_list()
    return Document(path, text, "text", reader.collector.blocks, _lines=lines)


def _chunks(lines: LineIndex) -> list[list[int]]:
    """Runs of non-blank lines (1-based line numbers)."""
    chunks: list[list[int]] = []
    current: list[int] = []
    for line in range(1, lines.line_count + 1):
        if lines.is_blank(line):
            if current:
                chunks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        chunks.append(current)
    return chunks


class _TextReader:
    def __init__(self, lines: LineIndex) -> None:
        self.lines = lines
        self.collector = BlockCollector()
        self._in_list = False

    def read_chunk(self, chunk: list[int]) -> None:
        anchor: int | None = None
        for unit in self._units(chunk):
            if unit.bullet:
                if not self._in_list:
                    self.collector.open_list()
                    self._in_list = True
                self._add(unit, BlockKind.LIST_ITEM)
                continue
            self.end_list()
            if self._is_heading(unit):
                self._add(unit, BlockKind.HEADING, level=1)
                continue
            index = self._add(unit, BlockKind.PARAGRAPH, same_paragraph_as=anchor)
            if anchor is None:
                anchor = index

    def end_list(self) -> None:
        # A list survives blank lines between its items; any other line ends it.
        if self._in_list:
            self.collector.close_list()
            self._in_list = False

    def _units(self, chunk: list[int]) -> list[_Unit]:
        units: list[_Unit] = []
        i = 0
        while i < len(chunk):
            group = [chunk[i]]
            bullet = self._is_bullet(chunk[i])
            while i + 1 < len(chunk) and self._continues(chunk[i + 1]):
                i += 1
                group.append(chunk[i])
            units.append(_Unit(tuple(group), bullet))
            i += 1
        return units

    def _is_bullet(self, line: int) -> bool:
        return _BULLET.match(self.lines.line_text(line)) is not None

    def _continues(self, line: int) -> bool:
        """A line starting in lowercase carries on the sentence of the line above."""
        body = self.lines.line_text(line).lstrip()
        return body[:1].islower() and not self._is_bullet(line)

    def _is_heading(self, unit: _Unit) -> bool:
        if len(unit.lines) != 1:
            return False
        body = self.lines.line_text(unit.lines[0]).strip()
        if len(body.split()) > _MAX_HEADING_WORDS or body[-1] in _TERMINAL:
            return False
        if not any(c.isalpha() for c in body):
            return False
        following = unit.lines[0] + 1
        if following > self.lines.line_count or self.lines.is_blank(following):
            return True
        if self._is_bullet(following):
            return True  # a title over a list ("References", "Why choose us")
        return self.lines.line_text(following).lstrip().lstrip(_OPENERS)[:1].isupper()

    def _add(self, unit: _Unit, kind: BlockKind, *, level: int = 0,
             same_paragraph_as: int | None = None) -> int | None:
        builder = BlockBuilder()
        for n, line in enumerate(unit.lines):
            if n:
                self._add_break(builder, line - 1)
            body = self.lines.line_text(line)
            marker = _BULLET.match(body) if n == 0 and unit.bullet else None
            skip = marker.end() if marker else len(body) - len(body.lstrip())
            builder.add(body[skip:].rstrip(), self.lines.line_start(line) + skip)
        text, offsets = builder.strip()
        return self.collector.add(text, offsets, kind, level=level,
                                  same_paragraph_as=same_paragraph_as)

    def _add_break(self, builder: BlockBuilder, line: int) -> None:
        """One space standing for the line break that ends ``line`` (``\\r\\n`` counts as one)."""
        end = self.lines.line_end(line)
        builder.add(" ", end, self.lines.line_start(line + 1) - end)
