"""The command line: a thin layer over the library API (engine, report, registry)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import click

from claimlint import __version__
from claimlint.config import Settings, load_settings
from claimlint.errors import ClaimlintError, RegistryError, UsageError
from claimlint.exit_codes import ExitStatus
from claimlint.findings import Finding, LintResult, Severity

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "html", "auto")


def _split(values: Sequence[str]) -> tuple[str, ...] | None:
    out = tuple(v.strip() for value in values for v in value.split(",") if v.strip())
    return out or None


def _common_dir(paths: Sequence[str]) -> Path:
    real = [Path(p).resolve() for p in paths if p != "-"]
    if not real:
        return Path.cwd()
    dirs = [p if p.is_dir() else p.parent for p in real]
    return Path(os.path.commonpath([str(d) for d in dirs]))


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """stdout, or a file written atomically so a failed run never leaves half a report."""
    if not path or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    from claimlint.deadline import deferred_signals

    tmp: str | None = None
    try:
        # The name is set before any interrupt can land, so the clean-up below always has it.
        with deferred_signals():
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.",
                                           dir=target.parent or Path("."))
            except OSError as exc:
                _fail(UsageError(f"cannot write the report: {exc.strerror or exc}", path=path))
                raise  # unreachable
            fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with fh:
            yield fh
        # mkstemp creates 0600 files; a report should get the mode any new file would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _cpu_count() -> int:
    # The cores this process may run on (a container or taskset limits them), not the machine's.
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity API
        return os.cpu_count() or 1


def _fail(error: ClaimlintError) -> None:
    click.echo(f"claimlint: error: {error}", err=True)
    sys.exit(ExitStatus.ERROR)


def _settings(paths: Sequence[str], config: str | None, **overrides: Any) -> Settings:
    try:
        return load_settings(_common_dir(paths), Path(config) if config else None,
                             {k: v for k, v in overrides.items() if v is not None})
    except ClaimlintError as exc:
        _fail(exc)
        raise  # unreachable; keeps type checkers honest


class _Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that every ``finally`` runs on the way out
    (the atomic writers remove their temporary files there)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


class _Interruptible(click.Group):
    """Ends a run cut short by Ctrl-C (SIGINT) or SIGTERM with one line on stderr and the
    shell's status for it (130, 143) instead of a traceback. Reports, baselines and cache
    entries are written to a temporary file and renamed into place, so each is left either
    as it was or whole."""

    def invoke(self, ctx: click.Context) -> Any:
        import signal

        previous = None
        with contextlib.suppress(ValueError):  # not the main thread: leave SIGTERM alone
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted("SIGINT", ExitStatus.INTERRUPTED)
        except _Terminated:
            _interrupted("SIGTERM", ExitStatus.TERMINATED)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _interrupted(name: str, status: int) -> None:
    import signal

    for number in (signal.SIGINT, signal.SIGTERM):  # a second signal must not interrupt this
        signal.signal(number, signal.SIG_IGN)
    click.echo(f"claimlint: interrupted by {name}; stopped before finishing", err=True)
    sys.exit(status)


@click.group(cls=_Interruptible, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimlint")
def main() -> None:
    """Lint medical claims in clinic copy against an evidence registry."""


def _lint_options(f: Any) -> Any:
    options = [
        click.option("--config", type=click.Path(dir_okay=False),
                     help="Config file to use instead of searching for one."),
        click.option("--select", multiple=True, help="Rules to enable (codes, prefixes, names)."),
        click.option("--ignore", multiple=True, help="Rules to disable."),
        click.option("--extend-select", multiple=True, help="Rules to enable on top of select."),
        click.option("--registry", "registry_paths", multiple=True,
                     type=click.Path(file_okay=False),
                     help="Extra registry folder (repeatable); extends and overrides the "
                          "bundled one."),
        click.option("--no-bundled-registry", is_flag=True, default=None,
                     help="Do not load the registry shipped with claimlint."),
        click.option("--include", multiple=True, help="Glob of files to lint in folders."),
        click.option("--exclude", multiple=True, help="Glob of files or folders to skip."),
        click.option("--no-respect-gitignore", is_flag=True, default=None,
                     help="Also lint files that .gitignore excludes."),
        click.option("--stdin-filename", help="Path to report for input read from '-'."),
        click.option("--spacy-model", help="Installed trained spaCy pipeline to start from."),
        click.option("--no-classifier", is_flag=True, default=None,
                     help="Rules only: no CL110, no warnings shown as info by the classifier."),
        click.option("--max-file-seconds", type=click.FloatRange(min=0, min_open=True),
                     default=None,
                     help="Seconds one file may take to read and lint before it is reported "
                          "(CL900) and skipped [default: 30]."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _linter_settings(paths: Sequence[str], config: str | None, select: Sequence[str],
                     ignore: Sequence[str], extend_select: Sequence[str],
                     registry_paths: Sequence[str], no_bundled_registry: bool | None,
                     include: Sequence[str], exclude: Sequence[str],
                     no_respect_gitignore: bool | None, spacy_model: str | None,
                     no_classifier: bool | None, fail_on: str | None = None,
                     max_file_seconds: float | None = None) -> Settings:
    return _settings(
        paths, config,
        select=_split(select), ignore=_split(ignore), extend_select=_split(extend_select),
        registry_paths=tuple(str(Path(p).resolve()) for p in registry_paths) or None,
        disable_bundled_registry=True if no_bundled_registry else None,
        include=_split(include), exclude=_split(exclude),
        respect_gitignore=False if no_respect_gitignore else None,
        spacy_model=spacy_model, fail_on=fail_on,
        classifier=False if no_classifier else None,
        max_file_seconds=max_file_seconds,
    )


def _linter(settings: Settings, cache: Any = None) -> Any:
    from claimlint.engine import Linter

    linter = Linter(settings, cache=cache)
    try:
        _ = linter.registry  # load now so registry errors are reported before any linting
    except RegistryError as exc:
        _fail(exc)
    return linter


# --------------------------------------------------------------------------------------------
# Content workflow for `check`: baseline, changed lines, cache, statistics, progress.
# The work is done by claimlint.baseline, .gitdiff, .cache, .report.statistics and .progress;
# what is here parses flags, reports on stderr and picks exit statuses.


def _workflow_options(f: Any) -> Any:
    options = [
        click.option("--baseline", "baseline", type=click.Path(dir_okay=False),
                     help="Hide the findings recorded in this baseline file [default: "
                          "'baseline' in the config]."),
        click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
                     help="Record today's findings in this file (sorted JSON) and exit 0."),
        click.option("--no-baseline", is_flag=True, default=False,
                     help="Ignore the baseline named in the config."),
        click.option("--diff-base", "diff_base", metavar="REF",
                     help="Report only findings on lines changed since git REF (untracked "
                          "files count as new)."),
        click.option("--staged", is_flag=True, default=False,
                     help="Report only findings on lines staged in git (against HEAD, or "
                          "REF with --diff-base)."),
        click.option("--no-cache", is_flag=True, default=False,
                     help="Neither read nor write the findings cache."),
        click.option("--cache-dir", type=click.Path(file_okay=False),
                     help="Cache folder [default: .claimlint_cache next to the config file, "
                          "or in the working directory]."),
        click.option("--statistics", is_flag=True, default=False,
                     help="Print how many findings each rule raised instead of the findings."),
        click.option("--no-progress", is_flag=True, default=False,
                     help="Never show the progress bar (shown on a terminal for 20+ files)."),
        click.option("-q", "--quiet", is_flag=True, default=False,
                     help="No progress bar and no notes on stderr; errors still print."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@dataclass(frozen=True)
class _Workflow:
    """The `check` flags handled here rather than by the linter settings."""

    baseline: str | None
    write_baseline: str | None
    no_baseline: bool
    diff_base: str | None
    staged: bool
    no_cache: bool
    cache_dir: str | None
    statistics: bool
    no_progress: bool
    quiet: bool

    @classmethod
    def pop(cls, kw: dict[str, Any]) -> _Workflow:
        """Take this class's flags out of ``kw``, leaving the linter settings."""
        return cls(**{f.name: kw.pop(f.name) for f in dataclasses.fields(cls)})


