"""Objects from a change map: changed components, their features, classes and events.

Pure code (numpy and scipy.ndimage).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.aoi import AIRCRAFT_ZONES, WATER_ZONES, Zone
from basewatch.detect import _kernels
from basewatch.detect.change import (
    STAT_SAMPLE_SIZE,
    robust_sigma,
)
from basewatch.detect.components import (
    _CONTRAST_RING_PX,
    ObjectParams,
    SizeRange,
    bounding_box,
    component_features,
    gather,
    local_contrasts,
    local_contrasts_and_ring_means,
    majority_zone,
    opening_2x2,
    ring_mean,
)
from basewatch.detect.confidence import CHANGE_MARGIN_SCALE, OTHER_CLASS_FACTOR, confidence
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.records import (
    DEGREES_DECIMALS,
    MAGNITUDE_DECIMALS,
    METRES_DECIMALS,
    SCORE_DECIMALS,
    ChangeMap,
    Detection,
    Event,
    ObjectClass,
    records_from_columns,
    round_like_python,
)
from basewatch.sensors import minimum_detectable_m

#: Components of at least this many pixels are kept whole by the speck-removing
#: opening of :func:`extract_detections` (only smaller ones lose their thin parts).
LARGE_COMPONENT_PX = 6

#: Ring (pixels, chessboard distance) around a changed object in which water is
#: counted, and the least water fraction of it for a vessel (quays and piers have less).
WATER_RING_PX = 2
MIN_WATER_RING = 0.25

#: Floor on the noise of a change map (a constant magnitude has none), and the noise
#: assumed when no pixel is unchanged.
MIN_NOISE = 1e-6
DEFAULT_NOISE = 1.0

# zone groups: changed components never cross from one group to another
_OUTSIDE, _AIRCRAFT, _WATER = 0, 1, 2
# object class codes of :class:`_ChangeTests`
_CLASSES = (ObjectClass.OTHER, ObjectClass.AIRCRAFT, ObjectClass.VESSEL)


def extract_detections(
    change: ChangeMap,
    *,
    grid: Grid,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    site: str,
    before: tuple[str, dt.date],
    after: tuple[str, dt.date],
    params: ObjectParams = ObjectParams(),
    water: NDArray[np.bool_] | None = None,
    brightness: tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]] | None = None,
    water_dates: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
    noise: float | None = None,
) -> list[Detection]:
    """Turn a change map into object events inside the site's zones.

    Changed pixels inside zones become components within one zone group (aircraft
    zones, water zones; :func:`_zone_groups`), so no component spans an airfield and
    the water beside it; inside a group a component may cross zones (a ship lying
    across a berth's edge is one object). Zones should end where their surface ends:
    a berth polygon traced to the quay face keeps a moored hull's change apart from
    the quay's own changes (buildings, cranes, misregistered edges) beyond it.

    The steps: :func:`change_components` (clean the mask, label by zone group),
    :func:`~basewatch.detect.components.component_features`, :func:`_surroundings`
    (water and brightness around each object), :func:`_classify_changes` (size and
    surroundings tests per zone kind), :func:`change_confidence` and
    :func:`_detection_records`.

    Parameters
    ----------
    change : ChangeMap
        Pixel change on ``grid``.
    grid : Grid
        Analysis grid (for metres and coordinates).
    zone_idx : ndarray, shape (rows, cols), int
        From :func:`basewatch.aoi.zone_index`; ``-1`` outside zones.
    zones : sequence of Zone
        The zones ``zone_idx`` refers to.
    site : str
        Site name, copied into each detection.
    before, after : (scene id, date)
        The two dates compared.
    params : ObjectParams
    water : ndarray, shape (rows, cols), bool, optional
        Water pixels (on either date). When given, an object in a water zone is a
        vessel only if water surrounds it (at least :data:`MIN_WATER_RING` of its
        :data:`WATER_RING_PX`-pixel ring).
    brightness : (ndarray, ndarray), each shape (rows, cols) or (bands, rows, cols), optional
        Brightness of the before and after images, or the two band stacks (their
        brightness is then the mean of their bands, taken only at the pixels the
        contrasts read: the values of ``band_mean`` of each stack, without two
        image-sized arrays). When given, an aircraft or vessel must stand out from its
        surroundings on the date it is present (brighter by
        ``params.min_local_contrast``): otherwise it is a surface change, class other.
    water_dates : (ndarray, ndarray), each shape (rows, cols), bool, optional
        Water on the before and on the after date. When given, a vessel must lie on
        water on the date it is absent (at least ``params.min_water_when_absent`` of its
        pixels): a bright change on a quay edge or shore (misregistration, new paint)
        is not a vessel that came or went; and at least ``params.min_hull_when_present``
        of its pixels must be not-water on the date it is present (a hull, not a patch
        of turbid water or glint).
    noise : float, optional
        Noise of the change magnitude that the objects' contrast is measured in;
        default that of this change map (:func:`background_noise`). A chunk of a tile
        takes the whole tile's.

    Returns
    -------
    list of Detection
        Objects in zones, sorted by confidence (highest first). Objects outside every
        zone are dropped; objects that fit no class are kept as ``other``.
    """
    if zone_idx.shape != change.mask.shape:
        raise InputError(
            f"zone index shape {zone_idx.shape} does not match the change map {change.mask.shape}"
        )
    labels, n = change_components(change, zone_idx=zone_idx, zones=zones, params=params)
    if n == 0:
        return []
    feats = component_features(
        labels,
        n,
        pixel_size_m=grid.pixel_size_m,
        values={"magnitude": change.magnitude, "signed": change.signed},
    )
    zone_of = majority_zone(labels, n, zone_idx, len(zones))
    around = _surroundings(labels, n, water=water, brightness=brightness, water_dates=water_dates)
    min_detect = minimum_detectable_m(
        float(np.sqrt(grid.pixel_area_m2)), factor=params.detectable_factor
    )
    tests = _classify_changes(
        feats,
        group=_zone_group_of(zone_of, zones),
        around=around,
        params=params,
        min_detect_m=min_detect,
    )
    noise = background_noise(change) if noise is None else noise
    contrast = (feats["mean_magnitude"] - change.threshold) / noise
    conf = change_confidence(
        contrast, feats["area_px"], other=tests.object_class == _CLASSES.index(ObjectClass.OTHER)
    )
    keep = (feats["area_px"] >= params.min_pixels) & (zone_of >= 0)
    out = _detection_records(
        feats,
        tests,
        keep=keep,
        zone_of=zone_of,
        contrast=contrast,
        confidence=conf,
        min_detect_m=min_detect,
        grid=grid,
        zones=zones,
        site=site,
        before=before,
        after=after,
    )
    return out


def change_components(
    change: ChangeMap,
    *,
    zone_idx: NDArray[np.integer[Any]],
    zones: Sequence[Zone],
    params: ObjectParams = ObjectParams(),
) -> tuple[NDArray[np.int32], int]:
    """Changed components inside the zones, each within one zone group.

    The change mask inside the zones is opened by a 2 x 2 square (specks and one-pixel
    lines go; components of :data:`LARGE_COMPONENT_PX` pixels or more are kept whole)
    when ``params.opening``, closed by a 3 x 3 square within the valid pixels when
    ``params.closing``, and labelled with ``params.connectivity`` per zone group
    (:func:`_zone_groups`, :func:`_label_by_part`).

    Parameters
    ----------
    change : ChangeMap
        ``mask`` and ``valid``, each shape (rows, cols), bool.
    zone_idx : ndarray, shape (rows, cols), int
        ``-1`` outside zones.
    zones : sequence of Zone
    params : ObjectParams

    Returns
    -------
    labels : ndarray, shape (rows, cols), int32
        ``0`` background, ``1..n`` components.
    n : int
    """
    mask = change.mask & (zone_idx >= 0)
    if params.opening:
        # scipy's binary_opening by 2 x 2 (opening_2x2, tested equal to it)
        mask = opening_2x2(mask) | (mask & _large_components(mask))
    if params.closing:
        # scipy's binary_closing by 3 x 3, within the valid pixels
        mask = _kernels.close_3x3(mask, change.valid)
    return _label_by_part(mask, _zone_groups(zone_idx, zones), eight=params.connectivity == 2)


def _clean_reference(
    mask: NDArray[np.bool_], valid: NDArray[np.bool_], *, opening: bool, closing: bool
) -> NDArray[np.bool_]:
    """The cleaning of :func:`change_components` by scipy's morphology: what its
    fast steps (:func:`~basewatch.detect.components.opening_2x2`,
    :func:`basewatch.detect._kernels.close_3x3`) must equal."""
    if opening:
        mask = ndimage.binary_opening(mask, structure=np.ones((2, 2), bool)) | (
            mask & _large_components(mask)
        )
    if closing:
        mask = ndimage.binary_closing(mask, structure=np.ones((3, 3), bool)) & valid
    return mask


def background_noise(change: ChangeMap) -> float:
    """Noise of the change magnitude: robust sigma over valid unchanged pixels
    (:data:`DEFAULT_NOISE` when there are none), at least :data:`MIN_NOISE`.

    Parameters
    ----------
    change : ChangeMap

    Returns
    -------
    float
        :func:`~basewatch.detect.change.robust_sigma` of ``magnitude`` where ``valid``
        and not ``mask`` (in raster order).
    """
    # noise_of(magnitude[valid & ~mask]) from stat_sample of those pixels, taken in
    # place (the same sample: robust_sigma reads no more than it)
    _, sample = _kernels.masked_sample(
        change.magnitude, change.valid & ~change.mask, size=STAT_SAMPLE_SIZE
    )
    return noise_of(sample)


def noise_of(unchanged: NDArray[Any]) -> float:
    """:func:`background_noise` of the magnitudes of the unchanged pixels (or of their
    :func:`~basewatch.detect.change.stat_sample`, which gives the same value)."""
    noise = robust_sigma(unchanged) if unchanged.size else DEFAULT_NOISE
    return max(noise, MIN_NOISE)


def change_confidence(
    contrast: NDArray[np.float64], area_px: NDArray[np.float64], *, other: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Confidence of changed objects (:mod:`basewatch.detect.confidence`).

    Parameters
    ----------
    contrast : ndarray, shape (n,), float64
        Mean magnitude over the change threshold, in noise sigmas (the margin, scale
        :data:`~basewatch.detect.confidence.CHANGE_MARGIN_SCALE`).
    area_px : ndarray, shape (n,), float64
    other : ndarray, shape (n,), bool
        Objects of class other (times
        :data:`~basewatch.detect.confidence.OTHER_CLASS_FACTOR`).

    Returns
    -------
    ndarray, shape (n,), float64, 0..1
    """
    return confidence(
        contrast,
        area_px,
        scale=CHANGE_MARGIN_SCALE,
        factor=np.where(other, OTHER_CLASS_FACTOR, 1.0),
    )


@dataclass(frozen=True, eq=False)
class _Surroundings:
    """What lies around and under each changed object, each array shape (n,) float64;
    None where the input was not given (:func:`_surroundings`)."""

    water_ring: NDArray[np.float64] | None
    """Water fraction of the ring (NaN where there is no ring)."""
    water_before: NDArray[np.float64] | None
    """Water fraction of the object's pixels on the before date."""
    water_after: NDArray[np.float64] | None
    contrast_before: NDArray[np.float64] | None
    """Brightness over the ring's, minus 1, on the before date."""
    contrast_after: NDArray[np.float64] | None


def _surroundings(
    labels: NDArray[np.int32],
    n: int,
    *,
    water: NDArray[np.bool_] | None,
    brightness: tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]] | None,
    water_dates: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None,
) -> _Surroundings:
    """Water ring, water under each object on each date, and local contrast on each
    date (see :func:`extract_detections` for the inputs)."""
    ring = cb = ca = None
    if brightness is not None and water is not None and WATER_RING_PX == _CONTRAST_RING_PX:
        # one ring serves the water fraction and both dates' contrasts
        (cb, ca), (ring,) = local_contrasts_and_ring_means(labels, n, brightness, [water])
    elif water is not None:
        ring = ring_mean(labels, n, water, outer_px=WATER_RING_PX)
    if brightness is not None and cb is None:
        cb, ca = local_contrasts(labels, n, brightness)
    wb = wa = None
    if water_dates is not None:
        at, lab = _kernels.labelled_pixels(labels)
        area = np.maximum(np.bincount(lab, minlength=n + 1)[1:], 1)
        wb = np.bincount(lab, gather(water_dates[0], at), minlength=n + 1)[1:] / area
        wa = np.bincount(lab, gather(water_dates[1], at), minlength=n + 1)[1:] / area
    return _Surroundings(ring, wb, wa, cb, ca)


