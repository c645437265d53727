"""Results show themselves in a notebook and convert to the data people use.

On the bundled real Beirut port pair: the two vessel events found there (the ~90 m
ship that left the harbour basin, the ship moored at the east pier by 2017) appear in
the HTML, the records, the GeoJSON and the data frame alike.
"""

from __future__ import annotations

import base64
import json
import re
import sys

import pytest

import basewatch as bw


@pytest.fixture(scope="module")
def port() -> bw.PairResult:
    site = bw.load_site("beirut-port")
    return bw.detect_pair(site, *bw.read_local_pair(site, *bw.sample_pair("beirut-port")))


@pytest.fixture(scope="module")
def airport_series() -> bw.TimelineResult:
    site = bw.load_site("beirut-airport")
    return bw.observe_dates(site, bw.read_local_series(site, bw.sample_pair("beirut-airport")))


def _vessel_events(rows: list[dict[str, object]]) -> list[tuple[object, object]]:
    return sorted((r["event"], r["zone"]) for r in rows if r["object_class"] == "vessel")


def test_pair_records_name_the_two_vessel_events(port: bw.PairResult) -> None:
    rows = port.to_records()
    assert len(rows) == len(port.detections)
    assert _vessel_events(rows) == [
        ("appeared", "Quay 9-12 berths (east pier)"),
        ("disappeared", "Harbour basin"),
    ]
    json.dumps(rows, default=str)  # plain values only


def test_pair_geojson_is_what_the_run_folder_holds(port: bw.PairResult) -> None:
    gj = port.to_geojson()
    assert gj == bw.detections_geojson(port)
    assert {f["id"] for f in gj["features"]} == {d.id for d in port.detections}
    ring = gj["features"][0]["geometry"]["coordinates"][0]
    assert all(35.4 < lon < 35.6 and 33.8 < lat < 34.0 for lon, lat in ring)


def test_pair_html_shows_the_picture_counts_and_detections(port: bw.PairResult) -> None:
    page = port._repr_html_()
    assert "Port of Beirut" in page and "2015-08-20" in page and "2017-10-03" in page
    png = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert png is not None
    assert base64.b64decode(png.group(1))[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Harbour basin" in page and "vessel" in page
    assert port._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_escapes_text_from_the_data(port: bw.PairResult) -> None:
    from dataclasses import replace

    hostile = replace(port, warnings=("<script>alert(1)</script>",))
    page = hostile._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_pair_dataframe_has_a_row_per_detection(port: bw.PairResult) -> None:
    pd = pytest.importorskip("pandas")
    df = port.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == len(port.detections)
    vessels = df[df["object_class"] == "vessel"].sort_values("event")
    assert list(vessels["zone"]) == ["Quay 9-12 berths (east pier)", "Harbour basin"]


def test_without_pandas_the_error_says_what_to_do(
    port: bw.PairResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ImportError, match="pip install pandas"):
        port.to_dataframe()


def test_timeline_displays_and_converts(airport_series: bw.TimelineResult) -> None:
    tl = airport_series
    rows = tl.to_records()
    assert len(rows) == sum(sum(t.present()) for t in tl.tracks)
    assert {r["date"] for r in rows} <= set(tl.dates)
    gj = tl.to_geojson()
    assert len(gj["features"]) == sum(1 for r in rows if r["lon"] is not None)
    page = tl._repr_html_()
    assert "Terminal apron" in page and all(d in page for d in tl.dates)
