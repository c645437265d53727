"""Site AOIs: the bundled files, the loader's validation and reprojection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point

from basewatch.aoi import ZONE_KINDS, list_sites, load_site, outline_mask, zone_index
from basewatch.errors import AOIError
from basewatch.grid import Grid

# OurAirports thresholds of Hmeimim runway 17/35 (FACTS.md)
THR17 = (35.94750, 35.41390)
THR35 = (35.94940, 35.38870)


def test_bundled_sites_load_and_carry_sources() -> None:
    names = list_sites()
    assert {"hmeimim", "tartus", "beirut-airport", "beirut-port"} <= set(names)
    for name in names:
        site = load_site(name)
        assert site.name == name
        assert site.utm_epsg == 32636
        assert site.zones, name
        for zone in site.zones:
            assert zone.kind in ZONE_KINDS
            assert zone.source and zone.licence


def test_hmeimim_runway_matches_published_thresholds() -> None:
    site = load_site("hmeimim")
    runway = next(z for z in site.zones if z.kind == "runway")
    # both thresholds lie on the runway polygon's end edges
    assert runway.geometry.distance(Point(*THR17)) < 1e-6
    assert runway.geometry.distance(Point(*THR35)) < 1e-6
    utm = site.project()
    rwy = next(z for z in utm.zones if z.kind == "runway").geometry
    # the runway polygon is 2,797 m x 45 m (OurAirports)
    length = Geod(ellps="WGS84").inv(*THR17, *THR35)[2]
    assert rwy.area == pytest.approx(length * 45.0, rel=0.01)
    assert 2780 < length < 2815
    assert utm.crs == "EPSG:32636"


def test_tartus_zones_cover_the_port_and_the_approaches() -> None:
    site = load_site("tartus")
    kinds = {z.kind for z in site.zones}
    assert {"harbour", "berth", "approach"} <= kinds
    harbour = next(z for z in site.zones if z.kind == "harbour").geometry
    approach = next(z for z in site.zones if z.kind == "approach").geometry
    berths = next(z for z in site.zones if z.kind == "berth").geometry
    # the northern basin (naval facility) lies inside the port, north of the port's centre
    assert harbour.buffer(1e-6).contains(berths)
    assert berths.centroid.y > harbour.centroid.y
    # the approaches are offshore: west of the port and not overlapping it
    assert approach.centroid.x < harbour.bounds[0]
    assert approach.intersection(harbour).area < 1e-9


def test_tartus_approaches_hold_the_anchorage_reported_offshore() -> None:
    """The frigates were reported anchored 7-13 km off the coast (FACTS.md): every point
    due west of the port's seaward edge out to 13 km lies in the approach zone."""
    utm = load_site("tartus").project()
    harbour = next(z for z in utm.zones if z.kind == "harbour").geometry
    approach = next(z for z in utm.zones if z.kind == "approach").geometry
    west, _, _, _ = harbour.bounds
    y = harbour.centroid.y
    for km in (1.0, 7.0, 10.0, 13.0):
        assert approach.contains(Point(west - km * 1000.0, y)), km
    # and not far beyond: a search window grows with the site
    assert not utm.outline.contains(Point(west - 20_000.0, y))


def test_site_found_by_alias() -> None:
    assert load_site("Khmeimim").name == "hmeimim"
    assert load_site("Tartous").name == "tartus"


def test_zone_index_rasterises_runway_pixels() -> None:
    site = load_site("hmeimim")
    # a 10 m UTM grid around the runway
    x0, y1 = 788000.0, 3925000.0
    grid = Grid("EPSG:32636", (10.0, 0.0, x0, 0.0, -10.0, y1), 600, 600)
    idx, zones = zone_index(site, grid)
    runway_i = next(i for i, z in enumerate(zones) if z.kind == "runway")
    rwy_px = int((idx == runway_i).sum())
    # 2,797 m x 45 m / 100 m^2 per pixel, where the runway falls inside this grid
    rwy = zones[runway_i].geometry.intersection(shapely.box(*grid.bounds))
    assert rwy_px == pytest.approx(rwy.area / 100.0, rel=0.05)
    inside = outline_mask(site, grid)
    assert inside[idx >= 0].all()


def _write(tmp_path: Path, doc: Any, name: str = "site.geojson") -> Path:
    p = tmp_path / name
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return p


