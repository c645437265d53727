"""Pixel grids: the georeferencing shared by every array of a scene.

Pure code (pyproj for CRS facts, no raster I/O). A :class:`Grid` is what two dates
must share before they can be differenced, and what turns pixel indices into map
coordinates and metres.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS, Geod, Proj, Transformer
from pyproj.exceptions import CRSError, ProjError

from basewatch.errors import GridMismatchError, InputError

__all__ = ["SCALE_TOLERANCE", "Grid", "require_same_grid", "utm_epsg_for"]

_WGS84 = Geod(ellps="WGS84")
#: Longitude/latitude, the CRS of every vector output.
_LONLAT = "EPSG:4326"
#: CRSs whose transformer to longitude/latitude is kept (a run meets one or two).
_TRANSFORMERS_KEPT = 16
#: Columns of a ``(row_min, col_min, row_max, col_max)`` box holding the row and the
#: column of each corner of its ring: top-left, top-right, bottom-right, bottom-left,
#: top-left.
_RING_ROWS = [0, 0, 2, 2, 0]
#: How far from 1 a projection's scale at a grid's centre may be before pixel sizes in
#: its units are corrected to ground metres (UTM stays within 0.1 %; Web Mercator is
#: 1 / cos(latitude): 27 % at 38 N).
SCALE_TOLERANCE = 0.01
_RING_COLS = [1, 3, 3, 1, 1]


@functools.lru_cache(maxsize=_TRANSFORMERS_KEPT)
def _lonlat_transformer(crs: str) -> Transformer:
    """The transformer from ``crs`` to longitude/latitude (made once: making one costs
    far more than transforming a few points; pyproj transformers are thread-safe)."""
    return Transformer.from_crs(CRS.from_user_input(crs), _LONLAT, always_xy=True)


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid.

    Parameters
    ----------
    crs : str
        Coordinate reference system, as ``"EPSG:32636"`` or WKT.
    transform : tuple of 6 float
        Affine transform ``(a, b, c, d, e, f)`` in rasterio/GDAL-affine order:
        ``x = a*col + b*row + c``, ``y = d*col + e*row + f`` (pixel corners).
    width, height : int
        Size in pixels (columns, rows).
    """

    crs: str
    transform: tuple[float, float, float, float, float, float]
    width: int
    height: int

    def __post_init__(self) -> None:
        a, b, _, d, e, _ = self.transform
        if b != 0.0 or d != 0.0:
            raise GridMismatchError(
                f"rotated grids are not supported (transform {self.transform}); "
                "warp the raster to a north-up grid first (gdalwarp)"
            )
        if a <= 0 or e >= 0:
            raise GridMismatchError(
                f"grid transform {self.transform} is not north-up with positive pixel size"
            )
        if self.width <= 0 or self.height <= 0:
            raise GridMismatchError(f"grid has no pixels ({self.width} x {self.height})")

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        return (self.height, self.width)

    @property
    def res(self) -> tuple[float, float]:
        """Pixel size in CRS units ``(x, y)``, both positive."""
        return (self.transform[0], -self.transform[4])

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in CRS units."""
        a, _, c, _, e, f = self.transform
        return (c, f + e * self.height, c + a * self.width, f)

    @cached_property
    def pyproj_crs(self) -> CRS:
        return CRS.from_user_input(self.crs)

    @cached_property
    def pixel_size_m(self) -> tuple[float, float]:
        """Ground size of one pixel in metres ``(x, y)`` at the grid centre.

        Geographic grids (degrees): the geodesic length of one pixel at the centre,
        good to well under 1 % across a site-sized window. Projected grids: the pixel
        in the CRS's units, in metres, divided by the projection's scale at the centre
        where that scale is more than :data:`SCALE_TOLERANCE` away from 1 (Web Mercator
        away from the equator: a "10 m" pixel of an EPSG:3857 export at 38 N is 7.9 m
        on the ground); UTM and other projections made for measuring (scale within
        0.1 % of 1 over a zone) are taken as they are.
        """
        crs = self.pyproj_crs
        left, bottom, right, top = self.bounds
        if crs.is_geographic:
            lon, lat = (left + right) / 2, (bottom + top) / 2
            dx, dy = self.res
            _, _, mx = _WGS84.inv(lon - dx / 2, lat, lon + dx / 2, lat)
            _, _, my = _WGS84.inv(lon, lat - dy / 2, lon, lat + dy / 2)
            return (float(mx), float(my))
        factor = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
        sx, sy = self.res[0] * factor, self.res[1] * factor
        try:
            clon, clat = self.to_lonlat((left + right) / 2, (bottom + top) / 2)
            scale = Proj(crs).get_factors(float(clon), float(clat))
            k, h = float(scale.parallel_scale), float(scale.meridional_scale)
        except (CRSError, ProjError, ValueError, TypeError):
            return (sx, sy)  # a projection pyproj cannot give factors for: as it is
        if not (math.isfinite(k) and math.isfinite(h) and k > 0 and h > 0):
            return (sx, sy)
        if max(abs(k - 1.0), abs(h - 1.0)) > SCALE_TOLERANCE:
            return (sx / k, sy / h)
        return (sx, sy)

    @property
    def pixel_area_m2(self) -> float:
        mx, my = self.pixel_size_m
        return mx * my

    def xy(
        self, rows: NDArray[np.floating] | float, cols: NDArray[np.floating] | float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Map coordinates of fractional pixel positions (``row + 0.5`` is a centre)."""
        a, _, c, _, e, f = self.transform
        r = np.asarray(rows, dtype=np.float64)
        q = np.asarray(cols, dtype=np.float64)
        return (c + a * q, f + e * r)

    def rowcol(
        self, x: NDArray[np.floating] | float, y: NDArray[np.floating] | float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Fractional ``(row, col)`` of map coordinates (inverse of :meth:`xy`)."""
        a, _, c, _, e, f = self.transform
        return (
            (np.asarray(y, dtype=np.float64) - f) / e,
            (np.asarray(x, dtype=np.float64) - c) / a,
        )

    def to_lonlat(
        self, x: ArrayLike, y: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Convert map coordinates of this grid's CRS to WGS84 longitude/latitude.

        Any number of points in one call (arrays of any shape, broadcast together); the
        transformer is made once per CRS and kept (:func:`_lonlat_transformer`), so
        many small calls cost little too, but one call per array is fastest.
        """
        xs, ys = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
        lon, lat = _lonlat_transformer(self.crs).transform(xs, ys)
        return np.asarray(lon, np.float64), np.asarray(lat, np.float64)

    def pixels_to_lonlat(
        self, rows: ArrayLike, cols: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """WGS84 longitude/latitude of fractional pixel positions (:meth:`xy`, then
        :meth:`to_lonlat`), for arrays of positions."""
        return self.to_lonlat(*self.xy(np.asarray(rows), np.asarray(cols)))

    def box_rings_lonlat(self, bbox_px: ArrayLike) -> NDArray[np.float64]:
        """Closed WGS84 rings of pixel boxes, all in one transform.

        Parameters
        ----------
        bbox_px : array_like, shape (n, 4)
            Boxes ``(row_min, col_min, row_max, col_max)`` on this grid, max exclusive
            (pixel corners: ``row_max`` is the bottom edge of the last row).

        Returns
        -------
        ndarray, shape (n, 5, 2), float64
            ``(lon, lat)`` of each box's corners: top-left, top-right, bottom-right,
            bottom-left, and the top-left again (the ring is closed), as GeoJSON
            polygons list them.

        Examples
        --------
        >>> grid = Grid("EPSG:4326", (0.001, 0.0, 35.5, 0.0, -0.001, 33.9), 100, 100)
        >>> grid.box_rings_lonlat([[0, 0, 2, 3]])[0].round(4).tolist()
        [[35.5, 33.9], [35.503, 33.9], [35.503, 33.898], [35.5, 33.898], [35.5, 33.9]]
        """
        boxes = np.asarray(bbox_px, dtype=np.float64).reshape(-1, 4)
        lon, lat = self.pixels_to_lonlat(boxes[:, _RING_ROWS], boxes[:, _RING_COLS])
        return np.stack([lon, lat], axis=-1)

    def same_as(self, other: Grid, *, tolerance: float = 1e-3) -> bool:
        """True when both grids share CRS, shape and pixel alignment.

        ``tolerance`` is a fraction of a pixel allowed in origin and pixel size.
        """
        if self.shape != other.shape:
            return False
        if self.crs != other.crs and self.pyproj_crs != other.pyproj_crs:
            return False
        a = np.asarray(self.transform)
        b = np.asarray(other.transform)
        px = abs(self.transform[0])
        return bool(np.all(np.abs(a - b) <= tolerance * px))

    def describe(self) -> str:
        left, bottom, right, top = self.bounds
        return (
            f"{self.width}x{self.height} px, {self.crs}, "
            f"pixel {self.res[0]:.6g}x{self.res[1]:.6g}, "
            f"bounds ({left:.6f}, {bottom:.6f}, {right:.6f}, {top:.6f})"
        )


def require_same_grid(a: Grid, b: Grid, *, what_a: str = "before", what_b: str = "after") -> None:
    """Raise :class:`GridMismatchError` naming both grids unless they match."""
    if not a.same_as(b):
        (al, ab, ar, at), (bl, bb, br, bt) = a.bounds, b.bounds
        apart = a.crs == b.crs and (al >= br or bl >= ar or ab >= bt or bb >= at)
        fix = (
            "they do not overlap at all: check that both show the same place (the site's)"
            if apart
            else "co-register them onto one grid first (for example gdalwarp -te/-tr to the "
            "same bounds and resolution, or let `basewatch run` fetch and align the scenes)"
        )
        raise GridMismatchError(
            f"the {what_a} and {what_b} rasters are on different pixel grids:\n"
            f"  {what_a}: {a.describe()}\n  {what_b}: {b.describe()}\n{fix}"
        )


def utm_epsg_for(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 UTM zone containing ``(lon, lat)``."""
    zone = math.floor((lon + 180.0) / 6.0) + 1
    return (32600 if lat >= 0 else 32700) + zone


#: Most pixels basewatch reads or rasterises in one piece: about four and a half
#: Sentinel-2 tiles (10980 x 10980 px each); four float32 bands of it take 8.6 GB.
MAX_WINDOW_PIXELS = 1 << 29


def check_window_size(rows: int, cols: int, *, bands: int = 1, what: str = "the window") -> None:
    """Refuse a raster window too large to hold, before anything is allocated.

    Parameters
    ----------
    rows, cols : int
        Window size in pixels.
    bands : int
        Bands to be held (for the size in the message).
    what : str
        What the window is, for the message (``"site 'x' on raster.tif"``).

    Raises
    ------
    InputError
        ``rows * cols`` exceeds :data:`MAX_WINDOW_PIXELS`.
    """
    pixels = int(rows) * int(cols)
    if pixels > MAX_WINDOW_PIXELS:
        gigabytes = pixels * max(bands, 1) * 4 / 1e9
        raise InputError(
            f"{what} is {cols:,} x {rows:,} px ({gigabytes:,.1f} GB as float32): more than "
            f"basewatch holds at once ({MAX_WINDOW_PIXELS:,} px); check the site outline and "
            "the raster's pixel size, or split the area into smaller sites"
        )
