"""Whole tiles in chunks: :func:`basewatch.detect_pair` over a tile read strip by strip.

The in-memory pair pipeline holds both dates and a dozen image-sized working arrays:
a whole Sentinel-2 tile does not fit a worker. Here the tile is cut into strips of
full rows (:func:`basewatch.imagery.chunks.read_rows`, one windowed read per strip and
date) and the result is the in-memory one, object for object:

0. **Co-registration, as in memory.** The shift is measured on both dates' central
   window (:func:`~basewatch.imagery.coreg.decide_shift`, the window a whole-raster
   run measures on); when it is applied, a pass sums each band of the later date
   row by row for the fill of its invalid pixels, and every read of a strip of that
   date is shifted with :data:`~basewatch.imagery.coreg.SHIFT_HALO` more rows either
   side (:func:`read_after`): its values are the whole tile's aligned ones, bit for bit.
1. **Whole-tile statistics, in passes over the strips.** What the in-memory path
   measures over the whole site is measured over the whole tile: the radiometric
   normalisation (median and MAD of an even sample of the pixels valid on both dates,
   :func:`~basewatch.detect.change.fit_gain_bias`), the change threshold (a sample, or
   for Otsu and Kittler-Illingworth a histogram summed over the strips), the noise of
   the change magnitude over the unchanged pixels, and each berth zone's water level.
   A sample is "every k-th valid pixel in raster order": each strip is told how many
   valid pixels come before it (a first pass counts them), so the strips together
   return exactly the sample of the whole.
2. **Objects, strip by strip.** Each strip is read with a halo of rows above and below
   (:func:`pair_halo`: twice the longest object the classes allow, plus the widest
   neighbourhood: CFAR windows, rings, dilations) and runs the one pixel stage of the
   pipeline (:func:`basewatch.pipeline.optical_pixel_stage`,
   :func:`~basewatch.pipeline.sar_pixel_stage`) with the whole-tile statistics fixed.
   An object is kept by the one strip whose core holds its first row, so an object
   across a strip border is found whole, once.
3. **Objects larger than the halo** are caught, not cut: when an object a strip keeps
   reaches the edge of what it read (a large changed area of class *other*, a long
   hysteresis region), or when a small piece of the water mask that the vessel search
   fills or drops by its size is cut by that edge near the core, the strip is read
   again with twice the halo, up to what the worker's memory holds; past that the run
   stops with a message naming the object and the memory needed.
4. **Objects across dates** (matching, merging, counting per zone) run once on the
   collected objects (:func:`basewatch.pipeline.optical_object_stage`), as in memory.

Strips run as dask tasks: on the active ``distributed.Client`` when there is one (each
worker reads its own rows), else on dask's local scheduler.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from dask.base import compute
from dask.delayed import delayed
from numpy.typing import NDArray
from scipy import ndimage

from basewatch._gc import without_collection
from basewatch._heap import on_heap
from basewatch.aoi import BERTH_ZONES, WATER_ZONES, Site, Zone, polygon_mask, zone_index
from basewatch.detect.change import (
    MIN_NORMALISE_PIXELS,
    STAT_SAMPLE_SIZE,
    fit_gain_bias,
    histogram_threshold,
    robust_threshold,
)
from basewatch.detect.changed import _detection_id, noise_of
from basewatch.detect.components import ObjectParams, water_mask
from basewatch.detect.events import Observation
from basewatch.detect.single_date import berth_water_level
from basewatch.detect.vessels import VesselParams, sar_params
from basewatch.errors import CoverageError, InputError
from basewatch.grid import Grid, require_same_grid
from basewatch.imagery.chunks import (
    raster_grid,
    read_block,
    read_rows,
    rows_grid,
    strip_rows_for_budget,
)
from basewatch.imagery.coreg import (
    SHIFT_HALO,
    CoregParams,
    decide_shift,
    fill_parts,
    fill_values,
    measure_window,
    shift_rows,
    usable,
)
from basewatch.pipeline import (
    MIN_VALID_SITE_SHARE,
    ChangeParams,
    PairStatistics,
    PixelStage,
    _input_warnings,
    _radar_geometry,
    core_bands,
    optical_object_stage,
    optical_pixel_stage,
    sar_object_stage,
    sar_pixel_stage,
    zone_counts_of,
)
from basewatch.records import Detection, Scene

__all__ = [
    "HISTOGRAM_BINS",
    "PAIR_BYTES_PER_PIXEL",
    "WORKER_BASELINE_BYTES",
    "ChunkedPairResult",
    "PairSources",
    "Strip",
    "detect_pair_chunked",
    "neighbourhood_reach",
    "pair_halo",
    "plan_strips",
    "read_after",
    "site_rows",
    "write_chunked_run",
]

#: Peak bytes per pixel (strip and halo) of the optical pixel stage on a four-band
#: pair: the two dates, the normalised after date, the change map, brightness, water,
#: labels and the CFAR's working arrays. Measured (``benchmarks/chunked_pair.py``, the
#: tiled Beirut pair, the later date shifted as co-registration shifts it): 85 bytes
#: per pixel read at the tracemalloc peak of a strip read twice (its halo grown; 96
#: before each date's searches freed their arrays in turn); the whole in-memory run of
#: a 5490 x 5490 px pair (read, co-registered, detected) peaks at 3.0 GiB resident,
#: 106 bytes per pixel with Python and its libraries. Rounded up for the allocator's
#: slack.
PAIR_BYTES_PER_PIXEL = 128.0
#: What a worker holds before any strip: Python, numpy, numba's compiled kernels,
#: GDAL and dask (480-500 MiB peak per worker for a site pair, ``monitor_speed.py``).
WORKER_BASELINE_BYTES = 512 * 2**20
#: Bins of the Otsu and Kittler-Illingworth thresholds (as :func:`numpy.histogram` in
#: :func:`~basewatch.detect.change.kittler_illingworth_threshold`).
HISTOGRAM_BINS = 256
#: Rows of a strip when neither a memory budget nor a strip size is given.
DEFAULT_STRIP_ROWS = 1024
#: Reach of the 3 x 3 closing and 2 x 2 opening of the change mask, and of the
#: one-pixel dilations that keep one ship from being counted twice (pixels).
MORPHOLOGY_REACH_PX = 2
#: A strip whose kept objects reach the edge of its rows is read again with its halo
#: times this, up to what the memory budget holds.
HALO_GROWTH = 2
#: Strips sized to a memory budget leave room for their halo to grow this many times.
HALO_ROOM = 2
#: Without a memory budget, the halo may grow this many times.
UNBOUNDED_GROWTHS = 4


@dataclass(frozen=True)
class Strip:
    """A strip of full rows: its core (the rows whose objects it keeps) and the rows
    read around it.

    Attributes
    ----------
    core : (int, int)
        First row and the row after the last, of the tile.
    halo : int
        Rows read above and below the core (fewer at the tile's edges).
    """

    core: tuple[int, int]
    halo: int

    def window(self, height: int) -> tuple[int, int]:
        """Rows read: the core and its halo, inside ``height`` rows."""
        return max(0, self.core[0] - self.halo), min(height, self.core[1] + self.halo)


def plan_strips(height: int, *, core_rows: int, halo: int) -> tuple[Strip, ...]:
    """Strips of ``core_rows`` rows (the last may be shorter) covering ``height`` rows.

    Raises
    ------
    InputError
        ``core_rows`` below 1 or a negative halo.
    """
    if core_rows < 1 or halo < 0:
        raise InputError(f"strips need at least 1 row and a halo >= 0, got {core_rows}, {halo}")
    return tuple(
        Strip((r0, min(height, r0 + core_rows)), halo) for r0 in range(0, height, core_rows)
    )


def pair_halo(object_params: ObjectParams, pixel_size_m: tuple[float, float], sensor: str) -> int:
    """Rows a strip reads above and below its core so that the objects it keeps are
    found as on the whole tile.

    Twice the longest object the classes allow (a component's box can reach past its
    moment length, and a moored hull is tested against the free vessels it touches),
    plus the widest neighbourhood an object's pixels depend on: the CFAR background
    windows of the aircraft and vessel searches, the vessels' water ring, the search
    dilation and the morphology of the change mask.

    Parameters
    ----------
    object_params : ObjectParams
    pixel_size_m : (float, float)
    sensor : {"S2", "S1"}

    Returns
    -------
    int
        Pixels (rows).
    """
    vessels = sar_params() if sensor == "S1" else VesselParams()
    longest = max(
        object_params.aircraft.max_length_m,
        object_params.vessel.max_length_m,
        vessels.max_length_m,
    )
    longest_px = math.ceil(longest / min(pixel_size_m))
    return 2 * longest_px + neighbourhood_reach(object_params, pixel_size_m, sensor)


def neighbourhood_reach(
    object_params: ObjectParams, pixel_size_m: tuple[float, float], sensor: str
) -> int:
    """How far (pixels) from an object the pixels its finding and features depend on
    lie: the widest CFAR background window, the vessels' water ring and search
    dilation, and the morphology of the change mask.

    Parameters
    ----------
    object_params : ObjectParams
    pixel_size_m : (float, float)
    sensor : {"S2", "S1"}

    Returns
    -------
    int
    """
    vessels = sar_params() if sensor == "S1" else VesselParams()
    window = max(object_params.aircraft_window_m, vessels.window_m)
    reach = window + vessels.ring_outer_m + vessels.search_dilation_m
    return math.ceil(reach / min(pixel_size_m)) + MORPHOLOGY_REACH_PX


@dataclass(frozen=True, eq=False)
class ChunkedPairResult:
    """What :func:`detect_pair_chunked` found on a whole tile.

    Attributes
    ----------
    site : Site
    before, after : (str, datetime.date)
        Scene ids and dates.
    grid : Grid
        The tile's grid (detections' pixel boxes are on it).
    detections : tuple of Detection
        As :attr:`basewatch.pipeline.PairResult.detections` (sorted by confidence, then
        id).
    zone_lengths : mapping
        As :attr:`basewatch.pipeline.PairResult.zone_lengths`; their numbers are
        :attr:`zone_counts`.
    parameters : mapping
        The change map's parameters (normalisation gains and biases, threshold, vessel
        and matching parameters) and ``noise``, the whole tile's.
    warnings : tuple of str
    strips : tuple of Strip
        The strips as run (with the halo each finally needed).
    first_halo : int
        The halo every strip started with (:func:`pair_halo`).
    started : datetime.datetime
    """

    site: Site
    before: tuple[str, dt.date]
    after: tuple[str, dt.date]
    grid: Grid
    detections: tuple[Detection, ...]
    zone_lengths: Mapping[str, Mapping[str, tuple[float, ...]]]
    parameters: Mapping[str, Any]
    warnings: tuple[str, ...]
    strips: tuple[Strip, ...]
    first_halo: int
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @functools.cached_property
    def zone_counts(self) -> dict[str, dict[str, int]]:
        """As :attr:`basewatch.pipeline.PairResult.zone_counts` (:func:`zone_counts_of`
        :attr:`zone_lengths`)."""
        return zone_counts_of(self.zone_lengths)

    def counts(self) -> dict[str, int]:
        """Number of detections per ``"class:event"``."""
        out: dict[str, int] = {}
        for d in self.detections:
            key = f"{d.object_class.value}:{d.event.value}"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    def straddling(self) -> int:
        """Detections whose box crosses a border between two strips' cores."""
        borders = np.array([s.core[0] for s in self.strips[1:]], dtype=np.int64)
        if not borders.size or not self.detections:
            return 0
        boxes = np.array([d.bbox_px for d in self.detections], dtype=np.int64)
        crosses = (boxes[:, 0, None] < borders[None, :]) & (boxes[:, 2, None] > borders[None, :])
        return int(crosses.any(axis=1).sum())

    def regrown(self) -> int:
        """Strips read again with a wider halo (an object reached their edge)."""
        return sum(s.halo > self.first_halo for s in self.strips)


