"""The command line as a user meets it: demo, detect, sites, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
import pytest
import rasterio
from click.testing import CliRunner

from basewatch.aoi import load_site
from basewatch.cli import main
from basewatch.errors import InputError
from basewatch.imagery.local import read_local_pair
from basewatch.pipeline import detect_pair

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
AIRPORT = [IMAGERY / f"beirut-airport_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
PORT = [IMAGERY / f"beirut-port_S2L1C_{d}.tif" for d in ("20150820", "20171003")]


def _invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _detect_bundled(site: str, out: Path, *options: str) -> tuple[int, str, str]:
    """``basewatch detect`` on a bundled pair (2015-08-20, 2017-10-03), its vectors and
    record only, with ``options``."""
    files = [IMAGERY / f"{site}_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    return _invoke(
        "detect",
        "--site",
        site,
        "--before",
        files[0],
        "--after",
        files[1],
        "--out",
        out,
        "--no-png",
        "--no-cog",
        "--no-gpkg",
        *options,
    )


def test_demo_writes_pngs_geojson_and_run_records(tmp_path: Path) -> None:
    code, out, err = _invoke("demo", "--out", tmp_path)
    assert code == 0, err
    for site in ("beirut-airport", "beirut-port"):
        folder = tmp_path / site
        png = (folder / "change.png").read_bytes()
        assert png.startswith(b"\x89PNG")
        gj = json.loads((folder / "detections.geojson").read_text())
        assert gj["type"] == "FeatureCollection" and gj["features"]
        run = json.loads((folder / "run.json").read_text())
        assert run["site"] == site
        assert [s["datetime"][:10] for s in run["scenes"]] == ["2015-08-20", "2017-10-03"]
        assert len(run["evidence"]) == len(gj["features"])
        assert {e["detection_id"] for e in run["evidence"]} == {f["id"] for f in gj["features"]}
        assert run["parameters"]["change"]["threshold"] > 0
        assert not list(folder.glob(".*.part"))
    assert "aircraft disappeared" in out and "vessel disappeared" in out
    index = json.loads((tmp_path / "index.json").read_text())
    assert set(index) == {"beirut-airport", "beirut-port"}


def test_detect_takes_the_median_aircraft_background_and_records_it(tmp_path: Path) -> None:
    """``--aircraft-background median`` reaches the aircraft search and the run record;
    on the Beirut airport the airliner that left the terminal apron is still the one
    aircraft event."""
    from basewatch.detect.change import CFAR_STATISTICS

    code, _, err = _detect_bundled("beirut-airport", tmp_path, "--aircraft-background", "median")
    assert code == 0, err
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["parameters"]["objects"]["aircraft_background"] == "median"
    features = json.loads((tmp_path / "detections.geojson").read_text(encoding="utf-8"))
    aircraft = [
        f["properties"]
        for f in features["features"]
        if f["properties"]["object_class"] == "aircraft"
    ]
    assert [(a["id"], a["event"], a["zone"]) for a in aircraft] == [
        ("beirut-airport-463290bd40", "disappeared", "Terminal apron")
    ]
    # the command's choices are the detector's (written out so that --help stays light)
    option = next(p for p in main.commands["detect"].params if p.name == "aircraft_background")
    assert tuple(option.type.choices) == CFAR_STATISTICS  # type: ignore[attr-defined]
    code, _, err = _invoke("detect", "--aircraft-background", "mode")
    assert code == 2 and "'mode' is not one of 'mean', 'median'" in err


def test_detect_searches_a_pair_without_b11_by_the_union_when_asked(tmp_path: Path) -> None:
    """``--vessels-without-b11 union`` reaches the pair's vessel search and the record;
    on the bundled Beirut port pair (four bands) the ship that left the harbour basin
    is still the basin's one vessel event, as with the rule."""
    from basewatch.detect.components import VESSELS_WITHOUT_B11
    from basewatch.pipeline import VESSEL_SEARCH_MEASURED_TOA

    code, _, err = _detect_bundled("beirut-port", tmp_path, "--vessels-without-b11", "union")
    assert code == 0, err
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["parameters"]["objects"]["vessels_without_b11"] == "union"
    vessels = record["parameters"]["change"]["vessels"]
    assert vessels["detector"] == "union" and vessels["bands"] == ["B02", "B03", "B04", "B08"]
    # the bundled scenes are Level-1C: the union's figures on top-of-atmosphere images
    assert vessels["measured"] == VESSEL_SEARCH_MEASURED_TOA["union"].text()
    assert vessels["top_of_atmosphere"] is True
    assert any("Level-1C (top of the atmosphere)" in w for w in record["warnings"])
    features = json.loads((tmp_path / "detections.geojson").read_text(encoding="utf-8"))
    basin = [
        (f["properties"]["id"], f["properties"]["event"])
        for f in features["features"]
        if f["properties"]["object_class"] == "vessel"
        and f["properties"]["zone"] == "Harbour basin"
    ]
    assert basin == [("beirut-port-be2c0e4414", "disappeared")]
    option = next(p for p in main.commands["detect"].params if p.name == "vessels_without_b11")
    assert tuple(option.type.choices) == VESSELS_WITHOUT_B11  # type: ignore[attr-defined]


