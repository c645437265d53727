"""The aircraft detector on airports it was not tuned on (Planet 3 m, seen at 10 m).

basewatch's single-date aircraft test (``basewatch.detect.single_date.aircraft_candidates``
with the shipped :class:`~basewatch.detect.components.ObjectParams`: CFAR window and
false-alarm rate, hysteresis, size range, band contrast) was chosen by eye on the
bundled Beirut airport pair, where one airliner and four bright blobs decide it
(``tests/test_aircraft_apron.py``). No other labelled Sentinel-2 airport is in the
project's data. The Planet airport scenes of ``../shared/data/planet_3m/`` (PlanesNet,
CC BY-SA 4.0, tests and measurements only) hold many parked airliners; here each is
averaged down to 10 m (3 x 3.33 px boxes, the Sentinel-2 pixel) and searched whole
with the shipped parameters, green and red standing in for the band-contrast bands
(there is no NIR). What is kept is printed (pixel position at 3 m) and, with ``--png``,
drawn on the 3 m scene to be checked by eye.

Usage::

    .venv/bin/python benchmarks/aircraft_transfer.py [--png OUT_DIR] [--native]
        [--background median]

``--native`` searches the 3 m scenes as they are (the parameters are in metres).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
SCENES = SHARED / "data" / "planet_3m" / "planesnet_detector_scenes"
#: Ground pixel of the Planet scenes and of Sentinel-2 (metres).
PLANET_M, S2_M = 3.0, 10.0
#: Shortest aircraft the search reports (metres): a small airliner.
MIN_LENGTH_M = 20.0


def search(path: Path, *, native: bool = False, background: str = "mean") -> dict[str, Any]:
    """Aircraft candidates of one scene with the shipped parameters (and the CFAR
    background statistic ``background``, :attr:`ObjectParams.aircraft_background`)."""
    from PIL import Image

    from basewatch.detect.components import ObjectParams
    from basewatch.detect.single_date import aircraft_candidates

    image = Image.open(path).convert("RGB")
    factor = 1.0 if native else PLANET_M / S2_M
    pixel = PLANET_M if native else S2_M
    if not native:
        size = (round(image.width * factor), round(image.height * factor))
        image = image.resize(size, Image.Resampling.BOX)
    rgb = np.asarray(image, dtype=np.float32)
    found = aircraft_candidates(
        rgb.mean(axis=-1),
        bands=[rgb[..., 1], rgb[..., 0]],
        search=np.ones(rgb.shape[:2], dtype=bool),
        pixel_size_m=(pixel, pixel),
        pixel_m=pixel,
        min_length_m=MIN_LENGTH_M,
        params=ObjectParams(aircraft_background=background),
    )
    feats = found.features
    keep = found.keep
    rows = feats.get("row", np.zeros(0))[keep] / factor
    cols = feats.get("col", np.zeros(0))[keep] / factor
    return {
        "scene": path.name,
        "candidates": len(keep),
        "kept": [(round(float(r)), round(float(c))) for r, c in zip(rows, cols, strict=True)],
        "lengths_m": [round(float(v)) for v in feats.get("length_m", np.zeros(0))[keep]],
    }


def overlay(path: Path, kept: list[tuple[int, int]], out: Path) -> None:
    """The 3 m scene with a circle around each kept object."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    image = np.asarray(Image.open(path).convert("RGB"))
    fig, ax = plt.subplots(figsize=(12, 12 * image.shape[0] / image.shape[1]))
    ax.imshow(image)
    for r, c in kept:
        ax.add_patch(plt.Circle((c, r), 15, fill=False, color="red", lw=1.2))
    ax.set_axis_off()
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / f"{path.stem}_aircraft.png", dpi=80)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--png", type=Path, default=None, help="write overlays to this folder")
    ap.add_argument("--native", action="store_true", help="search at 3 m, not at 10 m")
    ap.add_argument(
        "--background",
        choices=("mean", "median"),
        default="mean",
        help="the CFAR's background statistic (ObjectParams.aircraft_background; "
        "default the shipped mean)",
    )
    args = ap.parse_args()
    scale = "3 m (native)" if args.native else "10 m (3 m averaged down)"
    print(
        f"aircraft_candidates, shipped ObjectParams (aircraft_background={args.background!r}), "
        f"whole scene searched at {scale}:"
    )
    for path in sorted(SCENES.glob("scene_*.png")):
        res = search(path, native=args.native, background=args.background)
        print(
            f"  {res['scene']}: {res['candidates']} bright objects, {len(res['kept'])} kept "
            f"as aircraft at (row, col) {res['kept']} (lengths m {res['lengths_m']})"
        )
        if args.png is not None:
            overlay(path, res["kept"], args.png)


if __name__ == "__main__":
    main()
