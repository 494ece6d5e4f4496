"""An imported election, as the public meets it: its own dates (or "dates unknown", never
today's), an unknown population instead of "0 % of the population", where its data comes from,
and no receipt check (it has no receipts)."""
from __future__ import annotations

import re

from tests.commands.helpers import DATA, IMPORTS, import_files, invoke
from tests.exports.test_pdf import pdf_text

DATED = IMPORTS / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb"
YEAR_ONLY = DATA / "Netherlands_Amsterdam_179.pb"  # date_begin;2020


def published(app, path):
    cycle = import_files(app, path)
    assert invoke(app, "tally", cycle.id, "--publish").exit_code == 0
    return cycle


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_report_keeps_the_file_dates_and_leaves_out_the_unknown_turnout(app, session,
                                                                             browser):
    cycle = published(app, DATED)
    text = pdf_text(browser.get(f"/cycles/{cycle.id}/results.pdf"))
    assert "Vote du 3 octobre 2022 au 31 octobre 2022." in " ".join(text.split())
    assert "% de la population" not in text
    assert "Population inconnue" in text and "pabulib.org" in text


def test_a_file_without_days_says_the_dates_are_unknown(app, session, browser):
    cycle = published(app, YEAR_ONLY)
    assert cycle.dates_known is False
    page = plain(browser.get(f"/cycles/{cycle.id}").get_data(as_text=True))
    assert "Dates du vote inconnues" in page
    text = " ".join(pdf_text(browser.get(f"/cycles/{cycle.id}/results.pdf")).split())
    assert "Dates du vote inconnues" in text and "Vote du" not in text
    document = browser.get(f"/cycles/{cycle.id}/results.json").get_json()
    assert document["cycle"]["vote_start"] is None and document["cycle"]["dates_known"] is False


def test_the_pages_say_where_the_data_comes_from_and_offer_no_receipt_check(app, session,
                                                                            browser):
    cycle = published(app, DATED)
    results = browser.get(f"/cycles/{cycle.id}/results").get_data(as_text=True)
    text = plain(results)
    assert "importés de fichiers publics Pabulib" in text and DATED.name in text
    assert f"/cycles/{cycle.id}/receipt" not in results
    assert "population inconnue" in text and "0,0 % de la population" not in text
    assert browser.get(f"/cycles/{cycle.id}/receipt").status_code == 404
    assert "importés de fichiers publics Pabulib" in plain(
        browser.get(f"/cycles/{cycle.id}").get_data(as_text=True))