def _zone_group_of(zone_of: NDArray[np.int64], zones: Sequence[Zone]) -> NDArray[np.int8]:
    """Zone group (``_OUTSIDE``, ``_AIRCRAFT``, ``_WATER``) of each object's zone."""
    group = np.array([_group(z) for z in zones] + [_OUTSIDE], dtype=np.int8)
    return np.asarray(group[np.where(zone_of >= 0, zone_of, len(zones))], dtype=np.int8)


def _group(zone: Zone) -> int:
    return (
        _AIRCRAFT
        if zone.kind in AIRCRAFT_ZONES
        else _WATER
        if zone.kind in WATER_ZONES
        else _OUTSIDE
    )


@dataclass(frozen=True, eq=False)
class _ChangeTests:
    """Outcome of the class tests of :func:`_classify_changes`, each array shape (n,)."""

    object_class: NDArray[np.int8]
    """Index into ``_CLASSES``."""
    group: NDArray[np.int8]
    appeared: NDArray[np.bool_]
    length_ok: NDArray[np.bool_]
    width_ok: NDArray[np.bool_]
    surrounded: NDArray[np.bool_]
    """Water ring test (True where not tested)."""
    absent_frac: NDArray[np.float64] | None
    """Water fraction on the date without the object (None: not tested)."""
    present_hull: NDArray[np.float64] | None
    """Not-water fraction on the date with it."""
    absent_ok: NDArray[np.bool_]
    hull_ok: NDArray[np.bool_]
    standout: NDArray[np.float64] | None
    """Local contrast on the date with it (None: not tested)."""
    stands_out: NDArray[np.bool_]
    standout_tested: NDArray[np.bool_]
    """Objects whose other tests passed, so that the contrast decided."""
    detectable: NDArray[np.bool_]


