"""Monitor many sites over many dates on a ``dask.distributed`` cluster.

:func:`monitor` surveys each site and sensor (which dates have a usable scene), plans
one task per two consecutive dates and one series per site (see
:mod:`basewatch.scale.plan`) once every survey is back, submits what is not already
complete to the cluster in the order of :func:`submission_priorities`, and reports each
task as it finishes. The cluster is any ``dask.distributed`` scheduler:
:func:`open_client` starts a :class:`~distributed.LocalCluster` sized to the machine,
or connects to a scheduler by address (one started by hand, by dask-kubernetes or by
dask-gateway); basewatch schedules nothing itself.

Results live under one output root that every worker reaches under the same path
(a local disk for a local cluster, a shared file system for several machines):

* ``<site>/<sensor>/pairs/<before>_<after>/``: a ``basewatch run`` folder per pair;
* ``<site>/<sensor>/series[-orbitNNN]/``: the ``basewatch timeline`` folder over all
  the dates (``timeline.json``, ``counts.csv``, the chart ``counts.png``);
* ``<site>/<sensor>/pairs.csv``: one row per pair, its scenes and counts per event;
* ``monitor.json``: the plan, what each task did and what failed (written last).

Each task writes its folder whole (:func:`basewatch._atomic.write_folder`: a temporary
sibling that takes its place in one step, under the folder's lock) and skips a complete
one, so a monitor stopped by Ctrl-C, a crash or a lost worker is finished by calling it
again, and a task the scheduler runs twice writes once.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib
import io
import logging
import math
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import dask.config
import orjson
from dask.utils import parse_bytes
from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed
from distributed.utils import get_mp_context

from basewatch._atomic import atomic_write_bytes, atomic_write_text
from basewatch._gdal import GDAL_THREADS_VARIABLE
from basewatch._memory import CLASSIFIER_BYTES_PER_PIXEL, FIFTH_BAND_BYTES_PER_PIXEL
from basewatch._threads import SHARE_VARIABLE, machine_cores
from basewatch._words import plural
from basewatch.detect.components import ObjectParams
from basewatch.errors import BasewatchError, InputError
from basewatch.records import dumps_json, to_jsonable
from basewatch.scale.pair import PAIR_BYTES_PER_PIXEL, WORKER_BASELINE_BYTES
from basewatch.scale.plan import (
    LoadSettings,
    OutputSettings,
    PairTask,
    SeriesTask,
    Survey,
    SurveyTask,
    plan_pairs,
    plan_series,
)
from basewatch.scale.tasks import (
    Outcome,
    is_complete,
    parameters_clash,
    run_pair,
    run_series,
    survey_site,
)

__all__ = [
    "MonitorError",
    "MonitorResult",
    "machine_cores",
    "memory_refusal",
    "monitor",
    "open_client",
    "task_memory_bytes",
    "worker_environment",
    "worker_memory_limit",
]

log = logging.getLogger(__name__)

#: Threads per worker process: the pipeline's numba and numpy steps hold the GIL in
#: parts, so parallelism comes from processes.
THREADS_PER_WORKER = 1
#: Environment variables that size the threads a worker starts inside one task:
#: basewatch's own (numba's parallel kernels, which the tasks size with
#: ``numba.set_num_threads``: numba itself was imported by the fork server, before the
#: variable existed; and its thread pools, see :mod:`basewatch._threads`) and GDAL's
#: compression and decoding. A local worker gets its share of the machine's cores in
#: each (dask itself sets the OpenMP and BLAS ones to one thread per worker thread).
WORKER_THREAD_VARIABLES: tuple[str, ...] = (SHARE_VARIABLE, GDAL_THREADS_VARIABLE)
#: How local worker processes are started (see :func:`open_client`).
WORKER_START_METHOD = "forkserver"
#: glibc's malloc in local workers: one arena for every thread. A task runs on a worker
#: thread, not the process's main one, and glibc's per-thread arenas cannot hold an
#: array above 64 MiB: each such array (a tile strip's bands and labels) was a fresh
#: mapping, faulted in page by page and given back when freed, whatever
#: :func:`basewatch._heap.heap_for_arrays` asks. With one arena they come from the
#: heap and are reused: ``benchmarks/chunked_pair.py 5490 --workers 2 --memory 2GiB``
#: worker peaks 1380 / 1622 and 1282 / 1543 MiB without, 1137 / 1256 and 1173 / 1278
#: MiB with (wall time 68.1 and 62.1 s against 51.4 and 62.4 s: within this machine's
#: noise). Read by glibc when the fork server starts, so it is set there (a worker's
#: own environment comes too late).
WORKER_MALLOC_ENVIRONMENT: dict[str, str] = {"MALLOC_ARENA_MAX": "1"}
#: dask settings of local workers (their nannies hand them to the worker processes,
#: and to any worker restarted after a crash). The statistical profiler samples the
#: task's thread every 10 ms, holding the GIL, for the dashboard, which a local cluster
#: of ours does not start: off, each worker of ``benchmarks/monitor_speed.py`` peaks at
#: 391-394 MiB instead of 413-422 MiB (run times the same within this machine's noise).
LOCAL_WORKER_CONFIG: dict[str, object] = {"distributed.worker.profile.enabled": False}
#: Modules the fork server imports once for every local worker: distributed, the task
#: functions and what they import only when they first write (the figures, COGs,
#: GeoPackage and report), search (the STAC client) or look for vessels (the models and
#: scikit-image, whose submodules are loaded by parsing their stubs). A task runs on a
#: worker thread: an import there that parses Python source can meet another thread's
#: parse, which CPython 3.11 does not survive ("AST constructor recursion depth
#: mismatch"), so what tasks import is imported here, once, on one thread.
WORKER_PRELOAD: tuple[str, ...] = (
    "distributed",
    "basewatch.scale.tasks",
    "basewatch.detect.candidates",
    "basewatch.detect.classify",
    "basewatch.outputs.render",
    "basewatch.outputs.raster",
    "basewatch.outputs.html",
    "basewatch.outputs.display",
    "matplotlib.pyplot",
    "pyogrio",
    "nanoarrow",
    "pystac_client",
)
MIB = 2**20
GIB = 2**30
#: Seconds to wait for a scheduler given by address.
CONNECT_TIMEOUT_S = 30


#: Bytes per pixel of the site's window that a series holds for each of its dates, on
#: top of what one pair holds (:data:`~basewatch.scale.pair.PAIR_BYTES_PER_PIXEL`): the
#: date's bands, masks and objects. Measured (tracemalloc peak of ``run_series`` on the
#: two Beirut sites of ``tests/monitor_world.py``, 5 and 9 dates): 24-26 bytes per pixel
#: for each date added. Rounded up.
SERIES_BYTES_PER_PIXEL_PER_DATE = 32.0
#: What a pair or series task allocates whatever its window's size (the figure, the
#: report, the writers' buffers). Measured (``benchmarks/monitor_speed.py
#: --task-memory``, tracemalloc): 32-48 MiB for a pair and 20-32 MiB for a series of 5
#: dates on the 66,000 and 110,000 px Beirut windows. Rounded up.
TASK_FIXED_BYTES = 64 * 2**20


class MonitorError(BasewatchError, RuntimeError):
    """Some tasks of a monitor failed (the others are written; call it again)."""


@dataclass(frozen=True)
class MonitorResult:
    """What one :func:`monitor` call planned and did.

    Attributes
    ----------
    out_dir : Path
        The output root.
    surveys : tuple of Survey
        The usable and unusable dates of each site and sensor.
    outcomes : tuple of Outcome
        One per planned pair and series task, in the order they finished (tasks found
        complete before submission first).
    failures : tuple of (str, str)
        Task key and error of each task that failed (nothing written for it), or that
        was not run because its folder holds results made with other object parameters
        (:func:`~basewatch.scale.tasks.parameters_clash`).
    """

    out_dir: Path
    surveys: tuple[Survey, ...]
    outcomes: tuple[Outcome, ...]
    failures: tuple[tuple[str, str], ...]

    def by_status(self) -> dict[str, int]:
        """Number of tasks per status (``done``, ``complete``, ``unusable``)."""
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        return counts


def _cluster_size(workers: int | None) -> int:
    n = workers if workers is not None else machine_cores()
    if n < 1:
        raise InputError(f"--workers must be at least 1, got {n}")
    return n


def worker_environment(
    workers: int, cores: int | None = None, *, threads: int | None = None
) -> dict[str, str]:
    """The thread counts of one local worker's libraries: its share of the cores.

    Without them each of ``workers`` processes would start one numba and GDAL thread
    per core of the machine inside every task, ``workers`` times too many threads for
    the cores.

    Parameters
    ----------
    workers : int
        Worker processes sharing the machine.
    cores : int, optional
        Cores of the machine (default: :func:`machine_cores`).
    threads : int, optional
        Threads each worker's libraries use instead of its share (to leave cores to
        other work, or to give every worker the same as another cluster's).

    Returns
    -------
    dict of str to str
        Each of :data:`WORKER_THREAD_VARIABLES` set to ``threads``, by default
        ``max(1, cores // workers)``.

    Raises
    ------
    InputError
        ``threads`` below 1.
    """
    if threads is not None and threads < 1:
        raise InputError(f"--threads-per-worker must be at least 1, got {threads}")
    share = threads or max(1, (cores if cores is not None else machine_cores()) // max(1, workers))
    return dict.fromkeys(WORKER_THREAD_VARIABLES, str(share))


@contextlib.contextmanager
def open_client(
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    memory_per_worker: str | int | None = None,
    threads_per_worker: int | None = None,
) -> Iterator[Client]:
    """A client of an existing scheduler, or of a local cluster started for the call.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); its workers are used as
        they are (``workers``, ``memory_per_worker`` and ``threads_per_worker`` then
        apply to nothing: size them where they are started).
    workers : int, optional
        Worker processes of the local cluster (default: one per CPU core). Each one's
        numba and GDAL threads are its share of the cores (:func:`worker_environment`).
        They are forked from a fork server that imported what a task needs once
        (:data:`WORKER_PRELOAD`), not each spawned to import it again.
    memory_per_worker : str or int, optional
        Memory limit of each local worker (``"4GiB"`` or bytes); the worker is paused,
        then restarted, past it. Default: the machine's memory shared among them.
    threads_per_worker : int, optional
        Threads of each local worker's numba kernels and GDAL inside a task; default
        its share of the cores (:func:`worker_environment`).

    Yields
    ------
    distributed.Client

    Raises
    ------
    InputError
        A bad number of workers or memory size.
    """
    if scheduler is not None:
        with Client(scheduler, timeout=CONNECT_TIMEOUT_S) as client:
            yield client
        return
    limit: str | int = "auto"
    if memory_per_worker is not None:
        try:
            limit = int(parse_bytes(memory_per_worker))
        except (ValueError, TypeError) as exc:
            raise InputError(
                f"--memory-per-worker {memory_per_worker!r} is not a size; write it like 4GiB"
            ) from exc
    n_workers = _cluster_size(workers)
    env = worker_environment(n_workers, threads=threads_per_worker)
    with (
        _worker_start_method(),
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=THREADS_PER_WORKER,
            processes=True,
            memory_limit=limit,
            env=env,
            dashboard_address=None,
            # a failed task is reported once, by the monitor, not logged by each worker
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


class PreloadPlugin(WorkerPlugin):
    """Imports :data:`WORKER_PRELOAD` on each worker, on the worker's event-loop
    thread, before it runs a task of :func:`monitor` (and on a worker that joins later):
    a scheduler we did not start has workers no fork server of ours prepared (the local
    cluster's already hold the modules, and the imports cost them nothing)."""

    name = "basewatch-preload"

    def setup(self, worker: Any) -> None:
        for module in WORKER_PRELOAD:
            importlib.import_module(module)


def prepare_workers(client: Client) -> None:
    """Register :class:`PreloadPlugin` with ``client``'s cluster: each worker imports
    what a task needs before it runs one.

    Raises
    ------
    InputError
        A worker cannot import a module of :data:`WORKER_PRELOAD` (basewatch or one of
        its dependencies is missing where the workers run).
    """
    try:
        client.register_plugin(PreloadPlugin())
    except ImportError as exc:
        raise InputError(
            f"the cluster's workers cannot import {exc.name or 'a module basewatch needs'} "
            f"({exc}): install basewatch, the same version, where the workers run, or "
            "run without --scheduler on a local cluster"
        ) from exc


@contextlib.contextmanager
def _worker_start_method() -> Iterator[None]:
    """Local workers forked from a fork server that imported :data:`WORKER_PRELOAD`.

    The fork server is a fresh interpreter started once per client process (so no
    thread or library state of the client is copied into a worker, as a plain fork
    would); it imports what a task needs once, and every worker forked from it starts
    without importing it again and exits without tearing it down. Spawned workers had
    paid both in every process: about 1.5 s of a 1-worker batch and 3 s of CPU of a
    2-worker one on 2 cores (``benchmarks/monitor_speed.py``). Where the system has no
    fork server, dask's configured start method is kept.
    """
    if WORKER_START_METHOD not in multiprocessing.get_all_start_methods():
        yield  # pragma: no cover - Windows
        return
    with dask.config.set({"distributed.worker.multiprocessing-method": WORKER_START_METHOD}):
        get_mp_context()  # distributed sets its own preload list once; ours replaces it
        multiprocessing.get_context(WORKER_START_METHOD).set_forkserver_preload(
            list(WORKER_PRELOAD)
        )
        # the fork server imports numpy with dask's per-worker BLAS and OpenMP threads,
        # and starts glibc with one arena (a worker's own environment comes after the
        # import, too late for them)
        with _environment({**_pre_spawn_environment(), **WORKER_MALLOC_ENVIRONMENT}):
            forkserver.ensure_running()
        yield


def _pre_spawn_environment() -> dict[str, str]:
    """dask's ``distributed.nanny.pre-spawn-environ`` (one BLAS/OpenMP thread)."""
    env = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    return {str(k): str(v) for k, v in env.items()}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set, restored afterwards."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def submission_priorities(
    tasks: Sequence[PairTask | SeriesTask], windows: Mapping[tuple[str, str], int]
) -> dict[str, int]:
    """The ``dask`` priority of each task of a batch (higher starts first).

    Series start before every pair: they are the longest tasks (every date of a site),
    so a batch does not end on one worker running a series while the others wait, and
    the scenes a series reads are in the tile cache for its site's pairs. The longest
    series (pixels of the window times dates) start first. The pairs of the site whose
    series is expected to end first come first: a pair started while its site's series
    still runs reads the same dates from the catalogue a second time.

    Parameters
    ----------
    tasks : sequence of PairTask or SeriesTask
    windows : mapping of (site, sensor) to int
        Pixels of each site's window (:attr:`Survey.window_px`; 0 when not known).

    Returns
    -------
    dict of str to int
        Priority by task key; ties start in the order given.
    """
    series: list[SeriesTask] = [t for t in tasks if isinstance(t, SeriesTask)]
    cost = {t.key: windows.get((t.site, t.sensor), 0) * len(t.dates) for t in series}
    site_cost: dict[tuple[str, str], int] = {}
    for t in series:
        key = (t.site, t.sensor)
        site_cost[key] = site_cost.get(key, 0) + cost[t.key]
    by_cost = sorted(series, key=lambda t: cost[t.key], reverse=True)
    sites = sorted(site_cost, key=site_cost.__getitem__)
    top = len(by_cost) + len(sites) + 1
    out = {t.key: top - i for i, t in enumerate(by_cost)}
    rank = {site: len(sites) - i for i, site in enumerate(sites)}
    for task in tasks:
        if isinstance(task, PairTask):
            out[task.key] = rank.get((task.site, task.sensor), 0)
    return out