@dataclass
class _Run:
    options: _Workflow
    progress: Any  # claimlint.progress.ProgressBar
    cache: Any = None  # claimlint.cache.FindingCache | None
    baseline: Any = None  # claimlint.baseline.Baseline to apply, or None
    baseline_target: Path | None = None  # where --write-baseline writes
    changed: Any = None  # claimlint.gitdiff.ChangedLines, or None
    fix_summary: str | None = None  # "Fixed N findings in M files.", printed after the report


COMMAND_LINE = "<command line>"


def _note(options: _Workflow, message: str) -> None:
    if not options.quiet:
        click.echo(f"claimlint: {message}", err=True)


def _prepare(options: _Workflow, paths: Sequence[str], settings: Settings) -> _Run:
    """Check the flags and load what they name before any linting, so a typo in a file name
    or a git revision fails in a second, not after the whole site has been linted."""
    from claimlint.baseline import Baseline, BaselineError, check_replaceable
    from claimlint.cache import CACHE_DIR_NAME, FindingCache
    from claimlint.progress import ProgressBar

    if options.write_baseline and (options.baseline or options.diff_base or options.staged):
        _fail(UsageError("--write-baseline records every finding; it cannot be combined with "
                         "--baseline, --diff-base or --staged", path=COMMAND_LINE))
    if options.baseline and options.no_baseline:
        _fail(UsageError("--baseline and --no-baseline contradict each other",
                         path=COMMAND_LINE))
    run = _Run(options, ProgressBar(sys.stderr,
                                    enabled=False if options.quiet or options.no_progress
                                    else None))
    if settings.cache and not options.no_cache:
        folder = (Path(options.cache_dir).resolve() if options.cache_dir
                  else settings.cache_dir
                  or (settings.config_path.parent if settings.config_path else Path.cwd())
                  / CACHE_DIR_NAME)
        run.cache = FindingCache(folder)
    try:
        if options.write_baseline:
            run.baseline_target = Path(options.write_baseline)
            check_replaceable(run.baseline_target, options.write_baseline)
        elif options.baseline:
            run.baseline = Baseline.load(Path(options.baseline), options.baseline)
        elif settings.baseline is not None and not options.no_baseline:
            run.baseline = Baseline.load(settings.baseline)
    except BaselineError as exc:
        _fail(exc)
    if options.diff_base is not None or options.staged:
        from claimlint.gitdiff import changed_lines

        try:
            run.changed = changed_lines(_common_dir(paths), options.diff_base,
                                        staged=options.staged)
        except ClaimlintError as exc:
            _fail(exc)
    return run


