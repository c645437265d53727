"""Rasters GIS software opens: cloud-optimised GeoTIFFs of the change map and the scenes.

:func:`write_cog` writes an array on a :class:`~basewatch.grid.Grid` through GDAL's COG
driver: internally tiled (:data:`COG_BLOCK` pixels), compressed (:data:`COG_OPTIONS`:
ZSTD with the floating-point predictor, read by GDAL 2.3 and later, QGIS included), with
overviews down to one tile, band descriptions and nodata. GDAL reads the array where it
lies (a MEM dataset over the array's own memory: no copy of the raster, in memory or on
disk) and the finished file is renamed into place, so a reader never sees a part of it.

Averaged overviews are computed here (:func:`average_overviews`: the area-weighted mean
of the valid pixels under each overview pixel, each level from the one before, in a
parallel numba kernel) and handed to the COG driver through a VRT of MEM datasets; GDAL's
own ``AVERAGE`` resampling gave the same overviews (to one unit of the last place of
an integer type, from rounding) in most of a scene COG's time: at 10980 px, four int16
bands, 5.6-6.5 s for the COG against 3.2-4.1 s this way.

Optical scenes are stored as Sentinel-2 products store them: integers of
:data:`~basewatch.sensors.S2_REFLECTANCE_SCALE` reflectance, with that scale in the
file (GDAL, QGIS and rasterio's ``scales`` give reflectance back). The scenes as
compared are float32; rounding them to the product's own step changes no value by
more than half a step, and an unshifted scene's digital numbers come back exactly.
Floats of reflectance hardly compress (the low mantissa bits are noise): a 5490 px
four-band scene was 473 MB in 10 s as float32, 224 MB in 3 s as int16.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from basewatch._gdal import GDAL_TYPES, array_dataset, gdal_threads, mem_name
from basewatch.errors import OutputError
from basewatch.sensors import S2_REFLECTANCE_SCALE

if TYPE_CHECKING:
    from basewatch.grid import Grid
    from basewatch.pipeline import PairResult
    from basewatch.records import Scene

__all__ = [
    "COG_BLOCK",
    "SCENE_NODATA",
    "average_overviews",
    "reflectance_steps",
    "reflectance_steps_reference",
    "write_change_cog",
    "write_cog",
    "write_scene_cog",
]

#: Internal tile size of every COG (pixels): small enough that sites of a few hundred
#: pixels get an overview level, large enough for efficient reads of big rasters.
COG_BLOCK = 256
#: Value of invalid pixels in floating-point COGs.
FLOAT_NODATA = float("nan")
#: Compression of every COG: ZSTD at its fastest level with GDAL's predictor (2 for
#: integers, 3 for floats), on every core (a monitor worker: its share,
#: :func:`basewatch._gdal.gdal_threads`). On a 2745 px 4-band float scene: 0.9 s and
#: 118 MB, against DEFLATE's 2.4 s and 92 MB.
COG_OPTIONS = {"COMPRESS": "ZSTD", "LEVEL": "1", "PREDICTOR": "YES"}
#: Nodata of an optical scene COG (int16 steps of reflectance): no reflectance is
#: stored as it; values beyond the int16 range are clipped to +/-32767 steps.
SCENE_NODATA = -32768
_INT16_LIMIT = 32767


def write_cog(
    path: str | Path,
    bands: NDArray[np.floating] | NDArray[np.integer] | NDArray[np.bool_],
    grid: Grid,
    *,
    descriptions: Sequence[str],
    nodata: float | None = FLOAT_NODATA,
    tags: dict[str, str] | None = None,
    scale: float | Sequence[float] | None = None,
    overview_resampling: str | None = None,
) -> Path:
    """Write ``bands`` (shape ``(bands, rows, cols)`` or ``(rows, cols)``) as a COG.

    Parameters
    ----------
    path : str or Path
        The ``.tif`` to write (replaced when it exists).
    bands : ndarray
        Pixel values on ``grid``; booleans are written as uint8 (0/1).
    grid : Grid
        CRS and transform.
    descriptions : sequence of str
        One name per band (shown by QGIS and ``gdalinfo``).
    nodata : float or None
        Nodata value (NaN for float rasters; None for none).
    tags : dict, optional
        Dataset metadata (e.g. scene ids, attribution).
    scale : float or sequence of float, optional
        GDAL's scale of every band, or of each band in turn (the physical value is the
        stored one times it).
    overview_resampling : str, optional
        The overviews' resampling; default ``AVERAGE`` for floats, ``NEAREST`` for
        integers (classes, flags). ``AVERAGE`` is computed here
        (:func:`average_overviews`), any other of GDAL's names by GDAL.

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        GDAL cannot write the file, or the array does not fit the grid.
    """
    import rasterio
    import rasterio.shutil
    from rasterio.errors import RasterioError

    data = np.asarray(bands)
    if data.ndim == 2:
        data = data[np.newaxis]
    if data.dtype == np.bool_:
        data = data.astype(np.uint8)
        nodata = None
    if data.shape[1:] != grid.shape or len(descriptions) != data.shape[0]:
        raise OutputError(
            f"{path}: {data.shape} bands do not fit the grid {grid.shape} with "
            f"{len(descriptions)} descriptions"
        )
    if data.dtype.name not in GDAL_TYPES:
        raise OutputError(
            f"{path}: cannot write {data.dtype} pixels as a COG; give one of "
            f"{', '.join(GDAL_TYPES)}"
        )
    scales = None if scale is None else _per_band(scale, data.shape[0], path)
    # one C-ordered array in this machine's byte order (a view or a big-endian array is
    # copied once here), which the MEM dataset and the overviews then both read as it is
    data = np.ascontiguousarray(data, dtype=data.dtype.newbyteorder("="))
    target = Path(path)
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part.tif")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with array_dataset(data, transform=grid.transform) as source:
            source.crs = grid.crs
            source.nodata = nodata
            for i, d in enumerate(descriptions, start=1):
                source.set_band_description(i, d)
            if tags:
                source.update_tags(**tags)
            if scales is not None:
                source.scales = scales
                source.offsets = (0.0,) * data.shape[0]
            resampling = overview_resampling or ("AVERAGE" if data.dtype.kind == "f" else "NEAREST")
            options: dict[str, Any] = {
                "driver": "COG",
                "BLOCKSIZE": COG_BLOCK,
                "BIGTIFF": "IF_SAFER",
                "NUM_THREADS": gdal_threads(),
                **COG_OPTIONS,
            }
            if resampling.upper() == "AVERAGE":
                levels = average_overviews(data, nodata=nodata)
                with _with_overviews(source, levels) as described:
                    rasterio.shutil.copy(described, part, OVERVIEWS="FORCE_USE_EXISTING", **options)
                del levels
            else:
                rasterio.shutil.copy(
                    source, part, OVERVIEWS="AUTO", OVERVIEW_RESAMPLING=resampling, **options
                )
        part.replace(target)
    except (RasterioError, ValueError, OSError) as exc:
        raise OutputError(f"{path}: GDAL cannot write the COG ({exc})") from exc
    finally:
        part.unlink(missing_ok=True)
    return target


#: GDAL's name of each numpy type a COG can hold.
def average_overviews(
    data: NDArray[Any], *, nodata: float | None, block: int = COG_BLOCK
) -> list[NDArray[Any]]:
    """The overviews of ``data`` as GDAL's COG driver lays them out, averaged.

    Each level halves the one before (rounded down, at least one pixel) until both
    sides fit in ``block`` pixels, as ``OVERVIEWS=AUTO`` does. Each of its pixels is
    the mean of the valid pixels of the level before under it, each weighted by the
    area it covers (a level whose side is odd is not an exact half: its pixels cover
    fractions of the edge pixels), as GDAL's ``AVERAGE`` resampling weighs them;
    ``nodata`` (and NaN) where none is valid. Integer levels are rounded to the
    nearest value, halves up.

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols)
        int16, uint16, uint8, int32, uint32, float32 or float64.
    nodata : float or None
        The value of invalid pixels (NaN is always invalid).
    block : int
        Side of a COG tile.

    Returns
    -------
    list of ndarray, each shape (bands, rows_k, cols_k), ``data``'s type
        From the largest level to the smallest; empty when ``data`` fits one tile.
    """
    levels: list[NDArray[Any]] = []
    # GDAL reads the levels in this machine's byte order
    previous = np.ascontiguousarray(data, dtype=data.dtype.newbyteorder("="))
    rows, cols = previous.shape[1:]
    invalid = np.nan if nodata is None else float(nodata)
    rounded = previous.dtype.kind in "iub"
    while max(rows, cols) > block:
        rows, cols = max(1, rows // 2), max(1, cols // 2)
        level = np.empty((previous.shape[0], rows, cols), previous.dtype)
        if previous.shape[1:] == (2 * rows, 2 * cols):
            # an exact half (even sides, most of a tile's levels): each pixel the mean of
            # a 2 x 2 block, the same sum in the same order as the general kernel
            _halve_into(previous, invalid, rounded, level)
        else:
            _average_into(previous, invalid, rounded, level)
        levels.append(level)
        previous = level
    return levels


@njit(cache=True, nogil=True, parallel=True)
def _average_into(
    src: Any, nodata: float, rounded: bool, out: Any
) -> None:  # pragma: no cover - compiled
    """``out``: each pixel the area-weighted mean of the valid ``src`` pixels under it."""
    nb, rows, cols = src.shape
    out_rows, out_cols = out.shape[1], out.shape[2]
    ry, rx = rows / out_rows, cols / out_cols
    for k in prange(nb * out_rows):
        b, i = k // out_rows, k % out_rows
        y0, y1 = i * ry, (i + 1) * ry
        r0, r1 = int(y0), min(rows, int(np.ceil(y1)))
        for j in range(out_cols):
            x0, x1 = j * rx, (j + 1) * rx
            c0, c1 = int(x0), min(cols, int(np.ceil(x1)))
            total = 0.0
            weight = 0.0
            for r in range(r0, r1):
                wy = min(r + 1.0, y1) - max(float(r), y0)
                for c in range(c0, c1):
                    v = src[b, r, c]
                    if v != nodata and v == v:
                        w = wy * (min(c + 1.0, x1) - max(float(c), x0))
                        total += w * v
                        weight += w
            if weight == 0.0:
                out[b, i, j] = nodata
            elif rounded:
                out[b, i, j] = np.floor(total / weight + 0.5)
            else:
                out[b, i, j] = total / weight


@njit(cache=True, nogil=True, parallel=True)
def _halve_into(src: Any, nodata: float, rounded: bool, out: Any) -> None:  # pragma: no cover
    """:func:`_average_into` where ``src`` is exactly twice ``out`` along both sides: every
    weight is 1, so each pixel is the mean of the valid pixels of its 2 x 2 block, summed
    in the general kernel's order (rows, then columns) and so equal to it bit for bit,
    without its per-pixel bounds and weights (12-15 times faster on a 10980 px band)."""
    nb = src.shape[0]
    out_rows, out_cols = out.shape[1], out.shape[2]
    for k in prange(nb * out_rows):
        b, i = k // out_rows, k % out_rows
        r = 2 * i
        for j in range(out_cols):
            c = 2 * j
            total = 0.0
            weight = 0.0
            for v in (src[b, r, c], src[b, r, c + 1], src[b, r + 1, c], src[b, r + 1, c + 1]):
                if v != nodata and v == v:
                    total += v
                    weight += 1.0
            if weight == 0.0:
                out[b, i, j] = nodata
            elif rounded:
                out[b, i, j] = np.floor(total / weight + 0.5)
            else:
                out[b, i, j] = total / weight


#: A VRT band's opening tag, as GDAL's VRT driver writes it (its band number).
_VRT_BAND = re.compile(r'<VRTRasterBand\b[^>]*\bband="(\d+)"[^>]*>')


@contextmanager
def _with_overviews(source: Any, levels: Sequence[NDArray[Any]]) -> Iterator[Any]:
    """``source`` (a MEM dataset of :func:`basewatch._gdal.array_dataset`, its georeferencing and
    metadata set) as a VRT whose bands have ``levels`` (arrays of the same bands, each
    kept alive by the caller until the dataset is closed) as their overviews."""
    import rasterio
    import rasterio.shutil
    from rasterio.io import MemoryFile

    with MemoryFile(ext=".vrt") as described:
        rasterio.shutil.copy(source, described.name, driver="VRT")
        xml = bytes(described.getbuffer()).decode()
    names = [mem_name(level) for level in levels]

    def overviews(band: re.Match[str]) -> str:
        number = band.group(1)
        return band.group(0) + "".join(
            f'<Overview><SourceFilename relativeToVRT="0">{name}</SourceFilename>'
            f"<SourceBand>{number}</SourceBand></Overview>"
            for name in names
        )

    xml, found = _VRT_BAND.subn(overviews, xml)
    if found != source.count:
        raise OutputError(
            f"GDAL's VRT of the raster has {found} bands where {source.count} were written"
        )
    with rasterio.Env(GDAL_MEM_ENABLE_OPEN="YES"), rasterio.open(xml) as dataset:
        yield dataset


def _part(buffer: NDArray[np.int16], shape: tuple[int, ...], path: str | Path) -> NDArray[np.int16]:
    """The first ``shape[0]`` bands of ``buffer``, which must hold them on the raster's grid."""
    if (
        buffer.dtype != np.int16
        or buffer.ndim != 3
        or buffer.shape[0] < shape[0]
        or buffer.shape[1:] != shape[1:]
        or not buffer.flags.c_contiguous
    ):
        raise OutputError(
            f"{path}: a buffer for {shape} values must be a C-contiguous int16 array of "
            f"at least {shape[0]} bands of {shape[1:]}, not {buffer.dtype} {buffer.shape}"
        )
    return buffer[: shape[0]]


