"""Proposal statuses and the transitions between them, as one table."""
from __future__ import annotations

import enum

from budget.domain.errors import DomainError, NotAllowed
from budget.domain.phases import N_, Phase


class Status(str, enum.Enum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"  # staff are studying it (feasibility, cost)
    ON_BALLOT = "on_ballot"  # feasible, with its final cost: on the ballot
    REJECTED = "rejected"  # not feasible, with a reason
    MERGED = "merged"  # a duplicate, merged into another proposal of the same envelope
    WITHDRAWN = "withdrawn"  # by its author
    # Fewer supports than the cycle's threshold when its supports phase closed
    # (services/support_close.py): "non retenue (soutiens insuffisants)".
    UNSUPPORTED = "unsupported"


STAFF_DECISIONS = (Status.IN_REVIEW, Status.ON_BALLOT, Status.REJECTED, Status.MERGED)
_OPEN = (Status.SUBMITTED, Status.IN_REVIEW)

# (from, to) -> who makes it. Staff may also revise a decision until the vote opens: a
# rejection, a place on the ballot, a merge or the supports' verdict can go back to review or
# to another decision. "supports": closing the supports phase, for the open proposals below
# the threshold.
TRANSITIONS = {
    **{(before, after): "staff" for before in (*_OPEN, Status.ON_BALLOT, Status.REJECTED,
                                               Status.MERGED, Status.UNSUPPORTED)
       for after in STAFF_DECISIONS if before != after},
    **{(before, Status.WITHDRAWN): "author" for before in _OPEN},
    **{(before, Status.UNSUPPORTED): "supports" for before in _OPEN},
}

AUTHOR_EDIT_PHASES = {Phase.PROPOSALS}
REVIEW_PHASES = {Phase.PROPOSALS, Phase.REVIEW}

# Why the author can no longer edit their proposal, said as its status says it.
EDIT_REFUSALS = {
    Status.IN_REVIEW: N_("This proposal is being reviewed and can no longer be edited."),
    Status.ON_BALLOT: N_("This proposal is on the ballot and can no longer be edited."),
    Status.REJECTED: N_("This proposal was not kept and can no longer be edited."),
    Status.MERGED: N_("This proposal was merged into another one and can no longer be "
                      "edited."),
    Status.WITHDRAWN: N_("This proposal was withdrawn and can no longer be edited."),
    Status.UNSUPPORTED: N_("This proposal did not gather enough supports and can no longer "
                           "be edited."),
}

MAX_COST = 100_000_000  # euros; a sanity bound for typing mistakes, far above any envelope


def check_transition(current: Status, new: Status, actor: str) -> None:
    if TRANSITIONS.get((current, new)) != actor:
        raise DomainError("This decision is not possible for a proposal in its current status.",
                          field="status")


def check_merge(proposal_id: int, proposal_envelope: int, target_id: int | None,
                target_envelope: int | None, target_status: Status | None) -> None:
    """A duplicate is merged into another live proposal of the same envelope."""
    if target_id is None or target_envelope is None:
        raise DomainError("Choose the proposal it is merged into.", field="merged_into_id")
    if target_id == proposal_id:
        raise DomainError("A proposal cannot be merged into itself.", field="merged_into_id")
    if target_envelope != proposal_envelope:
        raise DomainError("Merge it into a proposal of the same envelope.",
                          field="merged_into_id")
    if target_status not in (*_OPEN, Status.ON_BALLOT):
        raise DomainError("Merge it into a proposal that is still under consideration.",
                          field="merged_into_id")


def check_editable(status: Status) -> None:
    """The author edits a proposal (text, photos) only while it is submitted. Raises
    NotAllowed with the reason its status gives."""
    if status != Status.SUBMITTED:
        raise NotAllowed(EDIT_REFUSALS[status])


def check_location(latitude: float | None, longitude: float | None) -> None:
    """A location is optional, but complete and on Earth (WGS 84 degrees)."""
    if (latitude is None) != (longitude is None):
        raise DomainError("Give both the latitude and the longitude, or neither.",
                          field="latitude" if latitude is None else "longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainError("The latitude must be between -90 and 90.", field="latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainError("The longitude must be between -180 and 180.", field="longitude")


def check_cost(cost: int, field: str) -> None:
    if not 1 <= cost <= MAX_COST:
        raise DomainError("The cost must be a whole number of euros between 1 and "
                          "100,000,000.", field=field)
