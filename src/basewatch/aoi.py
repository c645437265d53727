"""Sites and their zones (areas of interest).

A site file is a GeoJSON FeatureCollection in WGS84 longitude/latitude
(RFC 7946), one per site in the ``aoi/`` folder, with a foreign member
``"basewatch"`` describing the site::

    {"type": "FeatureCollection",
     "basewatch": {"site": "hmeimim", "title": "...", "aliases": [...], "utm_epsg": 32636},
     "features": [{"type": "Feature",
                   "properties": {"kind": "outline", "name": "...", "source": "...",
                                  "licence": "...", "approximate": false},
                   "geometry": {"type": "Polygon", ...}}, ...]}

Exactly one feature has ``kind: "outline"``; the others are zones of a kind in
:data:`ZONE_KINDS`. :func:`load_site` validates everything and names the file and the
feature at fault; :meth:`Site.project` reprojects the geometry to the site's UTM zone
(or any CRS), and :func:`zone_index` rasterises zones onto a pixel grid.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from basewatch._paths import bundled_dir
from basewatch.errors import AOIError, InputError
from basewatch.grid import Grid, check_window_size, utm_epsg_for

__all__ = [
    "AIRCRAFT_ZONES",
    "AOI",
    "BERTH_ZONES",
    "COUNT_GAPS",
    "WATER_ZONES",
    "ZONE_KINDS",
    "Site",
    "Zone",
    "analysis_grid",
    "aoi_for_site",
    "as_site",
    "list_sites",
    "load_site",
    "outline_mask",
    "parse_site",
    "zone_index",
]

#: Zone kinds a site file may use, with what they mean.
ZONE_KINDS: Mapping[str, str] = {
    "runway": "runway pavement",
    "taxiway": "taxiways and the airfield movement area",
    "apron": "aircraft parking aprons and stands",
    "shelter": "hardened aircraft shelters",
    "harbour": "harbour water inside the breakwaters",
    "berth": "water alongside quays where vessels moor",
    "approach": "open water approaches and anchorage",
}
#: Zones where an object of aircraft size is classed as an aircraft.
AIRCRAFT_ZONES = frozenset({"runway", "taxiway", "apron", "shelter"})
#: Zones where an object of vessel size is classed as a vessel.
WATER_ZONES = frozenset({"harbour", "berth", "approach"})
#: Zones along quays where moored hulls are looked for on single dates.
BERTH_ZONES = frozenset({"berth"})
#: What single-date detection misses on airfield pavement, measured where it was not
#: tuned (``benchmarks/aircraft_transfer.py``: four airports of the Planet scenes at
#: 10 m, about 310 parked airliners by eye, none found): a count of aircraft there is a
#: lower bound.
_AIRCRAFT_MISSED = (
    "aircraft parked beside others, roofs or markings, or no brighter than the pavement "
    "in every band (grey camouflage), are missed: at four airports it was not tuned on "
    "the search found none of about 310 parked airliners"
)
#: What an object the single-date aircraft search calls an aircraft may be instead: its
#: precision is measured nowhere it was not tuned (``benchmarks/aircraft_transfer.py``:
#: at those four airports it kept roofs and runway markings), which verdicts and
#: reports say in these words.
AIRCRAFT_LOOKALIKES = "a roof, a vehicle or a marking of that size"
#: What single-date detection misses in each zone kind, so that its count there is a
#: lower bound (it can support a claimed number, not contradict it). Kinds not listed
#: are counted whole for detectable objects: open-water approaches (vessels float free).
COUNT_GAPS: Mapping[str, str] = {
    "harbour": "ships moored against a quay outside a berth zone are not found on single dates",
    "berth": "moored hulls are found by their NIR brightness over the berth's water; "
    "dark hulls can be missed",
    "shelter": "aircraft inside shelters are not seen",
    "apron": _AIRCRAFT_MISSED,
    "taxiway": _AIRCRAFT_MISSED,
    "runway": _AIRCRAFT_MISSED,
}

_REQUIRED_PROPS = ("kind", "name", "source", "licence")


@dataclass(frozen=True)
class Zone:
    """A named part of a site (runway, apron, harbour...).

    ``geometry`` is in the CRS of the :class:`Site` that holds it.
    """

    name: str
    kind: str
    geometry: Polygon | MultiPolygon
    source: str
    licence: str
    approximate: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Site:
    """A watched site: its outline and zones, in ``crs`` (EPSG:4326 as loaded)."""

    name: str
    title: str
    aliases: tuple[str, ...]
    utm_epsg: int
    outline: Polygon | MultiPolygon
    zones: tuple[Zone, ...]
    path: str
    crs: str = "EPSG:4326"
    outline_source: str = ""
    outline_licence: str = ""
    attribution: tuple[str, ...] = field(default=())

    @property
    def utm_crs(self) -> str:
        return f"EPSG:{self.utm_epsg}"

    def zones_of(self, kinds: Iterable[str]) -> tuple[Zone, ...]:
        wanted = set(kinds)
        return tuple(z for z in self.zones if z.kind in wanted)

    def project(self, crs: str | int | None = None) -> Site:
        """This site with every geometry reprojected to ``crs`` (default: its UTM zone)."""
        target = CRS.from_user_input(crs if crs is not None else self.utm_epsg)
        source = CRS.from_user_input(self.crs)
        if target == source:
            return self
        tr = Transformer.from_crs(source, target, always_xy=True)

        def _reproject(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
            out = shapely.transform(geom, lambda xy: np.column_stack(tr.transform(*xy.T)))
            return out

        return Site(
            name=self.name,
            title=self.title,
            aliases=self.aliases,
            utm_epsg=self.utm_epsg,
            outline=_reproject(self.outline),
            zones=tuple(
                Zone(
                    z.name,
                    z.kind,
                    _reproject(z.geometry),
                    z.source,
                    z.licence,
                    z.approximate,
                    z.notes,
                )
                for z in self.zones
            ),
            path=self.path,
            crs=target.to_string(),
            outline_source=self.outline_source,
            outline_licence=self.outline_licence,
            attribution=self.attribution,
        )

    def area_km2(self) -> float:
        return float(self.project().outline.area) / 1e6


def list_sites(folder: str | Path | None = None) -> list[str]:
    """Names of the sites whose files are in ``folder`` (default: the bundled ``aoi/``)."""
    root = Path(folder) if folder is not None else bundled_dir("aoi")
    return sorted(p.stem for p in root.glob("*.geojson"))


def load_site(name_or_path: str | Path, *, folder: str | Path | None = None) -> Site:
    """Load and validate a site by name (``"hmeimim"``) or by path to its GeoJSON file.

    Raises
    ------
    AOIError
        The file is missing, not JSON, not a FeatureCollection in EPSG:4326, or has a
        feature without the required properties, of an unknown kind, or with an
        invalid or out-of-range polygon. The message names the file and the feature.
    """
    path = _resolve(name_or_path, folder)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AOIError(f"{path}: cannot read AOI file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise AOIError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
            "GeoJSON is UTF-8: re-save the file as UTF-8"
        ) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AOIError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "an AOI file must be a GeoJSON FeatureCollection"
        ) from exc
    return parse_site(doc, path=str(path))


def as_site(site: Site | str | Path) -> Site:
    """``site`` itself, or the site a bundled name or a GeoJSON path stands for
    (:func:`load_site`): what functions that take a site accept."""
    return site if isinstance(site, Site) else load_site(site)


def parse_site(doc: Any, *, path: str = "<memory>") -> Site:
    """Validate a decoded site document (see module docstring) and build a :class:`Site`."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise AOIError(f"{path}: expected a GeoJSON FeatureCollection at the top level")
    crs = doc.get("crs")
    if crs is not None:
        crs_props = crs.get("properties") if isinstance(crs, dict) else None
        crs_name = str(crs_props.get("name", crs) if isinstance(crs_props, dict) else crs)
        if "4326" not in crs_name and "CRS84" not in crs_name:
            raise AOIError(
                f"{path}: coordinates must be WGS84 longitude/latitude (EPSG:4326), "
                f"the file declares {crs_name}; reproject it (ogr2ogr -t_srs EPSG:4326)"
            )
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise AOIError(f"{path}: the FeatureCollection has no features")
    meta = _site_meta(doc, features, path=path)

    outline: Polygon | MultiPolygon | None = None
    outline_props: Mapping[str, Any] = {}
    zones: list[Zone] = []
    for i, feat in enumerate(features):
        label = _feature_label(feat, i)
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise AOIError(
                f"{path}: {label} has no properties object; every feature needs the "
                "properties kind, name, source and licence"
            )
        missing = [k for k in _REQUIRED_PROPS if not props.get(k)]
        if missing:
            raise AOIError(
                f"{path}: {label} lacks the propert{'y' if len(missing) == 1 else 'ies'} "
                f"{', '.join(missing)} (every feature needs kind, name, source and licence)"
            )
        geom = _polygon(feat.get("geometry"), path=path, label=label)
        kind = props["kind"]
        if not isinstance(kind, str):
            raise AOIError(
                f"{path}: {label} has a kind that is not text ({kind!r}); use one of "
                f"outline, {', '.join(ZONE_KINDS)}"
            )
        if kind == "outline":
            if outline is not None:
                raise AOIError(f"{path}: more than one feature has kind 'outline' ({label})")
            outline, outline_props = geom, props
            continue
        if kind not in ZONE_KINDS:
            raise AOIError(
                f"{path}: {label} has unknown kind {kind!r}; "
                f"use one of outline, {', '.join(ZONE_KINDS)}"
            )
        zones.append(
            Zone(
                name=str(props["name"]),
                kind=kind,
                geometry=geom,
                source=str(props["source"]),
                licence=str(props["licence"]),
                approximate=bool(props.get("approximate", False)),
                notes=str(props.get("notes", "")),
            )
        )
    if outline is None:
        raise AOIError(f"{path}: no feature has kind 'outline' (the site boundary)")
    names = [z.name for z in zones]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AOIError(f"{path}: zone names must be unique, repeated: {', '.join(dupes)}")
    slack = outline.buffer(1e-4)
    for z in zones:
        if not slack.contains(z.geometry):
            raise AOIError(
                f"{path}: zone {z.name!r} extends outside the site outline; "
                "enlarge the outline or clip the zone"
            )
    centroid = outline.centroid
    utm = _utm_epsg(meta.get("utm_epsg"), path=path) or utm_epsg_for(centroid.x, centroid.y)
    attribution = tuple(sorted({z.licence for z in zones} | {str(outline_props["licence"])}))
    aliases = meta.get("aliases") or ()
    if isinstance(aliases, str) or not isinstance(aliases, list | tuple):
        raise AOIError(
            f"{path}: the site's aliases must be a list of names, got "
            f"{type(aliases).__name__}; fix or drop basewatch.aliases"
        )
    title = meta.get("title")
    return Site(
        name=meta["site"],
        title=str(title) if title not in (None, "") else meta["site"],
        aliases=tuple(str(a) for a in aliases if a is not None),
        utm_epsg=utm,
        outline=outline,
        zones=tuple(zones),
        path=path,
        outline_source=str(outline_props["source"]),
        outline_licence=str(outline_props["licence"]),
        attribution=attribution,
    )


