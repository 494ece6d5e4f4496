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
import time
from collections import deque
from fractions import Fraction

from . import greedy as greedy_rules
from . import mes as mes_rules
from . import mes_core
from .mes import replay_run
from .mes_batch import BatchRuns
from .mes_certify import same_outcome_up_to
from .model import Explanation
from .profile import Profile

FIRST_BLOCK, LAST_BLOCK = 4, 128    # add1 budgets run together: doubling from 4 up to 128
BATCH_FROM = 0.002  # seconds: quicker runs go one by one (a batch costs more to set up);
                    # a choice of speed only, both ways give the same outcome


def is_exhaustive(profile: Profile, selected, among) -> bool:
    """No project of `among` outside `selected` still fits in the budget."""
    spent = profile.total_cost(selected)
    chosen = set(selected)
    return not any(p not in chosen and spent + profile.costs[p] <= profile.budget
                   for p in among)


def iterated_equal_shares(profile: Profile, sat: str = "cost", increment: Fraction = 1,
                          jump: bool = True, exact: bool = False, replayed: bool = True):
    """pabutools' MES with voter_budget_increment. Returns (selected, state, per-voter budget
    of the returned run, number of MES runs pabutools makes).

    pabutools runs MES at b0 + t * increment for t = 0, 1, 2, ... With jump=True, each run
    also returns its horizon h (mes_fast): the outcome is the same for every per-voter budget
    in [b, b + h), so the stop tests (which only look at the outcome) give the same answer
    for all the integers t' with t' - t < h / increment, and they are skipped. When h is too
    short, mes_certify may prove the outcome unchanged up to t + guess and skip to
    t + guess + 1 (guess doubles on success, halves on failure; a probe costs about one run,
    so none is tried with guess < 2 until two consecutive runs agree, nor while the success
    rate so far makes it a loss). Otherwise, if one run takes BATCH_FROM seconds or more, the
    next budgets are run together (mes_batch: the runs share their first rounds; a budget
    with a close call is run alone on the scalar engine), in blocks that double (up to
    LAST_BLOCK) while no horizon or probe skips any budget; a block is followed by one run
    alone (its horizon may allow a jump) only if its last FIRST_BLOCK outcomes are equal.
    With the compiled core (mes_core) every run is made there with its horizon, and there are
    no probes or blocks. The returned run is rebuilt at its own budget from its known winners
    (replay_run), so its details are the ones of that budget. jump=False (or exact=True, the
    all-Fraction engine) is the plain loop, kept as the reference (it runs the returned budget
    again in full).
    replayed=False: the returned state may be left at another run; the caller replays the
    returned one (replay_run) before reading it, if it ever does.
    """
    if profile.voters == 0:
        return [], None, Fraction(0), 0
    candidates, free = mes_rules.candidates_and_free(profile, sat, ())
    b0 = profile.budget / profile.voters
    increment = Fraction(increment)
    jump = jump and not exact
    # Runs in the compiled core cost less than a probe or a batch saves: each run gives its
    # horizon, and neither is used (a close call is still decided by the Python engine).
    in_core = jump and mes_core.usable(profile)
    state, t, probe, guess, last_selected = None, 0, None, 2, None
    probes = proved = 0
    batch, width, batched = None, FIRST_BLOCK, False

    def run(t: int, horizon=None, keep_state=True):
        nonlocal state
        selected, state = mes_rules.equal_shares(profile, sat, b0 + t * increment, state=state,
                                                 exact=exact, horizon=horizon,
                                                 keep_state=keep_state)
        return selected

    def replay(t: int, selected: list[int]):
        if not jump or free or state is None:       # (the reference loops run it again)
            return run(t)
        if replayed:
            replay_run(state, b0 + t * increment, selected)
        return selected

    known = None                # (t, outcome) of the last budget whose outcome was found
    while True:
        if batched:
            budgets = [b0 + (t + i) * increment for i in range(width)]
            outcomes = ((t + i, selected) for i, selected in batch.runs(budgets))
            tail: deque = deque(maxlen=FIRST_BLOCK)
        else:
            horizon = [] if jump else None
            started = time.perf_counter()
            outcomes = [(t, run(t, horizon, keep_state=not in_core))]
            took = time.perf_counter() - started
        for s, selected in outcomes:
            if selected is None:            # a close call: the scalar engine decides it
                selected = run(s)
            if profile.total_cost(selected) > profile.budget:
                if s == 0:
                    return free, None, b0, 1
                if known and known[0] == s - 1:
                    previous = replay(s - 1, known[1])
                else:
                    previous = run(s - 1)
                return previous, state, b0 + (s - 1) * increment, s + 1
            if is_exhaustive(profile, selected, candidates):
                if batched or in_core:
                    selected = replay(s, selected)  # the state and details of that budget
                return selected, state, b0 + s * increment, s + 1
            known = (s, selected)
            if batched:
                tail.append(tuple(selected))
        if batched:
            # Outcomes that still changed in the block's last budgets: horizons are short
            # there, so the next block follows at once; else one run to see whether its
            # horizon is long (a choice of speed only).
            t, width = t + width, min(2 * width, LAST_BLOCK)
            batched = len(set(tail)) > 1
            continue
        if not jump:
            t += 1
            continue
        steps = horizon[0] / float(increment) * (1 - 1e-9)
        if steps == float("inf"):
            raise RuntimeError("add1: the MES outcome no longer depends on the budget")
        step = max(1, math.ceil(steps))
        # A probe costs about one run and saves `guess` runs when it succeeds: try it only
        # when (successes + 1) / (probes + 2) * guess >= 1.
        if step == 1 and not in_core and guess >= 2 and (proved + 1) * guess >= probes + 2:
            if probe is None:
                probe = mes_rules.make_state(profile, sat, candidates, b0)
            probe.reset(b0 + (t + guess) * increment)
            probes += 1
            if same_outcome_up_to(state, probe, candidates):
                step, guess, proved = guess + 1, guess * 2, proved + 1
            else:
                guess //= 2
        elif step == 1 and selected == last_selected:
            guess = 2               # the outcome did not change: try proving a range
        last_selected = selected
        t += step
        if step > 1:
            width = FIRST_BLOCK     # skips work here: blocks start small again
        elif took >= BATCH_FROM and not in_core:
            batched = True
            batch = batch or BatchRuns(profile, candidates, by_cost=(sat == "cost"))


def complete_with_greedy(profile: Profile, selected: list[int], mes_details: dict):
    """completion_by_rule_combination's second step: greedy (Cost_Sat) if money is left for
    any project."""
    details = {"mes": mes_details, "greedy": None}
    if is_exhaustive(profile, selected, range(len(profile.ids))):
        return selected, details
    completed, details["greedy"] = greedy_rules.greedy(profile, initial=selected)
    return completed, details


def mes_then_greedy(profile: Profile):
    return complete_with_greedy(profile, *mes_rules.run_rule(profile, "cost"))


def mes_add1(profile: Profile, increment=1):
    """The MES details of the returned run are computed when first read (model.Explanation):
    the winners' run is then replayed at its budget."""
    increment = Fraction(increment)
    selected, state, voter_budget, runs = iterated_equal_shares(profile, "cost", increment,
                                                                replayed=False)

    def explain() -> dict:
        if state is not None:
            replay_run(state, voter_budget, selected)
        return dict(mes_rules.mes_details(profile, state, selected), voter_budget=voter_budget,
                    runs=runs, increment=increment)
    return complete_with_greedy(profile, selected, Explanation(explain))
