"""A run or timeline folder read as evidence: its detections, and the coverage it had
of each site.

Reads ``run.json`` and ``detections.geojson`` as :func:`basewatch.outputs.run` writes
them, ``timeline.json`` (a timeline: one pair of consecutive dates after another, with
its objects per zone and date and its tracks' events), and catalogues of scenes for
*no coverage* hints.
"""

from __future__ import annotations

import datetime as dt

# --------------------------------------------------------------------------- run parsing
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
from pyproj import Transformer

from basewatch._files import read_bounded
from basewatch._gc import without_collection
from basewatch.aoi import load_site
from basewatch.corroborate.link import (
    CatalogScene,
    Coverage,
    ZoneCount,
)
from basewatch.errors import AOIError, GridMismatchError, InputError
from basewatch.grid import Grid
from basewatch.imagery.catalog import read_catalogue_file
from basewatch.records import Detection, Event, ObjectClass
from basewatch.sensors import s1_platform_orbit, s1_relative_orbit

#: The record that marks a finished run folder (a pair of dates).
RUN_RECORD = "run.json"
#: The record that marks a finished timeline folder (a series of dates).
TIMELINE_RECORD = "timeline.json"


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise InputError(f"{what}: {value!r} is not a date (YYYY-MM-DD)")


def detection_from_feature(feature: Mapping[str, Any]) -> Detection:
    """A :class:`~basewatch.records.Detection` from one GeoJSON feature of a run.

    Parameters
    ----------
    feature : mapping
        A feature of a run's ``detections.geojson``: its properties are the
        detection's fields (``basewatch.records.to_jsonable``); ``lon``/``lat`` fall
        back to the point geometry.

    Returns
    -------
    Detection

    Raises
    ------
    basewatch.errors.InputError
        Naming the field that is missing or wrong.
    """
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        raise InputError("detection feature has no properties object")
    did = str(props.get("id", "?"))
    try:
        lon, lat = props.get("lon"), props.get("lat")
        geom = feature.get("geometry")
        if (
            (lon is None or lat is None)
            and isinstance(geom, Mapping)
            and geom.get("type") == "Point"
        ):
            lon, lat = geom["coordinates"][:2]
        footprint = props.get("footprint") or ()
        if not footprint and isinstance(geom, Mapping) and geom.get("type") == "Polygon":
            footprint = (geom.get("coordinates") or [()])[0]
        bbox = props.get("bbox_px") or (0, 0, 0, 0)
        return Detection(
            id=did,
            site=str(props["site"]),
            zone=props.get("zone"),
            zone_kind=props.get("zone_kind"),
            object_class=ObjectClass(props["object_class"]),
            event=Event(props["event"]),
            lon=float(lon if lon is not None else "nan"),
            lat=float(lat if lat is not None else "nan"),
            footprint=tuple((float(p[0]), float(p[1])) for p in footprint),
            bbox_px=(int(bbox[0]), int(bbox[1]), int(bbox[2]), int(bbox[3])),
            area_px=int(props.get("area_px", 0)),
            area_m2=float(props.get("area_m2", 0.0)),
            length_m=float(props.get("length_m") or 0.0),
            width_m=float(props.get("width_m") or 0.0),
            orientation_deg=float(props.get("orientation_deg") or 0.0),
            mean_change=float(props.get("mean_change") or 0.0),
            contrast=float(props.get("contrast") or 0.0),
            confidence=float(props["confidence"]),
            detectable=bool(props.get("detectable", True)),
            before=str(props.get("before", "")),
            after=str(props.get("after", "")),
            before_date=_date(props["before_date"], f"detection {did} before_date"),
            after_date=_date(props["after_date"], f"detection {did} after_date"),
            notes=tuple(str(n) for n in props.get("notes") or ()),
        )
    except KeyError as exc:
        raise InputError(f"detection {did}: missing property {exc.args[0]!r}") from None
    except (TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"detection {did}: bad value ({exc})") from None


