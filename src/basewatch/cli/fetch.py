"""``basewatch fetch``: fill the tile cache for a site and a date range.

After a fetch, ``basewatch run`` over those dates needs no network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from basewatch.aoi import AOI, aoi_for_site, load_site
from basewatch.cli._options import site_option
from basewatch.errors import InputError
from basewatch.imagery.cache import TileCache, default_cache_dir
from basewatch.imagery.catalog import CatalogSpec, HttpOptions, resolve_catalog
from basewatch.imagery.loader import LoaderConfig, StaticCatalog, TileLoader

F = TypeVar("F", bound=Callable[..., Any])


def catalog_options(func: F) -> F:
    """The options shared by ``fetch`` and ``run`` to choose and reach a catalogue."""
    options = [
        click.option(
            "--catalog",
            default=None,
            help="earthsearch, planetary-computer, cdse, the URL of a STAC API, or the path "
            "of a static STAC catalogue (catalog.json) [default: earthsearch for s2, "
            "planetary-computer for s1 (terrain-corrected backscatter, open access)].",
        ),
        click.option(
            "--sas-url",
            default=None,
            help="Planetary Computer style SAS token service for a --catalog URL.",
        ),
        click.option(
            "--sensor",
            type=click.Choice(["s2", "s1"], case_sensitive=False),
            default="s2",
            show_default=True,
            help="s2: Sentinel-2 optical; s1: Sentinel-1 radar (sees through cloud).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="Tile cache folder [default: $BASEWATCH_CACHE or ~/.cache/basewatch].",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1.0),
            default=30.0,
            show_default=True,
            help="Seconds before a request is abandoned.",
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=0, max=10),
            default=3,
            show_default=True,
            help="Retries of a failed request (with backoff).",
        ),
        click.option(
            "--refresh",
            is_flag=True,
            help="Ask the catalogue again instead of using a cached search.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def default_catalog(sensor: str) -> str:
    """The catalogue used when --catalog is not given."""
    return "planetary-computer" if sensor.lower() == "s1" else "earthsearch"


def source_for(catalog: str, sas_url: str | None) -> CatalogSpec | StaticCatalog:
    """A catalogue name/URL, or a static catalogue path."""
    p = Path(catalog)
    if catalog.endswith(".json") or (p.is_dir() and (p / "catalog.json").is_file()):
        if not p.exists():
            raise InputError(f"{p}: static catalogue not found")
        return StaticCatalog(p)
    return resolve_catalog(catalog, sas_url=sas_url)


def make_loader(
    *,
    site_name: str,
    catalog: str,
    sas_url: str | None,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
    offline: bool = False,
    **choice: Any,
) -> tuple[TileLoader, AOI]:
    """A :class:`TileLoader` for a site from command-line options."""
    site = load_site(site_name)
    aoi = aoi_for_site(site)
    config = LoaderConfig(
        cache=TileCache(cache_dir or default_cache_dir()),
        http=HttpOptions(timeout_s=timeout, retries=retries),
        offline=offline,
        refresh=refresh,
        **choice,
    )
    return TileLoader(source_for(catalog, sas_url), aoi, config), aoi


@click.command()
@site_option
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="First day (YYYY-MM-DD).",
)
@click.option(
    "--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last day (YYYY-MM-DD)."
)
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
    loader, aoi = make_loader(
        site_name=site_name,
        catalog=catalog or default_catalog(sensor),
        sas_url=sas_url,
        cache_dir=cache_dir,
        timeout=timeout,
        retries=retries,
        refresh=refresh,
    )
    plan = loader.plan(sensor, start.date(), end.date())
    scenes = sorted({c.id: c for c, _ in plan}.values(), key=lambda c: c.datetime)
    click.echo(
        f"{len(scenes)} {sensor.upper()} scene(s) of {loader.catalog_name} over {aoi.name} "
        f"({aoi.grid.width}x{aoi.grid.height} px at 10 m) from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    )
    with click.progressbar(length=len(plan), label="fetching", show_pos=True) as bar:
        for _ in loader.fill_cache(sensor, start.date(), end.date()):
            bar.update(1)
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
        f"{downloaded} band window(s) downloaded, {cached} already cached"
        + (f"; cache: {cache.root}" if cache is not None else "")
    )
