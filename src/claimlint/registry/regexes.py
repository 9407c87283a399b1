"""Regular expressions from registry files are checked before they ever see copy.

A registry pattern runs on every token (or sentence) of every page, so one that backtracks
catastrophically (``(a+)+``, ``(a|a)*b``) would hang a run, and the engine's time limit cannot
interrupt a regular-expression match, which runs in C. Two checks, both at load time:

1. Static, on the parsed expression: a quantified group that holds another unbounded
   quantifier (star height above one: ``(a+)+``, ``(.*)*``, ``(\\w+\\s?)+``), and an unbounded
   repetition of alternatives that can start with the same character (``(a|a)*``,
   ``(a|ab)+``). Either can make the matcher try exponentially many ways to split a text.
   Rewrite them with one quantifier (``a+``, ``(?:ab?)+``) or disjoint alternatives.
2. Dynamic, for what passes: each expression is run in a child process against texts built
   from its own characters (``aaaa...!``), and one that takes over ``PROBE_SECONDS`` is
   refused. A child process, because a match cannot be interrupted in this one.

``regex_problems`` returns a message per bad expression; the loader turns each into an error
naming the file, line and JSON pointer.
"""

from __future__ import annotations

import importlib
import json
import os
import selectors
import string
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["PROBE_SECONDS", "regex_problems", "static_problem"]

# How long one expression may take over all its probe texts (a sound one takes microseconds).
PROBE_SECONDS = 2.0
# Repetitions in a probe text: even 1.6**40 ways to split it (the Fibonacci growth of
# (a|aa)+b) is far past any deadline, while a sound expression takes microseconds.
_PROBE_LENGTH = 40

_parser: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11)
                                       else "sre_parse")
_constants: Any = importlib.import_module("re._constants" if sys.version_info >= (3, 11)
                                          else "sre_constants")
_C = _constants
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
_UNBOUNDED = _C.MAXREPEAT
# Characters tried as the first character of each alternative (plus the pattern's own).
_SAMPLE = frozenset(string.printable) | frozenset("éßΩж中١💊\u00a0\u2013")