def _pixel_size_m(scene: Mapping[str, Any], params: Mapping[str, Any]) -> float | None:
    for src in (scene, params):
        for key in ("pixel_size_m", "pixel_m", "resolution_m", "gsd"):
            v = src.get(key)
            if isinstance(v, int | float) and v > 0:
                return float(v)
    grid = scene.get("grid")
    if isinstance(grid, Mapping):
        tr = grid.get("transform")
        if isinstance(tr, Sequence) and len(tr) >= 6:
            a, e, f = abs(float(tr[0])), abs(float(tr[4])), float(tr[5])
            crs = str(grid.get("crs", ""))
            e = e or a
            if a > 0 and ("4326" in crs or a < 0.01):
                # degrees: metres east shrink with cos(latitude); take the cell's mean side
                lat = math.radians(f if abs(f) <= 90 else 0.0)
                return math.sqrt(a * 111_320.0 * math.cos(lat) * e * 111_320.0)
            if a > 0:
                return math.sqrt(a * e)
    return None


def _sensor(scene: Mapping[str, Any]) -> str:
    s = str(scene.get("sensor") or scene.get("platform") or "")
    if s:
        return "S1" if "1" in s[:3] or "sar" in s.lower() else "S2" if "2" in s[:3] else s
    sid = str(scene.get("id", "")).upper()
    if sid.startswith("S1") or "GRD" in sid or "RTC" in sid:
        return "S1"
    if sid.startswith("S2") or "MSI" in sid:
        return "S2"
    return ""


def _declared_zones(
    record: Mapping[str, Any], params: Mapping[str, Any], site: str
) -> tuple[str, ...]:
    """Zone kinds the run's AOI declares for ``site`` (``zones`` in run.json or parameters)."""
    for src in (record, params):
        zones = src.get("zones")
        if isinstance(zones, Mapping):
            zones = zones.get(site)
        if isinstance(zones, Sequence) and not isinstance(zones, str):
            kinds = {
                str(z.get("kind") or z.get("zone_kind")) if isinstance(z, Mapping) else str(z)
                for z in zones
            }
            return tuple(sorted(k for k in kinds if k and k != "None"))
    return ()


def _run_events(
    record: Mapping[str, Any], params: Mapping[str, Any], detections: Sequence[Detection]
) -> tuple[str, ...]:
    """Events a run can report: declared (``events``), else what a change detector sees."""
    objects = params.get("objects") if isinstance(params.get("objects"), Mapping) else {}
    assert isinstance(objects, Mapping)
    for src in (record, params, objects):
        declared = src.get("events")
        if isinstance(declared, Sequence) and not isinstance(declared, str):
            return tuple(str(e) for e in declared)
    seen = {d.event.value for d in detections}
    base = {Event.APPEARED.value, Event.DISAPPEARED.value}
    return tuple(e.value for e in Event if e.value in base | seen)


def _run_zone_counts(
    params: Mapping[str, Any], site: str, detections: Sequence[Detection], run: str
) -> tuple[ZoneCount, ...]:
    """The per-zone, per-date counts of a run (``parameters.zone_counts``).

    Zone kinds and valid fractions come from ``parameters.zone_coverage``; for runs
    that lack it, kinds come from the detections named after the zone, else stay
    ``""`` (the caller may fill them from the AOI file).
    """
    raw = params.get("zone_counts")
    if raw is None:
        return ()
    where = f"run {run or site}: parameters.zone_counts"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where} must map zone names to {{date: count}}")
    info = params.get("zone_coverage")
    info = info if isinstance(info, Mapping) else {}
    lengths = _zone_lengths(params.get("zone_lengths_m"), f"run {run or site}: parameters")
    seen_kinds = {d.zone: d.zone_kind for d in detections if d.site == site and d.zone_kind}
    out: list[ZoneCount] = []
    for zone, per_date in raw.items():
        if not isinstance(per_date, Mapping):
            raise InputError(f"{where}[{zone!r}] must map dates to counts")
        meta = info.get(zone)
        meta = meta if isinstance(meta, Mapping) else {}
        kind = str(meta.get("kind") or seen_kinds.get(str(zone)) or "")
        frac = meta.get("valid_fraction")
        valid = float(frac) if isinstance(frac, int | float) and math.isfinite(frac) else None
        for day, n in per_date.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise InputError(f"{where}[{zone!r}][{day!r}]: {n!r} is not a count")
            out.append(
                ZoneCount(
                    zone=str(zone),
                    kind=kind,
                    date=_date(day, f"{where}[{zone!r}]"),
                    count=n,
                    valid_fraction=valid,
                    lengths_m=lengths.get((str(zone), str(day))),
                )
            )
    return tuple(out)


