"""From change pixels to objects: components, features, classes and events.

Pure code (numpy and scipy.ndimage, no I/O). Features are computed for all
components at once with ``bincount`` moments, so the cost does not grow with the
number of objects in Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.aoi import AIRCRAFT_ZONES, WATER_ZONES, Zone
from basewatch.errors import InputError
from basewatch.events import ObjectEvent, Observation
from basewatch.grid import Grid
from basewatch.records import ChangeMap, Detection, Event, ObjectClass

__all__ = [
    "BERTH_ZONES",
    "SENSOR_RESOLUTION_M",
    "ObjectParams",
    "SizeRange",
    "berth_hulls",
    "component_features",
    "date_observations",
    "extract_detections",
    "merge_object_events",
    "minimum_detectable_m",
]


@dataclass(frozen=True)
class SizeRange:
    """Plausible length range (metres) of an object class."""

    min_length_m: float
    max_length_m: float
    max_width_m: float


@dataclass(frozen=True)
class ObjectParams:
    """Parameters of object extraction, all recorded in the run record.

    Sizes follow the object table in the project's facts: aircraft of interest are
    16 m (Ka-52) to 69 m (An-124) long; vessels 10 m (patrol boats) to 300 m.
    ``min_local_contrast`` is how much brighter than its surroundings (relative, on
    the date it is present) a changed blob must be to count as an object rather than
    a change of the surface (wet ground, turbid water, new paint).

    Single-date objects (:func:`date_observations`, on when ``date_objects``): aircraft
    are bright objects (CFAR on the mean of the bands, guard and background windows of
    ``aircraft_guard_m`` and ``aircraft_window_m``, false-alarm rate ``aircraft_pfa``,
    hysteresis down to ``aircraft_k_low``) inside aircraft zones, of the aircraft size
    range and at least the detectable length, brighter than their surroundings by
    ``min_local_contrast`` and by ``aircraft_min_band_contrast`` in every band given
    (mean, green, NIR: white or light-grey paint is bright from the visible to the NIR,
    and at 10 m an aircraft's skin covers much of its pixels, while a vehicle, a small
    roof or a runway marking in the same pixels stays dimmer in at least one band;
    on the Beirut sample the airliner is at +0.39 in its weakest band, the car-park
    blobs and a moving vehicle at +0.21 to +0.27; the level assumes reflectance, not
    an 8-bit stretched product, where white saturates and contrasts are lower);
    vessels come from
    :func:`basewatch.vessels.detect_vessels_optical` inside water zones. The two dates'
    objects are matched with centres at most ``match_max_distance_m`` apart.

    Moored hulls in berth zones (``berth_hulls``, see :func:`berth_hulls`): a ship
    against a quay is no hole in the water, and a red or dark hull can even be water by
    NDWI, so in berth zones (traced on the water, ending at the quay face) a vessel is
    also a component of pixels brighter in the NIR than the zone's water by
    ``berth_hull_k`` robust standard deviations (1.4826 MAD around the median) and at
    least ``berth_hull_min_ratio`` times that median (on the Beirut sample water is
    0.02-0.03, mixed quay-face pixels up to 0.06, hulls 0.10-0.20), of the vessel size
    range and at least the detectable length, and at least ``berth_min_elongation``
    times as long as wide.
    """

    min_pixels: int = 3
    opening: bool = True
    closing: bool = True
    aircraft: SizeRange = SizeRange(12.0, 90.0, 90.0)
    vessel: SizeRange = SizeRange(12.0, 400.0, 70.0)
    min_local_contrast: float = 0.10
    min_water_when_absent: float = 0.5
    min_hull_when_present: float = 0.2
    detectable_factor: float = 2.0
    connectivity: int = 2
    date_objects: bool = True
    aircraft_guard_m: float = 40.0
    aircraft_window_m: float = 150.0
    aircraft_pfa: float = 1e-4
    aircraft_k_low: float | None = 2.5
    aircraft_min_band_contrast: float = 0.30
    match_max_distance_m: float = 150.0
    berth_hulls: bool = True
    berth_hull_k: float = 6.0
    berth_hull_min_ratio: float = 3.0
    berth_min_elongation: float = 2.0
    extra: Mapping[str, Any] = field(default_factory=dict)


#: Ground resolution of each sensor (m): what sets the smallest object, more than the
#: pixel spacing (Sentinel-1 IW GRD has 10 m pixels but about 20 x 22 m resolution).
SENSOR_RESOLUTION_M: Mapping[str, float] = {"S2": 10.0, "S1": 22.0, "PLANET": 3.0}


def minimum_detectable_m(
    pixel_size_m: float, *, factor: float = 2.0, sensor: str | None = None
) -> float:
    """Smallest object length (m) basewatch calls reliably detectable.

    An object must span about ``factor`` resolution cells to be separated from its
    background: ``factor * max(pixel_size_m, resolution of sensor)``. At Sentinel-2's
    10 m that is 20 m: a Ka-52 (16 m) or a 12-14 m S-400 launcher truck is below it
    (reported as not detectable rather than guessed), an Su-34 (23 m) is at the limit
    and an An-124 (69 m) well above. Sentinel-1 (about 22 m resolution): 44 m.

    Parameters
    ----------
    pixel_size_m : float
        Ground pixel size (geometric mean of x and y).
    factor : float
        Resolution cells an object must span.
    sensor : {"S2", "S1", "PLANET"}, optional
        Use the sensor's resolution when it is coarser than the pixel.
    """
    res = SENSOR_RESOLUTION_M.get(sensor.upper(), 0.0) if sensor else 0.0
    return factor * max(pixel_size_m, res)


_CHUNK = 32768


def shape_from_moments(
    moments: NDArray[np.int64],
    box: NDArray[np.int64],
    *,
    pixel_size_m: tuple[float, float],
) -> dict[str, NDArray[np.float64]]:
    """Shape features from exact integer moments (shared by every extraction path).

    Parameters
    ----------
    moments : ndarray, shape (n, 6), int64
        Per component: pixel count, sum of rows, sum of cols, sum of rows^2, sum of
        cols^2, sum of rows*cols (pixel indices).
    box : ndarray, shape (n, 4), int64
        ``row_min, col_min, row_max, col_max`` (max exclusive).
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.

    Returns
    -------
    dict of ndarray, each shape (n,), float64
        See :func:`component_features`.
    """
    if len(moments) > _CHUNK:
        # elementwise, so chunks give the same values; small temporaries stay in cache,
        # and chunks run on two threads (numpy releases the GIL in its loops)
        from concurrent.futures import ThreadPoolExecutor

        starts = range(0, len(moments), _CHUNK)
        with ThreadPoolExecutor(max_workers=2) as pool:
            parts = list(
                pool.map(
                    lambda i: shape_from_moments(
                        moments[i : i + _CHUNK], box[i : i + _CHUNK], pixel_size_m=pixel_size_m
                    ),
                    starts,
                )
            )
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    px, py = pixel_size_m
    n, sr, sc, srr, scc, src = np.ascontiguousarray(moments.T)
    r0, c0 = np.ascontiguousarray(box[:, :2].T)
    # shift to the box corner in exact integers, then central moments in float64
    sr1 = sr - n * r0
    sc1 = sc - n * c0
    srr1 = srr - 2 * r0 * sr + n * r0 * r0
    scc1 = scc - 2 * c0 * sc + n * c0 * c0
    src1 = src - r0 * sc - c0 * sr + n * r0 * c0
    area = n.astype(np.float64)
    safe = np.where(area > 0, area, 1.0)
    mr = sr1 / safe
    mc = sc1 / safe
    vrr = np.maximum(srr1 / safe - mr * mr, 0.0)
    vcc = np.maximum(scc1 / safe - mc * mc, 0.0)
    vrc = src1 / safe - mr * mc
    # covariance of the area covered (a pixel is a px x py rectangle, not a point)
    syy = vrr * py * py + py * py / 12.0
    sxx = vcc * px * px + px * px / 12.0
    sxy = vrc * px * py
    tr = sxx + syy
    det_term = np.sqrt(np.maximum(((sxx - syy) / 2) ** 2 + sxy**2, 0))
    lam1 = np.maximum(tr / 2 + det_term, 0)
    lam2 = np.maximum(tr / 2 - det_term, 0)
    # a uniform bar of length L has variance L^2 / 12 along it
    length = np.sqrt(12 * lam1)
    width = np.sqrt(12 * lam2)
    # major-axis angle from +x (east) with y down (rows grow south): a bearing
    theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    bearing = (90.0 + np.degrees(theta)) % 180.0
    return {
        "area_px": area,
        "row": r0 + mr + 0.5,
        "col": c0 + mc + 0.5,
        "length_m": length,
        "width_m": width,
        "orientation_deg": bearing,
        "row_min": box[:, 0].astype(np.float64),
        "col_min": box[:, 1].astype(np.float64),
        "row_max": box[:, 2].astype(np.float64),
        "col_max": box[:, 3].astype(np.float64),
    }


def label_moments(
    labels: NDArray[np.integer[Any]], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.intp], NDArray[np.int64]]:
    """Exact integer moments and boxes of labelled components (pure numpy).

    Returns
    -------
    moments : ndarray, shape (n, 6), int64
    box : ndarray, shape (n, 4), int64
    flat_index : ndarray, shape (k,)
        Raster index of every labelled pixel, in raster order.
    lab : ndarray, shape (k,), int64
        Its label (1..n).
    """
    flat = labels.ravel()
    idx = np.flatnonzero(flat)
    lab = flat[idx].astype(np.int64)
    rows, cols = np.divmod(idx.astype(np.int64), labels.shape[1])
    moments = np.zeros((n + 1, 6), dtype=np.int64)
    for j, v in enumerate((np.ones_like(rows), rows, cols, rows * rows, cols * cols, rows * cols)):
        np.add.at(moments[:, j], lab, v)
    box = np.zeros((n, 4), dtype=np.int64)
    for i, sl in enumerate(ndimage.find_objects(labels, max_label=n)):
        if sl is not None:
            box[i] = (sl[0].start, sl[1].start, sl[0].stop, sl[1].stop)
    return moments[1:], box, idx, lab


def component_features(
    labels: NDArray[np.integer[Any]],
    n: int,
    *,
    pixel_size_m: tuple[float, float],
    values: Mapping[str, NDArray[np.floating[Any]]] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Shape features of labelled components, vectorised (no loop over objects).

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres (pixels may be non-square).
    values : mapping of name to ndarray (rows, cols), optional
        Images whose per-component mean is returned as ``mean_<name>`` (NaN counts 0).

    Returns
    -------
    dict of ndarray, each shape (n,)
        ``area_px``, ``row``, ``col`` (centroid, in pixel units with pixel centres at
        ``+0.5``), ``length_m``, ``width_m`` (extent along the principal axes: a bar
        of ``L`` pixels gives ``L * pixel``), ``orientation_deg`` (long axis, degrees
        clockwise from north, 0..180), ``row_min``, ``col_min``, ``row_max``,
        ``col_max`` (max exclusive) and ``mean_<name>`` for each value image.
    """
    moments, box, idx, lab = label_moments(labels, n)
    out = shape_from_moments(moments, box, pixel_size_m=pixel_size_m)
    safe = np.where(out["area_px"] > 0, out["area_px"], 1.0)
    for name, img in (values or {}).items():
        v = np.asarray(img).ravel()[idx].astype(np.float64)
        v = np.where(np.isfinite(v), v, 0.0)
        out[f"mean_{name}"] = np.bincount(lab, v, minlength=n + 1)[1:] / safe
    return out


