"""Which object boxes touch which: pairs found through a spatial index, not all pairs.

Objects carry pixel boxes ``(row_min, col_min, row_max, col_max)`` (max exclusive).
Merging the change path with single-date objects, and confirming aircraft, ask which
boxes of one set touch boxes of another; comparing every box with every other is
quadratic in the number of objects (a whole tile has tens of thousands). Here the
boxes of one set go into a uniform grid of cells (numba), each box of the other set
looks only in the cells it covers, and a pair is reported once, in the cell holding
the top-left corner of the two boxes' overlap. A shapely STRtree query filtered with
the exact rule (:func:`_touching_pairs_tree`) is the reference it is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from numba import njit
from numpy.typing import NDArray

__all__ = ["as_boxes", "boxes_touch", "touching_pairs"]


def as_boxes(boxes: Sequence[tuple[int, int, int, int]] | NDArray[Any]) -> NDArray[np.int64]:
    """Boxes as an ``(n, 4)`` int64 array (an empty sequence gives shape ``(0, 4)``)."""
    arr = np.asarray(boxes, dtype=np.int64)
    return arr.reshape(-1, 4)


def boxes_touch(
    a: NDArray[np.integer[Any]], b: NDArray[np.integer[Any]], *, margin: int
) -> NDArray[np.bool_]:
    """Elementwise: whether box ``a[i]`` grown by ``margin`` pixels overlaps box ``b[i]``.

    Parameters
    ----------
    a, b : ndarray, shape (n, 4), int
        ``(row_min, col_min, row_max, col_max)``, max exclusive.
    margin : int
        Pixels two boxes may be apart and still touch (0: they must share a pixel).

    Returns
    -------
    ndarray, shape (n,), bool
    """
    return (
        (a[:, 0] - margin < b[:, 2])
        & (b[:, 0] - margin < a[:, 2])
        & (a[:, 1] - margin < b[:, 3])
        & (b[:, 1] - margin < a[:, 3])
    )


def touching_pairs(
    a: Sequence[tuple[int, int, int, int]] | NDArray[Any],
    b: Sequence[tuple[int, int, int, int]] | NDArray[Any],
    *,
    margin: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every pair ``(i, j)`` where box ``a[i]`` and box ``b[j]`` touch (:func:`boxes_touch`).

    Cost grows with the number of boxes and of touching pairs, not with their product.

    Parameters
    ----------
    a, b : sequence of box, or ndarray of shape (n, 4)
    margin : int

    Returns
    -------
    ia, ib : ndarray, shape (k,), int64
        Indices into ``a`` and ``b``, sorted by ``ia`` then ``ib``.

    Examples
    --------
    >>> touching_pairs([(0, 0, 2, 2), (10, 10, 12, 12)], [(2, 2, 4, 4)], margin=1)
    (array([0]), array([0]))
    >>> touching_pairs([(0, 0, 2, 2)], [(2, 2, 4, 4)], margin=0)
    (array([], dtype=int64), array([], dtype=int64))
    """
    aa, bb = as_boxes(a), as_boxes(b)
    empty = np.zeros(0, dtype=np.int64)
    if not len(aa) or not len(bb):
        return empty, empty
    # ``a`` grown by the margin, everything shifted to non-negative coordinates
    grown = aa + np.array([-margin, -margin, margin, margin], dtype=np.int64)
    lo = np.minimum(grown[:, :2].min(axis=0), bb[:, :2].min(axis=0))
    grown = grown - np.concatenate([lo, lo])
    shifted = bb - np.concatenate([lo, lo])
    extent = np.maximum(grown[:, 2:].max(axis=0), shifted[:, 2:].max(axis=0)) + 1
    # cells of at least _MIN_CELL px, and no more cells than _CELLS_PER_BOX per box
    side = max(
        _MIN_CELL,
        int(np.ceil(np.sqrt(float(extent[0]) * float(extent[1]) / (_CELLS_PER_BOX * len(bb))))),
    )
    ia, ib = _grid_pairs(
        grown, shifted, side, int(extent[0] // side + 1), int(extent[1] // side + 1)
    )
    order = np.lexsort((ib, ia))
    return ia[order], ib[order]


#: Smallest side (pixels) of a cell of the grid of :func:`touching_pairs`, and the
#: most cells per box of the indexed set (a bound on the grid's size).
_MIN_CELL = 32
_CELLS_PER_BOX = 4


@njit(cache=True, nogil=True)
def _cells(lo: int, hi: int, side: int) -> tuple[int, int]:  # pragma: no cover - compiled
    """First and last cell along one axis of the half-open pixel range ``[lo, hi)`` (an
    empty range: the cell of ``lo``)."""
    return lo // side, max(lo, hi - 1) // side


@njit(cache=True, nogil=True)
def _grid_pairs(
    a: Any, b: Any, side: int, n_rows: int, n_cols: int
) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """Pairs (i, j) where ``a[i]`` and ``b[j]`` (non-negative boxes, ``a`` already
    grown) overlap: ``a0 < b2``, ``b0 < a2``, ``a1 < b3``, ``b1 < a3``."""
    n_cells = n_rows * n_cols
    start = np.zeros(n_cells + 1, dtype=np.int64)
    for j in range(b.shape[0]):
        r0, r1 = _cells(b[j, 0], b[j, 2], side)
        c0, c1 = _cells(b[j, 1], b[j, 3], side)
        for cr in range(r0, r1 + 1):
            for cc in range(c0, c1 + 1):
                start[cr * n_cols + cc + 1] += 1
    for k in range(n_cells):
        start[k + 1] += start[k]
    items = np.empty(start[n_cells], dtype=np.int64)
    cursor = start[:-1].copy()
    for j in range(b.shape[0]):
        r0, r1 = _cells(b[j, 0], b[j, 2], side)
        c0, c1 = _cells(b[j, 1], b[j, 3], side)
        for cr in range(r0, r1 + 1):
            for cc in range(c0, c1 + 1):
                cell = cr * n_cols + cc
                items[cursor[cell]] = j
                cursor[cell] += 1
    out_a = np.empty(16, dtype=np.int64)
    out_b = np.empty(16, dtype=np.int64)
    found = 0
    for i in range(a.shape[0]):
        r0, r1 = _cells(a[i, 0], a[i, 2], side)
        c0, c1 = _cells(a[i, 1], a[i, 3], side)
        for cr in range(r0, r1 + 1):
            for cc in range(c0, c1 + 1):
                cell = cr * n_cols + cc
                for k in range(start[cell], start[cell + 1]):
                    j = items[k]
                    if not (
                        a[i, 0] < b[j, 2]
                        and b[j, 0] < a[i, 2]
                        and a[i, 1] < b[j, 3]
                        and b[j, 1] < a[i, 3]
                    ):
                        continue
                    # once: in the cell of the overlap's top-left corner
                    if max(a[i, 0], b[j, 0]) // side != cr or max(a[i, 1], b[j, 1]) // side != cc:
                        continue
                    if found == out_a.shape[0]:
                        out_a = np.concatenate((out_a, np.empty_like(out_a)))
                        out_b = np.concatenate((out_b, np.empty_like(out_b)))
                    out_a[found] = i
                    out_b[found] = j
                    found += 1
    return out_a[:found].copy(), out_b[:found].copy()


def _touching_pairs_tree(
    a: Sequence[tuple[int, int, int, int]] | NDArray[Any],
    b: Sequence[tuple[int, int, int, int]] | NDArray[Any],
    *,
    margin: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """:func:`touching_pairs` by a shapely STRtree query and the exact rule: the
    reference the grid must equal."""
    aa, bb = as_boxes(a), as_boxes(b)
    empty = np.zeros(0, dtype=np.int64)
    if not len(aa) or not len(bb):
        return empty, empty
    # boxes in (col, row) space, ``a`` grown by the margin; the tree's closed
    # intersection is a superset of the strict rule, applied exactly afterwards
    grown = shapely.box(aa[:, 1] - margin, aa[:, 0] - margin, aa[:, 3] + margin, aa[:, 2] + margin)
    tree = shapely.STRtree(shapely.box(bb[:, 1], bb[:, 0], bb[:, 3], bb[:, 2]))
    ia, ib = tree.query(grown, predicate="intersects")
    ia, ib = ia.astype(np.int64), ib.astype(np.int64)
    keep = boxes_touch(aa[ia], bb[ib], margin=margin)
    ia, ib = ia[keep], ib[keep]
    order = np.lexsort((ib, ia))
    return ia[order], ib[order]
