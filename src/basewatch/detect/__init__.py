"""Pixels to objects: change maps, components, vessels and aircraft, events across dates.

Pure code (numpy, scipy, numba; no file or network access): arrays and
:class:`~basewatch.records.Scene` records in, arrays and records out. The stages, in
the order the pipeline runs them:

:mod:`~basewatch.detect.change`
    pixel change: band difference, change vector, log-ratio, IR-MAD, thresholds, CFAR
:mod:`~basewatch.detect.components`
    connected components and their features, rings and contrasts, water masks
:mod:`~basewatch.detect.changed`
    objects from a change map, and the whole-tile engine
:mod:`~basewatch.detect.single_date`
    objects seen on one date (aircraft on aprons, hulls at berths)
:mod:`~basewatch.detect.vessels`
    optical and radar vessel detection
:mod:`~basewatch.detect.merge`
    change objects confirmed and merged with single-date ones
:mod:`~basewatch.detect.confidence`
    what a detection's confidence (0-1) means, in one place
:mod:`~basewatch.detect.events`
    matching across dates: appeared, disappeared, persisted, moved; tracks and counts

The names below are the ones a notebook stepping through the change core needs.
"""

from __future__ import annotations

from basewatch._lazy import attach

_LAZY: dict[str, str] = {
    "auto_threshold": "basewatch.detect.change",
    "cfar": "basewatch.detect.change",
    "change_vector": "basewatch.detect.change",
    "cva_change_map": "basewatch.detect.change",
    "irmad": "basewatch.detect.change",
    "kittler_illingworth_threshold": "basewatch.detect.change",
    "log_ratio_change_map": "basewatch.detect.change",
    "otsu_threshold": "basewatch.detect.change",
    "robust_sigma": "basewatch.detect.change",
    "robust_threshold": "basewatch.detect.change",
    "ObjectParams": "basewatch.detect.components",
    "SizeRange": "basewatch.detect.components",
    "component_features": "basewatch.detect.components",
    "ndwi": "basewatch.detect.components",
    "water_mask": "basewatch.detect.components",
    "bright_objects": "basewatch.detect.components",
    "ring_mean": "basewatch.detect.components",
    "local_contrast": "basewatch.detect.components",
    "local_contrasts": "basewatch.detect.components",
    "ring_means": "basewatch.detect.components",
    "extract_detections": "basewatch.detect.changed",
    "berth_hulls": "basewatch.detect.single_date",
    "date_observations": "basewatch.detect.single_date",
    "VesselParams": "basewatch.detect.vessels",
    "detect_vessels_optical": "basewatch.detect.vessels",
    "detect_vessels_s2": "basewatch.detect.vessels",
    "vessel_candidates": "basewatch.detect.candidates",
    "load_classifier": "basewatch.detect.classify",
    "detect_vessels_sar": "basewatch.detect.vessels",
    "vessel_observations": "basewatch.detect.vessels",
    "confirm_aircraft": "basewatch.detect.merge",
    "merge_object_events": "basewatch.detect.merge",
    "MatchParams": "basewatch.detect.events",
    "Observation": "basewatch.detect.events",
    "Track": "basewatch.detect.events",
    "match_objects": "basewatch.detect.events",
    "timeline": "basewatch.detect.events",
    "possible_misses": "basewatch.detect.events",
    "zone_counts": "basewatch.detect.events",
    "confidence": "basewatch.detect.confidence",
}

__all__ = [
    "MatchParams",
    "ObjectParams",
    "Observation",
    "SizeRange",
    "Track",
    "VesselParams",
    "auto_threshold",
    "berth_hulls",
    "bright_objects",
    "cfar",
    "change_vector",
    "component_features",
    "confidence",
    "confirm_aircraft",
    "cva_change_map",
    "date_observations",
    "detect_vessels_optical",
    "detect_vessels_s2",
    "detect_vessels_sar",
    "extract_detections",
    "irmad",
    "kittler_illingworth_threshold",
    "load_classifier",
    "local_contrast",
    "local_contrasts",
    "log_ratio_change_map",
    "match_objects",
    "merge_object_events",
    "ndwi",
    "otsu_threshold",
    "possible_misses",
    "ring_mean",
    "ring_means",
    "robust_sigma",
    "robust_threshold",
    "timeline",
    "vessel_observations",
    "water_mask",
    "zone_counts",
]
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