def _classify_changes(
    feats: Mapping[str, NDArray[np.float64]],
    *,
    group: NDArray[np.int8],
    around: _Surroundings,
    params: ObjectParams,
    min_detect_m: float,
) -> _ChangeTests:
    """Class of each changed object (vectorised): aircraft in aircraft zones when of
    the aircraft size range and standing out; vessels in water zones when of the vessel
    size range, surrounded by water, on water on the date without it, hull-like on the
    date with it and standing out; other otherwise."""
    n = len(group)
    length, width = feats["length_m"], feats["width_m"]
    appeared = feats["mean_signed"] > 0
    air, wat = group == _AIRCRAFT, group == _WATER
    r_air, r_ves = params.aircraft, params.vessel
    length_ok = np.where(air, _length_ok(r_air, length), _length_ok(r_ves, length))
    width_ok = ~np.where(air, width > r_air.max_width_m, width > r_ves.max_width_m)
    fits = length_ok & width_ok
    surrounded = (
        np.ones(n, bool) if around.water_ring is None else around.water_ring >= MIN_WATER_RING
    )
    absent_frac = present_hull = None
    absent_ok = hull_ok = np.ones(n, bool)
    if around.water_before is not None and around.water_after is not None:
        absent_frac = np.where(appeared, around.water_before, around.water_after)
        present_hull = 1.0 - np.where(appeared, around.water_after, around.water_before)
        absent_ok = absent_frac >= params.min_water_when_absent
        hull_ok = ~(present_hull < params.min_hull_when_present)
    on_water = absent_ok & hull_ok
    standout = None
    stands_out = np.ones(n, bool)
    if around.contrast_before is not None and around.contrast_after is not None:
        standout = np.where(appeared, around.contrast_after, around.contrast_before)
        stands_out = standout >= params.min_local_contrast
    standout_tested = fits & (air | (wat & surrounded & on_water))
    cls = np.zeros(n, np.int8)
    cls[air & fits & stands_out] = _CLASSES.index(ObjectClass.AIRCRAFT)
    cls[wat & fits & surrounded & on_water & stands_out] = _CLASSES.index(ObjectClass.VESSEL)
    return _ChangeTests(
        object_class=cls,
        group=group,
        appeared=appeared,
        length_ok=length_ok,
        width_ok=width_ok,
        surrounded=surrounded,
        absent_frac=absent_frac,
        present_hull=present_hull,
        absent_ok=absent_ok,
        hull_ok=hull_ok,
        standout=standout,
        stands_out=stands_out,
        standout_tested=standout_tested,
        detectable=length >= min_detect_m,
    )


