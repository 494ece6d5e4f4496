"""The `admin` Blueprint; its routes are in the modules that __init__.py lists."""
from flask import Blueprint, abort
from flask_login import current_user, login_required

from budget.services.policy import administers

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not administers(current_user):
        abort(403)
