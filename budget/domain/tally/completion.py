"""Equal Shares completed the way real deployments do it.

* `mes-greedy`: pabutools `completion_by_rule_combination([method_of_equal_shares,
  greedy_utilitarian_welfare])`, both with Cost_Sat: MES, then if any project (zero-vote ones
  included) still fits, greedy on the money left, keeping the MES projects.
* `mes-add1`: the same, but the MES step is pabutools' iterated variant
  (`voter_budget_increment=1`): run MES from scratch with a per-voter budget of B/n, B/n + 1,
  B/n + 2, ... (currency units). Stop at the first outcome that is exhaustive with respect to
  the MES candidates, or return the previous outcome as soon as one costs more than B.
"""
from __future__ import annotations

from fractions import Fraction

from . import greedy as greedy_rules
from . import mes as mes_rules
from .profile import Profile


def is_exhaustive(profile: Profile, selected, among) -> bool:
    """No project of `among` outside `selected` still fits in the budget."""
    spent = profile.total_cost(selected)
    chosen = set(selected)
    return not any(p not in chosen and spent + profile.costs[p] <= profile.budget
                   for p in among)


def iterated_equal_shares(profile: Profile, sat: str = "cost", increment: Fraction = 1):
    """pabutools' MES with voter_budget_increment. Returns (selected, state, per-voter budget
    of the returned run, number of MES runs)."""
    if profile.voters == 0:
        return [], None, Fraction(0), 0
    candidates, _ = mes_rules.candidates_and_free(profile, sat, ())
    voter_budget = profile.budget / profile.voters
    previous = mes_rules.candidates_and_free(profile, sat, ())[1], None, voter_budget
    state, runs = None, 0
    while True:
        selected, state = mes_rules.equal_shares(profile, sat, voter_budget, state=state)
        runs += 1
        if profile.total_cost(selected) > profile.budget:
            return previous[0], previous[1], previous[2], runs
        if is_exhaustive(profile, selected, candidates):
            return selected, state, voter_budget, runs
        previous = selected, _snapshot(state), voter_budget
        voter_budget += increment


def _snapshot(state):
    """Freeze what the details need from a run before the state is reused."""
    return None if state is None else _Frozen(state)


class _Frozen:
    def __init__(self, state):
        self.voter_budget = state.voter_budget
        self.rounds = list(state.rounds)
        self.supporters = state.supporters
        self._available = {p: state.available(p) for p in state.supporters}
        self._count = {p: state.supporter_count(p) for p in state.supporters}

    def available(self, p):
        return self._available[p]

    def supporter_count(self, p):
        return self._count[p]


def complete_with_greedy(profile: Profile, selected: list[int], mes_details: dict):
    """completion_by_rule_combination's second step: greedy (Cost_Sat) if money is left for
    any project."""
    details = {"mes": mes_details, "greedy": None}
    if is_exhaustive(profile, selected, range(len(profile.ids))):
        return selected, details
    completed, details["greedy"] = greedy_rules.greedy(profile, initial=selected)
    return completed, details


def mes_then_greedy(profile: Profile):
    selected, state = mes_rules.equal_shares(profile, "cost")
    return complete_with_greedy(profile, selected, mes_rules.mes_details(profile, state, selected))


def mes_add1(profile: Profile, increment=1):
    selected, state, voter_budget, runs = iterated_equal_shares(profile, "cost",
                                                                Fraction(increment))
    details = mes_rules.mes_details(profile, state, selected)
    details.update(voter_budget=voter_budget, runs=runs, increment=Fraction(increment))
    return complete_with_greedy(profile, selected, details)
