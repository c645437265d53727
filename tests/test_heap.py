"""Image-sized arrays on the heap during a detection: freed pages are reused inside the
window and given back to the system when it closes (glibc only)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from basewatch import _heap

pytestmark = pytest.mark.skipif(
    _heap._glibc() is None, reason="glibc's mallopt is not available on this C library"
)

#: Bytes of the test array: far above glibc's largest mmap threshold (32 MiB).
SIZE = 256 * 2**20
PAGE = 4096


def _rss() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE


def test_freed_arrays_stay_for_reuse_inside_and_go_back_after() -> None:
    start = _rss()
    with _heap.heap_for_arrays():
        a = np.ones(SIZE, dtype=np.uint8)
        del a
        kept = _rss()  # on the heap: freed, not unmapped
        b = np.ones(SIZE, dtype=np.uint8)  # the same pages again
        again = _rss()
        del b
    after = _rss()
    assert kept - start > SIZE // 2, "the freed array went back to the system at once"
    assert again - kept < SIZE // 4, "the second array took fresh pages"
    assert after - start < SIZE // 4, "the pages were not given back when the window closed"


def test_numpys_huge_page_advice_is_off_inside_and_restored_after() -> None:
    before = _heap._set_numpy_hugepage(True)
    try:
        with _heap.heap_for_arrays():
            assert _heap._set_numpy_hugepage(False) is False
        assert _heap._set_numpy_hugepage(True) is True
    finally:
        if before is not None:
            _heap._set_numpy_hugepage(before)


def test_nested_and_concurrent_windows_close_once_the_last_ends() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with _heap.heap_for_arrays():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(10)
    with _heap.heap_for_arrays(), _heap.heap_for_arrays():
        assert _heap._depth == 3
    assert _heap._depth == 1  # the other thread's window is still open
    leave.set()
    t.join()
    assert _heap._depth == 0


def test_on_heap_keeps_the_function_and_its_result() -> None:
    @_heap.on_heap
    def total(x: np.ndarray, *, k: int) -> float:
        """Doc."""
        assert _heap._depth >= 1
        return float(x.sum()) * k

    assert total(np.arange(4.0), k=2) == 12.0
    assert total.__doc__ == "Doc." and total.__name__ == "total"


def _minor_faults() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def test_after_the_window_tile_sized_buffers_are_reused_not_mapped_afresh() -> None:
    # GDAL allocates and frees a buffer of a few hundred KiB per tile; after a window
    # (any mallopt ends glibc's own threshold adjustment) each was a fresh mapping
    with _heap.heap_for_arrays():
        pass
    block = 512 * 1024
    rounds = 200
    start = _minor_faults()
    for _ in range(rounds):
        np.ones(block, dtype=np.uint8)
    faults = _minor_faults() - start
    fresh = rounds * block // PAGE  # every page of every buffer faulted in again
    assert faults < fresh // 10, f"{faults} page faults for {rounds} reused buffers"
