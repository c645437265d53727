"""One monitor batch on 1 worker and on 2: the speed-up and the peak memory per worker.

    .venv/bin/python benchmarks/monitor_speed.py [--dates 5] [--repeats 1] [--no-outputs]

Serves the real Beirut Sentinel-2 pair (2015-08-20, 2017-10-03) as cloud-optimised
GeoTIFFs over HTTP (the Range-honouring file server of the tile-loader tests) behind a
STAC API (``rustac serve``) with ``--dates`` items five days apart alternating between
the two real dates (``tests/monitor_world.py``), and runs
:func:`basewatch.scale.monitor.monitor` over both bundled Beirut sites (airport, port):
``(dates - 1) x 2`` pair tasks plus one series per site, the same batch on a local
cluster of 1 worker process and of 2 (one thread each). Each run starts from an empty
output folder and an empty tile cache and is timed as ``basewatch monitor`` runs it,
from the start of its local cluster (worker processes spawned, basewatch imported on
them by their first task) to the cluster closed after the summaries are written.

It prints the wall time of each batch, the speed-up (floor 1.7 x on 2 cores), the
peak resident memory of each worker process (``ru_maxrss``) and the load average
before and after (other processes on the machine slow both runs). Exit status 1 if
the speed-up is under the floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from basewatch.imagery.catalog import HttpOptions  # noqa: E402
from basewatch.scale.monitor import MonitorResult, monitor, open_client  # noqa: E402
from basewatch.scale.plan import LoadSettings, OutputSettings  # noqa: E402
from monitor_world import SITES, MonitorWorld, build_monitor_world  # noqa: E402

#: The speed-up two workers must reach over one (issue 14).
SPEEDUP_FLOOR = 1.7
MIB = 2**20


def batch(
    world: MonitorWorld, workers: int, work: Path, *, outputs: bool
) -> tuple[float, float, MonitorResult]:
    """Run the batch on a fresh local cluster of ``workers``.

    Returns
    -------
    (seconds, seconds to start the cluster, result)
        The whole call as ``basewatch monitor`` makes it: cluster started, batch run,
        summaries written, cluster closed.
    """
    out, cache = work / f"out{workers}", work / f"cache{workers}"
    for p in (out, cache):
        shutil.rmtree(p, ignore_errors=True)
    t0 = time.perf_counter()
    with open_client(workers=workers) as client:
        started = time.perf_counter() - t0
        result = monitor(
            SITES,
            world.dates[0],
            world.dates[-1],
            client=client,
            output=OutputSettings(str(out), png=outputs, gpkg=outputs, cog=outputs),
            load=LoadSettings(
                catalog=world.catalog,
                cache_dir=str(cache),
                http=HttpOptions(timeout_s=30.0, retries=3),
            ),
        )
    seconds = time.perf_counter() - t0
    assert not result.failures, result.failures
    assert result.by_status() == {"done": len(result.outcomes)}, result.by_status()
    return seconds, started, result


def peak_per_worker(result: MonitorResult) -> dict[str, int]:
    peaks: dict[str, int] = {}
    for o in result.outcomes:
        peaks[o.worker] = max(peaks.get(o.worker, 0), o.peak_rss_bytes)
    return peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dates", type=int, default=5, help="item dates (pairs = dates - 1)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--no-outputs",
        action="store_true",
        help="skip change.png, detections.gpkg and the COGs (run.json and GeoJSON only)",
    )
    args = parser.parse_args()
    shared = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared")) / "data"
    if not shared.is_dir():
        print(f"shared data not found at {shared} (set BASEWATCH_SHARED)", file=sys.stderr)
        return 2
    n_pairs = (args.dates - 1) * len(SITES)
    print(
        f"batch: {len(SITES)} sites x {args.dates - 1} date pairs = {n_pairs} pair tasks "
        f"+ {len(SITES)} series; outputs {'off' if args.no_outputs else 'as basewatch run'}; "
        f"{os.cpu_count()} CPU cores"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        world = build_monitor_world(shared, work / "world", n_dates=args.dates)
        try:
            times: dict[int, list[float]] = {1: [], 2: []}
            peaks: dict[int, dict[str, int]] = {}
            for r in range(args.repeats):
                for workers in (1, 2):
                    seconds, started, result = batch(
                        world, workers, work, outputs=not args.no_outputs
                    )
                    times[workers].append(seconds)
                    peaks[workers] = peak_per_worker(result)
                    tasks = len(result.outcomes)
                    busy = sum(o.seconds for o in result.outcomes)
                    print(
                        f"run {r + 1}: {workers} worker(s): {seconds:.1f} s for {tasks} tasks, "
                        f"of which {started:.1f} s to start the cluster "
                        f"(their own times add up to {busy:.1f} s); "
                        "peak RSS per worker "
                        + ", ".join(f"{v / MIB:.0f} MiB" for v in peaks[workers].values())
                    )
        finally:
            world.stop()
    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    speedup = t1 / t2
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"median: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s; speed-up {speedup:.2f} x")
    print(f"  (floor {SPEEDUP_FLOOR} x: {'met' if speedup >= SPEEDUP_FLOOR else 'NOT met'})")
    return 0 if speedup >= SPEEDUP_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
