"""Markdown reader: markdown-it-py (CommonMark plus tables) with an exact map back to the source.

How the offsets stay exact
--------------------------
markdown-it-py gives block tokens line ranges but inline tokens no offsets at all, and the
string an inline token is parsed from is not a slice of the file: it is the block's lines with
container prefixes (``>``, list indentation) cut off, joined and trimmed. Rather than recover
positions afterwards by looking for text, positions are recorded where markdown-it creates the
text, in two layers:

1. Block layer. The block rules that create ``inline`` tokens (paragraph, heading, lheading,
   table) and ``html_block`` tokens are wrapped. When such a rule returns, the block state still
   holds the line markers it used (already adjusted for blockquotes and list items), so the
   wrapper rebuilds the token's content the way markdown-it does (``getLines``, trimming, the
   table's cell split) while noting the source offset of each character, checks that the result
   equals ``token.content``, and stores the offsets on the token.
2. Inline layer. Inline parsing runs with a ``StateInline`` subclass whose pending-text buffer
   keeps the position of each pending character: a character enters pending from ``state.pos``
   or is trimmed off its end (``newline``), so every text token knows where its characters came
   from. Each inline rule is wrapped to stamp the tokens it pushed with the range it consumed
   (entities, escapes, breaks, emphasis markers, inline HTML), and the image rule's separate
   parse of the alt text is shifted into the outer coordinates. ``text_join`` is disabled (it
   folds entities into text) and ``fragments_join`` is replaced by a version that concatenates
   positions along with the text.

Positions compose: inline position -> position in the block's content -> offset in the copy
markdown-it parsed -> offset in the decoded text. That copy differs from the decoded text only
in ways that keep every line's columns (line breaks normalized to ``\\n``, NUL to U+FFFD, YAML
front matter blanked), so the last step goes through line and column.

If a consistency check fails (a markdown-it change the wrappers do not know), the file is
reported as unreadable rather than linted with offsets that might be wrong.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from claimlint.documents.directives import comment_directive
from claimlint.documents.model import BlockCollector, BlockKind, Directive, Document
from claimlint.documents.offsets import BlockBuilder, LineIndex, OffsetMap
from claimlint.errors import DocumentError

try:
    from markdown_it.common.utils import MD_TRIM_CHARS as _TRIM_CHARS
except ImportError:  # markdown-it-py before 4 trims with str.strip()
    _TRIM: str | None = None
else:
    _TRIM = _TRIM_CHARS

_POS = "claimlint_positions"  # list[int]: where each character of token.content came from
_SPAN = "claimlint_span"  # (start, end): the source range an inline rule consumed

_COMMENT_OPEN, _COMMENT_CLOSE = "<!--", "-->"
_BR = re.compile(r"<br\s*/?>", re.I)


class _MapError(Exception):
    """A consistency check between markdown-it's output and the recorded positions failed."""

    def __init__(self, what: str, line: int | None = None) -> None:
        super().__init__(what)
        self.line = line


def parse_markdown(path: str, text: str) -> Document:
    lines = LineIndex(text)
    front = _FrontMatter.find(lines)
    source = _NormalizedSource(text, lines, front.lines if front else range(0))
    collector = BlockCollector()
    if front:
        front.emit(collector)
    walker = _Walker(path, source, lines, collector)
    try:
        tokens = _parser().parse(source.text, {})
        walker.walk(tokens)
    except _MapError as err:
        raise DocumentError(f"cannot map Markdown text back to the source ({err}); "
                            "please report this file", path=path,
                            line=err.line + 1 if err.line is not None else None) from None
    directives = sorted(walker.directives, key=lambda d: d.start_offset)
    return Document(path, text, "markdown", collector.blocks, directives, _lines=lines)


# --------------------------------------------------------------------------------------------
# Source normalization


