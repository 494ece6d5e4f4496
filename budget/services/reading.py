"""Who may read what: a proposal (its page, photos, rejection reason) and its comments, in
each phase. The actions (submit, vote, moderate...) are policy.py's."""
from __future__ import annotations

from budget.domain.phases import Phase
from budget.domain.proposals import Status
from budget.services.policy import Action, concerns


# The proposals everyone may read by their id, in each phase; their author and the cycle's
# staff read every one of theirs, always. While proposals are collected and reviewed, what
# the cycle's page lists (submitted, on the ballot): staff may still revise a rejection or a
# merge until the vote opens, so its reason is the author's to read, not yet a public
# verdict. Once the review is over (from the vote on), every decision is public with its
# reason, as a commune accounts for the ideas it did not keep. A withdrawn one is its
# author's alone.
_DECIDED = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.ON_BALLOT, Status.REJECTED,
                      Status.MERGED, Status.UNSUPPORTED})
PUBLIC_PROPOSALS: dict[Phase, frozenset[Status]] = {
    Phase.UPCOMING: frozenset(),
    Phase.PROPOSALS: frozenset({Status.SUBMITTED, Status.ON_BALLOT}),
    Phase.SUPPORTS: frozenset({Status.SUBMITTED, Status.ON_BALLOT}),
    # The supports' verdict is public as the counts it comes from are.
    Phase.REVIEW: frozenset({Status.SUBMITTED, Status.ON_BALLOT, Status.UNSUPPORTED}),
    Phase.VOTE: _DECIDED,
    Phase.COUNTING: _DECIDED,
    Phase.RESULTS: _DECIDED,
}


def may_read_proposal(user, proposal) -> bool:
    """Whether `user` (anonymous included) may open `proposal`'s page and photos, with its
    rejection reason: see PUBLIC_PROPOSALS."""
    cycle = proposal.cycle
    if proposal.status in PUBLIC_PROPOSALS[cycle.phase()]:
        return True
    if user is None or not user.is_authenticated:
        return False
    return proposal.author_id == user.id or concerns(user, Action.MANAGE_CYCLE, cycle)


def may_read_comments(user, proposal) -> bool:
    """Comments are read with their proposal: wherever it may be read, by whoever may."""
    return may_read_proposal(user, proposal)
