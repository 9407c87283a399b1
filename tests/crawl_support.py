"""A deterministic synthetic web crawl for the audit tests and the audit benchmark.

Pages recombine sentences of the team-written posts (``fixtures/posts`` and the dev part of
``corpus/posts``; never the held-out test part) into short HTML and plain-text pages spread
over ``sites`` clinic sites. ``write_crawl`` writes them as JSONL, gzip-compressed JSONL and
Parquet, with bad records of every kind the audit must survive, and says where each page and
each bad record landed (file and line or row number, from 1), so a test can predict the
audit's rows without running it.
"""

from __future__ import annotations

import gzip
import html
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from claimlint.documents import read_document

ROOT = Path(__file__).resolve().parents[1]
POSTS = ROOT / "fixtures" / "posts"
CORPUS = ROOT / "corpus"
HEADINGS = ("About our clinic", "Ketamine infusions", "What to expect", "Patient stories",
            "Frequently asked questions", "Our treatments", "Pain relief", "New patients",
            "Why choose us", "Research and results")
# A "text" field beside "html": html wins, so this must never be linted.
DECOY = "Ketamine is completely safe and cures chronic pain in 100% of patients."
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class Page:
    url: str
    site: str | None  # the record's "site" field; None leaves it out (derived from the url)
    expected_site: str
    kind: str  # "html" or "text"
    body: str
    decoy: bool = False  # also carries a "text" field that must be ignored


@dataclass(frozen=True)
class Placed:
    """Where one record landed: file name (as the audit is given it) and line or row."""

    source: str
    number: int


@dataclass(frozen=True)
class BadRecord:
    source: str
    number: int
    url: str  # as the CL900 row should show it ("" when the record has none)
    site: str  # as the CL900 row should show it


@dataclass
class Crawl:
    files: list[str]
    pages: list[tuple[Page, Placed]]
    bad: list[BadRecord]


def sentence_pool() -> list[str]:
    """Every sentence of the fixture posts and the dev corpus posts, deduplicated, sorted."""
    split = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    paths = sorted(POSTS.iterdir()) + [CORPUS / "posts" / name for name in sorted(split["dev"])]
    sentences: set[str] = set()
    for path in paths:
        document = read_document(str(path), path.read_bytes())
        for block in document.blocks:
            for sentence in _SENTENCE_END.split(" ".join(block.text.split())):
                if 25 <= len(sentence) <= 240 and sentence[-1] in ".!?":
                    sentences.add(sentence)
    return sorted(sentences)


def make_pages(count: int, sites: int = 30, seed: int = 20240501) -> list[Page]:
    rng = random.Random(seed)
    pool = sentence_pool()
    pages = []
    for i in range(count):
        n = rng.randrange(sites)
        site = f"clinic-{n:02d}.example"
        host = ("www." if rng.random() < 0.5 else "") + site
        url = f"{rng.choice(('https', 'http'))}://{host}/{rng.choice(('blog', 'faq', 'care'))}/" \
              f"page-{i:05d}"
        title = rng.choice(HEADINGS)
        paragraphs = [[rng.choice(pool) for _ in range(rng.randint(1, 3))]
                      for _ in range(rng.randint(2, 3))]
        kind = "html" if rng.random() < 0.5 else "text"
        if kind == "html":
            body = (f"<!doctype html>\n<html><head><title>{html.escape(title)}</title></head>\n"
                    f"<body>\n<h1>{html.escape(title)}</h1>\n"
                    + "".join(f"<p>{html.escape(' '.join(p))}</p>\n" for p in paragraphs)
                    + "</body></html>\n")
        else:
            body = title + "\n\n" + "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
        pages.append(Page(url=url, site=site if rng.random() < 0.75 else None,
                          expected_site=site, kind=kind, body=body,
                          decoy=kind == "html" and rng.random() < 0.05))
    return pages


def record(page: Page) -> dict[str, str]:
    out = {"url": page.url, page.kind: page.body}
    if page.decoy:
        out["text"] = DECOY
    if page.site is not None:
        out["site"] = page.site
    return out