class _NormalizedSource:
    """The copy markdown-it parses, and the way back from its offsets to the decoded text."""

    def __init__(self, text: str, lines: LineIndex, blanked: range) -> None:
        parts: list[str] = []
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._break_ends: list[int] = []  # where each line's break ends in the decoded text
        length = 0
        for line in range(1, lines.line_count + 1):
            content = "" if line in blanked else lines.line_text(line).replace("\0", "\ufffd")
            self._norm_starts.append(length)
            self._orig_starts.append(lines.line_start(line))
            self._break_ends.append(lines.line_start(line + 1) if line < lines.line_count
                                    else len(text))
            parts.append(content)
            length += len(content)
            if line < lines.line_count:
                parts.append("\n")
                length += 1
        self.text = "".join(parts)

    def offset(self, norm: int) -> int:
        """The decoded offset behind normalized offset ``norm`` (a line break: its first char)."""
        row = bisect.bisect_right(self._norm_starts, norm) - 1
        return self._orig_starts[row] + norm - self._norm_starts[row]

    def break_span(self, norm: int) -> tuple[int, int]:
        """Start and length in the decoded text of the line break at normalized offset ``norm``."""
        row = bisect.bisect_right(self._norm_starts, norm) - 1
        start = self.offset(norm)
        return start, self._break_ends[row] - start


# --------------------------------------------------------------------------------------------
# YAML front matter: only one-line title and description scalars are read


_FENCE_OPEN = "---"
_FENCE_CLOSE = ("---", "...")
_KEY = re.compile(r"(title|description)[ \t]*:(?:[ \t]+|$)")
_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_YAML_HEX = {"x": 2, "u": 4, "U": 8}
# Plain scalars cannot start with these; such values are flow collections, block scalars,
# anchors, tags or reserved, none of them a one-line string.
_PLAIN_FORBIDDEN_START = "[]{}#&*!|>%@`,"
_YAML_COMMENT = re.compile(r"[ \t]#")
_Piece = tuple[str, int, int | None]  # text, source offset, source length (None: linear)


@dataclass
class _FrontMatter:
    lines: range  # 1-based lines from the opening fence to the closing fence, inclusive
    fields: list[tuple[BlockKind, list[_Piece]]] = field(default_factory=list)

    @classmethod
    def find(cls, lines: LineIndex) -> _FrontMatter | None:
        if lines.line_text(1).rstrip() != _FENCE_OPEN:
            return None
        for line in range(2, lines.line_count + 1):
            if lines.line_text(line).rstrip() in _FENCE_CLOSE:
                front = cls(range(1, line + 1))
                front._read_fields(lines, line)
                return front
        return None

    def _read_fields(self, lines: LineIndex, closing: int) -> None:
        for line in range(2, closing):
            body = lines.line_text(line)
            key = _KEY.match(body)
            if key is None or self._continues(lines, line + 1, closing):
                continue
            pieces = _yaml_scalar(body, key.end(), lines.line_start(line))
            if pieces:
                kind = BlockKind.TITLE if key.group(1) == "title" else BlockKind.DESCRIPTION
                self.fields.append((kind, pieces))

    @staticmethod
    def _continues(lines: LineIndex, line: int, closing: int) -> bool:
        """An indented line after a key continues its value: not a one-line scalar."""
        if line >= closing:
            return False
        body = lines.line_text(line)
        return bool(body.strip()) and body[:1] in " \t"

    def emit(self, collector: BlockCollector) -> None:
        for kind, pieces in self.fields:
            builder = BlockBuilder()
            for text, start, length in pieces:
                builder.add(text, start, length)
            block_text, offsets = builder.strip()
            collector.add(block_text, offsets, kind)


def _yaml_scalar(body: str, start: int, base: int) -> list[_Piece] | None:
    """The decoded pieces of a one-line scalar at ``body[start:]``; None if it is not one."""
    first = body[start:start + 1]
    if first == '"':
        return _yaml_quoted(body, start, base, _double_quoted_char)
    if first == "'":
        return _yaml_quoted(body, start, base, _single_quoted_char)
    if not first or first in _PLAIN_FORBIDDEN_START:
        return None
    if first in "-?:" and body[start + 1:start + 2] in ("", " ", "\t"):
        return None  # a sequence entry or a complex key, not a string
    comment = _YAML_COMMENT.search(body, start)
    value = body[start:comment.start() if comment else len(body)].rstrip()
    return [(value, base + start, None)]


