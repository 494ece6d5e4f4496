"""The council's adoption of the published results: staff record it (services/adoption.py)."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.staff.adoption_forms import COMMUNITY, AdoptionForm
from budget.blueprints.staff.blueprint import bp
from budget.domain.adoption import Outcome
from budget.domain.errors import DomainError
from budget.services import adoption
from budget.templating import council_name


@bp.route("/cycles/<int:cycle_id>/adoption", methods=["GET", "POST"])
def record_adoption(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    councils = adoption.bodies(current_user, cycle)
    if not councils:
        abort(403)
    form = AdoptionForm()
    form.body.choices = [(COMMUNITY if c is None else str(c.id), council_name(c))
                         for c in councils]
    status = 200
    if cycle.published_run is None:
        status = 409
    elif form.validate_on_submit():
        data = None
        if form.pdf.data:
            # One byte more than allowed is enough for the service to refuse a file too large.
            data = form.pdf.data.stream.read(current_app.config["MAX_DELIBERATION_BYTES"] + 1)
        draft = adoption.AdoptionDraft(
            commune_id=None if form.body.data == COMMUNITY else int(form.body.data),
            session_date=form.session_date.data,
            deliberation_number=form.deliberation_number.data,
            outcome=Outcome(form.outcome.data))
        try:
            adoption.record_adoption(current_user, cycle, draft, data or None)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("The council's decision is recorded."), "success")
            return redirect(url_for("results.results_page", cycle_id=cycle.id,
                                    _anchor="adoption"))
    if form.errors:
        status = 422
    return render_template("staff/adoption.html", cycle=cycle, form=form,
                           adoptions=adoption.adoptions_of(cycle.published_run)), status
