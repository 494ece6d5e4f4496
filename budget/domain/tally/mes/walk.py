"""The price walk of one project over a FloatUniformState: in floats, or exactly.

p's price per supporter q solves sum_c n_c min(B_c, q) = cost(p) over its supporters' budget
classes. Walk the classes by increasing budget: q_k = (cost - sum_{j<k} n_j B_j) / W_k and
accept at the first k with q_k <= B_k; falling off the end means the supporters hold less
than the cost (they are then never able to pay it again in this run).

Why a float decision equals the exact one (u = 2**-53, unit round-off):
* every class c has a float budget bf_c within e_c of its exact budget B_c (e_c starts at u*b
  and grows, per price paid, by that price's error bound plus u*b for the subtraction; budgets
  are <= b). Per class, not one bound for all: a price paid by few uncapped voters next to
  many capped ones carries a large error, but only the classes that paid it inherit it.
  lo_c = bf_c - e_c and hi_c = bf_c + e_c bound B_c.
* The walk visits p's classes by increasing lo. At step k (k classes capped so far, weight W_k
  left) it computes rem = cost - sum_{j<k} n_j bf_j and q = rem / W_k. While every earlier step
  was decided exactly, sum_{j<k} n_j B_j < cost; with E_k = sum_{j<k} n_j e_j < cost (checked,
  else exact), every partial sum is below 2*cost and the 2k+2 roundings plus the budget errors
  give |q - Q_k| <= eq_k with
      eq_k = (8u (k+1) cost + E_k) / W_k,
  Q_k being the exact price for the same capped set. The code uses twice that bound. (The
  count holds whether rem is built by subtracting each n_j bf_j from cost, as float_walk
  does, or as cost minus a running sum of the n_j bf_j, as _numpy_walk does with
  numpy's sequential cumsum: k products, k - 1 additions, one subtraction, one division, every
  intermediate value below 2*cost. W_k is an integer below 2**53, so exact as a float.)
* A step is "clear" when q + eq_k < lo_k (accept: every class j >= k has B_j >= lo_j >= lo_k
  > Q_k) or q - eq_k > hi_k (cap: B_k < Q_k). If every step is clear, the capped set A is
  exactly {c : B_c < Q} (capping a class with B < Q raises the price, so earlier capped
  classes stay below Q), hence Q_A is the exact price and |q - Q_A| <= eq. The same argument
  shows "unaffordable" (all capped) is exact.
* Otherwise the walk is redone exactly (`exact_walk`). rho comparisons use the same bounds:
  two rhos whose intervals overlap are recomputed exactly before the winner is chosen.

Slopes (for add1, see close_call.py): every budget is affine in b with slope >= 1, a price's slope
is -sum_{capped} n_c slope_c / W <= 0; these are sums of non-negative floats, so their
relative error is bounded by `rel_s` (grown by (|A| + 4) u per round, used twice).
"""
from __future__ import annotations

from fractions import Fraction


U = 2.0 ** -53
INF = float("inf")
NUMPY_WALK = 96     # classes from which the walk's prefix sums are taken in numpy


def float_walk(state, ev) -> bool:
    """Fill ev from the float walk; False when a step is too close to call."""
    p = ev.p
    count = ev.count = state.count(p)
    W0 = sum(count.values())
    if not W0:
        ev.q, ev.horizon = None, INF
        return True
    bf, sf, ef, lo = state.bf, state.sf, state.ef, state.lo
    cost = state.costf[p]
    q = cost / W0
    eq = 16 * U * cost / W0
    if q + eq < min(map(lo.__getitem__, count)):
        ev.q, ev.q_err, ev.q_slope, ev.capped, ev.uncapped, ev.horizon = (
            q, eq, 0.0, (), W0, INF)
        return True
    if len(count) >= NUMPY_WALK:
        return _numpy_walk(state, ev, count, W0, cost)
    rem, W, k, E = cost, W0, 0, 0.0
    slope_sum = max_slope = 0.0
    order = sorted(count, key=lo.__getitem__)
    for c in order:
        q = rem / W
        eq = 2 * (8 * U * (k + 1) * cost + E) / W
        if q + eq < lo[c]:
            ev.q, ev.q_err, ev.capped, ev.uncapped = q, eq, order[:k], W
            ev.q_slope = -slope_sum / W
            ev.horizon = INF
            if k:
                # The capped class nearest to the price: the largest upper bound, which with
                # per-class error bounds need not be the one walked last (largest lower bound).
                highest = max(bf[c] + ef[c] for c in order[:k])
                gap = q - eq - highest
                rate = (max_slope - ev.q_slope) * (1 + 2 * state.rel_s + 2 * (k + 4) * U)
                ev.horizon = max(gap, 0.0) / rate
            return True
        b, n = bf[c], count[c]
        if q - eq <= b + ef[c]:
            return False
        rem -= n * b
        W -= n
        k += 1
        E += n * ef[c]
        if E >= cost:
            return False
        s = sf[c]
        slope_sum += n * s
        if s > max_slope:
            max_slope = s
    # Every class capped, the last one clearly: the supporters hold less than the cost.
    err = 2 * (8 * U * (k + 1) * cost + E)
    ev.q = None
    ev.horizon = max(rem - err, 0.0) / (slope_sum * (1 + 2 * state.rel_s + 2 * (k + 4) * U))
    return True

