"""``basewatch timeline``: objects of a site followed over several local GeoTIFFs."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch.cli._options import (
    bands_option,
    no_coregister_option,
    no_png_option,
    out_option,
    overwrite_option,
    run_folder,
    site_option,
    step,
)
from basewatch.outputs.summary import timeline_summary_lines


@click.command()
@site_option
@click.argument(
    "rasters",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)
@out_option("timeline.json, counts.csv, counts.png and report.html", command="timeline")
@overwrite_option
@no_png_option
@no_coregister_option
@bands_option
def timeline(
    site_name: str,
    rasters: tuple[Path, ...],
    out_dir: Path | None,
    overwrite: bool,
    no_png: bool,
    no_coregister: bool,
    bands: tuple[str, ...] | None,
) -> None:
    """Follow the objects of a site over two or more GeoTIFFs (one per date).

    RASTERS are local GeoTIFFs of one sensor on one pixel grid, in any order (dates
    from their tags or file names). Writes counts.csv (objects per zone and date),
    counts.png (the same as a chart), report.html and timeline.json (scenes,
    parameters, counts, and one track per object with its position on each date;
    written last).
    """
    from basewatch.aoi import load_site
    from basewatch.imagery.local import read_local_series
    from basewatch.outputs.run import write_timeline
    from basewatch.pipeline import observe_dates

    site = load_site(site_name)
    with step(f"reading and aligning {len(rasters)} GeoTIFFs"):
        scenes = read_local_series(site, rasters, coregister=not no_coregister, bands=bands)
    out = run_folder(
        out_dir,
        command="timeline",
        site=site.name,
        dates=[s.date for s in scenes],
        overwrite=overwrite,
    )
    with step("finding the objects of each date and following them"):
        result = observe_dates(site, scenes)
    with step(f"writing {out}"):
        paths = write_timeline(result, out, png=not no_png, overwrite=overwrite)
    for line in timeline_summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")
