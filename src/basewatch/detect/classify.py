"""The trained vessel classifier shipped with basewatch, read without scikit-learn.

The model is a gradient-boosted tree ensemble (scikit-learn's
``HistGradientBoostingClassifier``) trained by ``benchmarks/train_vessels.py`` on the
candidates of :func:`basewatch.detect.candidates.vessel_candidates` in the labelled
sen2ships ports, and written as plain JSON (``models/vessels_s2.json``: each tree's
split features, thresholds, children and leaf values). Reading it needs numpy only,
never a download or a pickle, and the file names its version, features and scores;
``models/MODEL_CARD.md`` describes the data, the features, the leave-one-port-out
metrics and the known failure modes.

Pure numpy, no I/O beyond reading the model file.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from basewatch.errors import InputError

__all__ = [
    "BANDS",
    "BANDS_10M",
    "MODEL_FILE",
    "MODEL_FILE_10M",
    "Tree",
    "VesselClassifier",
    "load_classifier",
]

#: Bands a vessel search reads (Sentinel-2, B11 resampled to 10 m), in the order of
#: the ``bands`` array of :func:`basewatch.detect.candidates.vessel_candidates`.
BANDS: tuple[str, ...] = ("B02", "B03", "B04", "B08", "B11")
#: The 10 m bands alone (no SWIR): a search without B11, where B08 stands in for it.
BANDS_10M: tuple[str, ...] = BANDS[:4]

#: The shipped model, inside the package (``basewatch/detect/models/``).
MODEL_FILE = "vessels_s2.json"
#: The shipped model for images without B11 (the four 10 m bands), beside it.
MODEL_FILE_10M = "vessels_s2_10m.json"

#: The bands each shipped model reads, and its file.
_SHIPPED = {BANDS: MODEL_FILE, BANDS_10M: MODEL_FILE_10M}

#: Format of the model file this code reads.
MODEL_FORMAT = "basewatch-gbt-1"


@dataclass(frozen=True, eq=False)
class Tree:
    """One regression tree of the ensemble, as flat arrays over its nodes."""

    feature: NDArray[np.int64]
    """Column of the feature each node splits on (leaves: unused)."""
    threshold: NDArray[np.float64]
    """A sample goes left when its feature is at most this."""
    left: NDArray[np.int64]
    right: NDArray[np.int64]
    missing_left: NDArray[np.bool_]
    """Where a NaN feature goes."""
    is_leaf: NDArray[np.bool_]
    value: NDArray[np.float64]
    """Leaf values (log-odds contributions)."""

    def predict(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Leaf value reached by each row of ``x`` (vectorised over rows).

        Parameters
        ----------
        x : ndarray, shape (n, n_features), float64

        Returns
        -------
        ndarray, shape (n,), float64
        """
        node = np.zeros(len(x), dtype=np.int64)
        rows = np.arange(len(x))
        # one step per tree level: every row not yet at a leaf moves to a child
        for _ in range(len(self.feature)):
            active = ~self.is_leaf[node]
            if not active.any():
                break
            n = node[active]
            v = x[rows[active], self.feature[n]]
            go_left = np.where(np.isnan(v), self.missing_left[n], v <= self.threshold[n])
            node[active] = np.where(go_left, self.left[n], self.right[n])
        return self.value[node]


