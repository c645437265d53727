"""The cycle collector is paused inside a detection and a run folder's writing, and
comes back as it was: nested windows, windows on two threads, a window that raises."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from basewatch import _gc, detect_pair, load_site, read_local_pair, sample_pair, write_run
from basewatch._gc import collector_paused, without_collection


def test_windows_nest_and_restore_the_collectors_state() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer window is still open
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_a_window_that_raises_still_restores_the_collector() -> None:
    @without_collection
    def fails() -> None:
        assert not gc.isenabled()
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        fails()
    assert gc.isenabled()


def test_windows_on_two_threads_keep_it_off_until_both_close() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(timeout=10)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's window is still open
    release.set()
    thread.join(timeout=10)
    assert gc.isenabled()


def test_a_detection_and_its_run_folder_run_without_collector_passes(tmp_path: Path) -> None:
    # without the windows the port pair's detection and run folder take 189 passes;
    # with them, one pass follows each window's end (the objects it made, walked once)
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    site = load_site("beirut-port")
    before, after = read_local_pair(site, *sample_pair("beirut-port"))
    gc.callbacks.append(count)
    try:
        result = detect_pair(site, before, after)
        write_run(result, tmp_path / "run", png=False)
    finally:
        gc.callbacks.remove(count)
    assert result.detections and (tmp_path / "run" / "run.json").is_file()
    assert len(passes) <= 4, f"{len(passes)} collector passes"
    assert gc.isenabled() and _gc._open == 0
