"""A real STAC catalogue on localhost for the tile-loader tests and the benchmark.

Nothing here is a mock of pystac-client or rasterio: the loader runs its ordinary code
paths against

* a STAC API server, ``rustac serve`` (the ``rustac`` package from PyPI; its
  in-memory backend implements item search by ``intersects``/``datetime``/
  ``collections`` with paging by ``next`` links), loaded with items built from the
  real published items in ``../shared/data/stac/`` (Planetary Computer, Earth Search
  v1, Copernicus Data Space) with only ids, dates, geometry, projection and asset
  hrefs replaced;
* an HTTP file server (:class:`RangeServer`: ``http.server`` in a process of its own,
  ``range_server.py``) that honours single ``Range`` requests the way S3 and Azure
  blob storage do, counts the bytes it sends, can inject faults (HTTP 5xx, slow
  answers), requires Planetary-Computer-style SAS signatures on ``/pc/`` and serves a
  SAS token endpoint, and a deliberately broken "catalogue" at ``/badstac/``
  (malformed JSON).

The assets are cloud-optimised GeoTIFFs written by :func:`write_cog` from the real
rasters in ``../shared/data``:

* Sentinel-2: the Beirut L1C pair (2015-08-20, 2017-10-03; OSCD), warped once to
  UTM 36N at 10 m, one COG per band, tiled 256 x 256, DEFLATE, with overviews. The
  digital numbers are the real ones, plus 1000 where an item claims processing
  baseline >= 04.00 and an un-harmonised catalogue (Planetary Computer, CDSE).
  The item dates and baselines are set by the tests (the pixels are 2015/2017 L1C;
  the items relabel them to exercise the catalogue conventions).
* SCL: derived from the same real pixels at 20 m by fixed thresholds (documented in
  :func:`scl_from_pixels`): water where NIR is below green and dark, "cloud high
  probability" (9) on the brightest 1 % of blue (bright roofs stand in for clouds),
  "cloud shadow" (3) on the darkest 1 % of land, vegetation/bare soil elsewhere. A
  "cloudy" variant marks a block over the AOI as cloud. These are not real clouds; they
  are real-pixel patterns with a known classification to test the masking against.
* Sentinel-1: the Latakia VV dB rasters, converted to linear gamma0 float32 with
  nodata -32768 (the Planetary Computer ``sentinel-1-rtc`` encoding), on their own
  11.45 m grid, so the loader really reprojects them.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.shutil
import rasterio.warp
from affine import Affine
from rasterio.enums import Resampling
from rasterio.io import MemoryFile

from range_server import SAS_TOKEN, Fault  # noqa: F401  (the tests import them from here)

BEIRUT = {
    "2015": "s2_beirut_2015_2017/beirut_S2L1C_20150820_B02-B03-B04-B08_10m.tif",
    "2017": "s2_beirut_2015_2017/beirut_S2L1C_20171003_B02-B03-B04-B08_10m.tif",
}
S2_BAND_ORDER = ("B02", "B03", "B04", "B08")
LATAKIA = {
    "20241123": "latakia_port_S1_VV_dB_approx_20241123T154150.tif",
    "20241205": "latakia_port_S1_VV_dB_approx_20241205T154149.tif",
    "20241206": "latakia_port_S1_VV_dB_approx_20241206T034315.tif",
    "20241218": "latakia_port_S1_VV_dB_approx_20241218T034314.tif",
}


# ---------------------------------------------------------------------------------------
# HTTP file server with Range support, byte counting and fault injection


#: Ports a :class:`RangeServer` of this process has served (see ``RangeServer.start``).
_PORTS_SERVED: set[int] = set()
#: Seconds a request to a file server's controls may take.
CONTROL_TIMEOUT_S = 20.0


def end_process(proc: subprocess.Popen[Any]) -> None:
    """Stop a server process: asked first, killed if it does not go."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _RemoteLog:
    """The log of a :class:`RangeServer` (requests, bytes sent, most requests answered
    at once), read from its process."""

    def __init__(self, server: RangeServer) -> None:
        self._server = server

    def _doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self._server.control("log"))
        return doc

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        """``(method, path, range)`` of every request since the last reset."""
        return [tuple(r) for r in self._doc()["requests"]]  # type: ignore[misc]

    @property
    def most_in_flight(self) -> int:
        return int(self._doc()["most_in_flight"])

    def total_bytes(self, prefix: str = "") -> int:
        sent = self._doc()["bytes_sent"]
        return sum(int(v) for k, v in sent.items() if k.startswith(prefix))

    def count(self, prefix: str = "") -> int:
        return sum(1 for _, p, _ in self.requests if p.startswith(prefix))

    def reset(self) -> None:
        self._server.control("reset")