_QuotedChar = Callable[[str, int], tuple[str | None, int]]


def _yaml_quoted(body: str, start: int, base: int, read_char: _QuotedChar) -> list[_Piece] | None:
    quote = body[start]
    pieces: list[_Piece] = []
    i = start + 1
    while i < len(body):
        if body[i] == quote and not (quote == "'" and body.startswith("''", i)):
            rest = body[i + 1:].strip()
            return pieces if not rest or rest.startswith("#") else None
        char, width = read_char(body, i)
        if char is None:
            return None
        pieces.append((char, base + i, None if width == 1 and char == body[i] else width))
        i += width
    return None  # the scalar goes on past this line


def _single_quoted_char(body: str, i: int) -> tuple[str | None, int]:
    return ("'", 2) if body.startswith("''", i) else (body[i], 1)


def _double_quoted_char(body: str, i: int) -> tuple[str | None, int]:
    if body[i] != "\\":
        return body[i], 1
    code = body[i + 1:i + 2]
    if code in _YAML_ESCAPES:
        return _YAML_ESCAPES[code], 2
    digits = _YAML_HEX.get(code)
    if digits is None:
        return None, 0
    hex_text = body[i + 2:i + 2 + digits]
    if len(hex_text) != digits or not all(c in "0123456789abcdefABCDEF" for c in hex_text):
        return None, 0
    value = int(hex_text, 16)
    if value > 0x10FFFF:
        return None, 0
    return chr(value), 2 + digits


# --------------------------------------------------------------------------------------------
# The instrumented parser


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.enable("table")
    md.disable("text_join")
    tracked = _TrackedInline()
    # Keep the configured rule chains, whatever attributes this markdown-it version uses.
    tracked.__dict__.update(md.inline.__dict__)
    md.inline = tracked
    for inline_rule in md.inline.ruler.__rules__:
        md.inline.ruler.at(inline_rule.name, _track_inline_rule(inline_rule.fn),
                           {"alt": list(inline_rule.alt)})
    md.inline.ruler2.at("fragments_join", _fragments_join)
    for block_rule in md.block.ruler.__rules__:
        if block_rule.name in _BLOCK_STAMPERS:
            md.block.ruler.at(block_rule.name, _track_block_rule(block_rule.name, block_rule.fn),
                              {"alt": list(block_rule.alt)})
    return md


class _TrackedState(StateInline):
    """StateInline whose pending text remembers the source position of every character.

    The pending text is stored here rather than in the base class, so that every way a rule can
    touch it (``append_pending``, reading or assigning ``pending``) goes through this class.
    """

    def __init__(self, src: str, md: MarkdownIt, env: Any, out_tokens: list[Token]) -> None:
        self._chunks: list[str] = []
        self._flat = ""
        self._pending_at: list[int] = []
        super().__init__(src, md, env, out_tokens)

    def append_pending(self, text: str) -> None:
        self._pending_at.extend(self._positions_here(text))
        self._chunks.append(text)

    @property
    def pending(self) -> str:
        if self._chunks:
            self._flat += "".join(self._chunks)
            self._chunks = []
        return self._flat

    @pending.setter
    def pending(self, value: str) -> None:
        old = self.pending
        if old.startswith(value):
            del self._pending_at[len(value):]  # trimmed, as before a line break
        elif value.startswith(old):
            self._pending_at.extend(self._positions_here(value[len(old):]))
        else:
            self._pending_at = [-1] * len(value)
        self._flat = value

    def pushPending(self) -> Token:
        positions, self._pending_at = self._pending_at, []
        token = super().pushPending()
        token.meta[_POS] = positions
        return token

    def _positions_here(self, text: str) -> Sequence[int]:
        """Pending text always comes from the source at ``pos``; -1 marks a surprise."""
        if self.src.startswith(text, self.pos):
            return range(self.pos, self.pos + len(text))
        return [-1] * len(text)


