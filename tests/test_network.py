"""A missing network is said in one line after one quick failure, with what to do.

Only localhost and a name under ``.invalid`` (which never resolves, RFC 6761) are
contacted: a closed port stands for a refused connection, the ``.invalid`` name for a
DNS failure. Retrying either with backoff would cost the sum of the backoff delays; the
tests give delays far longer than the time bound they assert.
"""

from __future__ import annotations

import datetime as dt
import errno
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rasterio.enums import Resampling
from shapely.geometry import box

from basewatch.cli import main
from basewatch.errors import CatalogError, RasterReadError
from basewatch.grid import Grid
from basewatch.imagery.catalog import (
    HttpOptions,
    SasTokenSigner,
    resolve_catalog,
    search_items,
    unreachable_reason,
)
from basewatch.imagery.read import ReadStats, read_window

NO_SUCH_HOST = "basewatch-no-such-host.invalid"
#: Retries with a backoff that would take 2 + 4 + 8 = 14 s if they were made.
SLOW_RETRIES = HttpOptions(timeout_s=5.0, retries=3, backoff_s=2.0)
#: A failure said after one attempt comes well inside this (seconds); retried, it
#: would take at least ``sum(SLOW_RETRIES.delays())``.
QUICK_S = 3.0
GRID = Grid("EPSG:32636", (10.0, 0.0, 744_440.0, 0.0, -10.0, 3_941_150.0), 16, 16)
HMEIMIM = box(35.93, 35.38, 35.97, 35.42)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A localhost port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    yield port


def _unreachable_urls(port: int) -> list[tuple[str, str]]:
    return [
        (f"http://127.0.0.1:{port}", f"127.0.0.1:{port}"),
        (f"http://{NO_SUCH_HOST}", NO_SUCH_HOST),
    ]


def test_the_time_bound_is_far_below_what_retries_would_cost() -> None:
    assert sum(SLOW_RETRIES.delays()) > 4 * QUICK_S


def test_a_search_of_an_unreachable_catalogue_fails_once_and_quickly(closed_port: int) -> None:
    for url, host in _unreachable_urls(closed_port):
        start = time.perf_counter()
        with pytest.raises(CatalogError) as err:
            search_items(
                resolve_catalog(url),
                sensor="S2",
                aoi=HMEIMIM,
                start=dt.date(2024, 11, 30),
                end=dt.date(2024, 12, 15),
                http=SLOW_RETRIES,
            )
        elapsed = time.perf_counter() - start
        message = str(err.value)
        assert elapsed < QUICK_S, f"{url}: {elapsed:.1f} s"
        assert message.startswith(f"cannot reach {host} (")
        assert "no network?" in message and "--offline" in message and "--catalog" in message
        assert "\n" not in message


def test_a_band_read_from_an_unreachable_host_is_not_retried(closed_port: int) -> None:
    for url, host in _unreachable_urls(closed_port):
        stats = ReadStats()
        slept: list[float] = []
        start = time.perf_counter()
        with pytest.raises(RasterReadError) as err:
            read_window(
                f"{url}/B04.tif",
                GRID,
                resampling=Resampling.bilinear,
                nodata=None,
                http=SLOW_RETRIES,
                stats=stats,
                sleep=slept.append,
            )
        assert time.perf_counter() - start < QUICK_S
        assert stats.retries == 0 and slept == []
        assert str(err.value).startswith(f"cannot reach {host} (")
        assert "--offline" in str(err.value)


def test_a_sas_token_from_an_unreachable_service_says_so(closed_port: int) -> None:
    signer = SasTokenSigner(f"http://127.0.0.1:{closed_port}/api/sas/v1", http=SLOW_RETRIES)
    start = time.perf_counter()
    with pytest.raises(CatalogError, match=rf"^cannot reach 127\.0\.0\.1:{closed_port} \("):
        signer.token("sentinel-2-l2a")
    assert time.perf_counter() - start < QUICK_S


@pytest.mark.parametrize("command", ["scenes", "run", "fetch"])
def test_commands_say_a_missing_network_in_one_line(
    closed_port: int, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dates = {
        "scenes": ["--from", "2024-11-30", "--to", "2024-12-15"],
        "run": ["--before", "2024-11-30", "--after", "2024-12-15"],
        "fetch": ["--from", "2024-11-30", "--to", "2024-12-15"],
    }[command]
    url = f"http://{NO_SUCH_HOST}/v1" if command == "run" else f"http://127.0.0.1:{closed_port}"
    args = [command, "--site", "hmeimim", *dates, "--catalog", url]
    if command != "scenes":
        args += ["--retries", "3", "--cache-dir", str(tmp_path / "cache"), "--refresh"]
    monkeypatch.chdir(tmp_path)  # the default output folder of `run`
    start = time.perf_counter()
    result = CliRunner().invoke(main, args)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot reach ")
    assert "no network?" in lines[0] and "--offline" in lines[0]
    # the command's own retries (3) with its backoff would take >= 3.5 s
    assert elapsed < QUICK_S


def test_unreachable_reasons_are_named_and_passing_failures_are_not() -> None:
    assert unreachable_reason(socket.gaierror(-2, "Name or service not known")) == (
        "name not resolved"
    )
    assert unreachable_reason(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) == (
        "connection refused"
    )
    try:
        try:
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        except OSError as inner:
            raise requests.ConnectionError("wrapped") from inner
    except requests.ConnectionError as outer:
        assert unreachable_reason(outer) == "network unreachable"
    # worth retrying: a timeout, a reset, an HTTP error
    assert unreachable_reason(TimeoutError("timed out")) is None
    assert unreachable_reason(ConnectionResetError(errno.ECONNRESET, "reset")) is None
    assert unreachable_reason(requests.HTTPError("503 Server Error")) is None
