"""A disk cache for the tile loader: AOI windows of scene bands, and search answers.

Entries are keyed by catalogue, scene id, band and the AOI grid (CRS, transform,
size), so a re-run over the same site and dates reads nothing from the network.
Every file is written to a temporary name in the same folder and moved into place
with :func:`os.replace` (atomic on POSIX and Windows): an interrupted or failed read
never leaves an entry that looks complete, and a damaged entry is treated as missing.

Layout under the root::

    bands/<scene id>/<band>-<key>.npy     float32 (rows, cols), NaN = nodata
    search/<key>.json                     {"query": {...}, "ranges": [[start, end]],
                                           "items": [STAC items]}

A search entry remembers which date ranges it answered, so a later request for any
range inside them (``basewatch run`` after ``basewatch fetch``) needs no catalogue.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from basewatch.errors import CatalogError, OutputError
from basewatch.grid import Grid

__all__ = ["TileCache", "default_cache_dir"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

#: How a cached band is stored: little-endian float32, C order, NaN = nodata.
_BAND_DTYPE = np.dtype("<f4")


def default_cache_dir() -> Path:
    """``$BASEWATCH_CACHE``, else ``$XDG_CACHE_HOME/basewatch``, else ``~/.cache/basewatch``."""
    env = os.environ.get("BASEWATCH_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "basewatch"


def _digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class TileCache:
    """Disk cache rooted at ``root`` (created on first write).

    Parameters
    ----------
    root : str or Path
        Folder of the cache (see :func:`default_cache_dir`).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- keys ------------------------------------------------------------------------
    @staticmethod
    def band_key(
        *, catalog: str, scene_id: str, band: str, grid: Grid, resampling: str
    ) -> tuple[str, str, str]:
        """``(scene folder, band, digest)`` identifying one band of one scene on one grid."""
        digest = _digest(
            {
                "catalog": catalog,
                "scene": scene_id,
                "band": band,
                "crs": grid.crs,
                "transform": [round(v, 6) for v in grid.transform],
                "size": [grid.width, grid.height],
                "resampling": resampling,
            }
        )
        return (_SAFE.sub("_", scene_id), _SAFE.sub("_", band), digest)

    def band_path(self, key: tuple[str, str, str]) -> Path:
        """Path of the ``.npy`` file of a :meth:`band_key`."""
        scene, band, digest = key
        return self.root / "bands" / scene / f"{band}-{digest}.npy"

    # -- bands -----------------------------------------------------------------------
    def get_band(
        self, key: tuple[str, str, str], shape: tuple[int, int]
    ) -> NDArray[np.float32] | None:
        """The cached array, or None (missing, damaged, or of another shape).

        The file's header is compared byte for byte with the one :meth:`put_band`
        writes for ``shape`` rather than parsed: :func:`numpy.load` parses it as Python
        source, which CPython 3.11 cannot do on two threads at once (its AST builder
        keeps one recursion count per interpreter, and the loader reads bands on
        threads: ``SystemError: AST constructor recursion depth mismatch``).
        """
        path = self.band_path(key)
        header = _npy_header(shape)
        count = int(np.prod(shape))
        arr = np.empty(0, _BAND_DTYPE)
        try:
            with path.open("rb") as f:
                if f.read(len(header)) == header:
                    arr = np.fromfile(f, dtype=_BAND_DTYPE, count=count)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            pass
        if arr.size != count:  # damaged, cut short or not this grid's: as if missing
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return arr.reshape(shape).astype(np.float32, copy=False)

    def put_band(self, key: tuple[str, str, str], array: NDArray[np.float32]) -> Path:
        """Store ``array`` (rows, cols) as float32 under ``key``, atomically; its path.

        The file is a ``.npy`` file (:func:`numpy.load` reads it)."""
        path = self.band_path(key)
        data = np.ascontiguousarray(array, dtype=_BAND_DTYPE)
        header = _npy_header((int(data.shape[0]), int(data.shape[1])))
        self._atomic_write(path, lambda f: (f.write(header), f.write(data.data)))
        return path

    # -- search answers --------------------------------------------------------------
    def search_path(self, query: Mapping[str, Any]) -> Path:
        """Path of the JSON file holding the answers to ``query``."""
        return self.root / "search" / f"{_digest(dict(query))}.json"

    def get_search(self, query: Mapping[str, Any]) -> dict[str, Any] | None:
        """The stored search document ``{"ranges": [[start, end], ...], "items": [...]}``."""
        path = self.search_path(query)
        if not path.is_file():
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(doc, dict) or not _search_doc_ok(doc):
            return None  # damaged: as if missing (the search is asked again)
        return doc

    def put_search(
        self, query: Mapping[str, Any], ranges: list[list[str]], items: list[dict[str, Any]]
    ) -> Path:
        """Store the items a catalogue answered for ``query`` over the date ``ranges``."""
        path = self.search_path(query)
        doc = {"query": dict(query), "ranges": ranges, "items": items}
        payload = json.dumps(doc, default=str).encode("utf-8")
        self._atomic_write(path, lambda f: f.write(payload))
        return path

    # -- internals -------------------------------------------------------------------
    def _atomic_write(self, path: Path, write: Any) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=path.suffix, dir=path.parent)
        except OSError as exc:
            raise OutputError(
                f"cannot write to the cache folder {path.parent} ({exc.strerror or exc}); "
                "choose another with --cache-dir or BASEWATCH_CACHE"
            ) from exc
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise


def _npy_header(shape: tuple[int, int]) -> bytes:
    """The ``.npy`` (version 1.0) header of a C-ordered :data:`_BAND_DTYPE` array of
    ``shape``, as :func:`numpy.save` writes it."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": _BAND_DTYPE.str, "fortran_order": False, "shape": tuple(shape)}
    )
    return buf.getvalue()


def _search_doc_ok(doc: Mapping[str, Any]) -> bool:
    """Whether a stored search document has the shape :meth:`TileCache.put_search`
    writes: date ranges of two ISO dates each, and items that read as scenes
    (:func:`basewatch.imagery.catalog.candidate_from_item`)."""
    items, ranges = doc.get("items"), doc.get("ranges")
    if not isinstance(items, list) or not isinstance(ranges, list):
        return False
    if not all(isinstance(it, dict) and isinstance(it.get("id"), str) for it in items):
        return False
    from basewatch.imagery.catalog import candidate_from_item

    try:  # every item must still read as a scene
        for it in items:
            candidate_from_item(it, catalog="cache")
    except CatalogError:
        return False
    for r in ranges:
        if not (isinstance(r, list) and len(r) == 2 and all(isinstance(d, str) for d in r)):
            return False
        try:
            start, end = (dt.date.fromisoformat(d) for d in r)
        except ValueError:
            return False
        if end < start:
            return False
    return True