def zone_index(site: Site, grid: Grid) -> tuple[NDArray[np.int16], tuple[Zone, ...]]:
    """Rasterise a site's zones onto ``grid``.

    Parameters
    ----------
    site : Site
        The site, in any CRS (it is reprojected to the grid's CRS).
    grid : Grid
        Target pixel grid.

    Returns
    -------
    index : ndarray, shape (rows, cols), int16
        ``-1`` outside every zone, else the position in ``zones`` of the zone that
        contains the pixel centre. Where zones overlap, the later zone in the file wins
        (so write general zones first, specific ones, such as berths, after).
    zones : tuple of Zone
        The zones, in the order the index refers to (in the grid's CRS).
    """
    projected = site.project(grid.crs)
    index = np.full(grid.shape, -1, dtype=np.int16)
    for i, zone in enumerate(projected.zones):
        index[_rasterise(zone.geometry, grid)] = i
    return index, projected.zones


def outline_mask(site: Site, grid: Grid) -> NDArray[np.bool_]:
    """Pixels of ``grid`` whose centres fall inside the site outline."""
    return _rasterise(site.project(grid.crs).outline, grid)


def _rasterise(geom: BaseGeometry, grid: Grid) -> NDArray[np.bool_]:
    """Pixel-centre rasterisation of a (multi)polygon with holes (:func:`polygon_mask`)."""
    mask = np.zeros(grid.shape, dtype=bool)
    polys: Sequence[Polygon] = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    for poly in polys:
        mask |= _ring_mask(np.asarray(poly.exterior.coords), grid)
        for hole in poly.interiors:
            mask &= ~_ring_mask(np.asarray(hole.coords), grid)
    return mask


