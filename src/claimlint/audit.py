"""Audits of a web crawl: lint many pages, on a Dask cluster, and say which sites overclaim.

A crawl is JSONL (optionally gzip-compressed) or Parquet files of records
``{"url": ..., "html" or "text": ..., "site": ...}``. ``html`` is preferred when a record has
both; ``site`` is optional and defaults to the url's host (without a leading ``www.``). The
audit yields one row per finding (``Row``) and a summary per site (``summarise``).

The work is split into ``Partition``s (up to ``partition_size`` records of one file) planned on
the client from the files alone; the workers read their own records, so the crawl must be
readable at the same path on every worker. Each worker process builds its ``Linter`` (registry,
spaCy pipeline, classifier) once, on its first partition, and keeps it for every later one
(``worker_linter``). A partition's pages go to ``Linter.lint_documents`` in batches.

Bad records never stop a run: a line that is not JSON, a record that is not an object, a
missing or mistyped field, text that cannot be encoded or bytes that are not UTF-8 each become
one ``CL900`` row naming the file, the line (JSONL) or row (Parquet), both counted from 1, and
the url when there is one. ``Row``s sort by (site, url, line, column, rule), then by where the
record came from, so a run's output does not depend on how it was split or scheduled.

Dask and pyarrow are imported only by the functions that need them (``run_audit`` with a
client, ``local_client``, and Parquet reading and writing), so ``claimlint check`` never
loads them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import urlsplit

from claimlint import __version__
from claimlint.config import Settings
from claimlint.documents import read_document
from claimlint.documents.model import Document
from claimlint.engine import Linter, registry_folders
from claimlint.errors import ClaimlintError, DocumentError, UsageError
from claimlint.findings import Finding
from claimlint.rules import INPUT_ERROR, RULES

__all__ = [
    "COLUMNS",
    "DEFAULT_PARTITION_SIZE",
    "UNKNOWN_SITE",
    "AuditError",
    "AuditResult",
    "Partition",
    "Record",
    "Row",
    "fingerprint",
    "lint_partition",
    "lint_records",
    "local_client",
    "output_format",
    "pipeline_builds",
    "plan",
    "read_findings",
    "read_partition",
    "render_summary",
    "row_key",
    "run_audit",
    "site_of",
    "summarise",
    "worker_linter",
    "write_findings",
    "write_summary",
]

DEFAULT_PARTITION_SIZE = 250
# Pages per Linter.lint_documents call inside a partition: large enough to amortise spaCy's
# per-call overhead, small enough that a large partition does not hold every parse at once.
BATCH_SIZE = 64
# The site of a record with no usable site and no host in its url (and of file-level errors).
UNKNOWN_SITE = "(unknown)"
JSONL = "jsonl"
PARQUET = "parquet"
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")
FIELDS = ("url", "html", "text", "site")
# Called as progress(records_done, records_total) as partitions finish.
Progress = Callable[[int, int], None]


class AuditError(ClaimlintError):
    """The audit itself failed (a worker crashed, or runs another registry); bad input does
    not raise, it becomes CL900 rows."""

    code = "E500"


class Row(NamedTuple):
    """One finding of the audit: where (url, site), what (rule ... topic), and which record of
    which crawl file it came from (``source``, ``record``: line or row number from 1)."""

    url: str
    site: str
    rule: str
    name: str
    severity: str
    message: str
    line: int
    column: int
    sentence: str
    registry_id: str | None
    topic: str | None
    source: str
    record: int


COLUMNS = Row._fields


def row_key(row: Row) -> tuple[Any, ...]:
    return (row.site, row.url, row.line, row.column, row.rule, row.source, row.record,
            row.registry_id or "", row.message, row.sentence)


@dataclass(frozen=True)
class Partition:
    """Up to ``count`` consecutive records of one crawl file, starting at record ``first``
    (counted from 1). JSONL: ``offset`` is the byte offset of line ``first`` in the
    (decompressed) file. Parquet: the records are rows ``group_start`` onwards of row group
    ``group``; a partition never spans two row groups. ``source`` is the file as the caller
    named it (and as rows name it); workers read ``path``, the same file made absolute, since
    their working folder is not the client's."""

    source: str
    fmt: str
    first: int
    count: int
    offset: int = 0
    group: int = 0
    group_start: int = 0
    path: str = ""  # set by the planner, on the client


