"""Train the claims' date model, and measure it on sets it was never trained on.

The extractor's rules date each claim; :mod:`basewatch.corroborate.dating` then weighs
every date the report gives, and "no date", with a boosted tree ensemble and keeps the
rules' date unless the model scores another higher. This script trains that ensemble on
the development sets of ``tests/data/claims_multilingual/`` (:data:`TRAINING`): for each
claim the rules make there that pairs with a gold claim (the pairing of
``claims_eval.py``), every candidate of :func:`~basewatch.corroborate.dating.candidate_features`
is a positive example where it is the gold date and a negative one otherwise (claims
whose gold date is none of the candidates are left out). The parameters are fixed below,
not searched.

The figures reported are those of the measurement sets (:data:`MEASURED`), whose errors
nobody changing the extractor reads and which never enter the training: among their
claims paired with a gold claim, how many carry the gold date with the rules' dates and
with the model's, and how many claims are right in every field either way; the same
in-sample for the training sets, marked as such.

Usage::

    .venv/bin/python benchmarks/train_claim_dates.py           # trains, writes the model
    .venv/bin/python benchmarks/train_claim_dates.py --check   # retrains, writes nothing
    .venv/bin/python benchmarks/train_claim_dates.py --report  # the shipped one's figures
    .venv/bin/python benchmarks/train_claim_dates.py --cross-validate  # within the dev sets

Deterministic (the claims are a pure function of the texts; the trees' seed is fixed).
Needs scikit-learn (``pip install -e .[dev]``); the package reads the model with numpy
alone. When the extractor's rules change, retrain, then refit the confidence model
(``train_claim_confidence.py``), which grades the claims as this model dates them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import claims_eval
from basewatch.corroborate.claims import Claim, date_mentions, sentence_cues, sentence_spans
from basewatch.corroborate.dating import (
    FEATURES,
    MODEL_FILE,
    SentenceCues,
    candidate_features,
    choose_dates,
)
from basewatch.detect.classify import VesselClassifier, ensemble_document

REPO = Path(__file__).resolve().parents[1]
SETS = REPO / "tests" / "data" / "claims_multilingual"
MODEL_PATH = REPO / "src" / "basewatch" / "corroborate" / "models" / MODEL_FILE
MODEL_VERSION = "2.0.0"

#: The development sets (their errors were read while writing the rules).
TRAINING: tuple[str, ...] = tuple(f"dev{n}" for n in ("", *range(2, 61)))
#: The measurement sets: never read, never trained on (``holdout67/`` was run once, after
#: session 50's date model, ``holdout68/`` once after session 51's; both are held out of
#: the confidence model too).
MEASURED: tuple[str, ...] = tuple(f"holdout{n}" for n in ("", *range(2, 19), 67, 68))

#: The ensemble's parameters: the vessel model's, with 400 trees of 31 leaves (the best
#: of 200/400/800 trees of 15/31 leaves by the development sets' out-of-fold figures,
#: ``--cross-validate``; CLAIM_DATES.md).
PARAMETERS: dict[str, Any] = {
    "max_iter": 400,
    "max_leaf_nodes": 31,
    "learning_rate": 0.05,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}


@dataclass(frozen=True)
class ReportClaims:
    """One report's rule-dated claims, their candidates and the gold dates."""

    text: str
    published: dt.date | None
    sentences: list[tuple[int, int]]
    mentions: list[Any]
    claims: tuple[Claim, ...]
    gold: list[tuple[dt.date | None, dt.date | None] | None]
    """Per claim: the gold claim's days (None where the claim pairs with none)."""
    right_but_date: list[bool]
    """Per claim: paired, and every field but the date as the gold gives it."""
    cues: list[SentenceCues]
    """Per sentence: what it tells of its source."""


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def set_reports(name: str) -> list[ReportClaims]:
    """The reports of one set, with the claims the rules alone date."""
    out = []
    corpus = SETS / name / "expected.json"
    for entry, report, claims, result in claims_eval.graded_reports(
        corpus, SETS / name, rate=False, model_dates=False
    ):
        gold: list[tuple[dt.date | None, dt.date | None] | None] = []
        right_but_date = []
        for claim, e in zip(claims, result["claim_expected"], strict=True):
            if e < 0:
                gold.append(None)
                right_but_date.append(False)
                continue
            item = entry["claims"][e]
            gold.append((_day(item.get("date_from")), _day(item.get("date_to"))))
            want = claims_eval._expected_fields(item)
            got = claims_eval._fields(claim)
            right_but_date.append(all(got[f] == want[f] for f in claims_eval.FIELDS if f != "date"))
        sentences = sentence_spans(report.text, report.body)
        out.append(
            ReportClaims(
                report.text,
                report.published,
                sentences,
                date_mentions(report),
                claims,
                gold,
                right_but_date,
                sentence_cues(report, sentences),
            )
        )
    return out


def examples(reports: Sequence[ReportClaims]) -> tuple[np.ndarray, np.ndarray]:
    """The candidates' features and labels of the paired claims whose gold date is
    among their candidates."""
    xs, ys = [], []
    for r in reports:
        per_claim = candidate_features(
            r.text, r.published, r.sentences, r.mentions, r.claims, r.cues
        )
        for (days, _, x), gold in zip(per_claim, r.gold, strict=True):
            if gold is None:
                continue
            want = None if gold == (None, None) else gold
            label = np.array([d == want for d in days], dtype=np.float64)
            if label.any():
                xs.append(x)
                ys.append(label)
    return np.concatenate(xs), np.concatenate(ys)