def test_detect_on_two_geotiffs(tmp_path: Path) -> None:
    code, out, err = _invoke(
        "detect",
        "--site",
        "beirut-port",
        "--before",
        PORT[0],
        "--after",
        PORT[1],
        "--out",
        tmp_path,
        "--no-png",
        "--no-cog",
        "--no-gpkg",
    )
    assert code == 0, err
    assert "vessel disappeared" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".basewatch-files",  # what it wrote: only these are replaced by --overwrite
        "detections.geojson",
        "report.html",
        "run.json",
    ]


def test_sites_lists_the_syrian_sites() -> None:
    code, out, _ = _invoke("sites", "--zones")
    assert code == 0
    assert "hmeimim" in out and "tartus" in out and "Runway 17/35" in out


#: Libraries of the image commands that a text command must not wait for.
HEAVY = ("dask", "distributed", "numba", "matplotlib", "rasterio", "scipy", "pyogrio")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["sites", "--zones"],
        ["claims", "--help"],
        ["detect", "--help"],
        ["monitor", "--help"],
    ],
)
def test_a_command_imports_only_what_it_uses(args: list[str]) -> None:
    """Commands load on first use and import their libraries when they run: the
    overview, listing the sites, reading claims or a command's help start without the
    imaging, plotting and cluster libraries (about 3 s each before)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from basewatch.cli import main\n"
        f"result = CliRunner().invoke(main, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert [m for m in done.stdout.strip().split(",") if m] == []


def test_help_lists_every_command_and_unknown_ones_are_refused() -> None:
    from basewatch.cli.main import COMMANDS

    code, out, _ = _invoke("--help")
    assert code == 0
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(name for _, name in COMMANDS)
    result = CliRunner().invoke(main, ["detec"])
    assert result.exit_code == 2 and "No such command 'detec'" in result.output


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("missing", "file not found"),
        ("not-raster", "not a raster file"),
        ("different-grids", "different pixel grids"),
        ("outside", "'hmeimim' lies outside the raster (--before "),
        ("same-file", "same file"),
    ],
)
def test_detect_errors_exit_2_and_write_nothing(tmp_path: Path, case: str, fragment: str) -> None:
    out_dir = tmp_path / "out"
    site, before, after = "beirut-port", PORT[0], PORT[1]
    if case == "missing":
        before = tmp_path / "missing_20150820.tif"
    elif case == "not-raster":
        before = tmp_path / "report_20150820.tif"
        before.write_text("<html>not an image</html>")
    elif case == "different-grids":
        after = AIRPORT[1]
    elif case == "outside":
        site = "hmeimim"
    elif case == "same-file":
        after = before
    code, _, err = _invoke(
        "detect", "--site", site, "--before", before, "--after", after, "--out", out_dir
    )
    assert code == 2
    assert err.startswith("error: ")
    assert fragment in err
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    code, _, err = _invoke(
        "-v",
        "detect",
        "--site",
        "nowhere",
        "--before",
        PORT[0],
        "--after",
        PORT[1],
        "--out",
        tmp_path / "o",
    )
    assert code == 2
    assert "Traceback" in err and "unknown site 'nowhere'" in err


# the raster without georeferencing is written and read here on purpose
@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
def test_detect_rejects_a_raster_without_georeferencing(tmp_path: Path) -> None:
    with rasterio.open(PORT[0]) as ds:
        data, profile = ds.read(), ds.profile
    profile.pop("crs")
    profile.pop("transform")
    plain = tmp_path / "plain_20150820.tif"
    with rasterio.open(plain, "w", **profile) as ds:
        ds.write(data)
    code, _, err = _invoke(
        "detect",
        "--site",
        "beirut-port",
        "--before",
        plain,
        "--after",
        PORT[1],
        "--out",
        tmp_path / "o",
    )
    assert code == 2
    assert "no coordinate reference system" in err


def test_failed_run_leaves_no_complete_looking_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that fails half-way (here: in rendering) leaves the earlier run as it was:
    no file of the failed run in it, no temporary folder beside it."""
    out_dir = tmp_path / "out"
    code, _, err = _invoke(
        "detect", "--site", "beirut-port", "--before", PORT[0], "--after", PORT[1], "--out", out_dir
    )
    assert code == 0, err
    assert (out_dir / "run.json").exists()
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    import basewatch.outputs.render

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(basewatch.outputs.render, "render_picture", broken)
    result = CliRunner().invoke(
        main,
        [
            "detect",
            "--site",
            "beirut-port",
            "--before",
            str(PORT[0]),
            "--after",
            str(PORT[1]),
            "--out",
            str(out_dir),
            "--overwrite",
        ],
    )
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before  # old, whole
    assert not list(tmp_path.glob(".*.part"))


