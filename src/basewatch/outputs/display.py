"""How results show themselves in a notebook, and the tables people take away.

:class:`~basewatch.pipeline.PairResult`, :class:`~basewatch.pipeline.TimelineResult` and
:class:`~basewatch.corroborate.check.Corroboration` call these from their
``_repr_html_`` / ``_repr_png_`` and ``to_records`` / ``to_dataframe`` methods, so a
notebook cell that ends with a result shows the picture and the tables, and
``result.to_dataframe()`` gives the rows to filter and plot.

Everything here is a pure function of a result (no file is written). Text from the
data (zone names, notes, scene ids) is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from basewatch.pipeline import PairResult, TimelineResult
    from basewatch.records import Detection

__all__ = [
    "detection_rows",
    "pair_html",
    "records_frame",
    "table_html",
    "timeline_html",
    "track_rows",
    "tracks_geojson",
]

#: Rows of a detection table shown inline; the rest are counted, and all are in
#: ``to_records()`` / ``to_dataframe()``.
MAX_HTML_ROWS = 50

#: Decimal places of longitude/latitude in tables (about 1 cm).
LONLAT_DECIMALS = 7

#: Significant digits of numbers shown in HTML tables (coordinates to about a metre).
HTML_SIGNIFICANT_DIGITS = 7


def records_frame(rows: Sequence[Mapping[str, Any]], *, columns: Sequence[str]) -> Any:
    """``rows`` as a pandas DataFrame with ``columns`` (in that order).

    Raises
    ------
    ImportError
        pandas is not installed (it is not a dependency of basewatch): the message says
        how to install it, and that ``to_records()`` gives the same rows without it.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "to_dataframe() needs pandas, which basewatch does not install: "
            "`pip install pandas`, or use to_records() for the same rows as dicts"
        ) from exc
    return pd.DataFrame(list(rows), columns=list(columns))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{HTML_SIGNIFICANT_DIGITS}g}" if abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, list | tuple):
        return html.escape("; ".join(str(v) for v in value))
    return html.escape(str(value))


