"""`mes-points` in the compiled core (points.c): floats choose, exact integers decide.

The core keeps every budget and every rho as an interval proven to hold the exact value
(points.c says why), and decides each round whose best candidate is separated from the others.
A round it cannot call (an exact tie, a candidate that may just be affordable) comes back
here: the exact state (points.ScaledPointsState) replays the winners so far, evaluates the
few candidates the core named, funds the exact winner (ties: first in tie order) and hands
every exact budget back as a float interval; the core goes on. So the outcome is the exact
engine's, and the details (who paid what) are the exact state's, computed when first read.
"""
from __future__ import annotations

from array import array
from itertools import repeat
from fractions import Fraction
from math import inf, lcm, nextafter
from typing import Callable, Sequence

from ..model import Explanation
from ..profile import Profile

try:
    from .. import _mescore
except ImportError:             # pragma: no cover  (a BUDGET_PURE_PYTHON install)
    _mescore = None

LIVE, FUNDED, DEAD = 0, 1, 2


def _around(value) -> tuple[float, float]:
    """Floats below and above an exact value >= 0 (an int or a Fraction)."""
    x = value.numerator / value.denominator        # correctly rounded
    return (nextafter(x, 0.0) if value else 0.0), (nextafter(x, inf) if value else 0.0)


class _Board:
    """The core's arrays for one run (a slot per project, those not candidates dead), and the
    exact state when a round needs it."""

    def __init__(self, profile: Profile, candidates: list[int], voter_budget: Fraction,
                 board: tuple):
        self.profile, self.candidates, self.voter_budget = profile, candidates, voter_budget
        n, ngroups = len(profile.ids), len(profile.groups)
        near = [cost.numerator / cost.denominator for cost in profile.costs]  # correctly rounded
        lo, hi = map(nextafter, near, repeat(0.0)), map(nextafter, near, repeat(inf))
        below, above = _around(voter_budget)
        status = bytearray([DEAD]) * n
        for p in candidates:
            status[p] = LIVE
        self.arrays = (*board, array("d", lo), array("d", hi), array("d", [below]) * ngroups,
                       array("d", [above]) * ngroups, array("d", bytes(8 * n)), status)
        self.state, self.synced = None, 0

    def run(self) -> list[int]:
        """The winners (project indices, in order)."""
        rounds = _mescore.points_rounds
        *_, bound, status = self.arrays
        decided: list[int] = []
        while True:
            winners, near = rounds(*self.arrays)
            decided.extend(winners)
            if not near:
                return decided
            state = self.exact_state(decided)
            evaluated = []
            for p in near:
                rho = state.rho(p)
                if rho is None:
                    status[p] = DEAD
                else:
                    evaluated.append((rho, p))
                    bound[p] = max(bound[p], _around(rho)[0])
            if not evaluated:
                continue
            rho, p = min(evaluated)     # equal rho: the first in tie order
            state.fund(p, rho)
            status[p] = FUNDED
            decided.append(p)
            self.synced = len(decided)
            self._budgets_from(state)

    def exact_state(self, decided: Sequence[int]):
        """The exact state at the end of the decided rounds."""
        from .points import ScaledPointsState
        if self.state is None:
            self.state = ScaledPointsState(self.profile, self.candidates, self.voter_budget)
        state = self.state
        for p in decided[self.synced:]:
            state.fund(p, state.rho(p))
        self.synced = len(decided)
        return state

    def _budgets_from(self, state) -> None:
        blo, bhi = self.arrays[7], self.arrays[8]
        scale = state.scale
        for g, budget in enumerate(state.group_budget):
            x = budget / scale                      # correctly rounded
            blo[g], bhi[g] = (nextafter(x, 0.0), nextafter(x, inf)) if budget else (0.0, 0.0)


def run_points(profile: Profile, mes_details: Callable):
    """(selected, details) of `mes-points` (profile.voters > 0), or None when the core cannot
    take the profile (points that are not ints, counts or utilities too large for exact
    floats). The candidates and the cost-0 projects funded up front are rule.py's
    (candidates_and_free), from the core's utilities: the positive points per project.
    mes_details: rule.mes_details, which explains a run from its exact state."""
    projects = list(range(len(profile.ids)))
    try:
        board = _mescore.points_board(profile.groups, projects, len(projects))
    except LookupError:
        return None
    utility = memoryview(board[4]).cast("d")
    candidates, free = [], []
    for p, cost in enumerate(profile.costs):
        if utility[p] > 0:
            (candidates if cost > 0 else free).append(p)
    try:
        run = _Board(profile, candidates, profile.budget / profile.voters, board)
    except OverflowError:           # a cost or a budget beyond floats
        return None
    winners = run.run()
    selected = free + winners

    def explain() -> dict:
        if run.state is None:       # every round was the core's: replayed in C
            try:
                return _replayed(profile, board, candidates, winners, selected)
            except OverflowError:   # a budget beyond floats: the exact state explains it
                pass
        return mes_details(profile, run.exact_state(winners), selected)
    return selected, Explanation(explain)


def _replayed(profile: Profile, board: tuple, candidates: list[int], winners: list[int],
              selected: list[int]) -> dict:
    """rule.mes_details of the run, its exact rounds replayed by the core (points_replay):
    the same values as the exact state's (points.ScaledPointsState), in the same shapes."""
    voter_budget = profile.budget / profile.voters
    costs, ids = profile.costs, profile.ids
    scale = lcm(voter_budget.denominator, *(costs[p].denominator for p in candidates))
    chosen = set(selected)
    left_out = [p for p in candidates if p not in chosen]
    rounds, available, supporters = _mescore.points_replay(
        *board[:4], winners, [cost.numerator for cost in costs],
        [cost.denominator for cost in costs], [cost.numerator / cost.denominator for cost in costs],
        voter_budget.numerator * (scale // voter_budget.denominator), scale, left_out, Fraction)
    for entry in rounds:
        entry["project"] = ids[entry["project"]]
    return {"voter_budget": voter_budget, "rounds": rounds,
            "not_selected": [{"project": ids[p], "cost": costs[p], "supporters": count,
                              "available": money}
                             for p, count, money in zip(left_out, supporters, available)]}
