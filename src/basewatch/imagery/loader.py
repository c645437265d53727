"""The tile loader: from a site and dates to co-registered :class:`Scene` records.

For each date it searches a catalogue (:mod:`basewatch.imagery.catalog`), reads *only the AOI
window* of each band from cloud-optimised GeoTIFFs over HTTP (GDAL range requests
through rasterio), reprojects every date onto one grid (the site's UTM zone at 10 m),
masks nodata, cloud and shadow (Sentinel-2 scene classification), converts digital
numbers to reflectance with the catalogue's own offset convention, and moves the later
date onto the earlier one by the sub-pixel shift measured with phase correlation
(:mod:`basewatch.imagery.coreg`).

Every band read goes through a :class:`~basewatch.imagery.cache.TileCache`; with the cache
filled (``basewatch fetch``) a re-run touches no network. Transient failures (HTTP
429/5xx, timeouts, refused connections) are retried with exponential backoff, a
bounded number of times; damaged files fail at once. Nothing is cached from a read
that failed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import rasterio.env
from numpy.typing import NDArray
from rasterio.enums import Resampling

from basewatch.aoi import AOI
from basewatch.errors import (
    CatalogError,
    CoverageError,
    InputError,
    NoSceneError,
    RasterReadError,
)
from basewatch.grid import Grid
from basewatch.imagery.cache import TileCache
from basewatch.imagery.catalog import (
    S2_BANDS,
    S2_EXTRA_BANDS,
    SCL,
    Assessment,
    Candidate,
    CatalogSpec,
    HttpOptions,
    SasTokenSigner,
    candidate_from_item,
    choose_nearest,
    choose_sar_pair,
    resolve_catalog,
    search_items,
    search_static,
)
from basewatch.imagery.coreg import CoregParams, coregister
from basewatch.imagery.read import ReadStats, _describe_href, read_window
from basewatch.records import Scene
from basewatch.sensors import S2_SATURATED_DN

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: SCL classes that are not a view of the ground: no data, saturated/defective.
SCL_NODATA = frozenset({0, 1})
#: SCL classes masked as cloud or cloud shadow: shadow, cloud medium/high, thin cirrus.
SCL_CLOUD = frozenset({3, 8, 9, 10})
#: Band reads of one scene in flight at once (:meth:`TileLoader.read_bands`): the four
#: 10 m bands and the scene classification of a Sentinel-2 scene.
CONCURRENT_READS = 5

ATTRIBUTION_S2 = "Contains modified Copernicus Sentinel data {year}"
ATTRIBUTION_S1 = "Contains modified Copernicus Sentinel data {year}"


# ---------------------------------------------------------------------------------------
# configuration


@dataclass(frozen=True)
class StaticCatalog:
    """A static STAC catalogue on disk (``catalog.json`` and its item files)."""

    path: Path

    @property
    def name(self) -> str:
        return f"static:{self.path}"


@dataclass(frozen=True)
class LoaderConfig:
    """How the loader searches, reads and chooses.

    Attributes
    ----------
    cache : TileCache or None
        Disk cache (None: no caching).
    http : HttpOptions
        Timeouts, retries and backoff for every request.
    offline : bool
        Never touch the network: everything must come from the cache.
    refresh : bool
        Ignore cached search answers (re-query the catalogue); cached pixels are kept.
    max_cloud : float
        Largest fraction of the AOI that may be cloud or shadow (Sentinel-2).
    min_coverage : float
        Smallest fraction of the AOI a scene must have data for.
    window_days : int
        How far from a requested date a scene may be.
    coregister : bool
        Measure and apply the sub-pixel shift between dates.
    coreg : CoregParams
        The co-registration policy (band, smallest and largest shift applied).
    s2_bands, s1_bands : tuple of str
        Bands to read.
    s2_extra_bands : tuple of str
        Sentinel-2 bands read beside ``s2_bands`` when a scene has them (default B11,
        for the vessel classifier); when one date of a pair or series lacks one, it is
        left out of every date.
    on_band : callable or None
        Called as ``on_band(scene_id, band)`` after each band window is read or taken
        from the cache (a command's progress bar); the loader itself prints nothing.
    """

    cache: TileCache | None = None
    http: HttpOptions = field(default_factory=HttpOptions)
    offline: bool = False
    refresh: bool = False
    max_cloud: float = 0.3
    min_coverage: float = 0.9
    window_days: int = 10
    coregister: bool = True
    coreg: CoregParams = field(default_factory=CoregParams)
    s2_bands: tuple[str, ...] = S2_BANDS
    s2_extra_bands: tuple[str, ...] = S2_EXTRA_BANDS
    s1_bands: tuple[str, ...] = ("VV",)
    on_band: Callable[[str, str], None] | None = field(default=None, repr=False, compare=False)


# ---------------------------------------------------------------------------------------
# pure helpers


def scl_masks(
    scl: NDArray[np.floating], inside: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], float, float | None]:
    """Usable-pixel mask and AOI statistics from a scene classification layer.

    Parameters
    ----------
    scl : ndarray, shape (rows, cols)
        SCL classes on the analysis grid (NaN where the file had no data).
    inside : ndarray, shape (rows, cols), bool
        Pixels inside the AOI outline.

    Returns
    -------
    clear : ndarray, shape (rows, cols), bool
        Pixels with data that are neither cloud nor shadow (classes 3, 8, 9, 10) nor
        defective (0, 1).
    coverage : float
        Fraction of AOI pixels with data.
    cloud_fraction : float or None
        Fraction of the AOI pixels with data that are cloud or shadow (None if the
        scene has no data over the AOI).
    """
    classes = np.where(np.isfinite(scl), scl, 0).astype(np.int16)
    has_data = ~np.isin(classes, list(SCL_NODATA))
    cloud = np.isin(classes, list(SCL_CLOUD))
    clear = has_data & ~cloud
    n_inside = int(inside.sum())
    if n_inside == 0:
        raise InputError("the AOI covers no pixel of its grid; check the site outline")
    n_data = int((has_data & inside).sum())
    coverage = n_data / n_inside
    cloud_fraction = float((cloud & inside).sum()) / n_data if n_data else None
    return clear, coverage, cloud_fraction


# ---------------------------------------------------------------------------------------
# the loader


class TileLoader:
    """Search, choose, read and align scenes of one AOI from one catalogue.

    Parameters
    ----------
    source : CatalogSpec or StaticCatalog
        A STAC API or a static catalogue on disk.
    aoi : AOI
        Where to read, and the grid to read onto.
    config : LoaderConfig, optional
    """

    def __init__(
        self, source: CatalogSpec | StaticCatalog, aoi: AOI, config: LoaderConfig | None = None
    ) -> None:
        self.source = source
        self.aoi = aoi
        self.config = config or LoaderConfig()
        self.stats = ReadStats()
        self._signer: SasTokenSigner | None = None
        if isinstance(source, CatalogSpec) and source.sas_url:
            self._signer = SasTokenSigner(source.sas_url, http=self.config.http)

    @property
    def catalog_name(self) -> str:
        return self.source.name

    # -- search ----------------------------------------------------------------------
    def search(self, sensor: str, start: dt.date, end: dt.date) -> list[Candidate]:
        """Scenes of ``sensor`` touching the AOI between two dates (cached).

        Raises
        ------
        CoverageError
            The catalogue has no scene over the AOI at all (not on any date).
        NoSceneError
            It has some over the AOI, but none in the date range.
        CatalogError
            Searching failed (see :func:`basewatch.imagery.catalog.search_items`), or
            ``offline`` is set and the answer is not cached.
        """
        sensor = sensor.upper()
        items = self._search_items(sensor, start, end)
        candidates = [
            candidate_from_item(it, catalog=self.catalog_name, sensor=sensor) for it in items
        ]
        candidates = [c for c in candidates if c.footprint.intersects(self.aoi.outline)]
        if candidates:
            return sorted(candidates, key=lambda c: (c.datetime, c.id))
        # tell "nothing here at all" apart from "nothing on those dates"
        if self.config.offline and isinstance(self.source, CatalogSpec):
            raise NoSceneError(
                f"offline: no cached {sensor} scene of {self.catalog_name} over "
                f"{self.aoi.name!r} between {start} and {end}; run `basewatch fetch` for "
                "these dates with network access first"
            )
        wide = self._search_items(
            sensor, dt.date(2014, 4, 1), dt.date.today(), cache=False, max_items=1
        )
        if not wide:
            raise CoverageError(
                f"AOI {self.aoi.name!r} (bounds {_fmt_bounds(self.aoi.outline.bounds)}) is outside "
                f"every {sensor} scene of {self.catalog_name}; check the site, or the catalogue "
                "covers another area"
            )
        raise NoSceneError(
            f"no {sensor} scene of {self.catalog_name} over {self.aoi.name!r} between {start} and "
            f"{end} (there are scenes on other dates, e.g. "
            f"{str(wide[0].get('properties', {}).get('datetime', '?'))[:10]}); widen the range"
        )

    def _search_items(
        self,
        sensor: str,
        start: dt.date,
        end: dt.date,
        *,
        cache: bool = True,
        max_items: int = 500,
    ) -> list[dict[str, Any]]:
        source = self.source
        if isinstance(source, StaticCatalog):
            return search_static(
                source.path, sensor=sensor, aoi=self.aoi.outline, start=start, end=end
            )
        query = {
            "catalog": source.url,
            "collection": source.collection(sensor),
            "aoi": self.aoi.outline.wkt,
        }
        store = self.config.cache if cache else None
        doc = store.get_search(query) if store is not None else None
        ranges = [
            (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
            for a, b in (doc["ranges"] if doc else [])
        ]
        known: list[dict[str, Any]] = list(doc["items"]) if doc else []
        if doc and not self.config.refresh and _covers(ranges, start, end):
            return _in_range(known, start, end)
        if self.config.offline:
            if doc and any(a <= end and start <= b for a, b in ranges):
                log.warning(
                    "offline: the cached search covers only %s of %s..%s",
                    ", ".join(f"{a}..{b}" for a, b in ranges),
                    start,
                    end,
                )
                return _in_range(known, start, end)
            raise CatalogError(
                f"offline: no cached search of {source.name} for {self.aoi.name!r} "
                f"{start}..{end}; run `basewatch fetch` with network access first"
            )
        self.stats.add("searches")
        items = search_items(
            source,
            sensor=sensor,
            aoi=self.aoi.outline,
            start=start,
            end=end,
            http=self.config.http,
            max_items=max_items,
        )
        if store is not None and len(items) < max_items:
            merged = {str(it.get("id")): it for it in known}
            merged.update({str(it.get("id")): it for it in items})
            spans = _merge_ranges([*ranges, (start, end)])
            store.put_search(
                query,
                [[a.isoformat(), b.isoformat()] for a, b in spans],
                sorted(merged.values(), key=lambda it: str(it.get("id"))),
            )
        return items

    # -- reading ---------------------------------------------------------------------
    def read_band(self, cand: Candidate, band: str) -> NDArray[np.float32]:
        """One band of one scene on the AOI grid, raw values (NaN = no data); cached."""
        asset = cand.asset(band)
        resampling = Resampling.nearest if asset.kind == "class" else Resampling.bilinear
        store = self.config.cache
        key = TileCache.band_key(
            catalog=cand.catalog,
            scene_id=cand.id,
            band=band,
            grid=self.aoi.grid,
            resampling=resampling.name,
        )
        if store is not None:
            hit = store.get_band(key, self.aoi.grid.shape)
            if hit is not None:
                self.stats.add("cache_hits")
                self._told(cand, band)
                return hit
        if self.config.offline:
            raise RasterReadError(
                f"offline: band {band} of {cand.id} is not in the cache; run `basewatch fetch` "
                "with network access first"
            )
        href = asset.href
        if self._signer is not None:
            href = self._signer.sign(href, cand.collection)
        self.stats.add("band_reads")
        spec = self.source if isinstance(self.source, CatalogSpec) else None
        arr = read_window(
            href,
            self.aoi.grid,
            resampling=resampling,
            nodata=asset.nodata,
            http=self.config.http,
            saturated=S2_SATURATED_DN if cand.sensor == "S2" and band != SCL else None,
            spec=spec,
            stats=self.stats,
        )
        if store is not None:
            store.put_band(key, arr)
        self._told(cand, band)
        return arr

    def _told(self, cand: Candidate, band: str) -> None:
        """Tell :attr:`LoaderConfig.on_band` that a band is in hand."""
        if self.config.on_band is not None:
            self.config.on_band(cand.id, band)

    def read_bands(self, cand: Candidate, bands: Sequence[str]) -> list[NDArray[np.float32]]:
        """:meth:`read_band` of each of ``bands``, read at once, in the order given.

        Each band of a scene is a file of its own: read one after the other, a scene
        waited on the network once per band (four or five round trips each). Here up to
        :data:`CONCURRENT_READS` are in flight together (:meth:`_at_once`). When a read
        fails, the others still finish (and are cached) before its error is raised.
        """
        return self._at_once(lambda band: self.read_band(cand, band), bands)

    def assess_all(self, cands: Sequence[Candidate]) -> list[Assessment]:
        """:meth:`assess` of each of ``cands``, their scene classifications read at once,
        in the order given (a survey of a year of revisits reads one per date)."""
        return self._at_once(self.assess, cands)

    def _at_once(self, read: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``read`` of each of ``items`` on up to :data:`CONCURRENT_READS` threads, each
        with the caller's GDAL options (a thread does not inherit rasterio's
        environment: credentials, a proxy, the monitor's settings), in order."""
        if len(items) < 2:
            return [read(x) for x in items]
        options = rasterio.env.getenv() if rasterio.env.hasenv() else {}

        def one(item: T) -> R:
            with rasterio.env.Env(**options):
                return read(item)

        workers = min(CONCURRENT_READS, len(items))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="basewatch-read") as pool:
            return list(pool.map(one, items))

    def assess(self, cand: Candidate) -> Assessment:
        """Coverage and cloud fraction of a candidate over the AOI.

        Sentinel-2: from its SCL layer (a small 20 m read, cached). Sentinel-1: from the
        footprint (radar sees through cloud).
        """
        if cand.sensor == "S2" and SCL in cand.assets:
            scl = self.read_band(cand, SCL)
            _, coverage, cloud = scl_masks(scl, self.aoi.inside)
            return Assessment(cand, coverage, cloud)
        return Assessment(cand, cand.coverage(self.aoi.outline), None)

    def read_scene(self, cand: Candidate, bands: Sequence[str] | None = None) -> Scene:
        """Read a candidate's bands into a :class:`Scene` on the AOI grid (by default
        the configuration's bands, and its extra Sentinel-2 bands that the scene has)."""
        if cand.sensor == "S2":
            return self._read_s2(cand, tuple(bands or self._s2_bands(cand)))
        return self._read_s1(cand, tuple(bands or self.config.s1_bands))

    def _s2_bands(self, cand: Candidate) -> tuple[str, ...]:
        """The configuration's Sentinel-2 bands, then those of its extra bands the
        candidate has."""
        base = self.config.s2_bands
        extra = (b for b in self.config.s2_extra_bands if b in cand.assets and b not in base)
        return (*base, *extra)

    def _read_s2(self, cand: Candidate, bands: tuple[str, ...]) -> Scene:
        with_scl = SCL in cand.assets
        read = self.read_bands(cand, [*bands, SCL] if with_scl else bands)
        raw, scl = (read[:-1], read[-1]) if with_scl else (read, None)
        assets = [cand.asset(b) for b in bands]
        data = np.stack(
            [
                ((r + np.float32(a.offset_dn)) * np.float32(a.scale)).astype(np.float32)
                for r, a in zip(raw, assets, strict=True)
            ]
        )
        # valid where the requested bands are (an extra 20 m band's nodata at a tile edge
        # does not take pixels away from the others)
        core = [i for i, b in enumerate(bands) if b not in self.config.s2_extra_bands]
        kept = data[: len(core)] if core == list(range(len(core))) else data[core]
        valid = np.asarray(np.isfinite(kept if core else data).all(axis=0), dtype=bool)
        del kept
        cloud: float | None = None
        meta: dict[str, Any] = {"catalog": cand.catalog, **_candidate_meta(cand)}
        if scl is not None:
            clear, coverage, cloud = scl_masks(scl, self.aoi.inside)
            valid &= clear
            meta["aoi_coverage"] = round(coverage, 4)
        else:
            meta["warnings"] = ["no SCL layer: clouds are not masked"]
        data[:, ~valid] = np.nan
        meta["offset_rule"] = assets[0].offset_rule
        check = _offset_sanity(data, valid)
        if check:
            meta.setdefault("warnings", []).append(check)
        return Scene(
            id=cand.id,
            sensor="S2",
            datetime=cand.datetime,
            bands=bands,
            data=data,
            valid=valid,
            grid=self.aoi.grid,
            source=_describe_href(assets[0].href),
            attribution=ATTRIBUTION_S2.format(year=cand.datetime.year),
            processing_baseline=cand.processing_baseline,
            offset_applied=assets[0].offset_dn,
            scale=assets[0].scale,
            cloud_fraction=None if cloud is None else round(cloud, 4),
            metadata=meta,
        )

    def _read_s1(self, cand: Candidate, bands: tuple[str, ...]) -> Scene:
        planes = []
        meta: dict[str, Any] = {"catalog": cand.catalog, **_candidate_meta(cand)}
        for b, arr in zip(bands, self.read_bands(cand, bands), strict=True):
            asset = cand.asset(b)
            if asset.kind == "amplitude":
                arr = np.square(arr, dtype=np.float32)
                meta["radiometry"] = "uncalibrated GRD intensity (DN squared), not sigma0"
            else:
                meta["radiometry"] = "gamma0 (radiometrically terrain corrected), linear"
            arr = np.where(arr > 0, arr, np.nan).astype(np.float32)
            planes.append(arr)
        data = np.stack(planes)
        valid = np.asarray(np.isfinite(data).all(axis=0), dtype=bool)
        data[:, ~valid] = np.nan
        return Scene(
            id=cand.id,
            sensor="S1",
            datetime=cand.datetime,
            bands=bands,
            data=data,
            valid=valid,
            grid=self.aoi.grid,
            source=_describe_href(cand.asset(bands[0]).href),
            attribution=ATTRIBUTION_S1.format(year=cand.datetime.year),
            metadata=meta,
        )

    # -- the whole job ---------------------------------------------------------------
    def load_pair(self, sensor: str, before: dt.date, after: dt.date) -> tuple[Scene, Scene]:
        """The best scene near ``before`` and near ``after``, read, masked and aligned.

        Sentinel-2: the nearest scene to each date with at most ``max_cloud`` of the AOI
        under cloud or shadow (measured from SCL inside the AOI). Sentinel-1: the pair
        from one relative orbit nearest to both dates. The ``after`` scene is shifted
        onto the ``before`` scene (``shift_px``).

        Raises
        ------
        InputError
            ``before`` is not earlier than ``after``.
        CoverageError, NoSceneError, CatalogError, RasterReadError
            See :meth:`search`, :func:`basewatch.imagery.catalog.choose_nearest`,
            :func:`read_window`.
        """
        if before >= after:
            raise InputError(f"--before ({before}) must be earlier than --after ({after})")
        sensor = sensor.upper()
        pad = dt.timedelta(days=self.config.window_days)
        cands = self.search(sensor, before - pad, after + pad)
        if sensor == "S2":
            b_pick = self._pick_s2(cands, before, "before")
            a_pool = [c for c in cands if c.datetime > b_pick.candidate.datetime]
            a_pick = self._pick_s2(a_pool or cands, after, "after")
        else:
            assessed = self.assess_all(cands)
            b_pick, a_pick = choose_sar_pair(
                assessed,
                before,
                after,
                min_coverage=self.config.min_coverage,
                window_days=self.config.window_days,
            )
        if b_pick.candidate.id == a_pick.candidate.id:
            raise NoSceneError(
                f"the same scene ({b_pick.candidate.id}) is the nearest usable one to both "
                f"{before} and {after}; give dates further apart"
            )
        # the two dates' files read together (each scene's bands at once inside)
        first, second = common_bands(
            self._at_once(self.read_scene, [b_pick.candidate, a_pick.candidate])
        )
        if self.config.coregister:
            second = coregister(first, second, params=self.config.coreg, overwrite=True)
        return first, second

    def load_scene(
        self, sensor: str, when: dt.date, *, bands: Sequence[str] | None = None
    ) -> Scene:
        """The best scene near ``when``, read and masked (one date: no alignment).

        Sentinel-2: the nearest scene with at most ``max_cloud`` of the AOI under cloud
        or shadow; Sentinel-1: the nearest scene covering ``min_coverage`` of the AOI.
        ``bands`` default to the sensor's bands of :class:`LoaderConfig`.

        Raises
        ------
        CoverageError, NoSceneError, CatalogError, RasterReadError
            See :meth:`search`, :func:`basewatch.imagery.catalog.choose_nearest`,
            :func:`read_window`.
        """
        sensor = sensor.upper()
        pad = dt.timedelta(days=self.config.window_days)
        cands = self.search(sensor, when - pad, when + pad)
        if sensor == "S2":
            pick = self._pick_s2(cands, when, "")
        else:
            pick = choose_nearest(
                self.assess_all(cands),
                when,
                max_cloud=1.0,
                min_coverage=self.config.min_coverage,
                window_days=self.config.window_days,
                what="scene",
                prefer_epsg=_epsg_of(self.aoi.grid),
            )
        return self.read_scene(pick.candidate, bands)

    def _pick_s2(self, cands: Sequence[Candidate], target: dt.date, what: str) -> Assessment:
        window = self.config.window_days
        near = [c for c in cands if abs((c.date - target).days) <= window]
        near.sort(key=lambda c: (abs((c.date - target).days), c.id))
        assessed = self.assess_all(near)
        return choose_nearest(
            assessed or self.assess_all(cands),
            target,
            max_cloud=self.config.max_cloud,
            min_coverage=self.config.min_coverage,
            window_days=window,
            what=f"{what} scene".strip(),
            prefer_epsg=_epsg_of(self.aoi.grid),
        )

    def fill_cache(
        self, sensor: str, start: dt.date, end: dt.date
    ) -> Iterator[tuple[Candidate, str]]:
        """Read every band of every scene over the AOI in a date range into the cache.

        Yields ``(candidate, band)`` for each band once its scene's bands, read at once
        (:meth:`read_bands`), are stored (for a progress bar). A band that fails raises
        after the others of its scene and the earlier scenes are safely cached.
        """
        sensor = sensor.upper()
        for cand in self.search(sensor, start, end):
            bands = (*self._s2_bands(cand), SCL) if sensor == "S2" else self.config.s1_bands
            self.read_bands(cand, [b for b in bands if b in cand.assets])
            for band in bands:
                yield cand, band

    def plan(self, sensor: str, start: dt.date, end: dt.date) -> list[tuple[Candidate, str]]:
        """The (scene, band) reads :meth:`fill_cache` will make."""
        sensor = sensor.upper()
        return [
            (c, b)
            for c in self.search(sensor, start, end)
            for b in ((*self._s2_bands(c), SCL) if sensor == "S2" else self.config.s1_bands)
        ]


