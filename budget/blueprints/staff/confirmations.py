"""The pages that ask before an irreversible action: closing the vote, publishing results.

The dashboard's buttons are links to these pages (GET, nothing changes); each page says what
will happen and posts to the action itself (staff.close_vote, staff.publish in views.py),
whose service writes the audit entry naming who confirmed."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import flash_error, message_of
from budget.blueprints.proposals.forms import ConfirmForm
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.staff.forms import PublishForm
from budget.domain.errors import DomainError
from budget.services import ballot_box, policy, stored_result, tally
from budget.services.policy import Action


def _cycle_for(cycle_id: int, action: Action):
    """(cycle, True) if the user may do `action` on it now; 404 or 403 when it is not their
    business; (cycle, False) after flashing why not now (the wrong phase): the caller goes
    back to the dashboard."""
    cycle = subjects.cycle(cycle_id, action, any_phase=True)
    try:
        policy.check(current_user, action, cycle)
    except DomainError as error:
        flash_error(error)
        return cycle, False
    return cycle, True


@bp.get("/cycles/<int:cycle_id>/close")
def confirm_close_vote(cycle_id: int):
    cycle, allowed = _cycle_for(cycle_id, Action.CLOSE_VOTE)
    if not allowed:
        return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    # The turnout so far, never shown during the vote otherwise: whoever closes should know it.
    return render_template("staff/confirm_close.html", cycle=cycle,
                           ballots=ballot_box.count(cycle), form=ConfirmForm())


@bp.get("/cycles/<int:cycle_id>/publish")
def confirm_publish(cycle_id: int):
    cycle, allowed = _cycle_for(cycle_id, Action.PUBLISH_RESULTS)
    run = tally.latest_run(cycle) if allowed else None
    if allowed and run is None:
        flash(_("Run the tally first: there is nothing to publish yet."), "error")
    if run is None:
        return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    refusal = tally.publishable(cycle, run)
    form = PublishForm()
    form.run_id.data = run.id
    return render_template("staff/confirm_publish.html", cycle=cycle, run=run,
                           result=stored_result.read(run.result),
                           not_publishable=refusal and message_of(refusal), form=form)
