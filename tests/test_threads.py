"""A process's share of the cores holds basewatch's own thread pools (``basewatch._threads``)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from basewatch import _threads, detect_pair, load_site, read_local_pair, sample_pair, write_run


def test_a_share_of_one_core_runs_pool_work_on_the_calling_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(_threads.SHARE_VARIABLE, "1")
    assert _threads.thread_share() == 1
    with _threads.pool(2) as pool:
        where = pool.submit(threading.get_ident)
        # run as submitted, not when the result is asked for
        assert where.done()
        assert where.result() == threading.get_ident()
        assert list(pool.map(lambda x: x * 2, range(4))) == [0, 2, 4, 6]
        failed = pool.submit(int, "not a number")
    with pytest.raises(ValueError, match="not a number"):
        failed.result()


def test_a_share_of_two_cores_runs_pool_work_beside_the_calling_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(_threads.SHARE_VARIABLE, "2")
    with _threads.pool(1) as pool:
        assert pool.submit(threading.get_ident).result() != threading.get_ident()


@pytest.mark.parametrize("value", ["", "0", "-1", "two", "1.5"])
def test_no_usable_share_means_every_core(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(_threads.SHARE_VARIABLE, value)
    assert _threads.thread_share() == _threads.machine_cores() >= 1


def test_a_run_on_one_core_writes_what_a_run_on_every_core_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled port pair read, co-registered, detected and written with its thread
    pools on the calling thread (a worker's share of one core) and beside it: the same
    scenes, detections and files (the run record's times aside)."""
    site = load_site("beirut-port")
    made = {}
    for share in ("1", "2"):
        monkeypatch.setenv(_threads.SHARE_VARIABLE, share)
        before, after = read_local_pair(site, *sample_pair("beirut-port"))
        result = detect_pair(site, before, after)
        write_run(result, tmp_path / share)
        made[share] = (after, result)
    (after1, one), (after2, two) = made["1"], made["2"]
    assert after1.shift_px == after2.shift_px
    assert np.array_equal(after1.data, after2.data, equal_nan=True)
    assert np.array_equal(after1.valid, after2.valid)
    assert one.detections == two.detections and one.detections
    files = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "2").iterdir())
    assert any(f.endswith(".tif") for f in files)
    for name in files:
        if name == "detections.gpkg":  # holds when it was written: its features
            from pyogrio.raw import read

            _, _, shapes1, fields1 = read(tmp_path / "1" / name, layer="detections")
            _, _, shapes2, fields2 = read(tmp_path / "2" / name, layer="detections")
            assert list(shapes1) == list(shapes2) and len(shapes1)  # outlines (WKB)
            assert all(np.array_equal(a, b) for a, b in zip(fields1, fields2, strict=True))
        elif name != "run.json":
            same = (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
            assert same, name
