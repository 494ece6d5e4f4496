"""Greedy rules: rank the projects, fund them in that order while money lasts.

`greedy` is pabutools' `greedy_utilitarian_welfare(sat_class=Cost_Sat)`: projects by number
of supporters (total points on cumulative/scoring ballots), skipping what no longer fits.
`greedy-cardinality` ranks by supporters per unit of cost. The city variants stop at the first
project that does not fit (`no_skip`) or only fund projects whose score reaches a threshold.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .profile import Profile

SELECTED, SKIPPED, BELOW_THRESHOLD, NOT_REACHED = (
    "selected", "skipped", "below-threshold", "not-reached")


def scores(profile: Profile) -> list:
    """The score a city announces: supporters, or total points on cardinal ballots."""
    return profile.points() if profile.cardinal else profile.votes()


def _ranking_key(profile: Profile, sat: str, votes: list[int], score: list):
    """pabutools' key (-density, tie rank); density is total satisfaction / cost, 0 when the
    total satisfaction is 0 (so unsupported projects still come, last)."""

    def key(p: int):
        cost = profile.costs[p]
        if sat == "cardinality":
            if votes[p] <= 0:
                return (1, 0, p)
            return (0, 0, p) if cost == 0 else (1, -Fraction(votes[p], 1) / cost, p)
        # Cost_Sat (and points x cost): total satisfaction = score x cost, density = score.
        return (1, -score[p], p) if score[p] > 0 and cost > 0 else (1, 0, p)

    return key


def greedy(profile: Profile, *, sat: str = "cost", initial: Sequence[int] = (),
           no_skip: bool = False, threshold=None, score: Sequence | None = None
           ) -> tuple[list[int], dict]:
    """Return (selected indices in selection order, details).

    sat: "cost" (supporters, or points on cardinal ballots) or "cardinality" (supporters per
    unit of cost). initial: projects already funded (their cost is spent first). no_skip: stop
    at the first project that does not fit. threshold: projects whose score is below it are not
    funded. score: the score to rank by (sat "cost"), by project index, when it is not the one
    the ballots give (greedy_score: a city's announced scores).
    """
    votes = profile.votes()
    announced = score is not None
    score = list(score) if announced else scores(profile)
    taken = set(initial)
    remaining = profile.budget - profile.total_cost(initial)
    order = sorted((p for p in range(len(profile.ids)) if p not in taken),
                   key=_ranking_key(profile, sat, votes, score))
    selected = list(initial)
    examined = []
    stopped = False
    for p in order:
        cost = profile.costs[p]
        if stopped:
            status = NOT_REACHED
        elif threshold is not None and score[p] < threshold:
            status = BELOW_THRESHOLD
        elif cost <= remaining:
            status = SELECTED
        else:
            status = SKIPPED
            stopped = no_skip
        examined.append({"project": profile.ids[p], "score": score[p], "cost": cost,
                         "status": status, "remaining_before": remaining})
        if status == SELECTED:
            selected.append(p)
            remaining -= cost
    details = {"score_is": ("announced" if announced else
                            "points" if profile.cardinal else "votes"),
               "examined": examined, "remaining": remaining}
    return selected, details
