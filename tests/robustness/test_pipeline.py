"""Hostile input through the whole pipeline (readers, spaCy, claims, rules): no crash, no hang,
findings that point inside the file, and the per-file time limit (max-file-seconds)."""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimlint.engine as engine
from claimlint.config import Settings
from claimlint.deadline import TimeLimitExceeded, available, time_limit
from claimlint.documents import read_document
from claimlint.engine import Linter
from claimlint.errors import DocumentError
from claimlint.findings import Finding
from claimlint.registry import Registry

from .conftest import feed, one_input
from .test_readers import MARKUP

PROFILE = settings.get_profile("robustness")
CLAIMS = ["Ketamine is extremely safe and not addictive.", "It cures CRPS in 90% of patients!",
          "Ketamine may help some people with CRPS.", "Our infusions regenerate nerves.",
          "NAD+ drips are clinically proven.", "not", "never", "may", "completely", "(1)",
          "Dr. Ames says", ", and", "; however", "— Dana", "?", "ketamine", "CRPS", "FDA-approved"]
copy = st.lists(st.sampled_from(MARKUP + CLAIMS) | st.text(max_size=6), max_size=50).map(
    "".join)


def check_findings(text: str, path: str, findings: list[Finding]) -> None:
    document = read_document(path, text.encode("utf-8"), "text")  # the same decoded text
    lines = document.lines
    for f in findings:
        assert f.path == path
        assert 0 <= f.start_offset <= f.end_offset <= len(text), f
        if f.rule == "CL900":
            continue
        assert lines.position(f.start_offset) == (f.line, f.column), f
        assert lines.position(f.end_offset) == (f.end_line, f.end_column), f
        assert (f.line, f.column) <= (f.end_line, f.end_column)


def lint(linter: Linter, text: str, kind: str) -> list[Finding]:
    path = f"post.{ {'markdown': 'md', 'html': 'html', 'text': 'txt'}[kind]}"
    try:
        findings = linter.lint_text(text, path=path, kind=kind)
    except DocumentError as err:  # a malformed suppression comment: the file's input error
        assert err.path == path
        return []
    check_findings(text, path, findings)
    return findings


@pytest.mark.parametrize("kind", ["markdown", "html", "text"])
@settings(PROFILE, max_examples=50)
@given(text=copy)
def test_findings_point_inside_the_file(linter: Linter, kind: str, text: str) -> None:
    feed(lint, linter, text, kind)


@settings(PROFILE, max_examples=40)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_through_the_pipeline(linter: Linter, text: str) -> None:
    feed(lint, linter, text, "text")