def _finish(run: _Run, result: LintResult) -> LintResult:
    """Write the baseline (and exit), or hide baselined findings and unchanged lines."""
    from claimlint.baseline import Baseline, BaselineError

    options = run.options
    if run.baseline_target is not None:
        target = run.baseline_target
        try:
            previous = Baseline.load(target) if target.is_file() else None
        except BaselineError:
            previous = None  # an old-version or broken baseline is rewritten from scratch
        baseline = Baseline.from_findings(target, result.findings, previous, result.files)
        try:
            baseline.write()
        except BaselineError as exc:
            _fail(exc)
        files = len({e.path for e in baseline.entries.values()})
        click.echo(f"claimlint: recorded {_plural(baseline.total, 'finding')} from "
                   f"{_plural(files, 'file')} in {options.write_baseline}", err=True)
        for path in result.failed_paths:
            click.echo(f"claimlint: warning: {path} could not be read (CL900) and is not in "
                       "the baseline", err=True)
        sys.exit(ExitStatus.OK)
    if run.baseline is not None:
        outcome = run.baseline.apply(result.findings, result.files)
        result.findings = outcome.findings
        if outcome.stale:
            verb = "occurs" if outcome.stale == 1 else "occur"
            _note(options, f"{_plural(outcome.stale, 'baselined finding')} no longer {verb}; "
                           "rerun with --write-baseline to prune them")
    if run.changed is not None:
        result.findings = run.changed.filter(result.findings)
    return result


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --------------------------------------------------------------------------------------------
# Fixes for `check`: --fix, --unsafe-fixes, --diff. claimlint.fixes applies them; what is here
# picks the findings to fix, writes the files, prints the diff and reports.