def _zone_lengths(raw: Any, where: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """The counted objects' lengths of a record's ``zone_lengths_m`` (``{zone: {date:
    [metres, ...]}}``) by zone and date; empty for records without it."""
    if raw is None:
        return {}
    where = f"{where}: zone_lengths_m"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where} must map zone names to {{date: [length, ...]}}")
    out: dict[tuple[str, str], tuple[float, ...]] = {}
    for zone, per_date in raw.items():
        if not isinstance(per_date, Mapping):
            raise InputError(f"{where}[{zone!r}] must map dates to lists of lengths")
        for day, values in per_date.items():
            if not isinstance(values, list) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in values
            ):
                raise InputError(f"{where}[{zone!r}][{day!r}] must be a list of lengths in m")
            out[str(zone), str(day)] = tuple(float(v) for v in values)
    return out


def coverages_from_run(
    record: Mapping[str, Any], detections: Sequence[Detection] = (), *, run: str = ""
) -> list[Coverage]:
    """Coverage facts from a run record (the parsed ``run.json``) and its detections.

    One coverage for the run's site and one for each other site its detections name
    (a Beirut run covers ``beirut-airport`` and ``beirut-port``). A run without scenes
    gives a coverage without imagery whose note carries the run's warnings. The run's
    per-zone counts (``parameters.zone_counts``) go with its own site's coverage.

    Parameters
    ----------
    record : mapping
        The parsed ``run.json``.
    detections : sequence of Detection
        The run's detections.
    run : str
        The run folder, recorded in each coverage.

    Returns
    -------
    list of Coverage

    Raises
    ------
    basewatch.errors.InputError
        A scene, date or count of the record that is not what it should be.
    """
    site = record.get("site")
    if not isinstance(site, str) or not site:
        raise InputError(f"run {run or '?'}: run.json has no 'site'")
    scenes = [s for s in record.get("scenes") or () if isinstance(s, Mapping)]
    params = record.get("parameters") if isinstance(record.get("parameters"), Mapping) else {}
    assert isinstance(params, Mapping)
    sites = [site]
    declared = record.get("sites")
    if isinstance(declared, Sequence) and not isinstance(declared, str):
        sites += [str(s) for s in declared]
    sites += [d.site for d in detections]
    sites = list(dict.fromkeys(sites))
    if not scenes:
        warnings = [str(w) for w in record.get("warnings") or ()]
        note = "; ".join(warnings) or "the run has no scenes"
        return [Coverage(site=s, run=run, note=note) for s in sites]
    dates: list[dt.date] = []
    clouds: list[float] = []
    sizes: list[float] = []
    sensors: list[str] = []
    for sc in scenes:
        when = sc.get("datetime") or sc.get("date")
        dates.append(_date(when, f"run {run or site}: scene {sc.get('id', '?')} datetime"))
        cf = sc.get("cloud_fraction")
        if isinstance(cf, int | float) and math.isfinite(cf):
            clouds.append(float(cf))
        px = _pixel_size_m(sc, params)
        if px is not None:
            sizes.append(px)
        sensors.append(_sensor(sc))
    pixel = max(sizes) if sizes else 10.0
    events = _run_events(record, params, detections)
    counted = _run_zone_counts(params, site, detections, run)
    sensor = next((s for s in sensors if s), "")
    out: list[Coverage] = []
    for s in sites:
        seen_zones = sorted({d.zone_kind for d in detections if d.site == s and d.zone_kind})
        out.append(
            Coverage(
                site=s,
                sensor=sensor,
                start=min(dates),
                end=max(dates),
                cloud_fraction=max(clouds) if clouds else None,
                pixel_size_m=round(pixel, 2),
                scenes=tuple(str(sc.get("id", "")) for sc in scenes),
                zones=_declared_zones(record, params, s),
                events=events,
                run=run,
                note=f"zones seen in detections: {', '.join(seen_zones)}" if seen_zones else "",
                # the counts are of the run's own site and its zones only
                zone_counts=counted if s == site else (),
                **_searches(params.get("change")),
            )
        )
    return out


