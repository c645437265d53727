"""Typed records passed between stages.

Frozen dataclasses, pure (numpy only): the tile loader makes :class:`Scene`, the
change core makes :class:`ChangeMap` and :class:`Detection`, and the outputs are built
from :class:`Evidence` and :class:`RunRecord`. Everything in a record is either an
array or JSON-serialisable through :func:`to_jsonable`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import orjson
from numpy.typing import NDArray

from basewatch.errors import InputError
from basewatch.grid import Grid

__all__ = [
    "DEGREES_DECIMALS",
    "MAGNITUDE_DECIMALS",
    "METRES_DECIMALS",
    "SCORE_DECIMALS",
    "ChangeMap",
    "Detection",
    "Event",
    "Evidence",
    "ObjectClass",
    "RunRecord",
    "Scene",
    "dumps_json",
    "records_from_columns",
    "replaced",
    "round_like_python",
    "to_jsonable",
]


class Event(enum.StrEnum):
    """What happened to an object between two dates."""

    APPEARED = "appeared"
    DISAPPEARED = "disappeared"
    PERSISTED = "persisted"
    MOVED = "moved"


class ObjectClass(enum.StrEnum):
    """Object classes basewatch reports."""

    AIRCRAFT = "aircraft"
    VESSEL = "vessel"
    OTHER = "other"


@dataclass(frozen=True, eq=False)
class Scene:
    """One date of imagery on a grid, in physical units, ready for differencing.

    Attributes
    ----------
    id : str
        Scene identifier (the catalogue's item id, or the file name for local files).
    sensor : str
        ``"S2"`` (optical reflectance) or ``"S1"`` (SAR backscatter).
    datetime : datetime.datetime
        Acquisition time (UTC).
    bands : tuple of str
        Band names, one per plane of ``data`` (``"B02"``, ``"B04"``, ``"VV"``...).
    data : ndarray, shape (bands, rows, cols), float32
        Surface (or top-of-atmosphere) reflectance for optical, linear backscatter
        (sigma0/gamma0, not dB) for SAR. NaN where not valid.
    valid : ndarray, shape (rows, cols), bool
        True where every band holds a usable observation (not nodata, not cloud).
    grid : Grid
        The pixel grid of ``data``.
    source : str
        Path or URL the pixels came from.
    attribution : str
        Credit line to print with any product made from this scene.
    processing_baseline : str or None
        Sentinel-2 processing baseline (``"05.10"``), if known.
    offset_applied : float
        Radiometric offset added to the digital numbers before scaling
        (``-1000`` for baseline >= 04.00 L2A/L1C when the catalogue had not removed it).
    scale : float
        Multiplier from (offset-corrected) digital number to physical unit.
    cloud_fraction : float or None
        Fraction of the AOI masked as cloud or cloud shadow (Sentinel-2 SCL), if known.
    shift_px : tuple of float
        Co-registration shift ``(dy, dx)`` in pixels applied to bring this scene onto
        the reference date (``(0.0, 0.0)`` when none was applied).
    metadata : mapping
        Anything else worth keeping in the evidence record (orbit, platform, ...).
    """

    id: str
    sensor: str
    datetime: dt.datetime
    bands: tuple[str, ...]
    data: NDArray[np.float32]
    valid: NDArray[np.bool_]
    grid: Grid
    source: str
    attribution: str = ""
    processing_baseline: str | None = None
    offset_applied: float = 0.0
    scale: float = 1.0
    cloud_fraction: float | None = None
    shift_px: tuple[float, float] = (0.0, 0.0)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.data.ndim != 3:
            raise InputError(
                f"scene {self.id}: data must be (bands, rows, cols), got shape {self.data.shape}"
            )
        if self.data.dtype != np.float32:
            raise InputError(f"scene {self.id}: data must be float32, got {self.data.dtype}")
        if len(self.bands) != self.data.shape[0]:
            raise InputError(
                f"scene {self.id}: {len(self.bands)} band names for {self.data.shape[0]} planes"
            )
        if self.valid.shape != self.data.shape[1:]:
            raise InputError(
                f"scene {self.id}: valid mask {self.valid.shape} does not match data "
                f"{self.data.shape[1:]}"
            )
        if self.grid.shape != self.data.shape[1:]:
            raise InputError(
                f"scene {self.id}: grid {self.grid.shape} does not match data {self.data.shape[1:]}"
            )

    @property
    def date(self) -> dt.date:
        return self.datetime.date()

    def band(self, name: str) -> NDArray[np.float32]:
        """One band by name."""
        try:
            plane: NDArray[np.float32] = self.data[self.bands.index(name)]
            return plane
        except ValueError:
            raise InputError(
                f"scene {self.id} has no band {name!r}; it has {', '.join(self.bands)}"
            ) from None

    def describe(self) -> dict[str, Any]:
        """The scene's evidence fields (no pixels)."""
        return {
            "id": self.id,
            "sensor": self.sensor,
            "datetime": self.datetime.isoformat(),
            "bands": list(self.bands),
            "source": self.source,
            "attribution": self.attribution,
            "processing_baseline": self.processing_baseline,
            "offset_applied": self.offset_applied,
            "scale": self.scale,
            "cloud_fraction": self.cloud_fraction,
            "valid_fraction": float(self.valid.mean()) if self.valid.size else 0.0,
            "shift_px": list(self.shift_px),
            "grid": {
                "crs": self.grid.crs,
                "transform": list(self.grid.transform),
                "width": self.grid.width,
                "height": self.grid.height,
            },
            **{k: v for k, v in self.metadata.items()},
        }


@dataclass(frozen=True, eq=False)
class ChangeMap:
    """Per-pixel change between two dates on one grid.

    Attributes
    ----------
    magnitude : ndarray, shape (rows, cols), float32
        Change magnitude (NaN where either date is invalid).
    signed : ndarray, shape (rows, cols), float32
        Signed change of brightness (after minus before; positive means brighter
        after), used to tell *appeared* from *disappeared*.
    mask : ndarray, shape (rows, cols), bool
        Pixels declared changed (never True where ``valid`` is False).
    valid : ndarray, shape (rows, cols), bool
        Pixels valid on both dates.
    threshold : float
        Threshold applied to ``magnitude``.
    method : str
        Algorithm name (``"cva"``, ``"log-ratio"``...).
    params : mapping
        Every parameter that produced this map.
    """

    magnitude: NDArray[np.float32]
    signed: NDArray[np.float32]
    mask: NDArray[np.bool_]
    valid: NDArray[np.bool_]
    threshold: float
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Detection:
    """One object event found in the imagery.

    Geometry is in WGS84 longitude/latitude (GeoJSON order); sizes are in metres.
    ``bbox_px`` is ``(row_min, col_min, row_max, col_max)`` on the analysis grid,
    max exclusive.
    """

    id: str
    site: str
    zone: str | None
    zone_kind: str | None
    object_class: ObjectClass
    event: Event
    lon: float
    lat: float
    footprint: tuple[tuple[float, float], ...]
    bbox_px: tuple[int, int, int, int]
    area_px: int
    area_m2: float
    length_m: float
    width_m: float
    orientation_deg: float
    mean_change: float
    contrast: float
    confidence: float
    detectable: bool
    before: str
    after: str
    before_date: dt.date
    after_date: dt.date
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """Why basewatch believes a detection: the provenance of one object event.

    What every detection of a run shares (the scenes' descriptions, every parameter)
    is in the run record once; the evidence names it and adds what is the
    detection's own.

    Attributes
    ----------
    detection_id : str
        The detection (the ``id`` of its GeoJSON feature).
    scenes : tuple of str
        Ids of the before and after scenes (described in the run record's ``scenes``).
    change_method : str
        How the change map was made (``"cva"``, ``"log-ratio"``).
    threshold : float
        The change threshold the run used (the parameters are the run record's).
    features : Mapping
        The detection's measurements: area, length, width, mean change, contrast,
        zone, pixel box and the notes that explain its class and event.
    """

    detection_id: str
    scenes: tuple[str, ...]
    change_method: str
    threshold: float
    features: Mapping[str, Any]


@dataclass(frozen=True)
class RunRecord:
    """What a run did, written last as ``run.json`` (its presence marks a complete run)."""

    site: str
    started: dt.datetime
    finished: dt.datetime
    basewatch_version: str
    scenes: tuple[Mapping[str, Any], ...]
    parameters: Mapping[str, Any]
    outputs: Mapping[str, str]
    counts: Mapping[str, int]
    evidence: tuple[Evidence, ...]
    warnings: tuple[str, ...] = ()


#: A record type of :func:`records_from_columns`.
_R = TypeVar("_R")
#: The field names of each dataclass :func:`_plain_fields` has accepted.
_PLAIN_FIELDS: dict[type, tuple[str, ...]] = {}


def records_from_columns(kind: type[_R], columns: Mapping[str, Sequence[Any]]) -> list[_R]:
    """Records of the frozen dataclass ``kind``, one per row of ``columns``.

    What ``[kind(**row) for row in rows]`` gives, made without the constructor: a
    frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    which for a tile's 200,000 detections of 24 fields was more than a second; here
    each record's ``__dict__`` is filled from the row in one call (about twice as
    fast). Only for dataclasses whose constructor does nothing else: every field an
    argument, no ``__post_init__``, no slots.

    Parameters
    ----------
    kind : type
        A dataclass (frozen or not) as above.
    columns : mapping of str to sequence
        One sequence per field of ``kind``, all of one length, each value already of
        the field's type (nothing is converted or checked).

    Returns
    -------
    list of kind

    Raises
    ------
    InputError
        (a ``ValueError``) ``columns`` does not name each field once, the columns
        differ in length, or ``kind`` is not such a dataclass.
    """
    names = _plain_fields(kind)
    if set(columns) != set(names):
        missing = sorted(set(names) - set(columns))
        extra = sorted(set(columns) - set(names))
        raise InputError(
            f"columns of {kind.__name__} records must be its fields: missing {missing}, "
            f"unknown {extra}"
        )
    new = object.__new__
    out: list[_R] = []
    append = out.append
    try:
        for row in zip(*(columns[n] for n in names), strict=True):
            record = new(kind)
            record.__dict__.update(zip(names, row, strict=True))
            append(record)
    except ValueError as exc:  # zip's: a column shorter or longer than the first
        lengths = {n: len(columns[n]) for n in names}
        raise InputError(f"columns of {kind.__name__} records differ in length: {lengths}") from exc
    return out


def replaced(record: _R, **changes: Any) -> _R:
    """``dataclasses.replace(record, **changes)`` for a dataclass that
    :func:`records_from_columns` accepts, without the constructor's per-field work.

    Raises
    ------
    InputError
        (a ``ValueError``) ``changes`` names something that is not a field of the
        record, or the record is not of such a dataclass.
    """
    kind = type(record)
    names = _plain_fields(kind)
    unknown = set(changes).difference(names)
    if unknown:
        raise InputError(f"{kind.__name__} has no field {sorted(unknown)}")
    out = object.__new__(kind)
    out.__dict__.update(record.__dict__)
    out.__dict__.update(changes)
    return out


def _plain_fields(kind: type) -> tuple[str, ...]:
    """The field names of a dataclass whose constructor only stores its arguments."""
    names = _PLAIN_FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(kind) or "__slots__" in kind.__dict__:
            raise InputError(f"{kind.__name__} is not a dataclass with a __dict__")
        if hasattr(kind, "__post_init__") or not all(f.init for f in dataclasses.fields(kind)):
            raise InputError(
                f"{kind.__name__}'s constructor does more than store its fields: make "
                "its records with the constructor"
            )
        names = _PLAIN_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


#: Decimals of the fields of a detection record (each path that makes records rounds
#: to them): degrees of longitude and latitude (about 1 cm), metres and degrees of
#: orientation, change magnitudes, and scores (contrast, confidence).
DEGREES_DECIMALS = 7
METRES_DECIMALS = 1
MAGNITUDE_DECIMALS = 5
SCORE_DECIMALS = 3

#: Elements of :func:`round_like_python` this many float64 spacings from a rounding
#: tie are rounded by Python (``np.round`` scales before rounding, which can move a
#: value across a tie that ``round`` sees exactly).
_TIE_SPACINGS = 4.0

#: Scaled magnitudes from which a float64 holds no fraction (2**52).
_NO_FRACTION = 2.0**52


def round_like_python(values: NDArray[Any], decimals: int) -> NDArray[np.float64]:
    """``round(v, decimals)`` of every element, as Python rounds each float.

    ``np.round`` (scale by ``10**decimals``, round half to even, divide) gives the same
    double except where the scaled value lies within a few spacings of a tie, where
    ``round`` (exact decimal rounding) may go the other way, and where the scaled value
    has no fraction left; those few elements are rounded by Python.

    Parameters
    ----------
    values : ndarray, any shape, float
    decimals : int
        At least 0.

    Returns
    -------
    ndarray, same shape, float64
    """
    x = np.asarray(values, dtype=np.float64)
    out = np.round(x, decimals)
    scale = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * scale
        frac = np.abs(y - np.floor(y) - 0.5)
        odd = (frac <= _TIE_SPACINGS * np.spacing(np.abs(y))) | ~(np.abs(y) < _NO_FRACTION)
    odd &= np.isfinite(x)
    if odd.any():
        flat = out.reshape(-1)
        at = np.flatnonzero(odd)
        flat[at] = [round(v, decimals) for v in x.reshape(-1)[at].tolist()]
    return out


#: How :func:`dumps_json` lays out and encodes: two-space indents and a final newline;
#: records and dates go through :func:`_shallow` so they read as :func:`to_jsonable`
#: makes them (array fields left out, ``isoformat`` dates).
_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)

