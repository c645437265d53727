"""The ``basewatch`` command line (click).

Each command lives in its own module of this package and is registered in
:data:`COMMANDS`. Deliberate errors (:class:`~basewatch.errors.BasewatchError`)
become one line on stderr and exit code 2; ``-v`` adds the traceback.
"""

from __future__ import annotations

from basewatch.cli.main import main

__all__ = ["main"]
