from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from claimlint.documents.discovery import DEFAULT_INCLUDE, discover
from claimlint.errors import DocumentError


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_walk_is_sorted_and_filtered_by_include(chdir: Path) -> None:
    touch(chdir, "site/b.md", "site/a.html", "site/c.py", "site/sub/d.txt", "site/e.markdown",
          "site/f.htm", "site/.git/g.md", "site/node_modules/h.md", "site/.venv/i.md",
          "site/__pycache__/j.md", "site/.hg/k.md")
    assert discover(["site"], DEFAULT_INCLUDE, []) == [
        "site/a.html", "site/b.md", "site/e.markdown", "site/f.htm", "site/sub/d.txt"]
    assert discover(["site"], ["*.md"], []) == ["site/b.md"]


def test_dot_root_gives_clean_paths(chdir: Path) -> None:
    touch(chdir, "a.md", "docs/b.md")
    assert discover(["."], DEFAULT_INCLUDE, []) == ["a.md", "docs/b.md"]


def test_exclude_matches_relative_path_basename_and_directories(chdir: Path) -> None:
    touch(chdir, "site/keep.md", "site/drafts/x.md", "site/legal/terms.md", "site/old.md",
          "site/deep/er/old.md")
    found = discover(["site"], DEFAULT_INCLUDE, ["drafts/", "legal/terms.md", "old.md"])
    assert found == ["site/keep.md"]
    assert discover(["site"], DEFAULT_INCLUDE, ["site/legal/**"]) == [
        "site/deep/er/old.md", "site/drafts/x.md", "site/keep.md", "site/old.md"]


def test_explicit_files_ignore_include_but_not_exclude(chdir: Path) -> None:
    touch(chdir, "notes.rst", "skip.md", "a.md")
    assert discover(["notes.rst", "skip.md", "a.md"], DEFAULT_INCLUDE, ["skip.md"]) == [
        "notes.rst", "a.md"]


def test_nonexistent_explicit_path_is_an_error(chdir: Path) -> None:
    with pytest.raises(DocumentError) as info:
        discover(["missing.md"], DEFAULT_INCLUDE, [])
    assert info.value.path == "missing.md"


def test_each_file_once(chdir: Path) -> None:
    touch(chdir, "docs/a.md")
    assert discover(["docs/a.md", "docs", "./docs"], DEFAULT_INCLUDE, []) == ["docs/a.md"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_and_broken_links(chdir: Path) -> None:
    touch(chdir, "site/a.md")
    os.symlink("..", chdir / "site" / "loop")
    os.symlink("missing.md", chdir / "site" / "broken.md")
    os.symlink("broken.txt", chdir / "site" / "broken.txt")  # a link to itself
    # The folder loop is walked once; files that cannot be read are listed, so that reading
    # them reports why (CL900) instead of skipping them without a word.
    assert discover(["site"], DEFAULT_INCLUDE, []) == [
        "site/a.md", "site/broken.md", "site/broken.txt"]


def test_gitignore_outside_a_repository(chdir: Path) -> None:
    touch(chdir, "site/a.md", "site/gen/b.md", "site/c.md")
    (chdir / "site" / ".gitignore").write_text("gen/\nc.md\n", encoding="utf-8")
    assert discover(["site"], DEFAULT_INCLUDE, []) == ["site/a.md"]
    assert discover(["site"], DEFAULT_INCLUDE, [], respect_gitignore=False) == [
        "site/a.md", "site/c.md", "site/gen/b.md"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignore_inside_a_repository(chdir: Path) -> None:
    subprocess.run(["git", "init", "-q", str(chdir)], check=True)
    touch(chdir, "docs/a.md", "docs/b.draft.md", "docs/keep.draft.md", "docs/sub/c.md",
          "docs/sub/secret.md", "docs/local.md", "build/out.md")
    (chdir / ".gitignore").write_text("*.draft.md\n!keep.draft.md\nbuild/\n", encoding="utf-8")
    (chdir / "docs" / "sub" / ".gitignore").write_text("secret.md\n", encoding="utf-8")
    (chdir / ".git" / "info" / "exclude").write_text("local.md\n", encoding="utf-8")
    expected = ["docs/a.md", "docs/keep.draft.md", "docs/sub/c.md"]
    # Rules come from the repository root and .git/info/exclude even when walking a subfolder.
    assert discover(["docs"], DEFAULT_INCLUDE, []) == expected
    assert discover(["."], DEFAULT_INCLUDE, []) == expected
    # A file named on the command line is linted even if git ignores it.
    assert discover(["docs/local.md"], DEFAULT_INCLUDE, []) == ["docs/local.md"]
