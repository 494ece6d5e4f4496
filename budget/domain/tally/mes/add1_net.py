"""`mes-add1-net`: Equal Shares with the Add1 completion as equalshares.net computes it.

The reference is the Python code that equalshares.net's compute tool generates for approval
ballots with the "Add1" completion and the "integral" start (`equal_shares`), which is also
how Pabulib's checker (`pabulib-checker` 1.0.8, `Checker._compute_equalshares_winners(add1=
True)`) checks the files labelled `equalshares/add1` and `equalshares/add1-comparison`:

1. MES (Cost_Sat, as `mes`) with the per-voter budget B/n (n: every ballot, empty ones too);
2. then MES from scratch with the per-voter budgets floor(B/n) + 1, floor(B/n) + 2, ...
   (whole currency units); at the first run that costs more than B, the previous outcome is
   the result. No greedy completion, and no stop at an exhaustive outcome (equalshares.net's
   optional "exhaustive" Add1 setting, off in Pabulib's checker).

pabutools' `voter_budget_increment=1` (our `mes-add1`) differs: it steps from B/n itself,
stops at the first outcome that leaves no MES candidate affordable, and is then completed by
greedy. On Assen 2024 that completion funds project 7, which the city did not.

Exact ties in a MES round go, as on equalshares.net ("minCost,maxVotes"), to the cheaper
project, then to the one with more supporters; `tie_order()` gives that order (then the
smallest id as a string, where equalshares.net stops with an error) and `tally()` uses it
unless the caller passes its own. Approval ballots only (Pabulib's choose-1 included), as in
Pabulib's checker; other vote types raise RuleNotApplicable.
"""
from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

from . import rule as mes_rules
from ..model import Election, Explanation, RuleNotApplicable
from ..profile import Profile


def tie_order(election: Election, **_params) -> list[str] | None:
    """Every project id, cheapest first, then most supporters, then the smallest id as a
    string; None when the election is not an approval one or its data are malformed (the
    tally then raises the precise error)."""
    if election.vote_type != "approval":
        return None
    votes: Counter = Counter()
    for ballot, count in election.ballots:
        for pid in ballot:
            votes[pid] += count
    try:
        return sorted(election.costs, key=lambda pid: (election.costs[pid], -votes[pid], pid))
    except TypeError:
        return None


def iterate(profile: Profile) -> tuple[list[int], object, Fraction, int]:
    """Steps 1 and 2 above: (selected indices, the MES state, the per-voter budget of the
    returned run: the largest whole one whose outcome fits, as equalshares.net ends, or B/n;
    the number of runs made). A run's horizon (close_call: its outcome is the same for every
    per-voter budget in [b, b + h)) lets the budgets below b + h be skipped: the stop test
    only looks at the outcome."""
    if profile.vote_type != "approval":
        raise RuleNotApplicable("mes-add1-net is defined for approval ballots only")
    if profile.voters == 0:
        return [], None, Fraction(0), 0
    voter_budget = profile.budget / profile.voters
    selected, state = mes_rules.equal_shares(profile, "cost", voter_budget)
    runs, step_budget, stepped = 1, Fraction(math.floor(voter_budget) + 1), False
    while True:
        horizon: list = []
        outcome, state = mes_rules.equal_shares(profile, "cost", step_budget, state=state,
                                                horizon=horizon, keep_state=False)
        runs += 1
        if profile.total_cost(outcome) > profile.budget:
            if stepped:     # the budgets skipped since the last run gave its outcome
                voter_budget = step_budget - 1
            return selected, state, voter_budget, runs
        selected, voter_budget, stepped = outcome, step_budget, True
        if horizon and horizon[0] == math.inf:
            return selected, state, voter_budget, runs      # no larger budget changes it
        steps = horizon[0] * (1 - 1e-9) if horizon else 1
        step_budget += max(1, math.ceil(steps))


def mes_add1_net(profile: Profile) -> tuple[list[int], Explanation]:
    """(selected indices in selection order, details: the returned MES run's, as `mes`, with
    `runs`). The details are computed when first read (the run is then replayed)."""
    selected, state, voter_budget, runs = iterate(profile)

    def explain() -> dict:
        if state is None:
            return dict(mes_rules.mes_details(profile, None, selected), runs=runs)
        candidates, _ = mes_rules.candidates_and_free(profile, "cost", ())
        return dict(mes_rules.run_details(profile, "cost", candidates, voter_budget, selected,
                                          state), runs=runs)
    return selected, Explanation(explain)
