"""The Method of Equal Shares, as pabutools 1.2.3 `method_of_equal_shares` computes it.

Every voter starts with the same budget b. A project p with supporters i and utilities u_i is
affordable at the price factor rho(p), the smallest rho with sum_i min(b_i, rho * u_i) =
cost(p). Each round funds the project with the smallest rho (ties: first in tie order); its
supporters pay min(b_i, rho * u_i). The rule stops when no project is affordable. Candidates
are the projects with cost > 0 and some supporter; with Cardinality_Sat a cost-0 project with
supporters is funded before the first round (with Cost_Sat its satisfaction is 0).

Outcomes are exact. Cost_Sat and Cardinality_Sat run in the compiled core (core.py), which
stops at a near-tie for the Python state to decide exactly (close_call.py, state.py);
Additive_Cardinal_Sat runs in the compiled core too (points_core.py), which hands its close
calls to integers over a common denominator (points.py). Without the
core, a pure-Python install runs the all-Fraction engine (exact.py). Speed comes from
structure:
* utilities that are the same for every supporter (Cost_Sat: the cost; Cardinality_Sat: 1)
  reduce the search to a price q = rho * u, and voters with the same budget are
  interchangeable, so they are kept as budget classes (see UniformState);
* rho(p) never decreases, so stale values in a heap are lower bounds: only projects whose
  bound is <= the best rho of the round are re-evaluated (<=, so exact ties are all seen).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping, Sequence

from . import core     # the Python engines load when a run needs them (close_call, exact, ...)
from ..model import Explanation
from ..profile import Profile

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


def make_state(profile: Profile, sat: str, candidates: Sequence[int], voter_budget: Fraction):
    """The Python state of a run: the close-call engine's (Cost_Sat, Cardinality_Sat) or the
    scaled points one."""
    if sat == "points":
        from .points import ScaledPointsState
        return ScaledPointsState(profile, candidates, voter_budget)
    from .state import FloatUniformState
    return FloatUniformState(profile, candidates, voter_budget, by_cost=(sat == "cost"))


def equal_shares(profile: Profile, sat: str = "cost", voter_budget: Fraction | None = None,
                 initial: Sequence[int] = (), state=None, horizon: list | None = None,
                 keep_state: bool = True) -> tuple[list[int], object]:
    """Run MES once. Returns (selected indices in order, the final state).

    voter_budget: per-voter endowment, default budget / number of voters (empty ballots
    count). initial: projects already funded (not candidates, money not deducted, as in
    pabutools). sat: "cost" (Cost_Sat), "cardinality" (Cardinality_Sat) or "points"
    (Additive_Cardinal_Sat: only voters giving > 0 points support a project).
    For add1's many runs on one profile: state, one from an earlier call with the same
    profile, sat and initial, reused; horizon, a list to receive the float distance d such
    that the outcome is the same for every per-voter budget in [voter_budget, voter_budget + d)
    (0 from the exact engine); keep_state=False, the caller only wants the outcome, so the
    state may be left at another run (a run the core finished is then not replayed).
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
    from . import exact
    if core.exact_engine():
        chosen, state = exact.run(profile, sat, candidates, voter_budget)
        if horizon is not None:
            horizon.append(0.0)
        return selected + chosen, state
    if state is None:
        state = make_state(profile, sat, candidates, voter_budget)
    else:
        state.reset(voter_budget)
    if sat == "points":
        return selected + exact.rounds(state, candidates), state
    from .close_call import run_rounds     # (not for points: its state, walk and history)
    decided = []
    if core.usable(profile):
        decided, finished, distance = core.run(profile, candidates, voter_budget, state.by_cost)
        if finished:
            if horizon is not None:
                horizon.append(distance)
            if keep_state:
                replay_run(state, voter_budget, decided)
            return selected + decided, state
        if horizon is not None:
            decided = []    # a horizon needs every round tracked: from the start
    chosen, distance = run_rounds(state, candidates, track=horizon is not None, decided=decided)
    if horizon is not None:
        horizon.append(distance)
    return selected + chosen, state


def run_rule(profile: Profile, sat: str) -> tuple[list[int], Mapping]:
    """The `mes` rules: (selected indices in order, details). A run the compiled core finishes
    (core.py) is explained when its details are first read (run_details: the core walks its
    winners again, explained.py makes the exact payments)."""
    if profile.voters and sat == "points" and not core.exact_engine() and core.usable(profile):
        from .points_core import run_points
        result = run_points(profile, mes_details)
        if result is not None:
            return result
    if profile.voters and sat != "points" and not core.exact_engine() \
            and core.usable(profile):
        candidates, free = candidates_and_free(profile, sat, ())
        voter_budget = profile.budget / profile.voters
        decided, finished, _ = core.run(profile, candidates, voter_budget, sat == "cost")
        if finished:
            selected = free + decided

            def explain() -> dict:
                return run_details(profile, sat, candidates, voter_budget, decided)
            return selected, Explanation(explain)
        # a close call: the Python engine goes on from the winners the core decided
        from .close_call import run_rounds
        state = make_state(profile, sat, candidates, voter_budget)
        chosen, _ = run_rounds(state, candidates, decided=decided)
        selected = free + chosen
        return selected, mes_details(profile, state, selected)
    selected, state = equal_shares(profile, sat)
    return selected, mes_details(profile, state, selected)


def run_details(profile: Profile, sat: str, candidates: Sequence[int], voter_budget,
                winners: Sequence[int], state=None) -> dict:
    """mes_details of the finished run at voter_budget that funded `winners` (candidates, in
    order; the free projects come before them in `selected`): from the compiled core's walk of
    the winners (explained.py), or, when a walk there is too close to call, by replaying them
    on a Python state (`state`, when the caller has one for this profile, sat and
    candidates)."""
    if core.usable(profile):
        from .explained import compiled_details
        details = compiled_details(profile, sat, candidates, voter_budget, winners)
        if details is not None:
            return details
    if state is None:
        state = make_state(profile, sat, candidates, voter_budget)
    replay_run(state, voter_budget, winners)
    return mes_details(profile, state, winners)


def replay_run(state, voter_budget, selected) -> None:
    """Bring a state to the end of the run at voter_budget whose outcome `selected` (no free
    projects) is known, evaluating and funding only its winners, in order. A winner's capped
    set depends only on the exact budgets, so every exact budget, hence the details, are the
    run's; a few float bits of the close-call state may differ, within their error bounds."""
    from .state import FloatUniformState
    if not isinstance(state, FloatUniformState):
        from . import exact
        exact.replay(state, voter_budget, selected)
        return
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
