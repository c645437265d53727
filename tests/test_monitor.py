"""basewatch monitor on real clusters: a local one, and scheduler and workers as processes.

The imagery is the real Beirut Sentinel-2 pair served over HTTP by ``rustac serve``
and the Range-honouring file server of the tile-loader tests (:mod:`monitor_world`):
three dates five days apart, two sites, so four pairs and two series.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from distributed import Client

from basewatch.imagery.catalog import HttpOptions
from basewatch.scale.monitor import monitor, open_client, submission_priorities
from basewatch.scale.plan import (
    LoadSettings,
    OutputSettings,
    SceneDate,
    Survey,
    plan_pairs,
    plan_series,
)
from basewatch.scale.tasks import COMPLETE_MARKERS, Outcome, is_complete
from monitor_world import SITES, MonitorWorld, build_monitor_world
from stac_server import end_process

pytestmark = pytest.mark.slow

FAST = HttpOptions(timeout_s=10.0, retries=2, backoff_s=0.1)
N_DATES = 3
#: Pairs and series of the world: (dates - 1) pairs and one series per site.
N_TASKS = len(SITES) * N_DATES
#: Fields of a run record that differ between two runs of the same pair.
RUN_TIMES = ("started", "finished", "outputs")
#: Seconds a test waits for a cluster process or a command.
WAIT_S = 240


# ---------------------------------------------------------------------------------------
# planning (pure)


def _day(d: int) -> dt.date:
    return dt.date(2024, 12, d)


def test_radar_pairs_stay_on_one_relative_orbit() -> None:
    dates = (
        SceneDate(_day(5), "a5", 87),
        SceneDate(_day(6), "d6", 94),
        SceneDate(_day(17), "a17", 87),
        SceneDate(_day(18), "d18", 94),
        SceneDate(_day(29), "a29", 87),
    )
    survey = Survey("tartus", "tartus", "s1", dates)
    pairs = plan_pairs(survey)
    assert [(p.before.scene_id, p.after.scene_id) for p in pairs] == [
        ("a5", "a17"),
        ("d6", "d18"),
        ("a17", "a29"),
    ]
    series = plan_series(survey)
    assert [(s.orbit, [d.scene_id for d in s.dates]) for s in series] == [
        (87, ["a5", "a17", "a29"]),
        (94, ["d6", "d18"]),
    ]
    assert [str(s.folder) for s in series] == [
        "tartus/s1/series-orbit087",
        "tartus/s1/series-orbit094",
    ]
    keys = [t.key for t in (*pairs, *series)]
    assert len(set(keys)) == len(keys)


def test_optical_pairs_are_consecutive_dates_and_a_lone_date_has_no_series() -> None:
    survey = Survey("hmeimim", "hmeimim", "s2", (SceneDate(_day(15), "b"), SceneDate(_day(1), "a")))
    (pair,) = plan_pairs(survey)
    assert (pair.before.scene_id, pair.after.scene_id) == ("a", "b")
    assert str(pair.folder) == "hmeimim/s2/pairs/2024-12-01_2024-12-15"
    alone = Survey("hmeimim", "hmeimim", "s2", (SceneDate(_day(1), "a"),))
    assert plan_pairs(alone) == () and plan_series(alone) == ()


def test_series_start_first_longest_first_and_pairs_follow_the_series_that_ends_first() -> None:
    dates = tuple(SceneDate(_day(d), f"s{d}") for d in (1, 6, 11, 16))
    small = Survey("tartus", "tartus", "s2", dates, window_px=40_000)
    large = Survey("hmeimim", "hmeimim", "s2", dates[:3], window_px=300_000)
    batch = [
        *plan_series(small),
        *plan_series(large),
        *plan_pairs(small),
        *plan_pairs(large),
    ]
    windows = {("tartus", "s2"): 40_000, ("hmeimim", "s2"): 300_000}
    order = submission_priorities(batch, windows)
    assert set(order) == {t.key for t in batch}
    run_first = sorted(batch, key=lambda t: -order[t.key])
    kinds = [(type(t).__name__, t.site) for t in run_first]
    # the larger window's series (3 dates x 300,000 px) before the smaller one (4 x
    # 40,000), then the pairs of the site whose series ends first
    assert kinds == [
        ("SeriesTask", "hmeimim"),
        ("SeriesTask", "tartus"),
        *[("PairTask", "tartus")] * 3,
        *[("PairTask", "hmeimim")] * 2,
    ]


# ---------------------------------------------------------------------------------------
# the world and a reference run on a local cluster


@pytest.fixture(scope="module")
def world(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MonitorWorld]:
    w = build_monitor_world(shared_data, tmp_path_factory.mktemp("mworld"), n_dates=N_DATES)
    yield w
    w.stop()


def _load(world: MonitorWorld, cache: Path) -> LoadSettings:
    return LoadSettings(catalog=world.catalog, cache_dir=str(cache), http=FAST)


def _run_record(folder: Path) -> dict[str, Any]:
    doc = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return {k: v for k, v in doc.items() if k not in RUN_TIMES}


def _results(root: Path) -> dict[str, tuple[dict[str, Any], bytes]]:
    """Each pair folder's run record (without times) and detections, by folder."""
    return {
        str(p.parent.relative_to(root)): (
            _run_record(p.parent),
            (p.parent / "detections.geojson").read_bytes(),
        )
        for p in sorted(root.glob("*/*/pairs/*/run.json"))
    }


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


