"""The Finding value type: the one record every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


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


@dataclass(frozen=True)
class Evidence:
    grade: str
    summary: str
    references: tuple[Reference, ...] = ()
    confidence: str = "high"

    def to_record(self) -> dict[str, Any]:
        return {"grade": self.grade, "summary": self.summary, "confidence": self.confidence,
                "references": [r.to_record() for r in self.references]}


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
        }


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

    def counts(self) -> dict[str, int]:
        out = {str(s): 0 for s in Severity}
        for f in self.findings:
            out[str(f.severity)] += 1
        return out
