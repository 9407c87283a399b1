"""Changed lines from git, so a run can report only what a change introduced.

``claimlint check --diff-base main`` keeps the findings that touch lines added or changed since
``main`` (the working tree against that commit, plus untracked files, which are new in their
entirety); ``--staged`` compares the index instead, for pre-commit style checks. Line sets come
from ``git diff --unified=0``: every hunk header ``@@ -a,b +c,d @@`` names the new lines
``c .. c+d-1``. Pure deletions change no line of the new file and so keep nothing.

Git prints paths relative to the repository's top; findings carry the paths given on the
command line. Both are compared as resolved absolute paths.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from claimlint.errors import UsageError
from claimlint.findings import Finding

__all__ = ["ChangedLines", "GitError", "changed_lines", "parse_diff"]

# Input errors mean "this file was not checked"; a diff filter must never hide that.
ALWAYS_KEPT = frozenset({"CL900"})

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_OCTAL = re.compile(rb"\\([0-7]{3})")
_ESCAPES = {b"a": b"\a", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t",
            b"v": b"\v", b"\\": b"\\", b'"': b'"'}


class GitError(UsageError):
    """git is missing, the paths are not in a work tree, or the revision is unknown (exit 2)."""


Ranges = tuple[tuple[int, int], ...]  # inclusive (first, last) line ranges


@dataclass(frozen=True)
class ChangedLines:
    """Changed lines per file, keyed by resolved absolute path; None means the whole file."""

    files: Mapping[str, Ranges | None] = field(default_factory=dict)

    def touches(self, path: str, line: int, end_line: int) -> bool:
        """Whether any line of ``line .. end_line`` of ``path`` is new or changed."""
        key = os.path.realpath(path)
        if key not in self.files:
            return False
        ranges = self.files[key]
        return ranges is None or any(first <= end_line and line <= last
                                     for first, last in ranges)

    def keeps(self, finding: Finding) -> bool:
        return finding.rule in ALWAYS_KEPT or self.touches(finding.path, finding.line,
                                                            max(finding.line, finding.end_line))

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in findings if self.keeps(f)]


def _unquote(name: str) -> str:
    """A path as git prints it: C-quoted (octal bytes, backslash escapes) when unusual."""
    if not (len(name) >= 2 and name.startswith('"') and name.endswith('"')):
        return name
    raw = name[1:-1].encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\" and i + 1 < len(raw):
            octal = _OCTAL.match(raw, i)
            if octal:
                out.append(int(octal.group(1), 8))
                i += 4
                continue
            out += _ESCAPES.get(raw[i + 1 : i + 2], raw[i + 1 : i + 2])
            i += 2
            continue
        out += raw[i : i + 1]
        i += 1
    return out.decode("utf-8", "surrogateescape")


def _new_path(line: str) -> str | None:
    """The new file's repo-relative path from a ``+++ b/path`` line; None for deletions."""
    name = line[4:].rstrip("\n")
    # git appends a tab when the name has trailing spaces; the tab is not part of it.
    name = name[:-1] if name.endswith("\t") else name
    name = _unquote(name)
    if name == "/dev/null":
        return None
    return name[2:] if name.startswith("b/") else name


def parse_diff(text: str) -> dict[str, list[tuple[int, int]]]:
    """Added or changed line ranges of each new-side file in ``git diff --unified=0`` output.

    Keys are repository-relative POSIX paths. Files with no hunks (pure renames, mode
    changes, binary files) do not appear.
    """
    changed: dict[str, list[tuple[int, int]]] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith("diff --git "):
            current = None
        elif line.startswith("+++ "):
            current = _new_path(line)
        elif line.startswith("@@ ") and current is not None:
            hunk = _HUNK.match(line)
            if hunk is None:
                continue
            start = int(hunk.group(1))
            count = 1 if hunk.group(2) is None else int(hunk.group(2))
            if count:
                changed.setdefault(current, []).append((start, start + count - 1))
    return changed


def _git(args: Sequence[str], cwd: Path) -> str:
    # Settings that would change the output format are overridden on the command line, so a
    # user's git config (quotePath, noprefix, external diff, colour) cannot break the parse.
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("not installed or not on PATH", path="git") from None
    except OSError as exc:
        raise GitError(f"cannot run it: {exc.strerror or exc}", path="git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"exit status {done.returncode}"
        raise GitError(f"git {args[0]} failed: {reason.removeprefix('fatal: ')}", path=str(cwd))
    return done.stdout.decode("utf-8", "surrogateescape")


def _top_level(start: Path) -> Path:
    directory = start if start.is_dir() else start.parent
    try:
        top = _git(["rev-parse", "--show-toplevel"], directory).strip()
    except GitError as exc:
        if "not a git repository" in exc.message:
            raise GitError("not in a git repository; --diff-base and --staged need one",
                           path=str(directory)) from None
        raise
    return Path(top).resolve()


def changed_lines(start: Path, base: str | None = None, *, staged: bool = False) -> ChangedLines:
    """The lines changed in the git work tree that contains ``start``.

    ``base`` given: the working tree (or with ``staged``, the index) against commit ``base``,
    plus untracked, not ignored files (when not ``staged``) as wholly new. ``base`` None and
    ``staged``: the index against HEAD (everything staged, in a repository with no commits).
    Raises GitError outside a work tree or for an unknown revision.
    """
    if base is None and not staged:
        raise ValueError("give a base revision, staged=True, or both")
    if base is not None and (not base or base.startswith("-")):
        # git would read it as an option.
        raise GitError(f"invalid git revision {base!r}", path="--diff-base")
    top = _top_level(start)
    if base is not None:
        try:
            _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
        except GitError:
            raise GitError(f"unknown git revision {base!r} (not a commit in this repository)",
                           path=str(top)) from None
    args = ["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "-M",
            "--src-prefix=a/", "--dst-prefix=b/"]
    if staged:
        args.append("--cached")
    if base is not None:
        args.append(base)
    args.append("--")
    files: dict[str, Ranges | None] = {
        os.path.realpath(top / rel): tuple(ranges)
        for rel, ranges in parse_diff(_git(args, top)).items()
    }
    if base is not None and not staged:
        listing = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
        for rel in filter(None, listing.split("\0")):
            files[os.path.realpath(top / rel)] = None
    return ChangedLines(files)
