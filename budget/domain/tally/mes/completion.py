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

from .. import greedy as greedy_rules
from . import core, rule as mes_rules
from .rule import replay_run
from ..model import Explanation
from ..profile import Profile


def is_exhaustive(profile: Profile, selected, among) -> bool:
    """No project of `among` outside `selected` still fits in the budget."""
    spent = profile.total_cost(selected)
    chosen = set(selected)
    return not any(p not in chosen and spent + profile.costs[p] <= profile.budget
                   for p in among)


# How far (in increments) the certificate of a full core run is built to reach: longer makes
# the drained voters' bounds looser (rounds.c, drained_slope), but certify() walks a rival
# again where its line is too low; 256 was the fastest on Budapest 2024 of 64, 128, 256, 512
# and 1024 (bench/README.md).
CERTIFY_REACH = 256
# The state iterated_equal_shares(replayed=False) returns when every run was the core's: there
# is a run to explain, but no Python state was needed to find it.
CORE_ONLY = object()


def iterated_equal_shares(profile: Profile, sat: str = "cost", increment: Fraction = 1,
                          jump: bool = True, replayed: bool = True):
    """pabutools' MES with voter_budget_increment. Returns (selected, state, per-voter budget
    of the returned run, number of MES runs pabutools makes).

    pabutools runs MES at b0 + t * increment for t = 0, 1, 2, ... and stops at the first
    outcome exhaustive with respect to the MES candidates, or returns the previous outcome as
    soon as one costs more than the budget. The stop tests look only at the outcome, so every
    budget proven to give the outcome of the last run (whose tests said "go on") is skipped:
    * each run's horizon h (close_call): the outcome is the same for every per-voter budget in
      [b, b + h), so for the integers t' with t' - t < h / increment;
    * a certificate (rounds.c, certify_rounds): a full run in the core also records, round by
      round, lower bounds of every rival's rho as lines in the budget, valid for any larger
      budget whatever the capped sets do; core.certify then proves an interval [b', b' + x)
      by walking only the winners at b'. A run is made only where it fails.
    jump=False is the plain loop, kept as the reference (it runs the returned budget again in
    full). The returned run is rebuilt at its own budget from its known winners (replay_run),
    so its details are the ones of that budget; replayed=False leaves that to the caller, who
    explains the returned run with rule.run_details, if it ever does (the returned state then
    only serves that call: CORE_ONLY when every run was the core's).
    """
    if profile.voters == 0:
        return [], None, Fraction(0), 0
    candidates, free = mes_rules.candidates_and_free(profile, sat, ())
    b0 = profile.budget / profile.voters
    increment = Fraction(increment)
    by_cost = sat == "cost"
    certified = (jump and not free and sat != "points" and not core.exact_engine()
                 and core.usable(profile))
    state, t, known = None, 0, None     # known: (t, outcome): the last t proven to give it
    cert = None                         # (winners, certificate) of the last full core run
    # Where the outcome changes at nearly every step (Warszawa 2026: 177 runs for 186 steps), a
    # certificate proves little and its try costs a fifth to a half of a run: after a
    # certificate that failed at its first try, or proved only the next step, the next `wait`
    # runs are made without trying theirs (1, 3, 7, 15, then 15 again; back to 0 at a longer
    # success). Which budgets are run changes, not the result. Every run still makes its
    # certificate: it seeds the next run (rounds.c, seed_round), which then walks few rivals
    # in the rounds that fund the same winners (Warsaw's runs: a third less time).
    backoff = wait = 0
    fresh = False                       # no try yet of the last full run's certificate

    def run(t: int, horizon=None, keep_state=True):
        nonlocal state
        selected, state = mes_rules.equal_shares(profile, sat, b0 + t * increment, state=state,
                                                 horizon=horizon, keep_state=keep_state)
        return selected

    def certified_run(t: int, horizon: list):
        """A full run in the core with its certificate, seeded by the last one's."""
        nonlocal cert
        decided, finished, distance, certificate = core.run_certified(
            profile, candidates, b0 + t * increment, by_cost,
            CERTIFY_REACH * float(increment), cert)
        if not finished:                # a close call: the Python state decides it
            cert = None
            return run(t, horizon, keep_state=False)
        horizon.append(distance)
        cert = None if certificate is None else (decided, certificate)
        return decided

    def replay(t: int, selected: list[int]):
        nonlocal state
        if not jump or free:            # (the reference loop runs it again)
            return run(t)
        if not replayed:                # the caller explains it (rule.run_details)
            state = CORE_ONLY if state is None else state
            return selected
        if state is None:               # every run was the core's: a state to replay on
            state = mes_rules.make_state(profile, sat, candidates, b0 + t * increment)
        replay_run(state, b0 + t * increment, selected)
        return selected

    while True:
        if cert is not None and not wait and known is not None and known[0] == t - 1 \
                and known[1] == cert[0]:
            x = core.certify(profile, candidates, b0 + t * increment, by_cost, *cert)
            if x > 0:                   # t + j gives the known outcome for j * increment < x
                steps = max(1, math.ceil(x / float(increment) * (1 - 1e-9)))
                t += steps
                known = (t - 1, known[1])
                if fresh and steps == 1:  # saved one run for the price of half a run
                    wait, backoff = backoff, min(2 * backoff + 1, 15)
                else:
                    backoff = 0
                fresh = False
                continue
            if fresh:
                wait, backoff = backoff, min(2 * backoff + 1, 15)
            fresh = False
        horizon = [] if jump else None
        if certified:
            wait = max(0, wait - 1)
            fresh = True
            selected = certified_run(t, horizon)
        else:
            selected = run(t, horizon, keep_state=not jump)
        if profile.total_cost(selected) > profile.budget:
            if t == 0:
                return free, None, b0, 1
            previous = replay(t - 1, known[1]) if known and known[0] == t - 1 else run(t - 1)
            return previous, state, b0 + (t - 1) * increment, t + 1
        if is_exhaustive(profile, selected, candidates):
            if jump:
                selected = replay(t, selected)  # the state and details of that budget
            return selected, state, b0 + t * increment, t + 1
        known = (t, selected)
        if not jump:
            t += 1
            continue
        steps = horizon[0] / float(increment) * (1 - 1e-9)
        if steps == float("inf"):
            raise RuntimeError("add1: the MES outcome no longer depends on the budget")
        t += max(1, math.ceil(steps))
        known = (t - 1, selected)


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
        if state is None:
            details = mes_rules.mes_details(profile, None, selected)
        else:               # (Cost_Sat funds no project up front: selected are the winners)
            candidates, _ = mes_rules.candidates_and_free(profile, "cost", ())
            details = mes_rules.run_details(profile, "cost", candidates, voter_budget, selected,
                                            None if state is CORE_ONLY else state)
        return dict(details, voter_budget=voter_budget, runs=runs, increment=increment)
    return complete_with_greedy(profile, selected, Explanation(explain))
