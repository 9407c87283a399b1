"""Tests for claimlint.config: discovery, validation messages, layering, rule selection."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimlint.config import (
    ALWAYS_ENABLED,
    DEFAULT_INCLUDE,
    Settings,
    find_config_file,
    load_settings,
    resolve_rules,
    severity_for,
)
from claimlint.errors import ConfigError

TABLE = {
    "CL001": ("contradicted-claim",),
    "CL002": ("unregistered-claim",),
    "CL101": ("absolute-safety", "no-side-effects"),
    "CL102": ("addiction-minimised",),
    "CL110": ("guarantee",),
    "CL201": ("unsourced-statistic",),
    "CL900": ("input-error",),
}
ALL_CODES = frozenset(TABLE)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(start: Path, config_file: Path | None = None,
               overrides: Mapping[str, Any] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_settings(start, config_file, overrides)
    return info.value


# --- the schema ---------------------------------------------------------------------------


def test_schema_is_a_valid_closed_draft_2020_12_schema() -> None:
    schema = json.loads(
        resources.files("claimlint.config").joinpath("schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


def test_every_schema_key_is_a_settings_field() -> None:
    schema = json.loads(
        resources.files("claimlint.config").joinpath("schema.json").read_text("utf-8"))
    fields = {f.name for f in dataclasses.fields(Settings)}
    # extend-exclude is folded into exclude; everything else has a field of its own.
    assert {k.replace("-", "_") for k in schema["properties"]} - fields == {"extend_exclude"}


# --- discovery ----------------------------------------------------------------------------


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.config_path is None
    assert settings.root == tmp_path.resolve()
    assert settings.select == ("ALL",)
    assert settings.ignore == ()
    assert settings.fail_on == "warning"
    assert settings.include == DEFAULT_INCLUDE
    assert settings.exclude == ()
    assert settings.respect_gitignore is True
    assert settings.disable_bundled_registry is False
    assert settings.spacy_model is None
    assert settings.max_file_size == 10_000_000


def test_discovery_walks_up_from_the_start_directory(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", '[tool.claimlint]\nfail-on = "error"\n')
    start = tmp_path / "site" / "content" / "posts"
    start.mkdir(parents=True)
    settings = load_settings(start)
    assert settings.config_path == config.resolve()
    assert settings.root == tmp_path.resolve()
    assert settings.fail_on == "error"
    assert find_config_file(start) == config.resolve()


def test_dedicated_file_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.claimlint]\nfail-on = "error"\n')
    dedicated = write(tmp_path / ".claimlint.toml", 'fail-on = "info"\n')
    settings = load_settings(tmp_path)
    assert settings.config_path == dedicated.resolve()
    assert settings.fail_on == "info"


def test_nearer_file_wins_over_one_further_up(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", 'fail-on = "info"\n')
    nearer = write(tmp_path / "docs" / "pyproject.toml", '[tool.claimlint]\nfail-on = "error"\n')
    assert load_settings(tmp_path / "docs").config_path == nearer.resolve()


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / ".claimlint.toml", 'fail-on = "info"\n')
    write(tmp_path / "web" / "pyproject.toml", '[project]\nname = "web"\n\n[tool.ruff]\n')
    settings = load_settings(tmp_path / "web")
    assert settings.config_path == outer.resolve()
    assert settings.root == tmp_path.resolve()


def test_explicit_config_file_is_the_only_one_used(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", 'fail-on = "info"\nignore = ["CL1"]\n')
    chosen = write(tmp_path / "ci" / "strict.toml", 'fail-on = "error"\n')
    settings = load_settings(tmp_path, config_file=chosen)
    assert settings.config_path == chosen.resolve()
    assert settings.root == chosen.parent.resolve()
    assert settings.fail_on == "error"
    assert settings.ignore == ()  # nothing leaks in from the discovered file


def test_explicit_pyproject_uses_its_tool_table(tmp_path: Path) -> None:
    chosen = write(tmp_path / "pyproject.toml", '[tool.claimlint]\nselect = ["CL1"]\n')
    assert load_settings(tmp_path, config_file=chosen).select == ("CL1",)


def test_explicit_pyproject_without_our_table_is_an_error(tmp_path: Path) -> None:
    chosen = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    error = load_error(tmp_path, config_file=chosen)
    assert "[tool.claimlint]" in error.message
    assert error.path == str(chosen.resolve())


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    error = load_error(tmp_path, config_file=tmp_path / "nope.toml")
    assert "not found" in error.message
    assert error.path == str(tmp_path / "nope.toml")


# --- validation messages --------------------------------------------------------------------


def test_unknown_key_in_pyproject_names_key_file_pointer_and_line(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml",
                   '[project]\nname = "x"\n\n[tool.claimlint]\nselect = ["ALL"]\n'
                   'selcet = ["CL1"]\n')
    error = load_error(tmp_path)
    assert "unknown key 'selcet'" in error.message
    assert "did you mean 'select'?" in error.message
    assert error.path == str(config.resolve())
    assert error.pointer == "/tool/claimlint/selcet"
    assert error.line == 6
    rendered = str(error)
    assert "selcet" in rendered
    assert str(config.resolve()) in rendered
    assert "/tool/claimlint/selcet" in rendered


def test_unknown_key_in_dedicated_file(tmp_path: Path) -> None:
    config = write(tmp_path / ".claimlint.toml",
                   '# house style\nfail-on = "error"\nextend_select = []\n')
    error = load_error(tmp_path)
    assert "unknown key 'extend_select'" in error.message
    assert "did you mean 'extend-select'?" in error.message
    assert error.path == str(config.resolve())
    assert error.pointer == "/extend_select"
    assert error.line == 3


def test_tool_table_in_dedicated_file_gets_a_hint(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", '[tool.claimlint]\nselect = ["ALL"]\n')
    error = load_error(tmp_path)
    assert "unknown key 'tool'" in error.message
    assert "top level" in error.message
    assert error.line == 1


def test_wrong_type_names_key_and_expected_type(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml",
                   '[tool.claimlint]\nfail-on = "error"\nselect = "CL1"\n')
    error = load_error(tmp_path)
    assert error.message == "'select' must be an array of strings, not a string"
    assert error.pointer == "/tool/claimlint/select"
    assert error.line == 3
    assert error.path == str(config.resolve())


@pytest.mark.parametrize(
    ("body", "fragment", "pointer", "line"),
    [
        ('max-file-size = true\n', "'max-file-size' must be an integer, not a boolean",
         "/max-file-size", 1),
        ('max-file-size = 0\n', "'max-file-size' must be at least 1", "/max-file-size", 1),
        ('respect-gitignore = "yes"\n', "'respect-gitignore' must be a boolean",
         "/respect-gitignore", 1),
        ('fail-on = "fatal"\n', '\'fail-on\' must be one of "error", "warning", "info"',
         "/fail-on", 1),
        ('select = ["CL1", 7]\n', "'select[1]' must be a string, not an integer", "/select/1", 1),
        ('select = ["CL 1"]\n', "'select[0]' is not a valid rule selector", "/select/0", 1),
        ('[per-file-ignores]\n"docs/*.md" = "CL1"\n',
         '\'per-file-ignores."docs/*.md"\' must be an array of strings',
         "/per-file-ignores/docs~1*.md", 2),
        ('[severity]\nCL101 = "fatal"\n', "'severity.CL101' must be one of", "/severity/CL101", 2),
        ('severity = {"CL 1" = "error"}\n', "invalid rule selector 'CL 1'", "/severity/CL 1", 1),
        ('spacy-model = ""\n', "'spacy-model' must not be empty", "/spacy-model", 1),
    ],
)
def test_value_errors(tmp_path: Path, body: str, fragment: str, pointer: str, line: int) -> None:
    write(tmp_path / ".claimlint.toml", body)
    error = load_error(tmp_path)
    assert fragment in error.message
    assert error.pointer == pointer
    assert error.line == line


def test_first_problem_in_file_order_is_reported(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", 'ignore = 1\nfail-on = "nope"\nselect = 2\n')
    assert load_error(tmp_path).pointer == "/ignore"


def test_toml_syntax_error_has_file_line_and_column(tmp_path: Path) -> None:
    config = write(tmp_path / ".claimlint.toml", 'select = ["ALL"]\nfail-on = \n')
    error = load_error(tmp_path)
    assert error.message.startswith("invalid TOML:")
    assert "(at line" not in error.message  # the position moved into line/column
    assert error.path == str(config.resolve())
    assert (error.line, error.column) == (2, 11)
    assert str(error).startswith(f"{config.resolve()}:2:11: invalid TOML")


def test_toml_syntax_error_in_a_pyproject_on_the_way_up(tmp_path: Path) -> None:
    # It might hold our table, so it is reported rather than silently passed over.
    write(tmp_path / "pyproject.toml", "[tool.claimlint\n")
    error = load_error(tmp_path)
    assert error.line == 1
    assert "invalid TOML" in error.message


def test_tool_claimlint_must_be_a_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool]\nclaimlint = 3\n")
    assert "must be a table" in load_error(tmp_path).message


# --- values and layering --------------------------------------------------------------------


def test_file_values_are_converted_to_settings(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", """\
select = ["CL0", "CL1"]
ignore = ["guarantee"]
extend-select = ["CL201"]
include = ["*.md"]
exclude = ["drafts/**"]
extend-exclude = ["archive/**"]
respect-gitignore = false
disable-bundled-registry = true
spacy-model = "en_core_web_sm"
max-file-size = 2048

