"""Cycle phases, derived from the cycle's dates (never stored as a flag).

A cycle is UPCOMING until proposals open, then PROPOSALS, SUPPORTS (optional: only when the
cycle has a supports start), REVIEW and VOTE follow at their start dates; after the vote ends
it is COUNTING until its results are published, then RESULTS.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from budget.domain.errors import DomainError


def N_(message: str) -> str:
    """Marks a msgid for extraction; the web layer translates it when it shows the error."""
    return message


class Phase(str, enum.Enum):
    UPCOMING = "upcoming"
    PROPOSALS = "proposals"
    SUPPORTS = "supports"  # optional: residents support proposals before the review
    REVIEW = "review"
    VOTE = "vote"
    COUNTING = "counting"
    RESULTS = "results"


@dataclass(frozen=True)
class Schedule:
    """Phase boundaries, naive UTC datetimes; each phase runs from its start to the next one."""

    proposals_start: datetime
    review_start: datetime
    vote_start: datetime
    vote_end: datetime
    # None: no supports phase (proposals run until the review starts).
    supports_start: datetime | None = None

    def problems(self) -> list[DomainError]:
        """The ordering errors of these dates (empty when the schedule is valid)."""
        pairs = [
            ("review_start", self.proposals_start, self.review_start,
             N_("The review must start after the proposal phase starts.")),
            ("vote_start", self.review_start, self.vote_start,
             N_("The vote must start after the review starts.")),
            ("vote_end", self.vote_start, self.vote_end,
             N_("The vote must end after it starts.")),
        ]
        if self.supports_start is not None:
            pairs += [
                ("supports_start", self.proposals_start, self.supports_start,
                 N_("The supports phase must start after the proposal phase starts.")),
                ("supports_start", self.supports_start, self.review_start,
                 N_("The supports phase must start before the review starts.")),
            ]
        return [DomainError(message, field=field)
                for field, earlier, later, message in pairs if not earlier < later]


def current_phase(schedule: Schedule, now: datetime, published: bool) -> Phase:
    if published:
        return Phase.RESULTS
    if now < schedule.proposals_start:
        return Phase.UPCOMING
    if now < schedule.review_start:
        if schedule.supports_start is not None and now >= schedule.supports_start:
            return Phase.SUPPORTS
        return Phase.PROPOSALS
    if now < schedule.vote_start:
        return Phase.REVIEW
    if now < schedule.vote_end:
        return Phase.VOTE
    return Phase.COUNTING
