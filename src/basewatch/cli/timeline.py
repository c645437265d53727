"""``basewatch timeline``: objects of a site followed over several local GeoTIFFs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from basewatch.cli._options import (
    aircraft_background_option,
    bands_option,
    no_coregister_option,
    no_memory_check_option,
    out_option,
    overwrite_option,
    run_folder,
    site_option,
    step,
    vessels_without_b11_option,
)
from basewatch.outputs.summary import timeline_summary_lines

if TYPE_CHECKING:
    from basewatch.aoi import Site


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
@click.option("--no-png", is_flag=True, help="Skip counts.png, the chart of the counts.")
@no_coregister_option
@bands_option
@aircraft_background_option
@vessels_without_b11_option
@no_memory_check_option
def timeline(
    site_name: str,
    rasters: tuple[Path, ...],
    out_dir: Path | None,
    overwrite: bool,
    no_png: bool,
    no_coregister: bool,
    bands: tuple[str, ...] | None,
    aircraft_background: str,
    vessels_without_b11: str,
    no_memory_check: bool,
) -> None:
    """Follow the objects of a site over two or more GeoTIFFs (one per date).

    RASTERS are local GeoTIFFs of one sensor on one pixel grid, in any order (dates
    from their tags or file names). Writes counts.csv (objects per zone and date),
    counts.png (the same as a chart), report.html and timeline.json (scenes,
    parameters, counts, and one track per object with its position on each date;
    written last).
    """
    from basewatch.aoi import load_site
    from basewatch.detect.components import ObjectParams
    from basewatch.imagery.local import read_local_series
    from basewatch.outputs.run import write_timeline
    from basewatch.pipeline import observe_dates

    site = load_site(site_name)
    if not no_memory_check:
        _check_memory(site, rasters, bands, union=vessels_without_b11 == "union")
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
        result = observe_dates(
            site,
            scenes,
            object_params=ObjectParams(
                aircraft_background=aircraft_background, vessels_without_b11=vessels_without_b11
            ),
        )
    with step(f"writing {out}"):
        paths = write_timeline(result, out, png=not no_png, overwrite=overwrite)
    for line in timeline_summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")


def _check_memory(
    site: Site, rasters: tuple[Path, ...], bands: tuple[str, ...] | None, *, union: bool
) -> None:
    """Stop before reading when the site's window of every date will not fit in memory
    (:func:`basewatch._memory.check_fits`), saying what to do instead. ``union``: scenes
    without B11 searched by the 10 m classifier and the rule, counted as the
    classifier's search."""
    from basewatch._memory import TIMELINE_BYTES_PER_PIXEL_PER_DATE, check_fits, timeline_bytes
    from basewatch.detect.candidates import missing_bands
    from basewatch.imagery.local import raster_band_names, raster_grid, site_window

    window = site_window(site, raster_grid(rasters[0]), raster=rasters[0])
    cols, rows = int(window.width), int(window.height)
    per_date = TIMELINE_BYTES_PER_PIXEL_PER_DATE * cols * rows / 2**30
    # every date with B11: each date's vessels are the classifier's
    swir = not any(missing_bands(raster_band_names(r, bands)) for r in rasters)
    check_fits(
        timeline_bytes(cols * rows, len(rasters), classifier=swir or union),
        what=f"following the site's {cols} x {rows} px window over {len(rasters)} dates",
        instead=(
            f"Give fewer dates at a time (each holds about {per_date:.1f} GiB), or a site "
            "that covers less of the rasters; or --no-memory-check to start anyway."
        ),
    )
