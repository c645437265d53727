"""A STAC API over real Sentinel-2 pixels at several dates, for the monitor tests and benchmark.

The two real Beirut L1C dates (2015-08-20, 2017-10-03; ``../shared/data``) are written
once each as cloud-optimised GeoTIFFs (one per band plus a scene classification
derived from the same pixels, see :func:`stac_server.scl_from_pixels`) and served by
the Range-honouring file server of :mod:`stac_server`; ``n_dates`` Planetary-Computer
style items, five days apart, alternate between the two, so every consecutive pair of
dates is a real 2015/2017 comparison of both bundled Beirut sites (airport and port).
``rustac serve`` answers the searches, as in the tile-loader tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from stac_server import (
    S2_TIME,
    RangeServer,
    RustacServer,
    _write_s2_scene,
    beirut_tile,
    feature_collection,
    pc_id,
    pc_s2_item,
    scl_from_pixels,
)

#: The first item date, and the days between items.
FIRST_DATE = dt.date(2024, 11, 5)
STEP_DAYS = 5
#: The bundled sites inside the Beirut tile.
SITES = ("beirut-airport", "beirut-port")


@dataclass
class MonitorWorld:
    """The servers and what they publish."""

    files: RangeServer
    stac: RustacServer
    dates: tuple[dt.date, ...]
    ids: tuple[str, ...]

    @property
    def catalog(self) -> str:
        return self.stac.url

    def stop(self) -> None:
        self.stac.stop()
        self.files.stop()


def build_monitor_world(shared_data: Path, work: Path, *, n_dates: int) -> MonitorWorld:
    """Write the two real dates' COGs, publish ``n_dates`` items and start the servers."""
    root = work / "files"
    files = RangeServer(root).start()
    try:
        items = []
        dates: list[dt.date] = []
        ids: list[str] = []
        tiles = {}
        for year in ("2015", "2017"):
            tile = beirut_tile(shared_data, year)
            scl, scl_t = scl_from_pixels(tile)
            _write_s2_scene(root / "s2" / year, tile, add=1000, scl=scl, scl_t=scl_t)
            tiles[year] = tile
        for i in range(n_dates):
            year = "2015" if i % 2 == 0 else "2017"
            day = FIRST_DATE + dt.timedelta(days=STEP_DAYS * i)
            sid = pc_id(day)
            hrefs = {
                b: f"{files.url}/s2/{year}/{b}.tif" for b in ("B02", "B03", "B04", "B08", "SCL")
            }
            items.append(
                pc_s2_item(
                    shared_data,
                    item_id=sid,
                    when=dt.datetime.combine(day, S2_TIME, dt.UTC),
                    baseline="05.10",
                    hrefs=hrefs,
                    tile=tiles[year],
                    cloud=5.0,
                )
            )
            dates.append(day)
            ids.append(sid)
        stac = RustacServer(feature_collection(items, work / "items.json")).start()
    except BaseException:
        files.stop()
        raise
    return MonitorWorld(files, stac, tuple(dates), tuple(ids))
