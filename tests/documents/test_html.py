from __future__ import annotations

import random

import pytest

from claimlint.documents.html import parse_html
from claimlint.documents.model import BlockKind, Document
from claimlint.errors import DocumentError

from .helpers import Behind, Exact, texts, where


def parse(text: str, exact: Exact) -> Document:
    doc = parse_html("page.html", text)
    exact(doc)
    return doc




def test_title_and_meta_description_with_entities(exact: Exact, behind: Behind) -> None:
    src = ('<html><head><title>Ketamine &amp; You</title>\n'
           '<meta charset="utf-8"><meta name="Description"\n'
           '      content="Safe &amp; effective&#8217;s\n   results">\n</head></html>')
    doc = parse(src, exact)
    assert texts(doc) == [("title", "Ketamine & You"),
                          ("description", "Safe & effective\u2019s results")]
    desc = doc.blocks[1]
    assert behind(doc, desc, 5, 6) == "&amp;"
    assert behind(doc, desc, 16, 17) == "&#8217;"
    assert where(doc, desc, "results") == (4, 4)
    assert doc.text[desc.offsets.source_start(desc.text.index(" results"))] == "\n"
    assert desc.heading == 0


def test_meta_description_quoting_variants(exact: Exact) -> None:
    for tag in ("<meta content='Fast &amp; safe' name=description>",
                "<meta name=description content=Fast>",
                '<meta name="description" content="Fast" content="ignored">'):
        doc = parse(tag, exact)
        assert doc.blocks[0].kind is BlockKind.DESCRIPTION
        assert doc.blocks[0].text in ("Fast & safe", "Fast")


def test_blocks_by_element(exact: Exact) -> None:
    src = ("<h1>Ketamine</h1><h3>Safety</h3><p>Para</p><ul><li>Item</li></ul>"
           "<table><caption>Cap</caption><tr><th>H</th><td>D</td></tr></table>"
           "<dl><dt>Term</dt><dd>Def</dd></dl><blockquote>Quote</blockquote>"
           "<figure><img src=x><figcaption>Fig</figcaption></figure>"
           "<section>Loose section text</section><article>Art</article><div>Div</div>")
    doc = parse(src, exact)
    assert texts(doc) == [
        ("heading", "Ketamine"), ("heading", "Safety"), ("paragraph", "Para"),
        ("list_item", "Item"), ("paragraph", "Cap"), ("table_header", "H"), ("table_cell", "D"),
        ("paragraph", "Term"), ("paragraph", "Def"), ("blockquote", "Quote"),
        ("paragraph", "Fig"), ("paragraph", "Loose section text"), ("paragraph", "Art"),
        ("paragraph", "Div")]
    assert [b.level for b in doc.blocks[:2]] == [1, 3]
    assert doc.blocks[1].heading == 0 and doc.blocks[2].heading == 1


def test_inline_elements_continue_the_block(exact: Exact) -> None:
    src = '<p>Ketamine is <em>very</em> <a href="/x">safe</a><sup>1</sup> and <b>fast</b>.</p>'
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Ketamine is very safe1 and fast.")]
    block = doc.blocks[0]
    assert block.offsets.source_start(block.text.index("safe")) == src.index("safe")


def test_skipped_elements(exact: Exact) -> None:
    src = ("<style>p{}</style><script>var s = '<p>cures</p>';</script>"
           "<p>Take <code>rm -rf</code> daily</p><pre>cures\nall</pre>"
           "<noscript>cures</noscript><template><p>cures</p></template>"
           "<svg><title>cures</title><text>cures</text></svg><math><mi>x</mi></math>"
           "<textarea>cures <b>all</b></textarea><p>End</p>")
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Take daily"), ("paragraph", "End")]


def test_text_on_either_side_of_pre_is_not_joined(exact: Exact) -> None:
    doc = parse("<div>before<pre>code</pre>after</div>", exact)
    assert texts(doc) == [("paragraph", "before"), ("paragraph", "after")]


