"""Will a run fit in this machine's memory? Checked before reading, not found out by the
kernel's out-of-memory killer minutes later.

``basewatch detect`` holds both dates of a site's window in memory, with the change map,
each date's searches and then the outputs: on a whole Sentinel-2 tile about 9.4 GiB.
``basewatch vessels IMAGE`` reads and searches the whole image: on a whole tile about
10 GiB. On a laptop the process would be killed part-way, with no message and nothing
written. :func:`check_fits` compares what a run needs (:func:`pair_bytes`,
:func:`timeline_bytes`, :func:`vessels_bytes`, each measured) with what the machine can give it now
(:func:`available_bytes`) and, when it cannot, stops with both figures and the ways out
(a smaller window; for a pair, the rasters compared in strips by ``basewatch monitor
--pair``, whose memory is bounded whatever their size).
"""

from __future__ import annotations

import math
from pathlib import Path

from basewatch.errors import MemoryLimitError

__all__ = [
    "CLASSIFIER_BYTES_PER_PIXEL",
    "FIFTH_BAND_BYTES_PER_PIXEL",
    "IN_MEMORY_PAIR_BYTES_PER_PIXEL",
    "PROCESS_BASELINE_BYTES",
    "SMALLEST_RUN_BYTES",
    "TIMELINE_BYTES_PER_PIXEL",
    "TIMELINE_BYTES_PER_PIXEL_PER_DATE",
    "VESSELS_BASELINE_BYTES",
    "VESSELS_BYTES_PER_PIXEL",
    "VESSELS_SMALLEST_BYTES",
    "available_bytes",
    "check_fits",
    "pair_bytes",
    "timeline_bytes",
    "vessels_bytes",
]

GIB = 2**30
#: Peak resident bytes per pixel of the site's window of ``basewatch detect`` (read,
#: co-registered, compared, written with its picture, GeoPackage and COGs), beyond
#: :data:`PROCESS_BASELINE_BYTES`. Measured with ``/usr/bin/time`` on the bundled Beirut
#: port pair (52,116 px) and the Beirut pair tiled to 1000, 2000, 2745, 4000, 5490 and
#: 10980 px (four bands, ``benchmarks/tiled_pair.py``): 0.37, 0.57, 1.20, 1.20, 1.61,
#: 2.70 and 9.33 GiB (9.39 GiB in a second run at 10980 px). The sizes 2745, 5490 and
#: 10980 px set the two figures; the estimate is above each measured peak: by 25 % at
#: 2745 px (:data:`SMALLEST_RUN_BYTES`), 13 % at 5490 and 6 % at 10980 px, and at the
#: sizes measured afterwards by 163 % at 1000 px, 25 % at 2000 px (both
#: :data:`SMALLEST_RUN_BYTES`) and 22 % at 4000 px.
IN_MEMORY_PAIR_BYTES_PER_PIXEL = 82
#: More per pixel of the window when the scenes carry B11 and each date's vessels are
#: the trained classifier's (:func:`basewatch.pipeline.vessel_detector`): each date's
#: fifth band and the classifier's search of one date at a time. Measured with
#: ``/usr/bin/time``: ``basewatch detect --no-png --no-cog --no-gpkg`` on a 14.2 Mpx pair
#: (the Piraeus image of ``s2_ships`` tiled 3 x 3 as four- and five-band GeoTIFFs) peaked
#: at 1.36 and 1.89 GiB: 40 bytes a pixel more. Rounded up.
CLASSIFIER_BYTES_PER_PIXEL = 48
#: One date's B11 on the 10 m grid (float32), held for a whole series: what each date
#: beyond the measured pair's two adds to :data:`CLASSIFIER_BYTES_PER_PIXEL`.
FIFTH_BAND_BYTES_PER_PIXEL = 4
#: What the command's process holds whatever the window (Python and its libraries,
#: numba's kernels, GDAL's caches, the outputs' buffers), as the fit above needs it.
PROCESS_BASELINE_BYTES = 3 * GIB // 4
#: The least a run is counted to need: reading and co-registering a window of a few
#: million pixels already peaks near 0.9 GiB (2000 px), the whole run at 1.20 GiB.
SMALLEST_RUN_BYTES = 3 * GIB // 2

