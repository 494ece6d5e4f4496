"""Cost_Sat / Cardinality_Sat MES at many per-voter budgets at once (add1's b0, b0 + 1, ...).

The budgets are the columns of numpy arrays. Runs at neighbouring budgets fund the same
projects in their first rounds, so they are computed together: a *node* holds the columns
whose runs have funded the same projects so far (so the same budget classes), with, per
class and column, the float budget, its error bound and whether it is drained. A
round evaluates each popped project for every column at once; when the columns disagree on
the winner the node splits, one child per winner.

Every decision is the float engine's (mes_walk): the same walk, the same error bounds, the
same heap of lower bounds, column by column (the partial sums are numpy's sequential
`cumsum`, the same 2k + 2 roundings as the scalar walk; its proof holds as written). The
batch never decides a close call: a column with a walk step too close to call, or with two
projects whose rho intervals overlap, is given up (None) and the caller runs the scalar
engine, which decides it exactly, at that budget.
"""
from __future__ import annotations

import heapq
import itertools
import operator
from fractions import Fraction

import numpy as np

from .mes_walk import U

INF = float("inf")
_PENDING = object()
FEW_COLUMNS = 0         # nodes with this many columns or fewer walk in plain Python, and so
FEW_CELLS = 200         # do evaluations over this many (column, class) cells or fewer


class _Evaluation:
    """One project at every column of a node."""

    __slots__ = ("p", "rows", "n", "moved", "groups", "money", "order", "accept", "q", "eq", "rho",
                 "err", "live", "unclear", "voters")


class _Supporters:
    """Per candidate, the ballot groups that name it (indices into the profile's groups) and
    their voters, as arrays; and each candidate's number of supporters. Shared by every batch
    on the profile."""

    def __init__(self, profile, candidates):
        groups = profile.groups
        sizes = np.fromiter(map(len, (group.members for group in groups)), np.intp, len(groups))
        named = np.fromiter(itertools.chain.from_iterable(group.members for group in groups),
                            np.intp, int(sizes.sum()))
        voters = np.fromiter((group.count for group in groups), np.int64, len(groups))
        position = np.full(len(profile.ids), -1, np.intp)
        position[list(candidates)] = np.arange(len(candidates))
        owner = np.repeat(np.arange(len(groups)), sizes)
        named = position[named]
        keep = named >= 0
        # (candidate, group) pairs, once each, by candidate then group (np.sort: np.unique
        # takes ten times longer here)
        pairs = np.sort(named[keep] * len(groups) + owner[keep])
        pairs = pairs[np.concatenate((pairs[:1] >= 0, pairs[1:] != pairs[:-1]))]
        named, owner = np.divmod(pairs, len(groups))
        kept = np.zeros(len(groups), bool)
        kept[owner] = True
        number = np.cumsum(kept) - 1    # groups naming some candidate, numbered 0, 1, ...
        self.groups = int(kept.sum())
        self.total = int(voters[kept].sum())
        ends = np.searchsorted(named, np.arange(1, len(candidates) + 1))
        starts = np.concatenate(([0], ends[:-1]))
        self.of, self.voters, self.weight = {}, {}, {}
        for p, start, end in zip(candidates, starts.tolist(), ends.tolist()):
            self.of[p] = number[owner[start:end]]
            self.voters[p] = voters[owner[start:end]].astype(np.float64)
            self.weight[p] = int(voters[owner[start:end]].sum())

    @classmethod
    def of_profile(cls, profile, candidates) -> "_Supporters":
        key = ("mes-batch-supporters", tuple(candidates))
        found = profile.cache.get(key)
        if found is None:
            found = profile.cache[key] = cls(profile, candidates)
        return found


