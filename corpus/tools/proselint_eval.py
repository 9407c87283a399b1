"""Score proselint on the same corpus, the same way `claimlint eval` scores claimlint.

    pip install proselint
    python corpus/tools/proselint_eval.py corpus [--split test] [--format json]

Every proselint result counts as a warning at its span; spans are mapped back to the post's
decoded text. The scoring, tables and mistake lists are claimlint's own (claimlint.evaluate).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from proselint import tools
from proselint.checks import __register__
from proselint.registry import CheckRegistry

from claimlint.evaluate import load_corpus, render_text, score
from claimlint.findings import Finding, Severity


def proselint_findings(path: Path, text: str) -> list[Finding]:
    out = []
    for result in tools.LintFile(path.name, text).lint():
        # proselint pads the content with a leading newline; its spans count it.
        start, end = (max(0, x - 1) for x in result.check_result.span)
        out.append(Finding(path=str(path), line=result.pos[0], column=result.pos[1],
                           rule=result.check_result.check_path, end_line=result.pos[0],
                           end_column=result.pos[1], name=result.check_result.check_path,
                           severity=Severity.WARNING, message=result.check_result.message,
                           start_offset=start, end_offset=max(end, start + 1)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args()
    CheckRegistry().register_many(__register__)
    parts = ["dev", "test"] if args.split == "all" else [args.split]
    posts = load_corpus(args.corpus, parts)
    findings = {p.name: proselint_findings(p.path, p.text) for p in posts}
    report = score(posts, findings)
    if args.format == "json":
        print(json.dumps({"tool": "proselint", "split": args.split, **report.record()}, indent=2))
    else:
        print(render_text(report, f"proselint on {args.corpus} --split {args.split}"), end="")


if __name__ == "__main__":
    main()
