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

import math
from fractions import Fraction

from . import greedy as greedy_rules
from . import mes as mes_rules
from .mes_batch import BatchRuns
from .profile import Profile


def is_exhaustive(profile: Profile, selected, among) -> bool:
    """No project of `among` outside `selected` still fits in the budget."""
    spent = profile.total_cost(selected)
    chosen = set(selected)
    return not any(p not in chosen and spent + profile.costs[p] <= profile.budget
                   for p in among)


def iterated_equal_shares(profile: Profile, sat: str = "cost", increment: Fraction = 1,
                          jump: bool = True, exact: bool = False):
    """pabutools' MES with voter_budget_increment. Returns (selected, state, per-voter budget
    of the returned run, number of MES runs pabutools makes).

    pabutools runs MES at b0 + t * increment for t = 0, 1, 2, ... With jump=True, each run
    also returns its horizon h (mes_fast): the outcome is the same for every per-voter budget
    in [b, b + h), so the stop tests (which only look at the outcome) give the same answer
    for all the integers t' with t' - t < h / increment, and they are skipped. Once a horizon
    is shorter than one step, the next budgets are run together (mes_batch: blocks of 8, 16,
    ... 128 budgets; the runs share their first rounds), a budget with a close call again
    alone on the scalar engine. The returned run is redone at its own budget, so its details
    are the ones of that budget. jump=False (or exact=True, the all-Fraction engine) is the
    plain loop, kept as the reference.
    """
    if profile.voters == 0:
        return [], None, Fraction(0), 0
    candidates, _ = mes_rules.candidates_and_free(profile, sat, ())
    b0 = profile.budget / profile.voters
    increment = Fraction(increment)
    jump = jump and not exact
    state, t, batch, width, batched = None, 0, None, 32, False

    def run(t: int, horizon=None):
        nonlocal state
        selected, state = mes_rules.equal_shares(profile, sat, b0 + t * increment, state=state,
                                                 exact=exact, horizon=horizon)
        return selected

    while True:
        if batched:
            budgets = [b0 + (t + i) * increment for i in range(width)]
            outcomes = ((t + i, selected) for i, selected in batch.runs(budgets))
        else:
            horizon = [] if jump else None
            outcomes = [(t, run(t, horizon))]
        for s, selected in outcomes:
            if selected is None:            # a close call: the scalar engine decides it
                selected = run(s)
            if profile.total_cost(selected) > profile.budget:
                if s == 0:
                    return mes_rules.candidates_and_free(profile, sat, ())[1], None, b0, 1
                return run(s - 1), state, b0 + (s - 1) * increment, s + 1
            if is_exhaustive(profile, selected, candidates):
                if batched:
                    selected = run(s)       # the state and details of that budget
                return selected, state, b0 + s * increment, s + 1
        if batched:                         # then one run to see whether its horizon is long
            t, width, batched = t + width, min(4 * width, 1024), False
        elif jump:
            steps = horizon[0] / float(increment) * (1 - 1e-9)
            if steps == float("inf"):
                raise RuntimeError("add1: the MES outcome no longer depends on the budget")
            t += max(1, math.ceil(steps))
            if steps <= 1:
                batched = True
                batch = batch or BatchRuns(profile, candidates, by_cost=(sat == "cost"))
        else:
            t += 1


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