@pytest.mark.parametrize(("ref", "char"), [
    ("&amp;", "&"), ("&rsquo;", "\u2019"), ("&#8217;", "\u2019"), ("&#x2019;", "\u2019"),
    ("&#x2019", "\u2019"), ("&amp", "&"),
])
def test_references_map_atomically(exact: Exact, behind: Behind, ref: str, char: str) -> None:
    src = f"<p>A{ref} B</p>"
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == f"A{char} B"
    assert behind(doc, block, 1, 2) == ref
    assert block.offsets.source_start(3) == src.index("B")


def test_nbsp_is_kept_and_absorbs_a_following_space(exact: Exact, behind: Behind) -> None:
    doc = parse("<p>100&nbsp;% safe</p><p>A&nbsp; B</p>", exact)
    assert texts(doc) == [("paragraph", "100\xa0% safe"), ("paragraph", "A\xa0B")]
    assert behind(doc, doc.blocks[0], 3, 4) == "&nbsp;"


def test_unknown_and_broken_references_stay_literal(exact: Exact) -> None:
    src = "<p>AT&T &bogus; &#; &#xZ; end</p><p>next</p>"
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "AT&T &bogus; &#; &#xZ; end"), ("paragraph", "next")]


def test_legacy_reference_prefix_maps_only_the_reference(exact: Exact, behind: Behind) -> None:
    src = '<p>a &ampfoo &notit;</p><img alt="x&ampy">'
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "a &foo \xacit;"), ("alt_text", "x&y")]
    para = doc.blocks[0]
    assert behind(doc, para, 2, 3) == "&amp"
    assert para.offsets.source_start(3) == src.index("foo")
    assert behind(doc, para, 7, 8) == "&not"


def test_whitespace_collapses_to_its_first_character(exact: Exact) -> None:
    src = "<p>Ketamine\n\t  is   safe</p>"
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == "Ketamine is safe"
    assert block.offsets.source_span(8, 9) == (11, 12)
    assert block.offsets.source_start(9) == src.index("is")


def test_br_is_a_space(exact: Exact, behind: Behind) -> None:
    doc = parse("<p>Line one<br>line two<BR/> three</p>", exact)
    block = doc.blocks[0]
    assert block.text == "Line one line two three"
    assert behind(doc, block, 8, 9) == "<br>"


def test_unclosed_tags(exact: Exact) -> None:
    src = ("<p>First<p>Second<div>Third</div><ul><li>One<li>Two<ul><li>Nested</ul>"
           "<li>Three</ul><table><tr><td>a<td>b<tr><td>c</table><h2>Head<p>after")
    doc = parse(src, exact)
    assert texts(doc) == [
        ("paragraph", "First"), ("paragraph", "Second"), ("paragraph", "Third"),
        ("list_item", "One"), ("list_item", "Two"), ("list_item", "Nested"),
        ("list_item", "Three"), ("table_cell", "a"), ("table_cell", "b"), ("table_cell", "c"),
        ("heading", "Head"), ("paragraph", "after")]
    a, b, c = doc.blocks[7:10]
    assert a.paragraph == b.paragraph != c.paragraph


def test_stray_end_tags_are_ignored(exact: Exact) -> None:
    doc = parse("</p></li><p>Text</span></div> more</p>", exact)
    assert texts(doc) == [("paragraph", "Text more")]


def test_paragraphs_inside_items_take_the_item_kind(exact: Exact) -> None:
    src = ("<ul><li><p>In item</p>tail</li></ul><blockquote><p>In quote</p></blockquote>"
           "<table><tr><td><p>In cell</p></td></tr></table>")
    doc = parse(src, exact)
    assert texts(doc) == [("list_item", "In item"), ("list_item", "tail"),
                          ("blockquote", "In quote"), ("table_cell", "In cell")]


