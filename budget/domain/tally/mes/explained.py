"""A MES run's explanation from the compiled core's records (core.explain, rounds.c): the
exact numbers the details show, computed only for what they show.

The core walks the run's winners again, in order, at the run's per-voter budget, and records
each winner's classes of payers (a class: voters who supported the same winners so far, so
hold the same budget), which of them were capped (paid all they held) and the class each of
the others moved to; and for each candidate left out, how many of its supporters still hold
money and, per round, how many of them paid that round's full price. Every walk is decided in
floats only when it is clear (walk.py: the capped set is then the exact one), otherwise the
core gives up and the caller replays the run in Python (rule.replay_run), as before.

From those integers the exact values follow, in integers over a denominator that grows
round by round (as history.py's scaled prices): a round's price is (cost - what its capped
payers held) / its uncapped voters, a class's budget is its parent's minus the price of the
round that made it, and a left-out project's supporters hold b * live - sum over rounds of
price * payers (capped voters hold exactly 0). No float value is shown. A class's budget is
kept over the denominator of the round that made it, which is much smaller than the last
round's on large files: the gcd that makes its Fraction (the main cost of an explanation of
thousands of payers) is then quicker.
"""
from __future__ import annotations

import math
from operator import mul
from fractions import Fraction
from typing import Sequence

from . import core
from ..profile import Profile


def compiled_details(profile: Profile, sat: str, candidates: Sequence[int], voter_budget,
                     winners: Sequence[int]) -> dict | None:
    """rule.mes_details of the run at voter_budget funding `winners` (candidates only, in
    order), or None when the core could not walk it in floats (the caller replays it)."""
    records = core.explain(profile, candidates, voter_budget, sat == "cost", winners)
    if records is None:
        return None
    voter_budget = Fraction(voter_budget)
    rounds, prices, scale = _rounds(profile, voter_budget, winners, records[:4])
    everyone = voter_budget.numerator * (scale // voter_budget.denominator)
    out_project, out_live, out_start, out_round, out_payers = records[4:]
    ids, costs, votes = profile.ids, profile.costs, profile.votes()
    left_out = {}
    for i, p in enumerate(out_project):
        start, end = out_start[i], out_start[i + 1]
        spent = sum(map(mul, map(prices.__getitem__, out_round[start:end]),
                        out_payers[start:end]))
        left_out[p] = {"project": ids[p], "cost": costs[p], "supporters": votes[p],
                       "available": Fraction(everyone * out_live[i] - spent, scale)}
    return {"voter_budget": voter_budget, "rounds": rounds,
            "not_selected": [left_out[p] for p in sorted(left_out)]}


def _rounds(profile: Profile, voter_budget: Fraction, winners: Sequence[int], records):
    """(every round as mes_details shows it, each round's price * the last scale, that
    scale)."""
    round_start, round_capped, pay_class, pay_voters = records
    ids, costs = profile.ids, profile.costs
    scale = voter_budget.denominator
    for p in winners:
        if isinstance(costs[p], Fraction):
            scale = math.lcm(scale, costs[p].denominator)
    budget = [voter_budget.numerator * (scale // voter_budget.denominator)]  # per class
    born = [0]                  # per class: the scale its budget is kept over (in `over`)
    over, factor = [scale], [1]     # per scale: itself, and the scale now / itself
    rounds, prices, exact = [], [], {}
    for r, p in enumerate(winners):
        start, end = round_start[r], round_start[r + 1]
        classes, voters = pay_class[start:end], pay_voters[start:end]
        capped = round_capped[r]            # the first `capped` classes paid all they held
        held = [budget[c] * factor[born[c]] for c in classes]     # over the scale now
        rest = int(costs[p] * scale) - sum(map(mul, held[:capped], voters[:capped]))
        uncapped = sum(voters[capped:])     # (scale: a multiple of the cost's denominator)
        common = math.gcd(rest, uncapped)
        rest, grow = rest // common, uncapped // common     # the price over scale * grow
        if grow > 1:
            scale *= grow
            held = [value * grow for value in held]
            factor = [f * grow for f in factor]
        if over[-1] != scale:
            over.append(scale)
            factor.append(1)
        price = Fraction(rest, scale)
        prices.append((rest, len(over) - 1))
        # the uncapped classes' voters move to new classes, numbered in their order
        budget.extend([value - rest for value in held[capped:]])
        born.extend([len(over) - 1] * (len(held) - capped))
        rounds.append({"project": ids[p], "price": price,
                       "payers": _payers(classes, capped, voters, held, budget, born, over,
                                         price, exact)})
    return rounds, [q * factor[k] for q, k in prices], scale


def _payers(classes, capped, voters, held, budget, born, over, price,
            exact: dict) -> list[dict]:
    """A round's payers merged by budget (the largest first, as history.details): voters,
    budget before, paid. exact: the Fractions of the classes' budgets made so far. (The loop
    is rounds.c's payers(): a dict per payer, thousands on large files.)"""
    order = sorted(range(len(classes)), key=held.__getitem__, reverse=True)
    return core.payers(order, held, voters, classes, capped, budget, born, over, price, exact)
