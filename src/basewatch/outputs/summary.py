"""Short text summaries of pair and timeline results, as the commands print them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from basewatch._words import plural

if TYPE_CHECKING:
    from basewatch.pipeline import PairResult, TimelineResult


def summary_lines(result: PairResult) -> list[str]:
    """A few lines describing the result, for the terminal."""
    b, a = result.before, result.after
    lines = [
        f"{result.site.title} ({result.site.name}): {b.date} -> {a.date}, "
        f"{result.change.method} threshold {result.change.threshold:.4f}, "
        f"{int(result.change.mask.sum())} changed px",
    ]
    by: Mapping[str, int] = result.counts()
    if not by:
        lines.append("  no object events in the site's zones")
    for key, n in by.items():
        cls, event = key.split(":")
        lines.append(f"  {n:3d} {cls} {event}")
    for zone, per_date in result.zone_counts.items():
        if any(per_date.values()):
            dates = ", ".join(f"{day}: {n}" for day, n in per_date.items())
            lines.append(f"  objects seen in {zone} per date: {dates}")
    for w in result.warnings:
        lines.append(f"  warning: {w}")
    return lines


def timeline_summary_lines(result: TimelineResult) -> list[str]:
    """A few lines describing a timeline, for the terminal: a table of objects per zone
    and date, then the tracks."""
    first, last = result.scenes[0], result.scenes[-1]
    dates = result.dates
    lines = [
        f"{result.site.title} ({result.site.name}): {len(dates)} {first.sensor} dates, "
        f"{first.date} -> {last.date}",
    ]
    if result.zone_counts:
        width = max(len("zone"), *(len(z) for z in result.zone_counts))
        lines.append("  objects per zone and date:")
        lines.append("    " + "zone".ljust(width) + "".join(f"  {d:>10}" for d in dates))
        for zone, per_date in result.zone_counts.items():
            row = "".join(f"  {per_date[d]:>10d}" for d in dates)
            lines.append("    " + zone.ljust(width) + row)
    else:
        lines.append("  no zone of the site can hold the objects this sensor sees")
    by_class = Counter(t.object_class.value for t in result.tracks)
    classes = ", ".join(f"{cls}: {n}" for cls, n in sorted(by_class.items()))
    n = len(result.tracks)
    lines.append(
        f"  {plural(n, 'track')} (one per object; {classes or 'no object'}), "
        f"{len(result.persistent_tracks())} present on all {len(dates)} dates"
    )
    for w in result.warnings:
        lines.append(f"  warning: {w}")
    return lines
