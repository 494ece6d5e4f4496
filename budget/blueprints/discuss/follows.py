"""Following a proposal: the buttons of its page and of the account page, and the one-click
unfollow link of the digest emails (GET asks, POST unfollows: nothing changes on a GET)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.discuss.blueprint import bp
from budget.blueprints.discuss.forms import ConfirmUnfollowForm, FollowForm
from budget.blueprints.domain_errors import flash_error, message_of
from budget.domain.errors import DomainError
from budget.extensions import db, limiter
from budget.blueprints.navigation import safe_next_url
from budget.models import Proposal
from budget.services import follows


def _back(proposal):
    return redirect(safe_next_url(request.form.get("next"))
                    if request.form.get("next") else
                    url_for("public.proposal_page", proposal_id=proposal.id, _anchor="follow"))


@bp.route("/proposals/<int:proposal_id>/follow", methods=["POST"])
@login_required
def follow(proposal_id: int):
    proposal = subjects.readable_proposal(proposal_id)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        follows.follow(current_user, proposal, form.with_comments.data)
    except DomainError as error:
        flash_error(error)
        return _back(proposal)
    flash(_("You follow this proposal: its news will come by email, once a day at most."),
          "success")
    return _back(proposal)


@bp.route("/proposals/<int:proposal_id>/unfollow", methods=["POST"])
@login_required
def unfollow(proposal_id: int):
    """One's follow is always undone, even of a proposal one may no longer read (rejected
    since, before the vote): the account page lists it."""
    proposal = db.session.get(Proposal, proposal_id) or abort(404)
    if follows.of(current_user, proposal) is None:
        proposal = subjects.readable_proposal(proposal_id)
    if not FollowForm().validate_on_submit():
        abort(400)
    if follows.unfollow(current_user, proposal):
        flash(_("You no longer follow this proposal."), "success")
    return _back(proposal)


@bp.route("/unfollow/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def unfollow_link(token: str):
    """The link of the digest emails: works without signing in; the signed token names the
    follow it undoes, and can do nothing else."""
    form = ConfirmUnfollowForm()
    try:
        proposal = follows.proposal_of_token(token)
    except DomainError as error:
        return render_template("discuss/unfollow.html", error=message_of(error), form=form,
                               proposal=None, done=False), 400
    if form.validate_on_submit():
        try:
            follows.unfollow_by_token(token)
        except DomainError as error:
            return render_template("discuss/unfollow.html", error=message_of(error), form=form,
                                   proposal=proposal, done=False), 400
        return render_template("discuss/unfollow.html", error=None, form=form,
                               proposal=proposal, done=True)
    status = 400 if request.method == "POST" else 200
    return render_template("discuss/unfollow.html", error=None, form=form, proposal=proposal,
                           done=False), status
