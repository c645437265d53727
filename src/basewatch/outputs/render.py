"""Annotated pictures of a comparison (the only module that imports matplotlib).

:func:`render_pair` draws before, after and change side by side, with the site
outline and zones, a box per detection coloured by class and marked by event, the
dates and scene ids, a scale bar and the data attribution, and returns PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

from basewatch.records import Detection, Event, ObjectClass, Scene

if TYPE_CHECKING:
    from basewatch.aoi import Site
    from basewatch.grid import Grid
    from basewatch.pipeline import PairResult

__all__ = [
    "CLASS_COLOURS",
    "EVENT_STYLES",
    "Picture",
    "picture_of",
    "render_pair",
    "render_picture",
    "true_colour",
]

CLASS_COLOURS = {
    ObjectClass.AIRCRAFT: "#00e5ff",
    ObjectClass.VESSEL: "#ffb000",
    ObjectClass.OTHER: "#b0b0b0",
}
EVENT_STYLES = {
    Event.APPEARED: ("solid", "+"),
    Event.DISAPPEARED: ("dashed", "−"),
    Event.PERSISTED: ("dotted", "="),
    Event.MOVED: ("dashdot", "→"),
}
ZONE_COLOURS = {
    "runway": "#ffffff",
    "taxiway": "#d0d0d0",
    "apron": "#66ff66",
    "shelter": "#66ff66",
    "harbour": "#66ccff",
    "berth": "#cc88ff",
    "approach": "#3399ff",
}


def true_colour(
    scene: Scene, *, lo: float | None = None, hi: float | None = None
) -> NDArray[np.float32]:
    """An RGB image (rows, cols, 3) in 0..1 from B04/B03/B02 (or grey from the first band).

    ``lo``/``hi`` stretch limits default to the 2nd/98th percentiles of valid pixels.
    """
    if all(b in scene.bands for b in ("B04", "B03", "B02")):
        rgb = np.dstack([scene.band("B04"), scene.band("B03"), scene.band("B02")])
    else:
        band = scene.data[0]
        if scene.sensor == "S1":
            with np.errstate(divide="ignore", invalid="ignore"):
                band = (10 * np.log10(band)).astype(np.float32)
        rgb = np.dstack([band, band, band])
    finite = rgb[np.isfinite(rgb)]
    if lo is None or hi is None:
        lo, hi = np.percentile(finite, [2, 98]) if finite.size else (0.0, 1.0)
    scaled = np.clip((rgb - lo) / max(hi - lo, 1e-9), 0, 1)
    scaled[~np.isfinite(scaled)] = 0.0
    return scaled.astype(np.float32)


def _stretch_limits(*scenes: Scene) -> tuple[float, float]:
    stack = []
    for s in scenes:
        if all(b in s.bands for b in ("B04", "B03", "B02")):
            stack.append(s.data[[s.bands.index(b) for b in ("B04", "B03", "B02")]].ravel())
        else:
            d = s.data[0]
            if s.sensor == "S1":
                with np.errstate(divide="ignore", invalid="ignore"):
                    d = 10 * np.log10(d)
            stack.append(d.ravel())
    allv = np.concatenate(stack)
    allv = allv[np.isfinite(allv)]
    if not allv.size:
        return 0.0, 1.0
    lo, hi = np.percentile(allv, [2, 98])
    return float(lo), float(hi)


def _shift_note(scene: Scene) -> str:
    dy, dx = scene.shift_px
    if dy == 0.0 and dx == 0.0:
        return ""
    return f"  (co-registered: shifted {dy:+.2f}, {dx:+.2f} px)"


def _nice_length(max_m: float) -> float:
    for v in (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000):
        if v >= max_m:
            return float(v)
    return 50000.0


def _scale_bar(ax: Any, width_px: int, height_px: int, metres_per_px: float) -> None:
    length_m = _nice_length(width_px * metres_per_px / 5)
    if length_m > width_px * metres_per_px / 3:
        length_m /= 2
    length_px = length_m / metres_per_px
    x0, y0 = width_px * 0.04, height_px * 0.94
    ax.plot(
        [x0, x0 + length_px],
        [y0, y0],
        color="white",
        lw=3,
        solid_capstyle="butt",
        path_effects=[pe.withStroke(linewidth=5, foreground="black")],
    )
    label = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    ax.text(
        x0 + length_px / 2,
        y0 - height_px * 0.02,
        label,
        color="white",
        ha="center",
        va="bottom",
        fontsize=8,
        path_effects=[pe.withStroke(linewidth=2, foreground="black")],
    )


def _draw_zones(ax: Any, site_any: Site, grid: Grid) -> None:
    site = site_any.project(grid.crs)
    geoms = [("outline", site.outline)] + [(z.kind, z.geometry) for z in site.zones]
    for kind, geom in geoms:
        polys = list(getattr(geom, "geoms", [geom]))
        for poly in polys:
            xs, ys = np.asarray(poly.exterior.coords).T
            rows, cols = grid.rowcol(xs, ys)
            colour = "#ffff00" if kind == "outline" else ZONE_COLOURS.get(kind, "#ffffff")
            ax.plot(
                cols - 0.5,
                rows - 0.5,
                color=colour,
                lw=1.4 if kind == "outline" else 0.9,
                alpha=0.9 if kind == "outline" else 0.75,
                linestyle="-",
            )


def _draw_detections(ax: Any, detections: tuple[Detection, ...], *, labels: bool) -> None:
    for d in detections:
        r0, c0, r1, c1 = d.bbox_px
        colour = CLASS_COLOURS[d.object_class]
        style, mark = EVENT_STYLES[d.event]
        pad = 1.5
        ax.add_patch(
            Rectangle(
                (c0 - 0.5 - pad, r0 - 0.5 - pad),
                c1 - c0 + 2 * pad,
                r1 - r0 + 2 * pad,
                fill=False,
                edgecolor=colour,
                linestyle=style,
                lw=1.2 if d.object_class is not ObjectClass.OTHER else 0.6,
            )
        )
        if labels and d.object_class is not ObjectClass.OTHER:
            ax.text(
                c1 + pad,
                r0 - pad,
                f"{mark} {d.object_class.value} {d.confidence:.2f}",
                color=colour,
                fontsize=6,
                va="bottom",
                path_effects=[pe.withStroke(linewidth=1.5, foreground="black")],
            )


@dataclass(frozen=True, eq=False)
class Picture:
    """Everything a change picture shows, as arrays (no files, no scenes).

    Built from a :class:`~basewatch.pipeline.PairResult` by :func:`picture_of`, or from a
    run folder's ``preview.npz`` (see :func:`basewatch.outputs.run.load_picture`), so a run can
    be drawn again later, for example with the claims each detection corroborates.

    Attributes
    ----------
    before_rgb, after_rgb : ndarray, shape (rows, cols, 3), float32 in 0..1
    magnitude : ndarray, shape (rows, cols), float32 (NaN where invalid)
    mask : ndarray, shape (rows, cols), bool
        Changed pixels.
    """

    site: Site
    grid: Grid
    before_rgb: NDArray[np.float32]
    after_rgb: NDArray[np.float32]
    before_title: str
    after_title: str
    magnitude: NDArray[np.float32]
    mask: NDArray[np.bool_]
    detections: tuple[Detection, ...]
    method: str
    threshold: float
    sources: str


def picture_of(result: PairResult) -> Picture:
    """The :class:`Picture` of a comparison (common stretch for both dates)."""
    before, after = result.before, result.after
    lo, hi = _stretch_limits(before, after)
    return Picture(
        site=result.site,
        grid=before.grid,
        before_rgb=true_colour(before, lo=lo, hi=hi),
        after_rgb=true_colour(after, lo=lo, hi=hi),
        before_title=f"before  {before.date}\n{before.id}",
        after_title=f"after  {after.date}{_shift_note(after)}\n{after.id}",
        magnitude=np.where(result.change.valid, result.change.magnitude, np.nan).astype(np.float32),
        mask=result.change.mask,
        detections=result.detections,
        method=result.change.method,
        threshold=result.change.threshold,
        sources="; ".join(sorted({s for s in (before.attribution, after.attribution) if s})),
    )


def render_pair(
    result: PairResult,
    *,
    labels: Mapping[str, Sequence[str]] | None = None,
    show_other: bool = True,
    dpi: int = 110,
) -> bytes:
    """Render a before/after/change triptych of a :class:`PairResult` as PNG bytes.

    ``labels`` maps detection ids to short texts drawn beside their boxes (the claims a
    detection supports, ``"+ ..."``, or contradicts, ``"- ..."``).
    """
    return render_picture(picture_of(result), labels=labels, show_other=show_other, dpi=dpi)


def render_picture(
    pic: Picture,
    *,
    labels: Mapping[str, Sequence[str]] | None = None,
    show_other: bool = True,
    dpi: int = 110,
) -> bytes:
    """Render a :class:`Picture` as PNG bytes (see :func:`render_pair`)."""
    labels = labels or {}
    rows, cols = pic.grid.shape
    aspect = pic.grid.pixel_size_m[1] / pic.grid.pixel_size_m[0]
    panel_w = 5.2
    panel_h = panel_w * rows * aspect / cols
    fig = Figure(figsize=(3 * panel_w + 0.6, panel_h + 1.6), dpi=dpi)
    axes = fig.subplots(1, 3)
    mag = pic.magnitude
    vmax = float(np.nanpercentile(mag, 99.5)) if np.isfinite(mag).any() else 1.0
    shown = tuple(
        d for d in pic.detections if show_other or d.object_class is not ObjectClass.OTHER
    )
    events = len([d for d in shown if d.object_class is not ObjectClass.OTHER])
    keys = _claim_keys(shown, labels)
    panels = [
        (pic.before_rgb, pic.before_title),
        (pic.after_rgb, pic.after_title),
        (None, f"change ({pic.method}, threshold {pic.threshold:.3g})\n{events} object events"),
    ]
    mpx = float(np.sqrt(pic.grid.pixel_area_m2))
    for ax, (img, title) in zip(axes, panels, strict=True):
        if img is None:
            ax.imshow(mag, cmap="magma", vmin=0, vmax=vmax, interpolation="nearest", aspect=aspect)
            ov = np.zeros((rows, cols, 4), np.float32)
            ov[pic.mask] = (0.2, 1.0, 0.2, 0.35)
            ax.imshow(ov, interpolation="nearest", aspect=aspect)
        else:
            ax.imshow(img, interpolation="nearest", aspect=aspect)
        _draw_zones(ax, pic.site, pic.grid)
        _draw_detections(ax, shown, labels=True)
        if img is None:
            _draw_claims(ax, shown, labels, keys)
        _scale_bar(ax, cols, rows, pic.grid.pixel_size_m[0])
        ax.set_title(title, fontsize=8)
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_xticks([])
        ax.set_yticks([])
    legend = (
        "Boxes: cyan aircraft, amber vessel, grey other (surface change); solid + appeared, "
        "dashed − disappeared, dotted = persisted, dash-dot → moved; number = confidence.  "
        "Zones: yellow site outline, white "
        "runway, green apron, blue harbour/approaches, violet berths.  Green in the change "
        "panel: changed pixels."
    )
    if keys:
        legend += (
            "\nClaims marked in the change panel (+ the detection supports the claim, − it "
            "contradicts it): " + "; ".join(f"{k} {claim}" for claim, k in keys.items())
        )
    fig.suptitle(f"{pic.site.title}", fontsize=10, y=0.995)
    fig.text(
        0.01,
        0.01,
        f"{legend}\nSources: {pic.sources or 'unknown'}; AOI: "
        f"{'; '.join(pic.site.attribution)}. Pixel ~{mpx:.1f} m. basewatch",
        fontsize=6.5,
        va="bottom",
    )
    fig.tight_layout(rect=(0, 0.075, 1, 0.97))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _claim_keys(
    detections: tuple[Detection, ...], labels: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """A short key (``C1``, ``C2``...) for each distinct claim text (sign stripped)."""
    keys: dict[str, str] = {}
    for d in detections:
        for text in labels.get(d.id, ()):
            claim = text.lstrip("+-− ").strip()
            keys.setdefault(claim, f"C{len(keys) + 1}")
    return keys


def _draw_claims(
    ax: Any,
    detections: tuple[Detection, ...],
    labels: Mapping[str, Sequence[str]],
    keys: Mapping[str, str],
) -> None:
    for d in detections:
        texts = labels.get(d.id)
        if not texts:
            continue
        _, c0, r1, _ = d.bbox_px
        marks = [
            ("+" if t.startswith("+") else "−") + keys[t.lstrip("+-− ").strip()] for t in texts
        ]
        supports = all(t.startswith("+") for t in texts)
        ax.text(
            c0 - 2,
            r1 + 2,
            " ".join(marks),
            color="#7CFC00" if supports else "#ff5050",
            fontsize=6,
            va="top",
            path_effects=[pe.withStroke(linewidth=1.5, foreground="black")],
        )
