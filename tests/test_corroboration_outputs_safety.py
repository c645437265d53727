"""Corroboration outputs stay inert and whole whatever the reports and run folders hold."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from basewatch.cli.main import main
from basewatch.corroborate.check import check_reports
from basewatch.errors import OutputError
from basewatch.outputs.corroboration import write_claim_pictures, write_corroboration

HOSTILE = (
    "Satellite images from 2017-10-03 show two airliners left the terminal apron at "
    "Beirut airport <img src=http://tracker.example/pixel.png> and "
    "![x](http://tracker.example/img.png) according to the report.\n"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled real Beirut pair (2015-08-20 vs 2017-10-03), run by ``basewatch demo``."""
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture()
def hostile_report(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(HOSTILE, encoding="utf-8")
    (folder / "meta.json").write_text(
        '[{"file": "report.txt", "published": "2017-10-05", '
        '"title": "=HYPERLINK(\\"http://evil.example\\", \\"click\\")", "outlet": "@outlet"}]',
        encoding="utf-8",
    )
    return folder


def test_report_text_is_inert_in_markdown_and_csv(
    demo: Path, hostile_report: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "corroborate", "--reports", str(hostile_report / "report.txt"), "--run", str(demo),
            "--meta", str(hostile_report / "meta.json"), "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    md = (out / "corroboration.md").read_text(encoding="utf-8")
    assert "tracker.example" in md  # the quote is there ...
    assert not re.search(r"(?<!\\)<img", md) and not re.search(r"(?<!\\)!\\?\[x", md)
    assert "\\<img" in md  # ... as text
    with (out / "corroboration.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(not r["report"].startswith(("=", "+", "-", "@")) for r in rows)
    assert any(r["report"].startswith("'=HYPERLINK") for r in rows)


def test_pictures_are_one_per_run_folder_and_stale_ones_go(demo: Path, tmp_path: Path) -> None:
    # two run folders of one name (beirut-port) in two places
    runs = tmp_path / "runs"
    for where in ("a", "b"):
        shutil.copytree(demo / "beirut-port", runs / where / "beirut-port")
    reports = Path(__file__).parent / "data" / "reports" / "beirut_claims.md"
    result = check_reports(reports, [runs])
    out = tmp_path / "out"
    out.mkdir()
    (out / "old-run_claims.png").write_bytes(b"from an earlier corroboration")
    written = write_claim_pictures(result, out)
    files = sorted(p.name for p in written.values() if p is not None)
    assert len(files) == 2 and len(set(files)) == 2, files  # one each, not one over the other
    assert not (out / "old-run_claims.png").exists()
    assert sorted(p.name for p in out.glob("*_claims.png")) == files


def test_a_damaged_preview_costs_its_picture_not_the_corroboration(
    demo: Path, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    shutil.copytree(demo / "beirut-port", runs / "beirut-port")
    (runs / "beirut-port" / "preview.npz").write_bytes(b"PK\x03\x04 truncated")
    reports = Path(__file__).parent / "data" / "reports" / "beirut_claims.md"
    result = check_reports(reports, [runs])
    paths = write_corroboration(result, tmp_path / "out")
    assert paths["md"].is_file()
    assert write_claim_pictures(result, tmp_path / "out") == {runs / "beirut-port": None}


def test_an_unwritable_out_folder_is_an_output_error_naming_it(demo: Path, tmp_path: Path) -> None:
    reports = Path(__file__).parent / "data" / "reports" / "beirut_claims.md"
    result = check_reports(reports, [demo])
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="--out") as info:
        write_corroboration(result, blocker / "out")
    assert str(blocker) in str(info.value)
