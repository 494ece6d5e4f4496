"""A batch of access codes as staff download it, once: a CSV list and a PDF of letters (one A4
page per code, to post to each household), together in one ZIP file."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask_babel import format_date, format_time, gettext
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from budget.domain.spreadsheet_csv import SafeWriter
from budget.models import BudgetCycle, Commune
from budget.services.exports.pdf_document import ACCENT, INK, MONO, MUTED, SANS
from budget.services.exports.pdf_fonts import add_house_fonts


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
    words = _Wording.of(cycle, commune, vote_url)
    for number, code in enumerate(codes, start=1):
        _letter(pdf, words, code, number)
    return bytes(pdf.output())


class LetterDocument(FPDF):
    """A4 letters. Every letter says the same but for its code and number. fpdf2 breaks a
    paragraph into lines slowly (about 10 ms each) and lays out a cell slowly too (about 0.6 ms,
    13 on a letter): the lines of a paragraph are computed once, and every line is then placed
    with `text()`, which writes the glyphs at a given point and nothing else, where `cell()`
    would have put them. A batch of 2,000 letters stays well under the server's time limit."""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        add_house_fonts(self)
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
            self.line_at_left(line, height)

    def line_at_left(self, text: str, height: float) -> None:
        """What `cell(0, height, text)` draws, then a new line: the baseline where a cell puts it
        (half the height down, less 0.3 of the font size), after the cell margin."""
        self.text(self.l_margin + self.c_margin, self._baseline(height), text)
        self.set_xy(self.l_margin, self.y + height)

    def boxed_centred(self, text: str, height: float) -> None:
        """What `cell(0, height, text, border=1, align="C")` draws, then a new line."""
        width = self.w - self.l_margin - self.r_margin
        self.rect(self.l_margin, self.y, width, height)
        self.text(self.l_margin + (width - self.get_string_width(text)) / 2,
                  self._baseline(height), text)
        self.set_xy(self.l_margin, self.y + height)

    def _baseline(self, height: float) -> float:
        return self.y + 0.5 * height + 0.3 * self.font_size


@dataclass(frozen=True)
class _Wording:
    """What every letter of a batch says, translated once for the batch."""
    intercommunality: str
    commune: str
    title: str
    cycle: str
    dates: str
    how: str
    keep: str

    @classmethod
    def of(cls, cycle: BudgetCycle, commune: Commune, vote_url: str) -> _Wording:
        # The closing time too: a vote closes at an hour, and a resident who reads only the day
        # would come on the evening of the last day and find it closed.
        dates = gettext("You can vote from %(start)s until %(end)s at %(time)s for the "
                        "projects of %(commune)s.", start=format_date(cycle.vote_start, "long"),
                        end=format_date(cycle.vote_end, "long"),
                        time=format_time(cycle.vote_end, "HH:mm"), commune=commune.name)
        return cls(
            intercommunality=cycle.intercommunality.name.upper(), commune=commune.name,
            title=gettext("Participatory budget: your access code"), cycle=cycle.title,
            dates=dates,
            how=gettext("Sign in (or create your account) on %(url)s, open the vote, and "
                        "enter this code when asked:", url=vote_url),
            keep=gettext("This code opens one ballot, once. Keep it to yourself. You can also "
                         "bring this letter to your town hall and vote on paper: the code "
                         "then no longer works online."))


def _letter(pdf: LetterDocument, words: _Wording, code: str, number: int) -> None:
    pdf.add_page()
    pdf.paragraph(words.intercommunality, size=9, color=MUTED)
    pdf.paragraph(words.commune, size=9, color=MUTED)
    pdf.ln(40)  # room for the address, in the window of a DL envelope
    pdf.paragraph(words.title, size=17, style="B", color=ACCENT, height=9)
    pdf.paragraph(words.cycle, size=12, style="B")
    pdf.ln(4)
    pdf.paragraph(words.dates)
    pdf.ln(3)
    pdf.paragraph(words.how)
    pdf.ln(6)
    pdf.set_font(MONO, "", 26)
    pdf.set_text_color(*INK)
    pdf.boxed_centred(code, 16)
    pdf.ln(6)
    pdf.paragraph(words.keep, size=10)
    pdf.set_y(-20)
    pdf.set_font(SANS, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.line_at_left(gettext("Letter %(number)s · codes never use the letters I, L, O nor the "
                             "digits 0 and 1.", number=number), 6)


def codes_zip(cycle: BudgetCycle, commune: Commune, codes: list[str], vote_url: str) -> bytes:
    stem = f"codes-{cycle.id}-{commune.insee_code}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.csv", codes_csv(cycle, commune, codes))
        archive.writestr(f"{stem}-letters.pdf", letters_pdf(cycle, commune, codes, vote_url))
    return out.getvalue()
