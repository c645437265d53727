"""Connected components and their features: labels, moments, shapes, rings and contrasts.

Pure code (numpy and scipy.ndimage, no I/O). Features are computed for all
components at once with ``bincount`` moments, so the cost does not grow with the
number of objects in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from basewatch._threads import pool as thread_pool
from basewatch.aoi import Zone
from basewatch.detect import _kernels
from basewatch.detect.change import CFAR_STATISTICS, cfar
from basewatch.errors import InputError


@dataclass(frozen=True)
class SizeRange:
    """Plausible length range (metres) of an object class."""

    min_length_m: float
    max_length_m: float
    max_width_m: float


#: How pairs without B11 may be searched for vessels (:attr:`ObjectParams.vessels_without_b11`).
VESSELS_WITHOUT_B11 = ("rule", "union")


@dataclass(frozen=True)
class ObjectParams:
    """Parameters of object extraction, all recorded in the run record.

    Sizes follow the object table in the project's facts: aircraft of interest are
    16 m (Ka-52) to 69 m (An-124) long; vessels 10 m (patrol boats) to 300 m.
    ``min_local_contrast`` is how much brighter than its surroundings (relative, on
    the date it is present) a changed blob must be to count as an object rather than
    a change of the surface (wet ground, turbid water, new paint).

    Single-date objects (:func:`date_observations`, on when ``date_objects``): aircraft
    are bright objects (CFAR on the mean of the bands, guard and background windows of
    ``aircraft_guard_m`` and ``aircraft_window_m``, false-alarm rate ``aircraft_pfa``,
    hysteresis down to ``aircraft_k_low``) inside aircraft zones, of the aircraft size
    range and at least the detectable length, brighter than their surroundings by
    ``min_local_contrast`` and by ``aircraft_min_band_contrast`` in every band given
    (mean, green, NIR: white or light-grey paint is bright from the visible to the NIR,
    and at 10 m an aircraft's skin covers much of its pixels, while a vehicle, a small
    roof or a runway marking in the same pixels stays dimmer in at least one band;
    on the Beirut sample the airliner is at +0.39 in its weakest band, the car-park
    blobs and a moving vehicle at +0.21 to +0.27; the level assumes reflectance, not
    an 8-bit stretched product, where white saturates and contrasts are lower);
    ``aircraft_background`` is what the CFAR compares a pixel with: ``"mean"`` (the
    mean and standard deviation of its ring, as chosen on the Beirut apron) or
    ``"median"`` (the ring's median and interquartile range, which other aircraft,
    roofs and markings in the ring do not inflate: on crowded civil aprons seen at
    10 m the mean's spread hides every airliner, see ``benchmarks/README.md``; slower,
    so not the default); ``vessels_without_b11`` is how a pair whose scenes lack
    B11 is searched for vessels: ``"rule"`` (the rule-based search) or ``"union"``
    (the 10 m bands' trained classifier, and the rule's vessels sharing no pixel with its:
    three times the rule's recall on held-out ports at a lower precision, and slower;
    ``models/MODEL_CARD.md``; strips of ``monitor --pair`` refuse it); vessels come from
    :func:`basewatch.detect.vessels.detect_vessels_optical` inside water zones. The two dates'
    objects are matched with centres at most ``match_max_distance_m`` apart.

    Moored hulls in berth zones (``berth_hulls``, see :func:`berth_hulls`): a ship
    against a quay is no hole in the water, and a red or dark hull can even be water by
    NDWI, so in berth zones (traced on the water, ending at the quay face) a vessel is
    also a component of pixels brighter in the NIR than the zone's water by
    ``berth_hull_k`` robust standard deviations (1.4826 MAD around the median) and at
    least ``berth_hull_min_ratio`` times that median (on the Beirut sample water is
    0.02-0.03, mixed quay-face pixels up to 0.06, hulls 0.10-0.20), of the vessel size
    range and at least the detectable length, and at least ``berth_min_elongation``
    times as long as wide.
    """

    min_pixels: int = 3
    opening: bool = True
    closing: bool = True
    aircraft: SizeRange = SizeRange(12.0, 90.0, 90.0)
    vessel: SizeRange = SizeRange(12.0, 400.0, 70.0)
    min_local_contrast: float = 0.10
    min_water_when_absent: float = 0.5
    min_hull_when_present: float = 0.2
    detectable_factor: float = 2.0
    connectivity: int = 2
    date_objects: bool = True
    aircraft_guard_m: float = 40.0
    aircraft_window_m: float = 150.0
    aircraft_pfa: float = 1e-4
    aircraft_k_low: float | None = 2.5
    aircraft_min_band_contrast: float = 0.30
    aircraft_background: str = "mean"
    vessels_without_b11: str = "rule"
    match_max_distance_m: float = 150.0
    berth_hulls: bool = True
    berth_hull_k: float = 6.0
    berth_hull_min_ratio: float = 3.0
    berth_min_elongation: float = 2.0
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.aircraft_background not in CFAR_STATISTICS:
            raise InputError(
                f"ObjectParams.aircraft_background is {self.aircraft_background!r}: give "
                f"{' or '.join(repr(v) for v in CFAR_STATISTICS)}"
            )
        if self.vessels_without_b11 not in VESSELS_WITHOUT_B11:
            raise InputError(
                f"ObjectParams.vessels_without_b11 is {self.vessels_without_b11!r}: give "
                f"{' or '.join(repr(v) for v in VESSELS_WITHOUT_B11)}"
            )
        if self.connectivity not in (1, 2):
            raise InputError(
                f"ObjectParams.connectivity is {self.connectivity!r}: give 1 (pixels joined "
                "through their sides) or 2 (through sides and corners, the default)"
            )


_CHUNK = 32768


def shape_from_moments(
    moments: NDArray[np.int64],
    box: NDArray[np.int64],
    *,
    pixel_size_m: tuple[float, float],
) -> dict[str, NDArray[np.float64]]:
    """Shape features from exact integer moments (shared by every extraction path).

    Parameters
    ----------
    moments : ndarray, shape (n, 6), int64
        Per component: pixel count, sum of rows, sum of cols, sum of rows^2, sum of
        cols^2, sum of rows*cols (pixel indices).
    box : ndarray, shape (n, 4), int64
        ``row_min, col_min, row_max, col_max`` (max exclusive).
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres.

    Returns
    -------
    dict of ndarray, each shape (n,), float64
        See :func:`component_features`.
    """
    if len(moments) > _CHUNK:
        # elementwise, so chunks give the same values; small temporaries stay in cache,
        # and chunks run on two threads (numpy releases the GIL in its loops) unless the
        # process's share of the cores is one
        starts = range(0, len(moments), _CHUNK)
        with thread_pool(2, name="basewatch-shape") as pool:
            parts = list(
                pool.map(
                    lambda i: shape_from_moments(
                        moments[i : i + _CHUNK], box[i : i + _CHUNK], pixel_size_m=pixel_size_m
                    ),
                    starts,
                )
            )
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    px, py = pixel_size_m
    n, sr, sc, srr, scc, src = np.ascontiguousarray(moments.T)
    r0, c0 = np.ascontiguousarray(box[:, :2].T)
    # shift to the box corner in exact integers, then central moments in float64
    sr1 = sr - n * r0
    sc1 = sc - n * c0
    srr1 = srr - 2 * r0 * sr + n * r0 * r0
    scc1 = scc - 2 * c0 * sc + n * c0 * c0
    src1 = src - r0 * sc - c0 * sr + n * r0 * c0
    area = n.astype(np.float64)
    safe = np.where(area > 0, area, 1.0)
    mr = sr1 / safe
    mc = sc1 / safe
    vrr = np.maximum(srr1 / safe - mr * mr, 0.0)
    vcc = np.maximum(scc1 / safe - mc * mc, 0.0)
    vrc = src1 / safe - mr * mc
    # covariance of the area covered (a pixel is a px x py rectangle, not a point)
    syy = vrr * py * py + py * py / 12.0
    sxx = vcc * px * px + px * px / 12.0
    sxy = vrc * px * py
    tr = sxx + syy
    det_term = np.sqrt(np.maximum(((sxx - syy) / 2) ** 2 + sxy**2, 0))
    lam1 = np.maximum(tr / 2 + det_term, 0)
    lam2 = np.maximum(tr / 2 - det_term, 0)
    # a uniform bar of length L has variance L^2 / 12 along it
    length = np.sqrt(12 * lam1)
    width = np.sqrt(12 * lam2)
    # major-axis angle from +x (east) with y down (rows grow south): a bearing
    theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    bearing = (90.0 + np.degrees(theta)) % 180.0
    return {
        "area_px": area,
        "row": r0 + mr + 0.5,
        "col": c0 + mc + 0.5,
        "length_m": length,
        "width_m": width,
        "orientation_deg": bearing,
        "row_min": box[:, 0].astype(np.float64),
        "col_min": box[:, 1].astype(np.float64),
        "row_max": box[:, 2].astype(np.float64),
        "col_max": box[:, 3].astype(np.float64),
    }


@dataclass(frozen=True, eq=False)
class LabelMoments:
    """Exact integer moments of labelled components, from :func:`label_moments`."""

    moments: NDArray[np.int64]
    """Shape (n, 6): pixel count, sums of rows, cols, rows^2, cols^2, rows*cols."""
    box: NDArray[np.int64]
    """Shape (n, 4): ``row_min, col_min, row_max, col_max`` (max exclusive)."""
    flat_index: NDArray[np.intp]
    """Shape (k,): raster index of every labelled pixel, in raster order."""
    lab: NDArray[np.int64]
    """Shape (k,): the label (1..n) of each of those pixels."""


def label_moments(labels: NDArray[np.integer[Any]], n: int, *, pixels: bool = True) -> LabelMoments:
    """Exact integer moments and boxes of labelled components.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    pixels : bool
        Also list the labelled pixels (``flat_index``, ``lab``); without, both are
        empty (shapes only, one pass over the labels).

    Returns
    -------
    LabelMoments
        ``moments`` (n, 6) and ``box`` (n, 4) int64, ``flat_index`` and ``lab`` (k,).
        What :func:`_label_moments_reference` gives, in one pass over the labels
        (:func:`basewatch.detect._kernels.label_moments`) without its per-pixel arrays.
    """
    moments, box, idx, lab = _kernels.label_moments(labels, n, pixels=pixels)
    # boxes max-exclusive, as ``ndimage.find_objects`` gives them; a label with no
    # pixel keeps a zero box
    box[:, 2:] += 1
    box[moments[:, 0] == 0] = 0
    return LabelMoments(moments=moments, box=box, flat_index=idx, lab=lab)


def _label_moments_reference(labels: NDArray[np.integer[Any]], n: int) -> LabelMoments:
    """:func:`label_moments` in numpy (``np.add.at`` over every labelled pixel's row,
    column and their products): what the kernel must equal."""
    flat = labels.ravel()
    idx = np.flatnonzero(flat)
    lab = flat[idx].astype(np.int64)
    rows, cols = np.divmod(idx.astype(np.int64), labels.shape[1])
    moments = np.zeros((n + 1, 6), dtype=np.int64)
    for j, v in enumerate((np.ones_like(rows), rows, cols, rows * rows, cols * cols, rows * cols)):
        np.add.at(moments[:, j], lab, v)
    lo = np.full((2, n + 1), np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full((2, n + 1), -1, dtype=np.int64)
    for axis, at in enumerate((rows, cols)):
        np.minimum.at(lo[axis], lab, at)
        np.maximum.at(hi[axis], lab, at)
    box = np.column_stack([lo[0], lo[1], hi[0] + 1, hi[1] + 1])[1:]
    box[moments[1:, 0] == 0] = 0
    return LabelMoments(moments=moments[1:], box=box, flat_index=idx, lab=lab)


def gather(image: NDArray[Any], flat_index: NDArray[np.integer[Any]]) -> NDArray[Any]:
    """Values of a 2-D image at raster indexes of its own shape, without copying it; of
    a band stack, the mean of its bands there.

    ``np.asarray(image).ravel()[flat_index]`` copies the whole image first when it is
    a view that is not contiguous (a crop); this reads only the pixels asked for. A
    stack is averaged at those pixels only, with the arithmetic of
    :func:`basewatch.detect._kernels.band_mean` (the bands added in order in their own
    type, then divided by their count): the values of ``band_mean(stack)`` at
    ``flat_index``, bit for bit, without the image-sized mean.

    Parameters
    ----------
    image : ndarray, shape (rows, cols) or (bands, rows, cols)
    flat_index : ndarray, shape (k,), int
        Raster (C-order) indexes into one ``(rows, cols)`` plane.

    Returns
    -------
    ndarray, shape (k,)
        Same dtype as ``image`` (a stack of other than float32 or float64: float64).
    """
    img = np.asarray(image)
    if img.ndim == 3:
        if img.shape[0] == 0:
            raise InputError("a band stack to average has no band: give at least one")
        if img.dtype in (np.float32, np.float64):
            return _kernels.band_mean_at(img, flat_index)
        # other types in float64, added band by band, as numpy's mean takes integers
        rows, cols = np.divmod(flat_index, img.shape[2])
        total = img[0, rows, cols].astype(np.float64)
        for b in range(1, img.shape[0]):
            total += img[b, rows, cols]
        return np.asarray(total / img.shape[0])
    if img.flags.c_contiguous:
        return np.asarray(img.ravel()[flat_index])
    rows, cols = np.divmod(flat_index, img.shape[1])
    return np.asarray(img[rows, cols])


def _cropped(image: NDArray[Any], crop: tuple[slice, slice] | None) -> NDArray[Any]:
    """``image`` (one plane or a band stack) within ``crop`` (rows, columns), a view."""
    img = np.asarray(image)
    return img if crop is None else img[(Ellipsis, *crop)]


def component_features(
    labels: NDArray[np.integer[Any]],
    n: int,
    *,
    pixel_size_m: tuple[float, float],
    values: Mapping[str, NDArray[np.floating[Any]]] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Shape features of labelled components, vectorised (no loop over objects).

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)`` in metres (pixels may be non-square).
    values : mapping of name to ndarray (rows, cols), optional
        Images whose per-component mean is returned as ``mean_<name>`` (NaN counts 0).

    Returns
    -------
    dict of ndarray, each shape (n,)
        ``area_px``, ``row``, ``col`` (centroid, in pixel units with pixel centres at
        ``+0.5``), ``length_m``, ``width_m`` (extent along the principal axes: a bar
        of ``L`` pixels gives ``L * pixel``), ``orientation_deg`` (long axis, degrees
        clockwise from north, 0..180), ``row_min``, ``col_min``, ``row_max``,
        ``col_max`` (max exclusive) and ``mean_<name>`` for each value image.
    """
    return _component_features(labels, n, pixel_size_m=pixel_size_m, values=values)[0]


