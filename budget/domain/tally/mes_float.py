"""MES with uniform utilities (Cost_Sat, Cardinality_Sat) in floats, exact where it matters.

Same model as `mes_state.UniformState` (voters with equal budgets form a class; p's price per
supporter q solves sum_c n_c * min(B_c, q) = cost(p), rho = q / u_p), but every class holds a
float budget `bf` next to its exact budget, which `BudgetHistory` computes only on demand.
A project's {class: voters} is counted when it is evaluated (C-level Counter over its
supporter groups), and funding only re-labels the winner's groups (C-level dict.update).

Why a float decision equals the exact one (u = 2**-53, unit round-off):
* `bf` is within `eB` of the exact budget B for every class (eB starts at u*b and grows, per
  funded project, by that price's error bound plus u*b for the subtraction; budgets are <= b).
* The walk visits p's classes by increasing bf. At step k (k classes capped so far, weight W_k
  left) it computes rem = cost - sum_{j<k} n_j bf_j and q = rem / W_k. While every earlier step
  was decided exactly, sum_{j<k} n_j B_j < cost, so every partial sum is below 2*cost and the
  2k+2 roundings plus the budget errors give |q - Q_k| <= eq_k with
      eq_k = (8u (k+1) cost + (W_0 - W_k) eB) / W_k,
  Q_k being the exact price for the same capped set. The code uses twice that bound.
* A step is "clear" when |q - bf_k| > eq_k + eB: then q < B_k (accept) or q > B_k (cap) holds
  exactly too. If every step is clear, the capped set A is exactly {c : B_c < Q} (classes after
  the accepted one have bf >= bf_k, so B >= bf_k - eB > Q; capping a class with B < Q raises
  the price, so earlier capped classes stay below Q), hence Q_A is the exact price and
  |q - Q_A| <= eq. The same argument shows "unaffordable" (all capped) is exact.
* Otherwise the walk is redone exactly (`exact_walk`). rho comparisons use the same bounds:
  two rhos whose intervals overlap are recomputed exactly before the winner is chosen.

Slopes (for add1, see mes_fast): every budget is affine in b with slope >= 1, a price's slope
is -sum_{capped} n_c slope_c / W <= 0; these are sums of non-negative floats, so their
relative error is bounded by `rel_s` (grown by (|A| + 4) u per round, used twice).
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Sequence

from .mes_history import BudgetHistory, Round
from .profile import Profile

U = 2.0 ** -53
INF = float("inf")


SMALL_GROUP = 8


class Evaluation:
    """rho(p) now: float value, error bound, slope in b and its error bound, and the walk."""

    __slots__ = ("p", "count", "rho", "err", "slope", "slope_err", "q", "q_err", "q_slope", "capped",
                 "uncapped", "exact_price", "exact_rho", "horizon")

    def __init__(self, p):
        self.p = p
        self.exact_price = self.exact_rho = None


class FloatUniformState:
    """The voters' money during one run; answers evaluate(p) and fund(evaluation)."""

    def __init__(self, profile: Profile, candidates: Sequence[int], voter_budget, by_cost):
        self.profile = profile
        self.costs = profile.costs
        self.costf = [float(c) for c in profile.costs]
        self.by_cost = by_cost
        self.candidates = list(candidates)
        self.supporters: dict[int, list[int]] = {p: [] for p in candidates}
        self.weights: list[int] = []
        for group in profile.groups:
            live = [p for p in group.members if p in self.supporters]
            if live:
                g = len(self.weights)
                self.weights.append(group.count)
                for p in live:
                    self.supporters[p].append(g)
        # Groups of few voters are counted by Counter (C speed), repeated once per voter;
        # larger groups one by one.
        self.single = {p: [g for g in gs if self.weights[g] <= SMALL_GROUP
                           for _ in range(self.weights[g])]
                       for p, gs in self.supporters.items()}
        self.multiple = {p: [(g, self.weights[g]) for g in gs if self.weights[g] > SMALL_GROUP]
                         for p, gs in self.supporters.items()}
        self.total_weight = {p: sum(self.weights[g] for g in gs)
                             for p, gs in self.supporters.items()}
        self.reset(voter_budget)

    def reset(self, voter_budget) -> None:
        """Back to the start of a run, every voter holding voter_budget."""
        self.voter_budget = Fraction(voter_budget)
        self.history = BudgetHistory(self.voter_budget)
        b = float(self.voter_budget)
        self.b = b
        self.bf = [b]
        self.sf = [1.0]
        self.eB = U * b
        self.rel_s = 2 * U
        self.group_class: dict = dict.fromkeys(range(len(self.weights)), 0)
        self.live = set(self.candidates)
        self.won: list[tuple[int, float, float]] = []     # (project, rho, err) per round
        self._rounds = None

    def initial_key(self, p: int) -> float:
        """A lower bound of rho(p) for the whole run (everybody uncapped)."""
        w = self.total_weight[p]
        return (1.0 / w if self.by_cost else self.costf[p] / w) * (1 - 4 * U)

    # -- evaluation -------------------------------------------------------------------------

    def evaluate(self, p: int) -> Evaluation:
        """rho(p) with error bounds; ev.rho is None when p's supporters cannot pay it. Also
        sets ev.horizon: how far b may grow with this walk keeping its capped set."""
        ev = Evaluation(p)
        if not self._float_walk(ev):
            self.exact_walk(ev)
        if ev.q is not None:
            u = self.costf[p] if self.by_cost else 1.0
            ev.rho = ev.q / u
            ev.err = 2 * (ev.q_err / u + 2 * U * ev.rho)
            ev.slope = ev.q_slope / u
            ev.slope_err = 2 * (self.rel_s + (len(ev.capped) + 4) * U) * abs(ev.slope)
        else:
            ev.rho = None
        return ev

    def _float_walk(self, ev: Evaluation) -> bool:
        """Fill ev from the float walk; False when a step is too close to call."""
        p = ev.p
        count = ev.count = self.count(p)
        W0 = sum(count.values())
        if not W0:
            ev.q, ev.horizon = None, INF
            return True
        bf, sf, eB = self.bf, self.sf, self.eB
        cost = self.costf[p]
        q = cost / W0
        eq = 16 * U * cost / W0
        if q + eq + eB < min(map(bf.__getitem__, count)):
            ev.q, ev.q_err, ev.q_slope, ev.capped, ev.uncapped, ev.horizon = (
                q, eq, 0.0, (), W0, INF)
            return True
        rem, W, k = cost, W0, 0
        slope_sum = max_slope = 0.0
        order = sorted(count, key=bf.__getitem__)
        for c in order:
            b, n = bf[c], count[c]
            q = rem / W
            eq = 2 * (8 * U * (k + 1) * cost + (W0 - W) * eB) / W
            if q + eq + eB < b:
                ev.q, ev.q_err, ev.capped, ev.uncapped = q, eq, order[:k], W
                ev.q_slope = -slope_sum / W
                ev.horizon = INF
                if k:
                    gap = q - eq - bf[order[k - 1]] - eB
                    rate = (max_slope - ev.q_slope) * (1 + 2 * self.rel_s + 2 * (k + 4) * U)
                    ev.horizon = max(gap, 0.0) / rate
                return True
            if q - eq - eB <= b:
                return False
            rem -= n * b
            W -= n
            k += 1
            s = sf[c]
            slope_sum += n * s
            if s > max_slope:
                max_slope = s
        # Every class capped, the last one clearly: the supporters hold less than the cost.
        err = 2 * (8 * U * (k + 1) * cost + W0 * eB)
        ev.q = None
        ev.horizon = max(rem - err, 0.0) / (slope_sum * (1 + 2 * self.rel_s + 2 * (k + 4) * U))
        return True

    def exact_walk(self, ev: Evaluation) -> None:
        """Recompute ev exactly (the walk of pabutools on exact budgets)."""
        p = ev.p
        count = ev.count
        budget = self.history.budget
        items = sorted((budget(c), c) for c in count)
        rem, W = Fraction(self.costs[p]), sum(count.values())
        capped, price, tight = [], None, False
        slope_sum = max_slope = 0.0
        for B, c in items:
            q = rem / W
            if q < B:
                price = q
                break
            tight = tight or q == B
            n = count[c]
            capped.append(c)
            rem -= n * B
            W -= n
            s = self.sf[c]
            slope_sum += n * s
            max_slope = max(max_slope, s)
            if W == 0:
                if rem == 0:
                    price, tight = B, True
                break
        ev.horizon = INF
        if price is None:
            ev.q = None
            if slope_sum:
                ev.horizon = float(rem) * (1 - 1e-9) / (slope_sum * (1 + 2 * self.rel_s))
            return
        ev.exact_price = price
        ev.exact_rho = price / self.costs[p] if self.by_cost else price
        ev.q, ev.q_err = float(price), 2 * U * float(price)
        ev.capped, ev.uncapped = capped, W
        ev.q_slope = -slope_sum / W if W else 0.0
        if tight:
            ev.horizon = 0.0
        elif capped:
            gap = float(price - budget(capped[-1])) * (1 - 1e-9)
            rate = (max_slope - ev.q_slope) * (1 + 2 * self.rel_s + 2 * (len(capped) + 4) * U)
            ev.horizon = gap / rate

    def make_exact(self, ev: Evaluation) -> None:
        """Give ev its exact rho (keeping the float fields consistent with it)."""
        if ev.exact_rho is not None:
            return
        horizon = ev.horizon
        self.exact_walk(ev)
        ev.horizon = min(horizon, ev.horizon)
        u = self.costf[ev.p] if self.by_cost else 1.0
        ev.rho = ev.q / u
        ev.err = 4 * U * ev.rho
        ev.slope = ev.q_slope / u
        ev.slope_err = 2 * (self.rel_s + (len(ev.capped) + 4) * U) * abs(ev.slope)

    def exact_slope(self, ev: Evaluation) -> Fraction:
        """d rho / d b for an exactly evaluated ev (its capped set must not be empty-weight)."""
        if not ev.uncapped:
            return Fraction(0)
        slope = self.history.slope
        total = sum((ev.count[c] * slope(c) for c in ev.capped), Fraction(0))
        s = -total / ev.uncapped
        return s / self.costs[ev.p] if self.by_cost else s

    # -- funding ----------------------------------------------------------------------------

    def drop(self, p: int) -> None:
        self.live.discard(p)

    def count(self, p: int) -> dict[int, int]:
        """p's supporters still holding money, as {budget class: voters}."""
        gc = self.group_class
        count = Counter(map(gc.__getitem__, self.single[p]))
        for g, w in self.multiple[p]:
            c = gc[g]
            count[c] = count.get(c, 0) + w
        count.pop(None, None)
        return count

    def fund(self, ev: Evaluation) -> None:
        """Every supporter of ev.p pays min(budget, q): capped classes are drained, the others
        move to a child class."""
        p = ev.p
        self.won.append((p, ev.rho, ev.err))
        self.live.discard(p)
        count = ev.count
        history = self.history
        capped = set(ev.capped)
        r = history.add_round(Round(p, self.costs[p], [(c, count[c]) for c in ev.capped],
                                    ev.uncapped, list(count.items()), ev.exact_price))
        q, dq = ev.q, ev.q_slope
        bf, sf = self.bf, self.sf
        moves = {None: None}
        for c in count:
            if c in capped:
                moves[c] = None
            else:
                moves[c] = history.new_class(c, r)
                bf.append(bf[c] - q)
                sf.append(sf[c] - dq)
        self.eB += 2 * (ev.q_err + U * self.b)
        self.rel_s += 2 * (len(capped) + 4) * U
        gc, groups = self.group_class, self.supporters[p]
        gc.update(zip(groups, map(moves.__getitem__, map(gc.__getitem__, groups))))

    def exact_rho_of_round(self, r: int) -> Fraction:
        price = self.history.price(r)
        return price / self.costs[self.won[r][0]] if self.by_cost else price

    # -- details ----------------------------------------------------------------------------

    @property
    def rounds(self) -> list[dict]:
        if self._rounds is None:
            self._rounds = self.history.details()
        return self._rounds

    def available(self, p: int) -> Fraction:
        """What p's supporters hold now, in total (exact)."""
        return self.available_all([p])[p]

    def available_all(self, projects) -> dict[int, Fraction]:
        """available(p) for each p, sharing one common denominator."""
        per_project = {}
        for p in projects:
            per_class: dict[int, int] = {}
            for g in self.supporters[p]:
                c = self.group_class[g]
                if c is not None:
                    per_class[c] = per_class.get(c, 0) + self.weights[g]
            per_project[p] = per_class
        scaled, scale = self.history.scaled_budgets(
            {c for per_class in per_project.values() for c in per_class})
        return {p: Fraction(sum(n * scaled[c] for c, n in per_class.items()), scale)
                for p, per_class in per_project.items()}

    def supporter_count(self, p: int) -> int:
        return self.total_weight[p]
