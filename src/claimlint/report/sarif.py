"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run; the driver describes every configured rule from its metadata and docstring, and
each result points at its rule by index. Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from claimlint.findings import LintResult
from claimlint.rules.base import DOC_SECTIONS, RuleMeta

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://claimlint.readthedocs.io/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "claimlint/v1"

LEVELS = {"error": "error", "warning": "warning", "info": "note"}

# Copied into result.properties so SARIF consumers keep what the JSON format carries.
RESULT_PROPERTIES = ("registry_id", "topic", "cues", "evidence", "suggestion")


def doc_sections(meta: RuleMeta) -> list[tuple[str, str]]:
    """The non-empty sections of a rule's documentation, in the fixed documentation order."""
    return [(title, body) for title in DOC_SECTIONS if (body := meta.section(title))]


def help_text(sections: Iterable[tuple[str, str]]) -> str:
    # Same underlined headings as the docstring, so plain-text viewers show it as written.
    return "\n\n".join(f"{title}\n{'-' * len(title)}\n{body}" for title, body in sections)


def help_markdown(sections: Iterable[tuple[str, str]]) -> str:
    return "\n\n".join(f"## {title}\n\n{body}" for title, body in sections)


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
    }
    flags = meta.section("What it flags")
    if flags:
        descriptor["fullDescription"] = {"text": flags}
    sections = doc_sections(meta)
    if sections:
        descriptor["help"] = {"text": help_text(sections), "markdown": help_markdown(sections)}
    descriptor["helpUri"] = meta.help_uri
    descriptor["defaultConfiguration"] = {"level": LEVELS[str(meta.default_severity)]}
    return descriptor


def fallback_descriptor(record: Mapping[str, Any]) -> dict[str, Any]:
    """A minimal descriptor for a finding whose rule is not in the metadata (e.g. CL900)."""
    descriptor: dict[str, Any] = {"id": record["rule"]}
    if record["name"]:
        descriptor["name"] = record["name"]
    return descriptor


def artifact_location(path: str) -> dict[str, str]:
    """A URI for ``path``: absolute paths as file URIs, others relative to %SRCROOT%."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    # quote() keeps "/" and percent-encodes spaces, non-ASCII and ":" (which would otherwise
    # make a first segment like "a:b.md" read as a URI scheme).
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def fingerprint(record: Mapping[str, Any]) -> str:
    """A line-independent identity, so alerts survive edits elsewhere in the file."""
    sentence = " ".join(str(record["sentence"]).lower().split())
    # A separator that cannot occur in the fields keeps ("CL1", "01x") apart from ("CL10", "1x").
    key = "\x1f".join((str(record["rule"]), record["registry_id"] or "", sentence))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def region(record: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "startLine": record["line"],
        "startColumn": record["column"],
        "endLine": record["end_line"],
        "endColumn": record["end_column"],
        "charOffset": record["start_offset"],
        "charLength": record["end_offset"] - record["start_offset"],
    }
    if record["sentence"]:
        out["snippet"] = {"text": record["sentence"]}
    return out


def message_text(record: Mapping[str, Any]) -> str:
    text = str(record["message"])
    return f"{text} Suggestion: {record['suggestion']}" if record.get("suggestion") else text


def result_object(record: Mapping[str, Any], rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": record["rule"],
        "ruleIndex": rule_index,
        "level": LEVELS[record["severity"]],
        "message": {"text": message_text(record)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(str(record["path"])),
                    "region": region(record),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(record)},
        "properties": {k: record[k] for k in RESULT_PROPERTIES if record[k] is not None},
    }


def build(
    result: LintResult, rules: Mapping[str, RuleMeta], tool_version: str
) -> dict[str, Any]:
    # Sorted by code so the rules array (and every ruleIndex) is stable across runs.
    metas = sorted({m.code: m for m in rules.values()}.values(), key=lambda m: m.code)
    descriptors = [rule_descriptor(m) for m in metas]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for finding in result.findings:
        record = finding.to_record()
        if record["rule"] not in index:
            index[record["rule"]] = len(descriptors)
            descriptors.append(fallback_descriptor(record))
        results.append(result_object(record, index[record["rule"]]))
    driver = {
        "name": "claimlint",
        "version": tool_version,
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                # Finding columns and offsets count characters (code points), not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    document = build(result, rules, tool_version)
    stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
