"""Vessels on one date: water, CFAR, objects, size test (pure numpy/scipy, no I/O).

Two recipes share :func:`basewatch.detect.components.bright_objects`:

* optical (Sentinel-2, Planet): water from NDWI (green vs NIR), ships are bright in NIR
  against dark water; a ship is a hole in the NDWI water mask, so the search area is
  water with vessel-sized holes filled; an object is a vessel when it is of a ship's
  size, one straight body (fill of its moment box) and has open water around it
  (water ring), which rejects roofs among shadows, quay edges and curved moles;
* SAR (Sentinel-1, dB): the image is already masked to water (NaN on land), ships are
  bright point-like targets against sea clutter.

:func:`match_labels` scores detections against labelled masks (precision, recall).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.aoi import WATER_ZONES, Zone
from basewatch.detect import _kernels
from basewatch.detect.components import (
    NDWI_WATER_THRESHOLD,
    bright_objects,
    fill_small_holes,
    ring_mean,
    water_mask,
    zone_kind_mask,
)
from basewatch.detect.confidence import VESSEL_MARGIN_SCALE, confidence
from basewatch.detect.events import (
    MatchParams,
    Observation,
    events_to_detections,
    match_objects,
    observations,
)
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.records import Detection, ObjectClass
from basewatch.sensors import minimum_detectable_m

if TYPE_CHECKING:
    from basewatch.detect.classify import VesselClassifier

__all__ = [
    "ClassifiedVessels",
    "LabelMatch",
    "VesselParams",
    "Vessels",
    "box_fill",
    "detect_vessels_on_water",
    "detect_vessels_optical",
    "detect_vessels_s2",
    "detect_vessels_sar",
    "grow_labels",
    "match_labels",
    "minimum_vessel_length_m",
    "sar_params",
    "vessel_events",
    "vessel_observations",
    "water_bodies",
    "water_ring",
]


@dataclass(frozen=True)
class VesselParams:
    """Parameters of vessel detection on one date (all recorded with the result).

    Sizes are in metres so that the same parameters work at 3 m and 10 m; the CFAR
    windows are in metres too and converted to pixels with the grid's pixel size.

    Beyond size and peak score, a vessel must float and look like one body:

    * ``min_water_ring``: at least this fraction of the ring between
      ``ring_inner_m`` and ``ring_outer_m`` around the object is open water (see
      :func:`water_ring`). Open water is the water mask less its pieces of under
      ``min_water_body_m2`` (:func:`water_bodies`): NDWI calls building shadows, dark
      roofs and pools water, and those made roofs and streets next to them look like
      ships on the sen2ships scenes. A ship at anchor scores 1, one moored alongside a
      quay 0.3 to 0.8, an object among buildings under 0.2.
    * ``min_fill``: area over the box of its moment length and width (see
      :func:`box_fill`); a straight body scores 0.85 to 1.05, a stretch of coastline or a
      curved breakwater 0.3 to 0.45.
    * ``ring_confidence``: confidence is scaled down by ``water_ring /
      ring_confidence`` when the ring holds less water than that (0 disables).

    The three tests are off in :func:`sar_params` (SAR is masked to water already).
    """

    ndwi_threshold: float = NDWI_WATER_THRESHOLD
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
    min_water_body_m2: float = 50_000.0
    ring_inner_m: float = 10.0
    ring_outer_m: float = 40.0
    min_water_ring: float = 0.25
    min_fill: float = 0.35
    ring_confidence: float = 0.5

    def as_dict(self) -> dict[str, Any]:
        """Every parameter by name (as recorded with the result).

        Returns
        -------
        dict of str to value
        """
        return asdict(self)


@dataclass(frozen=True, eq=False)
class Vessels:
    """Vessels found on one date."""

    labels: NDArray[np.int32]
    """``0`` background, ``1..n`` every bright object (vessel or not)."""
    features: dict[str, NDArray[np.float64]]
    """Per object (shape (n,)): see :func:`basewatch.detect.components.bright_objects`, plus
    ``fill`` (area over moment box), ``water_ring`` (open-water fraction of the ring
    around it, :func:`water_ring`) and ``confidence`` (0..1)."""
    is_vessel: NDArray[np.bool_]
    """Objects that pass the vessel size test, shape (n,)."""
    detectable: NDArray[np.bool_]
    """Objects long enough to be resolved by the sensor, shape (n,): a vessel shorter
    than that is still reported, flagged not detectable (its size is a guess)."""
    k: float
    params: dict[str, Any]

    @property
    def n(self) -> int:
        """Number of vessels (objects that pass the vessel test).

        Returns
        -------
        int
        """
        return int(self.is_vessel.sum())

    def vessel_labels(self) -> NDArray[np.int32]:
        """Label image restricted to vessels (ids kept).

        Returns
        -------
        ndarray, shape (rows, cols), int32
            ``0`` background and objects that are not vessels, else the object's label.
        """
        keep = np.concatenate([[False], self.is_vessel])
        return np.where(keep[self.labels], self.labels, 0).astype(np.int32)


def minimum_vessel_length_m(
    pixel_size_m: float, *, factor: float = 2.0, sensor: str | None = None
) -> float:
    """Shortest vessel resolvable (see :func:`basewatch.sensors.minimum_detectable_m`).

    Parameters
    ----------
    pixel_size_m : float
        Ground pixel side in metres.
    factor : float
        Pixels an object must span to be resolved.
    sensor : str, optional
        Sensor name, for sensors whose resolution is coarser than their pixels.

    Returns
    -------
    float
        Length in metres.
    """
    return minimum_detectable_m(pixel_size_m, factor=factor, sensor=sensor)


def _px(metres: float, pixel_size_m: tuple[float, float]) -> int:
    """``metres`` in whole pixels of the geometric-mean pixel side, at least 1."""
    return max(1, round(metres / float(np.sqrt(pixel_size_m[0] * pixel_size_m[1]))))


def _classify(
    feats: dict[str, NDArray[np.float64]],
    params: VesselParams,
    pixel_size_m: tuple[float, float],
    sensor: str | None = None,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Vessel test (size, peak score, fill, water ring) and detectability, shape (n,) each."""
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
    if params.min_fill > 0:
        ok &= feats["fill"] >= params.min_fill
    if params.min_water_ring > 0:
        ok &= feats["water_ring"] >= params.min_water_ring
    return ok, detectable


