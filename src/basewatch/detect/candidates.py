"""Vessel candidates on one optical date and the features a classifier scores them by.

The generator is deliberately generous: every NIR-bright object in or against the
water of a Sentinel-2 image (CFAR on B08 over MNDWI water, :mod:`basewatch.detect.water`)
that could be a hull by its size. Whether it *is* one is left to the trained
classifier (:mod:`basewatch.detect.classify`) over unit-free features: shape, how far
it stands out of the water around it in each band, its own water indices, how much
open water surrounds it and how far it lies from land. A reflectance scale common to
the bands (the sen2ships export's reflectance times 65535, Sentinel-2 digital numbers)
does not enter any feature: bands appear only as ratios to the local water or as
normalised differences. What differs band by band does: the haze a Level-1C (top of
the atmosphere) scene carries, most in the blue and green, moves the water indices and
the search's water, and held out on the ports made top-of-atmosphere the model finds
fewer ships (``benchmarks/vessels_eval.py --toa``; the model card).

Pure numpy/scipy, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.detect import _kernels
from basewatch.detect.change import CFARResult, cfar
from basewatch.detect.classify import BANDS, BANDS_10M
from basewatch.detect.components import (
    NDWI_WATER_THRESHOLD,
    component_features,
    component_ring,
    fill_small_holes,
    label_moments,
    max_by_label,
    shape_from_moments,
    water_mask,
)
from basewatch.detect.water import WaterMasks, WaterParams, water_masks
from basewatch.errors import InputError

__all__ = [
    "BANDS",
    "BANDS_10M",
    "FEATURES",
    "CandidateParams",
    "Candidates",
    "missing_bands",
    "vessel_candidates",
]


_G, _NIR, _SWIR = 1, 3, 4
#: Bands whose CFAR scores (absolute) make the second source of candidates.
_ANOMALY_BANDS = (0, 1, 2, 3)
#: Added to a candidate's split level when it comes from the second source.
_SPECTRAL_SOURCE = 100.0

#: Features also given as their rank among the image's candidates (0..1): a hazy image,
#: a calm or rough sea, or an export that stretched each band on its own shifts every
#: candidate's values alike, and the rank does not move.
RANKED: tuple[str, ...] = (
    "max_score",
    "log_ratio_b08",
    "log_ratio_b11",
    "log_length_m",
    "mndwi",
    "ndwi",
    "water_ring_far",
    "log_ratio_b02",
    "log_ratio_b04",
    "log_shore_m",
    "ring_cv_b08",
    "log_ring_all_b08",
    "log_b11_b08",
    "neighbours",
    "log_width_m",
)

#: Features the classifier reads, in its column order (see :func:`vessel_candidates`).
FEATURES: tuple[str, ...] = (
    "log_length_m",
    "log_width_m",
    "aspect",
    "fill",
    "max_score",
    "mean_score",
    "log_ratio_b02",
    "log_ratio_b03",
    "log_ratio_b04",
    "log_ratio_b08",
    "log_ratio_b11",
    "ndwi",
    "mndwi",
    "water_ring_near",
    "water_ring_far",
    "log_shore_m",
    "ring_cv_b08",
    "open_water_share",
    "split_level",
    "spectral_only",
    "max_anomaly",
    "log_ring_all_b08",
    "cv_b08",
    "log_b11_b08",
    "log_b04_b02",
    "neighbours",
    *(f"rank_{name}" for name in RANKED),
)

#: Distance to land beyond which a candidate counts as offshore (m): an image without
#: land gives this distance, not infinity.
_SHORE_CAP_M = 5000.0

#: Score levels at which a region too large for a ship is cut again: ``k_low`` times
#: this step to the power ``0 .. SPLIT_LEVELS - 1`` (3, 4.5, 6.8, ... 77 for k_low 3).
SPLIT_STEP = 1.5
SPLIT_LEVELS = 9

#: Smallest positive value under a logarithm (sizes in metres, band ratios).
_LOG_FLOOR = 1e-3


def missing_bands(names: Iterable[str], bands: Sequence[str] = BANDS) -> list[str]:
    """The bands of ``bands`` (default :data:`BANDS`) that ``names`` (band names, any
    case) lacks, in order."""
    have = {n.upper() for n in names}
    return [b for b in bands if b not in have]


@dataclass(frozen=True)
class CandidateParams:
    """Candidate generation (all sizes in metres; recorded with every result)."""

    ndwi_threshold: float = NDWI_WATER_THRESHOLD
    """NDWI above which a pixel is searched as water (the CFAR background)."""
    max_vessel_area_m2: float = 60_000.0
    """Largest hole in the NDWI water filled as a possible vessel."""
    guard_m: float = 80.0
    """Half-size of the CFAR guard square: about half the longest ship."""
    window_m: float = 200.0
    """Half-size of the CFAR background square."""
    pfa: float = 1e-8
    """CFAR false-alarm probability per pixel (sets the seed threshold)."""
    k_low: float = 3.0
    """Hysteresis: a candidate is the region scoring above this around its seeds."""
    search_dilation_m: float = 15.0
    """Growth of the search area beyond the water, so that a hull against a quay is
    searched too."""
    spectral_candidates: bool = True
    """Also take as candidates the objects that stand out of the water, brighter or
    darker, in any of B02, B03, B04, B08 (faint hulls in turbid water), where the NIR
    search found none."""
    k_spectral: float | None = None
    """Seed score of the second source (background standard deviations, in any band);
    default the NIR search's CFAR threshold (set by ``pfa``). Lower values reach the
    faint hulls of Port Klang but add more false candidates than the classifier can
    reject (leave-one-port-out F1 0.47 at 4.0 against 0.50)."""
    min_pixels: int = 3
    """Smallest candidate (pixels)."""
    min_length_m: float = 20.0
    """Shortest candidate: below this a Sentinel-2 object is a blob of one or two pixels."""
    max_length_m: float = 450.0
    """Longest candidate (the largest ships are about 400 m)."""
    max_width_m: float = 100.0
    """Widest candidate."""
    ring_near_m: tuple[float, float] = (10.0, 40.0)
    """Inner and outer radius of the near ring (open-water share, band ratios)."""
    ring_far_m: tuple[float, float] = (50.0, 150.0)
    """Inner and outer radius of the far ring (open-water share)."""
    context_m: float = 500.0
    """Side of the square whose open-water share is ``open_water_share``."""

    def as_dict(self) -> dict[str, Any]:
        """Every parameter by name.

        Returns
        -------
        dict of str to value
        """
        return asdict(self)


@dataclass(frozen=True, eq=False)
class Candidates:
    """Vessel candidates of one date: labels, features and the water they were found in."""

    labels: NDArray[np.int32]
    """Shape (rows, cols): ``0`` background, ``1..n`` candidates."""
    features: dict[str, NDArray[np.float64]]
    """Per candidate, shape (n,): the shape features of
    :func:`~basewatch.detect.components.component_features` (``row``, ``col``,
    ``length_m``, ``width_m``, ``orientation_deg``, ...), CFAR scores, and every name in
    :data:`FEATURES`."""
    water: WaterMasks
    params: dict[str, Any]

    @property
    def n(self) -> int:
        """Number of candidates.

        Returns
        -------
        int
        """
        return int(self.labels.max(initial=0))

    def matrix(self) -> NDArray[np.float64]:
        """The classifier's input, shape (n, len(FEATURES)), columns in :data:`FEATURES` order.

        Returns
        -------
        ndarray, shape (n, len(FEATURES)), float64
        """
        if self.n == 0:
            return np.zeros((0, len(FEATURES)))
        return np.column_stack([self.features[f] for f in FEATURES])


#: Largest finite float32: an infinite CFAR score counts as this.
_F32_MAX = float(np.finfo(np.float32).max)


def _px(metres: float, pixel_size_m: tuple[float, float]) -> int:
    """``metres`` in whole pixels of the geometric-mean pixel side, at least 1."""
    return max(1, round(metres / float(np.sqrt(pixel_size_m[0] * pixel_size_m[1]))))


def _log(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(np.log(np.maximum(np.nan_to_num(x, nan=_LOG_FLOOR), _LOG_FLOOR)))


def vessel_candidates(
    bands: NDArray[Any],
    *,
    pixel_size_m: tuple[float, float],
    params: CandidateParams = CandidateParams(),
    water_params: WaterParams = WaterParams(),
    valid: NDArray[np.bool_] | None = None,
) -> Candidates:
    """Every object that could be a vessel in one Sentinel-2 image, with its features.

    Parameters
    ----------
    bands : ndarray, shape (5, rows, cols) or (4, rows, cols)
        B02, B03, B04, B08 and B11 (:data:`BANDS`; B11 resampled to 10 m), one scale for
        all five (any: features are ratios). NaN invalid. Without B11 (the four 10 m
        bands, :data:`BANDS_10M`), B08 stands in for it: the water is found by NDWI
        alone and the features named after B11 repeat B08's (``mndwi`` is ``ndwi``,
        ``log_b11_b08`` is 0), as the model for these bands was trained
        (``models/vessels_s2_10m.json``).
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.
    params : CandidateParams
    water_params : WaterParams
    valid : ndarray, shape (rows, cols), bool, optional
        Usable pixels (clouds, nodata masked out).

    Returns
    -------
    Candidates
        The features of each candidate, among them every name in :data:`FEATURES`:

        ``log_length_m``, ``log_width_m``, ``aspect``, ``fill``
            size and shape: log of moment length and width, their ratio, area over
            the moment box (a hull fills it, a bent strip of shore does not);
        ``max_score``, ``mean_score``
            CFAR score on NIR (background standard deviations above the water mean);
        ``log_ratio_<band>``
            log of the candidate's mean over the mean of the water in its near ring,
            per band (a steel or painted hull is bright in every band, surf and
            vegetation in some);
        ``ndwi``, ``mndwi``
            water indices of the candidate's mean bands;
        ``water_ring_near``, ``water_ring_far``
            open-water share of the rings around it (``ring_near_m``, ``ring_far_m``);
        ``log_shore_m``
            log of (1 + the largest distance to land over its pixels, m);
        ``ring_cv_b08``
            spread of NIR over the water of its near ring (standard deviation over
            mean): surf and hazy shallows are rough, open sea around a ship smooth;
        ``open_water_share``
            open water in the ``context_m`` square around its centre (a harbour
            basin against the open sea);
        ``split_level``, ``spectral_only``, ``max_anomaly``
            the score level at which it was cut out of a larger region (0: not cut,
            see :func:`_split_objects`), whether it comes from the second source (a
            hull standing out in a visible band, not in NIR), and its largest
            absolute CFAR score over B02, B03, B04, B08;
        ``log_ring_all_b08``, ``cv_b08``, ``log_b11_b08``, ``log_b04_b02``
            NIR over the whole near ring (land included: a piece of quay is like the
            quay around it), NIR spread inside it, and its own SWIR/NIR and red/blue;
        ``neighbours``
            other candidates in the ``context_m`` square around it;
        ``rank_<name>``
            the rank (0..1) of each feature of :data:`RANKED` among the image's
            candidates.
    """
    data = np.asarray(bands, dtype=np.float32)
    if data.ndim != 3 or data.shape[0] not in (len(BANDS), len(BANDS_10M)):
        raise InputError(
            f"bands must be an array of shape ({len(BANDS)}, rows, cols) holding "
            f"{', '.join(BANDS)}, or ({len(BANDS_10M)}, rows, cols) without B11; got shape "
            f"{data.shape}: read the bands of a Sentinel-2 image (B11 resampled to 10 m) "
            "in that order"
        )
    # one plane per name of BANDS (views): without B11, B08 stands in for it
    planes = [data[min(i, len(data) - 1)] for i in range(len(BANDS))]
    ok = np.all(np.isfinite(data), axis=0)
    if valid is not None:
        ok &= valid
    # without B11 the MNDWI is the NDWI already: its second test would repeat the first
    masks = water_masks(
        planes[_G],
        planes[_SWIR],
        nir=planes[_NIR] if len(data) == len(BANDS) else None,
        pixel_size_m=pixel_size_m,
        params=water_params,
        valid=ok,
    )
    # the search: NDWI water (dark in NIR, the CFAR background) with its ship-sized holes
    # filled and grown so that hulls against quays are searched too
    background = water_mask(planes[_G], planes[_NIR], threshold=params.ndwi_threshold, valid=ok)
    area = pixel_size_m[0] * pixel_size_m[1]
    search = fill_small_holes(background, max_hole_px=int(params.max_vessel_area_m2 / area))
    grow = _px(params.search_dilation_m, pixel_size_m) if params.search_dilation_m > 0 else 0
    if grow:
        search = _kernels.dilate_cross(search, grow)
    search &= ok
    # each band's CFAR in turn, folded into the largest absolute score over the bands
    # (faint hulls darker or brighter than the water in some visible band, but not bright
    # in NIR: small ships in turbid water) as it comes; only NIR's result is kept. One
    # image of scores at a time, where the four results and their stack held ten. The
    # bands go in as they are: the statistics come from ``background`` and the scores
    # from ``search``, both within the usable pixels
    anomaly: NDArray[np.floating[Any]] | None = None
    res: CFARResult | None = None
    for b in _ANOMALY_BANDS:
        found = cfar(
            planes[b],
            valid=background,
            search=search,
            guard=_px(params.guard_m, pixel_size_m),
            background=_px(params.window_m, pixel_size_m),
            pfa=params.pfa,
        )
        anomaly = _kernels.fold_abs_max(found.score, anomaly)
        if b == _NIR:
            res = found
        del found
    assert res is not None and anomaly is not None
    # NaN is never above a level and +inf always: the scores split as they are
    labels, n, split = _split_objects(res.score, res.mask, params, pixel_size_m)
    # the second source of candidates, where the first found none
    if params.spectral_candidates:
        more, n_more, split_more = _split_objects(
            anomaly,
            anomaly > (res.k if params.k_spectral is None else params.k_spectral),
            params,
            pixel_size_m,
        )
        if n_more:
            clash = _kernels.labels_touched(more, _kernels.dilate_cross(labels > 0, 1), n_more)
            keep = ~clash[1:]
            remap = np.zeros(n_more + 1, dtype=np.int32)
            remap[1:][keep] = np.arange(n + 1, n + 1 + int(keep.sum()), dtype=np.int32)
            labels = np.where(labels > 0, labels, remap[more])
            split = np.concatenate([split, split_more[keep] + _SPECTRAL_SOURCE])
            n += int(keep.sum())
        del more
    record = {
        **params.as_dict(),
        "water": water_params.as_dict(),
        "pixel_size_m": list(pixel_size_m),
        "cfar_k": res.k,
        "bands": list(BANDS if len(data) == len(BANDS) else BANDS_10M),
    }
    if n == 0:
        return Candidates(labels, {}, masks, record)
    feats = component_features(
        labels,
        n,
        pixel_size_m=pixel_size_m,
        values={b.lower(): planes[i] for i, b in enumerate(BANDS)},
    )
    # the candidates' pixels in raster order and their labels, found once for the
    # scores here and the context's own sums
    at_r, at_c = np.nonzero(labels)
    pixels = (at_r, at_c, labels[at_r, at_c])
    # NIR scores at the candidates' pixels: an infinite one as the largest float32 of
    # its sign, a NaN as 0
    raw = np.nan_to_num(res.score[at_r, at_c], nan=-np.inf, posinf=_F32_MAX)
    at_score = np.where(np.isfinite(raw), raw, 0.0).astype(np.float64)
    feats["max_score"] = max_by_label(pixels[2], n, at_score)
    sums = np.bincount(pixels[2], at_score, minlength=n + 1)[1:]
    feats["mean_score"] = sums / np.maximum(feats["area_px"], 1.0)
    feats["split_level"] = split % _SPECTRAL_SOURCE
    feats["spectral_only"] = (split >= _SPECTRAL_SOURCE).astype(np.float64)
    feats["max_anomaly"] = max_by_label(pixels[2], n, anomaly[at_r, at_c])
    # the score images and search masks are done with: the context's own images follow
    del res, anomaly, background, search
    feats.update(_context_features(labels, n, pixels, planes, masks, feats, params, pixel_size_m))
    for name in RANKED:
        feats[f"rank_{name}"] = _rank(feats[name])
    return Candidates(labels, feats, masks, record)


def _rank(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mid-rank of each value among all, scaled to 0..1 (ties share their mean rank; all
    NaN if any value is): ``(scipy.stats.rankdata(values) - 1) / (len(values) - 1)``,
    without importing ``scipy.stats`` (half a second)."""
    n = len(values)
    if n < 2:
        return np.full(n, 0.5)
    if np.isnan(values).any():
        return np.full(n, np.nan)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    ties = np.diff(np.append(starts, n))
    # a run of ties from ordinal rank s (1-based) shares s + (ties - 1) / 2
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = np.repeat((starts + 1.0) + (ties - 1.0) / 2.0, ties)
    return (ranks - 1.0) / (n - 1.0)


