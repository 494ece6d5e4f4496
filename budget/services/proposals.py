"""Proposals: submitted by residents, reviewed by staff."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from budget.domain.errors import DomainError, NotAllowed
from budget.domain.proposals import Status, check_cost, check_transition
from budget.extensions import db
from budget.models import BudgetCycle, Envelope, Proposal
from budget.services import audit, policy
from budget.services.policy import Action


@dataclass(frozen=True)
class ProposalDraft:
    title: str
    description: str
    estimated_cost: int
    envelope_id: int


def envelopes_open_to(user, cycle: BudgetCycle) -> list[Envelope]:
    """Where a resident may propose: their commune's envelope and the intercommunal one."""
    if user.home_commune_id is None:
        return []
    return cycle.envelopes_for(user.home_commune_id)


def _apply(user, cycle: BudgetCycle, proposal: Proposal, draft: ProposalDraft) -> None:
    check_cost(draft.estimated_cost, "estimated_cost")
    if draft.envelope_id not in {e.id for e in envelopes_open_to(user, cycle)}:
        raise DomainError("Choose your commune's envelope or the intercommunal one.",
                          field="envelope_id")
    proposal.title = draft.title.strip()
    proposal.description = draft.description.strip()
    proposal.estimated_cost = draft.estimated_cost
    proposal.envelope_id = draft.envelope_id


def submit(user, cycle: BudgetCycle, draft: ProposalDraft) -> Proposal:
    policy.check(user, Action.SUBMIT_PROPOSAL, cycle)
    proposal = Proposal(cycle_id=cycle.id, author_id=user.id, status=Status.SUBMITTED)
    _apply(user, cycle, proposal, draft)
    db.session.add(proposal)
    db.session.commit()
    return proposal


def update(user, proposal: Proposal, draft: ProposalDraft) -> None:
    policy.check(user, Action.EDIT_PROPOSAL, proposal.cycle, proposal)
    if proposal.status != Status.SUBMITTED:
        raise NotAllowed("This proposal has been reviewed and can no longer be edited.")
    _apply(user, proposal.cycle, proposal, draft)
    db.session.commit()


def withdraw(user, proposal: Proposal) -> None:
    policy.check(user, Action.WITHDRAW_PROPOSAL, proposal.cycle, proposal)
    check_transition(proposal.status, Status.WITHDRAWN, "author")
    proposal.status = Status.WITHDRAWN
    db.session.commit()


def review(user, proposal: Proposal, status: Status, final_cost: int | None,
           rejection_reason: str) -> None:
    """Put a proposal on the ballot (with its final cost) or reject it (with a reason)."""
    policy.check(user, Action.REVIEW_PROPOSAL, proposal.cycle, proposal)
    before = audit.proposal_state(proposal)
    if status != proposal.status:
        check_transition(proposal.status, status, "staff")
    if status == Status.ON_BALLOT:
        if final_cost is None:
            raise DomainError("Set the final cost before putting the proposal on the ballot.",
                              field="final_cost")
        check_cost(final_cost, "final_cost")
        proposal.final_cost = final_cost
        proposal.rejection_reason = None
    elif status == Status.REJECTED:
        if not rejection_reason.strip():
            raise DomainError("Give the author a reason for the rejection.",
                              field="rejection_reason")
        proposal.rejection_reason = rejection_reason.strip()
        if final_cost is not None:
            check_cost(final_cost, "final_cost")
            proposal.final_cost = final_cost
    proposal.status = status
    audit.record(user, "proposal.review", proposal, before=before,
                 after=audit.proposal_state(proposal))
    db.session.commit()


def visible_proposals(cycle: BudgetCycle, commune_id: int | None = None,
                      statuses=(Status.ON_BALLOT,)) -> list[Proposal]:
    """Proposals of a cycle in the given statuses, optionally only one commune's envelope
    (the intercommunal projects are shown with every commune, since its residents vote on them)."""
    query = (select(Proposal).join(Envelope)
             .where(Proposal.cycle_id == cycle.id, Proposal.status.in_(statuses))
             .order_by(Envelope.commune_id.is_(None), Proposal.title))
    if commune_id is not None:
        query = query.where((Envelope.commune_id == commune_id) | Envelope.commune_id.is_(None))
    return list(db.session.scalars(query))


def proposals_by(user, cycle: BudgetCycle) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.author_id == user.id)
        .order_by(Proposal.created_at.desc())))
