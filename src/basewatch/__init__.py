"""basewatch: check reports about military sites against public satellite imagery."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from basewatch.errors import BasewatchError

try:
    __version__ = version("basewatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["BasewatchError", "__version__"]
