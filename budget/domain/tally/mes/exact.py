"""The exact engine: MES in Fractions only, one evaluation at a time. It is the reference the
core and the close-call engine are tested against, and the engine of a pure-Python install
(core.exact_engine: the verifier on a laptop without a C compiler). It has no speed tricks.

Both states answer rho(p) (None when p's supporters cannot pay its cost any more),
initial_rho(p) (a lower bound) and fund(p, rho), and they record who paid what.
"""
from __future__ import annotations

import heapq
from fractions import Fraction
from typing import Sequence

from ..profile import Profile


def run(profile: Profile, sat: str, candidates: Sequence[int], voter_budget: Fraction):
    """One MES run from scratch: (winners in order, the final state). sat: "cost",
    "cardinality" or "points" (rule.equal_shares says what each means)."""
    if sat == "points":
        state = PointsState(profile, candidates, voter_budget)
    else:
        state = UniformState(profile, candidates, voter_budget, by_cost=(sat == "cost"))
    return rounds(state, candidates), state


def rounds(state, candidates: Sequence[int]) -> list[int]:
    """The rounds of MES over a state whose rho is exact (this module's, or the scaled points
    one of points.py): the winners in order."""
    heap = [(state.initial_rho(p), p) for p in candidates]
    heapq.heapify(heap)
    selected = []
    while heap:
        best, tied, evaluated = None, [], []
        while heap and (best is None or heap[0][0] <= best):
            _, p = heapq.heappop(heap)
            rho = state.rho(p)
            if rho is None:         # its supporters cannot pay for it any more: never again
                continue
            evaluated.append((rho, p))
            if best is None or rho < best:
                best, tied = rho, [p]
            elif rho == best:
                tied.append(p)
        if best is None:
            break
        winner = min(tied)
        for rho, p in evaluated:
            if p != winner:
                heapq.heappush(heap, (rho, p))
        state.fund(winner, best)
        selected.append(winner)
    return selected


def replay(state, voter_budget: Fraction, selected: Sequence[int]) -> None:
    """Bring an exact state to the end of the run at voter_budget whose winners are known."""
    state.reset(voter_budget)
    for p in selected:
        state.fund(p, state.rho(p))


class UniformState:
    """Every supporter of p has the same utility u_p (cost(p) for Cost_Sat, 1 for
    Cardinality_Sat), so rho(p) = q / u_p where q, the price per supporter, solves
    sum_i min(b_i, q) = cost(p).

    Voters with the same budget are interchangeable, so they are kept as budget classes: each
    ballot group sits in one class, and each live project counts its supporters per class.
    Funding a project moves only its supporters' groups. Drained voters (budget 0) leave every
    count: they can no longer pay, and removing them does not change any rho.
    """

    def __init__(self, profile: Profile, candidates: Sequence[int], voter_budget: Fraction,
                 by_cost: bool):
        self.profile = profile
        self.costs = profile.costs
        self.by_cost = by_cost
        self.candidates = list(candidates)
        self.supporters: dict[int, list[int]] = {p: [] for p in candidates}
        self.members: list[tuple[int, ...]] = []
        self.weights: list[int] = []
        for group in profile.groups:
            live = tuple(p for p in group.members if p in self.supporters)
            if live:
                g = len(self.members)
                self.members.append(live)
                self.weights.append(group.count)
                for p in live:
                    self.supporters[p].append(g)
        self.reset(voter_budget)

    def reset(self, voter_budget: Fraction) -> None:
        """Back to the start of a run, every voter holding voter_budget."""
        self.voter_budget = Fraction(voter_budget)
        self.budgets: list[Fraction] = [self.voter_budget]
        self.class_of_budget: dict[Fraction, int] = {self.voter_budget: 0}
        self.group_class = [0] * len(self.members)
        self.live = set(self.candidates)
        self.counts: dict[int, dict[int, int]] = {
            p: {0: sum(self.weights[g] for g in self.supporters[p])} for p in self.candidates}
        if self.voter_budget == 0:
            self.counts = {p: {} for p in self.candidates}
        self.rounds: list[dict] = []

    def initial_rho(self, p: int) -> Fraction:
        weight = sum(self.weights[g] for g in self.supporters[p])
        return Fraction(1, weight) if self.by_cost else Fraction(self.costs[p], weight)

    def price(self, p: int) -> Fraction | None:
        """The price per supporter q, or None if the supporters' money is short."""
        remaining = self.costs[p]
        count = self.counts[p]
        weight = sum(count.values())
        budgets = self.budgets
        for cls in sorted(count, key=budgets.__getitem__):
            q = Fraction(remaining, weight) if isinstance(remaining, int) else remaining / weight
            if q <= budgets[cls]:
                return q
            remaining -= count[cls] * budgets[cls]
            weight -= count[cls]
        return None

    def rho(self, p: int) -> Fraction | None:
        q = self.price(p)
        if q is None:
            self.live.discard(p)
            return None
        return q / self.costs[p] if self.by_cost else q

    def _class(self, budget: Fraction) -> int:
        cls = self.class_of_budget.get(budget)
        if cls is None:
            cls = self.class_of_budget[budget] = len(self.budgets)
            self.budgets.append(budget)
        return cls

    def fund(self, p: int, rho: Fraction) -> None:
        q = rho * self.costs[p] if self.by_cost else rho
        self.live.discard(p)
        moves, paid = {}, []
        for cls, weight in self.counts[p].items():
            budget = self.budgets[cls]
            pay = min(budget, q)
            moves[cls] = None if pay == budget else self._class(budget - pay)
            paid.append({"voters": weight, "budget_before": budget, "paid": pay})
        paid.sort(key=lambda payer: payer["budget_before"], reverse=True)   # (as history.py)
        self.rounds.append({"project": p, "price": q, "payers": paid})
        live, counts, weights = self.live, self.counts, self.weights
        for g in self.supporters[p]:
            old = self.group_class[g]
            if old is None:
                continue
            new = moves[old]
            self.group_class[g] = new
            weight = weights[g]
            for other in self.members[g]:
                if other in live:
                    count = counts[other]
                    left = count[old] - weight
                    if left:
                        count[old] = left
                    else:
                        del count[old]
                    if new is not None:
                        count[new] = count.get(new, 0) + weight

    def available(self, p: int) -> Fraction:
        """What p's supporters hold now, in total."""
        total = Fraction(0)
        for g in self.supporters[p]:
            cls = self.group_class[g]
            if cls is not None:
                total += self.weights[g] * self.budgets[cls]
        return total

    def supporter_count(self, p: int) -> int:
        return sum(self.weights[g] for g in self.supporters[p])