# Bad JSONL lines: (raw line, url and site the CL900 row names). The url is given only when the
# record could be read far enough to know it.
BAD_JSONL: list[tuple[bytes, str, str]] = [
    (b'{"url": "https://clinic-01.example/broken", "html": "<p>unterminated', "", "(unknown)"),
    (b'["not", "an", "object"]', "", "(unknown)"),
    (b'{"html": "<p>Ketamine cures pain.</p>", "site": "clinic-02.example"}', "",
     "clinic-02.example"),
    (b'{"url": "https://clinic-03.example/x", "html": 42}', "https://clinic-03.example/x",
     "clinic-03.example"),
    (b'{"url": "https://www.clinic-04.example/y", "site": "clinic-04.example"}',
     "https://www.clinic-04.example/y", "clinic-04.example"),
    (b'{"url": "https://clinic-05.example/z", "text": "broken \\ud800 text"}',
     "https://clinic-05.example/z", "clinic-05.example"),
    (b'{"url": "https://clinic-06.example/\xff", "text": "not UTF-8"}', "", "(unknown)"),
    (b'{"url": "https://clinic-07.example/s", "site": 7, "text": "Hello."}',
     "https://clinic-07.example/s", "clinic-07.example"),
    (b'{"url": "", "text": "An empty url."}', "", "(unknown)"),
]


def write_crawl(pages: list[Page], folder: Path, *, bad: bool = True,
                row_group_size: int = 300) -> Crawl:
    """Pages split in three: ``crawl-a.jsonl``, ``crawl-b.jsonl.gz``, ``crawl-c.parquet``
    (row groups of ``row_group_size``); with ``bad``, bad records in each and a fourth file,
    ``crawl-d.parquet``, whose html is a binary column with one page that is not UTF-8."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    third = len(pages) // 3
    parts = [pages[:third], pages[third:2 * third], pages[2 * third:]]
    crawl = Crawl([], [], [])

    # JSONL, plain and gzip-compressed: bad lines spread through the first file, a blank line
    # (no record) in each, one bad line in the second.
    for name, part, bad_lines in (("crawl-a.jsonl", parts[0], BAD_JSONL if bad else []),
                                  ("crawl-b.jsonl.gz", parts[1], BAD_JSONL[:1] if bad else [])):
        path = folder / name
        lines: list[bytes] = []
        step = max(1, len(part) // (len(bad_lines) + 1))
        pending = list(bad_lines)
        for i, page in enumerate(part):
            if pending and i and i % step == 0:
                raw, url, site = pending.pop(0)
                lines.append(raw)
                crawl.bad.append(BadRecord(str(path), len(lines), url, site))
            lines.append(json.dumps(record(page), ensure_ascii=(i % 2 == 0)).encode("utf-8"))
            crawl.pages.append((page, Placed(str(path), len(lines))))
            if bad and i == 5:
                lines.append(b"   ")  # a blank line: skipped, not an error
        data = b"\n".join(lines) + b"\n"
        if name.endswith(".gz"):
            with gzip.GzipFile(path, "wb", mtime=0) as fh:
                fh.write(data)
        else:
            path.write_bytes(data)
        crawl.files.append(str(path))

    # Parquet: string columns, rows with a null url and a page with neither html nor text.
    path = folder / "crawl-c.parquet"
    rows: list[dict[str, str | None]] = []
    for i, page in enumerate(parts[2]):
        if bad and i in (10, 20):
            rows.append({"url": None, "html": "<p>No url.</p>", "text": None,
                         "site": "clinic-08.example"} if i == 10 else
                        {"url": "https://clinic-09.example/empty", "html": None, "text": None,
                         "site": None})
            crawl.bad.append(BadRecord(str(path), len(rows), "" if i == 10 else
                                       "https://clinic-09.example/empty",
                                       "clinic-08.example" if i == 10 else "clinic-09.example"))
        r = record(page)
        rows.append({"url": r["url"], "html": r.get("html"), "text": r.get("text"),
                     "site": r.get("site")})
        crawl.pages.append((page, Placed(str(path), len(rows))))
    schema = pa.schema([(c, pa.string()) for c in ("url", "html", "text", "site")])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path,
                   row_group_size=row_group_size)
    crawl.files.append(str(path))

    if bad:
        path = folder / "crawl-d.parquet"
        binary = [
            {"url": "https://clinic-10.example/bytes-1",
             "html": b"<p>Ketamine is extremely safe.</p>"},
            {"url": "https://clinic-10.example/bytes-2",
             "html": b"<p>Ketamine is\n<b>extremely \xff safe</b>.</p>"},
            {"url": "https://clinic-11.example/bytes-3",
             "html": b"<p>Our clinic is open on Mondays.</p>"},
        ]
        pq.write_table(pa.Table.from_pylist(binary, schema=pa.schema(
            [("url", pa.string()), ("html", pa.binary())])), path)
        crawl.files.append(str(path))
        for number, item in enumerate(binary, start=1):
            page = Page(url=str(item["url"]), site=None,
                        expected_site=str(item["url"]).split("/")[2], kind="html",
                        body=bytes(item["html"]).decode("utf-8", "replace"))
            if number == 2:
                crawl.bad.append(BadRecord(str(path), number, page.url, page.expected_site))
            else:
                crawl.pages.append((page, Placed(str(path), number)))
    return crawl
