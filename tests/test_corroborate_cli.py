"""``basewatch corroborate`` end to end: reports + run folders -> tables and labels."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from basewatch._words import plural
from basewatch.cli import main
from basewatch.corroborate.link import ACTION_EVENTS
from basewatch.records import Detection, Event, ObjectClass, to_jsonable

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "tests" / "data" / "reports"
BEFORE, AFTER = dt.date(2015, 8, 20), dt.date(2017, 10, 3)


def _invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _detection(i: int, **kw: Any) -> Detection:
    base: dict[str, Any] = {
        "id": f"beirut-airport-{i:04d}",
        "site": "beirut-airport",
        "zone": "Terminal apron",
        "zone_kind": "apron",
        "object_class": ObjectClass.AIRCRAFT,
        "event": Event.DISAPPEARED,
        "lon": 35.4954 + i * 1e-4,
        "lat": 33.8247,
        "footprint": ((35.4952, 33.8249), (35.4956, 33.8249), (35.4956, 33.8244)),
        "bbox_px": (102, 205 + i, 107, 209 + i),
        "area_px": 9,
        "area_m2": 905.1,
        "length_m": 52.3,
        "width_m": 19.8,
        "orientation_deg": 146.7,
        "mean_change": 0.28,
        "contrast": 7.45,
        "confidence": 0.9,
        "detectable": True,
        "before": "S2A_OPER_MSI_L1C_TL_EPA__20160929T004310_A000833_T36SYC",
        "after": "T36SYC_20171003T081739",
        "before_date": BEFORE,
        "after_date": AFTER,
    }
    base.update(kw)
    return Detection(**base)


def _write_run(
    folder: Path,
    site: str,
    dets: list[Detection],
    scenes: list[dict[str, Any]],
    warnings: tuple[str, ...] = (),
) -> Path:
    """A run folder in the layout the pipeline writes (detections.geojson, run.json)."""
    folder.mkdir(parents=True)
    features = []
    for d in dets:
        props = to_jsonable(d)
        ring = [list(p) for p in props.pop("footprint")]
        features.append(
            {
                "type": "Feature",
                "id": d.id,
                "properties": props,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    (folder / "detections.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    record = {
        "site": site,
        "started": "2026-01-01T00:00:00+00:00",
        "finished": "2026-01-01T00:00:01+00:00",
        "basewatch_version": "0.1.0",
        "scenes": scenes,
        "parameters": {},
        "outputs": {"geojson": "detections.geojson"},
        "counts": {f"{d.object_class.value}:{d.event.value}": 1 for d in dets},
        "evidence": [],
        "warnings": list(warnings),
    }
    (folder / "run.json").write_text(json.dumps(record))
    return folder


BEIRUT_SCENES = [
    {
        "id": "S2A_OPER_MSI_L1C_TL_EPA__20160929T004310_A000833_T36SYC",
        "sensor": "S2",
        "datetime": "2015-08-20T00:00:00+00:00",
        "cloud_fraction": None,
        "grid": {
            "crs": "EPSG:4326",
            "transform": [9.8986e-05, 0.0, 35.47497, 0.0, -9.8938e-05, 33.83504],
        },
    },
    {
        "id": "T36SYC_20171003T081739",
        "sensor": "S2",
        "datetime": "2017-10-03T08:17:39+00:00",
        "cloud_fraction": None,
        "grid": {
            "crs": "EPSG:4326",
            "transform": [9.8986e-05, 0.0, 35.47497, 0.0, -9.8938e-05, 33.83504],
        },
    },
]


def test_corroborate_builds_tables_and_labels(tmp_path: Path, shared: Path) -> None:
    runs = tmp_path / "runs"
    dets = [
        _detection(0),
        _detection(1, confidence=0.5),
        _detection(2, event=Event.APPEARED, confidence=0.6),
    ]
    _write_run(runs / "beirut-airport", "beirut-airport", dets, BEIRUT_SCENES)
    _write_run(
        runs / "hmeimim",
        "hmeimim",
        [],
        [],
        warnings=("no Sentinel-2 pixels of Hmeimim are reachable offline",),
    )
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("beirut_claims.md", "paraphrase_of_002.txt"):
        shutil.copy(REPORTS / name, reports / name)
    (reports / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    code, stdout, stderr = _invoke(
        "corroborate",
        "--reports",
        reports,
        "--reports",
        shared / "seeds",
        "--run",
        runs,
        "--out",
        out,
    )
    assert code == 0, stderr
    assert "broken.txt" in stderr and "binary" in stderr  # skipped with a warning
    assert "-> " in stdout
    doc = json.loads((out / "corroboration.json").read_text())
    assert not list(out.glob(".*.part"))
    claims = {c["id"]: (c, r) for r in doc["reports"] for c in r["claims"]}
    verdicts = {v["claim_id"]: v for v in doc["verdicts"]}
    assert set(claims) == set(verdicts)
    # Hmeimim / Tartus: no imagery offline -> no coverage with the reason, never support
    syrian = [cid for cid, (c, _) in claims.items() if c["site"] in ("hmeimim", "tartus")]
    assert len(syrian) >= 10
    for cid in syrian:
        v = verdicts[cid]
        assert v["verdict"] == "no coverage" and not v["links"]
        site = claims[cid][0]["site"]
        if site == "hmeimim":
            assert "reachable offline" in v["reason"]
        else:
            assert "no run covers tartus" in v["reason"]
    # Beirut: the airliner claim is borne out by the disappeared aircraft only, as far
    # as 10 m imagery can (aircraft of airliner size, not their type)
    (airliner,) = [cid for cid, (c, _) in claims.items() if c["equipment"] == "airliner"]
    v = verdicts[airliner]
    assert v["verdict"] == "partly supports" and "not their type" in v["reason"]
    assert {k["detection_id"] for k in v["links"]} == {dets[0].id, dets[1].id}
    (ka52,) = [
        cid
        for cid, (c, _) in claims.items()
        if c["equipment"] == "ka-52" and c["site"] == "beirut-airport"
    ]
    assert verdicts[ka52]["verdict"] == "cannot resolve"
    # the paraphrase is one story with its source
    groups = [g["report_ids"] for g in doc["groups"]]
    assert any(len(g) == 2 for g in groups) and len(groups) == 4
    # CSV and Markdown carry the same rows
    with (out / "corroboration.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(verdicts)
    assert {r["verdict"] for r in rows} <= {
        "supports",
        "partly supports",
        "contradicts",
        "no coverage",
        "cannot resolve",
    }
    md = (out / "corroboration.md").read_text()
    assert md.count("\n| ") == len(verdicts) + 2  # header, rule, one line per claim
    # each claim with the estimated chance it is read right, before its evidence
    assert "read right" in md
    assert all(f"| {float(r['confidence']):.2f} | “" in md for r in rows)
    assert "retold by" in md
    labels = json.loads((out / "labels.json").read_text())
    assert set(labels) == {dets[0].id, dets[1].id}
    assert doc["detections"][dets[0].id] == [
        {"claim_id": airliner, "relation": "supports", "score": v["links"][0]["score"]}
    ]
    assert all(lab.startswith("+ ") for labs in labels.values() for lab in labs)


def _matches(feature: dict[str, Any], claim: dict[str, Any], events: tuple[Event, ...]) -> bool:
    p = feature["properties"]
    return (
        p["site"] == claim["site"]
        and p["object_class"] in claim["object_classes"]
        and Event(p["event"]) in events
        and p["detectable"]
    )


def test_corroborate_on_the_demo_runs(tmp_path: Path) -> None:
    code, _, err = _invoke("demo", "--out", tmp_path / "demo")
    assert code == 0, err
    out = tmp_path / "out"
    code, _, err = _invoke(
        "corroborate",
        "--reports",
        REPORTS / "beirut_claims.md",
        "--run",
        tmp_path / "demo",
        "--out",
        out,
    )
    assert code == 0, err
    doc = json.loads((out / "corroboration.json").read_text())
    features = {
        f["id"]: f
        for site in ("beirut-airport", "beirut-port")
        for f in json.loads((tmp_path / "demo" / site / "detections.geojson").read_text())[
            "features"
        ]
    }
    claims = {c["id"]: c for r in doc["reports"] for c in r["claims"]}
    assert len(claims) == 6
    seen = set()
    for v in doc["verdicts"]:
        claim = claims[v["claim_id"]]
        primary, secondary, _ = ACTION_EVENTS[claim["action"]]
        seen.add(v["verdict"])
        if claim["equipment"] == "ka-52":
            assert v["verdict"] == "cannot resolve"
        if v["verdict"] in ("supports", "partly supports"):
            assert v["links"]
            for link in v["links"]:
                assert _matches(features[link["detection_id"]], claim, primary + secondary)
        if v["verdict"] == "contradicts":
            # the imagery really has no such event at that site for that class
            zone = claim["zone_kind"]
            assert not [
                f
                for f in features.values()
                if _matches(f, claim, primary + secondary)
                and (zone is None or f["properties"]["zone_kind"] in (zone, None))
            ]
    assert "partly supports" in seen  # two airliners claimed, one seen leaving
    assert "cannot resolve" in seen
    assert "contradicts" not in seen  # images two years apart: every move may be unseen
    labels = json.loads((out / "labels.json").read_text())
    assert labels and set(labels) <= set(features)


def test_bad_inputs_give_one_line_errors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    not_a_run = tmp_path / "empty"
    not_a_run.mkdir()
    code, _, err = _invoke(
        "corroborate", "--reports", REPORTS / "beirut_claims.md", "--run", not_a_run, "--out", out
    )
    assert code == 2 and err.startswith("error: ") and "run.json" in err
    broken = _write_run(tmp_path / "broken", "beirut-airport", [_detection(0)], BEIRUT_SCENES)
    (broken / "detections.geojson").write_text('{"type": "FeatureCollection", "features": [')
    code, _, err = _invoke(
        "corroborate", "--reports", REPORTS / "beirut_claims.md", "--run", broken, "--out", out
    )
    assert code == 2 and "not valid JSON" in err
    bad_feature = _write_run(tmp_path / "badfeat", "beirut-airport", [_detection(0)], BEIRUT_SCENES)
    gj = json.loads((bad_feature / "detections.geojson").read_text())
    del gj["features"][0]["properties"]["before_date"]
    (bad_feature / "detections.geojson").write_text(json.dumps(gj))
    code, _, err = _invoke(
        "corroborate", "--reports", REPORTS / "beirut_claims.md", "--run", bad_feature, "--out", out
    )
    assert code == 2 and "feature 0" in err and "before_date" in err
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_bytes(b"")
    (junk / "b.html").write_bytes(b"\x00" * 64)
    code, _, err = _invoke("corroborate", "--reports", junk, "--out", out)
    assert code == 2 and "no readable report" in err
    code, _, err = _invoke(
        "corroborate",
        "--reports",
        REPORTS / "beirut_claims.md",
        "--published",
        "yesterday-ish",
        "--out",
        out,
    )
    assert code == 2 and "not a date" in err
    # a folder of reports with a wrong date: the date is named, not every file skipped
    code, _, err = _invoke(
        "corroborate", "--reports", REPORTS, "--published", "05/10/2017", "--out", out
    )
    assert code == 2 and "'05/10/2017' is not a date (use YYYY-MM-DD)" in err, err
    assert "no readable report" not in err
    assert not out.exists() or not any(out.iterdir())  # failed runs wrote nothing


def test_without_runs_every_claim_is_no_coverage(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = _invoke(
        "corroborate", "--reports", REPORTS / "unseen_bulletin.md", "--out", out
    )
    assert code == 0, err
    doc = json.loads((out / "corroboration.json").read_text())
    assert doc["verdicts"] and {v["verdict"] for v in doc["verdicts"]} == {"no coverage"}
    assert "no coverage:" in stdout


def test_catalogue_facts_in_no_coverage_reasons(tmp_path: Path, shared_data: Path) -> None:
    sites = shared_data / "sites"
    out = tmp_path / "out"
    code, _, err = _invoke(
        "corroborate",
        "--reports",
        shared_data.parent / "seeds",
        "--out",
        out,
        "--catalog",
        sites / "s2_l2a_scene_catalog_latakia.json",
        "--catalog",
        sites / "s1_rtc_scene_catalog_latakia.json",
    )
    assert code == 0, err
    doc = json.loads((out / "corroboration.json").read_text())
    claims = {c["id"]: c for r in doc["reports"] for c in r["claims"]}
    dated = [
        v
        for v in doc["verdicts"]
        if claims[v["claim_id"]]["site"] == "hmeimim"
        and claims[v["claim_id"]]["date_from"] == "2024-12-13"
    ]
    assert dated
    for v in dated:
        assert v["verdict"] == "no coverage"
        # the real S2 L2A scenes of 2024-11-30 and 2024-12-15 over Hmeimim (tile T37SBV)
        assert "S2A_MSIL2A_20241130T082311" in v["reason"]
        assert "S2B_MSIL2A_20241215T082249" in v["reason"]


def test_an_earlier_corroboration_is_replaced_only_when_asked(tmp_path: Path) -> None:
    run = _write_run(
        tmp_path / "runs" / "airport", "beirut-airport", [_detection(0)], BEIRUT_SCENES
    )
    out = tmp_path / "corr"
    args = ["corroborate", "--reports", REPORTS / "beirut_claims.md", "--run", run, "--out", out]
    code, _, err = _invoke(*args)
    assert code == 0, err
    first = (out / "corroboration.json").read_bytes()
    code, _, err = _invoke(*args)
    assert code == 2 and "corroboration.json" in err and "--overwrite" in err
    assert (out / "corroboration.json").read_bytes() == first  # untouched
    # a file of the user's there is never deleted: refused, even with --overwrite
    (out / "my notes.txt").write_text("mine")
    code, _, err = _invoke(*args, "--overwrite")
    assert code == 2 and "my notes.txt" in err and "did not write" in err, err
    assert (out / "my notes.txt").read_text() == "mine"
    (out / "my notes.txt").unlink()
    code, _, err = _invoke(*args, "--overwrite")
    assert code == 0, err
    # the folder was replaced whole: the new tables, nothing left over from before
    assert sorted(p.name for p in out.iterdir()) == [
        ".basewatch-files",
        "corroboration.csv",
        "corroboration.json",
        "corroboration.md",
        "labels.json",
    ]


def test_an_output_folder_holding_what_is_read_is_refused(tmp_path: Path) -> None:
    run = _write_run(
        tmp_path / "runs" / "airport", "beirut-airport", [_detection(0)], BEIRUT_SCENES
    )
    before = sorted(p.name for p in run.iterdir())
    # the run given, the folder above it, and (--run naming the folder of runs) a run
    # folder inside what --run names: each would be replaced by the corroboration
    for given, out in ((run, tmp_path / "runs"), (run, run), (tmp_path / "runs", run)):
        code, _, err = _invoke(
            "corroborate",
            "--reports",
            REPORTS / "beirut_claims.md",
            "--run",
            given,
            "--out",
            out,
            "--overwrite",
        )
        assert code == 2 and "reads" in err and "--out" in err, err
    assert sorted(p.name for p in run.iterdir()) == before


#: Counts written with a placeholder plural instead of the right word.
_PLACEHOLDER_PLURALS = ("(s)", "(y/ies)")


def test_the_verdicts_read_as_text_on_the_demo_runs(tmp_path: Path) -> None:
    """corroboration.md names its claims table's columns apart, counts in words of the
    right number (here and in what the command prints), and says so where no report
    has a claim."""
    code, _, err = _invoke("demo", "--out", tmp_path / "demo")
    assert code == 0, err
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "port.txt").write_text(
        "Beirut, 2018. Two warships arrived at the port of Beirut in 2016.\n"
    )
    (reports / "airport.txt").write_text(
        "Lebanon, 2018. An Il-76 was parked at Beirut airport on 20 August 2015.\n"
    )
    common = ("--run", tmp_path / "demo", "--published", "2018-01-10")
    out = tmp_path / "two"
    code, stdout, err = _invoke("corroborate", "--reports", reports, "--out", out, *common)
    assert code == 0, err
    md = (out / "corroboration.md").read_text()
    assert "2 reports in 2 stories, 2 claims, 15 detections from 2 runs" in stdout
    assert "2 reports, 2 independent stories, 2 claims; runs:" in md
    head = next(line for line in md.splitlines() if line.startswith("| ") and "verdict" in line)
    columns = [c.strip() for c in head.strip("|").split("|")]
    assert columns[:3] == ["id", "report", "claim"] and len(set(columns)) == len(columns)
    # one report of one story
    code, stdout, err = _invoke(
        "corroborate", "--reports", reports / "port.txt", "--out", tmp_path / "one", *common
    )
    assert code == 0, err
    md = (tmp_path / "one" / "corroboration.md").read_text()
    assert "1 report in 1 story, 1 claim, 15 detections from 2 runs" in stdout
    assert "1 report, 1 independent story, 1 claim; runs:" in md
    # a report without claims: no empty verdict list, no empty claims table
    (tmp_path / "empty.txt").write_text("Nothing to see here.\n")
    out = tmp_path / "none"
    code, stdout, err = _invoke(
        "corroborate", "--reports", tmp_path / "empty.txt", "--out", out, *common
    )
    assert code == 0, err
    md = (out / "corroboration.md").read_text()
    assert "Verdicts: none (no claims were found in the reports)." in md
    assert "Verdicts: ." not in md and "| id |" not in md
    assert md.rstrip().endswith("None: no claims were found in the reports.")
    assert "1 report in 1 story, 0 claims" in stdout
    for text in (stdout, md):
        assert not any(p in text for p in _PLACEHOLDER_PLURALS), text


def test_plural_puts_the_noun_in_the_number_of_its_count() -> None:
    assert plural(1, "report") == "1 report" and plural(2, "report") == "2 reports"
    assert plural(0, "claim") == "0 claims"
    assert plural(1, "story", "stories") == "1 story"
    assert plural(3, "story", "stories") == "3 stories"
