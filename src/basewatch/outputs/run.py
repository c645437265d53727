"""Run folders: ``run.json``, ``timeline.json``, ``counts.csv``, ``preview.npz``, and the
files people open: ``change.png``, ``report.html``, ``detections.gpkg`` and COGs.

The JSON records are encoded by orjson (:func:`~basewatch.records.dumps_json`): two-space
indents, UTF-8 text, ``null`` for NaN; a run of 100,000 detections is written in seconds.

A folder is written whole (:func:`basewatch._atomic.write_folder`: into a temporary
sibling that then takes its place) with the run record last, so a folder with a
``run.json`` (or ``timeline.json``) is complete, and never mixes two runs' files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from basewatch._atomic import atomic_write_bytes, atomic_write_text, write_folder
from basewatch._gc import without_collection
from basewatch._threads import pool as thread_pool
from basewatch._version import __version__
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.outputs.vector import detection_outlines_wkb, write_geojson, write_geopackage
from basewatch.records import (
    Detection,
    Evidence,
    RunRecord,
    dumps_json,
    records_from_columns,
    to_jsonable,
)

if TYPE_CHECKING:
    from basewatch.aoi import (
        Site,
    )
    from basewatch.detect.events import (
        Track,
    )
    from basewatch.outputs.render import Picture
    from basewatch.pipeline import PairResult, TimelineResult


def _evidence(result: PairResult) -> tuple[Evidence, ...]:
    """One evidence record per detection: what :class:`Evidence` documents, the records
    made from columns (:func:`~basewatch.records.records_from_columns`)."""
    detections = result.detections
    n = len(detections)
    features = [
        {
            "area_px": d.area_px,
            "length_m": d.length_m,
            "width_m": d.width_m,
            "mean_change": d.mean_change,
            "contrast": d.contrast,
            "zone": d.zone,
            "bbox_px": list(d.bbox_px),
            "notes": list(d.notes),
        }
        for d in detections
    ]
    columns: dict[str, list[Any]] = {
        "detection_id": [d.id for d in detections],
        "scenes": [(result.before.id, result.after.id)] * n,
        "change_method": [result.change.method] * n,
        "threshold": [result.change.threshold] * n,
        "features": features,
    }
    return tuple(records_from_columns(Evidence, columns))


@without_collection
def write_run(
    result: PairResult,
    out_dir: str | Path,
    *,
    png: bool = True,
    gpkg: bool = True,
    cog: bool = True,
    html: bool = True,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a run folder: ``change.png``, ``preview.npz``, ``report.html``,
    ``detections.geojson``, ``detections.gpkg``, ``change.tif``, ``before.tif``,
    ``after.tif``, then ``run.json``.

    ``preview.npz`` holds the picture's arrays (both dates as 8-bit RGB, the change
    magnitude and mask), so the PNG can be drawn again later with claim labels
    (:func:`load_picture`, ``basewatch corroborate``) without the imagery.

    The folder is written whole (:func:`basewatch._atomic.write_folder`): the files go
    into a temporary sibling that then takes the folder's place in one step, so a run
    killed or failing at any moment leaves the earlier folder as it was, or the new
    one complete; never a mix of two runs' files. ``run.json`` is written last. The
    COGs are written on a second thread (GDAL, without the GIL) while the picture,
    report and vectors are written on the calling one; an error on either fails the
    run.

    Parameters
    ----------
    result : PairResult
        The comparison to write.
    out_dir : str or Path
        The run folder (made when missing).
    png : bool, default True
        Also draw ``change.png`` and keep its arrays in ``preview.npz``.
    gpkg : bool, default True
        Also write ``detections.gpkg`` (GeoPackage, EPSG:4326): layers ``detections``
        (each object's outline: the polygon of its changed pixels), ``site`` and
        ``zones``. The GeoJSON (pixel boxes) is written either way: corroboration reads it.
    cog : bool, default True
        Also write the change map (``change.tif``: magnitude and changed pixels) and
        the two aligned scenes (``before.tif``, ``after.tif``; optical reflectance as
        int16 steps of 1e-4, :func:`~basewatch.outputs.raster.write_scene_cog`) as
        cloud-optimised GeoTIFFs.
    html : bool, default True
        Also write ``report.html``: one self-contained page (picture embedded) with the
        detections, scenes and parameters.
    overwrite : bool, default False
        Replace the folder when it is not empty (an earlier run, or other files).

    Returns
    -------
    dict of str to Path
        The paths written, by kind (``"png"``, ``"preview"``, ``"html"``,
        ``"geojson"``, ``"gpkg"``, ``"change_cog"``, ``"before_cog"``,
        ``"after_cog"``, ``"run"``).

    Raises
    ------
    OutputError
        The folder is not empty and ``overwrite`` is false, another run is writing it,
        or it cannot be written.
    """
    out = Path(out_dir)
    names = write_folder(
        out,
        lambda tmp: _run_files(result, tmp, png=png, gpkg=gpkg, cog=cog, html=html),
        overwrite=overwrite,
    )
    return {kind: out / name for kind, name in names.items()}


