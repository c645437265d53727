"""``basewatch run``: from a site and two dates to the outputs of the change pipeline.

The tile loader finds and reads the scenes (or takes local GeoTIFFs), the change
pipeline compares them, and the run folder gets ``change.png``,
``detections.geojson`` and ``run.json`` (written last).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from basewatch.cli._options import (
    aircraft_background_option,
    catalog_options,
    check_catalog,
    check_date_order,
    cog_option,
    gpkg_option,
    loader_config,
    no_coregister_option,
    no_png_option,
    out_option,
    overwrite_option,
    progress,
    run_folder,
    site_option,
    step,
    vessels_without_b11_option,
)
from basewatch.outputs.summary import summary_lines


def _is_local(catalog: str | None) -> bool:
    from basewatch.imagery.scenes import is_local_source

    return catalog is not None and is_local_source(catalog)


@click.command()
@site_option
@click.option(
    "--before",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Date before the reported event (YYYY-MM-DD).",
)
@click.option(
    "--after",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Date after the reported event (YYYY-MM-DD).",
)
@catalog_options
@out_option("the run's outputs", command="run")
@overwrite_option
@click.option("--offline", is_flag=True, help="Use only the cache (see `basewatch fetch`).")
@click.option(
    "--window-days",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="How far from each date a scene may be.",
)
@click.option(
    "--max-cloud",
    type=click.FloatRange(0.0, 1.0),
    default=0.3,
    show_default=True,
    help="Largest cloud/shadow fraction of the site accepted (Sentinel-2).",
)
@no_coregister_option
@aircraft_background_option
@vessels_without_b11_option
@no_png_option
@gpkg_option
@cog_option
def run(
    site_name: str,
    before: dt.datetime,
    after: dt.datetime,
    catalog: str | None,
    sas_url: str | None,
    sensor: str,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
    out_dir: Path | None,
    overwrite: bool,
    offline: bool,
    window_days: int,
    max_cloud: float,
    no_coregister: bool,
    aircraft_background: str,
    vessels_without_b11: str,
    no_png: bool,
    gpkg: bool,
    cog: bool,
) -> None:
    """Find, read and compare the scenes of a site nearest to two dates.

    --catalog may also be a GeoTIFF or a folder of GeoTIFFs (dates from their tags or
    file names).
    """
    from basewatch.aoi import load_site
    from basewatch.detect.components import ObjectParams
    from basewatch.imagery.scenes import load_pair
    from basewatch.outputs.run import write_run
    from basewatch.pipeline import ChangeParams, detect_pair

    check_date_order(before, after, first="--before", last="--after", same_day=False)
    site = load_site(site_name)
    check_catalog(catalog)
    out = run_folder(
        out_dir,
        command="run",
        site=site.name,
        dates=(before.date(), after.date()),
        overwrite=overwrite,
    )
    with progress(f"finding and reading the scenes ({catalog or 'default catalogue'})") as read:
        config = loader_config(
            cache_dir=cache_dir,
            timeout=timeout,
            retries=retries,
            refresh=refresh,
            offline=offline,
            cache=not _is_local(catalog),
            window_days=window_days,
            max_cloud=max_cloud,
            coregister=not no_coregister,
            on_band=lambda scene, band: read(f"band {band} of {scene}"),
        )
        pair = load_pair(
            site,
            before.date(),
            after.date(),
            sensor=sensor,
            source=catalog,
            sas_url=sas_url,
            config=config,
        )
    first, second, source = pair.before, pair.after, pair.source
    for label, s in (("before", first), ("after", second)):
        cloud = "" if s.cloud_fraction is None else f", cloud in AOI {s.cloud_fraction:.0%}"
        shift = (
            ""
            if s.shift_px == (0.0, 0.0)
            else (
                f", shifted {_px(s.shift_px[0])} px in rows and {_px(s.shift_px[1])} px in "
                "columns onto 'before' (the opposite of the offset measured)"
            )
        )
        click.echo(f"{label}: {s.date} {s.id} ({source}{cloud}{shift})")
    with step("detecting changes and objects"):
        result = detect_pair(
            site,
            first,
            second,
            change_params=ChangeParams(),
            object_params=ObjectParams(
                aircraft_background=aircraft_background, vessels_without_b11=vessels_without_b11
            ),
        )
    with step(f"writing {out}"):
        paths = write_run(result, out, png=not no_png, gpkg=gpkg, cog=cog, overwrite=overwrite)
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")


def _px(value: float) -> str:
    """A shift in pixels, signed, to two decimals (never "-0.00")."""
    return f"{round(value, 2) + 0.0:+.2f}"
