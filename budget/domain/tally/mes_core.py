"""MES runs (Cost_Sat, Cardinality_Sat) in the compiled core, `_mescore.c`.

Why compiled: the float engine (mes_float, mes_fast) makes the same decisions, but each
evaluation costs tens of Python steps per budget class; on real files that floor kept MES at
10-30x pabutools' speed. The core runs the same rounds and the same walk with the same error
bounds (mes_walk proves them) over plain arrays, per ballot group.

It never decides a close call: at the first walk step or rho comparison too close to call in
floats it stops and returns the winners decided so far; mes_fast.run_rounds (its `decided`)
replays them on the Python state, which then continues the run and decides the close call
exactly. So both engines give
the same outcome, and the tests compare them on every instance they draw.

Without the compiled module (not built), or with `ENABLED = False`, everything runs in Python.
"""
from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple, Sequence

import numpy as np

from .profile import EXACT_FLOAT_SUMS, Profile

try:
    from . import _mescore
except ImportError:     # pragma: no cover (built by `pip install`; the Python engine remains)
    _mescore = None

ENABLED = _mescore is not None


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
                     np.array([float(c) for c in profile.costs], np.float64),
                     support.astype(np.float64), np.array(candidates, np.int32),
                     np.array([_whole(c) for c in profile.costs], np.int64))


def _whole(cost) -> int:
    """cost as an int64 when it is a whole number (the core compares such costs exactly)."""
    return int(cost) if cost == int(cost) and 0 <= cost < 2 ** 63 else -1


def run(profile: Profile, candidates: Sequence[int], voter_budget: Fraction,
        by_cost: bool) -> tuple[list[int], bool, float]:
    """(winners in order, finished, horizon). finished is False when the core stopped at a
    close call; the winners are then those decided before it. A finished run's outcome is the
    same for every per-voter budget in [voter_budget, voter_budget + horizon) (mes_fast)."""
    data = core_input(profile, candidates)
    return _mescore.run(*data, by_cost, float(voter_budget))
