"""The rounds of MES over a FloatUniformState: float comparisons, exact on near-ties, and
(optionally) the horizon, how far the per-voter budget b can grow with the same outcome.

Round: pop projects from a heap of lower bounds of rho while the bound is <= ub, the smallest
upper bound (rho + err) seen this round; a project left in the heap then cannot be the winner
or tied with it. Among the evaluated ones, those whose interval [rho - err, rho + err] reaches
ub are recomputed exactly and the winner is the exact minimum (ties: smallest index).

Horizon (add1). Fix the winners of the run at b and let b' = b + d grow. As long as each
winner's walk keeps its capped set (its `Evaluation.horizon`), every class budget stays affine
in b' (slope >= 1) and so does each winner's rho. A rival's price q(b') is the root of
sum_c n_c min(B_c(b'), q) = cost; the left side is jointly concave in (q, b') and increasing
in q, so {(b', q) : q >= q(b')} is convex, i.e. q(b') is convex in b': its tangent at b (the
slope of its walk at b) is a lower bound for every d >= 0, whatever happens to its capped set.
So the outcome is the same for every b' in [b, b + horizon) if, in every round, the winner's
affine rho stays below the tangent of each evaluated rival (exact on ties: an exact tie whose
slopes make the rival cheaper gives 0) and below the tangent stored with each heap entry (rho
never decreases during a run, at any b'), and if every project found unaffordable stays so
(sum of its supporters' affine budgets < cost). Each bound uses the lower end of the gap and
the worst slopes, so the horizon can only be too short, never too long.
"""
from __future__ import annotations

import heapq

from .state import INF, Evaluation, FloatUniformState


def run_rounds(state: FloatUniformState, candidates, track: bool = False, decided=()):
    """Run MES on a fresh state. Returns (selected in order, horizon; INF unless track).
    decided: the run's first winners, known (core.py): they are funded without a contest
    (initial keys stay lower bounds of rho: rho never decreases in a run)."""
    for p in decided:
        state.fund(state.evaluate(p))
    funded = set(decided)
    heap = [(state.initial_key(p), p, 0.0) for p in candidates if p not in funded]
    heapq.heapify(heap)
    horizon = INF
    selected = list(decided)
    while heap:
        ub = INF
        evaluated: list[Evaluation] = []
        while heap and heap[0][0] <= ub:
            p = heapq.heappop(heap)[1]
            ev = state.evaluate(p)
            if ev.rho is None:          # its supporters cannot pay for it any more: never again
                horizon = min(horizon, ev.horizon)
                state.drop(p)
                continue
            evaluated.append(ev)
            if ev.rho + ev.err < ub:
                ub = ev.rho + ev.err
        if not evaluated:
            break
        close = [ev for ev in evaluated if ev.rho - ev.err <= ub]
        if len(close) == 1:
            winner = close[0]
        else:
            for ev in close:
                state.make_exact(ev)
            winner = min(close, key=lambda ev: (ev.exact_rho, ev.p))
        horizon = min(horizon, winner.horizon)
        if track:
            horizon = min(horizon, _rivals_horizon(state, winner, evaluated, heap, ub))
        for ev in evaluated:
            if ev is not winner:
                heapq.heappush(heap, (ev.rho - ev.err, ev.p, ev.slope - ev.slope_err))
        state.fund(winner)
        selected.append(winner.p)
    return selected, horizon


def _rivals_horizon(state, winner: Evaluation, evaluated, heap, ub) -> float:
    """How far b can grow with `winner` still the strict (or tie-order) best of this round."""
    top = min(ub, winner.rho + winner.err)      # >= rho_winner(b)
    rise = winner.slope + winner.slope_err      # >= d rho_winner / d b
    horizon = INF
    for ev in evaluated:
        if ev is winner:
            continue
        low, fall = ev.rho - ev.err, ev.slope - ev.slope_err
        if low > top:
            gap = low - top
        else:                                   # both were made exact (they were close)
            exact_gap = ev.exact_rho - winner.exact_rho
            if exact_gap == 0:
                if state.exact_slope(ev) < state.exact_slope(winner):
                    return 0.0                  # the rival is cheaper for every b' > b
                continue
            gap = float(exact_gap) * (1 - 1e-9)
        if fall < rise:
            horizon = min(horizon, gap / (rise - fall))
    for key, _, key_slope in heap:
        if key_slope < rise:
            horizon = min(horizon, (key - top) / (rise - key_slope))
    return horizon
