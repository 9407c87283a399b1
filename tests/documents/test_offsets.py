from __future__ import annotations

import pytest

from claimlint.documents.model import BlockCollector, BlockKind
from claimlint.documents.offsets import BlockBuilder, LineIndex, OffsetMap, Segment


def test_builder_merges_adjacent_linear_runs() -> None:
    b = BlockBuilder()
    b.add("Keta", 10)
    b.add("mine", 14)
    text, omap = b.build()
    assert text == "Ketamine"
    assert omap.segments == (Segment(0, 8, 10, 8),)


def test_builder_keeps_atomic_runs_apart() -> None:
    b = BlockBuilder()
    b.add("A ", 0)
    b.add("&", 2, 5)  # "&amp;"
    b.add(" B", 7)
    text, omap = b.build()
    assert text == "A & B"
    assert omap.source_start(2) == 2
    assert omap.source_end(3) == 7
    assert omap.source_span(0, 5) == (0, 9)
    assert omap.source_start(3) == 7


def test_strip_adjusts_the_map() -> None:
    b = BlockBuilder()
    b.add("  safe  ", 100)
    text, omap = b.strip()
    assert text == "safe"
    assert omap.source_span(0, 4) == (102, 106)


def test_strip_of_blank_text_is_empty() -> None:
    b = BlockBuilder()
    b.add("   ", 0)
    assert b.strip() == ("", OffsetMap.from_segments([]))


def test_identity_map() -> None:
    omap = OffsetMap.identity(5, 3)
    assert [omap.source_start(i) for i in range(3)] == [5, 6, 7]
    with pytest.raises(IndexError):
        OffsetMap.from_segments([]).source_start(0)


@pytest.mark.parametrize("text", ["a\nbc\nd", "a\r\nbc\r\nd", "a\rbc\rd"])
def test_line_index_handles_every_line_ending(text: str) -> None:
    lines = LineIndex(text)
    assert lines.line_count == 3
    assert lines.position(text.index("c")) == (2, 2)
    assert lines.position(text.index("d")) == (3, 1)
    assert [lines.line_text(n) for n in (1, 2, 3)] == ["a", "bc", "d"]
    assert lines.line_end(2) == text.index("c") + 1


def test_line_index_blank_lines() -> None:
    lines = LineIndex("x\n  \t\ny\n")
    assert [lines.is_blank(n) for n in range(1, lines.line_count + 1)] == [
        False, True, False, True]


def _add(c: BlockCollector, text: str, kind: BlockKind, level: int = 0,
         same_paragraph_as: int | None = None) -> int:
    b = BlockBuilder()
    b.add(text, 0)
    index = c.add(*b.build(), kind, level=level, same_paragraph_as=same_paragraph_as)
    assert index is not None
    return index


def test_collector_links_lead_in_and_paragraphs() -> None:
    c = BlockCollector()
    h = _add(c, "Treatments", BlockKind.HEADING, level=2)
    lead = _add(c, "Ketamine helps with:", BlockKind.PARAGRAPH)
    c.open_list()
    item = _add(c, "depression", BlockKind.LIST_ITEM)
    c.open_list()
    nested = _add(c, "treatment-resistant", BlockKind.LIST_ITEM)
    c.close_list()
    c.close_list()
    after = _add(c, "Book now.", BlockKind.PARAGRAPH)
    blocks = c.blocks
    assert blocks[item].lead_in == lead
    assert blocks[nested].lead_in == lead
    assert blocks[item].paragraph == blocks[lead].paragraph
    assert blocks[after].paragraph != blocks[lead].paragraph
    assert all(b.heading == h for b in blocks[1:])


def test_collector_lead_in_needs_a_colon_and_adjacency() -> None:
    c = BlockCollector()
    _add(c, "No colon here.", BlockKind.PARAGRAPH)
    c.open_list()
    item = _add(c, "a", BlockKind.LIST_ITEM)
    c.close_list()
    assert c.blocks[item].lead_in is None


def test_collector_heading_parent_is_the_enclosing_section() -> None:
    c = BlockCollector()
    title = _add(c, "Clinic", BlockKind.TITLE)
    h1 = _add(c, "Ketamine", BlockKind.HEADING, level=1)
    h2a = _add(c, "Safety", BlockKind.HEADING, level=2)
    h2b = _add(c, "Results", BlockKind.HEADING, level=2)
    para = _add(c, "It works.", BlockKind.PARAGRAPH)
    h1b = _add(c, "Pricing", BlockKind.HEADING, level=1)
    blocks = c.blocks
    assert blocks[h1].heading == title
    assert blocks[h2a].heading == h1
    assert blocks[h2b].heading == h1
    assert blocks[para].heading == h2b
    assert blocks[h1b].heading == title


def test_collector_drops_empty_blocks_and_shares_paragraphs() -> None:
    c = BlockCollector()
    assert c.add("", OffsetMap.from_segments([]), BlockKind.PARAGRAPH) is None
    first = _add(c, "A", BlockKind.TABLE_CELL)
    second = _add(c, "B", BlockKind.TABLE_CELL, same_paragraph_as=first)
    assert c.blocks[second].paragraph == c.blocks[first].paragraph
    _add(c, "Benefits:", BlockKind.PARAGRAPH)
    _add(c, "photo:", BlockKind.ALT_TEXT)
    c.open_list()  # alt text is not prose the list follows; the paragraph before it is
    item = _add(c, "x", BlockKind.LIST_ITEM)
    assert c.blocks[item].lead_in == 2
