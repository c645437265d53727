"""``basewatch vessels IMAGE.tif``: the vessels of one Sentinel-2 image (GeoJSON and a picture)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import click
import numpy as np
from numpy.typing import NDArray

from basewatch._atomic import atomic_write_bytes, atomic_write_text, write_folder
from basewatch.cli._options import (
    catalog_reach_options,
    check_catalog,
    loader_config,
    out_option,
    overwrite_option,
    run_folder,
    step,
)
from basewatch.errors import InputError

#: Band names in a file name such as ``port_S2L2A_20230818_B02-B03-B04-B08-B11.tif``.
_BANDS_IN_NAME = re.compile(r"(B\d{2}A?(?:-B\d{2}A?)+)")

#: Year of the placeholder date given to a file whose name holds no date.
_NO_DATE_YEAR = 1970

#: Decimal places of the coordinates written (1e-6 degree is about 0.1 m).
_COORD_DECIMALS = 6


def ground_pixel_size_m(grid: Any) -> tuple[float, float]:
    """Pixel size on the ground at the grid's centre (Web Mercator's scale factor removed).

    Parameters
    ----------
    grid : basewatch.grid.Grid

    Returns
    -------
    (float, float)
    """
    from pyproj import Proj

    crs = grid.pyproj_crs
    if crs.is_geographic:
        gx, gy = grid.pixel_size_m
        return (float(gx), float(gy))
    left, bottom, right, top = grid.bounds
    lon, lat = grid.to_lonlat((left + right) / 2, (bottom + top) / 2)
    scale = float(Proj(crs).get_factors(float(lon), float(lat)).meridional_scale)
    mx, my = grid.pixel_size_m
    return (mx / scale, my / scale)


def outline_pixels(feats: dict[str, NDArray[np.float64]], grid: Any) -> NDArray[np.float64]:
    """Closed ``(col, row)`` pixel rings of each object's moment rectangle, shape (n, 5, 2).

    Parameters
    ----------
    feats : dict of ndarray
        ``row``, ``col`` (pixel centroid), ``length_m``, ``width_m``,
        ``orientation_deg`` (long axis, clockwise from north).
    grid : basewatch.grid.Grid

    Returns
    -------
    ndarray, shape (n, 5, 2), float64
    """
    gx, gy = ground_pixel_size_m(grid)
    theta = np.radians(feats["orientation_deg"])
    half_l = feats["length_m"] / 2
    half_w = feats["width_m"] / 2
    # unit vectors of the long and short axes in (east, north) metres
    ax = np.stack([np.sin(theta), np.cos(theta)], axis=-1)
    bx = np.stack([np.cos(theta), -np.sin(theta)], axis=-1)
    signs = np.array([[1, 1], [1, -1], [-1, -1], [-1, 1], [1, 1]], dtype=np.float64)
    east = (
        signs[None, :, 0] * (half_l * ax[:, 0])[:, None]
        + signs[None, :, 1] * (half_w * bx[:, 0])[:, None]
    )
    north = (
        signs[None, :, 0] * (half_l * ax[:, 1])[:, None]
        + signs[None, :, 1] * (half_w * bx[:, 1])[:, None]
    )
    cols = feats["col"][:, None] + east / gx
    rows = feats["row"][:, None] - north / gy
    return np.stack([cols, rows], axis=-1)


def outline_rings(feats: dict[str, NDArray[np.float64]], grid: Any) -> NDArray[np.float64]:
    """Closed lon/lat rings of each object's moment rectangle, shape (n, 5, 2).

    Parameters
    ----------
    feats : dict of ndarray
        As :func:`outline_pixels`.
    grid : basewatch.grid.Grid

    Returns
    -------
    ndarray, shape (n, 5, 2), float64
    """
    px = outline_pixels(feats, grid)
    lon, lat = grid.pixels_to_lonlat(px[..., 1], px[..., 0])
    return np.stack([lon, lat], axis=-1)


def _band_order(scene: Any, path: Path) -> list[int]:
    from basewatch.detect.candidates import BANDS

    names = [b.upper() for b in scene.bands]
    if not set(BANDS) <= set(names):
        found = _BANDS_IN_NAME.search(path.name)
        if found and len(found.group(1).split("-")) == len(names):
            names = found.group(1).split("-")
    missing = [b for b in BANDS if b not in names]
    if missing:
        raise InputError(
            f"{path}: bands {', '.join(scene.bands)}; vessels need {', '.join(BANDS)} "
            f"(missing {', '.join(missing)}): give a Sentinel-2 image with B11 resampled to "
            "10 m and name its bands with --bands B02,B03,B04,B08,B11"
        )
    return [names.index(b) for b in BANDS]


def _picture(
    scene: Any,
    data: NDArray[np.float32],
    res: Any,
    keep: NDArray[np.intp],
    *,
    site: str | None,
    source: str,
) -> bytes:
    """True colour with each vessel's outline, the candidates turned down, a scale bar,
    north arrow, legend and attribution, as PNG."""
    from basewatch.outputs.render import render_vessels, scene_attribution

    feats = res.features
    outlines = (
        outline_pixels({k: v[keep] for k, v in feats.items()}, scene.grid)
        if keep.size
        else np.zeros((0, 5, 2))
    )
    where = f"the water zones of {site}" if site else "the whole image's water"
    date = "" if scene.datetime.year == _NO_DATE_YEAR else f" {scene.date}"
    return render_vessels(
        np.dstack([data[2], data[1], data[0]]),
        scene.grid,
        outlines_px=outlines,
        rejected=(res.labels > 0) & (res.vessel_labels() == 0),
        title=f"Vessels{date}: {len(keep)} in {Path(source).name}",
        caption=(
            f"Scene {scene.id}; {where} searched. Each outline is a vessel's length and "
            f"width along its axis. Classifier {res.params['model_version']}, threshold "
            f"{res.params['threshold']:.2f}; measured on ports it was not trained on, "
            "about half of its vessels are right and it finds about half of the "
            "labelled ones (benchmarks/README.md)."
        ),
        attribution=scene_attribution([scene]) or "Contains modified Copernicus Sentinel data",
        metres_per_px=float(np.sqrt(np.prod(ground_pixel_size_m(scene.grid)))),
    )


@click.command("vessels")
@click.argument("image", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--site",
    default=None,
    help="Search only the water zones of this site (name or site GeoJSON); with --date, "
    "the site whose scene is found.",
)
@click.option(
    "--date",
    "when",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Instead of IMAGE: the Sentinel-2 scene of --site nearest this date (YYYY-MM-DD), "
    "from a STAC catalogue.",
)
@catalog_reach_options
@click.option(
    "--window-days",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="With --date: how far from the date a scene may be.",
)
@click.option(
    "--max-cloud",
    type=click.FloatRange(0.0, 1.0),
    default=0.3,
    show_default=True,
    help="With --date: largest cloud/shadow fraction of the site accepted.",
)
@out_option("vessels.geojson and vessels.png", command="vessels")
@overwrite_option
@click.option(
    "--bands",
    default=None,
    help="Band names of the file, comma-separated (default: its tags or file name).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=None,
    help="Classifier score at or above which a candidate is a vessel [default: the model's].",
)
def vessels(
    image: Path | None,
    site: str | None,
    when: dt.datetime | None,
    catalog: str | None,
    sas_url: str | None,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
    window_days: int,
    max_cloud: float,
    out_dir: Path | None,
    overwrite: bool,
    bands: str | None,
    threshold: float | None,
) -> None:
    """The vessels of one Sentinel-2 image with B11: GeoJSON outlines in WGS84 (length,
    width, heading, confidence, classifier score) and a picture.

    Give IMAGE (a GeoTIFF holding B02, B03, B04, B08 and B11), or --site and --date to
    find the scene nearest the date in a STAC catalogue (only the site's window is read,
    every band on its 10 m grid). Without --site the whole image's water is searched.
    """
    from basewatch.detect.candidates import BANDS

    if (image is None) == (when is None):
        raise InputError(
            "give either IMAGE (a GeoTIFF) or --site and --date (a scene from a catalogue), "
            "not both and not neither"
        )
    if image is not None and catalog is not None:
        raise InputError("--catalog goes with --date; IMAGE is read as it is")
    if when is not None and site is None:
        raise InputError("--date needs --site: the site whose scene is looked for")
    if image is not None:
        from basewatch.imagery.local import read_geotiff

        date = _file_date(image)
        scene = read_geotiff(
            image,
            sensor="S2",
            bands=bands.split(",") if bands else None,
            when=date or dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        )
        order = _band_order(scene, image)
        day = [] if date is None or date.strftime("%Y%m%d") in image.stem else [date.date()]
        label, dates, source = image.stem, day, str(image)
    else:
        assert when is not None and site is not None
        check_catalog(catalog)
        from basewatch.imagery.scenes import load_scene

        config = loader_config(
            cache_dir=cache_dir,
            timeout=timeout,
            retries=retries,
            refresh=refresh,
            window_days=window_days,
            max_cloud=max_cloud,
        )
        with step(f"finding and reading the scene ({catalog or 'default catalogue'})"):
            scene, source = load_scene(
                site, when.date(), bands=BANDS, source=catalog, sas_url=sas_url, config=config
            )
        order = list(range(len(BANDS)))
        label, dates = site, [scene.date]
    out = run_folder(out_dir, command="vessels", site=label, dates=dates, overwrite=overwrite)
    doc, picture = _vessels_of(scene, order, site=site, threshold=threshold, source=source)
    found = len(doc["features"])

    def write(folder: Path) -> None:
        atomic_write_text(folder / "vessels.geojson", json.dumps(doc, indent=1) + "\n")
        atomic_write_bytes(folder / "vessels.png", picture)

    write_folder(out, write, overwrite=overwrite)
    for note in doc["properties"]["warnings"]:
        click.echo(f"warning: {note}")
    click.echo(
        f"{found} vessels among {doc['properties']['candidates']} candidates in "
        f"{scene.id} ({scene.date}; model {doc['properties']['model_version']}, threshold "
        f"{doc['properties']['threshold']:.2f}) -> {out}/vessels.geojson, vessels.png"
    )


def _vessels_of(
    scene: Any, order: list[int], *, site: str | None, threshold: float | None, source: str
) -> tuple[dict[str, Any], bytes]:
    """The vessels of ``scene`` (bands in ``order``) as a GeoJSON document, and a picture."""
    from basewatch.detect.vessels import detect_vessels_s2

    data = scene.data[order]
    valid = scene.valid.copy()
    if site is not None:
        valid &= _site_water(site, scene.grid)
    pixel = ground_pixel_size_m(scene.grid)
    res = detect_vessels_s2(data, pixel_size_m=pixel, valid=valid, threshold=threshold)
    feats = res.features
    keep = np.flatnonzero(res.is_vessel)
    rings: Any = []
    if keep.size:
        rings = outline_rings({k: v[keep] for k, v in feats.items()}, scene.grid)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [np.round(rings[j], _COORD_DECIMALS).tolist()],
            },
            "properties": {
                "id": int(i) + 1,
                "length_m": round(float(feats["length_m"][i]), 1),
                "width_m": round(float(feats["width_m"][i]), 1),
                "heading_deg": round(float(feats["orientation_deg"][i]), 1),
                "heading_note": "long axis, clockwise from north (0-180: bow not known)",
                "confidence": round(float(feats["confidence"][i]), 3),
                "score": round(float(feats["score"][i]), 3),
                "detectable": bool(res.detectable[i]),
            },
        }
        for j, i in enumerate(keep)
    ]
    meta = scene.metadata or {}
    doc: dict[str, Any] = {
        "type": "FeatureCollection",
        "properties": {
            "source": source,
            "scene": scene.id,
            "date": None if scene.datetime.year == _NO_DATE_YEAR else str(scene.date),
            "site": site,
            "cloud_fraction": scene.cloud_fraction,
            "attribution": scene.attribution,
            "warnings": list(meta.get("warnings", [])),
            "model_version": res.params["model_version"],
            "threshold": res.params["threshold"],
            "pixel_size_m": list(pixel),
            "candidates": int(res.labels.max(initial=0)),
        },
        "features": features,
    }
    return doc, _picture(scene, data, res, keep, site=site, source=source)


def _file_date(path: Path) -> dt.datetime | None:
    """The date in the file's name (``..._20230818_...``), or None."""
    found = re.search(r"(\d{8})", path.name)
    if found:
        try:
            return dt.datetime.strptime(found.group(1), "%Y%m%d").replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return None


def _site_water(name: str, grid: Any) -> NDArray[np.bool_]:
    """Pixels of ``grid`` inside the water zones of site ``name``."""
    from basewatch.aoi import WATER_ZONES, load_site, zone_index

    index, zones = zone_index(load_site(name), grid)
    kinds = np.array([z.kind in WATER_ZONES for z in zones] + [False])
    mask = np.asarray(kinds[np.where(index >= 0, index, len(zones))], dtype=bool)
    if not mask.any():
        raise InputError(
            f"site {name} has no water zone inside {grid.describe()}: run without --site "
            "to search the whole image, or give an image that covers the site"
        )
    return mask
