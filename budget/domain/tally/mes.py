"""The Method of Equal Shares, as pabutools 1.2.3 `method_of_equal_shares` computes it.

Every voter starts with the same budget b. A project p with supporters i and utilities u_i is
affordable at the price factor rho(p), the smallest rho with sum_i min(b_i, rho * u_i) =
cost(p). Each round funds the project with the smallest rho (ties: first in tie order); its
supporters pay min(b_i, rho * u_i). The rule stops when no project is affordable. Candidates
are the projects with cost > 0 and some supporter; with Cardinality_Sat a cost-0 project with
supporters is funded before the first round (with Cost_Sat its satisfaction is 0).

Outcomes are exact. Cost_Sat and Cardinality_Sat run in floats with exact fallbacks on
near-ties (mes_float, mes_fast), Additive_Cardinal_Sat in integers over a common denominator
(mes_points); `exact=True` uses the all-Fraction engine below. Speed comes from structure:
* utilities that are the same for every supporter (Cost_Sat: the cost; Cardinality_Sat: 1)
  reduce the search to a price q = rho * u, and voters with the same budget are
  interchangeable, so they are kept as budget classes (see UniformState);
* rho(p) never decreases, so stale values in a heap are lower bounds: only projects whose
  bound is <= the best rho of the round are re-evaluated (<=, so exact ties are all seen).
"""
from __future__ import annotations

import heapq
from fractions import Fraction
from typing import Mapping, Sequence

from . import mes_core
from .mes_fast import run_rounds
from .mes_float import FloatUniformState
from .mes_points import ScaledPointsState
from .mes_state import PointsState, UniformState
from .model import Explanation
from .profile import Profile

SATS = ("cost", "cardinality", "points")


def candidates_and_free(profile: Profile, sat: str, initial: Sequence[int]):
    """(MES candidates, cost-0 projects funded up front), both in index order.

    A project's total satisfaction counts only voters with satisfaction > 0. Cost_Sat gives a
    cost-0 project satisfaction 0, so it is neither; the other two fund it up front.
    """
    key = ("mes-candidates", sat, tuple(initial))
    cached = profile.cache.get(key)
    if cached is None:
        cached = profile.cache[key] = _candidates_and_free(profile, sat, initial)
    return list(cached[0]), list(cached[1])


def _candidates_and_free(profile: Profile, sat: str, initial: Sequence[int]):
    support = _positive_points(profile) if sat == "points" else profile.votes()
    taken = set(initial)
    candidates, free = [], []
    for p, cost in enumerate(profile.costs):
        if p in taken or support[p] <= 0:
            continue
        if cost > 0:
            candidates.append(p)
        elif sat != "cost":
            free.append(p)
    return candidates, free


def _positive_points(profile: Profile) -> list:
    total = [0] * len(profile.ids)
    for group in profile.groups:
        for p, pts in zip(group.members, group.points):
            if pts > 0:
                total[p] += pts * group.count
    return total


def make_state(profile: Profile, sat: str, candidates: Sequence[int], voter_budget: Fraction,
               exact: bool = False):
    if sat == "points":
        if exact:
            return PointsState(profile, candidates, voter_budget)
        return ScaledPointsState(profile, candidates, voter_budget)
    if exact:
        return UniformState(profile, candidates, voter_budget, by_cost=(sat == "cost"))
    return FloatUniformState(profile, candidates, voter_budget, by_cost=(sat == "cost"))