def _good() -> dict[str, Any]:
    return json.loads(Path(load_site("hmeimim").path).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: "{not json", "not valid JSON"),
        (lambda d: {"type": "Feature"}, "FeatureCollection"),
        (lambda d: {**d, "basewatch": "hmeimim"}, "must be an object"),
        (lambda d: {**d, "basewatch": {"site": "x", "utm_epsg": "utm36"}}, "UTM zone"),
        (lambda d: {**d, "basewatch": {"site": "x", "utm_epsg": 4326}}, "UTM zone"),
        (lambda d: {**d, "features": []}, "no features"),
        (lambda d: _set(d, 1, "kind", "hangar"), "unknown kind 'hangar'"),
        (lambda d: _set(d, 1, "licence", ""), "licence"),
        (lambda d: {**d, "features": d["features"][1:]}, "no feature has kind 'outline'"),
        (lambda d: _geom(d, 2, [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]), "not a valid polygon"),
        (
            lambda d: _geom(
                d, 2, [[[788000, 3925000], [789000, 3925000], [789000, 3926000], [788000, 3925000]]]
            ),
            "outside longitude/latitude",
        ),
        (
            lambda d: _geom(d, 2, [[[36.5, 35.0], [36.6, 35.0], [36.6, 35.1], [36.5, 35.0]]]),
            "outside the site outline",
        ),
        (
            lambda d: {**d, "crs": {"type": "name", "properties": {"name": "EPSG:32636"}}},
            "EPSG:4326",
        ),
        (lambda d: {**d, "basewatch": {**d["basewatch"], "aliases": "Tartus"}}, "aliases"),
        (lambda d: {**d, "basewatch": {**d["basewatch"], "aliases": 7}}, "aliases"),
    ],
)
def test_bad_aoi_files_name_file_and_problem(tmp_path: Path, mutate: Any, fragment: str) -> None:
    path = _write(tmp_path, mutate(_good()))
    with pytest.raises(AOIError) as exc:
        load_site(path)
    assert str(path) in str(exc.value)
    assert fragment in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_missing_aoi_file_and_unknown_site(tmp_path: Path) -> None:
    with pytest.raises(AOIError, match="not found"):
        load_site(tmp_path / "nope.geojson")
    with pytest.raises(AOIError, match=r"unknown site 'atlantis'.*hmeimim"):
        load_site("atlantis")
    # a name in another case, or an alias, is the site; a near miss is named
    assert load_site("Hmeimim").name == "hmeimim"
    assert load_site("TARTOUS").name == "tartus"
    with pytest.raises(AOIError, match=r"unknown site 'hmeimimm'; did you mean 'hmeimim'\?"):
        load_site("hmeimimm")


def _set(doc: dict[str, Any], i: int, key: str, value: Any) -> dict[str, Any]:
    doc["features"][i]["properties"][key] = value
    return doc


def _geom(doc: dict[str, Any], i: int, coords: Any) -> dict[str, Any]:
    doc["features"][i]["geometry"] = {"type": "Polygon", "coordinates": coords}
    return doc


def test_osm_outline_matches_shared_source(shared_data: Path) -> None:
    """The Tartus harbour zone is the OSM port boundary, unchanged (to 1e-7 degree)."""
    src = json.loads((shared_data / "sites" / "tartus_osm.geojson").read_text(encoding="utf-8"))
    port = next(
        shapely.geometry.shape(f["geometry"])
        for f in src["features"]
        if f["properties"]["role"] == "port_boundary"
    )
    harbour = next(z for z in load_site("tartus").zones if z.kind == "harbour").geometry
    assert harbour.symmetric_difference(port).area < 1e-9
    assert np.isclose(harbour.area, port.area, rtol=1e-6)


def test_a_site_file_that_lost_its_basewatch_member_takes_the_name_from_features_or_file(
    tmp_path: Path,
) -> None:
    doc = _good()
    doc.pop("basewatch")
    assert load_site(_write(tmp_path, doc, "tartus-2.geojson")).name == "tartus-2"
    outline = next(f for f in doc["features"] if f["properties"]["kind"] == "outline")
    outline["properties"]["site"] = "Hmeimim"
    assert load_site(_write(tmp_path, doc, "Export (1).geojson")).name == "hmeimim"
    outline["properties"].pop("site")
    with pytest.raises(AOIError, match="no site name") as info:
        load_site(_write(tmp_path, doc, "Export (2).geojson"))
    assert "Export (2).geojson" in str(info.value)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'{"type": "FeatureCollection", "features": [], "x": "Hm\xe9imim"}', "not UTF-8"),
        (None, "not a finite number"),
    ],
)
def test_undecodable_or_nan_aoi_files_are_refused_in_one_line(
    tmp_path: Path, raw: bytes | None, fragment: str
) -> None:
    path = tmp_path / "site.geojson"
    if raw is None:
        doc = _good()
        doc["features"][0]["geometry"]["coordinates"][0][1][0] = float("nan")
        path.write_text(json.dumps(doc), encoding="utf-8")  # json writes NaN
    else:
        path.write_bytes(raw)
    with pytest.raises(AOIError, match=fragment) as info:
        load_site(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_null_aliases_and_title_mean_none(tmp_path: Path) -> None:
    """A site file whose aliases or title are null (an editor's empty field) still loads:
    no aliases, the site's name as its title."""
    doc = _good()
    doc["basewatch"] = {**doc["basewatch"], "aliases": None, "title": None}
    site = load_site(_write(tmp_path, doc))
    assert site.aliases == () and site.title == site.name
