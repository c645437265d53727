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

import numpy as np
from click.testing import CliRunner
from pyproj import Geod

from basewatch.cli.main import main

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
    tmp_path: Path,
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
    with runner.isolated_filesystem(temp_dir=tmp_path):
        res = runner.invoke(main, ["vessels", str(tagged)])
        assert res.exit_code == 0, res.output
        doc = json.loads(Path("out/vessels/harbour_20230818/vessels.geojson").read_text())
        assert doc["properties"]["date"] == "2023-08-18"
        res = runner.invoke(main, ["vessels", str(bare)])
        assert res.exit_code == 0, res.output
        doc = json.loads(Path("out/vessels/harbour_bare/vessels.geojson").read_text())
        assert doc["properties"]["date"] is None and doc["features"]
