"""The results as a PDF report for a council session (fpdf2).

Page 1: the cycle, the key figures (winning projects, money allocated against money
available, turnout), the winning projects of the intercommunality and the turnout by commune.
Then one section per envelope (a table of its projects and a bar chart of their votes), and the
"Method": the rule and the tie-break in plain words, the fingerprints and how to recount.
Text is in the current locale (French by default); the layout is in `pdf_document.py`.
"""
from __future__ import annotations

from datetime import timezone

from flask_babel import format_date, get_locale, gettext

from budget.formatting import euros, number, percent, plural
from budget.links import public_url
from budget.services.exports.method import (rule_paragraph, tie_break_paragraph,
                                            verification_paragraph)
from budget.services.exports.pdf_chart import votes_chart
from budget.services.exports.pdf_document import MUTED, ReportDocument
from budget.services.exports.report import EnvelopeReport, RunReport
from budget.services.provenance import source_paragraph, vote_dates
from budget.templating import ADOPTION_OUTCOMES


def _results_page_url(cycle) -> str | None:
    """The HTML results page's address on the platform's public URL (links.public_url), in a
    request or a background job; None when no PUBLIC_URL says under which name it is served."""
    return _public_page("results.results_page", cycle)


def _public_page(endpoint: str, cycle) -> str | None:
    try:
        return public_url(endpoint, cycle_id=cycle.id)
    except RuntimeError:
        return None


def adoption_sentence(line) -> str:
    """"Community council, session of 3 March 2027, deliberation no. 2027-045: Adopted."."""
    return gettext("%(council)s, session of %(date)s, deliberation no. %(number)s: "
                   "%(outcome)s.", council=line.council,
                   date=format_date(line.session_date, "long"), number=line.deliberation_number,
                   outcome=str(ADOPTION_OUTCOMES.get(line.outcome, line.outcome)).lower())


