"""Sub-pixel translation of one band by cubic B-spline interpolation, as scipy's, faster.

What ``scipy.ndimage.shift(band, (dy, dx), order=3, mode="nearest")`` computes (the
band padded by 12 edge pixels, its B-spline coefficients found by scipy's
``spline_filter``, then the spline evaluated at every pixel moved by ``(dy, dx)``),
with the weights found once per row and per column (a constant shift gives every pixel
of a row the same four row weights, of a column the same column weights), where
scipy's generic resampler finds the coordinates and weights of each pixel again, which
costs several times more on a tile.

The coefficients are found by :func:`prefilter`: scipy's recursive filter (the gain,
then a causal and an anticausal pass per line, started as scipy starts them for
``mode="nearest"``), run over many columns at once and on every core, with the same
arithmetic in the same order, so the coefficients are scipy's bit for bit. scipy's
filter runs on one core, one line at a time: on a padded 10980 px band it took 2.1 s,
the kernel 0.65 s on two cores (memory already in use).

:func:`shift_band` sums the sixteen terms of each pixel in scipy's order (coefficient
times row weight times column weight, columns fastest) in a parallel numba kernel, so
its float32 result is scipy's bit for bit; :func:`shift_band_reference` is the same
arithmetic in numpy (the definition the tests compare the kernel with). The kernel
adds each term to a run of columns at once, in which every column reads the
coefficients one further on than the one before (a run breaks where a shift's fraction
rounds across a pixel), which the compiler turns into vector instructions (a 10980 px
band 1.0-1.3 s on two cores one pixel at a time, 0.42 s so).

:func:`moved_valid` says which pixels stay valid after the shift: scipy's bilinear
shift of the validity mask, thresholded, computed the same way (weights once per row
and column, terms in scipy's order) from the mask itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray
from scipy import ndimage

__all__ = [
    "MAX_SHIFT_PX",
    "MIN_PREFILTER_LENGTH",
    "MOVED_VALID_SHARE",
    "PAD",
    "blank_invalid",
    "bspline_weights",
    "erode_cross",
    "evaluate_shift",
    "filled_coefficients",
    "linear_plan",
    "moved_valid",
    "moved_valid_reference",
    "prefilter",
    "shift_band",
    "shift_band_reference",
    "shift_plan",
    "spline_coefficients",
    "usable_pixels",
]

#: Edge pixels added on each side before the B-spline filter (scipy's own choice for
#: ``mode="nearest"``): the coefficients near the border then do not depend on a
#: boundary rule, and any shift up to a few pixels reads inside the padded array.
PAD = 12

#: Largest shift (pixels, per axis) the padding allows.
MAX_SHIFT_PX = PAD - 2

#: The cubic B-spline's pole (``sqrt(3) - 2``, as scipy writes it).
_POLE = -0.267949192431122706472553658494127633

#: Shortest line (pixels along either axis) :func:`prefilter` filters itself; shorter
#: arrays go to scipy, whose results for lines of up to 16 pixels differ from this
#: arithmetic in the last digits (a padded band is at least ``2 * PAD + 1`` long).
MIN_PREFILTER_LENGTH = 2 * PAD + 1

#: Columns filtered together by one thread in :func:`prefilter`'s pass down the
#: columns: a 4 KiB run of each row, read in order. Runs of 64 columns (512 bytes) took
#: 1.0 s a padded 10980 px band, 512 columns 0.31 s (a new page every 64 values against
#: one every 512); at 2745 px both under 0.04 s.
_COLUMN_BLOCK = 512

#: Output columns one task of :func:`evaluate_shift`'s kernel (and of
#: :func:`moved_valid`'s) sums at once (its sums and the runs it reads stay in the
#: first-level cache).
_SHIFT_BLOCK = 1024

#: Share of a shifted pixel's bilinear footprint that must fall on valid pixels for it
#: to stay valid (:func:`moved_valid`): all of it, to rounding.
MOVED_VALID_SHARE = 0.999


def bspline_weights(t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weights of the cubic B-spline coefficients at offsets -1, 0, 1, 2 from points
    ``t`` (0 <= t < 1) past a sample.

    Written as scipy writes them (``(1 - t)**3 / 6``, ``t**2 (t - 2) / 2 + 2/3`` and
    its mirror, ``t**3 / 6``), so that the sums round alike.

    Parameters
    ----------
    t : ndarray, shape (n,), float64

    Returns
    -------
    ndarray, shape (n, 4), float64
        Each row sums to 1.
    """
    y = np.asarray(t, dtype=np.float64)
    z = 1.0 - y
    return np.stack(
        [
            z * z * z / 6.0,
            y * y * (y - 2.0) / 2.0 + 2.0 / 3.0,
            z * z * (z - 2.0) / 2.0 + 2.0 / 3.0,
            y * y * y / 6.0,
        ],
        axis=-1,
    )


