"""Closing a cycle's supports phase: the cycle's staff apply its threshold once, at the start
of the review, after a confirmation page that lists who will be left out (`preview`).

Why a staff action and not the review queue applying it when first opened: a page that is
read must not change proposals nor send emails; staff see beforehand which proposals the
threshold leaves out, and the audit log names who confirmed. The proposals the supports
decide on are the open ones (submitted, in review); a proposal staff already put on the
ballot, rejected or merged keeps its decision. Those below the threshold become
"unsupported" (non retenue, soutiens insuffisants) with their count kept in the audit log,
and their authors are emailed once the change is committed.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext, ngettext
from sqlalchemy import select

from budget.domain.errors import DomainError
from budget.domain.proposals import Status, check_transition
from budget.domain.supports import Threshold, ThresholdKind
from budget.extensions import begin_write_transaction, db
from budget.models import AuditEntry, BudgetCycle, Proposal
from budget.models.time import utcnow
from budget.services import audit, notifications, policy
from budget.services.policy import Action
from budget.services.supports import support_counts
from budget.services.transaction import unit_of_work

DECIDED_BY_SUPPORTS = (Status.SUBMITTED, Status.IN_REVIEW)


@dataclass(frozen=True)
class Verdict:
    """What closing the supports phase does: every open proposal with its supports, and
    those left out."""

    threshold: Threshold
    counts: dict[int, int]  # proposal id -> supports
    proposals: list[Proposal]  # the open ones, most supported first
    left_out: frozenset[int]  # proposal ids

    @property
    def kept(self) -> list[Proposal]:
        return [p for p in self.proposals if p.id not in self.left_out]

    @property
    def dropped(self) -> list[Proposal]:
        return [p for p in self.proposals if p.id in self.left_out]


def preview(cycle: BudgetCycle) -> Verdict:
    """What closing the supports phase now would do (nothing is changed)."""
    proposals = list(db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == cycle.id, Proposal.status.in_(DECIDED_BY_SUPPORTS))))
    counts = support_counts(p.id for p in proposals)
    envelopes: dict[int, dict[int, int]] = {}
    for proposal in proposals:
        envelopes.setdefault(proposal.envelope_id, {})[proposal.id] = counts.get(proposal.id, 0)
    proposals.sort(key=lambda p: (p.envelope_id, -counts.get(p.id, 0), p.id))
    return Verdict(cycle.threshold, counts, proposals,
                   frozenset(cycle.threshold.below(envelopes)))


def close(user, cycle: BudgetCycle, page_url=None) -> Verdict:
    """Apply the threshold: one commit, each left-out proposal and the closing in the audit
    log, then each left-out author emailed (`page_url(proposal)`: its page's address).
    Raises NotAllowed, WrongPhase or DomainError (no supports phase, already closed)."""
    with unit_of_work():
        begin_write_transaction()
        policy.check(user, Action.CLOSE_SUPPORTS, cycle)
        if cycle.supports_start is None:
            raise DomainError("This cycle has no supports phase.")
        if cycle.supports_closed_at is not None:
            raise DomainError("The supports phase of this cycle is already closed.")
        verdict = preview(cycle)
        for proposal in verdict.dropped:
            before = audit.proposal_state(proposal)
            check_transition(proposal.status, Status.UNSUPPORTED, "supports")
            proposal.status = Status.UNSUPPORTED
            audit.record(user, "proposal.unsupported", proposal,
                         before={**before, "supports": verdict.counts.get(proposal.id, 0)},
                         after={**audit.proposal_state(proposal),
                                "threshold": cycle.support_threshold})
        cycle.supports_closed_at = utcnow()
        audit.record(user, "cycle.close_supports", cycle,
                     after={"threshold": cycle.support_threshold,
                            "left_out": sorted(verdict.left_out),
                            "kept": sorted(p.id for p in verdict.kept)})
    for proposal in verdict.dropped:
        notifications.proposal_unsupported(proposal, verdict.counts.get(proposal.id, 0),
                                           describe(cycle.threshold),
                                           page_url(proposal) if page_url else None)
    return verdict


def outcomes(cycle: BudgetCycle) -> dict[int, bool] | None:
    """Proposal id -> whether its supports reach the threshold, for the review queue: once
    the phase is closed, as it was closed (the closing's audit entry: staff may revise a
    verdict afterwards, the status then says so); before, what closing now would do, for the
    open proposals. None when the cycle has no supports phase or its supports only inform.
    """
    if cycle.supports_start is None or cycle.threshold.kind == ThresholdKind.NONE:
        return None
    if cycle.supports_closed_at is not None:
        closing = db.session.scalars(select(AuditEntry).where(
            AuditEntry.cycle_id == cycle.id, AuditEntry.action == "cycle.close_supports")
            .order_by(AuditEntry.seq.desc()).limit(1)).first()
        after = closing.after if closing is not None else {}
        return {**{pid: True for pid in after.get("kept", [])},
                **{pid: False for pid in after.get("left_out", [])}}
    verdict = preview(cycle)
    return {p.id: p.id not in verdict.left_out for p in verdict.proposals}


def describe(threshold: Threshold) -> str:
    """The threshold in words, for pages and emails."""
    if threshold.kind == ThresholdKind.COUNT:
        return ngettext("at least %(num)d support", "at least %(num)d supports",
                        threshold.value)
    if threshold.kind == ThresholdKind.TOP:
        return ngettext("the most supported proposal of its envelope (all tied at that place "
                        "are kept)",
                        "the %(num)d most supported proposals of its envelope (all tied at "
                        "the last place are kept)", threshold.value)
    return gettext("none: supports only inform")