def _fix_options(f: Any) -> Any:
    options = [
        click.option("--fix", "fix", is_flag=True, default=False,
                     help="Apply safe fixes in place (a qualifier the registry requires, a "
                          "rewording it marks safe); report what is left."),
        click.option("--unsafe-fixes", is_flag=True, default=False,
                     help="Also apply (with --fix or --diff), and mark [*], the rewordings "
                          "that change what the copy says more."),
        click.option("--diff", "diff", is_flag=True, default=False,
                     help="Print a unified diff of what --fix would change and write nothing; "
                          "exit 1 if anything would change."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@dataclass(frozen=True)
class _Fixing:
    """The `check` flags that apply fixes."""

    fix: bool
    unsafe_fixes: bool
    diff: bool

    @classmethod
    def pop(cls, kw: dict[str, Any]) -> _Fixing:
        return cls(**{f.name: kw.pop(f.name) for f in dataclasses.fields(cls)})

    @property
    def active(self) -> bool:
        return self.fix or self.diff

    def check(self, options: _Workflow) -> None:
        if self.active and options.write_baseline:
            _fail(UsageError("--fix and --diff cannot be combined with --write-baseline "
                             "(record the findings, or fix them, in separate runs)",
                             path=COMMAND_LINE))
        if self.diff and options.statistics:
            _fail(UsageError("--diff prints a diff, not a report; it cannot be combined with "
                             "--statistics", path=COMMAND_LINE))

    def report_to_stderr(self, paths: Sequence[str], output: str | None) -> bool:
        """--fix on standard input prints the fixed text on stdout, so the report moves."""
        return self.fix and not self.diff and "-" in paths and not output


def _reported(run: _Run) -> Callable[[list[Finding]], list[Finding]]:
    """Of one file's findings, those the run reports: only they are fixed (a baselined
    finding, or one on a line --diff-base did not change, is left as it is)."""

    def select(findings: list[Finding]) -> list[Finding]:
        if run.baseline is not None:
            findings = run.baseline.apply(findings).findings
        if run.changed is not None:
            findings = run.changed.filter(findings)
        return findings

    return select


def _apply_fixes(run: _Run, fixing: _Fixing, linter: Any, result: LintResult,
                 paths: Sequence[str], stdin: bytes | None, stdin_filename: str | None,
                 output: str | None, keep_sources: bool) -> LintResult:
    """Fix the files (or, with --diff, print what would change and exit)."""
    from claimlint.errors import DocumentError
    from claimlint.fixes import FileFix, applicable, fix_text, unified_diff, write_atomic

    unsafe, select = fixing.unsafe_fixes, _reported(run)
    stdin_name = (stdin_filename or "<stdin>") if "-" in paths else None
    by_path: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding)
    if stdin_name is not None:
        by_path.setdefault(stdin_name, [])
    failed = set(result.failed_paths)
    done: list[FileFix] = []
    stdout_text: bytes | None = None
    for path, found in by_path.items():
        is_stdin = path == stdin_name
        if path in failed or not (is_stdin or any(applicable(f, unsafe) for f in select(found))):
            if is_stdin:
                stdout_text = stdin or b""  # echoed unchanged, as ruff does
            continue
        try:
            data = (stdin or b"") if is_stdin else Path(path).read_bytes()
            fixed = fix_text(linter, path, data, found, unsafe=unsafe, select=select,
                             sources=result.sources if keep_sources else None)
            if is_stdin:
                stdout_text = fixed.data()
            elif fixed.changed and not fixing.diff:
                write_atomic(path, fixed.data())
        except (OSError, DocumentError) as exc:
            reason = exc.message if isinstance(exc, DocumentError) \
                else exc.strerror or str(exc)
            error = DocumentError(f"cannot apply fixes: {reason}", path=path)
            click.echo(f"claimlint: error: {error}", err=True)
            by_path[path] = [*found, linter.input_error(error)]
            result.failed_paths.append(path)
            continue
        if fixed.changed:
            done.append(fixed)
        by_path[path] = fixed.findings
    result.findings = sorted(f for found in by_path.values() for f in found)
    count = sum(len(f.fixed) for f in done)
    hidden = 0 if unsafe else sum(
        1 for found in by_path.values() for f in select(found)
        if f.fix is not None and not f.fix.safe)
    more = f" ({hidden} more fixable with --unsafe-fixes)" if hidden else ""
    verb = "Would fix" if fixing.diff else "Fixed"
    summary = (f"{verb} {_plural(count, 'finding')} in {_plural(len(done), 'file')}{more}.")
    if fixing.diff:
        with _output(output) as stream:
            for fixed in done:
                stream.write(unified_diff(fixed.path, fixed.before, fixed.after))
        _note(run.options, summary)
        sys.exit(ExitStatus.ERROR if result.failed_paths
                 else ExitStatus.FINDINGS if done else ExitStatus.OK)
    if stdout_text is not None:
        sys.stdout.buffer.write(stdout_text)
        sys.stdout.flush()
    run.fix_summary = summary
    return result


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to a file (atomically) instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit status 1 [default: warning].")
@click.option("--color/--no-color", default=None, help="Colour text output [default: on a tty].")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the number of CPU cores].")
@_lint_options
@_workflow_options
@_fix_options
def check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str | None,
          color: bool | None, stdin_filename: str | None, jobs: int | None, **kw: Any) -> None:
    """Lint files and folders (PATHS; '-' reads standard input)."""
    from claimlint.report import render
    from claimlint.rules import metadata

    options = _Workflow.pop(kw)
    fixing = _Fixing.pop(kw)
    paths = paths or (".",)
    settings = _linter_settings(paths, fail_on=fail_on, **kw)
    fixing.check(options)
    run = _prepare(options, paths, settings)
    linter = _linter(settings, run.cache)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    try:
        with run.progress:
            result: LintResult = linter.lint_paths(paths, stdin=stdin,
                                                   stdin_filename=stdin_filename,
                                                   keep_sources=(fmt == "html"),
                                                   progress=run.progress,
                                                   jobs=jobs or _cpu_count())
    except ClaimlintError as exc:
        _fail(exc)
        return
    result.unsafe_fixes = fixing.unsafe_fixes
    if fixing.active:
        result = _apply_fixes(run, fixing, linter, result, paths, stdin, stdin_filename,
                              output, keep_sources=(fmt == "html"))
    result = _finish(run, result)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    with (nullcontext(sys.stderr) if fixing.report_to_stderr(paths, output)
          else _output(output)) as stream:
        if options.statistics:
            from claimlint.report.statistics import write_statistics

            write_statistics(result.findings, stream, fmt="json" if fmt == "json" else "text")
        else:
            render(result, fmt, stream, rules=metadata(), color=use_color,
                   tool_version=__version__)
    if run.fix_summary:
        _note(options, run.fix_summary)
    sys.exit(exit_status(result, settings.fail_on))


