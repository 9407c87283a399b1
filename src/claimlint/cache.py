"""A per-file cache of findings, so re-running over an unchanged site is nearly free.

An entry is keyed by the SHA-256 of everything a file's findings depend on: the file's bytes,
its path (relative to the project root) and document kind, the rules enabled for it, a digest of
the registry and of the settings that affect findings, and the linter itself (claimlint's
version plus a digest of every file in the package: code, lexicons, model weights; so a
development checkout never trusts results of code it no longer runs). Change any of these and
the key changes; nothing is ever invalidated in place.

Layout, as ruff's ``.ruff_cache``: ``<cache dir>/entries/<2 hex>/<key>.json``, one JSON file per
entry written atomically (temporary file + rename), with a ``CACHEDIR.TAG`` (backup tools skip
the folder) and a ``.gitignore`` of ``*`` (git does too).

Entries are data from disk, not trusted: a file that is truncated, not JSON, of another schema,
filed under another key, or whose findings do not survive a round trip through
``Finding.from_record`` is a miss, and is rebuilt. Any OSError while writing (a read-only
checkout, a full disk) switches writing off for the rest of the run and nothing else: the cache
only ever makes a run faster, never makes it fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from claimlint import __version__
from claimlint.deadline import deferred_signals
from claimlint.findings import Finding

__all__ = ["CACHE_DIR_NAME", "CACHE_SCHEMA", "FindingCache", "code_digest", "digest"]

CACHE_DIR_NAME = ".claimlint_cache"
CACHE_SCHEMA = 1
TOOL = "claimlint"
ENTRIES = "entries"
# An entry holds one file's findings; anything far larger is not ours.
MAX_ENTRY_BYTES = 32_000_000
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by claimlint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
# Compiled bytecode mirrors the sources already hashed.
_SKIPPED_PARTS = frozenset({"__pycache__"})
_SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})


def digest(value: Any) -> str:
    """SHA-256 of a JSON-serialisable value in canonical form (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def _package_files(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*")
                  if p.suffix not in _SKIPPED_SUFFIXES
                  and not _SKIPPED_PARTS.intersection(p.relative_to(package).parts)
                  and p.is_file())


@cache
def code_digest() -> str:
    """A digest of the linter itself: claimlint's version and every file of the package (code,
    pattern lexicons, schemas, model weights), and the versions of the NLP libraries whose
    behaviour the findings depend on. About 2 MB, hashed once per process."""
    package = Path(__file__).resolve().parent
    sha = hashlib.sha256(__version__.encode())
    for path in _package_files(package):
        sha.update(path.relative_to(package).as_posix().encode())
        sha.update(b"\0")
        try:
            sha.update(path.read_bytes())
        except OSError:
            sha.update(b"<unreadable>")
        sha.update(b"\0")
    for distribution in ("spacy", "spacy-lookups-data"):
        sha.update(f"{distribution}=={_version_of(distribution)}\0".encode())
    return sha.hexdigest()


class FindingCache:
    """Findings per file under ``directory`` (created on first write).

    ``hits``, ``misses`` and ``writes`` count this object's use, for reports and tests.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.writable = True
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self._prepared = False

    def key(self, *, context: str, path: str, kind: str, enabled: Iterable[str],
            data: bytes) -> str:
        """The entry key for one file. ``context`` digests the run's registry and settings
        (see ``Linter``); ``path`` is relative to the project root."""
        sha = hashlib.sha256()
        for part in (str(CACHE_SCHEMA), code_digest(), context, path, kind,
                     ",".join(sorted(enabled))):
            sha.update(part.encode("utf-8", "surrogateescape"))
            sha.update(b"\0")
        sha.update(hashlib.sha256(data).digest())
        return sha.hexdigest()

    def _entry_path(self, key: str) -> Path:
        return self.directory / ENTRIES / key[:2] / f"{key}.json"

    # -- reading ---------------------------------------------------------------------------

    def get(self, key: str) -> list[Finding] | None:
        """The findings stored under ``key``, or None if there is no valid entry."""
        findings = self._load(key)
        if findings is None:
            self.misses += 1
        else:
            self.hits += 1
        return findings

    def _load(self, key: str) -> list[Finding] | None:
        path = self._entry_path(key)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        if len(raw) > MAX_ENTRY_BYTES:
            return None
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        return _findings(document, key)

    # -- writing ---------------------------------------------------------------------------

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        """Store ``findings`` under ``key``; on any OSError, stop writing for this run."""
        if not self.writable:
            return
        # Findings of one registry entry share its evidence (summary and references, most of
        # a record's bytes); each distinct evidence record is stored once, referred to by index.
        evidence: list[dict[str, Any]] = []
        index: dict[str, int] = {}
        records = []
        for finding in findings:
            record = finding.to_record()
            if record["evidence"] is not None:
                text = json.dumps(record["evidence"], sort_keys=True)
                if text not in index:
                    index[text] = len(evidence)
                    evidence.append(record["evidence"])
                record["evidence"] = index[text]
            records.append(record)
        document = {"schema": CACHE_SCHEMA, "tool": TOOL, "version": __version__, "key": key,
                    "evidence": evidence, "findings": records}
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        path = self._entry_path(key)
        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            _write_atomically(path, text.encode("utf-8"))
        except OSError:
            # Read-only checkout, full disk, a file where the folder should be: run uncached.
            self.writable = False
            return
        self.writes += 1

    def _prepare(self) -> None:
        if self._prepared:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
            marker = self.directory / name
            if not marker.exists():
                _write_atomically(marker, text.encode("utf-8"))
        (self.directory / ENTRIES).mkdir(exist_ok=True)
        self._prepared = True


def _write_atomically(path: Path, data: bytes) -> None:
    with deferred_signals():  # a small write: never leave its temporary file on Ctrl-C
        # The name is chosen before the file exists, so whatever stops the write, the clean-up
        # knows what to remove.
        tmp = path.parent / f".tmp-{secrets.token_hex(8)}"
        try:
            with open(tmp, "xb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _findings(document: Any, key: str) -> list[Finding] | None:
    """The findings of a parsed entry, or None if anything about it is off."""
    if not isinstance(document, Mapping) or document.get("tool") != TOOL \
            or document.get("schema") != CACHE_SCHEMA or document.get("key") != key \
            or document.get("version") != __version__:
        return None
    records = document.get("findings")
    evidence = document.get("evidence")
    if not isinstance(records, list) or not isinstance(evidence, list):
        return None
    findings = []
    for stored in records:
        if not isinstance(stored, dict) or "evidence" not in stored:
            return None
        shared = stored["evidence"]
        # bool is an int: true must not read as evidence number 1.
        if shared is not None and (type(shared) is not int or not 0 <= shared < len(evidence)):
            return None
        record = {**stored, "evidence": None if shared is None else evidence[shared]}
        try:
            finding = Finding.from_record(record)
        except (KeyError, TypeError, ValueError):
            return None
        # A record with extra or altered keys would not come back as written: not ours.
        if finding.to_record() != record:
            return None
        findings.append(finding)
    return findings