def _ring_mask(coords: NDArray[np.float64], grid: Grid) -> NDArray[np.bool_]:
    rows, cols = grid.rowcol(coords[:, 0], coords[:, 1])
    # integer (row, col) are pixel centres; our fractional rows have centres at +0.5
    return polygon_mask(rows - 0.5, cols - 0.5, grid.shape)


#: Rows of a polygon rasterised at once (bounds the crossing table to this many rows
#: times the number of edges).
_SCANLINE_ROWS = 512


def polygon_mask(
    rows: NDArray[np.float64], cols: NDArray[np.float64], shape: tuple[int, int]
) -> NDArray[np.bool_]:
    """Pixels whose centre ``(r, c)`` (integers) lies inside a polygon or on its boundary.

    The crossing test of O'Rourke (Computational Geometry in C, ch. 7), as
    :func:`skimage.draw.polygon` applies it pixel by pixel, evaluated one row at a time:
    an edge that straddles a row crosses it once; a crossing right of a pixel counts
    for it as a right crossing, one left of it as a left crossing. A pixel is inside
    when its right crossings are odd, on an edge when the two counts differ in
    parity, and on a vertex when it is one. The cost follows rows x edges plus the
    pixels of the polygon's bounding box, and no array of pixel coordinates is built.

    Parameters
    ----------
    rows, cols : ndarray, shape (n,), float64
        The vertices in pixel coordinates (a closed ring may repeat its first vertex).
    shape : (int, int)
        The grid; parts of the polygon outside it are cut off.

    Returns
    -------
    ndarray, shape ``shape``, bool

    Examples
    --------
    >>> polygon_mask(np.array([0.5, 0.5, 2.5, 2.5]), np.array([0.5, 3.5, 3.5, 0.5]), (4, 5))
    array([[False, False, False, False, False],
           [False,  True,  True,  True, False],
           [False,  True,  True,  True, False],
           [False, False, False, False, False]])
    """
    out = np.zeros(shape, dtype=bool)
    yp = np.asarray(rows, dtype=np.float64)
    xp = np.asarray(cols, dtype=np.float64)
    span = _scan_span(yp, xp, shape)
    if span is None:
        return out
    r_first, r_last, c_first, width = span
    from basewatch._scanline import fill_rows  # numba: loaded when a mask is drawn

    fill_rows(out, yp, xp, r_first=r_first, r_last=r_last, c_first=c_first, width=width)
    _vertices_on_centres(out, yp, xp)
    return out


