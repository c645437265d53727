"""Reading from a distant COG store: a scene's bands, and a survey's dates, at once.

    .venv/bin/python benchmarks/remote_reads.py [--latency 0.05] [--repeats 3]

Serves the real Beirut COGs and Planetary-Computer-shaped items of the tile-loader tests
(``tests/stac_server.build_world``, minimal) on localhost, with every request to the
scene's files answered ``--latency`` seconds late (a round trip to a distant object
store; the server injects it), and times, in the same run and each with an empty tile
cache:

* ``read_scene``: :meth:`basewatch.imagery.loader.TileLoader.read_scene`, what ``basewatch
  run``, ``timeline``, ``fetch`` and every ``monitor`` task read scenes with (its bands and
  scene classification read at once, :meth:`~basewatch.imagery.loader.TileLoader.read_bands`);
* ``one by one``: the same five files read in turn with
  :meth:`~basewatch.imagery.loader.TileLoader.read_band` (what the loader did before),
  the baseline;
* ``assess_all``: the scene classification of every Sentinel-2 date in the catalogue
  over the site read at once (:meth:`~basewatch.imagery.loader.TileLoader.assess_all`,
  what a ``monitor`` survey and ``run``'s choice of scenes call), beside ``assess`` of
  each date in turn.

It prints the medians, their ratio, the requests the server answered for each and the
most it answered at once. With ``--latency 0`` it shows what the threads cost where the
network costs nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from basewatch.aoi import aoi_for_site, load_site  # noqa: E402
from basewatch.imagery.cache import TileCache  # noqa: E402
from basewatch.imagery.catalog import HttpOptions, resolve_catalog  # noqa: E402
from basewatch.imagery.loader import LoaderConfig, TileLoader  # noqa: E402
from stac_server import Fault, build_world  # noqa: E402

SITE = "beirut-airport"
DAY = dt.date(2024, 12, 15)
#: The dates searched for the survey: every Sentinel-2 item of the test catalogue.
SURVEY = (dt.date(2024, 11, 1), dt.date(2024, 12, 31))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    shared = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared")) / "data"
    if not shared.is_dir():
        print(f"shared data not found at {shared} (set BASEWATCH_SHARED)", file=sys.stderr)
        return 2
    aoi = aoi_for_site(load_site(SITE))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        world = build_world(shared, work / "world", aoi.grid.bounds, minimal=True)
        try:
            spec = resolve_catalog(world.pc.url, sas_url=f"{world.files.url}/api/sas/v1")

            def loader(name: str) -> TileLoader:
                cache = TileCache(Path(tempfile.mkdtemp(dir=work, prefix=name)))
                return TileLoader(spec, aoi, LoaderConfig(cache=cache, http=HttpOptions()))

            (cand,) = loader("search").search("S2", DAY, DAY)
            dates = loader("search").search("S2", *SURVEY)
            names = [*loader("bands").config.s2_bands, "SCL"]
            hrefs = {cand.asset(b).href for b in names} | {c.asset("SCL").href for c in dates}
            for href in hrefs:
                world.files.faults[urlparse(href).path] = Fault(delay=args.latency)
            times: dict[str, list[float]] = {
                "read_scene": [],
                "one by one": [],
                "assess_all": [],
                "assess": [],
            }
            requests: dict[str, int] = {}
            most: dict[str, int] = {}
            for _ in range(args.repeats):
                for how in times:
                    ld = loader(how.replace(" ", "-"))
                    world.files.log.reset()
                    t0 = time.perf_counter()
                    if how == "read_scene":
                        ld.read_scene(cand)
                    elif how == "one by one":
                        for band in names:
                            ld.read_band(cand, band)
                    elif how == "assess_all":
                        ld.assess_all(dates)
                    else:
                        for c in dates:
                            ld.assess(c)
                    times[how].append(time.perf_counter() - t0)
                    requests[how] = world.files.log.count("/pc/")
                    most[how] = world.files.log.most_in_flight
        finally:
            world.stop()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"one Sentinel-2 scene of {SITE} ({aoi.grid.width} x {aoi.grid.height} px, "
        f"{len(names)} files: {', '.join(names)}), {args.latency * 1000:.0f} ms per request"
    )
    for how, t in times.items():
        runs = ", ".join(f"{x:.3f}" for x in t)
        print(
            f"  {how:10s} {med[how]:.3f} s (runs {runs}); {requests[how]} requests, "
            f"at most {most[how]} at once"
        )
    print(f"  one by one / read_scene: {med['one by one'] / med['read_scene']:.2f} x")
    print(f"  assess / assess_all ({len(dates)} dates): {med['assess'] / med['assess_all']:.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