def box_fill(
    feats: Mapping[str, NDArray[np.float64]], pixel_size_m: tuple[float, float]
) -> NDArray[np.float64]:
    """Area over length x width (moment extents) of each object.

    A straight body fills its moment box: a rectangle gives 1.0, an ellipse
    ``pi / 3`` (1.05), a tapering triangle (a hull with its wake) 0.87. A strip that
    bends or branches (a stretch of coastline, a curved breakwater, an L of quay and
    ship) spreads its second moments over a box it does not fill: 0.3 to 0.5.

    Parameters
    ----------
    feats : mapping of name to ndarray, each shape (n,)
        ``area_px``, ``length_m`` and ``width_m`` (:func:`~basewatch.detect.components.
        component_features`).
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.

    Returns
    -------
    ndarray, shape (n,), float64
        1 where the box is empty (a zero-width object).
    """
    box = feats["length_m"] * feats["width_m"]
    area = feats["area_px"] * (pixel_size_m[0] * pixel_size_m[1])
    with np.errstate(invalid="ignore", divide="ignore"):
        fill = np.where(box > 0, area / box, 1.0)
    return np.asarray(fill, dtype=np.float64)


def water_ring(
    labels: NDArray[np.integer[Any]],
    n: int,
    water: NDArray[np.bool_],
    *,
    inner_px: int,
    outer_px: int,
) -> NDArray[np.float64]:
    """Fraction of water in a ring around each object (vectorised, no loop over objects).

    The ring of an object is the pixels within ``outer_px`` (chessboard distance) of
    it and farther than ``inner_px`` from every object; where rings overlap, a pixel
    goes to the higher label. A ship at anchor has a ring of water (1.0); one moored
    alongside a quay about half (the quay and the land behind it fill the rest); an
    object on land, a roof or a pier head among buildings, has little or none.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` objects.
    n : int
        Number of objects.
    water : ndarray, shape (rows, cols), bool
    inner_px, outer_px : int
        Ring radii in pixels, ``0 <= inner_px < outer_px``.

    Returns
    -------
    ndarray, shape (n,), float64
        Water fraction of each ring; 0 where an object has no ring pixel.
    """
    if water.shape != labels.shape:
        raise InputError(f"labels {labels.shape} and water {water.shape} must have the same shape")
    if not 0 <= inner_px < outer_px:
        raise InputError(f"need 0 <= inner_px < outer_px, got {inner_px}, {outer_px}")
    frac = ring_mean(
        np.asarray(labels, dtype=np.int32),
        n,
        water,  # a mask averages to the fraction of the ring in it
        inner_px=inner_px,
        outer_px=outer_px,
    )
    return np.asarray(np.nan_to_num(frac, nan=0.0), dtype=np.float64)


