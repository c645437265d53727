"""Publishable pictures of results (the only module that imports matplotlib).

:func:`render_pair` draws a comparison: before, after and change side by side, each with
the site outline and zones, a box per detection (colour = class, line = event), a scale
bar, a north arrow and longitude/latitude ticks on the frame; below them a zoomed
before/after inset of each detection (the crops analysts post), a legend box, and the
dates, sensor, scene ids and data attribution of every sensor.

:func:`render_timeline` draws a series: objects per zone on each date as a chart, with
the scene ids and the attribution. :func:`render_site` draws a site's outline and zones to
scale, and, given catalogue scenes, their footprints and dates.

Every picture is laid out on a fixed grid of inches (no automatic layout), so where each
panel and inset lies in the PNG is known: :func:`layout_pair` returns it with the PNG,
which is how the tests read a picture back and check the boxes at the detection pixels.
Nothing calls ``matplotlib.use``: figures are drawn on the Agg canvas of
:class:`matplotlib.figure.Figure` directly.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
import matplotlib.patheffects as pe
import numpy as np
import shapely
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator
from numpy.typing import NDArray
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from basewatch.outputs._pixels import block_any, block_mean, stretch_8bit
from basewatch.records import Detection, Event, ObjectClass, Scene

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from basewatch.aoi import Site
    from basewatch.grid import Grid
    from basewatch.pipeline import PairResult, TimelineResult

__all__ = [
    "ATTRIBUTION",
    "CLASS_COLOURS",
    "EVENT_STYLES",
    "FONT_PT",
    "IMAGERY_CLAUSE",
    "MAX_INSETS",
    "MONOSPACE_CHAR_IN",
    "Box",
    "PairLayout",
    "Picture",
    "SceneMark",
    "inset_window",
    "layout_pair",
    "picture_of",
    "render_pair",
    "render_picture",
    "render_site",
    "render_timeline",
    "render_vessels",
    "scene_attribution",
    "site_credit",
    "true_colour",
    "true_colour_8bit",
]

CLASS_COLOURS = {
    ObjectClass.AIRCRAFT: "#00e5ff",
    ObjectClass.VESSEL: "#ffb000",
    ObjectClass.OTHER: "#b0b0b0",
}
EVENT_STYLES: Mapping[Event, tuple[Any, str]] = {
    Event.APPEARED: ("solid", "+"),
    Event.DISAPPEARED: ("dashed", "−"),
    Event.PERSISTED: ("dotted", "="),
    Event.MOVED: ("dashdot", "→"),
}
#: Days of margin on either side of the scene dates of a site map.
DATE_PAD_DAYS = 2
#: Markers and line styles of a series chart's zones, in turn.
SERIES_STYLES = (("o", "-"), ("s", "--"), ("^", "-."), ("D", ":"), ("v", "-"), ("P", "--"))
#: Line width (points) of a series chart's last zone; each earlier zone's is wider by
#: this share of it, so lines drawn over one another all show.
SERIES_LINE_PT = 1.5
SERIES_WIDTH_STEP = 0.8
#: Characters per line of a series chart's title (bold, HEADING_PT, 12 in wide).
TIMELINE_TITLE_CHARS = 95
#: Height (inches) of one line of a heading.
HEADING_LINE_IN = 0.3
#: Characters of a report id that lead a claim's key on a picture of several reports' claims.
REPORT_KEY_CHARS = 6
#: Margin around a site's outline on its map, as a share of its longer side.
SITE_MAP_PAD = 0.15
#: A pixel whose sides differ by at most this share is described by one size.
SQUARE_PIXEL_TOLERANCE = 0.02
#: Fewest and most labelled ticks on a date axis (matplotlib's ``AutoDateLocator``; at
#: least 3 lets it label years on spans of three to five years).
DATE_TICKS = (3, 6)
#: Height (inches) of the strip of radar dates above a site map's cloud panel.
RADAR_STRIP_IN = 0.35
#: A zone's number goes inside the part of it no other zone covers when that part holds
#: at least this share of the zone's area (else at its representative point).
LABEL_MIN_FREE_SHARE = 0.05
ZONE_COLOURS = {
    "runway": "#ffffff",
    "taxiway": "#d0d0d0",
    "apron": "#66ff66",
    "shelter": "#66ff66",
    "harbour": "#66ccff",
    "berth": "#cc88ff",
    "approach": "#3399ff",
    "anchorage": "#3399ff",
}
#: Colour of the site outline.
OUTLINE_COLOUR = "#ffff00"
#: Background of the legend box.
LEGEND_FACE = "#262626"
#: Colour of changed pixels over the change magnitude.
CHANGED_RGBA = (0.2, 1.0, 0.2, 0.35)
#: Fill of the candidates a classifier turned down (vessels of one image).
REJECTED_RGBA = (1.0, 0.3, 0.85, 0.45)

#: Attribution the Copernicus licence asks for, per sensor (year filled in).
ATTRIBUTION: Mapping[str, str] = {
    "S2": "Contains modified Copernicus Sentinel data {years}",
    "S1": "Contains modified Copernicus Sentinel data {years}",
}
#: How a site's licence names the imagery its outline was drawn on (``"CC0-1.0 (...);
#: imagery: Contains modified ..."``): :func:`site_credit` leaves it out beside the same
#: imagery credit.
IMAGERY_CLAUSE = "imagery: "

#: Body text size (points): at the default 110 dpi about 14 px, legible at 100 % zoom.
FONT_PT = 9.0
#: Panel titles and captions.
TITLE_PT = 10.0
#: The figure's title.
HEADING_PT = 13.0
#: Width of one character of monospaced text at :data:`FONT_PT` (inches: 0.6 em).
MONOSPACE_CHAR_IN = 0.6 * FONT_PT / 72.0
#: Resolution of every PNG (dots per inch).
DPI = 110
#: zlib level of the PNGs (0-9): 2 writes a run's picture in a third of the time of
#: PIL's default 6, and as RGB (the figures are opaque) no larger than ``savefig``'s
#: RGBA at 6 (:func:`_png`).
PNG_COMPRESS_LEVEL = 2
#: Width of a figure (inches).
FIGURE_W_IN = 16.0
#: Most detections given a zoomed inset (the most confident objects first).
MAX_INSETS = 4
#: Smallest half-width of an inset crop (pixels), and the crop's size relative to the
#: object (a crop shows the object and about its own size of surroundings each side).
INSET_MIN_HALF_PX = 16
INSET_CONTEXT = 1.5
#: Longest zone name in an inset's caption (characters; longer ones are shortened).
INSET_CAPTION_CHARS = 38
#: Padding of a detection box beyond the object's pixels (pixels).
BOX_PAD_PX = 1.5
#: Percentiles of the common contrast stretch of both dates.
STRETCH_PERCENTILES = (2.0, 98.0)
#: Percentile of the change magnitude at the top of its colour scale.
MAGNITUDE_TOP_PERCENTILE = 99.5
#: Image pixels per PNG pixel, along each side, above which a panel's raster is first
#: reduced by whole blocks (mean of each block; a block holding a changed pixel is
#: changed): matplotlib then resamples a few hundred thousand pixels, not a whole tile
#: (a 5490 px pair's picture took 37 s to draw from the full rasters). One: a block is
#: at most a PNG pixel, so matplotlib, which draws in float working copies of about
#: 60-70 bytes per pixel it is given, is never given more than four pixels per PNG
#: pixel (at 2, a 3500 px image was drawn whole: 1.2 GB for one picture).
MAX_PIXELS_PER_DOT = 1
#: Pixels of each scene sampled (on a regular grid) for the contrast stretch of a large
#: picture, and of the change magnitude for the top of its colour scale: the
#: percentiles of a million pixels are those of all of them to well under one grey
#: level of the PNG.
STRETCH_SAMPLE_PX = 2**20
#: Rows of a scene stretched at a time into a picture's 8-bit RGB.
STRETCH_ROWS = 256
#: Lengths a scale bar may take (m).
_NICE_LENGTHS_M = (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000)
#: Steps longitude/latitude ticks may take (degrees).
_NICE_STEPS_DEG = (0.0005, 0.001, 0.002, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0)
#: Ticks wanted along a panel's edge.
_TICKS_WANTED = 4
#: How far north (degrees) the north arrow's direction is measured.
_NORTH_STEP_DEG = 0.01
_HALO = [pe.withStroke(linewidth=2.5, foreground="black")]


# --------------------------------------------------------------------------------------
# the arrays a picture shows


def true_colour(
    scene: Scene, *, lo: float | None = None, hi: float | None = None
) -> NDArray[np.float32]:
    """An RGB image (rows, cols, 3) in 0..1 from B04/B03/B02 (or grey from the first band).

    ``lo``/``hi`` stretch limits default to the 2nd/98th percentiles of valid pixels (of
    a regular grid of about :data:`STRETCH_SAMPLE_PX` of them in a larger scene).
    Sentinel-1 backscatter is shown in decibels; no data is 0.
    """
    rgb = np.dstack([_display_band(scene)] * 3) if not _has_rgb(scene) else _rgb(scene)
    if lo is None or hi is None:
        lo, hi = _stretch_limits(scene)
    return _stretch(rgb.astype(np.float32, copy=False), lo, hi)


def _stretch(rgb: NDArray[np.float32], lo: float, hi: float) -> NDArray[np.float32]:
    """``rgb`` stretched from ``lo .. hi`` to 0..1 in place (NaN to 0)."""
    rgb -= np.float32(lo)
    rgb /= np.float32(max(hi - lo, 1e-9))
    np.fmax(rgb, np.float32(0.0), out=rgb)  # NaN (no data) to 0 as well
    np.fmin(rgb, np.float32(1.0), out=rgb)
    return rgb


def true_colour_8bit(scene: Scene, *, lo: float, hi: float) -> NDArray[np.uint8]:
    """:func:`true_colour` in 8 bits: ``round(255 * true_colour(scene, lo=lo, hi=hi))``.

    No float copy of the whole scene is made (a 10980 px scene's float RGB is 1.4 GB;
    its 8-bit RGB 0.36 GB): B04, B03 and B02 are stretched in one parallel pass
    (:func:`basewatch.outputs._pixels.stretch_8bit`), a grey band :data:`STRETCH_ROWS`
    rows at a time.

    Returns
    -------
    ndarray, shape (rows, cols, 3), uint8
    """
    if _has_rgb(scene):  # one parallel pass (the same values)
        red, green, blue = (scene.band(b) for b in ("B04", "B03", "B02"))
        return stretch_8bit(red, green, blue, lo=lo, hi=hi)
    rows, cols = scene.data.shape[1:]
    out = np.empty((rows, cols, 3), np.uint8)
    for r0 in range(0, rows, STRETCH_ROWS):
        part = slice(r0, r0 + STRETCH_ROWS)
        chunk = np.repeat(_display_band(scene, rows=part)[..., None], 3, axis=-1)
        chunk = _stretch(chunk, lo, hi)
        chunk *= np.float32(255.0)
        out[part] = np.rint(chunk, out=chunk)
    return out


def _has_rgb(scene: Scene) -> bool:
    return all(b in scene.bands for b in ("B04", "B03", "B02"))


def _rgb(scene: Scene) -> NDArray[np.float32]:
    return np.dstack([scene.band("B04"), scene.band("B03"), scene.band("B02")])


def _display_band(scene: Scene, *, rows: slice = slice(None), step: int = 1) -> NDArray[np.float32]:
    """The first band as shown (Sentinel-1 in decibels): ``rows`` of it, on every
    ``step``-th pixel."""
    band: NDArray[np.float32] = scene.data[0, rows][::step, ::step]
    if scene.sensor == "S1":
        with np.errstate(divide="ignore", invalid="ignore"):
            band = (10 * np.log10(band)).astype(np.float32)
    return band


def _sample_step(shape: tuple[int, ...]) -> int:
    """Every how many rows and columns a raster of ``shape`` is sampled for a percentile:
    1, or the step that leaves about :data:`STRETCH_SAMPLE_PX` pixels."""
    return max(1, math.isqrt(math.prod(shape) // STRETCH_SAMPLE_PX))


def _stretch_limits(*scenes: Scene) -> tuple[float, float]:
    """The common stretch of ``scenes``: percentiles of their valid display values, over
    every pixel, or over a regular grid of about :data:`STRETCH_SAMPLE_PX` of each."""
    parts = []
    for s in scenes:
        step = _sample_step(s.data.shape[1:])
        if _has_rgb(s):
            parts += [s.band(b)[::step, ::step].ravel() for b in ("B04", "B03", "B02")]
        else:
            parts.append(_display_band(s, step=step).ravel())
    values = np.concatenate(parts)
    values = values[np.isfinite(values)]
    if not values.size:
        return 0.0, 1.0
    lo, hi = np.percentile(values, STRETCH_PERCENTILES)
    return float(lo), float(hi)


def scene_attribution(scenes: Sequence[Scene]) -> str:
    """The attribution of the data of ``scenes``: each scene's own, or the sensor's
    (:data:`ATTRIBUTION`, with the years of its scenes) where a scene carries none."""
    own = {s.attribution for s in scenes if s.attribution}
    years_by_text: dict[str, set[int]] = {}
    for s in scenes:
        if not s.attribution and s.sensor.upper() in ATTRIBUTION:
            years_by_text.setdefault(ATTRIBUTION[s.sensor.upper()], set()).add(s.datetime.year)
    derived = {
        text.format(years=", ".join(str(y) for y in sorted(years)))
        for text, years in years_by_text.items()
    }
    return "; ".join(sorted(own | derived))


def site_credit(attribution: Sequence[str], imagery: str) -> str:
    """A site's attribution for a caption that credits ``imagery`` beside it: each
    entry's clauses (``; ``-separated) once, less an ``imagery: ...`` clause that the
    imagery credit already holds (the bundled sites were drawn on the scenes they come
    with, and say so)."""
    clauses: list[str] = []
    for entry in attribution:
        for clause in entry.split("; "):
            text = clause.strip()
            if text.startswith(IMAGERY_CLAUSE) and text[len(IMAGERY_CLAUSE) :] in imagery:
                continue
            if text and text not in clauses:
                clauses.append(text)
    return "; ".join(clauses)


def _shift_note(scene: Scene) -> str:
    dy, dx = scene.shift_px
    if dy == 0.0 and dx == 0.0:
        return ""
    return f"  (co-registered: shifted {dy:+.2f}, {dx:+.2f} px)"


@dataclass(frozen=True, eq=False)
class Picture:
    """Everything a change picture shows, as arrays (no files, no scenes).

    Built from a :class:`~basewatch.pipeline.PairResult` by :func:`picture_of`, or from a
    run folder's ``preview.npz`` (see :func:`basewatch.outputs.run.load_picture`), so a run can
    be drawn again later, for example with the claims each detection corroborates.

    Attributes
    ----------
    site : Site
    grid : Grid
        The pixel grid of the arrays.
    before_rgb, after_rgb : ndarray, shape (rows, cols, 3), uint8
        True colour with one stretch for both dates (:func:`true_colour_8bit`).
    before_title, after_title : str
        Date, scene id and co-registration of each date.
    magnitude : ndarray, shape (rows, cols), float32 (NaN where invalid)
    mask : ndarray, shape (rows, cols), bool
        Changed pixels.
    detections : tuple of Detection
    method : str
        Change method.
    threshold : float
        Change threshold.
    sources : str
        Attribution of the imagery (every sensor's).
    sensor : str
        ``"S2"``, ``"S1"`` (empty when unknown, in pictures of older runs).
    """

    site: Site
    grid: Grid
    before_rgb: NDArray[np.uint8]
    after_rgb: NDArray[np.uint8]
    before_title: str
    after_title: str
    magnitude: NDArray[np.float32]
    mask: NDArray[np.bool_]
    detections: tuple[Detection, ...]
    method: str
    threshold: float
    sources: str
    sensor: str = ""


def picture_of(result: PairResult) -> Picture:
    """The :class:`Picture` of a comparison (common stretch for both dates)."""
    before, after = result.before, result.after
    lo, hi = _stretch_limits(before, after)
    return Picture(
        site=result.site,
        grid=before.grid,
        before_rgb=true_colour_8bit(before, lo=lo, hi=hi),
        after_rgb=true_colour_8bit(after, lo=lo, hi=hi),
        before_title=f"before  {before.date}\n{before.id}",
        after_title=f"after  {after.date}{_shift_note(after)}\n{after.id}",
        magnitude=np.where(result.change.valid, result.change.magnitude, np.float32(np.nan)).astype(
            np.float32, copy=False
        ),
        mask=result.change.mask,
        detections=result.detections,
        method=result.change.method,
        threshold=result.change.threshold,
        sources=scene_attribution((before, after)),
        sensor=before.sensor,
    )


# --------------------------------------------------------------------------------------
# the layout of a comparison, in PNG pixels


@dataclass(frozen=True)
class Box:
    """A rectangle of a PNG, in pixels from its top-left corner.

    Attributes
    ----------
    left, top, width, height : float
    """

    left: float
    top: float
    width: float
    height: float

    def pixel(self, row: float, col: float, shape: tuple[int, int]) -> tuple[int, int]:
        """The PNG pixel ``(y, x)`` showing the centre of array pixel ``(row, col)`` when
        an array of ``shape`` fills this box."""
        rows, cols = shape
        return (
            int(self.top + (row + 0.5) / rows * self.height),
            int(self.left + (col + 0.5) / cols * self.width),
        )


@dataclass(frozen=True)
class Inset:
    """A detection's zoomed crops: the array window and the boxes they fill in the PNG.

    Attributes
    ----------
    detection_id : str
    key : str
        The number drawn beside the detection's box in the panels.
    window : tuple of int
        ``(row0, col0, row1, col1)`` of the crop (end exclusive).
    before, after : Box
    """

    detection_id: str
    key: str
    window: tuple[int, int, int, int]
    before: Box
    after: Box


@dataclass(frozen=True)
class PairLayout:
    """A rendered comparison and where its parts lie.

    Attributes
    ----------
    png : bytes
    size : tuple of int
        ``(height, width)`` of the PNG in pixels.
    panels : mapping of str to Box
        ``"before"``, ``"after"``, ``"change"``: where the full arrays are drawn.
    insets : tuple of Inset
    legend : Box
        The legend's frame.
    """

    png: bytes = field(repr=False)
    size: tuple[int, int]
    panels: Mapping[str, Box]
    insets: tuple[Inset, ...]
    legend: Box


def _change_caption(
    method: str, threshold: float, *, objects: int, other: int, changed_px: int
) -> str:
    """The change panel's title: the method and threshold, then what is drawn on it.

    ``objects`` are the aircraft and vessel events, ``other`` the changed objects of no
    such class drawn beside them (grey boxes), so the count matches the numbered boxes.

    Examples
    --------
    >>> print(_change_caption("cva", 0.0917, objects=1, other=3, changed_px=8084))
    change (cva, threshold 0.0917)
    1 object event, 3 other changes, 8084 changed px
    """

    def n(count: int, what: str, plural: str) -> str:
        return f"{count} {what if count == 1 else plural}"

    drawn = [n(objects, "object event", "object events")]
    if other:
        drawn.append(n(other, "other change", "other changes"))
    return (
        f"change ({method}, threshold {threshold:.3g})\n{', '.join(drawn)}, {changed_px} changed px"
    )


def inset_window(
    bbox_px: tuple[int, int, int, int], shape: tuple[int, int]
) -> tuple[int, int, int, int]:
    """The square crop around a detection's pixel box (end exclusive), inside ``shape``.

    Half-width: :data:`INSET_CONTEXT` times the object's larger side, at least
    :data:`INSET_MIN_HALF_PX`; shifted (not shrunk) to stay inside the image.
    """
    r0, c0, r1, c1 = bbox_px
    half = max(INSET_MIN_HALF_PX, math.ceil(INSET_CONTEXT * max(r1 - r0, c1 - c0)))
    rows, cols = shape
    cy, cx = (r0 + r1) // 2, (c0 + c1) // 2
    side_r, side_c = min(2 * half, rows), min(2 * half, cols)
    top = int(np.clip(cy - half, 0, rows - side_r))
    left = int(np.clip(cx - half, 0, cols - side_c))
    return top, left, top + side_r, left + side_c


def _inset_detections(detections: Sequence[Detection]) -> list[Detection]:
    """The detections given an inset: objects (aircraft, vessels) before other change,
    the most confident first."""
    ranked = sorted(
        detections,
        key=lambda d: (d.object_class is ObjectClass.OTHER, -d.confidence, d.id),
    )
    return ranked[:MAX_INSETS]


# --------------------------------------------------------------------------------------
# map furniture: scale bar, north arrow, longitude/latitude ticks


def _nice_length(max_m: float) -> float:
    for v in _NICE_LENGTHS_M:
        if v >= max_m:
            return float(v)
    return float(_NICE_LENGTHS_M[-1])


def _scale_bar(ax: Axes, width_px: int, height_px: int, metres_per_px: float) -> None:
    length_m = _nice_length(width_px * metres_per_px / 5)
    if length_m > width_px * metres_per_px / 3:
        length_m /= 2
    length_px = length_m / metres_per_px
    x0, y0 = width_px * 0.05, height_px * 0.94
    ax.plot(
        [x0, x0 + length_px],
        [y0, y0],
        color="white",
        lw=4,
        solid_capstyle="butt",
        path_effects=[pe.withStroke(linewidth=6.5, foreground="black")],
    )
    label = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    ax.text(
        x0 + length_px / 2,
        y0 - height_px * 0.025,
        label,
        color="white",
        ha="center",
        va="bottom",
        fontsize=FONT_PT,
        fontweight="bold",
        path_effects=_HALO,
    )


def _north_angle(grid: Grid) -> float:
    """Angle (radians, from the image's up direction, clockwise) of true north at the
    centre of ``grid`` (the grid's convergence: a UTM grid's north is not quite up)."""
    from pyproj import Transformer

    rows, cols = grid.shape
    lon, lat = grid.pixels_to_lonlat(np.array([rows / 2]), np.array([cols / 2]))
    to_grid = Transformer.from_crs("EPSG:4326", grid.crs, always_xy=True)
    x0, y0 = to_grid.transform(lon[0], lat[0])
    x1, y1 = to_grid.transform(lon[0], lat[0] + _NORTH_STEP_DEG)
    r0, c0 = grid.rowcol(x0, y0)
    r1, c1 = grid.rowcol(x1, y1)
    return float(math.atan2(float(c1 - c0), float(r0 - r1)))


def _north_arrow(ax: Axes, width_px: int, height_px: int, angle: float) -> None:
    """A north arrow in the panel's top-right corner, pointing to true north."""
    size = 0.07 * min(width_px, height_px)
    cx, cy = width_px * 0.92, height_px * 0.05 + size
    dx, dy = size * math.sin(angle), -size * math.cos(angle)
    ax.add_patch(
        FancyArrow(
            cx - dx / 2,
            cy - dy / 2,
            dx,
            dy,
            width=size * 0.18,
            head_width=size * 0.55,
            head_length=size * 0.45,
            length_includes_head=True,
            color="white",
            ec="black",
            lw=1.2,
        )
    )
    ax.text(
        cx + dx * 0.75,
        cy + dy * 0.75,
        "N",
        color="white",
        ha="center",
        va="bottom",
        fontsize=TITLE_PT,
        fontweight="bold",
        path_effects=_HALO,
    )


def _nice_step(span: float) -> float:
    for step in _NICE_STEPS_DEG:
        if span / step <= _TICKS_WANTED + 1:
            return step
    return _NICE_STEPS_DEG[-1]


def _degree_ticks(
    along: NDArray[np.float64], values: NDArray[np.float64], hemis: tuple[str, str]
) -> tuple[list[float], list[str]]:
    """Positions (pixel coordinates) and labels of round degrees along one edge, where
    ``values`` are the degrees at positions ``along`` (monotonic)."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    step = _nice_step(hi - lo)
    first = math.ceil(lo / step) * step
    ticks = np.arange(first, hi + step * 1e-6, step)
    order = np.argsort(values)
    positions = np.interp(ticks, values[order], along[order])
    text = f"{step:g}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    labels = [f"{abs(t):.{decimals}f}°{hemis[0] if t >= 0 else hemis[1]}" for t in ticks]
    return [float(p) for p in positions], labels


def _lonlat_ticks(ax: Axes, grid: Grid, *, label_lat: bool) -> None:
    """Longitude ticks along the bottom edge and latitude ticks along the left edge."""
    rows, cols = grid.shape
    cs = np.linspace(-0.5, cols - 0.5, 64)
    rs = np.linspace(-0.5, rows - 0.5, 64)
    lon, _ = grid.pixels_to_lonlat(np.full_like(cs, rows), cs + 0.5)
    _, lat = grid.pixels_to_lonlat(rs + 0.5, np.zeros_like(rs))
    xpos, xlab = _degree_ticks(cs, lon, ("E", "W"))
    ypos, ylab = _degree_ticks(rs, lat, ("N", "S"))
    ax.set_xticks(xpos, xlab, fontsize=FONT_PT)
    ax.set_yticks(ypos, ylab if label_lat else [""] * len(ypos), fontsize=FONT_PT)
    ax.tick_params(direction="out", length=4, pad=2)
    if label_lat:
        for t in ax.get_yticklabels():
            t.set_rotation(90)
            t.set_verticalalignment("center")


# --------------------------------------------------------------------------------------
# site, zones and detections


def _zone_lines(site_any: Site, grid: Grid) -> list[tuple[str, NDArray[np.float64]]]:
    """Each outline and zone ring as ``(kind, (n, 2) cols/rows)`` in pixel coordinates."""
    site = site_any.project(grid.crs)
    geoms = [("outline", site.outline)] + [(z.kind, z.geometry) for z in site.zones]
    out: list[tuple[str, NDArray[np.float64]]] = []
    for kind, geom in geoms:
        for poly in getattr(geom, "geoms", [geom]):
            xs, ys = np.asarray(poly.exterior.coords).T
            rows, cols = grid.rowcol(xs, ys)
            out.append((kind, np.column_stack([cols - 0.5, rows - 0.5])))
    return out


def _draw_zones(ax: Axes, lines: Sequence[tuple[str, NDArray[np.float64]]]) -> None:
    for kind, xy in lines:
        outline = kind == "outline"
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            color=OUTLINE_COLOUR if outline else ZONE_COLOURS.get(kind, "#ffffff"),
            lw=1.6 if outline else 1.1,
            alpha=0.95 if outline else 0.8,
        )


def _padded_boxes(boxes: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pixel boxes ``(row0, col0, row1, col1)`` (shape (..., 4), ``row1`` and ``col1``
    one past the last pixel) as drawn: on pixel edges, :data:`BOX_PAD_PX` beyond the
    pixels."""
    edges = np.array([-0.5 - BOX_PAD_PX, -0.5 - BOX_PAD_PX, BOX_PAD_PX - 0.5, BOX_PAD_PX - 0.5])
    padded: NDArray[np.float64] = boxes + edges
    return padded


def _draw_box(ax: Axes, d: Detection, *, lw: float, offset: tuple[int, int] = (0, 0)) -> None:
    shift = np.array([offset[0], offset[1], offset[0], offset[1]], dtype=np.float64)
    r0, c0, r1, c1 = _padded_boxes(np.asarray(d.bbox_px, dtype=np.float64) - shift)
    ax.add_patch(
        Rectangle(
            (c0, r0),
            c1 - c0,
            r1 - r0,
            fill=False,
            edgecolor=CLASS_COLOURS[d.object_class],
            linestyle=EVENT_STYLES[d.event][0],
            lw=lw,
        )
    )


#: One look of detection boxes (colour, line style, width) and the path of all of them.
_BoxLook = tuple[str, Any, float, Path]


def _box_paths(detections: Sequence[Detection]) -> list[_BoxLook]:
    """Every detection's box, as :func:`_draw_box` draws one, grouped by look (class
    colour, event line style, width): one compound path per look, so a whole tile's
    boxes are a few paths to draw, not one artist or path per box."""
    if not detections:
        return []
    boxes = np.array([d.bbox_px for d in detections], dtype=np.float64).reshape(-1, 4)
    looks = [
        (
            CLASS_COLOURS[d.object_class],
            EVENT_STYLES[d.event][0],
            0.9 if d.object_class is ObjectClass.OTHER else 1.8,
        )
        for d in detections
    ]
    kinds = {look: i for i, look in enumerate(dict.fromkeys(looks))}
    of = np.array([kinds[look] for look in looks])
    codes = np.array([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])
    out: list[_BoxLook] = []
    for (colour, style, lw), k in kinds.items():
        r0, c0, r1, c1 = _padded_boxes(boxes[of == k]).T
        xs = np.stack([c0, c1, c1, c0, c0], axis=1)
        ys = np.stack([r0, r0, r1, r1, r0], axis=1)
        path = Path(np.stack([xs, ys], axis=2).reshape(-1, 2), np.tile(codes, len(r0)))
        out.append((colour, style, lw, path))
    return out


def _draw_detections(
    ax: Axes, detections: Sequence[Detection], keys: Mapping[str, str], boxes: Sequence[_BoxLook]
) -> None:
    """The boxes of :func:`_box_paths` and the inset keys by their boxes."""
    for colour, style, lw, path in boxes:
        # drawn as lines are (zorder 2), over the zones drawn before them; add_artist, not
        # add_patch: the panel's limits are set, and add_patch walks every segment for them
        ax.add_artist(
            PathPatch(path, fill=False, edgecolor=colour, linestyle=style, lw=lw, zorder=2)
        )
    for d in detections:
        key = keys.get(d.id)
        if key:
            _, _, r1, c1 = d.bbox_px
            ax.text(
                c1 + BOX_PAD_PX + 1,
                r1 + BOX_PAD_PX,
                key,
                color=CLASS_COLOURS[d.object_class],
                fontsize=TITLE_PT,
                fontweight="bold",
                va="top",
                path_effects=_HALO,
            )


#: A claim id at the end of a label (``[<report id>#<n>]``).
_LABEL_CLAIM_ID = re.compile(r"\[(?P<report>[^\]#]+)#(?P<n>\d+)\]\s*$")


def _claim_keys(
    detections: Sequence[Detection], labels: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """A short key for each distinct claim text (sign stripped): its number in its report
    (``#2``, as the end of the claim id in the corroboration's tables), led by the
    report id's first characters where the picture shows claims of several reports;
    ``C1``, ``C2``... for labels without a claim id."""
    texts = list(
        dict.fromkeys(
            text.lstrip("+-− ").strip() for d in detections for text in labels.get(d.id, ())
        )
    )
    ids = {t: _LABEL_CLAIM_ID.search(t) for t in texts}
    reports = {m.group("report") for m in ids.values() if m is not None}
    keys: dict[str, str] = {}
    for k, text in enumerate(texts, 1):
        m = ids[text]
        if m is None:
            keys[text] = f"C{k}"
        elif len(reports) == 1:
            keys[text] = f"#{m.group('n')}"
        else:
            keys[text] = f"{m.group('report')[:REPORT_KEY_CHARS]}#{m.group('n')}"
    return keys


def _draw_claims(
    ax: Axes,
    detections: Sequence[Detection],
    labels: Mapping[str, Sequence[str]],
    keys: Mapping[str, str],
) -> None:
    for d in detections:
        texts = labels.get(d.id)
        if not texts:
            continue
        r0, c0, _, _ = d.bbox_px
        marks = [
            ("+" if t.startswith("+") else "−") + keys[t.lstrip("+-− ").strip()] for t in texts
        ]
        supports = all(t.startswith("+") for t in texts)
        ax.text(
            c0 - BOX_PAD_PX,
            r0 - BOX_PAD_PX - 1,
            " ".join(marks),
            color="#7CFC00" if supports else "#ff5050",
            fontsize=TITLE_PT,
            fontweight="bold",
            va="bottom",
            path_effects=_HALO,
        )


def _legend_handles(kinds: Sequence[str]) -> list[Any]:
    handles: list[Any] = [
        Patch(fill=False, edgecolor=CLASS_COLOURS[c], lw=2, label=f"{c.value}")
        for c in (ObjectClass.AIRCRAFT, ObjectClass.VESSEL, ObjectClass.OTHER)
    ]
    handles += [
        Line2D([], [], color="white", linestyle=style, lw=1.8, label=f"{mark} {event.value}")
        for event, (style, mark) in EVENT_STYLES.items()
    ]
    handles.append(Line2D([], [], color=OUTLINE_COLOUR, lw=2, label="site outline"))
    handles += [
        Line2D([], [], color=ZONE_COLOURS.get(k, "#ffffff"), lw=2, label=f"{k} zone") for k in kinds
    ]
    handles.append(Patch(color=CHANGED_RGBA, label="changed pixels"))
    return handles


def _legend(ax: Axes, kinds: Sequence[str]) -> Any:
    """The legend box (dark, so the light class and zone colours stand out)."""
    ax.set_axis_off()
    legend = ax.legend(
        handles=_legend_handles(kinds),
        loc="upper left",
        ncol=5,
        fontsize=FONT_PT,
        title="Boxes (colour: class; line: event) and zones",
        title_fontsize=FONT_PT,
        frameon=True,
        facecolor=LEGEND_FACE,
        edgecolor="black",
        framealpha=1.0,
        labelcolor="white",
        borderaxespad=0.0,
        mode="expand",
    )
    legend.get_title().set_color("white")
    legend.get_frame().set_linewidth(1.0)
    return legend


# --------------------------------------------------------------------------------------
# a comparison


def render_pair(
    result: PairResult,
    *,
    labels: Mapping[str, Sequence[str]] | None = None,
    show_other: bool = True,
    dpi: int = DPI,
) -> bytes:
    """Render a comparison as PNG bytes (:func:`layout_pair` draws it).

    ``labels`` maps detection ids to short texts drawn beside their boxes (the claims a
    detection supports, ``"+ ..."``, or contradicts, ``"- ..."``).
    """
    return render_picture(picture_of(result), labels=labels, show_other=show_other, dpi=dpi)


def render_picture(
    pic: Picture,
    *,
    labels: Mapping[str, Sequence[str]] | None = None,
    show_other: bool = True,
    dpi: int = DPI,
) -> bytes:
    """Render a :class:`Picture` as PNG bytes (see :func:`layout_pair`)."""
    return layout_pair(pic, labels=labels, show_other=show_other, dpi=dpi).png


def _pixel_text(size_m: tuple[float, float]) -> str:
    """A pixel's ground size in words: ``"10.0 m"``, or ``"9.2 m east × 11.0 m north"``
    where its sides differ by more than :data:`SQUARE_PIXEL_TOLERANCE` (a grid in
    degrees away from the equator)."""
    x, y = size_m
    if abs(x - y) <= SQUARE_PIXEL_TOLERANCE * max(x, y):
        return f"{(x + y) / 2:.1f} m"
    return f"{x:.1f} m east × {y:.1f} m north"


def _inches(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """Axes at a rectangle given in inches from the figure's top-left corner."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((left / fw, 1 - (top + height) / fh, width / fw, height / fh))


def _box(left: float, top: float, width: float, height: float, dpi: int) -> Box:
    return Box(left * dpi, top * dpi, width * dpi, height * dpi)


def layout_pair(
    pic: Picture,
    *,
    labels: Mapping[str, Sequence[str]] | None = None,
    show_other: bool = True,
    dpi: int = DPI,
) -> PairLayout:
    """Draw a comparison and say where its parts lie in the PNG.

    Three panels (before, after, change magnitude with the changed pixels), each with
    the site outline and zones, a box per detection, a scale bar, a north arrow and
    longitude/latitude ticks; a row of zoomed before/after insets of the
    :data:`MAX_INSETS` most confident objects (numbered as in the panels); a legend box;
    and the dates, sensor, scene ids, method and attribution.

    Parameters
    ----------
    pic : Picture
    labels : mapping of str to sequence of str, optional
        Claim texts per detection id (``"+ ..."`` supports, ``"- ..."`` contradicts),
        drawn as keys (``+C1``) by the boxes and listed in full under the legend.
    show_other : bool, default True
        Draw the boxes of changes that are not objects (class *other*).
    dpi : int
        Resolution (the layout's pixel boxes follow it).

    Returns
    -------
    PairLayout
    """
    labels = labels or {}
    rows, cols = pic.grid.shape
    aspect = pic.grid.pixel_size_m[1] / pic.grid.pixel_size_m[0]
    shown = tuple(
        d for d in pic.detections if show_other or d.object_class is not ObjectClass.OTHER
    )
    inset_of = _inset_detections(shown)
    keys = {d.id: str(i + 1) for i, d in enumerate(inset_of)}
    claim_keys = _claim_keys(shown, labels)
    kinds = sorted({z.kind for z in pic.site.zones})

    # inches: margins, three panels, insets, legend
    left_m, right_m, gap = 0.75, 0.3, 0.3
    heading, panel_title, tick_band = 0.55, 0.6, 0.55
    panel_w = (FIGURE_W_IN - left_m - right_m - 2 * gap) / 3
    panel_h = panel_w * rows * aspect / cols
    max_h = 7.0
    if panel_h > max_h:
        panel_w, panel_h = panel_w * max_h / panel_h, max_h
    inset_title, inset_h = 0.75, 1.9 if inset_of else 0.0
    claims_text = [f"{k}: {claim}" for claim, k in claim_keys.items()]
    claim_lines = sum(len(textwrap.wrap(t, 170)) for t in claims_text)
    legend_h = 1.0
    foot_h = 0.75 + 0.2 * claim_lines
    top_panels = heading + panel_title
    inset_top = top_panels + panel_h + tick_band + (inset_title if inset_of else 0.0)
    legend_top = inset_top + inset_h + 0.25
    fig_h = math.ceil((legend_top + legend_h + foot_h) * dpi) / dpi  # whole pixels
    fig = Figure(figsize=(FIGURE_W_IN, fig_h), dpi=dpi, facecolor="white")

    mag = pic.magnitude
    step = _sample_step(mag.shape)
    sample = mag[::step, ::step]  # every pixel, or a regular grid of about a million
    finite = np.isfinite(sample)
    vmax = float(np.percentile(sample[finite], MAGNITUDE_TOP_PERCENTILE)) if finite.any() else 1.0
    block = _reduction((rows, cols), (panel_h * dpi, panel_w * dpi))
    mask = pic.mask
    if block > 1:
        mag, mask = _blocks(mag, block), _blocks(mask, block, any_=True)
    overlay = np.zeros((*mask.shape, 4), np.float32)
    overlay[mask] = CHANGED_RGBA
    objects = [d for d in shown if d.object_class is not ObjectClass.OTHER]
    lines = _zone_lines(pic.site, pic.grid)
    box_paths = _box_paths(shown)
    north = _north_angle(pic.grid)
    mpx = pic.grid.pixel_size_m[0]
    titles = {
        "before": pic.before_title,
        "after": pic.after_title,
        "change": _change_caption(
            pic.method,
            pic.threshold,
            objects=len(objects),
            other=len(shown) - len(objects),
            changed_px=int(pic.mask.sum()),
        ),
    }
    panels: dict[str, Box] = {}
    for i, name in enumerate(("before", "after", "change")):
        x = left_m + i * (panel_w + gap)
        ax = _inches(fig, x, top_panels, panel_w, panel_h)
        panels[name] = _box(x, top_panels, panel_w, panel_h, dpi)
        if name == "change":
            _show(ax, mag, block, cmap="magma", vmin=0, vmax=vmax, aspect="auto")
            _show(ax, overlay, block, aspect="auto")
        else:
            img = pic.before_rgb if name == "before" else pic.after_rgb
            _show(ax, _blocks(img, block) if block > 1 else img, block, aspect="auto")
        _draw_zones(ax, lines)
        _draw_detections(ax, shown, keys, box_paths)
        if name == "change":
            _draw_claims(ax, shown, labels, claim_keys)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        _scale_bar(ax, cols, rows, mpx)
        _north_arrow(ax, cols, rows, north)
        _lonlat_ticks(ax, pic.grid, label_lat=i == 0)
        ax.set_title(titles[name], fontsize=TITLE_PT, loc="left")

    insets: list[Inset] = []
    if inset_of:
        pair_w = (FIGURE_W_IN - left_m - right_m) / MAX_INSETS
        side = min(inset_h, (pair_w - 0.35) / 2)
        for i, d in enumerate(inset_of):
            win = inset_window(d.bbox_px, (rows, cols))
            r0, c0, r1, c1 = win
            x = left_m + i * pair_w
            boxes = []
            for j, (img, day) in enumerate(
                ((pic.before_rgb, d.before_date), (pic.after_rgb, d.after_date))
            ):
                ax = _inches(fig, x + j * (side + 0.08), inset_top, side, side)
                boxes.append(_box(x + j * (side + 0.08), inset_top, side, side, dpi))
                ax.imshow(img[r0:r1, c0:c1], interpolation="nearest", aspect="auto")
                ax.set_xlim(-0.5, c1 - c0 - 0.5)
                ax.set_ylim(r1 - r0 - 0.5, -0.5)
                _draw_box(ax, d, lw=2.0, offset=(r0, c0))
                ax.text(
                    1,
                    1,
                    f"{day}",
                    color="white",
                    fontsize=FONT_PT,
                    va="top",
                    path_effects=_HALO,
                )
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set_edgecolor(CLASS_COLOURS[d.object_class])
                    spine.set_linewidth(1.5)
                if j == 0:
                    size = (
                        f"{d.length_m:.0f} × {d.width_m:.0f} m" if d.length_m == d.length_m else ""
                    )
                    zone = textwrap.shorten(d.zone or "no zone", INSET_CAPTION_CHARS)
                    ax.set_title(
                        f"{keys[d.id]}  {EVENT_STYLES[d.event][1]} {d.object_class.value} "
                        f"{d.event.value}, conf. {d.confidence:.2f}\n{zone}\n"
                        f"{size}{'; ' if size else ''}crop {(c1 - c0) * mpx:.0f} m",
                        fontsize=FONT_PT,
                        loc="left",
                        x=0.0,
                    )
            insets.append(Inset(d.id, keys[d.id], win, boxes[0], boxes[1]))

    legend_w = FIGURE_W_IN - left_m - right_m
    ax = _inches(fig, left_m, legend_top, legend_w, legend_h)
    legend = _legend(ax, kinds)

    sensor = {"S2": "Sentinel-2", "S1": "Sentinel-1"}.get(pic.sensor.upper(), pic.sensor)
    heading_text = f"{pic.site.title}: {sensor + ' ' if sensor else ''}change between dates"
    fig.text(
        left_m / FIGURE_W_IN,
        1 - 0.12 / fig_h,
        heading_text,
        fontsize=HEADING_PT,
        fontweight="bold",
        va="top",
    )
    foot = [
        f"Insets: the {len(inset_of)} most confident object{'s' if len(inset_of) != 1 else ''}, "
        "numbered as in the panels. Change panel: magnitude (dark low, bright high), changed "
        f"pixels in green. Pixel ~{_pixel_text(pic.grid.pixel_size_m)}; north arrow: true "
        "north.",
        f"Imagery: {pic.sources or 'source not recorded in this run'}.  "
        f"Site outline and zones: {site_credit(pic.site.attribution, pic.sources)}.  "
        "Made with basewatch.",
    ]
    if claims_text:
        foot.append("Claims (+ the detection supports the claim, − it contradicts it): ")
        foot += [line for t in claims_text for line in textwrap.wrap(t, 170)]
    fig.text(
        left_m / FIGURE_W_IN,
        1 - (legend_top + legend_h + 0.15) / fig_h,
        "\n".join(foot),
        fontsize=FONT_PT,
        va="top",
        linespacing=1.45,
    )
    png = _png(fig, dpi)
    png_size = (round(fig_h * dpi), round(FIGURE_W_IN * dpi))
    frame = legend.get_frame().get_window_extent()  # display pixels, origin bottom-left
    legend_box = Box(
        float(frame.x0), png_size[0] - float(frame.y1), float(frame.width), float(frame.height)
    )
    return PairLayout(png, png_size, panels, tuple(insets), legend_box)


def _reduction(shape: tuple[int, int], dots: tuple[float, float]) -> int:
    """The block size a raster of ``shape`` (rows, cols) is reduced by to be drawn on
    ``dots`` (rows, cols) PNG pixels: 1, or the largest that leaves at least
    :data:`MAX_PIXELS_PER_DOT` raster pixels per PNG pixel along each side."""
    per_dot = min(shape[0] / max(dots[0], 1.0), shape[1] / max(dots[1], 1.0))
    return max(1, int(per_dot // MAX_PIXELS_PER_DOT))


def _blocks(image: NDArray[Any], size: int, *, any_: bool = False) -> NDArray[Any]:
    """``image`` (rows, cols[, channels]) reduced by ``size`` x ``size`` blocks: their mean
    (NaN left out), or with ``any_`` whether any pixel of a block is set.

    The rows and columns beyond the last whole block (under ``size``) are left out: drawn
    with :func:`_reduction`'s block size, that is under half a pixel of the PNG. Masks,
    8-bit RGB and float32 images are reduced by the kernels of
    :mod:`basewatch.outputs._pixels` (the values of :func:`_blocks_numpy`).
    """
    if any_ and image.ndim == 2:
        return block_any(image, size)
    if not any_:
        reduced = block_mean(image, size)
        if reduced is not None:
            return reduced
    return _blocks_numpy(image, size, any_=any_)


def _blocks_numpy(image: NDArray[Any], size: int, *, any_: bool = False) -> NDArray[Any]:
    """:func:`_blocks` in numpy: the definition its kernels are held to."""
    rows, cols = (n // size * size for n in image.shape[:2])
    view = image[:rows, :cols].reshape(rows // size, size, cols // size, size, *image.shape[2:])
    if any_:
        return np.asarray(view.any(axis=(1, 3)), dtype=bool)
    if image.dtype == np.uint8:
        return np.asarray(np.rint(view.mean(axis=(1, 3), dtype=np.float32)), dtype=np.uint8)
    if np.isfinite(view.sum(dtype=np.float64)):
        return np.asarray(view.mean(axis=(1, 3), dtype=np.float32), dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # blocks with no valid pixel: NaN
        return np.asarray(np.nanmean(view, axis=(1, 3), dtype=np.float32), dtype=np.float32)


def _show(ax: Axes, image: NDArray[Any], size: int, **kwargs: Any) -> None:
    """``ax.imshow`` of an image already reduced by blocks of ``size`` (:func:`_blocks`),
    placed on the full raster's pixel coordinates (boxes, zones and ticks use those)."""
    if size > 1:
        rows, cols = image.shape[:2]
        kwargs["extent"] = (-0.5, cols * size - 0.5, rows * size - 0.5, -0.5)
    ax.imshow(image, interpolation="nearest", **kwargs)


def _png(fig: Figure, dpi: int) -> bytes:
    """``fig`` drawn at ``dpi`` as an RGB PNG (:data:`PNG_COMPRESS_LEVEL`).

    Every figure here is white and made at the ``dpi`` it is drawn at, so the pixels are
    ``savefig``'s; without the always-opaque alpha channel and at a lower zlib level than
    ``savefig``'s, the file is as small and takes a third of the time to write (a run's
    picture: 0.27 s, 1.06 MB as ``savefig`` writes it; 0.09 s, 1.04 MB).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # type: ignore[no-untyped-call]  # (matplotlib leaves it untyped)
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]  # type: ignore[no-untyped-call]
    info = PngInfo()
    info.add_text("Software", "basewatch (matplotlib)")
    buf = io.BytesIO()
    Image.fromarray(rgb).save(
        buf,
        format="png",
        compress_level=PNG_COMPRESS_LEVEL,
        pnginfo=info,
        dpi=(dpi, dpi),
    )
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# a series


def render_timeline(result: TimelineResult, *, dpi: int = DPI) -> bytes:
    """A chart of the objects seen in each zone on each date of a series, as PNG bytes.

    One line per zone searched (marker per date), integer counts, the dates on the
    horizontal axis; the sensor, scene ids and attribution underneath. Zones whose counts
    are lower bounds (harbours, berths) are marked so in the legend.
    """
    dates: Any = [dt.date.fromisoformat(d) for d in result.dates]
    scenes = result.scenes
    id_lines = [f"{s.date}  {s.id}" for s in scenes]
    sensor = {"S2": "Sentinel-2", "S1": "Sentinel-1"}.get(scenes[0].sensor, scenes[0].sensor)
    title = textwrap.wrap(
        f"{result.site.title}: objects per zone and date ({sensor}, {len(dates)} dates)",
        TIMELINE_TITLE_CHARS,
    )
    head_h = 0.4 + HEADING_LINE_IN * len(title)
    foot_h = 0.9 + 0.2 * len(id_lines)
    chart_h = 4.2
    fig_h = head_h + chart_h + 0.9 + foot_h
    fig = Figure(figsize=(12.0, fig_h), dpi=dpi, facecolor="white")
    ax = _inches(fig, 0.9, head_h, 7.6, chart_h)
    top = 0
    n_zones = len(result.zone_counts)
    for k, (zone, per_date) in enumerate(result.zone_counts.items()):
        counts = [per_date[d] for d in result.dates]
        top = max(top, *counts)
        quality = result.zone_coverage.get(zone, {}).get("count", "")
        label = f"{zone}{' (lower bound)' if quality == 'lower bound' else ''}"
        # zones of equal counts draw one on another: each later one thinner, with a
        # marker of its own, so that every zone's line still shows
        style = SERIES_STYLES[k % len(SERIES_STYLES)]
        width = SERIES_LINE_PT * (1 + (n_zones - 1 - k) * SERIES_WIDTH_STEP)
        ax.plot(dates, counts, marker=style[0], ls=style[1], lw=width, ms=5 + width, label=label)
    ax.set_ylim(-0.3, max(top, 1) * 1.15 + 0.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("objects seen", fontsize=TITLE_PT)
    ax.set_xticks(dates, [d.isoformat() for d in dates], fontsize=FONT_PT, rotation=30, ha="right")
    ax.tick_params(axis="y", labelsize=FONT_PT)
    ax.grid(True, alpha=0.3)
    if result.zone_counts:
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            fontsize=FONT_PT,
            title="zone",
            title_fontsize=FONT_PT,
            frameon=True,
            edgecolor="black",
        )
    else:
        ax.text(
            0.5,
            0.5,
            "no zone of the site can hold the objects this sensor sees",
            transform=ax.transAxes,
            ha="center",
            fontsize=TITLE_PT,
        )
    fig.text(
        0.9 / 12,
        1 - 0.15 / fig_h,
        "\n".join(title),
        fontsize=HEADING_PT,
        fontweight="bold",
        va="top",
    )
    n_tracks = len(result.tracks)
    imagery = scene_attribution(scenes)
    foot = [
        f"{n_tracks} track{'' if n_tracks == 1 else 's'}, "
        f"{len(result.persistent_tracks())} present on every date. Scenes:",
        *id_lines,
        f"Imagery: {imagery}.  Site: {site_credit(result.site.attribution, imagery)}.  "
        "Made with basewatch.",
    ]
    fig.text(
        0.9 / 12,
        1 - (head_h + chart_h + 0.95) / fig_h,
        "\n".join(foot),
        fontsize=FONT_PT,
        va="top",
        linespacing=1.4,
    )
    return _png(fig, dpi)


# --------------------------------------------------------------------------------------
# a site, and the scenes that cover it


@dataclass(frozen=True)
class SceneMark:
    """A catalogued scene as a site map shows it.

    Attributes
    ----------
    id : str
    sensor : str
        ``"S2"`` or ``"S1"``.
    date : datetime.date
    cloud_fraction : float or None
        0-1 (the tile's, from the catalogue), None for radar.
    bbox : tuple of float
        ``(west, south, east, north)`` of the footprint, degrees.
    """

    id: str
    sensor: str
    date: dt.date
    cloud_fraction: float | None
    bbox: tuple[float, float, float, float]


def render_site(
    site: Site,
    *,
    scenes: Sequence[SceneMark] = (),
    periods: Sequence[tuple[dt.date, dt.date, str]] = (),
    dpi: int = DPI,
) -> bytes:
    """A site's outline and zones to scale, and the catalogued scenes that cover it.

    Left: the outline and each zone (numbered, listed with its kind beside the map) on
    the site's UTM grid, with scale bar, north arrow and longitude/latitude ticks. With
    ``scenes``: the footprints of the scenes around the site (middle) and their dates
    and tile cloud cover (right).

    Parameters
    ----------
    site : Site
        The site to draw.
    scenes : sequence of SceneMark, optional
        Catalogued scenes that cover the site.
    periods : sequence of (date, date, str), optional
        Dates of interest, first and last day and a label (the days of a report's
        claims), shaded on the scene dates (with ``scenes`` only).
    dpi : int
        Resolution of the PNG.

    Returns
    -------
    bytes
        The PNG.
    """
    from basewatch.grid import Grid

    utm = site.project()
    minx, miny, maxx, maxy = utm.outline.bounds
    # room around the outline for the scale bar and the north arrow, off the site
    pad = SITE_MAP_PAD * max(maxx - minx, maxy - miny)
    res = max(maxx - minx, maxy - miny) / 600
    grid = Grid(
        utm.crs,
        (res, 0.0, minx - pad, 0.0, -res, maxy + pad),
        math.ceil((maxx - minx + 2 * pad) / res),
        math.ceil((maxy - miny + 2 * pad) / res),
    )
    rows, cols = grid.shape
    map_w = 6.0
    map_h = map_w * rows / cols
    if map_h > 7.0:
        map_w, map_h = map_w * 7.0 / map_h, 7.0
    keyed = [(i + 1, z) for i, z in enumerate(utm.zones)]
    zone_text = [
        f"{n:2d}  {z.kind:9s} {z.name}{' (approximate)' if z.approximate else ''}" for n, z in keyed
    ]
    text_x = 0.75 + map_w + 0.5
    # wide enough for the longest zone line beside the map (it is not cut at the edge)
    longest = max((len(t) for t in zone_text), default=0)
    width = max(16.0 if scenes else 11.0, text_x + longest * MONOSPACE_CHAR_IN + 0.3)
    fig_h = max(map_h, 0.4 + 0.19 * len(site.zones) + 0.4 + 4.6 if scenes else 0.0) + 1.8
    fig = Figure(figsize=(width, fig_h), dpi=dpi, facecolor="white")
    ax = _inches(fig, 0.75, 0.8, map_w, map_h)
    ax.set_facecolor("#1d2b3a")
    lines = _zone_lines(site, grid)
    _draw_zones(ax, lines)
    for n, z in keyed:
        c = _label_point(z.geometry, [o.geometry for o in utm.zones if o is not z])
        r, q = grid.rowcol(c.x, c.y)
        ax.text(
            float(q),
            float(r),
            str(n),
            color=ZONE_COLOURS.get(z.kind, "#ffffff"),
            fontsize=FONT_PT,
            fontweight="bold",
            ha="center",
            va="center",
            path_effects=_HALO,
        )
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    _scale_bar(ax, cols, rows, res)
    _north_arrow(ax, cols, rows, _north_angle(grid))
    _lonlat_ticks(ax, grid, label_lat=True)
    ax.set_title(
        f"{site.title} ({site.name}): {site.area_km2():.1f} km², {site.utm_crs}",
        fontsize=TITLE_PT,
        loc="left",
    )
    zones_h = 0.4 + 0.19 * len(zone_text)
    fig.text(
        text_x / width,
        1 - 0.8 / fig_h,
        "Zones\n" + "\n".join(zone_text),
        fontsize=FONT_PT,
        va="top",
        family="monospace",
        linespacing=1.35,
    )
    if scenes:
        _scene_panels(
            fig,
            site,
            scenes,
            periods=periods,
            left=text_x + 0.5,
            top=0.8 + zones_h + 0.4,
            width=width,
        )
    fig.text(
        0.75 / width,
        1 - 0.15 / fig_h,
        f"{site.title}: site and zones" + (f", {len(scenes)} catalogued scenes" if scenes else ""),
        fontsize=HEADING_PT,
        fontweight="bold",
        va="top",
    )
    fig.text(
        0.75 / width,
        0.15 / fig_h,
        f"Outline and zones: {'; '.join(site.attribution)}."
        + (
            "  Scene footprints and dates: catalogue metadata (Copernicus Sentinel)."
            if scenes
            else ""
        )
        + "  Made with basewatch.",
        fontsize=FONT_PT,
        va="bottom",
    )
    return _png(fig, dpi)


def _label_point(zone: BaseGeometry, others: Sequence[BaseGeometry]) -> Point:
    """Where a zone's number goes: the point of the zone farthest inside the part that
    no other zone covers (so an apron's number is not drawn over its runway's), else
    its representative point."""
    free = zone.difference(shapely.union_all(list(others))) if others else zone
    parts = [g for g in getattr(free, "geoms", [free]) if isinstance(g, Polygon) and g.area > 0]
    if not parts or max(p.area for p in parts) < LABEL_MIN_FREE_SHARE * zone.area:
        return zone.representative_point()
    largest = max(parts, key=lambda g: g.area)
    return polylabel(largest, tolerance=math.sqrt(largest.area) / 100)


def _scene_panels(
    fig: Figure,
    site: Site,
    scenes: Sequence[SceneMark],
    *,
    periods: Sequence[tuple[dt.date, dt.date, str]] = (),
    left: float,
    top: float,
    width: float,
) -> None:
    """Footprints around the site (lon/lat) and the scenes' dates with tile cloud."""
    panel = min(3.8, (width - left - 0.4 - 0.9) / 2)
    ax = _inches(fig, left, top, panel, panel)
    c = site.outline.centroid
    for s in scenes:
        w, so, e, n = s.bbox
        ax.add_patch(
            Rectangle(
                (w, so),
                e - w,
                n - so,
                fill=False,
                lw=0.8,
                edgecolor="#1f77b4" if s.sensor == "S2" else "#d62728",
                alpha=0.5,
            )
        )
    ax.plot([c.x], [c.y], marker="*", ms=14, color=OUTLINE_COLOUR, mec="black")
    span = max(max(s.bbox[2] - s.bbox[0], s.bbox[3] - s.bbox[1]) for s in scenes)
    ax.set_xlim(c.x - span, c.x + span)
    ax.set_ylim(c.y - span, c.y + span)
    ax.set_aspect(1 / math.cos(math.radians(c.y)))
    ax.tick_params(labelsize=FONT_PT)
    ax.set_xlabel("longitude (°E)", fontsize=FONT_PT)
    ax.set_ylabel("latitude (°N)", fontsize=FONT_PT)
    ax.set_title("footprints (blue S2, red S1); ★ site", fontsize=TITLE_PT, loc="left")
    s2 = [s for s in scenes if s.sensor == "S2"]
    s1 = [s for s in scenes if s.sensor == "S1"]
    # radar sees through cloud: its dates get a strip of their own above the cloud
    # panel, not a row on the cloud axis
    strip = RADAR_STRIP_IN if s1 else 0.0
    ax2 = _inches(fig, left + panel + 0.9, top + strip, panel, panel - strip)
    days = [s.date for s in scenes] + [d for p in periods for d in p[:2]]
    pad = dt.timedelta(days=DATE_PAD_DAYS)
    limits = [float(mdates.date2num(d)) for d in (min(days) - pad, max(days) + pad)]  # type: ignore[no-untyped-call]
    if s2:
        ax2.scatter(
            np.array([s.date for s in s2], dtype="datetime64[D]"),
            [100 * (s.cloud_fraction or 0.0) for s in s2],
            color="#1f77b4",
            label="Sentinel-2 (tile cloud %)",
            zorder=3,
        )
    top_ax = ax2
    if s1:
        radar = _inches(fig, left + panel + 0.9, top, panel, strip)
        radar.scatter(
            np.array([s.date for s in s1], dtype="datetime64[D]"),
            [0.5] * len(s1),
            marker="|",
            s=200,
            color="#d62728",
            label="Sentinel-1 (any weather)",
            zorder=3,
        )
        radar.set_xlim(limits[0], limits[1])
        radar.set_ylim(0, 1)
        radar.set_yticks([0.5], ["S1"], fontsize=FONT_PT)
        radar.tick_params(axis="x", labelbottom=False, bottom=False)
        radar.grid(True, axis="x", alpha=0.3)
        top_ax = radar
    for first, last, label in periods:
        lo = np.datetime64(first, "D")
        hi = np.datetime64(last + dt.timedelta(days=1), "D")
        for shaded in dict.fromkeys((ax2, top_ax)):
            shaded.axvspan(lo, hi, color="#ffbf00", alpha=0.3, zorder=1, lw=0)  # type: ignore[arg-type]
        mid = lo + (hi - lo) / 2
        ax2.text(mid, 50, label, rotation=90, fontsize=FONT_PT, va="center", ha="center", zorder=4)  # type: ignore[arg-type]
    ax2.set_xlim(limits[0], limits[1])
    ax2.set_ylim(-5, 105)
    ax2.set_ylabel("cloud cover of the tile (%)", fontsize=FONT_PT)
    ax2.tick_params(labelsize=FONT_PT)
    locator = mdates.AutoDateLocator(minticks=DATE_TICKS[0], maxticks=DATE_TICKS[1])  # type: ignore[no-untyped-call]
    ax2.xaxis.set_major_locator(locator)
    ax2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if s1:
        radar.xaxis.set_major_locator(locator)
    ax2.grid(True, alpha=0.3)
    # below the panel, under the dates: inside it, the legend hid the scenes of its
    # corner (a clear Sentinel-2 date sits at the bottom, 0 % cloud)
    pairs = [ax.get_legend_handles_labels() for ax in dict.fromkeys((ax2, top_ax))]
    ax2.legend(
        [h for hs, _ in pairs for h in hs],
        [lab for _, labs in pairs for lab in labs],
        fontsize=FONT_PT,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.14),
        ncol=2,
        frameon=True,
        edgecolor="black",
    )
    top_ax.set_title("scene dates", fontsize=TITLE_PT, loc="left")


# --------------------------------------------------------------------------------------
# the vessels of one image


#: Where the vessel picture's caption starts and its map at the least (inches from the
#: top), and the caption's line height (its font's size times the line spacing).
_CAPTION_TOP_IN = 0.62
_VESSELS_MAP_TOP_IN = 1.15
_LINE_SPACING = 1.2
_LINE_IN = FONT_PT * _LINE_SPACING / 72.0


def render_vessels(
    scene: Scene,
    *,
    outlines_px: NDArray[np.float64],
    rejected: NDArray[np.bool_] | None = None,
    site: Site | None = None,
    title: str,
    caption: str,
    dpi: int = DPI,
) -> bytes:
    """One image's vessels: true colour, each vessel's outline, a scale bar, north arrow,
    longitude/latitude ticks, a legend and the data's attribution; with a site, the
    water zones the vessels were kept in.

    Parameters
    ----------
    scene : Scene
        The image: true colour as :func:`true_colour` stretches it; its grid gives the
        ticks, north and the scale bar, its attribution the credit line.
    outlines_px : ndarray, shape (n, 5, 2), float64
        Each vessel's closed outline as ``(col, row)`` pixel positions.
    rejected : ndarray, shape (rows, cols), bool, optional
        Candidates the classifier turned down, drawn faintly.
    site : Site, optional
        Its water zones (harbour, berths, approaches) are drawn, in their zone colours.
    title : str
        Above the map.
    caption : str
        Under the title (what was searched, the model and its threshold).
    dpi : int
        Resolution of the PNG.

    Returns
    -------
    bytes
        The PNG.
    """
    image = true_colour_8bit(scene, lo=(limits := _stretch_limits(scene))[0], hi=limits[1])
    grid = scene.grid
    rows, cols = grid.shape
    metres_per_px = float(np.sqrt(np.prod(grid.pixel_size_m)))
    attribution = scene_attribution([scene]) or "Contains modified Copernicus Sentinel data"
    map_w = 9.0
    map_h = map_w * rows / cols
    if map_h > 9.0:
        map_w, map_h = map_w * 9.0 / map_h, 9.0
    caption_lines = textwrap.wrap(caption, width=int(14 * map_w))
    # the map starts under the caption, however many lines it takes
    top = max(_VESSELS_MAP_TOP_IN, _CAPTION_TOP_IN + len(caption_lines) * _LINE_IN + 0.15)
    width, height = map_w + 1.3, map_h + top + 1.25
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    ax = _inches(fig, 0.85, top, map_w, map_h)
    block = _reduction((rows, cols), (map_h * dpi, map_w * dpi))
    _show(ax, _blocks(image, block) if block > 1 else image, block)
    if rejected is not None and rejected.any():
        if block > 1:
            rejected = _blocks(rejected, block, any_=True)
        faint = np.zeros((*rejected.shape, 4), dtype=np.float32)
        faint[rejected] = REJECTED_RGBA
        _show(ax, faint, block)
    from basewatch.aoi import WATER_ZONES

    water_lines = (
        [(k, xy) for k, xy in _zone_lines(site, grid) if k in WATER_ZONES]
        if site is not None
        else []
    )
    _draw_zones(ax, water_lines)
    vessel = CLASS_COLOURS[ObjectClass.VESSEL]
    if len(outlines_px):
        ax.add_collection(
            LineCollection(
                list(outlines_px),
                colors=vessel,
                linewidths=1.6,
                path_effects=[pe.withStroke(linewidth=3.0, foreground="black")],
            )
        )
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    _scale_bar(ax, cols, rows, metres_per_px)
    _north_arrow(ax, cols, rows, _north_angle(grid))
    _lonlat_ticks(ax, grid, label_lat=True)
    handles: list[Any] = [
        Line2D([], [], color=vessel, lw=2, label=f"vessel ({len(outlines_px)})"),
    ]
    if rejected is not None:
        handles.append(Patch(color=REJECTED_RGBA, label="candidate turned down"))
    for kind in sorted({k for k, _ in water_lines}):
        handles.append(
            Line2D([], [], color=ZONE_COLOURS.get(kind, "#ffffff"), lw=1.5, label=f"{kind} zone")
        )
    legend = ax.legend(
        handles=handles,
        loc="upper right",
        bbox_to_anchor=(1.0, -0.045),  # under the map, beside the longitude ticks' row
        ncol=len(handles),
        fontsize=FONT_PT,
        frameon=True,
        facecolor=LEGEND_FACE,
        edgecolor="black",
        framealpha=0.9,
        labelcolor="white",
    )
    legend.get_frame().set_linewidth(1.0)
    fig.text(
        0.85 / width, 1 - 0.2 / height, title, fontsize=HEADING_PT, fontweight="bold", va="top"
    )
    fig.text(
        0.85 / width,
        1 - _CAPTION_TOP_IN / height,
        "\n".join(caption_lines),
        fontsize=FONT_PT,
        va="top",
        linespacing=_LINE_SPACING,
    )
    fig.text(
        0.85 / width,
        0.12 / height,
        f"{attribution}.  Made with basewatch.",
        fontsize=FONT_PT,
        va="bottom",
    )
    return _png(fig, dpi)