def _per_band(scale: float | Sequence[float], n: int, path: str | Path) -> tuple[float, ...]:
    """One scale per band: a number for all ``n``, or a sequence of ``n``."""
    if isinstance(scale, int | float | np.number):
        return (float(scale),) * n
    scales = tuple(float(v) for v in scale)
    if len(scales) != n:
        raise OutputError(f"{path}: {len(scales)} scales for {n} bands")
    return scales


def write_change_cog(
    result: PairResult, path: str | Path, *, buffer: NDArray[np.int16] | None = None
) -> Path:
    """The change map as a two-band COG: magnitude and changed pixels (1/0), nodata
    where either date is invalid.

    Optical: int16, the magnitude (a norm of reflectance differences) in steps of
    :data:`~basewatch.sensors.S2_REFLECTANCE_SCALE`, the step the scenes are stored in,
    with that scale in the file (band 1; clipped at 32767 steps), the changed pixels
    unscaled (band 2), :data:`SCENE_NODATA` where invalid. Half a step is below what
    the inputs resolve; the 5490 px tiled Beirut pair's change map is 65 MiB this way,
    162 MiB as float32, written in the same 2 s. Radar: float32 (NaN where invalid).

    ``buffer`` (int16, shape ``(bands >= 2, rows, cols)``, optional) is where an
    optical map's stored values are made: a caller writing several COGs passes one
    array for all of them (:func:`write_scene_cog` takes it too).
    """
    change = result.change
    if result.before.sensor == "S2":
        shape = (2, *change.valid.shape)
        steps = np.empty(shape, np.int16) if buffer is None else _part(buffer, shape, path)
        reflectance_steps(change.magnitude[np.newaxis], change.valid, out=steps[:1])
        np.copyto(steps[1], change.mask)
        np.copyto(steps[1], SCENE_NODATA, where=~change.valid)
        bands: NDArray[np.floating] | NDArray[np.integer] = steps
        nodata: float = SCENE_NODATA
        scales: tuple[float, ...] | None = (S2_REFLECTANCE_SCALE, 1.0)
    else:
        bands = np.empty((2, *change.valid.shape), np.float32)
        np.copyto(bands[0], change.magnitude, casting="same_kind")
        np.copyto(bands[1], change.mask)
        bands[:, ~change.valid] = np.nan
        nodata, scales = FLOAT_NODATA, None
    return write_cog(
        path,
        bands,
        result.before.grid,
        descriptions=(f"change magnitude ({change.method})", "changed (1) or not (0)"),
        nodata=nodata,
        scale=scales,
        overview_resampling="AVERAGE",
        tags={
            "BASEWATCH_METHOD": change.method,
            "BASEWATCH_THRESHOLD": f"{change.threshold:.6g}",
            "BASEWATCH_BEFORE": result.before.id,
            "BASEWATCH_AFTER": result.after.id,
        },
    )