@dataclass(frozen=True)
class Record:
    """One good record, ready for the linter."""

    source: str
    number: int
    url: str
    site: str
    kind: str  # "html" or "text"
    data: bytes


@dataclass
class PartitionResult:
    rows: list[Row] = field(default_factory=list)
    pages: Counter[str] = field(default_factory=Counter)  # pages linted, per site
    records: int = 0  # lines or rows read (blank lines included), for progress


@dataclass
class AuditResult:
    """Every row, sorted, and the number of pages linted per site."""

    rows: list[Row]
    pages: dict[str, int]


# --------------------------------------------------------------------------------------------
# Planning: files -> partitions (on the client)


def input_format(path: str) -> str | None:
    name = path.lower()
    if name.endswith(_JSONL_SUFFIXES):
        return JSONL
    if name.endswith(_PARQUET_SUFFIXES):
        return PARQUET
    return None


def crawl_files(paths: Sequence[str]) -> list[str]:
    """The crawl files named by ``paths``; folders are searched recursively for JSONL
    (``.jsonl``, ``.ndjson``, optionally ``.gz``) and Parquet (``.parquet``, ``.pq``) files."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(str(p) for p in Path(path).rglob("*")
                           if p.is_file() and input_format(p.name) is not None)
            if not found:
                raise UsageError("no JSONL or Parquet files in this folder", path=path)
            files.extend(found)
        elif input_format(path) is None:
            raise UsageError("not a crawl file: use .jsonl, .ndjson (optionally .gz), "
                             ".parquet or .pq", path=path)
        else:
            files.append(path)
    return files


def plan(paths: Sequence[str], partition_size: int = DEFAULT_PARTITION_SIZE
         ) -> tuple[list[Partition], list[Row]]:
    """Split the crawl into partitions of at most ``partition_size`` records.

    JSONL files are read once to find where every partition starts (line number and byte
    offset); Parquet files only have their footers read. A file that cannot be read becomes
    a CL900 row (the second list) and the rest of the crawl is still planned.
    """
    if partition_size < 1:
        raise UsageError("the partition size must be at least 1")
    partitions: list[Partition] = []
    errors: list[Row] = []
    for source in crawl_files(paths):
        try:
            if input_format(source) == JSONL:
                _plan_jsonl(source, partition_size, partitions)
            else:
                _plan_parquet(source, partition_size, partitions)
        except _ReadError as exc:
            errors.append(_error_row(source, exc.number, None, UNKNOWN_SITE, exc.message))
    return partitions, errors


class _ReadError(Exception):
    def __init__(self, number: int, message: str) -> None:
        super().__init__(message)
        self.number = number
        self.message = message


# What reading a (compressed) file can raise: OSError (gzip.BadGzipFile too), EOFError for a
# truncated gzip stream, zlib.error for corrupt data, ValueError for a closed or odd file.
_READ_ERRORS = (OSError, EOFError, ValueError, zlib.error)


def _open_binary(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # an IO[bytes] at heart
    return open(path, "rb")


def _plan_jsonl(source: str, size: int, out: list[Partition]) -> None:
    line = offset = 0
    start_line, start_offset = 1, 0
    failure = None
    try:
        with _open_binary(source) as fh:
            for text in fh:
                if line and line % size == 0:
                    out.append(Partition(source, JSONL, start_line, size, start_offset,
                                         path=os.path.abspath(source)))
                    start_line, start_offset = line + 1, offset
                line += 1
                offset += len(text)
    except _READ_ERRORS as exc:
        failure = _ReadError(line + 1, f"Cannot read {source} from line {line + 1} on: "
                                       f"{_reason(exc)}")
    if line >= start_line:  # the lines read before any failure are still audited
        out.append(Partition(source, JSONL, start_line, line - start_line + 1, start_offset,
                             path=os.path.abspath(source)))
    if failure is not None:
        raise failure


def _plan_parquet(source: str, size: int, out: list[Partition]) -> None:
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(source).metadata
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a bad file
        raise _ReadError(0, f"Cannot read {source} as Parquet: {_reason(exc)}") from None
    first = 1
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        for start in range(0, rows, size):
            count = min(size, rows - start)
            out.append(Partition(source, PARQUET, first, count, group=group, group_start=start,
                                 path=os.path.abspath(source)))
            first += count


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.rstrip(".")


# --------------------------------------------------------------------------------------------
# Reading: a partition -> records and CL900 rows (on a worker)


def read_partition(partition: Partition) -> Iterator[Record | Row]:
    """The partition's good records and, in their place, a CL900 row for each bad one."""
    if partition.fmt == JSONL:
        yield from _read_jsonl(partition)
    else:
        yield from _read_parquet(partition)