# --------------------------------------------------------------------------- one strip


@dataclass(frozen=True)
class PairSources:
    """The two rasters of a whole-tile pair, and how the later one is aligned.

    Attributes
    ----------
    before, after : str
        The rasters' paths (or GDAL names).
    grid : Grid
        The tile's grid (both rasters are on it).
    shift : (float, float) or None
        ``(dy, dx)`` that moves ``after`` onto ``before`` (as
        :func:`~basewatch.imagery.coreg.apply_shift` takes it), decided on the whole
        tile (:func:`~basewatch.imagery.coreg.decide_shift`); ``None``: read as stored.
    fills : tuple of float
        The whole tile's value of each band of ``after`` for its invalid pixels
        (:func:`~basewatch.imagery.coreg.fill_values`), when ``shift`` is given.
    """

    before: str
    after: str
    grid: Grid
    shift: tuple[float, float] | None = None
    fills: tuple[float, ...] = ()


@dataclass(frozen=True, eq=False)
class _StripPixels:
    """Both dates of a strip with the site rasterised on it."""

    before: Scene
    after: Scene
    zidx: NDArray[np.int16]
    zones: tuple[Zone, ...]
    inside: NDArray[np.bool_]
    valid: NDArray[np.bool_]


def _read_strip(paths: PairSources, site: Site, rows: tuple[int, int]) -> _StripPixels:
    # the 10 m bands only (:func:`basewatch.pipeline.core_bands`): the vessel classifier's
    # features are whole-image ones (water thresholds, ranks), so strips search vessels
    # with the rule, which strips give exactly
    before = core_bands(read_rows(paths.before, rows))
    after = core_bands(read_after(paths, rows))
    require_same_grid(before.grid, after.grid)
    inside, zidx, zones = site_rows(site, paths.grid, rows)
    valid = before.valid & after.valid & inside
    return _StripPixels(before, after, zidx, zones, inside, valid)


