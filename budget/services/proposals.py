"""Proposals: submitted by residents, reviewed by staff."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from budget.domain.errors import DomainError
from budget.domain.proposals import (
    Status,
    check_cost,
    check_editable,
    check_location,
    check_merge,
    check_transition,
)
from budget.extensions import begin_write_transaction, db
from budget.models import BudgetCycle, CatalogueEntry, Envelope, Proposal, Role
from budget.services import audit, follows, images, notifications, policy, themes
from budget.services.policy import Action
from budget.services.transaction import unit_of_work, use_case


@dataclass(frozen=True)
class ProposalDraft:
    title: str
    description: str
    estimated_cost: int
    envelope_id: int
    latitude: float | None = None
    longitude: float | None = None
    theme_ids: tuple[int, ...] = ()  # one or more of the cycle's, when it has themes
    inspired_by_id: int | None = None  # the catalogue entry it starts from (new ones only)


def envelopes_open_to(user, cycle: BudgetCycle) -> list[Envelope]:
    """Where a resident may propose: their commune's envelope and the intercommunal one."""
    if user.home_commune_id is None:
        return []
    return cycle.envelopes_for(user.home_commune_id)


def _apply(user, cycle: BudgetCycle, proposal: Proposal, draft: ProposalDraft) -> None:
    check_cost(draft.estimated_cost, "estimated_cost")
    check_location(draft.latitude, draft.longitude)
    if draft.envelope_id not in {e.id for e in envelopes_open_to(user, cycle)}:
        raise DomainError("Choose your commune's envelope or the intercommunal one.",
                          field="envelope_id")
    proposal.title = draft.title.strip()
    proposal.description = draft.description.strip()
    proposal.estimated_cost = draft.estimated_cost
    proposal.envelope_id = draft.envelope_id
    proposal.latitude, proposal.longitude = draft.latitude, draft.longitude
    proposal.themes = themes.chosen_themes(cycle, draft.theme_ids)


def submit(user, cycle: BudgetCycle, draft: ProposalDraft,
           photo: images.PreparedPhoto | None = None) -> Proposal:
    """Submit a proposal, with a first photo (already checked by images.prepare) if given;
    one commit. Raises NotAllowed, WrongPhase or DomainError; nothing is saved then."""
    with images.removed_unless_committed() as written, unit_of_work():
        policy.check(user, Action.SUBMIT_PROPOSAL, cycle)
        proposal = Proposal(cycle_id=cycle.id, author_id=user.id, status=Status.SUBMITTED)
        _apply(user, cycle, proposal, draft)
        if draft.inspired_by_id is not None:
            if db.session.get(CatalogueEntry, draft.inspired_by_id) is None:
                raise DomainError("This catalogue project no longer exists.")
            proposal.inspired_by_id = draft.inspired_by_id
        db.session.add(proposal)
        follows.add_author(proposal)  # its author follows it from the start
        if photo:
            written += images.store(proposal, photo)
    return proposal


@use_case
def update(user, proposal: Proposal, draft: ProposalDraft) -> None:
    policy.check(user, Action.EDIT_PROPOSAL, proposal.cycle, proposal)
    check_editable(proposal.status)
    _apply(user, proposal.cycle, proposal, draft)


@use_case
def withdraw(user, proposal: Proposal) -> None:
    policy.check(user, Action.WITHDRAW_PROPOSAL, proposal.cycle, proposal)
    check_transition(proposal.status, Status.WITHDRAWN, "author")
    proposal.status = Status.WITHDRAWN


@dataclass(frozen=True)
class Decision:
    """What staff decide on a proposal. The fields used depend on the status: a final cost
    (and why it differs from the estimate) to put it on the ballot, a reason to reject it,
    the proposal it duplicates to merge it."""

    status: Status
    final_cost: int | None = None
    cost_justification: str = ""
    rejection_reason: str = ""
    merged_into_id: int | None = None
    theme_ids: tuple[int, ...] | None = None  # None: the themes stay as they are


