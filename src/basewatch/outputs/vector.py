"""Vector outputs: detections as GeoJSON features or GeoPackage layers, in WGS84.

The GeoJSON holds one polygon per detection (its pixel box, longitude/latitude) with
every field of :class:`~basewatch.records.Detection` but the footprint, in the record's
order; it is what corroboration reads. The GeoPackage (EPSG:4326) is what QGIS opens: its
``detections`` layer holds each detection's *outline*, the polygon of the object's own
changed pixels (:func:`detection_outlines`; the box where the object was seen on one
date without a change), with the same properties and ``outline`` saying which; its
``site`` and ``zones`` layers hold the site outline and zones the run searched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Sequence
from itertools import chain, repeat
from operator import attrgetter, is_
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_type_hints, overload

import numpy as np
import orjson
import shapely
from numba import njit
from numpy.typing import NDArray

from basewatch._atomic import atomic_write_bytes
from basewatch.errors import InputError, OutputError
from basewatch.outputs._trace import Rings, trace_rings
from basewatch.records import Detection, dumps_json, to_jsonable

if TYPE_CHECKING:
    from basewatch.aoi import Site
    from basewatch.pipeline import PairResult

__all__ = [
    "GPKG_LAYER",
    "PROPERTIES",
    "detection_outlines",
    "detection_outlines_wkb",
    "detections_geojson",
    "write_geojson",
    "write_geopackage",
]

#: The properties of each feature: the detection's fields, its footprint aside.
PROPERTIES = tuple(f.name for f in dataclasses.fields(Detection) if f.name != "footprint")
#: The layer of a GeoPackage that holds the detections.
GPKG_LAYER = "detections"
#: The layers of the site's outline and zones.
SITE_LAYER, ZONES_LAYER = "site", "zones"
#: ``outline`` of a detection drawn from its changed pixels, or from its pixel box.
OUTLINE_PIXELS, OUTLINE_BOX = "changed pixels", "pixel box"
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


def write_geopackage(
    detections: Sequence[Detection],
    path: str | Path,
    *,
    outlines: Sequence[Any] | NDArray[np.object_] | None = None,
    traced: Sequence[bool] | NDArray[np.bool_] | None = None,
    site: Site | None = None,
) -> None:
    """Write ``detections`` (and the site) as GeoPackage layers to ``path``, atomically.

    Layer :data:`GPKG_LAYER`: one polygon per detection in EPSG:4326 with the GeoJSON's
    properties in the same order, then ``outline`` (:data:`OUTLINE_PIXELS` or
    :data:`OUTLINE_BOX`). Sequences (``bbox_px``, ``notes``) are JSON text, dates are
    dates, and null values (NaN sizes, no zone) are nulls. With ``site``, layers
    :data:`SITE_LAYER` (the outline) and :data:`ZONES_LAYER` (name, kind, source,
    licence, approximate). The file is written next to ``path`` under a temporary name
    and moved into place whole, so a reader never sees half of it.

    Parameters
    ----------
    detections : sequence of Detection
        The run's detections.
    path : str or Path
        The ``.gpkg`` file to write (replaced when it exists).
    outlines : sequence of shapely geometry or of WKB bytes, optional
        Each detection's outline in longitude/latitude (:func:`detection_outlines`), or
        its WKB multipolygon (:func:`detection_outlines_wkb`, written as it is);
        default: the pixel boxes (the footprints).
    traced : sequence of bool, optional
        Which ``outlines`` were traced from pixels, the others being the boxes
        (``detection_outlines(result, return_traced=True)`` and
        :func:`detection_outlines_wkb` give both); default: each outline compared with
        its footprint.
    site : Site, optional
        Also write the site's outline and zones.

    Raises
    ------
    OutputError
        ``path`` cannot be written, or GDAL refused a layer.
    """
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

    # every property of a detection in one call, then turned into columns
    values = zip(*map(attrgetter(*PROPERTIES), detections), strict=True)
    columns = [_column(list(v)) for v in values] or [_column([]) for _ in PROPERTIES]
    if outlines is None:
        geometry = _footprints_wkb(detections)
        kinds = np.full(len(detections), OUTLINE_BOX, dtype=object)
    else:
        given_wkb = len(outlines) > 0 and isinstance(outlines[0], bytes)
        if given_wkb and traced is None:
            outlines = shapely.from_wkb(np.asarray(outlines, dtype=object))
            given_wkb = False
        geometry = np.asarray(outlines, dtype=object) if given_wkb else _multi_wkb(outlines)
        if traced is None:
            has = np.array([len(d.footprint) > 0 for d in detections], dtype=bool)
            boxed = shapely.equals_exact(
                np.asarray(outlines, dtype=object), _footprint_polygons(detections), tolerance=1e-9
            )
            traced = has & ~boxed
        elif len(traced) != len(detections):
            raise InputError(
                f"traced has {len(traced)} values for {len(detections)} detections: give one "
                "per outline, as detection_outlines(result, return_traced=True) returns them"
            )
        kinds = np.where(np.asarray(traced, dtype=bool), OUTLINE_PIXELS, OUTLINE_BOX).astype(object)
    target = Path(path)
    tmp = target.with_name(f".{target.stem}.part.gpkg")
    try:
        tmp.unlink(missing_ok=True)
        fields = [*columns, (np.asarray(kinds, dtype=object), None)]
        _write_detection_layer(
            tmp, fields, geometry, "MultiPolygon" if outlines is not None else "Polygon"
        )
        if site is not None:
            _write_site_layers(tmp, site)
        tmp.replace(target)
    except (DataSourceError, DataLayerError, FieldError, GeometryError) as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: GDAL cannot write the GeoPackage ({exc})") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the GeoPackage ({exc.strerror or exc})") from exc


#: The first GDAL that writes Arrow batches (``pyogrio.raw.write_arrow``); with an
#: older one (a GDAL of the system or of conda that pyogrio was built against) the
#: layer is written a feature at a time, with the same content.
ARROW_GDAL = (3, 8, 0)


def _write_detection_layer(
    path: Path,
    fields: Sequence[tuple[NDArray[Any], NDArray[np.bool_] | None]],
    geometry: NDArray[np.object_],
    geometry_type: str,
    *,
    arrow: bool | None = None,
) -> None:
    """The :data:`GPKG_LAYER` layer of ``path``: one Arrow batch written by GDAL's
    columnar path (``OGRLayer::WriteArrowBatch``: 60,000 detections in a quarter of the
    time), or, where GDAL is older than :data:`ARROW_GDAL` or ``arrow`` is False, a
    feature at a time."""
    import pyogrio
    import pyogrio.raw

    names = [*PROPERTIES, "outline"]
    options: dict[str, Any] = {
        "layer": GPKG_LAYER,
        "driver": "GPKG",
        "geometry_type": geometry_type,
        "crs": _CRS,
    }
    if arrow is None:
        arrow = tuple(pyogrio.__gdal_version__) >= ARROW_GDAL
    if arrow:
        table = _arrow_table(fields, names, geometry)
        pyogrio.raw.write_arrow(table, path, geometry_name=_GEOMETRY_COLUMN, **options)
        return
    pyogrio.raw.write(
        path,
        geometry=geometry,
        field_data=[values for values, _ in fields],
        fields=names,
        field_mask=[mask for _, mask in fields],
        **options,
    )


#: The WKB column of the Arrow table handed to GDAL (the layer's own geometry column
#: is GDAL's ``geom``).
_GEOMETRY_COLUMN = "wkb_geometry"


def _arrow_table(
    columns: Sequence[tuple[NDArray[Any], NDArray[np.bool_] | None]],
    names: Sequence[str],
    geometry: NDArray[np.object_],
) -> Any:
    """The fields (values and null masks, as :func:`_column` gives them) and the WKB
    geometries as one Arrow struct array in a stream, for ``pyogrio.raw.write_arrow``.
    A float NaN is null, as ``pyogrio.raw.write`` writes it."""
    import nanoarrow as na

    n = len(geometry)
    children = [_arrow_array(values, mask) for values, mask in columns]
    children.append(na.c_array(geometry.tolist(), na.binary()))
    schema = na.struct(
        {
            name: na.c_schema(child.schema)
            for name, child in zip([*names, _GEOMETRY_COLUMN], children, strict=True)
        }
    )
    return na.c_array_stream(na.c_array_from_buffers(schema, n, [None], children=children))


def _arrow_array(values: NDArray[Any], mask: NDArray[np.bool_] | None) -> Any:
    """One field as an Arrow array: object arrays as text (``None`` null), the others
    from their buffers with a validity bitmap where ``mask`` (or NaN, or NaT) says."""
    import nanoarrow as na

    if values.dtype == object:
        return na.c_array(values.tolist(), na.string())
    null = np.zeros(len(values), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    data: NDArray[Any]
    if values.dtype.kind == "f":
        null = null | np.isnan(values)
        kind, data = na.float64(), np.ascontiguousarray(values, dtype=np.float64)
    elif values.dtype.kind == "M":
        null = null | np.isnat(values)
        kind, data = na.date32(), values.astype("datetime64[D]").astype(np.int32)
    elif values.dtype == bool:
        kind, data = na.bool_(), np.packbits(values, bitorder="little")
    else:
        kind, data = na.int64(), np.ascontiguousarray(values, dtype=np.int64)
    count = int(null.sum())
    validity = np.packbits(~null, bitorder="little") if count else None
    return na.c_array_from_buffers(kind, len(values), [validity, data], null_count=count)


def _multi_wkb(geoms: Sequence[Any] | NDArray[np.object_]) -> NDArray[np.object_]:
    """Polygons and multipolygons as WKB multipolygons (one layer type for QGIS)."""
    wkb = np.full(len(geoms), None, dtype=object)
    if len(geoms):
        parts, index = shapely.get_parts(np.asarray(geoms, dtype=object), return_index=True)
        wkb[:] = shapely.to_wkb(shapely.multipolygons(parts, indices=index))
    return wkb


def _write_site_layers(path: Path, site: Site) -> None:
    import pyogrio.raw

    pyogrio.raw.write(
        path,
        geometry=np.array(
            [
                shapely.to_wkb(
                    shapely.MultiPolygon(list(getattr(site.outline, "geoms", [site.outline])))
                )
            ],
            dtype=object,
        ),
        field_data=[
            np.array([site.name], dtype=object),
            np.array([site.title], dtype=object),
            np.array([site.outline_licence], dtype=object),
        ],
        fields=["site", "title", "licence"],
        layer=SITE_LAYER,
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs=_CRS,
    )
    zones = site.zones
    if not zones:
        return
    geoms = [shapely.MultiPolygon(list(getattr(z.geometry, "geoms", [z.geometry]))) for z in zones]
    pyogrio.raw.write(
        path,
        geometry=np.array(shapely.to_wkb(np.array(geoms, dtype=object)), dtype=object),
        field_data=[
            np.array([z.name for z in zones], dtype=object),
            np.array([z.kind for z in zones], dtype=object),
            np.array([z.source for z in zones], dtype=object),
            np.array([z.licence for z in zones], dtype=object),
            np.array([z.approximate for z in zones], dtype=bool),
        ],
        fields=["name", "kind", "source", "licence", "approximate"],
        layer=ZONES_LAYER,
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs=_CRS,
    )


@overload
def detection_outlines(
    result: PairResult, *, return_traced: Literal[False] = ...
) -> NDArray[np.object_]: ...


@overload
def detection_outlines(
    result: PairResult, *, return_traced: Literal[True]
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]: ...


def detection_outlines(
    result: PairResult, *, return_traced: bool = False
) -> NDArray[np.object_] | tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Each detection's outline in longitude/latitude: the polygon of its changed pixels.

    Each changed pixel inside a detection's pixel box is given to that detection (where
    boxes overlap, to the later one), and the owner raster is traced once
    (:func:`basewatch.outputs._trace.trace_rings`: every 4-connected piece of one
    owner a polygon, as GDAL's polygonize gives them, in flat arrays): no polygon
    overlay, so the cost follows the changed pixels and the detections, not their
    product. A detection without changed pixels in its box (an object seen on one date,
    not in the change) keeps its box. The rings' corners are moved to
    longitude/latitude in one transform and made into polygons by shapely's array
    functions.

    Parameters
    ----------
    result : PairResult
    return_traced : bool, default False
        Also return which outlines were traced from pixels (the others are boxes).

    Returns
    -------
    outlines : ndarray of shapely geometry, shape (n,)
        One per detection, in the order of ``result.detections``: a multipolygon of its
        pixels, or its box polygon.
    traced : ndarray of bool, shape (n,)
        Only with ``return_traced``: the outlines traced from pixels.
    """
    outlines, traced = _traced_outlines(result)
    return (outlines, traced) if return_traced else outlines


