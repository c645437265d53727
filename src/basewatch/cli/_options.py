"""Options shared by several commands."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from basewatch._atomic import refuse_foreign
from basewatch.errors import OutputError

if TYPE_CHECKING:
    from basewatch.aoi import AOI
    from basewatch.imagery.loader import LoaderConfig, TileLoader

F = TypeVar("F", bound=Callable[..., Any])

#: ``--site NAME`` (stored as ``site_name``): a bundled site or a site GeoJSON file.
site_option = click.option(
    "--site",
    "site_name",
    required=True,
    help="Site name (see `basewatch sites`) or path to a site GeoJSON.",
)


#: ``--no-png``: skip the annotated picture (large rasters draw slowly).
no_png_option = click.option("--no-png", is_flag=True, help="Skip the annotated PNG.")

#: ``--gpkg/--no-gpkg``: the run's GeoPackage (detection outlines, site, zones).
gpkg_option = click.option(
    "--gpkg/--no-gpkg",
    default=True,
    show_default=True,
    help="Write detections.gpkg (GeoPackage for QGIS: detection outlines, site, zones).",
)

#: ``--cog/--no-cog``: the change map and the aligned scenes as cloud-optimised GeoTIFFs.
cog_option = click.option(
    "--cog/--no-cog",
    default=True,
    show_default=True,
    help="Write change.tif, before.tif and after.tif (cloud-optimised GeoTIFFs).",
)

#: ``--no-memory-check``: start even when the run seems not to fit in memory.
no_memory_check_option = click.option(
    "--no-memory-check",
    is_flag=True,
    help="Start even when the estimate says the run will not fit in this machine's memory.",
)

#: ``--overwrite``: replace a finished run in the output folder.
overwrite_option = click.option(
    "--overwrite",
    is_flag=True,
    help="Replace the outputs of an earlier run in the output folder.",
)


#: ``--no-coregister``: keep the dates as read (the measured shift is still reported).
no_coregister_option = click.option(
    "--no-coregister", is_flag=True, help="Do not align the dates (not advised)."
)


def out_option(what: str, *, command: str, default: str | None = None) -> Callable[[F], F]:
    """``--out DIR`` (stored as ``out_dir``), the folder the command writes ``what`` to;
    by default ``out/<command>/<site>_<dates>/`` (:func:`run_folder`), or as ``default``
    says for a command that names it otherwise."""
    default = default or f"out/{command}/<site>_<dates>/"
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help=f"Folder for {what} [default: {default}].",
    )


def date_range_options(func: F) -> F:
    """``--from`` and ``--to`` (stored as ``start`` and ``end``), both required: the
    first and last day searched (:func:`check_date_order` checks their order)."""
    day = click.DateTime(["%Y-%m-%d"])
    func = click.option("--to", "end", type=day, required=True, help="Last day (YYYY-MM-DD).")(func)
    return click.option("--from", "start", type=day, required=True, help="First day (YYYY-MM-DD).")(
        func
    )


def check_date_order(
    start: dt.datetime | dt.date | None,
    end: dt.datetime | dt.date | None,
    *,
    first: str = "--from",
    last: str = "--to",
    same_day: bool = True,
) -> None:
    """Refuse two dates given the wrong way round, before any work (either may be
    None: not given). ``same_day``: whether both may be one day (a range may; the two
    dates of a change pair may not).

    Raises
    ------
    click.BadParameter
        ``end`` is before ``start`` (or on the same day, where ``same_day`` is false);
        the message names both options.
    """
    if start is None or end is None:
        return
    if end < start:
        raise click.BadParameter(
            f"{end:%Y-%m-%d} is before {first} {start:%Y-%m-%d}; give the earlier date first",
            param_hint=last,
        )
    if not same_day and end == start:
        raise click.BadParameter(
            f"{end:%Y-%m-%d} is the day of {first}; a change needs two different dates",
            param_hint=last,
        )


#: Files whose presence marks a finished run folder (written last).
RUN_MARKERS = ("run.json", "timeline.json", "vessels.geojson", "corroboration.json")


def run_folder(
    out_dir: Path | None,
    *,
    command: str,
    site: str,
    dates: Sequence[dt.date | str],
    overwrite: bool,
) -> Path:
    """The folder a command writes to: ``out_dir``, or ``out/<command>/<site>_<dates>/``
    (dates as ``YYYYMMDD`` joined by ``_``: first and last of a series).

    Raises
    ------
    OutputError
        The folder holds a finished run (``run.json``, ``timeline.json``,
        ``vessels.geojson`` or ``corroboration.json``) and ``overwrite`` is false:
        nothing is overwritten without ``--overwrite`` (checked here, before the work,
        and again when writing). Or it is not empty and holds no finished run (the
        inputs' folder, a folder of several runs, files of the user's), or holds files
        basewatch did not write there beside one (:func:`~basewatch._atomic.foreign_files`):
        refused even with ``overwrite``, since replacing it whole would delete them.
    """
    if out_dir is None:
        days = [str(d).replace("-", "") for d in dates]
        span = days if len(days) <= 2 else [days[0], days[-1]]
        out_dir = Path("out") / command / "_".join([Path(site).stem, *span])
    if out_dir.is_dir() and any(out_dir.iterdir()):
        done = [m for m in RUN_MARKERS if (out_dir / m).is_file()]
        if not done:
            # inputs, folders of several runs, files of the user's: --overwrite would
            # take them all away, so it is never offered
            raise OutputError(
                f"{out_dir} holds files that are not one basewatch run's (inputs, other "
                "runs' folders or files of yours); basewatch replaces only a folder it "
                "wrote: give --out a new or empty folder"
            )
        if not overwrite:
            raise OutputError(
                f"{out_dir} already holds earlier results ({done[0]}); give --overwrite "
                "to replace that run whole, or --out for another folder"
            )
        # files of the user's beside the run's: --overwrite would delete them
        refuse_foreign(out_dir)
    return out_dir


def _catalog_option_list(*, sensor: bool) -> list[Callable[[F], F]]:
    """The options that choose and reach a catalogue (``--sensor`` too when ``sensor``)."""
    default = (
        "earthsearch for s2, planetary-computer for s1 (terrain-corrected backscatter, open access)"
        if sensor
        else "earthsearch"  # the commands without --sensor read Sentinel-2 only
    )
    options: list[Callable[[F], F]] = [
        click.option(
            "--catalog",
            default=None,
            help="earthsearch, planetary-computer, cdse, the URL of a STAC API, or the path "
            f"of a static STAC catalogue (catalog.json) [default: {default}].",
        ),
        click.option(
            "--sas-url",
            default=None,
            help="Planetary Computer style SAS token service for a --catalog URL.",
        ),
    ]
    if sensor:
        options.append(
            click.option(
                "--sensor",
                type=click.Choice(["s2", "s1"], case_sensitive=False),
                default="s2",
                show_default=True,
                help="s2: Sentinel-2 optical; s1: Sentinel-1 radar (sees through cloud).",
            )
        )
    options += [
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="Tile cache folder [default: $BASEWATCH_CACHE or ~/.cache/basewatch].",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1.0),
            default=30.0,
            show_default=True,
            help="Seconds before a request is abandoned.",
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=0, max=10),
            default=3,
            show_default=True,
            help="Retries of a failed request (with backoff).",
        ),
        click.option(
            "--refresh",
            is_flag=True,
            help="Ask the catalogue again instead of using a cached search.",
        ),
    ]
    return options


def catalog_options(func: F) -> F:
    """The options shared by ``fetch`` and ``run`` to choose and reach a catalogue."""
    for option in reversed(_catalog_option_list(sensor=True)):
        func = option(func)
    return func


def catalog_reach_options(func: F) -> F:
    """:func:`catalog_options` without ``--sensor`` (a command of one sensor)."""
    for option in reversed(_catalog_option_list(sensor=False)):
        func = option(func)
    return func


def loader_config(
    *,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
    offline: bool = False,
    cache: bool = True,
    **choice: Any,
) -> LoaderConfig:
    """The :class:`LoaderConfig` the catalogue options ask for (``cache=False``: none,
    for local rasters)."""
    from basewatch.imagery.cache import TileCache, default_cache_dir
    from basewatch.imagery.catalog import HttpOptions
    from basewatch.imagery.loader import LoaderConfig

    return LoaderConfig(
        cache=TileCache(cache_dir or default_cache_dir()) if cache else None,
        http=HttpOptions(timeout_s=timeout, retries=retries),
        offline=offline,
        refresh=refresh,
        **choice,
    )


def make_loader(
    *,
    site_name: str,
    catalog: str,
    sas_url: str | None,
    cache_dir: Path | None,
    timeout: float,
    retries: int,
    refresh: bool,
) -> tuple[TileLoader, AOI]:
    """A :class:`TileLoader` for a site from command-line options."""
    from basewatch.aoi import aoi_for_site, load_site
    from basewatch.imagery.loader import TileLoader, open_catalog

    aoi = aoi_for_site(load_site(site_name))
    config = loader_config(cache_dir=cache_dir, timeout=timeout, retries=retries, refresh=refresh)
    return TileLoader(open_catalog(catalog, sas_url=sas_url), aoi, config), aoi


def check_catalog(catalog: str | None) -> None:
    """Refuse, in one line, a catalogue file (scene list, STAC items) where scenes must
    be read (:func:`~basewatch.imagery.catalog.refuse_catalogue_file`)."""
    from basewatch.imagery.catalog import refuse_catalogue_file

    if catalog is not None:
        refuse_catalogue_file(catalog)


_log = logging.getLogger("basewatch.cli")


def _quiet() -> bool:
    """Whether ``-q`` was given (or no command context is running)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.obj and ctx.obj.get("quiet"))


