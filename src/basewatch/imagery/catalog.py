"""STAC catalogues: search, asset mapping, radiometric conventions and scene choice.

Three public catalogues publish the same Sentinel scenes under different conventions;
this module turns an item from any of them into a :class:`Candidate` with, for each
band, the href to read and the exact arithmetic from digital number to physical unit:

========================  ==========================  ==================================
catalogue                 assets                      scale / offset
========================  ==========================  ==================================
Earth Search v1           ``red``, ``nir``, ``scl``   ``raster:bands`` scale/offset, and
                          (COG, ``eo:bands`` names)   ``earthsearch:boa_offset_applied``
Planetary Computer        ``B04``, ``B08``, ``SCL``   none: offset from
                          (COG, SAS-signed URLs)      ``s2:processing_baseline``
Copernicus Data Space     ``B04_10m``, ``SCL_20m``    STAC 1.1 ``raster:scale`` /
(STAC 1.1)                (JPEG 2000 on S3)           ``raster:offset`` per asset
========================  ==========================  ==================================

Sentinel-2 processing baseline 04.00 (2022-01-25) added 1000 to every L2A digital
number. Earth Search v1 re-encodes those scenes with the offset already removed and
says so with ``earthsearch:boa_offset_applied: true`` -- while still advertising
``offset: -0.1`` in ``raster:bands`` (its maintainers: the flag is the truth, see
Element84/earth-search#9). Applying that offset again darkens every pixel by 0.1 of
reflectance: the most reported silent error in Sentinel-2 time series.
:func:`radiometry` encodes the rules, and records which one it used.

Search runs through pystac-client (``POST /search`` with paging by ``next`` links) with
bounded retries and backoff; a catalogue that answers HTTP errors, times out, or sends
something that is not STAC raises :class:`~basewatch.errors.CatalogError` naming the
catalogue and what to do. Scene choice (:func:`choose_nearest`,
:func:`choose_sar_pair`) is pure code.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import math
import re
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlparse

import requests
import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from basewatch._files import read_bounded
from basewatch._words import plural
from basewatch.errors import CatalogError, CoverageError, InputError, NoSceneError
from basewatch.sensors import (
    S2_BASELINE_OFFSET_DN,
    S2_OFFSET_BASELINE_DATE,
    S2_REFLECTANCE_SCALE,
    s1_platform_orbit,
    s1_relative_orbit,
    s2_offset_applies,
)

__all__ = [
    "CATALOGS",
    "BandAsset",
    "Candidate",
    "CatalogEntry",
    "CatalogSpec",
    "HttpOptions",
    "SasTokenSigner",
    "candidate_from_item",
    "choose_nearest",
    "choose_sar_pair",
    "is_catalogue_file",
    "parse_baseline",
    "radiometry",
    "read_catalogue_file",
    "refuse_catalogue_file",
    "resolve_catalog",
    "scenes_over",
    "search_items",
    "search_static",
    "unreachable_message",
    "unreachable_reason",
]

#: Optical bands basewatch reads from Sentinel-2 (10 m), and the classification layer.
S2_BANDS: tuple[str, ...] = ("B02", "B03", "B04", "B08")
#: Bands read beside :data:`S2_BANDS` where a scene has them: the short-wave infrared
#: band (20 m, resampled onto the 10 m grid) that the vessel classifier needs.
S2_EXTRA_BANDS: tuple[str, ...] = ("B11",)
SCL = "SCL"
#: Polarisations basewatch reads from Sentinel-1.
S1_BANDS: tuple[str, ...] = ("VV", "VH")

_BASELINE_RE = re.compile(r"(?<![0-9])N?(\d{2})\.?(\d{2})(?![0-9])")
_BAND_RE = re.compile(r"^B(0[1-9]|1[0-2]|8A)$")


@dataclass(frozen=True)
class HttpOptions:
    """Network behaviour shared by catalogue searches and raster reads.

    Attributes
    ----------
    timeout_s : float
        Seconds to wait for a connection or a response before giving up on an attempt.
    retries : int
        Further attempts after a failed one (HTTP 429/5xx, timeouts, dropped
        connections). Total attempts are ``retries + 1``.
    backoff_s : float
        Wait before the first retry; it doubles for each further retry.
    """

    timeout_s: float = 30.0
    retries: int = 3
    backoff_s: float = 0.5

    def delays(self) -> list[float]:
        """Wait before each retry, in seconds (exponential backoff)."""
        return [self.backoff_s * 2**i for i in range(max(self.retries, 0))]

    def urllib3_retry(self) -> Retry:
        """The urllib3 retry policy: HTTP 429/5xx, timeouts and dropped connections are
        retried with backoff; a host that cannot be reached at all (its name does not
        resolve, no route, connection refused) fails at once (:func:`unreachable_reason`)."""
        return _RetryReachable(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            backoff_factor=self.backoff_s,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=None,  # POST /search is idempotent: retry it too
            raise_on_status=False,
        )


#: ``errno`` values of a connection no retry will make: refused, no route, network down.
_UNREACHABLE_ERRNOS: Mapping[int, str] = MappingProxyType(
    {
        errno.ECONNREFUSED: "connection refused",
        errno.ENETUNREACH: "network unreachable",
        errno.EHOSTUNREACH: "no route to host",
        errno.ENETDOWN: "network down",
    }
)


def unreachable_reason(exc: BaseException) -> str | None:
    """Why a request could not reach its host, when no retry can help; else None.

    Follows the exception's causes (``__cause__``, ``__context__``, urllib3's
    ``reason``, exceptions passed as arguments) to a DNS failure (``"name not
    resolved"``) or a connection refused, without route or without network. Timeouts,
    HTTP errors and dropped connections give None: they may pass, and are retried.

    Parameters
    ----------
    exc : BaseException
        What a request raised (requests, urllib3, pystac-client or a socket error).

    Returns
    -------
    str or None
    """
    todo: list[BaseException] = [exc]
    seen: set[int] = set()
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, socket.gaierror):
            return "name not resolved"
        if isinstance(e, OSError) and e.errno is not None and e.errno in _UNREACHABLE_ERRNOS:
            return _UNREACHABLE_ERRNOS[e.errno]
        more = (e.__cause__, e.__context__, getattr(e, "reason", None), *e.args)
        todo.extend(m for m in more if isinstance(m, BaseException))
    return None


def unreachable_message(host: str, reason: str) -> str:
    """The one line said when ``host`` cannot be reached (:func:`unreachable_reason`)."""
    return (
        f"cannot reach {host} ({reason}): no network? `scenes` and `sites show` read a "
        "catalogue file (--catalog FILE; the sites' are in imagery/catalogs/), `run` a "
        "folder of GeoTIFFs (--catalog FOLDER) or the cache `fetch` filled (--offline)"
    )


def _raise_if_unreachable(exc: BaseException, url: str) -> None:
    """Raise the one-line :class:`CatalogError` of :func:`unreachable_message` when
    ``exc`` says the host of ``url`` cannot be reached."""
    why = unreachable_reason(exc)
    if why is not None:
        raise CatalogError(unreachable_message(urlparse(url).netloc or url, why)) from exc


class _RetryReachable(Retry):
    """urllib3's :class:`Retry` that gives up at once on a host it cannot reach."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> _RetryReachable:
        if error is not None and unreachable_reason(error) is not None:
            raise MaxRetryError(_pool, url or "", error) from error
        return super().increment(method, url, response, error, _pool, _stacktrace)


@dataclass(frozen=True)
class CatalogSpec:
    """A STAC API and the collections basewatch searches in it.

    Attributes
    ----------
    name : str
        Short name (``"earthsearch"``), shown in messages and evidence.
    url : str
        Root of the STAC API (landing page).
    collections : mapping
        Collection id per sensor: ``{"S2": "sentinel-2-l2a", "S1": "sentinel-1-rtc"}``.
    sas_url : str or None
        Planetary Computer SAS token service (``.../api/sas/v1``); when set, every
        asset href is signed with a token from ``{sas_url}/token/{collection}``.
    s3_endpoint : str or None
        S3 endpoint for ``s3://`` asset hrefs (CDSE ``eodata.dataspace.copernicus.eu``);
        None for AWS.
    requester_pays : bool
        ``s3://`` assets are in a requester-pays bucket (Earth Search Sentinel-1 GRD).
    """

    name: str
    url: str
    collections: Mapping[str, str]
    sas_url: str | None = None
    s3_endpoint: str | None = None
    requester_pays: bool = False

    def collection(self, sensor: str) -> str:
        key = sensor.upper()
        if key not in self.collections:
            raise InputError(
                f"catalogue {self.name} has no collection for sensor {sensor!r}; "
                f"it has {', '.join(sorted(self.collections))}"
            )
        return self.collections[key]


#: The public catalogues basewatch knows by name (``--catalog``).
CATALOGS: Mapping[str, CatalogSpec] = MappingProxyType(
    {
        "earthsearch": CatalogSpec(
            name="earthsearch",
            url="https://earth-search.aws.element84.com/v1",
            collections=MappingProxyType({"S2": "sentinel-2-l2a", "S1": "sentinel-1-grd"}),
            requester_pays=True,
        ),
        "planetary-computer": CatalogSpec(
            name="planetary-computer",
            url="https://planetarycomputer.microsoft.com/api/stac/v1",
            collections=MappingProxyType({"S2": "sentinel-2-l2a", "S1": "sentinel-1-rtc"}),
            sas_url="https://planetarycomputer.microsoft.com/api/sas/v1",
        ),
        "cdse": CatalogSpec(
            name="cdse",
            url="https://stac.dataspace.copernicus.eu/v1",
            collections=MappingProxyType({"S2": "sentinel-2-l2a", "S1": "sentinel-1-grd"}),
            s3_endpoint="eodata.dataspace.copernicus.eu",
        ),
    }
)
_ALIASES = {
    "es": "earthsearch",
    "earth-search": "earthsearch",
    "pc": "planetary-computer",
    "planetary": "planetary-computer",
    "copernicus": "cdse",
}


def resolve_catalog(
    name_or_url: str,
    *,
    sas_url: str | None = None,
    collections: Mapping[str, str] | None = None,
) -> CatalogSpec:
    """The :class:`CatalogSpec` for a known name, or for the URL of another STAC API.

    A URL gets the collection names of Earth Search/Planetary Computer for Sentinel-2
    (``sentinel-2-l2a``) and ``sentinel-1-rtc`` for Sentinel-1 unless ``collections``
    says otherwise; ``sas_url`` turns on Planetary Computer signing.
    """
    key = _ALIASES.get(name_or_url.lower(), name_or_url.lower())
    if key in CATALOGS:
        spec = CATALOGS[key]
        if sas_url is None and collections is None:
            return spec
        return CatalogSpec(
            name=spec.name,
            url=spec.url,
            collections=MappingProxyType(dict(collections or spec.collections)),
            sas_url=sas_url or spec.sas_url,
            s3_endpoint=spec.s3_endpoint,
            requester_pays=spec.requester_pays,
        )
    parsed = urlparse(name_or_url)
    if parsed.scheme in {"http", "https"} and parsed.netloc:
        return CatalogSpec(
            name=parsed.netloc,
            url=name_or_url.rstrip("/"),
            collections=MappingProxyType(
                dict(collections or {"S2": "sentinel-2-l2a", "S1": "sentinel-1-rtc"})
            ),
            sas_url=sas_url,
        )
    raise InputError(
        f"unknown catalogue {name_or_url!r}; use one of {', '.join(CATALOGS)}, the URL of a "
        "STAC API (https://...), or the path of a static STAC catalogue (catalog.json)"
    )


# ---------------------------------------------------------------------------------------
# items -> candidates (pure)


@dataclass(frozen=True)
class BandAsset:
    """One band of one scene: where it is and how to turn its numbers into physics.

    ``value = (DN + offset_dn) * scale`` for ``kind == "reflectance"``; ``"class"`` is
    read as is (SCL); ``"gamma0"`` is linear backscatter as stored; ``"amplitude"`` is a
    GRD digital number, squared on reading (uncalibrated intensity).
    """

    band: str
    href: str
    kind: str
    scale: float = 1.0
    offset_dn: float = 0.0
    nodata: float | None = None
    resolution: float | None = None
    offset_rule: str = ""


@dataclass(frozen=True)
class Candidate:
    """A scene found in a catalogue, before any pixel is read.

    Attributes
    ----------
    id, collection, catalog : str
        Item id, its collection, and the catalogue's name.
    sensor : str
        ``"S2"`` or ``"S1"``.
    datetime : datetime.datetime
        Acquisition time (UTC).
    footprint : shapely geometry
        Data footprint in longitude/latitude.
    scene_cloud : float or None
        The catalogue's cloud cover for the whole tile, percent (not the AOI's).
    relative_orbit : int or None
        Sentinel-1/2 relative orbit (track).
    orbit_state : str or None
        ``"ascending"`` / ``"descending"``.
    platform : str
    processing_baseline : str or None
        ``"05.11"`` for Sentinel-2.
    epsg : int or None
        EPSG code of the scene's native grid (``proj:epsg`` / ``proj:code``).
    assets : mapping of str to BandAsset
        By band name (``"B04"``, ``"SCL"``, ``"VV"``).
    item : mapping
        The STAC item as the catalogue sent it (for caching and evidence).
    """

    id: str
    collection: str
    catalog: str
    sensor: str
    datetime: dt.datetime
    footprint: BaseGeometry
    scene_cloud: float | None
    relative_orbit: int | None
    orbit_state: str | None
    platform: str
    processing_baseline: str | None
    assets: Mapping[str, BandAsset]
    item: Mapping[str, Any] = field(repr=False, default_factory=dict)
    epsg: int | None = None

    @property
    def date(self) -> dt.date:
        return self.datetime.date()

    def coverage(self, aoi: BaseGeometry) -> float:
        """Fraction of the AOI (longitude/latitude) inside the scene footprint."""
        area = aoi.area
        if area <= 0:
            return 1.0 if self.footprint.intersects(aoi) else 0.0
        return float(self.footprint.intersection(aoi).area / area)

    def asset(self, band: str) -> BandAsset:
        try:
            return self.assets[band]
        except KeyError:
            raise CatalogError(
                f"scene {self.id} ({self.catalog}) has no readable asset for band {band}; "
                f"it has {', '.join(sorted(self.assets)) or 'none'}"
            ) from None

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "catalog": self.catalog,
            "collection": self.collection,
            "datetime": self.datetime.isoformat(),
            "platform": self.platform,
            "relative_orbit": self.relative_orbit,
            "orbit_state": self.orbit_state,
            "scene_cloud_percent": self.scene_cloud,
            "processing_baseline": self.processing_baseline,
        }


