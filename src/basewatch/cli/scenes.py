"""``basewatch scenes``: the scenes that cover a site between two dates.

From a catalogue file (a scene list, STAC items or a FeatureCollection: offline) or a
live STAC catalogue; no pixel is read. The cloud inside the site is shown where the
scene's classification layer of the site is in the tile cache (``basewatch fetch``),
else the catalogue's cloud cover of the whole tile, marked as such.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from basewatch._words import plural
from basewatch.cli._options import check_date_order, date_range_options, step

if TYPE_CHECKING:
    from basewatch.aoi import AOI
    from basewatch.imagery.cache import TileCache
    from basewatch.imagery.catalog import CatalogEntry


def site_cloud(entry: CatalogEntry, aoi: AOI, cache: TileCache) -> float | None:
    """The cloud and shadow fraction inside the site of a Sentinel-2 scene whose
    classification layer (SCL) of the site's grid is in the tile cache, else None."""
    from basewatch.imagery.cache import TileCache
    from basewatch.imagery.catalog import CATALOGS, SCL
    from basewatch.imagery.loader import scl_masks

    if entry.sensor != "S2":
        return None
    for catalog in CATALOGS:
        key = TileCache.band_key(
            catalog=catalog, scene_id=entry.id, band=SCL, grid=aoi.grid, resampling="nearest"
        )
        scl = cache.get_band(key, aoi.grid.shape)
        if scl is not None:
            return scl_masks(scl, aoi.inside)[2]
    return None


def _live(
    catalog: str, sensor: str, outline: object, start: dt.date, end: dt.date, timeout: float
) -> list[CatalogEntry]:
    from basewatch.imagery.catalog import (
        CatalogEntry,
        HttpOptions,
        candidate_from_item,
        resolve_catalog,
        search_items,
    )

    spec = resolve_catalog(catalog)
    items = search_items(
        spec,
        sensor=sensor,
        aoi=outline,
        start=start,
        end=end,
        http=HttpOptions(timeout_s=timeout, retries=1),
    )
    out = []
    for item in items:
        c = candidate_from_item(item, catalog=spec.name)
        out.append(
            CatalogEntry(
                id=c.id,
                sensor=c.sensor,
                datetime=c.datetime,
                footprint=c.footprint,
                tile_cloud=None if c.scene_cloud is None else c.scene_cloud / 100.0,
                relative_orbit=c.relative_orbit,
                orbit_state=c.orbit_state,
                collection=c.collection,
                readable=True,
            )
        )
    return out


@click.command()
@click.option("--site", "site_name", required=True, help="Site name or site GeoJSON.")
@date_range_options
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    help="A catalogue file (scene list, STAC items, FeatureCollection; offline) or "
    "earthsearch / planetary-computer / a STAC API URL; repeat for more "
    "[default: the sensor's live catalogue].",
)
@click.option(
    "--sensor",
    type=click.Choice(["s2", "s1", "any"], case_sensitive=False),
    default="any",
    show_default=True,
    help="Sentinel-2 (s2), Sentinel-1 (s1) or both.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1.0),
    default=15.0,
    show_default=True,
    help="Seconds before a catalogue request is abandoned.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Tile cache to take the cloud inside the site from "
    "[default: $BASEWATCH_CACHE or ~/.cache/basewatch].",
)
def scenes(
    site_name: str,
    start: dt.datetime,
    end: dt.datetime,
    catalogs: tuple[str, ...],
    sensor: str,
    timeout: float,
    cache_dir: Path | None,
) -> None:
    """List the scenes whose footprint covers a site between two dates.

    One line per scene: date and time, sensor, track (relative orbit) and pass,
    cloud, and id. The cloud is that inside the site ("site") where the scene's
    classification layer of the site is in the tile cache (`basewatch fetch` puts it
    there), else the catalogue's cover of the whole tile ("tile").

    \b
    Example (offline):
      basewatch scenes --site hmeimim --from 2024-12-01 --to 2024-12-20 \\
          --catalog imagery/catalogs/s2_l2a_scene_catalog_latakia.json
    """
    from basewatch.aoi import aoi_for_site, load_site
    from basewatch.imagery.cache import TileCache, default_cache_dir
    from basewatch.imagery.catalog import (
        is_catalogue_file,
        read_catalogue_file,
        scenes_over,
    )
    from basewatch.imagery.loader import default_catalog

    check_date_order(start, end)
    site = load_site(site_name)
    want = None if sensor == "any" else sensor.upper()
    sources = catalogs or tuple(
        default_catalog(s) for s in (("s2", "s1") if want is None else (sensor,))
    )
    entries: list[CatalogEntry] = []
    for source in sources:
        if is_catalogue_file(source) or Path(source).suffix.lower() in {".json", ".jsonl"}:
            with step(f"reading {source}"):
                entries += read_catalogue_file(source)
        else:
            for s in ("S2", "S1") if want is None else (want,):
                with step(f"searching {source} for {s}"):
                    entries += _live(source, s, site.outline, start.date(), end.date(), timeout)
    found = scenes_over(entries, site.outline, start=start.date(), end=end.date(), sensor=want)
    verb = "covers" if len(found) == 1 else "cover"
    click.echo(
        f"{plural(len(found), 'scene')} {verb} {site.title} ({site.name}) "
        f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    )
    aoi = aoi_for_site(site)
    cache = TileCache(cache_dir or default_cache_dir())
    for e in found:
        inside = site_cloud(e, aoi, cache)
        if inside is not None:
            cloud = f"cloud {inside:4.0%} site"
        elif e.tile_cloud is not None:
            cloud = f"cloud {e.tile_cloud:4.0%} tile"
        else:
            cloud = "cloud    -     "
        track = "" if e.relative_orbit is None else f"track {e.relative_orbit:3d}"
        click.echo(
            f"  {e.datetime:%Y-%m-%d %H:%M}  {e.sensor}  {track:9s} "
            f"{(e.orbit_state or ''):10s} {cloud}  {e.id}"
        )
