"""One self-contained HTML page for a medical reviewer: every post, its claims in context, why
each overclaim was flagged, the evidence behind it and a fair wording.

The page must open from a CI artifact or an e-mail attachment with no network, so the CSS and
JS (``assets/``) are inlined, the charts are inline SVG, and a Content-Security-Policy with the
hashes of those two inline blocks forbids every other script, style and fetch. Links to PubMed
and DOIs are ordinary links the reader may follow; nothing is loaded from them.

The findings are embedded once, as JSON in a ``<script type="application/json">`` block, and
drawn with plain DOM code (``textContent`` only), so user text is never parsed as HTML and the
page stays quick with thousands of findings (large reports start with every post collapsed,
and a post is drawn when first opened).
What Python renders itself (summary, filters) goes through ``html.escape``. The summary counts
and charts are rendered here, so they are right even with scripts off; the script updates them
when filters change.

Highlighting: claim and finding spans overlap (a finding's words sit inside its claim's
sentence, two rules can flag the same words), so each post's spans are cut into
non-overlapping segments, each listing the findings and claims covering it. A segment takes
the highest severity among the covering findings the filters show; a claim with no finding at
all is a fair claim and gets a quiet colour. Offsets are Python string (code point) offsets;
JavaScript strings count UTF-16 units, so every offset is converted before it is embedded.

The output is deterministic: the same result gives the same bytes (no timestamp unless the
caller passes ``generated``).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from importlib.resources import files
from itertools import pairwise
from typing import Any, TextIO

from claimlint.findings import LintResult, SourceView
from claimlint.rules.base import RuleMeta

DATA_VERSION = 1
SEVERITIES = ("error", "warning", "info")
RANK = {"info": 1, "warning": 2, "error": 3}
PLURAL = {"error": "errors", "warning": "warnings", "info": "info"}
# Posts open at load when there are this many or fewer; larger reports start collapsed.
OPEN_POSTS_LIMIT = 25

Segment = tuple[int, int, tuple[int, ...], tuple[int, ...]]


# -- spans --------------------------------------------------------------------------------


def segments(findings: Sequence[tuple[int, int]],
             claims: Sequence[tuple[int, int]] = ()) -> list[Segment]:
    """Cut overlapping spans into non-overlapping segments, in text order.

    Each segment is ``(start, end, finding indices, claim indices)`` listing every span that
    covers it; text no span covers is not a segment. Empty spans cover nothing.
    """
    spans = [(s, e, 0, i) for i, (s, e) in enumerate(findings) if e > s]
    spans += [(s, e, 1, i) for i, (s, e) in enumerate(claims) if e > s]
    if not spans:
        return []
    bounds = sorted({b for s, e, _, _ in spans for b in (s, e)})
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for span in spans:
        starts.setdefault(span[0], []).append(span)
    active: dict[tuple[int, int], int] = {}  # (kind, index) -> end
    out: list[Segment] = []
    for left, right in pairwise(bounds):
        for _, end, kind, index in starts.get(left, ()):
            active[(kind, index)] = end
        for key in [k for k, end in active.items() if end <= left]:
            del active[key]
        if active:
            out.append((left, right,
                        tuple(sorted(i for k, i in active if k == 0)),
                        tuple(sorted(i for k, i in active if k == 1))))
    return out


def highest_severity(finding_ids: Sequence[int], severities: Sequence[str]) -> str | None:
    """The severity a segment shows: the highest among the findings covering it."""
    return max((severities[i] for i in finding_ids), key=RANK.__getitem__, default=None)


def utf16_converter(text: str) -> Callable[[int], int]:
    """Maps a code point offset in ``text`` to the UTF-16 offset JavaScript uses."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not astral:
        return lambda offset: offset
    # Each character above U+FFFF before the offset is two UTF-16 units, not one.
    return lambda offset: offset + bisect.bisect_left(astral, offset)


# -- the embedded data ---------------------------------------------------------------------


def post_paths(result: LintResult) -> list[str]:
    """Linted files in run order, then paths known only from findings (a missing path)."""
    paths = dict.fromkeys(result.files)
    paths.update(dict.fromkeys(result.sources))
    paths.update(dict.fromkeys(f.path for f in result.findings))
    return list(paths)


def rule_table(records: Sequence[Mapping[str, Any]],
               rules: Mapping[str, RuleMeta]) -> dict[str, dict[str, Any]]:
    """Name, summary and help link of every rule with a finding, by code."""
    metas = {m.code: m for m in rules.values()}
    out: dict[str, dict[str, Any]] = {}
    for record in sorted(records, key=lambda r: str(r["rule"])):
        code = str(record["rule"])
        if code in out:
            continue
        meta = metas.get(code)
        out[code] = {
            "name": meta.name if meta else record["name"],
            "summary": meta.summary if meta else "",
            "help": meta.help_uri if meta else None,
        }
    return out