def test_run_on_a_folder_of_geotiffs_of_several_sites(tmp_path: Path) -> None:
    """`run --catalog FOLDER` picks the site's own rasters (the folder holds both sites)."""
    code, out, err = _invoke(
        "run",
        "--site",
        "beirut-port",
        "--before",
        "2015-08-20",
        "--after",
        "2017-10-03",
        "--catalog",
        IMAGERY,
        "--out",
        tmp_path / "o",
        "--no-png",
        "--cache-dir",
        tmp_path / "cache",
    )
    assert code == 0, err
    run = json.loads((tmp_path / "o" / "run.json").read_text())
    assert [s["datetime"][:10] for s in run["scenes"]] == ["2015-08-20", "2017-10-03"]
    # both dates were put on the site's 10 m UTM grid and the later one co-registered
    assert {s["grid"]["crs"] for s in run["scenes"]} == {"EPSG:32636"}
    assert run["scenes"][1]["shift_px"] != [0.0, 0.0]
    assert "vessel" in out


def test_detect_coregisters_the_dates_and_records_the_shift(tmp_path: Path) -> None:
    """The bundled pair is about half a pixel apart in x (0.6 px, as the tile loader's
    co-registration also measures it); detect aligns the dates and records the shift."""
    code, _, err = _invoke(
        "detect",
        "--site",
        "beirut-airport",
        "--before",
        AIRPORT[0],
        "--after",
        AIRPORT[1],
        "--out",
        tmp_path / "a",
        "--no-png",
    )
    assert code == 0, err
    after = json.loads((tmp_path / "a" / "run.json").read_text())["scenes"][1]
    assert after["coregistration"]["applied"] is True
    dy, dx = after["shift_px"]
    assert abs(dy) < 0.2 and 0.3 < abs(dx) < 0.9
    code, _, err = _invoke(
        "detect",
        "--site",
        "beirut-airport",
        "--before",
        AIRPORT[0],
        "--after",
        AIRPORT[1],
        "--out",
        tmp_path / "b",
        "--no-png",
        "--no-coregister",
    )
    assert code == 0, err
    assert json.loads((tmp_path / "b" / "run.json").read_text())["scenes"][1]["shift_px"] == [
        0.0,
        0.0,
    ]


