"""The demo's run records are what they were before the package was reorganised.

``tests/data/reference/demo/`` holds the bundled sample's ``run.json`` and
``detections.geojson`` as the demo wrote them before the move to the stage-by-stage
layout, with timestamps, the tool version and the repository's location replaced by
markers (:mod:`reference_outputs`). A change of behaviour anywhere in the pipeline shows
here as a difference; a deliberate one is recorded by rewriting the reference with
``python tests/reference_outputs.py --refresh`` and saying why in the commit.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner

from basewatch.cli import main
from reference_outputs import COMPARED, REFERENCE, normalise

SITES = ("beirut-airport", "beirut-port")


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("name", COMPARED)
def test_demo_outputs_match_the_reference(demo_out: Path, site: str, name: str) -> None:
    expected = (REFERENCE / site / name).read_text(encoding="utf-8")
    got = normalise(name, (demo_out / site / name).read_text(encoding="utf-8"))
    if got != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                got.splitlines(keepends=True),
                "reference",
                "this run",
                n=2,
            )
        )
        pytest.fail(f"{site}/{name} differs from the reference:\n{diff[:4000]}")


def test_the_normalisation_keeps_what_matters() -> None:
    """Only the volatile values are masked: a changed count still shows."""
    raw = '{\n "site": "x",\n "started": "2026-01-01T00:00:00",\n "counts": {"a": 1}\n}'
    masked = normalise("run.json", raw)
    assert '"started": "<started>"' in masked
    assert '"counts": {"a": 1}' in masked
    assert normalise("run.json", raw.replace('"a": 1', '"a": 2')) != masked
