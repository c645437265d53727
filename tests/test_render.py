"""Publishable pictures, read back: boxes at the detection pixels, insets, legend, charts.

Real data: the bundled Beirut pairs (Sentinel-2) and the Latakia Sentinel-1 series of
``../shared`` (tests only). Each PNG is decoded and its pixels checked where the layout
says a detection's box, an inset or the legend lies.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import numpy as np
import pytest
from numpy.typing import NDArray

import basewatch as bw
from basewatch.outputs.render import (
    BOX_PAD_PX,
    CLASS_COLOURS,
    LEGEND_FACE,
    MAX_INSETS,
    PairLayout,
    Picture,
    SceneMark,
    inset_window,
    layout_pair,
    picture_of,
    render_site,
    render_timeline,
    scene_attribution,
    site_credit,
)
from basewatch.records import ObjectClass, Scene

#: Largest colour distance (0-1 RGB, Euclidean) still taken as the colour drawn.
COLOUR_TOLERANCE = 0.12


def _pair(site_name: str) -> bw.PairResult:
    site = bw.load_site(site_name)
    return bw.detect_pair(site, *bw.read_local_pair(site, *bw.sample_pair(site_name)))


@pytest.fixture(scope="module", params=["beirut-airport", "beirut-port"])
def drawn(request: pytest.FixtureRequest) -> tuple[Picture, PairLayout, NDArray[np.float32]]:
    pic = picture_of(_pair(request.param))
    layout = layout_pair(pic)
    rgba = mpimg.imread(io.BytesIO(layout.png), format="png")
    return pic, layout, rgba[..., :3].astype(np.float32)


def _near(rgb: NDArray[np.float32], y: int, x: int, colour: str, radius: int = 3) -> bool:
    """Whether ``colour`` is drawn within ``radius`` PNG pixels of ``(y, x)``."""
    target = np.array(mcolors.to_rgb(colour), np.float32)
    patch = rgb[max(y - radius, 0) : y + radius + 1, max(x - radius, 0) : x + radius + 1]
    return bool((np.linalg.norm(patch - target, axis=-1) < COLOUR_TOLERANCE).any())


def test_the_png_has_the_size_the_layout_gives(drawn: tuple[Picture, PairLayout, NDArray]) -> None:
    _, layout, rgb = drawn
    assert rgb.shape[:2] == layout.size


def test_each_detection_box_is_drawn_at_its_pixels_in_every_panel(
    drawn: tuple[Picture, PairLayout, NDArray],
) -> None:
    pic, layout, rgb = drawn
    objects = [d for d in pic.detections if d.object_class is not ObjectClass.OTHER]
    assert objects, "the bundled pairs hold object events"
    shape = pic.grid.shape
    for d in objects:
        r0, c0, r1, c1 = d.bbox_px
        colour = CLASS_COLOURS[d.object_class]
        middle = (c0 + c1) / 2
        for name, panel in layout.panels.items():
            # the box's top and bottom edges, half a pixel plus the padding outside the object
            top = panel.pixel(r0 - 0.5 - BOX_PAD_PX - 0.5, middle, shape)
            bottom = panel.pixel(r1 - 0.5 + BOX_PAD_PX - 0.5, middle, shape)
            assert _near(rgb, *top, colour), (name, d.id, "top edge")
            assert _near(rgb, *bottom, colour), (name, d.id, "bottom edge")


def test_insets_show_the_crops_of_the_most_confident_objects(
    drawn: tuple[Picture, PairLayout, NDArray],
) -> None:
    pic, layout, rgb = drawn
    ranked = sorted(
        pic.detections, key=lambda d: (d.object_class is ObjectClass.OTHER, -d.confidence)
    )
    assert [i.detection_id for i in layout.insets] == [d.id for d in ranked[:MAX_INSETS]]
    by_id = {d.id: d for d in pic.detections}
    for inset in layout.insets:
        d = by_id[inset.detection_id]
        assert inset.window == inset_window(d.bbox_px, pic.grid.shape)
        r0, c0, r1, c1 = inset.window
        assert r0 <= d.bbox_px[0] and d.bbox_px[2] <= r1 and c0 <= d.bbox_px[1] <= c1
        for box, img in ((inset.before, pic.before_rgb), (inset.after, pic.after_rgb)):
            crop = img[r0:r1, c0:c1]
            # sample the inset at the crop's pixel centres, away from the drawn box
            rows = np.arange(r1 - r0)
            cols = np.arange(c1 - c0)
            rr, cc = np.meshgrid(rows, cols, indexing="ij")
            inside = (
                (rr + r0 >= d.bbox_px[0] - 4)
                & (rr + r0 <= d.bbox_px[2] + 4)
                & (cc + c0 >= d.bbox_px[1] - 4)
                & (cc + c0 <= d.bbox_px[3] + 4)
            )
            far = ~inside & (rr > 3) & (cc > 3) & (rr < r1 - r0 - 2) & (cc < c1 - c0 - 2)
            # the date label sits in the top-left corner
            far &= ~((rr < (r1 - r0) // 4) & (cc < (c1 - c0) * 2 // 3))
            ys, xs = zip(
                *(box.pixel(r, c, crop.shape[:2]) for r, c in zip(rr[far], cc[far], strict=True)),
                strict=True,
            )
            shown = rgb[np.array(ys), np.array(xs)]
            error = np.abs(shown - crop[far] / 255.0).mean()
            assert error < 0.03, (inset.detection_id, error)


def test_the_legend_box_is_dark_and_shows_every_class_colour(
    drawn: tuple[Picture, PairLayout, NDArray],
) -> None:
    _, layout, rgb = drawn
    box = layout.legend
    region = rgb[
        int(box.top) + 2 : int(box.top + box.height) - 2,
        int(box.left) + 2 : int(box.left + box.width) - 2,
    ]
    face = np.array(mcolors.to_rgb(LEGEND_FACE), np.float32)
    assert (np.linalg.norm(region - face, axis=-1) < 0.05).mean() > 0.6
    for colour in CLASS_COLOURS.values():
        target = np.array(mcolors.to_rgb(colour), np.float32)
        assert (np.linalg.norm(region - target, axis=-1) < COLOUR_TOLERANCE).sum() > 10, colour


def test_lon_lat_ticks_name_the_site_degrees(drawn: tuple[Picture, PairLayout, NDArray]) -> None:
    from basewatch.outputs.render import _degree_ticks

    pic, _, _ = drawn
    rows, cols = pic.grid.shape
    cs = np.linspace(-0.5, cols - 0.5, 64)
    lon, _ = pic.grid.pixels_to_lonlat(np.full_like(cs, rows), cs + 0.5)
    positions, labels = _degree_ticks(cs, lon, ("E", "W"))
    assert 2 <= len(labels) <= 6
    for pos, label in zip(positions, labels, strict=True):
        value = float(label.rstrip("°EW"))
        at, _ = pic.grid.pixels_to_lonlat(np.array([rows]), np.array([pos + 0.5]))
        assert abs(at[0] - value) < 1e-6


def _s1_scenes(shared_data: Path) -> list[Scene]:
    from test_sar import _s1_scene

    root = shared_data / "s1_latakia_port_2024"
    return [_s1_scene(s, root) for s in ("20241206T034315", "20241218T034314")]


def test_radar_pictures_name_the_copernicus_source(shared_data: Path) -> None:
    """Scenes that carry no attribution (local radar files) still get the sensor's."""
    from dataclasses import replace

    bare = [replace(s, attribution="") for s in _s1_scenes(shared_data)]
    assert scene_attribution(bare) == "Contains modified Copernicus Sentinel data 2024"
    site = bw.load_site("beirut-port")
    optical = bw.read_local_pair(site, *bw.sample_pair("beirut-port"))
    mixed = scene_attribution([replace(optical[0], attribution=""), *bare])
    assert mixed == "Contains modified Copernicus Sentinel data 2015, 2024"


