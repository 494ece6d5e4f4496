"""Finding cycles and moving them along their timeline."""
from __future__ import annotations

from sqlalchemy import select

from budget.domain.errors import DomainError
from budget.extensions import db
from budget.models import BudgetCycle
from budget.models.time import utcnow
from budget.services import policy


def current_cycle() -> BudgetCycle | None:
    """The cycle to show first: the latest one already open, else the next one to open."""
    now = utcnow()
    started = db.session.scalar(select(BudgetCycle).where(BudgetCycle.proposals_start <= now)
                                .order_by(BudgetCycle.proposals_start.desc()).limit(1))
    if started is not None:
        return started
    return db.session.scalar(select(BudgetCycle).order_by(BudgetCycle.proposals_start).limit(1))


def get_cycle(cycle_id: int) -> BudgetCycle | None:
    return db.session.get(BudgetCycle, cycle_id)


def close_vote(user, cycle: BudgetCycle) -> None:
    """End the vote now (the phase becomes COUNTING)."""
    policy.check(user, policy.Action.CLOSE_VOTE, cycle)
    now = utcnow()
    if now <= cycle.vote_start:
        raise DomainError("The vote has not started yet.")
    cycle.vote_end = now
    db.session.commit()
