"""Outlines of label rasters (``outputs._trace.trace_rings``) are GDAL's polygons.

GDAL's polygonize (``rasterio.features.shapes``, 4-connectivity) is the reference: for
each value, the same point set and the same number of polygons, every polygon valid.
Synthetic rasters (a pure function) cover the corner cases; the bundled port run's
outlines are compared whole.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from rasterio.features import shapes

from basewatch import detect_pair, load_site, read_local_pair, sample_pair
from basewatch.outputs._trace import trace_rings
from basewatch.outputs.vector import _paste_owners, detection_outlines


def _by_value(polygons: list[Any], values: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for p, v in zip(polygons, values, strict=True):
        out.setdefault(int(v), []).append(p)
    return out


def _gdal(labels: np.ndarray) -> dict[int, list[Any]]:
    found = [
        (shapely.geometry.shape(geom), value)
        for geom, value in shapes(labels.astype(np.int32), mask=labels > 0, connectivity=4)
    ]
    return _by_value([g for g, _ in found], [v for _, v in found])


def _traced(labels: np.ndarray) -> dict[int, list[Any]]:
    rings = trace_rings(labels)
    closed = shapely.linearrings(
        np.column_stack([rings.x, rings.y]),
        indices=np.repeat(np.arange(len(rings.ring_sizes)), rings.ring_sizes),
    )
    polygons = shapely.polygons(closed, indices=rings.ring_polygon)
    assert shapely.is_valid(polygons).all()
    return _by_value(list(polygons), rings.polygon_value)


def _same(a: dict[int, list[Any]], b: dict[int, list[Any]]) -> bool:
    return a.keys() == b.keys() and all(
        len(a[k]) == len(b[k]) and shapely.union_all(a[k]).equals(shapely.union_all(b[k]))
        for k in a
    )


def test_random_label_rasters_give_gdals_polygons() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        rows, cols = rng.integers(1, 30, 2)
        values = rng.integers(1, 4)
        share = rng.uniform(0.2, 0.8)
        labels = np.where(
            rng.random((rows, cols)) < share, rng.integers(1, values + 1, (rows, cols)), 0
        )
        assert _same(_traced(labels), _gdal(labels)), labels


def test_a_region_closed_at_a_corner_has_a_hole_touching_its_shell() -> None:
    labels = np.array(
        [
            [1, 1, 1, 0],
            [1, 0, 1, 0],
            [1, 1, 0, 0],
            [0, 0, 0, 0],
        ]
    )
    # pixels (1, 2) and (2, 1) touch at a corner: the region is one piece (4-connected
    # through the top row), and the empty pixel (1, 1) is a hole closed at that corner
    traced = _traced(labels)
    assert len(traced[1]) == 1
    polygon = traced[1][0]
    assert len(polygon.interiors) == 1 and polygon.area == 7.0
    assert polygon.is_valid and polygon.equals(shapely.union_all(_gdal(labels)[1]))


def test_regions_touching_at_a_corner_are_separate_polygons() -> None:
    labels = np.array([[1, 0], [0, 1]])
    assert len(_traced(labels)[1]) == 2
    mixed = np.array([[1, 2], [2, 1]])
    traced = _traced(mixed)
    assert {k: len(v) for k, v in traced.items()} == {1: 2, 2: 2}


def test_an_empty_raster_has_no_rings_and_bad_labels_are_refused() -> None:
    rings = trace_rings(np.zeros((5, 4), np.int32))
    assert len(rings.ring_sizes) == 0 and len(rings.polygon_value) == 0
    with pytest.raises(ValueError, match="negative"):
        trace_rings(np.array([[1, -2]]))
    with pytest.raises(ValueError, match="signed integers"):
        trace_rings(np.ones((3, 3), np.float32))


def test_overwrite_labels_the_regions_in_the_callers_array() -> None:
    labels = np.array([[5, 5, 0, 5], [0, 0, 0, 5]], dtype=np.int32)
    kept = labels.copy()
    trace_rings(labels)
    assert np.array_equal(labels, kept)  # a copy by default
    rings = trace_rings(labels, overwrite=True)
    assert np.array_equal(labels, [[1, 1, 0, 2], [0, 0, 0, 2]])
    assert list(rings.polygon_value) == [5, 5]


def test_the_port_runs_outlines_are_gdals_polygons_of_the_owner_raster() -> None:
    site = load_site("beirut-port")
    result = detect_pair(site, *read_local_pair(site, *sample_pair("beirut-port")))
    changed = result.change.mask & result.change.valid
    boxes = np.array([d.bbox_px for d in result.detections], dtype=np.int64).reshape(-1, 4)
    owner = np.zeros(changed.shape, dtype=np.int32)
    _paste_owners(np.ascontiguousarray(changed), boxes, owner)
    assert owner.max() > 0
    assert _same(_traced(owner), _gdal(owner))
    # each detection's outline is GDAL's polygons of its owner value, in lon/lat
    outlines = detection_outlines(result)
    assert shapely.is_valid(outlines).all()
    grid = result.before.grid
    for value, polygons in _gdal(owner).items():
        gdal = shapely.transform(
            shapely.union_all(polygons),
            lambda xy: np.column_stack(grid.pixels_to_lonlat(xy[:, 1], xy[:, 0])),
        )
        assert outlines[value - 1].equals(gdal), result.detections[value - 1].id