def _scan_span(
    yp: NDArray[np.float64], xp: NDArray[np.float64], shape: tuple[int, int]
) -> tuple[int, int, int, int] | None:
    """First and last row, first column and width of the grid a polygon's vertices can
    reach (cut to the grid); None when it reaches none of it."""
    if len(yp) == 0:
        return None
    r_first = max(0, math.floor(float(yp.min())))
    r_last = min(shape[0] - 1, math.ceil(float(yp.max())))
    c_first = max(0, math.floor(float(xp.min())))
    c_last = min(shape[1] - 1, math.ceil(float(xp.max())))
    if r_first > r_last or c_first > c_last:
        return None
    return r_first, r_last, c_first, c_last - c_first + 1


def _polygon_mask_numpy(
    rows: NDArray[np.float64], cols: NDArray[np.float64], shape: tuple[int, int]
) -> NDArray[np.bool_]:
    """:func:`polygon_mask` in numpy, a block of rows at a time: the reference that
    defines the result of its kernel (:mod:`basewatch._scanline`)."""
    out = np.zeros(shape, dtype=bool)
    yp = np.asarray(rows, dtype=np.float64)
    xp = np.asarray(cols, dtype=np.float64)
    span = _scan_span(yp, xp, shape)
    if span is None:
        return out
    r_first, r_last, c_first, width = span
    yj, xj = np.roll(yp, 1), np.roll(xp, 1)
    for r0 in range(r_first, r_last + 1, _SCANLINE_ROWS):
        y = np.arange(r0, min(r_last + 1, r0 + _SCANLINE_ROWS), dtype=np.float64)[:, None]
        # a crossing right of the pixel flips pixels c < x (c <= ceil(x) - 1), one left
        # of it pixels c > x (c >= floor(x) + 1)
        right = _crossing_counts((yp > y) != (yj > y), y, xp, yp, xj, yj, c_first, width, True)
        left = _crossing_counts((yp < y) != (yj < y), y, xp, yp, xj, yj, c_first, width, False)
        block = (right % 2 == 1) | (right % 2 != left % 2)
        out[r0 : r0 + len(y), c_first : c_first + width] = block
    _vertices_on_centres(out, yp, xp)
    return out


