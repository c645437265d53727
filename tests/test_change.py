"""Pixel change algorithms (change.py): unit tests on small arrays, plus real-pair checks."""

from __future__ import annotations

import numpy as np
import pytest

from basewatch.detect.change import (
    band_difference,
    cfar,
    change_vector,
    cva_change_map,
    irmad,
    kittler_illingworth_threshold,
    log_ratio,
    log_ratio_change_map,
    normalise_to,
    otsu_threshold,
    pif_normalise,
    robust_threshold,
)
from basewatch.errors import InputError


def _rng() -> np.random.Generator:
    return np.random.default_rng(42)


def test_band_difference_is_exact_for_uint16() -> None:
    a = np.array([[[0, 65535]]], dtype=np.uint16)
    b = np.array([[[65535, 0]]], dtype=np.uint16)
    d = band_difference(a, b)
    assert d.dtype == np.float32
    assert d.tolist() == [[[65535.0, -65535.0]]]


def test_change_vector_magnitude_signed_and_direction() -> None:
    before = np.zeros((2, 1, 3), np.float32)
    after = np.array([[[3, 0, -1]], [[4, 2, 0]]], np.float32)
    cv = change_vector(before, after, direction_bands=(0, 1))
    assert np.allclose(cv.magnitude, [[5, 2, 1]])
    assert np.allclose(cv.signed, [[3.5, 1, -0.5]])
    # (dx, dy) = (3, 4): 53.13 deg; (0, 2): 90 deg; (-1, 0): 180 deg
    assert np.allclose(cv.direction_deg, [[53.130102, 90.0, 180.0]], atol=1e-4)


def test_log_ratio_linear_and_decibels_agree_and_mask_bad_values() -> None:
    lin_b = np.array([[0.01, 0.1, 0.0, np.nan]], np.float32)
    lin_a = np.array([[0.1, 0.1, 0.1, 0.1]], np.float32)
    lr = log_ratio(lin_b, lin_a)
    assert lr[0, 0] == pytest.approx(np.log(10.0), rel=1e-6)
    assert lr[0, 1] == 0.0
    assert np.isnan(lr[0, 2]) and np.isnan(lr[0, 3])
    with np.errstate(divide="ignore"):
        db = log_ratio(10 * np.log10(lin_b[:, :2]), 10 * np.log10(lin_a[:, :2]), decibels=True)
    assert np.allclose(db, lr[:, :2], atol=1e-5)


def test_thresholds_split_a_small_bright_class() -> None:
    rng = _rng()
    v = np.concatenate([rng.normal(0, 1, 99_000), rng.normal(12, 0.5, 1_000)]).astype(np.float32)
    ki = kittler_illingworth_threshold(v)
    assert 3.0 < ki < 11.0
    assert 2.0 < otsu_threshold(v) < 11.0
    rt = robust_threshold(v, k=6)
    assert 5.0 < rt < 7.0
    with pytest.raises(InputError):
        otsu_threshold(np.ones(10))


def test_irmad_finds_the_changed_patch_and_ignores_linear_gain() -> None:
    rng = _rng()
    before = rng.normal(100, 20, (4, 60, 60)).astype(np.float32)
    # same scene, different gain/offset per band and a little noise ...
    after = before * np.array([1.5, 0.8, 1.2, 0.9], np.float32)[:, None, None] + 7.0
    after += rng.normal(0, 1, after.shape).astype(np.float32)
    # ... and a real change in one patch
    after[:, 20:26, 30:36] += np.array([80, -40, 60, 50], np.float32)[:, None, None]
    res = irmad(before, after)
    assert res.variates.shape == before.shape
    assert np.all(np.diff(res.rho) >= -1e-9) and res.rho[-1] > 0.99
    patch = np.zeros((60, 60), bool)
    patch[20:26, 30:36] = True
    assert np.median(res.no_change[patch]) < 0.01
    assert np.median(res.no_change[~patch]) > 0.05
    assert res.chi2[patch].min() > np.percentile(res.chi2[~patch], 99)


