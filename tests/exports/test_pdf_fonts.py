"""The house fonts parsed once a process (services/exports/pdf_fonts.py) make the same PDF,
byte for byte, as fpdf2's own add_font, document after document: each subsets its own copy."""
from __future__ import annotations

from datetime import datetime, timezone

from fpdf import FPDF

from budget.services.exports.pdf_fonts import FONTS, HOUSE_FONTS, MONO, SANS, add_house_fonts

WHEN = datetime(2026, 12, 8, 9, 30, tzinfo=timezone.utc)


def document(text: str, cached: bool) -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(WHEN)
    if cached:
        add_house_fonts(pdf)
    else:
        for family, style, file_name in HOUSE_FONTS:
            pdf.add_font(family, style, FONTS / file_name)
    pdf.add_page()
    pdf.set_font(SANS, size=11)
    pdf.multi_cell(0, 6, text)
    pdf.set_font(SANS, "B", 14)
    pdf.cell(0, 8, text[:40])
    pdf.set_font(MONO, size=9)
    pdf.cell(0, 8, "ABCD-EFGH-JKLM")
    return bytes(pdf.output())


def test_the_cached_fonts_make_the_same_pdf_as_add_font_document_after_document():
    texts = ["Budget participatif : résultats, 12 500 €, « Jardin partagé » — l’été",
             "Łódź, Őrbottyán, Zürich, Москва, Αθήνα: other letters, other glyphs",
             "Budget participatif : résultats, 12 500 €"]
    for text in texts:  # the second and third reuse what the first parsed
        assert document(text, cached=True) == document(text, cached=False)


def test_a_document_embeds_only_the_glyphs_it_uses():
    short, long = document("abc", cached=True), document("abc Москва Αθήνα Łódź", cached=True)
    assert len(short) < len(long)
    # Three whole fonts would weigh more than the regular one's file alone (~750 kB).
    assert len(long) < (FONTS / "DejaVuSans.ttf").stat().st_size // 10
