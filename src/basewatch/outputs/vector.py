"""Vector outputs: detections as GeoJSON features or a GeoPackage layer, in WGS84.

Both files hold one polygon per detection (its footprint, longitude/latitude) with the
same properties: every field of :class:`~basewatch.records.Detection` but the footprint,
in the record's order. GeoJSON is what run folders always hold and what corroboration
reads; a GeoPackage (one ``detections`` layer, EPSG:4326) opens at once in QGIS or GDAL
however many detections a run found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import io
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import shapely
from numpy.typing import NDArray

from basewatch._atomic import atomic_write_bytes
from basewatch.errors import OutputError
from basewatch.records import Detection, dumps_json, to_jsonable

if TYPE_CHECKING:
    from basewatch.pipeline import PairResult

__all__ = [
    "GPKG_LAYER",
    "PROPERTIES",
    "detections_geojson",
    "write_geojson",
    "write_geopackage",
]

#: The properties of each feature: the detection's fields, its footprint aside.
PROPERTIES = tuple(f.name for f in dataclasses.fields(Detection) if f.name != "footprint")
#: The layer a GeoPackage of detections holds.
GPKG_LAYER = "detections"
#: Coordinate reference system of every vector output (longitude/latitude).
_CRS = "EPSG:4326"


def detections_geojson(result: PairResult) -> dict[str, Any]:
    """The detections as a GeoJSON FeatureCollection (footprints, WGS84), as JSON types."""
    converted: dict[str, Any] = to_jsonable(_feature_collection(result.detections))
    return converted


def write_geojson(detections: Sequence[Detection], path: str | Path) -> None:
    """Write ``detections`` as a GeoJSON FeatureCollection to ``path``, atomically.

    The file is what ``json.dumps`` of :func:`detections_geojson` would hold, indented
    by 2 spaces and encoded by orjson (:func:`~basewatch.records.dumps_json`).

    Raises
    ------
    OutputError
        ``path`` cannot be written.
    """
    atomic_write_bytes(path, dumps_json(_feature_collection(detections)))


def write_geopackage(detections: Sequence[Detection], path: str | Path) -> None:
    """Write ``detections`` as a GeoPackage layer to ``path``, atomically.

    One layer (:data:`GPKG_LAYER`) of polygons in EPSG:4326 with the GeoJSON's
    properties, in the same order. Sequences (``bbox_px``, ``notes``) are JSON text,
    dates are dates, and null values (NaN sizes, no zone) are nulls. The file is built
    in memory and moved into place whole, so a reader never sees half of it.

    Parameters
    ----------
    detections : sequence of Detection
        The run's detections.
    path : str or Path
        The ``.gpkg`` file to write (replaced when it exists).

    Raises
    ------
    OutputError
        ``path`` cannot be written, or GDAL refused the layer.
    """
    import pyogrio.raw
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

    columns = [_column([getattr(d, name) for d in detections]) for name in PROPERTIES]
    buf = io.BytesIO()
    try:
        pyogrio.raw.write(
            buf,
            geometry=_footprints_wkb(detections),
            field_data=[values for values, _ in columns],
            fields=list(PROPERTIES),
            field_mask=[mask for _, mask in columns],
            layer=GPKG_LAYER,
            driver="GPKG",
            geometry_type="Polygon",
            crs=_CRS,
        )
    except (DataSourceError, DataLayerError, FieldError, GeometryError) as exc:
        raise OutputError(f"{path}: GDAL cannot write the GeoPackage ({exc})") from exc
    atomic_write_bytes(path, buf.getvalue())


def _feature_collection(detections: Sequence[Detection]) -> dict[str, Any]:
    """The FeatureCollection with the records' own values (enums, dates, tuples) in it,
    for :func:`~basewatch.records.to_jsonable` or :func:`~basewatch.records.dumps_json`."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.id,
                "properties": {name: getattr(d, name) for name in PROPERTIES},
                "geometry": {"type": "Polygon", "coordinates": [d.footprint]},
            }
            for d in detections
        ],
    }


def _footprints_wkb(detections: Sequence[Detection]) -> NDArray[np.object_]:
    """The footprints as WKB polygons (``None`` for a detection without one)."""
    sizes = np.array([len(d.footprint) for d in detections], dtype=np.int64)
    wkb = np.full(len(detections), None, dtype=object)
    has = sizes > 0
    if has.any():
        points = chain.from_iterable(d.footprint for d in detections)
        coords = np.fromiter(chain.from_iterable(points), np.float64).reshape(-1, 2)
        rings = shapely.linearrings(
            coords, indices=np.repeat(np.arange(int(has.sum())), sizes[has])
        )
        wkb[has] = shapely.to_wkb(shapely.polygons(rings))
    return wkb


def _column(values: list[Any]) -> tuple[NDArray[Any], NDArray[np.bool_] | None]:
    """One property of every detection as a GDAL field: the values and where they are
    null (``None`` when none is), typed from the first value that is not ``None``."""
    null = np.array([v is None for v in values], dtype=bool)
    sample = next((v for v in values if v is not None), "")
    mask = null if null.any() else None
    if isinstance(sample, enum.Enum):
        cells: list[Any] = [None if v is None else str(v.value) for v in values]
        return np.array(cells, dtype=object), mask
    if isinstance(sample, bool | np.bool_):
        return np.array([bool(v) for v in values], dtype=bool), mask
    if isinstance(sample, int | np.integer):
        return np.array([0 if v is None else v for v in values], dtype=np.int64), mask
    if isinstance(sample, float | np.floating):
        # NaN is written as null, as the GeoJSON's null
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64), mask
    if isinstance(sample, dt.date) and not isinstance(sample, dt.datetime):
        return np.array(values, dtype="datetime64[D]"), mask  # None is NaT
    if isinstance(sample, list | tuple):
        # JSON text, as GDAL writes list fields to a GeoPackage
        cells = [
            None if v is None else orjson.dumps(v, default=to_jsonable).decode() for v in values
        ]
        return np.array(cells, dtype=object), mask
    cells = [None if v is None else str(to_jsonable(v)) for v in values]
    return np.array(cells, dtype=object), mask
