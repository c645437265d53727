"""Vessel detection precision and recall on the eight labelled sen2ships ports.

The headline is **leave-one-port-out** (``--lopo``, the default run): for each port the
classifier of :func:`basewatch.detect.vessels.detect_vessels_s2` is trained on the
other seven ports and its decision threshold chosen on leave-one-port-out scores
within those seven (``benchmarks/train_vessels.py``); it is then scored on the port it
never saw. The candidate generator's parameters are fixed defaults, not searched on
these ports. The in-sample figures of the shipped model (trained on all eight) are
printed beside them, marked as such. The rule-based detector the pair pipeline uses
(:func:`~basewatch.detect.vessels.detect_vessels_optical`, tuned by hand on Athens and
Marseille) is scored on every port for comparison.

Real Sentinel-2 L2A scenes (B02 B03 B04 B08 B11, 10 m) with vessel masks (COCO RLE),
from ``../shared/data/s2_ships/``. A detection is a true positive when it overlaps a
labelled vessel (grown by one pixel); a label is found when a detection overlaps it.

The labels are incomplete: many boats in open water (a bright hull and its wake,
like the small labelled boats of Marseille) and yachts at marina piers are not
labelled. ``UNLABELLED_BOATS`` lists those checked by eye on true-colour, NIR and
B11 crops; a second precision counts a detection on one of them as correct. The
label-only figures stay the reference (the floors in ``tests/test_vessels.py``).
Every detection is at least 60 m (8 px) long, above the smallest label (7 x 5 px),
so a precision over objects above the labels' minimum size is the same figure.

``--sites`` scores the leave-one-port-out models through what ``basewatch vessels``
runs (:func:`basewatch.pipeline.detect_scene_vessels`), on the whole image and with a
site whose harbour zone is drawn tightly round the port's water.

``--pair-path`` scores each date's vessel search of the pair pipeline (``run``,
``detect``, ``timeline``, ``monitor``): the classifier where the scenes carry B11,
held out as above, beside the rule-based search used without B11.

``--toa`` scores the held-out models of both band sets on top-of-atmosphere images
(Level-1C) simulated from the ports' surface reflectance (Level-2A, the export's
values being reflectance times 65535): the path reflectance of a clear maritime
atmosphere added to each band (:data:`TOA_PATH_REFLECTANCE`), at
:data:`TOA_STRENGTHS` of it. Models and thresholds are those of the headline, chosen
on the surface-reflectance images of the other ports.

Usage::

    .venv/bin/python benchmarks/vessels_eval.py [--png OUT_DIR] [--no-lopo] [--sites]
                                                [--pair-path] [--toa]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
SHIPS = SHARED / "data" / "s2_ships"
PORTS = {
    "athens": "athens_S2L2A_20230818_B02-B03-B04-B08-B11.tif",
    "marseille": "marseille_S2L2A_20230822_B02-B03-B04-B08-B11.tif",
}


# (row, col) of unlabelled boats, checked by eye on true colour, NIR (B08) and B11
UNLABELLED_BOATS: dict[str, list[tuple[int, int, str]]] = {
    "athens": [
        (194, 425, "133 m rusty hull with tapered ends at anchor, Elefsina bay"),
        (729, 334, "grey hull with superstructure beside the labelled ships off Perama"),
        (589, 517, "white yacht at a marina pier"),
        (596, 575, "white yacht at a marina pier"),
        (599, 508, "white yacht at a marina pier"),
        (942, 216, "small bright vessel in open water"),
    ],
    "marseille": [
        (275, 356, "boat, bright hull and wake"),
        (281, 410, "boat, bright hull and wake"),
        (322, 277, "boat, hull visible in true colour, wake"),
        (505, 340, "boat, bright hull and wake"),
        (773, 782, "boat, bright hull and wake"),
        (846, 174, "boat, bright hull and wake"),
        (981, 591, "boat, brightest hull of the scene, wake"),
        (1127, 842, "boat and wake (one of a pair)"),
        (1134, 831, "boat and wake (one of a pair)"),
        (1223, 175, "boat, bright hull and wake"),
        (1255, 471, "boat, bright hull and wake"),
        (1274, 566, "boat, bright hull and wake"),
        (1335, 612, "boat, bright hull and wake"),
        (1336, 244, "boat, grey hull and wake"),
        (1350, 255, "boat, grey hull and wake"),
    ],
}


def decode_rle(counts: list[int], size: tuple[int, int]) -> np.ndarray:
    """Uncompressed COCO RLE (column-major runs, starting with zeros) to a bool mask."""
    h, w = size
    flat = np.zeros(h * w, dtype=bool)
    pos = 0
    for i, c in enumerate(counts):
        if i % 2 == 1:
            flat[pos : pos + c] = True
        pos += c
    return flat.reshape((w, h)).T


def load_port(port: str, root: Path = SHIPS) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Bands (5, rows, cols) float32, truth labels (rows, cols) int32, pixel size (m)."""
    import rasterio
    from pyproj import CRS, Transformer

    with rasterio.open(root / PORTS[port]) as ds:
        data = ds.read().astype(np.float32)
        t = ds.transform
        crs = CRS.from_user_input(ds.crs)
        cx, cy = t * (ds.width / 2, ds.height / 2)
    # EPSG:3857 pixels are 10 m in Web Mercator units: scale by cos(latitude) for ground
    _, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(cx, cy)
    k = float(np.cos(np.radians(lat))) if crs.to_epsg() == 3857 else 1.0
    pixel = (abs(t.a) * k, abs(t.e) * k)
    coco = json.loads((root / f"{port}_coco.json").read_text())
    truth = np.zeros(data.shape[1:], dtype=np.int32)
    for i, ann in enumerate(coco["annotations"], start=1):
        seg = ann["segmentation"]
        mask = decode_rle(seg["counts"], tuple(seg["size"]))
        truth[mask] = i
    return data, truth, pixel


