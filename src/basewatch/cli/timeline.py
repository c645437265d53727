"""``basewatch timeline``: objects of a site followed over several local GeoTIFFs."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch.aoi import load_site
from basewatch.cli._options import no_coregister_option, out_option, site_option
from basewatch.imagery.local import read_local_series
from basewatch.outputs.run import write_timeline
from basewatch.outputs.summary import timeline_summary_lines
from basewatch.pipeline import observe_dates


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
    site = load_site(site_name)
    scenes = read_local_series(site, rasters, coregister=not no_coregister)
    result = observe_dates(site, scenes)
    paths = write_timeline(result, out_dir)
    for line in timeline_summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")
