"""``--statistics`` and the progress bar, through the CLI.

The bar is tested on a real pseudo-terminal: the CLI runs in a child process whose stderr is
the pty's slave end, as it is in a developer's shell.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from claimlint.progress import MIN_FILES
from workflow_support import DRIP, POSTS, check, check_json, copy_posts

STAT_LINE = re.compile(r"^\s*(\d+)  (CL\d{3})  ([a-z-]+)\s+(error|warning|info)$")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("stats")
    copy_posts(where / "site")
    return where


def test_statistics_counts_findings_per_rule(site: Path) -> None:
    full, report = check_json("site", "--no-cache", where=site)
    expected = Counter(f["rule"] for f in report["findings"])

    result = check("site", "--statistics", "--no-cache", where=site)
    assert result.exit_code == full.exit_code == 1
    lines = result.stdout.splitlines()
    parsed = [STAT_LINE.match(line) for line in lines]
    assert all(parsed), result.stdout
    rows = [(int(m[1]), m[2], m[3], m[4]) for m in parsed if m]
    # One row per rule and severity: a rule whose errors the classifier softened to warnings
    # on some sentences has a row for each.
    per_rule: Counter[str] = Counter()
    for count, code, _, _ in rows:
        per_rule[code] += count
    assert per_rule == expected
    assert [count for count, *_ in rows] == sorted((count for count, *_ in rows), reverse=True)
    assert {(code, name, severity) for _, code, name, severity in rows} == {
        (f["rule"], f["name"], f["severity"]) for f in report["findings"]}
    assert "Found" not in result.stdout and result.stderr == ""

    as_json = check("site", "--statistics", "--format", "json", "--no-cache", where=site)
    assert json.loads(as_json.stdout) == [
        {"code": code, "name": name, "severity": severity, "count": count}
        for count, code, name, severity in rows]


def test_statistics_of_a_clean_run_is_empty(tmp_path: Path) -> None:
    (tmp_path / "fair.md").write_text("Our clinic opens at nine.\n", encoding="utf-8")
    result = check("fair.md", "--statistics", where=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "")


def test_statistics_exit_status_follows_fail_on(site: Path) -> None:
    result = check("site", "--statistics", "--select", "CL105", "--fail-on", "error",
                   where=site)
    assert result.exit_code == 0
    assert result.stdout.split()[1:3] == ["CL105", "unsourced-statistic"]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MIN_FILES + 5 short posts: enough files for the bar."""
    where = tmp_path_factory.mktemp("many")
    (where / "site").mkdir()
    text = (POSTS / DRIP).read_text(encoding="utf-8")
    for i in range(MIN_FILES + 5):
        (where / "site" / f"post-{i:02}.md").write_text(text, encoding="utf-8")
    return where


def test_no_progress_when_stderr_is_not_a_terminal(many: Path) -> None:
    result = check("site", "--statistics", where=many)
    assert result.exit_code == 1
    assert result.stderr == ""


def run_on_a_terminal(where: Path, *args: str) -> tuple[int, str]:
    """Run ``claimlint check ARGS`` with stderr on a pseudo-terminal; (status, what it showed)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "claimlint", "check", *args], cwd=where, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return process.wait(timeout=300), shown.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_bar_on_a_terminal(many: Path) -> None:
    status, shown = run_on_a_terminal(many, "site", "--no-cache", "--statistics")
    assert status == 1
    total = MIN_FILES + 5
    assert re.search(rf"claimlint  \[#+\]  {total}/{total}", shown), shown

    for flag in ("--no-progress", "--quiet"):
        status, shown = run_on_a_terminal(many, "site", "--no-cache", "--statistics", flag)
        assert (status, shown) == (1, ""), flag


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_no_bar_for_a_few_files_on_a_terminal(tmp_path: Path) -> None:
    copy_posts(tmp_path / "site", DRIP)
    status, shown = run_on_a_terminal(tmp_path, "site", "--no-cache")
    assert (status, shown) == (1, "")
