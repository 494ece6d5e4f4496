"""Prove that MES has the same outcome for every per-voter budget in [lo, hi].

Monotonicity: fix the sequence of funded projects. If every voter holds at least as much
before a round, the price q of any project (the root of sum_i min(B_i, q) = cost) is at most
as high, so after paying min(B_i, q) everyone still holds at least as much. By induction over
the rounds, as long as the winners are the same, every budget is non-decreasing in the
initial budget b and every rho is non-increasing in b.

So let the run at lo fund w_1, ..., w_m. Replay the same winners at hi. If in every round r
each project p != w_r still affordable at hi has rho_p(hi) > rho_{w_r}(lo), or equality with
p after w_r in the tie order, and if after the last round nothing is affordable at hi, then
for every b in [lo, hi] (same winners so far, by induction) rho_{w_r}(b) <= rho_{w_r}(lo) and
rho_p(b) >= rho_p(hi), so w_r wins round r at b as well; and whatever is unaffordable at hi is
unaffordable at b <= hi. Hence the outcome at every b in [lo, hi] is the one at lo.
Float comparisons use the error bounds of mes_float; close calls are decided exactly.
"""
from __future__ import annotations

import heapq

from .mes_float import FloatUniformState


def same_outcome_up_to(lo: FloatUniformState, hi: FloatUniformState, candidates) -> bool:
    """lo: the state right after a run (run_rounds) at the lower budget. hi: a state of the
    same profile, reset to the higher budget; it is consumed. True only if the outcome is
    provably the same for every budget in between (False may be a missed proof)."""
    heap = [(hi.initial_key(p), p) for p in candidates]
    heapq.heapify(heap)
    funded = set()
    for r, (w, rho_lo, err_lo) in enumerate(lo.won):
        top = rho_lo + err_lo
        kept = []
        while heap and heap[0][0] <= top:
            p = heapq.heappop(heap)[1]
            if p == w or p in funded:
                continue
            ev = hi.evaluate(p)
            if ev.rho is None:
                hi.drop(p)
                continue
            if ev.rho - ev.err <= top:
                hi.make_exact(ev)
                exact_lo = lo.exact_rho_of_round(r)
                if ev.exact_rho < exact_lo or (ev.exact_rho == exact_lo and p < w):
                    return False
            kept.append((ev.rho - ev.err, p))
        for entry in kept:
            heapq.heappush(heap, entry)
        ev = hi.evaluate(w)
        if ev.rho is None:
            return False
        hi.fund(ev)
        funded.add(w)
    for _, p in heap:
        if p not in funded and p in hi.live and hi.evaluate(p).rho is not None:
            return False
    return True