def _read_jsonl(p: Partition) -> Iterator[Record | Row]:
    number = p.first
    try:
        with _open_binary(p.path or p.source) as fh:
            fh.seek(p.offset)
            for number in range(p.first, p.first + p.count):
                line = fh.readline()
                if not line:
                    return  # the file shrank since it was planned
                if not line.strip():
                    continue  # blank lines (a trailing newline, a separator) are no records
                try:
                    value = json.loads(line.rstrip(b"\r\n"))
                except RecursionError:
                    yield _bad(p, number, None, None, "nested too deeply to parse")
                    continue
                except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
                    yield _bad(p, number, None, None, f"not valid JSON: {_reason(exc)}")
                    continue
                yield _record(p, number, value)
    except _READ_ERRORS as exc:
        yield _error_row(p.source, number, None, UNKNOWN_SITE,
                         f"Cannot read {p.source} from line {number} on: {_reason(exc)}")


def _read_parquet(p: Partition) -> Iterator[Record | Row]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(p.path or p.source)
        columns = [c for c in FIELDS if c in handle.schema_arrow.names]
        if columns:
            table = handle.read_row_group(p.group, columns=columns)
            values = table.slice(p.group_start, p.count).to_pylist()
        else:  # no field at all: every row is a bad record, said once each
            values = [{}] * p.count
    except Exception as exc:  # any pyarrow failure is a read error here
        last = p.first + p.count - 1
        yield _error_row(p.source, p.first, None, UNKNOWN_SITE,
                         f"Cannot read rows {p.first}-{last} of {p.source}: {_reason(exc)}")
        return
    for number, value in enumerate(values, start=p.first):
        yield _record(p, number, value)


def _where(source: str, number: int) -> str:
    return f"{'row' if input_format(source) == PARQUET else 'line'} {number} of {source}"


def _bad(p: Partition, number: int, url: str | None, site: str | None, problem: str) -> Row:
    named = f" ({url})" if url else ""
    return _error_row(p.source, number, url, site or UNKNOWN_SITE,
                      f"Bad record at {_where(p.source, number)}{named}: {problem}")


def _error_row(source: str, number: int, url: str | None, site: str, message: str,
               line: int = 1, column: int = 1) -> Row:
    if not message.endswith("."):
        message += "."
    return Row(url=url or "", site=site, rule=INPUT_ERROR, name=RULES[INPUT_ERROR].name,
               severity="error", message=message, line=line, column=column, sentence="",
               registry_id=None, topic=None, source=source, record=number)


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def site_of(url: str) -> str:
    """The site a url belongs to: its host, lower-cased, without a leading ``www.``."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        host = ""
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or UNKNOWN_SITE


def _record(p: Partition, number: int, value: Any) -> Record | Row:
    """Check one record's shape; the Record, or the CL900 row that says what is wrong."""
    if not isinstance(value, dict):
        return _bad(p, number, None, None, f"a record must be an object, not {_type_name(value)}")
    url = value.get("url")
    site = value.get("site")
    given_site = site.strip() if isinstance(site, str) else ""
    if not isinstance(url, str) or not url.strip():
        problem = ("'url' is missing" if url is None
                   else f"'url' must be a non-empty string, not {_type_name(url)}"
                   if not isinstance(url, str) else "'url' is empty")
        return _bad(p, number, None, given_site or None, problem)
    url = url.strip()
    site_name = given_site or site_of(url)
    if site is not None and not isinstance(site, str):
        return _bad(p, number, url, site_of(url),
                    f"'site' must be a string, not {_type_name(site)}")
    kind = "html" if value.get("html") is not None else "text"
    body = value.get(kind)
    if body is None:
        return _bad(p, number, url, site_name, "it has neither 'html' nor 'text'")
    if isinstance(body, str):
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError as exc:
            return _bad(p, number, url, site_name,
                        f"'{kind}' cannot be encoded as UTF-8 ({exc.reason} at character "
                        f"{exc.start})")
    elif isinstance(body, bytes):
        data = body  # a Parquet binary column: decoded (and checked) by the document reader
    else:
        return _bad(p, number, url, site_name,
                    f"'{kind}' must be a string, not {_type_name(body)}")
    return Record(p.source, number, url, site_name, kind, data)


