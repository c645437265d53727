"""A site and dates to scenes, from any source: a STAC catalogue or local GeoTIFFs.

:func:`load_pair` is what ``basewatch run`` and a notebook call: give it a site, two
dates and where the imagery is (a catalogue name or URL, a static ``catalog.json``, a
GeoTIFF or a folder of them), and it returns the two scenes nearest the dates on the
site's grid, co-registered. :func:`is_local_source` tells the two kinds of source apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from basewatch.aoi import Site, aoi_for_site, as_site
from basewatch.imagery.loader import LoaderConfig, TileLoader, default_catalog, open_catalog
from basewatch.imagery.local import load_local_pair, local_rasters
from basewatch.records import Scene

__all__ = ["ScenePair", "is_local_source", "load_pair", "load_scene"]

#: File name endings taken as local GeoTIFFs.
GEOTIFF_SUFFIXES = frozenset({".tif", ".tiff"})


@dataclass(frozen=True)
class ScenePair:
    """Two scenes of a site ready to compare, and where they came from.

    Attributes
    ----------
    before, after : Scene
        The scenes nearest the two dates, on one grid, ``after`` co-registered onto
        ``before`` (unless the loader was told not to).
    source : str
        The catalogue's name, or the local path the scenes were read from.
    """

    before: Scene
    after: Scene
    source: str


def is_local_source(source: str | Path) -> bool:
    """True for a GeoTIFF or a folder of them; False for a catalogue (name, URL, or a
    static catalogue's ``catalog.json`` or folder)."""
    p = Path(source)
    if p.is_file() and p.suffix.lower() in GEOTIFF_SUFFIXES:
        return True
    return p.is_dir() and not (p / "catalog.json").is_file()


def load_pair(
    site: Site | str | Path,
    before: dt.date,
    after: dt.date,
    *,
    sensor: str = "s2",
    source: str | Path | None = None,
    sas_url: str | None = None,
    config: LoaderConfig | None = None,
) -> ScenePair:
    """The scenes of a site nearest two dates, read, masked, on its grid and aligned.

    Parameters
    ----------
    site : Site or str or Path
        A site, or a bundled site's name or a site GeoJSON.
    before, after : datetime.date
        The dates to bracket (``before`` earlier than ``after``).
    sensor : {"s2", "s1"}
        Sentinel-2 optical or Sentinel-1 radar (catalogue sources).
    source : str or Path, optional
        ``earthsearch``, ``planetary-computer``, ``cdse``, a STAC API URL, a static
        catalogue, a GeoTIFF or a folder of GeoTIFFs. Default: the sensor's usual
        catalogue (:func:`~basewatch.imagery.loader.default_catalog`).
    sas_url : str, optional
        A SAS token service for a catalogue given by URL.
    config : LoaderConfig, optional
        Cache, network options, scene choice and co-registration.

    Returns
    -------
    ScenePair

    Raises
    ------
    NoSceneError
        No usable scene near a date.
    CatalogError, RasterReadError
        The catalogue or a file could not be read (after retries).
    InputError, CoverageError
        Bad dates, or a site outside the imagery.
    """
    site = as_site(site)
    cfg = config or LoaderConfig()
    where = str(source) if source is not None else default_catalog(sensor)
    aoi = aoi_for_site(site)
    if is_local_source(where):
        first, second = load_local_pair(local_rasters(where), site, aoi, before, after, config=cfg)
        return ScenePair(first, second, where)
    loader = TileLoader(open_catalog(where, sas_url=sas_url), aoi, cfg)
    first, second = loader.load_pair(sensor, before, after)
    return ScenePair(first, second, loader.catalog_name)


def load_scene(
    site: Site | str | Path,
    when: dt.date,
    *,
    sensor: str = "s2",
    bands: tuple[str, ...] | None = None,
    source: str | None = None,
    sas_url: str | None = None,
    config: LoaderConfig | None = None,
) -> tuple[Scene, str]:
    """The scene of a site nearest one date from a catalogue, read and masked on its grid.

    What ``basewatch vessels --site NAME --date DATE`` calls: one date, nothing to align.

    Parameters
    ----------
    site : Site or str or Path
        A site, or a bundled site's name or a site GeoJSON.
    when : datetime.date
        The date to look near (within the config's ``window_days``).
    sensor : {"s2", "s1"}
    bands : tuple of str, optional
        Bands to read (e.g. ``("B02", "B03", "B04", "B08", "B11")``: every band comes
        resampled onto the site's 10 m grid); default the config's bands of the sensor.
    source : str, optional
        ``earthsearch``, ``planetary-computer``, ``cdse``, a STAC API URL or a static
        catalogue; default the sensor's usual catalogue.
    sas_url : str, optional
        A SAS token service for a catalogue given by URL.
    config : LoaderConfig, optional
        Cache, network options and scene choice.

    Returns
    -------
    (Scene, str)
        The scene and the catalogue's name.

    Raises
    ------
    InputError
        ``source`` is a GeoTIFF or a folder of them (read a file with
        :func:`basewatch.imagery.local.read_geotiff` instead).
    NoSceneError, CoverageError, CatalogError, RasterReadError
        As :func:`load_pair`.
    """
    from basewatch.errors import InputError

    site = as_site(site)
    where = source if source is not None else default_catalog(sensor)
    if is_local_source(where):
        raise InputError(
            f"{where} is a GeoTIFF or a folder of them, not a catalogue: give the image "
            "itself instead of a catalogue and a date"
        )
    loader = TileLoader(open_catalog(where, sas_url=sas_url), aoi_for_site(site), config)
    return loader.load_scene(sensor, when, bands=bands), loader.catalog_name