class Advance:
    """Moves a :func:`progress` bar on by one part; ``total`` sets how many parts
    there are once that is known."""

    def __init__(self, label: str, update: Callable[[str, int | None], None]) -> None:
        self.label = label
        self.done = 0
        self._update = update

    def __call__(self, what: str = "", *, total: int | None = None) -> None:
        self.done += 1
        _log.info("%s: %d%s%s", self.label, self.done, f"/{total}" if total else "", f" {what}")
        self._update(what, total)


@contextlib.contextmanager
def progress(label: str, *, total: int | None = None) -> Iterator[Advance]:
    """A step of a command made of parts (band windows, reports): a rich progress bar
    on a terminal's stderr unless ``-q`` (a counter while the total is unknown), each
    part logged under ``-v``. Yields an :class:`Advance` to call after each part."""
    _log.info("%s ...", label)
    start = time.perf_counter()
    if _quiet() or not sys.stderr.isatty():
        yield Advance(label, lambda what, n: None)
    else:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=total)

            def update(what: str, n: int | None) -> None:
                text = f"{label}: {what}" if what else label
                if n:
                    bar.update(task, total=n)
                bar.update(task, advance=1, description=text)

            yield Advance(label, update)
    _log.info("%s: done in %.1f s", label, time.perf_counter() - start)


