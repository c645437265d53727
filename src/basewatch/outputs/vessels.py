"""The vessels of one image: GeoJSON outlines, a figure, and their folder.

What ``basewatch vessels`` writes, for a :class:`~basewatch.pipeline.SceneVessels`
(one scene and the trained detector's result on it):

``vessels.geojson``
    one WGS84 polygon per vessel (its moment rectangle: length and width along its
    axis) with length, width, heading axis, confidence and the classifier's score;
    the scene, date, source, site, cloud, warnings, model and threshold in the
    collection's properties;
``vessels.png``
    the figure of :func:`~basewatch.outputs.render.render_vessels`.

The folder is written whole (:func:`basewatch._atomic.write_folder`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from basewatch._atomic import atomic_write_bytes, write_folder
from basewatch.records import dumps_json

if TYPE_CHECKING:
    from basewatch.grid import Grid
    from basewatch.pipeline import SceneVessels

__all__ = [
    "VESSELS_FIGURE",
    "VESSELS_GEOJSON",
    "outline_pixels",
    "outline_rings",
    "scene_vessel_warnings",
    "vessels_figure",
    "vessels_geojson",
    "write_vessels",
]

#: The files of a vessels folder.
VESSELS_GEOJSON, VESSELS_FIGURE = "vessels.geojson", "vessels.png"
#: Decimal places of the coordinates written (1e-6 degree is about 0.1 m).
COORD_DECIMALS = 6
#: Year of the placeholder date of a scene whose file gave none.
NO_DATE_YEAR = 1970
#: The corners of a moment rectangle, closed: (+length, +width), (+l, -w), (-l, -w),
#: (-l, +w), (+l, +w), in half-lengths and half-widths.
_CORNERS = np.array([[1, 1], [1, -1], [-1, -1], [-1, 1], [1, 1]], dtype=np.float64)


def outline_pixels(feats: dict[str, NDArray[np.float64]], grid: Grid) -> NDArray[np.float64]:
    """Closed ``(col, row)`` pixel rings of each object's moment rectangle.

    Parameters
    ----------
    feats : dict of ndarray, each shape (n,)
        ``row``, ``col`` (pixel centroid), ``length_m``, ``width_m``,
        ``orientation_deg`` (long axis, clockwise from north).
    grid : Grid
        Gives the ground size of a pixel (:attr:`~basewatch.grid.Grid.pixel_size_m`).

    Returns
    -------
    ndarray, shape (n, 5, 2), float64
    """
    gx, gy = grid.pixel_size_m
    theta = np.radians(feats["orientation_deg"])
    half_l, half_w = feats["length_m"] / 2, feats["width_m"] / 2
    # the long and short axes as (east, north) unit vectors
    along = np.stack([np.sin(theta), np.cos(theta)], axis=-1)
    across = np.stack([np.cos(theta), -np.sin(theta)], axis=-1)
    offsets = (
        _CORNERS[None, :, 0, None] * (half_l[:, None] * along)[:, None, :]
        + _CORNERS[None, :, 1, None] * (half_w[:, None] * across)[:, None, :]
    )  # (n, 5, east/north) metres
    cols = feats["col"][:, None] + offsets[..., 0] / gx
    rows = feats["row"][:, None] - offsets[..., 1] / gy
    return np.stack([cols, rows], axis=-1)


def outline_rings(feats: dict[str, NDArray[np.float64]], grid: Grid) -> NDArray[np.float64]:
    """Closed ``(lon, lat)`` rings of each object's moment rectangle.

    Parameters
    ----------
    feats : dict of ndarray
        As :func:`outline_pixels`.
    grid : Grid

    Returns
    -------
    ndarray, shape (n, 5, 2), float64
    """
    px = outline_pixels(feats, grid)
    lon, lat = grid.pixels_to_lonlat(px[..., 1], px[..., 0])
    return np.stack([lon, lat], axis=-1)


def _kept(found: SceneVessels) -> dict[str, NDArray[np.float64]]:
    keep = np.flatnonzero(found.result.is_vessel)
    return {k: np.asarray(v)[keep] for k, v in found.result.features.items()}


def scene_vessel_warnings(found: SceneVessels) -> list[str]:
    """What a reader of one scene's vessels should know: the scene reader's warnings,
    and on a Level-1C scene (:func:`basewatch.pipeline.top_of_atmosphere`) that the
    model was measured on Level-2A images and finds fewer vessels through the haze.

    Parameters
    ----------
    found : SceneVessels

    Returns
    -------
    list of str
    """
    from basewatch.pipeline import top_of_atmosphere, vessel_search_score

    scene = found.scene
    out = list((scene.metadata or {}).get("warnings", []))
    if top_of_atmosphere(scene):
        score = vessel_search_score(_search_kind(found), [scene])
        out.append(
            f"{scene.id} is Level-1C (top of the atmosphere); the model was trained and "
            "measured on Level-2A (surface) images and finds fewer vessels through the haze: "
            f"{score.text()}; search a Level-2A scene where there is one"
        )
    return out


def _search_kind(found: SceneVessels) -> str:
    """The key of the model that ran in ``pipeline.VESSEL_SEARCH_MEASURED``: with B11,
    or the 10 m bands' alone."""
    with_swir = "B11" in found.result.params.get("bands", ["B11"])
    return "classifier" if with_swir else "classifier_10m"


