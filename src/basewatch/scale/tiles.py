"""Whole tiles in chunks: the bright-object scan of a full scene through ``dask.array``.

A Sentinel-2 tile is 10980 x 10980 pixels per band; scanning a whole tile's coast for
ships at once needs several of those in memory. Here the image is a chunked dask
array and each step keeps the in-memory result:

* the neighbourhood step, the CFAR detector of :func:`basewatch.detect.change.cfar`
  (a pixel against the ring of background pixels around it), runs on each chunk with
  a halo of ``background`` pixels taken from its neighbours
  (:func:`dask.array.map_overlap`, no padding at the tile's own edges): every pixel sees
  exactly the window it sees on the whole image;
* the objects are the 8-connected components of the detections: each chunk is
  labelled on its own (:func:`scipy.ndimage.label`, labels made unique by the chunk's
  index), then the labels that touch across a chunk border (the two rows or columns
  either side of it, diagonals included) are merged as the connected components of a
  small graph (:func:`scipy.sparse.csgraph.connected_components`), so an object cut by
  a border stays one (``dask_image.ndmeasure.label`` does the same, but builds its
  graph in time that grows with the square of the chunks under current dask);
* each object's size and bounding box are summed per chunk and combined, so nothing
  image-sized is gathered in one place.

Chunks are full-width row strips sized to the memory a worker may use
(:func:`strip_rows`), at most :data:`TARGET_CHUNK_BYTES` each so the task graph of a tile
stays a few hundred tasks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dask.array as da
import numpy as np
from dask.base import compute
from dask.delayed import delayed
from numpy.typing import NDArray
from scipy import ndimage, sparse
from scipy.sparse import csgraph

from basewatch.detect.change import cfar
from basewatch.errors import InputError

__all__ = [
    "CONNECTIVITY",
    "TARGET_CHUNK_BYTES",
    "TileObjects",
    "chunked_bright_objects",
    "in_memory_bright_objects",
    "strip_rows",
]

#: Components join pixels that touch by an edge or a corner (as everywhere in detect/).
CONNECTIVITY: NDArray[np.bool_] = np.ones((3, 3), dtype=bool)
#: Largest chunk of the input image (a few hundred tasks for a 10980 px tile).
TARGET_CHUNK_BYTES = 128 * 2**20
#: Image-sized arrays the CFAR step holds per chunk at its peak, in units of a float32
#: chunk with its halo: the input, its validity, the window sums of the kernel, the
#: score, the background mean and the mask.
CFAR_WORKING_COPIES = 8
#: Columns of the per-object table: label, area, first row, last row, first column,
#: last column (inclusive bounds, tile pixel coordinates).
OBJECT_COLUMNS: tuple[str, ...] = ("label", "area_px", "row0", "row1", "col0", "col1")


@dataclass(frozen=True)
class TileObjects:
    """The bright objects of an image: one row per object, in a canonical order.

    Attributes
    ----------
    table : ndarray, shape (n, 5), int64
        ``area_px, row0, row1, col0, col1`` (inclusive bounds), sorted by
        ``row0, col0, row1, col1, area_px``: two paths that find the same objects give
        equal tables whatever their label numbers.
    n_detected_px : int
        Pixels the detector marked.
    chunks : tuple of tuple of int
        The chunk sizes used (rows, cols); a single chunk in memory.
    """

    table: NDArray[np.int64]
    n_detected_px: int
    chunks: tuple[tuple[int, ...], ...]

    def __len__(self) -> int:
        return int(self.table.shape[0])

    def straddling(self) -> int:
        """Objects whose bounding box crosses a chunk border."""
        t = self.table
        count = np.zeros(len(self), dtype=bool)
        for axis, (lo, hi) in enumerate(((1, 2), (3, 4))):
            edges = np.cumsum(self.chunks[axis])[:-1]
            # an object crosses edge e when it starts before it and ends at or after it
            crosses = (t[:, lo, None] < edges[None, :]) & (t[:, hi, None] >= edges[None, :])
            count |= crosses.any(axis=1)
        return int(count.sum())


def strip_rows(shape: tuple[int, int], *, itemsize: int, memory_per_worker: int, halo: int) -> int:
    """Rows per full-width chunk for a worker with ``memory_per_worker`` bytes.

    The chunk with its halo, times :data:`CFAR_WORKING_COPIES`, must fit in the budget,
    and the chunk itself holds at most :data:`TARGET_CHUNK_BYTES`.

    Raises
    ------
    InputError
        The budget cannot hold even a strip of ``2 * halo + 1`` rows.
    """
    rows, cols = shape
    row_bytes = cols * itemsize
    budget_rows = memory_per_worker // (CFAR_WORKING_COPIES * row_bytes) - 2 * halo
    target_rows = max(1, TARGET_CHUNK_BYTES // row_bytes)
    if budget_rows < 2 * halo + 1:
        need = CFAR_WORKING_COPIES * row_bytes * (4 * halo + 1)
        raise InputError(
            f"--memory-per-worker {memory_per_worker / 2**20:.0f} MiB cannot hold a strip of "
            f"this {rows} x {cols} image with its {halo}-pixel halo; give at least "
            f"{math.ceil(need / 2**20)} MiB"
        )
    return int(min(rows, budget_rows, target_rows))


def _cfar_mask(
    block: NDArray[np.float32], *, guard: int, background: int, k: float, min_std: float
) -> NDArray[np.bool_]:
    return cfar(block, guard=guard, background=background, k=k, min_std=min_std).mask


#: Labels of one chunk are ``chunk index * LABEL_STRIDE + local label`` (int64: at
#: most MAX_CHUNKS_PER_AXIS chunks along each axis).
LABEL_STRIDE = 2**32
MAX_CHUNKS_PER_AXIS = 2**15


def _label_block(
    mask: NDArray[np.bool_], block_id: tuple[int, ...] | None = None
) -> NDArray[np.int64]:
    """8-connected labels of one chunk, unique across chunks (0: background)."""
    labels, _ = ndimage.label(mask, structure=CONNECTIVITY)
    out: NDArray[np.int64] = np.asarray(labels, dtype=np.int64)
    if block_id is not None:
        index = int(np.ravel_multi_index(block_id, (MAX_CHUNKS_PER_AXIS,) * len(block_id)))
        out[out > 0] += index * LABEL_STRIDE
    return out


def _merge_across(ids: NDArray[np.int64], seams: Sequence[NDArray[np.int64]]) -> NDArray[np.int64]:
    """``ids`` with every label replaced by the smallest label of its object, the objects
    being joined where labels touch across a seam (two rows: either side of a border,
    8-connected)."""
    pairs = []
    for seam in seams:
        a, b = seam[0], seam[1]
        for shift in (-1, 0, 1):
            lo, hi = max(0, shift), a.size + min(0, shift)
            x, y = a[lo - shift : hi - shift], b[lo:hi]
            both = (x > 0) & (y > 0)
            pairs.append(np.column_stack([x[both], y[both]]))
    edges = np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)
    if edges.shape[0] == 0:
        return ids
    nodes, inv = np.unique(np.concatenate([ids, edges.ravel()]), return_inverse=True)
    k = nodes.size
    e = inv[ids.size :].reshape(-1, 2)
    graph = sparse.coo_matrix((np.ones(e.shape[0]), (e[:, 0], e[:, 1])), shape=(k, k))
    _, component = csgraph.connected_components(graph, directed=False)
    smallest = np.full(component.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(smallest, component, nodes)
    return np.asarray(smallest[component[inv[: ids.size]]], dtype=np.int64)


def _object_stats(labels: NDArray[np.integer[Any]], row0: int, col0: int) -> NDArray[np.int64]:
    """Per label in ``labels`` (a block at ``row0, col0``): OBJECT_COLUMNS."""
    rows, cols = np.nonzero(labels)
    ids = labels[rows, cols].astype(np.int64)
    return _reduce(
        np.column_stack(
            [ids, np.ones_like(ids), rows + row0, rows + row0, cols + col0, cols + col0]
        )
    )


def _reduce(parts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Combine rows of OBJECT_COLUMNS with the same label: areas add, bounds widen."""
    if parts.shape[0] == 0:
        return np.zeros((0, len(OBJECT_COLUMNS)), dtype=np.int64)
    uniq, inv = np.unique(parts[:, 0], return_inverse=True)
    out = np.empty((uniq.size, len(OBJECT_COLUMNS)), dtype=np.int64)
    out[:, 0] = uniq
    out[:, 1] = np.bincount(inv, weights=parts[:, 1]).astype(np.int64)
    for col, ufunc, start in (
        (2, np.minimum, np.iinfo(np.int64).max),
        (3, np.maximum, -1),
        (4, np.minimum, np.iinfo(np.int64).max),
        (5, np.maximum, -1),
    ):
        out[:, col] = start
        ufunc.at(out[:, col], inv, parts[:, col])
    return out


