"""Rasters GIS software opens: cloud-optimised GeoTIFFs of the change map and the scenes.

:func:`write_cog` writes an array on a :class:`~basewatch.grid.Grid` through GDAL's COG
driver: internally tiled (:data:`COG_BLOCK` pixels), compressed (:data:`COG_OPTIONS`:
ZSTD with the floating-point predictor, read by GDAL 2.3 and later, QGIS included), with
overviews down to one tile, band descriptions and nodata. GDAL streams it through a
temporary GeoTIFF beside the target (no whole-raster copy in memory) and the finished
file is renamed into place, so a reader never sees a part of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from basewatch.errors import OutputError

if TYPE_CHECKING:
    from basewatch.grid import Grid
    from basewatch.pipeline import PairResult
    from basewatch.records import Scene

__all__ = ["COG_BLOCK", "write_change_cog", "write_cog", "write_scene_cog"]

#: Internal tile size of every COG (pixels): small enough that sites of a few hundred
#: pixels get an overview level, large enough for efficient reads of big rasters.
COG_BLOCK = 256
#: Value of invalid pixels in floating-point COGs.
FLOAT_NODATA = float("nan")
#: Compression of every COG: ZSTD at its fastest level with GDAL's predictor (2 for
#: integers, 3 for floats), on every core. On a 2745 px 4-band float scene: 0.9 s and
#: 118 MB, against DEFLATE's 2.4 s and 92 MB.
COG_OPTIONS = {"COMPRESS": "ZSTD", "LEVEL": "1", "PREDICTOR": "YES", "NUM_THREADS": "ALL_CPUS"}


def write_cog(
    path: str | Path,
    bands: NDArray[np.floating] | NDArray[np.integer] | NDArray[np.bool_],
    grid: Grid,
    *,
    descriptions: Sequence[str],
    nodata: float | None = FLOAT_NODATA,
    tags: dict[str, str] | None = None,
) -> Path:
    """Write ``bands`` (shape ``(bands, rows, cols)`` or ``(rows, cols)``) as a COG.

    Parameters
    ----------
    path : str or Path
        The ``.tif`` to write (replaced when it exists).
    bands : ndarray
        Pixel values on ``grid``; booleans are written as uint8 (0/1).
    grid : Grid
        CRS and transform.
    descriptions : sequence of str
        One name per band (shown by QGIS and ``gdalinfo``).
    nodata : float or None
        Nodata value (NaN for float rasters; None for none).
    tags : dict, optional
        Dataset metadata (e.g. scene ids, attribution).

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        GDAL cannot write the file, or the array does not fit the grid.
    """
    import rasterio
    import rasterio.shutil
    from rasterio.errors import RasterioError

    data = np.asarray(bands)
    if data.ndim == 2:
        data = data[np.newaxis]
    if data.dtype == np.bool_:
        data = data.astype(np.uint8)
        nodata = None
    if data.shape[1:] != grid.shape or len(descriptions) != data.shape[0]:
        raise OutputError(
            f"{path}: {data.shape} bands do not fit the grid {grid.shape} with "
            f"{len(descriptions)} descriptions"
        )
    target = Path(path)
    profile = {
        "driver": "GTiff",
        "width": grid.width,
        "height": grid.height,
        "count": data.shape[0],
        "dtype": data.dtype.name,
        "crs": grid.crs,
        "transform": rasterio.Affine(*grid.transform),
        "nodata": nodata,
        "tiled": True,
        "blockxsize": COG_BLOCK,
        "blockysize": COG_BLOCK,
        "BIGTIFF": "IF_SAFER",
    }
    stem = f".{target.name}.{uuid.uuid4().hex}"
    source, part = target.with_name(f"{stem}.src.tif"), target.with_name(f"{stem}.part.tif")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with rasterio.open(source, "w", **profile) as tmp:
            tmp.write(data)
            for i, d in enumerate(descriptions, start=1):
                tmp.set_band_description(i, d)
            if tags:
                tmp.update_tags(**tags)
        rasterio.shutil.copy(
            source,
            part,
            driver="COG",
            BLOCKSIZE=COG_BLOCK,
            OVERVIEWS="AUTO",
            OVERVIEW_RESAMPLING="AVERAGE" if data.dtype.kind == "f" else "NEAREST",
            BIGTIFF="IF_SAFER",
            **COG_OPTIONS,
        )
        part.replace(target)
    except (RasterioError, ValueError, OSError) as exc:
        raise OutputError(f"{path}: GDAL cannot write the COG ({exc})") from exc
    finally:
        for leftover in (source, part):
            leftover.unlink(missing_ok=True)
    return target


def write_change_cog(result: PairResult, path: str | Path) -> Path:
    """The change map as a two-band COG: magnitude (float32, NaN where invalid) and
    changed pixels (1/0; 0 where invalid too)."""
    change = result.change
    magnitude = np.where(change.valid, change.magnitude, np.nan).astype(np.float32)
    mask = (change.mask & change.valid).astype(np.float32)
    mask[~change.valid] = np.nan
    return write_cog(
        path,
        np.stack([magnitude, mask]),
        result.before.grid,
        descriptions=(f"change magnitude ({change.method})", "changed (1) or not (0)"),
        tags={
            "BASEWATCH_METHOD": change.method,
            "BASEWATCH_THRESHOLD": f"{change.threshold:.6g}",
            "BASEWATCH_BEFORE": result.before.id,
            "BASEWATCH_AFTER": result.after.id,
        },
    )


def write_scene_cog(scene: Scene, path: str | Path) -> Path:
    """A scene as read and aligned for the comparison (float32 physical values, NaN
    where invalid), one band per scene band, with its id, date and attribution."""
    data = np.where(scene.valid[np.newaxis], scene.data, np.nan).astype(np.float32)
    return write_cog(
        path,
        data,
        scene.grid,
        descriptions=scene.bands,
        tags={
            "BASEWATCH_SCENE": scene.id,
            "BASEWATCH_DATETIME": scene.datetime.isoformat(),
            "BASEWATCH_SENSOR": scene.sensor,
            "BASEWATCH_SHIFT_PX": f"{scene.shift_px[0]:.4f},{scene.shift_px[1]:.4f}",
            "BASEWATCH_ATTRIBUTION": scene.attribution,
        },
    )
