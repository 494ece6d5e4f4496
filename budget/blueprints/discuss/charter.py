"""The charter of participation of a cycle: public, and written by its staff."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from budget.blueprints import subjects
from budget.blueprints.discuss.blueprint import bp
from budget.blueprints.discuss.forms import CharterForm
from budget.blueprints.domain_errors import attach_to_form
from budget.domain.errors import DomainError
from budget.services import discussion, moderation
from budget.services.policy import Action


@bp.route("/cycles/<int:cycle_id>/charter")
def charter(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    return render_template("discuss/charter.html", cycle=cycle,
                           charter=discussion.charter_text(cycle))


@bp.route("/staff/cycles/<int:cycle_id>/charter", methods=["GET", "POST"])
@login_required
def edit_charter(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.EDIT_CHARTER)
    form = CharterForm()
    if request.method == "GET":
        form.body.data = discussion.charter_text(cycle)
    if form.validate_on_submit():
        try:
            moderation.save_charter(current_user, cycle, form.body.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The charter is published."), "success")
            return redirect(url_for("discuss.charter", cycle_id=cycle.id))
    return render_template("discuss/charter_form.html", form=form, cycle=cycle), \
        422 if form.errors else 200
