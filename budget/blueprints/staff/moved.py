"""Admin pages that moved from /staff to /admin: old bookmarks still lead there."""
from flask import redirect, request, url_for

from budget.blueprints.staff.blueprint import bp


@bp.route("/territories")
def old_territory_list():
    return redirect(url_for("admin.territory_list"), 301)


@bp.route("/accounts")
def old_account_list():
    return redirect(url_for("admin.account_list", **request.args), 301)


@bp.route("/accounts/<int:user_id>")
def old_account_role(user_id: int):
    return redirect(url_for("admin.account_role", user_id=user_id), 301)
