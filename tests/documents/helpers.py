"""Helpers shared by the reader tests."""

from __future__ import annotations

from collections.abc import Callable

from claimlint.documents.model import Document, TextBlock

Exact = Callable[[Document], None]
Behind = Callable[[Document, TextBlock, int, int], str]


def texts(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in doc.blocks]


def where(doc: Document, block: TextBlock, word: str) -> tuple[int, int]:
    return doc.lines.position(block.offsets.source_start(block.text.index(word)))