class _TrackedInline(ParserInline):
    def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        state = _TrackedState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


InlineRule = Callable[[StateInline, bool], bool]
BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _track_inline_rule(fn: InlineRule) -> InlineRule:
    def rule(state: StateInline, silent: bool) -> bool:
        if silent:
            return fn(state, silent)
        start, first_new = state.pos, len(state.tokens)
        matched = fn(state, silent)
        if matched:
            _stamp_inline(state, start, state.pos, state.tokens[first_new:])
        return matched
    return rule


def _stamp_inline(state: StateInline, start: int, end: int, new: list[Token]) -> None:
    cursor = start
    for token in new:
        if _POS in token.meta or _SPAN in token.meta:
            continue  # flushed pending text, or stamped by a nested rule (link labels)
        if token.type == "text":
            # Emphasis and strikethrough push their markers as literal text tokens.
            n = len(token.content)
            if state.src.startswith(token.content, cursor):
                token.meta[_POS] = list(range(cursor, cursor + n))
                cursor += n
            continue
        token.meta[_SPAN] = (start, end)
        if token.type == "image" and token.children:
            # The alt text was parsed on its own from src[start + 2:], after the "![".
            if not state.src.startswith(token.content, start + 2):
                raise _MapError("image alt text is not where the image starts")
            _shift(token.children, start + 2)


def _shift(tokens: list[Token], delta: int) -> None:
    for token in tokens:
        if _POS in token.meta:
            token.meta[_POS] = [p + delta if p >= 0 else p for p in token.meta[_POS]]
        if _SPAN in token.meta:
            s, e = token.meta[_SPAN]
            token.meta[_SPAN] = (s + delta, e + delta)
        if token.type == "image" and token.children:
            _shift(token.children, delta)


def _fragments_join(state: StateInline) -> None:
    """markdown-it's fragments_join (merge adjacent text, fix levels), carrying positions.

    A run of text tokens is joined once at its end: appending token by token would copy the
    growing text and positions again for every token, quadratic in the run ("_a_" x 30,000).
    """
    level = 0
    kept: list[Token] = []
    runs: dict[int, tuple[list[str], list[int]]] = {}  # id(first token) -> texts, positions
    for token in state.tokens:
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
        previous = kept[-1] if kept else None
        if token.type == "text" and previous is not None and previous.type == "text":
            run = runs.get(id(previous))
            if run is None:
                run = runs[id(previous)] = ([previous.content], list(_positions(previous)))
            run[0].append(token.content)
            run[1].extend(_positions(token))
            continue
        kept.append(token)
    for token in kept:
        run = runs.get(id(token))
        if run is not None:
            token.content = "".join(run[0])
            token.meta[_POS] = run[1]
    state.tokens[:] = kept


def _positions(token: Token) -> list[int]:
    """Positions of ``token.content``; -1 where they are unknown.

    Emphasis post-processing empties the content of spare marker tokens (the second ``*`` of
    ``**``), leaving stale positions behind, so positions only count when the lengths agree.
    """
    positions = token.meta.get(_POS)
    if positions is None or len(positions) != len(token.content):
        return [-1] * len(token.content)
    return cast(list[int], positions)


def _track_block_rule(name: str, fn: BlockRule) -> BlockRule:
    stamp = _BLOCK_STAMPERS[name]

    def rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        first_new = len(state.tokens)
        matched = fn(state, start_line, end_line, silent)
        if matched and not silent:
            stamp(state, state.tokens[first_new:])
        return matched
    return rule


