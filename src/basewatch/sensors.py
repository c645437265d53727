"""Facts about the sensors basewatch reads: pixel sizes and what they can resolve.

One home for each sensor fact; every other module reads them from here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

#: Ground resolution of each sensor (m): what sets the smallest object, more than the
#: pixel spacing (Sentinel-1 IW GRD has 10 m pixels but about 20 x 22 m resolution).
SENSOR_RESOLUTION_M: Mapping[str, float] = {"S2": 10.0, "S1": 22.0, "PLANET": 3.0}


def minimum_detectable_m(
    pixel_size_m: float, *, factor: float = 2.0, sensor: str | None = None
) -> float:
    """Smallest object length (m) basewatch calls reliably detectable.

    An object must span about ``factor`` resolution cells to be separated from its
    background: ``factor * max(pixel_size_m, resolution of sensor)``. At Sentinel-2's
    10 m that is 20 m: a Ka-52 (16 m) or a 12-14 m S-400 launcher truck is below it
    (reported as not detectable rather than guessed), an Su-34 (23 m) is at the limit
    and an An-124 (69 m) well above. Sentinel-1 (about 22 m resolution): 44 m.

    Parameters
    ----------
    pixel_size_m : float
        Ground pixel size (geometric mean of x and y).
    factor : float
        Resolution cells an object must span.
    sensor : {"S2", "S1", "PLANET"}, optional
        Use the sensor's resolution when it is coarser than the pixel.
    """
    res = SENSOR_RESOLUTION_M.get(sensor.upper(), 0.0) if sensor else 0.0
    return factor * max(pixel_size_m, res)


#: A Sentinel-1 product id: platform (group 1) and absolute orbit (group 2), as in
#: ``S1A_IW_GRDH_1SDV_20241205T154129_20241205T154154_056877_06FD2B_7E2F``.
S1_PRODUCT_ID = re.compile(r"^(S1[A-D])_.*?_\d{8}T\d{6}_\d{8}T\d{6}_(\d{6})_")

#: ESA's relation between absolute and relative orbit of each Sentinel-1 platform:
#: relative = (absolute - offset) mod 175 + 1.
S1_ORBIT_OFFSET: Mapping[str, int] = {"S1A": 73, "S1B": 27}

#: Orbits in one Sentinel-1 repeat cycle (12 days).
S1_ORBITS_PER_CYCLE = 175


def s1_relative_orbit(platform: str, absolute_orbit: int) -> int | None:
    """The relative orbit (track) of a Sentinel-1 platform's absolute orbit.

    Parameters
    ----------
    platform : str
        ``"S1A"`` or ``"S1B"`` (others return None: their offset is not recorded here).
    absolute_orbit : int

    Examples
    --------
    >>> s1_relative_orbit("S1A", 56877)
    105
    """
    offset = S1_ORBIT_OFFSET.get(platform.upper())
    if offset is None:
        return None
    return (absolute_orbit - offset) % S1_ORBITS_PER_CYCLE + 1


def s1_platform_orbit(scene_id: str) -> tuple[str, int] | None:
    """Platform and absolute orbit from a Sentinel-1 product id, or None if it is not one."""
    m = S1_PRODUCT_ID.match(scene_id)
    return (m[1], int(m[2])) if m else None


#: Sentinel-2 reflectance products store ``DN = 10000 * reflectance`` ...
S2_REFLECTANCE_SCALE = 1e-4

#: Sentinel-2 L1C and L2A products mark saturated pixels with this digital number (and
#: no data with 0): a saturated value is not a measurement, so it is masked as invalid.
S2_SATURATED_DN = 65535
#: ... plus 1000 from processing baseline 04.00 on: the offset to add to such DNs.
S2_BASELINE_OFFSET_DN = -1000.0
#: The first processing baseline whose digital numbers carry the +1000 offset.
S2_OFFSET_BASELINE: tuple[int, int] = (4, 0)
#: Date of the first Sentinel-2 products of processing baseline 04.00.
S2_OFFSET_BASELINE_DATE = dt.date(2022, 1, 25)


def s2_offset_applies(baseline: str) -> bool:
    """Whether DNs of Sentinel-2 processing baseline ``baseline`` (``"05.11"``) carry +1000.

    Examples
    --------
    >>> s2_offset_applies("04.00"), s2_offset_applies("03.01")
    (True, False)
    """
    major, minor = (int(p) for p in baseline.split("."))
    return (major, minor) >= S2_OFFSET_BASELINE


#: Sentinel-2 processing levels: Level-1C, reflectance at the top of the atmosphere,
#: and Level-2A, at the surface (atmosphere removed).
S2_LEVEL_TOA, S2_LEVEL_SURFACE = "L1C", "L2A"
#: A level named in a product id, file name, collection or tag: ``S2A_MSIL1C_...``,
#: ``S2B_36SYC_20241215_0_L2A``, ``S2A_OPER_MSI_L1C_TL_...``, ``port_S2L2A_20230818``,
#: ``sentinel-2-l2a``, ``Level-1C``, ``S2MSI2A`` (a product type); not inside a longer
#: word or number.
S2_LEVEL_NAME = re.compile(
    r"(?<![a-z0-9])(?:s2)?(?:(?:msi_?|level[- ]?)l?|l)(1c|2a)(?![a-z0-9])", re.IGNORECASE
)


#: GeoTIFF tags that name a Sentinel-2 product's level (basewatch's own, and what GDAL
#: reports of a SAFE product), read before any other text of a file.
S2_LEVEL_TAGS = ("BASEWATCH_PROCESSING_LEVEL", "PROCESSING_LEVEL", "PRODUCT_TYPE")


def s2_processing_level(*texts: str | None) -> str | None:
    """The Sentinel-2 processing level the first of ``texts`` to name one names
    (:data:`S2_LEVEL_TOA` or :data:`S2_LEVEL_SURFACE`); None when none does.

    Parameters
    ----------
    *texts : str or None
        What may name it, the most trusted first (a file's tags, the product id, the
        file name); None is skipped.

    Returns
    -------
    str or None

    Examples
    --------
    >>> s2_processing_level("S2A_MSIL1C_20241130T082311_N0511_R121_T37SBV")
    'L1C'
    >>> s2_processing_level(None, "beirut-port_S2L2A_20230818.tif")
    'L2A'
    >>> s2_processing_level("T36SYC_20171003T081739") is None
    True
    """
    for text in texts:
        if not text:
            continue
        m = S2_LEVEL_NAME.search(text)
        if m:
            return f"L{m.group(1).upper()}"
    return None


def s1_geometry(scene_id: str, metadata: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """Relative orbit (track) and pass (``"ascending"`` / ``"descending"``) of a
    Sentinel-1 scene, each None when unknown.

    The catalogue's ``relative_orbit`` and ``orbit_state`` (in ``metadata``) come first;
    the track is otherwise derived from a product id (:func:`s1_platform_orbit`): the
    scene's id, or ``metadata["product_id"]`` (kept from a file's tags).
    """
    track = metadata.get("relative_orbit")
    state = metadata.get("orbit_state")
    if track is None:
        for candidate in (scene_id, metadata.get("product_id")):
            found = s1_platform_orbit(str(candidate)) if candidate else None
            if found is not None:
                track = s1_relative_orbit(*found)
                break
    return (
        int(track) if track is not None else None,
        str(state).lower() if state else None,
    )


#: Tags of a GeoTIFF that may hold the Sentinel-1 product id it was made from.
S1_PRODUCT_ID_TAGS = ("BASEWATCH_PRODUCT_ID", "PRODUCT_ID", "scene")
