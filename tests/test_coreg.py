"""Co-registration by phase correlation: known shifts recovered on real Sentinel-2 pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from scipy import ndimage

from basewatch.errors import InputError
from basewatch.imagery.coreg import apply_shift, estimate_shift

CHIP = "s2_beirut_2015_2017/beirut_S2L1C_20171003_B02-B03-B04-B08_10m_airport_chip.tif"


@pytest.fixture(scope="module")
def nir(shared_data: Path) -> np.ndarray:
    """Real NIR (B08) reflectance of the Beirut airport chip, 303 x 303 px."""
    with rasterio.open(shared_data / CHIP) as ds:
        return ds.read(4).astype(np.float64) / 10000.0


def fourier_shift(img: np.ndarray, dy: float, dx: float) -> np.ndarray:
    """Exact sub-pixel translation of a band-limited image (content moves by +dy, +dx)."""
    ky = np.fft.fftfreq(img.shape[0])[:, None]
    kx = np.fft.fftfreq(img.shape[1])[None, :]
    spec = np.fft.fft2(img) * np.exp(-2j * np.pi * (ky * dy + kx * dx))
    return np.real(np.fft.ifft2(spec))


CROP = (slice(20, -20), slice(20, -20))  # away from the wrap-around / shifted-in border


@pytest.mark.parametrize(("dy", "dx"), [(0.37, -1.62), (2.25, 0.8), (-0.05, 0.11), (-2.9, 2.6)])
def test_exact_subpixel_shift_is_recovered_to_a_tenth_of_a_pixel(
    nir: np.ndarray, dy: float, dx: float
) -> None:
    moved = fourier_shift(nir, dy, dx)
    est = estimate_shift(nir[CROP], moved[CROP])
    assert est.reliable
    assert abs(est.dy - dy) <= 0.1
    assert abs(est.dx - dx) <= 0.1
    # the upsampled refinement actually resolves well below the requirement
    assert abs(est.dy - dy) <= 0.03 and abs(est.dx - dx) <= 0.03


@pytest.mark.parametrize("order", [1, 3])
def test_interpolated_shifts_are_recovered_without_pixel_locking(
    nir: np.ndarray, order: int
) -> None:
    """Bilinear/cubic resampling (what reprojection does) must not pull estimates to integers."""
    rng = np.random.default_rng(3)
    errors = []
    for dy, dx in rng.uniform(-2.0, 2.0, size=(12, 2)):
        moved = ndimage.shift(nir, (dy, dx), order=order)
        est = estimate_shift(nir[CROP], moved[CROP])
        errors.append(max(abs(est.dy - dy), abs(est.dx - dx)))
    assert max(errors) <= 0.1


def test_masked_pixels_common_to_both_dates_do_not_pull_the_shift_to_zero(
    nir: np.ndarray,
) -> None:
    """A cloud mask shared by both dates must not act as a zero-shift feature."""
    moved = ndimage.shift(nir, (0.24, 0.37), order=1)
    mask = np.ones(nir.shape, dtype=bool)
    bright = nir > np.quantile(nir, 0.97)  # the most contrasted pixels, masked like cloud
    mask[ndimage.binary_dilation(bright, iterations=2)] = False
    est = estimate_shift(nir[CROP], moved[CROP], valid=mask[CROP])
    assert abs(est.dy - 0.24) <= 0.1 and abs(est.dx - 0.37) <= 0.1


def test_nan_pixels_are_excluded(nir: np.ndarray) -> None:
    moved = fourier_shift(nir, -0.6, 1.3)
    holes = nir.copy()
    holes[100:140, 50:90] = np.nan
    est = estimate_shift(holes[CROP], moved[CROP])
    assert abs(est.dy + 0.6) <= 0.1 and abs(est.dx - 1.3) <= 0.1
    assert est.overlap == int(np.isfinite(holes[CROP]).sum())


def test_unrelated_images_are_flagged_unreliable() -> None:
    rng = np.random.default_rng(1)
    est = estimate_shift(rng.normal(size=(200, 200)), rng.normal(size=(200, 200)))
    assert not est.reliable
    assert est.peak < 0.2


def test_apply_shift_undoes_a_measured_shift(nir: np.ndarray) -> None:
    moved = ndimage.shift(nir, (1.3, -0.7), order=3)
    est = estimate_shift(nir[CROP], moved[CROP])
    data, valid = apply_shift(moved[None], np.ones(nir.shape, bool), (-est.dy, -est.dx))
    assert data.shape == (1, *nir.shape) and data.dtype == np.float32
    # the strip shifted in from outside the grid is marked invalid, and NaN
    assert not valid[:, -1].any() and not valid[0, :].any()
    assert np.isnan(data[0][~valid]).all()
    inner = valid.copy()
    inner[:10], inner[-10:], inner[:, :10], inner[:, -10:] = False, False, False, False
    err = np.abs(data[0][inner] - nir[inner])
    assert np.median(err) < 0.01 * np.median(nir)
    residual = estimate_shift(nir, np.where(valid, data[0], np.nan))
    assert residual.magnitude <= 0.05


def test_apply_shift_propagates_invalid_pixels() -> None:
    data = np.ones((2, 50, 60), dtype=np.float32)
    valid = np.ones((50, 60), dtype=bool)
    valid[20, 30] = False
    out, ok = apply_shift(data, valid, (0.5, 0.0))
    assert not ok[20, 30] and not ok[21, 30]
    assert ok[35, 10]
    assert np.isnan(out[:, ~ok]).all()


def test_bad_inputs_raise_input_error() -> None:
    with pytest.raises(InputError, match="one shape"):
        estimate_shift(np.zeros((40, 40)), np.zeros((40, 41)))
    with pytest.raises(InputError, match="too small"):
        estimate_shift(np.zeros((8, 8)), np.zeros((8, 8)))
    nan = np.full((40, 40), np.nan)
    with pytest.raises(InputError, match="valid on both dates"):
        estimate_shift(nan, nan)
    with pytest.raises(InputError, match="bands, rows, cols"):
        apply_shift(np.zeros((4, 4)), np.ones((4, 4), bool), (0.1, 0.1))


def test_shifts_below_the_minimum_are_measured_but_not_resampled() -> None:
    """On the bundled Beirut airport pair (measured shift ~0.6 px in x): applied by
    default; with a minimum above it, reported but the pixels are left as read."""
    from basewatch.aoi import load_site
    from basewatch.imagery.coreg import CoregParams, coregister
    from basewatch.imagery.local import raster_grid, read_geotiff, site_window

    imagery = Path(__file__).resolve().parents[1] / "imagery"
    files = [imagery / f"beirut-airport_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    window = site_window(load_site("beirut-airport"), raster_grid(files[0]))
    before, after = (read_geotiff(f, window=window) for f in files)
    moved = coregister(before, after)
    info = moved.metadata["coregistration"]
    assert info["applied"] is True and 0.3 < abs(info["measured_dx_px"]) < 1.0
    assert not np.array_equal(moved.data, after.data, equal_nan=True)
    kept = coregister(before, after, params=CoregParams(min_shift_px=1.0))
    info = kept.metadata["coregistration"]
    assert info["applied"] is False and "below 1.0 px" in info["reason"]
    assert info["measured_dx_px"] == moved.metadata["coregistration"]["measured_dx_px"]
    assert np.array_equal(kept.data, after.data, equal_nan=True) and kept.shift_px == (0.0, 0.0)


def test_a_central_window_measures_the_same_shift_as_the_whole_scene() -> None:
    """The shift between dates is one translation: measured on the central 160 px of the
    bundled Beirut airport pair it agrees with the whole scene's to a tenth of a pixel
    (large scenes are measured on a window, see ``CoregParams.max_measure_px``)."""
    from basewatch.aoi import load_site
    from basewatch.imagery.coreg import CoregParams, coregister
    from basewatch.imagery.local import raster_grid, read_geotiff, site_window

    imagery = Path(__file__).resolve().parents[1] / "imagery"
    files = [imagery / f"beirut-airport_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    window = site_window(load_site("beirut-airport"), raster_grid(files[0]))
    before, after = (read_geotiff(f, window=window) for f in files)
    whole = coregister(before, after).metadata["coregistration"]
    part = coregister(before, after, params=CoregParams(max_measure_px=160))
    info = part.metadata["coregistration"]
    assert min(before.valid.shape) > 160  # the window is smaller than the scene
    assert info["overlap_px"] <= 160 * 160 < whole["overlap_px"]
    assert abs(info["measured_dx_px"] - whole["measured_dx_px"]) < 0.1
    assert abs(info["measured_dy_px"] - whole["measured_dy_px"]) < 0.1