def read_after(paths: PairSources, rows: tuple[int, int]) -> Scene:
    """Rows ``rows`` of the later raster, moved onto the earlier one as the whole tile
    is moved (:func:`basewatch.imagery.coreg.shift_rows`, read with
    :data:`~basewatch.imagery.coreg.SHIFT_HALO` more rows each side): the whole tile's
    aligned values and validity, to the last bit."""
    if paths.shift is None:
        return read_rows(paths.after, rows)
    r0, r1 = rows
    a, b = max(0, r0 - SHIFT_HALO), min(paths.grid.height, r1 + SHIFT_HALO)
    wide = read_rows(paths.after, (a, b))
    data, valid = shift_rows(
        wide.data, wide.valid, paths.shift, paths.fills, origin=a, keep=(r0 - a, r1 - a)
    )
    window = [0, r0, wide.grid.width, r1 - r0]
    return replace(
        wide,
        data=data,
        valid=valid,
        grid=rows_grid(paths.grid, rows),
        shift_px=(round(paths.shift[0], 3), round(paths.shift[1], 3)),
        metadata={**wide.metadata, "window": window},
    )


def site_rows(
    site: Site, grid: Grid, rows: tuple[int, int]
) -> tuple[NDArray[np.bool_], NDArray[np.int16], tuple[Zone, ...]]:
    """The site's outline and zone index (:func:`basewatch.aoi.outline_mask`,
    :func:`~basewatch.aoi.zone_index`) on rows ``rows[0]:rows[1]`` of ``grid``: exactly
    those rows of the whole grid's.

    Rasterising on the strip's own grid moves the polygons by a float subtraction from
    the strip's origin, which can put a pixel centre on the other side of an edge that
    passes through it; here the vertices are placed on the whole grid and then moved
    by the whole number of rows (exact), and the polygon test
    (:func:`basewatch.aoi.polygon_mask`) only compares differences of them.

    Parameters
    ----------
    site : Site
    grid : Grid
        The whole raster's grid.
    rows : (int, int)

    Returns
    -------
    inside : ndarray, shape (rows, cols), bool
    zone_idx : ndarray, shape (rows, cols), int16
    zones : tuple of Zone
    """
    r0, r1 = rows
    shape = (r1 - r0, grid.width)
    projected = site.project(grid.crs)

    def rasterise(geom: Any) -> NDArray[np.bool_]:
        mask = np.zeros(shape, dtype=bool)
        for poly in getattr(geom, "geoms", [geom]):
            mask |= ring(np.asarray(poly.exterior.coords))
            for hole in poly.interiors:
                mask &= ~ring(np.asarray(hole.coords))
        return mask

    def ring(coords: NDArray[np.float64]) -> NDArray[np.bool_]:
        rr, cc = grid.rowcol(coords[:, 0], coords[:, 1])
        # integer (row, col) are pixel centres; fractional rows have centres at +0.5
        return polygon_mask((rr - 0.5) - r0, cc - 0.5, shape)

    index = np.full(shape, -1, dtype=np.int16)
    for i, zone in enumerate(projected.zones):
        index[rasterise(zone.geometry)] = i
    return rasterise(projected.outline), index, projected.zones


def _pair_ok(px: _StripPixels) -> NDArray[np.bool_]:
    """Pixels valid on both dates with every band finite (the change maps' ``valid``)."""
    ok = px.valid & np.isfinite(px.before.data).all(axis=0)
    return np.asarray(ok & np.isfinite(px.after.data).all(axis=0), dtype=bool)


def _every_kth(mask: NDArray[np.bool_], *, seen: int, step: int) -> NDArray[np.intp]:
    """Flat positions of the True pixels of ``mask`` that are the ``step``-th ones of
    the whole tile, ``seen`` True pixels coming before this strip."""
    pos = np.flatnonzero(mask.ravel())
    return pos[(-seen) % step :: step]


def _counts(paths: PairSources, site: Site, rows: tuple[int, int]) -> dict[str, Any]:
    """Pass 1: pixels inside the site, valid, valid on both dates with all bands; each
    berth zone's water (NIR of its valid pixels, per date); the scenes' header."""
    px = _read_strip(paths, site, rows)
    out: dict[str, Any] = {
        "inside": int(px.inside.sum()),
        "valid": int(px.valid.sum()),
        "ok": int(_pair_ok(px).sum()),
        "berths": [{}, {}],
    }
    if px.before.sensor != "S1" and "B08" in px.before.bands:
        for d, scene in enumerate((px.before, px.after)):
            nir = np.asarray(scene.band("B08"), dtype=np.float64)
            ok = px.valid & np.isfinite(nir)
            for i, z in enumerate(px.zones):
                if z.kind in BERTH_ZONES:
                    out["berths"][d][i] = nir[(px.zidx == i) & ok]
    return out


