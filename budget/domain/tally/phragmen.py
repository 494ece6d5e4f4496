"""Sequential Phragmén, as pabutools 1.2.3 `sequential_phragmen` computes it (approval only).

The rounds are those of phragmen_exact.py (its docstring states the rule): each round ties the
projects with the smallest L(p) = (their supporters' loads + cost(p)) / supporters; if one of
them no longer fits in the money left, the rule stops, otherwise the first in tie order is
funded and its supporters' loads become L. Projects nobody approves (L infinite) come last.

Here the compiled core (phragmen.c) keeps every candidate's supporters' total load as a float,
updated over the ballots of a winner's supporters only. Floats only choose what to look at:
the core names the candidates whose float L is within the error bound of the smallest, with
their supporters counted per load value, and their exact L (loads as integers over one
denominator) decides the tie, the stop and the new load. So the outcome and the details are
the exact engine's, which still counts voter totals too large for exact float sums, and
everything when the core is not built. (Small profiles too go to the core: with its board built
in C it is 3-4x faster than the exact engine even on 7 memberships.)
"""
from __future__ import annotations

from fractions import Fraction
from math import lcm

from array import array

from .model import RuleNotApplicable
from .profile import EXACT_FLOAT_SUMS, Profile

try:
    from . import _mescore
except ImportError:             # pragma: no cover  (a BUDGET_PURE_PYTHON install)
    _mescore = None

phragmen_step = getattr(_mescore, "phragmen_step", None)
phragmen_board = getattr(_mescore, "phragmen_board", None)

EPS = 2.0 ** -52


def phragmen(profile: Profile) -> tuple[list[int], dict]:
    """Return (selected indices in order, details: each round's project and load, or the
    project it stopped at with its cost and the money left; the money remaining)."""
    if profile.vote_type != "approval":
        raise RuleNotApplicable("phragmen needs approval ballots")
    if phragmen_step is None or profile.voters >= EXACT_FLOAT_SUMS:
        from .phragmen_exact import exact_phragmen      # heapq and the Fractions' engine
        return exact_phragmen(profile)
    return core_phragmen(profile)


def core_phragmen(profile: Profile) -> tuple[list[int], dict]:
    """phragmen() in the compiled core: a profile with voters < EXACT_FLOAT_SUMS, any size."""
    costs, budget = profile.costs, profile.budget
    support = profile.by_project.support.tolist()
    # Costs are ints or Fractions: compared and scaled through their numerators and
    # denominators (ints), not by Fraction operations.
    top, bottom = budget.numerator, budget.denominator
    candidates = [p for p, cost in enumerate(costs)
                  if cost.numerator * bottom <= top * cost.denominator]
    # Money as integers in units of 1/scale: the stop test compares ints, not Fractions.
    scale = lcm(bottom, *(costs[p].denominator for p in candidates))
    cost_units = {p: costs[p].numerator * (scale // costs[p].denominator) for p in candidates}
    left = top * (scale // bottom)
    board = _Board(profile, [p for p in candidates if support[p]], cost_units, scale)
    unvoted = [p for p in candidates if not support[p]]
    selected, rounds = [], []
    near = board.step()
    while near or unvoted:
        tied, load = board.best(near) if near else (unvoted, None)
        late = [p for p in tied if cost_units[p] > left]
        if late:
            stopper = min(late)
            rounds.append({"stopped_at": profile.ids[stopper], "cost": costs[stopper],
                           "money_left": Fraction(left, scale)})
            break
        winner = tied[0]
        selected.append(winner)
        left -= cost_units[winner]
        rounds.append({"project": profile.ids[winner], "load": load})
        if load is None:
            unvoted.remove(winner)
        else:
            near = board.step(winner, load)
    return selected, {"rounds": rounds, "remaining": Fraction(left, scale)}


class _Board:
    """The approved candidates (numbered in tie order) and their loads: the core's floats to
    choose, integers over one denominator to decide."""

    def __init__(self, profile: Profile, projects: list[int], cost_units: dict, scale: int):
        count, ngroups = len(projects), len(profile.groups)
        self.projects, self.slot = projects, {p: c for c, p in enumerate(projects)}
        self.cost_units, self.scale = [cost_units[p] for p in projects], scale
        self.score = [profile.by_project.support[p] for p in projects]
        self.numerators, self.denominator = [0], 1      # every load value given so far
        # Each candidate's groups, and each group's candidates in order, built in C (array.array
        # or numpy arrays are read the same way; numpy is not loaded for this rule).
        start, groups, weight, _ = profile.by_project
        cstart, cgroups, gfirst, gmembers = phragmen_board(start, groups, ngroups, projects)
        self.arrays = (
            array("d", bytes(8 * count)),                           # total
            array("d", [float(profile.costs[p]) for p in projects]),  # cost (inf once funded)
            array("d", self.score),                                  # score
            array("d", bytes(8 * (count + 1))),                      # loads
            array("i", bytes(4 * ngroups)),                          # load_of
            array("q", cstart), array("i", cgroups), weight, array("q", gfirst),
            array("i", gmembers),
            array("q", bytes(8 * (count + 1))))                      # counts (scratch)
        # A total is a sum of nonnegative terms weight x (new load - old load), each load a
        # rounded Fraction: over at most `count` rounds of at most `ngroups` terms each, its
        # relative error stays below EPS x (count x (ngroups + 4) + 16), and so does L's.
        self.near = 1 + 4 * EPS * (count * (ngroups + 4) + 16)

    def step(self, project: int | None = None, load: Fraction | None = None) -> list:
        """Fund the project at that load (if given); the core's near-best candidates."""
        if project is None:
            return phragmen_step(*self.arrays, -1, 0, 0.0, self.near)
        slot = len(self.numerators)
        self._keep(load)
        return phragmen_step(*self.arrays, self.slot[project], slot,
                             load.numerator / load.denominator, self.near)   # float(load)

    def best(self, near: list) -> tuple[list[int], Fraction]:
        """(the near-best projects with the smallest exact L, in tie order; that L)."""
        if len(near) == 1:
            c, per_load = near[0]
            return [self.projects[c]], Fraction(*self._exact_load(c, per_load))
        exact = [Fraction(*self._exact_load(c, per_load)) for c, per_load in near]
        least = min(exact)
        return [self.projects[c] for (c, _), value in zip(near, exact) if value == least], least

    def _exact_load(self, c: int, per_load: list[tuple[int, int]]) -> tuple[int, int]:
        """L as (numerator, denominator), not reduced."""
        numerators = self.numerators
        loads = sum([voters * numerators[k] for k, voters in per_load])
        return (loads * self.scale + self.cost_units[c] * self.denominator,
                self.denominator * self.scale * self.score[c])

    def _keep(self, load: Fraction) -> None:
        denominator = lcm(self.denominator, load.denominator)
        if denominator != self.denominator:
            scale = denominator // self.denominator
            self.numerators = [n * scale for n in self.numerators]
            self.denominator = denominator
        self.numerators.append(load.numerator * (denominator // load.denominator))
