"""The look of the PDF report: an A4 page with the app's own Unicode fonts (DejaVu, shipped in
`budget/static/fonts/`, so accents, €, ’ and « » render on any machine), running header and
footer, headings, paragraphs and tables. What the report says is in `pdf.py`."""
from __future__ import annotations

from flask_babel import gettext
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from budget.services.exports.pdf_fonts import MONO, SANS, add_house_fonts

INK = (33, 37, 41)
MUTED = (95, 99, 104)
ACCENT = (31, 78, 121)  # headings, table headers, funded bars
FUNDED_FILL = (226, 239, 218)
ZEBRA = (245, 246, 248)
WARNING_FILL = (255, 235, 230)
WARNING_INK = (156, 0, 6)


# fpdf2 replaces its page-count alias with the number of pages wherever it appears in text
# written, "{nb}" by default: a project titled "Parc {nb}" became "Parc 3". The alias here is
# made of private-use characters (no font of ours draws them, no title needs them), removed
# from every text but the footer's page count.
PAGE_COUNT = "\ue000\ue001\ue002"
_NO_PAGE_COUNT = dict.fromkeys(map(ord, PAGE_COUNT))


class ReportDocument(FPDF):
    """An A4 portrait document. header_text / footer_text are set by the caller; the footer
    adds "page / pages"."""

    def __init__(self, header_text: str = "", footer_text: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.header_text, self.footer_text = header_text, footer_text
        add_house_fonts(self)
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_text_color(*INK)
        self.set_font(SANS, size=10)
        self.alias_nb_pages(PAGE_COUNT)
        self._writing_page_count = False
        # Bookmarks (the PDF's outline) are shown beside the pages when the file opens.
        self.page_mode = "USE_OUTLINES"

    def normalize_text(self, text: str) -> str:
        """Every text fpdf2 writes or measures passes here: the alias stays only in the
        footer's page count."""
        if not self._writing_page_count:
            text = text.translate(_NO_PAGE_COUNT)
        return super().normalize_text(text)

    # --- running header and footer ---------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1 or not self.header_text:
            return
        self.set_font(SANS, size=8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 10)
        self.cell(0, 5, self.header_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*MUTED)
        self.line(self.l_margin, 15.5, self.w - self.r_margin, 15.5)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(*INK)
        self.set_font(SANS, size=10)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(SANS, size=7.5)
        self.set_text_color(*MUTED)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width * 0.8, 5, self.footer_text)
        self._writing_page_count = True
        try:
            self.cell(width * 0.2, 5, gettext("Page %(page)s of %(pages)s",
                                              page=self.page_no(), pages=PAGE_COUNT), align="R")
        finally:
            self._writing_page_count = False
        self.set_text_color(*INK)

    # --- building blocks -------------------------------------------------------------------

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def space_left(self) -> float:
        return self.h - self.b_margin - self.get_y()

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm are left (no heading alone at a page's end)."""
        if self.space_left() < height:
            self.add_page()

    def bookmark(self, text: str, level: int = 1) -> None:
        """An entry of the outline (level 1 or 2) pointing here; the first must be level 1."""
        self.start_section(text, level=level - 1)

    def heading(self, text: str, level: int = 1) -> None:
        """A section title, and its bookmark."""
        size, before, room = {1: (15, 6, 45), 2: (12, 5, 40)}[level]
        self.keep_room(room)
        self.ln(before)
        self.bookmark(text, level)
        self.set_font(SANS, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(SANS, size=10)
        self.ln(2)

    def link_paragraph(self, text: str, url: str, size: float = 10) -> None:
        """`text`, then `url` as a link on a line of its own (printed, it can still be typed)."""
        self.paragraph(text, size=size)
        self.set_font(SANS, size=size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, url, link=url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1)

    def paragraph(self, text: str, size: float = 10, color=INK, align: str = "L") -> None:
        self.set_font(SANS, size=size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(SANS, size=10)
        self.ln(1.5)

    def notice(self, text: str) -> None:
        """A framed warning (the preview banner)."""
        self.set_fill_color(*WARNING_FILL)
        self.set_draw_color(*WARNING_INK)
        self.set_text_color(*WARNING_INK)
        self.set_font(SANS, "B", 10)
        self.multi_cell(0, 6, text, border=1, fill=True, padding=2, align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(SANS, size=10)
        self.ln(3)

    def mono(self, text: str, size: float = 9) -> None:
        self.set_font(MONO, size=size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(SANS, size=10)

    def figures(self, items: list[tuple[str, str, str]]) -> None:
        """Key figures side by side: (label, big value, small line under it)."""
        gap = 4
        width = (self.content_width - gap * (len(items) - 1)) / len(items)
        top = self.get_y()
        for index, (label, value, note) in enumerate(items):
            x = self.l_margin + index * (width + gap)
            self.set_fill_color(*ZEBRA)
            self.rect(x, top, width, 26, style="F")
            self.set_fill_color(*ACCENT)
            self.rect(x, top, 1.2, 26, style="F")
            self.set_xy(x + 4, top + 2.5)
            self.set_font(SANS, size=8)
            self.set_text_color(*MUTED)
            self.cell(width - 6, 4, label)
            self.set_xy(x + 4, top + 8)
            self.set_font(SANS, "B", 14)
            self.set_text_color(*INK)
            self.cell(width - 6, 8, value)
            self.set_xy(x + 4, top + 17.5)
            self.set_font(SANS, size=8)
            self.set_text_color(*MUTED)
            self.cell(width - 6, 4, note)
        self.set_text_color(*INK)
        self.set_font(SANS, size=10)
        self.set_xy(self.l_margin, top + 26 + 4)

    def data_table(self, headings: list[str], rows: list[list[str]], widths: list[float],
                   align: list[str], highlighted: list[bool] | None = None,
                   size: float = 9, bold: list[bool] | None = None) -> None:
        """A table with a coloured heading row (repeated on each page) and zebra rows;
        highlighted rows get a green background, bold rows bold text."""
        self.set_font(SANS, size=size)
        self.set_draw_color(210, 214, 220)
        # fpdf2 2.8 restores the fill colour in use before the table after each filled cell;
        # if that is a dark colour, later cells come out dark. White keeps the zebra right.
        self.set_fill_color(255, 255, 255)
        heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
        funded = FontFace(fill_color=FUNDED_FILL)
        with self.table(col_widths=widths, text_align=align, headings_style=heading_style,
                        borders_layout="HORIZONTAL_LINES", cell_fill_color=ZEBRA,
                        cell_fill_mode=TableCellFillMode.ROWS, line_height=size * 0.55,
                        padding=(1.2, 1.5), width=self.content_width) as table:
            heading = table.row()
            for text in headings:
                heading.cell(text)
            for index, cells in enumerate(rows):
                style = funded if highlighted and highlighted[index] else None
                if bold and bold[index]:
                    style = FontFace(emphasis="BOLD", fill_color=style.fill_color if style
                                     else None)
                row = table.row()
                for text in cells:
                    row.cell(text, style=style)
        self.set_font(SANS, size=10)
        self.ln(3)
