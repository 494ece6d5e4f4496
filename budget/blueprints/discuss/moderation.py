"""The moderators' pages: the queue of open reports, hiding and restoring a comment,
dismissing a report, blocking an account from commenting."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.discuss.blueprint import bp
from budget.blueprints.discuss.forms import ConfirmForm, ReasonForm
from budget.blueprints.domain_errors import attach_to_form, flash_error
from budget.blueprints.pagination import paginate
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import Comment, CommentBlock, Report
from budget.services import moderation, policy
from budget.services.policy import Action


def _moderated(model, item_id: int):
    """The comment or report, if the person moderates its proposal (404, 403 otherwise)."""
    found = db.session.get(model, item_id) or abort(404)
    if not policy.concerns(current_user, Action.MODERATE, found.proposal.cycle,
                           found.proposal):
        abort(403)
    return found


def _back_to_queue(cycle_id: int):
    return redirect(url_for("discuss.moderation_queue", cycle_id=cycle_id))


@bp.route("/staff/cycles/<int:cycle_id>/moderation")
@login_required
def moderation_queue(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    if not any(policy.concerns(current_user, Action.MODERATE, cycle, envelope)
               for envelope in cycle.envelopes):
        abort(403)
    return render_template("discuss/moderation.html", cycle=cycle,
                           page=paginate(moderation.queue(current_user, cycle)),
                           hidden=moderation.hidden_comments(current_user, cycle),
                           blocks=moderation.blocks_lifted_by(current_user, cycle),
                           confirm_form=ConfirmForm())


def _reason_page(comment: Comment, decide, template: str, done: str):
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            decide(current_user, comment, form.reason.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(done, "success")
            return _back_to_queue(comment.proposal.cycle_id)
    return render_template(template, form=form, comment=comment, proposal=comment.proposal,
                           cycle=comment.proposal.cycle), 422 if form.errors else 200


@bp.route("/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@login_required
def hide_comment(comment_id: int):
    return _reason_page(_moderated(Comment, comment_id), moderation.hide,
                        "discuss/hide.html", _("The comment is hidden."))


@bp.route("/comments/<int:comment_id>/block", methods=["GET", "POST"])
@login_required
def block_author(comment_id: int):
    return _reason_page(_moderated(Comment, comment_id), moderation.block,
                        "discuss/block.html", _("The account can no longer comment here."))


@bp.route("/comments/<int:comment_id>/restore", methods=["POST"])
@login_required
def restore_comment(comment_id: int):
    comment = _moderated(Comment, comment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        moderation.restore(current_user, comment)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The comment is shown again."), "success")
    return _back_to_queue(comment.proposal.cycle_id)


@bp.route("/reports/<int:report_id>/dismiss", methods=["POST"])
@login_required
def dismiss_report(report_id: int):
    found = _moderated(Report, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        moderation.dismiss(current_user, found)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The report is closed; nothing was hidden."), "success")
    return _back_to_queue(found.proposal.cycle_id)


@bp.route("/staff/cycles/<int:cycle_id>/blocks/<int:block_id>/lift", methods=["POST"])
@login_required
def unblock(cycle_id: int, block_id: int):
    cycle = subjects.cycle(cycle_id)
    found = db.session.get(CommentBlock, block_id) or abort(404)
    if not moderation.may_lift(current_user, cycle, found):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    moderation.unblock(current_user, cycle, found)
    flash(_("The account can comment again."), "success")
    return _back_to_queue(cycle.id)