def post_data(path: str, source: SourceView | None, records: Sequence[Mapping[str, Any]],
              finding_ids: Sequence[int]) -> tuple[dict[str, Any], list[list[int]]]:
    """A post for the page, and its findings' spans in UTF-16 units (none without a source)."""
    if source is None:
        return ({"path": path, "text": None, "claims": [], "segments": [],
                 "findings": list(finding_ids)}, [])
    size = len(source.text)
    to16 = utf16_converter(source.text)

    def clamp(start: int, end: int) -> tuple[int, int]:
        start = min(max(start, 0), size)
        return start, min(max(end, start), size)

    finding_spans = [clamp(records[i]["start_offset"], records[i]["end_offset"])
                     for i in finding_ids]
    claim_spans = [clamp(c.start_offset, c.end_offset) for c in source.claims]
    cut = segments(finding_spans, claim_spans)
    # A finding overlaps a claim exactly when some segment lists both (read off the cut
    # rather than testing every finding against every claim).
    overlapping: list[set[int]] = [set() for _ in claim_spans]
    for _, _, fs, cs in cut:
        for c in cs:
            overlapping[c].update(finding_ids[j] for j in fs)
    claims = [
        {"start": to16(start), "end": to16(end), "line": claim.line, "topic": claim.topic,
         "certainty": claim.certainty, "registry_id": claim.registry_id,
         "findings": sorted(found)}
        for claim, (start, end), found in zip(source.claims, claim_spans, overlapping,
                                              strict=True)
    ]
    post = {
        "path": path,
        "text": source.text,
        "claims": claims,
        # Segment finding indices are global (into "findings"), claim indices local.
        "segments": [[to16(s), to16(e), [finding_ids[j] for j in fs], list(cs)]
                     for s, e, fs, cs in cut],
        "findings": list(finding_ids),
    }
    return post, [[to16(s), to16(e)] for s, e in finding_spans]


def build_data(result: LintResult, rules: Mapping[str, RuleMeta], tool_version: str,
               generated: str | None = None) -> dict[str, Any]:
    """Everything the page's script draws from, as one JSON-ready object."""
    paths = post_paths(result)
    post_index = {p: i for i, p in enumerate(paths)}
    records = [f.to_record() for f in result.findings]
    # Posts share registry entries, so each distinct evidence block is stored once.
    evidence: list[dict[str, Any]] = []
    evidence_index: dict[str, int] = {}
    findings: list[dict[str, Any]] = []
    by_post: list[list[int]] = [[] for _ in paths]
    for i, record in enumerate(records):
        item = dict(record)
        if record["evidence"] is not None:
            key = json.dumps(record["evidence"], sort_keys=True)
            if key not in evidence_index:
                evidence_index[key] = len(evidence)
                evidence.append(record["evidence"])
            item["evidence"] = evidence_index[key]
        item["post"] = post_index[record["path"]]
        findings.append(item)
        by_post[item["post"]].append(i)
    posts = []
    for i, path in enumerate(paths):
        post, spans = post_data(path, result.sources.get(path), records, by_post[i])
        posts.append(post)
        for j, span in zip(by_post[i], spans, strict=bool(spans)):
            findings[j]["span"] = span
    return {
        "version": DATA_VERSION,
        "tool": {"name": "claimlint", "version": tool_version},
        "generated": generated,
        "failed_paths": list(result.failed_paths),
        "rules": rule_table(records, rules),
        "evidence": evidence,
        "posts": posts,
        "findings": findings,
        "open_posts": len(posts) <= OPEN_POSTS_LIMIT,
    }


