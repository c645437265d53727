"""Pixel change between co-registered dates (pure numpy, float32, no I/O).

Array in, array out: every function takes ``(bands, rows, cols)`` stacks or
``(rows, cols)`` images and keyword-only options, never a file. Invalid pixels are
NaN in the inputs (or False in an explicit ``valid`` mask) and never become change.

What is here
------------
* :func:`band_difference`, :func:`change_vector` (CVA magnitude, signed brightness change
  and direction), :func:`log_ratio` (SAR);
* :func:`irmad` (iteratively re-weighted MAD, Nielsen 2007) with its canonical variates,
  canonical correlations and no-change probabilities;
* thresholds: :func:`otsu_threshold`, :func:`kittler_illingworth_threshold` (minimum
  error), :func:`robust_threshold` (k-sigma with the MAD);
* relative radiometric normalisation: :func:`normalise_to` (median/MAD) and
  :func:`pif_normalise` (orthogonal regression on pseudo-invariant pixels chosen by
  IR-MAD);
* :func:`cfar` (constant false alarm rate detector of bright targets, for ships on
  water in SAR or optical NIR);
* change-map builders returning a :class:`~basewatch.records.ChangeMap` with every
  parameter recorded: :func:`cva_change_map`, :func:`log_ratio_change_map`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import linalg, special

from basewatch.detect import _kernels
from basewatch.errors import InputError
from basewatch.records import ChangeMap

__all__ = [
    "CFAR_STATISTICS",
    "IQR_TO_SIGMA",
    "MAD_TO_SIGMA",
    "MEDIAN_CFAR_FLOOR",
    "MEDIAN_CFAR_LOG_STEP",
    "CFARResult",
    "ChangeVector",
    "IRMADResult",
    "Normalisation",
    "PIFResult",
    "apply_gain",
    "auto_threshold",
    "band_difference",
    "cfar",
    "change_vector",
    "check_pair",
    "cva_change_map",
    "fit_gain_bias",
    "histogram_threshold",
    "irmad",
    "kittler_illingworth_threshold",
    "log_ratio",
    "log_ratio_change_map",
    "normalise_to",
    "otsu_threshold",
    "pif_normalise",
    "robust_sigma",
    "robust_threshold",
    "stat_sample",
]

F32 = np.float32
THRESHOLD_METHODS = ("robust", "otsu", "ki")

#: Median absolute deviation to standard deviation under Gaussian noise:
#: ``1 / Phi^-1(3/4)``. ``MAD_TO_SIGMA * MAD`` is a robust sigma (:func:`robust_sigma`).
MAD_TO_SIGMA = 1.4826

#: Fewest pixels valid on both dates that :func:`normalise_to` fits a gain and bias on.
MIN_NORMALISE_PIXELS = 16

#: Robust statistics (medians, MADs, the thresholds built on them) of more values than
#: this are taken on an evenly spaced sample of at most this many (:func:`stat_sample`).
#: A median of 2 million samples is within about 0.1 % of the spread of the whole's,
#: and a site window of up to about 1,450 x 1,450 px (every site and the bundled
#: sample) is still measured whole; a whole tile costs a sample, not four sorts.
STAT_SAMPLE_SIZE = 1 << 21

#: A CFAR background must hold at least this fraction of its window's pixels valid,
#: and at least :data:`CFAR_MIN_BACKGROUND_PX`, for a pixel to be scored at all.
CFAR_MIN_BACKGROUND_FRACTION = 0.25
CFAR_MIN_BACKGROUND_PX = 8
#: CFAR runs on blocks of this many rows (with a halo of its background window), so
#: that its float64 window sums take the memory of a block, not of the whole image.
CFAR_BLOCK_ROWS = 1024
#: What a CFAR compares a pixel with (:func:`cfar`): the mean and standard deviation
#: of its ring, or its ring's median and interquartile range (robust to other bright
#: objects and mixed surfaces in the ring: a crowded apron).
CFAR_STATISTICS = ("mean", "median")
#: ``statistic="median"``: the ring's values are counted in bins of this width in
#: natural log units (its quartiles found to 0.05 % of their value), and values below
#: :data:`MEDIAN_CFAR_FLOOR` (reflectance) in the lowest bin.
MEDIAN_CFAR_LOG_STEP = 1e-3
MEDIAN_CFAR_FLOOR = 1e-4
#: Interquartile range over standard deviation under Gaussian noise (``2 Phi^-1(3/4)``).
IQR_TO_SIGMA = 2.0 * 0.6744897501960817

#: IR-MAD: ridge added to the covariance diagonals (times their trace) so that a band
#: constant over the sample does not make them singular, and the floor on the variance
#: of a MAD variate ``2 (1 - rho)`` when a correlation runs to 1.
_IRMAD_RIDGE = 1e-9
_IRMAD_MIN_VARIANCE = 1e-12


def check_pair(
    before: NDArray[Any], after: NDArray[Any], *, ndim: int | None = 3, names: str = "before/after"
) -> None:
    """Raise :class:`~basewatch.errors.InputError` (a ValueError) unless the two arrays match.

    The message names both shapes (or both dtypes), so the caller sees which is wrong.

    Parameters
    ----------
    before, after : ndarray
        The two arrays; same shape and dtype.
    ndim : int, optional
        Required number of dimensions (3: ``(bands, rows, cols)``); None for any.
    names : str
        ``"a/b"``: what to call the two arrays in the message.
    """
    a, b = names.split("/") if "/" in names else ("before", "after")
    if before.shape != after.shape:
        raise InputError(
            f"{a} and {b} must have the same shape, got {a} {before.shape} and {b} {after.shape}"
        )
    if before.dtype != after.dtype:
        raise InputError(
            f"{a} and {b} must have the same dtype, got {a} {before.dtype} and {b} {after.dtype}"
        )
    if ndim is not None and before.ndim != ndim:
        want = "(bands, rows, cols) stacks" if ndim == 3 else "(rows, cols) images"
        raise InputError(
            f"expected {want}, got {a} and {b} of {before.ndim}-D shape {before.shape}"
        )


def _finite_all(stack: NDArray[Any]) -> NDArray[np.bool_]:
    if np.issubdtype(stack.dtype, np.floating):
        return np.asarray(np.isfinite(stack).all(axis=0))
    return np.ones(stack.shape[1:], dtype=bool)


def _valid_pair(
    before: NDArray[Any], after: NDArray[Any], valid: NDArray[np.bool_] | None
) -> NDArray[np.bool_]:
    floats = np.issubdtype(before.dtype, np.floating) and np.issubdtype(after.dtype, np.floating)
    if floats and before.ndim == 3 and before.shape == after.shape:
        ok = _kernels.finite_pair(before, after)  # the numpy line below, in one pass
    else:
        ok = _finite_all(before) & _finite_all(after)
    if valid is not None:
        if valid.shape != ok.shape:
            raise InputError(f"valid mask shape {valid.shape} does not match images {ok.shape}")
        ok &= valid
    return ok


# --------------------------------------------------------------------------- differences


def band_difference(before: NDArray[Any], after: NDArray[Any]) -> NDArray[np.float32]:
    """Per-band difference ``after - before``.

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
        Same shape and dtype (integers are differenced exactly, then cast).

    Returns
    -------
    ndarray, shape (bands, rows, cols), float32
        NaN where either input is NaN.
    """
    check_pair(before, after)
    if np.issubdtype(before.dtype, np.integer):
        return np.asarray(np.subtract(after, before, dtype=np.int32), dtype=F32)
    return np.asarray(np.subtract(after, before, dtype=F32), dtype=F32)


class ChangeVector(NamedTuple):
    """Result of :func:`change_vector` (each array shape (rows, cols), float32)."""

    magnitude: NDArray[np.float32]
    """Euclidean norm of the (weighted) difference vector."""
    signed: NDArray[np.float32]
    """Mean (weighted) difference over bands: positive where the scene got brighter."""
    direction_deg: NDArray[np.float32]
    """Angle of the change in the plane of ``direction_bands`` ``(x, y)``, degrees in
    ``[0, 360)`` counter-clockwise from +x (for red/NIR: 90 = more vegetation)."""


def change_vector(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    weights: NDArray[Any] | None = None,
    direction_bands: tuple[int, int] | None = None,
) -> ChangeVector:
    """Change vector analysis (CVA): magnitude, signed brightness change and direction.

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
    weights : ndarray, shape (bands,), optional
        Per-band weights (for example ``1 / sigma`` of each band's noise).
    direction_bands : (int, int), optional
        Band positions spanning the plane of the direction angle; default the last two
        bands (red and NIR for a B02-B03-B04-B08 stack), or ``(0, 0)`` for one band.

    Returns
    -------
    ChangeVector
        ``magnitude``, ``signed`` and ``direction_deg``, each (rows, cols) float32;
        NaN where either date is NaN.
    """
    diff = band_difference(before, after)
    if weights is not None:
        w = np.asarray(weights, dtype=F32).reshape(-1, 1, 1)
        if w.shape[0] != diff.shape[0]:
            raise InputError(f"{w.shape[0]} weights for {diff.shape[0]} bands")
        diff *= w
    magnitude, signed = _norm_and_mean(diff)
    nb = diff.shape[0]
    ix, iy = direction_bands if direction_bands is not None else (max(nb - 2, 0), nb - 1)
    if not (0 <= ix < nb and 0 <= iy < nb):
        raise InputError(f"direction bands {(ix, iy)} out of range for {nb} bands")
    direction = np.degrees(np.arctan2(diff[iy], diff[ix])).astype(F32)
    direction %= F32(360.0)
    return ChangeVector(magnitude, signed, direction)


def _norm_and_mean(diff: NDArray[np.float32]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Euclidean norm and mean over the bands of a (bands, rows, cols) difference."""
    magnitude = np.sqrt(np.einsum("brc,brc->rc", diff, diff, dtype=F32), dtype=F32)
    return magnitude, diff.mean(axis=0, dtype=F32)


def log_ratio(
    before: NDArray[Any], after: NDArray[Any], *, decibels: bool = False
) -> NDArray[np.float32]:
    """Log-ratio ``ln(after / before)`` of SAR intensities (the standard SAR change operator).

    Multiplicative speckle becomes additive, so one threshold fits bright and dark
    areas alike.

    Parameters
    ----------
    before, after : ndarray, shape (rows, cols) or (bands, rows, cols)
        Linear backscatter (sigma0/gamma0), or decibels with ``decibels=True``.
    decibels : bool
        Inputs are in dB: the log-ratio is then ``(after - before) * ln(10) / 10``.

    Returns
    -------
    ndarray, same shape, float32
        NaN where either input is NaN or (linear) not positive.
    """
    check_pair(before, after, ndim=None)
    b = np.asarray(before, dtype=F32)
    a = np.asarray(after, dtype=F32)
    if decibels:
        return ((a - b) * F32(math.log(10.0) / 10.0)).astype(F32)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(a / b, dtype=F32)
    out[~((a > 0) & (b > 0))] = np.nan
    return np.asarray(out, dtype=F32)


# --------------------------------------------------------------------------- IR-MAD


class IRMADResult(NamedTuple):
    """Result of :func:`irmad`."""

    variates: NDArray[np.float32]
    """MAD variates, shape (bands, rows, cols), ordered by increasing canonical
    correlation (the first carries most change); NaN where invalid."""
    rho: NDArray[np.float64]
    """Canonical correlations, shape (bands,), increasing."""
    sigma: NDArray[np.float64]
    """Standard deviation of each MAD variate under no change, ``sqrt(2 (1 - rho))``."""
    chi2: NDArray[np.float32]
    """Sum of squared standardised MAD variates, shape (rows, cols): chi-square with
    ``bands`` degrees of freedom where nothing changed."""
    no_change: NDArray[np.float32]
    """Probability of no change ``1 - P_chi2(chi2)``, shape (rows, cols), 0..1."""
    a: NDArray[np.float64]
    """Canonical vectors of ``before``, shape (bands, bands), column i for variate i."""
    b: NDArray[np.float64]
    """Canonical vectors of ``after``."""
    iterations: int
    converged: bool


def irmad(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    valid: NDArray[np.bool_] | None = None,
    max_iter: int = 30,
    tol: float = 1e-3,
    sample_step: int = 1,
    min_weight: float = 0.2,
) -> IRMADResult:
    """Iteratively re-weighted multivariate alteration detection (IR-MAD).

    Canonical correlation analysis between the dates gives pairs of variates
    ``U = a.T X`` and ``V = b.T Y``; their differences (the MAD variates) are
    uncorrelated, and their standardised squares sum to a chi-square statistic of
    change. Each iteration re-weights pixels by their no-change probability, so the
    canonical analysis is fitted on the invariant background (Nielsen 2007).

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
        Same shape and dtype; NaN where invalid.
    valid : ndarray, shape (rows, cols), bool, optional
    max_iter : int
        Maximum iterations (1 gives plain MAD).
    tol : float
        Stop when no canonical correlation changes by more than this.
    sample_step : int
        Fit the statistics on every ``sample_step``-th valid pixel (the variates are
        computed for all pixels); 1 uses all.
    min_weight : float
        Stop re-weighting once the mean no-change weight falls below this: on scenes
        with a large uniform area (sea) the weights otherwise collapse onto it and the
        canonical correlations run to 1, making every other pixel look changed.

    Returns
    -------
    IRMADResult

    Raises
    ------
    InputError
        Mismatched inputs, or fewer valid pixels than ``4 * bands``.
    """
    check_pair(before, after)
    ok = _valid_pair(before, after, valid)
    nb = before.shape[0]
    x_all = before[:, ok].astype(F32)
    y_all = after[:, ok].astype(F32)
    x = x_all[:, ::sample_step]
    y = y_all[:, ::sample_step]
    if x.shape[1] < 4 * nb:
        raise InputError(
            f"IR-MAD needs at least {4 * nb} valid pixels common to both dates, got {x.shape[1]}"
        )
    w = np.ones(x.shape[1], dtype=np.float64)
    rho = np.zeros(nb)
    a = b = np.eye(nb)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        if it > 1 and float(w.mean()) < min_weight:
            it -= 1
            break
        sw = w.sum()
        mx = (x @ w) / sw
        my = (y @ w) / sw
        xc = x - mx[:, None].astype(F32)
        yc = y - my[:, None].astype(F32)
        xw = xc * w.astype(F32)
        yw = yc * w.astype(F32)
        sxx = (xw.astype(np.float64) @ xc.T.astype(np.float64)) / sw
        syy = (yw.astype(np.float64) @ yc.T.astype(np.float64)) / sw
        sxy = (xw.astype(np.float64) @ yc.T.astype(np.float64)) / sw
        sxx += np.eye(nb) * _IRMAD_RIDGE * np.trace(sxx)
        syy += np.eye(nb) * _IRMAD_RIDGE * np.trace(syy)
        # generalised eigenproblem: Sxy Syy^-1 Syx a = rho^2 Sxx a
        c = sxy @ np.linalg.solve(syy, sxy.T)
        lam, a_new = linalg.eigh(c, sxx)  # ascending rho^2, a.T Sxx a = I
        lam = np.clip(lam, 0.0, 1.0)
        rho_new = np.sqrt(lam)
        b_new = np.linalg.solve(syy, sxy.T @ a_new)
        # scale b to unit variance and sign so that corr(U, V) > 0
        b_new /= np.sqrt(np.einsum("ij,ij->j", b_new, syy @ b_new))[None, :]
        sign = np.sign(np.einsum("ij,ij->j", a_new, sxy @ b_new))
        b_new *= np.where(sign == 0, 1.0, sign)[None, :]
        delta = float(np.max(np.abs(rho_new - rho)))
        rho, a, b = rho_new, a_new, b_new
        sigma = np.sqrt(np.maximum(2.0 * (1.0 - rho), _IRMAD_MIN_VARIANCE))
        mad = (a.T.astype(F32) @ xc) - (b.T.astype(F32) @ yc)
        chi = ((mad / sigma[:, None].astype(F32)) ** 2).sum(axis=0, dtype=np.float64)
        w = special.gammaincc(nb / 2.0, chi / 2.0)
        if delta < tol:
            converged = True
            break
    sigma = np.sqrt(np.maximum(2.0 * (1.0 - rho), _IRMAD_MIN_VARIANCE))
    # final variates for every valid pixel (centred with the last weighted means)
    sw = w.sum()
    mx = ((x @ w) / sw).astype(F32)
    my = ((y @ w) / sw).astype(F32)
    mad_all = (a.T.astype(F32) @ (x_all - mx[:, None])) - (b.T.astype(F32) @ (y_all - my[:, None]))
    variates = np.full(before.shape, np.nan, dtype=F32)
    variates[:, ok] = mad_all
    chi_all = ((mad_all / sigma[:, None].astype(F32)) ** 2).sum(axis=0, dtype=F32)
    chi2 = np.full(ok.shape, np.nan, dtype=F32)
    chi2[ok] = chi_all
    no_change = np.full(ok.shape, np.nan, dtype=F32)
    no_change[ok] = special.gammaincc(nb / 2.0, chi_all / 2.0).astype(F32)
    return IRMADResult(variates, rho, sigma, chi2, no_change, a, b, it, converged)


# --------------------------------------------------------------------------- thresholds


def _finite_sample(values: NDArray[Any], need: int = 2) -> NDArray[np.float32]:
    v = np.asarray(values, dtype=F32).ravel()
    v = v[np.isfinite(v)]
    if v.size < need or v.min() == v.max():
        raise InputError("cannot threshold: fewer than two distinct finite values")
    return v


def otsu_threshold(values: NDArray[Any], *, bins: int = 256) -> float:
    """Otsu's threshold of the finite values (maximises the between-class variance).

    Parameters
    ----------
    values : ndarray, any shape
        Samples (NaN ignored).
    bins : int
        Histogram bins.

    Returns
    -------
    float
        The upper edge of the last bin of the lower class: values ``> t`` are the
        upper class.

    Raises
    ------
    InputError
        Fewer than two distinct finite values.
    """
    v = _finite_sample(values)
    hist, edges = np.histogram(v, bins=bins)
    return _otsu_from_histogram(hist, edges)


def _otsu_from_histogram(hist: NDArray[np.integer[Any]], edges: NDArray[Any]) -> float:
    """:func:`otsu_threshold` of the values counted in ``hist`` over ``edges``."""
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(hist).astype(np.float64)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres)
    mu0 = m0 / np.where(w0 > 0, w0, 1)
    mu1 = (m0[-1] - m0) / np.where(w1 > 0, w1, 1)
    between = w0 * w1 * (mu0 - mu1) ** 2
    return float(edges[1:][int(np.argmax(between[:-1]))])


