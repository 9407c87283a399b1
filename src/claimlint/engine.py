"""The lint engine: documents -> NLP -> claims -> registry match -> rules -> findings.

Everything here returns data; nothing prints or exits. The CLI and the public API in
``claimlint/__init__.py`` are thin layers over ``Linter``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from spacy.language import Language

from claimlint.cache import FindingCache, digest
from claimlint.claims import Claim, claims_from_document
from claimlint.config import Settings, resolve_rules, severity_for
from claimlint.documents import read_document
from claimlint.documents.directives import Suppressions
from claimlint.documents.discovery import discover
from claimlint.documents.model import Document
from claimlint.errors import ClaimlintError, DocumentError
from claimlint.findings import ClaimMark, Finding, LintResult, Severity, SourceView
from claimlint.matching import ClaimMatch, match_claims
from claimlint.nlp import build_pipeline
from claimlint.nlp.classifier import FAIR_THRESHOLD, OverclaimClassifier
from claimlint.registry import Registry, bundled_registry_path, load_registry
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
                               "overridden"})
# Called as progress(files_done, files_total) while lint_paths works through the files.
Progress = Callable[[int, int], None]
# Blocks are fed to spaCy in batches; larger batches amortise per-call overhead.
BATCH_SIZE = 512


def registry_folders(settings: Settings) -> list[Path]:
    folders = [] if settings.disable_bundled_registry else [bundled_registry_path()]
    return folders + [Path(p) for p in settings.registry_paths]


@dataclass
class Analysis:
    """One document after the NLP and matching layers, before rules."""

    document: Document
    matches: list[ClaimMatch] = field(default_factory=list)


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
        return read_document(path, self.read_bytes(path, data), kind)

    def read_bytes(self, path: str, data: bytes | None = None) -> bytes:
        """A file's bytes (or ``data``) within max-file-size; DocumentError otherwise."""
        if data is None:
            try:
                size = Path(path).stat().st_size
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

            out.append(Analysis(document, match_claims(claims, self.registry, paragraph_of)))
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
        specific = {_sentence(m) for m, code, _ in raised
                    if code != UNREGISTERED and (m.entry is None or not m.entry.generic)}
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
            if match.entry is not None and match.entry.generic and where in specific:
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
        if (severity == Severity.WARNING and code != LIKELY_OVERCLAIM and not specific_entry
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
        """Findings for ``documents``; with ``sources``, also record each file's text and claims."""
        findings: list[Finding] = []
        for analysis in self.analyse(documents):
            findings.extend(self.judge(analysis))
            if sources is not None:
                sources[analysis.document.path] = _source_view(analysis)
        return sorted(findings)

    def lint_paths(self, paths: Sequence[str], *, stdin: bytes | None = None,
                   stdin_filename: str | None = None, chunk: int = 64,
                   keep_sources: bool = False, progress: Progress | None = None) -> LintResult:
        """Lint files and folders. ``-`` in ``paths`` reads ``stdin`` as ``stdin_filename``.

        ``keep_sources`` keeps every file's text and claim positions in ``result.sources``
        (for reports that show claims in context); it costs memory, so it is off by default.
        With a cache, files whose key is stored are not parsed at all; ``keep_sources`` needs
        the parse, so it only writes to the cache. Standard input is never cached.
        ``progress`` is called with (files done, files in total) as the run goes.
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
        done = 0
        for batch in _chunks(sources, chunk):
            documents = []
            keys: dict[str, str] = {}
            # Entries are stored by path; a name that occurs twice (stdin named like a file)
            # could not be told apart, so it is not cached.
            repeated = {p for p, n in Counter(p for p, _, _ in batch).items() if n > 1}
            for path, data, kind in batch:
                result.files.append(path)
                try:
                    raw = self.read_bytes(path, data)
                    key = None
                    if self.cache is not None and data is None and path not in repeated:
                        key = self._cache_key(path, raw, kind)
                        cached = None if keep_sources else self.cache.get(key)
                        if cached is not None:
                            result.findings.extend(replace(f, path=path) for f in cached)
                            continue
                    documents.append(read_document(path, raw, kind))
                    if key is not None:
                        keys[path] = key
                except DocumentError as exc:
                    result.findings.append(self.input_error(exc))
                    result.failed_paths.append(path)
            if documents:  # an all-cached batch must not build the NLP pipeline
                findings = self.lint_documents(documents,
                                               result.sources if keep_sources else None)
                result.findings.extend(findings)
                self._store(keys, findings)
            done += len(batch)
            if progress is not None:
                progress(done, len(sources))
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
        return self.lint_documents([read_document(path, text.encode("utf-8"), kind)])

    def extract(self, documents: Sequence[Document]) -> list[dict[str, Any]]:
        """Every claim found, with its registry match, as plain records."""
        out = []
        for analysis in self.analyse(documents):
            doc = analysis.document
            for m in analysis.matches:
                c = m.claim
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


def _known_rule(code: str) -> bool:
    try:
        from claimlint.rules import get

        get(code)
    except KeyError:
        return False
    return True


def _sentence(match: ClaimMatch) -> tuple[int, int]:
    return match.claim.block, match.claim.sentence_start


def _paragraph_texts(document: Document) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for b in document.blocks:
        texts.setdefault(b.paragraph, []).append(b.text)
    return {k: " ".join(v) for k, v in texts.items()}


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i: i + size]
