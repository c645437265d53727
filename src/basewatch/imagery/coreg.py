"""Co-registration between dates: sub-pixel shift by phase correlation.

Pure numpy/scipy, no I/O. Two dates of Sentinel imagery resampled onto one grid can
still be misaligned by a fraction of a pixel to a pixel or so (orbit and geolocation
error, different tiles of the same place). A shift that small makes every edge of
the scene look like change, so the loader measures it on a stable band and moves the
later date onto the earlier one before any differencing.

Method: the normalised cross-power spectrum of the two images (phase correlation),
its integer peak, then the peak refined by a matrix-multiply DFT upsampled around it
(the approach of Guizar-Sicairos, Thurman & Fienup, Optics Letters 33(2), 2008),
which reaches 1/``upsample`` pixel without an FFT of the upsampled size.

Sign convention: :func:`estimate_shift` returns ``(dy, dx)`` such that
``moving[r, c] ~= reference[r - dy, c - dx]``: the content of ``moving`` sits ``dy``
rows lower and ``dx`` columns further right. :func:`apply_shift` with ``(-dy, -dx)``
brings it back onto the reference.

:class:`CoregParams` is the one co-registration policy (which band, which shifts are
applied); :func:`coregister` applies it to two :class:`~basewatch.records.Scene` records
and :func:`coregister_series` to a series, each later date onto the first.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch._heap import on_heap
from basewatch._threads import pool as thread_pool
from basewatch.errors import InputError
from basewatch.imagery._shift import (
    MAX_SHIFT_PX,
    PAD,
    blank_invalid,
    erode_cross,
    evaluate_shift,
    filled_coefficients,
    moved_valid,
    usable_pixels,
)
from basewatch.records import Scene

__all__ = [
    "SHIFT_HALO",
    "CoregParams",
    "ShiftEstimate",
    "apply_shift",
    "coregister",
    "coregister_series",
    "decide_shift",
    "estimate_shift",
    "fill_parts",
    "fill_values",
    "measure_window",
    "shift_rows",
    "usable",
]


@dataclass(frozen=True)
class ShiftEstimate:
    """A measured displacement between two images.

    Attributes
    ----------
    dy, dx : float
        Displacement of the moving image relative to the reference, in pixels
        (rows down, columns right).
    peak : float
        Height of the normalised phase-correlation peak, in (0, 1]: 1 for a pure
        translation, near ``1 / sqrt(pixels)`` for unrelated images.
    reliable : bool
        True when the peak stands clear of the correlation background.
    overlap : int
        Number of pixels valid in both images that entered the estimate.
    """

    dy: float
    dx: float
    peak: float
    reliable: bool
    overlap: int

    @property
    def magnitude(self) -> float:
        return math.hypot(self.dy, self.dx)


def estimate_shift(
    reference: NDArray[np.floating],
    moving: NDArray[np.floating],
    *,
    valid: NDArray[np.bool_] | None = None,
    upsample: int = 100,
    min_peak: float = 0.2,
    cutoff: float = 0.25,
) -> ShiftEstimate:
    """Measure the sub-pixel translation of ``moving`` relative to ``reference``.

    Parameters
    ----------
    reference, moving : ndarray, shape (rows, cols)
        The same band on the same grid at two dates. NaN marks invalid pixels.
    valid : ndarray, shape (rows, cols), bool, optional
        Pixels to use (for example, cloud-free on both dates). NaN pixels of either
        image are excluded in any case.
    upsample : int
        Refinement factor: the result is resolved to ``1 / upsample`` pixel.
    min_peak : float
        Peak height below which the estimate is marked unreliable.
    cutoff : float
        Spatial frequency (cycles per pixel, at most 0.5) above which the cross-power
        spectrum is tapered off. The highest frequencies carry mostly noise and the
        phase errors of resampling, which pull a whitened estimate towards whole pixels.

    Returns
    -------
    ShiftEstimate

    Raises
    ------
    InputError
        The images differ in shape, are smaller than 16 x 16, or share fewer than
        256 valid pixels.
    """
    ref = np.asarray(reference, dtype=np.float64)
    mov = np.asarray(moving, dtype=np.float64)
    if ref.shape != mov.shape or ref.ndim != 2:
        raise InputError(
            f"co-registration needs two 2-D images of one shape, got {ref.shape} and {mov.shape}"
        )
    if min(ref.shape) < 16:
        raise InputError(f"image of {ref.shape} pixels is too small to co-register (min 16 x 16)")
    if upsample < 1:
        raise InputError(f"upsample must be >= 1, got {upsample}")
    ok = np.isfinite(ref) & np.isfinite(mov)
    if valid is not None:
        ok &= np.asarray(valid, dtype=bool)
    n_ok = int(ok.sum())
    if n_ok < 256:
        raise InputError(
            f"only {n_ok} pixels are valid on both dates; too few to co-register "
            "(the scene is mostly cloud or nodata over the AOI)"
        )
    taper = _taper(ref.shape)
    # the share of valid neighbours is the same for both dates (one mask): found once
    den = None if ok.all() else _gaussian(ok.astype(np.float64))
    a = _prepare(ref, ok, den) * taper
    b = _prepare(mov, ok, den) * taper

    fa = np.fft.fft2(a)
    fb = np.fft.fft2(b)
    cross = fb * np.conj(fa)
    cross /= np.maximum(np.abs(cross), 1e-12)
    weight = _lowpass(cross.shape, cutoff)
    cross *= weight
    wsum = float(weight.sum())
    corr = np.fft.ifft2(cross)
    mag = np.abs(corr)
    iy, ix = np.unravel_index(int(np.argmax(mag)), mag.shape)
    rows, cols = mag.shape
    py = float(iy - rows if iy > rows // 2 else iy)
    px = float(ix - cols if ix > cols // 2 else ix)

    # normalised so that a pure translation gives 1
    peak = float(mag[iy, ix]) * rows * cols / wsum
    if upsample > 1:
        span = 1.5
        n = math.ceil(span * upsample) * 2 + 1
        start_y = py - (n // 2) / upsample
        start_x = px - (n // 2) / upsample
        up = np.abs(_upsampled_idft(cross, n, upsample, start_y, start_x))
        jy, jx = np.unravel_index(int(np.argmax(up)), up.shape)
        py = start_y + jy / upsample
        px = start_x + jx / upsample
        peak = max(peak, float(up[jy, jx]) / wsum)
    background = float(np.median(mag)) * rows * cols / wsum + 1e-12
    reliable = peak >= min_peak and peak > 8.0 * background
    return ShiftEstimate(dy=float(py), dx=float(px), peak=peak, reliable=reliable, overlap=n_ok)


#: Spline order of cubic interpolation.
_CUBIC = 3
#: Rows of the bands :func:`fill_parts` sums at a time, and the threads it sums them on
#: (a 10980 px four-band scene: 1.0-1.3 s whole bands at once, 0.46-0.58 s so).
_FILL_ROWS = 64
_FILL_THREADS = 2
#: Smallest band (pixels) shifted by the kernel: a site window is shifted by scipy in a
#: few milliseconds, less than loading the compiled kernel takes.
_KERNEL_MIN_PIXELS = 1_000_000


#: Rows a strip of the later date is read beyond the rows it is shifted for
#: (:func:`shift_rows`): the cubic spline's prefilter runs along whole columns and its
#: response to the strip's cut edge decays by a factor 0.27 per row, below float64's
#: resolution after about 30 rows and to the same rounded values a few rows later; the
#: rest covers the largest shift and the spline's reach.
SHIFT_HALO = 64


def apply_shift(
    data: NDArray[np.floating],
    valid: NDArray[np.bool_],
    shift: tuple[float, float],
    *,
    order: int = 3,
    overwrite: bool = False,
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Translate a stack of bands by a sub-pixel ``shift``.

    Invalid pixels are filled with their band's mean over the valid ones
    (:func:`fill_values`) before the spline is fitted, so that they pull no edge into
    their valid neighbours.

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols)
        Values; NaN where invalid.
    valid : ndarray, shape (rows, cols), bool
        Validity mask of ``data``.
    shift : (float, float)
        ``(dy, dx)`` in pixels to move the content by (positive: down / right).
    order : int
        Spline order of the interpolation (1 bilinear, 3 cubic).
    overwrite : bool
        Write the shifted values into ``data`` itself, for a caller that owns it and
        has no further use for it unshifted: no second copy of the bands is made (at a
        whole tile, 1.9 GB less memory, all of it fresh pages). Only a writeable
        C-contiguous float32 array is overwritten; any other gets a new array, as
        without this flag.

    Returns
    -------
    data : ndarray, shape (bands, rows, cols), float32
        Shifted values, NaN where the result is not valid (``data`` itself when it was
        overwritten).
    valid : ndarray, shape (rows, cols), bool
        False where any invalid source pixel contributed, and on the strip of the
        border that was shifted in from outside the grid.
    """
    arr = np.asarray(data)  # bands go to float64 one at a time, below
    if arr.ndim != 3 or arr.shape[1:] != valid.shape:
        raise InputError(
            f"apply_shift needs data (bands, rows, cols) matching valid, got {arr.shape} "
            f"and {valid.shape}"
        )
    ok = usable(arr, valid)
    if float(shift[0]) == 0.0 and float(shift[1]) == 0.0:
        return _unshifted(arr, ok, (0, arr.shape[1]))
    sums, count = fill_parts(arr, ok)
    into = arr if overwrite and _overwritable(arr) else None
    return _shift(arr, ok, shift, fill_values(sums, count), order=order, origin=0, into=into)