def _confidence(
    feats: dict[str, NDArray[np.float64]], k: float, *, ring_confidence: float = 0.0
) -> NDArray[np.float64]:
    """Confidence of each object (:mod:`basewatch.detect.confidence`), shape (n,).

    How far the object's peak stands above the CFAR threshold (in background standard
    deviations, scale :data:`~basewatch.detect.confidence.VESSEL_MARGIN_SCALE`), times
    the size factor, times ``min(1, water_ring / ring_confidence)`` when
    ``ring_confidence > 0``: an object with less water around it than a ship moored
    alongside a quay may be the quay.
    """
    if not feats:
        return np.zeros(0)
    factor = None
    if ring_confidence > 0 and "water_ring" in feats:
        factor = np.minimum(1.0, feats["water_ring"] / ring_confidence)
    return confidence(
        feats["max_score"] - k, feats["area_px"], scale=VESSEL_MARGIN_SCALE, factor=factor
    )


def water_bodies(water: NDArray[np.bool_], *, min_px: int) -> NDArray[np.bool_]:
    """``water`` without its connected pieces (8-connected) of under ``min_px`` pixels.

    NDWI marks as water some pixels that are not: building shadows, dark roofs, pools.
    They are small and apart from the sea, whose harbour basins are joined to it.

    Parameters
    ----------
    water : ndarray, shape (rows, cols), bool
    min_px : int
        Smallest piece kept (pixels); 1 or less keeps all.

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    if min_px <= 1:
        return water.copy()
    lab, n = _kernels.label_components(water, eight=True)
    if n == 0:
        return water.copy()
    # sizes and the kept-piece lookup in parallel passes, without intp copies of the
    # labels (what np.bincount(lab.ravel()) and keep[lab] would make)
    keep = _kernels.label_sizes(lab, n) >= min_px
    keep[0] = False
    return np.asarray(_kernels.label_lookup(lab, keep), dtype=bool)


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
    water = water_mask(green, nir, threshold=params.ndwi_threshold, valid=valid)
    n = np.asarray(nir, dtype=np.float32)
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
    open_water: NDArray[np.bool_] | None = None,
) -> Vessels:
    """Bright objects over ``background`` inside ``search``, classed and scored; the
    water ring counts ``open_water`` (default ``background``)."""
    found = bright_objects(
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
    labels, feats, k = found.labels, found.features, found.k
    if feats:
        inner = _px(params.ring_inner_m, pixel_size_m) if params.ring_inner_m > 0 else 0
        feats["fill"] = box_fill(feats, pixel_size_m)
        feats["water_ring"] = water_ring(
            labels,
            len(feats["area_px"]),
            background if open_water is None else open_water,
            inner_px=inner,
            outer_px=max(inner + 1, _px(params.ring_outer_m, pixel_size_m)),
        )
    if sensor == "sar":
        is_vessel, detectable = _classify(feats, params, pixel_size_m, "S1")
    else:
        is_vessel, detectable = _classify(feats, params, pixel_size_m)
    if feats:
        feats["confidence"] = _confidence(feats, k, ring_confidence=params.ring_confidence)
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
    the land); statistics come from the water only. The water-ring test counts only
    the water bodies of at least ``params.min_water_body_m2`` (:func:`water_bodies`),
    so that an object among shadows that NDWI calls water is not taken for a ship.
    Every size is in metres, so the same call works on 3 m and 10 m grids.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        Where ships are bright: NIR, or a colour distance from water.
    water : ndarray, shape (rows, cols), bool
    pixel_size_m : (float, float)
    params : VesselParams
    valid : ndarray, shape (rows, cols), bool, optional

    Returns
    -------
    Vessels
    """
    img = np.asarray(image, dtype=np.float32)
    if water.shape != img.shape:
        raise InputError(f"image {img.shape} and water {water.shape} must have the same shape")
    max_hole = int(params.max_vessel_area_m2 / (pixel_size_m[0] * pixel_size_m[1]))
    search = fill_small_holes(water, max_hole_px=max_hole)
    grow = _px(params.search_dilation_m, pixel_size_m) if params.search_dilation_m > 0 else 0
    if grow:
        search = _kernels.dilate_cross(search, grow)
    if valid is not None:
        search &= valid
    open_water = None
    if params.min_water_body_m2 > 0:
        min_px = int(params.min_water_body_m2 / (pixel_size_m[0] * pixel_size_m[1]))
        open_water = water_bodies(water, min_px=min_px)
    return _vessels(img, water, search, params, pixel_size_m, sensor="any", open_water=open_water)


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
    found_ids: tuple[int, ...] = ()
    """The found labels' values, in increasing order."""

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
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
    tolerance_px : int
        Growth of the truth objects (pixels, chessboard) before overlap is tested.

    Returns
    -------
    LabelMatch
        Counts, precision and recall (1 where there is nothing to count).
    """
    if detected.shape != truth.shape:
        raise InputError(
            f"detected {detected.shape} and truth {truth.shape} must have the same shape"
        )
    grown = grow_labels(truth, tolerance_px)
    det_ids = np.unique(detected[detected > 0])
    gt_ids = np.unique(truth[truth > 0])
    both = (detected > 0) & (grown > 0)
    tp = np.unique(detected[both])
    found = np.intersect1d(np.unique(grown[both]), gt_ids)
    nd, ng = int(det_ids.size), int(gt_ids.size)
    return LabelMatch(
        detections=nd,
        labels=ng,
        true_positives=int(tp.size),
        found=int(found.size),
        precision=float(tp.size / nd) if nd else 1.0,
        recall=float(found.size / ng) if ng else 1.0,
        found_ids=tuple(int(i) for i in found),
    )


def grow_labels(truth: NDArray[np.integer[Any]], tolerance_px: int) -> NDArray[np.integer[Any]]:
    """Labelled objects grown by ``tolerance_px`` pixels (chessboard; where two grow
    into one pixel, the larger label), each keeping its own pixels: the label rule of
    :func:`match_labels`.

    Parameters
    ----------
    truth : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` objects.
    tolerance_px : int

    Returns
    -------
    ndarray, shape (rows, cols), int
    """
    if not tolerance_px:
        return truth
    grown = ndimage.grey_dilation(truth, size=(2 * tolerance_px + 1,) * 2)
    return np.where(truth > 0, truth, grown)


def sar_params(**overrides: Any) -> VesselParams:
    """Vessel parameters for Sentinel-1 IW GRD (dB, ~20 m resolution on 10 m pixels).

    Ships are point-like and very bright (often saturated) against sea clutter; the
    CFAR windows are wider than for optical, and no NDWI or hole filling applies.

    Parameters
    ----------
    **overrides
        Fields of :class:`VesselParams` to set instead of the SAR defaults.

    Returns
    -------
    VesselParams
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
        min_water_body_m2=0.0,
        min_water_ring=0.0,
        min_fill=0.0,
        ring_confidence=0.0,
    )
    return VesselParams(**{**base.as_dict(), **overrides})


def vessel_observations(
    db: NDArray[Any],
    *,
    grid: Grid,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    scene: str,
    date: dt.date | None,
    valid: NDArray[np.bool_] | None = None,
    params: VesselParams | None = None,
) -> list[Observation]:
    """CFAR vessels of one SAR date inside the site's water zones, as observations.

    Parameters
    ----------
    db : ndarray, shape (rows, cols)
        Backscatter in dB on ``grid`` (NaN invalid).
    grid, zone_idx, zones
        As for :func:`basewatch.detect.changed.extract_detections`.
    scene, date
        Where the vessels were seen.
    valid : ndarray, shape (rows, cols), bool, optional
    params : VesselParams, optional
        Default :func:`sar_params`.

    Returns
    -------
    list of Observation
        One per vessel, with its zone (the zone under its centre).
    """
    params = params or sar_params()
    water = zone_kind_mask(zone_idx, zones, WATER_ZONES)
    if valid is not None:
        water &= valid
    res = detect_vessels_sar(
        np.where(water, db, np.nan), pixel_size_m=grid.pixel_size_m, params=params
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
    return observations(
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
    """Vessel events between two SAR dates: :func:`vessel_observations` of each date,
    matched into appeared / disappeared / persisted / moved.

    Parameters
    ----------
    before_db, after_db : ndarray, shape (rows, cols)
        Backscatter in dB on ``grid``.
    grid, zone_idx, zones, site, before, after
        As for :func:`basewatch.detect.changed.extract_detections`.
    valid : ndarray, shape (rows, cols), bool, optional
    params : VesselParams, optional
        Default :func:`sar_params`.
    match : MatchParams, optional

    Returns
    -------
    list of Detection
    """
    obs = [
        vessel_observations(
            img,
            grid=grid,
            zone_idx=zone_idx,
            zones=zones,
            scene=scene,
            date=date,
            valid=valid,
            params=params,
        )
        for img, (scene, date) in ((before_db, before), (after_db, after))
    ]
    resolved = [resolved_objects(o) for o in obs]
    events = match_objects(resolved[0], resolved[1], params=match or MatchParams())
    return events_to_detections(events, site=site, grid=grid, before=before, after=after)


def resolved_objects(objs: Sequence[Observation]) -> list[Observation]:
    """The objects at least the size the sensor resolves (``detectable``): those that
    radar events and counts are made of. A smaller one seen on one date and not on the
    other says nothing about whether it came or went."""
    return [o for o in objs if o.detectable]


@dataclass(frozen=True, eq=False)
class ClassifiedVessels:
    """Vessels of one Sentinel-2 image: candidates scored by the trained classifier."""

    labels: NDArray[np.int32]
    """Shape (rows, cols): ``0`` background, ``1..n`` every candidate."""
    features: dict[str, NDArray[np.float64]]
    """Per candidate, shape (n,): as :class:`~basewatch.detect.candidates.Candidates`, plus
    ``score`` (the classifier's, 0..1) and ``confidence`` (0..1: the score rescaled so
    that the decision threshold is 0.5)."""
    is_vessel: NDArray[np.bool_]
    """Shape (n,): candidates scoring at or above the classifier's threshold."""
    detectable: NDArray[np.bool_]
    """Shape (n,): candidates long enough for the sensor to resolve."""
    params: dict[str, Any]
    """Candidate and water parameters, model version and threshold."""

    @property
    def n(self) -> int:
        """Number of vessels.

        Returns
        -------
        int
        """
        return int(self.is_vessel.sum())

    def vessel_labels(self) -> NDArray[np.int32]:
        """Label image restricted to vessels (ids kept).

        Returns
        -------
        ndarray, shape (rows, cols), int32
        """
        keep = np.concatenate([[False], self.is_vessel])
        return np.where(keep[self.labels], self.labels, 0).astype(np.int32)


def detect_vessels_s2(
    bands: NDArray[Any],
    *,
    pixel_size_m: tuple[float, float],
    valid: NDArray[np.bool_] | None = None,
    classifier: VesselClassifier | None = None,
    threshold: float | None = None,
) -> ClassifiedVessels:
    """Vessels in one Sentinel-2 image: candidates, then the trained classifier.

    Candidates are every NIR-bright object in or against the water
    (:func:`basewatch.detect.candidates.vessel_candidates`); the shipped classifier
    (:func:`basewatch.detect.classify.load_classifier`) scores each from unit-free
    features (shape, contrast to the water around it in each band, MNDWI and NDWI,
    open water around it, distance to land). Its leave-one-port-out scores are in
    ``basewatch/detect/models/MODEL_CARD.md``.

    Parameters
    ----------
    bands : ndarray, shape (5, rows, cols) or (4, rows, cols)
        B02, B03, B04, B08, B11 (B11 resampled to 10 m), one scale for all bands; or the
        four 10 m bands alone, searched by the model trained without B11 (it scores
        lower: ``models/MODEL_CARD.md``).
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.
    valid : ndarray, shape (rows, cols), bool, optional
        Usable pixels.
    classifier : VesselClassifier, optional
        Default the shipped model for these bands; one trained on other bands is
        refused.
    threshold : float, optional
        Score at or above which a candidate is a vessel; default the model's own.

    Returns
    -------
    ClassifiedVessels
    """
    from basewatch.detect.candidates import BANDS, vessel_candidates
    from basewatch.detect.classify import load_classifier

    names = BANDS[: np.shape(bands)[0]] if np.ndim(bands) == 3 else BANDS
    model = classifier or load_classifier(bands=names)
    if len(model.bands) != np.shape(bands)[0]:
        raise InputError(
            f"the vessel model {model.version} was trained on {', '.join(model.bands)}; "
            f"the image holds {np.shape(bands)[0]} bands: give those bands, or its own model"
        )
    cut = model.threshold if threshold is None else float(threshold)
    if not 0.0 < cut < 1.0:
        raise InputError(f"threshold must lie between 0 and 1, got {cut}")
    cand = vessel_candidates(bands, pixel_size_m=pixel_size_m, valid=valid)
    feats = dict(cand.features)
    score = model.score(cand.matrix()) if cand.n else np.zeros(0)
    feats["score"] = score
    # piecewise linear: 0 -> 0, threshold -> 0.5, 1 -> 1
    feats["confidence"] = np.where(
        score < cut, 0.5 * score / cut, 0.5 + 0.5 * (score - cut) / (1.0 - cut)
    )
    px = float(np.sqrt(pixel_size_m[0] * pixel_size_m[1]))
    length = feats.get("length_m", np.zeros(0))
    return ClassifiedVessels(
        labels=cand.labels,
        features=feats,
        is_vessel=np.asarray(score >= cut, dtype=bool),
        detectable=np.asarray(length >= minimum_vessel_length_m(px), dtype=bool),
        params={
            **cand.params,
            "model_version": model.version,
            "threshold": cut,
            "sensor": "optical-s2",
        },
    )