class PointsState:
    """Additive_Cardinal_Sat: u_i = the points voter i gave p (only > 0 counts). Each ballot
    group keeps its own budget; rho(p) is found by walking the supporters by budget / u."""

    def __init__(self, profile: Profile, candidates: Sequence[int], voter_budget: Fraction):
        self.costs = profile.costs
        self.candidates = list(candidates)
        self.weights = [group.count for group in profile.groups]
        self.supporters: dict[int, list[tuple[int, Fraction]]] = {p: [] for p in candidates}
        for g, group in enumerate(profile.groups):
            for p, pts in zip(group.members, group.points):
                if pts > 0 and p in self.supporters:
                    self.supporters[p].append((g, pts))
        self.reset(voter_budget)

    def reset(self, voter_budget: Fraction) -> None:
        self.voter_budget = Fraction(voter_budget)
        self.group_budget = [self.voter_budget] * len(self.weights)
        self.rounds: list[dict] = []

    def initial_rho(self, p: int) -> Fraction:
        return Fraction(self.costs[p]) / sum(self.weights[g] * u for g, u in self.supporters[p])

    def rho(self, p: int) -> Fraction | None:
        budget, weights = self.group_budget, self.weights
        remaining = Fraction(self.costs[p])
        utility = sum(weights[g] * u for g, u in self.supporters[p])
        for g, u in sorted(self.supporters[p], key=lambda gu: budget[gu[0]] / gu[1]):
            rho = remaining / utility
            if rho * u <= budget[g]:
                return rho
            remaining -= weights[g] * budget[g]
            utility -= weights[g] * u
        return None

    def fund(self, p: int, rho: Fraction) -> None:
        paid = []
        for g, u in self.supporters[p]:
            pay = min(self.group_budget[g], rho * u)
            paid.append({"voters": self.weights[g], "points": u,
                         "budget_before": self.group_budget[g], "paid": pay})
            self.group_budget[g] -= pay
        self.rounds.append({"project": p, "price_per_point": rho, "payers": paid})

    def available(self, p: int) -> Fraction:
        return sum((self.weights[g] * self.group_budget[g] for g, _ in self.supporters[p]),
                   Fraction(0))

    def supporter_count(self, p: int) -> int:
        return sum(self.weights[g] for g, _ in self.supporters[p])
