"""The HTTP file server of the tile-loader tests, in a process of its own.

It honours single ``Range`` requests the way S3 and Azure blob storage do, counts the
bytes it sends, can inject faults (HTTP 5xx, slow answers), requires Planetary-Computer
style SAS signatures on ``/pc/`` and serves a SAS token endpoint, and a deliberately
broken "catalogue" at ``/badstac/`` (malformed JSON). :class:`stac_server.RangeServer`
starts it and reads its log and sets its faults through ``/__control/`` requests.

It runs apart from the process that reads from it because rasterio calls some GDAL
functions while holding Python's GIL (the mask flags of a band, which can read a TIFF
directory over HTTP): with the server's threads in the same interpreter they waited for
the GIL that the reader held while it waited for them, until curl timed out and the
read failed as a damaged file. A real object store is never in the reader's process.

    python tests/range_server.py ROOT [--port N] [--avoid N,N,...]

prints the port it serves on, then serves until stopped. Standard library only, so that
it starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

#: Path prefix of the requests that read the log and set faults (never logged).
CONTROL = "/__control/"


@dataclass
class Fault:
    """What to do to requests for one path.

    ``status``: answer this HTTP status for the next ``times`` requests (``times=-1``:
    always). ``delay``: sleep this many seconds before answering.
    """

    status: int | None = None
    times: int = -1
    delay: float = 0.0


@dataclass
class ServerLog:
    bytes_sent: Counter[str] = field(default_factory=Counter)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, range)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0  # requests being answered now
    most_in_flight: int = 0  # the most answered at once since the last reset

    def reset(self) -> None:
        with self.lock:
            self.bytes_sent.clear()
            self.requests.clear()
            self.most_in_flight = self.in_flight - 1  # less the reset request itself


_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")
SAS_TOKEN = "st=2024-12-01T00%3A00%3A00Z&se=2099-01-01T00%3A00%3A00Z&sp=rl&sig=bmV2ZXItcmVhbA%3D%3D"


class _State:
    """What the handler serves from: the root folder, the log, the faults, the URL."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log = ServerLog()
        self.faults: dict[str, Fault] = {}
        self.url = ""


STATE = _State(Path())


class _QuietServer(ThreadingHTTPServer):
    """Clients (GDAL) drop connections they no longer need: not an error here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | BrokenPipeError | TimeoutError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self._serve(head=False)

    def _control(self, what: str) -> None:
        """The test process's view of this server: its log, and faults to inject."""
        log = STATE.log
        if what == "log":
            with log.lock:
                doc = {
                    "requests": log.requests,
                    "bytes_sent": dict(log.bytes_sent),
                    "in_flight": log.in_flight - 1,  # less this request
                    "most_in_flight": log.most_in_flight,
                }
            self._send(200, json.dumps(doc).encode(), "application/json")
        elif what == "reset":
            log.reset()
            self._send(200, b"{}", "application/json")
        elif what == "fault":
            doc = json.loads(getattr(self, "body", b"") or b"{}")
            if doc.get("fault") is None:
                STATE.faults.pop(doc["path"], None)
            else:
                STATE.faults[doc["path"]] = Fault(**doc["fault"])
            self._send(200, b"{}", "application/json")
        else:
            self._send(404, b"no such control", "text/plain")

    def _send(
        self, code: int, body: bytes, ctype: str, extra: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, *, head: bool) -> None:
        with STATE.log.lock:
            STATE.log.in_flight += 1
            STATE.log.most_in_flight = max(STATE.log.most_in_flight, STATE.log.in_flight)
        try:
            self._answer(head=head)
        finally:
            with STATE.log.lock:
                STATE.log.in_flight -= 1

    def _answer(self, *, head: bool) -> None:
        path, _, query = self.path.partition("?")
        if path.startswith(CONTROL):
            self._control(path[len(CONTROL) :])
            return
        rng = self.headers.get("Range", "")
        with STATE.log.lock:
            STATE.log.requests.append((self.command, path, rng))
        fault = STATE.faults.get(path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is not None and fault.times != 0:
                if fault.times > 0:
                    fault.times -= 1
                self._send(fault.status, b"injected failure", "text/plain")
                return
        if path.startswith("/api/sas/v1/token/"):
            expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
            body = json.dumps({"msft:expiry": expiry, "token": SAS_TOKEN}).encode()
            self._send(200, body, "application/json")
            return
        if path.startswith("/badstac"):
            if path.rstrip("/") == "/badstac":
                landing = {
                    "type": "Catalog",
                    "id": "bad",
                    "stac_version": "1.0.0",
                    "description": "answers malformed JSON to searches",
                    "conformsTo": [
                        "https://api.stacspec.org/v1.0.0/core",
                        "https://api.stacspec.org/v1.0.0/item-search",
                    ],
                    "links": [
                        {
                            "rel": "search",
                            "type": "application/geo+json",
                            "href": f"{STATE.url}/badstac/search",
                            "method": "POST",
                        },
                        {"rel": "root", "href": f"{STATE.url}/badstac/"},
                    ],
                }
                self._send(200, json.dumps(landing).encode(), "application/json")
            else:
                self._send(
                    200,
                    b'{"type": "FeatureCollection", "features": [{"id": ',
                    "application/geo+json",
                )
            return
        if path.startswith("/pc/") and "sig=" not in query:
            self._send(
                403,
                b"<Error>AuthenticationFailed: no SAS signature</Error>",
                "application/xml",
            )
            return
        file = (STATE.root / path.lstrip("/")).resolve()
        if not str(file).startswith(str(STATE.root.resolve())) or not file.is_file():
            self._send(404, b"not found", "text/plain")
            return
        size = file.stat().st_size
        start, end = 0, size - 1
        code = 200
        extra: dict[str, str] = {"Accept-Ranges": "bytes"}
        if rng:
            m = _RANGE.match(rng.strip())
            if not m:
                self._send(416, b"", "text/plain", {"Content-Range": f"bytes */{size}"})
                return
            start = int(m[1])
            end = min(int(m[2]) if m[2] else size - 1, size - 1)
            if start >= size:
                self._send(416, b"", "text/plain", {"Content-Range": f"bytes */{size}"})
                return
            code = 206
            extra["Content-Range"] = f"bytes {start}-{end}/{size}"
        with file.open("rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        if not head:
            with STATE.log.lock:
                STATE.log.bytes_sent[path] += len(body)
        self._send(code, body, "image/tiff", extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--avoid", default="", help="ports not to take (comma-separated)")
    args = parser.parse_args()
    STATE.root = args.root.resolve()
    avoid = {int(p) for p in args.avoid.split(",") if p}
    httpd = _QuietServer(("127.0.0.1", args.port), Handler)
    held = []
    while not args.port and httpd.server_address[1] in avoid:
        held.append(httpd)  # keep it bound so the next one gets another port
        httpd = _QuietServer(("127.0.0.1", 0), Handler)
    for h in held:
        h.server_close()
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    STATE.url = f"http://127.0.0.1:{port}"
    print(port, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