def write_scene_cog(
    scene: Scene, path: str | Path, *, buffer: NDArray[np.int16] | None = None
) -> Path:
    """A scene as read and aligned for the comparison, one band per scene band, with its
    id, date and attribution: optical reflectance as int16 steps of
    :data:`~basewatch.sensors.S2_REFLECTANCE_SCALE` (the scale in the file,
    :data:`SCENE_NODATA` where invalid); radar backscatter as float32 (NaN where
    invalid).

    ``buffer`` (int16, shape ``(bands >= the scene's, rows, cols)``, optional) is where
    an optical scene's steps are made, for a caller writing several COGs."""
    if scene.sensor == "S2":
        data: NDArray[np.floating] | NDArray[np.integer] = reflectance_steps(
            scene.data,
            scene.valid,
            out=None if buffer is None else _part(buffer, scene.data.shape, path),
        )
        nodata: float = SCENE_NODATA
        scale: float | None = S2_REFLECTANCE_SCALE
    else:
        data = np.where(scene.valid[np.newaxis], scene.data, np.float32(np.nan))
        nodata, scale = FLOAT_NODATA, None
    return write_cog(
        path,
        data,
        scene.grid,
        descriptions=scene.bands,
        nodata=nodata,
        scale=scale,
        overview_resampling="AVERAGE",
        tags={
            "BASEWATCH_SCENE": scene.id,
            "BASEWATCH_DATETIME": scene.datetime.isoformat(),
            "BASEWATCH_SENSOR": scene.sensor,
            "BASEWATCH_SHIFT_PX": f"{scene.shift_px[0]:.4f},{scene.shift_px[1]:.4f}",
            "BASEWATCH_ATTRIBUTION": scene.attribution,
        },
    )


