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
