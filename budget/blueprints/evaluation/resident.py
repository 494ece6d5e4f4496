"""What residents do with a delivered project: answer its evaluation (once per account), and
report an answer's comment to the moderators."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.discuss.forms import ReasonForm
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.evaluation.blueprint import bp
from budget.blueprints.evaluation.forms import AnswerForm
from budget.blueprints.rate_keys import account_key
from budget.domain.errors import DomainError
from budget.extensions import db, limiter
from budget.models import EvaluationAnswer, ProjectTracking
from budget.services import evaluation, evaluation_moderation, policy, tracking_read
from budget.services.policy import Action

REPORT_LIMIT = "10 per hour;30 per day"  # as the discussion's reports


def _delivered_record(proposal_id: int) -> ProjectTracking:
    """The winner's tracking record (404 without one), if evaluating it is the person's
    business in some phase or state (403 otherwise)."""
    proposal = subjects.readable_proposal(proposal_id)
    record = tracking_read.of_proposal(proposal) or abort(404)
    if not policy.concerns(current_user, Action.EVALUATE_PROJECT, record.cycle, proposal):
        abort(403)
    return record


def _project_page(record: ProjectTracking):
    return redirect(url_for("public.proposal_page", proposal_id=record.proposal_id,
                            _anchor="evaluation"))


@bp.route("/proposals/<int:proposal_id>/evaluation", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"], key_func=account_key)
def answer(proposal_id: int):
    """The answer form (also on the project's page); 422 with the errors beside the fields."""
    record = _delivered_record(proposal_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            evaluation.answer(current_user, record, form.usage.data, form.usefulness.data,
                              form.comment.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Thank you: your answer is recorded."), "success")
            return _project_page(record)
    return render_template("evaluation/answer.html", form=form, record=record,
                           proposal=record.proposal, cycle=record.cycle,
                           answered=evaluation.answer_of(current_user, record),
                           may_answer=evaluation.may_answer(current_user, record)), \
        422 if form.errors else 200


def readable_answer(answer_id: int) -> EvaluationAnswer:
    """An answer with a comment, about a project the person may read (404 otherwise)."""
    found = db.session.get(EvaluationAnswer, answer_id) or abort(404)
    if found.comment is None:
        abort(404)
    subjects.readable_proposal(found.tracking.proposal_id)
    return found


@bp.route("/evaluation-answers/<int:answer_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(REPORT_LIMIT, methods=["POST"], key_func=account_key)
def report_answer(answer_id: int):
    found = readable_answer(answer_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            evaluation_moderation.report(current_user, found, form.reason.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Thank you: the moderators will look at your report."), "success")
            return _project_page(found.tracking)
    return render_template("evaluation/report.html", form=form, answer=found,
                           proposal=found.tracking.proposal, cycle=found.tracking.cycle), \
        422 if form.errors else 200
