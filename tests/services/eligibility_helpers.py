"""What the eligibility service tests share: a census file, cycles with rules, a valid ballot."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from budget.domain.eligibility import Declaration, EligibilityRules, Proof
from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Proposal
from budget.services import census, eligibility
from tests import factories

CENSUS = ("identifiant;date_de_naissance\n"
          "NORD-1;02/03/1980\nNORD-2;15/06/1975\nNORD-3;01/01/2000\n").encode()
BIRTH = date(1980, 3, 2)


def cycle_with(w, proof=Proof.NONE, phase=Phase.VOTE, **rules):
    """A cycle of CC Test with these rules, and a park on Nordville's ballot."""
    cycle = factories.cycle(w, phase)
    cycle.eligibility = EligibilityRules(proof=proof, **rules).as_params()
    factories.project(cycle, w.north, "Parc", 5_000, w.users["bob"])
    db.session.commit()
    return cycle


def census_cycle(w):
    """A census cycle in its vote, whose Nordville list has NORD-1 to NORD-3."""
    cycle = cycle_with(w, Proof.CENSUS)
    census.import_census(w.users["northclerk"], cycle, w.north, CENSUS)
    return cycle


def park(cycle) -> list[int]:
    """A valid ballot of Nordville: its park."""
    return [db.session.scalar(select(Proposal.id).where(Proposal.cycle_id == cycle.id,
                                                        Proposal.title == "Parc"))]


def declare(user, cycle, birth=None, sworn=False, identifier="", code=""):
    return eligibility.declare(user, cycle, Declaration(birth, sworn), identifier, code)


def count(model, cycle) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.cycle_id == cycle.id))