def _run_files(
    result: PairResult, out: Path, *, png: bool, gpkg: bool, cog: bool, html: bool
) -> dict[str, str]:
    """Write the files of :func:`write_run` into ``out``; their names by kind."""
    paths: dict[str, Path] = {}
    # the COGs are written on a second thread (GDAL works without the GIL) while this one
    # writes the picture, report and vectors (Python: with it), unless the process's
    # share of the cores is one
    with thread_pool(1, name="basewatch-cog") as pool:
        cogs = pool.submit(_write_cogs, result, out, _cog_buffer(result)) if cog else None
        _vector_files(result, out, paths, png=png, gpkg=gpkg, html=html)
        # the run record's contents but its end and file list, made while the COGs
        # are still being written
        contents = _record_contents(result)
        if cogs is not None:
            paths.update(cogs.result())
    record = RunRecord(
        finished=dt.datetime.now(dt.UTC),
        outputs={k: v.name for k, v in paths.items()},
        **contents,
    )
    paths["run"] = out / "run.json"
    atomic_write_bytes(paths["run"], dumps_json(record))
    return {kind: p.name for kind, p in paths.items()}


def _record_contents(result: PairResult) -> dict[str, Any]:
    """The fields of a pair run's :class:`RunRecord` but ``finished`` and ``outputs``."""
    return {
        "site": result.site.name,
        "started": result.started,
        "basewatch_version": __version__,
        "scenes": (result.before.describe(), result.after.describe()),
        "parameters": {
            "change": {**asdict(result.change_params), **dict(result.change.params)},
            "objects": to_jsonable(result.object_params),
            "site_file": result.site.path,
            # what this run could have reported: corroboration needs it to tell "no
            # object stayed put" from "this run cannot see objects that stay put"
            "events": list(result.reportable_events()),
            "zone_counts": {z: dict(c) for z, c in result.zone_counts.items()},
            # the counted objects' lengths: a claimed type's number is held against
            # those of its size only
            "zone_lengths_m": {z: dict(c) for z, c in result.zone_lengths.items()},
            # kind and valid fraction of each zone: which class a count is of, and
            # whether a 0 means "none there" or "not seen" (corroboration needs both)
            "zone_coverage": result.zone_coverage(),
        },
        "counts": result.counts(),
        "evidence": _evidence(result),
        "warnings": result.warnings,
    }


def _vector_files(
    result: PairResult, out: Path, paths: dict[str, Path], *, png: bool, gpkg: bool, html: bool
) -> None:
    """The picture, report, GeoJSON and GeoPackage of :func:`_run_files` (into ``paths``)."""
    picture_png: bytes | None = None
    if png:
        from basewatch.outputs.render import picture_of, render_picture

        picture = picture_of(result)
        picture_png = render_picture(picture)
        paths["png"] = out / "change.png"
        atomic_write_bytes(paths["png"], picture_png)
        paths["preview"] = out / "preview.npz"
        atomic_write_bytes(paths["preview"], _preview_bytes(picture, result.site))
    if html:
        from basewatch.outputs.html import run_report

        paths["html"] = out / "report.html"
        atomic_write_text(paths["html"], run_report(result, png=picture_png, draw=png))
    paths["geojson"] = out / "detections.geojson"
    write_geojson(result.detections, paths["geojson"])
    if gpkg:
        paths["gpkg"] = out / "detections.gpkg"
        outlines, traced = detection_outlines_wkb(result)
        write_geopackage(
            result.detections, paths["gpkg"], outlines=outlines, traced=traced, site=result.site
        )


