"""Progress of long steps: the library tells a callback and prints nothing; the commands
draw rich progress bars on a terminal, log each part under ``-v``, and ``-q`` silences
the bars."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from basewatch.cli import main
from basewatch.cli._options import progress
from basewatch.corroborate import Report, check_reports
from basewatch.imagery.loader import LoaderConfig

REPORTS = Path(__file__).resolve().parent / "data" / "reports"
FILES = [REPORTS / n for n in ("paraphrase_of_002.txt", "mt_copy_of_004.txt", "unseen_bulletin.md")]


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal (where progress bars are drawn)."""

    def isatty(self) -> bool:
        return True


def test_check_reports_tells_a_callback_after_each_report_and_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    told: list[tuple[str, int, int]] = []

    def on_report(report: Report, done: int, total: int) -> None:
        told.append((report.label, done, total))

    result = check_reports(FILES, on_report=on_report)
    assert [t[1:] for t in told] == [(i, len(FILES)) for i in range(1, len(FILES) + 1)]
    assert len(told) == len(result.reports) == len(FILES)
    assert [t[0] for t in told] == [r.label for r in result.reports]
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_the_loader_config_carries_a_band_callback_outside_its_equality() -> None:
    seen: list[tuple[str, str]] = []
    config = LoaderConfig(on_band=lambda scene, band: seen.append((scene, band)))
    assert config == LoaderConfig()  # a callback changes nothing the loader computes
    assert config.on_band is not None
    config.on_band("S2A_X", "B04")
    assert seen == [("S2A_X", "B04")]


def test_corroborate_logs_each_report_under_verbose(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="basewatch.cli")
    args = ["-v", "corroborate", "--out", str(tmp_path)]
    for f in FILES:
        args += ["--reports", str(f)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    parts = [r.getMessage() for r in caplog.records if r.name == "basewatch.cli"]
    for i in range(1, len(FILES) + 1):
        assert any(
            m.startswith(f"reading the claims of the reports: {i}/{len(FILES)} ") for m in parts
        )
    assert any(m.startswith("reading the claims of the reports: done in ") for m in parts)


@pytest.mark.parametrize("quiet", [False, True])
def test_a_bar_is_drawn_on_a_terminal_unless_quiet(
    quiet: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with click.Context(click.Command("x"), obj={"quiet": quiet}):
        with progress("reading band windows", total=3) as advance:
            for band in ("B03", "B04", "B08"):
                advance(f"band {band}")
        assert advance.done == 3
    drawn = terminal.getvalue()
    if quiet:
        assert drawn == ""
    else:
        assert "reading band windows" in drawn and "3/3" in drawn