def _owner_rings(result: PairResult) -> tuple[Rings, NDArray[np.float64], NDArray[np.float64]]:
    """The rings of each detection's changed pixels (polygon values: detection index + 1)
    and their vertices' longitude and latitude."""
    changed = result.change.mask & result.change.valid
    boxes = np.array([d.bbox_px for d in result.detections], dtype=np.int64).reshape(-1, 4)
    owner = np.zeros(changed.shape, dtype=np.int32)
    _paste_owners(np.ascontiguousarray(changed), boxes, owner)
    del changed
    rings = trace_rings(owner, overwrite=True)
    del owner
    if not len(rings.ring_sizes):
        return rings, np.zeros(0), np.zeros(0)
    lon, lat = result.before.grid.pixels_to_lonlat(rings.y, rings.x)
    return rings, np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def _traced_outlines(result: PairResult) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """:func:`detection_outlines` and which of them were traced from pixels."""
    detections = result.detections
    out = _footprint_polygons(detections)
    traced = np.zeros(len(detections), dtype=bool)
    if not len(detections):
        return out, traced
    rings, lon, lat = _owner_rings(result)
    if not len(rings.ring_sizes):
        return out, traced
    shells_and_holes = shapely.linearrings(
        np.column_stack([lon, lat]),
        indices=np.repeat(np.arange(len(rings.ring_sizes)), rings.ring_sizes),
    )
    # each polygon's shell comes first, then its holes
    parts = shapely.polygons(shells_and_holes, indices=rings.ring_polygon)
    owners = rings.polygon_value - 1
    order = np.argsort(owners, kind="stable")
    ids = np.unique(owners)
    out[ids] = shapely.multipolygons(parts[order], indices=np.searchsorted(ids, owners[order]))
    traced[ids] = True
    return out, traced


