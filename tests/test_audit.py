"""``claimlint audit``: a crawl linted on a local Dask cluster gives exactly the findings and
the summary of the same Linter run over the same records in one process.

The crawl (``crawl_support``) is ~3,000 short pages over 30 sites, in JSONL, gzip JSONL and
Parquet, with bad records of every kind. One two-worker ``LocalCluster`` (processes, one thread
each) serves the whole module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The `audit` extra is in the `test` extra: CI must run these tests, not skip them.
if not os.environ.get("CI"):
    for module in ("dask.bag", "distributed", "pyarrow"):
        pytest.importorskip(module)

from click.testing import CliRunner

from claimlint import audit
from claimlint.audit import AuditResult, Row
from claimlint.cli import main
from claimlint.config import Settings
from claimlint.documents import read_document
from claimlint.engine import Linter
from crawl_support import DECOY, Crawl, Page, make_pages, write_crawl

ROOT = Path(__file__).resolve().parents[1]
PAGES = 3000
PARTITION_SIZE = 100


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return write_crawl(make_pages(PAGES), tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="module")
def dask_result(crawl: Crawl, settings: Settings, client: Any) -> AuditResult:
    return audit.run_audit(crawl.files, settings, client=client, partition_size=PARTITION_SIZE)


def _reference(crawl: Crawl, linter: Linter) -> tuple[list[Row], dict[str, int]]:
    """The findings of one Linter over every good page of the crawl, in one process and one
    call, built from what the generator knows (not from the audit's reader)."""
    placed = {page.url: (page, where) for page, where in crawl.pages}
    assert len(placed) == len(crawl.pages), "the generator makes unique urls"
    documents = [read_document(page.url, page.body.encode("utf-8"), page.kind)
                 for page, _ in crawl.pages]
    rows = []
    for f in linter.lint_documents(documents):
        page, where = placed[f.path]
        rows.append(Row(url=page.url, site=page.expected_site, rule=f.rule, name=f.name,
                        severity=str(f.severity), message=f.message, line=f.line,
                        column=f.column, sentence=f.sentence, registry_id=f.registry_id,
                        topic=f.topic, source=where.source, record=where.number))
    pages = Counter(page.expected_site for page, _ in crawl.pages)
    return sorted(rows, key=audit.row_key), dict(sorted(pages.items()))


def test_dask_audit_equals_a_single_process_run(crawl: Crawl, dask_result: AuditResult,
                                                settings: Settings) -> None:
    rows, pages = _reference(crawl, Linter(settings))
    assert len(crawl.pages) > 3000 and len(rows) > 3000
    found = [r for r in dask_result.rows if r.rule != "CL900"]
    assert found == rows
    assert dask_result.pages == pages
    # The same summary, counted from the same rows and pages.
    errors = [r for r in dask_result.rows if r.rule == "CL900"]
    reference = AuditResult(sorted(rows + errors, key=audit.row_key), pages)
    assert audit.summarise(dask_result) == audit.summarise(reference)
    # Sorted by (site, url, line, column, rule), and nothing from a decoy "text" field.
    keys = [(r.site, r.url, r.line, r.column, r.rule) for r in dask_result.rows]
    assert keys == sorted(keys)
    assert not any(r.sentence == DECOY for r in dask_result.rows)
    assert len({r.site for r in found}) == 30


def test_every_bad_record_is_one_cl900_row_naming_it(crawl: Crawl,
                                                     dask_result: AuditResult) -> None:
    errors = [r for r in dask_result.rows if r.rule == "CL900"]
    assert sorted((r.source, r.record, r.url, r.site) for r in errors) == \
        sorted((b.source, b.number, b.url, b.site) for b in crawl.bad)
    for r in errors:
        kind = "row" if r.source.endswith(".parquet") else "line"
        assert f"{kind} {r.record} of {r.source}" in r.message
        if r.url:
            assert f"({r.url})" in r.message
        assert r.severity == "error" and r.name == "input-error"
    by_message = {r.source.rsplit("/", 1)[-1] + f":{r.record}": r for r in errors}
    undecodable = next(r for k, r in by_message.items() if k.startswith("crawl-d.parquet"))
    assert "not valid UTF-8: byte 0xFF at line 2, column 14" in undecodable.message
    assert (undecodable.line, undecodable.column) == (2, 14)
    messages = " | ".join(r.message for r in errors)
    for problem in ("not valid JSON", "a record must be an object, not list", "'url' is missing",
                    "'html' must be a string, not int", "it has neither 'html' nor 'text'",
                    "'text' cannot be encoded as UTF-8", "'site' must be a string, not int",
                    "'url' is empty"):
        assert problem in messages, problem
    summary = audit.summarise(dask_result)
    assert summary["input_errors"] == len(crawl.bad)
    assert summary["by_site"]["(unknown)"]["input_errors"] == 5


def test_the_pipeline_is_built_once_per_worker(client: Any, dask_result: AuditResult,
                                               settings: Settings) -> None:
    builds = client.run(audit.pipeline_builds)
    assert len(builds) == 2
    # Each worker linted many partitions (31 in all), and built its Linter for them once.
    key = audit.settings_key(settings)
    assert all(b.get(key) == 1 for b in builds.values()), builds


@pytest.mark.parametrize("name", ["findings.parquet", "findings.jsonl", "findings.jsonl.gz"])
def test_findings_round_trip(name: str, dask_result: AuditResult, tmp_path: Path) -> None:
    path = str(tmp_path / name)
    audit.write_findings(dask_result.rows, path)
    assert audit.read_findings(path) == dask_result.rows
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        assert table.column_names == list(audit.COLUMNS)
        assert str(table.schema.field("line").type) == "int64"
    audit.write_findings([], path)
    assert audit.read_findings(path) == []


def test_summary_json_round_trips(dask_result: AuditResult, tmp_path: Path) -> None:
    summary = audit.summarise(dask_result)
    audit.write_summary(summary, str(tmp_path / "summary.json"))
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == summary


# --------------------------------------------------------------------------------------------
# A small hand-built crawl whose counts are known


SAFE = "Ketamine is extremely safe and not addictive."  # CL001 x2 (two registry entries)
CURE = "Ketamine cures chronic pain."  # CL003 + CL103 (entry ketamine.efficacy.chronic-pain)
CLEAN = "Our clinic is open Monday to Friday."


def _hand_built(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    records = [
        {"url": "https://www.alpha.example/a", "text": SAFE},
        {"url": "https://alpha.example/b", "html": f"<p>{CURE}</p><p>{CLEAN}</p>"},
        {"url": "https://alpha.example/c", "text": CLEAN},
        {"url": "https://beta.example/a", "site": "Beta Clinic", "html": f"<h1>Hours</h1>"
                                                                        f"<p>{CLEAN}</p>"},
        {"url": "https://beta.example/b", "site": "Beta Clinic", "text": 3},
        {"url": "https://gamma.example/", "text": f"{SAFE}\n\n{CURE}"},
        {"url": "https://gamma.example/", "text": SAFE},  # the same url again: both linted
    ]
    path = folder / "hand.jsonl"
    lines = [json.dumps(r) for r in records] + ["{oops"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(path)]


def test_summary_counts_for_a_hand_built_crawl(tmp_path: Path, settings: Settings,
                                               client: Any) -> None:
    files = _hand_built(tmp_path)
    local = audit.run_audit(files, settings, partition_size=3)
    on_dask = audit.run_audit(files, settings, client=client, partition_size=3)
    assert on_dask == local
    summary = audit.summarise(local)
    assert summary["sites"] == 4 and summary["pages"] == 6
    assert summary["pages_with_findings"] == 4 and summary["input_errors"] == 2
    alpha, beta = summary["by_site"]["alpha.example"], summary["by_site"]["Beta Clinic"]
    gamma, unknown = summary["by_site"]["gamma.example"], summary["by_site"]["(unknown)"]
    assert (alpha["pages"], alpha["pages_with_findings"], alpha["input_errors"]) == (3, 2, 0)
    assert (beta["pages"], beta["pages_with_findings"], beta["input_errors"]) == (1, 0, 1)
    assert (beta["findings"], beta["by_rule"]) == (0, {})
    assert (gamma["pages"], gamma["pages_with_findings"]) == (2, 2)
    assert (unknown["pages"], unknown["input_errors"]) == (0, 1)
    # Counts per rule and entry: each sentence's findings, once per page that says it.
    assert alpha["by_registry_id"] == {"ketamine.addiction.not-addictive": 1,
                                       "ketamine.safety.extremely-safe": 1,
                                       "ketamine.efficacy.chronic-pain": 2}
    assert gamma["by_registry_id"] == {"ketamine.addiction.not-addictive": 2,
                                       "ketamine.safety.extremely-safe": 2,
                                       "ketamine.efficacy.chronic-pain": 2}
    assert alpha["by_rule"] == {"CL001": 2, "CL003": 1, "CL103": 1}
    assert gamma["by_rule"] == {"CL001": 4, "CL003": 1, "CL103": 1}
    assert gamma["findings"] == 6 and alpha["by_severity"] == {"error": 3, "warning": 1}
    assert summary["findings"] == 10
    assert summary["by_rule"] == {"CL001": 6, "CL003": 2, "CL103": 2}
    text = audit.render_summary(summary)
    lines = text.splitlines()
    assert lines[2].split()[:5] == ["gamma.example", "2", "2", "0", "6"]
    assert "Total" in text and "ketamine.safety.extremely-safe" in text


def test_partitions_cover_every_record_once(tmp_path: Path) -> None:
    crawl = write_crawl(make_pages(90, sites=5, seed=3), tmp_path, row_group_size=7)
    for size in (1, 4, 50, 1000):
        partitions, errors = audit.plan(crawl.files, size)
        assert not errors and all(p.count <= size for p in partitions)
        seen = [(item.source, item.record if isinstance(item, Row) else item.number)
                for p in partitions
                for item in audit.read_partition(p)]
        expected = [(w.source, w.number) for _, w in crawl.pages] + \
            [(b.source, b.number) for b in crawl.bad]
        assert sorted(seen) == sorted(expected)


def test_sites_come_from_the_url_host() -> None:
    assert audit.site_of("https://www.Clinic.Example:8443/a?b") == "clinic.example"
    assert audit.site_of("http://clinic.example./") == "clinic.example"
    assert audit.site_of("not a url") == "(unknown)"
    assert audit.site_of("https://[::1") == "(unknown)"


def test_unreadable_files_become_cl900_rows(tmp_path: Path, settings: Settings) -> None:
    import gzip

    good = Page(url="https://a.example/", site=None, expected_site="a.example", kind="text",
                body=CLEAN)
    data = "".join(json.dumps({"url": f"{good.url}{i}", "text": f"{good.body} {i * i}"}) + "\n"
                   for i in range(2000)).encode()
    packed = gzip.compress(data)
    truncated = packed[:len(packed) // 2]
    (tmp_path / "cut.jsonl.gz").write_bytes(truncated)
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    result = audit.run_audit([str(tmp_path / "cut.jsonl.gz"), str(tmp_path / "bad.parquet")],
                             settings)
    errors = [r for r in result.rows if r.rule == "CL900"]
    assert any("Cannot read" in r.message and "cut.jsonl.gz" in r.message for r in errors)
    assert any("as Parquet" in r.message and r.source.endswith("bad.parquet") for r in errors)
    assert result.pages.get("a.example", 0) > 0  # the lines before the damage were linted


def test_unknown_suffixes_are_usage_errors(tmp_path: Path) -> None:
    from claimlint.errors import UsageError

    (tmp_path / "crawl.csv").write_text("url,text\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a crawl file"):
        audit.crawl_files([str(tmp_path / "crawl.csv")])
    with pytest.raises(UsageError, match="Parquet"):
        audit.output_format("findings.csv")


# --------------------------------------------------------------------------------------------
# The command line


def test_cli_audit_on_a_remote_scheduler(tmp_path: Path, client: Any) -> None:
    files = _hand_built(tmp_path / "crawl")
    out, summary = tmp_path / "out.parquet", tmp_path / "summary.json"
    address = client.scheduler.address
    result = CliRunner().invoke(main, ["audit", *files, "-o", str(out), "--summary",
                                       str(summary), "--scheduler", address,
                                       "--partition-size", "2"])
    assert result.exit_code == 0, result.output
    assert "gamma.example" in result.stdout and "Total" in result.stdout
    rows = audit.read_findings(str(out))
    assert sum(r.rule == "CL900" for r in rows) == 2
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["pages"] == 6 and data["findings"] == 10
    # The same crawl in this process writes the same bytes of JSONL.
    out2 = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["audit", *files, "-o", str(out2), "--in-process", "-q"])
    assert result.exit_code == 0 and result.stdout == ""
    assert audit.read_findings(str(out2)) == rows


def test_cli_audit_usage_errors(tmp_path: Path) -> None:
    files = _hand_built(tmp_path)
    result = CliRunner().invoke(main, ["audit", *files, "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "Parquet" in result.output
    result = CliRunner().invoke(main, ["audit", *files, "--scheduler", "tcp://h:8786",
                                       "--workers", "2"])
    assert result.exit_code == 2


def test_check_does_not_import_dask_or_pyarrow(tmp_path: Path) -> None:
    post = ROOT / "fixtures" / "posts" / "fair-ketamine-overview.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimlint", "check",
                           str(post), "--no-cache", "--no-progress"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "claimlint.engine" in imported
    heavy = sorted(m for m in imported
                   if m.split(".")[0] in ("dask", "distributed", "pyarrow")
                   or m == "claimlint.audit")
    assert not heavy, heavy
    # Importing the audit module itself does not load them either.
    probe = ("import sys, claimlint.audit; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('dask', 'distributed', 'pyarrow')))")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr[-2000:]
