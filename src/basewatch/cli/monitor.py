"""``basewatch monitor``: many sites over many dates, on a Dask cluster."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from basewatch.cli._options import (
    aircraft_background_option,
    check_catalog,
    check_date_order,
    no_coregister_option,
    no_png_option,
)

if TYPE_CHECKING:
    from basewatch.detect.components import ObjectParams


def _names(value: str, what: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise click.BadParameter(f"give at least one {what}, separated by commas")
    return names


def _gdal_pairs(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{v!r}: write GDAL options as KEY=VALUE")
        pairs.append((key, val))
    return tuple(pairs)


def _cluster_logs() -> None:
    """The cluster's own INFO lines (the scheduler starting, workers joining, finished
    keys released) only with ``basewatch -v``: the command prints its progress itself,
    and warnings and errors still show. Called once ``distributed`` is imported (its
    import sets its loggers' levels)."""
    ctx = click.get_current_context(silent=True)
    verbose = bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("verbose"))
    logging.getLogger("distributed").setLevel(logging.INFO if verbose else logging.WARNING)


@click.command()
@click.option(
    "--sites", required=True, help="Sites to watch, separated by commas (hmeimim,tartus)."
)
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First date searched (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last date searched (YYYY-MM-DD).",
)
@click.option(
    "--pair",
    "tile_pair",
    nargs=2,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    metavar="BEFORE AFTER",
    help="Instead of searching dates: two whole co-registered rasters (a tile each), run "
    "in row strips on the cluster, each strip sized to --memory-per-worker; --sites names "
    "one site (or GeoJSON file) and the run goes to --out.",
)
@click.option(
    "--sensor",
    "sensors",
    default="s2",
    show_default=True,
    help="Sensors, separated by commas: s2 (optical), s1 (radar).",
)
@click.option(
    "--catalog",
    default=None,
    help="earthsearch, planetary-computer, cdse, a STAC API URL or a static catalog.json "
    "(reachable from the workers) [default: each sensor's usual catalogue].",
)
@click.option("--sas-url", default=None, help="SAS token service for a --catalog URL.")
@click.option(
    "--cache-dir",
    default=None,
    help="Tile cache folder on the workers [default: their $BASEWATCH_CACHE or "
    "~/.cache/basewatch].",
)
@click.option("--no-cache", is_flag=True, help="Do not cache searches and band windows.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1.0),
    default=30.0,
    show_default=True,
    help="Seconds before a request is abandoned.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=3,
    show_default=True,
    help="Retries of a failed request (with backoff).",
)
@click.option("--refresh", is_flag=True, help="Ask the catalogue again (no cached search).")
@click.option("--offline", is_flag=True, help="Use only the workers' caches.")
@click.option(
    "--max-cloud",
    type=click.FloatRange(0.0, 1.0),
    default=0.3,
    show_default=True,
    help="Largest cloud/shadow fraction of a site accepted (Sentinel-2).",
)
@click.option(
    "--gdal-config",
    multiple=True,
    metavar="KEY=VALUE",
    help="A GDAL configuration option for the workers' reads (repeatable); the client's "
    "GDAL_*, CPL_* and VSI_* environment variables are sent too.",
)
@click.option(
    "--scheduler",
    default=None,
    help="Address of a running Dask scheduler (tcp://host:8786) [default: a local cluster].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes of the local cluster [default: one per CPU core].",
)
@click.option(
    "--threads-per-worker",
    type=click.IntRange(min=1),
    default=None,
    help="Threads of each local worker's kernels, thread pools and GDAL inside a task "
    "(1: everything on the task's thread) [default: the CPU cores shared among the workers].",
)
@click.option(
    "--memory-per-worker",
    default=None,
    help="Memory limit of each local worker, e.g. 4GiB [default: memory shared among "
    "them]; tasks that would need more are refused, and --pair strips are sized to it "
    "(with --scheduler: to the workers' own limits).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("monitor"),
    show_default=True,
    help="Root folder: one folder per site, sensor and pair, the series, monitor.json "
    "(the same path on every worker).",
)
@no_coregister_option
@aircraft_background_option
@no_png_option
@click.option(
    "--gpkg/--no-gpkg", default=True, show_default=True, help="Write detections.gpkg per pair."
)
@click.option(
    "--cog/--no-cog",
    default=True,
    show_default=True,
    help="Write change.tif, before.tif and after.tif per pair.",
)
def monitor(
    sites: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    tile_pair: tuple[Path, Path] | None,
    sensors: str,
    catalog: str | None,
    sas_url: str | None,
    cache_dir: str | None,
    no_cache: bool,
    timeout: float,
    retries: int,
    refresh: bool,
    offline: bool,
    max_cloud: float,
    gdal_config: tuple[str, ...],
    scheduler: str | None,
    workers: int | None,
    threads_per_worker: int | None,
    memory_per_worker: str | None,
    out_dir: Path,
    no_coregister: bool,
    aircraft_background: str,
    no_png: bool,
    gpkg: bool,
    cog: bool,
) -> None:
    """Watch sites at every usable date: each pair of consecutive dates and each
    site's series, run on a Dask cluster.

    Each pair folder holds what `basewatch run` writes for those two dates. Complete
    folders are skipped, so running the same command again (after Ctrl-C, a crash or a
    lost worker) finishes only what is missing.

    With --pair, two whole rasters are compared in strips instead (the detections of
    `basewatch detect` on them, without holding either whole).
    """
    from basewatch.detect.components import ObjectParams
    from basewatch.imagery.catalog import HttpOptions
    from basewatch.scale.monitor import monitor as run_monitor
    from basewatch.scale.monitor import open_client
    from basewatch.scale.plan import (
        SENSORS,
        LoadSettings,
        OutputSettings,
        Survey,
        gdal_options_from_env,
    )
    from basewatch.scale.tasks import Outcome

    check_date_order(start, end)
    if catalog is not None and tile_pair is None:
        from basewatch.scale.tasks import check_catalogue

        check_catalog(catalog)  # a scene list names scenes, reads no pixels
        check_catalogue(catalog)  # before the cluster starts: the tasks would all fail
    _cluster_logs()
    objects = ObjectParams(aircraft_background=aircraft_background)
    if tile_pair is not None:
        _tile_pair(
            sites,
            tile_pair,
            scheduler,
            workers,
            memory_per_worker,
            out_dir,
            coregister=not no_coregister,
            threads_per_worker=threads_per_worker,
            object_params=objects,
        )
        return
    if start is None or end is None:
        raise click.UsageError("give --from and --to (or --pair BEFORE AFTER)")
    sensor_list = [s.lower() for s in _names(sensors, "sensor")]
    for s in sensor_list:
        if s not in SENSORS:
            raise click.BadParameter(f"unknown sensor {s!r}; use {', '.join(SENSORS)}")
    load = LoadSettings(
        catalog=catalog,
        sas_url=sas_url,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        http=HttpOptions(timeout_s=timeout, retries=retries),
        offline=offline,
        refresh=refresh,
        max_cloud=max_cloud,
        coregister=not no_coregister,
        gdal=(*gdal_options_from_env(), *_gdal_pairs(gdal_config)),
    )
    output = OutputSettings(out_dir=str(out_dir.resolve()), png=not no_png, gpkg=gpkg, cog=cog)

    def show_survey(s: Survey) -> None:
        click.echo(
            f"{s.name} {s.sensor}: {len(s.usable)} usable dates"
            + (f", {len(s.unusable)} unusable" if s.unusable else "")
        )

    def show(o: Outcome, done: int, planned: int) -> None:
        click.echo(f"[{done}/{planned}] {o.message} ({o.status}, {o.seconds:.1f} s)")

    with open_client(
        scheduler=scheduler,
        workers=workers,
        memory_per_worker=memory_per_worker,
        threads_per_worker=threads_per_worker,
    ) as client:
        click.echo(f"cluster: {client.scheduler_info().get('address', scheduler)}")
        result = run_monitor(
            _names(sites, "site"),
            start.date(),
            end.date(),
            client=client,
            output=output,
            sensors=sensor_list,
            load=load,
            on_outcome=show,
            on_survey=show_survey,
            object_params=objects,
        )
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.by_status().items()))
    click.echo(f"{len(result.outcomes)} tasks: {counts or 'none'}; wrote {result.out_dir}")


