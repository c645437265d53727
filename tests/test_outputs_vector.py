"""A run's detections as a GeoPackage: the GeoJSON's features, read back by pyogrio."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely

from basewatch import detect_pair, load_site, read_local_pair, sample_pair, write_run
from basewatch.errors import InputError
from basewatch.outputs.vector import (
    GPKG_LAYER,
    OUTLINE_BOX,
    OUTLINE_PIXELS,
    PROPERTIES,
    SITE_LAYER,
    ZONES_LAYER,
    _column,
    _footprints_wkb,
    _multi_wkb,
    _write_detection_layer,
    detection_outlines,
    detection_outlines_wkb,
    write_geojson,
    write_geopackage,
)
from basewatch.pipeline import PairResult


@pytest.fixture(scope="module")
def port() -> PairResult:
    site = load_site("beirut-port")
    return detect_pair(site, *read_local_pair(site, *sample_pair("beirut-port")))


@pytest.fixture(scope="module")
def port_run(port: PairResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_run(port, tmp_path_factory.mktemp("port"), png=False, html=False, cog=False)


def _gpkg_rows(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[Any]]:
    """The layer's metadata, its rows as dicts and its geometries (shapely)."""
    meta, _, wkb, columns = pyogrio.raw.read(path, layer=GPKG_LAYER)
    names = list(meta["fields"])
    rows = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    return meta, rows, list(shapely.from_wkb(wkb))


def _as_geojson(name: str, value: Any) -> Any:
    """A GeoPackage cell as the GeoJSON writes the same property."""
    if name in ("bbox_px", "notes"):
        return json.loads(value)
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.floating) and np.isnan(value):
        return None  # pyogrio reads a null real as NaN
    if isinstance(value, np.generic):
        return value.item()
    return value


def test_the_geopackage_holds_the_geojson_features_with_their_outlines(
    port_run: dict[str, Path],
) -> None:
    features = json.loads(port_run["geojson"].read_text(encoding="utf-8"))["features"]
    meta, rows, geometries = _gpkg_rows(port_run["gpkg"])
    assert meta["crs"] == "EPSG:4326"
    assert meta["geometry_type"] == "MultiPolygon"
    assert list(meta["fields"]) == [*PROPERTIES, "outline"]
    assert [r["id"] for r in rows] == [f["id"] for f in features]
    for row, feature, geometry in zip(rows, features, geometries, strict=True):
        props = feature["properties"]
        outline = row.pop("outline")
        assert {k: _as_geojson(k, v) for k, v in row.items()} == props
        box = shapely.Polygon(feature["geometry"]["coordinates"][0])
        # the object's own pixels, inside its box and smaller than it
        assert box.buffer(1e-6).contains(geometry)  # footprints are rounded to 1e-7 degrees
        if outline == OUTLINE_PIXELS:
            assert geometry.area < box.area
        else:
            assert outline == OUTLINE_BOX and geometry.equals(box)


def test_missing_values_are_nulls_of_typed_fields(port: PairResult, tmp_path: Path) -> None:
    # a detection without zone, sizes or confidence beside the port's own: each field
    # keeps its type, and every missing value (None, NaN) is a null, as in the GeoJSON
    bare = replace(
        port.detections[0],
        id="bare",
        zone=None,
        zone_kind=None,
        length_m=float("nan"),
        width_m=float("nan"),
        confidence=float("nan"),
        detectable=False,
    )
    detections = [bare, *port.detections[1:]]
    path = tmp_path / "nulls.gpkg"
    write_geopackage(detections, path)
    write_geojson(detections, tmp_path / "nulls.geojson")
    features = json.loads((tmp_path / "nulls.geojson").read_text(encoding="utf-8"))["features"]
    _, rows, _ = _gpkg_rows(path)
    for row, feature in zip(rows, features, strict=True):
        row.pop("outline")
        assert {k: _as_geojson(k, v) for k, v in row.items()} == feature["properties"]
    assert rows[0]["zone"] is None and not rows[0]["detectable"]
    with contextlib.closing(sqlite3.connect(path)) as db:  # nulls in the file, not NaN
        nulls = db.execute(
            f"SELECT zone IS NULL, length_m IS NULL, confidence IS NULL FROM {GPKG_LAYER} "
            "WHERE id = 'bare'"
        ).fetchone()
    assert nulls == (1, 1, 1)
    info = pyogrio.read_info(path, layer=GPKG_LAYER)
    kinds = zip(info["ogr_types"], info["ogr_subtypes"], strict=True)
    types = dict(zip(info["fields"], kinds, strict=True))
    assert types["area_px"] == ("OFTInteger64", "OFSTNone")
    assert types["length_m"] == ("OFTReal", "OFSTNone")
    assert types["detectable"] == ("OFTInteger", "OFSTBoolean")
    assert types["before_date"] == ("OFTDate", "OFSTNone")
    assert types["zone"] == ("OFTString", "OFSTNone")


