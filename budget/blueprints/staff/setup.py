"""Staff set up budget cycles: the list of their territory's cycles, create, edit."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.staff import bp
from budget.blueprints.staff.setup_forms import cycle_form
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import Intercommunality
from budget.services import cycle_setup, cycles, policy
from budget.services.policy import Action, can


@bp.route("/cycles")
def cycle_list():
    territories = [(territory, cycle_setup.cycles_of(current_user, territory))
                   for territory in cycle_setup.territories_for(current_user)]
    return render_template("staff/cycles.html", territories=territories)


@bp.route("/territories/<int:intercommunality_id>/cycles/new", methods=["GET", "POST"])
def new_cycle(intercommunality_id: int):
    territory = db.session.get(Intercommunality, intercommunality_id) or abort(404)
    if not policy.can_create_cycle(current_user, territory):
        abort(403)
    form = cycle_form(territory.communes)
    if form.fill.data:
        form.fill_communes(territory.communes)
    elif form.validate_on_submit():
        try:
            cycle = cycle_setup.create_cycle(current_user, territory,
                                             form.draft(territory.communes))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The cycle “%(title)s” is created.", title=cycle.title), "success")
            return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    return _page(form, territory, None)


@bp.route("/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
def edit_cycle(cycle_id: int):
    cycle = cycles.get_cycle(cycle_id) or abort(404)
    if not can(current_user, Action.MANAGE_CYCLE, cycle):
        abort(403)
    communes = cycle.intercommunality.communes
    form = cycle_form(communes, obj=cycle if request.method == "GET" else None)
    if request.method == "GET":
        form.show(cycle)
    if form.fill.data:
        form.fill_communes(communes)
    elif form.validate_on_submit():
        try:
            cycle_setup.update_cycle(current_user, cycle, form.draft(communes))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The cycle “%(title)s” is saved.", title=cycle.title), "success")
            return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    return _page(form, cycle.intercommunality, cycle)


def _page(form, territory, cycle):
    status = 422 if form.errors else 200
    return render_template("staff/cycle_form.html", form=form, territory=territory, cycle=cycle,
                           communes=form.commune_fields(territory.communes)), status
