"""Source maps: extracted-text offsets -> source offsets -> 1-based line and column.

Extractors never search for text to locate it. While they build a block they record, for each
run of extracted characters, where that run came from in the decoded source. A run is either
*linear* (one extracted character per source character, e.g. plain prose) or *atomic* (the
extracted characters stand for a whole source span, e.g. ``&amp;`` -> ``&``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    text_start: int
    text_len: int
    src_start: int
    src_len: int

    @property
    def linear(self) -> bool:
        return self.text_len == self.src_len


@dataclass(frozen=True)
class OffsetMap:
    """Maps character offsets of an extracted block to offsets in the decoded source."""

    segments: tuple[Segment, ...]
    _starts: tuple[int, ...] = field(repr=False, compare=False)

    @classmethod
    def from_segments(cls, segments: list[Segment]) -> OffsetMap:
        return cls(tuple(segments), tuple(s.text_start for s in segments))

    @classmethod
    def identity(cls, src_start: int, length: int) -> OffsetMap:
        return cls.from_segments([Segment(0, length, src_start, length)] if length else [])

    def _segment(self, i: int) -> Segment:
        idx = bisect_right(self._starts, i) - 1
        if idx < 0 or not self.segments:
            raise IndexError(f"offset {i} is outside the mapped text")
        return self.segments[max(0, idx)]

    def source_start(self, i: int) -> int:
        """Source offset of the first source character behind extracted character ``i``."""
        seg = self._segment(i)
        if seg.linear:
            return seg.src_start + min(i - seg.text_start, seg.text_len - 1)
        return seg.src_start

    def source_end(self, end: int) -> int:
        """Source offset just past the source characters behind extracted ``[.., end)``."""
        if end <= 0:
            return self.source_start(0)
        seg = self._segment(end - 1)
        if seg.linear:
            return seg.src_start + min(end - seg.text_start, seg.text_len)
        return seg.src_start + seg.src_len

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            s = self.source_start(start)
            return s, s
        return self.source_start(start), self.source_end(end)

    def slice(self, start: int, end: int) -> OffsetMap:
        """The map of extracted characters ``[start, end)``, counted from ``start``."""
        first = max(0, bisect_right(self._starts, start) - 1)
        segs: list[Segment] = []
        for seg in self.segments[first:]:
            if seg.text_start >= end:
                break
            s0, s1 = max(seg.text_start, start), min(seg.text_start + seg.text_len, end)
            if s1 <= s0:
                continue
            if seg.linear:
                segs.append(Segment(s0 - start, s1 - s0, seg.src_start + (s0 - seg.text_start),
                                    s1 - s0))
            else:
                segs.append(Segment(s0 - start, s1 - s0, seg.src_start, seg.src_len))
        return OffsetMap.from_segments(segs)


class BlockBuilder:
    """Accumulates extracted text together with its source map."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segments: list[Segment] = []
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def add(self, text: str, src_start: int, src_len: int | None = None) -> None:
        """Append ``text`` taken from the source at ``src_start``.

        With ``src_len`` omitted the run is linear; otherwise the run stands for
        ``src_len`` source characters as a whole (an entity, an escape, a line break).
        """
        if not text:
            return
        n = len(text)
        length = n if src_len is None else src_len
        last = self._segments[-1] if self._segments else None
        if (
            last is not None
            and last.linear
            and length == n
            and last.src_start + last.src_len == src_start
            and last.text_start + last.text_len == self._len
        ):
            self._segments[-1] = Segment(last.text_start, last.text_len + n, last.src_start,
                                         last.src_len + n)
        else:
            self._segments.append(Segment(self._len, n, src_start, length))
        self._parts.append(text)
        self._len += n

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def ends_with_space(self) -> bool:
        return bool(self._parts) and self._parts[-1][-1:].isspace()

    def build(self) -> tuple[str, OffsetMap]:
        return self.text, OffsetMap.from_segments(self._segments)

    def strip(self) -> tuple[str, OffsetMap]:
        """The block with leading and trailing white space removed, map adjusted."""
        text, omap = self.build()
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if left == 0 and right == len(text):
            return text, omap
        if right <= left:
            return "", OffsetMap.from_segments([])
        return text[left:right], omap.slice(left, right)


class LineIndex:
    """Turns offsets into the decoded source text into 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        starts = [0]
        i = 0
        n = len(text)
        while i < n:
            c = text[i]
            if c == "\n":
                starts.append(i + 1)
            elif c == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                starts.append(i + 1)
            i += 1
        self._starts = starts
        self._text = text

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def line_end(self, line: int) -> int:
        """Offset of the line break ending 1-based ``line`` (the text length on the last line)."""
        if line >= len(self._starts):
            return len(self._text)
        end = self._starts[line] - 1
        if end > 0 and self._text[end] == "\n" and self._text[end - 1] == "\r":
            end -= 1
        return end

    def line_text(self, line: int) -> str:
        """Text of 1-based ``line`` without its line break."""
        return self._text[self.line_start(line):self.line_end(line)]

    def is_blank(self, line: int) -> bool:
        return not self.line_text(line).strip()

    @property
    def line_count(self) -> int:
        return len(self._starts)
