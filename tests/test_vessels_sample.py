"""``basewatch vessels`` on the bundled Piraeus sample: runs on a fresh clone (no ../shared).

Named objects: ships labelled in sen2ships (``athens``) inside the sample, found again by
the command: a ship of about 180 m at anchor south of the central port (label 35,
23.6001 E 37.9427 N) and a ship of about 180 m at a quay of the passenger port (label
13, 23.6355 E 37.9441 N). The classifier was trained on this port (see imagery/README.md):
this checks the command and the bundled model end to end, not accuracy on new ports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from pyproj import Geod

from basewatch.cli.main import main
from grid_sites import sample_extent_site

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "imagery" / "piraeus_S2L2A_20230818.tif"
GEOD = Geod(ellps="WGS84")
#: (lon, lat, length in metres) of labelled ships in the sample.
NAMED = {
    "ship at anchor south of the central port": (23.6001, 37.9427, 180.0),
    "ship at a quay of the passenger port": (23.6355, 37.9441, 180.0),
}
#: How far (metres) an outline's centre may lie from the label's.
NEAR_M = 40.0


def test_the_bundled_sample_gives_its_labelled_ships(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["vessels", str(SAMPLE), "--out", str(tmp_path / "v")])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "v" / "vessels.geojson").read_text())
    assert doc["properties"]["date"] == "2023-08-18"
    assert "Copernicus" in doc["properties"]["attribution"]
    feats = doc["features"]
    assert 10 <= len(feats) <= 60
    centres = np.array([np.mean(f["geometry"]["coordinates"][0][:4], axis=0) for f in feats])
    for what, (lon, lat, length) in NAMED.items():
        dist = GEOD.inv(np.full(len(centres), lon), np.full(len(centres), lat), *centres.T)[2]
        k = int(np.argmin(dist))
        assert dist[k] <= NEAR_M, what
        assert 0.7 * length <= feats[k]["properties"]["length_m"] <= 1.3 * length, what


def test_the_date_comes_from_the_tags_and_an_undated_image_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose name holds no date takes it from its tags (the folder is dated by
    it); one with no date at all is read too (one image needs none) and says so."""
    import rasterio

    with rasterio.open(SAMPLE) as src:
        data, profile, tags = src.read(), src.profile, src.tags()
    tagged, bare = tmp_path / "harbour.tif", tmp_path / "harbour_bare.tif"
    for path, keep in ((tagged, tags), (bare, {k: v for k, v in tags.items() if k != "date"})):
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data)
            dst.update_tags(**keep)
    runner = CliRunner()
    work = tmp_path / "work"  # the default output folder is under the working directory
    work.mkdir()
    monkeypatch.chdir(work)
    res = runner.invoke(main, ["vessels", str(tagged)])
    assert res.exit_code == 0, res.output
    doc = json.loads((work / "out/vessels/harbour_20230818/vessels.geojson").read_text())
    assert doc["properties"]["date"] == "2023-08-18"
    res = runner.invoke(main, ["vessels", str(bare)])
    assert res.exit_code == 0, res.output
    doc = json.loads((work / "out/vessels/harbour_bare/vessels.geojson").read_text())
    assert doc["properties"]["date"] is None and doc["features"]


def _sample_scenes() -> tuple[Any, Any]:
    """The bundled sample read as it is, and as a second date (the same pixels ten
    days later: a pair whose vessels must all stay where they are)."""
    import dataclasses
    import datetime as dt

    from basewatch.detect.candidates import BANDS
    from basewatch.imagery.local import read_geotiff

    first = read_geotiff(SAMPLE, sensor="S2", bands=list(BANDS))
    later = dataclasses.replace(
        first, id=f"{first.id}-again", datetime=first.datetime + dt.timedelta(days=10)
    )
    return first, later


def test_a_timeline_of_scenes_with_swir_follows_the_classifiers_vessels(tmp_path: Path) -> None:
    """Dates carrying B11 have their vessels found by the trained classifier in a
    timeline too (the record says so), and the 10 m bands alone feed the rest: the same
    sample's vessels as ``basewatch vessels`` finds them (those the sensor resolves, not
    longer than a ship), each one track seen on both dates."""
    from basewatch.aoi import load_site
    from basewatch.detect.components import ObjectParams
    from basewatch.pipeline import detect_scene_vessels, observe_dates

    scenes = _sample_scenes()
    site = load_site(sample_extent_site(tmp_path / "site.geojson", scenes[0].grid))
    result = observe_dates(site, list(scenes))
    assert result.parameters["vessels"]["detector"] == "classifier"
    found = detect_scene_vessels(scenes[0], site=site).result
    longest = ObjectParams().vessel.max_length_m
    ships = found.is_vessel & found.detectable & (found.features["length_m"] <= longest)
    vessel_tracks = [t for t in result.tracks if t.object_class.value == "vessel"]
    assert len(vessel_tracks) == int(ships.sum()) >= 10
    assert all(all(t.present()) for t in vessel_tracks)
    # the ship at anchor south of the central port is one of them
    lon, lat, _ = NAMED["ship at anchor south of the central port"]
    first = [t.members[0] for t in vessel_tracks]
    near = [o for o in first if o is not None and GEOD.inv(lon, lat, o.lon, o.lat)[2] <= NEAR_M]
    assert len(near) == 1


def test_dates_missing_an_extra_band_are_compared_on_the_bands_they_share() -> None:
    """A date read without B11 (its scene had none) leaves B11 out of the others too,
    as views of their arrays, not copies."""
    import dataclasses

    import numpy as np

    from basewatch.imagery.loader import common_bands

    five, later = _sample_scenes()
    four = dataclasses.replace(later, bands=later.bands[:4], data=later.data[:4])
    a, b = common_bands([five, four])
    assert a.bands == b.bands == ("B02", "B03", "B04", "B08")
    assert np.shares_memory(a.data, five.data) and np.array_equal(a.data, five.data[:4])
    assert b is four
    assert common_bands([five, later]) == [five, later]