def _get_lines(state: StateBlock, begin: int, end: int, indent: int,
               keep_last_lf: bool) -> tuple[str, list[int]]:
    """``StateBlock.getLines`` that also returns the source offset of every character."""
    parts: list[str] = []
    positions: list[int] = []
    for line in range(begin, end):
        line_indent = 0
        line_start = first = state.bMarks[line]
        last = state.eMarks[line] + 1 if line + 1 < end or keep_last_lf else state.eMarks[line]
        while first < last and line_indent < indent:
            ch = state.src[first]
            if ch in " \t":
                if ch == "\t":
                    line_indent += 4 - (line_indent + state.bsCount[line]) % 4
                else:
                    line_indent += 1
            elif first - line_start < state.tShift[line]:
                line_indent += 1
            else:
                break
            first += 1
        if line_indent > indent:
            # Part of a tab was consumed as indentation; the rest shows as spaces.
            pad = line_indent - indent
            parts.append(" " * pad)
            positions.extend([first - 1] * pad)
        piece = state.src[first:last]
        parts.append(piece)
        positions.extend(range(first, first + len(piece)))
    return "".join(parts), positions


def _attach_trimmed(token: Token, raw: str, positions: Sequence[int]) -> None:
    """Store positions for ``token.content``, which markdown-it made by trimming ``raw``."""
    lead = len(raw) - len(raw.lstrip(_TRIM))
    content = token.content
    if raw[lead:lead + len(content)] != content:
        line = token.map[0] if token.map else None
        raise _MapError("block content differs from its source lines", line)
    token.meta[_POS] = list(positions[lead:lead + len(content)])


def _inline_tokens(tokens: list[Token], kind: str = "inline") -> Iterator[Token]:
    return (t for t in tokens if t.type == kind and t.map is not None)


def _stamp_paragraph(state: StateBlock, new: list[Token]) -> None:
    for token in _inline_tokens(new):
        assert token.map is not None
        raw, positions = _get_lines(state, token.map[0], token.map[1], state.blkIndent, False)
        _attach_trimmed(token, raw, positions)


def _stamp_heading(state: StateBlock, new: list[Token]) -> None:
    opening = new[0]
    level = len(opening.markup)
    for token in _inline_tokens(new):
        assert token.map is not None
        line = token.map[0]
        start = state.bMarks[line] + state.tShift[line] + level
        end = state.eMarks[line]
        _attach_trimmed(token, state.src[start:end], range(start, end))


def _stamp_table(state: StateBlock, new: list[Token]) -> None:
    rows: dict[int, list[Token]] = {}
    for token in _inline_tokens(new):
        assert token.map is not None
        rows.setdefault(token.map[0], []).append(token)
    for line, cells in rows.items():
        columns = _table_columns(state, line)
        for i, token in enumerate(cells):
            if i < len(columns):
                _attach_trimmed(token, *columns[i])
            elif token.content:
                raise _MapError("table cell without a source column", line)
            else:
                token.meta[_POS] = []


def _table_columns(state: StateBlock, line: int) -> list[tuple[str, list[int]]]:
    """The table rule's escapedSplit of one row, with positions (``\\|`` drops the backslash)."""
    start = state.bMarks[line] + state.tShift[line]
    row = state.src[start:state.eMarks[line]]
    lead = len(row) - len(row.lstrip(_TRIM))
    row = row.strip(_TRIM)
    columns: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    positions: list[int] = []
    escaped = False
    for i, ch in enumerate(row):
        if ch == "|" and not escaped:
            columns.append(("".join(chars), positions))
            chars, positions = [], []
            continue
        if ch == "|":
            chars.pop()
            positions.pop()
        chars.append(ch)
        positions.append(start + lead + i)
        escaped = ch == "\\"
    columns.append(("".join(chars), positions))
    if columns and columns[0][0] == "":
        columns.pop(0)
    if columns and columns[-1][0] == "":
        columns.pop()
    return columns


