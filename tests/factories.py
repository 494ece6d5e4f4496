"""Small builders for test data: a territory of two intercommunalités, people in each role,
and a budget cycle placed in the phase a test needs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from werkzeug.security import generate_password_hash

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.extensions import db
from budget.models import (BudgetCycle, Commune, Envelope, Intercommunality, Proposal, Role,
                           User)
from budget.models.time import utcnow

PASSWORD = "correct horse battery"
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

# Days from now at which each phase starts, so that the cycle is in the phase named.
PHASE_OFFSETS = {
    Phase.UPCOMING: (5, 10, 20, 30),
    Phase.PROPOSALS: (-5, 10, 20, 30),
    Phase.SUPPORTS: (-10, 10, 20, 30),  # with supports open 5 days ago (SUPPORTS_OFFSET)
    Phase.REVIEW: (-20, -5, 10, 20),
    Phase.VOTE: (-30, -20, -5, 10),
    Phase.COUNTING: (-40, -30, -20, -5),
}
SUPPORTS_OFFSET = -5  # days: when a cycle made in the supports phase opened its supports


@dataclass
class World:
    epci: Intercommunality
    north: Commune
    south: Commune
    elsewhere: Commune  # a commune of another intercommunalité
    users: dict[str, User] = field(default_factory=dict)


def user(email: str, commune: Commune | None, role: Role = Role.CITIZEN,
         verified: bool = True) -> User:
    """Someone living in `commune`; staff and council work there too (commune staff for the
    commune, the others for its intercommunalité)."""
    person = User(email=email, password_hash=_HASH, display_name=email.split("@")[0],
                  role=role, home_commune_id=commune.id if commune else None,
                  email_verified_at=utcnow() if verified else None)
    if role == Role.COMMUNE_STAFF:
        person.works_for_commune_id = commune.id
    elif role in (Role.STAFF, Role.COUNCIL):
        person.works_for_intercommunality_id = commune.intercommunality_id
    db.session.add(person)
    db.session.commit()  # a use case must find nothing pending (begin_write_transaction)
    return person


def world() -> World:
    epci = Intercommunality(name="CC Test", siren="200000001")
    other = Intercommunality(name="CC Ailleurs", siren="200000002")
    north = Commune(intercommunality=epci, name="Nordville", insee_code="99001", population=1000)
    south = Commune(intercommunality=epci, name="Sudville", insee_code="99002", population=3000)
    elsewhere = Commune(intercommunality=other, name="Loinville", insee_code="99003",
                        population=500)
    db.session.add_all([epci, other, north, south, elsewhere])
    db.session.flush()
    result = World(epci, north, south, elsewhere)
    for name, commune, role in [
        ("alice", north, Role.CITIZEN), ("bob", south, Role.CITIZEN),
        ("zoe", elsewhere, Role.CITIZEN), ("staff", north, Role.STAFF),
        ("council", south, Role.COUNCIL), ("admin", None, Role.ADMIN),
        ("otherstaff", elsewhere, Role.STAFF), ("northclerk", north, Role.COMMUNE_STAFF),
        ("southclerk", south, Role.COMMUNE_STAFF), ("othercouncil", elsewhere, Role.COUNCIL),
    ]:
        result.users[name] = user(f"{name}@example.fr", commune, role)
    db.session.commit()
    return result


def cycle(w: World, phase: Phase = Phase.PROPOSALS, vote_format: str = "approval",
          vote_params: dict | None = None, amounts=(100_000, 10_000, 30_000),
          rule: str = "greedy") -> BudgetCycle:
    """A cycle with an intercommunal envelope and one per commune (north, south)."""
    now = utcnow()
    starts = [now + timedelta(days=d) for d in PHASE_OFFSETS[phase]]
    budget_cycle = BudgetCycle(
        intercommunality=w.epci, title="Budget test", description="",
        proposals_start=starts[0], review_start=starts[1], vote_start=starts[2],
        vote_end=starts[3], vote_format=vote_format,
        supports_start=(now + timedelta(days=SUPPORTS_OFFSET) if phase == Phase.SUPPORTS
                        else None),
        vote_params=vote_params if vote_params is not None else {"max_choices": 2},
        tally_rule=rule)
    db.session.add(budget_cycle)
    for commune, amount in zip((None, w.north, w.south), amounts):
        db.session.add(Envelope(cycle=budget_cycle, commune=commune, amount=amount))
    db.session.commit()
    return budget_cycle


def commune_cycle(w: World, phase: Phase = Phase.PROPOSALS, commune: Commune | None = None,
                  **kwargs) -> BudgetCycle:
    """A commune's own cycle (Nordville's by default): its envelope only."""
    budget_cycle = cycle(w, phase, **kwargs)
    commune = commune or w.north
    for other in [e for e in budget_cycle.envelopes if e.commune_id != commune.id]:
        budget_cycle.envelopes.remove(other)
        db.session.delete(other)
    budget_cycle.commune_id = commune.id
    db.session.commit()
    return budget_cycle


def envelope(budget_cycle: BudgetCycle, commune: Commune | None) -> Envelope:
    return next(e for e in budget_cycle.envelopes
                if e.commune_id == (commune.id if commune else None))


def project(budget_cycle: BudgetCycle, commune: Commune | None, title: str, cost: int,
            author: User, status: Status = Status.ON_BALLOT) -> Proposal:
    proposal = Proposal(cycle=budget_cycle, envelope=envelope(budget_cycle, commune),
                        author=author, title=title, description="Une idée.",
                        estimated_cost=cost,
                        final_cost=cost if status == Status.ON_BALLOT else None, status=status)
    db.session.add(proposal)
    db.session.commit()
    return proposal
