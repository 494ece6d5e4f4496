"""Sequential Phragmén in exact arithmetic, as pabutools 1.2.3 `sequential_phragmen` computes it:
the reference of phragmen.py's compiled core, and the engine of small profiles, of counts too
large for exact float sums and of an install without the core.

Voters carry a load, 0 at first. Funding p would give its supporters the load
L(p) = (sum of their loads + cost(p)) / supporters (infinite with no supporter). Each round
looks at the projects with the smallest L among those costing at most the budget; if any of
them no longer fits in the money left, the rule STOPS (it does not skip). Otherwise the first
of them in tie order is funded and its supporters' loads become L.

Exact (Fraction). Loads only grow, so L(p) never decreases: stale values in a heap are lower
bounds, and only projects whose bound is <= the round's best are recomputed (the whole tied set
is seen). A voter's load is the L of the last funded project they approve, so each project
counts its supporters per load value instead of per voter.
"""
from __future__ import annotations

import heapq
from fractions import Fraction

from .profile import Profile

INFINITE = (1, Fraction(0))   # sorts after every finite load (0, L)


def exact_phragmen(profile: Profile) -> tuple[list[int], dict]:
    """Return (selected indices in order, details: each round's project and load); approval
    ballots only (phragmen.py checks)."""
    costs, budget = profile.costs, profile.budget
    candidates = [p for p, cost in enumerate(costs) if cost <= budget]
    supporters: dict[int, list[int]] = {p: [] for p in candidates}
    for g, group in enumerate(profile.groups):
        for p in group.members:
            if p in supporters:
                supporters[p].append(g)
    weights = [group.count for group in profile.groups]
    score = {p: sum(weights[g] for g in supporters[p]) for p in candidates}
    loads = [Fraction(0)]                      # load values; every voter starts at index 0
    load_of_group = [0] * len(weights)
    per_load = {p: {0: score[p]} for p in candidates}

    def load(p: int):
        if score[p] == 0:
            return INFINITE
        total = sum(count * loads[i] for i, count in per_load[p].items())
        return (0, (total + costs[p]) / score[p])

    heap = [(load(p), p) for p in candidates]
    heapq.heapify(heap)
    selected, rounds, spent = [], [], 0
    remaining = set(candidates)
    while heap:
        best, tied, evaluated = None, [], []
        while heap and (best is None or heap[0][0] <= best):
            _, p = heapq.heappop(heap)
            value = load(p)
            evaluated.append((value, p))
            if best is None or value < best:
                best, tied = value, [p]
            elif value == best:
                tied.append(p)
        if any(spent + costs[p] > budget for p in tied):
            stopper = min(p for p in tied if spent + costs[p] > budget)
            rounds.append({"stopped_at": profile.ids[stopper], "cost": costs[stopper],
                           "money_left": budget - spent})
            break
        winner = min(tied)
        for value, p in evaluated:
            if p != winner:
                heapq.heappush(heap, (value, p))
        remaining.discard(winner)
        selected.append(winner)
        spent += costs[winner]
        rounds.append({"project": profile.ids[winner], "load": best[1] if best[0] == 0 else None})
        if best[0] == 0:
            _raise_loads(profile, supporters[winner], load_of_group, loads, best[1],
                         per_load, remaining, weights)
    return selected, {"rounds": rounds, "remaining": budget - spent}


def _raise_loads(profile, groups, load_of_group, loads, new_load, per_load, remaining, weights):
    new = len(loads)
    loads.append(new_load)
    for g in groups:
        old = load_of_group[g]
        load_of_group[g] = new
        for p in profile.groups[g].members:
            if p in remaining:
                count = per_load[p]
                count[old] -= weights[g]
                if not count[old]:
                    del count[old]
                count[new] = count.get(new, 0) + weights[g]
