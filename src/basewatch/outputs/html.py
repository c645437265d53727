"""Self-contained HTML reports: one file that opens offline, pictures embedded.

:func:`html_page` builds a page from titled :class:`Section` objects (a table, a PNG,
a paragraph or a list of key/value evidence): every picture is a ``data:`` URI, the style
sheet is inline, and nothing refers to a remote resource, so the file can be mailed,
archived or opened without a network. :func:`run_report` and :func:`timeline_report`
build the pages of a run and of a timeline; the corroboration report builds its own
sections with :func:`table_section`, :func:`image_section` and :func:`text_section` and
writes them with :func:`write_html`.
"""

from __future__ import annotations

import base64
import html
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from basewatch._atomic import atomic_write_text
from basewatch._version import __version__
from basewatch._words import plural

if TYPE_CHECKING:
    from basewatch.pipeline import PairResult, TimelineResult

__all__ = [
    "Section",
    "column_header",
    "display_text",
    "evidence_section",
    "html_page",
    "image_section",
    "run_report",
    "table_section",
    "text_section",
    "timeline_report",
    "write_html",
]

#: Significant digits of floating-point values in report tables.
TABLE_DIGITS = 4

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em auto;
max-width:1400px;padding:0 1em;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;
border-bottom:1px solid #ccc;padding-bottom:.2em}.sub{color:#555;margin-top:0}
img{max-width:100%;height:auto;border:1px solid #ddd}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}
dd{margin:0;font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
footer{margin-top:2em;color:#555;font-size:.85em}
"""


@dataclass(frozen=True)
class Section:
    """A titled part of a report page.

    Attributes
    ----------
    title : str
        Plain text (escaped when written).
    body : str
        HTML of the section's content, already escaped (build it with
        :func:`table_section`, :func:`image_section`, :func:`text_section` or
        :func:`evidence_section`).
    """

    title: str
    body: str


#: Decimals of longitudes and latitudes (about 0.1 m).
LONLAT_DECIMALS = 6

#: Columns holding longitudes or latitudes (shown with :data:`LONLAT_DECIMALS`).
LONLAT_COLUMNS = frozenset({"lon", "lat"})

#: What a cell shows for a missing value (None, NaN, an empty text or list).
MISSING = "\u2014"

#: Words a cell shows for a true and a false value.
YES, NO = "yes", "no"

#: Magnitudes written in plain decimals (``0.0001``, ``60000``); smaller and larger ones
#: in exponent notation (``2.55e-05``), where a string of zeros would hide the value.
PLAIN_MIN, PLAIN_MAX = 1e-4, 1e9

#: The headers people read for the record fields that tables show; any other column
#: is its own header, underscores as spaces.
COLUMN_HEADERS: Mapping[str, str] = {
    "object_class": "class",
    "zone_kind": "zone kind",
    "length_m": "length (m)",
    "width_m": "width (m)",
    "area_m2": "area (m\u00b2)",
    "before_date": "before date",
    "after_date": "after date",
}


def column_header(column: str) -> str:
    """The header a table shows for ``column`` (plain text, not escaped).

    Parameters
    ----------
    column : str
        A record field name (``length_m``) or a header already (``cloud in site``).

    Returns
    -------
    str
        ``"length (m)"`` for ``"length_m"``: :data:`COLUMN_HEADERS`, else the name with
        spaces for underscores.
    """
    return COLUMN_HEADERS.get(column, column.replace("_", " "))


def _number(value: float) -> str:
    """A float to :data:`TABLE_DIGITS` significant digits, in plain decimals between
    :data:`PLAIN_MIN` and :data:`PLAIN_MAX`."""
    if value == 0:
        return "0"  # and not "-0"
    if not math.isfinite(value):
        return f"{value:g}"
    rounded = f"{value:.{TABLE_DIGITS}g}"
    if PLAIN_MIN <= abs(value) < PLAIN_MAX:
        return format(Decimal(rounded), "f")
    return rounded


def display_text(value: Any, column: str = "") -> str:
    """A value of a record as a report shows it (plain text, not escaped).

    Parameters
    ----------
    value : Any
        None, a bool, a number, a text or a list or tuple of them.
    column : str, optional
        The column it is shown in: longitudes and latitudes (:data:`LONLAT_COLUMNS`)
        keep :data:`LONLAT_DECIMALS` decimals.

    Returns
    -------
    str
        :data:`MISSING` for None, NaN, blank text or an empty list; :data:`YES` or
        :data:`NO` for a bool; an integer as it is; any other number to
        :data:`TABLE_DIGITS` significant digits; the items of a list each so, joined
        by ``"; "``.
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if value is None:
        return MISSING
    if isinstance(value, bool | np.bool_):
        return YES if value else NO
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return MISSING
        if column in LONLAT_COLUMNS and math.isfinite(number):
            return f"{number:.{LONLAT_DECIMALS}f}"
        return _number(number)
    if isinstance(value, list | tuple):
        return "; ".join(display_text(v, column) for v in value) or MISSING
    text = str(value)
    return text if text.strip() else MISSING


def _cell(value: Any, column: str = "") -> str:
    return html.escape(display_text(value, column))


def table_section(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    empty: str = "none",
) -> Section:
    """A table of ``rows`` (dicts) showing ``columns``, values escaped.

    Headers are :func:`column_header` of the columns; cells are :func:`display_text`
    of the values (a column a row lacks shows :data:`MISSING`).
    """
    if not rows:
        return Section(title, f"<p>{html.escape(empty)}</p>")
    head = "".join(f"<th>{html.escape(column_header(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r.get(c), c)}</td>" for c in columns) + "</tr>" for r in rows
    )
    return Section(title, f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def image_section(title: str, png: bytes, *, alt: str, caption: str = "") -> Section:
    """A PNG embedded as a ``data:`` URI, with its alternative text and a caption."""
    data = base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return Section(
        title,
        f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"/>{cap}</figure>',
    )


def text_section(title: str, paragraphs: Iterable[str]) -> Section:
    """Paragraphs of plain text (escaped)."""
    return Section(title, "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))


def evidence_section(title: str, items: Mapping[str, Any]) -> Section:
    """Key/value evidence (scene ids, offsets, shifts, parameters) as a definition list;
    nested mappings are flattened to dotted keys."""
    flat: list[tuple[str, Any]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        else:
            flat.append((prefix, value))

    walk("", items)
    body = "".join(f"<dt>{html.escape(k)}</dt><dd>{_cell(v)}</dd>" for k, v in flat)
    return Section(title, f"<dl>{body}</dl>")


def html_page(title: str, sections: Sequence[Section], *, subtitle: str = "") -> str:
    """A complete, self-contained HTML page: the title, then each section in order.

    Parameters
    ----------
    title : str
        Page title and heading (plain text).
    sections : sequence of Section
    subtitle : str, optional
        A line under the heading (plain text).

    Returns
    -------
    str
        The page (UTF-8 text): inline style, embedded pictures, no remote resource.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if subtitle:
        parts.append(f'<p class="sub">{html.escape(subtitle)}</p>')
    for s in sections:
        parts.append(f"<section><h2>{html.escape(s.title)}</h2>{s.body}</section>")
    parts.append(f"<footer>Written by basewatch {html.escape(__version__)}.</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_html(path: str | Path, title: str, sections: Sequence[Section], **kw: str) -> Path:
    """Write :func:`html_page` to ``path`` atomically and return the path."""
    target = Path(path)
    atomic_write_text(target, html_page(title, sections, **kw))
    return target


# --------------------------------------------------------------------------------------
# the pages of a run and of a timeline

_DETECTION_COLUMNS = (
    "id",
    "object_class",
    "event",
    "zone",
    "lon",
    "lat",
    "length_m",
    "width_m",
    "confidence",
    "detectable",
    "notes",
)


def _scene_rows(scenes: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "date": str(s.date),
            "id": s.id,
            "sensor": s.sensor,
            "source": s.source,
            "cloud in site": s.cloud_fraction,
            "processing baseline": s.processing_baseline,
            "offset applied": s.offset_applied,
            "scale": s.scale,
            "shift (rows, cols) px": f"{s.shift_px[0]:+.2f}, {s.shift_px[1]:+.2f}",
            "attribution": s.attribution,
        }
        for s in scenes
    ]


_SCENE_COLUMNS = (
    "date",
    "id",
    "sensor",
    "source",
    "cloud in site",
    "processing baseline",
    "offset applied",
    "scale",
    "shift (rows, cols) px",
    "attribution",
)


#: Detections listed in a report's table, most confident first (a page of a whole
#: tile's 200,000 rows would not open); every detection is in the GeoJSON and GeoPackage.
MAX_REPORT_ROWS = 2000


def _count_rows(
    zone_counts: Mapping[str, Mapping[str, int]], coverage: Mapping[str, Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[Section]]:
    """The rows of a counts table (zone, kind, one column a date, whether the count is
    complete or a lower bound) and a section saying what the lower bounds miss (none
    when every count is complete)."""
    rows: list[dict[str, Any]] = []
    missed: dict[str, list[str]] = {}
    for zone, per_date in zone_counts.items():
        info = coverage.get(zone, {})
        rows.append(
            {
                "zone": zone,
                "kind": info.get("kind", ""),
                **dict(per_date),
                "count": info.get("count", ""),
            }
        )
        if info.get("not_counted"):
            missed.setdefault(str(info["not_counted"]), []).append(zone)
    lines = [f"{', '.join(zones)}: {why}." for why, zones in missed.items()]
    if not lines:
        return rows, []
    head = "A lower bound can bear out a claimed number but never show fewer objects there:"
    return rows, [text_section("What the lower bounds miss", [head, *lines])]


def _counted_in(coverage: Mapping[str, Mapping[str, Any]], kinds: frozenset[str]) -> bool:
    """Whether any zone of these of one of ``kinds`` was counted."""
    return any(info.get("kind") in kinds and "count" in info for info in coverage.values())


def _searches(
    params: Mapping[str, Any], coverage: Mapping[str, Mapping[str, Any]]
) -> list[Section]:
    """How each date's vessels and aircraft were found, for the zones counted."""
    from basewatch.aoi import AIRCRAFT_ZONES, WATER_ZONES

    out = []
    if _counted_in(coverage, WATER_ZONES):
        out += _search_section(params.get("vessels"), "vessels")
    if _counted_in(coverage, AIRCRAFT_ZONES):
        out += _search_section(params.get("aircraft"), "aircraft")
    return out


def _search_section(record: Any, kind: str) -> list[Section]:
    """How each date's ``kind`` (``"vessels"``, ``"aircraft"``) were found, and what is
    known of how well that search does where it was not tuned, as the record of
    :func:`basewatch.pipeline.vessel_detector` or :func:`basewatch.pipeline.
    aircraft_search` says; nothing for a record without one (records of earlier
    versions)."""
    if not isinstance(record, Mapping) or "detector" not in record:
        return []
    what = str(record.get("search") or record["detector"])
    if "model_version" in record:
        threshold = display_text(record.get("threshold"))
        what += f" (model {record['model_version']}, threshold {threshold})"
    measured = record.get("measured")
    line = f"{kind.capitalize()} on each date: {what}" + (f"; {measured}." if measured else ".")
    lines = [line]
    recall = record.get("open_water_recall")
    if isinstance(recall, int | float):
        lines.append(
            f"In open water it finds about {recall:.0%} of the ships (those with water all "
            "around them, where it was measured): a count there is complete for what it finds, "
            "but a ship it missed is not ruled out."
        )
    if kind == "aircraft" and record.get("precision") is None:
        from basewatch.aoi import AIRCRAFT_LOOKALIKES

        lines.append(
            f"With no measured precision, an object it calls an aircraft may be "
            f"{AIRCRAFT_LOOKALIKES}: its aircraft bear out a claim in part only."
        )
    return [text_section(f"How {kind} were found", lines)]


def run_report(result: PairResult, *, png: bytes | None = None, draw: bool = True) -> str:
    """The HTML report of a comparison: picture, counts, detections, scenes, parameters.

    Parameters
    ----------
    result : PairResult
    png : bytes, optional
        The run's picture (drawn by :func:`~basewatch.outputs.render.render_pair` when
        not given and ``draw``).
    draw : bool
        Draw the picture when ``png`` is not given; False leaves it out (a run written
        without its picture).

    Returns
    -------
    str
        A self-contained page (:func:`html_page`).
    """
    from dataclasses import asdict

    from basewatch.outputs.display import detection_rows

    b, a = result.before, result.after
    picture = png
    if picture is None and draw:
        # matplotlib is imported only when a picture is drawn (0.8 s of a run without)
        from basewatch.outputs.render import render_pair

        picture = render_pair(result)
    counts = [
        {"class": k.split(":")[0], "event": k.split(":")[1], "objects": n}
        for k, n in result.counts().items()
    ]
    coverage = result.count_quality()  # no pixel read: the record has the fractions
    zone_rows, missed = _count_rows(result.zone_counts, coverage)
    shown = result.detections[:MAX_REPORT_ROWS]
    sections = [
        image_section(
            "Before, after and change",
            picture,
            alt=f"{result.site.title}: {b.date} and {a.date} with the detections boxed",
        )
        if picture is not None
        else text_section("Before, after and change", ["no picture: written without one"]),
        table_section("Object events", counts, ("class", "event", "objects"), empty="none"),
        table_section(
            "Objects seen per zone and date",
            zone_rows,
            ("zone", "kind", str(b.date), str(a.date), "count"),
        ),
        *missed,
        *_searches(result.change.params, coverage),
        table_section(
            "Detections"
            if len(shown) == len(result.detections)
            else f"Detections: the {len(shown):,} most confident of {len(result.detections):,} "
            "(all are in detections.geojson and detections.gpkg)",
            detection_rows(shown),
            _DETECTION_COLUMNS,
            empty="no detection in the site's zones",
        ),
        table_section("Scenes", _scene_rows((b, a)), _SCENE_COLUMNS),
        evidence_section(
            "Parameters",
            {
                "change": {**asdict(result.change_params), **dict(result.change.params)},
                "change.threshold used": result.change.threshold,
                "objects": asdict(result.object_params),
                "site file": result.site.path,
            },
        ),
    ]
    if result.warnings:
        sections.append(text_section("Warnings", result.warnings))
    return html_page(
        f"{result.site.title}: {b.date} to {a.date}",
        sections,
        subtitle=f"{b.sensor} scenes {b.id} and {a.id}; {result.change.method} change",
    )


def timeline_report(result: TimelineResult, *, png: bytes | None = None) -> str:
    """The HTML report of a timeline: chart, counts per zone and date, tracks, scenes,
    parameters."""
    from basewatch.outputs.display import TRACK_ROW_COLUMNS, track_rows
    from basewatch.outputs.render import render_timeline

    chart = png if png is not None else render_timeline(result)
    zone_rows, missed = _count_rows(result.zone_counts, result.zone_coverage)
    sections = [
        image_section(
            "Objects per zone and date",
            chart,
            alt=f"{result.site.title}: objects seen per zone on each date",
        ),
        table_section("Counts", zone_rows, ("zone", "kind", *result.dates, "count")),
        *missed,
        *_searches(result.parameters, result.zone_coverage),
        table_section(
            "Objects on each date (one row per track and date)",
            track_rows(result),
            TRACK_ROW_COLUMNS,
            empty="no object found",
        ),
        text_section(
            "What the confidence is",
            [
                "Each row's confidence is the single-date search's, for the object on that "
                "date's image. A pair run (basewatch detect, run) scores the change between "
                "two dates instead: the two numbers are not comparable, and one object may "
                "score low on its own image and high as a change, or the other way round."
            ],
        ),
        table_section("Scenes", _scene_rows(result.scenes), _SCENE_COLUMNS),
        evidence_section("Parameters", dict(result.parameters)),
    ]
    if result.warnings:
        sections.append(text_section("Warnings", result.warnings))
    first, last = result.scenes[0], result.scenes[-1]
    return html_page(
        f"{result.site.title}: {len(result.scenes)} dates, {first.date} to {last.date}",
        sections,
        subtitle=f"{first.sensor} series; {plural(len(result.tracks), 'track')}",
    )
