"""Cross-validate the overclaim classifier on the dev part of the corpus (never the test part).

    .venv/bin/python scripts/cv_classifier.py                 # 5 folds, shipped settings
    .venv/bin/python scripts/cv_classifier.py --flag 0.5 --fair 0.15 --model ensemble

The dev posts are split into folds by post (stratified by domain, fixed seed). For each fold a
classifier is trained on the other folds with ``train_classifier.train`` and the whole linter
(rules and that classifier) lints the held-out fold; the folds' findings are then scored
together with ``claimlint.evaluate.score``. This is how the thresholds and the model in
``claimlint.nlp.classifier`` were chosen. The rules themselves were tuned on all of dev, so the
absolute numbers flatter the linter; the comparison between settings is what this is for.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import claimlint.engine as engine
import claimlint.rules.classifier_rules as classifier_rules
from claimlint.config import Settings
from claimlint.engine import Linter
from claimlint.evaluate import Post, Report, load_corpus, render_text, score
from claimlint.findings import Finding
from claimlint.nlp import classifier as classifier_module
from claimlint.nlp.classifier import OverclaimClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_classifier import examples, train

ROOT = Path(__file__).resolve().parent.parent

# Alternatives to the shipped bag of words, for comparison. The ensemble adds a small CNN over
# hashed word shapes and affixes (no vectors), which may carry to words the dev posts never used.
MODELS: dict[str, dict[str, Any]] = {
    "bow": classifier_module.MODEL_CONFIG,
    "bow3": {**classifier_module.MODEL_CONFIG, "ngram_size": 3},
    "bow1": {**classifier_module.MODEL_CONFIG, "ngram_size": 1},
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "nO": None,
        "linear_model": {**classifier_module.MODEL_CONFIG, "nO": None},
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64,
                      "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                      "rows": [5000, 1000, 2500, 500], "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64,
                       "window_size": 1, "maxout_pieces": 3, "depth": 2},
        },
    },
}


def folds(posts: list[Post], k: int, seed: int) -> list[list[Post]]:
    out: list[list[Post]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    i = 0
    for domain in sorted({p.domain for p in posts}):
        group = sorted((p for p in posts if p.domain == domain), key=lambda p: p.name)
        rng.shuffle(group)
        for post in group:
            out[i % k].append(post)
            i += 1
    return out


def lint(linter: Linter, posts: list[Post]) -> dict[str, list[Finding]]:
    by_path = {str(p.path): p.name for p in posts}
    found: dict[str, list[Finding]] = {p.name: [] for p in posts}
    for f in linter.lint_documents([linter.read(str(p.path)) for p in posts]):
        found[by_path[f.path]].append(f)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", choices=sorted(MODELS), default="bow")
    parser.add_argument("--flag", type=float, default=classifier_module.FLAG_THRESHOLD)
    parser.add_argument("--fair", type=float, default=classifier_module.FAIR_THRESHOLD)
    parser.add_argument("--uncued", type=float, default=classifier_module.UNCUED_THRESHOLD)
    parser.add_argument("--heading", type=float, default=classifier_module.HEADING_THRESHOLD,
                        help="the threshold for a heading or title no cue word matched")
    parser.add_argument("--demote", choices=["language", "generic"], default="generic",
                        help="which warnings the classifier may show as info: the language "
                             "rules' only, or the catch-all registry entry's too (shipped)")
    parser.add_argument("--confident", type=float, default=classifier_module.CONFIDENT_THRESHOLD)
    parser.add_argument("--no-soften", action="store_true",
                        help="keep a rule's error an error when the classifier reads the "
                             "sentence as fair (shipped: shown as a warning)")
    parser.add_argument("--no-classifier", action="store_true", help="rules only, for reference")
    parser.add_argument("--mistakes", action="store_true",
                        help="list the false positives and negatives")
    args = parser.parse_args(argv)
    classifier_module.MODEL_CONFIG = MODELS[args.model]
    classifier_rules.FLAG_THRESHOLD = args.flag
    engine.FAIR_THRESHOLD = args.fair
    engine.DEMOTE_GENERIC = args.demote == "generic"
    engine.SOFTEN_ERRORS = not args.no_soften
    classifier_rules.CONFIDENT_THRESHOLD = args.confident
    classifier_rules.UNCUED_THRESHOLD = args.uncued
    classifier_rules.HEADING_THRESHOLD = args.heading

    base = Linter(Settings(classifier=False))
    posts = load_corpus(args.corpus, ["dev"])
    found: dict[str, list[Finding]] = {}
    for held_out in folds(posts, args.k, args.seed):
        if args.no_classifier:
            found.update(lint(base, held_out))
            continue
        names = {p.name for p in held_out}
        textcat = train(base.nlp, examples(base, [p for p in posts if p.name not in names]))
        with tempfile.TemporaryDirectory() as tmp:
            textcat.to_disk(tmp, exclude=["vocab"])
            model = OverclaimClassifier(base.nlp, Path(tmp))
        linter = Linter(Settings(classifier=True), registry=base.registry, classifier=model)
        found.update(lint(linter, held_out))
    report: Report = score(posts, found)
    if not args.mistakes:
        report.errors.clear()
    rules_only = " --no-classifier" if args.no_classifier else ""
    title = (f"cv_classifier -k {args.k} --model {args.model} --flag {args.flag} "
             f"--fair {args.fair} --uncued {args.uncued} --heading {args.heading} "
             f"--confident {args.confident} "
             f"--demote {args.demote}{' --no-soften' if args.no_soften else ''}{rules_only}")
    sys.stdout.write(render_text(report, title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
