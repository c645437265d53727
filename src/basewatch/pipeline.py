"""The change pipeline for one site and two dates: scenes in, detections out.

:func:`detect_pair` is pure (records in, records out); :func:`write_run` does the
output I/O. Every file is written atomically and ``run.json`` last, so a run folder
with a ``run.json`` is complete and one without it is not.

For two or more dates, :func:`observe_dates` follows each object across the dates
(one track per object) and counts the objects per zone and date;
:func:`write_timeline` writes ``counts.csv`` and then ``timeline.json``, last.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from basewatch._gc import without_collection
from basewatch._heap import on_heap
from basewatch._words import plural
from basewatch.aoi import (
    AIRCRAFT_ZONES,
    COUNT_GAPS,
    WATER_ZONES,
    Site,
    Zone,
    outline_mask,
    zone_index,
)
from basewatch.detect import _kernels
from basewatch.detect.change import cva_change_map, log_ratio_change_map
from basewatch.detect.changed import extract_detections
from basewatch.detect.classify import VesselClassifier
from basewatch.detect.components import ObjectParams, water_mask, zone_kind_mask
from basewatch.detect.events import (
    MatchParams,
    Observation,
    PossibleMiss,
    Track,
    events_to_detections,
    match_objects,
    possible_misses,
    timeline,
)
from basewatch.detect.merge import confirm_aircraft, merge_object_events
from basewatch.detect.single_date import date_observation_parts
from basewatch.detect.vessels import (
    ClassifiedVessels,
    VesselParams,
    detect_vessels_s2,
    resolved_objects,
    sar_params,
    vessel_observations,
)
from basewatch.errors import CoverageError, InputError
from basewatch.grid import Grid, require_same_grid
from basewatch.records import (
    ChangeMap,
    Detection,
    Event,
    Scene,
    to_jsonable,
)
from basewatch.sensors import S2_LEVEL_TOA, s1_geometry, s2_processing_level

#: Below this share of the site valid (not nodata, not cloud), a run warns that its
#: counts and absences cover only part of the site.
MIN_VALID_SITE_SHARE = 0.5


@dataclass(frozen=True)
class ChangeParams:
    """Parameters of the pixel change step (recorded in the run record)."""

    method: str = "robust"
    k: float = 5.0
    threshold: float | None = None
    normalise: bool = True
    #: Radar change threshold: ``median + k * sigma_MAD`` of the log-ratio over the
    #: zones. Kittler-Illingworth (the earlier default) split the unimodal log-ratio of
    #: calm sea and marked 95-98 % of the Latakia sea changed on both same-track pairs;
    #: the robust rule with the optical ``k`` (not tuned on radar) marks 0.02 % and 0.08 %
    #: (benchmarks/sar_eval.py).
    sar_method: str = "robust"


@dataclass(frozen=True)
class PairStatistics:
    """Statistics of a whole pair given from outside instead of measured on the
    pixels at hand (a chunk of a tile takes those of the whole tile,
    :mod:`basewatch.scale.pair`). None measures as :func:`detect_pair` does.

    Attributes
    ----------
    gain, bias : tuple of float, optional
        Radiometric normalisation of the after date, per band
        (:func:`~basewatch.detect.change.fit_gain_bias`).
    threshold : float, optional
        Change magnitude threshold.
    noise : float, optional
        Noise of the change magnitude (:func:`~basewatch.detect.changed.background_noise`).
    water_levels : tuple of two mappings, optional
        Per date, the berth zones' water median and spread by zone index
        (:func:`~basewatch.detect.single_date.berth_water_level`).
    """

    gain: tuple[float, ...] | None = None
    bias: tuple[float, ...] | None = None
    threshold: float | None = None
    noise: float | None = None
    water_levels: (
        tuple[Mapping[int, tuple[float, float]], Mapping[int, tuple[float, float]]] | None
    ) = None


@dataclass(frozen=True, eq=False)
class PixelStage:
    """What the pixels of a pair give before objects are matched across the dates
    (:func:`optical_pixel_stage`, :func:`sar_pixel_stage`).

    Attributes
    ----------
    change : ChangeMap
    changed : list of Detection
        Objects of the change map (optical; empty for radar).
    seen : tuple of two tuples of lists of Observation
        Per date, the objects seen on it, by how they were found (optical: aircraft,
        free vessels, moored hulls; radar: vessels), each in labelling order.
    water : bool
        Whether vessels were searched in the water zones (optical: both dates have
        green and NIR).
    """

    change: ChangeMap
    changed: list[Detection]
    seen: tuple[tuple[list[Observation], ...], tuple[list[Observation], ...]]
    water: bool


@dataclass(frozen=True, eq=False)
class PairResult:
    """Everything one before/after comparison produced."""

    site: Site
    before: Scene
    after: Scene
    change: ChangeMap
    zone_idx: NDArray[np.int16]
    zones: tuple[Zone, ...]
    detections: tuple[Detection, ...]
    change_params: ChangeParams
    object_params: ObjectParams
    started: dt.datetime
    warnings: tuple[str, ...] = field(default=())
    zone_lengths: Mapping[str, Mapping[str, tuple[float, ...]]] = field(default_factory=dict)
    """The lengths of the objects seen on each date in each zone, in metres to
    :data:`COUNTED_LENGTH_DECIMALS` decimals, longest first: ``{zone: {"YYYY-MM-DD":
    (length, ...)}}`` (what a claimed type's number is held against); their numbers
    are :attr:`zone_counts`."""

    @functools.cached_property
    def zone_counts(self) -> dict[str, dict[str, int]]:
        """Objects seen on each date in each zone: ``{zone: {"YYYY-MM-DD": n}}``
        (:func:`zone_counts_of` :attr:`zone_lengths`). Optical: single-date aircraft in
        aircraft zones, vessels in water zones (when the scenes have green and NIR);
        SAR: CFAR vessels in water zones. A zone that was not searched for objects is
        absent (not 0)."""
        return zone_counts_of(self.zone_lengths)

    def reportable_events(self) -> tuple[str, ...]:
        """The events this comparison can report at all.

        Differencing alone sees only appeared/disappeared; with single-date objects
        (always for SAR, ``ObjectParams.date_objects`` for optical) it also sees
        persisted and moved ones.
        """
        if self.before.sensor == "S1" or self.object_params.date_objects:
            return tuple(e.value for e in Event)
        return (Event.APPEARED.value, Event.DISAPPEARED.value)

    def counts(self) -> dict[str, int]:
        """Number of detections per ``"class:event"`` (``{"vessel:appeared": 1, ...}``)."""
        # counted by the members themselves, their text made once per kind of event
        c = Counter((d.object_class, d.event) for d in self.detections)
        return dict(sorted((f"{k.value}:{e.value}", n) for (k, e), n in c.items()))

    def to_geojson(self) -> dict[str, Any]:
        """The detections as a GeoJSON FeatureCollection (footprints in WGS84), as
        ``detections.geojson`` holds them."""
        from basewatch.outputs.vector import detections_geojson

        return detections_geojson(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per detection (see :func:`basewatch.outputs.display.detection_rows`)."""
        from basewatch.outputs.display import detection_rows

        return detection_rows(self.detections)

    def to_dataframe(self) -> Any:
        """The detections as a pandas DataFrame (needs pandas; see :meth:`to_records`)."""
        from basewatch.outputs.display import DETECTION_COLUMNS, records_frame

        return records_frame(self.to_records(), columns=DETECTION_COLUMNS)

    def _repr_png_(self) -> bytes:
        """The before / after / change picture (what ``change.png`` shows)."""
        from basewatch.outputs.render import render_pair

        return render_pair(self)

    def _repr_html_(self) -> str:
        from basewatch.outputs.display import pair_html

        return pair_html(self)

    def zone_coverage(self) -> dict[str, dict[str, Any]]:
        """Kind and fraction of pixels valid on both dates, per zone.

        Returns
        -------
        dict of zone name to ``{"kind": str, "valid_fraction": float}``
            ``valid_fraction`` is 0 for a zone with no pixel on the grid. A count of 0
            in a zone is evidence of absence only where this fraction is high. Zones
            with counts also say whether the count is ``"complete"`` or a ``"lower
            bound"``, and then what is ``"not_counted"``
            (:data:`basewatch.aoi.COUNT_GAPS`).
        """
        out: dict[str, dict[str, Any]] = {}
        quality = self.count_quality()
        for i, z in enumerate(self.zones):
            inside = self.zone_idx == i
            n = int(inside.sum())
            frac = float(self.change.valid[inside].sum() / n) if n else 0.0
            out[z.name] = {"kind": z.kind, "valid_fraction": round(frac, 4)}
            out[z.name].update(quality.get(z.name, {}))
        return out

    def count_quality(self) -> dict[str, dict[str, str]]:
        """Per zone with counts: its kind, whether the count is ``"complete"`` or a
        ``"lower bound"``, and then what is ``"not_counted"``
        (:data:`basewatch.aoi.COUNT_GAPS`); no pixel is read (as
        :meth:`zone_coverage` says it, without the valid fractions).

        Returns
        -------
        dict of zone name to ``{"kind": str, "count": str[, "not_counted": str]}``
        """
        return {
            z.name: {"kind": z.kind, **_count_quality(z.kind)}
            for z in self.zones
            if z.name in self.zone_counts
        }


def _count_quality(kind: str) -> dict[str, str]:
    """Whether single-date counts in a zone of ``kind`` are ``complete`` or a ``lower
    bound``, and then what they miss (:data:`basewatch.aoi.COUNT_GAPS`)."""
    gap = COUNT_GAPS.get(kind)
    return {"count": "lower bound", "not_counted": gap} if gap else {"count": "complete"}


def _brightness(scene: Scene) -> NDArray[np.floating[Any]]:
    """Mean of an optical scene's bands but SWIR, per pixel (NaN where invalid)."""
    return _kernels.band_mean(core_bands(scene).data)


#: Bands an optical scene may carry for the vessel classifier alone: the change map, the
#: brightness and the aircraft search use the others (the 10 m bands), as they were
#: tuned on them.
CLASSIFIER_ONLY_BANDS: frozenset[str] = frozenset({"B11"})


def core_bands(scene: Scene) -> Scene:
    """``scene`` without :data:`CLASSIFIER_ONLY_BANDS` (a view of its array when they
    come last, as the loader reads them): what the change map, the brightness and the
    aircraft search read.

    Parameters
    ----------
    scene : Scene

    Returns
    -------
    Scene
        ``scene`` itself when it has none of them.
    """
    keep = [i for i, b in enumerate(scene.bands) if b.upper() not in CLASSIFIER_ONLY_BANDS]
    if len(keep) == len(scene.bands):
        return scene
    data = scene.data[: len(keep)] if keep == list(range(len(keep))) else scene.data[keep]
    return replace(scene, bands=tuple(scene.bands[i] for i in keep), data=data)


def _vessel_bands(scene: Scene, bands: Sequence[str]) -> NDArray[np.floating[Any]] | None:
    """The bands of a vessel model (``bands``, e.g. B02, B03, B04, B08, B11, in that
    order; a view when the scene holds them so), or None when the scene lacks one."""
    from basewatch.detect.candidates import missing_bands

    names = [b.upper() for b in scene.bands]
    if missing_bands(names, bands):
        return None
    order = [names.index(b) for b in bands]
    if order == list(range(len(order))):
        return scene.data[: len(order)]
    return scene.data[order]


def _model_bands(scenes: Sequence[Scene]) -> tuple[str, ...] | None:
    """The bands of the vessel model every one of ``scenes`` can be searched with: the
    five with B11 where all hold them, else the four 10 m bands where all hold those
    (one model for every date: a ship is then found alike on each), else None."""
    from basewatch.detect.candidates import BANDS, BANDS_10M, missing_bands

    for bands in (BANDS, BANDS_10M):
        if scenes and all(not missing_bands(s.bands, bands) for s in scenes):
            return bands
    return None


#: What each date's vessel search is called in records, reports and verdicts.
VESSEL_SEARCH_NAMES: Mapping[str, str] = {
    "classifier": "the trained classifier",
    "classifier_10m": "the trained classifier of the 10 m bands (the scenes lack B11)",
    "union": "the trained classifier of the 10 m bands (the scenes lack B11) and the "
    "rule-based search's vessels it did not find",
    "rule": "the rule-based search",
    "radar": "the radar CFAR search",
}


@dataclass(frozen=True)
class SearchScore:
    """What a vessel search scores on labelled ports (``how`` says whether it was tuned
    on them).

    Attributes
    ----------
    precision, recall, f1 : float
        Pooled over the ports (label rule of :func:`basewatch.detect.vessels.match_labels`).
    how : str
        How it was measured (``"held out on 8 labelled ports"``).
    meaning : str
        What the figures mean for a reader of a count, in words.
    open_water_recall : float
        The share it finds of the labelled (radar: listed) vessels with open water all
        around them (at least 90 % of a 100 m ring water), the ones an approach zone
        holds: how likely it is to have missed a ship where a count says there is none.
    """

    precision: float
    recall: float
    f1: float
    how: str
    meaning: str
    open_water_recall: float

    def text(self) -> str:
        """The figures in words, as records, reports and verdicts quote them."""
        return (
            f"{self.how}, precision {self.precision:.2f}, recall {self.recall:.2f}, "
            f"F1 {self.f1:.2f}; {self.meaning}"
        )


#: What each date's vessel search scores on data it was not tuned on, as the run record
#: and report say it. Optical: ``benchmarks/vessels_eval.py --pair-path`` (the eight
#: sen2ships ports, each image a water zone; the classifier's model and threshold for a
#: port chosen on the other seven). Radar: ``benchmarks/sar_eval.py`` (four Sentinel-1
#: dates of Latakia port against the vessel lists of the data's source, another
#: program's detections: agreement, not accuracy; the CFAR keeps standard values, not
#: tuned there).
VESSEL_SEARCH_MEASURED: Mapping[str, SearchScore] = {
    "classifier": SearchScore(
        0.52,
        0.47,
        0.50,
        "held out on 8 labelled ports",
        "about half its vessels are ships and it finds about half of them",
        0.71,
    ),
    "classifier_10m": SearchScore(
        0.48,
        0.41,
        0.44,
        "held out on 8 labelled ports",
        "about half its vessels are ships and it finds about two in five of them",
        0.71,
    ),
    "union": SearchScore(
        0.46,
        0.43,
        0.45,
        "held out on 8 labelled ports",
        "about half its vessels are ships and it finds about two in five of them",
        0.78,
    ),
    "rule": SearchScore(
        0.59,
        0.14,
        0.23,
        "on 8 labelled ports",
        "it misses most ships, above all those moored against a quay or in a channel",
        0.51,
    ),
    "radar": SearchScore(
        0.63,
        0.16,
        0.25,
        "against another detector's vessel lists (not ground truth) on 4 Sentinel-1 dates "
        "at Latakia",
        "about two thirds of its vessels are in those lists; it confirms a sixth of the "
        "listed ones (none moored at the quays) and under half of those in open water",
        0.46,
    ),
}


#: The optical searches of :data:`VESSEL_SEARCH_MEASURED` on Level-1C scenes (top of the
#: atmosphere), as the record and verdicts of a run with such a scene say them:
#: ``benchmarks/vessels_eval.py --pair-path --toa``, the eight ports' Level-2A images
#: with the path reflectance of a clear maritime atmosphere added to each band (a
#: first-order simulation of Level-1C; the models trained and their thresholds chosen
#: on the other ports' Level-2A images, as shipped). The haze lifts the water's
#: visible and NIR values: fewer hulls stand out, most of all in the rule's search.
VESSEL_SEARCH_MEASURED_TOA: Mapping[str, SearchScore] = {
    "classifier": SearchScore(
        0.50,
        0.29,
        0.37,
        "held out on 8 labelled ports made top-of-atmosphere (simulated Level-1C)",
        "about half its vessels are ships and it finds under a third of them",
        0.60,
    ),
    "classifier_10m": SearchScore(
        0.46,
        0.31,
        0.37,
        "held out on 8 labelled ports made top-of-atmosphere (simulated Level-1C)",
        "about half its vessels are ships and it finds under a third of them",
        0.65,
    ),
    "union": SearchScore(
        0.45,
        0.34,
        0.39,
        "held out on 8 labelled ports made top-of-atmosphere (simulated Level-1C)",
        "under half its vessels are ships and it finds about a third of them",
        0.66,
    ),
    "rule": SearchScore(
        0.54,
        0.12,
        0.19,
        "on 8 labelled ports made top-of-atmosphere (simulated Level-1C)",
        "it misses most ships, above all those moored against a quay or in a channel, "
        "and three in four of those in open water",
        0.23,
    ),
}


def vessel_search_score(detector: str, scenes: Sequence[Scene] = ()) -> SearchScore:
    """What the vessel search ``detector`` (a key of :data:`VESSEL_SEARCH_MEASURED`)
    scores on scenes like ``scenes``: its Level-1C figures
    (:data:`VESSEL_SEARCH_MEASURED_TOA`) when any of them is a Level-1C optical scene
    (:func:`top_of_atmosphere`), else its figures on Level-2A images.

    Parameters
    ----------
    detector : str
    scenes : sequence of Scene

    Returns
    -------
    SearchScore
    """
    if detector in VESSEL_SEARCH_MEASURED_TOA and any(map(top_of_atmosphere, scenes)):
        return VESSEL_SEARCH_MEASURED_TOA[detector]
    return VESSEL_SEARCH_MEASURED[detector]


def top_of_atmosphere(scene: Scene) -> bool:
    """Whether ``scene`` is a Sentinel-2 Level-1C one (top-of-atmosphere reflectance), by
    what its reader recorded (``metadata["processing_level"]``: its tags or file name)
    or else its id (:func:`basewatch.sensors.s2_processing_level`).

    Parameters
    ----------
    scene : Scene

    Returns
    -------
    bool
    """
    if scene.sensor != "S2":
        return False
    level = (scene.metadata or {}).get("processing_level") or s2_processing_level(scene.id)
    return bool(level == S2_LEVEL_TOA)


#: What is known of each date's aircraft search where it was not tuned, by its CFAR
#: background (:attr:`~basewatch.detect.components.ObjectParams.aircraft_background`),
#: as the run record and verdicts say it. ``benchmarks/aircraft_transfer.py``: four
#: airports of the Planet scenes (3 m, averaged to 10 m, searched whole) with about 310
#: parked airliners counted by eye and no labels; what was kept checked by eye on the
#: 3 m scenes. No precision is measured: aircraft counts and events support a claim in
#: part only (:mod:`basewatch.corroborate.link`).
AIRCRAFT_SEARCH_MEASURED: Mapping[str, str] = {
    "mean": "not measured on labelled airfields; held out at four airports (about 310 "
    "parked airliners, Planet scenes seen at 10 m) it found none, and none of the 6 "
    "objects it kept was an aircraft",
    "median": "not measured on labelled airfields; held out at four airports (about 310 "
    "parked airliners, Planet scenes seen at 10 m) 6 of the 29 objects it kept were "
    "aircraft, the others mostly roofs and runway markings",
}


def aircraft_search(params: ObjectParams) -> dict[str, Any]:
    """How each date's aircraft are searched for, for the record: ``{"detector":
    "rule", "search", "measured", "precision": None}``, ``measured`` from
    :data:`AIRCRAFT_SEARCH_MEASURED` (in words; no precision is measured)."""
    background = params.aircraft_background
    return {
        "detector": "rule",
        "search": "the single-date aircraft test (a bright object of aircraft size on "
        f"airfield pavement, {background} CFAR background, chosen on the Beirut airport pair)",
        "measured": AIRCRAFT_SEARCH_MEASURED[background],
        "precision": None,
    }


def vessel_detector(
    scenes: Sequence[Scene], params: ObjectParams = ObjectParams()
) -> dict[str, Any]:
    """How the objects of ``scenes`` are searched for vessels, for the record: radar
    scenes by CFAR (:func:`~basewatch.detect.vessels.sar_params`); optical ones by the
    trained classifier where every scene carries its five bands (B11 among them); where
    they carry the four 10 m bands but not B11, by the rule-based detector
    (:class:`~basewatch.detect.vessels.VesselParams`), or with
    ``params.vessels_without_b11 == "union"`` by the 10 m bands' classifier and the
    rule's vessels that overlap none of its
    (:func:`~basewatch.detect.single_date.union_vessel_candidates`); else by the rule.

    Parameters
    ----------
    scenes : sequence of Scene
    params : ObjectParams

    Returns
    -------
    dict
        ``{"detector": "classifier", "search", "measured", "precision",
        "open_water_recall", "model_version", "threshold", "bands"}`` (``"union"``
        the same, with the rule's parameters too),
        ``{"detector": "rule",
        "search", "measured", "precision", "open_water_recall",
        **VesselParams().as_dict()}`` or ``{"detector": "radar", ..., **sar_params()
        .as_dict()}``: ``search`` from :data:`VESSEL_SEARCH_NAMES`, ``measured`` (in
        words), ``precision`` and ``open_water_recall`` from
        :data:`VESSEL_SEARCH_MEASURED`, or where any scene is Level-1C from
        :data:`VESSEL_SEARCH_MEASURED_TOA` with ``"top_of_atmosphere": True``.
    """
    if scenes and scenes[0].sensor == "S1":
        return {**_search_record("radar", scenes), **sar_params().as_dict()}
    bands = _model_bands(scenes)
    union = bands is not None and "B11" not in bands and params.vessels_without_b11 == "union"
    if bands is not None and ("B11" in bands or union):
        from basewatch.detect.classify import load_classifier

        model = load_classifier(bands=bands)
        return {
            **_search_record("union" if union else "classifier", scenes),
            "model_version": model.version,
            "threshold": model.threshold,
            "bands": list(bands),
            **(VesselParams().as_dict() if union else {}),
        }
    return {**_search_record("rule", scenes), **VesselParams().as_dict()}


def _search_record(detector: str, scenes: Sequence[Scene]) -> dict[str, Any]:
    """What the record says of every vessel search: its key, name and measured figures
    on scenes like ``scenes`` (:data:`VESSEL_SEARCH_NAMES`, :func:`vessel_search_score`;
    ``"top_of_atmosphere": True`` where those are the Level-1C figures)."""
    score = vessel_search_score(detector, scenes)
    toa = score is not VESSEL_SEARCH_MEASURED[detector]
    return {
        "detector": detector,
        "search": VESSEL_SEARCH_NAMES[detector],
        "measured": score.text(),
        "precision": score.precision,
        "open_water_recall": score.open_water_recall,
        **({"top_of_atmosphere": True} if toa else {}),
    }


def _has_water_bands(scene: Scene) -> bool:
    """Whether a scene has the bands of NDWI water (green B03, NIR B08)."""
    return "B03" in scene.bands and "B08" in scene.bands


def _ndwi(scene: Scene) -> NDArray[np.bool_] | None:
    """Water of a scene by NDWI (:func:`basewatch.detect.components.water_mask`, NaN not
    water), or None when it lacks green (B03) or NIR (B08)."""
    if _has_water_bands(scene):
        return water_mask(scene.band("B03"), scene.band("B08"))
    return None


@on_heap
@without_collection
def detect_pair(
    site: Site,
    before: Scene,
    after: Scene,
    *,
    change_params: ChangeParams | None = None,
    object_params: ObjectParams | None = None,
    allow_mixed_geometry: bool = False,
) -> PairResult:
    """Compare two co-registered scenes of a site and return its object events.

    Parameters
    ----------
    site : Site
    before, after : Scene
        Two dates of one sensor and bands on one grid, ``before`` the earlier. Optical
        scenes that also carry B11 have each date's vessels found by the trained
        classifier (:func:`vessel_detector`); the change map and the aircraft search
        read the other bands.
    change_params, object_params : optional
        Change map and object parameters (defaults :class:`ChangeParams`,
        :class:`ObjectParams`).
    allow_mixed_geometry : bool
        Radar only: compare scenes of different tracks or passes anyway (refused
        otherwise: the viewing geometry, not the site, changes the backscatter). The
        result's warnings then say so.

    Raises
    ------
    GridMismatchError
        The scenes are on different grids.
    CoverageError
        The site does not overlap the scenes, or no valid pixel is common to both.
    InputError
        The scenes are of different sensors or bands, the dates are reversed, one
        acquisition is given twice, or radar scenes are of different tracks or passes
        (without ``allow_mixed_geometry``).
    """
    started = dt.datetime.now(dt.UTC)
    change_params = change_params or ChangeParams()
    object_params = object_params or ObjectParams()
    require_same_grid(before.grid, after.grid)
    if before.sensor != after.sensor or before.bands != after.bands:
        raise InputError(
            f"the two scenes must be of one sensor with the same bands: before "
            f"{before.sensor} {before.bands}, after {after.sensor} {after.bands}"
        )
    warnings: list[str] = []
    if after.datetime < before.datetime:
        raise InputError(
            f"the 'after' scene ({after.datetime:%Y-%m-%d}) is older than the 'before' scene "
            f"({before.datetime:%Y-%m-%d}); swap them"
        )
    if before.id == after.id or before.datetime == after.datetime:
        raise InputError(
            f"the same acquisition is given as both dates ({before.id}, "
            f"{before.datetime:%Y-%m-%d %H:%M}); give two different dates"
        )
    if before.sensor == "S1":
        warnings += _radar_geometry(before, after, allow_mixed=allow_mixed_geometry)
    grid = before.grid
    inside = outline_mask(site, grid)
    if not inside.any():
        raise CoverageError(
            f"site {site.name!r} does not overlap the scenes ({grid.describe()}); "
            "check the site name and the rasters"
        )
    zidx, zones = zone_index(site, grid)
    valid = before.valid & after.valid & inside
    if not valid.any():
        raise CoverageError(
            f"no pixel inside site {site.name!r} is valid on both dates "
            "(nodata or clouds); pick other dates"
        )
    covered = float(valid.sum() / inside.sum())
    if covered < MIN_VALID_SITE_SHARE:
        warnings.append(f"only {covered:.0%} of the site is valid on both dates")
    if "coregistration" not in after.metadata:
        warnings.append(
            "the dates were not co-registered (basewatch.imagery.coreg.coregister): a shift of a "
            "fraction of a pixel makes edges look like changes"
        )
    pair = (before, after)
    warnings += _input_warnings(pair, zones)
    if before.sensor == "S1":
        change, detections, per_zone = _sar_events(
            pair, site.name, grid, zidx, zones, valid, change_params
        )
    else:
        change, detections, per_zone = _optical_events(
            pair, site.name, grid, zidx, zones, valid, change_params, object_params
        )
    return PairResult(
        site=site,
        before=before,
        after=after,
        change=change,
        zone_idx=zidx,
        zones=zones,
        detections=tuple(detections),
        change_params=change_params,
        object_params=object_params,
        started=started,
        warnings=tuple(warnings),
        zone_lengths=per_zone,
    )


def _input_warnings(scenes: Sequence[Scene], zones: Sequence[Zone]) -> list[str]:
    """What the scenes' readers noted (per scene), the Level-1C scenes of a site with
    water zones (the vessel figures quoted are then those of top-of-atmosphere images:
    :func:`vessel_search_score`), and water zones an optical run cannot search because
    the green and NIR bands are not identified."""
    out = [f"{s.id}: {w}" for s in scenes for w in s.metadata.get("warnings", ())]
    first = scenes[0]
    toa = [s.id for s in scenes if top_of_atmosphere(s)]
    if toa and any(z.kind in WATER_ZONES for z in zones):
        out.append(
            f"{', '.join(toa)}: Level-1C (top of the atmosphere); the vessel searches were "
            "measured on Level-2A (surface) images and find fewer ships through the haze, so "
            "the figures quoted for them are those measured on Level-2A images made "
            "top-of-atmosphere (see the run's vessel search); give Level-2A scenes where "
            "there are any"
        )
    if (
        first.sensor != "S1"
        and any(z.kind in WATER_ZONES for z in zones)
        and not {"B03", "B08"} <= set(first.bands)
    ):
        out.append(
            f"vessels were not searched in the water zones: the bands ({', '.join(first.bands)}) "
            "are not identified as B03 (green) and B08 (NIR); name them in the file's tags or "
            "band descriptions, or give them when reading (read_geotiff(bands=...))"
        )
    return out


def _radar_geometry(before: Scene, after: Scene, *, allow_mixed: bool) -> list[str]:
    """Refuse, or warn about when allowed, radar scenes of different tracks or passes."""
    (t0, p0), (t1, p1) = (s1_geometry(s.id, s.metadata) for s in (before, after))
    differs = []
    if t0 is not None and t1 is not None and t0 != t1:
        differs.append(f"tracks {t0} and {t1}")
    if p0 and p1 and p0 != p1:
        differs.append(f"{p0} and {p1} passes")
    if not differs:
        return (
            []
            if None not in (t0, t1)
            else [
                "the radar scenes' tracks are not known: check that both dates are of one "
                "track and pass, or the change map compares viewing geometries"
            ]
        )
    what = " and ".join(differs)
    if not allow_mixed:
        raise InputError(
            f"the radar scenes {before.id} and {after.id} are of {what}: the viewing "
            "geometry differs, so slopes, quays and hulls change brightness without any "
            "change on the ground; pick two dates of one track (basewatch scenes lists them), "
            "or allow it explicitly (allow_mixed_geometry)"
        )
    return [f"radar scenes of {what} compared on request: changes may be geometry, not objects"]


#: Decimals of the counted objects' lengths (metres) in :attr:`PairResult.zone_lengths`
#: and the records: a tenth of a metre, far finer than what a 10 m pixel measures.
COUNTED_LENGTH_DECIMALS = 1

#: ``{zone: {"YYYY-MM-DD": (length, ...)}}``: the objects of each date per zone.
ZoneLengths = dict[str, dict[str, tuple[float, ...]]]


def _zone_lengths(
    scenes: Sequence[Scene],
    per_date: Sequence[Sequence[Observation]],
    zones: tuple[Zone, ...],
    kinds: frozenset[str],
) -> ZoneLengths:
    """The lengths of the objects of each date per zone, for the zones of ``kinds``
    (longest first, in metres to :data:`COUNTED_LENGTH_DECIMALS` decimals).

    Every zone of those kinds is listed (no length where none was seen); zones of other
    kinds, which were not searched, are left out so that no one reads their absence as
    a 0.
    """
    per_zone: ZoneLengths = {
        z.name: {f"{s.date}": () for s in scenes} for z in zones if z.kind in kinds
    }
    for s, objs in zip(scenes, per_date, strict=True):
        seen: dict[str, list[float]] = {}
        for o in objs:
            if o.zone in per_zone:
                seen.setdefault(o.zone, []).append(o.length_m)
        for name, lengths in seen.items():
            rounded = np.round(np.sort(np.asarray(lengths))[::-1], COUNTED_LENGTH_DECIMALS)
            per_zone[name][f"{s.date}"] = tuple(rounded.tolist())
    return per_zone


def zone_counts_of(
    lengths: Mapping[str, Mapping[str, Sequence[float]]],
) -> dict[str, dict[str, int]]:
    """The number of objects per zone and date of :attr:`PairResult.zone_lengths`.

    Parameters
    ----------
    lengths : mapping
        ``{zone: {"YYYY-MM-DD": (length, ...)}}``.

    Returns
    -------
    dict
        ``{zone: {"YYYY-MM-DD": n}}`` (:attr:`PairResult.zone_counts`).
    """
    return {zone: {day: len(v) for day, v in per.items()} for zone, per in lengths.items()}


def _sar_date_objects(
    scene: Scene,
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    params: VesselParams,
) -> list[Observation]:
    """CFAR vessels of one SAR scene in the water zones (on 10 log10 of its first band)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        db = 10.0 * np.log10(scene.data[0])
    return vessel_observations(
        db,
        grid=grid,
        zone_idx=zidx,
        zones=zones,
        scene=scene.id,
        date=scene.date,
        valid=valid,
        params=params,
    )


def _optical_date_objects(
    scene: Scene,
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    params: ObjectParams,
    brightness: NDArray[np.floating[Any]] | None = None,
    *,
    model_bands: Sequence[str] | None = None,
) -> list[Observation]:
    """Aircraft and vessels of one optical scene in its zones (``brightness``, the mean
    of the 10 m bands, computed here when not given; B03, B08; the vessel classifier of
    ``model_bands`` where given): :func:`_optical_date_parts` end to end, as
    :func:`~basewatch.detect.single_date.date_observations` joins them."""
    parts = _optical_date_parts(
        scene,
        grid,
        zidx,
        zones,
        valid,
        params,
        brightness=functools.partial(_brightness, scene) if brightness is None else brightness,
        levels=None,
        model_bands=model_bands,
    )
    return [o for part in parts for o in part]


def _sar_events(
    pair: tuple[Scene, Scene],
    site: str,
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    change_params: ChangeParams,
) -> tuple[ChangeMap, list[Detection], ZoneLengths]:
    """SAR: log-ratio change map; vessel events from per-date CFAR vessels, matched;
    and those vessels counted per water zone and date."""
    stage = sar_pixel_stage(pair, grid, zidx, zones, valid, change_params)
    detections, per_zone = sar_object_stage(stage, pair, site, grid, zones)
    return stage.change, detections, per_zone


def sar_pixel_stage(
    pair: tuple[Scene, Scene],
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    change_params: ChangeParams,
) -> PixelStage:
    """SAR pixels: the log-ratio change map and each date's CFAR vessels."""
    before, after = pair
    change = log_ratio_change_map(
        before.data,
        after.data,
        valid=valid,
        region=zidx >= 0,
        threshold=change_params.threshold,
        method=change_params.sar_method,
        k=change_params.k,
    )
    vparams = sar_params()
    change = replace(
        change,
        params={**change.params, "vessels": vessel_detector(pair), "match": asdict(MatchParams())},
    )
    b, a = (_sar_date_objects(s, grid, zidx, zones, valid, vparams) for s in pair)
    return PixelStage(change=change, changed=[], seen=((b,), (a,)), water=True)


def sar_object_stage(
    stage: PixelStage, pair: tuple[Scene, Scene], site: str, grid: Grid, zones: tuple[Zone, ...]
) -> tuple[list[Detection], ZoneLengths]:
    """SAR objects: the dates' vessels matched into events, and counted per water zone."""
    before, after = pair
    # objects below the size the sensor resolves make no event (their absence on the
    # other date says nothing) and are not counted
    per_date = [resolved_objects([o for part in seen for o in part]) for seen in stage.seen]
    events = match_objects(per_date[0], per_date[1], params=MatchParams())
    detections = events_to_detections(
        events,
        site=site,
        grid=grid,
        before=(before.id, before.date),
        after=(after.id, after.date),
    )
    return detections, _zone_lengths(pair, per_date, zones, WATER_ZONES)


def _optical_date_parts(
    scene: Scene,
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    params: ObjectParams,
    *,
    brightness: NDArray[np.floating[Any]] | Callable[[], NDArray[np.floating[Any]]],
    levels: Mapping[int, tuple[float, float]] | None,
    model_bands: Sequence[str] | None = None,
) -> tuple[list[Observation], ...]:
    """:func:`_optical_date_objects` kept apart by how each object was found; the free
    vessels by the classifier of ``model_bands`` where given (:func:`vessel_detector`
    chooses them for all dates at once), else by the rule."""
    return date_observation_parts(
        brightness,
        green=scene.band("B03") if "B03" in scene.bands else None,
        nir=scene.band("B08") if "B08" in scene.bands else None,
        grid=grid,
        zone_idx=zidx,
        zones=zones,
        valid=valid,
        scene=scene.id,
        date=scene.date,
        params=params,
        water_levels=levels,
        vessel_bands=None if model_bands is None else _vessel_bands(scene, model_bands),
    )


def _optical_events(
    pair: tuple[Scene, Scene],
    site: str,
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    change_params: ChangeParams,
    object_params: ObjectParams,
) -> tuple[ChangeMap, list[Detection], ZoneLengths]:
    """Optical: change vector analysis, then changed objects classed by zone and size;
    plus objects found on each date (:func:`basewatch.detect.single_date.date_observations`),
    which confirm the change path's aircraft (:func:`basewatch.detect.merge.confirm_aircraft`),
    are matched into persisted / moved and merged with the change events (one event per
    object), and are counted per zone and date."""
    stage = optical_pixel_stage(pair, site, grid, zidx, zones, valid, change_params, object_params)
    detections, per_zone = optical_object_stage(stage, pair, site, grid, zones, object_params)
    return stage.change, detections, per_zone


def optical_pixel_stage(
    pair: tuple[Scene, Scene],
    site: str,
    grid: Grid,
    zidx: NDArray[np.int16],
    zones: tuple[Zone, ...],
    valid: NDArray[np.bool_],
    change_params: ChangeParams,
    object_params: ObjectParams,
    statistics: PairStatistics | None = None,
) -> PixelStage:
    """Optical pixels: the CVA change map and its objects, and each date's objects
    (what :func:`optical_object_stage` combines), with ``statistics`` given instead
    of measured where set. The change path reads the scenes' 10 m bands; where both
    carry B11, each date's free vessels are the trained classifier's
    (:func:`vessel_detector` records which)."""
    full = pair
    vessels = vessel_detector(full, object_params)
    model_bands = vessels.get("bands")
    before, after = pair = (core_bands(full[0]), core_bands(full[1]))
    stats = statistics or PairStatistics()
    gain_bias = None
    if stats.gain is not None and stats.bias is not None:
        gain_bias = (np.asarray(stats.gain, np.float32), np.asarray(stats.bias, np.float32))
    change = cva_change_map(
        before.data,
        after.data,
        valid=valid,
        region=zidx >= 0,
        threshold=change_params.threshold if stats.threshold is None else stats.threshold,
        method=change_params.method,
        k=change_params.k,
        normalise=change_params.normalise,
        gain_bias=gain_bias,
    )
    wb, wa = _ndwi(before), _ndwi(after)
    detections = extract_detections(
        change,
        grid=grid,
        zone_idx=zidx,
        zones=zones,
        site=site,
        before=(before.id, before.date),
        after=(after.id, after.date),
        params=object_params,
        water=(wb | wa) if wb is not None and wa is not None else None,
        # the scenes' band stacks: the contrasts take their band mean at the pixels they
        # read, so no brightness image is made for the change path (each date's search
        # below makes its own, one at a time)
        brightness=(before.data, after.data),
        water_dates=(wb, wa) if wb is not None and wa is not None else None,
        noise=stats.noise,
    )
    water = wb is not None and wa is not None
    # the change path's water images go before the dates' searches
    del wb, wa
    if not object_params.date_objects:
        return PixelStage(change=change, changed=detections, seen=((), ()), water=water)
    levels = stats.water_levels or (None, None)
    b, a = (
        _optical_date_parts(
            s,
            grid,
            zidx,
            zones,
            valid,
            object_params,
            # made by the aircraft search and let go before the vessel search
            brightness=functools.partial(_brightness, s),
            levels=lv,
            model_bands=model_bands,
        )
        for s, lv in zip(full, levels, strict=True)
    )
    # each date's vessels: the classifier's, or the rule's with the default VesselParams
    mparams = MatchParams(max_distance_m=object_params.match_max_distance_m)
    change = replace(
        change,
        params={
            **change.params,
            "match": asdict(mparams),
            "vessels": vessels,
            "aircraft": aircraft_search(object_params),
        },
    )
    return PixelStage(change=change, changed=detections, seen=(b, a), water=water)


def optical_object_stage(
    stage: PixelStage,
    pair: tuple[Scene, Scene],
    site: str,
    grid: Grid,
    zones: tuple[Zone, ...],
    object_params: ObjectParams,
) -> tuple[list[Detection], ZoneLengths]:
    """Optical objects: the dates' objects confirm the change path's aircraft, are
    matched into persisted / moved, merged with the change events (one event per
    object) and counted per zone and date."""
    before, after = pair
    detections = stage.changed
    if not object_params.date_objects:
        return detections, {}
    obs = [[o for part in seen for o in part] for seen in stage.seen]
    mparams = MatchParams(max_distance_m=object_params.match_max_distance_m)
    matched = match_objects(obs[0], obs[1], params=mparams)
    detections = confirm_aircraft(detections, (obs[0], obs[1]))
    detections, added = merge_object_events(detections, matched)
    detections = sorted(
        detections
        + events_to_detections(
            added,
            site=site,
            grid=grid,
            before=(before.id, before.date),
            after=(after.id, after.date),
        ),
        key=lambda d: (-d.confidence, d.id),
    )
    # vessels are searched only where both dates have green and NIR (NDWI)
    kinds = AIRCRAFT_ZONES | (WATER_ZONES if stage.water else frozenset())
    return detections, _zone_lengths(pair, obs, zones, kinds)


# --- more than two dates: one track per object, objects per zone and date ------------


@dataclass(frozen=True, eq=False)
class TimelineResult:
    """Objects of one site followed over two or more dates (:func:`observe_dates`).

    Attributes
    ----------
    site : Site
    scenes : tuple of Scene
        The dates, in time order, on one grid.
    zones : tuple of Zone
        The site's zones, in the order of the zone index.
    observations : tuple of tuple of Observation
        The objects found on each date (with longitude/latitude).
    tracks : tuple of Track
        One per object (:func:`basewatch.detect.events.timeline`): an object absent on one
        date and back on a later one is two tracks, a gap is not bridged by guessing.
    zone_lengths : mapping
        The lengths of the objects seen on each date in each searched zone (as
        :attr:`PairResult.zone_lengths`; a zone that was not searched is absent); their
        numbers are :attr:`zone_counts` (``{zone: {"YYYY-MM-DD": n}}``).
    zone_coverage : mapping
        Kind and fraction of valid pixels on each date of each searched zone:
        ``{zone: {"kind": str, "valid_fraction": {"YYYY-MM-DD": float}, "count": ...}}``.
        A 0 in ``zone_counts`` is evidence of absence only where that fraction is high
        and the count is ``"complete"`` (not a ``"lower bound"``).
    parameters : mapping
        Every parameter of object finding and matching.
    started : datetime.datetime
    possible_misses : tuple of PossibleMiss
        Tracks that end one date before another starts at the same place: maybe one
        object missed on the date between (:func:`basewatch.detect.events.possible_misses`);
        each is also said in ``warnings``.
    warnings : tuple of str
    """

    site: Site
    scenes: tuple[Scene, ...]
    zones: tuple[Zone, ...]
    observations: tuple[tuple[Observation, ...], ...]
    tracks: tuple[Track, ...]
    zone_lengths: Mapping[str, Mapping[str, tuple[float, ...]]]
    zone_coverage: Mapping[str, Mapping[str, Any]]
    parameters: Mapping[str, Any]
    started: dt.datetime
    warnings: tuple[str, ...] = field(default=())
    possible_misses: tuple[PossibleMiss, ...] = field(default=())

    @functools.cached_property
    def zone_counts(self) -> dict[str, dict[str, int]]:
        """Objects seen on each date in each searched zone: ``{zone: {"YYYY-MM-DD": n}}``
        (:func:`zone_counts_of` :attr:`zone_lengths`)."""
        return zone_counts_of(self.zone_lengths)

    @property
    def dates(self) -> tuple[str, ...]:
        """The dates as ``YYYY-MM-DD``, in time order."""
        return tuple(f"{s.date}" for s in self.scenes)

    def persistent_tracks(self) -> tuple[Track, ...]:
        """The tracks whose object is present on every date."""
        return tuple(t for t in self.tracks if all(t.present()))

    def to_geojson(self) -> dict[str, Any]:
        """One GeoJSON Point per object and date it is present (WGS84), with its track."""
        from basewatch.outputs.display import tracks_geojson

        return tracks_geojson(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per object and date (see :func:`basewatch.outputs.display.track_rows`)."""
        from basewatch.outputs.display import track_rows

        return track_rows(self)

    def to_dataframe(self) -> Any:
        """The tracks' observations as a pandas DataFrame (needs pandas)."""
        from basewatch.outputs.display import TRACK_ROW_COLUMNS, records_frame

        return records_frame(self.to_records(), columns=TRACK_ROW_COLUMNS)

    def _repr_html_(self) -> str:
        from basewatch.outputs.display import timeline_html

        return timeline_html(self)


def _check_series(scenes: Sequence[Scene]) -> None:
    """Raise unless ``scenes`` are >= 2 scenes of one sensor and bands, on one grid,
    one per date, in time order."""
    if len(scenes) < 2:
        raise InputError(
            f"a timeline needs at least two dates, got {plural(len(scenes), 'scene')}; "
            "give one scene per date"
        )
    first = scenes[0]
    for s in scenes[1:]:
        if s.sensor != first.sensor or s.bands != first.bands:
            raise InputError(
                f"the scenes must be of one sensor with the same bands: {first.id} is "
                f"{first.sensor} {first.bands}, {s.id} is {s.sensor} {s.bands}"
            )
        require_same_grid(first.grid, s.grid, what_a=f"first ({first.id})", what_b=s.id)
    for a, b in pairwise(scenes):
        if b.date == a.date:
            raise InputError(
                f"two scenes on {a.date} ({a.id} and {b.id}); counts are per date, "
                "keep one scene per date"
            )
        if b.datetime < a.datetime:
            raise InputError(
                f"the scenes are not in time order: {b.id} ({b.date}) comes after "
                f"{a.id} ({a.date}); sort them by date"
            )


def _miss_warning(m: PossibleMiss, tracks: Sequence[Track], scenes: Sequence[Scene]) -> str:
    """What a timeline says of two tracks that may be one object missed on one date."""
    what = tracks[m.before_track].object_class.value
    around = f"{scenes[m.missed - 1].date} and {scenes[m.missed + 1].date}"
    return (
        f"tracks {m.before_track} and {m.after_track} may be one {what} missed on "
        f"{scenes[m.missed].date}: seen {m.distance_m:.0f} m apart on {around}, not on the "
        "date between (not detected, hidden or on invalid pixels), so not necessarily gone "
        "and back"
    )


def _with_lonlat(objs: Sequence[Observation], grid: Grid) -> tuple[Observation, ...]:
    """``objs`` with longitude/latitude of their centres (SAR vessels come without)."""
    todo = [i for i, o in enumerate(objs) if o.lon is None or o.lat is None]
    if not todo:
        return tuple(objs)
    xs, ys = grid.xy(np.array([objs[i].row for i in todo]), np.array([objs[i].col for i in todo]))
    lon, lat = grid.to_lonlat(xs, ys)
    out = list(objs)
    for k, i in enumerate(todo):
        out[i] = replace(objs[i], lon=float(lon[k]), lat=float(lat[k]))
    return tuple(out)


@on_heap
@without_collection
def observe_dates(
    site: Site,
    scenes: Sequence[Scene],
    *,
    object_params: ObjectParams | None = None,
) -> TimelineResult:
    """Follow the objects of a site over two or more co-registered dates.

    On each date the objects in the site's zones are found on the pixels valid that
    date: optical scenes give aircraft in aircraft zones and, with green and NIR,
    vessels in water zones (:func:`basewatch.detect.single_date.date_observations`, as
    :func:`detect_pair` does); SAR scenes give CFAR vessels in water zones
    (:func:`basewatch.detect.vessels.vessel_observations`). Consecutive dates are then matched
    into one track per object (:func:`basewatch.detect.events.timeline`) and the objects are
    counted per zone and date.

    Parameters
    ----------
    site : Site
    scenes : sequence of Scene
        At least two scenes of one sensor with the same bands, on one grid
        (co-registered), one per date, in time order.
    object_params : ObjectParams, optional
        Optical object finding and matching distance (default :class:`ObjectParams`);
        SAR vessels use :func:`basewatch.detect.vessels.sar_params`.

    Returns
    -------
    TimelineResult

    Raises
    ------
    InputError
        Fewer than two scenes, mixed sensors or bands, two scenes on one date, dates
        out of order, or optical scenes with ``object_params.date_objects`` off.
    GridMismatchError
        The scenes are on different grids.
    CoverageError
        The site does not overlap the scenes, or a date has no valid pixel in it.
    """
    started = dt.datetime.now(dt.UTC)
    object_params = object_params or ObjectParams()
    scenes = tuple(scenes)
    _check_series(scenes)
    sar = scenes[0].sensor == "S1"
    if not sar and not object_params.date_objects:
        raise InputError(
            "a timeline follows the objects found on each date: ObjectParams.date_objects "
            "must be on"
        )
    grid = scenes[0].grid
    inside = outline_mask(site, grid)
    if not inside.any():
        raise CoverageError(
            f"site {site.name!r} does not overlap the scenes ({grid.describe()}); "
            "check the site name and the rasters"
        )
    zidx, zones = zone_index(site, grid)
    warnings: list[str] = _input_warnings(scenes, zones)
    valids: list[NDArray[np.bool_]] = []
    for s in scenes:
        valid = s.valid & inside
        if not valid.any():
            raise CoverageError(
                f"no pixel inside site {site.name!r} is valid on {s.date} ({s.id}; nodata "
                "or clouds); leave that date out"
            )
        covered = float(valid.sum() / inside.sum())
        if covered < MIN_VALID_SITE_SHARE:
            warnings.append(f"only {covered:.0%} of the site is valid on {s.date}")
        valids.append(valid)
    parameters: dict[str, Any]
    if sar:
        vparams = sar_params()
        mparams = MatchParams()
        found = [  # as for a pair: only the objects the sensor resolves
            resolved_objects(_sar_date_objects(s, grid, zidx, zones, v, vparams))
            for s, v in zip(scenes, valids, strict=True)
        ]
        kinds = WATER_ZONES
        parameters = {"vessels": vessel_detector(scenes), "match": asdict(mparams)}
    else:
        mparams = MatchParams(max_distance_m=object_params.match_max_distance_m)
        # the classifier's vessels where every date carries B11, else the rule's
        detector = vessel_detector(scenes, object_params)
        found = [
            _optical_date_objects(
                s, grid, zidx, zones, v, object_params, model_bands=detector.get("bands")
            )
            for s, v in zip(scenes, valids, strict=True)
        ]
        # vessels are searched only where the scenes have green and NIR (NDWI)
        water = _has_water_bands(scenes[0])
        kinds = AIRCRAFT_ZONES | (WATER_ZONES if water else frozenset())
        parameters = {
            "objects": to_jsonable(object_params),
            "vessels": detector,
            "aircraft": aircraft_search(object_params),
            "match": asdict(mparams),
        }
    per_date = tuple(_with_lonlat(objs, grid) for objs in found)
    tracks = timeline(per_date, params=mparams)
    misses = possible_misses(tracks, params=mparams)
    warnings += [_miss_warning(m, tracks, scenes) for m in misses]
    coverage: dict[str, dict[str, Any]] = {}
    for i, z in enumerate(zones):
        if z.kind not in kinds:
            continue
        here = zidx == i
        n = int(here.sum())
        coverage[z.name] = {
            "kind": z.kind,
            "valid_fraction": {
                f"{s.date}": round(float(v[here].sum() / n), 4) if n else 0.0
                for s, v in zip(scenes, valids, strict=True)
            },
            **_count_quality(z.kind),
        }
    return TimelineResult(
        site=site,
        scenes=scenes,
        zones=zones,
        observations=per_date,
        tracks=tuple(tracks),
        zone_lengths=_zone_lengths(scenes, per_date, zones, kinds),
        zone_coverage=coverage,
        parameters=parameters,
        started=started,
        warnings=tuple(warnings),
        possible_misses=tuple(misses),
    )


@dataclass(frozen=True, eq=False)
class SceneVessels:
    """The vessels of one optical scene, as :func:`detect_scene_vessels` found them."""

    scene: Scene
    """The scene searched."""
    result: ClassifiedVessels
    """Every candidate of the image, its classifier score and whether it is a vessel
    (with a site: a vessel whose majority zone is one of the site's water zones)."""
    site: str | None
    """The site whose water zones the vessels were kept in; None: the whole image."""
    zones: tuple[str | None, ...] | None = None
    """With a site: per candidate, shape (n,), the water zone holding most of its
    pixels, None outside every water zone (not reported); None without a site."""
    site_record: Site | None = None
    """The site itself (its zones are drawn on the picture); None without a site."""

    @property
    def searched(self) -> NDArray[np.bool_]:
        """Per candidate, shape (n,): whether it counts (inside the site's water zones,
        or anywhere without a site). A candidate outside them is neither a vessel nor
        a rejected one.

        Returns
        -------
        ndarray, shape (n,), bool
        """
        n = len(self.result.is_vessel)
        if self.zones is None:
            return np.ones(n, dtype=bool)
        return np.array([z is not None for z in self.zones], dtype=bool)

    @property
    def n(self) -> int:
        """Number of vessels.

        Returns
        -------
        int
        """
        return self.result.n


@on_heap
@without_collection
def detect_scene_vessels(
    scene: Scene,
    *,
    site: Site | str | None = None,
    threshold: float | None = None,
    classifier: VesselClassifier | None = None,
) -> SceneVessels:
    """The vessels of one Sentinel-2 scene: what ``basewatch vessels`` runs.

    The scene's B02, B03, B04, B08 and B11 go to
    :func:`~basewatch.detect.vessels.detect_vessels_s2` (candidates and the trained
    classifier) with its valid pixels and its ground pixel size; a scene without B11
    is searched in its four 10 m bands by the model trained on those, which scores
    lower (``basewatch/detect/models/MODEL_CARD.md``). The whole scene is
    searched, as the classifier was trained on whole port images (its water
    thresholds, open-water shares, rings and ranks are the image's); with a site, the
    vessels kept are those whose majority zone is one of its water zones (harbour,
    berths, approaches). Searching only the zones' pixels instead cost held-out F1
    (0.50 to 0.47 pooled over the eight labelled ports, Piraeus 0.62 to 0.42:
    ``benchmarks/README.md``).

    Parameters
    ----------
    scene : Scene
        Holds bands B02, B03, B04, B08 and B11 (any order, B11 on the same 10 m grid),
        or at least the first four.
    site : Site or str, optional
        Keep only the vessels in the site's water zones.
    threshold : float, optional
        Classifier score at or above which a candidate is a vessel; default the model's.
    classifier : VesselClassifier, optional
        Default the shipped model for the scene's bands
        (:func:`~basewatch.detect.classify.load_classifier`).

    Returns
    -------
    SceneVessels

    Raises
    ------
    InputError
        A 10 m band is missing, or the site has no water zone on the scene's grid.
    """
    from basewatch.aoi import as_site
    from basewatch.detect.candidates import BANDS, BANDS_10M, missing_bands
    from basewatch.detect.components import majority_zone

    bands = _model_bands([scene])
    if bands is None:
        missing = missing_bands(scene.bands, BANDS_10M)
        raise InputError(
            f"scene {scene.id} has bands {', '.join(scene.bands)}; vessels need "
            f"{', '.join(BANDS)} or at least {', '.join(BANDS_10M)} (missing "
            f"{', '.join(missing)}): give a Sentinel-2 image of those bands (B11 "
            "resampled to 10 m)"
        )
    name = None
    index: NDArray[np.int16] | None = None
    zones: tuple[Zone, ...] = ()
    if site is not None:
        where = as_site(site)
        name = where.name
        index, zones = zone_index(where, scene.grid)
        if not zone_kind_mask(index, zones, WATER_ZONES).any():
            raise InputError(
                f"site {name} has no water zone inside {scene.grid.describe()}: search "
                "the whole image (without --site), or give an image that covers the site"
            )
    data = _vessel_bands(scene, bands)
    assert data is not None  # _model_bands chose bands the scene holds
    result = detect_vessels_s2(
        # the scene's own array when its bands are already in that order (a copy of a
        # whole tile's five bands is 2.4 GB)
        data,
        pixel_size_m=scene.grid.pixel_size_m,
        valid=scene.valid,
        classifier=classifier,
        threshold=threshold,
    )
    if index is None:
        return SceneVessels(scene=scene, result=result, site=None)
    n = len(result.is_vessel)
    zone_of = majority_zone(result.labels, n, index, len(zones)) if n else np.zeros(0, int)
    named = [zones[i].name if i >= 0 and zones[i].kind in WATER_ZONES else None for i in zone_of]
    inside = np.array([z is not None for z in named], dtype=bool)
    result = replace(
        result,
        is_vessel=result.is_vessel & inside,
        params={
            **result.params,
            "site_zones": [z.name for z in zones if z.kind in WATER_ZONES],
            "zone_rule": "majority of the candidate's pixels in a water zone",
        },
    )
    return SceneVessels(
        scene=scene, result=result, site=name, zones=tuple(named), site_record=where
    )