def parse_baseline(value: Any) -> str | None:
    """Normalise a processing baseline (``"05.11"``, ``"N0511"``, ``5.11``) or None."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = f"{float(value):05.2f}"
    m = _BASELINE_RE.search(str(value))
    if not m:
        return None
    return f"{m[1]}.{m[2]}"


def _baseline_at_least_0400(baseline: str | None) -> bool | None:
    return None if baseline is None else s2_offset_applies(baseline)


def radiometry(
    *,
    processing_baseline: str | None,
    acquired: dt.date,
    boa_offset_applied: bool | None,
    meta_scale: float | None,
    meta_offset: float | None,
) -> tuple[float, float, str]:
    """Scale and digital-number offset of a Sentinel-2 reflectance asset.

    Parameters
    ----------
    processing_baseline : str or None
        ``"05.11"``; None if the catalogue does not say.
    acquired : date
        Acquisition date (fallback when the baseline is unknown).
    boa_offset_applied : bool or None
        Earth Search's ``earthsearch:boa_offset_applied`` (None when absent).
    meta_scale, meta_offset : float or None
        ``scale``/``offset`` from ``raster:bands`` (STAC 1.0) or ``raster:scale`` /
        ``raster:offset`` (STAC 1.1), in physical units (``reflectance = DN * scale +
        offset``); None when absent.

    Returns
    -------
    scale : float
        Multiplier from offset-corrected DN to reflectance.
    offset_dn : float
        Added to the DN before scaling (``-1000`` or ``0``).
    rule : str
        Which rule decided, for the evidence record.
    """
    scale = float(meta_scale) if meta_scale else S2_REFLECTANCE_SCALE
    new_baseline = _baseline_at_least_0400(processing_baseline)
    if boa_offset_applied is True:
        return (
            scale,
            0.0,
            (
                "earthsearch:boa_offset_applied=true: the catalogue already removed the "
                "baseline>=04.00 offset from the DNs (its raster:bands offset is not applied again)"
            ),
        )
    if new_baseline is False:
        note = f" (catalogue offset {meta_offset:g} ignored)" if meta_offset else ""
        return scale, 0.0, f"processing baseline {processing_baseline} < 04.00: no offset{note}"
    if meta_offset is not None:
        return (
            scale,
            round(float(meta_offset) / scale, 6),
            (f"catalogue raster metadata: offset {meta_offset:g} at scale {scale:g}"),
        )
    if new_baseline is None:
        inferred = acquired >= S2_OFFSET_BASELINE_DATE
        return (
            scale,
            S2_BASELINE_OFFSET_DN if inferred else 0.0,
            (
                "processing baseline unknown; offset inferred from the acquisition date "
                f"({'on/after' if inferred else 'before'} {S2_OFFSET_BASELINE_DATE})"
            ),
        )
    return (
        scale,
        S2_BASELINE_OFFSET_DN,
        f"processing baseline {processing_baseline} >= 04.00: DN - {-S2_BASELINE_OFFSET_DN:g}",
    )


def candidate_from_item(
    item: Mapping[str, Any], *, catalog: str = "", sensor: str | None = None
) -> Candidate:
    """Build a :class:`Candidate` from a STAC item dict of any of the three catalogues.

    Raises
    ------
    CatalogError
        The item lacks an id, a datetime or a geometry, or is not a JSON object.
    """
    if not isinstance(item, Mapping):
        raise CatalogError(f"catalogue {catalog}: expected a STAC item object, got {item!r:.80}")
    item_id = item.get("id")
    props = item.get("properties")
    if not isinstance(item_id, str) or not isinstance(props, Mapping):
        raise CatalogError(
            f"catalogue {catalog}: an item has no id or no properties; the catalogue did "
            "not answer STAC items (check the --catalog URL)"
        )
    try:
        return _candidate(item, item_id, props, catalog=catalog, sensor=sensor)
    except CatalogError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, GEOSException) as exc:
        # a field of an unexpected type deep in the item (assets, bbox, orbit...)
        raise CatalogError(
            f"catalogue {catalog}: item {item_id} is malformed ({type(exc).__name__}: "
            f"{_short(str(exc), 120)}); the catalogue did not answer well-formed STAC items"
        ) from exc


def _candidate(
    item: Mapping[str, Any],
    item_id: str,
    props: Mapping[str, Any],
    *,
    catalog: str,
    sensor: str | None,
) -> Candidate:
    """:func:`candidate_from_item` past its first checks."""
    stamp = props.get("datetime") or props.get("start_datetime")
    try:
        when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        raise CatalogError(
            f"catalogue {catalog}: item {item_id} has no valid datetime ({stamp!r})"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    try:
        footprint = shape(item["geometry"]) if item.get("geometry") else None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CatalogError(
            f"catalogue {catalog}: item {item_id} has a bad geometry ({exc})"
        ) from exc
    if footprint is None:
        bbox = item.get("bbox")
        if not isinstance(bbox, list | tuple) or len(bbox) < 4:
            raise CatalogError(f"catalogue {catalog}: item {item_id} has no geometry nor bbox")
        footprint = shapely.box(*bbox[:2], *bbox[-2:]) if len(bbox) == 6 else shapely.box(*bbox)
    collection = str(item.get("collection") or "")
    sensor = (sensor or _guess_sensor(collection, props)).upper()
    baseline = parse_baseline(
        props.get("s2:processing_baseline")
        or props.get("processing:version")
        or props.get("sentinel:processing_baseline")
    )
    if baseline is None and sensor == "S2":
        uri = str(props.get("s2:product_uri") or item_id)
        m = re.search(r"_N(\d{2})(\d{2})_", uri)
        baseline = f"{m[1]}.{m[2]}" if m else None
    assets_raw = item.get("assets")
    assets_map: Mapping[str, Any] = assets_raw if isinstance(assets_raw, Mapping) else {}
    if sensor == "S2":
        applied = props.get("earthsearch:boa_offset_applied")
        if applied is None:
            applied = props.get("sentinel:boa_offset_applied")
        assets = _s2_assets(
            assets_map,
            baseline=baseline,
            acquired=when.date(),
            boa_offset_applied=applied if isinstance(applied, bool) else None,
        )
    else:
        assets = _s1_assets(assets_map, collection)
    cloud = props.get("eo:cloud_cover")
    return Candidate(
        id=item_id,
        collection=collection,
        catalog=catalog,
        sensor=sensor,
        datetime=when,
        footprint=footprint,
        scene_cloud=float(cloud) if isinstance(cloud, int | float) else None,
        relative_orbit=_relative_orbit(props, item_id),
        epsg=_epsg(props),
        orbit_state=str(props["sat:orbit_state"]) if props.get("sat:orbit_state") else None,
        platform=str(props.get("platform") or ""),
        processing_baseline=baseline if sensor == "S2" else None,
        assets=MappingProxyType(assets),
        item=item,
    )


def _epsg(props: Mapping[str, Any]) -> int | None:
    value = props.get("proj:epsg")
    if isinstance(value, int):
        return value
    code = props.get("proj:code")
    if isinstance(code, str) and code.upper().startswith("EPSG:"):
        try:
            return int(code.split(":", 1)[1])
        except ValueError:
            return None
    return None


def _guess_sensor(collection: str, props: Mapping[str, Any]) -> str:
    text = collection.lower()
    if "sentinel-1" in text or any(k.startswith("sar:") for k in props):
        return "S1"
    return "S2"


def _relative_orbit(props: Mapping[str, Any], item_id: str) -> int | None:
    value = props.get("sat:relative_orbit") or props.get("sentinel:relative_orbit")
    if isinstance(value, int | float):
        return int(value)
    absolute = props.get("sat:absolute_orbit")
    from_id = s1_platform_orbit(item_id)
    if from_id:
        platform = from_id[0]
    else:
        platform = str(props.get("platform", "")).upper().replace("SENTINEL-", "S")
    if absolute is None and from_id:
        absolute = from_id[1]
    if isinstance(absolute, int):
        relative = s1_relative_orbit(platform, absolute)
        if relative is not None:
            return relative
    m2 = re.search(r"_R(\d{3})_", item_id)  # Sentinel-2 product ids carry it
    return int(m2[1]) if m2 else None


def _asset_band_name(key: str, asset: Mapping[str, Any]) -> str | None:
    """Canonical band name of an asset (``B04``, ``SCL``) or None for non-band assets."""
    for field_name in ("eo:bands", "bands"):
        entries = asset.get(field_name)
        if isinstance(entries, list) and len(entries) == 1 and isinstance(entries[0], Mapping):
            name = str(entries[0].get("name", "")).upper()
            if _BAND_RE.match(name):
                return name
    base = key.split("_")[0].split("-")[0].upper()
    if base == "SCL":
        return SCL
    if _BAND_RE.match(base):
        return base
    return None


def _asset_resolution(key: str, asset: Mapping[str, Any]) -> float | None:
    gsd = asset.get("gsd")
    if isinstance(gsd, int | float):
        return float(gsd)
    transform = asset.get("proj:transform")
    if isinstance(transform, list) and transform and isinstance(transform[0], int | float):
        return abs(float(transform[0]))
    m = re.search(r"_(\d+)m$", key)
    return float(m[1]) if m else None


def _raster_meta(asset: Mapping[str, Any]) -> tuple[float | None, float | None, float | None]:
    """(scale, offset, nodata) from STAC 1.0 ``raster:bands`` or STAC 1.1 fields."""
    scale = asset.get("raster:scale")
    offset = asset.get("raster:offset")
    nodata = asset.get("nodata", asset.get("raster:nodata"))
    for field_name in ("raster:bands", "bands"):
        entries = asset.get(field_name)
        if isinstance(entries, list) and entries and isinstance(entries[0], Mapping):
            first = entries[0]
            scale = first.get("scale", first.get("raster:scale", scale))
            offset = first.get("offset", first.get("raster:offset", offset))
            nodata = first.get("nodata", nodata)
    return (
        float(scale) if isinstance(scale, int | float) else None,
        float(offset) if isinstance(offset, int | float) else None,
        float(nodata) if isinstance(nodata, int | float) else None,
    )


def _is_raster(asset: Mapping[str, Any]) -> bool:
    media = str(asset.get("type", "")).lower()
    href = str(asset.get("href", "")).lower().split("?")[0]
    roles = asset.get("roles") or []
    if "thumbnail" in roles or "overview" in roles or "metadata" in roles:
        return False
    return "tiff" in media or "jp2" in media or href.endswith((".tif", ".tiff", ".jp2"))


def _preference(asset: Mapping[str, Any], resolution: float | None) -> tuple[int, float]:
    """Sort key: cloud-optimised GeoTIFF before JPEG 2000, then finest resolution."""
    media = str(asset.get("type", "")).lower()
    href = str(asset.get("href", "")).lower()
    cog = 0 if ("tiff" in media or href.split("?")[0].endswith((".tif", ".tiff"))) else 1
    return (cog, resolution if resolution is not None else 1e9)


def _s2_assets(
    assets: Mapping[str, Any],
    *,
    baseline: str | None,
    acquired: dt.date,
    boa_offset_applied: bool | None,
) -> dict[str, BandAsset]:
    best: dict[str, tuple[tuple[int, float], str, Mapping[str, Any], float | None]] = {}
    for key, asset in assets.items():
        if not isinstance(asset, Mapping) or not _is_raster(asset):
            continue
        band = _asset_band_name(key, asset)
        if band is None:
            continue
        res = _asset_resolution(key, asset)
        pref = _preference(asset, res)
        if band not in best or pref < best[band][0]:
            best[band] = (pref, key, asset, res)
    out: dict[str, BandAsset] = {}
    for band, (_, _key, asset, res) in best.items():
        scale, offset, nodata = _raster_meta(asset)
        href = str(asset["href"])
        if band == SCL:
            out[band] = BandAsset(
                band, href, "class", nodata=0.0 if nodata is None else nodata, resolution=res
            )
            continue
        s, off, rule = radiometry(
            processing_baseline=baseline,
            acquired=acquired,
            boa_offset_applied=boa_offset_applied,
            meta_scale=scale,
            meta_offset=offset,
        )
        out[band] = BandAsset(
            band,
            href,
            "reflectance",
            scale=s,
            offset_dn=off,
            nodata=0.0 if nodata is None else nodata,
            resolution=res,
            offset_rule=rule,
        )
    return out


def _s1_assets(assets: Mapping[str, Any], collection: str) -> dict[str, BandAsset]:
    out: dict[str, BandAsset] = {}
    for key, asset in assets.items():
        if not isinstance(asset, Mapping) or key.upper() not in {"VV", "VH", "HH", "HV"}:
            continue
        _, _, nodata = _raster_meta(asset)
        href = str(asset["href"])
        media = str(asset.get("type", "")).lower()
        if "rtc" in collection.lower() or "float" in json.dumps(asset.get("raster:bands", "")):
            out[key.upper()] = BandAsset(
                key.upper(), href, "gamma0", nodata=-32768.0 if nodata is None else nodata
            )
        elif "tiff" in media or href.endswith((".tif", ".tiff")):
            out[key.upper()] = BandAsset(
                key.upper(), href, "amplitude", nodata=0.0 if nodata is None else nodata
            )
    return out


# ---------------------------------------------------------------------------------------
# searching


def search_items(
    spec: CatalogSpec,
    *,
    sensor: str,
    aoi: BaseGeometry,
    start: dt.date,
    end: dt.date,
    http: HttpOptions | None = None,
    max_items: int = 500,
    page_size: int = 100,
) -> list[dict[str, Any]]:
    """Search a STAC API for scenes of ``sensor`` intersecting ``aoi`` between two dates.

    Parameters
    ----------
    spec : CatalogSpec
    sensor : {"S2", "S1"}
    aoi : shapely geometry
        Area of interest in longitude/latitude.
    start, end : date
        Inclusive date range (UTC days).
    http : HttpOptions, optional
        Timeout and retries.
    max_items : int
        Stop after this many items.
    page_size : int
        Items per page (the search follows ``next`` links for the rest).

    Returns
    -------
    list of dict
        The items, as the catalogue sent them.

    Raises
    ------
    CatalogError
        The catalogue cannot be reached, answers errors after the retries, times out,
        or answers something that is not STAC item search JSON.
    """
    from pystac_client import Client
    from pystac_client.exceptions import APIError
    from pystac_client.stac_api_io import StacApiIO

    http = http or HttpOptions()
    if end < start:
        raise InputError(
            f"the date range is reversed: {start} to {end}; give the earlier date first"
        )
    collection = spec.collection(sensor)
    io = StacApiIO(timeout=http.timeout_s, max_retries=http.urllib3_retry())
    where = f"catalogue {spec.name} ({spec.url})"
    try:
        # Client.open resets the StacApiIO's timeout to its own argument: give it again
        client = Client.open(spec.url, stac_io=io, timeout=http.timeout_s)
        search = client.search(
            collections=[collection],
            intersects=mapping(aoi),
            datetime=f"{start.isoformat()}/{end.isoformat()}",
            max_items=max_items,
            limit=max(1, min(page_size, max_items)),
        )
        items = list(search.items_as_dicts())
    except APIError as exc:
        _raise_if_unreachable(exc, spec.url)
        status = getattr(exc, "status_code", None)
        if status is not None and 400 <= status < 500 and status != 429:
            raise CatalogError(
                f"{where} refused the search: HTTP {status} ({_short(str(exc), 120)}); check "
                "the --catalog URL (the root of a STAC API) and the collection name"
            ) from exc
        detail = f"HTTP {status}" if status else _short(str(exc))
        raise CatalogError(
            f"{where} failed after {plural(http.retries + 1, 'attempt')}: {detail}; the service "
            "may be down, overloaded or rate-limiting -- try again later or choose another "
            "--catalog"
        ) from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CatalogError(
            f"{where} answered something that is not STAC JSON ({type(exc).__name__}: "
            f"{_short(str(exc))}); check the --catalog URL points at a STAC API root"
        ) from exc
    except requests.RequestException as exc:
        _raise_if_unreachable(exc, spec.url)
        raise CatalogError(f"{where} cannot be reached ({_short(str(exc))})") from exc
    except Exception as exc:
        # pystac-client raises its own and pystac's exception classes (conformance,
        # STAC object type): all mean the same thing here
        if type(exc).__module__.startswith(("pystac", "pystac_client")):
            raise CatalogError(f"{where}: {type(exc).__name__}: {_short(str(exc))}") from exc
        raise
    for it in items:
        if not isinstance(it, dict) or "id" not in it:
            raise CatalogError(f"{where} answered a feature that is not a STAC item: {it!r:.120}")
    return items


def search_static(
    path: str | Path,
    *,
    sensor: str,
    aoi: BaseGeometry,
    start: dt.date,
    end: dt.date,
) -> list[dict[str, Any]]:
    """Items of a static STAC catalogue (``catalog.json`` and its links) matching a query.

    Asset hrefs are made absolute, so relative links to local COGs work.
    """
    import pystac

    p = Path(path)
    target = p / "catalog.json" if p.is_dir() else p
    if not target.is_file():
        raise InputError(f"{target}: no static STAC catalogue here (expected catalog.json)")
    try:
        return _static_matches(target, sensor=sensor, aoi=aoi, start=start, end=end)
    except CatalogError:
        raise
    except (
        pystac.STACError,
        json.JSONDecodeError,
        OSError,
        KeyError,
        TypeError,
        AttributeError,
        ValueError,
    ) as exc:
        raise CatalogError(
            f"{target}: not a readable STAC catalogue ({type(exc).__name__}: "
            f"{_short(str(exc))}); check the file and the items it links to"
        ) from exc


def _static_matches(
    target: Path, *, sensor: str, aoi: BaseGeometry, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """:func:`search_static` without its error translation."""
    import pystac

    top = json.loads(target.read_text(encoding="utf-8"))
    if not isinstance(top, dict):
        raise CatalogError(
            f"{target}: a JSON {type(top).__name__}, not a STAC catalogue or item (an object "
            'with "type": "Catalog"); give the catalogue\'s catalog.json'
        )
    root = pystac.read_file(str(target))
    if isinstance(root, pystac.Item):
        items: Iterable[pystac.Item] = [root]
    elif isinstance(root, pystac.Catalog):
        items = _catalogue_items(root)
    else:
        raise CatalogError(f"{target}: a {type(root).__name__}, expected a catalogue or an item")
    out: list[dict[str, Any]] = []
    for item in items:
        item.make_asset_hrefs_absolute()
        d = item.to_dict(include_self_link=False, transform_hrefs=False)
        cand = candidate_from_item(d, catalog=str(target))
        if cand.sensor != sensor.upper() or not cand.footprint.intersects(aoi):
            continue
        if start <= cand.date <= end:
            out.append(d)
    return out


#: Most catalogues a static catalogue may link (itself included) before it is refused.
MAX_STATIC_CATALOGUES = 10_000


def _catalogue_items(root: Any) -> Iterable[Any]:
    """Items of a static catalogue and of every catalogue below it, each catalogue
    visited once (a child link back to a parent or to itself is not followed again)."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        cat = todo.pop()
        href = cat.get_self_href() or f"<memory {id(cat)}>"
        if href in seen:
            continue
        seen.add(href)
        if len(seen) > MAX_STATIC_CATALOGUES:
            raise CatalogError(
                f"{root.get_self_href()}: links more than {MAX_STATIC_CATALOGUES} catalogues; "
                "is it a static catalogue of one site's scenes?"
            )
        yield from cat.get_items()
        todo.extend(cat.get_children())


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------
# Planetary Computer signing


