"""Train the overclaim sentence classifier on the dev part of the corpus and ship it.

    .venv/bin/python scripts/train_classifier.py            # writes src/claimlint/nlp/classifier
    .venv/bin/python scripts/train_classifier.py --check    # exit 1 if the shipped weights differ

The training sentences are the linter's own sentences (so training and use see the same text),
labelled by the corpus segments they overlap: an overclaim if any high-confidence segment under
it is one. Only the dev split is read; the test split stays unseen. The model is spaCy's
bag-of-words ``textcat_multilabel`` (unigrams and bigrams, no vectors, no download). Seeds, data
order and thread count are fixed, so the same corpus and pipeline give the same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from claimlint.config import Settings
from claimlint.engine import Linter
from claimlint.evaluate import Post, load_corpus
from claimlint.nlp.classifier import LABEL, MODEL_PATH, create_component

ROOT = Path(__file__).resolve().parent.parent
EPOCHS = 12
BATCH = 16
DROPOUT = 0.2
SEED = 0


def examples(linter: Linter, posts: list[Post]) -> list[tuple[str, bool]]:
    """(sentence, is overclaim) for every sentence of ``posts`` under high-confidence labels."""
    out: list[tuple[str, bool]] = []
    for post in posts:
        document = linter.read(str(post.path))
        for block, doc in zip(document.blocks, linter.nlp.pipe(b.text for b in document.blocks),
                              strict=True):
            for sent in doc.sents:
                if not sent.text.strip():
                    continue
                start, end = block.offsets.source_span(sent.start_char, sent.end_char)
                under = [s for s in post.segments if s.start < end and start < s.end]
                if under and all(s.confidence == "high" for s in under):
                    out.append((sent.text, any(s.overclaim for s in under)))
    return out


def train(nlp: Language, data: list[tuple[str, bool]]) -> Any:
    """A textcat trained on ``data``, tokenized by the linter's own pipeline ``nlp``."""
    fix_random_seed(SEED)
    textcat = create_component(nlp)
    textcat.add_label(LABEL)
    train_set = [Example.from_dict(nlp.make_doc(text), {"cats": {LABEL: float(y)}})
                 for text, y in data]
    optimizer = textcat.create_optimizer()
    textcat.initialize(lambda: train_set, nlp=nlp)
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(train_set)
        for batch in minibatch(train_set, BATCH):
            textcat.update(batch, sgd=optimizer, drop=DROPOUT)
    return textcat


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare with the shipped weights instead of writing")
    args = parser.parse_args(argv)
    linter = Linter(Settings(classifier=False))
    data = examples(linter, load_corpus(args.corpus, ["dev"]))
    textcat = train(linter.nlp, data)
    positives = sum(y for _, y in data)
    print(f"trained on {len(data)} dev sentences ({positives} overclaims)", file=sys.stderr)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            textcat.to_disk(tmp, exclude=["vocab"])
            if not same_tree(Path(tmp), args.out):
                print(f"{args.out} is stale: rerun scripts/train_classifier.py", file=sys.stderr)
                return 1
        return 0
    if args.out.exists():
        shutil.rmtree(args.out)
    textcat.to_disk(args.out, exclude=["vocab"])
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