def task_memory_bytes(task: PairTask | SeriesTask, window_px: int) -> int:
    """The memory a worker needs to run a task on a site window of ``window_px`` pixels.

    What a worker holds before any task
    (:data:`~basewatch.scale.pair.WORKER_BASELINE_BYTES`) and what any task allocates
    (:data:`TASK_FIXED_BYTES`), plus :data:`~basewatch.scale.pair.PAIR_BYTES_PER_PIXEL`
    per pixel for a pair, and :data:`SERIES_BYTES_PER_PIXEL_PER_DATE` more per pixel and
    date for a series; for Sentinel-2, whose catalogued scenes carry B11, the vessel
    classifier's search and the dates' fifth band
    (:data:`basewatch._memory.CLASSIFIER_BYTES_PER_PIXEL`, measured on a pair; a series'
    further dates :data:`~basewatch._memory.FIFTH_BAND_BYTES_PER_PIXEL` each) as well.
    """
    per_px = PAIR_BYTES_PER_PIXEL
    dates = len(task.dates) if isinstance(task, SeriesTask) else 2
    if isinstance(task, SeriesTask):
        per_px += SERIES_BYTES_PER_PIXEL_PER_DATE * dates
    if task.sensor == "s2":
        per_px += CLASSIFIER_BYTES_PER_PIXEL + FIFTH_BAND_BYTES_PER_PIXEL * max(0, dates - 2)
    return int(WORKER_BASELINE_BYTES + TASK_FIXED_BYTES + math.ceil(per_px * window_px))


