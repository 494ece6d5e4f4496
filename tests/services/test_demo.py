from sqlalchemy import func, select

from budget.domain.phases import Phase
from budget.extensions import db
from budget.models import Ballot, BudgetCycle, Commune, Participation, Proposal, User
from budget.services.demo import load_demo
from budget.services.voting import ballot_sections
from budget.domain.ballot_rules import check_ballot


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_is_complete_and_loading_it_twice_duplicates_nothing(session):
    load_demo(ballot_count=40)
    first = {model: count(model) for model in (Commune, User, BudgetCycle, Proposal, Ballot,
                                               Participation)}
    assert load_demo(ballot_count=40).created == []
    assert {model: count(model) for model in first} == first
    assert first[Commune] == 10 and first[Ballot] == 40 and first[Participation] == 40
    assert first[BudgetCycle] == 2
    phases = {c.title: c.phase() for c in db.session.scalars(select(BudgetCycle))}
    assert phases == {"Budget participatif 2026": Phase.VOTE,
                      "Budget participatif 2027": Phase.PROPOSALS}


def test_demo_ballots_follow_the_ballot_rules(session):
    load_demo(ballot_count=60)
    cycle = db.session.scalar(select(BudgetCycle).where(BudgetCycle.title.contains("2026")))
    for ballot in db.session.scalars(select(Ballot)):
        sections = ballot_sections(cycle, ballot.commune_id)
        selected = [s.proposal_id for s in ballot.selections]
        assert check_ballot(cycle.ballot_format, [s.as_domain() for s in sections],
                            selected) == []