def test_alt_and_title_attributes(exact: Exact) -> None:
    src = ('<p>Meet <abbr title="World &amp; Health">WHO</abbr> now '
           '<img src="a.png" alt=\'Patient "cured"\' data-x="cures">.</p>'
           '<img alt=Unquoted><a href="/cures" title="">x</a>')
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "Meet WHO now ."),
                          ("alt_text", "World & Health"), ("alt_text", 'Patient "cured"'),
                          ("alt_text", "Unquoted"), ("paragraph", "x")]
    alt = doc.blocks[2]
    assert alt.offsets.source_start(alt.text.index("cured")) == src.index("cured")


def test_lead_in_paragraph_before_a_list(exact: Exact) -> None:
    doc = parse("<h2>Uses</h2><p>Ketamine treats:</p><ol><li>depression<li>pain</ol><p>End</p>",
                exact)
    _, lead, first, second, end = doc.blocks
    assert first.lead_in == second.lead_in == 1
    assert first.paragraph == second.paragraph == lead.paragraph != end.paragraph
    assert end.lead_in is None and first.heading == 0


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_positions_with_any_line_ending(exact: Exact, newline: str) -> None:
    src = newline.join(["<html>", "<body>", "<p>Ketamine", "  is safe &amp; fast</p>", ""])
    doc = parse(src, exact)
    block = doc.blocks[0]
    assert block.text == "Ketamine is safe & fast"
    assert where(doc, block, "safe") == (4, 6)
    assert where(doc, block, "fast") == (4, 17)


def test_comments_and_directives(exact: Exact) -> None:
    src = ("<p>A</p>\n<!-- claimlint-disable-next-line CL101 -- cited -->\n<p>B</p>\n"
           "<!-- just a comment --><!-- claimlint-disable absolute-safety -->")
    doc = parse(src, exact)
    assert texts(doc) == [("paragraph", "A"), ("paragraph", "B")]
    first, second = doc.directives
    assert (first.action, first.codes, first.reason, first.line, first.column) == (
        "disable-next-line", frozenset({"CL101"}), "cited", 2, 1)
    assert src[first.start_offset:first.end_offset].startswith("<!--")
    assert src[first.start_offset:first.end_offset].endswith("-->")
    assert (second.action, second.codes, second.line, second.column) == (
        "disable", frozenset({"absolute-safety"}), 4, 24)


def test_malformed_directive_names_file_and_position() -> None:
    with pytest.raises(DocumentError) as info:
        parse_html("page.html", "<p>x</p>\n  <!-- claimlint-disable CL1!1 -->")
    assert info.value.where == "page.html:2:3"


def test_marked_sections_do_not_crash(exact: Exact) -> None:
    doc = parse("<p>a<![foo>b<![CDATA[c]]>d</p>", exact)
    assert texts(doc) == [("paragraph", "abd")]


_FRAGMENTS = [
    "<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<div>", "</div>", "<td>", "<tr>",
    "<table>", "</table>", "<h1>", "</h1>", "<h3 title='T &amp; t'>", "<title>", "</title>",
    "<meta name=description content='a &amp; b\n c'>", "<img alt=\"A &quot;q&quot;\" src=x>",
    "<br>", "<br/>", "<script>x<p>y</p></script>", "<code>c</code>", "<pre>p\n</pre>",
    "<svg><title>s</title></svg>", "<!-- c -->", "<!---->", "<![CDATA[x]]>", "<![foo>",
    "<!doctype html>", "&amp;", "&amp", "&#8217;", "&#x2019", "&#;", "&bogus;", "&", "&nbsp;",
    "&#10;", "AT&T", "<", ">", "</", " ", "\n", "\r\n", "\r", "\t", "text", "é", "\U0001f48a",
    "<a href='x' title=\"t\">", "</a>", "<blockquote>", "<dl><dt>", "<dd>", "<p/>", "<b",
]


@pytest.mark.parametrize("seed", range(4))
def test_random_documents_keep_the_invariant(exact: Exact, seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(200):
        parse("".join(rnd.choice(_FRAGMENTS) for _ in range(30)), exact)
