from __future__ import annotations

import random

import pytest

from claimlint.documents import read_document
from claimlint.documents.markdown import parse_markdown
from claimlint.documents.model import BlockKind, Document
from claimlint.errors import DocumentError

from .helpers import Behind, Exact, texts, where


def parse(text: str, exact: Exact) -> Document:
    doc = parse_markdown("page.md", text)
    exact(doc)
    return doc



def test_emphasis_is_dropped_and_words_map_exactly(exact: Exact, behind: Behind) -> None:
    src = "Ketamine is *very* safe and __fast__."
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == "Ketamine is very safe and fast."
    i = block.text.index("very safe")
    assert behind(doc, block, i, i + len("very safe")) == "very* safe"
    assert block.offsets.source_start(block.text.index("safe")) == src.index("safe")
    assert block.offsets.source_start(block.text.index("fast")) == src.index("fast")


def test_unmatched_markers_stay_literal(exact: Exact) -> None:
    doc = parse("2 * 3 and foo*bar and ***both*** and *a **b** c*", exact)
    assert doc.blocks[0].text == "2 * 3 and foo*bar and both and a b c"


def test_link_text_is_kept_and_destination_dropped(exact: Exact) -> None:
    src = ('See [our *clinic*](https://x.example "Best clinic") and [ref][r].\n\n'
           '[r]: https://y "T"\n')
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "See our clinic and ref.")]
    block = doc.blocks[0]
    assert block.offsets.source_start(block.text.index("clinic")) == src.index("clinic")
    assert block.offsets.source_start(block.text.index("ref")) == src.index("ref]")


def test_autolinks_are_not_prose(exact: Exact) -> None:
    doc = parse("Visit <https://cure.example> today", exact)
    assert doc.blocks[0].text == "Visit today"


def test_image_alt_text_is_its_own_block(exact: Exact) -> None:
    src = 'Before ![Patient *cured* in 1 day](img.png "title") after.'
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Before after."),
                          ("alt_text", "Patient cured in 1 day")]
    alt = doc.blocks[1]
    assert alt.offsets.source_start(alt.text.index("cured")) == src.index("cured")


def test_image_inside_link_and_nested_alt(exact: Exact) -> None:
    src = "[![outer ![inner](a.png) alt](b.png)](https://x)"
    doc = parse(src, exact)
    assert ("alt_text", "inner") in texts(doc)
    assert ("alt_text", "outer alt") in texts(doc)


@pytest.mark.parametrize(("entity", "char"), [("&amp;", "&"), ("&#8217;", "\u2019"),
                                              ("&rsquo;", "\u2019"), ("&#x2019;", "\u2019")])
def test_entities_map_atomically(exact: Exact, behind: Behind, entity: str, char: str) -> None:
    src = f"Results{entity}s guaranteed"
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == f"Results{char}s guaranteed"
    assert behind(doc, block, 7, 8) == entity
    assert block.offsets.source_start(8) == src.index("s guaranteed")


def test_unknown_entity_is_literal(exact: Exact) -> None:
    assert parse("a &bogus; b", exact).blocks[0].text == "a &bogus; b"


def test_backslash_escapes_map_to_the_escaped_char(exact: Exact) -> None:
    src = r"100\% \*safe\* and \a"
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == r"100% *safe* and \a"
    assert block.offsets.source_start(3) == src.index("%")
    assert block.offsets.source_start(block.text.index("*safe")) == src.index("*safe")


def test_code_is_skipped_without_doubling_spaces(exact: Exact) -> None:
    src = "Take `ketamine --cure` daily.\n\n```\nfenced cures all\n```\n\n    indented cures all\n"
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Take daily.")]


def test_soft_break_is_one_space_mapped_to_the_line_break(exact: Exact) -> None:
    src = "Ketamine is\n   safe"
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == "Ketamine is safe"
    assert block.offsets.source_span(11, 12) == (11, 12)
    assert where(doc, block, "safe") == (2, 4)


@pytest.mark.parametrize("src", ["Ketamine is  \nsafe", "Ketamine is\\\nsafe"])
def test_hard_breaks(exact: Exact, src: str) -> None:
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == "Ketamine is safe"
    assert doc.text[block.offsets.source_start(11)] == "\n"


def test_crlf_line_breaks_map_to_both_characters(exact: Exact) -> None:
    src = "# Title\r\n\r\nLine one\r\nline two\r\n\r\n> q1\r\n> q2\r\n"
    doc = parse(src, exact)
    assert texts(doc) == [("heading", "Title"), ("paragraph", "Line one line two"),
                          ("blockquote", "q1 q2")]
    para = doc.blocks[1]
    assert para.offsets.source_span(8, 9) == (src.index("\r\nline"), src.index("line two"))
    assert where(doc, para, "two") == (4, 6)
    assert where(doc, doc.blocks[2], "q2") == (7, 3)


