from __future__ import annotations

import pytest

from claimlint.documents.directives import Suppressions, parse_directive
from claimlint.documents.markdown import parse_markdown
from claimlint.documents.model import Directive
from claimlint.documents.offsets import LineIndex
from claimlint.errors import DocumentError


def parse(body: str, text: str = "", start: int = 0) -> Directive | None:
    source = text or f"<!--{body}-->"
    return parse_directive(body, start, start + len(f"<!--{body}-->"), LineIndex(source))


@pytest.mark.parametrize(("body", "action", "codes", "reason"), [
    (" claimlint-disable-next-line CL101, CL102 -- cited in footnote 3 ",
     "disable-next-line", {"CL101", "CL102"}, "cited in footnote 3"),
    (" claimlint-disable ", "disable", set(), ""),
    ("claimlint-enable absolute-safety,CL7 ", "enable", {"absolute-safety", "CL7"}, ""),
    (" claimlint-disable CL101 CL102--why ", "disable", {"CL101", "CL102"}, "why"),
    (" claimlint-disable -- no codes, a reason ", "disable", set(), "no codes, a reason"),
])
def test_parse(body: str, action: str, codes: set[str], reason: str) -> None:
    d = parse(body)
    assert d is not None
    assert (d.action, d.codes, d.reason) == (action, frozenset(codes), reason)
    assert (d.line, d.column, d.start_offset) == (1, 1, 0)


@pytest.mark.parametrize("body", [" a note ", " claimlint is great ", "", " TODO claimlint-x "])
def test_ordinary_comments(body: str) -> None:
    assert parse(body) is None


@pytest.mark.parametrize(("body", "message"), [
    (" claimlint-disabel CL101 ", "unknown suppression comment"),
    (" claimlint- ", "unknown suppression comment"),
    (" claimlint-disable CL1@1 ", "not a rule code"),
    (" claimlint-enable Absolute_Safety ", "not a rule code"),
])
def test_malformed_directives_raise_with_position(body: str, message: str) -> None:
    text = f"line one\n   <!--{body}-->"
    with pytest.raises(DocumentError) as info:
        parse(body, text, start=text.index("<!--"))
    assert (info.value.line, info.value.column) == (2, 4)
    assert message in info.value.message


def _doc(text: str) -> Suppressions:
    doc = parse_markdown("p.md", text)
    return Suppressions(doc.directives, doc.lines)


def test_next_line_skips_blank_lines_and_stacked_directives() -> None:
    s = _doc("<!-- claimlint-disable-next-line CL101 -->\n\n"
             "<!-- claimlint-disable-next-line absolute-safety -->\n"
             "Claim line.\n"
             "Other line.\n")
    hit = s.match("CL101", "overclaim", 4, 4)
    assert hit is not None and hit.line == 1
    by_name = s.match("CL102", "absolute-safety", 4, 4)
    assert by_name is not None and by_name.line == 3
    assert s.match("CL101", "overclaim", 5, 5) is None
    assert s.match("CL103", "other", 4, 4) is None
    assert s.unused() == []


def test_next_line_covers_findings_spanning_the_line() -> None:
    s = _doc("<!-- claimlint-disable-next-line -->\nA\nB\n")
    assert s.match("CL1", "x", 1, 3) is not None
    assert s.match("CL1", "x", 3, 3) is None


def test_multi_line_comment_counts_from_its_last_line() -> None:
    s = _doc("<!--\nclaimlint-disable-next-line CL101\n-->\nClaim.\n")
    assert s.match("CL101", "x", 4, 4) is not None


def test_disable_enable_ranges() -> None:
    s = _doc("Before.\n\n<!-- claimlint-disable CL101 -->\n\nInside.\n\n"
             "<!-- claimlint-enable CL101 -->\n\nAfter.\n")
    assert s.match("CL101", "x", 1, 1) is None
    assert s.match("CL101", "x", 5, 5) is not None
    assert s.match("CL102", "y", 5, 5) is None
    assert s.match("CL101", "x", 9, 9) is None


def test_disable_without_enable_runs_to_the_end() -> None:
    s = _doc("<!-- claimlint-disable -->\n\nA.\n\nB.\n")
    assert s.match("CL9", "any", 5, 5) is not None


def test_partial_enable_after_disabling_everything() -> None:
    s = _doc("<!-- claimlint-disable -->\n\n<!-- claimlint-enable CL101 -->\n\nText.\n")
    assert s.match("CL101", "x", 5, 5) is None
    assert s.match("CL102", "y", 5, 5) is not None


def test_same_line_uses_columns() -> None:
    text = "Text <!-- claimlint-disable --> more\n"
    s = _doc(text)
    assert s.match("CL1", "x", 1, 1, column=1) is None
    assert s.match("CL1", "x", 1, 1, column=text.index("more") + 1) is not None


def test_unused_reports_disables_that_matched_nothing() -> None:
    s = _doc("<!-- claimlint-disable-next-line CL101 -->\nA\n\n"
             "<!-- claimlint-disable CL102 -->\n\n<!-- claimlint-enable CL102 -->\n"
             "<!-- claimlint-disable-next-line -->\n")
    assert s.match("CL101", "x", 2, 2) is not None
    assert [(d.action, d.line) for d in s.unused()] == [("disable", 4), ("disable-next-line", 7)]