def reflectance_steps(
    data: NDArray[np.floating],
    valid: NDArray[np.bool_],
    *,
    out: NDArray[np.int16] | None = None,
) -> NDArray[np.int16]:
    """Reflectance as int16 steps of :data:`~basewatch.sensors.S2_REFLECTANCE_SCALE`,
    in one pass (:func:`reflectance_steps_reference` is the definition).

    Parameters
    ----------
    data : ndarray, shape (bands, rows, cols), float
    valid : ndarray, shape (rows, cols), bool
    out : ndarray, shape (bands, rows, cols), int16, optional
        Where to write the steps (C-contiguous); a new array by default.

    Returns
    -------
    ndarray, shape (bands, rows, cols), int16
        Rounded to the nearest step (half to even, in float32), clipped to +/-32767
        steps; :data:`SCENE_NODATA` where not valid, and for a NaN value.
    """
    values = np.ascontiguousarray(data, dtype=np.float32)
    ok = np.ascontiguousarray(valid, dtype=np.bool_)
    if values.ndim != 3 or values.shape[1:] != ok.shape:
        raise OutputError(f"reflectance {values.shape} does not match valid {ok.shape}")
    if out is None:
        out = np.empty(values.shape, dtype=np.int16)
    elif out.shape != values.shape or out.dtype != np.int16 or not out.flags.c_contiguous:
        raise OutputError(
            f"steps of reflectance {values.shape} go to a C-contiguous int16 array of that "
            f"shape, not {out.dtype} {out.shape}"
        )
    _steps(values, ok, np.float32(1.0 / S2_REFLECTANCE_SCALE), out)
    return out