#: A converter of one type: the object, and what to apply to each value inside it.
_Converter = Callable[[Any, Callable[[Any], Any]], Any]


def to_jsonable(obj: Any) -> Any:
    """Recursively convert records, enums, dates and numpy values to JSON types.

    Dataclasses become dicts of their fields in declaration order (array fields are
    left out), enums their values, dates and times ISO 8601 strings, mappings dicts
    with string keys, lists and tuples lists, numpy scalars Python ones, and
    non-finite floats (NaN, infinities) ``None``; anything else is returned as it is.

    Parameters
    ----------
    obj : object
        A record, or any nesting of records, mappings, sequences and scalars.

    Returns
    -------
    object
        A new structure of dicts, lists, str, int, float, bool and None.
    """
    return _converter(type(obj))(obj, to_jsonable)


def dumps_json(obj: Any) -> bytes:
    """``obj`` as UTF-8 JSON text, indented by 2 spaces: what ``json.dumps`` writes of
    :func:`to_jsonable` of it, encoded by orjson without converting it first.

    Keys keep their order, non-ASCII text is written as it is (UTF-8, not ``\\u``
    escapes), non-finite floats become ``null`` and the text ends with a newline.
    orjson walks the containers itself and asks :func:`to_jsonable`'s converters only
    about records, dates, numpy scalars and other types it does not know; a dict with
    keys that are not strings sends the whole object through :func:`to_jsonable` first.

    Parameters
    ----------
    obj : object
        Anything :func:`to_jsonable` converts.

    Returns
    -------
    bytes
        The JSON document.

    Raises
    ------
    TypeError
        Something in ``obj`` has no JSON form (``orjson.JSONEncodeError`` is a
        ``TypeError``).
    """
    try:
        return orjson.dumps(obj, default=_shallow, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        # keys that are not strings (orjson refuses them, to_jsonable takes str(k));
        # anything else that has no JSON form fails again here, with orjson's message
        return orjson.dumps(to_jsonable(obj), default=_shallow, option=_ORJSON_OPTIONS)


def _shallow(obj: Any) -> Any:
    """orjson's ``default``: one level of :func:`to_jsonable` (orjson encodes the rest)."""
    out = _converter(type(obj))(obj, _unchanged)
    if out is obj:
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")
    return out


def _unchanged(obj: Any) -> Any:
    return obj


def _converter(kind: type) -> _Converter:
    """The converter of objects of type ``kind``, chosen once per type."""
    converter = _CONVERTERS.get(kind)
    if converter is None:
        converter = _CONVERTERS[kind] = _converter_for(kind)
    return converter


def _converter_for(kind: type) -> _Converter:
    """The tests of :func:`to_jsonable`, in order, decided from the type alone."""
    if dataclasses.is_dataclass(kind):
        return _fields_converter(tuple(f.name for f in dataclasses.fields(kind)))
    if issubclass(kind, enum.Enum):
        return _enum
    if issubclass(kind, dt.datetime | dt.date):
        return _iso
    if issubclass(kind, Mapping):
        return _mapping
    if issubclass(kind, list | tuple):
        return _sequence
    if issubclass(kind, np.generic):
        return _numpy_scalar
    if issubclass(kind, float):
        return _float
    return _as_is


def _fields_converter(names: tuple[str, ...]) -> _Converter:
    """The converter of a dataclass with fields ``names``: array fields left out."""

    def convert(obj: Any, inner: Callable[[Any], Any]) -> dict[str, Any]:
        return {
            name: inner(value)
            for name in names
            if not isinstance(value := getattr(obj, name), np.ndarray)
        }

    return convert


def _enum(obj: enum.Enum, inner: Callable[[Any], Any]) -> Any:
    return obj.value


def _iso(obj: dt.date, inner: Callable[[Any], Any]) -> str:
    return obj.isoformat()


def _mapping(obj: Mapping[Any, Any], inner: Callable[[Any], Any]) -> dict[str, Any]:
    return {str(k): inner(v) for k, v in obj.items()}


def _sequence(obj: list[Any] | tuple[Any, ...], inner: Callable[[Any], Any]) -> list[Any]:
    return [inner(v) for v in obj]


def _numpy_scalar(obj: np.generic, inner: Callable[[Any], Any]) -> Any:
    return to_jsonable(obj.item())


def _float(obj: float, inner: Callable[[Any], Any]) -> float | None:
    return float(obj) if math.isfinite(obj) else None


def _as_is(obj: Any, inner: Callable[[Any], Any]) -> Any:
    return obj


#: The converter of each type met so far (see :func:`_converter_for`).
_CONVERTERS: dict[type, _Converter] = {
    str: _as_is,
    int: _as_is,
    bool: _as_is,
    type(None): _as_is,
    float: _float,
}