@pytest.fixture(scope="module")
def reference(world: MonitorWorld, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch on a local cluster of two workers, with the default outputs."""
    out = tmp_path_factory.mktemp("reference")
    with open_client(workers=2) as client:
        result = monitor(
            SITES,
            world.dates[0],
            world.dates[-1],
            client=client,
            output=OutputSettings(str(out / "monitor")),
            load=_load(world, out / "cache"),
        )
    assert result.failures == ()
    assert result.by_status() == {"done": N_TASKS}
    return out / "monitor"


def _run_args(world: MonitorWorld, site: str, cache: Path, out: Path) -> list[str]:
    """``basewatch run`` of the world's first two dates, as the monitor runs that pair."""
    return [
        "run",
        "--site",
        site,
        "--before",
        str(world.dates[0]),
        "--after",
        str(world.dates[1]),
        "--catalog",
        world.catalog,
        "--cache-dir",
        str(cache),
        "--out",
        str(out),
    ]


def test_a_monitored_pair_is_what_basewatch_run_writes(
    world: MonitorWorld, reference: Path, tmp_path: Path
) -> None:
    from basewatch.cli.main import main

    before, after = world.dates[0], world.dates[1]
    site = SITES[0]
    out = tmp_path / "run"
    res = CliRunner().invoke(main, _run_args(world, site, tmp_path / "cache", out))
    assert res.exit_code == 0, res.output
    pair = reference / site / "s2" / "pairs" / f"{before}_{after}"
    assert sorted(p.name for p in pair.iterdir()) == sorted(p.name for p in out.iterdir())
    assert _run_record(pair) == _run_record(out)
    assert (pair / "detections.geojson").read_bytes() == (out / "detections.geojson").read_bytes()
    assert _run_record(pair)["counts"], "the pair found nothing to compare"


def test_series_and_summaries_cover_every_date(world: MonitorWorld, reference: Path) -> None:
    for site in SITES:
        timeline = json.loads((reference / site / "s2" / "series" / "timeline.json").read_text())
        assert timeline["dates"] == [str(d) for d in world.dates]
        assert [s["id"] for s in timeline["scenes"]] == list(world.ids)
        assert (reference / site / "s2" / "series" / "counts.png").stat().st_size > 0
        rows = (reference / site / "s2" / "pairs.csv").read_text().splitlines()
        assert len(rows) == N_DATES  # header + one row per pair
        assert all(",done" in r for r in rows[1:])
    record = json.loads((reference / "monitor.json").read_text())
    assert len(record["tasks"]) == N_TASKS and record["failures"] == []


# ---------------------------------------------------------------------------------------
# a real cluster: scheduler and workers as processes; one worker killed mid-run


def _dask() -> str:
    return str(Path(sys.executable).parent / "dask")


def _wait_for(path: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not path.is_file():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.args} did not start (exit {proc.returncode})")
        time.sleep(0.2)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, dict[int, subprocess.Popen[bytes]]]]:
    """A scheduler and two single-threaded workers (no nanny: killing one kills it)."""
    sched_file = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        scheduler = subprocess.Popen(
            [
                _dask(),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        procs.append(scheduler)
        _wait_for(sched_file, scheduler)
        address = json.loads(sched_file.read_text())["address"]
        workers = {}
        for _ in range(2):
            w = subprocess.Popen(
                [
                    _dask(),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            procs.append(w)
            workers[w.pid] = w
        with Client(address, timeout=WAIT_S) as c:
            c.wait_for_workers(2, timeout=WAIT_S)
        yield address, workers
    finally:
        for p in reversed(procs):
            end_process(p)


def test_a_worker_killed_mid_run_loses_no_task_and_doubles_none(
    world: MonitorWorld,
    reference: Path,
    cluster: tuple[str, dict[int, subprocess.Popen[bytes]]],
    tmp_path: Path,
) -> None:
    address, workers = cluster
    killed: list[tuple[int, list[str]]] = []

    with Client(address, timeout=WAIT_S) as client:
        pids: dict[str, int] = client.run(os.getpid)
        assert sorted(pids.values()) == sorted(workers)

        def kill_a_busy_worker(o: Outcome, done: int, planned: int) -> None:
            if killed:
                return
            for addr, keys in client.processing().items():
                pid = pids[addr]
                if keys:
                    workers[pid].kill()
                    workers[pid].wait()
                    killed.append((pid, [str(k) for k in keys]))
                    return

        result = monitor(
            SITES,
            world.dates[0],
            world.dates[-1],
            client=client,
            output=OutputSettings(str(tmp_path / "out"), png=False, cog=False, gpkg=False),
            load=_load(world, tmp_path / "cache"),
            on_outcome=kill_a_busy_worker,
        )
    assert killed, "no worker was busy to kill"
    pid, lost = killed[0]
    assert lost and all(k.startswith("basewatch-") for k in lost)
    assert result.failures == ()
    keys = [o.key for o in result.outcomes]
    assert len(keys) == N_TASKS and len(set(keys)) == N_TASKS
    # every task ran to its end. A task the killed worker had written (its folder
    # renamed into place) but whose outcome the client had not received is run again
    # by the scheduler (the outcome was lost with the worker) and then found complete,
    # not redone: its result is still written once (checked below)
    statuses = {o.key: o.status for o in result.outcomes}
    assert set(statuses.values()) <= {"done", "complete"}, statuses
    # the tasks the killed worker held were run again elsewhere
    again = {o.key: o.worker for o in result.outcomes}
    assert all(not again[k].endswith(f":{pid}") for k in lost)
    # every result is the reference's, once
    assert _results(tmp_path / "out") == _results(reference)
    assert _leftovers(tmp_path / "out") == []


# ---------------------------------------------------------------------------------------
# the client stopped mid-run (Ctrl-C), then the same command again


def _monitor_command(world: MonitorWorld, out: Path, cache: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from basewatch.cli.monitor import monitor; monitor()",
        "--sites",
        ",".join(SITES),
        "--from",
        str(world.dates[0]),
        "--to",
        str(world.dates[-1]),
        "--catalog",
        world.catalog,
        "--cache-dir",
        str(cache),
        "--workers",
        "1",
        "--no-png",
        "--no-cog",
        "--no-gpkg",
        "--timeout",
        "10",
        "--out",
        str(out),
    ]


def test_a_second_call_after_ctrl_c_finishes_only_what_was_missing(
    world: MonitorWorld, reference: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    cmd = _monitor_command(world, out, cache)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("[1/"):
            proc.send_signal(signal.SIGINT)
            break
    proc.stdout.read()
    proc.wait(timeout=WAIT_S)
    assert proc.returncode != 0, "".join(seen)
    folders = [p for p in out.glob("*/*/pairs/*") if not p.name.startswith(".")]
    folders += [p for p in out.glob("*/*/series") if not p.name.startswith(".")]
    first = {str(p.relative_to(out)) for p in folders if is_complete(p)}
    assert 1 <= len(first) < N_TASKS, "".join(seen)

    # the second call as users make it, through the basewatch command
    again = [str(Path(sys.executable).with_name("basewatch")), "monitor", *cmd[3:]]
    second = subprocess.run(again, capture_output=True, text=True, timeout=WAIT_S)
    assert second.returncode == 0, second.stdout + second.stderr
    # the command's own progress, without the cluster's INFO lines (those need -v)
    assert f"[{N_TASKS}/{N_TASKS}]" in second.stdout, second.stdout
    assert "distributed.scheduler" not in second.stderr, second.stderr[:2000]
    record = json.loads((out / "monitor.json").read_text())
    by_status: dict[str, set[str]] = {}
    for t in record["tasks"]:
        by_status.setdefault(t["status"], set()).add(t["folder"])
    assert by_status.get("complete", set()) == first
    assert len(by_status["done"]) == N_TASKS - len(first)
    assert not by_status["done"] & first
    assert _results(out) == _results(reference)
    assert _leftovers(out) == []
    for p in out.glob("*/*/pairs/*"):
        assert sum((p / m).is_file() for m in COMPLETE_MARKERS) == 1


#: Loaded by every process of a monitor run (``sitecustomize`` on ``PYTHONPATH``): it
#: notes each parse of Python source made by basewatch's code on a thread other than
#: the main one, with the calls that led to it.
PARSE_RECORDER = """
import ast, os, threading, traceback
_LOG = os.environ["BASEWATCH_TEST_PARSE_LOG"]
_parse = ast.parse
with open(_LOG, "a") as f:
    f.write(f"process {os.getpid()}\\n")
def parse(*args, **kwargs):
    if threading.current_thread() is not threading.main_thread():
        stack = "".join(traceback.format_stack()[:-1])
        if "basewatch" in stack:
            with open(_LOG, "a") as f:
                f.write(f"parse on thread {threading.current_thread().name}:\\n{stack}\\n")
    return _parse(*args, **kwargs)
ast.parse = parse
"""


def test_no_task_parses_python_source_off_the_main_thread(
    world: MonitorWorld, tmp_path: Path
) -> None:
    # CPython 3.11 cannot parse Python source on two threads at once: a task failed with
    # "AST constructor recursion depth mismatch" while the tile loader's threads read
    # cached bands (numpy parses a .npy header as source) and the task imported
    # scikit-image (whose lazy loader parses stubs). Every process of a run, workers
    # included, records such parses here; the run, its cached second pass and its
    # figures, GeoPackages and reports included, must make none.
    hook, log = tmp_path / "hook", tmp_path / "parsed.log"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PARSE_RECORDER, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(hook), os.environ.get("PYTHONPATH")))),
        "BASEWATCH_TEST_PARSE_LOG": str(log),
    }
    for out in ("first", "second"):  # the second reads every band from the cache
        cmd = _monitor_command(world, tmp_path / out, tmp_path / "cache")
        cmd = [a for a in cmd if a not in ("--no-png", "--no-cog", "--no-gpkg")]
        cmd[cmd.index("--workers") + 1] = "2"
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=WAIT_S)
        assert run.returncode == 0, run.stdout + run.stderr
    text = log.read_text(encoding="utf-8")
    processes = {line for line in text.splitlines() if line.startswith("process ")}
    assert len(processes) >= 3, text  # the command, the fork server, the workers
    assert "parse on thread" not in text, text


