"""The HTML report in a real browser: Debian's Chromium, headless, driven by Selenium.

The report is made by the real command line over the sample posts, opened from a file:// URL
(as a reviewer opens a CI artifact), and checked the way a reviewer uses it: the summary
counts, a filter, a click on a claim. A screenshot is left in build/test-artifacts/.

Chromium and ChromeDriver are the system packages (/usr/bin/chromium, /usr/bin/chromedriver);
the driver path is given to Selenium explicitly, so Selenium Manager never downloads one. The
test skips when either is missing, unless CLAIMLINT_REQUIRE_BROWSER=1 (as in CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimlint.findings import Evidence, LintResult, Reference, SourceView
from claimlint.report import html

from .sample import CURE

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_POSTS = ROOT / "fixtures" / "posts"
SCREENSHOT = ROOT / "build" / "test-artifacts" / "html-report.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="claimlint-data">(.*?)</script>', re.S)
WAIT = 20  # seconds

pytestmark = pytest.mark.slow


def browser_problem() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    problem = browser_problem()
    if problem:
        if os.environ.get("CLAIMLINT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{problem}; CLAIMLINT_REQUIRE_BROWSER=1 requires the browser test")
        pytest.skip(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--window-size=1440,1500", "--force-device-scale-factor=1",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    chrome.set_page_load_timeout(60)
    try:
        yield chrome
    finally:
        chrome.quit()


def claimlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_ACTIONS": ""}
    return subprocess.run([sys.executable, "-m", "claimlint", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The HTML report and the JSON report of the sample posts, from the real CLI."""
    work = tmp_path_factory.mktemp("browser-report")
    shutil.copytree(FIXTURE_POSTS, work / "posts")
    made = claimlint(work, "posts", "--format", "html", "-o", "report.html")
    assert made.returncode == 1, made.stdout + made.stderr
    as_json = claimlint(work, "posts", "--format", "json")
    assert as_json.returncode == 1, as_json.stderr
    return work / "report.html", json.loads(as_json.stdout)


