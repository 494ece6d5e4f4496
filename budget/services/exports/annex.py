"""The annex to a council's deliberation, made from the published run (fpdf2, same look as the
report: pdf_document.py): the territory with its SIREN, the winning projects of the EPCI and of
each commune (INSEE code) with their amounts, the rule and how it works, the turnout online and
on paper, and the fingerprint; a blank for the deliberation's number and date, and the
certification line the council's president signs. `annex_xlsx.py` has the same as a workbook.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone

from flask_babel import format_date, get_locale, gettext

from budget.formatting import euros, number
from budget.services.exports.method import rule_paragraph, tie_break_paragraph
from budget.services.exports.pdf_document import MUTED, ReportDocument
from budget.services.exports.report import EnvelopeReport, RunReport
from budget.services.stored_result import ProjectLine


@dataclass(frozen=True)
class AnnexPart:
    """One envelope's winners: the EPCI's (insee_code None) or a commune's."""

    title: str
    insee_code: str | None
    amount: int
    spent: int
    winners: list[ProjectLine]


def parts(report: RunReport) -> list[AnnexPart]:
    """The intercommunal envelope first, then the communes' by name."""
    def part(envelope: EnvelopeReport) -> AnnexPart:
        return AnnexPart(envelope.label, envelope.insee_code, envelope.amount, envelope.spent,
                         envelope.winners)
    intercommunal = [part(e) for e in report.envelopes if e.commune_id is None]
    communes = sorted((part(e) for e in report.envelopes if e.commune_id is not None),
                      key=lambda p: p.title)
    return intercommunal + communes


def turnout(report: RunReport) -> tuple[int, int, int]:
    """(ballots cast online, at a kiosk, on paper) of the whole territory."""
    paper = sum(c.paper for c in report.communes)
    kiosk = sum(c.kiosk for c in report.communes)
    return report.ballots - paper - kiosk, kiosk, paper


def annex_filename(report: RunReport, extension: str) -> str:
    return f"annexe-deliberation-cycle-{report.cycle.id}.{extension}"


def _heading_block(pdf: ReportDocument, report: RunReport) -> None:
    cycle, run = report.cycle, report.run
    pdf.add_page()
    pdf.bookmark(gettext("Annex to the deliberation"))
    pdf.paragraph(report.territory.upper(), size=11)
    pdf.paragraph(gettext("SIREN %(siren)s", siren=report.siren), size=9, color=MUTED)
    pdf.ln(4)
    pdf.set_font("DejaVuSans", "B", 16)
    pdf.multi_cell(0, 8, gettext("Annex to the deliberation no. ............ of ............"),
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVuSans", "B", 12)
    pdf.multi_cell(0, 7, gettext("Results of the participatory budget “%(title)s”",
                                 title=cycle.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.paragraph(gettext("Results published on %(date)s; tally run no. %(run)s.",
                          date=format_date(run.published_at, "long"), run=run.id),
                  align="C", color=MUTED)
    pdf.ln(2)


def _winners(pdf: ReportDocument, report: RunReport) -> None:
    pdf.heading(gettext("Winning projects"))
    rows, highlighted, bold = [], [], []
    for part in parts(report):
        code = (gettext("EPCI, SIREN %(siren)s", siren=report.siren) if part.insee_code is None
                else gettext("INSEE %(code)s", code=part.insee_code))
        rows.append([f"{part.title} ({code})", "", ""])
        highlighted.append(True)
        if not part.winners:
            rows.append([gettext("No project was funded."), "", ""])
            highlighted.append(False)
        for project in part.winners:
            rows.append([project.title, number(project.votes), euros(project.cost)])
            highlighted.append(False)
        rows.append([gettext("Total allocated, of %(amount)s available",
                             amount=euros(part.amount)), "", euros(part.spent)])
        highlighted.append(False)
        bold += [False] * (len(rows) - len(bold) - 1) + [True]
    rows.append([gettext("Total of the participatory budget, of %(amount)s available",
                         amount=euros(report.amount)), "", euros(report.spent)])
    highlighted.append(True)
    bold.append(True)
    pdf.data_table([gettext("Envelope and project"), gettext("Votes"), gettext("Amount")],
                   rows, widths=[122, 22, 30], align=["LEFT", "RIGHT", "RIGHT"],
                   highlighted=highlighted, bold=[b or h for b, h in zip(bold, highlighted)],
                   size=8.5)


def _turnout(pdf: ReportDocument, report: RunReport) -> None:
    pdf.heading(gettext("Turnout"))
    online, kiosk, paper = turnout(report)
    rows = [[c.name, c.insee_code, number(c.online), number(c.kiosk), number(c.paper),
             number(c.ballots)] for c in report.communes]
    rows.append([gettext("Total"), "", number(online), number(kiosk), number(paper),
                 number(report.ballots)])
    pdf.data_table([gettext("Commune"), gettext("INSEE code"), gettext("Online"),
                    gettext("At a kiosk"), gettext("On paper"), gettext("Ballots")], rows,
                   widths=[50, 26, 24, 24, 24, 26],
                   align=["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"],
                   highlighted=[False] * len(report.communes) + [True])


def _method(pdf: ReportDocument, report: RunReport) -> None:
    pdf.heading(gettext("Rule of the count"))
    pdf.paragraph(rule_paragraph(report.run.rule))
    pdf.paragraph(tie_break_paragraph(report.tie_break))
    pdf.paragraph(gettext("Fingerprint of this tally (SHA-256):"), size=9)
    pdf.mono(report.run.fingerprint)
    pdf.ln(2)
    pdf.paragraph(gettext("Anyone can re-run the tally from the published ballots of an "
                          "envelope and check this fingerprint with the command “flask budget "
                          "verify”."), size=8.5, color=MUTED)


def _signature(pdf: ReportDocument) -> None:
    pdf.keep_room(40)
    pdf.ln(8)
    left = pdf.l_margin + pdf.content_width / 2
    pdf.set_x(left)
    pdf.multi_cell(pdf.content_width / 2, 5, "\n".join([
        gettext("Certified true copy,"), gettext("At ............, on ............"),
        gettext("The President"), "", "", gettext("(signature and seal)")]),
        new_x="LMARGIN", new_y="NEXT")


def render_annex_pdf(report: RunReport) -> bytes:
    """The annex as PDF bytes, in the current locale."""
    footer = gettext("Fingerprint: %(fingerprint)s", fingerprint=report.run.fingerprint)
    pdf = ReportDocument(header_text=f"{report.territory} · "
                         + gettext("Annex to the deliberation"), footer_text=footer)
    pdf.set_title(gettext("Annex to the deliberation") + f" · {report.cycle.title}")
    pdf.set_author(report.territory)
    pdf.set_creator("budget")
    pdf.set_lang(str(get_locale()))
    pdf.set_creation_date(report.run.created_at.replace(tzinfo=timezone.utc))
    _heading_block(pdf, report)
    _winners(pdf, report)
    _turnout(pdf, report)
    _method(pdf, report)
    _signature(pdf)
    return bytes(pdf.output())
