"""Which object boxes touch which: pairs found through a spatial index, not all pairs.

Objects carry pixel boxes ``(row_min, col_min, row_max, col_max)`` (max exclusive).
Merging the change path with single-date objects, and confirming aircraft, ask which
boxes of one set touch boxes of another; comparing every box with every other is
quadratic in the number of objects (a whole tile has tens of thousands). Here the
boxes go into a shapely STRtree (bulk-loaded, vectorised queries), and the candidate
pairs it returns are filtered with the exact rule, all as arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
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
