"""A horizontal bar chart of votes per project, drawn with fpdf2's own primitives (rectangles,
lines, text): one bar per project, funded projects in the accent colour, a legend, and the
number of votes at the end of each bar. Long titles are shortened with an ellipsis."""
from __future__ import annotations

from flask_babel import gettext

from budget.formatting import number
from budget.services.exports.pdf_document import ACCENT, MUTED, SANS, ReportDocument
from budget.services.stored_result import ProjectLine

NOT_FUNDED = (190, 196, 204)
BAR, GAP, LABEL_WIDTH, VALUE_WIDTH = 4.6, 1.8, 62.0, 14.0


def _fit(pdf: ReportDocument, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _legend(pdf: ReportDocument) -> None:
    y = pdf.get_y()
    x = pdf.l_margin
    pdf.set_font(SANS, size=8)
    pdf.set_text_color(*MUTED)
    for colour, label in ((ACCENT, gettext("Funded")), (NOT_FUNDED, gettext("Not funded"))):
        pdf.set_fill_color(*colour)
        pdf.rect(x, y + 1, 3, 3, style="F")
        pdf.set_xy(x + 4.5, y)
        pdf.cell(pdf.get_string_width(label) + 2, 5, label)
        x += pdf.get_string_width(label) + 12
    pdf.set_xy(pdf.l_margin, y + 7)


def votes_chart(pdf: ReportDocument, projects: list[ProjectLine], title: str) -> None:
    """Draw the chart at the current position, continuing on a new page when needed."""
    if not projects:
        return
    pdf.keep_room(18 + min(len(projects), 5) * (BAR + GAP))
    pdf.set_font(SANS, "B", 9.5)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    _legend(pdf)
    most = max((p.votes for p in projects), default=0) or 1
    bar_area = pdf.content_width - LABEL_WIDTH - VALUE_WIDTH - 3
    pdf.set_draw_color(*MUTED)
    for project in projects:
        if pdf.space_left() < BAR + GAP:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font(SANS, size=8)
        pdf.set_text_color(40, 44, 48)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(LABEL_WIDTH, BAR, _fit(pdf, project.title, LABEL_WIDTH - 2), align="R")
        x0 = pdf.l_margin + LABEL_WIDTH + 2
        length = bar_area * project.votes / most
        pdf.set_fill_color(*(ACCENT if project.selected else NOT_FUNDED))
        if length > 0:
            pdf.rect(x0, y + 0.4, max(length, 0.6), BAR - 0.8, style="F")
        pdf.line(x0, y - GAP / 2, x0, y + BAR + GAP / 2)  # the axis
        pdf.set_xy(x0 + length + 1.2, y)
        pdf.set_font(SANS, "B" if project.selected else "", 8)
        pdf.cell(VALUE_WIDTH, BAR, number(project.votes))
        pdf.set_xy(pdf.l_margin, y + BAR + GAP)
    pdf.set_text_color(33, 37, 41)
    pdf.set_font(SANS, size=10)
    pdf.ln(3)
