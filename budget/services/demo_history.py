"""Two past editions for the demo (2024 and 2025), published, so that the Éditions page and the
council's adoption have something to show. Kept small on purpose (the demo's load time
matters): a dozen projects each, no photos, ballots of the demo's synthetic voters (the current
edition's) plus a few paper ballots, tallied with the engine and published as the platform
would, in load_demo's own transaction (no use case inside it).
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from budget.domain.adoption import Body, Outcome
from budget.domain.proposals import Status
from budget.domain.receipts import new_receipt_code, receipt_hash
from budget.extensions import db
from budget.models import (Ballot, BallotSelection, BudgetCycle, CouncilAdoption,
                           Intercommunality, Participation, Proposal, TallyRun, User)
from budget.models.time import to_local
from budget.services import catalogue_import, demo_media, tracking
from budget.services.policy import SYSTEM_OPERATOR
from budget.services.tally_result import compute

# title, days from now (proposals, review, vote opens, vote closes), online ballots, paper
# ballots, the council's decision
PAST_EDITIONS = [
    ("Budget participatif 2024", (-800, -770, -740, -725), 120, 0, Outcome.ADOPTED),
    ("Budget participatif 2025", (-430, -400, -370, -355), 180, 40, Outcome.AMENDED),
]


def add_past_editions(epci: Intercommunality, make_cycle, report, commune_ideas,
                      intercommunal_ideas, author: User, rng: random.Random, exists) -> None:
    """Create the past editions missing (exists(title) says which are there); make_cycle is
    demo._cycle, which names what it creates in `report` (demo.DemoReport)."""
    voters = list(db.session.scalars(select(User).where(
        User.email.like("electeur%@demo.budget.fr")).order_by(User.id)))
    for index, (title, days, online, paper, outcome) in enumerate(PAST_EDITIONS):
        if exists(title):
            continue
        cycle = make_cycle(epci, title, days, report)
        projects = _projects(cycle, commune_ideas, intercommunal_ideas, author, rng)
        _ballots(cycle, projects, rng.sample(voters, min(online, len(voters))), paper, rng)
        db.session.flush()
        digest, result = compute(cycle, cycle.tally_rule)
        run = TallyRun(cycle=cycle, rule=cycle.tally_rule, fingerprint=digest, result=result,
                       created_at=cycle.vote_end + timedelta(days=1),
                       published_at=cycle.vote_end + timedelta(days=2))
        db.session.add(run)
        db.session.flush()
        tracking.create_for_run(SYSTEM_OPERATOR, cycle, run)  # as a publication does
        catalogue_import.add_published_winners(cycle, run)  # and the catalogue
        db.session.add(CouncilAdoption(
            tally_run_id=run.id, cycle_id=cycle.id, body=Body.COMMUNITY.value,
            session_date=to_local(cycle.vote_end + timedelta(days=30)).date(),
            deliberation_number=f"{to_local(cycle.vote_end).year}-0{41 + index}",
            outcome=outcome.value))


def _projects(cycle: BudgetCycle, commune_ideas, intercommunal_ideas, author, rng):
    by_commune = {e.commune_id: e for e in cycle.envelopes}
    made = []
    description = "Projet d'une édition précédente."
    for envelope in (e for e in cycle.envelopes if e.commune_id is not None):
        for title, share in rng.sample(commune_ideas, 2):
            cost = int(round(envelope.amount * share * rng.uniform(0.8, 1.2), -2))
            made.append(Proposal(cycle=cycle, envelope=envelope, author=author, title=title,
                                 description=description, estimated_cost=cost,
                                 final_cost=cost, status=Status.ON_BALLOT))
    for title, cost in rng.sample(intercommunal_ideas, 4):
        made.append(Proposal(cycle=cycle, envelope=by_commune[None], author=author,
                             title=title, description=description, estimated_cost=cost,
                             final_cost=cost, status=Status.ON_BALLOT))
    made.append(Proposal(cycle=cycle, envelope=by_commune[None], author=author,
                         title="Pont piéton vers l'île d'Aix", description=description,
                         estimated_cost=9_000_000, status=Status.REJECTED,
                         rejection_reason="Hors de la compétence de l'intercommunalité."))
    demo_media.place([p for p in made if p.status == Status.ON_BALLOT])  # the tracking map
    db.session.add_all(made)
    db.session.flush()
    return [p for p in made if p.status == Status.ON_BALLOT]


def _ballots(cycle: BudgetCycle, projects, voters, paper: int, rng: random.Random) -> None:
    """Each voter's ballot (at most 3 liked projects per envelope of their ballot), and
    `paper` paper ballots of residents of random communes."""
    appeal = {p.id: rng.uniform(0.2, 1.0) for p in projects}
    communes = [e.commune for e in cycle.envelopes if e.commune_id is not None]
    people = [(v.home_commune_id, "online", v) for v in voters] + [
        (rng.choice(communes).id, "paper", None) for _ in range(paper)]
    for commune_id, channel, voter in people:
        mine = {e.id for e in cycle.envelopes_for(commune_id)}
        chosen = []
        for envelope_id in mine:
            liked = [p.id for p in projects if p.envelope_id == envelope_id
                     and rng.random() < appeal[p.id] * 0.6]
            chosen += rng.sample(liked, min(3, len(liked)))
        if not chosen:
            chosen = [max((p for p in projects if p.envelope_id in mine),
                          key=lambda p: appeal[p.id]).id]
        if voter is not None:
            db.session.add(Participation(cycle_id=cycle.id, user_id=voter.id,
                                         voted_at=cycle.vote_start + timedelta(days=1)))
        db.session.add(Ballot(cycle_id=cycle.id, commune_id=commune_id, channel=channel,
                              receipt_hash=receipt_hash(new_receipt_code()),
                              selections=[BallotSelection(proposal_id=p) for p in chosen]))
