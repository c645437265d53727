#!/usr/bin/env python3
"""How well reports retelling one story are grouped as one source, on the real pages.

    .venv/bin/python benchmarks/stories_eval.py            # the 30 real pages
    .venv/bin/python benchmarks/stories_eval.py --pairs    # every same-story pair's score

``../shared/reports/corpus.json`` gives each real page a ``story_group`` (syndicated
copies, translations, rewrites of one story share one). Their texts are read from the
git-ignored ``benchmarks/.pages/`` (see ``claims_eval.py --dev`` for how to save them).
:func:`basewatch.corroborate.stories.group_near_duplicates`, as ``basewatch corroborate``
calls it, groups the pages; every pair of pages is then counted: grouped and of one
story (right), grouped but of two stories (a source lost), of one story but not grouped
(a retelling counted as a second source). Nothing was tuned on these pages: the grouping
threshold and measures were chosen on the seeds and the test retellings
(``tests/data/reports/``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

from basewatch.corroborate.reports import read_report
from basewatch.corroborate.stories import group_near_duplicates, report_similarity

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "reports" / "corpus.json"
TEXTS = REPO / "benchmarks" / ".pages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--pairs", action="store_true", help="print every same-story pair")
    args = parser.parse_args(argv)
    doc = json.loads(args.corpus.read_text(encoding="utf-8"))
    pages, story, missing = [], {}, []
    for entry in doc["reports"]:
        path = args.texts / entry["file"]
        if not path.is_file():
            missing.append(entry["file"])
            continue
        report = read_report(path, published=entry.get("published"))
        pages.append((report, entry))
        story[report.id] = entry["story_group"]
    if missing:
        print(f"{len(missing)} page texts missing in {args.texts} (left out)", file=sys.stderr)
    groups = group_near_duplicates([r for r, _ in pages])
    grouped = {rid: g.id for g in groups for rid in g.report_ids}
    right = lost = split = 0
    same_pairs = []
    for (a, ea), (b, eb) in itertools.combinations(pages, 2):
        one_story, one_group = story[a.id] == story[b.id], grouped[a.id] == grouped[b.id]
        right += one_story and one_group
        lost += one_group and not one_story
        split += one_story and not one_group
        if one_story:
            langs = f"{ea.get('language', '?')}/{eb.get('language', '?')}"
            same_pairs.append((report_similarity(a, b), ea["file"], eb["file"], langs))
    stories = len(set(story.values()))
    print(
        f"{len(pages)} pages, {stories} stories; grouped as {len(groups)} sources "
        f"(each story one source would give {stories})"
    )
    print(
        f"same-story pairs grouped: {right} of {right + split} (recall "
        f"{right / max(1, right + split):.2f}); pairs of two stories grouped: {lost}"
    )
    if args.pairs:
        for score, fa, fb, langs in sorted(same_pairs, reverse=True):
            print(f"  {score:.3f}  {fa}  {fb}  ({langs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
