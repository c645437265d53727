"""Vessel candidates on one optical date and the features a classifier scores them by.

The generator is deliberately generous: every NIR-bright object in or against the
water of a Sentinel-2 image (CFAR on B08 over MNDWI water, :mod:`basewatch.detect.water`)
that could be a hull by its size. Whether it *is* one is left to the trained
classifier (:mod:`basewatch.detect.classify`) over unit-free features: shape, how far
it stands out of the water around it in each band, its own water indices, how much
open water surrounds it and how far it lies from land. Reflectance scale (L1C, L2A,
the sen2ships export) does not enter any feature: bands appear only as ratios to the
local water or as normalised differences.

Pure numpy/scipy, no I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.detect.components import (
    NDWI_WATER_THRESHOLD,
    bright_objects,
    component_features,
    fill_small_holes,
    ring_mean,
    water_mask,
)
from basewatch.detect.water import WaterMasks, WaterParams, water_masks
from basewatch.errors import InputError

__all__ = [
    "BANDS",
    "FEATURES",
    "CandidateParams",
    "Candidates",
    "vessel_candidates",
]

#: Bands a candidate search needs, in the order of the ``bands`` array.
BANDS: tuple[str, ...] = ("B02", "B03", "B04", "B08", "B11")
_G, _NIR, _SWIR = 1, 3, 4

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
)

#: Distance to land beyond which a candidate counts as offshore (m): an image without
#: land gives this distance, not infinity.
_SHORE_CAP_M = 5000.0

#: Smallest positive value under a logarithm (sizes in metres, band ratios).
_LOG_FLOOR = 1e-3


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
    bands : ndarray, shape (5, rows, cols)
        B02, B03, B04, B08 and B11 (:data:`BANDS`; B11 resampled to 10 m), one scale for
        all five (any: features are ratios). NaN invalid.
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
            basin against the open sea).
    """
    data = np.asarray(bands, dtype=np.float32)
    if data.ndim != 3 or data.shape[0] != len(BANDS):
        raise InputError(
            f"bands must be an array of shape ({len(BANDS)}, rows, cols) holding "
            f"{', '.join(BANDS)}; got shape {data.shape}: read the five bands of a "
            "Sentinel-2 image (B11 resampled to 10 m) in that order"
        )
    ok = np.all(np.isfinite(data), axis=0)
    if valid is not None:
        ok &= valid
    masks = water_masks(
        data[_G],
        data[_SWIR],
        nir=data[_NIR],
        pixel_size_m=pixel_size_m,
        params=water_params,
        valid=ok,
    )
    # the search: NDWI water (dark in NIR, the CFAR background) with its ship-sized holes
    # filled and grown so that hulls against quays are searched too
    background = water_mask(data[_G], data[_NIR], threshold=params.ndwi_threshold, valid=ok)
    area = pixel_size_m[0] * pixel_size_m[1]
    search = fill_small_holes(background, max_hole_px=int(params.max_vessel_area_m2 / area))
    grow = _px(params.search_dilation_m, pixel_size_m) if params.search_dilation_m > 0 else 0
    if grow:
        search = ndimage.binary_dilation(search, iterations=grow)
    search &= ok
    found = bright_objects(
        np.where(ok, data[_NIR], np.nan),
        background=background,
        search=search,
        pixel_size_m=pixel_size_m,
        guard=_px(params.guard_m, pixel_size_m),
        window=_px(params.window_m, pixel_size_m),
        pfa=params.pfa,
        k_low=params.k_low,
        min_pixels=params.min_pixels,
    )
    record = {
        **params.as_dict(),
        "water": water_params.as_dict(),
        "pixel_size_m": list(pixel_size_m),
        "cfar_k": found.k,
    }
    f = found.features
    if not f:
        return Candidates(np.zeros(data.shape[1:], np.int32), {}, masks, record)
    size_ok = (
        (f["length_m"] >= params.min_length_m)
        & (f["length_m"] <= params.max_length_m)
        & (f["width_m"] <= params.max_width_m)
    )
    remap = np.zeros(len(size_ok) + 1, dtype=np.int32)
    remap[1:][size_ok] = np.arange(1, int(size_ok.sum()) + 1, dtype=np.int32)
    labels = remap[found.labels]
    n = int(size_ok.sum())
    if n == 0:
        return Candidates(labels, {}, masks, record)
    feats = component_features(
        labels,
        n,
        pixel_size_m=pixel_size_m,
        values={b.lower(): data[i] for i, b in enumerate(BANDS)},
    )
    for key in ("max_score", "mean_score", "contrast"):
        feats[key] = f[key][size_ok]
    feats.update(_context_features(labels, n, data, masks, feats, params, pixel_size_m))
    return Candidates(labels, feats, masks, record)


def _context_features(
    labels: NDArray[np.int32],
    n: int,
    data: NDArray[np.float32],
    masks: WaterMasks,
    feats: dict[str, NDArray[np.float64]],
    params: CandidateParams,
    pixel_size_m: tuple[float, float],
) -> dict[str, NDArray[np.float64]]:
    """The features of :data:`FEATURES` beyond the components' own shape and score."""
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
    water_only = np.where(masks.water, 1.0, np.nan)
    for i, band in enumerate(BANDS):
        key = band.lower()
        ring = ring_mean(labels, n, data[i] * water_only, inner_px=near[0], outer_px=near[1])
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"log_ratio_{key}"] = _log(feats[f"mean_{key}"] / ring)
        if band == "B08":
            sq = ring_mean(
                labels, n, (data[i] * water_only) ** 2, inner_px=near[0], outer_px=near[1]
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                cv = np.sqrt(np.maximum(sq - ring**2, 0.0)) / ring
            out["ring_cv_b08"] = np.nan_to_num(cv, nan=0.0, posinf=0.0)
    g, nir, swir = (feats[f"mean_{b.lower()}"] for b in ("B03", "B08", "B11"))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["ndwi"] = np.nan_to_num((g - nir) / (g + nir))
        out["mndwi"] = np.nan_to_num((g - swir) / (g + swir))
    ow = masks.open_water.astype(np.float64)
    for name, (inner, outer) in (("water_ring_near", near), ("water_ring_far", far)):
        out[name] = np.nan_to_num(ring_mean(labels, n, ow, inner_px=inner, outer_px=outer))
    sel = labels > 0
    shore = np.zeros(n + 1)
    np.maximum.at(shore, labels[sel], masks.shore_distance_m[sel].astype(np.float64))
    out["log_shore_m"] = np.log1p(np.minimum(shore[1:], _SHORE_CAP_M))
    side = 2 * _px(params.context_m / 2, pixel_size_m) + 1
    share = ndimage.uniform_filter(ow, size=side, mode="constant")
    rows = np.clip(feats["row"].astype(int), 0, labels.shape[0] - 1)
    cols = np.clip(feats["col"].astype(int), 0, labels.shape[1] - 1)
    out["open_water_share"] = share[rows, cols]
    return out
