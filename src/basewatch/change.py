"""Pixel change between two co-registered dates (pure numpy, float32, no I/O).

Array in, array out: every function takes ``(bands, rows, cols)`` stacks or
``(rows, cols)`` images and keyword-only options, never a file. Invalid pixels are
NaN in the inputs (or False in an explicit ``valid`` mask) and never become change.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from basewatch.errors import InputError
from basewatch.records import ChangeMap

__all__ = [
    "band_difference",
    "change_vector",
    "cva_change_map",
    "normalise_to",
    "otsu_threshold",
    "robust_threshold",
]

F32 = np.float32


def _check_pair(before: NDArray[Any], after: NDArray[Any]) -> None:
    if before.shape != after.shape:
        raise InputError(
            f"before and after must have the same shape, got before {before.shape} "
            f"and after {after.shape}"
        )
    if before.dtype != after.dtype:
        raise InputError(
            f"before and after must have the same dtype, got before {before.dtype} "
            f"and after {after.dtype}"
        )
    if before.ndim != 3:
        raise InputError(
            f"expected (bands, rows, cols) stacks, got {before.ndim}-D arrays of shape "
            f"{before.shape}"
        )


def band_difference(before: NDArray[Any], after: NDArray[Any]) -> NDArray[np.float32]:
    """Per-band difference ``after - before``.

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
        Same shape and dtype.

    Returns
    -------
    ndarray, shape (bands, rows, cols), float32
        NaN where either input is NaN.
    """
    _check_pair(before, after)
    return np.subtract(after, before, dtype=F32)


def change_vector(
    before: NDArray[Any], after: NDArray[Any], *, weights: NDArray[Any] | None = None
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Change vector analysis: magnitude and signed brightness change.

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
    weights : ndarray, shape (bands,), optional
        Per-band weights (for example ``1 / sigma`` of each band's noise).

    Returns
    -------
    magnitude : ndarray, shape (rows, cols), float32
        Euclidean norm of the (weighted) difference vector.
    signed : ndarray, shape (rows, cols), float32
        Mean (weighted) difference over bands: positive where the scene got brighter.
    """
    diff = band_difference(before, after)
    if weights is not None:
        w = np.asarray(weights, dtype=F32).reshape(-1, 1, 1)
        if w.shape[0] != diff.shape[0]:
            raise InputError(f"{w.shape[0]} weights for {diff.shape[0]} bands")
        diff *= w
    magnitude = np.sqrt(np.einsum("brc,brc->rc", diff, diff, dtype=F32), dtype=F32)
    signed = diff.mean(axis=0, dtype=F32)
    return magnitude, signed