def _numpy_walk(state, ev, count, W0: int, cost: float) -> bool:
    """float_walk for a project with many classes: the same steps and bounds, the prefix sums
    in numpy (sequential, so the same 2k + 2 roundings)."""
    import numpy as np
    keys = list(count)
    m = len(keys)
    lo = np.fromiter(map(state.lo.__getitem__, keys), np.float64, m)
    order = np.argsort(lo)
    lo = lo[order]
    bf = np.fromiter(map(state.bf.__getitem__, keys), np.float64, m)[order]
    ef = np.fromiter(map(state.ef.__getitem__, keys), np.float64, m)[order]
    n = np.fromiter(count.values(), np.float64, m)[order]
    sums = np.zeros((3, m + 1))
    np.cumsum(n * bf, out=sums[0, 1:])
    np.cumsum(n, out=sums[1, 1:])
    np.cumsum(n * ef, out=sums[2, 1:])
    W = W0 - sums[1, :-1]               # every class holds voters, so W > 0 at every step
    q = (cost - sums[0, :-1]) / W
    eq = 2 * (8 * U * cost * np.arange(1, m + 1) + sums[2, :-1]) / W
    accept = q + eq < lo
    k = int(accept.argmax()) if accept.any() else m
    if not (((q[:k] - eq[:k]) > bf[:k] + ef[:k]) & (sums[2, 1:k + 1] < cost)).all():
        return False
    capped = [keys[i] for i in order[:k].tolist()]
    slopes = [state.sf[c] for c in capped]
    slope_sum = sum(map(float.__mul__, n[:k].tolist(), slopes))
    max_slope = max(slopes, default=0.0)
    if k == m:                          # every class capped, clearly: unaffordable
        err = 2 * (8 * U * (k + 1) * cost + sums[2, k])
        ev.q = None
        ev.horizon = max(cost - sums[0, k] - err, 0.0) / (
            slope_sum * (1 + 2 * state.rel_s + 2 * (k + 4) * U))
        return True
    uncapped = W0 - sum(map(count.__getitem__, capped))
    ev.q, ev.q_err, ev.capped, ev.uncapped = float(q[k]), float(eq[k]), capped, uncapped
    ev.q_slope = -slope_sum / uncapped
    ev.horizon = INF
    if k:                               # the capped class closest to the price
        gap = ev.q - ev.q_err - float((bf[:k] + ef[:k]).max())
        rate = (max_slope - ev.q_slope) * (1 + 2 * state.rel_s + 2 * (k + 4) * U)
        ev.horizon = max(gap, 0.0) / rate
    return True


def exact_walk(state, ev) -> None:
    """Recompute ev exactly (the walk of pabutools on exact budgets)."""
    p = ev.p
    count = ev.count
    budget = state.history.budget
    items = sorted((budget(c), c) for c in count)
    rem, W = Fraction(state.costs[p]), sum(count.values())
    capped, price, tight = [], None, False
    slope_sum = max_slope = 0.0
    for B, c in items:
        q = rem / W
        if q < B:
            price = q
            break
        tight = tight or q == B
        n = count[c]
        capped.append(c)
        rem -= n * B
        W -= n
        s = state.sf[c]
        slope_sum += n * s
        max_slope = max(max_slope, s)
        if W == 0:
            if rem == 0:
                price, tight = B, True
            break
    ev.horizon = INF
    if price is None:
        ev.q = None
        if slope_sum:
            ev.horizon = float(rem) * (1 - 1e-9) / (slope_sum * (1 + 2 * state.rel_s))
        return
    ev.exact_price = price
    ev.exact_rho = price / state.costs[p] if state.by_cost else price
    ev.q, ev.q_err = float(price), 2 * U * float(price)
    ev.capped, ev.uncapped = capped, W
    ev.q_slope = -slope_sum / W if W else 0.0
    if tight:
        ev.horizon = 0.0
    elif capped:
        gap = float(price - budget(capped[-1])) * (1 - 1e-9)
        rate = (max_slope - ev.q_slope) * (1 + 2 * state.rel_s + 2 * (len(capped) + 4) * U)
        ev.horizon = gap / rate

