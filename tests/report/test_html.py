from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from claimlint.findings import (
    ClaimMark,
    Evidence,
    Finding,
    LintResult,
    Reference,
    Severity,
    SourceView,
)
from claimlint.report import html
from claimlint.rules.base import RuleMeta

from .sample import CURE, HEDGE, RATE, make_result

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "src" / "claimlint" / "report" / "assets"
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="claimlint-data">(.*?)</script>', re.S)


def place(size: int, spans: dict[int, str]) -> str:
    """A text of ``size`` characters with each string at its offset, filler elsewhere."""
    chars = list(("Filler text. " * (size // 13 + 1))[:size])
    for offset, value in spans.items():
        chars[offset:offset + len(value)] = value
    return "".join(chars)


KETAMINE_TEXT = place(200, {40: "Ketamine  CURES depression", 120: "x" * 35})
RESULT_SOURCES = {
    "pages/ketamine.md": SourceView(
        "pages/ketamine.md", KETAMINE_TEXT,
        (ClaimMark(30, 80, 3, "efficacy", "boosted", "ketamine.depression"),
         ClaimMark(100, 118, 7, "safety", "hedged"))),
    "pages/index.md": SourceView("pages/index.md", place(60, {}),
                                 (ClaimMark(0, 20, 1, "efficacy", "qualified"),)),
    # "pages/our clinic.md" has no source view: its finding must still be listed.
}


def with_sources() -> LintResult:
    result = make_result()
    result.sources = dict(RESULT_SOURCES)
    return result


def render(result: LintResult, rules: dict[str, RuleMeta] | None = None, **kw: Any) -> str:
    if kw:
        return html.render_html(result, rules or {}, "1.2.3", **kw)
    out = io.StringIO()
    html.report(result, out, rules=rules or {}, color=False, tool_version="1.2.3")
    return out.getvalue()


def page_data(page: str) -> dict[str, Any]:
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <script> and <style> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks.append((*self._open, data))
            self._open = None


def tags(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


# -- segments ----------------------------------------------------------------------------


def test_overlapping_spans_become_non_overlapping_segments() -> None:
    cut = html.segments([(0, 10), (5, 15)], [(0, 20)])
    assert cut == [(0, 5, (0,), (0,)), (5, 10, (0, 1), (0,)), (10, 15, (1,), (0,)),
                   (15, 20, (), (0,))]


def test_gaps_and_empty_spans_are_not_segments() -> None:
    assert html.segments([(3, 3), (10, 12)], [(20, 25)]) == [
        (10, 12, (1,), ()), (20, 25, (), (0,))]  # indices are the caller's, empty spans too
    assert html.segments([], []) == []


def test_nested_and_identical_spans() -> None:
    cut = html.segments([(2, 4), (0, 8), (2, 4)])
    assert cut == [(0, 2, (1,), ()), (2, 4, (0, 1, 2), ()), (4, 8, (1,), ())]
    for (_, end, _, _), (start, _, _, _) in pairwise(cut):
        assert end <= start


def test_a_segment_takes_the_highest_severity_covering_it() -> None:
    severities = ["info", "error", "warning"]
    cut = html.segments([(0, 10), (4, 6), (5, 20)])
    assert [html.highest_severity(ids, severities) for _, _, ids, _ in cut] == [
        "info", "error", "error", "warning", "warning"]
    assert html.highest_severity((), severities) is None


def test_utf16_offsets() -> None:
    text = "a\U0001F600b\U0001F600c"
    to16 = html.utf16_converter(text)
    assert [to16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert html.utf16_converter("plain")(3) == 3


# -- the embedded data -------------------------------------------------------------------


def test_data_lists_every_post_and_finding() -> None:
    data = page_data(render(with_sources()))
    assert [p["path"] for p in data["posts"]] == ["pages/index.md", "pages/ketamine.md",
                                                   "pages/our clinic.md"]
    assert [f["rule"] for f in data["findings"]] == ["CL101", "CL301", "CL102"]
    assert data["tool"] == {"name": "claimlint", "version": "1.2.3"}
    assert data["generated"] is None
    index, ketamine, clinic = data["posts"]
    assert index["findings"] == [] and len(index["claims"]) == 1  # a clean post, one fair claim
    assert ketamine["findings"] == [0, 1]
    # The file with no source view still lists its finding.
    assert clinic["text"] is None and clinic["findings"] == [2]
    assert "span" not in data["findings"][2]


def test_claims_know_their_findings_and_segments_cover_both() -> None:
    data = page_data(render(with_sources()))
    ketamine = data["posts"][1]
    assert [c["findings"] for c in ketamine["claims"]] == [[0], []]
    assert ketamine["claims"][0]["registry_id"] == "ketamine.depression"
    assert ketamine["segments"] == [
        [30, 40, [], [0]],
        [40, 66, [0], [0]],
        [66, 80, [], [0]],
        [100, 118, [], [1]],
        [120, 155, [1], []],
    ]
    assert data["findings"][0]["span"] == [40, 66]
    assert ketamine["text"][40:66] == "Ketamine  CURES depression"


def test_offsets_are_converted_to_utf16() -> None:
    text = "\U0001F600 Ketamine cures pain."
    finding = dataclasses.replace(RATE, path="a.md", start_offset=11, end_offset=16)
    assert text[11:16] == "cures"
    result = LintResult(findings=[finding], files=["a.md"],
                        sources={"a.md": SourceView("a.md", text,
                                                    (ClaimMark(2, 23, 1, "efficacy", "boosted"),))})
    data = page_data(render(result))
    assert data["findings"][0]["span"] == [12, 17]
    assert data["posts"][0]["claims"][0]["start"] == 3
    # What JavaScript's String.slice would give back, in UTF-16 units.
    utf16 = text.encode("utf-16-le")
    assert utf16[12 * 2:17 * 2].decode("utf-16-le") == "cures"


def test_offsets_outside_the_text_are_clamped() -> None:
    finding = dataclasses.replace(RATE, path="a.md", start_offset=5, end_offset=500)
    result = LintResult(findings=[finding], files=["a.md"],
                        sources={"a.md": SourceView("a.md", "short text")})
    data = page_data(render(result))
    assert data["findings"][0]["span"] == [5, 10]
    assert data["posts"][0]["segments"] == [[5, 10, [0], []]]


def test_evidence_is_stored_once() -> None:
    findings = [dataclasses.replace(CURE, line=n, start_offset=n, end_offset=n + 1)
                for n in range(1, 6)]
    data = page_data(render(LintResult(findings=findings)))
    assert len(data["evidence"]) == 1
    assert {f["evidence"] for f in data["findings"]} == {0}
    assert data["evidence"][0]["references"][0]["pmid"] == "12345678"


def test_rules_come_from_metadata_or_the_finding(rules: dict[str, RuleMeta]) -> None:
    data = page_data(render(with_sources(), rules))
    assert data["rules"] == {
        "CL101": {"name": "overstated.cure", "summary": "A treatment is said to cure.",
                  "help": "https://claimlint.readthedocs.io/rules/CL101"},
        "CL102": {"name": "overstated.success-rate", "summary": "Unsourced success rate.",
                  "help": "https://claimlint.readthedocs.io/rules/CL102"},
        "CL301": {"name": "style.audience", "summary": "", "help": None},
    }


# -- the page ----------------------------------------------------------------------------


def test_structure(rules: dict[str, RuleMeta]) -> None:
    page = render(with_sources(), rules)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert page.endswith("</html>\n")
    assert "<title>claimlint report: 3 findings in 3 posts</title>" in page
    for marker in ('id="summary-severity"', 'id="summary-rule"', 'id="summary-post"',
                   'id="filters"', 'id="shown-count"', 'id="post-list"', 'id="detail"'):
        assert marker in page
    parsed = tags(page)
    checkboxes = [a for t, a in parsed.tags if t == "input" and a.get("type") == "checkbox"]
    assert {a["value"] for a in checkboxes if a["name"] == "severity"} == {
        "error", "warning", "info"}
    assert [a["value"] for a in checkboxes if a["name"] == "rule"] == ["CL101", "CL102", "CL301"]
    options = [a["value"] for t, a in parsed.tags if t == "option"]
    assert options == ["-1", "0", "1", "2"]


def summary_rows(page: str, kind: str) -> dict[str, tuple[int, int]]:
    rows = re.findall(rf'<tr data-kind="{kind}" data-key="([^"]*)">.*?'
                      r'<td class="num shown">(\d+)</td><td class="num total">(\d+)</td>', page)
    return {key: (int(shown), int(total)) for key, shown, total in rows}


def test_summary_counts_by_severity_rule_and_post() -> None:
    page = render(with_sources())
    assert summary_rows(page, "severity") == {"error": (1, 1), "warning": (1, 1), "info": (1, 1)}
    assert summary_rows(page, "rule") == {"CL101": (1, 1), "CL102": (1, 1), "CL301": (1, 1)}
    # Posts with most findings first; keys are post indices.
    assert list(summary_rows(page, "post").items()) == [("1", (2, 2)), ("2", (1, 1)),
                                                        ("0", (0, 0))]
    assert '<strong id="total-findings">3</strong> findings' in page
    assert 'By post <span class="muted">in pages/</span>' in page


def test_summary_chart_is_inline_svg_bars() -> None:
    page = render(with_sources())
    assert page.count('<svg class="bar"') == 3 + 3 + 3
    # The widest bar is the post with two findings: 100 units; one finding is half of it.
    assert ('<rect class="bar-error" data-severity="error" x="0" y="0" width="50" '
            'height="10"/>') in page
    assert 'class="bar-total" x="0" y="0" width="100"' in page


def test_user_text_is_escaped_everywhere() -> None:
    attack = "<script>alert(1)</script>"
    finding = dataclasses.replace(
        RATE, path=f"posts/{attack}.md", message=f"Bad {attack} & <!-- ]]> </style>",
        name=f"name{attack}", suggestion=attack, sentence=attack,
        evidence=Evidence("low", attack, (Reference("r", attack, url="javascript:alert(1)"),)))
    result = LintResult(findings=[finding], files=[finding.path],
                        sources={finding.path: SourceView(finding.path, f"{attack} text")})
    rules = {"CL102": RuleMeta("CL102", f"rule{attack}", f'"{attack}"', Severity.WARNING, "")}
    page = render(result, rules)
    assert attack not in page
    assert "<!--" not in page.split("<body>", 1)[1]
    # Exactly the two script blocks the reporter writes, and nothing can close them early.
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the server-rendered summary
    data = page_data(page)
    assert data["findings"][0]["message"] == f"Bad {attack} & <!-- ]]> </style>"
    assert data["posts"][0]["text"] == f"{attack} text"


def test_self_contained() -> None:
    page = render(with_sources())
    parsed = tags(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, (tag, attrs)
        assert "href" not in attrs or str(attrs["href"]).startswith("#"), (tag, attrs)
        assert tag not in ("link", "iframe", "img", "object", "embed", "base"), tag
    lowered = page.lower()
    for needle in ('src="http', "src='http", "<link", "@import", "url(", "//cdn", "fetch(",
                   "xmlhttprequest", "websocket", "sendbeacon", "import("):
        assert needle not in lowered, needle


def test_content_security_policy_allows_only_the_inline_blocks() -> None:
    page = render(with_sources())
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp
    policy = dict(part.strip().split(" ", 1) for part in csp.group(1).split(";"))
    assert policy["default-src"] == "'none'"
    blocks = {tag: text for tag, attrs, text in tags(page).blocks if "type" not in attrs}

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy["script-src"] == digest(blocks["script"])
    assert policy["style-src"] == digest(blocks["style"])
    assert blocks["script"] == (ASSETS / "report.js").read_text(encoding="utf-8")
    assert blocks["style"] == (ASSETS / "report.css").read_text(encoding="utf-8")


def test_assets_cannot_close_their_element() -> None:
    for name in ("report.js", "report.css"):
        text = (ASSETS / name).read_text(encoding="utf-8").lower()
        assert "</script" not in text and "</style" not in text and "<!--" not in text
        # Report text is only ever written as text, never parsed as markup.
        assert not re.search(r"\.(innerhtml|outerhtml)\b|insertadjacenthtml|document\.write"
                             r"|\beval\(", text)


def test_deterministic() -> None:
    assert render(with_sources()) == render(with_sources())
    assert "generated" not in render(with_sources()).split("<script", 1)[0]


def test_generated_is_shown_only_when_given() -> None:
    page = render(with_sources(), generated="2024-05-01 10:00 UTC")
    assert "generated 2024-05-01 10:00 UTC" in page
    assert page_data(page)["generated"] == "2024-05-01 10:00 UTC"


def test_empty_result() -> None:
    page = render(LintResult())
    data = page_data(page)
    assert data["posts"] == [] and data["findings"] == []
    assert '<td colspan="4" class="empty">No findings.</td>' in page


def test_posts_start_collapsed_in_large_reports() -> None:
    small = LintResult(files=[f"p{i}.md" for i in range(html.OPEN_POSTS_LIMIT)])
    large = LintResult(files=[f"p{i}.md" for i in range(html.OPEN_POSTS_LIMIT + 1)])
    assert page_data(render(small))["open_posts"] is True
    assert page_data(render(large))["open_posts"] is False


def big_result(posts: int = 500, per_post: int = 10) -> LintResult:
    severities = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    findings: list[Finding] = []
    sources: dict[str, SourceView] = {}
    for p in range(posts):
        path = f"site/post-{p:03d}.md"
        sentence = "Ketamine is extremely safe and cures pain. "
        text = sentence * per_post * 2
        claims = tuple(ClaimMark(i * len(sentence), (i + 1) * len(sentence) - 1, 1, "safety",
                                 "boosted") for i in range(per_post * 2))
        for i in range(per_post):
            start = i * len(sentence) + 12
            findings.append(dataclasses.replace(
                CURE, path=path, line=i + 1, end_line=i + 1, start_offset=start,
                end_offset=start + 14, severity=severities[i % 3], rule=f"CL10{i % 9}",
                sentence=sentence))
        sources[path] = SourceView(path, text, claims)
    return LintResult(findings=sorted(findings), files=list(sources), sources=sources)


def test_thousands_of_findings() -> None:
    result = big_result()
    assert len(result.findings) == 5000
    page = render(result)
    data = page_data(page)
    assert len(data["findings"]) == 5000 and len(data["posts"]) == 500
    assert len(data["evidence"]) == 1
    assert sum(len(p["segments"]) for p in data["posts"]) == 500 * (10 * 3 + 10)
    assert summary_rows(page, "severity")["error"] == (2000, 2000)  # i % 3 == 0 of 0..9
    assert page.count('<tr data-kind="post"') == 500


def test_registered_and_works_without_sources(
    result: LintResult, rules: dict[str, RuleMeta]
) -> None:
    from claimlint.report import FORMATS, REPORTERS

    assert REPORTERS["html"] is html.report
    assert {"junit", "gitlab", "html"} <= set(FORMATS)
    # Without sources (a caller that did not ask for them) the page still lists every finding.
    data = page_data(render(result, rules))
    assert sorted(j for p in data["posts"] for j in p["findings"]) == [0, 1, 2]
    assert all(p["text"] is None for p in data["posts"])
    assert HEDGE.message in render(result, rules)


@pytest.mark.slow
def test_wheel_ships_the_assets(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path),
         str(ROOT)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = tmp_path.glob("claimlint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in ("report.js", "report.css"):
            packaged = archive.read(f"claimlint/report/assets/{name}")
            assert packaged == (ASSETS / name).read_bytes(), name
