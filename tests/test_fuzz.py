"""Fuzzing the readers: whatever bytes or JSON a user hands over, the raster, AOI,
catalogue and report readers either read it or raise a
:class:`~basewatch.errors.BasewatchError` (one line naming the file), never another
exception.

Bounded in time (``max_examples`` per reader, no deadline) so that it runs on every
test command; inputs start from the real bundled files and are mutated, so that the
fuzzer reaches past the first format check.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from basewatch.aoi import load_site, parse_site
from basewatch.corroborate.reports import read_report
from basewatch.errors import BasewatchError
from basewatch.imagery.catalog import candidate_from_item, read_catalogue_file
from basewatch.imagery.local import read_geotiff

REPO = Path(__file__).resolve().parents[1]
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# JSON values of any shape, for replacing parts of real documents
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indices) into a JSON document."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


def _mutated(doc: Any) -> st.SearchStrategy[Any]:
    paths = _paths(doc)
    return st.builds(_replace, st.just(doc), st.sampled_from(paths), json_values)


SITE = json.loads(Path(load_site("beirut-port").path).read_text(encoding="utf-8"))


@SETTINGS
@given(_mutated(SITE))
def test_aoi_parser_reads_or_refuses_any_mutation(doc: Any) -> None:
    try:
        parse_site(doc, path="fuzz.geojson")
    except BasewatchError as exc:
        assert "fuzz.geojson" in str(exc)


@SETTINGS
@given(st.binary(max_size=400))
def test_aoi_file_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "site.geojson"
        path.write_bytes(data)
        try:
            load_site(path)
        except BasewatchError as exc:
            assert "site.geojson" in str(exc)


def _stac_items(folder: Path) -> list[dict[str, Any]]:
    """Real published STAC items (``../shared/data/stac``: three catalogues)."""
    items = []
    for p in sorted(folder.rglob("*.json")):
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found = doc.get("features", [doc]) if isinstance(doc, dict) else doc
        items += [d for d in found if isinstance(d, dict) and d.get("type") == "Feature"][:2]
    return items


@pytest.fixture(scope="module")
def stac_items(shared_data: Path) -> list[dict[str, Any]]:
    items = _stac_items(shared_data / "stac")
    assert items, "no STAC items found in the shared data"
    return items


@SETTINGS
@given(st.data())
def test_stac_item_reader_reads_or_refuses_any_mutation(
    stac_items: list[dict[str, Any]], data: st.DataObject
) -> None:
    item = data.draw(_mutated(data.draw(st.sampled_from(stac_items))))
    try:
        candidate_from_item(item, catalog="fuzz")
    except BasewatchError as exc:
        assert "fuzz" in str(exc) or str(item.get("id")) in str(exc)


@SETTINGS
@given(st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())))
def test_catalogue_file_reader_reads_or_refuses_anything(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenes.json"
        path.write_bytes(data)
        try:
            read_catalogue_file(path)
        except BasewatchError as exc:
            assert "scenes.json" in str(exc)


@SETTINGS
@given(st.binary(max_size=2000))
def test_report_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".txt", ".html"):
            path = Path(tmp) / f"report{suffix}"
            path.write_bytes(data)
            try:
                read_report(path)
            except BasewatchError as exc:
                assert "report" in str(exc)


RASTER = (REPO / "imagery" / "beirut-port_S2L1C_20150820.tif").read_bytes()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(RASTER) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    st.integers(64, len(RASTER)),
)
def test_raster_reader_reads_or_refuses_damaged_geotiffs(
    flips: list[tuple[int, int]], keep: int
) -> None:
    data = bytearray(RASTER[:keep])
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged_20150820.tif"
        path.write_bytes(bytes(data))
        try:
            read_geotiff(path)
        except BasewatchError as exc:
            assert "damaged_20150820.tif" in str(exc)