def _majority_zone(
    labels: NDArray[np.integer[Any]], n: int, zone_idx: NDArray[np.integer[Any]], n_zones: int
) -> NDArray[np.int64]:
    """Zone holding most of each component's pixels (-1 when mostly outside zones)."""
    sel = labels.ravel() > 0
    lab = labels.ravel()[sel].astype(np.int64)
    z = zone_idx.ravel()[sel].astype(np.int64) + 1  # 0 = outside
    counts = np.bincount(lab * (n_zones + 1) + z, minlength=(n + 1) * (n_zones + 1))
    counts = counts.reshape(n + 1, n_zones + 1)[1:]
    return np.asarray(np.argmax(counts, axis=1), dtype=np.int64) - 1


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
) -> list[Detection]:
    """Turn a change map into object events inside the site's zones.

    Changed pixels inside zones become components within one zone group (aircraft
    zones, water zones; :func:`_zone_groups`), so no component spans an airfield and
    the water beside it; inside a group a component may cross zones (a ship lying
    across a berth's edge is one object). Zones should end where their surface ends:
    a berth polygon traced to the quay face keeps a moored hull's change apart from
    the quay's own changes (buildings, cranes, misregistered edges) beyond it.

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
        vessel only if water surrounds it (at least a quarter of its 2-pixel ring).
    brightness : (ndarray, ndarray), each shape (rows, cols), optional
        Brightness of the before and after images. When given, an aircraft or vessel
        must stand out from its surroundings on the date it is present (brighter by
        ``params.min_local_contrast``): otherwise it is a surface change, class other.
    water_dates : (ndarray, ndarray), each shape (rows, cols), bool, optional
        Water on the before and on the after date. When given, a vessel must lie on
        water on the date it is absent (at least ``params.min_water_when_absent`` of its
        pixels): a bright change on a quay edge or shore (misregistration, new paint)
        is not a vessel that came or went; and at least ``params.min_hull_when_present``
        of its pixels must be not-water on the date it is present (a hull, not a patch
        of turbid water or glint).

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
    mask = change.mask & (zone_idx >= 0)
    if params.opening:
        mask = ndimage.binary_opening(mask, structure=np.ones((2, 2), bool)) | (
            mask & _large_components(mask)
        )
    if params.closing:
        mask = ndimage.binary_closing(mask, structure=np.ones((3, 3), bool)) & change.valid
    structure = ndimage.generate_binary_structure(2, params.connectivity)
    labels, n = _label_by_part(mask, _zone_groups(zone_idx, zones), structure=structure)
    if n == 0:
        return []
    feats = component_features(
        labels,
        n,
        pixel_size_m=grid.pixel_size_m,
        values={"magnitude": change.magnitude, "signed": change.signed},
    )
    zone_of = _majority_zone(labels, n, zone_idx, len(zones))
    px_size = float(np.sqrt(grid.pixel_area_m2))
    min_detect = minimum_detectable_m(px_size, factor=params.detectable_factor)
    # local noise: spread of the magnitude over valid unchanged pixels
    bg = change.magnitude[change.valid & ~change.mask]
    noise = float(np.median(np.abs(bg - np.median(bg)))) * 1.4826 if bg.size else 1.0
    noise = max(noise, 1e-6)
    water_ring = _ring_mean(labels, n, water.astype(np.float32)) if water is not None else None
    water_in: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    if water_dates is not None:
        sel = labels.ravel() > 0
        lab = labels.ravel()[sel]
        area = np.maximum(np.bincount(lab, minlength=n + 1)[1:], 1)
        water_in = (
            np.bincount(lab, water_dates[0].ravel()[sel], minlength=n + 1)[1:] / area,
            np.bincount(lab, water_dates[1].ravel()[sel], minlength=n + 1)[1:] / area,
        )
    local: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    if brightness is not None:
        local = (
            _local_contrast(labels, n, brightness[0]),
            _local_contrast(labels, n, brightness[1]),
        )
    rows_c = feats["row"]
    cols_c = feats["col"]
    xs, ys = grid.xy(rows_c, cols_c)
    lon, lat = grid.to_lonlat(xs, ys)

    out: list[Detection] = []
    for i in range(n):
        area_px = int(feats["area_px"][i])
        if area_px < params.min_pixels or zone_of[i] < 0:
            continue
        zone = zones[int(zone_of[i])]
        length = float(feats["length_m"][i])
        width = float(feats["width_m"][i])
        notes: list[str] = []
        cls = ObjectClass.OTHER
        signed = float(feats["mean_signed"][i])
        event = Event.APPEARED if signed > 0 else Event.DISAPPEARED
        standout = None if local is None else local[1 if event is Event.APPEARED else 0][i]
        if zone.kind in AIRCRAFT_ZONES:
            fits = _fits(params.aircraft, length, width, "aircraft", notes)
            if fits and _stands_out(standout, params.min_local_contrast, notes):
                cls = ObjectClass.AIRCRAFT
        elif zone.kind in WATER_ZONES:
            fits = _fits(params.vessel, length, width, "vessel", notes)
            surrounded = water_ring is None or water_ring[i] >= 0.25
            if not surrounded:
                notes.append("not surrounded by water (quay or pier)")
            on_water = True
            if water_in is not None:
                absent = 0 if event is Event.APPEARED else 1
                frac = float(water_in[absent][i])
                hull = 1.0 - float(water_in[1 - absent][i])
                on_water = frac >= params.min_water_when_absent
                if not on_water:
                    notes.append(
                        f"only {frac:.0%} water on the date without it: a quay or shore change"
                    )
                elif hull < params.min_hull_when_present:
                    on_water = False
                    notes.append(
                        f"{hull:.0%} not-water on the date with it: a change of the water "
                        "(turbidity, glint), not a hull"
                    )
            if (
                fits
                and surrounded
                and on_water
                and _stands_out(standout, params.min_local_contrast, notes)
            ):
                cls = ObjectClass.VESSEL
        mean_mag = float(feats["mean_magnitude"][i])
        contrast = (mean_mag - change.threshold) / noise
        detectable = length >= min_detect
        if not detectable:
            notes.append(
                f"{length:.0f} m is below the {min_detect:.0f} m this sensor resolves reliably"
            )
        size_factor = min(1.0, area_px / 9.0)
        confidence = float(
            np.clip((1.0 - np.exp(-max(contrast, 0.0) / 3.0)) * size_factor, 0.0, 1.0)
        )
        if cls is ObjectClass.OTHER:
            confidence *= 0.5
        r0, c0 = int(feats["row_min"][i]), int(feats["col_min"][i])
        r1, c1 = int(feats["row_max"][i]), int(feats["col_max"][i])
        fx, fy = grid.xy(np.array([r0, r0, r1, r1, r0]), np.array([c0, c1, c1, c0, c0]))
        flon, flat = grid.to_lonlat(fx, fy)
        ident = _detection_id(site, before[0], after[0], r0, c0, r1, c1)
        out.append(
            Detection(
                id=ident,
                site=site,
                zone=zone.name,
                zone_kind=zone.kind,
                object_class=cls,
                event=event,
                lon=round(float(lon[i]), 7),
                lat=round(float(lat[i]), 7),
                footprint=tuple(
                    (round(float(a), 7), round(float(b), 7))
                    for a, b in zip(flon, flat, strict=True)
                ),
                bbox_px=(r0, c0, r1, c1),
                area_px=area_px,
                area_m2=round(area_px * grid.pixel_area_m2, 1),
                length_m=round(length, 1),
                width_m=round(width, 1),
                orientation_deg=round(float(feats["orientation_deg"][i]), 1),
                mean_change=round(mean_mag, 5),
                contrast=round(float(contrast), 3),
                confidence=round(confidence, 3),
                detectable=bool(detectable),
                before=before[0],
                after=after[0],
                before_date=before[1],
                after_date=after[1],
                notes=tuple(notes),
            )
        )
    out.sort(key=lambda d: (-d.confidence, d.id))
    return out


def _zone_groups(zone_idx: NDArray[np.integer[Any]], zones: Sequence[Zone]) -> NDArray[np.int8]:
    """Zone group of each pixel: ``0`` outside the zones, ``1`` aircraft, ``2`` water.

    Change components are labelled within one group (:func:`_label_by_part`): an
    apron and the harbour water beside it are different places, and an object found
    across the two would be classed by whichever holds more of its pixels.
    """
    group = np.array(
        [1 if z.kind in AIRCRAFT_ZONES else 2 if z.kind in WATER_ZONES else 0 for z in zones] + [0],
        dtype=np.int8,
    )
    return np.asarray(group[np.where(zone_idx >= 0, zone_idx, len(zones))], dtype=np.int8)


def _label_by_part(
    mask: NDArray[np.bool_],
    part: NDArray[np.int8],
    *,
    structure: NDArray[np.bool_],
) -> tuple[NDArray[np.int32], int]:
    """Connected components of ``mask`` that never cross from one ``part`` to another.

    Each part (``1..part.max()``; ``0`` is dropped) is labelled on its own and the
    labels are offset, so the loop runs over the few parts, not over pixels.
    """
    labels = np.zeros(mask.shape, dtype=np.int32)
    n = 0
    for p in range(1, int(part.max(initial=0)) + 1):
        lab, k = ndimage.label(mask & (part == p), structure=structure)
        if k:
            sel = lab > 0
            labels[sel] = lab[sel] + n
            n += k
    return labels, n


def _large_components(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Components of 6 pixels or more, kept whole by the speck-removing opening."""
    labels, n = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if n == 0:
        return np.zeros_like(mask)
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    keep = sizes >= 6
    keep[0] = False
    return np.asarray(keep[labels], dtype=bool)


