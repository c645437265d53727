"""``check_reports``: the whole of ``basewatch corroborate`` as one library call."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from basewatch.cli import main
from basewatch.corroborate.check import Corroboration, check_reports
from basewatch.corroborate.link import LinkParams, Verdict
from basewatch.outputs.corroboration import CSV_COLUMNS, write_claim_pictures, write_corroboration
from basewatch.records import Event

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "tests" / "data" / "reports"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled real Beirut pair (2015-08-20 vs 2017-10-03), run by ``basewatch demo``."""
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def beirut(demo: Path) -> Corroboration:
    return check_reports(REPORTS / "beirut_claims.md", demo)


def test_beirut_claims_get_the_verdicts_the_imagery_gives(beirut: Corroboration) -> None:
    assert len(beirut.reports) == 1 and len(beirut.groups) == 1
    assert [run.path.name for run in beirut.runs] == ["beirut-airport", "beirut-port"]
    assert len(beirut.verdicts) == 6
    # by equipment: the last of the two claims of vessels is the tankers'
    verdicts = {c.equipment: v for c, v in zip(beirut.all_claims, beirut.verdicts, strict=True)}
    # two airliners left the terminal apron, one disappeared aircraft seen: graded
    airliner = verdicts["airliner"]
    assert airliner.verdict is Verdict.PARTLY_SUPPORTS
    assert "1 seen of the 2 claimed" in airliner.reason
    assert airliner.links and {k.event for k in airliner.links} == {Event.DISAPPEARED}
    assert "aircraft disappeared in Terminal apron" in airliner.reason
    # frigates offshore in September 2017: no image of that month
    frigate = verdicts["frigate"]
    assert frigate.verdict is Verdict.NO_COVERAGE
    assert "no image inside the claimed dates 2017-09-01 to 2017-09-30" in frigate.reason
    # a Ka-52 is below two 10 m cells
    assert verdicts["ka-52"].verdict is Verdict.CANNOT_RESOLVE
    # two warships left in 2016, three tankers arrived five days before the later
    # image: no ship disappeared or appeared off the port, but on these Level-1C scenes
    # the vessel search finds under a quarter of the ships in open water, so none seen
    # is no evidence against either claim
    warship, tankers = verdicts["warship"], verdicts["vessel"]
    assert warship.verdict is Verdict.CANNOT_RESOLVE, warship.reason
    assert "shows no disappeared or moved vessel at beirut-port (approach)" in warship.reason
    assert "missing 2 on that date is a 59% chance" in warship.reason
    assert tankers.verdict is Verdict.CANNOT_RESOLVE, tankers.reason
    assert "shows no appeared or moved vessel at beirut-port (approach)" in tankers.reason
    assert "missing 3 on that date is a 46% chance" in tankers.reason
    assert beirut.tally() == {
        "cannot resolve": 3,
        "no coverage": 1,
        "partly supports": 2,
    }
    assert beirut.warnings == ()  # the report dates itself (front matter)
    # labels name only detections of the runs, and the claims they support
    ids = {d.id for d in beirut.detections}
    assert beirut.labels and set(beirut.labels) <= ids
    assert {k.detection_id for k in airliner.links} <= set(beirut.labels)


def test_seed_reports_have_no_coverage_from_the_beirut_runs(shared: Path, demo: Path) -> None:
    result = check_reports(shared / "seeds", [demo])
    assert len(result.reports) == 3 and len(result.groups) == 3
    asserted = [c for c in result.all_claims if c.modality != "denied"]
    assert len(result.verdicts) == len(result.all_claims) and len(asserted) == 21
    assert result.tally() == {"no coverage": len(result.all_claims)}
    for claim, v in zip(result.all_claims, result.verdicts, strict=True):
        assert v.claim_id == claim.id and not v.links
        if claim.site in ("hmeimim", "tartus"):
            assert v.reason.startswith(f"no run covers {claim.site}")
            assert v.coverage is None
        else:
            assert "is not a site basewatch watches" in v.reason
    # the bundled metadata table dates the seeds; without it their dates are unknown
    assert all(r.published is not None for r in result.reports)
    bare = check_reports(shared / "seeds", metadata={})
    assert bare.warnings and "no publication date for" in bare.warnings[-1]


