"""During the vote, staff record that an identified person voted on paper (census identity or
access code), so that the same identity cannot also vote online."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.staff.blueprint import bp
from budget.blueprints.staff.eligibility_forms import PaperVoterForm
from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import Commune
from budget.services import paper_voters
from budget.services.policy import Action


@bp.route("/cycles/<int:cycle_id>/paper-voters", methods=["GET", "POST"])
def paper_voter(cycle_id: int):
    cycle = subjects.cycle(cycle_id)
    form = PaperVoterForm()
    subjects.communes_offered(cycle, Action.RECORD_PAPER_VOTER, form.commune)
    if form.validate_on_submit():
        commune = db.session.get(Commune, form.commune.data)
        try:
            paper_voters.record_paper_voter(current_user, cycle, commune,
                                            identifier=form.identifier.data or "",
                                            birth_date=form.birth_date.data,
                                            code=form.code.data or "")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_("Recorded: this person voted on paper in %(commune)s. Their identity can "
                    "no longer be used online.", commune=commune.name), "success")
            return redirect(url_for("staff.paper_voter", cycle_id=cycle.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("staff/paper_voter.html", cycle=cycle, form=form,
                           proof=cycle.eligibility_rules.proof.value), status
