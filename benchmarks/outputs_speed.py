#!/usr/bin/env python3
"""Writing many detections: run.json, detections.geojson and detections.gpkg.

The detections of the bundled Beirut port pair (``basewatch.detect_pair``) are repeated
to N (new ids), then written by ``basewatch.write_run`` -- the function every command
calls -- with the picture, HTML and COGs off (they do not grow with N). Beside it, in
the same run, a baseline: the same records through the standard library
(``dataclasses.asdict`` + ``json.dumps``), as a script would write them.

    .venv/bin/python benchmarks/outputs_speed.py            # N = 10,000 and 100,000
    .venv/bin/python benchmarks/outputs_speed.py --n 250000
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import statistics
import tempfile
import time
from pathlib import Path

import basewatch as bw


def _port() -> bw.PairResult:
    repo = Path(__file__).resolve().parents[1]
    site = bw.load_site("beirut-port")
    files = [repo / "imagery" / f"beirut-port_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    before, after = bw.read_local_pair(site, *files)
    return bw.detect_pair(site, before, after)


def _many(port: bw.PairResult, n: int) -> bw.PairResult:
    dets = tuple(
        dataclasses.replace(d, id=f"{d.id}-{i}")
        for i, d in zip(range(n), itertools.cycle(port.detections), strict=False)
    )
    return dataclasses.replace(port, detections=dets)


def _time(fn: object, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    port = _port()
    print(f"{'N':>8} {'write_run':>10} {'+gpkg':>9} {'baseline':>9}  ratio  run.json MB")
    for n in args.n:
        a, g, b, size = _measure(_many(port, n), args.repeats)
        print(f"{n:>8} {a:>9.2f}s {g:>8.2f}s {b:>8.2f}s  {b / a:5.1f}  {size:8.1f}")


def _measure(result: bw.PairResult, repeats: int) -> tuple[float, float, float, float]:
    """Median seconds of write_run without and with the GeoPackage, of the baseline,
    and the size of run.json (MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        k = itertools.count()

        def product(gpkg: bool) -> None:
            folder = Path(tmp) / f"r{next(k)}"
            bw.write_run(result, folder, png=False, html=False, cog=False, gpkg=gpkg)

        def baseline() -> None:
            records = [dataclasses.asdict(d) for d in result.detections]
            text = json.dumps(records, default=str, indent=2)
            (Path(tmp) / "baseline.json").write_text(text, encoding="utf-8")

        a = statistics.median(_time(lambda: product(False), repeats))
        g = statistics.median(_time(lambda: product(True), repeats))
        b = statistics.median(_time(baseline, repeats))
        size = (Path(tmp) / "r0" / "run.json").stat().st_size / 1e6
    return a, g, b, size


if __name__ == "__main__":
    main()
