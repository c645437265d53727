"""Where the bundled data (AOIs, sample imagery, report corpus) lives.

From a source checkout (editable install) the folders are the repository's own
top-level ``aoi/``, ``imagery/`` and ``seeds/``; from a wheel they are packaged under
``basewatch/_bundled/``. ``BASEWATCH_AOI_DIR`` overrides the AOI folder.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Return the folder of bundled data called ``name`` (``aoi``, ``imagery``, ``seeds``)."""
    env = os.environ.get(f"BASEWATCH_{name.upper()}_DIR")
    if env:
        return Path(env)
    checkout = _PKG.parents[1] / name  # src/basewatch -> repository root
    if _PKG.parent.name == "src" and checkout.is_dir():
        return checkout
    return _PKG / "_bundled" / name