def table_html(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    caption: str = "",
    max_rows: int = MAX_HTML_ROWS,
) -> str:
    """An HTML table of ``rows`` (escaped), at most ``max_rows`` of them, then a count."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in columns) + "</tr>"
        for r in rows[:max_rows]
    )
    more = (
        f"<p>{len(rows) - max_rows} more rows: see <code>to_dataframe()</code>.</p>"
        if len(rows) > max_rows
        else ""
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


#: Columns of :func:`detection_rows`, in order.
DETECTION_COLUMNS: tuple[str, ...] = (
    "id",
    "object_class",
    "event",
    "zone",
    "zone_kind",
    "lon",
    "lat",
    "length_m",
    "width_m",
    "area_m2",
    "confidence",
    "detectable",
    "before_date",
    "after_date",
    "before",
    "after",
    "notes",
)


def detection_rows(detections: Iterable[Detection]) -> list[dict[str, Any]]:
    """One flat dict per detection (the columns of :data:`DETECTION_COLUMNS`).

    Dates are ``datetime.date``; ``notes`` is one string (``"; "`` between notes).
    """
    return [
        {
            "id": d.id,
            "object_class": d.object_class.value,
            "event": d.event.value,
            "zone": d.zone,
            "zone_kind": d.zone_kind,
            "lon": round(d.lon, LONLAT_DECIMALS),
            "lat": round(d.lat, LONLAT_DECIMALS),
            "length_m": d.length_m,
            "width_m": d.width_m,
            "area_m2": d.area_m2,
            "confidence": d.confidence,
            "detectable": d.detectable,
            "before_date": d.before_date,
            "after_date": d.after_date,
            "before": d.before,
            "after": d.after,
            "notes": "; ".join(d.notes),
        }
        for d in detections
    ]


def _zone_count_rows(zone_counts: Mapping[str, Mapping[str, int]]) -> list[dict[str, Any]]:
    return [{"zone": z, **dict(per_date)} for z, per_date in zone_counts.items()]


def pair_html(result: PairResult, *, picture: bool = True) -> str:
    """The HTML a notebook shows for a pair result: the picture, counts and detections."""
    b, a = result.before, result.after
    head = (
        f"<h4>{html.escape(result.site.title)} ({html.escape(result.site.name)}): "
        f"{b.date} &rarr; {a.date}</h4>"
        f"<p>{html.escape(b.sensor)} scenes {html.escape(b.id)} and {html.escape(a.id)}; "
        f"{html.escape(result.change.method)} threshold {result.change.threshold:.4g}, "
        f"{int(result.change.mask.sum())} changed px</p>"
    )
    img = ""
    if picture:
        png = base64.b64encode(result._repr_png_()).decode("ascii")
        img = f'<img src="data:image/png;base64,{png}" style="max-width:100%"/>'
    counts = [
        {"object_class": k.split(":")[0], "event": k.split(":")[1], "n": n}
        for k, n in result.counts().items()
    ]
    dates = [str(b.date), str(a.date)]
    parts = [
        head,
        img,
        table_html(counts, ("object_class", "event", "n"), caption="object events"),
        table_html(
            _zone_count_rows(result.zone_counts),
            ("zone", *dates),
            caption="objects seen per zone and date",
        ),
        table_html(
            detection_rows(result.detections),
            ("object_class", "event", "zone", "lon", "lat", "length_m", "confidence", "notes"),
            caption="detections",
        ),
    ]
    parts += [f"<p>warning: {html.escape(w)}</p>" for w in result.warnings]
    return "<div>" + "".join(parts) + "</div>"


def track_rows(result: TimelineResult) -> list[dict[str, Any]]:
    """One row per (track, date) the object is present on: where it was and how big.

    Columns: ``track``, ``object_class``, ``date``, ``zone``, ``lon``, ``lat``,
    ``length_m``, ``width_m``, ``confidence``, ``detectable``, ``scene``.
    """
    rows: list[dict[str, Any]] = []
    for t in result.tracks:
        for day, m in zip(result.dates, t.members, strict=True):
            if m is None:
                continue
            rows.append(
                {
                    "track": t.id,
                    "object_class": t.object_class.value,
                    "date": day,
                    "zone": m.zone,
                    "lon": None if m.lon is None else round(m.lon, LONLAT_DECIMALS),
                    "lat": None if m.lat is None else round(m.lat, LONLAT_DECIMALS),
                    "length_m": m.length_m,
                    "width_m": m.width_m,
                    "confidence": m.confidence,
                    "detectable": m.detectable,
                    "scene": m.scene,
                }
            )
    return rows


#: Columns of :func:`track_rows`, in order.
TRACK_ROW_COLUMNS: tuple[str, ...] = (
    "track",
    "object_class",
    "date",
    "zone",
    "lon",
    "lat",
    "length_m",
    "width_m",
    "confidence",
    "detectable",
    "scene",
)


def tracks_geojson(result: TimelineResult) -> dict[str, Any]:
    """The tracks as a GeoJSON FeatureCollection: one Point per object and date (WGS84)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {k: v for k, v in row.items() if k not in ("lon", "lat")},
        }
        for row in track_rows(result)
        if row["lon"] is not None and row["lat"] is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def timeline_html(result: TimelineResult) -> str:
    """The HTML a notebook shows for a timeline: counts per zone and date, then tracks."""
    first, last = result.scenes[0], result.scenes[-1]
    head = (
        f"<h4>{html.escape(result.site.title)} ({html.escape(result.site.name)}): "
        f"{len(result.dates)} {html.escape(first.sensor)} dates, "
        f"{first.date} &rarr; {last.date}</h4>"
        f"<p>{len(result.tracks)} tracks, {len(result.persistent_tracks())} present on "
        f"every date</p>"
    )
    presence = [
        {
            "track": t.id,
            "object_class": t.object_class.value,
            **{d: ("yes" if p else "") for d, p in zip(result.dates, t.present(), strict=True)},
        }
        for t in result.tracks
    ]
    parts = [
        head,
        table_html(
            _zone_count_rows(result.zone_counts),
            ("zone", *result.dates),
            caption="objects seen per zone and date",
        ),
        table_html(presence, ("track", "object_class", *result.dates), caption="tracks"),
    ]
    parts += [f"<p>warning: {html.escape(w)}</p>" for w in result.warnings]
    return "<div>" + "".join(parts) + "</div>"