class _Node:
    """Columns whose runs funded the same projects so far, and their voters' money: arrays
    (column, row) with one row per budget class, `row` giving each ballot group its class and
    `voters` each class its voters, `alive` whether it holds money in some column. (Two
    groups that name the same projects among those funded so far have paid the same prices,
    so they hold the same budget at every column: that is a class. A class drained in every
    column stays so, and its groups never move again.)"""

    __slots__ = ("cols", "b", "selected", "row", "voters", "alive", "B", "E", "D", "size",
                 "heap")

    def grow(self, extra: int) -> None:
        need = self.size + extra
        if need > self.B.shape[1]:
            cap = max(need, 2 * self.B.shape[1])
            for name in ("B", "E", "D"):
                old = getattr(self, name)
                new = np.zeros((old.shape[0], cap), old.dtype)
                new[:, :self.size] = old[:, :self.size]
                setattr(self, name, new)
            for name in ("voters", "alive"):
                old = getattr(self, name)
                new = np.zeros(cap, old.dtype)
                new[:self.size] = old[:self.size]
                setattr(self, name, new)


class BatchRuns:
    def __init__(self, profile, candidates, by_cost: bool, few_columns: int | None = None,
                 few_cells: int | None = None):
        self.few_columns = FEW_COLUMNS if few_columns is None else few_columns
        self.few_cells = FEW_CELLS if few_cells is None else few_cells
        self.costs = profile.costs
        self.costf = [float(c) for c in profile.costs]
        self.by_cost = by_cost
        self.candidates = list(candidates)
        self.supporters = _Supporters.of_profile(profile, candidates)

    def runs(self, budgets):
        """For each per-voter budget (Fractions), in order: (its index, the projects MES funds
        in order, or None when a close call needs the exact engine). Lazy: the nodes holding
        the lowest budget still pending run first, so a caller that stops early skips the
        rounds only the higher budgets need."""
        results: list = [_PENDING] * len(budgets)
        order = itertools.count()
        queue = [(0, next(order), self._root(budgets))]
        done = 0
        while queue:
            children: list = []
            self._run_node(heapq.heappop(queue)[2], children, results)
            for child in children:
                heapq.heappush(queue, (child.cols[0], next(order), child))
            while done < len(budgets) and results[done] is not _PENDING:
                yield done, results[done]
                done += 1

    def _root(self, budgets) -> _Node:
        T = len(budgets)
        node = _Node()
        node.cols = np.arange(T)
        node.b = np.array([float(b) for b in budgets])
        node.selected = []
        node.row = np.zeros(self.supporters.groups, np.intp)
        node.voters = np.zeros(64)
        node.voters[0] = self.supporters.total
        node.alive = np.zeros(64, bool)
        node.alive[0] = True
        node.B = np.zeros((T, 64))
        node.E = np.zeros((T, 64))
        node.D = np.zeros((T, 64), bool)
        node.B[:, 0] = node.b
        node.E[:, 0] = 2 * U * node.b
        node.size = 1
        weight = self.supporters.weight
        node.heap = []
        for p in self.candidates:
            key = (1.0 / weight[p] if self.by_cost else self.costf[p] / weight[p]) * (1 - 4 * U)
            node.heap.append((key, p, np.full(T, key)))
        heapq.heapify(node.heap)
        return node

    # -- one project at every column ----------------------------------------------------------

    def _evaluate(self, node: _Node, p: int) -> _Evaluation:
        """mes_walk.float_walk column by column: the classes by increasing lower bound lo,
        accept at the first step k with q_k + eq_k < lo_k, every earlier step a clear cap."""
        ev = _Evaluation()
        ev.p = p
        # p's supporters per class still holding money somewhere: n[i] voters in row rows[i]
        # (sums of integers below 2**53, exact in floats); ev.groups: the position in rows of
        # each of p's groups in such a class (ev.moved), the ones that move if p is funded
        of = node.row[self.supporters.of[p]]
        moved = ev.moved = node.alive[of]
        of = of[moved]
        seen = np.zeros(node.size, bool)
        seen[of] = True
        rows = ev.rows = np.flatnonzero(seen)
        position = np.empty(node.size, np.intp)
        position[rows] = np.arange(len(rows))
        ev.groups = position[of]
        n = ev.n = np.bincount(ev.groups, self.supporters.voters[p][moved], len(rows))
        T, m = len(node.cols), len(rows)
        if not m:
            ev.live = ev.unclear = np.zeros(T, bool)
            ev.rho = ev.err = ev.voters = np.zeros(T)
            return ev
        if T <= self.few_columns or T * m <= self.few_cells:
            self._walk_columns(node, ev, n)
            return ev
        B, E, D = ev.money = node.B[:, rows], node.E[:, rows], node.D[:, rows]
        cost = self.costf[p]
        # Unaffordable everywhere (the common case for a project popped in a node's first
        # rounds): the supporters' money is below the cost. Drained classes hold B = 0; the
        # float sums are within (m + 1) u of the exact ones (in any summation order, with or
        # without fused multiply-adds: a product of floats >= 0, as here by BLAS).
        held = ((B + E) @ n) * (1 + 4 * (m + 2) * U)
        if (held < cost).all():
            ev.live = ev.unclear = np.zeros(T, bool)
            ev.rho = ev.err = ev.voters = np.zeros(T)
            return ev
        lo = B - E
        lo[D] = INF
        order = np.argsort(lo, axis=1)
        flat = ev.order = (order + (np.arange(T) * m)[:, None]).ravel()
        shape = (T, m)
        lo = lo.ravel()[flat].reshape(shape)
        B = B.ravel()[flat].reshape(shape)
        E = E.ravel()[flat].reshape(shape)
        N = n[order]
        N[D.ravel()[flat].reshape(shape)] = 0.0
        sums = np.zeros((3, T, m + 1))      # sequential prefix sums, as the scalar walk's
        np.cumsum(N * B, 1, out=sums[0, :, 1:])
        np.cumsum(N, 1, out=sums[1, :, 1:])
        np.cumsum(N * E, 1, out=sums[2, :, 1:])
        S, W, Ek = sums[:, :, :-1]
        W = sums[1, :, -1:] - W
        k1 = np.arange(1, m + 1, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = (cost - S) / W
            eq = 2 * (8 * U * cost * k1 + Ek) / W
            accept = (W > 0) & (q + eq < lo)
            ok = ((q - eq > B + E) | (N == 0)) & (sums[2, :, 1:] < cost)
        has = accept.any(1)
        a = accept.argmax(1)
        bad = ~ok
        first_bad = np.where(bad.any(1), bad.argmax(1), m)
        clear = np.where(has, first_bad >= a, first_bad >= m)
        cols = np.arange(T)
        ev.accept, ev.q, ev.eq = a, q[cols, a], eq[cols, a]
        ev.voters = sums[1, :, -1]          # supporters still holding money (exact ints)
        u = cost if self.by_cost else 1.0
        with np.errstate(invalid="ignore"):
            ev.rho = ev.q / u
            ev.err = 2 * (ev.eq / u + 2 * U * ev.rho)
        ev.live = clear & has
        ev.unclear = ~clear
        return ev

    def _walk_columns(self, node: _Node, ev: _Evaluation, n) -> None:
        """_evaluate for a node of few columns: mes_walk.float_walk itself, column by column
        (numpy's fixed cost per call is larger than the walk there)."""
        p, rows = ev.p, ev.rows
        cost = self.costf[p]
        u = cost if self.by_cost else 1.0
        n = n.tolist()
        m = len(n)
        orders, accept, q_at, eq_at, voters, live, unclear = [], [], [], [], [], [], []
        ev.money = node.B[:, rows], node.E[:, rows], node.D[:, rows]
        budgets, errors, drained = (values.tolist() for values in ev.money)
        for B, E, D in zip(budgets, errors, drained):
            held = sum(map(operator.mul, n, B)) + sum(map(operator.mul, n, E))
            if held * (1 + 4 * (m + 2) * U) < cost:     # unaffordable, as in _evaluate
                for values, value in zip((orders, accept, q_at, eq_at, voters, live, unclear),
                                         (range(m), 0, 0.0, 0.0, 0, False, False)):
                    values.append(value)
                continue
            lo = list(map(float.__sub__, B, E))
            gone = list(itertools.compress(range(m), D))
            for i in gone:
                lo[i] = INF
            W = sum(itertools.compress(n, map(operator.not_, D)))
            voters.append(W)
            rem, k, errs, found, clear = cost, 0, 0.0, False, True
            q = eq = 0.0
            if W and cost / W + 16 * U * cost / W < min(lo):      # nobody capped
                q, eq, found = cost / W, 16 * U * cost / W, True
                order = range(m)
            else:
                order = sorted(range(m), key=lo.__getitem__)
            orders.append(order)
            if W and not found:
                for i in order[:m - len(gone)]:
                    q = rem / W
                    eq = 2 * (8 * U * (k + 1) * cost + errs) / W
                    if q + eq < lo[i]:
                        found = True
                        break
                    if q - eq <= B[i] + E[i]:
                        clear = False
                        break
                    rem -= n[i] * B[i]
                    W -= n[i]
                    k += 1
                    errs += n[i] * E[i]
                    if errs >= cost:
                        clear = False
                        break
            accept.append(k)
            q_at.append(q)
            eq_at.append(eq)
            live.append(found and clear)
            unclear.append(not clear)
        ev.order = orders                   # made flat by _fund, for the winner only
        ev.accept = np.array(accept, np.intp)
        ev.q, ev.eq = np.array(q_at), np.array(eq_at)
        ev.rho = ev.q / u
        ev.err = 2 * (ev.eq / u + 2 * U * ev.rho)
        ev.voters = np.array(voters, np.float64)
        ev.live, ev.unclear = np.array(live), np.array(unclear)

    # -- rounds -------------------------------------------------------------------------------

    def _run_node(self, node: _Node, stack: list, results: list) -> None:
        while True:
            T = len(node.cols)
            ub = np.full(T, INF)
            gone = np.zeros(T, bool)        # columns given up to the exact engine
            evaluated, skipped = [], []
            heap = node.heap
            while heap and heap[0][0] <= ub.max():
                entry = heapq.heappop(heap)
                _, p, key = entry
                if not (key <= ub).any():   # above the best so far in every column
                    skipped.append(entry)
                    continue
                ev = self._evaluate(node, p)
                known = key < INF           # columns where p was not found unaffordable
                gone |= ev.unclear & known
                ev.live &= known
                with np.errstate(invalid="ignore"):
                    np.minimum(ub, np.where(ev.live, ev.rho + ev.err, INF), out=ub)
                ub[gone] = -INF
                evaluated.append(ev)
            for entry in skipped:
                heapq.heappush(heap, entry)
            for t in np.flatnonzero(gone):
                results[node.cols[t]] = None
            if not evaluated:
                for t in np.flatnonzero(~gone):
                    results[node.cols[t]] = list(node.selected)
                return
            with np.errstate(invalid="ignore"):     # (rho is nan where p is unaffordable)
                lows = np.array([np.where(ev.live, ev.rho - ev.err, INF) for ev in evaluated])
            close = (lows <= ub) & (lows < INF)
            n_close = close.sum(0)
            best = close.argmax(0)
            for t in np.flatnonzero(~gone & (n_close == 0)):
                results[node.cols[t]] = list(node.selected)        # MES stopped here
            for t in np.flatnonzero(n_close > 1):
                winner = self._exact_winner(
                    [(i, ev) for i, ev in enumerate(evaluated) if close[i, t]], t)
                if winner is None:
                    gone[t] = True
                    results[node.cols[t]] = None
                else:
                    best[t] = winner
                    n_close[t] = 1
            for ev, key in zip(evaluated, lows):
                low = key.min()
                if low < INF:
                    heapq.heappush(heap, (low, ev.p, key))
            going = ~gone & (n_close == 1)
            groups: dict[int, list[int]] = {}
            for t in np.flatnonzero(going):
                groups.setdefault(int(best[t]), []).append(int(t))
            if len(groups) == 1 and len(next(iter(groups.values()))) == T:
                ev = evaluated[next(iter(groups))]
                node.heap = [entry for entry in heap if entry[1] != ev.p]
                heapq.heapify(node.heap)
                self._fund(node, ev)
                continue
            for i, positions in groups.items():
                child = self._child(node, np.array(positions), evaluated[i].p)
                ev = self._evaluate(child, evaluated[i].p)
                if not ev.live.all():       # not expected: the same sums on fewer columns
                    for t in child.cols:
                        results[t] = None
                    continue
                self._fund(child, ev)
                stack.append(child)
            return

    def _exact_winner(self, close, t: int):
        """Where rho intervals overlap: when no close project has a capped class, each exact
        rho is u / W (u = 1 for Cost_Sat, its cost for Cardinality_Sat; W its supporters
        holding money), and the winner is the exact minimum, ties to the smaller index. Else
        None (the scalar engine decides). Returns the winner's position in the round."""
        if any(ev.accept[t] for _, ev in close):
            return None
        def exact_rho(ev):
            voters = int(ev.voters[t])
            return Fraction(1, voters) if self.by_cost else Fraction(self.costs[ev.p]) / voters
        return min(close, key=lambda pair: (exact_rho(pair[1]), pair[1].p))[0]

    def _child(self, node: _Node, positions, winner: int) -> _Node:
        """The node restricted to some of its columns."""
        child = _Node()
        child.cols, child.b = node.cols[positions], node.b[positions]
        child.selected = list(node.selected)
        child.row = node.row.copy()
        size = child.size = node.size
        child.voters = node.voters[:size].copy()
        child.B = node.B[positions, :size]
        child.E = node.E[positions, :size]
        child.D = node.D[positions, :size]
        child.alive = ~child.D.all(0)
        heap = []
        for _, p, key in node.heap:
            if p != winner:
                key = key[positions]
                low = key.min()
                if low < INF:
                    heap.append((low, p, key))
        heapq.heapify(heap)
        child.heap = heap
        return child

    def _fund(self, node: _Node, ev: _Evaluation) -> None:
        """mes_float.fund at every column: capped classes are drained, the others pay q. The
        supporters of p in a class form a new class; a class made only of supporters of p
        keeps its row (so rows stay as many as the classes)."""
        T, m = len(node.cols), len(ev.rows)
        order = ev.order                    # flat positions in (T, m), by walk
        if isinstance(order, list):         # (from _walk_columns)
            order = (np.array(order, np.intp).reshape(T, m) + (np.arange(T) * m)[:, None]).ravel()
        capped = np.empty(T * m, bool)      # the first ev.accept classes of each walk
        capped[order] = (np.arange(m) < ev.accept[:, None]).ravel()
        rows = ev.rows
        B, E, D = ev.money
        dead = capped.reshape(T, m) | D
        budgets = np.where(dead, 0.0, B - ev.q[:, None])
        errors = E + (2 * (ev.eq + U * node.b))[:, None]
        left = node.voters[rows] - ev.n         # the class's voters not supporting p (exact)
        split = left > 0
        start = node.size
        extra = int(split.sum())
        node.grow(extra)
        node.size = start + extra
        target = rows.copy()
        target[split] = np.arange(start, node.size)
        node.voters[rows] = left
        node.voters[target] = ev.n
        node.B[:, target] = budgets
        node.E[:, target] = errors
        node.D[:, target] = dead
        node.alive[target] = ~dead.all(0)
        node.row[self.supporters.of[ev.p][ev.moved]] = target[ev.groups]
        node.selected.append(ev.p)
