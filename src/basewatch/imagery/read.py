"""Windowed reads of cloud-optimised GeoTIFFs over HTTP, and reprojection onto a grid.

GDAL environment, retries of transient failures with backoff, and errors mapped to
:class:`~basewatch.errors.RasterReadError` with the cause named.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import numpy as np
import rasterio
import rasterio.errors
import rasterio.warp
import rasterio.windows
from numpy.typing import NDArray
from rasterio.enums import Resampling

from basewatch._gdal import grid_band, warp_array
from basewatch.errors import (
    CoverageError,
    RasterReadError,
)
from basewatch.grid import Grid
from basewatch.imagery.catalog import (
    CatalogSpec,
    HttpOptions,
    unreachable_message,
)
from basewatch.records import Scene

log = logging.getLogger(__name__)


@dataclass
class ReadStats:
    """What a loader did over the network (for logs, the benchmark and tests)."""

    band_reads: int = 0
    cache_hits: int = 0
    retries: int = 0
    searches: int = 0
    _lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False, init=False
    )

    def add(self, name: str, n: int = 1) -> None:
        """Count ``n`` more of ``name`` (a scene's bands are read on several threads)."""
        with self._lock:
            setattr(self, name, getattr(self, name) + n)


# ---------------------------------------------------------------------------------------
# reading one band window


class _Transient(Exception):
    """A failure worth retrying (HTTP 429/5xx, timeout, connection trouble)."""


_TRANSIENT = re.compile(
    r"HTTP response code: (429|5\d\d)|timed out|timeout|Timeout|Connection refused|"
    r"Couldn't connect|Could not connect|Failed to connect|Empty reply|Recv failure|"
    r"Connection reset|connection was reset|Operation too slow|SSL",
)
#: curl's words for a host it cannot reach at all (no retry helps), and the reason said.
_UNREACHABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(Could not|Couldn't) resolve host", re.I), "name not resolved"),
    (re.compile(r"Connection refused", re.I), "connection refused"),
    (re.compile(r"Network is unreachable", re.I), "network unreachable"),
    (re.compile(r"No route to host", re.I), "no route to host"),
    (re.compile(r"(Could not|Couldn't|Failed to) connect to", re.I), "connection failed"),
)
_HTTP_CODE = re.compile(r"HTTP response code: (\d{3})")
_URL_QUERY = re.compile(r"(\S)\?[\w.-]+=[^\s:)]*")


#: Bytes GDAL reads from a remote raster in its first request (``GDAL_INGESTED_BYTES_AT_
#: OPEN``): the header and tile index of a Sentinel-2 COG.
INGESTED_BYTES_AT_OPEN = 32768


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
        # the header and tile index of a COG in the first request, not in 4 KB pieces
        # one after the other (a Sentinel-2 band's fit in 32 KB)
        "GDAL_INGESTED_BYTES_AT_OPEN": INGESTED_BYTES_AT_OPEN,
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
    saturated: float | None = None,
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
    saturated : float, optional
        Value that marks a saturated pixel (Sentinel-2: ``S2_SATURATED_DN``): masked
        like nodata.
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
                return _read_window_once(
                    href, grid, resampling=resampling, nodata=nodata, saturated=saturated
                )
        except _Transient as exc:
            last = exc
            if attempt < len(delays):
                if stats is not None:
                    stats.add("retries")
                log.info("retrying %s in %.1f s after: %s", where, delays[attempt], exc)
                sleep(delays[attempt])
    raise RasterReadError(
        f"{where}: still failing after {len(delays) + 1} attempts ({last}); the server is "
        "down, overloaded or too slow -- try again later, or raise --timeout; "
        "bands already read are kept in the cache"
    )


def _read_window_once(
    href: str,
    grid: Grid,
    *,
    resampling: Resampling,
    nodata: float | None,
    saturated: float | None = None,
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
    if saturated is not None:
        bad |= raw == saturated
    values[bad] = np.nan
    out = np.full(grid.shape, np.nan, dtype=np.float32)
    warp_array(
        values,
        out,
        src_transform=src_transform,
        src_crs=src_crs,
        dst_transform=grid.transform,
        dst_crs=grid.crs,
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
    # the destination is a memory dataset opened on the grid: given an array, rasterio
    # opens one without georeferencing and its warning escapes threads reading at once
    # (see basewatch._gdal.warp_array)
    with grid_band(out, transform=grid.transform, crs=grid.crs) as dst:
        rasterio.warp.reproject(
            source=rasterio.band(src, 1),
            destination=dst,
            gcps=gcps,
            src_crs=gcp_crs,
            src_nodata=src_nodata,
            dst_nodata=np.nan,
            resampling=resampling,
        )
    return out


def _raise_read_error(where: str, exc: Exception) -> None:
    # GDAL quotes the URL it read, query string (SAS token) included: keep that out
    text = _URL_QUERY.sub(r"\1", " ".join(str(exc).split()))
    reason = next((why for pattern, why in _UNREACHABLE if pattern.search(text)), None)
    if reason is not None and "timed out" not in text.lower():
        host = urlparse(where).netloc or where
        raise RasterReadError(unreachable_message(host, reason)) from exc
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


def reproject_scene(scene: Scene, grid: Grid) -> Scene:
    """``scene`` resampled (bilinear; nearest for the mask) onto ``grid``."""
    if scene.grid.same_as(grid):
        return scene
    out = np.full((len(scene.bands), *grid.shape), np.nan, dtype=np.float32)
    for i in range(len(scene.bands)):
        band = np.where(scene.valid, scene.data[i], np.nan).astype(np.float32)
        warp_array(
            band,
            out[i],
            src_transform=scene.grid.transform,
            src_crs=scene.grid.crs,
            dst_transform=grid.transform,
            dst_crs=grid.crs,
            resampling=Resampling.bilinear,
        )
    valid = np.asarray(np.isfinite(out).all(axis=0), dtype=bool)
    out[:, ~valid] = np.nan
    return dataclasses.replace(scene, data=out, valid=valid, grid=grid)
