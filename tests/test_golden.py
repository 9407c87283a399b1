"""Golden end-to-end tests: each team-written post in fixtures/posts, in its real format,
linted through the CLI and compared exactly with fixtures/expected/<post>.txt.

Regenerate after a reviewed change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
read the diff: every changed line is a behaviour change someone must agree with.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
POSTS = sorted(p for p in (ROOT / "fixtures" / "posts").iterdir() if p.is_file())
EXPECTED = ROOT / "fixtures" / "expected"


def _run(*args: str) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the report are relative, as a content editor sees them
    try:
        result = CliRunner().invoke(main, ["check", "--no-color", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


@pytest.mark.parametrize("post", POSTS, ids=[p.name for p in POSTS])
def test_golden_text_report(post: Path) -> None:
    code, output = _run(f"fixtures/posts/{post.name}")
    golden = EXPECTED / f"{post.name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")
    assert code in (0, 1)


def test_fair_post_has_no_warnings_or_errors() -> None:
    code, output = _run("--format", "json", "fixtures/posts/fair-ketamine-overview.md")
    findings = json.loads(output)["findings"]
    assert [f for f in findings if f["severity"] != "info"] == []
    assert code == 0