class SasTokenSigner:
    """Signs Planetary Computer blob URLs with SAS tokens from its token service.

    ``GET {sas_url}/token/{collection}`` answers ``{"token": "...", "msft:expiry": ...}``;
    the token is appended to the asset URL as its query string. Tokens are kept per
    collection until five minutes before they expire.
    """

    def __init__(
        self,
        sas_url: str,
        *,
        http: HttpOptions | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.sas_url = sas_url.rstrip("/")
        self.http = http or HttpOptions()
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._tokens: dict[str, tuple[str, dt.datetime]] = {}

    def token(self, collection: str) -> str:
        cached = self._tokens.get(collection)
        if cached and cached[1] - dt.timedelta(minutes=5) > self._now():
            return cached[0]
        url = f"{self.sas_url}/token/{collection}"
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(max_retries=self.http.urllib3_retry())
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        try:
            resp = session.get(url, timeout=self.http.timeout_s)
            resp.raise_for_status()
            doc = resp.json()
            token = str(doc["token"])
        except requests.RequestException as exc:
            _raise_if_unreachable(exc, url)
            raise CatalogError(
                f"cannot get a Planetary Computer SAS token from {url} ({_short(str(exc))}); "
                "the assets cannot be read unsigned, try again later"
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CatalogError(
                f"the SAS token service {url} answered no token ({_short(str(exc))})"
            ) from exc
        finally:
            session.close()
        expiry_text = str(doc.get("msft:expiry", "")).replace("Z", "+00:00")
        try:
            expiry = dt.datetime.fromisoformat(expiry_text)
            if expiry.tzinfo is None:
                expiry = expiry.replace(tzinfo=dt.UTC)
        except ValueError:
            expiry = self._now() + dt.timedelta(minutes=30)
        self._tokens[collection] = (token, expiry)
        return token

    def sign(self, href: str, collection: str) -> str:
        """``href`` with the collection's SAS token (unchanged if not an http(s) URL)."""
        if not href.startswith(("http://", "https://")) or "sig=" in href:
            return href
        token = self.token(collection).lstrip("?")
        return f"{href}{'&' if '?' in href else '?'}{token}"


# ---------------------------------------------------------------------------------------
# scene choice (pure)


@dataclass(frozen=True)
class Assessment:
    """How usable a candidate is over the AOI (from its SCL layer, or its footprint)."""

    candidate: Candidate
    coverage: float
    cloud_fraction: float | None


def choose_nearest(
    assessed: Sequence[Assessment],
    target: dt.date,
    *,
    max_cloud: float,
    min_coverage: float,
    window_days: int,
    what: str = "scene",
    prefer_epsg: int | None = None,
) -> Assessment:
    """The clearest usable scene nearest to ``target``.

    Among scenes within ``window_days`` of ``target`` covering at least
    ``min_coverage`` of the AOI with at most ``max_cloud`` of it clouded, take the
    nearest in time; between scenes equally near, the less cloudy (to 5 %), then one
    whose native grid is ``prefer_epsg`` (the site's UTM zone: no reprojection; a site
    on a zone boundary, such as Hmeimim in tiles T36SYE and T37SBV, is seen by two
    tiles of one acquisition), then the better covering one.

    Raises
    ------
    CoverageError
        No scene covers enough of the AOI.
    NoSceneError
        No scene in the window, or every one too cloudy (the message lists the AOI
        cloud fraction of each).
    """
    near = [a for a in assessed if abs((a.candidate.date - target).days) <= window_days]
    if not near:
        dates = sorted({a.candidate.date for a in assessed})
        hint = f"; scenes exist on {', '.join(map(str, dates[:8]))}" if dates else ""
        raise NoSceneError(
            f"no {what} within {window_days} days of {target}{hint}; widen the date range "
            "or --window-days"
        )
    covering = [a for a in near if a.coverage >= min_coverage]
    if not covering:
        best = max(near, key=lambda a: a.coverage)
        raise CoverageError(
            f"no {what} near {target} covers the AOI: the best, {best.candidate.id}, covers "
            f"{best.coverage:.0%} (need {min_coverage:.0%}); the AOI may straddle a swath or "
            "tile edge, try another date"
        )
    clear = [a for a in covering if a.cloud_fraction is None or a.cloud_fraction <= max_cloud]
    if not clear:
        listing = ", ".join(
            f"{a.candidate.date} {a.candidate.id}: {a.cloud_fraction:.0%}"
            for a in sorted(covering, key=lambda a: a.candidate.datetime)
        )
        raise NoSceneError(
            f"every {what} within {window_days} days of {target} is cloudy over the AOI "
            f"(cloud/shadow inside the AOI: {listing}; limit {max_cloud:.0%}); try other "
            "dates, raise --max-cloud, or use --sensor s1 (radar sees through cloud)"
        )
    return min(
        clear,
        key=lambda a: (
            abs((a.candidate.datetime.date() - target).days),
            round((a.cloud_fraction or 0.0) * 20),
            prefer_epsg is not None and a.candidate.epsg != prefer_epsg,
            a.cloud_fraction or 0.0,
            -a.coverage,
            a.candidate.id,
        ),
    )


def choose_sar_pair(
    assessed: Sequence[Assessment],
    before: dt.date,
    after: dt.date,
    *,
    min_coverage: float,
    window_days: int,
) -> tuple[Assessment, Assessment]:
    """Two radar scenes from the same relative orbit, nearest to the two dates.

    SAR change detection needs identical viewing geometry, so both scenes must share
    a relative orbit (track). Among same-track pairs with ``before`` scene earlier
    than the ``after`` scene, the pair with the smallest total distance to the two
    requested dates wins.

    Raises
    ------
    CoverageError, NoSceneError
        As :func:`choose_nearest`; NoSceneError also when scenes exist near both dates
        but on no common track (the message lists the tracks).
    """
    usable = [a for a in assessed if a.coverage >= min_coverage]
    if not usable and assessed:
        best = max(assessed, key=lambda a: a.coverage)
        raise CoverageError(
            f"no radar scene covers the AOI: the best, {best.candidate.id}, covers "
            f"{best.coverage:.0%} (need {min_coverage:.0%})"
        )
    b_side = [a for a in usable if abs((a.candidate.date - before).days) <= window_days]
    a_side = [a for a in usable if abs((a.candidate.date - after).days) <= window_days]
    for side, when in ((b_side, before), (a_side, after)):
        if not side:
            raise NoSceneError(
                f"no radar scene within {window_days} days of {when}; widen the date range"
            )
    best_pair: tuple[Assessment, Assessment] | None = None
    best_cost = math.inf
    for b in b_side:
        for a in a_side:
            if b.candidate.datetime >= a.candidate.datetime:
                continue
            if b.candidate.relative_orbit is None or (
                b.candidate.relative_orbit != a.candidate.relative_orbit
            ):
                continue
            cost = abs((b.candidate.date - before).days) + abs((a.candidate.date - after).days)
            if cost < best_cost:
                best_pair, best_cost = (b, a), cost
    if best_pair is None:
        tracks_b = sorted({str(x.candidate.relative_orbit) for x in b_side})
        tracks_a = sorted({str(x.candidate.relative_orbit) for x in a_side})
        raise NoSceneError(
            f"no two radar scenes share a relative orbit: near {before} tracks "
            f"{', '.join(tracks_b)}; near {after} tracks {', '.join(tracks_a)}; change "
            "between different tracks is geometry, not change -- widen --window-days"
        )
    return best_pair


# ---------------------------------------------------------------------------------------
# catalogue files: scene lists and STAC items saved to disk (no pixels needed)

#: Largest catalogue file read (bytes): scene lists of a site are a few hundred kB.
MAX_CATALOGUE_FILE_BYTES = 200_000_000
#: File name endings taken as catalogue files (scene lists, STAC items).
CATALOGUE_FILE_SUFFIXES = frozenset({".json", ".jsonl", ".geojson", ".ndjson"})


@dataclass(frozen=True)
class CatalogEntry:
    """A scene a catalogue lists: enough to name, date and place it, maybe not to read it.

    Attributes
    ----------
    id : str
        Scene (item) id.
    sensor : str
        ``"S2"`` or ``"S1"``.
    datetime : datetime.datetime
        Acquisition time (UTC).
    footprint : shapely geometry
        Footprint in longitude/latitude (the item's geometry, or its bounding box).
    tile_cloud : float or None
        The catalogue's cloud cover of the whole tile, 0-1 (None for radar or unknown).
    relative_orbit : int or None
        Track (relative orbit).
    orbit_state : str or None
        ``"ascending"`` or ``"descending"``.
    collection : str
    readable : bool
        The record links band assets (a STAC item), so its pixels could be read.
    """

    id: str
    sensor: str
    datetime: dt.datetime
    footprint: BaseGeometry
    tile_cloud: float | None
    relative_orbit: int | None
    orbit_state: str | None
    collection: str
    readable: bool

    @property
    def date(self) -> dt.date:
        return self.datetime.date()


def is_catalogue_file(source: str | Path) -> bool:
    """True for an existing JSON / JSON-lines file that is not a static STAC catalogue's
    ``catalog.json`` (a scene list, a list of STAC items, a FeatureCollection)."""
    p = Path(source)
    if not p.is_file() or p.suffix.lower() not in CATALOGUE_FILE_SUFFIXES:
        return False
    if p.name == "catalog.json":
        return False
    try:
        with p.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return not re.search(r'"type"\s*:\s*"(Catalog|Collection)"', head)


def _records(path: Path) -> list[Mapping[str, Any]]:
    raw = read_bounded(
        path,
        limit=MAX_CATALOGUE_FILE_BYTES,
        what="scene catalogue",
        hint="give one site's scenes, or split the list",
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read the scene catalogue ({exc})") from exc
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            doc = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}: neither JSON nor JSON lines ({exc.msg}, line {exc.lineno}); give a "
                "scene list, a list of STAC items or a FeatureCollection"
            ) from exc
    if isinstance(doc, Mapping):
        if doc.get("type") == "Feature":
            doc = [doc]
        else:
            doc = doc.get("features") or doc.get("items") or doc.get("scenes")
    if not isinstance(doc, list) or not all(isinstance(r, Mapping) for r in doc):
        raise InputError(
            f"{path}: not a scene catalogue (expected a list of scene records, STAC items "
            "or a FeatureCollection)"
        )
    return doc


def _entry(rec: Mapping[str, Any], path: Path) -> CatalogEntry | None:
    """One record as a :class:`CatalogEntry`; None for a record without id, date or place."""
    props = rec.get("properties")
    flat: dict[str, Any] = {**rec, **props} if isinstance(props, Mapping) else dict(rec)
    sid, when = flat.get("id"), flat.get("datetime")
    if not isinstance(sid, str) or not isinstance(when, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    geometry = rec.get("geometry")
    bbox = flat.get("bbox")
    if isinstance(geometry, Mapping):
        try:
            footprint: BaseGeometry = shape(geometry)
        except (ValueError, TypeError, AttributeError, KeyError):
            return None
    elif isinstance(bbox, Sequence) and len(bbox) >= 4:
        footprint = shapely.box(*[float(v) for v in bbox[:4]])
    else:
        return None
    collection = str(flat.get("collection", ""))
    sensor = "S1" if sid.startswith("S1") else _guess_sensor(collection, flat)
    cloud = flat.get("eo:cloud_cover", flat.get("cloud"))
    orbit = flat.get("sat:orbit_state", flat.get("orbit"))
    assets = rec.get("assets")
    return CatalogEntry(
        id=sid,
        sensor=sensor,
        datetime=stamp.astimezone(dt.UTC),
        footprint=footprint,
        tile_cloud=(
            min(1.0, max(0.0, float(cloud) / 100.0))
            if sensor == "S2" and isinstance(cloud, int | float)
            else None
        ),
        relative_orbit=_relative_orbit(flat, sid),
        orbit_state=str(orbit).lower() if isinstance(orbit, str) else None,
        collection=collection,
        readable=isinstance(assets, Mapping) and bool(assets),
    )


def read_catalogue_file(path: str | Path) -> tuple[CatalogEntry, ...]:
    """The scenes a catalogue file lists: a JSON list of scene records (id, datetime,
    bbox, cloud...), JSON lines, a JSON list of STAC items, a STAC FeatureCollection
    or one item. Records without an id, a date or a footprint are left out.

    Raises
    ------
    InputError
        The file cannot be read, is not JSON, or is no list of scene records.
    """
    p = Path(path)
    entries = [e for rec in _records(p) if (e := _entry(rec, p)) is not None]
    if not entries:
        raise InputError(
            f"{p}: no scene record with an id, a datetime and a footprint (geometry or bbox)"
        )
    return tuple(entries)


def scenes_over(
    entries: Iterable[CatalogEntry],
    site: BaseGeometry,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    sensor: str | None = None,
) -> list[CatalogEntry]:
    """The entries whose footprint covers ``site`` (longitude/latitude) between two
    dates (inclusive), of one sensor if given, by date; one entry per scene id."""
    chosen: dict[str, CatalogEntry] = {}
    for e in entries:
        if sensor and e.sensor != sensor.upper():
            continue
        if (start and e.date < start) or (end and e.date > end):
            continue
        if e.footprint.intersects(site):
            chosen.setdefault(e.id, e)
    return sorted(chosen.values(), key=lambda e: (e.datetime, e.id))


def refuse_catalogue_file(source: str | Path) -> None:
    """Raise a one-line :class:`InputError` for a catalogue file given where scenes must
    be read: it names scenes, it does not say how to read their pixels here.

    A file that is no catalogue file (a GeoTIFF, a folder, a ``catalog.json``, a name or
    URL) passes.
    """
    if not is_catalogue_file(source):
        return
    entries = read_catalogue_file(source)
    raise InputError(
        f"{source}: a scene catalogue file ({len(entries)} scenes, ids and footprints): it "
        "names scenes but reads no pixels; list them with `basewatch scenes --catalog "
        f"{source}`, then fetch them with --catalog earthsearch or planetary-computer "
        "(or give a folder of GeoTIFFs or a static catalog.json)"
    )