def test_corroborate_draws_claims_on_the_run_pictures(tmp_path: Path) -> None:
    """demo -> corroborate: the change pictures come back with the claims they bear on."""
    runs, corr = tmp_path / "runs", tmp_path / "corr"
    assert _invoke("demo", "--out", runs)[0] == 0
    report = tmp_path / "beirut.md"
    # the test claims, the frigates in a window that holds both dates of the demo pair
    # (2015-08-20, 2017-10-03) so that the imagery bears on them
    text = (Path(__file__).resolve().parent / "data" / "reports" / "beirut_claims.md").read_text()
    text = text.replace("in September 2017", "from August 2015 to October 2017")
    report.write_text(text)
    code, out, err = _invoke("corroborate", "--reports", report, "--run", runs, "--out", corr)
    assert code == 0, err
    labels = json.loads((corr / "labels.json").read_text())
    assert labels  # some detection bears on some claim
    # the runs say they can see objects that stay put (single-date objects), so
    # "three frigates stationed offshore" meets an empty approaches zone; but the scenes
    # are Level-1C, where the search finds under a quarter of the ships in open water:
    # missing all three is too likely for the empty zone to contradict the claim
    run = json.loads((runs / "beirut-port" / "run.json").read_text())
    assert "persisted" in run["parameters"]["events"]
    assert all(
        n == 0
        for n in run["parameters"]["zone_counts"]["Outer roads (north of the breakwater)"].values()
    )
    assert run["parameters"]["change"]["vessels"]["open_water_recall"] == 0.23
    verdicts = json.loads((corr / "corroboration.json").read_text())["verdicts"]
    frigates = [v for v in verdicts if "frigate" in v["reason"]]
    assert [v["verdict"] for v in frigates] == ["cannot resolve"]
    # judged on the count (0 vessels in the outer roads on either date, 3 claimed)
    assert "fewer than the 3 claimed" in frigates[0]["reason"]
    assert "missing 3 is a 46% chance and absence is not shown" in frigates[0]["reason"]
    for site in ("beirut-airport", "beirut-port"):
        png = corr / f"{site}_claims.png"
        assert png.read_bytes().startswith(b"\x89PNG")
        assert str(png) in out


def test_preview_round_trip_redraws_the_same_picture(tmp_path: Path) -> None:
    from basewatch.outputs.render import picture_of
    from basewatch.outputs.run import load_picture, write_run

    result = detect_pair(
        load_site("beirut-port"), *read_local_pair("beirut-port", PORT[0], PORT[1])
    )
    write_run(result, tmp_path)
    again = load_picture(tmp_path, result.detections)
    first = picture_of(result)
    assert again.before_rgb.dtype == np.uint8
    assert np.array_equal(again.before_rgb, first.before_rgb)
    assert np.array_equal(again.after_rgb, first.after_rgb)
    assert np.array_equal(again.mask, first.mask)
    assert np.array_equal(np.isnan(again.magnitude), np.isnan(first.magnitude))
    assert again.grid == first.grid and again.site.name == "beirut-port"
    (tmp_path / "preview.npz").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="damaged preview"):
        load_picture(tmp_path, result.detections)


