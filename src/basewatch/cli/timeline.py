"""``basewatch timeline``: objects of a site followed over several local GeoTIFFs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from basewatch.aoi import load_site
from basewatch.cli._options import no_coregister_option, out_option, site_option
from basewatch.errors import InputError
from basewatch.grid import require_same_grid
from basewatch.imagery.coreg import coregister
from basewatch.imagery.loader import LoaderConfig
from basewatch.imagery.local import raster_grid, read_geotiff, site_window
from basewatch.outputs.run import write_timeline
from basewatch.outputs.summary import timeline_summary_lines
from basewatch.pipeline import TimelineResult, observe_dates


def run_local_series(
    site_name: str, rasters: Sequence[Path], *, coregister_dates: bool = True
) -> TimelineResult:
    """Validate and read local rasters of a site, order and align them, follow its objects.

    Every check (files, grids, coverage, dates) happens before anything is written.
    The scenes are sorted by date; unless ``coregister_dates`` is False, each later
    scene is shifted onto the first date by phase correlation (sub-pixel; the shift is
    recorded with the scene in ``timeline.json``).

    Raises
    ------
    InputError
        Fewer than two rasters, one file given twice, or two rasters of one date (see
        :func:`basewatch.pipeline.observe_dates` for the rest).
    GridMismatchError
        The rasters are not on one pixel grid.
    CoverageError
        The site lies outside the rasters.
    RasterReadError
        A file is missing or not a raster.
    """
    site = load_site(site_name)
    if len(rasters) < 2:
        raise InputError(
            f"a timeline needs at least two rasters (one per date), got {len(rasters)}"
        )
    seen: dict[Path, Path] = {}
    for p in rasters:
        key = p.resolve()
        if key in seen:
            raise InputError(f"{seen[key]} and {p} are the same file; give one raster per date")
        seen[key] = p
    grids = [raster_grid(p) for p in rasters]
    for p, g in zip(rasters[1:], grids[1:], strict=True):
        require_same_grid(grids[0], g, what_a=str(rasters[0]), what_b=str(p))
    window = site_window(site, grids[0])
    scenes = sorted((read_geotiff(p, window=window) for p in rasters), key=lambda s: s.datetime)
    if coregister_dates:
        config = LoaderConfig()
        s1 = scenes[0].sensor == "S1"
        first = scenes[0]
        scenes = [first] + [
            coregister(
                first,
                s,
                band=config.coreg_band_s1 if s1 else config.coreg_band_s2,
                max_shift_px=config.max_shift_px,
                log_scale=s1,
            )
            for s in scenes[1:]
        ]
    return observe_dates(site, scenes)


@click.command()
@site_option
@click.argument(
    "rasters",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)
@out_option("timeline.json and counts.csv")
@no_coregister_option
def timeline(site_name: str, rasters: tuple[Path, ...], out_dir: Path, no_coregister: bool) -> None:
    """Follow the objects of a site over two or more GeoTIFFs (one per date).

    RASTERS are local GeoTIFFs of one sensor on one pixel grid, in any order (dates
    from their tags or file names). Writes counts.csv (objects per zone and date) and
    timeline.json (scenes, parameters, counts, and one track per object with its
    position on each date; written last).
    """
    result = run_local_series(site_name, rasters, coregister_dates=not no_coregister)
    paths = write_timeline(result, out_dir)
    for line in timeline_summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")