def evaluate(port: str, root: Path = SHIPS) -> dict[str, Any]:
    from basewatch.detect.vessels import detect_vessels_optical, match_labels

    data, truth, pixel = load_port(port, root)
    res = detect_vessels_optical(data[1], data[3], pixel_size_m=pixel)
    det = res.vessel_labels()
    m = match_labels(det, truth)
    # the same scoring with the eye-checked unlabelled boats added as 3 x 3 px labels
    more = truth.copy()
    for j, (r, c, _) in enumerate(UNLABELLED_BOATS.get(port, []), start=int(truth.max()) + 1):
        more[r - 1 : r + 2, c - 1 : c + 2] = np.where(truth[r - 1 : r + 2, c - 1 : c + 2] > 0, 0, j)
    m_more = match_labels(det, more)
    # false positives by setting: open water around them, or at a shore, quay or pier
    grown = np.where(truth > 0, 1, 0)
    from scipy import ndimage

    grown = ndimage.binary_dilation(grown, iterations=1)
    ids = np.flatnonzero(res.is_vessel) + 1
    hit = np.zeros(int(det.max()) + 1, dtype=bool)
    hit[np.unique(det[grown & (det > 0)])] = True
    fp = ids[~hit[ids]]
    ring = res.features["water_ring"][fp - 1] if fp.size else np.zeros(0)
    return {
        "port": port,
        "pixel_size_m": pixel,
        "match": m,
        "match_with_unlabelled": m_more,
        "fp_open_water": int((ring >= 0.9).sum()),
        "fp_shore": int((ring < 0.9).sum()),
        "vessels": res,
        "truth": truth,
        "data": data,
    }