def test_site_credit_leaves_out_the_imagery_the_caption_already_credits() -> None:
    """The bundled Beirut sites were drawn on their scenes and say so in their licence;
    the picture's footer credits those scenes once, not again in the site's credit."""
    site = bw.load_site("beirut-port")
    scenes = bw.read_local_pair(site, *bw.sample_pair("beirut-port"))
    imagery = scene_attribution(scenes)
    assert any("imagery: " in a for a in site.attribution)
    credit = site_credit(site.attribution, imagery)
    assert credit == "CC0-1.0 (basewatch developers)"
    assert f"{imagery}.  Site outline and zones: {credit}.".count("Copernicus") == 1
    # imagery other than what the caption credits stays named
    assert (
        site_credit(site.attribution, "Contains modified Copernicus Sentinel data 2024")
        == (site.attribution[0])
    )
    assert site_credit(("ODbL-1.0 (© OpenStreetMap contributors)", "a; b", "a"), "") == (
        "ODbL-1.0 (© OpenStreetMap contributors); a; b"
    )


def test_timeline_chart_draws_one_line_per_zone(shared_data: Path) -> None:
    from test_sar import _latakia_port_site, _s1_scene

    root = shared_data / "s1_latakia_port_2024"
    stamps = ("20241123T154150", "20241205T154149", "20241206T034315", "20241218T034314")
    series = bw.observe_dates(_latakia_port_site(shared_data), [_s1_scene(s, root) for s in stamps])
    png = render_timeline(series)
    rgb = mpimg.imread(io.BytesIO(png), format="png")[..., :3]
    assert rgb.shape[1] > 1000
    # matplotlib's default cycle colours, one per zone searched
    cycle = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
    for colour in cycle[: len(series.zone_counts)]:
        target = np.array(mcolors.to_rgb(colour), np.float32)
        assert (np.linalg.norm(rgb - target, axis=-1) < 0.05).sum() > 50, colour