def test_the_command_writes_what_the_library_returns(tmp_path: Path, demo: Path) -> None:
    out = tmp_path / "out"
    code = CliRunner().invoke(
        main, ["corroborate", "--reports", str(REPORTS), "--run", str(demo), "--out", str(out)]
    )
    assert code.exit_code == 0, code.stderr
    result = check_reports(REPORTS, demo)
    with (out / "corroboration.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    # text a spreadsheet would run as a formula gets a leading ' in the CSV only
    formula = ("=", "+", "-", "@", "\t", "\r")
    expected = [
        {k: ("'" if str(r[k]).startswith(formula) else "") + str(r[k]) for k in CSV_COLUMNS}
        for r in result.to_records()
    ]
    assert rows == expected
    assert any(row["evidence"].startswith("'-") for row in rows)  # the case is in the data
    # warnings are returned, and printed by the command only
    assert any("no publication date" in w for w in result.warnings)
    assert all(f"warning: {w}" in code.stderr for w in result.warnings)
    doc = json.loads((out / "corroboration.json").read_text())
    assert doc["params"] == dataclasses.asdict(result.params)
    assert doc["warnings"] == list(result.warnings)


def test_library_prints_nothing_and_writes_the_files(
    tmp_path: Path, demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.md").write_text((REPORTS / "beirut_claims.md").read_text())
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    result = check_reports(folder, demo, params=LinkParams(max_cloud=0.2))
    assert capsys.readouterr() == ("", "")
    assert any("broken.txt" in w for w in result.warnings)
    assert result.params.max_cloud == 0.2
    paths = write_corroboration(result, tmp_path / "out")
    assert {p.name for p in paths.values()} == {
        "corroboration.md",
        "corroboration.csv",
        "corroboration.json",
        "labels.json",
    }
    assert all(p.is_file() for p in paths.values())
    pictures = write_claim_pictures(result, tmp_path / "out")
    assert set(pictures) == {run.path for run in result.runs}
    assert all(p is not None and p.is_file() for p in pictures.values())
    (demo / "beirut-port" / "preview.npz").rename(tmp_path / "preview.npz")
    try:
        again = check_reports(folder, demo)
        missing = write_claim_pictures(again, tmp_path / "out2")
    finally:
        (tmp_path / "preview.npz").rename(demo / "beirut-port" / "preview.npz")
    assert missing[demo / "beirut-port"] is None
    assert capsys.readouterr() == ("", "")


def test_records_are_plain_json_one_per_verdict(beirut: Corroboration) -> None:
    rows = beirut.to_records()
    assert len(rows) == len(beirut.verdicts)
    assert json.loads(json.dumps(rows)) == rows
    airliner = next(r for r in rows if r["equipment"] == "airliner")
    assert airliner["verdict"] == "partly supports" and airliner["site"] == "beirut-airport"
    assert airliner["detections"].split() == [k.detection_id for k in beirut.verdicts[0].links]
    assert all(r["date_from"] is None or isinstance(r["date_from"], str) for r in rows)


def test_html_table_escapes_and_has_a_row_per_verdict(beirut: Corroboration) -> None:
    nasty = "<script>alert('x')</script> & <b>bold</b>"
    verdicts = tuple(dataclasses.replace(v, reason=nasty) for v in beirut.verdicts)
    page = dataclasses.replace(beirut, verdicts=verdicts)._repr_html_()
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert page.count("<tr>") == len(verdicts) + 1  # the header and one per verdict
    assert "Ka-52" in page or "ka-52" in page
    assert "cannot resolve" in page and "2015-08-20" not in page.split("<tbody>")[0]
    # the chance each claim is read right stands beside its verdict
    assert "read right" in page.split("<tbody>")[0]
    assert all(f"{c.confidence:.2f}" in page for c in beirut.all_claims)


def test_dataframe_needs_pandas_and_says_how_to_get_it(
    beirut: Corroboration, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match="pip install pandas"):
        beirut.to_dataframe()


def test_dataframe_has_the_records(beirut: Corroboration) -> None:
    pytest.importorskip("pandas")
    frame = beirut.to_dataframe()
    assert len(frame) == len(beirut.verdicts)
    assert list(frame.columns) == list(beirut.to_records()[0])


def test_every_run_folder_under_run_is_read_and_copies_count_once(
    demo: Path, tmp_path: Path
) -> None:
    """A run folder holding run.json does not hide the run folders beside or below it;
    the same scenes in several folders are one piece of evidence."""
    import shutil

    top = tmp_path / "runs"
    shutil.copytree(demo / "beirut-airport", top)
    shutil.copytree(demo / "beirut-airport", top / "again")
    shutil.copytree(demo / "beirut-port", top / "deeper" / "port")
    many = check_reports(REPORTS / "beirut_claims.md", top)
    assert [str(r.path.relative_to(top)) for r in many.runs] == [".", "again", "deeper/port"]
    assert many.run_folders == tuple(str(r.path) for r in many.runs)
    single = check_reports(REPORTS / "beirut_claims.md", demo)
    assert len(many.detections) == len(single.detections)
    assert [v.score for v in many.verdicts] == [v.score for v in single.verdicts]
    assert [v.verdict for v in many.verdicts] == [v.verdict for v in single.verdicts]
    airport = [c for c in many.coverages if c.site == "beirut-airport"]
    assert len(airport) == 1 and airport[0].run.count(", ") == 1  # both folders named