def memory_refusal(task: PairTask | SeriesTask, window_px: int, limit: int | None) -> str | None:
    """Why a task is not sent to workers of memory ``limit`` (None: it fits, or no limit).

    A task that needs more than a worker may hold would be killed by its nanny again
    and again; it is refused up front with what to do instead.
    """
    need = task_memory_bytes(task, window_px)
    if limit is None or need <= limit:
        return None
    what = "a series of its dates" if isinstance(task, SeriesTask) else "a pair of its dates"
    return (
        f"{task.name}: {what} needs about {math.ceil(need / MIB)} MiB on one worker (a "
        f"{window_px:,} px window), more than the workers' memory limit of "
        f"{limit // MIB} MiB; give --memory-per-worker {math.ceil(need / GIB)}GiB or more "
        "(or start the workers with more memory), or compare whole tiles in strips with "
        "--pair"
    )


def worker_memory_limit(client: Client) -> int | None:
    """The smallest memory limit among the cluster's workers (None when unlimited).

    Parameters
    ----------
    client : distributed.Client

    Returns
    -------
    int or None
        Bytes; None when no worker has a limit (or none is connected yet).
    """
    workers = client.scheduler_info(n_workers=-1).get("workers", {})
    limits = [int(w.get("memory_limit") or 0) for w in workers.values()]
    limits = [x for x in limits if x > 0]
    return min(limits) if limits else None