def _write_cogs(result: PairResult, out: Path, buffer: NDArray[np.int16] | None) -> dict[str, Path]:
    """The change map and the two scenes as COGs in ``out``, their stored values made in
    ``buffer`` in turn; their paths by kind."""
    from basewatch.outputs.raster import write_change_cog, write_scene_cog

    return {
        "change_cog": write_change_cog(result, out / "change.tif", buffer=buffer),
        "before_cog": write_scene_cog(result.before, out / "before.tif", buffer=buffer),
        "after_cog": write_scene_cog(result.after, out / "after.tif", buffer=buffer),
    }


def _cog_buffer(result: PairResult) -> NDArray[np.int16] | None:
    """One int16 array for the stored values of an optical run's three COGs, made on the
    calling thread: made on the COG thread, each would be fresh pages (a thread's malloc
    arena does not hold arrays this large), faulted in one by one."""
    if result.before.sensor != "S2":
        return None
    bands = max(2, result.before.data.shape[0], result.after.data.shape[0])
    return np.empty((bands, *result.before.grid.shape), np.int16)


def _preview_bytes(picture: Picture, site: Site) -> bytes:
    meta = {
        "format": 1,
        "site": site.name,
        "site_file": site.path,
        "before_title": picture.before_title,
        "after_title": picture.after_title,
        "method": picture.method,
        "threshold": picture.threshold,
        "sources": picture.sources,
        "sensor": picture.sensor,
        "grid": {
            "crs": picture.grid.crs,
            "transform": list(picture.grid.transform),
            "width": picture.grid.width,
            "height": picture.grid.height,
        },
    }
    return _npz_bytes(
        {
            "before_rgb": picture.before_rgb,
            "after_rgb": picture.after_rgb,
            "magnitude": picture.magnitude.astype(np.float32, copy=False),
            "mask": picture.mask,
            "meta": np.array(json.dumps(meta)),
        }
    )


#: Deflate level of ``preview.npz`` (``numpy.savez_compressed`` uses 6): at 3 the
#: 5490 px run's preview is written in 1.6 s instead of 2.8 s and is 2.5 % larger.
PREVIEW_DEFLATE_LEVEL = 3