def test_site_map_draws_zones_and_scene_footprints() -> None:
    import datetime as dt

    site = bw.load_site("hmeimim")
    marks = [
        SceneMark("S2A_a", "S2", dt.date(2024, 11, 30), 0.1, (35.67, 35.11, 36.91, 36.13)),
        SceneMark("S1A_b", "S1", dt.date(2024, 12, 6), None, (35.1, 33.9, 38.2, 35.8)),
    ]
    bare = mpimg.imread(io.BytesIO(render_site(site)), format="png")[..., :3]
    full = mpimg.imread(io.BytesIO(render_site(site, scenes=marks)), format="png")[..., :3]
    assert full.shape[1] > bare.shape[1]  # the footprint and date panels
    red = np.array(mcolors.to_rgb("#d62728"), np.float32)
    assert (np.linalg.norm(full - red, axis=-1) < 0.1).sum() > 20
    assert (np.linalg.norm(bare - red, axis=-1) < 0.1).sum() == 0


def test_site_map_puts_radar_dates_apart_from_the_cloud_axis() -> None:
    """Radar dates have no cloud: they are drawn in a strip of their own above the
    cloud panel (not at a cloud of 105 %), and dates spanning four years are labelled
    without matplotlib's warning that it could not place the ticks."""
    import datetime as dt
    import warnings

    site = bw.load_site("hmeimim")
    first = dt.date(2022, 1, 5)
    radar = (35.1, 33.9, 38.2, 35.8)
    marks = [
        SceneMark(
            f"S2_{k}", "S2", first + dt.timedelta(days=30 * k), k % 2, (35.7, 35.1, 36.9, 36.1)
        )
        for k in range(50)
    ] + [
        SceneMark(f"S1_{k}", "S1", first + dt.timedelta(days=12 * k), None, radar)
        for k in range(130)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = render_site(site, scenes=marks)
    rgb = mpimg.imread(io.BytesIO(png), format="png")[..., :3]
    red = np.linalg.norm(rgb - np.array(mcolors.to_rgb("#d62728"), np.float32), axis=-1) < 0.1
    blue = np.linalg.norm(rgb - np.array(mcolors.to_rgb("#1f77b4"), np.float32), axis=-1) < 0.1
    # in the date panel (the right third), every radar mark lies above every optical one
    third = rgb.shape[1] * 2 // 3
    red_rows = np.nonzero(red[:, third:].any(axis=1))[0]
    blue_rows = np.nonzero(blue[:, third:].any(axis=1))[0]
    assert red_rows.size and blue_rows.size
    legend_top = blue_rows.max() - 40  # the legend's markers sit under the panel
    plotted_blue = blue_rows[blue_rows < legend_top]
    top_red, top_blue = red_rows[red_rows < legend_top].max(), plotted_blue.min()
    assert top_red < top_blue
    # and an axes frame (a dark line across the panel) parts them: a panel of its own
    dark = (rgb[top_red:top_blue, third:] < 0.3).all(axis=-1)
    assert (dark.sum(axis=1) > 0.25 * dark.shape[1]).any()


def test_a_pixel_is_described_by_both_sides_where_they_differ() -> None:
    from basewatch.outputs.render import _pixel_text

    assert _pixel_text((10.0, 10.1)) == "10.1 m"
    assert _pixel_text((9.15, 10.97)) == "9.2 m east × 11.0 m north"


def test_the_series_chart_keeps_a_long_title_inside_the_picture(tmp_path: Path) -> None:
    """The Beirut airport's title ran off the chart's right edge; it wraps now."""
    from click.testing import CliRunner

    from basewatch.cli import main

    imagery = Path(__file__).resolve().parents[1] / "imagery"
    tifs = [imagery / f"beirut-airport_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    args = ["-q", "timeline", "--site", "beirut-airport", *map(str, tifs), "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rgb = mpimg.imread(tmp_path / "counts.png", format="png")[..., :3]
    dark = (rgb < 0.5).all(axis=-1)
    assert dark[: rgb.shape[0] // 10].any()  # the title is drawn
    assert not dark[:, -10:].any()


@pytest.mark.parametrize("name", ["hmeimim", "tartus"])
def test_site_map_keeps_its_zone_list_inside_the_picture(name: str) -> None:
    """The zone list beside the map is not cut at the picture's right edge (Hmeimim's
    movement area and Tartus's approaches ran off an 11-inch figure)."""
    rgb = mpimg.imread(io.BytesIO(render_site(bw.load_site(name))), format="png")[..., :3]
    dark = (rgb < 0.5).all(axis=-1)
    # text reaches the right half of the picture, and a white margin is left after it
    assert dark[:, rgb.shape[1] // 2 :].any()
    assert not dark[:, -10:].any()


def test_the_change_panel_counts_what_it_draws() -> None:
    """The change panel's title counts the aircraft and vessel events and, apart, the
    grey boxes of other changes drawn beside them (the demo's airport draws 1 and 9:
    it said "1 object event" under ten boxes)."""
    from basewatch.outputs.render import _change_caption

    title = _change_caption("cva", 0.09171, objects=1, other=3, changed_px=8084)
    assert title == (
        "change (cva, threshold 0.0917)\n1 object event, 3 other changes, 8084 changed px"
    )
    assert _change_caption("cva", 0.1, objects=2, other=0, changed_px=5).endswith(
        "\n2 object events, 5 changed px"
    )
    assert "1 other change," in _change_caption("cva", 0.1, objects=0, other=1, changed_px=5)


# ---------------------------------------------------------------------------------------
# panels drawn from rasters reduced by blocks (tile-sized runs)


def test_blocks_average_each_block_and_mark_any_set_pixel() -> None:
    from basewatch.outputs.render import _blocks

    grey = np.arange(36, dtype=np.float32).reshape(6, 6)
    grey[0, 0] = np.nan
    reduced = _blocks(grey, 3)
    # the top-left block's mean leaves its NaN out; the others are plain means
    assert reduced[0, 0] == pytest.approx(np.mean([1, 2, 6, 7, 8, 12, 13, 14]))
    assert reduced[1, 1] == pytest.approx(grey[3:, 3:].mean())
    mask = np.zeros((7, 7), dtype=bool)
    mask[4, 1] = True
    assert _blocks(mask, 3, any_=True).tolist() == [[False, False], [True, False]]
    rgb = np.full((4, 4, 3), 200, dtype=np.uint8)
    rgb[:2, :2] = 101
    out = _blocks(rgb, 2)
    assert out.dtype == np.uint8 and out[0, 0].tolist() == [101] * 3 and out[1, 1, 0] == 200


def test_a_panel_smaller_than_its_raster_shows_the_raster_in_place() -> None:
    from basewatch.outputs.render import _reduction

    pic = picture_of(_pair("beirut-airport"))
    dpi = 10  # 303 px across a panel of about 48 PNG pixels: drawn from 3 x 3 blocks
    layout = layout_pair(pic, dpi=dpi)
    panel = layout.panels["before"]
    rows, cols = pic.grid.shape
    assert _reduction((rows, cols), (panel.height, panel.width)) > 1
    png = mpimg.imread(io.BytesIO(layout.png), format="png")[..., :3].mean(axis=-1)
    # the scene averaged over the raster pixels each PNG pixel of the panel covers
    grey = pic.before_rgb.mean(axis=-1) / 255.0
    ys, xs = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    at = np.array(
        [panel.pixel(r, c, (rows, cols)) for r, c in zip(ys.ravel(), xs.ravel(), strict=True)]
    )
    y0, x0 = at.min(axis=0)
    shape = tuple(at.max(axis=0) - (y0, x0) + 1)
    total, count = np.zeros(shape), np.zeros(shape)
    np.add.at(total, (at[:, 0] - y0, at[:, 1] - x0), grey.ravel())
    np.add.at(count, (at[:, 0] - y0, at[:, 1] - x0), 1)
    expected = total / count
    shown = png[y0 : y0 + shape[0], x0 : x0 + shape[1]]
    inner = (slice(2, -2), slice(2, -2))  # the frame and ticks at the panel's edge
    same = np.corrcoef(expected[inner].ravel(), shown[inner].ravel())[0, 1]
    # a raster placed a few PNG pixels off (an extent wrong by a block or more) does not
    # match: the correlation with the scene moved by 3 PNG pixels (about 19 raster pixels)
    moved = np.corrcoef(np.roll(expected, 3, axis=1)[inner].ravel(), shown[inner].ravel())[0, 1]
    assert same > 0.9, same
    assert moved < same - 0.2, (same, moved)


def test_pictures_are_savefigs_pixels_as_rgb() -> None:
    """``_png`` writes the pixels ``savefig`` draws, without the alpha channel every
    figure here leaves opaque, at :data:`PNG_COMPRESS_LEVEL`."""
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    from basewatch.outputs.render import DPI, PNG_COMPRESS_LEVEL, _png

    assert 0 <= PNG_COMPRESS_LEVEL <= 9
    fig = Figure(figsize=(4.0, 3.0), dpi=DPI, facecolor="white")
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.imshow(np.arange(64, dtype=float).reshape(8, 8), interpolation="nearest")
    ax.set_title("a title, with glyphs to draw")
    ours = Image.open(io.BytesIO(_png(fig, DPI)))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    theirs = Image.open(buf)
    assert ours.mode == "RGB" and theirs.mode == "RGBA"
    assert ours.size == theirs.size == (440, 330)
    rgba = np.asarray(theirs)
    assert (rgba[..., 3] == 255).all()
    assert np.array_equal(np.asarray(ours), rgba[..., :3])


def test_a_picture_keys_claims_by_their_number_in_the_tables() -> None:
    """The key drawn by a detection is the end of the claim's id (``#2``), as the
    corroboration's tables list it; led by the report where claims of several show."""
    from types import SimpleNamespace
    from typing import cast

    from basewatch.outputs.render import _claim_keys

    one = {"d1": ("+ 2 x ship arriving [8185de7c2f6bf2dc#2]",)}
    dets = [cast(bw.Detection, SimpleNamespace(id="d1"))]  # keys read a detection's id only
    assert list(_claim_keys(dets, one).values()) == ["#2"]
    two = {"d1": ("+ a [8185de7c2f6bf2dc#2]", "- b [aa11bb22cc33dd44#1]")}
    assert list(_claim_keys(dets, two).values()) == ["8185de#2", "aa11bb#1"]


@pytest.mark.parametrize("words", [12, 160])
def test_the_vessel_pictures_caption_ends_above_its_map(words: int) -> None:
    # a caption of four lines ran into the map (the model for images without B11 says
    # more of itself than the other): the map now starts under the caption's last line
    from basewatch.outputs.render import DPI, render_vessels

    site = bw.load_site("beirut-port")
    scene, _ = bw.read_local_pair(site, *bw.sample_pair("beirut-port"))
    caption = " ".join(["held-out figures"] * (words // 2))
    png = render_vessels(scene, outlines_px=np.zeros((0, 5, 2)), title="t", caption=caption)
    rgb = mpimg.imread(io.BytesIO(png), format="png")[..., :3]
    ink = (rgb < 0.9).any(axis=-1)  # anything drawn, text or picture
    left = int(0.85 * DPI) + 10
    right = left + int(0.5 * DPI)
    # the map's first row: a row drawn across a half-inch of its width
    map_top = int(np.argmax(ink[:, left:right].all(axis=1)))
    assert map_top > int(0.62 * DPI)
    text_rows = np.flatnonzero(ink[:map_top].any(axis=1))
    # a clear strip of at least 0.05 inch between the caption's last line and the map
    assert len(text_rows) and text_rows.max() < map_top - 0.05 * DPI, (text_rows.max(), map_top)
