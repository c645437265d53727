"""Objects seen on one date: bright objects on aprons and hulls at berths.

Pure code (numpy and scipy.ndimage, no I/O).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.aoi import AIRCRAFT_ZONES, BERTH_ZONES, WATER_ZONES, Zone
from basewatch.detect import _kernels
from basewatch.detect.change import robust_sigma
from basewatch.detect.classify import BANDS_10M, VesselClassifier
from basewatch.detect.components import (
    ObjectCandidates,
    ObjectParams,
    _component_features,
    bright_objects,
    fill_small_holes,
    gather,
    local_contrasts,
    majority_zone,
    mean_by_label,
    water_mask,
    zone_kind_mask,
)
from basewatch.detect.confidence import AIRCRAFT_MARGIN_SCALE, BERTH_MARGIN_SCALE, confidence
from basewatch.detect.events import Observation, observations
from basewatch.detect.vessels import VesselParams, detect_vessels_on_water, detect_vessels_s2
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.records import ObjectClass
from basewatch.sensors import minimum_detectable_m

# --------------------------------------------------------------------------- objects per date


#: Floor (reflectance) on a berth's hull level above its water median, the unit of a
#: hull's confidence margin (a flat berth would otherwise divide by 0).
_MIN_LEVEL_HEIGHT = 1e-6


def berth_hulls(
    nir: NDArray[np.floating[Any]],
    *,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    valid: NDArray[np.bool_],
    pixel_size_m: tuple[float, float],
    min_length_m: float,
    params: ObjectParams = ObjectParams(),
    exclude: NDArray[np.bool_] | None = None,
    water_levels: Mapping[int, tuple[float, float]] | None = None,
) -> ObjectCandidates:
    """Hulls moored in berth zones: elongated objects brighter than the berth's water
    in the NIR.

    A ship moored hard against a quay is no hole in the water mask, and its hull may
    be water by NDWI (red or dark paint), so the hole test of the vessel detector
    misses it. Berth zones are traced on the water, ending at the quay face, so any
    clearly NIR-bright object inside one is something afloat or built out from the
    quay. For each berth zone the water level is the median ``m`` of the zone's valid
    NIR pixels (hulls are a minority of its pixels) and its spread ``s`` their robust
    standard deviation (:func:`~basewatch.detect.change.robust_sigma`, 1.4826 MAD); a
    pixel is hull when its NIR exceeds both
    ``m + params.berth_hull_k * s`` and ``params.berth_hull_min_ratio * m``. Hull pixels
    are joined into 8-connected components.

    Parameters
    ----------
    nir : ndarray, shape (rows, cols)
        Near-infrared reflectance (Sentinel-2 B08); NaN invalid.
    zone_idx : ndarray, shape (rows, cols), int
        Zone of each pixel (``-1`` none), as :func:`basewatch.aoi.zone_index`.
    zones : sequence of Zone
        The zones ``zone_idx`` refers to; those of a kind in :data:`basewatch.aoi.BERTH_ZONES` are
        searched.
    valid : ndarray, shape (rows, cols), bool
        Usable pixels.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.
    min_length_m : float
        Shortest object kept (the detectable length); ``params.vessel.min_length_m``
        applies as well.
    params : ObjectParams
        ``berth_hull_k``, ``berth_hull_min_ratio``, ``berth_min_elongation``,
        ``min_pixels`` and the ``vessel`` size range.
    exclude : ndarray, shape (rows, cols), bool, optional
        Pixels of objects already found (free vessels): components touching them are
        not kept, so one ship is not counted twice.
    water_levels : mapping of int to (float, float), optional
        The median and spread of each berth zone's water (by zone index), instead of
        measuring them on these pixels (a chunk of a tile takes the whole tile's,
        :func:`berth_water_levels`).

    Returns
    -------
    ObjectCandidates
        ``labels`` (rows, cols) int32: ``0`` background, ``1..n`` the hull components;
        ``features`` (each shape (n,)): as :func:`component_features`, plus
        ``mean_nir``, ``water_level`` and ``water_median`` (of the component's zone) and
        ``confidence`` (margin over the level in units of the level's height above the
        water, scale :data:`~basewatch.detect.confidence.BERTH_MARGIN_SCALE`); ``keep``
        (n,) bool: components that are moored-vessel observations (size, shape, not
        excluded).
    """
    img = np.asarray(nir)  # read as float64 where compared or averaged, not copied
    if img.shape != zone_idx.shape or valid.shape != img.shape:
        raise InputError(
            f"nir {img.shape}, zone_idx {zone_idx.shape} and valid {valid.shape} "
            "must have the same shape"
        )
    if not any(zone.kind in BERTH_ZONES for zone in zones):
        # no berth: no hull (what the search below finds, without its full-size arrays)
        return ObjectCandidates(np.zeros(img.shape, np.int32), {}, np.zeros(0, dtype=bool))
    ok = valid & np.isfinite(img)
    # per zone (the last entry: outside every zone), the hull level and water median
    level = np.full(len(zones) + 1, np.inf)
    median = np.full(len(zones) + 1, np.nan)
    hull = np.zeros(img.shape, dtype=bool)
    for i, zone in enumerate(zones):
        if zone.kind not in BERTH_ZONES:
            continue
        inside = (zone_idx == i) & ok
        if not inside.any():
            continue
        if water_levels is None:
            m, spread = berth_water_level(img[inside])
        else:
            m, spread = water_levels[i]
        level[i] = max(m + params.berth_hull_k * spread, params.berth_hull_min_ratio * m)
        median[i] = m
        # compared in float64 (a float64 scalar), as the level was computed
        hull |= inside & (img > np.float64(level[i]))
    labels, n = _kernels.label_components(hull, eight=True)
    if n == 0:
        return ObjectCandidates(labels.astype(np.int32), {}, np.zeros(0, dtype=bool))
    feats, lm = _component_features(labels, n, pixel_size_m=pixel_size_m, values={"nir": img})
    # every hull pixel has its zone's level and median: their means per component
    zone_at = gather(zone_idx, lm.flat_index)
    feats["water_level"] = mean_by_label(lm, level[zone_at], n, feats["area_px"])
    feats["water_median"] = mean_by_label(lm, np.nan_to_num(median)[zone_at], n, feats["area_px"])
    r = params.vessel
    length, width = feats["length_m"], feats["width_m"]
    keep = (
        (feats["area_px"] >= params.min_pixels)
        & (length >= max(r.min_length_m, min_length_m))
        & (length <= r.max_length_m)
        & (width <= r.max_width_m)
        & (length >= params.berth_min_elongation * width)
    )
    if exclude is not None:
        near = ndimage.binary_dilation(exclude, np.ones((3, 3), bool))
        keep &= ~_kernels.labels_touched(labels, near, n)[1:]
    # margin over the level in units of the level's height above the water
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = (feats["mean_nir"] - feats["water_level"]) / np.maximum(
            feats["water_level"] - feats["water_median"], _MIN_LEVEL_HEIGHT
        )
    feats["confidence"] = confidence(margin, feats["area_px"], scale=BERTH_MARGIN_SCALE)
    return ObjectCandidates(labels.astype(np.int32), feats, keep)


def berth_water_level(nir: NDArray[np.floating[Any]]) -> tuple[float, float]:
    """Median and spread (:func:`~basewatch.detect.change.robust_sigma`) of a berth
    zone's water, from the NIR of its valid pixels (:func:`berth_hulls`).

    Parameters
    ----------
    nir : ndarray, shape (m,)
        The zone's valid, finite NIR values, in raster order (at least one).

    Returns
    -------
    (float, float)
    """
    v = np.asarray(nir, dtype=np.float64)
    return float(np.median(v)), robust_sigma(v)


def date_observations(
    brightness: NDArray[np.floating[Any]],
    *,
    green: NDArray[np.floating[Any]] | None,
    nir: NDArray[np.floating[Any]] | None,
    grid: Grid,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    valid: NDArray[np.bool_],
    scene: str,
    date: dt.date | None,
    params: ObjectParams = ObjectParams(),
    water_levels: Mapping[int, tuple[float, float]] | None = None,
    vessel_bands: NDArray[np.floating[Any]] | None = None,
    classifier: VesselClassifier | None = None,
) -> list[Observation]:
    """Aircraft and vessels visible on one optical date, inside the site's zones.

    Aircraft: bright objects (:func:`bright_objects` on ``brightness``, background and
    search the valid pixels of aircraft zones) of the aircraft size range, at least the
    detectable length, brighter than their ring by ``params.min_local_contrast`` and by
    ``params.aircraft_min_band_contrast`` in each of ``brightness``, ``green`` and
    ``nir`` (those given). The band test is what separates an airliner from the 1-3
    pixel vehicles and roofs of a car park or a moving vehicle (whose bands do not
    overlap) at 10 m; it assumes calibrated reflectance, white or light-grey paint and
    a concrete apron, and it loses aircraft that are darker or only as bright as the
    pavement in one band (grey camouflage, or a vegetated background in the NIR).
    Vessels, given ``vessel_bands`` (the five bands with B11): the trained classifier
    over the valid pixels, kept where their majority zone is a water zone
    (:func:`classified_vessel_candidates`). Otherwise:
    :func:`basewatch.detect.vessels.detect_vessels_optical` on ``green``/``nir``
    restricted to water zones (skipped when either band is missing), with default
    :class:`~basewatch.detect.vessels.VesselParams`, kept when at least
    ``params.min_hull_when_present`` of the object is a hull: not water by NDWI, and in
    a vessel-sized hole of the water mask. This rejects mixed shore pixels and quays,
    but also misses a ship moored hard against a quay (it is no hole), so in berth zones
    (``params.berth_hulls``) elongated vessel-sized objects brighter than the berth's
    water in the NIR are vessels too (:func:`berth_hulls`; those touching a vessel
    already found are not counted twice). Moored ships in other water zones (harbour)
    are still missed; the change path reports them when they come or go.

    Parameters
    ----------
    brightness : ndarray, shape (rows, cols)
        Mean of the bands (NaN invalid).
    green, nir : ndarray, shape (rows, cols), optional
        Sentinel-2 B03 and B08 (or equivalent).
    grid, zone_idx, zones
        As for :func:`extract_detections`.
    valid : ndarray, shape (rows, cols), bool
    scene, date
        Where the objects were seen.
    params : ObjectParams
    water_levels : mapping, optional
        Berth zones' water levels (:func:`berth_hulls`).
    vessel_bands : ndarray, shape (5, rows, cols), optional
        B02, B03, B04, B08 and B11 on this grid: the vessels are then the classifier's.
    classifier : VesselClassifier, optional
        With ``vessel_bands``: default the shipped model.

    Returns
    -------
    list of Observation
        Only detectable objects whose majority zone is of the right kind: the aircraft,
        the free vessels, then the moored hulls (:func:`date_observation_parts`), each
        in the raster order of their first pixel.

    Notes
    -----
    The steps: :func:`aircraft_candidates`, :func:`free_vessel_candidates`,
    :func:`berth_hulls`, each kept where its majority zone is of its kinds.
    """
    parts = date_observation_parts(
        brightness,
        green=green,
        nir=nir,
        grid=grid,
        zone_idx=zone_idx,
        zones=zones,
        valid=valid,
        scene=scene,
        date=date,
        params=params,
        water_levels=water_levels,
        vessel_bands=vessel_bands,
        classifier=classifier,
    )
    return [o for part in parts for o in part]


def date_observation_parts(
    brightness: NDArray[np.floating[Any]] | Callable[[], NDArray[np.floating[Any]]],
    *,
    green: NDArray[np.floating[Any]] | None,
    nir: NDArray[np.floating[Any]] | None,
    grid: Grid,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    valid: NDArray[np.bool_],
    scene: str,
    date: dt.date | None,
    params: ObjectParams = ObjectParams(),
    water_levels: Mapping[int, tuple[float, float]] | None = None,
    vessel_bands: NDArray[np.floating[Any]] | None = None,
    classifier: VesselClassifier | None = None,
) -> tuple[list[Observation], list[Observation], list[Observation]]:
    """:func:`date_observations` kept apart by how each object was found.

    Parameters
    ----------
    brightness : ndarray, shape (rows, cols), or callable
        As :func:`date_observations`, or a function of no arguments that makes it: then
        it is made only where aircraft zones are searched, and let go before the vessel
        search starts (a tile's date holds one image-sized array fewer at its peak).
    green, nir, grid, zone_idx, zones, valid, scene, date, params, water_levels
        As :func:`date_observations`.
    vessel_bands : ndarray, shape (5, rows, cols), optional
        B02, B03, B04, B08 and B11 (:data:`basewatch.detect.candidates.BANDS`, B11 on
        the same grid): the free vessels are then the trained classifier's
        (:func:`classified_vessel_candidates`) instead of the rule-based detector's.
    classifier : VesselClassifier, optional
        With ``vessel_bands``: default the shipped model.

    Returns
    -------
    aircraft, free_vessels, moored_hulls : list of Observation
        Each in the raster order of the objects' first pixels (labelling order), which
        a tile cut into row strips keeps by putting the strips' lists end to end.
    """
    px = float(np.sqrt(grid.pixel_area_m2))
    min_detect = minimum_detectable_m(px, factor=params.detectable_factor)

    out: tuple[list[Observation], list[Observation], list[Observation]] = ([], [], [])

    def observe(
        found: ObjectCandidates, cls: ObjectClass, kinds: frozenset[str], part: int
    ) -> None:
        out[part].extend(
            _zone_observations(
                found, cls, kinds, zone_idx=zone_idx, zones=zones, grid=grid, scene=scene, date=date
            )
        )

    air = zone_kind_mask(zone_idx, zones, AIRCRAFT_ZONES) & valid
    if air.any():
        image = brightness() if callable(brightness) else brightness
        planes = aircraft_candidates(
            image,
            bands=[b for b in (green, nir) if b is not None],
            search=air,
            pixel_size_m=grid.pixel_size_m,
            pixel_m=px,
            min_length_m=min_detect,
            params=params,
        )
        observe(planes, ObjectClass.AIRCRAFT, AIRCRAFT_ZONES, 0)
        # each search's image-sized arrays (labels, masks; the brightness when made
        # here) go before the next begins: they, not the objects, set the peak memory
        # of a tile-sized date
        del planes, image
    del air, brightness
    water = zone_kind_mask(zone_idx, zones, WATER_ZONES) & valid
    if water.any() and green is not None and nir is not None:
        if vessel_bands is not None:
            # the whole of valid is searched, as the classifier was trained on whole port
            # images; observe keeps the vessels whose majority zone is a water zone
            free = classified_vessel_candidates(
                vessel_bands, valid=valid, grid=grid, params=params, classifier=classifier
            )
            if len(vessel_bands) == len(BANDS_10M):
                # without B11 (vessel_detector chose it: params.vessels_without_b11 is
                # "union"): the rule's vessels that share no pixel with the model's join them
                rule = free_vessel_candidates(green, nir, water=water, grid=grid, params=params)
                free = union_vessel_candidates(free, rule)
                del rule
            del water
        else:
            free = free_vessel_candidates(green, nir, water=water, grid=grid, params=params)
            del water
        observe(free, ObjectClass.VESSEL, WATER_ZONES, 1)
        if params.berth_hulls and any(zone.kind in BERTH_ZONES for zone in zones):
            vessel_pixels = _kernels.label_lookup(free.labels, np.concatenate([[False], free.keep]))
            del free
            hulls = berth_hulls(
                nir,
                zone_idx=zone_idx,
                zones=zones,
                valid=valid,
                pixel_size_m=grid.pixel_size_m,
                min_length_m=min_detect,
                params=params,
                exclude=vessel_pixels,
                water_levels=water_levels,
            )
            observe(hulls, ObjectClass.VESSEL, BERTH_ZONES, 2)
    return out


def _metres_to_px(metres: float, pixel_m: float) -> int:
    """``metres`` in whole pixels of side ``pixel_m``, at least 1."""
    return max(1, round(metres / pixel_m))


def aircraft_candidates(
    brightness: NDArray[np.floating[Any]],
    *,
    bands: Sequence[NDArray[np.floating[Any]]],
    search: NDArray[np.bool_],
    pixel_size_m: tuple[float, float],
    pixel_m: float,
    min_length_m: float,
    params: ObjectParams = ObjectParams(),
) -> ObjectCandidates:
    """Bright objects in aircraft zones and which of them are aircraft (one date).

    Bright objects come from :func:`~basewatch.detect.components.bright_objects` on
    ``brightness`` (background and search ``search``; guard, window, false-alarm rate,
    hysteresis and the background statistic from ``params.aircraft_*``). An aircraft
    is of the aircraft size range and at least ``min_length_m`` long, brighter than its
    ring by ``params.min_local_contrast`` and by ``params.aircraft_min_band_contrast``
    in ``brightness`` and each of ``bands``.

    Parameters
    ----------
    brightness : ndarray, shape (rows, cols)
        Mean of the bands (NaN invalid).
    bands : sequence of ndarray, each shape (rows, cols)
        Further bands of the band-contrast test (green, NIR), possibly none.
    search : ndarray, shape (rows, cols), bool
        Valid pixels of the aircraft zones.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.
    pixel_m : float
        Side of a square pixel of the same area: converts the CFAR windows to pixels.
    min_length_m : float
        Detectable length.
    params : ObjectParams

    Returns
    -------
    ObjectCandidates
        ``features`` as :class:`~basewatch.detect.components.BrightObjects`, plus
        ``band_contrast`` (weakest band) and ``confidence`` (CFAR peak over the
        threshold, scale :data:`~basewatch.detect.confidence.AIRCRAFT_MARGIN_SCALE`).
    """
    found = bright_objects(
        brightness,
        background=search,
        pixel_size_m=pixel_size_m,
        guard=_metres_to_px(params.aircraft_guard_m, pixel_m),
        window=_metres_to_px(params.aircraft_window_m, pixel_m),
        pfa=params.aircraft_pfa,
        k_low=params.aircraft_k_low,
        min_pixels=params.min_pixels,
        statistic=params.aircraft_background,
    )
    labels, feats = found.labels, found.features
    if not feats:
        return ObjectCandidates(labels, feats, np.zeros(0, dtype=bool))
    r = params.aircraft
    length, width = feats["length_m"], feats["width_m"]
    # brightness and each band over one ring: the first is the contrast, the least the
    # weakest band's (weakest_band_contrast)
    per_band = local_contrasts(labels, len(length), [brightness, *bands])
    contrast = per_band[0]
    weakest = np.asarray(np.stack(per_band).min(axis=0), dtype=np.float64)
    feats["band_contrast"] = weakest
    keep = (
        (length >= max(r.min_length_m, min_length_m))
        & (length <= r.max_length_m)
        & (width <= r.max_width_m)
        & (contrast >= params.min_local_contrast)
        & (weakest >= params.aircraft_min_band_contrast)
    )
    feats["confidence"] = confidence(
        feats["max_score"] - found.k, feats["area_px"], scale=AIRCRAFT_MARGIN_SCALE
    )
    return ObjectCandidates(labels, feats, np.asarray(keep, dtype=bool))


def free_vessel_candidates(
    green: NDArray[np.floating[Any]],
    nir: NDArray[np.floating[Any]],
    *,
    water: NDArray[np.bool_],
    grid: Grid,
    params: ObjectParams = ObjectParams(),
) -> ObjectCandidates:
    """Vessels afloat in water zones on one optical date, with hulls.

    :func:`~basewatch.detect.vessels.detect_vessels_optical` with the default
    :class:`~basewatch.detect.vessels.VesselParams` inside ``water``; an object is kept
    when it is a detectable vessel at most ``params.vessel.max_length_m`` long and at
    least ``params.min_hull_when_present`` of it is hull: not water by NDWI, and in a
    vessel-sized hole of the water mask (mixed shore pixels, water by NDWI, and quays,
    piers or breakwaters, land joined to the shore, are not vessels).

    Parameters
    ----------
    green, nir : ndarray, shape (rows, cols)
        Sentinel-2 B03 and B08 (or equivalent); NaN invalid.
    water : ndarray, shape (rows, cols), bool
        Valid pixels of the water zones.
    grid : Grid
    params : ObjectParams

    Returns
    -------
    ObjectCandidates
        As :class:`~basewatch.detect.vessels.Vessels` (features with ``confidence``);
        ``keep`` the vessels.
    """
    vparams = VesselParams()
    # detect_vessels_optical(green, nir, valid=water), with the NDWI water mask made
    # once for it and for the hull test
    wet = water_mask(green, nir, threshold=vparams.ndwi_threshold)
    res = detect_vessels_on_water(
        np.asarray(nir, dtype=np.float32),
        water=wet & water,
        pixel_size_m=grid.pixel_size_m,
        params=vparams,
        valid=water,
    )
    res.params["sensor"] = "optical"
    if not res.features:
        return ObjectCandidates(res.labels, res.features, np.zeros(0, dtype=bool))
    max_hole = int(vparams.max_vessel_area_m2 / grid.pixel_area_m2)
    n_obj = len(res.is_vessel)
    # hull pixels: in a small hole of the water mask (filled, and not water), read at
    # the objects' pixels only
    at, lab = _kernels.labelled_pixels(res.labels)
    hull = fill_small_holes(wet, max_hole_px=max_hole).ravel()[at] & ~wet.ravel()[at]
    area = np.maximum(np.bincount(lab, minlength=n_obj + 1)[1:], 1)
    hull_frac = np.bincount(lab, hull, minlength=n_obj + 1)[1:]
    keep = (
        res.is_vessel
        & res.detectable
        & (res.features["length_m"] <= params.vessel.max_length_m)
        & (hull_frac / area >= params.min_hull_when_present)
    )
    return ObjectCandidates(res.labels, res.features, np.asarray(keep, dtype=bool))


def classified_vessel_candidates(
    bands: NDArray[np.floating[Any]],
    *,
    valid: NDArray[np.bool_],
    grid: Grid,
    params: ObjectParams = ObjectParams(),
    classifier: VesselClassifier | None = None,
) -> ObjectCandidates:
    """Vessels on one Sentinel-2 date with SWIR, by the trained classifier.

    :func:`~basewatch.detect.vessels.detect_vessels_s2` over ``valid`` (candidates in
    and against the MNDWI/NDWI water, scored from unit-free features); a candidate is
    kept when the classifier calls it a vessel, it is long enough for the sensor to
    resolve and at most ``params.vessel.max_length_m`` long. Held out on eight labelled
    ports it scores F1 0.50 pooled where the rule-based detector of
    :func:`free_vessel_candidates` scores less (``benchmarks/README.md``).

    Parameters
    ----------
    bands : ndarray, shape (5, rows, cols)
        B02, B03, B04, B08 and B11 (B11 on the same grid), one scale for all.
    valid : ndarray, shape (rows, cols), bool
        Pixels searched: search the whole site, not its water zones only (the
        classifier's features are the image's: its water thresholds, rings, ranks).
    grid : Grid
    params : ObjectParams
    classifier : VesselClassifier, optional
        Default the shipped model.

    Returns
    -------
    ObjectCandidates
        Every candidate with its features (``score``, ``confidence``: the score
        rescaled so that the model's threshold is 0.5); ``keep`` the vessels.
    """
    res = detect_vessels_s2(
        bands, pixel_size_m=grid.pixel_size_m, valid=valid, classifier=classifier
    )
    if not res.features:
        return ObjectCandidates(res.labels, res.features, np.zeros(0, dtype=bool))
    keep = res.is_vessel & res.detectable & (res.features["length_m"] <= params.vessel.max_length_m)
    return ObjectCandidates(res.labels, res.features, np.asarray(keep, dtype=bool))


def union_vessel_candidates(model: ObjectCandidates, rule: ObjectCandidates) -> ObjectCandidates:
    """The vessels of a trained classifier's search and those of the rule-based search
    that share no pixel with one of them.

    Every vessel of ``rule`` is then kept or overlaps a kept one of ``model``: what the
    rule finds stays found. Held out on eight labelled ports without B11 this scores
    F1 0.45 against the model's 0.44 and the rule's 0.23 (``models/MODEL_CARD.md``).

    Parameters
    ----------
    model, rule : ObjectCandidates
        Of one date, same shape (:func:`classified_vessel_candidates`,
        :func:`free_vessel_candidates`).

    Returns
    -------
    ObjectCandidates
        Only vessels, all kept: the model's first (their order), then the rule's, each
        numbered in its own order; the features both searches give (``contrast``, the
        rule's alone, is left out).
    """
    if model.labels.shape != rule.labels.shape:
        raise InputError(
            f"the model's labels {model.labels.shape} and the rule's {rule.labels.shape} "
            "must be of one date's grid"
        )
    n_model, n_rule = len(model.keep), len(rule.keep)
    mine = np.concatenate([[False], model.keep])
    theirs = np.concatenate([[False], rule.keep])
    if n_model and n_rule:  # the rule's vessels sharing a pixel with a model vessel go
        on_model = _kernels.label_lookup(model.labels, mine)
        theirs[1:] &= ~_kernels.labels_touched(rule.labels, on_model, n_rule)[1:]
    k_model, k_rule = int(mine.sum()), int(theirs.sum())
    number = np.zeros(n_model + 1, dtype=np.int32)
    number[mine] = np.arange(1, k_model + 1, dtype=np.int32)
    labels = _kernels.label_lookup(model.labels, number)
    extra = np.zeros(n_rule + 1, dtype=np.int32)
    extra[theirs] = np.arange(k_model + 1, k_model + k_rule + 1, dtype=np.int32)
    from_rule = _kernels.label_lookup(rule.labels, extra)
    labels = np.where(from_rule > 0, from_rule, labels).astype(np.int32)
    keys = [k for k in model.features if k in rule.features]
    features = {
        k: np.concatenate([model.features[k][model.keep], rule.features[k][theirs[1:]]])
        for k in keys
    }
    return ObjectCandidates(labels, features, np.ones(k_model + k_rule, dtype=bool))


def _zone_observations(
    found: ObjectCandidates,
    cls: ObjectClass,
    kinds: frozenset[str],
    *,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    grid: Grid,
    scene: str,
    date: dt.date | None,
) -> list[Observation]:
    """Observations of the kept candidates whose majority zone is of one of ``kinds``."""
    n = len(found.keep)
    if n == 0:
        return []
    zone_of = majority_zone(found.labels, n, zone_idx, len(zones))
    kind_ok = np.array([z.kind in kinds for z in zones] + [False])
    keep = found.keep & kind_ok[np.where(zone_of >= 0, zone_of, len(zones))]
    return observations(
        found.features,
        scene=scene,
        date=date,
        pixel_size_m=grid.pixel_size_m,
        object_class=cls,
        keep=keep,
        confidence=found.features.get("confidence"),
        zones=[zones[i].name if i >= 0 else None for i in zone_of],
        zone_kinds=[zones[i].kind if i >= 0 else None for i in zone_of],
        grid=grid,
    )
