"""Level-1C (top of the atmosphere) and Level-2A (surface) Sentinel-2 scenes.

The vessel searches were measured on the sen2ships ports' Level-2A images; through the
atmosphere's haze they find fewer ships, so a run or a ``basewatch vessels`` on a
Level-1C scene (the bundled Beirut ones) quotes the figures measured on the ports made
top-of-atmosphere (``pipeline.VESSEL_SEARCH_MEASURED_TOA``) and says why.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import rasterio
from click.testing import CliRunner

from basewatch.cli.main import main
from basewatch.imagery.local import read_geotiff
from basewatch.pipeline import (
    VESSEL_SEARCH_MEASURED,
    VESSEL_SEARCH_MEASURED_TOA,
    top_of_atmosphere,
    vessel_detector,
    vessel_search_score,
)
from basewatch.sensors import S2_LEVEL_SURFACE, S2_LEVEL_TOA, s2_processing_level

REPO = Path(__file__).resolve().parents[1]
IMAGERY = REPO / "imagery"
BEIRUT = IMAGERY / "beirut-port_S2L1C_20171003.tif"
PIRAEUS = IMAGERY / "piraeus_S2L2A_20230818.tif"


@pytest.mark.parametrize(
    ("texts", "level"),
    [
        (("S2A_MSIL1C_20241130T082311_N0511_R121_T37SBV_20241130T101033",), "L1C"),
        (("S2B_MSIL2A_20241215T082249_R121_T37SBV_20241215T104449",), "L2A"),
        (("S2B_36SYC_20241215_0_L2A",), "L2A"),  # Earth Search
        (("S2A_OPER_MSI_L1C_TL_EPA__20160929T004310_A000833_T36SYC",), "L1C"),
        (("beirut-port_S2L1C_20150820.tif",), "L1C"),
        (("sentinel-2-l2a",), "L2A"),
        (("Level-1C",), "L1C"),
        (("S2MSI2A",), "L2A"),  # a SAFE product type
        (("T36SYC_20171003T081739",), None),  # a tile and a time: no level
        (("XL2A", "L2AX", "tile 12A1C"), None),  # inside longer words
        ((None, "", "port_S2L2A_2023.tif"), "L2A"),  # nothing said is skipped
        (("Level-1C", "port_S2L2A_2023.tif"), "L1C"),  # the first to say one
    ],
)
def test_the_level_named_in_ids_names_and_tags(texts: tuple[str | None, ...], level: str) -> None:
    assert s2_processing_level(*texts) == level


def test_bundled_scenes_are_read_with_their_level() -> None:
    beirut, piraeus = read_geotiff(BEIRUT), read_geotiff(PIRAEUS)
    assert beirut.metadata["processing_level"] == S2_LEVEL_TOA  # its tags: "MSI L1C TOA"
    assert piraeus.metadata["processing_level"] == S2_LEVEL_SURFACE  # its id
    assert top_of_atmosphere(beirut) and not top_of_atmosphere(piraeus)


def test_a_files_level_tag_outranks_its_name(tmp_path: Path) -> None:
    path = tmp_path / PIRAEUS.name  # named L2A
    shutil.copy(PIRAEUS, path)
    with rasterio.open(path, "r+") as ds:
        ds.update_tags(PROCESSING_LEVEL="Level-1C")
    assert read_geotiff(path).metadata["processing_level"] == S2_LEVEL_TOA


def test_a_run_on_level_1c_scenes_quotes_the_top_of_atmosphere_figures() -> None:
    beirut = read_geotiff(BEIRUT)
    record = vessel_detector([beirut])
    assert record["detector"] == "rule" and record["top_of_atmosphere"] is True
    toa = VESSEL_SEARCH_MEASURED_TOA["rule"]
    assert record["measured"] == toa.text() and "Level-1C" in record["measured"]
    assert (record["precision"], record["open_water_recall"]) == (
        toa.precision,
        toa.open_water_recall,
    )
    # haze hides hulls: fewer ships found than on surface reflectance, for every search
    for kind, score in VESSEL_SEARCH_MEASURED_TOA.items():
        assert score.recall < VESSEL_SEARCH_MEASURED[kind].recall, kind
        assert score.open_water_recall < VESSEL_SEARCH_MEASURED[kind].open_water_recall, kind
    piraeus = read_geotiff(PIRAEUS)
    assert vessel_search_score("classifier", [piraeus]) is VESSEL_SEARCH_MEASURED["classifier"]
    assert "top_of_atmosphere" not in vessel_detector([piraeus])
    # one Level-1C date is enough for the pair's figures to be those
    assert vessel_search_score("rule", [piraeus, beirut]) is toa


def _vessels(image: Path, out: Path) -> tuple[str, dict[str, Any]]:
    res = CliRunner().invoke(main, ["vessels", str(image), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return res.output, json.loads((out / "vessels.geojson").read_text())


def test_vessels_of_a_level_1c_image_say_the_model_finds_fewer(tmp_path: Path) -> None:
    output, doc = _vessels(BEIRUT, tmp_path / "beirut")
    (warning,) = doc["properties"]["warnings"]
    assert "Level-1C (top of the atmosphere)" in warning
    # the 10 m bands' model (the image has no B11), with its top-of-atmosphere figures
    assert VESSEL_SEARCH_MEASURED_TOA["classifier_10m"].text() in warning
    assert f"warning: {warning}" in output
    output, doc = _vessels(PIRAEUS, tmp_path / "piraeus")
    assert doc["properties"]["warnings"] == [] and "warning:" not in output


@pytest.mark.slow
def test_the_quoted_top_of_atmosphere_figures_are_measured(shared_data: Path) -> None:
    """``VESSEL_SEARCH_MEASURED_TOA`` is what ``vessels_eval.py --pair-path --toa``
    measures now (each port's model and threshold chosen on the other seven)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    import vessels_eval

    t = vessels_eval.pair_path_table(shared_data / "s2_ships", toa=1.0)
    for kind, score in VESSEL_SEARCH_MEASURED_TOA.items():
        p, r, f = t[f"{kind}_pooled"]
        assert (score.precision, score.recall, score.f1) == pytest.approx((p, r, f), abs=0.005)
        hit, total = t[f"{kind}_open_water_recall"]
        assert score.open_water_recall == pytest.approx(hit / total, abs=0.005), kind
