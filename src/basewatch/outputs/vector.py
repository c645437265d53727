"""Vector outputs: detections as GeoJSON features in WGS84."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from basewatch.records import (
    to_jsonable,
)

if TYPE_CHECKING:
    from basewatch.pipeline import PairResult


def detections_geojson(result: PairResult) -> dict[str, Any]:
    """The detections as a GeoJSON FeatureCollection (footprints, WGS84)."""
    features = []
    for d in result.detections:
        props = to_jsonable(d)
        footprint = props.pop("footprint")
        features.append(
            {
                "type": "Feature",
                "id": d.id,
                "properties": props,
                "geometry": {"type": "Polygon", "coordinates": [footprint]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
