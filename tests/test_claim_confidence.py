"""The claims' confidence: its features, the shipped model, its calibration on report
sets it was not fitted on, and that refitting gives the shipped model.

The held-out floors: better than a constant confidence, and calibrated within about a
claim in eight (``src/basewatch/corroborate/models/CLAIM_CONFIDENCE.md``: calibration
error 0.116 on ``holdout15/``-``holdout17/`` together, measured by
``benchmarks/train_claim_confidence.py``; the newest sets, harder than the training
ones, leave little room under the floor).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from basewatch.corroborate.claims import extract_claims
from basewatch.corroborate.confidence import (
    FEATURES,
    ClaimConfidenceModel,
    claim_features,
    load_confidence_model,
)
from basewatch.corroborate.reports import parse_report
from basewatch.errors import InputError

REPO = Path(__file__).resolve().parents[1]

#: The largest calibration error (share-weighted gap between mean confidence and share
#: right over ten bins) allowed on the held-out sets together.
HELD_OUT_CALIBRATION_FLOOR = 0.12

TEXT = (
    "Satellite images taken on Friday show two An-124 transport aircraft with their "
    "nose cones raised at Hmeimim air base. Helicopters were being dismantled nearby."
)


def _trainer() -> ModuleType:
    path = str(REPO / "benchmarks")
    if path not in sys.path:
        sys.path.insert(0, path)
    import train_claim_confidence

    return train_claim_confidence


def _column(name: str) -> int:
    return FEATURES.index(name)


def test_features_read_what_the_text_states_and_what_it_carries() -> None:
    claims = extract_claims(parse_report(TEXT, published="2024-12-14"))
    by_equipment = {c.equipment: c for c in claims}
    assert set(by_equipment) == {"an-124", "helicopter"}
    x = claim_features(claims, language="en")
    assert x.shape == (2, len(FEATURES))
    assert set(np.unique(x)) <= {0.0, 1.0}
    an124 = x[claims.index(by_equipment["an-124"])]
    helis = x[claims.index(by_equipment["helicopter"])]
    # "two An-124 ... at Hmeimim": a named type, counted, site in its own sentence
    assert an124[_column("named_type")] == 1 and an124[_column("count_stated")] == 1
    assert an124[_column("site_inherited")] == 0 and an124[_column("action_loading")] == 1
    # "Helicopters ... nearby": a class without a number, its site carried over
    assert helis[_column("named_type")] == 0 and helis[_column("qualifier_plural")] == 1
    assert helis[_column("site_inherited")] == 1 and helis[_column("action_dismantling")] == 1
    assert x[:, _column("language_en")].all() and not x[:, _column("language_fr")].any()


def test_claims_carry_the_models_estimate() -> None:
    claims = extract_claims(parse_report(TEXT, published="2024-12-14"))
    p = load_confidence_model().probability(claim_features(claims, language="en"))
    assert [c.confidence for c in claims] == [round(float(q), 2) for q in p]
    assert all(0.0 < c.confidence < 1.0 for c in claims)
    # the stated site, count and type make the An-124s the likelier reading
    by_equipment = {c.equipment: c for c in claims}
    assert by_equipment["an-124"].confidence > by_equipment["helicopter"].confidence


def test_the_shipped_model_names_its_features_and_training() -> None:
    model = load_confidence_model()
    assert model.features == FEATURES
    assert model.weights.shape == (len(FEATURES),)
    assert model.info["training_sets"] == list(_trainer().TRAINING)
    assert not set(model.info["training_sets"]) & set(_trainer().HELD_OUT)


def test_a_model_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    doc = json.loads((REPO / "src/basewatch/corroborate/models/claim_confidence.json").read_text())
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**doc, "format": "basewatch-gbt-1"}))
    with pytest.raises(InputError, match=r"not a claim confidence model.*retrain it"):
        load_confidence_model(other)
    fewer = {**doc, "features": doc["features"][:-1], "weights": doc["weights"][:-1]}
    with pytest.raises(InputError, match="other claim features"):
        ClaimConfidenceModel.from_dict(fewer)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(InputError, match="cannot read the claim confidence model"):
        load_confidence_model(broken)


@pytest.mark.slow
def test_confidence_is_calibrated_on_sets_it_was_not_fitted_on() -> None:
    t = _trainer()
    model = load_confidence_model()
    held = [t.graded_set(s) for s in t.HELD_OUT]
    x = np.vstack([g.x for g in held])
    y = np.concatenate([g.y for g in held])
    assert len(y) > 300
    p = model.probability(x)
    rate = model.info["training_share_right"]
    assert t.brier(p, y) < t.brier(np.full_like(p, rate), y)
    assert t.log_loss(p, y) < t.log_loss(np.full_like(p, rate), y)
    assert t.calibration_error(p, y) <= HELD_OUT_CALIBRATION_FLOOR
    # claims the model doubts are right less often than those it trusts
    assert y[p >= np.median(p)].mean() > y[p < np.median(p)].mean() + 0.2


@pytest.mark.slow
def test_refitting_reproduces_the_shipped_model() -> None:
    t = _trainer()
    doc = t.train([t.graded_set(s) for s in t.TRAINING])
    shipped = load_confidence_model()
    assert doc["info"]["C"] == shipped.info["C"]
    assert np.allclose(doc["weights"], shipped.weights, atol=1e-4)
    assert doc["intercept"] == pytest.approx(shipped.intercept, abs=1e-4)
