"""Catalogue conventions, scene choice and search against a real local STAC API.

The items are the real published ones in ``../shared/data/stac/``; the STAC API is
``rustac serve`` on localhost (see ``stac_server.py``); faults come from a local HTTP
server. pystac-client runs unmodified.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely

from basewatch.errors import CatalogError, CoverageError, InputError, NoSceneError
from basewatch.imagery.catalog import (
    Assessment,
    Candidate,
    CatalogSpec,
    HttpOptions,
    SasTokenSigner,
    candidate_from_item,
    choose_nearest,
    choose_sar_pair,
    parse_baseline,
    radiometry,
    resolve_catalog,
    search_items,
)
from stac_server import SAS_TOKEN, Fault, RangeServer, RustacServer, feature_collection

ES_PAGE = "earthsearch_v1_search_page1_body_EXTRACTED_from_pystac-client_test_filter_cassette.json"
PC_S2 = "pc_sentinel-2-l2a_items_stac-geoparquet.json"
PC_S1 = "pc_sentinel-1-rtc_items_stac-geoparquet.json"
FAST = HttpOptions(timeout_s=1.0, retries=2, backoff_s=0.05)


def _json(shared_data: Path, name: str) -> Any:
    return json.loads((shared_data / "stac" / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# the three radiometric conventions, on the real published items


def test_earth_search_v1_flag_wins_over_its_raster_bands_offset(shared_data: Path) -> None:
    page = _json(shared_data, ES_PAGE)
    item = next(f for f in page["features"] if f["collection"] == "sentinel-2-l2a")
    assert item["properties"]["earthsearch:boa_offset_applied"] is True
    assert item["assets"]["red"]["raster:bands"][0]["offset"] == -0.1  # the trap
    cand = candidate_from_item(item, catalog="earthsearch")
    red = cand.asset("B04")
    assert red.href.endswith("/B04.tif")  # the COG, not the red-jp2 alternative
    assert (red.scale, red.offset_dn) == (1e-4, 0.0)
    assert "boa_offset_applied" in red.offset_rule
    assert cand.processing_baseline == "05.11"
    assert cand.asset("SCL").kind == "class"


def test_earth_search_collection_1_uses_its_raster_offset(shared_data: Path) -> None:
    page = _json(shared_data, ES_PAGE)
    item = next(f for f in page["features"] if f["collection"] == "sentinel-2-c1-l2a")
    red = candidate_from_item(item, catalog="earthsearch").asset("B04")
    assert red.offset_dn == pytest.approx(-1000.0)


def test_planetary_computer_offset_comes_from_the_baseline(shared_data: Path) -> None:
    for item in _json(shared_data, PC_S2):
        assert "raster:bands" not in item["assets"]["B04"]
        cand = candidate_from_item(item, catalog="planetary-computer")
        assert cand.processing_baseline == "05.10"
        assert cand.asset("B04").offset_dn == -1000.0
        assert cand.asset("B08").href.endswith("_B08_10m.tif")
        assert cand.relative_orbit == 122


def test_cdse_stac_11_per_asset_scale_and_offset(shared_data: Path) -> None:
    path = next((shared_data / "stac").glob("cdse_sentinel-2-l2a_*.json"))
    cand = candidate_from_item(json.loads(path.read_text()), catalog="cdse")
    b04 = cand.asset("B04")
    assert b04.href.endswith("_B04_10m.jp2")  # 10 m preferred over B04_20m / B04_60m
    assert b04.resolution == 10.0
    assert (b04.scale, b04.offset_dn) == (pytest.approx(1e-4), pytest.approx(-1000.0))
    assert cand.asset("SCL").href.endswith("_SCL_20m.jp2")
    assert cand.processing_baseline == "05.11"


def test_earth_search_v0_before_baseline_04_has_no_offset(shared_data: Path) -> None:
    item = _json(shared_data, "S2A_28QCH_20200714_0_L2A.json")
    cand = candidate_from_item(item, catalog="earthsearch-v0")
    assert cand.asset("B04").offset_dn == 0.0


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"processing_baseline": "04.00", "boa_offset_applied": None}, -1000.0),
        ({"processing_baseline": "03.01", "boa_offset_applied": None}, 0.0),
        ({"processing_baseline": "03.01", "meta_offset": -0.1}, 0.0),
        ({"processing_baseline": "05.11", "boa_offset_applied": True, "meta_offset": -0.1}, 0.0),
        (
            {"processing_baseline": "05.11", "boa_offset_applied": False, "meta_offset": -0.1},
            -1000.0,
        ),
        ({"processing_baseline": "05.11", "meta_offset": 0.0}, 0.0),
        ({"processing_baseline": None, "acquired": dt.date(2021, 6, 1)}, 0.0),
        ({"processing_baseline": None, "acquired": dt.date(2023, 6, 1)}, -1000.0),
    ],
)
def test_radiometry_rules(kwargs: dict[str, Any], expected: float) -> None:
    args: dict[str, Any] = {
        "processing_baseline": None,
        "acquired": dt.date(2024, 1, 1),
        "boa_offset_applied": None,
        "meta_scale": None,
        "meta_offset": None,
    }
    args.update(kwargs)
    scale, offset, rule = radiometry(**args)
    assert scale == 1e-4
    assert offset == expected
    assert rule


def test_parse_baseline_variants() -> None:
    assert parse_baseline("05.11") == "05.11"
    assert parse_baseline("N0511") == "05.11"
    assert parse_baseline(4.0) == "04.00"
    assert parse_baseline("garbage") is None
    assert parse_baseline(None) is None


def test_sentinel1_items(shared_data: Path) -> None:
    rtc = candidate_from_item(_json(shared_data, PC_S1)[0], catalog="planetary-computer")
    assert rtc.sensor == "S1"
    assert rtc.relative_orbit == 51
    assert rtc.asset("VV").kind == "gamma0" and rtc.asset("VV").nodata == -32768.0
    page = _json(shared_data, ES_PAGE)
    grd = candidate_from_item(
        next(f for f in page["features"] if f["collection"] == "sentinel-1-grd"),
        catalog="earthsearch",
    )
    assert grd.asset("HH").kind == "amplitude"
    assert grd.asset("HH").href.startswith("s3://")


def test_relative_orbit_from_the_absolute_orbit_in_the_id() -> None:
    # real Latakia scenes: 2024-11-23 and 2024-12-05 share a track, 12-06 and 12-18 another
    def orbit(item_id: str) -> int | None:
        item = {
            "id": item_id,
            "collection": "sentinel-1-rtc",
            "geometry": {"type": "Point", "coordinates": [35.7, 35.5]},
            "properties": {"datetime": "2024-12-06T03:43:15Z"},
            "assets": {},
        }
        return candidate_from_item(item).relative_orbit

    a = orbit("S1A_IW_GRDH_1SDV_20241123T154150_20241123T154215_056684_06F46E_rtc")
    b = orbit("S1A_IW_GRDH_1SDV_20241205T154149_20241205T154214_056859_06FB5B_rtc")
    c = orbit("S1A_IW_GRDH_1SDV_20241206T034315_20241206T034340_056866_06FBA2_rtc")
    d = orbit("S1A_IW_GRDH_1SDV_20241218T034314_20241218T034339_057041_070294_rtc")
    assert a == b == 87
    assert c == d == 94


def test_malformed_items_raise_catalog_error() -> None:
    with pytest.raises(CatalogError, match="no id"):
        candidate_from_item({"type": "Feature", "properties": {}})
    with pytest.raises(CatalogError, match="datetime"):
        candidate_from_item({"id": "x", "properties": {"datetime": "yesterday"}})


def test_resolve_catalog() -> None:
    assert resolve_catalog("earthsearch").collection("S2") == "sentinel-2-l2a"
    assert resolve_catalog("pc").collection("S1") == "sentinel-1-rtc"
    assert resolve_catalog("planetary-computer").sas_url
    custom = resolve_catalog("http://127.0.0.1:1/", sas_url="http://127.0.0.1:1/sas")
    assert custom.url == "http://127.0.0.1:1" and custom.sas_url
    with pytest.raises(InputError, match="unknown catalogue"):
        resolve_catalog("nowhere")


# ---------------------------------------------------------------------------------------
# scene choice (pure)


def _cand(day: int, *, orbit: int | None = None, month: int = 12) -> Candidate:
    when = dt.datetime(2024, month, day, 8, 23, tzinfo=dt.UTC)
    return Candidate(
        id=f"S{month:02d}{day:02d}",
        collection="c",
        catalog="t",
        sensor="S2",
        datetime=when,
        footprint=shapely.box(0, 0, 1, 1),
        scene_cloud=None,
        relative_orbit=orbit,
        orbit_state=None,
        platform="",
        processing_baseline=None,
        assets={},
    )


def test_choose_nearest_skips_a_cloudy_scene_for_a_clear_one() -> None:
    assessed = [
        Assessment(_cand(15), 1.0, 0.95),  # on the date, but cloudy over the AOI
        Assessment(_cand(12), 1.0, 0.02),
        Assessment(_cand(20), 1.0, 0.0),
    ]
    pick = choose_nearest(
        assessed, dt.date(2024, 12, 15), max_cloud=0.3, min_coverage=0.9, window_days=10
    )
    assert pick.candidate.id == "S1212"


def test_choose_nearest_prefers_the_site_utm_zone_between_tiles_of_one_pass() -> None:
    import dataclasses

    zone37 = dataclasses.replace(_cand(15), id="T37SBV", epsg=32637)
    zone36 = dataclasses.replace(_cand(15), id="T36SYE", epsg=32636)
    assessed = [Assessment(zone37, 1.0, 0.011), Assessment(zone36, 1.0, 0.012)]
    pick = choose_nearest(
        assessed,
        dt.date(2024, 12, 15),
        max_cloud=0.3,
        min_coverage=0.9,
        window_days=10,
        prefer_epsg=32636,
    )
    assert pick.candidate.id == "T36SYE"
    # but not at the price of clearly more cloud
    assessed = [Assessment(zone37, 1.0, 0.0), Assessment(zone36, 1.0, 0.2)]
    pick = choose_nearest(
        assessed,
        dt.date(2024, 12, 15),
        max_cloud=0.3,
        min_coverage=0.9,
        window_days=10,
        prefer_epsg=32636,
    )
    assert pick.candidate.id == "T37SBV"


def test_choose_nearest_every_scene_cloudy_names_the_fractions() -> None:
    assessed = [Assessment(_cand(15), 1.0, 0.95), Assessment(_cand(10), 1.0, 0.62)]
    with pytest.raises(NoSceneError) as err:
        choose_nearest(
            assessed, dt.date(2024, 12, 15), max_cloud=0.3, min_coverage=0.9, window_days=10
        )
    msg = str(err.value)
    assert "95%" in msg and "62%" in msg and "S1215" in msg and "--sensor s1" in msg


def test_choose_nearest_coverage_and_window() -> None:
    with pytest.raises(CoverageError, match="covers 40%"):
        choose_nearest(
            [Assessment(_cand(15), 0.4, 0.0)],
            dt.date(2024, 12, 15),
            max_cloud=0.3,
            min_coverage=0.9,
            window_days=10,
        )
    with pytest.raises(NoSceneError, match="within 3 days"):
        choose_nearest(
            [Assessment(_cand(1), 1.0, 0.0)],
            dt.date(2024, 12, 15),
            max_cloud=0.3,
            min_coverage=0.9,
            window_days=3,
        )


def test_choose_sar_pair_keeps_one_track() -> None:
    # the scene nearest to 'before' (12-05, track 87) has no partner on the 'after' track
    assessed = [
        Assessment(_cand(5, orbit=87), 1.0, None),
        Assessment(_cand(6, orbit=94), 1.0, None),
        Assessment(_cand(18, orbit=94), 1.0, None),
        Assessment(_cand(23, orbit=87, month=11), 1.0, None),
    ]
    b, a = choose_sar_pair(
        assessed, dt.date(2024, 12, 1), dt.date(2024, 12, 18), min_coverage=0.9, window_days=10
    )
    assert (b.candidate.id, a.candidate.id) == ("S1206", "S1218")
    with pytest.raises(NoSceneError, match="relative orbit"):
        choose_sar_pair(
            assessed[:1] + assessed[2:3],
            dt.date(2024, 12, 1),
            dt.date(2024, 12, 18),
            min_coverage=0.9,
            window_days=10,
        )


# ---------------------------------------------------------------------------------------
# searching a real STAC API on localhost


@pytest.fixture(scope="module")
def pc_api(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """rustac serve holding the real Planetary Computer items, unchanged."""
    items = _json(shared_data, PC_S2) + _json(shared_data, PC_S1)
    path = feature_collection(items, tmp_path_factory.mktemp("pc") / "items.json")
    server = RustacServer(path).start()
    yield server.url
    server.stop()


@pytest.fixture
def faulty(tmp_path: Path) -> Iterator[RangeServer]:
    server = RangeServer(tmp_path).start()
    yield server
    server.stop()


def _spec(url: str) -> CatalogSpec:
    return resolve_catalog(url)


def test_search_follows_next_links(pc_api: str, shared_data: Path) -> None:
    items = _json(shared_data, PC_S2)
    aoi = shapely.box(92.0, 79.0, 96.0, 83.0)
    found = search_items(
        _spec(pc_api),
        sensor="S2",
        aoi=aoi,
        start=dt.date(2024, 4, 1),
        end=dt.date(2024, 4, 30),
        http=FAST,
        page_size=1,
    )
    assert sorted(f["id"] for f in found) == sorted(i["id"] for i in items)
    # the items come back as published (assets, baseline), so the conventions apply
    cands = [candidate_from_item(f, catalog="pc") for f in found]
    assert all(c.asset("B04").offset_dn == -1000.0 for c in cands)


def test_search_filters_by_date_and_place(pc_api: str) -> None:
    aoi = shapely.box(92.0, 79.0, 96.0, 83.0)
    assert (
        search_items(
            _spec(pc_api),
            sensor="S2",
            aoi=aoi,
            start=dt.date(2023, 1, 1),
            end=dt.date(2023, 2, 1),
            http=FAST,
        )
        == []
    )
    assert (
        search_items(
            _spec(pc_api),
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 12, 31),
            http=FAST,
        )
        == []
    )
    s1 = search_items(
        _spec(pc_api),
        sensor="S1",
        aoi=shapely.box(10, 25, 20, 35),
        start=dt.date(2024, 4, 1),
        end=dt.date(2024, 4, 30),
        http=FAST,
    )
    assert s1 and all(f["collection"] == "sentinel-1-rtc" for f in s1)


def test_malformed_json_catalogue(faulty: RangeServer) -> None:
    spec = _spec(f"{faulty.url}/badstac/")
    with pytest.raises(CatalogError, match="not STAC JSON"):
        search_items(
            spec,
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 1, 2),
            http=FAST,
        )


def test_catalogue_5xx_is_retried_then_reported(faulty: RangeServer) -> None:
    faulty.faults["/down"] = Fault(status=503)
    spec = _spec(f"{faulty.url}/down/")
    t0 = time.monotonic()
    with pytest.raises(CatalogError, match="HTTP 503") as err:
        search_items(
            spec,
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 1, 2),
            http=FAST,
        )
    assert "3 attempt" in str(err.value)
    assert faulty.log.count("/down") == FAST.retries + 1
    assert time.monotonic() - t0 < 10


def test_catalogue_transient_5xx_recovers(faulty: RangeServer) -> None:
    faulty.faults["/badstac"] = Fault(status=502, times=1)
    spec = _spec(f"{faulty.url}/badstac/")
    # the landing page answers after one retry; the search itself is malformed
    with pytest.raises(CatalogError, match="not STAC JSON"):
        search_items(
            spec,
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 1, 2),
            http=FAST,
        )
    assert faulty.log.count("/badstac") >= 3  # failed landing, landing, search


def test_catalogue_timeout_is_bounded(faulty: RangeServer) -> None:
    faulty.faults["/slow"] = Fault(delay=3.0)
    spec = _spec(f"{faulty.url}/slow/")
    t0 = time.monotonic()
    with pytest.raises(CatalogError):
        search_items(
            spec,
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 1, 2),
            http=HttpOptions(timeout_s=0.5, retries=1, backoff_s=0.05),
        )
    assert time.monotonic() - t0 < 8


def test_reversed_dates(pc_api: str) -> None:
    with pytest.raises(InputError, match="reversed"):
        search_items(
            _spec(pc_api),
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 2, 1),
            end=dt.date(2024, 1, 1),
        )


def test_sas_signer_gets_and_reuses_a_token(faulty: RangeServer) -> None:
    signer = SasTokenSigner(f"{faulty.url}/api/sas/v1", http=FAST)
    href = "https://example.blob.core.windows.net/c/B04.tif"
    signed = signer.sign(href, "sentinel-2-l2a")
    assert signed == f"{href}?{SAS_TOKEN}"
    assert signer.sign(href, "sentinel-2-l2a") == signed
    assert faulty.log.count("/api/sas/v1/token/") == 1  # cached until near expiry
    assert signer.sign("s3://bucket/key.tif", "sentinel-2-l2a") == "s3://bucket/key.tif"


def test_sas_signer_failure_is_a_catalog_error(faulty: RangeServer) -> None:
    faulty.faults["/api/sas/v1/token/sentinel-2-l2a"] = Fault(status=500)
    signer = SasTokenSigner(f"{faulty.url}/api/sas/v1", http=FAST)
    with pytest.raises(CatalogError, match="SAS token"):
        signer.sign("https://x.blob.core.windows.net/a.tif", "sentinel-2-l2a")


def test_catalogue_url_that_is_not_a_stac_api(faulty: RangeServer) -> None:
    spec = _spec(f"{faulty.url}/no-such-api/")
    with pytest.raises(CatalogError, match="refused the search: HTTP 404") as err:
        search_items(
            spec,
            sensor="S2",
            aoi=shapely.box(0, 0, 1, 1),
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 1, 2),
            http=FAST,
        )
    assert "--catalog URL" in str(err.value)
    assert faulty.log.count("/no-such-api") == 1  # a 404 is not retried
