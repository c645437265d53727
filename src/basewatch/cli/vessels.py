"""``basewatch vessels IMAGE.tif``: the vessels of one Sentinel-2 image (GeoJSON and a picture)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import numpy as np
from numpy.typing import NDArray

from basewatch._atomic import atomic_write_bytes, atomic_write_text
from basewatch.errors import InputError

#: Band names in a file name such as ``port_S2L2A_20230818_B02-B03-B04-B08-B11.tif``.
_BANDS_IN_NAME = re.compile(r"(B\d{2}A?(?:-B\d{2}A?)+)")

#: Percentiles of the true-colour stretch of the picture.
_STRETCH_PERCENTILES = (1.0, 99.0)

#: Outline colours of the picture (RGB): vessels, and candidates below the threshold.
_VESSEL_RGB = (0, 255, 255)
_CANDIDATE_RGB = (255, 200, 0)

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


def outline_rings(feats: dict[str, NDArray[np.float64]], grid: Any) -> NDArray[np.float64]:
    """Closed lon/lat rings of each object's moment rectangle, shape (n, 5, 2).

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
    lon, lat = grid.pixels_to_lonlat(rows, cols)
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


def _picture(data: NDArray[np.float32], res: Any) -> bytes:
    """True colour with vessel outlines (cyan) and rejected candidates (amber), as PNG."""
    import io

    from PIL import Image
    from scipy import ndimage

    rgb = np.dstack([data[2], data[1], data[0]])
    lo, hi = np.nanpercentile(rgb, _STRETCH_PERCENTILES)
    img = (np.clip((np.nan_to_num(rgb, nan=lo) - lo) / max(hi - lo, 1e-6), 0, 1) * 255).astype(
        np.uint8
    )
    vessels = res.vessel_labels() > 0
    others = (res.labels > 0) & ~vessels
    for mask, colour in ((others, _CANDIDATE_RGB), (vessels, _VESSEL_RGB)):
        ring = ndimage.binary_dilation(mask, iterations=1) & ~mask
        img[ring] = colour
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


@click.command("vessels")
@click.argument("image", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--site", default=None, help="Search only the water zones of this site.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for vessels.geojson and vessels.png.",
)
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
    image: Path, site: str | None, out_dir: Path, bands: str | None, threshold: float | None
) -> None:
    """The vessels of one Sentinel-2 image with B11: GeoJSON outlines in WGS84 (length,
    width, heading, confidence, classifier score) and a picture. Without --site the
    whole image's water is searched."""
    from basewatch.detect.vessels import detect_vessels_s2
    from basewatch.imagery.local import read_geotiff

    scene = read_geotiff(
        image, sensor="S2", bands=bands.split(",") if bands else None, when=_any_time(image)
    )
    order = _band_order(scene, image)
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
    features = []
    for j, i in enumerate(keep):
        features.append(
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
        )
    doc: dict[str, Any] = {
        "type": "FeatureCollection",
        "properties": {
            "image": str(image),
            "scene": scene.id,
            "site": site,
            "model_version": res.params["model_version"],
            "threshold": res.params["threshold"],
            "pixel_size_m": list(pixel),
            "candidates": int(res.labels.max(initial=0)),
        },
        "features": features,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_dir / "vessels.geojson", json.dumps(doc, indent=1) + "\n")
    atomic_write_bytes(out_dir / "vessels.png", _picture(data, res))
    click.echo(
        f"{len(features)} vessels among {doc['properties']['candidates']} candidates "
        f"(model {res.params['model_version']}, threshold {res.params['threshold']:.2f}) "
        f"-> {out_dir}/vessels.geojson, vessels.png"
    )


def _any_time(path: Path) -> Any:
    """The file's date when its name or tags give one, else a placeholder (one image,
    no pairing: the date is only recorded)."""
    import datetime as dt

    found = re.search(r"(\d{8})", path.name)
    if found:
        try:
            return dt.datetime.strptime(found.group(1), "%Y%m%d").replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


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