def vessels_geojson(found: SceneVessels, *, source: str) -> dict[str, Any]:
    """The vessels as a GeoJSON FeatureCollection (WGS84), as JSON types.

    Parameters
    ----------
    found : SceneVessels
    source : str
        Where the scene came from (a file, a catalogue's name).

    Returns
    -------
    dict
    """
    res, scene = found.result, found.scene
    keep = np.flatnonzero(res.is_vessel)
    feats = _kept(found)
    rings: NDArray[np.float64] = (
        np.round(outline_rings(feats, scene.grid), COORD_DECIMALS)
        if keep.size
        else np.zeros((0, 5, 2))
    )
    date = None if scene.datetime.year == NO_DATE_YEAR else str(scene.date)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring.tolist()]},
            "properties": {
                "id": int(i) + 1,
                # each feature's own: a GIS shows features' fields, not the collection's
                "scene": scene.id,
                "date": date,
                "length_m": round(float(feats["length_m"][j]), 1),
                "width_m": round(float(feats["width_m"][j]), 1),
                "heading_deg": round(float(feats["orientation_deg"][j]), 1),
                "heading_note": "long axis, clockwise from north (0-180: bow not known)",
                "confidence": round(float(feats["confidence"][j]), 3),
                "score": round(float(feats["score"][j]), 3),
                "detectable": bool(res.detectable[i]),
                **({} if found.zones is None else {"zone": found.zones[i]}),
            },
        }
        for j, (i, ring) in enumerate(zip(keep, rings, strict=True))
    ]
    return {
        "type": "FeatureCollection",
        "properties": {
            "source": source,
            "scene": scene.id,
            "date": date,
            "site": found.site,
            "cloud_fraction": scene.cloud_fraction,
            "attribution": scene.attribution,
            "warnings": scene_vessel_warnings(found),
            "model_version": res.params["model_version"],
            # which model: the five bands with B11, or the four 10 m bands alone
            "model_bands": list(res.params.get("bands", [])),
            "threshold": res.params["threshold"],
            "pixel_size_m": list(scene.grid.pixel_size_m),
            "candidates": int(np.count_nonzero(found.searched)),
        },
        "features": features,
    }


def vessels_figure(found: SceneVessels, *, source: str) -> bytes:
    """The figure of one image's vessels (:func:`~basewatch.outputs.render.render_vessels`).

    Parameters
    ----------
    found : SceneVessels
    source : str
        Where the scene came from (named in the title).

    Returns
    -------
    bytes
        The PNG.
    """
    from basewatch.outputs.render import render_vessels

    res, scene = found.result, found.scene
    n = int(np.count_nonzero(res.is_vessel))
    outlines = outline_pixels(_kept(found), scene.grid) if n else np.zeros((0, 5, 2))
    where = (
        f"the whole image searched, vessels kept in the water zones of {found.site}"
        if found.site
        else "the whole image's water searched"
    )
    date = "" if scene.datetime.year == NO_DATE_YEAR else f" {scene.date}"
    from basewatch.pipeline import vessel_search_score

    # the figures of the model that ran (on a Level-1C scene, those measured on
    # top-of-atmosphere images)
    kind = _search_kind(found)
    measured = vessel_search_score(kind, [scene])
    bands = "" if kind == "classifier" else " (the 10 m bands: the image has no B11)"
    return render_vessels(
        scene,
        outlines_px=outlines,
        # the candidates the classifier turned down where vessels were looked for
        rejected=np.concatenate([[False], found.searched & ~res.is_vessel])[res.labels],
        site=found.site_record,
        title=f"Vessels{date}: {n} in {Path(source).name}",
        caption=(
            f"Scene {scene.id}; {where}. Each outline is a vessel's length and "
            f"width along its axis. Classifier {res.params['model_version']}, threshold "
            f"{res.params['threshold']:.2f}{bands}; {measured.text()} "
            "(basewatch/detect/models/MODEL_CARD.md)."
        ),
    )


def write_vessels(
    found: SceneVessels, out: str | Path, *, source: str, overwrite: bool = False
) -> dict[str, Path]:
    """Write ``vessels.geojson`` and ``vessels.png`` into the folder ``out``, whole.

    Parameters
    ----------
    found : SceneVessels
    out : str or Path
        The folder (made; an existing one with files in it is replaced only with
        ``overwrite``).
    source : str
        Where the scene came from.
    overwrite : bool

    Returns
    -------
    dict of str to Path
        ``geojson`` and ``png``.

    Raises
    ------
    OutputError
        The folder holds files and ``overwrite`` is false, or it cannot be written.
    """
    doc = vessels_geojson(found, source=source)
    png = vessels_figure(found, source=source)
    final = Path(out)

    def write(folder: Path) -> None:
        atomic_write_bytes(folder / VESSELS_GEOJSON, dumps_json(doc))
        atomic_write_bytes(folder / VESSELS_FIGURE, png)

    write_folder(final, write, overwrite=overwrite)
    return {"geojson": final / VESSELS_GEOJSON, "png": final / VESSELS_FIGURE}
