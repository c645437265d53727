"""The local cluster of ``basewatch monitor``: each worker's threads are its share of the cores."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from basewatch.errors import InputError
from basewatch.scale.monitor import (
    TASK_FIXED_BYTES,
    WORKER_THREAD_VARIABLES,
    machine_cores,
    memory_refusal,
    open_client,
    task_memory_bytes,
    worker_environment,
    worker_memory_limit,
)
from basewatch.scale.pair import WORKER_BASELINE_BYTES
from basewatch.scale.plan import PairTask, SceneDate, SeriesTask, Survey, plan_pairs, plan_series


@pytest.mark.parametrize(
    ("workers", "cores", "share"), [(1, 2, 2), (2, 2, 1), (3, 2, 1), (2, 16, 8)]
)
def test_each_worker_gets_its_share_of_the_cores(workers: int, cores: int, share: int) -> None:
    env = worker_environment(workers, cores)
    assert set(env) == set(WORKER_THREAD_VARIABLES)
    assert all(v == str(share) for v in env.values())
    assert share * workers <= max(cores, workers)  # never more threads than cores


def test_threads_per_worker_replaces_the_share_and_is_checked() -> None:
    assert set(worker_environment(1, 16, threads=3).values()) == {"3"}
    with pytest.raises(InputError, match="threads-per-worker must be at least 1"):
        worker_environment(2, 2, threads=0)


def _seen_by_a_task() -> tuple[str | None, str | None, int, bool, bool]:
    """What a task sees on its worker after the tasks' own thread sizing: the share and
    GDAL's threads in its environment, numba's threads, whether basewatch's thread
    pools run beside the task's thread, and whether dask's profiler samples it."""
    import threading

    import dask
    import numba

    from basewatch import _threads
    from basewatch.scale.tasks import _share_threads

    _share_threads()
    count: int = numba.get_num_threads()
    with _threads.pool(1) as pool:
        beside = pool.submit(threading.get_ident).result() != threading.get_ident()
    env = os.environ.get(_threads.SHARE_VARIABLE), os.environ.get("GDAL_NUM_THREADS")
    profiled = bool(dask.config.get("distributed.worker.profile.enabled"))
    return (*env, count, beside, profiled)


def test_local_workers_run_tasks_with_their_share_of_numba_and_gdal_threads() -> None:
    workers = 2
    share = max(1, machine_cores() // workers)
    with open_client(workers=workers) as client:
        addresses = list(client.scheduler_info()["workers"])
        seen = [client.submit(_seen_by_a_task, workers=[a], pure=False).result() for a in addresses]
    assert len(seen) == workers
    # and no statistical profiler: a local cluster has no dashboard to show it
    assert all(s == (str(share), str(share), share, share > 1, False) for s in seen), seen
    with open_client(workers=1, threads_per_worker=1) as client:
        assert client.submit(_seen_by_a_task, pure=False).result() == ("1", "1", 1, False, False)


#: An array above what glibc's per-thread arenas hold (64 MiB).
LARGE_ARRAY = 128 * 2**20
PAGE = 4096


def _faults_of_a_second_large_array() -> int:
    """Page faults of an array made again after the same-sized one was freed, on the
    worker thread a task runs on, inside the pipeline's heap window."""
    import resource

    import numpy as np

    from basewatch._heap import heap_for_arrays

    with heap_for_arrays():
        first = np.ones(LARGE_ARRAY, dtype=np.uint8)
        del first
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        second = np.ones(LARGE_ARRAY, dtype=np.uint8)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
        del second
    return int(faults)


def test_a_tasks_large_arrays_come_from_the_heap_and_are_reused() -> None:
    # one malloc arena in local workers: on a thread arena the second array would be a
    # fresh mapping, one fault per page (32768 here)
    with open_client(workers=1, threads_per_worker=1) as client:
        faults = client.submit(_faults_of_a_second_large_array, pure=False).result()
    assert faults < LARGE_ARRAY // PAGE // 8, faults


# ---------------------------------------------------------------------------------------
# --memory-per-worker bounds every task, not only --pair strips

#: A site window of a whole Sentinel-2 tile (10980 x 10980 px).
TILE_PX = 10980 * 10980
#: The Beirut airport window of the monitor tests (307 x 360 px).
SITE_PX = 307 * 360


def _tasks(n_dates: int) -> tuple[PairTask, SeriesTask]:
    first = dt.date(2024, 11, 5)
    dates = tuple(SceneDate(first + dt.timedelta(days=5 * i), f"s{i}") for i in range(n_dates))
    survey = Survey("hmeimim", "hmeimim", "s2", dates)
    return plan_pairs(survey)[0], plan_series(survey)[0]


def test_a_task_grows_with_its_window_and_a_series_with_its_dates() -> None:
    pair, series = _tasks(5)
    _, longer = _tasks(9)
    fixed = WORKER_BASELINE_BYTES + TASK_FIXED_BYTES
    assert task_memory_bytes(pair, SITE_PX) > fixed
    assert task_memory_bytes(pair, TILE_PX) - fixed == pytest.approx(
        (task_memory_bytes(pair, SITE_PX) - fixed) * TILE_PX / SITE_PX, rel=1e-3
    )
    assert task_memory_bytes(pair, SITE_PX) < task_memory_bytes(series, SITE_PX)
    assert task_memory_bytes(series, SITE_PX) < task_memory_bytes(longer, SITE_PX)


def test_a_task_that_does_not_fit_a_worker_is_refused_with_what_to_give() -> None:
    pair, series = _tasks(5)
    limit = 4 * 2**30
    assert memory_refusal(pair, SITE_PX, limit) is None
    assert memory_refusal(series, SITE_PX, limit) is None
    assert memory_refusal(pair, TILE_PX, None) is None  # no limit: nothing to check
    message = memory_refusal(pair, TILE_PX, limit)
    assert message is not None
    need_gib = -(-task_memory_bytes(pair, TILE_PX) // 2**30)
    assert f"--memory-per-worker {need_gib}GiB" in message and "--pair" in message
    assert "4096 MiB" in message and "hmeimim" in message
    # the GiB it names is enough
    assert memory_refusal(pair, TILE_PX, need_gib * 2**30) is None


def test_the_workers_memory_limit_is_read_from_the_cluster() -> None:
    with open_client(workers=1, memory_per_worker="1536MiB") as client:
        assert worker_memory_limit(client) == 1536 * 2**20


def test_workers_import_what_tasks_need_before_a_task_or_the_cluster_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from distributed import Client

    from basewatch.scale import monitor as monitor_module

    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as c:
        monitor_module.prepare_workers(c)
        plugins = c.run(lambda dask_worker: sorted(dask_worker.plugins))
        assert all("basewatch-preload" in names for names in plugins.values()), plugins
        # the worker imports each module of the list: one it cannot import refuses the
        # cluster before any task, saying what to install
        missing = "basewatch_no_such_module"
        monkeypatch.setattr(
            monitor_module, "WORKER_PRELOAD", (*monitor_module.WORKER_PRELOAD, missing)
        )
        with pytest.raises(InputError, match=f"cannot import {missing}.*install basewatch"):
            monitor_module.prepare_workers(c)
