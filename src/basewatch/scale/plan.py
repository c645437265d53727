"""What a monitor runs: small frozen task records, and the pure planning between them.

A monitor works in two rounds. First one :class:`SurveyTask` per site and sensor asks
the catalogue which dates have a usable scene of the site (a :class:`Survey`); then
:func:`plan_pairs` turns each survey into one :class:`PairTask` per two consecutive
usable dates (one relative orbit at a time for radar) and :func:`plan_series` into one
:class:`SeriesTask` per site and sensor (per orbit for radar) over all its dates.

Every record holds only names, dates, scene ids and settings: a worker on another
machine reads its own pixels. :class:`LoadSettings` carries the catalogue, network and
GDAL settings with every task, because settings made in the client process (its
environment, a ``rasterio.Env``) never reach a worker process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import PurePosixPath

from basewatch.errors import InputError
from basewatch.imagery.cache import TileCache, default_cache_dir
from basewatch.imagery.catalog import HttpOptions
from basewatch.imagery.loader import LoaderConfig, default_catalog

__all__ = [
    "GDAL_ENV_PREFIXES",
    "SENSORS",
    "LoadSettings",
    "OutputSettings",
    "PairTask",
    "SceneDate",
    "SeriesTask",
    "Survey",
    "SurveyTask",
    "gdal_options_from_env",
    "plan_pairs",
    "plan_series",
]

#: The sensors a monitor can follow (the ``--sensor`` names of the other commands).
SENSORS: tuple[str, ...] = ("s1", "s2")

#: Environment variables of the client that are GDAL configuration options and are
#: therefore sent to the workers with every task (credentials are not: give those to
#: the workers themselves).
GDAL_ENV_PREFIXES: tuple[str, ...] = ("GDAL_", "CPL_", "VSI_")

#: Scenes are chosen on the planned dates exactly: a pair task is the run of its two
#: scene dates, and no other date's scene may stand in for one.
PLANNED_DATE_WINDOW_DAYS = 0


def gdal_options_from_env(
    environ: Mapping[str, str] | None = None,
) -> tuple[tuple[str, str], ...]:
    """The GDAL configuration options set in an environment, sorted by name.

    Parameters
    ----------
    environ : mapping, optional
        Default: this process's environment.

    Returns
    -------
    tuple of (str, str)
        Every variable whose name starts with one of :data:`GDAL_ENV_PREFIXES`.
    """
    env = os.environ if environ is None else environ
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(GDAL_ENV_PREFIXES)))


@dataclass(frozen=True)
class LoadSettings:
    """How a worker finds and reads scenes; sent with every task.

    Attributes
    ----------
    catalog : str or None
        ``earthsearch``, ``planetary-computer``, ``cdse``, a STAC API URL or a static
        ``catalog.json`` (reachable from the workers). None: each sensor's default.
    sas_url : str or None
        A SAS token service for a catalogue given by URL.
    cache_dir : str or None
        Tile cache folder *on the worker* (None: the worker's default,
        ``$BASEWATCH_CACHE`` or ``~/.cache/basewatch``).
    use_cache : bool
        Cache searches and band windows (off: every read goes to the network).
    http : HttpOptions
        Timeouts, retries and backoff of every request.
    offline : bool
        Use only the workers' caches.
    refresh : bool
        Ask the catalogue again instead of using a cached search.
    max_cloud : float
        Largest cloud/shadow fraction of a site for a Sentinel-2 scene to be used.
    min_coverage : float
        Smallest fraction of a site a scene must cover.
    coregister : bool
        Align the later dates onto the earlier one.
    gdal : tuple of (str, str)
        GDAL configuration options set around every read of the task (for example
        ``GDAL_HTTP_PROXY``), see :func:`gdal_options_from_env`.
    """

    catalog: str | None = None
    sas_url: str | None = None
    cache_dir: str | None = None
    use_cache: bool = True
    http: HttpOptions = field(default_factory=HttpOptions)
    offline: bool = False
    refresh: bool = False
    max_cloud: float = 0.3
    min_coverage: float = 0.9
    coregister: bool = True
    gdal: tuple[tuple[str, str], ...] = ()

    def source(self, sensor: str) -> str:
        """The catalogue searched for ``sensor``."""
        return self.catalog if self.catalog is not None else default_catalog(sensor)

    def loader_config(self) -> LoaderConfig:
        """The tile loader's configuration, built where the task runs (the cache folder
        is the worker's)."""
        cache = None
        if self.use_cache:
            cache = TileCache(self.cache_dir if self.cache_dir else default_cache_dir())
        return LoaderConfig(
            cache=cache,
            http=self.http,
            offline=self.offline,
            refresh=self.refresh,
            max_cloud=self.max_cloud,
            min_coverage=self.min_coverage,
            window_days=PLANNED_DATE_WINDOW_DAYS,
            coregister=self.coregister,
        )


@dataclass(frozen=True)
class OutputSettings:
    """Where and what a task writes.

    Attributes
    ----------
    out_dir : str
        Root of the results, the same path on every worker (a shared file system).
    png : bool
        Draw ``change.png`` (and the series chart ``counts.png``).
    gpkg : bool
        Write ``detections.gpkg``.
    cog : bool
        Write the change map and the aligned scenes as cloud-optimised GeoTIFFs.

    The defaults are those of ``basewatch run``, so that a pair folder holds what it
    writes.
    """

    out_dir: str
    png: bool = True
    gpkg: bool = True
    cog: bool = True


