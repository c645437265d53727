"""From change pixels to objects: components, features, classes and events.

Pure code (numpy and scipy.ndimage, no I/O). Features are computed for all
components at once with ``bincount`` moments, so the cost does not grow with the
number of objects in Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch.aoi import AIRCRAFT_ZONES, WATER_ZONES, Zone
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.records import ChangeMap, Detection, Event, ObjectClass

__all__ = [
    "ObjectParams",
    "SizeRange",
    "component_features",
    "extract_detections",
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
    """

    min_pixels: int = 3
    opening: bool = True
    closing: bool = True
    aircraft: SizeRange = SizeRange(12.0, 90.0, 90.0)
    vessel: SizeRange = SizeRange(12.0, 400.0, 70.0)
    min_local_contrast: float = 0.10
    detectable_factor: float = 2.0
    connectivity: int = 2
    extra: Mapping[str, Any] = field(default_factory=dict)


def minimum_detectable_m(pixel_size_m: float, *, factor: float = 2.0) -> float:
    """Smallest object length (m) basewatch calls reliably detectable at this pixel size.

    An object must span about ``factor`` pixels to be separated from its background
    (a Ka-52 of 16 m or a 12 m launcher truck is at or below this at 10 m).
    """
    return factor * pixel_size_m


def component_features(
    labels: NDArray[np.integer[Any]],
    n: int,
    *,
    pixel_size_m: tuple[float, float],
    values: Mapping[str, NDArray[np.floating[Any]]] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Shape features of labelled components, vectorised.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres (pixels may be non-square).
    values : mapping of name to ndarray (rows, cols), optional
        Images whose per-component mean is returned as ``mean_<name>``.

    Returns
    -------
    dict of ndarray, each shape (n,)
        ``area_px``, ``row``, ``col`` (centroid, pixel centres), ``length_m``,
        ``width_m`` (extent along the principal axes), ``orientation_deg`` (of the long
        axis, degrees clockwise from north), ``row_min``, ``col_min``, ``row_max``,
        ``col_max`` (max exclusive) and ``mean_<name>`` for each value image.
    """
    px, py = pixel_size_m
    flat = labels.ravel()
    sel = flat > 0
    lab = flat[sel]
    rows, cols = np.divmod(np.flatnonzero(sel), labels.shape[1])
    rows = rows.astype(np.float64) + 0.5
    cols = cols.astype(np.float64) + 0.5
    m = n + 1
    area = np.bincount(lab, minlength=m)[1:].astype(np.float64)
    safe = np.where(area > 0, area, 1)
    ym = rows * py
    xm = cols * px
    my = np.bincount(lab, ym, minlength=m)[1:] / safe
    mx = np.bincount(lab, xm, minlength=m)[1:] / safe
    syy = np.bincount(lab, ym * ym, minlength=m)[1:] / safe - my * my
    sxx = np.bincount(lab, xm * xm, minlength=m)[1:] / safe - mx * mx
    sxy = np.bincount(lab, xm * ym, minlength=m)[1:] / safe - mx * my
    # eigenvalues of the 2x2 covariance; add a pixel's own extent so 1 px -> p x p
    tr = sxx + syy
    det_term = np.sqrt(np.maximum(((sxx - syy) / 2) ** 2 + sxy**2, 0))
    lam1 = np.maximum(tr / 2 + det_term, 0)
    lam2 = np.maximum(tr / 2 - det_term, 0)
    pmean2 = px * py
    length = np.sqrt(12 * lam1 + pmean2)
    width = np.sqrt(12 * lam2 + pmean2)
    # orientation of the major axis: angle from +x (east) counter-clockwise, y down here
    theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    bearing = (90.0 + np.degrees(theta)) % 180.0  # rows grow southward: clockwise from north
    out: dict[str, NDArray[np.float64]] = {
        "area_px": area,
        "row": my / py,
        "col": mx / px,
        "length_m": length,
        "width_m": width,
        "orientation_deg": bearing,
    }
    objs = ndimage.find_objects(labels, max_label=n)
    bbox = np.array(
        [[s[0].start, s[1].start, s[0].stop, s[1].stop] if s is not None else [0, 0, 0, 0]
         for s in objs],
        dtype=np.float64,
    ).reshape(-1, 4)
    out["row_min"], out["col_min"], out["row_max"], out["col_max"] = bbox.T
    for name, img in (values or {}).items():
        v = np.asarray(img, dtype=np.float64).ravel()[sel]
        v = np.where(np.isfinite(v), v, 0.0)
        out[f"mean_{name}"] = np.bincount(lab, v, minlength=m)[1:] / safe
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
    return np.argmax(counts, axis=1).astype(np.int64) - 1


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
) -> list[Detection]:
    """Turn a change map into object events inside the site's zones.

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

    Returns
    -------
    list of Detection
        Objects in zones, sorted by confidence (highest first). Objects outside every
        zone are dropped; objects that fit no class are kept as ``other``.
    """
    if zone_idx.shape != change.mask.shape:
        raise InputError(
            f"zone index shape {zone_idx.shape} does not match the change map "
            f"{change.mask.shape}"
        )
    mask = change.mask & (zone_idx >= 0)
    if params.opening:
        mask = ndimage.binary_opening(mask, structure=np.ones((2, 2), bool)) | (
            mask & _large_components(mask)
        )
    if params.closing:
        mask = ndimage.binary_closing(mask, structure=np.ones((3, 3), bool)) & change.valid
    structure = ndimage.generate_binary_structure(2, params.connectivity)
    labels, n = ndimage.label(mask, structure=structure)
    if n == 0:
        return []
    feats = component_features(
        labels, n, pixel_size_m=grid.pixel_size_m,
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
    local: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    if brightness is not None:
        local = (_local_contrast(labels, n, brightness[0]), _local_contrast(labels, n, brightness[1]))
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
            if fits and surrounded and _stands_out(standout, params.min_local_contrast, notes):
                cls = ObjectClass.VESSEL
        mean_mag = float(feats["mean_magnitude"][i])
        contrast = (mean_mag - change.threshold) / noise
        detectable = length >= min_detect
        if not detectable:
            notes.append(
                f"{length:.0f} m is below the {min_detect:.0f} m this sensor resolves reliably"
            )
        size_factor = min(1.0, area_px / 9.0)
        confidence = float(np.clip((1.0 - np.exp(-max(contrast, 0.0) / 3.0)) * size_factor,
                                   0.0, 1.0))
        if cls is ObjectClass.OTHER:
            confidence *= 0.5
        r0, c0 = int(feats["row_min"][i]), int(feats["col_min"][i])
        r1, c1 = int(feats["row_max"][i]), int(feats["col_max"][i])
        fx, fy = grid.xy(np.array([r0, r0, r1, r1, r0]), np.array([c0, c1, c1, c0, c0]))
        flon, flat = grid.to_lonlat(fx, fy)
        ident = _detection_id(site, before[0], after[0], r0, c0, r1, c1)
        out.append(
            Detection(
                id=ident, site=site, zone=zone.name, zone_kind=zone.kind,
                object_class=cls, event=event,
                lon=round(float(lon[i]), 7), lat=round(float(lat[i]), 7),
                footprint=tuple(
                    (round(float(a), 7), round(float(b), 7)) for a, b in zip(flon, flat, strict=True)
                ),
                bbox_px=(r0, c0, r1, c1), area_px=area_px,
                area_m2=round(area_px * grid.pixel_area_m2, 1),
                length_m=round(length, 1), width_m=round(width, 1),
                orientation_deg=round(float(feats["orientation_deg"][i]), 1),
                mean_change=round(mean_mag, 5), contrast=round(float(contrast), 3),
                confidence=round(confidence, 3), detectable=bool(detectable),
                before=before[0], after=after[0], before_date=before[1], after_date=after[1],
                notes=tuple(notes),
            )
        )
    out.sort(key=lambda d: (-d.confidence, d.id))
    return out


def _large_components(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Components of 6 pixels or more, kept whole by the speck-removing opening."""
    labels, n = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if n == 0:
        return np.zeros_like(mask)
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    keep = sizes >= 6
    keep[0] = False
    return keep[labels]


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
    labels: NDArray[np.integer[Any]], n: int, image: NDArray[np.floating[Any]]
) -> NDArray[np.float64]:
    """Mean of ``image`` over each component's 2-pixel outer ring (NaN-safe)."""
    grown = ndimage.grey_dilation(labels, size=(5, 5))
    ring = (labels == 0) & (grown > 0)
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


def _detection_id(site: str, before: str, after: str, r0: int, c0: int, r1: int, c1: int) -> str:
    h = hashlib.sha1(f"{site}|{before}|{after}|{r0},{c0},{r1},{c1}".encode()).hexdigest()
    return f"{site}-{h[:10]}"