[per-file-ignores]
"legal/*.md" = ["CL1"]
"faq.html" = ["CL201", "guarantee"]

[severity]
ALL = "info"
CL101 = "error"
""")
    settings = load_settings(tmp_path)
    assert settings.select == ("CL0", "CL1")
    assert settings.ignore == ("guarantee",)
    assert settings.extend_select == ("CL201",)
    assert settings.include == ("*.md",)
    assert settings.exclude == ("drafts/**", "archive/**")
    assert settings.respect_gitignore is False
    assert settings.disable_bundled_registry is True
    assert settings.spacy_model == "en_core_web_sm"
    assert settings.max_file_size == 2048
    assert settings.per_file_ignores == (("legal/*.md", ("CL1",)),
                                         ("faq.html", ("CL201", "guarantee")))
    assert settings.severity == (("ALL", "info"), ("CL101", "error"))
    assert settings.overridden == frozenset()
    hash(settings)  # frozen and made of tuples: usable as a cache key


def test_overrides_win_over_the_file_and_none_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml",
          'select = ["CL1"]\nfail-on = "info"\nextend-select = ["CL0"]\nexclude = ["a/**"]\n'
          'extend-exclude = ["b/**"]\nmax-file-size = 100\n')
    settings = load_settings(tmp_path, overrides={
        "select": ("CL2",),
        "fail_on": "error",
        "max_file_size": None,  # flag not given
        "ignore": (),  # click's multiple=True default: also "not given"
        "extend_select": ["CL9"],
        "extend_exclude": ["c/**"],
    })
    assert settings.select == ("CL2",)
    assert settings.fail_on == "error"
    assert settings.max_file_size == 100
    assert settings.ignore == ()
    assert settings.extend_select == ("CL0", "CL9")  # extend-* add up
    assert settings.exclude == ("a/**", "b/**", "c/**")
    assert settings.overridden == {"select", "fail_on", "extend_select", "extend_exclude"}


def test_exclude_override_replaces_file_exclude_but_keeps_extensions(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", 'exclude = ["a/**"]\nextend-exclude = ["b/**"]\n')
    settings = load_settings(tmp_path, overrides={"exclude": ["z/**"]})
    assert settings.exclude == ("z/**", "b/**")


def test_overrides_are_validated(tmp_path: Path) -> None:
    error = load_error(tmp_path, overrides={"fail_on": "fatal"})
    assert "'fail-on' must be one of" in error.message
    assert error.path == "<command line>"


def test_unknown_override_name(tmp_path: Path) -> None:
    error = load_error(tmp_path, overrides={"selcet": ["CL1"]})
    assert "unknown setting 'selcet'" in error.message


def test_overrides_apply_without_a_config_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, overrides={"spacy_model": "en_core_web_sm",
                                                  "respect_gitignore": False})
    assert settings.spacy_model == "en_core_web_sm"
    assert settings.respect_gitignore is False


def test_registry_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "claims-extra").mkdir()
    (tmp_path / "shared" / "claims").mkdir(parents=True)
    write(tmp_path / "pyproject.toml",
          '[tool.claimlint]\nregistry-paths = ["claims-extra", "shared/claims"]\n')
    start = tmp_path / "site" / "posts"
    start.mkdir(parents=True)
    settings = load_settings(start)
    assert settings.registry_paths == ((tmp_path / "claims-extra").resolve(),
                                       (tmp_path / "shared" / "claims").resolve())
    assert all(p.is_absolute() for p in settings.registry_paths)


def test_missing_registry_directory_points_at_the_entry(tmp_path: Path) -> None:
    (tmp_path / "claims-extra").mkdir()
    write(tmp_path / ".claimlint.toml",
          'fail-on = "error"\nregistry-paths = [\n  "claims-extra",\n  "missing",\n]\n')
    error = load_error(tmp_path)
    assert "is not a directory" in error.message
    assert "missing" in error.message
    assert error.pointer == "/registry-paths/1"
    assert error.line == 2


def test_command_line_registry_paths_are_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here" / "claims").mkdir(parents=True)
    write(tmp_path / ".claimlint.toml", 'registry-paths = ["does-not-matter"]\n')
    monkeypatch.chdir(tmp_path / "here")
    settings = load_settings(tmp_path, overrides={"registry_paths": [Path("claims")]})
    assert settings.registry_paths == ((tmp_path / "here" / "claims").resolve(),)


# --- rule selection -----------------------------------------------------------------------


def settings_at(tmp_path: Path, body: str) -> Settings:
    write(tmp_path / ".claimlint.toml", body)
    return load_settings(tmp_path)


def test_default_selects_every_rule(tmp_path: Path) -> None:
    assert resolve_rules(load_settings(tmp_path), "post.md", TABLE) == ALL_CODES


def test_select_by_prefix_code_and_name(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, 'select = ["CL1", "cl001", "unsourced-statistic"]\n')
    assert resolve_rules(settings, "post.md", TABLE) == {
        "CL101", "CL102", "CL110", "CL001", "CL201", "CL900"}


def test_longer_prefix_is_narrower(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, 'select = ["CL10"]\n')
    assert resolve_rules(settings, "post.md", TABLE) == {"CL101", "CL102", "CL900"}


def test_extend_select_and_ignore(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, 'select = ["CL0"]\nextend-select = ["CL1"]\n'
                                     'ignore = ["no-side-effects", "CL11"]\n')
    # no-side-effects is an alias of CL101; CL11 is the prefix of CL110.
    assert resolve_rules(settings, "post.md", TABLE) == {"CL001", "CL002", "CL102", "CL900"}


def test_ignore_all_still_keeps_cl900(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, 'ignore = ["ALL", "CL900"]\n')
    assert resolve_rules(settings, "post.md", TABLE) == ALWAYS_ENABLED == {"CL900"}


def test_per_file_ignores_match_relative_paths_and_basenames(tmp_path: Path) -> None:
    settings = settings_at(tmp_path, """\