def _check_sensor(sensor: str) -> str:
    key = sensor.lower()
    if key not in SENSORS:
        raise InputError(f"unknown sensor {sensor!r}; use one of {', '.join(SENSORS)}")
    return key


@dataclass(frozen=True)
class SurveyTask:
    """Find the usable scene dates of one site and sensor between two dates.

    Attributes
    ----------
    site : str
        A bundled site's name, or a site GeoJSON path readable by the workers.
    sensor : {"s1", "s2"}
    start, end : datetime.date
        The dates searched, both included.
    """

    site: str
    sensor: str
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        object.__setattr__(self, "sensor", _check_sensor(self.sensor))
        if self.end < self.start:
            raise InputError(f"--to ({self.end}) is earlier than --from ({self.start}); swap them")

    @property
    def key(self) -> str:
        """The task's name on the cluster (the same survey asked twice runs once)."""
        return f"basewatch-survey-{self.site}-{self.sensor}-{self.start}-{self.end}"


@dataclass(frozen=True)
class SceneDate:
    """One usable scene of a site: its date, id and relative orbit (radar)."""

    date: dt.date
    scene_id: str
    orbit: int | None = None


@dataclass(frozen=True)
class Survey:
    """The usable and unusable scene dates of a site for one sensor.

    Attributes
    ----------
    site : str
        As given in the task.
    name : str
        The site's name (folder names).
    sensor : str
    usable : tuple of SceneDate
        In date order; one scene per date (per orbit for radar).
    unusable : tuple of (datetime.date, str)
        Dates with scenes that cannot be used, and why (clouds, coverage).
    window_px : int
        Pixels of the site's window on its grid (what a task's memory grows with);
        0 when not known.
    """

    site: str
    name: str
    sensor: str
    usable: tuple[SceneDate, ...]
    unusable: tuple[tuple[dt.date, str], ...] = ()
    window_px: int = 0


@dataclass(frozen=True)
class PairTask:
    """Compare one site on two dates: exactly what ``basewatch run`` does for them.

    Attributes
    ----------
    site, name : str
        The site as given, and its name.
    sensor : str
    before, after : SceneDate
        The planned scenes (the worker chooses again on these exact dates, so the
        result equals ``basewatch run --before DATE --after DATE``).
    """

    site: str
    name: str
    sensor: str
    before: SceneDate
    after: SceneDate

    @property
    def folder(self) -> PurePosixPath:
        """The run folder, relative to the output root."""
        return PurePosixPath(
            self.name, self.sensor, "pairs", f"{self.before.date}_{self.after.date}"
        )

    @property
    def key(self) -> str:
        """The task's name on the cluster: one folder, one key (never run twice at once)."""
        return f"basewatch-pair-{self.name}-{self.sensor}-{self.before.date}-{self.after.date}"


@dataclass(frozen=True)
class SeriesTask:
    """Follow the objects of one site over all its usable dates of one sensor (orbit).

    Attributes
    ----------
    site, name, sensor : str
    orbit : int or None
        The relative orbit of a radar series (None for Sentinel-2).
    dates : tuple of SceneDate
        Two or more, in date order.
    """

    site: str
    name: str
    sensor: str
    orbit: int | None
    dates: tuple[SceneDate, ...]

    @property
    def folder(self) -> PurePosixPath:
        """The series folder, relative to the output root."""
        leaf = "series" if self.orbit is None else f"series-orbit{self.orbit:03d}"
        return PurePosixPath(self.name, self.sensor, leaf)

    @property
    def key(self) -> str:
        """The task's name: a series over other dates is another task."""
        ids = "|".join(d.scene_id for d in self.dates)
        digest = hashlib.sha256(ids.encode()).hexdigest()[:12]
        return f"basewatch-series-{self.name}-{self.sensor}-{self.orbit}-{digest}"


def _by_orbit(dates: Iterable[SceneDate]) -> dict[int | None, list[SceneDate]]:
    groups: dict[int | None, list[SceneDate]] = {}
    for d in sorted(dates, key=lambda d: (d.date, d.scene_id)):
        groups.setdefault(d.orbit, []).append(d)
    return groups


def _groups(survey: Survey) -> dict[int | None, list[SceneDate]]:
    """Radar: one group per relative orbit (change needs one viewing geometry);
    optical: one group."""
    if survey.sensor == "s1":
        return _by_orbit(survey.usable)
    return {None: sorted(survey.usable, key=lambda d: (d.date, d.scene_id))}


def plan_pairs(survey: Survey) -> tuple[PairTask, ...]:
    """One pair task per two consecutive usable dates (of one orbit, for radar).

    Examples
    --------
    >>> d = [SceneDate(dt.date(2024, 12, day), f"s{day}") for day in (1, 6, 11)]
    >>> [str(t.folder) for t in plan_pairs(Survey("tartus", "tartus", "s2", tuple(d)))]
    ['tartus/s2/pairs/2024-12-01_2024-12-06', 'tartus/s2/pairs/2024-12-06_2024-12-11']
    """
    tasks = [
        PairTask(survey.site, survey.name, survey.sensor, a, b)
        for group in _groups(survey).values()
        for a, b in pairwise(group)
    ]
    return tuple(sorted(tasks, key=lambda t: (t.before.date, t.after.date, t.key)))


def plan_series(survey: Survey) -> tuple[SeriesTask, ...]:
    """One series task per site and sensor (per orbit for radar) with two or more dates."""
    return tuple(
        SeriesTask(survey.site, survey.name, survey.sensor, orbit, tuple(group))
        for orbit, group in sorted(_groups(survey).items(), key=lambda kv: kv[0] or 0)
        if len(group) >= 2
    )
