"""Sequential Phragmén, as pabutools 1.2.3 `sequential_phragmen` computes it (approval only).

The rounds are those of phragmen_exact.py (its docstring states the rule): each round ties the
projects with the smallest L(p) = (their supporters' loads + cost(p)) / supporters; if one of
them no longer fits in the money left, the rule stops, otherwise the first in tie order is
funded and its supporters' loads become L. Projects nobody approves (L infinite) come last.

Here every candidate's total supporters' load is a float, updated when a winner raises its
supporters' loads (numpy visits only those supporters' ballots). The floats only choose what
to look at: the projects whose float L is within the error bound of the smallest are computed
exactly (their supporters counted per load value, loads as Fractions), and the tie, the stop
and the new load are decided on those exact values. So the outcome and the details are the
exact engine's, which still counts the small profiles (numpy's cost per call would exceed the
work) and counts too large for exact float sums.
"""
from __future__ import annotations

from fractions import Fraction
from math import lcm
from operator import mul

import numpy as np

from .model import RuleNotApplicable
from .phragmen_exact import exact_phragmen
from .profile import Profile

EPS = 2.0 ** -52


def phragmen(profile: Profile) -> tuple[list[int], dict]:
    """Return (selected indices in order, details: each round's project and load, or the
    project it stopped at with its cost and the money left; the money remaining)."""
    if profile.vote_type != "approval":
        raise RuleNotApplicable("phragmen needs approval ballots")
    if not profile.in_numpy:
        return exact_phragmen(profile)
    return float_phragmen(profile)


def float_phragmen(profile: Profile) -> tuple[list[int], dict]:
    """phragmen() on a profile with voters < EXACT_FLOAT_SUMS, of any size."""
    costs, budget = profile.costs, profile.budget
    support = profile.by_project.support.tolist()
    candidates = [p for p, cost in enumerate(costs) if cost <= budget]
    board = _Board(profile, [p for p in candidates if support[p]])
    unvoted = [p for p in candidates if not support[p]]
    selected, rounds, spent = [], [], 0
    while board.alive or unvoted:
        tied, load = board.best() if board.alive else (unvoted, None)
        late = [p for p in tied if spent + costs[p] > budget]
        if late:
            stopper = min(late)
            rounds.append({"stopped_at": profile.ids[stopper], "cost": costs[stopper],
                           "money_left": budget - spent})
            break
        winner = tied[0]
        selected.append(winner)
        spent += costs[winner]
        rounds.append({"project": profile.ids[winner], "load": load})
        if load is None:
            unvoted.remove(winner)
        else:
            board.fund(winner, load)
    return selected, {"rounds": rounds, "remaining": budget - spent}


class _Board:
    """The approved candidates' loads: floats to choose, Fractions to decide."""

    def __init__(self, profile: Profile, projects: list[int]):
        start, groups, weight, support = profile.by_project
        self.start, self.groups, self.weight = start, groups, weight
        self.projects, self.costs = projects, profile.costs
        self.slot = {p: c for c, p in enumerate(projects)}
        count = len(projects)
        self.alive = count
        self.score = support[projects]
        self.score_f = self.score.astype(np.float64)
        self.cost_f = np.array([float(profile.costs[p]) for p in projects], np.float64)
        self.total = np.zeros(count)                  # per candidate: its supporters' loads
        self.numerators = [0]       # every load value given so far, over one denominator
        self.denominator = 1
        self.loads_f = np.zeros(count + 1)
        self.load_of = np.zeros(len(profile.groups), np.int32)      # per group: its load's index
        # Every (group, candidate) pair, group by group, to update the candidates of the groups
        # a winner's load reaches.
        slot = np.full(len(profile.ids), -1, np.intp)
        slot[projects] = np.arange(count)
        owner = np.repeat(slot, np.diff(start))
        kept = owner >= 0
        by_group = groups[kept]
        self.members = owner[kept][np.argsort(by_group, kind="stable")]
        self.lengths = np.bincount(by_group, minlength=len(profile.groups))
        self.first = np.zeros(len(profile.groups) + 1, np.int64)
        np.cumsum(self.lengths, out=self.first[1:])
        # A total is a sum of nonnegative terms weight x (new load - old load), each load a
        # rounded Fraction; over at most `count` rounds of at most len(groups) terms each, its
        # relative error stays below EPS x (count x (groups + 4) + 16), and so does L's.
        self.near = 1 + 4 * EPS * (count * (len(profile.groups) + 4) + 16)

    def best(self) -> tuple[list[int], Fraction]:
        """(the projects with the smallest exact L, in tie order; that L)."""
        estimate = (self.total + self.cost_f) / self.score_f
        near = np.flatnonzero(estimate <= estimate.min() * self.near).tolist()
        exact = [self._exact_load(c) for c in near]
        least = min(exact)
        return [self.projects[c] for c, value in zip(near, exact) if value == least], least

    def _supporters(self, project: int) -> np.ndarray:
        return self.groups[self.start[project]:self.start[project + 1]]

    def _exact_load(self, c: int) -> Fraction:
        supporters = self._supporters(self.projects[c])
        per_load = np.bincount(self.load_of[supporters], weights=self.weight[supporters])
        used = np.flatnonzero(per_load)
        loads = sum(map(mul, per_load[used].astype(np.int64).tolist(),
                        map(self.numerators.__getitem__, used.tolist())))
        cost = Fraction(self.costs[self.projects[c]])
        return Fraction(loads * cost.denominator + cost.numerator * self.denominator,
                        self.denominator * cost.denominator * int(self.score[c]))

    def fund(self, project: int, load: Fraction) -> None:
        """Give the project's supporters the load and retire the project."""
        c = self.slot[project]
        value = float(load)
        supporters = self._supporters(project)
        raised = self.weight[supporters] * (value - self.loads_f[self.load_of[supporters]])
        self.load_of[supporters] = len(self.numerators)
        self.loads_f[len(self.numerators)] = value
        self._keep(load)
        lengths = self.lengths[supporters]
        ends = np.cumsum(lengths)
        at = np.arange(ends[-1] if len(ends) else 0) + np.repeat(
            self.first[supporters] - ends + lengths, lengths)
        self.total += np.bincount(self.members[at], weights=np.repeat(raised, lengths),
                                  minlength=len(self.projects))
        self.cost_f[c] = np.inf
        self.alive -= 1

    def _keep(self, load: Fraction) -> None:
        denominator = lcm(self.denominator, load.denominator)
        if denominator != self.denominator:
            scale = denominator // self.denominator
            self.numerators = [n * scale for n in self.numerators]
            self.denominator = denominator
        self.numerators.append(load.numerator * (denominator // load.denominator))
