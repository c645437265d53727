"""Bytes the tile loader pulls from a COG server for one AOI window.

    .venv/bin/python benchmarks/bytes_read.py [--site beirut-airport] [--blocksize 128]

Serves a cloud-optimised GeoTIFF made from a real Sentinel-2 band (Beirut 2017, B04,
UTM 36N 10 m, DEFLATE, overviews) on a local HTTP server that honours Range requests
and counts the bytes it sends, reads the site's AOI window with
:func:`basewatch.imagery.read.read_window` (the loader's own code path: rasterio/GDAL over
HTTP), and compares

* ``served``: bytes that left the server (header + tiles + chunk rounding);
* ``window``: the window's own size, uncompressed (rows x cols x 2 bytes);
* ``tiles``: the compressed size of the internal tiles the window touches (the least
  any reader of this file must fetch);
* ``file``: the whole file (what a naive download would cost).

The pass criterion is ``served <= 1.5 x window`` for the chosen internal tiling, and
``served <= 1.25 x tiles`` for every tiling (the loader adds little to what the file
layout forces). Internal tiles much larger than the AOI force more bytes whatever
the reader does; the table shows how that scales with the COG block size.
Exit status 1 if a criterion fails.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

import rasterio
import rasterio.warp
import rasterio.windows
from rasterio.enums import Resampling

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from basewatch.aoi import aoi_for_site, load_site  # noqa: E402
from basewatch.grid import Grid  # noqa: E402
from basewatch.imagery.catalog import HttpOptions  # noqa: E402
from basewatch.imagery.read import read_window  # noqa: E402
from stac_server import RangeServer, beirut_tile, write_cog  # noqa: E402


def touched_tiles_bytes(path: Path, grid: Grid) -> tuple[int, int]:
    """(compressed bytes, count) of the internal tiles that the AOI window touches."""
    with rasterio.open(path) as ds:
        left, bottom, right, top = rasterio.warp.transform_bounds(
            grid.crs, ds.crs, *grid.bounds, densify_pts=21
        )
        win = rasterio.windows.from_bounds(left, bottom, right, top, transform=ds.transform)
        bw, bh = ds.block_shapes[0][1], ds.block_shapes[0][0]
        pad = 2  # the loader's resampling margin
        c0 = max(0, math.floor(win.col_off) - pad) // bw
        r0 = max(0, math.floor(win.row_off) - pad) // bh
        c1 = (min(ds.width, math.ceil(win.col_off + win.width) + pad) - 1) // bw
        r1 = (min(ds.height, math.ceil(win.row_off + win.height) + pad) - 1) // bh
        total = 0
        count = 0
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                total += int(ds.get_tag_item(f"BLOCK_SIZE_{c}_{r}", "TIFF", bidx=1) or 0)
                count += 1
    return total, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="beirut-airport")
    parser.add_argument(
        "--blocksize", type=int, default=128, help="internal tiling the pass criterion applies to"
    )
    args = parser.parse_args()

    shared = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared")) / "data"
    if not shared.is_dir():
        print(f"shared data not found at {shared} (set BASEWATCH_SHARED)", file=sys.stderr)
        return 2
    aoi = aoi_for_site(load_site(args.site))
    tile = beirut_tile(shared, "2017")
    window_bytes = aoi.grid.width * aoi.grid.height * 2
    print(
        f"AOI {args.site}: {aoi.grid.width} x {aoi.grid.height} px at 10 m "
        f"({window_bytes:,} bytes uncompressed, uint16)"
    )
    print(f"tile: real Sentinel-2 B04 (Beirut 2017), {tile.shape[1]} x {tile.shape[0]} px")
    print()
    print(
        f"{'block':>6} {'file':>11} {'tiles':>11} {'served':>11} {'requests':>8} "
        f"{'served/window':>13} {'served/tiles':>12} {'served/file':>11}"
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for bs in sorted({128, 256, 512, args.blocksize}):
            path = write_cog(
                root / f"B04_{bs}.tif",
                tile.bands["B04"],
                crs=tile.crs,
                transform=tile.transform,
                nodata=0,
                blocksize=bs,
            )
            need, _ = touched_tiles_bytes(path, aoi.grid)
            server = RangeServer(root).start()
            try:
                arr = read_window(
                    f"{server.url}/{path.name}",
                    aoi.grid,
                    resampling=Resampling.bilinear,
                    nodata=0,
                    http=HttpOptions(),
                )
                served = server.log.total_bytes()
                requests = server.log.count()
            finally:
                server.stop()
            assert arr.shape == aoi.grid.shape
            size = path.stat().st_size
            r_window, r_tiles, r_file = served / window_bytes, served / need, served / size
            mark = ""
            if bs == args.blocksize:
                mark = "  <- criterion: served/window <= 1.5"
                ok &= r_window <= 1.5
            ok &= r_tiles <= 1.25
            print(
                f"{bs:>6} {size:>11,} {need:>11,} {served:>11,} {requests:>8} "
                f"{r_window:>13.2f} {r_tiles:>12.2f} {r_file:>11.2f}{mark}"
            )
    print()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