def review(user, proposal: Proposal, decision: Decision, page_url: str | None = None) -> None:
    """Record a staff decision on a proposal; one commit. Raises NotAllowed, WrongPhase or
    DomainError (naming the field to fix); nothing is changed then. When the status changes,
    the author is emailed (with `page_url`, the proposal's page)."""
    with unit_of_work():
        begin_write_transaction()
        policy.check(user, Action.REVIEW_PROPOSAL, proposal.cycle, proposal)
        before = audit.proposal_state(proposal)
        changed = decision.status != proposal.status
        if changed:
            check_transition(proposal.status, decision.status, "staff")
        final_cost, justification = _final_cost(proposal, decision)
        if decision.status == Status.REJECTED and not decision.rejection_reason.strip():
            raise DomainError("Give the author a reason for the rejection.",
                              field="rejection_reason")
        target = None
        if decision.status == Status.MERGED:
            target = (db.session.get(Proposal, decision.merged_into_id)
                      if decision.merged_into_id else None)
            check_merge(proposal.id, proposal.envelope_id, target and target.id,
                        target and target.envelope_id, target and target.status)
        proposal.final_cost, proposal.cost_justification = final_cost, justification
        proposal.rejection_reason = (decision.rejection_reason.strip()
                                     if decision.status == Status.REJECTED else None)
        proposal.merged_into_id = target.id if target else None
        proposal.status = decision.status
        audit.record(user, "proposal.review", proposal, before=before,
                     after=audit.proposal_state(proposal))
        if decision.theme_ids is not None:
            _retheme(user, proposal, decision.theme_ids)
        if changed:
            follows.record(proposal, "status", decision.status.value, user)
    if changed:
        notifications.proposal_decided(proposal, page_url)


def _retheme(user, proposal: Proposal, theme_ids) -> None:
    chosen = themes.chosen_themes(proposal.cycle, theme_ids)
    before = [theme.name for theme in proposal.themes]
    if sorted(before) != sorted(theme.name for theme in chosen):
        proposal.themes = chosen
        audit.record(user, "proposal.themes", proposal, before={"themes": before},
                     after={"themes": [theme.name for theme in chosen]})


def _final_cost(proposal: Proposal, decision: Decision) -> tuple[int | None, str | None]:
    """The final cost to keep and its justification (required when it differs from the
    author's estimate)."""
    cost = decision.final_cost
    if cost is None:
        if decision.status == Status.ON_BALLOT:
            raise DomainError("Set the final cost before putting the proposal on the ballot.",
                              field="final_cost")
        return proposal.final_cost, proposal.cost_justification
    check_cost(cost, "final_cost")
    justification = decision.cost_justification.strip()
    if cost != proposal.estimated_cost and not justification:
        raise DomainError("Explain in a sentence why the final cost differs from the "
                          "estimate: the author and the voters will read it.",
                          field="cost_justification")
    return cost, justification or None


def review_queue(user, cycle: BudgetCycle, commune_id: int | None = None) -> Select:
    """The proposals `user` reviews in `cycle` (any status but withdrawn), optionally one
    commune's: commune staff only see their commune's envelope. A query, to paginate."""
    statuses = (Status.SUBMITTED, Status.IN_REVIEW, Status.ON_BALLOT, Status.REJECTED,
                Status.MERGED, Status.UNSUPPORTED)
    if user.role == Role.COMMUNE_STAFF:
        return (select(Proposal).join(Envelope)
                .where(Proposal.cycle_id == cycle.id, Proposal.status.in_(statuses),
                       Envelope.commune_id == user.works_for_commune_id)
                .order_by(Proposal.title, Proposal.id))
    return _visible(cycle, commune_id, statuses)


def merge_targets(proposal: Proposal) -> list[Proposal]:
    """The proposals a duplicate may be merged into: live ones of the same envelope."""
    return list(db.session.scalars(select(Proposal).where(
        Proposal.envelope_id == proposal.envelope_id, Proposal.id != proposal.id,
        Proposal.status.in_((Status.SUBMITTED, Status.IN_REVIEW, Status.ON_BALLOT)))
        .order_by(Proposal.title)))


def absorbed_by(proposal: Proposal) -> list[Proposal]:
    """The duplicates merged into `proposal`."""
    return list(db.session.scalars(select(Proposal).where(
        Proposal.merged_into_id == proposal.id).order_by(Proposal.title)))


def _visible(cycle: BudgetCycle, commune_id: int | None, statuses) -> Select:
    """Proposals of a cycle in `statuses`, optionally one commune's envelope's and the
    intercommunal ones, by envelope then title (the review queue; the public list and map
    are services/finding.py's)."""
    query = (select(Proposal).join(Envelope)
             .where(Proposal.cycle_id == cycle.id, Proposal.status.in_(statuses))
             .order_by(Envelope.commune_id.is_(None), Proposal.title, Proposal.id))
    if commune_id is not None:
        query = query.where((Envelope.commune_id == commune_id) | Envelope.commune_id.is_(None))
    return query


def proposals_by(user, cycle: BudgetCycle) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.author_id == user.id)
        .order_by(Proposal.created_at.desc())))
