"""Baselines: record the findings a site has today so that only new ones are reported.

Adopting a linter on years of existing copy should not mean fixing every page first. A
baseline file lists today's findings; runs given the file hide those and report the rest, so
new overclaims are caught from day one while the old ones are worked off.

A finding is recognised by a fingerprint, not by its line: the rule, the registry entry, the
file (relative to the baseline's folder) and the claim sentence after normalisation (Unicode
NFKC, case-folded, Markdown emphasis markers dropped, whitespace collapsed). Moving a paragraph
or re-wrapping it keeps its findings hidden; editing the claim's wording brings them back, since
the edited sentence is new copy that has to be judged again. Counts are kept per fingerprint,
so the same sentence twice in a file needs two baseline entries, and a third copy is reported.

The file is JSON, sorted and written atomically, so it reviews and merges well in git.
Input errors (CL900) are never recorded: an unreadable file must never look clean.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimlint.deadline import deferred_signals
from claimlint.errors import UsageError
from claimlint.findings import Finding

__all__ = [
    "BASELINE_VERSION",
    "DEFAULT_BASELINE",
    "Baseline",
    "BaselineEntry",
    "BaselineError",
    "Outcome",
    "check_replaceable",
    "fingerprint",
    "normalise_sentence",
]

BASELINE_VERSION = 1
TOOL = "claimlint"
DEFAULT_BASELINE = ".claimlint-baseline.json"
# Input errors say "this file was not checked"; hiding them would make it look clean.
NEVER_BASELINED = frozenset({"CL900"})
# Entries quote their sentence so a reviewer can read the file; long ones are cut.
EXCERPT_CHARS = 160
_EMPHASIS = str.maketrans("", "", "*_`")


class BaselineError(UsageError):
    """A baseline file that cannot be read, parsed or written (a usage error: exit 2)."""


def normalise_sentence(text: str) -> str:
    """The form of a sentence that fingerprints compare: re-wrapping or re-emphasising the
    same words gives the same string; changing a word does not."""
    text = unicodedata.normalize("NFKC", text).translate(_EMPHASIS).casefold()
    return " ".join(text.split())


def _relative(path: str, base_dir: Path) -> str:
    """``path`` relative to ``base_dir`` in POSIX form (absolute if on another drive)."""
    real = os.path.realpath(path)
    try:
        return Path(os.path.relpath(real, os.path.realpath(base_dir))).as_posix()
    except ValueError:  # Windows: another drive has no relative path
        return Path(real).as_posix()


def _identity(finding: Finding) -> str:
    # Findings with no claim sentence (CL901 unused suppressions) are told apart by their
    # message, which names the comment's codes and never a line number.
    return normalise_sentence(finding.sentence or finding.message)


def fingerprint(finding: Finding, base_dir: Path) -> str:
    """A finding's identity across edits that leave its claim alone (see the module doc)."""
    parts = [finding.rule, finding.registry_id or "", _relative(finding.path, base_dir),
             _identity(finding)]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


def _excerpt(finding: Finding) -> str:
    text = " ".join((finding.sentence or finding.message).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class BaselineEntry:
    """One recorded finding (``count`` of them, when a sentence recurs in a file).

    ``path``, ``rule``, ``registry_id`` and ``sentence`` are for the people reading the file;
    only ``fingerprint`` and ``count`` are used for matching.
    """

    path: str
    rule: str
    registry_id: str | None
    sentence: str
    fingerprint: str
    count: int = 1

    def to_record(self) -> dict[str, Any]:
        return {"path": self.path, "rule": self.rule, "registry_id": self.registry_id,
                "sentence": self.sentence, "fingerprint": self.fingerprint,
                "count": self.count}

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.path, self.rule, self.registry_id or "", self.sentence, self.fingerprint)


@dataclass(frozen=True)
class Outcome:
    """What applying a baseline did: the findings still reported, and the bookkeeping."""

    findings: list[Finding]
    hidden: int
    stale: int  # recorded findings that no longer occur in the files linted


