"""Train the shipped Sentinel-2 vessel classifier on the eight labelled sen2ships ports.

Deterministic: the candidates are a pure function of the images, the trees are grown
with a fixed seed and no early stopping, so a rerun on the same data writes the same
model (its scores agree to far better than two decimals). The decision threshold is
the one that maximises the pooled F1 of the leave-one-port-out scores of the eight
ports (each port scored by a model trained on the other seven), so that it is chosen
on scores the model never saw in training.

Usage::

    .venv/bin/python benchmarks/train_vessels.py           # writes the shipped model
    .venv/bin/python benchmarks/train_vessels.py --check   # retrains, compares, writes nothing
    .venv/bin/python benchmarks/train_vessels.py --bands 10m [--check]
                                # the model for images without B11 (the four 10 m bands)

Needs scikit-learn (``pip install -e .[dev]``); the package reads the model without it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.detect.classify import BANDS, BANDS_10M, MODEL_FILE, MODEL_FILE_10M

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
SHIPS = SHARED / "data" / "s2_ships"
MODELS = REPO / "src" / "basewatch" / "detect" / "models"
MODEL_PATH = MODELS / MODEL_FILE
MODEL_VERSION = "1.0.0"

#: The band sets a model is trained for (``--bands``), the file each is written to
#: and its version: every band of a port image, or its four 10 m bands without B11.
BAND_SETS: dict[str, tuple[tuple[str, ...], Path, str]] = {
    "s2": (BANDS, MODEL_PATH, MODEL_VERSION),
    "10m": (BANDS_10M, MODELS / MODEL_FILE_10M, "1.0.0"),
}

#: The labelled ports, in the order they are reported.
PORTS: tuple[str, ...] = (
    "athens",
    "marseille",
    "algiers",
    "busan",
    "durban",
    "gdynia",
    "hedland",
    "klang",
)

#: Gradient boosting parameters (fixed: not searched on the data).
GBT_PARAMS: dict[str, Any] = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}

#: Decision thresholds tried (on leave-one-port-out scores only).
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.05), 2)

#: Tolerance of the label rule (pixels): a detection within one pixel of a label is on it.
TOLERANCE_PX = 1


@dataclass(frozen=True, eq=False)
class Port:
    """One labelled port's candidates, their features and the truth."""

    name: str
    labels: np.ndarray
    """Candidate labels (rows, cols)."""
    x: np.ndarray
    """Features (n, n_features)."""
    y: np.ndarray
    """Candidate on a labelled vessel (n,)."""
    truth: np.ndarray
    features: dict[str, np.ndarray]


def port_file(port: str, root: Path = SHIPS) -> Path:
    """The GeoTIFF of a port."""
    found = sorted(root.glob(f"{port}_S2L2A_*_B02-B03-B04-B08-B11.tif"))
    if not found:
        raise FileNotFoundError(f"no image of {port} in {root}")
    return found[0]


def load_port(port: str, root: Path = SHIPS) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Bands (5, rows, cols) float32, truth labels (rows, cols) int32, pixel size (m)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import vessels_eval

    vessels_eval.PORTS.setdefault(port, port_file(port, root).name)
    return vessels_eval.load_port(port, root)


def on_truth(labels: np.ndarray, truth: np.ndarray, n: int) -> np.ndarray:
    """Which candidates overlap a labelled vessel grown by ``TOLERANCE_PX`` (the label rule
    of :func:`basewatch.detect.vessels.match_labels`)."""
    from basewatch.detect.vessels import grow_labels

    grown = grow_labels(truth, TOLERANCE_PX)
    hit = np.zeros(n + 1, dtype=bool)
    hit[np.unique(labels[(labels > 0) & (grown > 0)])] = True
    return hit[1:]


def port_candidates(port: str, root: Path = SHIPS, bands: str = "s2") -> Port:
    """Candidates of one port with their features and truth, searched in the bands of
    ``bands`` (a key of :data:`BAND_SETS`)."""
    data, truth, pixel = load_port(port, root)
    return candidates_of(port, data, truth, pixel, bands)


def candidates_of(
    port: str, data: np.ndarray, truth: np.ndarray, pixel: tuple[float, float], bands: str = "s2"
) -> Port:
    """The :class:`Port` of an image ``data`` (five bands, as :func:`load_port` gives them)
    with labels ``truth``, searched in the bands of ``bands``."""
    from basewatch.detect.candidates import vessel_candidates

    cand = vessel_candidates(data[: len(BAND_SETS[bands][0])], pixel_size_m=pixel)
    return Port(
        port, cand.labels, cand.matrix(), on_truth(cand.labels, truth, cand.n), truth, cand.features
    )