def _searches(params: Any) -> dict[str, Any]:
    """What a run's record says of its vessel and aircraft searches, as the fields of
    :class:`Coverage` that hold them (``params``: the parameters with the searches'
    entries, a pair run's ``change`` or a timeline's own)."""
    return {
        "vessel_search": _search_text(params, "vessels"),
        "vessel_precision": _search_figure(params, "vessels", "precision"),
        "vessel_open_recall": _search_figure(params, "vessels", "open_water_recall"),
        "aircraft_search": _search_text(params, "aircraft"),
        "aircraft_precision": _search_figure(params, "aircraft", "precision"),
    }


def _search_text(params: Any, kind: str) -> str:
    """How a run found each date's ``kind`` (``"vessels"``, ``"aircraft"``) and what is
    known of how well, from that entry of its parameters
    (:func:`basewatch.pipeline.vessel_detector`, :func:`basewatch.pipeline.
    aircraft_search`); ``""`` where the record does not say (records of earlier
    versions; radar runs of aircraft)."""
    record = params.get(kind) if isinstance(params, Mapping) else None
    if not isinstance(record, Mapping) or not isinstance(record.get("measured"), str):
        return ""
    found_by = record.get("search") or record.get("detector")
    return f"{kind} found by {found_by}, {record['measured']}"


def _search_figure(params: Any, kind: str, key: str) -> float | None:
    """A measured share of a run's search for ``kind`` (``vessels.precision``,
    ``vessels.open_water_recall`` of its parameters); None where the record does not
    say or says it is not measured."""
    record = params.get(kind) if isinstance(params, Mapping) else None
    value = record.get(key) if isinstance(record, Mapping) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    return None


#: Largest ``run.json`` or ``detections.geojson`` read. A whole-tile run (10980 px,
#: 234,000 detections) writes a 359 MB GeoJSON and a 157 MB run record; the limit keeps
#: a file that is not a run's (an image, an archive) from being read into memory.
MAX_RUN_FILE_BYTES = 2 * 1024**3


def _read_json(path: Path, what: str) -> Any:
    raw = read_bounded(
        path, limit=MAX_RUN_FILE_BYTES, what=what, hint="is this the folder of a basewatch run?"
    )
    try:
        # orjson: a whole tile's GeoJSON in seconds, not tens of seconds
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        # the standard library also reads NaN and Infinity, which runs written before
        # basewatch wrote null for them hold
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path}: the {what} is not valid JSON ({exc}); re-run the detection"
        ) from exc


def run_dirs(path: Path) -> list[Path]:
    """Every run and timeline folder in ``path``: itself when it holds ``run.json`` or
    ``timeline.json``, and every folder below it that does (at any depth; none is left
    out because another was found).

    Parameters
    ----------
    path : pathlib.Path
        A run or timeline folder, or a folder of them.

    Returns
    -------
    list of pathlib.Path
        Sorted by name.

    Raises
    ------
    basewatch.errors.InputError
        ``path`` is no folder, or no ``run.json`` or ``timeline.json`` is found (an
        unfinished run).
    """
    if not path.is_dir():
        raise InputError(f"{path}: not a folder; give a run folder written by basewatch")
    found = sorted(
        {
            p.parent
            for name in (RUN_RECORD, TIMELINE_RECORD)
            for p in path.rglob(name)
            if p.is_file()
        }
    )
    if not found:
        raise InputError(
            f"{path}: no run.json or timeline.json here or in its sub-folders (an unfinished "
            "or failed run?); give a folder written by 'basewatch detect', 'run', 'timeline' "
            "or 'demo'"
        )
    return found


