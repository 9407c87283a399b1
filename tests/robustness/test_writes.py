"""What a run writes: nothing but the report (--output), the baseline (--write-baseline) and
the cache; each of those atomically, so an interrupted run (SIGINT, SIGTERM) leaves the old
file or the whole new one and no temporary file; and an unwritable cache never fails a run."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimlint.cli import main

from .conftest import one_input

ROOT = Path(__file__).resolve().parents[2]
POST = ("# Ketamine for CRPS\n\nKetamine is completely safe and not addictive.\n\n"
        "It cures CRPS in 90% of patients!\n\nKetamine may ease CRPS pain for some patients.\n")


def snapshot(folder: Path) -> dict[str, tuple[str, float]]:
    """Every file below ``folder`` (the cache aside): content digest and modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(".claimlint_cache") or not path.is_file():
            continue
        out[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime)
    return out


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "a.md").write_text(POST)
    (root / "posts" / "b.html").write_text("<h1>Ketamine</h1><p>Ketamine cures CRPS!</p>")
    (root / "posts" / "c.txt").write_text("Ketamine is extremely safe.\n")
    (root / "posts" / "bad.md").write_bytes(b"\xff\xfe broken")
    (root / ".claimlint.toml").write_text('fail-on = "warning"\n')
    return root


FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab", "html", "auto"]
OPTIONS = [[], ["--statistics"], ["--quiet", "--no-progress", "--fail-on", "error"],
           ["--no-cache", "--jobs", "2"], ["--baseline", "recorded.json"]]


def test_a_run_writes_nothing_but_the_cache(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    runner = CliRunner()
    # A baseline to read (written once, before the snapshot).
    assert runner.invoke(main, ["check", "posts", "--write-baseline",
                                "recorded.json"]).exit_code == 0
    before = snapshot(site)
    time.sleep(0.01)  # a rewrite would show in the modification time
    runs = list(itertools.product(FORMATS, OPTIONS))
    with one_input(count=len(runs) + 6, limit=120):
        for fmt, options in runs:
            result = runner.invoke(main, ["check", "posts", "--format", fmt, *options])
            assert result.exit_code == 2, (fmt, options, result.output)
            assert "Traceback" not in result.output
        result = runner.invoke(main, ["check", "-", "--stdin-filename", "posts/a.md"],
                               input=POST)
        assert result.exit_code == 1
        for command in (["extract", "posts"], ["rules"], ["rules", "CL101"],
                        ["registry", "validate"], ["registry", "list"]):
            result = runner.invoke(main, command)
            assert result.exit_code in (0, 2), (command, result.output)
    assert snapshot(site) == before


def test_report_is_written_whole_or_not_at_all(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimlint.report

    monkeypatch.chdir(site)
    (site / "report.json").write_text("old report\n")

    def half_then_fail(result: object, fmt: str, stream: object, **kw: object) -> None:
        stream.write('{"half": ')  # type: ignore[attr-defined]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(claimlint.report, "render", half_then_fail)
    with one_input():
        result = CliRunner().invoke(main, ["check", "posts", "-o", "report.json"])
    assert isinstance(result.exception, RuntimeError)
    assert (site / "report.json").read_text() == "old report\n"
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".report")) == []


