"""Comments and replies under a proposal, their correction, and reports of abuse."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.discuss.blueprint import bp
from budget.blueprints.discuss.forms import CommentForm, EditCommentForm, ReasonForm
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.rate_keys import account_key
from budget.domain.errors import DomainError
from budget.extensions import db, limiter
from budget.links import public_url
from budget.models import Comment
from budget.services import reading
from budget.services import discussion, moderation, policy
from budget.services.policy import Action

# Per account: enough to hold a conversation, not to flood one.
COMMENT_LIMIT = "5 per minute;60 per day"
REPORT_LIMIT = "10 per hour;30 per day"


def readable_comment(comment_id: int) -> Comment:
    """The comment, if the person may read its proposal's discussion (404 otherwise)."""
    found = db.session.get(Comment, comment_id) or abort(404)
    if not reading.may_read_comments(current_user, found.proposal):
        abort(404)
    return found


def _may_comment_on(proposal) -> None:
    """403 unless commenting on `proposal` is the person's business (some phase)."""
    if not policy.concerns(current_user, Action.COMMENT, proposal.cycle, proposal):
        abort(403)


def _page_of(proposal) -> str:
    return public_url("public.proposal_page", proposal_id=proposal.id)


def _posted(proposal, form, parent=None):
    """Post the form's comment; its page again (422) with the errors if refused."""
    try:
        comment = discussion.post(current_user, proposal, form.body.data,
                                  form.accept_charter.data, parent, _page_of(proposal))
    except DomainError as error:
        attach_to_form(form, error)
        return None
    flash(_("Your comment is published."), "success")
    return redirect(url_for("public.proposal_page", proposal_id=proposal.id,
                            _anchor=f"comment-{comment.id}"))


def _form_page(proposal, form, parent=None):
    return render_template(
        "discuss/comment_form.html", form=form, proposal=proposal, cycle=proposal.cycle,
        parent=parent, charter=discussion.charter_text(proposal.cycle),
        first_comment=not discussion.has_accepted_charter(current_user, proposal.cycle)), \
        422 if form.errors else 200


@bp.route("/proposals/<int:proposal_id>/comments", methods=["POST"])
@login_required
@limiter.limit(COMMENT_LIMIT, methods=["POST"], key_func=account_key)
def post_comment(proposal_id: int):
    proposal = subjects.readable_proposal(proposal_id)
    _may_comment_on(proposal)
    form = CommentForm()
    if form.validate_on_submit():
        done = _posted(proposal, form)
        if done:
            return done
    return _form_page(proposal, form)


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
@limiter.limit(COMMENT_LIMIT, methods=["POST"], key_func=account_key)
def reply(comment_id: int):
    parent = readable_comment(comment_id)
    proposal = parent.proposal
    _may_comment_on(proposal)
    form = CommentForm()
    if form.validate_on_submit():
        done = _posted(proposal, form, parent)
        if done:
            return done
    return _form_page(proposal, form, parent)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment = readable_comment(comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    form = EditCommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            discussion.edit(current_user, comment, form.body.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Your comment is corrected."), "success")
            return redirect(url_for("public.proposal_page", proposal_id=comment.proposal_id,
                                    _anchor=f"comment-{comment.id}"))
    return render_template("discuss/edit.html", form=form, comment=comment,
                           proposal=comment.proposal, cycle=comment.proposal.cycle,
                           editable=discussion.editable(current_user, comment)), \
        422 if form.errors else 200


def _report_page(proposal, comment=None):
    if not policy.concerns(current_user, Action.REPORT, proposal.cycle, proposal):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            moderation.report(current_user, proposal, form.reason.data, comment)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Thank you: the moderators will look at your report."), "success")
            return redirect(url_for("public.proposal_page", proposal_id=proposal.id))
    return render_template("discuss/report.html", form=form, proposal=proposal,
                           comment=comment, cycle=proposal.cycle), 422 if form.errors else 200


@bp.route("/proposals/<int:proposal_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(REPORT_LIMIT, methods=["POST"], key_func=account_key)
def report_proposal(proposal_id: int):
    return _report_page(subjects.readable_proposal(proposal_id))


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(REPORT_LIMIT, methods=["POST"], key_func=account_key)
def report_comment(comment_id: int):
    comment = readable_comment(comment_id)
    return _report_page(comment.proposal, comment)
