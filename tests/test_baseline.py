"""Baselines end to end: ``check --write-baseline FILE`` records, ``--baseline FILE`` hides.

Real posts (fixtures/posts) and the bundled registry; the edits below are the ones a content
team makes: re-wrapping and re-emphasising a paragraph, moving it down the page, rewording a
claim, repeating a sentence.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from claimlint.baseline import (
    BASELINE_VERSION,
    Baseline,
    fingerprint,
    normalise_sentence,
)
from claimlint.findings import Finding, Severity
from workflow_support import (
    CRPS,
    DRIP,
    SAFE_PARAGRAPH,
    check,
    check_json,
    copy_posts,
    edit,
    places,
)

BASELINE = ".claimlint-baseline.json"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy_posts(tmp_path / "site", CRPS, DRIP)
    return tmp_path


def write_baseline(where: Path, *paths: str, target: str = BASELINE) -> str:
    result = check(*(paths or ("site",)), "--write-baseline", target, where=where)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # recording prints no report
    return result.stderr


def test_recorded_findings_are_hidden_and_new_ones_reported(site: Path) -> None:
    _, before = check_json("site", where=site)
    assert len(before["findings"]) > 5
    message = write_baseline(site)
    assert f"recorded {len(before['findings'])} findings from 2 files in {BASELINE}" in message

    result, report = check_json("site", "--baseline", BASELINE, where=site)
    assert (result.exit_code, report["findings"], result.stderr) == (0, [], "")

    # A new overclaim in an already-baselined file is reported, and only it.
    with (site / "site" / DRIP).open("a", encoding="utf-8") as handle:
        handle.write("\nKetamine is extremely safe.\n")
    result, report = check_json("site", "--baseline", BASELINE, where=site)
    assert result.exit_code == 1
    assert [(name, rule) for name, _, rule in places(report)] == [(DRIP, "CL001")]


def test_baseline_file_is_versioned_sorted_readable_and_stable(site: Path) -> None:
    write_baseline(site)
    target = site / BASELINE
    first = target.read_bytes()
    document = json.loads(first)
    assert (document["version"], document["tool"]) == (BASELINE_VERSION, "claimlint")
    entries = document["findings"]
    assert entries and all(list(e) == ["path", "rule", "registry_id", "sentence",
                                       "fingerprint", "count"] for e in entries)
    assert {e["path"] for e in entries} == {f"site/{CRPS}", f"site/{DRIP}"}
    keys = [(e["path"], e["rule"], e["registry_id"] or "", e["sentence"], e["fingerprint"])
            for e in entries]
    assert keys == sorted(keys)
    assert len({e["fingerprint"] for e in entries}) == len(entries)
    assert first.endswith(b"}\n") and not first.endswith(b"\n\n")
    assert not any(name.endswith(".tmp") for name in os.listdir(site))  # no temp left over

    write_baseline(site)
    assert target.read_bytes() == first  # writing twice gives the same bytes


def test_rewrapping_and_moving_a_paragraph_keeps_it_baselined(site: Path) -> None:
    write_baseline(site)
    post = site / "site" / CRPS
    recorded = post.read_text(encoding="utf-8")
    # Re-wrapped over three lines, with emphasis, and pushed down by a new paragraph.
    edit(post, SAFE_PARAGRAPH,
         "Our nurses are with you for the whole infusion.\n\n"
         "Ketamine is *extremely* safe &amp; not addictive\n"
         "in our hands, so you can stop at any time\n"
         "with no   withdrawal.")
    result, report = check_json("site", "--baseline", BASELINE, where=site)
    assert (result.exit_code, report["findings"], result.stderr) == (0, [], "")

    # The baseline written from the re-wrapped copy is the same file.
    before = (site / BASELINE).read_bytes()
    write_baseline(site)
    assert (site / BASELINE).read_bytes() == before
    assert post.read_text(encoding="utf-8") != recorded


def test_editing_the_claim_brings_its_findings_back(site: Path) -> None:
    write_baseline(site)
    post = site / "site" / CRPS
    line = post.read_text(encoding="utf-8").splitlines().index(SAFE_PARAGRAPH) + 1
    edit(post, "Ketamine is extremely safe &amp;", "Ketamine is totally safe &amp;")
    result, report = check_json("site", "--baseline", BASELINE, where=site)
    assert result.exit_code == 1
    assert {(name, number) for name, number, _ in places(report)} == {(CRPS, line)}
    assert {f["rule"] for f in report["findings"]} >= {"CL001"}
    # The old sentence's entries no longer match anything: the run says so, on stderr only.
    stale = len(report["findings"])
    assert f"claimlint: {stale} baselined findings no longer occur; rerun with " \
           "--write-baseline to prune them" in result.stderr

    # --quiet drops the note; rewriting the baseline prunes the stale entries.
    assert check("site", "--baseline", BASELINE, "-q", where=site).stderr == ""
    write_baseline(site)
    result = check("site", "--baseline", BASELINE, where=site)
    assert (result.exit_code, result.stderr) == (0, "")


def test_counts_per_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    post = tmp_path / "site" / "twice.md"
    post.write_text("Ketamine is extremely safe.\n\nKetamine is extremely safe.\n",
                    encoding="utf-8")
    write_baseline(tmp_path)
    (entry,) = json.loads((tmp_path / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert (entry["rule"], entry["count"], entry["sentence"]) == (
        "CL001", 2, "Ketamine is extremely safe.")

    post.write_text("Ketamine is extremely safe.\n\n" * 3, encoding="utf-8")
    _, report = check_json("site", "--baseline", BASELINE, where=tmp_path)
    assert places(report) == [("twice.md", 5, "CL001")]  # the third copy

    post.write_text("Ketamine is extremely safe.\n", encoding="utf-8")
    result, report = check_json("site", "--baseline", BASELINE, where=tmp_path)
    assert report["findings"] == []
    assert "1 baselined finding no longer occurs" in result.stderr


def test_stale_entries_count_only_for_files_linted_or_deleted(site: Path) -> None:
    write_baseline(site)
    result, report = check_json(f"site/{DRIP}", "--baseline", BASELINE, where=site)
    assert (report["findings"], result.stderr) == ([], "")

    recorded = json.loads((site / BASELINE).read_text(encoding="utf-8"))["findings"]
    crps = sum(e["count"] for e in recorded if e["path"] == f"site/{CRPS}")
    (site / "site" / CRPS).unlink()
    result, report = check_json(f"site/{DRIP}", "--baseline", BASELINE, where=site)
    assert report["findings"] == []
    assert f"{crps} baselined findings no longer occur" in result.stderr
    # Rewriting the baseline for the remaining file drops the deleted file's entries.
    write_baseline(site, f"site/{DRIP}")
    assert {e["path"] for e in json.loads((site / BASELINE).read_text())["findings"]} == {
        f"site/{DRIP}"}


def test_writing_for_some_files_keeps_the_other_files_entries(site: Path) -> None:
    write_baseline(site)
    full = (site / BASELINE).read_bytes()
    write_baseline(site, f"site/{DRIP}")
    assert (site / BASELINE).read_bytes() == full


def test_input_errors_are_never_baselined(site: Path) -> None:
    (site / "site" / "broken.md").write_bytes(b"Ketamine is \xff safe.\n")
    message = write_baseline(site)
    assert "site/broken.md could not be read (CL900) and is not in the baseline" in message
    assert "CL900" not in (site / BASELINE).read_text(encoding="utf-8")
    result, report = check_json("site", "--baseline", BASELINE, where=site)
    assert result.exit_code == 2
    assert [(name, rule) for name, _, rule in places(report)] == [("broken.md", "CL900")]


@pytest.mark.parametrize(("content", "says"), [
    (None, "baseline file not found"),
    (b"{\"version\": 1, \"tool\": \"claim", "not valid JSON"),
    (b"\xff\xfe", "cannot read the baseline file"),
    (b'{"name": "my-site", "version": "1.0.0"}', "not a claimlint baseline"),
    (b'{"version": 2, "tool": "claimlint", "findings": []}', "version 2 is not supported"),
    (b'{"version": 1, "tool": "claimlint", "findings": [{"path": "a.md"}]}',
     "malformed baseline entry"),
    (b'{"version": 1, "tool": "claimlint", "findings": {}}', "'findings' must be a list"),
])
def test_unusable_baseline_is_a_usage_error_naming_the_file(
        site: Path, content: bytes | None, says: str) -> None:
    if content is not None:
        (site / "given.json").write_bytes(content)
    result = check("site", "--baseline", "given.json", where=site)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("claimlint: error: given.json")
    assert says in result.stderr
    assert "Traceback" not in result.output


def test_write_baseline_refuses_to_replace_another_file(site: Path) -> None:
    package = site / "package.json"
    package.write_text('{"name": "my-site"}\n', encoding="utf-8")
    result = check("site", "--write-baseline", "package.json", where=site)
    assert result.exit_code == 2
    assert "claimlint: error: package.json: exists and is not a claimlint baseline" \
        in result.stderr
    assert package.read_text(encoding="utf-8") == '{"name": "my-site"}\n'


def test_write_baseline_rewrites_a_conflicted_baseline_and_keeps_its_mode(site: Path) -> None:
    write_baseline(site)
    target = site / BASELINE
    good = target.read_bytes()
    text = good.decode()
    target.write_text("<<<<<<< ours\n" + text + "=======\n" + text + ">>>>>>> theirs\n",
                      encoding="utf-8")
    target.chmod(0o640)
    write_baseline(site)
    assert target.read_bytes() == good
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_conflicting_flags_are_usage_errors(site: Path) -> None:
    for args in (("--write-baseline", "b.json", "--baseline", "a.json"),
                 ("--write-baseline", "b.json", "--staged"),
                 ("--baseline", "a.json", "--no-baseline")):
        result = check("site", *args, where=site)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("claimlint: error: <command line>: ")


def test_baseline_from_the_config_file(site: Path) -> None:
    (site / "lint").mkdir()
    write_baseline(site, target="lint/baseline.json")
    (site / ".claimlint.toml").write_text('baseline = "lint/baseline.json"\n', encoding="utf-8")
    result, report = check_json("site", where=site)
    assert (result.exit_code, report["findings"]) == (0, [])
    result, report = check_json("site", "--no-baseline", where=site)
    assert result.exit_code == 1 and report["findings"]

    (site / "lint" / "baseline.json").unlink()
    result = check("site", where=site)
    assert result.exit_code == 2
    assert "baseline.json: baseline file not found" in result.stderr


# --------------------------------------------------------------------------------------------
# The library API


def _finding(path: str, sentence: str, line: int = 1) -> Finding:
    return Finding(path=path, line=line, column=1, rule="CL101", end_line=line, end_column=5,
                   name="absolute-safety", severity=Severity.ERROR, message="m",
                   start_offset=0, end_offset=4, sentence=sentence)


def test_normalised_sentences() -> None:
    assert normalise_sentence("Ketamine is *extremely*\n  safe.") == "ketamine is extremely safe."
    assert normalise_sentence("ＫＥＴＡＭＩＮＥ  is __\ufb01ne__ `now`") == "ketamine is fine now"
    assert normalise_sentence("Stra\u00dfe") == normalise_sentence("STRASSE")
    assert normalise_sentence("safe") != normalise_sentence("safer")


def test_fingerprints_ignore_lines_but_not_words_files_or_rules(tmp_path: Path) -> None:
    base = fingerprint(_finding(str(tmp_path / "a.md"), "Ketamine is safe.", line=3), tmp_path)
    assert fingerprint(_finding(str(tmp_path / "a.md"), "ketamine  is\n**safe**.", line=40),
                       tmp_path) == base
    assert fingerprint(_finding(str(tmp_path / "b.md"), "Ketamine is safe."), tmp_path) != base
    assert fingerprint(_finding(str(tmp_path / "a.md"), "Ketamine is very safe."),
                       tmp_path) != base
    other_rule = Finding(**{**_finding(str(tmp_path / "a.md"), "Ketamine is safe.").__dict__,
                            "rule": "CL103"})
    assert fingerprint(other_rule, tmp_path) != base


def test_apply_counts_hidden_and_stale(tmp_path: Path) -> None:
    a = str(tmp_path / "a.md")
    Path(a).write_text("One. One. Two.\n", encoding="utf-8")
    recorded = [_finding(a, "One."), _finding(a, "One.", 5), _finding(a, "Two.", 9)]
    baseline = Baseline.from_findings(tmp_path / BASELINE, recorded)
    assert baseline.total == 3 and len(baseline.entries) == 2
    outcome = baseline.apply([_finding(a, "One.", 2), _finding(a, "Three.", 7)], [a])
    assert [f.sentence for f in outcome.findings] == ["Three."]
    assert (outcome.hidden, outcome.stale) == (1, 2)
    assert baseline.apply([], []).stale == 0  # a.md not linted: nothing is stale
    Path(a).unlink()
    assert baseline.apply([], []).stale == 3  # a.md deleted: all of it is
