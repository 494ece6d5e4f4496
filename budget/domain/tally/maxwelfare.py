"""Maximum utilitarian welfare under Cost_Sat: the exact 0/1 knapsack.

Welfare of a set = sum over its projects of cost x supporters (pabutools
`max_additive_utilitarian_welfare(sat_class=Cost_Sat)`). pabutools does not control which
optimum it returns when several exist; we return a well-defined one. List the projects by most
supporters, then tie order; among the optimal sets, return the one whose list of positions is
lexicographically smallest (a proper prefix counts as smaller, so no zero-welfare project is
added to an optimum that does not need it).

Exact branch and bound on integers (costs scaled to whole numbers): items in decreasing
efficiency (= supporters, since profit/weight = supporters), depth first, "take" before
"leave", Dantzig's fractional bound floored (welfare is an integer). A subtree is pruned when
its bound cannot beat the best found; depth-first "take"-first order visits the sets in that
lexicographic order, so the first optimum found is the one described above.
"""
from __future__ import annotations

import math
import sys
from fractions import Fraction

from .profile import Profile


def _integer_scale(profile: Profile) -> int:
    scale = 1
    for cost in profile.costs:
        scale = math.lcm(scale, Fraction(cost).denominator)
    return scale


def max_welfare(profile: Profile) -> tuple[list[int], dict]:
    """Return (selected indices in item order, details with the welfare)."""
    votes = profile.votes()
    scale = _integer_scale(profile)
    weights = [int(Fraction(cost) * scale) for cost in profile.costs]
    capacity = math.floor(profile.budget * scale)
    free = [p for p, w in enumerate(weights) if w == 0]
    items = sorted((p for p, w in enumerate(weights) if 0 < w <= capacity),
                   key=lambda p: (-votes[p], p))
    w = [weights[p] for p in items]
    v = [votes[p] for p in items]           # profit of item = w * v (scaled welfare)
    n = len(items)
    best_value, best_take = -1, []
    take = []

    def bound(k: int, room: int, value: int) -> int:
        while k < n and w[k] <= room:
            room -= w[k]
            value += w[k] * v[k]
            k += 1
        if k < n:
            value += room * v[k]            # the fractional item, profit/weight = v[k]
        return value

    def search(k: int, room: int, value: int) -> None:
        nonlocal best_value, best_take
        if value > best_value:
            best_value, best_take = value, list(take)
        if k == n or bound(k, room, value) <= best_value:
            return
        if w[k] <= room:
            take.append(items[k])
            search(k + 1, room - w[k], value + w[k] * v[k])
            take.pop()
        search(k + 1, room, value)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 2 * n + 100))
    try:
        search(0, capacity, 0)
    finally:
        sys.setrecursionlimit(limit)
    selected = free + best_take
    welfare = sum(Fraction(weights[p] * votes[p], scale) for p in selected)
    return selected, {"welfare": welfare}
