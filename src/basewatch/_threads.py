"""How many cores one call of ours may keep busy in this process.

A command or a notebook has the machine to itself: its thread pools (the COG writer
beside the vectors, co-registration's fill sums in blocks of rows, the shape
features in chunks) and numba's kernels use every core. A ``basewatch monitor`` worker
shares the machine with the others: its local cluster sets :data:`SHARE_VARIABLE` in
each worker's environment to that worker's share of the cores
(:func:`basewatch.scale.monitor.worker_environment`), and a worker given one core runs
each of those steps on its own thread, one after the other. Two workers of one core
each that also started their second threads kept two cores busy with four threads: a
site's pair task ran 18-36 % longer beside another than alone, against 0-5 % with every
step on the task's thread (``benchmarks/README.md``, "workers of one core on one
thread").

Reads over the network are not held to the share: their threads mostly wait for the
server (:meth:`basewatch.imagery.loader.TileLoader.read_bands`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["SHARE_VARIABLE", "machine_cores", "pool", "thread_share"]

#: The environment variable of this process's share of the cores (a whole number of
#: threads; unset: every core of the machine).
SHARE_VARIABLE = "BASEWATCH_THREADS"

_P = ParamSpec("_P")
_T = TypeVar("_T")


def machine_cores() -> int:
    """The CPU cores this process may run on (its affinity where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def thread_share() -> int:
    """Threads of ours that may compute at once: :data:`SHARE_VARIABLE` where it is a
    whole number of at least 1, else :func:`machine_cores`."""
    share = os.environ.get(SHARE_VARIABLE, "").strip()
    if share.isdigit() and int(share) >= 1:
        return int(share)
    return machine_cores()


class _Inline(Executor):
    """An executor that runs each call at once on the calling thread."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        done: Future[_T] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller by .result(), as a pool does
            done.set_exception(exc)
        return done


def pool(threads: int, *, name: str = "basewatch") -> Executor:
    """An executor of ``threads`` threads for work beside the calling thread, or, where
    this process's share of the cores is one, one that runs each call on the calling
    thread as it is submitted.

    Parameters
    ----------
    threads : int
        Threads of the pool.
    name : str, optional
        Prefix of the threads' names.

    Returns
    -------
    concurrent.futures.Executor
        Use it as a context manager, as a ``ThreadPoolExecutor``.
    """
    if thread_share() <= 1:
        return _Inline()
    executor: Executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
    return executor