# --------------------------------------------------------------------------------------------
# Linting: records -> rows (on a worker)

_LINTERS: dict[Settings, Linter] = {}
_FINGERPRINTS: dict[Settings, str] = {}
_BUILDS: Counter[str] = Counter()
_LOCK = threading.Lock()


def settings_key(settings: Settings) -> str:
    """A short, process-independent name for ``settings`` (``hash()`` of a str is not)."""
    return hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:12]


def worker_linter(settings: Settings) -> Linter:
    """This process's Linter for ``settings``: built (registry, pipeline, classifier) on the
    first call, then reused by every partition the process lints."""
    with _LOCK:
        linter = _LINTERS.get(settings)
        if linter is None:
            linter = Linter(settings)
            _ = linter.nlp, linter.classifier  # build now, not halfway through a batch
            _LINTERS[settings] = linter
            _FINGERPRINTS[settings] = fingerprint(settings)
            _BUILDS[settings_key(settings)] += 1
        return linter


def fingerprint(settings: Settings) -> str:
    """What must agree between the client and every worker for their findings to agree:
    claimlint's version and the bytes of every registry file, by name within its folder
    (never by absolute path, which differs between machines)."""
    h = hashlib.sha256(f"claimlint {__version__}".encode())
    for i, folder in enumerate(registry_folders(settings)):
        for path in sorted(Path(folder).glob("*.yaml")):
            h.update(f"\0{i}/{path.name}\0".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def pipeline_builds() -> dict[str, int]:
    """How many Linters this process has built, per ``settings_key`` (for ``client.run``)."""
    with _LOCK:
        return dict(_BUILDS)


def lint_partition(partition: Partition, settings: Settings,
                   expected: str | None = None) -> PartitionResult:
    """Read and lint one partition with this process's Linter (the task each worker runs)."""
    linter = worker_linter(settings)
    if expected is not None and _FINGERPRINTS[settings] != expected:
        raise AuditError(f"a worker runs another claimlint or registry than the client "
                         f"(claimlint {__version__} here; registry or version fingerprint "
                         f"{_FINGERPRINTS[settings][:12]}, client's {expected[:12]}): install "
                         "the same claimlint version and registry folders on every worker")
    result = lint_records(linter, read_partition(partition))
    result.records = partition.count
    return result


def lint_records(linter: Linter, items: Iterable[Record | Row],
                 batch_size: int = BATCH_SIZE) -> PartitionResult:
    """Lint records in batches of ``batch_size`` pages; CL900 rows pass through.

    A batch never holds one url twice (findings are matched to pages by path), so duplicate
    pages in a crawl are each linted and reported.
    """
    result = PartitionResult()
    batch: dict[str, tuple[Record, Document]] = {}

    def flush() -> None:
        if batch:
            documents = [document for _, document in batch.values()]
            for finding in linter.lint_documents(documents):
                result.rows.append(_finding_row(finding, batch[finding.path][0]))
            batch.clear()

    for item in items:
        if isinstance(item, Row):
            result.rows.append(item)
            continue
        if item.url in batch:
            flush()
        try:
            data = linter.read_bytes(item.url, item.data)
            document = read_document(item.url, data, item.kind)
        except DocumentError as exc:
            result.rows.append(_error_row(
                item.source, item.number, item.url, item.site,
                f"Cannot lint the page at {_where(item.source, item.number)} ({item.url}): "
                f"{exc.message}",
                line=exc.line or 1, column=exc.column or 1))
            continue
        result.pages[item.site] += 1
        batch[item.url] = (item, document)
        if len(batch) >= batch_size:
            flush()
    flush()
    result.rows.sort(key=row_key)
    return result


def _finding_row(finding: Finding, record: Record) -> Row:
    return Row(url=record.url, site=record.site, rule=finding.rule, name=finding.name,
               severity=str(finding.severity), message=finding.message, line=finding.line,
               column=finding.column, sentence=finding.sentence,
               registry_id=finding.registry_id, topic=finding.topic, source=record.source,
               record=record.number)


# --------------------------------------------------------------------------------------------
# Running: in this process, or on a Dask cluster


def run_audit(paths: Sequence[str], settings: Settings, *, client: Any = None,
              partition_size: int = DEFAULT_PARTITION_SIZE,
              progress: Progress | None = None) -> AuditResult:
    """Audit the crawl files (or folders) ``paths``.

    With a ``distributed.Client``, partitions run as a ``dask.bag`` on its cluster, one task
    per partition; without one, in this process, one partition after another (the same code
    and the same results). The client's registry is loaded first, so a registry error stops
    the run before any work is sent, and every worker must load the same registry.
    """
    partitions, errors = plan(paths, partition_size)
    _ = Linter(settings).registry  # a registry error stops the run before any work is sent
    digest = fingerprint(settings)
    total = sum(p.count for p in partitions)
    done = 0
    results: list[PartitionResult] = []
    if client is None:
        for partition in partitions:
            results.append(lint_partition(partition, settings, digest))
            done += partition.count
            if progress is not None:
                progress(done, total)
    elif partitions:
        results = _run_on_cluster(client, partitions, settings, digest, total, progress)
    rows = [row for r in results for row in r.rows] + errors
    rows.sort(key=row_key)
    pages: Counter[str] = Counter()
    for r in results:
        pages.update(r.pages)
    return AuditResult(rows, dict(sorted(pages.items())))


def _lint_bag_partition(partitions: Iterable[Partition], settings: Settings,
                        expected: str) -> list[PartitionResult]:
    return [lint_partition(p, settings, expected) for p in partitions]


def _run_on_cluster(client: Any, partitions: list[Partition], settings: Settings, digest: str,
                    total: int, progress: Progress | None) -> list[PartitionResult]:
    import dask.bag as db
    from dask.distributed import as_completed

    # One bag partition per crawl partition: the planner already sized them.
    bag = db.from_sequence(partitions, npartitions=len(partitions))
    linted = bag.map_partitions(_lint_bag_partition, settings, digest)
    futures = client.compute(linted.to_delayed())
    index = {future.key: i for i, future in enumerate(futures)}
    results: list[list[PartitionResult]] = [[] for _ in futures]
    done = 0
    try:
        for future in as_completed(futures):
            part = future.result()  # raises the task's exception, if it failed
            results[index[future.key]] = part
            done += sum(r.records for r in part)
            if progress is not None:
                progress(done, total)
    except ClaimlintError:
        raise
    except Exception as exc:
        raise AuditError(f"the audit failed on the cluster: {type(exc).__name__}: "
                         f"{_reason(exc)}") from exc
    finally:
        client.cancel(futures)
    return [r for part in results for r in part]


@contextmanager
def local_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: connected to the scheduler at ``scheduler``
    (``tcp://host:8786``), or to a new ``LocalCluster`` of ``workers`` processes (default: one
    per core) with one thread each, closed on exit."""
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    count = workers or _cores()
    with LocalCluster(n_workers=count, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _cores() -> int:
    """The cores this process may run on (a container or taskset limits them)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity API
        return os.cpu_count() or 1


# --------------------------------------------------------------------------------------------
# Summarising


def summarise(result: AuditResult) -> dict[str, Any]:
    """Counts per site: pages linted, pages with findings, input errors (bad records), and
    findings per rule, registry entry and severity; the same over the whole crawl.

    CL900 rows count as input errors, not findings. Keys are sorted, so two runs over the
    same crawl give the same summary whatever the cluster.
    """
    sites: dict[str, dict[str, Any]] = {}

    def site(name: str) -> dict[str, Any]:
        if name not in sites:
            sites[name] = {"pages": 0, "pages_with_findings": 0, "input_errors": 0,
                           "findings": 0, "by_rule": Counter(), "by_registry_id": Counter(),
                           "by_severity": Counter()}
        return sites[name]

    for name, count in result.pages.items():
        site(name)["pages"] = count
    flagged: dict[str, set[tuple[str, int]]] = {}
    for row in result.rows:
        entry = site(row.site)
        if row.rule == INPUT_ERROR:
            entry["input_errors"] += 1
            continue
        entry["findings"] += 1
        entry["by_rule"][row.rule] += 1
        entry["by_severity"][row.severity] += 1
        if row.registry_id is not None:
            entry["by_registry_id"][row.registry_id] += 1
        flagged.setdefault(row.site, set()).add((row.source, row.record))
    total: dict[str, Any] = {"pages": 0, "pages_with_findings": 0, "input_errors": 0,
                             "findings": 0, "by_rule": Counter(), "by_registry_id": Counter(),
                             "by_severity": Counter()}
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(sites):
        entry = sites[name]
        entry["pages_with_findings"] = len(flagged.get(name, ()))
        for key, value in entry.items():
            total[key] += value
        out[name] = _plain(entry)
    return {"tool": "claimlint", "version": __version__, "sites": len(out), **_plain(total),
            "by_site": out}


def _plain(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(sorted(v.items())) if isinstance(v, Counter) else v for k, v in entry.items()}


def render_summary(summary: dict[str, Any], top: int = 5) -> str:
    """The summary as text tables: sites with the most findings first, then the registry
    entries most often contradicted or overstated, and on how many sites."""
    by_site: dict[str, dict[str, Any]] = summary["by_site"]
    width = max([len("Site"), len("Total"), *(len(s) for s in by_site)])
    head = f"{'Site':<{width}}  {'Pages':>7}  {'Flagged':>7}  {'Errors':>6}  {'Findings':>8}"
    lines = [head + "  Top rules", "-" * (len(head) + 11)]

    def line(name: str, entry: dict[str, Any]) -> str:
        rules = sorted(entry["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{code} {n}" for code, n in rules[:top])
        if len(rules) > top:
            shown += f", +{len(rules) - top} more"
        return (f"{name:<{width}}  {entry['pages']:>7}  {entry['pages_with_findings']:>7}  "
                f"{entry['input_errors']:>6}  {entry['findings']:>8}  {shown}").rstrip()

    order = sorted(by_site, key=lambda s: (-by_site[s]["findings"], s))
    lines.extend(line(name, by_site[name]) for name in order)
    lines.append(line("Total", summary))
    entries = summary["by_registry_id"]
    if entries:
        spread = {e: sum(1 for s in by_site.values() if e in s["by_registry_id"])
                  for e in entries}
        ewidth = max(len("Registry entry"), *(len(e) for e in entries))
        lines += ["", f"{'Registry entry':<{ewidth}}  {'Findings':>8}  {'Sites':>5}",
                  "-" * (ewidth + 17)]
        for e in sorted(entries, key=lambda e: (-entries[e], e)):
            lines.append(f"{e:<{ewidth}}  {entries[e]:>8}  {spread[e]:>5}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Writing and reading results


def output_format(path: str) -> str:
    """``parquet`` or ``jsonl``, from the output file's suffix; UsageError otherwise."""
    fmt = input_format(path)
    if fmt is None:
        raise UsageError("findings are written as Parquet (.parquet, .pq) or JSONL (.jsonl, "
                         ".ndjson, optionally .gz); name the file with one of those suffixes",
                         path=path)
    return fmt


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, pa.int64() if name in ("line", "column", "record") else pa.string())
                      for name in COLUMNS])


