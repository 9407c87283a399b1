"""Helpers shared by the content-workflow tests (baseline, changed lines, cache, statistics).

Every run goes through the real CLI (click's CliRunner on ``claimlint.cli.main``) with the
bundled registry and the team-written posts in ``fixtures/posts``; nothing is mocked. Runs
happen in a temporary working directory, so the findings cache lands there too.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from claimlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
POSTS = ROOT / "fixtures" / "posts"
CRPS = "ketamine-crps-landing.md"
DRIP = "iv-vitamin-drip.md"
# A paragraph of ketamine-crps-landing.md with three findings (two CL001, one CL004).
SAFE_PARAGRAPH = ("Ketamine is extremely safe &amp; not addictive in our hands, so you can stop "
                  "at any time with no withdrawal.")


def _runner() -> CliRunner:
    # click < 8.2 mixes stderr into stdout unless told not to; 8.2 always keeps them apart.
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    return CliRunner()


@contextmanager
def cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def check(*args: str | Path, where: Path, stdin: bytes | None = None) -> Result:
    """``claimlint check ARGS`` run in the folder ``where``."""
    with cwd(where):
        return _runner().invoke(main, ["check", "--no-color", *map(str, args)], input=stdin,
                                catch_exceptions=False)


def check_json(*args: str | Path, where: Path) -> tuple[Result, dict[str, Any]]:
    result = check("--format", "json", *args, where=where)
    assert result.exit_code in (0, 1, 2), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return result, report


def places(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(Path(f["path"]).name, f["line"], f["rule"]) for f in report["findings"]]


def copy_posts(target: Path, *names: str) -> Path:
    """Copy fixture posts (all if no names) into ``target``; returns ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(POSTS.iterdir()):
        if source.is_file() and (not names or source.name in names):
            shutil.copyfile(source, target / source.name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user or system configuration."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "a@b",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "a@b"}
    done = subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=t",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cache_entries(folder: Path) -> dict[str, bytes]:
    """Every entry file under a cache folder, by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("entries/*/*.json"))}