def normalise_to(
    reference: NDArray[Any], target: NDArray[Any], *, valid: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    """Relative radiometric normalisation of ``target`` onto ``reference``.

    Per band, a linear map ``gain * target + bias`` that matches the robust location
    (median) and spread (median absolute deviation) of the reference over ``valid``
    pixels. Robust statistics keep real changes (a minority of pixels) from biasing it.

    Returns
    -------
    normalised : ndarray, shape (bands, rows, cols), float32
    gain, bias : ndarray, shape (bands,), float32
    """
    _check_pair(reference, target)
    ok = np.isfinite(reference).all(axis=0) & np.isfinite(target).all(axis=0)
    if valid is not None:
        ok &= valid
    if ok.sum() < 16:
        raise InputError("too few valid pixels common to both dates to normalise (need 16)")
    ref = reference[:, ok].astype(F32)
    tgt = target[:, ok].astype(F32)
    ref_med = np.median(ref, axis=1)
    tgt_med = np.median(tgt, axis=1)
    ref_mad = np.median(np.abs(ref - ref_med[:, None]), axis=1)
    tgt_mad = np.median(np.abs(tgt - tgt_med[:, None]), axis=1)
    gain = np.where(tgt_mad > 0, ref_mad / np.where(tgt_mad > 0, tgt_mad, 1), 1).astype(F32)
    bias = (ref_med - gain * tgt_med).astype(F32)
    out = target.astype(F32) * gain[:, None, None] + bias[:, None, None]
    return out, gain, bias


def otsu_threshold(values: NDArray[Any], *, bins: int = 256) -> float:
    """Otsu's threshold of the finite values (maximises between-class variance).

    Raises
    ------
    InputError
        Fewer than two distinct finite values.
    """
    v = np.asarray(values, dtype=F32).ravel()
    v = v[np.isfinite(v)]
    if v.size < 2 or v.min() == v.max():
        raise InputError("cannot threshold: fewer than two distinct finite values")
    hist, edges = np.histogram(v, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(hist).astype(np.float64)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres)
    mu0 = m0 / np.where(w0 > 0, w0, 1)
    mu1 = (m0[-1] - m0) / np.where(w1 > 0, w1, 1)
    between = w0 * w1 * (mu0 - mu1) ** 2
    return float(edges[1:][int(np.argmax(between[:-1]))])


def robust_threshold(values: NDArray[Any], *, k: float = 6.0) -> float:
    """``median + k * 1.4826 * MAD`` of the finite values: a k-sigma outlier threshold.

    Suited to sparse changes (objects) over a mostly unchanged background, where the
    histogram is unimodal and Otsu splits the background itself.
    """
    v = np.asarray(values, dtype=F32).ravel()
    v = v[np.isfinite(v)]
    if v.size < 2:
        raise InputError("cannot threshold: fewer than two finite values")
    med = float(np.median(v))
    mad = float(np.median(np.abs(v - med))) * 1.4826
    return med + k * max(mad, np.finfo(F32).eps)


def cva_change_map(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    valid: NDArray[np.bool_] | None = None,
    region: NDArray[np.bool_] | None = None,
    threshold: float | None = None,
    method: str = "robust",
    k: float = 6.0,
    normalise: bool = True,
) -> ChangeMap:
    """Change map by change vector analysis with an automatic threshold.

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
        Co-registered stacks in the same units; NaN where invalid.
    valid : ndarray, shape (rows, cols), bool, optional
        Extra validity mask (for example both dates' cloud masks).
    region : ndarray, shape (rows, cols), bool, optional
        Pixels whose statistics set the threshold (for example the site's zones).
        Default: all valid pixels.
    threshold : float, optional
        Fixed magnitude threshold; default automatic (``method``).
    method : {"robust", "otsu"}
        Automatic threshold: ``median + k * sigma_MAD`` or Otsu.
    k : float
        Multiplier for the robust threshold.
    normalise : bool
        Normalise ``after`` radiometrically onto ``before`` first (:func:`normalise_to`).

    Returns
    -------
    ChangeMap
    """
    _check_pair(before, after)
    ok = np.isfinite(before).all(axis=0) & np.isfinite(after).all(axis=0)
    if valid is not None:
        if valid.shape != ok.shape:
            raise InputError(f"valid mask shape {valid.shape} does not match images {ok.shape}")
        ok &= valid
    params: dict[str, Any] = {"normalise": normalise, "threshold_method": method, "k": k}
    if normalise:
        after, gain, bias = normalise_to(before, after, valid=ok)
        params["gain"] = [float(g) for g in gain]
        params["bias"] = [float(b) for b in bias]
    magnitude, signed = change_vector(before, after)
    magnitude[~ok] = np.nan
    signed[~ok] = np.nan
    stats_px = ok if region is None else ok & region
    if threshold is None:
        sample = magnitude[stats_px]
        if method == "robust":
            threshold = robust_threshold(sample, k=k)
        elif method == "otsu":
            threshold = otsu_threshold(sample)
        else:
            raise InputError(f"unknown threshold method {method!r}; use 'robust' or 'otsu'")
    params["threshold"] = float(threshold)
    mask = ok & (magnitude > threshold)
    return ChangeMap(
        magnitude=magnitude, signed=signed, mask=mask, valid=ok,
        threshold=float(threshold), method="cva", params=params,
    )
