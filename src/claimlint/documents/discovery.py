"""Which files to lint: walk the paths given, honour include/exclude globs and .gitignore.

Patterns use gitignore syntax (via pathspec), so ``drafts/``, ``**/legacy/*.md`` and ``!keep.md``
mean what they mean in a .gitignore file. The walk is sorted so runs are reproducible.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import pathspec

from claimlint.errors import DocumentError

DEFAULT_INCLUDE: tuple[str, ...] = ("*.md", "*.markdown", "*.html", "*.htm", "*.txt")
SKIPPED_DIRS = frozenset({".git", ".hg", ".venv", "node_modules", "__pycache__"})


def discover(paths: Sequence[str], include: Sequence[str] = DEFAULT_INCLUDE,
             exclude: Sequence[str] = (), respect_gitignore: bool = True) -> list[str]:
    """The files to lint under ``paths``, each once, in a stable order.

    Directories are walked for files matching ``include``. A file named directly is linted
    whatever its name, since the user asked for it, but ``exclude`` still applies.
    """
    included = pathspec.GitIgnoreSpec.from_lines(include or DEFAULT_INCLUDE)
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    found: list[str] = []
    seen: set[str] = set()
    for given in paths:
        if not os.path.exists(given):
            raise DocumentError("no such file or directory", path=given)
        if os.path.isdir(given):
            walker = _Walker(given, included, excluded, respect_gitignore)
            candidates: Iterator[str] = walker.files()
        else:
            shown = _posix(os.path.normpath(given))
            skip = _matches(excluded, shown, os.path.basename(shown))
            candidates = iter(() if skip else (os.path.normpath(given),))
        for path in candidates:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                found.append(path)
    return found


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _matches(spec: pathspec.GitIgnoreSpec, *paths: str) -> bool:
    return any(spec.match_file(p) for p in paths)


class _Walker:
    def __init__(self, root: str, included: pathspec.GitIgnoreSpec,
                 excluded: pathspec.GitIgnoreSpec, respect_gitignore: bool) -> None:
        self.root = root
        self.included = included
        self.excluded = excluded
        self.ignore = _GitIgnore(root) if respect_gitignore else None
        self._visited: set[str] = set()

    def files(self) -> Iterator[str]:
        yield from self._walk(self.root, "")

    def _walk(self, directory: str, rel: str) -> Iterator[str]:
        real = os.path.realpath(directory)
        if real in self._visited:
            return  # a symlink loop, or a second way into the same tree
        self._visited.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            # An unreadable folder is listed itself, so that reading it reports why (CL900)
            # instead of its files going unchecked without a word.
            yield os.path.normpath(directory)
            return
        for entry in entries:
            entry_rel = f"{rel}{entry.name}"
            shown = _posix(os.path.normpath(os.path.join(self.root, entry_rel)))
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop
                is_dir = False
            if is_dir:
                if self._keep_dir(entry, entry_rel, shown):
                    yield from self._walk(entry.path, entry_rel + "/")
            elif self._keep_file(entry, entry_rel, shown):
                # Regular files, and anything else named like one (a broken symlink, a symlink
                # loop, a named pipe): reading those reports why they cannot be linted.
                yield os.path.normpath(os.path.join(self.root, entry_rel))

    def _keep_dir(self, entry: os.DirEntry[str], rel: str, shown: str) -> bool:
        if entry.name in SKIPPED_DIRS:
            return False
        if _matches(self.excluded, rel + "/", shown + "/", entry.name + "/"):
            return False
        return self.ignore is None or not self.ignore.ignored(entry.path, is_dir=True)

    def _keep_file(self, entry: os.DirEntry[str], rel: str, shown: str) -> bool:
        if not _matches(self.included, rel, entry.name):
            return False
        if _matches(self.excluded, rel, shown, entry.name):
            return False
        return self.ignore is None or not self.ignore.ignored(entry.path, is_dir=False)


class _GitIgnore:
    """The .gitignore rules that apply below ``root``, as git would apply them.

    Files are read from the git work tree's root down to each path's directory (deeper files
    override shallower ones, later lines earlier ones), after ``.git/info/exclude``. Outside a
    git work tree only the .gitignore files under ``root`` count.
    """

    def __init__(self, root: str) -> None:
        root = os.path.abspath(root)
        top = _git_root(root)
        self.base = top or root
        self._specs: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._exclude = _read_spec(os.path.join(top, ".git", "info", "exclude")) if top else None

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        path = os.path.abspath(path)
        rel = _posix(os.path.relpath(path, self.base))
        suffix = "/" if is_dir else ""
        verdict = _check(self._exclude, rel + suffix)
        directory = self.base
        parts = rel.split("/")
        for depth, part in enumerate(parts):
            spec = self._spec_for(directory)
            outcome = _check(spec, "/".join(parts[depth:]) + suffix)
            if outcome is not None:
                verdict = outcome
            directory = os.path.join(directory, part)
        return bool(verdict)

    def _spec_for(self, directory: str) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            self._specs[directory] = _read_spec(os.path.join(directory, ".gitignore"))
        return self._specs[directory]


def _check(spec: pathspec.GitIgnoreSpec | None, rel: str) -> bool | None:
    """True: ignored, False: re-included by a ``!`` pattern, None: no pattern matched."""
    if spec is None:
        return None
    result: bool | None = spec.check_file(rel).include
    return result


def _read_spec(path: str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines())
    except OSError:
        return None


def _git_root(start: str) -> str | None:
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
