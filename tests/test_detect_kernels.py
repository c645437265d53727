"""The numba kernels give their numpy references' results, bit for bit, on real imagery."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basewatch.detect import _kernels, change
from basewatch.detect.change import CFAR_BLOCK_ROWS, cfar, stat_sample
from basewatch.errors import InputError


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


def _blocked_reference(
    img: np.ndarray, valid: np.ndarray | None, guard: int, background: int
) -> change.CFARResult:
    """The numpy reference block by block, each block with its halo, as the kernel's
    blocks are defined."""
    parts = []
    for h0, h1, r0, r1 in _kernels.cfar_blocks(
        img.shape[0], block_rows=CFAR_BLOCK_ROWS, halo=background
    ).tolist():
        block = change._cfar_rows(
            img[h0:h1], None if valid is None else valid[h0:h1], None, guard, background, 3.0, 0.001
        )
        parts.append(tuple(a[r0 - h0 : r1 - h0] for a in block[:3]))
    mask, score, mean = (np.concatenate(a) for a in zip(*parts, strict=True))
    return change.CFARResult(mask, score, mean, 3.0)


@pytest.mark.parametrize("valid", [False, True])
def test_cfar_blocks_and_their_parts_give_the_numpy_reference(
    tile_nir: np.ndarray, valid: bool
) -> None:
    """Reflectance (sums that round): each row block's integral images are made row by
    row in a ring and the blocks are cut into parts scored in parallel; every pixel gets
    the reference's value for its block, whatever the number of parts."""
    numba = pytest.importorskip("numba")
    img = (tile_nir[:, :150] / np.float32(10000.0) + np.float32(0.1)).astype(np.float32)
    water = img < np.nanpercentile(img, 40) if valid else None
    ref = _blocked_reference(img, water, 4, 12)
    if not valid:  # the blocks' values are not the whole image's here
        whole = change._cfar_rows(img, None, None, 4, 12, 3.0, 0.001)
        assert not np.array_equal(ref.score, whole.score, equal_nan=True)
    threads = numba.get_num_threads()
    try:
        for n in sorted({1, threads}):
            numba.set_num_threads(n)  # one part per block, then more than one
            got = cfar(img, valid=water, guard=4, background=12, k=3.0, min_std=0.001)
            _same(ref, got)
    finally:
        numba.set_num_threads(threads)
    assert np.isfinite(ref.score).sum() > img.size // 4
    assert ref.mask.sum() > 100


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (1, 1), (3, 2)])
def test_cfar_of_images_without_rows_or_columns(shape: tuple[int, int]) -> None:
    img = np.ones(shape, dtype=np.float32)
    got = cfar(img, guard=1, background=2, k=3.0)
    assert got.mask.shape == got.score.shape == got.background.shape == shape
    assert not got.mask.any()  # too few background pixels to score anything
    _same(change._cfar_rows(img, None, None, 1, 2, 3.0, 0.0), got)


def test_cfar_blocks_cover_every_row_once() -> None:
    for rows in (0, 1, 900, CFAR_BLOCK_ROWS + 24, CFAR_BLOCK_ROWS + 25, 3 * CFAR_BLOCK_ROWS + 7):
        blocks = _kernels.cfar_blocks(rows, block_rows=CFAR_BLOCK_ROWS, halo=12)
        scored = np.concatenate([np.arange(r0, r1) for _, _, r0, r1 in blocks])
        assert np.array_equal(scored, np.arange(rows))
        h0, h1, r0, r1 = blocks.T
        assert (h0 >= 0).all() and (h1 <= rows).all()
        assert (h0 == np.maximum(r0 - 12, 0)).all() or len(blocks) == 1
        assert (h1 == np.minimum(r1 + 12, rows)).all() or len(blocks) == 1


@pytest.mark.parametrize("width", [8, 20, 25, 26, 40])
def test_cfar_kernel_on_strips_narrower_than_or_near_its_square(
    tile_nir: np.ndarray, width: int
) -> None:
    # the kernel treats the columns whose background square lies inside the image
    # apart from those near the edges: images with none of them, one, and a few
    img = tile_nir[100:400, 300 : 300 + width]
    water = img < np.nanpercentile(tile_nir, 40)
    ref = change._cfar_rows(img, water, None, 4, 12, 3.0, 10.0)
    _same(ref, change._cfar_fast(img, water, None, 4, 12, 3.0, 10.0))
    assert np.isfinite(ref.score).sum() > 0


@pytest.mark.parametrize("masks", ["none", "valid", "valid+search"])
def test_median_cfar_kernel_equals_its_reference(tile_nir: np.ndarray, masks: str) -> None:
    """The ring's median and interquartile range (``statistic="median"``): the kernel's
    sliding histograms give what sorting each ring's values gives, on real NIR with
    its NaN hole (a crop: the reference goes pixel by pixel)."""
    img = np.ascontiguousarray(tile_nir[450:610, :200])
    img[60:70, 150:160] = 0.0  # values under the floor share its bin
    water = img < np.nanpercentile(img, 40)
    valid = water if "valid" in masks else None
    search = None
    if "search" in masks:
        search = np.zeros(img.shape, bool)
        search[:, :120] = True
    ref = change._median_cfar_rows(img, valid, search, 2, 8, 3.0, 0.0)
    got = cfar(img, valid=valid, search=search, guard=2, background=8, k=3.0, statistic="median")
    _same(ref, got)
    assert ref.mask.sum() > 20  # bright hulls and quay corners: the scores are tested
    assert not got.mask[50:250, 40:160].any()  # nothing inside the NaN hole


def test_median_cfar_in_row_blocks_is_the_whole_images(tile_nir: np.ndarray) -> None:
    """Over CFAR_BLOCK_ROWS rows the median CFAR runs in blocks with halos: each
    pixel's ring is the whole image's, so the blocks give the one-call result."""
    whole = change._median_cfar_fast(tile_nir, None, None, 4, 15, 3.5, 0.0)
    blocks = cfar(tile_nir, guard=4, background=15, k=3.5, statistic="median")
    _same(whole, blocks)
    assert blocks.mask.sum() > 1000
    with pytest.raises(InputError, match="statistic 'mode' is not one of mean, median"):
        cfar(tile_nir, statistic="mode")


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


