from __future__ import annotations

import io
import json

import pytest

from claimlint import __version__
from claimlint.findings import LintResult
from claimlint.report import FORMATS, REPORTERS, render, resolve_format
from claimlint.rules.base import RuleMeta


def rendered(
    result: LintResult, fmt: str, rules: dict[str, RuleMeta], tool_version: str = ""
) -> str:
    out = io.StringIO()
    render(result, fmt, out, rules=rules, tool_version=tool_version)
    return out.getvalue()


def test_table_has_one_reporter_per_format() -> None:
    assert set(REPORTERS) == {"text", "json", "sarif", "github", "junit", "gitlab", "html"}
    assert set(FORMATS) == {*REPORTERS, "auto"}


@pytest.mark.parametrize(
    ("fmt", "env", "expected"),
    [
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {"GITHUB_ACTIONS": "false"}, "text"),
        ("auto", {}, "text"),
        ("json", {"GITHUB_ACTIONS": "true"}, "json"),
        ("sarif", {}, "sarif"),
    ],
)
def test_resolve_format(fmt: str, env: dict[str, str], expected: str) -> None:
    assert resolve_format(fmt, env) == expected


def test_unknown_format_is_rejected(result: LintResult, rules: dict[str, RuleMeta]) -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        resolve_format("xml", {})
    with pytest.raises(ValueError):
        rendered(result, "xml", rules)


def test_auto_picks_github_under_actions(
    result: LintResult, rules: dict[str, RuleMeta], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert rendered(result, "auto", rules) == rendered(result, "github", rules)
    assert rendered(result, "auto", rules).startswith("::error file=pages/ketamine.md,")


def test_auto_picks_text_elsewhere(
    result: LintResult, rules: dict[str, RuleMeta], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert rendered(result, "auto", rules) == rendered(result, "text", rules)
    assert rendered(result, "auto", rules).startswith("pages/ketamine.md:3:1: CL101 ")


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_render_delegates_to_the_table(
    fmt: str, result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    direct = io.StringIO()
    REPORTERS[fmt](result, direct, rules=rules, color=False, tool_version="9.9")
    assert rendered(result, fmt, rules, tool_version="9.9") == direct.getvalue()


def test_tool_version_defaults_to_the_package_version(
    result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    assert json.loads(rendered(result, "json", rules))["tool"]["version"] == __version__