@without_collection
def load_run(path: str | Path) -> RunEvidence:
    """Detections, coverage facts and the record of one run or timeline folder.

    Parameters
    ----------
    path : pathlib.Path
        A folder holding ``run.json`` (and ``detections.geojson`` when the run
        detected anything), or a timeline folder holding ``timeline.json``
        (:func:`load_timeline`).

    Returns
    -------
    RunEvidence
        Its detections, its coverages (one per site the run covers, see
        :func:`coverages_from_run`, with the zone kinds of the site's AOI) and the
        parsed ``run.json``.

    Raises
    ------
    basewatch.errors.InputError
        Missing or broken files (larger than :data:`MAX_RUN_FILE_BYTES`, not JSON,
        features with missing fields).
    """
    path = Path(path)
    if not (path / RUN_RECORD).is_file() and (path / TIMELINE_RECORD).is_file():
        return load_timeline(path)
    record = _read_json(path / RUN_RECORD, "run record")
    if not isinstance(record, Mapping):
        raise InputError(f"{path / RUN_RECORD}: expected a JSON object")
    detections: list[Detection] = []
    gj_path = path / "detections.geojson"
    if gj_path.is_file():
        gj = _read_json(gj_path, "detections file")
        feats = gj.get("features") if isinstance(gj, Mapping) else None
        if not isinstance(feats, list):
            raise InputError(f"{gj_path}: not a GeoJSON FeatureCollection (no 'features' list)")
        for i, feat in enumerate(feats):
            if not isinstance(feat, Mapping):
                raise InputError(f"{gj_path}: feature {i} is not an object")
            try:
                detections.append(detection_from_feature(feat))
            except InputError as exc:
                raise InputError(f"{gj_path}: feature {i}: {exc}") from None
    elif any(int(v) for v in (record.get("counts") or {}).values()):
        raise InputError(f"{path}: run.json counts detections but detections.geojson is missing")
    coverages = [
        _with_aoi_zones(c, record) for c in coverages_from_run(record, detections, run=str(path))
    ]
    return RunEvidence(path, tuple(detections), tuple(coverages), dict(record))


@without_collection
def load_timeline(path: str | Path) -> RunEvidence:
    """A timeline folder (``timeline.json``) read as evidence.

    A timeline of dates d1 < d2 < ... < dn is read as the runs of its consecutive pairs
    (d1, d2), (d2, d3), ...: each pair gives a coverage of the site with the objects
    counted per zone on its two dates (:class:`~basewatch.corroborate.link.ZoneCount`),
    and each track that appeared, disappeared or persisted between them gives a
    detection (see :func:`timeline_evidence`). The verdict rules are those of runs:
    imagery must bracket a claim's window, and only counts of dates inside the window
    count.

    Parameters
    ----------
    path : str or pathlib.Path
        A folder holding ``timeline.json`` (written by ``basewatch timeline`` or
        :func:`basewatch.outputs.run.write_timeline`).

    Returns
    -------
    RunEvidence
        With ``kind="timeline"``.

    Raises
    ------
    basewatch.errors.InputError
        A missing or broken ``timeline.json``, naming the field that is wrong.
    """
    path = Path(path)
    record = _read_json(path / TIMELINE_RECORD, "timeline record")
    if not isinstance(record, Mapping):
        raise InputError(f"{path / TIMELINE_RECORD}: expected a JSON object")
    detections, coverages = timeline_evidence(record, run=str(path))
    filled = [_with_aoi_zones(c, record) for c in coverages]
    return RunEvidence(path, detections, tuple(filled), dict(record), kind="timeline")


