"""Hostile input to the document readers: no crash, no hang, and the source map stays true.

Properties, for any bytes or text, in each reader (Markdown, HTML, plain text):

- reading raises nothing but DocumentError, which names the file and a valid position;
- every block maps into the file: source segments are in bounds, in order and contiguous in
  the block's text, and ``source_span`` of any range lands inside the file;
- every offset turns into a valid line and column;
- suppression comments point into the file.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimlint.documents import read_document
from claimlint.documents.html import MAX_DEPTH
from claimlint.documents.model import MAX_BLOCK_CHARS, Document
from claimlint.errors import DocumentError

from .conftest import feed, one_input

KINDS = ("markdown", "html", "text")
SUFFIX = {"markdown": "md", "html": "html", "text": "txt"}
PROFILE = settings.get_profile("robustness")

# Pieces that exercise the readers' markup handling, in any order.
MARKUP = [
    "<", ">", "</", "<!--", "-->", "<![CDATA[", "<?", "<!x", "&", "&amp;", "&#", "&#x1F48A;",
    "&#0;", "&#x110000;", ";", "<p>", "</p>", "<div>", "</div>", "<li>", "<ul>", "<td>",
    "<table>", "<h1>", "<br>", "<img alt='", "' title=\"", "\">", "<script>", "</script>",
    "<pre>", "<svg>", "<title>", "<meta name=description content=\"", "*", "**", "_", "__",
    "`", "```", "~~~", "[", "](", ")", "![", "]:", "# ", "## ", "> ", "- ", "1. ", "| ",
    " | ", "|---|", "\\", "    ", "\t", "\n", "\r\n", "\r", "\n\n", "---\n", "title: ",
    "description: ", "\"", "'", "\\x", "\\u", "<!-- claimlint-disable CL101 -->",
    "<!-- claimlint-disable-next-line -->", "<!-- claimlint-enable -->",
    "<!-- claimlint-bogus -->", "Ketamine is extremely safe.", "It cures CRPS!",
    "\u200f", "\u202e", "שלום", "مرحبا", "💊", "👨‍👩‍👧", "e\u0301", "\ufeff", "\x00", "\x0b",
    "\x0c", "\u2028", "\u2029", "\x85", "\ud7ff", "\U0010ffff",
]
markup = st.lists(st.sampled_from(MARKUP) | st.text(max_size=8), max_size=60).map("".join)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
any_bytes = st.binary(max_size=600)


def check_document(document: Document) -> None:
    """The reader's invariants (see the module docstring)."""
    n = len(document.text)
    lines = document.lines
    for offset in (0, n // 2, n):
        line, column = lines.position(offset)
        assert 1 <= line <= lines.line_count and column >= 1
    for block in document.blocks:
        assert block.text and len(block.text) <= MAX_BLOCK_CHARS
        assert block.text == block.text.strip()
        text_at, source_at = 0, 0
        for seg in block.offsets.segments:
            assert seg.text_start == text_at, "segments cover the block's text in order"
            assert seg.text_len > 0 and seg.src_len >= 0
            assert source_at <= seg.src_start and seg.src_start + seg.src_len <= n, \
                "source offsets are monotonic and inside the file"
            text_at, source_at = seg.text_start + seg.text_len, seg.src_start
        assert text_at == len(block.text)
        for start, end in ((0, len(block.text)), (0, 1), (len(block.text) - 1, len(block.text))):
            s, e = block.offsets.source_span(start, end)
            assert 0 <= s <= e <= n
            for offset in (s, e):
                line, column = lines.position(offset)
                assert 1 <= line <= lines.line_count and column >= 1
        assert block.paragraph >= 0 and (block.heading is None or block.heading >= 0)
    for d in document.directives:
        assert 0 <= d.start_offset < d.end_offset <= n
        assert lines.position(d.start_offset) == (d.line, d.column)


def read(kind: str, data: bytes) -> Document | None:
    """Read ``data``; None for a DocumentError, which must name the file and a position."""
    path = f"post.{SUFFIX[kind]}"
    try:
        document = read_document(path, data, kind)
    except DocumentError as err:
        assert err.path == path
        assert err.line is None or err.line >= 1
        assert err.column is None or err.column >= 1
        assert "Traceback" not in str(err)
        return None
    check_document(document)
    return document


@pytest.mark.parametrize("kind", KINDS)
@settings(PROFILE, max_examples=150)
@given(text=markup)
def test_markup_soup_keeps_invariants(kind: str, text: str) -> None:
    feed(read, kind, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("kind", KINDS)
@settings(PROFILE, max_examples=80)
@given(text=any_text)
def test_any_text_keeps_invariants(kind: str, text: str) -> None:
    feed(read, kind, text.encode("utf-8"))


@pytest.mark.parametrize("kind", KINDS)
@settings(PROFILE, max_examples=80)
@given(data=any_bytes)
def test_any_bytes_is_read_or_refused(kind: str, data: bytes) -> None:
    feed(read, kind, data)


@settings(PROFILE, max_examples=60)
@given(prefix=st.text(max_size=40), bad=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80",
                                                          b"\xf4\x90\x80\x80", b"\x80"]))