def lopo_table(root: Path = SHIPS, ports: dict[str, Any] | None = None) -> dict[str, Any]:
    """Leave-one-port-out and in-sample precision, recall and F1 of the trained detector.

    Returns
    -------
    dict
        ``lopo`` and ``in_sample``: per port ``(precision, recall, f1)`` and
        ``counts`` (true positives, detections, labels found, labels); ``pooled``: the
        same over the summed counts; ``thresholds``: each held-out port's threshold.
    """
    import train_vessels as tv
    from basewatch.detect.classify import load_classifier

    if ports is None:
        ports = {p: tv.port_candidates(p, root) for p in tv.PORTS}
    lopo = tv.leave_one_port_out(ports)
    shipped = load_classifier()
    insample = {q: tv.counts(p, shipped.score(p.x) >= shipped.threshold) for q, p in ports.items()}
    return {
        "lopo": {q: v["prf"] for q, v in lopo.items()},
        "lopo_counts": {q: v["counts"] for q, v in lopo.items()},
        "thresholds": {q: v["threshold"] for q, v in lopo.items()},
        "pooled": tv.prf(np.sum([v["counts"] for v in lopo.values()], axis=0)),
        "in_sample": {q: tv.prf(c) for q, c in insample.items()},
        "in_sample_pooled": tv.prf(np.sum(list(insample.values()), axis=0)),
        "shipped_threshold": shipped.threshold,
        "model_version": shipped.version,
    }


#: Reflectance a clear maritime atmosphere adds to each band seen from orbit (sun about
#: 30 degrees from the zenith, aerosol optical depth about 0.1: Rayleigh scattering,
#: falling steeply with wavelength, and a little aerosol), in the order of the ports'
#: bands: B02, B03, B04, B08, B11. What separates a Level-1C (top of the atmosphere)
#: scene from the Level-2A (surface) one the model was trained on, to first order.
TOA_PATH_REFLECTANCE = (0.06, 0.04, 0.025, 0.015, 0.005)
#: Multiples of :data:`TOA_PATH_REFLECTANCE` scored by ``--toa`` (hazier is higher).
TOA_STRENGTHS = (0.75, 1.0, 1.25)
#: The export's value of reflectance 1 (each band's reflectance times 65535, clipped).
EXPORT_FULL_SCALE = 65535.0


def top_of_atmosphere(
    data: np.ndarray, strength: float, full: float = EXPORT_FULL_SCALE
) -> np.ndarray:
    """A port image (its first bands of B02, B03, B04, B08, B11) as a top-of-atmosphere
    image: ``strength`` times :data:`TOA_PATH_REFLECTANCE` added to each band, clipped
    at ``full``, the value of reflectance 1 (the export's, or ``EXPORT_FULL_SCALE``
    times a scene's ``scale`` for the values :func:`read_geotiff` makes of it)."""
    path = np.asarray(TOA_PATH_REFLECTANCE, dtype=np.float32)[: len(data), None, None]
    top = np.float32(full)
    return np.minimum(data + path * np.float32(strength) * top, top)


def toa_table(root: Path = SHIPS, bands: str = "s2") -> dict[str, Any]:
    """Held-out counts of the model of ``bands`` (a key of ``train_vessels.BAND_SETS``)
    per port on its image as it is and as :func:`top_of_atmosphere` makes it at each of
    :data:`TOA_STRENGTHS`; each port's model and threshold chosen on the other ports'
    images as they are (the headline's).

    Returns
    -------
    dict
        ``counts``: per port, a list of counts (true positives, detections, labels
        found, labels): the image as it is, then each strength; ``pooled``: precision,
        recall and F1 of the summed counts, in the same order.
    """
    import train_vessels as tv

    loaded = {q: tv.load_port(q, root) for q in tv.PORTS}
    ports = {q: tv.candidates_of(q, *loaded[q], bands) for q in tv.PORTS}
    counts: dict[str, list[tuple[int, int, int, int]]] = {}
    for q, (model, t) in tv.held_out_models(ports).items():
        data, truth, pixel = loaded[q]
        versions = [ports[q]] + [
            tv.candidates_of(q, top_of_atmosphere(data, k), truth, pixel, bands)
            for k in TOA_STRENGTHS
        ]
        counts[q] = [tv.counts(p, model.predict_proba(p.x)[:, 1] >= t) for p in versions]
    pooled = [tv.prf(np.sum([c[i] for c in counts.values()], axis=0)) for i in range(4)]
    return {"counts": counts, "pooled": pooled}