@pytest.fixture(scope="module")
def port_bands(repo: Path) -> tuple[np.ndarray, np.ndarray]:
    """Green and NIR reflectance of the bundled 2017 port scene tiled to a block of
    2064 x 1212 px, with a NaN hole, zero pixels (NDWI 0/0) and pixels whose bands sum
    to 0 but differ (NDWI +-inf), as nodata and bad calibration leave."""
    rasterio = pytest.importorskip("rasterio")
    with rasterio.open(repo / "imagery" / "beirut-port_S2L1C_20171003.tif") as ds:
        data = ds.read().astype(np.float32) * np.float32(1e-4)
    green, nir = (np.ascontiguousarray(np.tile(data[b], (12, 4))) for b in (1, 3))
    green[100:140, 50:90] = np.nan
    green[200, :20] = nir[200, :20] = 0.0
    green[201, :20], nir[201, :20] = 0.01, -0.01
    green[202, :20], nir[202, :20] = -0.01, 0.01
    return green, nir


@pytest.fixture(scope="module")
def port_labels(port_bands: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, int]:
    """Components of the bright NIR pixels of the port (ships, quays, roofs, cranes)."""
    from scipy import ndimage

    nir = port_bands[1]
    bright = np.nan_to_num(nir) > np.nanpercentile(nir, 80)
    labels, n = ndimage.label(bright, structure=np.ones((3, 3), bool))
    assert n > 1000  # many components, of all sizes
    return labels.astype(np.int32), n


@pytest.mark.parametrize("threshold", [0.0, 0.1, -0.3, np.float64(0.1), np.float32(0.05), -2.0])
@pytest.mark.parametrize("use_valid", [False, True])
def test_water_kernel_equals_ndwi_nan_to_num_threshold(
    port_bands: tuple[np.ndarray, np.ndarray], threshold: float, use_valid: bool
) -> None:
    from basewatch.detect import components

    green, nir = port_bands
    valid = np.asarray(nir < 0.2) if use_valid else None
    ref = components._water_mask_reference(
        green, nir, threshold=threshold, valid=valid, nan_ndwi=-1.0
    )
    got = components.water_mask(green, nir, threshold=threshold, valid=valid)
    assert np.array_equal(got, ref)
    assert 0.05 < ref.mean() < 0.95 or threshold < 0  # a real split of sea and land
    # NaN NDWI (a NaN band, 0 / 0) is -1: water only below that threshold
    nan_valid = valid is None or bool(valid[120, 60] and valid[200, 5])
    assert got[120, 60] == got[200, 5] == (threshold < -1.0 and nan_valid)


@pytest.mark.parametrize(("inner", "outer"), [(0, 2), (0, 1), (1, 3), (2, 5)])
def test_ring_kernel_equals_the_two_maximum_filters(
    port_labels: tuple[np.ndarray, int], inner: int, outer: int
) -> None:
    from basewatch.detect import components

    labels, _ = port_labels
    ref_at, ref_lab = components._ring_pixels_reference(labels, inner_px=inner, outer_px=outer)
    at, lab = _kernels.ring_pixels(labels, inner_px=inner, outer_px=outer)
    assert np.array_equal(at, ref_at) and np.array_equal(lab, ref_lab)
    assert lab.dtype == labels.dtype and at.size > 10_000
    # a crop view (not contiguous) gives the crop's ring
    view = labels[300:900, 100:700]
    ref_at, ref_lab = components._ring_pixels_reference(view, inner_px=inner, outer_px=outer)
    at, lab = _kernels.ring_pixels(view, inner_px=inner, outer_px=outer)
    assert np.array_equal(at, ref_at) and np.array_equal(lab, ref_lab)


def test_label_sizes_and_lookup_equal_bincount_and_indexing(
    port_labels: tuple[np.ndarray, int],
) -> None:
    labels, n = port_labels
    sizes = _kernels.label_sizes(labels, n)
    assert np.array_equal(sizes, np.bincount(labels.ravel(), minlength=n + 1))
    table = sizes >= 6
    assert np.array_equal(_kernels.label_lookup(labels, table), table[labels])
    view = labels[::2, 5:]
    assert np.array_equal(_kernels.label_lookup(view, table), table[view])


def test_labelled_pixels_equal_flatnonzero_and_gather(port_labels: tuple[np.ndarray, int]) -> None:
    labels, _ = port_labels
    for lab in (labels, labels[::2, 5:], labels[100:900, 33:800].astype(np.int64), labels[:0]):
        at, got = _kernels.labelled_pixels(lab)
        ref = np.flatnonzero(lab)
        assert np.array_equal(at, ref) and at.dtype == np.int64
        assert np.array_equal(got, lab.ravel()[ref]) and got.dtype == lab.dtype
    assert len(_kernels.labelled_pixels(labels)[0]) > 100_000  # the port's bright pixels


def test_nan_outside_equals_masked_assignment(port_bands: tuple[np.ndarray, np.ndarray]) -> None:
    green, nir = port_bands
    ok = np.isfinite(green) & (nir > np.nanmedian(nir))
    got = [green.copy(), nir.copy()]
    _kernels.nan_outside(ok, *got)
    for image, out in zip((green, nir), got, strict=True):
        ref = image.copy()
        ref[~ok] = np.nan
        assert np.array_equal(out, ref, equal_nan=True)
    assert np.isnan(got[1][~ok]).all() and np.isfinite(got[1][ok]).all()


