"""numba kernel of :func:`basewatch.aoi.polygon_mask`: one pass per row, no per-pixel table.

For each row it computes the crossings of the polygon's edges with the row (the same
float64 expression as the numpy reference :func:`basewatch.aoi._polygon_mask_numpy`),
then sweeps the row once: a pixel's right-crossing count is the number of crossings
with ``ceil(x) - 1 >= c`` and its left count the number with ``floor(x) + 1 <= c``. The
integers are the reference's, so the masks are equal (``tests/test_aoi_raster.py``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

__all__ = ["fill_rows"]


@njit(cache=True, nogil=True, parallel=True)
def _fill(
    out: Any,
    yp: Any,
    xp: Any,
    yj: Any,
    xj: Any,
    r_first: int,
    r_last: int,
    c_first: int,
    width: int,
) -> None:  # pragma: no cover - compiled
    n = yp.shape[0]
    for r in prange(r_first, r_last + 1):
        y = float(r)
        right = np.empty(n, dtype=np.int64)
        left = np.empty(n, dtype=np.int64)
        nr = 0
        nl = 0
        for e in range(n):
            a, b = yp[e], yj[e]
            sr = (a > y) != (b > y)
            sl = (a < y) != (b < y)
            if sr or sl:
                x = (xp[e] * (b - y) - xj[e] * (a - y)) / (b - a)
                if sr:
                    v = math.ceil(x) - 1 - c_first
                    right[nr] = min(max(v, -1), width - 1)
                    nr += 1
                if sl:
                    v = math.floor(x) + 1 - c_first
                    left[nl] = min(max(v, 0), width)
                    nl += 1
        rs = np.sort(right[:nr])
        ls = np.sort(left[:nl])
        i = 0  # right crossings with value < c
        j = 0  # left crossings with value <= c
        for c in range(width):
            while i < nr and rs[i] < c:
                i += 1
            while j < nl and ls[j] <= c:
                j += 1
            rc = nr - i
            out[r, c_first + c] = (rc % 2 == 1) or (rc % 2 != j % 2)


def fill_rows(
    out: NDArray[np.bool_],
    yp: NDArray[np.float64],
    xp: NDArray[np.float64],
    *,
    r_first: int,
    r_last: int,
    c_first: int,
    width: int,
) -> None:
    """Set ``out[r_first:r_last + 1, c_first:c_first + width]`` to the polygon's pixels.

    Parameters
    ----------
    out : ndarray, shape (rows, cols), bool
        Written in place.
    yp, xp : ndarray, shape (n,), float64
        Vertex rows and columns; edge ``i`` runs from vertex ``i - 1`` to vertex ``i``.
    r_first, r_last, c_first, width : int
        The rows and columns of the polygon's bounding box on the grid.
    """
    yp = np.ascontiguousarray(yp, dtype=np.float64)
    xp = np.ascontiguousarray(xp, dtype=np.float64)
    _fill(out, yp, xp, np.roll(yp, 1), np.roll(xp, 1), r_first, r_last, c_first, width)
