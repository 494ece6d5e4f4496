"""A batch of access codes as staff download it, once: a CSV list and a PDF of letters (one A4
page per code, to post to each household), together in one ZIP file."""
from __future__ import annotations

import io
import zipfile

from flask_babel import format_date, format_time, gettext
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from budget.domain.spreadsheet_csv import SafeWriter
from budget.models import BudgetCycle, Commune
from budget.services.exports.pdf_document import ACCENT, FONTS, INK, MONO, MUTED, SANS


def codes_csv(cycle: BudgetCycle, commune: Commune, codes: list[str]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM, so French spreadsheets open it as is."""
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([gettext("Number"), gettext("Commune"), gettext("Access code")])
    for number, code in enumerate(codes, start=1):
        writer.writerow([number, commune.name, code])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def letters_pdf(cycle: BudgetCycle, commune: Commune, codes: list[str], vote_url: str) -> bytes:
    pdf = LetterDocument()
    for number, code in enumerate(codes, start=1):
        _letter(pdf, cycle, commune, code, number, vote_url)
    return bytes(pdf.output())


class LetterDocument(FPDF):
    """A4 letters. Every letter says the same but for its code and number, and fpdf2 breaks
    a paragraph into lines slowly (about 10 ms each): the lines of a paragraph are computed
    once and written as plain cells on every page after, so 1 000 letters take seconds."""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(SANS, "", FONTS / "DejaVuSans.ttf")
        self.add_font(SANS, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.add_font(MONO, "", FONTS / "DejaVuSansMono.ttf")
        self.set_margins(22, 24, 22)
        self.set_auto_page_break(False)
        # No page count in letters: without its alias, "{nb}" in a title stays as written.
        self.alias_nb_pages(None)
        self._lines: dict[tuple, list[str]] = {}

    def paragraph(self, text: str, size: float = 11, style: str = "", color=INK,
                  height: float = 6) -> None:
        self.set_font(SANS, style, size)
        self.set_text_color(*color)
        key = (text, size, style)
        if key not in self._lines:
            self._lines[key] = self.multi_cell(0, height, text, align="L", dry_run=True,
                                               output=MethodReturnValue.LINES)
        for line in self._lines[key]:
            self.cell(0, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _letter(pdf: LetterDocument, cycle, commune, code: str, number: int,
            vote_url: str) -> None:
    pdf.add_page()
    pdf.paragraph(cycle.intercommunality.name.upper(), size=9, color=MUTED)
    pdf.paragraph(commune.name, size=9, color=MUTED)
    pdf.ln(40)  # room for the address, in the window of a DL envelope
    pdf.paragraph(gettext("Participatory budget: your access code"), size=17, style="B",
                  color=ACCENT, height=9)
    pdf.paragraph(cycle.title, size=12, style="B")
    pdf.ln(4)
    # The closing time too: a vote closes at an hour, and a resident who reads only the day
    # would come on the evening of the last day and find it closed.
    pdf.paragraph(gettext("You can vote from %(start)s until %(end)s at %(time)s for the "
                          "projects of %(commune)s.", start=format_date(cycle.vote_start, "long"),
                          end=format_date(cycle.vote_end, "long"),
                          time=format_time(cycle.vote_end, "HH:mm"), commune=commune.name))
    pdf.ln(3)
    pdf.paragraph(gettext("Sign in (or create your account) on %(url)s, open the vote, and "
                          "enter this code when asked:", url=vote_url))
    pdf.ln(6)
    pdf.set_font(MONO, "", 26)
    pdf.set_text_color(*INK)
    pdf.cell(0, 16, code, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.paragraph(gettext("This code opens one ballot, once. Keep it to yourself. You can also "
                          "bring this letter to your town hall and vote on paper: the code "
                          "then no longer works online."), size=10)
    pdf.set_y(-20)
    pdf.set_font(SANS, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, gettext("Letter %(number)s · codes never use the letters I, L, O nor the "
                           "digits 0 and 1.", number=number))


def codes_zip(cycle: BudgetCycle, commune: Commune, codes: list[str], vote_url: str) -> bytes:
    stem = f"codes-{cycle.id}-{commune.insee_code}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.csv", codes_csv(cycle, commune, codes))
        archive.writestr(f"{stem}-letters.pdf", letters_pdf(cycle, commune, codes, vote_url))
    return out.getvalue()