def _fits(r: SizeRange, length: float, width: float, what: str, notes: list[str]) -> bool:
    if not r.min_length_m <= length <= r.max_length_m:
        notes.append(f"{length:.0f} m long: outside the {what} range")
        return False
    if width > r.max_width_m:
        notes.append(f"{width:.0f} m wide: wider than any {what}")
        return False
    return True


def _stands_out(contrast: float | None, minimum: float, notes: list[str]) -> bool:
    if contrast is None or contrast >= minimum:
        return True
    notes.append(
        f"not brighter than its surroundings ({contrast:+.0%}): a surface change, not an object"
    )
    return False


def _ring_mean(
    labels: NDArray[np.integer[Any]],
    n: int,
    image: NDArray[Any],
    *,
    inner_px: int = 0,
    outer_px: int = 2,
) -> NDArray[np.float64]:
    """Mean of ``image`` over each component's ring (NaN-safe; NaN where it has none).

    The ring is the pixels within ``outer_px`` (chessboard distance) of the component
    and farther than ``inner_px`` from every component; where rings overlap, a pixel
    goes to the higher label.
    """
    grown = ndimage.grey_dilation(labels, size=(2 * outer_px + 1,) * 2)
    occupied = labels > 0
    if inner_px:
        occupied = ndimage.maximum_filter(occupied, size=2 * inner_px + 1)
    ring = ~occupied & (grown > 0)
    lab = grown[ring]
    vals = np.asarray(image, dtype=np.float64)[ring]
    ok = np.isfinite(vals)
    total = np.bincount(lab[ok], minlength=n + 1)[1:].astype(np.float64)
    acc = np.bincount(lab[ok], vals[ok], minlength=n + 1)[1:]
    return np.where(total > 0, acc / np.where(total > 0, total, 1), np.nan)