@contextlib.contextmanager
def step(label: str) -> Iterator[None]:
    """A step of a command: logged with its time under ``-v``, shown as a spinner on a
    terminal's stderr unless ``-q``."""
    quiet = _quiet()
    _log.info("%s ...", label)
    start = time.perf_counter()
    if quiet or not sys.stderr.isatty():
        yield
    else:
        from rich.console import Console

        with Console(stderr=True).status(label):
            yield
    _log.info("%s: done in %.1f s", label, time.perf_counter() - start)


#: ``--bands``: the band names of rasters whose tags and descriptions do not name them.
bands_option = click.option(
    "--bands",
    default=None,
    metavar="B02,B03,B04,B08",
    callback=lambda ctx, param, value: (
        tuple(b.strip().upper() for b in value.split(",") if b.strip()) if value else None
    ),
    help="Names of the rasters' bands in file order, when their tags or band "
    "descriptions do not give them (Sentinel-2 band ids: green B03 and NIR B08 are needed "
    "for vessels).",
)

#: ``--allow-mixed-geometry``: compare radar scenes of two tracks or passes anyway.
mixed_geometry_option = click.option(
    "--allow-mixed-geometry",
    is_flag=True,
    help="Radar: compare scenes of different tracks or passes anyway (refused otherwise; "
    "the run's warnings then say so).",
)


#: ``--aircraft-background``: what the single-date aircraft search compares each pixel
#: with (:attr:`basewatch.detect.components.ObjectParams.aircraft_background`; the
#: choices are :data:`basewatch.detect.change.CFAR_STATISTICS`, written out here so that
#: ``--help`` does not import numpy: a test holds the two equal).
aircraft_background_option = click.option(
    "--aircraft-background",
    type=click.Choice(["mean", "median"]),
    default="mean",
    show_default=True,
    help="What the aircraft search compares each pixel with: the mean and spread of the "
    "150 m ring around it, or the ring's median and interquartile range, which finds "
    "aircraft parked side by side on a crowded apron (slower; see README).",
)


#: ``--vessels-without-b11``: how a pair whose scenes lack B11 is searched for vessels
#: (:attr:`basewatch.detect.components.ObjectParams.vessels_without_b11`; the choices
#: are :data:`basewatch.detect.components.VESSELS_WITHOUT_B11`, written out here so
#: that ``--help`` does not import numpy: a test holds the two equal).
vessels_without_b11_option = click.option(
    "--vessels-without-b11",
    type=click.Choice(["rule", "union"]),
    default="rule",
    show_default=True,
    help="How scenes without B11 (the four 10 m bands only) are searched for vessels: the "
    "rule-based search, or 'union': the 10 m bands' trained classifier and the rule's "
    "vessels it did not find (held out on 8 labelled Level-2A ports: recall 0.43 against "
    "the rule's 0.14, precision 0.46 against 0.59; fewer of both on Level-1C scenes; about "
    "twice the time of the rule's pair; see the model card).",
)
