"""What a worker does with one task: survey a site, run a pair, run a series.

Each function takes a small task record and the settings, reads its own windows with
the tile loader (inside ``rasterio.Env`` with the GDAL options the client sent), runs
the one pipeline (:func:`basewatch.pipeline.detect_pair`, :func:`~basewatch.pipeline.
observe_dates`) and writes with the one writer (:func:`basewatch.outputs.run.write_run`,
:func:`~basewatch.outputs.run.write_timeline`).

A result is written whole by :func:`basewatch._atomic.write_folder` (a temporary
sibling that takes the folder's place in one step, under the folder's lock): a folder
under its final name is always complete, whatever killed the worker. A task whose
folder is already complete returns at once (``"complete"``), and a second run of a
task (a worker thought lost, a monitor started again) waits for the first one's lock
and then finds the folder complete, so it writes once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import rasterio

from basewatch._atomic import atomic_write_bytes, write_folder
from basewatch._gc import without_collection
from basewatch._heap import on_heap
from basewatch._threads import SHARE_VARIABLE, thread_share
from basewatch.aoi import aoi_for_site, load_site
from basewatch.detect.components import ObjectParams
from basewatch.errors import CoverageError, InputError, NoSceneError
from basewatch.imagery.catalog import Assessment, choose_nearest
from basewatch.imagery.coreg import coregister_series
from basewatch.imagery.loader import TileLoader, common_bands, open_catalog
from basewatch.imagery.scenes import is_local_source, load_pair
from basewatch.outputs.run import write_run, write_timeline
from basewatch.pipeline import ChangeParams, detect_pair, observe_dates
from basewatch.records import dumps_json, to_jsonable
from basewatch.scale.plan import (
    LoadSettings,
    OutputSettings,
    PairTask,
    SceneDate,
    SeriesTask,
    Survey,
    SurveyTask,
)

__all__ = [
    "COMPLETE_MARKERS",
    "Outcome",
    "is_complete",
    "parameters_clash",
    "run_pair",
    "run_series",
    "survey_site",
]

#: A folder holding one of these files is a finished task: ``run.json`` (pair),
#: ``timeline.json`` (series), ``unusable.json`` (a pair whose scenes cannot be used;
#: it says why, and is not tried again).
COMPLETE_MARKERS: tuple[str, ...] = ("run.json", "timeline.json", "unusable.json")

#: ``ru_maxrss`` is in kilobytes on Linux and in bytes on macOS.
_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class Outcome:
    """What one pair or series task did.

    Attributes
    ----------
    key : str
        The task's key.
    folder : str
        Its folder, relative to the output root.
    status : {"done", "complete", "unusable"}
        Computed and written now; found complete (nothing done); or its scenes cannot
        be used (``unusable.json`` written, with the reason in ``message``).
    message : str
        One line for the progress display.
    counts : tuple of (str, int)
        Detections per event (pairs) or tracks and dates (series).
    seconds : float
        Time the task took on its worker.
    worker : str
        ``host:pid`` of the process that ran it.
    peak_rss_bytes : int
        That process's peak resident memory so far.
    """

    key: str
    folder: str
    status: str
    message: str
    counts: tuple[tuple[str, int], ...]
    seconds: float
    worker: str
    peak_rss_bytes: int


def is_complete(folder: str | Path) -> bool:
    """True when a task folder holds one of :data:`COMPLETE_MARKERS`."""
    path = Path(folder)
    return any((path / m).is_file() for m in COMPLETE_MARKERS)


def parameters_clash(folder: str | Path, object_params: ObjectParams) -> str | None:
    """Why the finished task in ``folder`` cannot stand for one run with
    ``object_params``: the message when its record (``run.json`` or ``timeline.json``)
    names other object parameters, else None (the same ones; a radar run, which does
    not use them; an unusable pair; no finished task).

    A parameter an older record lacks is taken at today's default (it was no choice
    then). Monitoring into a folder made with other parameters would mix two kinds of
    result under one root, or replace results nobody asked to replace.

    Parameters
    ----------
    folder : str or Path
        A task folder.
    object_params : ObjectParams
        The parameters of the run now.

    Returns
    -------
    str or None
    """
    import orjson

    want = to_jsonable(object_params)
    for name in ("run.json", "timeline.json"):
        record = Path(folder) / name
        if not record.is_file():
            continue
        try:
            doc = orjson.loads(record.read_bytes())
            made = doc.get("parameters", {}).get("objects")
            sensors = {s.get("sensor") for s in doc.get("scenes", [])}
        except (OSError, orjson.JSONDecodeError, AttributeError):
            return f"{record} cannot be read: remove {folder} to run its task again"
        if not isinstance(made, dict) or sensors == {"S1"}:
            return None  # radar runs search no objects with these parameters
        made = {**to_jsonable(ObjectParams()), **made}
        differ = [k for k in want if made.get(k) != want[k]]
        if differ:
            was = ", ".join(f"{k}={made.get(k)!r}" for k in differ)
            now = ", ".join(f"{k}={want[k]!r}" for k in differ)
            return (
                f"{folder} was made with {was}, not {now}: give another --out for these "
                "parameters, or the options of the run that made it"
            )
    return None


def _share_threads() -> None:
    """Hold numba's parallel kernels in this task's thread to the worker's share of the
    cores (:data:`basewatch._threads.SHARE_VARIABLE`, set by its local cluster).
    ``numba.set_num_threads`` holds for the calling thread only, so every task calls
    this."""
    if os.environ.get(SHARE_VARIABLE) is None:
        return
    import numba

    with contextlib.suppress(ValueError):  # more than numba started with: keep them all
        numba.set_num_threads(thread_share())


def _peak_rss() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * _MAXRSS_UNIT


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextlib.contextmanager
def _gdal(settings: LoadSettings) -> Iterator[None]:
    """The client's GDAL options around the task's reads (the loader's own per-read
    options go on top of them)."""
    with rasterio.Env(**dict(settings.gdal)):
        yield


def _publish(
    final: Path,
    write: Callable[[Path], object],
    *,
    keep: Callable[[Path], bool] = is_complete,
) -> bool:
    """Write a task's folder whole (:func:`basewatch._atomic.write_folder`); False when
    another run of the task wrote it first (``keep`` says so once the lock is ours).

    An earlier folder that ``keep`` does not keep (a pair folder with no marker, a
    series of other dates) is replaced; a second run of the task waits for the first.
    """

    def fill(tmp: Path) -> bool:
        write(tmp)
        return True

    return write_folder(final, fill, overwrite=True, wait=True, keep=keep) is not None


def check_catalogue(source: str) -> None:
    """Refuse a folder or file of GeoTIFFs as a monitor's catalogue (it plans its dates
    from a STAC catalogue), saying which command reads those.

    Raises
    ------
    InputError
        ``source`` is local rasters.
    """
    if is_local_source(source):
        raise InputError(
            f"{source}: a monitor plans its dates from a STAC catalogue (a name, an API URL "
            "or a static catalog.json); for local GeoTIFFs use `basewatch run` or "
            "`basewatch timeline`"
        )


def _loader(site_arg: str, sensor: str, settings: LoadSettings) -> TileLoader:
    source = settings.source(sensor)
    check_catalogue(source)
    aoi = aoi_for_site(load_site(site_arg))
    return TileLoader(open_catalog(source, sas_url=settings.sas_url), aoi, settings.loader_config())


def _epsg(crs: str) -> int | None:
    head, _, code = crs.partition(":")
    return int(code) if head.upper() == "EPSG" and code.isdigit() else None


def survey_site(task: SurveyTask, settings: LoadSettings) -> Survey:
    """The dates with a usable scene of a site (see :class:`~basewatch.scale.plan.Survey`).

    Sentinel-2: per date, the clearest scene inside the site (scene classification,
    as ``basewatch run`` chooses); a date whose scenes are all too cloudy or cover too
    little is listed as unusable. Sentinel-1: per date and relative orbit, the scene
    covering most of the site.

    Raises
    ------
    CoverageError, NoSceneError, CatalogError
        As :meth:`basewatch.imagery.loader.TileLoader.search`.
    InputError
        The catalogue is a local folder (use ``run`` or ``timeline``).
    """
    _share_threads()
    site = load_site(task.site)
    with _gdal(settings):
        loader = _loader(task.site, task.sensor, settings)
        cands = loader.search(task.sensor, task.start, task.end)
        by_key: dict[tuple[dt.date, int | None], list[Assessment]] = {}
        optical = task.sensor == "s2"
        # every date's scene classification read at once, not one date after the other
        for a in loader.assess_all(cands):
            c = a.candidate
            by_key.setdefault((c.date, None if optical else c.relative_orbit), []).append(a)
        usable: list[SceneDate] = []
        unusable: list[tuple[dt.date, str]] = []
        cfg = loader.config
        for (day, orbit), group in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            try:
                pick = choose_nearest(
                    group,
                    day,
                    max_cloud=cfg.max_cloud,
                    min_coverage=cfg.min_coverage,
                    window_days=0,
                    what=f"{task.sensor} scene",
                    prefer_epsg=_epsg(loader.aoi.grid.crs),
                )
            except (NoSceneError, CoverageError) as exc:
                unusable.append((day, str(exc)))
                continue
            usable.append(SceneDate(day, pick.candidate.id, orbit))
    grid = loader.aoi.grid
    return Survey(
        task.site,
        site.name,
        task.sensor,
        tuple(usable),
        tuple(unusable),
        window_px=grid.width * grid.height,
    )


@on_heap
@without_collection
def run_pair(
    task: PairTask,
    settings: LoadSettings,
    output: OutputSettings,
    object_params: ObjectParams | None = None,
) -> Outcome:
    """Compare a site on the task's two dates and write its run folder.

    The scenes are chosen, read, masked and aligned by
    :func:`basewatch.imagery.scenes.load_pair` and compared by
    :func:`basewatch.pipeline.detect_pair` with the default change parameters and
    ``object_params`` (default :class:`~basewatch.detect.components.ObjectParams`), and
    the folder is written by :func:`basewatch.outputs.run.write_run`: the same files as
    ``basewatch run --site SITE --before BEFORE --after AFTER`` with the same catalogue
    and object options.

    A pair whose scenes turn out unusable (no valid pixel in common, no scene left)
    gets ``unusable.json`` with the reason instead, and is not tried again.

    Raises
    ------
    CatalogError, RasterReadError
        The catalogue or a file could not be read after the retries (nothing written;
        the next monitor call tries again).
    InputError
        The folder is complete but was made with other object parameters
        (:func:`parameters_clash`); it is left as it is.
    OutputError
        The folder cannot be written.
    """
    t0 = time.perf_counter()
    objects = object_params or ObjectParams()
    final = Path(output.out_dir) / task.folder
    label = f"{task.name} {task.sensor} {task.before.date}..{task.after.date}"

    def outcome(status: str, message: str, counts: tuple[tuple[str, int], ...] = ()) -> Outcome:
        return Outcome(
            task.key,
            str(task.folder),
            status,
            f"{label}: {message}",
            counts,
            time.perf_counter() - t0,
            _worker_name(),
            _peak_rss(),
        )

    if is_complete(final):
        clash = parameters_clash(final, objects)
        if clash is not None:
            raise InputError(clash)
        return outcome("complete", "already complete")
    _share_threads()
    site = load_site(task.site)
    source = settings.source(task.sensor)
    check_catalogue(source)
    try:
        with _gdal(settings):
            pair = load_pair(
                site,
                task.before.date,
                task.after.date,
                sensor=task.sensor,
                source=source,
                sas_url=settings.sas_url,
                config=settings.loader_config(),
            )
        result = detect_pair(
            site, pair.before, pair.after, change_params=ChangeParams(), object_params=objects
        )
    except (NoSceneError, CoverageError) as exc:
        reason = {"site": site.name, "task": task.key, "reason": str(exc)}
        _publish(final, lambda tmp: atomic_write_bytes(tmp / "unusable.json", dumps_json(reason)))
        return outcome("unusable", str(exc).splitlines()[0])
    won = _publish(
        final, lambda tmp: write_run(result, tmp, png=output.png, gpkg=output.gpkg, cog=output.cog)
    )
    counts = tuple(sorted(result.counts().items()))
    n = len(result.detections)
    return outcome("done" if won else "complete", f"{n} detections", counts)


@on_heap
@without_collection
def run_series(
    task: SeriesTask,
    settings: LoadSettings,
    output: OutputSettings,
    object_params: ObjectParams | None = None,
) -> Outcome:
    """Follow the objects of a site over the task's dates and write its series folder.

    The planned scenes are read (from the tile cache when another task read them
    already), aligned onto the first date
    (:func:`basewatch.imagery.coreg.coregister_series`), observed with
    :func:`basewatch.pipeline.observe_dates` (with ``object_params``) and written with
    :func:`basewatch.outputs.run.write_timeline` (``counts.csv``, ``timeline.json``) plus
    the chart ``timeline.png``.

    Raises
    ------
    CatalogError, RasterReadError, CoverageError
        A planned scene cannot be found or read again.
    InputError
        The folder holds a series made with other object parameters
        (:func:`parameters_clash`); it is left as it is.
    OutputError
        The folder cannot be written.
    """
    t0 = time.perf_counter()
    objects = object_params or ObjectParams()
    final = Path(output.out_dir) / task.folder
    first, last = task.dates[0].date, task.dates[-1].date
    label = f"{task.name} {task.sensor} series {first}..{last} ({len(task.dates)} dates)"

    def outcome(status: str, message: str, counts: tuple[tuple[str, int], ...] = ()) -> Outcome:
        return Outcome(
            task.key,
            str(task.folder),
            status,
            f"{label}: {message}",
            counts,
            time.perf_counter() - t0,
            _worker_name(),
            _peak_rss(),
        )

    # a series of other dates is replaced (the new one covers more), one of other
    # parameters is not
    clash = parameters_clash(final, objects)
    if clash is not None:
        raise InputError(clash)
    if _same_series(final, task):
        return outcome("complete", "already complete")
    _share_threads()
    site = load_site(task.site)
    with _gdal(settings):
        loader = _loader(task.site, task.sensor, settings)
        scenes = []
        for d in task.dates:
            found = [c for c in loader.search(task.sensor, d.date, d.date) if c.id == d.scene_id]
            if not found:
                raise NoSceneError(
                    f"scene {d.scene_id} of {d.date} is no longer in {loader.catalog_name}; "
                    "run the monitor again to plan from the catalogue as it is now"
                )
            scenes.append(loader.read_scene(found[0]))
    scenes = common_bands(scenes)
    if settings.coregister:
        scenes = coregister_series(scenes, params=loader.config.coreg)
    result = observe_dates(site, scenes, object_params=objects)

    def write(tmp: Path) -> None:
        write_timeline(result, tmp, png=output.png)

    # a series of other dates left by an earlier call (fewer dates then) is replaced
    won = _publish(final, write, keep=lambda f: _same_series(f, task))
    counts = (("dates", len(scenes)), ("tracks", len(result.tracks)))
    return outcome("done" if won else "complete", f"{len(result.tracks)} tracks", counts)


def _same_series(final: Path, task: SeriesTask) -> bool:
    """True when ``final`` holds the timeline of exactly the task's scenes."""
    record = final / "timeline.json"
    if not record.is_file():
        return False
    import orjson

    try:
        doc = orjson.loads(record.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return False
    ids = [s.get("id") for s in doc.get("scenes", [])]
    return ids == [d.scene_id for d in task.dates]
