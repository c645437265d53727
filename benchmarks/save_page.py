#!/usr/bin/env python3
"""Save one retrieved real page for ``claims_eval.py --dev``, checked against sources.json.

    .venv/bin/python benchmarks/save_page.py 000_fakti-bg-en.txt < excerpt.json

Reads the page's text as the public web-page collection returned it (a JSON string on
standard input, as the search result gives it: the query and URL of each page are in
``../shared/reports/sources.json``), strips a leading `` date YYYY-MM[-DD] `` marker,
checks the sha256 that ``sources.json`` records and writes ``benchmarks/.pages/<file>``
(git-ignored: third-party copyrighted text).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "reports" / "sources.json"
PAGES = REPO / "benchmarks" / ".pages"
_MARKER = re.compile(r"^ date \d{4}-\d{2}(?:-\d{2})? ")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    name = argv[0]
    sources = {p["file"]: p for p in json.loads(SOURCES.read_text(encoding="utf-8"))}
    if name not in sources:
        print(f"error: {name} is not a page of {SOURCES}", file=sys.stderr)
        return 2
    text = json.loads(sys.stdin.read())
    text = _MARKER.sub("", text, count=1)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != sources[name]["sha256"]:
        print(f"error: {name}: sha256 {digest} differs from sources.json", file=sys.stderr)
        return 1
    PAGES.mkdir(parents=True, exist_ok=True)
    (PAGES / name).write_text(text, encoding="utf-8")
    print(f"{PAGES / name}: {len(text)} characters, sha256 checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
