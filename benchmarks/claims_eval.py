#!/usr/bin/env python3
"""Precision and recall of claim extraction against hand-written expectations.

    .venv/bin/python benchmarks/claims_eval.py                      # seeds corpus
    .venv/bin/python benchmarks/claims_eval.py --corpus tests/data/reports/expected.json \\
        --texts tests/data/reports                                  # the test reports
    .venv/bin/python benchmarks/claims_eval.py --json               # machine-readable
    .venv/bin/python benchmarks/claims_eval.py --dev                # the 30 real pages

``--dev`` scores the development set of real pages (``../shared/reports/corpus.json``)
on their texts in ``benchmarks/.pages/`` (git-ignored: third-party pages). Retrieve each
page by the query and URL in ``../shared/reports/sources.json`` and save it with
``benchmarks/save_page.py``, which strips the search result's date marker and checks the
sha256. Results are given per language too (``en+ko`` counts as English).

The expectations (``seeds/corpus.json`` by default) list, per report file, the claims a
careful reader finds: the offsets of the equipment mention and the site, equipment
class, count, action and date. The texts are read from ``--texts`` (default
``../shared/seeds``; they are not in the repository).

An extracted claim is *paired* with an expected one when their equipment mentions
overlap, one to one, the pairing chosen as a whole: the most correct pairs, then the most
pairs, then the most agreeing fields. A pair is
*correct* when site, equipment, count (number and qualifier), action and date range
all agree. Precision = correct / extracted, recall = correct / expected. Per-field
accuracy is over the pairs. Claims of modality ``denied`` ("no ships have docked") are
left out: the expectations list what reports assert. With ``--dev`` only claims imagery
could check are scored (:attr:`Claim.checkable`: no troops, no unwatched places), as the
gold of the real pages lists only those.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import Report, read_report

REPO = Path(__file__).resolve().parents[1]
FIELDS = ("site", "equipment", "count", "action", "date")


def _fields(claim: Claim) -> dict[str, Any]:
    return {
        "site": claim.site,
        "equipment": claim.equipment,
        "count": (claim.count, claim.count_qualifier),
        "action": claim.action,
        "date": (claim.date_from, claim.date_to),
    }


# a qualifier some writers of the expectations spelled out: the extractor's name for it
QUALIFIER_NAMES = {"approximately": "about"}


def _expected_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    def day(v: str | None) -> dt.date | None:
        return dt.date.fromisoformat(v) if v else None

    qualifier = item["count_qualifier"]
    return {
        "site": item["site"],
        "equipment": item["equipment"],
        "count": (item["count"], QUALIFIER_NAMES.get(qualifier, qualifier)),
        "action": item["action"],
        "date": (day(item.get("date_from")), day(item.get("date_to"))),
    }


# weights of the pairing: a correct pair outweighs any number of other pairs, a pair any
# number of agreeing fields (at most len(FIELDS) per pair)
_PAIR_WEIGHT = 10.0
_RIGHT_WEIGHT = 1e6


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_report(expected: Sequence[Mapping[str, Any]], claims: Sequence[Claim]) -> dict[str, Any]:
    """Pair extracted claims with expected ones and count what is right.

    The pairing is one to one between overlapping mentions and chosen as a whole
    (``scipy.optimize.linear_sum_assignment``): as many correct pairs as possible, then
    as many pairs, then as many agreeing fields. Taking the expected claims in their
    listed order instead could give a right claim to the wrong one of two claims its
    mention carries ("left Hmeimim for Tartus": departing and arriving) and score it
    wrong.
    """
    want = [_expected_fields(item) for item in expected]
    got = [_fields(c) for c in claims]
    spans = [(int(item["start"]), int(item["end"])) for item in expected]
    weight = np.zeros((len(expected), len(claims)))
    for e, span in enumerate(spans):
        for c, claim in enumerate(claims):
            if _overlap(claim.equipment_span, span):
                agree = sum(got[c][f] == want[e][f] for f in FIELDS)
                weight[e, c] = _PAIR_WEIGHT + agree + (_RIGHT_WEIGHT if agree == len(FIELDS) else 0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    partner = {int(e): int(c) for e, c in zip(rows, cols, strict=True) if weight[e, c] > 0}
    paired_with = {c: e for e, c in partner.items()}
    unused = sorted(set(range(len(claims))) - set(paired_with))
    claim_correct = [False] * len(claims)
    pairs: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    for e, item in enumerate(expected):
        if e not in partner:
            missed.append(dict(item))
            continue
        best = partner[e]
        agree = {f: got[best][f] == want[e][f] for f in FIELDS}
        claim_correct[best] = all(agree.values())
        pairs.append(
            {
                "anchor": item.get("anchor"),
                "span": list(spans[e]),
                "claim": claims[best].summary,
                "agree": agree,
                "correct": all(agree.values()),
                "wrong": {f: [str(got[best][f]), str(want[e][f])] for f in FIELDS if not agree[f]},
            }
        )
    return {
        "expected": len(expected),
        "extracted": len(claims),
        "correct": sum(p["correct"] for p in pairs),
        "pairs": pairs,
        "missed": [f"{m.get('anchor')} ({m['site']}, {m['action']})" for m in missed],
        "missed_spans": [[int(m["start"]), int(m["end"])] for m in missed],
        "spurious": [claims[i].summary for i in unused],
        "spurious_spans": [list(claims[i].equipment_span) for i in unused],
        "claim_correct": claim_correct,
        # for each extracted claim, the index of the expected claim it is paired with
        "claim_expected": [paired_with.get(i, -1) for i in range(len(claims))],
    }


def graded_reports(
    corpus: Path,
    texts: Path,
    *,
    checkable_only: bool = False,
    rate: bool = True,
    model_dates: bool = True,
) -> Iterator[tuple[Mapping[str, Any], Report, tuple[Claim, ...], dict[str, Any]]]:
    """Each report of ``corpus`` whose text is in ``texts``: its entry, the report, the
    claims scored (no denials; with ``checkable_only`` only those imagery could check;
    ``rate``: with their confidence; ``model_dates``: dated by the date model, else by
    the rules alone) and :func:`score_report`'s result."""
    doc = json.loads(corpus.read_text(encoding="utf-8"))
    for entry in doc["reports"]:
        path = texts / entry["file"]
        report = read_report(path, published=entry.get("published"))
        if entry.get("id") and report.id != entry["id"]:
            raise SystemExit(
                f"{path}: text differs from the one the expectations were written for "
                f"(id {report.id}, expected {entry['id']})"
            )
        # the expectations list what reports assert (absences included), not denials
        claims = tuple(
            c
            for c in extract_claims(report, rate=rate, model_dates=model_dates)
            if c.modality != "denied"
        )
        if checkable_only:
            claims = tuple(c for c in claims if c.checkable)
        yield entry, report, claims, score_report(entry["claims"], claims)