def timeline_evidence(
    record: Mapping[str, Any], *, run: str = ""
) -> tuple[tuple[Detection, ...], tuple[Coverage, ...]]:
    """Detections and coverages of a timeline record (the parsed ``timeline.json``).

    One coverage per pair of consecutive dates, with the two scenes' ids, their cloud
    fractions and pixel size, and the objects counted per zone on those two dates
    (valid fraction: the smaller of the two). One detection per track and pair of
    dates where the track appeared, disappeared or persisted, placed where the object
    was seen (on the earlier date for *disappeared*, else the later), with its size and
    confidence on that date and the scene ids of the pair; its pixel box is the pixel
    of its centre on the scene's grid (a timeline keeps no outlines).

    Parameters
    ----------
    record : mapping
        The parsed ``timeline.json``.
    run : str
        The timeline folder, recorded in each coverage.

    Returns
    -------
    (tuple of Detection, tuple of Coverage)

    Raises
    ------
    basewatch.errors.InputError
        A field that is missing or wrong (dates and scenes that do not pair up, a count
        that is not a count, a track whose events do not match the dates).
    """
    where = f"timeline {run or '?'}"
    site = record.get("site")
    if not isinstance(site, str) or not site:
        raise InputError(f"{where}: timeline.json has no 'site'")
    raw_dates = record.get("dates")
    scenes = record.get("scenes")
    if not (isinstance(raw_dates, list) and isinstance(scenes, list)) or len(raw_dates) != len(
        scenes
    ):
        raise InputError(f"{where}: 'dates' and 'scenes' must be lists of equal length")
    if not all(isinstance(sc, Mapping) for sc in scenes):
        raise InputError(f"{where}: every scene must be an object")
    dates = [_date(d, f"{where}: dates") for d in raw_dates]
    if dates != sorted(set(dates)):
        raise InputError(f"{where}: 'dates' must be distinct and in order")
    params = record.get("parameters")
    params = params if isinstance(params, Mapping) else {}
    sensor = str(record.get("sensor") or next((_sensor(sc) for sc in scenes), ""))
    kinds = _timeline_kinds(record)
    counts = _timeline_counts(record, kinds, where)
    coverages: list[Coverage] = []
    for i in range(len(dates) - 1):
        pair = (scenes[i], scenes[i + 1])
        clouds = [
            float(c)
            for sc in pair
            if isinstance(c := sc.get("cloud_fraction"), int | float) and math.isfinite(c)
        ]
        sizes = [px for sc in pair if (px := _pixel_size_m(sc, params)) is not None]
        coverages.append(
            Coverage(
                site=site,
                sensor=sensor,
                start=dates[i],
                end=dates[i + 1],
                cloud_fraction=max(clouds) if clouds else None,
                pixel_size_m=round(max(sizes), 2) if sizes else 10.0,
                scenes=tuple(str(sc.get("id", "")) for sc in pair),
                zones=tuple(sorted({k for k in kinds.values() if k})),
                # a timeline follows every object: it sees all three events
                events=tuple(e.value for e in Event),
                run=run,
                zone_counts=_pair_counts(counts, dates[i], dates[i + 1]),
                **_searches(params),
            )
        )
    tracks = record.get("tracks") or []
    if not isinstance(tracks, list):
        raise InputError(f"{where}: 'tracks' must be a list")
    detections = [
        det
        for track in tracks
        for det in _track_detections(track, site, dates, scenes, kinds, where)
    ]
    return tuple(detections), tuple(coverages)


def _timeline_kinds(record: Mapping[str, Any]) -> dict[str, str]:
    """Zone name -> kind, from the timeline's ``zone_coverage``."""
    info = record.get("zone_coverage")
    if not isinstance(info, Mapping):
        return {}
    return {
        str(zone): str(meta.get("kind") or "")
        for zone, meta in info.items()
        if isinstance(meta, Mapping)
    }


