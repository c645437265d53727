"""``basewatch claims``: the claims of reports without any run, as a table or JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from basewatch.cli.main import main
from basewatch.corroborate.language import guess_language

REPORTS = Path(__file__).resolve().parent / "data" / "reports"
REPORT = REPORTS / "claims_constructions.txt"
META = REPORTS / "claims_meta.json"
CLAIM_KEYS = {
    "absence",
    "checkable",
    "confidence",
    "start",
    "end",
    "site",
    "equipment",
    "count",
    "count_qualifier",
    "action",
    "modality",
    "date_from",
    "date_to",
}


def test_claims_json_has_one_object_per_report_with_the_issue_shape() -> None:
    result = CliRunner().invoke(main, ["claims", str(REPORT), "--meta", str(META), "--json"])
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.output)
    assert doc["file"] == REPORT.name and doc["published"] == "2025-03-08"
    assert doc["language"] == "en" and len(doc["id"]) == 16
    text = REPORT.read_text(encoding="utf-8")
    claims = doc["claims"]
    assert claims and all(set(c) == CLAIM_KEYS for c in claims)
    for c in claims:
        assert 0 <= c["start"] < c["end"] <= len(text)
    il76 = next(c for c in claims if c["equipment"] == "il-76")
    # "on Thursday" resolves against the publication date of --meta (a Saturday)
    assert (il76["site"], il76["count"], il76["date_from"]) == ("hmeimim", 2, "2025-03-06")
    assert il76["modality"] == "observed"
    assert "Il-76" in text[il76["start"] : il76["end"]]
    assert all(0.0 < c["confidence"] < 1.0 for c in claims)


def test_without_meta_relative_dates_stay_unresolved_and_the_table_prints() -> None:
    result = CliRunner().invoke(main, ["claims", str(REPORT)])
    assert result.exit_code == 0, result.output
    assert f"{REPORT.name} [en, undated]" in result.output
    assert "Il-76" in result.output and "hmeimim" in result.output
    # each claim with its estimated chance of being read right, and what that means
    assert re.search(r"\(observed, confidence 0\.\d\d\)", result.stdout)
    assert "estimated chance" in result.stderr
    # under each claim, the words it was read from, its objects in brackets
    quotes = re.findall(r'^ {6}"(?:\.\.\.)?(.*?)(?:\.\.\.)?"$', result.stdout, re.M)
    text = " ".join(REPORT.read_text(encoding="utf-8").split())
    assert quotes and any("[Il-76" in q for q in quotes)
    assert all(q.replace("[", "").replace("]", "") in text for q in quotes)


def test_without_a_date_the_table_says_how_to_give_one() -> None:
    result = CliRunner().invoke(main, ["claims", str(REPORT)])
    assert result.exit_code == 0, result.output
    assert "without a publication date" in result.stderr and "--published" in result.stderr


def test_published_dates_every_report_and_wins_over_meta() -> None:
    result = CliRunner().invoke(
        main,
        ["claims", str(REPORT), "--meta", str(META), "--published", "2025-03-15", "--json"],
    )
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)
    assert doc["published"] == "2025-03-15"
    il76 = next(c for c in doc["claims"] if c["equipment"] == "il-76")
    # "on Thursday" now resolves against Saturday 15 March
    assert il76["date_from"] == "2025-03-13"
    bad = CliRunner().invoke(main, ["claims", str(REPORT), "--published", "2025-02-30"])
    assert bad.exit_code == 2 and "2025-02-30" in bad.output and "YYYY-MM-DD" in bad.output


def test_a_missing_report_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["claims", str(REPORTS / "no-such-file.txt")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_language_is_guessed_from_script_and_common_words() -> None:
    assert (
        guess_language("Zwei Fregatten haben den Hafen von Tartus verlassen und sind auf See.")
        == "de"
    )
    assert guess_language("Deux frégates ont quitté le port de Tartous pour la haute mer.") == "fr"
    assert guess_language("فرقاطتان غادرتا ميناء طرطوس") == "ar"
    assert guess_language("Два фрегата покинули порт Тартус") == "ru"
    assert guess_language("12 34") == "und"
