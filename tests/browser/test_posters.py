"""A town-hall clerk on a 320 px phone finds the posters of the current cycle and of one of its
proposals, downloads them, and the QR codes read back (zxing-cpp) as the pages' public
addresses; axe finds no serious or critical violation on the pages that link to them."""
from __future__ import annotations

import io

from pypdf import PdfReader

from tests.browser.conftest import SMALL_PHONE
from tests.qr_reading import decoded, svg_image


def downloaded(page, link_name: str) -> bytes:
    """What the link of that name serves, fetched with the page's own browser context."""
    link = page.get_by_role("link", name=link_name)
    response = page.request.get(link.get_attribute("href"))
    assert response.ok, response.status
    return response.body()


def test_posters_are_linked_from_the_cycle_and_proposal_pages_and_their_qr_codes_read_back(
        live_server, new_page, check_page):
    page = new_page(SMALL_PHONE)
    page.goto("/")
    check_page(page, "posters-cycle-page")
    cycle_url = page.get_by_role("link", name="QR code (SVG)").get_attribute("href")
    cycle_id = int(cycle_url.split("/")[2])
    svg = downloaded(page, "QR code (SVG)").decode("utf-8")
    assert decoded(svg_image(svg)) == [f"{live_server.url}/cycles/{cycle_id}"]
    poster = PdfReader(io.BytesIO(downloaded(page, "Affiche à imprimer (PDF)")))
    assert f"{live_server.url}/cycles/{cycle_id}" in poster.pages[0].extract_text()

    page.locator(".card h3 a").first.click()
    check_page(page, "posters-proposal-page")
    proposal_path = page.url.removeprefix(live_server.url)
    svg = downloaded(page, "QR code (SVG)").decode("utf-8")
    assert decoded(svg_image(svg)) == [f"{live_server.url}{proposal_path}"]
    poster = PdfReader(io.BytesIO(downloaded(page, "Affiche à imprimer (PDF)")))
    text = " ".join(poster.pages[0].extract_text().split())
    assert f"{live_server.url}{proposal_path}" in text
    assert "Scannez pour voir le projet" in text
