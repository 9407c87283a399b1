"""The Finding value type: the one record every reporter consumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, TypeVar

_T = TypeVar("_T")


def _field(record: Mapping[str, Any], key: str, kind: type[_T], *,
           optional: bool = False) -> _T | None:
    """``record[key]`` if it has exactly type ``kind`` (None allowed when ``optional``).

    ``from_record`` reads records that came back from disk (the cache), which may be truncated
    or written by another version: a wrong shape must raise, never produce a half-right
    Finding. ``bool`` is an ``int`` subclass, hence the exact type test.
    """
    value = record[key]
    if value is None and optional:
        return None
    if type(value) is not kind:
        raise ValueError(f"{key!r} must be {kind.__name__}, not {type(value).__name__}")
    return value


def _required(record: Mapping[str, Any], key: str, kind: type[_T]) -> _T:
    value = _field(record, key, kind)
    assert value is not None  # _field only returns None when optional
    return value


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (use error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Reference:
    id: str
    citation: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "citation": self.citation, "pmid": self.pmid, "doi": self.doi,
                "url": self.url}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Reference:
        """The inverse of ``to_record``; ValueError/KeyError/TypeError on a malformed record."""
        return cls(id=_required(record, "id", str), citation=_required(record, "citation", str),
                   pmid=_field(record, "pmid", str, optional=True),
                   doi=_field(record, "doi", str, optional=True),
                   url=_field(record, "url", str, optional=True))


@dataclass(frozen=True)
class Evidence:
    grade: str
    summary: str
    references: tuple[Reference, ...] = ()
    confidence: str = "high"

    def to_record(self) -> dict[str, Any]:
        return {"grade": self.grade, "summary": self.summary, "confidence": self.confidence,
                "references": [r.to_record() for r in self.references]}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Evidence:
        """The inverse of ``to_record``; ValueError/KeyError/TypeError on a malformed record."""
        return cls(grade=_required(record, "grade", str),
                   summary=_required(record, "summary", str),
                   references=tuple(Reference.from_record(r)
                                    for r in _required(record, "references", list)),
                   confidence=_required(record, "confidence", str))


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` with ``replacement`` (an insertion when start == end).

    On a Finding the offsets are character offsets into the file's decoded text, like
    ``Finding.start_offset``; on a rule's Violation they are offsets into the claim's block.
    """

    start: int
    end: int
    replacement: str

    def to_record(self) -> dict[str, Any]:
        return {"start_offset": self.start, "end_offset": self.end,
                "replacement": self.replacement}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Edit:
        """The inverse of ``to_record``; ValueError/KeyError/TypeError on a malformed record."""
        start = _required(record, "start_offset", int)
        end = _required(record, "end_offset", int)
        if not 0 <= start <= end:
            raise ValueError("an edit needs 0 <= start_offset <= end_offset")
        return cls(start, end, _required(record, "replacement", str))