def print_toa() -> None:
    import train_vessels as tv

    print(
        "held out (each port's model and threshold chosen on the other seven) on each image "
        "as it is\n(surface reflectance) and with the path reflectance "
        f"{', '.join(f'{v:g}' for v in TOA_PATH_REFLECTANCE)} (B02 ... B11)\nadded at "
        f"{', '.join(f'{k:g}' for k in TOA_STRENGTHS)} times (simulated top of the atmosphere); F1:"
    )
    for bands in tv.BAND_SETS:
        t = toa_table(bands=bands)
        head = "  ".join(f"x{k:<4g}" for k in TOA_STRENGTHS)
        print(f"model {bands}: {'port':10s} as is  {head}")
        for q, c in t["counts"].items():
            print(f"{'':10s}{q:10s} " + "  ".join(f"{tv.prf(x)[2]:5.2f}" for x in c))
        print(
            f"{'':10s}{'pooled':10s} "
            + "  ".join(f"{f:5.2f}" for _, _, f in t["pooled"])
            + "   (P / R: "
            + ", ".join(f"{p:.2f} / {r:.2f}" for p, r, _ in t["pooled"])
            + ")"
        )


def rule_based(port: str, root: Path = SHIPS) -> tuple[int, int, int, int]:
    """Counts of the pair pipeline's rule-based detector on one port."""
    import train_vessels as tv
    from basewatch.detect.vessels import detect_vessels_optical, match_labels

    data, truth, pixel = tv.load_port(port, root)
    m = match_labels(
        detect_vessels_optical(data[1], data[3], pixel_size_m=pixel).vessel_labels(), truth
    )
    return m.true_positives, m.detections, m.found, m.labels


def print_lopo() -> None:
    import train_vessels as tv

    t = lopo_table()
    print(f"leave-one-port-out (model {t['model_version']}; each port scored by a model and")
    print("threshold chosen on the other seven), in-sample (shipped model, trained on all")
    print(f"eight, threshold {t['shipped_threshold']:.2f}) and the rule-based detector:")
    print(
        f"{'port':10s} {'LOPO P':>7s} {'R':>5s} {'F1':>5s}  thr  | in-sample P   R    F1  |"
        "  rule P   R    F1"
    )
    rules = {q: rule_based(q) for q in tv.PORTS}
    for q in tv.PORTS:
        p, r, f = t["lopo"][q]
        ip, ir, iff = t["in_sample"][q]
        rp, rr, rf = tv.prf(rules[q])
        print(
            f"{q:10s} {p:7.2f} {r:5.2f} {f:5.2f} {t['thresholds'][q]:5.2f} |"
            f" {ip:9.2f} {ir:4.2f} {iff:5.2f} | {rp:6.2f} {rr:4.2f} {rf:5.2f}"
        )
    p, r, f = t["pooled"]
    ip, ir, iff = t["in_sample_pooled"]
    rp, rr, rf = tv.prf(np.sum(list(rules.values()), axis=0))
    print(
        f"{'pooled':10s} {p:7.2f} {r:5.2f} {f:5.2f}       |"
        f" {ip:9.2f} {ir:4.2f} {iff:5.2f} | {rp:6.2f} {rr:4.2f} {rf:5.2f}"
    )


#: Growth of a port's open water into the harbour zone of ``--sites`` (metres): an
#: analyst's harbour polygon takes in the quays' edges and the hulls moored at them.
SITE_ZONE_GROWTH_M = 100.0