def _local_contrast(
    labels: NDArray[np.integer[Any]], n: int, image: NDArray[np.floating[Any]]
) -> NDArray[np.float64]:
    """Relative brightness of each component over its ring: ``inside / ring - 1``."""
    sel = labels.ravel() > 0
    lab = labels.ravel()[sel]
    vals = np.asarray(image, dtype=np.float64).ravel()[sel]
    vals = np.where(np.isfinite(vals), vals, 0.0)
    area = np.bincount(lab, minlength=n + 1)[1:].astype(np.float64)
    inside = np.bincount(lab, vals, minlength=n + 1)[1:] / np.where(area > 0, area, 1)
    ring = _ring_mean(labels, n, image)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ring > 0, inside / ring - 1.0, 0.0)


def _weakest_band_contrast(
    labels: NDArray[np.integer[Any]],
    n: int,
    images: Sequence[NDArray[np.floating[Any]]],
) -> NDArray[np.float64]:
    """Smallest contrast of each component over its ring, across several bands.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    images : sequence of ndarray, each shape (rows, cols)
        Bands (NaN invalid); at least one.

    Returns
    -------
    ndarray, shape (n,), float64
        ``min`` over the bands of :func:`_local_contrast` (``inside / ring - 1``): an
        object that is bright in every band (white paint) keeps a high value, one that
        is bright in some bands only (a coloured roof, a moving vehicle whose bands do
        not overlap) a low one.
    """
    if not images:
        raise InputError("_weakest_band_contrast needs at least one band")
    per_band = np.stack([_local_contrast(labels, n, img) for img in images])
    return np.asarray(per_band.min(axis=0), dtype=np.float64)


def _detection_id(site: str, before: str, after: str, r0: int, c0: int, r1: int, c1: int) -> str:
    h = hashlib.sha1(f"{site}|{before}|{after}|{r0},{c0},{r1},{c1}".encode()).hexdigest()
    return f"{site}-{h[:10]}"


# --------------------------------------------------------------------------- full tiles


@dataclass(frozen=True, eq=False)
class TileObjects:
    """Changed objects of a whole tile pair, from :func:`tile_objects`.

    ``features`` holds one float64 array per feature, each shape (n,): those of
    :func:`component_features` plus ``mean_magnitude`` (CVA norm) and ``mean_signed``
    (mean band difference; > 0: brighter after, an object appeared).
    """

    n: int
    features: Mapping[str, NDArray[np.float64]]
    threshold: float
    gain: NDArray[np.float32]
    bias: NDArray[np.float32]
    engine: str
    params: Mapping[str, Any]


