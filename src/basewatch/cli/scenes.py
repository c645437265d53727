"""``basewatch scenes``: the scenes that cover a site between two dates.

From a catalogue file (a scene list, STAC items or a FeatureCollection: offline) or a
live STAC catalogue; no pixel is read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from basewatch.aoi import load_site
from basewatch.cli._options import step
from basewatch.imagery.catalog import (
    CatalogEntry,
    HttpOptions,
    candidate_from_item,
    is_catalogue_file,
    read_catalogue_file,
    resolve_catalog,
    scenes_over,
    search_items,
)
from basewatch.imagery.loader import default_catalog


def _live(
    catalog: str, sensor: str, outline: object, start: dt.date, end: dt.date, timeout: float
) -> list[CatalogEntry]:
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
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True)
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
)
@click.option("--timeout", type=click.FloatRange(min=1.0), default=15.0, show_default=True)
def scenes(
    site_name: str,
    start: dt.datetime,
    end: dt.datetime,
    catalogs: tuple[str, ...],
    sensor: str,
    timeout: float,
) -> None:
    """List the scenes whose footprint covers a site between two dates.

    One line per scene: date and time, sensor, track (relative orbit) and pass,
    cloud cover of the tile (the catalogue's; cloud inside the site needs the scene's
    classification layer: `basewatch fetch` prints it), and id.

    \b
    Example (offline):
      basewatch scenes --site hmeimim --from 2024-12-01 --to 2024-12-20 \\
          --catalog ../shared/data/sites/s2_l2a_scene_catalog_latakia.json
    """
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
    click.echo(
        f"{len(found)} scene(s) cover {site.title} ({site.name}) "
        f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    )
    for e in found:
        cloud = "   -" if e.tile_cloud is None else f"{e.tile_cloud:4.0%}"
        track = "" if e.relative_orbit is None else f"track {e.relative_orbit:3d}"
        click.echo(
            f"  {e.datetime:%Y-%m-%d %H:%M}  {e.sensor}  {track:9s} "
            f"{(e.orbit_state or ''):10s} cloud(tile) {cloud}  {e.id}"
        )