def _vertices_on_centres(
    out: NDArray[np.bool_], yp: NDArray[np.float64], xp: NDArray[np.float64]
) -> None:
    """Vertices on the grid's pixel centres belong to the polygon."""
    vr, vc = np.rint(yp), np.rint(xp)
    on = (np.abs(yp - vr) < _VERTEX_EPS) & (np.abs(xp - vc) < _VERTEX_EPS)
    on &= (vr >= 0) & (vr < out.shape[0]) & (vc >= 0) & (vc < out.shape[1])
    out[vr[on].astype(np.int64), vc[on].astype(np.int64)] = True


#: How close a vertex must be to a pixel centre to count as on it (as skimage).
_VERTEX_EPS = 1e-12


def _crossing_counts(
    straddles: NDArray[np.bool_],
    y: NDArray[np.float64],
    xp: NDArray[np.float64],
    yp: NDArray[np.float64],
    xj: NDArray[np.float64],
    yj: NDArray[np.float64],
    c_first: int,
    width: int,
    right: bool,
) -> NDArray[np.int32]:
    """Per pixel of a block of rows, how many straddling edges cross the row to its
    right (``right``) or to its left: shape (rows, width)."""
    ri, ei = np.nonzero(straddles)
    yy = y[ri, 0]
    x = (xp[ei] * (yj[ei] - yy) - xj[ei] * (yp[ei] - yy)) / (yj[ei] - yp[ei])
    flips = np.zeros((len(y), width + 1), dtype=np.int32)
    if right:
        last = np.clip(np.ceil(x) - 1 - c_first, -1, width - 1).astype(np.int64)
        np.add.at(flips, (ri, last + 1), 1)
        return np.cumsum(flips[:, ::-1], axis=1)[:, ::-1][:, 1:]
    first = np.clip(np.floor(x) + 1 - c_first, 0, width).astype(np.int64)
    np.add.at(flips, (ri, first), 1)
    return np.cumsum(flips, axis=1)[:, :-1]