@dataclass(frozen=True)
class Fix:
    """A rewording that resolves a finding: one or more non-overlapping edits, applied together.

    ``safe`` fixes (a qualifier the registry requires, or a replacement the registry marks
    safe) are applied by ``--fix``; unsafe ones change what the copy says more and need
    ``--unsafe-fixes``.
    """

    edits: tuple[Edit, ...]
    safe: bool
    message: str

    def to_record(self) -> dict[str, Any]:
        return {"safe": self.safe, "message": self.message,
                "edits": [e.to_record() for e in self.edits]}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Fix:
        """The inverse of ``to_record``; ValueError/KeyError/TypeError on a malformed record."""
        edits = tuple(Edit.from_record(e) for e in _required(record, "edits", list))
        if not edits:
            raise ValueError("a fix needs at least one edit")
        return cls(edits, _required(record, "safe", bool), _required(record, "message", str))

    def applicable(self, unsafe: bool) -> bool:
        """Whether a run with (or without) ``--unsafe-fixes`` applies this fix."""
        return self.safe or unsafe


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Ordered by position, then rule code."""

    path: str
    line: int
    column: int
    rule: str
    end_line: int = field(compare=False)
    end_column: int = field(compare=False)
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    start_offset: int = field(compare=False)
    end_offset: int = field(compare=False)
    sentence: str = field(compare=False, default="")
    registry_id: str | None = field(compare=False, default=None)
    evidence: Evidence | None = field(compare=False, default=None)
    suggestion: str | None = field(compare=False, default=None)
    topic: str | None = field(compare=False, default=None)
    cues: tuple[str, ...] = field(compare=False, default=())
    fix: Fix | None = field(compare=False, default=None)

    def to_record(self) -> dict[str, Any]:
        """The stable JSON contract (see README, "JSON output")."""
        return {
            "path": self.path,
            "rule": self.rule,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start_offset": self.start_offset,
            "end_offset": self.end_offset,
            "sentence": self.sentence,
            "registry_id": self.registry_id,
            "topic": self.topic,
            "cues": list(self.cues),
            "evidence": self.evidence.to_record() if self.evidence else None,
            "suggestion": self.suggestion,
            "fix": self.fix.to_record() if self.fix else None,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Finding:
        """The inverse of ``to_record``: ``Finding.from_record(f.to_record()) == f`` field by
        field. Raises ValueError, KeyError or TypeError on a malformed record."""
        if not isinstance(record, Mapping):
            raise TypeError("a finding record must be a mapping")
        evidence = _field(record, "evidence", dict, optional=True)
        fix = _field(record, "fix", dict, optional=True)
        cues = _required(record, "cues", list)
        if not all(type(c) is str for c in cues):
            raise ValueError("'cues' must be a list of strings")
        return cls(
            path=_required(record, "path", str),
            line=_required(record, "line", int),
            column=_required(record, "column", int),
            rule=_required(record, "rule", str),
            end_line=_required(record, "end_line", int),
            end_column=_required(record, "end_column", int),
            name=_required(record, "name", str),
            severity=Severity.parse(_required(record, "severity", str)),
            message=_required(record, "message", str),
            start_offset=_required(record, "start_offset", int),
            end_offset=_required(record, "end_offset", int),
            sentence=_required(record, "sentence", str),
            registry_id=_field(record, "registry_id", str, optional=True),
            evidence=Evidence.from_record(evidence) if evidence is not None else None,
            suggestion=_field(record, "suggestion", str, optional=True),
            topic=_field(record, "topic", str, optional=True),
            cues=tuple(cues),
            fix=Fix.from_record(fix) if fix is not None else None,
        )


@dataclass(frozen=True)
class ClaimMark:
    """Where one claim sits in its file, for reports that show claims in context.

    Every claim the pipeline found is marked, flagged or not, so a reviewer sees the fair
    copy around an overclaim too.
    """

    start_offset: int
    end_offset: int
    line: int
    topic: str
    certainty: str
    registry_id: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {"start_offset": self.start_offset, "end_offset": self.end_offset,
                "line": self.line, "topic": self.topic, "certainty": self.certainty,
                "registry_id": self.registry_id}


@dataclass(frozen=True)
class SourceView:
    """One linted file's decoded text and its claims (collected only when asked for)."""

    path: str
    text: str
    claims: tuple[ClaimMark, ...] = ()


@dataclass
class LintResult:
    """What one lint run produced, for the reporters and the exit status.

    Input errors (unreadable or undecodable files) are findings too, under rule CL900, so
    every reporter shows them in place; ``failed_paths`` lists those files for exit code 2.
    """

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    failed_paths: list[str] = field(default_factory=list)
    # Filled only by ``Linter.lint_paths(..., keep_sources=True)`` (the HTML report needs it).
    sources: dict[str, SourceView] = field(default_factory=dict)
    # Set by ``check --unsafe-fixes``: reports then count unsafe fixes as applicable too.
    unsafe_fixes: bool = False

    def counts(self) -> dict[str, int]:
        out = {str(s): 0 for s in Severity}
        for f in self.findings:
            out[str(f.severity)] += 1
        return out
