"""The confidence of a detection: one scale, 0..1, and how each path reaches it.

Pure numpy, no I/O.

What 0..1 means
---------------
The confidence of an object is how sure the detector is that the object it reports is
real and of the class it says, on a scale shared by every path (changed objects,
single-date aircraft, vessels, moored hulls, matched events):

``confidence = strength(margin) * size(area_px) * penalties``, clipped to 0..1, where

* ``strength = 1 - exp(-margin / scale)`` (:func:`evidence_strength`): ``margin`` is how
  far the object's evidence stands above the detection threshold, in the units of the
  path's noise (CVA noise sigmas, CFAR background standard deviations, the berth
  water's level height), and ``scale`` is the margin worth ``1 - 1/e`` (63 %). A
  margin of 0 (at the threshold) gives 0, a margin of ``3 * scale`` 0.95;
* ``size = min(1, area_px / FULL_CONFIDENCE_AREA_PX)`` (:func:`size_factor`): objects
  of under 9 pixels (3 x 3) are uncertain, their shape and size as much as their
  existence;
* penalties, each at most 1: an object of class *other* is halved
  (:data:`OTHER_CLASS_FACTOR`), a moved object loses up to half over the matching
  distance (:func:`moved_factor`), a vessel with less water around it than one
  moored alongside a quay is scaled down (``VesselParams.ring_confidence``).

So 1 is strong evidence on an object of 9 pixels or more whose class nothing doubts;
0.5 is what a strong *other* reaches; near 0 an object at its threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "AIRCRAFT_MARGIN_SCALE",
    "BERTH_MARGIN_SCALE",
    "CHANGE_MARGIN_SCALE",
    "FULL_CONFIDENCE_AREA_PX",
    "MOVED_MAX_LOSS",
    "OTHER_CLASS_FACTOR",
    "VESSEL_MARGIN_SCALE",
    "confidence",
    "evidence_strength",
    "moved_factor",
    "size_factor",
]

#: Area (pixels) from which an object's size no longer lowers its confidence: a 3 x 3
#: block, the smallest object whose length and width mean something.
FULL_CONFIDENCE_AREA_PX = 9.0

#: Margin scale of changed objects: CVA magnitude over the change threshold, in noise
#: sigmas (robust spread of the unchanged pixels' magnitude).
CHANGE_MARGIN_SCALE = 3.0

#: Margin scale of single-date aircraft: peak CFAR score over the threshold, in
#: background standard deviations.
AIRCRAFT_MARGIN_SCALE = 3.0

#: Margin scale of vessels: peak CFAR score over the threshold, in background standard
#: deviations (sea clutter has heavier tails than an apron, so a larger margin counts).
VESSEL_MARGIN_SCALE = 5.0

#: Margin scale of moored hulls: mean NIR over the berth's hull level, in units of the
#: level's height above the water's median.
BERTH_MARGIN_SCALE = 1.0

#: Factor of the confidence of an object of class *other* (it changed, but fits no class,
#: or a check of its class failed).
OTHER_CLASS_FACTOR = 0.5

#: Largest fraction of its confidence a *moved* object loses: the loss grows linearly
#: with the distance moved, up to this at the matching distance.
MOVED_MAX_LOSS = 0.5


def evidence_strength(margin: ArrayLike, *, scale: float) -> NDArray[np.float64]:
    """``1 - exp(-margin / scale)``, 0..1: how strongly the evidence clears its threshold.

    Parameters
    ----------
    margin : array_like, shape (n,) or scalar
        Evidence above the detection threshold, in the path's noise units. Negative
        margins count as 0; NaN counts as 0 (no evidence).
    scale : float
        Margin worth ``1 - 1/e`` (one of the ``*_MARGIN_SCALE`` constants).

    Returns
    -------
    ndarray, shape of ``margin``, float64
    """
    m = np.maximum(np.nan_to_num(np.asarray(margin, dtype=np.float64), nan=0.0), 0.0)
    return np.asarray(1.0 - np.exp(-m / scale), dtype=np.float64)


def size_factor(area_px: ArrayLike) -> NDArray[np.float64]:
    """``min(1, area_px / FULL_CONFIDENCE_AREA_PX)``: small objects are uncertain.

    Parameters
    ----------
    area_px : array_like, shape (n,) or scalar
        Object areas in pixels.

    Returns
    -------
    ndarray, shape of ``area_px``, float64
    """
    return np.asarray(
        np.minimum(1.0, np.asarray(area_px, dtype=np.float64) / FULL_CONFIDENCE_AREA_PX),
        dtype=np.float64,
    )


def confidence(
    margin: ArrayLike,
    area_px: ArrayLike,
    *,
    scale: float,
    factor: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Confidence on the one 0..1 scale (see the module): strength x size x factor.

    Parameters
    ----------
    margin : array_like, shape (n,) or scalar
        Evidence above the threshold (:func:`evidence_strength`).
    area_px : array_like, shape (n,) or scalar
        Object areas in pixels (:func:`size_factor`).
    scale : float
        Margin scale of the path (``CHANGE_MARGIN_SCALE``, ``AIRCRAFT_MARGIN_SCALE``,
        ``VESSEL_MARGIN_SCALE``, ``BERTH_MARGIN_SCALE``).
    factor : array_like, shape (n,) or scalar, optional
        Penalties, each in 0..1 (:data:`OTHER_CLASS_FACTOR`, a water-ring factor).

    Returns
    -------
    ndarray, shape (n,) (or 0-d for scalars), float64
        Clipped to 0..1.
    """
    conf: Any = evidence_strength(margin, scale=scale) * size_factor(area_px)
    if factor is not None:
        conf = conf * np.asarray(factor, dtype=np.float64)
    return np.asarray(np.clip(conf, 0.0, 1.0), dtype=np.float64)


def moved_factor(distance_m: float, *, max_distance_m: float) -> float:
    """``1 - MOVED_MAX_LOSS * distance_m / max_distance_m``: penalty of a *moved* object.

    A pair matched across dates whose two ends are apart may be two objects; the
    farther apart (up to the matching distance ``max_distance_m``), the likelier.

    Parameters
    ----------
    distance_m : float
        Distance between the two ends' centres.
    max_distance_m : float
        Matching distance (``MatchParams.max_distance_m``).

    Returns
    -------
    float
        ``1 - MOVED_MAX_LOSS`` (0.5) at the matching distance, 1 at no distance.
    """
    return float(1.0 - MOVED_MAX_LOSS * distance_m / max_distance_m)