def exit_status(result: LintResult, fail_on: str) -> ExitStatus:
    if result.failed_paths:
        return ExitStatus.ERROR
    threshold = Severity.parse(fail_on)
    if any(f.severity >= threshold for f in result.findings):
        return ExitStatus.FINDINGS
    return ExitStatus.OK


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_lint_options
def extract(paths: tuple[str, ...], fmt: str, stdin_filename: str | None, **kw: Any) -> None:
    """List every claim found: topic, certainty, cues and registry match."""
    from claimlint.documents.discovery import discover
    from claimlint.errors import DocumentError

    settings = _linter_settings(paths, **kw)
    linter = _linter(settings)
    documents = []
    failed = False
    try:
        files = discover([p for p in paths if p != "-"], settings.include, settings.exclude,
                         settings.respect_gitignore)
    except DocumentError as exc:
        _fail(exc)
        return
    if "-" in paths:
        documents.append(linter.read(stdin_filename or "<stdin>", sys.stdin.buffer.read()))
    for path in files:
        try:
            documents.append(linter.read(path))
        except DocumentError as exc:
            click.echo(f"claimlint: error: {exc}", err=True)
            failed = True
    claims = linter.extract(documents)
    if fmt == "json":
        click.echo(json.dumps({"claims": claims}, indent=2, ensure_ascii=False))
    else:
        for c in claims:
            cues = ", ".join(f"{q['category']}:{q['text']}" for q in c["cues"]) or "-"
            match = (f"{c['registry_id']} ({c['verdict']}, max {c['max_certainty']})"
                     if c["registry_id"] else "no registry entry")
            neg = " negated" if c["negated"] else ""
            click.echo(f"{c['path']}:{c['line']}:{c['column']}: {c['topic']}/{c['label']}"
                       f" [{c['certainty']}{neg}] about {c['intervention']}"
                       f"{' (' + ', '.join(c['conditions']) + ')' if c['conditions'] else ''}"
                       f" -> {match}")
            click.echo(f"    {c['sentence']}")
            click.echo(f"    cues: {cues}")
    sys.exit(ExitStatus.ERROR if failed else ExitStatus.OK)


