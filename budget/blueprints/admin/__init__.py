from flask import Blueprint, abort
from flask_login import current_user, login_required

from budget.services.policy import administers

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not administers(current_user):
        abort(403)


from budget.blueprints.admin import people, views  # noqa: E402,F401  (routes register on import)
