"""The exact shadow of a float MES run: every budget class and every round, kept symbolically,
so that exact Fractions are computed only where a decision needs them (near-ties, details).

A budget class is created either at the start (class 0: every voter holds the per-voter
budget b) or when a round funds a project: each class of its supporters that was not capped
(did not pay all it had) becomes a child class holding `parent budget - Q`, where Q is that
round's exact price per supporter. Capped classes are drained (budget 0) and get no child.
(Class ids are given by the caller: mes_patterns' ballot patterns.) So

    budget(c) = budget(parent(c)) - Q(round(c)),
    Q(r)      = (cost(r) - sum_{a capped in r} n_a * budget(a)) / W(r)   (W: uncapped voters),

and, as functions of b (used by add1 to find how far b can grow with the same outcome):

    slope(root) = 1,   slope(c) = slope(parent(c)) + S(round(c)),
    S(r)        = sum_{a capped in r} n_a * slope(a) / W(r)              (so slopes are >= 1).

Values are memoised, so each is computed at most once per run.
"""
from __future__ import annotations

import math
from fractions import Fraction


class Round:
    """One funded project: who was capped, how many voters were not, and who paid."""

    __slots__ = ("project", "cost", "capped", "uncapped", "payers", "price", "shift")

    def __init__(self, project, cost, capped, uncapped, payers, price=None):
        self.project = project
        self.cost = cost
        self.capped = capped        # [(class, voters)] paying everything they hold
        self.uncapped = uncapped    # number of voters paying exactly the price
        self.payers = payers        # [(class, voters)] every class of supporters
        self.price = price          # exact Q, filled lazily
        self.shift = None           # exact S, filled lazily


class BudgetHistory:
    def __init__(self, voter_budget: Fraction):
        self.voter_budget = Fraction(voter_budget)
        self.parent: dict[int, int] = {0: -1}
        self.round_of: dict[int, int] = {0: -1}
        self._budget: dict = {0: self.voter_budget}
        self._slope: dict = {0: Fraction(1)}
        self.rounds: list[Round] = []

    def new_classes(self, classes, parents, round_index: int) -> None:
        """Each class of `classes`: the uncapped supporters of the matching class of
        `parents` in round `round_index`."""
        self.parent.update(zip(classes, parents))
        self.round_of.update(dict.fromkeys(classes, round_index))

    def add_round(self, round_: Round) -> int:
        self.rounds.append(round_)
        return len(self.rounds) - 1

    def _chain(self, c: int, memo: list) -> list[int]:
        """c and its ancestors up to (excluding) the first one with a memoised value."""
        chain = []
        while c not in memo:
            chain.append(c)
            c = self.parent[c]
        return chain

    def budget(self, c: int) -> Fraction:
        """The exact budget of class c."""
        memo = self._budget
        for node in reversed(self._chain(c, memo)):
            memo[node] = memo[self.parent[node]] - self.price(self.round_of[node])
        return memo[c]

    def slope(self, c: int) -> Fraction:
        """d budget(c) / d b, exact."""
        memo = self._slope
        for node in reversed(self._chain(c, memo)):
            memo[node] = memo[self.parent[node]] + self.shift(self.round_of[node])
        return memo[c]

    def price(self, r: int) -> Fraction:
        """The exact price per supporter paid in round r."""
        round_ = self.rounds[r]
        if round_.price is None:
            paid = sum((n * self.budget(a) for a, n in round_.capped), Fraction(0))
            round_.price = (round_.cost - paid) / round_.uncapped
        return round_.price

    def shift(self, r: int) -> Fraction:
        """-(d price / d b) in round r, exact (>= 0)."""
        round_ = self.rounds[r]
        if round_.shift is None:
            total = sum((n * self.slope(a) for a, n in round_.capped), Fraction(0))
            round_.shift = total / round_.uncapped if round_.uncapped else Fraction(0)
        return round_.shift

    def scaled_budgets(self, classes) -> tuple[dict[int, int], int]:
        """({class: budget * D as an int}, D) for the given classes, D a common denominator.
        Integer chains instead of Fractions: one gcd at the end instead of one per step."""
        prices = [self.price(r) for r in range(len(self.rounds))]
        scale = self.voter_budget.denominator
        for q in prices:
            scale = math.lcm(scale, q.denominator)
        scaled_prices = [q.numerator * (scale // q.denominator) for q in prices]
        memo = {0: self.voter_budget.numerator * (scale // self.voter_budget.denominator)}
        parent, round_of = self.parent, self.round_of
        result = {}
        for c in classes:
            chain = []
            node = c
            while node not in memo:
                chain.append(node)
                node = parent[node]
            for node in reversed(chain):
                memo[node] = memo[parent[node]] - scaled_prices[round_of[node]]
            result[c] = memo[c]
        return result, scale

    def details(self) -> list[dict]:
        """Every round as plain exact data: project, price per supporter, and per budget
        (classes with equal budgets merged, as the exact engine does): voters, budget before,
        paid."""
        scaled, scale = self.scaled_budgets(c for r in self.rounds for c, _ in r.payers)
        result = []
        for r, round_ in enumerate(self.rounds):
            price = self.price(r)
            merged: dict[int, int] = {}
            for c, n in round_.payers:
                before = scaled[c]
                merged[before] = merged.get(before, 0) + n
            payers = []
            for before, n in merged.items():
                before = Fraction(before, scale)
                payers.append({"voters": n, "budget_before": before,
                               "paid": min(before, price)})
            result.append({"project": round_.project, "price": price, "payers": payers})
        return result
