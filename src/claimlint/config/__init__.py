"""Project configuration: find it, validate it, layer it, and answer rule-selection questions.

Sources, lowest to highest: built-in defaults < the project file < command-line overrides.

The project file is ``.claimlint.toml`` (top-level keys) or the ``[tool.claimlint]`` table of
``pyproject.toml``, found by walking up from the directory the linted paths share. Keys are
kebab-case in TOML (as in ruff) and snake_case in Python. The file is validated against
``schema.json`` so that a typo is an error with a file, line and JSON pointer, never a silently
ignored setting.

This module knows rule codes only as strings: the rule table is passed in by the caller, so the
configuration layer does not import the rules.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pathspec

from claimlint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - only runs on Python 3.10
    import tomli as tomllib

__all__ = [
    "ALWAYS_ENABLED",
    "CONFIG_FILENAME",
    "DEFAULT_INCLUDE",
    "DEFAULT_MAX_FILE_SECONDS",
    "DEFAULT_MAX_FILE_SIZE",
    "SEVERITIES",
    "Settings",
    "find_config_file",
    "load_settings",
    "resolve_rules",
    "severity_for",
]

CONFIG_FILENAME = ".claimlint.toml"
PYPROJECT = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "claimlint")
COMMAND_LINE = "<command line>"

SEVERITIES = ("error", "warning", "info")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.html", "*.htm", "*.txt")
DEFAULT_MAX_FILE_SIZE = 10_000_000
# Seconds one file may take to read and lint before it is reported (CL900) and skipped.
DEFAULT_MAX_FILE_SECONDS = 30.0

# CL900 reports input the linter could not read. Letting configuration switch it off would turn
# "this file was never checked" into "this file is clean".
ALWAYS_ENABLED = frozenset({"CL900"})

# Settings whose file and command-line values add up instead of the latter replacing the former.
_EXTENDS = ("extend_select", "extend_exclude")
# Settings holding one path each (resolved like registry-paths).
_PATH_SETTINGS = ("baseline", "cache_dir")


@dataclass(frozen=True)
class Settings:
    """The resolved configuration. Immutable and hashable, so callers may cache on it.

    Mappings are stored as tuples of pairs in file order; ``severity_for`` and ``resolve_rules``
    are the intended readers. ``exclude`` already includes every ``extend-exclude`` glob.
    ``overridden`` names the settings (python names) that came from the command line.
    ``baseline`` and ``cache_dir`` are absolute paths once resolved.
    """

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    registry_paths: tuple[Path, ...] = ()
    disable_bundled_registry: bool = False
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    fail_on: str = "warning"
    spacy_model: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_file_seconds: float = DEFAULT_MAX_FILE_SECONDS
    classifier: bool = True
    baseline: Path | None = None
    cache: bool = True
    cache_dir: Path | None = None
    config_path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    overridden: frozenset[str] = frozenset()


# --------------------------------------------------------------------------------------------
# Reading and finding the project file


@dataclass(frozen=True)
class _Source:
    """One parsed project file: its claimlint table and where that table sits in the document."""

    path: Path
    text: str
    table: dict[str, Any]
    prefix: tuple[str, ...]  # () for .claimlint.toml, ("tool", "claimlint") for pyproject.toml


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        # TOML is UTF-8 by definition, whatever the locale says.
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file is not valid UTF-8: {exc.reason}", path=str(path)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"cannot read config file: {reason}", path=str(path)) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, path, text) from None


def _toml_error(exc: Exception, path: Path, text: str) -> ConfigError:
    """Turn a TOMLDecodeError into a ConfigError carrying the line and column it reports."""
    reason = str(exc)
    # Python 3.14 exposes lineno/colno; older versions only put them in the message.
    line: int | None = getattr(exc, "lineno", None)
    column: int | None = getattr(exc, "colno", None)
    found = _TOML_POSITION.search(reason)
    if found:
        reason = reason[: found.start()]
        line = line or int(found.group(1))
        column = column or int(found.group(2))
    elif reason.endswith("(at end of document)"):
        reason = reason.removesuffix("(at end of document)").rstrip()
        line = line or max(1, len(text.splitlines()))
    return ConfigError(f"invalid TOML: {reason}", path=str(path), line=line, column=column)


def _pyproject_table(data: Mapping[str, Any], path: Path) -> dict[str, Any] | None:
    """The [tool.claimlint] table, or None when the file has none."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "claimlint" not in tool:
        return None
    table = tool["claimlint"]
    if not isinstance(table, dict):
        raise ConfigError("'tool.claimlint' must be a table", path=str(path),
                          pointer="/tool/claimlint")
    return table