def _npz_bytes(arrays: dict[str, NDArray[Any]]) -> bytes:
    """``arrays`` as a compressed ``.npz`` file (read by ``numpy.load``) at
    :data:`PREVIEW_DEFLATE_LEVEL`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=PREVIEW_DEFLATE_LEVEL) as zf:
        for name, array in arrays.items():
            with zf.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    return buf.getvalue()


def load_picture(run_dir: str | Path, detections: Sequence[Detection]) -> Picture:
    """The :class:`~basewatch.outputs.render.Picture` of a run folder, from its ``preview.npz``.

    Raises
    ------
    InputError
        The folder has no readable ``preview.npz`` (runs written with ``--no-png`` have
        none), or it is damaged.
    """
    from basewatch.aoi import load_site
    from basewatch.outputs.render import Picture

    path = Path(run_dir) / "preview.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in ("before_rgb", "after_rgb", "magnitude", "mask", "meta")}
        meta = json.loads(str(arrays["meta"]))
        g = meta["grid"]
        grid = Grid(g["crs"], tuple(g["transform"]), int(g["width"]), int(g["height"]))
    except FileNotFoundError:
        raise InputError(
            f"{path}: not found; the run was written without its picture (--no-png), "
            "run it again with the PNG to draw labels on it"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: damaged preview ({exc}); run the comparison again") from exc
    site_file = Path(meta.get("site_file", ""))
    site = load_site(site_file if site_file.is_file() else meta["site"])
    return Picture(
        site=site,
        grid=grid,
        before_rgb=arrays["before_rgb"].astype(np.uint8),
        after_rgb=arrays["after_rgb"].astype(np.uint8),
        before_title=str(meta["before_title"]),
        after_title=str(meta["after_title"]),
        magnitude=arrays["magnitude"].astype(np.float32),
        mask=arrays["mask"].astype(bool),
        detections=tuple(detections),
        method=str(meta["method"]),
        threshold=float(meta["threshold"]),
        sources=str(meta["sources"]),
        sensor=str(meta.get("sensor", "")),
    )


def _track_record(track: Track, dates: Sequence[str]) -> dict[str, Any]:
    """One track as JSON: class, zone (the commonest of its observations), presence,
    events between consecutive dates, and its position on each date (None if absent)."""
    zones = Counter(m.zone for m in track.members if m is not None)
    positions: list[dict[str, Any] | None] = []
    for day, m in zip(dates, track.members, strict=True):
        if m is None:
            positions.append(None)
            continue
        positions.append(
            {
                "date": day,
                "observation": m.id,
                "scene": m.scene,
                "lon": None if m.lon is None else round(m.lon, 7),
                "lat": None if m.lat is None else round(m.lat, 7),
                "zone": m.zone,
                "length_m": round(m.length_m, 1),
                "width_m": round(m.width_m, 1),
                "confidence": round(m.confidence, 3),
                "detectable": m.detectable,
            }
        )
    present = track.present()
    return {
        "id": track.id,
        "class": track.object_class.value,
        "zone": zones.most_common(1)[0][0] if zones else None,
        "present": list(present),
        "present_on_all_dates": all(present),
        "events": [None if e is None else e.value for e in track.events()],
        "positions": positions,
    }


def timeline_record(
    result: TimelineResult, *, finished: dt.datetime | None = None
) -> dict[str, Any]:
    """The JSON record of a timeline (what ``timeline.json`` holds)."""
    dates = result.dates
    persistent = result.persistent_tracks()
    return {
        "site": result.site.name,
        "site_file": result.site.path,
        "started": result.started.isoformat(),
        "finished": (finished or dt.datetime.now(dt.UTC)).isoformat(),
        "basewatch_version": __version__,
        "sensor": result.scenes[0].sensor,
        "dates": list(dates),
        "scenes": to_jsonable(
            [{"date": d, **s.describe()} for d, s in zip(dates, result.scenes, strict=True)]
        ),
        "parameters": to_jsonable(result.parameters),
        "zone_counts": {z: dict(c) for z, c in result.zone_counts.items()},
        "zone_lengths_m": {z: dict(c) for z, c in result.zone_lengths.items()},
        "zone_coverage": to_jsonable(result.zone_coverage),
        "n_tracks": len(result.tracks),
        "n_present_on_all_dates": len(persistent),
        "tracks": [_track_record(t, dates) for t in result.tracks],
        # tracks that may be one object missed on the date between (not bridged)
        "possible_misses": [
            {
                "before_track": m.before_track,
                "after_track": m.after_track,
                "missed_date": dates[m.missed],
                "distance_m": m.distance_m,
            }
            for m in result.possible_misses
        ],
        "warnings": list(result.warnings),
    }


def counts_csv(result: TimelineResult) -> str:
    """Objects per zone and date as CSV: ``zone,kind,<date 1>,<date 2>,...``."""
    kinds = {z.name: z.kind for z in result.zones}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["zone", "kind", *result.dates])
    for zone, per_date in result.zone_counts.items():
        writer.writerow([zone, kinds.get(zone, ""), *(per_date[d] for d in result.dates)])
    return buf.getvalue()


@without_collection
def write_timeline(
    result: TimelineResult,
    out_dir: str | Path,
    *,
    png: bool = True,
    html: bool = True,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a timeline folder: ``counts.csv``, ``counts.png`` (objects per zone and
    date), ``report.html``, then ``timeline.json``.

    Returns the paths written, by kind. The folder is written whole, as
    :func:`write_run` writes a run folder (``overwrite`` as there).
    """
    out = Path(out_dir)
    names = write_folder(
        out, lambda tmp: _timeline_files(result, tmp, png=png, html=html), overwrite=overwrite
    )
    return {kind: out / name for kind, name in names.items()}


def _timeline_files(result: TimelineResult, out: Path, *, png: bool, html: bool) -> dict[str, str]:
    """Write the files of :func:`write_timeline` into ``out``; their names by kind."""
    paths = {"counts": out / "counts.csv"}
    atomic_write_text(paths["counts"], counts_csv(result))
    chart: bytes | None = None
    if png:
        from basewatch.outputs.render import render_timeline

        chart = render_timeline(result)
        paths["png"] = out / "counts.png"
        atomic_write_bytes(paths["png"], chart)
    if html:
        from basewatch.outputs.html import timeline_report

        paths["html"] = out / "report.html"
        atomic_write_text(paths["html"], timeline_report(result, png=chart))
    paths["timeline"] = out / "timeline.json"
    record = timeline_record(result)
    atomic_write_bytes(paths["timeline"], dumps_json(record))
    return {kind: p.name for kind, p in paths.items()}
