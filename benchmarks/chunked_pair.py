"""The pair pipeline over a whole raster in strips: memory per strip and per worker, time.

On the real Beirut pair tiled to N x N px (``tiled_pair.py``):

1. the peak Python-allocated memory of one strip's object pass (tracemalloc) over the
   pixels it read, which is what ``PAIR_BYTES_PER_PIXEL`` in ``basewatch.scale.pair``
   must cover;
2. ``detect_pair_chunked`` on a real ``distributed`` cluster of W worker processes
   sized by ``--memory-per-worker``: wall time and each worker's peak resident memory
   (``ru_maxrss``), against ``detect_pair`` on the whole raster in a fresh process
   (read, co-registered as ``read_local_pair`` does, same peak measure), and whether
   the detections are identical.

Usage::

    .venv/bin/python benchmarks/chunked_pair.py 5490 --workers 2 --memory 2GiB

Times depend on the machine's load: report them with ``uptime`` beside them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import tiled_pair  # noqa: E402


def _peak_rss_mib() -> float:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def strip_bytes_per_pixel(before: Path, after: Path, site_file: Path, rows: int) -> float:
    """Peak tracemalloc bytes of one strip's object pass over the pixels it read."""
    import basewatch as bw
    from basewatch.aoi import load_site
    from basewatch.imagery.local import raster_grid
    from basewatch.pipeline import ChangeParams, PairStatistics
    from basewatch.scale import pair

    site = load_site(str(site_file))
    grid = raster_grid(before)
    halo = pair.pair_halo(bw.ObjectParams(), grid.pixel_size_m, "S2")
    strip = pair.Strip((rows, 2 * rows), halo)
    stats = PairStatistics(gain=(1.0,) * 4, bias=(0.0,) * 4, threshold=0.1, noise=0.01)
    # a sub-pixel shift of the later date, as co-registration gives: the strip's read
    # includes shifting it (with its own halo of rows)
    sources = pair.PairSources(str(before), str(after), grid, shift=(-0.31, 0.17), fills=(0.1,) * 4)
    tracemalloc.start()
    out = pair._objects(
        sources,
        site,
        strip,
        grid.height,
        ChangeParams(),
        bw.ObjectParams(),
        stats,
        16 * halo,
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    w0, w1 = out.strip.window(grid.height)
    return peak / ((w1 - w0) * grid.width)


def in_memory(before: Path, after: Path, site_file: Path) -> dict[str, float]:
    """``detect_pair`` on the whole raster in a fresh process: seconds, peak MiB."""
    code = f"""
import json, resource, time
import basewatch as bw
from basewatch.aoi import load_site
from basewatch.imagery.coreg import coregister
from basewatch.imagery.local import read_geotiff
t = time.perf_counter()
first, second = read_geotiff({str(before)!r}), read_geotiff({str(after)!r})
r = bw.detect_pair(load_site({str(site_file)!r}), first, coregister(first, second))
print(json.dumps({{"seconds": time.perf_counter() - t, "detections": len(r.detections),
    "ids": __import__("hashlib").sha1("".join(d.id for d in r.detections).encode()).hexdigest(),
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def chunked(
    before: Path, after: Path, site_file: Path, *, workers: int, memory: str
) -> dict[str, object]:
    """``detect_pair_chunked`` on a local cluster: seconds, strips, each worker's peak."""
    import hashlib

    from dask.utils import parse_bytes

    from basewatch.aoi import load_site
    from basewatch.scale.monitor import open_client
    from basewatch.scale.pair import detect_pair_chunked

    with open_client(workers=workers, memory_per_worker=memory) as client:
        client.run(lambda: None)
        t = time.perf_counter()
        r = detect_pair_chunked(
            load_site(str(site_file)), before, after, memory_per_worker=int(parse_bytes(memory))
        )
        seconds = time.perf_counter() - t
        peaks = client.run(_peak_rss_mib)
    ids = hashlib.sha1("".join(d.id for d in r.detections).encode()).hexdigest()
    return {
        "seconds": seconds,
        "detections": len(r.detections),
        "ids": ids,
        "strips": len(r.strips),
        "strip_rows": r.strips[0].core[1] - r.strips[0].core[0],
        "halo": r.first_halo,
        "regrown": r.regrown(),
        "straddling": r.straddling(),
        "worker_peak_mib": sorted(round(v) for v in peaks.values()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", type=int, nargs="?", default=3000)
    ap.add_argument("--folder", type=Path, default=Path("/tmp/basewatch-tiles"))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--memory", default="2GiB")
    ap.add_argument("--strip-rows", type=int, default=500, help="rows of the tracemalloc strip")
    args = ap.parse_args()
    before, after, site = tiled_pair.write_pair(args.size, args.folder)
    print(f"{args.size} x {args.size} px, load {Path('/proc/loadavg').read_text().split()[:3]}")
    bpp = strip_bytes_per_pixel(before, after, site, args.strip_rows)
    print(f"one strip's object pass: {bpp:.0f} bytes per pixel read (tracemalloc peak)")
    whole = in_memory(before, after, site)
    print(
        f"in memory: {whole['seconds']:.1f} s, {whole['detections']} detections, "
        f"peak {whole['peak_mib']:.0f} MiB"
    )
    part = chunked(before, after, site, workers=args.workers, memory=args.memory)
    print(
        f"in strips ({args.workers} worker(s) of {args.memory}): {part['seconds']:.1f} s, "
        f"{part['detections']} detections, {part['strips']} strips of {part['strip_rows']} "
        f"rows (halo {part['halo']}, {part['regrown']} strips read again with a wider one), "
        f"{part['straddling']} across strip borders, worker "
        f"peaks {part['worker_peak_mib']} MiB; identical ids: {part['ids'] == whole['ids']}"
    )


if __name__ == "__main__":
    main()
