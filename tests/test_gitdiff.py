"""``--diff-base REF`` and ``--staged``: only findings on changed lines, in real git repos."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimlint.gitdiff import ChangedLines, parse_diff
from workflow_support import (
    CRPS,
    DRIP,
    check,
    check_json,
    copy_posts,
    edit,
    git,
    places,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NEW_CLAIM = "Ketamine is extremely safe."


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """claimlint runs git itself; the tester's own configuration must not change its output."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two committed posts under site/."""
    root = tmp_path / "repo"
    copy_posts(root / "site", CRPS, DRIP)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "posts")
    return root


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_unchanged_repository_reports_nothing(repo: Path) -> None:
    _, everything = check_json("site", where=repo)
    assert len(everything["findings"]) > 5
    result, report = check_json("site", "--diff-base", "HEAD", where=repo)
    assert (result.exit_code, report["findings"]) == (0, [])


def test_only_findings_on_changed_lines_and_untracked_files(repo: Path) -> None:
    post = repo / "site" / CRPS
    # A new overclaim near the top pushes every old finding down; the moved lines are not new.
    edit(post, "## Is ketamine safe?", f"{NEW_CLAIM}\n\n## Is ketamine safe?")
    (repo / "site" / "new.md").write_text(f"# Drips\n\n{NEW_CLAIM}\n", encoding="utf-8")
    result, report = check_json("site", "--diff-base", "HEAD", where=repo)
    assert result.exit_code == 1
    assert places(report) == [(CRPS, line_of(post, NEW_CLAIM), "CL001"),
                              ("new.md", 3, "CL001")]

    # The same from a subfolder and from outside the repository with an absolute path.
    _, inside = check_json(".", "--diff-base", "HEAD", where=repo / "site")
    _, outside = check_json(repo / "site", "--diff-base", "HEAD", where=repo.parent)
    assert places(inside) == places(outside) == places(report)


def test_a_finding_is_kept_when_any_of_its_lines_changed(repo: Path) -> None:
    post = repo / "site" / "wrapped.md"
    post.write_text("Ketamine is extremely\nsafe for everyone.\n\nWe open at nine.\n",
                    encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "wrapped")
    _, everything = check_json("site/wrapped.md", where=repo)
    assert [(f["line"], f["end_line"]) for f in everything["findings"]] == [(1, 2)]

    # Only the finding's second line changes: it is kept.
    edit(post, "safe for everyone.", "safe for nearly everyone.")
    _, report = check_json("site", "--diff-base", "HEAD", where=repo)
    assert places(report) == [("wrapped.md", 1, "CL001")]

    # Only a line outside the finding changes: it is not.
    git(repo, "checkout", "-q", "--", "site/wrapped.md")
    edit(post, "We open at nine.", "We open at ten.")
    _, report = check_json("site", "--diff-base", "HEAD", where=repo)
    assert report["findings"] == []


def test_staged_compares_the_index(repo: Path) -> None:
    (repo / "site" / "staged.md").write_text(f"{NEW_CLAIM}\n", encoding="utf-8")
    (repo / "site" / "unstaged.md").write_text(f"{NEW_CLAIM}\n", encoding="utf-8")
    with (repo / "site" / DRIP).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{NEW_CLAIM}\n")  # changed in the work tree, not staged
    git(repo, "add", "site/staged.md")
    result, report = check_json("site", "--staged", where=repo)
    assert result.exit_code == 1
    assert places(report) == [("staged.md", 1, "CL001")]


def test_staged_in_a_repository_without_commits(tmp_path: Path) -> None:
    copy_posts(tmp_path / "fresh", DRIP)
    git(tmp_path / "fresh", "init", "-q")
    git(tmp_path / "fresh", "add", ".")
    _, everything = check_json(".", where=tmp_path / "fresh")
    _, staged = check_json(".", "--staged", where=tmp_path / "fresh")
    assert staged["findings"] and staged["findings"] == everything["findings"]


def test_renamed_file_counts_changed_lines_under_its_new_name(repo: Path) -> None:
    git(repo, "mv", f"site/{CRPS}", "site/crps.md")
    post = repo / "site" / "crps.md"
    edit(post, "## Is ketamine safe?", f"{NEW_CLAIM}\n\n## Is ketamine safe?")
    git(repo, "add", "-A")
    _, report = check_json("site", "--diff-base", "HEAD", where=repo)
    assert places(report) == [("crps.md", line_of(post, NEW_CLAIM), "CL001")]


def test_input_errors_are_always_kept(repo: Path) -> None:
    (repo / "site" / "broken.md").write_bytes(b"Ketamine is \xff safe.\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "broken")
    result, report = check_json("site", "--diff-base", "HEAD", where=repo)
    assert result.exit_code == 2
    assert places(report) == [("broken.md", 1, "CL900")]


def test_not_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    copy_posts(tmp_path / "site", DRIP)
    for flag in (("--diff-base", "HEAD"), ("--staged",)):
        result = check("site", *flag, where=tmp_path)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert "not in a git repository; --diff-base and --staged need one" in result.stderr
        assert "Traceback" not in result.output


@pytest.mark.parametrize("ref", ["no-such-branch", "HEAD~5", "--output=x"])
def test_unknown_revision_is_a_usage_error(repo: Path, ref: str) -> None:
    result = check("site", f"--diff-base={ref}", where=repo)
    assert result.exit_code == 2, result.output
    assert "revision" in result.stderr and ref in result.stderr
    assert not (repo / "x").exists()


# --------------------------------------------------------------------------------------------
# Parsing git's output


DIFF = """\
diff --git a/site/a.md b/site/a.md
index 1111111..2222222 100644
--- a/site/a.md
+++ b/site/a.md
@@ -3 +3 @@ title
-old
+new
@@ -10,0 +11,3 @@
+one
+two
+three
@@ -20,2 +22,0 @@
-gone
-gone
diff --git a/old name.md b/new name.md
similarity index 90%
rename from old name.md
rename to new name.md
--- a/old name.md
+++ b/new name.md\t
@@ -1,2 +1,2 @@
-a
+b
diff --git "a/caf\\303\\251 \\"x\\".md" "b/caf\\303\\251 \\"x\\".md"
--- "a/caf\\303\\251 \\"x\\".md"
+++ "b/caf\\303\\251 \\"x\\".md"
@@ -0,0 +1 @@
+x
diff --git a/deleted.md b/deleted.md
deleted file mode 100644
--- a/deleted.md
+++ /dev/null
@@ -1,3 +0,0 @@
-a
diff --git a/image.png b/image.png
Binary files a/image.png and b/image.png differ
"""


def test_parse_diff_reads_hunk_headers_and_paths() -> None:
    assert parse_diff(DIFF) == {
        "site/a.md": [(3, 3), (11, 13)],
        "new name.md": [(1, 2)],
        'café "x".md': [(1, 1)],
    }


def test_changed_lines_overlap(tmp_path: Path) -> None:
    path = str(tmp_path / "a.md")
    changed = ChangedLines({path: ((5, 6),), str(tmp_path / "new.md"): None})
    assert changed.touches(path, 6, 8) and changed.touches(path, 2, 5)
    assert not changed.touches(path, 7, 9) and not changed.touches(path, 1, 4)
    assert changed.touches(str(tmp_path / "new.md"), 400, 400)
    assert not changed.touches(str(tmp_path / "other.md"), 1, 1)
