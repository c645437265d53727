"""Reading reports and extracting claims (``basewatch.corroborate``: reports, gazetteer)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import socket
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basewatch.corroborate.claims import extract_claims
from basewatch.corroborate.gazetteer import EQUIPMENT, PLACES, fold, match_place
from basewatch.corroborate.reports import (
    MAX_REPORT_BYTES,
    load_metadata,
    parse_report,
    read_report,
    read_reports,
)
from basewatch.corroborate.stories import group_near_duplicates, report_similarity
from basewatch.errors import InputError, ReportError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "reports"
CORPUS = REPO / "seeds" / "corpus.json"

# Floors under what benchmarks/claims_eval.py measures: seeds P 1.00 R 1.00 (21 claims);
# test reports P 1.00 R 0.97 (33 of 34; one claim of the paraphrase missed). Measured
# blind, before any rule was tuned on them: unseen_wire.html 3 of 8, blind_thread.txt
# 1 of 7, blind_mt.txt 3 of 4 correct. A little room is left for rule changes.
SEEDS_FLOOR = {"precision": 0.9, "recall": 0.9}
TEST_REPORTS_FLOOR = {"precision": 0.85, "recall": 0.85}
# data/claims_multilingual (2026-12-04; the held-out set there is measured, not tested):
# dev, 121 claims in ten languages: P 0.346 R 0.223 before its errors were read, P 0.695
# R 0.678 after; dev2, 146 claims (40 English): P 0.348 R 0.267 first scored unseen, P
# 0.522 R 0.404 after; dev3, 105 English claims: P 0.469 R 0.438 unseen, P 0.576 R 0.543
# after (P 0.627 R 0.657 after session 28); dev5, 130 English claims written to use the
# whole range of English date, count and action forms: P 0.323 R 0.246 unseen, P 0.485 R
# 0.385 after (session 28); dev4, 143 claims in ten languages: P 0.575 R 0.455 unseen, P
# 0.680 R 0.594 after; dev6, 172 claims: P 0.470 R 0.366 unseen, P 0.614 R 0.517 after;
# dev7, 165 claims in rarer genres: P 0.474 R 0.388 unseen, P 0.556 R 0.485 after; dev8,
# 147 claims: P 0.659 R 0.565 unseen, P 0.701 R 0.605 after; dev9, 170 claims written in
# session 29 to use sequences, asides and foreign month parts: P 0.531 R 0.347 unseen, P
# 0.693 R 0.571 after; dev10, 167 claims of long wire sentences, quotes and pronouns: P
# 0.448 R 0.311 unseen, P 0.546 R 0.497 after (all sets as measured at the end of
# session 29).
# The floors leave a claim or two of room.
MULTILINGUAL = REPO / "tests" / "data" / "claims_multilingual"
MULTILINGUAL_DEV_FLOORS = {
    "dev": (121, {"precision": 0.73, "recall": 0.73}),
    "dev2": (146, {"precision": 0.58, "recall": 0.52}),
    "dev3": (105, {"precision": 0.63, "recall": 0.67}),
    "dev4": (143, {"precision": 0.69, "recall": 0.62}),
    "dev5": (130, {"precision": 0.47, "recall": 0.40}),
    "dev6": (172, {"precision": 0.64, "recall": 0.56}),
    "dev7": (165, {"precision": 0.58, "recall": 0.52}),
    "dev8": (147, {"precision": 0.69, "recall": 0.61}),
    "dev9": (170, {"precision": 0.66, "recall": 0.55}),
    "dev10": (167, {"precision": 0.52, "recall": 0.47}),
    "dev11": (332, {"precision": 0.44, "recall": 0.30}),
    "dev12": (351, {"precision": 0.51, "recall": 0.29}),
}


def _claims_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "claims_eval", REPO / "benchmarks" / "claims_eval.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["claims_eval"] = mod
    spec.loader.exec_module(mod)
    return mod


def _report(text: str, published: str | None = "2024-12-14", fmt: str = "text") -> Any:
    return parse_report(text, fmt=fmt, published=published)


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seeds_dir(shared: Path) -> Path:
    d = shared / "seeds"
    if not d.is_dir():
        pytest.fail(f"{d} is missing from the shared folder")
    return d


def test_seed_claims_meet_precision_recall_floors(seeds_dir: Path) -> None:
    res = _claims_eval().evaluate(CORPUS, seeds_dir)
    assert res["expected"] >= 20, "the seeds expectations lost claims"
    assert res["precision"] >= SEEDS_FLOOR["precision"], res["reports"]
    assert res["recall"] >= SEEDS_FLOOR["recall"], res["reports"]
    for field, acc in res["field_accuracy"].items():
        assert acc >= 0.9, f"{field} accuracy {acc} on paired seed claims"


def test_scorer_pairs_a_mention_of_two_claims_with_the_one_it_matches() -> None:
    # one mention, two gold claims (the convoy leaves Hmeimim and heads for Tartus); the
    # extractor's departure must pair with the gold departure whichever is listed first
    text = "A Russian military convoy left Hmeimim on Monday heading for Tartus."
    claims = tuple(extract_claims(_report(text, published="2025-01-15"), rate=False))
    departure = [c for c in claims if c.action == "departing"]
    assert len(departure) == 1 and departure[0].site == "hmeimim"
    start = text.index("convoy")
    gold = [
        {
            "start": start,
            "end": start + 6,
            "site": site,
            "equipment": "convoy",
            "count": 1,
            "count_qualifier": "exact",
            "action": action,
            "date_from": "2025-01-13",
            "date_to": "2025-01-13",
        }
        for site, action in (("tartus", "arriving"), ("hmeimim", "departing"))
    ]
    scorer = _claims_eval().score_report
    res = scorer(gold, departure)
    assert res["correct"] == 1 and res["missed"] == ["None (tartus, arriving)"], res
    assert res["claim_correct"] == [True]
    # both claims extracted: both right, in either order of the gold list
    assert scorer(gold, claims)["correct"] == 2
    assert scorer(gold[::-1], claims[::-1])["correct"] == 2
    # a wrong date leaves the pair wrong, not unpaired
    late = [{**g, "date_from": "2025-01-14", "date_to": "2025-01-14"} for g in gold]
    res = scorer(late, departure)
    assert res["correct"] == 0 and len(res["pairs"]) == 1
    assert res["pairs"][0]["wrong"] == {
        "date": [
            "(datetime.date(2025, 1, 13), datetime.date(2025, 1, 13))",
            "(datetime.date(2025, 1, 14), datetime.date(2025, 1, 14))",
        ]
    }


@pytest.mark.parametrize("name", sorted(MULTILINGUAL_DEV_FLOORS))
def test_multilingual_development_reports_meet_floors(name: str) -> None:
    claims, floor = MULTILINGUAL_DEV_FLOORS[name]
    folder = MULTILINGUAL / name
    res = _claims_eval().evaluate(folder / "expected.json", folder)
    assert res["expected"] == claims, "the multilingual expectations lost claims"
    assert res["precision"] >= floor["precision"], res["reports"]
    assert res["recall"] >= floor["recall"], res["reports"]


def test_unseen_and_paraphrased_reports_meet_floors() -> None:
    res = _claims_eval().evaluate(DATA / "expected.json", DATA)
    assert res["precision"] >= TEST_REPORTS_FLOOR["precision"], res["reports"]
    assert res["recall"] >= TEST_REPORTS_FLOOR["recall"], res["reports"]
    # the never-seen reports each yield most of their claims on their own
    for name in ("unseen_bulletin.md", "unseen_wire.html", "blind_thread.txt", "blind_mt.txt"):
        r = res["reports"][name]
        assert r["correct"] >= 0.75 * r["expected"], (name, r)


def test_seed_expectations_point_into_the_texts(seeds_dir: Path) -> None:
    doc = json.loads(CORPUS.read_text(encoding="utf-8"))
    assert len(doc["reports"]) == 3
    for entry in doc["reports"]:
        rep = read_report(seeds_dir / entry["file"])
        assert rep.id == entry["id"]
        assert len(rep.text) == entry["chars"]
        for c in entry["claims"]:
            assert rep.text[c["start"] : c["end"]] == c["anchor"]
            assert len(c["anchor"].split()) <= 4, "quote a few words at most"


def test_seed_metadata_is_applied_by_file_and_by_content_hash(
    seeds_dir: Path, tmp_path: Path
) -> None:
    meta = load_metadata(CORPUS)
    rep = read_report(seeds_dir / "002_4fd75b2939b7419c.txt", metadata=meta)
    assert rep.published == dt.date(2024, 12, 14)
    assert rep.title and "Russia" in rep.title
    # renamed copy: found by content hash
    copy = tmp_path / "renamed.txt"
    copy.write_bytes((seeds_dir / "000_1790a24bd08ec1f1.txt").read_bytes())
    rep0 = read_report(copy, metadata=meta)
    assert rep0.outlet == "NBC News"
    assert rep0.published == dt.date(2024, 12, 14)
    # the command line wins
    rep1 = read_report(copy, metadata=meta, published="2024-12-20", outlet="X")
    assert rep1.published == dt.date(2024, 12, 20) and rep1.outlet == "X"


def test_seed_boilerplate_is_left_out(seeds_dir: Path) -> None:
    rep = read_report(seeds_dir / "004_8ae52b59b0d62f1f.txt", published="2024-12-15")
    assert "Read next" in rep.text  # offsets keep the whole file
    assert "Erdogan" not in rep.body_text
    assert "Leave the first comment" not in rep.body_text
    assert all("Türkiye" not in c.evidence for c in extract_claims(rep))
    rep2 = read_report(seeds_dir / "002_4fd75b2939b7419c.txt")
    assert "ATACMS" not in rep2.body_text  # the "Read: ..." link line


def test_a_paragraph_opening_with_more_on_is_article_text() -> None:
    # a live blog's "More on the air base." opens an entry; "More on Syria" alone on its
    # line is the heading of the links after the article
    text = (
        "Syria live\n\n12:30 GMT\nMore on the air base. Pictures taken on Monday show "
        "two Il-76 at Hmeimim.\n\n13:10 GMT\nThe Kremlin declined to comment.\n\n"
        "More on Syria\nRussia's navy in the Mediterranean, explained\n"
    )
    rep = parse_report(text, published="2025-01-15")
    assert "two Il-76 at Hmeimim" in rep.body_text
    assert "The Kremlin declined" in rep.body_text
    assert "explained" not in rep.body_text
    assert [c.equipment for c in extract_claims(rep)] == ["il-76"]


def test_claims_keep_offsets_into_the_source(seeds_dir: Path) -> None:
    meta = load_metadata(CORPUS)
    for path in sorted(seeds_dir.glob("*.txt")):
        rep = read_report(path, metadata=meta)
        claims = extract_claims(rep)
        assert claims, path
        for c in claims:
            a, b = c.equipment_span
            assert 0 <= c.start <= a < b <= c.end <= len(rep.text)
            assert c.evidence == rep.text[c.start : c.end].strip()
            if c.site_span is not None:
                words = re.findall(r"[^\W_]+(?:['-][^\W_]+)*", fold(rep.text[slice(*c.site_span)]))
                hit = match_place(tuple(words))
                assert hit is not None and hit[0] == c.site, (c.summary, words)
            if c.date_span is not None:
                assert rep.text[c.date_span[0] : c.date_span[1]] == c.date_text
            assert c.id.startswith(rep.id)


def test_seed_claims_about_hmeimim(seeds_dir: Path) -> None:
    meta = load_metadata(CORPUS)
    rep = read_report(seeds_dir / "000_1790a24bd08ec1f1.txt", metadata=meta)
    an124 = [c for c in extract_claims(rep) if c.equipment == "an-124"]
    assert len(an124) == 1
    c = an124[0]
    assert (c.site, c.count, c.action) == ("hmeimim", 2, "loading")
    assert c.date_from == dt.date(2024, 12, 13)  # "on Friday" of a Saturday report
    ka52 = next(c for c in extract_claims(rep) if c.equipment == "ka-52")
    assert ka52.site == "hmeimim" and ka52.site_inherited  # "Nearby, ..."
    assert ka52.action == "dismantling"


# --------------------------------------------------------------------------- unseen


def test_unseen_bulletin_spellings() -> None:
    rep = read_report(DATA / "unseen_bulletin.md")
    assert rep.published == dt.date(2024, 12, 18)  # front matter
    assert rep.title == "Coastal Syria imagery bulletin no. 7"
    claims = extract_claims(rep)
    sites = {c.site for c in claims}
    assert {"hmeimim", "tartus", "jableh"} <= sites  # Khmeimim, Humaymim, Tartous, Jabla
    arabic = [c for c in claims if rep.text[c.equipment_span[0] : c.equipment_span[1]] == "طائرتان"]
    assert arabic and arabic[0].site == "hmeimim" and arabic[0].count == 2
    sub = next(c for c in claims if c.equipment == "submarine")
    assert sub.date_from == dt.date(2024, 12, 17)  # "yesterday"
    assert sub.zone_kind == "harbour"
    # "no sign that ... will leave": a denial, no positive claim
    assert not any("warship" in c.equipment and c.modality != "denied" for c in claims)


def test_paraphrase_is_grouped_with_its_source(seeds_dir: Path) -> None:
    meta = load_metadata(CORPUS)
    seeds = [read_report(p, metadata=meta) for p in sorted(seeds_dir.glob("*.txt"))]
    para = read_report(DATA / "paraphrase_of_002.txt")
    others = [read_report(DATA / n) for n in ("unseen_bulletin.md", "unseen_wire.html")]
    groups = group_near_duplicates([*seeds, para, *others])
    by_report = {rid: g for g in groups for rid in g.report_ids}
    src = next(r for r in seeds if r.source.endswith("002_4fd75b2939b7419c.txt"))
    assert by_report[para.id] is by_report[src.id]
    assert by_report[para.id].id == src.id  # dated source first
    # three outlets on one event stay three sources
    assert len({by_report[r.id].id for r in seeds}) == 3
    assert len(groups) == 5
    sim_para = report_similarity(src, para)
    sim_other = max(report_similarity(a, b) for a in seeds for b in seeds if a is not b)
    assert sim_para > sim_other + 0.1


def test_short_notes_of_other_facts_are_other_stories() -> None:
    """Two notes of a line or two share most of their few words by chance (the port, the
    airport): they are not one story unless they tell the same facts. Counts in words
    are numbers of the story as digits are."""
    notes = [
        parse_report(text, source=f"note{k}.txt", published="2017-10-05")
        for k, text in enumerate(
            (
                "Three warships are moored at the port of Beirut.\n"
                "A transport aircraft landed at Beirut airport.",
                "On 3 October 2017 five warships were moored at the east pier of the port "
                "of Beirut.\nOn 20 August 2015 ten aircraft stood on the terminal apron at "
                "Beirut airport.\nOn 2 October 2017 four large vessels were anchored in the "
                "harbour basin of the port of Beirut.",
            )
        )
    ]
    assert report_similarity(*notes) < 0.6
    assert len(group_near_duplicates(notes)) == 2


def test_machine_translated_copy_is_grouped_and_keeps_its_claims(seeds_dir: Path) -> None:
    meta = load_metadata(CORPUS)
    seeds = [read_report(p, metadata=meta) for p in sorted(seeds_dir.glob("*.txt"))]
    mt = read_report(DATA / "mt_copy_of_004.txt", published="2024-12-15")
    groups = group_near_duplicates([*seeds, mt])
    src = next(r for r in seeds if r.source.endswith("004_8ae52b59b0d62f1f.txt"))
    (group,) = [g for g in groups if mt.id in g.report_ids]
    assert set(group.report_ids) == {src.id, mt.id}
    key = lambda c: (c.site, c.equipment, c.action, c.date_from)  # noqa: E731
    assert {key(c) for c in extract_claims(mt)} == {key(c) for c in extract_claims(src)}


def test_html_is_read_safely_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access while reading a report")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    rep = read_report(DATA / "unseen_wire.html")
    assert rep.format == "html"
    assert rep.outlet == "Coastline Monitor (fictional)"
    assert rep.published == dt.date(2025, 1, 10)
    assert rep.title == "Satellite snapshot: activity at Russia's Syrian outposts"
    for junk in ("fetch(", "document.write", "color: red", "Leave a comment", "newsletter"):
        assert junk not in rep.text
    claims = extract_claims(rep)
    # the read-next block and the comment form claim An-124s and frigates leaving: ignored
    assert not [c for c in claims if c.equipment == "an-124"]
    assert not [c for c in claims if c.action == "departing" and c.equipment == "frigate"]
    assert {c.equipment for c in claims} >= {"tu-154", "landing-ship", "ka-52"}


def test_malformed_html_still_gives_text() -> None:
    rep = parse_report(
        "<html><body><p>Two frigates were anchored off Tartus on 15 December 2024"
        "<div><p>unclosed <b>bold",
        fmt="html",
    )
    claims = extract_claims(rep)
    assert len(claims) == 1
    assert (claims[0].equipment, claims[0].count, claims[0].zone_kind) == ("frigate", 2, "approach")


def test_html_character_references_are_decoded_once() -> None:
    rep = parse_report(
        "<p>&amp;lt;b&amp;gt; &mdash; Two frigates off Tart&#x16B;s.</p>", fmt="html"
    )
    assert rep.text == "&lt;b&gt; — Two frigates off Tartūs."


def test_html_with_only_scripts_is_an_error() -> None:
    with pytest.raises(ReportError, match="no article text"):
        parse_report("<html><script>var a = 'Hmeimim';</script></html>", fmt="html")


# --------------------------------------------------------------------------- files


def test_bad_files_are_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(ReportError, match="empty"):
        read_report(empty)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ReportError, match="binary"):
        read_report(binary)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Tartous \xe9t\xe9".encode("latin-1"))
    with pytest.raises(ReportError, match="UTF-8"):
        read_report(latin)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_REPORT_BYTES + 1)
    with pytest.raises(ReportError, match="too large"):
        read_report(huge)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReportError, match="unsupported"):
        read_report(pdf)
    with pytest.raises(ReportError, match="no such file"):
        read_reports([tmp_path / "missing"])
    assert issubclass(ReportError, InputError) and issubclass(ReportError, ValueError)


def test_folder_skips_bad_files_with_warnings(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "Two Il-76 transports arrived at Hmeimim on Friday.\n", encoding="utf-8"
    )
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "blob.html").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "meta.json").write_text("{}")
    (tmp_path / "dup.txt").write_text(
        "Two Il-76 transports arrived at Hmeimim on Friday.\n", encoding="utf-8"
    )
    reports, warnings = read_reports([tmp_path], published="2024-12-14")
    assert len(reports) == 1
    text = "\n".join(warnings)
    assert "empty.md" in text and "blob.html" in text and "notes.docx" in text
    assert "same text" in text and ("dup.txt" in text or "good.txt" in text)
    assert "meta.json" not in text
    (tmp_path / "good.txt").unlink()
    (tmp_path / "dup.txt").unlink()
    with pytest.raises(ReportError, match="no readable report"):
        read_reports([tmp_path])


def test_bad_metadata_and_dates(tmp_path: Path) -> None:
    bad = tmp_path / "meta.json"
    bad.write_text("{not json")
    with pytest.raises(ReportError, match="metadata"):
        load_metadata(bad)
    with pytest.raises(ReportError, match="not a date"):
        parse_report("Two frigates at Tartus.", published="next Tuesday")


def test_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes("\ufeffTwo frigates were anchored off Tartous.\r\nSecond line.\r\n".encode())
    rep = read_report(p)
    assert "\r" not in rep.text and not rep.text.startswith("\ufeff")
    assert extract_claims(rep)[0].site == "tartus"


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Two Su-34 jets departed Hmeimim on Friday.", (dt.date(2024, 12, 13),) * 2),
        ("Two Su-34 jets departed Hmeimim last Friday.", (dt.date(2024, 12, 13),) * 2),
        ("Two Su-34 jets departed Hmeimim on Saturday.", (dt.date(2024, 12, 14),) * 2),
        ("Two Su-34 jets departed Hmeimim on December 14.", (dt.date(2024, 12, 14),) * 2),
        ("Two Su-34 jets departed Hmeimim on 3 Dec. 2023.", (dt.date(2023, 12, 3),) * 2),
        ("Two Su-34 jets departed Hmeimim yesterday.", (dt.date(2024, 12, 13),) * 2),
        (
            "Two Su-34 jets departed Hmeimim last week.",
            (dt.date(2024, 12, 2), dt.date(2024, 12, 8)),
        ),
        (
            "Two Su-34 jets departed Hmeimim last weekend.",
            (dt.date(2024, 12, 7), dt.date(2024, 12, 8)),
        ),
        (
            "Two Su-34 jets departed Hmeimim in November 2024.",
            (dt.date(2024, 11, 1), dt.date(2024, 11, 30)),
        ),
        (
            "Between 2 December and 9 December two Su-34 jets departed Hmeimim.",
            (dt.date(2024, 12, 2), dt.date(2024, 12, 9)),
        ),
        ("Two Su-34 jets departed Hmeimim.", (None, None)),
        ("Two Su-34 jets departed Hmeimim on Friday 2024-12-06.", (dt.date(2024, 12, 6),) * 2),
        (
            "Two Su-34 jets departed Hmeimim on Friday, December 6.",
            (dt.date(2024, 12, 6),) * 2,
        ),
    ],
)
def test_dates_resolve_from_the_report_date(
    sentence: str, expected: tuple[dt.date | None, dt.date | None]
) -> None:
    (claim,) = extract_claims(_report(sentence, published="2024-12-14"))  # a Saturday
    assert (claim.date_from, claim.date_to) == expected


def test_december_in_a_january_report_is_last_year() -> None:
    (claim,) = extract_claims(_report("A frigate left Tartus on December 30.", "2025-01-03"))
    assert claim.date_from == dt.date(2024, 12, 30)


def test_relative_dates_stay_unresolved_without_a_report_date() -> None:
    (claim,) = extract_claims(_report("Two Il-76 left Hmeimim on Friday.", published=None))
    assert claim.date_from is None and claim.date_text == "on Friday"


@pytest.mark.parametrize(
    ("phrase", "count", "qualifier"),
    [
        ("two An-124s were loaded at Hmeimim", 2, "exact"),
        ("at least two An-124s were loaded at Hmeimim", 2, "at_least"),
        ("more than 10 Su-35s were parked at Hmeimim", 10, "more_than"),
        ("a convoy of over 150 military vehicles drove to Tartus", 150, "more_than"),
        ("a pair of Il-76 jets landed at Hmeimim", 2, "exact"),
        ("about a dozen helicopters were parked at Hmeimim", 12, "about"),
        ("several warships were anchored off Tartus", None, "several"),
        ("warships were anchored off Tartus", None, "plural"),
        ("a Kilo-class submarine departed from Tartus", 1, "exact"),
        ("three Admiral Gorshkov-class frigates remained at Tartus", 3, "exact"),
    ],
)
def test_counts(phrase: str, count: int | None, qualifier: str) -> None:
    claims = extract_claims(_report(phrase[0].upper() + phrase[1:] + "."))
    assert [(c.count, c.count_qualifier) for c in claims][:1] == [(count, qualifier)]


@pytest.mark.parametrize(
    ("sentence", "site", "action"),
    [
        ("Two Il-76 were being loaded at Khmeimim.", "hmeimim", "loading"),
        ("An Il-76 was unloaded at Hmeymim.", "hmeimim", "unloading"),
        ("A Ka-52 was dismantled at Hmeimeem airbase.", "hmeimim", "dismantling"),
        ("An An-124 took off from Humaymim.", "hmeimim", "departing"),
        ("Two frigates arrived at Tartous.", "tartus", "arriving"),
        ("Russian troops withdrew from Jabla.", "jableh", "withdrawing"),
        ("Two corvettes were moored at Tartūs.", "tartus", "stationed"),
        ("Satellite images show two landing ships at Tartus.", "tartus", "stationed"),
        ("A Su-24 was no longer visible at Hmeimim.", "hmeimim", "departing"),
        ("Three frigates were anchored at طرطوس.", "tartus", "stationed"),
        ("Two Il-76 were seen being loaded at Khmeymim air base.", "hmeimim", "loading"),
        ("Two frigates were stationed offshore of Tartus.", "tartus", "stationed"),
        ("Two frigates were seen off the coast of Tartous.", "tartus", "stationed"),
    ],
)
def test_actions_and_site_spellings(sentence: str, site: str, action: str) -> None:
    claims = extract_claims(_report(sentence))
    assert [(c.site, c.action) for c in claims] == [(site, action)]


def test_from_to_gives_two_claims() -> None:
    claims = extract_claims(_report("A Russian convoy moved from Hmeimim to Tartous on Friday."))
    assert [(c.site, c.action) for c in claims] == [
        ("hmeimim", "departing"),
        ("tartus", "arriving"),
    ]
    assert all(c.date_from == dt.date(2024, 12, 13) for c in claims)


def test_negated_and_siteless_sentences_make_no_claim() -> None:
    text = (
        "There is no sign that Russian warships will leave Tartous. "
        "Russia has not withdrawn its S-400 systems from Hmeimim. "
        "Two frigates were seen somewhere in the Mediterranean. "
        "The Tarsus road was closed."
    )
    # negated sentences give only claims of modality "denied"; the others none
    got = extract_claims(_report(text))
    assert [(c.equipment, c.modality) for c in got] == [
        ("warship", "denied"),
        ("s-400", "denied"),
    ]


def test_fuzzy_place_matching_accepts_misspellings_not_other_towns() -> None:
    def site_of(word: str) -> str | None:
        hit = match_place((fold(word),))
        return hit[0] if hit else None

    assert site_of("Hmeimin") == "hmeimim"  # not in the alias list
    assert site_of("Khmeimeem") == "hmeimim"
    assert site_of("Tartouss") == "tartus"
    assert site_of("Tarsus") is None  # a Turkish city
    assert site_of("Homs") == "homs" and site_of("Hama") is None
    assert site_of("بطرطوس") == "tartus"  # Arabic clitic "in"


def test_lexicon_and_gazetteer_are_consistent() -> None:
    keys = [e.key for e in EQUIPMENT]
    assert len(keys) == len(set(keys))
    assert all(e.size_m > 0 and e.object_classes for e in EQUIPMENT)
    ids = [p.id for p in PLACES]
    assert len(ids) == len(set(ids))
    assert {"hmeimim", "tartus", "beirut-airport", "beirut-port"} <= {
        p.id for p in PLACES if p.monitored
    }
    assert all(p.near is None or p.near in ids for p in PLACES)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Two",
                "An-124",
                "frigates",
                "left",
                "arrived at",
                "Hmeimim",
                "Tartous",
                "on Friday",
                "last week",
                "no",
                ",",
                ".",
                "\n",
                "حميميم",
                "of",
                "over 150",
                "convoy",
                "from",
                "to",
            ]
        ),
        max_size=40,
    ),
    st.text(max_size=40),
)
def test_extraction_never_fails_and_offsets_stay_inside(words: list[str], noise: str) -> None:
    text = " ".join(words) + " " + noise
    if not text.strip() or not any(ch.isalnum() for ch in text):
        return
    try:
        rep = parse_report(text, published="2024-12-14")
    except ReportError:
        return
    for c in extract_claims(rep):
        assert 0 <= c.start <= c.equipment_span[0] < c.equipment_span[1] <= c.end <= len(text)
        assert c.count is None or c.count >= 0


@pytest.mark.parametrize(
    "folder", sorted(p.name for p in MULTILINGUAL.iterdir() if (p / "expected.json").is_file())
)
def test_multilingual_expectations_point_into_their_texts(folder: str) -> None:
    # every set, the held-out ones too: a claim's anchor at its offsets, its fields in
    # the extractor's vocabulary (a set whose gold drifted would score nothing honestly)
    from basewatch.corroborate.gazetteer import EQUIPMENT

    classes = {e.key for e in EQUIPMENT}
    qualifiers = {"exact", "plural", "several", "at_least", "more_than", "about", "approximately"}
    doc = json.loads((MULTILINGUAL / folder / "expected.json").read_text(encoding="utf-8"))
    assert doc["reports"], folder
    for entry in doc["reports"]:
        rep = read_report(MULTILINGUAL / folder / entry["file"], published=entry["published"])
        for c in entry["claims"]:
            assert rep.text[c["start"] : c["end"]] == c["anchor"], (entry["file"], c)
            assert c["site"] in ("hmeimim", "tartus"), (entry["file"], c)
            assert c["equipment"] in classes, (entry["file"], c)
            assert c["count_qualifier"] in qualifiers, (entry["file"], c)
            assert c["date_from"] is None or c["date_from"] <= entry["published"], c