def test_detect_writes_a_geopackage(tmp_path: Path) -> None:
    """detections.gpkg, holding the GeoJSON's detections (the port's
    vessel that left the harbour basin among them); the run record lists it."""
    from pyogrio.raw import read

    code, _, err = _invoke(
        "detect", "--site", "beirut-port", "--before", PORT[0], "--after", PORT[1],
        "--out", tmp_path, "--gpkg", "--no-png",
    )  # fmt: skip
    assert code == 0, err
    gj = json.loads((tmp_path / "detections.geojson").read_text())
    meta, _, _, fields = read(tmp_path / "detections.gpkg", layer="detections")
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert sorted(columns["id"]) == sorted(f["id"] for f in gj["features"])
    rows = list(zip(columns["object_class"], columns["event"], columns["zone"], strict=True))
    assert ("vessel", "disappeared", "Harbour basin") in rows
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["outputs"]["gpkg"] == "detections.gpkg"
    assert not (tmp_path / "change.png").exists()


def test_each_command_has_its_own_default_folder_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ("detect", "--site", "beirut-port", "--before", PORT[0], "--after", PORT[1],
            "--no-png", "--no-cog")  # fmt: skip
    code, _, err = _invoke(*args)
    assert code == 0, err
    folder = tmp_path / "out" / "detect" / "beirut-port_20150820_20171003"
    first = (folder / "run.json").read_text()
    code, _, err = _invoke(*args)
    assert code == 2 and "--overwrite" in err and "Traceback" not in err
    assert (folder / "run.json").read_text() == first
    code, _, err = _invoke(*args, "--overwrite")
    assert code == 0, err
    code, _, err = _invoke("timeline", "--site", "beirut-airport", *AIRPORT, "--no-png")
    assert code == 0, err
    assert (
        tmp_path / "out" / "timeline" / "beirut-airport_20150820_20171003" / "timeline.json"
    ).is_file()


def test_scenes_lists_the_catalogued_scenes_of_hmeimim_offline(shared_data: Path) -> None:
    sites = shared_data / "sites"
    code, out, err = _invoke(
        "scenes", "--site", "hmeimim", "--from", "2024-11-25", "--to", "2024-12-20",
        "--catalog", sites / "s2_l2a_scene_catalog_latakia.json",
        "--catalog", sites / "s1_rtc_scene_catalog_latakia.json",
    )  # fmt: skip
    assert code == 0, err
    # the scenes PROVENANCE.md names around the reported withdrawal
    assert "S2A_MSIL2A_20241130T082311_R121_T37SBV_20241130T112551" in out
    assert "S2B_MSIL2A_20241215T082249_R121_T37SBV_20241215T104449" in out
    assert "20241206T034315" in out and "20241218T034314" in out
    assert "S2B_MSIL2A_20241225" not in out  # after --to


CATALOGS = IMAGERY / "catalogs"
S2_1130 = "S2A_MSIL2A_20241130T082311_R121_T37SBV_20241130T112551"
S2_1215 = "S2B_MSIL2A_20241215T082249_R121_T37SBV_20241215T104449"


