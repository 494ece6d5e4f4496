"""The editions of an intercommunalité's participatory budget, side by side (public)."""
from flask import abort, render_template

from budget.blueprints.public.blueprint import bp
from budget.extensions import db
from budget.models import Intercommunality
from budget.read_replica import replica_readable
from budget.services.editions import editions
from budget.services.evaluation_read import of_cycles


@bp.route("/intercommunalities/<int:intercommunality_id>/editions")
@replica_readable
def editions_page(intercommunality_id: int):
    territory = db.session.get(Intercommunality, intercommunality_id) or abort(404)
    found = editions(territory)
    return render_template("public/editions.html", territory=territory, editions=found,
                           top_ballots=max((e.ballots for e in found), default=0),
                           top_money=max((e.amount for e in found), default=0),
                           evaluations=of_cycles(e.cycle_id for e in found))
