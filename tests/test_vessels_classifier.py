"""The trained Sentinel-2 vessel detector: water, the shipped model, the command, and its
leave-one-port-out figures on the eight labelled sen2ships ports.

The floors of the leave-one-port-out test are the figures ``benchmarks/vessels_eval.py``
measured (see ``benchmarks/README.md``) less a margin of about two detections' worth;
they are below the floors issue 11 asks for (pooled F1 0.60, no port under 0.35),
which this detector does not yet meet.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from basewatch.detect.candidates import BANDS_10M, FEATURES
from basewatch.detect.classify import Tree, VesselClassifier, load_classifier
from basewatch.detect.water import mndwi, water_masks, water_threshold
from basewatch.errors import InputError

REPO = Path(__file__).resolve().parents[1]

#: Leave-one-port-out floors (pooled F1, and the lowest port's F1), from the measured run.
LOPO_POOLED_F1_FLOOR = 0.46
LOPO_PORT_F1_FLOOR = 0.12


def _benchmarks() -> None:
    path = str(REPO / "benchmarks")
    if path not in sys.path:
        sys.path.insert(0, path)


def test_mndwi_is_high_on_water_and_low_on_vegetation() -> None:
    green = np.array([[900.0, 600.0]])
    swir = np.array([[100.0, 2000.0]])  # water absorbs SWIR; leaves reflect it
    out = mndwi(green, swir)
    assert out[0, 0] > 0.5 > out[0, 1]


def test_mndwi_refuses_bands_of_different_shapes() -> None:
    with pytest.raises(InputError, match="B11"):
        mndwi(np.zeros((3, 3)), np.zeros((3, 4)))


def test_water_threshold_splits_two_modes_and_copes_with_one() -> None:
    rng = np.random.default_rng(0)
    vals = np.concatenate([rng.normal(-0.4, 0.05, 500), rng.normal(0.5, 0.05, 500)])
    t = water_threshold(vals)
    assert -0.3 < t < 0.4
    assert water_threshold(np.full(10, 0.3)) == 0.0


def test_water_masks_search_holds_a_ship_and_a_hull_moored_bow_on() -> None:
    rows, cols = 80, 80
    green = np.full((rows, cols), 900.0)
    swir = np.full((rows, cols), 100.0)  # sea
    swir[:, 60:] = 3000.0  # land to the east
    swir[20:23, 20:32] = 3000.0  # a ship at anchor (a hole in the water)
    swir[50:53, 48:60] = 3000.0  # a hull moored bow-on to the quay: 12 x 3 px
    m = water_masks(green, swir, pixel_size_m=(10.0, 10.0))
    assert m.search[20:23, 20:32].all()  # the ship's hole is searched
    assert m.search[50:53, 48:57].all()  # the moored hull is taken off the land
    assert m.land[:, 65:].all()
    assert m.shore_distance_m[21, 25] > 200


def test_tree_predict_follows_splits_and_missing_values() -> None:
    tree = Tree(
        feature=np.array([0, 0, 0]),
        threshold=np.array([1.0, 0.0, 0.0]),
        left=np.array([1, 0, 0]),
        right=np.array([2, 0, 0]),
        missing_left=np.array([False, False, False]),
        is_leaf=np.array([False, True, True]),
        value=np.array([0.0, -2.0, 3.0]),
    )
    x = np.array([[0.5], [1.5], [np.nan]])
    assert tree.predict(x).tolist() == [-2.0, 3.0, 3.0]


def test_shipped_model_loads_without_download_and_names_its_features() -> None:
    model = load_classifier()
    assert model.features == FEATURES
    assert model.version
    assert 0 < model.threshold < 1
    assert len(model.trees) > 0
    score = model.score(np.zeros((2, len(FEATURES))))
    assert score.shape == (2,) and ((score >= 0) & (score <= 1)).all()
    with pytest.raises(InputError, match="features must have shape"):
        model.score(np.zeros((2, 3)))


def test_a_damaged_model_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="retrain"):
        load_classifier(bad)
    bad.write_text(json.dumps({"format": "other"}))
    with pytest.raises(InputError, match="format"):
        VesselClassifier.from_dict(json.loads(bad.read_text()))


@pytest.fixture(scope="module")
def klang(shared_data: Path) -> Any:
    _benchmarks()
    import train_vessels

    return train_vessels.load_port("klang", shared_data / "s2_ships")


def test_vessels_command_writes_outlines_in_wgs84(shared_data: Path, tmp_path: Path) -> None:
    from basewatch.cli.main import main

    image = next((shared_data / "s2_ships").glob("klang_S2L2A_*.tif"))
    res = CliRunner().invoke(main, ["vessels", str(image), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "vessels.geojson").read_text())
    assert (tmp_path / "vessels.png").stat().st_size > 0
    feats = doc["features"]
    assert len(feats) >= 5
    ring = np.array(feats[0]["geometry"]["coordinates"][0])
    # Port Klang: 101.2-101.45 E, 2.9-3.1 N
    assert ((ring[:, 0] > 101.0) & (ring[:, 0] < 101.6)).all()
    assert ((ring[:, 1] > 2.7) & (ring[:, 1] < 3.3)).all()
    for f in feats:
        p = f["properties"]
        assert p["score"] >= doc["properties"]["threshold"]
        assert 0 <= p["heading_deg"] <= 180 and p["length_m"] >= p["width_m"] > 0
        assert 0.5 <= p["confidence"] <= 1
        # the scene and date on each feature, where a GIS shows them
        assert p["scene"] == doc["properties"]["scene"] and p["date"] == doc["properties"]["date"]


def test_vessels_command_searches_an_image_without_b11_with_the_10m_model(
    tmp_path: Path,
) -> None:
    from basewatch.cli.main import main

    image = REPO / "imagery" / "beirut-port_S2L1C_20171003.tif"
    res = CliRunner().invoke(main, ["vessels", str(image), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "no B11" in res.output and "10 m bands' model" in res.output
    doc = json.loads((tmp_path / "vessels.geojson").read_text())
    assert doc["properties"]["model_version"] == load_classifier(bands=BANDS_10M).version
    assert doc["properties"]["model_bands"] == list(BANDS_10M)


def test_vessels_command_refuses_an_image_without_a_10m_band(tmp_path: Path) -> None:
    import rasterio

    from basewatch.cli.main import main

    src = REPO / "imagery" / "beirut-port_S2L1C_20171003.tif"
    three = tmp_path / "three_bands.tif"
    with rasterio.open(src) as ds:
        profile = {**ds.profile, "count": 3}
        with rasterio.open(three, "w", **profile) as out:
            out.write(ds.read([1, 2, 3]))
    res = CliRunner().invoke(
        main, ["vessels", str(three), "--bands", "B02,B03,B04", "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 2
    assert "(missing B08)" in res.output and "it has 3 bands" in res.output
    # --bands cannot add a band the file lacks: it is not offered
    assert "--bands" not in res.output and "--site NAME --date" in res.output
    assert not (tmp_path / "o" / "vessels.geojson").exists()


def test_missing_bands_names_what_a_vessel_search_lacks_in_order() -> None:
    from basewatch.detect.candidates import BANDS, missing_bands

    assert missing_bands(["b02", "B03", "B04", "b08", "B11"]) == []
    assert missing_bands(["B08", "B04"]) == ["B02", "B03", "B11"]
    assert missing_bands([]) == list(BANDS)


def test_scene_vessels_refuses_a_scene_without_a_10m_band() -> None:
    import dataclasses

    from basewatch.imagery.local import read_geotiff
    from basewatch.pipeline import detect_scene_vessels

    scene = read_geotiff(REPO / "imagery" / "beirut-port_S2L1C_20171003.tif")
    three = dataclasses.replace(scene, data=scene.data[:3], bands=scene.bands[:3])
    with pytest.raises(InputError, match=r"\(missing B08\): give a Sentinel-2 image"):
        detect_scene_vessels(three)


def test_a_model_is_refused_on_bands_it_was_not_trained_on() -> None:
    from basewatch.detect.vessels import detect_vessels_s2

    four = np.ones((4, 40, 40), np.float32)
    with pytest.raises(InputError, match="trained on B02, B03, B04, B08, B11"):
        detect_vessels_s2(four, pixel_size_m=(10.0, 10.0), classifier=load_classifier())
    with pytest.raises(InputError, match="no vessel model is shipped for bands B02, B08"):
        load_classifier(bands=["B02", "B08"])


@pytest.fixture(scope="module")
def all_ports(shared_data: Path) -> dict[str, Any]:
    _benchmarks()
    import train_vessels

    return {
        p: train_vessels.port_candidates(p, shared_data / "s2_ships") for p in train_vessels.PORTS
    }


@pytest.mark.slow
def test_leave_one_port_out_floors(shared_data: Path, all_ports: dict[str, Any]) -> None:
    _benchmarks()
    import vessels_eval

    t = vessels_eval.lopo_table(shared_data / "s2_ships", ports=all_ports)
    assert t["pooled"][2] >= LOPO_POOLED_F1_FLOOR, t["pooled"]
    assert min(v[2] for v in t["lopo"].values()) >= LOPO_PORT_F1_FLOOR, t["lopo"]
    # in-sample is better than held-out (the gap is what leave-one-port-out measures)
    assert t["in_sample_pooled"][2] > t["pooled"][2]


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model(
    shared_data: Path, all_ports: dict[str, Any]
) -> None:
    _benchmarks()
    import train_vessels

    doc, ports = train_vessels.train(shared_data / "s2_ships", ports=all_ports)
    shipped = load_classifier()
    assert doc["threshold"] == shipped.threshold
    for port, m in doc["info"]["in_sample"].items():
        for key, value in m.items():
            assert round(value, 2) == round(shipped.info["in_sample"][port][key], 2)
    new = VesselClassifier.from_dict(doc)
    x = ports["athens"].x
    assert np.abs(new.score(x) - shipped.score(x)).max() < 0.005


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_10m_model(shared_data: Path) -> None:
    _benchmarks()
    import train_vessels

    doc, ports = train_vessels.train(shared_data / "s2_ships", bands="10m")
    shipped = load_classifier(bands=BANDS_10M)
    assert shipped.bands == BANDS_10M and doc["bands"] == list(BANDS_10M)
    assert doc["threshold"] == shipped.threshold
    assert doc["info"]["in_sample"] == shipped.info["in_sample"]
    new = VesselClassifier.from_dict(doc)
    for port in ports.values():
        assert np.abs(new.score(port.x) - shipped.score(port.x)).max() < 0.005


@pytest.fixture(scope="module")
def trained_ports(shared_data: Path) -> dict[str, Any]:
    _benchmarks()
    import train_vessels
    from basewatch.detect.vessels import detect_vessels_s2

    out = {}
    for port in ("athens", "marseille"):
        data, truth, pixel = train_vessels.load_port(port, shared_data / "s2_ships")
        out[port] = (detect_vessels_s2(data, pixel_size_m=pixel), truth)
    return out


@pytest.mark.parametrize(
    ("port", "row", "col", "lo", "hi"),
    [
        ("athens", 841, 872, 120.0, 260.0),  # at anchor south-east of Psyttaleia
        ("athens", 158, 285, 80.0, 180.0),  # at anchor in Elefsina bay
        ("marseille", 381, 422, 60.0, 160.0),  # open water west of the port
    ],
)
def test_named_ships_of_test_vessels_are_found_by_the_classifier(
    trained_ports: dict[str, Any], port: str, row: int, col: int, lo: float, hi: float
) -> None:
    """The anchored ships named in tests/test_vessels.py (in-sample for the shipped model,
    which was trained on these ports among the eight)."""
    res, truth = trained_ports[port]
    assert truth[row - 2 : row + 3, col - 2 : col + 3].any()
    ids = np.unique(res.vessel_labels()[row - 2 : row + 3, col - 2 : col + 3])
    ids = ids[ids > 0]
    assert len(ids) == 1
    assert lo <= res.features["length_m"][ids[0] - 1] <= hi
    assert res.features["confidence"][ids[0] - 1] >= 0.5


@pytest.mark.parametrize(
    ("port", "row", "col", "what"),
    [
        ("athens", 774, 983, "roof"),
        ("athens", 616, 647, "roof"),
        ("athens", 1114, 176, "coastline"),
        ("marseille", 1060, 1006, "quay edge"),
        ("marseille", 303, 623, "roofs"),
    ],
)
def test_named_false_alarms_of_test_vessels_are_not_vessels(
    trained_ports: dict[str, Any], port: str, row: int, col: int, what: str
) -> None:
    res, truth = trained_ports[port]
    assert not truth[row - 2 : row + 3, col - 2 : col + 3].any()
    assert not (res.vessel_labels()[row - 2 : row + 3, col - 2 : col + 3] > 0).any(), what


def test_vessels_command_refuses_a_site_outside_the_image(
    shared_data: Path, tmp_path: Path
) -> None:
    from basewatch.cli.main import main

    image = next((shared_data / "s2_ships").glob("klang_S2L2A_*.tif"))
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["vessels", str(image), "--site", "beirut-port", "--out", str(out)]
    )
    assert res.exit_code == 2
    assert "beirut-port" in res.output and "without --site" in res.output
    assert not out.exists()


def _athens_site(path: Path, grid: Any) -> Path:
    """A site over the real Piraeus image: a harbour zone over its southern 60 % (the
    roads south-east of Psyttaleia, the port's basins and their quays) and an apron
    zone over the rest (not water: nothing found there is a vessel)."""
    from grid_sites import row_band_site

    return row_band_site(
        path,
        grid,
        [("apron", "north", 0.0, 0.4), ("harbour", "south", 0.4, 1.0)],
        name="piraeus-test",
        title="Piraeus (test site)",
        source="drawn by the test",
        utm_epsg=32634,
    )


def test_a_site_keeps_the_vessels_of_the_whole_image_search_in_its_water_zones(
    shared_data: Path, tmp_path: Path
) -> None:
    """With a site, the search is the whole image's (as the classifier was trained) and
    the vessels kept are those lying mostly in a water zone. Searching only the zone's
    pixels, as before, changed the water thresholds, rings and ranks the classifier
    reads: on this site 4 of its 52 detections were false against none of 50 (in-sample
    model); with a harbour zone drawn tightly round the water, held-out F1 fell from
    0.62 to 0.42 on this port and 0.50 to 0.47 pooled over the eight
    (benchmarks/README.md)."""
    from basewatch.detect.candidates import BANDS
    from basewatch.detect.components import majority_zone
    from basewatch.imagery.local import read_geotiff
    from basewatch.pipeline import detect_scene_vessels

    image = next((shared_data / "s2_ships").glob("athens_S2L2A_*.tif"))
    scene = read_geotiff(image, sensor="S2", bands=list(BANDS))
    site = _athens_site(tmp_path / "piraeus.geojson", scene.grid)
    whole = detect_scene_vessels(scene)
    kept = detect_scene_vessels(scene, site=str(site))
    assert whole.zones is None and whole.searched.all()
    # the same candidates and scores: only which count as vessels differs
    assert np.array_equal(kept.result.labels, whole.result.labels)
    assert np.array_equal(kept.result.features["score"], whole.result.features["score"])
    rows = whole.result.features["row"]
    south = rows >= int(scene.grid.shape[0] * 0.4)
    n = len(rows)
    from basewatch.aoi import load_site, zone_index

    index, zones = zone_index(load_site(site), scene.grid)
    names = [
        zones[i].name if i >= 0 else None
        for i in majority_zone(whole.result.labels, n, index, len(zones))
    ]
    harbour = np.array([z == "south" for z in names])
    assert np.array_equal(kept.result.is_vessel, whole.result.is_vessel & harbour)
    assert kept.zones == tuple(z if z == "south" else None for z in names)
    assert kept.n >= 20 and whole.n > kept.n
    assert not (kept.result.is_vessel & ~south).any()  # nothing from the apron zone
    # the tanker at anchor south-east of Psyttaleia (row 841, col 872) is kept, named
    ids = np.unique(kept.result.vessel_labels()[839:844, 870:875])
    ids = ids[ids > 0]
    assert len(ids) == 1 and kept.zones[ids[0] - 1] == "south"


@pytest.mark.parametrize("port", ["marseille", "busan"])
def test_cutting_regions_as_runs_gives_the_whole_images_candidates(
    shared_data: Path, port: str
) -> None:
    """Regions too large for a ship are cut again at higher levels from the runs of
    what is left to cut: the same labels, numbers and levels as labelling the whole
    image at every level, on real NIR and visible-band scores."""
    _benchmarks()
    import train_vessels
    from basewatch.detect import candidates as c
    from basewatch.detect.change import cfar

    data, _, pixel = train_vessels.load_port(port, shared_data / "s2_ships")
    params = c.CandidateParams()
    ok = np.all(np.isfinite(data), axis=0)
    anomaly = np.zeros(ok.shape)
    for band in (0, 1, 2, 3):
        found = cfar(
            np.where(ok, data[band], np.nan),
            valid=ok,
            search=ok,
            guard=c._px(params.guard_m, pixel),
            background=c._px(params.window_m, pixel),
            pfa=params.pfa,
        )
        np.maximum(anomaly, np.abs(np.nan_to_num(found.score, nan=0.0)), out=anomaly)
        if band == 3:
            nir = np.nan_to_num(found.score, nan=-np.inf)
            for score, seeds in ((nir, found.mask), (anomaly, anomaly > found.k)):
                whole = c._split_objects_reference(score, seeds, params, pixel)
                cut = c._split_objects(score, seeds, params, pixel)
                assert whole[1] == cut[1] > 20
                assert np.array_equal(whole[0], cut[0]) and np.array_equal(whole[2], cut[2])
                assert whole[2].max() >= 1, "some region was cut at a higher level"


def test_distance_to_land_at_some_pixels_is_the_whole_transforms() -> None:
    # the candidates' distance to land is found from the land's edge pixels alone
    # (WaterMasks.shore_distance_at); it must be scipy's transform, value for value
    from basewatch.imagery.local import read_geotiff

    scene = read_geotiff(REPO / "imagery" / "beirut-port_S2L1C_20171003.tif")
    nir = scene.band("B08")
    masks = water_masks(
        scene.band("B03"), nir, nir=nir, pixel_size_m=scene.grid.pixel_size_m, valid=scene.valid
    )
    assert 0.05 < masks.land.mean() < 0.95  # a shore, not all sea or all land
    rows, cols = (a.ravel() for a in np.indices(masks.land.shape))
    at = masks.shore_distance_at(rows, cols)  # before the whole transform is made
    whole = masks.shore_distance_m
    assert at.dtype == whole.dtype == np.float32
    np.testing.assert_array_equal(at, whole[rows, cols])
    assert whole.max() > 300 and (whole[masks.land] == 0).all()


def test_distance_to_land_with_land_everywhere_or_nowhere() -> None:
    from basewatch.detect.water import WaterMasks

    none = np.zeros((5, 6), bool)
    rows, cols = (a.ravel() for a in np.indices(none.shape))
    for land, want in ((~none, 0.0), (none, np.inf)):
        masks = WaterMasks(water=~land, search=~land, land=land, open_water=~land, threshold=0.0)
        assert (masks.shore_distance_at(rows, cols) == want).all()
        assert (masks.shore_distance_m == want).all()


def test_union_of_the_10m_model_and_the_rule_keeps_what_the_rule_finds() -> None:
    """Pairs without B11 may be searched by the 10 m bands' model and the rule together
    (``ObjectParams(vessels_without_b11="union")``): on the bundled Beirut port scene of
    2015-08-20 the model misses the ship afloat in the harbour basin (92 m, row 66,
    column 156), which the rule finds; the union keeps it beside the model's vessels."""
    from basewatch.detect.components import ObjectParams
    from basewatch.detect.single_date import (
        classified_vessel_candidates,
        free_vessel_candidates,
        union_vessel_candidates,
    )
    from basewatch.imagery.local import read_geotiff

    scene = read_geotiff(REPO / "imagery" / "beirut-port_S2L1C_20150820.tif")
    assert scene.bands == BANDS_10M
    model = classified_vessel_candidates(scene.data, valid=scene.valid, grid=scene.grid)
    rule = free_vessel_candidates(
        scene.band("B03"), scene.band("B08"), water=scene.valid, grid=scene.grid
    )
    union = union_vessel_candidates(model, rule)
    k_model = int(model.keep.sum())
    assert k_model >= 3 and union.keep.all() and len(union.keep) > k_model
    # the model's vessels first, in their order, their pixels unchanged
    for i, label in enumerate(np.flatnonzero(model.keep) + 1, start=1):
        assert np.array_equal(union.labels == i, model.labels == label)
    np.testing.assert_array_equal(
        union.features["row"][:k_model], model.features["row"][model.keep]
    )
    # every vessel of the rule is one of the union's, or shares pixels with a model vessel
    model_vessel = np.concatenate([[False], model.keep])[model.labels]
    for label in np.flatnonzero(rule.keep) + 1:
        pixels = rule.labels == label
        assert (union.labels[pixels] > 0).all() or (model_vessel & pixels).any()
    basin = union.labels[66, 156]
    assert basin > k_model, "the basin ship is the rule's, not the model's"
    assert not model_vessel[66, 156]
    assert 85 < union.features["length_m"][basin - 1] < 100
    assert set(union.features) <= set(model.features) & set(rule.features)
    with pytest.raises(InputError, match="one date's grid"):
        union_vessel_candidates(
            model,
            free_vessel_candidates(
                scene.band("B03")[1:], scene.band("B08")[1:], water=scene.valid[1:], grid=scene.grid
            ),
        )
    with pytest.raises(InputError, match="vessels_without_b11"):
        ObjectParams(vessels_without_b11="model")
