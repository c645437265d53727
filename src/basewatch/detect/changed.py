"""Objects from a change map: changed components, their features, classes and events.

Pure code (numpy, scipy.ndimage and the numba kernels of :mod:`basewatch.detect._kernels`).
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
from basewatch.detect.components import (
    ObjectParams,
    _fits,
    _local_contrast,
    _majority_zone,
    _ring_mean,
    _stands_out,
    component_features,
    label_moments,
    opening_2x2,
    shape_from_moments,
)
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.records import ChangeMap, Detection, Event, ObjectClass
from basewatch.sensors import minimum_detectable_m


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
    from basewatch.detect import _kernels
    from basewatch.detect.change import check_pair, normalise_to, robust_threshold

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
