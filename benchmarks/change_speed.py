"""Speed of pixels -> objects on a full Sentinel-2 tile-sized pair (10980 x 10980, 4 bands).

One command, one machine, one run of each contender after a warm-up:

(a) baseline: what an analyst would write -- float64 numpy difference and CVA
    magnitude, median/MAD threshold, ``scipy.ndimage.binary_opening``,
    ``scipy.ndimage.label`` and ``skimage.measure.regionprops`` (area, centroid,
    orientation, axis lengths, mean change);
(b) basewatch: :func:`basewatch.detect.changed.tile_objects` (numba engine when installed);
(c) the memory read bound: one parallel pass summing both inputs (the fastest of a
    numba kernel and ``numpy.sum``).

The pair is real imagery: the bundled-in-shared Beirut Sentinel-2 L1C pair
(2015-08-20, 2017-10-03; 1180 x 1070 px, uint16 B02 B03 B04 B08) tiled to 10980 x 10980,
so the change density is that of a real city over two years. Prints medians of several
runs, the ratios and the peak memory of (b) (tracemalloc of the numpy side plus the
resident set growth, measured in a fresh child process).

Usage::

    .venv/bin/python benchmarks/change_speed.py [--repeats 5] [--baseline-repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
PAIR = [
    SHARED / "data/s2_beirut_2015_2017" / f"beirut_S2L1C_{d}_B02-B03-B04-B08_10m.tif"
    for d in ("20150820", "20171003")
]
N = 10980


def load_pair(n: int = N) -> tuple[np.ndarray, np.ndarray]:
    import rasterio

    out = []
    for p in PAIR:
        with rasterio.open(p) as ds:
            a = ds.read()
        reps = (1, -(-n // a.shape[1]), -(-n // a.shape[2]))
        out.append(np.ascontiguousarray(np.tile(a, reps)[:, :n, :n]))
    return out[0], out[1]


def baseline(before: np.ndarray, after: np.ndarray, k: float = 5.0) -> int:
    """(a) The straightforward analyst version (same steps, float64, whole arrays)."""
    from scipy import ndimage
    from skimage.measure import regionprops

    b64 = before.astype(np.float64)
    a64 = after.astype(np.float64)
    valid = (before != 0).all(axis=0) & (after != 0).all(axis=0)
    for i in range(a64.shape[0]):  # median/MAD radiometric normalisation, as basewatch
        x, y = b64[i][valid], a64[i][valid]
        mx, my = np.median(x), np.median(y)
        g = np.median(np.abs(x - mx)) / np.median(np.abs(y - my))
        a64[i] = a64[i] * g + (mx - g * my)
    d = a64 - b64
    del a64, b64
    mag = np.sqrt((d**2).sum(axis=0))
    signed = d.mean(axis=0)
    del d
    v = mag[valid]
    med = np.median(v)
    thr = med + k * 1.4826 * np.median(np.abs(v - med))
    del v
    mask = valid & (mag > thr)
    mask = ndimage.binary_opening(mask, structure=np.ones((2, 2), bool))
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3), bool))
    rows = []
    for rp in regionprops(labels, intensity_image=np.dstack([mag, signed])):
        if rp.area < 3:
            continue
        rows.append(
            (
                rp.area,
                *rp.centroid,
                rp.orientation,
                rp.axis_major_length,
                rp.axis_minor_length,
                *rp.intensity_mean,
            )
        )
    return len(rows)


try:
    from numba import njit, prange

    @njit(parallel=True, cache=True)
    def _sum2(a: Any, b: Any) -> int:  # pragma: no cover - benchmark kernel
        t = 0
        for r in prange(a.shape[1]):
            acc = 0
            for i in range(a.shape[0]):
                ar = a[i, r]
                br = b[i, r]
                for c in range(a.shape[2]):
                    acc += ar[c] + br[c]
            t += acc
        return t

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False


def read_bound(before: np.ndarray, after: np.ndarray) -> float:
    """(c) One pass summing both inputs; the faster of numba (parallel) and numpy."""
    times = []
    if HAVE_NUMBA:
        t0 = time.perf_counter()
        _sum2(before, after)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    int(before.sum(dtype=np.uint64)) + int(after.sum(dtype=np.uint64))
    times.append(time.perf_counter() - t0)
    return min(times)


def _median_time(fn: Any, repeats: int) -> tuple[float, list[float], Any]:
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def _peak_child(n: int, engine: str) -> dict[str, float]:
    """Run basewatch once in a fresh process; report its peak RSS beyond the inputs."""
    code = f"""
