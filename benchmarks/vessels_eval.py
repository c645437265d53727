"""Vessel detection precision and recall on the labelled sen2ships ports (Athens, Marseille).

Real Sentinel-2 L2A scenes (B02 B03 B04 B08 B11, 10 m) with vessel masks (COCO RLE),
from ``../shared/data/s2_ships/``. A detection is a true positive when it overlaps a
labelled vessel (grown by one pixel); a label is found when a detection overlaps it.

The labels are incomplete: many boats in open water (a bright hull and its wake,
like the small labelled boats of Marseille) and yachts at marina piers are not
labelled. ``UNLABELLED_BOATS`` lists those checked by eye on true-colour, NIR and
B11 crops; a second precision counts a detection on one of them as correct. The
label-only figures stay the reference (the floors in ``tests/test_vessels.py``).
Every detection is at least 60 m (8 px) long, above the smallest label (7 x 5 px),
so a precision over objects above the labels' minimum size is the same figure.

Usage::

    .venv/bin/python benchmarks/vessels_eval.py [--png OUT_DIR]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
SHIPS = SHARED / "data" / "s2_ships"
PORTS = {
    "athens": "athens_S2L2A_20230818_B02-B03-B04-B08-B11.tif",
    "marseille": "marseille_S2L2A_20230822_B02-B03-B04-B08-B11.tif",
}


# (row, col) of unlabelled boats, checked by eye on true colour, NIR (B08) and B11
UNLABELLED_BOATS: dict[str, list[tuple[int, int, str]]] = {
    "athens": [
        (194, 425, "133 m rusty hull with tapered ends at anchor, Elefsina bay"),
        (729, 334, "grey hull with superstructure beside the labelled ships off Perama"),
        (589, 517, "white yacht at a marina pier"),
        (596, 575, "white yacht at a marina pier"),
        (599, 508, "white yacht at a marina pier"),
        (942, 216, "small bright vessel in open water"),
    ],
    "marseille": [
        (275, 356, "boat, bright hull and wake"),
        (281, 410, "boat, bright hull and wake"),
        (322, 277, "boat, hull visible in true colour, wake"),
        (505, 340, "boat, bright hull and wake"),
        (773, 782, "boat, bright hull and wake"),
        (846, 174, "boat, bright hull and wake"),
        (981, 591, "boat, brightest hull of the scene, wake"),
        (1127, 842, "boat and wake (one of a pair)"),
        (1134, 831, "boat and wake (one of a pair)"),
        (1223, 175, "boat, bright hull and wake"),
        (1255, 471, "boat, bright hull and wake"),
        (1274, 566, "boat, bright hull and wake"),
        (1335, 612, "boat, bright hull and wake"),
        (1336, 244, "boat, grey hull and wake"),
        (1350, 255, "boat, grey hull and wake"),
    ],
}


def decode_rle(counts: list[int], size: tuple[int, int]) -> np.ndarray:
    """Uncompressed COCO RLE (column-major runs, starting with zeros) to a bool mask."""
    h, w = size
    flat = np.zeros(h * w, dtype=bool)
    pos = 0
    for i, c in enumerate(counts):
        if i % 2 == 1:
            flat[pos : pos + c] = True
        pos += c
    return flat.reshape((w, h)).T


def load_port(port: str, root: Path = SHIPS) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Bands (5, rows, cols) float32, truth labels (rows, cols) int32, pixel size (m)."""
    import rasterio
    from pyproj import CRS, Transformer

    with rasterio.open(root / PORTS[port]) as ds:
        data = ds.read().astype(np.float32)
        t = ds.transform
        crs = CRS.from_user_input(ds.crs)
        cx, cy = t * (ds.width / 2, ds.height / 2)
    # EPSG:3857 pixels are 10 m in Web Mercator units: scale by cos(latitude) for ground
    _, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(cx, cy)
    k = float(np.cos(np.radians(lat))) if crs.to_epsg() == 3857 else 1.0
    pixel = (abs(t.a) * k, abs(t.e) * k)
    coco = json.loads((root / f"{port}_coco.json").read_text())
    truth = np.zeros(data.shape[1:], dtype=np.int32)
    for i, ann in enumerate(coco["annotations"], start=1):
        seg = ann["segmentation"]
        mask = decode_rle(seg["counts"], tuple(seg["size"]))
        truth[mask] = i
    return data, truth, pixel


