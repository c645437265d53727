"""``basewatch vessels --site --date``: one scene's vessels found in a STAC catalogue.

The catalogue is real STAC served on localhost (no mocks): a static catalogue whose item
is a published Earth Search ``sentinel-2-l2a`` item with only id, date, footprint and
asset hrefs replaced, pointing at cloud-optimised GeoTIFFs on a local HTTP server that
honours ``Range`` requests (``tests/stac_server.py``). The pixels are the real Piraeus
scene of ``../shared/data/s2_ships/`` (sen2ships, MIT), warped once onto a UTM grid as
a Sentinel-2 tile's: B02, B03, B04 and B08 at 10 m and B11 at 20 m, as the archive holds
it (2 x 2 means), so the loader reads the site's window of each band and resamples SWIR
onto the 10 m grid. The same vessels must come out as from the 10 m five-band GeoTIFF
given to ``basewatch vessels`` (measured: 29 of its 30 within 40 m, 35 against 30).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import rasterio
from affine import Affine
from click.testing import CliRunner

from basewatch.cli.main import main
from stac_server import Tile, es_s2_item, serving, write_cog, write_static_catalog

#: Earth Search asset names of the bands, in the order of the sen2ships file.
ASSETS = ("blue", "green", "red", "nir", "swir16")
DAY = dt.date(2023, 8, 18)
#: The date the same pixels are published again (:func:`world`).
LATER = dt.date(2023, 8, 28)
UTM = "EPSG:32634"
#: How far apart (metres) the two paths may put one vessel: the 20 m SWIR and the
#: reprojection onto the site's UTM grid move outlines by a pixel or two.
SAME_VESSEL_M = 40.0


def _site(path: Path, bounds_lonlat: tuple[float, float, float, float]) -> Path:
    w, s, e, n = bounds_lonlat
    # the harbour zone: the image less a tenth at each edge (Piraeus roads, the port's
    # basins), so that the site's grid and the image cover it alike
    dx, dy = (e - w) * 0.1, (n - s) * 0.1
    box = [[w + dx, s + dy], [e - dx, s + dy], [e - dx, n - dy], [w + dx, n - dy]]
    outline = [[w, s], [e, s], [e, n], [w, n]]

    def feature(kind: str, ring: list[list[float]]) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {
                "kind": kind,
                "name": f"test {kind}",
                "source": "drawn by the test over the image's extent",
                "licence": "CC0-1.0",
            },
            "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        }

    doc = {
        "type": "FeatureCollection",
        "basewatch": {"site": "piraeus-test", "title": "Piraeus (test site)", "utm_epsg": 32634},
        "features": [feature("outline", outline), feature("harbour", box)],
    }
    path.write_text(json.dumps(doc))
    return path


def _to_utm(image: Path) -> tuple[np.ndarray, Affine, str, tuple[float, ...]]:
    """The sen2ships scene (Web Mercator) warped onto a UTM 34N grid of 10 m whose edges
    are multiples of 20 m, as a Sentinel-2 tile's: the site's 10 m grid then takes the
    10 m bands as they are and the 20 m band by resampling, as with the archive."""
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    with rasterio.open(image) as src:
        t0, w, h = calculate_default_transform(
            src.crs, UTM, src.width, src.height, *src.bounds, resolution=10.0
        )
        left = np.floor(t0.c / 20.0) * 20.0
        top = np.ceil(t0.f / 20.0) * 20.0
        transform = Affine(10.0, 0.0, left, 0.0, -10.0, top)
        rows, cols = (h + 2) // 2 * 2, (w + 2) // 2 * 2
        out = np.zeros((src.count, rows, cols), dtype=np.uint16)
        for i in range(src.count):
            reproject(
                rasterio.band(src, i + 1),
                out[i],
                dst_transform=transform,
                dst_crs=UTM,
                resampling=Resampling.bilinear,
                src_nodata=0,
                dst_nodata=0,
            )
        bounds = rasterio.warp.transform_bounds(src.crs, "EPSG:4326", *src.bounds)
    return out, transform, UTM, bounds


@pytest.fixture(scope="module")
def world(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    image = next((shared_data / "s2_ships").glob("athens_S2L2A_*.tif"))
    root = tmp_path_factory.mktemp("vessels_world")
    dn, transform, crs, bounds = _to_utm(image)
    local = root / "athens_S2L2A_20230818_B02-B03-B04-B08-B11.tif"
    with rasterio.open(
        local,
        "w",
        driver="GTiff",
        width=dn.shape[2],
        height=dn.shape[1],
        count=5,
        dtype="uint16",
        crs=crs,
        transform=transform,
        nodata=0,
    ) as dst:
        dst.write(dn)
    for name, band in zip(ASSETS[:4], dn[:4], strict=True):
        write_cog(root / "cogs" / f"{name}.tif", band, crs=crs, transform=transform, nodata=0)
    rows, cols = dn.shape[1:]
    blocks = dn[4].reshape(rows // 2, 2, cols // 2, 2)
    # a 20 m pixel with any nodata quarter is nodata, as at a tile's edge
    swir20 = np.where(
        (blocks > 0).all(axis=(1, 3)), np.round(blocks.mean(axis=(1, 3), dtype=np.float64)), 0
    ).astype(np.uint16)
    t20 = Affine(20.0, 0.0, transform.c, 0.0, -20.0, transform.f)
    write_cog(root / "cogs" / "swir16.tif", swir20, crs=crs, transform=t20, nodata=0)
    tile = Tile(bands={"B02": dn[0]}, transform=transform, crs=crs)
    # the same pixels published again as a later date (files of their own, as two dates
    # are): a pair whose two dates agree, so that every vessel of the pair pipeline must
    # persist
    shutil.copytree(root / "cogs", root / "cogs-later")
    with serving(root) as server:

        def item(item_id: str, day: dt.date, folder: str) -> dict[str, Any]:
            return es_s2_item(
                shared_data,
                item_id=item_id,
                when=dt.datetime.combine(day, dt.time(9, 20), tzinfo=dt.UTC),
                baseline="05.09",
                boa_offset_applied=True,
                hrefs={a: f"{server.url}/{folder}/{a}.tif" for a in ASSETS},
                tile=tile,
                cloud=3.0,
            )

        items = [
            item("S2B_34SGH_20230818_0_L2A", DAY, "cogs"),
            item("S2B_34SGH_20230828_0_L2A", LATER, "cogs-later"),
        ]
        catalog = write_static_catalog(root / "stac", items)
        site = _site(root / "piraeus.geojson", bounds)
        yield {"catalog": catalog, "site": site, "image": local, "server": server}


def _vessels(doc: dict[str, Any]) -> np.ndarray:
    """Centres (lon, lat) of the outlines."""
    return np.array([np.mean(f["geometry"]["coordinates"][0][:4], axis=0) for f in doc["features"]])


def test_vessels_of_a_catalogue_scene_match_the_file(world: dict[str, Any], tmp_path: Path) -> None:
    from pyproj import Geod

    runner = CliRunner()
    site = str(world["site"])
    res = runner.invoke(
        main,
        [
            "vessels",
            "--site",
            site,
            "--date",
            "2023-08-20",
            "--catalog",
            str(world["catalog"]),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--out",
            str(tmp_path / "stac"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "S2B_34SGH_20230818_0_L2A" in res.output
    assert "no SCL layer" in res.output  # said, not hidden: clouds were not masked
    got = json.loads((tmp_path / "stac" / "vessels.geojson").read_text())
    props = got["properties"]
    assert props["scene"] == "S2B_34SGH_20230818_0_L2A" and props["date"] == "2023-08-18"
    assert props["site"] == "piraeus-test" and "Copernicus" in props["attribution"]
    assert world["server"].log.count("/cogs/swir16.tif") > 0  # read from the server
    from PIL import Image

    with Image.open(tmp_path / "stac" / "vessels.png") as png:  # a figure, not a raw chip
        assert png.format == "PNG" and png.width >= 800 and png.height >= 600
    res = runner.invoke(
        main, ["vessels", str(world["image"]), "--site", site, "--out", str(tmp_path / "file")]
    )
    assert res.exit_code == 0, res.output
    ref = json.loads((tmp_path / "file" / "vessels.geojson").read_text())
    a, b = _vessels(got), _vessels(ref)
    assert len(b) >= 10, "the Piraeus roads hold tankers and bulk carriers at anchor"
    geod = Geod(ellps="WGS84")
    dist = np.array(
        [geod.inv(np.full(len(a), x), np.full(len(a), y), a[:, 0], a[:, 1])[2].min() for x, y in b]
    )
    # the vessels of the whole file are found again in the catalogue's window
    assert np.mean(dist <= SAME_VESSEL_M) >= 0.8, np.round(dist)
    assert 0.8 * len(b) <= len(a) <= 1.25 * len(b)


def test_vessels_refuses_a_date_without_a_site_and_image_with_a_date(
    world: dict[str, Any], tmp_path: Path
) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["vessels", "--date", "2023-08-18", "--out", str(tmp_path / "a")])
    assert res.exit_code == 2 and "--date needs --site" in res.output
    res = runner.invoke(
        main,
        ["vessels", str(world["image"]), "--date", "2023-08-18", "--out", str(tmp_path / "b")],
    )
    assert res.exit_code == 2 and "not both" in res.output
    res = runner.invoke(main, ["vessels", "--out", str(tmp_path / "c")])
    assert res.exit_code == 2 and "IMAGE" in res.output
    assert not any((tmp_path / d).exists() for d in "abc")


def test_vessels_never_overwrites_without_being_asked(
    world: dict[str, Any], tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["vessels", str(world["image"]), "--out", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    before = (out / "vessels.geojson").read_bytes()
    res = runner.invoke(main, args)
    assert res.exit_code == 2 and "--overwrite" in res.output
    assert (out / "vessels.geojson").read_bytes() == before
    res = runner.invoke(main, [*args, "--overwrite", "--threshold", "0.9"])
    assert res.exit_code == 0, res.output
    assert json.loads((out / "vessels.geojson").read_text())["properties"]["threshold"] == 0.9


def test_a_pair_with_swir_finds_its_vessels_with_the_classifier(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """``basewatch run`` on scenes that carry B11 (read beside the 10 m bands where a
    scene has it) finds each date's vessels with the trained classifier, not the rule:
    on a pair whose two dates hold the same Piraeus pixels, every vessel it keeps
    persists, and they are the vessels ``basewatch vessels --site`` finds on that scene
    that the sensor resolves and that are not longer than a ship."""
    from basewatch.detect.components import ObjectParams

    runner = CliRunner()
    site = str(world["site"])
    common = ["--catalog", str(world["catalog"]), "--cache-dir", str(tmp_path / "cache")]
    res = runner.invoke(
        main,
        [
            "run",
            "--site",
            site,
            "--before",
            str(DAY),
            "--after",
            str(LATER),
            *common,
            "--no-png",
            "--no-cog",
            "--no-gpkg",
            "--out",
            str(tmp_path / "run"),
        ],
    )
    assert res.exit_code == 0, res.output
    record = json.loads((tmp_path / "run" / "run.json").read_text())
    vessels = record["parameters"]["change"]["vessels"]
    assert vessels["detector"] == "classifier" and vessels["model_version"]
    # the report says which search ran and how well it does on ports it never saw
    report = (tmp_path / "run" / "report.html").read_text()
    assert "How vessels were found" in report and "the trained classifier" in report
    assert "held out on 8 labelled ports" in report and vessels["measured"] in report
    assert [s["bands"] for s in record["scenes"]] == [["B02", "B03", "B04", "B08", "B11"]] * 2
    found = json.loads((tmp_path / "run" / "detections.geojson").read_text())["features"]
    events = [f["properties"] for f in found if f["properties"]["object_class"] == "vessel"]
    assert events and {e["event"] for e in events} == {"persisted"}
    # the same scene through basewatch vessels --site
    res = runner.invoke(
        main,
        ["vessels", "--site", site, "--date", str(DAY), *common, "--out", str(tmp_path / "v")],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "v" / "vessels.geojson").read_text())
    longest = ObjectParams().vessel.max_length_m
    ships = [
        f["properties"]
        for f in doc["features"]
        if f["properties"]["detectable"] and f["properties"]["length_m"] <= longest
    ]
    assert len(ships) >= 10, "the Piraeus roads hold tankers and bulk carriers at anchor"
    assert len(events) == len(ships)
    assert sorted(round(e["length_m"]) for e in events) == sorted(
        round(v["length_m"]) for v in ships
    )
    counts = record["parameters"]["zone_counts"]["test harbour"]
    assert counts == {str(DAY): len(ships), str(LATER): len(ships)}
