"""``basewatch detect``: object events between two co-registered GeoTIFFs of a site."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch.aoi import load_site
from basewatch.cli._options import no_coregister_option, out_option, site_option
from basewatch.errors import InputError
from basewatch.grid import require_same_grid
from basewatch.imagery.coreg import coregister
from basewatch.imagery.loader import LoaderConfig
from basewatch.imagery.local import raster_grid, read_geotiff, site_window
from basewatch.outputs.run import write_run
from basewatch.outputs.summary import summary_lines
from basewatch.pipeline import PairResult, detect_pair


def run_local_pair(
    site_name: str, before: Path, after: Path, *, coregister_dates: bool = True
) -> PairResult:
    """Validate and read two local rasters of a site, align them, and compare them.

    Every check (files, grids, coverage) happens before anything is written. Unless
    ``coregister_dates`` is False, the later scene is shifted onto the earlier one by
    phase correlation (sub-pixel; the shift is recorded in the run record).
    """
    site = load_site(site_name)
    grid_b = raster_grid(before)
    grid_a = raster_grid(after)
    require_same_grid(grid_b, grid_a)
    window = site_window(site, grid_b)
    scene_b = read_geotiff(before, window=window)
    scene_a = read_geotiff(after, window=window)
    if coregister_dates:
        config = LoaderConfig()
        s1 = scene_b.sensor == "S1"
        scene_a = coregister(
            scene_b,
            scene_a,
            band=config.coreg_band_s1 if s1 else config.coreg_band_s2,
            max_shift_px=config.max_shift_px,
            log_scale=s1,
        )
    return detect_pair(site, scene_b, scene_a)


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
@click.option("--no-png", is_flag=True, help="Skip the annotated PNG.")
@no_coregister_option
def detect(
    site_name: str, before: Path, after: Path, out_dir: Path, no_png: bool, no_coregister: bool
) -> None:
    """Find objects that appeared or disappeared between two GeoTIFFs of a site."""
    if before.resolve() == after.resolve():
        raise InputError(f"--before and --after are the same file ({before}); give two dates")
    result = run_local_pair(site_name, before, after, coregister_dates=not no_coregister)
    paths = write_run(result, out_dir, png=not no_png)
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")
