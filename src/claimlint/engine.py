"""The lint engine: documents -> NLP -> claims -> registry match -> rules -> findings.

Everything here returns data; nothing prints or exits. The CLI and the public API in
``claimlint/__init__.py`` are thin layers over ``Linter``.
"""

from __future__ import annotations

import html
import itertools
import multiprocessing
import os
import signal
import stat
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from spacy.language import Language

from claimlint.cache import FindingCache, digest
from claimlint.claims import UNCUED, Claim, claims_from_document
from claimlint.config import Settings, resolve_rules, severity_for
from claimlint.deadline import TimeLimitExceeded, time_limit
from claimlint.documents import read_document
from claimlint.documents.directives import Suppressions
from claimlint.documents.discovery import discover
from claimlint.documents.model import Document, TextBlock
from claimlint.errors import ClaimlintError, DocumentError
from claimlint.findings import ClaimMark, Edit, Finding, Fix, LintResult, Severity, SourceView
from claimlint.matching import ClaimMatch, match_claims
from claimlint.nlp import build_pipeline
from claimlint.nlp.classifier import FAIR_THRESHOLD, OverclaimClassifier
from claimlint.registry import Certainty, Registry, bundled_registry_path, load_registry
from claimlint.rules import (
    INPUT_ERROR,
    LANGUAGE_RULES,
    LIKELY_OVERCLAIM,
    META_RULES,
    OVERSTATED_EFFICACY,
    REGISTRY_RULES,
    RULES,
    UNREGISTERED,
    UNUSED_SUPPRESSION,
    Rule,
    Violation,
    names,
)

STDIN_PATH = "-"
# Settings that decide which files are linted, the exit status or where things are kept, never
# a file's findings; the cache key leaves them out. (root and per-file rule selection reach
# the key per file, as the relative path and the set of enabled rules.)
_NOT_IN_CACHE_KEY = frozenset({"include", "exclude", "respect_gitignore", "fail_on",
                               "baseline", "cache", "cache_dir", "config_path", "root",
                               "overridden", "max_file_seconds"})
# Called as progress(files_done, files_total) while lint_paths works through the files.
Progress = Callable[[int, int], None]
# Blocks are fed to spaCy in batches; larger batches amortise per-call overhead.
BATCH_SIZE = 512
# Characters a fix may not write into Markdown: they would read as markup (emphasis, code,
# links, HTML, escapes, table cells) or end a quoted front-matter value.
_MARKDOWN_MARKUP = frozenset('*_`[]<>\\&|"')


def registry_folders(settings: Settings) -> list[Path]:
    folders = [] if settings.disable_bundled_registry else [bundled_registry_path()]
    return folders + [Path(p) for p in settings.registry_paths]


@dataclass
class Analysis:
    """One document after the NLP and matching layers, before rules."""

    document: Document
    matches: list[ClaimMatch] = field(default_factory=list)


# Subjects taken from the page or a heading rather than from the sentence (claims.Claim.subject).
IMPLICIT_SUBJECTS = frozenset({"page", "heading"})
# Rules whose errors become warnings on a hedged claim ("ketamine may ease anxiety"): the copy
# claims more than the evidence shows, but says it is unsure, which is not the same offence
# as stating it. A boosted hedge ("may be the only treatment that truly cures") stays an error.
HEDGE_SOFTENED = frozenset({"CL002"})
# The classifier may show as info a language rule's warning and a warning of the catch-all
# entry (relief claimed for no named condition), which judges wording much as a language rule
# does; a condition or regulatory entry's warning is curated evidence, which a bag of words
# does not overrule. In 5-fold cross-validation over dev (scripts/cv_classifier.py --demote)
# the catch-all's demotion removed 22 false positives for 3 overclaims lost.
DEMOTE_GENERIC = True
# An error is a finding the rules and the classifier agree on: when the classifier reads the
# sentence as fair copy (below FAIR_THRESHOLD), a rule's error is shown as a warning. It is
# still reported and still fails the default gate (--fail-on warning); only a gate set to
# --fail-on error lets it through. A claim inherited from a question, heading or lead-in
# keeps its error: its words ("No.") are not what was scored; so does a sentence shorter than
# SOFTEN_MIN_WORDS, whose few words leave the score mostly the model's prior ("Ketamine cures
# chronic pain."), and a claim its own booster strengthens ("extremely safe", "permanently
# cured"), whose overstatement is in the words the rule read, whatever the rest of the sentence
# says. scripts/cv_classifier.py --no-soften gives the comparison.
SOFTEN_ERRORS = True
SOFTEN_MIN_WORDS = 8