def test_label_sums_equal_bincount_of_the_converted_values(
    port_bands: tuple[np.ndarray, np.ndarray], port_labels: tuple[np.ndarray, int]
) -> None:
    """Ring means and object means add float64 values per label in one pass: what
    bincount gives of the finite values (or of all, non-finite counted 0), bit for bit."""
    green, nir = port_bands
    labels, n = port_labels
    with np.errstate(divide="ignore", invalid="ignore"):
        index = (green - nir) / (green + nir)  # NaN and +-inf among the values
    at = np.flatnonzero(labels)
    lab = labels.ravel()[at]
    for values in (index.ravel()[at], nir.ravel()[at] > 0.1, nir.ravel()[at].astype(np.float64)):
        v = values.astype(np.float64)
        ok = np.isfinite(v)
        counts, sums = _kernels.label_sums(values, lab, n, skip_nonfinite=True)
        assert np.array_equal(counts, np.bincount(lab[ok], minlength=n + 1))
        assert np.array_equal(sums, np.bincount(lab[ok], v[ok], minlength=n + 1))
        counts, sums = _kernels.label_sums(values, lab, n, skip_nonfinite=False)
        assert np.array_equal(counts, np.bincount(lab, minlength=n + 1))
        ref = np.bincount(lab, np.where(ok, v, 0.0), minlength=n + 1)
        assert np.array_equal(sums, ref)
    assert not np.isfinite(index.ravel()[at]).all()  # the non-finite values were there


def test_label_lookup_renumbers_in_place(port_labels: tuple[np.ndarray, int]) -> None:
    labels, n = port_labels
    work = labels.astype(np.int32)
    # keep every other component, renumbered 1..m in order: what _bright_objects does
    keep = np.arange(n + 1) % 2 == 1
    remap = np.where(keep, np.cumsum(keep), 0).astype(np.int32)
    expected = remap[work]
    got = _kernels.label_lookup(work, remap, out=work)
    assert got is work
    assert np.array_equal(work, expected)
    with pytest.raises(ValueError, match="out must be a C-contiguous int32"):
        _kernels.label_lookup(work, remap, out=np.empty(work.shape, np.int64))


def test_fill_small_holes_equals_label_bincount_and_table(
    port_bands: tuple[np.ndarray, np.ndarray],
) -> None:
    from scipy import ndimage

    from basewatch.detect.components import fill_small_holes, water_mask

    water = water_mask(*port_bands)
    holes, n = ndimage.label(~water)
    sizes = np.bincount(holes.ravel(), minlength=n + 1)
    edge = np.unique(np.concatenate([holes[0], holes[-1], holes[:, 0], holes[:, -1]]))
    fill = sizes <= 60
    fill[0] = False
    fill[edge] = False
    ref = water | fill[holes]
    got = fill_small_holes(water, max_hole_px=60)
    assert np.array_equal(got, ref)
    assert got.sum() > water.sum()  # ships and buoys filled


def test_label_moments_boxes_and_gathers_on_crops(port_labels: tuple[np.ndarray, int]) -> None:
    from scipy import ndimage

    from basewatch.detect.components import gather, label_max, label_moments

    labels, n = port_labels
    lm = label_moments(labels, n + 3)  # three labels with no pixel: zero boxes
    boxes = [(s[0].start, s[1].start, s[0].stop, s[1].stop) for s in ndimage.find_objects(labels)]
    assert np.array_equal(lm.box[:n], np.array(boxes)) and not lm.box[n:].any()
    img = np.arange(labels.size, dtype=np.float64).reshape(labels.shape)
    crop = img[100:900, 33:800]
    idx = np.flatnonzero(labels[100:900, 33:800])
    assert np.array_equal(gather(crop, idx), crop.ravel()[idx])
    score = np.where(labels % 7 == 0, np.nan, img).astype(np.float32)
    ref = np.full(n + 1, -np.inf)
    np.maximum.at(ref, labels.ravel(), np.nan_to_num(score, nan=0.0).astype(np.float64).ravel())
    assert np.array_equal(label_max(labels, n, score, nan=0.0), ref[1:])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 9),
    st.integers(0, 9),
    st.floats(0.2, 0.9),
    st.integers(0, 2**32 - 1),
)
def test_closing_and_opening_equal_scipy_on_small_masks(
    rows: int, cols: int, share: float, seed: int
) -> None:
    """Images down to no rows or columns, and one or two: where no square fits, and
    where the closing's border leaves nothing."""
    from scipy import ndimage

    rng = np.random.default_rng(seed)
    mask = rng.random((rows, cols)) < share
    valid = rng.random((rows, cols)) > 0.1
    closed = ndimage.binary_closing(mask, np.ones((3, 3), bool)) & valid
    assert np.array_equal(_kernels.close_3x3(mask, valid), closed)
    opened = ndimage.binary_opening(mask, np.ones((2, 2), bool))
    assert np.array_equal(_kernels.open_2x2(mask), opened)


def test_change_mask_cleaning_kernels_equal_scipy_morphology(repo: Path) -> None:
    """Opening by 2 x 2 (with large components kept whole) and closing by 3 x 3 within
    the valid pixels, as change_components cleans the change mask, equal scipy's
    binary_opening and binary_closing on the port pair's change mask, tiled, edges
    included."""
    from basewatch.detect import changed
    from basewatch.detect.components import opening_2x2

    rasterio = pytest.importorskip("rasterio")
    stacks = []
    for d in ("20150820", "20171003"):
        with rasterio.open(repo / "imagery" / f"beirut-port_S2L1C_{d}.tif") as ds:
            stacks.append(np.tile(ds.read().astype(np.float32) * np.float32(1e-4), (1, 6, 5)))
    magnitude = np.sqrt(((stacks[1] - stacks[0]) ** 2).sum(axis=0))
    mask = magnitude > np.percentile(magnitude, 90)
    mask[0, :50] = mask[:40, -1] = True  # changes touching the image's edges
    valid = np.ones(mask.shape, bool)
    valid[300:340, 100:180] = False
    ref = changed._clean_reference(mask, valid, opening=True, closing=True)
    opened = opening_2x2(mask) | (mask & changed._large_components(mask))
    assert np.array_equal(
        opened, changed._clean_reference(mask, valid, opening=True, closing=False)
    )
    got = _kernels.close_3x3(opened, valid)
    assert np.array_equal(got, ref)
    assert 0 < got.sum() != mask.sum() and not got[0].any()  # real changes, edges closed off


