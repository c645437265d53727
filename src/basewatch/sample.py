"""The bundled real sample: Sentinel-2 L1C chips of Beirut airport and port, 2015 and 2017.

Four small GeoTIFFs from the OSCD change-detection data set (see ``imagery/README``),
shipped with basewatch so that the demo, the notebooks and the tests run offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from basewatch._paths import bundled_dir
from basewatch.errors import InputError

__all__ = ["SAMPLE", "sample_pair"]

#: Site name -> (before, after) file names in the bundled ``imagery/`` folder.
SAMPLE: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "beirut-airport": (
            "beirut-airport_S2L1C_20150820.tif",
            "beirut-airport_S2L1C_20171003.tif",
        ),
        "beirut-port": ("beirut-port_S2L1C_20150820.tif", "beirut-port_S2L1C_20171003.tif"),
    }
)


def sample_pair(site: str) -> tuple[Path, Path]:
    """The paths of the bundled before/after GeoTIFFs of ``site``.

    Parameters
    ----------
    site : {"beirut-airport", "beirut-port"}

    Returns
    -------
    (Path, Path)
        The 2015-08-20 and the 2017-10-03 scene.

    Raises
    ------
    InputError
        ``site`` has no bundled sample, or its files are missing (a damaged install).

    Examples
    --------
    >>> before, after = sample_pair("beirut-port")
    >>> before.name
    'beirut-port_S2L1C_20150820.tif'
    """
    if site not in SAMPLE:
        raise InputError(
            f"no bundled sample for {site!r}; the sample has {', '.join(sorted(SAMPLE))}"
        )
    imagery = bundled_dir("imagery")
    paths = (imagery / SAMPLE[site][0], imagery / SAMPLE[site][1])
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise InputError(
            f"the bundled sample is incomplete in {imagery} (missing {', '.join(missing)}); "
            "reinstall basewatch or restore imagery/ from the repository"
        )
    return paths
