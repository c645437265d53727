"""``basewatch detect``: object events between two co-registered GeoTIFFs of a site."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch.aoi import load_site
from basewatch.cli._options import (
    gpkg_option,
    no_coregister_option,
    no_png_option,
    out_option,
    site_option,
)
from basewatch.errors import InputError
from basewatch.imagery.local import read_local_pair
from basewatch.outputs.run import write_run
from basewatch.outputs.summary import summary_lines
from basewatch.pipeline import detect_pair


@click.command()
@site_option
@click.option(
    "--before",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="GeoTIFF of the earlier date.",
)
@click.option(
    "--after",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="GeoTIFF of the later date, on the same grid.",
)
@out_option("the run's outputs")
@no_png_option
@gpkg_option
@no_coregister_option
def detect(
    site_name: str,
    before: Path,
    after: Path,
    out_dir: Path,
    no_png: bool,
    gpkg: bool,
    no_coregister: bool,
) -> None:
    """Find objects that appeared or disappeared between two GeoTIFFs of a site."""
    if before.resolve() == after.resolve():
        raise InputError(f"--before and --after are the same file ({before}); give two dates")
    site = load_site(site_name)
    result = detect_pair(site, *read_local_pair(site, before, after, coregister=not no_coregister))
    paths = write_run(result, out_dir, png=not no_png, gpkg=gpkg)
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")
