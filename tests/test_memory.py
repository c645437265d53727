"""``basewatch detect``, ``timeline`` and ``vessels`` say before reading when a run will not
fit in memory.

The estimates (:func:`basewatch._memory.pair_bytes`, :func:`~basewatch._memory.timeline_bytes`,
:func:`~basewatch._memory.vessels_bytes`) are checked against the peaks of real runs, each
in its own process with every output:
``detect`` and ``timeline`` on the Beirut Sentinel-2 pair
(``../shared/data/s2_beirut_2015_2017``) tiled to a 4000 x 4000 px raster (a size none of
the three estimates was set on), ``vessels`` on the Durban image of ``s2_ships`` (not one the
estimate was measured on) mirrored to 2500 x 2500 px.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import rasterio
from click.testing import CliRunner

from basewatch import _memory
from basewatch.aoi import load_site
from basewatch.cli.main import main
from basewatch.errors import MemoryLimitError
from basewatch.imagery.local import raster_grid, site_window

REPO = Path(__file__).resolve().parents[1]
BEFORE = REPO / "imagery" / "beirut-port_S2L1C_20150820.tif"
AFTER = REPO / "imagery" / "beirut-port_S2L1C_20171003.tif"
PIRAEUS = REPO / "imagery" / "piraeus_S2L2A_20230818.tif"
#: Side of the tiled pair whose run is measured.
SIDE = 4000
#: Side of the mirrored image whose vessel search is measured.
VESSELS_SIDE = 2500
GIB = 2**30


def _refused_then_run(
    args: list[str], need: int, monkeypatch: pytest.MonkeyPatch, *, says: list[str], writes: Path
) -> None:
    """With a little less memory available than ``need``, the command ``args`` stops with
    exit 2 before writing anything, its message holding ``says``; with
    ``--no-memory-check`` it runs and writes ``writes``."""
    monkeypatch.setattr(_memory, "available_bytes", lambda: need - 2**20)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    for fragment in [f"needs about {need / GIB:.1f} GiB", "--no-memory-check", *says]:
        assert fragment in message, message
    assert not writes.parent.exists(), "nothing is written for a refused run"
    # told to start anyway, it runs: the estimate was not the run's to stop
    result = CliRunner().invoke(main, ["-q", *args, "--no-memory-check"])
    assert result.exit_code == 0, result.output
    assert writes.is_file()


def test_detect_refuses_a_pair_that_cannot_fit_before_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = site_window(load_site("beirut-port"), raster_grid(BEFORE))
    out = tmp_path / "out"
    files = ["--before", str(BEFORE), "--after", str(AFTER)]
    _refused_then_run(
        ["detect", "--site", "beirut-port", *files, "--out", str(out), "--no-png"],
        _memory.pair_bytes(int(window.width * window.height)),
        monkeypatch,
        says=[f"{window.width} x {window.height} px window", "basewatch monitor --pair"],
        writes=out / "run.json",
    )


def test_vessels_refuses_an_image_that_cannot_fit_before_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with rasterio.open(PIRAEUS) as image:
        width, height = image.width, image.height
    out = tmp_path / "out"
    _refused_then_run(
        ["vessels", str(PIRAEUS), "--out", str(out)],
        _memory.vessels_bytes(width * height),
        monkeypatch,
        says=[f"whole {width} x {height} px image {PIRAEUS.name}", "gdal_translate"],
        writes=out / "vessels.geojson",
    )


def test_timeline_refuses_dates_that_cannot_fit_before_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rasters = sorted((REPO / "imagery").glob("beirut-airport_S2L1C_*.tif"))
    window = site_window(load_site("beirut-airport"), raster_grid(rasters[0]))
    out = tmp_path / "out"
    over = f"{window.width} x {window.height} px window over {len(rasters)} dates"
    _refused_then_run(
        ["timeline", "--site", "beirut-airport", *map(str, rasters), "--out", str(out), "--no-png"],
        _memory.timeline_bytes(int(window.width * window.height), len(rasters)),
        monkeypatch,
        says=[over, "fewer dates"],
        writes=out / "timeline.json",
    )


def test_check_fits_names_both_figures_and_is_a_memory_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_memory, "available_bytes", lambda: 3 * GIB)
    _memory.check_fits(3 * GIB, what="a run", instead="Do less.")  # exactly fits
    with pytest.raises(MemoryError) as info:
        _memory.check_fits(5 * GIB, what="a run", instead="Do less.")
    assert isinstance(info.value, MemoryLimitError)
    assert "a run needs about 5.0 GiB" in str(info.value)
    assert "3.0 GiB available" in str(info.value) and str(info.value).endswith("Do less.")
    # a system that does not say how much it has is not refused anything
    monkeypatch.setattr(_memory, "available_bytes", lambda: None)
    _memory.check_fits(10**15, what="a run", instead="Do less.")


def test_cgroup_limits_leave_room_for_the_page_cache(tmp_path: Path) -> None:
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "memory.max").write_text(f"{8 * GIB}\n")
    (v2 / "memory.current").write_text(f"{6 * GIB}\n")
    (v2 / "memory.stat").write_text(f"anon 123\ninactive_file {GIB}\nactive_file 7\n")
    assert _memory._room_in(v2, "memory.max", "memory.current", "inactive_file") == 3 * GIB
    (v2 / "memory.max").write_text("max\n")
    assert _memory._room_in(v2, "memory.max", "memory.current", "inactive_file") == -1
    v1 = tmp_path / "v1"
    v1.mkdir()
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")  # v1's "no limit"
    (v1 / "memory.usage_in_bytes").write_text(f"{GIB}\n")
    files = ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
    assert _memory._room_in(v1, *files) == -1
    (v1 / "memory.limit_in_bytes").write_text(f"{2 * GIB}\n")  # over it: no room, not less
    (v1 / "memory.usage_in_bytes").write_text(f"{3 * GIB}\n")
    assert _memory._room_in(v1, *files) == 0
    assert _memory._room_in(tmp_path / "missing", *files) is None


@pytest.mark.skipif(not Path("/proc/meminfo").is_file(), reason="Linux's /proc/meminfo only")
def test_available_memory_is_what_the_system_reports() -> None:
    psutil = pytest.importorskip("psutil")
    ours = _memory._meminfo_available()
    theirs = psutil.virtual_memory().available + psutil.swap_memory().free
    assert ours is not None and abs(ours - theirs) <= 0.05 * theirs
    available = _memory.available_bytes()
    assert available is not None and 0 < available <= ours


def _benchmark(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiling() -> Any:
    return _benchmark("tiled_pair")


def _measuring() -> Any:
    """``benchmarks/memory_peaks.py``: a command's own peak, whatever its parent's size."""
    return _benchmark("memory_peaks")


@pytest.fixture(scope="module")
def tiled(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The Beirut pair tiled to :data:`SIDE` px, a site covering it: before, after, site."""
    tiling = _tiling()
    tiling.__dict__["SOURCE"] = shared_data / "s2_beirut_2015_2017"
    before, after, site = tiling.write_pair(SIDE, tmp_path_factory.mktemp("tiles"))
    window = site_window(load_site(str(site)), raster_grid(before))
    assert (window.width, window.height) == (SIDE, SIDE), "the site covers the whole raster"
    return before, after, site