@main.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """List the rules, or print the documentation of one (CODE or name)."""
    from claimlint.rules import RULES, get

    if code:
        try:
            selected = [get(code).meta()]
        except KeyError as exc:
            click.echo(f"claimlint: error: {exc.args[0]}", err=True)
            sys.exit(ExitStatus.ERROR)
    else:
        selected = [r.meta() for r in RULES.values()]
    if fmt == "json":
        click.echo(json.dumps([{"code": m.code, "name": m.name, "summary": m.summary,
                                "severity": str(m.default_severity), "doc": m.doc}
                               for m in selected], indent=2))
    elif code:
        m = selected[0]
        click.echo(f"{m.code} {m.name} ({m.default_severity})\n\n{m.summary}.\n\n{m.doc}")
    else:
        for m in selected:
            click.echo(f"{m.code}  {m.name:<24} {m.default_severity!s:<8} {m.summary}")


@main.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--split", "split", type=click.Choice(["dev", "test", "all"]), default="all",
              show_default=True, help="Which part of the corpus to score.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to a file (atomically) instead of stdout.")
@_lint_options
def evaluate(corpus: str, split: str, fmt: str, output: str | None,
             stdin_filename: str | None, **kw: Any) -> None:
    """Score the linter on an annotated CORPUS: precision, recall and F1 per domain,
    category and rule, and every false positive and false negative."""
    from claimlint.evaluate import load_corpus, render_text, score

    settings = _linter_settings([corpus], **kw)
    linter = _linter(settings)
    parts = ["dev", "test"] if split == "all" else [split]
    try:
        posts = load_corpus(Path(corpus), parts)
        documents = [linter.read(str(p.path)) for p in posts]
    except ClaimlintError as exc:
        _fail(exc)
        return
    findings: dict[str, list[Any]] = {p.name: [] for p in posts}
    by_path = {str(p.path): p.name for p in posts}
    for finding in linter.lint_documents(documents):
        findings[by_path[finding.path]].append(finding)
    report = score(posts, findings)
    with _output(output) as stream:
        if fmt == "json":
            stream.write(json.dumps({"corpus": corpus, "split": split, **report.record()},
                                    indent=2, ensure_ascii=False) + "\n")
        else:
            stream.write(render_text(report, f"claimlint eval {corpus} --split {split}"))