@pytest.mark.parametrize("size", [1 << 21, 50_000, 7])
def test_finite_sample_equals_stat_sample_of_the_finite_values(
    port_bands: tuple[np.ndarray, np.ndarray], size: int
) -> None:
    """The robust threshold's sample, taken in two passes over the image, is
    stat_sample of the finite values under the mask (NaN, +-inf left out)."""
    green, nir = port_bands
    with np.errstate(divide="ignore", invalid="ignore"):
        image = (green - nir) / (green + nir)  # NaN and +-inf where the bands are bad
    where = nir < 0.15
    v = image[where]
    ref = stat_sample(v[np.isfinite(v)], size=size)
    count, least, greatest, got = _kernels.finite_sample(image, where, size=size)
    assert np.array_equal(got, ref) and got.dtype == np.float32
    assert count == int(np.isfinite(v).sum()) > 100_000
    assert (least, greatest) == (float(v[np.isfinite(v)].min()), float(v[np.isfinite(v)].max()))
    assert np.isinf(image[where]).any()  # the infinite values were there to leave out


def test_change_threshold_from_the_sample_equals_auto_threshold(
    port_bands: tuple[np.ndarray, np.ndarray],
) -> None:
    green, nir = port_bands
    magnitude = np.hypot(green - np.roll(green, 3, axis=1), nir - np.roll(nir, 3, axis=1))
    where = np.isfinite(magnitude) & (nir < 0.3)
    for k in (3.0, 6.0):
        ref = change.auto_threshold(magnitude[where], method="robust", k=k)
        assert change._auto_threshold_where(magnitude, where, method="robust", k=k) == ref
    flat = np.full((40, 50), 0.25, np.float32)  # no change at all: its value
    assert change._auto_threshold_where(flat, flat > 0, method="robust", k=6.0) == 0.25


def test_one_ring_serves_contrasts_and_the_water_fraction(
    port_bands: tuple[np.ndarray, np.ndarray], port_labels: tuple[np.ndarray, int]
) -> None:
    """What change detection reads around each object (two dates' contrasts and the
    water ring) from one ring equals the separate calls, bit for bit."""
    from basewatch.detect.components import (
        _CONTRAST_RING_PX,
        local_contrasts,
        local_contrasts_and_ring_means,
        ring_mean,
        water_mask,
    )

    green, nir = port_bands
    labels, n = port_labels
    water = water_mask(green, nir)
    (cg, cn), (ring,) = local_contrasts_and_ring_means(labels, n, [green, nir], [water])
    ref_g, ref_n = local_contrasts(labels, n, [green, nir])
    ref_ring = ring_mean(labels, n, water.astype(np.float32), outer_px=_CONTRAST_RING_PX)
    assert np.array_equal(cg, ref_g) and np.array_equal(cn, ref_n)
    assert np.array_equal(ring, ref_ring, equal_nan=True)
    assert 0.0 < np.nanmean(ring) < 1.0 and (cn > 0.1).sum() > 100  # real rings, real objects


def test_a_ring_found_once_reads_masked_images_at_its_pixels_as_ring_mean_does(
    port_bands: tuple[np.ndarray, np.ndarray], port_labels: tuple[np.ndarray, int]
) -> None:
    """The vessel candidates' ring features: each band over the water, read at the
    ring's pixels, equal ring_mean of the band masked over the whole image."""
    from basewatch.detect.components import component_ring, ring_mean, water_mask

    green, nir = port_bands
    labels, n = port_labels
    water = water_mask(green, nir)
    ring = component_ring(labels, n, inner_px=1, outer_px=4)
    assert ring.at.shape == ring.owner.shape and ring.owner.min() >= 1
    for band in (green, nir):
        masked = np.where(ring.values(water), ring.values(band), np.float32(np.nan))
        ref = ring_mean(
            labels, n, np.where(water, band, np.float32(np.nan)), inner_px=1, outer_px=4
        )
        assert np.array_equal(ring.means(masked), ref, equal_nan=True)
    share = ring.mean(water)
    assert np.array_equal(
        share, ring_mean(labels, n, water, inner_px=1, outer_px=4), equal_nan=True
    )
    assert 0.0 < np.nanmean(share) < 1.0


def test_seeded_components_renumbered_equal_labelling_them_again(
    port_bands: tuple[np.ndarray, np.ndarray],
) -> None:
    """Hysteresis keeps whole components of the low mask; renumbering the seeded ones
    in label order gives what ndimage.label of the kept mask gives."""
    from scipy import ndimage

    nir = port_bands[1]
    eight = np.ones((3, 3), bool)
    low = np.nan_to_num(nir) > np.nanpercentile(nir, 85)
    seeds = np.nan_to_num(nir) > np.nanpercentile(nir, 97)
    lab_low, n_low = ndimage.label(low, structure=eight)
    seeded = np.zeros(n_low + 1, dtype=bool)
    seeded[np.unique(lab_low[seeds])] = True
    seeded[0] = False
    ref, n = ndimage.label(seeded[lab_low], structure=eight)
    number = np.where(seeded, np.cumsum(seeded), 0).astype(np.int32)
    got = _kernels.label_lookup(lab_low, number)
    assert np.array_equal(got, ref) and got.dtype == np.int32
    assert 100 < n == int(seeded.sum()) < n_low  # some components seeded, some not


def test_label_lookup_reads_zone_minus_one_as_numpy_does() -> None:
    # a zone index: -1 outside every zone, reading the table's last entry
    zone_idx = np.repeat(np.arange(-1, 4, dtype=np.int16), 7).reshape(5, 7)
    table = np.array([True, False, True, False, False])
    assert np.array_equal(_kernels.label_lookup(zone_idx, table), table[zone_idx])
    groups = np.array([1, 2, 0, 2, 0], dtype=np.int8)
    assert np.array_equal(_kernels.label_lookup(zone_idx, groups), groups[zone_idx])