class _RemoteFaults:
    """The faults of a :class:`RangeServer` by path, set in its process."""

    def __init__(self, server: RangeServer) -> None:
        self._server = server

    def __setitem__(self, path: str, fault: Fault) -> None:
        self._server.control("fault", {"path": path, "fault": dataclasses.asdict(fault)})

    def pop(self, path: str, default: Any = None) -> Any:
        self._server.control("fault", {"path": path, "fault": None})
        return default


class RangeServer:
    """Serve ``root`` on 127.0.0.1 like an object store, from a process of its own
    (``tests/range_server.py``, see its docstring for why); its log and faults are
    read and set through the server."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.log = _RemoteLog(self)
        self.faults = _RemoteFaults(self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int = 0) -> RangeServer:
        # GDAL keeps what it read over /vsicurl/ for the life of the process, keyed by
        # URL (sizes, headers, ranges; VSI_CACHE does not turn it off). A server on a
        # port an earlier one served would be read as that server's files.
        cmd = [sys.executable, str(Path(__file__).with_name("range_server.py")), str(self.root)]
        cmd += ["--port", str(port), "--avoid", ",".join(map(str, sorted(_PORTS_SERVED)))]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"the file server did not start: {line!r}")
        # the port is printed once it is bound and listening: requests queue from then
        self.port = int(line)
        _PORTS_SERVED.add(self.port)
        return self

    def control(self, what: str, doc: dict[str, Any] | None = None) -> bytes:
        """Ask the server process: ``log``, ``reset``, or ``fault`` (``doc``)."""
        data = None if doc is None else json.dumps(doc).encode()
        req = urllib.request.Request(f"{self.url}/__control/{what}", data=data)
        with urllib.request.urlopen(req, timeout=CONTROL_TIMEOUT_S) as resp:
            body: bytes = resp.read()
        return body

    def stop(self) -> None:
        if self.proc is not None:
            end_process(self.proc)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


# ---------------------------------------------------------------------------------------
# rustac serve


def rustac_binary() -> str:
    here = Path(sys.executable).parent / "rustac"
    found = str(here) if here.is_file() else shutil.which("rustac")
    if not found:
        raise RuntimeError("the `rustac` command is missing: pip install rustac (test dependency)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RustacServer:
    """``rustac serve`` of a FeatureCollection file, in memory, on a free port."""

    def __init__(self, items_file: Path) -> None:
        self.items_file = items_file
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> RustacServer:
        self.proc = subprocess.Popen(
            [
                rustac_binary(),
                "serve",
                "--addr",
                f"127.0.0.1:{self.port}",
                "--create-collections",
                str(self.items_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"rustac serve exited: {err}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("rustac serve did not start in time")

    def stop(self) -> None:
        if self.proc is not None:
            end_process(self.proc)
        self.proc = None


# ---------------------------------------------------------------------------------------
# COGs from the real rasters


def write_cog(
    path: Path,
    data: np.ndarray,
    *,
    crs: str,
    transform: Affine,
    nodata: float | None,
    blocksize: int = 256,
) -> Path:
    """Write one band as a tiled, DEFLATE-compressed COG with overviews."""
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff",
        "width": data.shape[1],
        "height": data.shape[0],
        "count": 1,
        "dtype": data.dtype.name,
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
    }
    with MemoryFile() as mem:
        with mem.open(**profile) as ds:
            ds.write(data, 1)
        with mem.open() as src:
            rasterio.shutil.copy(
                src,
                path,
                driver="COG",
                BLOCKSIZE=blocksize,
                COMPRESS="DEFLATE",
                PREDICTOR=2 if data.dtype.kind in "ui" else 3,
                OVERVIEWS="AUTO",
                RESAMPLING="NEAREST" if data.dtype == np.uint8 else "AVERAGE",
            )
    return path


@dataclass(frozen=True)
class Tile:
    """A real raster warped onto a UTM tile grid: DN per band (uint16, 0 = nodata)."""

    bands: dict[str, np.ndarray]
    transform: Affine
    crs: str

    @property
    def shape(self) -> tuple[int, int]:
        return next(iter(self.bands.values())).shape


def beirut_tile(shared_data: Path, year: str, *, epsg: int = 32636, res: float = 10.0) -> Tile:
    """One date of the Beirut L1C crop on a 10 m UTM grid with whole-10 m edges."""
    src_path = shared_data / BEIRUT[year]
    with rasterio.open(src_path) as src:
        dst_crs = f"EPSG:{epsg}"
        left, bottom, right, top = rasterio.warp.transform_bounds(src.crs, dst_crs, *src.bounds)
        left, top = np.floor(left / res) * res, np.ceil(top / res) * res
        width = int(np.floor((right - left) / res))
        height = int(np.floor((top - bottom) / res))
        transform = Affine(res, 0, left, 0, -res, top)
        out = {}
        for i, name in enumerate(S2_BAND_ORDER, start=1):
            dst = np.zeros((height, width), dtype=np.uint16)
            rasterio.warp.reproject(
                rasterio.band(src, i),
                dst,
                dst_transform=transform,
                dst_crs=dst_crs,
                src_nodata=0,
                dst_nodata=0,
                resampling=Resampling.bilinear,
            )
            out[name] = dst
    return Tile(out, transform, dst_crs)


def scl_from_pixels(
    tile: Tile, *, cloud_box: tuple[int, int, int, int] | None = None
) -> tuple[np.ndarray, Affine]:
    """A 20 m scene classification derived from the tile's real pixels.

    Rules (on 2 x 2 block means of the 10 m DNs, reflectance = DN / 10000):
    no data (0) where any band is 0; water (6) where NIR < green and NIR < 0.08;
    cloud high probability (9) on the brightest 1 % of blue among land pixels; cloud
    shadow (3) on the darkest 1 % of land NIR; vegetation (4) where NDVI > 0.3; not
    vegetated (5) elsewhere. ``cloud_box`` ``(row0, col0, row1, col1)`` in 20 m pixels
    is set to 9 in addition.
    """
    b = {k: v.astype(np.float64) / 10000.0 for k, v in tile.bands.items()}
    h, w = (s // 2 for s in tile.shape)

    def coarse(a: np.ndarray) -> np.ndarray:
        return a[: 2 * h, : 2 * w].reshape(h, 2, w, 2).mean(axis=(1, 3))

    blue, green, red, nir = (coarse(b[k]) for k in S2_BAND_ORDER)
    nodata = coarse((tile.bands["B02"] == 0).astype(float)) > 0
    scl = np.full((h, w), 5, dtype=np.uint8)
    with np.errstate(invalid="ignore", divide="ignore"):
        ndvi = (nir - red) / (nir + red)
    scl[ndvi > 0.3] = 4
    water = (nir < green) & (nir < 0.08)
    scl[water] = 6
    land = ~water & ~nodata
    scl[land & (blue >= np.quantile(blue[land], 0.99))] = 9
    scl[land & (nir <= np.quantile(nir[land], 0.01))] = 3
    if cloud_box is not None:
        r0, c0, r1, c1 = cloud_box
        scl[r0:r1, c0:c1] = 9
    scl[nodata] = 0
    t = tile.transform
    return scl, Affine(t.a * 2, 0, t.c, 0, t.e * 2, t.f)


def latakia_rtc(shared_data: Path, key: str) -> tuple[np.ndarray, Affine, str]:
    """A Latakia VV scene as Planetary-Computer-RTC-style linear gamma0 (nodata -32768)."""
    with rasterio.open(shared_data / "s1_latakia_port_2024" / LATAKIA[key]) as src:
        db = src.read(1).astype(np.float32)
        transform, crs = src.transform, src.crs.to_string()
    lin = np.where(np.isfinite(db), np.power(10.0, db / 10.0), -32768.0).astype(np.float32)
    return lin, transform, crs


# ---------------------------------------------------------------------------------------
# items shaped like the real ones


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _footprint(transform: Affine, shape: tuple[int, int], crs: str) -> dict[str, Any]:
    rows, cols = shape
    left, top = transform.c, transform.f
    right, bottom = left + transform.a * cols, top + transform.e * rows
    xs = [left, right, right, left, left]
    ys = [top, top, bottom, bottom, top]
    lon, lat = rasterio.warp.transform(crs, "EPSG:4326", xs, ys)
    return {
        "type": "Polygon",
        "coordinates": [[[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]],
    }


def _bbox(geom: Mapping[str, Any]) -> list[float]:
    xs = [p[0] for p in geom["coordinates"][0]]
    ys = [p[1] for p in geom["coordinates"][0]]
    return [min(xs), min(ys), max(xs), max(ys)]


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def pc_s2_item(
    shared_data: Path,
    *,
    item_id: str,
    when: dt.datetime,
    baseline: str,
    hrefs: Mapping[str, str],
    tile: Tile,
    cloud: float,
) -> dict[str, Any]:
    """A Planetary Computer ``sentinel-2-l2a`` item (template: a real PC item)."""
    tpl = _load_json(shared_data / "stac" / "pc_sentinel-2-l2a_items_stac-geoparquet.json")[0]
    item = copy.deepcopy(tpl)
    geom = _footprint(tile.transform, tile.shape, tile.crs)
    item.update(id=item_id, geometry=geom, bbox=_bbox(geom), collection="sentinel-2-l2a")
    p = item["properties"]
    p["datetime"] = _stamp(when)
    p["s2:processing_baseline"] = baseline
    p["eo:cloud_cover"] = cloud
    p["proj:epsg"] = int(tile.crs.split(":")[1])
    p["s2:product_uri"] = f"{item_id}.SAFE"
    assets = {}
    for key, href in hrefs.items():
        a = copy.deepcopy(item["assets"][key])
        a["href"] = href
        assets[key] = a
    item["assets"] = assets
    item["links"] = []
    return item


def es_s2_item(
    shared_data: Path,
    *,
    item_id: str,
    when: dt.datetime,
    baseline: str,
    boa_offset_applied: bool,
    hrefs: Mapping[str, str],
    tile: Tile,
    cloud: float,
) -> dict[str, Any]:
    """An Earth Search v1 ``sentinel-2-l2a`` item (template: a real Earth Search item).

    ``hrefs`` is keyed by Earth Search asset names (``blue``, ``green``, ``red``,
    ``nir``, ``scl``); the ``raster:bands`` scale 0.0001 / offset -0.1 of the template
    are kept as published.
    """
    page = _load_json(
        shared_data
        / "stac"
        / "earthsearch_v1_search_page1_body_EXTRACTED_from_pystac-client_test_filter_cassette.json"
    )
    tpl = next(f for f in page["features"] if f["collection"] == "sentinel-2-l2a")
    item = copy.deepcopy(tpl)
    geom = _footprint(tile.transform, tile.shape, tile.crs)
    item.update(id=item_id, geometry=geom, bbox=_bbox(geom))
    p = item["properties"]
    p["datetime"] = _stamp(when)
    p["s2:processing_baseline"] = baseline
    p["earthsearch:boa_offset_applied"] = boa_offset_applied
    p["eo:cloud_cover"] = cloud
    p["proj:epsg"] = int(tile.crs.split(":")[1])
    assets = {}
    for key, href in hrefs.items():
        a = copy.deepcopy(item["assets"][key])
        a["href"] = href
        assets[key] = a
    item["assets"] = assets
    item["links"] = []
    return item


def cdse_s2_item(
    shared_data: Path,
    *,
    item_id: str,
    when: dt.datetime,
    baseline: str,
    hrefs: Mapping[str, str],
    tile: Tile,
) -> dict[str, Any]:
    """A Copernicus Data Space STAC 1.1 item (template: a real CDSE item).

    ``hrefs`` is keyed by CDSE asset names (``B02_10m``, ..., ``SCL_20m``); the
    per-asset ``raster:scale``/``raster:offset`` of the template are kept.
    """
    tpl_path = next((shared_data / "stac").glob("cdse_sentinel-2-l2a_*.json"))
    item = copy.deepcopy(_load_json(tpl_path))
    geom = _footprint(tile.transform, tile.shape, tile.crs)
    item.update(id=item_id, geometry=geom, bbox=_bbox(geom))
    p = item["properties"]
    for k in ("datetime", "start_datetime", "end_datetime"):
        p[k] = _stamp(when)
    p["processing:version"] = baseline
    assets = {}
    for key, href in hrefs.items():
        a = copy.deepcopy(item["assets"][key])
        a["href"] = href
        a.pop("alternate", None)
        assets[key] = a
    item["assets"] = assets
    item["links"] = []
    return item


def pc_s1_item(
    shared_data: Path,
    *,
    item_id: str,
    when: dt.datetime,
    relative_orbit: int,
    orbit_state: str,
    href_vv: str,
    shape: tuple[int, int],
    transform: Affine,
    crs: str,
) -> dict[str, Any]:
    """A Planetary Computer ``sentinel-1-rtc`` item (template: a real PC item)."""
    tpl = _load_json(shared_data / "stac" / "pc_sentinel-1-rtc_items_stac-geoparquet.json")[0]
    item = copy.deepcopy(tpl)
    geom = _footprint(transform, shape, crs)
    item.update(id=item_id, geometry=geom, bbox=_bbox(geom), collection="sentinel-1-rtc")
    p = item["properties"]
    p["datetime"] = _stamp(when)
    # the published format of these two fields, e.g. "2024-04-19 04:59:04.220006+00:00"
    p["start_datetime"] = str(when - dt.timedelta(seconds=6))
    p["end_datetime"] = str(when + dt.timedelta(seconds=6))
    p["sat:relative_orbit"] = relative_orbit
    p["sat:orbit_state"] = orbit_state
    p["proj:epsg"] = int(crs.split(":")[1])
    vv = copy.deepcopy(item["assets"]["vv"])
    vv["href"] = href_vv
    item["assets"] = {"vv": vv}
    item["links"] = []
    return item


GRD_GAIN = 500.0  # amplitude DN = GRD_GAIN * sqrt(linear backscatter), as GRD products encode


def write_grd_like(shared_data: Path, key: str, path: Path) -> tuple[np.ndarray, Affine, str]:
    """A Latakia VV scene encoded like a Sentinel-1 GRD measurement file.

    GRD files are in radar geometry, georeferenced only by ground control points, with
    uint16 amplitude digital numbers (0 = no data). This writes the real pixels flipped
    left-right (an ascending pass seen in radar geometry), as ``GRD_GAIN * sqrt(linear)``,
    with a 6 x 6 grid of GCPs giving each sampled pixel's longitude/latitude.
    Returns the linear source array with its grid, for comparison.
    """
    from rasterio.control import GroundControlPoint

    lin, transform, crs = latakia_rtc(shared_data, key)
    valid = lin > 0
    amp = np.where(valid, np.round(GRD_GAIN * np.sqrt(np.where(valid, lin, 0.0))), 0)
    radar = np.clip(amp, 0, 65535).astype(np.uint16)[:, ::-1]
    rows, cols = radar.shape
    gcps = []
    for r in np.linspace(0, rows, 6):
        for c in np.linspace(0, cols, 6):
            # radar pixel corner (r, c) is map pixel corner (r, cols - c)
            x, y = transform * (cols - c, r)
            lon, lat = rasterio.warp.transform(crs, "EPSG:4326", [x], [y])
            gcps.append(GroundControlPoint(row=float(r), col=float(c), x=lon[0], y=lat[0]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=cols,
        height=rows,
        count=1,
        dtype="uint16",
        nodata=0,
        tiled=True,
        blockxsize=256,
        blockysize=256,
        compress="DEFLATE",
        gcps=gcps,
        crs="EPSG:4326",
    ) as ds:
        ds.write(radar, 1)
    return lin, transform, crs


def es_s1_grd_item(
    shared_data: Path,
    *,
    item_id: str,
    when: dt.datetime,
    href_vv: str,
    shape: tuple[int, int],
    transform: Affine,
    crs: str,
    relative_orbit: int,
) -> dict[str, Any]:
    """An Earth Search v1 ``sentinel-1-grd`` item (template: a real Earth Search item).

    The published ``hh`` asset is re-keyed ``vv`` (the template scene is single-pol HH)
    and pointed at ``href_vv`` (https instead of the requester-pays ``s3://``).
    """
    page = _load_json(
        shared_data
        / "stac"
        / "earthsearch_v1_search_page1_body_EXTRACTED_from_pystac-client_test_filter_cassette.json"
    )
    tpl = next(f for f in page["features"] if f["collection"] == "sentinel-1-grd")
    item = copy.deepcopy(tpl)
    geom = _footprint(transform, shape, crs)
    item.update(id=item_id, geometry=geom, bbox=_bbox(geom))
    p = item["properties"]
    for k in ("datetime", "start_datetime", "end_datetime"):
        p[k] = _stamp(when)
    p["sar:polarizations"] = ["VV"]
    p["sat:relative_orbit"] = relative_orbit
    p["sat:orbit_state"] = "descending"
    vv = copy.deepcopy(tpl["assets"]["hh"])
    vv["href"] = href_vv
    vv["title"] = "VV Data"
    item["assets"] = {"vv": vv}
    item["links"] = []
    return item


def feature_collection(items: list[dict[str, Any]], path: Path) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": items}), encoding="utf-8")
    return path


@contextmanager
def serving(root: Path) -> Iterator[RangeServer]:
    server = RangeServer(root).start()
    try:
        yield server
    finally:
        server.stop()


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


# ---------------------------------------------------------------------------------------
# the test world: real-pixel COGs, items of three catalogue conventions, two STAC APIs

SHIFT_M = (3.7, -2.4)  # the geolocation error injected into one scene: east, north (metres)
S2_TIME = dt.time(8, 23, 11)


def pc_id(day: dt.date, tile: str = "T36SYC") -> str:
    d = day.strftime("%Y%m%d")
    return f"S2A_MSIL2A_{d}T082311_R121_{tile}_{d}T112551"


@dataclass
class World:
    """Everything the loader tests need, served on localhost."""

    root: Path
    files: RangeServer
    pc: RustacServer
    es: RustacServer
    static_catalog: Path
    tile15: Tile
    tile17: Tile
    ids: dict[str, str]
    s1_aoi_bounds: tuple[float, float, float, float]

    def stop(self) -> None:
        self.pc.stop()
        if self.es is not self.pc:
            self.es.stop()
        self.files.stop()


def _write_s2_scene(
    folder: Path,
    tile: Tile,
    *,
    add: int,
    scl: np.ndarray,
    scl_t: Affine,
    transform: Affine | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    t = transform or tile.transform
    for band, dn in tile.bands.items():
        data = np.where(dn > 0, dn.astype(np.int32) + add, 0).astype(np.uint16)
        name = (names or {}).get(band, band)
        write_cog(folder / f"{name}.tif", data, crs=tile.crs, transform=t, nodata=0)
    st = Affine(
        scl_t.a,
        0,
        scl_t.c + (t.c - tile.transform.c),
        0,
        scl_t.e,
        scl_t.f + (t.f - tile.transform.f),
    )
    write_cog(
        folder / f"{(names or {}).get('SCL', 'SCL')}.tif",
        scl,
        crs=tile.crs,
        transform=st,
        nodata=0,
        blocksize=256,
    )


def aoi_box_20m(
    tile: Tile, bounds_utm: tuple[float, float, float, float], *, fraction: float = 1.0
) -> tuple[int, int, int, int]:
    """``(row0, col0, row1, col1)`` of the tile's 20 m grid over UTM bounds.

    ``fraction`` < 1 keeps only the northern part of the box (that share of its rows).
    """
    left, bottom, right, top = bounds_utm
    t = tile.transform
    c0 = int((left - t.c) // 20)
    c1 = int(np.ceil((right - t.c) / 20))
    r0 = int((t.f - top) // 20)
    r1 = int(np.ceil((t.f - bottom) / 20))
    r1 = r0 + round((r1 - r0) * fraction)
    return (max(r0, 0), max(c0, 0), r1, c1)


def build_world(
    shared_data: Path,
    work: Path,
    aoi_bounds_utm: tuple[float, float, float, float],
    *,
    minimal: bool = False,
) -> World:
    """Write the COGs and items and start the servers (see the module docstring).

    ``minimal`` writes and publishes only the 2024-11-27 / 11-30 / 12-15 Planetary
    Computer scenes (one STAC API, no Sentinel-1, Earth Search or CDSE items).
    """
    root = work / "files"
    root.mkdir(parents=True, exist_ok=True)
    files = RangeServer(root).start()
    base = files.url
    t15 = beirut_tile(shared_data, "2015")
    t17 = beirut_tile(shared_data, "2017")
    scl15, scl_t = scl_from_pixels(t15)
    scl17, _ = scl_from_pixels(t17)
    full_cloud, _ = scl_from_pixels(t15, cloud_box=aoi_box_20m(t15, aoi_bounds_utm))
    part_cloud, _ = scl_from_pixels(t15, cloud_box=aoi_box_20m(t15, aoi_bounds_utm, fraction=0.6))

    pc_bands = ("B02", "B03", "B04", "B08", "SCL")
    scenes = {
        # key: (date, tile, scl, transform)
        "P1": (dt.date(2024, 11, 27), t15, scl15, None),
        "PCLOUD": (dt.date(2024, 11, 30), t15, full_cloud, None),
        "P3": (dt.date(2024, 12, 15), t17, scl17, None),
        "SHIFT_A": (dt.date(2025, 3, 1), t17, scl17, None),
        "SHIFT_B": (
            dt.date(2025, 3, 11),
            t17,
            scl17,
            Affine(10, 0, t17.transform.c + SHIFT_M[0], 0, -10, t17.transform.f + SHIFT_M[1]),
        ),
        "CLOUDY1": (dt.date(2025, 6, 1), t15, full_cloud, None),
        "CLOUDY2": (dt.date(2025, 6, 6), t15, part_cloud, None),
        "TRUNC": (dt.date(2025, 9, 1), t17, scl17, None),
        "CORRUPT": (dt.date(2025, 10, 1), t17, scl17, None),
    }
    ids: dict[str, str] = {}
    pc_items = []
    for key, (day, tile, scl, transform) in scenes.items():
        sid = pc_id(day)
        ids[key] = sid
        folder = root / "pc" / sid
        if minimal and key not in {"P1", "PCLOUD", "P3"}:
            continue
        _write_s2_scene(folder, tile, add=1000, scl=scl, scl_t=scl_t, transform=transform)
        hrefs = {b: f"{base}/pc/{sid}/{b}.tif" for b in pc_bands}
        pc_items.append(
            pc_s2_item(
                shared_data,
                item_id=sid,
                when=dt.datetime.combine(day, S2_TIME, dt.UTC),
                baseline="05.10",
                hrefs=hrefs,
                tile=tile,
                cloud=12.5,
            )
        )
    # damage two files the way transfers and storage do
    if minimal:
        pc = RustacServer(feature_collection(pc_items, work / "pc_items.json")).start()
        return World(
            root=root,
            files=files,
            pc=pc,
            es=pc,
            static_catalog=Path(),
            tile15=t15,
            tile17=t17,
            ids=ids,
            s1_aoi_bounds=(0.0, 0.0, 0.0, 0.0),
        )
    b08 = root / "pc" / ids["TRUNC"] / "B08.tif"
    blob = b08.read_bytes()
    b08.write_bytes(blob[: int(len(blob) * 0.4)])
    bad = root / "pc" / ids["CORRUPT"] / "B08.tif"
    rng = np.random.default_rng(7)
    bad.write_bytes(b"II*\x00" + rng.integers(0, 256, bad.stat().st_size, dtype=np.uint8).tobytes())

    # Sentinel-1 RTC, real dates and tracks (S1A relative orbits from absolute orbits)
    tracks = {
        "20241123": (87, "ascending", "154150"),
        "20241205": (87, "ascending", "154149"),
        "20241206": (94, "descending", "034315"),
        "20241218": (94, "descending", "034314"),
    }
    s1_bounds: tuple[float, float, float, float] | None = None
    for key, (track, state, hms) in tracks.items():
        lin, transform, crs = latakia_rtc(shared_data, key)
        sid = f"S1A_IW_GRDH_1SDV_{key}T{hms}_{key}T{hms}_000000_000000_rtc"
        ids[f"S1_{key}"] = sid
        write_cog(root / "pc" / sid / "vv.tif", lin, crs=crs, transform=transform, nodata=-32768.0)
        when = dt.datetime.strptime(key + hms, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
        pc_items.append(
            pc_s1_item(
                shared_data,
                item_id=sid,
                when=when,
                relative_orbit=track,
                orbit_state=state,
                href_vv=f"{base}/pc/{sid}/vv.tif",
                shape=lin.shape,
                transform=transform,
                crs=crs,
            )
        )
        with rasterio.open(shared_data / "s1_latakia_port_2024" / LATAKIA[key]) as src:
            s1_bounds = tuple(rasterio.warp.transform_bounds(src.crs, "EPSG:4326", *src.bounds))

    # Earth Search v1: harmonised DNs (offset already removed), flag true, raster:bands -0.1
    es_names = {"B02": "blue", "B03": "green", "B04": "red", "B08": "nir", "SCL": "scl"}
    es_id = "S2A_36SYC_20241215_0_L2A"
    ids["ES3"] = es_id
    _write_s2_scene(root / "es" / es_id, t17, add=0, scl=scl17, scl_t=scl_t, names=es_names)
    es_item = es_s2_item(
        shared_data,
        item_id=es_id,
        when=dt.datetime.combine(dt.date(2024, 12, 15), S2_TIME, dt.UTC),
        baseline="05.11",
        boa_offset_applied=True,
        hrefs={v: f"{base}/es/{es_id}/{v}.tif" for v in es_names.values()},
        tile=t17,
        cloud=3.0,
    )

    # Copernicus Data Space (STAC 1.1 raster:scale/offset), un-harmonised DNs, static catalogue
    cd_names = {
        "B02": "B02_10m",
        "B03": "B03_10m",
        "B04": "B04_10m",
        "B08": "B08_10m",
        "SCL": "SCL_20m",
    }
    cd_id = "S2A_MSIL2A_20241215T082311_N0511_R121_T36SYC_20241215T112551"
    ids["CDSE3"] = cd_id
    _write_s2_scene(root / "cdse" / cd_id, t17, add=1000, scl=scl17, scl_t=scl_t, names=cd_names)
    cd_item = cdse_s2_item(
        shared_data,
        item_id=cd_id,
        when=dt.datetime.combine(dt.date(2024, 12, 15), S2_TIME, dt.UTC),
        baseline="05.11",
        hrefs={v: f"{base}/cdse/{cd_id}/{v}.tif" for v in cd_names.values()},
        tile=t17,
    )
    static = write_static_catalog(work / "static", [cd_item])

    pc = RustacServer(feature_collection(pc_items, work / "pc_items.json")).start()
    es_items = [es_item]
    for key, hms in (("20241206", "034315"), ("20241218", "034314")):
        sid = f"S1A_IW_GRDH_1SDV_{key}T{hms}_{key}T{hms}_000000_000000"
        ids[f"GRD_{key}"] = sid
        path = root / "es" / sid / "iw-vv.tiff"
        lin, transform, crs = write_grd_like(shared_data, key, path)
        when = dt.datetime.strptime(key + hms, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
        es_items.append(
            es_s1_grd_item(
                shared_data,
                item_id=sid,
                when=when,
                href_vv=f"{base}/es/{sid}/iw-vv.tiff",
                shape=lin.shape,
                transform=transform,
                crs=crs,
                relative_orbit=94,
            )
        )
    es = RustacServer(feature_collection(es_items, work / "es_items.json")).start()
    assert s1_bounds is not None
    return World(
        root=root,
        files=files,
        pc=pc,
        es=es,
        static_catalog=static,
        tile15=t15,
        tile17=t17,
        ids=ids,
        s1_aoi_bounds=s1_bounds,
    )


def write_static_catalog(folder: Path, items: list[dict[str, Any]]) -> Path:
    """A self-contained static STAC catalogue (pystac) holding ``items``."""
    import pystac

    cat = pystac.Catalog(id="basewatch-test", description="static catalogue for the loader tests")
    for d in items:
        cat.add_item(pystac.Item.from_dict(copy.deepcopy(d), preserve_dict=True))
    cat.normalize_and_save(str(folder), catalog_type=pystac.CatalogType.SELF_CONTAINED)
    return folder / "catalog.json"
