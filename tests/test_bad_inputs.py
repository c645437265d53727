"""Bad input, as a careless or hostile user gives it, through the commands.

Every case builds its input fresh (from the bundled sample where a real file is
needed), runs the real command in-process and asserts: exit status 2 (a
:class:`~basewatch.errors.BasewatchError`, never a traceback), a one-line message that
names the input that was wrong and says what to do, and no output folder that looks
complete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from basewatch.cli.main import main

rasterio = pytest.importorskip("rasterio")

REPO = Path(__file__).resolve().parents[1]
IMAGERY = REPO / "imagery"
PORT = "beirut-port"
BEFORE = IMAGERY / f"{PORT}_S2L1C_20150820.tif"
AFTER = IMAGERY / f"{PORT}_S2L1C_20171003.tif"
AIRPORT_AFTER = IMAGERY / "beirut-airport_S2L1C_20171003.tif"


@dataclass(frozen=True)
class Case:
    """One bad input: ``build(tmp)`` writes it and returns the command's arguments;
    ``names`` are fragments the message must hold (the input, and the fix)."""

    id: str
    build: Callable[[Path], list[str]]
    names: tuple[str, ...]


# ----------------------------------------------------------------------------- helpers


def _site_doc() -> dict:  # type: ignore[type-arg]
    doc = json.loads((REPO / "aoi" / f"{PORT}.geojson").read_text(encoding="utf-8"))
    return doc  # type: ignore[no-any-return]


def _site_file(tmp: Path, mutate: Callable[[dict], object], name: str = "site.geojson") -> Path:  # type: ignore[type-arg]
    doc = _site_doc()
    out = mutate(doc)
    path = tmp / name
    if isinstance(out, bytes):
        path.write_bytes(out)
    else:
        path.write_text(out if isinstance(out, str) else json.dumps(doc), encoding="utf-8")
    return path


def _show(
    mutate: Callable[[dict], object], name: str = "site.geojson"
) -> Callable[[Path], list[str]]:  # type: ignore[type-arg]
    def build(tmp: Path) -> list[str]:
        path = _site_file(tmp, mutate, name)
        return ["sites", "show", str(path), "--out", str(tmp / "out")]

    return build


def _zone(doc: dict, i: int) -> dict:  # type: ignore[type-arg]
    return doc["features"][i]  # type: ignore[no-any-return]


def _detect(
    before: Callable[[Path], Path], after: Callable[[Path], Path] | None = None
) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        b = before(tmp)
        a = after(tmp) if after is not None else AFTER
        return [
            "detect",
            "--site",
            PORT,
            "--before",
            str(b),
            "--after",
            str(a),
            "--out",
            str(tmp / "out"),
            "--no-png",
            "--no-gpkg",
            "--no-cog",
        ]

    return build


def _copy(tmp: Path, src: Path = BEFORE, name: str | None = None) -> Path:
    dst = tmp / (name or src.name)
    shutil.copy(src, dst)
    return dst


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(data)
        return p

    return make


def _truncated(tmp: Path) -> Path:
    p = tmp / "port_S2L1C_20150820.tif"
    p.write_bytes(BEFORE.read_bytes()[:5000])
    return p


def _no_georef(tmp: Path) -> Path:
    p = tmp / "plain_20150820.tif"
    with rasterio.open(BEFORE) as ds:
        data = ds.read()
    with rasterio.open(
        p,
        "w",
        driver="GTiff",
        width=data.shape[2],
        height=data.shape[1],
        count=data.shape[0],
        dtype=data.dtype,
    ) as out:
        out.write(data)
    return p


def _saturated(tmp: Path) -> Path:
    p = _copy(tmp, AFTER)
    with rasterio.open(p, "r+") as ds:
        ds.write(np.full((ds.height, ds.width), 65535, np.uint16), 1)
    return p


def _elsewhere(tmp: Path, src: Path = BEFORE) -> Path:
    """The port scene moved 3 degrees east: it shows no part of the site."""
    p = _copy(tmp, src, "moved_" + src.name)
    with rasterio.open(p, "r+") as ds:
        t = ds.transform
        ds.transform = rasterio.Affine(t.a, t.b, t.c + 3.0, t.d, t.e, t.f)
    return p


def _catalog(tmp: Path, content: object, name: str = "catalog.json") -> Path:
    p = tmp / name
    p.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return p


def _stac_cat(tmp: Path, links: list[dict]) -> Path:  # type: ignore[type-arg]
    d = tmp / "stac"
    d.mkdir()
    doc = {
        "type": "Catalog",
        "stac_version": "1.0.0",
        "id": "c",
        "description": "d",
        "links": links,
    }
    (d / "catalog.json").write_text(json.dumps(doc), encoding="utf-8")
    return d / "catalog.json"


def _scenes(catalog: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        return [
            "scenes",
            "--site",
            "hmeimim",
            "--from",
            "2024-12-01",
            "--to",
            "2024-12-20",
            "--catalog",
            str(catalog(tmp)),
        ]

    return build


def _report(tmp: Path, text: str = "Two Su-34 were seen at Hmeimim on 2024-12-13.\n") -> Path:
    p = tmp / "report.txt"
    p.write_text(text, encoding="utf-8")
    return p


def _claims_meta(meta: object) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        m = tmp / "meta.json"
        m.write_text(meta if isinstance(meta, str) else json.dumps(meta), encoding="utf-8")
        return ["claims", str(_report(tmp)), "--meta", str(m)]

    return build


def _out_is_file(tmp: Path) -> list[str]:
    f = tmp / "out"
    f.write_text("my notes", encoding="utf-8")
    return [
        "detect",
        "--site",
        PORT,
        "--before",
        str(BEFORE),
        "--after",
        str(AFTER),
        "--out",
        str(f),
        "--no-png",
    ]


def _corroborate_no_runs(tmp: Path) -> list[str]:
    (tmp / "runs").mkdir()
    return [
        "corroborate",
        "--reports",
        str(_report(tmp)),
        "--run",
        str(tmp / "runs"),
        "--out",
        str(tmp / "corr"),
    ]


def _bowtie(doc: dict) -> None:  # type: ignore[type-arg]
    ring = _zone(doc, 1)["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]


def _set_kind(i: int, kind: object) -> Callable[[dict], None]:  # type: ignore[type-arg]
    def f(doc: dict) -> None:  # type: ignore[type-arg]
        _zone(doc, i)["properties"]["kind"] = kind

    return f


def _cache_is_file(tmp: Path) -> list[str]:
    f = tmp / "cachefile"
    f.write_text("x", encoding="utf-8")
    return [
        "run",
        "--site",
        "hmeimim",
        "--before",
        "2024-11-30",
        "--after",
        "2024-12-15",
        "--offline",
        "--cache-dir",
        str(f),
        "--out",
        str(tmp / "out"),
    ]


def _offline_empty_cache(tmp: Path) -> list[str]:
    return [
        "run",
        "--site",
        "hmeimim",
        "--before",
        "2024-11-30",
        "--after",
        "2024-12-15",
        "--offline",
        "--cache-dir",
        str(tmp / "empty-cache"),
        "--out",
        str(tmp / "out"),
    ]


CASES = [
    # ---- rasters
    Case("raster-missing", _detect(lambda t: t / "nope_20150820.tif"), ("nope_20150820.tif",)),
    Case("raster-empty-file", _detect(_bytes("empty_20150820.tif", b"")), ("empty_20150820.tif",)),
    Case(
        "raster-text-renamed",
        _detect(_bytes("notes_20150820.tif", b"just text\n" * 50)),
        ("notes_20150820.tif",),
    ),
    Case(
        "raster-png-bytes",
        _detect(_bytes("img_20150820.tif", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)),
        ("img_20150820.tif",),
    ),
    Case("raster-truncated", _detect(_truncated), ("port_S2L1C_20150820.tif",)),
    Case("raster-no-georeferencing", _detect(_no_georef), ("plain_20150820.tif", "georef")),
    Case(
        "raster-elsewhere",
        _detect(_elsewhere, lambda t: _elsewhere(t, AFTER)),
        ("outside", "basewatch sites"),
    ),
    Case("raster-grids-differ", _detect(lambda t: BEFORE, lambda t: AIRPORT_AFTER), ("grid",)),
    Case("raster-dates-reversed", _detect(lambda t: AFTER, lambda t: BEFORE), ("swap",)),
    Case(
        "raster-same-file-twice",
        _detect(lambda t: BEFORE, lambda t: BEFORE),
        ("same file", "give two dates"),
    ),
    Case(
        "raster-all-saturated",
        _detect(lambda t: BEFORE, _saturated),
        ("valid on both dates", "other dates"),
    ),
    Case("raster-is-a-folder", _detect(lambda t: t), ("--before", "is a directory")),
    # ---- AOIs
    Case("aoi-not-json", _show(lambda d: "{not json"), ("site.geojson", "JSON")),
    Case(
        "aoi-latin1",
        _show(lambda d: json.dumps(d).encode().replace(b"Beirut", b"B\xe9irut", 1)),
        ("site.geojson", "UTF-8"),
    ),
    Case(
        "aoi-nan-vertex",
        _show(lambda d: _zone(d, 0)["geometry"]["coordinates"][0][1].__setitem__(0, float("nan"))),
        ("site.geojson", "finite"),
    ),
    Case(
        "aoi-null-properties",
        _show(lambda d: _zone(d, 0).__setitem__("properties", None)),
        ("site.geojson", "kind, name, source and licence"),
    ),
    Case(
        "aoi-text-utm",
        _show(lambda d: d["basewatch"].__setitem__("utm_epsg", "utm36")),
        ("site.geojson", "utm_epsg"),
    ),
    Case(
        "aoi-unknown-kind", _show(_set_kind(1, "hangar")), ("site.geojson", "hangar", "use one of")
    ),
    Case("aoi-kind-not-text", _show(_set_kind(1, ["apron"])), ("site.geojson", "use one of")),
    Case(
        "aoi-a-feature",
        _show(lambda d: json.dumps(_zone(d, 0))),
        ("site.geojson", "FeatureCollection"),
    ),
    Case("aoi-json-list", _show(lambda d: "[1, 2, 3]"), ("site.geojson", "FeatureCollection")),
    Case(
        "aoi-projected-crs",
        _show(
            lambda d: d.__setitem__("crs", {"type": "name", "properties": {"name": "EPSG:32636"}})
        ),
        ("site.geojson", "EPSG:4326"),
    ),
    Case(
        "aoi-no-features",
        _show(lambda d: d.__setitem__("features", [])),
        ("site.geojson", "no features"),
    ),
    Case(
        "aoi-no-outline",
        _show(lambda d: d.__setitem__("features", d["features"][1:])),
        ("site.geojson", "outline"),
    ),
    Case(
        "aoi-latitude-200",
        _show(lambda d: _zone(d, 0)["geometry"]["coordinates"][0][1].__setitem__(1, 200.0)),
        ("site.geojson", "EPSG:4326"),
    ),
    Case("aoi-bowtie", _show(_bowtie), ("site.geojson", "valid polygon")),
    Case(
        "aoi-duplicate-zones",
        _show(
            lambda d: _zone(d, 2)["properties"].__setitem__(
                "name", _zone(d, 1)["properties"]["name"]
            )
        ),
        ("site.geojson", "unique"),
    ),
    Case(
        "aoi-basewatch-not-object",
        _show(lambda d: d.__setitem__("basewatch", "port")),
        ("site.geojson", "must be an object"),
    ),
    Case(
        "aoi-point-geometry",
        _show(
            lambda d: _zone(d, 1).__setitem__(
                "geometry", {"type": "Point", "coordinates": [35.5, 33.9]}
            )
        ),
        ("site.geojson", "Polygon"),
    ),
    Case(
        "aoi-unknown-name",
        lambda t: ["sites", "show", "atlantis", "--out", str(t / "o")],
        ("atlantis", "known sites"),
    ),
    # ---- catalogues
    Case("catalog-missing-file", _scenes(lambda t: t / "nope.json"), ("nope.json",)),
    Case("catalog-not-json", _scenes(lambda t: _catalog(t, "{oops")), ("catalog.json",)),
    Case("catalog-a-number", _scenes(lambda t: _catalog(t, "42")), ("catalog.json",)),
    Case(
        "catalog-stac-missing-item",
        _scenes(lambda t: _stac_cat(t, [{"rel": "item", "href": "./nope.json"}])),
        ("catalog.json",),
    ),
    Case(
        "catalog-binary",
        _scenes(lambda t: _bytes("scenes.json", b"\x00\xff\xfe" * 100)(t)),
        ("scenes.json",),
    ),
    # ---- reports
    Case(
        "claims-missing-report",
        lambda t: ["claims", str(t / "nope.txt")],
        ("nope.txt", "does not exist"),
    ),
    Case("claims-meta-not-json", _claims_meta("{oops"), ("meta.json",)),
    Case("claims-meta-an-object", _claims_meta({"file": "report.txt"}), ("meta.json",)),
    Case("corroborate-no-runs", _corroborate_no_runs, ("runs", "run.json")),
    # ---- caches and outputs
    Case("cache-is-a-file", _cache_is_file, ("--cache-dir", "cachefile", "is a file")),
    Case("offline-empty-cache", _offline_empty_cache, ("offline", "basewatch fetch")),
    Case("out-is-a-file", _out_is_file, ("--out", "is a file")),
]


# the raster without georeferencing is written and read here on purpose
@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_a_one_line_error_naming_it_and_the_fix(case: Case, tmp_path: Path) -> None:
    args = case.build(tmp_path)
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback instead of a message: {result.exception!r}")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    # basewatch's own one-line "error: ..." (a BasewatchError), or click's usage error
    # for an option's value ("Error: Invalid value for '--out': ...")
    assert lines and (lines[0].startswith("error: ") or lines[-1].startswith("Error: ")), (
        result.output
    )
    message = " ".join(lines) if lines[0].startswith("error: ") else lines[-1]
    for fragment in case.names:
        assert fragment.lower() in message.lower(), f"{fragment!r} not in {message!r}"
    # nothing that looks like a complete run is left behind
    assert not list(tmp_path.rglob("run.json"))


def test_the_table_is_broad() -> None:
    kinds = {c.id.split("-")[0] for c in CASES}
    assert len(CASES) >= 40 and {"raster", "aoi", "catalog", "claims", "cache", "out"} <= kinds