@main.command()
@click.argument("crawl", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write one row per finding here: Parquet (.parquet, .pq) or JSONL (.jsonl, "
                   ".ndjson, optionally .gz), by the suffix.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False),
              help="Write the per-site summary here as JSON (the table goes to stdout).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786) "
                   "instead of a local one.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the local cluster [default: one per core].")
@click.option("--partition-size", type=click.IntRange(min=1), default=None,
              help="Records per partition, the unit of work sent to a worker [default: 250].")
@click.option("--in-process", is_flag=True, default=False,
              help="Lint in this process, without Dask (small crawls, debugging).")
@click.option("--config", type=click.Path(dir_okay=False),
              help="Config file to use instead of searching for one.")
@click.option("--select", multiple=True, help="Rules to enable (codes, prefixes, names).")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of select.")
@click.option("--registry", "registry_paths", multiple=True, type=click.Path(file_okay=False),
              help="Extra registry folder (repeatable); it must exist at the same path on "
                   "every worker.")
@click.option("--no-bundled-registry", is_flag=True, default=None,
              help="Do not load the registry shipped with claimlint.")
@click.option("--spacy-model", help="Installed trained spaCy pipeline to start from.")
@click.option("--no-classifier", is_flag=True, default=None,
              help="Rules only: no CL110, no warnings shown as info by the classifier.")
@click.option("--no-progress", is_flag=True, default=False,
              help="Never show the progress bar (shown on a terminal).")
@click.option("-q", "--quiet", is_flag=True, default=False,
              help="No progress bar, no summary table and no notes; errors still print.")
def audit(crawl: tuple[str, ...], output: str | None, summary_path: str | None,
          scheduler: str | None, workers: int | None, partition_size: int | None,
          in_process: bool, no_progress: bool, quiet: bool, **kw: Any) -> None:
    """Lint a web crawl on Dask: CRAWL is JSONL (.jsonl, .jsonl.gz) or Parquet files, or
    folders of them, of records {url, html or text, site}.

    Writes one row per finding (--output) and a summary per site (--summary, and a table on
    stdout). Bad records become CL900 rows and never stop the run. Exits 0 once the audit
    is written, whatever it found; 2 on a usage, configuration or registry error, or when the
    cluster fails.
    """
    import time

    from claimlint import audit as auditing
    from claimlint.progress import ProgressBar

    if scheduler and workers:
        _fail(UsageError("--workers sizes the local cluster; a remote cluster (--scheduler) "
                         "has the workers started on it", path=COMMAND_LINE))
    if in_process and (scheduler or workers):
        _fail(UsageError("--in-process uses no cluster: drop --scheduler and --workers",
                         path=COMMAND_LINE))
    try:
        if output:
            auditing.output_format(output)
        auditing.crawl_files(crawl)
    except ClaimlintError as exc:
        _fail(exc)
    settings = _linter_settings(crawl, include=(), exclude=(), no_respect_gitignore=None, **kw)
    _linter(settings)  # a registry error stops the run before any cluster starts
    size = partition_size or auditing.DEFAULT_PARTITION_SIZE
    started = time.monotonic()
    try:
        with ProgressBar(sys.stderr, label="claimlint audit",
                         enabled=False if quiet or no_progress else None) as bar:
            if in_process:
                result = auditing.run_audit(crawl, settings, partition_size=size, progress=bar)
                where = "in this process"
            else:
                with auditing.local_client(workers, scheduler) as client:
                    count = len(client.scheduler_info().get("workers", {}))
                    where = (f"on {_plural(count, 'worker')} at {scheduler}" if scheduler
                             else f"on a local cluster of {_plural(count, 'worker')}")
                    where += f" (connected after {time.monotonic() - started:.1f} s)"
                    if not count and not quiet:
                        click.echo("claimlint: the scheduler has no workers yet; the audit "
                                   "starts when one joins", err=True)
                    result = auditing.run_audit(crawl, settings, client=client,
                                                partition_size=size, progress=bar)
    except ClaimlintError as exc:
        _fail(exc)
        return
    except OSError as exc:  # the scheduler cannot be reached, or a cluster cannot start
        _fail(UsageError(f"cannot run the Dask cluster: {exc}",
                         path=scheduler or COMMAND_LINE))
        return
    seconds = time.monotonic() - started
    summary = auditing.summarise(result)
    try:
        if output:
            auditing.write_findings(result.rows, output)
        if summary_path:
            auditing.write_summary(summary, summary_path)
    except OSError as exc:
        _fail(UsageError(f"cannot write the audit: {exc.strerror or exc}",
                         path=exc.filename or output))
    if not quiet:
        click.echo(auditing.render_summary(summary), nl=False)
        click.echo(f"claimlint: audited {_plural(summary['pages'], 'page')} of "
                   f"{_plural(summary['sites'], 'site')} "
                   f"({_plural(summary['findings'], 'finding')}, "
                   f"{_plural(summary['input_errors'], 'input error')}) {where} in "
                   f"{seconds:.1f} s",
                   err=True)
    sys.exit(ExitStatus.OK)


@main.group()
def registry() -> None:
    """Validate, list and show registry entries."""


def _load(paths: Sequence[str], no_bundled: bool) -> Any:
    from claimlint.registry import bundled_registry_path, load_registry

    folders = ([] if no_bundled else [bundled_registry_path()]) + [Path(p) for p in paths]
    try:
        return load_registry(folders)
    except RegistryError as exc:
        _fail(exc)


@registry.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(file_okay=False))
def registry_validate(paths: tuple[str, ...]) -> None:
    """Check registry folders (default: the bundled one) and exit 2 on the first error."""
    reg = _load(paths, no_bundled=bool(paths))
    click.echo(f"ok: {len(reg.entries)} entries, {len(reg.references)} references, "
               f"{len(reg.interventions)} interventions, {len(reg.conditions)} conditions "
               f"in {', '.join(reg.sources)}")


