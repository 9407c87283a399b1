"""Measure detection quality on an annotated corpus (`claimlint eval`).

A corpus is a folder with ``posts/`` (Markdown, HTML, text), ``labels/<post>.json`` and
``split.json``. Labels are sentence level: segments that tile the post's decoded text, each
saying whether it makes a health claim, whether the claim is overstated, the overclaim
categories and how confident the annotator is. A segment counts as flagged when a warning or
error finding overlaps it. Precision, recall and F1 are computed over high-confidence segments;
low-confidence ones are reported apart.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimlint.documents import decode
from claimlint.errors import UsageError
from claimlint.findings import Finding, Severity

CATEGORIES = (
    "EFFICACY_OVERSTATED", "SAFETY_ABSOLUTE", "ADDICTION_MINIMIZED", "MECHANISM_UNPROVEN",
    "DURATION_OVERSTATED", "REGULATORY_MISSTATED", "EVIDENCE_OVERSTATED", "STATISTIC_UNSOURCED",
    "COMPARATIVE_UNSUPPORTED", "GUARANTEE",
)
# What each rule's finding says about a sentence, as an annotation category.
RULE_CATEGORIES = {
    "CL101": "SAFETY_ABSOLUTE", "CL102": "ADDICTION_MINIMIZED", "CL103": "GUARANTEE",
    "CL104": "MECHANISM_UNPROVEN", "CL105": "STATISTIC_UNSOURCED",
    "CL106": "EVIDENCE_OVERSTATED", "CL107": "COMPARATIVE_UNSUPPORTED",
    "CL108": "DURATION_OVERSTATED", "CL109": "EFFICACY_OVERSTATED",
    "CL111": "REGULATORY_MISSTATED",
    "CL005": "REGULATORY_MISSTATED",
}
TOPIC_CATEGORIES = {
    "efficacy": "EFFICACY_OVERSTATED", "safety": "SAFETY_ABSOLUTE",
    "addiction": "ADDICTION_MINIMIZED", "mechanism": "MECHANISM_UNPROVEN",
    "duration": "DURATION_OVERSTATED", "regulatory": "REGULATORY_MISSTATED",
    "evidence": "EVIDENCE_OVERSTATED", "statistic": "STATISTIC_UNSOURCED",
    "comparison": "COMPARATIVE_UNSUPPORTED", "eligibility": "EFFICACY_OVERSTATED",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*[ \t]+(?=\S)")


def segment_text(text: str) -> list[tuple[int, int]]:
    """Sentence segments that tile ``text``: split at line ends and sentence ends; white space
    belongs to the segment before it, blank lines to the segment above. Independent of the
    linter's own segmentation, so labels never depend on what the tool does."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        if not line.strip():
            if bounds:
                bounds[-1] = (bounds[-1][0], pos)
            else:
                bounds.append((start, pos))
            continue
        cut = start
        for m in _SENTENCE_END.finditer(line):
            bounds.append((cut, start + m.end()))
            cut = start + m.end()
        bounds.append((cut, pos))
    if not bounds and text:
        bounds.append((0, len(text)))
    return bounds


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    claim: bool
    overclaim: bool
    categories: tuple[str, ...]
    confidence: str
    text: str


@dataclass
class Post:
    name: str
    path: Path
    text: str
    domain: str
    therapy: str
    segments: list[Segment]
    split: str


def _check(cond: bool, message: str, path: Path) -> None:
    if not cond:
        raise UsageError(message, path=str(path))


def load_post(corpus: Path, name: str, split: str) -> Post:
    post_path = corpus / "posts" / name
    label_path = corpus / "labels" / f"{name}.json"
    _check(post_path.is_file(), "post listed in split.json does not exist", post_path)
    _check(label_path.is_file(), "post has no label file", label_path)
    text = decode(str(post_path), post_path.read_bytes())
    raw = json.loads(label_path.read_text("utf-8"))
    _check(raw.get("domain") in ("ketamine", "other"), "domain must be ketamine or other",
           label_path)
    segments = []
    expected_start = 0
    for i, s in enumerate(raw.get("segments", [])):
        where = f"segment {i}"
        _check(s["start"] == expected_start, f"{where} does not start where the last ended",
               label_path)
        _check(s["end"] > s["start"], f"{where} is empty", label_path)
        unknown = set(s.get("categories", ())) - set(CATEGORIES)
        _check(not unknown, f"{where} has unknown categories {sorted(unknown)}", label_path)
        _check(s.get("confidence", "high") in ("high", "low"), f"{where}: bad confidence",
               label_path)
        _check(not s["overclaim"] or s["claim"], f"{where}: an overclaim must be a claim",
               label_path)
        if "text" in s:
            _check(text[s["start"]:s["end"]] == s["text"],
                   f"{where}: text does not match the post at its offsets", label_path)
        segments.append(Segment(s["start"], s["end"], bool(s["claim"]), bool(s["overclaim"]),
                                tuple(s.get("categories", ())), s.get("confidence", "high"),
                                text[s["start"]:s["end"]]))
        expected_start = s["end"]
    _check(expected_start == len(text), "segments do not tile the whole post", label_path)
    return Post(name, post_path, text, raw["domain"], raw.get("therapy", raw["domain"]),
                segments, split)


