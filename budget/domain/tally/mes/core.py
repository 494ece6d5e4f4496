"""MES runs (Cost_Sat, Cardinality_Sat) in the compiled core: the normal path of every install.

The core (`rounds.c` beside this file, in the `_mescore` extension that setup.py builds) runs
the rounds and the walk of the Python state (state.py, walk.py) with the same error bounds
over plain arrays, per ballot group. The Python walk costs tens of steps per budget class: on
real files it kept MES at 10-30x pabutools' speed.

It never decides a close call: at the first walk step or rho comparison too close to call in
floats it stops and returns the winners decided so far; close_call.run_rounds (its `decided`)
replays them on the Python state, which then continues the run and decides the close call
exactly. So both give the same outcome, and the tests compare them on every instance they draw.

Without the compiled module the tally stops with CoreNotBuilt (an install error), except in
the pure-Python install that checks published results (`flask budget verify`, or
BUDGET_PURE_PYTHON=1 in the environment): MES then runs in the exact engine (exact.py), the
reference, slow on large files. Tests set `ENABLED = False` to run the close-call engine over
whole runs.
"""
from __future__ import annotations

import os
from array import array
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple, Sequence

if TYPE_CHECKING:
    import numpy as np

from ..profile import EXACT_FLOAT_SUMS, Profile

try:
    from .. import _mescore
except ImportError:     # a pure-Python install (BUDGET_PURE_PYTHON=1), or a broken one
    _mescore = None

BUILT = _mescore is not None
ENABLED = BUILT
# The exact engine stands in for a missing core only when asked: by the verify command, or by
# BUDGET_PURE_PYTHON=1 in the environment (the variable that made the install skip the core).
exact_without_core = os.environ.get("BUDGET_PURE_PYTHON", "").strip().lower() in ("1", "true",
                                                                                  "yes")


class CoreNotBuilt(RuntimeError):
    """The compiled MES core is missing: the install is incomplete."""


def allow_exact_engine() -> None:
    """Count MES with the exact engine when the core is missing (the verifier's laptop)."""
    global exact_without_core
    exact_without_core = True


def exact_engine() -> bool:
    """True when MES must run in the exact engine: the core is not built and that was asked
    for. Raises CoreNotBuilt when it is not built and nobody asked."""
    if BUILT:
        return False
    if exact_without_core:
        return True
    raise CoreNotBuilt(
        "the compiled MES core (budget.domain.tally._mescore) is not installed: reinstall with "
        "`make install` or `pip install .` (it needs a C compiler and Python's headers). An "
        "install made with BUDGET_PURE_PYTHON=1 has no core: it can check published results "
        "(`flask budget verify`) with the exact engine, or tally with BUDGET_PURE_PYTHON=1 set.")


class CoreInput(NamedTuple):
    """The profile as the core reads it."""

    start: np.ndarray       # int64, per project + 1: where its supporting groups start
    groups: np.ndarray      # int32, the groups supporting each candidate, project by project
    weight: np.ndarray      # float64, voters per group (whole numbers below 2**53)
    costf: np.ndarray       # float64, per project
    support: np.ndarray     # float64, per project: its voters
    candidates: np.ndarray  # int32
    icost: np.ndarray       # int64, per project: its exact cost if a whole number, else -1


def usable(profile: Profile) -> bool:
    return ENABLED and profile.voters < EXACT_FLOAT_SUMS and len(profile.groups) < 2 ** 31


def core_input(profile: Profile, candidates: Sequence[int]) -> CoreInput:
    key = ("mes-core", tuple(candidates))
    cached = profile.cache.get(key)
    if cached is None:
        cached = profile.cache[key] = _core_input(profile, candidates)
    return cached


def _core_input(profile: Profile, candidates: Sequence[int]) -> CoreInput:
    # Every project's groups: the core reads only the candidates' (a project is a candidate
    # when it costs more than 0 and has supporters; every group has voters).
    start, groups, weight, support = profile.by_project
    return CoreInput(start, groups, weight,
                     array("d", [float(c) for c in profile.costs]),
                     array("d", map(float, support)), array("i", candidates),
                     array("q", [_whole(c) for c in profile.costs]))


def _whole(cost) -> int:
    """cost as an int64 when it is a whole number (the core compares such costs exactly)."""
    return int(cost) if cost == int(cost) and 0 <= cost < 2 ** 63 else -1


def run(profile: Profile, candidates: Sequence[int], voter_budget: Fraction,
        by_cost: bool) -> tuple[list[int], bool, float]:
    """(winners in order, finished, horizon). finished is False when the core stopped at a
    close call; the winners are then those decided before it. A finished run's outcome is the
    same for every per-voter budget in [voter_budget, voter_budget + horizon) (close_call)."""
    data = core_input(profile, candidates)
    return _mescore.run(*data, by_cost, float(voter_budget))


def run_certified(profile: Profile, candidates: Sequence[int], voter_budget: Fraction,
                  by_cost: bool, reach: float, seed=None):
    """run(), and for a finished run a certificate for certify() at budgets up to
    voter_budget + reach (None when the run stopped at a close call). seed: (winners,
    certificate) of a finished run (same profile, candidates and satisfaction) at a budget at
    most voter_budget, whose lines make the rounds that fund its winners again cheaper
    (rounds.c, seed_round); the certificate then reaches at most as far as the seed's."""
    data = core_input(profile, candidates)
    decided, finished, horizon, *cert = _mescore.run(*data, by_cost, float(voter_budget), reach,
                                                     *(seed or ()))
    return decided, finished, horizon, (cert[0] if finished else None)


def certify(profile: Profile, candidates: Sequence[int], voter_budget: Fraction, by_cost: bool,
            winners: Sequence[int], certificate) -> float:
    """x > 0: every run at a per-voter budget in [voter_budget, voter_budget + x) funds exactly
    `winners` in order, the winners of the certified run (rounds.c, certify_rounds, proves it
    by walking only the winners at voter_budget); x <= 0 proves nothing."""
    data = core_input(profile, candidates)
    return _mescore.certify(*data, by_cost, float(voter_budget), winners, certificate)


def explain(profile: Profile, candidates: Sequence[int], voter_budget: Fraction, by_cost: bool,
            winners: Sequence[int]) -> tuple[list, ...] | None:
    """The run at voter_budget that funds `winners` (no free project) walked again in the core,
    winner by winner, for its explanation (explained.py): the records of rounds.c's explain(),
    as lists of ints; None when a walk was too close to call in floats."""
    data = core_input(profile, candidates)
    records = _mescore.explain(*data, by_cost, float(voter_budget), winners)
    if records is None:
        return None
    return tuple(memoryview(r).cast("q" if i in _WIDE else "i").tolist()
                 for i, r in enumerate(records))


_WIDE = (0, 1, 3, 5, 6, 8)      # the int64 records (the others are int32)


def payers(order: list, held: list, voters: list, classes: list, capped: int, budget: list,
           born: list, over: list, price: Fraction, exact: dict) -> list[dict]:
    """One round's payers for explained.py (rounds.c's payers() says what each list holds)."""
    return _mescore.payers(order, held, voters, classes, capped, budget, born, over, price,
                           exact, Fraction)