def _length_ok(r: SizeRange, length: NDArray[np.float64]) -> NDArray[np.bool_]:
    return np.asarray((r.min_length_m <= length) & (length <= r.max_length_m), dtype=bool)


def _all_notes(
    t: _ChangeTests,
    kept: NDArray[np.intp],
    length: list[float],
    width: list[float],
    min_detect_m: float,
) -> list[tuple[str, ...]]:
    """Why each kept object got its class, in the order the tests ran (the tests'
    arrays read as lists once, not element by element)."""

    def column(values: NDArray[Any] | None) -> list[Any]:
        taken: list[Any] = [] if values is None else values[kept].tolist()
        return taken

    group = column(t.group)
    length_ok, width_ok, surrounded = column(t.length_ok), column(t.width_ok), column(t.surrounded)
    dates_tested = t.absent_frac is not None and t.present_hull is not None
    absent_frac, present_hull = column(t.absent_frac), column(t.present_hull)
    absent_ok, hull_ok = column(t.absent_ok), column(t.hull_ok)
    standout = column(t.standout)
    stands_out, tested, detectable = (
        column(t.stands_out),
        column(t.standout_tested),
        column(t.detectable),
    )
    out: list[tuple[str, ...]] = []
    for j in range(len(kept)):
        notes: list[str] = []
        g = group[j]
        if g in (_AIRCRAFT, _WATER):
            what = "aircraft" if g == _AIRCRAFT else "vessel"
            if not length_ok[j]:
                notes.append(f"{length[j]:.0f} m long: outside the {what} range")
            elif not width_ok[j]:
                notes.append(f"{width[j]:.0f} m wide: wider than any {what}")
        if g == _WATER:
            if not surrounded[j]:
                notes.append("not surrounded by water (quay or pier)")
            if dates_tested:
                if not absent_ok[j]:
                    notes.append(
                        f"only {absent_frac[j]:.0%} water on the date without it: "
                        "a quay or shore change"
                    )
                elif not hull_ok[j]:
                    notes.append(
                        f"{present_hull[j]:.0%} not-water on the date with it: a change "
                        "of the water (turbidity, glint), not a hull"
                    )
        if standout and tested[j] and not stands_out[j]:
            notes.append(
                f"not brighter than its surroundings ({standout[j]:+.0%}): a surface change, "
                "not an object"
            )
        if not detectable[j]:
            notes.append(
                f"{length[j]:.0f} m is below the {min_detect_m:.0f} m this sensor resolves reliably"
            )
        out.append(tuple(notes))
    return out