def test_baseline_and_cache_writers_clean_up(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimlint import baseline as baseline_module
    from claimlint import cache as cache_module
    from claimlint.baseline import Baseline, BaselineError
    from claimlint.cache import FindingCache

    target = site / "b.json"
    Baseline(target).write()
    old = target.read_bytes()

    def no_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(baseline_module.os, "replace", no_replace)
    monkeypatch.setattr(cache_module.os, "replace", no_replace)
    with one_input(count=2):
        with pytest.raises(BaselineError, match="No space left"):
            Baseline(target).write()
        cache = FindingCache(site / "cache")
        cache.put("ab" * 32, [])
    assert target.read_bytes() == old
    assert not cache.writable
    leftovers = [p for p in site.rglob("*") if p.name.startswith((".tmp-", ".b.json."))]
    assert leftovers == []


def test_unwritable_cache_is_skipped_silently(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that cannot be created (here, under a regular file: root may write
    anywhere else) means an uncached run, with the usual report and exit status."""
    monkeypatch.chdir(site)
    (site / "not-a-folder").write_text("x")
    with one_input():
        result = CliRunner().invoke(main, ["check", "posts", "--format", "json",
                                           "--cache-dir", "not-a-folder/cache"])
    assert result.exit_code == 2  # bad.md
    report = json.loads(result.output)
    assert len(report["findings"]) > 1
    assert (site / "not-a-folder").read_text() == "x"


def test_read_only_tree_lints_with_the_cache_off(site: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders; the cache-under-a-file test covers it")
    for path in [site, *site.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        with one_input(limit=60):
            run = subprocess.run([sys.executable, "-m", "claimlint", "check", "posts"],
                                 cwd=site, capture_output=True, text=True, timeout=60,
                                 env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        assert run.returncode == 2 and "Traceback" not in run.stderr
        assert "CL103" in run.stdout
    finally:
        for path in [site, *site.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


# -- interrupted runs ------------------------------------------------------------------------------


def _big_site(root: Path, count: int = 300) -> None:
    (root / "posts").mkdir(parents=True)
    for i in range(count):
        (root / "posts" / f"p{i:03}.md").write_text(POST.replace("CRPS", f"CRPS {i}"))


def _interrupt(root: Path, args: list[str],
               sig: signal.Signals) -> subprocess.CompletedProcess[str]:
    """Start ``claimlint check`` over the big site and send ``sig`` once it is linting (its
    first cache entry is written)."""
    cache = root / ".claimlint_cache" / "entries"
    child = subprocess.Popen([sys.executable, "-m", "claimlint", "check", "posts",
                              "--no-progress", *args],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    deadline = time.monotonic() + 60
    while not (cache.is_dir() and any(cache.rglob("*.json"))):
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the run never started linting"
        time.sleep(0.05)
    child.send_signal(sig)
    out, err = child.communicate(timeout=60)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("target", ["report", "baseline"])
def test_interrupted_run_leaves_every_file_whole(tmp_path: Path, sig: signal.Signals,
                                                 status: int, target: str) -> None:
    _big_site(tmp_path)
    report, recorded = tmp_path / "report.json", tmp_path / "recorded.json"
    report.write_text("previous report\n")
    recorded.write_text('{"version": 1, "tool": "claimlint", "findings": []}\n')
    args = (["--format", "json", "--output", "report.json"] if target == "report"
            else ["--write-baseline", "recorded.json"])
    with one_input(limit=90):
        run = _interrupt(tmp_path, args, sig)
    assert run.returncode == status, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines == [f"claimlint: interrupted by {sig.name}; stopped before finishing"], lines
    assert report.read_text() == "previous report\n"
    assert recorded.read_text() == '{"version": 1, "tool": "claimlint", "findings": []}\n'
    temporary = [p.name for p in tmp_path.rglob("*")
                 if p.name.startswith((".report.json.", ".recorded.json.", ".tmp-"))]
    assert temporary == []
    for entry in (tmp_path / ".claimlint_cache" / "entries").rglob("*.json"):
        json.loads(entry.read_text())  # every cache entry written is whole


def test_finished_run_replaces_the_report_whole(tmp_path: Path) -> None:
    _big_site(tmp_path, count=20)
    (tmp_path / "report.json").write_text("previous report\n")
    with one_input(count=20, limit=90):
        run = subprocess.run([sys.executable, "-m", "claimlint", "check", "posts", "--format",
                              "json", "--output", "report.json"], cwd=tmp_path, text=True,
                             capture_output=True, timeout=90,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert run.returncode == 1, run.stderr
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["files"] == 20


def test_an_interrupt_during_a_cache_write_waits_for_it(tmp_path: Path) -> None:
    # The signal arrives in the middle of the write (here: from inside it); the write must
    # finish, leave no temporary file, and the interrupt must still be raised right after.
    from claimlint import cache

    target = tmp_path / "entry.json"
    real_replace = os.replace

    def replace_after_a_signal(src: str | Path, dst: str | Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler would run here if it were not held
        real_replace(src, dst)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache.os, "replace", replace_after_a_signal)
        with pytest.raises(KeyboardInterrupt):
            cache._write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]
