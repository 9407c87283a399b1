"""The document layer: file bytes in, ``Document`` objects with exactly mapped text blocks out."""

from __future__ import annotations

import codecs
import os

from claimlint.documents.directives import Suppressions, parse_directive
from claimlint.documents.discovery import DEFAULT_INCLUDE, discover
from claimlint.documents.html import parse_html
from claimlint.documents.markdown import parse_markdown
from claimlint.documents.model import BlockKind, Directive, Document, TextBlock
from claimlint.documents.offsets import LineIndex
from claimlint.documents.text import parse_text
from claimlint.errors import DocumentError

__all__ = [
    "DEFAULT_INCLUDE",
    "BlockKind",
    "Directive",
    "Document",
    "Suppressions",
    "TextBlock",
    "decode",
    "discover",
    "kind_for_path",
    "parse_directive",
    "parse_html",
    "parse_markdown",
    "parse_text",
    "read_document",
]

_KINDS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def kind_for_path(path: str) -> str | None:
    """The reader a file name asks for, or None for a suffix we do not know."""
    return _KINDS.get(os.path.splitext(path)[1].lower())


def decode(path: str, data: bytes) -> str:
    """UTF-8 bytes to text; a leading BOM is dropped so offsets count from the first real char."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        # The prefix before the bad byte is valid, so its decoded length gives the column.
        prefix = data[:err.start].decode("utf-8")
        line, column = LineIndex(prefix).position(len(prefix))
        raise DocumentError(
            f"not valid UTF-8: byte 0x{data[err.start]:02X} at line {line}, column {column}",
            path=path, line=line, column=column) from None


def read_document(path: str, data: bytes, kind: str | None = None) -> Document:
    """Decode ``data`` and parse it with the reader for ``kind`` (by default, from the suffix)."""
    text = decode(path, data)
    kind = kind or kind_for_path(path) or "text"
    if kind == "markdown":
        return parse_markdown(path, text)
    if kind == "html":
        return parse_html(path, text)
    if kind == "text":
        return parse_text(path, text)
    raise DocumentError(f"unknown document kind {kind!r} (use markdown, html or text)", path=path)