def _detection_records(
    feats: Mapping[str, NDArray[np.float64]],
    tests: _ChangeTests,
    *,
    keep: NDArray[np.bool_],
    zone_of: NDArray[np.int64],
    contrast: NDArray[np.float64],
    confidence: NDArray[np.float64],
    min_detect_m: float,
    grid: Grid,
    zones: Sequence[Zone],
    site: str,
    before: tuple[str, dt.date],
    after: tuple[str, dt.date],
) -> list[Detection]:
    """One :class:`~basewatch.records.Detection` per kept object, highest confidence
    first, then by id.

    The objects are put in that order first (their ids and rounded confidences are all
    the order needs); then every field is rounded and converted for all objects at
    once (:func:`~basewatch.records.round_like_python` gives what ``round`` gives each
    value) and the records are made from the columns
    (:func:`~basewatch.records.records_from_columns`); only the ids and notes are made
    one object at a time.
    """

    def rounded(values: NDArray[Any], decimals: int) -> list[float]:
        as_python: list[float] = round_like_python(values, decimals).tolist()
        return as_python

    kept = np.flatnonzero(keep)
    boxes = np.column_stack(
        [feats["row_min"], feats["col_min"], feats["row_max"], feats["col_max"]]
    )[kept].astype(np.int64)
    ids = [_detection_id(site, before[0], after[0], *box) for box in boxes.tolist()]
    confidence_k = round_like_python(confidence[kept], SCORE_DECIMALS)
    # highest confidence first, then by id (a stable sort, as sorting the records by
    # (-confidence, id) gives)
    order = np.lexsort((np.array(ids), -confidence_k))
    at = kept[order]
    idx = order.tolist()
    boxes = boxes[order]
    lon, lat = grid.pixels_to_lonlat(feats["row"][at], feats["col"][at])
    rings = round_like_python(grid.box_rings_lonlat(boxes), DEGREES_DECIMALS)  # one transform
    # each footprint a tuple of (lon, lat) tuples, made by zip in C, not per ring
    corners = zip(rings[..., 0].ravel().tolist(), rings[..., 1].ravel().tolist(), strict=True)
    area_px = feats["area_px"][at].astype(np.int64)
    zone_names = np.array([z.name for z in zones] + [None], dtype=object)
    zone_kinds = np.array([z.kind for z in zones] + [None], dtype=object)
    classes = np.array(_CLASSES, dtype=object)
    events = np.array([Event.DISAPPEARED, Event.APPEARED], dtype=object)
    # in the order of kept, as the tests are
    length, width = feats["length_m"][kept].tolist(), feats["width_m"][kept].tolist()
    notes = _all_notes(tests, kept, length, width, min_detect_m)
    k = len(idx)
    columns: dict[str, Sequence[Any]] = {
        "id": [ids[j] for j in idx],
        "site": [site] * k,
        "zone": zone_names[zone_of[at]].tolist(),
        "zone_kind": zone_kinds[zone_of[at]].tolist(),
        "object_class": classes[tests.object_class[at]].tolist(),
        "event": events[tests.appeared[at].astype(np.intp)].tolist(),
        "lon": rounded(lon, DEGREES_DECIMALS),
        "lat": rounded(lat, DEGREES_DECIMALS),
        "footprint": list(zip(*[iter(corners)] * rings.shape[1], strict=True)),
        "bbox_px": list(map(tuple, boxes.tolist())),
        "area_px": area_px.tolist(),
        "area_m2": rounded(area_px * grid.pixel_area_m2, METRES_DECIMALS),
        "length_m": rounded(feats["length_m"][at], METRES_DECIMALS),
        "width_m": rounded(feats["width_m"][at], METRES_DECIMALS),
        "orientation_deg": rounded(feats["orientation_deg"][at], METRES_DECIMALS),
        "mean_change": rounded(feats["mean_magnitude"][at], MAGNITUDE_DECIMALS),
        "contrast": rounded(contrast[at], SCORE_DECIMALS),
        "confidence": confidence_k[order].tolist(),
        "detectable": tests.detectable[at].tolist(),
        "before": [before[0]] * k,
        "after": [after[0]] * k,
        "before_date": [before[1]] * k,
        "after_date": [after[1]] * k,
        "notes": [notes[j] for j in idx],
    }
    return records_from_columns(Detection, columns)