def test_a_gdal_without_arrow_writing_gets_the_same_layer_a_feature_at_a_time(
    port: PairResult, tmp_path: Path
) -> None:
    # older GDALs (before ARROW_GDAL) write the features one by one: the same rows
    bare = replace(port.detections[0], id="bare", zone=None, length_m=float("nan"))
    detections = [bare, *port.detections[1:]]
    rows_in = [_properties(d) for d in detections]
    fields = [_column(list(v)) for v in zip(*rows_in, strict=True)]
    fields.append((np.array([OUTLINE_BOX] * len(detections), dtype=object), None))
    geometry = _footprints_wkb(detections)
    layers = []
    for arrow in (True, False):
        path = tmp_path / f"arrow-{arrow}.gpkg"
        _write_detection_layer(path, fields, geometry, "Polygon", arrow=arrow)
        info = pyogrio.read_info(path, layer=GPKG_LAYER)
        _, rows, shapes = _gpkg_rows(path)
        layers.append((list(info["ogr_types"]), list(info["ogr_subtypes"]), rows, shapes))
    (types, subtypes, rows, shapes), (types_f, subtypes_f, rows_f, shapes_f) = layers
    assert types == types_f and subtypes == subtypes_f
    assert [{k: _as_geojson(k, v) for k, v in r.items()} for r in rows] == [
        {k: _as_geojson(k, v) for k, v in r.items()} for r in rows_f
    ]
    assert all(a.equals_exact(b, 0) for a, b in zip(shapes, shapes_f, strict=True))
    assert rows[0]["zone"] is None and rows[0]["id"] == "bare"


def _properties(d: Any) -> tuple[Any, ...]:
    """A detection's properties in the GeoPackage's order."""
    return tuple(getattr(d, name) for name in PROPERTIES)


def test_outlines_are_the_changed_pixels_and_lie_inside_the_site(port: PairResult) -> None:
    outlines = detection_outlines(port)
    site = port.site.outline.buffer(1e-6)
    pixel = port.before.grid.pixel_area_m2
    changed = port.change.mask & port.change.valid
    for d, outline in zip(port.detections, outlines, strict=True):
        assert site.contains(outline), d.id
        r0, c0, r1, c1 = d.bbox_px
        n_changed = int(changed[r0:r1, c0:c1].sum())
        # area of the outline (UTM) against the count of changed pixels in the box
        area_m2 = shapely.area(_utm(outline, port.site.utm_crs))
        if n_changed:
            assert area_m2 == pytest.approx(n_changed * pixel, rel=0.02), d.id


def _utm(geom: Any, crs: str) -> Any:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(tr.transform(*xy.T)))


def test_the_geopackage_has_the_site_and_zone_layers(
    port: PairResult, port_run: dict[str, Path]
) -> None:
    layers = dict(pyogrio.list_layers(port_run["gpkg"]))
    assert layers == {
        GPKG_LAYER: "MultiPolygon",
        SITE_LAYER: "MultiPolygon",
        ZONES_LAYER: "MultiPolygon",
    }
    _, _, wkb, (names, kinds, *_) = pyogrio.raw.read(port_run["gpkg"], layer=ZONES_LAYER)
    assert list(names) == [z.name for z in port.site.zones]
    assert list(kinds) == [z.kind for z in port.site.zones]
    zones = shapely.from_wkb(wkb)
    _, _, site_wkb, (site_names, *_) = pyogrio.raw.read(port_run["gpkg"], layer=SITE_LAYER)
    assert list(site_names) == [port.site.name]
    outline = shapely.from_wkb(site_wkb[0])
    assert outline.equals(shapely.MultiPolygon([port.site.outline]))
    assert all(outline.buffer(1e-4).contains(z) for z in zones)


def test_the_geopackage_has_the_two_vessel_events_of_the_port(
    port_run: dict[str, Path],
) -> None:
    _, rows, _ = _gpkg_rows(port_run["gpkg"])
    vessels = {(r["event"], r["zone"]) for r in rows if r["object_class"] == "vessel"}
    assert vessels == {
        ("disappeared", "Harbour basin"),
        ("appeared", "Quay 9-12 berths (east pier)"),
    }


def test_the_run_record_names_the_geopackage_and_nothing_is_left_half_written(
    port_run: dict[str, Path],
) -> None:
    folder = port_run["run"].parent
    record = json.loads(port_run["run"].read_text(encoding="utf-8"))
    assert record["outputs"] == {"geojson": "detections.geojson", "gpkg": "detections.gpkg"}
    assert sorted(p.name for p in folder.iterdir()) == [
        ".basewatch-files",
        "detections.geojson",
        "detections.gpkg",
        "run.json",
    ]


def test_runs_asked_for_no_geopackage_write_none(port: PairResult, tmp_path: Path) -> None:
    paths = write_run(port, tmp_path, png=False, gpkg=False, html=False, cog=False)
    assert "gpkg" not in paths
    assert not (tmp_path / "detections.gpkg").exists()


