"""``basewatch detect``: object events between two co-registered GeoTIFFs of a site."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch.aoi import load_site
from basewatch.errors import InputError
from basewatch.grid import require_same_grid
from basewatch.pipeline import PairResult, detect_pair, summary_lines, write_run
from basewatch.tiles import raster_grid, read_geotiff, site_window


def run_local_pair(site_name: str, before: Path, after: Path) -> PairResult:
    """Validate and read two local rasters of a site, and compare them.

    Every check (files, grids, coverage) happens before anything is written.
    """
    site = load_site(site_name)
    grid_b = raster_grid(before)
    grid_a = raster_grid(after)
    require_same_grid(grid_b, grid_a)
    window = site_window(site, grid_b)
    scene_b = read_geotiff(before, window=window)
    scene_a = read_geotiff(after, window=window)
    return detect_pair(site, scene_b, scene_a)


@click.command()
@click.option(
    "--site",
    "site_name",
    required=True,
    help="Site name (see `basewatch sites`) or path to a site GeoJSON.",
)
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
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Folder for the run's outputs.",
)
@click.option("--no-png", is_flag=True, help="Skip the annotated PNG.")
def detect(site_name: str, before: Path, after: Path, out_dir: Path, no_png: bool) -> None:
    """Find objects that appeared or disappeared between two GeoTIFFs of a site."""
    if before.resolve() == after.resolve():
        raise InputError(f"--before and --after are the same file ({before}); give two dates")
    result = run_local_pair(site_name, before, after)
    paths = write_run(result, out_dir, png=not no_png)
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")
