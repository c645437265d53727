"""numba kernels behind the per-pixel steps of the detectors.

Each kernel computes exactly what the numpy reference beside its caller computes (the
same float64 operations in the same order), in one or two parallel passes and without
image-sized temporaries; ``tests/test_detect_kernels.py`` checks that they agree bit for
bit on real imagery. Callers keep the numpy reference as the definition of the result.

:func:`cfar_image`
    Cell-averaging CFAR (:func:`basewatch.detect.change.cfar`) block of rows by block:
    each pixel scored against the ring between its guard and background windows from
    the block's integral images (count, sum and sum of squares of the valid pixels),
    made row by row into a ring of rows as the scoring needs them.
:func:`cva_normalised`
    CVA of a normalised pair in one pass.
:func:`band_mean` and :func:`band_mean_at`
    The mean of a stack's bands (numpy's ``mean(axis=0)``) in one parallel pass; the
    same at given pixels only, without the image.
:func:`nan_outside`
    Invalid pixels of two images set to NaN in one pass.
:func:`water_ndwi`
    The NDWI water mask (:func:`basewatch.detect.components.water_mask`) in one
    parallel pass, without the NDWI image.
:func:`ring_pixels`
    The ring of pixels around labelled components
    (:func:`basewatch.detect.components.ring_means`) by scattering each component
    pixel's label over its window, instead of two maximum filters over the image.
:func:`finite_pair`
    Pixels finite in every band of two stacks, in one parallel pass.
:func:`finite_sample` and :func:`masked_sample`
    Count, least and greatest of the finite values under a mask, and every ``k``-th of
    them (:func:`basewatch.detect.change.stat_sample` of the finite values), in two
    parallel passes over parts of the values without copying them out; the same of
    every value under a mask.
:func:`close_3x3` and :func:`open_2x2`
    Binary closing by a 3 x 3 square and opening by a 2 x 2 square (as
    ``scipy.ndimage.binary_closing`` and ``binary_opening`` give them), each in one
    parallel pass over the rows, written without a branch per pixel (vector code).
:func:`label_components`
    Connected components numbered as ``scipy.ndimage.label`` numbers them, row strips
    labelled in parallel and joined at their borders.
:func:`dilate_cross`
    Binary dilation by the 4-connected cross, repeated (``scipy.ndimage.binary_dilation``
    with ``iterations``), from each row's distance to its nearest set pixel.
:func:`label_moments`
    Integer moments, boxes and pixels of every label in one pass.
:func:`label_sizes` and :func:`label_lookup`
    Pixel count of each label, and a per-label table read at every pixel (what
    ``np.bincount(labels.ravel())`` and ``table[labels]`` give, without an intp copy
    of the labels).
:func:`labelled_pixels`
    Raster index and label of every labelled pixel (``np.flatnonzero`` and a gather)
    in one parallel pass.
:func:`label_sums`
    Count and float64 sum of values per label, in ``np.bincount``'s order, without the
    converted and filtered copies.
:func:`ring_median_block`
    A CFAR against the median and interquartile range of each pixel's ring (robust to
    other bright objects in it), from a histogram of log values slid along each row.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import NDArray
from scipy import ndimage

__all__ = [
    "band_mean",
    "band_mean_at",
    "cfar_blocks",
    "cfar_image",
    "close_3x3",
    "cva_normalised",
    "dilate_cross",
    "finite_pair",
    "finite_range",
    "finite_sample",
    "fold_abs_max",
    "label_components",
    "label_lookup",
    "label_moments",
    "label_runs",
    "label_sizes",
    "label_sums",
    "labelled_pixels",
    "labels_touched",
    "masked_sample",
    "nan_outside",
    "open_2x2",
    "paint_runs",
    "ring_median_block",
    "ring_pixels",
    "run_moments",
    "runs_above",
    "uniform_histogram",
    "water_ndwi",
]

#: A mask as its runs along the rows: row, first column, one past the last (int64 each).
Runs = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]


@njit(cache=True, nogil=True, inline="always")
def _add_row(
    img: Any, valid: Any, use_valid: bool, r: int, cn: Any, cs: Any, cq: Any
) -> None:  # pragma: no cover - compiled
    """Row ``r``'s valid count, values and squared values added to the running column
    sums (an invalid or non-finite pixel adds 0)."""
    for j in range(img.shape[1]):
        v = float(img[r, j])
        ok = math.isfinite(v) and (not use_valid or valid[r, j])
        x = v if ok else 0.0
        cn[j] = cn[j] + (1.0 if ok else 0.0)
        cs[j] = cs[j] + x
        cq[j] = cq[j] + x * x


@njit(cache=True, nogil=True, inline="always")
def _integral_row(
    cn: Any, cs: Any, cq: Any, rn: Any, rs: Any, rq: Any
) -> None:  # pragma: no cover - compiled
    """One row of the three integral images from the column sums down to it: 0 in
    column 0, then the running sums along the row, added left to right."""
    rn[0], rs[0], rq[0] = 0.0, 0.0, 0.0
    if cn.size == 0:  # an image without columns: its integral rows are that 0 alone
        return
    an, as_, aq = cn[0], cs[0], cq[0]
    rn[1], rs[1], rq[1] = an, as_, aq
    for j in range(1, cn.size):
        an = an + cn[j]
        as_ = as_ + cs[j]
        aq = aq + cq[j]
        rn[j + 1], rs[j + 1], rq[j + 1] = an, as_, aq


@njit(cache=True, nogil=True, inline="always")
def _box(ii: Any, r0: int, r1: int, c0: int, c1: int) -> Any:  # pragma: no cover
    return ii[r1, c1] - ii[r0, c1] - ii[r1, c0] + ii[r0, c0]


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def _cfar_rows_of_blocks(
    img: Any,
    valid: Any,
    use_valid: bool,
    search: Any,
    use_search: bool,
    guard: int,
    background: int,
    kk: Any,
    min_var: float,
    min_n: float,
    tasks: Any,
    mask: Any,
    score: Any,
    mean_out: Any,
) -> None:  # pragma: no cover - compiled
    """Score the rows ``tasks[t, 2]:tasks[t, 3]`` of each task against the integral
    images of its block ``tasks[t, 0]:tasks[t, 1]``, tasks in parallel.

    The integral images are those of the block alone (count, sum and sum of squares of
    its valid pixels; zeros on row 0 and column 0; the sums down each column first,
    then along each row), made row by row as they are needed into a ring of
    ``2 background + 2`` rows: every box sum is the one the whole block's images give,
    bit for bit, without writing them out. A task that starts inside its block first
    sums the block's rows above its first ring row down each column, in the same order.
    """
    cols = img.shape[1]
    depth = 2 * background + 2
    for t in prange(tasks.shape[0]):
        h0, h1 = tasks[t, 0], tasks[t, 1]
        first, stop = tasks[t, 2] - h0, tasks[t, 3] - h0
        height = h1 - h0
        ring_n = np.empty((depth, cols + 1))
        ring_s = np.empty((depth, cols + 1))
        ring_q = np.empty((depth, cols + 1))
        cn, cs, cq = np.zeros(cols), np.zeros(cols), np.zeros(cols)
        k0 = max(first - background, 0)
        for k in range(k0):
            _add_row(img, valid, use_valid, h0 + k, cn, cs, cq)
        slot = k0 % depth
        _integral_row(cn, cs, cq, ring_n[slot], ring_s[slot], ring_q[slot])
        made = k0  # the last integral row in the ring
        for i in range(first, stop):
            needed = min(i + background + 1, height)
            while made < needed:
                _add_row(img, valid, use_valid, h0 + made, cn, cs, cq)
                made += 1
                slot = made % depth
                _integral_row(cn, cs, cq, ring_n[slot], ring_s[slot], ring_q[slot])
            ro0 = max(i - background, 0) % depth
            ro1 = min(i + background + 1, height) % depth
            rg0 = max(i - guard, 0) % depth
            rg1 = min(i + guard + 1, height) % depth
            r = h0 + i
            for j in range(cols):
                v = float(img[r, j])
                finite = math.isfinite(v)
                if use_search:
                    where = search[r, j] and finite
                else:
                    where = finite and (not use_valid or valid[r, j])
                if not where:  # not searched: no statistics to gather
                    score[r, j] = np.nan
                    mask[r, j] = False
                    mean_out[r, j] = np.nan
                    continue
                co0 = max(j - background, 0)
                co1 = min(j + background + 1, cols)
                cg0 = max(j - guard, 0)
                cg1 = min(j + guard + 1, cols)
                n = _box(ring_n, ro0, ro1, co0, co1) - _box(ring_n, rg0, rg1, cg0, cg1)
                s1 = _box(ring_s, ro0, ro1, co0, co1) - _box(ring_s, rg0, rg1, cg0, cg1)
                s2 = _box(ring_q, ro0, ro1, co0, co1) - _box(ring_q, rg0, rg1, cg0, cg1)
                mean = s1 / n
                var = s2 / n - mean * mean
                if var < min_var:  # False for NaN: NaN stays NaN, as np.maximum keeps it
                    var = min_var
                std = math.sqrt(var)
                s = np.float32((v - mean) / std)
                mean_out[r, j] = np.float32(mean)
                if n >= min_n and math.isfinite(s):
                    score[r, j] = s
                    mask[r, j] = s > kk  # both float32, as numpy compares them
                else:
                    score[r, j] = np.nan
                    mask[r, j] = False


def _mask_argument(mask: NDArray[np.bool_] | None) -> tuple[NDArray[np.bool_], bool]:
    """An optional mask as a kernel takes it: the mask (C-contiguous) and True, or a
    1 x 1 placeholder and False (a compiled kernel needs an array either way)."""
    if mask is None:
        return np.zeros((1, 1), dtype=bool), False
    return np.ascontiguousarray(mask), True


def cfar_blocks(rows: int, *, block_rows: int, halo: int) -> NDArray[np.int64]:
    """The row blocks of a CFAR over ``rows`` rows: one block when the image is at most
    ``block_rows + 2 halo`` rows, else blocks of ``block_rows`` rows, each read with a
    halo of ``halo`` rows on either side (within the image).

    Returns
    -------
    ndarray, shape (blocks, 4), int64
        Per block: first and end row read (its integral images' rows), first and end
        row it scores.
    """
    if rows <= block_rows + 2 * halo:
        return np.array([[0, rows, 0, rows]], dtype=np.int64)
    first = np.arange(0, rows, block_rows, dtype=np.int64)
    end = np.minimum(first + block_rows, rows)
    return np.stack([np.maximum(first - halo, 0), np.minimum(end + halo, rows), first, end], axis=1)


#: Most parts a CFAR block is cut into (:func:`cfar_image`): each part but the first
#: sums its block's rows above it before it scores, so past a few parts a block's
#: last part takes as long as the whole block would take cut in fewer.
_CFAR_MAX_PARTS = 8


def cfar_image(
    img: NDArray[Any],
    valid: NDArray[np.bool_] | None,
    search: NDArray[np.bool_] | None,
    *,
    guard: int,
    background: int,
    kk: float,
    min_std: float,
    min_n: float,
    block_rows: int,
) -> tuple[NDArray[np.bool_], NDArray[np.float32], NDArray[np.float32]]:
    """CFAR mask, score and background mean of an image, block of rows by block.

    Each block (:func:`cfar_blocks`) is scored against its own integral images, as
    :func:`basewatch.detect.change._cfar_rows` scores a block with its halo; the blocks
    are cut into parts scored in parallel (as many as keep every thread busy, at most
    :data:`_CFAR_MAX_PARTS`: a part that starts inside its block first sums the rows
    above it, so the values do not depend on the cut).

    Parameters
    ----------
    img : ndarray, shape (rows, cols), any real dtype
        NaN invalid.
    valid, search : ndarray, shape (rows, cols), bool, or None
        As :func:`basewatch.detect.change.cfar`.
    guard, background : int
        Half-sizes of the guard and background squares.
    kk : float
        Score threshold.
    min_std : float
        Floor on the background standard deviation.
    min_n : float
        Fewest valid background pixels for a pixel to be scored.
    block_rows : int
        Rows scored per block (each read with ``background`` rows of halo).

    Returns
    -------
    mask : ndarray, shape (rows, cols), bool
    score : ndarray, shape (rows, cols), float32
        NaN where not scored.
    mean : ndarray, shape (rows, cols), float32
        Background mean; NaN where the pixel is not searched.
    """
    img = np.ascontiguousarray(img)
    rows = img.shape[0]
    blocks = cfar_blocks(rows, block_rows=block_rows, halo=background)
    parts = min(_CFAR_MAX_PARTS, max(1, -(-2 * numba.get_num_threads() // len(blocks))))
    tasks = []
    for h0, h1, r0, r1 in blocks.tolist():
        cuts = np.unique(np.linspace(r0, r1, parts + 1).round().astype(np.int64)).tolist()
        tasks += [(h0, h1, a, b) for a, b in itertools.pairwise(cuts)]
    vmask, use_valid = _mask_argument(valid)
    smask, use_search = _mask_argument(search)
    mask = np.empty(img.shape, dtype=bool)
    score = np.empty(img.shape, dtype=np.float32)
    mean = np.empty(img.shape, dtype=np.float32)
    _cfar_rows_of_blocks(
        img,
        vmask,
        use_valid,
        smask,
        use_search,
        guard,
        background,
        np.float32(kk),
        min_std * min_std,
        min_n,
        np.array(tasks, dtype=np.int64).reshape(-1, 4),
        mask,
        score,
        mean,
    )
    return mask, score, mean


@njit(cache=True, nogil=True, parallel=True)
def _cva(
    before: Any, after: Any, gain: Any, bias: Any, magnitude: Any, signed: Any
) -> None:  # pragma: no cover - compiled
    nb, rows, cols = before.shape
    inv = np.float32(nb)
    for r in prange(rows):
        for c in range(cols):
            sq = np.float32(0.0)
            total = np.float32(0.0)
            for b in range(nb):
                a = np.float32(after[b, r, c] * gain[b])
                a = np.float32(a + bias[b])
                d = np.float32(a - before[b, r, c])
                if b == 0:
                    sq = np.float32(d * d)
                    total = d
                else:
                    sq = np.float32(sq + np.float32(d * d))
                    total = np.float32(total + d)
            magnitude[r, c] = np.float32(np.sqrt(sq))
            signed[r, c] = np.float32(total / inv)


@njit(cache=True, nogil=True, parallel=True)
def _nan_outside(ok: Any, first: Any, second: Any) -> None:  # pragma: no cover - compiled
    rows, cols = ok.shape
    for r in prange(rows):
        keep = ok[r]
        a = first[r]
        b = second[r]
        for c in range(cols):
            if not keep[c]:
                a[c] = np.nan
                b[c] = np.nan


def nan_outside(
    ok: NDArray[np.bool_], first: NDArray[np.floating[Any]], second: NDArray[np.floating[Any]]
) -> None:
    """``first[~ok] = np.nan`` and ``second[~ok] = np.nan``, in place and in one pass,
    without the inverted mask.

    Parameters
    ----------
    ok : ndarray, shape (rows, cols), bool
    first, second : ndarray, shape (rows, cols), float
        Written in place.
    """
    _nan_outside(ok, first, second)


def cva_normalised(
    before: NDArray[np.float32],
    after: NDArray[np.float32],
    gain: NDArray[np.float32],
    bias: NDArray[np.float32],
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """CVA magnitude and signed change of ``gain * after + bias`` against ``before``, in
    one pass and without the normalised or difference stacks (float32 throughout, as
    :func:`basewatch.detect.change.apply_gain`, ``band_difference`` and
    ``_norm_and_mean`` compute them).

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols), float32
    gain, bias : ndarray, shape (bands,), float32

    Returns
    -------
    magnitude, signed : ndarray, shape (rows, cols), float32
    """
    shape = before.shape[1:]
    magnitude = np.empty(shape, dtype=np.float32)
    signed = np.empty(shape, dtype=np.float32)
    _cva(
        np.ascontiguousarray(before),
        np.ascontiguousarray(after),
        np.asarray(gain, dtype=np.float32),
        np.asarray(bias, dtype=np.float32),
        magnitude,
        signed,
    )
    return magnitude, signed


#: Largest finite float32, what ``np.nan_to_num`` puts for +inf in a float32 array.
_F32_MAX = float(np.finfo(np.float32).max)


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def _water(
    green: Any,
    nir: Any,
    threshold: float,
    in_float32: bool,
    nan_value: Any,
    valid: Any,
    use_valid: bool,
    out: Any,
) -> None:  # pragma: no cover - compiled
    rows, cols = green.shape
    big = np.float32(_F32_MAX)
    thr32 = np.float32(threshold)
    for r in prange(rows):
        for c in range(cols):
            g = green[r, c]
            n = nir[r, c]
            d = np.float32(np.float32(g - n) / np.float32(g + n))
            if d != d:
                d = nan_value
            elif d > big:
                d = big
            elif d < -big:
                d = -big
            w = (d > thr32) if in_float32 else (float(d) > threshold)
            out[r, c] = w and (not use_valid or valid[r, c])


def water_ndwi(
    green: NDArray[np.float32],
    nir: NDArray[np.float32],
    *,
    threshold: float,
    nan_ndwi: float,
    valid: NDArray[np.bool_] | None,
) -> NDArray[np.bool_]:
    """``np.nan_to_num(ndwi, nan=nan_ndwi) > threshold`` (and ``valid``) in one pass.

    NDWI is ``(green - nir) / (green + nir)`` in float32, as
    :func:`basewatch.detect.components.ndwi` computes it; NaN becomes ``nan_ndwi``
    and +-inf the largest finite float32, as ``np.nan_to_num`` does. The comparison is
    in float32 for a Python float or float32 ``threshold`` (numpy casts a Python float
    to the array's float32) and in float64 for a float64 one.

    Parameters
    ----------
    green, nir : ndarray, shape (rows, cols), float32
    threshold : float
    nan_ndwi : float
    valid : ndarray, shape (rows, cols), bool, or None

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    out = np.empty(green.shape, dtype=bool)
    # numpy compares a float32 image with a Python float (or a float32) in float32 and
    # with a float64 scalar in float64
    thr: object = threshold
    in_float32 = not isinstance(thr, np.floating) or thr.dtype == np.float32
    _water(
        np.ascontiguousarray(green, dtype=np.float32),
        np.ascontiguousarray(nir, dtype=np.float32),
        float(threshold),
        in_float32,
        np.float32(nan_ndwi),
        np.ascontiguousarray(valid) if valid is not None else np.zeros((1, 1), dtype=bool),
        valid is not None,
        out,
    )
    return out


@njit(cache=True, nogil=True, inline="always")
def _ring_row(
    labels: Any, i: int, inner: int, outer: int, grown: Any, occupied: Any
) -> None:  # pragma: no cover - compiled
    """Scatter the labels of row ``i`` over their windows (edge pixels only). Rows are
    read through 1-D views: numba indexes them much faster than 2-D arrays in a
    parallel loop."""
    rows, cols = labels.shape
    row = labels[i]
    for j in range(cols):
        v = row[j]
        if v <= 0:
            continue
        occupied[i, j] = True
        # a pixel whose eight neighbours all share its label adds nothing outside
        # its component: every pixel off the component within a window of it is
        # within the same window of a pixel on the component's edge
        if 0 < i < rows - 1 and 0 < j < cols - 1:
            up = labels[i - 1]
            down = labels[i + 1]
            if (
                row[j - 1] == v
                and row[j + 1] == v
                and up[j - 1] == v
                and up[j] == v
                and up[j + 1] == v
                and down[j - 1] == v
                and down[j] == v
                and down[j + 1] == v
            ):
                continue
        c0 = max(0, j - outer)
        c1 = min(cols, j + outer + 1)
        for a in range(max(0, i - outer), min(rows, i + outer + 1)):
            g = grown[a]
            for b in range(c0, c1):
                if g[b] < v:
                    g[b] = v
        c0 = max(0, j - inner)
        c1 = min(cols, j + inner + 1)
        for a in range(max(0, i - inner), min(rows, i + inner + 1)):
            o = occupied[a]
            for b in range(c0, c1):
                o[b] = True


#: Rows per block of the parallel scatter of :func:`ring_pixels` (at least
#: ``2 * outer_px + 2``): blocks two apart never write the same row, so the even
#: blocks run together, then the odd ones.
_RING_BLOCK_ROWS = 64


@njit(cache=True, nogil=True, parallel=True)
def _ring(labels: Any, inner: int, outer: int) -> Any:  # pragma: no cover - compiled
    rows, cols = labels.shape
    grown = np.zeros((rows, cols), dtype=labels.dtype)
    occupied = np.zeros((rows, cols), dtype=np.bool_)
    block = max(_RING_BLOCK_ROWS, 2 * max(inner, outer) + 2)
    n_blocks = (rows + block - 1) // block
    for phase in range(2):
        for kb in prange((n_blocks - phase + 1) // 2):
            b = 2 * kb + phase
            for i in range(b * block, min(rows, (b + 1) * block)):
                _ring_row(labels, i, inner, outer, grown, occupied)
    return _ring_list(grown, occupied, True)


@njit(cache=True, nogil=True, parallel=True)
def _ring_list(grown: Any, occupied: Any, use_occupied: bool) -> Any:  # pragma: no cover
    """Raster indexes and labels of ``grown > 0`` (and ``~occupied`` with
    ``use_occupied``), rows counted in parallel, then written."""
    rows, cols = grown.shape
    per_row = np.zeros(rows + 1, dtype=np.int64)
    for i in prange(rows):
        g = grown[i]
        o = occupied[i] if use_occupied else occupied[0]
        c = 0
        for j in range(cols):
            c += (g[j] > 0) and (not use_occupied or not o[j])
        per_row[i + 1] = c
    start = np.cumsum(per_row)
    at = np.empty(start[rows], dtype=np.int64)
    lab = np.empty(start[rows], dtype=grown.dtype)
    for i in prange(rows):
        g = grown[i]
        o = occupied[i] if use_occupied else occupied[0]
        k = start[i]
        for j in range(cols):
            if g[j] > 0 and (not use_occupied or not o[j]):
                at[k] = i * cols + j
                lab[k] = g[j]
                k += 1
    return at, lab


def ring_pixels(
    labels: NDArray[np.integer[Any]], *, inner_px: int, outer_px: int
) -> tuple[NDArray[np.int64], NDArray[np.integer[Any]]]:
    """The ring around labelled components: raster indexes and the label each belongs to.

    A ring pixel is within ``outer_px`` (chessboard distance) of a component and
    farther than ``inner_px`` from every component; where rings overlap it goes to the
    higher label. Equal to ``grown = ndimage.grey_dilation(labels, size=2 * outer_px
    + 1)``, ``occupied = ndimage.maximum_filter(labels > 0, size=2 * inner_px + 1)``,
    ``at = np.flatnonzero(~occupied & (grown > 0))`` and ``grown.ravel()[at]`` (the
    reference in :func:`basewatch.detect.components.ring_means`); each pixel on a
    component's edge writes its window (interior pixels add nothing off the
    components), so the cost grows with the components' edges, not with filters over
    the whole image.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, positive labels.
    inner_px, outer_px : int
        ``0 <= inner_px < outer_px``.

    Returns
    -------
    at : ndarray, shape (k,), int64
        Raster indexes of the ring pixels, in raster order.
    lab : ndarray, shape (k,)
        Their labels (the dtype of ``labels``).
    """
    # a crop view is read in place (no contiguous copy of it)
    at, lab = _ring(labels, int(inner_px), int(outer_px))
    return at, lab


def labelled_pixels(
    labels: NDArray[np.integer[Any]],
) -> tuple[NDArray[np.int64], NDArray[np.integer[Any]]]:
    """Raster index and label of every labelled pixel, in raster order, rows counted
    and written in parallel (the ring's listing, :func:`ring_pixels`, with nothing
    occupied): ``at = np.flatnonzero(labels)`` and ``labels.ravel()[at]`` without the
    whole-image mask and gathers.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, positive labels (a crop view is read in place).

    Returns
    -------
    at : ndarray, shape (k,), int64
        Raster indexes into ``labels``' own shape.
    lab : ndarray, shape (k,)
        Their labels, in the dtype of ``labels``.
    """
    at, lab = _ring_list(labels, np.zeros((1, 1), dtype=np.bool_), False)
    return at, lab


@njit(cache=True, nogil=True)
def _label_sums(vals: Any, lab: Any, n: int, skip_nonfinite: bool) -> Any:  # pragma: no cover
    counts = np.zeros(n + 1, dtype=np.int64)
    sums = np.zeros(n + 1, dtype=np.float64)
    for k in range(vals.shape[0]):
        v = float(vals[k])
        if math.isfinite(v):
            counts[lab[k]] += 1
            sums[lab[k]] += v
        elif not skip_nonfinite:
            counts[lab[k]] += 1
            sums[lab[k]] += 0.0
    return counts, sums


def label_sums(
    values: NDArray[Any], lab: NDArray[np.integer[Any]], n: int, *, skip_nonfinite: bool
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Count and float64 sum of ``values`` per label, in one pass in the order given.

    With ``skip_nonfinite``: ``ok = np.isfinite(v)``, ``np.bincount(lab[ok],
    minlength=n + 1)`` and ``np.bincount(lab[ok], v[ok], minlength=n + 1)`` for ``v =
    values.astype(np.float64)``; without: ``np.bincount(lab, minlength=n + 1)`` and
    ``np.bincount(lab, np.where(np.isfinite(v), v, 0.0), minlength=n + 1)``. The sums
    are added in the order of the values, as ``bincount`` adds them: the same float64
    results, without the converted, filtered and cast copies.

    Parameters
    ----------
    values : ndarray, shape (k,), real or bool
    lab : ndarray, shape (k,), int
        Labels in ``0..n``.
    n : int
    skip_nonfinite : bool

    Returns
    -------
    counts : ndarray, shape (n + 1,), int64
    sums : ndarray, shape (n + 1,), float64
    """
    v = np.asarray(values)
    if v.dtype == np.bool_:
        v = v.view(np.uint8)  # 0 and 1, as bincount weighs a mask
    counts, sums = _label_sums(v, lab, int(n), bool(skip_nonfinite))
    return counts, sums


#: Fewest pixels per part of the parallel count of :func:`label_sizes`.
_SIZES_MIN_PART = 1 << 16


@njit(cache=True, nogil=True, parallel=True)
def _sizes(flat: Any, n: int, parts: int) -> Any:  # pragma: no cover - compiled
    # each part counts its own share of the pixels, then the counts are added
    counts = np.zeros((parts, n + 1), dtype=np.int64)
    step = (flat.shape[0] + parts - 1) // parts
    for p in prange(parts):
        c = counts[p]
        for i in range(p * step, min(flat.shape[0], (p + 1) * step)):
            c[flat[i]] += 1
    sizes = counts[0].copy()
    for p in range(1, parts):
        sizes += counts[p]
    return sizes


def label_sizes(labels: NDArray[np.integer[Any]], n: int) -> NDArray[np.int64]:
    """``np.bincount(labels.ravel(), minlength=n + 1)`` for labels in ``0..n``.

    Parameters
    ----------
    labels : ndarray, int
        Values in ``0..n``.
    n : int

    Returns
    -------
    ndarray, shape (n + 1,), int64
    """
    flat = np.ascontiguousarray(labels).ravel()
    # a part per thread, each at least a few rows' worth (its counts are n + 1 long)
    parts = max(1, min(numba.get_num_threads(), flat.size // max(_SIZES_MIN_PART, n + 1)))
    return np.asarray(_sizes(flat, int(n), parts), dtype=np.int64)


@njit(cache=True, nogil=True, parallel=True)
def _fold_abs_max(
    score: Any, out: Any, first: bool, big: Any
) -> None:  # pragma: no cover - compiled
    zero = big - big
    rows, cols = score.shape
    for r in prange(rows):
        for c in range(cols):
            x = score[r, c]
            if np.isnan(x):
                a = zero
            elif np.isinf(x):
                a = big
            else:
                a = abs(x)
            if first or a > out[r, c]:
                out[r, c] = a


def fold_abs_max(
    score: NDArray[np.floating[Any]], out: NDArray[np.floating[Any]] | None = None
) -> NDArray[np.floating[Any]]:
    """The absolute scores folded into ``out`` by their largest, in one pass:
    ``np.maximum(out, np.abs(np.nan_to_num(score, nan=0.0)), out=out)`` (NaN as 0, an
    infinite score as the type's largest value), or that image itself without ``out``.

    Parameters
    ----------
    score : ndarray, shape (rows, cols), float
    out : ndarray, shape (rows, cols), the dtype of ``score``, optional
        Updated in place.

    Returns
    -------
    ndarray, shape (rows, cols)
        ``out``, or a new image.
    """
    first = out is None
    target = np.empty_like(score) if out is None else out
    big = np.finfo(score.dtype).max
    _fold_abs_max(score, target, first, big)
    return target


@njit(cache=True, nogil=True)
def _finite_range(values: Any, where: Any, use_where: bool) -> Any:  # pragma: no cover
    lo, hi, n = np.inf, -np.inf, 0
    for i in range(len(values)):
        v = values[i]
        if np.isfinite(v) and (not use_where or where[i]):
            x = np.float64(v)
            n += 1
            lo = min(lo, x)
            hi = max(hi, x)
    return lo, hi, n


def _where_argument(
    values: NDArray[Any], where: NDArray[np.bool_] | None
) -> tuple[NDArray[Any], NDArray[np.bool_], bool]:
    """``values`` and an optional mask of the same shape, both flat, as the kernels
    below take them (:func:`_mask_argument`'s placeholder and False without a mask)."""
    if where is not None and np.shape(where) != np.shape(values):
        raise ValueError(f"where {np.shape(where)} and values {np.shape(values)} differ in shape")
    mask, use = _mask_argument(None if where is None else np.asarray(where, dtype=bool))
    return np.ravel(values), np.ravel(mask), use


def finite_range(
    values: NDArray[np.floating[Any]], where: NDArray[np.bool_] | None = None
) -> tuple[float, float, int]:
    """The smallest and largest finite value of ``values`` (as float64) and how many
    are finite, in one pass and no copy.

    Parameters
    ----------
    values : ndarray, any shape, float
    where : ndarray, bool, optional
        Same shape: only these values count (``values[where]`` without the copy).

    Returns
    -------
    lo, hi : float
        ``inf`` and ``-inf`` when none is finite.
    count : int
    """
    lo, hi, n = _finite_range(*_where_argument(values, where))
    return float(lo), float(hi), int(n)


@njit(cache=True, nogil=True)
def _uniform_histogram(
    values: Any, where: Any, use_where: bool, first: float, last: float, edges: Any
) -> Any:  # pragma: no cover - compiled
    bins = len(edges) - 1
    counts = np.zeros(bins, dtype=np.int64)
    denom = last - first
    for j in range(len(values)):
        v = values[j]
        if not np.isfinite(v) or (use_where and not where[j]):
            continue
        x = np.float64(v)
        if x < first or x > last:
            continue
        # numpy's arithmetic for equal bins, then its one-ULP corrections at the edges
        i = int(((x - first) / denom) * bins)
        if i == bins:
            i -= 1
        if x < edges[i]:
            i -= 1
        if i != bins - 1 and x >= edges[i + 1]:
            i += 1
        counts[i] += 1
    return counts


def uniform_histogram(
    values: NDArray[np.floating[Any]],
    first: float,
    last: float,
    bins: int,
    where: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """``np.histogram`` of the finite values over ``bins`` equal bins from ``first``
    to ``last``, count for count, in one pass over the values as they are (float32
    values taken as float64, as numpy casts them; no copy, no NaN filtered out first).

    Parameters
    ----------
    values : ndarray, float
    first, last : float
        ``first < last``.
    bins : int
    where : ndarray, bool, optional
        Same shape as ``values``: only these values count.

    Returns
    -------
    counts : ndarray, shape (bins,), int64
    edges : ndarray, shape (bins + 1,), float64
        As numpy makes them.
    """
    edges = np.linspace(first, last, bins + 1, endpoint=True, dtype=np.float64)
    flat, mask, use = _where_argument(values, where)
    counts = _uniform_histogram(flat, mask, use, float(first), float(last), edges)
    return np.asarray(counts, dtype=np.int64), edges


@njit(cache=True, nogil=True)
def _touched(labels: Any, mask: Any, n: int) -> Any:  # pragma: no cover - compiled
    out = np.zeros(n + 1, dtype=np.bool_)
    rows, cols = labels.shape
    for r in range(rows):
        for c in range(cols):
            if mask[r, c]:
                out[labels[r, c]] = True
    out[0] = False
    return out


def labels_touched(
    labels: NDArray[np.integer[Any]], mask: NDArray[np.bool_], n: int
) -> NDArray[np.bool_]:
    """Which labels have a pixel in ``mask``: ``touched[1 + i]`` for label ``1 + i``,
    ``touched[0]`` False; what ``np.unique(labels[mask & (labels > 0)])`` marks, in one
    pass and no copy of the pixels.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        Values in ``0..n``.
    mask : ndarray, shape (rows, cols), bool
        May be a view (a window of a larger mask).
    n : int

    Returns
    -------
    ndarray, shape (n + 1,), bool
    """
    return np.asarray(_touched(labels, mask, int(n)), dtype=bool)


@njit(cache=True, nogil=True, parallel=True)
def _count_runs_above(
    score: Any, level: Any, rr: Any, r0: Any, r1: Any, counts: Any
) -> None:  # pragma: no cover - compiled
    for k in prange(len(rr)):
        row = score[rr[k]]
        n = 0
        inside = False
        for c in range(r0[k], r1[k]):
            above = row[c] > level
            if above and not inside:
                n += 1
            inside = above
        counts[k] = n


@njit(cache=True, nogil=True, parallel=True)
def _fill_runs_above(
    score: Any,
    level: Any,
    rr: Any,
    r0: Any,
    r1: Any,
    first: Any,
    out_r: Any,
    out_0: Any,
    out_1: Any,
) -> None:  # pragma: no cover - compiled
    for k in prange(len(rr)):
        row = score[rr[k]]
        j = first[k]
        inside = False
        for c in range(r0[k], r1[k]):
            above = row[c] > level
            if above and not inside:
                out_r[j] = rr[k]
                out_0[j] = c
            elif inside and not above:
                out_1[j] = c
                j += 1
            inside = above
        if inside:
            out_1[j] = r1[k]


def runs_above(score: NDArray[np.floating[Any]], level: float, runs: Runs | None = None) -> Runs:
    """The runs of ``score > level`` along the rows, in raster order.

    Parameters
    ----------
    score : ndarray, shape (rows, cols), float
    level : float
        Compared in ``score``'s dtype, as numpy compares an array with a Python float
        (NaN is never above).
    runs : (rows, starts, ends), optional
        Only within these runs (int64 arrays, raster order, ends exclusive); default the
        whole image.

    Returns
    -------
    rows, starts, ends : ndarray, shape (k,), int64
        The row, first column and one past the last column of each run.
    """
    if runs is None:
        n_rows, n_cols = score.shape
        runs = (
            np.arange(n_rows, dtype=np.int64),
            np.zeros(n_rows, dtype=np.int64),
            np.full(n_rows, n_cols, dtype=np.int64),
        )
    rr, r0, r1 = runs
    lvl = np.asarray(level, dtype=score.dtype)[()]
    counts = np.empty(len(rr), dtype=np.int64)
    _count_runs_above(score, lvl, rr, r0, r1, counts)
    first = np.zeros(len(rr) + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    total = int(first[-1])
    out = (np.empty(total, np.int64), np.empty(total, np.int64), np.empty(total, np.int64))
    _fill_runs_above(score, lvl, rr, r0, r1, first, *out)
    return out


@njit(cache=True, nogil=True)
def _find(parent: Any, i: int) -> int:  # pragma: no cover - compiled
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@njit(cache=True, nogil=True)
def _label_runs(
    rr: Any, r0: Any, r1: Any, eight: bool, out: Any
) -> int:  # pragma: no cover - compiled
    # runs of adjacent rows touch where their columns overlap, or (eight-connected)
    # where they meet at a corner
    reach = 0 if eight else 1
    m = len(rr)
    parent = np.arange(m)
    prev_start = 0
    prev_end = 0
    i = 0
    while i < m:
        row = rr[i]
        j = i
        while j < m and rr[j] == row:
            j += 1
        if prev_end > prev_start and rr[prev_start] == row - 1:
            p = prev_start
            for b in range(i, j):
                # runs above that end before this one's left neighbour touch no later run
                while p < prev_end and r1[p] < r0[b] + reach:
                    p += 1
                q = p
                while q < prev_end and r0[q] + reach <= r1[b]:
                    x = _find(parent, q)
                    y = _find(parent, b)
                    if x < y:
                        parent[y] = x
                    elif y < x:
                        parent[x] = y
                    q += 1
        prev_start, prev_end = i, j
        i = j
    n = 0
    for k in range(m):  # a root is its set's first run: numbered in raster order
        root = _find(parent, k)
        if root == k:
            n += 1
            out[k] = n
        else:
            out[k] = out[root]
    return n


def label_runs(runs: Runs, *, eight: bool = True) -> tuple[NDArray[np.int64], int]:
    """Connected components of a mask given as its runs (:func:`runs_above`), numbered
    as :func:`label_components` numbers them (``1..n`` in the raster order of each
    component's first pixel).

    Parameters
    ----------
    runs : (rows, starts, ends)
    eight : bool
        Eight-connected (pixels touching at a corner are one component), else four.

    Returns
    -------
    labels : ndarray, shape (k,), int64
        The component of each run.
    n : int
    """
    rr, r0, r1 = runs
    out = np.empty(len(rr), dtype=np.int64)
    n = _label_runs(rr, r0, r1, eight, out)
    return out, int(n)


@njit(cache=True, nogil=True)
def _run_moments(
    rr: Any,
    r0: Any,
    r1: Any,
    lab: Any,
    seeds: Any,
    use_seeds: bool,
    moments: Any,
    box: Any,
    touched: Any,
) -> None:  # pragma: no cover - compiled
    for k in range(len(rr)):
        v = lab[k] - 1
        r = rr[k]
        a = r0[k]
        b = r1[k] - 1  # the run's last column
        length = b - a + 1
        sum_c = (a + b) * length // 2
        sum_cc = (b * (b + 1) * (2 * b + 1) - (a - 1) * a * (2 * a - 1)) // 6
        m = moments[v]
        m[0] += length
        m[1] += r * length
        m[2] += sum_c
        m[3] += r * r * length
        m[4] += sum_cc
        m[5] += r * sum_c
        bx = box[v]
        bx[0] = min(bx[0], r)
        bx[1] = min(bx[1], a)
        bx[2] = max(bx[2], r + 1)
        bx[3] = max(bx[3], b + 1)
        if use_seeds and not touched[v]:
            row = seeds[r]
            for c in range(a, b + 1):
                if row[c]:
                    touched[v] = True
                    break


def run_moments(
    runs: Runs, labels: NDArray[np.int64], n: int, seeds: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Exact moments and boxes of components given as labelled runs, and which of them
    have a pixel in ``seeds``: what :func:`label_moments` and :func:`labels_touched`
    give for the same components in an image, from the runs alone.

    Parameters
    ----------
    runs : (rows, starts, ends)
        As :func:`runs_above` gives them.
    labels : ndarray, shape (k,), int64
        Component of each run, ``1..n`` (:func:`label_runs`).
    n : int
    seeds : ndarray, shape (rows, cols), bool, optional
        Without, no component is seeded.

    Returns
    -------
    moments : ndarray, shape (n, 6), int64
        Pixel count and the sums of row, column, row², column² and row x column.
    box : ndarray, shape (n, 4), int64
        First row, first column, last row + 1, last column + 1.
    seeded : ndarray, shape (n,), bool
    """
    rr, r0, r1 = runs
    moments = np.zeros((n, 6), dtype=np.int64)
    box = np.empty((n, 4), dtype=np.int64)
    box[:, :2] = np.iinfo(np.int64).max
    box[:, 2:] = -1
    seeded = np.zeros(n, dtype=bool)
    mask, use_seeds = _mask_argument(seeds)
    _run_moments(rr, r0, r1, labels, mask, use_seeds, moments, box, seeded)
    return moments, box, seeded


@njit(cache=True, nogil=True)
def _paint_runs(rr: Any, r0: Any, r1: Any, values: Any, out: Any) -> None:  # pragma: no cover
    for k in range(len(rr)):
        v = values[k]
        if v != 0:
            row = out[rr[k]]
            for c in range(r0[k], r1[k]):
                row[c] = v


def paint_runs(runs: Runs, values: NDArray[Any], out: NDArray[Any]) -> None:
    """``out`` takes ``values[k]`` over run ``k`` where it is not 0, in place."""
    rr, r0, r1 = runs
    _paint_runs(rr, r0, r1, np.asarray(values, dtype=out.dtype), out)


@njit(cache=True, nogil=True, parallel=True)
def _lookup(labels: Any, table: Any, out: Any) -> None:  # pragma: no cover - compiled
    rows, cols = labels.shape
    for r in prange(rows):
        for c in range(cols):
            out[r, c] = table[labels[r, c]]


def label_lookup(
    labels: NDArray[np.integer[Any]],
    table: NDArray[Any],
    *,
    out: NDArray[Any] | None = None,
) -> NDArray[Any]:
    """``table[labels]`` for a 2-D label image and a table (a mask, or new labels), in
    one parallel pass.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        Values in ``-len(table)..len(table) - 1``; a negative value counts from the
        end, as numpy indexing does (a zone index of -1 reads the last entry).
    table : ndarray, shape (n + 1,)
        Bool or integer.
    out : ndarray, shape (rows, cols), the dtype of ``table``, optional
        Where to write the result; may be ``labels`` itself (renumbering in place, one
        image-sized array fewer).

    Returns
    -------
    ndarray, shape (rows, cols), the dtype of ``table``
    """
    tab = np.ascontiguousarray(table)
    if out is None:
        out = np.empty(labels.shape, dtype=tab.dtype)
    elif out.shape != labels.shape or out.dtype != tab.dtype or not out.flags.c_contiguous:
        raise ValueError(
            f"out must be a C-contiguous {tab.dtype} array of shape {labels.shape}, "
            f"not {out.dtype} {out.shape}"
        )
    _lookup(np.ascontiguousarray(labels), tab, out)
    return out


@njit(cache=True, nogil=True, inline="always")
def _grown_3x3(m: Any, rr: int, line: Any, out: Any) -> None:  # pragma: no cover - compiled
    """Row ``rr`` of the dilation of ``m`` by a 3 x 3 square (outside the image unset):
    the rows above and below or-ed into ``line``, then each pixel's two neighbours."""
    rows, cols = m.shape
    a = m[rr - 1] if rr > 0 else m[rr]
    b = m[rr]
    c = m[rr + 1] if rr < rows - 1 else m[rr]
    for j in range(cols):
        line[j] = a[j] | b[j] | c[j]
    out[0] = line[0] | line[1]
    for j in range(1, cols - 1):
        out[j] = line[j - 1] | line[j] | line[j + 1]
    out[cols - 1] = line[cols - 2] | line[cols - 1]


@njit(cache=True, nogil=True, parallel=True)
def _close_rows(m: Any, valid: Any, out: Any) -> None:  # pragma: no cover - compiled
    rows, cols = m.shape
    for r in prange(rows):
        o = out[r]
        if r == 0 or r == rows - 1 or cols < 3:  # the erosion's border is background
            for j in range(cols):
                o[j] = False
            continue
        line = np.empty(cols, dtype=np.bool_)
        up = np.empty(cols, dtype=np.bool_)
        mid = np.empty(cols, dtype=np.bool_)
        down = np.empty(cols, dtype=np.bool_)
        _grown_3x3(m, r - 1, line, up)
        _grown_3x3(m, r, line, mid)
        _grown_3x3(m, r + 1, line, down)
        for j in range(cols):
            line[j] = up[j] & mid[j] & down[j]
        v = valid[r]
        o[0] = False
        for j in range(1, cols - 1):
            o[j] = line[j - 1] & line[j] & line[j + 1] & v[j]
        o[cols - 1] = False


def close_3x3(mask: NDArray[np.bool_], valid: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``scipy.ndimage.binary_closing(mask, np.ones((3, 3))) & valid`` in one parallel
    pass over the rows: each row's dilation by the 3 x 3 square (a 3-row by a 3-column
    segment) for the row and its two neighbours, then their erosion, which treats the
    outside of the image as background, as scipy's default ``border_value=0`` does (the
    image's edge pixels come out False).

    Parameters
    ----------
    mask, valid : ndarray, shape (rows, cols), bool

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    m = np.ascontiguousarray(mask, dtype=bool)
    out = np.empty(m.shape, dtype=bool)
    _close_rows(m, np.ascontiguousarray(valid, dtype=bool), out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _open_rows(m: Any, out: Any) -> None:  # pragma: no cover - compiled
    rows, cols = m.shape
    for r in prange(rows):
        o = out[r]
        # the blocks that fit with their top-left corner on row r - 1 or row r, by the
        # column of that corner: they cover row r at that column and the next
        fits = np.zeros(cols - 1, dtype=np.bool_)
        for k in range(2):
            top = r - 1 + k
            if top < 0 or top + 1 >= rows:
                continue
            a = m[top]
            b = m[top + 1]
            for j in range(cols - 1):
                fits[j] = fits[j] | (a[j] & b[j] & a[j + 1] & b[j + 1])
        o[0] = fits[0]
        for j in range(1, cols - 1):
            o[j] = fits[j - 1] | fits[j]
        o[cols - 1] = fits[cols - 2]


def open_2x2(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Opening by a 2 x 2 square (:func:`basewatch.detect.components.opening_2x2`,
    ``scipy.ndimage.binary_opening(mask, np.ones((2, 2)))``) in one parallel pass over
    the rows: each row is the union of the blocks that fit inside ``mask`` on it and
    the row above or below.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    m = np.ascontiguousarray(mask, dtype=bool)
    if min(m.shape) < 2:  # no 2 x 2 block fits
        return np.zeros(m.shape, dtype=bool)
    out = np.empty(m.shape, dtype=bool)
    _open_rows(m, out)
    return out


#: Values per parallel part of :func:`finite_sample` and :func:`masked_sample`.
_SAMPLE_PART = 1 << 20


@njit(cache=True, nogil=True, inline="always")
def _takes(
    v: Any, wflat: Any, i: int, use_where: bool, finite_only: bool
) -> bool:  # pragma: no cover - compiled
    return (not use_where or wflat[i]) and (not finite_only or math.isfinite(v))


@njit(cache=True, nogil=True, parallel=True)
def _finite_sample(
    values: Any, where: Any, use_where: bool, size: int, finite_only: bool
) -> Any:  # pragma: no cover - compiled
    flat = values.ravel()
    wflat = where.ravel()
    parts = max(1, -(-flat.size // _SAMPLE_PART))
    counts = np.zeros(parts + 1, dtype=np.int64)
    los = np.full(parts, np.inf, dtype=flat.dtype)
    his = np.full(parts, -np.inf, dtype=flat.dtype)
    # each part counts its values and finds their least and greatest
    for p in prange(parts):
        n = 0
        lo = flat.dtype.type(np.inf)
        hi = flat.dtype.type(-np.inf)
        for i in range(p * _SAMPLE_PART, min(flat.size, (p + 1) * _SAMPLE_PART)):
            v = flat[i]
            if _takes(v, wflat, i, use_where, finite_only):
                n += 1
                if v < lo:
                    lo = v
                if v > hi:
                    hi = v
        counts[p + 1] = n
        los[p] = lo
        his[p] = hi
    # the parts in raster order: the first of equal extremes is kept, as one pass keeps it
    lo = flat.dtype.type(np.inf)
    hi = flat.dtype.type(-np.inf)
    for p in range(parts):
        if los[p] < lo:
            lo = los[p]
        if his[p] > hi:
            hi = his[p]
    first = np.cumsum(counts)
    count = first[parts]
    step = max(1, -(-count // size))
    out = np.empty(-(-count // step), dtype=flat.dtype)
    # every step-th value, each part starting from the number of values before it
    for p in prange(parts):
        seen = first[p]
        for i in range(p * _SAMPLE_PART, min(flat.size, (p + 1) * _SAMPLE_PART)):
            v = flat[i]
            if _takes(v, wflat, i, use_where, finite_only):
                if seen % step == 0:
                    out[seen // step] = v
                seen += 1
    return count, lo, hi, out


def finite_sample(
    values: NDArray[np.floating[Any]], where: NDArray[np.bool_] | None, *, size: int
) -> tuple[int, float, float, NDArray[np.floating[Any]]]:
    """The finite values of ``values[where]``: how many, their least and greatest, and
    every ``k``-th of them in raster order with the smallest ``k`` leaving at most
    ``size`` (what ``stat_sample(v[np.isfinite(v)], size=size)`` gives for
    ``v = values[where]``).

    Parameters
    ----------
    values : ndarray, float (any shape)
    where : ndarray of the same shape, bool, or None (every value)
    size : int

    Returns
    -------
    count : int
    least, greatest : float
        +inf and -inf when there is none.
    sample : ndarray, shape (m,), the dtype of ``values``
    """
    v = np.ascontiguousarray(values)
    w = np.ascontiguousarray(where) if where is not None else np.zeros(1, dtype=bool)
    count, lo, hi, out = _finite_sample(v, w, where is not None, int(size), True)
    return int(count), float(lo), float(hi), out


def masked_sample(
    values: NDArray[Any], where: NDArray[np.bool_], *, size: int
) -> tuple[int, NDArray[Any]]:
    """``values[where]``: how many, and :func:`basewatch.detect.change.stat_sample` of
    them (every ``k``-th in raster order, at most ``size``), without copying them out.

    Parameters
    ----------
    values : ndarray, float (any shape)
    where : ndarray of the same shape, bool
    size : int

    Returns
    -------
    count : int
    sample : ndarray, shape (m,), the dtype of ``values``
    """
    v = np.ascontiguousarray(values)
    count, _, _, out = _finite_sample(v, np.ascontiguousarray(where), True, int(size), False)
    return int(count), out


@njit(cache=True, nogil=True, parallel=True)
def _finite_pair(before: Any, after: Any, out: Any) -> None:  # pragma: no cover - compiled
    bands, rows, cols = before.shape
    for r in prange(rows):
        o = out[r]
        for c in range(cols):
            o[c] = True
        for b in range(bands):
            x = before[b, r]
            y = after[b, r]
            for c in range(cols):  # no branch per pixel: vector code
                o[c] = o[c] & (math.isfinite(x[c]) & math.isfinite(y[c]))


def finite_pair(
    before: NDArray[np.floating[Any]], after: NDArray[np.floating[Any]]
) -> NDArray[np.bool_]:
    """Pixels finite in every band of both stacks, in one parallel pass (what
    ``np.isfinite(before).all(axis=0) & np.isfinite(after).all(axis=0)`` gives, without
    the stacks of booleans).

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols), float

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    out = np.empty(before.shape[1:], dtype=bool)
    _finite_pair(np.ascontiguousarray(before), np.ascontiguousarray(after), out)
    return out


@njit(cache=True, nogil=True)
def _root(parent: Any, x: int) -> int:  # pragma: no cover - compiled
    """Root of ``x`` in a union-find forest whose every link points to a smaller id,
    halving the path on the way."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return int(x)


@njit(cache=True, nogil=True)
def _unite(parent: Any, a: int, b: int) -> int:  # pragma: no cover - compiled
    """Join the sets of ``a`` and ``b`` under the smaller root; that root."""
    a = _root(parent, a)
    b = _root(parent, b)
    if b < a:
        a, b = b, a
    parent[b] = a
    return a


@njit(cache=True, nogil=True)
def _starts(part: Any, r0: int, r1: int, eight: bool) -> int:  # pragma: no cover - compiled
    """Pixels of rows ``r0:r1`` that open a label in :func:`_label_rows`: of a part
    (``part > 0``), with no neighbour of that part among those scanned before them in
    the strip."""
    cols = part.shape[1]
    count = 0
    for r in range(r0, r1):
        m = part[r]
        up = r > r0
        p = part[r - 1] if up else m
        for c in range(cols):
            v = m[c]
            if v <= 0 or (c > 0 and m[c - 1] == v):
                continue
            if up:
                if p[c] == v:
                    continue
                if eight and ((c > 0 and p[c - 1] == v) or (c + 1 < cols and p[c + 1] == v)):
                    continue
            count += 1
    return count


@njit(cache=True, nogil=True)
def _label_rows(
    part: Any, out: Any, r0: int, r1: int, eight: bool, parent: Any, part_of: Any, first: int
) -> None:  # pragma: no cover - compiled
    """Label rows ``r0:r1`` of ``part`` into ``out`` on their own, with the ids from
    ``first`` on (as many as :func:`_starts` counts), joined in ``parent``; each id's
    part in ``part_of``."""
    cols = part.shape[1]
    n = first - 1
    for r in range(r0, r1):
        m = part[r]
        o = out[r]
        up = r > r0
        p = out[r - 1] if up else o
        pm = part[r - 1] if up else m
        for c in range(cols):
            v = m[c]
            if v <= 0:
                o[c] = 0
                continue
            w = o[c - 1] if c > 0 and m[c - 1] == v else 0
            north = p[c] if up and pm[c] == v else 0
            if eight:
                # the scan's decision tree: north touches west, north-west and
                # north-east, so it settles the pixel alone; north-east does not touch
                # west or north-west, which then join it
                ne = p[c + 1] if up and c + 1 < cols and pm[c + 1] == v else 0
                nw = p[c - 1] if up and c > 0 and pm[c - 1] == v else 0
                if north != 0:
                    lab = north
                elif ne != 0:
                    lab = ne
                    if w != 0:
                        lab = _unite(parent, ne, w)
                    elif nw != 0:
                        lab = _unite(parent, ne, nw)
                elif nw != 0:
                    lab = nw
                else:
                    lab = w
            elif north != 0:
                lab = north
                if w != 0 and w != north:
                    lab = _unite(parent, north, w)
            else:
                lab = w
            if lab == 0:
                n += 1
                parent[n] = n
                part_of[n] = v
                lab = n
            o[c] = lab


#: Parts :func:`label_components` tells apart (values 1..127 of an int8 image).
_MAX_PART = 127


@njit(cache=True, nogil=True, parallel=True)
def _label(part: Any, out: Any, bounds: Any, eight: bool) -> int:  # pragma: no cover - compiled
    strips = bounds.size - 1
    cols = part.shape[1]
    counts = np.zeros(strips, dtype=np.int64)
    for s in prange(strips):
        counts[s] = _starts(part, bounds[s], bounds[s + 1], eight)
    first = np.ones(strips + 1, dtype=np.int64)
    for s in range(strips):
        first[s + 1] = first[s] + counts[s]
    total = first[strips] - 1
    parent = np.empty(total + 1, dtype=np.int32)
    parent[0] = 0
    part_of = np.zeros(total + 1, dtype=np.int8)
    # each strip numbers its labels in raster order from its own first id and joins
    # them in its own part of the forest
    for s in prange(strips):
        _label_rows(part, out, bounds[s], bounds[s + 1], eight, parent, part_of, first[s])
    # pieces of one part that touch across a strip border are one component
    for s in range(1, strips):
        r = bounds[s]
        above, below = out[r - 1], out[r]
        pa, pb = part[r - 1], part[r]
        for c in range(cols):
            b = below[c]
            if b == 0:
                continue
            v = pb[c]
            if pa[c] == v:
                _unite(parent, b, above[c])
            if eight:
                if c > 0 and pa[c - 1] == v:
                    _unite(parent, b, above[c - 1])
                if c + 1 < cols and pa[c + 1] == v:
                    _unite(parent, b, above[c + 1])
    # a root is the first id of its set, opened at the set's first pixel (the strips'
    # ids rise down the image, and within a strip along the scan): numbering the roots
    # in order numbers each part's components in raster order, the parts one after the
    # other; every link points to a smaller id, so a label's parent is numbered first
    per_part = np.zeros(_MAX_PART + 2, dtype=np.int64)
    for i in range(1, total + 1):
        if parent[i] == i:
            per_part[part_of[i] + 1] += 1
    for v in range(1, _MAX_PART + 2):
        per_part[v] += per_part[v - 1]
    final = np.empty(total + 1, dtype=np.int32)
    final[0] = 0
    for i in range(1, total + 1):
        if parent[i] == i:
            per_part[part_of[i]] += 1
            final[i] = per_part[part_of[i]]
        else:
            final[i] = final[parent[i]]
    rows = part.shape[0]
    for r in prange(rows):
        o = out[r]
        for c in range(cols):
            if o[c] != 0:
                o[c] = final[o[c]]
    return int(per_part[_MAX_PART])


#: Rows of a strip that :func:`label_components` labels on its own, at least.
_MIN_STRIP_ROWS = 64


def label_components(
    mask: NDArray[np.bool_],
    *,
    eight: bool,
    part: NDArray[np.int8] | None = None,
    strips: int | None = None,
) -> tuple[NDArray[np.int32], int]:
    """Connected components of a 2-D mask, numbered as ``scipy.ndimage.label`` numbers
    them (``1..n`` in the raster order of each component's first pixel).

    Row strips are labelled in parallel (a decision-tree scan with union-find, the
    labels of each strip counted first), the pieces that touch across the strips'
    borders joined, and the image renumbered in one more parallel pass.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool
    eight : bool
        8-connected (``structure=np.ones((3, 3))``), else 4-connected (scipy's default
        structure).
    part : ndarray, shape (rows, cols), int8, optional
        Parts that no component crosses (pixels of ``mask`` with ``part`` 1 to 127;
        others are background): the labels are those of ``mask & (part == 1)``, then
        those of ``mask & (part == 2)`` offset by the first part's count, and so on.
    strips : int, optional
        Row strips labelled on their own (default: twice numba's threads, each at
        least :data:`_MIN_STRIP_ROWS` rows); any count gives the same labels.

    Returns
    -------
    labels : ndarray, shape (rows, cols), int32
    n : int
    """
    m = np.ascontiguousarray(mask, dtype=bool)
    if m.ndim != 2:
        raise ValueError(f"label_components labels 2-D masks, not shape {m.shape}")
    if part is None:
        code = m.view(np.int8)  # one part: the mask itself
    elif part.shape != m.shape:
        raise ValueError(f"part {part.shape} and mask {m.shape} must have one shape")
    else:
        code = np.where(m, np.asarray(part, dtype=np.int8), np.int8(0))
    rows = m.shape[0]
    out = np.empty(m.shape, dtype=np.int32)
    if m.size == 0:
        return out, 0
    if strips is None:
        strips = min(2 * numba.get_num_threads(), max(1, rows // _MIN_STRIP_ROWS))
    strips = max(1, min(int(strips), rows))
    bounds = np.linspace(0, rows, strips + 1).round().astype(np.int64)
    n = _label(code, out, bounds, bool(eight))
    return out, int(n)


@njit(cache=True, nogil=True, parallel=True)
def _row_reach(mask: Any, k: int, reach: Any) -> None:  # pragma: no cover - compiled
    """Distance along its row from each pixel to the nearest set pixel, capped at k + 1."""
    rows, cols = mask.shape
    for r in prange(rows):
        m = mask[r]
        d = reach[r]
        run = k + 1
        for c in range(cols):
            if m[c]:
                run = 0
            elif run <= k:
                run += 1
            d[c] = run
        run = k + 1
        for c in range(cols - 1, -1, -1):
            if m[c]:
                run = 0
            elif run <= k:
                run += 1
            if run < d[c]:
                d[c] = run


@njit(cache=True, nogil=True, parallel=True)
def _within_reach(reach: Any, widths: Any, out: Any) -> None:  # pragma: no cover - compiled
    """Set where some row ``r + dr`` has a set pixel within ``widths[dr + k]`` columns
    (``reach`` from :func:`_row_reach`; ``k = len(widths) // 2``). Each row is or-ed
    with every comparison, no branch per pixel: the compiler makes it vector code (a
    conditional store per pixel was some 40 times slower)."""
    rows, cols = reach.shape
    k = len(widths) // 2
    for r in prange(rows):
        o = out[r]
        for c in range(cols):
            o[c] = False
        for dr in range(-k, k + 1):
            rr = r + dr
            lim = widths[dr + k]
            if rr < 0 or rr >= rows or lim < 0:
                continue
            src = reach[rr]
            cap = np.uint8(lim)  # widths are at most _MAX_CROSS_STEPS
            for c in range(cols):
                o[c] = o[c] | (src[c] <= cap)


#: The largest number of steps :func:`dilate_cross` grows by itself (its row distances
#: are bytes); more go to scipy.
_MAX_CROSS_STEPS = 254


def dilate_cross(mask: NDArray[np.bool_], steps: int) -> NDArray[np.bool_]:
    """``scipy.ndimage.binary_dilation(mask, iterations=steps)`` (the 4-connected cross,
    ``steps`` times: every pixel within ``steps`` of a set pixel in city-block distance)
    in two parallel passes: each row's distance to its nearest set pixel, then the
    rows within reach above and below.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool
    steps : int
        At least 1.

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    if steps < 1:
        raise ValueError(f"dilate_cross grows by at least one step, not {steps}")
    m = np.ascontiguousarray(mask, dtype=bool)
    if steps > _MAX_CROSS_STEPS or m.ndim != 2:
        return np.asarray(ndimage.binary_dilation(m, iterations=steps), dtype=bool)
    widths = steps - np.abs(np.arange(-steps, steps + 1, dtype=np.int64))
    return _dilate_rows(m, widths)


def _dilate_rows(mask: NDArray[np.bool_], widths: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Dilation by the element whose row ``i`` is the run of ``2 * widths[i] + 1``
    pixels centred on its column (none where ``widths[i] < 0``); ``len(widths)`` odd,
    every width at most :data:`_MAX_CROSS_STEPS`."""
    reach = np.empty(mask.shape, dtype=np.uint8)
    _row_reach(mask, int(widths.max(initial=0)), reach)
    out = np.empty(mask.shape, dtype=bool)
    _within_reach(reach, np.ascontiguousarray(widths, dtype=np.int64), out)
    return out


def row_runs(structure: NDArray[np.bool_]) -> NDArray[np.int64] | None:
    """Half-widths of the rows of ``structure`` when each row is a run of pixels centred
    on the middle column (``-1`` for an empty row), the rows odd in number and the
    element symmetric about its middle row: the elements :func:`dilate_by` and
    :func:`erode_by` compute themselves; None for any other element."""
    st = np.asarray(structure, dtype=bool)
    if st.ndim != 2 or st.shape[0] % 2 == 0 or st.shape[1] % 2 == 0:
        return None
    mid = st.shape[1] // 2
    half = (st.sum(axis=1) - 1) // 2
    cols = np.arange(st.shape[1])
    runs = np.abs(cols[None, :] - mid) <= half[:, None]
    if not np.array_equal(runs, st) or not np.array_equal(st, st[::-1]):
        return None
    if half.max(initial=-1) > _MAX_CROSS_STEPS:
        return None
    return np.asarray(half, dtype=np.int64)


def dilate_by(mask: NDArray[np.bool_], structure: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``scipy.ndimage.binary_dilation(mask, structure)`` (pixels outside the image are
    unset), in two parallel passes where each row of ``structure`` is a centred run (a
    disc, a cross, a square: :func:`row_runs`); scipy itself for any other element.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool
    structure : ndarray, shape (h, w), bool
        Symmetric about its centre.

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    m = np.ascontiguousarray(mask, dtype=bool)
    widths = row_runs(structure) if m.ndim == 2 else None
    if widths is None:
        return np.asarray(ndimage.binary_dilation(m, structure), dtype=bool)
    return _dilate_rows(m, widths)


def erode_by(mask: NDArray[np.bool_], structure: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``scipy.ndimage.binary_erosion(mask, structure, border_value=1)`` (pixels outside
    the image count as set): the complement of :func:`dilate_by` of the complement, for
    an element symmetric about its centre.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool
    structure : ndarray, shape (h, w), bool
        Symmetric about its centre.

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    m = np.ascontiguousarray(mask, dtype=bool)
    widths = row_runs(structure) if m.ndim == 2 else None
    if widths is None:
        return np.asarray(ndimage.binary_erosion(m, structure, border_value=1), dtype=bool)
    out = _dilate_rows(~m, widths)
    np.logical_not(out, out=out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _band_mean(data: Any, out: Any) -> None:  # pragma: no cover - compiled
    bands, rows, cols = data.shape
    count = data.dtype.type(bands)
    for r in prange(rows):
        o = out[r]
        first = data[0, r]
        for c in range(cols):
            o[c] = first[c]
        for b in range(1, bands):
            x = data[b, r]
            for c in range(cols):
                o[c] += x[c]
        for c in range(cols):
            o[c] /= count


def band_mean(data: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
    """``data.mean(axis=0)`` of a float stack, bit for bit (numpy adds the bands one
    after the other in their own type, then divides by their count), in one parallel
    pass instead of one per band.

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols), float32 or float64

    Returns
    -------
    ndarray, shape (rows, cols), the dtype of ``data``
    """
    d = np.asarray(data)
    if d.ndim != 3 or d.shape[0] == 0 or d.dtype not in (np.float32, np.float64):
        return np.asarray(d.mean(axis=0))
    out = np.empty(d.shape[1:], dtype=d.dtype)
    _band_mean(np.ascontiguousarray(d), out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _band_mean_at(data: Any, at: Any, out: Any) -> None:  # pragma: no cover - compiled
    bands, _, cols = data.shape
    count = data.dtype.type(bands)
    for k in prange(at.shape[0]):
        r = at[k] // cols
        c = at[k] - r * cols
        t = data[0, r, c]
        for b in range(1, bands):
            t += data[b, r, c]
        out[k] = t / count


@njit(cache=True, nogil=True, parallel=True)
def _band_mean_at_flat(planes: Any, at: Any, out: Any) -> None:  # pragma: no cover - compiled
    bands = planes.shape[0]
    count = planes.dtype.type(bands)
    for k in prange(at.shape[0]):
        a = at[k]
        t = planes[0, a]
        for b in range(1, bands):
            t += planes[b, a]
        out[k] = t / count


def band_mean_at(
    data: NDArray[np.floating[Any]], flat_index: NDArray[np.integer[Any]]
) -> NDArray[Any]:
    """``band_mean(data).ravel()[flat_index]`` without the image-sized mean: the bands
    at those pixels only, added in order in their own type and divided by their count.

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols), float32 or float64
        Any strides (a crop of a stack is read in place).
    flat_index : ndarray, shape (k,), int
        Raster (C-order) indexes into one ``(rows, cols)`` plane.

    Returns
    -------
    ndarray, shape (k,), the dtype of ``data``
    """
    out = np.empty(len(flat_index), dtype=data.dtype)
    at = np.asarray(flat_index, dtype=np.int64)
    if data.flags.c_contiguous:  # planes read at the flat index: no division per pixel
        _band_mean_at_flat(data.reshape(data.shape[0], -1), at, out)
    else:
        _band_mean_at(data, at, out)
    return out


@njit(cache=True, nogil=True)
def _moments(labels: Any, n: int, pixels: bool) -> Any:  # pragma: no cover - compiled
    """Status, moments, boxes and (with ``pixels``) every labelled pixel's raster index
    and label; without ``pixels`` one pass and empty lists."""
    rows, cols = labels.shape
    empty = np.zeros(0, dtype=np.int64)
    k = 0
    for r in range(rows if pixels else 0):  # the pixels counted, to size their lists
        for c in range(cols):
            if labels[r, c] != 0:
                k += 1
    at = np.empty(k, dtype=np.int64)
    lab = np.empty(k, dtype=np.int64)
    moments = np.zeros((n + 1, 6), dtype=np.int64)
    box = np.empty((n + 1, 4), dtype=np.int64)
    box[:, :2] = np.iinfo(np.int64).max
    box[:, 2:] = -1
    j = 0
    for r in range(rows):
        row = labels[r]
        for c in range(cols):
            v = row[c]
            if v == 0:
                continue
            if v < 0 or v > n:
                return -1, np.zeros((0, 6), np.int64), np.zeros((0, 4), np.int64), empty, empty
            if pixels:
                at[j] = r * cols + c
                lab[j] = v
                j += 1
            m = moments[v]
            m[0] += 1
            m[1] += r
            m[2] += c
            m[3] += r * r
            m[4] += c * c
            m[5] += r * c
            b = box[v]
            b[0] = min(b[0], r)
            b[1] = min(b[1], c)
            b[2] = max(b[2], r)
            b[3] = max(b[3], c)
    return 0, moments, box, at, lab


def label_moments(
    labels: NDArray[np.integer[Any]], n: int, *, pixels: bool = True
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Integer moments and boxes of labels ``1..n`` and their pixels, in one pass.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        Values in ``0..n`` (a crop view is read in place).
    n : int
    pixels : bool
        Also list the labelled pixels (``flat_index``, ``lab``); without, they are
        empty and the labels are read once, not twice.

    Returns
    -------
    moments : ndarray, shape (n, 6), int64
        Count, sum of rows, of columns, of rows squared, of columns squared and of
        row times column, per label.
    box : ndarray, shape (n, 4), int64
        ``row_min, col_min, row_max, col_max`` (inclusive; a label without pixels keeps
        the int64 maximum and -1).
    flat_index, lab : ndarray, shape (k,), int64
        Raster index and label of every labelled pixel, in raster order.

    Raises
    ------
    ValueError
        A label is negative or above ``n``.
    """
    status, moments, box, at, lab = _moments(labels, int(n), bool(pixels))
    if status:
        raise ValueError(f"labels must lie in 0..{n}")
    return moments[1:], box[1:], at, lab


# --- the ring's median and interquartile range (a robust CFAR background) -------------

#: Code of a pixel left out of the ring histograms (invalid, or not finite).
_NO_CODE = -(2**31)


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def _log_codes(
    img: Any, valid: Any, use_valid: bool, step: float, floor: float, out: Any
) -> tuple[int, int]:  # pragma: no cover - compiled
    """``floor(log(max(v, floor)) / step)`` of every usable pixel (``_NO_CODE`` for the
    rest) and the least and greatest code."""
    rows, cols = img.shape
    lo = np.full(rows, 2**31 - 1, dtype=np.int64)
    hi = np.full(rows, -(2**31), dtype=np.int64)
    for i in prange(rows):
        for j in range(cols):
            v = float(img[i, j])
            if math.isfinite(v) and (not use_valid or valid[i, j]):
                c = math.floor(math.log(max(v, floor)) / step)
                out[i, j] = c
                lo[i] = min(lo[i], c)
                hi[i] = max(hi[i], c)
            else:
                out[i, j] = _NO_CODE
    return int(lo.min()), int(hi.max())


@njit(cache=True, nogil=True, inline="always")
def _count(hist: Any, b: int, d: int, p: Any, c: Any) -> None:  # pragma: no cover
    """Add ``d`` pixels to bin ``b``, keeping each quantile's count below its bin."""
    hist[b] += d
    for q in range(3):
        if b < p[q]:
            c[q] += d


@njit(cache=True, nogil=True, inline="always")
def _column(
    code: Any, j: int, r0: int, r1: int, base: int, d: int, hist: Any, p: Any, c: Any
) -> int:  # pragma: no cover
    """Add (``d`` = 1) or remove (-1) column ``j``'s usable pixels of rows ``r0..r1 - 1``;
    how many."""
    n = 0
    for r in range(r0, r1):
        k = code[r, j]
        if k != _NO_CODE:
            _count(hist, k - base, d, p, c)
            n += 1
    return d * n


@njit(cache=True, nogil=True, parallel=True, error_model="numpy")
def _ring_median_scores(
    code: Any,
    base: int,
    nbins: int,
    img: Any,
    search: Any,
    guard: int,
    background: int,
    kk: Any,
    min_n: float,
    step: float,
    min_std: float,
    iqr_to_sigma: float,
    mask: Any,
    score: Any,
    median: Any,
) -> None:  # pragma: no cover - compiled
    rows, cols = code.shape
    for i in prange(rows):
        first = -1
        last = -1
        for j in range(cols):
            if search[i, j]:
                if first < 0:
                    first = j
                last = j
        for j in range(cols):
            mask[i, j] = False
            score[i, j] = np.nan
            median[i, j] = np.nan
        if first < 0:
            continue
        # the histogram of the ring around (i, first), then slid along the row; three
        # pointers (first, second and third quartile) each keep the count below its bin
        hist = np.zeros(nbins, dtype=np.int32)
        p = np.zeros(3, dtype=np.int64)
        c = np.zeros(3, dtype=np.int64)
        quartile = np.empty(3)
        r0, r1 = max(0, i - background), min(rows, i + background + 1)
        g0, g1 = max(0, i - guard), min(rows, i + guard + 1)
        n = 0
        for jj in range(max(0, first - background), min(cols, first + background + 1)):
            n += _column(code, jj, r0, r1, base, 1, hist, p, c)
        for jj in range(max(0, first - guard), min(cols, first + guard + 1)):
            n += _column(code, jj, g0, g1, base, -1, hist, p, c)
        for j in range(first, last + 1):
            if j > first:
                if j + background < cols:
                    n += _column(code, j + background, r0, r1, base, 1, hist, p, c)
                if j - background - 1 >= 0:
                    n += _column(code, j - background - 1, r0, r1, base, -1, hist, p, c)
                if j + guard < cols:
                    n += _column(code, j + guard, g0, g1, base, -1, hist, p, c)
                if j - guard - 1 >= 0:
                    n += _column(code, j - guard - 1, g0, g1, base, 1, hist, p, c)
            x = float(img[i, j])
            if not (search[i, j] and math.isfinite(x)) or n < min_n or n == 0:
                continue
            for q in range(3):
                # the value of rank (q + 1) (n - 1) // 4 (0-based, the lower of a pair)
                # lies in bin p[q]
                t = (q + 1) * (n - 1) // 4
                while c[q] > t:
                    p[q] -= 1
                    c[q] -= hist[p[q]]
                while c[q] + hist[p[q]] <= t:
                    c[q] += hist[p[q]]
                    p[q] += 1
                quartile[q] = math.exp((p[q] + base + 0.5) * step)
            q25, q50, q75 = quartile[0], quartile[1], quartile[2]
            sd = max((q75 - q25) / iqr_to_sigma, q50 * (math.exp(step) - 1.0), min_std)
            s = np.float32((x - q50) / sd)
            median[i, j] = np.float32(q50)
            score[i, j] = s
            mask[i, j] = s > kk


def ring_median_block(
    img: NDArray[Any],
    valid: NDArray[np.bool_] | None,
    search: NDArray[np.bool_],
    *,
    guard: int,
    background: int,
    kk: float,
    min_std: float,
    min_n: float,
    step: float,
    floor: float,
    iqr_to_sigma: float,
) -> tuple[NDArray[np.bool_], NDArray[np.float32], NDArray[np.float32]]:
    """CFAR mask, score and background median of one block of rows, against the median
    and interquartile range of each pixel's ring (the definition:
    :func:`basewatch.detect.change._median_cfar_rows`).

    Each ring's values are counted in a histogram of ``floor(log(max(v, floor)) /
    step)``, slid along the row: a quartile is the centre of the bin holding the value
    of its rank, to a relative ``step / 2``. The bins are fixed in value, so a pixel's
    result depends on its ring alone (strips and crops give the whole image's).

    Parameters
    ----------
    img : ndarray, shape (rows, cols), any real dtype
        NaN invalid.
    valid : ndarray, shape (rows, cols), bool, or None
        Pixels of the rings' statistics.
    search : ndarray, shape (rows, cols), bool
        Pixels scored.
    guard, background : int
        Half-sizes of the guard and background squares.
    kk : float
        Score threshold.
    min_std, min_n : float
        Floor on the spread; fewest ring pixels for a pixel to be scored.
    step, floor : float
        Width of a histogram bin in natural log units; least value told apart.
    iqr_to_sigma : float
        Interquartile range over standard deviation of the clutter (the spread's scale).

    Returns
    -------
    mask : ndarray, shape (rows, cols), bool
    score : ndarray, shape (rows, cols), float32
        ``(x - median) / (IQR / iqr_to_sigma)``; NaN where not scored.
    median : ndarray, shape (rows, cols), float32
        The ring's median where scored, NaN elsewhere.
    """
    rows, cols = img.shape
    image = np.ascontiguousarray(img)
    code = np.empty((rows, cols), dtype=np.int32)
    vmask, use_valid = _mask_argument(valid)
    lo, hi = _log_codes(image, vmask, use_valid, float(step), float(floor), code)
    mask = np.empty((rows, cols), dtype=bool)
    score = np.empty((rows, cols), dtype=np.float32)
    median = np.empty((rows, cols), dtype=np.float32)
    if hi < lo:  # no usable pixel
        mask.fill(False)
        score.fill(np.nan)
        median.fill(np.nan)
        return mask, score, median
    _ring_median_scores(
        code,
        lo,
        hi - lo + 1,
        image,
        np.ascontiguousarray(search),
        guard,
        background,
        np.float32(kk),
        float(min_n),
        float(step),
        float(min_std),
        float(iqr_to_sigma),
        mask,
        score,
        median,
    )
    return mask, score, median
