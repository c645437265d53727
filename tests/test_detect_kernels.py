"""The numba kernels give their numpy references' results, bit for bit, on real imagery."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from basewatch.detect import _kernels, change
from basewatch.detect.change import CFAR_BLOCK_ROWS, cfar, stat_sample


@pytest.fixture(scope="module")
def tile_nir(repo: Path) -> np.ndarray:
    """NIR (B08) of the bundled Beirut port scene repeated to a tile-sized block of rows
    (more than two CFAR row blocks), with a NaN hole as clouds or nodata leave."""
    rasterio = pytest.importorskip("rasterio")
    with rasterio.open(repo / "imagery" / "beirut-port_S2L1C_20171003.tif") as ds:
        nir = ds.read(4).astype(np.float32)
    rows = 2 * CFAR_BLOCK_ROWS + 300
    img = np.tile(nir, (-(-rows // nir.shape[0]), 2))[:rows]
    img[500:700, 40:160] = np.nan
    return np.ascontiguousarray(img)


def _same(ref: change.CFARResult, got: change.CFARResult) -> None:
    assert np.array_equal(ref.mask, got.mask)
    assert np.array_equal(ref.score, got.score, equal_nan=True)
    assert np.array_equal(ref.background, got.background, equal_nan=True)


@pytest.mark.parametrize("masks", ["none", "valid", "valid+search", "search"])
def test_cfar_kernel_equals_numpy_reference_on_a_tile(tile_nir: np.ndarray, masks: str) -> None:
    # the water of the port scene stands for the valid background; the search mask is
    # wider, as the water with its ship-sized holes filled is
    water = tile_nir < np.nanpercentile(tile_nir, 40)
    valid = water if "valid" in masks else None
    search = None
    if "search" in masks:
        search = np.zeros(tile_nir.shape, bool)
        search[:, : tile_nir.shape[1] // 2] = True
    ref = change._cfar_rows(tile_nir, valid, search, 4, 12, 3.0, 10.0)  # whole image, numpy
    got = cfar(tile_nir, valid=valid, search=search, guard=4, background=12, k=3.0, min_std=10.0)
    _same(ref, got)  # the kernel, in row blocks with halos
    assert ref.mask.sum() > 1000  # ships, cranes and quay corners: a real test of the scores
    assert not got.mask[500:700, 40:160].any()  # nothing inside the NaN hole


def test_cfar_kernel_on_integer_input(tile_nir: np.ndarray) -> None:
    img = np.nan_to_num(tile_nir[:900]).astype(np.uint16)
    ref = change._cfar_rows(img, None, None, 2, 6, 2.5, 0.0)
    _same(ref, change._cfar_fast(img, None, None, 2, 6, 2.5, 0.0))


def test_stat_sample_keeps_small_inputs_whole_and_spreads_over_large_ones() -> None:
    small = np.arange(1000.0)
    assert np.array_equal(stat_sample(small, size=1000), small)
    big = np.arange(10_001.0).reshape(73, 137)
    got = stat_sample(big, size=1000)
    assert got.size <= 1000
    assert got[0] == 0.0 and got[-1] >= 9_990.0  # first row to last
    assert np.all(np.diff(got) == got[1] - got[0])  # evenly spaced
    assert abs(float(np.median(got)) - float(np.median(big))) < 20.0


@pytest.mark.parametrize("share", [0.01, 0.7, 1.0])
def test_sample_positions_are_every_kth_valid_pixel_without_listing_all(share: float) -> None:
    mask = np.random.default_rng(7).random((2300, 1900)) < share
    got = change._sample_positions(mask, size=50_000)
    assert np.array_equal(got, stat_sample(np.flatnonzero(mask), size=50_000))
    assert mask.ravel()[got].all() and got.size <= 50_000


def test_fused_cva_equals_normalise_difference_norm_and_mean(
    tile_nir: np.ndarray, repo: Path
) -> None:
    """The one-pass CVA kernel gives apply_gain + band_difference + _norm_and_mean's
    float32 results bit for bit, on the bundled port pair tiled to a tile-sized block."""
    rasterio = pytest.importorskip("rasterio")
    stacks = []
    for d in ("20150820", "20171003"):
        with rasterio.open(repo / "imagery" / f"beirut-port_S2L1C_{d}.tif") as ds:
            data = ds.read().astype(np.float32) * np.float32(1e-4)
        stacks.append(np.ascontiguousarray(np.tile(data, (1, 8, 4))))
    before, after = stacks
    before[:, 40:60, 10:30] = np.nan
    gain = np.array([1.03, 0.97, 1.11, 0.9], np.float32)
    bias = np.array([0.001, -0.002, 0.0005, 0.01], np.float32)
    ref_mag, ref_signed = change._norm_and_mean(
        change.band_difference(before, change.apply_gain(after, gain, bias))
    )
    mag, signed = _kernels.cva_normalised(before, after, gain, bias)
    assert np.array_equal(mag, ref_mag, equal_nan=True)
    assert np.array_equal(signed, ref_signed, equal_nan=True)
    assert np.isnan(mag[40:60, 10:30]).all() and np.isfinite(mag[100:200]).all()