def monitor(
    sites: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    client: Client,
    output: OutputSettings,
    sensors: Sequence[str] = ("s2",),
    load: LoadSettings | None = None,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
    on_survey: Callable[[Survey], None] | None = None,
    object_params: ObjectParams | None = None,
) -> MonitorResult:
    """Plan, run and write every pair and series of some sites between two dates.

    Parameters
    ----------
    sites : sequence of str
        Bundled site names or site GeoJSON paths (readable by the workers).
    start, end : datetime.date
        The dates searched, both included.
    client : distributed.Client
        The cluster to run on (see :func:`open_client`).
    output : OutputSettings
        The output root and the files wanted.
    sensors : sequence of {"s1", "s2"}
    load : LoadSettings, optional
        Catalogue, cache, network and GDAL settings, sent with every task.
    on_outcome : callable, optional
        Called with each outcome, the number finished and the number planned so far.
    on_survey : callable, optional
        Called with each survey as it arrives.
    object_params : ObjectParams, optional
        The object search of every pair and series (as ``basewatch run``'s options set
        it); default :class:`~basewatch.detect.components.ObjectParams`. A complete
        folder made with other parameters is a failure (named, left as it is), not a
        result of this call.

    Returns
    -------
    MonitorResult

    Raises
    ------
    MonitorError
        A survey or a task failed, or a task's folder holds results made with other
        object parameters (not run, left as it is); everything else was written, and the
        message names each one. Calling the monitor again runs only what is missing.
    InputError
        No site, an unknown sensor or reversed dates.
    """
    if not sites:
        raise InputError("no site given; name at least one (--sites hmeimim,tartus)")
    load = load or LoadSettings()
    objects = object_params or ObjectParams()
    root = Path(output.out_dir)
    surveys_todo = [SurveyTask(s, sensor, start, end) for s in sites for sensor in sensors]
    tasks: dict[str, PairTask | SeriesTask] = {}
    surveys: list[Survey] = []
    outcomes: list[Outcome] = []
    failures: list[tuple[str, str]] = []
    clashes: list[tuple[str, str]] = []
    submitted: list[Future[Any]] = []
    planned = 0

    def report(o: Outcome) -> None:
        outcomes.append(o)
        if on_outcome is not None:
            on_outcome(o, len(outcomes), planned)

    limit = worker_memory_limit(client)
    prepare_workers(client)
    pending = as_completed()
    for st in surveys_todo:
        fut = client.submit(survey_site, st, load, key=st.key)
        submitted.append(fut)
        pending.add(fut)
    try:
        # the whole batch is planned before any task starts: a worker that finished its
        # survey would otherwise take a pair of a site surveyed earlier while another
        # worker reads the same dates for that site's series
        for fut in pending:
            if fut.status != "finished":
                failures.append((str(fut.key), _error_text(fut)))
                continue
            survey: Survey = fut.result()
            surveys.append(survey)
            if on_survey is not None:
                on_survey(survey)
        given = {(t.site, t.sensor): i for i, t in enumerate(surveys_todo)}
        surveys.sort(key=lambda s: given[s.site, s.sensor])
        batch: list[PairTask | SeriesTask] = [
            *(t for s in surveys for t in plan_series(s)),
            *(t for s in surveys for t in plan_pairs(s)),
        ]
        planned = len(batch)
        windows = {(s.site, s.sensor): s.window_px for s in surveys}
        order = submission_priorities(batch, windows)
        pending = as_completed()
        for task in batch:
            tasks[task.key] = task
            # a folder made with other object parameters is neither redone nor replaced
            clash = parameters_clash(root / task.folder, objects)
            if clash is not None:
                clashes.append((task.key, clash))
                continue
            if isinstance(task, PairTask) and is_complete(root / task.folder):
                report(_found_complete(task))
                continue
            refusal = memory_refusal(task, windows[task.site, task.sensor], limit)
            if refusal is not None:
                failures.append((task.key, refusal))
                continue
            func = run_pair if isinstance(task, PairTask) else run_series
            f = client.submit(
                func, task, load, output, objects, key=task.key, priority=order[task.key]
            )
            submitted.append(f)
            pending.add(f)
        for fut in pending:
            if fut.status != "finished":
                failures.append((str(fut.key), _error_text(fut)))
                continue
            report(fut.result())
    finally:
        # on Ctrl-C: nothing more is started for this client (running tasks finish
        # their folder or leave only a temporary one, removed by the next run)
        client.cancel(submitted)
    result_ = MonitorResult(root, tuple(surveys), tuple(outcomes), tuple(failures) + tuple(clashes))
    _write_summaries(result_, tasks)
    said = []
    if failures:
        lines = "\n".join(f"{k}: {m.splitlines()[0] if m else '?'}" for k, m in failures)
        others = len(outcomes)
        done = f"{plural(others, 'other task')} done" if others else "no task done"
        said.append(
            f"{plural(len(failures), 'task')} failed ({done}; run the same command again to "
            f"retry only the failed):\n{lines}"
        )
    if clashes:
        lines = "\n".join(f"{k}: {m}" for k, m in clashes)
        said.append(
            f"{plural(len(clashes), 'task')} not run: their folders hold results made with other "
            f"object parameters, left as they are:\n{lines}"
        )
    if said:
        raise MonitorError("\n".join(said))
    return result_


