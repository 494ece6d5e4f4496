from flask import render_template, request
from flask_login import current_user

from budget.blueprints import subjects
from budget.blueprints.domain_errors import flash_error
from budget.blueprints.staff.blueprint import bp
from budget.domain.errors import DomainError
from budget.services import simulation
from budget.services.policy import Action


@bp.route("/cycles/<int:cycle_id>/simulate")
def simulate(cycle_id: int):
    """Compare rules on the closed ballot box (GET: it changes nothing)."""
    cycle = subjects.cycle(cycle_id, Action.SIMULATE, any_phase=True)
    rules = [r for r in request.args.getlist("rule") if r in simulation.comparable_rules(cycle)]
    larger = request.args.get("larger") == "1"
    outcome = None
    if rules or larger:
        try:
            outcome = simulation.simulate(current_user, cycle, rules, larger)
        except DomainError as error:
            flash_error(error)
    return render_template("staff/simulate.html", cycle=cycle, rules=rules, larger=larger,
                           choices=simulation.comparable_rules(cycle), outcome=outcome)
