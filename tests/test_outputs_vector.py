"""A run's detections as a GeoPackage: the GeoJSON's features, read back by pyogrio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely

from basewatch import detect_pair, load_site, read_local_pair, sample_pair, write_run
from basewatch.outputs.vector import GPKG_LAYER, PROPERTIES, write_geopackage
from basewatch.pipeline import PairResult


@pytest.fixture(scope="module")
def port() -> PairResult:
    site = load_site("beirut-port")
    return detect_pair(site, *read_local_pair(site, *sample_pair("beirut-port")))


@pytest.fixture(scope="module")
def port_run(port: PairResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_run(port, tmp_path_factory.mktemp("port"), png=False, gpkg=True)


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
    if isinstance(value, np.generic):
        return value.item()
    return value


def test_the_geopackage_holds_the_geojson_features(port_run: dict[str, Path]) -> None:
    features = json.loads(port_run["geojson"].read_text(encoding="utf-8"))["features"]
    meta, rows, geometries = _gpkg_rows(port_run["gpkg"])
    assert meta["crs"] == "EPSG:4326"
    assert meta["geometry_type"] == "Polygon"
    assert list(meta["fields"]) == list(PROPERTIES)
    assert [r["id"] for r in rows] == [f["id"] for f in features]
    for row, feature, geometry in zip(rows, features, geometries, strict=True):
        props = feature["properties"]
        assert {k: _as_geojson(k, v) for k, v in row.items()} == props
        ring = feature["geometry"]["coordinates"][0]
        assert shapely.get_coordinates(geometry).tolist() == ring


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
        "detections.geojson",
        "detections.gpkg",
        "run.json",
    ]


def test_runs_write_no_geopackage_unless_asked(port: PairResult, tmp_path: Path) -> None:
    paths = write_run(port, tmp_path, png=False)
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
