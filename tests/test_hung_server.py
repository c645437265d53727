"""A server that accepts connections and never answers: every request is bounded."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from shapely.geometry import box

from basewatch.errors import CatalogError, RasterReadError
from basewatch.grid import Grid
from basewatch.imagery.catalog import CatalogSpec, HttpOptions, search_items
from basewatch.imagery.read import read_window

#: Per-attempt timeout and retries of these tests, and the most any call may take
#: (attempts x timeout, the backoff between them, and a margin for a loaded machine).
TIMEOUT_S, RETRIES = 1.0, 1
BUDGET_S = (RETRIES + 1) * TIMEOUT_S + 1.0 + 6.0


@pytest.fixture()
def silent_server() -> Iterator[str]:
    """``http://127.0.0.1:PORT``: accepts every connection, reads, never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            held.append(conn)  # kept open, never written to

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for c in held:
        c.close()
    srv.close()


def _http() -> HttpOptions:
    return HttpOptions(timeout_s=TIMEOUT_S, retries=RETRIES, backoff_s=0.5)


def test_catalogue_search_on_a_silent_server_fails_within_the_budget(silent_server: str) -> None:
    spec = CatalogSpec(
        name="silent", url=f"{silent_server}/stac", collections={"S2": "sentinel-2-l2a"}
    )
    t0 = time.monotonic()
    with pytest.raises(CatalogError) as info:
        search_items(
            spec,
            sensor="S2",
            aoi=box(35.9, 35.3, 36.0, 35.5),
            start=dt.date(2024, 12, 1),
            end=dt.date(2024, 12, 20),
            http=_http(),
        )
    took = time.monotonic() - t0
    assert took < BUDGET_S, f"search took {took:.1f} s"
    message = str(info.value)
    assert "127.0.0.1" in message and "\n" not in message


def test_cog_read_on_a_silent_server_fails_within_the_budget(silent_server: str) -> None:
    grid = Grid(
        crs="EPSG:32636",
        transform=(10.0, 0.0, 700_000.0, 0.0, -10.0, 3_800_000.0),
        width=64,
        height=64,
    )
    rasterio = pytest.importorskip("rasterio")
    t0 = time.monotonic()
    with pytest.raises(RasterReadError) as info:
        read_window(
            f"{silent_server}/B04.tif",
            grid,
            resampling=rasterio.enums.Resampling.bilinear,
            nodata=0,
            http=_http(),
            sleep=lambda s: time.sleep(min(s, 0.5)),
        )
    took = time.monotonic() - t0
    assert took < BUDGET_S + 2 * TIMEOUT_S, f"read took {took:.1f} s"
    assert "127.0.0.1" in str(info.value) and "--timeout" in str(info.value)
