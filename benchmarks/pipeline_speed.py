"""Speed and memory of what users run: pair detection on tile-sized real imagery.

One command times, for each size N (the real Beirut Sentinel-2 pair tiled to N x N x 4
uint16 on a UTM grid, with a site covering the whole raster: west half a harbour,
east half an apron; see ``tiled_pair.py``):

(a) the analyst baseline: float64 numpy normalisation and CVA, median/MAD threshold,
    ``scipy.ndimage`` opening and labelling, ``skimage.measure.regionprops`` (arrays in,
    objects out);
(b) the public API in memory: ``basewatch.detect_pair(site, before, after)`` on scenes
    already read and co-registered (scenes in, detections out);
(c) the read bound: one parallel pass summing both uint16 inputs;
(d) ``basewatch detect --no-png`` end to end from the GeoTIFFs (a fresh process:
    reading, co-registration, detection, writing the run folder); beside it, the same
    command with its default outputs (the annotated PNG, its preview and the report
    with the picture: what a user gets without ``--no-png``), column ``(d) png``;
(e) reading both GeoTIFFs whole with rasterio (a fresh process).

(b), (d) and (e) run in fresh processes, which also report their peak memory
(``VmHWM`` after clearing the high-water mark once the inputs are loaded, for (b);
the whole process's maximum resident set for (d) and (e)). Prints medians, per-run
ratios, peak memory against the inputs, and the growth from each size to the next;
``--json`` writes everything to a file.

Usage::

    .venv/bin/python benchmarks/pipeline_speed.py                  # 2745 5490 10980
    .venv/bin/python benchmarks/pipeline_speed.py --sizes 2745 5490 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from tiled_pair import tiled_arrays, write_pair  # noqa: E402

REPO = HERE.parent
BASEWATCH = Path(sys.executable).with_name("basewatch")


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


def _hwm_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_hwm() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def child_api(size: int, folder: Path, repeats: int) -> dict[str, Any]:
    """(b) in this process: read and co-register once, then time detect_pair."""
    import basewatch as bw

    before_tif, after_tif, site_json = write_pair(size, folder)
    site = bw.load_site(site_json)
    before, after = bw.read_local_pair(site, before_tif, after_tif)
    inputs = before.data.nbytes + after.data.nbytes
    times, n_det, peak = [], 0, 0
    for _ in range(repeats):
        _reset_hwm()
        base = _hwm_bytes()
        t0 = time.perf_counter()
        result = bw.detect_pair(site, before, after)
        times.append(time.perf_counter() - t0)
        peak = max(peak, _hwm_bytes() - base)
        n_det = len(result.detections)
        del result
    return {"times": times, "detections": n_det, "peak_extra": peak, "scene_bytes": inputs}


def child_read(size: int, folder: Path) -> dict[str, Any]:
    """(e) in this process: read both GeoTIFFs whole."""
    import rasterio

    before_tif, after_tif, _ = write_pair(size, folder)
    t0 = time.perf_counter()
    total = 0
    for p in (before_tif, after_tif):
        with rasterio.open(p) as ds:
            total += ds.read().nbytes
    return {"time": time.perf_counter() - t0, "bytes": total, "peak": _hwm_bytes()}


def _run_child(*args: str) -> dict[str, Any]:
    res = subprocess.run(
        [sys.executable, str(Path(__file__)), *args], capture_output=True, text=True, check=False
    )
    if res.returncode:
        raise RuntimeError(f"child {args} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _cli_detect(size: int, folder: Path, *, png: bool = False) -> dict[str, Any]:
    """(d): ``basewatch detect --no-png`` in a fresh process (wall time, peak memory);
    with ``png``, the command with its default outputs."""
    before_tif, after_tif, site_json = write_pair(size, folder)
    with tempfile.TemporaryDirectory() as out:
        cmd = [
            "/usr/bin/time",
            "-f",
            "%e %M",
            str(BASEWATCH),
            "detect",
            "--site",
            str(site_json),
            "--before",
            str(before_tif),
            "--after",
            str(after_tif),
            "--out",
            out,
            *([] if png else ["--no-png"]),
        ]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        if res.returncode:
            raise RuntimeError(f"basewatch detect failed:\n{res.stderr[-3000:]}")
        elapsed, max_kb = res.stderr.strip().splitlines()[-1].split()
        return {"time": wall, "elapsed": float(elapsed), "peak": int(max_kb) * 1024}


def measure(size: int, folder: Path, repeats: int, baseline_repeats: int) -> dict[str, Any]:
    write_pair(size, folder)
    before, after = tiled_arrays(size)
    raw = before.nbytes + after.nbytes
    read_bound(before, after)  # compile / warm
    c = [read_bound(before, after) for _ in range(max(repeats, 5))]
    a: list[float] = []
    for _ in range(baseline_repeats):
        t0 = time.perf_counter()
        baseline(before, after)
        a.append(time.perf_counter() - t0)
    del before, after
    b = _run_child("--child-api", str(size), str(folder), str(repeats))
    e = [_run_child("--child-read", str(size), str(folder)) for _ in range(repeats)]
    d = [_cli_detect(size, folder) for _ in range(repeats)]
    d_png = [_cli_detect(size, folder, png=True) for _ in range(repeats)]
    med = statistics.median
    return {
        "size": size,
        "input_bytes_uint16": raw,
        "a_baseline_s": a,
        "b_api_s": b["times"],
        "b_detections": b["detections"],
        "b_peak_extra_bytes": b["peak_extra"],
        "b_scene_bytes_float32": b["scene_bytes"],
        "c_read_bound_s": c,
        "d_cli_s": [x["time"] for x in d],
        "d_peak_bytes": max(x["peak"] for x in d),
        "d_png_s": [x["time"] for x in d_png],
        "d_png_peak_bytes": max(x["peak"] for x in d_png),
        "e_read_s": [x["time"] for x in e],
        "median": {
            "a": med(a),
            "b": med(b["times"]),
            "c": med(c),
            "d": med([x["time"] for x in d]),
            "d_png": med([x["time"] for x in d_png]),
            "e": med([x["time"] for x in e]),
        },
    }


def report(rows: list[dict[str, Any]]) -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print(
        f"{'N':>6} {'(a) base':>9} {'(b) api':>8} {'(c) bound':>9} {'(d) cli':>8} "
        f"{'(e) read':>8} {'a/b':>6} {'b/c':>7} {'d/e':>6} {'b peak/in':>9} {'objects':>8} "
        f"{'(d) png':>8}"
    )
    for r in rows:
        m = r["median"]
        peak = r["b_peak_extra_bytes"] / r["b_scene_bytes_float32"]
        print(
            f"{r['size']:>6} {m['a']:>8.2f}s {m['b']:>7.2f}s {m['c']:>8.3f}s {m['d']:>7.2f}s "
            f"{m['e']:>7.2f}s {m['a'] / m['b']:>6.2f} {m['b'] / m['c']:>7.0f} "
            f"{m['d'] / m['e']:>6.1f} {peak:>9.2f} {r['b_detections']:>8} {m['d_png']:>7.2f}s"
        )
    for r in rows:
        per_b_c = [round(b / c, 1) for b, c in zip(r["b_api_s"], r["c_read_bound_s"], strict=False)]
        per_d_e = [round(d / e, 1) for d, e in zip(r["d_cli_s"], r["e_read_s"], strict=True)]
        print(f"N={r['size']}: per-run (b)/(c) {per_b_c}, (d)/(e) {per_d_e}")
    for prev, nxt in pairwise(rows):
        px = (nxt["size"] / prev["size"]) ** 2
        growth = {k: nxt["median"][k] / prev["median"][k] for k in ("a", "b", "d")}
        print(
            f"{prev['size']} -> {nxt['size']} ({px:.1f}x the pixels): "
            + ", ".join(f"({k}) {g:.1f}x" for k, g in growth.items())
        )
    print(
        "peak memory of (b) beyond its two float32 scenes, as a share of them; "
        "(d) peak RSS: "
        + ", ".join(f"N={r['size']}: {r['d_peak_bytes'] / 2**30:.2f} GiB" for r in rows)
        + "; with the PNG: "
        + ", ".join(f"N={r['size']}: {r['d_png_peak_bytes'] / 2**30:.2f} GiB" for r in rows)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2745, 5490, 10980])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline-repeats", type=int, default=1)
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "basewatch-tiles")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child-api", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--child-read", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_api:
        size, folder, repeats = args.child_api
        print(json.dumps(child_api(int(size), Path(folder), int(repeats))))
        return
    if args.child_read:
        size, folder = args.child_read
        print(json.dumps(child_read(int(size), Path(folder))))
        return
    rows = []
    for size in args.sizes:
        rows.append(measure(size, args.folder, args.repeats, args.baseline_repeats))
        report(rows)
        print(flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
