"""Supporting a proposal during the supports phase, and withdrawing the support."""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.domain_errors import flash_error
from budget.blueprints.proposals.blueprint import bp
from budget.blueprints.proposals.forms import ConfirmForm
from budget.domain.errors import DomainError
from budget.services import supports
from budget.services.policy import Action


def _act(proposal_id: int, change, done: str):
    proposal = subjects.proposal(proposal_id, Action.SUPPORT, any_phase=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change(current_user, proposal)
    except DomainError as error:
        flash_error(error)
    else:
        flash(done, "success")
    return redirect(url_for("public.proposal_page", proposal_id=proposal.id,
                            _anchor="supports"))


@bp.route("/proposals/<int:proposal_id>/support", methods=["POST"])
@login_required
def support(proposal_id: int):
    return _act(proposal_id, supports.support, _("You support this proposal."))


@bp.route("/proposals/<int:proposal_id>/support/withdraw", methods=["POST"])
@login_required
def withdraw_support(proposal_id: int):
    return _act(proposal_id, supports.withdraw, _("Your support has been withdrawn."))