def kittler_illingworth_threshold(values: NDArray[Any], *, bins: int = 256) -> float:
    """Kittler–Illingworth minimum-error threshold of the finite values.

    Models the histogram as two Gaussians and picks the threshold minimising the
    classification error criterion
    ``J(t) = 1 + 2 (P1 ln s1 + P2 ln s2) - 2 (P1 ln P1 + P2 ln P2)``.
    Unlike Otsu it handles classes of very different sizes and spreads (a little
    change in a large unchanged background), the usual case for change maps.

    Parameters
    ----------
    values : ndarray, any shape
        Samples (NaN ignored).
    bins : int
        Histogram bins.

    Returns
    -------
    float
        Upper edge of the last bin of the lower class (falls back to Otsu when no bin
        gives two classes).

    Raises
    ------
    InputError
        Fewer than two distinct finite values.
    """
    v = _finite_sample(values)
    hist, edges = np.histogram(v, bins=bins)
    return histogram_threshold(hist, edges, method="ki")


def histogram_threshold(
    hist: NDArray[np.integer[Any]], edges: NDArray[Any], *, method: str = "ki"
) -> float:
    """:func:`kittler_illingworth_threshold` or :func:`otsu_threshold` from a histogram.

    The thresholds of those functions depend on the values only through
    ``numpy.histogram(values, bins)``: a histogram summed over the chunks of a large
    image (each counted with ``range`` set to the whole image's minimum and maximum)
    gives the threshold of the whole.

    Parameters
    ----------
    hist : ndarray, shape (bins,), int
        Counts.
    edges : ndarray, shape (bins + 1,)
        Bin edges, as ``numpy.histogram`` returns them.
    method : {"ki", "otsu"}

    Returns
    -------
    float
    """
    if method == "otsu":
        return _otsu_from_histogram(hist, edges)
    if method != "ki":
        raise InputError(f"no histogram threshold {method!r}; use 'ki' or 'otsu'")
    h = hist.astype(np.float64) / hist.sum()
    c = (edges[:-1] + edges[1:]) / 2
    p1 = np.cumsum(h)
    p2 = 1.0 - p1
    s1 = np.cumsum(h * c)
    q1 = np.cumsum(h * c * c)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu1 = s1 / p1
        mu2 = (s1[-1] - s1) / p2
        var1 = q1 / p1 - mu1**2
        var2 = (q1[-1] - q1) / p2 - mu2**2
        floor = (edges[1] - edges[0]) ** 2 / 12.0  # a class narrower than a bin
        var1 = np.maximum(var1, floor)
        var2 = np.maximum(var2, floor)
        j = (
            1.0
            + (p1 * np.log(var1) + p2 * np.log(var2))
            - 2.0 * (p1 * np.log(p1) + p2 * np.log(p2))
        )
    j[~((p1 > 0) & (p2 > 0) & np.isfinite(j))] = np.inf
    if not np.isfinite(j).any():
        return _otsu_from_histogram(hist, edges)
    return float(edges[1:][int(np.argmin(j))])


