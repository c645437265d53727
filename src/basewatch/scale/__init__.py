"""Many sites and dates on a Dask cluster, and whole tiles in chunks.

:mod:`~basewatch.scale.plan`
    small frozen task records (site, dates, scene ids, settings) and the pure planning
:mod:`~basewatch.scale.tasks`
    what a worker does with one task (read its own windows, run the one pipeline,
    write its folder atomically)
:mod:`~basewatch.scale.monitor`
    :func:`monitor`: plan, run on ``dask.distributed``, skip what is complete,
    report progress, write the per-site summaries
:mod:`~basewatch.scale.tiles`
    the chunked whole-tile path (``dask.array``): neighbourhood steps with a halo,
    components stitched across chunk borders
"""

from __future__ import annotations

from basewatch._lazy import attach

_LAZY: dict[str, str] = {
    "LoadSettings": "basewatch.scale.plan",
    "OutputSettings": "basewatch.scale.plan",
    "PairTask": "basewatch.scale.plan",
    "SeriesTask": "basewatch.scale.plan",
    "Survey": "basewatch.scale.plan",
    "SurveyTask": "basewatch.scale.plan",
    "plan_pairs": "basewatch.scale.plan",
    "plan_series": "basewatch.scale.plan",
    "Outcome": "basewatch.scale.tasks",
    "MonitorResult": "basewatch.scale.monitor",
    "monitor": "basewatch.scale.monitor",
    "open_client": "basewatch.scale.monitor",
}

__all__ = sorted(_LAZY)
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
