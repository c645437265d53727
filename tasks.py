#!/usr/bin/env python3
"""Set-up and run basewatch with nothing but Python and pip.

    python3 tasks.py demo   # create .venv, install basewatch, run the demo on the bundled sample
    python3 tasks.py test   # create .venv, install with test tools: ruff, mypy, API docs, pytest

Extra arguments after ``test`` go to pytest (``python3 tasks.py test -k aoi``); test
files or folders given there (``python3 tasks.py test tests/test_aoi.py``) are run instead
of all the tests and notebooks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def sh(*args: str | os.PathLike[str]) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def ensure_venv(extras: str) -> None:
    if not PY.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    pyproject = ROOT / "pyproject.toml"
    if stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    sh(PY, "-m", "pip", "install", "--quiet", "-e", target)
    stamp.touch()


def demo(args: list[str]) -> None:
    ensure_venv("")
    sh(BIN / "basewatch", "demo", *args)


def ensure_chromium() -> None:
    """Debian's headless Chromium for the HTML report's screenshot test, where missing
    and apt-get can install it (as root); the test skips with the reason otherwise."""
    if shutil.which("chromium") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    result = subprocess.run(
        ["apt-get", "install", "-y", "-q", "chromium"], capture_output=True, check=False
    )
    if result.returncode != 0:
        print("chromium could not be installed: the HTML screenshot test will skip", flush=True)


def test(args: list[str]) -> None:
    ensure_venv("dev")
    if os.name != "nt":
        ensure_chromium()
    sh(PY, "-m", "ruff", "check", "src", "tests", "benchmarks")
    sh(PY, "-m", "ruff", "format", "--check", "src", "tests", "benchmarks")
    sh(PY, "-m", "mypy")
    # the API reference from the numpydoc docstrings; a broken reference fails the build
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sh(PY, "-m", "mkdocs", "build", "--strict", "--quiet")
    # tests and notebooks in one run (or the ones named); network tests never run here
    # (no internet in CI)
    targets = [] if any(_is_test_path(a) for a in args) else ["tests", "notebooks"]
    sh(PY, "-m", "pytest", "--nbmake", "-m", "not network", *targets, *args)


def _is_test_path(arg: str) -> bool:
    """Whether a pytest argument names tests to run (a file, folder or test id under
    tests/ or notebooks/), rather than an option or an option's value (``-k aoi``)."""
    path = arg.split("::", 1)[0]
    return not arg.startswith("-") and (
        path.endswith((".py", ".ipynb")) or Path(path).parts[:1] in (("tests",), ("notebooks",))
    )


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        print(__doc__)
        return 2
    try:
        {"demo": demo, "test": test}[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
