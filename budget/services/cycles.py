"""Finding cycles and moving them along their timeline."""
from __future__ import annotations

from sqlalchemy import select

from budget.domain.errors import DomainError
from budget.domain.phases import Phase
from budget.extensions import begin_write_transaction, db
from budget.models import BudgetCycle
from budget.models.time import utcnow
from budget.services import audit, policy
from budget.services.transaction import use_case


# What residents are most likely looking for when several cycles exist.
PHASE_PRIORITY = [Phase.VOTE, Phase.PROPOSALS, Phase.SUPPORTS, Phase.REVIEW, Phase.COUNTING,
                  Phase.RESULTS, Phase.UPCOMING]


def all_cycles() -> list[BudgetCycle]:
    return list(db.session.scalars(select(BudgetCycle)
                                   .order_by(BudgetCycle.proposals_start.desc())))


def result_previews(user) -> list[BudgetCycle]:
    """The cycles whose results `user` may preview now: the header's links for those who have
    no staff pages (council members). Every page a signed-in resident opens shows that header:
    no query for anyone the policy never lets preview results."""
    if not policy.may_ever(user, policy.Action.PREVIEW_RESULTS):
        return []
    return [cycle for cycle in all_cycles()
            if policy.can(user, policy.Action.PREVIEW_RESULTS, cycle)]


def current_cycle() -> BudgetCycle | None:
    """The cycle to show first: one open for voting, else for proposals, and so on; among
    cycles in the same phase, the most recent."""
    cycles = all_cycles()
    if not cycles:
        return None
    return min(cycles, key=lambda c: PHASE_PRIORITY.index(c.phase()))


def get_cycle(cycle_id: int) -> BudgetCycle | None:
    return db.session.get(BudgetCycle, cycle_id)


def lock(cycle: BudgetCycle) -> None:
    """Start a writing transaction holding the cycle's row until it ends: the use cases that
    change what a tally counts (validating paper ballots) and those that count it (the tally,
    the publication) take it first, so each sees what the other committed."""
    begin_write_transaction()  # SQLite: the whole database, which is enough
    db.session.execute(select(BudgetCycle.id).where(BudgetCycle.id == cycle.id)
                       .with_for_update())


@use_case
def close_vote(user, cycle: BudgetCycle) -> None:
    """End the vote now (the phase becomes COUNTING)."""
    policy.check(user, policy.Action.CLOSE_VOTE, cycle)
    now = utcnow()
    if now <= cycle.vote_start:
        raise DomainError("The vote has not started yet.")
    before = {"vote_end": cycle.vote_end}
    cycle.vote_end = now
    audit.record(user, "cycle.close_vote", cycle, before=before, after={"vote_end": now})