def _stamp_html_block(state: StateBlock, new: list[Token]) -> None:
    for token in _inline_tokens(new, "html_block"):
        assert token.map is not None
        raw, positions = _get_lines(state, token.map[0], token.map[1], state.blkIndent, True)
        if raw != token.content:
            raise _MapError("HTML block differs from its source lines", token.map[0])
        token.meta[_POS] = positions


_BLOCK_STAMPERS: dict[str, Callable[[StateBlock, list[Token]], None]] = {
    "paragraph": _stamp_paragraph,
    "lheading": _stamp_paragraph,
    "heading": _stamp_heading,
    "table": _stamp_table,
    "html_block": _stamp_html_block,
}


# --------------------------------------------------------------------------------------------
# From tokens to blocks


_CONTAINER_KINDS = {"list_item_open": BlockKind.LIST_ITEM, "blockquote_open": BlockKind.BLOCKQUOTE}
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")


class _Emitter:
    """Builds one block from inline tokens, turning inline positions into decoded offsets."""

    def __init__(self, source: _NormalizedSource, inline: Token) -> None:
        self.builder = BlockBuilder()
        self._source = source
        self._src = inline.content
        self._base: list[int] = inline.meta[_POS]
        self._after_gap = False

    def text(self, text: str, positions: Sequence[int]) -> None:
        if len(positions) != len(text):
            raise _MapError("text token without positions")
        for ch, at in zip(text, positions, strict=True):
            if self._after_gap:
                if ch.isspace() and (not len(self.builder) or self.builder.ends_with_space()):
                    continue
                self._after_gap = False
            if at < 0:
                raise _MapError("text token with an unknown position")
            self.builder.add(ch, self._source.offset(self._base[at]))

    def special(self, token: Token) -> None:
        """An entity or a backslash escape."""
        start, end = token.meta[_SPAN]
        content = token.content
        if self._src[start:end] == content:
            self.text(content, range(start, end))
        elif token.info == "escape" and self._src[start + 1:end] == content:
            self.text(content, range(start + 1, end))
        else:
            first = self._source.offset(self._base[start])
            last = self._source.offset(self._base[end - 1])
            self._after_gap = False
            self.builder.add(content, first, last + 1 - first)

    def line_break(self, token: Token) -> None:
        """A soft or hard break reads as one space, standing for the line break itself."""
        start, end = token.meta[_SPAN]
        newline = next((i for i in range(start, end) if self._src[i] == "\n"), None)
        if newline is None:
            raise _MapError("line break token without a line break")
        if self.builder.ends_with_space():
            return
        self.builder.add(" ", *self._source.break_span(self._base[newline]))

    def space(self, token: Token) -> None:
        """Inline markup that reads as a space (``<br>``), standing for the whole tag."""
        if not self.builder.ends_with_space():
            start, end = self.span(token)
            self.builder.add(" ", start, end - start)

    def gap(self) -> None:
        """Something was left out here (code, HTML, an image): do not double the spaces."""
        self._after_gap = True

    def span(self, token: Token) -> tuple[int, int]:
        start, end = token.meta[_SPAN]
        return self._source.offset(self._base[start]), self._source.offset(self._base[end - 1]) + 1

    def result(self) -> tuple[str, OffsetMap]:
        return self.builder.strip()


