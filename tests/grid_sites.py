"""Site files drawn over a raster's own pixel grid, for tests on real images that no
bundled site covers (the sen2ships ports, the bundled Piraeus sample)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def row_band_site(
    path: Path,
    grid: Any,
    zones: Sequence[tuple[str, str, float, float]],
    *,
    name: str,
    title: str,
    source: str,
    utm_epsg: int | None = None,
) -> Path:
    """Write a site whose outline is ``grid``'s extent and whose zones are bands of its
    rows, each ``(kind, zone name, first row, last row)`` as shares of the height (row
    ``int(share * rows)``); returns ``path``."""
    rows, cols = grid.shape

    def ring(r0: int, r1: int) -> list[list[float]]:
        lon, lat = grid.pixels_to_lonlat([r0, r0, r1, r1, r0], [0, cols, cols, 0, 0])
        return [[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]

    def feature(kind: str, zone: str, coords: list[list[float]]) -> dict[str, Any]:
        props = {"kind": kind, "name": zone, "source": source, "licence": "CC0-1.0"}
        return {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [coords]},
        }

    meta: dict[str, Any] = {"site": name, "title": title}
    if utm_epsg is not None:
        meta["utm_epsg"] = utm_epsg
    features = [feature("outline", "outline", ring(0, rows))]
    features += [
        feature(kind, zone, ring(int(a * rows), int(b * rows))) for kind, zone, a, b in zones
    ]
    doc = {"type": "FeatureCollection", "basewatch": meta, "features": features}
    path.write_text(json.dumps(doc))
    return path


def sample_extent_site(path: Path, grid: Any) -> Path:
    """A site over the bundled Piraeus sample's extent, all of it a harbour zone."""
    return row_band_site(
        path,
        grid,
        [("harbour", "harbour", 0.0, 1.0)],
        name="piraeus-sample",
        title="Piraeus (sample extent)",
        source="the sample's extent",
    )