def shift_plan(
    n: int, shift: float, *, origin: int = 0, coef_origin: int | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """For each of ``n`` output pixels along an axis: the first coefficient read and the
    four weights.

    Output pixel ``i`` takes the value at ``c = i - shift`` (positive shifts move the
    content down or right): the coefficients ``floor(c) - 1 .. floor(c) + 2`` (plus
    :data:`PAD` in the padded array) weighted by :func:`bspline_weights` of
    ``c - floor(c)``. The fraction is taken per pixel, as scipy takes it (``i - shift``
    rounds differently for different ``i`` in the last bit).

    Parameters
    ----------
    n : int
    shift : float
    origin : int
        Index of the first output pixel in the whole raster, for a strip of it
        (:func:`evaluate_shift`): ``i`` is then the pixel's index in the whole raster,
        so that a strip's fractions are the whole raster's to the last bit.
    coef_origin : int, optional
        Index in the whole raster of the first (unpadded) pixel of the coefficients;
        default ``origin``.

    Returns
    -------
    start : ndarray, shape (n,), int64
        Index into the coefficients.
    weights : ndarray, shape (n, 4), float64
    """
    first = int(origin if coef_origin is None else coef_origin)
    c, base = _source_positions(n, shift, origin)
    return base.astype(np.int64) - 1 + PAD - first, bspline_weights(c - base)


def _source_positions(
    n: int, shift: float, origin: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Where output pixels ``origin .. origin + n - 1`` of an axis read from, ``c = i -
    shift`` per pixel (as scipy finds it: the fraction of ``i - shift`` differs in the
    last bit from pixel to pixel), and ``floor(c)``; the one rule of :func:`shift_plan`
    and :func:`linear_plan`."""
    c = (int(origin) + np.arange(n, dtype=np.float64)) - float(shift)
    return c, np.floor(c)


def spline_coefficients(band: NDArray[Any]) -> NDArray[np.float64]:
    """Cubic B-spline coefficients of ``band`` padded by :data:`PAD` edge pixels (as
    scipy finds them, by :func:`prefilter`).

    Parameters
    ----------
    band : ndarray, shape (rows, cols)
        Finite values.

    Returns
    -------
    ndarray, shape (rows + 2 * PAD, cols + 2 * PAD), float64
    """
    return prefilter(np.pad(np.asarray(band, dtype=np.float64), PAD, mode="edge"))


def prefilter(coef: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cubic B-spline coefficients of ``coef``, found in place: what
    ``scipy.ndimage.spline_filter(coef, 3, output=coef, mode="nearest")`` does, bit
    for bit, in parallel numba kernels (scipy's filter where either axis is shorter
    than :data:`MIN_PREFILTER_LENGTH`).

    Parameters
    ----------
    coef : ndarray, shape (rows, cols), float64
        C-contiguous, finite; overwritten.

    Returns
    -------
    ndarray, shape (rows, cols), float64
        ``coef`` itself.
    """
    if coef.dtype != np.float64 or coef.ndim != 2 or not coef.flags.c_contiguous:
        layout = "C-contiguous" if coef.flags.c_contiguous else "not C-contiguous"
        raise ValueError(
            "prefilter needs a C-contiguous 2-D float64 array (it filters in place), not "
            f"a {layout} {coef.ndim}-D {coef.dtype} array; pass np.ascontiguousarray(a, "
            "dtype=np.float64)"
        )
    if min(coef.shape) < MIN_PREFILTER_LENGTH:
        ndimage.spline_filter(coef, 3, output=coef, mode="nearest")
        return coef
    # scipy filters axis 0, then axis 1
    _prefilter_columns(coef, _POLE, _COLUMN_BLOCK)
    _prefilter_rows(coef, _POLE)
    return coef


@njit(cache=True, nogil=True, inline="always")
def _filter_constants(z: float, n: int) -> tuple[float, float, float, float]:  # pragma: no cover
    """The gain, ``z**n``, and the factors of the first and last coefficients of a line
    of ``n``, each computed as scipy computes it."""
    gain = (1.0 - z) * (1.0 - 1.0 / z)
    z_n = z ** np.float64(n)
    return gain, z_n, z / (1 - z_n * z_n), z / (z - 1)


@njit(cache=True, nogil=True, parallel=True)
def _prefilter_rows(c: NDArray[np.float64], z: float) -> None:  # pragma: no cover - compiled
    rows, n = c.shape
    gain, z_n, head, tail = _filter_constants(z, n)
    for r in prange(rows):
        line = c[r]
        for i in range(n):
            line[i] *= gain
        # the causal pass starts from the line reflected at both ends; the terms stop
        # counting once z**i has underflowed to zero (finite values: adding zero)
        first = line[0]
        start = line[0] + z_n * line[n - 1]
        z_i = z
        for i in range(1, n):
            if z_i == 0.0:
                break
            start += z_i * (line[i] + z_n * line[n - 1 - i])
            z_i *= z
        start *= head
        line[0] = start + first
        for i in range(1, n):
            line[i] += z * line[i - 1]
        line[n - 1] *= tail
        for i in range(n - 2, -1, -1):
            line[i] = z * (line[i + 1] - line[i])


@njit(cache=True, nogil=True, parallel=True)
def _prefilter_columns(
    c: NDArray[np.float64], z: float, block: int
) -> None:  # pragma: no cover - compiled
    n, cols = c.shape
    gain, z_n, head, tail = _filter_constants(z, n)
    for b in prange((cols + block - 1) // block):
        # the lines of _prefilter_rows, ``block`` columns side by side, with the gain
        # taken as each value is first read (by the start's sum and the causal pass)
        # rather than in a pass of its own: the same products, one sweep fewer over a
        # block that does not stay in the cache
        j0 = b * block
        j1 = min(cols, j0 + block)
        start = np.empty(j1 - j0)
        for j in range(j0, j1):
            start[j - j0] = c[0, j] * gain + z_n * (c[n - 1, j] * gain)
        z_i = z
        for i in range(1, n):
            if z_i == 0.0:
                break
            for j in range(j0, j1):
                start[j - j0] += z_i * (c[i, j] * gain + z_n * (c[n - 1 - i, j] * gain))
            z_i *= z
        for j in range(j0, j1):
            c[0, j] = c[0, j] * gain + start[j - j0] * head
        for i in range(1, n):
            for j in range(j0, j1):
                c[i, j] = c[i, j] * gain + z * c[i - 1, j]
        for j in range(j0, j1):
            c[n - 1, j] *= tail
        for i in range(n - 2, -1, -1):
            for j in range(j0, j1):
                c[i, j] = z * (c[i + 1, j] - c[i, j])


def filled_coefficients(
    band: NDArray[Any],
    ok: NDArray[np.bool_],
    fill: float,
    *,
    out: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """:func:`spline_coefficients` of ``band`` with ``fill`` where not ``ok``, found in
    one float64 array (filled, padded and filtered in place, where the plain call holds
    the band in float64, filled, padded and filtered: four arrays of its size).

    Parameters
    ----------
    band : ndarray, shape (rows, cols)
    ok : ndarray, shape (rows, cols), bool
    fill : float
    out : ndarray, shape (rows + 2 * PAD, cols + 2 * PAD), float64, optional
        The array to find them in (its values are overwritten). A caller that finds
        several bands' coefficients on other threads gives its own arrays: an array
        that size made on a thread other than the main one is a fresh mapping from
        the system each time (glibc's thread arenas cannot hold it), which a tile pays
        for in page faults.

    Returns
    -------
    ndarray, shape (rows + 2 * PAD, cols + 2 * PAD), float64
        Equal to ``spline_coefficients(np.where(ok, band, fill))`` bit for bit.
    """
    rows, cols = np.shape(band)
    shape = (rows + 2 * PAD, cols + 2 * PAD)
    if out is None:
        coef = np.empty(shape, dtype=np.float64)
    elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous float64 array of shape {shape}")
    else:
        coef = out
    if not (rows and cols):
        raise ValueError(f"no coefficients of an empty band ({rows} x {cols} px)")
    _fill_padded(np.asarray(band), np.asarray(ok, dtype=bool), float(fill), coef)
    return prefilter(coef)


@njit(cache=True, nogil=True, parallel=True)
def _fill_padded(band: Any, ok: Any, fill: float, coef: Any) -> None:  # pragma: no cover
    """``coef`` = ``np.pad(np.where(ok, band, fill), PAD, mode="edge")`` in float64, in
    one parallel pass: each padded row copies its source row (the first or last row of
    the band for the padding above and below), then its edge values outward."""
    rows, cols = band.shape
    for r in prange(coef.shape[0]):
        src = min(max(r - PAD, 0), rows - 1)
        values, usable = band[src], ok[src]
        line = coef[r, PAD : PAD + cols]
        for j in range(cols):
            line[j] = values[j] if usable[j] else fill
        for j in range(PAD):
            coef[r, j] = line[0]
            coef[r, PAD + cols + j] = line[cols - 1]


def shift_band_reference(band: NDArray[Any], shift: tuple[float, float]) -> NDArray[np.float32]:
    """:func:`shift_band` in numpy: the sixteen shifted coefficient planes, weighted and
    summed in the kernel's order.

    Parameters
    ----------
    band : ndarray, shape (rows, cols)
        Finite values.
    shift : (float, float)
        ``(dy, dx)`` in pixels.

    Returns
    -------
    ndarray, shape (rows, cols), float32
    """
    rows, cols = np.shape(band)
    coef = spline_coefficients(band)
    sy, wy = shift_plan(rows, shift[0])
    sx, wx = shift_plan(cols, shift[1])
    out = np.zeros((rows, cols))
    for a in range(4):
        for b in range(4):
            out += coef[(sy + a)[:, None], (sx + b)[None, :]] * wy[:, a, None] * wx[None, :, b]
    return np.asarray(out, dtype=np.float32)


@njit(cache=True, nogil=True, parallel=True)
def _shift_runs(
    coef: NDArray[np.float64],
    sy: NDArray[np.int64],
    wy: NDArray[np.float64],
    sx: NDArray[np.int64],
    wx_t: NDArray[np.float64],
    bounds: NDArray[np.int64],
    out: NDArray[np.float32],
) -> None:  # pragma: no cover - compiled
    """Each pixel's sixteen terms in scipy's order (columns fastest), each coefficient
    times its row weight, then its column weight, added from 0.0; one task per row and
    run of columns ``bounds[k]:bounds[k + 1]``, in which column ``j`` reads the
    coefficients from ``sx[j0] + (j - j0)`` on, the columns innermost. ``wx_t`` is
    the column weights transposed, ``(4, cols)``."""
    rows = out.shape[0]
    runs = bounds.size - 1
    for k in prange(rows * runs):
        i = k // runs
        j0 = bounds[k % runs]
        j1 = bounds[k % runs + 1]
        n = j1 - j0
        t = np.zeros(n)
        for a in range(4):
            line = coef[sy[i] + a]
            w = wy[i, a]
            for b in range(4):
                # slices, indexed from zero: no negative-index checks in the loop
                c = line[sx[j0] + b : sx[j0] + b + n]
                wb = wx_t[b, j0:j1]
                for j in range(n):
                    t[j] += c[j] * w * wb[j]
        row = out[i, j0:j1]
        for j in range(n):
            row[j] = np.float32(t[j])


def _column_runs(sx: NDArray[np.int64], block: int) -> NDArray[np.int64]:
    """Bounds of runs of at most ``block`` columns in which each column reads the
    coefficients one further on than the one before: the run breaks where ``sx``
    does not step by one (a shift whose fraction rounds across a pixel somewhere)."""
    jumps = np.flatnonzero(np.diff(sx) != 1) + 1
    every = np.arange(0, sx.size, block, dtype=np.int64)
    return np.union1d(np.concatenate([every, jumps]), [sx.size]).astype(np.int64)


def shift_band(
    band: NDArray[Any], shift: tuple[float, float], *, out: NDArray[np.float32] | None = None
) -> NDArray[np.float32]:
    """``band`` translated by a sub-pixel ``shift`` (cubic B-spline, edges extended).

    Parameters
    ----------
    band : ndarray, shape (rows, cols)
        Finite values (fill invalid pixels first).
    shift : (float, float)
        ``(dy, dx)`` in pixels, each at most :data:`MAX_SHIFT_PX` in size.
    out : ndarray, shape (rows, cols), float32, optional
        Where to write the result.

    Returns
    -------
    ndarray, shape (rows, cols), float32
    """
    return evaluate_shift(spline_coefficients(band), shift, out=out)


def evaluate_shift(
    coef: NDArray[np.float64],
    shift: tuple[float, float],
    *,
    out: NDArray[np.float32] | None = None,
    origin: int = 0,
    coef_origin: int | None = None,
) -> NDArray[np.float32]:
    """The band of :func:`spline_coefficients` ``coef`` translated by ``shift``.

    Parameters
    ----------
    coef : ndarray, shape (rows + 2 * PAD, cols + 2 * PAD), float64
    shift : (float, float)
        ``(dy, dx)`` in pixels, each at most :data:`MAX_SHIFT_PX` in size.
    out : ndarray, shape (n, cols), float32, optional
        Where to write the result: the rows from ``origin`` on (default all of
        ``coef``'s band, ``n = rows``).
    origin : int
        The first row of the result in the whole raster, when ``coef`` is a strip of
        full rows of it.
    coef_origin : int, optional
        The first row of ``coef``'s band in the whole raster; default ``origin``. The
        rows a strip needs from beyond its edges are taken as the padding gives them,
        so rows near an edge of the strip that is not the raster's are not the whole
        raster's (:data:`basewatch.imagery.coreg.SHIFT_HALO`).

    Returns
    -------
    ndarray, shape (rows, cols), float32
    """
    if max(abs(shift[0]), abs(shift[1])) > MAX_SHIFT_PX:
        raise ValueError(f"shift {shift} is larger than {MAX_SHIFT_PX} pixels")
    rows, cols = coef.shape[0] - 2 * PAD, coef.shape[1] - 2 * PAD
    result = np.empty((rows, cols), dtype=np.float32) if out is None else out
    sy, wy = shift_plan(result.shape[0], shift[0], origin=origin, coef_origin=coef_origin)
    if sy.size and (sy.min() < 0 or sy.max() + 4 > coef.shape[0]):
        raise ValueError(f"rows from {origin} need coefficients beyond those given")
    sx, wx = shift_plan(cols, shift[1])
    bounds = _column_runs(sx, _SHIFT_BLOCK)
    _shift_runs(coef, sy, wy, sx, np.ascontiguousarray(wx.T), bounds, result)
    return result


def linear_plan(
    n: int, shift: float, *, origin: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """For each of ``n`` output pixels along an axis: the first input pixel of its linear
    interpolation, the two weights, and where it maps.

    Output pixel ``i`` takes the value at ``c = i - shift`` (``i`` counted from
    ``origin`` in the whole raster, as :func:`shift_plan`), from pixels ``floor(c)`` and
    ``floor(c) + 1`` with weights ``1 - t`` and ``1 - (1 - t)``, ``t = c - floor(c)``:
    scipy's order-1 weights, the second found as the rest of one. A pixel maps inside
    when ``0 <= c <= n_raster - 1``; outside, scipy's ``mode="constant"`` gives the
    constant, with no interpolation towards it.

    Parameters
    ----------
    n : int
    shift : float
    origin : int

    Returns
    -------
    start : ndarray, shape (n,), int64
        Index of the first input pixel in the whole raster.
    weights : ndarray, shape (n, 2), float64
    mapped : ndarray, shape (n,), float64
        ``c`` itself (inside the input from 0 to its last pixel).
    """
    c, base = _source_positions(n, shift, origin)
    first = 1.0 - (c - base)
    return base.astype(np.int64), np.column_stack([first, 1.0 - first]), c


def moved_valid(
    ok: NDArray[np.bool_], shift: tuple[float, float], *, rows: tuple[int, int] | None = None
) -> NDArray[np.bool_]:
    """The pixels whose bilinear footprint, moved by ``shift``, lies on valid pixels.

    What ``scipy.ndimage.shift(ok.astype(float), shift, order=1, mode="constant") >
    MOVED_VALID_SHARE`` gives (:func:`moved_valid_reference`), bit for bit, in one
    parallel pass that reads the mask itself: no float64 copies of the raster (two of
    them, 1.9 GB, on a 10980 px tile). Where a pixel's four sources lie inside the
    raster (all but its edges) the terms are added over runs of columns at once, each
    source as 1.0 or 0.0 times its weights: an invalid source adds 0.0, which leaves
    the sum as skipping it does (0.52-0.61 s a 10980 px mask one pixel at a time with
    a branch per source, 0.1 s so).

    Parameters
    ----------
    ok : ndarray, shape (rows, cols), bool
        Valid pixels before the shift.
    shift : (float, float)
        ``(dy, dx)`` in pixels (any size; beyond the raster nothing is valid).
    rows : (int, int), optional
        Only these rows of the result (``start, stop``), as the whole raster's.

    Returns
    -------
    ndarray, shape (stop - start, cols), bool
    """
    mask = np.ascontiguousarray(ok, dtype=bool)
    r0, r1 = rows if rows is not None else (0, mask.shape[0])
    cols = mask.shape[1]
    sy, wy, cy = linear_plan(r1 - r0, shift[0], origin=r0)
    sx, wx, cx = linear_plan(cols, shift[1])
    # the columns whose two sources are inside the raster: one range (sx and cx rise
    # with the column), whose ends are also ends of runs
    inside = np.flatnonzero((cx >= 0.0) & (cx <= cols - 1) & (sx + 1 < cols))
    lo, hi = (int(inside[0]), int(inside[-1]) + 1) if inside.size else (0, 0)
    bounds = np.union1d(_column_runs(sx, _SHIFT_BLOCK), [lo, hi]).astype(np.int64)
    run_inside = (bounds[:-1] >= lo) & (bounds[:-1] < hi)
    out = np.empty((r1 - r0, cols), dtype=bool)
    _moved_valid_runs(
        mask,
        sy,
        wy,
        cy,
        sx,
        wx,
        np.ascontiguousarray(wx.T),
        cx,
        MOVED_VALID_SHARE,
        bounds,
        run_inside,
        out,
    )
    return out


@njit(cache=True, nogil=True, parallel=True)
def _moved_valid_runs(
    ok: NDArray[np.bool_],
    sy: NDArray[np.int64],
    wy: NDArray[np.float64],
    cy: NDArray[np.float64],
    sx: NDArray[np.int64],
    wx: NDArray[np.float64],
    wx_t: NDArray[np.float64],
    cx: NDArray[np.float64],
    share: float,
    bounds: NDArray[np.int64],
    run_inside: NDArray[np.bool_],
    out: NDArray[np.bool_],
) -> None:  # pragma: no cover - compiled
    """Each pixel of :func:`moved_valid`, one task per row and run of columns
    ``bounds[k]:bounds[k + 1]``: a run of ``run_inside`` (every column's sources inside
    the raster, each column reading one further on) on a row whose sources are inside
    too is summed over the run at once, the columns innermost; any other pixel by
    :func:`_moved_valid_pixel`."""
    rows = ok.shape[0]
    runs = bounds.size - 1
    for k in prange(out.shape[0] * runs):
        i = k // runs
        q = k % runs
        j0 = bounds[q]
        j1 = bounds[q + 1]
        o = out[i, j0:j1]
        n = j1 - j0
        if cy[i] < 0.0 or cy[i] > rows - 1:
            for j in range(n):
                o[j] = False
        elif run_inside[q] and sy[i] + 1 < rows:
            t = np.zeros(n)
            s = sx[j0]
            for a in range(2):
                line = ok[sy[i] + a]
                w = wy[i, a]
                for b in range(2):
                    # slices, indexed from zero: no negative-index checks in the loop
                    c = line[s + b : s + b + n]
                    wb = wx_t[b, j0:j1]
                    for j in range(n):
                        t[j] += (1.0 * c[j] * w) * wb[j]
            for j in range(n):
                o[j] = t[j] > share
        else:
            for j in range(j0, j1):
                out[i, j] = _moved_valid_pixel(ok, sy[i], wy[i], sx[j], wx[j], cx[j], share)


@njit(cache=True, nogil=True, inline="always")
def _moved_valid_pixel(
    ok: NDArray[np.bool_],
    sy_i: int,
    wy_i: NDArray[np.float64],
    sx_j: int,
    wx_j: NDArray[np.float64],
    cx_j: float,
    share: float,
) -> bool:  # pragma: no cover - compiled
    """One pixel of :func:`moved_valid` (its row mapped inside the raster)."""
    rows, cols = ok.shape
    if cx_j < 0.0 or cx_j > cols - 1:
        return False
    # the four terms in scipy's order (columns fastest): value times row weight times
    # column weight, an invalid or outside pixel adding nothing
    t = 0.0
    for a in range(2):
        r = sy_i + a
        if r >= rows:
            continue
        for b in range(2):
            c = sx_j + b
            if c < cols and ok[r, c]:
                t += 1.0 * wy_i[a] * wx_j[b]
    return t > share


@njit(cache=True, nogil=True, parallel=True)
def _erode_cross_rows(mask: NDArray[np.bool_], out: NDArray[np.bool_]) -> None:  # pragma: no cover
    rows, cols = mask.shape
    for i in prange(rows):
        o = out[i]
        if i == 0 or i == rows - 1:
            for j in range(cols):
                o[j] = False
            continue
        up, here, down = mask[i - 1], mask[i], mask[i + 1]
        o[0] = False
        o[cols - 1] = False
        for j in range(1, cols - 1):
            o[j] = here[j] and up[j] and down[j] and here[j - 1] and here[j + 1]


def erode_cross(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``scipy.ndimage.binary_erosion(mask, iterations=1, border_value=0)``: the pixels
    set with their four neighbours, none on the border, in one parallel pass (scipy's
    took 1.7 s on a 10980 px mask, on one core).

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    m = np.ascontiguousarray(mask, dtype=bool)
    if m.ndim != 2 or min(m.shape) < 3:
        return np.asarray(ndimage.binary_erosion(m, iterations=1, border_value=0), dtype=bool)
    out = np.empty(m.shape, dtype=bool)
    _erode_cross_rows(m, out)
    return out


def usable_pixels(data: NDArray[np.floating], valid: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``valid & np.isfinite(data).all(axis=0)`` in one parallel pass over the rows (no
    boolean copy of every band: 0.35 s a four-band 10980 px scene in numpy, on one core).

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols), float
    valid : ndarray, shape (rows, cols), bool

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    arr = np.asarray(data)
    mask = np.asarray(valid, dtype=bool)
    if arr.ndim != 3 or arr.shape[1:] != mask.shape or arr.dtype.kind != "f":
        return np.asarray(mask & np.isfinite(arr).all(axis=0), dtype=bool)
    out = np.empty(mask.shape, dtype=bool)
    _usable_rows(arr, mask, out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _usable_rows(data: Any, valid: Any, out: Any) -> None:  # pragma: no cover - compiled
    for r in prange(out.shape[0]):
        o = out[r]
        o[:] = valid[r]
        for b in range(data.shape[0]):
            line = data[b, r]
            for j in range(o.size):
                o[j] = o[j] & np.isfinite(line[j])


def blank_invalid(data: NDArray[np.floating], ok: NDArray[np.bool_]) -> None:
    """``data[:, ~ok] = np.nan``, in place, in one parallel pass over the rows (numpy's
    boolean index: 0.4-0.8 s a four-band 10980 px scene, on one core).

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols), float
        Overwritten where not ``ok``.
    ok : ndarray, shape (rows, cols), bool
    """
    mask = np.asarray(ok, dtype=bool)
    if data.ndim != 3 or data.shape[1:] != mask.shape or data.dtype.kind != "f":
        data[:, ~mask] = np.nan
        return
    _blank_rows(data, mask)


@njit(cache=True, nogil=True, parallel=True)
def _blank_rows(data: Any, ok: Any) -> None:  # pragma: no cover - compiled
    for r in prange(ok.shape[0]):
        m = ok[r]
        for b in range(data.shape[0]):
            line = data[b, r]
            for j in range(m.size):
                if not m[j]:
                    line[j] = np.nan


def moved_valid_reference(ok: NDArray[np.bool_], shift: tuple[float, float]) -> NDArray[np.bool_]:
    """:func:`moved_valid` by scipy (the definition the tests compare it with)."""
    moved = ndimage.shift(
        np.asarray(ok, dtype=np.float64), shift, order=1, mode="constant", cval=0.0
    )
    return np.asarray(moved > MOVED_VALID_SHARE)