def _norm_sample(
    paths: PairSources, site: Site, rows: tuple[int, int], seen: int, step: int
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Pass 2: both dates' bands at the strip's share of the normalisation sample."""
    px = _read_strip(paths, site, rows)
    at = _every_kth(_pair_ok(px), seen=seen, step=step)
    nb = px.before.data.shape[0]
    flat_b = px.before.data.reshape(nb, -1)
    flat_a = px.after.data.reshape(nb, -1)
    return flat_b[:, at], flat_a[:, at]


def _magnitude(
    px: _StripPixels,
    change_params: ChangeParams,
    stats: PairStatistics,
    threshold: float,
) -> tuple[NDArray[np.float32], NDArray[np.bool_], NDArray[np.bool_]]:
    """The change magnitude of a strip with the tile's normalisation, its valid pixels
    and its changed pixels at ``threshold`` (the pipeline's own change map)."""
    from basewatch.detect.change import cva_change_map, log_ratio_change_map

    before, after = px.before, px.after
    if before.sensor == "S1":
        cm = log_ratio_change_map(
            before.data, after.data, valid=px.valid, region=px.zidx >= 0, threshold=threshold
        )
    else:
        gain_bias = None
        if stats.gain is not None and stats.bias is not None:
            gain_bias = (np.asarray(stats.gain, np.float32), np.asarray(stats.bias, np.float32))
        cm = cva_change_map(
            before.data,
            after.data,
            valid=px.valid,
            region=px.zidx >= 0,
            threshold=threshold,
            normalise=change_params.normalise,
            gain_bias=gain_bias,
        )
    return cm.magnitude, cm.valid, cm.mask


def _threshold_values(
    paths: PairSources,
    site: Site,
    rows: tuple[int, int],
    change_params: ChangeParams,
    stats: PairStatistics,
) -> NDArray[np.float32]:
    """The finite change magnitudes a threshold is set on (valid, in a zone), in raster
    order: a strip's share (callers reduce it at once)."""
    px = _read_strip(paths, site, rows)
    magnitude, ok, _ = _magnitude(px, change_params, stats, math.inf)
    v = magnitude[ok & (px.zidx >= 0)]
    return np.asarray(v[np.isfinite(v)], dtype=np.float32)


def _threshold_summary(
    paths: PairSources,
    site: Site,
    rows: tuple[int, int],
    change_params: ChangeParams,
    stats: PairStatistics,
) -> tuple[int, float, float]:
    """Pass 3: count, minimum and maximum of the threshold's values."""
    v = _threshold_values(paths, site, rows, change_params, stats)
    if not v.size:
        return 0, math.inf, -math.inf
    return int(v.size), float(v.min()), float(v.max())


def _threshold_part(
    paths: PairSources,
    site: Site,
    rows: tuple[int, int],
    change_params: ChangeParams,
    stats: PairStatistics,
    how: tuple[str, int, int, float, float],
) -> tuple[NDArray[Any], NDArray[Any] | None]:
    """Pass 4: the strip's share of the threshold sample (``("sample", seen, step,
    ...)``), or its histogram over the tile's range (``("histogram", 0, 0, lo, hi)``)."""
    v = _threshold_values(paths, site, rows, change_params, stats)
    kind, seen, step, lo, hi = how
    if kind == "sample":
        return v[(-seen) % step :: step], None
    # the bounds as float32, as numpy.histogram takes them from float32 values itself
    bounds: Any = (np.float32(lo), np.float32(hi))
    hist, edges = np.histogram(v, bins=HISTOGRAM_BINS, range=bounds)
    return hist, edges


def _noise_part(
    paths: PairSources,
    site: Site,
    rows: tuple[int, int],
    change_params: ChangeParams,
    stats: PairStatistics,
    seen_step: tuple[int, int] | None,
) -> NDArray[np.float32] | int:
    """Passes 5 and 6: the unchanged valid pixels' magnitudes, counted (``seen_step``
    None) or the strip's share of their sample."""
    px = _read_strip(paths, site, rows)
    assert stats.threshold is not None
    magnitude, ok, mask = _magnitude(px, change_params, stats, stats.threshold)
    quiet = ok & ~mask
    if seen_step is None:
        return int(quiet.sum())
    seen, step = seen_step
    v = magnitude[quiet]
    return np.asarray(v[(-seen) % step :: step], dtype=np.float32)


@dataclass(frozen=True, eq=False)
class _StripObjects:
    """Pass 7: what one strip keeps, on the tile's rows."""

    changed: list[Detection]
    seen: tuple[tuple[list[Observation], ...], tuple[list[Observation], ...]]
    parameters: dict[str, Any]
    water: bool
    strip: Strip


@on_heap
@without_collection
def _objects(
    paths: PairSources,
    site: Site,
    strip: Strip,
    height: int,
    change_params: ChangeParams,
    object_params: ObjectParams,
    stats: PairStatistics,
    max_halo: int,
) -> _StripObjects:
    """Pass 7: the strip's objects with the tile's statistics, its halo grown until
    every object it keeps lies whole inside what it read."""
    while True:
        w0, w1 = strip.window(height)
        px = _read_strip(paths, site, (w0, w1))
        pair = (px.before, px.after)
        grid = px.before.grid
        if px.before.sensor == "S1":
            fixed = replace(change_params, threshold=stats.threshold)
            stage = sar_pixel_stage(pair, grid, px.zidx, px.zones, px.valid, fixed)
        else:
            stage = optical_pixel_stage(
                pair,
                site.name,
                grid,
                px.zidx,
                px.zones,
                px.valid,
                change_params,
                object_params,
                statistics=stats,
            )
        kept = _keep_core(stage, strip, w0, site.name, grid)
        reach = neighbourhood_reach(object_params, grid.pixel_size_m, px.before.sensor)
        cut = _cut_at_edge(kept, (w0, w1), height, reach)
        if cut is None and px.before.sensor != "S1":
            cut = _water_piece_cut(px, strip, (w0, w1), height, object_params)
        if cut is None:
            return replace(kept, strip=strip)
        if strip.halo >= max_halo:
            raise InputError(
                f"{cut} reaches more than {strip.halo} rows beyond the strip of rows "
                f"{strip.core[0]}-{strip.core[1]} that holds it, the most the memory per "
                "worker allows around a strip: give more --memory-per-worker (a strip "
                f"with a {HALO_GROWTH * strip.halo}-row halo needs "
                f"{_strip_mib(grid.width, strip, HALO_GROWTH * strip.halo)} MiB)"
            )
        # what this read found is not kept: free it before the wider read
        del px, pair, stage, kept
        strip = Strip(strip.core, min(max_halo, HALO_GROWTH * strip.halo))


def _strip_mib(width: int, strip: Strip, halo: int) -> int:
    rows = strip.core[1] - strip.core[0] + 2 * halo
    return math.ceil((rows * width * PAIR_BYTES_PER_PIXEL + WORKER_BASELINE_BYTES) / 2**20)


def _keep_core(stage: PixelStage, strip: Strip, w0: int, site: str, grid: Grid) -> _StripObjects:
    """The stage's objects whose first row lies in the strip's core, on the tile's rows."""
    r0, r1 = strip.core

    def mine(box: tuple[int, int, int, int]) -> bool:
        return r0 <= box[0] + w0 < r1

    changed = [_shift_detection(d, w0, site) for d in stage.changed if mine(d.bbox_px)]
    seen = tuple(
        tuple([_shift_observation(o, w0, grid) for o in part if mine(o.bbox_px)] for part in date)
        for date in stage.seen
    )
    return _StripObjects(
        changed=changed,
        seen=(seen[0], seen[1]),
        parameters=dict(stage.change.params),
        water=stage.water,
        strip=strip,
    )


def _shift_detection(d: Detection, rows: int, site: str) -> Detection:
    """A change detection of a strip read from row ``rows``, on the tile's rows (its id
    is that of its box on the tile)."""
    r0, c0, r1, c1 = d.bbox_px
    box = (r0 + rows, c0, r1 + rows, c1)
    return replace(d, bbox_px=box, id=_detection_id(site, d.before, d.after, *box))


def _shift_observation(o: Observation, rows: int, grid: Grid) -> Observation:
    """An observation of a strip read from row ``rows``, on the tile's rows."""
    r0, c0, r1, c1 = o.bbox_px
    box = (r0 + rows, c0, r1 + rows, c1)
    row = o.row + rows
    # the id of events.observations: scene and box
    h = hashlib.sha1(f"{o.scene}|{box}".encode()).hexdigest()[:10]
    return replace(
        o, id=f"{o.scene[:24]}-{h}", bbox_px=box, row=row, y_m=row * grid.pixel_size_m[1]
    )


def _cut_at_edge(
    kept: _StripObjects, window: tuple[int, int], height: int, reach: int
) -> str | None:
    """The first kept object that comes within ``reach`` of an edge of the rows read
    that is not the tile's edge (it, or what it depends on, may be cut there), or None."""
    w0, w1 = window
    boxes = [d.bbox_px for d in kept.changed] + [
        o.bbox_px for date in kept.seen for part in date for o in part
    ]
    for r0, c0, r1, c1 in boxes:
        if (w0 > 0 and r0 - reach < w0) or (w1 < height and r1 + reach > w1):
            return f"an object at rows {r0}-{r1}, columns {c0}-{c1}"
    return None


def _water_piece_cut(
    px: _StripPixels, strip: Strip, window: tuple[int, int], height: int, params: ObjectParams
) -> str | None:
    """A piece of the vessel search's water masks that the search keeps or fills by its
    size, cut by an edge of the rows read (not the tile's) and reaching near the core:
    on the whole tile it may be larger (or smaller) than here. None when there is none.

    The vessel search fills holes of the water of at most a hull's area and counts
    water bodies of at least ``min_water_body_m2`` (:func:`basewatch.detect.vessels.
    detect_vessels_on_water`), and tests hulls against the water's holes
    (:func:`basewatch.detect.single_date.free_vessel_candidates`)."""
    before = px.before
    if "B03" not in before.bands or "B08" not in before.bands:
        return None
    kinds = np.array([z.kind in WATER_ZONES for z in px.zones] + [False])
    zone_water = kinds[np.where(px.zidx >= 0, px.zidx, len(px.zones))] & px.valid
    if not zone_water.any():
        return None
    w0, w1 = window
    grid = before.grid
    vp = VesselParams()
    area = grid.pixel_area_m2
    max_hole = int(vp.max_vessel_area_m2 / area)
    min_body = int(vp.min_water_body_m2 / area)
    margin = pair_halo(params, grid.pixel_size_m, "S2")
    lo = max(0, strip.core[0] - margin - w0)
    hi = min(w1 - w0, strip.core[1] + margin - w0)
    edges = [e for e, cut in ((0, w0 > 0), (w1 - w0 - 1, w1 < height)) if cut]
    if not edges:
        return None
    cross, eight = ndimage.generate_binary_structure(2, 1), np.ones((3, 3), bool)
    for scene in (px.before, px.after):
        green, nir = scene.band("B03"), scene.band("B08")
        water = water_mask(green, nir, threshold=vp.ndwi_threshold, valid=zone_water)
        wet = water_mask(green, nir, threshold=vp.ndwi_threshold)
        for mask, limit, structure in (
            (~water, max_hole, cross),
            (~wet, max_hole, cross),
            (water, min_body, eight),
        ):
            labels, n = ndimage.label(mask, structure=structure)
            if not n:
                continue
            sizes = np.bincount(labels.ravel(), minlength=n + 1)
            at_edge = np.unique(np.concatenate([labels[e] for e in edges]))
            small = at_edge[(at_edge > 0) & (sizes[at_edge] <= limit)]
            if small.size and np.isin(labels[lo:hi], small).any():
                return f"a piece of water or land of at most {limit} px at the strip's edge"
    return None


# --------------------------------------------------------------------------- the tile


def detect_pair_chunked(
    site: Site,
    before: str | Path,
    after: str | Path,
    *,
    change_params: ChangeParams | None = None,
    object_params: ObjectParams | None = None,
    memory_per_worker: int | None = None,
    strip_rows: int | None = None,
    allow_mixed_geometry: bool = False,
    coregister: bool = True,
    coreg: CoregParams | None = None,
    on_pass: Callable[[str], None] | None = None,
) -> ChunkedPairResult:
    """:func:`basewatch.detect_pair` on two whole rasters, strip by strip.

    Unless ``coregister`` is False, the later raster is moved onto the earlier one as
    :func:`basewatch.imagery.coreg.coregister` moves a whole raster: the shift measured
    on the same central window, invalid pixels filled with the whole tile's band means
    (a pass over the strips), and each strip shifted with enough rows around it that
    its values are the whole tile's (:func:`read_after`).

    Parameters
    ----------
    site : Site
        The site (zones searched; the outline bounds the valid pixels).
    before, after : str or Path
        Two rasters on one grid (as :func:`basewatch.imagery.local.read_geotiff`
        reads them), ``before`` the earlier.
    change_params, object_params : optional
        As :func:`basewatch.detect_pair`. ``normalise="pif"`` (IR-MAD over the whole
        image) and ``vessels_without_b11="union"`` (a classifier of whole-image
        features) are not available in strips.
    memory_per_worker : int, optional
        Bytes a worker may use: strips are sized so that one with its halo fits
        (:func:`~basewatch.imagery.chunks.strip_rows_for_budget` at
        :data:`PAIR_BYTES_PER_PIXEL`), and a strip's halo grows at most that far.
    strip_rows : int, optional
        Rows per strip instead (tests use small strips); default from the budget, else
        :data:`DEFAULT_STRIP_ROWS`.
    allow_mixed_geometry : bool
        As :func:`basewatch.detect_pair` (radar).
    coregister : bool
        Align ``after`` onto ``before`` (not advised to turn off).
    coreg : CoregParams, optional
        The co-registration policy.
    on_pass : callable, optional
        Called with the name of each pass as it starts (progress).

    Returns
    -------
    ChunkedPairResult
        The detections and zone counts of :func:`basewatch.detect_pair` on the whole
        rasters.

    Raises
    ------
    InputError
        As :func:`basewatch.detect_pair`; also an unsupported normalisation, or an
        object larger than the memory budget lets a strip's halo grow.
    CoverageError
        As :func:`basewatch.detect_pair`.
    """
    started = dt.datetime.now(dt.UTC)
    change_params = change_params or ChangeParams()
    object_params = object_params or ObjectParams()
    tell = on_pass or (lambda _name: None)
    grid = raster_grid(before)
    require_same_grid(grid, raster_grid(after))
    height = grid.height
    paths = PairSources(str(before), str(after), grid)
    if str(change_params.normalise) == "pif":
        raise InputError(
            "normalise='pif' fits IR-MAD over the whole image and cannot run in strips; "
            "use normalise=True (median/MAD) for a whole tile"
        )
    if object_params.vessels_without_b11 != "rule":
        raise InputError(
            f"vessels_without_b11={object_params.vessels_without_b11!r} searches with the "
            "10 m bands' classifier, whose features are whole-image ones (water thresholds, "
            "ranks), so strips cannot give the whole pair's vessels: strips search with the "
            "rule (the default); detect the pair whole for the classifier's search"
        )
    # pass 1 runs on strips of the default size: only counts and berth values come back
    probe = plan_strips(height, core_rows=strip_rows or DEFAULT_STRIP_ROWS, halo=0)
    aligned: dict[str, Any] = {}
    if coregister:
        tell("co-registration")
        paths, aligned = _coregistration(paths, grid, probe, coreg or CoregParams())
    tell("counting valid pixels")
    first = _run([delayed(_counts)(paths, site, s.core) for s in probe])
    # the scenes' names, dates, bands and tags (their first row)
    head_b, head_a = read_rows(paths.before, (0, 1)), read_rows(paths.after, (0, 1))
    if coregister:
        head_a = read_after(paths, (0, 1))  # with its shift
        head_a = replace(head_a, metadata={**head_a.metadata, "coregistration": aligned})
    # the bands the strips compare (:func:`_read_strip`)
    head_b, head_a = core_bands(head_b), core_bands(head_a)
    sensor = head_b.sensor
    halo = pair_halo(object_params, grid.pixel_size_m, sensor)
    if strip_rows is None and memory_per_worker is not None:
        strip_rows = strip_rows_for_budget(
            grid,
            memory_per_worker=_strip_budget(memory_per_worker),
            bytes_per_pixel=PAIR_BYTES_PER_PIXEL,
            halo=halo * HALO_GROWTH**HALO_ROOM,
        )
    strip_rows = strip_rows or DEFAULT_STRIP_ROWS
    max_halo = _max_halo(grid, strip_rows, memory_per_worker, halo)
    strips = plan_strips(height, core_rows=strip_rows, halo=halo)
    warnings = _check_pair(site, head_b, head_a, first, grid, allow_mixed_geometry)

    stats = PairStatistics()
    if sensor != "S1" and change_params.normalise:
        tell("normalisation sample")
        stats = replace(stats, **_normalisation(paths, site, probe, first))
    if change_params.threshold is not None:
        stats = replace(stats, threshold=float(change_params.threshold))
    else:
        tell("change threshold")
        method = change_params.sar_method if sensor == "S1" else change_params.method
        stats = replace(
            stats, threshold=_threshold(paths, site, probe, change_params, stats, method)
        )
    if sensor != "S1":
        tell("noise of the change")
        stats = replace(
            stats,
            noise=_noise(paths, site, probe, change_params, stats),
            water_levels=_water_levels(first),
        )
    tell("objects")
    parts = _run(
        [
            delayed(_objects)(paths, site, s, height, change_params, object_params, stats, max_halo)
            for s in strips
        ]
    )
    _, zones = zone_index(site, _one_row(grid))
    scenes = (head_b, head_a)
    stage = PixelStage(
        change=_no_change_map(parts[0].parameters),
        changed=sorted((d for p in parts for d in p.changed), key=lambda d: (-d.confidence, d.id)),
        seen=(_concat([p.seen[0] for p in parts]), _concat([p.seen[1] for p in parts])),
        water=parts[0].water,
    )
    if sensor == "S1":
        detections, per_zone = sar_object_stage(stage, scenes, site.name, grid, zones)
    else:
        detections, per_zone = optical_object_stage(
            stage, scenes, site.name, grid, zones, object_params
        )
    parameters = {**parts[0].parameters, "noise": stats.noise}
    if coregister:
        parameters["coregistration"] = aligned
    return ChunkedPairResult(
        site=site,
        before=(head_b.id, head_b.date),
        after=(head_a.id, head_a.date),
        grid=grid,
        detections=tuple(detections),
        zone_lengths=per_zone,
        parameters=parameters,
        warnings=tuple(warnings),
        strips=tuple(p.strip for p in parts),
        first_halo=halo,
        started=started,
    )


def _coregistration(
    paths: PairSources, grid: Grid, strips: Sequence[Strip], params: CoregParams
) -> tuple[PairSources, dict[str, Any]]:
    """The whole tile's shift (measured on both dates' central window, read alone) and,
    when one is applied, its fill values (a pass over the strips)."""
    window = measure_window(grid.shape, params.max_measure_px)
    reference, moving = (read_block(p, window) for p in (paths.before, paths.after))
    info, shift = decide_shift(reference, moving, params=params)
    if shift is None:
        return paths, info
    parts = _run([delayed(_fill_part)(paths.after, s.core) for s in strips])
    sums = np.concatenate([p[0] for p in parts], axis=1)
    fills = fill_values(sums, sum(p[1] for p in parts))
    return replace(paths, shift=shift, fills=fills), info


def _fill_part(path: str, rows: tuple[int, int]) -> tuple[NDArray[np.float64], int]:
    """The later raster's :func:`~basewatch.imagery.coreg.fill_parts` over ``rows``."""
    scene = read_rows(path, rows)
    return fill_parts(scene.data, usable(scene.data, scene.valid))


def _run(tasks: Sequence[Any]) -> list[Any]:
    """Compute dask delayed tasks on the current scheduler."""
    return list(compute(*tasks))


def _one_row(grid: Grid) -> Grid:
    return Grid(grid.crs, grid.transform, grid.width, 1)


def _concat(
    per_strip: Sequence[tuple[list[Observation], ...]],
) -> tuple[list[Observation], ...]:
    """Each part's lists end to end over the strips (labelling order on the tile)."""
    if not per_strip:
        return ()
    return tuple([o for strip in per_strip for o in strip[k]] for k in range(len(per_strip[0])))


def _no_change_map(params: Mapping[str, Any]) -> Any:
    """A one-pixel change map carrying the parameters (the object stage reads none of
    its pixels)."""
    from basewatch.records import ChangeMap

    one = np.zeros((1, 1), dtype=np.float32)
    return ChangeMap(
        magnitude=one,
        signed=one,
        mask=np.zeros((1, 1), bool),
        valid=np.zeros((1, 1), bool),
        threshold=float(params.get("threshold", 0.0)),
        method="cva",
        params=dict(params),
    )


def _max_halo(grid: Grid, strip_rows: int, memory_per_worker: int | None, halo: int) -> int:
    """The widest halo a strip may grow to: what the budget holds around ``strip_rows``
    rows (without a budget, 16 times the first halo)."""
    if memory_per_worker is None:
        return int(halo * HALO_GROWTH**UNBOUNDED_GROWTHS)
    rows = int(_strip_budget(memory_per_worker) // (PAIR_BYTES_PER_PIXEL * grid.width))
    return max(halo, (rows - strip_rows) // 2)


def _strip_budget(memory_per_worker: int) -> int:
    """What a worker's memory leaves for a strip (:data:`WORKER_BASELINE_BYTES` less)."""
    left = memory_per_worker - WORKER_BASELINE_BYTES
    if left <= 0:
        raise InputError(
            f"--memory-per-worker {memory_per_worker / 2**20:.0f} MiB is below what a worker "
            f"holds before any strip (~{WORKER_BASELINE_BYTES // 2**20} MiB); give at least "
            "1GiB"
        )
    return left


def _check_pair(
    site: Site,
    before: Scene,
    after: Scene,
    counts: Sequence[Mapping[str, Any]],
    grid: Grid,
    allow_mixed: bool,
) -> list[str]:
    """:func:`basewatch.detect_pair`'s checks of the two scenes and the site's coverage
    on the whole tile; its warnings."""
    if before.sensor != after.sensor or before.bands != after.bands:
        raise InputError(
            f"the two scenes must be of one sensor with the same bands: before "
            f"{before.sensor} {before.bands}, after {after.sensor} {after.bands}"
        )
    if after.datetime < before.datetime:
        raise InputError(
            f"the 'after' scene ({after.datetime:%Y-%m-%d}) is older than the 'before' scene "
            f"({before.datetime:%Y-%m-%d}); swap them"
        )
    if before.id == after.id or before.datetime == after.datetime:
        raise InputError(
            f"the same acquisition is given as both dates ({before.id}, "
            f"{before.datetime:%Y-%m-%d %H:%M}); give two different dates"
        )
    warnings: list[str] = []
    if before.sensor == "S1":
        warnings += _radar_geometry(before, after, allow_mixed=allow_mixed)
    inside = sum(int(c["inside"]) for c in counts)
    valid = sum(int(c["valid"]) for c in counts)
    if not inside:
        raise CoverageError(
            f"site {site.name!r} does not overlap the scenes ({grid.describe()}); "
            "check the site name and the rasters"
        )
    if not valid:
        raise CoverageError(
            f"no pixel inside site {site.name!r} is valid on both dates "
            "(nodata or clouds); pick other dates"
        )
    covered = valid / inside
    if covered < MIN_VALID_SITE_SHARE:
        warnings.append(f"only {covered:.0%} of the site is valid on both dates")
    if "coregistration" not in after.metadata:
        warnings.append(
            "the dates were not co-registered (basewatch.imagery.coreg.coregister): a shift of a "
            "fraction of a pixel makes edges look like changes"
        )
    _, zones = zone_index(site, _one_row(grid))
    return warnings + _input_warnings((before, after), zones)


def _step(count: int) -> int:
    """Every how many-th value :func:`~basewatch.detect.change.stat_sample` keeps."""
    return max(1, -(-count // STAT_SAMPLE_SIZE))


def _shares(counts: Sequence[int]) -> list[int]:
    """Values counted before each strip."""
    return [int(x) for x in np.concatenate([[0], np.cumsum(counts)[:-1]])]


def _normalisation(
    paths: PairSources, site: Site, strips: Sequence[Strip], counts: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Gain and bias of the whole tile (:func:`~basewatch.detect.change.normalise_to`)."""
    ok = [int(c["ok"]) for c in counts]
    total = sum(ok)
    if total < MIN_NORMALISE_PIXELS:
        raise InputError(
            f"too few valid pixels common to both dates to normalise (need {MIN_NORMALISE_PIXELS})"
        )
    step = _step(total)
    parts = _run(
        [
            delayed(_norm_sample)(paths, site, s.core, seen, step)
            for s, seen in zip(strips, _shares(ok), strict=True)
        ]
    )
    ref = np.concatenate([p[0] for p in parts], axis=1)
    tgt = np.concatenate([p[1] for p in parts], axis=1)
    gain, bias = fit_gain_bias(list(ref), list(tgt))
    return {"gain": tuple(float(g) for g in gain), "bias": tuple(float(b) for b in bias)}


def _threshold(
    paths: PairSources,
    site: Site,
    strips: Sequence[Strip],
    change_params: ChangeParams,
    stats: PairStatistics,
    method: str,
) -> float:
    """The change threshold of the whole tile (:func:`~basewatch.detect.change.auto_threshold`
    on the magnitudes of its valid pixels in zones)."""
    summary = _run(
        [delayed(_threshold_summary)(paths, site, s.core, change_params, stats) for s in strips]
    )
    counts = [c for c, _, _ in summary]
    total = sum(counts)
    if not total:
        raise InputError("cannot threshold: no finite values")
    lo = min(v for _, v, _ in summary)
    hi = max(v for _, _, v in summary)
    if lo == hi:
        return float(np.float32(hi))
    if method == "robust":
        step = _step(total)
        hows = [("sample", seen, step, lo, hi) for seen in _shares(counts)]
    elif method in ("otsu", "ki"):
        hows = [("histogram", 0, 0, lo, hi)] * len(strips)
    else:
        raise InputError(f"unknown threshold method {method!r}; use robust, otsu or ki")
    parts = _run(
        [
            delayed(_threshold_part)(paths, site, s.core, change_params, stats, how)
            for s, how in zip(strips, hows, strict=True)
        ]
    )
    if method == "robust":
        return robust_threshold(np.concatenate([p[0] for p in parts]), k=change_params.k)
    hist = np.sum([p[0] for p in parts], axis=0)
    edges = parts[0][1]
    return histogram_threshold(hist, edges, method=method)


def _noise(
    paths: PairSources,
    site: Site,
    strips: Sequence[Strip],
    change_params: ChangeParams,
    stats: PairStatistics,
) -> float:
    """Noise of the change magnitude over the whole tile's unchanged valid pixels."""
    counts = _run(
        [delayed(_noise_part)(paths, site, s.core, change_params, stats, None) for s in strips]
    )
    step = _step(sum(counts))
    parts = _run(
        [
            delayed(_noise_part)(paths, site, s.core, change_params, stats, (seen, step))
            for s, seen in zip(strips, _shares(counts), strict=True)
        ]
    )
    return noise_of(np.concatenate(parts) if parts else np.zeros(0, np.float32))


def _water_levels(
    counts: Sequence[Mapping[str, Any]],
) -> tuple[dict[int, tuple[float, float]], dict[int, tuple[float, float]]]:
    """Each berth zone's water level on each date, over the whole tile."""
    out: tuple[dict[int, tuple[float, float]], dict[int, tuple[float, float]]] = ({}, {})
    for d in (0, 1):
        zones = sorted({i for c in counts for i in c["berths"][d]})
        for i in zones:
            v = np.concatenate([c["berths"][d][i] for c in counts if i in c["berths"][d]])
            if v.size:
                out[d][i] = berth_water_level(v)
    return out


# --------------------------------------------------------------------------- writing

#: Files of a whole-tile run folder: the detections, then the record.
TILE_RUN_FILES = ("detections.geojson", "tile_run.json")


def write_chunked_run(
    result: ChunkedPairResult, folder: str | Path, *, overwrite: bool = False
) -> Path:
    """Write a whole-tile run into ``folder``, whole or not at all.

    ``detections.geojson`` (as :func:`basewatch.write_run` writes it) and
    ``tile_run.json``: the site, scenes, counts, zone counts, parameters, warnings, the
    strips and every detection. The folder is written beside its place and swapped in
    (:func:`basewatch._atomic.write_folder`).

    Parameters
    ----------
    result : ChunkedPairResult
    folder : str or Path
    overwrite : bool
        Replace a folder that is not empty.

    Returns
    -------
    Path
        ``tile_run.json``.

    Raises
    ------
    OutputError
        The folder exists and is not empty (without ``overwrite``), or cannot be written.
    """
    from basewatch._atomic import atomic_write_bytes, write_folder
    from basewatch.outputs.vector import write_geojson
    from basewatch.records import dumps_json

    record = {
        "site": result.site.name,
        "before": {"id": result.before[0], "date": result.before[1]},
        "after": {"id": result.after[0], "date": result.after[1]},
        "grid": {"crs": result.grid.crs, "shape": list(result.grid.shape)},
        "started": result.started,
        "counts": result.counts(),
        "zone_counts": result.zone_counts,
        "zone_lengths_m": result.zone_lengths,
        "parameters": result.parameters,
        "warnings": list(result.warnings),
        "strips": [{"rows": list(s.core), "halo": s.halo} for s in result.strips],
        "first_halo": result.first_halo,
        "detections": list(result.detections),
    }

    def write(tmp: Path) -> Path:
        write_geojson(result.detections, tmp / TILE_RUN_FILES[0])
        atomic_write_bytes(tmp / TILE_RUN_FILES[1], dumps_json(record))
        return Path(folder) / TILE_RUN_FILES[1]

    return write_folder(folder, write, overwrite=overwrite)