def detection_outlines_wkb(result: PairResult) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """:func:`detection_outlines` as the WKB multipolygons a GeoPackage stores, and which
    of them were traced from pixels.

    The bytes are those of ``shapely.to_wkb`` of each outline made a multipolygon (one
    part for a box; little-endian, two dimensions), written from the traced rings'
    vertex arrays in one pass (:func:`_write_wkb`) instead of through a shapely ring,
    polygon and multipolygon per outline and a second multipolygon for the file: on a
    whole tile's 230,000 detections the shapely objects cost more than GDAL's writing
    of the layer.

    Parameters
    ----------
    result : PairResult

    Returns
    -------
    wkb : ndarray of bytes, shape (n,)
        One multipolygon per detection, in the order of ``result.detections``.
    traced : ndarray of bool, shape (n,)
        The outlines traced from changed pixels (the others are the boxes).
    """
    detections = result.detections
    n = len(detections)
    traced = np.zeros(n, dtype=bool)
    if not n:
        return np.zeros(0, dtype=object), traced
    rings, lon, lat = _owner_rings(result)
    owners = rings.polygon_value - 1
    traced[owners] = True
    # the others' boxes: one polygon each, of one ring (none for a detection without a
    # footprint), closed as shapely closes a ring
    boxed = np.flatnonzero(~traced)
    box_rings = [list(detections[i].footprint) for i in boxed]
    for ring in box_rings:
        if ring and ring[0] != ring[-1]:
            ring.append(ring[0])
    box_sizes = np.array([len(r) for r in box_rings], dtype=np.int64)
    box_xy = np.fromiter(chain.from_iterable(chain.from_iterable(box_rings)), np.float64)
    box_xy = box_xy.reshape(-1, 2)
    n_polygons = len(owners)  # traced polygons (a detection may have several)
    x = np.concatenate([lon, box_xy[:, 0]])
    y = np.concatenate([lat, box_xy[:, 1]])
    ring_sizes = np.concatenate([rings.ring_sizes, box_sizes[box_sizes > 0]])
    poly_rings = np.concatenate(
        [np.bincount(rings.ring_polygon, minlength=n_polygons), (box_sizes > 0).astype(np.int64)]
    )
    poly_owner = np.concatenate([owners, boxed])
    # each detection's polygons in their order (a traced outline's as traced)
    order = np.argsort(poly_owner, kind="stable")
    per_det = np.bincount(poly_owner, minlength=n)
    ring_bytes = _WKB_RING_HEAD + _WKB_POINT * ring_sizes
    ring_poly = np.repeat(np.arange(len(poly_rings)), poly_rings)
    poly_bytes = _WKB_GEOMETRY_HEAD + np.bincount(
        ring_poly, ring_bytes, minlength=len(poly_rings)
    ).astype(np.int64)
    det_bytes = _WKB_GEOMETRY_HEAD + np.bincount(poly_owner, poly_bytes, minlength=n).astype(
        np.int64
    )
    ends = np.cumsum(det_bytes)
    buf = np.empty(int(ends[-1]), dtype=np.uint8)
    _write_wkb(
        buf,
        np.ascontiguousarray(x).view(np.uint64),
        np.ascontiguousarray(y).view(np.uint64),
        ring_sizes,
        poly_rings,
        order,
        per_det,
    )
    data = buf.tobytes()
    starts = ends - det_bytes
    wkb = np.empty(n, dtype=object)
    wkb[:] = [data[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    return wkb, traced


#: WKB sizes (bytes): a (multi)polygon's byte order, type and count of parts or rings; a
#: ring's count of points; a two-dimensional point.
_WKB_GEOMETRY_HEAD, _WKB_RING_HEAD, _WKB_POINT = 9, 4, 16
#: WKB geometry types.
_WKB_POLYGON, _WKB_MULTIPOLYGON = 3, 6


@njit(cache=True, nogil=True)
def _put_u32(buf: Any, at: int, v: int) -> int:  # pragma: no cover - compiled
    for k in range(4):
        buf[at + k] = (v >> (8 * k)) & 0xFF
    return at + 4


@njit(cache=True, nogil=True)
def _put_u64(buf: Any, at: int, v: Any) -> int:  # pragma: no cover - compiled
    for k in range(8):
        buf[at + k] = (v >> np.uint64(8 * k)) & np.uint64(0xFF)
    return at + 8


@njit(cache=True, nogil=True)
def _write_wkb(
    buf: NDArray[np.uint8],
    x: NDArray[np.uint64],
    y: NDArray[np.uint64],
    ring_sizes: NDArray[np.int64],
    poly_rings: NDArray[np.int64],
    order: NDArray[np.int64],
    per_det: NDArray[np.int64],
) -> None:  # pragma: no cover - compiled
    """Little-endian WKB multipolygons into ``buf``, one per detection in turn: its
    polygons ``order[...]`` (``per_det`` of them), each ``poly_rings`` rings of
    ``ring_sizes`` points (rings and points in the order of the polygons' indices);
    ``x``, ``y`` the points' float64 bits."""
    n_poly = poly_rings.shape[0]
    first_ring = np.zeros(n_poly + 1, dtype=np.int64)
    for p in range(n_poly):
        first_ring[p + 1] = first_ring[p] + poly_rings[p]
    first_point = np.zeros(ring_sizes.shape[0] + 1, dtype=np.int64)
    for r in range(ring_sizes.shape[0]):
        first_point[r + 1] = first_point[r] + ring_sizes[r]
    at = 0
    k = 0
    for i in range(per_det.shape[0]):
        buf[at] = 1
        at = _put_u32(buf, at + 1, _WKB_MULTIPOLYGON)
        at = _put_u32(buf, at, per_det[i])
        for _ in range(per_det[i]):
            p = order[k]
            k += 1
            buf[at] = 1
            at = _put_u32(buf, at + 1, _WKB_POLYGON)
            at = _put_u32(buf, at, poly_rings[p])
            for r in range(first_ring[p], first_ring[p + 1]):
                at = _put_u32(buf, at, ring_sizes[r])
                for q in range(first_point[r], first_point[r + 1]):
                    at = _put_u64(buf, at, x[q])
                    at = _put_u64(buf, at, y[q])


@njit(cache=True, nogil=True)
def _paste_owners(
    changed: NDArray[np.bool_], boxes: NDArray[np.int64], owner: NDArray[np.int32]
) -> None:  # pragma: no cover - compiled
    """``owner[pixel] = i + 1`` for each changed pixel in box ``i``, boxes in order (a
    later box takes the pixels it shares with an earlier one)."""
    rows, cols = changed.shape
    for i in range(boxes.shape[0]):
        r0, c0 = max(boxes[i, 0], 0), max(boxes[i, 1], 0)
        r1, c1 = min(boxes[i, 2], rows), min(boxes[i, 3], cols)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if changed[r, c]:
                    owner[r, c] = i + 1


def _footprint_polygons(detections: Sequence[Detection]) -> NDArray[np.object_]:
    """Each detection's footprint as a shapely polygon (an empty one without footprint)."""
    sizes = np.array([len(d.footprint) for d in detections], dtype=np.int64)
    out = np.full(len(detections), shapely.Polygon(), dtype=object)
    has = sizes > 0
    if has.any():
        points = chain.from_iterable(d.footprint for d in detections)
        coords = np.fromiter(chain.from_iterable(points), np.float64).reshape(-1, 2)
        rings = shapely.linearrings(
            coords, indices=np.repeat(np.arange(int(has.sum())), sizes[has])
        )
        out[has] = shapely.polygons(rings)
    return out


def _feature_collection(detections: Sequence[Detection]) -> dict[str, Any]:
    """The FeatureCollection with the records' own values (enums, tuples) in it, for
    :func:`~basewatch.records.to_jsonable` or :func:`~basewatch.records.dumps_json`; the
    dates are already their ISO text (what both make of them), each written once: as
    date objects, orjson would hand each back to Python, twice per feature (a tile's
    230,000 features: 1 of the GeoJSON's 2 s)."""
    properties = attrgetter(*PROPERTIES)  # all of them in one call: twice as fast
    iso: dict[dt.date, str] = {}

    def as_text(day: Any) -> Any:
        if not isinstance(day, dt.date):
            return day
        text = iso.get(day)
        if text is None:
            text = iso[day] = to_jsonable(day)
        return text

    features = []
    for d in detections:
        values = dict(zip(PROPERTIES, properties(d), strict=True))
        for name in _DATE_PROPERTIES:
            values[name] = as_text(values[name])
        features.append(
            {
                "type": "Feature",
                "id": d.id,
                "properties": values,
                "geometry": {"type": "Polygon", "coordinates": [d.footprint]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


#: The properties that hold dates.
_DATE_PROPERTIES = tuple(
    name for name, kind in get_type_hints(Detection).items() if kind is dt.date
)


def _footprints_wkb(detections: Sequence[Detection]) -> NDArray[np.object_]:
    """The footprints as WKB polygons (``None`` for a detection without one)."""
    wkb = np.full(len(detections), None, dtype=object)
    has = np.array([len(d.footprint) > 0 for d in detections], dtype=bool)
    if has.any():
        wkb[has] = shapely.to_wkb(_footprint_polygons(detections)[has])
    return wkb


#: ``date(1970, 1, 1).toordinal()``: day 0 of ``datetime64[D]``.
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
#: The int64 of ``datetime64("NaT")``.
_NAT_DAYS = int(np.datetime64("NaT", "D").astype(np.int64))


def _column(values: list[Any]) -> tuple[NDArray[Any], NDArray[np.bool_] | None]:
    """One property of every detection as a GDAL field: the values and where they are
    null (``None`` when none is), typed from the first value that is not ``None``.

    A tile's run has hundreds of thousands of detections, so each column is converted
    by numpy where it can be (numbers, flags), and values that repeat (enums, dates,
    notes, zone names) are converted once each.
    """
    n = len(values)
    null = np.fromiter(map(is_, values, repeat(None)), dtype=bool, count=n)
    has_null = bool(null.any())
    mask = null if has_null else None
    sample = values[int(np.argmin(null))] if n and not null.all() else ""
    if isinstance(sample, enum.Enum):
        return _converted(values, lambda v: str(v.value)), mask
    if isinstance(sample, bool | np.bool_):
        return np.array([bool(v) for v in values], dtype=bool), mask
    if isinstance(sample, int | np.integer | float | np.floating):
        kind = np.float64 if isinstance(sample, float | np.floating) else np.int64
        if has_null:
            # NaN is written as null, as the GeoJSON's null
            gap = np.nan if kind is np.float64 else 0
            values = [gap if v is None else v for v in values]
        return np.fromiter(values, dtype=kind, count=n), mask
    if isinstance(sample, dt.date) and not isinstance(sample, dt.datetime):
        # days since 1970 from the ordinals: numpy's parsing of date objects takes 20
        # times as long; None is NaT
        days = _converted(values, lambda v: v.toordinal() - _EPOCH_ORDINAL, null=_NAT_DAYS)
        return days.astype(np.int64).astype("datetime64[D]"), mask
    if isinstance(sample, list | tuple):
        # JSON text, as GDAL writes list fields to a GeoPackage (each value on its own:
        # most differ, as pixel boxes do)
        text = [
            None if v is None else orjson.dumps(v, default=to_jsonable).decode() for v in values
        ]
        return np.fromiter(text, dtype=object, count=len(text)), mask
    if isinstance(sample, str):  # as they are, but for a value of another type
        if set(map(type, values)) <= {str, type(None)}:
            return np.fromiter(values, dtype=object, count=n), mask
        return _converted(values, lambda v: v if type(v) is str else str(to_jsonable(v))), mask
    return _converted(values, lambda v: str(to_jsonable(v))), mask


def _converted(
    values: list[Any], convert: Callable[[Any], Any], *, null: Any = None
) -> NDArray[np.object_]:
    """``convert`` of each value (``null`` for ``None``), called once per distinct value
    (the values repeat: a run's few classes, events, dates and zones), or once per value
    where they cannot be hashed."""
    try:
        known: dict[Any, Any] = {v: null if v is None else convert(v) for v in set(values)}
    except TypeError:  # a value that cannot be hashed: each converted on its own
        out = [null if v is None else convert(v) for v in values]
    else:
        out = list(map(known.__getitem__, values))
    return np.fromiter(out, dtype=object, count=len(out))
