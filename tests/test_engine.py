"""End-to-end through the library API: positions, suppressions, input errors, extract."""

from __future__ import annotations

from pathlib import Path

from claimlint.config import Settings
from claimlint.documents import read_document
from claimlint.engine import Linter
from claimlint.findings import Severity
from claimlint.registry import Registry


def _lint(linter: Linter, name: str, source: str) -> tuple[str, list]:  # type: ignore[type-arg]
    doc = read_document(name, source.encode("utf-8"))
    return doc.text, linter.lint_documents([doc])


def test_markdown_positions_point_at_source_characters(mini_linter: Linter) -> None:
    source = ("---\ntitle: A post\n---\n\n# Our clinic\n\nWe think **ketamine** is *extremely*\n"
              "safe &amp; well liked.\n")
    text, findings = _lint(mini_linter, "post.md", source)
    (f,) = [f for f in findings if f.rule == "CL001"]
    assert text[f.start_offset:f.end_offset] == "extremely*\nsafe"
    assert (f.line, f.column, f.end_line, f.end_column) == (7, 27, 8, 5)
    assert f.registry_id == "ketamine.safety.extremely-safe"
    assert f.evidence is not None and f.evidence.references[0].id == "test-ref"
    assert f.suggestion and f.severity == Severity.ERROR


def test_html_entities_and_inline_markup_map_exactly(mini_linter: Linter) -> None:
    source = ("<html><head><title>Clinic</title></head><body>\n<p>Ketamine is "
              "<em>not</em> physically&nbsp;addictive &amp; is extremely safe.</p>\n"
              "<script>var s = 'Ketamine is extremely safe';</script></body></html>")
    text, findings = _lint(mini_linter, "page.html", source)
    quoted = sorted(text[f.start_offset:f.end_offset] for f in findings)
    assert quoted == ["extremely safe", "not</em> physically&nbsp;addictive"]
    assert all(f.line == 2 for f in findings)


def test_plain_text_and_hedged_copy_passes(mini_linter: Linter) -> None:
    findings = mini_linter.lint_text(
        "Ketamine infusions may ease CRPS pain for some patients for several weeks; "
        "the evidence is moderate.")
    assert [f for f in findings if f.severity >= Severity.WARNING] == []


def test_suppression_and_unused_suppression(mini_linter: Linter) -> None:
    source = ("<!-- claimlint-disable-next-line CL001 -- quoting a patient -->\n"
              "Ketamine is extremely safe.\n\n"
              "<!-- claimlint-disable-next-line CL102 -->\n"
              "Our clinic opens at nine.\n")
    _, findings = _lint(mini_linter, "post.md", source)
    assert [(f.rule, f.line) for f in findings] == [("CL901", 4)]


def test_input_error_is_reported_and_other_files_still_linted(
        tmp_path: Path, mini_registry: Registry) -> None:
    (tmp_path / "bad.md").write_bytes(b"Ketamine is \xff extremely safe.\n")
    (tmp_path / "good.md").write_text("Ketamine is extremely safe.\n")
    linter = Linter(Settings(root=tmp_path), registry=mini_registry)
    result = linter.lint_paths([str(tmp_path)])
    rules = sorted((Path(f.path).name, f.rule) for f in result.findings)
    assert rules == [("bad.md", "CL900"), ("good.md", "CL001")]
    assert [Path(p).name for p in result.failed_paths] == ["bad.md"]
    (err,) = [f for f in result.findings if f.rule == "CL900"]
    assert (err.line, err.column) == (1, 13) and "0XFF" in err.message.upper()


def test_file_size_limit(tmp_path: Path, mini_registry: Registry) -> None:
    (tmp_path / "big.txt").write_text("Ketamine is extremely safe. " * 100)
    linter = Linter(Settings(root=tmp_path, max_file_size=1000), registry=mini_registry)
    result = linter.lint_paths([str(tmp_path / "big.txt")])
    assert [f.rule for f in result.findings] == ["CL900"]
    assert "max-file-size" in result.findings[0].message


def test_stdin_source(mini_registry: Registry, tmp_path: Path) -> None:
    linter = Linter(Settings(root=tmp_path), registry=mini_registry)
    result = linter.lint_paths(["-"], stdin=b"# Ketamine is extremely safe\n",
                               stdin_filename="posts/new.md")
    assert [(f.path, f.rule, f.line, f.column) for f in result.findings] == [
        ("posts/new.md", "CL001", 1, 15)]


