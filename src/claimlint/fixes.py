"""Apply the fixes findings carry: what ``claimlint check --fix``, ``--unsafe-fixes`` and
``--diff`` do, as ruff does for code.

A fix is one or more edits of the file's decoded text (see ``claimlint.findings.Fix``). Fixes
are applied in passes: each pass applies every applicable fix that does not overlap (or touch)
one applied before it in the pass, then lints the new text again, so a fix skipped for an
overlap is picked up from fresh offsets by a later pass; passes stop when nothing changes, or
after ``MAX_PASSES``. The text keeps everything the edits do not touch: its encoding (UTF-8,
with a byte order mark if it had one) and its line breaks (an edit never holds a line break,
so CRLF files stay CRLF).

Files are written atomically: a temporary file in the same folder, flushed and fsynced, given
the original's permission bits, then renamed over the original. A read-only file is never
rewritten. Nothing here prints or exits; the CLI reports.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimlint.deadline import deferred_signals
from claimlint.documents import decode, read_document
from claimlint.engine import Linter
from claimlint.findings import Edit, Finding, SourceView

__all__ = ["MAX_PASSES", "FileFix", "apply_fixes", "fix_text", "unified_diff", "write_atomic"]

MAX_PASSES = 10
# Picks, from one file's findings, those a run reports (and so may fix): the CLI hides
# baselined findings and unchanged lines this way. The default keeps them all.
Select = Callable[[list[Finding]], list[Finding]]
_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def _keep_all(findings: list[Finding]) -> list[Finding]:
    return findings


def applicable(finding: Finding, unsafe: bool) -> bool:
    """Whether this run applies the finding's fix: safe fixes always, unsafe ones on request."""
    return finding.fix is not None and finding.fix.applicable(unsafe)


def _clash(a: Edit, b: Edit) -> bool:
    # Touching counts: two insertions at one offset, or an insertion at the edge of a
    # replacement, would otherwise depend on the order they are applied in.
    return a.start <= b.end and b.start <= a.end


def apply_fixes(text: str, findings: Iterable[Finding], *,
                unsafe: bool = False) -> tuple[str, list[Finding]]:
    """``text`` with the applicable, non-overlapping fixes applied, and the findings fixed.

    Fixes are taken in source order; one that overlaps a fix taken before it is skipped (a
    later pass, linting the new text, offers it again). Two findings with the very same fix
    are both fixed by it. A fix whose offsets fall outside ``text`` is ignored.
    """
    # Findings that compare equal (one place, one rule, two entries) keep their input order.
    candidates = sorted((min(e.start for e in f.fix.edits), max(e.end for e in f.fix.edits),
                         f, i, f.fix.edits)
                        for i, f in enumerate(findings)
                        if f.fix is not None and f.fix.applicable(unsafe))
    taken: list[Edit] = []
    taken_fixes: set[tuple[Edit, ...]] = set()
    fixed: list[Finding] = []
    for _, _, finding, _, edits in candidates:
        if edits in taken_fixes:
            fixed.append(finding)
            continue
        if any(e.end > len(text) for e in edits) or any(
                _clash(e, other) for e in edits for other in taken) or any(
                _clash(a, b) for i, a in enumerate(edits) for b in edits[i + 1:]):
            continue
        taken.extend(edits)
        taken_fixes.add(edits)
        fixed.append(finding)
    out = text
    for edit in sorted(taken, key=lambda e: e.start, reverse=True):
        out = out[:edit.start] + edit.replacement + out[edit.end:]
    return out, fixed


@dataclass
class FileFix:
    """One file's text before and after fixing, and what is left to report."""

    path: str
    before: str  # decoded text, without a byte order mark
    after: str
    bom: bool
    fixed: list[Finding]  # findings resolved by the fixes applied, over all passes
    findings: list[Finding]  # every finding of ``after`` (the input findings if unchanged)
    passes: int = 0

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def data(self) -> bytes:
        """The fixed file's bytes: UTF-8, with the byte order mark if the original had one."""
        return (codecs.BOM_UTF8 if self.bom else b"") + self.after.encode("utf-8")


def fix_text(linter: Linter, path: str, data: bytes, findings: Sequence[Finding], *,
             unsafe: bool = False, select: Select = _keep_all, kind: str | None = None,
             max_passes: int = MAX_PASSES,
             sources: dict[str, SourceView] | None = None) -> FileFix:
    """Fix one file's ``data`` in memory, ``findings`` being those ``linter`` found in it.

    Raises DocumentError if ``data`` does not decode (such a file has no fixes anyway).
    With ``sources``, the fixed text's source view replaces the file's entry there.
    """
    bom = data.startswith(codecs.BOM_UTF8)
    before = text = decode(path, data)
    current = list(findings)
    fixed: list[Finding] = []
    passes = 0
    while passes < max_passes:
        new_text, done = apply_fixes(text, select(current), unsafe=unsafe)
        if not done or new_text == text:
            break
        passes += 1
        fixed.extend(done)
        text = new_text
        raw = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
        current = linter.lint_documents([read_document(path, raw, kind)], sources)
    return FileFix(path, before, text, bom, fixed, current, passes)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace the file at ``path`` (through a symlink, its target) with ``data``, atomically.

    Raises PermissionError for a read-only file (no write permission bit, or not writable by
    this user, root included) and OSError when the folder cannot take the temporary file;
    the original is then untouched and no temporary file is left behind.
    """
    target = Path(os.path.realpath(path))
    info = target.stat()
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    with deferred_signals():  # Ctrl-C must not split creating and renaming the file
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".claimlint-fix",
                                   dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; not every platform can open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        # Best effort: some file systems refuse to fsync a folder; the rename stands anyway.
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file, as ``ruff --diff`` prints it: ``--- path`` / ``+++ path``,
    three lines of context, line breaks kept as they are (CRLF shows as CRLF)."""
    a, b = _LINES.findall(before), _LINES.findall(after)
    out = []
    for line in difflib.unified_diff(a, b, fromfile=path, tofile=path):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