def stat_sample(values: NDArray[Any], *, size: int = STAT_SAMPLE_SIZE) -> NDArray[Any]:
    """The values, flattened, or every ``k``-th of them when more than ``size``.

    Parameters
    ----------
    values : ndarray, any shape
    size : int
        Most values returned.

    Returns
    -------
    ndarray, shape (m,)
        ``values.ravel()[::k]`` with the smallest ``k`` giving ``m <= size``: evenly
        spread over the raster (rows and columns alike), deterministic.
    """
    flat = np.asarray(values).ravel()
    step = -(-flat.size // size)
    return flat if step <= 1 else flat[::step]


def _sample_positions(mask: NDArray[np.bool_], *, size: int = STAT_SAMPLE_SIZE) -> NDArray[np.intp]:
    """Flat positions of :func:`stat_sample` of the True pixels of ``mask`` (every
    ``k``-th of them), found block by block so that the positions of all of them are
    never held at once."""
    flat = mask.ravel()
    step = -(-int(np.count_nonzero(flat)) // size)
    if step <= 1:
        return np.flatnonzero(flat)
    out, seen = [], 0  # seen: True pixels before the block
    for b0 in range(0, flat.size, _SAMPLE_BLOCK):
        pos = np.flatnonzero(flat[b0 : b0 + _SAMPLE_BLOCK])
        first = (-seen) % step  # index in this block of the next k-th True pixel
        out.append(pos[first::step] + b0)
        seen += pos.size
    return np.concatenate(out)


#: Pixels scanned at once by :func:`_sample_positions`.
_SAMPLE_BLOCK = 1 << 22


def robust_sigma(values: NDArray[Any]) -> float:
    """Robust standard deviation ``MAD_TO_SIGMA * median(|values - median(values)|)``.

    Parameters
    ----------
    values : ndarray, any shape
        Samples, all finite (filter NaN first); at least one. Computed in their dtype,
        on :func:`stat_sample` of them.

    Returns
    -------
    float
        The spread of the bulk of the values: outliers (changes, hulls) a minority of
        the samples do not move it.
    """
    v = stat_sample(values)
    return float(np.median(np.abs(v - np.median(v)))) * MAD_TO_SIGMA


def robust_threshold(values: NDArray[Any], *, k: float = 6.0) -> float:
    """``median + k * MAD_TO_SIGMA * MAD`` of the finite values: a k-sigma outlier threshold.

    Suited to sparse changes (objects) over a mostly unchanged background, where the
    histogram is unimodal and Otsu splits the background itself.

    Parameters
    ----------
    values : ndarray, any shape
        Samples (NaN ignored); at least two finite.
    k : float
        Number of robust standard deviations above the median.

    Returns
    -------
    float
        The threshold; the spread is floored at float32 epsilon.
    """
    v = np.asarray(values, dtype=F32).ravel()
    v = stat_sample(v[np.isfinite(v)])
    if v.size < 2:
        raise InputError("cannot threshold: fewer than two finite values")
    med = float(np.median(v))
    return med + k * max(robust_sigma(v), float(np.finfo(F32).eps))


def auto_threshold(values: NDArray[Any], *, method: str = "robust", k: float = 6.0) -> float:
    """Automatic threshold by name: ``"robust"`` (k-sigma MAD), ``"otsu"`` or ``"ki"``.

    A constant sample (no change at all, e.g. identical dates) gets its value as the
    threshold, so nothing is above it.

    Parameters
    ----------
    values : ndarray, any shape
        Samples (NaN ignored); at least one finite.
    method : {"robust", "otsu", "ki"}
        :func:`robust_threshold`, :func:`otsu_threshold` or
        :func:`kittler_illingworth_threshold`.
    k : float
        Multiplier of the robust threshold.

    Returns
    -------
    float
    """
    v = np.asarray(values, dtype=F32).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise InputError("cannot threshold: no finite values")
    if v.min() == v.max():
        return float(v.max())
    if method == "robust":
        return robust_threshold(values, k=k)
    if method == "otsu":
        return otsu_threshold(values)
    if method == "ki":
        return kittler_illingworth_threshold(values)
    raise InputError(f"unknown threshold method {method!r}; use one of {THRESHOLD_METHODS}")


def _auto_threshold_where(
    image: NDArray[Any], where: NDArray[np.bool_], *, method: str, k: float
) -> float:
    """``auto_threshold(image[where], method=method, k=k)``; the robust threshold from
    :func:`basewatch.detect._kernels.finite_sample` of the pixels, without copying
    them out (the same sample, so the same value)."""
    if method != "robust" or image.dtype != F32 or image.shape != where.shape:
        return auto_threshold(image[where], method=method, k=k)
    count, least, greatest, sample = _kernels.finite_sample(image, where, size=STAT_SAMPLE_SIZE)
    if count == 0:
        raise InputError("cannot threshold: no finite values")
    if least == greatest:
        return greatest
    return robust_threshold(sample, k=k)


# --------------------------------------------------------------------------- normalisation


class Normalisation(NamedTuple):
    """Result of :func:`normalise_to`."""

    normalised: NDArray[np.float32]
    """``gain * target + bias``, shape (bands, rows, cols)."""
    gain: NDArray[np.float32]
    """Shape (bands,)."""
    bias: NDArray[np.float32]
    """Shape (bands,)."""


def normalise_to(
    reference: NDArray[Any], target: NDArray[Any], *, valid: NDArray[np.bool_] | None = None
) -> Normalisation:
    """Relative radiometric normalisation of ``target`` onto ``reference`` (median/MAD).

    Per band, a linear map ``gain * target + bias`` that matches the robust location
    (median) and spread (median absolute deviation) of the reference over ``valid``
    pixels (:func:`stat_sample` of them). Robust statistics keep real changes (a
    minority of pixels) from biasing it.

    Parameters
    ----------
    reference, target : ndarray, shape (bands, rows, cols)
        Same shape and dtype; NaN invalid.
    valid : ndarray, shape (rows, cols), bool, optional
        Pixels the statistics use (with those finite on both dates); at least
        :data:`MIN_NORMALISE_PIXELS`.

    Returns
    -------
    Normalisation
        ``normalised`` (bands, rows, cols), ``gain`` and ``bias`` (bands,), float32.
    """
    check_pair(reference, target, names="reference/target")
    ok = _valid_pair(reference, target, valid)
    if ok.sum() < MIN_NORMALISE_PIXELS:
        raise InputError(
            f"too few valid pixels common to both dates to normalise (need {MIN_NORMALISE_PIXELS})"
        )
    gain, bias = _fit_on_sample(reference, target, ok)
    return Normalisation(apply_gain(target, gain, bias), gain, bias)


def _fit_on_sample(
    reference: NDArray[Any], target: NDArray[Any], ok: NDArray[np.bool_]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """:func:`fit_gain_bias` on the positions of :func:`stat_sample` of the ``ok``
    pixels, one band at a time (the gain and bias of :func:`normalise_to`)."""
    at = _sample_positions(ok)
    return fit_gain_bias(
        [band.ravel()[at] for band in reference], [band.ravel()[at] for band in target]
    )


def fit_gain_bias(
    reference: Sequence[NDArray[Any]], target: Sequence[NDArray[Any]]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Gain and bias of :func:`normalise_to` from samples of each band.

    Parameters
    ----------
    reference, target : sequence of ndarray, each shape (m,)
        Per band, the values of the two dates at the same sampled pixels (the pixels
        valid on both dates, :func:`stat_sample` of them).

    Returns
    -------
    gain, bias : ndarray, shape (bands,), float32
        ``gain * target + bias`` matches the median and the median absolute deviation
        of the reference (gain 1 where the target's MAD is 0).
    """
    nb = len(reference)
    ref_med, tgt_med, ref_mad, tgt_mad = (np.empty(nb, dtype=F32) for _ in range(4))
    for i in range(nb):
        ref = np.asarray(reference[i]).astype(F32)
        tgt = np.asarray(target[i]).astype(F32)
        ref_med[i], tgt_med[i] = np.median(ref), np.median(tgt)
        ref_mad[i] = np.median(np.abs(ref - ref_med[i]))
        tgt_mad[i] = np.median(np.abs(tgt - tgt_med[i]))
    gain = np.where(tgt_mad > 0, ref_mad / np.where(tgt_mad > 0, tgt_mad, 1), 1).astype(F32)
    bias = (ref_med - gain * tgt_med).astype(F32)
    return gain, bias


def _check_gain_bias(gain: NDArray[Any], bias: NDArray[Any], bands: int) -> None:
    if len(gain) != bands or len(bias) != bands:
        raise InputError(
            f"{len(gain)} gains and {len(bias)} biases for {bands} bands; give one of each per band"
        )


def apply_gain(
    target: NDArray[Any], gain: NDArray[np.float32], bias: NDArray[np.float32]
) -> NDArray[np.float32]:
    """``gain * target + bias`` per band, in float32 (the output of :func:`normalise_to`).

    Parameters
    ----------
    target : ndarray, shape (bands, rows, cols)
    gain, bias : ndarray, shape (bands,), float32

    Returns
    -------
    ndarray, shape (bands, rows, cols), float32
    """
    _check_gain_bias(gain, bias, target.shape[0])
    out = np.empty(target.shape, dtype=F32)
    for i in range(target.shape[0]):
        np.multiply(target[i], gain[i], out=out[i], dtype=F32)
        out[i] += bias[i]
    return out


class PIFResult(NamedTuple):
    """Result of :func:`pif_normalise`."""

    normalised: NDArray[np.float32]
    """``target`` mapped onto ``reference``, shape (bands, rows, cols)."""
    gain: NDArray[np.float32]
    bias: NDArray[np.float32]
    pif: NDArray[np.bool_]
    """Pseudo-invariant pixels used for the fit, shape (rows, cols)."""
    rho: NDArray[np.float64]
    """Canonical correlations of the IR-MAD run that chose them."""


def pif_normalise(
    reference: NDArray[Any],
    target: NDArray[Any],
    *,
    valid: NDArray[np.bool_] | None = None,
    min_no_change: float = 0.95,
    min_pixels: int = 64,
    max_iter: int = 30,
) -> PIFResult:
    """Relative radiometric normalisation on pseudo-invariant pixels (Canty & Nielsen).

    IR-MAD picks pixels whose no-change probability exceeds ``min_no_change``; per
    band, ``reference = gain * target + bias`` is then fitted by orthogonal
    (total least squares) regression on those pixels, which treats both dates as
    noisy. Where too few invariant pixels exist the median/MAD fit of
    :func:`normalise_to` over all valid pixels is used instead.

    Parameters
    ----------
    reference, target : ndarray, shape (bands, rows, cols)
        Same shape and dtype; NaN invalid.
    valid : ndarray, shape (rows, cols), bool, optional
    min_no_change : float
        IR-MAD no-change probability above which a pixel is invariant.
    min_pixels : int
        Fewest invariant pixels for the orthogonal fit.
    max_iter : int
        IR-MAD iterations.

    Returns
    -------
    PIFResult
    """
    check_pair(reference, target, names="reference/target")
    ok = _valid_pair(reference, target, valid)
    mad = irmad(reference, target, valid=ok, max_iter=max_iter)
    pif = ok & (np.nan_to_num(mad.no_change, nan=0.0) > min_no_change)
    if int(pif.sum()) < min_pixels:
        out, gain, bias = normalise_to(reference, target, valid=ok)
        return PIFResult(out, gain, bias, pif, mad.rho)
    ref = reference[:, pif].astype(np.float64)
    tgt = target[:, pif].astype(np.float64)
    gain = np.empty(ref.shape[0], dtype=F32)
    bias = np.empty(ref.shape[0], dtype=F32)
    for i in range(ref.shape[0]):
        cov = np.cov(tgt[i], ref[i])
        # principal axis of the 2x2 covariance: slope of the orthogonal regression
        evals, evecs = np.linalg.eigh(cov)
        vx, vy = evecs[:, int(np.argmax(evals))]
        g = vy / vx if vx != 0 else 1.0
        gain[i] = g
        bias[i] = ref[i].mean() - g * tgt[i].mean()
    out = target.astype(F32) * gain[:, None, None] + bias[:, None, None]
    return PIFResult(out, gain, bias, pif, mad.rho)


# --------------------------------------------------------------------------- CFAR


class CFARResult(NamedTuple):
    """Result of :func:`cfar`."""

    mask: NDArray[np.bool_]
    """Detected (bright) pixels, shape (rows, cols); never True where invalid."""
    score: NDArray[np.float32]
    """``(x - mean_bg) / std_bg`` of each pixel; NaN where undefined."""
    background: NDArray[np.float32]
    """Local background: the ring's mean, or its median (``statistic="median"``); NaN
    at pixels not searched (outside ``search``, or ``valid`` without it, and NaN
    pixels): their statistics are not gathered."""
    k: float
    """Score threshold used."""


def _window_sums(img: NDArray[np.float64], halves: Sequence[int]) -> list[NDArray[np.float64]]:
    """Sums over the ``(2 h + 1)^2`` window around each pixel for each ``h`` in ``halves``
    (zero outside), all from one integral image.

    The integral image is padded by the largest half-size on each side with its own
    edge values (zeros before the first row and column, the totals after the last), so
    that the window corners of every pixel are four shifted views of one array: no
    gathered copies, and the same four values per pixel as clipping the corner indices.
    """
    r, c = img.shape
    ii = np.zeros((r + 1, c + 1), dtype=np.float64)
    np.cumsum(img, axis=0, out=ii[1:, 1:])
    np.cumsum(ii[1:, 1:], axis=1, out=ii[1:, 1:])
    big = max(halves)
    pad = np.pad(ii, big, mode="edge")
    out = []
    for half in halves:
        o, w = big - half, 2 * half + 1  # offset of this window's padding inside ``pad``
        lo_r, hi_r = pad[o : o + r], pad[o + w : o + w + r]
        out.append(
            np.asarray(
                hi_r[:, o + w : o + w + c]
                - lo_r[:, o + w : o + w + c]
                - hi_r[:, o : o + c]
                + lo_r[:, o : o + c],
                dtype=np.float64,
            )
        )
    return out


def cfar(
    image: NDArray[Any],
    *,
    valid: NDArray[np.bool_] | None = None,
    guard: int = 4,
    background: int = 12,
    pfa: float = 1e-4,
    k: float | None = None,
    min_std: float = 0.0,
    search: NDArray[np.bool_] | None = None,
    statistic: str = "mean",
) -> CFARResult:
    """Cell-averaging CFAR detector of bright targets (ships on water).

    Each pixel is compared with the mean and standard deviation of a square ring of
    background pixels around it (outside a guard square that keeps the target itself
    out of its own statistics). A pixel is a detection when
    ``(x - mean) / std > k``, with ``k`` the Gaussian quantile of ``pfa``. Only valid
    pixels enter the statistics, so land (masked as invalid) does not raise the
    background of near-shore water.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        SAR backscatter in dB (near-Gaussian clutter) or an optical NIR band.
    valid : ndarray, shape (rows, cols), bool, optional
        Pixels allowed in the statistics and as detections (water); NaN is invalid.
    guard : int
        Half-size of the guard square (pixels): about half the longest target.
    background : int
        Half-size of the outer square; the ring between the two is the background.
    pfa : float
        Probability of false alarm per pixel under Gaussian clutter (sets ``k``).
    k : float, optional
        Score threshold; overrides ``pfa``.
    min_std : float
        Floor on the background standard deviation (flat, quantised backgrounds).
    search : ndarray, shape (rows, cols), bool, optional
        Pixels that may be detections; default ``valid``. Give the water with its
        vessel-sized holes filled when ``valid`` is open water only (a ship is not
        water in an NDWI mask, yet it is what is searched for).
    statistic : {"mean", "median"}
        ``"mean"``: the ring's mean and standard deviation. ``"median"``: its median
        and interquartile range over 1.349 (:data:`IQR_TO_SIGMA`), which other bright
        objects and mixed surfaces in the ring do not inflate (aircraft parked side by
        side, markings, asphalt beside concrete), to a relative
        :data:`MEDIAN_CFAR_LOG_STEP` / 2 (the definition: :func:`_median_cfar_rows`);
        several times slower per pixel scored.

    Returns
    -------
    CFARResult
        With ``statistic="median"``, ``background`` is the ring's median (NaN where
        no pixel is scored).
    """
    img = np.asarray(image)
    if img.ndim != 2:
        raise InputError(f"cfar expects a (rows, cols) image, got shape {img.shape}")
    if not 0 <= guard < background:
        raise InputError(f"cfar needs 0 <= guard < background, got {guard} and {background}")
    for name, m in (("valid", valid), ("search", search)):
        if m is not None and m.shape != img.shape:
            raise InputError(f"{name} mask shape {m.shape} does not match image {img.shape}")
    if statistic not in CFAR_STATISTICS:
        raise InputError(f"cfar statistic {statistic!r} is not one of {', '.join(CFAR_STATISTICS)}")
    kk = float(k) if k is not None else float(special.ndtri(1.0 - pfa))
    if statistic == "mean":  # the kernel takes the row blocks itself, in parallel
        return _cfar_fast(
            img, valid, search, guard, background, kk, min_std, block_rows=CFAR_BLOCK_ROWS
        )
    rows = img.shape[0]
    # row blocks with a halo of ``background`` rows (one block for a small image): each
    # pixel's window holds the same pixels as on the whole image, and memory stays that
    # of one block
    mask = np.zeros(img.shape, dtype=bool)
    score = np.empty(img.shape, dtype=F32)
    mean = np.empty(img.shape, dtype=F32)
    for h0, h1, r0, r1 in _kernels.cfar_blocks(
        rows, block_rows=CFAR_BLOCK_ROWS, halo=background
    ).tolist():
        part = _median_cfar_fast(
            img[h0:h1],
            None if valid is None else valid[h0:h1],
            None if search is None else search[h0:h1],
            guard,
            background,
            kk,
            min_std,
        )
        inner = slice(r0 - h0, r1 - h0)
        mask[r0:r1], score[r0:r1], mean[r0:r1] = (
            part.mask[inner],
            part.score[inner],
            part.background[inner],
        )
    return CFARResult(mask, score, mean, kk)


def _cfar_min_background(guard: int, background: int) -> float:
    """Fewest valid pixels a CFAR background ring must hold for its pixel to be scored."""
    window_px = (2 * background + 1) ** 2 - (2 * guard + 1) ** 2
    return float(max(CFAR_MIN_BACKGROUND_PX, CFAR_MIN_BACKGROUND_FRACTION * window_px))


def _cfar_fast(
    img: NDArray[Any],
    valid: NDArray[np.bool_] | None,
    search: NDArray[np.bool_] | None,
    guard: int,
    background: int,
    kk: float,
    min_std: float,
    *,
    block_rows: int | None = None,
) -> CFARResult:
    """:func:`cfar` with the mean background by the numba kernel
    (:func:`basewatch.detect._kernels.cfar_image`), in blocks of ``block_rows`` rows
    (None: the image as one block, the result of :func:`_cfar_rows` bit for bit),
    without image-sized float64 temporaries."""
    mask, score, mean = _kernels.cfar_image(
        img,
        valid,
        search,
        guard=guard,
        background=background,
        kk=kk,
        min_std=min_std,
        min_n=_cfar_min_background(guard, background),
        block_rows=max(img.shape[0], 1) if block_rows is None else block_rows,
    )
    return CFARResult(mask, score, mean, kk)


def _cfar_rows(
    img: NDArray[Any],
    valid: NDArray[np.bool_] | None,
    search: NDArray[np.bool_] | None,
    guard: int,
    background: int,
    kk: float,
    min_std: float,
) -> CFARResult:
    """:func:`cfar` on a whole image (or a block of rows with its halo), in numpy: the
    reference that defines the result of the kernel behind :func:`_cfar_fast`."""
    ok = np.isfinite(img) if np.issubdtype(img.dtype, np.floating) else np.ones(img.shape, bool)
    if valid is not None:
        ok = ok & valid
    x = np.where(ok, img, 0).astype(np.float64)
    m = ok.astype(np.float64)
    outer, inner = _window_sums(m, (background, guard))
    n = outer - inner
    outer, inner = _window_sums(x, (background, guard))
    s1 = outer - inner
    outer, inner = _window_sums(x * x, (background, guard))
    s2 = outer - inner
    del outer, inner
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / n
        var = s2 / n - mean * mean
    std = np.sqrt(np.maximum(var, min_std * min_std))
    enough = n >= _cfar_min_background(guard, background)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = ((x - mean) / std).astype(F32)
    where = ok
    if search is not None:
        where = search & (np.isfinite(img) if np.issubdtype(img.dtype, np.floating) else True)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = ((img.astype(np.float64) - mean) / std).astype(F32)
    score[~(where & enough) | ~np.isfinite(score)] = np.nan
    mask = np.nan_to_num(score, nan=-np.inf) > kk
    return CFARResult(mask, score, np.where(where, mean, np.nan).astype(F32), kk)


def _median_cfar_fast(
    img: NDArray[Any],
    valid: NDArray[np.bool_] | None,
    search: NDArray[np.bool_] | None,
    guard: int,
    background: int,
    kk: float,
    min_std: float,
) -> CFARResult:
    """:func:`cfar` with ``statistic="median"`` on a whole image or a block of rows, by
    the numba kernel (:func:`basewatch.detect._kernels.ring_median_block`): the result
    of :func:`_median_cfar_rows`, bit for bit."""
    if search is None:
        search = valid if valid is not None else np.ones(img.shape, dtype=bool)
    mask, score, median = _kernels.ring_median_block(
        img,
        valid,
        search,
        guard=guard,
        background=background,
        kk=kk,
        min_std=min_std,
        min_n=_cfar_min_background(guard, background),
        step=MEDIAN_CFAR_LOG_STEP,
        floor=MEDIAN_CFAR_FLOOR,
        iqr_to_sigma=IQR_TO_SIGMA,
    )
    return CFARResult(mask, score, median, kk)


def _median_cfar_rows(
    img: NDArray[Any],
    valid: NDArray[np.bool_] | None,
    search: NDArray[np.bool_] | None,
    guard: int,
    background: int,
    kk: float,
    min_std: float,
) -> CFARResult:
    """:func:`cfar` with ``statistic="median"``, pixel by pixel in Python: the reference
    that defines the result of :func:`_median_cfar_fast` (small images only).

    Each usable value ``v`` of a ring falls in bin ``floor(log(max(v, floor)) /
    step)``; the quartiles are the centres ``exp((bin + 0.5) step)`` of the bins
    holding the values of ranks ``(n - 1) // 4``, ``(n - 1) // 2`` and ``3 (n - 1) //
    4`` (0-based) of the ring's ``n``; the spread is the interquartile range over
    :data:`IQR_TO_SIGMA`, at least one bin's width at the median and ``min_std``.
    """
    x = np.asarray(img, dtype=np.float64)
    rows, cols = x.shape
    ok = np.isfinite(x) if valid is None else np.isfinite(x) & valid
    where = (ok if valid is not None else np.isfinite(x)) if search is None else search
    step, floor = MEDIAN_CFAR_LOG_STEP, MEDIAN_CFAR_FLOOR
    code = np.zeros((rows, cols), dtype=np.int64)
    for i, j in zip(*np.nonzero(ok), strict=True):
        code[i, j] = math.floor(math.log(max(float(x[i, j]), floor)) / step)
    min_n = _cfar_min_background(guard, background)
    mask = np.zeros((rows, cols), dtype=bool)
    score = np.full((rows, cols), np.nan, dtype=F32)
    median = np.full((rows, cols), np.nan, dtype=F32)
    b, g = background, guard
    for i, j in zip(*np.nonzero(where & np.isfinite(x)), strict=True):
        r0, c0 = max(0, i - b), max(0, j - b)
        ring = ok[r0 : i + b + 1, c0 : j + b + 1].copy()
        ring[max(0, i - g) - r0 : i + g + 1 - r0, max(0, j - g) - c0 : j + g + 1 - c0] = False
        values = np.sort(code[r0 : i + b + 1, c0 : j + b + 1][ring])
        n = values.size
        if n == 0 or n < min_n:
            continue
        q25, q50, q75 = (
            math.exp((int(values[t]) + 0.5) * step)
            for t in ((n - 1) // 4, (n - 1) // 2, (3 * (n - 1)) // 4)
        )
        sd = max((q75 - q25) / IQR_TO_SIGMA, q50 * (math.exp(step) - 1.0), min_std)
        s = F32((float(x[i, j]) - q50) / sd)
        score[i, j] = s
        median[i, j] = F32(q50)
        mask[i, j] = bool(s > F32(kk))
    return CFARResult(mask, score, median, kk)


# --------------------------------------------------------------------------- change maps


def cva_change_map(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    valid: NDArray[np.bool_] | None = None,
    region: NDArray[np.bool_] | None = None,
    threshold: float | None = None,
    method: str = "robust",
    k: float = 6.0,
    normalise: bool | str = True,
    gain_bias: tuple[NDArray[np.float32], NDArray[np.float32]] | None = None,
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
    method : {"robust", "otsu", "ki"}
        Automatic threshold: ``median + k * sigma_MAD``, Otsu or Kittler–Illingworth.
    k : float
        Multiplier for the robust threshold.
    normalise : bool or {"mad", "pif"}
        Normalise ``after`` radiometrically onto ``before`` first: ``True`` or
        ``"mad"`` with :func:`normalise_to`, ``"pif"`` with :func:`pif_normalise`.
    gain_bias : (ndarray, ndarray), optional
        With ``"mad"``: the gain and bias to apply (:func:`apply_gain`) instead of
        fitting them on these pixels (a chunk of a tile takes the whole tile's,
        :func:`fit_gain_bias`).

    Returns
    -------
    ChangeMap
        ``magnitude`` (CVA norm), ``signed`` (mean band difference); every parameter
        and the fitted gains and biases are in ``params``.
    """
    check_pair(before, after)
    ok = _valid_pair(before, after, valid)
    mode = "mad" if normalise is True else (normalise or "none")
    params: dict[str, Any] = {
        "normalise": mode,
        "threshold_method": method,
        "k": k,
    }
    fused = mode == "mad" and before.dtype == F32 and after.dtype == F32
    if mode == "mad" and gain_bias is not None:
        gain, bias = (np.asarray(a, dtype=F32) for a in gain_bias)
        _check_gain_bias(gain, bias, after.shape[0])
        if not fused:
            after = apply_gain(after, gain, bias)
    elif mode == "mad":
        if ok.sum() < MIN_NORMALISE_PIXELS:
            raise InputError(
                "too few valid pixels common to both dates to normalise "
                f"(need {MIN_NORMALISE_PIXELS})"
            )
        gain, bias = _fit_on_sample(before, after, ok)
        if not fused:
            after = apply_gain(after, gain, bias)
    elif mode == "pif":
        res = pif_normalise(before, after, valid=ok)
        after, gain, bias = res.normalised, res.gain, res.bias
        params["pif_pixels"] = int(res.pif.sum())
    elif mode != "none":
        raise InputError(f"unknown normalisation {normalise!r}; use True, 'mad', 'pif' or False")
    if mode != "none":
        params["gain"] = [float(g) for g in gain]
        params["bias"] = [float(b) for b in bias]
    if fused:
        # normalisation, difference, norm and mean in one pass: the same float32
        # operations as apply_gain, band_difference and _norm_and_mean (test), without
        # the normalised and difference stacks
        magnitude, signed = _kernels.cva_normalised(before, after, gain, bias)
    else:
        if before.dtype != after.dtype:
            before = before.astype(F32)
        # the CVA magnitude and signed change (change_vector without the direction)
        magnitude, signed = _norm_and_mean(band_difference(before, after))
    _kernels.nan_outside(ok, magnitude, signed)
    stats_px = ok if region is None else ok & region
    if threshold is None:
        threshold = _auto_threshold_where(magnitude, stats_px, method=method, k=k)
    params["threshold"] = float(threshold)
    mask = magnitude > threshold
    mask &= ok  # ok & (magnitude > threshold), made in place
    return ChangeMap(
        magnitude=magnitude,
        signed=signed,
        mask=mask,
        valid=ok,
        threshold=float(threshold),
        method="cva",
        params=params,
    )


def log_ratio_change_map(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    valid: NDArray[np.bool_] | None = None,
    region: NDArray[np.bool_] | None = None,
    threshold: float | None = None,
    method: str = "ki",
    k: float = 6.0,
    decibels: bool = False,
) -> ChangeMap:
    """SAR change map: absolute log-ratio with an automatic threshold.

    Parameters
    ----------
    before, after : ndarray, shape (rows, cols) or (bands, rows, cols)
        Backscatter (linear, or dB with ``decibels=True``); for several bands
        (VV, VH) the log-ratios are combined as their root mean square.
    valid, region, threshold, method, k
        As in :func:`cva_change_map`; the default threshold is Kittler–Illingworth.

    Returns
    -------
    ChangeMap
        ``magnitude = |log-ratio|``, ``signed`` the log-ratio (positive: brighter).
    """
    check_pair(before, after, ndim=None)
    b3 = before if before.ndim == 3 else before[None]
    a3 = after if after.ndim == 3 else after[None]
    ok = _valid_pair(b3, a3, valid)
    lr = log_ratio(b3, a3, decibels=decibels)
    ok &= np.isfinite(lr).all(axis=0)
    signed = lr.mean(axis=0, dtype=F32)
    magnitude = np.sqrt((lr * lr).mean(axis=0, dtype=F32), dtype=F32)
    magnitude[~ok] = np.nan
    signed[~ok] = np.nan
    stats_px = ok if region is None else ok & region
    if threshold is None:
        threshold = auto_threshold(magnitude[stats_px], method=method, k=k)
    mask = ok & (magnitude > threshold)
    params = {
        "threshold_method": method,
        "k": k,
        "decibels": decibels,
        "threshold": float(threshold),
    }
    return ChangeMap(
        magnitude=magnitude,
        signed=signed,
        mask=mask,
        valid=ok,
        threshold=float(threshold),
        method="log-ratio",
        params=params,
    )