@njit(cache=True, nogil=True, parallel=True)
def _steps(data: Any, valid: Any, per_unit: Any, out: Any) -> None:  # pragma: no cover
    nb, nr, nc = data.shape
    for i in prange(nr):
        ok = valid[i]
        # band by band along the row: runs the compiler vectorises (a pixel that is
        # not written as a step is rounded as 0, then replaced)
        for b in range(nb):
            row = data[b, i]
            steps = out[b, i]
            for j in range(nc):
                v = row[j] * per_unit
                bad = not ok[j] or v != v
                r = np.rint(np.float32(0.0) if bad else v)
                r = min(max(r, -_INT16_LIMIT), _INT16_LIMIT)
                steps[j] = SCENE_NODATA if bad else np.int16(r)


def reflectance_steps_reference(
    data: NDArray[np.floating], valid: NDArray[np.bool_]
) -> NDArray[np.int16]:
    """:func:`reflectance_steps` in numpy (the same values)."""
    steps = np.multiply(data, np.float32(1.0 / S2_REFLECTANCE_SCALE), dtype=np.float32)
    bad = np.isnan(steps) | ~valid[np.newaxis]
    steps[bad] = 0.0
    np.rint(steps, out=steps)
    np.clip(steps, -_INT16_LIMIT, _INT16_LIMIT, out=steps)
    out: NDArray[np.int16] = steps.astype(np.int16)
    out[bad] = SCENE_NODATA
    return out
