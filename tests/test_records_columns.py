"""Records made from columns are the records the constructor makes.

:func:`basewatch.records.records_from_columns` and :func:`~basewatch.records.replaced`
fill each record's ``__dict__`` instead of calling a frozen dataclass's constructor
(which sets every field through ``object.__setattr__``); these tests hold them to the
constructor and to ``dataclasses.replace`` on the detections of the real Beirut pair.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from basewatch import detect_pair, load_site, read_local_pair, sample_pair
from basewatch.errors import InputError
from basewatch.records import Detection, records_from_columns, replaced

FIELDS = tuple(f.name for f in dataclasses.fields(Detection))


@pytest.fixture(scope="module")
def beirut() -> list[Detection]:
    site = load_site("beirut-airport")
    found = list(
        detect_pair(site, *read_local_pair(site, *sample_pair("beirut-airport"))).detections
    )
    assert len(found) >= 10  # aircraft, vessels and other changes
    return found


def test_records_from_columns_equal_the_constructors_records(beirut: list[Detection]) -> None:
    columns = {name: [getattr(d, name) for d in beirut] for name in FIELDS}
    made = records_from_columns(Detection, columns)
    assert made == [Detection(**{n: getattr(d, n) for n in FIELDS}) for d in beirut]
    assert made == beirut
    # the same object in every way that is seen: type, hash, pickle, frozen
    assert all(type(m) is Detection for m in made)
    assert [hash(m) for m in made] == [hash(d) for d in beirut]
    assert pickle.dumps(made) == pickle.dumps(beirut)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].confidence = 1.0  # type: ignore[misc]


def test_columns_must_name_every_field_once() -> None:
    with pytest.raises(InputError, match=r"missing \['zone'"):
        records_from_columns(Detection, {n: [] for n in FIELDS if n != "zone"})
    with pytest.raises(InputError, match=r"unknown \['colour'\]"):
        records_from_columns(Detection, {**{n: [] for n in FIELDS}, "colour": []})


def test_columns_of_different_lengths_are_refused(beirut: list[Detection]) -> None:
    columns = {name: [getattr(d, name) for d in beirut] for name in FIELDS}
    columns["notes"] = columns["notes"][:-1]
    with pytest.raises(InputError, match="differ in length") as caught:
        records_from_columns(Detection, columns)
    assert isinstance(caught.value, ValueError)  # callers that catch ValueError still do


def test_replaced_refuses_what_is_not_a_field(beirut: list[Detection]) -> None:
    # equal to dataclasses.replace: tests/test_optical_events.py
    with pytest.raises(InputError, match="no field"):
        replaced(beirut[0], colour="red")


def test_a_dataclass_whose_constructor_does_more_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Checked:
        size: float

        def __post_init__(self) -> None:
            if self.size < 0:
                raise ValueError("negative")

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        size: float

    for kind in (Checked, Slotted):
        with pytest.raises(InputError, match=r"constructor|__dict__"):
            records_from_columns(kind, {"size": [1.0]})
