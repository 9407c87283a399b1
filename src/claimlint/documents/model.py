"""Value types of the document layer: a decoded document and its text blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from claimlint.documents.offsets import LineIndex, OffsetMap


class BlockKind(str, Enum):
    TITLE = "title"
    DESCRIPTION = "description"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    TABLE_HEADER = "table_header"  # a header cell: a label ("How long relief lasts"), not a claim
    ALT_TEXT = "alt_text"
    BLOCKQUOTE = "blockquote"


@dataclass(frozen=True)
class TextBlock:
    """One unit of lintable prose and the map back to its source characters.

    ``paragraph`` groups blocks that read as one paragraph (a lead-in sentence and the list
    under it share one), so "same paragraph" qualifier scopes have a meaning.
    ``heading`` is the index of the nearest preceding heading block, or None; list items and
    paragraphs use it to find the subject a heading carries ("Conditions ketamine treats").
    ``lead_in`` is the index of the paragraph that introduces a list item, or None.
    """

    text: str
    kind: BlockKind
    offsets: OffsetMap
    paragraph: int
    heading: int | None = None
    lead_in: int | None = None
    level: int = 0


@dataclass(frozen=True)
class Directive:
    """An inline suppression comment, e.g. ``<!-- claimlint-disable-next-line CL101 -- why -->``."""

    action: str  # "disable-next-line" | "disable" | "enable"
    codes: frozenset[str]  # empty means every rule
    line: int  # 1-based line of the comment
    column: int
    start_offset: int
    end_offset: int
    reason: str = ""


@dataclass
class Document:
    path: str
    text: str
    kind: str  # "markdown" | "html" | "text"
    blocks: list[TextBlock]
    directives: list[Directive] = field(default_factory=list)
    _lines: LineIndex | None = field(default=None, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines


_LEAD_IN_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.BLOCKQUOTE})
# Longer blocks are cut into pieces of at most this many characters, each its own paragraph,
# at white space where there is some. Real copy stays far below it (the longest paragraph in
# the corpus has about 600 characters); without a bound, a megabyte of text with no blank line
# would be one block, whose claims are compared with each other in quadratic time (and spaCy
# refuses texts over a million characters).
MAX_BLOCK_CHARS = 10_000


class BlockCollector:
    """Appends blocks in reading order and fills in ``paragraph``, ``heading`` and ``lead_in``.

    Readers report structure as they meet it (a list opens, a list closes) and hand over finished
    blocks; every reader then links blocks the same way.
    """

    def __init__(self) -> None:
        self.blocks: list[TextBlock] = []
        self._paragraphs = 0
        # Open section headings, outermost first; the top is the nearest preceding one.
        self._sections: list[int] = []
        # The lead-in of each open list, innermost last.
        self._lists: list[int | None] = []
        self._previous: int | None = None

    def add(self, text: str, offsets: OffsetMap, kind: BlockKind, *, level: int = 0,
            same_paragraph_as: int | None = None) -> int | None:
        """Append a block and return its index; empty blocks are dropped (None).

        A block over MAX_BLOCK_CHARS is added as several, and the index is the first one's.
        """
        if not text:
            return None
        if len(text) > MAX_BLOCK_CHARS:
            pieces = [self.add(piece, piece_offsets, kind, level=level,
                               same_paragraph_as=same_paragraph_as if n == 0 else None)
                      for n, (piece, piece_offsets) in enumerate(_pieces(text, offsets))]
            return next((i for i in pieces if i is not None), None)
        index = len(self.blocks)
        lead_in = self._lists[-1] if kind is BlockKind.LIST_ITEM and self._lists else None
        anchor = same_paragraph_as if same_paragraph_as is not None else lead_in
        if anchor is not None:
            paragraph = self.blocks[anchor].paragraph
        else:
            paragraph = self._paragraphs
            self._paragraphs += 1
        self.blocks.append(TextBlock(text, kind, offsets, paragraph, self._heading_for(kind, level),
                                     lead_in, level))
        if kind in (BlockKind.HEADING, BlockKind.TITLE):
            self._sections.append(index)
        if kind is not BlockKind.ALT_TEXT:
            self._previous = index
        return index

    def _heading_for(self, kind: BlockKind, level: int) -> int | None:
        if kind is BlockKind.TITLE:
            self._sections.clear()
        elif kind is BlockKind.HEADING:
            # A heading belongs to the enclosing section, not to a sibling heading before it.
            while self._sections and self._outranked_by(self._sections[-1], level):
                self._sections.pop()
        return self._sections[-1] if self._sections else None

    def _outranked_by(self, index: int, level: int) -> bool:
        block = self.blocks[index]
        return block.kind is BlockKind.HEADING and block.level >= level

    def open_list(self) -> None:
        """A list starts: its items are led in by the block just before it if that ends with ':'."""
        prev = self._previous
        if prev is not None and self._is_lead_in(self.blocks[prev]):
            self._lists.append(prev)
        else:
            # A nested list without its own lead-in still belongs to the outer one.
            self._lists.append(self._lists[-1] if self._lists else None)

    def close_list(self) -> None:
        if self._lists:
            self._lists.pop()

    @staticmethod
    def _is_lead_in(block: TextBlock) -> bool:
        return block.kind in _LEAD_IN_KINDS and block.text.endswith(":")


def _pieces(text: str, offsets: OffsetMap) -> list[tuple[str, OffsetMap]]:
    """``text`` in pieces of at most MAX_BLOCK_CHARS, cut after the last white space that
    leaves a piece at least half that long (anywhere, in a run with none), edges stripped."""
    out: list[tuple[str, OffsetMap]] = []
    start = 0
    while start < len(text):
        end = min(start + MAX_BLOCK_CHARS, len(text))
        if end < len(text):
            space = max(text.rfind(c, start + MAX_BLOCK_CHARS // 2, end) for c in " \t\n")
            end = space + 1 if space > start else end
        piece = text[start:end]
        left, right = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        if right > left:
            out.append((piece[left:right], offsets.slice(start + left, start + right)))
        start = end
    return out
