"""claimlint benchmark: end to end against the floor (bare spaCy) and a peer (proselint).

    make bench                                   # 1,000 posts (~1M words), 3 runs each
    .venv/bin/python bench/run.py --posts 200 --runs 1     # a quick look

One run measures, on one deterministic corpus built from the team's fixture posts:

- ``claimlint check`` with ``--jobs 1`` and ``--jobs 2`` (cache off): wall time, words per
  second and peak RSS (``/usr/bin/time -v`` when present, else ``getrusage``);
- the floor: spaCy ``blank("en")`` tokenising and sentence-splitting the same files' text, no
  claimlint code (the least any spaCy-based linter must pay);
- the peer: ``proselint check`` on the same files;
- cold start: ``claimlint check`` on one post against ``python -c "import spacy;
  spacy.blank('en')"``;
- a cached re-run of the unchanged corpus against the run that filled the cache.

It prints a table of medians and the target ratios, and writes them to ``bench/results.json``.
Commands run as subprocesses, as users run them; nothing is timed inside a unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "posts"
BIN = Path(sys.executable).parent
GNU_TIME = Path("/usr/bin/time")
FLOOR = """
import sys
from pathlib import Path
import spacy
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
texts = (p.read_text("utf-8") for p in sorted(Path(sys.argv[1]).rglob("*")) if p.is_file())
n = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=64))
print(n)
"""
BARE_SPACY = "import spacy; spacy.blank('en')"

TARGETS = {
    "jobs1_vs_floor": ("claimlint --jobs 1 time / floor time", "<=", 3.0),
    "wps_vs_proselint": ("claimlint --jobs 1 words/s / proselint words/s", ">=", 3.0),
    "jobs2_speedup": ("--jobs 1 time / --jobs 2 time (2 cores)", ">=", 1.7),
    "cold_start_vs_spacy": ("one-post cold start / bare spaCy start", "<=", 1.5),
    "cached_vs_first": ("cached re-run time / first run time", "<=", 0.10),
    "peak_rss_mb": ("peak RSS of --jobs 1 on the corpus (MB)", "<=", 400.0),
}


# -- the corpus -------------------------------------------------------------------------------

def _paragraphs(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    if path.suffix == ".html":
        # Keep the element markup: the HTML reader is part of what is measured.
        return [m.group(0) for m in re.finditer(r"<(p|h[1-6]|li)\b[^>]*>.*?</\1>", text, re.S)]
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter once per file
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def build_corpus(out: Path, posts: int, words_per_post: int, seed: int = 0) -> int:
    """Write ``posts`` files recombining fixture paragraphs; returns the word count."""
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {".md": [], ".html": [], ".txt": []}
    for path in sorted(FIXTURES.iterdir()):
        pools[path.suffix].extend(_paragraphs(path))
    pools[".md"] += pools[".txt"]
    pools[".txt"] = list(pools[".md"])
    suffixes = [".md", ".md", ".html", ".txt"]
    total = 0
    for i in range(posts):
        suffix = suffixes[i % len(suffixes)]
        chosen: list[str] = []
        words = 0
        while words < words_per_post:
            para = rng.choice(pools[suffix])
            chosen.append(para)
            words += len(para.split())
        body = "\n\n".join(chosen)
        if suffix == ".html":
            body = f"<!doctype html>\n<html><body>\n{body}\n</body></html>\n"
        folder = out / f"site{i % 10:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"post{i:05d}{suffix}").write_text(body + "\n", "utf-8")
        total += words
    return total


# -- measuring --------------------------------------------------------------------------------

@dataclass
class Sample:
    seconds: float
    peak_rss_mb: float


def measure(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0, 1)) -> Sample:
    """Wall time and peak RSS of one command (exit codes in ``ok`` are success)."""
    if GNU_TIME.exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as log:
            start = time.perf_counter()
            done = subprocess.run([str(GNU_TIME), "-v", "-o", log.name, *cmd], cwd=cwd,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            seconds = time.perf_counter() - start
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", log.read())
            rss_kb = int(found.group(1)) if found else 0
    else:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        seconds = time.perf_counter() - start
        rss_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    if done.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    return Sample(seconds, rss_kb / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.seconds for s in samples),
                  statistics.median(s.peak_rss_mb for s in samples))


def run(args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="claimlint-bench-"))
    try:
        corpus = work / "corpus"
        words = build_corpus(corpus, args.posts, args.words_per_post)
        one_post = sorted(FIXTURES.glob("*.md"))[0]
        claimlint = [str(BIN / "claimlint"), "check", "--format", "json", "-q"]
        results: dict[str, Sample] = {}

        def rep(name: str, cmd: list[str], runs: int, ok: tuple[int, ...] = (0, 1)) -> None:
            samples = [measure(cmd, work, ok) for _ in range(runs)]
            results[name] = median(samples)
            print(f"  {name:<22} {results[name].seconds:8.2f} s "
                  f"{results[name].peak_rss_mb:7.0f} MB", file=sys.stderr)

        print(f"bench: {args.posts} posts, {words} words in {corpus}", file=sys.stderr)
        rep("floor", [sys.executable, "-c", FLOOR, str(corpus)], args.runs)
        rep("jobs1", [*claimlint, "--no-cache", "--jobs", "1", str(corpus)], args.runs)
        rep("jobs2", [*claimlint, "--no-cache", "--jobs", "2", str(corpus)], args.runs)
        cache_dir = work / "cache"
        first = [*claimlint, "--cache-dir", str(cache_dir), "--jobs", "1", str(corpus)]
        cold_fill: list[Sample] = []
        warm: list[Sample] = []
        for _ in range(args.runs):
            shutil.rmtree(cache_dir, ignore_errors=True)
            cold_fill.append(measure(first, work))
            warm.append(measure(first, work))
        results["cache_fill"], results["cached"] = median(cold_fill), median(warm)
        print(f"  {'cache_fill':<22} {results['cache_fill'].seconds:8.2f} s\n"
              f"  {'cached':<22} {results['cached'].seconds:8.2f} s", file=sys.stderr)
        rep("cold_start", [*claimlint, "--no-cache", str(one_post)], args.cold_runs)
        rep("bare_spacy", [sys.executable, "-c", BARE_SPACY], args.cold_runs)
        proselint = shutil.which("proselint", path=str(BIN)) or shutil.which("proselint")
        if proselint:
            files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
            rep("proselint", [proselint, "check", *files], args.proselint_runs, ok=(0, 1, 2))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    wps = {k: words / v.seconds for k, v in results.items()
           if k in ("floor", "jobs1", "jobs2", "proselint", "cache_fill", "cached")}
    ratios = {
        "jobs1_vs_floor": results["jobs1"].seconds / results["floor"].seconds,
        "jobs2_speedup": results["jobs1"].seconds / results["jobs2"].seconds,
        "cold_start_vs_spacy": results["cold_start"].seconds / results["bare_spacy"].seconds,
        "cached_vs_first": results["cached"].seconds / results["cache_fill"].seconds,
        "peak_rss_mb": results["jobs1"].peak_rss_mb,
    }
    if "proselint" in wps:
        ratios["wps_vs_proselint"] = wps["jobs1"] / wps["proselint"]
    return {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "corpus": {"posts": args.posts, "words": words, "runs": args.runs},
        "measurements": {k: asdict(v) | ({"words_per_second": wps[k]} if k in wps else {})
                         for k, v in results.items()},
        "ratios": ratios,
        "targets": {k: {"what": w, "op": op, "target": t, "value": ratios.get(k),
                        "met": _met(ratios.get(k), op, t)}
                    for k, (w, op, t) in TARGETS.items()},
    }


def _met(value: float | None, op: str, target: float) -> bool | None:
    if value is None:
        return None
    return value <= target if op == "<=" else value >= target


def table(report: dict[str, object]) -> str:
    m: dict[str, dict[str, float]] = report["measurements"]  # type: ignore[assignment]
    t: dict[str, dict[str, object]] = report["targets"]  # type: ignore[assignment]
    corpus: dict[str, int] = report["corpus"]  # type: ignore[assignment]
    lines = [f"corpus: {corpus['posts']} posts, {corpus['words']:,} words; "
             f"medians of {corpus['runs']} runs", "",
             "| Measurement | Time (s) | Words/s | Peak RSS (MB) |", "|---|---|---|---|"]
    for name, row in m.items():
        wps = f"{row['words_per_second']:,.0f}" if "words_per_second" in row else ""
        lines.append(f"| {name} | {row['seconds']:.2f} | {wps} | {row['peak_rss_mb']:.0f} |")
    lines += ["", "| Target | Value | Goal | Met |", "|---|---|---|---|"]
    for row in t.values():
        value = row["value"]
        shown = f"{value:.2f}" if isinstance(value, float) else "n/a"
        met = {True: "yes", False: "**no**", None: "n/a"}[row["met"]]  # type: ignore[index]
        lines.append(f"| {row['what']} | {shown} | {row['op']} {row['target']} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="claimlint benchmark")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--words-per-post", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs per corpus measurement")
    parser.add_argument("--cold-runs", type=int, default=7, help="runs per cold-start measurement")
    parser.add_argument("--proselint-runs", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    report = run(args)
    args.output.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(table(report))
    print(f"\nwritten to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