def equal_shares(profile: Profile, sat: str = "cost", voter_budget: Fraction | None = None,
                 initial: Sequence[int] = (), state=None, exact: bool = False,
                 horizon: list | None = None, keep_state: bool = True
                 ) -> tuple[list[int], object]:
    """Run MES once. Returns (selected indices in order, the final state).

    voter_budget: per-voter endowment, default budget / number of voters (empty ballots
    count). initial: projects already funded (not candidates, money not deducted, as in
    pabutools). sat: "cost" (Cost_Sat), "cardinality" (Cardinality_Sat) or "points"
    (Additive_Cardinal_Sat: only voters giving > 0 points support a project). state: one
    from an earlier call with the same profile, sat and initial, reused. exact: use the
    all-Fraction engine (the reference the float engine is tested against). horizon: a list
    to receive the float distance d such that the outcome is the same for every per-voter
    budget in [voter_budget, voter_budget + d) (float engine only; used by add1).
    keep_state=False: the caller only wants the outcome, so the state may be left at another
    run (a run the compiled core finished is then not replayed in Python).
    """
    if sat not in SATS:
        raise ValueError(f"unknown satisfaction {sat!r}; known: {SATS}")
    selected = list(initial)
    if profile.voters == 0:
        return selected, None
    if voter_budget is None:
        voter_budget = profile.budget / profile.voters
    candidates, free = candidates_and_free(profile, sat, initial)
    selected.extend(free)
    if state is None:
        state = make_state(profile, sat, candidates, voter_budget, exact)
    else:
        state.reset(voter_budget)
    if isinstance(state, FloatUniformState):
        decided = []
        if mes_core.usable(profile):
            decided, finished, distance = mes_core.run(profile, candidates, voter_budget,
                                                       state.by_cost)
            if finished:
                if horizon is not None:
                    horizon.append(distance)
                if keep_state:
                    replay_run(state, voter_budget, decided)
                return selected + decided, state
            if horizon is not None:
                decided = []    # a horizon needs every round tracked: from the start
        chosen, distance = run_rounds(state, candidates, track=horizon is not None,
                                      decided=decided)
        if horizon is not None:
            horizon.append(distance)
        return selected + chosen, state
    heap = [(state.initial_rho(p), p) for p in candidates]
    heapq.heapify(heap)
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
    return selected, state


def run_rule(profile: Profile, sat: str) -> tuple[list[int], Mapping]:
    """The `mes` rules: (selected indices in order, details). A run the compiled core finishes
    (mes_core) is explained when its details are first read: the Python engine then replays
    its winners for the exact payments."""
    if profile.voters and sat != "points" and mes_core.usable(profile):
        candidates, free = candidates_and_free(profile, sat, ())
        voter_budget = profile.budget / profile.voters
        decided, finished, _ = mes_core.run(profile, candidates, voter_budget, sat == "cost")
        if finished:
            selected = free + decided

            def explain() -> dict:
                state = make_state(profile, sat, candidates, voter_budget)
                replay_run(state, voter_budget, decided)
                return mes_details(profile, state, selected)
            return selected, Explanation(explain)
        # a close call: the Python engine goes on from the winners the core decided
        state = make_state(profile, sat, candidates, voter_budget)
        chosen, _ = run_rounds(state, candidates, decided=decided)
        selected = free + chosen
        return selected, mes_details(profile, state, selected)
    selected, state = equal_shares(profile, sat)
    return selected, mes_details(profile, state, selected)


def replay_run(state, voter_budget, selected) -> None:
    """Bring a float state (mes_float) to the end of the run at voter_budget whose outcome
    `selected` (no free projects) is known, evaluating and funding only its winners, in order.
    A winner's capped set depends only on the exact budgets, so every exact budget, hence the
    details, are the run's; a few float bits may differ, within their error bounds."""
    state.reset(voter_budget)
    for p in selected:
        state.fund(state.evaluate(p))


def mes_details(profile: Profile, state, selected: Sequence[int]) -> dict:
    """Plain data explaining a MES run: the per-voter budget, each round (project, price per
    voter or per point, and per group of supporters with the same budget: how many voters,
    their budget before, what each paid), and for every supported project left out, what its
    supporters could still pay when the rule stopped."""
    if state is None:
        return {"voter_budget": Fraction(0), "rounds": [], "not_selected": []}
    ids = profile.ids
    rounds = [dict(r, project=ids[r["project"]]) for r in state.rounds]
    chosen = set(selected)
    left_out = [p for p in sorted(state.candidates) if p not in chosen]
    if hasattr(state, "available_all"):
        available = state.available_all(left_out)
    else:
        available = {p: state.available(p) for p in left_out}
    not_selected = [{"project": ids[p], "cost": profile.costs[p],
                     "supporters": state.supporter_count(p), "available": available[p]}
                    for p in left_out]
    return {"voter_budget": state.voter_budget, "rounds": rounds, "not_selected": not_selected}
