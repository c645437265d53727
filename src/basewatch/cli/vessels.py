"""``basewatch vessels IMAGE.tif``: the vessels of one Sentinel-2 image (GeoJSON and a picture)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from basewatch.cli._options import (
    catalog_reach_options,
    check_catalog,
    loader_config,
    no_memory_check_option,
    out_option,
    overwrite_option,
    run_folder,
    step,
)
from basewatch.errors import InputError

if TYPE_CHECKING:
    from basewatch.grid import Grid
    from basewatch.records import Scene

#: Band names in a file name such as ``port_S2L2A_20230818_B02-B03-B04-B08-B11.tif``.
_BANDS_IN_NAME = re.compile(r"(B\d{2}A?(?:-B\d{2}A?)+)")


def _named_bands(scene: Scene, path: Path) -> Scene:
    """``scene`` with its bands named from the file name (``..._B02-B03-B04-B08-B11.tif``)
    when neither ``--bands`` nor the file's tags named all five; refused when it lacks
    one of the four 10 m bands (without B11 the 10 m bands' model searches it)."""
    from basewatch.detect.candidates import BANDS, BANDS_10M, missing_bands

    names = [b.upper() for b in scene.bands]
    if missing_bands(names):
        found = _BANDS_IN_NAME.search(path.name)
        if found and len(found.group(1).split("-")) == len(names):
            names = found.group(1).split("-")
    missing = missing_bands(names, BANDS_10M)
    if missing:
        # --bands only names the bands a file has: with fewer bands than needed, say so
        fix = (
            f"name its bands with --bands {','.join(BANDS)} (or {','.join(BANDS_10M)}) if "
            "those are they"
            if len(names) >= len(BANDS_10M)
            else f"it has {len(names)} bands; give an image that holds {', '.join(BANDS)} "
            "(B11 resampled to 10 m) or at least the first four, or let basewatch read a "
            "scene's: basewatch vessels --site NAME --date YYYY-MM-DD"
        )
        raise InputError(
            f"{path}: bands {', '.join(scene.bands)}; vessels need {', '.join(BANDS)} or at "
            f"least {', '.join(BANDS_10M)} (missing {', '.join(missing)}): {fix}"
        )
    return dataclasses.replace(scene, bands=tuple(names))


@click.command("vessels")
@click.argument("image", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--site",
    default=None,
    help="Keep only the vessels in the water zones of this site (name or site GeoJSON; "
    "the whole image is searched, as the classifier was trained); with --date, the site "
    "whose scene is found.",
)
@click.option(
    "--date",
    "when",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Instead of IMAGE: the Sentinel-2 scene of --site nearest this date (YYYY-MM-DD), "
    "from a STAC catalogue.",
)
@catalog_reach_options
@click.option(
    "--window-days",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="With --date: how far from the date a scene may be.",
)
@click.option(
    "--max-cloud",
    type=click.FloatRange(0.0, 1.0),
    default=0.3,
    show_default=True,
    help="With --date: largest cloud/shadow fraction of the site accepted.",
)
@out_option(
    "vessels.geojson and vessels.png",
    command="vessels",
    default="out/vessels/<image name>[_<date>]/ or, with --date, out/vessels/<site>_<date>/",
)
@overwrite_option
@click.option(
    "--bands",
    default=None,
    help="Band names of the file, comma-separated (default: its tags or file name).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=None,
    help="Classifier score at or above which a candidate is a vessel [default: the model's].",
)
@no_memory_check_option
def vessels(
    image: Path | None,
    site: str | None,
    when: dt.datetime | None,
    catalog: str | None,
    sas_url: str | None,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
    window_days: int,
    max_cloud: float,
    out_dir: Path | None,
    overwrite: bool,
    bands: str | None,
    threshold: float | None,
    no_memory_check: bool,
) -> None:
    """The vessels of one Sentinel-2 image: GeoJSON outlines in WGS84 (length, width,
    heading, confidence, classifier score) and a picture.

    Give IMAGE (a GeoTIFF holding B02, B03, B04, B08 and B11; or the four 10 m bands
    alone, searched by a second model that finds fewer ships), or --site and --date to
    find the scene nearest the date in a STAC catalogue (only the site's window is read,
    every band on its 10 m grid). The whole image is searched; with --site, the vessels
    kept are those in the site's water zones.
    """
    import numpy as np

    from basewatch.detect.candidates import BANDS
    from basewatch.outputs.vessels import NO_DATE_YEAR, scene_vessel_warnings, write_vessels
    from basewatch.pipeline import detect_scene_vessels

    if (image is None) == (when is None):
        raise InputError(
            "give either IMAGE (a GeoTIFF) or --site and --date (a scene from a catalogue), "
            "not both and not neither"
        )
    if image is not None and catalog is not None:
        raise InputError("--catalog goes with --date; IMAGE is read as it is")
    if when is not None and site is None:
        raise InputError("--date needs --site: the site whose scene is looked for")
    if image is not None:
        from basewatch.imagery.local import raster_grid, read_geotiff

        if not no_memory_check:
            _check_memory(image, raster_grid(image))
        scene = read_geotiff(
            image,
            sensor="S2",
            bands=bands.split(",") if bands else None,
            undated=dt.datetime(NO_DATE_YEAR, 1, 1, tzinfo=dt.UTC),
        )
        scene = _named_bands(scene, image)
        # the folder is named by the file, and by its date unless the name holds it
        dated = scene.datetime.year != NO_DATE_YEAR
        day = [scene.date] if dated and f"{scene.date:%Y%m%d}" not in image.stem else []
        label, dates, source = image.stem, day, str(image)
    else:
        assert when is not None and site is not None
        check_catalog(catalog)
        from basewatch.imagery.scenes import load_scene

        config = loader_config(
            cache_dir=cache_dir,
            timeout=timeout,
            retries=retries,
            refresh=refresh,
            window_days=window_days,
            max_cloud=max_cloud,
        )
        with step(f"finding and reading the scene ({catalog or 'default catalogue'})"):
            scene, source = load_scene(
                site, when.date(), bands=BANDS, source=catalog, sas_url=sas_url, config=config
            )
        label, dates = site, [scene.date]
    out = run_folder(out_dir, command="vessels", site=label, dates=dates, overwrite=overwrite)
    with step("finding the vessels"):
        found = detect_scene_vessels(scene, site=site, threshold=threshold)
    with step(f"writing {out}"):
        paths = write_vessels(found, out, source=source, overwrite=overwrite)
    for note in scene_vessel_warnings(found):
        click.echo(f"warning: {note}")
    params = found.result.params
    if "B11" not in params.get("bands", ["B11"]):
        click.echo(
            "note: the image has no B11: its vessels are the 10 m bands' model's, which finds "
            "fewer of them (held out on 8 labelled ports: see the model card); an image with "
            "B11 is searched better"
        )
    click.echo(
        f"{found.n} vessels among {np.count_nonzero(found.searched)} candidates "
        f"{'in the water zones of ' + found.site + ' ' if found.site else ''}in "
        f"{scene.id} ({scene.date}; model {params['model_version']}, threshold "
        f"{params['threshold']:.2f}) -> {paths['geojson']}, {paths['png'].name}"
    )


def _check_memory(image: Path, grid: Grid) -> None:
    """Stop before reading an image too large to search in this machine's memory
    (:func:`basewatch._memory.check_fits`), saying what to do instead."""
    from basewatch._memory import check_fits, vessels_bytes

    check_fits(
        vessels_bytes(grid.width * grid.height),
        what=f"searching the whole {grid.width} x {grid.height} px image {image.name}",
        instead=(
            "Cut the part to search out of it first (gdal_translate -projwin ...), or search "
            "a site's window read from a catalogue (--site NAME --date YYYY-MM-DD); or "
            "--no-memory-check to start anyway."
        ),
    )
