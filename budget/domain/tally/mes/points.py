"""MES with Additive_Cardinal_Sat (`mes-points`) in integers: the same rounds as
`exact.PointsState` (the all-Fraction reference), with every group's budget held as an
integer over one common denominator D, and points scaled to integers.

u_i is the points voter i gave p (only > 0 counts). rho(p) is the smallest rho with
sum_i min(b_i, rho * u_i) = cost(p): walk p's supporters by increasing b_i / u_i, the ones
before the current one paying all they hold. With B_i = b_i * D (ints) and u_i ints, every
test of the walk is an integer comparison, the order is an integer key (B_i * (L / u_i), L a
common multiple of p's points), and only the answer becomes a Fraction. Paying rho * u_i may
need a larger D: D and every budget are then multiplied up (one list product per round).
Points with a fractional part are scaled by M, the common denominator of all points: the
walk finds rho / M on the points u * M, and rho is returned as it is.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

from ..profile import Profile


class ScaledPointsState:
    """Answers initial_rho(p), rho(p) and fund(p, rho), and records who paid what, as
    PointsState does (same values, same details)."""

    def __init__(self, profile: Profile, candidates: Sequence[int], voter_budget: Fraction):
        self.costs = profile.costs
        self.candidates = list(candidates)
        self.weights = [group.count for group in profile.groups]
        supporters: dict[int, list[tuple[int, int | Fraction]]] = {p: [] for p in candidates}
        for g, group in enumerate(profile.groups):
            for p, pts in zip(group.members, group.points):
                if pts > 0 and p in supporters:
                    supporters[p].append((g, pts))
        self.supporters = supporters
        points = {pts for listed in supporters.values() for _, pts in listed}
        self.scale_points = math.lcm(*(Fraction(pts).denominator for pts in points))
        m, weights = self.scale_points, self.weights
        # per candidate: [(group, points, scaled points, order multiplier)], total utility
        self.walk: dict[int, tuple[list, int]] = {}
        for p, listed in supporters.items():
            scaled = [int(pts * m) for _, pts in listed]
            common = math.lcm(*scaled)
            self.walk[p] = ([(g, pts, u, common // u) for (g, pts), u in zip(listed, scaled)],
                            sum(weights[g] * u for (g, _), u in zip(listed, scaled)))
        self.cost_scale = math.lcm(*(Fraction(self.costs[p]).denominator for p in candidates))
        self.reset(voter_budget)

    def reset(self, voter_budget: Fraction) -> None:
        self.voter_budget = Fraction(voter_budget)
        self.scale = math.lcm(self.voter_budget.denominator, self.cost_scale)   # D
        start = self.voter_budget.numerator * (self.scale // self.voter_budget.denominator)
        self.group_budget = [start] * len(self.weights)                          # b_i * D
        self.rounds: list[dict] = []

    def initial_rho(self, p: int) -> Fraction:
        return Fraction(self.costs[p]) * self.scale_points / self.walk[p][1]

    def rho(self, p: int) -> Fraction | None:
        budget, weights = self.group_budget, self.weights
        listed, utility = self.walk[p]
        remaining = int(self.costs[p] * self.scale)     # cost * D (D is a multiple of its
        order = sorted(listed, key=lambda entry: budget[entry[0]] * entry[3])  # denominator)
        for g, _, u, _ in order:
            # rho / M = remaining / (utility * D); group g pays it in full if that times u
            # is at most what it holds, B_g / D.
            if remaining * u <= budget[g] * utility:
                return Fraction(remaining * self.scale_points, utility * self.scale)
            remaining -= weights[g] * budget[g]
            utility -= weights[g] * u
        return None

    def fund(self, p: int, rho: Fraction) -> None:
        per_point = rho / self.scale_points                     # per scaled point
        grow = per_point.denominator // math.gcd(self.scale, per_point.denominator)
        if grow > 1:
            self.scale *= grow
            self.group_budget = [b * grow for b in self.group_budget]
        price = per_point.numerator * (self.scale // per_point.denominator)   # per point * D
        budget, weights, scale = self.group_budget, self.weights, self.scale
        exact: dict[int, Fraction] = {}
        paid = []
        for g, pts, u, _ in self.walk[p][0]:
            before = budget[g]
            pay = min(before, price * u)
            for value in (before, pay):
                if value not in exact:
                    exact[value] = Fraction(value, scale)
            paid.append({"voters": weights[g], "points": pts, "budget_before": exact[before],
                         "paid": exact[pay]})
            budget[g] = before - pay
        self.rounds.append({"project": p, "price_per_point": rho, "payers": paid})

    def available(self, p: int) -> Fraction:
        budget, weights = self.group_budget, self.weights
        return Fraction(sum(weights[g] * budget[g] for g, *_ in self.walk[p][0]), self.scale)

    def supporter_count(self, p: int) -> int:
        return sum(self.weights[g] for g, _ in self.supporters[p])