def test_lone_cr_line_endings(exact: Exact) -> None:
    doc = parse("One\rtwo\r\rThree", exact)
    assert texts(doc) == [("paragraph", "One two"), ("paragraph", "Three")]
    assert where(doc, doc.blocks[1], "Three") == (4, 1)


def test_headings(exact: Exact) -> None:
    src = "# Ketamine *works* ##\n\nSetext\n======\n\n### Deep\n\nBody"
    doc = parse(src, exact)
    assert [(b.text, b.level, b.heading) for b in doc.blocks] == [
        ("Ketamine works", 1, None), ("Setext", 1, None), ("Deep", 3, 1), ("Body", 0, 2)]


def test_front_matter_title_and_description(exact: Exact) -> None:
    src = (
        "---\n"
        "title: Ketamine \"cures\" it all # a comment\n"
        "description: 'It''s 100% safe'\n"
        "author: Dr No\n"
        "tags: [a, b]\n"
        "---\n"
        "# Heading\n"
    )
    doc = parse(src, exact)
    assert texts(doc) == [("title", 'Ketamine "cures" it all'),
                          ("description", "It's 100% safe"), ("heading", "Heading")]
    title, desc, heading = doc.blocks
    assert where(doc, title, "cures") == (2, 18)
    assert desc.offsets.source_span(2, 3) == (src.index("''"), src.index("''") + 2)
    assert where(doc, desc, "100%") == (3, 21)
    assert heading.heading == 0 and desc.heading == 0


def test_front_matter_double_quoted_escapes(exact: Exact) -> None:
    src = '---\ndescription: "Safe\\tand \\"fast\\" \\u2019"\n---\n'
    doc = parse(src, exact)
    assert texts(doc) == [("description", 'Safe\tand "fast" \u2019')]


def test_front_matter_skips_what_is_not_a_one_line_scalar(exact: Exact) -> None:
    src = ("---\ntitle: |\n  Block scalar\ndescription: >\n  folded\nmeta:\n  title: nested\n"
           "---\nBody\n")
    assert texts(parse(src, exact)) == [("paragraph", "Body")]


def test_unclosed_front_matter_is_markdown(exact: Exact) -> None:
    assert texts(parse("---\ntitle: x\n", exact)) == [("paragraph", "title: x")]


def test_table_cells(exact: Exact) -> None:
    src = "| Claim | Rate \\| note |\n|---|:-:|\n| cures `x` *all* | 100% \\| sure |\n| short |\n"
    doc = parse(src, exact)
    assert texts(doc) == [("table_header", "Claim"), ("table_header", "Rate | note"),
                          ("table_cell", "cures all"), ("table_cell", "100% | sure"),
                          ("table_cell", "short")]
    cells = doc.blocks
    assert cells[0].paragraph == cells[1].paragraph != cells[2].paragraph
    assert cells[2].paragraph == cells[3].paragraph
    assert where(doc, cells[3], "sure") == (3, 29)
    assert doc.text[cells[1].offsets.source_start(5)] == "|"


def test_nested_lists_and_continuation_lines(exact: Exact) -> None:
    src = ("Ketamine helps with:\n\n"
           "- depression and\n"
           "  anxiety\n"
           "  1. chronic\n"
           "     pain\n"
           "- PTSD\n\n"
           "After the list.\n")
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Ketamine helps with:"),
                          ("list_item", "depression and anxiety"),
                          ("list_item", "chronic pain"), ("list_item", "PTSD"),
                          ("paragraph", "After the list.")]
    lead, first, nested, last, after = doc.blocks
    assert first.lead_in == nested.lead_in == last.lead_in == 0
    assert first.paragraph == nested.paragraph == last.paragraph == lead.paragraph
    assert after.lead_in is None and after.paragraph != lead.paragraph
    assert where(doc, first, "anxiety") == (4, 3)
    assert where(doc, nested, "pain") == (6, 6)


def test_each_paragraph_of_a_loose_list_item_is_a_list_item(exact: Exact) -> None:
    doc = parse("1. First para.\n\n   Second para.\n2. Next\n", exact)
    assert texts(doc) == [("list_item", "First para."), ("list_item", "Second para."),
                          ("list_item", "Next")]


def test_tabs_in_list_items(exact: Exact) -> None:
    src = "-\tTab after marker\n\tcontinued\n"
    doc = parse(src, exact)
    assert texts(doc) == [("list_item", "Tab after marker continued")]
    assert where(doc, doc.blocks[0], "continued") == (2, 2)


def test_blockquotes_map_past_their_markers(exact: Exact) -> None:
    src = "> Ketamine **never**\n>   fails\n> > nested\n> > quote\n\n- > quote in\n  > a list\n"
    doc = parse(src, exact)
    assert texts(doc) == [("blockquote", "Ketamine never fails"),
                          ("blockquote", "nested quote"), ("blockquote", "quote in a list")]
    assert where(doc, doc.blocks[0], "fails") == (2, 5)
    assert where(doc, doc.blocks[1], "quote") == (4, 5)
    assert where(doc, doc.blocks[2], "list") == (7, 7)