def script_json(data: Mapping[str, Any]) -> str:
    """JSON safe inside a <script> element: no "</script>", "<!--" or "]]>" can appear.

    ``<``, ``>`` and ``&`` become JSON unicode escapes, which JSON.parse turns back into the
    same characters.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- server-rendered parts -----------------------------------------------------------------


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    # Fixed precision, so float formatting never makes two runs differ.
    return f"{value:.3f}".rstrip("0").rstrip(".")


def bar(counts: Mapping[str, int], scale: int, label: str) -> str:
    """An inline SVG bar, stacked by severity, ``scale`` findings wide."""
    width = 100 / scale if scale else 0
    rects = [f'<rect class="bar-total" x="0" y="0" width="{_num(sum(counts.values()) * width)}"'
             ' height="10"/>']
    x = 0.0
    for sev in SEVERITIES:
        w = counts.get(sev, 0) * width
        rects.append(f'<rect class="bar-{sev}" data-severity="{sev}" x="{_num(x)}" y="0" '
                     f'width="{_num(w)}" height="10"/>')
        x += w
    return (f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{_e(label)}">{"".join(rects)}</svg>')


def summary_table(kind: str, title: str, rows: Sequence[tuple[str, str, Mapping[str, int]]],
                  *, scroll: bool = False, note: str = "") -> str:
    """One summary card: a table of label, shown and total counts, and a bar per row.

    ``rows`` are (key, label HTML, counts by severity).
    """
    scale = max((sum(c.values()) for _, _, c in rows), default=0)
    body = []
    for key, label, counts in rows:
        total = sum(counts.values())
        body.append(
            f'<tr data-kind="{kind}" data-key="{_e(key)}">'
            f'<th scope="row">{label}</th>'
            f'<td class="num shown">{total}</td><td class="num total">{total}</td>'
            f'<td class="chart">{bar(counts, scale, f"{total} findings")}</td></tr>'
        )
    if not body:
        body.append('<tr><td colspan="4" class="empty">No findings.</td></tr>')
    wrap = "table-wrap scroll" if scroll else "table-wrap"
    heading = _e(title) + (f' <span class="muted">{_e(note)}</span>' if note else "")
    return (
        f'<section class="card summary-card" id="summary-{kind}"><h2>{heading}</h2>'
        f'<div class="{wrap}"><table class="summary">'
        '<thead><tr><th scope="col"></th><th scope="col" class="num">Shown</th>'
        '<th scope="col" class="num">Total</th><th scope="col" class="chart">'
        '<span class="sr-only">Chart</span></th></tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div></section>'
    )


def summary(data: Mapping[str, Any]) -> str:
    findings = data["findings"]
    by_sev = {s: {s: 0} for s in SEVERITIES}
    by_rule: dict[str, dict[str, int]] = {code: {} for code in data["rules"]}
    by_post: list[dict[str, int]] = [{} for _ in data["posts"]]
    for f in findings:
        sev = f["severity"]
        by_sev[sev][sev] += 1
        by_rule[f["rule"]][sev] = by_rule[f["rule"]].get(sev, 0) + 1
        by_post[f["post"]][sev] = by_post[f["post"]].get(sev, 0) + 1
    sev_rows = [(s, f'<span class="pill sev-{s}">{s}</span>', by_sev[s]) for s in SEVERITIES]
    rule_rows = [
        (code, f'<span title="{_e(code)} {_e(meta["name"])}"><code>{_e(code)}</code> '
               f'<span class="rule-name">{_e(meta["name"])}</span></span>', by_rule[code])
        for code, meta in data["rules"].items()
    ]
    # Most findings first: the posts that need a reviewer most head the list.
    order = sorted(range(len(by_post)),
                   key=lambda i: (-sum(by_post[i].values()), data["posts"][i]["path"]))
    paths = [p["path"] for p in data["posts"]]
    prefix = common_folder(paths)
    post_rows = [
        (str(i), f'<a href="#post-{i}" class="post-link" title="{_e(paths[i])}">'
                 f"{_e(paths[i][len(prefix):])}</a>", by_post[i])
        for i in order
    ]
    return (
        '<div class="summary-grid">'
        + summary_table("severity", "By severity", sev_rows)
        + summary_table("rule", "By rule", rule_rows, scroll=True)
        + summary_table("post", "By post", post_rows, scroll=True,
                        note=f"in {prefix}" if prefix else "")
        + "</div>"
    )


def common_folder(paths: Sequence[str]) -> str:
    """The folder every path is in ("a/b/" for "a/b/x.md" and "a/b/c/y.md"), or ""."""
    if len(paths) < 2:
        return ""
    common = paths[0].split("/")[:-1]
    for path in paths[1:]:
        parts = path.split("/")[:-1]
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return "".join(f"{part}/" for part in common)


def headline(data: Mapping[str, Any]) -> str:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in data["findings"]:
        counts[f["severity"]] += 1
    posts = data["posts"]
    flagged = sum(1 for p in posts if p["findings"])
    claims = sum(len(p["claims"]) for p in posts)
    fair = sum(1 for p in posts for c in p["claims"] if not c["findings"])
    parts = ", ".join(f'<span class="count sev-{s}" id="total-{s}">{counts[s]}</span> '
                      f"{PLURAL[s] if counts[s] != 1 else s}" for s in SEVERITIES)
    text = (f'<strong id="total-findings">{len(data["findings"])}</strong> findings ({parts}) '
            f'in <strong id="total-posts">{len(posts)}</strong> posts, {flagged} with findings.')
    if claims:
        text += f" {claims} claims found, {fair} with no finding."
    if data["failed_paths"]:
        text += (f' <span class="failed">{len(data["failed_paths"])} file(s) could not be '
                 "read (CL900).</span>")
    return text


def filters(data: Mapping[str, Any]) -> str:
    counts = dict.fromkeys(SEVERITIES, 0)
    per_rule = dict.fromkeys(data["rules"], 0)
    for f in data["findings"]:
        counts[f["severity"]] += 1
        per_rule[f["rule"]] += 1
    sev = "".join(
        f'<label class="check"><input type="checkbox" name="severity" value="{s}" checked>'
        f' <span class="pill sev-{s}">{s}</span> <span class="muted">{counts[s]}</span></label>'
        for s in SEVERITIES
    )
    rule = "".join(
        f'<label class="check" title="{_e(meta["summary"])}"><input type="checkbox" name="rule" '
        f'value="{_e(code)}" checked> <code>{_e(code)}</code> {_e(meta["name"])} '
        f'<span class="muted">{per_rule[code]}</span></label>'
        for code, meta in data["rules"].items()
    ) or '<span class="muted">No findings.</span>'
    options = "".join(f'<option value="{i}">{_e(p["path"])}</option>'
                      for i, p in enumerate(data["posts"]))
    return (
        '<form id="filters" class="card filters" autocomplete="off">'
        '<fieldset class="filter-sev"><legend>Severity</legend>'
        f'<div class="checks">{sev}</div></fieldset>'
        '<fieldset class="filter-rule"><legend>Rule '
        '<button type="button" class="link" data-rules="all">all</button> · '
        '<button type="button" class="link" data-rules="none">none</button></legend>'
        f'<div class="checks rules">{rule}</div></fieldset>'
        '<fieldset class="filter-post"><legend>Post</legend>'
        f'<select name="post" id="post-filter"><option value="-1">All posts</option>{options}'
        '</select><label class="check"><input type="checkbox" name="hide-clean"> Hide posts '
        'with no shown findings</label>'
        '<button type="reset" class="button">Reset filters</button></fieldset>'
        "</form>"
    )


def _asset(name: str) -> str:
    text = (files("claimlint.report") / "assets" / name).read_text(encoding="utf-8")
    # Inlined verbatim, so the asset itself must not be able to end its element early.
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"assets/{name} must not contain a closing </script> or </style> tag")
    return text


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() \
        + "'"


def render_html(result: LintResult, rules: Mapping[str, RuleMeta], tool_version: str,
                generated: str | None = None) -> str:
    """The whole page. ``generated`` (e.g. a timestamp) is shown only when given."""
    data = build_data(result, rules, tool_version, generated)
    css = _asset("report.css")
    js = _asset("report.js")
    # Only these two inline blocks may run or apply; nothing may be fetched from anywhere.
    csp = (f"default-src 'none'; script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    nfind, nposts = len(data["findings"]), len(data["posts"])
    meta = f"claimlint {_e(tool_version)}"
    if generated:
        meta += f" · generated {_e(generated)}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>claimlint report: {nfind} findings in {nposts} posts</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        '<header class="top"><div class="top-inner"><h1>Medical claims review</h1>'
        f'<p class="meta">{meta}</p></div></header>\n'
        '<main class="page">\n'
        f'<p class="headline">{headline(data)}</p>\n'
        "<noscript><p class=\"card notice\">Scripts are off: the summary below is complete, "
        "but the posts, filters and claim details need JavaScript.</p></noscript>\n"
        f"{summary(data)}\n"
        f"{filters(data)}\n"
        '<p class="status" id="status" aria-live="polite">Showing '
        f'<strong id="shown-count">{nfind}</strong> of {nfind} findings in '
        f'<strong id="shown-posts">{nposts}</strong> of {nposts} posts.</p>\n'
        '<div class="review">\n<section class="posts" id="posts" aria-label="Posts">'
        '<div class="posts-bar"><h2>Posts</h2><div class="legend">'
        '<span class="hl sev-error">error</span><span class="hl sev-warning">warning</span>'
        '<span class="hl sev-info">info</span><span class="hl fair">claim with no finding</span>'
        '</div><div class="post-actions"><button type="button" class="button" id="expand-all">'
        'Expand all</button><button type="button" class="button" id="collapse-all">Collapse all'
        "</button></div></div>"
        '<div id="post-list"></div></section>\n'
        '<aside class="detail card" id="detail" aria-live="polite"><p class="placeholder">'
        "Click a highlighted claim or a finding to see why it was flagged, the evidence and "
        "a fair wording.</p></aside>\n</div>\n</main>\n"
        f'<script type="application/json" id="claimlint-data">{script_json(data)}</script>\n'
        f"<script>{js}</script>\n</body>\n</html>\n"
    )


def report(
    result: LintResult,
    stream: TextIO,
    *,
    rules: Mapping[str, RuleMeta],
    color: bool,
    tool_version: str,
) -> None:
    stream.write(render_html(result, rules, tool_version))