def test_pif_normalisation_recovers_gain_and_bias() -> None:
    rng = _rng()
    ref = rng.uniform(500, 3000, (4, 80, 80)).astype(np.float32)
    gain = np.array([1.1, 0.9, 1.3, 0.95], np.float32)
    bias = np.array([-50, 20, 100, -10], np.float32)
    target = (ref - bias[:, None, None]) / gain[:, None, None]
    target += rng.normal(0, 2, target.shape).astype(np.float32)
    target[:, :10, :10] += 900  # changed corner must not bias the fit
    res = pif_normalise(ref, target)
    assert np.allclose(res.gain, gain, rtol=0.01)
    assert np.allclose(res.bias, bias, atol=15)
    assert not res.pif[:10, :10].any()
    med = normalise_to(ref, target)[0]
    assert med.shape == ref.shape


def test_cfar_finds_a_bright_target_with_few_false_alarms() -> None:
    rng = _rng()
    img = rng.normal(-20, 1.5, (200, 200)).astype(np.float32)
    img[100:103, 50:58] = 0.0  # a ship-like target, 20 dB above the sea
    img[:, 150:] = np.nan  # land
    res = cfar(img, guard=5, background=15, pfa=1e-6)
    assert res.mask[100:103, 50:58].all()
    others = res.mask.copy()
    others[100:103, 50:58] = False
    assert others.sum() <= 3
    assert not res.mask[:, 150:].any()


def test_mismatched_pairs_raise_value_error_naming_both() -> None:
    a = np.zeros((4, 10, 10), np.float32)
    with pytest.raises(ValueError, match=r"before \(4, 10, 10\).*after \(4, 10, 11\)"):
        band_difference(a, np.zeros((4, 10, 11), np.float32))
    with pytest.raises(ValueError, match=r"before float32.*after float64"):
        cva_change_map(a, np.zeros((4, 10, 10), np.float64))
    with pytest.raises(ValueError, match=r"reference.*target"):
        normalise_to(a, np.zeros((3, 10, 10), np.float32))


def test_log_ratio_change_map_on_a_bright_new_target() -> None:
    rng = _rng()
    b = rng.normal(-18, 1.0, (100, 100)).astype(np.float32)
    a = b + rng.normal(0, 0.5, b.shape).astype(np.float32)
    a[40:44, 40:48] = -2.0
    cm = log_ratio_change_map(b, a, decibels=True)
    assert cm.method == "log-ratio" and cm.params["threshold_method"] == "ki"
    assert cm.mask[40:44, 40:48].all()
    assert cm.mask.sum() < 60
    assert (cm.signed[40:44, 40:48] > 0).all()


def test_irmad_flags_the_airliner_that_left_beirut_airport(repo: object) -> None:
    """Real pair: the airliner parked at the eastern terminal stand on 2015-08-20 and gone on
    2017-10-03 (35.4954 E, 33.8247 N; the lead's Beirut test) is among the 0.1 % most
    changed pixels of the airport chip by the IR-MAD chi-square statistic."""
    from pathlib import Path

    from basewatch.aoi import load_site
    from basewatch.imagery.local import raster_grid, read_geotiff, site_window

    imagery = Path(str(repo)) / "imagery"
    site = load_site("beirut-airport")
    files = [imagery / f"beirut-airport_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    win = site_window(site, raster_grid(files[0]))
    b, a = (read_geotiff(f, window=win) for f in files)
    res = irmad(b.data, a.data, valid=b.valid & a.valid)
    row, col = b.grid.rowcol(35.49542, 33.82470)
    r, c = int(row), int(col)
    peak = np.nanmax(res.chi2[r - 2 : r + 3, c - 2 : c + 3])
    assert np.nanmean(res.chi2 > peak) < 1e-3
    assert np.nanmin(res.no_change[r - 2 : r + 3, c - 2 : c + 3]) < 1e-6
    assert res.rho[-1] < 0.999  # re-weighting stopped before collapsing onto the sea
