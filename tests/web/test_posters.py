"""Posters for notice boards: the A4 PDF and the QR code (SVG) of a cycle and of a proposal.
Their QR codes are read back with a real decoder (zxing-cpp) and must carry the public page's
address on PUBLIC_URL; the PDF says the cycle, its dates and the address in words too."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime

import pytest
from flask_babel import force_locale
from PIL import Image
from pypdf import PdfReader

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.services.exports.posters import date_span, excerpt
from tests import factories
from tests.conftest import someone
from tests.qr_reading import decoded, svg_image

BASE = "http://localhost"  # PUBLIC_URL of the test configuration
EN = {"Accept-Language": "en"}


@pytest.fixture
def w(session):
    return factories.world()


def test_a_cycle_qr_code_svg_reads_back_as_the_cycle_public_address(make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    response = someone(make_browser, w, None).get(f"/cycles/{cycle.id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert decoded(svg_image(response.get_data(as_text=True))) == \
        [f"{BASE}/cycles/{cycle.id}"]


def test_a_proposal_qr_code_carries_the_public_url_not_the_host_the_request_named(
        make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    proposal = factories.project(cycle, w.north, "Vélos en libre-service", 12_000,
                                 w.users["alice"])
    response = someone(make_browser, w, None).get(
        f"/proposals/{proposal.id}/qr.svg", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert decoded(svg_image(response.get_data(as_text=True))) == \
        [f"{BASE}/proposals/{proposal.id}"]


def test_a_cycle_poster_names_the_cycle_its_territory_the_vote_dates_and_the_address(
        make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    response = someone(make_browser, w, None).get(f"/cycles/{cycle.id}/poster.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "BUDGET PARTICIPATIF" in text
    assert "CC Test" in text and "Budget test" in text
    assert "Votez du" in text
    assert "Scannez pour voir les projets et voter" in text
    assert f"{BASE}/cycles/{cycle.id}" in text


def test_a_proposal_poster_in_english_gives_its_title_commune_cost_and_an_excerpt(
        make_browser, w):
    cycle = factories.cycle(w, Phase.REVIEW)
    proposal = factories.project(cycle, w.north, "Bike sharing", 12_000, w.users["alice"])
    proposal.description = "Ten bikes near the station. " * 30
    db.session.commit()
    response = someone(make_browser, w, None).get(f"/proposals/{proposal.id}/poster.pdf",
                                                  headers=EN)
    assert response.status_code == 200
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Bike sharing" in text
    assert "Nordville · €12,000" in text
    assert "Ten bikes near the station." in text and "…" in text
    assert "The vote will take place from" in text
    assert "Scan to see the project" in text
    assert f"{BASE}/proposals/{proposal.id}" in text


def test_a_poster_never_gives_the_placeholder_dates_of_an_imported_election(make_browser, w):
    cycle = factories.cycle(w, Phase.COUNTING)
    cycle.source = {"format": "pabulib", "dates_known": False}
    db.session.commit()
    response = someone(make_browser, w, None).get(f"/cycles/{cycle.id}/poster.pdf")
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Dates du vote inconnues" in text
    assert "Votez du" not in text and "2026" not in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="pdftoppm (poppler-utils) is not installed: the PDF's QR code "
                           "cannot be rendered here; the SVG tests still decode it")
def test_the_printed_poster_qr_code_reads_back_as_the_proposal_address(make_browser, w,
                                                                       tmp_path):
    cycle = factories.cycle(w, Phase.VOTE)
    proposal = factories.project(cycle, w.south, "Jardin partagé", 4_500, w.users["bob"])
    response = someone(make_browser, w, None).get(f"/proposals/{proposal.id}/poster.pdf")
    (tmp_path / "poster.pdf").write_bytes(response.data)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(tmp_path / "poster.pdf"),
                    str(tmp_path / "poster")], check=True)
    page = Image.open(tmp_path / "poster.png")
    assert decoded(page) == [f"{BASE}/proposals/{proposal.id}"]


@pytest.mark.parametrize("path", ["/cycles/999999/poster.pdf", "/cycles/999999/qr.svg",
                                  "/proposals/999999/poster.pdf", "/proposals/999999/qr.svg"])
def test_a_poster_of_nothing_is_not_found(make_browser, w, path):
    assert someone(make_browser, w, None).get(path).status_code == 404


@pytest.mark.parametrize("kind", ["poster.pdf", "qr.svg"])
def test_a_poster_of_a_proposal_one_may_not_read_is_not_found_but_its_author_gets_it(
        make_browser, w, kind):
    cycle = factories.cycle(w, Phase.REVIEW)
    proposal = factories.project(cycle, w.north, "Piscine", 8_000, w.users["alice"],
                                 Status.REJECTED)
    url = f"/proposals/{proposal.id}/{kind}"
    assert someone(make_browser, w, None).get(url).status_code == 404
    assert someone(make_browser, w, "bob").get(url).status_code == 404
    assert someone(make_browser, w, "alice").get(url).status_code == 200


def test_the_cycle_and_proposal_pages_link_to_their_posters(make_browser, w):
    cycle = factories.cycle(w, Phase.VOTE)
    proposal = factories.project(cycle, w.north, "Piscine", 8_000, w.users["alice"])
    browser = someone(make_browser, w, None)
    page = browser.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert f'href="/cycles/{cycle.id}/poster.pdf">Affiche à imprimer (PDF)' in page
    assert f'href="/cycles/{cycle.id}/qr.svg">QR code (SVG)' in page
    page = browser.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}/poster.pdf">Affiche à imprimer (PDF)' in page


def test_vote_dates_are_said_as_french_writes_them(app):
    # Paris time (BABEL_DEFAULT_TIMEZONE): the vote opens on 1 December at midnight and closes
    # at midnight after the 21st; another closes at 18:00.
    with app.test_request_context(), force_locale("fr"):
        assert date_span(datetime(2026, 11, 30, 23), datetime(2026, 12, 21, 23)) == \
            "1er au 21 décembre 2026"
        assert date_span(datetime(2026, 11, 27, 23), datetime(2026, 12, 21, 17)) == \
            "28 novembre au 21 décembre 2026 (jusqu’à 18:00)"
    with app.test_request_context(), force_locale("en"):
        assert date_span(datetime(2026, 11, 30, 23), datetime(2026, 12, 21, 23)) == \
            "1 to 21 December 2026"


def test_an_excerpt_is_cut_between_words():
    assert excerpt("Un  banc\nà l'ombre.") == "Un banc à l'ombre."
    assert excerpt("mot " * 100, length=22) == "mot mot mot mot mot…"
