from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form, message_of
from budget.blueprints.rate_keys import account_key
from budget.blueprints.vote.blueprint import bp
from budget.blueprints.vote.forms import BallotForm, points_sent
from budget.domain.ballot_rules import read_points
from budget.domain.errors import AlreadyVoted, DomainError, NotAllowed, NotEligible, WrongPhase
from budget.extensions import limiter
from budget.links import public_url
from budget.ops.metrics import BALLOTS_CAST
from budget.services import accounts, eligibility, voting
from budget.services.policy import Action, check


def cycle_open_to_voter(cycle_id: int, declared: bool = True, voted: bool = True):
    """The cycle, or a page explaining why this person cannot vote in it. `declared`: also
    send a voter who has not answered the cycle's questions on who may vote to them.
    `voted`: also send a voter who has voted to their receipt."""
    cycle = subjects.cycle(cycle_id)
    try:
        check(current_user, Action.VOTE, cycle)
    except (NotAllowed, WrongPhase) as error:
        status = 403 if isinstance(error, NotAllowed) else 409
        return cycle, (render_template("vote/closed.html", cycle=cycle,
                                       reason=message_of(error)), status)
    if voted and voting.has_voted(current_user, cycle):
        return cycle, redirect(url_for("vote.receipt", cycle_id=cycle.id))
    if declared and eligibility.needs_declaration(current_user, cycle):
        return cycle, redirect(url_for("vote.eligibility_page", cycle_id=cycle.id))
    try:
        if declared:
            eligibility.check_may_vote(current_user, cycle)
    except NotEligible as error:
        return cycle, (render_template("vote/closed.html", cycle=cycle,
                                       reason=message_of(error)), 403)
    return cycle, None


def _selection(cycle, form):
    """What the voter sent: project ids, or (id, points) texts for a cumulative ballot."""
    if cycle.ballot_format.takes_points:
        return points_sent(request.form)
    return form.project.data or []


def _ballot_page(cycle, form, status=200):
    sections = voting.ballot_sections(cycle, current_user.home_commune_id, current_user.id)
    # On a cumulative ballot, each field shows again what was typed, even if it was refused.
    typed = dict(points_sent(request.form)) if request.method == "POST" else {}
    return render_template("vote/ballot.html", cycle=cycle, form=form, sections=sections,
                           chosen=set(form.project.data or ()), typed=typed,
                           vote_format=cycle.ballot_format), status


@bp.route("/cycles/<int:cycle_id>/vote", methods=["GET"])
@login_required
def ballot(cycle_id: int):
    cycle, refusal = cycle_open_to_voter(cycle_id)
    if refusal:
        return refusal
    return _ballot_page(cycle, BallotForm(formdata=None))


@bp.route("/cycles/<int:cycle_id>/vote/review", methods=["POST"])
@login_required
def review(cycle_id: int):
    cycle, refusal = cycle_open_to_voter(cycle_id)
    if refusal:
        return refusal
    form = BallotForm()
    if form.validate_on_submit() and request.form.get("change"):
        return _ballot_page(cycle, form)
    if form.validate_on_submit():
        try:
            selected = _selection(cycle, form)
            voting.check(current_user, cycle, selected)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            points = read_points(selected) if cycle.ballot_format.takes_points else {}
            chosen = {pid for pid, given in points.items() if given} if points else set(selected)
            sections = voting.review_sections(
                voting.ballot_sections(cycle, current_user.home_commune_id, current_user.id),
                chosen, points)
            return render_template("vote/review.html", cycle=cycle, form=form,
                                   sections=sections, chosen=chosen, points=points)
    return _ballot_page(cycle, form, 422)


@bp.route("/cycles/<int:cycle_id>/vote/confirm", methods=["POST"])
@login_required
@limiter.limit("10 per minute", key_func=account_key)
def confirm(cycle_id: int):
    # Whether they have voted is asked only when the ballot is refused: casting it answers
    # that anyway (the participation's UNIQUE constraint), one query fewer per ballot.
    cycle, refusal = cycle_open_to_voter(cycle_id, voted=False)
    if refusal:
        return refusal
    form = BallotForm()
    if form.validate_on_submit():
        try:
            code = voting.cast(current_user, cycle, _selection(cycle, form), public_url(
                "results.check_receipt", cycle_id=cycle_id))
        except AlreadyVoted:
            flash(_("You have already voted in this budget cycle."), "error")
            return redirect(url_for("vote.receipt", cycle_id=cycle_id))
        except NotEligible as error:  # e.g. their code was used on paper a moment ago
            return render_template("vote/closed.html", cycle=cycle,
                                   reason=message_of(error)), 403
        except DomainError as error:
            attach_to_form(form, error)
        else:
            BALLOTS_CAST.inc()
            if form.notify_delivery.data and not current_user.notify_delivery:
                # After the ballot's commit, in a transaction of its own: on the account only.
                accounts.opt_in_delivery_news(current_user)
            return _receipt_shown_once(cycle, code)
    if voting.has_voted(current_user, cycle):
        return redirect(url_for("vote.receipt", cycle_id=cycle_id))
    return _ballot_page(cycle, form, 422)


@bp.route("/cycles/<int:cycle_id>/vote/receipt")
@login_required
def receipt(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.VOTE, any_phase=True)
    if not voting.has_voted(current_user, cycle):
        return redirect(url_for("vote.ballot", cycle_id=cycle.id))
    return render_template("vote/receipt.html", cycle=cycle, code=None)


def _receipt_shown_once(cycle, code: str):
    """The receipt code, in the answer to the vote itself: kept nowhere, neither in the
    session cookie (signed, not encrypted: readable by whoever holds a copy) nor on the
    server, nor in a cache. Reloading sends the ballot again, which is refused as already
    cast and leads to the receipt page without the code (the voter also has it by email)."""
    response = make_response(render_template("vote/receipt.html", cycle=cycle, code=code))
    response.headers["Cache-Control"] = "no-store"
    return response