# ---------------------------------------------------------------------------------------
# --memory-per-worker: a task that needs more than a worker may hold is refused up front


def test_tasks_larger_than_the_workers_memory_are_refused_with_the_size_to_give(
    world: MonitorWorld, tmp_path: Path
) -> None:
    import dask.config

    from basewatch.scale.monitor import MonitorError, task_memory_bytes
    from basewatch.scale.plan import PairTask

    # a limit below what the smallest pair needs (the port's), above what a survey needs
    smallest = min(
        task_memory_bytes(PairTask(s, s, "s2", SceneDate(_day(1), "a"), SceneDate(_day(2), "b")), 0)
        for s in SITES
    )
    limit = smallest - 2**20
    # dask's own pause and restart thresholds off: the refusal is basewatch's alone
    no_pause = {f"distributed.worker.memory.{k}": False for k in ("target", "spill", "pause")}
    with (
        dask.config.set({**no_pause, "distributed.worker.memory.terminate": False}),
        open_client(workers=1, memory_per_worker=limit) as client,
        pytest.raises(MonitorError) as caught,
    ):
        monitor(
            SITES,
            world.dates[0],
            world.dates[-1],
            client=client,
            output=OutputSettings(str(tmp_path / "out"), png=False, cog=False, gpkg=False),
            load=_load(world, tmp_path / "cache"),
        )
    message = str(caught.value)
    assert f"{N_TASKS} tasks failed (no task done;" in message
    assert message.count("--memory-per-worker") == N_TASKS
    assert f"memory limit of {limit // 2**20} MiB" in message
    assert list((tmp_path / "out").glob("*/*/pairs/*")) == []
    record = json.loads((tmp_path / "out" / "monitor.json").read_text())
    assert len(record["failures"]) == N_TASKS and record["tasks"] == []