def evaluate(port: str, root: Path = SHIPS) -> dict[str, Any]:
    from basewatch.detect.vessels import detect_vessels_optical, match_labels

    data, truth, pixel = load_port(port, root)
    res = detect_vessels_optical(data[1], data[3], pixel_size_m=pixel)
    det = res.vessel_labels()
    m = match_labels(det, truth)
    # the same scoring with the eye-checked unlabelled boats added as 3 x 3 px labels
    more = truth.copy()
    for j, (r, c, _) in enumerate(UNLABELLED_BOATS.get(port, []), start=int(truth.max()) + 1):
        more[r - 1 : r + 2, c - 1 : c + 2] = np.where(truth[r - 1 : r + 2, c - 1 : c + 2] > 0, 0, j)
    m_more = match_labels(det, more)
    # false positives by setting: open water around them, or at a shore, quay or pier
    grown = np.where(truth > 0, 1, 0)
    from scipy import ndimage

    grown = ndimage.binary_dilation(grown, iterations=1)
    ids = np.flatnonzero(res.is_vessel) + 1
    hit = np.zeros(int(det.max()) + 1, dtype=bool)
    hit[np.unique(det[grown & (det > 0)])] = True
    fp = ids[~hit[ids]]
    ring = res.features["water_ring"][fp - 1] if fp.size else np.zeros(0)
    return {
        "port": port,
        "pixel_size_m": pixel,
        "match": m,
        "match_with_unlabelled": m_more,
        "fp_open_water": int((ring >= 0.9).sum()),
        "fp_shore": int((ring < 0.9).sum()),
        "vessels": res,
        "truth": truth,
        "data": data,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--png", type=Path, help="write overlays of detections and labels here")
    args = ap.parse_args()
    total_tp = total_det = total_found = total_lab = total_tp_more = 0
    for port in PORTS:
        r = evaluate(port)
        m = r["match"]
        mm = r["match_with_unlabelled"]
        total_tp += m.true_positives
        total_tp_more += mm.true_positives
        total_det += m.detections
        total_found += m.found
        total_lab += m.labels
        print(
            f"{port:10s} pixel {r['pixel_size_m'][0]:.2f} m  detections {m.detections:3d}  "
            f"labels {m.labels:3d}  TP {m.true_positives:3d}  found {m.found:3d}  "
            f"precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}"
        )
        print(
            f"{'':10s} false positives: {r['fp_open_water']} in open water (water ring >= 0.9),"
            f" {r['fp_shore']} at a shore, quay or pier;  precision counting "
            f"{len(UNLABELLED_BOATS.get(port, []))} eye-checked unlabelled boats as correct "
            f"{mm.precision:.3f}"
        )
        if args.png:
            _overlay(r, args.png / f"{port}_vessels.png")
    print(
        f"{'both':10s} precision {total_tp / total_det:.3f}  recall {total_found / total_lab:.3f}"
        f"  (precision with eye-checked unlabelled boats {total_tp_more / total_det:.3f})"
    )
    print("parameters:", json.dumps(r["vessels"].params))


def _overlay(r: dict[str, Any], path: Path) -> None:
    from PIL import Image
    from scipy import ndimage

    data = r["data"]
    rgb = np.dstack([data[2], data[1], data[0]])
    lo, hi = np.percentile(rgb, [1, 99])
    img = (np.clip((rgb - lo) / (hi - lo), 0, 1) * 255).astype(np.uint8)
    truth = r["truth"] > 0
    det = r["vessels"].vessel_labels() > 0
    other = (r["vessels"].labels > 0) & ~det
    for mask, colour in ((truth, (255, 0, 0)), (det, (0, 255, 255)), (other, (255, 255, 0))):
        edge = mask & ~ndimage.binary_erosion(mask)
        img[edge] = colour
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).save(path)


if __name__ == "__main__":
    main()