def water_site(port: str, path: Path, root: Path = SHIPS) -> Path:
    """A site over one port image whose one water zone (``harbour``) is the image's open
    water grown by :data:`SITE_ZONE_GROWTH_M` with its holes filled, as an analyst
    would draw a harbour tightly; written to ``path`` (GeoJSON) and returned."""
    import rasterio
    import shapely
    from rasterio.features import shapes
    from scipy import ndimage
    from shapely.geometry import box, mapping, shape

    from basewatch.detect.water import water_masks

    data, _, pixel = load_port(port, root)
    ok = np.all(np.isfinite(data), axis=0)
    water = water_masks(data[1], data[4], nir=data[3], pixel_size_m=pixel, valid=ok).open_water
    grow = round(SITE_ZONE_GROWTH_M / float(np.sqrt(pixel[0] * pixel[1])))
    zone = ndimage.binary_fill_holes(ndimage.binary_dilation(water, iterations=grow)) & ok
    with rasterio.open(root / PORTS[port]) as ds:
        crs, t, bounds = ds.crs, ds.transform, ds.bounds
    from pyproj import Transformer

    to_ll = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform
    pieces = [shape(g) for g, v in shapes(zone.astype(np.uint8), mask=zone, transform=t) if v]

    def reproject(geom: Any) -> Any:
        return shapely.transform(geom, lambda xy: np.column_stack(to_ll(xy[:, 0], xy[:, 1])))

    harbour = reproject(shapely.union_all(pieces))
    outline = reproject(box(*bounds))

    def feature(kind: str, geom: Any) -> dict[str, Any]:
        props = {"kind": kind, "name": kind, "source": "open water grown", "licence": "CC0-1.0"}
        return {"type": "Feature", "properties": props, "geometry": mapping(geom)}

    doc = {
        "type": "FeatureCollection",
        "basewatch": {"site": f"{port}-water", "title": f"{port} (open water grown)"},
        "features": [feature("outline", outline), feature("harbour", harbour)],
    }
    path.write_text(json.dumps(doc))
    return path