#: Peak resident bytes per pixel of the site's window of ``basewatch timeline`` whatever
#: the number of dates, and :data:`TIMELINE_BYTES_PER_PIXEL_PER_DATE` more for each date
#: (its bands, validity and objects are held for the whole series), beyond
#: :data:`PROCESS_BASELINE_BYTES`. Measured with ``/usr/bin/time`` on the Beirut pair
#: tiled to 2745 px (2 and 4 dates: 1.10 and 1.47 GiB), 5490 px (2, 3 and 4 dates: 2.49,
#: 2.99 and 4.00 GiB) and 10980 px (2 dates: 9.03 GiB), every output; each date added
#: costs 26-27 bytes a pixel. The estimate is above each: by 36 % and 16 %; 20 %, 26 % and
#: 14 %; and 8 %.
TIMELINE_BYTES_PER_PIXEL = 24
#: See :data:`TIMELINE_BYTES_PER_PIXEL`.
TIMELINE_BYTES_PER_PIXEL_PER_DATE = 28
#: Peak resident bytes per pixel of ``basewatch vessels IMAGE`` (five bands read whole,
#: searched, written with its picture), beyond :data:`VESSELS_BASELINE_BYTES`. Measured
#: with ``/usr/bin/time`` on the Athens image of ``s2_ships`` (1380 x 1145 px), Athens
#: mirrored to 2000, 4000 and 8000 px, Port Hedland to 3000 px and Marseille to 3500 px:
#: 0.55, 0.59, 1.52, 5.24, 0.98 and 1.23 GiB (a whole 10980 px tile: about 10 GiB). The
#: estimate is above each: by 36 % (:data:`VESSELS_SMALLEST_BYTES`), 37 %, 15 %, 5 %, 22 %
#: and 19 %. Before the search kept one CFAR score image at a time and the picture drew
#: blocks of at most a PNG pixel, the same images took 0.55, 0.92, 2.62, 9.65, 1.60 and
#: 2.08 GiB.
VESSELS_BYTES_PER_PIXEL = 84
#: What ``basewatch vessels`` holds whatever the image's size, as the fit above needs it.
VESSELS_BASELINE_BYTES = GIB // 2
#: The least a ``vessels`` run is counted to need (a small image's run: 0.55 GiB).
VESSELS_SMALLEST_BYTES = 3 * GIB // 4
_MEMINFO = Path("/proc/meminfo")
_CGROUPS = Path("/proc/self/cgroup")
_CGROUP_ROOT = Path("/sys/fs/cgroup")
#: Each cgroup version's files of a group's memory limit and use, where the group's
#: folder is found under the mount, and the name in ``memory.stat`` of the page cache
#: the kernel drops first (counted in the use, not a need).
_CGROUP_FILES = {
    "v2": ("memory.max", "memory.current", "inactive_file"),
    "v1": ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"),
}
#: cgroup v1 writes "no limit" as a number near 2**63.
_NO_LIMIT = 2**60


def pair_bytes(window_px: int, *, classifier: bool = False) -> int:
    """Memory ``basewatch detect`` needs for a site window of ``window_px`` pixels (of a
    four-band optical pair; radar pairs of two bands need less), and with
    ``classifier`` the scenes' B11 and the vessel classifier's search
    (:data:`CLASSIFIER_BYTES_PER_PIXEL`)."""
    per_px = IN_MEMORY_PAIR_BYTES_PER_PIXEL + (CLASSIFIER_BYTES_PER_PIXEL if classifier else 0)
    per_window = PROCESS_BASELINE_BYTES + math.ceil(per_px * window_px)
    return int(max(SMALLEST_RUN_BYTES, per_window))


def timeline_bytes(window_px: int, dates: int, *, classifier: bool = False) -> int:
    """Memory ``basewatch timeline`` needs for ``dates`` dates of a site window of
    ``window_px`` pixels (four-band optical scenes; with ``classifier``, scenes with
    B11 whose vessels the classifier finds: as for a pair, and the fifth band of each
    date beyond two)."""
    per_px = TIMELINE_BYTES_PER_PIXEL + TIMELINE_BYTES_PER_PIXEL_PER_DATE * dates
    if classifier:
        per_px += CLASSIFIER_BYTES_PER_PIXEL + FIFTH_BAND_BYTES_PER_PIXEL * max(0, dates - 2)
    per_window = PROCESS_BASELINE_BYTES + math.ceil(per_px * window_px)
    return int(max(SMALLEST_RUN_BYTES, per_window))


