"""The HTML report of a run and of a timeline: one self-contained file, read back, and
rendered by headless Chromium (Debian's ``chromium``) into a screenshot that is checked.

Real data: the bundled Beirut pairs. Outside CI a missing Chromium skips the screenshot
test with the reason; under ``CI=true`` it fails (``python3 tasks.py test`` installs it).
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

import basewatch as bw
from basewatch.outputs.html import (
    LONLAT_DECIMALS,
    MISSING,
    TABLE_DIGITS,
    display_text,
    html_page,
    image_section,
    table_section,
)
from basewatch.outputs.run import write_run, write_timeline

#: Seconds Chromium may take to draw a page.
CHROMIUM_TIMEOUT_S = 120


class _Refs(HTMLParser):
    """Every URL a page refers to (src, href) and the text of its table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v]
        self._in_cell = tag == "td"

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells.append(data)


class _Tables(HTMLParser):
    """Every table of a page as rows of cell texts (header row first, blank cells
    kept), and the terms and values of its definition lists."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.terms: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._term = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in {"td", "th", "dt", "dd"}:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._cell is None:
            return
        text = "".join(self._cell)
        if tag in {"td", "th"}:
            self.tables[-1][-1].append(text)
        elif tag == "dt":
            self._term = text
        elif tag == "dd":
            self.terms[self._term] = text
        self._cell = None

    def table(self, first_header: str, header: str) -> list[dict[str, str]]:
        """The rows of the table whose headers include both, as dicts by header."""
        for rows in self.tables:
            if {first_header, header} <= set(rows[0]):
                return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
        raise AssertionError(f"no table with {first_header!r} and {header!r}")


#: A decimal number standing on its own in a cell (not part of an id, path or date).
_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.])")


def _significant_digits(number: str) -> int:
    return len(number.lstrip("-").replace(".", "").lstrip("0"))


@pytest.fixture(scope="module")
def port_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[bw.PairResult, Path]:
    site = bw.load_site("beirut-port")
    result = bw.detect_pair(site, *bw.read_local_pair(site, *bw.sample_pair("beirut-port")))
    paths = write_run(result, tmp_path_factory.mktemp("port"), cog=False, gpkg=False)
    return result, paths["html"]


def test_the_run_report_is_self_contained_and_lists_every_detection(
    port_run: tuple[bw.PairResult, Path],
) -> None:
    result, path = port_run
    page = path.read_text(encoding="utf-8")
    refs = _Refs()
    refs.feed(page)
    assert refs.urls, "the picture"
    assert all(u.startswith("data:image/png;base64,") for u in refs.urls), refs.urls
    assert "http://" not in page and "https://" not in page
    png = base64.b64decode(refs.urls[0].split(",", 1)[1])
    assert png == (path.parent / "change.png").read_bytes()
    for d in result.detections:
        assert d.id in refs.cells
    for scene in (result.before, result.after):
        assert scene.id in refs.cells
    assert "threshold" in page and result.site.title in page


def test_the_reports_say_which_counts_are_lower_bounds_and_how_vessels_were_found(
    port_run: tuple[bw.PairResult, Path], tmp_path: Path
) -> None:
    """Each zone's count is marked complete or a lower bound, with what the lower bounds
    miss; the vessel search is described only where water zones were searched."""
    result, path = port_run
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    cells = refs.cells
    coverage = result.zone_coverage()
    # what the report reads without touching pixels is what the record says
    quality = result.count_quality()
    assert quality.keys() == result.zone_counts.keys()
    assert all(coverage[z][k] == v for z, q in quality.items() for k, v in q.items())
    for zone in result.zone_counts:
        i = cells.index(zone)
        assert cells[i + 1] == coverage[zone]["kind"]
        assert cells[i + 4] == coverage[zone]["count"]
    page = path.read_text(encoding="utf-8")
    assert "What the lower bounds miss" in page
    assert "ships moored against a quay outside a berth zone are not found" in page
    # the bundled scenes are Level-1C: the rule's open-water recall on top-of-atmosphere
    # images, and the run's warning that says why
    assert "How vessels were found" in page and "In open water it finds about 23%" in page
    assert "Level-1C (top of the atmosphere)" in page
    # the airport: no water zone, no vessel search told; its counts are lower bounds
    site = bw.load_site("beirut-airport")
    airport = bw.detect_pair(site, *bw.read_local_pair(site, *bw.sample_pair("beirut-airport")))
    other = write_run(airport, tmp_path / "airport", png=False, cog=False, gpkg=False)
    text = other["html"].read_text(encoding="utf-8")
    assert "How vessels were found" not in text
    assert "none of about 310 parked airliners" in text
    # how its aircraft were found, and that an aircraft it counts bears out claims in part
    assert "How aircraft were found" in text and "How aircraft were found" not in page
    assert "Aircraft on each date: the single-date aircraft test" in text
    assert "none of the 6 objects it kept was an aircraft" in text
    assert "its aircraft bear out a claim in part only" in text


def test_the_run_report_reads_as_text_for_people(port_run: tuple[bw.PairResult, Path]) -> None:
    """Headers in words with units, yes/no for booleans, numbers to a few significant
    digits (longitudes and latitudes to 0.1 m), a dash for a missing value: no raw
    field name, ``True``, unrounded float or blank cell."""
    result, path = port_run
    page = _Tables()
    page.feed(path.read_text(encoding="utf-8"))
    detections = page.table("id", "detectable")
    assert list(detections[0]) == [
        "id",
        "class",
        "event",
        "zone",
        "lon",
        "lat",
        "length (m)",
        "width (m)",
        "confidence",
        "detectable",
        "notes",
    ]
    assert [r["id"] for r in detections] == [d.id for d in result.detections]
    assert {r["detectable"] for r in detections} <= {"yes", "no"}
    assert [r["class"] for r in detections] == [d.object_class.value for d in result.detections]
    for row, d in zip(detections, result.detections, strict=True):
        assert row["lon"] == f"{d.lon:.{LONLAT_DECIMALS}f}"
        assert row["notes"] == ("; ".join(d.notes) or MISSING)
    # L1C scenes have no processing baseline nor cloud fraction: a dash, not a blank
    scenes = page.table("date", "processing baseline")
    assert result.before.processing_baseline is None and result.before.cloud_fraction is None
    assert scenes[0]["processing baseline"] == MISSING and scenes[0]["cloud in site"] == MISSING
    cells = [c for rows in page.tables for r in rows for c in r]
    assert "" not in cells and not {"True", "False", "None", "nan"} & set(cells)
    # every number shown, in the tables and the parameters, to a few significant digits
    shown = [
        v
        for rows in page.tables
        for r in rows[1:]
        for h, v in zip(rows[0], r, strict=True)
        if h not in {"lon", "lat"}
    ] + list(page.terms.values())
    for text in shown:
        for number in _DECIMAL.findall(text):
            assert _significant_digits(number) <= TABLE_DIGITS, (number, text)
    gain = result.change.params["gain"]
    assert page.terms["change.gain"] == "; ".join(f"{g:.{TABLE_DIGITS}g}" for g in gain)
    assert page.terms["change.match.same_class"] == "yes"
    assert page.terms["change.vessels.k"] == MISSING  # None in the record
    assert page.terms["change.vessels.max_vessel_area_m2"] == "60000"  # not 6e+04


def test_values_are_shown_rounded_in_words_or_as_a_dash() -> None:
    assert display_text(None) == MISSING and display_text(float("nan")) == MISSING
    assert display_text("") == MISSING and display_text([]) == MISSING
    assert display_text(True) == "yes" and display_text(np.bool_(False)) == "no"
    # integers and ids as they are, however long
    assert display_text(123456789) == "123456789" and display_text(np.int64(7)) == "7"
    assert display_text("S2A_MSIL2A_20150820T082006") == "S2A_MSIL2A_20150820T082006"
    assert display_text(1.2463619709014893) == "1.246"
    assert display_text(-0.018838554620742798) == "-0.01884"
    assert display_text(np.float32(0.1)) == "0.1"
    assert display_text(2.549588680267334e-05) == "2.55e-05"
    assert display_text([1.2463619709014893, 0.5]) == "1.246; 0.5"
    assert display_text(35.52345123, "lon") == "35.523451"


def test_the_timeline_report_embeds_its_chart(tmp_path: Path) -> None:
    site = bw.load_site("beirut-airport")
    series = bw.observe_dates(site, bw.read_local_series(site, bw.sample_pair("beirut-airport")))
    paths = write_timeline(series, tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    found = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert [base64.b64decode(f) for f in found] == [paths["png"].read_bytes()]
    for zone in series.zone_counts:
        assert zone in page
    tables = _Tables()
    tables.feed(page)
    tracks = tables.table("track", "detectable")
    assert "class" in tracks[0] and "length (m)" in tracks[0] and "object_class" not in tracks[0]
    assert {r["detectable"] for r in tracks} <= {"yes", "no"}
    # the timeline's record says how its aircraft were found, and the report tells it
    assert series.parameters["aircraft"]["precision"] is None
    assert "How aircraft were found" in page and "How vessels were found" not in page
    assert "none of the 6 objects it kept was an aircraft" in page
    # what a track's confidence is, beside a pair run's
    assert "What the confidence is" in page and "not comparable" in page


def test_sections_escape_their_text() -> None:
    page = html_page(
        "<b>title</b>",
        [
            table_section("t", [{"a": "<script>x</script>"}], ("a",)),
            image_section("i", b"\x89PNG", alt='"quoted"'),
        ],
    )
    assert "<script>x" not in page and "&lt;script&gt;" in page
    assert "<b>title" not in page and 'alt="&quot;quoted&quot;"' in page


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        reason = (
            "headless Chromium not installed (Debian package chromium; tasks.py test installs it)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return exe


def test_chromium_renders_the_report_offline(
    port_run: tuple[bw.PairResult, Path], tmp_path: Path
) -> None:
    exe = _chromium()
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1400,1800",
            f"--screenshot={shot}",
            port_run[1].as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=CHROMIUM_TIMEOUT_S,
    )
    rgb = mpimg.imread(io.BytesIO(shot.read_bytes()), format="png")[..., :3]
    assert rgb.shape[:2] == (1800, 1400)
    # the embedded picture drew: a block of dark sea and imagery, not a blank page
    dark = (rgb.mean(axis=-1) < 0.35).mean()
    assert dark > 0.05, dark
    # and the picture is the run's: its legend's dark box colour is on screen
    legend = np.array([0x26, 0x26, 0x26]) / 255
    assert (np.abs(rgb - legend).max(axis=-1) < 0.03).sum() > 1000


def test_a_report_without_a_picture_does_not_import_matplotlib(tmp_path: Path) -> None:
    """``basewatch detect --no-png`` writes the report without a picture: drawing
    libraries stay unimported (0.8 s of every such run)."""
    import sys

    from basewatch._paths import bundled_dir
    from basewatch.sample import SAMPLE

    before, after = (str(bundled_dir("imagery") / f) for f in SAMPLE["beirut-port"])
    args = ["detect", "--site", "beirut-port", "--before", before, "--after", after]
    args += ["--out", str(tmp_path / "out"), "--no-png"]
    script = (
        "import sys\n"
        "from basewatch.cli.main import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert res.stdout.strip().splitlines()[-1] == "[]", res.stdout + res.stderr
    assert (tmp_path / "out" / "report.html").is_file()
    assert not (tmp_path / "out" / "change.png").exists()