# ---------------------------------------------------------------------------------------
# the object options of basewatch run, and folders made with other ones


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_monitor_takes_the_object_options_of_run_and_keeps_folders_made_with_others(
    world: MonitorWorld, reference: Path, tmp_path: Path
) -> None:
    """``--aircraft-background median`` gives a pair folder equal to ``basewatch run``'s
    with the same option; run again into a root made with the default, every complete
    folder is named as made with other parameters and left byte for byte as it was."""
    import shutil

    from basewatch.cli.main import main

    site, before, after = SITES[0], world.dates[0], world.dates[1]
    cmd = _monitor_command(world, tmp_path / "median", tmp_path / "cache")
    cmd[cmd.index("--sites") + 1] = site
    cmd[cmd.index("--to") + 1] = str(after)
    basewatch = str(Path(sys.executable).with_name("basewatch"))
    median = [basewatch, "monitor", *cmd[3:], "--aircraft-background", "median"]
    done = subprocess.run(median, capture_output=True, text=True, timeout=WAIT_S)
    assert done.returncode == 0, done.stdout + done.stderr
    pair = tmp_path / "median" / site / "s2" / "pairs" / f"{before}_{after}"
    run_out = tmp_path / "run"
    median_run = _run_args(world, site, tmp_path / "cache-run", run_out)
    outputs = ["--no-png", "--no-cog", "--no-gpkg", "--aircraft-background", "median"]
    res = CliRunner().invoke(main, [*median_run, *outputs])
    assert res.exit_code == 0, res.output
    record = _run_record(pair)
    assert record["parameters"]["objects"]["aircraft_background"] == "median"
    assert record == _run_record(run_out)
    assert (pair / "detections.geojson").read_bytes() == (
        run_out / "detections.geojson"
    ).read_bytes()

    # the default batch's root, monitored again with the other background
    root = tmp_path / "made-with-mean"
    shutil.copytree(reference, root)
    was = _tree(root)
    again = _monitor_command(world, root, tmp_path / "cache")
    again = [basewatch, "monitor", *again[3:], "--aircraft-background", "median"]
    refused = subprocess.run(again, capture_output=True, text=True, timeout=WAIT_S)
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0, said
    assert f"{N_TASKS} tasks not run: their folders hold results made with other" in said
    assert "aircraft_background='mean', not aircraft_background='median'" in said, said
    assert "give another --out" in said, said
    after_files = _tree(root)
    assert after_files.keys() - {"monitor.json"} == was.keys() - {"monitor.json"}
    changed = [k for k in was if k != "monitor.json" and after_files.get(k) != was[k]]
    assert changed == [], changed