def _overwritable(arr: NDArray[Any]) -> bool:
    """Whether the shift may write into ``arr``: float32, C-contiguous, writeable."""
    return bool(arr.dtype == np.float32 and arr.flags.c_contiguous and arr.flags.writeable)


def usable(data: NDArray[np.floating], valid: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Pixels valid and finite in every band: those a shift carries (a parallel pass,
    :func:`basewatch.imagery._shift.usable_pixels`).

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols)
    valid : ndarray, shape (rows, cols), bool

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    return usable_pixels(data, valid)


def fill_parts(
    data: NDArray[np.floating], ok: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], int]:
    """The sums of each row's usable values, per band, and how many values there are.

    A strip's parts are the whole raster's rows: :func:`fill_values` of the parts of
    every strip, stacked, is the whole raster's fill to the last bit.

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols)
    ok : ndarray, shape (rows, cols), bool
        The usable pixels (:func:`usable`).

    Returns
    -------
    sums : ndarray, shape (bands, rows), float64
    count : int
    """
    sums = np.empty(data.shape[:2], dtype=np.float64)

    def rows_from(r0: int) -> None:
        # each row's sum is numpy's of that row alone, whatever rows come with it: a
        # block of rows at a time keeps the filled copy in the cache (not a float32 copy
        # of each whole band), and two blocks go at once (numpy without the GIL)
        r1 = min(r0 + _FILL_ROWS, data.shape[1])
        part = ok[r0:r1]
        for i in range(data.shape[0]):
            sums[i, r0:r1] = np.where(part, data[i, r0:r1], 0.0).sum(axis=1, dtype=np.float64)

    with thread_pool(_FILL_THREADS, name="basewatch-fill") as pool:
        list(pool.map(rows_from, range(0, data.shape[1], _FILL_ROWS)))
    return sums, int(np.count_nonzero(ok))


