"""The ``basewatch`` command line (click).

Each command lives in its own module of this package and is registered in
:data:`~basewatch.cli.main.COMMANDS`; a command's module is imported when that command
runs, and it imports the pipeline, imaging, plotting and cluster libraries inside the
command, so ``basewatch --help``, a command's ``--help``, ``sites`` and ``claims`` start
in a fraction of a second (``benchmarks/cli_start.py``). Deliberate errors
(:class:`~basewatch.errors.BasewatchError`) become one line on stderr and exit code 2;
``-v`` adds the traceback.
"""

from __future__ import annotations

from basewatch.cli.main import main

__all__ = ["main"]
