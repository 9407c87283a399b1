"""The findings cache, end to end through the CLI and through ``Linter``.

The cache must never change an answer: a hit prints exactly what a fresh run prints, entries
that are damaged or foreign are rebuilt, anything that could change findings (the file, the
registry, the configuration) gives a new key, and an unwritable cache folder costs speed only.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from claimlint.cache import CACHE_DIR_NAME, FindingCache
from claimlint.config import Settings
from claimlint.engine import Linter
from claimlint.findings import Finding
from claimlint.registry import Registry
from workflow_support import (
    CRPS,
    DRIP,
    POSTS,
    ROOT,
    cache_entries,
    check,
    check_json,
    copy_posts,
)

CACHE = CACHE_DIR_NAME


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A working directory with two posts under site/ (the cache goes to ./.claimlint_cache)."""
    copy_posts(tmp_path / "site", CRPS, DRIP)
    return tmp_path


def fresh_report(where: Path) -> str:
    result = check("site", "--format", "json", "--no-cache", where=where)
    assert result.exit_code == 1, result.output
    return result.stdout


def test_cache_hit_gives_identical_output(site: Path) -> None:
    expected = fresh_report(site)
    assert not (site / CACHE).exists()  # --no-cache writes nothing

    first = check("site", "--format", "json", where=site)
    entries = cache_entries(site / CACHE)
    assert len(entries) == 2  # one per file
    assert (site / CACHE / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    assert (site / CACHE / ".gitignore").read_text() == "*\n"

    second = check("site", "--format", "json", where=site)
    assert first.stdout == second.stdout == expected
    assert (first.exit_code, second.exit_code) == (1, 1)
    assert cache_entries(site / CACHE) == entries
    # Text and statistics reports are built from the same cached findings.
    text = check("site", where=site).stdout
    assert text == check("site", "--no-cache", where=site).stdout


def test_hits_are_read_from_the_entries(site: Path) -> None:
    """A valid entry is what a hit returns (proving the second run read it, not re-linted)."""
    check("site", "--format", "json", where=site)
    for path in (site / CACHE).glob("entries/*/*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        for record in document["findings"]:
            record["message"] = "FROM THE CACHE"
        path.write_text(json.dumps(document), encoding="utf-8")
    _, report = check_json("site", where=site)
    assert {f["message"] for f in report["findings"]} == {"FROM THE CACHE"}


def _damage(kind: str, entry: dict[str, Any], raw: bytes) -> bytes:
    if kind == "garbage":
        return os.urandom(64) + b"\xff\x00"
    if kind == "empty":
        return b""
    if kind == "truncated":
        return raw[: len(raw) // 2]
    if kind == "not-an-object":
        return b"[1, 2, 3]"
    if kind == "wrong-schema":
        return json.dumps({**entry, "schema": entry["schema"] + 1}).encode()
    if kind == "foreign-tool":
        return json.dumps({**entry, "tool": "ruff"}).encode()
    if kind == "other-key":
        return json.dumps({**entry, "key": "0" * 64}).encode()
    if kind == "bad-finding":
        findings = [{**entry["findings"][0], "line": "7"}, *entry["findings"][1:]]
        return json.dumps({**entry, "findings": findings}).encode()
    if kind == "extra-field":
        findings = [{**entry["findings"][0], "injected": True}, *entry["findings"][1:]]
        return json.dumps({**entry, "findings": findings}).encode()
    if kind == "missing-field":
        first = {k: v for k, v in entry["findings"][0].items() if k != "severity"}
        return json.dumps({**entry, "findings": [first, *entry["findings"][1:]]}).encode()
    if kind == "evidence-index":
        findings = [{**f, "evidence": 99} for f in entry["findings"]]
        return json.dumps({**entry, "findings": findings}).encode()
    if kind == "evidence-table":
        findings = [{**f, "evidence": 0} for f in entry["findings"]]
        return json.dumps({**entry, "evidence": [{"grade": "high"}],
                           "findings": findings}).encode()
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["garbage", "empty", "truncated", "not-an-object",
                                  "wrong-schema", "foreign-tool", "other-key", "bad-finding",
                                  "extra-field", "missing-field", "evidence-index",
                                  "evidence-table"])
def test_damaged_entries_are_ignored_and_rebuilt(site: Path, kind: str) -> None:
    expected = check("site", "--format", "json", where=site).stdout
    good = cache_entries(site / CACHE)
    for path in (site / CACHE).glob("entries/*/*.json"):
        raw = path.read_bytes()
        path.write_bytes(_damage(kind, json.loads(raw), raw))
    result = check("site", "--format", "json", where=site)
    assert (result.stdout, result.stderr) == (expected, "")
    assert cache_entries(site / CACHE) == good  # rebuilt, byte for byte


def test_changes_that_matter_give_new_keys(site: Path) -> None:
    check("site", where=site)
    assert len(cache_entries(site / CACHE)) == 2

    # Editing one file: one new entry.
    with (site / "site" / DRIP).open("a", encoding="utf-8") as handle:
        handle.write("\nKetamine is extremely safe.\n")
    check("site", where=site)
    assert len(cache_entries(site / CACHE)) == 3

    # Rule selection, severities (from a config file) and the registry: new entries for all.
    check("site", "--ignore", "CL105", where=site)
    assert len(cache_entries(site / CACHE)) == 5
    (site / ".claimlint.toml").write_text('severity = { CL003 = "error" }\n', encoding="utf-8")
    _, report = check_json("site", where=site)
    assert len(cache_entries(site / CACHE)) == 7
    assert {f["severity"] for f in report["findings"] if f["rule"] == "CL003"} == {"error"}
    (site / ".claimlint.toml").unlink()
    check("site", "--registry", ROOT / "tests" / "data" / "mini_registry", where=site)
    assert len(cache_entries(site / CACHE)) == 9


def test_registry_edit_invalidates(site: Path) -> None:
    extra = site / "extra"
    shutil.copytree(ROOT / "tests" / "data" / "mini_registry", extra)
    args = ("site", "--format", "json", "--registry", extra)
    check(*args, where=site)
    before = set(cache_entries(site / CACHE))
    vocabulary = extra / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n# reviewed\n",
                          encoding="utf-8")
    # A comment leaves the parsed registry (and so its digest) unchanged: entries still hit.
    check(*args, where=site)
    assert set(cache_entries(site / CACHE)) == before
    entries = extra / "entries.yaml"
    text = entries.read_text(encoding="utf-8")
    assert "suggestion: Ketamine is generally well tolerated" in text
    entries.write_text(text.replace("suggestion: Ketamine is generally well tolerated",
                                    "suggestion: Ketamine is usually well tolerated", 1),
                       encoding="utf-8")
    _, report = check_json("site", "--registry", extra, where=site)
    assert len(set(cache_entries(site / CACHE)) - before) == 2
    assert any("usually well tolerated" in (f["suggestion"] or "") for f in report["findings"])


def test_no_cache_and_config_switches(site: Path) -> None:
    check("site", "--no-cache", where=site)
    assert not (site / CACHE).exists()

    (site / ".claimlint.toml").write_text("cache = false\n", encoding="utf-8")
    check("site", where=site)
    assert not (site / CACHE).exists()

    (site / ".claimlint.toml").write_text('cache-dir = "build/lint-cache"\n', encoding="utf-8")
    check(".", where=site / "site")  # the config file's folder, not the working directory
    assert not (site / CACHE).exists() and not (site / "site" / CACHE).exists()
    assert len(cache_entries(site / "build" / "lint-cache")) == 2

    check("site", "--cache-dir", "elsewhere", where=site)
    assert len(cache_entries(site / "elsewhere")) == 2


def test_stdin_is_never_cached(site: Path) -> None:
    data = (POSTS / DRIP).read_bytes()
    result = check("-", "--stdin-filename", "site/new.md", where=site, stdin=data)
    assert result.exit_code == 1
    assert not (site / CACHE).exists()


def test_unwritable_cache_folder_runs_uncached(site: Path) -> None:
    expected = fresh_report(site)
    (site / CACHE).write_text("a file where the cache folder should be\n", encoding="utf-8")
    result = check("site", "--format", "json", where=site)
    assert (result.exit_code, result.stdout, result.stderr) == (1, expected, "")
    assert (site / CACHE).is_file()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind (root ignores them)")
def test_read_only_tree_runs_uncached(site: Path) -> None:
    expected = fresh_report(site)
    site.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = check("site", "--format", "json", where=site)
    finally:
        site.chmod(stat.S_IRWXU)
    assert (result.exit_code, result.stdout, result.stderr) == (1, expected, "")
    assert not (site / CACHE).exists()


# --------------------------------------------------------------------------------------------
# The library API


def test_cached_files_skip_the_nlp_pipeline(tmp_path: Path, bundled_registry: Registry) -> None:
    folder = copy_posts(tmp_path / "site")
    settings = Settings(root=tmp_path)
    cache = FindingCache(tmp_path / CACHE)
    cold = Linter(settings, registry=bundled_registry, cache=cache).lint_paths([str(folder)])
    assert (cache.hits, cache.misses, cache.writes) == (0, 5, 5)

    warm_linter = Linter(settings, registry=bundled_registry, cache=FindingCache(tmp_path / CACHE))
    warm = warm_linter.lint_paths([str(folder)])
    assert warm.findings == cold.findings
    assert all(_same(a, b) for a, b in zip(warm.findings, cold.findings, strict=True))
    assert warm.files == cold.files
    assert warm_linter.cache is not None and warm_linter.cache.hits == 5
    assert "nlp" not in vars(warm_linter)  # the pipeline was never built


def test_keep_sources_reads_no_entries(tmp_path: Path, bundled_registry: Registry) -> None:
    folder = copy_posts(tmp_path / "site", DRIP)
    cache = FindingCache(tmp_path / CACHE)
    linter = Linter(Settings(root=tmp_path), registry=bundled_registry, cache=cache)
    linter.lint_paths([str(folder)])
    result = linter.lint_paths([str(folder)], keep_sources=True)
    assert cache.hits == 0 and list(result.sources) == [str(folder / DRIP)]


def test_progress_callback(tmp_path: Path, bundled_registry: Registry) -> None:
    folder = copy_posts(tmp_path / "site")
    calls: list[tuple[int, int]] = []
    Linter(Settings(root=tmp_path), registry=bundled_registry).lint_paths(
        [str(folder)], chunk=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]


def _same(a: Finding, b: Finding) -> bool:
    """Equal in every field (Finding's own == compares only the position and rule)."""
    return a.to_record() == b.to_record() and a == b and a.evidence == b.evidence


def test_finding_records_round_trip(linter: Linter) -> None:
    findings = linter.lint_paths([str(POSTS)]).findings
    assert findings
    for finding in findings:
        again = Finding.from_record(json.loads(json.dumps(finding.to_record())))
        assert again.__dict__ == finding.__dict__