def _resolve(name_or_path: str | Path, folder: str | Path | None) -> Path:
    p = Path(name_or_path)
    if p.suffix.lower() in {".geojson", ".json"} or p.exists():
        if not p.is_file():
            raise AOIError(f"{p}: AOI file not found; check the path")
        return p
    root = Path(folder) if folder is not None else bundled_dir("aoi")
    candidate = root / f"{name_or_path}.geojson"
    if candidate.is_file():
        return candidate
    known = list_sites(root)
    # accept the name in any case ("Hmeimim") or an alias ("khmeimim")
    lowered = str(name_or_path).casefold()
    names: dict[str, str] = {}
    for site_name in known:
        names[site_name.casefold()] = site_name
        try:
            meta = json.loads((root / f"{site_name}.geojson").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        for alias in meta.get("basewatch", {}).get("aliases", []):
            names.setdefault(str(alias).casefold(), site_name)
    if lowered in names:
        return root / f"{names[lowered]}.geojson"
    close = difflib.get_close_matches(lowered, names, n=1)
    hint = f"did you mean {names[close[0]]!r}? " if close else ""
    raise AOIError(
        f"unknown site {str(name_or_path)!r}; {hint}known sites: {', '.join(known) or 'none'} "
        f"(in {root}), or give the path to a site GeoJSON file"
    )


def _site_meta(doc: Mapping[str, Any], features: Sequence[Any], *, path: str) -> dict[str, Any]:
    """The ``basewatch`` member of a site file; when it was lost (a GIS that rewrote the
    file keeps only standard GeoJSON), the site name is taken from the outline
    feature's ``site`` or ``name`` property, or else from the file name."""
    meta = doc.get("basewatch")
    if isinstance(meta, dict) and isinstance(meta.get("site"), str) and meta["site"].strip():
        return dict(meta)
    if meta is not None and not isinstance(meta, dict):
        raise AOIError(
            f'{path}: the "basewatch" member must be an object, e.g. '
            '"basewatch": {"site": "hmeimim", "title": "Hmeimim air base"}'
        )
    for feat in features:
        props = feat.get("properties") if isinstance(feat, dict) else None
        if isinstance(props, dict) and props.get("kind") == "outline":
            for key in ("site", "name"):
                value = props.get(key)
                if isinstance(value, str) and _SITE_NAME.fullmatch(value.strip().casefold()):
                    return {**(meta or {}), "site": value.strip().casefold()}
    stem = Path(path).stem.casefold()
    if path != "<memory>" and _SITE_NAME.fullmatch(stem):
        return {**(meta or {}), "site": stem}
    raise AOIError(
        f'{path}: no site name: add the "basewatch" member, e.g. '
        '"basewatch": {"site": "hmeimim", "title": "Hmeimim air base"}, or a "site" '
        "property on the outline feature"
    )


#: What a site name may be when taken from a feature or a file name: a short slug.
_SITE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


def _utm_epsg(value: Any, *, path: str) -> int | None:
    """The ``utm_epsg`` of a site file, checked: a UTM zone's EPSG code or nothing."""
    if value is None:
        return None
    code = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().isdigit():
        code = int(value.strip())
    if code is None or not (32601 <= code <= 32660 or 32701 <= code <= 32760):
        raise AOIError(
            f'{path}: "utm_epsg" must be the EPSG code of a UTM zone (32601-32660 north, '
            f"32701-32760 south), got {value!r}; remove it to use the zone of the outline"
        )
    return code


def _numbers(coords: Any) -> Iterable[float]:
    """The numbers of a GeoJSON coordinate array, at any depth (others are skipped:
    :func:`shapely.geometry.shape` reports them)."""
    if isinstance(coords, int | float) and not isinstance(coords, bool):
        yield float(coords)
    elif isinstance(coords, list | tuple):
        for c in coords:
            yield from _numbers(c)


def _feature_label(feat: Any, i: int) -> str:
    props = feat.get("properties") if isinstance(feat, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if name:
        return f"feature {i} ({name!r})"
    return f"feature {i}"


def _polygon(geometry: Any, *, path: str, label: str) -> Polygon | MultiPolygon:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if not isinstance(kind, str) or kind not in {"Polygon", "MultiPolygon"}:
        got = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise AOIError(f"{path}: {label} must be a Polygon or MultiPolygon, got {got}")
    if not all(math.isfinite(v) for v in _numbers(geometry.get("coordinates"))):
        raise AOIError(
            f"{path}: {label} has a coordinate that is not a finite number (NaN or "
            "infinity); fix or remove that vertex"
        )
    try:
        geom = shape(geometry)
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        shapely.errors.GEOSException,
    ) as exc:
        raise AOIError(f"{path}: {label} has malformed coordinates ({exc})") from exc
    if geom.is_empty:
        raise AOIError(f"{path}: {label} is empty")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise AOIError(
            f"{path}: {label} has coordinates outside longitude/latitude range "
            f"(bounds {minx:.1f}, {miny:.1f}, {maxx:.1f}, {maxy:.1f}); the file must be in "
            "EPSG:4326 degrees, longitude first"
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise AOIError(
            f"{path}: {label} is not a valid polygon ({reason}); fix it, e.g. with "
            "shapely.make_valid or QGIS 'Fix geometries'"
        )
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    raise AOIError(f"{path}: {label} must be a Polygon or MultiPolygon")  # pragma: no cover


# ---------------------------------------------------------------------------------------
# the analysis grid


@dataclass(frozen=True, eq=False)
class AOI:
    """Where to read: an outline in longitude/latitude and the grid every date goes onto.

    Attributes
    ----------
    name : str
    outline : shapely geometry
        Longitude/latitude (EPSG:4326).
    grid : Grid
        The analysis grid (UTM, 10 m) covering the outline with a margin.
    inside : ndarray, shape (rows, cols), bool
        Pixels of ``grid`` whose centres lie inside the outline (cloud fractions are
        computed over these).
    """

    name: str
    outline: BaseGeometry
    grid: Grid
    inside: NDArray[np.bool_]


def analysis_grid(
    outline: BaseGeometry, epsg: int, *, res: float = 10.0, margin_m: float = 100.0
) -> Grid:
    """A north-up grid in ``EPSG:epsg`` covering ``outline`` (longitude/latitude).

    The edges are snapped outward to multiples of ``res`` so that grids of one site
    are identical from run to run, and coincide with Sentinel-2 pixel edges (tile
    origins are whole multiples of 10 m in their UTM zone).
    """
    if res <= 0:
        raise InputError(f"grid resolution must be positive, got {res}")
    tr = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    minx, miny, maxx, maxy = outline.bounds
    xs = np.linspace(minx, maxx, 21)
    ys = np.linspace(miny, maxy, 21)
    gx, gy = np.meshgrid(xs, ys)
    px, py = tr.transform(gx.ravel(), gy.ravel())
    left = math.floor((float(np.min(px)) - margin_m) / res) * res
    right = math.ceil((float(np.max(px)) + margin_m) / res) * res
    bottom = math.floor((float(np.min(py)) - margin_m) / res) * res
    top = math.ceil((float(np.max(py)) + margin_m) / res) * res
    width = round((right - left) / res)
    height = round((top - bottom) / res)
    check_window_size(height, width, what="the grid of this outline")
    return Grid(f"EPSG:{epsg}", (res, 0.0, left, 0.0, -res, top), width, height)


def aoi_for_site(site: Site, *, res: float = 10.0, margin_m: float = 100.0) -> AOI:
    """The :class:`AOI` of a site: its outline on a grid in its UTM zone."""
    outline = site.project("EPSG:4326").outline
    grid = analysis_grid(outline, site.utm_epsg, res=res, margin_m=margin_m)
    return AOI(name=site.name, outline=outline, grid=grid, inside=outline_mask(site, grid))
