"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from basewatch.aoi import AOI, aoi_for_site, load_site
from basewatch.imagery.cache import TileCache, default_cache_dir
from basewatch.imagery.catalog import HttpOptions
from basewatch.imagery.loader import LoaderConfig, TileLoader, open_catalog

F = TypeVar("F", bound=Callable[..., Any])

#: ``--site NAME`` (stored as ``site_name``): a bundled site or a site GeoJSON file.
site_option = click.option(
    "--site",
    "site_name",
    required=True,
    help="Site name (see `basewatch sites`) or path to a site GeoJSON.",
)


#: ``--no-png``: skip the annotated picture (large rasters draw slowly).
no_png_option = click.option("--no-png", is_flag=True, help="Skip the annotated PNG.")

#: ``--gpkg``: also write the detections as a GeoPackage (fast to open when there are many).
gpkg_option = click.option(
    "--gpkg",
    is_flag=True,
    help="Also write detections.gpkg (GeoPackage; opens fast in GIS with many detections).",
)


#: ``--no-coregister``: keep the dates as read (the measured shift is still reported).
no_coregister_option = click.option(
    "--no-coregister", is_flag=True, help="Do not align the dates (not advised)."
)


def out_option(what: str, *, default: str = "out") -> Callable[[F], F]:
    """``--out DIR`` (stored as ``out_dir``), the folder the command writes ``what`` to."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path(default),
        show_default=True,
        help=f"Folder for {what}.",
    )


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


def loader_config(
    *,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
    offline: bool = False,
    cache: bool = True,
    **choice: Any,
) -> LoaderConfig:
    """The :class:`LoaderConfig` the catalogue options ask for (``cache=False``: none,
    for local rasters)."""
    return LoaderConfig(
        cache=TileCache(cache_dir or default_cache_dir()) if cache else None,
        http=HttpOptions(timeout_s=timeout, retries=retries),
        offline=offline,
        refresh=refresh,
        **choice,
    )


def make_loader(
    *,
    site_name: str,
    catalog: str,
    sas_url: str | None,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
) -> tuple[TileLoader, AOI]:
    """A :class:`TileLoader` for a site from command-line options."""
    aoi = aoi_for_site(load_site(site_name))
    config = loader_config(cache_dir=cache_dir, timeout=timeout, retries=retries, refresh=refresh)
    return TileLoader(open_catalog(catalog, sas_url=sas_url), aoi, config), aoi
