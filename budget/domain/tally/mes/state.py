"""The Python state of a MES run with uniform utilities (Cost_Sat, Cardinality_Sat): it
decides the close calls the compiled core leaves (close_call.py) and replays a run's winners
for the exact explanation where the core's walk of them is too close to call
(rule.run_details, replay_run). In floats, exact where it matters.

Same model as `exact.UniformState` (voters with equal budgets form a class; p's price per
supporter q solves sum_c n_c * min(B_c, q) = cost(p), rho = q / u_p), but every class holds a
float budget `bf` next to its exact budget, which `BudgetHistory` computes only on demand.
A class is named by a ballot pattern (patterns.py): a project's {class: voters} is counted
once per sequence of winners and shared by all runs on the profile; a run only removes the
classes it drained.

Why a float decision equals the exact one: see walk.py.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .history import BudgetHistory, Round
from .patterns import Patterns
from ..profile import Profile

from .walk import INF, U, exact_walk, float_walk  # noqa: F401  (INF: re-exported)


class Evaluation:
    """rho(p) now: float value, error bound, slope in b and its error bound, and the walk."""

    __slots__ = ("p", "count", "rho", "err", "slope", "slope_err", "q", "q_err", "q_slope",
                 "capped", "uncapped", "exact_price", "exact_rho", "horizon")

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
        self.patterns = Patterns.of(profile, candidates)
        self.total_weight = self.patterns.weight
        self.reset(voter_budget)

    def reset(self, voter_budget) -> None:
        """Back to the start of a run, every voter holding voter_budget."""
        self.voter_budget = Fraction(voter_budget)
        self.history = BudgetHistory(self.voter_budget)
        b = float(self.voter_budget)
        self.b = b
        self.bf = {0: b}            # per class (a ballot pattern, see patterns.py)
        self.sf = {0: 1.0}
        self.ef = {0: 2 * U * b}    # error bound of bf (walk.py; twice |b - float(b)|, so
        self.lo = {0: b - 2 * U * b}    # lo = bf - ef, rounded, is still below the budget)
        self.rel_s = 2 * U
        self.winners = 0            # mask of the projects funded so far
        self.drained: set[int] = set()
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
        if not float_walk(self, ev):
            exact_walk(self, ev)
        if ev.q is not None:
            u = self.costf[p] if self.by_cost else 1.0
            ev.rho = ev.q / u
            ev.err = 2 * (ev.q_err / u + 2 * U * ev.rho)
            ev.slope = ev.q_slope / u
            ev.slope_err = 2 * (self.rel_s + (len(ev.capped) + 4) * U) * abs(ev.slope)
        else:
            ev.rho = None
        return ev

    def make_exact(self, ev: Evaluation) -> None:
        """Give ev its exact rho (keeping the float fields consistent with it)."""
        if ev.exact_rho is not None:
            return
        horizon = ev.horizon
        exact_walk(self, ev)
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
        """p's supporters still holding money, as {budget class: voters}. Do not modify."""
        count = self.patterns.count(self.winners, p)
        drained = self.drained
        if drained and not drained.isdisjoint(count):
            keys = set(count).difference(drained)     # (not `count.keys() - drained`, which
            count = dict(zip(keys, map(count.__getitem__, keys)))    # walks all of drained)
        return count

    def fund(self, ev: Evaluation) -> None:
        """Every supporter of ev.p pays min(budget, q): capped classes are drained, the others
        move to a child class (ev must come from evaluate() in this round)."""
        p = ev.p
        self.won.append((p, ev.rho, ev.err))
        self.live.discard(p)
        count = ev.count
        history = self.history
        capped = set(ev.capped)
        r = history.add_round(Round(p, self.costs[p], [(c, count[c]) for c in ev.capped],
                                    ev.uncapped, list(count.items()), ev.exact_price))
        q, dq = ev.q, ev.q_slope
        bf, sf, ef, lo = self.bf, self.sf, self.ef, self.lo
        bit = self.patterns.bit[p]
        grow = 2 * (ev.q_err + U * self.b)
        # For each uncapped class c, its child c | bit (C-level maps: this runs every round).
        parents = [c for c in count if c not in capped]
        children = [c | bit for c in parents]
        history.new_classes(children, parents, r)
        budgets = list(map(q.__rsub__, map(bf.__getitem__, parents)))
        errors = list(map(grow.__add__, map(ef.__getitem__, parents)))
        bf.update(zip(children, budgets))
        sf.update(zip(children, map(dq.__rsub__, map(sf.__getitem__, parents))))
        ef.update(zip(children, errors))
        lo.update(zip(children, map(float.__sub__, budgets, errors)))
        drained = self.drained
        if capped or drained:       # a drained group stays drained when it supports p too
            dead = capped.union(drained.intersection(self.patterns.count(self.winners, p)))
            drained.update([c | bit for c in dead])
        self.winners |= bit
        self.rel_s += 2 * (len(capped) + 4) * U

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
        per_project = {p: self.count(p) for p in projects}
        scaled, scale = self.history.scaled_budgets(
            {c for per_class in per_project.values() for c in per_class})
        return {p: Fraction(sum(n * scaled[c] for c, n in per_class.items()), scale)
                for p, per_class in per_project.items()}

    def supporter_count(self, p: int) -> int:
        return self.total_weight[p]
