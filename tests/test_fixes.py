"""``claimlint check --fix``, ``--unsafe-fixes`` and ``--diff``, end to end through the CLI.

Every run goes through click's CliRunner on ``claimlint.cli.main`` with the bundled registry,
over copy written here into a fresh temporary folder; nothing is mocked. The fixes come from
the registry's data: ``ketamine.efficacy.crps`` inserts its duration qualifier ("for several
weeks", a safe fix), ``ketamine.evidence.proven`` rewords "research proves" (safe) and
``ketamine.duration.permanent`` rewords "permanently ends CRPS pain" (unsafe).
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from claimlint.findings import Edit, Finding, Fix, Severity
from workflow_support import check

SAFE = "Ketamine infusions can ease CRPS pain."
SAFE_FIXED = "Ketamine infusions can ease CRPS pain for several weeks."
UNSAFE = "Ketamine permanently ends CRPS pain."
UNSAFE_FIXED = "Ketamine may ease CRPS pain for some patients for a few weeks."
PROVES = "Research proves that ketamine works for CRPS."
PROVES_FIXED = "Research suggests that ketamine works for CRPS."


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _report(result: Result) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _rules(report: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(f["rule"], f["registry_id"]) for f in report["findings"]]


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_fix_applies_safe_fixes_only_then_unsafe_on_request(tmp_path: Path) -> None:
    post = _write(tmp_path / "site", "post.md", f"# CRPS\n\n{SAFE}\n\n{UNSAFE}\n")

    result = check("--no-cache", "--format", "json", "--fix", "post.md", where=post.parent)
    # The safe fix (a qualifier the entry requires) is applied; the unsafe rewording is not.
    assert post.read_text("utf-8") == f"# CRPS\n\n{SAFE_FIXED}\n\n{UNSAFE}\n"
    report = _report(result)
    # The fixed file re-lints without that finding; what is left is reported as usual.
    assert ("CL004", "ketamine.efficacy.crps") not in _rules(report)
    left = [f for f in report["findings"] if f["registry_id"] == "ketamine.duration.permanent"]
    assert [f["rule"] for f in left] == ["CL001"]
    fix = left[0]["fix"]
    assert fix["safe"] is False
    assert [e["replacement"] for e in fix["edits"]] == [
        "may ease CRPS pain for some patients for a few weeks"]
    text = post.read_text("utf-8")
    edit = fix["edits"][0]
    assert text[edit["start_offset"]:edit["end_offset"]] == "permanently ends CRPS pain"
    assert "Fixed 1 finding in 1 file (1 more fixable with --unsafe-fixes)." in result.stderr
    assert result.exit_code == 1  # the contradicted claim is still there

    # Idempotent: a second --fix changes nothing.
    before = post.read_bytes()
    again = check("--no-cache", "--format", "json", "--fix", "post.md", where=post.parent)
    assert post.read_bytes() == before
    assert "Fixed 0 findings in 0 files (1 more fixable with --unsafe-fixes)." in again.stderr
    assert _rules(_report(again)) == _rules(report)

    # --unsafe-fixes applies the rewording too, and the page then passes.
    unsafe = check("--no-cache", "--format", "json", "--fix", "--unsafe-fixes", "post.md",
                   where=post.parent)
    assert post.read_text("utf-8") == f"# CRPS\n\n{SAFE_FIXED}\n\n{UNSAFE_FIXED}\n"
    assert [f for f in _report(unsafe)["findings"] if f["severity"] != "info"] == []
    assert "Fixed 1 finding in 1 file." in unsafe.stderr
    assert unsafe.exit_code == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    post = _write(site, "post.md", f"{SAFE}\n\n{UNSAFE}\n")
    clean = _write(site, "clean.md", "Ketamine may ease CRPS pain for some patients for "
                                     "several weeks.\n")
    before = _snapshot(site)
    mtime = post.stat().st_mtime_ns

    result = check("--no-cache", "--diff", ".", where=site)
    assert result.exit_code == 1  # like ruff: 1 when something would change
    assert result.stdout == (
        "--- post.md\n+++ post.md\n@@ -1,3 +1,3 @@\n"
        f"-{SAFE}\n+{SAFE_FIXED}\n \n {UNSAFE}\n")
    assert "Would fix 1 finding in 1 file (1 more fixable with --unsafe-fixes)." in result.stderr
    assert _snapshot(site) == before and post.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in site.iterdir()) == ["clean.md", "post.md"]

    both = check("--no-cache", "--diff", "--unsafe-fixes", "post.md", where=site)
    assert both.exit_code == 1
    assert f"-{UNSAFE}\n+{UNSAFE_FIXED}\n" in both.stdout
    assert f"+{SAFE_FIXED}\n" in both.stdout
    assert _snapshot(site) == before

    nothing = check("--no-cache", "--diff", clean.name, where=site)
    assert (nothing.exit_code, nothing.stdout) == (0, "")
    assert "Would fix 0 findings in 0 files." in nothing.stderr


def test_crlf_line_endings_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    crlf = site / "crlf.txt"
    crlf.write_bytes(f"{SAFE}\r\n\r\n{PROVES}\r\n".encode())
    bom = site / "bom.md"
    bom.write_bytes(codecs.BOM_UTF8 + f"# Evidence\n\n{PROVES}\n\n{SAFE}\n".encode())

    result = check("--no-cache", "--format", "json", "--fix", ".", where=site)
    assert crlf.read_bytes() == f"{SAFE_FIXED}\r\n\r\n{PROVES_FIXED}\r\n".encode()
    assert bom.read_bytes() == codecs.BOM_UTF8 + \
        f"# Evidence\n\n{PROVES_FIXED}\n\n{SAFE_FIXED}\n".encode()
    assert "Fixed 4 findings in 2 files." in result.stderr
    assert [f for f in _report(result)["findings"] if f["severity"] != "info"] == []
    # Idempotent on both.
    before = _snapshot(site)
    check("--no-cache", "--fix", ".", where=site)
    assert _snapshot(site) == before


def test_no_fix_where_an_edit_touches_markup(tmp_path: Path) -> None:
    """An edit next to (or across) Markdown emphasis, an HTML tag or an entity would break the
    markup or land in the wrong place: the finding is reported, without a fix. Text wholly
    inside an emphasised run is plain text and is fixed, markup intact."""
    site = tmp_path / "site"
    _write(site, "emphasis.md",
           "Ketamine infusions can ease *CRPS pain*.\n\n"
           "Research **proves** that ketamine works for CRPS.\n\n"
           "Ketamine permanently ends **CRPS pain**.\n")
    _write(site, "tags.html",
           "<p>Ketamine infusions can ease CRPS <b>pain</b>.</p>\n"
           "<p>Research proves&nbsp;that ketamine works for CRPS.</p>\n")
    inside = _write(site, "inside.md", f"*{UNSAFE}*\n\n**{SAFE}**\n")
    before = _snapshot(site)

    result = check("--no-cache", "--format", "json", "--fix", "--unsafe-fixes", ".", where=site)
    report = _report(result)
    flagged = {(Path(f["path"]).name, f["line"], f["rule"], f["registry_id"]): f["fix"]
               for f in report["findings"]}
    expected = {
        ("emphasis.md", 1, "CL004", "ketamine.efficacy.crps"),
        ("emphasis.md", 3, "CL001", "ketamine.evidence.proven"),
        ("emphasis.md", 5, "CL001", "ketamine.duration.permanent"),
        ("tags.html", 1, "CL004", "ketamine.efficacy.crps"),
        ("tags.html", 2, "CL001", "ketamine.evidence.proven"),
    }
    assert expected <= flagged.keys()
    assert all(flagged[key] is None for key in expected)
    after = _snapshot(site)
    assert {k: v for k, v in after.items() if k != "inside.md"} == \
        {k: v for k, v in before.items() if k != "inside.md"}
    assert inside.read_text("utf-8") == f"*{UNSAFE_FIXED}*\n\n**{SAFE_FIXED}**\n"
    assert "Fixed 2 findings in 1 file." in result.stderr


def test_read_only_file_is_an_error_and_other_files_are_fixed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    writable = _write(site, "a.md", f"{SAFE}\n")
    locked = _write(site, "b.md", f"{SAFE}\n")
    locked.chmod(0o444)
    try:
        result = check("--no-cache", "--format", "json", "--fix", ".", where=site)
        assert result.exit_code == 2
        assert writable.read_text("utf-8") == f"{SAFE_FIXED}\n"
        assert locked.read_text("utf-8") == f"{SAFE}\n"
        assert stat.S_IMODE(locked.stat().st_mode) == 0o444
        assert "b.md: cannot apply fixes: the file is read-only" in result.stderr
        report = _report(result)
        assert report["summary"]["failed_paths"] == ["b.md"]
        assert ("b.md", "CL900") in {(f["path"], f["rule"]) for f in report["findings"]}
        # The unfixed file's finding is still reported; the fixed one's is gone.
        assert [(f["path"], f["rule"]) for f in report["findings"] if f["rule"] == "CL004"] \
            == [("b.md", "CL004")]
        assert "Fixed 1 finding in 1 file." in result.stderr
        assert sorted(p.name for p in site.iterdir()) == ["a.md", "b.md"]
    finally:
        locked.chmod(0o644)


def test_writes_are_atomic_and_keep_permissions(tmp_path: Path) -> None:
    site = tmp_path / "site"
    post = _write(site, "post.txt", f"{SAFE}\n")
    post.chmod(0o640)
    inode = post.stat().st_ino
    check("--no-cache", "--fix", "post.txt", where=site)
    assert post.read_text("utf-8") == f"{SAFE_FIXED}\n"
    assert stat.S_IMODE(post.stat().st_mode) == 0o640
    assert post.stat().st_ino != inode  # a new file renamed into place, not rewritten
    assert sorted(os.listdir(site)) == ["post.txt"]  # no temporary file left behind


def test_stdin_fix_prints_the_fixed_text_and_reports_on_stderr(tmp_path: Path) -> None:
    text = f"{SAFE}\n\n{UNSAFE}\n"
    result = check("--no-cache", "--fix", "-", "--stdin-filename", "draft.md",
                   where=tmp_path, stdin=text.encode())
    assert result.stdout == f"{SAFE_FIXED}\n\n{UNSAFE}\n"
    assert "draft.md:3:10: CL001 Contradicted" in result.stderr
    assert "Fixed 1 finding in 1 file (1 more fixable with --unsafe-fixes)." in result.stderr
    assert result.exit_code == 1
    # Nothing to fix: the input comes back unchanged.
    same = check("--no-cache", "--fix", "-", where=tmp_path, stdin=b"Ketamine is an anaesthetic.")
    assert same.stdout == "Ketamine is an anaesthetic."
    assert list(tmp_path.iterdir()) == []


def test_text_report_marks_fixable_findings(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(site, "post.md", f"{SAFE}\n\n{UNSAFE}\n")
    plain = check("--no-cache", "post.md", where=site)
    assert "post.md:1:24: CL004 [*] Missing required qualifier" in plain.stdout
    assert "post.md:3:10: CL001 Contradicted" in plain.stdout
    assert plain.stdout.rstrip().endswith("[*] 1 fixable with --fix (1 more with --unsafe-fixes).")

    unsafe = check("--no-cache", "--unsafe-fixes", "post.md", where=site)
    assert "post.md:3:10: CL001 [*] Contradicted" in unsafe.stdout
    assert unsafe.stdout.rstrip().endswith("[*] 2 fixable with --fix --unsafe-fixes.")


def test_fix_leaves_baselined_findings_alone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    post = _write(site, "post.md", f"{SAFE}\n")
    recorded = check("--no-cache", "--write-baseline", "baseline.json", "post.md", where=site)
    assert recorded.exit_code == 0
    post.write_text(f"{SAFE}\n\n{PROVES}\n", encoding="utf-8")
    result = check("--no-cache", "--fix", "--baseline", "baseline.json", "post.md", where=site)
    assert post.read_text("utf-8") == f"{SAFE}\n\n{PROVES_FIXED}\n"
    assert "Fixed 1 finding in 1 file." in result.stderr


def test_fix_and_write_baseline_do_not_mix(tmp_path: Path) -> None:
    post = _write(tmp_path, "post.md", f"{SAFE}\n")
    result = check("--fix", "--write-baseline", "b.json", "post.md", where=tmp_path)
    assert result.exit_code == 2
    assert "cannot be combined with --write-baseline" in result.stderr
    assert post.read_text("utf-8") == f"{SAFE}\n"


def test_fixes_survive_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(site, "post.md", f"{SAFE}\n\n{UNSAFE}\n")
    first = check("--format", "json", "post.md", where=site)
    second = check("--format", "json", "post.md", where=site)  # every file from the cache
    assert (site / ".claimlint_cache").is_dir()
    assert first.stdout == second.stdout
    fixes = [f["fix"] for f in _report(second)["findings"]]
    assert fixes == [f["fix"] for f in _report(first)["findings"]]
    assert sum(fix is not None for fix in fixes) == 2  # the safe and the unsafe rewording


@pytest.mark.parametrize("fix", [
    None,
    Fix((Edit(3, 3, " for several weeks"),), safe=True, message='Insert "for several weeks"'),
    Fix((Edit(0, 4, "may"), Edit(9, 9, "x")), safe=False, message="Replace"),
])
def test_finding_record_round_trips_with_its_fix(fix: Fix | None) -> None:
    finding = Finding(path="a.md", line=1, column=1, rule="CL004", end_line=1, end_column=5,
                      name="missing-qualifier", severity=Severity.WARNING, message="m",
                      start_offset=0, end_offset=4, fix=fix)
    record = finding.to_record()
    assert record["fix"] == (fix.to_record() if fix else None)
    back = Finding.from_record(json.loads(json.dumps(record)))
    assert back == finding and back.fix == fix


@pytest.mark.parametrize("bad", [
    {"safe": 1, "message": "m", "edits": [{"start_offset": 0, "end_offset": 0,
                                            "replacement": "x"}]},
    {"safe": True, "message": "m", "edits": []},
    {"safe": True, "message": "m", "edits": [{"start_offset": 5, "end_offset": 2,
                                               "replacement": "x"}]},
    {"safe": True, "edits": [{"start_offset": 0, "end_offset": 0, "replacement": "x"}]},
])
def test_malformed_fix_records_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        Fix.from_record(bad)


def test_fix_text_never_reads_as_markup(tmp_path: Path) -> None:
    """A registry (here a user layer overriding one entry) may word a fix with characters that
    are markup: HTML gets them escaped, Markdown gets no fix."""
    import yaml

    from claimlint.registry import bundled_registry_path

    data = yaml.safe_load((bundled_registry_path() / "statistics-evidence.yaml")
                          .read_text("utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == "ketamine.evidence.proven")
    entry["fixes"] = [{"replace": "research proves", "with": 'research <i>suggests</i> & "hints"',
                       "safe": True}]
    layer = tmp_path / "registry"
    layer.mkdir()
    (layer / "override.yaml").write_text(yaml.safe_dump({"entries": [entry]}), "utf-8")
    site = tmp_path / "site"
    page = _write(site, "page.html", f"<p>{PROVES}</p>\n")
    post = _write(site, "post.md", f"{PROVES}\n")

    result = check("--no-cache", "--format", "json", "--fix", "--registry", str(layer), ".",
                   where=site)
    assert page.read_text("utf-8") == (
        "<p>Research &lt;i&gt;suggests&lt;/i&gt; &amp; &quot;hints&quot; that ketamine works "
        "for CRPS.</p>\n")
    assert post.read_text("utf-8") == f"{PROVES}\n"
    fixes = {(f["path"], f["registry_id"]): f["fix"] for f in _report(result)["findings"]}
    assert fixes[("post.md", "ketamine.evidence.proven")] is None