def fit(ports: Iterable[Port]) -> Any:
    """A gradient-boosted tree classifier trained on the candidates of ``ports``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    ports = list(ports)
    x = np.vstack([p.x for p in ports])
    y = np.concatenate([p.y for p in ports])
    return HistGradientBoostingClassifier(**GBT_PARAMS).fit(x, y)


def counts(port: Port, keep: np.ndarray) -> tuple[int, int, int, int]:
    """True positives, detections, labels found, labels for the kept candidates."""
    from basewatch.detect.vessels import match_labels

    det = np.where(np.concatenate([[False], keep])[port.labels], port.labels, 0)
    m = match_labels(det, port.truth, tolerance_px=TOLERANCE_PX)
    return m.true_positives, m.detections, m.found, m.labels


def prf(c: Sequence[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 of summed counts."""
    tp, nd, found, ng = c
    p = tp / nd if nd else 1.0
    r = found / ng if ng else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pooled_f1(scores: Mapping[str, np.ndarray], ports: Mapping[str, Port], t: float) -> float:
    total = np.sum([counts(ports[q], s >= t) for q, s in scores.items()], axis=0)
    return prf(total)[2]


def choose_threshold(scores: Mapping[str, np.ndarray], ports: Mapping[str, Port]) -> float:
    """The threshold of :data:`THRESHOLDS` with the best pooled F1 (ties: the lowest)."""
    f1 = [pooled_f1(scores, ports, float(t)) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(f1))])


def lopo_scores(
    ports: Mapping[str, Port],
    models: dict[frozenset[str], Any] | None = None,
    *,
    learner: Callable[[Iterable[Port]], Any] = fit,
) -> dict[str, np.ndarray]:
    """Each port's candidate scores from a model trained on the other ports.

    ``models`` caches fitted models by the set of ports left out (the model without
    ports A and B scores B when A is held out and A when B is): pass one dict to the
    calls of a nested loop to fit each model once. ``learner`` fits a model (default
    the shipped one's :func:`fit`).
    """
    cache = {} if models is None else models
    out = {}
    for q in ports:
        left_out = frozenset(set(PORTS) - set(ports) | {q})
        if left_out not in cache:
            cache[left_out] = learner(p for k, p in ports.items() if k != q)
        out[q] = cache[left_out].predict_proba(ports[q].x)[:, 1]
    return out


def leave_one_port_out(
    ports: Mapping[str, Port], *, learner: Callable[[Iterable[Port]], Any] = fit
) -> dict[str, dict[str, Any]]:
    """Per port: model and threshold chosen on the other ports only, scored on it.

    The threshold of each held-out port is chosen on leave-one-port-out scores within
    the other ports (a nested loop), never on the held-out port. ``learner`` fits a
    model (default the shipped one's :func:`fit`).
    """
    out: dict[str, dict[str, Any]] = {}
    for q, (model, t) in held_out_models(ports, learner=learner).items():
        c = counts(ports[q], model.predict_proba(ports[q].x)[:, 1] >= t)
        out[q] = {"threshold": t, "counts": c, "prf": prf(c)}
    return out


def held_out_models(
    ports: Mapping[str, Port], *, learner: Callable[[Iterable[Port]], Any] = fit
) -> dict[str, tuple[Any, float]]:
    """Per port, the model trained on the other ports and the threshold chosen on
    leave-one-port-out scores within them (:func:`leave_one_port_out`'s)."""
    models: dict[frozenset[str], Any] = {}
    out: dict[str, tuple[Any, float]] = {}
    for q in ports:
        train = {k: p for k, p in ports.items() if k != q}
        t = choose_threshold(lopo_scores(train, models, learner=learner), train)
        left_out = frozenset(set(PORTS) - set(ports) | {q})
        if left_out not in models:
            models[left_out] = learner(train.values())
        out[q] = (models[left_out], t)
    return out


def _weights(ports: Sequence[Port], balance: bool) -> np.ndarray:
    """Sample weights: 1, or each port and each class within it weighing the same."""
    if not balance:
        return np.ones(sum(len(p.y) for p in ports))
    parts = []
    for p in ports:
        pos, neg = max(int(p.y.sum()), 1), max(int((~p.y).sum()), 1)
        parts.append(np.where(p.y, 0.5 / pos, 0.5 / neg))
    w = np.concatenate(parts)
    return np.asarray(w / w.mean())