def site_table(root: Path = SHIPS) -> dict[str, Any]:
    """Leave-one-port-out through :func:`basewatch.pipeline.detect_scene_vessels`, what
    ``basewatch vessels`` runs: each port with a model and threshold chosen on the other
    seven, searched whole (``whole``) and with a site whose water zone is drawn tightly
    round its water (:func:`water_site`; ``site``: labelled vessels lying mostly in the
    zone). Per port and pooled ``(precision, recall, f1)`` and the counts."""
    import tempfile

    import train_vessels as tv
    from basewatch.aoi import WATER_ZONES, load_site, zone_index
    from basewatch.detect.candidates import BANDS
    from basewatch.detect.classify import VesselClassifier
    from basewatch.detect.components import zone_kind_mask
    from basewatch.detect.vessels import match_labels
    from basewatch.imagery.local import read_geotiff
    from basewatch.pipeline import detect_scene_vessels

    ports = {p: tv.port_candidates(p, root) for p in tv.PORTS}
    models: dict[frozenset[str], Any] = {}
    out: dict[str, Any] = {"whole": {}, "site": {}, "zone_share": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for q in tv.PORTS:
            train = {k: v for k, v in ports.items() if k != q}
            t = tv.choose_threshold(tv.lopo_scores(train, models), train)
            model = models.get(frozenset({q})) or tv.fit(train.values())
            clf = VesselClassifier.from_dict(tv.export(model, t, {}))
            PORTS.setdefault(q, tv.port_file(q, root).name)
            scene = read_geotiff(root / PORTS[q], sensor="S2", bands=list(BANDS))
            _, truth, _ = load_port(q, root)
            site = water_site(q, Path(tmp) / f"{q}.geojson", root)
            index, zones = zone_index(load_site(site), scene.grid)
            inside = zone_kind_mask(index, zones, WATER_ZONES)
            n = int(truth.max())
            share = np.bincount(truth.ravel(), inside.ravel(), minlength=n + 1) / np.maximum(
                np.bincount(truth.ravel(), minlength=n + 1), 1
            )
            for kind, found, labels in (
                ("whole", detect_scene_vessels(scene, classifier=clf), truth),
                (
                    "site",
                    detect_scene_vessels(scene, site=str(site), classifier=clf),
                    np.where(share[truth] >= 0.5, truth, 0),
                ),
            ):
                m = match_labels(found.result.vessel_labels(), labels, tolerance_px=1)
                out[kind][q] = (m.true_positives, m.detections, m.found, m.labels)
            out["zone_share"][q] = float(inside[np.all(np.isfinite(scene.data), axis=0)].mean())
    for kind in ("whole", "site"):
        out[f"{kind}_pooled"] = tv.prf(np.sum(list(out[kind].values()), axis=0))
    return out


def print_sites() -> None:
    import train_vessels as tv

    t = site_table()
    print("leave-one-port-out through detect_scene_vessels (basewatch vessels): the whole")
    print("image, and a site whose harbour zone is the port's open water grown by")
    print(f"{SITE_ZONE_GROWTH_M:.0f} m (labelled vessels mostly inside it):")
    print(f"{'port':10s} {'zone':>5s} | whole P    R    F1 | site P    R    F1")
    for q in tv.PORTS:
        w, s = tv.prf(t["whole"][q]), tv.prf(t["site"][q])
        print(
            f"{q:10s} {t['zone_share'][q]:5.2f} | {w[0]:7.2f} {w[1]:4.2f} {w[2]:4.2f} |"
            f" {s[0]:6.2f} {s[1]:4.2f} {s[2]:4.2f}"
        )
    w, s = t["whole_pooled"], t["site_pooled"]
    print(
        f"{'pooled':10s} {'':5s} | {w[0]:7.2f} {w[1]:4.2f} {w[2]:4.2f} |"
        f" {s[0]:6.2f} {s[1]:4.2f} {s[2]:4.2f}"
    )


#: A labelled vessel is in open water when at least this share of the ring within
#: :data:`OPEN_RING_M` of it (other vessels left out) is NDWI water: what the record's
#: ``open_water_recall`` counts (the chance that a search misses a ship in an approach).
OPEN_SHARE = 0.9
OPEN_RING_M = 100.0


def open_water_labels(
    truth: np.ndarray, green: np.ndarray, nir: np.ndarray, *, pixel_m: float
) -> np.ndarray:
    """Ids of the labelled vessels with open water all around them (:data:`OPEN_SHARE`
    of a ring of :data:`OPEN_RING_M`, in pixels of side ``pixel_m``, NDWI above 0,
    other vessels left out)."""
    from scipy import ndimage

    from basewatch.detect.components import water_mask

    water = water_mask(green, nir, threshold=0.0, valid=np.isfinite(green) & np.isfinite(nir))
    reach = round(OPEN_RING_M / pixel_m)
    out = []
    for i, box in enumerate(ndimage.find_objects(truth), start=1):
        if box is None:
            continue
        r0, r1 = max(0, box[0].start - reach), min(truth.shape[0], box[0].stop + reach)
        c0, c1 = max(0, box[1].start - reach), min(truth.shape[1], box[1].stop + reach)
        part = truth[r0:r1, c0:c1]
        ring = ndimage.binary_dilation(part == i, iterations=reach) & (part == 0)
        if ring.any() and water[r0:r1, c0:c1][ring].mean() >= OPEN_SHARE:
            out.append(i)
    return np.asarray(out, dtype=np.int64)


def pair_path_table(root: Path = SHIPS, *, toa: float | None = None) -> dict[str, Any]:
    """Each date's vessel search of the pair pipeline (``basewatch run``, ``detect``,
    ``timeline``, ``monitor``) on the eight ports, the whole image a water zone: the
    trained classifier that searches scenes carrying B11
    (:func:`basewatch.detect.single_date.classified_vessel_candidates`, leave-one-port-out:
    each port with a model and threshold chosen on the other seven), the one trained on
    the four 10 m bands that searches scenes without B11 (the same, its candidates and
    features without B11), and the rule-based detector that searches scenes holding
    green and NIR but not all four 10 m bands
    (:func:`~basewatch.detect.single_date.free_vessel_candidates`,
    tuned by hand on Athens and Marseille). Per port and pooled counts and
    ``(precision, recall, f1)``. With ``toa``, each port's image is searched as
    :func:`top_of_atmosphere` makes it at that strength (the models still trained and
    their thresholds chosen on the other ports' images as they are; the vessels in
    open water are those of the image as it is)."""
    import train_vessels as tv
    from basewatch.detect.candidates import BANDS
    from basewatch.detect.classify import VesselClassifier
    from basewatch.detect.components import ObjectParams
    from basewatch.detect.single_date import (
        classified_vessel_candidates,
        free_vessel_candidates,
        union_vessel_candidates,
    )
    from basewatch.detect.vessels import match_labels
    from basewatch.imagery.local import read_geotiff

    # each model's kind in the record, by the band set it is trained on
    models = {"classifier": "s2", "classifier_10m": "10m"}
    ports = {
        kind: {p: tv.port_candidates(p, root, bands) for p in tv.PORTS}
        for kind, bands in models.items()
    }
    fitted: dict[str, dict[frozenset[str], Any]] = {kind: {} for kind in models}
    params = ObjectParams()
    kinds = ("classifier", "classifier_10m", "rule", "union")
    out: dict[str, Any] = {**{kind: {} for kind in kinds}, "open": {}}
    for q in tv.PORTS:
        PORTS.setdefault(q, tv.port_file(q, root).name)
        scene = read_geotiff(root / PORTS[q], sensor="S2", bands=list(BANDS))
        _, truth, _ = load_port(q, root)
        open_ids = open_water_labels(
            truth, scene.band("B03"), scene.band("B08"), pixel_m=min(scene.grid.pixel_size_m)
        )
        if toa is not None:
            full = EXPORT_FULL_SCALE * scene.scale
            scene = replace(scene, data=top_of_atmosphere(scene.data, toa, full))
        found = {}
        for kind, bands in models.items():
            train = {k: v for k, v in ports[kind].items() if k != q}
            t = tv.choose_threshold(tv.lopo_scores(train, fitted[kind]), train)
            clf = VesselClassifier.from_dict(tv.export(tv.fit(train.values()), t, {}, bands))
            found[kind] = classified_vessel_candidates(
                scene.data[: len(clf.bands)],
                valid=scene.valid,
                grid=scene.grid,
                params=params,
                classifier=clf,
            )
        found["rule"] = free_vessel_candidates(
            scene.band("B03"),
            scene.band("B08"),
            water=scene.valid,
            grid=scene.grid,
            params=params,
        )
        # pairs without B11 with ObjectParams(vessels_without_b11="union")
        found["union"] = union_vessel_candidates(found["classifier_10m"], found["rule"])
        for kind, cand in found.items():
            keep = np.concatenate([[False], cand.keep])
            det = np.where(keep[cand.labels], cand.labels, 0)
            m = match_labels(det, truth, tolerance_px=1)
            out[kind][q] = (m.true_positives, m.detections, m.found, m.labels)
            hit = np.isin(open_ids, m.found_ids).sum()
            out["open"].setdefault(kind, {})[q] = (int(hit), len(open_ids))
    for kind in kinds:
        out[f"{kind}_pooled"] = tv.prf(np.sum(list(out[kind].values()), axis=0))
        hit, total = np.sum(list(out["open"][kind].values()), axis=0)
        out[f"{kind}_open_water_recall"] = (int(hit), int(total))
    return out


def print_pair_path(toa: float | None = None) -> None:
    import train_vessels as tv

    t = pair_path_table(toa=toa)
    if toa is not None:
        print(
            f"on simulated top-of-atmosphere images (path reflectance x{toa:g}, see --toa), "
            "models as below:"
        )
    print("each date's vessel search of the pair pipeline, the whole image a water zone:")
    print("the classifier (scenes with B11), the 10 m bands' classifier (scenes without B11;")
    print("both leave-one-port-out), the rule (tuned on Athens and Marseille) and the union")
    print("of the 10 m classifier's vessels and the rule's (ObjectParams.vessels_without_b11)")
    print(
        f"{'port':10s} | classifier P    R    F1 | 10 m P    R    F1 | rule P    R    F1 "
        "| union P    R    F1"
    )
    for q in [*tv.PORTS, "pooled"]:
        c, d, r, u = (
            t[f"{kind}_pooled"] if q == "pooled" else tv.prf(t[kind][q])
            for kind in ("classifier", "classifier_10m", "rule", "union")
        )
        print(
            f"{q:10s} | {c[0]:12.2f} {c[1]:4.2f} {c[2]:4.2f} | {d[0]:6.2f} {d[1]:4.2f} "
            f"{d[2]:4.2f} | {r[0]:6.2f} {r[1]:4.2f} {r[2]:4.2f} | {u[0]:7.2f} {u[1]:4.2f} "
            f"{u[2]:4.2f}"
        )
    print(
        f"labelled vessels in open water (at least {OPEN_SHARE:.0%} of a "
        f"{OPEN_RING_M:.0f} m ring NDWI water) found:"
    )
    for kind in ("classifier", "classifier_10m", "rule", "union"):
        hit, total = t[f"{kind}_open_water_recall"]
        print(f"  {kind:15s} {hit} of {total} ({hit / total:.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--png", type=Path, help="write overlays of detections and labels here")
    ap.add_argument(
        "--no-lopo", action="store_true", help="only the rule-based detector on Athens, Marseille"
    )
    ap.add_argument(
        "--sites",
        action="store_true",
        help="only leave-one-port-out through basewatch vessels, whole and with a site",
    )
    ap.add_argument(
        "--pair-path",
        action="store_true",
        help="only each date's vessel search of the pair pipeline: classifier and rule",
    )
    ap.add_argument(
        "--toa",
        action="store_true",
        help="only the held-out models on simulated top-of-atmosphere (Level-1C) images; "
        "with --pair-path, the pair pipeline's searches on them (path reflectance x1)",
    )
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.pair_path:
        print_pair_path(toa=1.0 if args.toa else None)
        return
    if args.toa:
        print_toa()
        return
    if args.sites:
        print_sites()
        return
    if not args.no_lopo:
        print_lopo()
        print()
    total_tp = total_det = total_found = total_lab = total_tp_more = 0
    for port in PORTS:
        r = evaluate(port)
        m = r["match"]
        mm = r["match_with_unlabelled"]
        total_tp += m.true_positives
        total_tp_more += mm.true_positives
        total_det += m.detections
        total_found += m.found
        total_lab += m.labels
        print(
            f"{port:10s} pixel {r['pixel_size_m'][0]:.2f} m  detections {m.detections:3d}  "
            f"labels {m.labels:3d}  TP {m.true_positives:3d}  found {m.found:3d}  "
            f"precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}"
        )
        print(
            f"{'':10s} false positives: {r['fp_open_water']} in open water (water ring >= 0.9),"
            f" {r['fp_shore']} at a shore, quay or pier;  precision counting "
            f"{len(UNLABELLED_BOATS.get(port, []))} eye-checked unlabelled boats as correct "
            f"{mm.precision:.3f}"
        )
        if args.png:
            _overlay(r, args.png / f"{port}_vessels.png")
    print(
        f"{'both':10s} precision {total_tp / total_det:.3f}  recall {total_found / total_lab:.3f}"
        f"  (precision with eye-checked unlabelled boats {total_tp_more / total_det:.3f})"
    )
    print("parameters:", json.dumps(r["vessels"].params))


def _overlay(r: dict[str, Any], path: Path) -> None:
    from PIL import Image
    from scipy import ndimage

    data = r["data"]
    rgb = np.dstack([data[2], data[1], data[0]])
    lo, hi = np.percentile(rgb, [1, 99])
    img = (np.clip((rgb - lo) / (hi - lo), 0, 1) * 255).astype(np.uint8)
    truth = r["truth"] > 0
    det = r["vessels"].vessel_labels() > 0
    other = (r["vessels"].labels > 0) & ~det
    for mask, colour in ((truth, (255, 0, 0)), (det, (0, 255, 255)), (other, (255, 255, 0))):
        edge = mask & ~ndimage.binary_erosion(mask)
        img[edge] = colour
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).save(path)


if __name__ == "__main__":
    main()
