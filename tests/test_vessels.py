"""Vessels on real labelled Sentinel-2 ports (sen2ships: Athens/Piraeus, Marseille).

Floors are the figures measured by ``benchmarks/vessels_eval.py`` (Athens P 0.41 R 0.50,
Marseille P 0.25 R 0.78) less a small margin. Precision is against the labels, which
mark large ships only: yachts with wakes and small craft in open water are unlabelled,
so they count against precision though many are real boats (seen on the overlays).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ports(shared_data: Path) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import vessels_eval

    return {p: vessels_eval.evaluate(p, shared_data / "s2_ships") for p in vessels_eval.PORTS}


@pytest.mark.parametrize(
    ("port", "p_min", "r_min"), [("athens", 0.38, 0.45), ("marseille", 0.22, 0.70)]
)
def test_precision_and_recall_floors(
    ports: dict[str, Any], port: str, p_min: float, r_min: float
) -> None:
    m = ports[port]["match"]
    assert m.precision >= p_min, m
    assert m.recall >= r_min, m


@pytest.mark.parametrize(
    ("port", "row", "col", "lo", "hi"),
    [
        # Piraeus approaches, ship at anchor south-east of Psyttaleia (23.6000 E, 37.9427 N)
        ("athens", 841, 872, 120.0, 260.0),
        # Elefsina bay, ship at anchor (23.5473 E, 37.9911 N)
        ("athens", 158, 285, 80.0, 180.0),
        # Marseille, ship in open water west of the port (5.3098 E, 43.3472 N)
        ("marseille", 381, 422, 60.0, 160.0),
    ],
)
def test_named_anchored_ships_are_found_whole(
    ports: dict[str, Any], port: str, row: int, col: int, lo: float, hi: float
) -> None:
    res = ports[port]["vessels"]
    truth = ports[port]["truth"]
    lab = res.vessel_labels()
    assert truth[row - 2 : row + 3, col - 2 : col + 3].any()  # a labelled ship is there
    ids = np.unique(lab[row - 2 : row + 3, col - 2 : col + 3])
    ids = ids[ids > 0]
    assert len(ids) == 1
    i = int(ids[0]) - 1
    assert lo <= res.features["length_m"][i] <= hi
    assert res.features["confidence"][i] >= 0.9
    assert res.detectable[i]


def test_no_vessel_on_land(ports: dict[str, Any]) -> None:
    for r in ports.values():
        data = r["data"]
        g, n = data[1], data[3]
        with np.errstate(invalid="ignore", divide="ignore"):
            land = ((g - n) / (g + n)) < -0.2  # clearly vegetated or built land
        from scipy import ndimage

        inland = ndimage.binary_erosion(land, iterations=5)  # 5 px from any shore
        assert not (r["vessels"].vessel_labels()[inland] > 0).any()
