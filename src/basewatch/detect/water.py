"""Water for vessel search on one optical date, with the short-wave infrared band.

NDWI (green vs NIR) calls wet mangrove, shaded vegetation, haze and surf water or not
water depending on the coast; the modified NDWI (green vs SWIR, Sentinel-2 B03 and
B11) separates water from land on those coasts better, because water absorbs SWIR
whatever floats on it or hangs above it. A ship is not water either, so the area
searched for vessels is the water with its ship-sized holes filled, and each candidate
is then placed relative to the shore (distance to land) and to open water (the share
of large water bodies around it): a strip along a mangrove edge, surf at a groyne or a
quay edge lies on the shore, a ship at anchor lies in open water.

Pure numpy/scipy, no I/O.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from skimage.filters import threshold_otsu

from basewatch.detect import _kernels
from basewatch.detect.components import NAN_WATER_INDEX, fill_small_holes, ndwi
from basewatch.errors import InputError

__all__ = ["WaterMasks", "WaterParams", "mndwi", "water_masks", "water_threshold"]

#: Modified NDWI above which a pixel is water (the index's natural zero: water
#: reflects more green than SWIR, every land cover less or about as much).
MNDWI_WATER_THRESHOLD = 0.0
#: Histogram bins of Otsu's threshold (skimage's default).
OTSU_BINS = 256


@dataclass(frozen=True)
class WaterParams:
    """How water, the vessel search area and land are drawn from one optical date.

    Areas are in square metres so that the same parameters hold at any pixel size.
    """

    mndwi_threshold: float | None = None
    """Modified NDWI (green vs SWIR) above which a pixel is water; ``None``: Otsu's
    threshold of the image's own MNDWI histogram (water and land are its two modes).
    The index's natural zero (:data:`MNDWI_WATER_THRESHOLD`) holds on calibrated
    reflectance; the per-image threshold also holds on exports whose bands were
    stretched one by one (the sen2ships scenes, where open water's MNDWI is -0.2 in
    one port and +0.8 in another)."""
    max_vessel_area_m2: float = 60_000.0
    """Largest hole in the water filled as a possible vessel (a 300 m x 50 m hull,
    with margin, plus its wake)."""
    use_ndwi: bool = True
    """Water must also be above Otsu's threshold of NDWI (green vs NIR) when the NIR band
    is given: MNDWI alone calls bright concrete quays water on some exports, NDWI
    alone wet vegetation; a pixel both call water is water."""
    min_water_body_m2: float = 50_000.0
    """Smallest piece of water kept as open water: ponds, shadows and flooded fields
    NDWI or MNDWI call water are smaller and apart from the sea."""
    min_land_m2: float = 60_000.0
    """Smallest piece of non-water counted as land (shore, quay, breakwater) for the
    distance to shore; smaller pieces inside the water are ships or buoys."""
    land_opening_m: float = 30.0
    """Radius of the disc that land is opened with: parts of the land that stick out
    narrower than twice this (a hull moored bow-on to a quay, a thin pier or spit) are
    taken off it and searched, so that such a ship is a candidate of its own, not a
    bump on the quay. A hull moored alongside a straight quay only thickens the quay
    and stays land: the opening cannot separate it."""

    def as_dict(self) -> dict[str, Any]:
        """Every parameter by name.

        Returns
        -------
        dict of str to value
        """
        return asdict(self)


@dataclass(frozen=True, eq=False)
class WaterMasks:
    """Water, the vessel search area and the distance to land of one date."""

    water: NDArray[np.bool_]
    """Shape (rows, cols): MNDWI water on valid pixels."""
    search: NDArray[np.bool_]
    """Shape (rows, cols): where a vessel may lie: water with its ship-sized holes
    filled, and the narrow parts taken off the land."""
    land: NDArray[np.bool_]
    """Shape (rows, cols): land (large non-water pieces, opened; invalid pixels too)."""
    open_water: NDArray[np.bool_]
    """Shape (rows, cols): water pieces of at least ``min_water_body_m2``."""
    threshold: float
    """MNDWI threshold applied."""
    pixel_size_m: tuple[float, float] = (10.0, 10.0)
    """Ground pixel size ``(x, y)`` in metres (of the distances to land)."""

    @functools.cached_property
    def shore_distance_m(self) -> NDArray[np.float32]:
        """Shape (rows, cols): distance in metres from each pixel to the nearest land
        pixel (non-water pieces of at least ``min_land_m2``, and invalid pixels); 0 on
        land, inf everywhere when there is no land. Made on first use (a whole image's
        Euclidean distance transform); :meth:`shore_distance_at` gives the same values
        at some pixels without it."""
        if not self.land.any():
            return np.full(self.land.shape, np.inf, dtype=np.float32)
        dist = ndimage.distance_transform_edt(~self.land, sampling=self._sampling)
        return np.asarray(dist, dtype=np.float32)

    @property
    def _sampling(self) -> tuple[float, float]:
        # rows then columns, as scipy's distance transform takes them
        return (float(self.pixel_size_m[1]), float(self.pixel_size_m[0]))

    def shore_distance_at(
        self, rows: NDArray[np.integer[Any]], cols: NDArray[np.integer[Any]]
    ) -> NDArray[np.float32]:
        """:attr:`shore_distance_m` at the pixels ``(rows, cols)``, from the land's edge
        pixels alone (the nearest land pixel to a pixel off the land always has a
        neighbour off the land, towards it), each distance in the distance transform's
        arithmetic: a few thousand candidates' pixels without the whole image's
        transform.

        Parameters
        ----------
        rows, cols : ndarray, shape (n,), int

        Returns
        -------
        ndarray, shape (n,), float32
        """
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        land = self.land
        if not land.any():
            return np.full(rows.shape, np.inf, dtype=np.float32)
        if "shore_distance_m" in self.__dict__:  # the whole transform was made already
            return np.asarray(self.shore_distance_m[rows, cols], dtype=np.float32)
        sy, sx = self._sampling
        tree, edge_r, edge_c = self._land_edges
        if not len(edge_r):  # land everywhere: every pixel asked for is on it
            return np.zeros(rows.shape, dtype=np.float32)
        _, nearest = tree.query(np.column_stack([rows * sy, cols * sx]))
        # scipy's order: integer offsets, scaled, squared, summed over the axes
        dr = (edge_r[nearest] - rows).astype(np.float64) * sy
        dc = (edge_c[nearest] - cols).astype(np.float64) * sx
        dist = np.sqrt(dr * dr + dc * dc)
        dist[land[rows, cols]] = 0.0
        return np.asarray(dist, dtype=np.float32)

    @functools.cached_property
    def _land_edges(self) -> tuple[Any, NDArray[np.int64], NDArray[np.int64]]:
        """A k-d tree of the land pixels with a 4-neighbour off the land, and their rows
        and columns."""
        from scipy.spatial import cKDTree

        land = self.land
        inner = land.copy()
        inner[1:] &= land[:-1]
        inner[:-1] &= land[1:]
        inner[:, 1:] &= land[:, :-1]
        inner[:, :-1] &= land[:, 1:]
        edge_r, edge_c = np.nonzero(land & ~inner)
        sy, sx = self._sampling
        tree = cKDTree(np.column_stack([edge_r * sy, edge_c * sx]))
        return tree, edge_r.astype(np.int64), edge_c.astype(np.int64)


def mndwi(green: NDArray[Any], swir: NDArray[Any]) -> NDArray[np.float32]:
    """Modified normalised difference water index ``(green - swir) / (green + swir)``.

    Parameters
    ----------
    green, swir : ndarray, shape (rows, cols)
        Green and short-wave infrared bands (Sentinel-2 B03 and B11 resampled to the
        green band's grid), same shape and units.

    Returns
    -------
    ndarray, shape (rows, cols), float32
        NaN where either band is NaN or both are 0.

    Examples
    --------
    >>> import numpy as np
    >>> mndwi(np.array([[900.0, 300.0]]), np.array([[100.0, 900.0]])).round(2)
    array([[ 0.8, -0.5]], dtype=float32)
    """
    if np.shape(green) != np.shape(swir):
        raise InputError(
            f"green {np.shape(green)} and swir {np.shape(swir)} must have the same shape: "
            "resample the SWIR band (B11, 20 m) onto the green band's 10 m grid first"
        )
    g = np.asarray(green, dtype=np.float32)
    s = np.asarray(swir, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (g - s) / (g + s)
    return np.asarray(np.where(np.isfinite(out), out, np.nan), dtype=np.float32)


def _pieces_at_least(mask: NDArray[np.bool_], min_px: int) -> NDArray[np.bool_]:
    """``mask`` without its 8-connected pieces of under ``min_px`` pixels."""
    if min_px <= 1 or not mask.any():
        return mask.copy()
    lab, n = _kernels.label_components(mask, eight=True)
    keep = _kernels.label_sizes(lab, n) >= min_px
    keep[0] = False
    return np.asarray(_kernels.label_lookup(lab, keep), dtype=bool)


def water_threshold(index: NDArray[Any], *, where: NDArray[np.bool_] | None = None) -> float:
    """Otsu's threshold of a water index over an image (NaN ignored).

    Parameters
    ----------
    index : ndarray, any shape
        MNDWI (or NDWI) values.
    where : ndarray, bool, optional
        Same shape: the values that count (``index[where]``, without its copy).

    Returns
    -------
    float
        The threshold; :data:`MNDWI_WATER_THRESHOLD` when the values are fewer than
        two distinct ones (an image of water only or land only has no second mode).
    """
    vals = np.asarray(index)
    if not np.issubdtype(vals.dtype, np.floating):
        vals = vals.astype(np.float64)
    lo, hi, count = _kernels.finite_range(vals, where)
    if count < 2 or lo == hi:
        return MNDWI_WATER_THRESHOLD
    # skimage's threshold_otsu over the finite values, from their histogram (its 256
    # bins over their range, made as numpy makes it), without a float64 copy of them
    counts, edges = _kernels.uniform_histogram(vals, lo, hi, OTSU_BINS, where)
    centers = (edges[:-1] + edges[1:]) / 2.0
    return float(threshold_otsu(hist=(counts, centers)))  # type: ignore[no-untyped-call]


def _above(
    index: NDArray[np.floating[Any]], threshold: float, *, nan_as: float
) -> NDArray[np.bool_]:
    """``np.nan_to_num(index, nan=nan_as) > threshold`` without the converted copy: an
    infinite index compares as the largest finite value of its sign would, a NaN as
    ``nan_as`` (compared in the index's dtype, as numpy compares it)."""
    with np.errstate(invalid="ignore"):
        above = np.asarray(index > threshold)
    if np.asarray(nan_as, dtype=index.dtype) > threshold:
        above |= np.isnan(index)
    return above


def _disc(radius: float) -> NDArray[np.bool_]:
    """Disc-shaped structuring element of ``radius`` pixels."""
    r = int(radius)
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    return np.asarray(yy**2 + xx**2 <= radius**2, dtype=bool)


def water_masks(
    green: NDArray[Any],
    swir: NDArray[Any],
    *,
    nir: NDArray[Any] | None = None,
    pixel_size_m: tuple[float, float],
    params: WaterParams = WaterParams(),
    valid: NDArray[np.bool_] | None = None,
) -> WaterMasks:
    """Water (MNDWI), the vessel search area, open water and the distance to land.

    Parameters
    ----------
    green, swir : ndarray, shape (rows, cols)
        As :func:`mndwi`.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.
    params : WaterParams
    valid : ndarray, shape (rows, cols), bool, optional
        Usable pixels (default: where both bands are finite and not both 0); others are
        neither water nor searched, and count as land for the distance to shore.

    Returns
    -------
    WaterMasks
    """
    index = mndwi(green, swir)
    ok = np.isfinite(index)
    if valid is not None:
        if valid.shape != index.shape:
            raise InputError(f"valid {valid.shape} and bands {index.shape} must have one shape")
        ok &= valid
    threshold = params.mndwi_threshold
    if threshold is None:
        threshold = water_threshold(index, where=ok)
    water = ok & (index > threshold)  # ok: MNDWI is finite
    if nir is not None and params.use_ndwi:
        nd = ndwi(green, nir)
        water &= _above(nd, water_threshold(nd, where=ok), nan_as=NAN_WATER_INDEX)
    area = pixel_size_m[0] * pixel_size_m[1]
    open_water = _pieces_at_least(water, int(params.min_water_body_m2 / area))
    search = fill_small_holes(water, max_hole_px=int(params.max_vessel_area_m2 / area)) & ok
    land = _pieces_at_least(~search & ok, int(params.min_land_m2 / area))
    radius = params.land_opening_m / float(np.sqrt(area))
    if radius >= 1:
        disc = _disc(radius)
        core = _kernels.erode_by(land, disc)
        land = _kernels.dilate_by(core, disc) & land
    search |= ~land & ok
    land |= ~ok
    return WaterMasks(
        water=water,
        search=search,
        land=land,
        open_water=open_water,
        threshold=float(threshold),
        pixel_size_m=(float(pixel_size_m[0]), float(pixel_size_m[1])),
    )
