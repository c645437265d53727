"""The normalised form of a demo run's files, shared by the reference test and its refresh.

A run's ``run.json`` differs from one run to the next only in its timestamps, the tool
version and where the repository lies on disk; these are replaced by fixed markers so
that everything else can be compared byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parent / "data" / "reference" / "demo"
#: The files of each site's run folder held against the reference.
COMPARED = ("run.json", "detections.geojson")
_VOLATILE = ("started", "finished", "basewatch_version")


def normalise(name: str, raw: str, *, repo: Path = REPO) -> str:
    """``raw`` (the text of file ``name``) with volatile values replaced by markers."""
    text = raw.replace(orjson.dumps(str(repo)).decode()[1:-1] + "/", "<repo>/")
    if name == "run.json":
        for key in _VOLATILE:
            # top-level keys: indented by 2 spaces (orjson), 1 in runs written before
            text = re.sub(rf'^( {{1,2}}"{key}": )"[^"]*"', rf'\1"<{key}>"', text, flags=re.M)
    return text


def refresh(out: Path) -> None:
    """Rewrite the reference from a demo run folder ``out`` (a deliberate change)."""
    for site_dir in sorted(p for p in out.iterdir() if p.is_dir()):
        for name in COMPARED:
            target = REFERENCE / site_dir.name / name
            target.parent.mkdir(parents=True, exist_ok=True)
            raw = (site_dir / name).read_text(encoding="utf-8")
            target.write_text(normalise(name, raw), encoding="utf-8")


if __name__ == "__main__":
    import sys
    import tempfile

    from click.testing import CliRunner

    from basewatch.cli import main

    if sys.argv[1:] != ["--refresh"]:
        sys.exit("usage: python tests/reference_outputs.py --refresh")
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(main, ["demo", "--out", tmp])
        if result.exit_code != 0:
            sys.exit(result.output)
        refresh(Path(tmp))