def test_lazy_continuation_line(exact: Exact) -> None:
    doc = parse("> Quoted\nlazy line\n", exact)
    assert texts(doc) == [("blockquote", "Quoted lazy line")]
    assert where(doc, doc.blocks[0], "lazy") == (2, 1)


def test_html_is_skipped(exact: Exact) -> None:
    src = ("<div>\n  cures everything\n</div>\n\n"
           "Text <span>with</span> inline<br>html <!-- note --> here.\n")
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Text with inline html here.")]


def test_directives_from_comment_blocks_and_inline(exact: Exact) -> None:
    src = ("<!-- claimlint-disable-next-line CL101, absolute-safety -- cited below -->\n"
           "Ketamine is 100% safe.\n\n"
           "- item <!-- claimlint-disable -->\n\n"
           "  <!-- ordinary comment -->\n"
           "  <!--\n  claimlint-enable CL102\n  -->\n")
    doc = parse(src, exact)
    first, second, third = doc.directives
    assert first.action == "disable-next-line"
    assert first.codes == frozenset({"CL101", "absolute-safety"})
    assert first.reason == "cited below"
    assert (first.line, first.column, first.start_offset) == (1, 1, 0)
    assert src[first.start_offset:first.end_offset].endswith("below -->")
    assert (second.action, second.codes, second.line, second.column) == (
        "disable", frozenset(), 4, 8)
    assert src[second.start_offset:second.end_offset] == "<!-- claimlint-disable -->"
    assert (third.action, third.line, third.column) == ("enable", 7, 3)
    assert src[third.end_offset - 3:third.end_offset] == "-->"


def test_malformed_directive_is_an_error_with_position() -> None:
    with pytest.raises(DocumentError) as info:
        parse_markdown("page.md", "Intro\n\n  <!-- claimlint-disabel CL101 -->\n")
    assert info.value.where == "page.md:3:3"


def test_bom_is_dropped_and_offsets_start_after_it(exact: Exact) -> None:
    doc = read_document("page.md", b"\xef\xbb\xbf# Safe\n")
    exact(doc)
    assert doc.text == "# Safe\n"
    assert doc.blocks[0].offsets.source_start(0) == 2


def test_nul_characters(exact: Exact) -> None:
    doc = parse("a\0b *c*", exact)
    assert doc.blocks[0].text == "a\ufffdb c"


def test_kitchen_sink_reads_naturally(exact: Exact) -> None:
    src = (
        "---\ntitle: Ketamine Clinic\n---\n"
        "# Ketamine is *very* safe\n\n"
        "Our [clinic](https://x) offers **guaranteed** results &amp; no side\n"
        "effects&rsquo; `code` ![Smiling patient](p.png)\n\n"
        "| Condition | Response |\n|---|---|\n| Depression | 100% |\n"
    )
    doc = parse(src, exact)
    assert texts(doc) == [
        ("title", "Ketamine Clinic"),
        ("heading", "Ketamine is very safe"),
        ("paragraph", "Our clinic offers guaranteed results & no side effects\u2019"),
        ("alt_text", "Smiling patient"),
        ("table_header", "Condition"), ("table_header", "Response"),
        ("table_cell", "Depression"), ("table_cell", "100%"),
    ]
    assert all(b.heading == 1 for b in doc.blocks[2:])


_FRAGMENTS = [
    "Ketamine is *very* safe", "**strong**", "_u_", "\\*", "\\a", "&amp;", "&#8217;", "&bogus;",
    "`code`", "[link](http://x \"t\")", "[ref][r]", "![alt *em*](i.png)", "<https://a.b>",
    "<span>x</span>", "<br>", "<!-- c -->", "  \n", "\\\n", "\n", "\n\n", "\t", "\n- ", "\n  - ",
    "\n1. ", "\n> ", "\n> > ", "\n# ", "\n## h ##", "\n===\n",
    "\n| a | b \\| c |\n|---|---|\n| d |\n",
    "\n```\ncode\n```\n", "\n    indented\n", "*", "**", "_", "[", "]", "!", "&", "<", "\r\n",
    "\r", "é", "\U0001f48a", " ", "\n\t- tab", "\n>\tquote", "\n[r]: http://x\n",
    "\n<div>\nblock\n</div>\n", "***x***", "foo*bar*baz",
]


@pytest.mark.parametrize("seed", range(4))
def test_random_documents_keep_the_invariant(exact: Exact, seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(150):
        parts = [rnd.choice(_FRAGMENTS) + rnd.choice(["", " word"]) for _ in range(20)]
        prefix = "---\ntitle: 'A ''b'''\n---\n" if rnd.random() < 0.2 else ""
        parse(prefix + "".join(parts), exact)


def test_block_kinds_by_container(exact: Exact) -> None:
    doc = parse("> - item in quote\n\n- > quote in item\n", exact)
    assert [b.kind for b in doc.blocks] == [BlockKind.LIST_ITEM, BlockKind.BLOCKQUOTE]