def variant_fit(learner: str, *, balance: bool = False, c: float = 0.1) -> Any:
    """A ``fit`` of another learner (for :data:`VARIANTS`): ``"trees"`` (the shipped
    gradient boosting), ``"linear"`` (logistic regression of strength ``c`` on
    standardised features), ``"mean"`` (the mean of both probabilities)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    class _Mean:
        """The mean probability of the trees (NaN features as they are) and the linear
        model (NaN features as 0)."""

        def __init__(self, trees: Any, linear: Any) -> None:
            self.trees, self.linear = trees, linear

        def predict_proba(self, x: np.ndarray) -> np.ndarray:
            probs = [] if self.trees is None else [self.trees.predict_proba(x)]
            if self.linear is not None:
                probs.append(self.linear.predict_proba(np.nan_to_num(x)))
            return np.asarray(np.mean(probs, axis=0))

    def fit_variant(ports: Iterable[Port]) -> Any:
        ports = list(ports)
        x = np.vstack([p.x for p in ports])
        y = np.concatenate([p.y for p in ports])
        w = _weights(ports, balance)
        trees = linear = None
        if learner in ("trees", "mean"):
            trees = HistGradientBoostingClassifier(**GBT_PARAMS).fit(x, y, sample_weight=w)
        if learner in ("linear", "mean"):
            linear = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))
            linear.fit(np.nan_to_num(x), y, logisticregression__sample_weight=w)
        return _Mean(trees, linear)

    return fit_variant


#: Learners and weightings compared by ``--variants`` (MODEL_CARD.md, "Tried and not
#: kept"): each scored leave-one-port-out with nested thresholds, as the headline.
VARIANTS: dict[str, dict[str, Any]] = {
    "trees, ports and classes weighted equally": {"learner": "trees", "balance": True},
    "linear, C 0.01": {"learner": "linear", "c": 0.01},
    "linear, C 0.1": {"learner": "linear", "c": 0.1},
    "linear, C 1": {"learner": "linear", "c": 1.0},
    "linear, C 10": {"learner": "linear", "c": 10.0},
    "linear, C 0.1, ports and classes weighted equally": {"learner": "linear", "balance": True},
    "mean of trees and linear": {"learner": "mean"},
    "mean of trees and linear, ports and classes weighted equally": {
        "learner": "mean",
        "balance": True,
    },
}


def compare_variants(ports: Mapping[str, Port]) -> None:
    """Print each of :data:`VARIANTS` scored as :func:`leave_one_port_out` scores."""
    for name, spec in VARIANTS.items():
        res = leave_one_port_out(ports, learner=variant_fit(**spec))
        p, r, f1 = prf(np.sum([v["counts"] for v in res.values()], axis=0))
        per_port = ", ".join(f"{q} {v['prf'][2]:.2f}" for q, v in res.items())
        print(f"{name}: pooled P {p:.2f} R {r:.2f} F1 {f1:.2f}; {per_port}", flush=True)


def export(model: Any, threshold: float, info: dict[str, Any], bands: str = "s2") -> dict[str, Any]:
    """The model file's content: trees as flat arrays (read by basewatch.detect.classify)."""
    from basewatch.detect.candidates import FEATURES
    from basewatch.detect.classify import ensemble_document

    names, _, version = BAND_SETS[bands]
    return ensemble_document(
        model, features=FEATURES, version=version, threshold=threshold, info=info, bands=names
    )


def train(
    root: Path = SHIPS, ports: dict[str, Port] | None = None, bands: str = "s2"
) -> tuple[dict[str, Any], dict[str, Port]]:
    """Candidates of every port (unless given), the LOPO threshold, the final model; the
    model file's content and the ports."""
    import sklearn

    if ports is None:
        ports = {p: port_candidates(p, root, bands) for p in PORTS}
    threshold = choose_threshold(lopo_scores(ports), ports)
    model = fit(ports.values())
    insample = {}
    for q, p in ports.items():
        c = counts(p, model.predict_proba(p.x)[:, 1] >= threshold)
        insample[q] = dict(zip(("precision", "recall", "f1"), np.round(prf(c), 4), strict=True))
    info = {
        "data": "sen2ships (MIT), 8 ports: " + ", ".join(PORTS),
        "bands": ", ".join(BAND_SETS[bands][0]),
        "candidates": int(sum(len(p.y) for p in ports.values())),
        "positives": int(sum(int(p.y.sum()) for p in ports.values())),
        "gbt_params": GBT_PARAMS,
        "threshold_rule": "best pooled F1 of leave-one-port-out scores over "
        + ", ".join(f"{t:.2f}" for t in THRESHOLDS),
        "in_sample": insample,
        "sklearn": sklearn.__version__,
    }
    return export(model, threshold, {k: _plain(v) for k, v in info.items()}, bands), ports


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, np.generic):
        return v.item()
    return v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="retrain and compare, write nothing")
    ap.add_argument(
        "--bands",
        choices=list(BAND_SETS),
        default="s2",
        help="s2: B02, B03, B04, B08, B11 (the default model); 10m: the model for images "
        "without B11",
    )
    ap.add_argument("--out", type=Path, help="default the shipped model file of --bands")
    ap.add_argument(
        "--variants",
        action="store_true",
        help="score the other learners of MODEL_CARD.md leave-one-port-out (~15 min), "
        "write nothing",
    )
    args = ap.parse_args()
    if args.variants:
        compare_variants({q: port_candidates(q) for q in PORTS})
        return
    names, path, _ = BAND_SETS[args.bands]
    out = args.out or path
    doc, ports = train(bands=args.bands)
    from basewatch.detect.classify import VesselClassifier, load_classifier

    new = VesselClassifier.from_dict(doc)
    print(f"threshold {new.threshold:.2f}; in-sample (trained on all 8 ports):")
    for q, m in doc["info"]["in_sample"].items():
        print(f"  {q:10s} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
    if args.check:
        shipped = load_classifier(bands=names)
        worst = max(
            float(np.abs(new.score(p.x) - shipped.score(p.x)).max()) for p in ports.values()
        )
        same = doc["info"]["in_sample"] == shipped.info.get("in_sample")
        print(
            f"largest score difference from the shipped model: {worst:.2e}; "
            f"in-sample scores {'identical' if same else 'DIFFERENT'}"
        )
        sys.exit(0 if worst < 0.005 and same else 1)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