@contextmanager
def _atomic(path: str) -> Iterator[str]:
    """A temporary file beside ``path``, renamed over it once written."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_findings(rows: Sequence[Row], path: str) -> None:
    """Write rows as Parquet or JSONL (by ``path``'s suffix), atomically."""
    fmt = output_format(path)
    with _atomic(path) as tmp:
        if fmt == PARQUET:
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = _schema()
            arrays = [pa.array([row[i] for row in rows], type=schema.field(i).type)
                      for i in range(len(COLUMNS))]
            pq.write_table(pa.Table.from_arrays(arrays, schema=schema), tmp)
        else:
            opener = gzip.open if path.lower().endswith(".gz") else open
            with opener(tmp, "wt", encoding="utf-8", newline="\n") as fh:
                for row in rows:
                    fh.write(json.dumps(row._asdict(), ensure_ascii=False) + "\n")


def read_findings(path: str) -> list[Row]:
    """Rows written by ``write_findings`` (either format)."""
    if output_format(path) == PARQUET:
        import pyarrow.parquet as pq

        return [Row(**record) for record in pq.read_table(path).to_pylist()]
    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [Row(**json.loads(line)) for line in fh if line.strip()]


def write_summary(summary: dict[str, Any], path: str) -> None:
    with _atomic(path) as tmp:
        Path(tmp).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
