"""The real Beirut Sentinel-2 pair tiled to N x N pixels, as GeoTIFFs and a site, for benchmarks.

The 1180 x 1070 px L1C pair (2015-08-20, 2017-10-03; uint16 B02 B03 B04 B08) is repeated
to fill an N x N raster on a UTM zone 36N 10 m grid (512 px internal tiles, deflate), so
the density of change is that of a real city over two years. The site covers the whole
raster: its west half is a ``harbour`` zone (vessels are looked for there), its east
half an ``apron`` zone (aircraft), as a whole-tile scan would be set up.

:func:`write_mirrored` makes a larger image of one port of ``s2_ships`` the same way (its
edges mirrored), for the single-image vessel search.

Usage (writes into a folder, prints the paths)::

    .venv/bin/python benchmarks/tiled_pair.py 2745 /tmp/tiles
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
SOURCE = SHARED / "data" / "s2_beirut_2015_2017"
DATES = ("20150820", "20171003")
SCENE_IDS = ("S2A_OPER_MSI_L1C_TL_EPA__20160929T004310_A000833_T36SYC", "T36SYC_20171003T081739")
#: Upper-left corner of the tiled raster in EPSG:32636 (near Beirut), metres.
ORIGIN = (700_000.0, 3_770_000.0)
PIXEL_M = 10.0


def tiled_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pair repeated to (4, n, n) uint16 each."""
    import rasterio

    out = []
    for d in DATES:
        with rasterio.open(SOURCE / f"beirut_S2L1C_{d}_B02-B03-B04-B08_10m.tif") as ds:
            a = ds.read()
        reps = (1, -(-n // a.shape[1]), -(-n // a.shape[2]))
        out.append(np.ascontiguousarray(np.tile(a, reps)[:, :n, :n]))
    return out[0], out[1]


def write_pair(n: int, folder: Path) -> tuple[Path, Path, Path]:
    """Write ``before.tif``, ``after.tif`` and ``site.geojson`` for size ``n``; reuse them
    if already there. Returns the three paths."""
    import rasterio
    from pyproj import Transformer
    from rasterio.transform import from_origin

    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / f"before_{n}.tif", folder / f"after_{n}.tif", folder / f"site_{n}.geojson")
    if all(p.exists() for p in paths):
        return paths
    transform = from_origin(*ORIGIN, PIXEL_M, PIXEL_M)
    for path, arr, d, sid in zip(paths[:2], tiled_arrays(n), DATES, SCENE_IDS, strict=True):
        profile = {
            "driver": "GTiff",
            "dtype": "uint16",
            "count": 4,
            "width": n,
            "height": n,
            "crs": "EPSG:32636",
            "transform": transform,
            "tiled": True,
            "blockxsize": 512,
            "blockysize": 512,
            "compress": "deflate",
        }
        tmp = path.with_suffix(".part")
        with rasterio.open(tmp, "w", **profile) as ds:
            ds.write(arr)
            ds.update_tags(
                BASEWATCH_BANDS="B02,B03,B04,B08",
                BASEWATCH_DATETIME=f"{d[:4]}-{d[4:6]}-{d[6:]}",
                BASEWATCH_SCALE="0.0001",
                BASEWATCH_OFFSET="0",
                BASEWATCH_SENSOR="S2",
                BASEWATCH_SCENE_ID=sid,
                BASEWATCH_ATTRIBUTION="Contains modified Copernicus Sentinel data 2015, 2017",
            )
        tmp.replace(path)
    to_ll = Transformer.from_crs("EPSG:32636", "EPSG:4326", always_xy=True)
    x0, y0 = ORIGIN
    inset = PIXEL_M / 2  # keep the outline a little inside the raster
    x1, y1 = x0 + n * PIXEL_M - inset, y0 - n * PIXEL_M + inset
    xm = (x0 + x1) / 2

    def ring(xa: float, xb: float, pad: float = 0.0) -> list[list[float]]:
        """A rectangle of the UTM grid in lon/lat, its edges densified so that they
        follow the grid (a zone's corners then stay inside the outline)."""
        xa, xb, ya, yb = xa + inset + pad, xb - pad, y0 - inset - pad, y1 + pad
        steps = np.linspace(0.0, 1.0, 65)[:-1]
        pts = [
            *((xa + s * (xb - xa), ya) for s in steps),
            *((xb, ya + s * (yb - ya)) for s in steps),
            *((xb - s * (xb - xa), yb) for s in steps),
            *((xa, yb - s * (yb - ya)) for s in steps),
        ]
        ll = [list(to_ll.transform(x, y)) for x, y in pts]
        return [*ll, ll[0]]

    def feature(kind: str, name: str, coords: list[list[float]]) -> dict[str, object]:
        return {
            "type": "Feature",
            "properties": {
                "kind": kind,
                "name": name,
                "source": "benchmark tiling of the Beirut pair",
                "licence": "CC0-1.0",
                "approximate": True,
            },
            "geometry": {"type": "Polygon", "coordinates": [coords]},
        }

    site = {
        "type": "FeatureCollection",
        "basewatch": {"site": f"tiled-{n}", "title": f"Tiled Beirut {n} px", "utm_epsg": 32636},
        "features": [
            feature("outline", "whole raster", ring(x0, x1)),
            feature("harbour", "west half", ring(x0, xm, PIXEL_M)),
            feature("apron", "east half", ring(xm, x1, PIXEL_M)),
        ],
    }
    paths[2].write_text(json.dumps(site, indent=1))
    return paths


def write_mirrored(source: Path, side: int, out: Path) -> Path:
    """``source`` (any raster) mirrored at its edges until it is ``side`` pixels square, as
    ``out`` with its band names and tags: a larger image of the same real water, ships
    and shore (a port of ``s2_ships`` for ``basewatch vessels``). Reused if there."""
    import rasterio

    if out.exists():
        return out
    with rasterio.open(source) as src:
        data, profile, names, tags = src.read(), src.profile, src.descriptions, src.tags()
    for axis in (1, 2):
        copies = -(-side // data.shape[axis])
        data = np.concatenate(
            [data if i % 2 == 0 else np.flip(data, axis) for i in range(copies)], axis=axis
        )
    data = data[:, :side, :side]
    profile.update(width=side, height=side, tiled=True, blockxsize=512, blockysize=512)
    out.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(out, "w", **profile) as dst:
        dst.write(data)
        dst.descriptions = names
        dst.update_tags(**tags)
    return out


if __name__ == "__main__":
    size = int(sys.argv[1])
    for p in write_pair(size, Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/basewatch-tiles")):
        print(p)
