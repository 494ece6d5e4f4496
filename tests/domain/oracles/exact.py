"""The exact MES engine as the tests' oracle. It is `budget/domain/tally/mes/exact.py` (all
Fractions, one evaluation at a time), which lives in budget/ rather than here because a
pure-Python install (no C compiler: the verifier on a laptop) counts with it. Here it runs
through the rules' own entry points, exactly as that install runs it."""
from __future__ import annotations

from contextlib import contextmanager

from budget.domain.tally.mes import completion, core, rule


@contextmanager
def exact_engine():
    """Every MES run inside is the exact engine's, as when the core is not built."""
    built, allowed = core.BUILT, core.exact_without_core
    core.BUILT, core.exact_without_core = False, True
    try:
        yield
    finally:
        core.BUILT, core.exact_without_core = built, allowed


def equal_shares(profile, sat="cost", voter_budget=None):
    """(selected, state) of one exact run; rule.mes_details explains it."""
    with exact_engine():
        return rule.equal_shares(profile, sat, voter_budget)


def iterated_equal_shares(profile, sat="cost"):
    """pabutools' add1 loop, one budget after the other, every run exact."""
    with exact_engine():
        return completion.iterated_equal_shares(profile, sat, jump=False)