def test_invalid_utf8_names_its_line_and_column(prefix: str, bad: bytes) -> None:
    data = prefix.encode("utf-8") + bad + b" tail"
    with one_input(), pytest.raises(DocumentError) as err:
        read_document("bad.md", data, "markdown")
    line = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1
    assert err.value.path == "bad.md" and err.value.line == line
    assert "not valid UTF-8" in err.value.message


# -- named hostile inputs -----------------------------------------------------------------------


def _nested_html(depth: int) -> bytes:
    return (b"<div>" * depth + b"<p>Ketamine cures pain.</p>" + b"</div>" * depth)


HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "bom only": codecs.BOM_UTF8,
    "whitespace only": b" \t\r\n\x0b\x0c  \n\n\r\r " * 500,
    "nul bytes": b"Ketamine\x00 is safe.\x00\n\x00\x00",
    "emoji and rtl": "💊 Ketamine ‏שלום مرحبا‎ \u202ecures\u202c pain 👨‍👩‍👧.\n".encode() * 200,
    "crlf and mixed endings": b"Ketamine is safe.\r\nIt cures pain.\rNo risk.\n\r\n- a\r- b\n",
    "html nested 10,000 levels": _nested_html(10_000),
    "html 10,000 unclosed inline tags": b"<b><i>" * 10_000 + b"text",
    "html unclosed comment": b"<p>Before</p><!-- never closed <p>Ketamine cures</p>" * 200,
    "html unclosed tag": b"<p>Text <a href='" + b"x" * 100_000,
    "html repeated unclosed tags": b"<a " * 30_000,
    "html unclosed directive comment": b"<p>x</p><!-- claimlint-disable CL101",
    "html bogus markup": b"<![CDATA[x]]><!x><?php ?></ ><a b='>'>&#;&#x;&#99999999;&bogus;" * 500,
    "markdown unclosed comments": b"<!--" * 30_000,
    "markdown emphasis runs": b"_a_" * 30_000,
    "markdown nested quotes and lists": b"> " * 5_000 + b"- " * 5_000 + b"x\n",
    "markdown open brackets": b"[" * 50_000 + b"![" * 20_000,
    "markdown wide table": b"|" + b"a|" * 5_000 + b"\n|" + b"-|" * 5_000 + b"\n",
    "front matter never closed": b"---\ntitle: x\n" + b"key: value\n" * 30_000,
    "front matter one huge line": b"---\ntitle: " + b"x" * 1_000_000 + b"\n---\nBody.\n",
    "front matter malformed": b"---\ntitle: \"unterminated \\x\n\tdescription: [a, {b\n---\n",
    "text bullets": b"- \n* x\n1. \n" * 10_000,
    "one 1 MB line": b"Ketamine may ease pain for some patients. " * 24_000,
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input(kind: str, name: str) -> None:
    with one_input(limit=10):
        read(kind, HOSTILE[name])


def test_deep_html_nesting_is_capped_not_lost() -> None:
    with one_input():
        document = read_document("deep.html", _nested_html(10_000), "html")
    assert [b.text for b in document.blocks] == ["Ketamine cures pain."]
    assert MAX_DEPTH < 10_000


def test_unclosed_html_comment_hides_the_rest_like_a_browser() -> None:
    with one_input():
        document = read_document("c.html", b"<p>Shown.</p><!-- <p>Hidden.</p>", "html")
    assert [b.text for b in document.blocks] == ["Shown."]


def test_a_block_with_no_break_is_cut_into_pieces_that_map_back() -> None:
    text = "word " * 50_000
    with one_input():
        document = read_document("long.txt", text.encode(), "text")
    check_document(document)
    assert len(document.blocks) > 1
    assert " ".join(b.text for b in document.blocks) == text.strip()