def vessels_bytes(image_px: int) -> int:
    """Memory ``basewatch vessels`` needs for an image of ``image_px`` pixels (five bands,
    searched whole)."""
    per_image = VESSELS_BASELINE_BYTES + math.ceil(VESSELS_BYTES_PER_PIXEL * image_px)
    return int(max(VESSELS_SMALLEST_BYTES, per_image))


def available_bytes() -> int | None:
    """Memory this process can still take: the system's available memory and free swap
    (Linux's ``MemAvailable``, which counts the page cache it can drop), less where a
    container's memory limit (cgroup v2 or v1) leaves less. None where the system does
    not say (then nothing is checked)."""
    system = _meminfo_available()
    if system is None:
        system = _psutil_available()
    room = _cgroup_room()
    if system is None:
        return room
    return system if room is None else min(system, room)


def check_fits(need: int, *, what: str, instead: str) -> None:
    """Stop before a run that needs ``need`` bytes when the machine cannot give them.

    Parameters
    ----------
    need : int
        Bytes the run needs (e.g. :func:`pair_bytes`).
    what : str
        What needs it, for the message ("comparing a 10980 x 10980 px window").
    instead : str
        What to do instead, for the message.

    Raises
    ------
    MemoryLimitError
        ``need`` is more than :func:`available_bytes`.
    """
    free = available_bytes()
    if free is None or need <= free:
        return
    raise MemoryLimitError(
        f"{what} needs about {need / GIB:.1f} GiB of memory and this machine has "
        f"{free / GIB:.1f} GiB available (memory and swap): the process would be killed "
        f"part-way. {instead}"
    )


def _meminfo_available() -> int | None:
    """``MemAvailable`` plus ``SwapFree`` of ``/proc/meminfo`` in bytes (Linux)."""
    try:
        text = _MEMINFO.read_text()
    except OSError:
        return None
    fields: dict[str, int] = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit():
            fields[name] = int(parts[0]) * 1024  # kB
    if "MemAvailable" not in fields:
        return None
    return fields["MemAvailable"] + fields.get("SwapFree", 0)


def _psutil_available() -> int | None:
    """Available memory and free swap by psutil (macOS, Windows), if it is installed."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - psutil comes with dask's distributed
        return None
    return int(psutil.virtual_memory().available + psutil.swap_memory().free)


def _cgroup_room() -> int | None:
    """Bytes left under this process's cgroup memory limit (a container's), less the
    page cache the kernel would drop first; None when no limit is found."""
    try:
        lines = _CGROUPS.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "" and (_CGROUP_ROOT / "cgroup.controllers").exists():
            version, mount = "v2", _CGROUP_ROOT
        elif "memory" in controllers.split(","):
            version, mount = "v1", _CGROUP_ROOT / "memory"
        else:
            continue
        # inside a container the group's own folder is usually the mount itself
        for folder in (mount / path.lstrip("/"), mount):
            room = _room_in(folder, *_CGROUP_FILES[version])
            if room is not None:
                return room if room >= 0 else None
    return None


def _room_in(folder: Path, limit_name: str, usage_name: str, cache_name: str) -> int | None:
    """Limit less use (less droppable cache) of one cgroup folder; -1 when it has no
    limit; None when its files cannot be read."""
    try:
        limit_text = (folder / limit_name).read_text().strip()
        usage = int((folder / usage_name).read_text().strip())
    except (OSError, ValueError):
        return None
    if not limit_text.isdigit() or int(limit_text) >= _NO_LIMIT:  # v2 writes "max"
        return -1
    cache = 0
    try:
        for line in (folder / "memory.stat").read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == cache_name and value.strip().isdigit():
                cache = int(value)
                break
    except OSError:
        pass
    return max(0, int(limit_text) - usage + cache)