def common_bands(scenes: Sequence[Scene]) -> list[Scene]:
    """``scenes`` with only the bands every one of them has (in the first scene's
    order): dates of one pair or series are compared band for band, and an extra band
    (:data:`~basewatch.imagery.catalog.S2_EXTRA_BANDS`) one date lacks is left out of
    all. Scenes that already agree are returned as they are.

    Parameters
    ----------
    scenes : sequence of Scene

    Returns
    -------
    list of Scene
    """
    if not scenes:
        return []
    shared = [b for b in scenes[0].bands if all(b in s.bands for s in scenes[1:])]
    out = []
    for s in scenes:
        if list(s.bands) == shared:
            out.append(s)
            continue
        idx = [s.bands.index(b) for b in shared]
        data = s.data[: len(idx)] if idx == list(range(len(idx))) else s.data[idx]
        out.append(replace(s, bands=tuple(shared), data=data))
    return out


def _epsg_of(grid: Grid) -> int | None:
    code = grid.pyproj_crs.to_epsg()
    return int(code) if code is not None else None


def _covers(ranges: Sequence[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> bool:
    """True when the union of ``ranges`` (inclusive) contains ``start..end``."""
    return any(a <= start and end <= b for a, b in _merge_ranges(ranges))


def _merge_ranges(ranges: Sequence[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _in_range(
    items: Sequence[dict[str, Any]], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Items whose acquisition date (UTC) lies in ``start..end``."""
    out = []
    for it in items:
        props = it.get("properties") or {}
        stamp = str(props.get("datetime") or props.get("start_datetime") or "")[:10]
        try:
            day = dt.date.fromisoformat(stamp)
        except ValueError:
            continue
        if start <= day <= end:
            out.append(it)
    return out


def _candidate_meta(cand: Candidate) -> dict[str, Any]:
    return {
        "collection": cand.collection,
        "platform": cand.platform,
        "relative_orbit": cand.relative_orbit,
        "orbit_state": cand.orbit_state,
        "scene_cloud_percent": cand.scene_cloud,
    }


#: A reflectance below this is clearly negative (beyond noise and atmospheric correction).
NEGATIVE_REFLECTANCE = -0.02
#: Share of clearly negative reflectances above which a scene looks offset twice.
MAX_NEGATIVE_SHARE = 0.2


def _offset_sanity(data: NDArray[np.float32], valid: NDArray[np.bool_]) -> str | None:
    """A warning when reflectances look offset twice (many clearly negative values)."""
    if not valid.any():
        return None
    vals = data[:, valid]
    negative = float(np.mean(vals < NEGATIVE_REFLECTANCE))
    if negative > MAX_NEGATIVE_SHARE:
        return (
            f"{negative:.0%} of reflectances are below {NEGATIVE_REFLECTANCE}: the catalogue's "
            "offset metadata "
            "may be wrong for this scene (offset applied twice?)"
        )
    return None


def _fmt_bounds(b: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.4f}" for v in b)


def default_catalog(sensor: str) -> str:
    """The catalogue used when none is given: Earth Search for Sentinel-2, Planetary Computer
    for Sentinel-1 (terrain-corrected backscatter, open access)."""
    return "planetary-computer" if sensor.lower() == "s1" else "earthsearch"


def open_catalog(catalog: str, *, sas_url: str | None = None) -> CatalogSpec | StaticCatalog:
    """The catalogue a name, URL or path stands for.

    Parameters
    ----------
    catalog : str
        ``earthsearch``, ``planetary-computer``, ``cdse``, the URL of a STAC API, or the
        path of a static STAC catalogue (``catalog.json`` or its folder).
    sas_url : str, optional
        A Planetary Computer style SAS token service for a catalogue given by URL.

    Returns
    -------
    CatalogSpec or StaticCatalog

    Raises
    ------
    InputError
        A static catalogue path that does not exist, or an unknown catalogue name.
    """
    p = Path(catalog)
    if catalog.endswith(".json") or (p.is_dir() and (p / "catalog.json").is_file()):
        if not p.exists():
            raise InputError(f"{p}: static catalogue not found")
        return StaticCatalog(p)
    return resolve_catalog(catalog, sas_url=sas_url)
