"""Vessels on one date: water, CFAR, objects, size test (pure numpy/scipy, no I/O).

Two recipes share :func:`basewatch.objects.bright_objects`:

* optical (Sentinel-2, Planet): water from NDWI (green vs NIR), ships are bright in NIR
  against dark water; a ship is a hole in the NDWI water mask, so the search area is
  water with vessel-sized holes filled;
* SAR (Sentinel-1, dB): the image is already masked to water (NaN on land), ships are
  bright point-like targets against sea clutter.

:func:`match_labels` scores detections against labelled masks (precision, recall).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.aoi import Zone
from basewatch.errors import InputError
from basewatch.events import MatchParams
from basewatch.grid import Grid
from basewatch.objects import bright_objects, fill_small_holes, minimum_detectable_m
from basewatch.records import Detection, ObjectClass

__all__ = [
    "LabelMatch",
    "VesselParams",
    "Vessels",
    "detect_vessels_on_water",
    "detect_vessels_optical",
    "detect_vessels_sar",
    "match_labels",
    "minimum_vessel_length_m",
    "sar_params",
    "vessel_events",
]


@dataclass(frozen=True)
class VesselParams:
    """Parameters of vessel detection on one date (all recorded with the result).

    Sizes are in metres so that the same parameters work at 3 m and 10 m; the CFAR
    windows are in metres too and converted to pixels with the grid's pixel size.
    """

    ndwi_threshold: float = 0.0
    max_vessel_area_m2: float = 60_000.0  # a 300 m x 50 m hull, with margin
    guard_m: float = 80.0
    window_m: float = 200.0
    pfa: float = 1e-8
    k: float | None = None
    k_low: float | None = 3.0
    search_dilation_m: float = 15.0
    min_length_m: float = 60.0
    max_length_m: float = 400.0
    max_width_m: float = 80.0
    min_pixels: int = 3
    min_std: float = 0.0
    min_peak_score: float = 8.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, eq=False)
class Vessels:
    """Vessels found on one date."""

    labels: NDArray[np.int32]
    """``0`` background, ``1..n`` every bright object (vessel or not)."""
    features: dict[str, NDArray[np.float64]]
    """Per object (shape (n,)): see :func:`basewatch.objects.bright_objects`, plus
    ``confidence`` (0..1)."""
    is_vessel: NDArray[np.bool_]
    """Objects that pass the vessel size test, shape (n,)."""
    detectable: NDArray[np.bool_]
    """Objects long enough to be resolved by the sensor, shape (n,): a vessel shorter
    than that is still reported, flagged not detectable (its size is a guess)."""
    k: float
    params: dict[str, Any]

    @property
    def n(self) -> int:
        return int(self.is_vessel.sum())

    def vessel_labels(self) -> NDArray[np.int32]:
        """Label image restricted to vessels (ids kept)."""
        keep = np.concatenate([[False], self.is_vessel])
        return np.where(keep[self.labels], self.labels, 0).astype(np.int32)


def minimum_vessel_length_m(
    pixel_size_m: float, *, factor: float = 2.0, sensor: str | None = None
) -> float:
    """Shortest vessel resolvable (see :func:`basewatch.objects.minimum_detectable_m`)."""
    return minimum_detectable_m(pixel_size_m, factor=factor, sensor=sensor)


def _px(metres: float, pixel_size_m: tuple[float, float]) -> int:
    return max(1, round(metres / float(np.sqrt(pixel_size_m[0] * pixel_size_m[1]))))


def _classify(
    feats: dict[str, NDArray[np.float64]],
    params: VesselParams,
    pixel_size_m: tuple[float, float],
    sensor: str | None = None,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    if not feats:
        return np.zeros(0, bool), np.zeros(0, bool)
    length = feats["length_m"]
    width = feats["width_m"]
    px = float(np.sqrt(pixel_size_m[0] * pixel_size_m[1]))
    detectable = length >= minimum_vessel_length_m(px, sensor=sensor)
    ok = (
        (length >= params.min_length_m)
        & (length <= params.max_length_m)
        & (width <= params.max_width_m)
        & (feats["max_score"] >= params.min_peak_score)
    )
    return ok, detectable


def _confidence(feats: dict[str, NDArray[np.float64]], k: float) -> NDArray[np.float64]:
    """0..1: how far the object's peak stands above the CFAR threshold (in background
    standard deviations), times a size factor (objects of under 9 pixels are uncertain)."""
    if not feats:
        return np.zeros(0)
    margin = np.maximum(feats["max_score"] - k, 0.0)
    size = np.minimum(1.0, feats["area_px"] / 9.0)
    return np.asarray(np.clip((1.0 - np.exp(-margin / 5.0)) * size, 0.0, 1.0), dtype=np.float64)


def detect_vessels_optical(
    green: NDArray[Any],
    nir: NDArray[Any],
    *,
    pixel_size_m: tuple[float, float],
    params: VesselParams = VesselParams(),
    valid: NDArray[np.bool_] | None = None,
) -> Vessels:
    """Vessels in an optical image (Sentinel-2 B03/B08, or any green/NIR pair).

    Parameters
    ----------
    green, nir : ndarray, shape (rows, cols)
        Same shape; any units (NDWI is a ratio). NaN or ``valid == False`` invalid.
    pixel_size_m : (float, float)
    params : VesselParams
    valid : ndarray, shape (rows, cols), bool, optional

    Returns
    -------
    Vessels
    """
    if green.shape != nir.shape:
        raise InputError(f"green {green.shape} and nir {nir.shape} must have the same shape")
    g = np.asarray(green, dtype=np.float32)
    n = np.asarray(nir, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        ndwi = (g - n) / (g + n)
    water = np.nan_to_num(ndwi, nan=-1.0) > params.ndwi_threshold
    if valid is not None:
        water &= valid
    res = detect_vessels_on_water(
        n, water=water, pixel_size_m=pixel_size_m, params=params, valid=valid
    )
    res.params["sensor"] = "optical"
    return res


def _vessels(
    img: NDArray[np.float32],
    background: NDArray[np.bool_],
    search: NDArray[np.bool_],
    params: VesselParams,
    pixel_size_m: tuple[float, float],
    *,
    sensor: str,
) -> Vessels:
    """Bright objects over ``background`` inside ``search``, classed and scored."""
    labels, feats, k = bright_objects(
        img,
        background=background,
        search=search,
        pixel_size_m=pixel_size_m,
        guard=_px(params.guard_m, pixel_size_m),
        window=_px(params.window_m, pixel_size_m),
        pfa=params.pfa,
        k=params.k,
        min_std=params.min_std,
        min_pixels=params.min_pixels,
        k_low=params.k_low,
    )
    if sensor == "sar":
        is_vessel, detectable = _classify(feats, params, pixel_size_m, "S1")
    else:
        is_vessel, detectable = _classify(feats, params, pixel_size_m)
    if feats:
        feats["confidence"] = _confidence(feats, k)
    return Vessels(
        labels,
        feats,
        is_vessel,
        detectable,
        k,
        {**params.as_dict(), "pixel_size_m": list(pixel_size_m), "sensor": sensor},
    )


def detect_vessels_on_water(
    image: NDArray[Any],
    *,
    water: NDArray[np.bool_],
    pixel_size_m: tuple[float, float],
    params: VesselParams = VesselParams(),
    valid: NDArray[np.bool_] | None = None,
) -> Vessels:
    """Vessels that stand out from water in ``image``, given a water mask.

    The search area is the water with its vessel-sized holes filled (a ship is not
    water), grown by ``params.search_dilation_m`` (ships moored against a quay touch
    the land); statistics come from the water only. Every size is in metres, so the
    same call works on 3 m and 10 m grids.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        Where ships are bright: NIR, or a colour distance from water.
    water : ndarray, shape (rows, cols), bool
    pixel_size_m : (float, float)
    params : VesselParams
    valid : ndarray, shape (rows, cols), bool, optional
    """
    img = np.asarray(image, dtype=np.float32)
    if water.shape != img.shape:
        raise InputError(f"image {img.shape} and water {water.shape} must have the same shape")
    max_hole = int(params.max_vessel_area_m2 / (pixel_size_m[0] * pixel_size_m[1]))
    search = fill_small_holes(water, max_hole_px=max_hole)
    grow = _px(params.search_dilation_m, pixel_size_m) if params.search_dilation_m > 0 else 0
    if grow:
        search = ndimage.binary_dilation(search, iterations=grow)
    if valid is not None:
        search &= valid
    return _vessels(img, water, search, params, pixel_size_m, sensor="any")


def detect_vessels_sar(
    db: NDArray[Any],
    *,
    pixel_size_m: tuple[float, float],
    params: VesselParams = VesselParams(),
    water: NDArray[np.bool_] | None = None,
) -> Vessels:
    """Vessels in a SAR backscatter image in dB (water only; land NaN or masked).

    Parameters
    ----------
    db : ndarray, shape (rows, cols)
        Backscatter in dB; NaN on land and nodata.
    pixel_size_m : (float, float)
    params : VesselParams
    water : ndarray, shape (rows, cols), bool, optional
        Water mask; default the finite pixels of ``db``. Only finite water pixels are
        searched: a ship masked out with the land is not found.

    Returns
    -------
    Vessels
    """
    img = np.asarray(db, dtype=np.float32)
    wat = np.isfinite(img) if water is None else (water & np.isfinite(img))
    return _vessels(img, wat, wat, params, pixel_size_m, sensor="sar")


@dataclass(frozen=True)
class LabelMatch:
    """Detections scored against labelled objects."""

    detections: int
    labels: int
    true_positives: int
    """Detections that overlap a label."""
    found: int
    """Labels overlapped by at least one detection."""
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def match_labels(
    detected: NDArray[np.integer[Any]], truth: NDArray[np.integer[Any]], *, tolerance_px: int = 1
) -> LabelMatch:
    """Precision and recall of labelled detections against labelled truth (by overlap).

    A detection is a true positive when it overlaps a truth object grown by
    ``tolerance_px`` pixels (a one-pixel shift of a 10 m footprint is not a miss); a
    truth object is found when a detection overlaps it.

    Parameters
    ----------
    detected, truth : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` objects.
    """
    if detected.shape != truth.shape:
        raise InputError(
            f"detected {detected.shape} and truth {truth.shape} must have the same shape"
        )
    grown = (
        ndimage.grey_dilation(truth, size=(2 * tolerance_px + 1,) * 2) if tolerance_px else truth
    )
    grown = np.where(truth > 0, truth, grown)
    det_ids = np.unique(detected[detected > 0])
    gt_ids = np.unique(truth[truth > 0])
    both = (detected > 0) & (grown > 0)
    tp = np.unique(detected[both])
    found = np.unique(grown[both])
    nd, ng = int(det_ids.size), int(gt_ids.size)
    return LabelMatch(
        detections=nd,
        labels=ng,
        true_positives=int(tp.size),
        found=int(np.intersect1d(found, gt_ids).size),
        precision=float(tp.size / nd) if nd else 1.0,
        recall=float(np.intersect1d(found, gt_ids).size / ng) if ng else 1.0,
    )


def sar_params(**overrides: Any) -> VesselParams:
    """Vessel parameters for Sentinel-1 IW GRD (dB, ~20 m resolution on 10 m pixels).

    Ships are point-like and very bright (often saturated) against sea clutter; the
    CFAR windows are wider than for optical, and no NDWI or hole filling applies.
    """
    base = VesselParams(
        guard_m=100.0,
        window_m=300.0,
        pfa=1e-6,
        k_low=None,
        min_length_m=30.0,
        max_length_m=450.0,
        max_width_m=150.0,
        min_pixels=3,
        min_std=0.5,
        min_peak_score=5.0,
        search_dilation_m=0.0,
    )
    return VesselParams(**{**base.as_dict(), **overrides})


def vessel_events(
    before_db: NDArray[Any],
    after_db: NDArray[Any],
    *,
    grid: Grid,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    site: str,
    before: tuple[str, dt.date],
    after: tuple[str, dt.date],
    valid: NDArray[np.bool_] | None = None,
    params: VesselParams | None = None,
    match: MatchParams | None = None,
) -> list[Detection]:
    """Vessel events between two SAR dates: vessels per date in the site's water zones,
    matched into appeared / disappeared / persisted / moved.

    Parameters
    ----------
    before_db, after_db : ndarray, shape (rows, cols)
        Backscatter in dB on ``grid``.
    grid, zone_idx, zones, site, before, after
        As for :func:`basewatch.objects.extract_detections`.
    valid : ndarray, shape (rows, cols), bool, optional
    params : VesselParams, optional
        Default :func:`sar_params`.
    match : MatchParams, optional

    Returns
    -------
    list of Detection
    """
    from basewatch.aoi import WATER_ZONES
    from basewatch.events import events_to_detections, match_objects, observations

    params = params or sar_params()
    kinds = np.array([z.kind in WATER_ZONES for z in zones] + [False])
    water = kinds[np.where(zone_idx >= 0, zone_idx, len(zones))]
    if valid is not None:
        water &= valid
    obs = []
    for img, (scene, date) in ((before_db, before), (after_db, after)):
        res = detect_vessels_sar(
            np.where(water, img, np.nan), pixel_size_m=grid.pixel_size_m, params=params
        )
        f = res.features
        zi = (
            zone_idx[
                np.clip(f["row"].astype(int), 0, grid.height - 1),
                np.clip(f["col"].astype(int), 0, grid.width - 1),
            ]
            if f
            else np.zeros(0, int)
        )
        obs.append(
            observations(
                f,
                scene=scene,
                date=date,
                pixel_size_m=grid.pixel_size_m,
                object_class=ObjectClass.VESSEL,
                keep=res.is_vessel,
                confidence=f.get("confidence"),
                detectable=res.detectable,
                zones=[zones[i].name if i >= 0 else None for i in zi],
                zone_kinds=[zones[i].kind if i >= 0 else None for i in zi],
            )
        )
    events = match_objects(obs[0], obs[1], params=match or MatchParams())
    return events_to_detections(events, site=site, grid=grid, before=before, after=after)