def _tile_pair(
    sites: str,
    paths: tuple[Path, Path],
    scheduler: str | None,
    workers: int | None,
    memory_per_worker: str | None,
    out_dir: Path,
    *,
    coregister: bool,
    threads_per_worker: int | None,
    object_params: ObjectParams,
) -> None:
    """``monitor --pair``: one site over two whole rasters, in strips on the cluster."""
    from dask.utils import parse_bytes

    from basewatch.aoi import load_site
    from basewatch.scale.monitor import open_client, worker_memory_limit
    from basewatch.scale.pair import detect_pair_chunked, write_chunked_run

    names = _names(sites, "site")
    if len(names) != 1:
        raise click.BadParameter("with --pair give one site (a name or a GeoJSON file)")
    site = load_site(names[0])
    if out_dir.is_dir() and any(out_dir.iterdir()):
        # before the work: monitor --pair writes its folder whole and never replaces one
        raise click.BadParameter(
            f"{out_dir} is not empty; monitor --pair writes a new folder and replaces none: "
            "give --out a new or empty folder",
            param_hint="--out",
        )
    budget = None
    if memory_per_worker is not None:
        try:
            budget = int(parse_bytes(memory_per_worker))
        except (ValueError, TypeError) as exc:
            raise click.BadParameter(
                f"--memory-per-worker {memory_per_worker!r} is not a size; write it like 4GiB"
            ) from exc
    with open_client(
        scheduler=scheduler,
        workers=workers,
        memory_per_worker=memory_per_worker,
        threads_per_worker=threads_per_worker,
    ) as client:
        click.echo(f"cluster: {client.scheduler_info().get('address', scheduler)}")
        if budget is None:  # the workers' own limit (a scheduler's, or the machine's share)
            budget = worker_memory_limit(client)
        result = detect_pair_chunked(
            site,
            paths[0],
            paths[1],
            memory_per_worker=budget,
            coregister=coregister,
            object_params=object_params,
            on_pass=lambda name: click.echo(f"pass: {name}"),
        )
    written = write_chunked_run(result, out_dir)
    counts = ", ".join(f"{n} {k}" for k, n in result.counts().items())
    click.echo(
        f"{len(result.detections)} detections ({counts or 'none'}) in {len(result.strips)} "
        f"strips; wrote {written}"
    )
