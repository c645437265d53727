"""``basewatch detect``: object events between two co-registered GeoTIFFs of a site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from basewatch.cli._options import (
    aircraft_background_option,
    bands_option,
    cog_option,
    gpkg_option,
    mixed_geometry_option,
    no_coregister_option,
    no_memory_check_option,
    no_png_option,
    out_option,
    overwrite_option,
    run_folder,
    site_option,
    step,
    vessels_without_b11_option,
)
from basewatch.errors import InputError
from basewatch.outputs.summary import summary_lines

if TYPE_CHECKING:
    from basewatch.aoi import Site


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
@out_option("the run's outputs", command="detect")
@overwrite_option
@no_png_option
@gpkg_option
@cog_option
@no_coregister_option
@bands_option
@mixed_geometry_option
@aircraft_background_option
@vessels_without_b11_option
@no_memory_check_option
def detect(
    site_name: str,
    before: Path,
    after: Path,
    out_dir: Path | None,
    overwrite: bool,
    no_png: bool,
    gpkg: bool,
    cog: bool,
    no_coregister: bool,
    bands: tuple[str, ...] | None,
    allow_mixed_geometry: bool,
    aircraft_background: str,
    vessels_without_b11: str,
    no_memory_check: bool,
) -> None:
    """Find objects that appeared or disappeared between two GeoTIFFs of a site."""
    from basewatch.aoi import load_site
    from basewatch.detect.components import ObjectParams
    from basewatch.imagery.local import read_local_pair
    from basewatch.outputs.run import write_run
    from basewatch.pipeline import detect_pair

    if before.resolve() == after.resolve():
        raise InputError(f"--before and --after are the same file ({before}); give two dates")
    site = load_site(site_name)
    if not no_memory_check:
        _check_memory(site, site_name, before, after, bands, union=vessels_without_b11 == "union")
    with step("reading and aligning the two GeoTIFFs"):
        first, second = read_local_pair(
            site, before, after, coregister=not no_coregister, bands=bands
        )
    out = run_folder(
        out_dir,
        command="detect",
        site=site.name,
        dates=(first.date, second.date),
        overwrite=overwrite,
    )
    with step("detecting changes and objects"):
        result = detect_pair(
            site,
            first,
            second,
            object_params=ObjectParams(
                aircraft_background=aircraft_background, vessels_without_b11=vessels_without_b11
            ),
            allow_mixed_geometry=allow_mixed_geometry,
        )
    with step(f"writing {out}"):
        paths = write_run(result, out, png=not no_png, gpkg=gpkg, cog=cog, overwrite=overwrite)
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"wrote {', '.join(str(p) for p in paths.values())}")


def _check_memory(
    site: Site,
    site_name: str,
    before: Path,
    after: Path,
    bands: tuple[str, ...] | None,
    *,
    union: bool,
) -> None:
    """Stop before reading when the site's window of the rasters will not fit in memory
    (:func:`basewatch._memory.check_fits`), saying what to do instead. ``union``: a
    pair without B11 is searched by the 10 m classifier and the rule, which takes what
    the classifier's search takes (measured at 5490 px: 26 bytes a pixel more than the
    rule's, within the classifier's 48)."""
    from basewatch._memory import check_fits, pair_bytes
    from basewatch.detect.candidates import missing_bands
    from basewatch.imagery.local import raster_band_names, raster_grid, site_window

    window = site_window(site, raster_grid(before), raster=f"--before {before}")
    cols, rows = int(window.width), int(window.height)
    # both dates with B11: each date's vessels are the classifier's
    swir = not any(missing_bands(raster_band_names(r, bands)) for r in (before, after))
    check_fits(
        pair_bytes(cols * rows, classifier=swir or union),
        what=f"comparing the site's {cols} x {rows} px window of the two rasters",
        instead=(
            "Compare them in row strips, each sized to the memory: basewatch monitor --pair "
            f"{before} {after} --sites {site_name} --out DIR (--memory-per-worker to set "
            "the size); or give a site that covers less of the rasters; or --no-memory-check "
            "to start anyway."
        ),
    )