[per-file-ignores]
"legal/*.md" = ["CL1"]
"faq.html" = ["unsourced-statistic"]
"archive/**" = ["ALL"]
""")
    root = tmp_path.resolve()
    without_cl1 = ALL_CODES - {"CL101", "CL102", "CL110"}
    assert resolve_rules(settings, str(root / "legal" / "terms.md"), TABLE) == without_cl1
    assert resolve_rules(settings, str(root / "site" / "legal" / "terms.md"), TABLE) == ALL_CODES
    assert resolve_rules(settings, str(root / "site" / "faq.html"), TABLE) == ALL_CODES - {"CL201"}
    assert resolve_rules(settings, str(root / "archive" / "2019" / "a.md"), TABLE) == {"CL900"}
    assert resolve_rules(settings, str(root / "posts" / "a.md"), TABLE) == ALL_CODES


def test_per_file_ignores_with_paths_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_at(tmp_path, '[per-file-ignores]\n"legal/*.md" = ["CL1"]\n')
    (tmp_path / "legal").mkdir()
    monkeypatch.chdir(tmp_path / "legal")
    assert "CL101" not in resolve_rules(settings, "terms.md", TABLE)


def test_default_off_rules_need_their_code_or_name(tmp_path: Path) -> None:
    off = {"CL201"}
    assert "CL201" not in resolve_rules(load_settings(tmp_path), "a.md", TABLE, default_off=off)
    prefix = settings_at(tmp_path, 'select = ["CL2"]\n')
    assert resolve_rules(prefix, "a.md", TABLE, default_off=off) == {"CL900"}
    named = settings_at(tmp_path, 'extend-select = ["unsourced-statistic"]\n')
    assert "CL201" in resolve_rules(named, "a.md", TABLE, default_off=off)


def test_unknown_selector_in_the_file_is_located(tmp_path: Path) -> None:
    config = settings_at(tmp_path, 'fail-on = "error"\nselect = ["CL1", "absolute-safty"]\n')
    with pytest.raises(ConfigError) as info:
        resolve_rules(config, "a.md", TABLE)
    error = info.value
    assert "unknown rule selector 'absolute-safty'" in error.message
    assert "did you mean 'absolute-safety'?" in error.message
    assert error.path == str((tmp_path / ".claimlint.toml").resolve())
    assert error.pointer == "/select/1"
    assert error.line == 2


@pytest.mark.parametrize(
    ("body", "selector", "pointer"),
    [
        ('ignore = ["CL5"]\n', "CL5", "/ignore/0"),
        ('[per-file-ignores]\n"x.md" = ["nope"]\n', "nope", "/per-file-ignores/x.md/0"),
        ('[severity]\n"CL77" = "error"\n', "CL77", "/severity/CL77"),
    ],
)
def test_unknown_selector_anywhere_is_an_error(tmp_path: Path, body: str, selector: str,
                                               pointer: str) -> None:
    settings = settings_at(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        # The per-file glob does not match this path: the selector is still checked.
        resolve_rules(settings, "other.md", TABLE)
    assert f"unknown rule selector {selector!r}" in info.value.message
    assert info.value.pointer == pointer


def test_unknown_selector_from_the_command_line(tmp_path: Path) -> None:
    write(tmp_path / ".claimlint.toml", 'extend-select = ["CL1"]\n')
    settings = load_settings(tmp_path, overrides={"extend_select": ["bogus"]})
    with pytest.raises(ConfigError) as info:
        resolve_rules(settings, "a.md", TABLE)
    assert "'bogus'" in info.value.message
    assert info.value.path == "<command line>"


# --- severities ---------------------------------------------------------------------------


def test_severity_default_when_nothing_matches() -> None:
    assert severity_for(Settings(), "CL101", ("absolute-safety",), "warning") == "warning"


def test_severity_code_beats_prefix_beats_all() -> None:
    settings = Settings(severity=(("CL101", "error"), ("CL1", "info"), ("ALL", "warning")))
    assert severity_for(settings, "CL101", TABLE["CL101"], "info") == "error"
    assert severity_for(settings, "CL102", TABLE["CL102"], "error") == "info"
    assert severity_for(settings, "CL201", TABLE["CL201"], "error") == "warning"


def test_severity_longer_prefix_wins_and_names_count_as_codes() -> None:
    settings = Settings(severity=(("CL1", "info"), ("CL11", "error"), ("no-side-effects", "error")))
    assert severity_for(settings, "CL110", TABLE["CL110"], "warning") == "error"
    assert severity_for(settings, "CL102", TABLE["CL102"], "warning") == "info"
    assert severity_for(settings, "CL101", TABLE["CL101"], "warning") == "error"


def test_severity_tie_goes_to_the_later_selector() -> None:
    settings = Settings(severity=(("CL101", "error"), ("absolute-safety", "info")))
    assert severity_for(settings, "CL101", TABLE["CL101"], "warning") == "info"
