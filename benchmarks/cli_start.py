"""How long ``basewatch`` takes to start: each command's ``--help`` and two quick commands.

    .venv/bin/python benchmarks/cli_start.py [--repeats 5]

Every command module is imported when its command runs (``basewatch.cli.main``), so a
command pays for its own libraries only: ``basewatch claims`` needs no imaging library,
``basewatch sites`` neither dask nor numba. Each line runs the installed ``basewatch``
script in a fresh process, as a user types it, beside ``python -c pass`` (the
interpreter's own start) measured in the same run; medians of ``--repeats`` runs. The
imports of each command are listed from a fresh interpreter's ``sys.modules``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASEWATCH = Path(sys.executable).parent / "basewatch"
#: Libraries a command may or may not pull in, reported per command.
HEAVY = ("numba", "scipy", "rasterio", "matplotlib", "dask", "distributed", "pyogrio")
#: What is timed: a label and the arguments of ``basewatch``.
CASES: tuple[tuple[str, list[str]], ...] = (
    ("basewatch --help", ["--help"]),
    ("basewatch sites", ["sites"]),
    ("basewatch claims REPORT", ["claims", str(REPO / "tests/data/reports/beirut_claims.md")]),
    ("basewatch detect --help", ["detect", "--help"]),
    ("basewatch vessels --help", ["vessels", "--help"]),
    ("basewatch monitor --help", ["monitor", "--help"]),
)


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def loaded(args: list[str]) -> list[str]:
    """The :data:`HEAVY` libraries in ``sys.modules`` after the command ran in-process."""
    probe = (
        "import sys\nfrom click.testing import CliRunner\nfrom basewatch.cli import main\n"
        f"CliRunner().invoke(main, {args!r})\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return [m for m in out.stdout.strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not BASEWATCH.is_file():
        sys.exit(f"no basewatch script beside {sys.executable}: install the package first")
    timed([str(BASEWATCH), "--help"])  # bytecode and numba caches written once
    base = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(args.repeats))
    print(f"python -c pass: {base:.2f} s (median of {args.repeats})")
    for label, argv in CASES:
        t = statistics.median(timed([str(BASEWATCH), *argv]) for _ in range(args.repeats))
        libs = ", ".join(loaded(argv)) or "none of them"
        print(f"{label:28s} {t:5.2f} s  ({t / base:4.1f} x python); imports {libs}")


if __name__ == "__main__":
    main()
