"""`claimlint eval`: segmentation, label validation, scoring and the command itself."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimlint.cli import main
from claimlint.errors import UsageError
from claimlint.evaluate import load_post, score, segment_text
from claimlint.findings import Finding, Severity

POST = ("# Ketamine at our clinic\n\n"
        "Ketamine is extremely safe. Ketamine infusions may ease CRPS pain for some patients "
        "for several weeks; the evidence is moderate.\n\n"
        "Ketamine regenerates damaged nerves.\n")


def _labels(text: str, truth: dict[int, tuple[bool, list[str]]]) -> dict[str, Any]:
    segments = []
    for i, (s, e) in enumerate(segment_text(text)):
        claim, categories = truth.get(i, (False, []))
        segments.append({"start": s, "end": e, "text": text[s:e], "claim": claim or bool(
            categories), "overclaim": bool(categories), "categories": categories,
            "confidence": "high"})
    return {"post": "a.md", "domain": "ketamine", "therapy": "ketamine", "segments": segments}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "posts").mkdir()
    (tmp_path / "labels").mkdir()
    (tmp_path / "posts" / "a.md").write_text(POST)
    labels = _labels(POST, {1: (True, ["SAFETY_ABSOLUTE"]), 2: (True, []),
                            3: (True, ["MECHANISM_UNPROVEN"])})
    (tmp_path / "labels" / "a.md.json").write_text(json.dumps(labels))
    (tmp_path / "split.json").write_text(json.dumps({"dev": ["a.md"], "test": []}))
    return tmp_path


def test_segments_tile_the_text() -> None:
    bounds = segment_text(POST)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(POST)
    assert all(a[1] == b[0] for a, b in pairwise(bounds))
    assert [POST[s:e].strip() for s, e in bounds][:3] == [
        "# Ketamine at our clinic", "Ketamine is extremely safe.",
        "Ketamine infusions may ease CRPS pain for some patients for several weeks; the "
        "evidence is moderate."]


def test_labels_are_validated(corpus: Path) -> None:
    path = corpus / "labels" / "a.md.json"
    data = json.loads(path.read_text())
    data["segments"][1]["start"] += 1
    path.write_text(json.dumps(data))
    with pytest.raises(UsageError, match="does not start where the last ended"):
        load_post(corpus, "a.md", "dev")


def test_unknown_category_is_refused(corpus: Path) -> None:
    path = corpus / "labels" / "a.md.json"
    data = json.loads(path.read_text())
    data["segments"][1]["categories"] = ["MADE_UP"]
    path.write_text(json.dumps(data))
    with pytest.raises(UsageError, match="unknown categories"):
        load_post(corpus, "a.md", "dev")


def _finding(start: int, end: int, rule: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(path="a.md", line=1, column=1, rule=rule, end_line=1, end_column=1,
                   name=rule, severity=severity, message="", start_offset=start,
                   end_offset=end, topic="safety")


def test_score_counts_overlaps(corpus: Path) -> None:
    post = load_post(corpus, "a.md", "dev")
    safe = POST.index("extremely safe")
    hedged = POST.index("may ease")
    report = score([post], {"a.md": [
        _finding(safe, safe + 14, "CL101"),
        _finding(hedged, hedged + 8, "CL003", Severity.ERROR),
        _finding(0, 5, "CL201", Severity.INFO),  # info never counts as flagged
    ]})
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 1)
    assert report.by_category["SAFETY_ABSOLUTE"].recall == 1.0
    assert report.by_category["MECHANISM_UNPROVEN"].recall == 0.0
    assert report.by_rule["CL003"].precision == 0.0
    assert [e["kind"] for e in report.errors] == ["false positive", "false negative"]
    assert len(report.fair_errors) == 1


def test_eval_command_end_to_end(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["eval", str(corpus), "--format", "json",
                                       "--registry", str(Path(__file__).parent / "data" /
                                                         "mini_registry"),
                                       "--no-bundled-registry"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["tp"] == 2 and data["overall"]["fp"] == 0
    assert data["overall"]["precision"] == 1.0 and data["overall"]["recall"] == 1.0
    text = CliRunner().invoke(main, ["eval", str(corpus), "--split", "dev"]).output
    assert "all (high confidence)" in text and "mistakes" in text


def test_eval_names_a_missing_label_file(corpus: Path) -> None:
    (corpus / "labels" / "a.md.json").unlink()
    result = CliRunner().invoke(main, ["eval", str(corpus)])
    assert result.exit_code == 2
    assert "a.md.json" in result.output and "no label file" in result.output
