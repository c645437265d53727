"""Peak memory of ``basewatch detect`` and ``basewatch vessels`` against the estimates their
memory check refuses runs by.

    .venv/bin/python benchmarks/memory_peaks.py [--detect 2745 5490] [--timeline 2745]
                                                 [--vessels 2000 4000] [--work DIR]

Each command runs as a user runs it (every output, the picture included), in a process of
its own that reports its peak resident memory (``VmHWM``, Linux) as it exits: ``detect``
and ``timeline`` (its two dates) on the real Beirut pair tiled to N x N px with a site
covering the raster (``tiled_pair.write_pair``), ``vessels`` on the Athens image of
``s2_ships`` mirrored to N x N px (``tiled_pair.write_mirrored``). Beside each peak: the
estimate of :mod:`basewatch._memory` (``pair_bytes``, ``timeline_bytes``,
``vessels_bytes``) and by how much it is above (a run is refused when its estimate is
more than the machine has available, so an estimate under a peak would let a run start
that then cannot finish). Exit status 1 if any estimate is under its peak. Whole tiles:
``--detect 10980 --timeline 10980 --vessels 8000`` (about 10, 9 and 6 GiB of memory, a
few minutes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GIB = 2**30
#: The command line in a process of its own that writes its peak resident memory (its
#: ``VmHWM``, in kB) to the file named by ``BASEWATCH_PEAK_FILE`` as it exits. Not the
#: process's rusage: a child forked from a large process (a test session) inherits the
#: parent's high-water mark at exec, so its ``ru_maxrss`` would be the parent's.
CLI = [
    sys.executable,
    "-c",
    "import atexit, os, re\n"
    "def _peak():\n"
    "    hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
    "    open(os.environ['BASEWATCH_PEAK_FILE'], 'w').write(hwm.group(1) if hwm else '')\n"
    "atexit.register(_peak)\n"
    "from basewatch.cli import main; main()",
    "-q",
]
PORT = "athens_S2L2A_20230818_B02-B03-B04-B08-B11.tif"


def peak_of(cmd: list[str], log: Path) -> tuple[int, float]:
    """Peak resident bytes and wall seconds of ``cmd`` (a :data:`CLI` command line) in a
    process of its own, its output in ``log`` (Linux: ``/proc``)."""
    peak_file = log.with_suffix(".peak")
    peak_file.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with log.open("wb") as out:
        env = {**os.environ, "BASEWATCH_PEAK_FILE": str(peak_file)}
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[4:])} failed:\n{log.read_text()[-3000:]}")
    return int(peak_file.read_text()) * 1024, time.perf_counter() - t0


def main() -> int:
    from basewatch import _memory

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detect", type=int, nargs="*", default=[2745, 5490])
    parser.add_argument("--timeline", type=int, nargs="*", default=[2745])
    parser.add_argument("--vessels", type=int, nargs="*", default=[2000, 4000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/basewatch-tiles"))
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "benchmarks"))
    import tiled_pair as tiling

    shared = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared")) / "data"
    if not shared.is_dir():
        print(f"shared data not found at {shared} (set BASEWATCH_SHARED)", file=sys.stderr)
        return 2
    tiling.__dict__["SOURCE"] = shared / "s2_beirut_2015_2017"
    args.work.mkdir(parents=True, exist_ok=True)
    under = 0
    head = ("command", "side", "pixels", "peak", "estimate", "above", "wall")
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, (8, 6, 12, 9, 9, 6, 7), strict=True)))
    runs: list[tuple[str, int, list[str], int]] = []
    for side in args.detect:
        before, after, site = tiling.write_pair(side, args.work)
        cmd = [*CLI, "detect", "--site", str(site), "--before", str(before), "--after", str(after)]
        runs.append(("detect", side, cmd, _memory.pair_bytes(side * side)))
    for side in args.timeline:
        before, after, site = tiling.write_pair(side, args.work)
        cmd = [*CLI, "timeline", "--site", str(site), str(before), str(after)]
        runs.append(("timeline", side, cmd, _memory.timeline_bytes(side * side, 2)))
    for side in args.vessels:
        image = tiling.write_mirrored(
            shared / "s2_ships" / PORT, side, args.work / f"{side}_{PORT}"
        )
        runs.append(
            ("vessels", side, [*CLI, "vessels", str(image)], _memory.vessels_bytes(side * side))
        )
    for name, side, cmd, need in runs:
        out = args.work / f"run-{name}-{side}"
        shutil.rmtree(out, ignore_errors=True)
        peak, wall = peak_of([*cmd, "--out", str(out)], args.work / f"{name}-{side}.log")
        shutil.rmtree(out, ignore_errors=True)
        under += peak > need
        print(
            f"{name:>8} {side:>6} {side * side:>12,} {peak / GIB:>7.2f} G {need / GIB:>7.2f} G "
            f"{need / peak - 1:>6.0%} {wall:>6.1f}s"
        )
    return 1 if under else 0


if __name__ == "__main__":
    sys.exit(main())