def test_scenes_shows_the_cloud_inside_the_site_where_the_cache_holds_its_scl(
    tmp_path: Path,
) -> None:
    """The bundled catalogue gives the tile's cloud; a scene whose classification layer
    of the site is cached (as `fetch` leaves it) gets the cloud inside the site."""
    from basewatch.aoi import aoi_for_site
    from basewatch.imagery.cache import TileCache

    aoi = aoi_for_site(load_site("hmeimim"))
    scl = np.full(aoi.grid.shape, 4.0, dtype=np.float32)  # SCL 4: vegetation (clear)
    scl[: aoi.grid.height // 2] = 9.0  # SCL 9: cloud, high probability
    expected = float((scl == 9.0)[aoi.inside].mean())
    key = TileCache.band_key(
        catalog="planetary-computer", scene_id=S2_1130, band="SCL", grid=aoi.grid,
        resampling="nearest",
    )  # fmt: skip
    TileCache(tmp_path).put_band(key, scl)
    code, out, err = _invoke(
        "-q", "scenes", "--site", "hmeimim", "--from", "2024-11-25", "--to", "2024-12-20",
        "--sensor", "s2", "--catalog", CATALOGS / "s2_l2a_scene_catalog_latakia.json",
        "--cache-dir", tmp_path,
    )  # fmt: skip
    assert code == 0, err
    lines = {ln.split()[-1]: ln for ln in out.splitlines() if ln.startswith("  ")}
    assert f"cloud {expected:4.0%} site" in lines[S2_1130]
    assert "cloud  19% tile" in lines[S2_1215]  # not cached: the catalogue's tile cover


@pytest.mark.parametrize(
    "name",
    [
        "sites/s2_l2a_scene_catalog_latakia.json",
        "sites/s1_rtc_scene_catalog_tartus.jsonl",
        "stac/pc_sentinel-2-l2a_items_stac-geoparquet.json",
        "stac/pc_sentinel-2-l2a_two_items_featurecollection_rustac.json",
    ],
)
def test_run_refuses_a_catalogue_file_in_one_line(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    code, _, err = _invoke(
        "run", "--site", "hmeimim", "--before", "2024-11-30", "--after", "2024-12-15",
        "--catalog", shared_data / name, "--out", tmp_path / "o",
    )  # fmt: skip
    assert code == 2, err
    assert err.startswith("error: ") and "scene catalogue file" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_sites_show_draws_tartus_with_its_catalogued_scenes(
    shared_data: Path, tmp_path: Path
) -> None:
    code, _, err = _invoke(
        "sites", "show", "tartus", "--from", "2024-12-01", "--to", "2024-12-15",
        "--catalog", shared_data / "sites" / "s1_rtc_scene_catalog_latakia.json",
        "--out", tmp_path,
    )  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "site.png").read_bytes().startswith(b"\x89PNG")
    page = (tmp_path / "site.html").read_text()
    assert "20241205T154149" in page and "Port of Tartus" in page


def test_sites_show_replaces_its_drawing_only_when_asked(tmp_path: Path) -> None:
    """A second drawing into the same folder is refused without --overwrite, replaces the
    first with it, and never deletes a file of the user's put there; --from without a
    catalogue to choose scenes from is refused."""
    out = tmp_path / "tartus"
    args = ("sites", "show", "tartus", "--out", out)
    assert _invoke(*args)[0] == 0
    code, _, err = _invoke(*args)
    assert code == 2 and "--overwrite" in err
    assert _invoke(*args, "--overwrite")[0] == 0
    (out / "notes.md").write_text("mine")
    code, _, err = _invoke(*args, "--overwrite")
    assert code == 2 and "notes.md" in err and (out / "notes.md").read_text() == "mine"
    code, _, err = _invoke("sites", "show", "tartus", "--from", "2024-12-01", "--out", out)
    assert code == 2 and "give --catalog too" in err


def test_overwrite_never_replaces_a_folder_that_is_not_one_run(tmp_path: Path) -> None:
    """`--out` naming the inputs' folder, or a folder of several runs, is refused even with
    `--overwrite` (replacing it whole would delete them), and the refusal does not offer
    `--overwrite`; a folder holding one earlier run is replaced with it."""
    inputs = tmp_path / "imagery"
    inputs.mkdir()
    for src in PORT:
        (inputs / src.name).write_bytes(src.read_bytes())
    before = {p.name: p.read_bytes() for p in inputs.iterdir()}
    args = ("detect", "--site", "beirut-port", "--before", inputs / PORT[0].name,
            "--after", inputs / PORT[1].name, "--no-png", "--no-cog", "--no-gpkg")  # fmt: skip
    for flags in ((), ("--overwrite",)):
        code, _, err = _invoke(*args, "--out", inputs, *flags)
        assert code == 2 and "new or empty folder" in err and "give --overwrite" not in err
    assert {p.name: p.read_bytes() for p in inputs.iterdir()} == before
    runs = tmp_path / "out"
    code, _, err = _invoke(*args, "--out", runs / "first")
    assert code == 0, err
    code, _, err = _invoke(*args, "--out", runs, "--overwrite")
    assert code == 2 and "other runs' folders" in err
    assert (runs / "first" / "run.json").is_file()
    code, _, err = _invoke(*args, "--out", runs / "first")
    assert code == 2 and "give --overwrite" in err
    code, _, err = _invoke(*args, "--out", runs / "first", "--overwrite")
    assert code == 0, err
    # a file of the user's put beside the run's: never deleted, even with --overwrite
    (runs / "first" / "analyst_notes.md").write_text("mine")
    code, _, err = _invoke(*args, "--out", runs / "first", "--overwrite")
    assert code == 2 and "analyst_notes.md" in err and "did not write there" in err, err
    assert (runs / "first" / "analyst_notes.md").read_text() == "mine"


def test_commands_refuse_dates_in_the_wrong_order(tmp_path: Path) -> None:
    """Every command taking a date range (or a pair) refuses it backwards before any
    work: no cluster started, no catalogue searched, nothing written."""
    catalogue = IMAGERY / "catalogs" / "s2_l2a_scene_catalog_latakia.json"
    backwards = ("--from", "2024-12-20", "--to", "2024-11-25")
    out = tmp_path / "out"
    for args in (
        ("scenes", "--site", "hmeimim", *backwards, "--catalog", catalogue),
        ("sites", "show", "hmeimim", *backwards, "--catalog", catalogue, "--out", out),
        ("fetch", "--site", "hmeimim", *backwards),
        ("monitor", "--sites", "hmeimim", *backwards, "--out", out),
    ):
        code, _, err = _invoke(*args)
        assert code == 2 and "--to" in err and "earlier date first" in err, (args, err)
    pair = ("run", "--site", "hmeimim", "--offline", "--out", out)
    code, _, err = _invoke(*pair, "--before", "2024-12-20", "--after", "2024-11-25")
    assert code == 2 and "is before --before 2024-12-20" in err, err
    code, _, err = _invoke(*pair, "--before", "2024-12-20", "--after", "2024-12-20")
    assert code == 2 and "two different dates" in err, err
    assert not out.exists()


def test_every_option_of_every_command_says_what_it_does() -> None:
    """`--help` is how a new user learns a command: no option is listed bare."""
    bare = []

    def walk(cmd: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None
                walk(sub, (*path, name))
        bare.extend(
            f"{' '.join(path)} {p.opts[0]}"
            for p in cmd.params
            if isinstance(p, click.Option) and not p.hidden and not p.help
        )

    walk(main, ("basewatch",))
    assert not bare, bare


def test_bands_given_against_the_file_s_own_names_are_warned_of(tmp_path: Path) -> None:
    """--bands that differ from the names the file gives its bands are used, and said:
    the run's vessels vanish otherwise with no word why."""
    code, out, err = _invoke(
        "detect", "--site", "beirut-port", "--before", PORT[0], "--after", PORT[1],
        "--bands", "B08,B04,B03,B02", "--out", tmp_path / "o", "--no-png", "--no-cog",
        "--no-gpkg",
    )  # fmt: skip
    assert code == 0, err
    assert "though the file names them B02, B03, B04, B08" in out + err
    record = json.loads((tmp_path / "o" / "run.json").read_text())
    assert any("leave --bands out" in w for w in record["warnings"])


def test_monitor_refuses_a_folder_of_geotiffs_before_its_cluster(tmp_path: Path) -> None:
    """A monitor plans its dates from a STAC catalogue: local rasters are refused at once
    (no cluster, no monitor.json, no advice to run it again), naming what reads them."""
    out = tmp_path / "mon"
    code, stdout, err = _invoke(
        "monitor", "--sites", "beirut-port", "--from", "2015-08-01", "--to", "2017-10-31",
        "--catalog", IMAGERY, "--out", out,
    )  # fmt: skip
    assert code == 2 and "basewatch timeline" in err and "again" not in err, err
    assert "cluster:" not in stdout and not out.exists()
