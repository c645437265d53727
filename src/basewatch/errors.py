"""The basewatch error hierarchy.

Every error basewatch raises on purpose derives from :class:`BasewatchError`, and
also from the built-in exception a Python user would expect (``ValueError`` for bad
values, ``OSError`` for files and networks, ``LookupError`` for things not found), so
``except ValueError`` keeps working for callers who do not know about basewatch.

Messages name *what* was wrong (the file, the site, the value) and *what to do*.
The command line turns these errors into one line and exit code 2.
"""

from __future__ import annotations

__all__ = [
    "AOIError",
    "BasewatchError",
    "CatalogError",
    "CoverageError",
    "GridMismatchError",
    "InputError",
    "MemoryLimitError",
    "NoSceneError",
    "OutputError",
    "RasterReadError",
    "ReportError",
]


class BasewatchError(Exception):
    """Root of every error basewatch raises deliberately."""


class InputError(BasewatchError, ValueError):
    """A value given by the user (or read from a file) is not usable."""


class AOIError(InputError):
    """An AOI (site polygon) file is missing, malformed or invalid."""


class GridMismatchError(InputError):
    """Two rasters that must share a pixel grid do not."""


class CoverageError(InputError):
    """The area of interest is not covered by the raster or scene given."""


class ReportError(InputError):
    """A text report cannot be read or parsed."""


class RasterReadError(BasewatchError, OSError):
    """A raster file or remote asset cannot be opened or read."""


class CatalogError(BasewatchError, OSError):
    """A STAC catalogue cannot be reached or answered something unusable."""


class NoSceneError(BasewatchError, LookupError):
    """No scene satisfies the request (dates, coverage, clouds)."""


class OutputError(BasewatchError, OSError):
    """An output cannot be written."""


class MemoryLimitError(BasewatchError, MemoryError):
    """A run needs more memory than the machine has available (found before starting it)."""
