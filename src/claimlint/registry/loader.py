"""Load registry folders: YAML with line numbers, JSON Schema validation, cross-checks.

Every error names the file, the line and the JSON pointer of the offending value, and no
partial registry is ever returned: a load either gives a whole, checked Registry or raises.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from claimlint.errors import RegistryError
from claimlint.findings import Evidence, Reference
from claimlint.registry.model import (
    Certainty,
    Entry,
    Qualifier,
    QualifierFix,
    Registry,
    Rewording,
    Term,
    phrase_regex,
)

VOCABULARY_FILE = "vocabulary.yaml"
REFERENCES_FILE = "references.yaml"
# libyaml's composer is several times faster than the pure-Python one and gives the same node
# marks; registry loading is part of every run's start-up.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# YAML documents larger than this are refused before parsing (alias bombs, runaway files).
MAX_REGISTRY_FILE_BYTES = 2_000_000
MAX_YAML_NODES = 200_000


@cache
def _schema(name: str) -> Draft202012Validator:
    text = (resources.files("claimlint.registry") / "schema" / name).read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def bundled_registry_path() -> Path:
    """The registry shipped with claimlint: inside the wheel, or the repo's claims/."""
    packaged = Path(str(resources.files("claimlint"))) / "claims"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "claims"


class _Located:
    """A plain-data YAML document plus the source line of every JSON pointer in it."""

    def __init__(self, path: str, data: Any, lines: dict[str, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def error(self, message: str, pointer: str) -> RegistryError:
        line = self.lines.get(pointer)
        probe = pointer
        while line is None and probe:
            probe = probe.rsplit("/", 1)[0]
            line = self.lines.get(probe)
        return RegistryError(message, path=self.path, line=line, pointer=pointer or "/")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _construct_scalar(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_yaml(path: Path) -> _Located:
    raw = path.read_bytes()
    if len(raw) > MAX_REGISTRY_FILE_BYTES:
        raise RegistryError(f"file is larger than {MAX_REGISTRY_FILE_BYTES} bytes", path=str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryError(f"not UTF-8: {exc.reason} at byte {exc.start}",
                            path=str(path)) from None
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise RegistryError(f"invalid YAML: {exc.problem}", path=str(path),
                            line=mark.line + 1 if mark else None,
                            column=mark.column + 1 if mark else None) from None
    lines: dict[str, int] = {}
    if node is None:
        return _Located(str(path), None, lines)
    data = _plain(node, "", lines, str(path), [MAX_YAML_NODES])
    return _Located(str(path), data, lines)


def _plain(node: yaml.Node, pointer: str, lines: dict[str, int], path: str,
           budget: list[int]) -> Any:
    """Plain Python data from a YAML node, recording the line of every JSON pointer."""
    budget[0] -= 1
    if budget[0] < 0:
        raise RegistryError("YAML document too large or too deeply aliased", path=path,
                            line=node.start_mark.line + 1)
    lines[pointer] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(_construct_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) \
                else str(key_node.value)
            sub = f"{pointer}/{_escape(key)}"
            if key in out:
                raise RegistryError(f"duplicate key {key!r}", path=path,
                                    line=key_node.start_mark.line + 1, pointer=sub)
            out[key] = _plain(value_node, sub, lines, path, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, f"{pointer}/{i}", lines, path, budget) for i, v in enumerate(node.value)]
    value = _construct_scalar(node)  # type: ignore[arg-type]
    # Dates stay ISO strings: the schema and the comparisons work on text.
    return value.isoformat() if hasattr(value, "isoformat") else value


def _validate(doc: _Located, schema_name: str) -> None:
    validator = _schema(schema_name)
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: list(e.absolute_path))
    if errors:
        err: ValidationError = errors[0]
        pointer = "".join(f"/{_escape(str(p))}" for p in err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # Point at the unexpected key itself, not at the object holding it.
            known = set(err.schema.get("properties", {}))
            extra = sorted(k for k in err.instance if k not in known)
            if extra:
                pointer = f"{pointer}/{_escape(extra[0])}"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise doc.error(f"schema violation: {err.message}{more}", pointer)


def _terms(doc: _Located, key: str) -> list[Term]:
    return [Term(t["id"], t["label"], tuple(t["synonyms"]), tuple(t.get("broader", ())))
            for t in (doc.data or {}).get(key, [])]


def _entry(raw: dict[str, Any], refs: dict[str, Reference], source: str) -> Entry:
    ev = raw["evidence"]
    match = raw.get("match", {})
    return Entry(
        id=raw["id"],
        interventions=tuple(raw["interventions"]),
        topic=raw["topic"],
        assertion=raw["assertion"],
        verdict=raw["verdict"],
        max_certainty=Certainty.parse(raw["max_certainty"]),
        evidence=Evidence(ev["grade"], ev["summary"],
                          tuple(refs[r] for r in ev["references"] if r in refs),
                          raw.get("confidence", "high")),
        message=raw["message"],
        suggestion=raw["suggestion"],
        conditions=tuple(raw.get("conditions", ())),
        polarity=raw.get("polarity", "affirmed"),
        harm=raw.get("harm", False),
        phrases=tuple(match.get("phrases", ())),
        lemmas=tuple(match.get("lemmas", ())),
        patterns=tuple(tuple(p) for p in match.get("patterns", ())),
        specializes=tuple(raw.get("specializes", ())),
        qualifiers=tuple(Qualifier(q["label"], tuple(q["any_of"]), q.get("within", "sentence"),
                                   QualifierFix(q["fix"]["insert"], q["fix"]["position"])
                                   if "fix" in q else None)
                         for q in raw.get("qualifiers", ())),
        fixes=tuple(Rewording(_rewording_pattern(f), f["with"], f["safe"])
                    for f in raw.get("fixes", ())),
        confidence=raw.get("confidence", "high"),
        examples_overstated=tuple(raw["examples"]["overstated"]),
        examples_fair=tuple(raw["examples"]["fair"]),
        reviewed=raw["reviewed"],
        review_by=raw["review_by"],
        source=source,
        raw=raw,
    )


def _rewording_pattern(raw: dict[str, Any]) -> re.Pattern[str]:
    """A rewording's ``replace`` phrase or ``pattern`` regex, compiled case-insensitively."""
    if "pattern" in raw:
        return re.compile(raw["pattern"], re.IGNORECASE)
    return phrase_regex(raw["replace"], re.IGNORECASE)


# Group references in a replacement template: \g<name>, \g<1>, \1.
_TEMPLATE_REFERENCE = re.compile(r"\\(?:g<([^>]*)>|(\d+))")


class _Layer:
    """One registry folder, parsed and validated on its own."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise RegistryError("registry folder does not exist", path=str(folder))
        self.folder = folder
        self.vocabulary: _Located | None = None
        self.references: _Located | None = None
        self.entry_files: list[_Located] = []
        for path in sorted(folder.glob("*.yaml")):
            doc = load_yaml(path)
            if path.name == VOCABULARY_FILE:
                _validate(doc, "vocabulary.schema.json")
                self.vocabulary = doc
            elif path.name == REFERENCES_FILE:
                _validate(doc, "references.schema.json")
                self.references = doc
            else:
                _validate(doc, "entry-file.schema.json")
                self.entry_files.append(doc)


def load_registry(folders: Sequence[Path | str]) -> Registry:
    """Load and merge registry folders; later folders extend or override earlier ones by id."""
    registry = Registry()
    digest = hashlib.sha256()
    entry_docs: list[tuple[_Located, int, dict[str, Any]]] = []
    for folder in folders:
        layer = _Layer(Path(folder))
        seen_here: dict[str, str] = {}
        for doc in [d for d in (layer.vocabulary, layer.references) if d] + layer.entry_files:
            digest.update(doc.path.encode())
            digest.update(json.dumps(doc.data, sort_keys=True, default=str).encode())
        if layer.vocabulary:
            for kind in ("interventions", "conditions"):
                target = registry.interventions if kind == "interventions" else registry.conditions
                for i, term in enumerate(_terms(layer.vocabulary, kind)):
                    if term.id in seen_here:
                        raise layer.vocabulary.error(f"duplicate {kind[:-1]} id {term.id!r}",
                                                     f"/{kind}/{i}/id")
                    seen_here[term.id] = kind
                    target[term.id] = term
        if layer.references:
            ref_seen: set[str] = set()
            for i, r in enumerate(layer.references.data.get("references", [])):
                if r["id"] in ref_seen:
                    raise layer.references.error(f"duplicate reference id {r['id']!r}",
                                                 f"/references/{i}/id")
                ref_seen.add(r["id"])
                registry.references[r["id"]] = Reference(r["id"], r["citation"], r.get("pmid"),
                                                         r.get("doi"), r.get("url"))
        ids_here: dict[str, str] = {}
        for doc in layer.entry_files:
            for i, raw in enumerate(doc.data.get("entries", [])):
                where = f"{doc.path}:{doc.lines.get(f'/entries/{i}', 0)}"
                if raw["id"] in ids_here:
                    raise doc.error(f"duplicate entry id {raw['id']!r} (first defined at "
                                    f"{ids_here[raw['id']]})", f"/entries/{i}/id")
                ids_here[raw["id"]] = where
                entry_docs = [e for e in entry_docs if e[2]["id"] != raw["id"]]
                entry_docs.append((doc, i, raw))
        registry.sources = (*registry.sources, str(folder))
    for doc, i, raw in entry_docs:
        _check_entry(doc, i, raw, registry)
        registry.entries[raw["id"]] = _entry(raw, registry.references,
                                             f"{doc.path}:{doc.lines.get(f'/entries/{i}', 0)}")
    _check_regexes(entry_docs)
    for doc, i, raw in entry_docs:
        for j, other in enumerate(raw.get("specializes", ())):
            if other not in registry.entries:
                raise doc.error(f"specializes unknown entry {other!r}",
                                f"/entries/{i}/specializes/{j}")
    registry.digest = digest.hexdigest()
    return registry


def _check_entry(doc: _Located, i: int, raw: dict[str, Any], registry: Registry) -> None:
    base = f"/entries/{i}"
    for j, ref in enumerate(raw["evidence"]["references"]):
        if ref not in registry.references:
            raise doc.error(f"unknown reference id {ref!r}", f"{base}/evidence/references/{j}")
    for j, iid in enumerate(raw["interventions"]):
        if iid not in registry.interventions:
            raise doc.error(f"unknown intervention id {iid!r}", f"{base}/interventions/{j}")
    for j, cid in enumerate(raw.get("conditions", ())):
        if cid not in registry.conditions:
            raise doc.error(f"unknown condition id {cid!r}", f"{base}/conditions/{j}")
    if raw["reviewed"] > raw["review_by"]:
        raise doc.error("review_by is before reviewed", f"{base}/review_by")
    _check_patterns(doc, base, raw)
    _check_fixes(doc, base, raw)


def _check_fixes(doc: _Located, base: str, raw: dict[str, Any]) -> None:
    """A qualifier's fix must insert text the qualifier itself recognises (else the fix would
    not resolve the finding it fixes), and a rewording must compile, refer only to groups its
    pattern has and never match the empty string."""
    for j, q in enumerate(raw.get("qualifiers", ())):
        if "fix" in q:
            _one_line(doc, q["fix"]["insert"], f"{base}/qualifiers/{j}/fix/insert")
            insert = q["fix"]["insert"].lower()
            if not any(phrase_regex(p.lower()).search(insert) for p in q["any_of"]):
                raise doc.error("the fix inserts text that none of the qualifier's any_of "
                                "phrases matches", f"{base}/qualifiers/{j}/fix/insert")
    for j, f in enumerate(raw.get("fixes", ())):
        pointer = f"{base}/fixes/{j}"
        _one_line(doc, f["with"], f"{pointer}/with")
        if "replace" in f and len(f["replace"].strip()) < 3:
            raise doc.error(f"replace {f['replace']!r} is too short to be distinctive",
                            f"{pointer}/replace")
        try:
            pattern = _rewording_pattern(f)
        except re.error as exc:
            raise doc.error(f"invalid regular expression: {exc}", f"{pointer}/pattern") \
                from None
        if pattern.search(""):
            raise doc.error("pattern matches the empty string", f"{pointer}/pattern")
        for m in _TEMPLATE_REFERENCE.finditer(f["with"]):
            ref = m.group(1) if m.group(1) is not None else m.group(2)
            known = (int(ref) <= pattern.groups if ref.isdigit()
                     else ref in pattern.groupindex)
            if not known:
                raise doc.error(f"'with' refers to group {ref!r}, which the pattern does not "
                                "have", f"{pointer}/with")


def _one_line(doc: _Located, text: str, pointer: str) -> None:
    # The schema's pattern lets a trailing line break through ("$" matches before it); a fix
    # must never add a line break, or it would change a CRLF file's line endings.
    if "\n" in text or "\r" in text:
        raise doc.error("fix text must not contain a line break", pointer)


def _check_regexes(entry_docs: Sequence[tuple[_Located, int, dict[str, Any]]]) -> None:
    """Every regular expression in the entries (token patterns' REGEX values, rewordings'
    patterns) must be safe to run on any copy: see claimlint.registry.regexes. All are
    checked in one go, since the backtracking probe runs in a child process."""
    from claimlint.registry.regexes import regex_problems

    found: list[tuple[_Located, str, str]] = []
    for doc, i, raw in entry_docs:
        for j, pattern in enumerate(raw.get("match", {}).get("patterns", ())):
            for k, token in enumerate(pattern):
                found.extend((doc, pointer, value) for pointer, value
                             in _regex_values(token, f"/entries/{i}/match/patterns/{j}/{k}"))
        for j, fix in enumerate(raw.get("fixes", ())):
            if isinstance(fix, dict) and isinstance(fix.get("pattern"), str):
                found.append((doc, f"/entries/{i}/fixes/{j}/pattern", fix["pattern"]))
    if not found:
        return
    problems = regex_problems([value for _, _, value in found])
    if problems:
        index, why = next(iter(problems.items()))
        doc, pointer, value = found[index]
        raise doc.error(f"unsafe regular expression {value!r}: {why}", pointer)


def _regex_values(value: Any, pointer: str) -> Iterable[tuple[str, str]]:
    """(pointer, expression) of every REGEX in one token pattern's attribute values."""
    if isinstance(value, dict):
        for key, sub in value.items():
            where = f"{pointer}/{_escape(str(key))}"
            if key == "REGEX" and isinstance(sub, str):
                yield where, sub
            else:
                yield from _regex_values(sub, where)


def _check_patterns(doc: _Located, base: str, raw: dict[str, Any]) -> None:
    """Reject token patterns spaCy's Matcher would refuse, and patterns that match anything."""
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab(), validate=True)
    for j, pattern in enumerate(raw.get("match", {}).get("patterns", ())):
        pointer = f"{base}/match/patterns/{j}"
        if all(not tok or set(tok) <= {"OP"} for tok in pattern):
            raise doc.error("token pattern has no constraint and would match anything", pointer)
        try:
            matcher.add(f"p{j}", [pattern])
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError with details
            first = str(exc).strip().splitlines()
            raise doc.error(f"invalid token pattern: {' '.join(first[:3])}", pointer) from None
    for kind in ("phrases", "lemmas"):
        for j, phrase in enumerate(raw.get("match", {}).get(kind, ())):
            if len(phrase.strip()) < 3:
                raise doc.error(f"{kind[:-1]} {phrase!r} is too short to be distinctive",
                                f"{base}/match/{kind}/{j}")


def iter_examples(registry: Registry) -> Iterable[tuple[Entry, str, bool]]:
    """(entry, sentence, overstated?) for every example sentence in the registry."""
    for entry in registry.entries.values():
        for s in entry.examples_overstated:
            yield entry, s, True
        for s in entry.examples_fair:
            yield entry, s, False
