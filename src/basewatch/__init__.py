"""basewatch: check reports about military sites against public satellite imagery.

The names below are the public API: what a notebook needs from a site to verdicts.
They are loaded on first use, so ``import basewatch`` stays light (no rasterio or
matplotlib until a name that needs them is touched).

Sites
    :func:`load_site`, :func:`list_sites`, :class:`Site`, :class:`Zone`,
    :func:`aoi_for_site`, :class:`AOI`; the bundled sample: :func:`sample_pair`.
Imagery
    Local files: :func:`read_local_pair`, :func:`read_local_series`,
    :func:`read_geotiff`, :func:`local_rasters`, :func:`load_local_pair`.
    Catalogues or local folders, a site and two dates in one call: :func:`load_pair`.
    The loader itself: :class:`TileLoader` with :class:`LoaderConfig`, :func:`open_catalog`,
    :class:`StaticCatalog`, :class:`TileCache`. Alignment: :func:`coregister`,
    :func:`coregister_series`, :class:`CoregParams`.
Detection
    :func:`detect_pair` (two dates, :class:`PairResult`), :func:`observe_dates`
    (a series, :class:`TimelineResult`), with :class:`ChangeParams`,
    :class:`ObjectParams`, :class:`VesselParams`, :class:`MatchParams`.
Outputs
    :func:`write_run`, :func:`write_timeline`, :func:`render_pair`,
    :func:`detections_geojson`. Results also show themselves in a notebook and convert
    with ``to_geojson()``, ``to_records()`` and ``to_dataframe()``.
Corroboration
    :func:`read_report`, :func:`read_reports`, :func:`extract_claims`,
    :func:`group_near_duplicates`, :func:`load_run`, :func:`assess`,
    :func:`check_reports` (all of it in one call, a :class:`Corroboration`).
Records and errors
    :class:`Scene`, :class:`Detection`, :class:`Event`, :class:`ObjectClass`,
    :class:`Grid`; :class:`BasewatchError` and its subclasses.

Examples
--------
>>> import basewatch as bw
>>> site = bw.load_site("beirut-port")
>>> before, after = bw.read_local_pair(site, *bw.sample_pair("beirut-port"))
>>> result = bw.detect_pair(site, before, after)
>>> sorted(result.counts())[:1]
['other:appeared']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from basewatch._lazy import attach
from basewatch._version import __version__
from basewatch.errors import (
    AOIError,
    BasewatchError,
    CatalogError,
    CoverageError,
    GridMismatchError,
    InputError,
    MemoryLimitError,
    NoSceneError,
    OutputError,
    RasterReadError,
    ReportError,
)

#: Public name -> the module that defines it (loaded on first access).
_LAZY: dict[str, str] = {
    # sites
    "AOI": "basewatch.aoi",
    "Site": "basewatch.aoi",
    "Zone": "basewatch.aoi",
    "aoi_for_site": "basewatch.aoi",
    "list_sites": "basewatch.aoi",
    "load_site": "basewatch.aoi",
    "outline_mask": "basewatch.aoi",
    "zone_index": "basewatch.aoi",
    "minimum_detectable_m": "basewatch.sensors",
    "SAMPLE": "basewatch.sample",
    "sample_pair": "basewatch.sample",
    # records
    "Detection": "basewatch.records",
    "Event": "basewatch.records",
    "ObjectClass": "basewatch.records",
    "Scene": "basewatch.records",
    "Grid": "basewatch.grid",
    # imagery
    "read_geotiff": "basewatch.imagery.local",
    "read_local_pair": "basewatch.imagery.local",
    "read_local_series": "basewatch.imagery.local",
    "local_rasters": "basewatch.imagery.local",
    "load_local_pair": "basewatch.imagery.local",
    "LoaderConfig": "basewatch.imagery.loader",
    "StaticCatalog": "basewatch.imagery.loader",
    "TileLoader": "basewatch.imagery.loader",
    "open_catalog": "basewatch.imagery.loader",
    "HttpOptions": "basewatch.imagery.catalog",
    "TileCache": "basewatch.imagery.cache",
    "CoregParams": "basewatch.imagery.coreg",
    "coregister": "basewatch.imagery.coreg",
    "coregister_series": "basewatch.imagery.coreg",
    "ScenePair": "basewatch.imagery.scenes",
    "load_pair": "basewatch.imagery.scenes",
    "load_scene": "basewatch.imagery.scenes",
    # detection
    "ChangeParams": "basewatch.pipeline",
    "PairResult": "basewatch.pipeline",
    "TimelineResult": "basewatch.pipeline",
    "detect_pair": "basewatch.pipeline",
    "SceneVessels": "basewatch.pipeline",
    "detect_scene_vessels": "basewatch.pipeline",
    "observe_dates": "basewatch.pipeline",
    "ObjectParams": "basewatch.detect.components",
    "VesselParams": "basewatch.detect.vessels",
    "detect_vessels_s2": "basewatch.detect.vessels",
    "MatchParams": "basewatch.detect.events",
    # outputs
    "write_run": "basewatch.outputs.run",
    "write_timeline": "basewatch.outputs.run",
    "write_vessels": "basewatch.outputs.vessels",
    "detections_geojson": "basewatch.outputs.vector",
    "render_pair": "basewatch.outputs.render",
    "summary_lines": "basewatch.outputs.summary",
    "timeline_summary_lines": "basewatch.outputs.summary",
    # corroboration
    "Report": "basewatch.corroborate.reports",
    "read_report": "basewatch.corroborate.reports",
    "read_reports": "basewatch.corroborate.reports",
    "parse_report": "basewatch.corroborate.reports",
    "Claim": "basewatch.corroborate.claims",
    "extract_claims": "basewatch.corroborate.claims",
    "group_near_duplicates": "basewatch.corroborate.stories",
    "ClaimVerdict": "basewatch.corroborate.link",
    "Coverage": "basewatch.corroborate.link",
    "LinkParams": "basewatch.corroborate.link",
    "Verdict": "basewatch.corroborate.link",
    "assess": "basewatch.corroborate.link",
    "load_run": "basewatch.corroborate.runs",
    "check_reports": "basewatch.corroborate.check",
    "Corroboration": "basewatch.corroborate.check",
    "RunEvidence": "basewatch.corroborate.runs",
}

__all__ = [
    "AOI",
    "SAMPLE",
    "AOIError",
    "BasewatchError",
    "CatalogError",
    "ChangeParams",
    "Claim",
    "ClaimVerdict",
    "CoregParams",
    "Corroboration",
    "Coverage",
    "CoverageError",
    "Detection",
    "Event",
    "Grid",
    "GridMismatchError",
    "HttpOptions",
    "InputError",
    "LinkParams",
    "LoaderConfig",
    "MatchParams",
    "MemoryLimitError",
    "NoSceneError",
    "ObjectClass",
    "ObjectParams",
    "OutputError",
    "PairResult",
    "RasterReadError",
    "Report",
    "ReportError",
    "RunEvidence",
    "Scene",
    "ScenePair",
    "SceneVessels",
    "Site",
    "StaticCatalog",
    "TileCache",
    "TileLoader",
    "TimelineResult",
    "Verdict",
    "VesselParams",
    "Zone",
    "__version__",
    "aoi_for_site",
    "assess",
    "check_reports",
    "coregister",
    "coregister_series",
    "detect_pair",
    "detect_scene_vessels",
    "detect_vessels_s2",
    "detections_geojson",
    "extract_claims",
    "group_near_duplicates",
    "list_sites",
    "load_local_pair",
    "load_pair",
    "load_run",
    "load_scene",
    "load_site",
    "local_rasters",
    "minimum_detectable_m",
    "observe_dates",
    "open_catalog",
    "outline_mask",
    "parse_report",
    "read_geotiff",
    "read_local_pair",
    "read_local_series",
    "read_report",
    "read_reports",
    "render_pair",
    "sample_pair",
    "summary_lines",
    "timeline_summary_lines",
    "write_run",
    "write_timeline",
    "write_vessels",
    "zone_index",
]


__getattr__, __dir__ = attach(__name__, _LAZY, globals())

if TYPE_CHECKING:  # what type checkers and editors see
    from basewatch.aoi import (
        AOI,
        Site,
        Zone,
        aoi_for_site,
        list_sites,
        load_site,
        outline_mask,
        zone_index,
    )
    from basewatch.corroborate.check import Corroboration, check_reports
    from basewatch.corroborate.claims import Claim, extract_claims
    from basewatch.corroborate.link import ClaimVerdict, Coverage, LinkParams, Verdict, assess
    from basewatch.corroborate.reports import Report, parse_report, read_report, read_reports
    from basewatch.corroborate.runs import RunEvidence, load_run
    from basewatch.corroborate.stories import group_near_duplicates
    from basewatch.detect.components import ObjectParams
    from basewatch.detect.events import MatchParams
    from basewatch.detect.vessels import VesselParams, detect_vessels_s2
    from basewatch.grid import Grid
    from basewatch.imagery.cache import TileCache
    from basewatch.imagery.catalog import HttpOptions
    from basewatch.imagery.coreg import CoregParams, coregister, coregister_series
    from basewatch.imagery.loader import LoaderConfig, StaticCatalog, TileLoader, open_catalog
    from basewatch.imagery.local import (
        load_local_pair,
        local_rasters,
        read_geotiff,
        read_local_pair,
        read_local_series,
    )
    from basewatch.imagery.scenes import ScenePair, load_pair, load_scene
    from basewatch.outputs.render import render_pair
    from basewatch.outputs.run import write_run, write_timeline
    from basewatch.outputs.summary import summary_lines, timeline_summary_lines
    from basewatch.outputs.vector import detections_geojson
    from basewatch.outputs.vessels import write_vessels
    from basewatch.pipeline import (
        ChangeParams,
        PairResult,
        SceneVessels,
        TimelineResult,
        detect_pair,
        detect_scene_vessels,
        observe_dates,
    )
    from basewatch.records import Detection, Event, ObjectClass, Scene
    from basewatch.sample import SAMPLE, sample_pair
    from basewatch.sensors import minimum_detectable_m
