"""``basewatch fetch``: fill the tile cache for a site and a date range.

After a fetch, ``basewatch run`` over those dates needs no network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from basewatch._words import plural
from basewatch.cli._options import (
    catalog_options,
    check_catalog,
    check_date_order,
    date_range_options,
    make_loader,
    progress,
    site_option,
    step,
)


@click.command()
@site_option
@date_range_options
@catalog_options
def fetch(
    site_name: str,
    start: dt.datetime,
    end: dt.datetime,
    catalog: str | None,
    sas_url: str | None,
    sensor: str,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
) -> None:
    """Download the site's window of every scene in a date range into the cache.

    Only the AOI's bytes are read (HTTP range requests on cloud-optimised GeoTIFFs).
    A later `basewatch run` over these dates works offline.
    """
    from basewatch.imagery.loader import default_catalog

    check_date_order(start, end)
    check_catalog(catalog)
    loader, aoi = make_loader(
        site_name=site_name,
        catalog=catalog or default_catalog(sensor),
        sas_url=sas_url,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        refresh=refresh,
    )
    with step(f"searching {loader.catalog_name}"):
        plan = loader.plan(sensor, start.date(), end.date())
    scenes = sorted({c.id: c for c, _ in plan}.values(), key=lambda c: c.datetime)
    click.echo(
        f"{plural(len(scenes), sensor.upper() + ' scene')} of {loader.catalog_name} over "
        f"{aoi.name} "
        f"({aoi.grid.width}x{aoi.grid.height} px at 10 m) from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    )
    with progress("fetching band windows", total=len(plan)) as advance:
        for cand, band in loader.fill_cache(sensor, start.date(), end.date()):
            advance(f"band {band} of {cand.id}")
    downloaded, cached = loader.stats.band_reads, loader.stats.cache_hits
    for cand in scenes:
        line = f"  {cand.datetime:%Y-%m-%d %H:%M} {cand.id}"
        if cand.sensor == "S2":
            a = loader.assess(cand)
            cloud = "n/a" if a.cloud_fraction is None else f"{a.cloud_fraction:.0%}"
            line += f"  cloud in AOI {cloud}, coverage {a.coverage:.0%}"
        else:
            line += f"  track {cand.relative_orbit} {cand.orbit_state or ''}"
        click.echo(line)
    cache = loader.config.cache
    click.echo(
        f"{plural(downloaded, 'band window')} downloaded, {cached} already cached"
        + (f"; cache: {cache.root}" if cache is not None else "")
    )
