"""The staff's side of a delivered project's evaluation: its page (the indicators, the
evaluation text to publish, the answers' comments to hide or restore) and the moderators'
decisions on an answer's comment."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.discuss.forms import ConfirmForm, ReasonForm
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.evaluation.blueprint import bp
from budget.blueprints.evaluation.forms import EvaluationTextForm
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import EvaluationAnswer, ProjectTracking
from budget.services import evaluation, evaluation_moderation, evaluation_read, policy
from budget.services import tracking_read
from budget.services.policy import Action


def _staff_record(proposal_id: int) -> ProjectTracking:
    """The winner's tracking record (404 without one), if its evaluation is the person's to
    publish in some phase (403 otherwise)."""
    proposal = subjects.proposal(proposal_id)
    record = tracking_read.of_proposal(proposal) or abort(404)
    if not policy.concerns(current_user, Action.PUBLISH_EVALUATION, record.cycle, proposal):
        abort(403)
    return record


def _back(record: ProjectTracking):
    return redirect(url_for("evaluation.staff_page", proposal_id=record.proposal_id))


@bp.route("/staff/proposals/<int:proposal_id>/evaluation", methods=["GET", "POST"])
@login_required
def staff_page(proposal_id: int):
    record = _staff_record(proposal_id)
    published = evaluation.text_of(record)
    form = EvaluationTextForm(data={"body": published.body} if published else None)
    if form.validate_on_submit():
        try:
            evaluation.publish_text(current_user, record, form.body.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The evaluation is published."), "success")
            return _back(record)
    return render_template(
        "evaluation/staff.html", form=form, record=record, proposal=record.proposal,
        cycle=record.cycle, published=published,
        indicators=evaluation_read.of_project(record),
        answers=evaluation_read.answers_with_comments(record), confirm=ConfirmForm()), \
        422 if form.errors else 200


def _moderated(answer_id: int) -> EvaluationAnswer:
    """The answer, if the person moderates its project (404, 403 otherwise)."""
    found = db.session.get(EvaluationAnswer, answer_id) or abort(404)
    tracking = found.tracking
    if not policy.concerns(current_user, Action.MODERATE, tracking.cycle, tracking.proposal):
        abort(403)
    return found


@bp.route("/evaluation-answers/<int:answer_id>/hide", methods=["GET", "POST"])
@login_required
def hide_answer(answer_id: int):
    found = _moderated(answer_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            evaluation_moderation.hide(current_user, found, form.reason.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The comment is hidden."), "success")
            return _back(found.tracking)
    return render_template("evaluation/hide.html", form=form, answer=found,
                           proposal=found.tracking.proposal, cycle=found.tracking.cycle), \
        422 if form.errors else 200


@bp.route("/evaluation-answers/<int:answer_id>/restore", methods=["POST"])
@login_required
def restore_answer(answer_id: int):
    found = _moderated(answer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        evaluation_moderation.restore(current_user, found)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The comment is shown again."), "success")
    return _back(found.tracking)