@dataclass(frozen=True, eq=False)
class VesselClassifier:
    """A boosted tree ensemble over candidate features, with its decision threshold."""

    version: str
    """Model version (bumped whenever the training data, features or code change)."""
    features: tuple[str, ...]
    """Feature names in column order (:data:`basewatch.detect.candidates.FEATURES`)."""
    baseline: float
    """Log-odds before any tree."""
    trees: tuple[Tree, ...]
    threshold: float
    """Score at or above which a candidate is a vessel (chosen on the training ports)."""
    info: dict[str, Any] = field(default_factory=dict)
    """Training record: data, parameters, scores (as written in the model file)."""
    bands: tuple[str, ...] = BANDS
    """The bands of the images it was trained on, in the order of the ``bands`` array
    of :func:`basewatch.detect.candidates.vessel_candidates` (files written before
    models said so: the five bands)."""

    def score(self, x: NDArray[Any]) -> NDArray[np.float64]:
        """Probability-like score (0..1) that each candidate is a vessel.

        Parameters
        ----------
        x : ndarray, shape (n, len(features))
            Candidate features in :attr:`features` order.

        Returns
        -------
        ndarray, shape (n,), float64
        """
        arr = np.asarray(x, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != len(self.features):
            raise InputError(
                f"features must have shape (n, {len(self.features)}) in the order "
                f"{', '.join(self.features)}; got {arr.shape}"
            )
        raw = np.full(len(arr), self.baseline)
        for tree in self.trees:
            raw += tree.predict(arr)
        return np.asarray(1.0 / (1.0 + np.exp(-raw)), dtype=np.float64)

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> VesselClassifier:
        """The classifier a model file describes (see :func:`load_classifier`).

        Parameters
        ----------
        doc : dict
            The parsed JSON of a model file.

        Returns
        -------
        VesselClassifier
        """
        if doc.get("format") != MODEL_FORMAT:
            raise InputError(
                f"model format {doc.get('format')!r} is not {MODEL_FORMAT!r}: "
                "retrain it with benchmarks/train_vessels.py of this basewatch version"
            )
        trees = tuple(
            Tree(
                feature=np.asarray(t["feature"], dtype=np.int64),
                threshold=np.asarray(t["threshold"], dtype=np.float64),
                left=np.asarray(t["left"], dtype=np.int64),
                right=np.asarray(t["right"], dtype=np.int64),
                missing_left=np.asarray(t["missing_left"], dtype=bool),
                is_leaf=np.asarray(t["is_leaf"], dtype=bool),
                value=np.asarray(t["value"], dtype=np.float64),
            )
            for t in doc["trees"]
        )
        return cls(
            version=str(doc["version"]),
            features=tuple(doc["features"]),
            baseline=float(doc["baseline"]),
            trees=trees,
            threshold=float(doc["threshold"]),
            info=dict(doc.get("info", {})),
            bands=tuple(doc.get("bands", cls.bands)),
        )


def load_classifier(
    path: str | Path | None = None, *, bands: Sequence[str] | None = None
) -> VesselClassifier:
    """The vessel classifier shipped in the package, or one from a model file.

    Parameters
    ----------
    path : str or Path, optional
        A model file written by ``benchmarks/train_vessels.py``; default the shipped
        model for ``bands``.
    bands : sequence of str, optional
        The bands of the images to score, in order: B02, B03, B04, B08, B11 (the
        default; ``basewatch/detect/models/vessels_s2.json``) or the four 10 m bands
        without B11 (``vessels_s2_10m.json``, which scores lower:
        ``models/MODEL_CARD.md``).

    Returns
    -------
    VesselClassifier

    Raises
    ------
    InputError
        No model is shipped for ``bands``, or the model file cannot be read.
    """
    if path is not None:
        return _read_model(Path(path))
    key = tuple(b.upper() for b in (bands or BANDS))
    if key not in _SHIPPED:
        raise InputError(
            f"no vessel model is shipped for bands {', '.join(key)}: give "
            f"{' or '.join(', '.join(b) for b in _SHIPPED)}, in that order"
        )
    return _shipped(_SHIPPED[key])


@functools.cache
def _shipped(name: str) -> VesselClassifier:
    """A shipped model, read once a process (each pair and date asks for it)."""
    return _read_model(None, name)


def _read_model(path: Path | None, name: str = MODEL_FILE) -> VesselClassifier:
    try:
        if path is None:
            text = resources.files("basewatch.detect").joinpath("models", name).read_text()
        else:
            text = path.read_text()
        doc = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        where = path or f"basewatch/detect/models/{name}"
        raise InputError(
            f"cannot read the vessel model {where}: {exc}; reinstall basewatch or "
            "retrain it with benchmarks/train_vessels.py"
        ) from exc
    return VesselClassifier.from_dict(doc)


def ensemble_document(
    model: Any,
    *,
    features: Sequence[str],
    version: str,
    threshold: float,
    info: dict[str, Any],
    bands: Sequence[str] = BANDS,
) -> dict[str, Any]:
    """The content of a model file of :data:`MODEL_FORMAT` for a fitted binary
    scikit-learn ``HistGradientBoostingClassifier`` (read back by
    :meth:`VesselClassifier.from_dict`): each tree's nodes as flat lists.

    Parameters
    ----------
    model : sklearn.ensemble.HistGradientBoostingClassifier
        Fitted on columns in ``features`` order, binary, numeric features only.
    features : sequence of str
        The column names.
    version : str
        The model's version.
    threshold : float
        Its decision threshold (where it has one; else any value the reader ignores).
    info : dict
        The training record written with it.
    bands : sequence of str
        The bands of the images it was trained on.

    Returns
    -------
    dict
        JSON-ready.
    """
    trees = []
    for (predictor,) in model._predictors:  # one tree per iteration (binary task)
        nodes = predictor.nodes
        trees.append(
            {
                "feature": nodes["feature_idx"].astype(int).tolist(),
                "threshold": [float(v) for v in nodes["num_threshold"]],
                "left": nodes["left"].astype(int).tolist(),
                "right": nodes["right"].astype(int).tolist(),
                "missing_left": nodes["missing_go_to_left"].astype(bool).tolist(),
                "is_leaf": nodes["is_leaf"].astype(bool).tolist(),
                "value": [float(v) for v in nodes["value"]],
            }
        )
    return {
        "format": MODEL_FORMAT,
        "version": version,
        "bands": list(bands),
        "features": list(features),
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "threshold": threshold,
        "trees": trees,
        "info": info,
    }