def wait_for(chrome: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(chrome, WAIT).until(condition)


def open_page(chrome: Any, path: Path) -> None:
    chrome.get(path.resolve().as_uri())
    wait_for(chrome, lambda d: "ready" in (d.find_element("tag name", "body")
                                           .get_attribute("class") or ""))


def console_errors(chrome: Any) -> list[str]:
    return [e["message"] for e in chrome.get_log("browser") if e["level"] == "SEVERE"]


def text_of(chrome: Any, css: str) -> str:
    return str(chrome.find_element("css selector", css).text)


def summary_counts(chrome: Any, kind: str, cell: str) -> dict[str, int]:
    out = {}
    for row in chrome.find_elements("css selector", f'tr[data-kind="{kind}"]'):
        key = row.get_attribute("data-key")
        if kind == "post":  # keyed by post index; the link's title is the full path
            key = row.find_element("css selector", "a.post-link").get_attribute("title")
        out[key] = int(row.find_element("css selector", f"td.{cell}").text)
    return out


def shown(chrome: Any) -> int:
    return int(text_of(chrome, "#shown-count"))


def visible_rows(chrome: Any) -> int:
    return int(chrome.execute_script(
        "return Array.from(document.querySelectorAll('.finding-row'))"
        ".filter(r => r.offsetParent !== null).length;"))


def test_report_in_a_browser(driver: Any, generated: tuple[Path, dict[str, Any]]) -> None:
    from selenium.webdriver.support.ui import Select

    page, report = generated
    findings = report["findings"]
    summary = report["summary"]
    open_page(driver, page)
    assert console_errors(driver) == []  # the CSP hashes match: nothing was blocked

    # The summary shows the JSON report's counts.
    assert summary_counts(driver, "severity", "total") == {
        "error": summary["errors"], "warning": summary["warnings"], "info": summary["info"]}
    assert summary_counts(driver, "rule", "total") == dict(Counter(f["rule"] for f in findings))
    by_post = Counter(f["path"] for f in findings)
    assert summary_counts(driver, "post", "total") == {
        f"posts/{p.name}": by_post.get(f"posts/{p.name}", 0) for p in FIXTURE_POSTS.iterdir()}
    assert shown(driver) == len(findings)
    assert summary_counts(driver, "severity", "shown") == summary_counts(
        driver, "severity", "total")

    # Every post is drawn, with its claims highlighted: overclaims by severity, fair ones too.
    posts = driver.find_elements("css selector", "section.post")
    assert len(posts) == summary["files"]
    assert driver.find_elements("css selector", "mark.hl.sev-error")
    assert driver.find_elements("css selector", "mark.hl.fair")
    assert visible_rows(driver) == len(findings)

    # Severity filter: errors only.
    for severity in ("warning", "info"):
        driver.find_element("css selector", f'input[name=severity][value="{severity}"]').click()
    wait_for(driver, lambda d: shown(d) == summary["errors"])
    assert visible_rows(driver) == summary["errors"]
    assert summary_counts(driver, "severity", "shown") == {
        "error": summary["errors"], "warning": 0, "info": 0}
    assert not driver.find_elements("css selector", "mark.hl.sev-warning")

    # Rule filter, on top: one rule only.
    rule = Counter(f["rule"] for f in findings if f["severity"] == "error").most_common(1)[0][0]
    expected = sum(1 for f in findings if f["rule"] == rule and f["severity"] == "error")
    driver.find_element("css selector", "button[data-rules=none]").click()
    wait_for(driver, lambda d: shown(d) == 0)
    driver.find_element("css selector", f'input[name=rule][value="{rule}"]').click()
    wait_for(driver, lambda d: shown(d) == expected)
    assert visible_rows(driver) == expected
    assert summary_counts(driver, "rule", "shown")[rule] == expected

    # Reset, then one post only.
    driver.find_element("css selector", "button[type=reset]").click()
    wait_for(driver, lambda d: shown(d) == len(findings))
    target = max(by_post, key=lambda p: (by_post[p], p))
    Select(driver.find_element("id", "post-filter")).select_by_visible_text(target)
    wait_for(driver, lambda d: shown(d) == by_post[target])
    assert len([p for p in posts if p.is_displayed()]) == 1
    assert text_of(driver, "#shown-posts") == "1"

    # Click a claim: its findings, evidence, references and fair wording appear.
    data = json.loads(DATA_BLOCK.findall(page.read_text(encoding="utf-8"))[0])
    j = next(i for i, f in enumerate(data["findings"])
             if f["path"] == target and f["evidence"] is not None and f["suggestion"]
             and any(r["pmid"] for r in data["evidence"][f["evidence"]]["references"]))
    finding = data["findings"][j]
    post = finding["post"]
    segment = next(k for k, seg in enumerate(data["posts"][post]["segments"]) if j in seg[2])
    mark = driver.find_element("css selector", f'#post-{post} mark[data-seg="{segment}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
    mark.click()
    wait_for(driver, lambda d: d.find_elements("css selector", "#detail .finding-card"))
    detail = driver.find_element("id", "detail")
    cards = detail.find_elements("css selector", ".finding-card")
    card = next(c for c in cards if c.get_attribute("data-f") == str(j))
    assert f"{finding['rule']} {finding['name']}" in card.text
    assert finding["message"] in card.text
    assert finding["suggestion"] in card.text
    evidence = data["evidence"][finding["evidence"]]
    assert evidence["summary"] in card.text
    pmid = next(r["pmid"] for r in evidence["references"] if r["pmid"])
    hrefs = [a.get_attribute("href") for a in card.find_elements("css selector", ".refs a")]
    assert f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" in hrefs
    assert "selected" in (mark.get_attribute("class") or "")

    # A reviewer's view for the artifacts: clean posts hidden, the first overclaim open.
    driver.find_element("css selector", "button[type=reset]").click()
    wait_for(driver, lambda d: shown(d) == len(findings))
    driver.find_element("css selector", "input[name=hide-clean]").click()
    wait_for(driver, lambda d: text_of(d, "#shown-posts") == str(len(by_post)))
    first = driver.find_element(
        "css selector", "section.post:not([hidden]) mark.hl:is(.sev-error, .sev-warning)")
    first.click()
    wait_for(driver, lambda d: d.find_elements("css selector", "#detail .finding-card"))
    driver.execute_script("window.scrollTo(0, 0);")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
    assert console_errors(driver) == []


def test_hostile_text_stays_text(driver: Any, tmp_path: Path) -> None:
    attack = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    finding = dataclasses.replace(
        CURE, path="posts/a.md", message=f"Message {attack}", suggestion=attack,
        start_offset=0, end_offset=8,
        evidence=Evidence("low", attack, (Reference("r", attack, url="javascript:alert(1)"),)))
    text = f"Ketamine {attack} is extremely safe."
    result = LintResult(findings=[finding], files=["posts/a.md"],
                        sources={"posts/a.md": SourceView("posts/a.md", text)})
    page = tmp_path / "hostile.html"
    page.write_text(html.render_html(result, {}, "1.0"), encoding="utf-8")
    open_page(driver, page)
    assert driver.execute_script("return window.pwned === undefined;")
    assert driver.execute_script("return document.scripts.length;") == 2
    assert not driver.find_elements("css selector", "img")
    assert attack in text_of(driver, "pre.source")
    driver.find_element("css selector", "mark.hl").click()
    card = text_of(driver, "#detail .finding-card")
    assert f"Message {attack}" in card
    assert not driver.find_elements("css selector", '#detail a[href^="javascript:"]')
    assert driver.execute_script("return window.pwned === undefined;")