def test_masked_sample_equals_numpy(port_bands: tuple[np.ndarray, np.ndarray]) -> None:
    green, nir = port_bands
    where = nir < 0.1
    count, got = _kernels.masked_sample(green, where, size=30_000)
    assert count == int(where.sum()) > 30_000
    assert np.array_equal(got, stat_sample(green[where], size=30_000), equal_nan=True)
    assert np.isnan(got).any()  # NaN values are kept, unlike finite_sample


def test_finite_pair_equals_isfinite_all_of_both_stacks(repo: Path) -> None:
    rasterio = pytest.importorskip("rasterio")
    stacks = []
    for d in ("20150820", "20171003"):
        with rasterio.open(repo / "imagery" / f"beirut-port_S2L1C_{d}.tif") as ds:
            stacks.append(np.tile(ds.read().astype(np.float32), (1, 3, 2)))
    before, after = stacks
    before[2, 10:30, 5:25] = np.nan  # a cloud in one band
    after[:, 100:104, :] = np.inf  # a bad line in every band
    after[0, 200, 7] = -np.inf
    ref = np.isfinite(before).all(axis=0) & np.isfinite(after).all(axis=0)
    got = _kernels.finite_pair(before, after)
    assert np.array_equal(got, ref) and 0 < (~got).sum() < got.size


def test_water_bodies_equal_the_numpy_definition(repo: Path) -> None:
    """``vessels.water_bodies`` (sizes and lookup by the label kernels) keeps exactly the
    pieces ``np.bincount`` and ``keep[labels]`` keep, on the bundled port's NDWI water."""
    from scipy import ndimage

    from basewatch.detect.components import water_mask
    from basewatch.detect.vessels import water_bodies
    from basewatch.imagery.local import read_geotiff

    scene = read_geotiff(repo / "imagery" / "beirut-port_S2L1C_20150820.tif")
    water = water_mask(scene.band("B03"), scene.band("B08"), threshold=0.0, valid=scene.valid)
    tiled = np.tile(water, (3, 3))
    for min_px in (2, 30, 500):
        lab, n = ndimage.label(tiled, structure=np.ones((3, 3), dtype=bool))
        keep = np.bincount(lab.ravel(), minlength=n + 1) >= min_px
        keep[0] = False
        assert np.array_equal(water_bodies(tiled, min_px=min_px), keep[lab])


def _scipy_structure(eight: bool) -> np.ndarray | None:
    return np.ones((3, 3), bool) if eight else None  # None: scipy's 4-connected cross


@pytest.mark.parametrize("eight", [False, True])
@pytest.mark.parametrize("strips", [1, 2, 5, 17, None])
def test_label_components_numbers_as_scipy_on_the_port(
    port_bands: tuple[np.ndarray, np.ndarray], eight: bool, strips: int | None
) -> None:
    from scipy import ndimage

    green, nir = port_bands
    # bright NIR (ships, quays, roofs) and the water with its holes: components of
    # every size and shape, many of them across the strips' borders
    for mask in (np.nan_to_num(nir) > np.nanpercentile(nir, 80), green > nir):
        ref, n = ndimage.label(mask, structure=_scipy_structure(eight))
        got, k = _kernels.label_components(mask, eight=eight, strips=strips)
        assert k == n > 100
        assert got.dtype == np.int32
        assert np.array_equal(got, ref)


@settings(max_examples=150, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    density=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**32 - 1),
    eight=st.booleans(),
    strips=st.integers(1, 12),
)
def test_label_components_equals_scipy_on_random_masks(
    shape: tuple[int, int], density: float, seed: int, eight: bool, strips: int
) -> None:
    from scipy import ndimage

    mask = np.random.default_rng(seed).random(shape) < density
    ref, n = ndimage.label(mask, structure=_scipy_structure(eight))
    got, k = _kernels.label_components(mask, eight=eight, strips=strips)
    assert k == n
    assert np.array_equal(got, ref)


def test_label_components_joins_shapes_across_every_strip() -> None:
    # a comb whose teeth stand on its last row, and a bar beside it: the comb's first
    # pixel is far from where its teeth meet, in another strip
    mask = np.zeros((60, 30), bool)
    mask[:, 2:28:4] = True
    mask[59, 2:27] = True
    mask[5:50, 29] = True
    mask[10:50, 28] = True
    got, k = _kernels.label_components(mask, eight=False, strips=12)
    assert k == 2
    assert got[0, 2] == 1 and got[5, 29] == 2
    assert np.array_equal(got > 0, mask)
    assert len(np.unique(got[mask])) == 2
    empty, none = _kernels.label_components(np.zeros((7, 0), bool), eight=True)
    assert none == 0 and empty.shape == (7, 0)
    with pytest.raises(ValueError, match="2-D"):
        _kernels.label_components(np.ones((2, 2, 2), bool), eight=True)


@pytest.mark.parametrize("steps", [1, 2, 3, 6])
def test_dilate_cross_equals_iterated_scipy_dilation(
    port_bands: tuple[np.ndarray, np.ndarray], steps: int
) -> None:
    from scipy import ndimage

    green, nir = port_bands
    water = green > nir
    ref = ndimage.binary_dilation(water, iterations=steps)
    got = _kernels.dilate_cross(water, steps)
    assert np.array_equal(got, ref)
    assert got.sum() > water.sum()  # the quays' edges grew into
    rng = np.random.default_rng(steps)
    for shape in ((1, 9), (9, 1), (13, 21)):
        sparse = rng.random(shape) < 0.1
        assert np.array_equal(
            _kernels.dilate_cross(sparse, steps), ndimage.binary_dilation(sparse, iterations=steps)
        )
    with pytest.raises(ValueError, match="at least one step"):
        _kernels.dilate_cross(water, 0)


