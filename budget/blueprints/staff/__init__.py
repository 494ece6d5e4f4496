from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
@login_required
def _staff_only():
    if not current_user.is_staff:
        abort(403)


from budget.blueprints.staff import (  # noqa: E402,F401  (routes register on import)
    admin, confirmations, eligibility, jobs, paper, paper_voters, setup, simulation, turnout,
    views)