def _covers(args: list[str], need: int, log: Path) -> None:
    """The command ``args``, run in a process of its own, peaks under ``need`` bytes, and
    ``need`` is under twice that peak: an estimate, not a multiple of the run (a refusal
    would then stop runs that fit)."""
    measuring = _measuring()
    peak, _ = measuring.peak_of([*measuring.CLI, *args], log)
    assert peak <= need, f"{args[0]} peaked at {peak / GIB:.2f} GiB, estimated {need / GIB:.2f}"
    assert need <= 2 * peak, f"estimated {need / GIB:.2f} GiB for a {peak / GIB:.2f} GiB run"


#: Only where the command can report its own peak.
needs_proc = pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="peaks read from /proc"
)


@pytest.mark.slow
@needs_proc
def test_the_estimate_covers_a_real_detect_run(
    tiled: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    before, after, site = tiled
    args = ["detect", "--site", str(site), "--before", str(before), "--after", str(after)]
    args += ["--out", str(tmp_path / "run")]
    _covers(args, _memory.pair_bytes(SIDE * SIDE), tmp_path / "d.log")


@pytest.mark.slow
@needs_proc
def test_the_estimate_covers_a_real_timeline_run(
    tiled: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    before, after, site = tiled
    args = ["timeline", "--site", str(site), str(before), str(after)]
    args += ["--out", str(tmp_path / "run")]
    _covers(args, _memory.timeline_bytes(SIDE * SIDE, 2), tmp_path / "t.log")


@pytest.mark.slow
@needs_proc
def test_the_estimate_covers_a_real_vessels_run(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "s2_ships" / "durban_S2L2A_20230821_B02-B03-B04-B08-B11.tif"
    image = _tiling().write_mirrored(source, VESSELS_SIDE, tmp_path / source.name)
    args = ["vessels", str(image), "--out", str(tmp_path / "run")]
    _covers(args, _memory.vessels_bytes(VESSELS_SIDE * VESSELS_SIDE), tmp_path / "v.log")
