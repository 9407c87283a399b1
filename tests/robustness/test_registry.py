"""Broken and hostile registries and configs, through the command line: each is refused with
exit 2 and one message naming the file, the line and the JSON pointer, by both
`claimlint registry validate DIR` and `claimlint check --registry DIR`, before any linting (no
partial registry is ever used)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimlint.cli import main

from .conftest import one_input

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_registry"
PATTERN_LINE = "lemmas: [regenerate, regeneration of damaged nerve]"


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / "entries.yaml"
        text = path.read_text()
        assert old in text, old
        path.write_text(text.replace(old, new, 1))
    return change


def _pattern(token_pattern: str) -> Callable[[Path], None]:
    return _replace(PATTERN_LINE, f"patterns: [[{token_pattern}]]")


def _new_file(name: str, content: str | bytes) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        data = content if isinstance(content, bytes) else content.encode()
        (folder / name).write_bytes(data)
    return change


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


# name -> (how to break the mini registry, file, line or None, pointer or None, message part)
CASES: dict[str, tuple[Callable[[Path], None], str, int | None, str | None, str]] = {
    "unknown key": (_replace("    topic: efficacy\n    conditions: [crps]",
                             "    topic: efficacy\n    colour: red\n    conditions: [crps]"),
                    "entries.yaml", 5, "/entries/0/colour", "colour"),
    "wrong type": (_replace("max_certainty: qualified", "max_certainty: 3"),
                   "entries.yaml", 8, "/entries/0/max_certainty", "schema violation"),
    "wrong top-level type": (_new_file("more.yaml", "- just\n- a list\n"), "more.yaml", 1, "/",
                             "schema violation"),
    "duplicate id": (_replace("id: ketamine.efficacy.neuropathic", "id: ketamine.efficacy.crps"),
                     "entries.yaml", 21, "/entries/1/id", "duplicate entry id"),
    "duplicate yaml key": (_replace("    topic: efficacy\n    conditions: [crps]",
                                    "    topic: efficacy\n    topic: safety\n"
                                    "    conditions: [crps]"),
                           "entries.yaml", 5, "/entries/0/topic", "duplicate key 'topic'"),
    "missing reference": (_replace("references: [test-ref]}", "references: [nope-2020]}"),
                          "entries.yaml", 13, "/entries/0/evidence/references/0",
                          "unknown reference id 'nope-2020'"),
    "missing condition": (_replace("conditions: [crps]", "conditions: [gout]"), "entries.yaml", 5,
                          "/entries/0/conditions/0", "unknown condition id 'gout'"),
    "missing specialized entry": (_replace("    topic: efficacy\n    conditions: [crps]",
                                           "    topic: efficacy\n    specializes: [a.b]\n"
                                           "    conditions: [crps]"),
                                  "entries.yaml", 5, "/entries/0/specializes/0",
                                  "specializes unknown entry 'a.b'"),
    "alias bomb": (_new_file("bomb.yaml", _alias_bomb()), "bomb.yaml", None, None,
                   "too large or too deeply aliased"),
    "huge file": (_new_file("huge.yaml", "# " + "x" * 2_100_000 + "\n"), "huge.yaml", None, None,
                  "larger than"),
    "yaml syntax error": (_new_file("broken.yaml", "entries:\n  - id: [unclosed\n"),
                          "broken.yaml", 3, None, "invalid YAML"),
    "not utf-8": (_new_file("latin.yaml", "entries: []\n# s\xfbr\n".encode("latin-1")),
                  "latin.yaml", None, None, "not UTF-8"),
    "pattern matching anything": (_pattern('{"OP": "*"}'), "entries.yaml", 56,
                                  "/entries/3/match/patterns/0", "would match anything"),
    "invalid token pattern": (_pattern('{"LEMMA": {"REGEX": 5}}'), "entries.yaml", 56,
                              "/entries/3/match/patterns/0", "invalid token pattern"),
    "regex matching the empty string": (_pattern('{"LOWER": {"REGEX": ".*"}}'),
                                        "entries.yaml", 56,
                                        "/entries/3/match/patterns/0/0/LOWER/REGEX",
                                        "matches the empty string"),
    "regex (a|a)*": (_pattern('{"LOWER": "x"}, {"LOWER": {"REGEX": "(a|a)*"}}'),
                     "entries.yaml", 56, "/entries/3/match/patterns/0/1/LOWER/REGEX",
                     "matches the empty string"),
    "nested quantifiers (a+)+": (_pattern('{"LOWER": {"REGEX": "^(a+)+$"}}'), "entries.yaml", 56,
                                 "/entries/3/match/patterns/0/0/LOWER/REGEX",
                                 "nested quantifiers"),
    "nested quantifiers (.*)*x": (_pattern('{"TEXT": {"REGEX": "(.*)*x"}}'), "entries.yaml", 56,
                                  "/entries/3/match/patterns/0/0/TEXT/REGEX",
                                  "nested quantifiers"),
    "overlapping alternatives": (_pattern('{"LOWER": {"REGEX": "(?:a|b|ab)+c"}}'),
                                 "entries.yaml", 56,
                                 "/entries/3/match/patterns/0/0/LOWER/REGEX",
                                 "alternatives that can start with the same character"),
    "catastrophic backtracking at run time": (_pattern('{"LOWER": {"REGEX": "(a|aa)+b"}}'),
                                              "entries.yaml", 56,
                                              "/entries/3/match/patterns/0/0/LOWER/REGEX",
                                              "catastrophic backtracking"),
    "invalid regex": (_pattern('{"LOWER": {"REGEX": "(unclosed"}}'), "entries.yaml", 56,
                      "/entries/3/match/patterns/0", "invalid"),
}


@pytest.fixture
def broken(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    folder = tmp_path / "reg"
    shutil.copytree(MINI, folder)
    CASES[request.param][0](folder)
    return folder


def _check_message(output: str, folder: Path, name: str) -> None:
    _, file, line, pointer, says = CASES[name]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output  # one line, no traceback
    message = lines[0]
    assert message.startswith("claimlint: error: ")
    where = f"{folder / file}:{line}" if line is not None else str(folder / file)
    assert where in message, message
    if pointer is not None:
        assert f"(at {pointer})" in message, message
    assert says in message, message


@pytest.mark.parametrize("broken", list(CASES), indirect=True)
def test_registry_validate_refuses(broken: Path, request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.params["broken"]
    with one_input(limit=15):
        result = CliRunner().invoke(main, ["registry", "validate", str(broken)])
    assert result.exit_code == 2, result.output
    _check_message(result.output, broken, name)


@pytest.mark.parametrize("broken", list(CASES), indirect=True)
def test_check_with_the_registry_refuses_before_linting(
        broken: Path, request: pytest.FixtureRequest, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import claimlint.engine

    name = request.node.callspec.params["broken"]
    post = tmp_path / "post.md"
    post.write_text("Ketamine is completely safe.\n")

    def no_linting(*args: object, **kwargs: object) -> None:
        raise AssertionError("a broken registry must stop the run before any file is linted")

    monkeypatch.setattr(claimlint.engine.Linter, "lint_paths", no_linting)
    with one_input(limit=15):
        result = CliRunner().invoke(main, ["check", "--no-cache", "--registry", str(broken),
                                           str(post)])
    assert result.exit_code == 2, result.output
    _check_message(result.output, broken, name)


def test_sound_regex_patterns_load(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    shutil.copytree(MINI, folder)
    _pattern('{"LOWER": {"REGEX": "^regenerat(e|es|ed|ing|ion)$"}}, '
             '{"LOWER": {"REGEX": "^nerves?$"}, "OP": "?"}')(folder)
    with one_input():
        result = CliRunner().invoke(main, ["registry", "validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert re.match(r"ok: \d+ entries", result.output)


CONFIGS = {
    "unknown key": ("max-file-secs = 3\n", 1, "/max-file-secs", "unknown key"),
    "wrong type": ("max-file-seconds = \"fast\"\n", 1, "/max-file-seconds", "must be a number"),
    "zero seconds": ("max-file-seconds = 0\n", 1, "/max-file-seconds", "must be more than 0"),
    "wrong size type": ("max-file-size = 1.5\n", 1, "/max-file-size", "must be an integer"),
    "invalid toml": ("select = [\n", 1, None, "invalid TOML"),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_bad_config_is_refused(name: str, tmp_path: Path) -> None:
    text, line, pointer, says = CONFIGS[name]
    (tmp_path / ".claimlint.toml").write_text(text)
    (tmp_path / "post.md").write_text("Ketamine is completely safe.\n")
    with one_input(limit=15):
        result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "post.md")])
    assert result.exit_code == 2, result.output
    assert f".claimlint.toml:{line}" in result.output and says in result.output, result.output
    if pointer:
        assert f"(at {pointer})" in result.output
