"""HTML reader on the standard library's tokenizer, with an exact map back to the source.

``html.parser.HTMLParser`` is the tokenizer BeautifulSoup itself uses for its "html.parser"
builder; used directly with ``convert_charrefs=False`` it reports every run of text and every
character or entity reference as a separate event, and ``getpos()`` says where each event
starts. That is what makes the map exact: a text run maps one to one, and a reference maps
atomically onto its whole ``&...;`` span. Attribute values (alt, title, the meta description)
arrive already decoded, so their positions come from lexing the raw start tag
(``get_starttag_text()``) from the tag's own start offset; that parses the tag, it does not
look for the value anywhere in the document.

Structure is rebuilt from a small stack of open block and container elements. Like a browser,
the reader closes what a new element implies (a ``<p>`` ends at the next block element, an
``<li>`` at the next ``<li>``), so unclosed tags do not merge blocks.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from claimlint.documents.directives import comment_directive
from claimlint.documents.model import BlockCollector, BlockKind, Directive, Document
from claimlint.documents.offsets import BlockBuilder, LineIndex, OffsetMap
from claimlint.errors import DocumentError

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = {
    **{h: BlockKind.HEADING for h in _HEADINGS},
    "p": BlockKind.PARAGRAPH,
    "li": BlockKind.LIST_ITEM,
    "td": BlockKind.TABLE_CELL,
    "th": BlockKind.TABLE_HEADER,
    "dt": BlockKind.PARAGRAPH,
    "dd": BlockKind.PARAGRAPH,
    "blockquote": BlockKind.BLOCKQUOTE,
    "figcaption": BlockKind.PARAGRAPH,
    "caption": BlockKind.PARAGRAPH,
    "summary": BlockKind.PARAGRAPH,
    "title": BlockKind.TITLE,
}
# Text sitting directly in these is a paragraph of its own.
_CONTAINERS = frozenset({
    "html", "head", "body", "div", "section", "article", "main", "header", "footer", "nav",
    "aside", "ul", "ol", "menu", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure", "form",
    "fieldset", "details", "address", "hgroup", "center",
})
_SKIP = frozenset({
    "script", "style", "code", "pre", "noscript", "template", "svg", "math", "textarea",
})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
_LISTS = frozenset({"ul", "ol", "menu"})
# Elements whose title attribute is metadata about the page, not copy a visitor reads.
_NO_TITLE_TEXT = frozenset({"link", "base", "meta"})
# Block-level start tags that end an open <p>, as in the HTML parsing algorithm.
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "main", "menu", "nav",
    "ol", "p", "pre", "section", "table", "ul", "summary",
}) | _HEADINGS
_P_SCOPE = frozenset({"table", "td", "th", "caption", "button", "template", "html"})

_WHITESPACE = " \t\n\r\f"
# Open elements deeper than this are read as inline markup, as browsers cap tree depth (Blink
# at 512): every start and end tag looks through the stack, so unbounded nesting ("<div>" x
# 100,000) would take quadratic time.
MAX_DEPTH = 256
# The reference syntax html.unescape() applies (minus a CR, which it would only carry along), so
# each reference decodes the same way alone as in context.
_TEXT_RUN = re.compile(
    r"[ \t\n\r\f]+|&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\r\f <&#;]{1,32};?)|[^ \t\n\r\f&]+|&")
_TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")


def parse_html(path: str, text: str) -> Document:
    lines = LineIndex(text)
    extractor = _Extractor(path, text, lines)
    extractor.run()
    directives = sorted(extractor.directives, key=lambda d: d.start_offset)
    return Document(path, text, "html", extractor.collector.blocks, directives, _lines=lines)


def _implied_closes(tag: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """What a start tag implicitly closes, and the elements that stop that search."""
    if tag == "li":
        return frozenset({"li", "p"}), frozenset({"ul", "ol", "menu", "table"})
    if tag in ("dt", "dd"):
        return frozenset({"dt", "dd", "p"}), frozenset({"dl", "table"})
    if tag in ("td", "th"):
        return frozenset({"td", "th"}), frozenset({"tr", "table"})
    if tag == "tr":
        return frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})
    if tag in ("thead", "tbody", "tfoot"):
        return frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})
    if tag in _HEADINGS:
        return frozenset({"p"}) | _HEADINGS, _P_SCOPE
    if tag in _CLOSES_P:
        return frozenset({"p"}), _P_SCOPE
    return None


def _attributes(raw_tag: str) -> dict[str, tuple[str, int]]:
    """Attribute name -> (raw value, offset of the value in ``raw_tag``); the first one wins."""
    found: dict[str, tuple[str, int]] = {}
    name = _TAG_NAME.match(raw_tag)
    k = name.end() if name else len(raw_tag)
    while (m := _ATTRIBUTE.match(raw_tag, k)) and m.end() > k:
        k = m.end()
        if not m.group(2):
            continue
        value, start = m.group(3), m.start(3)
        if len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]:
            value, start = value[1:-1], start + 1
        found.setdefault(m.group(1).lower(), (value, start))
    return found


def _add_space(builder: BlockBuilder, start: int, length: int = 1) -> None:
    if len(builder) and not builder.ends_with_space():
        builder.add(" ", start, length)


def _add_html_text(builder: BlockBuilder, raw: str, start: int) -> None:
    """Append source text ``raw`` found at ``start``: references decoded, white space collapsed."""
    for run in _TEXT_RUN.finditer(raw):
        piece, at = run.group(), start + run.start()
        if piece[0] in _WHITESPACE:
            _add_space(builder, at)
        elif piece[0] != "&":
            builder.add(piece, at)
        else:
            _add_reference(builder, piece, at)


def _add_reference(builder: BlockBuilder, raw: str, start: int) -> None:
    decoded = html.unescape(raw)
    if decoded == raw:
        builder.add(raw, start)  # not a reference after all (AT&T, &bogus;)
        return
    # A legacy reference without ";" decodes only its known prefix ("&ampfoo" -> "&foo"); the
    # rest stays as written and maps one to one.
    keep = _common_suffix(raw, decoded, limit=len(decoded) - 1)
    head = decoded[:len(decoded) - keep]
    if all(c in _WHITESPACE for c in head):
        _add_space(builder, start, len(raw) - keep)
    else:
        builder.add(head, start, len(raw) - keep)
    if keep:
        builder.add(raw[-keep:], start + len(raw) - keep)


def _common_suffix(a: str, b: str, limit: int) -> int:
    n = 0
    while n < limit and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


@dataclass(frozen=True)
class _Open:
    tag: str
    role: str  # "block" | "container" | "skip"
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0


class _Extractor(HTMLParser):
    def __init__(self, path: str, text: str, lines: LineIndex) -> None:
        super().__init__(convert_charrefs=False)
        self.path = path
        self.text = text
        self.lines = lines
        self.collector = BlockCollector()
        self.directives: list[Directive] = []
        # getpos() counts lines by "\n" alone, whatever the file's line endings.
        self._newline_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._stack: list[_Open] = []
        self._open: Counter[str] = Counter()  # tag -> how many are on the stack
        self._too_deep: Counter[str] = Counter()  # tag -> start tags not pushed (MAX_DEPTH)
        self._skipping = 0
        self._block: BlockBuilder | None = None
        self._block_kind = BlockKind.PARAGRAPH
        self._block_level = 0
        self._side: list[tuple[str, OffsetMap]] = []
        self._row: int | None = None

    def run(self) -> None:
        self.feed(self.text)
        # The tokenizer pauses at some malformed references ("&#;") as if waiting for more
        # input, and close() would then flush the rest as plain text; feeding nothing resumes.
        while self.rawdata:
            left = len(self.rawdata)
            self.feed("")
            if len(self.rawdata) >= left:
                break
        self._end_of_file()
        self.close()
        self._flush()
        self._pop_to(0)

    def _end_of_file(self) -> None:
        """Markup still open at the end of the file ("<a href='...", "<!-- ..." never closed)
        runs to the end, as in a browser: it shows no text, and an open comment is still a
        comment. close() would instead emit its "<" as text and parse what follows again,
        rescanning to the end of the file for every "<" left: quadratic time."""
        rest = self.rawdata
        if len(rest) < 2 or not rest.startswith("<") or self.cdata_elem is not None:
            return
        if rest.startswith("<!--"):
            self.handle_comment(rest[4:])
        self.rawdata = ""

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            # Browsers read an unknown "<![...>" as a bogus comment; the stdlib tokenizer
            # gives up with an AssertionError instead.
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    # -- tokenizer events ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, self._here(), self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, self._here(), self.get_starttag_text() or "")
        if tag not in _VOID:
            self._end(tag)

    def handle_endtag(self, tag: str) -> None:
        self._end(tag)

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        start = self._here()
        self._check_source(data, start)
        if self._block is None and not data.strip(_WHITESPACE):
            return
        _add_html_text(self._ensure_block(), data, start)

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

    def handle_comment(self, data: str) -> None:
        start = self._here()
        if not self.text.startswith("<!--", start):
            return  # a bogus comment such as <!x>, not one a directive can live in
        after = start + 4 + len(data)
        end = after
        for closer in ("-->", "--!>"):
            if self.text.startswith(closer, after):
                end = after + len(closer)
                break
        directive = comment_directive(self.path, data, start, end, self.lines)
        if directive is not None:
            self.directives.append(directive)

    # -- structure ----------------------------------------------------------------------------

    def _start(self, tag: str, start: int, raw: str) -> None:
        if self._skipping:
            if tag in _SKIP and tag not in _VOID:
                self._push(_Open(tag, "skip"))
            return
        self._close_implied(tag)
        if tag in _SKIP:
            if tag == "pre":
                self._flush()  # a block of its own: the text around it does not run on
            self._push(_Open(tag, "skip"))
            return
        self._check_source(raw, start)
        attrs = _attributes(raw)
        if tag == "meta":
            self._meta(attrs, start)
            return
        if tag in _BLOCKS or tag in _CONTAINERS or tag == "hr":
            self._flush()
        self._attribute_blocks(tag, attrs, start)
        if tag == "br":
            if self._block is not None:
                _add_space(self._block, start, len(raw))
        elif tag in _BLOCKS:
            level = int(tag[1]) if tag in _HEADINGS else 0
            self._push(_Open(tag, "block", self._kind_for(tag), level))
        elif tag in _CONTAINERS:
            self._push(_Open(tag, "container"))

    def _end(self, tag: str) -> None:
        if self._too_deep[tag] and not self._skipping:
            self._too_deep[tag] -= 1  # closes an element that was too deep to be pushed
            return
        index = self._find(tag)
        if index is None:
            return
        if self._skipping and self._stack[index].role != "skip":
            return  # inside <pre>, <svg>...: only their own end tags count
        if any(entry.role != "skip" for entry in self._stack[index:]):
            self._flush()  # leaving inline <code> does not end the sentence around it
        self._pop_to(index)

    def _kind_for(self, tag: str) -> BlockKind:
        if tag != "p":
            return _BLOCKS[tag]
        # A paragraph inside a list item, cell or quote is part of that item, cell or quote.
        for entry in reversed(self._stack):
            if entry.role == "block":
                if entry.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_CELL, BlockKind.TABLE_HEADER,
                                  BlockKind.BLOCKQUOTE):
                    return entry.kind
                break
        return BlockKind.PARAGRAPH

    def _close_implied(self, tag: str) -> None:
        rule = _implied_closes(tag)
        if rule is None:
            return
        closes, bounds = rule
        if not any(self._open[tag] for tag in closes):
            return
        target: int | None = None
        for i in range(len(self._stack) - 1, -1, -1):
            entry_tag = self._stack[i].tag
            if entry_tag in bounds:
                break
            if entry_tag in closes:
                target = i
        if target is not None:
            self._flush()
            self._pop_to(target)

    def _find(self, tag: str) -> int | None:
        if not self._open[tag]:
            return None
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i].tag == tag:
                return i
        return None

    def _push(self, entry: _Open) -> None:
        if len(self._stack) >= MAX_DEPTH and entry.role != "skip":
            self._too_deep[entry.tag] += 1
            return
        self._stack.append(entry)
        self._open[entry.tag] += 1
        if entry.role == "skip":
            self._skipping += 1
        elif entry.tag in _LISTS:
            self.collector.open_list()
        elif entry.tag == "tr":
            self._row = None

    def _pop_to(self, index: int) -> None:
        while len(self._stack) > index:
            entry = self._stack.pop()
            self._open[entry.tag] -= 1
            if entry.role == "skip":
                self._skipping -= 1
            elif entry.tag in _LISTS:
                self.collector.close_list()
            elif entry.tag in ("tr", "table"):
                self._row = None

    # -- blocks -------------------------------------------------------------------------------

    def _ensure_block(self) -> BlockBuilder:
        if self._block is None:
            self._block = BlockBuilder()
            self._block_kind, self._block_level = BlockKind.PARAGRAPH, 0
            for entry in reversed(self._stack):
                if entry.role == "block":
                    self._block_kind, self._block_level = entry.kind, entry.level
                    break
        return self._block

    def _flush(self) -> None:
        if self._block is not None:
            text, offsets = self._block.strip()
            self._block = None
            cell = self._block_kind in (BlockKind.TABLE_CELL, BlockKind.TABLE_HEADER)
            index = self.collector.add(text, offsets, self._block_kind, level=self._block_level,
                                       same_paragraph_as=self._row if cell else None)
            if cell and self._row is None:
                self._row = index
        for text, offsets in self._side:
            self.collector.add(text, offsets, BlockKind.ALT_TEXT)
        self._side.clear()

    def _attribute_blocks(self, tag: str, attrs: dict[str, tuple[str, int]], start: int) -> None:
        names = ["alt"] if tag == "img" else []
        if tag not in _NO_TITLE_TEXT:
            names.append("title")
        for name in names:
            if name in attrs:
                value, at = attrs[name]
                builder = BlockBuilder()
                _add_html_text(builder, value, start + at)
                self._side.append(builder.strip())
        if self._block is None:
            self._flush()  # nothing open to wait for: emit them now

    def _meta(self, attrs: dict[str, tuple[str, int]], start: int) -> None:
        name = html.unescape(attrs.get("name", ("", 0))[0]).strip().lower()
        if name != "description" or "content" not in attrs:
            return
        value, at = attrs["content"]
        builder = BlockBuilder()
        _add_html_text(builder, value, start + at)
        self._flush()
        text, offsets = builder.strip()
        self.collector.add(text, offsets, BlockKind.DESCRIPTION)

    def _reference(self, raw: str) -> None:
        if self._skipping:
            return
        start = self._here()
        if self.text.startswith(";", start + len(raw)):
            raw += ";"
        self._check_source(raw, start)
        _add_html_text(self._ensure_block(), raw, start)

    # -- positions ----------------------------------------------------------------------------

    def _here(self) -> int:
        line, column = self.getpos()
        return self._newline_starts[line - 1] + column

    def _check_source(self, piece: str, start: int) -> None:
        """The tokenizer hands back source slices; anything else would break the map."""
        if not self.text.startswith(piece, start):
            line, column = self.lines.position(start)
            raise DocumentError("cannot map HTML text back to the source; please report this "
                                "file", path=self.path, line=line, column=column)