def _canonical(stats: NDArray[np.int64]) -> NDArray[np.int64]:
    table = stats[:, 1:]
    order = np.lexsort((table[:, 0], table[:, 4], table[:, 2], table[:, 3], table[:, 1]))
    return np.ascontiguousarray(table[order])


def in_memory_bright_objects(
    image: NDArray[Any], *, guard: int, background: int, k: float, min_std: float = 0.0
) -> TileObjects:
    """The reference: :func:`~basewatch.detect.change.cfar` and
    :func:`scipy.ndimage.label` on the whole image at once.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        One band (SAR backscatter in dB, or an optical NIR band); NaN where invalid
        (land masked out, no data).
    guard, background : int
        CFAR guard and background half-sizes (pixels).
    k : float
        CFAR score threshold.
    min_std : float
        Floor on the background standard deviation.
    """
    mask = _cfar_mask(np.asarray(image), guard=guard, background=background, k=k, min_std=min_std)
    labels, _ = ndimage.label(mask, structure=CONNECTIVITY)
    stats = _object_stats(labels, 0, 0)
    shape = ((mask.shape[0],), (mask.shape[1],))
    return TileObjects(_canonical(stats), int(mask.sum()), shape)


def chunked_bright_objects(
    image: da.Array | NDArray[Any],
    *,
    guard: int,
    background: int,
    k: float,
    min_std: float = 0.0,
    memory_per_worker: int | None = None,
    chunks: tuple[int, int] | None = None,
) -> TileObjects:
    """:func:`in_memory_bright_objects` through dask: the same objects, in chunks.

    Parameters
    ----------
    image : dask.array.Array or ndarray, shape (rows, cols)
        One band, NaN where invalid. A dask array keeps its chunks unless ``chunks``
        or ``memory_per_worker`` is given.
    guard, background, k, min_std
        As :func:`in_memory_bright_objects`; the halo of each chunk is ``background``
        pixels, the CFAR window's half-size (the largest window of the scan).
    memory_per_worker : int, optional
        Bytes a worker may use: full-width strips sized by :func:`strip_rows`.
    chunks : (int, int), optional
        Chunk shape, overriding the above (tests use small chunks).

    Returns
    -------
    TileObjects
        Computed on the current dask scheduler (a ``distributed.Client`` when one is
        active).

    Raises
    ------
    InputError
        Not a 2-D image, chunks smaller than the halo, or a budget too small.
    """
    if image.ndim != 2:
        raise InputError(f"a tile scan takes one band, shape (rows, cols); got {image.shape}")
    arr = image if isinstance(image, da.Array) else da.from_array(np.asarray(image))
    if chunks is None and memory_per_worker is not None:
        rows = strip_rows(
            arr.shape,
            itemsize=arr.dtype.itemsize,
            memory_per_worker=memory_per_worker,
            halo=background,
        )
        chunks = (rows, arr.shape[1])
    if chunks is not None:
        arr = arr.rechunk(chunks)
    smallest = min(min(c) for c in arr.chunks)
    if smallest < background and arr.numblocks != (1, 1):
        raise InputError(
            f"chunks of {smallest} pixels are thinner than the {background}-pixel halo; "
            "give larger chunks or more memory per worker"
        )
    mask = arr.map_overlap(
        _cfar_mask,
        depth=background,
        boundary="none",
        dtype=bool,
        guard=guard,
        background=background,
        k=k,
        min_std=min_std,
    )
    labels = mask.map_blocks(_label_block, dtype=np.int64)
    row_offsets = np.concatenate([[0], np.cumsum(labels.chunks[0])[:-1]])
    col_offsets = np.concatenate([[0], np.cumsum(labels.chunks[1])[:-1]])
    blocks = labels.to_delayed()
    parts = [
        delayed(_object_stats)(blocks[i, j], int(row_offsets[i]), int(col_offsets[j]))
        for i in range(blocks.shape[0])
        for j in range(blocks.shape[1])
    ]
    # the two rows / columns either side of each inner chunk border
    row_seams = [labels[r - 1 : r + 1, :] for r in row_offsets[1:]]
    col_seams = [labels[:, c - 1 : c + 1].T for c in col_offsets[1:]]
    n_parts = len(parts)
    out = compute(*parts, *row_seams, *col_seams, mask.sum())
    per_block, seams, n_detected = out[:n_parts], out[n_parts:-1], out[-1]
    stats = _reduce(np.concatenate(per_block))
    stats[:, 0] = _merge_across(stats[:, 0], seams)
    stats = _reduce(stats)
    return TileObjects(_canonical(stats), int(n_detected), tuple(tuple(c) for c in arr.chunks))
