from __future__ import annotations

import pytest

from claimlint.documents import read_document
from claimlint.documents.model import Document
from claimlint.documents.text import parse_text

from .helpers import Behind, Exact, texts, where


def parse(text: str, exact: Exact) -> Document:
    doc = parse_text("page.txt", text)
    exact(doc)
    return doc




def test_each_line_is_a_block_unless_the_next_continues_it(exact: Exact) -> None:
    src = ("Ketamine therapy is safe and\n"
           "   effective for most patients.\n"
           "It works within hours.\n")
    doc = parse(src, exact)
    assert texts(doc) == [
        ("paragraph", "Ketamine therapy is safe and effective for most patients."),
        ("paragraph", "It works within hours.")]
    first, second = doc.blocks
    assert first.paragraph == second.paragraph
    assert where(doc, first, "effective") == (2, 4)
    assert doc.text[first.offsets.source_start(first.text.index(" effective"))] == "\n"


def test_blank_lines_separate_paragraphs(exact: Exact) -> None:
    doc = parse("One claim.\n\n  \t\nAnother claim.", exact)
    assert texts(doc) == [("paragraph", "One claim."), ("paragraph", "Another claim.")]
    assert doc.blocks[0].paragraph != doc.blocks[1].paragraph


@pytest.mark.parametrize("marker", ["-", "*", "•", "·", "1.", "12)"])
def test_bullets_become_list_items_without_the_marker(exact: Exact, marker: str) -> None:
    src = f"  {marker} no side effects\n    at all\n{marker}\tfast relief\n"
    doc = parse(src, exact)
    assert texts(doc) == [("list_item", "no side effects at all"),
                          ("list_item", "fast relief")]
    assert where(doc, doc.blocks[0], "no") == (1, len(marker) + 4)
    assert where(doc, doc.blocks[0], "at all") == (2, 5)


def test_lead_in_covers_the_following_bullets(exact: Exact) -> None:
    src = "Benefits include:\n\n- no side effects\n- fast relief\n\nBook today.\n- unrelated\n"
    doc = parse(src, exact)
    lead, first, second, book, unrelated = doc.blocks
    assert first.lead_in == second.lead_in == 0
    assert first.paragraph == second.paragraph == lead.paragraph
    assert book.lead_in is None and unrelated.lead_in is None
    assert unrelated.paragraph != lead.paragraph


def test_headings_are_short_unpunctuated_lines_standing_alone(exact: Exact) -> None:
    src = ("Why Choose Ketamine\n\n"
           "Fast Relief For Depression\n"
           "Ketamine works in hours.\n"
           "Call us today\n"
           "now for a visit.\n\n"
           "Our promise:\n\n"
           "1999\n")
    doc = parse(src, exact)
    assert texts(doc) == [
        ("heading", "Why Choose Ketamine"), ("heading", "Fast Relief For Depression"),
        ("paragraph", "Ketamine works in hours."), ("paragraph", "Call us today now for a visit."),
        ("paragraph", "Our promise:"), ("paragraph", "1999")]
    assert doc.blocks[2].heading == 1
    assert doc.blocks[1].heading is None  # text headings have no levels to nest by


def test_headings_over_lists_and_quotes(exact: Exact) -> None:
    src = ("Why patients choose us\n- Caring staff\n\n"
           "A patient's story\n\"Ketamine cured me,\" said James.\n\n"
           "References\n1. Niesters M. Ketamine for chronic pain.\n")
    doc = parse(src, exact)
    assert texts(doc) == [
        ("heading", "Why patients choose us"), ("list_item", "Caring staff"),
        ("heading", "A patient's story"), ("paragraph", '"Ketamine cured me," said James.'),
        ("heading", "References"), ("list_item", "Niesters M. Ketamine for chronic pain.")]
    assert doc.blocks[1].heading == 0 and doc.blocks[5].heading == 4


def test_long_lines_are_not_headings(exact: Exact) -> None:
    line = " ".join(["word"] * 13)
    assert texts(parse(line + "\n", exact)) == [("paragraph", line)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr(exact: Exact, behind: Behind, newline: str) -> None:
    src = newline.join(["Title Here", "", "Ketamine is safe and", "fast.", ""])
    doc = parse(src, exact)
    assert texts(doc) == [("heading", "Title Here"), ("paragraph", "Ketamine is safe and fast.")]
    para = doc.blocks[1]
    assert behind(doc, para, 20, 21) == newline
    assert where(doc, para, "fast") == (4, 1)


def test_bom_and_read_document(exact: Exact) -> None:
    doc = read_document("notes.txt", "\ufeffSafe.\n".encode())
    exact(doc)
    assert doc.kind == "text"
    assert doc.blocks[0].offsets.source_start(0) == 0


def test_empty_and_blank_documents(exact: Exact) -> None:
    assert parse("", exact).blocks == []
    assert parse("\n \n\t\n", exact).blocks == []
