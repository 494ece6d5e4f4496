"""Posters for town-hall notice boards: what a cycle's poster and a proposal's poster say, and
the QR code to their public page as an SVG file. The A4 layout is in poster_pdf.py.

The QR code carries the page's address on the platform's PUBLIC_URL (links.public_url), never
the host a request named, and the poster writes it out too, for those who cannot scan."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import segno
from flask_babel import format_date, format_time, get_locale, gettext

from budget.domain.phases import Phase
from budget.formatting import euros
from budget.links import public_url
from budget.models import BudgetCycle, Proposal

EXCERPT_LENGTH = 260  # characters: four or five lines in large type


@dataclass(frozen=True)
class Poster:
    """What one poster says, translated; `url` is what the QR code carries."""
    territory: str
    cycle_title: str
    phase_line: str
    url: str
    call: str
    proposal_title: str | None = None
    place_and_cost: str | None = None
    excerpt: str | None = None


def cycle_poster(cycle: BudgetCycle) -> Poster:
    return Poster(territory=_territory(cycle), cycle_title=cycle.title,
                  phase_line=phase_line(cycle),
                  url=public_url("public.cycle_page", cycle_id=cycle.id),
                  call=_call(cycle), excerpt=excerpt(cycle.description) or None)


def proposal_poster(proposal: Proposal) -> Poster:
    cycle = proposal.cycle
    commune = proposal.envelope.commune
    place = commune.name if commune is not None else cycle.intercommunality.name
    cost = euros(proposal.final_cost if proposal.final_cost is not None
                 else proposal.estimated_cost)
    return Poster(territory=_territory(cycle), cycle_title=cycle.title,
                  phase_line=phase_line(cycle),
                  url=public_url("public.proposal_page", proposal_id=proposal.id),
                  call=_call(cycle, proposal=True), proposal_title=proposal.title,
                  place_and_cost=gettext("%(place)s · %(cost)s", place=place, cost=cost),
                  excerpt=excerpt(proposal.description))


def qr_svg(url: str, title: str) -> bytes:
    """The QR code of `url` alone, black on white with its quiet zone, scalable without loss."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=4, dark="#000",
                                    light="#fff", title=title, xmldecl=True)
    return out.getvalue()


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The first `length` characters of `text` on one paragraph, cut between words."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def phase_line(cycle: BudgetCycle) -> str:
    """What the cycle asks of residents now, with its dates ("Votez du 1er au 21 décembre")."""
    phase = cycle.phase()
    if not cycle.dates_known:  # an imported election: its dates are placeholders
        return gettext("Vote dates unknown (the imported files do not give them).")
    if phase in (Phase.UPCOMING, Phase.PROPOSALS):
        return gettext("Propose your projects from %(span)s",
                       span=date_span(cycle.proposals_start, cycle.review_start))
    if phase is Phase.REVIEW:
        return gettext("The vote will take place from %(span)s",
                       span=date_span(cycle.vote_start, cycle.vote_end))
    if phase is Phase.VOTE:
        return gettext("Vote from %(span)s", span=date_span(cycle.vote_start, cycle.vote_end))
    return gettext("The vote is over: see the results")


def date_span(start, end) -> str:
    """'1er au 21 décembre 2026', '28 novembre au 21 décembre 2026 (jusqu'à 18:00)': the end is
    a moment; one at midnight closes the day before, and its hour is then not worth saying.
    The month and year are said once when both days share them."""
    closing = format_time(end, "HH:mm")
    last_day = end - timedelta(minutes=1) if closing == "00:00" else end
    if format_date(start, "y-MM") == format_date(last_day, "y-MM"):
        first = _day(start, "d")
    elif format_date(start, "y") == format_date(last_day, "y"):
        first = _day(start, "d MMMM")
    else:
        first = _day(start, "d MMMM y")
    text = gettext("%(start)s to %(end)s", start=first, end=_day(last_day, "d MMMM y"))
    if closing != "00:00":
        text = gettext("%(span)s (until %(time)s)", span=text, time=closing)
    return text


def _day(moment, pattern: str) -> str:
    text = format_date(moment, pattern)
    if get_locale().language == "fr" and (text == "1" or text.startswith("1 ")):
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


def _territory(cycle: BudgetCycle) -> str:
    if cycle.commune is not None:
        return gettext("%(commune)s · %(territory)s", commune=cycle.commune.name,
                       territory=cycle.intercommunality.name)
    return cycle.intercommunality.name


def _call(cycle: BudgetCycle, proposal: bool = False) -> str:
    if cycle.phase() is Phase.VOTE:
        return gettext("Scan to see the project and vote") if proposal else \
            gettext("Scan to see the projects and vote")
    return gettext("Scan to see the project") if proposal else \
        gettext("Scan to see the projects")
