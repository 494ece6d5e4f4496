"""Residents support proposals during a cycle's optional supports phase (Action.SUPPORT):
as many proposals as they like, once each (a database constraint), and they may withdraw a
support while the phase lasts. The count is public; who supported what is never shown.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from budget.domain.errors import NotAllowed
from budget.domain.proposals import Status
from budget.extensions import begin_write_transaction, db
from budget.models import Proposal, ProposalSupport
from budget.services import policy, reading
from budget.services.policy import Action
from budget.services.transaction import unit_of_work

# The proposals still under consideration, which residents may support.
SUPPORTABLE = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.ON_BALLOT})


def _check(user, proposal: Proposal) -> None:
    policy.check(user, Action.SUPPORT, proposal.cycle, proposal)
    if Status(proposal.status) not in SUPPORTABLE or not reading.may_read_proposal(
            user, proposal):
        raise NotAllowed("This proposal can no longer be supported.")


def support(user, proposal: Proposal) -> None:
    """`user` supports `proposal` (nothing changes if they already do). Raises NotAllowed,
    WrongPhase or EmailNotVerified; nothing is saved then."""
    try:
        with unit_of_work():
            begin_write_transaction()  # SQLite: concurrent clicks wait their turn
            _check(user, proposal)
            if not supports(user, proposal):
                db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=user.id))
    except IntegrityError:
        # A concurrent request of the same resident stored it first: one support, as asked.
        return


def withdraw(user, proposal: Proposal) -> None:
    """`user` withdraws their support of `proposal` (nothing changes if there is none)."""
    with unit_of_work():
        begin_write_transaction()
        _check(user, proposal)
        db.session.execute(delete(ProposalSupport).where(
            ProposalSupport.proposal_id == proposal.id, ProposalSupport.user_id == user.id))


def supports(user, proposal: Proposal) -> bool:
    """Whether `user` (anonymous included) supports `proposal`."""
    if not getattr(user, "is_authenticated", False) or user.id is None:
        return False
    return db.session.scalar(select(ProposalSupport.id).where(
        ProposalSupport.proposal_id == proposal.id,
        ProposalSupport.user_id == user.id)) is not None


def support_count(proposal: Proposal) -> int:
    return support_counts([proposal.id]).get(proposal.id, 0)


def support_counts(proposal_ids) -> dict[int, int]:
    """Proposal id -> how many residents support it (absent: none)."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ProposalSupport.proposal_id, func.count())
        .where(ProposalSupport.proposal_id.in_(ids))
        .group_by(ProposalSupport.proposal_id)).all()
    return dict(rows)
