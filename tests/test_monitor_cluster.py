"""The local cluster of ``basewatch monitor``: each worker's threads are its share of the cores."""

from __future__ import annotations

import os

import pytest

from basewatch.scale.monitor import (
    WORKER_THREAD_VARIABLES,
    machine_cores,
    open_client,
    worker_environment,
)


@pytest.mark.parametrize(
    ("workers", "cores", "share"), [(1, 2, 2), (2, 2, 1), (3, 2, 1), (2, 16, 8)]
)
def test_each_worker_gets_its_share_of_the_cores(workers: int, cores: int, share: int) -> None:
    env = worker_environment(workers, cores)
    assert set(env) == set(WORKER_THREAD_VARIABLES)
    assert all(v == str(share) for v in env.values())
    assert share * workers <= max(cores, workers)  # never more threads than cores


def _threads() -> tuple[str | None, str | None, int]:
    import numba

    count: int = numba.get_num_threads()
    return (
        os.environ.get("NUMBA_NUM_THREADS"),
        os.environ.get("GDAL_NUM_THREADS"),
        count,
    )


def test_local_workers_start_with_their_share_of_numba_and_gdal_threads() -> None:
    workers = 2
    share = max(1, machine_cores() // workers)
    with open_client(workers=workers) as client:
        seen = client.run(_threads)
    assert len(seen) == workers
    assert all(s == (str(share), str(share), share) for s in seen.values()), seen
