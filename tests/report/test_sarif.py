from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft7Validator

from claimlint.findings import LintResult
from claimlint.report import sarif
from claimlint.rules.base import RuleMeta

from .sample import CURE, RATE


def build(result: LintResult, rules: dict[str, RuleMeta]) -> dict[str, Any]:
    out = io.StringIO()
    sarif.report(result, out, rules=rules, color=False, tool_version="1.2.3")
    doc: dict[str, Any] = json.loads(out.getvalue())
    return doc


def errors(sarif_validator: Draft7Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(doc)]


def test_validates_against_the_official_schema(
    sarif_validator: Draft7Validator, result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    assert errors(sarif_validator, build(result, rules)) == []
    assert errors(sarif_validator, build(LintResult(), {})) == []


def test_the_validator_is_not_vacuous(
    sarif_validator: Draft7Validator, result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    doc = build(result, rules)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(errors(sarif_validator, doc)) == 2
    assert errors(sarif_validator, {"version": "2.1.0"})  # runs is required


def test_log_and_run(result: LintResult, rules: dict[str, RuleMeta]) -> None:
    doc = build(result, rules)
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimlint"
    assert driver["version"] == "1.2.3"
    assert driver["informationUri"].startswith("https://")


def test_rule_descriptors(result: LintResult, rules: dict[str, RuleMeta]) -> None:
    descriptors = build(result, rules)["runs"][0]["tool"]["driver"]["rules"]
    # Known rules sorted by code, then CL301 (no metadata) added when first seen.
    assert [d["id"] for d in descriptors] == ["CL101", "CL102", "CL301"]
    cure = descriptors[0]
    assert cure["name"] == "overstated.cure"
    assert cure["shortDescription"] == {"text": "A treatment is said to cure."}
    assert cure["fullDescription"] == {"text": "Copy that says a treatment cures a condition."}
    assert cure["helpUri"] == "https://claimlint.readthedocs.io/rules/CL101"
    assert cure["defaultConfiguration"] == {"level": "warning"}
    assert "Overstated copy\n---------------\nKetamine cures depression." in cure["help"]["text"]
    assert "## Compliant copy\n\nKetamine may ease" in cure["help"]["markdown"]
    assert descriptors[1]["defaultConfiguration"] == {"level": "note"}  # info -> note
    assert descriptors[2] == {"id": "CL301", "name": "style.audience"}


def test_results_point_at_their_rule(result: LintResult, rules: dict[str, RuleMeta]) -> None:
    run = build(result, rules)["runs"][0]
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert [r["level"] for r in run["results"]] == ["error", "note", "warning"]


def test_result_message_and_region(result: LintResult, rules: dict[str, RuleMeta]) -> None:
    cure, hedge, rate = build(result, rules)["runs"][0]["results"]
    assert cure["message"]["text"] == (
        "“Cures depression” overstates the evidence for ketamine. "
        "Suggestion: Say it “may ease symptoms for some patients”."
    )
    assert hedge["message"]["text"] == "Consider saying who the treatment is for."
    assert cure["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 27,
        "charOffset": 40, "charLength": 26,
        "snippet": {"text": "Ketamine  CURES depression\nfor good."},
    }
    assert "snippet" not in hedge["locations"][0]["physicalLocation"]["region"]
    assert rate["message"]["text"].startswith("Claims a 100% success rate.\n")


def test_relative_paths_are_percent_encoded_uris(
    result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    results = build(result, rules)["runs"][0]["results"]
    loc = results[2]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "pages/our%20clinic.md", "uriBaseId": "%SRCROOT%"}
    # The schema's "uri-reference" format is not checked without extra packages: check here.
    for res, finding in zip(results, result.findings, strict=True):
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert " " not in uri
        assert urlsplit(uri).scheme == ""
        assert unquote(uri) == finding.path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("./site/a b.md", {"uri": "site/a%20b.md", "uriBaseId": "%SRCROOT%"}),
        ("déjà/vu.md", {"uri": "d%C3%A9j%C3%A0/vu.md", "uriBaseId": "%SRCROOT%"}),
        ("a:b#c?.md", {"uri": "a%3Ab%23c%3F.md", "uriBaseId": "%SRCROOT%"}),
        ("/srv/site/a b.md", {"uri": "file:///srv/site/a%20b.md"}),
    ],
)
def test_artifact_location(path: str, expected: dict[str, str]) -> None:
    assert sarif.artifact_location(path) == expected


def test_fingerprint_ignores_position_case_and_spacing() -> None:
    expected = hashlib.sha256(
        b"CL101\x1fketamine.depression\x1fketamine cures depression for good."
    ).hexdigest()
    assert sarif.fingerprint(CURE.to_record()) == expected
    moved = dataclasses.replace(CURE, line=30, end_line=30, start_offset=400, end_offset=426,
                                sentence="ketamine cures depression for GOOD. ")
    assert sarif.fingerprint(moved.to_record()) == expected
    other = dataclasses.replace(CURE, registry_id="ketamine.ptsd")
    assert sarif.fingerprint(other.to_record()) != expected
    assert sarif.fingerprint(RATE.to_record()) == hashlib.sha256(
        b"CL102\x1f\x1fwe have a 100% success rate!"
    ).hexdigest()


def test_result_fingerprints_and_properties(
    result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    cure, hedge, rate = build(result, rules)["runs"][0]["results"]
    assert cure["partialFingerprints"] == {"claimlint/v1": sarif.fingerprint(CURE.to_record())}
    assert cure["properties"] == {
        "registry_id": "ketamine.depression",
        "topic": "depression",
        "cues": ["cures"],
        "evidence": CURE.evidence.to_record() if CURE.evidence else None,
        "suggestion": "Say it “may ease symptoms for some patients”.",
    }
    assert cure["properties"]["evidence"]["references"][0]["pmid"] == "12345678"
    assert hedge["properties"] == {"cues": []}
    assert rate["properties"] == {
        "cues": [], "suggestion": "Give the rate with its source, or remove it."
    }


def test_stable_output(result: LintResult, rules: dict[str, RuleMeta]) -> None:
    def once(r: dict[str, RuleMeta]) -> str:
        out = io.StringIO()
        sarif.report(result, out, rules=r, color=False, tool_version="1")
        return out.getvalue()

    # The rules mapping's order must not change the rules array or any ruleIndex.
    assert once(rules) == once(dict(reversed(list(rules.items()))))
