"""The editions of an intercommunalité's participatory budget side by side: each published
intercommunal cycle with its turnout (online, at a kiosk, on paper), money available and
allocated, proposals and winners, all read from its published tally run (never recounted). A
commune's own cycles are not editions of the intercommunalité's budget and are left out.

Delivery: how many of its winners the tracking (services/tracking.py) says are delivered.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from budget.domain.proposals import Status
from budget.extensions import db
from budget.domain.delivery import Stage
from budget.models import BudgetCycle, Intercommunality, ProjectTracking, Proposal
from budget.services import stored_result


@dataclass(frozen=True)
class Edition:
    cycle_id: int
    title: str
    online: int  # ballots cast online
    paper: int  # ballots cast on paper (validated batches)
    kiosk: int  # ballots cast at a town-hall kiosk (none in runs tallied before kiosks)
    population: int | None  # None: a commune's population is unknown
    amount: int  # money available in every envelope, euros
    spent: int  # money allocated to the winners, euros
    proposals: int  # proposals residents submitted (withdrawn ones left out)
    on_ballot: int  # projects on the ballot
    winners: int
    delivered: int  # winners whose tracking says delivered
    abandoned: int  # winners given up, with a public reason

    @property
    def ballots(self) -> int:
        return self.online + self.kiosk + self.paper


def editions(territory: Intercommunality) -> list[Edition]:
    """The territory's published intercommunal cycles, oldest first."""
    cycles = db.session.scalars(select(BudgetCycle).where(
        BudgetCycle.intercommunality_id == territory.id, BudgetCycle.commune_id.is_(None))
        .order_by(BudgetCycle.vote_end, BudgetCycle.id)).all()
    published = [c for c in cycles if c.published_run is not None]
    counts = dict(db.session.execute(
        select(Proposal.cycle_id, func.count()).where(
            Proposal.cycle_id.in_([c.id for c in published]),
            Proposal.status != Status.WITHDRAWN)
        .group_by(Proposal.cycle_id)).all()) if published else {}
    stages = db.session.execute(
        select(ProjectTracking.cycle_id, ProjectTracking.stage, func.count()).where(
            ProjectTracking.cycle_id.in_([c.id for c in published]))
        .group_by(ProjectTracking.cycle_id, ProjectTracking.stage)).all() if published else []
    by_stage = {(cycle_id, stage): count for cycle_id, stage, count in stages}
    populations = [c.population for c in territory.communes]
    population = None if None in populations else sum(populations)
    found = []
    for cycle in published:
        result = stored_result.read(cycle.published_run.result)
        paper = result.ballots_by_channel.get("paper", 0)
        kiosk = result.ballots_by_channel.get("kiosk", 0)
        found.append(Edition(
            cycle_id=cycle.id, title=cycle.title, online=result.ballots - paper - kiosk,
            paper=paper, kiosk=kiosk, population=population,
            amount=sum(e.amount for e in result.envelopes),
            spent=sum(e.spent for e in result.envelopes),
            proposals=counts.get(cycle.id, 0),
            on_ballot=sum(len(e.projects) for e in result.envelopes),
            winners=sum(1 for e in result.envelopes for p in e.projects if p.selected),
            delivered=by_stage.get((cycle.id, Stage.DELIVERED), 0),
            abandoned=by_stage.get((cycle.id, Stage.ABANDONED), 0)))
    return found
