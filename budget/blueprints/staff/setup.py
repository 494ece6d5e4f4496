"""Staff set up budget cycles: the list of their territory's cycles, create, edit."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.numbers import bounded_int
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.staff.setup_forms import EnvelopeForm, cycle_form
from budget.domain.errors import DomainError
from budget.services import cycle_setup
from budget.services.policy import Action
from budget.templating import envelope_label


@bp.route("/cycles")
def cycle_list():
    territories = [(territory, cycle_setup.cycles_of(current_user, territory))
                   for territory in cycle_setup.territories_for(current_user)]
    return render_template("staff/cycles.html", territories=territories)


@bp.route("/territories/<int:intercommunality_id>/cycles/new", methods=["GET", "POST"])
def new_cycle(intercommunality_id: int):
    """A new intercommunal cycle, or with ?commune=ID that commune's own cycle."""
    territory, commune = subjects.place_of_new_cycle(
        intercommunality_id, request.args.get("commune", type=bounded_int))
    communes = [commune] if commune else territory.communes
    form = cycle_form(communes, commune_cycle=commune is not None)
    if form.fill and form.fill.data:
        form.fill_communes(communes)
    elif form.validate_on_submit():
        try:
            cycle = cycle_setup.create_cycle(current_user, territory, form.draft(communes),
                                             commune)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The cycle “%(title)s” is created.", title=cycle.title), "success")
            return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    return _page(form, territory, None, communes)



@bp.route("/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
def edit_cycle(cycle_id: int):
    cycle = subjects.cycle(cycle_id, Action.MANAGE_CYCLE)
    communes = [cycle.commune] if cycle.commune else cycle.intercommunality.communes
    form = cycle_form(communes, commune_cycle=cycle.is_commune_cycle,
                      obj=cycle if request.method == "GET" else None)
    if request.method == "GET":
        form.show(cycle)
    if form.fill and form.fill.data:
        form.fill_communes(communes)
    elif form.validate_on_submit():
        try:
            cycle_setup.update_cycle(current_user, cycle, form.draft(communes))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The cycle “%(title)s” is saved.", title=cycle.title), "success")
            return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    return _page(form, cycle.intercommunality, cycle, communes)


def _page(form, territory, cycle, communes):
    status = 422 if form.errors else 200
    return render_template("staff/cycle_form.html", form=form, territory=territory, cycle=cycle,
                           communes=form.commune_fields(communes)), status


@bp.route("/cycles/<int:cycle_id>/envelopes/<int:envelope_id>", methods=["GET", "POST"])
def edit_envelope(cycle_id: int, envelope_id: int):
    """A commune's part of a cycle: its envelope's amount and ballot limits."""
    cycle = subjects.cycle(cycle_id)
    envelope = subjects.envelope(cycle, envelope_id, Action.CONFIGURE_ENVELOPE)
    form = EnvelopeForm(obj=envelope if request.method == "GET" else None)
    if request.method == "GET":
        for name, value in cycle.format_for(envelope).as_params().items():
            if name in form:
                form[name].data = value
        form.own_limits.data = bool(envelope.vote_params)
    if form.validate_on_submit():
        limits = form.limits(cycle.vote_format) if form.own_limits.data else {}
        try:
            cycle_setup.configure_envelope(current_user, envelope, form.amount.data, limits)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The envelope “%(name)s” is saved.", name=envelope_label(envelope)),
                  "success")
            return redirect(url_for("staff.dashboard", cycle_id=cycle.id))
    return render_template("staff/envelope_form.html", form=form, cycle=cycle,
                           envelope=envelope, limits=cycle_setup.LIMITS[cycle.vote_format]), \
        422 if form.errors else 200