def _fits(
    feats: dict[str, NDArray[np.float64]], params: CandidateParams
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Objects of a vessel's size, and objects too large for one (to split further)."""
    too_big = (feats["length_m"] > params.max_length_m) | (feats["width_m"] > params.max_width_m)
    fits = (
        ~too_big
        & (feats["length_m"] >= params.min_length_m)
        & (feats["area_px"] >= params.min_pixels)
    )
    return fits, too_big


def _split_objects(
    score: NDArray[Any],
    seeds: NDArray[np.bool_],
    params: CandidateParams,
    pixel_size_m: tuple[float, float],
) -> tuple[NDArray[np.int32], int, NDArray[np.float64]]:
    """Candidates from the CFAR score: hysteresis regions around the seeds, and where a
    region is too large for a ship (hulls merged with the quay they are moored at, or
    with each other), the seeded regions of the same region at higher score levels
    (``k_low * SPLIT_STEP ** i``): the hulls stand out of the quay at some level.

    Each level works on the runs of its mask along the rows (no loop over objects, no
    image-sized array but the labels written): the runs above the first level over the
    whole image, then above each next level within the runs still to cut (a few quays
    and breakwaters), labelled as runs, their shapes from the runs' exact moments.
    Components are numbered in raster order as labelling the image would number them,
    so the candidates are those of :func:`_split_objects_reference`, the same numbers
    in the same order. Returns the labels, their number and the level index each
    candidate was cut at (0: the hysteresis region itself).
    """
    out = np.zeros(score.shape, dtype=np.int32)
    n_out = 0
    levels: list[NDArray[np.float64]] = []
    region: _kernels.Runs | None = None  # the runs still to cut (None: the whole image)
    for i in range(SPLIT_LEVELS):
        runs = _kernels.runs_above(score, params.k_low * SPLIT_STEP**i, region)
        run_label, n = _kernels.label_runs(runs)
        if n == 0:
            break
        moments, box, seeded = _kernels.run_moments(runs, run_label, n, seeds)
        fits, too_big = _level_fits(moments, box, seeded, params, pixel_size_m)
        remap = np.zeros(n + 1, dtype=np.int32)
        remap[1:][fits] = np.arange(n_out + 1, n_out + 1 + int(fits.sum()), dtype=np.int32)
        _kernels.paint_runs(runs, remap[run_label], out)
        n_out += int(fits.sum())
        levels.append(np.full(int(fits.sum()), float(i)))
        cut = too_big[run_label - 1]
        if not cut.any():
            break
        region = (runs[0][cut], runs[1][cut], runs[2][cut])
    return out, n_out, (np.concatenate(levels) if levels else np.zeros(0))


def _level_fits(
    moments: NDArray[np.int64],
    box: NDArray[np.int64],
    seeded: NDArray[np.bool_],
    params: CandidateParams,
    pixel_size_m: tuple[float, float],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Of one level's regions, the seeded ones of a vessel's size and the seeded ones
    too large for one (to cut at the next level)."""
    feats = shape_from_moments(moments, box, pixel_size_m=pixel_size_m)
    fits, too_big = _fits(feats, params)
    return fits & seeded, too_big & seeded


def _split_objects_reference(
    score: NDArray[Any],
    seeds: NDArray[np.bool_],
    params: CandidateParams,
    pixel_size_m: tuple[float, float],
) -> tuple[NDArray[np.int32], int, NDArray[np.float64]]:
    """:func:`_split_objects` by labelling the whole image at every level: what the
    runs must give."""
    out = np.zeros(score.shape, dtype=np.int32)
    n_out = 0
    levels: list[NDArray[np.float64]] = []
    region = np.ones(score.shape, dtype=bool)
    for i in range(SPLIT_LEVELS):
        lab, n = _kernels.label_components(
            (score > params.k_low * SPLIT_STEP**i) & region, eight=True
        )
        if n == 0:
            break
        seeded = _kernels.labels_touched(lab, seeds, n)[1:]
        lm = label_moments(lab, n, pixels=False)
        fits, too_big = _level_fits(lm.moments, lm.box, seeded, params, pixel_size_m)
        remap = np.zeros(n + 1, dtype=np.int32)
        remap[1:][fits] = np.arange(n_out + 1, n_out + 1 + int(fits.sum()), dtype=np.int32)
        out = np.where(remap[lab] > 0, remap[lab], out)
        n_out += int(fits.sum())
        levels.append(np.full(int(fits.sum()), float(i)))
        region = np.concatenate([[False], too_big])[lab]
        if not region.any():
            break
    return out, n_out, (np.concatenate(levels) if levels else np.zeros(0))


def _context_features(
    labels: NDArray[np.int32],
    n: int,
    pixels: tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.int32]],
    planes: Sequence[NDArray[np.float32]],
    masks: WaterMasks,
    feats: dict[str, NDArray[np.float64]],
    params: CandidateParams,
    pixel_size_m: tuple[float, float],
) -> dict[str, NDArray[np.float64]]:
    """The features of :data:`FEATURES` beyond the components' own shape and score
    (``pixels``: the rows, columns and labels of the candidates' pixels, raster order)."""
    out: dict[str, NDArray[np.float64]] = {}
    length = np.maximum(feats["length_m"], _LOG_FLOOR)
    width = np.maximum(feats["width_m"], float(min(pixel_size_m)))
    out["log_length_m"] = _log(length)
    out["log_width_m"] = _log(width)
    out["aspect"] = length / width
    box = feats["length_m"] * feats["width_m"]
    area = feats["area_px"] * (pixel_size_m[0] * pixel_size_m[1])
    out["fill"] = np.where(box > 0, area / np.where(box > 0, box, 1.0), 1.0)
    near = (_px(params.ring_near_m[0], pixel_size_m), _px(params.ring_near_m[1], pixel_size_m))
    far = (_px(params.ring_far_m[0], pixel_size_m), _px(params.ring_far_m[1], pixel_size_m))
    # each ring found once; every image is read at its pixels alone
    near_ring = component_ring(labels, n, inner_px=near[0], outer_px=near[1])
    water_near = near_ring.values(masks.water)
    for i, band in enumerate(BANDS):
        key = band.lower()
        # the band over the water only (NaN elsewhere), in its own float32: the rings
        # add its values in float64, as they would the float64 image
        on_water = np.where(water_near, near_ring.values(planes[i]), np.float32(np.nan))
        ring = near_ring.means(on_water)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"log_ratio_{key}"] = _log(feats[f"mean_{key}"] / ring)
        if band == "B08":
            sq = near_ring.means(np.square(on_water.astype(np.float64)))
            with np.errstate(invalid="ignore", divide="ignore"):
                cv = np.sqrt(np.maximum(sq - ring**2, 0.0)) / ring
            out["ring_cv_b08"] = np.nan_to_num(cv, nan=0.0, posinf=0.0)
    ring_all = near_ring.mean(planes[_NIR])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["log_ring_all_b08"] = _log(feats["mean_b08"] / ring_all)
    at_r, at_c, owner = pixels
    sq_obj = np.bincount(owner, planes[_NIR][at_r, at_c].astype(np.float64) ** 2, minlength=n + 1)
    var = np.maximum(sq_obj[1:] / np.maximum(feats["area_px"], 1.0) - feats["mean_b08"] ** 2, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cv_b08"] = np.nan_to_num(np.sqrt(var) / feats["mean_b08"])
        out["log_b11_b08"] = _log(feats["mean_b11"] / feats["mean_b08"])
        out["log_b04_b02"] = _log(feats["mean_b04"] / feats["mean_b02"])
    g, nir, swir = (feats[f"mean_{b.lower()}"] for b in ("B03", "B08", "B11"))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["ndwi"] = np.nan_to_num((g - nir) / (g + nir))
        out["mndwi"] = np.nan_to_num((g - swir) / (g + swir))
    # a mask's ring mean is the share of the ring in it
    ow = masks.open_water
    out["water_ring_near"] = np.nan_to_num(near_ring.mean(ow))
    far_ring = component_ring(labels, n, inner_px=far[0], outer_px=far[1])
    out["water_ring_far"] = np.nan_to_num(far_ring.mean(ow))
    shore = np.zeros(n + 1)
    np.maximum.at(shore, owner, masks.shore_distance_at(at_r, at_c).astype(np.float64))
    out["log_shore_m"] = np.log1p(np.minimum(shore[1:], _SHORE_CAP_M))
    half = _px(params.context_m / 2, pixel_size_m)
    side = 2 * half + 1
    # scipy filters a mask in float64 lines, as it filters the mask made float64
    share = ndimage.uniform_filter(ow.view(np.uint8), size=side, mode="constant", output=np.float64)
    rows = np.clip(feats["row"].astype(int), 0, labels.shape[0] - 1)
    cols = np.clip(feats["col"].astype(int), 0, labels.shape[1] - 1)
    out["open_water_share"] = share[rows, cols]
    del share
    # other candidates within context_m / 2 of the centre (ships gather at anchorages
    # and quays; wakes and surf come in lines, roofs in blocks): the centres in the
    # square of side ``side`` around each one (chessboard distance), itself left out
    centres = np.column_stack([rows, cols]).astype(np.float64)
    from scipy.spatial import cKDTree

    within = cKDTree(centres).query_ball_point(centres, r=half, p=np.inf, return_length=True)
    out["neighbours"] = np.asarray(within, dtype=np.float64) - 1.0
    return out