# Inputs that were quadratic (or worse) in the tokenizer, claims or readers before they were
# bounded: each takes well under a second per 100 kB now.
PATHOLOGICAL = {
    "emoji run": "💊" * 50_000,
    "parenthesis run": "(" * 50_000 + ")" * 50_000,
    "mixed punctuation run": "%$'\".,…“”" * 10_000,
    "one sentence, no full stop": "ketamine cures pain and " * 2_000,
    "negation cues": "not safe, not addictive, " * 2_000,
    "rtl and emoji prose": "Ketamine \u202e cures \u2067 pain שלום 💊. " * 2_000,
    "one long url": "https://example.com/" + "a/" * 50_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_is_linted_in_bounded_time(linter: Linter, name: str) -> None:
    with one_input(limit=15):
        lint(linter, PATHOLOGICAL[name], "text")


def test_one_megabyte_line_is_linted_or_reported_never_hung(
        bundled_registry: Registry, tmp_path: Path) -> None:
    words = ["ketamine", "infusions", "may", "help", "some", "patients", "with", "chronic",
             "pain", "but", "results", "vary", "and", "side", "effects", "are", "common",
             "the", "clinic", "offers", "careful", "monitoring"]
    rnd = random.Random(7)
    line = " ".join(rnd.choice(words) for _ in range(200_000))[:1_000_000]
    linter = Linter(Settings(root=tmp_path, max_file_seconds=3.0), registry=bundled_registry)
    started = time.monotonic()
    with one_input():
        findings = linter.lint_text(line, path="line.txt")
    assert time.monotonic() - started < 15
    check_findings(line, "line.txt", findings)
    if any(f.rule == "CL900" for f in findings):  # over the limit on a slow machine
        (error,) = findings
        assert "max-file-seconds" in error.message and error.path == "line.txt"


# -- the per-file time limit ---------------------------------------------------------------------

needs_alarm = pytest.mark.skipif(not available(), reason="needs SIGALRM in the main thread")


@needs_alarm
def test_time_limit_interrupts_python_code() -> None:
    with one_input(), pytest.raises(TimeLimitExceeded), time_limit(0.2):
        while True:
            pass
    with time_limit(5):
        pass  # disarmed on the way out: no alarm later
    time.sleep(0.3)


@needs_alarm
def test_time_limit_survives_a_swallowed_alarm() -> None:
    """An alarm that lands where its exception cannot propagate (a garbage-collector
    callback reports it as unraisable) rings again until the work stops."""
    with one_input(), pytest.raises(TimeLimitExceeded), time_limit(0.2):
        try:
            while True:
                pass
        except TimeLimitExceeded:
            pass  # swallowed
        while True:
            pass
    time.sleep(0.3)


def _posts(folder: Path, count: int) -> list[str]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"post{i}.md"
        path.write_text(f"# Post {i}\n\nKetamine is completely safe and cures CRPS.\n")
        paths.append(str(path))
    return paths


@needs_alarm
def test_slow_reader_is_reported_and_the_other_files_still_linted(
        bundled_registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _posts(tmp_path / "site", 4)
    real = engine.read_document

    def slow_for_one(path: str, data: bytes, kind: str | None = None) -> object:
        if path.endswith("post2.md"):
            time.sleep(30)
        return real(path, data, kind)

    monkeypatch.setattr(engine, "read_document", slow_for_one)
    linter = Linter(Settings(root=tmp_path, max_file_seconds=0.5), registry=bundled_registry)
    with one_input(count=4, limit=15):
        result = linter.lint_paths([str(tmp_path / "site")])
    slow = paths[2]
    assert result.failed_paths == [slow]
    (error,) = [f for f in result.findings if f.rule == "CL900"]
    assert error.path == slow and "max-file-seconds" in error.message
    for path in paths:
        if path != slow:
            assert any(f.path == path and f.rule != "CL900" for f in result.findings), path


@needs_alarm
def test_file_over_the_time_limit_is_isolated_from_its_batch(
        bundled_registry: Registry, tmp_path: Path) -> None:
    """A large but legal file in a batch of small ones: the batch runs out of time, is linted
    again file by file, and only the large file is reported."""
    paths = _posts(tmp_path / "site", 3)
    big = tmp_path / "site" / "big.md"
    big.write_text("Ketamine is completely safe and cures CRPS. " * 12_000)
    linter = Linter(Settings(root=tmp_path, max_file_seconds=1.0), registry=bundled_registry)
    _ = linter.nlp, linter.classifier  # built before the clock starts, as lint_documents does
    with one_input(count=4):
        result = linter.lint_paths([str(tmp_path / "site")])
    assert result.failed_paths == [str(big)]
    (error,) = [f for f in result.findings if f.path == str(big)]
    # On a loaded machine the second can run out while the big file is still being read, so
    # either stage may be the one named; what matters is that only the big file is reported.
    assert error.rule == "CL900" and "the file took longer than 1 s" in error.message
    for path in paths:
        assert any(f.path == path and f.rule == "CL103" for f in result.findings), path


@needs_alarm
def test_timeouts_are_never_cached(bundled_registry: Registry, tmp_path: Path) -> None:
    from claimlint.cache import FindingCache

    big = tmp_path / "big.txt"
    big.write_text("Ketamine is completely safe and cures CRPS. " * 12_000)
    cache = FindingCache(tmp_path / "cache")
    linter = Linter(Settings(root=tmp_path, max_file_seconds=0.5), registry=bundled_registry,
                    cache=cache)
    with one_input():
        result = linter.lint_paths([str(big)])
    assert result.failed_paths == [str(big)] and cache.writes == 0


def test_max_file_seconds_is_not_part_of_the_cache_key(tmp_path: Path) -> None:
    assert "max_file_seconds" in engine._NOT_IN_CACHE_KEY
    assert {f.name for f in dataclasses.fields(Settings)} >= {"max_file_seconds"}
