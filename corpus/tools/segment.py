"""Print a label skeleton for a corpus post: segments that tile the decoded text.

    python corpus/tools/segment.py corpus/posts/NAME.md > corpus/labels/NAME.md.json

Every segment starts as claim=false; the annotator then marks claims, overclaims and their
categories by reading the post, never by running the linter on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from claimlint.documents import decode
from claimlint.evaluate import segment_text


def main(path: str, domain: str, therapy: str) -> None:
    post = Path(path)
    text = decode(path, post.read_bytes())
    segments = [{"start": s, "end": e, "text": text[s:e], "claim": False, "overclaim": False,
                 "categories": [], "confidence": "high"} for s, e in segment_text(text)]
    json.dump({"post": post.name, "domain": domain, "therapy": therapy, "segments": segments},
              sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: segment.py POST DOMAIN(ketamine|other) THERAPY")
    main(*sys.argv[1:])
