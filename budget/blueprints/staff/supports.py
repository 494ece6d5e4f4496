"""Closing the supports phase: a page that says what will happen (GET, nothing changes),
and the action it posts to (services/support_close.py)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from budget.blueprints.domain_errors import flash_error
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.staff.confirmations import _cycle_for
from budget.domain.errors import DomainError
from budget.links import public_url
from budget.services import support_close
from budget.services.policy import Action


def _open_for_closing(cycle_id: int):
    """The cycle, when its supports phase may be closed now; None after flashing why not."""
    cycle, allowed = _cycle_for(cycle_id, Action.CLOSE_SUPPORTS)
    if allowed and cycle.supports_start is None:
        flash(_("This cycle has no supports phase."), "error")
        allowed = False
    elif allowed and cycle.supports_closed_at is not None:
        flash(_("The supports phase of this cycle is already closed."), "error")
        allowed = False
    return cycle, allowed


@bp.get("/cycles/<int:cycle_id>/supports/close")
def confirm_close_supports(cycle_id: int):
    cycle, allowed = _open_for_closing(cycle_id)
    if not allowed:
        return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    return render_template("staff/confirm_close_supports.html", cycle=cycle,
                           verdict=support_close.preview(cycle),
                           threshold=support_close.describe(cycle.threshold),
                           form=ConfirmForm())


@bp.post("/cycles/<int:cycle_id>/supports/close")
def close_supports(cycle_id: int):
    cycle, _allowed = _cycle_for(cycle_id, Action.CLOSE_SUPPORTS)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        verdict = support_close.close(
            current_user, cycle,
            lambda proposal: public_url("public.proposal_page", proposal_id=proposal.id))
    except DomainError as error:
        flash_error(error)
    else:
        flash(ngettext("The supports phase is closed: %(num)d proposal was not kept.",
                       "The supports phase is closed: %(num)d proposals were not kept.",
                       len(verdict.left_out)), "success")
    return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
