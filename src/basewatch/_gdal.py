"""How many threads GDAL may use for one read or write of ours.

``basewatch monitor`` gives each worker process its share of the cores through
``GDAL_NUM_THREADS`` in the worker's environment
(:data:`basewatch.scale.monitor.WORKER_THREAD_VARIABLES`). Where a read or a write
names its thread count explicitly (a config option, a creation option), it takes that
share from the environment, so an explicit option never overrides a worker's budget;
elsewhere (a command, a notebook) it uses every core.
"""

from __future__ import annotations

import os

__all__ = ["ALL_CORES", "GDAL_THREADS_VARIABLE", "gdal_threads"]

#: The environment variable (and GDAL config option) of GDAL's thread count.
GDAL_THREADS_VARIABLE = "GDAL_NUM_THREADS"
#: GDAL's value for "every core", used where the environment sets no share.
ALL_CORES = "ALL_CPUS"


def gdal_threads() -> str:
    """``GDAL_NUM_THREADS`` from the environment where set, else :data:`ALL_CORES`."""
    return os.environ.get(GDAL_THREADS_VARIABLE) or ALL_CORES
