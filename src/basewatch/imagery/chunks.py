"""A raster read in row strips: windows for one chunk at a time, or a lazy dask array.

A whole Sentinel-2 tile (10980 x 10980 px, four bands) is 1.9 GB as float32 before any
working copy; the chunked paths (:mod:`basewatch.scale.pair`, :mod:`basewatch.scale.tiles`)
never hold it. Each chunk is a strip of full rows, read with one windowed read
(:func:`read_rows`, the reader of :func:`basewatch.imagery.local.read_geotiff` over a
window, so a strip's pixels, validity and units are exactly those of the same rows of a
whole read), and sized to the memory a worker may use (:func:`strip_rows_for_budget`).
"""

from __future__ import annotations

import math
from pathlib import Path

import dask.array as da
import numpy as np
from dask.delayed import delayed
from numpy.typing import NDArray
from rasterio.windows import Window

from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.imagery.local import raster_grid, read_geotiff, window_grid
from basewatch.records import Scene

__all__ = [
    "dask_band",
    "raster_grid",
    "read_block",
    "read_rows",
    "rows_grid",
    "strip_rows_for_budget",
]


def read_block(path: str | Path, block: tuple[slice, slice]) -> Scene:
    """The pixels ``block`` (rows, columns; slices with a start and a stop, as
    :func:`~basewatch.imagery.coreg.measure_window` gives them) of a raster as a
    :class:`Scene`.

    Raises
    ------
    InputError
        A block outside the raster or empty.
    """
    grid = raster_grid(path)
    rows, cols = block
    r0, r1, c0, c1 = rows.start or 0, rows.stop, cols.start or 0, cols.stop
    if not (0 <= r0 < r1 <= grid.height and 0 <= c0 < c1 <= grid.width):
        raise InputError(
            f"{path}: block rows {r0}:{r1}, columns {c0}:{c1} is not inside its "
            f"{grid.height} x {grid.width} pixels"
        )
    return read_geotiff(path, window=Window(c0, r0, c1 - c0, r1 - r0))


def rows_grid(grid: Grid, rows: tuple[int, int]) -> Grid:
    """The grid of rows ``rows[0]:rows[1]`` of ``grid``: that of :func:`read_rows`."""
    return window_grid(grid, Window(0, rows[0], grid.width, rows[1] - rows[0]))


def read_rows(path: str | Path, rows: tuple[int, int]) -> Scene:
    """Rows ``rows[0]:rows[1]`` of a raster, every column, as a :class:`Scene`.

    Parameters
    ----------
    path : str or Path
        A GeoTIFF (or any raster GDAL reads) that :func:`~basewatch.imagery.local.read_geotiff`
        accepts.
    rows : (int, int)
        First row and the row after the last.

    Returns
    -------
    Scene
        On the strip's grid (the raster's transform moved down ``rows[0]`` rows).

    Raises
    ------
    InputError
        Rows outside the raster or an empty range.
    """
    grid = raster_grid(path)
    r0, r1 = rows
    if not 0 <= r0 < r1 <= grid.height:
        raise InputError(
            f"{path}: rows {r0}:{r1} are not inside its {grid.height} rows; give "
            "0 <= first < last <= height"
        )
    return read_geotiff(path, window=Window(0, r0, grid.width, r1 - r0))


def strip_rows_for_budget(
    grid: Grid, *, memory_per_worker: int, bytes_per_pixel: float, halo: int
) -> int:
    """Rows of a strip's core that a worker with ``memory_per_worker`` bytes can process.

    A strip is processed with ``halo`` rows above and below it; its peak memory is
    ``bytes_per_pixel`` times the pixels of the strip with its halo.

    Parameters
    ----------
    grid : Grid
        The raster's grid (its width sets the bytes per row).
    memory_per_worker : int
        Bytes a worker may use.
    bytes_per_pixel : float
        Peak bytes per pixel of the work done on each strip (measured:
        :data:`basewatch.scale.pair.PAIR_BYTES_PER_PIXEL`).
    halo : int
        Rows read above and below each strip.

    Returns
    -------
    int
        At least 1 and at most the raster's height.

    Raises
    ------
    InputError
        The budget cannot hold one row with its halo; the message says how much can.
    """
    row_bytes = bytes_per_pixel * grid.width
    core = int(memory_per_worker // row_bytes) - 2 * halo
    if core < 1:
        need = math.ceil(row_bytes * (2 * halo + 1) / 2**20)
        raise InputError(
            f"--memory-per-worker {memory_per_worker / 2**20:.0f} MiB cannot hold one row of "
            f"this {grid.width}-pixel-wide raster with its {halo}-row halo "
            f"({bytes_per_pixel:.0f} bytes per pixel); give at least {need} MiB"
        )
    return min(core, grid.height)


def _band_rows(path: str, rows: tuple[int, int], band: int) -> NDArray[np.float32]:
    """One band of :func:`read_rows` (physical units, NaN where invalid)."""
    return np.ascontiguousarray(read_rows(path, rows).data[band])


def dask_band(path: str | Path, *, band: int = 0, strip_rows: int) -> da.Array:
    """One band of a raster as a lazy dask array of full-width strips.

    Each chunk is read on the worker that computes it, with one windowed read of its
    rows (:func:`read_rows`): the array never exists whole in one place.

    Parameters
    ----------
    path : str or Path
    band : int
        Band position (0 the first).
    strip_rows : int
        Rows per chunk (:func:`strip_rows_for_budget`).

    Returns
    -------
    dask.array.Array, shape (rows, cols), float32
        Physical units (reflectance, linear backscatter), NaN where invalid.

    Raises
    ------
    InputError
        ``strip_rows`` below 1.
    """
    if strip_rows < 1:
        raise InputError(f"strip_rows must be at least 1, got {strip_rows}")
    grid = raster_grid(path)
    parts = [
        da.from_delayed(
            delayed(_band_rows)(str(path), (r0, min(grid.height, r0 + strip_rows)), band),
            shape=(min(grid.height, r0 + strip_rows) - r0, grid.width),
            dtype=np.float32,
        )
        for r0 in range(0, grid.height, strip_rows)
    ]
    out: da.Array = da.concatenate(parts, axis=0)
    return out
