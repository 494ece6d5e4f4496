"""The record of processing of a cycle (services/processing_record.py) as a PDF staff file in
their GDPR register: the same look as the results report (pdf_document.py)."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, get_locale, gettext

from budget.models.time import to_local, utcnow
from budget.services.exports.pdf_document import MUTED, ReportDocument
from budget.services.processing_record import Entry, ProcessingRecord


def _params(entry: Entry) -> dict:
    shown = {}
    for key, value in entry.params.items():
        if isinstance(value, datetime):
            value = to_local(value).date()
        shown[key] = format_date(value, "long") if isinstance(value, date) else value
    return shown


def record_filename(record: ProcessingRecord) -> str:
    return f"registre-traitement-cycle-{record.cycle.id}.pdf"


def render_record_pdf(record: ProcessingRecord) -> bytes:
    cycle = record.cycle
    title = gettext("Record of processing activities")
    pdf = ReportDocument(header_text=f"{record.controller} · {title}",
                         footer_text=f"{cycle.title} · " + gettext("GDPR, article 30"))
    pdf.set_title(f"{title} · {cycle.title}")
    pdf.set_author(record.controller)
    pdf.set_creator("budget")
    pdf.set_lang(str(get_locale()))
    pdf.add_page()
    pdf.bookmark(title)
    pdf.paragraph(record.controller.upper(), size=11)
    pdf.paragraph(gettext("SIREN %(siren)s", siren=record.controller_code)
                  if record.cycle.commune is None
                  else gettext("INSEE %(code)s", code=record.controller_code), size=9, color=MUTED)
    pdf.set_font("DejaVuSans", "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVuSans", "B", 12)
    pdf.multi_cell(0, 7, cycle.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.paragraph(gettext("Drawn up on %(date)s from the cycle's settings.",
                          date=format_date(to_local(utcnow()).date(), "long")), color=MUTED)
    pdf.heading(gettext("The processing"))
    pdf.data_table([gettext("Item"), gettext("Description")], [
        [gettext("Controller"), f"{record.controller} ({record.controller_code})"],
        [gettext("Data protection officer"), gettext("(to fill in)")],
        [gettext("Purpose"), gettext("Consulting the residents on projects financed by the "
                                     "participatory budget: proposals, review, vote, "
                                     "results.")],
        [gettext("Legal basis"), gettext("A task carried out in the public interest (GDPR "
                                         "article 6(1)(e)).")],
        [gettext("Persons concerned"), "\n".join(gettext(p) for p in record.people)],
        [gettext("Transfers outside the EU"), gettext("None.")],
        [gettext("Host"), gettext("(to fill in)")],
        [gettext("Security measures"), gettext(
            "Passwords hashed with Argon2id; a second factor for staff; census identifiers and "
            "access codes stored only as keyed hashes; who voted stored apart from what was "
            "voted; an audit log of every staff change.")],
    ], widths=[48, 126], align=["LEFT", "LEFT"])
    pdf.heading(gettext("The data kept"))
    pdf.data_table([gettext("Data"), gettext("Why"), gettext("Kept"), gettext("Who sees it")],
                   [[gettext(e.data), gettext(e.purpose, **_params(e)),
                     gettext(e.retention, **_params(e)), gettext(e.recipients)]
                    for e in record.entries],
                   widths=[48, 44, 44, 38], align=["LEFT"] * 4, size=8)
    pdf.paragraph(gettext("Not stored: postal addresses, phone numbers, IP addresses in the "
                          "database, the uploaded census files, access codes in clear."),
                  size=8.5, color=MUTED)
    return bytes(pdf.output())
