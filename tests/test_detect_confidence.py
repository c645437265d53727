"""One water mask and one confidence scale give what each old copy gave, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from basewatch.detect.change import MAD_TO_SIGMA, robust_sigma
from basewatch.detect.components import ndwi, water_mask
from basewatch.detect.confidence import (
    AIRCRAFT_MARGIN_SCALE,
    BERTH_MARGIN_SCALE,
    CHANGE_MARGIN_SCALE,
    OTHER_CLASS_FACTOR,
    VESSEL_MARGIN_SCALE,
    confidence,
    evidence_strength,
    moved_factor,
    size_factor,
)
from basewatch.errors import InputError


def _bands(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    g = rng.uniform(0.0, 0.3, (60, 60)).astype(np.float32)
    n = rng.uniform(0.0, 0.3, (60, 60)).astype(np.float32)
    g[::7, ::5] = np.nan
    n[::11, ::3] = np.nan
    g[1, :10] = n[1, :10] = 0.0  # 0 / 0
    n[2, :10] = 0.0
    g[2, :10] = -0.01  # negative sum: -inf
    return g, n


@pytest.mark.parametrize("threshold", [0.0, -0.2, 0.3])
def test_water_mask_matches_the_vessel_detectors_nan_to_minus_one(threshold: float) -> None:
    g, n = _bands()
    with np.errstate(invalid="ignore", divide="ignore"):
        old = np.nan_to_num((g - n) / (g + n), nan=-1.0) > threshold
    valid = np.ones(g.shape, bool)
    valid[:5] = False
    assert np.array_equal(water_mask(g, n, threshold=threshold), old)
    assert np.array_equal(water_mask(g, n, threshold=threshold, valid=valid), old & valid)


def test_water_mask_at_zero_matches_the_pipelines_nan_is_false() -> None:
    g, n = _bands(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        old = ((g.astype(np.float32) - n) / (g + n)) > 0.0
    assert np.array_equal(water_mask(g, n), old)


def test_nan_ndwi_keyword_says_what_nan_is() -> None:
    g, n = _bands(2)
    nan = np.isnan(ndwi(g, n))
    assert nan.any()
    assert not water_mask(g, n, threshold=-2.0, nan_ndwi=-3.0)[nan].any()
    assert water_mask(g, n, threshold=-2.0)[nan].all()  # -1 > -2: the old vessel semantics


def test_ndwi_refuses_bands_of_different_shapes() -> None:
    with pytest.raises(InputError, match="same shape"):
        ndwi(np.zeros((3, 3)), np.zeros((3, 4)))


def test_robust_sigma_is_the_scaled_mad() -> None:
    v = np.random.default_rng(3).normal(5.0, 2.0, 10_001).astype(np.float32)
    old = float(np.median(np.abs(v - np.median(v)))) * 1.4826
    assert robust_sigma(v) == old
    assert MAD_TO_SIGMA == 1.4826
    assert robust_sigma(v) == pytest.approx(2.0, rel=0.05)


def test_confidence_reproduces_each_old_formula() -> None:
    rng = np.random.default_rng(4)
    margin = rng.normal(2.0, 3.0, 500)
    area = rng.integers(1, 30, 500).astype(np.float64)
    size = np.minimum(1.0, area / 9.0)
    # changed objects (per object, halved when of class other)
    other = rng.random(500) < 0.5
    old = np.array(
        [
            float(np.clip((1.0 - np.exp(-max(float(c), 0.0) / 3.0)) * min(1.0, a / 9.0), 0, 1))
            * (0.5 if o else 1.0)
            for c, a, o in zip(margin, area, other, strict=True)
        ]
    )
    new = confidence(
        margin,
        area,
        scale=CHANGE_MARGIN_SCALE,
        factor=np.where(other, OTHER_CLASS_FACTOR, 1.0),
    )
    assert np.array_equal(new, old)
    # single-date aircraft
    score_margin = np.maximum(margin, 0.0)
    old = np.clip((1.0 - np.exp(-score_margin / 3.0)) * size, 0.0, 1.0)
    assert np.array_equal(confidence(margin, area, scale=AIRCRAFT_MARGIN_SCALE), old)
    # vessels, with the water ring factor
    ring = rng.random(500)
    old = np.clip((1.0 - np.exp(-score_margin / 5.0)) * size * np.minimum(1.0, ring / 0.5), 0, 1)
    factor = np.minimum(1.0, ring / 0.5)
    assert np.array_equal(confidence(margin, area, scale=VESSEL_MARGIN_SCALE, factor=factor), old)
    # berth hulls (NaN margin counts 0)
    m = margin.copy()
    m[::9] = np.nan
    old = np.clip((1.0 - np.exp(-np.nan_to_num(m, nan=0.0))) * size, 0.0, 1.0)
    assert np.array_equal(confidence(m, area, scale=BERTH_MARGIN_SCALE), old)


def test_confidence_scale_reads_as_documented() -> None:
    assert evidence_strength(0.0, scale=3.0) == 0.0
    assert evidence_strength(9.0, scale=3.0) == pytest.approx(0.95, abs=0.01)
    assert size_factor(9) == 1.0 and size_factor(3) == pytest.approx(1 / 3)
    assert float(confidence(100.0, 50, scale=3.0, factor=OTHER_CLASS_FACTOR)) == pytest.approx(0.5)
    assert moved_factor(0.0, max_distance_m=300.0) == 1.0
    assert moved_factor(300.0, max_distance_m=300.0) == 0.5
    assert moved_factor(120.0, max_distance_m=300.0) == 1.0 - 0.5 * 120.0 / 300.0