def static_problem(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically, or None (it must compile)."""
    parsed = _parser.parse(pattern)
    sample = _SAMPLE | frozenset(pattern)
    return _scan(list(parsed), sample, inside_unbounded=False)


def _scan(items: list[Any], sample: frozenset[str], inside_unbounded: bool) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            _low, high, body = av
            unbounded = high == _UNBOUNDED
            if unbounded and inside_unbounded and _can_match_text(list(body)):
                return ("nested quantifiers (a repeated group holding another unbounded "
                        "repeat, like (a+)+ or (.*)*) can backtrack catastrophically; use "
                        "one quantifier")
            if unbounded or high > 1:
                branch = _alternatives(list(body))
                if branch is not None and unbounded and _overlap(branch, sample):
                    return ("a repeated group of alternatives that can start with the same "
                            "character (like (a|a)* or (a|ab)+) can backtrack "
                            "catastrophically; make the alternatives disjoint")
            found = _scan(list(body), sample, inside_unbounded or unbounded)
            if found:
                return found
        elif op == _C.SUBPATTERN:
            found = _scan(list(av[-1]), sample, inside_unbounded)
            if found:
                return found
        elif op == _C.BRANCH:
            for alternative in av[1]:
                found = _scan(list(alternative), sample, inside_unbounded)
                if found:
                    return found
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            found = _scan(list(av[1]), sample, inside_unbounded)
            if found:
                return found
    return None


def _alternatives(items: list[Any]) -> list[list[Any]] | None:
    """The alternatives of a repeated body that is one alternation (in groups), or None."""
    while len(items) == 1 and items[0][0] == _C.SUBPATTERN:
        items = list(items[0][1][-1])
    if len(items) == 1 and items[0][0] == _C.BRANCH:
        return [list(a) for a in items[0][1][1]]
    if len(items) == 1 and items[0][0] == _C.IN:
        return None  # a character class never matches one character two ways
    return None


def _overlap(alternatives: list[list[Any]], sample: frozenset[str]) -> bool:
    seen: set[str] = set()
    for alternative in alternatives:
        first, _nullable = _first(alternative, sample)
        if seen & first:
            return True
        seen |= first
    return False


def _can_match_text(items: list[Any]) -> bool:
    """Whether ``items`` can match a non-empty text (an empty-only body cannot backtrack)."""
    return any(op not in (_C.AT, _C.ASSERT, _C.ASSERT_NOT) for op, _ in items)


def _first(items: list[Any], sample: frozenset[str]) -> tuple[set[str], bool]:
    """Sample characters a match of ``items`` can start with, and whether it can be empty."""
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _first_of(op, av, sample)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_of(op: Any, av: Any, sample: frozenset[str]) -> tuple[set[str], bool]:
    if op == _C.LITERAL:
        return {chr(av)}, False
    if op == _C.NOT_LITERAL:
        return set(sample - {chr(av)}), False
    if op == _C.ANY:
        return set(sample), False
    if op == _C.IN:
        return {c for c in sample if _in_class(c, av)}, False
    if op == _C.SUBPATTERN:
        return _first(list(av[-1]), sample)
    if op == _C.BRANCH:
        chars: set[str] = set()
        nullable = False
        for alternative in av[1]:
            c, n = _first(list(alternative), sample)
            chars |= c
            nullable = nullable or n
        return chars, nullable
    if op in _REPEATS:
        low, _high, body = av
        chars, nullable = _first(list(body), sample)
        return chars, nullable or low == 0
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
        return set(), True
    return set(sample), True  # back references and anything else: assume the worst


def _in_class(char: str, items: Sequence[Any]) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op == _C.NEGATE:
            negate = True
        elif op == _C.LITERAL:
            hit = hit or char == chr(av)
        elif op == _C.RANGE:
            hit = hit or av[0] <= ord(char) <= av[1]
        elif op == _C.CATEGORY:
            hit = hit or _in_category(char, av)
    return hit != negate


def _in_category(char: str, category: Any) -> bool:
    name = str(category).upper()
    if "DIGIT" in name:
        found = char.isdigit()
    elif "SPACE" in name:
        found = char.isspace()
    elif "WORD" in name:
        found = char.isalnum() or char == "_"
    else:
        return True
    return found != ("NOT" in name)


# -- the dynamic probe ------------------------------------------------------------------------

_PROBE = r"""
import json, re, sys
jobs = json.loads(sys.stdin.read())
print("ready", flush=True)
for index, (pattern, texts) in enumerate(jobs):
    print(index, flush=True)
    compiled = re.compile(pattern)
    for text in texts:
        compiled.search(text)
print("done", flush=True)
"""


def _probe_texts(pattern: str) -> list[str]:
    """Texts that make a backtracking pattern explode: runs of its own characters (and pairs
    of them) followed by a character that makes the match fail at the end."""
    chars = sorted({c for c in pattern if c.isprintable() and c not in "()[]{}|*+?^$\\"}
                   | set("a1 -."))[:12]
    texts: list[str] = []
    for end in ("!", "\x00", ""):
        texts.extend(c * _PROBE_LENGTH + end for c in chars)
        texts.extend((a + b) * (_PROBE_LENGTH // 2) + end for a in chars for b in chars
                     if a < b)
    return texts


def _probe(patterns: Sequence[str], seconds: float) -> int | None:
    """The index of the first pattern that takes over ``seconds`` on its probe texts, or None
    (also when no child process can be started: the static check still applies)."""
    jobs = [[p, _probe_texts(p)] for p in patterns]
    try:
        child = subprocess.Popen([sys.executable, "-I", "-S", "-c", _PROBE],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
    except OSError:
        return None
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write(json.dumps(jobs).encode("utf-8"))
        child.stdin.close()
        selector = selectors.DefaultSelector()
        selector.register(child.stdout, selectors.EVENT_READ)
        buffer = b""
        current: int | None = None
        started = 0.0
        ready = False
        setup_deadline = time.monotonic() + 30  # a slow machine may take a while to start
        while True:
            limit = (started + seconds) if current is not None else setup_deadline
            wait = limit - time.monotonic()
            if wait <= 0 or not selector.select(wait):
                return current if ready else None
            chunk = os.read(child.stdout.fileno(), 4096)
            if not chunk:
                return None  # the child died (not a timing problem): nothing to report
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                word = line.decode().strip()
                if word == "ready":
                    ready = True
                elif word == "done":
                    return None
                elif word.isdigit():
                    current, started = int(word), time.monotonic()
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def regex_problems(patterns: Sequence[str], seconds: float = PROBE_SECONDS) -> dict[int, str]:
    """Index -> why, for each of ``patterns`` that is unsafe to run on copy.

    Checked in order: it must compile, must not match the empty string (it would match every
    token), must pass the static check, and must finish its probe texts within ``seconds``.
    """
    import re

    problems: dict[int, str] = {}
    dynamic: list[int] = []
    for i, pattern in enumerate(patterns):
        try:
            compiled = re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            problems[i] = f"invalid regular expression: {exc}"
            continue
        if compiled.search("") is not None:
            problems[i] = ("regular expression matches the empty string, so it matches "
                           "every token")
            continue
        static = static_problem(pattern)
        if static is not None:
            problems[i] = static
            continue
        dynamic.append(i)
    while dynamic:
        slow = _probe([patterns[i] for i in dynamic], seconds)
        if slow is None:
            break
        index = dynamic[slow]
        problems[index] = (f"regular expression took over {seconds:g} s on a "
                           f"{_PROBE_LENGTH}-character text (catastrophic backtracking)")
        dynamic = dynamic[slow + 1:]
    return dict(sorted(problems.items()))
