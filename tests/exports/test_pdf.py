"""The PDF report: a real PDF whose text has the fingerprint, the winners and the method."""
from __future__ import annotations

import io

from pypdf import PdfReader

from tests.exports.conftest import EN, PROJECTS, WINNERS


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_says_who_won_and_carries_the_fingerprint(browser, published):
    text = pdf_text(browser.get(f"/cycles/{published.cycle.id}/results.pdf", headers=EN))
    assert published.run.fingerprint in text
    for envelope in published.run.result["envelopes"]:
        assert envelope["fingerprint"] in text
    for key in WINNERS:
        assert PROJECTS[key][0] in text, PROJECTS[key][0]
    assert "Participatory budget results" in text and published.cycle.title in text
    assert "Winning projects of the intercommunality" in text
    assert "Turnout by commune" in text and "Nordville" in text and "Sudville" in text
    assert "Votes per project" in text  # the charts
    assert "flask budget verify" in text
    assert "PREVIEW" not in text


def test_french_text_renders(browser, published):
    """Accents, ’, « » and € come out as themselves (the app's own Unicode font)."""
    text = pdf_text(browser.get(f"/cycles/{published.cycle.id}/results.pdf"))
    for title in ("Aire de jeux « Les Mouettes »", "Rénovation de l’école", "Boîte à livres"):
        assert title in text
    assert "€" in text
    assert "Enveloppe intercommunale" in text and "Financé" in text


def test_method_explains_the_rule_and_the_tie_break(browser, published):
    text = " ".join(pdf_text(browser.get(f"/cycles/{published.cycle.id}/results.pdf",
                                         headers=EN)).split())
    assert "Method" in text
    assert "ranked by their number of votes" in text
    assert ("When the rule cannot separate two projects (for example two projects with the same "
            "number of votes), it takes the cheaper one first; at equal cost, the one with more "
            "votes; then the older proposal.") in text
    assert "equal votes" not in text  # it said "with equal votes ... then more votes"


def test_preview_says_so_on_every_page(make_browser, tallied):
    council = make_browser()
    council.login("council@example.fr")
    response = council.get(f"/cycles/{tallied.cycle.id}/results.pdf", headers=EN)
    reader = PdfReader(io.BytesIO(response.data))
    assert all("PREVIEW, NOT PUBLISHED" in page.extract_text() for page in reader.pages)


def test_text_that_looks_like_a_page_count_alias_stays_as_written(browser, published):
    """fpdf2 replaces "{nb}" with the number of pages wherever it is written."""
    published.cycle.title = "Budget {nb} de la ville"
    published.world.north.name = "Nord{nb}ville"
    text = pdf_text(browser.get(f"/cycles/{published.cycle.id}/results.pdf", headers=EN))
    assert "Budget {nb} de la ville" in text and "Nord{nb}ville" in text
    assert "Page 1 of " in text
    pages = len(PdfReader(io.BytesIO(browser.get(
        f"/cycles/{published.cycle.id}/results.pdf", headers=EN).data)).pages)
    assert f"Page 1 of {pages}" in text


def test_the_report_has_a_bookmark_per_section_and_links_to_the_accessible_html_page(
        browser, published):
    response = browser.get(f"/cycles/{published.cycle.id}/results.pdf", headers=EN)
    reader = PdfReader(io.BytesIO(response.data))

    def titles(outline) -> list:
        return [titles(item) if isinstance(item, list) else item.title for item in outline]

    outline = titles(reader.outline)
    assert outline[:5] == [published.cycle.title, "Winning projects of the intercommunality",
                           "Turnout by commune", "Results by envelope", outline[4]]
    assert isinstance(outline[4], list)
    assert len(outline[4]) == len(published.run.result["envelopes"])
    assert outline[5:] == ["Method", ["Fingerprint and verification"]]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"  # shown when opened
    page_url = f"http://localhost/cycles/{published.cycle.id}/results"
    first = reader.pages[0]
    links = [annotation.get_object()["/A"]["/URI"] for annotation in first.get("/Annots", [])
             if annotation.get_object().get("/A", {}).get("/URI")]
    assert page_url in links
    assert "accessible" in first.extract_text() and page_url in first.extract_text()


def test_french_numbers_are_grouped_with_narrow_no_break_spaces(browser, published):
    """'60 000 €', '4 000' in the PDF: DejaVu draws U+202F, and it survives text extraction."""
    text = pdf_text(browser.get(f"/cycles/{published.cycle.id}/results.pdf"))
    assert "55\u202f000\u00a0€" in text  # money allocated
    assert "60\u202f000\u00a0€" in text  # money available
    assert "4\u202f000" in text  # the population, a plain number
    assert " EUR" not in text


def test_english_numbers_use_commas_and_the_euro_sign_first(browser, published):
    text = pdf_text(browser.get(f"/cycles/{published.cycle.id}/results.pdf", headers=EN))
    assert "€55,000" in text and "€60,000" in text and "4,000" in text
