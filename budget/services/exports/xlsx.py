"""The results as an Excel workbook (openpyxl): a summary sheet, then one sheet per envelope.

Numbers are stored as numbers with French-friendly formats (`12 000 €` once opened in a French
spreadsheet), header rows are frozen, and every text a resident wrote (project titles) is
stored as plain text with Excel's quote prefix, so it can never become a formula.
"""
from __future__ import annotations

import io
import re

from flask_babel import format_datetime, gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budget.services.exports.pdf import adoption_sentence
from budget.services.exports.report import EnvelopeReport, RunReport
from budget.templating import TIE_BREAKS, plain_rule_label

EUROS = '#,##0 "€"'
INTEGER = "#,##0"
PERCENT = "0.0 %"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = Font(bold=True, size=14)
FUNDED_FILL = PatternFill("solid", fgColor="E2EFDA")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _text(cell, value: str) -> None:
    """Store `value` as text, never as a formula, even after someone edits the cell."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def _row(sheet: Worksheet, row: int, values: list, formats: list[str | None] | None = None):
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            _text(cell, value)
        else:
            cell.value = value
        number_format = formats[column - 1] if formats and column <= len(formats) else None
        if number_format and not isinstance(value, str):
            cell.number_format = number_format


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    _row(sheet, row, titles)
    for cell in sheet[row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _printable(sheet: Worksheet, title_rows: str | None = None) -> None:
    """Printed on A4 landscape, as wide as the page, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    if title_rows:
        sheet.print_title_rows = title_rows


def _sheet_name(label: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = SHEET_NAME_FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", label)).strip("'") or "-"
    name, number = base[:31], 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _summary(sheet: Worksheet, report: RunReport) -> None:
    sheet.title = _sheet_name(gettext("Summary"), set())
    _text(sheet["A1"], report.cycle.title)
    sheet["A1"].font = TITLE_FONT
    row = 2
    if report.preview:
        _text(sheet["A2"], gettext("Preview: these results are not published yet. Only staff "
                                   "and council members can see them."))
        sheet["A2"].font = Font(bold=True, color="9C0006")
        row = 3
    run = report.run
    # Stored naive UTC; shown in Paris time, as on every page.
    published = gettext("%(date)s (Paris time)", date=format_datetime(
        run.published_at, "d MMMM y, HH:mm")) if run.published_at else "-"
    facts = [
        (gettext("Territory"), report.territory, None),
        (gettext("SIREN"), report.siren, None),
        (gettext("Rule"), plain_rule_label(run.rule), None),
        (gettext("Tie-break"), str(TIE_BREAKS.get(report.tie_break, report.tie_break)), None),
        (gettext("Fingerprint of this tally (SHA-256):").rstrip(" :\u00a0"), run.fingerprint, None),
        (gettext("Counting engine version"), report.engine, None),
        (gettext("Published on"), published, None),
        (gettext("Ballots"), report.ballots, INTEGER),
        # An unknown population stays an empty cell, never a 0 or a 0 % turnout.
        (gettext("Population"), report.population, INTEGER),
        (gettext("Turnout"), None if report.population is None else
         report.ballots / report.population if report.population else 0, PERCENT),
        (gettext("Money available"), report.amount, EUROS),
        (gettext("Money allocated"), report.spent, EUROS),
        (gettext("Winning projects"), len(report.winners), INTEGER),
    ] + [(gettext("Council decision"), adoption_sentence(line), None)
         for line in report.adoptions]
    for label, value, number_format in facts:
        row += 1
        _row(sheet, row, [label, value], [None, number_format])
        sheet.cell(row=row, column=1).font = Font(bold=True)
    row += 2
    _header(sheet, row, [gettext("Envelope"), gettext("INSEE code"), gettext("Amount"),
                         gettext("Money allocated"), gettext("Ballots"),
                         gettext("Winning projects"), gettext("Fingerprint")])
    for envelope in report.envelopes:
        row += 1
        _row(sheet, row, [envelope.label, envelope.insee_code or "", envelope.amount,
                          envelope.spent, envelope.voters, len(envelope.winners),
                          envelope.fingerprint], [None, None, EUROS, EUROS, INTEGER, INTEGER])
    row += 2
    _header(sheet, row, [gettext("Commune"), gettext("INSEE code"), gettext("Population"),
                         gettext("Ballots"), gettext("Turnout"), gettext("Online"),
                         gettext("At a kiosk"), gettext("Of which on paper"),
                         gettext("Blank or spoiled paper ballots")])
    for commune in report.communes:
        row += 1
        _row(sheet, row, [commune.name, commune.insee_code, commune.population,
                          commune.ballots, commune.turnout, commune.online, commune.kiosk,
                          commune.paper, commune.blank + commune.spoiled],
             [None, None, INTEGER, INTEGER, PERCENT, INTEGER, INTEGER, INTEGER, INTEGER])
    _widths(sheet, [40, 40, 16, 18, 12, 14, 14, 18, 68])
    _printable(sheet)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (about)."""
    return max(1, -(-len(text) // max(int(width * 1.1), 1)))


def _envelope(sheet: Worksheet, envelope: EnvelopeReport) -> None:
    """Rows 1-5: the envelope and its figures; row 7: the header (frozen); then projects."""
    widths = [48, 14, 10, 10, 14, 60, 12]
    _text(sheet["A1"], envelope.label)
    sheet["A1"].font = TITLE_FONT
    for row, (label, value, number_format) in enumerate([
            (gettext("Amount"), envelope.amount, EUROS),
            (gettext("Money allocated"), envelope.spent, EUROS),
            (gettext("Ballots"), envelope.voters, INTEGER),
            (gettext("Fingerprint"), envelope.fingerprint, None)], start=2):
        _row(sheet, row, [label, value], [None, number_format])
        sheet.cell(row=row, column=1).font = Font(bold=True)
    header_row = 7
    _header(sheet, header_row, [gettext("Project"), gettext("Cost"), gettext("Votes"),
                                gettext("Funded"), gettext("Selection rank"),
                                gettext("Explanation"), gettext("Project number")])
    sheet.row_dimensions[header_row].height = 30
    row = header_row
    for project in envelope.projects:
        row += 1
        explanation = project.outcome_text()
        _row(sheet, row, [project.title, project.cost, project.votes,
                          gettext("yes") if project.selected else gettext("no"),
                          project.selection_rank, explanation, project.id],
             [None, EUROS, INTEGER, None, INTEGER, None, "0"])
        if project.selected:
            for cell in sheet[row]:
                cell.fill = FUNDED_FILL
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=cell.column in (1, 6), vertical="top")
        # Spreadsheets do not always grow a row for wrapped text: give it its height.
        lines = max(_lines(project.title, widths[0]), _lines(explanation, widths[5]))
        if lines > 1:
            sheet.row_dimensions[row].height = 15 * lines
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    if row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:G{row}"
    _widths(sheet, widths)
    _printable(sheet, f"{header_row}:{header_row}")


def render_xlsx(report: RunReport) -> bytes:
    """The workbook as bytes (an .xlsx file)."""
    workbook = Workbook()
    workbook.properties.title = report.cycle.title
    workbook.properties.creator = "budget"
    _summary(workbook.active, report)
    taken = {workbook.active.title.lower()}
    for envelope in report.envelopes:
        _envelope(workbook.create_sheet(_sheet_name(envelope.label, taken)), envelope)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