def _source_for(path: Path, *, required: bool) -> _Source | None:
    """Parse one candidate file. A pyproject without [tool.claimlint] is None unless required."""
    text, data = _read_toml(path)
    if path.name != PYPROJECT:
        return _Source(path, text, data, ())
    table = _pyproject_table(data, path)
    if table is None:
        if required:
            raise ConfigError("pyproject.toml has no [tool.claimlint] table", path=str(path))
        return None
    return _Source(path, text, table, PYPROJECT_TABLE)


def _discover(start_dir: Path) -> _Source | None:
    start = start_dir.resolve()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        # In one directory the dedicated file wins: it exists only to configure claimlint.
        for name in (CONFIG_FILENAME, PYPROJECT):
            candidate = directory / name
            if candidate.is_file():
                source = _source_for(candidate, required=False)
                if source is not None:
                    return source
    return None


def find_config_file(start_dir: Path) -> Path | None:
    """The project file that applies to ``start_dir``, or None. Walks up to the filesystem root."""
    source = _discover(start_dir)
    return source.path if source else None


# --------------------------------------------------------------------------------------------
# Validation


@cache
def _validator() -> Any:
    text = resources.files(__name__).joinpath("schema.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _schema_keys() -> tuple[str, ...]:
    return tuple(_validator().schema["properties"])


_TOML_TYPE = {str: "a string", bool: "a boolean", int: "an integer", float: "a float",
              list: "an array", dict: "a table"}
_EXPECTED = {"array": "an array of strings", "object": "a table", "string": "a string",
             "number": "a number (seconds)",
             "integer": "an integer", "boolean": "a boolean (true or false)"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_type(value: Any) -> str:
    return _TOML_TYPE.get(type(value), type(value).__name__)


def _label(parts: Iterable[str | int]) -> str:
    """A TOML-style name for a value: select[0], per-file-ignores."docs/*.md"."""
    label = ""
    for part in parts:
        if isinstance(part, int):
            label += f"[{part}]"
        else:
            key = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            label += f".{key}" if label else key
    return label


def _pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    if word.replace("_", "-") in choices:  # snake_case is the commonest slip
        return f"; did you mean {word.replace('_', '-')!r}?"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _describe(error: Any, table_name: str) -> tuple[tuple[str | int, ...], str]:
    """The offending key path (below the claimlint table) and a message naming the key."""
    parts: tuple[str | int, ...] = tuple(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "additionalProperties":
        # The schema only closes the top level; report the first unknown key in file order.
        unknown = next(k for k in value if k not in error.schema.get("properties", {}))
        where = f" in {table_name}" if table_name else ""
        hint = _did_you_mean(unknown, _schema_keys())
        if unknown == "tool" and not table_name:
            hint = "; .claimlint.toml takes its keys at the top level, without [tool.claimlint]"
        return (*parts, unknown), f"unknown key {unknown!r}{where}{hint}"
    if "propertyNames" in error.relative_schema_path:
        # jsonschema reports a bad key of a table at the table itself; point at the key instead.
        return (*parts, value), f"{_label(parts)!r} has an invalid rule selector {value!r}"
    label = _label(parts)
    if kind == "type":
        wanted = _EXPECTED.get(expected, expected)
        return parts, f"{label!r} must be {wanted}, not {_toml_type(value)}"
    if kind == "enum":
        allowed = ", ".join(json.dumps(v) for v in expected)
        return parts, f"{label!r} must be one of {allowed}, not {json.dumps(value)}"
    if kind == "minimum":
        return parts, f"{label!r} must be at least {expected}, not {value}"
    if kind == "exclusiveMinimum":
        return parts, f"{label!r} must be more than {expected}, not {value}"
    if kind == "minLength":
        return parts, f"{label!r} must not be empty"
    if kind == "pattern":  # the schema only uses patterns for rule selectors
        return parts, f"{label!r} is not a valid rule selector: {value!r}"
    return parts, f"{label!r}: {error.message}"


def _validate(table: Mapping[str, Any], source: _Source | None) -> None:
    """Raise a ConfigError for the first problem, in file order."""
    table_name = ".".join(source.prefix) if source else ""
    problems = [_describe(e, f"[{table_name}]" if table_name else "")
                for e in _validator().iter_errors(table)]
    if not problems:
        return
    order = {key: i for i, key in enumerate(table)}

    def file_order(problem: tuple[tuple[str | int, ...], str]) -> tuple[int, str]:
        parts = problem[0]
        return order.get(str(parts[0]), 0) if parts else 0, str(parts)

    parts, message = min(problems, key=file_order)
    if source is None:
        raise ConfigError(message, path=COMMAND_LINE)
    keys = (*source.prefix, *parts)
    raise ConfigError(message, path=str(source.path), line=_locate(source.text, keys),
                      pointer=_pointer(keys))


# Best-effort TOML line finding: enough for config files, which rarely use multi-line strings.
_KEY_PART = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE_HEADER = re.compile(rf"^\s*(?P<open>\[\[?)\s*(?P<keys>{_DOTTED})\s*\]")
_KEY_VALUE = re.compile(rf"^\s*(?P<keys>{_DOTTED})\s*=")


def _split_keys(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in re.findall(_KEY_PART, dotted))


def _find_line(text: str, target: tuple[str, ...]) -> int | None:
    """The first line that defines ``target`` (a header, or a key, possibly dotted)."""
    current: tuple[str, ...] | None = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            # Keys under [[array.of.tables]] are not ours to find; skip until the next header.
            current = None if header["open"] == "[[" else _split_keys(header["keys"])
            if current is not None and current[: len(target)] == target:
                return number
            continue
        if current is None:
            continue
        pair = _KEY_VALUE.match(line)
        if pair and (*current, *_split_keys(pair["keys"]))[: len(target)] == target:
            return number
    return None


def _locate(text: str, keys: tuple[str | int, ...]) -> int | None:
    """Line of the deepest key in ``keys`` that can be found (array indexes are not lines)."""
    names: list[str] = []
    for key in keys:
        if isinstance(key, int):
            break
        names.append(key)
    for depth in range(len(names), 0, -1):
        line = _find_line(text, tuple(names[:depth]))
        if line is not None:
            return line
    return None


# --------------------------------------------------------------------------------------------
# Layering


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _python(key: str) -> str:
    return key.replace("-", "_")


def _overrides_table(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Command-line values as a TOML-shaped table (kebab keys, lists) ready for the schema."""
    known = _schema_keys()
    table: dict[str, Any] = {}
    for name, value in overrides.items():
        key = _kebab(name)
        if key not in known:
            raise ConfigError(f"unknown setting {name!r}{_did_you_mean(key, known)}",
                              path=COMMAND_LINE)
        if value is None:
            continue
        if isinstance(value, Mapping):
            value = {str(k): list(v) if isinstance(v, (list, tuple)) else v
                     for k, v in value.items()}
        elif isinstance(value, (list, tuple)):
            # click's multiple=True gives () for an absent flag; an empty list cannot be typed
            # on a command line anyway, so () means "not given", like None.
            if not value:
                continue
            value = [str(v) if isinstance(v, os.PathLike) else v for v in value]
        table[key] = value
    return table


def _absolute(paths: Iterable[str], base: Path) -> list[Path]:
    return [(base / Path(p).expanduser()).resolve() for p in paths]


def _check_registry_paths(paths: list[Path], source: _Source | None) -> None:
    for index, path in enumerate(paths):
        if path.is_dir():
            continue
        message = f"registry path {str(path)!r} is not a directory"
        if source is None:
            raise ConfigError(message, path=COMMAND_LINE)
        keys: tuple[str | int, ...] = (*source.prefix, "registry-paths", index)
        raise ConfigError(message, path=str(source.path), line=_locate(source.text, keys),
                          pointer=_pointer(keys))


def _as_settings_value(name: str, value: Any) -> Any:
    if name == "per_file_ignores":
        return tuple((glob, tuple(selectors)) for glob, selectors in value.items())
    if name == "severity":
        return tuple(value.items())
    if isinstance(value, list):
        return tuple(value)
    return value


def load_settings(start_dir: Path, config_file: Path | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    """Resolve the settings for a run.

    ``start_dir`` is the common parent of the linted paths; the project file is searched from
    there upwards unless ``config_file`` names one. ``overrides`` holds command-line values under
    the Settings field names (plus ``extend_exclude``); None means "not given". Overrides replace
    file values, except ``extend_select`` and ``extend_exclude``, which add to them. Registry
    paths (and ``baseline``, ``cache-dir``) are relative to the config file's directory, or to
    the working directory on the command line.
    """
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError("config file not found", path=str(config_file))
        source = _source_for(config_file.resolve(), required=True)
    else:
        source = _discover(start_dir)

    root = source.path.parent if source else start_dir.resolve()
    from_file: dict[str, Any] = {}
    if source is not None:
        _validate(source.table, source)
        from_file = {_python(k): v for k, v in source.table.items()}
        if "registry_paths" in from_file:
            from_file["registry_paths"] = _absolute(from_file["registry_paths"], root)

    cli_table = _overrides_table(overrides or {})
    _validate(cli_table, None)
    from_cli = {_python(k): v for k, v in cli_table.items()}
    # Single-path settings: relative to the config file's folder, or to the working directory
    # on the command line, like registry paths.
    for name in _PATH_SETTINGS:
        if name in from_file:
            from_file[name] = _absolute([from_file[name]], root)[0]
        if name in from_cli:
            from_cli[name] = _absolute([from_cli[name]], Path.cwd())[0]
    if "registry_paths" in from_cli:
        from_cli["registry_paths"] = _absolute(from_cli["registry_paths"], Path.cwd())
        _check_registry_paths(from_cli["registry_paths"], None)
    elif "registry_paths" in from_file:
        _check_registry_paths(from_file["registry_paths"], source)

    values = {**from_file, **from_cli}
    for extension in _EXTENDS:
        values[extension] = [*from_file.get(extension, ()), *from_cli.get(extension, ())]
    values["exclude"] = [*values.get("exclude", ()), *values.pop("extend_exclude")]
    return Settings(
        **{name: _as_settings_value(name, value) for name, value in values.items()},
        config_path=source.path if source else None,
        root=root,
        overridden=frozenset(from_cli),
    )


# --------------------------------------------------------------------------------------------
# Rule selection and severities

_PREFIX = re.compile(r"[A-Z]+[0-9]*")
_EXACT = 1_000  # specificity of a full code or a rule name; above any prefix length


@dataclass(frozen=True)
class _RuleIndex:
    codes: frozenset[str]
    by_name: Mapping[str, str]
    default_off: frozenset[str]

    @classmethod
    def build(cls, table: Mapping[str, tuple[str, ...]],
              default_off: Collection[str]) -> _RuleIndex:
        by_name = {name.lower(): code.upper() for code, names in table.items() for name in names}
        return cls(frozenset(c.upper() for c in table), by_name,
                   frozenset(c.upper() for c in default_off))

    def expand(self, selector: str, *, selecting: bool) -> frozenset[str] | None:
        """The codes a selector stands for, or None if it names nothing.

        When selecting, ALL and prefixes leave out default-off rules: those must be asked for by
        code or name, so a new opt-in rule never switches on by itself.
        """
        upper = selector.upper()
        if upper in self.codes:
            return frozenset({upper})
        if selector.lower() in self.by_name:
            return frozenset({self.by_name[selector.lower()]})
        if upper == "ALL":
            broad = self.codes
        elif _PREFIX.fullmatch(upper) and any(c.startswith(upper) for c in self.codes):
            broad = frozenset(c for c in self.codes if c.startswith(upper))
        else:
            return None
        return broad - self.default_off if selecting else broad

    def suggest(self, selector: str) -> str:
        return _did_you_mean(selector, [*sorted(self.codes), *self.by_name])


def _unknown_selector(settings: Settings, index: _RuleIndex, selector: str,
                      keys: tuple[str | int, ...]) -> ConfigError:
    """A ConfigError naming the selector, pointing into the project file if it came from there.

    Only reached on error, so re-reading the file here keeps Settings free of bookkeeping.
    """
    name, key = str(keys[0]), _kebab(str(keys[0]))
    message = f"unknown rule selector {selector!r} in {key!r}{index.suggest(selector)}"
    source: _Source | None = None
    if settings.config_path is not None:
        try:
            source = _source_for(settings.config_path, required=False)
        except ConfigError:  # the file changed under us; fall back to naming it without a line
            source = None
    if source is not None and name in _EXTENDS:
        # extend-* values are the file's list followed by the command line's.
        in_file = list(source.table.get(key, []))
        from_file = selector in in_file
        keys = (name, in_file.index(selector)) if from_file else keys
    else:
        from_file = source is not None and name not in settings.overridden
    if source is None or not from_file:
        cli = name in settings.overridden
        return ConfigError(message, path=COMMAND_LINE if cli else None)
    full: tuple[str | int, ...] = (*source.prefix, key, *keys[1:])
    return ConfigError(message, path=str(source.path), line=_locate(source.text, full),
                       pointer=_pointer(full))


def _relative_posix(path: str, root: Path) -> str:
    """``path`` relative to the project root, as POSIX; unchanged if it lies outside the root."""
    absolute = Path(os.path.abspath(path))
    for candidate in (absolute, absolute.resolve()):  # resolve() copes with symlinked temp dirs
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return Path(path).as_posix()


@cache
def _glob(pattern: str) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines([pattern])


def _matches(pattern: str, relative: str) -> bool:
    spec = _glob(pattern)
    return bool(spec.match_file(relative) or spec.match_file(PurePosixPath(relative).name))


def resolve_rules(settings: Settings, path: str, table: Mapping[str, tuple[str, ...]], *,
                  default_off: Collection[str] = ()) -> frozenset[str]:
    """The rule codes enabled for ``path``.

    ``table`` maps every rule code to its names and aliases. The result is
    (select ∪ extend-select) − ignore − the per-file-ignores whose glob matches ``path``
    (taken relative to ``settings.root``), plus CL900, which cannot be disabled. Rules in
    ``default_off`` are only enabled by their code or name. The severity table's selectors are
    checked too, so every unknown selector fails here, before any file is linted.
    """
    index = _RuleIndex.build(table, default_off)

    def expand(selector: str, keys: tuple[str | int, ...], *,
               selecting: bool = False) -> frozenset[str]:
        codes = index.expand(selector, selecting=selecting)
        if codes is None:
            raise _unknown_selector(settings, index, selector, keys)
        return codes

    enabled: set[str] = set()
    for name in ("select", "extend_select"):
        for i, selector in enumerate(getattr(settings, name)):
            enabled |= expand(selector, (name, i), selecting=True)
    for i, selector in enumerate(settings.ignore):
        enabled -= expand(selector, ("ignore", i))
    for selector, _level in settings.severity:
        expand(selector, ("severity", selector))

    relative = _relative_posix(path, settings.root)
    for pattern, selectors in settings.per_file_ignores:
        codes = [expand(s, ("per_file_ignores", pattern, i)) for i, s in enumerate(selectors)]
        if _matches(pattern, relative):
            enabled.difference_update(*codes)
    return frozenset(enabled) | ALWAYS_ENABLED


def _specificity(selector: str, code: str, names: Collection[str]) -> int | None:
    upper = selector.upper()
    if upper == code or selector.lower() in names:
        return _EXACT
    if upper == "ALL":
        return 0
    if _PREFIX.fullmatch(upper) and code.startswith(upper):
        return len(upper)
    return None


def severity_for(settings: Settings, code: str, names: Iterable[str], default: str) -> str:
    """The configured severity for one rule, or ``default``.

    The most specific matching selector wins: a code or name, then the longest prefix, then
    ALL. Between equally specific selectors the one written later wins.
    """
    lowered = {n.lower() for n in names}
    best: tuple[int, int] | None = None
    result = default
    for order, (selector, level) in enumerate(settings.severity):
        rank = _specificity(selector, code.upper(), lowered)
        if rank is not None and (best is None or (rank, order) > best):
            best, result = (rank, order), level
    return result