def load_corpus(corpus: Path, splits: Sequence[str]) -> list[Post]:
    split_file = corpus / "split.json"
    _check(split_file.is_file(), "corpus has no split.json", split_file)
    split = json.loads(split_file.read_text("utf-8"))
    posts: list[Post] = []
    for name in splits:
        _check(name in split, f"split.json has no {name!r} part", split_file)
        posts.extend(load_post(corpus, post, name) for post in split[name])
    return posts


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, flagged: bool) -> None:
        if truth and flagged:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None

    def record(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": _round(self.precision), "recall": _round(self.recall),
                "f1": _round(self.f1)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    low_confidence: Counts = field(default_factory=Counts)
    by_domain: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_category: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_rule: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[dict[str, Any]] = field(default_factory=list)
    fair_errors: list[dict[str, Any]] = field(default_factory=list)
    posts: int = 0
    segments: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "segments": self.segments,
            "overall": self.overall.record(),
            "low_confidence": self.low_confidence.record(),
            "by_domain": {k: v.record() for k, v in sorted(self.by_domain.items())},
            "by_category": {k: v.record() for k, v in sorted(self.by_category.items())},
            "by_rule": {k: v.record() for k, v in sorted(self.by_rule.items())},
            "errors_on_fair_sentences": self.fair_errors,
            "mistakes": self.errors,
        }


def finding_categories(f: Finding) -> set[str]:
    if f.rule in RULE_CATEGORIES:
        return {RULE_CATEGORIES[f.rule]}
    if f.topic in TOPIC_CATEGORIES:
        return {TOPIC_CATEGORIES[f.topic]}
    return set()


def score(posts: Iterable[Post], findings_by_post: dict[str, list[Finding]]) -> Report:
    report = Report()
    for post in posts:
        report.posts += 1
        serious = [f for f in findings_by_post.get(post.name, [])
                   if f.severity >= Severity.WARNING]
        for seg in post.segments:
            report.segments += 1
            hits = [f for f in serious
                    if f.start_offset < seg.end and seg.start < max(f.end_offset,
                                                                    f.start_offset + 1)]
            flagged = bool(hits)
            if seg.confidence == "low":
                report.low_confidence.add(seg.overclaim, flagged)
                continue
            report.overall.add(seg.overclaim, flagged)
            report.by_domain[post.domain].add(seg.overclaim, flagged)
            predicted = set().union(*(finding_categories(f) for f in hits)) if hits else set()
            for category in CATEGORIES:
                # Recall: overclaims labelled with the category that were flagged by any rule.
                # Precision: of the sentences a rule gave the category, the share that are
                # overclaims at all (a safety overclaim reported as a cure claim still counts).
                if seg.overclaim and category in seg.categories:
                    report.by_category[category].add(True, flagged)
                elif category in predicted and not seg.overclaim:
                    report.by_category[category].add(False, True)
            for rule in {f.rule for f in hits}:
                report.by_rule[rule].add(seg.overclaim, True)
            if flagged != seg.overclaim:
                report.errors.append({
                    "kind": "false positive" if flagged else "false negative",
                    "post": post.name, "split": post.split, "domain": post.domain,
                    "start": seg.start, "end": seg.end, "sentence": seg.text.strip(),
                    "categories": list(seg.categories),
                    "rules": sorted({f"{f.rule}:{f.registry_id or f.name}" for f in hits}),
                })
            if not seg.overclaim and any(f.severity == Severity.ERROR for f in hits):
                report.fair_errors.append({"post": post.name, "sentence": seg.text.strip(),
                                           "rules": sorted({f.rule for f in hits})})
    return report


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def render_text(report: Report, title: str) -> str:
    lines = [f"{title}: {report.posts} posts, {report.segments} segments", ""]
    header = f"{'':28} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"

    def row(name: str, c: Counts) -> str:
        return (f"{name:28} {_fmt(c.precision):>6} {_fmt(c.recall):>6} {_fmt(c.f1):>6} "
                f"{c.tp:>5} {c.fp:>5} {c.fn:>5}")

    lines += [header, row("all (high confidence)", report.overall),
              row("low-confidence labels", report.low_confidence)]
    lines += [row(f"domain {k}", v) for k, v in sorted(report.by_domain.items())]
    lines += ["", "by category (recall: overclaims labelled with the category that were flagged; "
              "FP: fair sentences a rule gave the category)", header]
    lines += [row(k, v) for k, v in sorted(report.by_category.items())]
    lines += ["", "by rule (precision: sentences the rule flagged that are overclaims)", header]
    lines += [row(k, v) for k, v in sorted(report.by_rule.items())]
    lines += ["", f"errors on sentences labelled fair: {len(report.fair_errors)}"]
    lines += [f"  {e['post']}: {e['sentence'][:100]} {e['rules']}" for e in report.fair_errors]
    lines += ["", f"mistakes ({len(report.errors)}):"]
    for e in report.errors:
        lines.append(f"  {e['kind']:14} {e['post']}:{e['start']} [{', '.join(e['rules']) or '-'}]"
                     f" {' '.join(e['sentence'].split())[:140]}")
    return "\n".join(lines) + "\n"
