"""Results to the files and pictures people open.

:mod:`~basewatch.outputs.run`
    run folders: ``run.json``, ``timeline.json``, ``counts.csv``, ``preview.npz``
:mod:`~basewatch.outputs.vector`
    GeoJSON of detections
:mod:`~basewatch.outputs.render`
    annotated PNGs, timeline charts and site maps (the only matplotlib importer)
:mod:`~basewatch.outputs.display`
    how results show themselves in a notebook; tables and data frames
:mod:`~basewatch.outputs.summary`
    the text the commands print
:mod:`~basewatch.outputs.corroboration`
    verdict files and pictures with claim keys
:mod:`~basewatch.outputs.vessels`
    the vessels of one image: GeoJSON, figure, folder
"""

from __future__ import annotations

from basewatch._lazy import attach

_LAZY: dict[str, str] = {
    "detection_rows": "basewatch.outputs.display",
    "track_rows": "basewatch.outputs.display",
    "render_pair": "basewatch.outputs.render",
    "render_site": "basewatch.outputs.render",
    "SceneMark": "basewatch.outputs.render",
    "load_picture": "basewatch.outputs.run",
    "timeline_record": "basewatch.outputs.run",
    "write_run": "basewatch.outputs.run",
    "write_timeline": "basewatch.outputs.run",
    "summary_lines": "basewatch.outputs.summary",
    "timeline_summary_lines": "basewatch.outputs.summary",
    "detections_geojson": "basewatch.outputs.vector",
    "write_corroboration": "basewatch.outputs.corroboration",
    "write_claim_pictures": "basewatch.outputs.corroboration",
    "vessels_figure": "basewatch.outputs.vessels",
    "vessels_geojson": "basewatch.outputs.vessels",
    "write_vessels": "basewatch.outputs.vessels",
}

__all__ = [
    "SceneMark",
    "detection_rows",
    "detections_geojson",
    "load_picture",
    "render_pair",
    "render_site",
    "summary_lines",
    "timeline_record",
    "timeline_summary_lines",
    "track_rows",
    "vessels_figure",
    "vessels_geojson",
    "write_claim_pictures",
    "write_corroboration",
    "write_run",
    "write_timeline",
    "write_vessels",
]
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
