from __future__ import annotations

import pytest

from claimlint.documents import decode, kind_for_path, read_document
from claimlint.errors import DocumentError


@pytest.mark.parametrize(("path", "kind"), [
    ("a.md", "markdown"), ("A.MARKDOWN", "markdown"), ("x/y.html", "html"), ("p.htm", "html"),
    ("n.txt", "text"), ("README", None), ("s.rst", None),
])
def test_kind_for_path(path: str, kind: str | None) -> None:
    assert kind_for_path(path) == kind


def test_decode_drops_the_bom() -> None:
    assert decode("a.md", b"\xef\xbb\xbfHi") == "Hi"
    assert decode("a.md", "Caf\u00e9".encode()) == "Caf\u00e9"


@pytest.mark.parametrize(("data", "line", "column", "byte"), [
    (b"ok\n\xe9t\xe9", 2, 1, "0xE9"),
    (b"\xef\xbb\xbfline\r\nab\xffc", 2, 3, "0xFF"),
    (b"caf\xc3\xa9 \x80", 1, 6, "0x80"),
    (b"one\rtwo\xc3", 2, 4, "0xC3"),
])
def test_invalid_utf8_names_the_position_and_byte(data: bytes, line: int, column: int,
                                                   byte: str) -> None:
    with pytest.raises(DocumentError) as info:
        decode("site/page.md", data)
    err = info.value
    assert (err.path, err.line, err.column) == ("site/page.md", line, column)
    assert byte in err.message
    assert str(err).startswith(f"site/page.md:{line}:{column}: ")


def test_read_document_dispatches_on_kind() -> None:
    assert read_document("a.md", b"# T").kind == "markdown"
    assert read_document("a.html", b"<p>T</p>").kind == "html"
    assert read_document("a.unknown", b"T").kind == "text"
    assert read_document("a.txt", b"# T", kind="markdown").blocks[0].text == "T"
    with pytest.raises(DocumentError):
        read_document("a.md", b"x", kind="rst")
