"""The tile loader: from a site and dates to co-registered :class:`Scene` records.

For each date it searches a catalogue (:mod:`basewatch.catalog`), reads *only the AOI
window* of each band from cloud-optimised GeoTIFFs over HTTP (GDAL range requests
through rasterio), reprojects every date onto one grid (the site's UTM zone at 10 m),
masks nodata, cloud and shadow (Sentinel-2 scene classification), converts digital
numbers to reflectance with the catalogue's own offset convention, and moves the later
date onto the earlier one by the sub-pixel shift measured with phase correlation
(:mod:`basewatch.coreg`).

Every band read goes through a :class:`~basewatch.cache.TileCache`; with the cache
filled (``basewatch fetch``) a re-run touches no network. Transient failures (HTTP
429/5xx, timeouts, refused connections) are retried with exponential backoff, a
bounded number of times; damaged files fail at once. Nothing is cached from a read
that failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
import rasterio.warp
import rasterio.windows
from affine import Affine
from numpy.typing import NDArray
from pyproj import Transformer
from rasterio.enums import Resampling
from shapely.geometry.base import BaseGeometry

from basewatch.aoi import Site, outline_mask
from basewatch.cache import TileCache
from basewatch.catalog import (
    S2_BANDS,
    SCL,
    Assessment,
    Candidate,
    CatalogSpec,
    HttpOptions,
    SasTokenSigner,
    candidate_from_item,
    choose_nearest,
    choose_sar_pair,
    search_items,
    search_static,
)
from basewatch.coreg import apply_shift, estimate_shift
from basewatch.errors import (
    CatalogError,
    CoverageError,
    InputError,
    NoSceneError,
    RasterReadError,
)
from basewatch.grid import Grid
from basewatch.records import Scene

__all__ = [
    "AOI",
    "LoaderConfig",
    "ReadStats",
    "StaticCatalog",
    "TileLoader",
    "analysis_grid",
    "aoi_for_site",
    "coregister",
    "load_local_pair",
    "local_rasters",
    "reproject_scene",
    "scl_masks",
]

log = logging.getLogger(__name__)

#: SCL classes that are not a view of the ground: no data, saturated/defective.
SCL_NODATA = frozenset({0, 1})
#: SCL classes masked as cloud or cloud shadow: shadow, cloud medium/high, thin cirrus.
SCL_CLOUD = frozenset({3, 8, 9, 10})

ATTRIBUTION_S2 = "Contains modified Copernicus Sentinel data {year}"
ATTRIBUTION_S1 = "Contains modified Copernicus Sentinel data {year}"


# ---------------------------------------------------------------------------------------
# the analysis grid


@dataclass(frozen=True, eq=False)
class AOI:
    """Where to read: an outline in longitude/latitude and the grid every date goes onto.

    Attributes
    ----------
    name : str
    outline : shapely geometry
        Longitude/latitude (EPSG:4326).
    grid : Grid
        The analysis grid (UTM, 10 m) covering the outline with a margin.
    inside : ndarray, shape (rows, cols), bool
        Pixels of ``grid`` whose centres lie inside the outline (cloud fractions are
        computed over these).
    """

    name: str
    outline: BaseGeometry
    grid: Grid
    inside: NDArray[np.bool_]


def analysis_grid(
    outline: BaseGeometry, epsg: int, *, res: float = 10.0, margin_m: float = 100.0
) -> Grid:
    """A north-up grid in ``EPSG:epsg`` covering ``outline`` (longitude/latitude).

    The edges are snapped outward to multiples of ``res`` so that grids of one site
    are identical from run to run, and coincide with Sentinel-2 pixel edges (tile
    origins are whole multiples of 10 m in their UTM zone).
    """
    if res <= 0:
        raise InputError(f"grid resolution must be positive, got {res}")
    tr = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    minx, miny, maxx, maxy = outline.bounds
    xs = np.linspace(minx, maxx, 21)
    ys = np.linspace(miny, maxy, 21)
    gx, gy = np.meshgrid(xs, ys)
    px, py = tr.transform(gx.ravel(), gy.ravel())
    left = math.floor((float(np.min(px)) - margin_m) / res) * res
    right = math.ceil((float(np.max(px)) + margin_m) / res) * res
    bottom = math.floor((float(np.min(py)) - margin_m) / res) * res
    top = math.ceil((float(np.max(py)) + margin_m) / res) * res
    width = round((right - left) / res)
    height = round((top - bottom) / res)
    return Grid(f"EPSG:{epsg}", (res, 0.0, left, 0.0, -res, top), width, height)


def aoi_for_site(site: Site, *, res: float = 10.0, margin_m: float = 100.0) -> AOI:
    """The :class:`AOI` of a site: its outline on a grid in its UTM zone."""
    outline = site.project("EPSG:4326").outline
    grid = analysis_grid(outline, site.utm_epsg, res=res, margin_m=margin_m)
    return AOI(name=site.name, outline=outline, grid=grid, inside=outline_mask(site, grid))


# ---------------------------------------------------------------------------------------
# configuration


@dataclass(frozen=True)
class StaticCatalog:
    """A static STAC catalogue on disk (``catalog.json`` and its item files)."""

    path: Path

    @property
    def name(self) -> str:
        return f"static:{self.path}"


@dataclass(frozen=True)
class LoaderConfig:
    """How the loader searches, reads and chooses.

    Attributes
    ----------
    cache : TileCache or None
        Disk cache (None: no caching).
    http : HttpOptions
        Timeouts, retries and backoff for every request.
    offline : bool
        Never touch the network: everything must come from the cache.
    refresh : bool
        Ignore cached search answers (re-query the catalogue); cached pixels are kept.
    max_cloud : float
        Largest fraction of the AOI that may be cloud or shadow (Sentinel-2).
    min_coverage : float
        Smallest fraction of the AOI a scene must have data for.
    window_days : int
        How far from a requested date a scene may be.
    coregister : bool
        Measure and apply the sub-pixel shift between dates.
    max_shift_px : float
        Larger measured shifts are reported but not applied (likely a false match).
    min_shift_px : float
        Smaller measured shifts are reported but not applied (resampling would change
        the pixels more than the shift matters; see :func:`coregister`).
    s2_bands, s1_bands : tuple of str
        Bands to read.
    coreg_band_s2, coreg_band_s1 : str
        The stable band the shift is measured on.
    """

    cache: TileCache | None = None
    http: HttpOptions = field(default_factory=HttpOptions)
    offline: bool = False
    refresh: bool = False
    max_cloud: float = 0.3
    min_coverage: float = 0.9
    window_days: int = 10
    coregister: bool = True
    max_shift_px: float = 3.0
    min_shift_px: float = 0.1
    s2_bands: tuple[str, ...] = S2_BANDS
    s1_bands: tuple[str, ...] = ("VV",)
    coreg_band_s2: str = "B08"
    coreg_band_s1: str = "VV"


@dataclass
class ReadStats:
    """What a loader did over the network (for logs, the benchmark and tests)."""

    band_reads: int = 0
    cache_hits: int = 0
    retries: int = 0
    searches: int = 0


# ---------------------------------------------------------------------------------------
# reading one band window


class _Transient(Exception):
    """A failure worth retrying (HTTP 429/5xx, timeout, connection trouble)."""


_TRANSIENT = re.compile(
    r"HTTP response code: (429|5\d\d)|timed out|timeout|Timeout|Connection refused|"
    r"Couldn't connect|Could not connect|Failed to connect|Empty reply|Recv failure|"
    r"Connection reset|connection was reset|Operation too slow|SSL",
)
_HTTP_CODE = re.compile(r"HTTP response code: (\d{3})")
_URL_QUERY = re.compile(r"(\S)\?[\w.-]+=[^\s:)]*")


def _gdal_env(http: HttpOptions, spec: CatalogSpec | None) -> dict[str, Any]:
    timeout = max(1, math.ceil(http.timeout_s))
    env: dict[str, Any] = {
        "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
        "GDAL_HTTP_TIMEOUT": timeout,
        "GDAL_HTTP_CONNECTTIMEOUT": timeout,
        "GDAL_HTTP_LOW_SPEED_TIME": timeout,
        "GDAL_HTTP_LOW_SPEED_LIMIT": 1,
        "GDAL_HTTP_MAX_RETRY": 0,  # retries are ours: bounded, logged, with backoff
        "GDAL_HTTP_MERGE_CONSECUTIVE_RANGES": "YES",
        "CPL_VSIL_CURL_CHUNK_SIZE": 4096,  # fine range granularity: the AOI is small
        "GDAL_HTTP_MULTIRANGE": "SERIAL",
        "VSI_CACHE": "FALSE",
    }
    if spec is not None and spec.requester_pays:
        env["AWS_REQUEST_PAYER"] = "requester"
    if spec is not None and spec.s3_endpoint:
        env["AWS_S3_ENDPOINT"] = spec.s3_endpoint
        env["AWS_VIRTUAL_HOSTING"] = "FALSE"
    return env


def _describe_href(href: str) -> str:
    """The href without its query string (no SAS tokens in messages or logs)."""
    return href.split("?", 1)[0]


def read_window(
    href: str,
    grid: Grid,
    *,
    resampling: Resampling,
    nodata: float | None,
    http: HttpOptions,
    spec: CatalogSpec | None = None,
    stats: ReadStats | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> NDArray[np.float32]:
    """Read the part of a raster that covers ``grid`` and resample it onto ``grid``.

    Only the source window under the grid (plus two pixels for the resampling kernel)
    is requested, so over HTTP GDAL fetches the file header and the internal tiles
    that intersect the AOI, not the whole file.

    Parameters
    ----------
    href : str
        URL (``https://``, ``s3://``) or local path of a GeoTIFF / COG.
    grid : Grid
        Target grid.
    resampling : rasterio Resampling
        ``nearest`` for classes, ``bilinear`` for values.
    nodata : float or None
        Nodata value of the file when it does not declare one.
    http : HttpOptions
        Timeout, retries, backoff.
    spec : CatalogSpec, optional
        For S3 options (requester pays, endpoint).
    stats : ReadStats, optional
        Counts retries.
    sleep : callable
        Used between retries (tests pass a recorder).

    Returns
    -------
    ndarray, shape (rows, cols), float32
        Raw values on ``grid``; NaN where the file has no data.

    Raises
    ------
    CoverageError
        The raster does not overlap the grid.
    RasterReadError
        The file cannot be read: after the retries for transient failures, at once for
        a damaged file, a missing file or denied access.
    """
    delays = http.delays()
    where = _describe_href(href)
    last: Exception | None = None
    for attempt in range(len(delays) + 1):
        try:
            env = _gdal_env(http, spec)
            if href.startswith(("http://", "https://")):
                # no in-process block cache for this URL: a retry must really go to the
                # server (not replay a cached failure), and the tile cache is ours
                env["CPL_VSIL_CURL_NON_CACHED"] = f"/vsicurl/{href}"
            with rasterio.Env(**env):
                return _read_window_once(href, grid, resampling=resampling, nodata=nodata)
        except _Transient as exc:
            last = exc
            if attempt < len(delays):
                if stats is not None:
                    stats.retries += 1
                log.info("retrying %s in %.1f s after: %s", where, delays[attempt], exc)
                sleep(delays[attempt])
    raise RasterReadError(
        f"{where}: still failing after {len(delays) + 1} attempts ({last}); the server is "
        "down, overloaded or too slow -- try again later, or raise --timeout; "
        "bands already read are kept in the cache"
    )


def _read_window_once(
    href: str, grid: Grid, *, resampling: Resampling, nodata: float | None
) -> NDArray[np.float32]:
    where = _describe_href(href)
    try:
        with rasterio.open(href) as src:
            if src.crs is None and src.gcps[0]:
                return _read_gcps(src, grid, resampling=resampling, nodata=nodata)
            if src.crs is None:
                raise RasterReadError(f"{where}: the raster has no georeferencing")
            src_nodata = src.nodata if src.nodata is not None else nodata
            left, bottom, right, top = rasterio.warp.transform_bounds(
                grid.crs, src.crs, *grid.bounds, densify_pts=21
            )
            full = rasterio.windows.Window(0, 0, src.width, src.height)
            win = rasterio.windows.from_bounds(left, bottom, right, top, transform=src.transform)
            pad = 2
            col0 = max(0, math.floor(win.col_off) - pad)
            row0 = max(0, math.floor(win.row_off) - pad)
            col1 = min(src.width, math.ceil(win.col_off + win.width) + pad)
            row1 = min(src.height, math.ceil(win.row_off + win.height) + pad)
            if col1 <= col0 or row1 <= row0:
                raise CoverageError(
                    f"{where} does not overlap the AOI (raster bounds {tuple(src.bounds)} in "
                    f"{src.crs}); the scene does not cover the site"
                )
            window = rasterio.windows.Window(col0, row0, col1 - col0, row1 - row0)
            window = window.intersection(full)
            raw = src.read(1, window=window)
            src_transform = src.window_transform(window)
            src_crs = src.crs
    except (CoverageError, RasterReadError):
        raise
    except rasterio.errors.RasterioError as exc:
        _raise_read_error(where, exc)
    except Exception as exc:
        # GDAL errors surface as rasterio's CPLE_* classes outside RasterioError
        if type(exc).__module__.startswith("rasterio"):
            _raise_read_error(where, exc)
        raise
    values = raw.astype(np.float32)
    bad = ~np.isfinite(values)
    if src_nodata is not None and np.isfinite(src_nodata):
        bad |= raw == src_nodata
    values[bad] = np.nan
    out = np.full(grid.shape, np.nan, dtype=np.float32)
    rasterio.warp.reproject(
        source=values,
        destination=out,
        src_transform=src_transform,
        src_crs=src_crs,
        src_nodata=np.nan,
        dst_transform=Affine(*grid.transform),
        dst_crs=grid.crs,
        dst_nodata=np.nan,
        resampling=resampling,
    )
    return out


def _read_gcps(
    src: Any, grid: Grid, *, resampling: Resampling, nodata: float | None
) -> NDArray[np.float32]:
    """Sentinel-1 GRD (radar geometry, ground control points only): warp by the GCPs.

    The warper reads the source blocks it needs for ``grid`` on demand, so only the
    AOI's part of the file is fetched.
    """
    gcps, gcp_crs = src.gcps
    src_nodata = src.nodata if src.nodata is not None else nodata
    out = np.full(grid.shape, np.nan, dtype=np.float32)
    rasterio.warp.reproject(
        source=rasterio.band(src, 1),
        destination=out,
        gcps=gcps,
        src_crs=gcp_crs,
        src_nodata=src_nodata,
        dst_transform=Affine(*grid.transform),
        dst_crs=grid.crs,
        dst_nodata=np.nan,
        resampling=resampling,
    )
    return out


def _raise_read_error(where: str, exc: Exception) -> None:
    # GDAL quotes the URL it read, query string (SAS token) included: keep that out
    text = _URL_QUERY.sub(r"\1", " ".join(str(exc).split()))
    if _TRANSIENT.search(text):
        raise _Transient(text) from exc
    code = _HTTP_CODE.search(text)
    if code and code[1] in {"401", "403"}:
        raise RasterReadError(
            f"{where}: access denied (HTTP {code[1]}); the asset needs signing or credentials "
            "(Planetary Computer: the SAS token may have expired, re-run; requester-pays S3: "
            "set AWS credentials)"
        ) from exc
    if (code and code[1] == "404") or "does not exist" in text or "No such file" in text:
        raise RasterReadError(
            f"{where}: not found; the catalogue points at a file that is not there"
        ) from exc
    if "not recognized" in text or "not a supported file format" in text:
        raise RasterReadError(
            f"{where}: not a GeoTIFF that GDAL can read (corrupt or not a raster: {text}); "
            "report it to the catalogue, and choose another date or --catalog"
        ) from exc
    raise RasterReadError(
        f"{where}: the file is damaged or truncated, reading the AOI window failed ({text}); "
        "choose another date or --catalog"
    ) from exc


# ---------------------------------------------------------------------------------------
# pure helpers


def scl_masks(
    scl: NDArray[np.floating], inside: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], float, float | None]:
    """Usable-pixel mask and AOI statistics from a scene classification layer.

    Parameters
    ----------
    scl : ndarray, shape (rows, cols)
        SCL classes on the analysis grid (NaN where the file had no data).
    inside : ndarray, shape (rows, cols), bool
        Pixels inside the AOI outline.

    Returns
    -------
    clear : ndarray, shape (rows, cols), bool
        Pixels with data that are neither cloud nor shadow (classes 3, 8, 9, 10) nor
        defective (0, 1).
    coverage : float
        Fraction of AOI pixels with data.
    cloud_fraction : float or None
        Fraction of the AOI pixels with data that are cloud or shadow (None if the
        scene has no data over the AOI).
    """
    classes = np.where(np.isfinite(scl), scl, 0).astype(np.int16)
    has_data = ~np.isin(classes, list(SCL_NODATA))
    cloud = np.isin(classes, list(SCL_CLOUD))
    clear = has_data & ~cloud
    n_inside = int(inside.sum())
    if n_inside == 0:
        raise InputError("the AOI covers no pixel of its grid; check the site outline")
    n_data = int((has_data & inside).sum())
    coverage = n_data / n_inside
    cloud_fraction = float((cloud & inside).sum()) / n_data if n_data else None
    return clear, coverage, cloud_fraction


def reproject_scene(scene: Scene, grid: Grid) -> Scene:
    """``scene`` resampled (bilinear; nearest for the mask) onto ``grid``."""
    if scene.grid.same_as(grid):
        return scene
    src_t = Affine(*scene.grid.transform)
    dst_t = Affine(*grid.transform)
    out = np.full((len(scene.bands), *grid.shape), np.nan, dtype=np.float32)
    for i in range(len(scene.bands)):
        band = np.where(scene.valid, scene.data[i], np.nan).astype(np.float32)
        rasterio.warp.reproject(
            source=band,
            destination=out[i],
            src_transform=src_t,
            src_crs=scene.grid.crs,
            src_nodata=np.nan,
            dst_transform=dst_t,
            dst_crs=grid.crs,
            dst_nodata=np.nan,
            resampling=Resampling.bilinear,
        )
    valid = np.asarray(np.isfinite(out).all(axis=0), dtype=bool)
    out[:, ~valid] = np.nan
    return dataclasses.replace(scene, data=out, valid=valid, grid=grid)


def coregister(
    reference: Scene,
    moving: Scene,
    *,
    band: str,
    max_shift_px: float,
    log_scale: bool = False,
    min_shift_px: float = 0.1,
) -> Scene:
    """``moving`` shifted onto ``reference`` by phase correlation on ``band``.

    The measured shift is always reported in ``metadata["coregistration"]``; it is
    applied (and stored in ``shift_px``) only when the correlation peak is reliable and
    the shift is between ``min_shift_px`` and ``max_shift_px``. Below ``min_shift_px``
    the scene is left as read: resampling smooths every pixel (cubic spline), which
    changes the speckle of SAR and the noise of optical bands (and so what a CFAR or a
    threshold finds) more than a misregistration of a tenth of a pixel changes edges.
    """
    if not reference.grid.same_as(moving.grid):
        raise InputError("co-registration needs both scenes on one grid")
    name = band if band in reference.bands and band in moving.bands else reference.bands[0]
    a = reference.band(name).astype(np.float64)
    b = moving.band(name).astype(np.float64)
    if log_scale:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = 10.0 * np.log10(np.where(a > 0, a, np.nan))
            b = 10.0 * np.log10(np.where(b > 0, b, np.nan))
    both = reference.valid & moving.valid
    try:
        est = estimate_shift(a, b, valid=both)
    except InputError as exc:
        failed = {"band": name, "applied": False, "reason": str(exc)}
        return dataclasses.replace(moving, metadata={**moving.metadata, "coregistration": failed})
    info: dict[str, Any] = {
        "band": name,
        "measured_dy_px": round(est.dy, 3),
        "measured_dx_px": round(est.dx, 3),
        "peak": round(est.peak, 4),
        "overlap_px": est.overlap,
        "method": "phase correlation, upsampled-DFT refinement to 0.01 px",
    }
    if not est.reliable:
        info.update(applied=False, reason="correlation peak too weak to trust")
        return dataclasses.replace(moving, metadata={**moving.metadata, "coregistration": info})
    if est.magnitude > max_shift_px:
        info.update(
            applied=False,
            reason=f"shift {est.magnitude:.2f} px exceeds the {max_shift_px} px limit",
        )
        return dataclasses.replace(moving, metadata={**moving.metadata, "coregistration": info})
    if est.magnitude < min_shift_px:
        info.update(
            applied=False,
            reason=f"shift {est.magnitude:.2f} px is below {min_shift_px} px: not resampled",
        )
        return dataclasses.replace(moving, metadata={**moving.metadata, "coregistration": info})
    shift = (-est.dy, -est.dx)
    data, valid = apply_shift(moving.data, moving.valid, shift)
    info["applied"] = True
    return dataclasses.replace(
        moving,
        data=data,
        valid=valid,
        shift_px=(round(shift[0], 3), round(shift[1], 3)),
        metadata={**moving.metadata, "coregistration": info},
    )


# ---------------------------------------------------------------------------------------
# the loader


class TileLoader:
    """Search, choose, read and align scenes of one AOI from one catalogue.

    Parameters
    ----------
    source : CatalogSpec or StaticCatalog
        A STAC API or a static catalogue on disk.
    aoi : AOI
        Where to read, and the grid to read onto.
    config : LoaderConfig, optional
    """

    def __init__(
        self, source: CatalogSpec | StaticCatalog, aoi: AOI, config: LoaderConfig | None = None
    ) -> None:
        self.source = source
        self.aoi = aoi
        self.config = config or LoaderConfig()
        self.stats = ReadStats()
        self._signer: SasTokenSigner | None = None
        if isinstance(source, CatalogSpec) and source.sas_url:
            self._signer = SasTokenSigner(source.sas_url, http=self.config.http)

    @property
    def catalog_name(self) -> str:
        return self.source.name

    # -- search ----------------------------------------------------------------------
    def search(self, sensor: str, start: dt.date, end: dt.date) -> list[Candidate]:
        """Scenes of ``sensor`` touching the AOI between two dates (cached).

        Raises
        ------
        CoverageError
            The catalogue has no scene over the AOI at all (not on any date).
        NoSceneError
            It has some over the AOI, but none in the date range.
        CatalogError
            Searching failed (see :func:`basewatch.catalog.search_items`), or
            ``offline`` is set and the answer is not cached.
        """
        sensor = sensor.upper()
        items = self._search_items(sensor, start, end)
        candidates = [
            candidate_from_item(it, catalog=self.catalog_name, sensor=sensor) for it in items
        ]
        candidates = [c for c in candidates if c.footprint.intersects(self.aoi.outline)]
        if candidates:
            return sorted(candidates, key=lambda c: (c.datetime, c.id))
        # tell "nothing here at all" apart from "nothing on those dates"
        if self.config.offline and isinstance(self.source, CatalogSpec):
            raise NoSceneError(
                f"offline: no cached {sensor} scene of {self.catalog_name} over "
                f"{self.aoi.name!r} between {start} and {end}; run `basewatch fetch` for "
                "these dates with network access first"
            )
        wide = self._search_items(
            sensor, dt.date(2014, 4, 1), dt.date.today(), cache=False, max_items=1
        )
        if not wide:
            raise CoverageError(
                f"AOI {self.aoi.name!r} (bounds {_fmt_bounds(self.aoi.outline.bounds)}) is outside "
                f"every {sensor} scene of {self.catalog_name}; check the site, or the catalogue "
                "covers another area"
            )
        raise NoSceneError(
            f"no {sensor} scene of {self.catalog_name} over {self.aoi.name!r} between {start} and "
            f"{end} (there are scenes on other dates, e.g. "
            f"{str(wide[0].get('properties', {}).get('datetime', '?'))[:10]}); widen the range"
        )

    def _search_items(
        self,
        sensor: str,
        start: dt.date,
        end: dt.date,
        *,
        cache: bool = True,
        max_items: int = 500,
    ) -> list[dict[str, Any]]:
        source = self.source
        if isinstance(source, StaticCatalog):
            return search_static(
                source.path, sensor=sensor, aoi=self.aoi.outline, start=start, end=end
            )
        query = {
            "catalog": source.url,
            "collection": source.collection(sensor),
            "aoi": self.aoi.outline.wkt,
        }
        store = self.config.cache if cache else None
        doc = store.get_search(query) if store is not None else None
        ranges = [
            (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
            for a, b in (doc["ranges"] if doc else [])
        ]
        known: list[dict[str, Any]] = list(doc["items"]) if doc else []
        if doc and not self.config.refresh and _covers(ranges, start, end):
            return _in_range(known, start, end)
        if self.config.offline:
            if doc and any(a <= end and start <= b for a, b in ranges):
                log.warning(
                    "offline: the cached search covers only %s of %s..%s",
                    ", ".join(f"{a}..{b}" for a, b in ranges),
                    start,
                    end,
                )
                return _in_range(known, start, end)
            raise CatalogError(
                f"offline: no cached search of {source.name} for {self.aoi.name!r} "
                f"{start}..{end}; run `basewatch fetch` with network access first"
            )
        self.stats.searches += 1
        items = search_items(
            source,
            sensor=sensor,
            aoi=self.aoi.outline,
            start=start,
            end=end,
            http=self.config.http,
            max_items=max_items,
        )
        if store is not None and len(items) < max_items:
            merged = {str(it.get("id")): it for it in known}
            merged.update({str(it.get("id")): it for it in items})
            spans = _merge_ranges([*ranges, (start, end)])
            store.put_search(
                query,
                [[a.isoformat(), b.isoformat()] for a, b in spans],
                sorted(merged.values(), key=lambda it: str(it.get("id"))),
            )
        return items

    # -- reading ---------------------------------------------------------------------
    def read_band(self, cand: Candidate, band: str) -> NDArray[np.float32]:
        """One band of one scene on the AOI grid, raw values (NaN = no data); cached."""
        asset = cand.asset(band)
        resampling = Resampling.nearest if asset.kind == "class" else Resampling.bilinear
        store = self.config.cache
        key = TileCache.band_key(
            catalog=cand.catalog,
            scene_id=cand.id,
            band=band,
            grid=self.aoi.grid,
            resampling=resampling.name,
        )
        if store is not None:
            hit = store.get_band(key, self.aoi.grid.shape)
            if hit is not None:
                self.stats.cache_hits += 1
                return hit
        if self.config.offline:
            raise RasterReadError(
                f"offline: band {band} of {cand.id} is not in the cache; run `basewatch fetch` "
                "with network access first"
            )
        href = asset.href
        if self._signer is not None:
            href = self._signer.sign(href, cand.collection)
        self.stats.band_reads += 1
        spec = self.source if isinstance(self.source, CatalogSpec) else None
        arr = read_window(
            href,
            self.aoi.grid,
            resampling=resampling,
            nodata=asset.nodata,
            http=self.config.http,
            spec=spec,
            stats=self.stats,
        )
        if store is not None:
            store.put_band(key, arr)
        return arr

    def assess(self, cand: Candidate) -> Assessment:
        """Coverage and cloud fraction of a candidate over the AOI.

        Sentinel-2: from its SCL layer (a small 20 m read, cached). Sentinel-1: from the
        footprint (radar sees through cloud).
        """
        if cand.sensor == "S2" and SCL in cand.assets:
            scl = self.read_band(cand, SCL)
            _, coverage, cloud = scl_masks(scl, self.aoi.inside)
            return Assessment(cand, coverage, cloud)
        return Assessment(cand, cand.coverage(self.aoi.outline), None)

    def read_scene(self, cand: Candidate, bands: Sequence[str] | None = None) -> Scene:
        """Read a candidate's bands into a :class:`Scene` on the AOI grid."""
        if cand.sensor == "S2":
            return self._read_s2(cand, tuple(bands or self.config.s2_bands))
        return self._read_s1(cand, tuple(bands or self.config.s1_bands))

    def _read_s2(self, cand: Candidate, bands: tuple[str, ...]) -> Scene:
        raw = [self.read_band(cand, b) for b in bands]
        assets = [cand.asset(b) for b in bands]
        data = np.stack(
            [
                ((r + np.float32(a.offset_dn)) * np.float32(a.scale)).astype(np.float32)
                for r, a in zip(raw, assets, strict=True)
            ]
        )
        valid = np.asarray(np.isfinite(data).all(axis=0), dtype=bool)
        cloud: float | None = None
        meta: dict[str, Any] = {"catalog": cand.catalog, **_candidate_meta(cand)}
        if SCL in cand.assets:
            clear, coverage, cloud = scl_masks(self.read_band(cand, SCL), self.aoi.inside)
            valid &= clear
            meta["aoi_coverage"] = round(coverage, 4)
        else:
            meta["warnings"] = ["no SCL layer: clouds are not masked"]
        data[:, ~valid] = np.nan
        meta["offset_rule"] = assets[0].offset_rule
        check = _offset_sanity(data, valid)
        if check:
            meta.setdefault("warnings", []).append(check)
        return Scene(
            id=cand.id,
            sensor="S2",
            datetime=cand.datetime,
            bands=bands,
            data=data,
            valid=valid,
            grid=self.aoi.grid,
            source=_describe_href(assets[0].href),
            attribution=ATTRIBUTION_S2.format(year=cand.datetime.year),
            processing_baseline=cand.processing_baseline,
            offset_applied=assets[0].offset_dn,
            scale=assets[0].scale,
            cloud_fraction=None if cloud is None else round(cloud, 4),
            metadata=meta,
        )

    def _read_s1(self, cand: Candidate, bands: tuple[str, ...]) -> Scene:
        planes = []
        meta: dict[str, Any] = {"catalog": cand.catalog, **_candidate_meta(cand)}
        for b in bands:
            asset = cand.asset(b)
            arr = self.read_band(cand, b)
            if asset.kind == "amplitude":
                arr = np.square(arr, dtype=np.float32)
                meta["radiometry"] = "uncalibrated GRD intensity (DN squared), not sigma0"
            else:
                meta["radiometry"] = "gamma0 (radiometrically terrain corrected), linear"
            arr = np.where(arr > 0, arr, np.nan).astype(np.float32)
            planes.append(arr)
        data = np.stack(planes)
        valid = np.asarray(np.isfinite(data).all(axis=0), dtype=bool)
        data[:, ~valid] = np.nan
        return Scene(
            id=cand.id,
            sensor="S1",
            datetime=cand.datetime,
            bands=bands,
            data=data,
            valid=valid,
            grid=self.aoi.grid,
            source=_describe_href(cand.asset(bands[0]).href),
            attribution=ATTRIBUTION_S1.format(year=cand.datetime.year),
            metadata=meta,
        )

    # -- the whole job ---------------------------------------------------------------
    def load_pair(self, sensor: str, before: dt.date, after: dt.date) -> tuple[Scene, Scene]:
        """The best scene near ``before`` and near ``after``, read, masked and aligned.

        Sentinel-2: the nearest scene to each date with at most ``max_cloud`` of the AOI
        under cloud or shadow (measured from SCL inside the AOI). Sentinel-1: the pair
        from one relative orbit nearest to both dates. The ``after`` scene is shifted
        onto the ``before`` scene (``shift_px``).

        Raises
        ------
        InputError
            ``before`` is not earlier than ``after``.
        CoverageError, NoSceneError, CatalogError, RasterReadError
            See :meth:`search`, :func:`basewatch.catalog.choose_nearest`,
            :func:`read_window`.
        """
        if before >= after:
            raise InputError(f"--before ({before}) must be earlier than --after ({after})")
        sensor = sensor.upper()
        pad = dt.timedelta(days=self.config.window_days)
        cands = self.search(sensor, before - pad, after + pad)
        if sensor == "S2":
            b_pick = self._pick_s2(cands, before, "before")
            a_pool = [c for c in cands if c.datetime > b_pick.candidate.datetime]
            a_pick = self._pick_s2(a_pool or cands, after, "after")
        else:
            assessed = [self.assess(c) for c in cands]
            b_pick, a_pick = choose_sar_pair(
                assessed,
                before,
                after,
                min_coverage=self.config.min_coverage,
                window_days=self.config.window_days,
            )
        if b_pick.candidate.id == a_pick.candidate.id:
            raise NoSceneError(
                f"the same scene ({b_pick.candidate.id}) is the nearest usable one to both "
                f"{before} and {after}; give dates further apart"
            )
        first = self.read_scene(b_pick.candidate)
        second = self.read_scene(a_pick.candidate)
        if self.config.coregister:
            band = self.config.coreg_band_s2 if sensor == "S2" else self.config.coreg_band_s1
            second = coregister(
                first,
                second,
                band=band,
                max_shift_px=self.config.max_shift_px,
                min_shift_px=self.config.min_shift_px,
                log_scale=sensor == "S1",
            )
        return first, second

    def _pick_s2(self, cands: Sequence[Candidate], target: dt.date, what: str) -> Assessment:
        window = self.config.window_days
        near = [c for c in cands if abs((c.date - target).days) <= window]
        near.sort(key=lambda c: (abs((c.date - target).days), c.id))
        assessed = [self.assess(c) for c in near]
        return choose_nearest(
            assessed or [self.assess(c) for c in cands],
            target,
            max_cloud=self.config.max_cloud,
            min_coverage=self.config.min_coverage,
            window_days=window,
            what=f"{what} scene",
            prefer_epsg=_epsg_of(self.aoi.grid),
        )

    def fill_cache(
        self, sensor: str, start: dt.date, end: dt.date
    ) -> Iterator[tuple[Candidate, str]]:
        """Read every band of every scene over the AOI in a date range into the cache.

        Yields ``(candidate, band)`` after each band is stored (for a progress bar).
        A band that fails raises after the earlier ones are safely cached.
        """
        sensor = sensor.upper()
        bands = (*self.config.s2_bands, SCL) if sensor == "S2" else self.config.s1_bands
        for cand in self.search(sensor, start, end):
            for band in bands:
                if band in cand.assets:
                    self.read_band(cand, band)
                yield cand, band

    def plan(self, sensor: str, start: dt.date, end: dt.date) -> list[tuple[Candidate, str]]:
        """The (scene, band) reads :meth:`fill_cache` will make."""
        sensor = sensor.upper()
        bands = (*self.config.s2_bands, SCL) if sensor == "S2" else self.config.s1_bands
        return [(c, b) for c in self.search(sensor, start, end) for b in bands]


def _epsg_of(grid: Grid) -> int | None:
    code = grid.pyproj_crs.to_epsg()
    return int(code) if code is not None else None


def _covers(ranges: Sequence[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> bool:
    """True when the union of ``ranges`` (inclusive) contains ``start..end``."""
    return any(a <= start and end <= b for a, b in _merge_ranges(ranges))


def _merge_ranges(ranges: Sequence[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _in_range(
    items: Sequence[dict[str, Any]], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Items whose acquisition date (UTC) lies in ``start..end``."""
    out = []
    for it in items:
        props = it.get("properties") or {}
        stamp = str(props.get("datetime") or props.get("start_datetime") or "")[:10]
        try:
            day = dt.date.fromisoformat(stamp)
        except ValueError:
            continue
        if start <= day <= end:
            out.append(it)
    return out


def _candidate_meta(cand: Candidate) -> dict[str, Any]:
    return {
        "collection": cand.collection,
        "platform": cand.platform,
        "relative_orbit": cand.relative_orbit,
        "orbit_state": cand.orbit_state,
        "scene_cloud_percent": cand.scene_cloud,
    }


def _offset_sanity(data: NDArray[np.float32], valid: NDArray[np.bool_]) -> str | None:
    """A warning when reflectances look offset twice (many clearly negative values)."""
    if not valid.any():
        return None
    vals = data[:, valid]
    negative = float(np.mean(vals < -0.02))
    if negative > 0.2:
        return (
            f"{negative:.0%} of reflectances are below -0.02: the catalogue's offset metadata "
            "may be wrong for this scene (offset applied twice?)"
        )
    return None


def _fmt_bounds(b: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.4f}" for v in b)


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

    Each file is read over the site's window only (:func:`basewatch.tiles.read_geotiff`,
    which applies its own scale/offset rules), resampled onto the AOI grid, and the later
    one shifted onto the earlier one.

    Raises
    ------
    NoSceneError
        Fewer than two rasters, or none near a date.
    InputError, RasterReadError, CoverageError
        From reading the files.
    """
    from basewatch.tiles import raster_grid, read_geotiff, site_window

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
        log_scale = first.sensor == "S1"
        band = cfg.coreg_band_s1 if log_scale else cfg.coreg_band_s2
        second = coregister(
            first,
            second,
            band=band,
            max_shift_px=cfg.max_shift_px,
            min_shift_px=cfg.min_shift_px,
            log_scale=log_scale,
        )
    return first, second
