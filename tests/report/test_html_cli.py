"""End to end: ``claimlint check --format html|junit|gitlab`` over the sample posts.

The posts are copied into a temporary folder first, so no configuration or cache above the
repository (or in it) can change the result, and the run writes nothing into the checkout.
"""

from __future__ import annotations

import inspect
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimlint.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_POSTS = ROOT / "fixtures" / "posts"
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="claimlint-data">(.*?)</script>', re.S)


def invoke(*args: str) -> Result:
    # click < 8.2 mixes stderr into stdout unless told not to; 8.2 always keeps them apart.
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    else:
        runner = CliRunner()
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html-cli")
    shutil.copytree(FIXTURE_POSTS, folder / "posts")
    return folder


@pytest.fixture(scope="module")
def reports(workdir: Path) -> tuple[dict[str, Any], str]:
    """The JSON report and the HTML report of the same run's input."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        as_json = invoke("check", "posts", "--format", "json")
        as_html = invoke("check", "posts", "--format", "html", "-o", "out.html")
    assert as_json.exit_code == 1, as_json.output
    assert as_html.exit_code == 1, as_html.output
    assert as_html.stdout == ""  # the report went to the file
    return json.loads(as_json.stdout), (workdir / "out.html").read_text(encoding="utf-8")


def page_data(page: str) -> dict[str, Any]:
    (block,) = DATA_BLOCK.findall(page)
    data: dict[str, Any] = json.loads(block)
    return data


def test_html_report_holds_every_finding_of_the_json_report(
    reports: tuple[dict[str, Any], str],
) -> None:
    report, page = reports
    data = page_data(page)
    assert len(data["findings"]) == len(report["findings"]) > 0
    for embedded, record in zip(data["findings"], report["findings"], strict=True):
        expected = dict(record)
        if record["evidence"] is not None:
            assert data["evidence"][embedded["evidence"]] == record["evidence"]
            expected["evidence"] = embedded["evidence"]
        assert {k: embedded[k] for k in record} == expected
    assert len(data["posts"]) == report["summary"]["files"]


def test_every_post_has_its_text_and_claims(
    workdir: Path, reports: tuple[dict[str, Any], str],
) -> None:
    _, page = reports
    data = page_data(page)
    assert sorted(p["path"] for p in data["posts"]) == sorted(
        f"posts/{p.name}" for p in FIXTURE_POSTS.iterdir())
    for post in data["posts"]:
        text = (workdir / post["path"]).read_bytes().decode("utf-8-sig")
        assert post["text"] == text
        assert post["claims"], post["path"]
        for j in post["findings"]:
            finding = data["findings"][j]
            start, end = finding["span"]
            assert text[start:end] == text[finding["start_offset"]:finding["end_offset"]]
    fair = next(p for p in data["posts"] if p["path"].endswith("fair-ketamine-overview.md"))
    assert fair["findings"] == []
    assert all(not c["findings"] for c in fair["claims"])  # every claim in it is fair


def test_summary_matches_the_json_counts(reports: tuple[dict[str, Any], str]) -> None:
    report, page = reports
    summary = report["summary"]
    for severity, key in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        assert f'<span class="count sev-{severity}" id="total-{severity}">{summary[key]}</span>' \
            in page
    assert f'<strong id="total-findings">{len(report["findings"])}</strong>' in page


@pytest.mark.parametrize("fmt", ["junit", "gitlab"])
def test_ci_formats_from_the_command_line(workdir: Path, fmt: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        result = invoke("check", "posts", "--format", fmt)
    assert result.exit_code == 1, result.output
    if fmt == "junit":
        root = ET.fromstring(result.stdout.encode("utf-8"))
        assert len(root.findall("testsuite")) == len(list(FIXTURE_POSTS.iterdir()))
        assert int(root.get("failures", "0")) > 0
    else:
        issues = json.loads(result.stdout)
        assert issues and all(i["location"]["path"].startswith("posts/") for i in issues)
        assert len({i["fingerprint"] for i in issues}) == len(issues)
