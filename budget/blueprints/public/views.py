from dataclasses import dataclass
from datetime import date

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, session
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.evaluation.panel import panel as evaluation_panel
from budget.blueprints.navigation import safe_next_url
from budget.blueprints.pagination import paginate
from budget.blueprints.public import cycle_cache
from budget.blueprints.public.blueprint import bp
from budget.blueprints.public.list_filters import filters_from, visitor_seed
from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import csrf
from budget.services import (cycles, finding, follows, proposals, results, support_close,
                             supports, themes, tracking_read, voting)
from budget.services.how_it_works import worked_example
from budget.services.reading import PUBLIC_PROPOSALS, may_read_proposal
from budget.read_replica import replica_readable

# When the statement below was last checked against the platform; update with it.
STATEMENT_DATE = date(2026, 11, 26)

# What the cycle's pages list: before the vote, every proposal anyone may read; from the vote
# on, the ballot (the others stay readable by their id: reading.PUBLIC_PROPOSALS).
PUBLIC_STATUSES = {
    phase: tuple(sorted(PUBLIC_PROPOSALS[phase]))
    for phase in (Phase.UPCOMING, Phase.PROPOSALS, Phase.SUPPORTS, Phase.REVIEW)}
FILTER_NAMES = ("q", "commune", "theme", "status", "cost_min", "cost_max", "sort")
CARDS_PER_PAGE = 12  # a phone shows a page in a few screens


@bp.route("/")
@replica_readable
def home():
    cycle = cycles.current_cycle()
    if cycle is None:
        return render_template("public/no_cycle.html")
    return cycle_page(cycle.id)


@dataclass(frozen=True)
class Finder:
    """What a cycle's list and map show: the filters the URL asks for, and the choices of
    the filter form (public/_list_filters.html)."""

    filters: finding.Filters
    statuses: tuple[Status, ...]  # what the list shows
    status_choices: tuple  # what its status filter offers (finding.status_choices)
    communes: list
    themes: list
    arguments: dict  # the URL's filters, for links from the list to the map and back
    sorts: tuple[str, ...] = finding.SORTS


def _finder(cycle) -> Finder:
    statuses = public_statuses(cycle.phase())
    communes = cycle.intercommunality.communes
    cycle_themes = themes.themes_of(cycle)
    choices = finding.status_choices(cycle, statuses)
    filters, _wrong = filters_from(request.args, choices, {c.id for c in communes},
                                   {t.id for t in cycle_themes})
    arguments = {name: value for name, value in request.args.items()
                 if name in FILTER_NAMES and value}
    return Finder(filters, statuses, choices, communes, cycle_themes, arguments)


@bp.route("/cycles/<int:cycle_id>")
@replica_readable
def cycle_page(cycle_id: int):
    """The cycle, and its proposals: searched, filtered and sorted as the URL asks, a page of
    cards at a time. An anonymous visitor's page from the vote on is kept a while
    (public/cycle_cache.py)."""
    key = cycle_cache.page_key(cycle_id)
    page = cycle_cache.kept(key)
    if page is not None:
        return page
    cycle = subjects.cycle(cycle_id)
    finder = _finder(cycle)
    page = paginate(finding.proposal_list(cycle, finder.statuses, finder.filters,
                                          visitor_seed()), per_page=CARDS_PER_PAGE)
    voted = current_user.is_authenticated and voting.has_voted(current_user, cycle)
    others = [c for c in cycles.all_cycles() if c.id != cycle.id]
    backing = (supports.support_counts(p.id for p in page.items)
               if cycle.supports_start is not None else None)
    phase = cycle.phase()
    html = render_template("public/cycle.html", cycle=cycle, phase=phase, finder=finder,
                           page=page, voted=voted, others=others, backing=backing)
    cycle_cache.keep(key, phase, cycle.vote_end, html)
    return html


def public_statuses(phase: Phase) -> tuple[Status, ...]:
    """What the cycle's lists show in `phase` (see PUBLIC_STATUSES)."""
    return PUBLIC_STATUSES.get(phase, (Status.ON_BALLOT,))


@bp.route("/cycles/<int:cycle_id>/map")
@replica_readable
def cycle_map(cycle_id: int):
    """The cycle's public proposals that have a location, filtered as the list is: on a map,
    and as a list."""
    cycle = subjects.cycle(cycle_id)
    finder = _finder(cycle)
    shown = finding.found(cycle, finder.statuses, finder.filters, visitor_seed())
    placed = [p for p in shown if p.latitude is not None]
    return render_template("public/map.html", cycle=cycle, placed=placed, finder=finder,
                           unplaced=len(shown) - len(placed))


@bp.route("/cycles/<int:cycle_id>/how-it-works")
@replica_readable
def how_it_works(cycle_id: int):
    """How the cycle works, in plain words: its phases, how to vote, how its own rule counts
    the votes, with a small example counted by that rule."""
    cycle = subjects.cycle(cycle_id)
    example = worked_example(cycle.tally_rule, cycle.vote_format)
    return render_template("public/how_it_works.html", cycle=cycle, phase=cycle.phase(),
                           vote_format=cycle.ballot_format, example=example)


@bp.route("/proposals/<int:proposal_id>")
@replica_readable
def proposal_page(proposal_id: int):
    proposal = subjects.readable_proposal(proposal_id)
    record = tracking_read.of_proposal(proposal)
    is_author = current_user.is_authenticated and proposal.author_id == current_user.id
    absorbed = [other for other in proposals.absorbed_by(proposal)
                if may_read_proposal(current_user, other)]
    return render_template("public/proposal.html", proposal=proposal, cycle=proposal.cycle,
                           is_author=is_author, absorbed=absorbed,
                           follow=follows.of(current_user, proposal),
                           support_count=supports.support_count(proposal),
                           support_threshold=support_close.describe(proposal.cycle.threshold),
                           supported=supports.supports(current_user, proposal),
                           vote=results.outcome_of(proposal),
                           delivery=tracking_read.story(record),
                           evaluation=evaluation_panel(current_user, record))


@bp.route("/language/<code>", methods=["POST"])
@csrf.exempt
def set_language(code: str):
    """The language switch of every page. Its form carries no CSRF token: the token lives in the
    session, and a page with one could not be shared by a cache between visitors
    (results/shared_pages.py). A request from another site is refused by its origin instead
    (browsers send Origin or Sec-Fetch-Site with every POST): it could otherwise replace a
    signed-in person's session cookie, signing them out."""
    origin = request.headers.get("Origin")
    if request.headers.get("Sec-Fetch-Site") == "cross-site" or (
            origin is not None and urlsplit(origin).netloc != request.host):
        abort(403)
    if code in ("fr", "en"):
        session["lang"] = code
    return redirect(safe_next_url(request.form.get("next")))


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement (déclaration d'accessibilité, RGAA model)."""
    return render_template("public/accessibility.html", statement_date=STATEMENT_DATE,
                           contact=current_app.config["ACCESSIBILITY_CONTACT"])