def _tile_sample(
    before: NDArray[Any], after: NDArray[Any], *, step: tuple[int, int], nodata: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Valid pixels of a regular ``step`` (rows, cols) sample of both dates, (bands, k)."""
    b = before[:, :: step[0], :: step[1]]
    a = after[:, :: step[0], :: step[1]]
    if np.issubdtype(b.dtype, np.integer):
        ok = (b != nodata).all(axis=0) & (a != nodata).all(axis=0)
    else:
        ok = np.isfinite(b).all(axis=0) & np.isfinite(a).all(axis=0)
    return b[:, ok].astype(np.float32), a[:, ok].astype(np.float32)


def _np_delta(
    before: NDArray[Any],
    after: NDArray[Any],
    gain: NDArray[np.float32],
    bias: NDArray[np.float32],
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Squared CVA magnitude and summed band difference, float32, band by band in order
    (the exact operation order of the numba kernels)."""
    sq = np.zeros(before.shape[1:], dtype=np.float32)
    sd = np.zeros(before.shape[1:], dtype=np.float32)
    for i in range(before.shape[0]):
        d = after[i].astype(np.float32) * gain[i]
        d += bias[i]
        d -= before[i].astype(np.float32)
        sq += d * d
        sd += d
    return sq, sd


def opening_2x2(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Morphological opening by a 2 x 2 square: the union of the 2 x 2 blocks that fit
    inside ``mask`` (blocks may not cross the image edge). Removes specks and
    one-pixel lines; equals ``scipy.ndimage.binary_opening(mask, np.ones((2, 2)))``."""
    e = mask[:-1, :-1] & mask[1:, :-1] & mask[:-1, 1:] & mask[1:, 1:]
    out = np.zeros_like(mask)
    out[:-1, :-1] |= e
    out[1:, :-1] |= e
    out[:-1, 1:] |= e
    out[1:, 1:] |= e
    return out


def tile_objects(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    pixel_size_m: tuple[float, float] = (10.0, 10.0),
    nodata: float = 0,
    threshold: float | None = None,
    k: float = 5.0,
    normalise: bool = True,
    sample_step: tuple[int, int] = (64, 64),
    opening: bool = True,
    min_pixels: int = 3,
    engine: str = "auto",
) -> TileObjects:
    """Pixels to changed objects for a whole tile pair, in one pass over the inputs.

    CVA magnitude (after a per-band median/MAD normalisation of ``after`` onto
    ``before``), a robust ``median + k sigma`` threshold fitted on every
    ``sample_step``-th row, the change mask, a 2 x 2 opening, 8-connected components
    and their features. The numba engine never allocates an image-sized array; the
    numpy engine is the readable reference and gives identical results.

    Parameters
    ----------
    before, after : ndarray, shape (bands, rows, cols)
        Same shape and dtype; integer digital numbers (``nodata`` marks invalid) or
        floats (NaN invalid).
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)``: sizes in metres are computed with it.
    nodata : number
        Invalid value of integer inputs (Sentinel-2: 0). A pixel is valid when no band
        of either date holds it.
    threshold : float, optional
        Fixed magnitude threshold (in the inputs' units); default automatic.
    k : float
        Robust threshold multiplier.
    normalise : bool
        Fit ``gain * after + bias`` per band onto ``before`` (on the sampled rows).
    sample_step : (int, int)
        Row and column step of the regular sample used for the normalisation and the
        threshold (the default reads 1/64 of the rows and keeps about 29 000 pixels
        of a full tile, plenty for four medians and a threshold).
    opening : bool
        Apply :func:`opening_2x2` to the change mask.
    min_pixels : int
        Drop components smaller than this.
    engine : {"auto", "numba", "numpy"}
        ``auto`` uses numba when installed.

    Returns
    -------
    TileObjects
    """
    from basewatch import _kernels
    from basewatch.change import check_pair, normalise_to, robust_threshold

    check_pair(before, after)
    if engine == "auto":
        engine = "numba" if _kernels.HAVE_NUMBA else "numpy"
    if engine not in ("numba", "numpy"):
        raise InputError(f"unknown engine {engine!r}; use 'auto', 'numba' or 'numpy'")
    if engine == "numba" and not _kernels.HAVE_NUMBA:
        raise InputError("engine 'numba' requested but numba is not installed")
    nb = before.shape[0]
    sb, sa = _tile_sample(before, after, step=sample_step, nodata=nodata)
    gain = np.ones(nb, dtype=np.float32)
    bias = np.zeros(nb, dtype=np.float32)
    if normalise and sb.shape[1] >= 16:
        _, gain, bias = normalise_to(sb[:, None, :], sa[:, None, :])
    if sb.shape[1] < 2 and sample_step != (1, 1):
        sb, sa = _tile_sample(before, after, step=(1, 1), nodata=nodata)
    if threshold is None and sb.shape[1] < 2:
        # nothing (or one pixel) is valid on both dates: there can be no change
        return TileObjects(
            n=0,
            features=shape_from_moments(
                np.zeros((0, 6), np.int64),
                np.zeros((0, 4), np.int64),
                pixel_size_m=pixel_size_m,
            )
            | {"mean_magnitude": np.zeros(0), "mean_signed": np.zeros(0)},
            threshold=float("nan"),
            gain=gain,
            bias=bias,
            engine=engine,
            params={
                "threshold": None,
                "reason": "fewer than two valid pixels",
                "k": k,
                "sample_step": list(sample_step),
                "engine": engine,
            },
        )
    if threshold is None:
        sq_s, _ = _np_delta(sb[:, None, :], sa[:, None, :], gain, bias)
        threshold = robust_threshold(np.sqrt(sq_s), k=k)
    thr2 = np.float32(threshold) * np.float32(threshold)
    sq_s, _ = _np_delta(sb[:, None, :], sa[:, None, :], gain, bias)
    expected = float(np.mean(sq_s > thr2)) if sq_s.size else 0.01
    params: dict[str, Any] = {
        "method": "cva",
        "threshold_method": "robust",
        "k": k,
        "threshold": float(threshold),
        "normalise": normalise,
        "gain": [float(g) for g in gain],
        "bias": [float(b) for b in bias],
        "sample_step": list(sample_step),
        "opening": opening,
        "min_pixels": min_pixels,
        "connectivity": 8,
        "nodata": nodata,
        "pixel_size_m": list(pixel_size_m),
        "engine": engine,
    }
    if engine == "numba":
        runs, sums, counts = _kernels.strip_runs(
            before,
            after,
            gain=gain,
            bias=bias,
            nodata=nodata,
            thr2=float(thr2),
            opening=opening,
            expected_fraction=expected,
        )
        moments, box, msum, ssum, _ = _kernels.runs_to_components(
            runs, sums, counts, min_pixels=min_pixels
        )
    else:
        sq, sd = _np_delta(before, after, gain, bias)
        if np.issubdtype(before.dtype, np.integer):
            ok = (before != nodata).all(axis=0) & (after != nodata).all(axis=0)
        else:
            ok = np.isfinite(before).all(axis=0) & np.isfinite(after).all(axis=0)
        mask = ok & (sq > thr2)
        del ok
        if opening:
            mask = opening_2x2(mask)
        lab_img, n = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
        del mask
        moments, box, idx, lab = label_moments(lab_img, n)
        # per-pixel magnitude and mean difference (float32), summed in float64 run by
        # run (a run: consecutive changed pixels of one row), then run sums summed per
        # component, both in raster order: the numba engine's order of additions
        starts = np.ones(idx.shape, dtype=bool)
        starts[1:] = (idx[1:] != idx[:-1] + 1) | (idx[1:] % before.shape[2] == 0)
        run = np.cumsum(starts) - 1
        mag64 = np.sqrt(sq.ravel()[idx]).astype(np.float64)
        sgn64 = (sd.ravel()[idx] * (np.float32(1.0) / np.float32(nb))).astype(np.float64)
        run_lab = lab[starts]
        msum = np.asarray(
            np.bincount(run_lab, np.bincount(run, mag64), minlength=n + 1)[1:], dtype=np.float64
        )
        ssum = np.asarray(
            np.bincount(run_lab, np.bincount(run, sgn64), minlength=n + 1)[1:], dtype=np.float64
        )
        keep = moments[:, 0] >= min_pixels
        moments, box, msum, ssum = moments[keep], box[keep], msum[keep], ssum[keep]
    feats = shape_from_moments(moments, box, pixel_size_m=pixel_size_m)
    feats["mean_magnitude"] = msum / feats["area_px"]
    feats["mean_signed"] = ssum / feats["area_px"]
    return TileObjects(
        n=len(moments),
        features=feats,
        threshold=float(threshold),
        gain=gain,
        bias=bias,
        engine=engine,
        params=params,
    )


# --------------------------------------------------------------------------- single dates


def fill_small_holes(mask: NDArray[np.bool_], *, max_hole_px: int) -> NDArray[np.bool_]:
    """``mask`` with enclosed holes of at most ``max_hole_px`` pixels filled.

    A ship on water is a hole in a water mask (NDWI or SAR dark water); filling small
    holes gives the area where vessels may be, without letting in land (large, or
    touching the image edge).
    """
    holes, n = ndimage.label(~mask)
    if n == 0:
        return mask.copy()
    sizes = np.bincount(holes.ravel(), minlength=n + 1)
    edge = np.unique(np.concatenate([holes[0], holes[-1], holes[:, 0], holes[:, -1]]))
    fill = sizes <= max_hole_px
    fill[0] = False
    fill[edge] = False
    return np.asarray(mask | fill[holes], dtype=bool)


def bright_objects(
    image: NDArray[Any],
    *,
    background: NDArray[np.bool_],
    search: NDArray[np.bool_] | None = None,
    pixel_size_m: tuple[float, float],
    guard: int = 4,
    window: int = 12,
    pfa: float = 1e-5,
    k: float | None = None,
    min_std: float = 0.0,
    min_pixels: int = 2,
    k_low: float | None = None,
) -> tuple[NDArray[np.int32], dict[str, NDArray[np.float64]], float]:
    """Bright objects (vessels) on a dark background, from one date: CFAR + components.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        SAR backscatter (dB) or an optical NIR band; NaN invalid.
    background : ndarray, shape (rows, cols), bool
        Pixels of the clutter (open water) whose statistics the CFAR uses.
    search : ndarray, shape (rows, cols), bool, optional
        Where objects may lie (water with its vessel-sized holes filled, see
        :func:`fill_small_holes`); default ``background``.
    pixel_size_m : (float, float)
    guard, window, pfa, k, min_std
        CFAR parameters (:func:`basewatch.change.cfar`; ``window`` is its background
        half-size).
    min_pixels : int
        Smallest object kept.
    k_low : float, optional
        Hysteresis: an object is the connected region of score above ``k_low`` around
        pixels above the CFAR threshold, so a ship whose superstructure is bright and
        hull dim is one object of its full length, not a bright fragment.

    Returns
    -------
    labels : ndarray, shape (rows, cols), int32
        ``0`` background, ``1..n`` the kept objects.
    features : dict of ndarray, each shape (n,)
        As :func:`component_features`, plus ``mean_score`` and ``max_score`` (CFAR
        score, in background standard deviations) and ``contrast`` (mean of the
        object over the local background mean, minus 1).
    k : float
        CFAR score threshold used.
    """
    from basewatch.change import cfar

    img = np.asarray(image, dtype=np.float32)
    where = background if search is None else search
    if where.shape != img.shape or background.shape != img.shape:
        raise InputError(
            f"image {img.shape}, background {background.shape} and search {where.shape} "
            "must have the same shape"
        )
    # statistics from the background only; the score is evaluated where objects may be
    res = cfar(
        img,
        valid=background,
        search=where,
        guard=guard,
        background=window,
        pfa=pfa,
        k=k,
        min_std=min_std,
    )
    score, mean, mask = res.score, res.background, res.mask
    eight = np.ones((3, 3), dtype=bool)
    if k_low is not None and k_low < res.k:
        low = np.nan_to_num(score, nan=-np.inf) > k_low
        lab_low, n_low = ndimage.label(low, structure=eight)
        seeded = np.zeros(n_low + 1, dtype=bool)
        seeded[np.unique(lab_low[mask])] = True
        seeded[0] = False
        mask = seeded[lab_low]
    labels, n = ndimage.label(mask, structure=eight)
    if n == 0:
        return labels.astype(np.int32), {}, res.k
    feats = component_features(
        labels,
        n,
        pixel_size_m=pixel_size_m,
        values={"score": score, "value": img, "bg": mean.astype(np.float32)},
    )
    smax = ndimage.maximum(np.nan_to_num(score, nan=0.0), labels, np.arange(1, n + 1))
    feats["max_score"] = np.asarray(smax, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        feats["contrast"] = np.where(
            feats["mean_bg"] != 0, feats["mean_value"] / feats["mean_bg"] - 1.0, np.nan
        )
    keep = feats["area_px"] >= min_pixels
    remap = np.zeros(n + 1, dtype=np.int32)
    remap[1:][keep] = np.arange(1, int(keep.sum()) + 1, dtype=np.int32)
    return remap[labels], {key: v[keep] for key, v in feats.items()}, res.k


# --------------------------------------------------------------------------- objects per date


def _zone_mask(
    zone_idx: NDArray[np.integer[Any]], zones: Sequence[Zone], kinds: frozenset[str]
) -> NDArray[np.bool_]:
    ok = np.array([z.kind in kinds for z in zones] + [False])
    return np.asarray(ok[np.where(zone_idx >= 0, zone_idx, len(zones))], dtype=bool)


#: Zone kinds where moored hulls are looked for by NIR brightness (:func:`berth_hulls`).
BERTH_ZONES: frozenset[str] = frozenset({"berth"})


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
) -> tuple[NDArray[np.int32], dict[str, NDArray[np.float64]], NDArray[np.bool_]]:
    """Hulls moored in berth zones: elongated objects brighter than the berth's water
    in the NIR.

    A ship moored hard against a quay is no hole in the water mask, and its hull may
    be water by NDWI (red or dark paint), so the hole test of the vessel detector
    misses it. Berth zones are traced on the water, ending at the quay face, so any
    clearly NIR-bright object inside one is something afloat or built out from the
    quay. For each berth zone the water level is the median ``m`` of the zone's valid
    NIR pixels (hulls are a minority of its pixels) and its spread ``s`` is 1.4826 times
    their median absolute deviation; a pixel is hull when its NIR exceeds both
    ``m + params.berth_hull_k * s`` and ``params.berth_hull_min_ratio * m``. Hull pixels
    are joined into 8-connected components.

    Parameters
    ----------
    nir : ndarray, shape (rows, cols)
        Near-infrared reflectance (Sentinel-2 B08); NaN invalid.
    zone_idx : ndarray, shape (rows, cols), int
        Zone of each pixel (``-1`` none), as :func:`basewatch.aoi.zone_index`.
    zones : sequence of Zone
        The zones ``zone_idx`` refers to; those of a kind in :data:`BERTH_ZONES` are
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

    Returns
    -------
    labels : ndarray, shape (rows, cols), int32
        ``0`` background, ``1..n`` the hull components.
    features : dict of ndarray, each shape (n,)
        As :func:`component_features`, plus ``mean_nir``, ``water_level`` and
        ``water_median`` (of the component's zone) and ``confidence``.
    keep : ndarray, shape (n,), bool
        Components that are moored-vessel observations (size, shape, not excluded).
    """
    img = np.asarray(nir, dtype=np.float64)
    if img.shape != zone_idx.shape or valid.shape != img.shape:
        raise InputError(
            f"nir {img.shape}, zone_idx {zone_idx.shape} and valid {valid.shape} "
            "must have the same shape"
        )
    ok = valid & np.isfinite(img)
    level = np.full(img.shape, np.inf)
    median = np.full(img.shape, np.nan)
    for i, zone in enumerate(zones):
        if zone.kind not in BERTH_ZONES:
            continue
        inside = (zone_idx == i) & ok
        if not inside.any():
            continue
        v = img[inside]
        m = float(np.median(v))
        spread = 1.4826 * float(np.median(np.abs(v - m)))
        level[inside] = max(m + params.berth_hull_k * spread, params.berth_hull_min_ratio * m)
        median[inside] = m
    hull = ok & (np.nan_to_num(img, nan=-np.inf) > level)
    labels, n = ndimage.label(hull, structure=np.ones((3, 3), dtype=bool))
    if n == 0:
        return labels.astype(np.int32), {}, np.zeros(0, dtype=bool)
    feats = component_features(
        labels,
        n,
        pixel_size_m=pixel_size_m,
        values={
            "nir": img,
            "water_level": np.where(hull, level, 0.0),
            "water_median": np.nan_to_num(median),
        },
    )
    feats["water_level"] = feats.pop("mean_water_level")
    feats["water_median"] = feats.pop("mean_water_median")
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
        touched = np.zeros(n + 1, dtype=bool)
        touched[np.unique(labels[ndimage.binary_dilation(exclude, np.ones((3, 3), bool))])] = True
        keep &= ~touched[1:]
    # margin over the level in units of the level's height above the water
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = (feats["mean_nir"] - feats["water_level"]) / np.maximum(
            feats["water_level"] - feats["water_median"], 1e-6
        )
    feats["confidence"] = np.clip(
        (1.0 - np.exp(-np.nan_to_num(margin, nan=0.0))) * np.minimum(1.0, feats["area_px"] / 9.0),
        0.0,
        1.0,
    )
    return labels.astype(np.int32), feats, keep


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
    Vessels: :func:`basewatch.vessels.detect_vessels_optical` on ``green``/``nir``
    restricted to water zones (skipped when either band is missing), with default
    :class:`~basewatch.vessels.VesselParams`, kept when at least
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

    Returns
    -------
    list of Observation
        Only detectable objects whose majority zone is of the right kind.
    """
    from basewatch.events import observations
    from basewatch.vessels import VesselParams, detect_vessels_optical

    px = float(np.sqrt(grid.pixel_area_m2))
    min_detect = minimum_detectable_m(px, factor=params.detectable_factor)
    out: list[Observation] = []

    def _to_px(metres: float) -> int:
        return max(1, round(metres / px))

    def _add(
        labels: NDArray[np.integer[Any]],
        feats: dict[str, NDArray[np.float64]],
        keep: NDArray[np.bool_],
        cls: ObjectClass,
        kinds: frozenset[str],
    ) -> None:
        n = len(keep)
        if n == 0:
            return
        zone_of = _majority_zone(labels, n, zone_idx, len(zones))
        kind_ok = np.array([z.kind in kinds for z in zones] + [False])
        keep = keep & kind_ok[np.where(zone_of >= 0, zone_of, len(zones))]
        out.extend(
            observations(
                feats,
                scene=scene,
                date=date,
                pixel_size_m=grid.pixel_size_m,
                object_class=cls,
                keep=keep,
                confidence=feats.get("confidence"),
                zones=[zones[i].name if i >= 0 else None for i in zone_of],
                zone_kinds=[zones[i].kind if i >= 0 else None for i in zone_of],
                grid=grid,
            )
        )

    air = _zone_mask(zone_idx, zones, AIRCRAFT_ZONES) & valid
    if air.any():
        labels, feats, k = bright_objects(
            brightness,
            background=air,
            pixel_size_m=grid.pixel_size_m,
            guard=_to_px(params.aircraft_guard_m),
            window=_to_px(params.aircraft_window_m),
            pfa=params.aircraft_pfa,
            k_low=params.aircraft_k_low,
            min_pixels=params.min_pixels,
        )
        if feats:
            r = params.aircraft
            length, width = feats["length_m"], feats["width_m"]
            contrast = _local_contrast(labels, len(length), brightness)
            weakest = _weakest_band_contrast(
                labels, len(length), [b for b in (brightness, green, nir) if b is not None]
            )
            feats["band_contrast"] = weakest
            keep = (
                (length >= max(r.min_length_m, min_detect))
                & (length <= r.max_length_m)
                & (width <= r.max_width_m)
                & (contrast >= params.min_local_contrast)
                & (weakest >= params.aircraft_min_band_contrast)
            )
            margin = np.maximum(feats["max_score"] - k, 0.0)
            feats["confidence"] = np.clip(
                (1.0 - np.exp(-margin / 3.0)) * np.minimum(1.0, feats["area_px"] / 9.0), 0.0, 1.0
            )
            _add(labels, feats, keep, ObjectClass.AIRCRAFT, AIRCRAFT_ZONES)
    water = _zone_mask(zone_idx, zones, WATER_ZONES) & valid
    if water.any() and green is not None and nir is not None:
        vparams = VesselParams()
        res = detect_vessels_optical(
            green, nir, pixel_size_m=grid.pixel_size_m, params=vparams, valid=water
        )
        if res.features:
            # a hull is not water and lies in a hole of the water: mixed shore pixels
            # (water by NDWI) and quays, piers or breakwaters (land joined to the
            # shore) are not vessels
            g = np.asarray(green, dtype=np.float32)
            nr = np.asarray(nir, dtype=np.float32)
            with np.errstate(invalid="ignore", divide="ignore"):
                wet = np.nan_to_num((g - nr) / (g + nr), nan=-1.0) > vparams.ndwi_threshold
            max_hole = int(vparams.max_vessel_area_m2 / grid.pixel_area_m2)
            hull = fill_small_holes(wet, max_hole_px=max_hole) & ~wet
            n_obj = len(res.is_vessel)
            area = np.maximum(np.bincount(res.labels.ravel(), minlength=n_obj + 1)[1:], 1)
            hull_frac = np.bincount(res.labels.ravel(), hull.ravel(), minlength=n_obj + 1)[1:]
            r = params.vessel
            length = res.features["length_m"]
            keep = (
                res.is_vessel
                & res.detectable
                & (length <= r.max_length_m)
                & (hull_frac / area >= params.min_hull_when_present)
            )
            _add(res.labels, res.features, keep, ObjectClass.VESSEL, WATER_ZONES)
            found = np.concatenate([[False], keep])[res.labels]
        else:
            found = np.zeros(water.shape, dtype=bool)
        if params.berth_hulls:
            labels, feats, keep = berth_hulls(
                nir,
                zone_idx=zone_idx,
                zones=zones,
                valid=valid,
                pixel_size_m=grid.pixel_size_m,
                min_length_m=min_detect,
                params=params,
                exclude=found,
            )
            _add(labels, feats, keep, ObjectClass.VESSEL, BERTH_ZONES)
    return out


def _boxes_touch(a: tuple[int, int, int, int], b: tuple[int, int, int, int], margin: int) -> bool:
    return (
        a[0] - margin < b[2]
        and b[0] - margin < a[2]
        and a[1] - margin < b[3]
        and b[1] - margin < a[3]
    )


def confirm_aircraft(
    change: Sequence[Detection],
    seen: tuple[Sequence[Observation], Sequence[Observation]],
    *,
    margin_px: int = 1,
) -> list[Detection]:
    """Keep a change-path *aircraft* only where an aircraft was seen on the date it is
    present.

    The change path says that something changed; whether it was an aircraft is better
    judged on the image where it stands: :func:`date_observations` wants an
    aircraft-sized object bright in every band (paint), which the changing vehicles
    and roofs of a car park at the edge of an apron are not. An aircraft *appeared*
    (*disappeared*) with no single-date aircraft whose box touches it (within
    ``margin_px``) on the after (before) date becomes *other*, with a note saying so.
    Vessels are left alone: a ship moored against a quay is seen by the change path
    only.

    Parameters
    ----------
    change : sequence of Detection
        From :func:`extract_detections`.
    seen : (sequence of Observation, sequence of Observation)
        Objects found on the before and on the after date.

    Returns
    -------
    list of Detection
    """
    out: list[Detection] = []
    for d in change:
        if d.object_class is ObjectClass.AIRCRAFT and d.event in (
            Event.APPEARED,
            Event.DISAPPEARED,
        ):
            when = 1 if d.event is Event.APPEARED else 0
            there = any(
                o.object_class is ObjectClass.AIRCRAFT
                and _boxes_touch(d.bbox_px, o.bbox_px, margin_px)
                for o in seen[when]
            )
            if not there:
                date = d.after_date if when else d.before_date
                d = replace(
                    d,
                    object_class=ObjectClass.OTHER,
                    confidence=round(d.confidence * 0.5, 3),
                    notes=(
                        *d.notes,
                        f"no aircraft found here on {date} by single-date detection "
                        "(aircraft-sized and bright in every band): vehicles, roofs or "
                        "surface, not an aircraft",
                    ),
                )
        out.append(d)
    return out


def merge_object_events(
    change: Sequence[Detection],
    matched: Sequence[ObjectEvent],
    *,
    margin_px: int = 1,
) -> tuple[list[Detection], list[ObjectEvent]]:
    """Merge change-based detections with events from matching single-date objects.

    One physical object gives one event. The change path (pixels that changed between
    the dates) is the direct evidence, so it wins wherever the two overlap (boxes
    within ``margin_px`` pixels, either end of a matched pair): a matched *appeared* or
    *disappeared* that agrees with an overlapping change detection of the same class
    and event confirms it (a note is added); any other overlapping matched event is
    dropped. Matched *appeared*/*disappeared* with no change behind them are dropped
    too (a single-date detection flickering across its threshold is not an event).
    What is added: *persisted* and *moved* objects that no change detection touches,
    and *moved* objects whose two ends are exactly a change *disappeared* (before end)
    and a change *appeared* (after end) of the same class: those two change detections
    are replaced by the one move. The rule is symmetric in the dates.

    Returns
    -------
    detections : list of Detection
        The change detections (some with a confirming note).
    added : list of ObjectEvent
        The matched events to report as well.
    """
    out = list(change)
    added: list[ObjectEvent] = []
    for e in matched:
        ends = [o for o in (e.before, e.after) if o is not None]
        hits = [
            i
            for i, d in enumerate(out)
            if any(_boxes_touch(d.bbox_px, o.bbox_px, margin_px) for o in ends)
        ]
        if e.event in (Event.APPEARED, Event.DISAPPEARED):
            for i in hits:
                d = out[i]
                if d.event is e.event and d.object_class is e.where.object_class:
                    note = "also found by single-date detection and matching"
                    if note not in d.notes:
                        out[i] = replace(d, notes=(*d.notes, note))
        elif not hits:
            added.append(e)
        elif e.event is Event.MOVED and e.before is not None and e.after is not None:
            cls = e.where.object_class
            gone = {
                i
                for i in hits
                if out[i].event is Event.DISAPPEARED
                and out[i].object_class is cls
                and _boxes_touch(out[i].bbox_px, e.before.bbox_px, margin_px)
            }
            came = {
                i
                for i in hits
                if out[i].event is Event.APPEARED
                and out[i].object_class is cls
                and _boxes_touch(out[i].bbox_px, e.after.bbox_px, margin_px)
            }
            if gone and came and gone | came == set(hits):
                # the change path saw both ends of one move: report the move once
                out = [d for i, d in enumerate(out) if i not in gone | came]
                added.append(e)
    return out, added
