"""A walked tree full of broken input, through the real command line: every bad file is named
in a CL900 error, every other file is still linted, the exit status is 2, and nothing prints
a traceback or hangs."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import one_input

ROOT = Path(__file__).resolve().parents[2]
GOOD = "# Ketamine\n\nKetamine is completely safe and cures CRPS.\n"


def claimlint(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimlint", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def _hostile_tree(site: Path) -> dict[str, str]:
    """Write a tree of good and broken files; return broken path -> what its error says."""
    site.mkdir()
    for name in ("good.md", "good.html", "good.txt", "deep/ok.md"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(GOOD if not name.endswith(".html")
                                 else f"<p>{GOOD.splitlines()[-1]}</p>")
    broken: dict[str, str] = {}
    (site / "latin1.md").write_bytes("Ketamine est sûr.\n".encode("latin-1"))
    broken["latin1.md"] = "not valid UTF-8"
    (site / "bad-directive.html").write_text("<p>x</p><!-- claimlint-disabel CL101 -->")
    broken["bad-directive.html"] = "unknown suppression comment"
    with open(site / "huge.md", "wb") as handle:  # 50 MB, sparse: never read, never parsed
        handle.truncate(50_000_000)
    broken["huge.md"] = "over the limit"
    os.symlink("nowhere.md", site / "dangling.md")
    broken["dangling.md"] = "cannot read file"
    os.symlink("loop-b.md", site / "loop-a.md")
    os.symlink("loop-a.md", site / "loop-b.md")
    broken["loop-a.md"] = broken["loop-b.md"] = "cannot read file"
    os.symlink("..", site / "deep" / "up")  # a folder loop: walked once, not an error
    os.mkfifo(site / "pipe.md")  # a named pipe would block a reader for ever
    broken["pipe.md"] = "named pipe"
    (site / "folder.md").mkdir()  # a directory named like a file is walked
    (site / "folder.md" / "inner.txt").write_text(GOOD)
    (site / "nul.txt").write_bytes(b"Ketamine\x00 cures CRPS.\x00")
    (site / "only-space.md").write_text(" \n\t\r\n  \n")
    (site / "emoji.md").write_text("# 💊 ‏שלום\n\nKetamine is completely safe 👨‍👩‍👧.\r\n"
                                   "It ‏cures‎ CRPS.\rMixed\rend\n")
    if os.geteuid() != 0:  # root reads anything: the pipe and the links stand in for it
        (site / "secret.md").write_text(GOOD)
        (site / "secret.md").chmod(0)
        broken["secret.md"] = "Permission denied"
    return broken


def test_hostile_tree_reports_each_bad_file_and_lints_the_rest(tmp_path: Path) -> None:
    broken = _hostile_tree(tmp_path / "site")
    with one_input(count=len(broken) + 8, limit=90):
        run = claimlint("check", "site", "--format", "json", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 2, run.stderr
    report = json.loads(run.stdout)
    failed = {Path(p).relative_to("site").as_posix() for p in report["summary"]["failed_paths"]}
    assert failed == set(broken)
    errors = {Path(f["path"]).relative_to("site").as_posix(): f["message"]
              for f in report["findings"] if f["rule"] == "CL900"}
    for name, says in broken.items():
        assert says in errors[name], (name, errors[name])
    linted = {Path(f["path"]).relative_to("site").as_posix() for f in report["findings"]
              if f["rule"] != "CL900"}
    assert {"good.md", "good.html", "good.txt", "deep/ok.md", "folder.md/inner.txt",
            "emoji.md"} <= linted
    # nul.txt and only-space.md are linted too (not failed), and have nothing to report.
    assert report["summary"]["files"] == 8 + len(broken)


def test_text_report_names_the_file_on_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "bad.md").write_bytes(b"ok\n\xff\xfe")
    (site / "good.md").write_text(GOOD)
    with one_input(count=2, limit=60):
        run = claimlint("check", "site", "--no-cache", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "site/bad.md:2:1: CL900 not valid UTF-8: byte 0xFF at line 2, column 1" in run.stdout
    assert "site/good.md:3:" in run.stdout


def test_many_random_files_in_one_run(tmp_path: Path) -> None:
    """200 files of random bytes, random text and markup soup in one run: each is either
    linted or reported, none crashes the run."""
    rnd = random.Random(2024)
    site = tmp_path / "site"
    site.mkdir()
    pieces = ["<p>", "</div>", "<!--", "**", "[", "](", "&#", "\n", "\r\n", "💊", "\u202e",
              "Ketamine is completely safe. ", "It cures CRPS! ", "---\n", "title: ", "\x00"]
    for i in range(200):
        kind = ("md", "html", "txt")[i % 3]
        if i % 4 == 0:
            data = rnd.randbytes(rnd.randrange(0, 2_000))
        elif i % 4 == 1:
            data = "".join(chr(rnd.choice([rnd.randrange(32, 127), rnd.randrange(0x80, 0xD800),
                                           rnd.randrange(0xE000, 0x110000)]))
                           for _ in range(rnd.randrange(0, 800))).encode("utf-8")
        else:
            data = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 200))).encode()
        (site / f"f{i:03}.{kind}").write_bytes(data)
    with one_input(count=200, limit=120):
        run = claimlint("check", "site", "--format", "json", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in run.stderr, run.stderr
    report = json.loads(run.stdout)
    assert run.returncode == (2 if report["summary"]["failed_paths"] else
                              1 if report["findings"] else 0)
    assert report["summary"]["files"] == 200
    for finding in report["findings"]:
        size = len((tmp_path / finding["path"]).read_bytes())
        assert 0 <= finding["start_offset"] <= finding["end_offset"] <= size


@pytest.mark.parametrize("flag", ["--max-file-seconds=0", "--max-file-seconds=abc"])
def test_bad_time_limit_is_a_usage_error(tmp_path: Path, flag: str) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    with one_input(limit=60):
        run = claimlint("check", "a.md", flag, cwd=tmp_path)
    assert run.returncode == 2 and "max-file-seconds" in run.stderr
    assert "Traceback" not in run.stderr


def test_time_limit_from_the_config_file(tmp_path: Path) -> None:
    (tmp_path / ".claimlint.toml").write_text("max-file-seconds = true\n")
    (tmp_path / "a.md").write_text(GOOD)
    with one_input(limit=60):
        run = claimlint("check", "a.md", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert ".claimlint.toml:1: 'max-file-seconds' must be a number" in run.stderr
