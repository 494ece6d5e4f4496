"""The exact shadow of a float MES run: every budget class and every round, kept symbolically,
so that exact Fractions are computed only where a decision needs them (near-ties, details).

A budget class is created either at the start (class 0: every voter holds the per-voter
budget b) or when a round funds a project: each class of its supporters that was not capped
(did not pay all it had) becomes a child class holding `parent budget - Q`, where Q is that
round's exact price per supporter. Capped classes are drained (budget 0) and get no child.
(Class ids are given by the caller: patterns.py's ballot patterns.) So

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
        self._scaled = None         # scaled_prices(): (rounds, prices, D, budgets * D)

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

    def scaled_prices(self) -> tuple[list[int], int]:
        """([price of round r * D as an int], D): every round's exact price over one common
        denominator D (a multiple of the per-voter budget's and of the costs').

        Integers instead of Fractions (one gcd per round instead of several per operation):
        rounds in order, the capped classes' budgets as integer chains; when a price needs a
        larger denominator, D and everything held so far are multiplied up. Prices found this
        way are stored (as Fractions) for price()."""
        count = len(self.rounds)
        if self._scaled is not None and self._scaled[0] == count:
            return self._scaled[1], self._scaled[2]
        scale = self.voter_budget.denominator
        for round_ in self.rounds:
            if isinstance(round_.cost, Fraction):
                scale = math.lcm(scale, round_.cost.denominator)
        prices: list[int] = []
        memo = {0: self.voter_budget.numerator * (scale // self.voter_budget.denominator)}
        for round_ in self.rounds:
            if round_.price is not None:
                price = round_.price
                grow = price.denominator // math.gcd(scale, price.denominator)
            else:
                paid = sum(n * self._scaled_budget(c, memo, prices) for c, n in round_.capped)
                rest = int(round_.cost * scale) - paid     # price * scale * uncapped
                grow = round_.uncapped // math.gcd(rest, round_.uncapped)
            if grow > 1:
                scale *= grow
                prices = [q * grow for q in prices]
                memo = {c: v * grow for c, v in memo.items()}
            if round_.price is not None:
                prices.append(price.numerator * (scale // price.denominator))
            else:
                prices.append(rest * grow // round_.uncapped)
                round_.price = Fraction(prices[-1], scale)
        self._scaled = (count, prices, scale, memo)
        return prices, scale

    def _scaled_budget(self, c: int, memo: dict[int, int], prices: list[int]) -> int:
        """budget(c) * D, from memo (budgets * D) and the scaled prices; fills memo."""
        chain = []
        node = c
        while node not in memo:
            chain.append(node)
            node = self.parent[node]
        for node in reversed(chain):
            memo[node] = memo[self.parent[node]] - prices[self.round_of[node]]
        return memo[c]

    def scaled_budgets(self, classes) -> tuple[dict[int, int], int]:
        """({class: budget * D as an int}, D) for the given classes, D a common denominator
        (scaled_prices)."""
        prices, scale = self.scaled_prices()
        memo = self._scaled[3]
        return {c: self._scaled_budget(c, memo, prices) for c in classes}, scale

    def details(self) -> list[dict]:
        """Every round as plain exact data: project, price per supporter, and per budget
        (classes with equal budgets merged, as the exact engine does; the largest budget
        first, so that every engine lists them in the same order): voters, budget before,
        paid."""
        prices, scale = self.scaled_prices()
        memo = self._scaled[3]
        exact: dict[int, Fraction] = {}     # budget * D -> budget (one gcd per value)
        result = []
        for round_, scaled_price in zip(self.rounds, prices):
            merged: dict[int, int] = {}
            for c, n in round_.payers:
                before = memo.get(c)
                if before is None:
                    before = self._scaled_budget(c, memo, prices)
                merged[before] = merged.get(before, 0) + n
            payers = []
            for before, n in sorted(merged.items(), reverse=True):
                value = exact.get(before)
                if value is None:
                    value = exact[before] = Fraction(before, scale)
                payers.append({"voters": n, "budget_before": value,
                               "paid": value if before <= scaled_price else round_.price})
            result.append({"project": round_.project, "price": round_.price, "payers": payers})
        return result