import json, resource, sys
sys.path.insert(0, {str(REPO / "benchmarks")!r})
from change_speed import load_pair
from basewatch.detect.changed import tile_objects
b, a = load_pair({n})
import numpy as np
tile_objects(np.ascontiguousarray(b[:, :64]), np.ascontiguousarray(a[:, :64]),
             engine={engine!r})  # compile / warm caches
import gc; gc.collect()
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) * 1024
    return 0
before_rss = rss()
# reset the high-water mark so that loading (file decode, np.tile) is not counted
open('/proc/self/clear_refs', 'w').write('5')
r = tile_objects(b, a, engine={engine!r})
peak = 0
for line in open('/proc/self/status'):
    if line.startswith('VmHWM'):
        peak = int(line.split()[1]) * 1024
print(json.dumps({{"inputs": b.nbytes + a.nbytes, "rss_before": before_rss, "peak": peak,
                  "objects": r.n}}))
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--baseline-repeats", type=int, default=3)
    ap.add_argument("--size", type=int, default=N)
    args = ap.parse_args()

    from basewatch.detect import _kernels
    from basewatch.detect.changed import tile_objects

    n = args.size
    before, after = load_pair(n)
    gb = (before.nbytes + after.nbytes) / 1e9
    print(
        f"pair: 2 x {before.shape} {before.dtype} ({gb:.2f} GB), {os.cpu_count()} CPUs, "
        f"numba: {_kernels.HAVE_NUMBA}"
    )
    engine = "numba" if _kernels.HAVE_NUMBA else "numpy"
    warm = (np.ascontiguousarray(before[:, :64]), np.ascontiguousarray(after[:, :64]))
    tile_objects(*warm, engine=engine)  # JIT warm-up (same array layout as the timed call)

    if HAVE_NUMBA:
        small = np.ascontiguousarray(before[:, :8])
        _sum2(small, small)  # compile for C-contiguous arrays before timing
    # (b) and (c) alternate, so that both see the same machine load
    all_b: list[float] = []
    all_c: list[float] = []
    res = None
    for _ in range(args.repeats):
        all_c.append(read_bound(before, after))
        t0 = time.perf_counter()
        res = tile_objects(before, after, engine=engine)
        all_b.append(time.perf_counter() - t0)
    assert res is not None
    t_b, t_c = statistics.median(all_b), statistics.median(all_c)
    ratios = [b / c for b, c in zip(all_b, all_c, strict=True)]
    t_np, all_np, res_np = _median_time(lambda: tile_objects(before, after, engine="numpy"), 1)
    t_a, all_a, n_a = _median_time(lambda: baseline(before, after), args.baseline_repeats)
    mem = _peak_child(n, engine)
    extra = mem["peak"] - mem["rss_before"]
    rows = [
        ("(a) baseline float64 + scipy + regionprops", t_a, all_a, n_a),
        (f"(b) basewatch tile_objects [{engine}]", t_b, all_b, res.n),
        ("    basewatch tile_objects [numpy reference]", t_np, all_np, res_np.n),
        ("(c) read bound (sum both inputs once)", t_c, all_c, None),
    ]
    for name, med, allt, objs in rows:
        runs = ", ".join(f"{t:.3f}" for t in allt)
        print(
            f"{name:48s} median {med:8.3f} s   runs [{runs}]"
            + (f"   objects {objs}" if objs is not None else "")
        )
    print(f"speed-up (a)/(b): {t_a / t_b:7.1f} x   (floor 25 x)")
    print(
        f"(b)/(c):          {t_b / t_c:7.2f} x   (floor: within 3 x); per interleaved run: "
        + ", ".join(f"{r:.2f}" for r in ratios)
    )
    print(f"read bandwidth (c): {gb / t_c:.1f} GB/s")
    print(
        f"peak memory of (b): {mem['peak'] / 1e9:.2f} GB process high-water, inputs "
        f"{mem['inputs'] / 1e9:.2f} GB, beyond the resident inputs {extra / 1e6:.0f} MB -> "
        f"peak / inputs = {mem['peak'] / mem['inputs']:.2f} (floor 1.5)"
    )
    print(
        f"maxrss of this process (includes baseline (a)): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.1f} GB"
    )


if __name__ == "__main__":
    main()