def evaluate(corpus: Path, texts: Path, *, checkable_only: bool = False) -> dict[str, Any]:
    """Score every report of ``corpus`` whose text is in ``texts``; with
    ``checkable_only``, only the claims imagery could check (:attr:`Claim.checkable`),
    as the gold of the real pages lists only those."""
    per_report: dict[str, Any] = {}
    totals = {"expected": 0, "extracted": 0, "correct": 0}
    by_lang: dict[str, dict[str, Any]] = {}
    field_right = dict.fromkeys(FIELDS, 0)
    n_pairs = 0
    for entry, report, _claims, result in graded_reports(
        corpus, texts, checkable_only=checkable_only
    ):
        result["language"] = str(entry.get("language", "?"))
        result["text"] = report.text
        per_report[entry["file"]] = result
        lang = str(entry.get("language", "?")).split("+")[0]
        mine = by_lang.setdefault(
            lang,
            {"expected": 0, "extracted": 0, "correct": 0, "pairs": 0, **dict.fromkeys(FIELDS, 0)},
        )
        for k in totals:
            totals[k] += result[k]
            mine[k] += result[k]
        for p in result["pairs"]:
            n_pairs += 1
            mine["pairs"] += 1
            for f in FIELDS:
                field_right[f] += p["agree"][f]
                mine[f] += p["agree"][f]
    precision = totals["correct"] / totals["extracted"] if totals["extracted"] else 0.0
    recall = totals["correct"] / totals["expected"] if totals["expected"] else 0.0
    return {
        "corpus": str(corpus),
        "texts": str(texts),
        **totals,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
        "field_accuracy": {
            f: round(field_right[f] / n_pairs, 4) if n_pairs else 0.0 for f in FIELDS
        },
        "languages": {lang: _rates(v) for lang, v in sorted(by_lang.items())},
        "reports": per_report,
    }


