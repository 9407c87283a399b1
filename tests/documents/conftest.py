"""Shared checks for the document readers: every extracted character must map exactly."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest

from claimlint.documents.model import Document, TextBlock

_YAML_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\\\": "\\", '\\"': '"', "\\/": "/", "\\_": "\xa0"}


def _decodes_to(span: str, chars: str) -> bool:
    """Whether an atomic source span legitimately stands for ``chars``."""
    if chars == " " and (html.unescape(span).isspace() or span.lower().startswith("<br")):
        return True  # a line break, a white-space reference or <br> read as one space
    if html.unescape(span) == chars:
        return True  # an HTML/Markdown entity or character reference
    if span == "''" and chars == "'":
        return True  # YAML single-quoted escape
    if span.startswith("\\u") or span.startswith("\\x") or span.startswith("\\U"):
        return chr(int(span[2:], 16)) == chars
    return _YAML_ESCAPES.get(span) == chars


def check_block(source: str, block: TextBlock) -> None:
    segments = block.offsets.segments
    assert sum(s.text_len for s in segments) == len(block.text), block
    expected_start = 0
    for seg in segments:
        assert seg.text_start == expected_start
        expected_start += seg.text_len
        chars = block.text[seg.text_start:seg.text_start + seg.text_len]
        if seg.linear:
            for i in range(seg.text_start, seg.text_start + seg.text_len):
                at = block.offsets.source_start(i)
                ch = block.text[i]
                # A space may stand for a one-character line break or white-space run, and
                # Markdown reads NUL as U+FFFD.
                assert (source[at] == ch or (ch == " " and source[at].isspace())
                        or (ch == "\ufffd" and source[at] == "\0")), (
                    f"{block.text!r}[{i}]={ch!r} maps to {source[at]!r} at {at}")
        else:
            span = source[seg.src_start:seg.src_start + seg.src_len]
            assert _decodes_to(span, chars), f"{chars!r} stands for {span!r}"
            for i in range(seg.text_start, seg.text_start + seg.text_len):
                assert block.offsets.source_start(i) == seg.src_start


def check_document(doc: Document) -> None:
    """The exhaustive invariant every reader test runs."""
    for block in doc.blocks:
        check_block(doc.text, block)
        assert block.text == block.text.strip(), block.text
        assert block.text, "empty blocks are dropped"
    for index, block in enumerate(doc.blocks):
        if block.heading is not None:
            assert block.heading < index
        if block.lead_in is not None:
            assert block.lead_in < index
            assert doc.blocks[block.lead_in].text.endswith(":")


@pytest.fixture
def exact() -> Callable[[Document], None]:
    return check_document


def source_of(doc: Document, block: TextBlock, start: int, end: int) -> str:
    """The source text behind ``block.text[start:end]``."""
    s, e = block.offsets.source_span(start, end)
    return doc.text[s:e]


@pytest.fixture
def behind() -> Callable[[Document, TextBlock, int, int], str]:
    return source_of
