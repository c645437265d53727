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
    "robust_threshold": "basewatch.detect.change",
    "ObjectParams": "basewatch.detect.components",
    "MatchParams": "basewatch.detect.events",
    "match_objects": "basewatch.detect.events",
    "VesselParams": "basewatch.detect.vessels",
    "detect_vessels_optical": "basewatch.detect.vessels",
    "detect_vessels_sar": "basewatch.detect.vessels",
}

__all__ = [
    "MatchParams",
    "ObjectParams",
    "VesselParams",
    "auto_threshold",
    "cfar",
    "change_vector",
    "cva_change_map",
    "detect_vessels_optical",
    "detect_vessels_sar",
    "irmad",
    "kittler_illingworth_threshold",
    "log_ratio_change_map",
    "match_objects",
    "otsu_threshold",
    "robust_threshold",
]
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