def _rates(t: Mapping[str, int]) -> dict[str, Any]:
    """Precision, recall and per-field accuracy of one language's totals."""
    p = t["correct"] / t["extracted"] if t["extracted"] else 0.0
    r = t["correct"] / t["expected"] if t["expected"] else 0.0
    return {
        "expected": t["expected"],
        "extracted": t["extracted"],
        "correct": t["correct"],
        "precision": round(p, 4),
        "recall": round(r, 4),
        "field_accuracy": {f: round(t[f] / t["pairs"], 4) if t["pairs"] else 0.0 for f in FIELDS},
    }


_QUOTE_CONTEXT = 110  # characters of text either side of a claim's mention


def _quoter(text: str) -> Any:
    """A function giving the text around a span, on one indented line."""

    def quote(span: Sequence[int]) -> str:
        a, b = int(span[0]), int(span[1])
        before = text[max(0, a - _QUOTE_CONTEXT) : a].replace("\n", " / ")
        after = text[b : b + _QUOTE_CONTEXT].replace("\n", " / ")
        return f"\n           ...{before}[[{text[a:b]}]]{after}..."

    return quote


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "seeds" / "corpus.json")
    ap.add_argument("--texts", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument(
        "--dev", action="store_true", help="the real development pages (see the module doc)"
    )
    ap.add_argument(
        "--checkable",
        action="store_true",
        help="score only the claims imagery could check (a monitored site, objects a sensor "
        "sees), as the gold rules of ../shared/reports/ list them; --dev implies it",
    )
    ap.add_argument(
        "--explain",
        action="store_true",
        help="quote the text around each wrong, missed and extra claim",
    )
    ap.add_argument("--only", default=None, help="only reports whose file name contains this")
    ap.add_argument("--lang", default=None, help="only reports in this language (e.g. en)")
    args = ap.parse_args(argv)
    if args.dev:
        args.corpus = REPO.parent / "shared" / "reports" / "corpus.json"
        args.texts = REPO / "benchmarks" / ".pages"
    if not args.texts.is_dir():
        print(f"error: report texts not found in {args.texts} (give --texts DIR)", file=sys.stderr)
        return 2
    res = evaluate(args.corpus, args.texts, checkable_only=args.dev or args.checkable)
    if args.json:
        for r in res["reports"].values():
            r.pop("text", None)
        print(json.dumps(res, indent=2, default=str))
        return 0
    print(f"corpus {res['corpus']}  texts {res['texts']}")
    for name, r in res["reports"].items():
        if args.only and args.only not in name:
            continue
        if args.lang and r["language"].split("+")[0] != args.lang:
            continue
        counts = f"expected {r['expected']}, extracted {r['extracted']}, correct {r['correct']}"
        print(f"  {name}: {counts}")
        quote = _quoter(r["text"]) if args.explain else (lambda _span: "")
        for p in r["pairs"]:
            if not p["correct"]:
                wrong = "; ".join(f"{f}: got {g}, want {w}" for f, (g, w) in p["wrong"].items())
                print(f"    wrong  {p['anchor']!r}: {wrong}{quote(p['span'])}")
        for m, span in zip(r["missed"], r["missed_spans"], strict=True):
            print(f"    missed {m}{quote(span)}")
        for s, span in zip(r["spurious"], r["spurious_spans"], strict=True):
            print(f"    extra  {s}{quote(span)}")
    acc = ", ".join(f"{f} {v:.2f}" for f, v in res["field_accuracy"].items())
    print(
        f"claims: precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
        f"F1 {res['f1']:.3f}  ({res['correct']} correct of {res['extracted']} extracted, "
        f"{res['expected']} expected)"
    )
    print(f"field accuracy on paired claims: {acc}")
    for lang, r in res["languages"].items():
        acc = ", ".join(f"{f} {v:.2f}" for f, v in r["field_accuracy"].items())
        print(
            f"  {lang}: precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"({r['correct']} correct of {r['extracted']} extracted, {r['expected']} "
            f"expected); fields: {acc}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
