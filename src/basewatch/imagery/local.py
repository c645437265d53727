"""Reading imagery into :class:`~basewatch.records.Scene` records.

This module (with the catalogue/fetch modules of the tile loader) is the only place
that imports rasterio. Local GeoTIFFs are read here: only the window that covers the
site, with nodata kept as a mask and digital numbers converted to physical units
(reflectance for Sentinel-2, linear backscatter for Sentinel-1).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
import rasterio.windows
from rasterio.enums import MaskFlags
from rasterio.windows import Window, from_bounds

from basewatch._gdal import gdal_threads
from basewatch._heap import on_heap
from basewatch.aoi import AOI, Site, as_site
from basewatch.errors import CoverageError, InputError, NoSceneError, RasterReadError
from basewatch.grid import Grid, check_window_size, require_same_grid
from basewatch.imagery._convert import optical_reflectance
from basewatch.imagery.coreg import CoregParams, coregister_series
from basewatch.imagery.coreg import coregister as coregister_scene
from basewatch.imagery.loader import LoaderConfig
from basewatch.imagery.read import reproject_scene
from basewatch.records import Scene
from basewatch.sensors import (
    S1_PRODUCT_ID,
    S1_PRODUCT_ID_TAGS,
    S2_BASELINE_OFFSET_DN,
    S2_LEVEL_TAGS,
    S2_REFLECTANCE_SCALE,
    S2_SATURATED_DN,
    s2_offset_applies,
    s2_processing_level,
)

__all__ = ["baseline_offset", "raster_grid", "read_geotiff", "site_window"]

_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?(?!\d)")


def baseline_offset(processing_baseline: str | None) -> float:
    """Radiometric offset to add to Sentinel-2 digital numbers for a processing baseline.

    Baseline 04.00 and later (products from 2022-01-25) store ``DN = 10000 * rho + 1000``;
    this returns ``-1000.0`` for those, ``0.0`` for earlier baselines.

    Raises
    ------
    InputError
        The baseline is not of the form ``NN.NN``.
    """
    if processing_baseline is None:
        return 0.0
    m = re.fullmatch(r"\s*[Nn]?(\d{1,2})\.?(\d{2})\s*", str(processing_baseline))
    if not m:
        raise InputError(
            f"processing baseline {processing_baseline!r} is not of the form '05.10'; "
            "check the s2:processing_baseline property of the scene"
        )
    return S2_BASELINE_OFFSET_DN if s2_offset_applies(f"{m[1]}.{m[2]}") else 0.0


def raster_grid(path: str | Path) -> Grid:
    """The full pixel grid of a raster file."""
    with _open(path) as ds:
        return _grid_of(ds, path)


def raster_band_names(path: str | Path, bands: Sequence[str] | None = None) -> list[str]:
    """The names :func:`read_geotiff` gives a raster's bands (``bands`` when given, else
    the ``BASEWATCH_BANDS`` tag or the band descriptions, else ``b1..bN``), without
    reading its pixels."""
    p = Path(path)
    with _open(p) as ds:
        return _band_names(p, bands, ds.tags(), ds.descriptions, ds.count)


def window_grid(grid: Grid, window: Window) -> Grid:
    """The grid of ``window`` of ``grid``, its transform as rasterio derives it (what
    :func:`read_geotiff` gives a scene read over that window)."""
    t = rasterio.windows.transform(window, rasterio.Affine(*grid.transform))
    return Grid(
        crs=grid.crs,
        transform=(t.a, t.b, t.c, t.d, t.e, t.f),
        width=int(window.width),
        height=int(window.height),
    )


def site_window(
    site: Site, grid: Grid, *, margin_px: int = 0, raster: str | Path | None = None
) -> Window:
    """The window of ``grid`` covering the site outline (plus ``margin_px``); ``raster``
    names the raster(s) of ``grid`` in the error.

    Raises
    ------
    CoverageError
        The outline does not overlap the grid at all.
    """
    outline = site.project(grid.crs).outline
    left, bottom, right, top = grid.bounds
    minx, miny, maxx, maxy = outline.bounds
    if minx >= right or maxx <= left or miny >= top or maxy <= bottom:
        raise CoverageError(
            f"site {site.name!r} lies outside the raster{f' ({raster})' if raster else ''}: "
            f"site bounds ({minx:.6f}, {miny:.6f}, "
            f"{maxx:.6f}, {maxy:.6f}) vs raster bounds ({left:.6f}, {bottom:.6f}, {right:.6f}, "
            f"{top:.6f}) in {grid.crs}; check that the raster shows this site, or pick the site "
            "that it shows (basewatch sites)"
        )
    win = from_bounds(
        max(minx, left),
        max(miny, bottom),
        min(maxx, right),
        min(maxy, top),
        transform=_affine(grid),
    )
    col0 = max(0, math.floor(win.col_off + 1e-6) - margin_px)
    row0 = max(0, math.floor(win.row_off + 1e-6) - margin_px)
    col1 = min(grid.width, math.ceil(win.col_off + win.width - 1e-6) + margin_px)
    row1 = min(grid.height, math.ceil(win.row_off + win.height - 1e-6) + margin_px)
    return Window(col0, row0, col1 - col0, row1 - row0)


def read_geotiff(
    path: str | Path,
    *,
    window: Window | None = None,
    sensor: str | None = None,
    bands: Sequence[str] | None = None,
    when: dt.datetime | None = None,
    scene_id: str | None = None,
    undated: dt.datetime | None = None,
) -> Scene:
    """Read a GeoTIFF (or any GDAL raster) into a :class:`Scene`.

    Parameters
    ----------
    path : str or Path
        The raster file.
    window : rasterio.windows.Window, optional
        Read only this window (see :func:`site_window`); default the whole raster.
    sensor : {"S2", "S1"}, optional
        Default: the ``BASEWATCH_SENSOR`` tag, else guessed from the data type (integer
        multi-band: S2; single float band: S1).
    bands : sequence of str, optional
        Band names; default the ``BASEWATCH_BANDS`` tag or the band descriptions.
    when : datetime, optional
        Acquisition time; default the ``BASEWATCH_DATETIME`` or ``date`` tag, else a
        ``YYYYMMDD`` date in the file name.
    scene_id : str, optional
        Default: the ``BASEWATCH_SCENE_ID`` tag, else the file name.
    undated : datetime, optional
        The time given to a raster whose tags and name hold no date (a single image
        needs none); default: such a raster is refused.

    Raises
    ------
    RasterReadError
        The file is missing, unreadable or not a raster.
    InputError
        The raster has no georeferencing, no date can be found, or the band names do
        not match the band count.
    """
    p = Path(path)
    # the blocks are decoded on every core, or on a worker's share of them (the same
    # values): a 10980 px four-band deflate tile in 1.6 s instead of 5.4 s on 2 cores
    with rasterio.Env(GDAL_NUM_THREADS=gdal_threads()), _open(p) as ds:
        grid_full = _grid_of(ds, p)
        tags = ds.tags()
        win = window if window is not None else Window(0, 0, ds.width, ds.height)
        check_window_size(int(win.height), int(win.width), bands=ds.count, what=f"{p}: the window")
        # GDAL's per-band masks only where the file has any (nodata, mask bands):
        # an all-valid raster is read without a mask array per band
        all_valid = all(f == [MaskFlags.all_valid] for f in ds.mask_flag_enums)
        dtype = np.dtype(ds.dtypes[0])
        count = ds.count
        sensor = (sensor or tags.get("BASEWATCH_SENSOR") or _guess_sensor(dtype, count)).upper()
        if sensor not in {"S1", "S2"}:
            raise InputError(f"{p}: unknown sensor {sensor!r}; use S2 (optical) or S1 (SAR)")
        # optical values that float32 holds exactly are read as float32 and turned into
        # reflectance in place: one image-sized array per date, not the stored values
        # and the reflectance beside them (a 10980 px four-band date: 1.9 GB, not 2.9)
        in_place = sensor == "S2" and dtype in _EXACT_IN_FLOAT32
        try:
            raw = ds.read(
                window=win, masked=not all_valid, out_dtype=np.float32 if in_place else None
            )
        except rasterio.errors.RasterioError as exc:
            raise RasterReadError(
                f"{p}: the raster is damaged or truncated, reading failed ({exc}); "
                "download or export it again"
            ) from exc
        descriptions = ds.descriptions
        scales, offsets = ds.scales, ds.offsets

    grid = window_grid(grid_full, win)
    names = _band_names(p, bands, tags, descriptions, count)
    stamp = when or _acquisition_time(p, tags, undated=undated)

    mask = None if all_valid else np.ma.getmaskarray(raw)
    values = np.ma.getdata(raw)
    baseline = tags.get("BASEWATCH_PROCESSING_BASELINE") or tags.get("PROCESSING_BASELINE")
    db = False
    if sensor == "S2":
        scale, offset = _optical_scaling(tags, scales, offsets, dtype, baseline)
        # nodata (0 in every band), saturation (S2_SATURATED_DN in any band of a uint16
        # product) and NaN (a float export) are not measurements
        data, invalid = optical_reflectance(
            values,
            offset=offset,
            scale=scale,
            masked=mask,
            saturated=S2_SATURATED_DN if dtype == np.uint16 else None,
            overwrite_input=in_place,
        )
    else:
        scale, offset = 1.0, 0.0
        # the array just read is ours: a float32 one is used as it is, not copied
        data = values.astype(np.float32, copy=False)
        db = (
            "db" in " ".join(d or "" for d in descriptions).lower()
            or tags.get("BASEWATCH_UNITS", "").lower() == "db"
        )
        if db:  # in place: 10 ** (dB / 10)
            np.divide(data, np.float32(10.0), out=data)
            np.power(np.float32(10.0), data, out=data)
        invalid = np.logical_not(np.isfinite(data).all(axis=0))
        if mask is not None:
            invalid |= mask.any(axis=0)
        data[:, invalid] = np.nan

    meta: dict[str, Any] = {
        "window": [int(win.col_off), int(win.row_off), int(win.width), int(win.height)]
    }
    if db:
        meta["converted_from_db"] = True
    if sensor == "S2":
        # top of the atmosphere or surface: the vessel searches were measured on surface
        # reflectance, so a run on a Level-1C scene quotes other figures
        level = s2_processing_level(
            *(tags.get(k) for k in S2_LEVEL_TAGS),
            scene_id or tags.get("BASEWATCH_SCENE_ID"),
            *tags.values(),
            p.name,
        )
        if level is not None:
            meta["processing_level"] = level
    own = _own_band_names(p, tags, descriptions, count) if bands is not None else None
    if own is not None and names != own:
        # the file names its bands itself: a --bands that differs is more likely a
        # slip than a correction, so it is said wherever the run's warnings are
        meta["warnings"] = [
            f"bands named {', '.join(names)} as given, though the file names them "
            f"{', '.join(own)}; leave --bands out to use the file's own names"
        ]
    if sensor == "S1":  # the product id (track, pass) when the file's tags keep it
        ids = (tags.get(k, "") for k in S1_PRODUCT_ID_TAGS)
        product = next((t for t in ids if S1_PRODUCT_ID.match(t)), None)
        if product:
            meta["product_id"] = product
    return Scene(
        id=scene_id or tags.get("BASEWATCH_SCENE_ID") or p.stem,
        sensor=sensor,
        datetime=stamp,
        bands=tuple(names),
        data=np.ascontiguousarray(data, dtype=np.float32),
        valid=~invalid,
        grid=grid,
        source=str(p),
        attribution=tags.get("BASEWATCH_ATTRIBUTION") or tags.get("licence", ""),
        processing_baseline=baseline,
        offset_applied=offset,
        scale=scale,
        metadata=meta,
    )


def _open(path: str | Path) -> Any:
    p = Path(path)
    if not p.exists():
        raise RasterReadError(f"{p}: file not found; check the path")
    if p.is_dir():
        raise RasterReadError(f"{p}: is a folder, expected a raster file (GeoTIFF)")
    try:
        return rasterio.open(p)
    except rasterio.errors.RasterioIOError as exc:
        raise RasterReadError(
            f"{p}: not a raster file GDAL can read ({exc}); give a GeoTIFF "
            "(a .tif exported from the Copernicus Browser, SNAP or gdal_translate)"
        ) from exc


def _grid_of(ds: Any, path: str | Path) -> Grid:
    if ds.crs is None:
        raise InputError(
            f"{path}: the raster has no coordinate reference system (not georeferenced); "
            "georeference it (gdal_translate -a_srs / -a_ullr) before use"
        )
    t = ds.transform
    if t.is_identity:
        raise InputError(f"{path}: the raster has no geotransform (pixel coordinates only)")
    return Grid(
        crs=ds.crs.to_string(),
        transform=(t.a, t.b, t.c, t.d, t.e, t.f),
        width=ds.width,
        height=ds.height,
    )


def _affine(grid: Grid) -> Any:
    from affine import Affine

    return Affine(*grid.transform)


#: Stored types whose every value float32 holds exactly (read as float32, the same
#: numbers the reflectance's float32 arithmetic starts from).
_EXACT_IN_FLOAT32 = frozenset(np.dtype(t) for t in ("uint8", "int8", "uint16", "int16", "float32"))


def _guess_sensor(dtype: np.dtype[Any], count: int) -> str:
    if np.issubdtype(dtype, np.floating) and count <= 2:
        return "S1"
    return "S2"


def _band_names(
    path: Path,
    bands: Sequence[str] | None,
    tags: dict[str, str],
    descriptions: Sequence[str | None],
    count: int,
) -> list[str]:
    if bands is not None:
        names = list(bands)
    elif tags.get("BASEWATCH_BANDS"):
        names = [b.strip() for b in tags["BASEWATCH_BANDS"].split(",")]
    elif _band_ids(descriptions) is not None:
        names = _band_ids(descriptions) or []
    else:  # unnamed: nothing downstream takes b1..bN for a Sentinel band
        names = [f"b{i}" for i in range(1, count + 1)]
    if len(names) != count:
        raise InputError(
            f"{path}: {len(names)} band names ({', '.join(names)}) for {count} bands in the file"
        )
    return names


def _own_band_names(
    path: Path, tags: dict[str, str], descriptions: Sequence[str | None], count: int
) -> list[str] | None:
    """The names the file gives its bands itself (:func:`_band_names` without ``bands``),
    or None where it names none, or not one per band."""
    try:
        own = _band_names(path, None, tags, descriptions, count)
    except InputError:
        return None  # a tag naming another number of bands: what --bands corrects
    return None if own == [f"b{i}" for i in range(1, count + 1)] else own


#: A band id at the start of a band description ("B08 NIR", "VV backscatter dB").
_BAND_ID = re.compile(r"^(B\d{1,2}A?|SCL|VV|VH|HH|HV)\b", re.IGNORECASE)


def _band_ids(descriptions: Sequence[str | None]) -> list[str] | None:
    """Band ids from the descriptions when every band's starts with a distinct one
    (:data:`_BAND_ID`); None otherwise ("Band 1", empty, repeated)."""
    ids = []
    for d in descriptions:
        m = _BAND_ID.match(str(d or "").strip())
        if m is None:
            return None
        ids.append(m[1].upper())
    return ids if ids and len(set(ids)) == len(ids) else None


def _acquisition_time(
    path: Path, tags: dict[str, str], *, undated: dt.datetime | None = None
) -> dt.datetime:
    for key in ("BASEWATCH_DATETIME", "date", "ACQUISITION_DATE", "TIFFTAG_DATETIME"):
        value = tags.get(key)
        if value:
            parsed = _parse_time(value)
            if parsed is not None:
                return parsed
    m = _DATE_IN_NAME.search(path.name)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        hh, mm, ss = (int(m[i]) if m[i] else 0 for i in (4, 5, 6))
        try:
            return dt.datetime(y, mo, d, hh, mm, ss, tzinfo=dt.UTC)
        except ValueError:
            pass
    if undated is not None:
        return undated
    raise InputError(
        f"{path}: cannot tell the acquisition date (no date tag, no YYYYMMDD in the file "
        "name); rename the file to include the date, e.g. site_20241215.tif"
    )


def _parse_time(value: str) -> dt.datetime | None:
    text = (
        value.strip().replace("Z", "+00:00").replace(":", "-", 2)
        if re.match(r"^\d{4}:\d{2}:\d{2}", value.strip())
        else value.strip().replace("Z", "+00:00")
    )
    try:
        t = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _optical_scaling(
    tags: dict[str, str],
    scales: Sequence[float],
    offsets: Sequence[float],
    dtype: np.dtype[Any],
    baseline: str | None,
) -> tuple[float, float]:
    """(scale, offset) so that reflectance = (DN + offset) * scale."""
    if "BASEWATCH_SCALE" in tags:
        scale = float(tags["BASEWATCH_SCALE"])
        offset = float(tags.get("BASEWATCH_OFFSET", baseline_offset(baseline) / 1.0))
        return scale, offset
    gdal_scale, gdal_offset = float(scales[0] or 1.0), float(offsets[0] or 0.0)
    if gdal_scale != 1.0 or gdal_offset != 0.0:
        # GDAL convention: value = DN * scale + offset  ->  (DN + offset/scale) * scale
        return gdal_scale, gdal_offset / gdal_scale
    if np.issubdtype(dtype, np.integer):
        return S2_REFLECTANCE_SCALE, baseline_offset(baseline)
    return 1.0, 0.0


# ---------------------------------------------------------------------------------------
# local GeoTIFFs


def local_rasters(path: str | Path) -> list[Path]:
    """The GeoTIFFs at ``path`` (a file, or the ``*.tif``/``*.tiff`` files of a folder)."""
    p = Path(path)
    if p.is_file():
        return [p]
    if p.is_dir():
        found = sorted(q for q in p.iterdir() if q.suffix.lower() in {".tif", ".tiff"})
        if not found:
            raise InputError(f"{p}: no GeoTIFF (.tif) files in this folder")
        return found
    raise InputError(f"{p}: no such file or folder")


def load_local_pair(
    paths: Sequence[str | Path],
    site: Site,
    aoi: AOI,
    before: dt.date,
    after: dt.date,
    *,
    config: LoaderConfig | None = None,
) -> tuple[Scene, Scene]:
    """The local rasters nearest to two dates, on the AOI grid, co-registered.

    Each file is read over the site's window only (:func:`basewatch.imagery.local.read_geotiff`,
    which applies its own scale/offset rules), resampled onto the AOI grid, and the later
    one shifted onto the earlier one.

    Raises
    ------
    NoSceneError
        Fewer than two rasters, or none near a date.
    InputError, RasterReadError, CoverageError
        From reading the files.
    """
    cfg = config or LoaderConfig()
    if before >= after:
        raise InputError(f"--before ({before}) must be earlier than --after ({after})")
    scenes = []
    elsewhere: list[str] = []
    for p in paths:
        try:
            window = site_window(site, raster_grid(p), margin_px=2)
        except CoverageError:
            elsewhere.append(Path(p).name)  # a raster of another site in the same folder
            continue
        scenes.append(reproject_scene(read_geotiff(p, window=window), aoi.grid))
    if len(scenes) < 2:
        skipped = (
            f"; {len(elsewhere)} do not cover {site.name}: {', '.join(elsewhere)}"
            if (elsewhere)
            else ""
        )
        raise NoSceneError(
            f"need rasters of two dates covering {site.name}, got {len(scenes)} "
            f"({', '.join(map(str, paths))}{skipped})"
        )

    def nearest(target: dt.date, pool: Sequence[Scene]) -> Scene:
        near = [s for s in pool if abs((s.date - target).days) <= cfg.window_days]
        if not near:
            dates = ", ".join(sorted({str(s.date) for s in scenes}))
            raise NoSceneError(
                f"no local raster within {cfg.window_days} days of {target} (dates: {dates}); "
                "widen --window-days or add rasters"
            )
        return min(near, key=lambda s: (abs((s.date - target).days), s.id))

    first = nearest(before, scenes)
    second = nearest(after, [s for s in scenes if s.datetime > first.datetime])
    if cfg.coregister:
        second = coregister_scene(first, second, params=cfg.coreg, overwrite=True)
    return first, second


def _read_site_window(
    site: Site,
    paths: Sequence[Path],
    names: Sequence[str],
    bands: Sequence[str] | None = None,
) -> list[Scene]:
    """The rasters ``paths`` (called ``names`` in errors), checked to share one pixel
    grid, each read over the site's window (band names ``bands`` when given), in the
    order given."""
    grids = [raster_grid(p) for p in paths]
    for name, g in zip(names[1:], grids[1:], strict=True):
        require_same_grid(grids[0], g, what_a=names[0], what_b=name)
    # one grid for all: a site outside it is outside every raster given
    given = ", ".join(f"{name} {p}" for name, p in zip(names, paths, strict=True))
    window = site_window(site, grids[0], raster=given)
    return [read_geotiff(p, window=window, bands=bands) for p in paths]


@on_heap
def read_local_pair(
    site: Site | str | Path,
    before: str | Path,
    after: str | Path,
    *,
    coregister: bool = True,
    coreg: CoregParams | None = None,
    bands: Sequence[str] | None = None,
) -> tuple[Scene, Scene]:
    """Two local rasters of a site, read over its window and aligned, ready to compare.

    Every check (files, grids, coverage) happens before anything is returned. Both
    rasters must be on one pixel grid; each is read over the site's window only. Unless
    ``coregister`` is False, the later date is shifted onto the earlier one by phase
    correlation (:func:`~basewatch.imagery.coreg.coregister`; the measured shift is
    kept in the scene's metadata either way).

    Parameters
    ----------
    site : Site or str or Path
        A site, or a bundled site's name or a site GeoJSON (:func:`basewatch.aoi.load_site`).
    before, after : str or Path
        GeoTIFFs of the earlier and the later date.
    coregister : bool
        Align ``after`` onto ``before`` (not advised to turn off).
    coreg : CoregParams, optional
        The co-registration policy.
    bands : sequence of str, optional
        The bands' names in file order (``B02 B03 B04 B08``), for rasters whose tags
        and descriptions do not name them (:func:`read_geotiff`).

    Returns
    -------
    (Scene, Scene)
        ``before`` and ``after``, on one grid.

    Raises
    ------
    RasterReadError
        A file is missing or not a raster.
    GridMismatchError
        The rasters are not on one pixel grid.
    CoverageError
        The site lies outside the rasters.
    """
    scene_b, scene_a = _read_site_window(
        as_site(site), [Path(before), Path(after)], ("before", "after"), bands
    )
    if coregister:
        # read here, used only shifted: shifted in its own array
        scene_a = coregister_scene(scene_b, scene_a, params=coreg, overwrite=True)
    return scene_b, scene_a


def read_local_series(
    site: Site | str | Path,
    rasters: Sequence[str | Path],
    *,
    coregister: bool = True,
    coreg: CoregParams | None = None,
    bands: Sequence[str] | None = None,
) -> list[Scene]:
    """Two or more local rasters of a site (one per date), in date order and aligned.

    The rasters may be given in any order; dates come from their tags or file names.
    Unless ``coregister`` is False, each later date is shifted onto the first
    (:func:`~basewatch.imagery.coreg.coregister_series`).

    Parameters
    ----------
    site : Site or str or Path
        A site, or a bundled site's name or a site GeoJSON.
    rasters : sequence of str or Path
        GeoTIFFs of one sensor on one pixel grid.
    coregister : bool
        Align the dates onto the first.
    coreg : CoregParams, optional
        The co-registration policy.
    bands : sequence of str, optional
        The bands' names in file order, as for :func:`read_local_pair`.

    Returns
    -------
    list of Scene
        Sorted by acquisition time.

    Raises
    ------
    InputError
        Fewer than two rasters, or one file given twice.
    GridMismatchError
        The rasters are not on one pixel grid.
    CoverageError
        The site lies outside the rasters.
    RasterReadError
        A file is missing or not a raster.
    """
    site = as_site(site)
    paths = [Path(p) for p in rasters]
    if len(paths) < 2:
        raise InputError(f"a timeline needs at least two rasters (one per date), got {len(paths)}")
    seen: dict[Path, Path] = {}
    for p in paths:
        key = p.resolve()
        if key in seen:
            raise InputError(f"{seen[key]} and {p} are the same file; give one raster per date")
        seen[key] = p
    scenes = sorted(
        _read_site_window(site, paths, [str(p) for p in paths], bands), key=lambda s: s.datetime
    )
    return coregister_series(scenes, params=coreg) if coregister else scenes
