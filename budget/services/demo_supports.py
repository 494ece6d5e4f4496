"""The demo's supports phase: La Flotte's own cycle, whose proposals residents are supporting
now (a week in, two weeks to go), with uneven counts and a threshold of the 3 most supported,
so that the cards, the "most supported" sort, the proposal pages and the staff's review queue
show what supports are for. The demo resident (of La Flotte) may support them too.

Its supporters are synthetic residents of La Flotte who cannot sign in (nobody knows their
password), as the synthetic voters of demo.py.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from budget.domain.proposals import Status
from budget.domain.receipts import new_receipt_code
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, Proposal, ProposalSupport, User
from budget.models.time import utcnow
from budget.services import demo_themes
from budget.services.accounts import hash_password

CYCLE_TITLE = "Budget participatif de La Flotte 2027"
# Days from now at which proposals, supports, review and vote open, and the vote closes.
DAYS = (-40, -7, 14, 45, 60)
THRESHOLD = {"kind": "top", "value": 3}
ENVELOPE_AMOUNT = 30_000
# title, cost in euros, supports (what the demo shows: 3 above the threshold, 3 below)
IDEAS = [
    ("Potager partagé derrière la salle des fêtes", 6_000, 23),
    ("Bancs à l'ombre le long du port", 4_500, 17),
    ("Abri vélos couvert près de l'école", 8_000, 12),
    ("Boîte à livres au jardin public", 900, 7),
    ("Fontaine à eau potable sur la plage de l'Arnérault", 5_500, 4),
    ("Concert de fin d'été sur le port", 3_000, 1),
]
SUPPORTERS = max(count for _title, _cost, count in IDEAS)


def add_supports_cycle(epci, home, author: User, report) -> None:
    """La Flotte's (`home`) cycle in its supports phase, unless it exists; the caller
    commits. Appends what it made to `report.created`."""
    if db.session.scalar(select(BudgetCycle.id).where(
            BudgetCycle.intercommunality_id == epci.id, BudgetCycle.title == CYCLE_TITLE)):
        return
    now = utcnow().replace(microsecond=0)
    proposals, supports, review, vote, end = (now + timedelta(days=d) for d in DAYS)
    cycle = BudgetCycle(
        intercommunality=epci, commune=home, title=CYCLE_TITLE,
        description="Les habitants de La Flotte proposent, soutiennent puis choisissent les "
                    "projets financés par leur commune.",
        proposals_start=proposals, supports_start=supports, support_threshold=THRESHOLD,
        review_start=review, vote_start=vote, vote_end=end, vote_format="approval",
        vote_params={"min_choices": 0, "max_choices": 2}, tally_rule="greedy")
    envelope = Envelope(cycle=cycle, commune=home, amount=ENVELOPE_AMOUNT)
    db.session.add_all([cycle, envelope])
    made = []
    for number, (title, cost, _count) in enumerate(IDEAS):
        made.append(Proposal(
            cycle=cycle, envelope=envelope, author=author, title=title,
            description="Idée déposée par des habitants de La Flotte.", estimated_cost=cost,
            status=Status.SUBMITTED, created_at=proposals + timedelta(days=2 + 4 * number)))
    db.session.add_all(made)
    db.session.flush()
    demo_themes.add_themes(cycle, made)
    people = _supporters(home)
    for proposal, (_title, _cost, count) in zip(made, IDEAS):
        for number, person in enumerate(people[:count]):
            db.session.add(ProposalSupport(
                proposal_id=proposal.id, user_id=person.id,
                created_at=supports + timedelta(hours=3 * number + proposal.id % 5)))
    report.created += [CYCLE_TITLE, f"{sum(c for *_, c in IDEAS)} supports"]


def _supporters(home) -> list[User]:
    """The synthetic supporters (made once), first to last."""
    unusable = hash_password(new_receipt_code())
    people = []
    for number in range(1, SUPPORTERS + 1):
        email = f"soutien{number:02d}@demo.budget.fr"
        person = db.session.scalar(select(User).where(User.email == email))
        if person is None:
            person = User(email=email, password_hash=unusable,
                          display_name=f"Habitante {number}", home_commune_id=home.id,
                          email_verified_at=utcnow())
            db.session.add(person)
        people.append(person)
    db.session.flush()
    return people
