"""Before the ballot: the voter answers the cycle's questions on who may vote."""
from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from budget.blueprints.domain_errors import attach_to_form
from budget.blueprints.vote.blueprint import bp
from budget.blueprints.vote.forms import EligibilityForm
from budget.blueprints.rate_keys import account_key
from budget.blueprints.vote.views import cycle_open_to_voter
from budget.domain.eligibility import Declaration
from budget.domain.errors import DomainError
from budget.extensions import limiter
from budget.services import eligibility, provider_accounts


@bp.route("/cycles/<int:cycle_id>/vote/eligibility", methods=["GET", "POST"])
@login_required
# Per voter, like ballots: guessing census identities or codes takes many tries.
@limiter.limit("10 per minute;50 per day", methods=["POST"], key_func=account_key)
def eligibility_page(cycle_id: int):
    cycle, refusal = cycle_open_to_voter(cycle_id, declared=False)
    if refusal:
        return refusal
    if not eligibility.needs_declaration(current_user, cycle):
        return redirect(url_for("vote.ballot", cycle_id=cycle.id))
    form = EligibilityForm()
    if form.validate_on_submit():
        declaration = Declaration(birth_date=form.birth_date.data,
                                  sworn_residence=form.sworn_residence.data)
        try:
            eligibility.declare(current_user, cycle, declaration,
                                identifier=form.identifier.data or "",
                                code=form.code.data or "")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return redirect(url_for("vote.ballot", cycle_id=cycle.id))
    status = 422 if form.errors or form.form_errors else 200
    certified = provider_accounts.identity_of(current_user)
    return render_template("vote/eligibility.html", cycle=cycle, form=form,
                           rules=cycle.eligibility_rules, certified=certified), status
