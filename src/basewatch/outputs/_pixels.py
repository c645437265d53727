"""Pixel kernels of the pictures: scenes stretched to 8 bits and rasters reduced by
blocks to the pixels a PNG shows, in one parallel pass each.

Each kernel gives the values of the numpy expression it replaces bit for bit (the
references are in :mod:`basewatch.outputs.render`; ``tests/test_render_kernels.py``
compares them): the same float32 operations in the same order, including the order in
which numpy's reduction adds a block's pixels (each row of the block summed on its own,
pairwise as numpy sums a contiguous run, then the rows added in turn). On a 5490 px
scene the numpy versions took 1.0-1.1 s for each RGB image reduced, 0.7 s for the
change magnitude and 1.1 s to stretch both dates; most of it was strided reductions and
temporaries, not arithmetic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

__all__ = ["PAIRWISE_MAX", "block_any", "block_mean", "stretch_8bit"]

#: Longest row of a block the kernels sum as numpy does (one pairwise block of numpy's
#: summation); longer blocks are left to numpy.
PAIRWISE_MAX = 128
#: Run length from which numpy's summation uses eight partial sums.
_UNROLL = 8


@njit(cache=True, nogil=True, inline="always")
def _row_sum(img: Any, r: int, c0: int, n: int) -> tuple[np.float32, int]:  # pragma: no cover
    """``img[r, c0:c0 + n]`` summed in float32 as numpy sums a contiguous run of at most
    :data:`PAIRWISE_MAX` (NaN left out, counted apart): one running sum under eight
    values, else eight partial sums combined in pairs and the rest added after."""
    count = 0
    if n < _UNROLL:
        s = np.float32(0.0)
        for k in range(n):
            v = np.float32(img[r, c0 + k])
            if v == v:
                s += v
                count += 1
        return s, count
    p = np.zeros(_UNROLL, dtype=np.float32)
    for k in range(_UNROLL):
        v = np.float32(img[r, c0 + k])
        if v == v:
            p[k] = v
            count += 1
    whole = n - n % _UNROLL
    for i in range(_UNROLL, whole, _UNROLL):
        for k in range(_UNROLL):
            v = np.float32(img[r, c0 + i + k])
            if v == v:
                p[k] += v
                count += 1
    s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]))
    for i in range(whole, n):
        v = np.float32(img[r, c0 + i])
        if v == v:
            s += v
            count += 1
    return s, count


@njit(cache=True, nogil=True, parallel=True)
def _block_mean_2d(img: Any, size: int, out: Any) -> None:  # pragma: no cover
    """float32: each block's rows summed as numpy sums them (:func:`_row_sum`), then
    added in turn; the mean divided in float64, as numpy divides a float32 sum by its
    count."""
    rows, cols = out.shape
    for i in prange(rows):
        for j in range(cols):
            total = np.float32(0.0)
            n = 0
            for a in range(size):
                s, k = _row_sum(img, i * size + a, j * size, size)
                total += s
                n += k
            if n == 0:
                out[i, j] = np.nan
            else:
                out[i, j] = np.float32(np.float64(total) / n)


@njit(cache=True, nogil=True, parallel=True)
def _block_mean_rgb(img: Any, size: int, out: Any) -> None:  # pragma: no cover
    """8-bit channels: integer sums (exact in float32 below 2**24, as numpy's are)."""
    rows, cols, channels = out.shape
    area = size * size
    for i in prange(rows):
        for j in range(cols):
            for ch in range(channels):
                total = 0
                for a in range(size):
                    for b in range(size):
                        total += img[i * size + a, j * size + b, ch]
                out[i, j, ch] = np.uint8(np.rint(np.float32(np.float64(total) / area)))


@njit(cache=True, nogil=True, parallel=True)
def _block_any(img: Any, size: int, out: Any) -> None:  # pragma: no cover
    rows, cols = out.shape
    for i in prange(rows):
        for j in range(cols):
            hit = False
            for a in range(size):
                for b in range(size):
                    if img[i * size + a, j * size + b]:
                        hit = True
                        break
                if hit:
                    break
            out[i, j] = hit


def block_mean(image: NDArray[Any], size: int) -> NDArray[Any] | None:
    """The mean of each ``size`` x ``size`` block of ``image``, NaN left out, as
    :func:`basewatch.outputs.render._blocks` computes it; ``None`` where this kernel does
    not give numpy's values (blocks over :data:`PAIRWISE_MAX` wide, other types).

    Parameters
    ----------
    image : ndarray, shape (rows, cols) float32, or (rows, cols, channels) uint8
    size : int
        Side of a block, at least 1.

    Returns
    -------
    ndarray, shape (rows // size, cols // size[, channels]) or None
        float32 (NaN where no pixel of a block is valid), or uint8 rounded half to even.
    """
    if size < 1 or size > PAIRWISE_MAX:
        return None
    rows, cols = image.shape[0] // size, image.shape[1] // size
    if image.dtype == np.uint8 and image.ndim == 3:
        # exact: size * size * 255 is far under 2**24
        out = np.empty((rows, cols, image.shape[2]), np.uint8)
        _block_mean_rgb(image, size, out)
        return out
    if image.dtype == np.float32 and image.ndim == 2:
        out32 = np.empty((rows, cols), np.float32)
        _block_mean_2d(image, size, out32)
        return out32
    return None


def block_any(image: NDArray[np.bool_], size: int) -> NDArray[np.bool_]:
    """Whether any pixel of each ``size`` x ``size`` block of a 2-D mask is set.

    Returns
    -------
    ndarray, shape (rows // size, cols // size), bool
    """
    out = np.empty((image.shape[0] // size, image.shape[1] // size), dtype=bool)
    _block_any(np.ascontiguousarray(image, dtype=bool), size, out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _stretch_8bit(
    red: Any, green: Any, blue: Any, lo: np.float32, span: np.float32, out: Any
) -> None:  # pragma: no cover - compiled
    rows, cols = red.shape
    for i in prange(rows):
        for j in range(cols):
            for ch in range(3):
                band = red if ch == 0 else (green if ch == 1 else blue)
                v = (np.float32(band[i, j]) - lo) / span
                # np.fmax / np.fmin: NaN (no data) to 0
                if not v >= np.float32(0.0):
                    v = np.float32(0.0)
                if v > np.float32(1.0):
                    v = np.float32(1.0)
                out[i, j, ch] = np.uint8(np.rint(v * np.float32(255.0)))


def stretch_8bit(
    red: NDArray[Any], green: NDArray[Any], blue: NDArray[Any], *, lo: float, hi: float
) -> NDArray[np.uint8]:
    """Three bands as one 8-bit RGB image: ``rint(255 * clip((x - lo) / (hi - lo), 0, 1))``
    in float32, NaN as 0 (:func:`basewatch.outputs.render.true_colour_8bit`).

    Parameters
    ----------
    red, green, blue : ndarray, shape (rows, cols)
    lo, hi : float
        Stretch limits (a span under 1e-9 is taken as 1e-9).

    Returns
    -------
    ndarray, shape (rows, cols, 3), uint8
    """
    out = np.empty((*red.shape, 3), np.uint8)
    _stretch_8bit(red, green, blue, np.float32(lo), np.float32(max(hi - lo, 1e-9)), out)
    return out
