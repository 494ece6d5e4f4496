"""The annex to the council's deliberation as a workbook: the same facts as annex.py's PDF,
numbers kept as numbers (xlsx.py's conventions: plain text never becomes a formula)."""
from __future__ import annotations

import io

from flask_babel import format_date, gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from budget.services.exports.annex import parts, turnout
from budget.services.exports.method import rule_paragraph, tie_break_paragraph
from budget.services.exports.report import RunReport
from budget.services.exports.xlsx import (EUROS, FUNDED_FILL, INTEGER, TITLE_FONT, _header,
                                          _printable, _row, _sheet_name, _text, _widths)


def render_annex_xlsx(report: RunReport) -> bytes:
    """One sheet: the facts, the winners (envelope, INSEE code or SIREN, project, votes,
    amount), then the turnout by commune (online, on paper)."""
    workbook = Workbook()
    workbook.properties.title = gettext("Annex to the deliberation") + f" · {report.cycle.title}"
    workbook.properties.creator = "budget"
    sheet = workbook.active
    sheet.title = _sheet_name(gettext("Annex"), set())
    _text(sheet["A1"], gettext("Results of the participatory budget “%(title)s”",
                               title=report.cycle.title))
    sheet["A1"].font = TITLE_FONT
    run = report.run
    online, kiosk, paper = turnout(report)
    facts = [
        (gettext("Territory"), report.territory, None),
        (gettext("SIREN"), report.siren, None),
        (gettext("Published on"), format_date(run.published_at, "long"), None),
        (gettext("Rule"), rule_paragraph(run.rule), None),
        (gettext("Tie-break"), tie_break_paragraph(report.tie_break), None),
        (gettext("Ballots cast online"), online, INTEGER),
        (gettext("Ballots cast at a kiosk"), kiosk, INTEGER),
        (gettext("Ballots cast on paper"), paper, INTEGER),
        (gettext("Money available"), report.amount, EUROS),
        (gettext("Money allocated"), report.spent, EUROS),
        (gettext("Fingerprint"), run.fingerprint, None),
    ]
    row = 2
    for label, value, number_format in facts:
        row += 1
        _row(sheet, row, [label, value], [None, number_format])
        sheet.cell(row=row, column=1).font = Font(bold=True)
    row += 2
    _header(sheet, row, [gettext("Envelope"), gettext("INSEE code or SIREN"),
                         gettext("Project"), gettext("Votes"), gettext("Amount")])
    for part in parts(report):
        code = part.insee_code or report.siren
        for project in part.winners:
            row += 1
            _row(sheet, row, [part.title, code, project.title, project.votes, project.cost],
                 [None, None, None, INTEGER, EUROS])
        row += 1
        _row(sheet, row, [part.title, code, gettext("Total allocated"), None, part.spent],
             [None, None, None, None, EUROS])
        for cell in sheet[row]:
            cell.fill = FUNDED_FILL
    row += 2
    _header(sheet, row, [gettext("Commune"), gettext("INSEE code"), gettext("Online"),
                         gettext("At a kiosk"), gettext("On paper"), gettext("Ballots")])
    for commune in report.communes:
        row += 1
        _row(sheet, row, [commune.name, commune.insee_code, commune.online, commune.kiosk,
                          commune.paper, commune.ballots],
             [None, None, INTEGER, INTEGER, INTEGER, INTEGER])
    _widths(sheet, [34, 22, 60, 12, 16, 16])
    _printable(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