def _zone_groups(zone_idx: NDArray[np.integer[Any]], zones: Sequence[Zone]) -> NDArray[np.int8]:
    """Zone group of each pixel: ``0`` outside the zones, ``1`` aircraft, ``2`` water.

    Change components are labelled within one group (:func:`_label_by_part`): an
    apron and the harbour water beside it are different places, and an object found
    across the two would be classed by whichever holds more of its pixels.
    """
    group = np.array([_group(z) for z in zones] + [_OUTSIDE], dtype=np.int8)
    # zone -1 (outside every zone) reads the last entry, _OUTSIDE
    return np.asarray(_kernels.label_lookup(zone_idx, group), dtype=np.int8)


def _label_by_part(
    mask: NDArray[np.bool_],
    part: NDArray[np.int8],
    *,
    eight: bool,
) -> tuple[NDArray[np.int32], int]:
    """Connected components of ``mask`` that never cross from one ``part`` to another.

    The labels of part 1 (``mask & (part == 1)`` labelled on its own, in raster order)
    come first, then those of part 2 offset by part 1's count, and so on; ``0`` is
    dropped. One labelling pass over the image (:func:`_kernels.label_components`).
    """
    return _kernels.label_components(mask, eight=eight, part=part)


def _large_components(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Components of :data:`LARGE_COMPONENT_PX` pixels or more, kept whole by the
    speck-removing opening."""
    out = np.zeros_like(mask)
    box = bounding_box(mask)
    if box is None:
        return out
    labels, n = _kernels.label_components(mask[box], eight=True)
    keep = _kernels.label_sizes(labels, n) >= LARGE_COMPONENT_PX
    keep[0] = False
    out[box] = _kernels.label_lookup(labels, keep)
    return out


def _detection_id(site: str, before: str, after: str, r0: int, c0: int, r1: int, c1: int) -> str:
    """Stable id of a changed object: site and a hash of the dates and its box."""
    h = hashlib.sha1(f"{site}|{before}|{after}|{r0},{c0},{r1},{c1}".encode()).hexdigest()
    return f"{site}-{h[:10]}"
