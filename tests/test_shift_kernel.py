"""The cubic shift kernel gives scipy's ``ndimage.shift`` bit for bit, on real pixels.

``basewatch.imagery._shift`` evaluates the same B-spline with its weights found once
per row and column; ``apply_shift`` uses it on bands of at least ``_KERNEL_MIN_PIXELS``
(a whole tile) and scipy itself on smaller ones. Real data: the Beirut Sentinel-2 city
crop (1070 x 1180 px, all four bands: above the kernel's threshold) and the bundled
airport window.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from scipy import ndimage

from basewatch.errors import InputError
from basewatch.imagery import coreg
from basewatch.imagery._shift import (
    _SHIFT_BLOCK,
    MAX_SHIFT_PX,
    MIN_PREFILTER_LENGTH,
    _column_runs,
    blank_invalid,
    bspline_weights,
    erode_cross,
    filled_coefficients,
    moved_valid,
    moved_valid_reference,
    prefilter,
    shift_band,
    shift_band_reference,
    shift_plan,
    spline_coefficients,
    usable_pixels,
)

CITY = "s2_beirut_2015_2017/beirut_S2L1C_20171003_B02-B03-B04-B08_10m.tif"
SHIFTS = [(0.53, 0.12), (-1.3, 0.71), (0.0, -0.25), (2.0, -1.0), (-0.001, 0.999)]


@pytest.fixture(scope="module")
def city(shared_data: Path) -> np.ndarray:
    with rasterio.open(shared_data / CITY) as ds:
        return ds.read().astype(np.float32)


def test_prefilter_gives_scipys_coefficients_bit_for_bit(city: np.ndarray) -> None:
    def scipy_coefficients(a: np.ndarray) -> np.ndarray:
        return ndimage.spline_filter(a, 3, output=np.float64, mode="nearest")

    # a real band (edges, water, city) and its padded form
    band = city[3].astype(np.float64)
    padded = np.pad(band, 12, mode="edge")
    assert np.array_equal(prefilter(padded.copy()), scipy_coefficients(padded))
    # every short length the kernel takes, along either axis, at several scales (lines
    # where z**n has not underflowed: the reflected start's far terms count)
    rng = np.random.default_rng(7)
    for rows in range(MIN_PREFILTER_LENGTH, MIN_PREFILTER_LENGTH + 40):
        for cols in (MIN_PREFILTER_LENGTH, 26, 63, 64, 65, 130):
            a = rng.normal(size=(rows, cols)) * rng.choice([1e-3, 1.0, 1e4])
            assert np.array_equal(prefilter(a.copy()), scipy_coefficients(a)), (rows, cols)
    # shorter arrays are scipy's own
    small = rng.normal(size=(MIN_PREFILTER_LENGTH - 1, 40))
    assert np.array_equal(prefilter(small.copy()), scipy_coefficients(small))
    with pytest.raises(ValueError, match="C-contiguous 2-D float64"):
        prefilter(np.zeros((30, 30), np.float32))
    with pytest.raises(ValueError, match="C-contiguous 2-D float64"):
        prefilter(np.zeros((30, 60))[:, ::2])


@pytest.mark.parametrize("shift", SHIFTS)
def test_kernel_equals_scipy_and_its_reference_on_real_bands(
    city: np.ndarray, shift: tuple[float, float]
) -> None:
    band = city[3].astype(np.float64)
    expected = np.empty(band.shape, dtype=np.float32)
    ndimage.shift(band, shift, output=expected, order=3, mode="nearest")
    got = shift_band(band, shift)
    assert np.array_equal(got, expected)
    crop = band[200:330, 500:640]  # the numpy reference is slow: a crop
    assert np.array_equal(shift_band(crop, shift), shift_band_reference(crop, shift))


@pytest.mark.parametrize("dx", [0.71, -1e-17, 1e-17])
def test_runs_of_columns_cut_where_the_coefficients_jump_give_scipys_shift(
    city: np.ndarray, dx: float
) -> None:
    # a shift just over zero makes "i - dx" round to i for every column but column 0:
    # column 1 does not read the coefficients one further on than column 0, and the
    # kernel's runs of columns break there; otherwise only every _SHIFT_BLOCK columns
    band = city[3].astype(np.float64)
    starts, _ = shift_plan(band.shape[1], dx)
    bounds = _column_runs(starts, _SHIFT_BLOCK)
    blocks = [*range(0, band.shape[1], _SHIFT_BLOCK), band.shape[1]]
    assert bounds.tolist() == (sorted({*blocks, 1}) if dx == 1e-17 else blocks)
    expected = np.empty(band.shape, dtype=np.float32)
    ndimage.shift(band, (0.4, dx), output=expected, order=3, mode="nearest")
    assert np.array_equal(shift_band(band, (0.4, dx)).view(np.uint32), expected.view(np.uint32))


def test_apply_shift_on_a_tile_sized_stack_equals_the_scipy_path(
    city: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert city[0].size >= coreg._KERNEL_MIN_PIXELS  # the kernel path is taken
    valid = np.isfinite(city).all(axis=0) & (city > 0).all(axis=0)
    valid[500:520, 300:340] = False  # a cloud: filled, shifted, grown and masked alike
    data = np.where(valid, city, np.nan)
    got, got_ok = coreg.apply_shift(data, valid, (-0.53, 0.12))
    monkeypatch.setattr(coreg, "_KERNEL_MIN_PIXELS", np.inf)  # scipy for every band
    want, want_ok = coreg.apply_shift(data, valid, (-0.53, 0.12))
    assert np.array_equal(got_ok, want_ok) and not got_ok[505, 320]
    assert np.array_equal(got, want, equal_nan=True)


@pytest.mark.parametrize("kernel", [True, False])
def test_a_shift_written_into_its_own_input_equals_a_shift_into_a_new_array(
    city: np.ndarray, kernel: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # overwrite=True (what the readers ask for the later date they read themselves):
    # each band is written only after its coefficients are found, so the result is
    # the same to the bit, in the input's own memory
    if not kernel:
        monkeypatch.setattr(coreg, "_KERNEL_MIN_PIXELS", np.inf)  # scipy for every band
    valid = np.isfinite(city).all(axis=0) & (city > 0).all(axis=0)
    valid[500:520, 300:340] = False
    data = np.where(valid, city, np.nan).astype(np.float32)
    want, want_ok = coreg.apply_shift(data, valid, (0.53, -0.12))
    own = data.copy()
    got, got_ok = coreg.apply_shift(own, valid, (0.53, -0.12), overwrite=True)
    assert got is own
    assert np.array_equal(got, want, equal_nan=True) and np.array_equal(got_ok, want_ok)
    # an array the shift cannot write into (float64; a strided view) is left as it was
    for other in (data.astype(np.float64), data[:, ::-1]):
        before = other.copy()
        again, _ = coreg.apply_shift(
            other, valid[:, ::-1] if other.strides[1] < 0 else valid, (0.53, -0.12), overwrite=True
        )
        assert again is not other and np.array_equal(other, before, equal_nan=True)


#: Shifts whose weights put a pixel's share of valid neighbours near the threshold
#: (0.999), at whole pixels, and beyond the raster.
EDGE_SHIFTS = [(0.001, -0.001), (0.0009999, 0.0010001), (0.999, 3.0), (-9.9995, 1e-9), (40.2, 0.5)]


@pytest.mark.parametrize("shift", SHIFTS + EDGE_SHIFTS)
def test_moved_validity_equals_scipys_bilinear_shift_of_the_mask(
    city: np.ndarray, shift: tuple[float, float]
) -> None:
    valid = np.isfinite(city).all(axis=0) & (city > 0).all(axis=0)
    rng = np.random.default_rng(7)
    valid[500:520, 300:340] = False  # a cloud
    valid &= rng.random(valid.shape) > 0.01  # and scattered nodata: every pattern
    want = moved_valid_reference(valid, shift)
    assert np.array_equal(moved_valid(valid, shift), want)
    assert np.array_equal(moved_valid(valid, shift, rows=(300, 777)), want[300:777])
    # the edges of the raster, where a pixel's sources leave it, on masks of every
    # size down to one pixel (runs of columns: none inside, one, several)
    for shape in ((1, 1), (1, 7), (7, 1), (2, 2), (3, 1100), (40, 2100)):
        part = np.ascontiguousarray(np.tile(valid, (1, 2))[: shape[0], : shape[1]])
        assert np.array_equal(moved_valid(part, shift), moved_valid_reference(part, shift)), shape


def test_apply_shift_keeps_the_pixels_whose_cubic_footprint_was_valid(city: np.ndarray) -> None:
    valid = np.isfinite(city).all(axis=0) & (city > 0).all(axis=0)
    valid[500:520, 300:340] = False
    shift = (0.53, -1.21)
    _, got_ok = coreg.apply_shift(np.where(valid, city, np.nan), valid, shift)
    # scipy's bilinear share of valid neighbours, grown by a pixel for the cubic reach
    want = ndimage.binary_erosion(moved_valid_reference(valid, shift), border_value=0)
    assert np.array_equal(got_ok, want)
    assert not got_ok[505, 320] and got_ok[800, 800]


def test_cross_erosion_equals_scipys(city: np.ndarray) -> None:
    def scipy_erosion(m: np.ndarray) -> np.ndarray:
        return np.asarray(ndimage.binary_erosion(m, iterations=1, border_value=0))

    # the city's valid pixels after a shift (its border strips), its bright pixels
    # (many small holes), random masks of every density and the smallest shapes
    valid = moved_valid((city > 0).all(axis=0), (1.5, -2.25))
    masks = [valid, city[3] > np.percentile(city[3], 70)]
    rng = np.random.default_rng(3)
    masks += [rng.random((37, 53)) < p for p in (0.0, 0.5, 0.9, 1.0)]
    masks += [np.ones(shape, dtype=bool) for shape in ((1, 5), (2, 2), (3, 3), (3, 40))]
    for m in masks:
        got = erode_cross(m)
        assert got.dtype == bool and np.array_equal(got, scipy_erosion(m)), m.shape
    assert erode_cross(masks[-1])[1, 1:-1].all()  # the middle row of a 3-row mask stays


def test_weights_sum_to_one_and_interpolate_a_cubic_exactly() -> None:
    t = np.linspace(0.0, 0.999, 50)
    w = bspline_weights(t)
    assert w.shape == (50, 4) and np.allclose(w.sum(axis=1), 1.0)
    # a whole-pixel shift moves the samples and nothing else
    x = np.arange(40.0)[:, None] * np.ones((1, 30)) + np.arange(30.0)[None, :] ** 2
    moved = shift_band(x, (3.0, -2.0))
    assert np.allclose(moved[5:-5, 5:-5], x[2:-8, 7:-3], atol=1e-3)
    with pytest.raises(ValueError, match="larger than"):
        shift_band(x, (MAX_SHIFT_PX + 1.0, 0.0))


@pytest.mark.parametrize("shift", [(-0.53, 0.12), (1.7, -0.4)])
def test_strips_shifted_with_their_halo_are_the_whole_raster_bit_for_bit(
    city: np.ndarray, shift: tuple[float, float]
) -> None:
    """``shift_rows`` over strips of 250 rows read with ``SHIFT_HALO`` rows each side,
    with fill values summed strip by strip, gives ``apply_shift`` of the whole city
    crop (cloud and edges included): what a whole-tile run in strips relies on."""
    valid = np.isfinite(city).all(axis=0) & (city > 0).all(axis=0)
    valid[500:520, 300:340] = False
    data = np.where(valid, city, np.nan)
    want, want_ok = coreg.apply_shift(data, valid, shift)
    rows, core, halo = data.shape[1], 250, coreg.SHIFT_HALO
    ok = coreg.usable(data, valid)
    parts = [
        coreg.fill_parts(data[:, r : r + core], ok[r : r + core]) for r in range(0, rows, core)
    ]
    fills = coreg.fill_values(
        np.concatenate([p[0] for p in parts], axis=1), sum(p[1] for p in parts)
    )
    whole_sums, whole_count = coreg.fill_parts(data, ok)
    assert fills == coreg.fill_values(whole_sums, whole_count)
    got, got_ok = np.empty_like(want), np.empty_like(want_ok)
    for r in range(0, rows, core):
        a, b = max(0, r - halo), min(rows, r + core + halo)
        keep = (r - a, min(rows, r + core) - a)
        part, part_ok = coreg.shift_rows(
            data[:, a:b], valid[a:b], shift, fills, origin=a, keep=keep
        )
        got[:, r : r + core], got_ok[r : r + core] = part, part_ok
    assert np.array_equal(got_ok, want_ok) and not got_ok[505, 320]
    assert np.array_equal(got, want, equal_nan=True)
    # without the halo the strips' edges are not the whole raster's
    cut, _ = coreg.shift_rows(data[:, 250:500], valid[250:500], shift, fills, origin=250)
    assert not np.array_equal(cut[:, :3], want[:, 250:253], equal_nan=True)
    with pytest.raises(InputError, match="not inside"):
        coreg.shift_rows(data[:, :100], valid[:100], shift, fills, origin=0, keep=(50, 101))
    with pytest.raises(InputError, match="larger than"):
        coreg.shift_rows(data[:, :100], valid[:100], (MAX_SHIFT_PX + 1, 0), fills, origin=0)


def test_usable_pixels_and_blanking_equal_numpys(city: np.ndarray) -> None:
    valid = (city > 0).all(axis=0)
    valid[:3] = False
    data = city.copy()
    data[1, 500:510, 200:260] = np.nan  # one band unreadable here
    data[3, 7, 9] = np.inf
    want = valid & np.isfinite(data).all(axis=0)
    assert want.sum() < valid.sum()
    # float32 and float64, strided views of both
    views = [
        (slice(None), slice(None)),
        (slice(100, 900), slice(None, None, 3)),
        (slice(None, None, -1), slice(None)),
    ]
    for arr in (data, data.astype(np.float64)):
        for rows, cols in views:
            part, ok = arr[:, rows, cols], valid[rows, cols]
            assert np.array_equal(usable_pixels(part, ok), ok & np.isfinite(part).all(axis=0))
    assert np.array_equal(coreg.usable(data, valid), want)
    blanked, expected = data.copy(), data.copy()
    blank_invalid(blanked, want)
    expected[:, ~want] = np.nan
    assert np.array_equal(blanked, expected, equal_nan=True)
    assert np.isnan(blanked[:, 505, 230]).all() and np.isfinite(blanked[:, 800, 800]).all()


def test_fill_sums_by_blocks_of_rows_are_numpys_of_whole_bands(city: np.ndarray) -> None:
    # each row's sum as numpy gives it for the whole band at once, for rows wider than
    # numpy's buffer (8192 values) and a last block of rows that is not full
    wide = np.concatenate([city, city[:, :, ::-1]] * 5, axis=2)[:, : 64 * 3 + 17, :10_500]
    for data in (city, np.ascontiguousarray(wide)):
        ok = (data > 0).all(axis=0)
        ok[5:40, 1000:1060] = False
        sums, count = coreg.fill_parts(data, ok)
        want = np.stack([np.where(ok, b, 0.0).sum(axis=1, dtype=np.float64) for b in data])
        assert count == ok.sum() and np.array_equal(sums, want)


def test_fill_values_are_the_band_means_over_usable_pixels(city: np.ndarray) -> None:
    valid = np.ones(city.shape[1:], bool)
    valid[:10] = False
    sums, count = coreg.fill_parts(city, valid)
    assert count == valid.sum()
    np.testing.assert_allclose(
        coreg.fill_values(sums, count),
        city[:, 10:].astype(np.float64).mean(axis=(1, 2)),
        rtol=1e-12,
    )
    assert coreg.fill_values(sums[:, :0], 0) == (0.0,) * 4


def test_coefficients_filled_in_place_are_those_of_the_filled_band(city: np.ndarray) -> None:
    band = city[3]
    ok = np.isfinite(band) & (band > 0)
    ok[40:90, 100:180] = False
    want = spline_coefficients(np.where(ok, band.astype(np.float64), 0.1234))
    assert np.array_equal(filled_coefficients(band, ok, 0.1234), want)
    # in an array the caller gives, whatever it held before
    given = np.full(want.shape, np.nan)
    assert filled_coefficients(band, ok, 0.1234, out=given) is given
    assert np.array_equal(given, want)
    with pytest.raises(ValueError, match="C-contiguous float64"):
        filled_coefficients(band, ok, 0.1234, out=np.empty(want.shape, np.float32))