@pytest.mark.parametrize("radius", [1.0, 2.5, 3.0, 4.2])
def test_disc_erosion_and_dilation_equal_scipy_on_a_port(
    port_bands: tuple[np.ndarray, np.ndarray], radius: float
) -> None:
    from scipy import ndimage

    from basewatch.detect.water import _disc

    green, nir = port_bands
    land = ~(green > nir)  # the land of a real port: quays, piers, breakwaters
    disc = _disc(radius)
    assert _kernels.row_runs(disc) is not None
    eroded = _kernels.erode_by(land, disc)
    assert np.array_equal(eroded, ndimage.binary_erosion(land, disc, border_value=1))
    grown = _kernels.dilate_by(eroded, disc)
    assert np.array_equal(grown, ndimage.binary_dilation(eroded, disc))
    assert eroded.sum() < grown.sum() <= land.sum()  # an opening: thin parts taken off


@settings(max_examples=200, deadline=None)
@given(
    rows=st.integers(1, 30),
    cols=st.integers(1, 30),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**16),
    element=st.sampled_from(["disc", "square", "cross", "ring", "bar", "asymmetric"]),
    size=st.integers(0, 4),
)
def test_erode_and_dilate_by_equal_scipy(
    rows: int, cols: int, density: float, seed: int, element: str, size: int
) -> None:
    from scipy import ndimage

    from basewatch.detect.water import _disc

    mask = np.random.default_rng(seed).random((rows, cols)) < density
    side = 2 * size + 1
    structure = {
        "disc": _disc(size + 0.5),
        "square": np.ones((side, side), bool),
        "cross": ndimage.iterate_structure(ndimage.generate_binary_structure(2, 1), size + 1),
        "ring": _disc(size + 1.5) & ~np.pad(_disc(size + 0.5), 1),  # not runs: scipy
        "bar": np.ones((1, side), bool),
        "asymmetric": np.tril(np.ones((side + 2, side + 2), bool)),  # scipy
    }[element]
    assert np.array_equal(
        _kernels.erode_by(mask, structure),
        ndimage.binary_erosion(mask, structure, border_value=1),
    )
    assert np.array_equal(
        _kernels.dilate_by(mask, structure), ndimage.binary_dilation(mask, structure)
    )


def test_object_params_refuse_a_connectivity_other_than_sides_or_corners() -> None:
    from basewatch.detect.components import ObjectParams
    from basewatch.errors import InputError

    assert ObjectParams(connectivity=1).connectivity == 1
    with pytest.raises(InputError, match="connectivity is 3"):
        ObjectParams(connectivity=3)


