"""The command line: a thin layer over the library API (engine, report, registry)."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import click

from claimlint import __version__
from claimlint.config import Settings, load_settings
from claimlint.errors import ClaimlintError, RegistryError, UsageError
from claimlint.exit_codes import ExitStatus
from claimlint.findings import LintResult, Severity

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
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    except OSError as exc:
        _fail(UsageError(f"cannot write the report: {exc.strerror or exc}", path=path))
        raise  # unreachable
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        # mkstemp creates 0600 files; a report should get the mode any new file would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _linter_settings(paths: Sequence[str], config: str | None, select: Sequence[str],
                     ignore: Sequence[str], extend_select: Sequence[str],
                     registry_paths: Sequence[str], no_bundled_registry: bool | None,
                     include: Sequence[str], exclude: Sequence[str],
                     no_respect_gitignore: bool | None, spacy_model: str | None,
                     no_classifier: bool | None, fail_on: str | None = None) -> Settings:
    return _settings(
        paths, config,
        select=_split(select), ignore=_split(ignore), extend_select=_split(extend_select),
        registry_paths=tuple(str(Path(p).resolve()) for p in registry_paths) or None,
        disable_bundled_registry=True if no_bundled_registry else None,
        include=_split(include), exclude=_split(exclude),
        respect_gitignore=False if no_respect_gitignore else None,
        spacy_model=spacy_model, fail_on=fail_on,
        classifier=False if no_classifier else None,
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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to a file (atomically) instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit status 1 [default: warning].")
@click.option("--color/--no-color", default=None, help="Colour text output [default: on a tty].")
@_lint_options
@_workflow_options
def check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str | None,
          color: bool | None, stdin_filename: str | None, **kw: Any) -> None:
    """Lint files and folders (PATHS; '-' reads standard input)."""
    from claimlint.report import render
    from claimlint.rules import metadata

    options = _Workflow.pop(kw)
    paths = paths or (".",)
    settings = _linter_settings(paths, fail_on=fail_on, **kw)
    run = _prepare(options, paths, settings)
    linter = _linter(settings, run.cache)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    try:
        with run.progress:
            result: LintResult = linter.lint_paths(paths, stdin=stdin,
                                                   stdin_filename=stdin_filename,
                                                   keep_sources=(fmt == "html"),
                                                   progress=run.progress)
    except ClaimlintError as exc:
        _fail(exc)
        return
    result = _finish(run, result)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    with _output(output) as stream:
        if options.statistics:
            from claimlint.report.statistics import write_statistics

            write_statistics(result.findings, stream, fmt="json" if fmt == "json" else "text")
        else:
            render(result, fmt, stream, rules=metadata(), color=use_color,
                   tool_version=__version__)
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
