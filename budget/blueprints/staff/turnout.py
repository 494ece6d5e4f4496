"""Turnout during the vote, on the staff dashboard: this route serves the panel alone, so that
static/turnout.js can refresh it; the dashboard includes it at page load (no JavaScript
needed)."""
from flask import abort, render_template
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.staff.blueprint import bp
from budget.domain.errors import WrongPhase
from budget.models.time import utcnow
from budget.services import turnout
from budget.services.policy import Action

REFRESH_SECONDS = 30


@bp.route("/cycles/<int:cycle_id>/turnout")
def turnout_panel(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.SEE_TURNOUT, any_phase=True)
    try:
        shown = turnout.turnout(current_user, cycle)
    except WrongPhase:
        abort(409)  # the script stops asking: the vote is over and its results are out
    return render_template("staff/_turnout.html", cycle=cycle, **panel_context(shown))


def panel_context(shown: turnout.Turnout) -> dict:
    """What staff/_turnout.html needs besides the cycle."""
    return {"turnout": shown, "refresh_seconds": REFRESH_SECONDS, "updated_at": utcnow(),
            "small_count": turnout.SMALL_COUNT}
