"""The claims' date model: its candidates and features, how it replaces the rules' date,
the shipped model, its effect on sets it was never trained on, and that retraining gives
the shipped model (``src/basewatch/corroborate/models/CLAIM_DATES.md``)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from basewatch.corroborate.claims import (
    date_mentions,
    extract_claims,
    sentence_cues,
    sentence_spans,
)
from basewatch.corroborate.dating import (
    FEATURES,
    SentenceCues,
    candidate_features,
    choose_dates,
    shipped_model,
)
from basewatch.corroborate.reports import parse_report
from basewatch.detect.classify import Tree, VesselClassifier

REPO = Path(__file__).resolve().parents[1]

TEXT = (
    "Satellite images taken on 13 December 2024 show two An-124 transport aircraft "
    "with their nose cones raised at Hmeimim air base.\n\n"
    "On 20 December a frigate left Tartus. Helicopters were being dismantled at "
    "Hmeimim."
)


def _report():  # type: ignore[no-untyped-def]
    return parse_report(TEXT, published=dt.date(2024, 12, 22))


def _one_split_model(feature: str) -> VesselClassifier:
    """A model that scores a candidate high exactly where ``feature`` is 1."""
    column = FEATURES.index(feature)
    tree = Tree(
        feature=np.array([column, 0, 0]),
        threshold=np.array([0.5, 0.0, 0.0]),
        left=np.array([1, 0, 0]),
        right=np.array([2, 0, 0]),
        missing_left=np.array([True, False, False]),
        is_leaf=np.array([False, True, True]),
        value=np.array([0.0, -3.0, 3.0]),
    )
    return VesselClassifier("test", FEATURES, 0.0, (tree,), 0.0)


def _inputs():  # type: ignore[no-untyped-def]
    report = _report()
    claims = extract_claims(report, rate=False, model_dates=False)
    return (
        report.text,
        report.published,
        sentence_spans(report.text, report.body),
        date_mentions(report),
        claims,
    )


def test_each_claim_weighs_no_date_every_date_given_and_the_rules_date() -> None:
    text, published, sentences, mentions, claims = _inputs()
    assert [m.days for m in mentions] == [
        (dt.date(2024, 12, 13), dt.date(2024, 12, 13)),
        (dt.date(2024, 12, 20), dt.date(2024, 12, 20)),
    ]
    assert text[mentions[0].start : mentions[0].end] == mentions[0].text
    per_claim = candidate_features(text, published, sentences, mentions, claims)
    assert len(per_claim) == len(claims) >= 3
    for claim, (days, told, x) in zip(claims, per_claim, strict=True):
        assert x.shape == (len(days), len(FEATURES))
        assert days[0] is None and told[0] is None
        assert {m.days for m in mentions} <= set(days)
        # the rules' own date is exactly one candidate
        rules = (claim.date_from, claim.date_to) if claim.date_from else None
        marked = [d for d, row in zip(days, x, strict=True) if row[FEATURES.index("is_rules")]]
        assert marked == [rules]
    # the frigate's date is in its own sentence, the aircraft's 20 December is after them
    frigate = next(i for i, c in enumerate(claims) if c.equipment == "frigate")
    days, _, x = per_claim[frigate]
    row = x[days.index((dt.date(2024, 12, 20), dt.date(2024, 12, 20)))]
    assert row[FEATURES.index("same_sentence")] == 1.0
    assert row[FEATURES.index("sentences_to")] == 0.0
    aircraft = next(i for i, c in enumerate(claims) if c.equipment == "an-124")
    days, _, x = per_claim[aircraft]
    later = x[days.index((dt.date(2024, 12, 20), dt.date(2024, 12, 20)))]
    assert later[FEATURES.index("before")] == 0.0
    assert later[FEATURES.index("sentences_to")] == 1.0
    assert later[FEATURES.index("paragraphs_to")] > 0


SOURCES = (
    "Satellite images taken on 13 December 2024 show two An-124 aircraft at Hmeimim. "
    "Officials said a frigate left Tartus. A Ka-52 was dismantled at Hmeimim."
)


def test_sentences_naming_a_source_or_pictures_between_a_date_and_a_claim_are_counted() -> None:
    report = parse_report(SOURCES, published=dt.date(2024, 12, 22))
    sentences = sentence_spans(report.text, report.body)
    cues = sentence_cues(report, sentences)
    assert cues == [
        SentenceCues(imagery=True),
        SentenceCues(reported=True),
        SentenceCues(),
    ]
    claims = extract_claims(report, rate=False, model_dates=False)
    mentions = date_mentions(report)
    per_claim = candidate_features(report.text, report.published, sentences, mentions, claims, cues)
    day = (dt.date(2024, 12, 13), dt.date(2024, 12, 13))

    def row(equipment: str) -> dict[str, float]:
        i = next(i for i, c in enumerate(claims) if c.equipment == equipment)
        days, _, x = per_claim[i]
        return dict(zip(FEATURES, x[days.index(day)], strict=True))

    aircraft, frigate, helicopter = row("an-124"), row("frigate"), row("ka-52")
    assert aircraft["reported_between"] == 0 and aircraft["date_imagery"] == 1
    # the officials' sentence counts for the frigate (its own) and the Ka-52 (after it)
    assert frigate["reported_between"] == 1 and frigate["claim_reported"] == 1
    assert helicopter["reported_between"] == 1 and helicopter["claim_reported"] == 0
    assert frigate["imagery_between"] == helicopter["imagery_between"] == 0
    # without cues nothing is told of any sentence
    bare = candidate_features(report.text, report.published, sentences, mentions, claims)
    reported = FEATURES.index("reported_between")
    assert all((x[1:, reported] == 0).all() for _, _, x in bare)


def test_a_model_that_prefers_the_rules_changes_nothing() -> None:
    text, published, sentences, mentions, claims = _inputs()
    model = _one_split_model("is_rules")
    assert choose_dates(text, published, sentences, mentions, claims, model=model) == list(claims)


def test_a_model_that_prefers_no_date_clears_every_date_field() -> None:
    text, published, sentences, mentions, claims = _inputs()
    dated = [c for c in claims if c.date_from is not None]
    assert dated, "the rules date some claims of the text"
    out = choose_dates(
        text, published, sentences, mentions, claims, model=_one_split_model("is_none")
    )
    for before, after in zip(claims, out, strict=True):
        assert (after.date_from, after.date_to, after.date_text, after.date_span) == (
            None,
            None,
            None,
            None,
        )
        assert (
            replace(
                after,
                date_from=before.date_from,
                date_to=before.date_to,
                date_text=before.date_text,
                date_span=before.date_span,
                date_inherited=before.date_inherited,
            )
            == before
        )


def test_a_date_taken_from_another_sentence_points_at_its_mention() -> None:
    text, published, sentences, mentions, claims = _inputs()
    out = choose_dates(
        text, published, sentences, mentions, claims, model=_one_split_model("first_date")
    )
    first = mentions[0]
    moved = 0
    for before, after in zip(claims, out, strict=True):
        assert (after.date_from, after.date_to) == first.days
        if (before.date_from, before.date_to) == first.days:
            assert after == before  # the rules' date: the claim as it was
            continue
        moved += 1
        assert after.date_span == (first.start, first.end)
        assert after.date_text == first.text
    assert moved
    frigate = next(c for c in out if c.equipment == "frigate")
    assert frigate.date_inherited  # 13 December is told two sentences before


def test_the_shipped_model_names_its_features_and_training() -> None:
    model = shipped_model()
    assert model.features == FEATURES
    assert "dev60/" in model.info["data"] and "holdout" not in model.info["data"]
    assert model.info["script"] == "benchmarks/train_claim_dates.py"


def _trainer() -> ModuleType:
    path = str(REPO / "benchmarks")
    if path not in sys.path:
        sys.path.insert(0, path)
    import train_claim_dates

    return train_claim_dates


@pytest.mark.slow
def test_the_model_dates_more_claims_right_on_sets_it_never_saw() -> None:
    # the newest measurement sets, written apart and never trained on
    t = _trainer()
    model = shipped_model()
    names = ("holdout15", "holdout16", "holdout17", "holdout18", "holdout67")
    totals = t.pooled(model, (t.set_reports(name) for name in names))
    assert totals["paired"] > 600
    assert totals["date_model"] >= totals["date_rules"]
    assert totals["right_model"] >= totals["right_rules"]


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model() -> None:
    t = _trainer()
    doc = t.train()
    shipped = shipped_model()
    assert doc["features"] == list(shipped.features)
    assert doc["baseline"] == shipped.baseline
    assert len(doc["trees"]) == len(shipped.trees)
    for mine, theirs in zip(doc["trees"], shipped.trees, strict=True):
        assert np.array_equal(mine["threshold"], theirs.threshold)
        assert np.array_equal(mine["value"], theirs.value)