def test_extract_lists_fair_and_unfair_claims(mini_linter: Linter) -> None:
    doc = read_document("x.txt", b"Ketamine is extremely safe. Ketamine blocks NMDA receptors.")
    claims = mini_linter.extract([doc])
    by_topic = {c["topic"]: c for c in claims}
    assert by_topic["safety"]["certainty"] == "boosted"
    assert by_topic["safety"]["registry_id"] == "ketamine.safety.extremely-safe"
    assert by_topic["safety"]["cues"] == [{"category": "booster", "text": "extremely"}]
    assert by_topic["mechanism"]["registry_id"] is None


def test_findings_are_sorted_and_deduplicated(mini_linter: Linter) -> None:
    findings = mini_linter.lint_text(
        "Ketamine is extremely safe, very safe and completely safe.\nKetamine cures nerve pain.")
    assert findings == sorted(findings)
    assert [f.rule for f in findings].count("CL001") == 1


def test_a_hedged_unsupported_claim_is_a_warning(linter: Linter) -> None:
    source = "Ketamine may ease anxiety.\n\nKetamine eases anxiety.\n"
    _, findings = _lint(linter, "post.txt", source)
    hedged, stated = sorted((f for f in findings if f.rule == "CL002"), key=lambda f: f.line)
    assert hedged.severity == Severity.WARNING and "hedged" in hedged.message
    assert stated.severity == Severity.ERROR


class _Fixed:
    """A stand-in classifier that gives every sentence the same score."""

    def __init__(self, score: float) -> None:
        self.score = score

    def scores(self, texts: list[str]) -> list[float]:
        return [self.score] * len(texts)


def _linter_scoring(registry: Registry, score: float) -> Linter:
    return Linter(Settings(root=Path(__file__).resolve().parent.parent), registry=registry,
                  classifier=_Fixed(score))  # type: ignore[arg-type]


def test_a_cure_claim_is_kept_beside_a_likely_overclaim_finding(
        bundled_registry: Registry) -> None:
    # CL110 gives way to any rule's finding and the catch-all entry's findings give way to a
    # specific one; the cure wording must not be lost between the two.
    source = "By blocking those receptors, ketamine erases the pain memory in your nerves.\n"
    _, findings = _lint(_linter_scoring(bundled_registry, 1.0), "post.txt", source)
    assert [f.rule for f in findings] == ["CL103"]


def test_fair_reading_demotes_only_the_catch_all_entrys_warning(
        bundled_registry: Registry) -> None:
    # The catch-all entry judges wording, which the classifier reads; a condition entry is
    # curated evidence, and an unsupported claim softened to a warning by its hedge is still
    # unsupported.
    source = ("Ketamine infusions bring real relief.\n\nKetamine infusions relieve CRPS pain.\n\n"
              "Ketamine may ease anxiety.\n")
    _, findings = _lint(_linter_scoring(bundled_registry, 0.0), "post.txt", source)
    by_line = {f.line: f for f in findings}
    assert (by_line[1].registry_id, by_line[1].severity) == (
        "ketamine.efficacy.unspecified", Severity.INFO)
    assert "classifier" in by_line[1].message
    assert (by_line[3].rule, by_line[3].severity) == ("CL003", Severity.WARNING)
    assert (by_line[5].rule, by_line[5].severity) == ("CL002", Severity.WARNING)


def test_fair_reading_softens_an_error_to_a_warning_but_not_an_inherited_one(
        bundled_registry: Registry) -> None:
    # An error needs the rules and the classifier to agree; an FAQ answer's words ("Never.")
    # are not the claim, and a short sentence's score is mostly the model's prior, so a low
    # score on either says nothing.
    source = ("# Ketamine\n\nAt our clinic, ketamine is FDA-approved for chronic pain.\n\n"
              "## Is ketamine addictive?\n\nNever.\n\nKetamine is FDA-approved for pain.\n")
    for score, severity in ((0.0, Severity.WARNING), (0.5, Severity.ERROR)):
        _, findings = _lint(_linter_scoring(bundled_registry, score), "post.md", source)
        by_line = {f.line: f for f in findings}
        assert (by_line[3].rule, by_line[3].severity) == ("CL005", severity)
        assert ("like fair copy" in by_line[3].message) == (severity == Severity.WARNING)
        assert by_line[7].severity == Severity.ERROR
        assert (by_line[9].rule, by_line[9].severity) == ("CL005", Severity.ERROR)