def fit_examples(x: np.ndarray, y: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**PARAMETERS).fit(x, y)


def fit(reports: Sequence[ReportClaims]) -> Any:
    return fit_examples(*examples(reports))


#: The counts :func:`figures` gives.
FIGURES = ("paired", "date_rules", "date_model", "right_rules", "right_model", "changed")


def figures(model: VesselClassifier, reports: Sequence[ReportClaims]) -> dict[str, int]:
    """Paired claims, and how many carry the gold date and are right in every field,
    dated by the rules and by the model, and how many dates the model changed."""
    f = dict.fromkeys(FIGURES, 0)
    for r in reports:
        dated = choose_dates(
            r.text, r.published, r.sentences, r.mentions, r.claims, r.cues, model=model
        )
        for rules, chosen, gold, others in zip(
            r.claims, dated, r.gold, r.right_but_date, strict=True
        ):
            if gold is None:
                continue
            f["paired"] += 1
            by_rules = (rules.date_from, rules.date_to) == gold
            by_model = (chosen.date_from, chosen.date_to) == gold
            f["date_rules"] += by_rules
            f["date_model"] += by_model
            f["right_rules"] += by_rules and others
            f["right_model"] += by_model and others
            f["changed"] += (rules.date_from, rules.date_to) != (chosen.date_from, chosen.date_to)
    return f


def print_figures(label: str, f: dict[str, int]) -> None:
    print(
        f"{label}: {f['paired']} paired claims; gold date {f['date_rules']} -> "
        f"{f['date_model']} (rules -> model); right in every field {f['right_rules']} -> "
        f"{f['right_model']}; {f['changed']} dates changed"
    )


def _summed(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    """Figures added up key by key."""
    total = dict.fromkeys(FIGURES, 0)
    for f in parts:
        for key in FIGURES:
            total[key] += f[key]
    return total


def pooled(model: VesselClassifier, groups: Iterable[Sequence[ReportClaims]]) -> dict[str, int]:
    """:func:`figures` summed over groups of reports."""
    return _summed(figures(model, reports) for reports in groups)


def training_reports() -> list[ReportClaims]:
    return [r for name in TRAINING for r in set_reports(name)]


def train(reports: Sequence[ReportClaims] | None = None) -> dict[str, Any]:
    """The model file's content, trained on ``reports`` (default: the training sets')."""
    import sklearn

    if reports is None:
        reports = training_reports()
    x, y = examples(reports)
    model = fit_examples(x, y)
    doc = ensemble_document(
        model,
        features=FEATURES,
        version=MODEL_VERSION,
        threshold=0.0,  # no threshold: the highest score among a claim's candidates wins
        info={
            "data": "tests/data/claims_multilingual/: " + ", ".join(f"{n}/" for n in TRAINING),
            "claims": int(sum(g is not None for r in reports for g in r.gold)),
            "candidates": len(y),
            "positives": int(y.sum()),
            "trainer": f"scikit-learn {sklearn.__version__} HistGradientBoostingClassifier",
            "parameters": PARAMETERS,
            "script": "benchmarks/train_claim_dates.py",
        },
    )
    return doc


def cross_validate(folds: int = 5) -> dict[str, int]:
    """Out-of-fold figures over the development sets: each fold of whole sets (every
    ``folds``-th set of :data:`TRAINING`) scored by a model trained on the others: the
    figures by which other features and sizes are weighed without the measurement sets."""
    by_set = {name: set_reports(name) for name in TRAINING}

    def fold(k: int) -> dict[str, int]:
        held = TRAINING[k::folds]
        model = fit([r for name in TRAINING if name not in held for r in by_set[name]])
        read = VesselClassifier.from_dict(
            ensemble_document(model, features=FEATURES, version="cv", threshold=0.0, info={})
        )
        return pooled(read, (by_set[name] for name in held))

    return _summed(fold(k) for k in range(folds))


def measure(
    model: VesselClassifier,
    without: Sequence[str] = (),
    training: Sequence[ReportClaims] | None = None,
) -> None:
    """Print the figures of the training sets (``training``: their reports, where
    already read) and of the measurement sets but those ``without``."""
    if training is None:
        training = training_reports()
    print_figures("training sets (in sample)", figures(model, training))
    measured = (
        set_reports(name) for name in MEASURED if name not in without and (SETS / name).is_dir()
    )
    print_figures("measurement sets (never trained on)", pooled(model, measured))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="retrain and compare; write nothing")
    ap.add_argument("--report", action="store_true", help="the shipped model's figures")
    ap.add_argument(
        "--without", action="append", default=[], metavar="SET", help="a set not to measure"
    )
    ap.add_argument(
        "--cross-validate",
        action="store_true",
        help="out-of-fold figures over the development sets (five folds of whole sets)",
    )
    args = ap.parse_args(argv)
    if args.cross_validate:
        print_figures("development sets, out of fold", cross_validate())
        return 0
    if args.report:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        measure(VesselClassifier.from_dict(shipped), args.without)
        return 0
    reports = training_reports()
    doc = train(reports)
    model = VesselClassifier.from_dict(doc)
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        same = shipped["trees"] == doc["trees"] and shipped["baseline"] == doc["baseline"]
        print("retrained model identical to the shipped one" if same else "models DIFFER")
        return 0 if same else 1
    tmp = MODEL_PATH.with_suffix(".json.part")
    tmp.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(MODEL_PATH)
    print(f"wrote {MODEL_PATH.relative_to(REPO)}")
    measure(model, args.without, reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
