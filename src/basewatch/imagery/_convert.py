"""Raw optical pixel values to reflectance and a validity mask, in one pass.

:func:`optical_reflectance` turns a Sentinel-2 raster as stored (digital numbers, or a
float export) into float32 reflectance with NaN where a pixel is no measurement, and
the mask of those pixels. It visits each pixel once in a parallel numba kernel, where
the numpy expression of the same rules (:func:`optical_reflectance_reference`, the
definition the tests compare the kernel with) builds about ten whole-raster
temporaries, each a fresh allocation the kernel must zero first: on a 5490 px
four-band tile that was several seconds per date, more than reading the file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

__all__ = ["optical_reflectance", "optical_reflectance_reference"]


def optical_reflectance(
    values: NDArray[Any],
    *,
    offset: float,
    scale: float,
    masked: NDArray[np.bool_] | None = None,
    saturated: int | None = None,
    overwrite_input: bool = False,
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Reflectance ``(DN + offset) * scale`` in float32, and the pixels that are not
    measurements.

    A pixel is invalid when any band is masked, every band is 0 (nodata), any band
    equals ``saturated``, or any reflectance is not finite (NaN in a float export);
    its reflectance is NaN in every band.

    Parameters
    ----------
    values : ndarray, shape (bands, rows, cols)
        Pixel values as stored (any real dtype).
    offset, scale : float
        Applied in float32, in that order (the processing-baseline offset, then the
        quantification scale).
    masked : ndarray of bool, shape (bands, rows, cols), optional
        Pixels the file marks as nodata (GDAL's masks); default none.
    saturated : int, optional
        The value of a saturated pixel (``S2_SATURATED_DN`` for uint16 products);
        default none.
    overwrite_input : bool
        Write the reflectance over ``values`` (a C-contiguous float32 array, as a raster
        read with ``out_dtype=float32`` gives it) instead of into a new array: a whole
        tile's date holds one image-sized array rather than two.

    Returns
    -------
    data : ndarray, shape (bands, rows, cols), float32
        ``values`` itself with ``overwrite_input``.
    invalid : ndarray, shape (rows, cols), bool
    """
    if values.ndim != 3:
        raise ValueError(f"values must be (bands, rows, cols), not {values.shape}")
    if masked is not None and masked.shape != values.shape:
        raise ValueError(f"masked {masked.shape} does not match values {values.shape}")
    if overwrite_input and (values.dtype != np.float32 or not values.flags.c_contiguous):
        raise ValueError(
            "overwrite_input needs C-contiguous float32 values, not a "
            f"{'' if values.flags.c_contiguous else 'non-contiguous '}{values.dtype} array"
        )
    vals = np.ascontiguousarray(values)
    data = vals if overwrite_input else np.empty(vals.shape, np.float32)
    invalid = np.empty(vals.shape[1:], np.bool_)
    mask = np.ascontiguousarray(masked) if masked is not None else np.zeros((1, 1, 1), np.bool_)
    _reflectance(
        vals,
        mask,
        masked is not None,
        np.float32(offset),
        np.float32(scale),
        0 if saturated is None else int(saturated),
        saturated is not None,
        data,
        invalid,
    )
    return data, invalid


@njit(cache=True, nogil=True, parallel=True)
def _reflectance(
    values: Any,
    masked: Any,
    use_mask: bool,
    offset: Any,
    scale: Any,
    saturated: int,
    use_saturated: bool,
    data: Any,
    invalid: Any,
) -> None:  # pragma: no cover - compiled
    nb, nr, nc = values.shape
    nan = np.float32(np.nan)
    for i in prange(nr):
        # a row at a time, band by band along it (runs the compiler vectorises), the
        # pixel's verdicts gathered across the bands in two row buffers; each value is
        # read before its reflectance is written (``data`` may be ``values`` itself)
        bad = np.zeros(nc, np.bool_)
        measured = np.zeros(nc, np.bool_)  # some band not 0
        for b in range(nb):
            v = values[b, i]
            d = data[b, i]
            m = masked[b, i] if use_mask else masked[0, 0]
            for j in range(nc):
                raw = v[j]
                x = (np.float32(raw) + offset) * scale
                measured[j] |= raw != 0
                bad[j] |= not np.isfinite(x)
                if use_saturated:
                    bad[j] |= raw == saturated
                if use_mask:
                    bad[j] |= m[j]
                d[j] = x
        out = invalid[i]
        for j in range(nc):
            out[j] = bad[j] or not measured[j]
        for b in range(nb):
            d = data[b, i]
            for j in range(nc):
                if out[j]:
                    d[j] = nan


def optical_reflectance_reference(
    values: NDArray[Any],
    *,
    offset: float,
    scale: float,
    masked: NDArray[np.bool_] | None = None,
    saturated: int | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """:func:`optical_reflectance` in numpy (same arguments, same results)."""
    data = (values.astype(np.float32) + np.float32(offset)) * np.float32(scale)
    invalid = (values == 0).all(axis=0) | ~np.isfinite(data).all(axis=0)
    if masked is not None:
        invalid |= masked.any(axis=0)
    if saturated is not None:
        invalid |= (values == saturated).any(axis=0)
    data[:, invalid] = np.nan
    return data, invalid
