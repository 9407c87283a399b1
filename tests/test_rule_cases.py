"""Rule cases as data, one YAML file per rule code (after sqlfluff's std_rule_cases).

Format of ``tests/rule_cases/CLxxx.yaml``::

    rule: CL101                  # must equal the file name and be a code in RULES
    cases:
      case_name:
        text: NAD+ infusions are completely safe.   # the copy (or bytes_hex, not both)
        bytes_hex: "4e41 ..."    # raw file bytes, for input that text cannot hold
        format: text             # text | markdown | html (default text)
        registry: mini           # mini | bundled (default mini: tests/data/mini_registry)
        expect:                  # EVERY finding the copy produces; [] for a clean pass
          - {rule: CL101, line: 1, column: 20}
        xfail: "why"             # optional: known pipeline bug; the case must fail (strict)
        comment: why the case is here

``expect`` is compared with all findings (every severity, including info) as a multiset of
(rule, line, column): nothing may be missing, nothing extra, and nothing reported twice. A
case is a *fail* case of its file's rule when ``expect`` names that rule and a *pass* case
otherwise. Bytes are read the way the engine reads a file, so an undecodable file or a
malformed suppression comment gives the CL900 finding the engine would report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimlint.engine import Linter
from claimlint.errors import DocumentError
from claimlint.findings import Finding
from claimlint.rules import RULES

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"
FORMATS = {"text": "txt", "markdown": "md", "html": "html"}
REGISTRIES = {"mini": "mini_linter", "bundled": "linter"}
CASE_KEYS = {"text", "bytes_hex", "format", "registry", "expect", "xfail", "comment"}
MIN_CASES = 3

Position = tuple[str, int, int]


@dataclass(frozen=True)
class RuleCase:
    file_rule: str
    name: str
    data: bytes
    format: str
    registry: str
    expect: tuple[Position, ...]
    xfail: str | None
    comment: str

    @property
    def fails(self) -> bool:
        """Whether the case expects a finding of its file's rule."""
        return any(rule == self.file_rule for rule, _, _ in self.expect)


def _position(raw: Any, where: str) -> Position:
    assert isinstance(raw, dict) and set(raw) == {"rule", "line", "column"}, (
        f"{where}: an expectation is {{rule, line, column}}, got {raw!r}")
    rule, line, column = raw["rule"], raw["line"], raw["column"]
    assert isinstance(rule, str) and isinstance(line, int) and isinstance(column, int), where
    return rule, line, column


def _case(file_rule: str, name: str, raw: Any, where: str) -> RuleCase:
    assert isinstance(raw, dict), f"{where}: a case is a mapping"
    unknown = set(raw) - CASE_KEYS
    assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
    assert ("text" in raw) != ("bytes_hex" in raw), f"{where}: give text or bytes_hex"
    data = (bytes.fromhex(raw["bytes_hex"]) if "bytes_hex" in raw
            else str(raw["text"]).encode("utf-8"))
    fmt = raw.get("format", "text")
    registry = raw.get("registry", "mini")
    assert fmt in FORMATS, f"{where}: format {fmt!r}"
    assert registry in REGISTRIES, f"{where}: registry {registry!r}"
    assert isinstance(raw.get("expect"), list), f"{where}: expect must be a list"
    expect = tuple(_position(e, where) for e in raw["expect"])
    assert len(set(expect)) == len(expect), f"{where}: an expectation is listed twice"
    xfail = raw.get("xfail")
    assert xfail is None or (isinstance(xfail, str) and xfail.strip()), f"{where}: xfail reason"
    comment = raw.get("comment")
    assert isinstance(comment, str) and comment.strip(), f"{where}: every case needs a comment"
    return RuleCase(file_rule, name, data, fmt, registry, expect, xfail, comment)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that rejects a mapping key given twice (a case name used twice would
    otherwise silently replace the first case)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        duplicated = sorted({str(k) for k in keys if keys.count(k) > 1})
        if duplicated:
            raise yaml.constructor.ConstructorError(
                None, None, f"keys given twice: {duplicated}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_case_file(path: Path) -> tuple[str, list[RuleCase]]:
    raw = yaml.load(path.read_text("utf-8"), Loader=_UniqueKeyLoader)
    assert isinstance(raw, dict) and set(raw) == {"rule", "cases"}, (
        f"{path.name}: top level is {{rule, cases}}")
    rule = raw["rule"]
    assert isinstance(rule, str) and isinstance(raw["cases"], dict), path.name
    cases = [_case(rule, str(name), body, f"{path.name}:{name}")
             for name, body in raw["cases"].items()]
    return rule, cases


def _load_all() -> dict[str, tuple[str, list[RuleCase]]]:
    return {path.name: load_case_file(path) for path in sorted(CASES_DIR.glob("*.yaml"))}


CASE_FILES = _load_all()
ALL_CASES = [case for _, cases in CASE_FILES.values() for case in cases]


def _param(case: RuleCase) -> Any:
    marks = ([pytest.mark.xfail(reason=case.xfail, strict=True, raises=AssertionError)]
             if case.xfail else [])
    return pytest.param(case, id=f"{case.file_rule}-{case.name}", marks=marks)


def run_case(linter: Linter, case: RuleCase) -> list[Finding]:
    """All findings for the case's bytes, read the way the engine reads a file."""
    path = f"case.{FORMATS[case.format]}"
    try:
        document = linter.read(path, case.data, case.format)
    except DocumentError as exc:
        return [linter.input_error(exc)]
    return linter.lint_documents([document])


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_rule_case(case: RuleCase, request: pytest.FixtureRequest) -> None:
    linter: Linter = request.getfixturevalue(REGISTRIES[case.registry])
    findings = run_case(linter, case)
    got = Counter((f.rule, f.line, f.column) for f in findings)
    expected = Counter(case.expect)
    described = [f"{f.rule} {f.line}:{f.column} {f.message}" for f in sorted(findings)]
    assert got == expected, (
        f"{case.comment}\nmissing: {sorted((expected - got).elements())}\n"
        f"unexpected: {sorted((got - expected).elements())}\nall findings:\n  "
        + "\n  ".join(described))


def test_every_rule_has_a_case_file_with_enough_cases() -> None:
    by_rule = {rule: cases for rule, cases in CASE_FILES.values()}
    missing = sorted(set(RULES) - set(by_rule))
    assert not missing, f"rules without a case file: {missing}"
    for rule, cases in sorted(by_rule.items()):
        # Known-wrong (xfail) cases do not count towards the minimum.
        settled = [c for c in cases if not c.xfail]
        fails = sum(c.fails for c in settled)
        passes = len(settled) - fails
        assert fails >= MIN_CASES, f"{rule}: {fails} fail cases, need {MIN_CASES}"
        assert passes >= MIN_CASES, f"{rule}: {passes} pass cases, need {MIN_CASES}"


def test_case_files_name_only_known_codes() -> None:
    for file_name, (rule, cases) in CASE_FILES.items():
        assert rule in RULES, f"{file_name}: unknown rule {rule}"
        assert file_name == f"{rule}.yaml", f"{file_name} holds cases for {rule}"
        for case in cases:
            unknown = {r for r, _, _ in case.expect} - set(RULES)
            assert not unknown, f"{file_name}:{case.name} expects unknown rules {unknown}"
