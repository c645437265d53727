"""Vessel detection precision and recall on the labelled sen2ships ports (Athens, Marseille).

Real Sentinel-2 L2A scenes (B02 B03 B04 B08 B11, 10 m) with vessel masks (COCO RLE),
from ``../shared/data/s2_ships/``. A detection is a true positive when it overlaps a
labelled vessel (grown by one pixel); a label is found when a detection overlaps it.

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
    from basewatch.vessels import detect_vessels_optical, match_labels

    data, truth, pixel = load_port(port, root)
    res = detect_vessels_optical(data[1], data[3], pixel_size_m=pixel)
    m = match_labels(res.vessel_labels(), truth)
    return {
        "port": port,
        "pixel_size_m": pixel,
        "match": m,
        "vessels": res,
        "truth": truth,
        "data": data,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--png", type=Path, help="write overlays of detections and labels here")
    args = ap.parse_args()
    total_tp = total_det = total_found = total_lab = 0
    for port in PORTS:
        r = evaluate(port)
        m = r["match"]
        total_tp += m.true_positives
        total_det += m.detections
        total_found += m.found
        total_lab += m.labels
        print(
            f"{port:10s} pixel {r['pixel_size_m'][0]:.2f} m  detections {m.detections:3d}  "
            f"labels {m.labels:3d}  TP {m.true_positives:3d}  found {m.found:3d}  "
            f"precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}"
        )
        if args.png:
            _overlay(r, args.png / f"{port}_vessels.png")
    print(
        f"{'both':10s} precision {total_tp / total_det:.3f}  recall {total_found / total_lab:.3f}"
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