def test_a_run_without_detections_writes_an_empty_layer(tmp_path: Path) -> None:
    path = tmp_path / "none.gpkg"
    write_geopackage([], path)
    info = pyogrio.read_info(path, layer=GPKG_LAYER)
    assert info["features"] == 0
    assert info["crs"] == "EPSG:4326"


def test_an_existing_geopackage_is_replaced(port: PairResult, tmp_path: Path) -> None:
    path = tmp_path / "d.gpkg"
    write_geopackage(port.detections[:1], path)
    write_geopackage(port.detections, path)
    assert pyogrio.read_info(path, layer=GPKG_LAYER)["features"] == len(port.detections)


def test_traced_outlines_label_the_geopackage_as_the_comparison_with_the_boxes(
    port: PairResult, tmp_path: Path
) -> None:
    outlines, traced = detection_outlines(port, return_traced=True)
    assert outlines.tolist() == detection_outlines(port).tolist()
    assert traced.all()  # the port's five detections are changed pixels
    # the first one given its box instead, as an object seen on one date has
    box = shapely.Polygon(port.detections[0].footprint)
    outlines[0], traced[0] = box, False
    given, compared = tmp_path / "given.gpkg", tmp_path / "compared.gpkg"
    write_geopackage(port.detections, given, outlines=outlines, traced=traced)
    write_geopackage(port.detections, compared, outlines=outlines)
    kinds = [
        pyogrio.raw.read(p, layer=GPKG_LAYER, columns=["outline"])[3][0].tolist()
        for p in (given, compared)
    ]
    assert kinds[0] == kinds[1]
    assert kinds[0] == [OUTLINE_PIXELS if t else OUTLINE_BOX for t in traced]
    with pytest.raises(InputError, match="traced has 1 values"):
        write_geopackage(port.detections, tmp_path / "bad.gpkg", outlines=outlines, traced=[True])


def _shapely_wkb(result: PairResult) -> tuple[list[bytes], list[bool]]:
    """What the GeoPackage held before the WKB was written directly: shapely's."""
    outlines, traced = detection_outlines(result, return_traced=True)
    return list(_multi_wkb(outlines)), traced.tolist()


@pytest.mark.parametrize("name", ["beirut-port", "beirut-airport"])
def test_the_outlines_wkb_is_shapelys_of_the_outlines(name: str) -> None:
    site = load_site(name)
    result = detect_pair(site, *read_local_pair(site, *sample_pair(name)))
    wkb, traced = detection_outlines_wkb(result)
    assert len(wkb) == len(result.detections) >= 5
    assert (list(wkb), traced.tolist()) == _shapely_wkb(result)
    assert set(shapely.get_type_id(shapely.from_wkb(wkb))) == {shapely.GeometryType.MULTIPOLYGON}


def test_boxes_empty_and_open_footprints_are_written_as_shapely_writes_them(
    port: PairResult,
) -> None:
    changed = port.change.mask & port.change.valid
    rows, cols = np.nonzero(~changed)
    quiet = (int(rows[0]), int(cols[0]), int(rows[0]) + 1, int(cols[0]) + 1)
    first, second, third, *rest = port.detections
    assert not changed[quiet[0], quiet[1]]
    edited = replace(
        port,
        detections=(
            replace(first, bbox_px=quiet),  # no changed pixel in its box: its box
            replace(second, bbox_px=quiet, footprint=()),  # nor a footprint: empty
            replace(third, bbox_px=quiet, footprint=third.footprint[:-1]),  # left open
            *rest,
        ),
    )
    wkb, traced = detection_outlines_wkb(edited)
    assert traced.tolist() == [False, False, False] + [True] * len(rest)
    assert (list(wkb), traced.tolist()) == _shapely_wkb(edited)
    outlines = shapely.from_wkb(wkb)
    assert outlines[0].equals(shapely.MultiPolygon([shapely.Polygon(first.footprint)]))
    assert outlines[1].is_empty
    assert outlines[2].equals(outlines[2].envelope)  # the box, closed


def test_a_geopackage_from_wkb_outlines_is_the_one_from_shapely_outlines(
    port: PairResult, tmp_path: Path
) -> None:
    outlines, traced = detection_outlines(port, return_traced=True)
    wkb, _ = detection_outlines_wkb(port)
    paths = [tmp_path / f"{k}.gpkg" for k in ("shapely", "wkb", "wkb-compared")]
    write_geopackage(port.detections, paths[0], outlines=outlines, traced=traced)
    write_geopackage(port.detections, paths[1], outlines=wkb, traced=traced)
    write_geopackage(port.detections, paths[2], outlines=wkb)  # traced found by comparison
    read = [pyogrio.raw.read(p, layer=GPKG_LAYER) for p in paths]
    for other in read[1:]:
        assert list(other[2]) == list(read[0][2])  # the geometries' bytes
        assert [list(c) for c in other[3]] == [list(c) for c in read[0][3]]