def _title_page(pdf: ReportDocument, report: RunReport) -> None:
    cycle = report.cycle
    pdf.add_page()
    pdf.bookmark(cycle.title)
    pdf.paragraph(report.territory.upper(), size=9, color=MUTED)
    pdf.set_font("DejaVuSans", "B", 20)
    pdf.multi_cell(0, 9, gettext("Participatory budget results"), new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font("DejaVuSans", "B", 13)
    pdf.multi_cell(0, 7, cycle.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.paragraph(vote_dates(cycle), color=MUTED)
    if cycle.is_imported:
        pdf.notice(source_paragraph(cycle))
    if report.preview:
        pdf.notice(gettext("Preview: these results are not published yet. Only staff and "
                           "council members can see them."))
    else:
        pdf.paragraph(gettext("Results published on %(date)s.",
                              date=format_date(report.run.published_at, "long")), color=MUTED)
    for line in report.adoptions:
        pdf.paragraph(adoption_sentence(line), color=MUTED)
    url = _results_page_url(cycle)
    if url is not None:
        # RGAA: a PDF is not the accessible form of these results; say where that form is.
        pdf.link_paragraph(gettext("The same results, in a form accessible to everyone (RGAA), "
                                   "are on the web page:"), url, size=9)
    pdf.ln(2)
    pdf.figures([
        (gettext("Winning projects"), str(len(report.winners)),
         plural("%(num)d project on the ballot", "%(num)d projects on the ballot",
                  sum(len(e.projects) for e in report.envelopes))),
        (gettext("Money allocated"), euros(report.spent),
         gettext("of %(amount)s available", amount=euros(report.amount))),
        (gettext("Ballots"), number(report.ballots),
         gettext("population unknown") if report.population is None else
         gettext("%(percent)s of the population", percent=percent(report.ballots,
                                                                   report.population))),
    ])


def _winners(pdf: ReportDocument, report: RunReport) -> None:
    pdf.heading(gettext("Winning projects of the intercommunality"))
    if not report.winners:
        pdf.paragraph(gettext("No project was funded."))
        return
    pdf.data_table(
        [gettext("Project"), gettext("Envelope"), gettext("Votes"), gettext("Cost")],
        [[p.title, e.label, number(p.votes), euros(p.cost)] for e, p in report.winners],
        widths=[82, 50, 16, 26], align=["LEFT", "LEFT", "RIGHT", "RIGHT"])


def _population_cells(ballots: int, population: int | None) -> list[str]:
    """Population and turnout cells; a dash for an unknown population (never a 0 %)."""
    if population is None:
        return ["—", "—"]
    return [number(population), percent(ballots, population)]


def _turnout(pdf: ReportDocument, report: RunReport) -> None:
    pdf.heading(gettext("Turnout by commune"))
    rows = [[c.name, number(c.ballots), number(c.kiosk), number(c.paper),
             number(c.blank + c.spoiled), *_population_cells(c.ballots, c.population)]
            for c in report.communes]
    rows.append([gettext("Total"), number(report.ballots),
                 number(sum(c.kiosk for c in report.communes)),
                 number(sum(c.paper for c in report.communes)),
                 number(sum(c.blank + c.spoiled for c in report.communes)),
                 *_population_cells(report.ballots, report.population)])
    pdf.data_table([gettext("Commune"), gettext("Ballots"), gettext("Of which at a kiosk"),
                    gettext("Of which on paper"), gettext("Blank or spoiled paper ballots"),
                    gettext("Population"), gettext("Turnout")], rows,
                   widths=[36, 20, 20, 20, 30, 24, 24],
                   align=["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"],
                   highlighted=[False] * len(report.communes) + [True])
    if any(c.population is None for c in report.communes):
        pdf.paragraph(gettext("Population unknown: turnout as a share of the population "
                              "cannot be given."), size=8.5, color=MUTED)


def _envelope(pdf: ReportDocument, envelope: EnvelopeReport) -> None:
    pdf.heading(envelope.label, level=2)
    pdf.paragraph(" ".join([
        gettext("%(spent)s allocated of %(amount)s available.", spent=euros(envelope.spent),
                amount=euros(envelope.amount)),
        plural("%(num)d ballot.", "%(num)d ballots.", envelope.voters)]))
    if not envelope.projects:
        pdf.paragraph(gettext("No project in this envelope."), color=MUTED)
        return
    pdf.data_table(
        [gettext("Project"), gettext("Votes"), gettext("Cost"), gettext("Outcome")],
        [[p.title, number(p.votes), euros(p.cost), p.outcome_text()] for p in envelope.projects],
        widths=[70, 16, 26, 62], align=["LEFT", "RIGHT", "RIGHT", "LEFT"],
        highlighted=[p.selected for p in envelope.projects], size=8.5)
    votes_chart(pdf, envelope.projects, gettext("Votes per project"))


def _method(pdf: ReportDocument, report: RunReport) -> None:
    run = report.run
    pdf.add_page()
    pdf.heading(gettext("Method"))
    pdf.paragraph(gettext(
        "Each resident voted on the ballot of their commune: the projects of their commune's "
        "envelope and the intercommunal projects. Each envelope is counted on its own, with "
        "the ballots that included it, and can never spend more than its amount."))
    pdf.paragraph(rule_paragraph(run.rule))
    pdf.paragraph(tie_break_paragraph(report.tie_break))
    if explained := _public_page("public.how_it_works", report.cycle):
        pdf.paragraph(gettext("How the rule works, with an example: %(url)s", url=explained))
    pdf.heading(gettext("Fingerprint and verification"), level=2)
    pdf.paragraph(verification_paragraph(run.rule))
    pdf.paragraph(gettext("Fingerprint of this tally (SHA-256):"))
    pdf.mono(run.fingerprint, size=9)
    pdf.ln(3)
    pdf.data_table([gettext("Envelope"), gettext("Fingerprint")],
                   [[e.label, e.fingerprint] for e in report.envelopes],
                   widths=[52, 122], align=["LEFT", "LEFT"], size=7)
    created = run.created_at.replace(tzinfo=timezone.utc)
    pdf.paragraph(gettext("Tally run %(run)s of %(date)s, counting engine version "
                          "%(engine)s.", run=run.id, date=format_date(created, "long"),
                          engine=report.engine), size=8.5, color=MUTED)


def render_pdf(report: RunReport) -> bytes:
    """The report as PDF bytes (starts with %PDF)."""
    cycle = report.cycle
    footer = gettext("Fingerprint: %(fingerprint)s", fingerprint=report.run.fingerprint)
    if report.preview:
        footer = gettext("PREVIEW, NOT PUBLISHED") + " · " + footer
    pdf = ReportDocument(header_text=f"{report.territory} · {cycle.title}", footer_text=footer)
    pdf.set_title(gettext("Participatory budget results") + f" · {cycle.title}")
    pdf.set_author(report.territory)
    pdf.set_creator("budget")
    pdf.set_lang(str(get_locale()))
    # The run's date, not today's: exporting the same run twice gives the same document.
    pdf.set_creation_date(report.run.created_at.replace(tzinfo=timezone.utc))
    _title_page(pdf, report)
    _winners(pdf, report)
    _turnout(pdf, report)
    pdf.heading(gettext("Results by envelope"))
    for envelope in report.envelopes:
        _envelope(pdf, envelope)
    _method(pdf, report)
    return bytes(pdf.output())
