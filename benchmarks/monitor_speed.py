"""One monitor batch on 1 worker and on 2: the speed-up and the peak memory per worker.

    .venv/bin/python benchmarks/monitor_speed.py [--dates 5] [--repeats 1] [--no-outputs]
                                                   [--ceiling]

Serves the real Beirut Sentinel-2 pair (2015-08-20, 2017-10-03) as cloud-optimised
GeoTIFFs over HTTP (the Range-honouring file server of the tile-loader tests) behind a
STAC API (``rustac serve``) with ``--dates`` items five days apart alternating between
the two real dates (``tests/monitor_world.py``), and runs
:func:`basewatch.scale.monitor.monitor` over both bundled Beirut sites (airport, port):
``(dates - 1) x 2`` pair tasks plus one series per site, the same batch on a local
cluster of 1 worker process and of 2.

Each batch runs in a fresh Python process, as one ``basewatch monitor`` command does,
from an empty output folder and an empty tile cache, and is timed from the start of
its local cluster (the fork server that imports what a task needs, the worker
processes) to the cluster closed after the summaries are written: everything a user
waits for after the command's own imports.

It prints the wall time of each batch, the speed-up (floor 1.7 x on 2 cores), the CPU
time of the two HTTP servers during it and of the process that runs the client, the
scheduler and the nannies (they share the cores with the workers), the
peak resident memory of each worker process (``ru_maxrss``) and the load average
before and after (other processes on the machine slow both runs). The speed-up
compares workers of one size: one worker of one thread against two of one thread each
(on 2 cores, what ``basewatch monitor --workers 2`` starts). A lone worker started as
``--workers 1`` runs its kernels on both cores, which makes its tasks faster: that
batch is timed too, and how much faster two workers are than it. Exit status 1 if the
speed-up is under the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from monitor_world import SITES, MonitorWorld, build_monitor_world  # noqa: E402

#: The speed-up two workers must reach over one (issue 14).
SPEEDUP_FLOOR = 1.7
MIB = 2**20
#: The batches of each repeat: a name, worker processes, threads of each worker's
#: kernels (None: its share of the cores, as ``basewatch monitor`` gives it). The
#: speed-up compares workers of the same size (one core's threads each); a lone
#: worker's default, both cores' threads inside its tasks, is timed beside it.
CONFIGS: tuple[tuple[str, int, int | None], ...] = (
    ("1 worker, 1 thread", 1, 1),
    ("1 worker, threads on both cores", 1, None),
    ("2 workers, 1 thread each", 2, 1),
)
#: Seconds one batch may take before the benchmark gives up on it.
BATCH_TIMEOUT_S = 900


def batch(
    catalog: str,
    start: dt.date,
    end: dt.date,
    workers: int,
    work: Path,
    *,
    outputs: bool,
    threads: int | None = None,
) -> dict[str, object]:
    """Run the batch on a fresh local cluster of ``workers`` (in this process), each
    worker's kernels on ``threads`` threads (default: its share of the cores).

    Returns
    -------
    dict
        ``seconds`` (the whole call as ``basewatch monitor`` makes it: cluster started,
        batch run, summaries written, cluster closed), ``started`` (seconds to start
        the cluster), ``surveyed`` (seconds until the last site's survey came back: the
        batch is planned then), ``tasks_phase`` (seconds from then until the last task's
        outcome), ``tasks``, ``busy`` (the tasks' own seconds added up), ``peaks``
        (peak RSS in bytes of each worker) and ``client_cpu`` (CPU seconds of this
        process meanwhile: the client, the scheduler and the nannies).
    """
    import resource

    from basewatch.imagery.catalog import HttpOptions
    from basewatch.scale.monitor import monitor, open_client
    from basewatch.scale.plan import LoadSettings, OutputSettings

    out, cache = work / f"out{workers}", work / f"cache{workers}"
    for p in (out, cache):
        shutil.rmtree(p, ignore_errors=True)
    own = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    marks: dict[str, float] = {}

    def surveyed(_: object) -> None:
        marks["surveyed"] = time.perf_counter() - t0

    def finished(*_: object) -> None:
        marks["finished"] = time.perf_counter() - t0

    with open_client(workers=workers, threads_per_worker=threads) as client:
        started = time.perf_counter() - t0
        result = monitor(
            SITES,
            start,
            end,
            client=client,
            output=OutputSettings(str(out), png=outputs, gpkg=outputs, cog=outputs),
            load=LoadSettings(
                catalog=catalog,
                cache_dir=str(cache),
                http=HttpOptions(timeout_s=30.0, retries=3),
            ),
            on_survey=surveyed,
            on_outcome=finished,
        )
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime
    assert not result.failures, result.failures
    assert result.by_status() == {"done": len(result.outcomes)}, result.by_status()
    peaks: dict[str, int] = {}
    for o in result.outcomes:
        peaks[o.worker] = max(peaks.get(o.worker, 0), o.peak_rss_bytes)
    return {
        "seconds": seconds,
        "started": started,
        "surveyed": marks["surveyed"],
        "tasks_phase": marks["finished"] - marks["surveyed"],
        "tasks": len(result.outcomes),
        "busy": sum(o.seconds for o in result.outcomes),
        "peaks": list(peaks.values()),
        "client_cpu": client_cpu,
    }


def servers_cpu_seconds(world: MonitorWorld) -> float:
    """CPU seconds used so far by the world's two HTTP servers, each a process of its
    own: the Range file server and ``rustac serve`` (their ``/proc`` times)."""
    total = 0.0
    for proc in (world.files.proc, world.stac.proc):
        if proc is not None:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def batch_in_fresh_process(
    catalog: str,
    start: dt.date,
    end: dt.date,
    workers: int,
    work: Path,
    *,
    outputs: bool,
    threads: int | None = None,
) -> dict[str, object]:
    """:func:`batch` in a new Python process (as one ``basewatch monitor`` command)."""
    cmd = [sys.executable, __file__, "--batch", str(workers), "--catalog", catalog]
    cmd += ["--from", start.isoformat(), "--to", end.isoformat(), "--work", str(work)]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    if not outputs:
        cmd.append("--no-outputs")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=BATCH_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"batch of {workers} worker(s) failed:\n{done.stderr[-4000:]}")
    doc: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return doc


def task_memory(catalog: str, start: dt.date, end: dt.date, work: Path) -> None:
    """Print each site's pair and series peaks (tracemalloc) against the monitor's model.

    The model (:func:`basewatch.scale.monitor.task_memory_bytes` less the worker
    baseline) must cover what a task allocates; run with ``--dates 5`` and ``--dates 9``
    to see what each added date of a series costs.
    """
    import tracemalloc

    from basewatch.imagery.catalog import HttpOptions
    from basewatch.scale.monitor import task_memory_bytes
    from basewatch.scale.pair import WORKER_BASELINE_BYTES
    from basewatch.scale.plan import (
        LoadSettings,
        OutputSettings,
        PairTask,
        SurveyTask,
        plan_pairs,
        plan_series,
    )
    from basewatch.scale.tasks import run_pair, run_series, survey_site

    load = LoadSettings(
        catalog=catalog,
        cache_dir=str(work / "cache-memory"),
        http=HttpOptions(timeout_s=30.0, retries=3),
    )
    out = OutputSettings(str(work / "out-memory"))
    for site in SITES:
        survey = survey_site(SurveyTask(site, "s2", start, end), load)
        pairs, series = plan_pairs(survey), plan_series(survey)
        run_pair(pairs[0], load, out)  # imports, kernels and the tile cache warm
        for task in (pairs[1], series[0]):
            tracemalloc.start()
            if isinstance(task, PairTask):
                run_pair(task, load, out)
            else:
                run_series(task, load, out)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            model = task_memory_bytes(task, survey.window_px) - WORKER_BASELINE_BYTES
            print(
                f"{site} {type(task).__name__} ({survey.window_px:,} px): peak "
                f"{peak / MIB:.1f} MiB, model {model / MIB:.1f} MiB "
                f"({'covered' if model >= peak else 'NOT covered'})"
            )


def pair_runs(catalog: str, start: dt.date, end: dt.date, work: Path, runs: int) -> list[float]:
    """Seconds of ``runs`` runs of one pair task in this process (its dates in the tile
    cache, a first run to warm it up not counted)."""
    from basewatch.imagery.catalog import HttpOptions
    from basewatch.scale.plan import LoadSettings, OutputSettings, SurveyTask, plan_pairs
    from basewatch.scale.tasks import run_pair, survey_site

    load = LoadSettings(
        catalog=catalog, cache_dir=str(work / "cache-ceiling"), http=HttpOptions(timeout_s=30.0)
    )
    out = Path(tempfile.mkdtemp(dir=work, prefix="ceiling-"))
    pair = plan_pairs(survey_site(SurveyTask(SITES[0], "s2", start, end), load))[0]
    run_pair(pair, load, OutputSettings(str(out / "warm")))
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        run_pair(pair, load, OutputSettings(str(out / str(i))))
        times.append(time.perf_counter() - t0)
    return times


def ceiling(catalog: str, start: dt.date, end: dt.date, work: Path, runs: int = 6) -> None:
    """Print what two processes doing this work gain on this machine: one pair task
    run in a fresh process, alone and beside an identical process (no dask, scheduler
    or client in either), each with one core's threads as the workers compared."""
    from basewatch.scale.monitor import worker_environment

    cmd = [sys.executable, __file__, "--pair-runs", str(runs), "--catalog", catalog]
    cmd += ["--from", start.isoformat(), "--to", end.isoformat(), "--work", str(work)]
    env = {**os.environ, **worker_environment(1, threads=1)}
    subprocess.run(cmd, capture_output=True, check=True, timeout=BATCH_TIMEOUT_S, env=env)
    for _ in range(2):
        alone = json.loads(
            subprocess.run(
                cmd, capture_output=True, text=True, check=True, timeout=BATCH_TIMEOUT_S, env=env
            ).stdout.splitlines()[-1]
        )
        procs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)
        ]
        outs = [p.communicate(timeout=BATCH_TIMEOUT_S)[0] for p in procs]
        both = [json.loads(o.splitlines()[-1]) for o in outs]
        one = statistics.median(alone)
        two = [statistics.median(t) for t in both]
        print(
            f"ceiling: one pair task alone {one:.3f} s (median of {runs}), two processes at "
            f"once {two[0]:.3f} / {two[1]:.3f} s: each {max(two) / one - 1:.0%} slower, so two "
            f"workers can be at most {2 * one / max(two):.2f} x as fast as one on this work"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dates", type=int, default=5, help="item dates (pairs = dates - 1)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--no-outputs",
        action="store_true",
        help="skip change.png, detections.gpkg and the COGs (run.json and GeoJSON only)",
    )
    parser.add_argument(
        "--task-memory",
        action="store_true",
        help="also measure one pair and one series per site in this process (tracemalloc) "
        "against the memory model that --memory-per-worker is checked with",
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also time one pair task alone and beside an identical process (no dask): "
        "what two processes can gain on this machine",
    )
    parser.add_argument("--pair-runs", type=int, default=None, help=argparse.SUPPRESS)
    # one batch in this process (what the benchmark runs in a fresh process)
    parser.add_argument("--batch", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--catalog", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--from", dest="start", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--to", dest="end", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--work", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pair_runs is not None:
        times = pair_runs(
            args.catalog,
            dt.date.fromisoformat(args.start),
            dt.date.fromisoformat(args.end),
            Path(args.work),
            args.pair_runs,
        )
        print(json.dumps(times))
        return 0
    if args.batch is not None:
        doc = batch(
            args.catalog,
            dt.date.fromisoformat(args.start),
            dt.date.fromisoformat(args.end),
            args.batch,
            Path(args.work),
            outputs=not args.no_outputs,
            threads=args.threads,
        )
        print(json.dumps(doc))
        return 0
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
            times: dict[str, list[float]] = {name: [] for name, _, _ in CONFIGS}
            phases: dict[str, list[float]] = {name: [] for name, _, _ in CONFIGS}
            for r in range(args.repeats):
                for name, workers, threads in CONFIGS:
                    served = servers_cpu_seconds(world)
                    doc = batch_in_fresh_process(
                        world.catalog,
                        world.dates[0],
                        world.dates[-1],
                        workers,
                        work,
                        outputs=not args.no_outputs,
                        threads=threads,
                    )
                    served = servers_cpu_seconds(world) - served
                    seconds = float(str(doc["seconds"]))
                    times[name].append(seconds)
                    phases[name].append(float(str(doc["tasks_phase"])))
                    peaks = [int(v) for v in doc["peaks"]]  # type: ignore[attr-defined]
                    print(
                        f"run {r + 1}: {name}: {seconds:.1f} s for {doc['tasks']} "
                        f"tasks, of which {float(str(doc['started'])):.1f} s to start the "
                        f"cluster, {float(str(doc['surveyed'])) - float(str(doc['started'])):.1f}"
                        f" s to survey the sites, {float(str(doc['tasks_phase'])):.1f} s from "
                        f"the plan to the last task (the tasks' own times add up to "
                        f"{float(str(doc['busy'])):.1f} s); peak RSS per worker "
                        + ", ".join(f"{v / MIB:.0f} MiB" for v in peaks)
                        + f"; the HTTP servers' CPU {served:.1f} s"
                        + f"; the client's CPU {float(str(doc['client_cpu'])):.1f} s"
                        + f"; load {os.getloadavg()[0]:.2f}"
                    )
            if args.task_memory:
                task_memory(world.catalog, world.dates[0], world.dates[-1], work)
            if args.ceiling:
                ceiling(world.catalog, world.dates[0], world.dates[-1], work)
        finally:
            world.stop()
    med = {name: statistics.median(t) for name, t in times.items()}
    one, shared_one, two = (med[name] for name, _, _ in CONFIGS)
    speedup = one / two
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"median: 1 worker of 1 thread {one:.1f} s, 2 workers of 1 thread {two:.1f} s: "
        f"speed-up {speedup:.2f} x (floor {SPEEDUP_FLOOR} x: "
        f"{'met' if speedup >= SPEEDUP_FLOOR else 'NOT met'})"
    )
    phase = {name: statistics.median(t) for name, t in phases.items()}
    print(
        f"  the tasks alone (from the plan to the last task's outcome, without the "
        f"cluster's start, the surveys and the close): {phase[CONFIGS[0][0]]:.1f} s "
        f"against {phase[CONFIGS[2][0]]:.1f} s, {phase[CONFIGS[0][0]] / phase[CONFIGS[2][0]]:.2f} x"
    )
    print(
        f"  1 worker as --workers 1 runs it (its kernels on both cores) {shared_one:.1f} s: "
        f"2 workers are {shared_one / two:.2f} x faster than that"
    )
    return 0 if speedup >= SPEEDUP_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
