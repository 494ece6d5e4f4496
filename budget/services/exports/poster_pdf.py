"""A poster (posters.Poster) as one A4 page to print: large type in high contrast, to be read
on a notice board from two metres, and a QR code drawn as vector squares (sharp at any print
size), with its address written out under it."""
from __future__ import annotations

import segno
from flask_babel import gettext
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from budget.services.exports.pdf_document import ACCENT, INK, MONO, SANS
from budget.services.exports.pdf_fonts import add_house_fonts
from budget.services.exports.posters import Poster

WHITE = (255, 255, 255)
MARGIN = 16  # mm
QR_SIDE = 72  # mm, quiet zone included: scanned from a metre or two
QR_TOP = 198  # mm from the top of the page: what is above it is the poster's text
TEXT_BOTTOM = QR_TOP - 15  # the text stops here, the call to scan is under it


def poster_pdf(poster: Poster) -> bytes:
    pdf = _PosterDocument()
    pdf.add_page()
    _band(pdf, poster)
    if poster.proposal_title:  # the cycle is the context, the proposal the news
        pdf.block(poster.cycle_title, 18, "B", INK, line=8, max_lines=2)
    else:
        pdf.block(poster.cycle_title, 30, "B", INK, line=12.5, max_lines=4)
    pdf.ln(3)
    _phase(pdf, poster.phase_line)
    if poster.proposal_title:
        pdf.ln(5)
        pdf.block(poster.proposal_title, 30, "B", ACCENT, line=12.5, max_lines=3)
        pdf.block(poster.place_and_cost, 20, "B", INK, line=9, max_lines=2)
        pdf.ln(2)
    pdf.ln(5)
    room = int((TEXT_BOTTOM - pdf.get_y()) // 7.5)
    if poster.excerpt and room > 0:
        pdf.block(poster.excerpt, 16, "", INK, line=7.5, max_lines=room)
    _scan(pdf, poster)
    return bytes(pdf.output())


class _PosterDocument(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        add_house_fonts(self)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)  # one page, always: long texts are cut, not spilled
        self.alias_nb_pages(None)  # "{nb}" in a title stays as written

    def block(self, text: str, size: float, style: str, color, line: float,
              max_lines: int | None = None, align: str = "L") -> None:
        """`text` in lines of `line` mm; past `max_lines`, the last one ends with "…"."""
        self.set_font(SANS, style, size)
        self.set_text_color(*color)
        lines = self.multi_cell(0, line, text, dry_run=True, output=MethodReturnValue.LINES)
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1].rstrip()
            while last and self.get_string_width(last + "…") > self.epw - 2:
                last = last[:-1].rstrip()
            lines[-1] = last + "…"
        for text_line in lines:
            self.cell(0, line, text_line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _band(pdf: _PosterDocument, poster: Poster) -> None:
    """A dark band across the top: the kind of notice, and whose it is."""
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 38, style="F")
    pdf.set_xy(MARGIN, 8)
    pdf.block(gettext("Participatory budget").upper(), 15, "B", WHITE, line=8)
    pdf.block(poster.territory, 20, "B", WHITE, line=10, max_lines=1)
    pdf.set_xy(MARGIN, 38 + 9)


def _phase(pdf: _PosterDocument, text: str) -> None:
    """The phase and its dates, framed: what the passer-by must remember."""
    pdf.set_font(SANS, "B", 19)
    lines = pdf.multi_cell(0, 9, text, dry_run=True, output=MethodReturnValue.LINES)
    height = 9 * len(lines) + 6
    top = pdf.get_y()
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.8)
    pdf.rect(MARGIN, top, pdf.epw, height)
    pdf.set_xy(MARGIN, top + 3)
    pdf.block(text, 19, "B", INK, line=9, align="C")
    pdf.set_xy(MARGIN, top + height)


def _scan(pdf: _PosterDocument, poster: Poster) -> None:
    pdf.set_xy(MARGIN, TEXT_BOTTOM + 2)
    pdf.block(poster.call, 22, "B", INK, line=10, align="C", max_lines=1)
    _qr(pdf, poster.url, (pdf.w - QR_SIDE) / 2, QR_TOP)
    pdf.set_xy(MARGIN, QR_TOP + QR_SIDE + 2)
    pdf.set_font(MONO, "", 16 if len(poster.url) <= 50 else 11)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 7, poster.url, align="C", link=poster.url)


def _qr(pdf: _PosterDocument, url: str, left: float, top: float) -> None:
    """The QR code with its four-module quiet zone, dark runs of each row as one rectangle."""
    rows = [list(row) for row in segno.make(url, error="m").matrix_iter(scale=1, border=4)]
    module = QR_SIDE / len(rows)
    pdf.set_fill_color(*WHITE)
    pdf.rect(left, top, QR_SIDE, QR_SIDE, style="F")
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            # A hair wider and taller than the module, so no white seam shows between them.
            pdf.rect(left + start * module, top + y * module, (x - start) * module + 0.02,
                     module + 0.02, style="F")
