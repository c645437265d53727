"""``corroborate --run`` reads timeline folders as well as run folders.

A timeline of the bundled Beirut port pair (real Sentinel-2 L1C, 2015-08-20 and
2017-10-03) and a run of the same pair: the timeline's objects per zone and date and its
tracks' events are evidence for claims of those dates, under the verdict rules of runs
(no support or contradiction from imagery outside a claim's window; counts must agree),
and a pair of scenes held by both folders is one piece of evidence.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from basewatch.aoi import load_site
from basewatch.cli import main
from basewatch.corroborate import check_reports, load_run, run_dirs
from basewatch.corroborate.runs import timeline_evidence
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.imagery.local import read_local_pair, read_local_series
from basewatch.outputs.run import write_run, write_timeline
from basewatch.pipeline import detect_pair, observe_dates
from basewatch.records import Event

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
PORT = [IMAGERY / f"beirut-port_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
FIRST, SECOND = dt.date(2015, 8, 20), dt.date(2017, 10, 3)

#: Claims about the port written for this test (the project's own words).
NOTE = """Port of Beirut, a test note written for basewatch.
Between August 2015 and October 2017 a ship left the harbour basin of the port of Beirut.
On 3 October 2017 two ships were moored at the port of Beirut.
On 3 October 2017 one ship was docked at the berths of the port of Beirut.
In 2014 three ships were anchored at the port of Beirut.
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``out/timeline/port`` (a timeline) and ``out/detect/port`` (a run), one pair."""
    out = tmp_path_factory.mktemp("out")
    site = load_site("beirut-port")
    write_timeline(observe_dates(site, read_local_series(site, PORT)), out / "timeline" / "port")
    write_run(
        detect_pair(site, *read_local_pair(site, *PORT)),
        out / "detect" / "port",
        png=False,
        gpkg=False,
        cog=False,
    )
    return out


@pytest.fixture(scope="module")
def note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "port_note.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


def _verdicts(note: Path, runs: list[Path]) -> dict[str, tuple[str, str, str]]:
    """Claim summary -> (verdict, reason, the folders of the imagery judged on)."""
    result = check_reports([note], runs, published="2017-10-05")
    by_id = {c.id: c for c in result.all_claims}
    return {
        by_id[v.claim_id].summary: (
            v.verdict.value,
            v.reason,
            v.coverage.run if v.coverage is not None else "",
        )
        for v in result.verdicts
    }


def test_every_run_and_timeline_folder_below_a_path_is_found(folders: Path) -> None:
    found = run_dirs(folders)
    assert found == [folders / "detect" / "port", folders / "timeline" / "port"]
    assert [load_run(f).kind for f in found] == ["run", "timeline"]


def test_a_timeline_counts_each_zone_on_each_date_as_its_counts_csv(folders: Path) -> None:
    folder = folders / "timeline" / "port"
    evidence = load_run(folder)
    [cov] = evidence.coverages  # two dates: one pair
    assert (cov.start, cov.end, cov.site) == (FIRST, SECOND, "beirut-port")
    record = json.loads((folder / "timeline.json").read_text())
    assert cov.scenes == tuple(s["id"] for s in record["scenes"])
    # how the timeline found its aircraft, read as a pair run's is
    searched = record["parameters"]["aircraft"]
    assert cov.aircraft_search == f"aircraft found by {searched['search']}, {searched['measured']}"
    assert cov.aircraft_precision is None
    with (folder / "counts.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = {(r["zone"], r["kind"], d): int(r[d]) for r in rows for d in record["dates"]}
    got = {(zc.zone, zc.kind, zc.date.isoformat()): zc.count for zc in cov.zone_counts}
    assert got == expected
    assert sum(got.values()) > 0


def test_track_events_become_detections_of_their_pair_of_scenes(folders: Path) -> None:
    folder = folders / "timeline" / "port"
    record = json.loads((folder / "timeline.json").read_text())
    evidence = load_run(folder)
    want = sorted((t["class"], t["events"][0]) for t in record["tracks"] if t["events"][0])
    got = sorted((d.object_class.value, d.event.value) for d in evidence.detections)
    assert got == want and got
    first, second = (s["id"] for s in record["scenes"])
    scene = record["scenes"][0]["grid"]
    grid = Grid(scene["crs"], tuple(scene["transform"]), scene["width"], scene["height"])
    for d in evidence.detections:
        assert (d.before, d.after, d.before_date, d.after_date) == (first, second, FIRST, SECOND)
        # the pixel box is the pixel under the track's position on the scene's grid
        r0, c0, r1, c1 = d.bbox_px
        lon, lat = grid.pixels_to_lonlat(np.array([r0 + 0.5]), np.array([c0 + 0.5]))
        assert (r1 - r0, c1 - c0) == (1, 1)
        assert (
            abs(float(lon[0]) - d.lon) <= grid.res[0] and abs(float(lat[0]) - d.lat) <= grid.res[1]
        )


def test_a_timeline_supports_and_counts_claims_of_its_dates_only(folders: Path, note: Path) -> None:
    timeline = folders / "timeline" / "port"
    verdicts = _verdicts(note, [timeline])
    left = verdicts["1 x vessel departing at beirut-port (harbour) 2015-08-01..2017-10-31"]
    assert left[0] == "supports" and "vessel disappeared in Harbour basin" in left[1]
    assert left[2] == str(timeline)
    # the timeline counted one vessel at the berths on 2017-10-03, by the rule-based
    # search, right on about 54 % of what it finds on Level-1C scenes (the bundled
    # ones): even one is borne out in part only, two too
    one = verdicts["1 x vessel stationed at beirut-port (berth) on 2017-10-03"]
    two = verdicts["2 x vessel stationed at beirut-port (berth) on 2017-10-03"]
    assert one[0] == "partly supports" and "1 on 2017-10-03" in one[1], one[1]
    assert "right on about 54% of what it finds" in one[1], one[1]
    assert "so about 0.5 of them are likely to be ships" in one[1]
    assert two[0] == "partly supports" and "1 on 2017-10-03" in two[1]
    # 2014 is before the timeline's first date: no evidence either way
    old = verdicts["3 x vessel stationed at beirut-port 2014-01-01..2014-12-31"]
    assert old[0] == "no coverage" and "brackets" in old[1]


def test_a_pair_of_scenes_in_a_run_and_a_timeline_is_one_piece_of_evidence(
    folders: Path, note: Path
) -> None:
    run, timeline = folders / "detect" / "port", folders / "timeline" / "port"
    both = check_reports([note], [folders], published="2017-10-05")
    alone = check_reports([note], [run], published="2017-10-05")
    assert [r.kind for r in both.runs] == ["run", "timeline"]
    # the run's change detections stand for the pair; the timeline's tracks of the same
    # scenes are not counted again, and the coverage is one, naming both folders
    assert both.detections == alone.detections
    [cov] = both.coverages
    assert cov.run == f"{run}, {timeline}"
    assert [v.verdict for v in both.verdicts] == [v.verdict for v in alone.verdicts]


def test_corroborate_names_timeline_folders_and_draws_no_picture_for_them(
    folders: Path, note: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main,
        ["corroborate", "--reports", str(note), "--run", str(folders), "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert f"timeline folder: {folders / 'timeline' / 'port'}" in result.stdout
    assert f"run folder: {folders / 'detect' / 'port'}" in result.stdout
    # the run was written without its picture (png=False): it says so; a timeline draws
    # counts, not a change picture, and is not warned about
    assert f"{folders / 'detect' / 'port'} has no preview.npz" in result.stderr
    assert str(folders / "timeline") not in result.stderr


def _three_dates(record: dict[str, Any]) -> dict[str, Any]:
    """The timeline record with a third date: the second scene again, 90 days later, its
    objects all still there (for the pure reader only)."""
    out = copy.deepcopy(record)
    third = (SECOND + dt.timedelta(days=90)).isoformat()
    scene = {**out["scenes"][1], "id": "third-scene", "date": third}
    out["dates"].append(third)
    out["scenes"].append(scene)
    for per_date in out["zone_counts"].values():
        per_date[third] = per_date[out["dates"][1]]
    for info in out["zone_coverage"].values():
        info["valid_fraction"][third] = 0.1  # hardly seen on the third date
    for track in out["tracks"]:
        last = track["positions"][-1]
        track["positions"].append(None if last is None else {**last, "date": third})
        track["events"].append(None if last is None else "persisted")
    return out


def test_a_series_is_read_pair_of_consecutive_dates_by_pair(folders: Path) -> None:
    record = json.loads((folders / "timeline" / "port" / "timeline.json").read_text())
    detections, coverages = timeline_evidence(_three_dates(record), run="t")
    third = SECOND + dt.timedelta(days=90)
    assert [(c.start, c.end) for c in coverages] == [(FIRST, SECOND), (SECOND, third)]
    assert coverages[1].scenes == (record["scenes"][1]["id"], "third-scene")
    assert {zc.date for zc in coverages[0].zone_counts} == {FIRST, SECOND}
    assert {zc.date for zc in coverages[1].zone_counts} == {SECOND, third}
    # a zone's count is judged where it was seen on both dates: the worse date's fraction
    assert {zc.valid_fraction for zc in coverages[1].zone_counts} == {0.1}
    later = [d for d in detections if d.after == "third-scene"]
    assert later and all(d.event is Event.PERSISTED and d.before_date == SECOND for d in later)


def test_a_broken_timeline_record_is_refused_naming_the_field(folders: Path) -> None:
    record = json.loads((folders / "timeline" / "port" / "timeline.json").read_text())
    bad = copy.deepcopy(record)
    bad["dates"] = bad["dates"][:1]
    with pytest.raises(InputError, match="'dates' and 'scenes'"):
        timeline_evidence(bad, run="t")
    bad = copy.deepcopy(record)
    next(iter(bad["zone_counts"].values()))[bad["dates"][0]] = -1
    with pytest.raises(InputError, match="is not a count"):
        timeline_evidence(bad, run="t")
    bad = copy.deepcopy(record)
    bad["tracks"][0]["events"] = []
    with pytest.raises(InputError, match="one event per pair of dates"):
        timeline_evidence(bad, run="t")