def _component_features(
    labels: NDArray[np.integer[Any]],
    n: int,
    *,
    pixel_size_m: tuple[float, float],
    values: Mapping[str, NDArray[np.floating[Any]]] | None = None,
) -> tuple[dict[str, NDArray[np.float64]], LabelMoments]:
    """:func:`component_features` and the moments it was computed from."""
    lm = label_moments(labels, n)
    out = shape_from_moments(lm.moments, lm.box, pixel_size_m=pixel_size_m)
    for name, img in (values or {}).items():
        out[f"mean_{name}"] = _label_mean(lm, img, n, out["area_px"])
    return out, lm


def _label_mean(
    lm: LabelMoments,
    image: NDArray[Any],
    n: int,
    area_px: NDArray[np.float64],
    *,
    dtype: type[np.floating[Any]] | None = None,
) -> NDArray[np.float64]:
    """Mean of ``image`` (NaN counts 0) over each component of ``lm``; ``dtype``, when
    given, is what the values are cast to first (as ``image.astype(dtype)`` would)."""
    v = gather(image, lm.flat_index)
    if dtype is not None:
        v = v.astype(dtype)
    return mean_by_label(lm, v, n, area_px)


def mean_by_label(
    lm: LabelMoments, values: NDArray[Any], n: int, area_px: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Mean of per-pixel values over each component (NaN and infinite values count 0).

    Parameters
    ----------
    lm : LabelMoments
        The components (:func:`label_moments`).
    values : ndarray, shape (k,)
        One value per labelled pixel, in the order of ``lm.flat_index``.
    n : int
        Number of components.
    area_px : ndarray, shape (n,), float64
        Their pixel counts.

    Returns
    -------
    ndarray, shape (n,), float64
        As the ``mean_<name>`` features of :func:`component_features`.
    """
    v = np.asarray(values).astype(np.float64)
    v = np.where(np.isfinite(v), v, 0.0)
    safe = np.where(area_px > 0, area_px, 1.0)
    return np.asarray(np.bincount(lm.lab, v, minlength=n + 1)[1:] / safe, dtype=np.float64)


def majority_zone(
    labels: NDArray[np.integer[Any]], n: int, zone_idx: NDArray[np.integer[Any]], n_zones: int
) -> NDArray[np.int64]:
    """Zone holding most of each component's pixels.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    zone_idx : ndarray, shape (rows, cols), int
        Zone of each pixel, ``-1`` outside the zones (:func:`basewatch.aoi.zone_index`).
    n_zones : int
        Number of zones.

    Returns
    -------
    ndarray, shape (n,), int64
        Index of the zone with most of the component's pixels, ``-1`` where most of
        them lie outside every zone (ties go to the lower index, outside first).
    """
    at, lab_ = _kernels.labelled_pixels(labels)
    lab = lab_.astype(np.int64)
    z = gather(zone_idx, at).astype(np.int64) + 1  # 0 = outside
    counts = np.bincount(lab * (n_zones + 1) + z, minlength=(n + 1) * (n_zones + 1))
    counts = counts.reshape(n + 1, n_zones + 1)[1:]
    return np.asarray(np.argmax(counts, axis=1), dtype=np.int64) - 1


def label_max(
    labels: NDArray[np.integer[Any]], n: int, image: NDArray[Any], *, nan: float | None = None
) -> NDArray[np.float64]:
    """Largest value of ``image`` in each component (one pass, no sort by label).

    Only the components' pixels are read (and converted to float64).

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components (each of at least one pixel).
    n : int
        Number of components.
    image : ndarray, shape (rows, cols)
        Values (finite where components are).
    nan : float, optional
        When given, the components' values pass through ``np.nan_to_num(v, nan=nan)``
        first (as ``label_max(labels, n, np.nan_to_num(image, nan=nan))`` would read
        them, without converting the whole image).

    Returns
    -------
    ndarray, shape (n,), float64
    """
    idx, lab = _kernels.labelled_pixels(labels)
    return _label_max_at(idx, lab, n, image, nan=nan)


def _label_max_at(
    idx: NDArray[np.integer[Any]],
    lab: NDArray[np.integer[Any]],
    n: int,
    image: NDArray[Any],
    *,
    nan: float | None,
) -> NDArray[np.float64]:
    """:func:`label_max` from the components' pixels (raster indexes and labels)."""
    vals = gather(image, idx)
    if nan is not None:
        vals = np.nan_to_num(vals, nan=nan)
    return max_by_label(lab, n, vals)


def max_by_label(
    lab: NDArray[np.integer[Any]], n: int, values: NDArray[Any]
) -> NDArray[np.float64]:
    """Largest of ``values`` (as float64) for each label ``1..n``, ``lab`` the label of
    each value; ``-inf`` for a label with none."""
    out = np.full(n + 1, -np.inf, dtype=np.float64)
    np.maximum.at(out, lab, np.asarray(values).astype(np.float64))
    return out[1:]


def ring_mean(
    labels: NDArray[np.integer[Any]],
    n: int,
    image: NDArray[Any],
    *,
    inner_px: int = 0,
    outer_px: int = 2,
) -> NDArray[np.float64]:
    """Mean of ``image`` over a ring around each component (vectorised, no object loop).

    The ring is the pixels within ``outer_px`` (chessboard distance) of the component
    and farther than ``inner_px`` from every component; where rings overlap, a pixel
    goes to the higher label. :func:`ring_means` averages several images over one ring.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    image : ndarray, shape (rows, cols)
        Values to average (NaN ignored); a bool mask gives the fraction of the ring in it.
    inner_px, outer_px : int
        Ring radii in pixels, ``0 <= inner_px < outer_px``.

    Returns
    -------
    ndarray, shape (n,), float64
        Mean over each ring's finite pixels; NaN where a component has none.
    """
    return ring_means(labels, n, [image], inner_px=inner_px, outer_px=outer_px)[0]


def ring_means(
    labels: NDArray[np.integer[Any]],
    n: int,
    images: Sequence[NDArray[Any]],
    *,
    inner_px: int = 0,
    outer_px: int = 2,
) -> list[NDArray[np.float64]]:
    """:func:`ring_mean` of several images over one ring, found once.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    images : sequence of ndarray, each shape (rows, cols) or (bands, rows, cols)
        Values to average (NaN ignored); of a band stack, its band mean (:func:`gather`).
    inner_px, outer_px : int
        Ring radii in pixels, ``0 <= inner_px < outer_px``.

    Returns
    -------
    list of ndarray, each shape (n,), float64
        One per image, as :func:`ring_mean`.
    """
    ring = component_ring(labels, n, inner_px=inner_px, outer_px=outer_px)
    return [ring.mean(image) for image in images]


@dataclass(frozen=True, eq=False)
class ComponentRing:
    """The ring of :func:`ring_mean` around each component, found once
    (:func:`component_ring`): images are then read at its pixels alone."""

    n: int
    """Number of components."""
    crop: tuple[slice, slice] | None
    """Rows and columns of the image that hold every ring (None: the whole image)."""
    at: NDArray[np.intp]
    """Shape (k,): raster indexes of the ring's pixels within ``crop``, in raster order."""
    owner: NDArray[np.integer[Any]]
    """Shape (k,): the component (1..n) each ring pixel belongs to."""

    def values(self, image: NDArray[Any]) -> NDArray[Any]:
        """``image`` (rows, cols) at the ring's pixels (of a band stack, its band mean
        there, :func:`gather`): shape (k,), the image's dtype."""
        return gather(_cropped(image, self.crop), self.at)

    def means(self, values: NDArray[Any]) -> NDArray[np.float64]:
        """Mean over each component's ring of ``values`` (shape (k,), as :meth:`values`
        gives them; NaN ignored): shape (n,), NaN where a ring has no finite value."""
        counts, sums = _kernels.label_sums(values, self.owner, self.n, skip_nonfinite=True)
        total, acc = counts[1:].astype(np.float64), sums[1:]
        return np.where(total > 0, acc / np.where(total > 0, total, 1), np.nan)

    def mean(self, image: NDArray[Any]) -> NDArray[np.float64]:
        """:func:`ring_mean` of ``image``: :meth:`means` of its :meth:`values`."""
        return self.means(self.values(image))


def component_ring(
    labels: NDArray[np.integer[Any]], n: int, *, inner_px: int = 0, outer_px: int = 2
) -> ComponentRing:
    """The ring of :func:`ring_mean` around each component, for reading several images
    there.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    inner_px, outer_px : int
        Ring radii in pixels, ``0 <= inner_px < outer_px``.

    Returns
    -------
    ComponentRing
    """
    crop = _crop_around(labels > 0, halo=outer_px)
    if crop is not None:  # the rings lie within outer_px of the components
        labels = labels[crop]
    # the ring, in raster order (_ring_pixels_reference is the definition)
    at, owner = _kernels.ring_pixels(labels, inner_px=inner_px, outer_px=outer_px)
    return ComponentRing(n=n, crop=crop, at=at, owner=owner)


def _ring_pixels_reference(
    labels: NDArray[np.integer[Any]], *, inner_px: int, outer_px: int
) -> tuple[NDArray[np.intp], NDArray[np.integer[Any]]]:
    """The ring of :func:`ring_means` by two maximum filters over the image: what
    :func:`basewatch.detect._kernels.ring_pixels` must equal."""
    grown = ndimage.grey_dilation(labels, size=(2 * outer_px + 1,) * 2)
    occupied = labels > 0
    if inner_px:
        occupied = ndimage.maximum_filter(occupied, size=2 * inner_px + 1)
    at = np.flatnonzero(~occupied & (grown > 0))
    return at, grown.ravel()[at]


def local_contrast(
    labels: NDArray[np.integer[Any]], n: int, image: NDArray[np.floating[Any]]
) -> NDArray[np.float64]:
    """Relative brightness of each component over its ring: ``inside / ring - 1``.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    image : ndarray, shape (rows, cols), float
        Brightness (NaN invalid: counts 0 inside, is left out of the ring).

    Returns
    -------
    ndarray, shape (n,), float64
        Mean inside over the mean of the 2-pixel ring (:func:`ring_mean`), minus 1;
        0 where the ring mean is not positive or undefined.
    """
    return local_contrasts(labels, n, [image])[0]


def local_contrasts(
    labels: NDArray[np.integer[Any]],
    n: int,
    images: Sequence[NDArray[np.floating[Any]]],
) -> list[NDArray[np.float64]]:
    """:func:`local_contrast` of each of several images, the components and their ring
    found once.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    images : sequence of ndarray, each shape (rows, cols) or (bands, rows, cols), float
        Brightness images (NaN invalid), or band stacks (their band mean, :func:`gather`).

    Returns
    -------
    list of ndarray, each shape (n,), float64
        One per image, as :func:`local_contrast`.
    """
    return local_contrasts_and_ring_means(labels, n, images, [])[0]


def local_contrasts_and_ring_means(
    labels: NDArray[np.integer[Any]],
    n: int,
    images: Sequence[NDArray[np.floating[Any]]],
    others: Sequence[NDArray[Any]],
) -> tuple[list[NDArray[np.float64]], list[NDArray[np.float64]]]:
    """:func:`local_contrasts` of ``images`` and, over the same ring (found once),
    :func:`ring_mean` of each of ``others`` with ``outer_px`` equal to the contrast
    ring's width (:data:`_CONTRAST_RING_PX`).

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    images : sequence of ndarray, each shape (rows, cols) or (bands, rows, cols), float
        Brightness images (NaN invalid), or band stacks whose brightness is the mean of
        their bands, taken only at the pixels read (:func:`gather`).
    others : sequence of ndarray, each shape (rows, cols)
        Images averaged over the ring only (a bool mask gives the fraction in it).

    Returns
    -------
    contrasts : list of ndarray, each shape (n,), float64
        One per image, as :func:`local_contrast`.
    ring_means : list of ndarray, each shape (n,), float64
        One per image of ``others``, as ``ring_mean(labels, n, image,
        outer_px=_CONTRAST_RING_PX)``.
    """
    crop = _crop_around(labels > 0, halo=_CONTRAST_RING_PX)
    if crop is not None:  # the components and their rings, not the whole image
        labels = np.ascontiguousarray(labels[crop])
        images = [_cropped(img, crop) for img in images]
        others = [_cropped(img, crop) for img in others]
    sel, lab = _kernels.labelled_pixels(labels)
    every = ring_means(labels, n, [*images, *others], outer_px=_CONTRAST_RING_PX)
    rings, other_means = every[: len(images)], every[len(images) :]
    out = []
    for image, ring in zip(images, rings, strict=True):
        # a non-finite pixel counts 0 inside its object
        counts, sums = _kernels.label_sums(gather(image, sel), lab, n, skip_nonfinite=False)
        area = counts[1:].astype(np.float64)
        inside = sums[1:] / np.where(area > 0, area, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where(ring > 0, inside / ring - 1.0, 0.0))
    return out, other_means


def weakest_band_contrast(
    labels: NDArray[np.integer[Any]],
    n: int,
    images: Sequence[NDArray[np.floating[Any]]],
) -> NDArray[np.float64]:
    """Smallest contrast of each component over its ring, across several bands.

    Parameters
    ----------
    labels : ndarray, shape (rows, cols), int
        ``0`` background, ``1..n`` components.
    n : int
        Number of components.
    images : sequence of ndarray, each shape (rows, cols)
        Bands (NaN invalid); at least one.

    Returns
    -------
    ndarray, shape (n,), float64
        ``min`` over the bands of :func:`local_contrast` (``inside / ring - 1``): an
        object that is bright in every band (white paint) keeps a high value, one that
        is bright in some bands only (a coloured roof, a moving vehicle whose bands do
        not overlap) a low one.
    """
    if not images:
        raise InputError("weakest_band_contrast needs at least one band")
    per_band = np.stack(local_contrasts(labels, n, images))
    return np.asarray(per_band.min(axis=0), dtype=np.float64)


# --------------------------------------------------------------------------- water (NDWI)

#: NDWI above which a pixel is water (McFeeters 1996): green brighter than the NIR.
NDWI_WATER_THRESHOLD = 0.0
#: Water index given to a pixel that has none (a NaN band, or both bands 0) before a
#: threshold: the lowest index of non-negative reflectances, so not water at any
#: threshold of -1 or more.
NAN_WATER_INDEX = -1.0


def ndwi(green: NDArray[Any], nir: NDArray[Any]) -> NDArray[np.float32]:
    """Normalised difference water index ``(green - nir) / (green + nir)``, in float32.

    Parameters
    ----------
    green, nir : ndarray, shape (rows, cols)
        Green and near-infrared bands (Sentinel-2 B03 and B08), same shape, any units
        (a ratio); cast to float32 first.

    Returns
    -------
    ndarray, shape (rows, cols), float32
        NaN where either band is NaN or both are 0; +-inf where ``green + nir`` is 0
        but the bands are not (negative values). No warning is raised for either.
    """
    if np.shape(green) != np.shape(nir):
        raise InputError(
            f"green {np.shape(green)} and nir {np.shape(nir)} must have the same shape"
        )
    g = np.asarray(green, dtype=np.float32)
    n = np.asarray(nir, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((g - n) / (g + n), dtype=np.float32)


def zone_kind_mask(
    zone_idx: NDArray[np.integer[Any]], zones: Sequence[Zone], kinds: frozenset[str]
) -> NDArray[np.bool_]:
    """Pixels in a zone of one of ``kinds``.

    Parameters
    ----------
    zone_idx : ndarray, shape (rows, cols), int
        Zone of each pixel (:func:`basewatch.aoi.zone_index`), ``-1`` outside every zone.
    zones : sequence of Zone
    kinds : frozenset of str
        Zone kinds (e.g. :data:`basewatch.aoi.WATER_ZONES`).

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    ok = np.array([z.kind in kinds for z in zones] + [False])
    # zone -1 (outside every zone) reads the last entry, False
    return np.asarray(_kernels.label_lookup(zone_idx, ok), dtype=bool)


def water_mask(
    green: NDArray[Any],
    nir: NDArray[Any],
    *,
    threshold: float = NDWI_WATER_THRESHOLD,
    valid: NDArray[np.bool_] | None = None,
    nan_ndwi: float = NAN_WATER_INDEX,
) -> NDArray[np.bool_]:
    """Water by NDWI: ``ndwi(green, nir) > threshold`` (the one water mask of basewatch).

    Parameters
    ----------
    green, nir : ndarray, shape (rows, cols)
        As :func:`ndwi`.
    threshold : float
        NDWI above which a pixel is water (:data:`NDWI_WATER_THRESHOLD`, or
        ``VesselParams.ndwi_threshold``).
    valid : ndarray, shape (rows, cols), bool, optional
        Usable pixels; others are not water.
    nan_ndwi : float
        NDWI given to pixels where it is NaN (a NaN band, or both bands 0) before the
        threshold. The default -1, the lowest NDWI of non-negative reflectances, makes
        them not water for any ``threshold >= -1``, which is what every caller uses (the
        pair pipeline's ``ndwi > 0`` with NaN false gives the same mask at 0). Infinite
        NDWI compares as its sign says.

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    if np.shape(green) != np.shape(nir):
        raise InputError(
            f"green {np.shape(green)} and nir {np.shape(nir)} must have the same shape"
        )
    if valid is not None and np.shape(valid) != np.shape(green):
        raise InputError(
            f"valid {np.shape(valid)} and the bands {np.shape(green)} must have the same shape"
        )
    if np.ndim(green) != 2:  # the one-pass kernel is for images; others by numpy
        return _water_mask_reference(
            green, nir, threshold=threshold, valid=valid, nan_ndwi=nan_ndwi
        )
    return _kernels.water_ndwi(
        np.asarray(green, dtype=np.float32),
        np.asarray(nir, dtype=np.float32),
        threshold=threshold,
        nan_ndwi=nan_ndwi,
        valid=None if valid is None else np.asarray(valid, dtype=bool),
    )


def _water_mask_reference(
    green: NDArray[Any],
    nir: NDArray[Any],
    *,
    threshold: float,
    valid: NDArray[np.bool_] | None,
    nan_ndwi: float,
) -> NDArray[np.bool_]:
    """:func:`water_mask` in numpy steps (NDWI image, ``nan_to_num``, threshold): what
    :func:`basewatch.detect._kernels.water_ndwi` must equal."""
    water = np.asarray(np.nan_to_num(ndwi(green, nir), nan=nan_ndwi) > threshold, dtype=bool)
    if valid is not None:
        water &= valid
    return water


def opening_2x2(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Morphological opening by a 2 x 2 square: the union of the 2 x 2 blocks that fit
    inside ``mask`` (blocks may not cross the image edge). Removes specks and
    one-pixel lines; equals ``scipy.ndimage.binary_opening(mask, np.ones((2, 2)))``.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    return _kernels.open_2x2(mask)


# --------------------------------------------------------------------------- single dates


def fill_small_holes(mask: NDArray[np.bool_], *, max_hole_px: int) -> NDArray[np.bool_]:
    """``mask`` with enclosed holes of at most ``max_hole_px`` pixels filled.

    A ship on water is a hole in a water mask (NDWI or SAR dark water); filling small
    holes gives the area where vessels may be, without letting in land (large, or
    touching the image edge).

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool
    max_hole_px : int
        Largest hole filled (pixels, 4-connected); holes touching the edge stay.

    Returns
    -------
    ndarray, shape (rows, cols), bool
    """
    m = np.asarray(mask, dtype=bool)
    # the holes as runs of ~mask along the rows, labelled as runs (four-connected): no
    # image of hole labels; those to fill are painted onto a copy of the mask
    runs = _kernels.runs_above(np.logical_not(m).view(np.uint8), 0)
    run_label, n = _kernels.label_runs(runs, eight=False)
    out = m.copy()
    if n == 0:
        return out
    moments, box, _ = _kernels.run_moments(runs, run_label, n)
    rows, cols = m.shape
    edge = (box[:, 0] == 0) | (box[:, 1] == 0) | (box[:, 2] == rows) | (box[:, 3] == cols)
    fill = (moments[:, 0] <= max_hole_px) & ~edge
    _kernels.paint_runs(runs, fill[run_label - 1], out)
    return out


@dataclass(frozen=True, eq=False)
class BrightObjects:
    """Bright objects of one date, from :func:`bright_objects`."""

    labels: NDArray[np.int32]
    """Shape (rows, cols): ``0`` background, ``1..n`` the kept objects."""
    features: dict[str, NDArray[np.float64]]
    """Per object, each shape (n,): as :func:`component_features`, plus ``mean_score``
    and ``max_score`` (CFAR score, in background standard deviations), ``mean_value``,
    ``mean_bg`` and ``contrast`` (mean of the object over the local background mean,
    minus 1). Empty when there is no object."""
    k: float
    """CFAR score threshold used."""


@dataclass(frozen=True, eq=False)
class ObjectCandidates:
    """Labelled objects, their features and which of them pass a detector's tests."""

    labels: NDArray[np.int32]
    """Shape (rows, cols): ``0`` background, ``1..n`` every candidate."""
    features: dict[str, NDArray[np.float64]]
    """Per candidate, each shape (n,) (:func:`component_features` and the detector's own,
    among them ``confidence`` on the scale of :mod:`basewatch.detect.confidence`)."""
    keep: NDArray[np.bool_]
    """Shape (n,): candidates that are objects of the class searched for."""


#: Features of :func:`component_features` that are pixel positions (row or column).
_POSITION_FEATURES = {
    "row": "row",
    "row_min": "row",
    "row_max": "row",
    "col": "col",
    "col_min": "col",
    "col_max": "col",
}

#: Width (pixels) of the ring around a component that :func:`local_contrast` compares
#: it with.
_CONTRAST_RING_PX = 2

#: Crop an image to where objects are searched only when that saves at least this
#: share of its pixels (a crop that saves little is not worth the copies).
_CROP_MAX_SHARE = 0.75


def bounding_box(mask: NDArray[np.bool_]) -> tuple[slice, slice] | None:
    """The smallest (rows, cols) slices holding every True pixel of ``mask``.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols), bool

    Returns
    -------
    (slice, slice) or None
        None when no pixel is True.
    """
    rows = np.flatnonzero(mask.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _crop_around(mask: NDArray[np.bool_], *, halo: int) -> tuple[slice, slice] | None:
    """The bounding box of ``mask`` grown by ``halo`` pixels, or None when it is most of
    the image (or ``mask`` is empty: nothing to search, the caller's own path copes)."""
    box = bounding_box(mask)
    if box is None:
        return None
    r0, r1 = max(0, box[0].start - halo), min(mask.shape[0], box[0].stop + halo)
    c0, c1 = max(0, box[1].start - halo), min(mask.shape[1], box[1].stop + halo)
    if (r1 - r0) * (c1 - c0) > _CROP_MAX_SHARE * mask.size:
        return None
    return slice(r0, r1), slice(c0, c1)


def bright_objects(
    image: NDArray[Any],
    *,
    background: NDArray[np.bool_],
    search: NDArray[np.bool_] | None = None,
    pixel_size_m: tuple[float, float],
    guard: int = 4,
    window: int = 12,
    pfa: float = 1e-5,
    k: float | None = None,
    min_std: float = 0.0,
    min_pixels: int = 2,
    k_low: float | None = None,
    statistic: str = "mean",
) -> BrightObjects:
    """Bright objects (vessels) on a dark background, from one date: CFAR + components.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        SAR backscatter (dB) or an optical NIR band; NaN invalid.
    background : ndarray, shape (rows, cols), bool
        Pixels of the clutter (open water) whose statistics the CFAR uses.
    search : ndarray, shape (rows, cols), bool, optional
        Where objects may lie (water with its vessel-sized holes filled, see
        :func:`fill_small_holes`); default ``background``.
    pixel_size_m : (float, float)
    guard, window, pfa, k, min_std
        CFAR parameters (:func:`basewatch.detect.change.cfar`; ``window`` is its background
        half-size).
    min_pixels : int
        Smallest object kept.
    k_low : float, optional
        Hysteresis: an object is the connected region of score above ``k_low`` around
        pixels above the CFAR threshold, so a ship whose superstructure is bright and
        hull dim is one object of its full length, not a bright fragment.
    statistic : {"mean", "median"}
        The CFAR's background (:func:`basewatch.detect.change.cfar`); with
        ``"median"``, ``mean_bg`` is the ring's median.

    Returns
    -------
    BrightObjects
        ``labels`` (rows, cols) int32, ``features`` (each (n,)) and the CFAR ``k``.
    """
    img = np.asarray(image, dtype=np.float32)
    where = background if search is None else search
    if where.shape != img.shape or background.shape != img.shape:
        raise InputError(
            f"image {img.shape}, background {background.shape} and search {where.shape} "
            "must have the same shape"
        )
    # the objects can only lie where ``where`` is and the statistics come from
    # ``background`` within ``window`` pixels: the rest of the image plays no part
    crop = _crop_around(where | background, halo=window + 1)
    box = crop or (slice(None), slice(None))
    part = _bright_objects(
        img[box],
        background=background[box],
        search=None if search is None else search[box],
        pixel_size_m=pixel_size_m,
        guard=guard,
        window=window,
        pfa=pfa,
        k=k,
        min_std=min_std,
        min_pixels=min_pixels,
        k_low=k_low,
        statistic=statistic,
    )
    if crop is None:
        return part
    labels = np.zeros(img.shape, dtype=np.int32)
    labels[crop] = part.labels
    feats = dict(part.features)
    for key, axis in _POSITION_FEATURES.items():
        if key in feats:
            feats[key] = feats[key] + (crop[0].start if axis == "row" else crop[1].start)
    return BrightObjects(labels=labels, features=feats, k=part.k)


def _bright_objects(
    img: NDArray[np.float32],
    *,
    background: NDArray[np.bool_],
    search: NDArray[np.bool_] | None,
    pixel_size_m: tuple[float, float],
    guard: int,
    window: int,
    pfa: float,
    k: float | None,
    min_std: float,
    min_pixels: int,
    k_low: float | None,
    statistic: str = "mean",
) -> BrightObjects:
    """:func:`bright_objects` on the image as given (no crop)."""
    where = background if search is None else search
    # statistics from the background only; the score is evaluated where objects may be
    res = cfar(
        img,
        valid=background,
        search=where,
        guard=guard,
        background=window,
        pfa=pfa,
        k=k,
        min_std=min_std,
        statistic=statistic,
    )
    score, mean, mask, k_used = res.score, res.background, res.mask, res.k
    if k_low is not None and k_low < k_used:
        # the hysteresis regions as runs of ``score > k_low`` along the rows (NaN is
        # never above), labelled as runs: no image of them but the labels painted
        runs = _kernels.runs_above(score, k_low)
        run_label, n_low = _kernels.label_runs(runs)
        seeded = _kernels.run_moments(runs, run_label, n_low, mask)[2]
        # the seeded regions, renumbered 1..n in the raster order of their first pixel
        # (as labelling the seeded regions' pixels would number them)
        number = np.where(seeded, np.cumsum(seeded), 0).astype(np.int32)
        labels, n = np.zeros(score.shape, dtype=np.int32), int(seeded.sum())
        _kernels.paint_runs(runs, number[run_label - 1], labels)
    else:
        labels, n = _kernels.label_components(mask, eight=True)
    del mask, res
    if n == 0:
        return BrightObjects(labels=labels.astype(np.int32), features={}, k=k_used)
    feats, lm = _component_features(
        labels, n, pixel_size_m=pixel_size_m, values={"score": score, "value": img}
    )
    # the background mean as float32, read at the objects' pixels only
    feats["mean_bg"] = _label_mean(lm, mean, n, feats["area_px"], dtype=np.float32)
    # from the pixels the moments listed (label_max(labels, n, score, nan=0.0))
    feats["max_score"] = _label_max_at(lm.flat_index, lm.lab, n, score, nan=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        feats["contrast"] = np.where(
            feats["mean_bg"] != 0, feats["mean_value"] / feats["mean_bg"] - 1.0, np.nan
        )
    keep = feats["area_px"] >= min_pixels
    remap = np.zeros(n + 1, dtype=np.int32)
    remap[1:][keep] = np.arange(1, int(keep.sum()) + 1, dtype=np.int32)
    return BrightObjects(
        labels=_kernels.label_lookup(labels, remap, out=labels),
        features={key: v[keep] for key, v in feats.items()},
        k=k_used,
    )
