"""Proposal statuses and the transitions between them, as one table."""
from __future__ import annotations

import enum

from budget.domain.errors import DomainError
from budget.domain.phases import Phase


class Status(str, enum.Enum):
    SUBMITTED = "submitted"
    ON_BALLOT = "on_ballot"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# (from, to) -> who makes it. Staff may also revise a decision until the vote opens.
TRANSITIONS = {
    (Status.SUBMITTED, Status.ON_BALLOT): "staff",
    (Status.SUBMITTED, Status.REJECTED): "staff",
    (Status.ON_BALLOT, Status.REJECTED): "staff",
    (Status.REJECTED, Status.ON_BALLOT): "staff",
    (Status.SUBMITTED, Status.WITHDRAWN): "author",
}

AUTHOR_EDIT_PHASES = {Phase.PROPOSALS}
REVIEW_PHASES = {Phase.PROPOSALS, Phase.REVIEW}

MAX_COST = 100_000_000  # euros; a sanity bound for typing mistakes, far above any envelope


def check_transition(current: Status, new: Status, actor: str) -> None:
    if TRANSITIONS.get((current, new)) != actor:
        raise DomainError("This decision is not possible for a proposal in its current status.",
                          field="status")


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
                          "100 000 000.", field=field)
