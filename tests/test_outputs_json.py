"""Run records and GeoJSON are written by orjson and hold what the stdlib encoder wrote.

:func:`basewatch.records.dumps_json` lets orjson walk the containers and asks
:func:`~basewatch.records.to_jsonable` only about records, dates and numpy values; these
tests hold its output to ``json.dumps(to_jsonable(obj))``, parsed, keys in order. The
reference files of the demo changed encoder once (indent 1 to 2, ``1e-08`` to ``1e-8``;
commit 2806457 checked that they held the same JSON).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import itertools
import json
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from basewatch import detect_pair, load_site, read_local_pair, sample_pair, write_run
from basewatch.outputs.vector import detections_geojson
from basewatch.pipeline import PairResult
from basewatch.records import dumps_json, to_jsonable
from reference_outputs import REFERENCE

#: Detections of the synthetic large run, and the seconds its writing may take on a
#: busy machine (about 1 s measured on 2 cores; the stdlib encoder took 12 s).
MANY_DETECTIONS = 25_000


def _same_json(a: Any, b: Any) -> bool:
    """Equal values with keys in the same order (``==`` on dicts ignores the order)."""
    return bool(a == b and json.dumps(a) == json.dumps(b))


def _stdlib(obj: Any) -> Any:
    """What the stdlib encoder wrote of ``obj`` before, parsed back."""
    return json.loads(json.dumps(to_jsonable(obj), indent=1))


class _Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass(frozen=True)
class _Record:
    name: str
    pixels: np.ndarray[Any, Any]
    when: dt.datetime
    colour: _Colour
    sizes: tuple[float, ...]
    extra: types.MappingProxyType[Any, Any]


@pytest.fixture(scope="module")
def port() -> PairResult:
    site = load_site("beirut-port")
    return detect_pair(site, *read_local_pair(site, *sample_pair("beirut-port")))


def test_the_reference_is_indented_by_two_spaces() -> None:
    text = (REFERENCE / "beirut-port" / "run.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "site": "beirut-port",\n  "started": "<started>",\n')
    assert text.endswith("}\n")


def test_a_run_folder_holds_what_the_stdlib_encoder_wrote(port: PairResult, tmp_path: Path) -> None:
    paths = write_run(port, tmp_path, png=False)
    geojson = json.loads(paths["geojson"].read_text(encoding="utf-8"))
    assert _same_json(geojson, _stdlib(detections_geojson(port)))
    record = json.loads(paths["run"].read_text(encoding="utf-8"))
    assert [e["detection_id"] for e in record["evidence"]] == [d.id for d in port.detections]
    assert record["counts"] == port.counts()


def test_records_are_encoded_as_to_jsonable_converts_them() -> None:
    record = _Record(
        name="Quai n°9 — مرفأ",
        pixels=np.zeros((2, 2)),
        when=dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC),
        colour=_Colour.RED,
        sizes=(1.5, float("nan"), float("inf"), 1e-8),
        extra=types.MappingProxyType(
            {"z": np.float32("nan"), "a": np.int64(3), 7: dt.date(2024, 1, 2)}
        ),
    )
    obj = {"zeta": record, "alpha": [np.bool_(True), np.float64(2.5), None, {"x": (1, 2)}]}
    got = json.loads(dumps_json(obj))
    assert _same_json(got, _stdlib(obj))
    assert got["zeta"] == {
        "name": "Quai n°9 — مرفأ",
        "when": "2024-05-01T12:30:00+00:00",
        "colour": "red",
        "sizes": [1.5, None, None, 1e-8],
        "extra": {"z": None, "a": 3, "7": "2024-01-02"},
    }
    assert list(got) == ["zeta", "alpha"]


def test_non_ascii_text_is_written_as_utf8_not_escapes() -> None:
    text = dumps_json({"zone": "Quai n°9"})
    assert "Quai n°9".encode() in text
    assert b"\\u" not in text


def test_the_layout_is_two_space_indents_and_a_final_newline() -> None:
    assert dumps_json({"a": [1]}) == b'{\n  "a": [\n    1\n  ]\n}\n'


def test_dict_keys_that_are_not_strings_become_strings() -> None:
    assert json.loads(dumps_json({1: "a", _Colour.RED: "b", None: "c"})) == {
        "1": "a",
        "_Colour.RED": "b",
        "None": "c",
    }


def test_what_has_no_json_form_is_refused() -> None:
    with pytest.raises(TypeError):
        dumps_json({"path": Path("x")})
    with pytest.raises(TypeError):
        dumps_json([np.zeros(3)])


def test_to_jsonable_returns_fresh_containers() -> None:
    shared = {"a": [1, 2]}
    out = to_jsonable({"x": shared, "y": shared})
    assert out == {"x": {"a": [1, 2]}, "y": {"a": [1, 2]}}
    out["x"]["a"].append(3)
    assert out["y"]["a"] == [1, 2]
    assert shared == {"a": [1, 2]}


@pytest.mark.slow
def test_a_run_of_many_thousand_detections_is_written_whole(
    port: PairResult, tmp_path: Path
) -> None:
    """Tens of thousands of detections go into run.json, the GeoJSON and the GeoPackage
    in the order given (the time it takes is measured by benchmarks/outputs_speed.py,
    not here)."""
    many = tuple(
        dataclasses.replace(d, id=f"{d.id}-{i}")
        for i, d in zip(range(MANY_DETECTIONS), itertools.cycle(port.detections), strict=False)
    )
    result = dataclasses.replace(port, detections=many)
    paths = write_run(result, tmp_path, png=False, gpkg=True, cog=False, html=False)
    geojson = json.loads(paths["geojson"].read_bytes())
    record = json.loads(paths["run"].read_bytes())
    assert [f["id"] for f in geojson["features"]] == [d.id for d in many]
    assert len(record["evidence"]) == MANY_DETECTIONS
    assert paths["gpkg"].stat().st_size > 0