def _timeline_counts(
    record: Mapping[str, Any], kinds: Mapping[str, str], where: str
) -> list[ZoneCount]:
    """Every zone's count on every date, with that date's valid fraction of the zone."""
    raw = record.get("zone_counts") or {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: 'zone_counts' must map zone names to {{date: count}}")
    info = record.get("zone_coverage")
    info = info if isinstance(info, Mapping) else {}
    lengths = _zone_lengths(record.get("zone_lengths_m"), where)
    out: list[ZoneCount] = []
    for zone, per_date in raw.items():
        if not isinstance(per_date, Mapping):
            raise InputError(f"{where}: zone_counts[{zone!r}] must map dates to counts")
        meta = info.get(zone)
        valid = meta.get("valid_fraction") if isinstance(meta, Mapping) else None
        for day, n in per_date.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise InputError(f"{where}: zone_counts[{zone!r}][{day!r}]: {n!r} is not a count")
            frac = valid.get(day) if isinstance(valid, Mapping) else valid
            out.append(
                ZoneCount(
                    zone=str(zone),
                    kind=kinds.get(str(zone), ""),
                    date=_date(day, f"{where}: zone_counts[{zone!r}]"),
                    count=n,
                    valid_fraction=(
                        float(frac)
                        if isinstance(frac, int | float) and math.isfinite(frac)
                        else None
                    ),
                    lengths_m=lengths.get((str(zone), str(day))),
                )
            )
    return out


def _pair_counts(
    counts: Sequence[ZoneCount], first: dt.date, second: dt.date
) -> tuple[ZoneCount, ...]:
    """The counts of two dates, each zone's valid fraction the smaller of the two (a
    count is judged only where the zone was seen on both dates, as in a run)."""
    mine = [zc for zc in counts if zc.date in (first, second)]
    worst: dict[str, float | None] = {}
    for zc in mine:
        known = [
            f for f in (worst.get(zc.zone, zc.valid_fraction), zc.valid_fraction) if f is not None
        ]
        worst[zc.zone] = min(known) if known else None
    return tuple(replace(zc, valid_fraction=worst[zc.zone]) for zc in mine)


def _track_detections(
    track: Any,
    site: str,
    dates: Sequence[dt.date],
    scenes: Sequence[Mapping[str, Any]],
    kinds: Mapping[str, str],
    where: str,
) -> list[Detection]:
    """The detections of one track: one per pair of consecutive dates with an event."""
    if not isinstance(track, Mapping):
        raise InputError(f"{where}: a track is not an object")
    tid = track.get("id", "?")
    events = track.get("events") or []
    positions = track.get("positions") or []
    if not (isinstance(events, list) and isinstance(positions, list)) or (
        len(events) != len(dates) - 1 or len(positions) != len(dates)
    ):
        raise InputError(
            f"{where}: track {tid} needs one event per pair of dates and one position per date"
        )
    try:
        cls = ObjectClass(track["class"])
    except (KeyError, ValueError):
        raise InputError(f"{where}: track {tid} has no valid 'class'") from None
    out: list[Detection] = []
    for i, name in enumerate(events):
        if name is None:
            continue
        try:
            event = Event(name)
        except ValueError:
            raise InputError(f"{where}: track {tid}: {name!r} is not an event") from None
        seen_on = i if event is Event.DISAPPEARED else i + 1
        pos = positions[seen_on] or positions[i] or positions[i + 1]
        if not isinstance(pos, Mapping) or pos.get("lon") is None or pos.get("lat") is None:
            continue
        lon, lat = float(pos["lon"]), float(pos["lat"])
        zone = pos.get("zone") or track.get("zone")
        a, b = dates[i], dates[i + 1]
        out.append(
            Detection(
                id=f"track{tid}:{a:%Y%m%d}-{b:%Y%m%d}",
                site=site,
                zone=None if zone is None else str(zone),
                zone_kind=kinds.get(str(zone)) or None,
                object_class=cls,
                event=event,
                lon=lon,
                lat=lat,
                footprint=(),
                bbox_px=_centre_pixel(scenes[seen_on], lon, lat),
                area_px=0,
                area_m2=0.0,
                length_m=float(pos.get("length_m") or 0.0),
                width_m=float(pos.get("width_m") or 0.0),
                orientation_deg=0.0,
                mean_change=0.0,
                contrast=0.0,
                confidence=float(pos.get("confidence") or 0.0),
                detectable=bool(pos.get("detectable", True)),
                before=str(scenes[i].get("id", "")),
                after=str(scenes[i + 1].get("id", "")),
                before_date=a,
                after_date=b,
                notes=(
                    f"timeline track {tid}: {event.value} between {a.isoformat()} and "
                    f"{b.isoformat()}, seen on {dates[seen_on].isoformat()} (position and "
                    "size of that date; no outline)",
                ),
            )
        )
    return out


def _centre_pixel(scene: Mapping[str, Any], lon: float, lat: float) -> tuple[int, int, int, int]:
    """The pixel box ``(row, col, row + 1, col + 1)`` of a position on the scene's grid
    (``(0, 0, 0, 0)`` when the scene records no grid)."""
    grid = scene.get("grid")
    if not isinstance(grid, Mapping):
        return (0, 0, 0, 0)
    try:
        g = Grid(
            str(grid["crs"]),
            tuple(float(v) for v in grid["transform"][:6]),  # type: ignore[arg-type]
            int(grid["width"]),
            int(grid["height"]),
        )
        x, y = Transformer.from_crs("EPSG:4326", g.crs, always_xy=True).transform(lon, lat)
        row, col = g.rowcol(x, y)
    except (KeyError, TypeError, ValueError, GridMismatchError):
        return (0, 0, 0, 0)
    r, c = math.floor(float(row)), math.floor(float(col))
    return (r, c, r + 1, c + 1)


def _with_aoi_zones(cov: Coverage, record: Mapping[str, Any]) -> Coverage:
    """Fill the zone kinds of a coverage (and of its zone counts, for runs that did not
    record them) from the run's AOI file (or the bundled one)."""
    unknown = any(not zc.kind for zc in cov.zone_counts)
    if cov.zones and not unknown:
        return cov
    params = record.get("parameters")
    site_file = params.get("site_file") if isinstance(params, Mapping) else None
    site_file = site_file or record.get("site_file")  # a timeline keeps it at the top
    candidates: list[str | Path] = []
    if isinstance(site_file, str) and record.get("site") == cov.site:
        candidates.append(Path(site_file))
    candidates.append(cov.site)
    for cand in candidates:
        try:
            site = load_site(cand)
        except (AOIError, OSError, ValueError):
            continue
        kinds = tuple(sorted({z.kind for z in site.zones}))
        by_name = {z.name: z.kind for z in site.zones}
        counts = tuple(
            zc if zc.kind else replace(zc, kind=by_name.get(zc.zone, "")) for zc in cov.zone_counts
        )
        return replace(cov, zones=cov.zones or kinds, zone_counts=counts)
    return cov


def _s1_track(scene_id: str) -> str:
    """``"S1 track 14"``: change pairs of Sentinel-1 must share the relative orbit."""
    found = s1_platform_orbit(scene_id)
    track = s1_relative_orbit(*found) if found else None
    return "S1" if track is None else f"S1 track {track}"


def load_catalogue(paths: Sequence[Path], sites: Sequence[str]) -> dict[str, list[CatalogScene]]:
    """Catalogued scenes (ids, dates, clouds; no pixels) whose footprint holds each site.

    A site's position is the centre of its AOI outline; sites without an AOI are left out.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Catalogues: a JSON list, JSON lines or STAC items (a FeatureCollection).
    sites : sequence of str
        Site ids.

    Returns
    -------
    dict of str to list of CatalogScene
        Per site, the scenes that hold it.

    Raises
    ------
    basewatch.errors.InputError
        A catalogue that is too large, cannot be read or is no list of scene records.
    """
    points: dict[str, tuple[float, float]] = {}
    for site in sites:
        try:
            c = load_site(site).outline.centroid
        except (AOIError, OSError, ValueError):
            continue
        points[site] = (float(c.x), float(c.y))
    out: dict[str, list[CatalogScene]] = {s: [] for s in points}
    for path in paths:
        # the one reader of catalogue files (scene lists, JSON lines, STAC items)
        for entry in read_catalogue_file(path):
            minx, miny, maxx, maxy = entry.footprint.bounds
            sensor = _s1_track(entry.id) if entry.sensor == "S1" else entry.sensor
            cloud = entry.tile_cloud
            for site, (lon, lat) in points.items():
                if minx <= lon <= maxx and miny <= lat <= maxy:
                    out[site].append(
                        CatalogScene(
                            id=entry.id,
                            sensor=sensor,
                            date=entry.date,
                            cloud_fraction=None
                            if sensor.startswith("S1") or cloud is None
                            else min(1.0, max(0.0, float(cloud))),
                        )
                    )
    return out


@dataclass(frozen=True)
class RunEvidence:
    """One run folder read as evidence.

    Attributes
    ----------
    path : pathlib.Path
        The run folder (it holds ``run.json``).
    detections : tuple of Detection
        The objects the run detected (its ``detections.geojson``).
    coverages : tuple of Coverage
        The imagery the run had of each site.
    record : Mapping
        The parsed ``run.json`` or ``timeline.json`` (scenes, parameters, counts,
        evidence or tracks).
    kind : str
        ``"run"`` (a pair of dates, ``run.json``) or ``"timeline"`` (a series,
        ``timeline.json``: one coverage per pair of consecutive dates).
    """

    path: Path
    detections: tuple[Detection, ...]
    coverages: tuple[Coverage, ...]
    record: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    kind: str = "run"
