"""A run killed at any moment leaves the earlier run whole or the new one complete.

A child process computes the bundled port pair and writes it over an earlier run of
another comparison (``--overwrite``); the parent SIGKILLs it at a random moment of the
write. Afterwards the folder must be exactly the earlier run, or a complete new run
(every output its ``run.json`` lists, all of this run) -- never a mix, never empty.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import sys
from pathlib import Path
import basewatch as bw
site = bw.load_site(sys.argv[2])
before, after = bw.read_local_pair(site, *sys.argv[3:5], coregister=False)
result = bw.detect_pair(site, before, after)
print("writing", flush=True)
bw.write_run(result, Path(sys.argv[1]), overwrite=True)
print("done", flush=True)
"""

#: Kills per test run, and the longest wait after the child starts writing.
KILLS = 6
MAX_DELAY_S = 2.5


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def _complete(files: dict[str, bytes]) -> bool:
    if "run.json" not in files:
        return False
    record = json.loads(files["run.json"])
    return all(name in files for name in record["outputs"].values())


@pytest.mark.slow
def test_a_killed_run_leaves_the_old_run_or_the_new_one(tmp_path: Path) -> None:
    out = tmp_path / "run"
    imagery = REPO / "imagery"
    airport = [str(imagery / f"beirut-airport_S2L1C_{d}.tif") for d in ("20150820", "20171003")]
    port = [str(imagery / f"beirut-port_S2L1C_{d}.tif") for d in ("20150820", "20171003")]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    def child(files: list[str]) -> subprocess.Popen[str]:
        site = Path(files[0]).name.split("_")[0]
        return subprocess.Popen(
            [sys.executable, "-c", CHILD, str(out), site, *files],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )

    first = child(airport)  # the earlier run: the airport
    assert first.wait(timeout=300) == 0
    old = _snapshot(out)
    assert _complete(old) and json.loads(old["run.json"])["site"] == "beirut-airport"
    rng = random.Random(20241213)
    outcomes = []
    for _ in range(KILLS):
        proc = child(port)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(rng.uniform(0.0, MAX_DELAY_S))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = _snapshot(out)
        if now == old:
            outcomes.append("old")
            continue
        assert _complete(now), f"neither the old run nor a complete new one: {sorted(now)}"
        assert json.loads(now["run.json"])["site"] == "beirut-port"
        outcomes.append("new")
        old = now  # the new run is now the one to keep
    # a writer that is not killed finishes, and leaves no temporary folder behind
    last = child(port)
    assert last.wait(timeout=300) == 0
    assert _complete(_snapshot(out))
    assert not list(tmp_path.glob(".*.part")) and not list(tmp_path.glob(".*.lock"))
    assert len(outcomes) == KILLS


def test_two_writers_cannot_write_one_folder_at_once(tmp_path: Path) -> None:
    from basewatch._atomic import _folder_lock, write_folder
    from basewatch.errors import OutputError

    out = tmp_path / "run"
    with _folder_lock(out), pytest.raises(OutputError, match="another basewatch run") as info:
        write_folder(out, lambda tmp: (tmp / "run.json").write_text("{}"))
    assert str(out) in str(info.value)
    assert not out.exists()  # nothing written by the refused writer
    write_folder(out, lambda tmp: (tmp / "run.json").write_text("{}"))  # free again
    assert (out / "run.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no lock file left


@pytest.mark.parametrize("where", ["cwd", "git", "empty-cwd"])
def test_overwrite_never_replaces_the_working_directory_or_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from basewatch._atomic import write_folder
    from basewatch.errors import OutputError

    target = tmp_path / "work"
    target.mkdir()
    if where != "empty-cwd":
        (target / "notes.txt").write_text("mine")
    if where in {"cwd", "empty-cwd"}:
        monkeypatch.chdir(target)
    else:
        (target / ".git").mkdir()
    with pytest.raises(OutputError, match="never replaces"):
        write_folder("." if where == "empty-cwd" else target, lambda tmp: None, overwrite=True)
    assert sorted(p.name for p in target.iterdir()) == (
        [] if where == "empty-cwd" else [".git", "notes.txt"] if where == "git" else ["notes.txt"]
    )
