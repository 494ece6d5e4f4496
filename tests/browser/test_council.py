"""The council's adoption in the browser: staff record the conseil communautaire's decision on
the demo's 2025 edition with the deliberation as a PDF (a file that is not a PDF is refused
first), everyone sees it on the results page and downloads the annex to the deliberation; the
Éditions page shows the demo's past editions side by side."""
from __future__ import annotations

import io
import re

from fpdf import FPDF
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import DESKTOP, PHONE, sign_in

STAFF = ("agent@demo.budget.fr", "agent-demo-2026")
EDITION = "Budget participatif 2025"


def a_deliberation() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, "Deliberation 2026-077 du conseil communautaire")
    return bytes(pdf.output())


def test_record_the_adoption_and_download_the_annex(live_server, new_page, check_page):
    cycle_id = live_server.cycle_id(EDITION)
    page = new_page(PHONE)
    sign_in(page, *STAFF)
    page.goto(f"/cycles/{cycle_id}/results")
    check_page(page, "council-results-before")
    page.get_by_role("link", name="Enregistrer la décision du conseil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enregistrer la décision du conseil")
    page.get_by_label("Conseil", exact=True).select_option(label="Conseil communautaire")
    page.get_by_label("Date de la séance").fill(page.evaluate(
        "new Date().toLocaleDateString('sv-SE', {timeZone: 'Europe/Paris'})"))
    page.get_by_label("Numéro de la délibération").fill("2026-077")
    page.get_by_label("Adoptée", exact=True).check()
    pdf_field = page.get_by_label(re.compile("^La délibération \\(PDF"))

    # A file that is not a PDF: refused in French, nothing recorded.
    pdf_field.set_input_files(files=[{"name": "deliberation.pdf",
                                      "mimeType": "application/pdf",
                                      "buffer": b"GIF89a, a picture renamed"}])
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("alert")).to_contain_text("n’est pas un document PDF")
    expect(page.get_by_label("Numéro de la délibération")).to_have_value("2026-077")
    check_page(page, "council-adoption-refused")

    deliberation = a_deliberation()
    page.get_by_label(re.compile("^La délibération \\(PDF")).set_input_files(files=[{
        "name": "deliberation.pdf", "mimeType": "application/pdf", "buffer": deliberation}])
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("status")).to_contain_text("La décision du conseil est enregistrée")
    adoption = page.locator(".adoptions li", has_text="2026-077")
    expect(adoption).to_contain_text("Conseil communautaire, séance du")
    expect(adoption).to_contain_text("adoptée")
    check_page(page, "council-results-with-adoption")

    # Everyone sees it and downloads the deliberation and the annex.
    visitor = new_page(DESKTOP)
    visitor.goto(f"/cycles/{cycle_id}/results")
    adoption = visitor.locator(".adoptions li", has_text="2026-077")
    with visitor.expect_download() as download:
        adoption.get_by_role("link", name="La délibération (PDF)").click()
    assert open(download.value.path(), "rb").read() == deliberation
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Annexe à la délibération (PDF)").click()
    assert download.value.suggested_filename == f"annexe-deliberation-cycle-{cycle_id}.pdf"
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Annexe à la délibération" in text and "SIREN 241700459" in text
    assert "La Flotte (INSEE 17161)" in text and "Le Président" in text
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Annexe à la délibération (XLSX)").click()
    assert open(download.value.path(), "rb").read(2) == b"PK"  # a workbook (a ZIP)
    check_page(visitor, "council-results-visitor")


def test_the_editions_side_by_side(live_server, new_page, check_page):
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(viewport)
        page.goto(f"/cycles/{live_server.cycle_id('Budget participatif 2026')}")
        page.get_by_role("link", name=re.compile("^Les éditions de ")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Éditions du budget participatif")
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Budget participatif 2024")
        expect(rows.nth(1)).to_contain_text("Budget participatif 2025")
        expect(page.get_by_role("img", name=re.compile("^Bulletins par édition"))).to_be_visible()
        check_page(page, f"editions-{name}")