@dataclass
class Baseline:
    """The recorded findings of one baseline file, by fingerprint."""

    path: Path
    entries: dict[str, BaselineEntry] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.path.resolve().parent

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def from_findings(cls, path: Path, findings: Iterable[Finding],
                      previous: Baseline | None = None,
                      linted_files: Sequence[str] = ()) -> Baseline:
        """A baseline recording ``findings`` (CL900 excepted), to be written at ``path``.

        Entries of ``previous`` for files outside ``linted_files`` are kept: recording a
        baseline for one folder must not forget every other folder's findings. Entries of
        files that no longer exist are dropped.
        """
        baseline = cls(path)
        base_dir = baseline.base_dir
        for finding in sorted(findings):
            if finding.rule in NEVER_BASELINED:
                continue
            key = fingerprint(finding, base_dir)
            entry = baseline.entries.get(key)
            if entry is None:
                baseline.entries[key] = BaselineEntry(
                    _relative(finding.path, base_dir), finding.rule, finding.registry_id,
                    _excerpt(finding), key)
            else:
                baseline.entries[key] = BaselineEntry(entry.path, entry.rule, entry.registry_id,
                                                      entry.sentence, key, entry.count + 1)
        if previous is not None:
            linted = {_relative(p, base_dir) for p in linted_files}
            for key, entry in previous.entries.items():
                if entry.path not in linted and key not in baseline.entries \
                        and (base_dir / entry.path).exists():
                    baseline.entries[key] = entry
        return baseline

    @property
    def total(self) -> int:
        return sum(e.count for e in self.entries.values())

    # -- applying ----------------------------------------------------------------------------

    def apply(self, findings: Sequence[Finding], linted_files: Sequence[str] = ()) -> Outcome:
        """Hide recorded findings: per fingerprint, as many as the baseline counts.

        ``linted_files`` are the files the run looked at; recorded findings of those files that
        no longer occur are counted as stale, as are those of files that no longer exist (an
        existing file the run did not lint says nothing).
        """
        base_dir = self.base_dir
        allowance = {key: entry.count for key, entry in self.entries.items()}
        kept: list[Finding] = []
        for finding in sorted(findings):
            key = fingerprint(finding, base_dir)
            if finding.rule not in NEVER_BASELINED and allowance.get(key, 0) > 0:
                allowance[key] -= 1
                continue
            kept.append(finding)
        linted = {_relative(p, base_dir) for p in linted_files}
        stale = sum(left for key, left in allowance.items()
                    if left > 0 and (self.entries[key].path in linted
                                     or not (base_dir / self.entries[key].path).exists()))
        return Outcome(kept, len(findings) - len(kept), stale)

    # -- the file ----------------------------------------------------------------------------

    def dumps(self) -> str:
        """The file's text: stable key order, sorted entries, a trailing newline."""
        entries = sorted(self.entries.values(), key=BaselineEntry.sort_key)
        document = {"version": BASELINE_VERSION, "tool": TOOL,
                    "findings": [e.to_record() for e in entries]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def write(self) -> None:
        """Write the file atomically, keeping an existing file's permissions.

        Refuses to replace a file that is not a claimlint baseline (a mistyped name must not
        overwrite someone's package.json).
        """
        target = self.path
        check_replaceable(target)
        mode = target.stat().st_mode & 0o7777 if target.exists() else None
        directory = target.parent
        with deferred_signals():  # Ctrl-C must not split creating and renaming the file
            self._write(target, directory, mode)

    def _write(self, target: Path, directory: Path, mode: int | None) -> None:
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                       dir=directory)
        except OSError as exc:
            raise BaselineError(f"cannot write the baseline: {exc.strerror or exc}",
                                path=str(target)) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(self.dumps())
            if mode is None:
                # mkstemp makes 0600 files; a new baseline is shared, like any new file.
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise BaselineError(f"cannot write the baseline: {exc.strerror or exc}",
                                path=str(target)) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, shown: str | None = None) -> Baseline:
        """Read a baseline file; BaselineError naming it (as ``shown``) if it is missing,
        unreadable, not JSON, or not a claimlint baseline of a version this release reads."""
        name = shown or str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError("baseline file not found; create it with "
                                "'claimlint check --write-baseline FILE'", path=name) from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
            raise BaselineError(f"cannot read the baseline file: {reason or exc}",
                                path=name) from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"baseline file is not valid JSON: {exc.msg}", path=name,
                                line=exc.lineno, column=exc.colno) from None
        return cls(path, _entries(document, name))


def check_replaceable(path: Path, shown: str | None = None) -> None:
    """BaselineError unless ``path`` is free, empty, or a claimlint baseline (of any version,
    readable or not: a merge-conflicted baseline is exactly what gets rewritten)."""
    name = shown or str(path)
    if path.is_dir():
        raise BaselineError("is a directory, not a baseline file", path=name)
    if path.is_file() and path.stat().st_size and not _is_baseline_document(path):
        raise BaselineError("exists and is not a claimlint baseline; --write-baseline will "
                            "not replace it (remove it or choose another file name)", path=name)


def _is_baseline_document(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        # Conflict markers make a baseline invalid JSON; its tool key still says whose it is.
        return '"tool": "claimlint"' in text
    return isinstance(document, dict) and document.get("tool") == TOOL


_ENTRY_TYPES: Mapping[str, tuple[type, ...]] = {
    "path": (str,), "rule": (str,), "registry_id": (str, type(None)), "sentence": (str,),
    "fingerprint": (str,), "count": (int,),
}


def _entries(document: Any, name: str) -> dict[str, BaselineEntry]:
    """Validated entries of a parsed baseline document (merged by fingerprint)."""
    if not isinstance(document, dict) or document.get("tool") != TOOL:
        raise BaselineError('not a claimlint baseline (no "tool": "claimlint")', path=name)
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise BaselineError(f"baseline version {version!r} is not supported (this claimlint "
                            f"reads version {BASELINE_VERSION}); rewrite it with "
                            "--write-baseline", path=name)
    records = document.get("findings")
    if not isinstance(records, list):
        raise BaselineError("malformed baseline: 'findings' must be a list", path=name)
    counts: Counter[str] = Counter()
    first: dict[str, BaselineEntry] = {}
    for index, record in enumerate(records):
        where = f"/findings/{index}"
        if not isinstance(record, dict):
            raise BaselineError("malformed baseline entry: not an object", path=name,
                                pointer=where)
        for key, types in _ENTRY_TYPES.items():
            # bool is an int subclass: "count": true is not a count.
            value = record.get(key)
            if key not in record or isinstance(value, bool) or not isinstance(value, types):
                raise BaselineError(f"malformed baseline entry: bad or missing {key!r}",
                                    path=name, pointer=f"{where}/{key}")
        if record["count"] < 1:
            raise BaselineError("malformed baseline entry: 'count' must be at least 1",
                                path=name, pointer=f"{where}/count")
        entry = BaselineEntry(record["path"], record["rule"], record["registry_id"],
                              record["sentence"], record["fingerprint"], record["count"])
        # Hand-merged files may list a fingerprint twice; the counts add up.
        counts[entry.fingerprint] += entry.count
        first.setdefault(entry.fingerprint, entry)
    return {key: BaselineEntry(e.path, e.rule, e.registry_id, e.sentence, key, counts[key])
            for key, e in first.items()}