def _found_complete(task: PairTask | SeriesTask) -> Outcome:
    label = f"{task.name} {task.sensor} {task.folder.name}"
    return Outcome(
        task.key, str(task.folder), "complete", f"{label}: already complete", (), 0.0, "", 0
    )


def _error_text(fut: Future[Any]) -> str:
    try:
        exc = fut.exception()
    except Exception as err:  # the future itself was lost (cancelled, scheduler gone)
        return f"{type(err).__name__}: {err}"
    if exc is None:
        return str(fut.status)
    # an error that did not travel back whole arrives as a plain Exception of its repr
    return str(exc) if type(exc) is Exception else f"{type(exc).__name__}: {exc}"


def _pairs_csv(root: Path, pairs: Sequence[PairTask]) -> str:
    """One row per pair: dates, scenes, status and counts per event (from run.json)."""
    rows: list[dict[str, Any]] = []
    events: set[str] = set()
    for t in sorted(pairs, key=lambda t: (t.before.date, t.after.date)):
        folder = root / t.folder
        row: dict[str, Any] = {
            "before": t.before.date.isoformat(),
            "after": t.after.date.isoformat(),
            "before_scene": t.before.scene_id,
            "after_scene": t.after.scene_id,
            "orbit": "" if t.before.orbit is None else t.before.orbit,
            "folder": t.folder.name,
        }
        if (folder / "run.json").is_file():
            counts = orjson.loads((folder / "run.json").read_bytes()).get("counts", {})
            row["status"] = "done"
            row.update({k: int(v) for k, v in counts.items()})
            events |= set(counts)
        else:
            row["status"] = "unusable" if (folder / "unusable.json").is_file() else "missing"
        rows.append(row)
    head = ["before", "after", "before_scene", "after_scene", "orbit", "folder", "status"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, [*head, *sorted(events)], restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _write_summaries(result: MonitorResult, tasks: dict[str, PairTask | SeriesTask]) -> None:
    """``pairs.csv`` per site and sensor, then ``monitor.json`` (last)."""
    root = result.out_dir
    groups: dict[tuple[str, str], list[PairTask]] = {}
    for t in tasks.values():
        if isinstance(t, PairTask):
            groups.setdefault((t.name, t.sensor), []).append(t)
    for (name, sensor), pairs in groups.items():
        atomic_write_text(root / name / sensor / "pairs.csv", _pairs_csv(root, pairs))
    record = {
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "surveys": [
            {
                "site": s.name,
                "sensor": s.sensor,
                "usable": to_jsonable(s.usable),
                "unusable": [{"date": d.isoformat(), "reason": r} for d, r in s.unusable],
            }
            for s in result.surveys
        ],
        "tasks": [
            {
                "key": o.key,
                "folder": o.folder,
                "status": o.status,
                "message": o.message,
                "seconds": round(o.seconds, 3),
                "worker": o.worker,
                "peak_rss_bytes": o.peak_rss_bytes,
            }
            for o in result.outcomes
        ],
        "failures": [{"key": k, "error": m} for k, m in result.failures],
    }
    atomic_write_bytes(root / "monitor.json", dumps_json(record))