class Linter:
    """Lints documents against one registry with one pipeline, built once and reused."""

    def __init__(self, settings: Settings, registry: Registry | None = None,
                 cache: FindingCache | None = None,
                 classifier: OverclaimClassifier | None = None) -> None:
        self.settings = settings
        self._registry = registry
        # Injected by tests that need fixed scores; otherwise built from the bundled weights.
        self._classifier = classifier
        # Per-file findings cache used by lint_paths (the CLI builds one; the library API
        # leaves it off unless asked, so embedding programs never write to disk by surprise).
        self.cache = cache
        self._rules: dict[str, Rule] = {code: cls() for code, cls in RULES.items()}
        self._names = names()

    @cached_property
    def registry(self) -> Registry:
        if self._registry is not None:
            return self._registry
        return load_registry(registry_folders(self.settings))

    @cached_property
    def nlp(self) -> Language:
        return build_pipeline(self.registry, self.settings.spacy_model)

    # -- reading --------------------------------------------------------------------------

    def read(self, path: str, data: bytes | None = None, kind: str | None = None) -> Document:
        """Read one file (or given bytes) into a Document; DocumentError on bad input."""
        return self.parse(path, self.read_bytes(path, data), kind)

    def parse(self, path: str, data: bytes, kind: str | None = None) -> Document:
        """``read_document`` within max-file-seconds; DocumentError on bad input or timeout."""
        try:
            with time_limit(self.settings.max_file_seconds):
                return read_document(path, data, kind)
        except TimeLimitExceeded as exc:
            raise DocumentError(f"reading the file {exc} (max-file-seconds); it was not "
                                "checked", path=path) from None

    def read_bytes(self, path: str, data: bytes | None = None) -> bytes:
        """A file's bytes (or ``data``) within max-file-size; DocumentError otherwise."""
        if data is None:
            try:
                info = os.stat(path)
                if not stat.S_ISREG(info.st_mode):
                    raise DocumentError(_not_a_file(path, info.st_mode), path=path)
                size = info.st_size
                if size > self.settings.max_file_size:
                    raise DocumentError(f"file is {size} bytes, over the limit of "
                                        f"{self.settings.max_file_size} (max-file-size)",
                                        path=path)
                data = Path(path).read_bytes()
            except OSError as exc:
                raise DocumentError(f"cannot read file: {exc.strerror or exc}", path=path) \
                    from None
        elif len(data) > self.settings.max_file_size:
            raise DocumentError(f"input is {len(data)} bytes, over the limit of "
                                f"{self.settings.max_file_size} (max-file-size)", path=path)
        return data

    # -- analysis -------------------------------------------------------------------------

    def analyse(self, documents: Sequence[Document]) -> list[Analysis]:
        """Run the pipeline over every block of every document in one batched stream."""
        texts = [(b.text, (di, bi)) for di, d in enumerate(documents)
                 for bi, b in enumerate(d.blocks)]
        per_doc: list[list[Any]] = [[None] * len(d.blocks) for d in documents]
        for spacy_doc, (di, bi) in self.nlp.pipe(texts, as_tuples=True, batch_size=BATCH_SIZE):
            per_doc[di][bi] = spacy_doc
        out = []
        for document, docs in zip(documents, per_doc, strict=True):
            claims = claims_from_document(document.blocks, docs, self.registry)
            paragraphs = _paragraph_texts(document)

            def paragraph_of(claim: Claim, document: Document = document,
                             paragraphs: dict[int, str] = paragraphs) -> str:
                return paragraphs[document.blocks[claim.block].paragraph]

            whole = " ".join(paragraphs[k] for k in sorted(paragraphs))
            out.append(Analysis(document, match_claims(claims, self.registry, paragraph_of,
                                                       whole)))
        if self.classifier is not None:
            self._score(out)
        return out

    @cached_property
    def classifier(self) -> OverclaimClassifier | None:
        if not self.settings.classifier:
            return None
        if self._classifier is not None:
            return self._classifier
        return OverclaimClassifier(self.nlp)

    def _score(self, analyses: list[Analysis]) -> None:
        """Attach the classifier's score to every match, one model call per distinct sentence."""
        assert self.classifier is not None
        sentences = sorted({m.claim.sentence for a in analyses for m in a.matches})
        score = dict(zip(sentences, self.classifier.scores(sentences), strict=True))
        for a in analyses:
            a.matches = [replace(m, score=score[m.claim.sentence]) for m in a.matches]

    # -- judging --------------------------------------------------------------------------

    def judge(self, analysis: Analysis) -> list[Finding]:
        document = analysis.document
        enabled = resolve_rules(self.settings, document.path, self._names)
        raised: list[tuple[ClaimMatch, str, Violation]] = [
            (match, code, v)
            for match in analysis.matches
            for code, rule in self._rules.items()
            if code not in META_RULES and code in enabled
            for v in rule.check(match, {})
        ]
        # A generic entry ("relief for an unnamed condition") says less than the language rule
        # that names the wording ("cure", "guaranteed"): in a sentence with both, report the
        # wording. CL201 (info) only speaks for sentences nothing else flagged.
        worded = {_sentence(m) for m, code, _ in raised if code in LANGUAGE_RULES}
        flagged = {_sentence(m) for m, code, _ in raised if code != UNREGISTERED}
        # The classifier speaks only where no rule did: a rule's finding says why, it cannot.
        ruled = {_sentence(m) for m, code, _ in raised
                 if code not in (UNREGISTERED, LIKELY_OVERCLAIM)}
        # CL109 speaks for a benefit claim no other rule judged: a sentence flagged for its
        # wording ("root cause", "90% of patients") needs no second, vaguer finding.
        specific_wording = {_sentence(m) for m, code, _ in raised
                            if code in LANGUAGE_RULES and code != OVERSTATED_EFFICACY}
        # The catch-all entry (no conditions, no patterns) adds nothing to a sentence that a
        # more specific entry or a language rule already flagged.
        # CL110 does not count: it gives way to any rule's finding, so counting it would let the
        # two silence each other and the sentence go unreported.
        specific = {_sentence(m) for m, code, _ in raised
                    if code not in (UNREGISTERED, LIKELY_OVERCLAIM)
                    and (m.entry is None or not m.entry.generic)}
        findings: list[Finding] = []
        seen: set[tuple[str, int, int, str]] = set()
        for match, code, v in raised:
            where = _sentence(match)
            if code in REGISTRY_RULES and where in worded and match.entry is not None \
                    and match.entry.generic:
                continue
            if code == UNREGISTERED and where in flagged:
                continue
            if code == LIKELY_OVERCLAIM and where in ruled:
                continue
            if code == OVERSTATED_EFFICACY and where in specific_wording:
                continue
            if code in REGISTRY_RULES and match.entry is not None and match.entry.generic \
                    and where in specific:
                continue
            # Registry findings are per entry ("CRPS" and "migraine" are two problems); a
            # wording rule speaks once per sentence.
            key = (code, *where, match.entry.id if match.entry and code in REGISTRY_RULES else "")
            if key in seen:
                continue  # one finding per rule, entry and sentence
            seen.add(key)
            findings.append(self._finding(document, match, code, v))
        return self._suppress(document, findings, enabled)

    def _severity(self, code: str) -> Severity:
        rule = RULES[code]
        return Severity.parse(severity_for(self.settings, code, self._names[code],
                                           str(rule.default_severity)))

    def _finding(self, document: Document, match: ClaimMatch, code: str, v: Violation) -> Finding:
        claim = match.claim
        block = document.blocks[claim.block]
        start, end = block.offsets.source_span(v.start, v.end)
        line, column = document.lines.position(start)
        end_line, end_column = document.lines.position(end)
        rule = RULES[code]
        severity, message = self._severity(code), v.message
        specific_entry = match.entry is not None and match.entry.has_match
        # An inherited claim (a list item, an FAQ answer) is not in the words that were scored.
        # A registry finding weighs the evidence for a condition, which words cannot overrule,
        # unless the sentence never names the therapy ("Pain keeps people from sleeping" on a
        # ketamine page): then it may not be about the therapy at all, and the classifier's
        # reading of the words decides whether it is a claim. A language rule's warning, or the
        # catch-all entry's, is about how the sentence words its claim, which is what the
        # classifier reads.
        # An unsupported claim softened to a warning by its hedge is still unsupported.
        wording = severity == Severity.WARNING and (code in LANGUAGE_RULES or (
            DEMOTE_GENERIC and code in REGISTRY_RULES and match.entry is not None
            and match.entry.generic))
        if severity == Severity.ERROR and code in HEDGE_SOFTENED \
                and claim.certainty == Certainty.HEDGED:
            severity = Severity.WARNING
            message += " (A warning, not an error: the claim is hedged.)"
        if (SOFTEN_ERRORS and severity == Severity.ERROR and not claim.inherited
                and not _self_boosted(claim)
                and match.score is not None and match.score < FAIR_THRESHOLD
                and len(claim.sentence.split()) >= SOFTEN_MIN_WORDS):
            severity = Severity.WARNING
            message += f" (A warning, not an error: the classifier rates the sentence " \
                       f"{match.score:.2f}, like fair copy.)"
        implicit = claim.subject in IMPLICIT_SUBJECTS and code in REGISTRY_RULES
        if ((wording or implicit) and not specific_entry and not claim.inherited
                and match.score is not None and match.score < FAIR_THRESHOLD):
            # The classifier reads this sentence as fair copy: keep the finding for a reviewer
            # but do not let it fail the gate on its own. An entry written for this very
            # wording is curated evidence and outranks a bag of words.
            severity = Severity.INFO
            message += f" (Shown as info: the classifier rates the sentence {match.score:.2f}, " \
                       "like fair copy.)"
        return Finding(
            path=document.path, line=line, column=column, rule=code, end_line=end_line,
            end_column=end_column, name=rule.name, severity=severity,
            message=message, start_offset=start, end_offset=end, sentence=claim.sentence,
            registry_id=match.entry.id if match.entry else None,
            evidence=match.entry.evidence if match.entry else None,
            suggestion=v.suggestion, topic=claim.topic, cues=claim.cue_words(),
            fix=_source_fix(document, block, v.fix) if v.fix is not None else None,
        )

    def _suppress(self, document: Document, findings: list[Finding],
                  enabled: frozenset[str]) -> list[Finding]:
        if not document.directives:
            return findings
        suppressions = Suppressions(document.directives, document.lines)
        kept = [f for f in findings
                if suppressions.match(f.rule, f.name, f.line, f.end_line) is None]
        if UNUSED_SUPPRESSION in enabled:
            for d in suppressions.unused():
                unknown = [c for c in sorted(d.codes) if not _known_rule(c)]
                what = (f"names unknown rule(s) {', '.join(unknown)}" if unknown
                        else "suppresses nothing")
                codes = ", ".join(sorted(d.codes)) or "all rules"
                end_line, end_column = document.lines.position(d.end_offset)
                kept.append(Finding(
                    path=document.path, line=d.line, column=d.column, rule=UNUSED_SUPPRESSION,
                    end_line=end_line, end_column=end_column,
                    name=RULES[UNUSED_SUPPRESSION].name,
                    severity=self._severity(UNUSED_SUPPRESSION),
                    message=f"Suppression comment ({d.action} {codes}) {what}.",
                    start_offset=d.start_offset, end_offset=d.end_offset,
                    suggestion="Remove the comment, or fix the rule code it names.",
                ))
        return kept

    def input_error(self, error: ClaimlintError) -> Finding:
        line, column = error.line or 1, error.column or 1
        return Finding(path=error.path or "<unknown>", line=line, column=column,
                       rule=INPUT_ERROR, end_line=line, end_column=column,
                       name=RULES[INPUT_ERROR].name, severity=Severity.ERROR,
                       message=error.message, start_offset=0, end_offset=0)

    # -- whole runs -----------------------------------------------------------------------

    def lint_documents(self, documents: Sequence[Document],
                       sources: dict[str, SourceView] | None = None) -> list[Finding]:
        """Findings for ``documents``; with ``sources``, also record each file's text and claims.

        Each document gets max-file-seconds. The documents are linted together (the pipeline
        is fastest on batches) within one such limit; if it runs out, they are linted again
        one by one, so a document that takes too long is reported (CL900, and not checked)
        and every other one keeps its findings.
        """
        limit = self.settings.max_file_seconds
        _ = self.nlp, self.classifier  # built outside the limit: it is not the file's time
        try:
            with time_limit(limit):
                return self._lint_documents(documents, sources)
        except TimeLimitExceeded as exc:
            if len(documents) == 1:
                error = DocumentError(f"linting the file {exc} (max-file-seconds); it was not "
                                      "checked", path=documents[0].path)
                return [self.input_error(error)]
        return sorted(f for document in documents
                      for f in self.lint_documents([document], sources))

    def _lint_documents(self, documents: Sequence[Document],
                        sources: dict[str, SourceView] | None) -> list[Finding]:
        findings: list[Finding] = []
        for analysis in self.analyse(documents):
            findings.extend(self.judge(analysis))
            if sources is not None:
                sources[analysis.document.path] = _source_view(analysis)
        return sorted(findings)

    def lint_paths(self, paths: Sequence[str], *, stdin: bytes | None = None,
                   stdin_filename: str | None = None, chunk: int = 64,
                   keep_sources: bool = False, progress: Progress | None = None,
                   jobs: int = 1) -> LintResult:
        """Lint files and folders. ``-`` in ``paths`` reads ``stdin`` as ``stdin_filename``.

        ``keep_sources`` keeps every file's text and claim positions in ``result.sources``
        (for reports that show claims in context); it costs memory, so it is off by default.
        With a cache, files whose key is stored are not parsed at all; ``keep_sources`` needs
        the parse, so it only writes to the cache. Standard input is never cached.
        ``progress`` is called with (files done, files in total) as the run goes.
        ``jobs`` > 1 parses files in that many worker processes (forked after the pipeline is
        built, so each starts with it loaded); findings are the same as with one job.
        """
        result = LintResult()
        files: list[str] = []
        explicit = [p for p in paths if p != STDIN_PATH]
        try:
            if explicit:
                files = discover(explicit, self.settings.include, self.settings.exclude,
                                 self.settings.respect_gitignore)
        except DocumentError as exc:
            result.findings.append(self.input_error(exc))
            result.failed_paths.append(exc.path or "")
            # Lint what exists; the missing path is reported.
            files = discover([p for p in explicit if Path(p).exists()], self.settings.include,
                             self.settings.exclude, self.settings.respect_gitignore)
        sources: list[tuple[str, bytes | None, str | None]] = [(f, None, None) for f in files]
        if STDIN_PATH in paths:
            name = stdin_filename or "<stdin>"
            sources.insert(0, (name, stdin or b"", None))
        # A path that occurs twice (stdin named like a file) could not be told apart in the
        # cache, which stores entries by path, so it is not cached.
        repeated = {p for p, n in Counter(p for p, _, _ in sources).items() if n > 1}
        done = 0

        def pending() -> Iterable[list[_Work]]:
            """Batches of files to parse, read lazily so memory stays flat however many files
            there are; input errors and cache hits are settled here, in the parent."""
            nonlocal done
            batch: list[_Work] = []
            for path, data, kind in sources:
                result.files.append(path)
                try:
                    raw = self.read_bytes(path, data)
                except DocumentError as exc:
                    result.findings.append(self.input_error(exc))
                    result.failed_paths.append(path)
                    done += 1
                    continue
                key = None
                if self.cache is not None and data is None and path not in repeated:
                    key = self._cache_key(path, raw, kind)
                    cached = None if keep_sources else self.cache.get(key)
                    if cached is not None:
                        result.findings.extend(replace(f, path=path) for f in cached)
                        done += 1
                        continue
                batch.append(_Work(path, raw, kind, key))
                if len(batch) >= size:
                    yield batch
                    batch = []
            if batch:
                yield batch

        files_total = len(sources)
        reported = 0
        size = chunk if jobs <= 1 else max(1, min(chunk, -(-files_total // (jobs * 4))))
        for batch, outcome in self._run_batches(pending(), jobs, keep_sources):
            result.findings.extend(outcome.findings)
            result.failed_paths.extend(outcome.failed_paths)
            result.sources.update(outcome.sources)
            keys = {w.path: w.key for w in batch if w.key is not None
                    and w.path not in outcome.failed_paths}
            self._store(keys, outcome.findings)
            done += len(batch)
            if progress is not None:
                progress(done, files_total)
                reported = done
        if progress is not None and reported != files_total:
            progress(files_total, files_total)  # cache hits and input errors count as done
        result.findings.sort()
        return result

    # -- caching --------------------------------------------------------------------------

    @cached_property
    def _cache_context(self) -> str:
        """A digest of what, besides the file itself, decides a file's findings: the registry
        and every setting except those known not to matter, so a setting added later
        invalidates the cache by default instead of being silently ignored."""
        settings = {f.name: getattr(self.settings, f.name) for f in fields(self.settings)
                    if f.name not in _NOT_IN_CACHE_KEY}
        return digest({"registry": self.registry.digest, "settings": settings})

    def _cache_key(self, path: str, data: bytes, kind: str | None) -> str:
        assert self.cache is not None
        absolute = os.path.abspath(path)
        try:
            relative = Path(os.path.relpath(absolute, self.settings.root)).as_posix()
        except ValueError:  # Windows: another drive
            relative = Path(absolute).as_posix()
        enabled = resolve_rules(self.settings, path, self._names)
        return self.cache.key(context=self._cache_context, path=relative, kind=kind or "",
                              enabled=enabled, data=data)

    def lint_batch(self, batch: Sequence[_Work], keep_sources: bool) -> _Outcome:
        """Parse and lint one batch of files already read (in this process or a worker)."""
        outcome = _Outcome()
        documents = []
        for work in batch:
            try:
                documents.append(self.parse(work.path, work.data, work.kind))
            except DocumentError as exc:
                outcome.findings.append(self.input_error(exc))
                outcome.failed_paths.append(work.path)
        if documents:  # an all-failed batch must not build the NLP pipeline
            found = self.lint_documents(documents, outcome.sources if keep_sources else None)
            outcome.findings.extend(found)
            # A file that ran out of time (CL900) failed: reported, and never cached.
            outcome.failed_paths.extend(sorted({f.path for f in found if f.rule == INPUT_ERROR}))
        return outcome

    def _run_batches(self, batches: Iterable[list[_Work]], jobs: int,
                     keep_sources: bool) -> Iterator[tuple[list[_Work], _Outcome]]:
        """Each batch with its outcome, in order; in worker processes when ``jobs`` > 1."""
        stream = iter(batches)
        first = next(stream, None)
        if first is None:
            return
        second = next(stream, None)
        if jobs <= 1 or second is None or not _can_fork():
            # One batch is not worth a pool: the pre-commit case stays single-process.
            for batch in itertools.chain([first], [] if second is None else [second], stream):
                yield batch, self.lint_batch(batch, keep_sources)
            return
        # Build everything before forking so every worker inherits it instead of rebuilding.
        _ = self.nlp, self.classifier
        global _WORKER
        _WORKER = self
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context,
                                 initializer=_ignore_interrupts) as pool:
            window: deque[tuple[list[_Work], Future[_Outcome]]] = deque()
            try:
                for batch in itertools.chain([first, second], stream):
                    window.append((batch, pool.submit(_lint_in_worker, batch, keep_sources)))
                    # A bounded window keeps memory flat: read ahead only a few batches.
                    while len(window) >= jobs * 2:
                        done_batch, future = window.popleft()
                        yield done_batch, future.result()
                while window:
                    done_batch, future = window.popleft()
                    yield done_batch, future.result()
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            finally:
                _WORKER = None

    def _store(self, keys: dict[str, str], findings: Sequence[Finding]) -> None:
        if self.cache is None or not keys:
            return
        by_path: dict[str, list[Finding]] = {path: [] for path in keys}
        for finding in findings:
            if finding.path in by_path:
                by_path[finding.path].append(finding)
        for path, found in by_path.items():
            self.cache.put(keys[path], found)

    def lint_text(self, text: str, path: str = "<text>", kind: str = "text") -> list[Finding]:
        return self.lint_documents([self.parse(path, text.encode("utf-8"), kind)])

    def extract(self, documents: Sequence[Document]) -> list[dict[str, Any]]:
        """Every claim found, with its registry match, as plain records."""
        out = []
        for analysis in self.analyse(documents):
            doc = analysis.document
            for m in analysis.matches:
                c = m.claim
                if c.label == UNCUED:
                    continue  # a sentence only the classifier reads; no cue made it a claim
                start, end = doc.blocks[c.block].offsets.source_span(c.start, c.end)
                line, column = doc.lines.position(start)
                out.append({
                    "path": doc.path, "line": line, "column": column, "start_offset": start,
                    "end_offset": end, "sentence": c.sentence, "topic": c.topic,
                    "trigger": c.trigger, "label": c.label, "intervention": c.intervention,
                    "subject": c.subject, "conditions": list(c.conditions),
                    "negated": c.negated, "certainty": str(c.certainty),
                    "cues": [{"category": q.category.lower(), "text": q.text} for q in c.cues],
                    "registry_id": m.entry.id if m.entry else None,
                    "verdict": m.entry.verdict if m.entry else None,
                    "max_certainty": str(m.entry.max_certainty) if m.entry else None,
                    "missing_qualifiers": [q.label for q in m.missing_qualifiers],
                })
        return out


def _source_view(analysis: Analysis) -> SourceView:
    doc = analysis.document
    marks = []
    for m in analysis.matches:
        c = m.claim
        start, end = doc.blocks[c.block].offsets.source_span(c.sentence_start, c.sentence_end)
        marks.append(ClaimMark(start, end, doc.lines.position(start)[0], c.topic,
                               str(c.certainty), m.entry.id if m.entry else None))
    unique = {(k.start_offset, k.end_offset, k.topic): k for k in marks}
    return SourceView(doc.path, doc.text, tuple(sorted(unique.values(),
                                                       key=lambda k: k.start_offset)))


@dataclass(frozen=True)
class _Work:
    """One file to parse: its bytes are read (and its cache key computed) in the parent."""

    path: str
    data: bytes
    kind: str | None
    key: str | None


@dataclass
class _Outcome:
    findings: list[Finding] = field(default_factory=list)
    failed_paths: list[str] = field(default_factory=list)
    sources: dict[str, SourceView] = field(default_factory=dict)


# The linter a forked worker inherits from its parent (set just before the pool forks).
_WORKER: Linter | None = None


def _lint_in_worker(batch: list[_Work], keep_sources: bool) -> _Outcome:
    assert _WORKER is not None, "worker started without a linter"
    return _WORKER.lint_batch(batch, keep_sources)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides how the run ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # So does a SIGTERM sent to the group (CI cancelling a job): the parent's handler ends the
    # run with one line; a worker killed first would break the pool with a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _source_fix(document: Document, block: TextBlock, fix: Fix) -> Fix | None:
    """``fix`` (block offsets) in source offsets, or None unless every edit, with one character
    of context on each side, sits on a plain contiguous run of source text that reads exactly
    as the block does. Markdown emphasis, HTML tags or entities, escapes or a joined line
    break inside or right next to an edit would make the rewrite land in the wrong place or
    break the markup, so such a finding is reported without a fix. The new text must not
    read as markup either: in HTML it is escaped, in Markdown a fix writing markup characters
    is dropped."""
    edits = []
    for edit in fix.edits:
        lo, hi = max(edit.start - 1, 0), min(edit.end + 1, len(block.text))
        if not 0 <= edit.start <= edit.end <= len(block.text) or hi <= lo:
            return None
        start, end = block.offsets.source_span(lo, hi)
        if document.text[start:end] != block.text[lo:hi]:
            return None
        text = edit.replacement
        if document.kind == "html":
            text = html.escape(text, quote=False).replace('"', "&quot;")
        elif document.kind == "markdown" and _MARKDOWN_MARKUP.intersection(text):
            return None
        edits.append(Edit(start + edit.start - lo, start + edit.end - lo, text))
    return replace(fix, edits=tuple(edits))


def _not_a_file(path: str, mode: int) -> str:
    """Why a path that is not a regular file cannot be linted (reading a named pipe or a
    device could block for ever)."""
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return f"cannot read directory: {exc.strerror or exc}"
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a regular file (pipe it into 'claimlint check -' instead)"
    kind = "socket" if stat.S_ISSOCK(mode) else "device" if stat.S_ISCHR(mode) or \
        stat.S_ISBLK(mode) else "special file"
    return f"is a {kind}, not a regular file"


def _known_rule(code: str) -> bool:
    try:
        from claimlint.rules import get

        get(code)
    except KeyError:
        return False
    return True


# Boosters that say how sure, not how much: "it must be approved" is reasoning, often quoted to
# be rejected, and "guarantee" is the claim word itself. In 5-fold cross-validation over dev,
# keeping the error for these put three fair sentences back among the errors.
_MODAL_BOOSTERS = frozenset({"must", "guarantee", "guaranteed", "guarantees"})


def _self_boosted(claim: Claim) -> bool:
    """"extremely safe", "permanently cured": a claim its own degree booster strengthens."""
    return claim.certainty == Certainty.BOOSTED and any(
        q.category == "BOOSTER" and q.text.lower() not in _MODAL_BOOSTERS for q in claim.cues)


def _sentence(match: ClaimMatch) -> tuple[int, int]:
    return match.claim.block, match.claim.sentence_start


def _paragraph_texts(document: Document) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for b in document.blocks:
        texts.setdefault(b.paragraph, []).append(b.text)
    return {k: " ".join(v) for k, v in texts.items()}
