"""Scaling of ``claimlint audit`` with the number of Dask workers, on one generated crawl.

    .venv/bin/python bench/audit.py                          # 10,000 pages, 1 and 2 workers
    .venv/bin/python bench/audit.py --pages 3000 --runs 1    # a quick look

The crawl is the deterministic one the audit tests use (``tests/crawl_support.py``: short
pages recombined from the team's fixture and dev posts, over 30 sites, as JSONL, gzip JSONL and
Parquet, bad records included). Each run is the real command in a subprocess,
``claimlint audit CRAWL... -o findings.parquet --summary summary.json --workers N``, timed
wall-clock from start to exit (cluster start-up, every worker building its pipeline, linting,
gathering and writing). ``--in-process`` (no Dask) is run too, as the one-process reference;
every run must write the same summary. Prints a table of the fastest run of each, with the
CPU time the run's processes used (user + system, workers included) and the machine's load
average before it: a busy machine shows as CPU/wall well under the number of workers.

``--warm`` measures throughput alone: the library API on a ``LocalCluster`` whose workers have
built their pipelines before the clock starts, with each worker's CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from crawl_support import make_pages, write_crawl  # noqa: E402


def _label(extra: list[str]) -> str:
    return extra[0] if extra[0] == "--in-process" else " ".join(extra[:2])


def run(files: list[str], out: Path, extra: list[str]
        ) -> tuple[float, float, dict[str, object]]:
    summary = out / "summary.json"
    command = [sys.executable, "-m", "claimlint", "audit", *files, "-o",
               str(out / "findings.parquet"), "--summary", str(summary), "--no-progress",
               *extra]
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=out)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    print(f"  {_label(extra):<14} {seconds:7.1f} s wall {cpu:7.1f} s CPU  load {load:4.1f}"
          f"   {done.stderr.strip().splitlines()[-1]}", flush=True)
    return seconds, cpu, json.loads(summary.read_text(encoding="utf-8"))


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _build(settings: Any) -> None:
    """Build this worker's Linter (returns nothing: a Linter is not sent back)."""
    from claimlint import audit

    audit.worker_linter(settings)


def warm(files: list[str], workers: list[int], partition_size: int) -> None:
    from dask.distributed import Client, LocalCluster

    from claimlint import audit
    from claimlint.config import Settings

    settings = Settings()
    for n in workers:
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(_build, settings)  # every pipeline built before timing
            before = client.run(_cpu)
            started = time.perf_counter()
            audit.run_audit(files, settings, client=client, partition_size=partition_size)
            seconds = time.perf_counter() - started
            after = client.run(_cpu)
            cpu = ", ".join(f"{after[w] - before[w]:.1f}" for w in sorted(after))
            print(f"  warm, {n} worker(s): {seconds:6.1f} s wall, worker CPU {cpu} s "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--partition-size", default="250")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument("--warm", action="store_true",
                        help="Time linting alone on warm clusters (library API).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimlint-audit-bench-") as tmp:
        crawl = write_crawl(make_pages(args.pages), Path(tmp) / "crawl")
        if args.warm:
            print(f"{len(crawl.pages)} pages, {os.cpu_count()} cores")
            for _ in range(args.runs):
                warm(crawl.files, args.workers, int(args.partition_size))
            return
        out = Path(tmp) / "out"
        out.mkdir()
        configs = [[]] if args.no_in_process else [["--in-process"]]
        configs = [[*c, "--partition-size", args.partition_size] for c in configs]
        configs += [["--workers", str(n), "--partition-size", args.partition_size]
                    for n in args.workers]
        print(f"{len(crawl.pages)} pages, {len(crawl.bad)} bad records, "
              f"{os.cpu_count()} cores; {args.runs} run(s) each")
        best: dict[str, tuple[float, float]] = {}
        summaries = []
        for _ in range(args.runs):
            for extra in configs:
                seconds, cpu, summary = run(crawl.files, out, extra)
                label = _label(extra)
                best[label] = min(best.get(label, (seconds, cpu)), (seconds, cpu))
                summaries.append(summary)
        assert all(s == summaries[0] for s in summaries), "runs disagree"
        print(f"\n{'run':<14} {'best wall':>10} {'its CPU':>9} {'pages/s':>8}")
        for label, (seconds, cpu) in best.items():
            print(f"{label:<14} {seconds:>8.1f} s {cpu:>7.1f} s {len(crawl.pages) / seconds:>8.0f}")


if __name__ == "__main__":
    main()