@registry.command("list")
@click.option("--registry", "paths", multiple=True, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def registry_list(paths: tuple[str, ...], fmt: str) -> None:
    """One line per entry: id, verdict, max certainty, evidence grade."""
    reg = _load(paths, no_bundled=False)
    entries = sorted(reg.entries.values(), key=lambda e: e.id)
    if fmt == "json":
        click.echo(json.dumps([{"id": e.id, "topic": e.topic, "verdict": e.verdict,
                                "max_certainty": str(e.max_certainty),
                                "grade": e.evidence.grade, "confidence": e.confidence}
                               for e in entries], indent=2))
        return
    for e in entries:
        click.echo(f"{e.id:<52} {e.verdict:<13} {e.max_certainty!s:<10} "
                   f"{e.evidence.grade:<9} {e.confidence}")


@registry.command("show")
@click.argument("entry_id", required=False)
@click.option("--all", "show_all", is_flag=True, help="Show every entry.")
@click.option("--registry", "paths", multiple=True, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text")
def registry_show(entry_id: str | None, show_all: bool, paths: tuple[str, ...], fmt: str) -> None:
    """Show one entry (or --all) with its evidence and references."""
    from claimlint.registry.render import render_entries

    reg = _load(paths, no_bundled=False)
    if show_all:
        entries = sorted(reg.entries.values(), key=lambda e: e.id)
    elif entry_id and entry_id in reg.entries:
        entries = [reg.entries[entry_id]]
    else:
        click.echo(f"claimlint: error: no registry entry {entry_id!r}" if entry_id
                   else "claimlint: error: give an entry id or --all", err=True)
        sys.exit(ExitStatus.ERROR)
    click.echo(render_entries(entries, fmt), nl=False)




if __name__ == "__main__":  # pragma: no cover
    main()