def fill_values(sums: NDArray[np.float64], count: int) -> tuple[float, ...]:
    """Each band's mean over its usable pixels (0 without any), from :func:`fill_parts`.

    The row sums are added exactly (:func:`math.fsum`), so the order of the rows, or the
    strips they came in, does not change the result.

    Parameters
    ----------
    sums : ndarray, shape (bands, rows), float64
    count : int

    Returns
    -------
    tuple of float, one per band
    """
    if not count:
        return (0.0,) * int(sums.shape[0])
    rows: list[list[float]] = np.asarray(sums, dtype=np.float64).tolist()
    return tuple(math.fsum(row) / count for row in rows)


def shift_rows(
    data: NDArray[np.floating],
    valid: NDArray[np.bool_],
    shift: tuple[float, float],
    fills: Sequence[float],
    *,
    origin: int,
    keep: tuple[int, int] | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """:func:`apply_shift` of a whole raster, for a strip of its full rows.

    The rows of the result are the whole raster's to the last bit, except those within
    :data:`SHIFT_HALO` rows of an edge of the strip that is not an edge of the raster:
    read the strip with that many more rows on each side and keep its middle (``keep``:
    only those rows are computed and returned).

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols)
        The strip's rows; NaN where invalid.
    valid : ndarray, shape (rows, cols), bool
    shift : (float, float)
        ``(dy, dx)`` in pixels, as :func:`apply_shift`.
    fills : sequence of float
        The whole raster's :func:`fill_values`, one per band.
    origin : int
        The strip's first row in the raster.
    keep : (int, int), optional
        The rows of the strip to return (first, after the last; within the strip);
        default all.

    Returns
    -------
    data : ndarray, shape (bands, kept rows, cols), float32
    valid : ndarray, shape (kept rows, cols), bool
    """
    arr = np.asarray(data)
    if arr.ndim != 3 or arr.shape[1:] != valid.shape or len(fills) != arr.shape[0]:
        raise InputError(
            f"shift_rows needs data (bands, rows, cols) matching valid and one fill per "
            f"band, got {arr.shape}, {valid.shape} and {len(fills)} fills"
        )
    k0, k1 = keep if keep is not None else (0, arr.shape[1])
    if not 0 <= k0 < k1 <= arr.shape[1]:
        raise InputError(f"keep {keep} is not inside the strip's {arr.shape[1]} rows")
    if max(abs(float(shift[0])), abs(float(shift[1]))) > MAX_SHIFT_PX:
        raise InputError(
            f"shift {shift} is larger than {MAX_SHIFT_PX} px, more than a strip's halo "
            "covers; such a shift is not a misregistration (see CoregParams.max_shift_px)"
        )
    ok = usable(arr, valid)
    if float(shift[0]) == 0.0 and float(shift[1]) == 0.0:
        return _unshifted(arr, ok, (k0, k1))
    return _shift(arr, ok, shift, tuple(fills), order=_CUBIC, origin=origin, keep=(k0, k1))


def _unshifted(
    arr: NDArray[np.floating], ok: NDArray[np.bool_], rows: tuple[int, int]
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """What a zero shift gives: ``rows`` of the bands as float32, NaN where not ``ok``,
    and those rows of ``ok`` (a copy when fewer than all: not a view holding the rest)."""
    k0, k1 = rows
    kept = ok if (k0, k1) == (0, ok.shape[0]) else ok[k0:k1].copy()
    out = arr[:, k0:k1].astype(np.float32)
    blank_invalid(out, kept)
    return out, kept


def _shift(
    arr: NDArray[np.floating],
    ok: NDArray[np.bool_],
    shift: tuple[float, float],
    fills: tuple[float, ...],
    *,
    order: int,
    origin: int,
    keep: tuple[int, int] | None = None,
    into: NDArray[np.float32] | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """The bands shifted (invalid pixels filled with ``fills``) and the pixels still
    valid; with ``keep`` (rows of ``arr``), those rows only, by the kernel. ``into``
    (``arr`` itself, all rows kept) receives the result: each band is written only
    after its coefficients are found, and no later band's coefficients read it."""
    dy, dx = float(shift[0]), float(shift[1])
    k0, k1 = keep if keep is not None else (0, arr.shape[1])

    def still_valid() -> NDArray[np.bool_]:
        if order <= 1:
            return moved_valid(ok, (dy, dx), rows=(k0, k1))
        # a cubic kernel reaches two pixels: grow the invalid area by one more pixel
        # (the rows next to the kept ones are found too: the erosion reads them)
        m0, m1 = max(0, k0 - 1), min(ok.shape[0], k1 + 1)
        shifted = moved_valid(ok, (dy, dx), rows=(m0, m1))
        eroded = erode_cross(shifted)
        return np.asarray(eroded[k0 - m0 : k1 - m0], dtype=bool)

    def filled(i: int) -> NDArray[np.float64]:
        return np.where(ok, arr[i].astype(np.float64), fills[i])

    out = np.empty((arr.shape[0], k1 - k0, arr.shape[2]), np.float32) if into is None else into
    new_ok = still_valid()
    if (
        order == _CUBIC
        and max(abs(dy), abs(dx)) <= MAX_SHIFT_PX
        and (keep is not None or ok.size >= _KERNEL_MIN_PIXELS)
    ):
        # scipy's cubic shift with the weights found once per row and column (the same
        # float32 values, several times faster; basewatch.imagery._shift), one band after
        # the other in one array of coefficients: each step is a parallel kernel on
        # every core already (finding the next band's coefficients on a second thread
        # meanwhile oversubscribed the cores and made a second array, 1 GB of fresh
        # pages at a whole tile, for no gain)
        coef = np.empty((PAD * 2 + arr.shape[1], PAD * 2 + arr.shape[2]))
        for i in range(arr.shape[0]):
            filled_coefficients(arr[i], ok, fills[i], out=coef)
            evaluate_shift(coef, (dy, dx), out=out[i], origin=origin + k0, coef_origin=origin)
        del coef
    else:
        for i in range(arr.shape[0]):
            # computed in float64, written as float32 (as assigning a float64 result
            # would)
            ndimage.shift(filled(i), (dy, dx), output=out[i], order=order, mode="nearest")
    blank_invalid(out, new_ok)
    return out, new_ok


#: Standard deviation (pixels) of the Gaussian that fills invalid pixels from their
#: valid neighbours before the phase correlation.
_FILL_SIGMA = 3.0


def _gaussian(img: NDArray[np.float64]) -> NDArray[np.float64]:
    """The Gaussian smoothing of the fill (:data:`_FILL_SIGMA`, zero outside)."""
    out: NDArray[np.float64] = ndimage.gaussian_filter(img, sigma=_FILL_SIGMA, mode="constant")
    return out


def _prepare(
    img: NDArray[np.float64], ok: NDArray[np.bool_], den: NDArray[np.float64] | None
) -> NDArray[np.float64]:
    """Zero-mean image with invalid pixels filled by a smooth local estimate.

    Filling masked pixels with a constant would print the mask outline into both
    images at the same place (the mask is common to both), and that shared edge
    pattern pulls the correlation peak towards zero shift. Normalised convolution
    (Gaussian-weighted mean of the valid neighbours) fills holes with values that
    continue the surroundings, so the mask carries almost no signal. ``den`` is the
    Gaussian of ``ok`` (None: every pixel is valid, nothing to fill).
    """
    mean = float(img[ok].mean())
    if den is None:
        return img - mean
    centred = np.where(ok, img - mean, 0.0)
    num = _gaussian(centred)
    smooth = np.divide(num, den, out=np.zeros_like(num), where=den > 1e-3)
    return np.where(ok, centred, smooth)


def _lowpass(shape: tuple[int, ...], cutoff: float) -> NDArray[np.float64]:
    """Radial raised-cosine weight, 1 at zero frequency, 0 from ``cutoff`` outward."""
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.fftfreq(shape[1])[None, :]
    radius = np.sqrt(fy**2 + fx**2) / max(min(cutoff, 0.5), 1e-3)
    return np.where(radius < 1.0, 0.5 * (1.0 + np.cos(np.pi * radius)), 0.0)


def _taper(shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Separable Hann window: suppresses the FFT's wrap-around edge."""
    wy = np.hanning(shape[0])
    wx = np.hanning(shape[1])
    return np.outer(wy, wx)


def _upsampled_idft(
    spectrum: NDArray[np.complex128], n: int, upsample: int, start_y: float, start_x: float
) -> NDArray[np.complex128]:
    """Inverse DFT of ``spectrum`` sampled on an ``n x n`` patch at 1/upsample spacing.

    Sample ``(j, k)`` sits at position ``(start_y + j / upsample, start_x + k / upsample)``
    in pixels of the full-resolution correlation surface.
    """
    rows, cols = spectrum.shape
    fy = np.fft.fftfreq(rows)  # cycles per pixel
    fx = np.fft.fftfreq(cols)
    ys = start_y + np.arange(n) / upsample
    xs = start_x + np.arange(n) / upsample
    ey = np.exp(2j * np.pi * np.outer(ys, fy))  # (n, rows)
    ex = np.exp(2j * np.pi * np.outer(fx, xs))  # (cols, n)
    result: NDArray[np.complex128] = ey @ spectrum @ ex
    return result


@dataclass(frozen=True)
class CoregParams:
    """The co-registration policy: on which band a shift is measured, and which are applied.

    Attributes
    ----------
    band_s2 : str
        Sentinel-2 (and other optical) band the shift is measured on: NIR, where land
        edges have the most contrast and water is dark.
    band_s1 : str
        Sentinel-1 band, measured in decibels (log scale) so that bright targets do
        not dominate the correlation.
    max_shift_px : float
        Larger measured shifts are reported but not applied (likely a false match).
    min_shift_px : float
        Smaller measured shifts are reported but not applied: resampling smooths every
        pixel (cubic spline), which changes the speckle of SAR and the noise of optical
        bands (and so what a CFAR or a threshold finds) more than a misregistration of
        a tenth of a pixel changes edges.
    max_measure_px : int
        The shift is measured on the central window of at most this many pixels a
        side (20 km at 10 m): a translation between two dates is the same over the
        whole scene, and the phase correlation of a whole tile would cost minutes and
        gigabytes. Smaller scenes are measured whole.
    """

    band_s2: str = "B08"
    band_s1: str = "VV"
    max_shift_px: float = 3.0
    min_shift_px: float = 0.1
    max_measure_px: int = 2048

    def band_for(self, sensor: str) -> str:
        """The band measured for scenes of ``sensor`` (``"S1"``, ``"S2"``, ...)."""
        return self.band_s1 if sensor.upper() == "S1" else self.band_s2


@on_heap
def coregister(
    reference: Scene,
    moving: Scene,
    *,
    params: CoregParams | None = None,
    overwrite: bool = False,
) -> Scene:
    """``moving`` shifted onto ``reference`` by phase correlation, as ``params`` says.

    The shift is measured on :meth:`CoregParams.band_for` the reference's sensor (the
    first band when a scene lacks it), in decibels for Sentinel-1. It is always
    reported in ``metadata["coregistration"]``; it is applied (and stored in
    ``shift_px``) only when the correlation peak is reliable and the shift is between
    ``params.min_shift_px`` and ``params.max_shift_px``.

    Parameters
    ----------
    reference, moving : Scene
        Two scenes on one grid.
    params : CoregParams, optional
        The policy (default :class:`CoregParams`).
    overwrite : bool
        Shift ``moving``'s bands in their own array (:func:`apply_shift`): for a caller
        that read ``moving`` itself and does not use it again, as the readers of
        :mod:`basewatch.imagery` do. ``moving.data`` then holds the shifted values.

    Returns
    -------
    Scene
        ``moving``, shifted or not, with the measurement in its metadata.

    Raises
    ------
    InputError
        The scenes are not on one grid.
    """
    info, shift = decide_shift(reference, moving, params=params)
    if shift is None:
        return dataclasses.replace(moving, metadata={**moving.metadata, "coregistration": info})
    data, valid = apply_shift(moving.data, moving.valid, shift, overwrite=overwrite)
    return dataclasses.replace(
        moving,
        data=data,
        valid=valid,
        shift_px=(round(shift[0], 3), round(shift[1], 3)),
        metadata={**moving.metadata, "coregistration": info},
    )


def decide_shift(
    reference: Scene, moving: Scene, *, params: CoregParams | None = None
) -> tuple[dict[str, Any], tuple[float, float] | None]:
    """What :func:`coregister` does to ``moving``: the measurement, and the shift to
    apply (``None`` when none is).

    The shift is measured on the central window of at most ``params.max_measure_px``
    pixels a side (:func:`measure_window`): a strip-by-strip run reads that window of
    both dates and decides as a whole-raster run does.

    Parameters
    ----------
    reference, moving : Scene
        Two scenes on one grid.
    params : CoregParams, optional

    Returns
    -------
    info : dict
        The ``metadata["coregistration"]`` record (band, measured shift, peak, whether
        it is applied and why not).
    shift : (float, float) or None
        ``(dy, dx)`` for :func:`apply_shift`.

    Raises
    ------
    InputError
        The scenes are not on one grid.
    """
    params = params or CoregParams()
    band = params.band_for(reference.sensor)
    log_scale = reference.sensor.upper() == "S1"
    if not reference.grid.same_as(moving.grid):
        raise InputError("co-registration needs both scenes on one grid")
    name = band if band in reference.bands and band in moving.bands else reference.bands[0]
    window = measure_window(reference.valid.shape, params.max_measure_px)
    a = reference.band(name)[window].astype(np.float64)
    b = moving.band(name)[window].astype(np.float64)
    if log_scale:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = 10.0 * np.log10(np.where(a > 0, a, np.nan))
            b = 10.0 * np.log10(np.where(b > 0, b, np.nan))
    both = reference.valid[window] & moving.valid[window]
    try:
        est = estimate_shift(a, b, valid=both)
    except InputError as exc:
        return {"band": name, "applied": False, "reason": str(exc)}, None
    info: dict[str, Any] = {
        "band": name,
        "measured_dy_px": round(est.dy, 3),
        "measured_dx_px": round(est.dx, 3),
        "peak": round(est.peak, 4),
        "overlap_px": est.overlap,
        "method": "phase correlation, upsampled-DFT refinement to 0.01 px",
    }
    if not est.reliable:
        info.update(applied=False, reason="correlation peak too weak to trust")
        return info, None
    if est.magnitude > params.max_shift_px:
        info.update(
            applied=False,
            reason=f"shift {est.magnitude:.2f} px exceeds the {params.max_shift_px} px limit",
        )
        return info, None
    if est.magnitude < params.min_shift_px:
        info.update(
            applied=False,
            reason=f"shift {est.magnitude:.2f} px is below {params.min_shift_px} px: not resampled",
        )
        return info, None
    info["applied"] = True
    return info, (-est.dy, -est.dx)


def measure_window(shape: tuple[int, ...], size: int) -> tuple[slice, slice]:
    """The central ``size`` x ``size`` window of a ``(rows, cols)`` grid (all of a
    smaller one), where a shift is measured."""
    rows, cols = shape[-2], shape[-1]
    r0, c0 = max(0, (rows - size) // 2), max(0, (cols - size) // 2)
    return slice(r0, r0 + min(rows, size)), slice(c0, c0 + min(cols, size))


def coregister_series(scenes: Sequence[Scene], *, params: CoregParams | None = None) -> list[Scene]:
    """Every scene after the first shifted onto the first (see :func:`coregister`).

    Parameters
    ----------
    scenes : sequence of Scene
        Scenes on one grid; the first is the reference.
    params : CoregParams, optional

    Returns
    -------
    list of Scene
        The first scene as given, then each later one aligned onto it.
    """
    if not scenes:
        return []
    first = scenes[0]
    return [first, *(coregister(first, s, params=params) for s in scenes[1:])]
