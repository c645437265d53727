"""GDAL as basewatch uses it: how many threads one read or write may take, and arrays
handed to GDAL as memory datasets on their grids.

``basewatch monitor`` gives each worker process its share of the cores through
``GDAL_NUM_THREADS`` in the worker's environment
(:data:`basewatch.scale.monitor.WORKER_THREAD_VARIABLES`). Where a read or a write
names its thread count explicitly (a config option, a creation option), it takes that
share from the environment, so an explicit option never overrides a worker's budget;
elsewhere (a command, a notebook) it uses every core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

from basewatch.errors import InputError

__all__ = [
    "ALL_CORES",
    "GDAL_THREADS_VARIABLE",
    "GDAL_TYPES",
    "array_dataset",
    "gdal_threads",
    "grid_band",
    "mem_name",
    "warp_array",
]

#: The environment variable (and GDAL config option) of GDAL's thread count.
GDAL_THREADS_VARIABLE = "GDAL_NUM_THREADS"
#: GDAL's value for "every core", used where the environment sets no share.
ALL_CORES = "ALL_CPUS"


def gdal_threads() -> str:
    """``GDAL_NUM_THREADS`` from the environment where set, else :data:`ALL_CORES`."""
    return os.environ.get(GDAL_THREADS_VARIABLE) or ALL_CORES


#: GDAL's names of the numpy pixel types a memory dataset can hold.
GDAL_TYPES = {
    "uint8": "Byte",
    "int8": "Int8",
    "uint16": "UInt16",
    "int16": "Int16",
    "uint32": "UInt32",
    "int32": "Int32",
    "float32": "Float32",
    "float64": "Float64",
}


def mem_name(array: NDArray[Any], transform: Sequence[float] | None = None) -> str:
    """GDAL's name of a MEM dataset over ``array``'s memory (C-contiguous, shape
    ``(bands, rows, cols)``, this machine's byte order), on the grid of ``transform``
    where given (the six coefficients of an affine, ``a, b, c, d, e, f``), opened only
    where ``GDAL_MEM_ENABLE_OPEN`` allows it.

    Raises
    ------
    InputError
        The array is not laid out as GDAL would read it, or of a type GDAL's MEM driver
        does not hold.
    """
    if not array.flags.c_contiguous or not array.dtype.isnative:
        # GDAL would read the memory as C-ordered native values: a copy made here would
        # be freed before GDAL reads it
        raise InputError(
            f"a MEM dataset needs a C-contiguous array in this machine's byte order, not "
            f"{array.dtype.str} with strides {array.strides}"
        )
    if array.dtype.name not in GDAL_TYPES:
        raise InputError(
            f"a MEM dataset holds {', '.join(GDAL_TYPES)} pixels, not {array.dtype.name}"
        )
    count, rows, cols = array.shape
    size = array.dtype.itemsize
    name = (
        f"MEM:::DATAPOINTER={array.ctypes.data:#x},PIXELS={cols},LINES={rows},"
        f"BANDS={count},DATATYPE={GDAL_TYPES[array.dtype.name]},PIXELOFFSET={size},"
        f"LINEOFFSET={cols * size},BANDOFFSET={rows * cols * size}"
    )
    if transform is None:
        return name
    a, b, c, d, e, f = (float(v) for v in tuple(transform)[:6])
    # GDAL's order (c, a, b, f, d, e), each written exactly (repr round-trips a float)
    return name + ",GEOTRANSFORM=" + "/".join(repr(v) for v in (c, a, b, f, d, e))


@contextmanager
def array_dataset(data: NDArray[Any], *, transform: Sequence[float]) -> Iterator[Any]:
    """A GDAL MEM dataset over ``data``'s own memory on the grid of ``transform``, open
    for update (the rest of its georeferencing and metadata), shape
    ``(bands, rows, cols)``; C-contiguous arrays in the machine's byte order are not
    copied (what GDAL writes into the dataset lands in ``data``).

    GDAL opens a MEM dataset by address only when asked (``GDAL_MEM_ENABLE_OPEN``): the
    address is this array's, which lives until the dataset is closed. The grid is given
    in the dataset's name, so rasterio never opens it without georeferencing: it would
    warn, and no warning filter silences that safely while other threads read or write
    (``warnings.catch_warnings`` is process-wide).
    """
    import rasterio

    # GDAL reads the memory as this machine's byte order (a big-endian array is copied)
    array = np.ascontiguousarray(data, dtype=data.dtype.newbyteorder("="))
    name = mem_name(array, transform)
    with rasterio.Env(GDAL_MEM_ENABLE_OPEN="YES"):
        dataset = rasterio.open(name, "r+")
        try:
            yield dataset
        finally:
            dataset.close()
    del array


@contextmanager
def grid_band(data: NDArray[Any], *, transform: Sequence[float], crs: Any) -> Iterator[Any]:
    """Band 1 of a memory dataset over ``data`` (shape ``(rows, cols)``, C-contiguous in
    this machine's byte order: what GDAL writes into the band lands in ``data``) on the
    grid of ``transform`` in ``crs`` (anything rasterio's ``CRS`` takes), as rasterio's
    warper reads from or writes into it (:func:`array_dataset`)."""
    import rasterio

    with array_dataset(data.reshape(1, *data.shape), transform=transform) as dataset:
        dataset.crs = rasterio.crs.CRS.from_user_input(crs)
        yield rasterio.band(dataset, 1)


def warp_array(
    source: NDArray[np.float32],
    destination: NDArray[np.float32],
    *,
    src_transform: Sequence[float],
    src_crs: Any,
    dst_transform: Sequence[float],
    dst_crs: Any,
    resampling: Any,
) -> None:
    """GDAL's warper from one georeferenced band into another, NaN as nodata on both.

    ``rasterio.warp.reproject`` given arrays opens memory datasets of its own without
    their grids and silences its own warning about that with a process-wide filter,
    which threads warping at once undo for each other (a user of ``basewatch fetch``
    saw the warning: the loader reads bands on threads); here both are memory datasets
    opened on their grids (:func:`array_dataset`).

    Parameters
    ----------
    source : ndarray, shape (rows, cols), float32
    destination : ndarray, shape (rows', cols'), float32
        Written in place: C-contiguous, this machine's byte order.
    src_transform, dst_transform : sequence of float
        The grids' affine coefficients ``a, b, c, d, e, f``.
    src_crs, dst_crs
        Their coordinate reference systems (anything rasterio's ``CRS`` takes).
    resampling : rasterio.enums.Resampling

    Raises
    ------
    InputError
        ``destination`` is not laid out as GDAL writes (it would write into a copy).
    """
    import rasterio.warp

    if not (
        destination.flags.c_contiguous
        and destination.dtype.isnative
        and destination.dtype == np.float32
    ):
        raise InputError(
            f"the warper writes into a C-contiguous native float32 array, not "
            f"{destination.dtype.str} with strides {destination.strides}"
        )
    with (
        grid_band(source, transform=src_transform, crs=src_crs) as src,
        grid_band(destination, transform=dst_transform, crs=dst_crs) as dst,
    ):
        rasterio.warp.reproject(
            source=src,
            destination=dst,
            src_nodata=np.nan,
            dst_nodata=np.nan,
            resampling=resampling,
        )
