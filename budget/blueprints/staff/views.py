from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from budget.blueprints.catalogue import panel
from budget.blueprints.domain_errors import attach_to_form, flash_error, message_of
from budget.blueprints.numbers import bounded_int
from budget.blueprints.pagination import paginate
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.staff.blueprint import bp
from budget.blueprints import subjects
from budget.blueprints.staff.jobs import tally_in_background
from budget.blueprints.staff.turnout import panel_context
from budget.blueprints.staff.forms import PublishForm, ReviewForm
from budget.domain.errors import DomainError
from budget.domain.numbers import whole_number
from budget.domain.proposals import Status
from budget.links import public_url
from budget.services import (cycles, proposals, support_close, supports, tally, themes,
                             turnout)
from budget.services.policy import Action, can

@bp.route("/cycles/<int:cycle_id>")
def dashboard(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    commune_id = request.args.get("commune", type=bounded_int)
    queue = paginate(proposals.review_queue(current_user, cycle, commune_id))
    latest_run = tally.latest_run(cycle)
    blocked = (tally.publishable(cycle, latest_run) if latest_run
               and can(current_user, Action.PUBLISH_RESULTS, cycle) else None)
    has_supports = cycle.supports_start is not None
    return render_template("staff/dashboard.html", cycle=cycle, phase=cycle.phase(),
                           queue=queue, commune_id=commune_id,
                           queue_themes=themes.of_proposals(p.id for p in queue.items),
                           reaches_threshold=support_close.outcomes(cycle),
                           backing=(supports.support_counts(p.id for p in queue.items)
                                    if has_supports else None),
                           support_threshold=(support_close.describe(cycle.threshold)
                                              if has_supports else None),
                           ballots=_ballot_count_after_close(cycle),
                           latest_run=latest_run, not_publishable=blocked and message_of(blocked),
                           form=ConfirmForm(), turnout_panel=_turnout_panel(cycle))


def _turnout_panel(cycle) -> dict | None:
    """The turnout panel's data, while staff may see it (during the vote and its count)."""
    if not can(current_user, Action.SEE_TURNOUT, cycle):
        return None
    return panel_context(turnout.turnout(current_user, cycle))


def _ballot_count_after_close(cycle):
    """How many ballots were cast: shown to staff only once the vote is closed."""
    return tally.ballot_count(cycle) if can(current_user, Action.RUN_TALLY, cycle) else None


@bp.route("/proposals/<int:proposal_id>/review", methods=["GET", "POST"])
def review(proposal_id: int):
    proposal = subjects.proposal(proposal_id, Action.REVIEW_PROPOSAL, any_phase=True)
    form = ReviewForm(obj=proposal if request.method == "GET" else None)
    form.merged_into_id.choices = [("", _("— choose —"))] + [
        (str(other.id), other.title) for other in proposals.merge_targets(proposal)]
    cycle_themes = themes.themes_of(proposal.cycle)
    form.theme_ids.choices = [SelectChoice(theme.id, theme.name) for theme in cycle_themes]
    form.theme_icons = {theme.id: theme.icon for theme in cycle_themes}
    if request.method == "GET":
        form.theme_ids.data = [theme.id for theme in proposal.themes]
        form.status.data = proposal.status.value if proposal.status != Status.SUBMITTED else None
        form.final_cost.data = proposal.final_cost or proposal.estimated_cost
    if form.validate_on_submit():
        try:
            proposals.review(current_user, proposal, proposals.Decision(
                Status(form.status.data), form.final_cost.data,
                form.cost_justification.data or "", form.rejection_reason.data or "",
                form.merged_into_id.data, tuple(form.theme_ids.data or ())),
                public_url("public.proposal_page", proposal_id=proposal.id))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Decision saved for “%(title)s”.", title=proposal.title), "success")
            return redirect(url_for("staff.dashboard", cycle_id=proposal.cycle_id))
    status = 422 if form.errors else 200
    return render_template("staff/review.html", form=form, proposal=proposal,
                           cycle=proposal.cycle, absorbed=proposals.absorbed_by(proposal),
                           similar=panel.similar_panel(proposal=proposal)), status


def _cycle_action(cycle_id: int, action, success: str):
    cycle = subjects.cycle(cycle_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, cycle)
    except DomainError as error:
        flash_error(error)
    else:
        flash(success, "success")
    return redirect(url_for("staff.dashboard", cycle_id=cycle.id))


@bp.route("/cycles/<int:cycle_id>/close", methods=["POST"])
def close_vote(cycle_id: int):
    return _cycle_action(cycle_id, cycles.close_vote, _("The vote is closed."))


@bp.route("/cycles/<int:cycle_id>/tally", methods=["POST"])
def run_tally(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    if can(current_user, Action.RUN_TALLY, cycle) and ConfirmForm().validate_on_submit():
        job_id = tally_in_background(cycle)
        if job_id:
            return redirect(url_for("staff.job_page", job_id=job_id))
    return _cycle_action(cycle_id, tally.run_tally,
                         _("The tally is done. Check the preview, then publish it."))


@bp.route("/cycles/<int:cycle_id>/publish", methods=["POST"])
def publish(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.PUBLISH_RESULTS, any_phase=True)
    form = PublishForm()
    run_id = whole_number(form.run_id.data) if form.validate_on_submit() else None
    if run_id is None:
        abort(400)
    try:
        tally.publish(current_user, cycle, run_id, public_url(
            "results.results_page", cycle_id=cycle.id))
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    flash(_("The results are published."), "success")
    return redirect(url_for("results.results_page", cycle_id=cycle.id))
