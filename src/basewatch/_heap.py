"""Large working arrays from the heap during a detection, not fresh pages each time.

glibc hands every allocation above a threshold (128 KiB, rising to at most 32 MiB) to
the kernel as new pages (``mmap``) and gives them back when freed (``munmap``). The
pipeline makes dozens of image-sized temporaries per date; each is then a fresh
mapping that the kernel must fault in and zero page by page, and on a virtual machine
that costs more than the arithmetic: a profile of ``detect_pair`` on a 5490 px pair put
a third of its time in the kernel's page clearing, and the pair ran in 17 s against
8 s with the arrays kept on the heap (:func:`heap_for_arrays`).

Inside :func:`heap_for_arrays`, glibc is told to serve every size from its heap
(``M_MMAP_MAX`` 0) and to keep all freed memory for the next array (``M_TRIM_THRESHOLD``
-1: no trimming), so a temporary reuses the pages the previous one left. A bounded
threshold (2 GiB, the largest positive value) was not enough for a whole tile: the
dates of a 10980 px pair free more than that at once, glibc gave it back, and the next
arrays faulted it in again (1.75 M page faults against 1.31 M, ``detect_pair`` 67 s
against 56 s).

On leaving, the count of mappings comes back (the environment's ``MALLOC_MMAP_MAX_``,
else glibc's default), and the mmap and trim thresholds are set where glibc's own
adjustment takes them after a large free (32 MiB and 64 MiB on 64-bit systems), unless
the environment sets them (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``):
the first ``mallopt`` stops that adjustment for the rest of the process, and glibc's
starting values (128 KiB) would make every later allocation of a few hundred KiB a
fresh mapping (GDAL's tile buffers: a run folder's 10980 px scene COG written after a
detection took 12.5 s and 5.5 M page faults, against 6.6 s and 0.15 M in a fresh
process). ``malloc_trim`` then returns the freed pages to the system: the process keeps
no more memory after a detection than before it. Peak memory is the same within a few
per cent (the arrays are the same; only where they live changes). The heap keeps the
address range it grew to: a large array allocated later outside a window may take
pages from it rather than a mapping of its own, and those are given back at the next
window's end rather than when it is freed.

Inside the window numpy is also told not to ask the kernel for transparent huge pages
(its default for arrays of 4 MiB and more): on a machine whose free memory is
scattered (a virtual machine with a busy page cache), the first touch of a huge page
waits for the kernel to compact memory. A 1.9 GB array took 5.5 s to fill the first
time in a process with huge pages, 1.1 s without; ``detect_pair`` on the 5490 px pair
ran its first call in 9 s instead of 12-15 s.

The settings are the process's own: nested and concurrent detections (threads) share
one window, kept open while any is running. Elsewhere than glibc (macOS, Windows,
musl) this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

__all__ = ["heap_for_arrays", "on_heap"]

#: ``mallopt`` parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_M_MMAP_THRESHOLD = -3
#: glibc's default count of mappings, restored when the environment sets none.
_DEFAULT_MMAP_MAX = 65536
#: The mmap threshold after the window where the environment sets none: the ceiling
#: glibc's own adjustment reaches (32 MiB on 64-bit systems).
_AFTER_MMAP_THRESHOLD = 4 * 1024 * 1024 * ctypes.sizeof(ctypes.c_long)
#: The trim threshold after the window, where the environment sets none: twice the
#: mmap threshold, as glibc's adjustment keeps it.
_AFTER_TRIM_THRESHOLD = 2 * _AFTER_MMAP_THRESHOLD
#: ``M_TRIM_THRESHOLD`` inside the window: -1 keeps every freed page for reuse (glibc
#: never trims the heap; the window's end gives them back with ``malloc_trim``).
_KEEP_BYTES = -1

_lock = threading.Lock()
_depth = 0
#: numpy's huge-page advice before the window opened (None: not changed).
_hugepage_before: bool | None = None

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _glibc() -> Any | None:
    """glibc's ``mallopt`` and ``malloc_trim``, or None on other C libraries."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.mallopt.restype = ctypes.c_int
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        libc.gnu_get_libc_version.restype = ctypes.c_char_p
        libc.gnu_get_libc_version()
    except (OSError, AttributeError):
        return None
    return libc


def _set_numpy_hugepage(enabled: bool) -> bool | None:
    """Turn numpy's huge-page advice on or off; its previous state (None where this
    numpy has no such switch)."""
    try:
        from numpy._core import multiarray
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core import multiarray  # type: ignore[no-redef]
    switch = getattr(multiarray, "_set_madvise_hugepage", None)
    return None if switch is None else bool(switch(enabled))


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ[name])
    except (KeyError, ValueError):
        return default


@contextlib.contextmanager
def heap_for_arrays() -> Iterator[None]:
    """Serve large allocations from the heap and reuse them while the block runs.

    Yields
    ------
    None
    """
    global _depth, _hugepage_before
    libc = _glibc()
    if libc is None:
        yield
        return
    with _lock:
        _depth += 1
        if _depth == 1:
            libc.mallopt(_M_MMAP_MAX, 0)
            libc.mallopt(_M_TRIM_THRESHOLD, _KEEP_BYTES)
            _hugepage_before = _set_numpy_hugepage(False)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                libc.mallopt(_M_MMAP_MAX, _env_int("MALLOC_MMAP_MAX_", _DEFAULT_MMAP_MAX))
                libc.mallopt(
                    _M_MMAP_THRESHOLD,
                    _env_int("MALLOC_MMAP_THRESHOLD_", _AFTER_MMAP_THRESHOLD),
                )
                libc.mallopt(
                    _M_TRIM_THRESHOLD,
                    _env_int("MALLOC_TRIM_THRESHOLD_", _AFTER_TRIM_THRESHOLD),
                )
                libc.malloc_trim(0)
                if _hugepage_before is not None:
                    _set_numpy_hugepage(_hugepage_before)
                    _hugepage_before = None


def on_heap(func: F) -> F:
    """``func`` run inside :func:`heap_for_arrays`."""
    # a contextmanager is also a decorator: a fresh window for every call
    return heap_for_arrays()(func)