@pytest.mark.parametrize("eight", [False, True])
def test_label_components_by_part_equals_each_part_labelled_on_its_own(
    port_bands: tuple[np.ndarray, np.ndarray], eight: bool
) -> None:
    from scipy import ndimage

    nir = port_bands[1]
    mask = np.nan_to_num(nir) > np.nanpercentile(nir, 70)
    # three parts in bands of columns and a diagonal, and pixels of no part (0, -1):
    # components of the mask run across every border between them
    rows, cols = np.indices(mask.shape)
    part = (1 + (cols * 3 // cols.shape[1]) + (rows > cols)).astype(np.int8) % 4
    part[:, ::97] = -1
    ref = np.zeros(mask.shape, np.int32)
    n = 0
    for p in range(1, 4):
        lab, k = ndimage.label(mask & (part == p), structure=_scipy_structure(eight))
        ref[lab > 0] = lab[lab > 0] + n
        n += k
    got, k = _kernels.label_components(mask, eight=eight, part=part, strips=7)
    assert k == n > 1000
    assert np.array_equal(got, ref)
    with pytest.raises(ValueError, match="one shape"):
        _kernels.label_components(mask, eight=eight, part=part[:-1])


def test_band_mean_equals_numpy_mean_over_the_bands(repo: Path) -> None:
    rasterio = pytest.importorskip("rasterio")
    with rasterio.open(repo / "imagery" / "beirut-port_S2L1C_20171003.tif") as ds:
        data = ds.read().astype(np.float32) * np.float32(1e-4)
    data[2, 10:20, 10:20] = np.nan  # a band's nodata makes the mean NaN
    for stack in (data, data.astype(np.float64), data[:3], data[:1]):
        got = _kernels.band_mean(stack)
        assert got.dtype == stack.dtype
        assert np.array_equal(got, stack.mean(axis=0), equal_nan=True)
    assert np.isnan(_kernels.band_mean(data)[10:20, 10:20]).all()
    ints = (data[:, 30:80, 30:80] * 1e4).astype(np.int16)  # other types: numpy's own mean
    assert np.array_equal(_kernels.band_mean(ints), ints.mean(axis=0))


def test_contrasts_of_band_stacks_equal_those_of_their_band_means(
    repo: Path, port_labels: tuple[np.ndarray, int]
) -> None:
    """The change path gives the scenes' band stacks for the brightness: their band mean
    taken at the pixels read equals the band-mean image there, bit for bit (whole
    stacks and crops, float32 and float64, a band's NaN), and so do the contrasts."""
    rasterio = pytest.importorskip("rasterio")
    from basewatch.detect.components import gather, local_contrasts_and_ring_means, water_mask

    with rasterio.open(repo / "imagery" / "beirut-port_S2L1C_20171003.tif") as ds:
        data = ds.read().astype(np.float32) * np.float32(1e-4)
    data = np.ascontiguousarray(np.tile(data, (1, 12, 4)))  # the labels' block
    data[2, 10:20, 10:20] = np.nan
    labels, n = port_labels
    assert labels.shape == data.shape[1:]
    idx = np.flatnonzero(labels.ravel() > 0)
    for stack in (data, data.astype(np.float64), data[:, 100:900, 33:800]):
        at = idx[idx < stack.shape[1] * stack.shape[2]]
        got = gather(stack, at)
        assert got.dtype == stack.dtype
        assert np.array_equal(got, _kernels.band_mean(stack).ravel()[at], equal_nan=True)
    ints = (data[:, 30:80, 30:80] * 1e4).astype(np.int16)
    assert np.array_equal(gather(ints, np.arange(2500)), ints.mean(axis=0).ravel())
    assert np.isnan(gather(data, np.array([15 * data.shape[2] + 15]))).all()
    water = water_mask(data[1], data[3])
    stacks = [data, data[::-1].copy()]
    got_c, got_r = local_contrasts_and_ring_means(labels, n, stacks, [water])
    ref_c, ref_r = local_contrasts_and_ring_means(
        labels, n, [_kernels.band_mean(s) for s in stacks], [water]
    )
    for g, r in zip([*got_c, *got_r], [*ref_c, *ref_r], strict=True):
        assert np.array_equal(g, r, equal_nan=True)
    assert (got_c[0] > 0.1).sum() > 10  # real objects brighter than their rings
    with pytest.raises(ValueError, match="no band"):
        gather(data[:0], at)


def test_label_moments_kernel_equals_the_numpy_reference(
    port_labels: tuple[np.ndarray, int],
) -> None:
    from basewatch.detect.components import _label_moments_reference, label_moments

    labels, n = port_labels
    for lab, k in ((labels, n + 3), (labels[100:900, 33:800], n)):  # a crop, empty labels
        got, ref = label_moments(lab, k), _label_moments_reference(lab, k)
        for field in ("moments", "box", "flat_index", "lab"):
            assert np.array_equal(getattr(got, field), getattr(ref, field)), field
            assert getattr(got, field).dtype == np.int64
        # the shapes alone (one pass): the same moments and boxes, no pixel lists
        shapes = label_moments(lab, k, pixels=False)
        assert np.array_equal(shapes.moments, ref.moments)
        assert np.array_equal(shapes.box, ref.box)
        assert shapes.flat_index.size == 0 and shapes.lab.size == 0
    assert (label_moments(labels, n).moments[:, 0] > 0).all()
    for pixels in (True, False):
        with pytest.raises(ValueError, match=r"must lie in 0\.\."):
            _kernels.label_moments(labels, n - 1, pixels=pixels)
        with pytest.raises(ValueError, match=r"must lie in 0\.\."):
            _kernels.label_moments(np.where(labels == 1, -1, labels), n, pixels=pixels)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(-3, 3, allow_nan=False, width=32),
            st.integers(-40, 40).map(lambda k: k / 8.0),  # values on the bins' edges
            st.just(float("nan")),
        ),
        min_size=2,
        max_size=400,
    ),
    st.sampled_from([np.float32, np.float64]),
    st.sampled_from([1, 7, 256]),
)
def test_uniform_histogram_counts_what_numpy_counts(
    values: list[float], dtype: type, bins: int
) -> None:
    arr = np.array(values, dtype=dtype)
    finite = arr[np.isfinite(arr)].astype(np.float64)
    lo, hi, n = _kernels.finite_range(arr)
    assert n == finite.size
    if n < 2 or lo == hi:
        return
    assert (lo, hi) == (finite.min(), finite.max())
    counts, edges = _kernels.uniform_histogram(arr, lo, hi, bins)
    want, want_edges = np.histogram(finite, bins=bins, range=(lo, hi))
    np.testing.assert_array_equal(counts, want)
    np.testing.assert_array_equal(edges, want_edges)
    # a mask counts only its values, as indexing by it would (without the copy)
    where = np.arange(arr.size) % 3 != 1
    part = arr[where]
    part = part[np.isfinite(part)].astype(np.float64)
    lo_w, hi_w, n_w = _kernels.finite_range(arr, where)
    assert n_w == part.size
    if n_w:
        assert (lo_w, hi_w) == (part.min(), part.max())
    if n_w >= 2 and lo_w < hi_w:
        got, _ = _kernels.uniform_histogram(arr, lo_w, hi_w, bins, where)
        np.testing.assert_array_equal(got, np.histogram(part, bins=bins, range=(lo_w, hi_w))[0])


def test_the_water_threshold_is_skimages_otsu_on_a_real_image(repo: Path) -> None:
    # water_threshold histograms the index in one pass (no float64 copy of the finite
    # values): the threshold must be skimage's on those values
    from skimage.filters import threshold_otsu

    from basewatch.detect.components import ndwi
    from basewatch.detect.water import water_threshold
    from basewatch.imagery.local import read_geotiff

    scene = read_geotiff(repo / "imagery" / "beirut-port_S2L1C_20150820.tif")
    index = ndwi(scene.band("B03"), scene.band("B08"))
    values = index.astype(np.float64)
    values = values[np.isfinite(values)]
    assert water_threshold(index) == float(threshold_otsu(values))
    # and over part of the image, as water_masks gives it its usable pixels
    half = np.zeros(index.shape, bool)
    half[:, : index.shape[1] // 2] = True
    part = index[half].astype(np.float64)
    part = part[np.isfinite(part)]
    assert water_threshold(index, where=half) == float(threshold_otsu(part))
    assert water_threshold(index, where=half) != water_threshold(index)
    with pytest.raises(ValueError, match="shape"):
        water_threshold(index, where=half[1:])


def test_labels_touched_is_numpys() -> None:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 40, size=(60, 50)).astype(np.int32)
    big = rng.random((80, 70)) < 0.2
    seeds = big[10:70, 5:55]  # a window of a larger mask
    touched = _kernels.labels_touched(labels, seeds, 39)
    want = np.zeros(40, bool)
    want[np.unique(labels[seeds & (labels > 0)])] = True
    np.testing.assert_array_equal(touched, want)