@dataclass
class _Walker:
    path: str
    source: _NormalizedSource
    lines: LineIndex
    collector: BlockCollector
    directives: list[Directive] = field(default_factory=list)
    _containers: list[BlockKind] = field(default_factory=list)
    _row: int | None = None

    def walk(self, tokens: list[Token]) -> None:
        previous: Token | None = None
        for token in tokens:
            self._structure(token)
            if token.type == "inline" and previous is not None:
                self._inline_block(token, previous)
            elif token.type == "html_block":
                self._html_block(token)
            previous = token

    def _structure(self, token: Token) -> None:
        kind = token.type
        if kind in _CONTAINER_KINDS:
            self._containers.append(_CONTAINER_KINDS[kind])
        elif kind in ("list_item_close", "blockquote_close"):
            self._containers.pop()
        elif kind in _LIST_OPEN:
            self.collector.open_list()
        elif kind in _LIST_CLOSE:
            self.collector.close_list()
        elif kind == "tr_open":
            self._row = None

    def _inline_block(self, token: Token, opening: Token) -> None:
        if _POS not in token.meta:
            raise _MapError("inline token without positions",
                            token.map[0] if token.map else None)
        kind, level = self._kind(opening)
        emitter = _Emitter(self.source, token)
        alts: list[tuple[str, OffsetMap]] = []
        self._walk_inline(token.children or [], emitter, token, alts)
        text, offsets = emitter.result()
        cell = kind in (BlockKind.TABLE_CELL, BlockKind.TABLE_HEADER)
        same = self._row if cell else None
        index = self.collector.add(text, offsets, kind, level=level, same_paragraph_as=same)
        if cell and self._row is None:
            self._row = index
        for alt_text, alt_offsets in alts:
            self.collector.add(alt_text, alt_offsets, BlockKind.ALT_TEXT)

    def _kind(self, opening: Token) -> tuple[BlockKind, int]:
        if opening.type == "heading_open":
            return BlockKind.HEADING, int(opening.tag[1:])
        if opening.type == "th_open":
            return BlockKind.TABLE_HEADER, 0
        if opening.type == "td_open":
            return BlockKind.TABLE_CELL, 0
        return (self._containers[-1] if self._containers else BlockKind.PARAGRAPH), 0

    def _walk_inline(self, children: list[Token], emitter: _Emitter, inline: Token,
                     alts: list[tuple[str, OffsetMap]]) -> None:
        in_autolink = False
        for child in children:
            kind = child.type
            if in_autolink:
                in_autolink = kind != "link_close"
            elif kind == "text":
                emitter.text(child.content, _positions(child))
            elif kind == "text_special":
                emitter.special(child)
            elif kind in ("softbreak", "hardbreak"):
                emitter.line_break(child)
            elif kind == "link_open" and child.markup == "autolink":
                # The visible text of <https://...> is the URL itself.
                in_autolink = True
                emitter.gap()
            elif kind == "image":
                alt = _Emitter(self.source, inline)
                self._walk_inline(child.children or [], alt, inline, alts)
                alts.append(alt.result())
                emitter.gap()
            elif kind == "html_inline" and _BR.fullmatch(child.content):
                emitter.space(child)
            elif kind in ("code_inline", "html_inline"):
                if kind == "html_inline":
                    self._inline_comment(child, emitter)
                emitter.gap()

    def _inline_comment(self, token: Token, emitter: _Emitter) -> None:
        content = token.content
        if content.startswith("<!--") and content.endswith("-->"):
            start, end = emitter.span(token)
            self._directive(content[4:-3], start, end)

    def _html_block(self, token: Token) -> None:
        positions: list[int] | None = token.meta.get(_POS)
        if positions is None:
            raise _MapError("HTML block without positions", token.map[0] if token.map else None)
        for first, last in _comments(token.content):
            start = self.source.offset(positions[first])
            end = self.source.offset(positions[last - 1]) + 1
            self._directive(token.content[first + 4:last - 3], start, end)

    def _directive(self, body: str, start: int, end: int) -> None:
        directive = comment_directive(self.path, body, start, end, self.lines)
        if directive is not None:
            self.directives.append(directive)


def _comments(html: str) -> Iterator[tuple[int, int]]:
    """Start and end of each closed ``<!-- ... -->`` comment in ``html``, in one pass.

    (A regex with a lazy body would rescan to the end of the text for every opener that is
    never closed, which is quadratic: "<!--" repeated 30,000 times took seconds.)
    """
    start = html.find(_COMMENT_OPEN)
    while start >= 0:
        close = html.find(_COMMENT_CLOSE, start + len(_COMMENT_OPEN))
        if close < 0:
            return
        end = close + len(_COMMENT_CLOSE)
        yield start, end
        start = html.find(_COMMENT_OPEN, end)