def _runs_of(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of a mask along its rows in plain numpy: where each row steps up and
    down."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    r_up, c_up = np.nonzero(step == 1)
    r_down, c_down = np.nonzero(step == -1)
    assert np.array_equal(r_up, r_down)
    return r_up.astype(np.int64), c_up.astype(np.int64), c_down.astype(np.int64)


@pytest.mark.parametrize("density", [0.05, 0.3, 0.6])
def test_runs_label_and_measure_as_the_labelled_image(density: float) -> None:
    from basewatch.detect.components import label_moments

    rng = np.random.default_rng(int(density * 100))
    score = rng.random((90, 70)).astype(np.float32)
    score[rng.random(score.shape) < 0.05] = np.nan
    score[0, :] = 0.99  # a run from edge to edge
    score[:, -1] = 0.99
    level = 1.0 - density
    mask = score > level
    runs = _kernels.runs_above(score, level)
    for got, want in zip(runs, _runs_of(mask), strict=True):
        np.testing.assert_array_equal(got, want)
    # within given runs: the runs of the mask inside them
    inside = rng.random(score.shape) < 0.7
    higher = _kernels.runs_above(score, level + 0.1, _runs_of(mask & inside))
    for got, want in zip(higher, _runs_of((score > level + 0.1) & mask & inside), strict=True):
        np.testing.assert_array_equal(got, want)

    lab, n = _kernels.label_components(mask, eight=True)
    run_lab, n_runs = _kernels.label_runs(runs)
    assert n_runs == n > 3
    painted = np.zeros(mask.shape, np.int32)
    _kernels.paint_runs(runs, run_lab.astype(np.int32), painted)
    np.testing.assert_array_equal(painted, lab)  # the same numbers, in raster order

    seeds = rng.random(mask.shape) < 0.02
    moments, box, seeded = _kernels.run_moments(runs, run_lab, n, seeds)
    want = label_moments(lab, n, pixels=False)
    np.testing.assert_array_equal(moments, want.moments)
    np.testing.assert_array_equal(box, want.box)
    np.testing.assert_array_equal(seeded, _kernels.labels_touched(lab, seeds, n)[1:])
    # painting skips the zeros: only the kept components are written
    keep = np.where(np.arange(1, n + 1) % 2 == 0, np.arange(1, n + 1), 0).astype(np.int32)
    canvas = np.full(mask.shape, -1, np.int32)
    _kernels.paint_runs(runs, keep[run_lab - 1], canvas)
    kept = np.concatenate([[0], keep])[lab]
    np.testing.assert_array_equal(canvas, np.where(kept > 0, kept, -1))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda cols: st.lists(
            st.lists(st.booleans(), min_size=cols, max_size=cols), min_size=1, max_size=12
        )
    )
)
def test_runs_are_labelled_as_scipy_labels_the_mask(rows: list[list[bool]]) -> None:
    from scipy import ndimage

    mask = np.array(rows, dtype=bool)
    runs = _kernels.runs_above(mask.astype(np.float32), 0.5)
    for eight, structure in ((True, np.ones((3, 3), bool)), (False, None)):
        want, n = ndimage.label(mask, structure=structure)
        run_lab, n_runs = _kernels.label_runs(runs, eight=eight)
        painted = np.zeros(mask.shape, np.int32)
        _kernels.paint_runs(runs, run_lab.astype(np.int32), painted)
        assert n_runs == n
        np.testing.assert_array_equal(painted, want)


def test_runs_compare_in_the_scores_dtype() -> None:
    # numpy compares a float32 image with a Python float in float32: a value equal to
    # the level rounded to float32 is not above it, though the float64 level is smaller
    level = 0.1
    value = np.float32(level)
    assert float(value) > level  # float32(0.1) rounds up
    score = np.array([[value, value, 0.0]], dtype=np.float32)
    assert not (score > level).any()
    assert len(_kernels.runs_above(score, level)[0]) == 0
    assert len(_kernels.runs_above(score.astype(np.float64), level)[0]) == 1


def test_fold_abs_max_is_numpys_definition() -> None:
    rng = np.random.default_rng(5)
    scores = [rng.normal(size=(30, 20)).astype(np.float32) for _ in range(3)]
    scores[0][3, 4] = np.nan
    scores[1][5, 6] = np.inf
    scores[2][7, 8] = -np.inf
    scores[2][3, 4] = np.nan
    folded = None
    want = None
    for s in scores:
        folded = _kernels.fold_abs_max(s, folded)
        size = np.abs(np.nan_to_num(s, nan=0.0))
        want = size if want is None else np.maximum(want, size)
    assert folded is not None and folded.dtype == np.float32
    np.testing.assert_array_equal(folded, want)
    assert folded[5, 6] == folded[7, 8] == np.finfo(np.float32).max


@pytest.mark.parametrize("threshold", [-2.5, -1.0, -0.3, 0.0, 0.7, 3.0])
def test_water_index_above_a_threshold_is_nan_to_nums(threshold: float) -> None:
    # water_masks compares NDWI with its threshold as np.nan_to_num(nd, nan=-1) would,
    # without the copy: NaN as -1, infinities as the largest float32 of their sign
    from basewatch.detect.components import NAN_WATER_INDEX
    from basewatch.detect.water import _above

    rng = np.random.default_rng(11)
    index = rng.normal(scale=2.0, size=(40, 30)).astype(np.float32)
    index[rng.random(index.shape) < 0.1] = np.nan
    index[0, :5] = [np.inf, -np.inf, -1.0, np.float32(threshold), np.nan]
    want = np.nan_to_num(index, nan=NAN_WATER_INDEX) > threshold
    got = _above(index, threshold, nan_as=NAN_WATER_INDEX)
    np.testing.assert_array_equal(got, want)
    assert got[0, 0] and not got[0, 1] and got[0, 4] == (threshold < -1.0)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([0.0, -0.0, 1.0, 2.5, np.inf, -np.inf]),
            st.floats(-5, 5, allow_nan=False),
        ),
        max_size=40,
    ),
    st.booleans(),
)
def test_candidate_ranks_are_scipys_mid_ranks(values: list[float], with_nan: bool) -> None:
    # the ranked features of vessel candidates: scipy.stats.rankdata's average ranks
    # scaled to 0..1, made without importing scipy.stats
    from scipy.stats import rankdata

    from basewatch.detect.candidates import _rank

    x = np.array(values + ([np.nan] if with_nan and values else []), dtype=np.float64)
    got = _rank(x)
    want = np.full(len(x), 0.5) if len(x) < 2 else (rankdata(x) - 1.0) / (len(x) - 1.0)
    np.testing.assert_array_equal(got, want)
